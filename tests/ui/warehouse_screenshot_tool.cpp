// SPDX-License-Identifier: GPL-3.0-or-later
// Screenshots of the Warehouse page on a synthetic shop (600 customers, 40 products, five months
// of orders, made with SQL in a scratch database on the PG* server tests/run.sh or any other
// server provides), light and dark, at 1024x700:
//   PGHOST=... QT_QPA_PLATFORM=offscreen build/dev/tests/ui/ui_warehouse_screenshot_tool
//   docs/screenshots
#include "../warehouse/warehouse_test_support.h"
#include "ui/desktop_session.h"
#include "ui/heat_grid_chart.h"
#include "ui/main_window.h"
#include "ui/warehouse_page.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>

namespace {

void wait(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Deterministic (setseed) raw events: customers start ordering on a random day and come back a
// skewed number of times, so there are cohorts, segments and trends to show.
constexpr const char* kShop = R"SQL(
SELECT setseed(0.42);
CREATE TEMP TABLE prods AS
SELECT i, 'PROD_' || lpad(i::text, 8, '0') AS product_id,
       (ARRAY['Aurora', 'Breeze', 'Cobalt', 'Drift', 'Ember'])[1 + i % 5] || ' ' ||
       (ARRAY['Phone', 'Laptop', 'Pan', 'Novel', 'Hoodie', 'Serum', 'Puzzle', 'Lamp'])[1 + i % 8]
           AS name,
       (ARRAY['Smartphones', 'Laptops', 'Cookware', 'Fiction Books', 'Sportswear', 'Skincare',
              'Board Games', 'Lighting'])[1 + i % 8] AS category,
       round((5 + random() * 495)::numeric, 2) AS price
FROM generate_series(1, 40) i;
INSERT INTO product_view_events (event_id, event_type, "timestamp", user_id, session_id, country,
                                 product_id, product_name, category, price, view_duration,
                                 from_search)
SELECT gen_random_uuid(), 'view', timestamptz '2026-10-01 00:00+00' + random() * interval '160.95 days',
       'USER_' || lpad((1 + floor(random() * 600))::text, 8, '0'), gen_random_uuid(),
       (ARRAY['USA', 'UK', 'Germany', 'France', 'Japan'])[1 + floor(random() * 5)::int],
       p.product_id, p.name, p.category, p.price, 30, false
FROM prods p, generate_series(1, 1200 - 20 * p.i);
INSERT INTO cart_events (event_id, event_type, "timestamp", user_id, session_id, country,
                         product_id, product_name, category, price, quantity, cart_size,
                         cart_value)
SELECT gen_random_uuid(), 'add_to_cart',
       timestamptz '2026-10-01 00:00+00' + random() * interval '160.95 days',
       'USER_' || lpad((1 + floor(random() * 600))::text, 8, '0'), gen_random_uuid(), 'USA',
       p.product_id, p.name, p.category, p.price, 1, 1, p.price
FROM prods p, generate_series(1, 30);
CREATE TEMP TABLE o AS
SELECT gen_random_uuid() AS id, 'USER_' || lpad(u::text, 8, '0') AS user_id,
       (ARRAY['USA', 'UK', 'Germany', 'France', 'Japan'])[1 + u % 5] AS country,
       timestamptz '2026-10-01 00:00+00' + (s + random() * (160.95 - s)) * interval '1 day' AS ts
FROM (SELECT u, floor(random() * 150) AS s, 1 + floor(power(random(), 2) * 12)::int AS k
      FROM generate_series(1, 600) u) users, LATERAL generate_series(1, k) j;
CREATE TEMP TABLE l AS
SELECT o.id, p.product_id, 1 + floor(random() * 3)::int AS q, p.price
FROM o, LATERAL (SELECT product_id, price FROM prods
                 ORDER BY random() * (1 + i / 8.0) + 0 * extract(epoch FROM o.ts)
                 LIMIT 1 + floor(random() * 2)::int) p;
INSERT INTO transactions (transaction_id, user_id, "timestamp", total_amount, payment_method,
                          country)
SELECT o.id, o.user_id, o.ts, (SELECT sum(q * price) FROM l WHERE l.id = o.id), 'Credit Card',
       o.country FROM o;
INSERT INTO transaction_items (transaction_id, product_id, quantity, unit_price)
SELECT id, product_id, q, price FROM l;
)SQL";

bool save(QWidget& window, const QString& path) {
    const QPixmap shot = window.grab();
    const bool ok = shot.save(path);
    std::printf("%s %s (%dx%d)\n", ok ? "saved" : "FAILED", qPrintable(path), shot.width(),
                shot.height());
    return ok;
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartScreenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(out);
    if (qEnvironmentVariableIsEmpty("PGHOST")) {
        std::fprintf(stderr, "ui_warehouse_screenshot_tool: set PGHOST (and PGPORT, PGUSER) to a "
                             "PostgreSQL server\n");
        return 2;
    }
    gm::test::ScratchDatabase db;
    gm::test::migrateRealtime(db.conninfo());
    {
        pqxx::connection connection(db.conninfo());
        pqxx::nontransaction txn(connection);
        txn.exec("SET TimeZone TO 'UTC'");
        txn.exec(kShop);
    }
    for (const char* date : {"2027-03-08", "2027-03-09", "2027-03-10"}) {
        const auto report = gm::test::runWarehouse(db.conninfo(), date);
        if (!report.ok()) {
            std::fprintf(stderr, "batch failed: %s\n", gm::test::failureText(report).c_str());
            return 1;
        }
    }

    // The window finds the database as the app does: here through PG* (PGDATABASE).
    qputenv("PGDATABASE", QByteArray::fromStdString(db.name()));
    gm::RunOptions options;
    gm::DesktopSession session(options);
    gm::MainWindow window(session);
    window.resize(1024, 700);
    window.setTheme(gm::ThemeChoice::Light);
    window.show();
    window.showPage(gm::MainWindow::Warehouse);
    window.refreshNow();
    auto* page = static_cast<gm::WarehousePage*>(window.page(gm::MainWindow::Warehouse));
    for (int i = 0; i < 300 && (page->loadsCompleted() == 0 || page->loading()); ++i) {
        wait(100);
    }
    if (!page->loadError().isEmpty()) {
        std::fprintf(stderr, "page: %s\n", qPrintable(page->loadError()));
        return 1;
    }
    auto* tabs = page->findChild<QTabWidget*>();
    bool ok = true;
    for (const auto theme : {gm::ThemeChoice::Light, gm::ThemeChoice::Dark}) {
        window.setTheme(theme);
        const QString suffix =
            theme == gm::ThemeChoice::Light ? QStringLiteral("light") : QStringLiteral("dark");
        tabs->setCurrentIndex(0);
        wait(400);
        ok = save(window, QDir(out).filePath("warehouse-" + suffix + ".png")) && ok;
        tabs->setCurrentIndex(1);
        wait(200);
        page->heatMap()->update();
        QTest::mouseClick(page->heatMap()->chartView()->viewport(), Qt::LeftButton, {},
                          page->heatMap()->cellCenter(4, 0));
        wait(800);
        ok = save(window, QDir(out).filePath("warehouse-customers-" + suffix + ".png")) && ok;
        tabs->setCurrentIndex(2);
        wait(400);
        ok = save(window, QDir(out).filePath("warehouse-cohorts-" + suffix + ".png")) && ok;
    }
    return ok ? 0 : 1;
}
