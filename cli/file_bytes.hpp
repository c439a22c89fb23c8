// driftgate CLI — the bytes of an input file (internal to the CSV reader): the platform code.
//
// What each kind of path gives:
//   * a regular file of nonzero size is memory-mapped (read-only, private). A mapped file that is
//     truncated while it is read would kill the process with SIGBUS at the first page past its
//     new end: a process-wide SIGBUS handler answers a fault inside a registered mapping by
//     mapping zero pages over the rest of it (so the parse goes on, over zeros, to its end) and
//     notes it; check_unchanged then throws `PATH changed while it was read` (exit 74), as it
//     does when the file's size or modification time changed meanwhile (rewritten in place). A
//     SIGBUS outside a registered mapping goes to the previous handler, or kills the process as
//     it would have. No jump: no destructor is skipped, no lock left held.
//   * a regular file whose size the kernel reports as 0 (files of /proc and /sys) is read like a
//     stream, so that its content is not mistaken for an empty file.
//   * "-" is standard input, read whole at its first use and kept for the process, so that the
//     header and the columns can both be read from it.
//   * a FIFO (named pipe) or a pipe is read as a stream. Opening a FIFO does not wait for a
//     writer (O_NONBLOCK): when none has opened it, the reader waits for one for fifo_wait_ms and
//     then stops with `PATH: no process opened the FIFO for writing ...` (exit 66), instead of
//     hanging.
//   * a directory (exit 66, `is a directory`), a character or block device such as /dev/zero
//     (exit 66: endless or not a file) and a terminal as standard input are refused before any
//     byte is read; an open that fails (a missing file, a symlink loop, no permission) is exit 66
//     with the system's words for it.
//   * a gzip or zstd file (recognized by its magic bytes, whatever its name), whether a regular
//     file, a pipe or standard input, is read as a stream and decompressed as it is read
//     (decompress.hpp): text() is the decompressed text, so that every message's LINE:COLUMN is
//     one of the CSV text. A compressed regular file can instead hand out its text as it is
//     decompressed on a thread of its own (start_text, take_text), for a parse that never
//     holds it whole (csv_pass.hpp, run_pieces). Decompressed text is bounded like a stream (below): a decompression
//     bomb stops at max_header_bytes without a header line feed (exit 65) or at max_stream_bytes
//     (exit 71), the output growing by 1 MiB pieces. Corrupt or truncated compressed data is
//     exit 65 naming where the text read so far ends. Other compressions (bzip2, xz, zip, lz4)
//     are read as they are, for the header's check to name them (exit 65).
// Streams are bounded: the header record must end within max_header_bytes (`header line longer
// than 256 MiB`, exit 65, as /dev/zero through a pipe would give), and the whole stream must fit
// in max_stream_bytes (exit 71, `write it to a file first`: a file is mapped, not held).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "decompress.hpp"

namespace driftgate::cli::csv_impl {

/// Longest header record accepted, in bytes from the start of the file (256 MiB): far beyond any
/// real header, and a bound on what an endless input without line feeds costs.
inline constexpr std::size_t max_header_bytes = std::size_t{256} << 20;

/// Longest stream (pipe, FIFO, standard input) held in memory: half the physical memory, at
/// least 1 GiB.
std::size_t max_stream_bytes();

/// Bytes parsed between two releases of a mapped file's pages (drop_pages).
inline constexpr std::uintptr_t release_step = std::uintptr_t{8} << 20;

/// Bytes a reader maps ahead of its position at once (map_ahead).
inline constexpr std::uintptr_t map_step = std::uintptr_t{2} << 20;

/// Maps the pages of [from, to) of a mapped file at once (MADV_POPULATE_READ, Linux 5.14 and
/// later; advice only: nothing on older kernels, and a file cut meanwhile is left to the SIGBUS
/// guard) and returns `to`. A reader calls it a stretch ahead of its position: one call maps a
/// stretch that page faults would map 16 pages at a time, each fault a trap (on a virtual machine
/// a costly one; drift on the 1e6-row pair 0.96x wall, perf 0.94x).
const char* map_ahead(const char* from, const char* to);

/// Drops the whole pages of [from, to) of a mapped file (MADV_DONTNEED: they are read from the
/// file again if touched) and returns the start of the page holding `to`, where the next stretch
/// starts (the pages holding `from` and `to` are only partly done and are kept).
const char* drop_pages(const char* from, const char* to);

/// Throws cli_error(exit_code::data) saying that the header record of the file `name` does not
/// end within max_header_bytes.
[[noreturn]] void header_too_long(const std::string& name);

/// The end of the header record of `text` (the offset after its line feed, quotes respected), or
/// npos when the text holds no complete header record. O(header bytes).
std::size_t header_record_end(std::string_view text);

/// Standard input's text, read whole (gzip and zstd decompressed) at the first call and kept for
/// the process, as file_bytes("-") keeps it: a command can look at its first bytes (a CSV file or
/// a prediction log?) and still read it afterwards, as often as it needs. Throws as read_all,
/// naming "standard input"; the same error again at every later call.
[[nodiscard]] std::string_view held_standard_input();

/// True once standard input has been read whole and kept (held_standard_input, file_bytes("-")).
[[nodiscard]] bool standard_input_held();

/// The bytes of a file (see the file comment). Errors throw cli_error naming the path.
class file_bytes {
public:
    /// Opens `path` ("-": standard input). With `map`, a regular file of nonzero size is mapped;
    /// everything else is a stream, read with read_all or read_header.
    file_bytes(const std::string& path, bool map);
    file_bytes(const file_bytes&) = delete;
    file_bytes& operator=(const file_bytes&) = delete;
    ~file_bytes();

    /// True when the bytes are read (not mapped): streams and compressed files.
    [[nodiscard]] bool streaming() const { return map_ == nullptr; }

    /// Reads the whole stream (nothing for a mapped file). Throws for a header record longer
    /// than max_header_bytes (exit 65) and a stream longer than max_stream_bytes (exit 71).
    void read_all();
    /// Reads the stream until its header record is complete (or it ends); standard input is read
    /// whole. Throws as read_all.
    void read_header();

    /// The mapped file, or the bytes read.
    [[nodiscard]] std::string_view text() const;

    /// True for a regular file whose first bytes announce gzip or zstd (read, not mapped).
    [[nodiscard]] bool compressed_file() const { return compressed_file_; }

    /// The text of a compressed regular file as a stream, for a parse that never holds it whole
    /// (run_pieces): starts decompressing the file from its start on a thread of its own, at
    /// most `ahead` bytes of text ahead of take_text; `threaded` false (`--threads 1`): no thread,
    /// take_text decompresses what it hands out. Instead of read_all; once.
    void start_text(std::size_t ahead, bool threaded = true);
    /// True once start_text was called.
    [[nodiscard]] bool text_started() const { return text_ != nullptr; }
    /// The next bytes of the text started by start_text, at most `cap` of them; 0 at its end.
    /// Throws decompression_error (corrupt or truncated data) and cli_error (a failed read) once
    /// the text before the damage has been taken. O(bytes).
    std::size_t take_text(char* out, std::size_t cap);
    /// The decompressed length a compressed regular file announces (a hint), or 0.
    [[nodiscard]] std::uint64_t announced_size() const { return reserve_hint_; }

    /// Throws cli_error(exit_code::io, "PATH changed while it was read") when the mapped file was
    /// cut short under the parse (a page past its end was read) or its size or modification time
    /// (of a mapped or a compressed regular file) is no longer what it was when it was opened.
    void check_unchanged() const;

private:
    void read_stream(bool header_only);
    void read_compressed(std::string& out, bool header_only, const std::string& name);
    /// What a user whose plain input does not fit in memory can do about it.
    [[nodiscard]] std::string hold_advice() const;

    std::string path_;
    int fd_ = -1;
    bool own_fd_ = false;  // false for standard input
    bool stdin_ = false;
    const char* map_ = nullptr;
    std::size_t size_ = 0;
    int slot_ = -1;  // the mapping's entry in the SIGBUS handler's registry
    int map_errno_ = 0;  // why a regular file could not be mapped (then read as a stream), or 0
    // The file as opened (regular files): what check_unchanged compares with.
    std::int64_t opened_size_ = 0, opened_mtime_s_ = 0, opened_mtime_ns_ = 0;
    std::string buf_;
    bool decided_ = false;                // the first bytes were looked at for a magic number
    bool eof_ = false;                    // the stream's end was read
    std::unique_ptr<decompressor> unz_;  // a compressed input's decompressor
    cli::compression kind_ = cli::compression::none;  // a compressed regular file's compression
    std::unique_ptr<decompressing_reader> text_;      // start_text's reader
    std::uint64_t text_at_ = 0;                       // the offset it reads next (its thread's)
    std::uint64_t reserve_hint_ = 0;     // the decompressed size a compressed file announces
    bool compressed_file_ = false;       // a regular file starting with gzip's or zstd's magic
};

} // namespace driftgate::cli::csv_impl
