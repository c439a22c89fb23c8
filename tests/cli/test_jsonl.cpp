// Tests of the CLI's JSON-lines reader (cli/jsonl.hpp): line splitting, gzip (members, truncation,
// corruption), fields and dotted paths, every kind of bad line in both modes with its place,
// patterns and duplicates, recognising a log, and a log read as a snapshot table. Expected values
// are written out next to each input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "jsonl.hpp"

namespace fs = std::filesystem;
namespace dg = driftgate;
using namespace driftgate::cli;

namespace {

struct temp_dir {
    fs::path path;
    temp_dir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("driftgate_jsonl_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(file(name), std::ios::binary) << content;
        return file(name);
    }
    /// Writes `content` gzip-compressed (one member per element of `members`, concatenated).
    std::string write_gz(const std::string& name, const std::vector<std::string>& members) const {
        std::string bytes;
        for (const auto& m : members) {
            z_stream zs{};
            REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
            std::string out(deflateBound(&zs, m.size()) + 64, '\0');
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(m.data()));
            zs.avail_in = static_cast<uInt>(m.size());
            zs.next_out = reinterpret_cast<Bytef*>(out.data());
            zs.avail_out = static_cast<uInt>(out.size());
            REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
            out.resize(zs.total_out);
            deflateEnd(&zs);
            bytes += out;
        }
        return write(name, bytes);
    }
    /// Writes `content` zstd-compressed (one frame per element of `frames`, concatenated).
    std::string write_zst(const std::string& name, const std::vector<std::string>& frames) const {
        std::string bytes;
        for (const auto& f : frames) {
            std::string out(ZSTD_compressBound(f.size()), '\0');
            const std::size_t n = ZSTD_compress(out.data(), out.size(), f.data(), f.size(), 3);
            REQUIRE(ZSTD_isError(n) == 0);
            bytes.append(out, 0, n);
        }
        return write(name, bytes);
    }
};

/// The text zlib itself inflates from a cut gzip stream: every byte it can give before the input
/// runs out (the reference for where a reader of the same bytes must say its text ends).
std::string inflate_prefix(const std::string& bytes) {
    z_stream zs{};
    REQUIRE(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    std::string out;
    char block[1 << 16];
    int r = Z_OK;
    do {
        zs.next_out = reinterpret_cast<Bytef*>(block);
        zs.avail_out = sizeof block;
        r = inflate(&zs, Z_NO_FLUSH);
        out.append(block, sizeof block - zs.avail_out);
    } while (r == Z_OK && (zs.avail_in > 0 || zs.avail_out == 0));
    inflateEnd(&zs);
    return out;
}

/// LINE:COLUMN of the end of `text`: its line feeds + 1, and one past the bytes after the last.
std::string end_place(const std::string& text) {
    const auto lines = std::count(text.begin(), text.end(), '\n');
    const auto last = text.rfind('\n');
    const std::size_t column = last == std::string::npos ? text.size() + 1 : text.size() - last;
    return std::to_string(lines + 1) + ":" + std::to_string(column);
}

std::vector<std::string> lines_of(const std::string& path, bool background = true) {
    line_source src(path, background);
    std::vector<std::string> out;
    std::string_view l;
    while (src.next(l)) out.emplace_back(l);
    return out;
}

/// Runs f and requires a cli_error with `code` whose message contains each fragment.
template <class F>
void require_cli_error(F&& f, exit_code code, std::initializer_list<std::string> fragments) {
    try {
        f();
        FAIL("no cli_error thrown");
    } catch (const cli_error& e) {
        INFO(e.what());
        REQUIRE(e.code() == code);
        for (const auto& frag : fragments) REQUIRE(std::string(e.what()).find(frag) != std::string::npos);
    }
}

std::string req(const std::string& ts, const std::string& lat, const std::string& status,
                const std::string& version = "\"1.0.0\"") {
    return "{\"timestamp\": " + ts + ", \"model_version\": " + version + ", \"latency_ms\": " + lat +
           ", \"status\": " + status + "}";
}

const std::string good = req("\"2025-12-26T10:15:30Z\"", "87", "200");

} // namespace

TEST_CASE("line_source: line ends, a missing last line end, a byte-order mark, long lines", "[jsonl][lines]") {
    temp_dir d;
    CHECK(lines_of(d.write("a", "x\ny\n")) == std::vector<std::string>{"x", "y"});
    CHECK(lines_of(d.write("b", "x\r\ny")) == std::vector<std::string>{"x", "y"});
    CHECK(lines_of(d.write("c", "\xEF\xBB\xBF{}\n\n")) == std::vector<std::string>{"{}", ""});
    CHECK(lines_of(d.write("e", "")).empty());
    CHECK(lines_of(d.write("f", "\n")) == std::vector<std::string>{""});
    // Lines longer than the 4 MiB buffer, around its edges.
    const std::string big(9 << 20, 'x'), mid(4 << 20, 'y');
    const auto got = lines_of(d.write("g", "a\n" + big + "\n" + mid + "\nb"));
    REQUIRE(got.size() == 4);
    CHECK(got[1] == big);
    CHECK(got[2] == mid);
    CHECK(got[3] == "b");
    line_source src(d.file("g"));
    std::string_view l;
    while (src.next(l)) {}
    CHECK(src.line_number() == 4);
    CHECK(src.text_bytes() == fs::file_size(d.file("g")));
    CHECK_FALSE(src.compressed());
}

TEST_CASE("line_source: gzip by magic bytes, concatenated members, truncated and corrupt data", "[jsonl][gzip]") {
    const bool background = GENERATE(true, false);  // inflated on a second thread, or on the caller's
    INFO("background " << background);
    const auto lines_of = [background](const std::string& path) { return ::lines_of(path, background); };
    temp_dir d;
    std::string text;
    for (int i = 0; i < 50000; ++i) text += "{\"i\": " + std::to_string(i) + "}\n";
    const auto plain = lines_of(d.write("p.jsonl", text));
    REQUIRE(plain.size() == 50000);
    // The name does not matter, the bytes do.
    const std::string gz = d.write_gz("log.data", {text});
    CHECK(lines_of(gz) == plain);
    CHECK(line_source(gz, background).compressed());
    // Lines much longer than the inflated blocks, and a partly read stream abandoned (the
    // inflating thread is stopped, not waited for to the end).
    {
        std::string longs;
        for (int i = 0; i < 6; ++i) longs += std::string(static_cast<std::size_t>(3 << 20) + i, static_cast<char>('a' + i)) + "\n";
        const auto got = lines_of(d.write_gz("long.gz", {longs}));
        REQUIRE(got.size() == 6);
        for (int i = 0; i < 6; ++i) CHECK(got[i] == std::string(static_cast<std::size_t>(3 << 20) + i, static_cast<char>('a' + i)));
        line_source src(d.file("long.gz"), background);
        std::string_view l;
        REQUIRE(src.next(l));
    }
    // Two members, split inside a line: one stream.
    CHECK(lines_of(d.write_gz("two.gz", {text.substr(0, 12345), text.substr(12345)})) == plain);
    // Truncated: every cut of the compressed bytes is an error placed where the text zlib inflates
    // from the cut bytes ends (FILE:LINE:COLUMN), never a short read.
    std::string bytes;
    {
        std::ifstream in(gz, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    for (const std::size_t keep : {bytes.size() - 1, bytes.size() - 8, bytes.size() / 2, bytes.size() / 3 + 7,
                                   std::size_t{20}, std::size_t{3}}) {
        INFO("kept " << keep << " of " << bytes.size() << " bytes");
        const auto cut = d.write("cut.gz", bytes.substr(0, keep));
        const std::string place = end_place(inflate_prefix(bytes.substr(0, keep)));
        require_cli_error([&] { (void)lines_of(cut); }, exit_code::data,
                          {cut + ":" + place + ": truncated gzip data", "; nothing was judged"});
    }
    // Corrupt: a flipped byte in the data or the CRC.
    std::string bad = bytes;
    bad[bytes.size() / 2] = static_cast<char>(bad[bytes.size() / 2] ^ 0x55);
    require_cli_error([&] { (void)lines_of(d.write("bad.gz", bad)); }, exit_code::data, {"bad.gz", "corrupt gzip data"});
    bad = bytes;
    bad[bytes.size() - 6] = static_cast<char>(bad[bytes.size() - 6] ^ 0x01);
    require_cli_error([&] { (void)lines_of(d.write("crc.gz", bad)); }, exit_code::data, {"crc.gz", "corrupt gzip data"});
    // Bytes after the last member that are not another member.
    require_cli_error([&] { (void)lines_of(d.write("tail.gz", bytes + "garbage")); }, exit_code::data,
                      {"tail.gz", "not another gzip member"});
}

TEST_CASE("line_source: zstd by magic bytes, several frames, truncated data", "[jsonl][zstd]") {
    const bool background = GENERATE(true, false);
    INFO("background " << background);
    temp_dir d;
    std::string text;
    for (int i = 0; i < 50000; ++i) text += "{\"i\": " + std::to_string(i) + "}\n";
    const auto plain = lines_of(d.write("p.jsonl", text), background);
    const std::string zst = d.write_zst("log.data", {text});
    CHECK(lines_of(zst, background) == plain);
    CHECK(line_source(zst, background).compressed());
    CHECK(lines_of(d.write_zst("two.zst", {text.substr(0, 12345), text.substr(12345)}), background) == plain);
    std::string bytes;
    {
        std::ifstream in(zst, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto cut = d.write("cut.zst", bytes.substr(0, bytes.size() - 3));
    require_cli_error([&] { (void)lines_of(cut, background); }, exit_code::data, {"cut.zst:", "truncated zstd data", "; nothing was judged"});
}

TEST_CASE("line_source: missing files and directories are exit 66", "[jsonl][errors]") {
    temp_dir d;
    require_cli_error([&] { line_source s(d.file("nope.jsonl")); }, exit_code::no_input, {"nope.jsonl", "no such file"});
    require_cli_error([&] { line_source s(d.path.string()); }, exit_code::no_input, {"is a directory"});
}

TEST_CASE("read_request_log: fields, instants, versions, several files in order", "[jsonl][read]") {
    temp_dir d;
    const auto a = d.write("a.jsonl", good + "\n" + req("\"2025-12-26T11:15:30.25+01:00\"", "12.5", "503", "\"1.1.0\"") + "\n\n");
    const auto b = d.write_gz("b.jsonl.gz", {req("\"2025-12-26T10:16:00Z\"", "0", "404") + "\n"});
    const std::vector<std::string> paths{a, b};
    const auto log = read_request_log(paths, {}, true);
    REQUIRE(log.timestamps.size() == 3);
    CHECK(log.timestamps == std::vector<std::int64_t>{1766744130000000, 1766744130250000, 1766744160000000});
    CHECK(log.latency_ms == std::vector<double>{87, 12.5, 0});
    CHECK(log.status == std::vector<std::uint16_t>{200, 503, 404});
    CHECK(log.model_version == std::vector<std::uint32_t>{0, 1, 0});
    CHECK(log.model_versions == std::vector<std::string>{"1.0.0", "1.1.0"});
    REQUIRE(log.files.size() == 2);
    CHECK(log.files[0].lines == 3);
    CHECK(log.files[0].blank_lines == 1);
    CHECK(log.files[0].requests == 2);
    CHECK(log.files[1].compressed);
    CHECK(log.files[1].requests == 1);
    // Without versions, the version field is not even looked at.
    const auto no_ver = d.write("nv.jsonl", "{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 1, \"status\": 200}\n");
    CHECK(read_request_log(std::vector<std::string>{no_ver}, {}, false).timestamps.size() == 1);
}

TEST_CASE("read_request_log: dotted paths and numeric timestamps", "[jsonl][read]") {
    temp_dir d;
    dg::service_policy p;
    p.timestamp_field = "meta.at";
    p.latency_field = "timing.total.ms";
    p.status_field = "http.status";
    const auto f = d.write("n.jsonl",
                           "{\"meta\": {\"at\": 1766744130.5}, \"timing\": {\"total\": {\"ms\": 3}}, \"http\": {\"status\": 201.0}}\n"
                           "{\"meta\": {\"at\": -1}, \"timing\": {\"total\": {\"ms\": 4}}, \"http\": {\"status\": 599}}\n");
    auto log = read_request_log(std::vector<std::string>{f}, p, false);
    CHECK(log.timestamps == std::vector<std::int64_t>{1766744130500000, -1000000});
    CHECK(log.status == std::vector<std::uint16_t>{201, 599});
    p.numeric_timestamp_unit = dg::time_unit::milliseconds;
    log = read_request_log(std::vector<std::string>{f}, p, false);
    CHECK(log.timestamps == std::vector<std::int64_t>{1766744130500, -1000});
}

TEST_CASE("read_request_log: every bad line stops the read with FILE:LINE:COLUMN and plain words", "[jsonl][bad]") {
    struct bad_case {
        const char* line;
        const char* reason;
        const char* words;
        int column;  ///< 1-based byte where the JSON stops being valid, or of the field (or of the object lacking it), counted by hand
    };
    const bad_case cases[] = {
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 200", "not valid JSON", "not valid JSON", 70},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\",, \"latency_ms\": 87, \"status\": 200}", "not valid JSON", "malformed structure", 38},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 8x7, \"status\": 200}", "not valid JSON", "not valid JSON", 54},
        // Valid JSON that no double or 64-bit integer holds: said so, not called malformed alone.
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 1e400, \"status\": 200}", "not valid JSON",
         "no double or 64-bit integer holds (beyond the range of a double (1e400), or an integer beyond 64 bits)", 53},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 123456789012345678901234567890, \"status\": 200}",
         "not valid JSON", "no double or 64-bit integer holds (beyond the range of a double (1e400), or an integer beyond 64 bits)", 53},
        {"{\"input\": {\"a\": tru}, \"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 200}",
         "not valid JSON", "true, false or null", 20},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 200} {}", "not valid JSON", "not valid JSON", 72},
        {"{\"timestamp\": \"\xff\", \"latency_ms\": 87, \"status\": 200}", "not valid JSON", "UTF-8", 16},
        {"[1, 2]", "not a JSON object", "an array, not a JSON object", 1},
        {"\"text\"", "not a JSON object", "a string (\"text\"), not a JSON object", 1},
        {"{\"latency_ms\": 87, \"status\": 200}", "missing field", "no field \"timestamp\"", 1},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"status\": 200}", "missing field", "no field \"latency_ms\"", 1},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87}", "missing field", "no field \"status\"", 1},
        {"{\"timestamp\": \"2025-02-30T10:15:30Z\", \"latency_ms\": 87, \"status\": 200}", "bad timestamp",
         "field \"timestamp\": \"2025-02-30T10:15:30Z\": the day does not exist in that month", 15},
        {"{\"timestamp\": \"2025-12-26T10:15:30\", \"latency_ms\": 87, \"status\": 200}", "bad timestamp", "no UTC offset", 15},
        {"{\"timestamp\": true, \"latency_ms\": 87, \"status\": 200}", "field of the wrong type",
         "field \"timestamp\" is a boolean (true), not a date-time", 15},
        {"{\"timestamp\": 1e300, \"latency_ms\": 87, \"status\": 200}", "bad timestamp", "outside the years 0000 to 9999", 15},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": \"87\", \"status\": 200}", "field of the wrong type",
         "field \"latency_ms\" is a string (\"87\"), not a number", 53},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": null, \"status\": 200}", "field of the wrong type",
         "field \"latency_ms\" is null, not a number", 53},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": -3, \"status\": 200}", "bad latency",
         "a latency must be a finite number >= 0", 53},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 99}", "bad status", "not an HTTP status code", 67},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 200.5}", "bad status", "a number (200.5)", 67},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": \"200\"}", "bad status", "a string (\"200\")", 67},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 200, \"model_version\": 2}",
         "field of the wrong type", "field \"model_version\" is a number (2), not a string", 89},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 200}", "missing field",
         "no field \"model_version\"", 1},
        // A key given twice: simdjson's at_key reads the first value, Python's json and jq the last.
        // The place is the second key.
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"latency_ms\": 87, \"status\": 200, \"status\": 503}", "duplicate field",
         "field \"status\" given twice in one object", 72},
        {"{\"timestamp\": \"2025-12-26T10:15:30Z\", \"timestamp\": \"2025-12-27T10:15:30Z\", \"latency_ms\": 87, \"status\": 200}",
         "duplicate field", "field \"timestamp\" given twice in one object", 39},
    };
    temp_dir d;
    for (const auto& c : cases) {
        INFO(c.line);
        const auto f = d.write("bad.jsonl", good + "\n\n" + c.line + "\n" + good + "\n");
        require_cli_error([&] { (void)read_request_log(std::vector<std::string>{f}, {}, true); }, exit_code::data,
                          {f + ":3:" + std::to_string(c.column) + ": ", c.words});
        // Skip mode: counted by reason, the others kept.
        dg::service_policy skip;
        skip.on_bad_line = dg::bad_line_policy::skip;
        const auto log = read_request_log(std::vector<std::string>{f}, skip, true);
        REQUIRE(log.timestamps.size() == 2);
        REQUIRE(log.bad.count == 1);
        REQUIRE(log.bad.by_reason.at(c.reason) == 1);
        REQUIRE(log.bad.examples.size() == 1);
        REQUIRE(log.bad.examples[0].rfind(f + ":3:" + std::to_string(c.column) + ": ", 0) == 0);
        REQUIRE(log.files[0].bad_lines == 1);
    }
    // A nested path through a value that is not an object.
    dg::service_policy p;
    p.latency_field = "timing.ms";
    const auto f = d.write("nested.jsonl", "{\"timestamp\": \"2025-12-26T10:15:30Z\", \"timing\": 5, \"status\": 200}\n");
    require_cli_error([&] { (void)read_request_log(std::vector<std::string>{f}, p, false); }, exit_code::data,
                      {f + ":1:49: field \"timing\" is a number (5), not an object"});
    // A key given twice inside the nested object; keys not read may repeat (the "note" keys).
    const auto twice = d.write("twice.jsonl", "{\"timestamp\": \"2025-12-26T10:15:30Z\", \"timing\": {\"ms\": 5, \"ms\": 9000}, \"status\": 200}\n");
    require_cli_error([&] { (void)read_request_log(std::vector<std::string>{twice}, p, false); }, exit_code::data,
                      {twice + ":1:59: field \"timing.ms\" given twice in one object"});
    const auto notes = d.write("notes.jsonl", "{\"timestamp\": \"2025-12-26T10:15:30Z\", \"note\": 1, \"timing\": {\"ms\": 5, \"note\": 2, \"note\": 3}, "
                                              "\"status\": 200, \"note\": 4}\n");
    CHECK(read_request_log(std::vector<std::string>{notes}, p, false).latency_ms == std::vector<double>{5});
    // The first bad line in file order is the one reported; in skip mode only the first ten are kept.
    std::string many;
    for (int i = 0; i < 15; ++i) many += "oops " + std::to_string(i) + "\n" + good + "\n";
    const auto m = d.write("many.jsonl", many);
    require_cli_error([&] { (void)read_request_log(std::vector<std::string>{m}, {}, false); }, exit_code::data, {m + ":1:1: "});
    dg::service_policy skip;
    skip.on_bad_line = dg::bad_line_policy::skip;
    const auto log = read_request_log(std::vector<std::string>{m}, skip, false);
    CHECK(log.bad.count == 15);
    CHECK(log.bad.examples.size() == 10);
    CHECK(log.bad.examples[9].rfind(m + ":19:1: ", 0) == 0);
    CHECK(log.timestamps.size() == 15);
}

TEST_CASE("expand_log_arguments: patterns in byte order, no match, the same file twice", "[jsonl][args]") {
    temp_dir d;
    for (const char* n : {"2025-12-02.jsonl", "2025-12-10.jsonl", "2025-12-01.jsonl", "2025-11-30.jsonl", "B.jsonl", "a.jsonl"})
        d.write(n, good + "\n");
    const auto got = expand_log_arguments(std::vector<std::string>{d.file("2025-12-*.jsonl"), d.file("[aB].jsonl")});
    CHECK(got == std::vector<std::string>{d.file("2025-12-01.jsonl"), d.file("2025-12-02.jsonl"), d.file("2025-12-10.jsonl"),
                                          d.file("B.jsonl"), d.file("a.jsonl")});
    require_cli_error([&] { (void)expand_log_arguments(std::vector<std::string>{d.file("2024-*.jsonl")}); },
                      exit_code::no_input, {"2024-*.jsonl", "no file matches"});
    require_cli_error([&] { (void)expand_log_arguments(std::vector<std::string>{d.file("a.jsonl"), d.file("a.jsonl")}); },
                      exit_code::usage, {"given twice"});
    require_cli_error([&] { (void)expand_log_arguments(std::vector<std::string>{d.file("a.jsonl"), d.file("[a].jsonl")}); },
                      exit_code::usage, {"given twice"});
    require_cli_error([&] { (void)expand_log_arguments(std::vector<std::string>{d.file("a.jsonl"), (d.path / "." / "a.jsonl").string()}); },
                      exit_code::usage, {"are the same file"});
    // A name that holds a pattern character but exists is taken as it is.
    d.write("odd[1].jsonl", good + "\n");
    CHECK(expand_log_arguments(std::vector<std::string>{d.file("odd[1].jsonl")}) == std::vector<std::string>{d.file("odd[1].jsonl")});
    // A missing plain name passes through (the reader reports it, exit 66).
    CHECK(expand_log_arguments(std::vector<std::string>{d.file("none.jsonl")}).size() == 1);
}

TEST_CASE("is_json_lines: by name or by content", "[jsonl][detect]") {
    temp_dir d;
    CHECK(is_json_lines(d.write("x.jsonl", "a,b\n")));  // the name says so
    CHECK(is_json_lines(d.file("missing.ndjson")));
    CHECK(is_json_lines(d.file("missing.jsonl.gz")));
    CHECK(is_json_lines(d.write("x.log", "  \n {\"a\": 1}\n")));
    CHECK(is_json_lines(d.write("x.txt", "\xEF\xBB\xBF{\"a\": 1}\n")));
    CHECK(is_json_lines(d.write_gz("x.bin", {"{}\n"})));
    CHECK(is_json_lines(d.write_zst("x.data", {"\n{\"a\": 1}\n"})));
    CHECK(is_json_lines(d.file("missing.ndjson.zst")));
    // A compressed CSV stays a CSV whatever its name; damaged data that holds no text yet is read
    // as a log (its reader names the damage), unless the name says CSV.
    CHECK_FALSE(is_json_lines(d.write_gz("snapshot.gz", {"a,b\n1,2\n"})));
    CHECK_FALSE(is_json_lines(d.write_zst("snapshot.zst", {"a,b\n1,2\n"})));
    CHECK_FALSE(is_json_lines(d.file("missing.csv.zst")));
    CHECK(is_json_lines(d.write("cut.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff", 11))));
    CHECK_FALSE(is_json_lines(d.write("cut.csv.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff", 11))));
    CHECK(is_json_lines(d.write("short.gz", std::string("\x1f\x8b\x08\x00", 4))));       // truncated in its header
    CHECK(is_json_lines(d.write("short.zst", std::string("\x28\xb5\x2f\xfd\x04", 5))));
    CHECK_FALSE(is_json_lines(d.write("x.csv", "a,b\n1,2\n")));
    CHECK_FALSE(is_json_lines(d.write("empty.csv", "")));
    CHECK_FALSE(is_json_lines(d.file("missing.csv")));
    CHECK_FALSE(is_json_lines(d.path.string()));
}

TEST_CASE("read_log_table: features, the score and label, missing values, other statuses", "[jsonl][table]") {
    temp_dir d;
    const std::string text =
        "{\"status\": 200, \"input\": {\"A\": 1, \"B\": 2.5, \"C\": true}, \"prediction\": {\"probability\": 0.25}, \"y\": 1}\n"
        "{\"status\": 422, \"input\": {\"A\": \"oops\"}, \"prediction\": null}\n"
        "{\"status\": 201, \"input\": {\"B\": null, \"A\": -4, \"C\": false, \"D\": 9}, \"prediction\": {\"probability\": 0.5}, \"y\": 0}\n"
        "{\"status\": 200, \"input\": {\"A\": 7}, \"prediction\": {}, \"y\": null}\n";
    const auto f = d.write("s.jsonl", text);
    dg::service_policy p;
    p.label_field = "y";
    const auto spec = snapshot_spec(p, std::string("score"), std::string("default"));
    CHECK(read_log_header(f, spec) == std::vector<std::string>{"A", "B", "C", "score", "default"});
    std::uint64_t others = 0;
    const std::vector<std::string> cols{"B", "A", "score", "default", "C"};
    const auto t = read_log_table(f, cols, spec, column_policy::require_numeric, &others);
    CHECK(others == 1);
    REQUIRE(t.rows == 3);
    CHECK(t.names == cols);
    const auto b = t.column("B");
    CHECK(b[0] == 2.5);
    CHECK(std::isnan(b[1]));
    CHECK(std::isnan(b[2]));  // absent from the line
    CHECK(std::vector<double>(t.column("A").begin(), t.column("A").end()) == std::vector<double>{1, -4, 7});
    CHECK(t.column("C")[0] == 1.0);
    CHECK(t.column("C")[1] == 0.0);
    CHECK(t.column("score")[1] == 0.5);
    CHECK(std::isnan(t.column("score")[2]));
    CHECK(t.column("default")[0] == 1.0);
    CHECK(std::isnan(t.column("default")[2]));
    // A column no 2xx line has, and a string value.
    require_cli_error([&] { (void)read_log_table(f, std::vector<std::string>{"Z"}, spec); }, exit_code::data,
                      {"no column \"Z\"", "input.Z", "columns: A, B, C, score, default"});
    const auto g = d.write("str.jsonl", text + "{\"status\": 200, \"input\": {\"A\": \"x\", \"B\": 1}}\n");
    require_cli_error([&] { (void)read_log_table(g, std::vector<std::string>{"A"}, spec); }, exit_code::data,
                      {g + ":5:32: field \"input.A\" is a string (\"x\"), not a number"});
    const auto skipped = read_log_table(g, std::vector<std::string>{"A", "B"}, spec, column_policy::skip_non_numeric);
    CHECK(skipped.names == std::vector<std::string>{"B"});
    REQUIRE(skipped.dropped.size() == 1);
    CHECK(skipped.dropped[0].name == "A");
    CHECK(skipped.dropped[0].reason.find(":5:32: field \"input.A\" is a string") != std::string::npos);
    // No 2xx answer at all.
    const auto h = d.write("none.jsonl", "{\"status\": 500, \"input\": {}}\n");
    require_cli_error([&] { (void)read_log_header(h, spec); }, exit_code::data, {"no request answered with a 2xx status"});
    // A bad line in a snapshot read names its place too.
    const auto k = d.write("bad.jsonl", text + "{\"input\": {}}\n");
    require_cli_error([&] { (void)read_log_table(k, std::vector<std::string>{"A"}, spec); }, exit_code::data,
                      {k + ":5:1: no field \"status\""});
    // A feature or a mapped field given twice in one line: an error at the second key; skipped as
    // a bad line, it leaves none of its values behind (A's 3, the category "x").
    for (const auto& [line, column, name] :
         {std::tuple{"{\"status\": 200, \"input\": {\"A\": 3, \"B\": 1, \"A\": 4}}", 43, "input.A"},
          {"{\"status\": 200, \"input\": {\"A\": 3}, \"prediction\": {\"probability\": 0.1, \"probability\": 0.9}}", 71,
           "prediction.probability"}}) {
        INFO(line);
        const auto twice = d.write("twice.jsonl", text + line + "\n");
        require_cli_error([&] { (void)read_log_table(twice, std::vector<std::string>{"A", "score"}, spec); }, exit_code::data,
                          {twice + ":5:" + std::to_string(column) + ": field \"" + name + "\" given twice in one object"});
        dg::service_policy skip_bad = p;
        skip_bad.on_bad_line = dg::bad_line_policy::skip;
        const auto skip_spec = snapshot_spec(skip_bad, std::string("score"), std::string("default"));
        bad_line_summary summary;
        const auto kept = read_log_table(twice, std::vector<std::string>{"A", "score"}, skip_spec, column_policy::require_numeric,
                                         nullptr, &summary);
        CHECK(kept.rows == 3);
        CHECK(std::vector<double>(kept.column("A").begin(), kept.column("A").end()) == std::vector<double>{1, -4, 7});
        CHECK(summary.count == 1);
        CHECK(summary.by_reason.at("duplicate field") == 1);
    }
    // The first 2xx line names the columns: a name given twice there is an error too.
    const auto first = d.write("first.jsonl", "{\"status\": 200, \"input\": {\"A\": 3, \"B\": 1, \"A\": 4}}\n" + text);
    require_cli_error([&] { (void)read_log_header(first, spec); }, exit_code::data,
                      {first + ":1:43: field \"input.A\" given twice in one object"});
}
