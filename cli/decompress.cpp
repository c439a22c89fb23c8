// driftgate CLI — streaming decompression: see decompress.hpp.
#include "decompress.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <new>
#include <thread>
#include <utility>
#include <vector>

#include <zlib.h>
#include <zstd.h>

namespace driftgate::cli {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

constexpr std::string_view gzip_magic("\x1f\x8b", 2);
constexpr std::string_view zstd_magic("\x28\xb5\x2f\xfd", 4);
constexpr std::string_view bzip2_magic("BZh", 3);
constexpr std::string_view xz_magic("\xfd" "7zXZ\0", 6);
constexpr std::string_view zip_magic("PK\x03\x04", 4);
constexpr std::string_view lz4_magic("\x04\x22\x4d\x18", 4);

} // namespace

compression detect_compression(std::string_view first) {
    if (starts_with(first, gzip_magic)) return compression::gzip;
    if (starts_with(first, zstd_magic)) return compression::zstd;
    // A zstd skippable frame (magic 0x184D2A50 to 0x184D2A5F, little-endian), which pzstd writes
    // before each frame; libzstd's stream decoder steps over it. No text starts with byte 0x18.
    if (first.size() >= 4 && (static_cast<unsigned char>(first[0]) & 0xF0) == 0x50 && first.substr(1, 3) == "\x2a\x4d\x18")
        return compression::zstd;
    // bzip2: "BZh" and a block size digit 1-9, then the block magic's first byte (0x31) or the
    // end-of-stream magic's (0x17): a CSV header does not start with these bytes.
    if (starts_with(first, bzip2_magic) && first.size() >= 5 && first[3] >= '1' && first[3] <= '9' &&
        (first[4] == '\x31' || first[4] == '\x17'))
        return compression::unsupported;
    if (starts_with(first, xz_magic) || starts_with(first, zip_magic) || starts_with(first, lz4_magic))
        return compression::unsupported;
    return compression::none;
}

std::string compression_name(compression kind, std::string_view first) {
    switch (kind) {
    case compression::none: return "plain";
    case compression::gzip: return "gzip";
    case compression::zstd: return "zstd";
    case compression::unsupported: break;
    }
    if (starts_with(first, bzip2_magic)) return "bzip2";
    if (starts_with(first, xz_magic)) return "xz";
    if (starts_with(first, zip_magic)) return "zip";
    if (starts_with(first, lz4_magic)) return "lz4";
    return "an unknown compression";
}

// ---- the libraries' state ----------------------------------------------------------------------

struct decompressor::state {
    std::vector<char> buffer;  // one piece of output
    // gzip
    z_stream z{};
    bool z_ready = false;
    bool in_member = false;  // bytes of a member were taken and its end not reached
    std::uint64_t members = 0;
    // zstd
    ZSTD_DCtx* d = nullptr;
    std::size_t zstd_pending = 0;  // ZSTD_decompressStream's last hint: 0 at a frame's end

    ~state() {
        if (z_ready) inflateEnd(&z);
        if (d != nullptr) ZSTD_freeDCtx(d);
    }
};

decompressor::decompressor(compression kind, std::size_t out_block) : s_(std::make_unique<state>()), kind_(kind) {
    if (out_block == 0) throw std::invalid_argument("decompressor: out_block is 0");
    s_->buffer.resize(out_block);
    if (kind == compression::gzip) {
        // 15 + 16: a 32 KiB window, gzip headers and trailers only.
        const int r = inflateInit2(&s_->z, 15 + 16);
        if (r == Z_MEM_ERROR) throw std::bad_alloc();
        if (r != Z_OK) throw std::runtime_error("zlib: inflateInit2 failed");
        s_->z_ready = true;
    } else if (kind == compression::zstd) {
        s_->d = ZSTD_createDCtx();
        if (s_->d == nullptr) throw std::bad_alloc();
    } else {
        throw std::invalid_argument("decompressor: not gzip or zstd");
    }
}

decompressor::~decompressor() = default;

void decompressor::feed(std::string_view in, const sink& out) {
    state& s = *s_;
    const std::size_t block = s.buffer.size();
    if (kind_ == compression::gzip) {
        z_stream& z = s.z;
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z.avail_in = 0;
        std::size_t left = in.size();  // not yet handed to zlib (avail_in is 32 bits)
        for (;;) {
            if (z.avail_in == 0 && left > 0) {
                const auto step = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
                z.avail_in = step;
                left -= step;
            }
            if (z.avail_in > 0 && !s.in_member) {
                if (s.members > 0 && inflateReset(&z) != Z_OK) throw std::runtime_error("zlib: inflateReset failed");
                s.in_member = true;
            }
            if (!s.in_member) break;  // between members, nothing more to take
            z.next_out = reinterpret_cast<Bytef*>(s.buffer.data());
            z.avail_out = static_cast<uInt>(block);
            const uInt before = z.avail_in;
            const int r = inflate(&z, Z_NO_FLUSH);
            in_ += before - z.avail_in;
            const std::size_t produced = block - z.avail_out;
            if (produced > 0) {  // before an error is reported: the caller sees where it stopped
                out_ += produced;
                out(std::string_view(s.buffer.data(), produced));
            }
            if (r == Z_STREAM_END) {
                s.in_member = false;
                ++s.members;
            } else if (r == Z_MEM_ERROR) {
                throw std::bad_alloc();
            } else if (r == Z_NEED_DICT || r == Z_DATA_ERROR || r == Z_STREAM_ERROR) {
                const std::string why = z.msg != nullptr ? z.msg : "invalid data";
                throw decompression_error(
                    "corrupt gzip data (" + why + ") at compressed byte " + std::to_string(in_) +
                        (s.members > 0 ? " (after " + std::to_string(s.members) + " complete member" +
                                             (s.members == 1 ? "" : "s") + ": not another gzip member)"
                                       : ""),
                    false);
            } else if (r != Z_OK && r != Z_BUF_ERROR) {
                throw decompression_error("gzip: zlib error " + std::to_string(r), false);
            }
            // Done with this input once zlib has taken all of it and had room to spare.
            if (z.avail_in == 0 && left == 0 && (produced < block || !s.in_member)) break;
        }
        return;
    }
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    for (;;) {
        ZSTD_outBuffer ob{s.buffer.data(), block, 0};
        const std::size_t before = ib.pos;
        const std::size_t r = ZSTD_decompressStream(s.d, &ob, &ib);
        in_ += ib.pos - before;
        if (ZSTD_isError(r) != 0)
            throw decompression_error(std::string("corrupt zstd data (") + ZSTD_getErrorName(r) + ")", false);
        // A call that took and gave nothing (its output room was full before) says nothing of
        // the frame: after a frame's end it would give the next frame's header size.
        if (ib.pos != before || ob.pos > 0) s.zstd_pending = r;
        if (ob.pos > 0) {
            out_ += ob.pos;
            out(std::string_view(s.buffer.data(), ob.pos));
        }
        if (ib.pos == ib.size && ob.pos < ob.size) break;
    }
}

void decompressor::finish() const {
    const state& s = *s_;
    const std::string at = " (after " + std::to_string(in_) + " compressed bytes)";
    if (in_ == 0) throw decompression_error(std::string(kind_ == compression::gzip ? "gzip" : "zstd") + " data is empty", true);
    if (kind_ == compression::gzip && s.in_member)
        throw decompression_error("truncated gzip data: the file ends inside a member" + at, true);
    if (kind_ == compression::zstd && s.zstd_pending != 0)
        throw decompression_error("truncated zstd data: the file ends inside a frame" + at, true);
}

// ---- decompressing_reader ------------------------------------------------------------------

struct decompressing_reader::state {
    decompressor unz;
    source read;
    std::string first;  // bytes read before the reader was made, fed first
    const bool threaded;
    const std::size_t block, depth;
    std::atomic<std::uint64_t> in{0};
    std::vector<char> input;  // one read of compressed bytes

    std::mutex m;
    std::condition_variable cv;
    std::deque<std::pair<std::unique_ptr<char[]>, std::size_t>> ready;  // pieces of output waiting
    std::vector<std::unique_ptr<char[]>> spare;                         // pieces taken, for reuse
    std::size_t offset = 0;                                             // bytes taken of ready.front()
    bool finished = false;                                              // no piece will follow
    bool stop = false;                                                  // the reader went away
    std::exception_ptr error;                                           // what ended the stream early
    std::thread thread;
    // The piece being filled (the decompressing side's alone): the decompressor's output is
    // gathered into whole pieces of `block` bytes, however little each call gives (zstd gives
    // what one read of input holds, a fraction of a piece), so that every piece queued is full and
    // a queue of `depth` pieces holds depth x block bytes of text.
    std::unique_ptr<char[]> filling;
    std::size_t filled = 0;

    struct stopped {};  // thrown through the decompressor when the reader goes away

    state(compression kind, std::string f, source r, bool t, std::size_t b, std::size_t d)
        : unz(kind, b), read(std::move(r)), first(std::move(f)), threaded(t), block(b), depth(d),
          input(t ? std::size_t{256} << 10 : std::size_t{16} << 10) {}

    /// The sink: output appended to the piece being filled, each piece queued once full (waiting
    /// for room in the queue when threaded).
    void push(std::string_view piece) {
        while (!piece.empty()) {
            if (!filling) {
                {
                    std::unique_lock<std::mutex> l(m);
                    if (threaded) cv.wait(l, [&] { return stop || ready.size() < depth; });
                    if (stop) throw stopped{};
                    if (!spare.empty()) {
                        filling = std::move(spare.back());
                        spare.pop_back();
                    }
                }
                if (!filling) filling.reset(new char[block]);
                filled = 0;
            }
            const std::size_t k = std::min(piece.size(), block - filled);
            std::memcpy(filling.get() + filled, piece.data(), k);
            filled += k;
            piece.remove_prefix(k);
            if (filled == block) queue_filling();
        }
    }
    /// Queues the piece being filled (a last one may be short).
    void queue_filling() {
        if (!filling || filled == 0) return;
        {
            std::lock_guard<std::mutex> l(m);
            ready.emplace_back(std::move(filling), filled);
        }
        filled = 0;
        cv.notify_all();
    }
    /// Decompresses one more read of input; false at the stream's end.
    bool step() {
        const decompressor::sink sink = [this](std::string_view piece) { push(piece); };
        if (!first.empty()) {
            const std::string f = std::move(first);
            first.clear();
            unz.feed(f, sink);
        } else {
            const std::size_t n = read(input.data(), input.size());
            if (n == 0) {
                unz.finish();
                return false;
            }
            unz.feed(std::string_view(input.data(), n), sink);
        }
        in.store(unz.bytes_in(), std::memory_order_relaxed);
        return true;
    }
    void end(std::exception_ptr e) {
        queue_filling();  // the text before the end or the damage is handed out first
        {
            std::lock_guard<std::mutex> l(m);
            error = std::move(e);
            finished = true;
        }
        cv.notify_all();
    }
    /// One step on the caller's thread (threaded == false), or the thread's whole work.
    void advance() {
        try {
            if (!step()) end(nullptr);
        } catch (const stopped&) {
            end(nullptr);
        } catch (...) {
            end(std::current_exception());
        }
    }
    void run() {
        for (;;) {
            {
                std::lock_guard<std::mutex> l(m);
                if (finished) return;
            }
            advance();
        }
    }
};

decompressing_reader::decompressing_reader(compression kind, std::string first, source read, bool threaded,
                                           std::size_t out_block, std::size_t depth)
    : s_(std::make_unique<state>(kind, std::move(first), std::move(read), threaded, out_block, depth == 0 ? 1 : depth)) {
    if (threaded) s_->thread = std::thread([s = s_.get()] { s->run(); });
}

decompressing_reader::~decompressing_reader() {
    {
        std::lock_guard<std::mutex> l(s_->m);
        s_->stop = true;
    }
    s_->cv.notify_all();
    if (s_->thread.joinable()) s_->thread.join();
}

std::size_t decompressing_reader::take(char* out, std::size_t cap) {
    state& s = *s_;
    std::unique_lock<std::mutex> l(s.m);
    if (s.threaded) {
        s.cv.wait(l, [&] { return !s.ready.empty() || s.finished; });
    } else {
        while (s.ready.empty() && !s.finished) {
            l.unlock();
            s.advance();
            l.lock();
        }
    }
    if (s.ready.empty()) {
        if (s.error) std::rethrow_exception(s.error);
        return 0;
    }
    auto& [b, n] = s.ready.front();
    const std::size_t k = std::min(cap, n - s.offset);
    std::memcpy(out, b.get() + s.offset, k);
    s.offset += k;
    if (s.offset == n) {
        s.spare.push_back(std::move(b));
        s.ready.pop_front();
        s.offset = 0;
        l.unlock();
        s.cv.notify_all();
    }
    return k;
}

std::uint64_t decompressing_reader::bytes_in() const noexcept { return s_->in.load(std::memory_order_relaxed); }

std::uint64_t announced_size(compression kind, std::string_view head, std::string_view tail) {
    if (kind == compression::zstd) {
        const unsigned long long n = ZSTD_getFrameContentSize(head.data(), head.size());
        if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR) return 0;
        return n;
    }
    if (kind == compression::gzip && tail.size() == 4) {
        std::uint64_t n = 0;
        for (int i = 3; i >= 0; --i) n = n << 8 | static_cast<unsigned char>(tail[static_cast<std::size_t>(i)]);
        return n;
    }
    return 0;
}

std::string text_start(const std::function<std::size_t(char*, std::size_t)>& read, std::size_t want, bool complete,
                       bool* damaged) {
    if (damaged != nullptr) *damaged = false;
    constexpr std::size_t piece_bytes = std::size_t{64} << 10;
    std::string raw(piece_bytes, '\0');
    std::size_t got = 0;
    for (std::size_t n; got < magic_bytes && (n = read(raw.data() + got, raw.size() - got)) != 0;) got += n;
    raw.resize(got);
    const compression kind = detect_compression(std::string_view(raw).substr(0, magic_bytes));
    if (kind != compression::gzip && kind != compression::zstd) return raw;
    std::string text;
    try {
        decompressor unz(kind, std::size_t{4} << 10);
        struct enough {};
        const auto keep = [&](std::string_view piece) {
            text.append(piece);
            if (text.size() >= want) throw enough{};
        };
        try {
            // Pieces until the text is long enough: leading skippable frames or empty members of
            // any length are passed over (each piece's output is bounded, not the input read).
            unz.feed(raw, keep);
            raw.resize(piece_bytes);
            for (std::size_t n; (n = read(raw.data(), raw.size())) != 0;) unz.feed(std::string_view(raw.data(), n), keep);
            if (complete) unz.finish();
        } catch (const enough&) {
        }
    } catch (const decompression_error&) {
        if (damaged != nullptr) *damaged = true;
    }
    return text;
}

std::string text_start(std::string raw, std::size_t want, bool whole, bool* damaged) {
    const compression kind = detect_compression(std::string_view(raw).substr(0, magic_bytes));
    if (kind != compression::gzip && kind != compression::zstd) {
        if (damaged != nullptr) *damaged = false;
        return raw;
    }
    std::size_t at = 0;
    return text_start(
        [&](char* p, std::size_t n) {
            n = std::min(n, raw.size() - at);
            std::memcpy(p, raw.data() + at, n);
            at += n;
            return n;
        },
        want, whole, damaged);
}

} // namespace driftgate::cli
