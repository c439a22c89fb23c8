// driftgate CLI — the outcome of a run (one row per check) and its renderings: aligned text
// tables for people, one JSON object for scripts (the contract documented in the README).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <driftgate/severity.hpp>

namespace driftgate::cli {

/// One judged check.
struct check_row {
    std::string section;           ///< "drift", "performance", "proxy"
    std::string check;             ///< "psi", "csi", "ks", "auc", "ks_statistic", "recall", ...
    std::string column;            ///< the column checked, empty when none applies
    double value = 0.0;            ///< the judged value (NaN when undefined: see note)
    severity level = severity::ok;
    nlohmann::ordered_json thresholds;     ///< the bounds used
    nlohmann::ordered_json details;        ///< check-specific figures (merged into the JSON object)
    std::string note;              ///< a short remark for people (empty when none)
};

/// Everything a command found.
struct run_report {
    std::string command;
    std::vector<check_row> rows;
    nlohmann::ordered_json inputs = nlohmann::ordered_json::object(); ///< files and sample sizes
    std::vector<std::string> notes;                    ///< run-level remarks (skipped columns, ...)

    /// The worst severity over all rows.
    [[nodiscard]] severity status() const;
};

/// Thresholds of a rule / band as JSON.
[[nodiscard]] nlohmann::ordered_json thresholds_json(const rule& r);
[[nodiscard]] nlohmann::ordered_json thresholds_json(const band_rule& b);

/// The report as one JSON object (README: "JSON output").
[[nodiscard]] nlohmann::ordered_json to_json(const run_report& r, const std::string& fail_on, int exit_code);

/// The report as aligned text tables, one per section, and a one-line verdict.
[[nodiscard]] std::string to_text(const run_report& r, bool color, const std::string& fail_on, int exit_code);

} // namespace driftgate::cli
