// driftgate CLI — the CSV reader: read_csv's orchestration (header, chunks on the worker pool,
// their results merged into the table) and csv_table. See csv.hpp for the format and the choices
// made; the pieces are in number_parse.hpp (numbers, missing tokens), file_bytes.hpp (mapping
// and reading files), csv_header.hpp (the header record), csv_records.hpp (a chunk's records) and
// csv_chunks.hpp (chunk boundaries and capacities).
#include "csv.hpp"
#include "csv_chunks.hpp"
#include "csv_header.hpp"
#include "csv_records.hpp"
#include "csv_text.hpp"
#include "file_bytes.hpp"
#include "number_parse.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

namespace driftgate::cli {

using namespace csv_impl;

namespace {

/// The slots of `unordered` columns to count as they are read: those whose first head_rows
/// records (parsed here, errors left to the full parse) look like codes (looks_like_codes).
/// Returns context::counter (-1: values) and sets c.ncounters.
std::vector<std::ptrdiff_t> choose_counted(context& c, const std::vector<char>& unordered, std::size_t begin) {
    constexpr std::size_t head_rows = 256;
    std::vector<std::ptrdiff_t> counter(c.nslots, -1);
    c.ncounters = 0;
    if (std::find(unordered.begin(), unordered.end(), 1) == unordered.end()) return counter;
    std::vector<double> head(c.nslots * head_rows);
    std::vector<double*> out(c.nslots);
    for (std::size_t s = 0; s < c.nslots; ++s) out[s] = head.data() + s * head_rows;
    chunk_result r;
    const bool release = std::exchange(c.release, false);
    parse_chunk(c, r, out, head_rows, begin, c.text.size());
    c.release = release;
    for (std::size_t s = 0; s < c.nslots; ++s) {
        if (!unordered[s] || r.rows == 0 || r.bad_pos[s] != npos) continue;
        if (looks_like_codes(std::span<const double>(out[s], r.rows)))
            counter[s] = static_cast<std::ptrdiff_t>(c.ncounters++);
    }
    return counter;
}

/// A counted slot's result from its chunks' counts: counted when no chunk spilled and the
/// merged count holds at most 256 distinct values (`counted` set), else the values (`values`:
/// counted values repeated, spills, NaN for the missing ones; not in file order).
void gather_counts(const std::vector<chunk_result>& results, std::size_t k, std::size_t rows,
                   std::optional<counted_sample>& counted, std::vector<double>& values) {
    driftgate::distinct_counter all;
    bool fits = true;
    std::size_t missing = 0;
    for (const chunk_result& r : results) {
        const code_counter& cc = r.counters[k];
        missing += cc.missing;
        fits = fits && !cc.spilled;
        if (fits) cc.for_each([&](double v, std::size_t n) { fits = fits && all.add(v, n); });
    }
    if (fits) {
        counted = all.counted();
        counted->missing = missing;
        return;
    }
    values.reserve(rows);
    for (const chunk_result& r : results) {
        const code_counter& cc = r.counters[k];
        cc.for_each([&](double v, std::size_t n) { values.insert(values.end(), n, v); });
        values.insert(values.end(), cc.spill.begin(), cc.spill.end());
        values.insert(values.end(), cc.missing, missing_value);
    }
}

csv_table parse_impl(std::string_view text, const std::string& name, std::span<const std::string> columns,
                     const csv_options& options, column_policy policy, std::span<const std::string> unordered,
                     bool mapped = false) {
    header_record h = parse_header_record(text, name, options.delimiter);
    csv_table table;
    table.path = name;
    table.header = std::move(h.names);

    context c;
    c.text = text;
    c.base = text.data();
    c.fin = text.data() + text.size();
    c.name = &name;
    c.header = &table.header;
    c.delim = options.delimiter;
    c.ncols = table.header.size();
    c.slot.assign(c.ncols, -1);
    c.skip_bad = policy == column_policy::skip_non_numeric;
    c.release = mapped;
    c.special[static_cast<unsigned char>(c.delim)] = true;
    c.special[static_cast<unsigned char>('\n')] = true;
    c.special[static_cast<unsigned char>('"')] = true;

    std::vector<std::size_t> requested;  // header index per slot
    for (const std::string& col : columns) {
        const auto it = std::find(table.header.begin(), table.header.end(), col);
        if (it == table.header.end()) {
            std::string list;
            const std::size_t shown = std::min<std::size_t>(table.header.size(), 50);
            for (std::size_t j = 0; j < shown; ++j) list += (j ? ", " : "") + show(table.header[j], 60);
            if (shown < table.header.size()) list += ", ... (" + std::to_string(table.header.size()) + " columns)";
            data_error(name + ": no column " + show(col, 60) + "; the columns are: " + list);
        }
        const auto j = static_cast<std::size_t>(it - table.header.begin());
        if (c.slot[j] >= 0) continue;  // requested again: loaded once, at its first place
        c.slot[j] = static_cast<std::ptrdiff_t>(requested.size());
        requested.push_back(j);
    }
    c.nslots = requested.size();
    const token_matcher missing(options.missing_tokens, options.case_sensitive_missing);
    c.missing = &missing;

    const std::size_t begin = h.data_begin;
    {
        std::vector<char> unordered_slot(c.nslots, 0);
        for (const std::string& col : unordered)
            for (std::size_t s = 0; s < c.nslots; ++s)
                if (table.header[requested[s]] == col) unordered_slot[s] = 1;
        c.counter = choose_counted(c, unordered_slot, begin);
    }
    unsigned n = choose_chunks(options.threads, text.size() - begin);
    std::vector<chunk_result> results;
    // The values go straight to their place in the columns: chunk k's records are at most its
    // line feeds (one more when it ends at the end of the file, whose last line may have none), so
    // chunk k writes from row at[k] = the bounds of the chunks before it, and the gaps left by
    // chunks with fewer records (blank lines, quoted line feeds) are closed afterwards.
    std::vector<std::vector<double>> cols(c.nslots);
    std::size_t sized = 0;  // rows the value columns have room for
    std::vector<std::size_t> at;
    enum class outcome { done, full, misaligned };
    auto parse_all = [&](unsigned chunks, bool guess, bool estimate) {
        const std::vector<std::size_t> starts = chunks == 1 ? std::vector<std::size_t>{begin, text.size()}
                                                : guess     ? guessed_chunk_starts(text, begin, chunks)
                                                            : chunk_starts(text, begin, chunks);
        std::vector<std::size_t> capacity(chunks);
        run_parallel(chunks, [&](unsigned k) {
            const char* const from = text.data() + starts[k];
            const std::size_t bytes = starts[k + 1] - starts[k];
            capacity[k] = (estimate ? estimated_records(from, bytes, c.ncols) : count_line_feeds(from, bytes, c.release)) +
                          (starts[k + 1] == text.size() ? 1 : 0);
        });
        at.assign(chunks + 1, 0);
        for (unsigned k = 0; k < chunks; ++k) at[k + 1] = at[k] + capacity[k];
        if (sized < at[chunks]) {
            std::vector<std::size_t> valued;  // slots written to columns (not counted)
            for (std::size_t s = 0; s < c.nslots; ++s)
                if (c.counter[s] < 0) valued.push_back(s);
            const auto workers = static_cast<unsigned>(std::min<std::size_t>(chunks, valued.size()));
            if (workers > 0)
                run_parallel(workers, [&](unsigned w) {
                    for (std::size_t i = w; i < valued.size(); i += workers) cols[valued[i]].resize(at[chunks]);
                });
            sized = at[chunks];
        }
        results.assign(chunks, chunk_result{});
        run_parallel(chunks, [&](unsigned k) {
            std::vector<double*> out(c.nslots, nullptr);
            for (std::size_t s = 0; s < c.nslots; ++s)
                if (c.counter[s] < 0) out[s] = cols[s].data() + at[k];
            parse_chunk(c, results[k], std::move(out), capacity[k], starts[k], starts[k + 1]);
        });
        // Consistency: each chunk must end where the next begins (or on trailing blank lines).
        for (unsigned k = 0; k < chunks; ++k) {
            const chunk_result& r = results[k];
            if (r.err_pos != npos) return outcome::done;
            if (r.trailing) return outcome::done;
            if (r.stop != starts[k + 1]) return r.full ? outcome::full : outcome::misaligned;
        }
        return outcome::done;
    };
    // First with guessed boundaries and capacities (no pass over the file before parsing it); a
    // chunk that fills up is parsed again with its line feeds counted. Guessed boundaries are
    // right unless a quoted field holding a line feed spans one; then the boundaries are found
    // from quote parity, and the file is parsed again. (The last fallback, one chunk, cannot be
    // needed on consistent input; it is kept as a safety net.)
    outcome o = parse_all(n, true, true);
    if (o == outcome::full) o = parse_all(n, true, false);
    if (o != outcome::done) o = parse_all(n, false, false);
    if (o != outcome::done) parse_all(1, false, false);

    for (const chunk_result& r : results)
        if (r.err_pos != npos) data_error(where(name, text, r.err_pos) + r.err_msg);

    std::size_t rows = 0;
    for (const chunk_result& r : results) rows += r.rows;
    if (rows == 0) data_error(name + ": the file has a header but no data rows");
    table.rows = rows;

    std::vector<std::size_t> kept;  // slots of the columns returned
    for (std::size_t s = 0; s < c.nslots; ++s) {
        const std::size_t j = requested[s];
        bool bad = false;
        for (const chunk_result& r : results) {
            if (r.bad_pos[s] != npos) {
                table.dropped.push_back({table.header[j], j + 1, where(name, text, r.bad_pos[s]) + r.bad_msg[s]});
                bad = true;
                break;
            }
        }
        if (bad) continue;
        table.names.push_back(table.header[j]);
        kept.push_back(s);
    }
    // Close the gaps between the chunks' records (none when every chunk held as many records as
    // line feeds); the columns are independent, so the threads share them out.
    table.columns.resize(kept.size());
    table.counted.resize(kept.size());
    const auto workers = static_cast<unsigned>(std::min<std::size_t>(results.size(), kept.size()));
    if (workers > 0)
        run_parallel(workers, [&](unsigned w) {
            for (std::size_t i = w; i < kept.size(); i += workers) {
                if (const std::ptrdiff_t k = c.counter[kept[i]]; k >= 0) {
                    gather_counts(results, static_cast<std::size_t>(k), rows, table.counted[i], table.columns[i]);
                    continue;
                }
                std::vector<double>& col = cols[kept[i]];
                std::size_t to = 0;
                for (std::size_t k = 0; k < results.size(); ++k) {
                    if (to != at[k]) std::memmove(col.data() + to, col.data() + at[k], results[k].rows * sizeof(double));
                    to += results[k].rows;
                }
                col.resize(rows);
                table.columns[i] = std::move(col);
            }
        });
    return table;
}

} // namespace

bool looks_like_codes(std::span<const double> x) {
    std::vector<std::uint64_t> bits;
    for (std::size_t i = 0; i < std::min<std::size_t>(x.size(), 256); ++i)
        if (!std::isnan(x[i])) bits.push_back(std::bit_cast<std::uint64_t>(x[i]));
    std::sort(bits.begin(), bits.end());
    return std::unique(bits.begin(), bits.end()) - bits.begin() <= 64;
}

std::size_t csv_table::index(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " was not loaded");
}

std::size_t csv_table::values_index(std::string_view name) const {
    const std::size_t i = index(name);
    if (counted[i]) throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " was counted, not loaded as values");
    return i;
}

std::span<const double> csv_table::column(std::string_view name) const { return columns[values_index(name)]; }

const counted_sample* csv_table::counts(std::string_view name) const {
    const std::size_t i = index(name);
    return counted[i] ? &*counted[i] : nullptr;
}

std::vector<double> csv_table::take(std::string_view name) { return std::move(columns[values_index(name)]); }

csv_table parse_csv(std::string_view text, const std::string& name, std::span<const std::string> columns,
                    const csv_options& options, column_policy policy, std::span<const std::string> unordered) {
    return parse_impl(text, name, columns, options, policy, unordered);
}

csv_table read_csv(const std::string& path, std::span<const std::string> columns, const csv_options& options,
                   column_policy policy, std::span<const std::string> unordered) {
    check_delimiter(options.delimiter);
    file_bytes file(path, /*whole=*/true);
    if (file.streaming())
        while (file.read_more(path)) {
        }
    return parse_impl(file.text(), path, columns, options, policy, unordered, /*mapped=*/!file.streaming());
}

} // namespace driftgate::cli
