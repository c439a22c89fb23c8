// Comparing two csv_tables in every part, for the reader's tests (test_csv.cpp, test_pieces.cpp):
// the same file read with other thread counts, in pieces, or from a compressed copy must give
// the same table, value for value.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "csv.hpp"

namespace cli_tests {

/// The same values, bit for bit, NaN equal to NaN whatever its payload.
inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::isnan(a[i]) != std::isnan(b[i])) return false;
        if (!std::isnan(a[i]) && std::memcmp(&a[i], &b[i], sizeof(double)) != 0) return false;
    }
    return true;
}

/// Every part of two tables the same: names, header, what each column turned out to be (with
/// the first bad cell), values, counts, text columns and the line of every record.
inline void require_same_tables(const driftgate::cli::csv_table& a, const driftgate::cli::csv_table& b) {
    REQUIRE(a.rows == b.rows);
    REQUIRE(a.names == b.names);
    CHECK(a.header == b.header);
    REQUIRE(a.info.size() == b.info.size());
    for (std::size_t i = 0; i < a.names.size(); ++i) {
        INFO("column " << a.names[i]);
        CHECK(a.info[i].kind == b.info[i].kind);
        CHECK(a.info[i].boolean == b.info[i].boolean);
        CHECK(a.info[i].bad_cells == b.info[i].bad_cells);
        CHECK(a.info[i].first_bad == b.info[i].first_bad);
        CHECK(a.info[i].first_bad_text == b.info[i].first_bad_text);
        CHECK(same_bits(a.columns[i], b.columns[i]));
        REQUIRE(a.counted[i].has_value() == b.counted[i].has_value());
        if (a.counted[i]) {
            CHECK(same_bits(a.counted[i]->values, b.counted[i]->values));
            CHECK(a.counted[i]->counts == b.counted[i]->counts);
            CHECK(a.counted[i]->missing == b.counted[i]->missing);
        }
        REQUIRE(a.text[i].has_value() == b.text[i].has_value());
        if (a.text[i]) {
            CHECK(a.text[i]->categories == b.text[i]->categories);
            CHECK(a.text[i]->counts == b.text[i]->counts);
            CHECK(a.text[i]->missing == b.text[i]->missing);
            CHECK(a.text[i]->codes == b.text[i]->codes);
        }
    }
    for (std::size_t r = 0; r < a.rows; ++r) CHECK(a.line_of_record(r) == b.line_of_record(r));
}

} // namespace cli_tests
