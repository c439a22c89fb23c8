// driftgate CLI — one pass of the CSV reader over the data records (internal): the chunks
// planned (csv_chunks.hpp), parsed on the worker pool (csv_records.hpp) straight into the rows of
// the final columns, and parsed again when a guess about them was wrong.
#pragma once

#include <cstddef>
#include <cstdint>
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
};

/// Parses the records from byte offset `begin` (the first data record) in `chunks` chunks (one:
/// a single chunk). First with guessed boundaries and capacities (no pass over the file before
/// parsing it); a chunk that fills up makes a parse with each chunk's line feeds counted; a
/// chunk that does not end where the next begins (a quoted line feed across a guessed boundary)
/// makes a parse from boundaries found by quote parity. Errors are left in the chunk results.
/// O(file bytes) per parse.
pass_result run_pass(const context& c, std::size_t begin, unsigned chunks);

/// Sets slot_plan::counter for the number slots with `unordered` set whose first 256 records
/// (parsed here, errors left to the full parse) look like codes (looks_like_codes), and
/// c.ncounters.
void choose_counted(context& c, const std::vector<char>& unordered, std::size_t begin);

} // namespace driftgate::cli::csv_impl
