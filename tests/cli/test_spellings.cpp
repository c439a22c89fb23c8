// The CSV reader is blind to how a value is spelled: the same values written as integers, as
// pandas writes float64 columns (`2.0`, `-0.0`, `150000.0`), with trailing zeros, in scientific
// notation, quoted, or with CRLF line ends give bit-identical columns and identical counted
// tables, whatever the thread count. Expected values: glibc's strtod of the first spelling of
// each value (correctly rounded), not the reader.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "csv.hpp"

using driftgate::cli::column_policy;
using driftgate::cli::csv_options;
using driftgate::cli::csv_table;
using driftgate::cli::parse_csv;

namespace {

/// Spellings of one value; the first is the canonical one strtod reads for the expected value.
using spellings = std::vector<std::string>;

const std::vector<spellings> codes = {
    {"2", "2.0", "2.000", "2e0", "2.0E+00", "20e-1", "0.2e1", "\"2\"", "\"2.0\""},
    {"-1", "-1.0", "-1.00", "-1e0", "-1.0E0", "\"-1.0\""},
    {"-2", "-2.0", "-2.0000", "-20e-1"},
    {"0", "0.0", "0.00", "0e0", "0.0e-5", "\"0.0\""},
    {"-0", "-0.0", "-0.000", "-0e0", "-0.0E+00", "\"-0.0\""},  // -0.0: a value of its own
    {"8", "8.0", "8.00", "8E0"},
    {"1", "1.0", "1.0000000000", "1e+00"},
    {"", "\"\"", "NA", "nan"},  // missing
};

const std::vector<spellings> reals = {
    {"150000", "150000.0", "1.5e5", "1.5E+05", "\"150000.0\""},
    {"1e-05", "0.00001", "1E-5", "1.0e-5", "0.000010"},
    {"2500", "2.5E+3", "2500.0", "2.5e3", "25e2"},
    {"0.12345678901234567", "1.2345678901234567e-1", "12345678901234567e-17", "0.123456789012345670"},
    {"0.9999999999999999", "9.999999999999999e-1", "\"0.9999999999999999\""},
    {"1234.5", "1234.50", "1.2345e3", "\"1234.5\""},
    {"-7", "-7.0", "-7.00", "-0.7e1"},
    {"3.0000000000000004", "3.0000000000000004e0", "30000000000000004e-16"},
    {"1.7976931348623157e308", "17976931348623157e292"},
    {"4.9406564584124654e-324", "5e-324"},  // the smallest subnormal
};

double expected(const std::string& canonical) {
    if (canonical.empty() || canonical == "NA") return std::numeric_limits<double>::quiet_NaN();
    return std::strtod(canonical.c_str(), nullptr);
}

bool same_bits(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

} // namespace

TEST_CASE("the same values in every spelling: bit-identical columns and counts, any thread count") {
    std::mt19937_64 rng(21);
    const std::size_t rows = 6000;
    std::vector<std::size_t> code_of(rows), real_of(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        code_of[i] = rng() % codes.size();
        real_of[i] = rng() % reals.size();
    }
    // Canonical text, then texts whose every cell is a spelling drawn at random, with LF and with
    // CRLF line ends. Column c2 repeats the codes as the last field of a record.
    const auto text = [&](bool random, const std::string& eol) {
        std::string t = "c1,r,c2" + eol;
        for (std::size_t i = 0; i < rows; ++i) {
            const spellings& c = codes[code_of[i]];
            const spellings& r = reals[real_of[i]];
            const auto pick = [&](const spellings& s) -> const std::string& { return random ? s[rng() % s.size()] : s[0]; };
            t += pick(c) + "," + pick(r) + "," + pick(c) + eol;
        }
        return t;
    };
    const std::vector<std::string> texts = {text(false, "\n"), text(true, "\n"), text(true, "\r\n"), text(true, "\n")};
    const std::vector<std::string> names = {"c1", "r", "c2"};
    for (std::size_t k = 0; k < texts.size(); ++k)
        for (unsigned threads : {1u, 2u, 3u, 7u}) {
            INFO("text " << k << ", threads " << threads);
            csv_options o;
            o.threads = threads;
            const csv_table t = parse_csv(texts[k], "s.csv", names, o);
            REQUIRE(t.rows == rows);
            for (std::size_t i = 0; i < rows; ++i) {
                INFO("row " << i);
                REQUIRE(same_bits(t.columns[0][i], expected(codes[code_of[i]][0])));
                REQUIRE(same_bits(t.columns[1][i], expected(reals[real_of[i]][0])));
                REQUIRE(same_bits(t.columns[2][i], expected(codes[code_of[i]][0])));
            }
            // Counted as they are read (unordered codes): the same table as counting by hand.
            const csv_table u = parse_csv(texts[k], "s.csv", names, o, column_policy::require_numeric, names);
            for (std::size_t c : {std::size_t{0}, std::size_t{2}}) {
                REQUIRE(u.counted[c]);
                std::map<std::uint64_t, std::size_t> by_hand;
                std::size_t missing = 0;
                for (std::size_t i = 0; i < rows; ++i) {
                    const double v = expected(codes[code_of[i]][0]);
                    if (std::isnan(v)) ++missing;
                    else ++by_hand[std::bit_cast<std::uint64_t>(v)];
                }
                CHECK(u.counted[c]->missing == missing);
                REQUIRE(u.counted[c]->values.size() == by_hand.size());
                for (std::size_t v = 0; v < u.counted[c]->values.size(); ++v)
                    CHECK(by_hand.at(std::bit_cast<std::uint64_t>(u.counted[c]->values[v])) == u.counted[c]->counts[v]);
            }
        }
}
