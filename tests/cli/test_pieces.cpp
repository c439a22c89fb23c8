// Tests of the parse of a compressed file in pieces (cli/csv_pass.hpp, run_pieces; cli/csv.cpp,
// parse_streamed): the text is never held whole, and the table is the one the whole text gives
// (parse_csv on the plain text, the reference here), bit for bit, wherever the pieces are cut:
// pieces of 1 byte to the whole file, one or two threads. A bad cell read as missing has its
// place found in its piece, and an automatic column that holds text is read again as text from
// the file decompressed again; an error makes the reader read the file again whole, so that its
// message is the whole text's. csv_impl::pieced_reads tells which way a file was read.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>
#include <zlib.h>

#include "csv.hpp"
#include "csv_pass.hpp"
#include "exit_codes.hpp"
#include "number_parse.hpp"
#include "same_tables.hpp"

using driftgate::cli::cell_kind;
using driftgate::cli::cli_error;
using driftgate::cli::column_request;
using driftgate::cli::csv_options;
using driftgate::cli::csv_table;
using driftgate::cli::exit_code;
namespace csv_impl = driftgate::cli::csv_impl;
using cli_tests::require_same_tables;

namespace {

/// `text` written gzip-compressed (zlib, level 1) to a fresh file; its path.
std::string gzip_file(const std::string& text, const std::string& tag) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("driftgate_pieces_" + std::to_string(::getpid()) + "_" + tag + ".csv.gz"))
                                 .string();
    gzFile f = gzopen(path.c_str(), "wb1");
    REQUIRE(f != nullptr);
    if (!text.empty()) REQUIRE(gzwrite(f, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
    REQUIRE(gzclose(f) == Z_OK);
    return path;
}

/// Sets csv_impl::piece_bytes for a scope.
struct piece_size {
    std::size_t was = csv_impl::piece_bytes;
    explicit piece_size(std::size_t n) { csv_impl::piece_bytes = n; }
    ~piece_size() { csv_impl::piece_bytes = was; }
    piece_size(const piece_size&) = delete;
    piece_size& operator=(const piece_size&) = delete;
};

/// A file of `rows` records of every kind the reader meets: an integer code column (counted when
/// requested unordered), decimals, a quoted text column with doubled quotes, delimiters and line
/// feeds inside quotes, a boolean column, missing values, CRLF line ends on some records, and a
/// long quoted field now and then; no final line feed when `final_lf` is false.
std::string mixed_text(std::size_t rows, bool final_lf) {
    std::string t = "code,amount,\"na\"\"me\",flag,skipped\r\n";
    for (std::size_t i = 0; i < rows; ++i) {
        t += std::to_string(static_cast<int>(i * 7 % 11) - 3) + ",";
        t += i % 13 == 0 ? std::string("NA") : std::to_string(static_cast<double>(i) * 0.37 + 1e-3);
        t += ",";
        switch (i % 5) {
            case 0: t += "\"a \"\"quoted\"\" one\""; break;
            case 1: t += "\"with, comma\""; break;
            case 2: t += "\"two\nlines\""; break;
            case 3: t += "plain" + std::to_string(i % 4); break;
            default: t += ""; break;
        }
        t += i % 3 == 0 ? ",yes," : ",no,";
        t += i % 17 == 0 ? "\"" + std::string(300, 'x') + "\n" + std::string(40, '"') + "\"" : "s";
        if (i + 1 < rows || final_lf) t += i % 4 == 1 ? "\r\n" : "\n";
    }
    return t;
}

std::vector<column_request> mixed_requests(bool unordered_code) {
    std::vector<column_request> r(4);
    r[0].name = "code";
    r[0].unordered = unordered_code;
    r[1].name = "amount";
    r[2].name = "na\"me";
    r[2].kind = cell_kind::text;
    r[3].name = "flag";
    r[3].kind = cell_kind::automatic;
    return r;
}

/// The message read_csv throws for `path`, or "" when it returns a table.
std::string error_of(const std::string& path, const std::vector<column_request>& requests, const csv_options& options) {
    try {
        (void)driftgate::cli::read_csv(path, requests, options);
    } catch (const cli_error& e) {
        return std::to_string(static_cast<int>(e.code())) + " " + e.what();
    }
    return "";
}

std::string error_of_text(const std::string& text, const std::string& name, const std::vector<column_request>& requests,
                          const csv_options& options) {
    try {
        (void)driftgate::cli::parse_csv(text, name, requests, options);
    } catch (const cli_error& e) {
        return std::to_string(static_cast<int>(e.code())) + " " + e.what();
    }
    return "";
}

} // namespace

TEST_CASE("last_record_end: the last line feed outside quotes, by quote parity") {
    using csv_impl::last_record_end;
    const std::size_t none = std::string::npos;
    CHECK(last_record_end("a,b\n1,2\n3,", 0) == 8);
    CHECK(last_record_end("a,b\n1,2\n", 0) == 8);
    CHECK(last_record_end("a,\"x\ny\"\n1,\"p\nq", 0) == 8);   // the last LF is inside an open quote
    CHECK(last_record_end("\"x\"\"\n\"\n", 0) == 7);           // a doubled quote, then an LF inside quotes
    CHECK(last_record_end("\"x\"\"\n", 0) == none);           // inside quotes to the end
    CHECK(last_record_end("1,2", 0) == none);
    CHECK(last_record_end("h\n1,2", 2) == none);              // none after begin
    CHECK(last_record_end("", 0) == none);
    CHECK(last_record_end("ab\n", 3) == none);
}

TEST_CASE("a gzip file read in pieces of any size gives the whole text's table, bit for bit") {
    for (const bool final_lf : {true, false}) {
        const std::string text = mixed_text(3000, final_lf);
        const std::string path = gzip_file(text, final_lf ? "lf" : "nolf");
        for (const bool unordered : {false, true}) {
            const auto requests = mixed_requests(unordered);
            for (const unsigned threads : {1u, 2u}) {
                csv_options options;
                options.threads = threads;
                const csv_table whole = driftgate::cli::parse_csv(text, path, requests, options);
                CHECK(whole.info[3].boolean);
                if (unordered) CHECK(whole.counted[0].has_value());
                for (const std::size_t piece : {std::size_t{1}, std::size_t{50}, std::size_t{333}, std::size_t{4096},
                                                std::size_t{65536}, text.size() + 1}) {
                    INFO("final LF " << final_lf << ", unordered " << unordered << ", threads " << threads << ", piece "
                                     << piece);
                    const piece_size p(piece);
                    const std::size_t before = csv_impl::pieced_reads.load();
                    const csv_table streamed = driftgate::cli::read_csv(path, requests, options);
                    CHECK(csv_impl::pieced_reads.load() == before + 1);  // read in pieces, not again whole
                    require_same_tables(whole, streamed);
                }
            }
        }
        std::filesystem::remove(path);
    }
}

TEST_CASE("trailing blank lines end a file read in pieces; blank lines before a record are the whole text's error") {
    const std::vector<column_request> requests = mixed_requests(false);
    const std::string body = mixed_text(400, true);
    const std::string trailing = gzip_file(body + "\n\r\n\n", "trailing");
    const std::string inner = gzip_file(body + "\n\n" + body.substr(body.find('\n') + 1), "inner");
    for (const std::size_t piece : {std::size_t{64}, std::size_t{1000}, std::size_t{1} << 20}) {
        INFO("piece " << piece);
        const piece_size p(piece);
        const std::size_t before = csv_impl::pieced_reads.load();
        require_same_tables(driftgate::cli::parse_csv(body + "\n\r\n\n", trailing, requests, {}),
                   driftgate::cli::read_csv(trailing, requests, {}));
        CHECK(csv_impl::pieced_reads.load() == before + 1);
        const std::string expected = error_of_text(body + "\n\n" + body.substr(body.find('\n') + 1), inner, requests, {});
        CHECK(expected.find("blank line between records") != std::string::npos);
        CHECK(error_of(inner, requests, {}) == expected);
    }
    std::filesystem::remove(trailing);
    std::filesystem::remove(inner);
}

TEST_CASE("errors make the file be read whole for their message; bad cells and automatic text columns do not") {
    std::string text = "id,x,y,z\n";
    for (int i = 0; i < 2000; ++i)
        text += std::to_string(i) + "," + std::to_string(i % 9) + "," + (i == 1500 ? "true" : std::to_string(i)) + "," +
                (i == 1700 ? "n/a?" : std::to_string(i * 2)) + "\n";
    const std::string path = gzip_file(text, "answers");
    std::vector<column_request> r(3);
    r[0].name = "x";
    r[1].name = "y";
    r[2].name = "z";
    for (const std::size_t piece : {std::size_t{100}, std::size_t{5000}, std::size_t{1} << 20}) {
        INFO("piece " << piece);
        const piece_size p(piece);
        const std::size_t before = csv_impl::pieced_reads.load();
        // A number among numbers, then a boolean: the whole text's first error (the boolean).
        const std::string mixed = error_of(path, r, {});
        CHECK(mixed == error_of_text(text, path, r, {}));
        CHECK(mixed.find(path + ":1502:3: column \"y\"") != std::string::npos);
        // Read as text when automatic (the file decompressed again, in pieces); the unparseable
        // cell counted as missing, with its place found in its piece.
        std::vector<column_request> lenient = r;
        lenient[1].kind = cell_kind::automatic;
        lenient[2].bad_as_missing = true;
        const csv_table whole = driftgate::cli::parse_csv(text, path, lenient, {});
        const csv_table read = driftgate::cli::read_csv(path, lenient, {});
        require_same_tables(whole, read);
        CHECK(read.info[1].kind == cell_kind::text);
        CHECK(read.info[2].first_bad == path + ":1702:4");
        CHECK(read.info[2].first_bad == whole.info[2].first_bad);
        CHECK(read.info[2].first_bad_text == whole.info[2].first_bad_text);
        // A column the header lacks: the whole text's message.
        std::vector<column_request> missing(1);
        missing[0].name = "w";
        CHECK(error_of(path, missing, {}) == error_of_text(text, path, missing, {}));
        CHECK(csv_impl::pieced_reads.load() == before + 1);  // the errors were read whole
    }
    std::filesystem::remove(path);
}

TEST_CASE("a truncated gzip file read in pieces: the whole reading's message, exit 65, nothing judged") {
    const std::string text = mixed_text(5000, true);
    const std::string path = gzip_file(text, "cut");
    std::string bytes;
    {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        REQUIRE(f != nullptr);
        char b[65536];
        for (std::size_t n; (n = std::fread(b, 1, sizeof b, f)) > 0;) bytes.append(b, n);
        std::fclose(f);
    }
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        REQUIRE(f != nullptr);
        std::fwrite(bytes.data(), 1, bytes.size() * 2 / 3, f);
        std::fclose(f);
    }
    const auto requests = mixed_requests(true);
    std::string first;
    for (const std::size_t piece : {std::size_t{200}, std::size_t{1} << 20}) {
        const piece_size p(piece);
        const std::string e = error_of(path, requests, {});
        CHECK(e.rfind("65 " + path + ":", 0) == 0);
        CHECK(e.find("truncated gzip data") != std::string::npos);
        CHECK(e.find("nothing was judged") != std::string::npos);
        if (first.empty()) first = e;
        CHECK(e == first);
    }
    std::filesystem::remove(path);
}

TEST_CASE("random records read in pieces: the whole text's table or its message, never another") {
    // Records of three fields: a number column, an automatic one and a text one, drawn from
    // numbers, booleans, missing values, text, quoted fields with line feeds and doubled quotes,
    // and now and then a broken one (an open quote, a quote inside a field, a blank line, a field
    // too many or too few, a word in the number column), so that quotes, errors, booleans and
    // text fall anywhere, across piece boundaries of 1 to 64 bytes.
    std::mt19937_64 rng(20261205);
    const std::vector<std::string> fields = {"1", "-2", "0.5", "7", "yes", "no", "NA", "", "x", " 3 ",
                                             "\"x\ny\"", "\"a\"\"b\"", "\"7\"", "\"-1\"", "1e3"};
    const std::vector<std::string> numbers = {"1", "-2", "0.5", "7", "NA", "", " 3 ", "\"7\"", "\"-1\"", "1e3"};
    const std::vector<std::string> broken = {"\"open", "a\"b", "\n", ",", "1,2,3,4", "yes", "x"};
    std::uniform_int_distribution<std::size_t> pick(0, fields.size() - 1), number(0, numbers.size() - 1), rare(0, 199),
        which(0, broken.size() - 1),
        records(1, 40), piece(1, 64);
    std::size_t tables = 0, errors = 0;
    const std::size_t pieced = csv_impl::pieced_reads.load();
    for (int round = 0; round < 300; ++round) {
        std::string text = "a,b,c\n";
        const std::size_t n = records(rng);
        for (std::size_t k = 0; k < n; ++k) {
            for (int j = 0; j < 3; ++j) {
                text += rare(rng) == 0 ? broken[which(rng)] : j == 0 ? numbers[number(rng)] : fields[pick(rng)];
                text += j < 2 ? "," : (rare(rng) < 100 ? "\n" : "\r\n");
            }
        }
        if (rare(rng) < 20) text.pop_back();  // no final line feed (or a lone CR)
        const std::string path = gzip_file(text, "random");
        std::vector<column_request> requests(3);
        requests[0].name = "a";
        requests[0].unordered = round % 2 == 0;
        requests[0].bad_as_missing = round % 3 == 0;
        requests[1].name = "b";
        requests[1].kind = round % 2 == 0 ? cell_kind::automatic : cell_kind::text;
        requests[2].name = "c";
        requests[2].kind = cell_kind::text;
        for (const unsigned threads : {1u, 2u}) {
            csv_options options;
            options.threads = threads;
            const piece_size p(piece(rng));
            INFO("text " << text << "\npiece " << csv_impl::piece_bytes << ", threads " << threads);
            const std::string expected = error_of_text(text, path, requests, options);
            if (!expected.empty()) {
                CHECK(error_of(path, requests, options) == expected);
                ++errors;
                continue;
            }
            require_same_tables(driftgate::cli::parse_csv(text, path, requests, options),
                                driftgate::cli::read_csv(path, requests, options));
            ++tables;
        }
        std::filesystem::remove(path);
    }
    CHECK(tables > 50);  // both outcomes are exercised, and tables read in pieces to the end
    CHECK(errors > 50);
    CHECK(csv_impl::pieced_reads.load() - pieced > 50);
}

TEST_CASE("run_pieces: a pass whose text or columns outgrow the limit stops (a bomb of short records)") {
    // One number column of "1\n" records: 2 bytes of text make 8 bytes of column. With a limit
    // of 64 KiB, 10,000 records (20 KB of text, 80 KB of column) stop on their columns, 4,000
    // (32 KB of column) do not; a record longer than the limit stops on its text.
    const std::string name = "bomb.csv";
    const std::vector<std::string> header = {"a"};
    const csv_impl::cell_tokens tokens{csv_impl::token_matcher({"NA"}, false),
                                       csv_impl::token_matcher({"yes"}, false),
                                       csv_impl::token_matcher({"no"}, false)};
    const auto pass_over = [&](const std::string& text, std::size_t limit) {
        csv_impl::context c;
        c.name = &name;
        c.header = &header;
        c.ncols = 1;
        c.slot = {0};
        c.slots = {csv_impl::slot_plan{}};
        c.tokens = &tokens;
        for (const char ch : {',', '\n', '"'}) c.special[static_cast<unsigned char>(ch)] = true;
        std::size_t at = 0;
        const csv_impl::text_source source = [&](char* out, std::size_t cap) {
            const std::size_t n = std::min(cap, text.size() - at);
            std::memcpy(out, text.data() + at, n);
            at += n;
            return n;
        };
        const piece_size p(1000);
        csv_impl::text_buffer buf;
        const bool ended = !csv_impl::fill(buf, csv_impl::piece_bytes, source);
        return csv_impl::run_pieces(c, buf, ended, 2, source, 1, 0, limit);
    };
    const auto ones = [](std::size_t n) {
        std::string t = "a\n";
        for (std::size_t i = 0; i < n; ++i) t += "1\n";
        return t;
    };
    const auto few = pass_over(ones(4000), 64 << 10);
    REQUIRE(few.has_value());
    std::size_t rows = 0;
    for (const auto& r : few->results) rows += r.rows;
    CHECK(rows == 4000);
    CHECK(few->values[0].size() == 4000);
    CHECK(few->values[0][3999] == 1.0);
    CHECK_FALSE(pass_over(ones(10000), 64 << 10).has_value());
    CHECK(pass_over(ones(10000), 1 << 20).has_value());
    CHECK_FALSE(pass_over("a\n\"" + std::string(100000, 'x') + "\"\n", 64 << 10).has_value());
}
