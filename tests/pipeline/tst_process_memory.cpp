// SPDX-License-Identifier: GPL-3.0-or-later
// returnLargeBlocksToTheSystem(): a large block stays mapped on its own (and so goes back to the
// system when freed) even after bigger blocks came and went, which under glibc's dynamic
// threshold would have moved such blocks into the heap.
#include "pipeline/process_memory.h"

#include <QtTest>
#include <cstdlib>
#include <cstring>
#include <malloc.h>

namespace {
// Through a volatile pointer, so that the compiler cannot pair and drop an allocation.
void* (*volatile allocate)(std::size_t) = std::malloc;
void (*volatile release)(void*) = std::free;

std::size_t mappedBytes() {
    return mallinfo2().hblkhd;
}
} // namespace

class ProcessMemoryTest : public QObject {
    Q_OBJECT
private slots:
    void largeBlocksStayMappedAfterBiggerOnesWereFreed() {
        QVERIFY(gm::returnLargeBlocksToTheSystem());
        // A 16 MiB block freed: glibc's dynamic threshold would now be 16 MiB (it rises up to 32).
        void* big = allocate(16u << 20);
        QVERIFY(big != nullptr);
        std::memset(big, 1, 4096);
        release(big);

        const std::size_t before = mappedBytes();
        const std::size_t size = 4 * gm::kLargeBlockBytes;
        void* block = allocate(size);
        QVERIFY(block != nullptr);
        std::memset(block, 2, size);
        QVERIFY2(mappedBytes() >= before + size,
                 qPrintable(QString("mapped %1 -> %2 bytes").arg(before).arg(mappedBytes())));
        release(block);
        QCOMPARE(mappedBytes(), before);
    }

    void smallBlocksComeFromTheHeap() {
        QVERIFY(gm::returnLargeBlocksToTheSystem());
        const std::size_t before = mappedBytes();
        void* block = allocate(gm::kLargeBlockBytes / 4);
        QVERIFY(block != nullptr);
        QCOMPARE(mappedBytes(), before);
        release(block);
    }
};

QTEST_APPLESS_MAIN(ProcessMemoryTest)
#include "tst_process_memory.moc"
