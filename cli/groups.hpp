// driftgate CLI — a snapshot's rows in groups, each profiled as a snapshot of its own: the time
// windows of a time column ([windows], --window) and the segments of a column ([segments],
// --segment). The groups' checks are the library's (evaluate.hpp) on those profiles; this file
// only says which row belongs where and gathers the rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <driftgate/profile.hpp>
#include <driftgate/windows.hpp>

#include "config.hpp"
#include "csv.hpp"
#include "snapshot.hpp"

namespace driftgate::cli {

/// A partition of a table's rows.
struct row_groups {
    std::string column;              ///< the column that made them ("" for windows of N rows)
    std::vector<std::string> names;  ///< in report order: windows in time order, segments in order of first appearance
    std::vector<std::uint32_t> of;   ///< per row: its group's index into names
};

/// Reads what `req` asks for from the CSV at `path`, every column in row order (profile_csv reads
/// the profiled ones as unordered samples), plus `extra` columns: each read as `extra_kinds` says,
/// and one the file lacks named with `extra_setting`, the option and key that asked for it. The
/// score and label rows are checked as profile_csv checks them. Cost: one read of the columns.
[[nodiscard]] csv_table read_for_groups(const std::string& path, const snapshot_request& req, const std::vector<std::string>& extra,
                                        const std::vector<cell_kind>& extra_kinds, const char* extra_setting,
                                        const config& c);

/// The windows of the table's rows (see windows.hpp): windows of `w.rows` rows in file order, or
/// the calendar windows of `time_column` (loaded as text), in time order. A missing or unreadable
/// time is an error naming its cell (exit 65): a row that cannot be placed is never dropped.
/// Cost: O(rows) plus one parse per distinct time text.
[[nodiscard]] row_groups window_groups(const csv_table& t, const driftgate::window_spec& w, const std::string& time_column);

/// The segments of the table's rows by the values of `column` ("SEX=2"; numbers as the shortest
/// text that reads back; the missing cells "SEX (missing)", a name no value's can equal), in
/// order of first appearance; more than `max_values` distinct values (the missing cells aside)
/// is an error (exit 65). With `edges` (e0 < ... < eK), the numeric column's bands instead, in
/// ascending order, each named by its interval ("AGE=(-inf, 25)", "AGE=[25, 35)", ...,
/// "AGE=[60, inf)"; "AGE (missing)" last), those without rows left out; a text column is an
/// error (exit 65). Cost: O(rows), O(rows log K) with edges.
[[nodiscard]] row_groups value_groups(const csv_table& t, const std::string& column, std::size_t max_values,
                                      const std::vector<double>* edges = nullptr);

/// One profile per group, as profile_csv would make it of a file holding only that group's rows
/// (the requested columns, the score and, with req.label, its classes), except that cells read
/// as missing under on_bad_value = "missing" are not counted per group (the whole file's data
/// quality says how many). Groups and columns are profiled on the worker pool.
[[nodiscard]] std::vector<driftgate::profile> profile_groups(const csv_table& t, const row_groups& g, const snapshot_request& req,
                                                             const config& c);

} // namespace driftgate::cli
