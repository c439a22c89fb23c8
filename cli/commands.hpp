// driftgate CLI — the commands: read the snapshots into profiles, evaluate them with the
// library's policy, return the report. No statistics and no policy here: every number and every
// severity comes from include/driftgate (evaluate.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <driftgate/report.hpp>

#include "config.hpp"

namespace driftgate {
inline namespace v0 {
struct profile;  // profile.hpp
} // namespace v0
} // namespace driftgate

namespace driftgate::cli {

/// Command-line values that override the configuration (empty / nullopt: keep it).
struct overrides {
    std::optional<std::string> reference, current;
    std::vector<std::string> columns;
    std::optional<std::string> score, label;
    std::optional<double> threshold;
    std::optional<char> delimiter;
    std::optional<unsigned> threads;
    bool multivariate = false;  ///< --multivariate: sets [checks] multivariate
    std::vector<std::string> segments;  ///< --segment COL: added to [segments] columns
    std::optional<std::string> time_column, window;  ///< --time-column, --window: set [windows]
};

/// Applies command-line overrides to a configuration. Throws cli_error(exit_code::usage) when the
/// score and the label name the same column.
void apply(config& c, const overrides& o);

/// The score column against the reference's header: a score named (--score, [columns] score;
/// config::score_named) that the header lacks is exit 65 before anything is judged, as a feature
/// named in --columns is; the default name "score" absent gives the note returned, that the
/// score's drift (CSI) is not judged. `reference` names the file in the message. A gate fails
/// closed: a misspelt score name quietly dropped CSI. With `stored`, the reference as profiled: a
/// saved profile whose header names the score but which holds none of its values is the same
/// error (named) or note (the default). Used by drift, check, profile build and the Python module.
[[nodiscard]] std::optional<std::string> score_column_note(const config& c, const std::vector<std::string>& header,
                                                          const std::string& reference,
                                                          const driftgate::profile* stored = nullptr);

/// `drift REFERENCE CURRENT`: schema, data quality, PSI and a distribution test per feature, CSI
/// on the score. REFERENCE may be a saved profile.
[[nodiscard]] report run_drift_command(const config& c, const std::string& reference, const std::string& current);

/// `perf DATA`: AUC with its DeLong interval, KS statistic, recall, precision, Brier.
[[nodiscard]] report run_perf_command(const config& c, const std::string& data);

/// `proxy DATA`: high-risk share, mean score and approval rate against their bands.
[[nodiscard]] report run_proxy_command(const config& c, const std::string& data);

/// `estimate DATA`: performance estimated from the calibrated PDs of DATA's score column (no
/// labels needed), judged with the [performance] thresholds; with a labelled `reference` (a CSV),
/// also the calibration check of the PDs on it.
[[nodiscard]] report run_estimate_command(const config& c, const std::string& data, const std::string& reference);

/// The files `check` reads, by role ("reference", "current"), resolved as run_check_command
/// resolves them; known before anything is read (main.cpp refuses an output that names one).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> check_command_inputs(const config& c);

/// `check`: everything the configuration asks for, on its reference and current files.
[[nodiscard]] report run_check_command(const config& c);

} // namespace driftgate::cli
