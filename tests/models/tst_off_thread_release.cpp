// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/off_thread_release.h"

#include <QtTest>
#include <atomic>
#include <thread>

using namespace gm;

namespace {

// Records the thread that destroys it.
struct Tracked {
    std::thread::id* destroyed_on;
    ~Tracked() { *destroyed_on = std::this_thread::get_id(); }
};

} // namespace

class TestOffThreadRelease : public QObject {
    Q_OBJECT

private slots:
    void theOnlyReferenceIsReleasedOnTheWorker() {
        std::thread::id destroyed_on;
        OffThreadReleaser releaser;
        releaser.release(std::make_shared<const Tracked>(&destroyed_on));
        releaser.waitForDone();
        QVERIFY(destroyed_on != std::thread::id());
        QVERIFY(destroyed_on != std::this_thread::get_id());
    }

    void aSharedObjectStaysWithItsOtherHolder() {
        std::thread::id destroyed_on;
        auto held = std::make_shared<const Tracked>(&destroyed_on);
        OffThreadReleaser releaser;
        releaser.release(held);
        releaser.waitForDone();
        QVERIFY(destroyed_on == std::thread::id()); // still alive
        held.reset();
        QVERIFY(destroyed_on == std::this_thread::get_id());
    }

    void pendingReleasesFinishBeforeTheReleaserGoes() {
        std::atomic<int> destroyed{0};
        struct Counted {
            std::atomic<int>* count;
            ~Counted() { ++*count; }
        };
        {
            OffThreadReleaser releaser;
            for (int i = 0; i < 1000; ++i) {
                releaser.release(std::make_shared<Counted>(&destroyed));
            }
        }
        QCOMPARE(destroyed.load(), 1000);
    }
};

QTEST_GUILESS_MAIN(TestOffThreadRelease)
#include "tst_off_thread_release.moc"
