// driftgate CLI — the configuration: every threshold of SPEC.md, binning, KS options, columns,
// proxy bands, feature importances, per-feature overrides and which checks run.
//
// Loaded from TOML (toml++). Unknown keys and values of the wrong type are errors naming the
// key's path (exit code 65), never ignored. `driftgate config` prints default_config_toml(),
// which loads to exactly the built-in defaults.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <driftgate/binning.hpp>
#include <driftgate/ks.hpp>
#include <driftgate/service.hpp>
#include <driftgate/severity.hpp>

#include "csv.hpp"

namespace driftgate::cli {

/// Per-feature settings that replace the global ones for that column.
struct feature_override {
    std::optional<binning_method> method;
    std::optional<std::size_t> bins;
    std::optional<std::size_t> max_distinct;
    std::optional<std::vector<double>> edges;
    std::optional<double> psi_warning, psi_critical;
    std::optional<double> ks_pvalue_warning, ks_pvalue_critical;
};

/// The whole configuration, defaults = SPEC.md.
struct config {
    std::string source = "(built-in defaults)"; ///< the file it came from
    std::string base_dir;                       ///< the file's directory, for relative input paths

    // [input]
    std::optional<std::string> reference, current;
    csv_options csv;

    // [columns]
    std::vector<std::string> features; ///< empty: every numeric column in both files
    std::vector<std::string> exclude;  ///< columns never treated as features (e.g. an ID)
    std::optional<std::string> score = std::string("score");
    std::optional<std::string> label = std::string("default");

    // [checks]
    bool check_drift = true, check_csi = true, check_performance = true, check_proxies = true;

    // [drift]
    binning_options binning;   ///< method, bins, max_distinct (edges only per feature)
    double epsilon = 1e-4;     ///< PSI smoothing
    std::size_t top_k = spec::psi_top_k;
    ks_options ks;
    rule psi_top = spec::psi(true), psi_other = spec::psi(false);
    rule ks_pvalue = spec::ks_pvalue();
    std::optional<rule> ks_statistic; ///< thresholds on D, off unless configured
    rule csi = spec::csi();

    // [performance]
    double threshold = 0.12;  ///< PD >= threshold predicts default
    double confidence = 0.95; ///< level of every interval
    rule auc = spec::auc(), recall = spec::recall(), precision = spec::precision(),
         ks_classifier = spec::ks_statistic(), brier = spec::brier();

    // [proxy]
    double high_risk_above = 0.50;  ///< high-risk share = share of PD > this
    double approval_below = 0.20;   ///< approval rate = share of PD < this
    band_rule high_risk_share = spec::high_risk_share(), mean_score = spec::mean_score(),
              approval_rate = spec::approval_rate();

    // [importance]
    std::vector<std::pair<std::string, double>> importances;
    // [features.NAME]
    std::map<std::string, feature_override> overrides;

    // [service] and [service.*]: the request log's fields, bad-line policy, windows, thresholds
    service_policy service;

    /// Binning options for one feature (global ones with its overrides applied).
    [[nodiscard]] binning_options binning_for(const std::string& feature) const;
    /// The PSI rule for one feature: critical only within the top-k by importance.
    [[nodiscard]] rule psi_rule_for(const std::string& feature) const;
    /// The KS p-value rule for one feature.
    [[nodiscard]] rule ks_rule_for(const std::string& feature) const;
    /// A path from the configuration, resolved against its directory when relative.
    [[nodiscard]] std::string resolve(const std::string& path) const;
};

/// Loads a configuration file. Throws cli_error: exit_code::no_input when it cannot be read,
/// exit_code::data for a syntax error (with line and column), an unknown key, a wrong type or an
/// out-of-range value (with the key's path).
[[nodiscard]] config load_config(const std::string& path);

/// Parses configuration text; `name` stands for the file in messages.
[[nodiscard]] config parse_config(std::string_view text, const std::string& name);

/// The default configuration as commented TOML (what `driftgate config` prints).
[[nodiscard]] const char* default_config_toml();

} // namespace driftgate::cli
