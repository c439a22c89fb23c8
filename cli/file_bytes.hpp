// driftgate CLI — the bytes of an input file (internal to the CSV reader): the platform code.
// A regular file is memory-mapped (read-only, private); anything else (a pipe, a FIFO) is read
// into memory in blocks. The pages of a mapped file can be released behind a pass over them, so
// that a large file is never resident whole next to the columns read from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace driftgate::cli::csv_impl {

/// Bytes parsed between two releases of a mapped file's pages (drop_pages).
inline constexpr std::uintptr_t release_step = std::uintptr_t{8} << 20;

/// Drops the whole pages of [from, to) of a mapped file (MADV_DONTNEED: they are read from the
/// file again if touched) and returns the start of the page holding `to`, where the next stretch
/// starts (the pages holding `from` and `to` are only partly done and are kept).
const char* drop_pages(const char* from, const char* to);

/// The bytes of a file: memory-mapped when it is a regular file (and `whole`), read otherwise.
/// Errors opening or reading it throw cli_error(exit_code::no_input) naming the path.
class file_bytes {
public:
    /// Opens `path`; with `whole`, maps a regular file (not MAP_POPULATE: its pages are mapped as
    /// the passes reach them). Without `whole`, or for a file that is not regular or cannot be
    /// mapped, the bytes are read with read_more.
    file_bytes(const std::string& path, bool whole);
    file_bytes(const file_bytes&) = delete;
    file_bytes& operator=(const file_bytes&) = delete;
    ~file_bytes();

    /// True when the bytes must be read with read_more (not mapped).
    [[nodiscard]] bool streaming() const { return streaming_; }

    /// Appends up to `block` more bytes to the text; false at end of file.
    bool read_more(const std::string& path, std::size_t block = std::size_t{1} << 20);

    /// The mapped file, or the bytes read so far.
    [[nodiscard]] std::string_view text() const {
        return map_ != nullptr ? std::string_view(map_, size_) : std::string_view(buf_);
    }

private:
    struct fd_guard {  // a member, so that the descriptor is closed when the constructor throws
        int fd = -1;
        fd_guard() = default;
        fd_guard(const fd_guard&) = delete;
        fd_guard& operator=(const fd_guard&) = delete;
        ~fd_guard();
    };
    fd_guard fd_;
    const char* map_ = nullptr;
    std::size_t size_ = 0;
    std::string buf_;
    bool streaming_ = false;
};

} // namespace driftgate::cli::csv_impl
