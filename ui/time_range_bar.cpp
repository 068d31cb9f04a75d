// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/time_range_bar.h"

#include "models/human_format.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimeZone>

namespace gm {
namespace {

// A comparison following a live range reloads its history at most this often.
constexpr qint64 kCompareReloadMs = 5000;

QDateTime utc(TimestampUs time) {
    return QDateTime::fromMSecsSinceEpoch(toMillis(time), QTimeZone::utc());
}

TimestampUs fromUtc(const QDateTime& time) {
    return time.toMSecsSinceEpoch() * 1000;
}

QString spanText(const TimeSpan& span) {
    const auto text = [](TimestampUs time) {
        return utc(time).toString(QStringLiteral("MM-dd HH:mm"));
    };
    return QStringLiteral("%1 – %2 UTC").arg(text(span.from), text(span.to));
}

} // namespace

TimeRangeBar::TimeRangeBar(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Time range:"), this));
    preset_ = new QComboBox(this);
    preset_->setObjectName(QStringLiteral("timeRangePreset"));
    for (int i = 0; i < kRangePresetCount; ++i) {
        preset_->addItem(rangePresetName(static_cast<RangePreset>(i)), i);
    }
    preset_->setToolTip(tr("Live shows what is in memory and follows the newest data. The "
                           "“last …” ranges load older windows from PostgreSQL and follow the "
                           "newest data too; Custom shows a fixed from–to (UTC)."));
    row->addWidget(preset_);
    from_ = new QDateTimeEdit(this);
    to_ = new QDateTimeEdit(this);
    for (QDateTimeEdit* edit : {from_, to_}) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
        row->addWidget(edit);
    }
    from_->setObjectName(QStringLiteral("timeRangeFrom"));
    to_->setObjectName(QStringLiteral("timeRangeTo"));
    apply_ = new QPushButton(tr("Apply"), this);
    row->addWidget(apply_);
    compare_ = new QComboBox(this);
    compare_->setObjectName(QStringLiteral("comparePeriod"));
    for (int i = 0; i < kComparePeriodCount; ++i) {
        compare_->addItem(comparePeriodName(static_cast<ComparePeriod>(i)), i);
    }
    compare_->setToolTip(tr("Draws the same metric for the previous period as a dashed line "
                            "under each line; hovering shows the difference."));
    row->addWidget(compare_);
    busy_ = new QProgressBar(this);
    busy_->setRange(0, 0); // busy: a load's size is unknown until it returns
    busy_->setFixedWidth(70);
    busy_->setTextVisible(false);
    busy_->hide();
    row->addWidget(busy_);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("timeRangeStatus"));
    status_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    row->addWidget(status_, 1);
    showCustomEditors(false);

    connect(preset_, &QComboBox::activated, this, [this](int index) {
        const auto preset = static_cast<RangePreset>(preset_->itemData(index).toInt());
        if (preset == RangePreset::Custom) {
            // Start from what is shown, so Custom is a small edit away from it.
            const TimestampUs end = anchor_ > 0 ? anchor_ : wallClockNow();
            const TimeSpan shown =
                view_.span().value_or(TimeSpan{end - 60 * kMicrosPerMinute, end});
            from_->setDateTime(utc(shown.from));
            to_->setDateTime(utc(shown.to));
            showCustomEditors(true);
            return;
        }
        setRange({preset, {}});
    });
    connect(apply_, &QPushButton::clicked, this, [this] {
        TimeSpan span{fromUtc(from_->dateTime()), fromUtc(to_->dateTime())};
        if (span.to <= span.from) {
            status_->setText(tr("The custom range must end after it starts."));
            return;
        }
        setRange({RangePreset::Custom, span});
    });
    connect(compare_, &QComboBox::activated, this, [this](int index) {
        setCompare(static_cast<ComparePeriod>(compare_->itemData(index).toInt()));
    });
    connect(&loader_, &HistoryLoader::started, this, [this] {
        busy_->show();
        updateStatus();
    });
    connect(&loader_, &HistoryLoader::loaded, this, &TimeRangeBar::onLoaded);
    clock_.start();
    updateStatus();
}

void TimeRangeBar::showCustomEditors(bool show) {
    from_->setVisible(show);
    to_->setVisible(show);
    apply_->setVisible(show);
}

void TimeRangeBar::setDatabase(HistoryLoader::Conninfo conninfo, const QString& why_none) {
    loader_.setDatabase(std::move(conninfo));
    why_no_database_ = why_none;
    reload();
}

void TimeRangeBar::setRange(const TimeRange& range) {
    range_ = range;
    preset_->setCurrentIndex(static_cast<int>(range.preset));
    showCustomEditors(range.preset == RangePreset::Custom);
    if (range.preset == RangePreset::Custom) {
        from_->setDateTime(utc(range.custom.from));
        to_->setDateTime(utc(range.custom.to));
    }
    reload();
}

void TimeRangeBar::setCompare(ComparePeriod period) {
    view_.setCompare(period);
    compare_->setCurrentIndex(static_cast<int>(period));
    reload();
}

TimestampUs TimeRangeBar::followedEnd() const {
    // The end of the newest event's minute: that (open) window is inside, and the span moves
    // once a minute rather than with every event, so a long range is not redrawn for nothing.
    return (anchor_ / kMicrosPerMinute + 1) * kMicrosPerMinute;
}

void TimeRangeBar::setTables(unsigned tables) {
    if (tables == tables_) {
        return;
    }
    tables_ = tables;
    if (range_.preset != RangePreset::Live || view_.compare() != ComparePeriod::None) {
        reload();
    }
}

void TimeRangeBar::updateSpan() {
    if (range_.preset == RangePreset::Custom) {
        view_.setSpan(range_.custom);
    } else if (range_.preset == RangePreset::Live || anchor_ == 0) {
        view_.setSpan(std::nullopt);
    } else {
        view_.setSpan(range_.resolve(followedEnd()));
    }
}

void TimeRangeBar::reload() {
    updateSpan();
    loaded_text_.clear();
    const bool wants_history = range_.preset != RangePreset::Live;
    const bool wants_previous = view_.compare() != ComparePeriod::None;
    if (!wants_history && !wants_previous) {
        view_.setStored(nullptr);
        view_.setStoredRows(nullptr);
        previous_loaded_to_ = 0;
        updateStatus();
        emit changed();
        return;
    }
    if (!loader_.hasDatabase()) {
        // Everything memory holds, cut to the range: nothing to load.
        view_.setStored(nullptr);
        view_.setStoredRows(nullptr);
        updateStatus();
        emit changed();
        return;
    }
    HistoryLoader::Request request;
    // Live tables show what memory holds: stored rows only for a range.
    request.tables = wants_history ? tables_ : (tables_ & ~unsigned{kStoredRowsAll});
    if (!wants_history) {
        view_.setStoredRows(nullptr);
    }
    const TimestampUs end = followedEnd();
    if (range_.preset == RangePreset::Custom) {
        request.span = range_.custom;
    } else if (range_.preset == RangePreset::Live) {
        // Live with a comparison: only the previous period comes from the database; the span
        // is what memory holds, at most the series' capacity.
        request.span = TimeSpan{end - 4 * 60 * kMicrosPerMinute, end};
        if (anchor_ == 0) {
            request.span.reset();
            request.length = 4 * 60 * kMicrosPerMinute;
        }
    } else if (anchor_ > 0) {
        request.span = range_.resolve(end);
    } else {
        request.length = range_.length();
    }
    if (wants_previous) {
        // Loaded a little past the right edge, so a following range needs fewer reloads.
        const TimestampUs shift = compareShift(view_.compare());
        const TimeSpan base = request.span.value_or(TimeSpan{0, 0});
        if (request.span) {
            request.previous = TimeSpan{base.from - shift, base.to - shift + 10 * kMicrosPerMinute};
        }
    }
    last_reload_ms_ = clock_.elapsed();
    loader_.load(request);
    updateStatus();
}

void TimeRangeBar::onLoaded() {
    busy_->hide();
    const auto result = loader_.result();
    if (!result) {
        return;
    }
    if (!result->current.error.empty()) {
        view_.setStored(nullptr);
        view_.setStoredRows(nullptr);
        loaded_text_ = tr("History not loaded: %1 — showing what is in memory")
                           .arg(QString::fromStdString(result->current.error));
        updateStatus();
        emit changed();
        return;
    }
    if (result->stored_end) {
        anchor_ = std::max(anchor_, *result->stored_end - 1);
        if (view_.compare() != ComparePeriod::None && !result->previous && anchor_ > 0) {
            reload(); // now that the end is known, the previous period can be asked for
            return;
        }
    }
    // One set of stored points: the range and, for a comparison, the earlier period.
    auto stored = std::make_shared<StoredMinutes>(result->current);
    std::size_t previous_rows = 0;
    if (result->previous) {
        const StoredMinutes& before = *result->previous;
        previous_rows = before.revenue.size();
        const auto join = [](std::vector<StoredPoint>& into, const std::vector<StoredPoint>& add) {
            into.insert(into.end(), add.begin(), add.end());
            std::sort(into.begin(), into.end(), [](const StoredPoint& a, const StoredPoint& b) {
                return a.window_start < b.window_start;
            });
            into.erase(std::unique(into.begin(), into.end(),
                                   [](const StoredPoint& a, const StoredPoint& b) {
                                       return a.window_start == b.window_start;
                                   }),
                       into.end());
        };
        join(stored->revenue, before.revenue);
        join(stored->orders, before.orders);
        join(stored->avg_order, before.avg_order);
        join(stored->units_sold, before.units_sold);
        join(stored->cart_adds, before.cart_adds);
        join(stored->cart_checkouts, before.cart_checkouts);
        join(stored->abandonment_total, before.abandonment_total);
        if (stored->abandonment.size() < before.abandonment.size()) {
            stored->abandonment.resize(before.abandonment.size());
        }
        for (std::size_t i = 0; i < before.abandonment.size(); ++i) {
            join(stored->abandonment[i], before.abandonment[i]);
        }
        for (std::size_t i = 0; i < stored->anomalies.size(); ++i) {
            join(stored->anomalies[i], before.anomalies[i]);
        }
        previous_loaded_to_ = before.to;
        if (!before.error.empty()) {
            loaded_text_ =
                tr("Previous period not loaded: %1").arg(QString::fromStdString(before.error));
        }
    }
    view_.setStored(stored);
    view_.setStoredRows(result->rows);
    updateSpan();
    if (loaded_text_.isEmpty()) {
        QStringList parts;
        if ((tables_ & kStoredAll) != 0) {
            QString minutes =
                tr("%1 stored minutes")
                    .arg(groupedInt(static_cast<long long>(result->current.revenue.size())));
            if (result->previous) {
                minutes +=
                    tr(" (+%1 earlier)").arg(groupedInt(static_cast<long long>(previous_rows)));
            }
            parts << minutes;
        }
        if (const auto& rows = result->rows) {
            QString table_rows =
                tr("%1 table rows").arg(groupedInt(static_cast<long long>(rows->loadedRows())));
            if (rows->anyCut()) {
                table_rows += tr(" (the newest %1 per table)")
                                  .arg(groupedInt(static_cast<long long>(kStoredRowLimit)));
            }
            parts << table_rows;
        }
        // Nothing asked for: a page without charts (Alerts) under Live with a comparison.
        loaded_text_ = parts.isEmpty() ? tr("Nothing stored to load for this page (%1 ms)")
                                             .arg(std::llround(result->took_ms))
                                       : tr("%1 in %2 ms")
                                             .arg(parts.join(QStringLiteral(", ")))
                                             .arg(std::llround(result->took_ms));
    }
    updateStatus();
    emit changed();
}

void TimeRangeBar::follow(TimestampUs newest_event_time) {
    if (newest_event_time <= anchor_) {
        return;
    }
    const bool first = anchor_ == 0;
    anchor_ = newest_event_time;
    updateSpan();
    if (first && (range_.preset != RangePreset::Live || view_.compare() != ComparePeriod::None)) {
        reload(); // the first data fixes where a following range ends
        return;
    }
    // A comparison needs the previous period up to the moving right edge: reload it now and
    // then, not on every tick.
    if (view_.compare() != ComparePeriod::None && range_.preset != RangePreset::Custom &&
        loader_.hasDatabase() && !loader_.busy() &&
        anchor_ - compareShift(view_.compare()) >= previous_loaded_to_ &&
        clock_.elapsed() - last_reload_ms_ >= kCompareReloadMs) {
        reload();
    }
}

QString TimeRangeBar::statusText() const {
    return status_->text();
}

void TimeRangeBar::updateStatus() {
    QString text;
    if (loader_.busy()) {
        text = tr("Loading from PostgreSQL…");
    } else if (!loader_.hasDatabase() &&
               (range_.preset != RangePreset::Live || view_.compare() != ComparePeriod::None)) {
        text = why_no_database_.isEmpty()
                   ? tr("No database: only what is in memory (the last few hours of this run)")
                   : why_no_database_;
    } else if (!loaded_text_.isEmpty()) {
        text = loaded_text_;
    } else if (range_.preset == RangePreset::Live) {
        text = tr("Following the newest data in memory");
    }
    if (const auto& span = view_.span(); span && !loader_.busy()) {
        text = spanText(*span) + QStringLiteral(" · ") + text;
    }
    status_->setText(text);
    status_->setToolTip(text);
}

} // namespace gm
