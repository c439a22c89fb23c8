// Fuzz target: the CLI's CSV reader (cli/csv.cpp, parse_csv on in-memory text).
//
// The first input byte chooses how the rest is read:
//   bits 0-1  delimiter: ',' ';' '\t' (3 also ',')
//   bits 2-3  column request: none (structure check and row count), the first header column,
//             every header column, or a column that does not exist
//   bit  4    policy: require_numeric / skip_non_numeric
//   bit  5    case-sensitive missing tokens
//   bits 6-7  differential check: parse again with 2, 3 or 4 threads and require the same outcome
//             (the same table, NaN-aware, or the same error message and exit code); and once more
//             with every requested column unordered, requiring the same error, or each column
//             counted as count_sample counts it or holding the same values in some order
// cli_error is the documented outcome for bad input; any other exception, a crash, a sanitizer
// report or a broken invariant (abort) is a finding.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "csv.hpp"

using driftgate::cli::cli_error;
using driftgate::cli::column_policy;
using driftgate::cli::csv_options;
using driftgate::cli::csv_table;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_csv: invariant violated: %s\n", what);
    std::abort();
}

struct outcome {
    std::optional<csv_table> table;
    std::string error;
    int code = 0;
};

outcome run(std::string_view text, const std::vector<std::string>& cols, const csv_options& opt, column_policy pol,
            const std::vector<std::string>& unordered = {}) {
    outcome o;
    try {
        o.table = driftgate::cli::parse_csv(text, "fuzz.csv", cols, opt, pol, unordered);
    } catch (const cli_error& e) {
        o.error = e.what();
        o.code = static_cast<int>(e.code());
        if (o.error.empty()) fail("cli_error without a message");
    }
    return o;
}

bool same_bits(double a, double b) { return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0; }

void check_table(const csv_table& t, const std::vector<std::string>& cols, column_policy pol) {
    if (t.header.empty()) fail("a table without a header");
    if (t.names.size() != t.columns.size() || t.names.size() != t.counted.size()) fail("names and columns differ in number");
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (t.counted[i] ? t.counted[i]->total() != t.rows || !t.columns[i].empty() : t.columns[i].size() != t.rows)
            fail("a column whose length is not the row count");
    }
    if (pol == column_policy::require_numeric && t.names.size() != cols.size()) fail("a requested column is missing");
    if (t.names.size() + t.dropped.size() != cols.size()) fail("loaded + dropped != requested");
    for (std::size_t i = 0; i < t.names.size(); ++i) {
        bool found = false;
        for (const auto& h : t.header) found = found || h == t.names[i];
        if (!found) fail("a loaded column that is not in the header");
    }
}

/// The same error, or tables with the same header, columns, rows and dropped columns (the values
/// are left to the caller).
bool same_frame(const outcome& a, const outcome& b) {
    if (a.table.has_value() != b.table.has_value()) return false;
    if (!a.table) return a.error == b.error && a.code == b.code;
    const csv_table& x = *a.table;
    const csv_table& y = *b.table;
    if (x.header != y.header || x.names != y.names || x.rows != y.rows || x.dropped.size() != y.dropped.size())
        return false;
    for (std::size_t i = 0; i < x.dropped.size(); ++i)
        if (x.dropped[i].name != y.dropped[i].name || x.dropped[i].reason != y.dropped[i].reason) return false;
    return true;
}

bool same(const outcome& a, const outcome& b) {
    if (!same_frame(a, b)) return false;
    if (!a.table) return true;
    const csv_table& x = *a.table;
    const csv_table& y = *b.table;
    for (std::size_t c = 0; c < x.columns.size(); ++c)
        for (std::size_t r = 0; r < x.rows; ++r)
            if (!same_bits(x.columns[c][r], y.columns[c][r])) return false;
    return true;
}

std::vector<std::uint64_t> sorted_bits(const std::vector<double>& v) {
    std::vector<std::uint64_t> out;
    for (const double d : v) out.push_back(std::isnan(d) ? 0x7ff8000000000000ULL : std::bit_cast<std::uint64_t>(d));
    std::sort(out.begin(), out.end());
    return out;
}

/// b read the columns of a unordered: the same outcome, each column counted as count_sample
/// counts a's, or the same values in some order.
bool same_unordered(const outcome& a, const outcome& b) {
    if (!same_frame(a, b)) return false;
    if (!a.table) return true;
    const csv_table& x = *a.table;
    const csv_table& y = *b.table;
    for (std::size_t c = 0; c < x.columns.size(); ++c) {
        if (!y.counted[c]) {
            if (sorted_bits(x.columns[c]) != sorted_bits(y.columns[c])) return false;
            continue;
        }
        const auto want = driftgate::count_sample(x.columns[c]);
        const auto& got = *y.counted[c];
        if (!want || want->values.size() != got.values.size() || want->counts != got.counts || want->n != got.n ||
            want->missing != got.missing)
            return false;
        for (std::size_t i = 0; i < got.values.size(); ++i)
            if (std::bit_cast<std::uint64_t>(want->values[i]) != std::bit_cast<std::uint64_t>(got.values[i])) return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t mode = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    csv_options opt;
    static constexpr char delims[4] = {',', ';', '\t', ','};
    opt.delimiter = delims[mode & 3];
    opt.case_sensitive_missing = (mode >> 5) & 1;
    opt.threads = 1;
    const column_policy pol = (mode >> 4) & 1 ? column_policy::skip_non_numeric : column_policy::require_numeric;

    std::vector<std::string> cols;
    const unsigned request = (mode >> 2) & 3;
    if (request != 0) {
        std::vector<std::string> header;
        try {
            header = driftgate::cli::parse_csv_header(text, "fuzz.csv", opt);
        } catch (const cli_error&) {
        }
        if (request == 1 && !header.empty()) cols.push_back(header.front());
        if (request == 2) cols = header;
        if (request == 3) cols.push_back("\x01no such column");
    }

    const outcome one = run(text, cols, opt, pol);
    if (one.table) check_table(*one.table, cols, pol);
    // The made-up name can be in the header (the dictionary holds it): only a column missing from
    // the header must never load.
    if (request == 3 && one.table &&
        std::find(one.table->header.begin(), one.table->header.end(), cols.front()) == one.table->header.end())
        fail("a column that does not exist was loaded");

    if (const unsigned extra = mode >> 6; extra != 0) {
        opt.threads = extra + 1;
        const outcome many = run(text, cols, opt, pol);
        if (!same(one, many)) fail("the result depends on the thread count");
        const outcome unordered = run(text, cols, opt, pol, cols);
        if (unordered.table) check_table(*unordered.table, cols, pol);
        if (!same_unordered(one, unordered)) fail("unordered columns differ from the columns read in order");
    }
    return 0;
}
