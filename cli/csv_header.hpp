// driftgate CLI — the CSV reader's header record (internal): parsing the first record into the
// column names, and where the data records begin.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace driftgate::cli::csv_impl {

struct header_record {
    std::vector<std::string> names;
    std::size_t data_begin = 0;  // offset of the first data record
};

/// Parses the header record of `text` (`name` stands for the file in messages); throws
/// cli_error(exit_code::data) for an empty file, a blank first line, bad quoting and duplicate
/// names, cli_error(exit_code::usage) for a delimiter that cannot be one. O(header bytes).
header_record parse_header_record(std::string_view text, const std::string& name, char delim);

} // namespace driftgate::cli::csv_impl
