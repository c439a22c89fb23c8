// Tests of the CLI's CSV reader (cli/csv.hpp). Expected values are written out by hand next to
// each input, or compared with glibc's strtod (correctly rounded) for number conversion.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.hpp"
#include "file_bytes.hpp"
#include "same_tables.hpp"

namespace fs = std::filesystem;
using cli_tests::require_same_tables;
using cli_tests::same_bits;
using driftgate::cli::cli_error;
using driftgate::cli::column_policy;
using driftgate::cli::csv_options;
using driftgate::cli::csv_table;
using driftgate::cli::exit_code;
using driftgate::cli::parse_csv;
using driftgate::cli::parse_csv_header;
using driftgate::cli::read_csv;
using driftgate::cli::read_csv_header;

namespace {

const std::string data_dir = std::string(DRIFTGATE_TEST_DATA_DIR) + "/csv/";

/// A fresh directory under the system temp dir, removed at the end of the test.
struct temp_dir {
    fs::path path;
    temp_dir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("driftgate_csv_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& content) const {
        const std::string file = (path / name).string();
        std::ofstream out(file, std::ios::binary);
        out << content;
        return file;
    }
};

std::vector<std::string> cols(std::initializer_list<const char*> names) { return {names.begin(), names.end()}; }

csv_table parse(const std::string& text, const std::vector<std::string>& columns, const csv_options& o = {},
                column_policy policy = column_policy::require_numeric) {
    return parse_csv(text, "mem.csv", columns, o, policy);
}


/// Runs f, which must throw cli_error; returns it.
template <class F>
cli_error thrown(F&& f) {
    try {
        f();
    } catch (const cli_error& e) {
        return e;
    }
    FAIL("no cli_error thrown");
    return cli_error(exit_code::ok, "");
}

} // namespace

TEST_CASE("RFC 4180 file: BOM, CRLF, quoted fields, doubled quotes, quoted delimiter and newline, no final newline") {
    const std::string path = data_dir + "rfc4180_crlf_bom.csv";
    const auto header = read_csv_header(path);
    REQUIRE(header == cols({"id", "LIMIT_BAL", "note, with comma", "AGE"}));
    const auto t = read_csv(path, cols({"AGE", "LIMIT_BAL"}));
    CHECK(t.path == path);
    CHECK(t.header == header);
    CHECK(t.names == cols({"AGE", "LIMIT_BAL"}));
    REQUIRE(t.rows == 4);
    REQUIRE(t.columns.size() == 2);
    // AGE: 24, 26, (empty) -> NaN, 34 (last line has no newline)
    CHECK(t.columns[0][0] == 24.0);
    CHECK(t.columns[0][1] == 26.0);
    CHECK(std::isnan(t.columns[0][2]));
    CHECK(t.columns[0][3] == 34.0);
    // LIMIT_BAL: 20000, "120000" (quoted number), NA -> NaN, 90000
    CHECK(t.columns[1][0] == 20000.0);
    CHECK(t.columns[1][1] == 120000.0);
    CHECK(std::isnan(t.columns[1][2]));
    CHECK(t.columns[1][3] == 90000.0);
    CHECK(t.column("LIMIT_BAL").size() == 4);
    CHECK(t.column("AGE")[3] == 34.0);
    CHECK(thrown([&] { (void)t.column("id"); }).code() == exit_code::usage);
    CHECK(t.dropped.empty());
}

TEST_CASE("quoted text column can be requested only if numeric; quoted newline keeps later line numbers right") {
    const std::string path = data_dir + "rfc4180_crlf_bom.csv";
    const auto e = thrown([&] { (void)read_csv(path, cols({"note, with comma"})); });
    CHECK(e.code() == exit_code::data);
    // The first record's note spans physical lines 2-3 and starts on line 2.
    CHECK(std::string(e.what()) ==
          path + ":2:3: column \"note, with comma\": cannot parse \"said \\\"hi\\\"\\r\\nthen left\" as a number");
}

TEST_CASE("header record end: quotes toggle in a CSV header, not in a JSON-lines log's first line") {
    using driftgate::cli::csv_impl::header_record_end;
    // CSV: a quoted name may hold a line feed; the record ends at the first one outside quotes.
    const std::string csv = "\"a\nb\",c\n1,2\n";
    CHECK(header_record_end(csv) == csv.find("c\n") + 2);
    CHECK(header_record_end("a,\"b") == std::string::npos);  // still inside the quotes
    // A log (first significant byte '{', after a byte-order mark and blank space): a JSON string's
    // escaped quote leaves an odd count of quotes on the line, which must not run to the next line.
    const std::string log = "{\"id\": \"q\\\"x\"}\n{\"id\": 2}\n";
    CHECK(header_record_end(log) == log.find('\n') + 1);
    const std::string bom_log = "\xEF\xBB\xBF  {\"id\": \"\\\"\"}\n{}\n";
    CHECK(header_record_end(bom_log) == bom_log.find('\n') + 1);
}

TEST_CASE("semicolon and tab delimiters") {
    csv_options semi;
    semi.delimiter = ';';
    const auto t = read_csv(data_dir + "semicolon.csv", cols({"amount"}), semi);
    REQUIRE(t.rows == 3);
    CHECK(t.columns[0][0] == 1.5);
    CHECK(t.columns[0][1] == -2250.0);
    CHECK(std::isnan(t.columns[0][2]));

    csv_options tab;
    tab.delimiter = '\t';
    const auto u = read_csv(data_dir + "tab.csv", cols({"amount", "id"}), tab);
    REQUIRE(u.rows == 2);
    CHECK(u.columns[0] == std::vector<double>{1.5, 7.0});
    CHECK(u.columns[1] == std::vector<double>{1.0, 2.0});
    // With the default ',' the tab file is one column named by the whole header line.
    CHECK(read_csv_header(data_dir + "tab.csv") == cols({"id\tamount\tlabel"}));
}

TEST_CASE("line endings: LF, CRLF, CRLF after a quoted field, no final newline, trailing blank lines") {
    const std::vector<std::pair<std::string, std::string>> inputs = {
        {"LF", "x,y\n1,2\n3,4\n"},
        {"CRLF", "x,y\r\n1,2\r\n3,4\r\n"},
        {"no final newline", "x,y\n1,2\n3,4"},
        {"CRLF after quotes", "\"x\",\"y\"\r\n\"1\",\"2\"\r\n\"3\",\"4\""},
        {"trailing blank lines", "x,y\n1,2\n3,4\n\n\n"},
        {"trailing blank CRLF lines", "x,y\r\n1,2\r\n3,4\r\n\r\n\r\n"},
        {"BOM", "\xEF\xBB\xBFx,y\n1,2\n3,4\n"},
    };
    for (const auto& [label, text] : inputs) {
        INFO(label);
        const auto t = parse(text, cols({"y", "x"}));
        CHECK(t.header == cols({"x", "y"}));
        CHECK(t.rows == 2);
        CHECK(t.columns[0] == std::vector<double>{2.0, 4.0});
        CHECK(t.columns[1] == std::vector<double>{1.0, 3.0});
    }
}

TEST_CASE("header: quoted names with doubled quotes, delimiters and newlines; names verbatim") {
    const std::string text = "\"a \"\"q\"\"\",\"b,c\",\"d\ne\", f ,\n1,2,3,4,5\n";
    CHECK(parse_csv_header(text, "mem.csv") == cols({"a \"q\"", "b,c", "d\ne", " f ", ""}));
    const auto t = parse(text, cols({"d\ne", "", " f "}));
    CHECK(t.columns[0] == std::vector<double>{3.0});
    CHECK(t.columns[1] == std::vector<double>{5.0});
    CHECK(t.columns[2] == std::vector<double>{4.0});
}

TEST_CASE("number syntax: what from_chars accepts plus '+' and surrounding spaces") {
    struct row {
        const char* field;
        double expected;
    };
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<row> table = {
        {"0", 0.0},         {"-0", -0.0},        {"1.5", 1.5},           {"+1.5", 1.5},
        {"-2.25", -2.25},   {".5", 0.5},         {"5.", 5.0},            {"1e3", 1000.0},
        {"1E-2", 0.01},     {"+1e+2", 100.0},    {" 7 ", 7.0},           {"\t8\t", 8.0},
        {"\"9.5\"", 9.5},   {"\" 10 \"", 10.0},  {"\"+11\"", 11.0},      {"inf", inf},
        {"-inf", -inf},     {"+inf", inf},       {"Infinity", inf},      {"-INF", -inf},
        {"1e400", inf},     {"-1e400", -inf},    {"1e-400", 0.0},        {"007", 7.0},
        {"4.9406564584124654e-324", 4.9406564584124654e-324},  // smallest subnormal
        {"1.7976931348623157e308", 1.7976931348623157e308},
    };
    for (const auto& r : table) {
        INFO(r.field);
        const auto t = parse(std::string("v,w\n") + r.field + ",0\n", cols({"v"}));
        REQUIRE(t.columns[0].size() == 1);
        CHECK(t.columns[0][0] == r.expected);
        CHECK(std::signbit(t.columns[0][0]) == std::signbit(r.expected));
    }
    // Not numbers: each is an error naming the text.
    for (const char* bad : {"abc", "1.5.2", "1,5", "0x10", "1e", "++1", "+-1", "-", "+", ".", "1 2", "\"1\"\"\"",
                            "1.5x", "--1", "\"\"\"\"", "e5", "1e5e5", "N A"}) {
        INFO(bad);
        std::string text = std::string("v\n") + bad + "\n";
        if (std::string(bad) == "1,5") text = "v,w\n\"1,5\",0\n";
        const auto e = thrown([&] { (void)parse(text, cols({"v"})); });
        CHECK(e.code() == exit_code::data);
        CHECK_THAT(e.what(), Catch::Contains("mem.csv:2:1: column \"v\": cannot parse"));
    }
}

/// Parses `fields` as column "a" of a two-column file and counts the values that differ in any
/// bit from glibc's strtod (correctly rounded); the differing texts are reported.
static std::size_t strtod_mismatches(const std::vector<std::string>& fields) {
    std::string text = "a,b\n";
    for (const std::string& f : fields) text += f + ",x\n";
    const auto t = parse(text, cols({"a"}));
    REQUIRE(t.rows == fields.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const double expected = std::strtod(fields[i].c_str(), nullptr);
        if (std::memcmp(&expected, &t.columns[0][i], sizeof(double)) != 0) {
            ++mismatches;
            UNSCOPED_INFO(fields[i]);
        }
    }
    return mismatches;
}

TEST_CASE("values equal strtod's correctly rounded values") {
    std::mt19937_64 rng(20240611);
    std::uniform_int_distribution<int> digit(0, 9), len(1, 19), exp10(-330, 310), sign(0, 2);
    std::vector<std::string> fields;
    for (int i = 0; i < 20000; ++i) {
        std::string f;
        if (sign(rng) == 0) f += '-';
        const int n = len(rng);
        for (int k = 0; k < n; ++k) f += static_cast<char>('0' + digit(rng));
        if (i % 3 == 0) f.insert(f.size() - static_cast<std::size_t>(n) / 2, 1, '.');
        if (i % 2 == 0) {
            f += 'e';
            f += std::to_string(exp10(rng));
        }
        fields.push_back(f);
    }
    // Doubles' textual neighbours: halfway cases that need correct rounding.
    for (const char* f : {"0.1", "0.3", "2.2250738585072011e-308", "2.2250738585072012e-308", "9007199254740993",
                          "9007199254740992.5", "1.00000000000000011102230246251565404236316680908203125",
                          "1.00000000000000011102230246251565404236316680908203124"}) {
        fields.emplace_back(f);
    }
    CHECK(strtod_mismatches(fields) == 0);
}

TEST_CASE("values with 16 to 19 significant digits equal strtod's") {
    std::mt19937_64 rng(20261123);
    std::uniform_int_distribution<int> digit(0, 9), nonzero(1, 9), len(16, 19), exp10(-40, 40), zeros(0, 6),
        form(0, 3);
    std::vector<std::string> fields;
    // Random significands of 16..19 digits, as 0.ddd, d.ddd, 0.000ddd, ddd.ddd and d.ddde±x.
    for (int i = 0; i < 20000; ++i) {
        std::string digits(1, static_cast<char>('0' + nonzero(rng)));
        const int n = len(rng);
        for (int k = 1; k < n; ++k) digits += static_cast<char>('0' + digit(rng));
        std::string f = (i % 4 == 0) ? "-" : "";
        switch (form(rng)) {
        case 0: f += "0." + std::string(static_cast<std::size_t>(zeros(rng)), '0') + digits; break;
        case 1: f += digits.substr(0, 1) + "." + digits.substr(1); break;
        case 2: f += digits.substr(0, 5) + "." + digits.substr(5); break;
        default: f += digits.substr(0, 1) + "." + digits.substr(1) + "e" + std::to_string(exp10(rng)); break;
        }
        fields.push_back(f);
    }
    // Shortest round-trip texts (up to 17 digits, as pandas and gen_snapshots write them) and the
    // 17-, 18- and 19-digit roundings of random doubles in (0, 1) and of wider magnitude.
    std::uniform_real_distribution<double> unit(0.0, 1.0), wide(-30.0, 30.0);
    for (int i = 0; i < 5000; ++i) {
        const double v = (i % 2 == 0) ? unit(rng) : std::pow(10.0, wide(rng));
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        fields.emplace_back(buf, r.ptr);
        for (int p : {17, 18, 19}) {
            std::snprintf(buf, sizeof buf, "%.*g", p, v);
            fields.emplace_back(buf);
        }
    }
    CHECK(strtod_mismatches(fields) == 0);
}

TEST_CASE("hard cases: decimals at and next to the halfway points between doubles") {
    std::mt19937_64 rng(7);
    std::vector<std::string> fields;
    // Integers in [2^53, 10^19) that are exactly halfway between two doubles (ties to even), and
    // their neighbours one unit away; also scaled by a decimal point (near-halfway decimals).
    std::uniform_int_distribution<std::uint64_t> big(std::uint64_t{1} << 53, 9999999999999999999u);
    for (int i = 0; i < 3000; ++i) {
        const std::uint64_t u = big(rng);
        const double d = static_cast<double>(u);  // some double in range
        const auto lo = static_cast<std::uint64_t>(d);
        const auto hi = static_cast<std::uint64_t>(std::nextafter(d, INFINITY));
        if (hi >= 10000000000000000000u) continue;
        const std::uint64_t mid = lo + (hi - lo) / 2;
        for (std::uint64_t v : {mid - 1, mid, mid + 1}) {
            const std::string s = std::to_string(v);
            fields.push_back(s);
            fields.push_back(s.substr(0, 3) + "." + s.substr(3));
            fields.push_back("0." + s);
            fields.push_back(s + "e-25");
        }
    }
    // The exact midpoints of random doubles in (0, 1), cut to 16..19 significant digits, and the
    // cut text plus one unit in its last place: just below and just above the halfway point.
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int i = 0; i < 3000; ++i) {
        const double d = unit(rng);
        const long double mid = (static_cast<long double>(d) + std::nextafter(d, 2.0)) / 2;  // exact in x87
        char buf[80];
        std::snprintf(buf, sizeof buf, "%.30Le", mid);  // d.ddd...e-xx
        const std::string s(buf);
        const std::size_t e = s.find('e');
        for (std::size_t keep : {16u, 17u, 18u, 19u}) {
            const std::string cut = s.substr(0, keep + 1) + s.substr(e);
            fields.push_back(cut);
            std::string up = s.substr(0, keep + 1);
            for (std::size_t k = up.size(); k-- > 0;) {  // add one unit in the last place
                if (up[k] == '.') continue;
                if (up[k] == '9') {
                    up[k] = '0';
                    continue;
                }
                ++up[k];
                break;
            }
            fields.push_back(up + s.substr(e));
        }
    }
    // Hand-picked: 2^53 + 1 (a tie, to even: 2^53), 2^53 + 3 (a tie, to 2^53 + 4), 2^63, 10^19 - 1,
    // the largest 19-digit values, 0.1 with 19 digits, values next to powers of two, the smallest
    // normal double's neighbourhood and subnormals (undecided: from_chars), leading zeros.
    for (const char* f :
         {"9007199254740993", "9007199254740995", "9007199254740993.0", "9007199254740992.9999999",
          "9223372036854775808", "9223372036854775807", "9999999999999999999", "1844674407370955161",
          "0.1000000000000000055", "0.1000000000000000056", "0.9999999999999999444", "0.9999999999999999445",
          "1.000000000000000111", "1.000000000000000222", "4.9406564584124654e-324", "2.2250738585072011e-308",
          "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623159e308", "000000000000000000001.5",
          "0.0000000000000000000012345678901234567", "-0.30000000000000004", "123456789012345678e-40",
          "1e-64", "1e64", "1e-65", "1e65", "12345678901234567e-81", "12345678901234567e48"}) {
        fields.emplace_back(f);
    }
    CHECK(strtod_mismatches(fields) == 0);
}

TEST_CASE("missing-value tokens: defaults, case rules, spaces, quotes, custom lists") {
    for (const char* m : {"", "NA", "na", "Na", "NaN", "nan", "NAN", "null", "NULL", "Null", " NA ", "\"NA\"", "\"\"",
                          "  ", "\" null \"", "-nan"}) {
        INFO(std::string("[") + m + "]");
        const auto t = parse(std::string("v,w\n") + m + ",1\n", cols({"v"}));
        REQUIRE(t.columns[0].size() == 1);
        CHECK(std::isnan(t.columns[0][0]));
    }
    // Not missing by default.
    for (const char* m : {"N/A", "None", "?", "-", "NA NA"}) {
        INFO(m);
        CHECK(thrown([&] { (void)parse(std::string("v\n") + m + "\n", cols({"v"})); }).code() == exit_code::data);
    }
    // A custom list; "-999" is matched as text before number conversion.
    csv_options o;
    o.missing_tokens = {"?", "N/A", "-999"};
    const auto t = parse("v,w\n?,1\nn/a,2\n-999,3\n-999.0,4\n 5 ,5\n", cols({"v"}), o);
    REQUIRE(t.rows == 5);
    CHECK(std::isnan(t.columns[0][0]));
    CHECK(std::isnan(t.columns[0][1]));
    CHECK(std::isnan(t.columns[0][2]));
    CHECK(t.columns[0][3] == -999.0);
    CHECK(t.columns[0][4] == 5.0);
    // Empty is no longer a missing token: an empty field is an error.
    const auto e = thrown([&] { (void)parse("v,w\n1,2\n,3\n", cols({"v"}), o); });
    CHECK(std::string(e.what()) == "mem.csv:3:1: column \"v\": cannot parse \"\" as a number");
    // Case-sensitive matching.
    csv_options cs;
    cs.case_sensitive_missing = true;
    CHECK(std::isnan(parse("v\nNA\n", cols({"v"}), cs).columns[0][0]));
    CHECK(std::isnan(parse("v\nnull\n", cols({"v"}), cs).columns[0][0]));
    CHECK(thrown([&] { (void)parse("v\nna\n", cols({"v"}), cs); }).code() == exit_code::data);
    CHECK(thrown([&] { (void)parse("v\nNULL\n", cols({"v"}), cs); }).code() == exit_code::data);
}

TEST_CASE("a column requested twice is loaded once, at its first place") {
    const auto t = parse("a,b,c\n1,2,3\n4,5,6\n", cols({"c", "a", "c", "a"}));
    CHECK(t.names == cols({"c", "a"}));
    REQUIRE(t.columns.size() == 2);
    CHECK(t.columns[0] == std::vector<double>{3.0, 6.0});
    CHECK(t.columns[1] == std::vector<double>{1.0, 4.0});
}

TEST_CASE("only requested columns are converted; others may hold anything well-formed") {
    const std::string text = "name,v,comment\n\"Smith, J.\",1,\"He said \"\"no\"\"\"\nx\xC3\xA9,2,\"multi\nline\"\n";
    const auto t = parse(text, cols({"v"}));
    CHECK(t.columns[0] == std::vector<double>{1.0, 2.0});
    const auto all = parse(text, {});
    CHECK(all.rows == 2);
    CHECK(all.names.empty());
    CHECK(all.columns.empty());
}

TEST_CASE("malformed inputs: exit code, file, line and column in the message") {
    struct bad {
        const char* label;
        std::string text;
        std::vector<std::string> columns;
        exit_code code;
        std::string message;  // the whole expected message
    };
    const std::vector<bad> table = {
        {"empty file", "", {}, exit_code::data, "mem.csv: the file is empty (no header row)"},
        {"BOM only", "\xEF\xBB\xBF", {}, exit_code::data, "mem.csv: the file is empty (no header row)"},
        {"blank lines only", "\n\r\n\n", {}, exit_code::data, "mem.csv: the file is empty (no header row)"},
        {"header only", "a,b\n", {"a"}, exit_code::data, "mem.csv: the file has a header but no data rows"},
        {"header only, no newline", "a,b", {}, exit_code::data, "mem.csv: the file has a header but no data rows"},
        {"header and blank lines", "a,b\n\n\n", {}, exit_code::data, "mem.csv: the file has a header but no data rows"},
        {"blank first line", "\na,b\n1,2\n", {}, exit_code::data,
         "mem.csv:1:1: the first line is blank; the header row must come first"},
        {"duplicate header", "a,b,a\n1,2,3\n", {}, exit_code::data,
         "mem.csv:1:3: duplicate column name \"a\" (also column 1)"},
        {"duplicate header after a quoted line feed", "\"a\nb\",c,c\n1,2,3\n", {}, exit_code::data,
         "mem.csv:2:3: duplicate column name \"c\" (also column 2)"},
        {"missing column", "a,b\n1,2\n", {"c"}, exit_code::data,
         "mem.csv: no column \"c\"; the columns are: \"a\", \"b\""},
        {"missing column, semicolon-separated header", "a;b;c\n1;2;3\n", {"b"}, exit_code::data,
         "mem.csv: no column \"b\"; the columns are: \"a;b;c\"; did you mean --delimiter ';'?"},
        {"missing column, tab-separated header", "a\tb\n1\t2\n", {"b"}, exit_code::data,
         "mem.csv: no column \"b\"; the columns are: \"a\\tb\"; did you mean --delimiter tab?"},
        {"missing column, a semicolon in one name only", "a,b;c\n1,2\n", {"x"}, exit_code::data,
         "mem.csv: no column \"x\"; the columns are: \"a\", \"b;c\""},
        {"too few fields", "a,b,c\n1,2,3\n4,5\n", {"a"}, exit_code::data,
         "mem.csv:3:3: column \"c\": missing: the record has 2 fields, the header 3"},
        {"too many fields", "a,b\n1,2\n3,4\n5,6,7,8\n", {"b"}, exit_code::data,
         "mem.csv:4:3: the record has 4 fields, the header 2"},
        {"blank line in the middle", "a,b\n1,2\n\n3,4\n", {"a"}, exit_code::data,
         "mem.csv:3:1: blank line between records (every record needs 2 fields; a one-column file writes an empty "
         "value as \"\")"},
        {"non-numeric value", "a,LIMIT_BAL\n1,2\n3,abc\n", {"LIMIT_BAL"}, exit_code::data,
         "mem.csv:3:2: column \"LIMIT_BAL\": cannot parse \"abc\" as a number"},
        // lines: 1 header, 2 "x, 3 y",1, 4 "p, 5 q, 6 r",zz
        {"non-numeric after quoted newline", "a,b\n\"x\ny\",1\n\"p\nq\nr\",zz\n", {"b"}, exit_code::data,
         "mem.csv:6:2: column \"b\": cannot parse \"zz\" as a number"},
        {"unterminated quote at EOF", "a,b\n1,2\n3,\"4\n5,6\n", {"a"}, exit_code::data,
         "mem.csv:3:2: column \"b\": unterminated quote (the quote opened here is never closed)"},
        {"unterminated quote in header", "a,\"b\n1,2\n", {}, exit_code::data,
         "mem.csv:1:2: unterminated quote in the header (the quote opened here is never closed)"},
        {"text after a closing quote in the header", "a,\"b\"c\n1,2\n", {}, exit_code::data,
         "mem.csv:1:2: unexpected \"c\" after a closing quote in the header (expected the delimiter or the end of the "
         "line)"},
        {"quote inside unquoted field", "a,b\n1,2\n3,4\"5\n", {"a"}, exit_code::data,
         "mem.csv:3:2: column \"b\": a quote inside an unquoted field (quote the whole field and double the "
         "quote)"},
        {"quote inside unquoted header field", "a,b\"c\n1,2\n", {}, exit_code::data,
         "mem.csv:1:2: a quote inside an unquoted header name (quote the whole name and double the quote)"},
        {"text after closing quote", "a,b\n\"1\"x,2\n", {"b"}, exit_code::data,
         "mem.csv:2:1: column \"a\": unexpected \"x\" after a closing quote (expected the delimiter or the end "
         "of the line)"},
        {"space before opening quote", "a,b\n1, \"2\"\n", {"b"}, exit_code::data,
         "mem.csv:2:2: column \"b\": a quote inside an unquoted field (quote the whole field and double the "
         "quote)"},
        {"NUL byte in a value", std::string("a,b\n1,2\n3,4\0\n", 13), {"b"}, exit_code::data,
         "mem.csv:3:2: column \"b\": cannot parse \"4\\x00\" as a number"},
        {"invalid UTF-8 in a value", "a\n\xFF\xFE\n", {"a"}, exit_code::data,
         "mem.csv:2:1: column \"a\": cannot parse \"\\xff\\xfe\" as a number"},
        {"long text is truncated", "a\n" + std::string(100, 'z') + "\n", {"a"}, exit_code::data,
         "mem.csv:2:1: column \"a\": cannot parse \"" + std::string(40, 'z') + "\"... (100 bytes) as a number"},
        {"lines ending with CR alone (old Excel)", "a,b\r1,2\r", {"a"}, exit_code::data,
         "mem.csv:1:2: the lines end with a carriage return alone (classic Mac OS, old Excel); convert the line ends "
         "first, e.g. tr '\\r' '\\n' < mem.csv > mem.csv.csv"},
        {"a lone CR in a data field is a character", "a,b\n1,x\ry\n", {"a"}, exit_code::data, ""},
        {"gzip", std::string("\x1f\x8b\x08\x00\x00\x00", 6), {}, exit_code::data,
         "mem.csv: gzip-compressed (decompress it first, e.g. zcat mem.csv > mem.csv.csv)"},
        {"zstd", std::string("\x28\xb5\x2f\xfd\x00", 5), {}, exit_code::data,
         "mem.csv: zstd-compressed (decompress it first, e.g. zstdcat mem.csv > mem.csv.csv)"},
        {"zstd starting with a skippable frame (pzstd)", std::string("\x50\x2a\x4d\x18\x04\x00\x00\x00", 8), {},
         exit_code::data, "mem.csv: zstd-compressed (decompress it first, e.g. zstdcat mem.csv > mem.csv.csv)"},
        {"xz", std::string("\xfd" "7zXZ\x00\x00", 7), {}, exit_code::data,
         "mem.csv: xz-compressed (decompress it first, e.g. xzcat mem.csv > mem.csv.csv)"},
        {"lz4", std::string("\x04\x22\x4d\x18\x64\x40", 6), {}, exit_code::data,
         "mem.csv: lz4-compressed (decompress it first, e.g. lz4cat mem.csv > mem.csv.csv)"},
        {"bzip2", std::string("BZh91AY&SY\x00", 11), {}, exit_code::data,
         "mem.csv: bzip2-compressed (decompress it first, e.g. bzcat mem.csv > mem.csv.csv)"},
        {"an Excel workbook", std::string("PK\x03\x04\x14\x00", 6), {}, exit_code::data,
         "mem.csv: a ZIP archive (an Excel workbook?), not CSV text; export the sheet as CSV"},
        {"UTF-16 LE with BOM", std::string("\xff\xfe" "a\0,\0b\0\n\0", 10), {}, exit_code::data,
         "mem.csv: UTF-16 text (Excel's \"Unicode text\"); convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 "
         "mem.csv > mem.csv.csv"},
        {"UTF-16 BE with BOM", std::string("\xfe\xff\0a\0,\0b\0\n", 10), {}, exit_code::data,
         "mem.csv: UTF-16 text (Excel's \"Unicode text\"); convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 "
         "mem.csv > mem.csv.csv"},
        {"UTF-32 LE with BOM", std::string("\xff\xfe\0\0a\0\0\0", 8), {}, exit_code::data,
         "mem.csv: UTF-32 text; convert it to UTF-8 first, e.g. iconv -f UTF-32 -t UTF-8 mem.csv > mem.csv.csv"},
        {"UTF-16 LE without BOM", std::string("a\0,\0b\0\n\0", 8), {}, exit_code::data,
         "mem.csv: UTF-16 text without a byte-order mark, it seems (every other byte is zero); convert it to UTF-8 "
         "first, e.g. iconv -f UTF-16LE -t UTF-8 mem.csv > mem.csv.csv"},
        {"UTF-16 BE without BOM", std::string("\0a\0,\0b\0\n", 8), {}, exit_code::data,
         "mem.csv: UTF-16 text without a byte-order mark, it seems (every other byte is zero); convert it to UTF-8 "
         "first, e.g. iconv -f UTF-16BE -t UTF-8 mem.csv > mem.csv.csv"},
        // Other files a user may give by mistake, by their signatures: OLE2 (D0 CF 11 E0 A1 B1 1A E1),
        // SQLite ("SQLite format 3" and NUL), Arrow IPC ("ARROW1", two NUL of padding), Parquet
        // ("PAR1", then a Thrift page header: 0x15 is its first field's header).
        {"an Excel 97-2003 workbook", std::string("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0", 10), {}, exit_code::data,
         "mem.csv: an OLE2 compound file (an Excel 97-2003 workbook?), not CSV text; export the sheet as CSV"},
        {"an SQLite database", std::string("SQLite format 3\0\x10\0", 18), {}, exit_code::data,
         "mem.csv: an SQLite database, not CSV text; export the table as CSV"},
        // An ELF executable: 7F 'E' 'L' 'F', class, data, version ("a quote inside an unquoted header name" before).
        {"an executable", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\"", 11), {}, exit_code::data,
         "mem.csv: an executable (ELF) file, not CSV text (the wrong file?)"},
        {"an Arrow IPC file", std::string("ARROW1\0\0\xff\xff", 10), {}, exit_code::data,
         "mem.csv: an Arrow IPC (Feather) file, not CSV text; write it as CSV, e.g. "
         "pandas.read_feather('mem.csv').to_csv('mem.csv.csv', index=False)"},
        {"a Parquet file", std::string("PAR1\x15\x04\x15\0", 8), {}, exit_code::data,
         "mem.csv: a Parquet file, not CSV text; write it as CSV, e.g. pandas.read_parquet('mem.csv').to_csv("
         "'mem.csv.csv', index=False)"},
        {"a column named PAR1 is a column", "PAR1,ARROW1\n1,2\n", {"PAR1"}, exit_code::data, ""},
        {"a NUL byte in the header (binary data)", std::string("a,b\0c\n1,2\n", 10), {}, exit_code::data,
         "mem.csv:1:2: a NUL byte in the header: binary data, not CSV text (the wrong file?)"},
        {"a NUL byte in a quoted name", std::string("a,\"b\0\"\n1,2\n", 11), {}, exit_code::data,
         "mem.csv:1:2: a NUL byte in the header: binary data, not CSV text (the wrong file?)"},
    };
    for (const auto& b : table) {
        INFO(b.label);
        if (b.message.empty()) {  // not an error
            CHECK(parse_csv(b.text, "mem.csv", b.columns).rows > 0);
            continue;
        }
        const auto e = thrown([&] { (void)parse_csv(b.text, "mem.csv", b.columns); });
        CHECK(e.code() == b.code);
        CHECK(std::string(e.what()) == b.message);
        // The same through a file and with 1, 2 and 3 threads: same first error.
        temp_dir dir;
        const std::string path = dir.write("bad.csv", b.text);
        for (unsigned threads : {1u, 2u, 3u}) {
            csv_options o;
            o.threads = threads;
            const auto f = thrown([&] { (void)read_csv(path, b.columns, o); });
            CHECK(f.code() == b.code);
            std::string expected = b.message;
            for (std::size_t at = expected.find("mem.csv"); at != std::string::npos; at = expected.find("mem.csv", at + path.size()))
                expected.replace(at, 7, path);
            // A file of gzip or zstd data is decompressed as it is read (test_decompress.cpp):
            // these few bytes are a truncated stream.
            if (b.label == std::string("gzip"))
                expected = path + ":1:1: truncated gzip data: the file ends inside a member (after 6 compressed bytes); nothing was judged";
            if (b.label == std::string("zstd"))
                expected = path + ":1:1: truncated zstd data: the file ends inside a frame (after 5 compressed bytes); nothing was judged";
            if (b.label == std::string("zstd starting with a skippable frame (pzstd)"))
                expected = path + ":1:1: truncated zstd data: the file ends inside a frame (after 8 compressed bytes); nothing was judged";
            CHECK(std::string(f.what()) == expected);
        }
    }
}

TEST_CASE("missing file, directory, and fixture files with errors") {
    temp_dir dir;
    const std::string missing = (dir.path / "nope.csv").string();
    auto e = thrown([&] { (void)read_csv(missing, cols({"a"})); });
    CHECK(e.code() == exit_code::no_input);
    CHECK(std::string(e.what()) == missing + ": cannot open: No such file or directory");
    CHECK(thrown([&] { (void)read_csv_header(missing); }).code() == exit_code::no_input);

    const std::string d = dir.path.string();
    e = thrown([&] { (void)read_csv(d, cols({"a"})); });
    CHECK(e.code() == exit_code::no_input);
    CHECK(std::string(e.what()) == d + ": is a directory, not a regular file");
    CHECK(thrown([&] { (void)read_csv_header(d); }).code() == exit_code::no_input);

    e = thrown([&] { (void)read_csv(data_dir + "empty.csv", cols({})); });
    CHECK(e.code() == exit_code::data);
    CHECK(std::string(e.what()) == data_dir + "empty.csv: the file is empty (no header row)");
    CHECK(thrown([&] { (void)read_csv_header(data_dir + "empty.csv"); }).code() == exit_code::data);
    CHECK(std::string(thrown([&] { (void)read_csv(data_dir + "header_only.csv", cols({"a"})); }).what()) ==
          data_dir + "header_only.csv: the file has a header but no data rows");
    CHECK(std::string(thrown([&] { (void)read_csv(data_dir + "bad_value.csv", cols({"b"})); }).what()) ==
          data_dir + "bad_value.csv:3:2: column \"b\": cannot parse \"x\" as a number");
    csv_options bad;
    bad.delimiter = '"';
    CHECK(thrown([&] { (void)read_csv(data_dir + "semicolon.csv", cols({}), bad); }).code() == exit_code::usage);
}

TEST_CASE("reading from a pipe") {
    temp_dir dir;
    const std::string fifo = (dir.path / "pipe.csv").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string text = "a,b\n";
    for (int i = 0; i < 300000; ++i) text += std::to_string(i) + ",\"" + std::to_string(i % 7) + "\"\n";
    std::thread writer([&] {
        std::ofstream out(fifo, std::ios::binary);
        out << text;
    });
    const auto t = read_csv(fifo, cols({"b", "a"}));
    writer.join();
    REQUIRE(t.rows == 300000);
    CHECK(t.columns[0][299999] == 299999 % 7);
    CHECK(t.columns[1][299999] == 299999.0);
}

TEST_CASE("skip_non_numeric drops columns with a non-numeric value and says why") {
    const std::string text = "id,name,score,flag\n1,ann,0.5,NA\n2,bob,0.25,\n3,\"c\nd\",x1,1\n4,eve,0.75,0\n";
    const auto t = parse(text, cols({"flag", "name", "score", "id"}), {}, column_policy::skip_non_numeric);
    CHECK(t.names == cols({"flag", "id"}));
    REQUIRE(t.columns.size() == 2);
    CHECK(t.rows == 4);
    CHECK(same_bits(t.columns[0], {std::nan(""), std::nan(""), 1.0, 0.0}));
    CHECK(t.columns[1] == std::vector<double>{1, 2, 3, 4});
    REQUIRE(t.dropped.size() == 2);
    CHECK(t.dropped[0].name == "name");
    CHECK(t.dropped[0].index == 2);
    CHECK(t.dropped[0].reason == "mem.csv:2:2: column \"name\": cannot parse \"ann\" as a number");
    CHECK(t.dropped[1].name == "score");
    CHECK(t.dropped[1].index == 3);
    CHECK(t.dropped[1].reason == "mem.csv:5:3: column \"score\": cannot parse \"x1\" as a number");
    // Structural errors still throw.
    CHECK(thrown([&] { (void)parse("a,b\n1,2\n3\n", cols({"a"}), {}, column_policy::skip_non_numeric); }).code() ==
          exit_code::data);
}

TEST_CASE("results are identical for every thread count (quoted newlines, doubled quotes, CRLF)") {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> pick(0, 9);
    std::string text = "id,\"q,uoted\",amount,note\r\n";
    for (int i = 0; i < 5000; ++i) {
        text += std::to_string(i) + ",";
        switch (pick(rng)) {
        case 0: text += "\"line\nbreak \"\"a\"\"\r\nend\""; break;
        case 1: text += "\"\"\"\""; break;
        case 2: text += "\"\n\n\""; break;
        default: text += "plain"; break;
        }
        text += ",";
        switch (pick(rng)) {
        case 0: text += "NA"; break;
        case 1: text += "\"" + std::to_string(i) + ".5\""; break;
        case 2: break;
        default: text += std::to_string(i * 0.001); break;
        }
        text += ",";
        text += (pick(rng) == 0) ? "\"x\ny\"" : "z";
        text += (i % 2) ? "\r\n" : "\n";
    }
    temp_dir dir;
    const std::string path = dir.write("q.csv", text);
    csv_options one;
    one.threads = 1;
    const auto ref = read_csv(path, cols({"amount", "id"}), one);
    REQUIRE(ref.rows == 5000);
    CHECK(ref.columns[1][4999] == 4999.0);
    for (unsigned threads : {2u, 3u, 4u, 7u, 16u, 0u}) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        const auto t = read_csv(path, cols({"amount", "id"}), o);
        CHECK(t.rows == ref.rows);
        CHECK(same_bits(t.columns[0], ref.columns[0]));
        CHECK(same_bits(t.columns[1], ref.columns[1]));
    }
    // Errors planted at several places: the first in file order is reported for every thread count.
    // Records start after an LF followed by their id (quoted fields never hold an LF and a digit).
    const std::size_t late = text.find("\n4000,") + 1;
    const std::size_t early = text.find("\n1000,") + 1;
    REQUIRE(late > early);
    REQUIRE(early > 1);
    std::string broken = text;
    broken.insert(late, "\"unterminated,");
    broken.insert(early, "bad\"quote,");  // before `late`, so that offset stays valid
    const std::string bad_path = dir.write("bad.csv", broken);
    std::string first_message;
    for (unsigned threads : {1u, 2u, 3u, 5u}) {
        csv_options o;
        o.threads = threads;
        const auto e = thrown([&] { (void)read_csv(bad_path, cols({"amount"}), o); });
        if (threads == 1) first_message = e.what();
        CHECK(std::string(e.what()) == first_message);
    }
    const std::size_t expected_line = 1 + static_cast<std::size_t>(std::count(broken.begin(), broken.begin() + static_cast<std::ptrdiff_t>(early), '\n'));
    CHECK(first_message == bad_path + ":" + std::to_string(expected_line) +
                               ":1: column \"id\": a quote inside an unquoted field (quote the whole field and "
                               "double the quote)");
}

TEST_CASE("values land at their own rows when chunks hold fewer records than line feeds") {
    // Each chunk writes its values from the row where the line feeds before it put it; quoted
    // line feeds make the records fewer, and the gaps are closed afterwards. Every value is
    // checked against its record number, for files read from disk (mapped) and from memory.
    std::string text = "id,note,v\n";
    for (int i = 0; i < 30000; ++i) {
        const std::string id = std::to_string(i);
        text += id;
        text += (i % 7 == 0) ? ",\"a\nb\n\nc\"," : (i % 5 == 0) ? ",\"x\r\ny\"," : ",n,";
        text += id;
        text += (i % 3 == 0) ? ".5\r\n" : ".5\n";
    }
    temp_dir dir;
    const std::string path = dir.write("gaps.csv", text);
    for (const unsigned threads : {1u, 2u, 3u, 4u, 6u, 8u, 13u}) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        for (const bool from_file : {true, false}) {
            const csv_table t = from_file ? read_csv(path, cols({"v", "id"}), o)
                                          : parse_csv(text, "gaps.csv", cols({"v", "id"}), o);
            REQUIRE(t.rows == 30000);
            REQUIRE(t.columns[0].size() == 30000);
            std::size_t wrong = 0;
            for (std::size_t i = 0; i < 30000; ++i) {
                wrong += t.columns[0][i] != static_cast<double>(i) + 0.5 ? 1 : 0;
                wrong += t.columns[1][i] != static_cast<double>(i) ? 1 : 0;
            }
            CHECK(wrong == 0);
        }
    }
}

TEST_CASE("chunks whose records are shorter than their first 256 KiB suggest are parsed again with counted capacities") {
    // A chunk's capacity is guessed from the line feeds in its first 256 KiB: here each half of
    // the file starts with 300 KB of long records (a 3000-byte note) followed by short ones, so
    // the guess falls far short, the chunk fills up, and the file is parsed again with its line
    // feeds counted. Every value is checked against its record number.
    std::string text = "id,note,v\n";
    std::size_t n = 0;
    auto add = [&](bool long_note) {
        const std::string id = std::to_string(n);
        text += id + "," + (long_note ? std::string(3000, 'x') : std::string("n")) + "," + id + ".25\n";
        ++n;
    };
    for (int half = 0; half < 2; ++half) {
        while (text.size() < 300000 + static_cast<std::size_t>(half) * 2000000) add(true);
        while (text.size() < 2000000 * static_cast<std::size_t>(half + 1)) add(false);
    }
    temp_dir dir;
    const std::string path = dir.write("shorter.csv", text);
    for (const unsigned threads : {1u, 2u, 3u, 4u}) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        for (const bool from_file : {true, false}) {
            const csv_table t = from_file ? read_csv(path, cols({"v", "id"}), o)
                                          : parse_csv(text, "shorter.csv", cols({"v", "id"}), o);
            REQUIRE(t.rows == n);
            REQUIRE(t.columns[0].size() == n);
            std::size_t wrong = 0;
            for (std::size_t i = 0; i < n; ++i) {
                wrong += t.columns[0][i] != static_cast<double>(i) + 0.25 ? 1 : 0;
                wrong += t.columns[1][i] != static_cast<double>(i) ? 1 : 0;
            }
            CHECK(wrong == 0);
        }
    }
}

TEST_CASE("lines of several MB and NUL bytes in skipped fields") {
    std::string big(5u << 20, 'a');
    big[1000] = '\0';
    const std::string quoted = "\"" + std::string(3u << 20, ',') + "\n\"\"\"";
    const std::string text = "a,b,c\n1," + big + "," + quoted + "\n2,x,y\n";
    for (unsigned threads : {1u, 2u, 3u}) {
        csv_options o;
        o.threads = threads;
        const auto t = parse(text, cols({"a"}), o);
        CHECK(t.columns[0] == std::vector<double>{1.0, 2.0});
    }
    const std::string header_big = "\"" + std::string(2u << 20, 'h') + "\",v\n1,2\n";
    CHECK(parse_csv_header(header_big, "mem.csv")[0].size() == (2u << 20));
}

TEST_CASE("random bytes never crash: either a table or a cli_error") {
    std::mt19937_64 rng(99);
    const char alphabet[] = {',', '"', '\n', '\r', '1', '.', 'e', '-', 'N', 'A', ' ', '\0', '\xEF', '\xBB', '\xBF', ';'};
    std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 1), len(0, 200);
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        const std::size_t n = len(rng);
        for (std::size_t k = 0; k < n; ++k) text += alphabet[pick(rng)];
        std::string first_error;
        csv_table first;
        for (unsigned threads : {1u, 2u, 3u}) {
            csv_options o;
            o.threads = threads;
            try {
                std::vector<std::string> want;
                if (auto h = parse_csv_header(text, "r.csv", o); !h.empty()) want.push_back(h.back());
                const auto t = parse_csv(text, "r.csv", want, o, column_policy::skip_non_numeric);
                if (threads == 1) first = t;
                CHECK(first_error.empty());
                CHECK(t.rows == first.rows);
                CHECK(t.columns.size() == first.columns.size());
                if (!t.columns.empty() && t.columns.size() == first.columns.size())
                    CHECK(same_bits(t.columns[0], first.columns[0]));
            } catch (const cli_error& e) {
                if (threads == 1) first_error = e.what();
                CHECK(std::string(e.what()) == first_error);
            }
        }
    }
}

TEST_CASE("files over 4 GiB", "[.][large]") {
    // Hidden (run with "[large]"): writes a 4.3 GiB file, checks offsets and line numbers past 2^32.
    temp_dir dir;
    const std::string path = (dir.path / "big.csv").string();
    const std::string row = "1.25,2.5,abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789\n";
    const std::size_t rows = (std::size_t{43} << 30) / 10 / row.size() + 1;  // > 4.3 GiB
    {
        std::ofstream out(path, std::ios::binary);
        out << "x,y,z\n";
        std::string block;
        for (int i = 0; i < 10000; ++i) block += row;
        std::size_t written = 0;
        for (; written + 10000 <= rows; written += 10000) out << block;
        for (; written < rows; ++written) out << row;
        out << "9,oops,z\n";
    }
    const auto t = read_csv(path, cols({"x"}));
    CHECK(t.rows == rows + 1);
    CHECK(t.columns[0].back() == 9.0);
    const auto e = thrown([&] { (void)read_csv(path, cols({"y"})); });
    CHECK(std::string(e.what()) ==
          path + ":" + std::to_string(rows + 2) + ":2: column \"y\": cannot parse \"oops\" as a number");
}

TEST_CASE("a mapped file larger than the page-release step: values, and errors found after released pages") {
    // The reader drops the pages of a mapped file every 8 MiB parsed; the values must not
    // change, and an error past that point still names its physical line.
    temp_dir dir;
    const std::size_t n = 700000;  // about 19 MB
    std::string text = "id,v,note\n";
    text.reserve(n * 28 + 64);
    for (std::size_t i = 0; i < n; ++i)
        text += std::to_string(i) + "," + std::to_string(i) + ".25,\"x,y\"\n";
    const std::string path = dir.write("big.csv", text);
    for (unsigned threads : {1u, 2u, 3u}) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        const auto t = read_csv(path, cols({"v", "id"}), o);
        REQUIRE(t.rows == n);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) {
            wrong += t.columns[0][i] != static_cast<double>(i) + 0.25 ? 1 : 0;
            wrong += t.columns[1][i] != static_cast<double>(i) ? 1 : 0;
        }
        CHECK(wrong == 0);
    }
    // A bad value on the last line (line n + 1, the header being line 1).
    text.replace(text.rfind(".25"), 3, ".2z");
    const std::string bad = dir.write("bad.csv", text);
    for (unsigned threads : {1u, 2u}) {
        csv_options o;
        o.threads = threads;
        const auto e = thrown([&] { (void)read_csv(bad, cols({"v"}), o); });
        CHECK(e.code() == exit_code::data);
        CHECK_THAT(e.what(), Catch::Contains("bad.csv:" + std::to_string(n + 1) + ":2: column \"v\": cannot parse"));
    }
}

TEST_CASE("missing-value tokens that look like decimals are matched on the fast conversion path") {
    // Tokens of decimal characters are compared with the text of every converted field; the
    // default tokens cannot match a decimal field, so they are not compared there.
    csv_options o;
    o.missing_tokens = {"1E5", "0.12345678901234567", ".5", "-0"};
    const auto t = parse("v,w\n1e5,0\n1E5,0\n100000,0\n0.12345678901234567,0\n0.123456789012345670,0\n.5,0\n"
                         "0.5,0\n-0,0\n0,0\nnan,0\n",
                         cols({"v"}), o);
    REQUIRE(t.rows == 10);
    const auto& v = t.columns[0];
    CHECK(std::isnan(v[0]));  // "1e5" matches "1E5" case-insensitively
    CHECK(std::isnan(v[1]));
    CHECK(v[2] == 100000.0);
    CHECK(std::isnan(v[3]));
    CHECK(v[4] == 0.12345678901234567);
    CHECK(std::isnan(v[5]));
    CHECK(v[6] == 0.5);
    CHECK(std::isnan(v[7]));
    CHECK(v[8] == 0.0);
    CHECK(std::isnan(v[9]));  // "nan" reads as NaN (a missing value) without being a token
    o.case_sensitive_missing = true;
    const auto u = parse("v\n1e5\n1E5\n", cols({"v"}), o);
    CHECK(u.columns[0][0] == 100000.0);
    CHECK(std::isnan(u.columns[0][1]));
}

TEST_CASE("skipped fields of every length from 0 to 200 bytes: field ends found across the 64-byte scan windows") {
    // Each record: a skipped text field of length L (plain, or quoted holding the delimiter, a
    // doubled quote and an LF), the requested value L, and a skipped field of 200 - L bytes. The
    // field ends fall at every offset of the reader's 64-byte windows.
    for (const bool quoted : {false, true}) {
        std::string text = "t,v,u\n";
        std::size_t lines = 1;
        for (int len = 0; len <= 200; ++len) {
            std::string field(static_cast<std::size_t>(len), 'x');
            if (quoted && len >= 4) {
                field[1] = ',';
                field[len / 2] = '\n';
                ++lines;
                std::string q = "\"";
                q.append(field, 0, 2);
                q += "\"\"";
                q.append(field, 2);
                q += '"';
                field = q;
            }
            text += field + "," + std::to_string(len) + "," + std::string(static_cast<std::size_t>(200 - len), 'y') + "\n";
            ++lines;
        }
        for (const unsigned threads : {1u, 2u, 3u, 7u}) {
            INFO("quoted " << quoted << ", threads " << threads);
            csv_options o;
            o.threads = threads;
            const csv_table t = parse_csv(text, "windows.csv", cols({"v"}), o);
            REQUIRE(t.rows == 201);
            for (int len = 0; len <= 200; ++len) REQUIRE(t.columns[0][static_cast<std::size_t>(len)] == len);
        }
        // A stray quote deep inside a long unquoted field is still found, with its line.
        const std::string bad = text + std::string(150, 'z') + "\"z,1,u\n";
        try {
            (void)parse_csv(bad, "windows.csv", cols({"v"}));
            FAIL("no error");
        } catch (const cli_error& e) {
            CHECK(e.code() == exit_code::data);
            CHECK_THAT(e.what(), Catch::Contains("windows.csv:" + std::to_string(lines + 1) + ":") &&
                                     Catch::Contains("a quote inside an unquoted field"));
        }
    }
}

TEST_CASE("runs of skipped fields before a requested one: stepped over whole, or field by field at quotes and line ends") {
    // Each record: 11 skipped fields of random lengths (0 to 40 bytes; one record in 5 has a
    // quoted one holding the delimiter, a doubled quote (inside or last) or a line feed, or
    // nothing special, or nothing at all), the requested value (the record's number) and a skipped
    // last field. The reader steps over a run of skipped fields by
    // counting delimiters when no quote or line feed comes first; the values must land at their
    // rows whatever the path.
    std::mt19937_64 rng(20261124);
    std::string text = "a,b,c,d,e,f,g,h,i,j,k,v,z\n";
    std::size_t lines = 1;
    constexpr int records = 3000;
    for (int r = 0; r < records; ++r) {
        const bool quote_one = rng() % 5 == 0;
        const auto which = static_cast<int>(rng() % 11);
        for (int f = 0; f < 11; ++f) {
            std::string field(rng() % 41, 'x');
            if (quote_one && f == which) {
                const auto kind = rng() % 6;
                field = kind == 4   ? "\"\""
                        : kind == 5 ? "\"" + field + "\"\"\""
                                    : "\"" + field + (kind == 0 ? "," : kind == 1 ? "\"\"" : kind == 2 ? "\n" : "") + "\"";
                lines += kind == 2 ? 1 : 0;
            }
            text += field + ",";
        }
        text += std::to_string(r) + "," + std::string(rng() % 30, 'y') + "\n";
        ++lines;
    }
    for (const unsigned threads : {1u, 2u, 3u, 7u}) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        const csv_table t = parse_csv(text, "runs.csv", cols({"v"}), o);
        REQUIRE(t.rows == records);
        for (int r = 0; r < records; ++r) REQUIRE(t.columns[0][static_cast<std::size_t>(r)] == r);
        // Two requested columns with a run between them.
        const csv_table t2 = parse_csv(text, "runs.csv", cols({"v", "a"}), o, column_policy::skip_non_numeric);
        REQUIRE(t2.names == cols({"v"}));
        for (int r = 0; r < records; ++r) REQUIRE(t2.columns[0][static_cast<std::size_t>(r)] == r);
    }
    // A record that ends inside the run (5 fields), and a stray quote inside the run: reported
    // with their lines, as field by field.
    const std::string header = "a,b,c,d,e,f,g,h,i,j,k,v,z\n";
    const std::string row = "xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,7,z\n";
    const std::pair<const char*, const char*> bad_records[] = {
        {"x,x,x,x,x\n", "mem.csv:42:6: column \"f\": missing: the record has 5 fields, the header 13"},
        {"xx,xx,xx,x\"x,xx,xx,xx,xx,xx,xx,xx,7,z\n",
         "mem.csv:42:4: column \"d\": a quote inside an unquoted field (quote the whole field and double the quote)"}};
    for (const auto& [record, message] : bad_records) {
        std::string text = header;
        for (int i = 0; i < 40; ++i) text += row;
        text += record + row;
        const auto e = thrown([&] { (void)parse(text, cols({"v"})); });
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()) == message);
    }
}

TEST_CASE("a quoted field full of line feeds across the middle of the file: chunk boundaries are not guessed wrong") {
    // The chunks' first guess is "after the first LF past the nominal offset", which here lands
    // inside the quoted field (its lines even look like records); the reader must detect that and
    // find the boundaries from quote parity, with the same result as one thread.
    std::string text = "id,note,v\n";
    for (int i = 0; i < 200; ++i) text += std::to_string(i) + ",x," + std::to_string(i) + ".25\n";
    text += "200,\"";
    for (int i = 0; i < 2000; ++i) text += "1,y,2\n";
    text += "\",200.25\n";
    for (int i = 201; i < 400; ++i) text += std::to_string(i) + ",x," + std::to_string(i) + ".25\n";
    csv_options one;
    one.threads = 1;
    const csv_table ref = parse_csv(text, "long.csv", cols({"v", "id"}), one);
    REQUIRE(ref.rows == 400);
    for (std::size_t i = 0; i < 400; ++i) REQUIRE(ref.columns[0][i] == static_cast<double>(i) + 0.25);
    for (const unsigned threads : {2u, 3u, 4u, 5u, 8u}) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        const csv_table t = parse_csv(text, "long.csv", cols({"v", "id"}), o);
        REQUIRE(t.rows == 400);
        CHECK(same_bits(t.columns[0], ref.columns[0]));
        CHECK(same_bits(t.columns[1], ref.columns[1]));
    }
}

TEST_CASE("one- and two-character codes (d, dd, -d) equal strtod, at any line end; near misses are errors") {
    std::vector<std::string> codes;
    for (int i = 0; i <= 99; ++i) codes.push_back(std::to_string(i));
    for (int i = 0; i <= 9; ++i) {
        codes.push_back("-" + std::to_string(i));
        codes.push_back("0" + std::to_string(i));
    }
    for (const char* eol : {"\n", "\r\n"}) {
        std::string text = "a,b\n";
        for (std::size_t i = 0; i < codes.size(); ++i) text += codes[i] + "," + codes[codes.size() - 1 - i] + eol;
        text += "7,-3";  // the last record without a line end: the field ends at the end of the text
        const csv_table t = parse_csv(text, "codes.csv", cols({"a", "b"}));
        REQUIRE(t.rows == codes.size() + 1);
        for (std::size_t i = 0; i < codes.size(); ++i) {
            const double a = std::strtod(codes[i].c_str(), nullptr);
            REQUIRE(t.columns[0][i] == a);
            REQUIRE(std::signbit(t.columns[0][i]) == std::signbit(a));  // "-0" is -0.0
            REQUIRE(t.columns[1][i] == std::strtod(codes[codes.size() - 1 - i].c_str(), nullptr));
        }
        CHECK(t.columns[0].back() == 7.0);
        CHECK(t.columns[1].back() == -3.0);
    }
    for (const char* bad : {"-", "1-", "--", "-a", "a1", "1\r2", "5\r"}) {
        INFO(bad);
        const auto e = thrown([&] { (void)parse_csv(std::string("a\n") + bad, "codes.csv", cols({"a"})); });
        CHECK(e.code() == exit_code::data);
        CHECK_THAT(e.what(), Catch::Contains("codes.csv:2:") && Catch::Contains("cannot parse"));
    }
}

TEST_CASE("short plain decimals (up to 16 characters: whole amounts, cents, rates) equal strtod, first or last in a record") {
    // Fields of at most 16 characters are read 16 bytes at a time (short_decimal);
    // everything else, and these near the end of the text, digit by digit. Both must give
    // strtod's double, -0.0 included.
    std::mt19937_64 rng(20261124);
    std::uniform_int_distribution<int> digit(0, 9), whole(0, 16), frac(0, 16), coin(0, 2);
    std::vector<std::string> fields = {"0",     "-0",    "0.0",   "-0.0",  ".5",    "-.5",   "5.",    "-5.",
                                       "000123", "-00.50", "123456789012345", "-123456789012345",
                                       "1234567890123456",  "9007199254740993", "900719925474099.3", "0.000000000000001",
                                       "-999999999999999", "99999999.9999999", "1.5", "10000", "280000", "-4866.98",
                                       "105006.94", "0.1", "0.3", "123456789.12345"};
    for (int i = 0; i < 30000; ++i) {
        std::string f = coin(rng) == 0 ? "-" : "";
        const int w = whole(rng), d = frac(rng);
        for (int k = 0; k < w; ++k) f += static_cast<char>('0' + digit(rng));
        if (coin(rng) != 0 || w == 0) {
            f += '.';
            for (int k = 0; k < d || (w == 0 && k == 0); ++k) f += static_cast<char>('0' + digit(rng));
        }
        if (f.size() <= 18 && f != "-") fields.push_back(f);  // a few longer than 16: digit by digit
    }
    for (const char* eol : {"\n", "\r\n"}) {
        std::string text = "a,b\n";
        for (std::size_t i = 0; i < fields.size(); ++i) text += fields[i] + "," + fields[fields.size() - 1 - i] + eol;
        const csv_table t = parse_csv(text, "short.csv", cols({"a", "b"}));
        REQUIRE(t.rows == fields.size());
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const double a = std::strtod(fields[i].c_str(), nullptr);
            const double b = std::strtod(fields[fields.size() - 1 - i].c_str(), nullptr);
            if (std::memcmp(&a, &t.columns[0][i], sizeof a) != 0 || std::memcmp(&b, &t.columns[1][i], sizeof b) != 0) {
                ++wrong;
                UNSCOPED_INFO(fields[i] << " | " << fields[fields.size() - 1 - i]);
            }
        }
        CHECK(wrong == 0);
    }
    // Near misses, with enough text after them for the 16-byte reads: errors naming the place.
    for (const char* bad : {".", "-.", "..5", "1.2.3", "12a", "5-", "1..", "--5", "1 2", "0x10", "1e", "-1.5.", "+.5e"}) {
        INFO(bad);
        std::string text = std::string("a\n") + bad + "\n";
        for (int i = 0; i < 20; ++i) text += "1234.5\n";
        const auto e = thrown([&] { (void)parse_csv(text, "short.csv", cols({"a"})); });
        CHECK(e.code() == exit_code::data);
        CHECK_THAT(e.what(), Catch::Contains("short.csv:2:"));
    }
}

namespace {

std::vector<std::uint64_t> sorted_bits(const std::vector<double>& v) {
    std::vector<std::uint64_t> out;
    for (const double d : v) out.push_back(std::isnan(d) ? 0x7ff8000000000000ULL : std::bit_cast<std::uint64_t>(d));
    std::sort(out.begin(), out.end());
    return out;
}

/// The reader's count equals the library's count_sample of the same column read in order: the
/// same values (bit patterns, -0.0 apart), counts, total and missing values.
void require_same_count(const driftgate::counted_sample& got, const std::vector<double>& column) {
    const auto want = driftgate::count_sample(column);
    REQUIRE(want);
    REQUIRE(got.values.size() == want->values.size());
    for (std::size_t i = 0; i < got.values.size(); ++i)
        REQUIRE(std::bit_cast<std::uint64_t>(got.values[i]) == std::bit_cast<std::uint64_t>(want->values[i]));
    REQUIRE(got.counts == want->counts);
    REQUIRE(got.n == want->n);
    REQUIRE(got.missing == want->missing);
}

} // namespace

TEST_CASE("unordered columns of codes are counted as they are read: equal to counting the column read in order") {
    // a: codes -2..8; b: continuous; c: codes with missing tokens, -0, 0, infinities, a large
    // value, a fraction and quoted values; d: codes not requested as unordered.
    std::mt19937_64 rng(11);
    const char* c_values[] = {"0",   "-0",  "1",   "NA",   "",     "inf",  "-inf", "1e300", "0.5",     "\"3\"",
                              "-128", "127", "128", "-129", "2.0", "\"-1\"", "\"-0\"", "\"9\"", "\"-9\""};
    std::string text = "a,b,c,d\n";
    const std::size_t rows = 3000;  // several rings of 256 records per chunk, and a partial one
    for (std::size_t i = 0; i < rows; ++i)
        text += std::to_string(static_cast<int>(rng() % 11) - 2) + "," + std::to_string(static_cast<double>(rng() % 1000000) / 7.0) +
                "," + c_values[rng() % std::size(c_values)] + "," + std::to_string(rng() % 3) + "\n";
    for (unsigned threads = 1; threads <= 7; ++threads) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        const csv_table plain = parse_csv(text, "u.csv", cols({"a", "b", "c", "d"}), o);
        const csv_table t = parse_csv(text, "u.csv", cols({"a", "b", "c", "d"}), o, column_policy::require_numeric,
                                      cols({"c", "a", "b"}));
        REQUIRE(t.rows == rows);
        REQUIRE(t.names == plain.names);
        REQUIRE(t.counted.size() == 4);
        REQUIRE(t.counted[0]);
        REQUIRE(t.columns[0].empty());
        require_same_count(*t.counted[0], plain.columns[0]);
        REQUIRE(t.counted[2]);
        require_same_count(*t.counted[2], plain.columns[2]);
        CHECK(t.counted[2]->missing > 0);
        // b (continuous at its head) and d (not unordered) come back as values.
        REQUIRE(!t.counted[1]);
        CHECK(sorted_bits(t.columns[1]) == sorted_bits(plain.columns[1]));
        REQUIRE(!t.counted[3]);
        CHECK(t.columns[3] == plain.columns[3]);
        CHECK(t.counts("a") == &*t.counted[0]);
        CHECK(t.counts("b") == nullptr);
        CHECK(thrown([&] { (void)t.column("a"); }).code() == exit_code::usage);
    }
}

TEST_CASE("an unordered column with few values at its head and many later comes back as its values") {
    // The first 256 records hold 32 distinct values (counted from the start), then either one
    // part of the file holds over 256 distinct values (a chunk gives up counting), or each half
    // holds 200 and the whole 400 (every chunk counts, their merge has too many).
    std::string spill = "x,y\n", merge = "x,y\n";
    for (int i = 0; i < 3000; ++i) {
        spill += std::to_string(i < 1000 ? i / 8 % 32 : i) + ".5," + std::to_string(i % 5) + "\n";
        merge += std::to_string((i < 1500 ? 0 : 1000) + i / 8 % 200) + ".25," + std::to_string(i % 5) + "\n";
    }
    for (const std::string* text : {&spill, &merge}) {
        for (unsigned threads = 1; threads <= 7; ++threads) {
            INFO("threads " << threads);
            csv_options o;
            o.threads = threads;
            const csv_table plain = parse_csv(*text, "s.csv", cols({"x", "y"}), o);
            const csv_table t = parse_csv(*text, "s.csv", cols({"x", "y"}), o, column_policy::require_numeric, cols({"x", "y"}));
            REQUIRE(!t.counted[0]);
            REQUIRE(t.columns[0].size() == 3000);
            CHECK(sorted_bits(t.columns[0]) == sorted_bits(plain.columns[0]));
            REQUIRE(t.counted[1]);
            require_same_count(*t.counted[1], plain.columns[1]);
        }
    }
}

TEST_CASE("a counted column reports the same errors as one read in order") {
    std::string text = "k,v\n";
    for (int i = 0; i < 2000; ++i) text += std::to_string(i % 4) + "," + (i == 1234 ? std::string("abc") : std::to_string(i % 3)) + "\n";
    for (unsigned threads = 1; threads <= 4; ++threads) {
        csv_options o;
        o.threads = threads;
        const auto plain = thrown([&] { (void)parse_csv(text, "e.csv", cols({"k", "v"}), o); });
        const auto e = thrown([&] {
            (void)parse_csv(text, "e.csv", cols({"k", "v"}), o, column_policy::require_numeric, cols({"k", "v"}));
        });
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()) == plain.what());
        CHECK_THAT(e.what(), Catch::Contains("e.csv:1236:") && Catch::Contains("\"abc\""));
        const csv_table t =
            parse_csv(text, "e.csv", cols({"k", "v"}), o, column_policy::skip_non_numeric, cols({"k", "v"}));
        REQUIRE(t.names == cols({"k"}));
        REQUIRE(t.dropped.size() == 1);
        CHECK(t.dropped[0].reason == "e.csv:1236:2: column \"v\": cannot parse \"abc\" as a number");
        REQUIRE(t.counted[0]);
        CHECK(t.counted[0]->counts == std::vector<std::size_t>{500, 500, 500, 500});
    }
}

TEST_CASE("looks_like_codes: at most 64 distinct values among the first 256, NaN aside, -0.0 apart") {
    using driftgate::cli::looks_like_codes;
    std::vector<double> x;
    for (int i = 0; i < 256; ++i) x.push_back(i % 64);  // 64 distinct
    CHECK(looks_like_codes(x));
    x[255] = 64.0;  // 65
    CHECK(!looks_like_codes(x));
    x[255] = std::nan("");  // NaN is not a value
    CHECK(looks_like_codes(x));
    x[0] = -0.0;  // -0.0 beside 0.0 (x[64] == 0.0): 65 bit patterns
    CHECK(!looks_like_codes(x));
    x[0] = 0.0;
    for (int i = 0; i < 1000; ++i) x.push_back(1000.0 + i);  // past the first 256: not looked at
    CHECK(looks_like_codes(x));
    CHECK(looks_like_codes(std::vector<double>{}));
}

// ---- column kinds: booleans, text, automatic --------------------------------------------------

namespace {

using driftgate::cli::cell_kind;
using driftgate::cli::column_request;
using driftgate::cli::text_column;

column_request req(const std::string& name, cell_kind kind = cell_kind::number, bool unordered = false,
                   bool bad_as_missing = false) {
    column_request r;
    r.name = name;
    r.kind = kind;
    r.unordered = unordered;
    r.bad_as_missing = bad_as_missing;
    return r;
}

csv_table parse_k(const std::string& text, const std::vector<column_request>& columns, unsigned threads = 1,
                  csv_options o = {}) {
    o.threads = threads;
    return parse_csv(text, "k.csv", columns, o);
}

constexpr std::uint32_t miss = text_column::missing_code;

} // namespace

TEST_CASE("boolean tokens in a number column: 1 and 0, any ASCII case, quoted or spaced; a boolean column says so") {
    const std::string text = "id,flag,paid\n1,True,yes\n2,FALSE,no\n3,,\"Yes\"\n4, true ,NA\n5,\"false\",NO\n";
    const csv_table t = parse_k(text, {req("flag"), req("paid"), req("id")});
    REQUIRE(t.rows == 5);
    CHECK(same_bits(t.columns[0], {1, 0, std::nan(""), 1, 0}));
    CHECK(same_bits(t.columns[1], {1, 0, 1, std::nan(""), 0}));
    REQUIRE(t.info.size() == 3);
    CHECK(t.info[0].name == "flag");
    CHECK(t.info[0].index == 2);
    CHECK(t.info[0].kind == cell_kind::number);
    CHECK(t.info[0].boolean);
    CHECK(t.info[1].boolean);
    CHECK(t.info[1].index == 3);
    CHECK(!t.info[2].boolean);  // numbers
    CHECK(t.info_of("paid").boolean);
    CHECK(t.text_of("flag") == nullptr);
    // A column of missing values only is not a boolean column.
    CHECK(!parse_k("a,b\nNA,1\n,2\n", {req("a")}).info[0].boolean);
    // Case-sensitive tokens, and tokens of one's own.
    csv_options cs;
    cs.case_sensitive_booleans = true;
    CHECK(parse_k("f\ntrue\nfalse\n", {req("f")}, 1, cs).info[0].boolean);
    CHECK(thrown([&] { (void)parse_k("f\ntrue\nFalse\n", {req("f")}, 1, cs); }).code() == exit_code::data);
    csv_options own;
    own.true_tokens = {"Y"};
    own.false_tokens = {"N"};
    const csv_table y = parse_k("f\ny\nN\n", {req("f")}, 1, own);
    CHECK(y.columns[0] == std::vector<double>{1, 0});
    CHECK(thrown([&] { (void)parse_k("f\ntrue\n", {req("f")}, 1, own); }).code() == exit_code::data);
    // Precedence: missing tokens, then numbers, then boolean tokens.
    csv_options overlap;
    overlap.missing_tokens = {"no"};
    overlap.true_tokens = {"1", "yes"};
    const csv_table o = parse_k("f\nno\nyes\n", {req("f")}, 1, overlap);
    CHECK(same_bits(o.columns[0], {std::nan(""), 1}));
    CHECK(o.info[0].boolean);
    const csv_table num = parse_k("f\n1\n2\n", {req("f")}, 1, overlap);  // "1" reads as the number 1
    CHECK(num.columns[0] == std::vector<double>{1, 2});
    CHECK(!num.info[0].boolean);
}

TEST_CASE("a number column mixing numbers and boolean tokens: the first cell of the other kind, in file order, any thread count") {
    struct mixed_case {
        const char* label;
        std::string text;
        std::string message;
    };
    // A long file (many chunks): the mixing cell near the start, in the middle, at the end, and
    // the column's first non-missing cell behind missing values in other chunks.
    std::string numbers_then_bool = "id,flag\n";
    for (int i = 0; i < 3000; ++i) numbers_then_bool += std::to_string(i) + "," + (i == 2500 ? "True" : std::to_string(i % 2)) + "\n";
    std::string bools_then_number = "id,flag\n";
    for (int i = 0; i < 3000; ++i)
        bools_then_number += std::to_string(i) + "," + (i < 1000 ? "NA" : i == 2999 ? "0" : (i % 2 ? "False" : "true")) + "\n";
    // Records of 10 bytes: with 2 threads the chunks split at record 1500, numbers only before,
    // booleans only after (the mixing is seen only across chunks).
    std::string halves = "id,flag\n";
    for (int i = 0; i < 3000; ++i) halves += std::to_string(1000 + i) + "," + (i < 1500 ? "1234" : i % 2 ? "TRUE" : "true") + "\n";
    const std::vector<mixed_case> cases = {
        {"halves", halves,
         "k.csv:1502:2: column \"flag\": \"true\" is a boolean value in a column of numbers (first number at line 2)"},
        {"a boolean after numbers", numbers_then_bool,
         "k.csv:2502:2: column \"flag\": \"True\" is a boolean value in a column of numbers (first number at line 2)"},
        {"a number after booleans", bools_then_number,
         "k.csv:3001:2: column \"flag\": \"0\" is a number in a column of boolean values (first boolean value at line 1002)"},
        {"short", "a\n1\nyes\n", "k.csv:3:1: column \"a\": \"yes\" is a boolean value in a column of numbers (first number at line 2)"},
        {"quoted", "a,b\n\"no\",1\nNA,2\n\" 5\",3\n",
         "k.csv:4:1: column \"a\": \" 5\" is a number in a column of boolean values (first boolean value at line 2)"},
    };
    for (const auto& m : cases) {
        INFO(m.label);
        for (unsigned threads = 1; threads <= 4; ++threads) {
            INFO("threads " << threads);
            for (const bool bad_as_missing : {false, true}) {
                const std::string column = m.text[0] == 'i' ? "flag" : "a";
                const auto e = thrown([&] { (void)parse_k(m.text, {req(column, cell_kind::number, false, bad_as_missing)}, threads); });
                CHECK(e.code() == exit_code::data);
                CHECK(std::string(e.what()) == m.message);
            }
        }
    }
    // An earlier error of another kind wins; a later one does not.
    std::string early = numbers_then_bool;
    early.replace(early.find("\n100,"), 6, "\n100,x\"");
    CHECK_THAT(thrown([&] { (void)parse_k(early, {req("flag")}, 3); }).what(), Catch::Contains("k.csv:102:"));
    std::string late = numbers_then_bool;
    late.replace(late.find("\n2900,"), 7, "\n2900,1,");
    for (unsigned threads = 1; threads <= 4; ++threads)
        CHECK_THAT(thrown([&] { (void)parse_k(late, {req("flag")}, threads); }).what(), Catch::Contains("k.csv:2502:"));
    // An automatic column that mixes them is a text column.
    const csv_table t = parse_k("a\n1\nyes\n1\n", {req("a", cell_kind::automatic)});
    REQUIRE(t.text[0]);
    CHECK(t.info[0].kind == cell_kind::text);
    CHECK(t.text[0]->categories == cols({"1", "yes"}));
    CHECK(t.text[0]->codes == std::vector<std::uint32_t>{0, 1, 0});
}

TEST_CASE("bad_as_missing: bad cells count as missing; their number and the first one's place and text are kept") {
    std::string text = "id,v\n";
    for (int i = 0; i < 4000; ++i)
        text += std::to_string(i) + "," + (i % 997 == 5 ? (i == 5 ? "\"n/a\"" : "oops") : std::to_string(i) + ".5") + "\n";
    csv_table first;
    for (unsigned threads = 1; threads <= 4; ++threads) {
        INFO("threads " << threads);
        const csv_table t = parse_k(text, {req("v", cell_kind::number, false, true), req("id")}, threads);
        REQUIRE(t.rows == 4000);
        const driftgate::cli::column_info& info = t.info[0];
        CHECK(info.bad_cells == 5);  // rows 5, 1002, 1999, 2996, 3993
        CHECK(info.first_bad == "k.csv:7:2");
        CHECK(info.first_bad_text == "\"n/a\"");
        CHECK(std::isnan(t.columns[0][5]));
        CHECK(std::isnan(t.columns[0][3993]));
        CHECK(t.columns[0][6] == 6.5);
        CHECK(t.info[1].bad_cells == 0);
        CHECK(t.info[1].first_bad.empty());
        if (threads == 1) first = t;
        require_same_tables(first, t);
    }
    // Without it, the first bad cell is an error.
    CHECK(std::string(thrown([&] { (void)parse_k(text, {req("v")}, 2); }).what()) ==
          "k.csv:7:2: column \"v\": cannot parse \"n/a\" as a number");
}

TEST_CASE("text columns: trimmed, unquoted categories in order of first appearance, counts, codes, missing tokens") {
    struct text_case {
        const char* label;
        std::string text;  // column "t" of a file "t,n"
        std::vector<std::string> categories;
        std::vector<std::size_t> counts;
        std::size_t missing;
        std::vector<std::uint32_t> codes;
        csv_options options = {};
    };
    csv_options keep_empty;
    keep_empty.missing_tokens = {"NA"};
    const std::vector<text_case> cases = {
        {"plain", "t,n\nb,1\na,2\nb,3\nc,4\n", {"b", "a", "c"}, {2, 1, 1}, 0, {0, 1, 0, 2}},
        {"empty cells are missing by default", "t,n\n,1\nx,2\n\"\",3\n  ,4\n", {"x"}, {1}, 3, {miss, 0, miss, miss}},
        {"empty cells as a category", "t,n\n,1\nx,2\n\"\",3\nNA,4\n", {"", "x"}, {2, 1}, 1, {0, 1, 0, miss}, keep_empty},
        {"missing tokens in any case", "t,n\nna,1\nNULL,2\nNaN,3\nnull value,4\n", {"null value"}, {1}, 3, {miss, miss, miss, 0}},
        {"quoted with delimiters, line feeds, doubled quotes", "t,n\n\"a,b\",1\n\"line\nbreak\",2\n\"say \"\"hi\"\"\",3\na,4\n\"a,b\",5\n",
         {"a,b", "line\nbreak", "say \"hi\"", "a"}, {2, 1, 1, 1}, 0, {0, 1, 2, 3, 0}},
        {"spaces and tabs trimmed, inside kept, case kept", "t,n\n  x y \t,1\nx y,2\nX y,3\n\" x y\",4\n", {"x y", "X y"},
         {3, 1}, 0, {0, 0, 1, 0}},
        {"numbers and booleans are categories too", "t,n\n1,1\n1.0,2\nTrue,3\n1,4\n", {"1", "1.0", "True"}, {2, 1, 1}, 0, {0, 1, 2, 0}},
        {"CRLF", "t,n\r\nq,1\r\n\"q\",2\r\nr,3\r\n", {"q", "r"}, {2, 1}, 0, {0, 0, 1}},
        {"last column, CRLF after quotes", "n,t\r\n1,\"p\"\r\n2,p \r\n3,\"\"\r\n", {"p"}, {2}, 1, {0, 0, miss}},
        {"bytes kept as they are", std::string("t,n\n\xC3\xA9,1\n\xFF,2\nx\0y,3\n", 19),
         {"\xC3\xA9", "\xFF", std::string("x\0y", 3)}, {1, 1, 1}, 0, {0, 1, 2}},
    };
    for (const auto& c : cases) {
        INFO(c.label);
        for (unsigned threads = 1; threads <= 4; ++threads) {
            INFO("threads " << threads);
            const csv_table t = parse_k(c.text, {req("t", cell_kind::text), req("n")}, threads, c.options);
            REQUIRE(t.text[0]);
            const text_column& x = *t.text[0];
            CHECK(x.categories == c.categories);
            CHECK(x.counts == c.counts);
            CHECK(x.missing == c.missing);
            CHECK(x.codes == c.codes);
            CHECK(t.columns[0].empty());
            CHECK(t.info[0].kind == cell_kind::text);
            CHECK(!t.info[0].boolean);
            CHECK(t.text_of("t") == &x);
            CHECK(t.text_of("n") == nullptr);
            CHECK(thrown([&] { (void)t.column("t"); }).code() == exit_code::usage);
            // Unordered: the same categories and counts, no codes.
            const csv_table u = parse_k(c.text, {req("t", cell_kind::text, true)}, threads, c.options);
            CHECK(u.text[0]->categories == c.categories);
            CHECK(u.text[0]->counts == c.counts);
            CHECK(u.text[0]->missing == c.missing);
            CHECK(u.text[0]->codes.empty());
        }
    }
    // Structure errors are reported in text columns as in number columns.
    CHECK(std::string(thrown([&] { (void)parse_k("t,n\na,1\n\"b,2\n", {req("t", cell_kind::text)}); }).what()) ==
          "k.csv:3:1: column \"t\": unterminated quote (the quote opened here is never closed)");
}

TEST_CASE("many distinct categories: linear, and the same order and codes for every thread count") {
    // 300,000 records, 200,000 distinct texts (a quadratic merge would take minutes), some quoted.
    std::string text = "id,name,v\n";
    std::vector<std::string> expected_names;
    for (int i = 0; i < 300000; ++i) {
        const int k = i < 200000 ? (i * 7919) % 200000 : i % 1000;
        const std::string name = "cat" + std::to_string(k);
        text += std::to_string(i) + "," + (i % 10 == 0 ? "\"" + name + "\"" : name) + "," + std::to_string(i % 3) + "\n";
        if (i < 200000) expected_names.push_back(name);
    }
    csv_table first;
    for (unsigned threads = 1; threads <= 4; ++threads) {
        INFO("threads " << threads);
        const csv_table t = parse_k(text, {req("name", cell_kind::text), req("v", cell_kind::automatic)}, threads);
        REQUIRE(t.text[0]);
        CHECK(t.text[0]->categories == expected_names);
        REQUIRE(t.text[0]->codes.size() == 300000);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < 300000; ++i)
            wrong += t.text[0]->categories[t.text[0]->codes[i]] != "cat" + std::to_string(i < 200000 ? (i * 7919) % 200000 : i % 1000);
        CHECK(wrong == 0);
        CHECK(t.info[1].kind == cell_kind::number);
        if (threads == 1) first = t;
        require_same_tables(first, t);
    }
}

TEST_CASE("automatic columns: numbers, booleans, or text read again as text") {
    std::string text = "num,flag,word,late,codes\n";
    for (int i = 0; i < 2000; ++i) {
        text += std::to_string(i * 0.5) + "," + (i % 3 == 0 ? "NA" : i % 2 ? "True" : "False") + "," +
                (i % 4 == 0 ? "alpha" : "beta") + "," + (i == 1999 ? "x" : std::to_string(i)) + "," + std::to_string(i % 5) + "\n";
    }
    csv_table first;
    for (unsigned threads = 1; threads <= 4; ++threads) {
        INFO("threads " << threads);
        const csv_table t = parse_k(text,
                                    {req("num", cell_kind::automatic), req("flag", cell_kind::automatic),
                                     req("word", cell_kind::automatic), req("late", cell_kind::automatic),
                                     req("codes", cell_kind::automatic, true)},
                                    threads);
        REQUIRE(t.names == cols({"num", "flag", "word", "late", "codes"}));
        CHECK(t.info[0].kind == cell_kind::number);
        CHECK(t.columns[0][3] == 1.5);
        CHECK(t.info[1].kind == cell_kind::number);
        CHECK(t.info[1].boolean);
        CHECK(same_bits({t.columns[1][0], t.columns[1][1], t.columns[1][2]}, {std::nan(""), 1, 0}));
        CHECK(t.info[2].kind == cell_kind::text);
        REQUIRE(t.text[2]);
        CHECK(t.text[2]->categories == cols({"alpha", "beta"}));
        CHECK(t.text[2]->counts == std::vector<std::size_t>{500, 1500});
        // A column of numbers but its last cell: text, every cell a category.
        CHECK(t.info[3].kind == cell_kind::text);
        REQUIRE(t.text[3]);
        CHECK(t.text[3]->categories.size() == 2000);
        CHECK(t.text[3]->categories[1999] == "x");
        CHECK(t.text[3]->codes[1234] == 1234);
        // Unordered codes: counted.
        REQUIRE(t.counted[4]);
        CHECK(t.counted[4]->counts == std::vector<std::size_t>{400, 400, 400, 400, 400});
        if (threads == 1) first = t;
        require_same_tables(first, t);
    }
    // An automatic column of text requested unordered: categories and counts, no codes.
    const csv_table u = parse_k(text, {req("word", cell_kind::automatic, true)}, 2);
    CHECK(u.text[0]->codes.empty());
    CHECK(u.text[0]->counts == std::vector<std::size_t>{500, 1500});
}

TEST_CASE("column requests: twice with the same kind loads once; different kinds or options are a usage error") {
    const std::string text = "a,b\n1,x\n2,y\n";
    const csv_table t = parse_k(text, {req("b", cell_kind::text, true), req("a"), req("b", cell_kind::text, false)});
    REQUIRE(t.names == cols({"b", "a"}));
    CHECK(t.text[0]->codes == std::vector<std::uint32_t>{0, 1});  // ordered: not every request is unordered
    CHECK(thrown([&] { (void)parse_k(text, {req("a"), req("a", cell_kind::automatic)}); }).code() == exit_code::usage);
    CHECK(thrown([&] { (void)parse_k(text, {req("a"), req("a", cell_kind::number, false, true)}); }).code() == exit_code::usage);
    CHECK(std::string(thrown([&] { (void)parse_k(text, {req("c", cell_kind::text)}); }).what()) ==
          "k.csv: no column \"c\"; the columns are: \"a\", \"b\"");
}

TEST_CASE("the first interface: skip_non_numeric drops a column mixing numbers and booleans, with the error") {
    const std::string text = "a,b,c\n1,True,x\n2,3,y\n";
    const csv_table t = parse(text, cols({"a", "b", "c"}), {}, column_policy::skip_non_numeric);
    CHECK(t.names == cols({"a"}));
    REQUIRE(t.dropped.size() == 2);
    CHECK(t.dropped[0].reason ==
          "mem.csv:3:2: column \"b\": \"3\" is a number in a column of boolean values (first boolean value at line 2)");
    CHECK(t.dropped[1].reason == "mem.csv:2:3: column \"c\": cannot parse \"x\" as a number");
    // Boolean columns load as numbers through it too.
    const csv_table b = parse("f\nyes\nno\n", cols({"f"}));
    CHECK(b.columns[0] == std::vector<double>{1, 0});
    CHECK(b.info[0].boolean);
}

// ---- places: the line of a record ------------------------------------------------------------

TEST_CASE("line_of_record: the physical line of each record, with quoted line feeds, any thread count") {
    // Records with line feeds in quoted fields (in requested and skipped columns), CRLF, a header
    // spanning two lines; the expected line of each record is counted from the text.
    std::mt19937_64 rng(3);
    std::string text = "\"i\nd\",note,v\r\n";
    std::vector<std::size_t> starts;
    for (int i = 0; i < 20000; ++i) {
        starts.push_back(text.size());
        text += std::to_string(i) + ",";
        switch (rng() % 6) {
        case 0: text += "\"a\nb\""; break;
        case 1: text += "\"x\r\n\ny\""; break;
        default: text += "n"; break;
        }
        text += ',';
        text += rng() % 9 == 0 ? std::string("\"5\n\"") : std::to_string(i % 7);
        text += i % 2 ? "\r\n" : "\n";
    }
    std::vector<std::size_t> lines;  // the line of each record's start, counted from the text
    for (std::size_t i = 0, at = 0, line = 1; i < starts.size(); ++i) {
        for (; at < starts[i]; ++at) line += text[at] == '\n' ? 1 : 0;
        lines.push_back(line);
    }
    for (const unsigned threads : {1u, 2u, 3u, 5u}) {
        INFO("threads " << threads);
        csv_options o;
        o.threads = threads;
        o.missing_tokens = {"", "5\n"};
        for (const auto& columns : {std::vector<column_request>{}, std::vector<column_request>{req("v"), req("note", cell_kind::text)}}) {
            const csv_table t = parse_csv(text, "l.csv", columns, o);
            REQUIRE(t.rows == starts.size());
            std::size_t wrong = 0;
            for (std::size_t i = 0; i < starts.size(); ++i) wrong += t.line_of_record(i) != lines[i];
            CHECK(wrong == 0);
        }
    }
    // Without quoted line feeds: header line + 1 + i.
    const csv_table plain = parse_csv("a,b\n1,2\n3,4\n5,6\n", "p.csv", cols({"a"}));
    CHECK(plain.line_of_record(0) == 2);
    CHECK(plain.line_of_record(2) == 4);
    // A table not made by the reader: a one-line header.
    CHECK(csv_table{}.line_of_record(5) == 7);
}

// ---- the --columns list ------------------------------------------------------------------------

TEST_CASE("parse_column_list: CSV quoting, and plain errors for empty names, open quotes, repeats") {
    using driftgate::cli::parse_column_list;
    CHECK(parse_column_list("score") == cols({"score"}));
    CHECK(parse_column_list("\"a,b\",score") == cols({"a,b", "score"}));
    CHECK(parse_column_list("x,\"say \"\"hi\"\"\",y") == cols({"x", "say \"hi\"", "y"}));
    CHECK(parse_column_list(" a ,b") == cols({" a ", "b"}));  // names are taken verbatim
    CHECK(parse_column_list("\"\xC3\xA9t\xC3\xA9\",\"\n\"") == cols({"\xC3\xA9t\xC3\xA9", "\n"}));
    const std::pair<const char*, const char*> bad[] = {
        {"", "column list \"\": no column named"},
        {"a,,b", "column list \"a,,b\": name 2 is empty"},
        {",a", "column list \",a\": name 1 is empty"},
        {"a,", "column list \"a,\": name 2 is empty"},
        {"a,\"\"", "column list \"a,\\\"\\\"\": name 2 is empty"},
        {"\"a,b", "column list \"\\\"a,b\": the quote opened before name 1 is never closed"},
        {"a,\"b\"c", "column list \"a,\\\"b\\\"c\": unexpected \"c\" after the closing quote of name 2 (expected a comma)"},
        {"a,b\"c", "column list \"a,b\\\"c\": a quote inside name 2 (quote the whole name and double the quote)"},
        {"a,b,a", "column list \"a,b,a\": \"a\" is named twice (names 1 and 3)"},
        {"\"a\",a", "column list \"\\\"a\\\",a\": \"a\" is named twice (names 1 and 2)"},
    };
    for (const auto& [list, message] : bad) {
        INFO(list);
        const auto e = thrown([&] { (void)parse_column_list(list); });
        CHECK(e.code() == exit_code::usage);
        CHECK(std::string(e.what()) == message);
    }
}

// ---- inputs that are not plain files -----------------------------------------------------------

TEST_CASE("directories, symlink loops and devices: exit 66 with a clear message, nothing read") {
    temp_dir dir;
    const std::string loop = (dir.path / "loop.csv").string();
    REQUIRE(::symlink(loop.c_str(), loop.c_str()) == 0);
    const std::pair<std::string, std::string> cases[] = {
        {dir.path.string(), dir.path.string() + ": is a directory, not a regular file"},
        {loop, loop + ": cannot open: Too many levels of symbolic links"},
        {"/dev/zero", "/dev/zero: is a character device, not a regular file (an endless or interactive input)"},
        {"/dev/null", "/dev/null: is a character device, not a regular file (an endless or interactive input)"},
    };
    for (const auto& [path, message] : cases) {
        INFO(path);
        const auto e = thrown([&] { (void)read_csv(path, cols({})); });
        CHECK(e.code() == exit_code::no_input);
        CHECK(std::string(e.what()) == message);
        const auto h = thrown([&] { (void)read_csv_header(path); });
        CHECK(h.code() == exit_code::no_input);
        CHECK(std::string(h.what()) == message);
    }
}

TEST_CASE("a file whose size the kernel reports as 0 is read, not called empty") {
    // /proc/self/cgroup: "hierarchy:controllers:path" lines, st_size 0.
    struct stat st {};
    REQUIRE(::stat("/proc/self/cgroup", &st) == 0);
    REQUIRE(st.st_size == 0);
    csv_options colon;
    colon.delimiter = ':';
    const auto header = read_csv_header("/proc/self/cgroup", colon);
    CHECK(header.size() == 3);
    try {
        const csv_table t = read_csv("/proc/self/cgroup", cols({}), colon);
        CHECK(t.header == header);
    } catch (const cli_error& e) {  // cgroup v2: one line, a header without rows
        CHECK(std::string(e.what()) == "/proc/self/cgroup: the file has a header but no data rows");
    }
}

TEST_CASE("a FIFO: read once a writer comes; without a writer, exit 66 after a wait instead of a hang") {
    temp_dir dir;
    const std::string fifo = (dir.path / "late.csv").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // after the reader has opened it
        std::ofstream out(fifo, std::ios::binary);
        out << "a,b\n1,2\n3,4\n";
    });
    const csv_table t = read_csv(fifo, cols({"b"}));
    writer.join();
    CHECK(t.columns[0] == std::vector<double>{2, 4});

    const std::string lonely = (dir.path / "lonely.csv").string();
    REQUIRE(::mkfifo(lonely.c_str(), 0600) == 0);
    const auto start = std::chrono::steady_clock::now();
    const auto e = thrown([&] { (void)read_csv(lonely, cols({})); });
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(e.code() == exit_code::no_input);
    CHECK(std::string(e.what()) == lonely + ": no process opened the FIFO for writing within 10 seconds");
    CHECK(waited >= std::chrono::seconds(10));
    CHECK(waited < std::chrono::seconds(20));
}

TEST_CASE("a header record longer than 256 MiB: exit 65, from a file and from an endless stream") {
    ::signal(SIGPIPE, SIG_IGN);  // the writer below outlives the reader
    temp_dir dir;
    const std::string message_end = ":1:1: header line longer than 256 MiB (no line feed ends the first record in its "
                                    "first 256 MiB: not a CSV file, or an endless input)";
    {
        const std::string path = (dir.path / "wide.csv").string();
        std::ofstream out(path, std::ios::binary);
        const std::string block(1 << 20, 'a');
        for (int i = 0; i < 257; ++i) out << block;
        out << "\n1\n";
        out.close();
        const auto e = thrown([&] { (void)read_csv(path, cols({})); });
        CHECK(e.code() == exit_code::data);
        CHECK(std::string(e.what()) == path + message_end);
        CHECK(std::string(thrown([&] { (void)read_csv_header(path); }).what()) == path + message_end);
    }
    // Zeros without end through a FIFO, as `cat /dev/zero |` gives.
    const std::string fifo = (dir.path / "zeros.csv").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        const std::string zeros(1 << 16, '\0');
        while (fd >= 0 && !stop && ::write(fd, zeros.data(), zeros.size()) > 0) {
        }
        if (fd >= 0) ::close(fd);
    });
    const auto e = thrown([&] { (void)read_csv(fifo, cols({})); });
    stop = true;
    writer.join();
    CHECK(e.code() == exit_code::data);
    CHECK(std::string(e.what()) == fifo + message_end);
}

TEST_CASE("streams are held up to half the physical memory (at least 1 GiB)") {
    const auto pages = static_cast<std::size_t>(::sysconf(_SC_PHYS_PAGES));
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    CHECK(driftgate::cli::csv_impl::max_stream_bytes() == std::max(pages * page / 2, std::size_t{1} << 30));
}

namespace {

/// True when /proc/self/maps lists a mapping of `path`.
bool mapped_now(const std::string& path) {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line))
        if (line.size() >= path.size() && line.compare(line.size() - path.size(), path.size(), path) == 0) return true;
    return false;
}

} // namespace

TEST_CASE("a mapped file cut short or rewritten while it is read: exit 74 or a correct table, never SIGBUS") {
    // A 150 MB file: the parse takes a good part of a second on one thread; another thread
    // watches /proc/self/maps and changes the file as soon as it is mapped. The outcome is exit
    // 74, or (had the parse been done first) the correct table; a SIGBUS would end the test run.
    temp_dir dir;
    const std::string path = (dir.path / "cut.csv").string();
    const std::size_t rows = 5'000'000;
    std::string text = "id,v,w\n";
    text.reserve(rows * 30);
    for (std::size_t i = 0; i < rows; ++i) text += std::to_string(i) + "," + std::to_string(i % 1000) + ".125,xyzxyzxyz\n";
    for (const bool truncate : {true, false}) {
        std::size_t changed = 0;
        for (int attempt = 0; attempt < 3; ++attempt) {
            INFO((truncate ? "truncated" : "rewritten") << ", attempt " << attempt);
            {
                std::ofstream out(path, std::ios::binary | std::ios::trunc);
                out << text;
            }
            std::atomic<bool> done{false}, cut_failed{false};
            std::thread cutter([&] {  // no Catch assertion in this thread: it reports through cut_failed
                for (int i = 0; i < 200000 && !done && !mapped_now(path); ++i)
                    std::this_thread::sleep_for(std::chrono::microseconds(50));
                if (done) return;
                if (truncate) {
                    cut_failed = ::truncate(path.c_str(), static_cast<off_t>(text.size() / 3)) != 0;
                } else {  // one byte rewritten in place, far from the start
                    const int fd = ::open(path.c_str(), O_WRONLY);
                    cut_failed = fd < 0 || ::pwrite(fd, "9", 1, static_cast<off_t>(text.size() - 100)) != 1;
                    if (fd >= 0) ::close(fd);
                }
            });
            csv_options o;
            o.threads = attempt == 0 ? 1 : 2;
            try {
                const csv_table t = read_csv(path, cols({"v", "id"}), o);
                REQUIRE(t.rows == rows);
                CHECK(t.columns[1][rows - 1] == static_cast<double>(rows - 1));
                CHECK(t.columns[0][rows - 1] == static_cast<double>((rows - 1) % 1000) + 0.125);
            } catch (const cli_error& e) {
                CHECK(e.code() == exit_code::io);
                CHECK(std::string(e.what()) == path + " changed while it was read");
                ++changed;
            }
            done = true;
            cutter.join();
            CHECK(!cut_failed);
        }
        CHECK(changed >= 1);  // the change was seen at least once
    }
}

TEST_CASE("100000 columns: the header, the requests and the table are linear in the columns") {
    // 100,000 columns x 50 rows, every column requested (automatic: numbers), one named twice.
    const std::size_t ncols = 100'000, nrows = 50;
    std::string text;
    for (std::size_t j = 0; j < ncols; ++j) text += (j ? ",c" : "c") + std::to_string(j);
    text += '\n';
    for (std::size_t r = 0; r < nrows; ++r) {
        for (std::size_t j = 0; j < ncols; ++j) {
            if (j) text += ',';
            text += std::to_string((r * 31 + j) % 97);
        }
        text += '\n';
    }
    std::vector<column_request> requests;
    auto name = [](std::size_t j) { return std::string(1, 'c').append(std::to_string(j)); };
    for (std::size_t j = 0; j < ncols; ++j) requests.push_back(req(name(j), cell_kind::automatic));
    requests.push_back(req("c5", cell_kind::automatic));
    csv_options o;
    o.threads = 2;
    const auto start = std::chrono::steady_clock::now();
    const csv_table t = parse_csv(text, "wide.csv", requests, o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(t.names.size() == ncols);
    REQUIRE(t.rows == nrows);
    std::size_t wrong = 0;
    for (std::size_t j = 0; j < ncols; j += 7)
        for (std::size_t r = 0; r < nrows; ++r) wrong += t.column(name(j))[r] != static_cast<double>((r * 31 + j) % 97);
    CHECK(wrong == 0);
    CHECK(t.info_of("c99999").index == ncols);
    // Quadratic work in the columns (1e10 steps) would take minutes.
    CHECK(seconds < 30);
    // A missing column among many: found by hash, the message lists 50 names.
    const auto e = thrown([&] { (void)parse_csv(text, "wide.csv", std::vector<column_request>{req("nope")}, o); });
    CHECK_THAT(e.what(), Catch::Contains("no column \"nope\"") && Catch::Contains("... (100000 columns)"));
}

TEST_CASE("quoted numbers: the fast path reads what the slow path reads, and hands it every other case") {
    // Each quoted cell next to its unquoted twin: the columns must be equal bit for bit (missing
    // values as NaN both), whatever the spelling around the quotes.
    const std::vector<std::pair<std::string, std::string>> cells = {
        {"\"1.5\"", "1.5"},          {"\"-0.0\"", "-0.0"},         {"\"\"", ""},
        {"\"NA\"", "NA"},            {"\" 2 \"", "2"},             {"\"1e5\"", "1e5"},
        {"\"12345678901234567\"", "12345678901234567"},            {"\"0.1000000000000000055511151231257827\"", "0.1"},
        {"\"-7\"", "-7"},            {"\"+3.25\"", "3.25"},        {"\"inf\"", "inf"},
        {"\"3\"", "3"},              {"\"nan\"", ""},              {"\"\t4\t\"", "4"},
    };
    for (const char* eol : {"\n", "\r\n"})
        for (const bool last_without_eol : {false, true}) {
            std::string quoted = "a,b\n", plain = "a,b\n";
            for (std::size_t i = 0; i < cells.size(); ++i) {
                quoted += cells[i].first + "," + cells[i].first;
                plain += cells[i].second + "," + cells[i].second;
                if (i + 1 < cells.size() || !last_without_eol) {
                    quoted += eol;
                    plain += eol;
                }
            }
            INFO("line end " << (eol[0] == '\r' ? "CRLF" : "LF") << (last_without_eol ? ", none after the last" : ""));
            const auto q = parse_csv(quoted, "q.csv", cols({"a", "b"}));
            const auto u = parse_csv(plain, "u.csv", cols({"a", "b"}));
            REQUIRE(q.rows == cells.size());
            for (std::size_t c = 0; c < 2; ++c)
                for (std::size_t i = 0; i < cells.size(); ++i) {
                    INFO(cells[i].first);
                    const double x = q.columns[c][i], y = u.columns[c][i];
                    CHECK((std::isnan(x) ? std::isnan(y) : std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y)));
                }
        }
    // A quoted field holding a delimiter or a line feed, or one the closing quote does not end,
    // is the slow path's: read, or refused with its place, as before.
    CHECK(thrown([] { (void)parse_csv("a\n\"1,5\"\n", "d.csv", cols({"a"})); }).code() == exit_code::data);
    CHECK(std::string(thrown([] { (void)parse_csv("a,b\n\"1\"x,2\n", "x.csv", cols({"a"})); }).what()).find("x.csv:2:") != std::string::npos);
    const auto lf = parse_csv("a,b\n\"1\n\",2\n3,4\n", "n.csv", cols({"b"}), {});
    CHECK(lf.rows == 2);
    CHECK(lf.line_of_record(1) == 4);  // the line feed inside the quotes counts
    CHECK(std::string(thrown([] { (void)parse_csv("a\n\"abc\"\n", "t.csv", cols({"a"})); }).what()).find("t.csv:2:1") != std::string::npos);
}
