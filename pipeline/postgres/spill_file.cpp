// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/spill_file.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gm {
namespace {

constexpr std::string_view kFileMagic = "GMSPILL1";
constexpr std::string_view kRecordMagic = "GMRB";
constexpr std::size_t kRecordHeader = 4 + 4 + 8 + 4; // magic, payload length, rows, CRC-32
// A record is one TableBatch: far below this. A larger length is garbage, not a record.
constexpr std::uint32_t kMaxPayload = std::uint32_t{1} << 31;

std::uint32_t crc32(std::string_view data, std::uint32_t crc = 0) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) {
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            t[i] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (const char ch : data) {
        crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
    }
    return ~crc;
}

void putU32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
}

void putU64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
}

void putString(std::string& out, std::string_view s) {
    putU32(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

std::uint64_t getLE(std::string_view data, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) {
        v |= std::uint64_t{static_cast<unsigned char>(data[at + static_cast<std::size_t>(i)])}
             << (8 * i);
    }
    return v;
}

// Reads a payload back; throws SpillError when it does not parse (a checksum collision).
class PayloadReader {
public:
    explicit PayloadReader(std::string_view data) : data_(data) {}
    std::uint64_t u(int bytes) {
        need(static_cast<std::size_t>(bytes));
        const std::uint64_t v = getLE(data_, at_, bytes);
        at_ += static_cast<std::size_t>(bytes);
        return v;
    }
    std::string string(int length_bytes = 4) {
        const std::size_t n = u(length_bytes);
        need(n);
        std::string s(data_.substr(at_, n));
        at_ += n;
        return s;
    }
    std::vector<std::string> strings() {
        std::vector<std::string> list(u(4));
        for (std::string& s : list) {
            s = string();
        }
        return list;
    }
    bool done() const { return at_ == data_.size(); }

private:
    void need(std::size_t n) const {
        if (data_.size() - at_ < n) {
            throw SpillError("a spill record does not parse");
        }
    }
    std::string_view data_;
    std::size_t at_ = 0;
};

TableBatch decodePayload(std::string_view payload, std::uint64_t rows) {
    PayloadReader in(payload);
    TableBatch batch;
    batch.on_conflict = in.u(1) == 0 ? ConflictAction::Update : ConflictAction::Ignore;
    batch.table = in.string();
    batch.columns = in.strings();
    batch.key_columns = in.strings();
    const std::size_t marks = in.u(4);
    for (std::size_t i = 0; i < marks; ++i) {
        ProgressMark mark;
        mark.job = in.string();
        mark.emitted_up_to = static_cast<TimestampUs>(in.u(8));
        batch.progress.push_back(std::move(mark));
    }
    batch.copy_text = in.string(8);
    batch.rows = rows;
    if (!in.done()) {
        throw SpillError("a spill record has trailing bytes");
    }
    return batch;
}

std::string systemError(const std::string& what, const std::filesystem::path& path) {
    return what + " " + path.string() + ": " + std::strerror(errno);
}

// Reads exactly n bytes at offset; fewer only at the end of the file.
std::string readAt(int fd, std::uint64_t offset, std::size_t n) {
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(offset + got));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += static_cast<std::size_t>(r);
    }
    out.resize(got);
    return out;
}

bool writeAll(int fd, std::uint64_t offset, std::string_view data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t w =
            ::pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            if (w == 0) {
                errno = ENOSPC;
            }
            return false;
        }
        done += static_cast<std::size_t>(w);
    }
    return true;
}

std::string fileHeader(const std::string& description) {
    std::string header(kFileMagic);
    putString(header, description);
    return header;
}

void syncDirectory(const std::filesystem::path& file) {
    const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

} // namespace

std::string SpillFile::encodeRecord(const TableBatch& batch) {
    std::string payload;
    payload.push_back(batch.on_conflict == ConflictAction::Update ? '\0' : '\1');
    putString(payload, batch.table);
    putU32(payload, static_cast<std::uint32_t>(batch.columns.size()));
    for (const std::string& c : batch.columns) {
        putString(payload, c);
    }
    putU32(payload, static_cast<std::uint32_t>(batch.key_columns.size()));
    for (const std::string& c : batch.key_columns) {
        putString(payload, c);
    }
    putU32(payload, static_cast<std::uint32_t>(batch.progress.size()));
    for (const ProgressMark& mark : batch.progress) {
        putString(payload, mark.job);
        putU64(payload, static_cast<std::uint64_t>(mark.emitted_up_to));
    }
    putU64(payload, batch.copy_text.size());
    payload.append(batch.copy_text);

    std::string record(kRecordMagic);
    std::string checked;
    putU32(checked, static_cast<std::uint32_t>(payload.size()));
    putU64(checked, batch.rows);
    record += checked;
    putU32(record, crc32(payload, crc32(checked)));
    record += payload;
    return record;
}

SpillFile::SpillFile(std::filesystem::path path, std::string description)
    : path_(std::move(path)), description_(std::move(description)) {}

SpillFile::~SpillFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    } else if (lock_fd_ >= 0) {
        // Nothing spilled: no lock file left behind either (removed while still locked).
        std::error_code ec;
        std::filesystem::remove(path_.string() + ".lock", ec);
    }
    if (lock_fd_ >= 0) {
        ::close(lock_fd_); // releases the flock
    }
}

std::unique_ptr<SpillFile> SpillFile::open(const std::filesystem::path& path,
                                           const std::string& description) {
    std::unique_ptr<SpillFile> file(new SpillFile(path, description));
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        throw SpillError("cannot create " + path.parent_path().string() + ": " + ec.message());
    }
    const std::filesystem::path lock_path = path.string() + ".lock";
    // The lock file is removed with the last spilled row (see ~SpillFile): a lock taken on a file
    // that was removed meanwhile guards nothing, so take it again on the new one.
    for (int attempt = 0;; ++attempt) {
        file->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (file->lock_fd_ < 0) {
            throw SpillError(systemError("cannot open", lock_path));
        }
        if (::flock(file->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
            throw SpillError("another globalmart process is using the spill file " + path.string());
        }
        struct stat held {};
        struct stat named {};
        if (::fstat(file->lock_fd_, &held) == 0 && ::stat(lock_path.c_str(), &named) == 0 &&
            held.st_ino == named.st_ino && held.st_dev == named.st_dev) {
            break;
        }
        ::close(file->lock_fd_);
        file->lock_fd_ = -1;
        if (attempt == 3) {
            throw SpillError("cannot lock " + lock_path.string() + ": it keeps being replaced");
        }
    }
    file->scan();
    return file;
}

void SpillFile::scan() {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) {
        if (errno == ENOENT) {
            return; // nothing spilled: created on the first append
        }
        throw SpillError(systemError("cannot open", path_));
    }
    struct stat st {};
    ::fstat(fd_, &st);
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::string magic = readAt(fd_, 0, kFileMagic.size() + 4);
    if (magic.size() >= kFileMagic.size() && magic.substr(0, kFileMagic.size()) != kFileMagic) {
        ::close(fd_);
        fd_ = -1;
        throw SpillError(path_.string() + " is not a globalmart spill file (wrong magic bytes)");
    }
    std::uint64_t offset = size; // a torn header: everything is the tail
    if (magic.size() == kFileMagic.size() + 4) {
        const std::uint64_t header = kFileMagic.size() + 4 + getLE(magic, kFileMagic.size(), 4);
        if (header <= size) {
            offset = header;
            read_ = header;
        }
    }
    while (offset < size) {
        const std::string head = readAt(fd_, offset, kRecordHeader);
        if (head.size() < kRecordHeader || head.substr(0, 4) != kRecordMagic) {
            break;
        }
        const std::uint64_t length = getLE(head, 4, 4);
        const std::uint64_t rows = getLE(head, 8, 8);
        const auto crc = static_cast<std::uint32_t>(getLE(head, 16, 4));
        found_.torn_rows = rows;
        if (length > kMaxPayload || offset + kRecordHeader + length > size) {
            break;
        }
        const std::string payload = readAt(fd_, offset + kRecordHeader, length);
        if (payload.size() != length ||
            crc32(payload, crc32(std::string_view(head).substr(4, 12))) != crc) {
            break;
        }
        found_.torn_rows = 0;
        ++found_.batches;
        found_.rows += rows;
        offset += kRecordHeader + length;
    }
    end_ = offset;
    unread_batches_ = found_.batches;
    unread_rows_ = found_.rows;
    if (offset < size) {
        // A crash while spilling: keep the torn bytes for inspection, out of the way.
        found_.torn_bytes = size - offset;
        const std::filesystem::path torn = path_.string() + ".torn";
        const std::string tail = readAt(fd_, offset, static_cast<std::size_t>(size - offset));
        const int out = ::open(torn.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (out >= 0) {
            writeAll(out, 0, tail); // O_APPEND: the offset is ignored
            ::close(out);
        }
        if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0) {
            throw SpillError(systemError("cannot cut the torn tail off", path_));
        }
        found_.torn_note = "spill file " + path_.string() + ": torn tail of " +
                           std::to_string(found_.torn_bytes) + " bytes after " +
                           std::to_string(found_.batches) + " intact records";
        if (found_.torn_rows > 0) {
            found_.torn_note += " (its record held " + std::to_string(found_.torn_rows) +
                                " rows, lost when an earlier run was killed while spilling)";
        } else {
            found_.torn_note += " (an earlier run was killed while spilling)";
        }
        found_.torn_note += "; moved to " + torn.string();
    }
    if (read_ == 0) {
        // The header itself was torn: start the file again.
        ::close(fd_);
        fd_ = -1;
        end_ = 0;
        std::filesystem::remove(path_);
    } else if (unread_batches_ == 0) {
        removeFile();
    }
}

void SpillFile::create() {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        throw SpillError(systemError("cannot create", path_));
    }
    const std::string header = fileHeader(description_);
    if (!writeAll(fd_, 0, header)) {
        const std::string error = systemError("cannot write", path_);
        removeFile();
        throw SpillError(error);
    }
    read_ = end_ = header.size();
}

void SpillFile::removeFile() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    read_ = end_ = 0;
    unread_batches_ = unread_rows_ = 0;
}

void SpillFile::append(const TableBatch& batch) {
    if (fd_ < 0) {
        create();
    }
    const std::string record = encodeRecord(batch);
    if (!writeAll(fd_, end_, record)) {
        const std::string error = systemError("cannot write", path_);
        if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0) {
            // The partial record stays; the next open() cuts it off as a torn tail.
        }
        throw SpillError(error);
    }
    end_ += record.size();
    ++unread_batches_;
    unread_rows_ += batch.rows;
}

std::vector<TableBatch> SpillFile::readNext(std::size_t max_bytes) {
    std::vector<TableBatch> batches;
    std::size_t bytes = 0;
    while (unread_batches_ > 0 && (batches.empty() || bytes < max_bytes)) {
        const std::string head = readAt(fd_, read_, kRecordHeader);
        if (head.size() < kRecordHeader) {
            throw SpillError(systemError("cannot read", path_));
        }
        const std::uint64_t length = getLE(head, 4, 4);
        const std::uint64_t rows = getLE(head, 8, 8);
        const std::string payload = readAt(fd_, read_ + kRecordHeader, length);
        if (payload.size() != length) {
            throw SpillError(systemError("cannot read", path_));
        }
        batches.push_back(decodePayload(payload, rows));
        bytes += batches.back().copy_text.size();
        read_ += kRecordHeader + length;
        --unread_batches_;
        unread_rows_ -= std::min(unread_rows_, rows);
    }
    if (unread_batches_ == 0) {
        removeFile();
    }
    return batches;
}

void SpillFile::rewriteWithFront(const std::vector<const TableBatch*>& front) {
    if (front.empty()) {
        sync();
        return;
    }
    const std::filesystem::path fresh = path_.string() + ".new";
    const int out = ::open(fresh.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        throw SpillError(systemError("cannot create", fresh));
    }
    const auto fail = [&] {
        const std::string error = systemError("cannot write", fresh);
        ::close(out);
        std::filesystem::remove(fresh);
        throw SpillError(error);
    };
    std::string data = fileHeader(description_);
    std::uint64_t at = 0;
    std::uint64_t rows = 0;
    const std::uint64_t header = data.size();
    for (const TableBatch* batch : front) {
        data += encodeRecord(*batch);
        rows += batch->rows;
        if (data.size() >= (std::size_t{8} << 20)) {
            if (!writeAll(out, at, data)) {
                fail();
            }
            at += data.size();
            data.clear();
        }
    }
    // Then the older file's unread records, which are newer than anything in memory.
    for (std::uint64_t from = read_; fd_ >= 0 && from < end_;) {
        const std::string chunk = readAt(
            fd_, from, static_cast<std::size_t>(std::min<std::uint64_t>(end_ - from, 8 << 20)));
        if (chunk.empty()) {
            fail();
        }
        data += chunk;
        from += chunk.size();
        if (!writeAll(out, at, data)) {
            fail();
        }
        at += data.size();
        data.clear();
    }
    if (!writeAll(out, at, data) || ::fsync(out) != 0) {
        fail();
    }
    at += data.size();
    if (::rename(fresh.c_str(), path_.c_str()) != 0) {
        fail();
    }
    syncDirectory(path_);
    if (fd_ >= 0) {
        ::close(fd_);
    }
    fd_ = out;
    read_ = header;
    end_ = at;
    unread_batches_ += front.size();
    unread_rows_ += rows;
}

void SpillFile::sync() {
    if (fd_ >= 0) {
        ::fdatasync(fd_);
        syncDirectory(path_);
    }
}

} // namespace gm
