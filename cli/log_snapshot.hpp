// driftgate CLI — a prediction log as a snapshot: drift, proxy, perf and check read a JSON-lines
// log (jsonl.hpp) wherever they read a CSV, profiled as snapshot.hpp profiles a CSV.
//
// A file is a log when is_json_lines() says so (the name .jsonl / .ndjson / .jsonl.gz, or the
// content: gzip bytes or a first non-space '{'). Its rows are the requests answered 2xx (the
// others carry no prediction; a note counts them); its columns are the members of the input
// object ([service] input_field, "input") under their own names, the score column (the
// configuration's or --score's name) read from [service] score_field ("prediction.probability")
// and the label column from [service] label_field (none by default). Numbers only (true/false
// as 1/0, null as missing): a string in a column read as numbers is an error naming
// FILE:LINE:COLUMN and the field; a column the reference holds as texts, or one chosen as
// numbers-or-texts, that holds a string is left out with a note (evaluate then judges the
// feature missing). Bad lines follow [service] on_bad_line; skipped ones add a data-quality
// check.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <driftgate/profile.hpp>
#include <driftgate/report.hpp>

#include "config.hpp"
#include "snapshot.hpp"

namespace driftgate::cli {

/// What reading a log adds to a report besides its profile.
struct log_findings {
    std::vector<std::string> notes;        ///< requests without a prediction, columns left out
    std::optional<driftgate::check> bad_lines; ///< on_bad_line = "skip": the data-quality check
};

/// The column names of a log read as a snapshot with configuration `c` (read_log_header).
[[nodiscard]] std::vector<std::string> log_header(const std::string& path, const config& c);

/// Reads and profiles a log as profile_csv does a CSV: the rows' label and score checked row by
/// row (labels 0 or 1, a score where there is a label, probabilities in [0, 1]), each error naming
/// FILE:LINE:COLUMN. Throws cli_error: exit 65 for bad content, 64 for a label asked of a log
/// without [service] label_field.
[[nodiscard]] driftgate::profile profile_log(const std::string& path, const snapshot_request& req, const config& c,
                                             log_findings& found);

/// Adds the findings to a report (notes, then the bad-lines check).
void add_findings(driftgate::report& r, const log_findings& found);

/// perf, proxy and estimate: a CSV needs its score (label) column named, by the option (--score,
/// --label) or by the configuration's key ([columns] score, label: `named`); a log has defaults.
/// Throws cli_error(exit_code::usage) for a CSV without it.
void require_column_for_csv(const std::string& path, bool named, const char* option, const char* key);

} // namespace driftgate::cli
