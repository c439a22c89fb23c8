// driftgate CLI — one pass of the CSV reader over the data records: see csv_pass.hpp.
#include "csv_pass.hpp"
#include "csv.hpp"
#include "csv_chunks.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>

namespace driftgate::cli::csv_impl {

pass_result run_pass(const context& c, std::size_t begin, unsigned n) {
    const std::string_view text = c.text;
    const std::size_t nslots = c.slots.size();
    pass_result pass;
    pass.values.resize(nslots);
    pass.codes.resize(nslots);
    std::vector<std::size_t> valued, coded;  // slots written to value columns, to code columns
    for (std::size_t s = 0; s < nslots; ++s) {
        if (!c.slots[s].text && c.slots[s].counter < 0) valued.push_back(s);
        if (c.slots[s].text && c.slots[s].codes) coded.push_back(s);
    }
    // The values go straight to their place in the columns: chunk k's records are at most its
    // line feeds (one more when it ends at the end of the file, whose last line may have none), so
    // chunk k writes from row at[k] = the bounds of the chunks before it, and the gaps left by
    // chunks with fewer records (blank lines, quoted line feeds) are closed afterwards.
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
        pass.at.assign(chunks + 1, 0);
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

void choose_counted(context& c, const std::vector<char>& unordered, std::size_t begin) {
    constexpr std::size_t head_rows = 256;
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
    const double estimated = static_cast<double>(r.rows) * static_cast<double>(c.text.size() - begin) / static_cast<double>(head_bytes);
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
