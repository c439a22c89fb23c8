// driftgate CLI — a plain, one-thread walk over the cells of one column (internal to the CSV
// reader), for what the parallel record parser leaves to afterwards because it is rare: finding
// the first cell of a column that breaks a rule (a boolean among numbers) and the text of a cell
// named in a message.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace driftgate::cli::csv_impl {

/// The content of the field starting at byte offset pos (unquoted, doubled quotes made one, a
/// CR before the line feed dropped; not trimmed). Empty when the field is malformed.
std::string field_at(std::string_view text, std::size_t pos, char delim);

/// Calls f(pos, content) for field j of each record from byte offset `begin` (a record start),
/// in file order, with pos the field's offset and content as field_at gives it, until f returns
/// false, the records end, or a record is malformed (the record parser reports those). A file of
/// `ncols` columns. O(bytes walked).
void for_each_cell(std::string_view text, std::size_t begin, char delim, std::size_t ncols, std::size_t j,
                   const std::function<bool(std::size_t, std::string_view)>& f);

} // namespace driftgate::cli::csv_impl
