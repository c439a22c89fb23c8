// driftgate — the monitoring policy: which columns are monitored and how, every threshold and its
// severity, per-feature overrides, feature importances (the top-k rule), multiple-testing
// correction, and which checks run. Everything `driftgate check` decides, as one value a C++
// service can build in code (or from TOML through policy_toml.hpp) and hand to evaluate().
//
// The defaults are the monitoring design's thresholds (docs/policy.md lists every check, its
// threshold and severity). Every key a configuration file may set is declared once, in the table
// of policy_keys.hpp, which also writes `driftgate config` and the README's reference table.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "driftgate/binning.hpp"
#include "driftgate/core.hpp"
#include "driftgate/ks.hpp"
#include "driftgate/multiple_testing.hpp"
#include "driftgate/severity.hpp"
#include "driftgate/windows.hpp"

namespace driftgate {
inline namespace v0 {

/// How a monitored column is judged (docs/policy.md, "column kinds"):
///   continuous   numbers with more than `max_distinct` distinct reference values: quantile bins, KS;
///   discrete     numbers (codes, flags, booleans read as 1/0) with at most that many: one bin per
///                value plus an unseen-value bin, chi-square;
///   categorical  texts: one bin per category plus an unseen-value bin, chi-square.
enum class column_kind { continuous, discrete, categorical };

[[nodiscard]] constexpr const char* to_string(column_kind k) noexcept {
    switch (k) {
    case column_kind::continuous: return "continuous";
    case column_kind::discrete: return "discrete";
    case column_kind::categorical: return "categorical";
    }
    return "unknown";
}

/// The distribution test of a feature: `automatic` is KS for continuous and chi-square for
/// discrete and categorical columns.
enum class drift_test { automatic, ks, chi2 };

[[nodiscard]] constexpr const char* to_string(drift_test t) noexcept {
    switch (t) {
    case drift_test::automatic: return "auto";
    case drift_test::ks: return "ks";
    case drift_test::chi2: return "chi2";
    }
    return "unknown";
}

/// How an effect-size threshold (KS D, Cramér's V, normalised Wasserstein, Jensen–Shannon) meets
/// the p-value rule of the same feature: `either` — the worse of the two judgements (an effect
/// threshold adds alarms); `both` — the milder of the two (a shift must be significant *and*
/// large: this silences significant but negligible shifts at large n).
enum class effect_gate { either, both };

[[nodiscard]] constexpr const char* to_string(effect_gate g) noexcept { return g == effect_gate::either ? "either" : "both"; }

/// What the score column holds: a probability of default in [0, 1], or scorecard points (any
/// real number; rank metrics only).
enum class score_kind { probability, points };

[[nodiscard]] constexpr const char* to_string(score_kind k) noexcept {
    return k == score_kind::probability ? "probability" : "points";
}

/// What to do with a cell of a numeric column that is neither a number nor a missing-value token.
enum class bad_value_policy { error, missing };

[[nodiscard]] constexpr const char* to_string(bad_value_policy b) noexcept { return b == bad_value_policy::error ? "error" : "missing"; }

/// Ticks per second of a log's instants.
enum class time_unit : std::int64_t { seconds = 1, milliseconds = 1000, microseconds = 1000000 };

/// What a log reader does with a line it cannot use.
enum class bad_line_policy {
    error, ///< stop at the first one, naming its file and line
    skip,  ///< count it (and keep a few examples), report a data-quality check
};

[[nodiscard]] constexpr const char* to_string(bad_line_policy b) noexcept { return b == bad_line_policy::error ? "error" : "skip"; }

/// A sustained rule of the service checks: a window is above when its figure is strictly above
/// `above`; a run of service_settings::sustained_windows consecutive windows above is a breach
/// of `level` (info from one window above).
struct sustained_rule {
    double above = 0.0;
    severity level = severity::critical;
};

/// Warning and critical bounds of one rule; an unset bound is not judged.
struct thresholds {
    std::optional<double> warning, critical;
};

/// A rule with a target (missing it is `info`) besides its alert bounds.
struct target_thresholds {
    std::optional<double> target, warning, critical;
};

/// Per-feature settings that replace the global ones for that column ([features.NAME]).
struct feature_policy {
    std::optional<column_kind> kind;
    std::optional<drift_test> test;
    std::optional<binning_method> binning;
    std::optional<std::size_t> bins, max_distinct;
    std::optional<std::vector<double>> edges;
    std::optional<double> psi_warning, psi_critical;
    std::optional<double> pvalue_warning, pvalue_critical;  ///< the feature's KS or chi-square test
};

/// The whole policy. Defaults: the monitoring design's (docs/policy.md).
struct policy {
    /// [input]: how snapshots are read (file locations are for tools that read files; evaluate()
    /// ignores them).
    struct input_settings {
        std::string reference, current;  ///< snapshot paths ("" = none), relative to the configuration
        std::string delimiter = ",";
        std::vector<std::string> missing_values{"", "NA", "NaN", "null"};
        std::vector<std::string> true_values{"true", "yes"}, false_values{"false", "no"};
        bad_value_policy on_bad_value = bad_value_policy::error;
    } input;

    /// [columns]
    struct column_settings {
        std::vector<std::string> features;  ///< empty: every named reference column but score, label, exclude
        std::vector<std::string> exclude;   ///< never features (IDs, dates)
        std::string score = "score";        ///< "" = none
        std::string label = "default";      ///< "" = none
    } columns;

    /// [checks]: which groups of checks run (schema checks always run).
    struct check_settings {
        bool drift = true, csi = true, performance = true, proxies = true, data_quality = true;
        bool multivariate = false;  ///< PCA reconstruction error over the numeric features (the CLI's --multivariate)
    } checks;

    /// [drift]
    struct drift_settings {
        binning_method binning = binning_method::automatic;
        std::size_t bins = 10;          ///< quantile / uniform bins
        std::size_t max_distinct = 20;  ///< at most this many distinct reference values: discrete
        double epsilon = 1e-4;          ///< PSI smoothing
        std::size_t top_k = 5;          ///< PSI critical only for the top-k features by importance
        drift_test test = drift_test::automatic;
        ks_method ks = ks_method::automatic;
        alternative ks_alternative = alternative::two_sided;
        correction pvalue_correction = correction::none;
        effect_gate gate = effect_gate::either;
        thresholds psi{0.10, 0.25}, csi{0.10, 0.25};
        thresholds ks_pvalue{0.05, 0.01}, chi2_pvalue{0.05, 0.01};
        thresholds ks_statistic, cramers_v, wasserstein, jensen_shannon;  ///< effect sizes, off by default
    } drift;

    /// [schema]: severities of schema changes.
    struct schema_settings {
        severity missing_feature = severity::warning;   ///< a monitored feature absent from the current file
        severity missing_important = severity::critical; ///< ... that is top-k, configured, or the score
        severity new_column = severity::info;            ///< a column only the current file has
        severity kind_changed = severity::critical;      ///< numbers became booleans or texts, ...
    } schema;

    /// [data_quality]
    struct data_quality_settings {
        thresholds missing_share{0.05, 0.20};  ///< increase of the missing share over the reference's
        double missing_pvalue = 0.01;          ///< ... judged only when the two-proportion test's p is below this
        thresholds out_of_range{0.01, 0.05};   ///< share of current values outside the reference's [min, max]
        thresholds unseen{0.001, 0.01};        ///< share of current values never seen in the reference (discrete, categorical)
        severity constant = severity::warning;     ///< a column that became constant
        severity all_missing = severity::critical; ///< a column with no value at all in the current file
        severity bad_values = severity::warning;   ///< cells read as missing under on_bad_value = "missing"
    } data_quality;

    /// [performance]
    struct performance_settings {
        /// Score >= threshold predicts default (<= with higher_is_riskier = false). Unset: the
        /// SPEC's 0.12 for probabilities; points have no such default (decision_threshold()).
        std::optional<double> threshold;
        double confidence = 0.95;  ///< DeLong and Wilson intervals
        score_kind kind = score_kind::probability;
        bool higher_is_riskier = true;
        bool required = false;     ///< a current file without the label column is a breach, not a note
        target_thresholds auc{std::nullopt, 0.78, 0.75}, recall{0.87, 0.80, std::nullopt},
            precision{0.31, 0.25, std::nullopt}, ks_statistic{0.42, std::nullopt, 0.35},
            brier{0.14, 0.18, std::nullopt};

        /// The threshold recall and precision are judged at: `threshold`, else 0.12 for
        /// probabilities (docs/policy.md, Performance). Throws errc::invalid_parameter for points
        /// without one: 0.12 is a probability, and every scorecard score would be judged at it.
        [[nodiscard]] double decision_threshold() const {
            if (threshold) return *threshold;
            if (kind == score_kind::probability) return 0.12;
            throw error(errc::invalid_parameter, "policy",
                        "key 'performance.score_kind': \"points\" needs a decision threshold in the score's own units "
                        "([performance] threshold, or --threshold): recall and precision are judged at it, and the "
                        "default 0.12 is a probability");
        }
    } performance;

    /// [proxy]
    struct proxy_settings {
        double confidence = 0.95;
        double high_risk_above = 0.50, approval_below = 0.20;
        band_rule high_risk_share = spec::high_risk_share(), mean_score = spec::mean_score(),
                  approval_rate = spec::approval_rate();
    } proxy;

    /// [segments]: every check also per value (or band) of these columns; fairness across them (fairness.hpp).
    struct segment_settings {
        std::vector<std::string> columns;  ///< segment columns (--segment adds to them)
        std::size_t min_rows = 100;        ///< a smaller segment is reported, not judged
        std::size_t max_values = 50;       ///< a column with more distinct values is refused
        /// [segments.NAME] edges: the numeric segment column NAME cut into bands (-inf, e0),
        /// [e0, e1), ..., [eK, inf) instead of one segment per value.
        std::map<std::string, std::vector<double>> edges;
    } segments;

    /// [windows]: every check also per time window of the current snapshot (windows.hpp).
    struct window_settings {
        std::string time_column;    ///< each row's ISO 8601 date or date-time ("": none); never a feature
        std::string window;         ///< "day", "week", "month" or a number of rows; "": no windows
        std::size_t min_rows = 100; ///< a smaller window is reported (its size), not judged
        /// Whether rows are placed in day, week or month windows by time_column (which is then
        /// never a feature).
        [[nodiscard]] bool by_time() const noexcept {
            const auto w = parse_window(window);
            return w && w->active() && w->by != window_spec::unit::rows && !time_column.empty();
        }
    } windows;

    /// [fairness]: across the segments of each segment column (fairness.hpp).
    struct fairness_settings {
        thresholds disparate_impact{0.8, std::nullopt};    ///< lowest / highest approval rate < bound
        thresholds equal_opportunity{0.1, std::nullopt};   ///< largest gap in approval of label-0 rows > bound
    } fairness;

    /// [estimate]: performance estimated from calibrated PDs before the labels arrive (cbpe.hpp);
    /// the estimates are judged with the [performance] thresholds.
    struct estimate_settings {
        std::size_t calibration_groups = 10;     ///< score bands of the Hosmer-Lemeshow check
        thresholds calibration_pvalue{0.05, 0.01}; ///< Hosmer-Lemeshow p < bound
    } estimate;

    /// [multivariate]: PCA reconstruction error over the numeric features (pca_drift.hpp).
    struct multivariate_settings {
        double explained_variance = 0.65;  ///< fewest components whose cumulative explained variance reaches this
        std::size_t chunks = 10;           ///< reference chunks whose errors give the thresholds
        double sigmas = 3.0;               ///< thresholds: mean +- sigmas x sd of the chunks' errors
        severity level = severity::warning; ///< severity of an error outside the thresholds
    } multivariate;

    /// [service]: the scoring API's prediction log (`driftgate service`, and a log read as the
    /// current snapshot). Field paths are dotted paths into each JSON line. Thresholds: a value
    /// at or beyond `target` is info, strictly beyond `warning` / `critical` an alert (above for
    /// latencies and error rates, below for requests per second and predictions per day).
    struct service_settings {
        std::string timestamp_field = "timestamp";        ///< RFC 3339 text, or a number in numeric_timestamp_unit
        time_unit numeric_timestamp_unit = time_unit::seconds; ///< unit of numeric timestamps (seconds or ms)
        std::string latency_field = "latency_ms";         ///< milliseconds
        std::string status_field = "status";              ///< HTTP status code
        std::string model_version_field = "model_version";
        std::string input_field = "input";                ///< object of the features (the log as a snapshot)
        std::string score_field = "prediction.probability"; ///< the PD (the log as a snapshot); "" = none
        std::string label_field;                          ///< 0/1 outcome (the log as a snapshot); "" = none
        bad_line_policy on_bad_line = bad_line_policy::error;

        std::int64_t window_seconds = 60;  ///< window length of the sustained rules (1 to 86400)
        std::size_t sustained_windows = 5; ///< consecutive windows above a bound that make a breach (>= 1)
        double confidence = 0.95;          ///< level of the error rates' Wilson intervals

        target_thresholds latency_p50{100.0, 150.0, std::nullopt};   ///< ms
        target_thresholds latency_p95{std::nullopt, 200.0, 300.0};   ///< ms
        target_thresholds latency_p99{500.0, 1000.0, std::nullopt};  ///< ms
        target_thresholds error_rate_4xx{0.01, std::nullopt, 0.05};
        target_thresholds error_rate_5xx{0.001, 0.01, 0.05};
        target_thresholds requests_per_second{10.0, 5.0, std::nullopt};    ///< below
        target_thresholds predictions_per_day{1000.0, 500.0, std::nullopt}; ///< below, the lowest UTC day
        sustained_rule latency_p95_sustained{300.0, severity::critical};    ///< a window's P95 above 300 ms
        sustained_rule error_rate_sustained{0.05, severity::critical};      ///< a window's error rate above 5%
    } service;

    /// [importance]: feature importances for the top-k rule, in the order given.
    std::vector<std::pair<std::string, double>> importance;

    /// [features.NAME]
    std::map<std::string, feature_policy> features;

    // ---- derived settings ----------------------------------------------------------------

    /// The overrides of one feature (an empty set when it has none).
    [[nodiscard]] const feature_policy& feature(std::string_view name) const {
        static const feature_policy none;
        const auto it = features.find(std::string(name));
        return it == features.end() ? none : it->second;
    }
    /// Whether `name` is among the top-k features by importance (a feature without a listed
    /// importance, and every feature when none is listed, counts as top-k: a gate fails closed).
    [[nodiscard]] bool top_k(std::string_view name) const { return in_top_k(importance, name, drift.top_k); }
    /// Binning options of one feature.
    [[nodiscard]] binning_options binning_for(std::string_view name) const {
        const feature_policy& f = feature(name);
        binning_options b;
        b.method = f.binning.value_or(drift.binning);
        b.bins = f.bins.value_or(drift.bins);
        b.max_distinct = f.max_distinct.value_or(drift.max_distinct);
        if (f.edges) {
            b.method = binning_method::edges;
            b.edges = *f.edges;
        }
        return b;
    }
    /// Distinct values up to which a numeric feature is discrete.
    [[nodiscard]] std::size_t max_distinct_for(std::string_view name) const {
        return feature(name).max_distinct.value_or(drift.max_distinct);
    }
    /// The PSI rule of one feature: critical only within the top-k.
    [[nodiscard]] rule psi_rule(std::string_view name) const {
        const feature_policy& f = feature(name);
        rule r{direction::above, std::nullopt, std::nullopt, std::nullopt};
        if (const auto w = f.psi_warning ? f.psi_warning : drift.psi.warning) r.warning = bound{*w, true};
        if (top_k(name))
            if (const auto c = f.psi_critical ? f.psi_critical : drift.psi.critical) r.critical = bound{*c, true};
        return r;
    }
    /// The p-value rule of one feature's distribution test (p < bound).
    [[nodiscard]] rule pvalue_rule(std::string_view name, drift_test t) const {
        const feature_policy& f = feature(name);
        const thresholds& g = t == drift_test::chi2 ? drift.chi2_pvalue : drift.ks_pvalue;
        return below_rule(f.pvalue_warning ? f.pvalue_warning : g.warning, f.pvalue_critical ? f.pvalue_critical : g.critical,
                          false);
    }

    /// A rule "value >= bound" (inclusive) or "value > bound" from thresholds.
    [[nodiscard]] static rule above_rule(const thresholds& t, bool inclusive = true) {
        rule r{direction::above, std::nullopt, std::nullopt, std::nullopt};
        if (t.warning) r.warning = bound{*t.warning, inclusive};
        if (t.critical) r.critical = bound{*t.critical, inclusive};
        return r;
    }
    /// A rule "value < bound" (strict) or "value <= bound".
    [[nodiscard]] static rule below_rule(std::optional<double> warning, std::optional<double> critical, bool inclusive) {
        rule r{direction::below, std::nullopt, std::nullopt, std::nullopt};
        if (warning) r.warning = bound{*warning, inclusive};
        if (critical) r.critical = bound{*critical, inclusive};
        return r;
    }
    /// A performance rule: below the target is info, below warning/critical an alert (strict),
    /// or above for `above` metrics (Brier).
    [[nodiscard]] static rule target_rule(const target_thresholds& t, direction d) {
        rule r{d, std::nullopt, std::nullopt, std::nullopt};
        if (t.target) r.info = bound{*t.target, false};
        if (t.warning) r.warning = bound{*t.warning, false};
        if (t.critical) r.critical = bound{*t.critical, false};
        return r;
    }
};

/// A rule with only a severity and no bound (schema and data-quality events): `level` when the
/// event happened.
[[nodiscard]] inline rule event_rule(severity level) {
    rule r{direction::above, std::nullopt, std::nullopt, std::nullopt};
    const bound b{0.0, false};  // value > 0: the event happened
    if (level == severity::info) r.info = b;
    if (level == severity::warning) r.warning = b;
    if (level == severity::critical) r.critical = b;
    return r;
}

namespace detail {

/// A column name without what a reader cannot see: white space and byte-order marks (U+FEFF) at
/// either end, ASCII letters in lower case.
[[nodiscard]] inline std::string name_folded(std::string_view s) {
    const std::string_view bom = "\xEF\xBB\xBF";
    for (bool trimmed = true; trimmed;) {
        trimmed = false;
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1), trimmed = true;
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1), trimmed = true;
        if (s.substr(0, 3) == bom) s.remove_prefix(3), trimmed = true;
        if (s.size() >= 3 && s.substr(s.size() - 3) == bom) s.remove_suffix(3), trimmed = true;
    }
    std::string out(s);
    for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

} // namespace detail

/// Whether a column name is no name: empty, or only white space and byte-order marks (what
/// pandas' `to_csv` writes for its index, and a delimiter ending every line makes). Such a column
/// can be neither configured nor reported by name: it is not monitored (is_automatic_feature)
/// and a configuration may not name it (validate, parse_policy_toml).
[[nodiscard]] inline bool is_unnamed(std::string_view name) { return detail::name_folded(name).empty(); }

namespace detail {
inline void check_order(const thresholds& t, bool above, const std::string& key) {
    if (t.warning && t.critical && (above ? *t.warning > *t.critical : *t.warning < *t.critical))
        throw error(errc::invalid_parameter, "policy",
                    "key '" + key + "': warning (" + shortest(*t.warning) + ") and critical (" +
                        shortest(*t.critical) + ") are in the wrong order (critical must be " +
                        (above ? "at or above" : "at or below") + " warning)");
}
/// A feature's own bounds (`w`, `c`: [features.NAME] psi_* or pvalue_*) against the ones it
/// inherits for those it leaves out (`inherited`, the key `from`): the bounds it is judged by.
inline void check_feature_order(const std::string& name, const char* what, std::optional<double> w, std::optional<double> c,
                                const thresholds& inherited, const char* from, bool above) {
    if (!w && !c) return;
    const std::optional<double> ew = w ? w : inherited.warning, ec = c ? c : inherited.critical;
    if (!ew || !ec || !(above ? *ew > *ec : *ew < *ec)) return;
    const std::string inherited_from = std::string(", from ") + from;
    throw error(errc::invalid_parameter, "policy",
                "key 'features." + name + "': " + what + "_warning (" + shortest(*ew) + (w ? "" : inherited_from) + ") and " +
                    what + "_critical (" + shortest(*ec) + (c ? "" : inherited_from) +
                    ") are in the wrong order (critical must be " + (above ? "at or above" : "at or below") + " warning)");
}
inline void check_order(const target_thresholds& t, bool above, const std::string& key) {
    check_order(thresholds{t.warning, t.critical}, above, key);
    const std::optional<double> alert = t.warning ? t.warning : t.critical;
    if (t.target && alert && (above ? *t.target > *alert : *t.target < *alert))
        throw error(errc::invalid_parameter, "policy",
                    "key '" + key + "': the target (" + shortest(*t.target) +
                        ") is beyond an alert bound (" + shortest(*alert) + ")");
}
} // namespace detail

/// Whether `c` can separate CSV fields: any one ASCII character but a quote, a line end, and those
/// that numbers are written with (letters, for exponents and "inf", digits, '.', '+', '-'), which
/// would split a number into fields. A byte of 0x80 and above is part of a UTF-8 character ("§"
/// is C2 A7): as a separator it would cut such characters in two.
[[nodiscard]] constexpr bool separates_fields(char c) noexcept {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return static_cast<unsigned char>(c) < 0x80 && !alnum && c != '.' && c != '+' && c != '-' && c != '"' && c != '\n' &&
           c != '\r' && c != '\0';
}

/// Checks what single keys cannot: bounds in the wrong order (warning above critical for a rule
/// that alerts above), a score column that is also the label, a label or score listed as a
/// feature, a band whose low is above its high, a cell text in two of the missing, true and false
/// token lists. Throws driftgate::error(errc::invalid_parameter)
/// naming the key. Cost: O(features + keys).
inline void validate(const policy& p) {
    using detail::check_order;
    check_order(p.drift.psi, true, "drift.psi");
    check_order(p.fairness.disparate_impact, false, "fairness.disparate_impact");
    check_order(p.fairness.equal_opportunity, true, "fairness.equal_opportunity");
    check_order(p.drift.csi, true, "drift.csi");
    check_order(p.drift.ks_pvalue, false, "drift.ks_pvalue");
    check_order(p.drift.chi2_pvalue, false, "drift.chi2_pvalue");
    check_order(p.drift.ks_statistic, true, "drift.ks_statistic");
    check_order(p.drift.cramers_v, true, "drift.cramers_v");
    check_order(p.drift.wasserstein, true, "drift.wasserstein");
    check_order(p.drift.jensen_shannon, true, "drift.jensen_shannon");
    check_order(p.data_quality.missing_share, true, "data_quality.missing_share");
    check_order(p.data_quality.out_of_range, true, "data_quality.out_of_range");
    check_order(p.data_quality.unseen, true, "data_quality.unseen");
    check_order(p.performance.auc, false, "performance.auc");
    check_order(p.performance.recall, false, "performance.recall");
    check_order(p.performance.precision, false, "performance.precision");
    check_order(p.performance.ks_statistic, false, "performance.ks_statistic");
    check_order(p.performance.brier, true, "performance.brier");
    check_order(p.estimate.calibration_pvalue, false, "estimate.calibration_pvalue");
    for (const auto& [name, b] : {std::pair{"proxy.high_risk_share", &p.proxy.high_risk_share},
                                  std::pair{"proxy.mean_score", &p.proxy.mean_score},
                                  std::pair{"proxy.approval_rate", &p.proxy.approval_rate}})
        if (b->low > b->high)
            throw error(errc::invalid_parameter, "policy", std::string("key '") + name + "': low is above high");
    for (const auto& [name, f] : p.features) {
        if (is_unnamed(name))
            throw error(errc::invalid_parameter, "policy",
                        "key 'features': a [features.\"" + name + "\"] section names no column (a column with no name is not monitored)");
        detail::check_feature_order(name, "psi", f.psi_warning, f.psi_critical, p.drift.psi, "drift.psi", true);
        // The p-value bounds of the feature's test; with the test left automatic, of either.
        if (f.test != drift_test::chi2)
            detail::check_feature_order(name, "pvalue", f.pvalue_warning, f.pvalue_critical, p.drift.ks_pvalue, "drift.ks_pvalue", false);
        if (f.test != drift_test::ks)
            detail::check_feature_order(name, "pvalue", f.pvalue_warning, f.pvalue_critical, p.drift.chi2_pvalue, "drift.chi2_pvalue",
                                        false);
        if (f.kind == column_kind::categorical && f.test == drift_test::ks)
            throw error(errc::invalid_parameter, "policy",
                        "key 'features." + name + ".test': KS needs ordered values; a categorical column takes chi2");
        if (f.edges) {
            const auto& e = *f.edges;
            bool ok = e.size() >= 2;
            for (std::size_t i = 0; ok && i < e.size(); ++i) ok = std::isfinite(e[i]) && (i == 0 || e[i] > e[i - 1]);
            if (!ok)
                throw error(errc::invalid_parameter, "policy",
                            "key 'features." + name + ".edges': at least two finite, strictly increasing numbers");
        }
    }
    const auto& sv = p.service;
    check_order(sv.latency_p50, true, "service.latency_p50");
    check_order(sv.latency_p95, true, "service.latency_p95");
    check_order(sv.latency_p99, true, "service.latency_p99");
    check_order(sv.error_rate_4xx, true, "service.error_rate_4xx");
    check_order(sv.error_rate_5xx, true, "service.error_rate_5xx");
    check_order(sv.requests_per_second, false, "service.requests_per_second");
    check_order(sv.predictions_per_day, false, "service.predictions_per_day");
    // The severity of a finding: "ok" would show it as ok (a dropped column, a column with no
    // value left, as "OK" and exit 0); info notes it without failing any --fail-on.
    for (const auto& [key, level] :
         {std::pair{"service.latency_p95_sustained.severity", sv.latency_p95_sustained.level},
          std::pair{"service.error_rate_sustained.severity", sv.error_rate_sustained.level},
          std::pair{"schema.missing_feature", p.schema.missing_feature}, std::pair{"schema.missing_important", p.schema.missing_important},
          std::pair{"schema.new_column", p.schema.new_column}, std::pair{"schema.kind_changed", p.schema.kind_changed},
          std::pair{"data_quality.constant", p.data_quality.constant}, std::pair{"data_quality.all_missing", p.data_quality.all_missing},
          std::pair{"data_quality.bad_values", p.data_quality.bad_values}, std::pair{"multivariate.severity", p.multivariate.level},
          std::pair{"proxy.high_risk_share.severity", p.proxy.high_risk_share.breach},
          std::pair{"proxy.mean_score.severity", p.proxy.mean_score.breach},
          std::pair{"proxy.approval_rate.severity", p.proxy.approval_rate.breach}})
        if (level == severity::ok)
            throw error(errc::invalid_parameter, "policy",
                        std::string("key '") + key + "': \"ok\" would never report a breach, and show the finding as ok (info "
                                                     "notes it without failing; warning or critical)");
    for (const auto& [name, path, may_be_empty] :
         {std::tuple{"timestamp_field", &sv.timestamp_field, false}, std::tuple{"latency_field", &sv.latency_field, false},
          std::tuple{"status_field", &sv.status_field, false}, std::tuple{"model_version_field", &sv.model_version_field, false},
          std::tuple{"input_field", &sv.input_field, false}, std::tuple{"score_field", &sv.score_field, true},
          std::tuple{"label_field", &sv.label_field, true}}) {
        const std::string& f = *path;
        if (f.empty() && !may_be_empty)
            throw error(errc::invalid_parameter, "policy", std::string("key 'service.") + name + "': a field path cannot be empty");
        if (!f.empty() && (f.front() == '.' || f.back() == '.' || f.find("..") != std::string::npos))
            throw error(errc::invalid_parameter, "policy",
                        std::string("key 'service.") + name + "': \"" + f +
                            "\" is not a dotted field path such as \"prediction.probability\"");
    }
    for (const auto& [name, e] : p.segments.edges) {
        bool ok = !e.empty();
        for (std::size_t i = 0; ok && i < e.size(); ++i) ok = std::isfinite(e[i]) && (i == 0 || e[i] > e[i - 1]);
        if (!ok)
            throw error(errc::invalid_parameter, "policy",
                        "key 'segments." + name + ".edges': at least one finite number, strictly increasing");
    }
    // A cell text in two of the token lists would be read two ways: refused. Tokens are compared
    // as the reader compares boolean tokens, trimmed and ASCII case-insensitively.
    {
        const auto folded = [](std::string_view t) {
            while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
            while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
            std::string out(t);
            for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
            return out;
        };
        const std::pair<const char*, const std::vector<std::string>*> lists[] = {
            {"missing_values", &p.input.missing_values}, {"true_values", &p.input.true_values}, {"false_values", &p.input.false_values}};
        for (std::size_t a = 0; a < 3; ++a)
            for (std::size_t b = a + 1; b < 3; ++b)
                for (const auto& x : *lists[a].second)
                    for (const auto& y : *lists[b].second)
                        if (folded(x) == folded(y))
                            throw error(errc::invalid_parameter, "policy",
                                        std::string("key 'input.") + lists[b].first + "': \"" + y + "\" is also in input." +
                                            lists[a].first + " (\"" + x + "\"): a cell would read two ways");
    }
    const auto& w = p.windows;
    const std::optional<window_spec> ws = parse_window(w.window);
    if (!ws)
        throw error(errc::invalid_parameter, "policy",
                    "key 'windows.window': \"" + w.window + "\" is not \"day\", \"week\", \"month\" or a positive number of rows");
    if (ws->active() && ws->by != window_spec::unit::rows && w.time_column.empty())
        throw error(errc::invalid_parameter, "policy",
                    "key 'windows.window': \"" + w.window + "\" windows need the column of each row's date (windows.time_column, --time-column)");
    if (!w.time_column.empty()) {
        for (const auto& [what, name] : {std::pair{"score", &p.columns.score}, std::pair{"label", &p.columns.label}})
            if (*name == w.time_column)
                throw error(errc::invalid_parameter, "policy",
                            "key 'windows.time_column': the time column \"" + w.time_column + "\" is also the " + what +
                                " column");
        if (std::find(p.columns.features.begin(), p.columns.features.end(), w.time_column) != p.columns.features.end())
            throw error(errc::invalid_parameter, "policy",
                        "key 'windows.time_column': the time column \"" + w.time_column +
                            "\" is listed as a feature (columns.features): it places rows in windows");
    }
    if (const auto& t = p.performance.threshold; t && !std::isfinite(*t))
        throw error(errc::invalid_parameter, "policy", "key 'performance.threshold': " + detail::shortest(*t) + " is not a finite number");
    if (const auto& t = p.performance.threshold; t && p.performance.kind == score_kind::probability && !(*t >= 0.0 && *t <= 1.0))
        throw error(errc::invalid_parameter, "policy",
                    "key 'performance.threshold': " + detail::shortest(*t) +
                        " is outside [0, 1], and scores are probabilities (score_kind = \"points\" takes any finite threshold)");
    const auto& c = p.columns;
    // "" means none; a name of white space alone would match no column and pass as "none" quietly
    // (a label named " " skipped the performance checks as if labels had not arrived yet).
    for (const auto& [key, name] : {std::pair{"columns.score", &c.score}, std::pair{"columns.label", &c.label},
                                    std::pair{"windows.time_column", &p.windows.time_column}})
        if (!name->empty() && is_unnamed(*name))
            throw error(errc::invalid_parameter, "policy",
                        std::string("key '") + key + "': \"" + *name + "\" is no column name (\"\" means none)");
    for (const auto& [key, names] : {std::pair{"columns.features", &c.features}, std::pair{"segments.columns", &p.segments.columns}})
        for (std::size_t i = 0; i < names->size(); ++i)
            if (is_unnamed((*names)[i]))
                throw error(errc::invalid_parameter, "policy",
                            std::string("key '") + key + "': name " + std::to_string(i + 1) + " (\"" + (*names)[i] +
                                "\") is no column name (a column with no name is not monitored)");
    for (const auto& [name, weight] : p.importance) {
        (void)weight;
        if (is_unnamed(name))
            throw error(errc::invalid_parameter, "policy",
                        "key 'importance': an entry (\"" + name + "\") names no column (a column with no name is not monitored)");
    }
    if (!c.score.empty() && c.score == c.label)
        throw error(errc::invalid_parameter, "policy",
                    "key 'columns.label': the score and the label are the same column \"" + c.score + "\" (columns.score, "
                    "columns.label)");
    for (const auto& f : c.features) {
        if (!c.label.empty() && f == c.label)
            throw error(errc::invalid_parameter, "policy",
                        "key 'columns.features': the label column \"" + f +
                            "\" is listed as a feature: a feature must not be the outcome");
        if (!c.score.empty() && f == c.score)
            throw error(errc::invalid_parameter, "policy",
                        "key 'columns.features': the score column \"" + f +
                            "\" is listed as a feature: its drift is the CSI check");
    }
    std::vector<std::string_view> segments(p.segments.columns.begin(), p.segments.columns.end());
    std::sort(segments.begin(), segments.end());
    if (const auto twice = std::adjacent_find(segments.begin(), segments.end()); twice != segments.end())
        throw error(errc::invalid_parameter, "policy",
                    "key 'segments.columns': column \"" + std::string(*twice) + "\" is listed twice");
    for (const auto& g : p.segments.columns)
        if (!g.empty() && (g == c.score || g == c.label))
            throw error(errc::invalid_parameter, "policy",
                        "key 'segments.columns': \"" + g + "\" is the " + (g == c.score ? "score" : "label") +
                            " column: it cannot segment the rows");
    // A feature also excluded: which one was meant is a guess (features won, with no word).
    for (const auto& f : c.features)
        if (std::find(c.exclude.begin(), c.exclude.end(), f) != c.exclude.end())
            throw error(errc::invalid_parameter, "policy",
                        "key 'columns.exclude': column \"" + f + "\" is also listed as a feature (columns.features): keep "
                        "it in one of the two");
    std::vector<std::string_view> sorted(c.features.begin(), c.features.end());
    std::sort(sorted.begin(), sorted.end());
    if (const auto twice = std::adjacent_find(sorted.begin(), sorted.end()); twice != sorted.end())
        throw error(errc::invalid_parameter, "policy",
                    "key 'columns.features': column \"" + std::string(*twice) + "\" is listed twice");
    if (p.input.delimiter.size() != 1 || !separates_fields(p.input.delimiter[0]))
        throw error(errc::invalid_parameter, "policy",
                    "key 'input.delimiter': \"" + p.input.delimiter + "\" is not a field separator (one ASCII character; "
                    "not a letter, a digit, '.', '+', '-', a quote or a line end)");
}

} // namespace v0
} // namespace driftgate
