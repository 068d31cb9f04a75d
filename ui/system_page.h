// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/minute_series.h"
#include "ui/dashboard_page.h"

class QGroupBox;
class QTableWidget;

namespace gm {

class RichTextBlock;
class TimeChart;

// How the machinery is doing: events per second per stage, per-job counters and watermarks,
// late events, queue depth, generator lag, database and Kafka state, memory.
class SystemPage : public DashboardPage {
    Q_OBJECT
public:
    explicit SystemPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;
    // Called once a second by the window, visible or not, so the throughput chart has no gaps.
    void addThroughputSample(TimestampUs wall_time, double generated, double processed);
    // The consumer's partitions, most behind first (hidden when not consuming from Kafka).
    const QTableWidget& partitionTable() const { return *partitions_; }
    // Per-job counters and watermarks; the generator's and the pipeline's figures.
    const QTableWidget& jobTable() const { return *jobs_; }
    QString generatorText() const;
    QString pipelineText() const;
    QString storageText() const; // database, Kafka, alert webhook, memory
    // The three figure blocks, in that order (pipeline, generator, storage).
    QList<const RichTextBlock*> figureBlocks() const { return {pipeline_, generator_, storage_}; }

private:
    void showPartitions(std::vector<PartitionLag> partitions);

    TimeChart* throughput_;
    MinuteSeries generated_{300};
    MinuteSeries processed_{300};
    QTableWidget* jobs_;
    QGroupBox* partitions_box_;
    QTableWidget* partitions_;
    RichTextBlock* pipeline_;
    RichTextBlock* generator_;
    RichTextBlock* storage_;
};

// Resident memory of this process in bytes (0 where /proc is unavailable).
long long residentBytes();

} // namespace gm
