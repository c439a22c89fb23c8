// driftgate CLI — the CSV reader: read_csv's orchestration. The header is parsed, the requests
// resolved against it, one pass over the records made (csv_pass.hpp), the first error in file
// order reported, and the chunks' results merged into the table; automatic columns found to hold
// text are read again as text; a compressed file's text is parsed in pieces as it is
// decompressed (parse_streamed). See csv.hpp for the format and the choices made; the pieces are in
// number_parse.hpp (numbers, missing and boolean tokens), file_bytes.hpp (mapping and reading
// files), csv_header.hpp (the header record), csv_records.hpp (a chunk's records),
// csv_chunks.hpp (chunk boundaries and capacities), category_table.hpp (a text column's
// categories) and csv_scan.hpp (one-thread walks for messages).
#include "csv.hpp"
#include "category_table.hpp"
#include "csv_chunks.hpp"
#include "csv_header.hpp"
#include "csv_pass.hpp"
#include "csv_read_ahead.hpp"
#include "csv_records.hpp"
#include "csv_scan.hpp"
#include "csv_text.hpp"
#include "file_bytes.hpp"
#include "input_path.hpp"
#include "number_parse.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace driftgate::cli {

using namespace csv_impl;

namespace {

/// One distinct requested column, resolved against the header.
struct request {
    std::size_t column = 0;  // 0-based header index
    cell_kind kind = cell_kind::number;
    bool unordered = false;
    bool bad_as_missing = false;
};


/// The requests, one per distinct column in the order first requested; throws for a name the
/// header lacks (listing the ones it has) and for requests of one column that disagree. O(header
/// + requests): names are found by hash.
std::vector<request> resolve(const std::vector<std::string>& header, std::span<const column_request> columns,
                             const std::string& name, char delim) {
    std::vector<request> out;
    if (columns.empty()) return out;
    std::unordered_map<std::string_view, std::size_t> by_name;
    by_name.reserve(header.size());
    for (std::size_t j = 0; j < header.size(); ++j) by_name.emplace(header[j], j);
    std::unordered_map<std::size_t, std::size_t> slot_of;  // header index -> index into out
    for (const column_request& r : columns) {
        const auto it = by_name.find(r.name);
        if (it == by_name.end()) {
            std::string list;
            const std::size_t shown = std::min<std::size_t>(header.size(), 50);
            for (std::size_t j = 0; j < shown; ++j) list += (j ? ", " : "") + show(header[j], 60);
            if (shown < header.size()) list += ", ... (" + std::to_string(header.size()) + " columns)";
            data_error(name + ": no column " + show(r.name, 60) + (r.asked_by.empty() ? "" : " (" + r.asked_by + ")") +
                       "; the columns are: " + list +
                       delimiter_hint(header, delim));
        }
        const std::size_t j = it->second;
        if (const auto seen = slot_of.find(j); seen != slot_of.end()) {
            request& first = out[seen->second];
            if (first.kind != r.kind || first.bad_as_missing != r.bad_as_missing)
                throw cli_error(exit_code::usage, name + ": column " + show(r.name, 60) +
                                                      " is requested twice with different kinds or options");
            first.unordered = first.unordered && r.unordered;
            continue;
        }
        slot_of.emplace(j, out.size());
        out.push_back({j, r.kind, r.unordered, r.bad_as_missing});
    }
    return out;
}

/// The context of a pass over `text` with the given slots (slot_plan::column set).
context make_context(std::string_view text, const std::string& name, const std::vector<std::string>& header,
                     const csv_options& options, const cell_tokens& tokens, std::vector<slot_plan> slots,
                     bool mapped) {
    context c;
    c.text = text;
    c.base = text.data();
    c.fin = text.data() + text.size();
    c.name = &name;
    c.header = &header;
    c.delim = options.delimiter;
    c.ncols = header.size();
    c.slot.assign(c.ncols, -1);
    for (std::size_t s = 0; s < slots.size(); ++s) c.slot[slots[s].column] = static_cast<std::ptrdiff_t>(s);
    c.slots = std::move(slots);
    c.tokens = &tokens;
    c.release = mapped;
    c.special[static_cast<unsigned char>(c.delim)] = true;
    c.special[static_cast<unsigned char>('\n')] = true;
    c.special[static_cast<unsigned char>('"')] = true;
    return c;
}

/// An error at byte offset pos of the text, in the 1-based field `field`, naming its column or
/// not, and what it is.
struct offence {
    std::size_t pos = npos;  // npos: none
    std::size_t field = 0;
    bool named = false;
    std::string body;
};

/// "FILE:LINE:COL: column "NAME": body", or without the column for an error about the record.
std::string message(const context& c, const offence& o) {
    return where(*c.name, c.text, o.pos, o.field) + (o.named ? column_label(*c.header, o.field - 1) + ": " : "") + o.body;
}

/// The first offence of number slot s in file order, before byte offset `limit`: a cell whose
/// kind (number or boolean) differs from the column's first non-missing cell, or a cell that is
/// neither (unless `bad_is_missing`). Walks the column from the first record: for messages only.
offence first_offence(const context& c, std::size_t begin, std::size_t s, std::size_t limit, bool bad_is_missing) {
    const std::size_t j = c.slots[s].column;
    offence found;
    cell_class first = cell_class::missing;
    std::size_t first_pos = 0;
    for_each_cell(c.text, begin, c.delim, c.ncols, j, [&](std::size_t pos, std::string_view content) {
        if (pos >= limit) return false;
        double v = 0;
        const cell_class k = classify(trim(content), *c.tokens, v);
        if (k == cell_class::missing || (k == cell_class::other && bad_is_missing)) return true;
        if (k == cell_class::other) {
            found = {pos, j + 1, true, "cannot parse " + show(content) + " as a number"};
            return false;
        }
        if (first == cell_class::missing) {
            first = k;
            first_pos = pos;
            return true;
        }
        if (k == first) return true;
        const std::string line = std::to_string(line_of(c.text, first_pos));
        found = {pos, j + 1, true,
                 k == cell_class::boolean
                     ? show(content) + " is a boolean value in a column of numbers (first number at line " + line + ")"
                     : show(content) + " is a number in a column of boolean values (first boolean value at line " +
                           line + ")"};
        return false;
    });
    return found;
}

/// True when chunk k of the pass holds a number (a value not NaN) in number slot s.
bool chunk_has_number(const context& c, const pass_result& p, std::size_t k, std::size_t s) {
    const chunk_result& r = p.results[k];
    if (const std::ptrdiff_t counter = c.slots[s].counter; counter >= 0) {
        const code_counter& cc = r.counters[static_cast<std::size_t>(counter)];
        return cc.other.size() != 0 || !cc.spill.empty() ||
               std::any_of(cc.small.begin(), cc.small.end(), [](std::size_t n) { return n != 0; });
    }
    const double* const v = p.values[s].data() + p.at[k];
    return std::any_of(v, v + r.rows, [](double x) { return !std::isnan(x); });
}

/// What number slot s of a pass holds, from its chunks' notes (every chunk parsed whole): a
/// boolean column (booleans and missing values only), or a column mixing numbers and booleans.
struct slot_kinds {
    bool boolean = false;
    bool mixed = false;
};

slot_kinds kinds_of(const context& c, const pass_result& p, std::size_t s) {
    bool any_bool = false, mixed = false;
    for (const chunk_result& r : p.results) {
        const slot_outcome& o = r.slots[s];
        if (o.first_bool == npos) continue;
        any_bool = true;
        mixed = mixed || o.number_before || o.mixed != npos;
    }
    if (!any_bool) return {};
    for (std::size_t k = 0; k < p.results.size() && !mixed; ++k)
        if (p.results[k].slots[s].first_bool == npos && chunk_has_number(c, p, k, s)) mixed = true;
    return {!mixed, mixed};
}

/// True when a number slot read with on_bad::stop was found not to hold numbers.
bool stopped(const pass_result& p, std::size_t s) {
    for (const chunk_result& r : p.results) {
        const slot_outcome& o = r.slots[s];
        if (o.bad_pos != npos || o.mixed != npos || (o.first_bool != npos && o.number_before)) return true;
    }
    return false;
}

/// Throws the pass's first error in file order: a chunk's error (each chunk stops at its first),
/// or an earlier cell of a number column of a kind other than the column's first (a boolean among
/// numbers, or a number among booleans), found by walking the column once the chunks' notes show
/// that there is one.
void throw_first_error(const context& c, const pass_result& p, std::size_t begin) {
    std::size_t failed = npos;  // the first chunk with an error
    for (std::size_t k = 0; k < p.results.size() && failed == npos; ++k)
        if (p.results[k].err_pos != npos) failed = k;
    offence best;
    if (failed != npos) {
        const chunk_result& r = p.results[failed];
        best = {r.err_pos, r.err_field, r.err_named, r.err_msg};
    }
    for (std::size_t s = 0; s < c.slots.size(); ++s) {
        const slot_plan& plan = c.slots[s];
        if (plan.text || plan.bad == slot_plan::on_bad::stop) continue;
        bool suspect = false;
        if (failed == npos) {
            suspect = kinds_of(c, p, s).mixed;
        } else {  // the chunks after the failed one are past its error
            for (std::size_t k = 0; k <= failed && !suspect; ++k) suspect = p.results[k].slots[s].first_bool != npos;
        }
        if (!suspect) continue;
        offence o = first_offence(c, begin, s, best.pos, plan.bad == slot_plan::on_bad::missing);
        if (o.pos == npos && failed == npos) {
            // The notes say the column mixes kinds but the walk found no such cell: not expected;
            // the column is still reported, at its first boolean value, rather than read.
            for (const chunk_result& r : p.results)
                if (r.slots[s].first_bool != npos && o.pos == npos)
                    o = {r.slots[s].first_bool, plan.column + 1, true, "the column mixes numbers and boolean values"};
        }
        if (o.pos < best.pos) best = std::move(o);
    }
    if (best.pos != npos) data_error(message(c, best));
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

/// A value slot's column: the chunks' records moved together (closing the gaps between them;
/// none when every chunk held as many records as its capacity).
std::vector<double> gather_values(pass_result& p, std::size_t s, std::size_t rows) {
    std::vector<double>& col = p.values[s];
    std::size_t to = 0;
    for (std::size_t k = 0; k < p.results.size(); ++k) {
        if (to != p.at[k]) std::memmove(col.data() + to, col.data() + p.at[k], p.results[k].rows * sizeof(double));
        to += p.results[k].rows;
    }
    col.resize(rows);
    return std::move(col);
}

/// A text slot's column: the chunks' categories merged in file order (so that the order of first
/// appearance and the codes are those of one pass), the codes moved together and renumbered.
text_column gather_text(pass_result& p, std::size_t s, bool codes, std::size_t rows) {
    text_column out;
    category_table all;
    std::vector<std::uint32_t> renumber;
    std::vector<std::uint32_t>& col = p.codes[s];
    std::size_t to = 0;
    for (std::size_t k = 0; k < p.results.size(); ++k) {
        const text_outcome& t = p.results[k].texts[s];
        renumber.resize(t.table.size());
        for (std::size_t i = 0; i < t.table.size(); ++i) renumber[i] = all.add(t.table.names()[i], t.table.counts()[i]);
        out.missing += t.missing;
        if (!codes) continue;
        const std::uint32_t* from = col.data() + p.at[k];
        for (std::size_t i = 0; i < p.results[k].rows; ++i) {  // to <= at[k]: forward copy is safe
            const std::uint32_t code = from[i];
            col[to + i] = code == text_column::missing_code ? code : renumber[code];
        }
        to += p.results[k].rows;
    }
    all.release(out.categories, out.counts);
    if (codes) {
        col.resize(rows);
        out.codes = std::move(col);
    }
    return out;
}

/// "FILE:LINE:COL" of byte offset pos in header column col.
std::string place(const context& c, std::size_t pos, std::size_t col) {
    return *c.name + ":" + std::to_string(line_of(c.text, pos)) + ":" + std::to_string(col + 1);
}

/// Rows of a pass: the records of its chunks.
std::size_t rows_of(const pass_result& p) {
    std::size_t rows = 0;
    for (const chunk_result& r : p.results) rows += r.rows;
    return rows;
}

/// A file's reading set up from its header record (in `text`): the table's header, the requests
/// resolved against it, the tokens and the context of the pass over the records from `begin`.
/// Neither copied nor moved: the context points into it.
struct reading {
    csv_table table;
    std::vector<request> requests;
    std::vector<char> unordered;  // per slot
    cell_tokens tokens;
    context c;
    std::size_t begin = 0;

    reading(std::string_view text, const std::string& name, std::span<const column_request> columns,
            const csv_options& options, bool mapped, std::uint64_t text_bytes = 0)
        : tokens{token_matcher(options.missing_tokens, options.case_sensitive_missing),
                 token_matcher(options.true_tokens, options.case_sensitive_booleans),
                 token_matcher(options.false_tokens, options.case_sensitive_booleans)} {
        header_record h = parse_header_record(text, name, options.delimiter);
        table.path = name;
        table.header = std::move(h.names);
        begin = h.data_begin;
        requests = resolve(table.header, columns, name, options.delimiter);
        std::vector<slot_plan> plans(requests.size());
        unordered.assign(requests.size(), 0);
        for (std::size_t s = 0; s < requests.size(); ++s) {
            const request& r = requests[s];
            plans[s].column = r.column;
            plans[s].text = r.kind == cell_kind::text;
            plans[s].codes = !r.unordered;
            plans[s].bad = r.kind == cell_kind::automatic ? slot_plan::on_bad::stop
                           : r.bad_as_missing             ? slot_plan::on_bad::missing
                                                          : slot_plan::on_bad::fail;
            unordered[s] = r.unordered ? 1 : 0;
        }
        c = make_context(text, name, table.header, options, tokens, std::move(plans), mapped);
        choose_counted(c, unordered, begin, text_bytes);
    }
    reading(const reading&) = delete;
    reading& operator=(const reading&) = delete;
};

/// True when pass p (over the whole text) saw what only a message walking the text can say: an
/// error, a number column mixing numbers and booleans, or (`drop_non_numbers`) an automatic
/// column that does not hold numbers, dropped with the message that says why.
bool needs_text(const context& c, const pass_result& p, bool drop_non_numbers) {
    for (const chunk_result& r : p.results)
        if (r.err_pos != npos) return true;
    for (std::size_t s = 0; s < c.slots.size(); ++s) {
        const slot_plan& plan = c.slots[s];
        if (plan.text) continue;
        if (plan.bad != slot_plan::on_bad::stop ? kinds_of(c, p, s).mixed
                                                : drop_non_numbers && (stopped(p, s) || kinds_of(c, p, s).mixed))
            return true;
    }
    return false;
}

/// A pass over the file again with other slots (the automatic columns found to hold text).
using pass_again = std::function<pass_result(context&)>;

/// The table from pass p over the records of `text` (set up by `rd`; the line of the first
/// record `first_line`): the first error thrown, the columns assembled, automatic columns found
/// to hold text read again as text, in `n` chunks or by `again` when given. With
/// `drop_non_numbers`, an automatic column found not to hold numbers is dropped
/// (csv_table::dropped) instead. `text` is empty when it is not held (run_pieces, with `again`
/// and p.first_bad), which needs_text(p) false makes possible.
csv_table finish(reading& rd, pass_result p, std::string_view text, std::size_t first_line, const std::string& name,
                 const csv_options& options, bool drop_non_numbers, unsigned n, bool mapped, const pass_again& again_pass = {}) {
    const context& c = rd.c;
    csv_table& table = rd.table;
    const std::vector<request>& requests = rd.requests;
    const std::size_t begin = rd.begin;
    throw_first_error(c, p, begin);
    table_access::set_lines(table, first_line, p.results);
    const std::size_t rows = rows_of(p);
    if (rows == 0) data_error(name + ": the file has a header but no data rows");
    table.rows = rows;
    // What each slot is, and its place in the table (dropped columns have none).
    enum class fate { number, text, reread, dropped };
    std::vector<fate> fates(requests.size());
    std::vector<std::size_t> entry(requests.size(), npos);
    std::vector<std::size_t> jobs;  // slots assembled from this pass
    for (std::size_t s = 0; s < requests.size(); ++s) {
        const request& r = requests[s];
        const std::size_t j = r.column;
        column_info info{table.header[j], j + 1, cell_kind::number, false, 0, {}, {}};
        if (r.kind == cell_kind::text) {
            fates[s] = fate::text;
            info.kind = cell_kind::text;
        } else if (c.slots[s].bad == slot_plan::on_bad::stop && (stopped(p, s) || kinds_of(c, p, s).mixed)) {
            if (drop_non_numbers) {
                fates[s] = fate::dropped;
                const offence o = first_offence(c, begin, s, npos, false);
                table.dropped.push_back({table.header[j], j + 1,
                                         o.pos == npos ? name + ": column " + show(table.header[j], 60) + " is not numeric"
                                                       : message(c, o)});
                continue;
            }
            fates[s] = fate::reread;
            info.kind = cell_kind::text;
        } else {
            fates[s] = fate::number;
            info.boolean = kinds_of(c, p, s).boolean;
            for (const chunk_result& r : p.results) {
                const slot_outcome& o = r.slots[s];
                if (o.bad_count != 0 && info.bad_cells == 0) {
                    if (!p.first_bad.empty()) {
                        info.first_bad = p.first_bad[s].first;
                        info.first_bad_text = p.first_bad[s].second;
                    } else {
                        info.first_bad = place(c, o.bad_pos, j);
                        info.first_bad_text = show(field_at(text, o.bad_pos, c.delim));
                    }
                }
                info.bad_cells += o.bad_count;
            }
        }
        entry[s] = table.names.size();
        table.names.push_back(table.header[j]);
        table.info.push_back(std::move(info));
        if (fates[s] != fate::reread) jobs.push_back(s);
    }
    table.columns.resize(table.names.size());
    table.counted.resize(table.names.size());
    table.text.resize(table.names.size());
    // The columns are independent: the threads share them out (at most n: a pass in pieces has
    // chunk results of every piece).
    const auto workers = static_cast<unsigned>(std::min({p.results.size(), jobs.size(), std::size_t{n}}));
    if (workers > 0)
        run_parallel(workers, [&](unsigned w) {
            for (std::size_t i = w; i < jobs.size(); i += workers) {
                const std::size_t s = jobs[i], e = entry[s];
                if (fates[s] == fate::text) table.text[e] = gather_text(p, s, c.slots[s].codes, rows);
                else if (const std::ptrdiff_t k = c.slots[s].counter; k >= 0)
                    gather_counts(p.results, static_cast<std::size_t>(k), rows, table.counted[e], table.columns[e]);
                else table.columns[e] = gather_values(p, s, rows);
            }
        });

    // Automatic columns that hold text: read again, as text, in one more pass.
    std::vector<slot_plan> again;
    std::vector<std::size_t> again_entry;
    for (std::size_t s = 0; s < requests.size(); ++s) {
        if (fates[s] != fate::reread) continue;
        slot_plan plan;
        plan.column = requests[s].column;
        plan.text = true;
        plan.codes = !requests[s].unordered;
        again.push_back(plan);
        again_entry.push_back(entry[s]);
    }
    if (!again.empty()) {
        p = {};
        context t = make_context(text, name, table.header, options, rd.tokens, std::move(again), mapped);
        pass_result q = again_pass ? again_pass(t) : run_pass(t, begin, n);
        throw_first_error(t, q, begin);  // none expected: the file was read whole already
        if (rows_of(q) != rows) throw cli_error(exit_code::io, name + " changed while it was read");
        const auto text_workers = static_cast<unsigned>(std::min({q.results.size(), t.slots.size(), std::size_t{n}}));
        run_parallel(text_workers, [&](unsigned w) {
            for (std::size_t s = w; s < t.slots.size(); s += text_workers)
                table.text[again_entry[s]] = gather_text(q, s, t.slots[s].codes, rows);
        });
    }
    table_access::index_names(table);
    return std::move(table);
}

/// Reads `text` (the file `name`). With `drop_non_numbers`, an automatic column found not to
/// hold numbers is dropped (csv_table::dropped) instead of read as text.
csv_table parse_impl(std::string_view text, const std::string& name, std::span<const column_request> columns,
                     const csv_options& options, bool drop_non_numbers, bool mapped = false) {
    reading rd(text, name, columns, options, mapped);
    const unsigned n = choose_chunks(options.threads, text.size() - rd.begin);
    pass_result p = run_pass(rd.c, rd.begin, n);
    return finish(rd, std::move(p), text, line_of(text, rd.begin), name, options, drop_non_numbers, n, mapped);
}

/// Starts the text of a compressed file that no read ahead started: decompressed on its own
/// thread two pieces ahead of the parse, so that the next piece is ready when one is parsed; with
/// one thread asked for (`--threads 1`), by the parse's own thread as it takes the text.
void start_own_text(file_bytes& file, const csv_options& options) {
    file.start_text(2 * piece_bytes, options.threads != 1);
}

/// The text `file` hands out (file_bytes::take_text), as run_pieces reads it.
text_source text_of(file_bytes& file) {
    return [&file](char* out, std::size_t cap) { return file.take_text(out, cap); };
}

/// Reads a compressed file whose text is handed out as it is decompressed (file_bytes::
/// start_text) in pieces (run_pieces), without holding the text; automatic columns found to hold
/// text are read again from the file decompressed again. nullopt when it must be read whole
/// instead, which then reports what stopped this reading: a message that walks the text
/// (needs_text), a header longer than a piece can grow to, any error (a corrupt file, a missing
/// column), so that every message is the one the whole text gives. O(text).
std::optional<csv_table> parse_streamed(file_bytes& file, const std::string& name, std::span<const column_request> columns,
                                        const csv_options& options, bool drop_non_numbers) {
    /// A pass in pieces that stopped: the file is read whole.
    struct stopped_in_pieces {};
    try {
        const text_source source = text_of(file);
        text_buffer buf;
        bool ended = !fill(buf, piece_bytes, source);
        while (header_record_end(buf.view()) == npos) {
            if (ended || buf.size > max_header_bytes) return std::nullopt;
            ended = !fill(buf, std::min(2 * buf.size, max_header_bytes + 1), source);
        }
        // The first records, for choose_counted: 256 of them when the file has as many (line feeds
        // inside quotes counted too).
        while (!ended && buf.size < max_header_bytes &&
               count_line_feeds(buf.data.get(), buf.size, false) <= 4 * counted_head_rows)
            ended = !fill(buf, 2 * buf.size, source);
        reading rd(buf.view(), name, columns, options, false, file.announced_size());
        const std::size_t first_line = line_of(buf.view(), rd.begin);
        std::optional<pass_result> p = run_pieces(rd.c, buf, ended, rd.begin, source, options.threads,
                                                  file.announced_size(), max_stream_bytes());
        if (!p || needs_text(rd.c, *p, drop_non_numbers)) return std::nullopt;
        // Automatic columns found to hold text: the file decompressed again, read in pieces as text.
        const pass_again again = [&](context& t) -> pass_result {
            file_bytes second(name, /*map=*/true);
            if (!second.compressed_file()) throw stopped_in_pieces{};  // replaced meanwhile
            start_own_text(second, options);
            const text_source more = text_of(second);
            text_buffer text;
            const bool done = !fill(text, std::max(piece_bytes, rd.begin + 1), more);
            std::optional<pass_result> q = run_pieces(t, text, done, rd.begin, more, options.threads,
                                                      file.announced_size(), max_stream_bytes());
            if (!q) throw stopped_in_pieces{};
            return std::move(*q);
        };
        const unsigned n = choose_chunks(options.threads, piece_bytes);
        csv_table table = finish(rd, std::move(*p), {}, first_line, name, options, drop_non_numbers, n, false, again);
        pieced_reads.fetch_add(1, std::memory_order_relaxed);
        return table;
    } catch (...) {
        return std::nullopt;
    }
}


/// The requests of the first interface.
std::vector<column_request> number_requests(std::span<const std::string> columns, column_policy policy,
                                            std::span<const std::string> unordered) {
    const std::unordered_set<std::string_view> unordered_names(unordered.begin(), unordered.end());
    std::vector<column_request> out;
    out.reserve(columns.size());
    for (const std::string& col : columns) {
        column_request r;
        r.name = col;
        r.kind = policy == column_policy::require_numeric ? cell_kind::number : cell_kind::automatic;
        r.unordered = unordered_names.count(col) != 0;
        out.push_back(std::move(r));
    }
    return out;
}

/// Reads the file at `path` ("-": standard input) with the requests; a mapped file is checked
/// for a change under the parse (file_bytes::check_unchanged), which then is the error reported.
/// A compressed regular file is parsed as it is decompressed (parse_streamed), and read again
/// whole when that reading stops.
csv_table read_file(const std::string& path, std::span<const column_request> requests, const csv_options& options,
                    bool drop_non_numbers) {
    check_delimiter(options.delimiter);
    const std::string name = shown_path(path);
    std::unique_ptr<file_bytes> file = take_read_ahead(path);
    if (!file) {
        file = std::make_unique<file_bytes>(path, /*map=*/true);
        if (file->compressed_file()) {
            try {
                start_own_text(*file, options);
            } catch (const std::system_error&) {  // no thread to be had: the file is read whole
            }
        }
    }
    if (file->text_started()) {
        std::optional<csv_table> streamed = parse_streamed(*file, name, requests, options, drop_non_numbers);
        if (streamed) {
            file->check_unchanged();
            streamed->path = path;
            return std::move(*streamed);
        }
        file.reset();  // its thread and what it holds; the file read again, whole
        file = std::make_unique<file_bytes>(path, /*map=*/true);
    }
    file->read_all();
    csv_table table;
    try {
        table = parse_impl(file->text(), name, requests, options, drop_non_numbers, /*mapped=*/!file->streaming());
    } catch (...) {
        file->check_unchanged();  // a file cut short under the parse: that, not what the zeros gave
        throw;
    }
    file->check_unchanged();
    table.path = path;
    return table;
}

} // namespace

csv_table parse_csv(std::string_view text, const std::string& name, std::span<const column_request> columns,
                    const csv_options& options) {
    return parse_impl(text, name, columns, options, false);
}

csv_table read_csv(const std::string& path, std::span<const column_request> columns, const csv_options& options) {
    return read_file(path, columns, options, false);
}

csv_table parse_csv(std::string_view text, const std::string& name, std::span<const std::string> columns,
                    const csv_options& options, column_policy policy, std::span<const std::string> unordered) {
    const std::vector<column_request> requests = number_requests(columns, policy, unordered);
    return parse_impl(text, name, requests, options, policy == column_policy::skip_non_numeric);
}

csv_table read_csv(const std::string& path, std::span<const std::string> columns, const csv_options& options,
                   column_policy policy, std::span<const std::string> unordered) {
    const std::vector<column_request> requests = number_requests(columns, policy, unordered);
    return read_file(path, requests, options, policy == column_policy::skip_non_numeric);
}

/// "; did you mean --delimiter X?" when the header, split by another common delimiter, would
/// have more columns than it has (a semicolon- or tab-separated file read with the default
/// comma), else "".
std::string delimiter_hint(const std::vector<std::string>& header, char delim) {
    std::size_t best = header.size();
    char choice = 0;
    for (const char d : {';', '\t', '|', ','}) {
        if (d == delim) continue;
        std::size_t fields = 1;
        for (const std::string& h : header) fields += static_cast<std::size_t>(std::count(h.begin(), h.end(), d));
        if (fields > best) {
            best = fields;
            choice = d;
        }
    }
    if (choice == 0) return {};
    return std::string("; did you mean --delimiter ") +
           (choice == '\t' ? "tab" : choice == ';' ? "';'" : choice == '|' ? "'|'" : "','") + "?";
}

void require_separated(const std::vector<std::string>& header, const std::string& name, char delim) {
    if (header.size() != 1) return;
    const std::string hint = delimiter_hint(header, delim);
    if (!hint.empty())
        data_error(name + ": the header is one column, " + show(header[0], 60) + ", which another delimiter would split" + hint +
                   " (or [input] delimiter)");
}

} // namespace driftgate::cli
