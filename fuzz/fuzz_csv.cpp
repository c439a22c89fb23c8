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
//             counted as count_sample counts it or holding the same values in some order. Then
//             the requested columns are read as text and as automatic (cell_kind) with one thread
//             and with that many: the same outcome (categories, counts, codes, kinds), codes that
//             agree with the counts, unordered text with the categories and counts of ordered
//             text, and automatic columns that are numbers exactly where the columns read as
//             numbers (skip_non_numeric) were kept, with the same values. Every comparison of
//             tables includes the line of each record (csv_table::line_of_record).
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

using driftgate::cli::cell_kind;
using driftgate::cli::cli_error;
using driftgate::cli::column_policy;
using driftgate::cli::column_request;
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
    for (std::size_t r = 0; r < x.rows; ++r) {  // the lines of the records
        if (x.line_of_record(r) != y.line_of_record(r)) return false;
        if (r > 0 && x.line_of_record(r) <= x.line_of_record(r - 1)) fail("records whose lines do not ascend");
    }
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

outcome run_kinds(std::string_view text, const std::vector<std::string>& cols, const csv_options& opt, cell_kind kind,
                  bool unordered) {
    std::vector<column_request> requests;
    for (const std::string& c : cols) {
        column_request r;
        r.name = c;
        r.kind = kind;
        r.unordered = unordered;
        requests.push_back(std::move(r));
    }
    outcome o;
    try {
        o.table = driftgate::cli::parse_csv(text, "fuzz.csv", requests, opt);
    } catch (const cli_error& e) {
        o.error = e.what();
        o.code = static_cast<int>(e.code());
        if (o.error.empty()) fail("cli_error without a message");
    }
    return o;
}

/// The invariants of a table read with column requests: one entry per distinct requested
/// column; text columns whose codes, counts and missing count agree with the rows.
void check_kinds_table(const csv_table& t, bool unordered) {
    const std::size_t n = t.names.size();
    if (t.columns.size() != n || t.counted.size() != n || t.info.size() != n || t.text.size() != n)
        fail("the parallel vectors of a table differ in length");
    for (std::size_t i = 0; i < n; ++i) {
        if (t.info[i].name != t.names[i] || t.info[i].index == 0 || t.info[i].index > t.header.size() ||
            t.header[t.info[i].index - 1] != t.names[i])
            fail("column_info does not name its column");
        if ((t.info[i].kind == cell_kind::text) != t.text[i].has_value()) fail("a text column without categories");
        if (!t.text[i]) {
            if (t.counted[i] ? t.counted[i]->total() != t.rows : t.columns[i].size() != t.rows)
                fail("a number column whose length is not the row count");
            continue;
        }
        const auto& x = *t.text[i];
        if (x.categories.size() != x.counts.size()) fail("categories and counts differ in number");
        std::size_t total = x.missing;
        for (const std::size_t c : x.counts) {
            if (c == 0) fail("a category that never occurs");
            total += c;
        }
        if (total != t.rows) fail("a text column's counts do not add up to the rows");
        if (unordered) {
            if (!x.codes.empty()) fail("codes for an unordered text column");
            continue;
        }
        if (x.codes.size() != t.rows) fail("a text column whose codes are not one per row");
        std::vector<std::size_t> seen(x.categories.size(), 0);
        std::size_t missing = 0;
        for (const std::uint32_t c : x.codes) {
            if (c == driftgate::cli::text_column::missing_code) ++missing;
            else if (c >= x.categories.size()) fail("a code past the categories");
            else if (seen[c]++ == 0 && c > 0 && seen[c - 1] == 0) fail("categories not in order of first appearance");
        }
        if (seen != x.counts || missing != x.missing) fail("codes that disagree with the counts");
    }
}

/// The same outcome for tables read with column requests (values, kinds, categories, codes).
bool same_kinds(const outcome& a, const outcome& b) {
    if (!same_frame(a, b)) return false;
    if (!a.table) return true;
    const csv_table& x = *a.table;
    const csv_table& y = *b.table;
    for (std::size_t c = 0; c < x.names.size(); ++c) {
        if (x.info[c].kind != y.info[c].kind || x.info[c].boolean != y.info[c].boolean) return false;
        if (x.text[c].has_value() != y.text[c].has_value() || x.columns[c].size() != y.columns[c].size()) return false;
        for (std::size_t r = 0; r < x.columns[c].size(); ++r)
            if (!same_bits(x.columns[c][r], y.columns[c][r])) return false;
        if (x.text[c] && (x.text[c]->categories != y.text[c]->categories || x.text[c]->counts != y.text[c]->counts ||
                          x.text[c]->missing != y.text[c]->missing || x.text[c]->codes != y.text[c]->codes))
            return false;
    }
    return true;
}

/// The text and automatic readings of the requested columns: the same for one and `threads`
/// threads, consistent with each other and with `numbers`, the columns read as numbers (with
/// skip_non_numeric, one thread).
void check_kinds(std::string_view text, const std::vector<std::string>& cols, csv_options opt, unsigned threads,
                 const outcome& numbers) {
    for (const cell_kind kind : {cell_kind::text, cell_kind::automatic}) {
        opt.threads = 1;
        const outcome one = run_kinds(text, cols, opt, kind, false);
        if (one.table) check_kinds_table(*one.table, false);
        opt.threads = threads;
        const outcome many = run_kinds(text, cols, opt, kind, false);
        if (!same_kinds(one, many)) fail("text or automatic columns depend on the thread count");
        const outcome unordered = run_kinds(text, cols, opt, kind, true);
        if (unordered.table) check_kinds_table(*unordered.table, true);
        if (one.table.has_value() != unordered.table.has_value() || (!one.table && one.error != unordered.error))
            fail("unordered text or automatic columns give another outcome");
        if (one.table)
            for (std::size_t c = 0; c < one.table->names.size(); ++c)
                if (one.table->text[c] && (one.table->text[c]->categories != unordered.table->text[c]->categories ||
                                           one.table->text[c]->counts != unordered.table->text[c]->counts))
                    fail("unordered text columns have other categories");
        if (kind != cell_kind::automatic) continue;
        if (numbers.table.has_value() != one.table.has_value()) fail("automatic columns fail where numbers do not, or the reverse");
        if (!numbers.table) continue;
        // Automatic: numbers where skip_non_numeric kept the column, text where it dropped it.
        const csv_table& n = *numbers.table;
        const csv_table& a = *one.table;
        if (a.names.size() != n.names.size() + n.dropped.size()) fail("automatic columns and numbers differ in number");
        for (std::size_t c = 0, k = 0; c < a.names.size(); ++c) {
            const bool kept = k < n.names.size() && n.names[k] == a.names[c];
            if (kept != (a.info[c].kind == cell_kind::number)) fail("an automatic column of another kind than its numbers");
            if (!kept) continue;
            for (std::size_t r = 0; r < n.rows; ++r)
                if (!same_bits(n.columns[k][r], a.columns[c][r])) fail("an automatic number column with other values");
            ++k;
        }
    }
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
        csv_options numbers_opt = opt;
        numbers_opt.threads = 1;
        const outcome numbers =
            pol == column_policy::skip_non_numeric ? one : run(text, cols, numbers_opt, column_policy::skip_non_numeric);
        check_kinds(text, cols, opt, extra + 1, numbers);
    }
    return 0;
}
