// Tests of the streaming decompressor (cli/decompress.hpp) and of compressed files read through
// the CSV reader (read_csv, read_csv_header). The expected text of every compressed fixture is the
// plain file it was made from (tests/data/compressed/gen_compressed.py: Python's gzip module and
// the zstd command line tool compressed tests/data/e2e/*.csv); the magic numbers are those of the
// formats' specifications (RFC 1952, RFC 8878, bzip2, xz, zip, lz4 frame).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "csv.hpp"
#include "decompress.hpp"
#include "exit_codes.hpp"

using driftgate::cli::announced_size;
using driftgate::cli::cli_error;
using driftgate::cli::compression;
using driftgate::cli::decompression_error;
using driftgate::cli::decompressor;
using driftgate::cli::detect_compression;
using driftgate::cli::exit_code;

namespace {

const std::string data = DRIFTGATE_TEST_DATA_DIR;
const std::string packed = data + "/compressed/";
const std::string plain = data + "/e2e/";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Decompresses `in` fed in pieces of `feed_step` bytes with output pieces of at most `block`
/// bytes (checked), then finish().
std::string inflate_all(const std::string& in, std::size_t feed_step, std::size_t block) {
    decompressor d(detect_compression(std::string_view(in).substr(0, driftgate::cli::magic_bytes)), block);
    std::string out;
    const auto keep = [&](std::string_view piece) {
        CHECK(piece.size() <= block);
        CHECK(!piece.empty());
        out.append(piece);
    };
    for (std::size_t at = 0; at < in.size(); at += feed_step) d.feed(std::string_view(in).substr(at, feed_step), keep);
    d.finish();
    CHECK(d.bytes_in() == in.size());
    CHECK(d.bytes_out() == out.size());
    return out;
}

} // namespace

TEST_CASE("detect_compression: magic numbers, not names") {
    struct row {
        std::string first;
        compression kind;
    };
    const std::vector<row> table = {
        {std::string("\x1f\x8b\x08\x00\x00\x00", 6), compression::gzip},     // RFC 1952: ID1 ID2 CM=8
        {std::string("\x28\xb5\x2f\xfd\x04\x58", 6), compression::zstd},     // RFC 8878: 0xFD2FB528 LE
        {std::string("BZh91AY", 7), compression::unsupported},               // bzip2, block magic 0x31
        {std::string("\xfd" "7zXZ\0", 6), compression::unsupported},         // xz
        {std::string("PK\x03\x04\x14\x00", 6), compression::unsupported},    // zip local file header
        {std::string("\x04\x22\x4d\x18\x64\x40", 6), compression::unsupported},  // lz4 frame
        // RFC 8878 skippable frames, magic 0x184D2A50-0x184D2A5F LE (pzstd writes one first)
        {std::string("\x50\x2a\x4d\x18\x04\x00", 6), compression::zstd},
        {std::string("\x5f\x2a\x4d\x18\x04\x00", 6), compression::zstd},
        {std::string("\x60\x2a\x4d\x18\x04\x00", 6), compression::none},  // 0x184D2A60: not one
        {std::string("P*M,x\n", 6), compression::none},
        {"a,b\n1,2", compression::none},
        {"BZh,x\n", compression::none},      // a header that starts like bzip2 but is not
        {std::string("\x1f", 1), compression::none},  // one byte: not a gzip magic
        {"", compression::none},
        {std::string("\xef\xbb\xbf" "a,b", 6), compression::none},  // a UTF-8 BOM
    };
    for (const row& r : table) {
        INFO(r.first);
        CHECK(detect_compression(r.first) == r.kind);
    }
    CHECK(driftgate::cli::compression_name(compression::unsupported, std::string("\xfd" "7zXZ\0", 6)) == "xz");
    CHECK(driftgate::cli::compression_name(compression::gzip) == "gzip");
}

TEST_CASE("decompressor: the plain text, whatever the sizes of the pieces fed and handed out") {
    for (const char* name : {"reference.csv", "moderate.csv"}) {
        const std::string text = slurp(plain + name);
        for (const char* ext : {".gz", ".zst"}) {
            INFO(name << ext);
            const std::string in = slurp(packed + name + ext);
            CHECK(inflate_all(in, in.size(), decompressor::default_block) == text);
            CHECK(inflate_all(in, 1, 4096) == text);
            CHECK(inflate_all(in, 7, 100) == text);
            CHECK(inflate_all(in, 1000, 1) == text);
        }
    }
    // Several gzip members, several zstd frames: one text.
    const std::string text = slurp(plain + "reference.csv");
    CHECK(inflate_all(slurp(packed + "two_members.csv.gz"), 333, 1000) == text);
    CHECK(inflate_all(slurp(packed + "two_frames.csv.zst"), 333, 1000) == text);
    CHECK(inflate_all(slurp(packed + "pzstd.csv.zst"), 5, 1000) == text);  // a skippable frame first
}

TEST_CASE("decompressor: truncated and corrupt data are errors, told apart") {
    const auto outcome = [](const std::string& file, std::size_t step) {
        const std::string in = slurp(packed + file);
        decompressor d(detect_compression(in), 1 << 16);
        try {
            for (std::size_t at = 0; at < in.size(); at += step) d.feed(std::string_view(in).substr(at, step), [](std::string_view) {});
            d.finish();
        } catch (const decompression_error& e) {
            return std::string(e.truncated() ? "truncated: " : "corrupt: ") + e.what();
        }
        return std::string("ok");
    };
    for (std::size_t step : {std::size_t{1}, std::size_t{5000}, std::size_t{1} << 20}) {
        INFO(step);
        CHECK(outcome("truncated.csv.gz", step).rfind("truncated: truncated gzip data", 0) == 0);
        CHECK(outcome("truncated.csv.zst", step).rfind("truncated: truncated zstd data", 0) == 0);
        CHECK(outcome("corrupt.csv.gz", step).rfind("corrupt: corrupt gzip data (incorrect data check)", 0) == 0);
        CHECK(outcome("corrupt.csv.zst", step).rfind("corrupt: corrupt zstd data", 0) == 0);
        CHECK(outcome("trailing_garbage.csv.gz", step).rfind("corrupt: corrupt gzip data (incorrect header check)", 0) == 0);
        CHECK(outcome("reference.csv.gz", step) == "ok");
    }
    decompressor empty(compression::zstd);
    CHECK_THROWS_AS(empty.finish(), decompression_error);
    CHECK_THROWS_AS(decompressor(compression::none), std::invalid_argument);
}

TEST_CASE("text_start: the raw bytes, or the start of the text they decompress to, and the damage") {
    using driftgate::cli::text_start;
    const std::string text = slurp(plain + "reference.csv");
    bool damaged = true;
    CHECK(text_start("a,b\n1,2\n", 3, true, &damaged) == "a,b\n1,2\n");  // plain: as it is
    CHECK(!damaged);
    for (const char* file : {"reference.csv.gz", "reference.csv.zst"}) {
        INFO(file);
        const std::string in = slurp(packed + file);
        const std::string start = text_start(in, 100, true, &damaged);
        CHECK(!damaged);
        REQUIRE(start.size() >= 100);
        CHECK(text.compare(0, start.size(), start) == 0);
        // Not all of the file given (whole = false): no complaint that it ends inside a member, and
        // what came out is the text's start (nothing for zstd when its first block is not all there).
        const std::string half = text_start(in.substr(0, in.size() / 2), 8, false, &damaged);
        CHECK(text.compare(0, half.size(), half) == 0);
        CHECK(!damaged);
    }
    // A whole file that ends inside a member, and corrupt data: damaged, the text before it kept.
    const std::string cut = text_start(slurp(packed + "truncated.csv.gz"), std::size_t{1} << 30, true, &damaged);
    CHECK(damaged);
    CHECK(!cut.empty());
    CHECK(text_start(slurp(packed + "corrupt.csv.zst"), std::size_t{1} << 30, true, &damaged).size() < std::size_t{1} << 30);
    CHECK(damaged);
}

TEST_CASE("decompressor: a bomb is handed out in bounded pieces, and stops when the sink throws") {
    const std::string in = slurp(packed + "bomb.csv.zst");
    REQUIRE(in.size() < 20000);
    decompressor d(compression::zstd, 1 << 20);
    std::size_t total = 0, pieces = 0;
    struct enough {};
    try {
        d.feed(in, [&](std::string_view piece) {
            REQUIRE(piece.size() <= std::size_t{1} << 20);
            total += piece.size();
            ++pieces;
            if (total >= std::size_t{8} << 20) throw enough{};
        });
        FAIL("the sink did not stop the decompression");
    } catch (const enough&) {
    }
    CHECK(total == std::size_t{8} << 20);
    CHECK(pieces == 8);
}

TEST_CASE("announced_size: the zstd frame's content size and the gzip trailer's ISIZE") {
    const std::string text = slurp(plain + "reference.csv");
    const std::string z = slurp(packed + "reference.csv.zst"), g = slurp(packed + "reference.csv.gz");
    CHECK(announced_size(compression::zstd, z.substr(0, 32), {}) == text.size());
    CHECK(announced_size(compression::gzip, g.substr(0, 32), g.substr(g.size() - 4)) == text.size());
    CHECK(announced_size(compression::zstd, std::string("\x28\xb5\x2f\xfd", 4), {}) == 0);  // header cut: unknown
}

TEST_CASE("read_csv and read_csv_header on compressed files: the plain file's table, bit for bit") {
    const std::vector<std::string> columns = {"income", "util", "code", "score", "default"};
    const auto a = driftgate::cli::read_csv(plain + "reference.csv", columns);
    for (const char* file : {"reference.csv.gz", "reference.csv.zst", "gzip_named_plain.csv", "two_members.csv.gz", "two_frames.csv.zst"}) {
        INFO(file);
        CHECK(driftgate::cli::read_csv_header(packed + file) == a.header);
        const auto b = driftgate::cli::read_csv(packed + file, columns);
        REQUIRE(b.rows == a.rows);
        for (std::size_t i = 0; i < columns.size(); ++i)
            CHECK(std::memcmp(a.columns[i].data(), b.columns[i].data(), a.rows * sizeof(double)) == 0);
    }
    // A truncated file: exit 65, named, the line where the decompressed text stops.
    try {
        (void)driftgate::cli::read_csv(packed + "truncated.csv.gz", columns);
        FAIL("no error");
    } catch (const cli_error& e) {
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()).rfind(packed + "truncated.csv.gz:", 0) == 0);
        CHECK(std::string(e.what()).find("truncated gzip data") != std::string::npos);
    }
    // Its header alone is readable: the header read stops before the end.
    CHECK(driftgate::cli::read_csv_header(packed + "truncated.csv.gz") == a.header);
}

namespace {

/// Everything a decompressing_reader hands out, taken in pieces of `cap` bytes.
std::string take_all(driftgate::cli::decompressing_reader& r, std::size_t cap) {
    std::string out, piece(cap, '\0');
    for (std::size_t n; (n = r.take(piece.data(), cap)) > 0;) {
        CHECK(n <= cap);
        out.append(piece, 0, n);
    }
    return out;
}

/// A source reading `bytes` in reads of at most `step` bytes.
driftgate::cli::decompressing_reader::source reads_of(const std::string& bytes, std::size_t step, std::size_t& at) {
    return [&bytes, step, &at](char* p, std::size_t n) {
        const std::size_t k = std::min({n, step, bytes.size() - at});
        std::memcpy(p, bytes.data() + at, k);
        at += k;
        return k;
    };
}

} // namespace

TEST_CASE("decompressing_reader: the decompressor's text on a thread or on the caller's, then the damage") {
    using driftgate::cli::decompressing_reader;
    const bool threaded = GENERATE(true, false);
    INFO("threaded " << threaded);
    const std::string text = slurp(plain + "reference.csv");
    for (const char* file : {"reference.csv.gz", "reference.csv.zst", "two_members.csv.gz", "two_frames.csv.zst"}) {
        INFO(file);
        const std::string in = slurp(packed + file);
        std::size_t at = 3;  // the first three bytes given at construction, as a reader that looked at them
        decompressing_reader r(detect_compression(in), in.substr(0, 3), reads_of(in, 777, at), threaded, 1000, 2);
        CHECK(take_all(r, 4096) == text);  // every one of them holds reference.csv
        CHECK(r.bytes_in() == in.size());
        CHECK(r.take(nullptr, 0) == 0);  // drained: stays at its end
    }
    // Damage: the text before it is handed out, then the decompressor's error.
    for (const char* file : {"truncated.csv.gz", "truncated.csv.zst", "corrupt.csv.gz", "corrupt.csv.zst", "trailing_garbage.csv.gz"}) {
        INFO(file);
        const std::string in = slurp(packed + file);
        std::size_t at = 0;
        decompressing_reader r(detect_compression(in), {}, reads_of(in, 500, at), threaded, 1000, 2);
        std::string got, piece(100, '\0');
        try {
            for (std::size_t n; (n = r.take(piece.data(), piece.size())) > 0;) got.append(piece, 0, n);
            FAIL("no error");
        } catch (const decompression_error& e) {
            const bool truncated = std::string(file).find("truncated") == 0;
            CHECK(e.truncated() == truncated);
        }
        // What was handed out is a prefix of the file the fixture was made from (but where zstd
        // decoded the inverted bytes before its checksum caught them).
        if (std::string(file) != "corrupt.csv.zst") CHECK(text.compare(0, got.size(), got) == 0);
    }
    // A source's exception comes after the text read before it.
    {
        const std::string in = slurp(packed + "reference.csv.gz");
        std::size_t at = 0;
        auto good = reads_of(in, 200, at);
        decompressing_reader r(compression::gzip, {}, [&](char* p, std::size_t n) -> std::size_t {
            if (at >= in.size() / 2) throw std::runtime_error("read failed");
            return good(p, n);
        }, threaded, 1000, 2);
        std::string got, piece(100, '\0');
        CHECK_THROWS_WITH([&] { for (std::size_t n; (n = r.take(piece.data(), piece.size())) > 0;) got.append(piece, 0, n); }(),
                          "read failed");
        CHECK(!got.empty());
        CHECK(text.compare(0, got.size(), got) == 0);
    }
}

TEST_CASE("decompressing_reader: a bomb read in part and abandoned holds bounded memory and stops") {
    using driftgate::cli::decompressing_reader;
    const bool threaded = GENERATE(true, false);
    const std::string in = slurp(packed + "bomb.csv.zst");
    std::size_t at = 0;
    {
        decompressing_reader r(compression::zstd, {}, reads_of(in, 1 << 20, at), threaded, 1 << 16, 4);
        std::string piece(1 << 16, '\0');
        std::size_t total = 0;
        for (int i = 0; i < 10; ++i) total += r.take(piece.data(), piece.size());
        CHECK(total == std::size_t{10} << 16);
    }  // the destructor stops the thread, which waits for room in a queue of 4 pieces
    CHECK(at <= in.size());
}
