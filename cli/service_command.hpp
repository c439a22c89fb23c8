// driftgate CLI — `driftgate service LOG...`: service health from the scoring API's prediction
// logs (JSON lines, plain or gzip): latency quantiles, 4xx / 5xx error rates, requests per second,
// predictions per day and the sustained rules, overall and per model version. The reader is
// jsonl.hpp, every figure and severity comes from driftgate/service.hpp.
#pragma once

#include <string>
#include <vector>

#include <driftgate/report.hpp>

#include "config.hpp"
#include "jsonl.hpp"

namespace CLI {
class App;
}

namespace driftgate::cli {

/// The command line of `service`.
struct service_arguments {
    std::vector<std::string> logs;  ///< files, "-" or shell-style patterns, read in this order
    std::string by;                 ///< "" or "model_version": rows per model version too
};

/// The data-quality check of the lines a reader skipped as bad (skip mode): section
/// "data_quality", name "bad_log_lines", value = the number of bad lines, a warning when there is
/// any; the reasons and the first places in its details. `column`: what was read (may be empty).
[[nodiscard]] check bad_lines_check(const bad_line_summary& bad, const std::string& column = "");

/// Adds the arguments and options of `service` to its subcommand.
void add_service_options(CLI::App& sub, service_arguments& args);

/// Runs `service`: reads the logs with c.service's fields and bad-line policy, judges them with
/// its thresholds. `progress`: show reading progress on standard error (a terminal only).
/// Throws cli_error: exit 66 for a missing log or a pattern matching nothing, 65 for a bad line
/// (error mode), bad gzip data or a log without any request, 64 for a file given twice.
[[nodiscard]] report run_service_command(const config& c, const service_arguments& args, bool progress);

} // namespace driftgate::cli
