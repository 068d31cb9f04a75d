// SPDX-License-Identifier: GPL-3.0-or-later
// The real globalmart with --initial-stock and --http: /metrics has the dictionaries' entries,
// bytes and refusals and the products outside the catalog, counted exactly (the file names one
// product beyond the 50-product catalog's numbering and one spelled outside it, both with stock;
// the simulator names only catalog products), and promtool accepts the page.
#include "headless_http.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace {

QByteArray getMetrics(QNetworkAccessManager& manager, const QString& url) {
    QNetworkReply* reply = manager.get(QNetworkRequest{QUrl(url)});
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

// The value of the sample line starting with `series ` (name and labels as written).
double sample(const QByteArray& metrics, const QByteArray& series) {
    for (const QByteArray& line : metrics.split('\n')) {
        if (line.startsWith(series + ' ')) {
            return line.mid(series.size() + 1).toDouble();
        }
    }
    return -1;
}

} // namespace

class ShopMetricsTest : public QObject {
    Q_OBJECT

private slots:
    void dictionariesAndOutsideProductsAreExported() {
        QTemporaryDir directory;
        const QString stock_file = directory.filePath("stock.csv");
        QFile stock(stock_file);
        QVERIFY(stock.open(QIODevice::WriteOnly));
        stock.write("product_id,stock\nPROD_00000001,500\nPROD_00000099,40\nPROD_90000001,7\n");
        stock.close();

        QProcess app;
        QByteArray out;
        const QString address = gm::test::startServing(
            app,
            {"--headless", "--no-db", "--rate", "2000", "--accelerate", "60", "--duration", "8",
             "--users", "500", "--products", "50", "--http", "0", "--initial-stock", stock_file},
            out);
        QVERIFY2(!address.isEmpty(), out.constData());
        const QString base = "http://" + address;

        QNetworkAccessManager manager;
        QByteArray metrics;
        QTRY_VERIFY_WITH_TIMEOUT(
            (metrics = getMetrics(manager, base + "/metrics")).contains("globalmart_run_active 1"),
            10'000);
        // One product id interned (PROD_90000001); the catalog's numbering is not.
        QCOMPARE(sample(metrics, "globalmart_dictionary_entries{dictionary=\"products\"}"), 1.0);
        QVERIFY(sample(metrics, "globalmart_dictionary_entries{dictionary=\"users\"}") == 0);
        QVERIFY(sample(metrics, "globalmart_dictionary_bytes{dictionary=\"products\"}") > 0);
        QVERIFY(sample(metrics, "globalmart_dictionary_bytes{dictionary=\"names\"}") >= 0);
        QCOMPARE(
            sample(metrics, "globalmart_dictionary_full_rejections_total{dictionary=\"names\"}"),
            0.0);
        // PROD_00000099 (beyond 50) and PROD_90000001; both have stock from the file.
        QCOMPARE(sample(metrics, "globalmart_products_outside_catalog"), 2.0);
        QCOMPARE(sample(metrics, "globalmart_products_stock_unknown"), 0.0);
        QVERIFY(sample(metrics, "globalmart_product_attribute_changes_total") >= 0);

        QProcess promtool;
        promtool.start(QStandardPaths::findExecutable("promtool"), {"check", "metrics"});
        QVERIFY2(promtool.waitForStarted(), "promtool (Debian package prometheus) is missing");
        promtool.write(metrics);
        promtool.closeWriteChannel();
        QVERIFY(promtool.waitForFinished(30'000));
        QVERIFY2(promtool.exitCode() == 0,
                 (promtool.readAllStandardOutput() + promtool.readAllStandardError()).constData());

        QVERIFY(app.waitForFinished(60'000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, (out + app.readAllStandardError()).constData());
    }
};

QTEST_GUILESS_MAIN(ShopMetricsTest)
#include "tst_shop_metrics.moc"
