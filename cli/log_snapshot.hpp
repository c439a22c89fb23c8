// driftgate CLI — a prediction log as the current snapshot: drift, proxy, perf and check read a
// JSON-lines log (jsonl.hpp) wherever they read a CSV, through the two calls below.
//
// A file is a log when is_json_lines() says so (the name .jsonl / .ndjson / .jsonl.gz, or the
// content: gzip bytes or a first non-space '{'). Its rows are the requests answered 2xx (the
// others carry no prediction; a note counts them); its columns are the numeric members of the
// input object ([service] input_field, "input") under their own names, the score column (the
// configuration's or --score's name) read from [service] score_field ("prediction.probability")
// and the label column from [service] label_field (none by default). Numbers only: a string
// value in a requested column is an error naming FILE:LINE and the field, or, for a feature chosen
// by default, the column is skipped with a note — as the CSV reader does with a non-numeric
// column. Bad lines follow [service] on_bad_line; skipped ones add a data_quality check.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <driftgate/report.hpp>

#include "config.hpp"
#include "csv.hpp"

namespace driftgate::cli {

/// The column names of a snapshot: the CSV header, or a log's (read_log_header).
[[nodiscard]] std::vector<std::string> read_snapshot_header(const config& c, const std::string& path);

/// Reads `columns` of a snapshot: read_csv on a CSV file (with c.csv), read_log_table on a log
/// (whose columns come back as values in row order, never counted: `unordered` is a hint only the
/// CSV reader uses). Notes and the data-quality check of a log go to `r`. Throws cli_error as the readers do, and
/// exit_code::usage when a log is asked for a label column without [service] label_field.
[[nodiscard]] csv_table read_snapshot(const config& c, const std::string& path, std::span<const std::string> columns,
                                      column_policy policy, std::span<const std::string> unordered, report& r);

/// perf and proxy: a CSV needs the named option (--score, --label); a log has defaults.
/// Throws cli_error(exit_code::usage) for a CSV without it.
void require_option_for_csv(const std::string& path, const std::optional<std::string>& value, const char* option);

} // namespace driftgate::cli
