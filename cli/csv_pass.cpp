// driftgate CLI — one pass of the CSV reader over the data records: see csv_pass.hpp.
#include "csv_pass.hpp"
#include "csv.hpp"
#include "csv_chunks.hpp"
#include "csv_scan.hpp"
#include "csv_text.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <utility>

namespace driftgate::cli::csv_impl {

bool valued(const slot_plan& plan) { return !plan.text && plan.counter < 0; }
bool coded(const slot_plan& plan) { return plan.text && plan.codes; }

pass_result run_pass(const context& c, std::size_t begin, unsigned n, std::size_t first_row,
                     std::vector<std::vector<double>>* values, std::vector<std::vector<std::uint32_t>>* codes) {
    const std::string_view text = c.text;
    const std::size_t nslots = c.slots.size();
    pass_result pass;
    if (values != nullptr) pass.values = std::move(*values);
    if (codes != nullptr) pass.codes = std::move(*codes);
    pass.values.resize(nslots);
    pass.codes.resize(nslots);
    std::vector<std::size_t> valued, coded;  // slots written to value columns, to code columns
    for (std::size_t s = 0; s < nslots; ++s) {
        if (csv_impl::valued(c.slots[s])) valued.push_back(s);
        if (csv_impl::coded(c.slots[s])) coded.push_back(s);
    }
    // The values go straight to their place in the columns: chunk k's records are at most its
    // line feeds (one more when it ends at the end of the file, whose last line may have none), so
    // chunk k writes from row at[k] = first_row + the bounds of the chunks before it, and the gaps
    // left by chunks with fewer records (blank lines, quoted line feeds) are closed afterwards.
    std::size_t sized = 0;  // rows the columns have room for
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
        pass.at.assign(chunks + 1, first_row);
        for (unsigned k = 0; k < chunks; ++k) pass.at[k + 1] = pass.at[k] + capacity[k];
        const std::size_t rows = pass.at[chunks];
        if (sized < rows) {
            const std::size_t columns = valued.size() + coded.size();
            const auto workers = static_cast<unsigned>(std::min<std::size_t>(chunks, columns));
            if (workers > 0)
                run_parallel(workers, [&](unsigned w) {
                    for (std::size_t i = w; i < columns; i += workers) {
                        if (i < valued.size()) pass.values[valued[i]].resize(rows);
                        else pass.codes[coded[i - valued.size()]].resize(rows);
                    }
                });
            sized = rows;
        }
        pass.results.assign(chunks, chunk_result{});
        run_parallel(chunks, [&](unsigned k) {
            std::vector<slot_out> out(nslots);
            for (const std::size_t s : valued) out[s].values = pass.values[s].data() + pass.at[k];
            for (const std::size_t s : coded) out[s].codes = pass.codes[s].data() + pass.at[k];
            parse_chunk(c, pass.results[k], std::move(out), capacity[k], starts[k], starts[k + 1]);
        });
        // Consistency: each chunk must end where the next begins (or on trailing blank lines).
        for (unsigned k = 0; k < chunks; ++k) {
            const chunk_result& r = pass.results[k];
            if (r.err_pos != npos) return outcome::done;
            if (r.trailing) return outcome::done;
            if (r.stop != starts[k + 1]) return r.full ? outcome::full : outcome::misaligned;
        }
        return outcome::done;
    };
    // (The last fallback, one chunk, cannot be needed on consistent input; it is kept as a
    // safety net.)
    outcome o = parse_all(n, true, true);
    if (o == outcome::full) o = parse_all(n, true, false);
    if (o != outcome::done) o = parse_all(n, false, false);
    if (o != outcome::done) parse_all(1, false, false);
    return pass;
}

void text_buffer::reserve(std::size_t n) {
    if (n <= capacity) return;
    std::unique_ptr<char[]> bigger(new char[n]);
    if (size != 0) std::memcpy(bigger.get(), data.get(), size);
    data = std::move(bigger);
    capacity = n;
}

void text_buffer::drop_front(std::size_t n) {
    if (n < size) std::memmove(data.get(), data.get() + n, size - n);
    size -= std::min(n, size);
}

bool fill(text_buffer& buf, std::size_t target, const text_source& source) {
    buf.reserve(target);
    while (buf.size < target) {
        const std::size_t got = source(buf.data.get() + buf.size, target - buf.size);
        if (got == 0) return false;
        buf.size += got;
    }
    return true;
}

std::size_t last_record_end(std::string_view text, std::size_t begin) {
    if (text.size() <= begin) return npos;
    const char* const first = text.data() + begin;
    const char* p = text.data() + text.size();
    // The quotes after each line feed, counted back from the end: a line feed is outside quotes
    // when the quotes before it (all of them less those after it) are even.
    const auto all = static_cast<std::size_t>(std::count(first, p, '"'));
    std::size_t after = 0;
    while (p > first) {
        const char ch = *--p;
        if (ch == '"') ++after;
        else if (ch == '\n' && ((all - after) & 1) == 0) return static_cast<std::size_t>(p - text.data()) + 1;
    }
    return npos;
}

namespace {

void set_text(context& c, std::string_view text) {
    c.text = text;
    c.base = text.data();
    c.fin = text.data() + text.size();
}

/// True when chunk r of the pass with context c saw what only a message walking the text can
/// say (run_pieces): an error, blank lines before the end, a number slot mixing numbers and
/// booleans (but an automatic one: read again as text).
bool needs_text(const context& c, const chunk_result& r, bool last) {
    if (r.err_pos != npos || (r.trailing && !last)) return true;
    for (std::size_t s = 0; s < r.slots.size(); ++s) {
        const slot_outcome& o = r.slots[s];
        if (c.slots[s].bad != slot_plan::on_bad::stop && (o.mixed != npos || (o.first_bool != npos && o.number_before)))
            return true;
    }
    return false;
}

} // namespace

std::optional<pass_result> run_pieces(context& c, text_buffer& buf, bool ended, std::size_t begin,
                                      const text_source& source, unsigned threads, std::uint64_t expected,
                                      std::size_t limit) {
    const std::size_t nslots = c.slots.size();
    pass_result all;
    all.at.push_back(0);
    std::vector<std::vector<double>> values(nslots);
    std::vector<std::vector<std::uint32_t>> codes(nslots);
    std::size_t rows = 0;        // rows of the pieces parsed
    std::uint64_t dropped = 0;   // text before buf's start
    bool reserved = false;
    all.first_bad.resize(nslots);
    std::size_t lines = 0;        // line feeds before buf's start, while a bad cell's line may be wanted
    std::size_t places_due = 0;   // slots reading bad cells as missing without a first one yet
    std::size_t width = 0;        // bytes of the columns per row
    for (const slot_plan& plan : c.slots) {
        places_due += !plan.text && plan.bad == slot_plan::on_bad::missing ? 1 : 0;
        width += valued(plan) ? sizeof(double) : coded(plan) ? sizeof(std::uint32_t) : 0;
    }
    for (;;) {
        const std::size_t cut = ended ? buf.size : last_record_end(buf.view(), begin);
        if (cut == npos) {  // no record ends in the buffer: a longer piece
            if (dropped + buf.size > limit) return std::nullopt;
            ended = !fill(buf, std::max(2 * buf.size, buf.size + piece_bytes), source);
            continue;
        }
        set_text(c, buf.view().substr(0, cut));
        if (cut > begin) {
            pass_result p = run_pass(c, begin, choose_chunks(threads, cut - begin), rows, &values, &codes);
            std::size_t to = rows;  // the piece's rows moved together, after the rows before
            for (std::size_t k = 0; k < p.results.size(); ++k) {
                chunk_result& r = p.results[k];
                if (needs_text(c, r, ended)) return std::nullopt;
                for (std::size_t s = 0; s < r.slots.size() && places_due > 0; ++s) {
                    const slot_outcome& o = r.slots[s];
                    if (o.bad_count == 0 || !all.first_bad[s].first.empty()) continue;
                    all.first_bad[s] = {*c.name + ":" + std::to_string(lines + line_of(c.text, o.bad_pos)) + ":" +
                                            std::to_string(c.slots[s].column + 1),
                                        show(field_at(c.text, o.bad_pos, c.delim))};
                    --places_due;
                }
                if (to != p.at[k])
                    for (std::size_t s = 0; s < nslots; ++s) {
                        if (valued(c.slots[s]))
                            std::memmove(p.values[s].data() + to, p.values[s].data() + p.at[k], r.rows * sizeof(double));
                        if (coded(c.slots[s]))
                            std::memmove(p.codes[s].data() + to, p.codes[s].data() + p.at[k], r.rows * sizeof(std::uint32_t));
                    }
                to += r.rows;
                all.results.push_back(std::move(r));
                all.at.push_back(to);
            }
            rows = to;
            values = std::move(p.values);
            codes = std::move(p.codes);
            // The columns hold the rows so far; room for the rows the text's announced length
            // (at most `limit`) promises at the rate of the first piece (a sixteenth more), so
            // that they do not grow by copies. The length is a claim of the file: room it cannot
            // have is not taken.
            for (std::size_t s = 0; s < nslots; ++s) {
                if (valued(c.slots[s])) values[s].resize(rows);
                if (coded(c.slots[s])) codes[s].resize(rows);
            }
            if (!reserved && expected > dropped + cut) {
                reserved = true;
                const double rate = static_cast<double>(rows) / static_cast<double>(dropped + cut);
                const auto room = static_cast<std::size_t>(
                    rate * static_cast<double>(std::min<std::uint64_t>(expected, limit)) * 1.0625 + 16);
                try {
                    for (std::size_t s = 0; s < nslots; ++s) {
                        if (valued(c.slots[s])) values[s].reserve(room);
                        if (coded(c.slots[s])) codes[s].reserve(room);
                    }
                } catch (const std::bad_alloc&) {
                }
            }
        }
        if (ended) break;
        // Short records make columns larger than their text (a value of 8 bytes from "1\n"): a
        // decompression bomb of them is stopped by its columns, as the whole text's reading stops
        // it by its text.
        if (static_cast<std::uint64_t>(rows) * width > limit) return std::nullopt;
        if (places_due > 0) lines += count_line_feeds(buf.data.get(), cut, false);
        dropped += cut;
        buf.drop_front(cut);
        begin = 0;
        if (dropped + buf.size > limit) return std::nullopt;
        workers_rest();  // the next piece may have to be waited for
        ended = !fill(buf, std::max(piece_bytes, buf.size + 1), source);
    }
    all.values = std::move(values);
    all.codes = std::move(codes);
    return all;
}

void choose_counted(context& c, const std::vector<char>& unordered, std::size_t begin, std::uint64_t text_bytes) {
    constexpr std::size_t head_rows = counted_head_rows;
    const std::size_t nslots = c.slots.size();
    c.ncounters = 0;
    for (slot_plan& plan : c.slots) plan.counter = -1;
    bool any = false;
    for (std::size_t s = 0; s < nslots; ++s) any = any || (unordered[s] && !c.slots[s].text);
    if (!any) return;
    std::vector<double> head(nslots * head_rows);
    std::vector<slot_out> out(nslots);
    for (std::size_t s = 0; s < nslots; ++s)
        if (!c.slots[s].text) out[s].values = head.data() + s * head_rows;
    chunk_result r;
    const bool release = std::exchange(c.release, false);
    parse_chunk(c, r, out, head_rows, begin, c.text.size());
    c.release = release;
    // Counting pays on many records: a code counter is a few KiB per column and chunk, so a file
    // of few records (estimated from the head's bytes per record) keeps its values, which the
    // caller counts in O(n) (a file of 100,000 columns and 50 rows would otherwise hold
    // gigabytes of counters).
    constexpr std::size_t min_counted_records = 1024;  // a counter is about what 1,100 doubles take
    if (r.rows == 0) return;
    const std::size_t head_bytes = r.stop > begin ? r.stop - begin : 1;
    const std::uint64_t bytes = std::max<std::uint64_t>(text_bytes, c.text.size());
    const double estimated = static_cast<double>(r.rows) * static_cast<double>(bytes - begin) / static_cast<double>(head_bytes);
    if (r.rows < head_rows || estimated < static_cast<double>(min_counted_records)) return;
    for (std::size_t s = 0; s < nslots; ++s) {
        const slot_outcome& o = r.slots[s];
        if (!unordered[s] || c.slots[s].text || r.rows == 0) continue;
        // A column found not to be one of numbers in its head (its values stop there) is left as is.
        if (c.slots[s].bad == slot_plan::on_bad::stop && (o.bad_pos != npos || o.mixed != npos || o.number_before))
            continue;
        if (looks_like_codes(std::span<const double>(out[s].values, r.rows)))
            c.slots[s].counter = static_cast<std::ptrdiff_t>(c.ncounters++);
    }
}

} // namespace driftgate::cli::csv_impl

namespace driftgate::cli {

bool looks_like_codes(std::span<const double> x) {
    std::vector<std::uint64_t> bits;
    for (std::size_t i = 0; i < std::min<std::size_t>(x.size(), 256); ++i)
        if (!std::isnan(x[i])) bits.push_back(std::bit_cast<std::uint64_t>(x[i]));
    std::sort(bits.begin(), bits.end());
    return std::unique(bits.begin(), bits.end()) - bits.begin() <= 64;
}

} // namespace driftgate::cli
