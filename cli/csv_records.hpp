// driftgate CLI — the CSV reader's record parser (internal): parses the data records of one
// chunk of the file (a byte range starting at a record boundary), checking their structure and
// converting the requested fields. Each chunk runs on its own thread with its own chunk_result;
// csv.cpp plans the chunks (csv_chunks.hpp) and merges their results.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <driftgate/sample.hpp>

#include "category_table.hpp"
#include "csv_text.hpp"
#include "number_parse.hpp"

namespace driftgate::cli::csv_impl {

/// How a requested column (a slot) is read.
struct slot_plan {
    /// A number column's answer to a cell that is neither a number, a boolean token nor missing.
    enum class on_bad : unsigned char {
        fail,     ///< an error at its place
        missing,  ///< a missing value, counted (slot_outcome::bad_count)
        stop,     ///< the column is not a number column: stop converting it (slot_outcome::bad_pos)
    };
    std::size_t column = 0;          // 0-based header index
    bool text = false;               // categories (text) instead of numbers
    bool codes = true;               // text: one code per record (false: categories and counts only)
    on_bad bad = on_bad::fail;       // number columns
    std::ptrdiff_t counter = -1;     // number columns: index of its code_counter when counted as read
};

/// Everything a chunk parser needs, shared read-only by the threads.
struct context {
    std::string_view text;
    const char* base = nullptr;
    const char* fin = nullptr;
    const std::string* name = nullptr;
    const std::vector<std::string>* header = nullptr;
    char delim = ',';
    std::size_t ncols = 0;
    std::vector<std::ptrdiff_t> slot;  // per header column: its slot, or -1 when not requested
    std::vector<slot_plan> slots;      // per slot
    const cell_tokens* tokens = nullptr;
    std::size_t ncounters = 0;         // slots counted as read (slot_plan::counter)
    // The text is a private read-only map of a file: pages already parsed may be dropped
    // (drop_pages: MADV_DONTNEED re-reads them from the file if they are touched again, e.g. for
    // an error message's line number), so that the file does not stay resident next to its columns.
    bool release = false;
    std::array<bool, 256> special{};  // bytes that stop an unquoted field: delimiter, LF, quote
};

/// Where a chunk writes a slot's value of each record (row counted from the chunk's first).
struct slot_out {
    double* values = nullptr;        // number columns not counted as read
    std::uint32_t* codes = nullptr;  // text columns with codes
};

/// What one chunk saw in a number slot, besides its values.
struct slot_outcome {
    std::size_t bad_pos = npos;     // first bad cell (on_bad::missing or stop)
    std::size_t bad_count = 0;      // on_bad::missing: bad cells read as missing
    std::size_t first_bool = npos;  // first boolean cell
    bool number_before = false;     // a number came before first_bool
    std::size_t mixed = npos;       // first number after first_bool
};

/// What one chunk saw in a text slot (its codes are local indices into `table`).
struct text_outcome {
    category_table table;
    std::size_t missing = 0;
};

/// One chunk's count of a counted slot: small integers (codes) in a direct table, other values
/// in a distinct_counter, NaN apart. Past 256 other distinct values the rest of the chunk's
/// values are kept as they are (`spill`): the column then comes back as values.
struct code_counter {
    // small[256 * w + i]: occurrences of the integer i - 128 (not -0.0) among the values added
    // with way w: four tables, so that a run of equal codes is counted without each increment
    // waiting for the previous one.
    std::array<std::size_t, 4 * 256> small{};
    driftgate::distinct_counter other;
    std::size_t missing = 0;
    std::vector<double> spill;
    bool spilled = false;

    /// Counts v, with way w (0..3; any, but consecutive values best on different ways).
    void add(double v, std::size_t w) {
        if (v >= -128.0 && v < 128.0) {
            const int i = static_cast<int>(v);
            if (std::bit_cast<std::uint64_t>(static_cast<double>(i)) == std::bit_cast<std::uint64_t>(v)) {
                ++small[256 * w + static_cast<std::size_t>(i + 128)];
                return;
            }
        }
        if (std::isnan(v)) ++missing;
        else if (spilled || !other.add(v)) {
            spilled = true;
            spill.push_back(v);
        }
    }

    /// Calls f(value, count) for each counted value (not the spill nor the missing values).
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < 256; ++i)
            if (const std::size_t n = small[i] + small[256 + i] + small[512 + i] + small[768 + i]; n != 0)
                f(static_cast<double>(static_cast<int>(i) - 128), n);
        other.for_each_ascending(f);
    }
};

/// One chunk's outcome (a cache line apart from the next chunk's: the threads write them side by side).
struct alignas(64) chunk_result {
    std::size_t rows = 0;
    std::size_t stop = 0;       // offset where parsing stopped
    bool trailing = false;      // stopped on trailing blank lines (the rest of the file)
    bool full = false;          // stopped before a record beyond the chunk's capacity
    std::size_t err_pos = npos;  // first error: where (a byte offset), in which field (1-based),
    std::size_t err_field = 0;   // whether it names that field's column, and what
    bool err_named = false;
    std::string err_msg;
    std::vector<slot_outcome> slots;     // per slot (number slots)
    std::vector<text_outcome> texts;     // per slot (text slots)
    std::vector<code_counter> counters;  // counted slots (slot_plan::counter)
    // The records holding line feeds in quoted fields: (record, counted from the chunk's first;
    // its line feeds inside quotes), in order.
    std::vector<std::pair<std::size_t, std::size_t>> breaks;
};

/// Parses the records starting in [begin, end) of c.text, writing the value (or code) of slot s
/// of each record to out[s] at its row (counted from 0 in this chunk; room for `capacity`
/// records; counted slots go to r.counters, text slots without codes only to r.texts). Stops at
/// the first error (r.err_pos, r.err_field, r.err_named, r.err_msg), at trailing blank lines (r.trailing), or
/// before a record beyond the capacity (r.full); r.stop is where it stopped and r.rows the
/// records parsed. O(end - begin).
///
/// Booleans: a number slot's first boolean cell is noted with whether a number came before it
/// in this chunk; from then on the slot's cells are classified one by one and the first number
/// is noted (slot_outcome::mixed). Whether the column mixes numbers and booleans is decided
/// across the chunks by the caller.
void parse_chunk(const context& c, chunk_result& r, std::vector<slot_out> out, std::size_t capacity,
                 std::size_t begin, std::size_t end);

} // namespace driftgate::cli::csv_impl
