// SPDX-License-Identifier: GPL-3.0-or-later
// Database and Kafka from the Settings dialog reach the next run; the command line wins.
#include "ui/desktop_session.h"

#include <QTest>

using namespace gm;

class TestSessionConnections : public QObject {
    Q_OBJECT

private slots:
    void settingsConfigureTheNextRun() {
        DesktopSession session(RunOptions{});
        session.setConnections("postgresql://analyst@db.example/shop", "kafka1:9092", "dev-");
        const RunOptions& next = session.options();
        QCOMPARE(next.database_url,
                 std::optional<std::string>("postgresql://analyst@db.example/shop"));
        QVERIFY(next.kafka.publish);
        QCOMPARE(next.kafka.brokers, std::string("kafka1:9092"));
        QCOMPARE(next.kafka.topics.transactions, std::string("dev-transactions"));
        QCOMPARE(next.kafka.topics.alerts, std::string("dev-alerts"));
    }

    void clearingTheSettingsTurnsThemOffAgain() {
        DesktopSession session(RunOptions{});
        session.setConnections("postgresql://analyst@db.example/shop", "kafka1:9092", "");
        session.setConnections("", "", "");
        QVERIFY(!session.options().database_url);
        QVERIFY(!session.options().kafka.publish);
        QVERIFY(session.options().kafka.brokers.empty());
        QCOMPARE(session.options().kafka.topics.transactions, std::string("transactions"));
    }

    void theCommandLineTakesPrecedence() {
        RunOptions given;
        given.database_url = "dbname=from_command_line";
        given.kafka.consume = true;
        given.kafka.brokers = "cli:9092";
        DesktopSession session(given);
        session.setConnections("postgresql://analyst@db.example/shop", "kafka1:9092", "dev-");
        QCOMPARE(session.options().database_url,
                 std::optional<std::string>("dbname=from_command_line"));
        QCOMPARE(session.options().kafka.brokers, std::string("cli:9092"));
        QVERIFY(!session.options().kafka.publish);
        QCOMPARE(session.options().kafka.topics.transactions, std::string("transactions"));
    }
};

QTEST_MAIN(TestSessionConnections)
#include "tst_session_connections.moc"
