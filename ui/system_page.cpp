// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/system_page.h"

#include "generator/id_dictionary.h"
#include "generator/shop_thinning.h"
#include "models/generator_pace.h"
#include "models/human_format.h"
#include "pipeline/window_math.h"
#include "ui/palette_colors.h"
#include "ui/rich_text_block.h"
#include "ui/status_texts.h"
#include "ui/time_chart.h"

#include <QFile>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <tuple>
#include <unistd.h>

namespace gm {

long long residentBytes() {
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly)) {
        return 0;
    }
    const QList<QByteArray> fields = statm.readAll().split(' ');
    if (fields.size() < 2) {
        return 0;
    }
    return fields[1].toLongLong() * static_cast<long long>(sysconf(_SC_PAGESIZE));
}

namespace {

QString row(const QString& name, const QString& value) {
    return QStringLiteral("<tr><td>%1</td><td align='right'><b>%2</b></td></tr>").arg(name, value);
}

const char* const kJobTitles[] = {"Sales", "Carts", "Views", "Anomalies", "Inventory"};

} // namespace

SystemPage::SystemPage(QWidget* parent) : DashboardPage(tr("System"), parent) {
    // Many figures: on a small screen the page scrolls rather than forcing the window taller.
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    scroll->setWidget(content);
    outer->addWidget(scroll);
    auto* layout = new QGridLayout(content);
    throughput_ =
        new TimeChart(tr("Events per second by stage"), tr("Events/s"), ValueFormat::Count,
                      tr("Throughput appears once a run is started."), this);
    throughput_->setTimeAxisTitle(tr("Wall-clock time, UTC (one point per second)"));
    throughput_->setMinimumHeight(230); // the page scrolls on a small screen instead
    layout->addWidget(throughput_, 0, 0, 1, 3);

    auto* jobs_box = new QGroupBox(tr("Jobs (counters since start)"), this);
    auto* jobs_layout = new QVBoxLayout(jobs_box);
    jobs_ = new QTableWidget(kJobCount, 8, jobs_box);
    // Short headers (they fit a 1024-pixel window); each says more in its tooltip.
    const QList<QPair<QString, QString>> headers{
        {tr("Received"), tr("Events of the job's input streams")},
        {tr("Rejected"), tr("Invalid events (unknown product, bad quantity, ...)")},
        {tr("Late"), tr("Events dropped because their window had already closed")},
        {tr("Rows"), tr("Rows emitted to the job's tables")},
        {tr("Closed"), tr("Windows closed (that produced rows)")},
        {tr("Open"), tr("Windows and panes still open")},
        {tr("Watermark"), tr("Newest event time minus the allowed lateness (UTC); — before the "
                             "first event and after Stop")},
        {tr("Lag"), tr("Newest event time seen minus the watermark")}};
    for (int c = 0; c < headers.size(); ++c) {
        auto* item = new QTableWidgetItem(headers[c].first);
        item->setToolTip(headers[c].second);
        jobs_->setHorizontalHeaderItem(c, item);
    }
    QStringList jobs;
    for (const char* title : kJobTitles) {
        jobs << tr(title);
    }
    jobs_->setVerticalHeaderLabels(jobs);
    jobs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    jobs_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    // One line per job, of a height known before the first figures: the table is sized once,
    // when first shown (below), and must not need more room later.
    jobs_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    jobs_->verticalHeader()->setDefaultSectionSize(jobs_->fontMetrics().lineSpacing() + 6);
    jobs_->setToolTip(tr("Watermark lag: newest event time seen minus the job's watermark. Late "
                         "events arrived after their window closed and were dropped."));
    // Sized to its five rows once: adjusting to the contents on every change asked for a new
    // layout of the whole page with each new figure (twice a second).
    jobs_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContentsOnFirstShow);
    jobs_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    jobs_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    jobs_layout->addWidget(jobs_);
    layout->addWidget(jobs_box, 1, 0, 1, 3);

    auto* pipeline_box = new QGroupBox(tr("Pipeline"), this);
    auto* generator_box = new QGroupBox(tr("Generator"), this);
    auto* storage_box = new QGroupBox(tr("Storage, Kafka and memory"), this);
    // Blocks that lay their text out themselves: new figures (twice a second) repaint them
    // without laying the page out again, as word-wrapped rich-text labels did.
    pipeline_ = new RichTextBlock(pipeline_box);
    generator_ = new RichTextBlock(generator_box);
    storage_ = new RichTextBlock(storage_box);
    for (auto [box, label] :
         {std::pair{pipeline_box, pipeline_}, std::pair{generator_box, generator_},
          std::pair{storage_box, storage_}}) {
        auto* box_layout = new QVBoxLayout(box);
        box_layout->addWidget(label);
    }
    layout->addWidget(pipeline_box, 2, 0);
    layout->addWidget(generator_box, 2, 1);
    layout->addWidget(storage_box, 2, 2);

    partitions_box_ = new QGroupBox(tr("Kafka partitions (consumer lag, most behind first)"), this);
    auto* partitions_layout = new QVBoxLayout(partitions_box_);
    partitions_ = new QTableWidget(0, 6, partitions_box_);
    partitions_->setHorizontalHeaderLabels({tr("Topic"), tr("Partition"), tr("Next offset"),
                                            tr("High watermark"), tr("Lag (messages)"),
                                            tr("Committed offset")});
    partitions_->setToolTip(
        tr("Lag: messages in the partition not read yet. Committed: where a restarted consumer "
           "of this group would resume; it moves once the rows of the events before it are in "
           "PostgreSQL."));
    partitions_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    partitions_->verticalHeader()->setVisible(false);
    partitions_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    partitions_->setMinimumHeight(120);
    partitions_layout->addWidget(partitions_);
    layout->addWidget(partitions_box_, 3, 0, 1, 3);
    partitions_box_->hide();

    layout->setRowStretch(0, 3);
    layout->setRowStretch(1, 0);
    layout->setRowStretch(2, 2);
    layout->setRowStretch(3, 2);
}

QString SystemPage::generatorText() const {
    return generator_->html();
}

QString SystemPage::storageText() const {
    return storage_->html();
}

QString SystemPage::pipelineText() const {
    return pipeline_->html();
}

void SystemPage::showPartitions(std::vector<PartitionLag> partitions) {
    partitions_box_->setVisible(!partitions.empty());
    std::stable_sort(partitions.begin(), partitions.end(),
                     [](const PartitionLag& a, const PartitionLag& b) {
                         if (a.lag != b.lag) {
                             return a.lag > b.lag;
                         }
                         return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
                     });
    partitions_->setRowCount(static_cast<int>(partitions.size()));
    const auto offset = [](std::int64_t value) {
        return value < 0 ? QStringLiteral("—") : groupedInt(static_cast<long long>(value));
    };
    for (int r = 0; r < partitions_->rowCount(); ++r) {
        const PartitionLag& p = partitions[static_cast<std::size_t>(r)];
        const QStringList cells{QString::fromStdString(p.topic),
                                QString::number(p.partition),
                                offset(p.position),
                                offset(p.high_watermark),
                                groupedInt(static_cast<long long>(p.lag)),
                                offset(p.committed)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = partitions_->item(r, c);
            if (item == nullptr) {
                item = new QTableWidgetItem;
                item->setTextAlignment((c == 0 ? Qt::AlignLeft : Qt::AlignRight) |
                                       Qt::AlignVCenter);
                partitions_->setItem(r, c, item);
            }
            item->setText(cells[c]);
        }
    }
}

void SystemPage::addThroughputSample(TimestampUs wall_time, double generated, double processed) {
    const TimestampUs second = wall_time - wall_time % kMicrosPerSecond;
    generated_.setClosed(second, generated);
    processed_.setClosed(second, processed);
}

void SystemPage::showData(const PageContext& context) {
    // One name for either source: a chart line is keyed by its name, and a renamed one would
    // leave the previous run's line behind.
    throughput_->setLines(
        {{tr("From the source (generator or Kafka)"), seriesColor(0), generated_.points()},
         {tr("Processed by the pipeline"), seriesColor(1), processed_.points()}});
    // The figures below change with every snapshot, and each new text lays the page's rich-text
    // blocks out again (the UI thread's largest cost on this page at 200K events/s): they
    // follow the tables' pace (twice a second, and at once when the page is shown).
    if (!context.refresh_tables) {
        return;
    }

    const SnapshotPtr& snapshot = context.snapshot;
    const PipelineFigures figures = snapshot ? snapshot->figures : PipelineFigures{};
    for (int job = 0; job < kJobCount; ++job) {
        const JobFigures& f = figures.jobs[static_cast<std::size_t>(job)];
        // After Stop the final flush leaves the watermark at the end of time: no time to show.
        const bool has_watermark = isRealWatermark(f.watermark);
        const bool has_max = isRealWatermark(figures.max_event_time);
        const QStringList cells{
            groupedInt(static_cast<long long>(f.received)),
            groupedInt(static_cast<long long>(f.rejected)),
            // Events a resumed Kafka consumer read again that an earlier run had already counted.
            f.replayed == 0 ? groupedInt(static_cast<long long>(f.late))
                            : tr("%1 (+%2 replayed)")
                                  .arg(groupedInt(static_cast<long long>(f.late)),
                                       groupedInt(static_cast<long long>(f.replayed))),
            groupedInt(static_cast<long long>(f.emitted_rows)),
            groupedInt(static_cast<long long>(f.windows_closed)),
            groupedInt(static_cast<long long>(f.open_windows)), watermarkText(f.watermark),
            has_watermark && has_max
                ? tr("%1 s").arg(decimalText(
                      static_cast<double>(figures.max_event_time - f.watermark) / 1e6, 1))
                : QStringLiteral("—")};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = jobs_->item(job, c);
            if (item == nullptr) {
                item = new QTableWidgetItem;
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                jobs_->setItem(job, c, item);
            }
            item->setText(cells[c]);
        }
    }

    QString pipeline = QStringLiteral("<table width='100%'>");
    pipeline += row(tr("State"),
                    processingStateText(context.state, context.queue, context.events_per_second));
    pipeline +=
        row(tr("Events processed / s"), groupedInt(std::llround(context.events_per_second)));
    pipeline += row(tr("Rows emitted / s"), groupedInt(std::llround(context.rows_per_second)));
    pipeline += row(tr("Events processed"), groupedInt(static_cast<long long>(figures.events)));
    pipeline += row(tr("Batches"), groupedInt(static_cast<long long>(figures.batches)));
    pipeline += row(tr("Input queue (batches)"),
                    tr("%1 of %2").arg(context.queue.first).arg(context.queue.second));
    pipeline += row(tr("Last engine call"),
                    tr("%1 ms").arg(decimalText(figures.last_batch_latency_us / 1000.0, 1)));
    pipeline += row(tr("Longest engine call"),
                    tr("%1 ms").arg(decimalText(figures.max_batch_latency_us / 1000.0, 1)));
    pipeline += row(tr("Workers"), QString::number(context.config.workers));
    pipeline +=
        row(tr("Open cart sessions"), groupedInt(static_cast<long long>(figures.open_sessions)));
    {
        // The open dictionaries of other producers' ids and names (docs/dictionaries.md).
        const IdTable& users = IdDictionary::users().interned();
        const IdTable& products = IdDictionary::products().interned();
        const InternTable& names = productNames();
        pipeline += row(tr("Ids and names interned"),
                        tr("%1 users, %2 products, %3 names (%4 MiB)")
                            .arg(groupedInt(users.size()))
                            .arg(groupedInt(products.size()))
                            .arg(groupedInt(names.size()))
                            .arg(decimalText(static_cast<double>(users.bytes() + products.bytes() +
                                                                 names.bytes()) /
                                                 (1024.0 * 1024.0),
                                             1)));
        pipeline += row(tr("Refused, dictionary full"),
                        groupedInt(static_cast<long long>(users.refused() + products.refused() +
                                                          names.refused())));
        if (context.products != nullptr) {
            pipeline += row(
                tr("Products outside the catalog"),
                tr("%1 (%2 of unknown stock)")
                    .arg(
                        groupedInt(static_cast<long long>(context.products->outsideCatalogCount())))
                    .arg(
                        groupedInt(static_cast<long long>(context.products->stockUnknownCount()))));
        }
        pipeline += row(tr("Product renames and reprices"),
                        groupedInt(static_cast<long long>(figures.product_attribute_changes)));
    }
    pipeline += row(tr("Snapshot"),
                    snapshot ? tr("#%1").arg(groupedInt(static_cast<long long>(snapshot->number)))
                             : tr("none yet"));
    pipeline += QStringLiteral("</table>");
    pipeline_->setHtml(pipeline);

    QString generator = QStringLiteral("<table width='100%'>");
    if (context.generator) {
        const GeneratorStatus& g = *context.generator;
        generator += row(tr("Target rate"), rateText(g.rate));
        // What is simulated is said as it is: a thinned shop is not the one asked for.
        // Thinned at the rate asked: event time is only catching up, nothing is limited.
        generator += row(tr("Simulated rate"),
                         g.thinned && g.simulated_rate < g.rate
                             ? tr("<span style='color:#e53935'>%1 of the %2 asked — this "
                                  "machine's limit, the shop is thinned</span>")
                                   .arg(rateText(g.simulated_rate), rateText(g.rate))
                             : tr("as asked"));
        generator +=
            row(tr("Generated / s"), groupedInt(std::llround(context.generated_per_second)));
        generator +=
            row(tr("Events generated"), groupedInt(static_cast<long long>(g.stats.events)));
        generator += row(tr("Simulated time"), utcDateTime(g.sim_time));
        generator += row(tr("Acceleration"), tr("×%1").arg(decimalText(g.acceleration, 1)));
        // Judged over the last seconds (GeneratorPace): a gap left by a past stall that no
        // longer grows is not "cannot keep up".
        QString behind = tr("on time");
        static_assert(ShopThinning::kFallenBehindSeconds == GeneratorPace::kOnTimeSeconds,
                      "the shop is thinned when this page says the machine cannot keep up");
        if (g.thinned) {
            // Events short of the rate still grow, but event time is catching up.
            if (g.behind_seconds >= GeneratorPace::kOnTimeSeconds) {
                behind = tr("%1 s (catching up, the shop is thinned)")
                             .arg(decimalText(g.behind_seconds, 1));
            }
        } else if (context.pace == GeneratorPace::Verdict::FallingBehind) {
            behind = tr("<span style='color:#e53935'>%1 s — this machine cannot keep up</span>")
                         .arg(decimalText(g.behind_seconds, 1));
        } else if (context.pace == GeneratorPace::Verdict::Steady &&
                   g.behind_seconds >= GeneratorPace::kOnTimeSeconds) {
            behind = tr("%1 s (keeping pace again)").arg(decimalText(g.behind_seconds, 1));
        }
        generator += row(tr("Behind the clock"), behind);
        generator += row(tr("Events short of the rate"),
                         groupedInt(static_cast<long long>(g.missed_events)));
        generator += row(tr("Active visits"), groupedInt(static_cast<long long>(g.active_visits)));
        generator +=
            row(tr("Planted anomalies"), groupedInt(static_cast<long long>(g.stats.anomalies())));
    } else if (!context.services.kafka_lag.empty() || context.services.kafka_in) {
        generator += row(tr("State"), tr("not used: events come from Kafka"));
    } else {
        generator += row(tr("State"), tr("not running"));
    }
    generator += QStringLiteral("</table>");
    generator_->setHtml(generator);

    QString storage;
    const DesktopSession::Services& services = context.services;
    if (services.writer) {
        const WriterStatus& w = *services.writer;
        const bool healthy = w.state == WriterState::Connected;
        storage +=
            tr("<p><b>PostgreSQL:</b> %1 — %2</p>")
                .arg(QString::fromStdString(services.database).toHtmlEscaped(),
                     healthy
                         ? QString::fromStdString(std::string(writerStateName(w.state)))
                         : QStringLiteral("<span style='color:#e53935'>%1</span>")
                               .arg(QString::fromStdString(std::string(writerStateName(w.state)))));
        storage += QStringLiteral("<table>");
        storage += row(tr("Rows written / s"), groupedInt(std::llround(w.rows_per_second)));
        storage += row(tr("Rows written"), groupedInt(static_cast<long long>(w.rows_written)));
        storage += row(tr("Buffered"), tr("%1 rows (%2% of the buffer)")
                                           .arg(groupedInt(static_cast<long long>(w.buffered_rows)))
                                           .arg(decimalText(w.buffer_fill_pct, 1)));
        if (w.rows_failed > 0) {
            storage +=
                row(tr("Refused by the server"), groupedInt(static_cast<long long>(w.rows_failed)));
        }
        if (!w.last_error.empty() && !healthy) {
            storage += row(tr("Last error"), QString::fromStdString(w.last_error).toHtmlEscaped());
        }
        storage += QStringLiteral("</table>");
    } else if (context.state == RunState::Idle) {
        storage += tr("<p><b>PostgreSQL:</b> not running.</p>");
    } else {
        storage += tr("<p><b>PostgreSQL:</b> not in use — rows are kept in memory only (see the "
                      "status bar for why).</p>");
    }
    if (services.kafka_in) {
        const KafkaSourceStatus& k = *services.kafka_in;
        long long lag = 0;
        for (const PartitionLag& partition : services.kafka_lag) {
            lag += std::max<long long>(partition.lag, 0);
        }
        storage += tr("<p><b>Kafka source:</b> %1 — %2 messages, %3 accepted, %4 duplicates, %5 "
                      "rejected, lag %6 over %7 partitions%8</p>")
                       .arg(QString::fromStdString(services.kafka_brokers).toHtmlEscaped())
                       .arg(groupedInt(static_cast<long long>(k.messages)))
                       .arg(groupedInt(static_cast<long long>(k.accepted)))
                       .arg(groupedInt(static_cast<long long>(k.duplicates)))
                       .arg(groupedInt(static_cast<long long>(k.dead_letters)))
                       .arg(groupedInt(lag))
                       .arg(services.kafka_lag.size())
                       .arg(k.held     ? tr(" (held: the run is paused)")
                            : k.paused ? tr(" (paused: the pipeline is behind)")
                                       : QString());
    }
    showPartitions(services.kafka_lag);
    if (services.kafka_out) {
        const DeliveryStatus& d = *services.kafka_out;
        storage += tr("<p><b>Kafka publishing:</b> %1 — %2 delivered, %3 failed, %4 in flight</p>")
                       .arg(QString::fromStdString(services.kafka_brokers).toHtmlEscaped())
                       .arg(groupedInt(static_cast<long long>(d.delivered)))
                       .arg(groupedInt(static_cast<long long>(d.failed)))
                       .arg(groupedInt(static_cast<long long>(d.in_flight)));
    }
    if (!services.kafka_in && !services.kafka_out) {
        storage += tr("<p><b>Kafka:</b> not in use — events come from the built-in generator "
                      "(start with --publish or --source kafka).</p>");
    }
    if (context.options.webhook_status) {
        storage +=
            tr("<p><b>Alert webhook:</b> %1</p>")
                .arg(QString::fromStdString(context.options.webhook_status()).toHtmlEscaped());
    }
    storage += tr("<p><b>Resident memory:</b> %1</p>").arg(bytesText(residentBytes()));
    storage_->setHtml(storage);
}

} // namespace gm
