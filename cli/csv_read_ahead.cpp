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

#include <atomic>
#include <exception>
#include <future>
#include <mutex>
#include <vector>

#include <sys/stat.h>

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
    /// Reads `file` (opened from `path`) on a thread of its own.
    void start(const std::string& path, std::unique_ptr<file_bytes> file) {
        std::lock_guard<std::mutex> l(m_);
        for (const entry& e : entries_)
            if (e.path == path) return;
        auto stop = std::make_unique<std::atomic<bool>>(false);
        file->read_ahead(stop.get(), max_stream_bytes() / 2);
        auto bytes = std::async(std::launch::async, [f = std::move(file)]() mutable -> std::unique_ptr<file_bytes> {
            try {
                f->read_all();
            } catch (const file_bytes::read_ahead_abandoned&) {
                return nullptr;
            }
            f->read_ahead(nullptr, 0);
            return std::move(f);
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

} // namespace

std::unique_ptr<file_bytes> take_read_ahead(const std::string& path) { return aheads().take(path); }

} // namespace csv_impl

void prefetch_csv(const std::string& path) {
    // Regular files only (a FIFO is not even opened: its writer would see a reader come and go);
    // file_bytes tells a compressed one by its magic number. An error is left to the read itself.
    struct stat st {};
    if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
    std::unique_ptr<csv_impl::file_bytes> file;
    try {
        file = std::make_unique<csv_impl::file_bytes>(path, /*map=*/true);
    } catch (const std::exception&) {
        return;
    }
    if (file->compressed_file()) csv_impl::aheads().start(path, std::move(file));
}

} // namespace driftgate::cli
