// driftgate CLI — the bytes of an input file: see file_bytes.hpp.
#include "file_bytes.hpp"

#include "csv_text.hpp"  // npos
#include "input_path.hpp"
#include "decompress.hpp"
#include "exit_codes.hpp"
#include "memory.hpp"  // large_block_bytes

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace driftgate::cli::csv_impl {
namespace {

[[noreturn]] void read_failed(const std::string& path, int err) {
    if (err == EISDIR) no_input(path, "is a directory, not a regular file");
    no_input(path, std::string("cannot read: ") + std::strerror(err));
}

std::size_t page_size() {
    static const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

// ---- the SIGBUS guard of mapped files ----------------------------------------------------------

/// A mapped file the SIGBUS handler answers for: [begin, end) (whole pages), and whether a page
/// of it was replaced by zeros. Entries are claimed with a compare-and-swap on `begin`; the
/// handler reads them without a lock (async-signal-safe).
struct guarded_mapping {
    std::atomic<std::uintptr_t> begin{0};
    std::atomic<std::uintptr_t> end{0};
    std::atomic<bool> faulted{false};
};

constexpr int max_guarded = 64;  // mappings alive at once (two per command at most in practice)
guarded_mapping guarded_mappings[max_guarded];
struct sigaction previous_sigbus {};
std::once_flag sigbus_installed;

void on_sigbus(int sig, siginfo_t* info, void* context) {
    const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (guarded_mapping& g : guarded_mappings) {
        const std::uintptr_t begin = g.begin.load(std::memory_order_acquire);
        const std::uintptr_t end = g.end.load(std::memory_order_acquire);
        if (begin == 0 || at < begin || at >= end) continue;
        // The file is shorter than its mapping now: zeros from the faulting page to the end of
        // the mapping, so that the interrupted read and every later one succeed.
        const std::uintptr_t page = at / page_size() * page_size();
        void* const z = ::mmap(reinterpret_cast<void*>(page), end - page, PROT_READ,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (z != MAP_FAILED) {
            g.faulted.store(true, std::memory_order_release);
            return;
        }
        break;
    }
    // Not a mapped input: what would have happened without this handler.
    if ((previous_sigbus.sa_flags & SA_SIGINFO) != 0 && previous_sigbus.sa_sigaction != nullptr) {
        previous_sigbus.sa_sigaction(sig, info, context);
        return;
    }
    if ((previous_sigbus.sa_flags & SA_SIGINFO) == 0 && previous_sigbus.sa_handler != SIG_DFL &&
        previous_sigbus.sa_handler != SIG_IGN) {
        previous_sigbus.sa_handler(sig);
        return;
    }
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigemptyset(&dfl.sa_mask);
    ::sigaction(SIGBUS, &dfl, nullptr);
    // A fault repeats when the handler returns, now with the default action (the process ends
    // by SIGBUS, as it would have); a signal sent by another process is raised again.
    if (info->si_code <= 0) ::raise(SIGBUS);
}

void install_sigbus_handler() {
    std::call_once(sigbus_installed, [] {
        (void)page_size();  // known before the handler can need it (no sysconf in the handler)
        struct sigaction sa {};
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        ::sigemptyset(&sa.sa_mask);
        ::sigaction(SIGBUS, &sa, &previous_sigbus);
    });
}

/// Registers [begin, begin + bytes) with the handler; returns its entry, or -1 when the registry
/// is full (the mapping is then not used).
int guard(const char* begin, std::size_t bytes) {
    install_sigbus_handler();
    const auto b = reinterpret_cast<std::uintptr_t>(begin);
    const std::uintptr_t e = b + (bytes + page_size() - 1) / page_size() * page_size();
    for (int i = 0; i < max_guarded; ++i) {
        std::uintptr_t expected = 0;
        if (guarded_mappings[i].begin.compare_exchange_strong(expected, b, std::memory_order_acq_rel)) {
            guarded_mappings[i].faulted.store(false, std::memory_order_relaxed);
            guarded_mappings[i].end.store(e, std::memory_order_release);
            return i;
        }
    }
    return -1;
}

void unguard(int i) {
    guarded_mappings[i].end.store(0, std::memory_order_release);
    guarded_mappings[i].begin.store(0, std::memory_order_release);
}

// ---- standard input ----------------------------------------------------------------------------

/// Standard input, read whole by its first user and kept for the process.
struct stdin_bytes {
    std::mutex lock;
    bool done = false;
    std::string bytes;
    std::string error;  // the first read's failure, repeated to later users
    int code = 0;
} standard_input;

// ---- the header record of a stream -------------------------------------------------------------

/// Finds the end of the header record in text that grows: quotes toggle "inside a quoted field",
/// a line feed outside quotes ends the record. Text whose first byte after a byte-order mark and
/// white space is '{' is a JSON-lines log (jsonl.hpp, is_json_lines), held on standard input until
/// it is recognised: its first line ends at its first line feed, whatever quotes (escaped inside
/// JSON strings) it holds.
struct header_scan {
    std::size_t scanned = 0;  // bytes looked at
    bool inside = false;
    bool json = false;        // the text starts as a JSON-lines log
    bool started = false;     // its first significant byte seen
    std::size_t end = npos;   // the offset after the header's line feed, once found

    void advance(std::string_view text) {
        for (; end == npos && scanned < text.size(); ++scanned) {
            const char c = text[scanned];
            if (!started && !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || (scanned < 3 && (c & 0x80)))) {
                started = true;
                json = c == '{';
            }
            if (c == '"' && !json) inside = !inside;
            else if (c == '\n' && !inside) end = scanned + 1;
        }
    }
};

} // namespace

void header_too_long(const std::string& name) {
    throw cli_error(exit_code::data, name + ":1:1: header line longer than 256 MiB (no line feed ends the first record "
                                            "in its first 256 MiB: not a CSV file, or an endless input)");
}

std::size_t max_stream_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const std::size_t memory = pages > 0 ? static_cast<std::size_t>(pages) * page_size() : 0;
    return std::max(memory / 2, std::size_t{1} << 30);
}

std::string file_bytes::hold_advice() const {
    if (map_errno_ != 0)
        return std::string("it could not be mapped either (mmap: ") + std::strerror(map_errno_) +
               "): is the address space limited (ulimit -v)?";
    return "write it to a file first (a file is mapped, not held)";
}

const char* map_ahead(const char* from, const char* to) {
#if defined(MADV_POPULATE_READ)
    const auto page = static_cast<std::uintptr_t>(page_size());
    const std::uintptr_t lo = reinterpret_cast<std::uintptr_t>(from) / page * page;
    const std::uintptr_t hi = (reinterpret_cast<std::uintptr_t>(to) + page - 1) / page * page;
    if (hi > lo) (void)::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_POPULATE_READ);  // advice only
#endif
    return to;
}

const char* drop_pages(const char* from, const char* to) {
    const auto page = static_cast<std::uintptr_t>(page_size());
    const std::uintptr_t lo = (reinterpret_cast<std::uintptr_t>(from) + page - 1) / page * page;
    const std::uintptr_t hi = reinterpret_cast<std::uintptr_t>(to) / page * page;
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
    return std::max(from, to - (reinterpret_cast<std::uintptr_t>(to) - hi));
}

std::size_t header_record_end(std::string_view text) {
    header_scan scan;
    scan.advance(text);
    return scan.end;
}

file_bytes::file_bytes(const std::string& path, bool map) : path_(path) {
    if (path == "-") {
        stdin_ = true;
        fd_ = STDIN_FILENO;
        struct stat st {};
        if (::fstat(fd_, &st) != 0) no_input("standard input", std::strerror(errno));
        if (S_ISCHR(st.st_mode))
            no_input("standard input", ::isatty(fd_) ? "is a terminal; pipe or redirect a snapshot (a CSV file or a prediction log) to it"
                                                     : "is a character device, not a snapshot stream");
        if (S_ISDIR(st.st_mode)) no_input("standard input", "is a directory, not a snapshot stream");
        return;
    }
    // O_NONBLOCK: opening a FIFO does not wait for a writer (read_stream does, for a while).
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) no_input(path, std::string("cannot open: ") + std::strerror(errno));
    own_fd_ = true;
    struct stat st {};
    if (::fstat(fd_, &st) != 0) read_failed(path, errno);
    if (S_ISDIR(st.st_mode)) no_input(path, "is a directory, not a regular file");
    if (S_ISCHR(st.st_mode)) no_input(path, "is a character device, not a regular file (an endless or interactive input)");
    if (S_ISBLK(st.st_mode)) no_input(path, "is a block device, not a regular file");
    if (!S_ISFIFO(st.st_mode)) {
        const int flags = ::fcntl(fd_, F_GETFL);
        if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
    }
    if (!S_ISREG(st.st_mode)) return;
    opened_size_ = static_cast<std::int64_t>(st.st_size);
    opened_mtime_s_ = static_cast<std::int64_t>(st.st_mtim.tv_sec);
    opened_mtime_ns_ = static_cast<std::int64_t>(st.st_mtim.tv_nsec);
    // Size 0: empty, or a file of /proc whose size the kernel does not know: read as a stream.
    if (!map || st.st_size == 0) return;
    const auto size = static_cast<std::size_t>(st.st_size);
    // A compressed file is read as a stream and decompressed (read_compressed): not mapped.
    {
        char head[32];
        const ssize_t got = ::pread(fd_, head, sizeof head, 0);
        if (got > 0) {
            const std::string_view first(head, static_cast<std::size_t>(got));
            const cli::compression kind = detect_compression(first.substr(0, magic_bytes));
            if (kind == cli::compression::gzip || kind == cli::compression::zstd) {
                char tail[4];
                std::string_view last;
                if (size >= 4 && ::pread(fd_, tail, 4, static_cast<off_t>(size - 4)) == 4) last = std::string_view(tail, 4);
                const std::uint64_t hint = cli::announced_size(kind, first, last);
                // gzip's deflate expands at most 1032-fold: a larger claim is not believed.
                if (hint <= std::uint64_t{1032} * size + 64) reserve_hint_ = hint;
                compressed_file_ = true;
                kind_ = kind;
                return;
            }
        }
    }
    // Not MAP_POPULATE: the pages are mapped as the passes over them reach them (the kernel maps
    // a cached file's neighbouring pages in the same fault) and released behind them
    // (drop_pages), so that the whole file is never resident at once.
    void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (m == MAP_FAILED) {  // read as a stream
        map_errno_ = errno;
        return;
    }
    slot_ = guard(static_cast<const char*>(m), size);
    if (slot_ < 0) {
        ::munmap(m, size);
        return;
    }
    map_ = static_cast<const char*>(m);
    size_ = size;
#if defined(MADV_HUGEPAGE)
    // Advice only: pages this mapping reads from the disk enter the page cache as 2 MiB folios
    // where the file system and kernel allow it (ext4 on Linux 6.x), which later runs map 2 MiB
    // at a time: the first pass over a cached 90 MB file in a new process 5 ms instead of 45-65
    // on this VM. Pages already cached keep their size.
    (void)::madvise(m, size, MADV_HUGEPAGE);
#endif
}

file_bytes::~file_bytes() {
    text_.reset();  // its thread reads fd_
    if (map_ != nullptr) {
        unguard(slot_);
        ::munmap(const_cast<char*>(map_), size_);
    }
    if (own_fd_) ::close(fd_);
}

std::string_view held_standard_input() {
    file_bytes in("-", false);
    in.read_all();
    return in.text();  // standard_input's bytes, which outlive `in`
}

bool standard_input_held() {
    const std::lock_guard<std::mutex> hold(standard_input.lock);
    return standard_input.done;
}

std::string_view file_bytes::text() const {
    if (map_ != nullptr) return {map_, size_};
    if (stdin_) return standard_input.bytes;  // complete once read_all or read_header returned
    return buf_;
}

void file_bytes::start_text(std::size_t ahead, bool threaded) {
    if (!compressed_file_ || text_) throw std::logic_error("start_text: not a compressed regular file, or started twice");
    // Pieces of large_block_bytes (4 MiB): the executable's allocator maps blocks of that size on
    // their own, in 2 MiB huge pages, and keeps them for reuse (memory.cpp). Pieces of 1 MiB came
    // from malloc and were faulted 4 KiB at a time: a read ahead of the 90 MB of text of a 1e6-row
    // file took 20,000 faults, which cost a quarter of `drift`'s wall time on a virtual machine.
    const std::size_t block = large_block_bytes;
    text_ = std::make_unique<decompressing_reader>(
        kind_, std::string(),
        [this](char* p, std::size_t n) -> std::size_t {
            for (;;) {
                const ssize_t got = ::pread(fd_, p, n, static_cast<off_t>(text_at_));
                if (got < 0 && errno == EINTR) continue;
                if (got < 0) read_failed(path_, errno);
                text_at_ += static_cast<std::uint64_t>(got);
                return static_cast<std::size_t>(got);
            }
        },
        threaded, block, std::max<std::size_t>(1, ahead / block));
}

std::size_t file_bytes::take_text(char* out, std::size_t cap) { return text_->take(out, cap); }

void file_bytes::read_all() {
    if (map_ == nullptr) read_stream(false);
}

void file_bytes::read_header() {
    if (map_ == nullptr) read_stream(true);
}

void file_bytes::read_stream(bool header_only) {
    std::string* out = &buf_;
    std::unique_lock<std::mutex> stdin_lock;
    if (stdin_) {
        stdin_lock = std::unique_lock<std::mutex>(standard_input.lock);
        if (!standard_input.error.empty()) throw cli_error(static_cast<exit_code>(standard_input.code), standard_input.error);
        if (standard_input.done) return;
        out = &standard_input.bytes;
        header_only = false;  // read once, whole
    }
    const std::string name = shown_path(path_);
    try {
        // A FIFO nobody has opened for writing reads as the end of the file at once: wait for a
        // writer for a while. (An anonymous pipe at its end has had its writer: no wait.)
        struct stat st {};
        if (!stdin_ && ::fstat(fd_, &st) == 0 && S_ISFIFO(st.st_mode)) {
            char link[64] = {};
            const std::string self = "/proc/self/fd/" + std::to_string(fd_);
            const bool anonymous = ::readlink(self.c_str(), link, sizeof link - 1) > 0 && std::strncmp(link, "pipe:", 5) == 0;
            const bool woke = wait_for_fifo_peer([&] {
                char first[4096];
                ssize_t got = 0;
                do got = ::read(fd_, first, sizeof first);
                while (got < 0 && errno == EINTR);
                if (got > 0) {
                    out->append(first, static_cast<std::size_t>(got));
                    return true;
                }
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;  // a writer, no data yet
                if (got < 0) read_failed(path_, errno);
                return anonymous;  // the end of an anonymous pipe: empty
            });
            if (!woke)
                no_input(path_, "no process opened the FIFO for writing within " + std::to_string(fifo_wait_ms / 1000) +
                                    " seconds");
            const int flags = ::fcntl(fd_, F_GETFL);
            if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
        }
        // The first bytes tell a compressed input (magic numbers).
        if (!decided_) {
            while (out->size() < magic_bytes && !eof_) {
                char first[magic_bytes];
                const ssize_t got = ::read(fd_, first, magic_bytes - out->size());
                if (got < 0 && errno == EINTR) continue;
                if (got < 0) read_failed(name, errno);
                if (got == 0) eof_ = true;
                out->append(first, static_cast<std::size_t>(got));
            }
            decided_ = true;
            const std::string_view first = std::string_view(*out).substr(0, magic_bytes);
            const cli::compression kind = detect_compression(first);
            // Other compressions (bzip2, xz, zip, lz4) are left to the header's check, which
            // names them with the command that decompresses them.
            if (kind == cli::compression::gzip || kind == cli::compression::zstd) unz_ = std::make_unique<decompressor>(kind);
        }
        if (unz_) {
            read_compressed(*out, header_only, name);
            if (stdin_ && eof_) standard_input.done = true;
            return;
        }
        const std::size_t limit = max_stream_bytes();
        header_scan scan;
        const std::size_t block = header_only ? std::size_t{64} << 10 : std::size_t{1} << 20;
        // Standard input redirected from a file (`- < FILE`): its size is known, so it is held in
        // one allocation of that size instead of a buffer doubling past it (twice the memory).
        if (stdin_ && !header_only) {
            struct stat in {};
            const off_t at = ::lseek(fd_, 0, SEEK_CUR);
            if (::fstat(fd_, &in) == 0 && S_ISREG(in.st_mode) && at >= 0 && in.st_size > at &&
                static_cast<std::uint64_t>(in.st_size - at) <= limit)
                out->reserve(out->size() + static_cast<std::size_t>(in.st_size - at) + block);
        }
        for (;;) {
            scan.advance(*out);
            if (scan.end == npos && out->size() > max_header_bytes) header_too_long(name);
            if (header_only && scan.end != npos) break;
            if (out->size() > limit)
                throw cli_error(exit_code::os_error,
                                name + ": the stream is longer than " + std::to_string(limit >> 20) +
                                    " MiB, half the memory; " + hold_advice());
            const std::size_t old = out->size();
            out->resize(old + block);
            const ssize_t got = ::read(fd_, out->data() + old, block);
            if (got < 0 && errno == EINTR) {
                out->resize(old);
                continue;
            }
            if (got < 0) {
                const int err = errno;
                out->resize(old);
                read_failed(name, err);
            }
            out->resize(old + static_cast<std::size_t>(got));
            if (got == 0) {
                eof_ = true;
                break;
            }
        }
        if (stdin_) standard_input.done = true;
    } catch (const std::bad_alloc&) {
        const std::string message = name + ": not enough memory to hold the " + (map_errno_ != 0 ? "file" : "stream") + " (" +
                                    std::to_string(out->size() >> 20) + " MiB read); " + hold_advice();
        *out = std::string();
        if (stdin_) {
            standard_input.error = message;
            standard_input.code = static_cast<int>(exit_code::os_error);
        }
        throw cli_error(exit_code::os_error, message);
    } catch (const cli_error& e) {
        if (stdin_) {
            standard_input.error = e.what();
            standard_input.code = static_cast<int>(e.code());
            standard_input.bytes = std::string();
        }
        throw;
    }
}

void file_bytes::read_compressed(std::string& out, bool header_only, const std::string& name) {
    const std::size_t limit = max_stream_bytes();
    header_scan scan;
    std::string raw;
    if (!out.empty() && unz_->bytes_in() == 0) {  // the first bytes, read to tell the compression
        raw = std::move(out);
        out = std::string();
        if (reserve_hint_ > 0 && !header_only) out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(reserve_hint_, limit)));
    }
    const auto keep = [&](std::string_view piece) {
        if (out.size() + piece.size() > limit)
            throw cli_error(exit_code::os_error, name + ": the decompressed text is longer than " + std::to_string(limit >> 20) +
                                                     " MiB, half the memory; decompress it to a file first");
        // Without a header line feed yet, the text grows to max_header_bytes, no further, before
        // the header is judged.
        std::string_view rest;
        if (scan.end == npos && out.size() + piece.size() > max_header_bytes) {
            const std::size_t allowed = max_header_bytes - std::min(out.size(), max_header_bytes);
            rest = piece.substr(allowed);
            piece = piece.substr(0, allowed);
        }
        out.append(piece);
        scan.advance(out);
        if (scan.end == npos && !rest.empty()) header_too_long(name);
        out.append(rest);
    };
    try {
        if (!raw.empty()) unz_->feed(raw, keep);
        scan.advance(out);
        const std::size_t block = header_only ? std::size_t{64} << 10 : std::size_t{1} << 20;
        raw.resize(block);
        while (!eof_ && !(header_only && scan.end != npos)) {
            const ssize_t got = ::read(fd_, raw.data(), block);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) read_failed(name, errno);
            if (got == 0) {
                eof_ = true;
                break;
            }
            unz_->feed(std::string_view(raw.data(), static_cast<std::size_t>(got)), keep);
        }
        if (eof_) unz_->finish();
    } catch (const decompression_error& e) {
        // Where the text read so far ends, as LINE:COLUMN of the decompressed text.
        const std::size_t lines = static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
        const std::size_t last = out.rfind('\n');
        const std::size_t column = last == npos ? out.size() + 1 : out.size() - last;
        throw cli_error(exit_code::data, name + ":" + std::to_string(lines + 1) + ":" + std::to_string(column) + ": " +
                                             e.what() + "; nothing was judged");
    }
}

void file_bytes::check_unchanged() const {
    // A mapped file, or a compressed regular file (read, not mapped): its size and time compared.
    if (map_ == nullptr && !((unz_ || text_) && opened_size_ > 0)) return;
    bool changed = slot_ >= 0 && guarded_mappings[slot_].faulted.load(std::memory_order_acquire);
    struct stat st {};
    if (!changed && ::fstat(fd_, &st) == 0)
        changed = static_cast<std::int64_t>(st.st_size) != opened_size_ ||
                  static_cast<std::int64_t>(st.st_mtim.tv_sec) != opened_mtime_s_ ||
                  static_cast<std::int64_t>(st.st_mtim.tv_nsec) != opened_mtime_ns_;
    if (changed) throw cli_error(exit_code::io, path_ + " changed while it was read");
}

} // namespace driftgate::cli::csv_impl
