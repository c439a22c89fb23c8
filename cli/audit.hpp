// driftgate CLI — the audit record of a run: for each input file its size and modification time
// (and with --audit its SHA-256), for the configuration its path and the SHA-256 of its resolved
// content. Gathered before the run reads its inputs and added to the report's `inputs`, so that
// every format shows it.
#pragma once

#include <string>
#include <vector>

#include <driftgate/report.hpp>

#include "commands.hpp"
#include "output.hpp"

namespace driftgate::cli {

/// Size (size_bytes), modification time (modified, RFC 3339 UTC) and, when `hash`, the SHA-256
/// (sha256) of a regular file; for another kind of file (a pipe) its kind (type) only, never
/// read. Null when the file does not exist (the run then stops on it). Throws cli_error
/// (exit_code::no_input) when a file to hash cannot be read.
[[nodiscard]] field input_record(const std::string& path, bool hash);

/// The configuration's record: its path (null for the built-in defaults), size and modification
/// time, and resolved_sha256: the SHA-256 of the file's bytes followed by a line
/// "# command-line overrides" and one line per override ("current = /data/x.csv"), so that two
/// runs of one driftgate version with the same digest used the same settings.
[[nodiscard]] field config_record(const std::string& path, const std::vector<std::string>& lines);

/// The command-line values that change the configuration, one "key = value" line each (for
/// config_record's digest).
[[nodiscard]] std::vector<std::string> override_lines(const overrides& o);

/// Adds the records of `inputs` to the report's inputs: each role's table present in the report
/// gains the record's fields; the configuration (role "config") is added as a table of its own.
void add_records(report& r, const std::vector<std::pair<std::string, field>>& records);

} // namespace driftgate::cli
