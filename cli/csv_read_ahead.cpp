// driftgate CLI — reading a compressed CSV file ahead: see csv_read_ahead.hpp and prefetch_csv.
//
// `drift REF.csv.zst CUR.csv.zst` reads the reference, then the current file. Decompression runs
// on one core and the parse after it on all of them, so while the reference is decompressed one
// core waits; the current file's decompression fills it. What a read ahead may hold is bounded
// (a quarter of the memory, half of what one stream may take): past that it gives up and the
// file is read when it is needed, as without a read ahead. A read ahead nobody takes is stopped
// at the end of the run.
#include "csv_read_ahead.hpp"
#include "csv.hpp"
#include "decompress.hpp"

#include <atomic>
#include <future>
#include <mutex>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace driftgate::cli {
namespace csv_impl {
namespace {

class read_aheads {
public:
    ~read_aheads() {
        std::lock_guard<std::mutex> l(m_);
        for (entry& e : entries_) e.stop->store(true, std::memory_order_relaxed);
        entries_.clear();  // each future waits for its thread, which stops at its next piece
    }
    void start(const std::string& path) {
        std::lock_guard<std::mutex> l(m_);
        for (const entry& e : entries_)
            if (e.path == path) return;
        auto stop = std::make_unique<std::atomic<bool>>(false);
        const std::atomic<bool>* flag = stop.get();
        auto bytes = std::async(std::launch::async, [path, flag]() -> std::unique_ptr<file_bytes> {
            auto f = std::make_unique<file_bytes>(path, /*map=*/true);
            if (!f->compressed_file()) return nullptr;  // changed since it was looked at: read it then
            f->read_ahead(flag, max_stream_bytes() / 2);
            try {
                f->read_all();
            } catch (const file_bytes::read_ahead_abandoned&) {
                return nullptr;
            }
            f->read_ahead(nullptr, 0);
            return f;
        });
        entries_.push_back({path, std::move(stop), std::move(bytes)});
    }
    std::unique_ptr<file_bytes> take(const std::string& path) {
        // The stop flag the thread reads lives until the thread is done (bytes.get() below), not
        // only as long as the entry.
        std::unique_ptr<std::atomic<bool>> stop;
        std::future<std::unique_ptr<file_bytes>> bytes;
        {
            std::lock_guard<std::mutex> l(m_);
            for (auto it = entries_.begin(); it != entries_.end(); ++it)
                if (it->path == path) {
                    stop = std::move(it->stop);
                    bytes = std::move(it->bytes);
                    entries_.erase(it);
                    break;
                }
        }
        if (!bytes.valid()) return nullptr;
        return bytes.get();  // declared after `stop`: a throw unwinds `bytes` (it waits) first
    }

private:
    struct entry {
        std::string path;
        std::unique_ptr<std::atomic<bool>> stop;         // read by the thread: outlives `bytes`
        std::future<std::unique_ptr<file_bytes>> bytes;  // destroyed first, waiting for the thread
    };
    std::mutex m_;
    std::vector<entry> entries_;
};

read_aheads& aheads() {
    static read_aheads r;  // made at the first read ahead: destroyed before the reader's own statics
    return r;
}

/// True for a regular file whose first bytes are gzip's or zstd's magic number.
bool compressed_regular_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    struct stat st {};
    char head[magic_bytes];
    const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    const ssize_t got = regular ? ::pread(fd, head, sizeof head, 0) : -1;
    ::close(fd);
    if (got <= 0) return false;
    const compression kind = detect_compression(std::string_view(head, static_cast<std::size_t>(got)));
    return kind == compression::gzip || kind == compression::zstd;
}

} // namespace

std::unique_ptr<file_bytes> take_read_ahead(const std::string& path) { return aheads().take(path); }

} // namespace csv_impl

void prefetch_csv(const std::string& path) {
    if (path == "-" || !csv_impl::compressed_regular_file(path)) return;
    csv_impl::aheads().start(path);
}

} // namespace driftgate::cli
