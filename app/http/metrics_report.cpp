// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/metrics_report.h"

#include "app/http/process_figures.h"
#include "app/http/prometheus_text.h"
#include "app/http/webhook_notifier.h"
#include "app/version_info.h"
#include "generator/id_dictionary.h"
#include "generator/validation.h"
#include "pipeline/product_table.h"
#include "pipeline/runtime/runtime.h"

#include <cstdio>

namespace gm {
namespace {

constexpr double kMicros = 1e6;

std::string job(int index) {
    return std::string(jobName(static_cast<JobId>(index)));
}

// One family with a sample per job.
template <typename Value>
void perJob(PrometheusText& out, const PipelineFigures& figures, std::string_view name,
            std::string_view type, std::string_view help, Value value) {
    out.family(name, type, help);
    for (int i = 0; i < kJobCount; ++i) {
        out.sample(name, {{"job", job(i)}},
                   static_cast<double>(value(figures.jobs[static_cast<std::size_t>(i)])));
    }
}

std::string boundText(double bound) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", bound);
    return text;
}

void latencyHistogram(PrometheusText& out, const LatencyHistogramFigures& histogram) {
    constexpr std::string_view name = "globalmart_pipeline_event_snapshot_latency_seconds";
    out.family(name, "histogram",
               "Time from the pipeline taking an event batch from its source to the first "
               "published snapshot that includes it.");
    const std::string bucket = std::string(name) + "_bucket";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kSnapshotLatencyBounds.size(); ++i) {
        cumulative += histogram.buckets[i];
        out.sample(bucket, {{"le", boundText(kSnapshotLatencyBounds[i])}},
                   static_cast<double>(cumulative));
    }
    cumulative += histogram.buckets.back();
    out.sample(bucket, {{"le", "+Inf"}}, static_cast<double>(cumulative));
    out.sample(std::string(name) + "_sum", histogram.sum_seconds);
    // The count is the +Inf bucket's: the figures may be read between two increments.
    out.sample(std::string(name) + "_count", static_cast<double>(cumulative));
}

void pipelineMetrics(PrometheusText& out, Runtime& runtime) {
    const PipelineFigures figures = runtime.pipeline().counters().figures();
    out.family("globalmart_stream_events_total", "counter",
               "Events the pipeline received, by input stream.");
    const std::pair<const char*, JobId> streams[] = {{"transactions", JobId::Sales},
                                                     {"cart_events", JobId::Carts},
                                                     {"product_views", JobId::Views}};
    for (const auto& [stream, reader] : streams) {
        out.sample("globalmart_stream_events_total", {{"stream", stream}},
                   static_cast<double>(figures.jobs[static_cast<std::size_t>(reader)].received));
    }
    out.family("globalmart_pipeline_events_total", "counter", "Events processed by the pipeline.");
    out.sample("globalmart_pipeline_events_total", static_cast<double>(figures.events));
    out.family("globalmart_pipeline_batches_total", "counter", "Event batches processed.");
    out.sample("globalmart_pipeline_batches_total", static_cast<double>(figures.batches));
    out.family("globalmart_pipeline_rows_total", "counter", "Rows of every table emitted.");
    out.sample("globalmart_pipeline_rows_total", static_cast<double>(figures.rows));
    perJob(out, figures, "globalmart_job_events_received_total", "counter",
           "Events of the job's input streams.", [](const JobFigures& j) { return j.received; });
    perJob(out, figures, "globalmart_job_rows_total", "counter",
           "Rows of the job's tables emitted.", [](const JobFigures& j) { return j.emitted_rows; });
    perJob(out, figures, "globalmart_job_late_events_total", "counter",
           "Events dropped as late by at least one of the job's windows.",
           [](const JobFigures& j) { return j.late; });
    perJob(out, figures, "globalmart_job_replayed_events_total", "counter",
           "Events dropped as already written by the run this one resumed from.",
           [](const JobFigures& j) { return j.replayed; });
    perJob(out, figures, "globalmart_job_rejected_events_total", "counter",
           "Events the job rejected as invalid (unknown product, bad quantity, ...).",
           [](const JobFigures& j) { return j.rejected; });
    perJob(out, figures, "globalmart_job_windows_closed_total", "counter",
           "Distinct (table, window) pairs that produced rows.",
           [](const JobFigures& j) { return j.windows_closed; });
    perJob(out, figures, "globalmart_job_open_windows", "gauge",
           "Open windows and panes, summed over tables and workers.",
           [](const JobFigures& j) { return j.open_windows; });
    out.family("globalmart_job_watermark_lag_seconds", "gauge",
               "Newest event time seen minus the job's watermark (absent before both exist).");
    for (int i = 0; i < kJobCount; ++i) {
        const TimestampUs watermark = figures.jobs[static_cast<std::size_t>(i)].watermark;
        if (watermark != kNoWatermark && figures.max_event_time != kNoWatermark) {
            out.sample("globalmart_job_watermark_lag_seconds", {{"job", job(i)}},
                       static_cast<double>(figures.max_event_time - watermark) / kMicros);
        }
    }
    out.family("globalmart_alerts_raised_total", "counter", "Distinct alerts raised.");
    out.sample("globalmart_alerts_raised_total", static_cast<double>(figures.alerts_raised));
    out.family("globalmart_open_cart_sessions", "gauge",
               "Cart sessions awaiting abandonment or checkout.");
    out.sample("globalmart_open_cart_sessions", static_cast<double>(figures.open_sessions));
    out.family(
        "globalmart_pipeline_batch_latency_seconds", "gauge",
        "Processing time of the last engine call (a batch is worked through in calls of at most "
        "work_per_call events or expired sessions).");
    out.sample("globalmart_pipeline_batch_latency_seconds",
               static_cast<double>(figures.last_batch_latency_us) / kMicros);
    out.family("globalmart_pipeline_queue_batches", "gauge",
               "Event batches waiting for the pipeline.");
    out.sample("globalmart_pipeline_queue_batches", static_cast<double>(runtime.queuedBatches()));
    out.family("globalmart_pipeline_queue_capacity_batches", "gauge",
               "Capacity of the pipeline's input queue.");
    out.sample("globalmart_pipeline_queue_capacity_batches",
               static_cast<double>(runtime.queueCapacity()));
    latencyHistogram(out, figures.snapshot_latency);
}

// The open dictionaries of other producers' ids and names (docs/dictionaries.md): process-wide.
void dictionaryMetrics(PrometheusText& out, Runtime& runtime) {
    const IdTable& users = IdDictionary::users().interned();
    const IdTable& products = IdDictionary::products().interned();
    const InternTable& names = productNames();
    const std::pair<const char*, double> entries[] = {
        {"users", users.size()}, {"products", products.size()}, {"names", names.size()}};
    const std::pair<const char*, double> bytes[] = {
        {"users", static_cast<double>(users.bytes())},
        {"products", static_cast<double>(products.bytes())},
        {"names", static_cast<double>(names.bytes())}};
    const std::pair<const char*, double> refused[] = {
        {"users", static_cast<double>(users.refused())},
        {"products", static_cast<double>(products.refused())},
        {"names", static_cast<double>(names.refused())}};
    out.family("globalmart_dictionary_entries", "gauge",
               "Ids and names interned: user and product ids outside the catalog's numbering, "
               "product names as sent.");
    for (const auto& [dictionary, value] : entries) {
        out.sample("globalmart_dictionary_entries", {{"dictionary", dictionary}}, value);
    }
    out.family("globalmart_dictionary_bytes", "gauge",
               "Memory the dictionary holds (hash slots, texts or keys, directory).");
    for (const auto& [dictionary, value] : bytes) {
        out.sample("globalmart_dictionary_bytes", {{"dictionary", dictionary}}, value);
    }
    out.family("globalmart_dictionary_full_rejections_total", "counter",
               "New ids or names refused because the dictionary held its cap "
               "(dead-lettered as dictionary_full).");
    for (const auto& [dictionary, value] : refused) {
        out.sample("globalmart_dictionary_full_rejections_total", {{"dictionary", dictionary}},
                   value);
    }
    const std::shared_ptr<const ProductTable> table = runtime.products();
    const auto catalog_size = static_cast<std::uint32_t>(table ? table->size() : 0);
    out.family("globalmart_products_outside_catalog", "gauge",
               "Distinct product ids seen that are not in the generated catalog.");
    out.sample("globalmart_products_outside_catalog",
               static_cast<double>(IdDictionary::products().outsideCatalog(catalog_size)));
    out.family("globalmart_products_stock_unknown", "gauge",
               "Products outside the catalog with no initial stock (--initial-stock): no stock "
               "rows or low-stock alerts for them.");
    out.sample("globalmart_products_stock_unknown",
               static_cast<double>(table ? table->stockUnknownCount() : 0));
    out.family("globalmart_product_attribute_changes_total", "counter",
               "Product renames and reprices: a newer event's name, category or price differing "
               "from the held one.");
    out.sample("globalmart_product_attribute_changes_total",
               static_cast<double>(table && table->live ? table->live->changes() : 0));
}

void generatorMetrics(PrometheusText& out, Runtime& runtime) {
    GeneratorRunner* generator = runtime.generator();
    if (generator == nullptr) {
        return;
    }
    const GeneratorStatus status = generator->status();
    out.family("globalmart_generator_events_total", "counter",
               "Events the simulator generated, by kind.");
    const char* kinds[] = {"product_view", "cart", "transaction"};
    for (int i = 0; i < kEventKindCount; ++i) {
        out.sample("globalmart_generator_events_total", {{"kind", kinds[i]}},
                   static_cast<double>(status.stats.by_kind[static_cast<std::size_t>(i)]));
    }
    out.family("globalmart_generator_rate_events_per_second", "gauge",
               "Events per second the generator is asked for.");
    out.sample("globalmart_generator_rate_events_per_second", status.rate);
    out.family("globalmart_generator_simulated_rate_events_per_second", "gauge",
               "Events per second the simulated shop runs at: the rate asked, or less while it "
               "is thinned to what this machine delivers.");
    out.sample("globalmart_generator_simulated_rate_events_per_second", status.simulated_rate);
    out.family("globalmart_generator_thinned", "gauge",
               "1 while the simulated shop is thinned because this machine cannot deliver the "
               "rate asked.");
    out.sample("globalmart_generator_thinned", status.thinned ? 1 : 0);
    out.family("globalmart_generator_behind_seconds", "gauge",
               "How far event time trails the simulation clock, in real seconds.");
    out.sample("globalmart_generator_behind_seconds", status.behind_seconds);
    out.family("globalmart_generator_paused", "gauge", "1 while the generator is paused.");
    out.sample("globalmart_generator_paused", status.paused ? 1 : 0);
}

void writerMetrics(PrometheusText& out, const RuntimeServices::Database& database) {
    const WriterStatus& writer = database.writer;
    out.family("globalmart_writer_rows_written_total", "counter",
               "Rows committed to PostgreSQL, by table.");
    for (const auto& [table, rows] : writer.rows_by_table) {
        out.sample("globalmart_writer_rows_written_total", {{"table", table}},
                   static_cast<double>(rows));
    }
    out.family("globalmart_writer_rows_failed_total", "counter",
               "Rows PostgreSQL refused for their content.");
    out.sample("globalmart_writer_rows_failed_total", static_cast<double>(writer.rows_failed));
    out.family("globalmart_writer_rows_abandoned_total", "counter",
               "Rows neither written nor kept in the spill file.");
    out.sample("globalmart_writer_rows_abandoned_total",
               static_cast<double>(writer.rows_abandoned));
    out.family("globalmart_writer_retries_total", "counter", "Failed writes that were retried.");
    out.sample("globalmart_writer_retries_total", static_cast<double>(writer.retries));
    out.family("globalmart_writer_flushes_total", "counter", "Transactions committed.");
    out.sample("globalmart_writer_flushes_total", static_cast<double>(writer.flushes));
    out.family("globalmart_writer_rows_per_second", "gauge",
               "Rows committed per second over the last few seconds.");
    out.sample("globalmart_writer_rows_per_second", writer.rows_per_second);
    out.family("globalmart_writer_buffered_rows", "gauge",
               "Rows accepted and not yet committed (memory and spill file).");
    out.sample("globalmart_writer_buffered_rows", static_cast<double>(writer.buffered_rows));
    out.family("globalmart_writer_spilled_rows", "gauge", "Buffered rows in the spill file.");
    out.sample("globalmart_writer_spilled_rows", static_cast<double>(writer.spilled_rows));
    out.family("globalmart_writer_buffer_fill_ratio", "gauge",
               "Fill of the writer's memory buffer, 0 to 1.");
    out.sample("globalmart_writer_buffer_fill_ratio", writer.buffer_fill_pct / 100.0);
    out.family("globalmart_writer_state", "gauge", "1 for the writer's current state.");
    for (const WriterState state : {WriterState::Connecting, WriterState::Connected,
                                    WriterState::Retrying, WriterState::Stopped}) {
        out.sample("globalmart_writer_state", {{"state", std::string(writerStateName(state))}},
                   writer.state == state ? 1 : 0);
    }
}

void kafkaMetrics(PrometheusText& out, const RuntimeServices& services) {
    if (services.kafka_in) {
        const KafkaSourceStatus& in = *services.kafka_in;
        out.family("globalmart_kafka_messages_total", "counter", "Messages read from Kafka.");
        out.sample("globalmart_kafka_messages_total", static_cast<double>(in.messages));
        out.family("globalmart_kafka_duplicate_messages_total", "counter",
                   "Messages dropped as duplicates of an event already seen.");
        out.sample("globalmart_kafka_duplicate_messages_total", static_cast<double>(in.duplicates));
        out.family("globalmart_kafka_rejected_messages_total", "counter",
                   "Messages rejected as invalid, by reason.");
        for (int i = 0; i < kRejectReasonCount; ++i) {
            out.sample("globalmart_kafka_rejected_messages_total",
                       {{"reason", std::string(reasonName(static_cast<RejectReason>(i)))}},
                       static_cast<double>(in.rejected_by_reason[static_cast<std::size_t>(i)]));
        }
        out.family("globalmart_kafka_commits_total", "counter",
                   "Offset commits the broker acknowledged.");
        out.sample("globalmart_kafka_commits_total", static_cast<double>(in.commits));
        out.family("globalmart_kafka_commit_errors_total", "counter",
                   "Offset commits that failed.");
        out.sample("globalmart_kafka_commit_errors_total", static_cast<double>(in.commit_errors));
        out.family("globalmart_kafka_assigned_partitions", "gauge",
                   "Partitions assigned to this consumer.");
        out.sample("globalmart_kafka_assigned_partitions",
                   static_cast<double>(in.assigned_partitions));
        out.family("globalmart_kafka_consumer_lag_messages", "gauge",
                   "High watermark minus position, per assigned partition.");
        for (const PartitionLag& partition : services.kafka_lag) {
            out.sample(
                "globalmart_kafka_consumer_lag_messages",
                {{"topic", partition.topic}, {"partition", std::to_string(partition.partition)}},
                static_cast<double>(partition.lag));
        }
    }
    if (services.kafka_out) {
        const DeliveryStatus& out_status = *services.kafka_out;
        out.family("globalmart_kafka_delivered_messages_total", "counter",
                   "Messages the broker acknowledged.");
        out.sample("globalmart_kafka_delivered_messages_total",
                   static_cast<double>(out_status.delivered));
        out.family("globalmart_kafka_failed_messages_total", "counter",
                   "Messages that could not be delivered.");
        out.sample("globalmart_kafka_failed_messages_total",
                   static_cast<double>(out_status.failed));
        out.family("globalmart_kafka_in_flight_messages", "gauge",
                   "Messages queued and not yet delivered or failed.");
        out.sample("globalmart_kafka_in_flight_messages",
                   static_cast<double>(out_status.in_flight));
    }
}

void processMetrics(PrometheusText& out) {
    const auto process = readProcessFigures();
    if (!process) {
        return;
    }
    out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.sample("process_resident_memory_bytes", process->resident_bytes);
    out.family("process_cpu_seconds_total", "counter", "User and system CPU time in seconds.");
    out.sample("process_cpu_seconds_total", process->cpu_seconds);
    out.family("process_start_time_seconds", "gauge",
               "Start time of the process since the Unix epoch in seconds.");
    out.sample("process_start_time_seconds", process->start_time_seconds);
    out.family("process_open_fds", "gauge", "Open file descriptors.");
    out.sample("process_open_fds", process->open_fds);
}

void webhookMetrics(PrometheusText& out, const WebhookFigures& webhook) {
    out.family("globalmart_webhook_alerts_total", "counter",
               "New alerts offered to the webhook, by outcome (sent: answered 2xx; failed: "
               "given up after the last retry; dropped: the queue was full; abandoned: unsent "
               "when the run stopped).");
    const std::pair<const char*, std::uint64_t> outcomes[] = {{"sent", webhook.sent},
                                                              {"failed", webhook.failed},
                                                              {"dropped", webhook.dropped},
                                                              {"abandoned", webhook.abandoned}};
    for (const auto& [outcome, count] : outcomes) {
        out.sample("globalmart_webhook_alerts_total", {{"outcome", outcome}},
                   static_cast<double>(count));
    }
    out.family("globalmart_webhook_retries_total", "counter",
               "Webhook posts repeated after a failed attempt.");
    out.sample("globalmart_webhook_retries_total", static_cast<double>(webhook.retries));
    out.family("globalmart_webhook_queued_alerts", "gauge",
               "Alerts waiting for the webhook (or being posted).");
    out.sample("globalmart_webhook_queued_alerts", static_cast<double>(webhook.queued));
}

} // namespace

std::string metricsReport(Runtime* runtime, const HttpFigures& http,
                          const WebhookFigures* webhook) {
    PrometheusText out;
    out.family("globalmart_build_info", "gauge", "Version and commit of this build (always 1).");
    out.sample("globalmart_build_info", {{"version", buildVersion()}, {"commit", buildCommit()}},
               1);
    out.family("globalmart_run_active", "gauge", "1 while a run is going.");
    out.sample("globalmart_run_active", runtime != nullptr && !runtime->finished() ? 1 : 0);
    processMetrics(out);
    out.family("globalmart_http_responses_total", "counter",
               "Answers of the HTTP server, by status class.");
    const char* classes[] = {"2xx", "3xx", "4xx", "5xx"};
    for (std::size_t i = 0; i < http.responses.size(); ++i) {
        out.sample("globalmart_http_responses_total", {{"code", classes[i]}},
                   static_cast<double>(http.responses[i]));
    }
    out.family("globalmart_http_rate_limited_total", "counter",
               "Requests refused with 429 by the per-key rate limit.");
    out.sample("globalmart_http_rate_limited_total", static_cast<double>(http.rate_limited));
    if (webhook != nullptr) {
        webhookMetrics(out, *webhook);
    }
    if (runtime == nullptr) {
        return out.text();
    }
    Runtime& run = *runtime;
    pipelineMetrics(out, run);
    dictionaryMetrics(out, run);
    generatorMetrics(out, run);
    const RuntimeServices services = run.services();
    if (services.database) {
        writerMetrics(out, *services.database);
    }
    kafkaMetrics(out, services);
    out.family("globalmart_dead_letters_total", "counter",
               "Bad messages stored in rejected_events (Kafka source).");
    out.sample("globalmart_dead_letters_total", static_cast<double>(run.deadLetters()));
    return out.text();
}

} // namespace gm
