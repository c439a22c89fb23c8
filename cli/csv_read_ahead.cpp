// driftgate CLI — reading a compressed CSV file ahead: see csv_read_ahead.hpp and prefetch_csv.
//
// `drift REF.csv.zst CUR.csv.zst` reads the reference, then the current file. Decompression runs
// on one core and the parse beside it on all of them; the current file's decompression, started
// at once, fills what the cores leave. A read ahead holds at most read_ahead_bytes of text (its
// decompressor waits for its reader past that); one nobody takes is stopped at the end of the run.
#include "csv_read_ahead.hpp"
#include "csv.hpp"

#include <mutex>
#include <vector>

#include <sys/stat.h>

namespace driftgate::cli {
namespace csv_impl {
namespace {

class read_aheads {
public:
    /// Starts decompressing `file` (opened from `path`) on a thread of its own.
    void start(const std::string& path, std::unique_ptr<file_bytes> file) {
        std::lock_guard<std::mutex> l(m_);
        for (const entry& e : entries_)
            if (e.path == path) return;
        file->start_text(read_ahead_bytes);
        entries_.push_back({path, std::move(file)});
    }
    std::unique_ptr<file_bytes> take(const std::string& path) {
        std::lock_guard<std::mutex> l(m_);
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->path == path) {
                std::unique_ptr<file_bytes> file = std::move(it->file);
                entries_.erase(it);
                return file;
            }
        return nullptr;
    }

private:
    struct entry {
        std::string path;
        std::unique_ptr<file_bytes> file;  // its destructor stops its decompressor
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
    try {
        auto file = std::make_unique<csv_impl::file_bytes>(path, /*map=*/true);
        if (file->compressed_file()) csv_impl::aheads().start(path, std::move(file));
    } catch (const std::exception&) {
        return;  // left to the read itself
    }
}

} // namespace driftgate::cli
