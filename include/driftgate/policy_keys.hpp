// driftgate — the table of configuration keys: every setting of a policy, declared once with its
// place in the configuration (TOML table and key), type, range, default and help text.
//
// The one table drives everything that reads or describes a setting: policy_toml.hpp reads TOML
// through it, default_policy_toml() writes `driftgate config` from it, and policy_keys_markdown()
// the README's reference table (a test keeps the README equal to it), so a key cannot be
// documented in one place and read in another. Per-feature keys live in the table "features.*"
// ([features.NAME] in a file); feature importances are the free-form table [importance].
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "driftgate/policy.hpp"

namespace driftgate {
inline namespace v0 {

/// The value of one setting: nothing (an optional setting that is off), a number, an integer, a
/// boolean, a text (also the name of a choice), a list of texts or a list of numbers.
using setting = std::variant<std::monostate, double, std::int64_t, bool, std::string, std::vector<std::string>,
                             std::vector<double>>;

/// What a key holds.
enum class setting_type { number, integer, boolean, text, choice, texts, numbers };

[[nodiscard]] constexpr const char* to_string(setting_type t) noexcept {
    switch (t) {
    case setting_type::number: return "a number";
    case setting_type::integer: return "an integer";
    case setting_type::boolean: return "a boolean";
    case setting_type::text: return "a string";
    case setting_type::choice: return "a string";
    case setting_type::texts: return "an array of strings";
    case setting_type::numbers: return "an array of numbers";
    }
    return "a value";
}

/// One configuration key.
struct policy_key {
    std::string_view table;   ///< "drift.psi"; "features.*" for [features.NAME] ("segments.*" likewise); "importance"
    std::string_view name;    ///< "warning"; "*" for the free-form names of [importance]
    setting_type type = setting_type::number;
    double min = -std::numeric_limits<double>::infinity(), max = std::numeric_limits<double>::infinity();
    std::vector<std::string_view> choices;  ///< the names a choice accepts
    bool optional = false;    ///< off unless set (printed commented out, with `example`)
    std::string_view example; ///< a value shown for an optional key
    std::string_view unset = "off";  ///< what an optional key left unset means (the README's default column)
    std::string_view help;
    setting (*get)(const policy&, const std::string& feature) = nullptr;
    void (*set)(policy&, const std::string& feature, const setting&) = nullptr;

    /// Whether the key belongs to a table per name ([features.NAME], [segments.NAME]).
    [[nodiscard]] bool per_name() const noexcept { return table.size() > 2 && table.substr(table.size() - 2) == ".*"; }

    /// "table.name" (for [features.NAME]: "features.NAME.name").
    [[nodiscard]] std::string path(const std::string& feature = {}) const {
        std::string t(table);
        if (per_name()) t = t.substr(0, t.size() - 1) + (feature.empty() ? std::string("NAME") : feature);
        return name == "*" ? t + "." + (feature.empty() ? std::string("NAME") : feature) : t + "." + std::string(name);
    }
};

namespace detail {

// ---- the names of choices -------------------------------------------------------------------
template <class E>
struct choice_names;  // {name, value} pairs of an enum that a configuration names

#define DRIFTGATE_CHOICES(E, ...)                                                                  \
    template <>                                                                                    \
    struct choice_names<E> {                                                                       \
        static const std::vector<std::pair<std::string_view, E>>& items() {                        \
            static const std::vector<std::pair<std::string_view, E>> v{__VA_ARGS__};               \
            return v;                                                                              \
        }                                                                                          \
    };
DRIFTGATE_CHOICES(binning_method, {"auto", binning_method::automatic}, {"quantile", binning_method::quantile},
                  {"uniform", binning_method::uniform}, {"distinct", binning_method::distinct})
DRIFTGATE_CHOICES(column_kind, {"continuous", column_kind::continuous}, {"discrete", column_kind::discrete},
                  {"categorical", column_kind::categorical})
DRIFTGATE_CHOICES(drift_test, {"auto", drift_test::automatic}, {"ks", drift_test::ks}, {"chi2", drift_test::chi2})
DRIFTGATE_CHOICES(ks_method, {"auto", ks_method::automatic}, {"exact", ks_method::exact}, {"asymp", ks_method::asymptotic})
DRIFTGATE_CHOICES(alternative, {"two-sided", alternative::two_sided}, {"less", alternative::less},
                  {"greater", alternative::greater})
DRIFTGATE_CHOICES(correction, {"none", correction::none}, {"bonferroni", correction::bonferroni},
                  {"holm", correction::holm}, {"bh", correction::bh})
DRIFTGATE_CHOICES(effect_gate, {"either", effect_gate::either}, {"both", effect_gate::both})
DRIFTGATE_CHOICES(score_kind, {"probability", score_kind::probability}, {"points", score_kind::points})
DRIFTGATE_CHOICES(bad_value_policy, {"error", bad_value_policy::error}, {"missing", bad_value_policy::missing})
DRIFTGATE_CHOICES(severity, {"ok", severity::ok}, {"info", severity::info}, {"warning", severity::warning},
                  {"critical", severity::critical})
DRIFTGATE_CHOICES(time_unit, {"s", time_unit::seconds}, {"ms", time_unit::milliseconds})
DRIFTGATE_CHOICES(bad_line_policy, {"error", bad_line_policy::error}, {"skip", bad_line_policy::skip})
#undef DRIFTGATE_CHOICES

template <class T>
concept named_choice = requires { choice_names<T>::items(); };

template <class T>
struct unwrap_optional {
    using type = T;
    static constexpr bool optional = false;
};
template <class T>
struct unwrap_optional<std::optional<T>> {
    using type = T;
    static constexpr bool optional = true;
};

// ---- member <-> setting ---------------------------------------------------------------------
template <class T>
[[nodiscard]] setting to_setting(const T& v) {
    if constexpr (unwrap_optional<T>::optional) {
        return v ? to_setting(*v) : setting{};
    } else if constexpr (named_choice<T>) {
        for (const auto& [name, value] : choice_names<T>::items())
            if (value == v) return std::string(name);
        return setting{};
    } else if constexpr (std::is_same_v<T, bool>) {
        return v;
    } else if constexpr (std::is_integral_v<T>) {
        return static_cast<std::int64_t>(v);
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<double>(v);
    } else {
        return v;  // std::string, std::vector<std::string>, std::vector<double>
    }
}

template <class T>
void from_setting(const setting& s, T& out) {
    if constexpr (unwrap_optional<T>::optional) {
        if (std::holds_alternative<std::monostate>(s)) {
            out.reset();
        } else {
            typename unwrap_optional<T>::type v{};
            from_setting(s, v);
            out = std::move(v);
        }
    } else if constexpr (named_choice<T>) {
        const auto& name = std::get<std::string>(s);
        for (const auto& [n, value] : choice_names<T>::items())
            if (n == name) {
                out = value;
                return;
            }
        throw error(errc::invalid_parameter, "policy", "\"" + name + "\" is not a choice of this key");
    } else if constexpr (std::is_same_v<T, bool>) {
        out = std::get<bool>(s);
    } else if constexpr (std::is_integral_v<T>) {
        out = static_cast<T>(std::get<std::int64_t>(s));
    } else if constexpr (std::is_floating_point_v<T>) {
        out = std::holds_alternative<std::int64_t>(s) ? static_cast<T>(std::get<std::int64_t>(s)) : static_cast<T>(std::get<double>(s));
    } else {
        out = std::get<T>(s);
    }
}

template <class T>
[[nodiscard]] constexpr setting_type type_of() {
    using U = typename unwrap_optional<T>::type;
    if constexpr (named_choice<U>) return setting_type::choice;
    else if constexpr (std::is_same_v<U, bool>) return setting_type::boolean;
    else if constexpr (std::is_integral_v<U>) return setting_type::integer;
    else if constexpr (std::is_floating_point_v<U>) return setting_type::number;
    else if constexpr (std::is_same_v<U, std::string>) return setting_type::text;
    else if constexpr (std::is_same_v<U, std::vector<std::string>>) return setting_type::texts;
    else return setting_type::numbers;
}

template <class T>
[[nodiscard]] policy_key make_key(std::string_view table, std::string_view name, double min, double max,
                                  std::string_view example, std::string_view help,
                                  setting (*get)(const policy&, const std::string&),
                                  void (*set)(policy&, const std::string&, const setting&)) {
    using U = typename unwrap_optional<T>::type;
    policy_key k;
    k.table = table;
    k.name = name;
    k.type = type_of<T>();
    k.min = min;
    k.max = max;
    if constexpr (named_choice<U>)
        for (const auto& item : choice_names<U>::items()) k.choices.push_back(item.first);
    k.optional = unwrap_optional<T>::optional;
    k.example = example;
    k.help = help;
    k.get = get;
    k.set = set;
    return k;
}

inline constexpr double inf = std::numeric_limits<double>::infinity();

// A key of the policy itself: `MEMBER` is an expression on `p`.
#define DRIFTGATE_KEY(TABLE, NAME, MEMBER, MIN, MAX, EXAMPLE, HELP)                                     \
    detail::make_key<std::remove_cvref_t<decltype(std::declval<policy&>().MEMBER)>>(                   \
        TABLE, NAME, MIN, MAX, EXAMPLE, HELP,                                                          \
        [](const policy& p, const std::string&) { return detail::to_setting(p.MEMBER); },               \
        [](policy& p, const std::string&, const setting& s) { detail::from_setting(s, p.MEMBER); })
// A key of [features.NAME]: `MEMBER` is an expression on a feature_policy.
#define DRIFTGATE_FEATURE_KEY(NAME, MEMBER, MIN, MAX, EXAMPLE, HELP)                                    \
    detail::make_key<std::remove_cvref_t<decltype(std::declval<feature_policy&>().MEMBER)>>(           \
        "features.*", NAME, MIN, MAX, EXAMPLE, HELP,                                                   \
        [](const policy& p, const std::string& f) { return detail::to_setting(p.feature(f).MEMBER); }, \
        [](policy& p, const std::string& f, const setting& s) { detail::from_setting(s, p.features[f].MEMBER); })

} // namespace detail

/// Every configuration key, in the order `driftgate config` prints them.
[[nodiscard]] inline const std::vector<policy_key>& policy_keys() {
    using detail::inf;
    static const std::vector<policy_key> keys = [] {
        std::vector<policy_key> k{
            // [input]
            DRIFTGATE_KEY("input", "reference", input.reference, 0, 0, "", "reference snapshot or profile for `check`, relative to this file (\"\": none)"),
            DRIFTGATE_KEY("input", "current", input.current, 0, 0, "", "current snapshot for `check`, relative to this file (\"\": none)"),
            DRIFTGATE_KEY("input", "delimiter", input.delimiter, 0, 0, "", "field separator: \",\", \";\", \"|\", \"\\t\" or another sign (not a letter, a digit, \".\", \"+\" or \"-\")"),
            DRIFTGATE_KEY("input", "missing_values", input.missing_values, 0, 0, "", "missing-value tokens, case-insensitive, after trimming spaces"),
            DRIFTGATE_KEY("input", "true_values", input.true_values, 0, 0, "", "tokens read as 1 in a column of booleans (case-insensitive; none may be a false or missing token too)"),
            DRIFTGATE_KEY("input", "false_values", input.false_values, 0, 0, "", "tokens read as 0 in a column of booleans (case-insensitive)"),
            DRIFTGATE_KEY("input", "on_bad_value", input.on_bad_value, 0, 0, "", "a cell of a numeric column that is not a number: \"error\" (exit 65, FILE:LINE:COL) or \"missing\" (counted, a data-quality check)"),
            // [columns]
            DRIFTGATE_KEY("columns", "features", columns.features, 0, 0, "", "feature columns; [] = every named column of the reference but score, label and exclude (one the current file lacks: [schema] missing_feature)"),
            DRIFTGATE_KEY("columns", "exclude", columns.exclude, 0, 0, "", "columns never treated as features (IDs, dates); a name in neither file is an error"),
            DRIFTGATE_KEY("columns", "score", columns.score, 0, 0, "", "the model's score column (\"\": none)"),
            DRIFTGATE_KEY("columns", "label", columns.label, 0, 0, "", "the 0/1 outcome column, 1 = default (\"\": none, no performance checks)"),
            // [checks]
            DRIFTGATE_KEY("checks", "drift", checks.drift, 0, 0, "", "PSI and a distribution test per feature"),
            DRIFTGATE_KEY("checks", "csi", checks.csi, 0, 0, "", "CSI on the score column"),
            DRIFTGATE_KEY("checks", "performance", checks.performance, 0, 0, "", "AUC, classifier KS, recall, precision, Brier (when the current file has labels)"),
            DRIFTGATE_KEY("checks", "proxies", checks.proxies, 0, 0, "", "high-risk share, mean score, approval rate"),
            DRIFTGATE_KEY("checks", "data_quality", checks.data_quality, 0, 0, "", "missing shares, out-of-range and unseen values against the reference"),
            DRIFTGATE_KEY("checks", "multivariate", checks.multivariate, 0, 0, "", "PCA reconstruction error over the numeric features (as `--multivariate`; needs the reference CSV, not a profile)"),
            // [drift]
            DRIFTGATE_KEY("drift", "binning", drift.binning, 0, 0, "", "continuous features: auto (= quantile), quantile, uniform, distinct"),
            DRIFTGATE_KEY("drift", "bins", drift.bins, 2, 10000, "", "bins for quantile / uniform binning (at least 2: one bin compares nothing)"),
            DRIFTGATE_KEY("drift", "max_distinct", drift.max_distinct, 1, 100000, "", "a numeric feature with at most this many distinct reference values is discrete (one bin per value, chi-square)"),
            DRIFTGATE_KEY("drift", "epsilon", drift.epsilon, 1e-12, 0.5, "", "PSI smoothing: share used for a bin empty in one sample"),
            DRIFTGATE_KEY("drift", "top_k", drift.top_k, 0, 1000000, "", "PSI is critical only for the top-k features by [importance]"),
            DRIFTGATE_KEY("drift", "test", drift.test, 0, 0, "", "distribution test: auto (KS for continuous, chi2 for discrete and categorical), ks, chi2"),
            DRIFTGATE_KEY("drift", "ks_method", drift.ks, 0, 0, "", "KS p-value: auto (exact when max(n1, n2) <= 10000), exact, asymp"),
            DRIFTGATE_KEY("drift", "ks_alternative", drift.ks_alternative, 0, 0, "", "two-sided, less, greater (scipy's conventions)"),
            DRIFTGATE_KEY("drift", "correction", drift.pvalue_correction, 0, 0, "", "multiple testing over the run's KS and chi-square p-values: none, bonferroni, holm, bh"),
            DRIFTGATE_KEY("drift", "effect_gate", drift.gate, 0, 0, "", "effect-size thresholds with the p-value rule: either (worse of the two) or both (both must breach)"),
            DRIFTGATE_KEY("drift.psi", "warning", drift.psi.warning, 0, inf, "", "PSI >= warning: warning"),
            DRIFTGATE_KEY("drift.psi", "critical", drift.psi.critical, 0, inf, "", "PSI >= critical: critical for a top-k feature, warning otherwise"),
            DRIFTGATE_KEY("drift.ks_pvalue", "warning", drift.ks_pvalue.warning, 0, 1, "", "KS p < warning: warning"),
            DRIFTGATE_KEY("drift.ks_pvalue", "critical", drift.ks_pvalue.critical, 0, 1, "", "KS p < critical: critical"),
            DRIFTGATE_KEY("drift.chi2_pvalue", "warning", drift.chi2_pvalue.warning, 0, 1, "", "chi-square p < warning: warning"),
            DRIFTGATE_KEY("drift.chi2_pvalue", "critical", drift.chi2_pvalue.critical, 0, 1, "", "chi-square p < critical: critical"),
            DRIFTGATE_KEY("drift.ks_statistic", "warning", drift.ks_statistic.warning, 0, 1, "0.1", "effect size: KS D >= warning"),
            DRIFTGATE_KEY("drift.ks_statistic", "critical", drift.ks_statistic.critical, 0, 1, "0.2", "effect size: KS D >= critical"),
            DRIFTGATE_KEY("drift.cramers_v", "warning", drift.cramers_v.warning, 0, 1, "0.1", "effect size: Cramér's V >= warning"),
            DRIFTGATE_KEY("drift.cramers_v", "critical", drift.cramers_v.critical, 0, 1, "0.2", "effect size: Cramér's V >= critical"),
            DRIFTGATE_KEY("drift.wasserstein", "warning", drift.wasserstein.warning, 0, inf, "0.1", "effect size: Wasserstein distance / reference std >= warning"),
            DRIFTGATE_KEY("drift.wasserstein", "critical", drift.wasserstein.critical, 0, inf, "0.2", "effect size: Wasserstein distance / reference std >= critical"),
            DRIFTGATE_KEY("drift.jensen_shannon", "warning", drift.jensen_shannon.warning, 0, 1, "0.1", "Jensen-Shannon distance (base 2) >= warning"),
            DRIFTGATE_KEY("drift.jensen_shannon", "critical", drift.jensen_shannon.critical, 0, 1, "0.2", "Jensen-Shannon distance (base 2) >= critical"),
            DRIFTGATE_KEY("drift.csi", "warning", drift.csi.warning, 0, inf, "", "CSI >= warning: warning"),
            DRIFTGATE_KEY("drift.csi", "critical", drift.csi.critical, 0, inf, "", "CSI >= critical: critical"),
            // [schema]
            DRIFTGATE_KEY("schema", "missing_feature", schema.missing_feature, 0, 0, "", "a monitored feature absent from the current file"),
            DRIFTGATE_KEY("schema", "missing_important", schema.missing_important, 0, 0, "", "... when it is top-k, configured in [columns] features, or the score"),
            DRIFTGATE_KEY("schema", "new_column", schema.new_column, 0, 0, "", "a column only the current file has"),
            DRIFTGATE_KEY("schema", "kind_changed", schema.kind_changed, 0, 0, "", "a column whose kind changed (numbers, booleans, texts)"),
            // [data_quality]
            DRIFTGATE_KEY("data_quality", "missing_pvalue", data_quality.missing_pvalue, 0, 1, "", "a missing-share increase is judged only when the two-proportion test's p is below this"),
            DRIFTGATE_KEY("data_quality", "constant", data_quality.constant, 0, 0, "", "a column with one value left (more in the reference)"),
            DRIFTGATE_KEY("data_quality", "all_missing", data_quality.all_missing, 0, 0, "", "a column with no value in the current file"),
            DRIFTGATE_KEY("data_quality", "bad_values", data_quality.bad_values, 0, 0, "", "cells read as missing under [input] on_bad_value = \"missing\""),
            DRIFTGATE_KEY("data_quality.missing_share", "warning", data_quality.missing_share.warning, 0, 1, "", "missing share up by at least this much (absolute): warning"),
            DRIFTGATE_KEY("data_quality.missing_share", "critical", data_quality.missing_share.critical, 0, 1, "", "... critical"),
            DRIFTGATE_KEY("data_quality.out_of_range", "warning", data_quality.out_of_range.warning, 0, 1, "", "share of values outside the reference's [min, max] >= warning"),
            DRIFTGATE_KEY("data_quality.out_of_range", "critical", data_quality.out_of_range.critical, 0, 1, "", "... critical"),
            DRIFTGATE_KEY("data_quality.unseen", "warning", data_quality.unseen.warning, 0, 1, "", "share of values never seen in the reference (discrete, categorical) >= warning"),
            DRIFTGATE_KEY("data_quality.unseen", "critical", data_quality.unseen.critical, 0, 1, "", "... critical"),
            // [performance]
            DRIFTGATE_KEY("performance", "threshold", performance.threshold, -inf, inf, "0.12", "decision threshold: score >= threshold predicts default (required with score_kind = \"points\")"),
            DRIFTGATE_KEY("performance", "confidence", performance.confidence, 0.5, 0.999999, "", "level of the DeLong and Wilson intervals"),
            DRIFTGATE_KEY("performance", "score_kind", performance.kind, 0, 0, "", "probability (a PD in [0, 1]) or points (rank metrics only)"),
            DRIFTGATE_KEY("performance", "higher_is_riskier", performance.higher_is_riskier, 0, 0, "", "false: a lower score means riskier (points scorecards)"),
            DRIFTGATE_KEY("performance", "required", performance.required, 0, 0, "", "true: a current file without the label column is a critical breach, not a note"),
            DRIFTGATE_KEY("performance.auc", "warning", performance.auc.warning, 0, 1, "", "AUC < warning: warning"),
            DRIFTGATE_KEY("performance.auc", "critical", performance.auc.critical, 0, 1, "", "AUC < critical: critical"),
            DRIFTGATE_KEY("performance.recall", "target", performance.recall.target, 0, 1, "", "recall below target: info"),
            DRIFTGATE_KEY("performance.recall", "warning", performance.recall.warning, 0, 1, "", "below warning: warning"),
            DRIFTGATE_KEY("performance.precision", "target", performance.precision.target, 0, 1, "", "precision below target: info"),
            DRIFTGATE_KEY("performance.precision", "warning", performance.precision.warning, 0, 1, "", "below warning: warning"),
            DRIFTGATE_KEY("performance.ks_statistic", "target", performance.ks_statistic.target, 0, 1, "", "max(TPR - FPR) below target: info"),
            DRIFTGATE_KEY("performance.ks_statistic", "critical", performance.ks_statistic.critical, 0, 1, "", "below critical: critical"),
            DRIFTGATE_KEY("performance.brier", "target", performance.brier.target, 0, 1, "", "Brier score above target: info"),
            DRIFTGATE_KEY("performance.brier", "warning", performance.brier.warning, 0, 1, "", "above warning: warning"),
            // [estimate]
            DRIFTGATE_KEY("estimate", "calibration_groups", estimate.calibration_groups, 3, 1000, "", "score bands of the Hosmer-Lemeshow calibration check of `estimate --reference`"),
            DRIFTGATE_KEY("estimate.calibration_pvalue", "warning", estimate.calibration_pvalue.warning, 0, 1, "", "Hosmer-Lemeshow p < warning: warning (the PDs are not calibrated: the estimates are not to be trusted)"),
            DRIFTGATE_KEY("estimate.calibration_pvalue", "critical", estimate.calibration_pvalue.critical, 0, 1, "", "Hosmer-Lemeshow p < critical: critical"),
            // [multivariate]
            DRIFTGATE_KEY("multivariate", "explained_variance", multivariate.explained_variance, 0.01, 1, "", "`--multivariate`: keep the fewest principal components whose cumulative explained variance reaches this"),
            DRIFTGATE_KEY("multivariate", "chunks", multivariate.chunks, 2, 100000, "", "reference chunks (consecutive rows) whose reconstruction errors give the thresholds"),
            DRIFTGATE_KEY("multivariate", "sigmas", multivariate.sigmas, 0, 1000, "", "thresholds: mean +- sigmas x standard deviation of the chunks' errors"),
            DRIFTGATE_KEY("multivariate", "severity", multivariate.level, 0, 0, "", "severity of a reconstruction error outside the thresholds"),
            // [proxy]
            DRIFTGATE_KEY("proxy", "confidence", proxy.confidence, 0.5, 0.999999, "", "level of the proxies' Wilson and Student t intervals"),
            DRIFTGATE_KEY("proxy", "high_risk_above", proxy.high_risk_above, 0, 1, "", "high-risk share = share of PD > this"),
            DRIFTGATE_KEY("proxy", "approval_below", proxy.approval_below, 0, 1, "", "approval rate = share of PD < this"),
            DRIFTGATE_KEY("proxy.high_risk_share", "low", proxy.high_risk_share.low, 0, 1, "", "band [low, high]"),
            DRIFTGATE_KEY("proxy.high_risk_share", "high", proxy.high_risk_share.high, 0, 1, "", ""),
            DRIFTGATE_KEY("proxy.high_risk_share", "severity", proxy.high_risk_share.breach, 0, 0, "", "outside the band; inside but the interval crosses an edge: info"),
            DRIFTGATE_KEY("proxy.mean_score", "low", proxy.mean_score.low, 0, 1, "", "band [low, high], Student t interval"),
            DRIFTGATE_KEY("proxy.mean_score", "high", proxy.mean_score.high, 0, 1, "", ""),
            DRIFTGATE_KEY("proxy.mean_score", "severity", proxy.mean_score.breach, 0, 0, "", ""),
            DRIFTGATE_KEY("proxy.approval_rate", "low", proxy.approval_rate.low, 0, 1, "", "band [low, high]"),
            DRIFTGATE_KEY("proxy.approval_rate", "high", proxy.approval_rate.high, 0, 1, "", ""),
            DRIFTGATE_KEY("proxy.approval_rate", "severity", proxy.approval_rate.breach, 0, 0, "", ""),
            // [segments], [fairness]
            DRIFTGATE_KEY("segments", "columns", segments.columns, 0, 0, "", "every check of drift, perf, proxy and check also per value (or band: [segments.NAME]) of each of these columns (--segment adds one)"),
            DRIFTGATE_KEY("segments", "min_rows", segments.min_rows, 1, 1e12, "", "a segment with fewer rows is reported (its size), not judged"),
            DRIFTGATE_KEY("segments", "max_values", segments.max_values, 2, 10000, "", "a segment column with more distinct values is an error"),
            // [windows]
            DRIFTGATE_KEY("windows", "time_column", windows.time_column, 0, 0, "", "the column of each row's ISO 8601 date or date-time (--time-column); never a feature"),
            DRIFTGATE_KEY("windows", "window", windows.window, 0, 0, "", "every check also per window of the current file: \"day\", \"week\" (ISO, Monday to Sunday), \"month\" (UTC) or a number of rows (--window); \"\": none"),
            DRIFTGATE_KEY("windows", "min_rows", windows.min_rows, 1, 1e12, "", "a window with fewer rows is reported (its size), not judged"),
            DRIFTGATE_KEY("fairness.disparate_impact", "warning", fairness.disparate_impact.warning, 0, 1, "", "lowest / highest approval rate across segments < warning: warning (the four-fifths rule)"),
            DRIFTGATE_KEY("fairness.disparate_impact", "critical", fairness.disparate_impact.critical, 0, 1, "0.6", "... < critical: critical"),
            DRIFTGATE_KEY("fairness.equal_opportunity", "warning", fairness.equal_opportunity.warning, 0, 1, "", "largest gap between segments in the approval rate of label-0 rows > warning: warning"),
            DRIFTGATE_KEY("fairness.equal_opportunity", "critical", fairness.equal_opportunity.critical, 0, 1, "0.2", "... > critical: critical"),
            // [service]
            DRIFTGATE_KEY("service", "timestamp_field", service.timestamp_field, 0, 0, "", "field of each log line's instant: RFC 3339 text with Z or an offset, or a number (timestamp_unit)"),
            DRIFTGATE_KEY("service", "timestamp_unit", service.numeric_timestamp_unit, 0, 0, "", "unit of numeric timestamps since the epoch: s or ms"),
            DRIFTGATE_KEY("service", "latency_field", service.latency_field, 0, 0, "", "field of the latency in milliseconds"),
            DRIFTGATE_KEY("service", "status_field", service.status_field, 0, 0, "", "field of the HTTP status code"),
            DRIFTGATE_KEY("service", "model_version_field", service.model_version_field, 0, 0, "", "field of the model version (rows per version with --by model_version)"),
            DRIFTGATE_KEY("service", "input_field", service.input_field, 0, 0, "", "object of the features (a log read as the current snapshot)"),
            DRIFTGATE_KEY("service", "score_field", service.score_field, 0, 0, "", "field of the PD, read as the score column (a log as a snapshot; \"\": none)"),
            DRIFTGATE_KEY("service", "label_field", service.label_field, 0, 0, "", "field of a 0/1 outcome, read as the label column (a log as a snapshot; \"\": none)"),
            DRIFTGATE_KEY("service", "on_bad_line", service.on_bad_line, 0, 0, "", "a log line that cannot be used: \"error\" (exit 65, FILE:LINE:COL) or \"skip\" (counted, a data-quality check)"),
            DRIFTGATE_KEY("service", "window_seconds", service.window_seconds, 1, 86400, "", "windows of the sustained rules, aligned to the epoch (60: the UTC minute)"),
            DRIFTGATE_KEY("service", "sustained_windows", service.sustained_windows, 1, 1000000, "", "consecutive windows above a sustained bound that make a breach"),
            DRIFTGATE_KEY("service", "confidence", service.confidence, 0.5, 0.999999, "", "level of the error rates' Wilson intervals"),
            DRIFTGATE_KEY("service.latency_p50", "target", service.latency_p50.target, 0, inf, "", "P50 latency (ms, numpy linear) at or above target: info"),
            DRIFTGATE_KEY("service.latency_p50", "warning", service.latency_p50.warning, 0, inf, "", "above warning: warning"),
            DRIFTGATE_KEY("service.latency_p50", "critical", service.latency_p50.critical, 0, inf, "300", "above critical: critical"),
            DRIFTGATE_KEY("service.latency_p95", "target", service.latency_p95.target, 0, inf, "150", "P95 latency (ms) at or above target: info"),
            DRIFTGATE_KEY("service.latency_p95", "warning", service.latency_p95.warning, 0, inf, "", "above warning: warning"),
            DRIFTGATE_KEY("service.latency_p95", "critical", service.latency_p95.critical, 0, inf, "", "above critical: critical"),
            DRIFTGATE_KEY("service.latency_p99", "target", service.latency_p99.target, 0, inf, "", "P99 latency (ms) at or above target: info"),
            DRIFTGATE_KEY("service.latency_p99", "warning", service.latency_p99.warning, 0, inf, "", "above warning: warning"),
            DRIFTGATE_KEY("service.latency_p99", "critical", service.latency_p99.critical, 0, inf, "2000", "above critical: critical"),
            DRIFTGATE_KEY("service.error_rate_4xx", "target", service.error_rate_4xx.target, 0, 1, "", "share of requests answered 400-499 at or above target: info"),
            DRIFTGATE_KEY("service.error_rate_4xx", "warning", service.error_rate_4xx.warning, 0, 1, "0.03", "above warning: warning"),
            DRIFTGATE_KEY("service.error_rate_4xx", "critical", service.error_rate_4xx.critical, 0, 1, "", "above critical: critical"),
            DRIFTGATE_KEY("service.error_rate_5xx", "target", service.error_rate_5xx.target, 0, 1, "", "share of requests answered 500-599 at or above target: info"),
            DRIFTGATE_KEY("service.error_rate_5xx", "warning", service.error_rate_5xx.warning, 0, 1, "", "above warning: warning"),
            DRIFTGATE_KEY("service.error_rate_5xx", "critical", service.error_rate_5xx.critical, 0, 1, "", "above critical: critical"),
            DRIFTGATE_KEY("service.requests_per_second", "target", service.requests_per_second.target, 0, inf, "", "requests / (last - first instant) at or below target: info"),
            DRIFTGATE_KEY("service.requests_per_second", "warning", service.requests_per_second.warning, 0, inf, "", "below warning: warning"),
            DRIFTGATE_KEY("service.requests_per_second", "critical", service.requests_per_second.critical, 0, inf, "1", "below critical: critical"),
            DRIFTGATE_KEY("service.predictions_per_day", "target", service.predictions_per_day.target, 0, inf, "", "2xx answers on the log's lowest UTC day at or below target: info"),
            DRIFTGATE_KEY("service.predictions_per_day", "warning", service.predictions_per_day.warning, 0, inf, "", "below warning: warning"),
            DRIFTGATE_KEY("service.predictions_per_day", "critical", service.predictions_per_day.critical, 0, inf, "100", "below critical: critical"),
            DRIFTGATE_KEY("service.latency_p95_sustained", "above", service.latency_p95_sustained.above, 0, inf, "", "a window's P95 latency (ms) above this is a window above"),
            DRIFTGATE_KEY("service.latency_p95_sustained", "severity", service.latency_p95_sustained.level, 0, 0, "", "sustained_windows consecutive windows above: this severity (info from one window)"),
            DRIFTGATE_KEY("service.error_rate_sustained", "above", service.error_rate_sustained.above, 0, 1, "", "a window's error rate (4xx + 5xx) above this is a window above"),
            DRIFTGATE_KEY("service.error_rate_sustained", "severity", service.error_rate_sustained.level, 0, 0, "", "sustained_windows consecutive windows above: this severity"),
            // [features.NAME]
            DRIFTGATE_FEATURE_KEY("kind", kind, 0, 0, "\"discrete\"", "continuous, discrete or categorical (default: from the reference)"),
            DRIFTGATE_FEATURE_KEY("test", test, 0, 0, "\"chi2\"", "auto, ks or chi2"),
            DRIFTGATE_FEATURE_KEY("binning", binning, 0, 0, "\"quantile\"", "as [drift] binning"),
            DRIFTGATE_FEATURE_KEY("bins", bins, 2, 10000, "10", "as [drift] bins"),
            DRIFTGATE_FEATURE_KEY("max_distinct", max_distinct, 1, 100000, "12", "as [drift] max_distinct"),
            DRIFTGATE_FEATURE_KEY("edges", edges, -inf, inf, "[-2, 0, 1, 2, 9]", "e0 < ... < eK: K bins, the outer ones open-ended"),
            DRIFTGATE_FEATURE_KEY("psi_warning", psi_warning, 0, inf, "0.10", "PSI warning bound"),
            DRIFTGATE_FEATURE_KEY("psi_critical", psi_critical, 0, inf, "0.25", "PSI critical bound (top-k features)"),
            DRIFTGATE_FEATURE_KEY("pvalue_warning", pvalue_warning, 0, 1, "0.05", "p-value warning bound of its KS or chi-square test"),
            DRIFTGATE_FEATURE_KEY("pvalue_critical", pvalue_critical, 0, 1, "0.01", "p-value critical bound"),
            // [segments.NAME]
            detail::make_key<std::optional<std::vector<double>>>(
                "segments.*", "edges", -inf, inf, "[25, 35, 45, 60]",
                "the numeric segment column NAME in bands (-inf, e0), [e0, e1), ..., [eK, inf) instead of a segment per value",
                [](const policy& p, const std::string& n) -> setting {
                    const auto it = p.segments.edges.find(n);
                    return it == p.segments.edges.end() ? setting{} : setting{it->second};
                },
                [](policy& p, const std::string& n, const setting& s) {
                    std::vector<double> v;
                    detail::from_setting(s, v);
                    p.segments.edges[n] = std::move(v);
                }),
        };
        // [importance]: NAME = importance.
        policy_key imp;
        imp.table = "importance";
        imp.name = "*";
        imp.type = setting_type::number;
        imp.min = 0;
        imp.max = inf;
        imp.optional = true;
        imp.example = "0.198";
        imp.help = "feature importances for the top-k rule; without any, every feature counts as top-k (a feature not listed does too); a name in neither file is an error";
        imp.get = [](const policy& p, const std::string& f) -> setting {
            for (const auto& [name, v] : p.importance)
                if (name == f) return v;
            return {};
        };
        imp.set = [](policy& p, const std::string& f, const setting& s) {
            double v = 0;
            detail::from_setting(s, v);
            for (auto& [name, x] : p.importance)
                if (name == f) {
                    x = v;
                    return;
                }
            p.importance.emplace_back(f, v);
        };
        k.push_back(imp);
        // Unset, the decision threshold is the SPEC's for probabilities; points need one.
        for (auto& key : k)
            if (key.table == "performance" && key.name == "threshold") key.unset = "`0.12` (probabilities); points: none";
        return k;
    }();
    return keys;
}

#undef DRIFTGATE_KEY
#undef DRIFTGATE_FEATURE_KEY

namespace detail {

/// A TOML literal of a setting: 0.1, 10, true, "text", ["a", "b"], [1.5, 2].
[[nodiscard]] inline std::string toml_literal(const setting& s) {
    // A basic string: TOML refuses control characters in it unescaped (a token list holding a
    // form feed, read from "\f", printed raw did not load back).
    auto quote = [](const std::string& t) {
        std::string out = "\"";
        for (const char c : t) {
            const auto u = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (c == '\t') {
                out += "\\t";
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if (u < 0x20 || u == 0x7F) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04X", u);
                out += buf;
            } else {
                out += c;
            }
        }
        return out + "\"";
    };
    auto number = [](double d) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", d);
        // Shortest text that reads back exactly.
        for (int prec = 1; prec <= 17; ++prec) {
            std::snprintf(buf, sizeof buf, "%.*g", prec, d);
            if (std::strtod(buf, nullptr) == d) break;
        }
        // A whole number below 2^53 as digits (100.0, not 1e+02).
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            std::snprintf(buf, sizeof buf, "%.1f", d);
        std::string t = buf;
        if (std::isinf(d)) return std::string(d > 0 ? "inf" : "-inf");
        if (std::isnan(d)) return std::string("nan");  // TOML's spelling (printf's "nan" + ".0" read "nan.0")
        if (t.find_first_of(".eE") == std::string::npos) t += ".0";
        return t;
    };
    switch (s.index()) {
    case 1: return number(std::get<double>(s));
    case 2: return std::to_string(std::get<std::int64_t>(s));
    case 3: return std::get<bool>(s) ? "true" : "false";
    case 4: return quote(std::get<std::string>(s));
    case 5: {
        std::string out = "[";
        for (const auto& t : std::get<std::vector<std::string>>(s)) out += (out.size() > 1 ? ", " : "") + quote(t);
        return out + "]";
    }
    case 6: {
        std::string out = "[";
        for (const double d : std::get<std::vector<double>>(s)) out += (out.size() > 1 ? ", " : "") + number(d);
        return out + "]";
    }
    default: return "";
    }
}

/// A TOML key: bare when it is letters, digits, '_' and '-' only, else quoted.
[[nodiscard]] inline std::string toml_key(const std::string& k) {
    bool bare = !k.empty();
    for (const char c : k)
        bare = bare && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
    return bare ? k : toml_literal(k);
}

} // namespace detail

/// A policy as commented TOML: every key with its value in `p` (optional keys that are off
/// commented out with an example), its help as a comment, [importance] and [features.NAME] as
/// they are set in `p` (or a commented example). default_policy_toml() is this of policy{}.
[[nodiscard]] inline std::string policy_toml(const policy& p) {
    std::string out =
        "# driftgate configuration. Every key below shows its value; any key may be omitted (its default\n"
        "# applies). Unknown keys and values of the wrong type are errors naming the key.\n";
    std::string_view table;
    const auto& keys = policy_keys();
    for (const auto& k : keys) {
        if (k.per_name() || k.table == "importance") continue;
        if (k.table != table) {
            table = k.table;
            out += "\n[" + std::string(table) + "]\n";
        }
        const setting v = k.get(p, {});
        std::string line = std::holds_alternative<std::monostate>(v)
                               ? "# " + std::string(k.name) + " = " + std::string(k.example)
                               : std::string(k.name) + " = " + detail::toml_literal(v);
        if (!k.help.empty()) {
            if (line.size() < 38) line.resize(38, ' ');
            line += "  # " + std::string(k.help);
        }
        out += line + "\n";
    }
    out += "\n[importance]\n# Feature importances for the top-k rule. Without any, every feature counts as top-k.\n";
    if (p.importance.empty()) out += "# PAY_0 = 0.198\n";
    for (const auto& [name, v] : p.importance) out += detail::toml_key(name) + " = " + detail::toml_literal(v) + "\n";
    if (p.features.empty()) {
        out += "\n# [features.PAY_0]     # per-feature overrides\n";
        for (const auto& k : keys)
            if (k.table == "features.*")
                out += "# " + std::string(k.name) + " = " + std::string(k.example) + "    # " + std::string(k.help) + "\n";
    }
    for (const auto& [name, f] : p.features) {
        (void)f;
        out += "\n[features." + detail::toml_key(name) + "]\n";
        for (const auto& k : keys)
            if (k.table == "features.*") {
                const setting v = k.get(p, name);
                if (!std::holds_alternative<std::monostate>(v)) out += std::string(k.name) + " = " + detail::toml_literal(v) + "\n";
            }
    }
    if (p.segments.edges.empty()) {
        out += "\n# [segments.AGE]       # a numeric segment column in bands\n";
        for (const auto& k : keys)
            if (k.table == "segments.*")
                out += "# " + std::string(k.name) + " = " + std::string(k.example) + "    # " + std::string(k.help) + "\n";
    }
    for (const auto& [name, e] : p.segments.edges) {
        out += "\n[segments." + detail::toml_key(name) + "]\n";
        for (const auto& k : keys)
            if (k.table == "segments.*") {
                const setting v = k.get(p, name);
                if (!std::holds_alternative<std::monostate>(v)) out += std::string(k.name) + " = " + detail::toml_literal(v) + "\n";
            }
    }
    return out;
}

/// The default configuration as commented TOML (what `driftgate config` prints).
[[nodiscard]] inline std::string default_policy_toml() { return policy_toml(policy{}); }

/// The README's configuration reference: one Markdown table row per key (`[table] key`, default,
/// meaning).
[[nodiscard]] inline std::string policy_keys_markdown() {
    auto cell = [](std::string s) {
        std::string out;
        for (const char c : s) {
            if (c == '|') out += "\\|";
            else out += c;
        }
        return out;
    };
    std::string out = "| key | default | meaning |\n|---|---|---|\n";
    const policy defaults;
    for (const auto& k : policy_keys()) {
        // Appended piece by piece: g++ 12 takes "[" + std::string(...) for an overlapping copy
        // (-Wrestrict, a false positive) when this is inlined into some callers.
        std::string where = "[";
        where += k.per_name() ? k.table.substr(0, k.table.size() - 1) : k.table;
        if (k.per_name()) where += "NAME";
        where += ']';
        const std::string key = k.name == "*" ? "NAME" : std::string(k.name);
        std::string def;
        if (k.per_name() || k.table == "importance") def = "—";
        else {
            const setting v = k.get(defaults, {});
            def = std::holds_alternative<std::monostate>(v) ? std::string(k.unset) : "`" + detail::toml_literal(v) + "`";
        }
        out += "| `" + where + " " + key + "` | " + cell(def) + " | " + cell(std::string(k.help)) + " |\n";
    }
    return out;
}

} // namespace v0
} // namespace driftgate
