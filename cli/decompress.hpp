// driftgate CLI — streaming decompression of gzip (zlib) and zstd (libzstd) data, recognized by
// their magic bytes (not by a file name). Self-contained: it knows nothing of CSV or of the CLI's
// exit codes, so that any reader of compressed input (CSV files, log lines) can use it.
//
// Memory is bounded whatever the input: the output is handed to a sink in pieces of at most
// `out_block` bytes, so that a caller that counts what it keeps stops a decompression bomb at its
// own limit; zlib's window is 32 KiB, libzstd's is capped by its default (ZSTD_d_windowLogMax,
// 128 MiB): a frame that asks for more is refused as corrupt, not allocated.
//
// What is accepted: gzip files of one or more members (what `gzip`, `pigz` and `cat a.gz b.gz`
// write); zstd files of one or more frames, skippable frames included. Data after the last
// member that is not another member is an error, as is a stream that ends inside a member or
// frame (a truncated file) and every checksum mismatch (gzip's CRC-32 and size, zstd's optional
// XXH64).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace driftgate::cli {

/// What the first bytes of a file announce.
enum class compression {
    none,         ///< no known magic: plain text
    gzip,         ///< 1f 8b
    zstd,         ///< 28 b5 2f fd
    unsupported,  ///< bzip2, xz, zip, lz4: a compressed format this reader does not decompress
};

/// Bytes detect_compression needs to be certain (xz's magic is the longest).
inline constexpr std::size_t magic_bytes = 6;

/// The compression `first` (the first min(magic_bytes, file size) bytes of a file) announces.
/// O(1).
[[nodiscard]] compression detect_compression(std::string_view first);

/// "gzip", "zstd", "plain", or for an unsupported format its name ("bzip2", "xz", "zip", "lz4").
[[nodiscard]] std::string compression_name(compression kind, std::string_view first = {});

/// Corrupt or truncated compressed data. what() says what is wrong, without naming the file.
class decompression_error : public std::runtime_error {
public:
    decompression_error(const std::string& message, bool truncated)
        : std::runtime_error(message), truncated_(truncated) {}
    /// True when the data ended inside a member or frame (it is otherwise corrupt).
    [[nodiscard]] bool truncated() const noexcept { return truncated_; }

private:
    bool truncated_;
};

/// A streaming decompressor of one gzip or zstd stream fed in pieces of any size.
class decompressor {
public:
    /// Receives each piece of output, in order; may throw to stop the decompression.
    using sink = std::function<void(std::string_view)>;

    /// Default size of the pieces of output handed to the sink.
    static constexpr std::size_t default_block = std::size_t{1} << 20;

    /// `kind` is compression::gzip or compression::zstd (std::invalid_argument otherwise).
    explicit decompressor(compression kind, std::size_t out_block = default_block);
    decompressor(const decompressor&) = delete;
    decompressor& operator=(const decompressor&) = delete;
    ~decompressor();

    /// Decompresses `in`, the next bytes of the compressed stream (all of them are taken), and
    /// hands the output to `out` in pieces of at most out_block bytes. Throws
    /// decompression_error for corrupt data, std::bad_alloc when the library cannot allocate its
    /// state. O(in + output).
    void feed(std::string_view in, const sink& out);

    /// Says that the compressed stream has ended: throws decompression_error(truncated) when it
    /// ended inside a member or frame, or when nothing was fed.
    void finish() const;

    /// Compressed bytes taken, and bytes of output handed to the sink.
    [[nodiscard]] std::uint64_t bytes_in() const noexcept { return in_; }
    [[nodiscard]] std::uint64_t bytes_out() const noexcept { return out_; }

    /// The compression this decompressor reads.
    [[nodiscard]] compression kind() const noexcept { return kind_; }

private:
    struct state;
    std::unique_ptr<state> s_;
    compression kind_;
    std::uint64_t in_ = 0, out_ = 0;
};

/// Reads a compressed stream and decompresses it, by default on a thread of its own a few pieces of
/// output ahead of its reader, so that decompression and what the reader does with the text run
/// side by side (the CSV reader's parse in pieces and the log reader use it). Output is handed
/// over in whole pieces of `out_block` bytes (the last one shorter). Memory: at most `depth` pieces
/// waiting and one being filled, whatever the compression ratio; without a thread, what one read
/// of 16 KiB of input inflates to (at most 1032 times as much for gzip), in pieces.
class decompressing_reader {
public:
    /// Reads up to n bytes of the compressed stream into p; 0 at its end. May throw: take()
    /// rethrows the exception once the output before it has been taken.
    using source = std::function<std::size_t(char* p, std::size_t n)>;

    /// `first`: bytes already read from the stream's start (to tell its compression), handed to
    /// the decompressor before any read. `kind` is compression::gzip or compression::zstd.
    /// `threaded` false: decompressed by take() on the caller's thread.
    decompressing_reader(compression kind, std::string first, source read, bool threaded = true,
                         std::size_t out_block = decompressor::default_block, std::size_t depth = 8);
    /// Stops the thread (after the piece it is decompressing) and joins it.
    ~decompressing_reader();
    decompressing_reader(const decompressing_reader&) = delete;
    decompressing_reader& operator=(const decompressing_reader&) = delete;

    /// Copies up to `cap` bytes of output to `out` and returns how many; 0 once every byte of
    /// output has been taken. After the last byte: throws decompression_error when the stream
    /// was corrupt or truncated (the output before the damage is handed out first), and the
    /// source's exception or std::bad_alloc likewise.
    std::size_t take(char* out, std::size_t cap);

    /// Compressed bytes decompressed so far (read by the thread: a snapshot).
    [[nodiscard]] std::uint64_t bytes_in() const noexcept;

private:
    struct state;
    std::unique_ptr<state> s_;
};

/// The start of a file's text, to tell what the file holds: `raw` itself (the file's first bytes;
/// `whole`: all of them), or, when it announces gzip or zstd, at least `want` bytes decompressed
/// from it (fewer when it holds fewer). `damaged`, when given, is set when the data is corrupt or a
/// whole file ends inside a member or frame; the text before the damage is returned. Memory: about
/// `want` bytes and one piece of 4 KiB beyond. O(raw.size()).
[[nodiscard]] std::string text_start(std::string raw, std::size_t want, bool whole, bool* damaged = nullptr);

/// The same from a stream: `read` puts up to n bytes at p and returns how many, 0 at the end
/// (`complete`: the end of the data, which may not fall inside a member). Pieces of 64 KiB are
/// read until `want` bytes of text are out, however much comes before them (skippable frames,
/// empty members); plain text: the first piece as it is. Memory: 64 KiB and about `want` bytes.
[[nodiscard]] std::string text_start(const std::function<std::size_t(char*, std::size_t)>& read, std::size_t want, bool complete,
                                     bool* damaged = nullptr);

/// The decompressed size a whole compressed file announces, when it announces one: a zstd frame
/// header's content size (single-frame files), or a gzip trailer's ISIZE (the size modulo 2^32,
/// so only a hint). `head` is the file's start (at least 18 bytes for zstd), `tail` its last 4
/// bytes (gzip). 0 when unknown. For reserving memory, never for trusting.
[[nodiscard]] std::uint64_t announced_size(compression kind, std::string_view head, std::string_view tail);

} // namespace driftgate::cli
