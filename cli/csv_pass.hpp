// driftgate CLI — one pass of the CSV reader over the data records (internal): the chunks
// planned (csv_chunks.hpp), parsed on the worker pool (csv_records.hpp) straight into the rows of
// the final columns, and parsed again when a guess about them was wrong.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv.hpp"
#include "csv_records.hpp"

namespace driftgate::cli::csv_impl {

/// The reader's access to csv_table's private parts.
struct table_access {
    /// Builds the table's index of its names (csv_table::by_name_).
    static void index_names(csv_table& t);
    /// Sets the line of the first data record and the records holding quoted line feeds (from
    /// the chunks' notes, in file order) for csv_table::line_of_record.
    static void set_lines(csv_table& t, std::size_t first_line, const std::vector<chunk_result>& chunks);
};

/// What one pass produced. Chunk k wrote its records from row at[k] of each column; the rows
/// between its last record and at[k + 1] are gaps, closed when the columns are assembled.
struct pass_result {
    std::vector<chunk_result> results;              // per chunk, in file order
    std::vector<std::size_t> at;                    // per chunk: its first row in the columns
    std::vector<std::vector<double>> values;        // per slot: number columns not counted
    std::vector<std::vector<std::uint32_t>> codes;  // per slot: text columns with codes
    // Per slot, from run_pieces (whose text is gone when the table is assembled): the first bad
    // cell read as missing, as "FILE:LINE:COL" and its text shown; empty strings when none.
    std::vector<std::pair<std::string, std::string>> first_bad;
};

/// True for a slot whose values a pass writes to pass_result::values (a number column not counted).
bool valued(const slot_plan& plan);
/// True for a slot whose codes a pass writes to pass_result::codes (a text column with codes).
bool coded(const slot_plan& plan);

/// Parses the records from byte offset `begin` (the first data record) in `chunks` chunks (one:
/// a single chunk). First with guessed boundaries and capacities (no pass over the file before
/// parsing it); a chunk that fills up makes a parse with each chunk's line feeds counted; a
/// chunk that does not end where the next begins (a quoted line feed across a guessed boundary)
/// makes a parse from boundaries found by quote parity. Errors are left in the chunk results.
/// O(file bytes) per parse.
///
/// With `values` and `codes` (the columns of the text before, first_row rows each, taken over),
/// the records are written after those rows: at[0] is first_row.
pass_result run_pass(const context& c, std::size_t begin, unsigned chunks, std::size_t first_row = 0,
                     std::vector<std::vector<double>>* values = nullptr,
                     std::vector<std::vector<std::uint32_t>>* codes = nullptr);

/// Text handed out in order (a compressed file's, as it is decompressed): copies up to `cap`
/// bytes to `out` and returns how many, 0 at its end.
using text_source = std::function<std::size_t(char* out, std::size_t cap)>;

/// Text parsed at once by run_pieces (16 MiB): a piece is the records ending in about this many
/// bytes. A variable only for the tests, which cut pieces a few records long.
inline std::size_t piece_bytes = std::size_t{16} << 20;

/// Files read whole in pieces (parse_streamed returned a table), for the tests.
inline std::atomic<std::size_t> pieced_reads{0};

/// Text held in a buffer that grows without zero-filling (the pieces of run_pieces).
struct text_buffer {
    std::unique_ptr<char[]> data;
    std::size_t size = 0, capacity = 0;
    [[nodiscard]] std::string_view view() const { return {data.get(), size}; }
    /// Room for n bytes, the text kept. O(size) when it grows.
    void reserve(std::size_t n);
    /// Drops the first n bytes (the rest moved to the front). O(size - n).
    void drop_front(std::size_t n);
};

/// Appends text from `source` to `buf` until it holds at least `target` bytes; false when the
/// source ended first. O(bytes appended).
bool fill(text_buffer& buf, std::size_t target, const text_source& source);

/// The offset after the last line feed outside quotes in [begin, text.size()) (`begin` being a
/// record boundary), found from quote parity, or npos when there is none. O(text - begin).
std::size_t last_record_end(std::string_view text, std::size_t begin);

/// A pass over text that is never held whole (a compressed file's). `buf` holds the text from
/// the start of the file, at least piece_bytes of it or all of it (`ended`), and `c` is set up
/// on it; the records from `begin` are parsed piece by piece: each piece the records ending in
/// about piece_bytes of text (last_record_end), parsed by run_pass in choose_chunks(threads,
/// bytes) chunks, its values written after the previous piece's rows, its text then dropped
/// from `buf`. `expected`: the text's announced length (0: unknown), for reserving the columns.
/// Memory: the columns, a piece (more when one record is longer) and what the source holds.
///
/// Returns the pass as run_pass would give it for the whole text, without gaps (at[k] is the
/// rows of the chunks before k), with the place and text of each slot's first bad cell read as
/// missing (pass_result::first_bad), or nullopt as soon as the text would have to be read again
/// for a message: an error in a chunk, a boolean in a number column with a number before it in
/// its chunk (or the reverse; an automatic column's cells are left to the caller, which reads it
/// again as text), blank lines before the end of the text, or text or columns beyond `limit`
/// bytes. c.text is left on the last piece, which `buf` holds. O(text).
std::optional<pass_result> run_pieces(context& c, text_buffer& buf, bool ended, std::size_t begin,
                                      const text_source& source, unsigned threads, std::uint64_t expected,
                                      std::size_t limit);

/// Records at the head of a file that choose_counted looks at.
inline constexpr std::size_t counted_head_rows = 256;

/// Sets slot_plan::counter for the number slots with `unordered` set whose first 256 records
/// (parsed here, errors left to the full parse) look like codes (looks_like_codes), and
/// c.ncounters. A file of few records keeps its values: their number is estimated from the
/// head's bytes per record and the text's length, `text_bytes` when larger than c.text (the
/// length a compressed file announces, when c.text is its first piece).
void choose_counted(context& c, const std::vector<char>& unordered, std::size_t begin, std::uint64_t text_bytes = 0);

} // namespace driftgate::cli::csv_impl
