// driftgate — judging: thresholds -> severities.
//
// A rule compares one value with up to three bounds in one direction:
//   direction::above  the value breaches a bound when it is above it (PSI, Brier, latency, error rate);
//   direction::below  the value breaches a bound when it is below it (AUC, recall, p-value);
//   a band            the value breaches when it leaves [low, high] (proxies).
// Each bound is either inclusive (reaching it is a breach: "PSI >= 0.10") or strict ("AUC < 0.75").
// Bounds are optional: a rule may have only a warning bound (recall), only a critical one (classifier
// KS) or both (PSI). An optional info bound marks "target missed, no alert yet" (recall below its 0.87
// target but above the 0.80 alert). The severity is the highest one whose bound is breached.
// Results aggregate to the worst severity.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "driftgate/core.hpp"

namespace driftgate {
inline namespace v0 {

/// Ordered severities: ok < info < warning < critical (docs/policy.md says what each means).
enum class severity { ok = 0, info = 1, warning = 2, critical = 3 };

[[nodiscard]] constexpr const char* to_string(severity s) noexcept {
    switch (s) {
    case severity::ok: return "ok";
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::critical: return "critical";
    }
    return "unknown";
}

/// Parses "ok" | "info" | "warning" | "critical"; std::nullopt otherwise.
[[nodiscard]] inline std::optional<severity> severity_from_string(std::string_view s) noexcept {
    if (s == "ok") return severity::ok;
    if (s == "info") return severity::info;
    if (s == "warning") return severity::warning;
    if (s == "critical") return severity::critical;
    return std::nullopt;
}

/// The worse of two severities.
[[nodiscard]] constexpr severity worst(severity a, severity b) noexcept { return a < b ? b : a; }

/// The worst of many severities (ok for none). Cost: O(n).
[[nodiscard]] inline severity worst(std::span<const severity> all) noexcept {
    severity w = severity::ok;
    for (const severity s : all) w = worst(w, s);
    return w;
}

/// Which side of a bound is bad.
enum class direction {
    above, ///< breach when value > bound (or >= when inclusive)
    below, ///< breach when value < bound (or <= when inclusive)
};

/// One bound of a rule.
struct bound {
    double value = 0.0;
    bool inclusive = false; ///< reaching the bound is already a breach (">=", "<=")
};

/// A threshold rule on one value (see the header comment).
struct rule {
    direction dir = direction::above;
    std::optional<bound> info;     ///< target missed
    std::optional<bound> warning;  ///< investigate
    std::optional<bound> critical; ///< act now
};

/// A band rule: the value should stay inside [low, high]; leaving it is a breach of `breach`
/// severity. When a confidence interval is given and the value is inside the band but the interval
/// crosses an edge, the judgement is `near_edge` (info by default): "inside, but not clearly".
struct band_rule {
    double low = 0.0;
    double high = 1.0;
    severity breach = severity::critical;
    severity near_edge = severity::info;
};

/// What a judgement found: the severity and, when it is not ok, the bound that was crossed.
struct judgement {
    severity level = severity::ok;
    std::optional<double> crossed; ///< the bound whose breach set `level`
};

namespace detail {
[[nodiscard]] inline bool breaches(direction dir, const bound& b, double value) noexcept {
    if (dir == direction::above) return b.inclusive ? value >= b.value : value > b.value;
    return b.inclusive ? value <= b.value : value < b.value;
}
inline void require_judgeable(double value, const char* where) {
    require(!std::isnan(value), errc::non_finite, where,
            "cannot judge a NaN value (a gate fails closed: the caller must treat it as a breach "
            "or an error)");
}
} // namespace detail

/// Severity of `value` under `r`: the highest severity whose bound `value` breaches.
/// NaN throws errc::non_finite (a gate must not pass what it could not judge); ±inf are judged
/// like any value. Cost: O(1).
[[nodiscard]] inline judgement judge(const rule& r, double value) {
    detail::require_judgeable(value, "judge");
    const std::pair<const std::optional<bound>*, severity> order[] = {
        {&r.critical, severity::critical}, {&r.warning, severity::warning}, {&r.info, severity::info}};
    for (const auto& [b, level] : order)
        if (*b && detail::breaches(r.dir, **b, value)) return {level, (*b)->value};
    return {};
}

/// Severity of `value` under a band rule; with an interval [ci_lower, ci_upper] around the value,
/// a value inside the band whose interval reaches outside it is judged `near_edge`. Cost: O(1).
[[nodiscard]] inline judgement judge(const band_rule& r, double value,
                                     std::optional<std::pair<double, double>> interval = std::nullopt) {
    detail::require_judgeable(value, "judge");
    detail::require(r.low <= r.high, errc::invalid_parameter, "judge", "band low bound exceeds high bound");
    if (value < r.low) return {r.breach, r.low};
    if (value > r.high) return {r.breach, r.high};
    if (interval) {
        if (interval->first < r.low) return {r.near_edge, r.low};
        if (interval->second > r.high) return {r.near_edge, r.high};
    }
    return {};
}

/// Whether `feature` is among the `k` most important features of `importances` (name, importance).
/// Ties at the k-th place are all counted in. A feature without a listed importance counts as
/// top-k, and so does every feature when no importance is given: a gate fails closed.
/// Cost: O(m log m) for m importances.
[[nodiscard]] inline bool in_top_k(std::span<const std::pair<std::string, double>> importances,
                                   std::string_view feature, std::size_t k) {
    if (importances.empty()) return true;
    const auto it = std::find_if(importances.begin(), importances.end(),
                                 [&](const auto& p) { return p.first == feature; });
    if (it == importances.end()) return true;
    if (k == 0) return false;
    std::vector<double> values;
    values.reserve(importances.size());
    for (const auto& p : importances) values.push_back(p.second);
    if (k >= values.size()) return true;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k - 1), values.end(),
                     std::greater<>());
    return it->second >= values[k - 1];
}

/// The rules of docs/policy.md, as defaults a caller can start from. Where docs/policy.md names a
/// target without an alert, missing the target is `info`.
namespace spec {

/// PSI (docs/policy.md, Data drift): warning at PSI >= 0.10; critical at PSI >= 0.25 for a top-5
/// feature by importance, warning outside the top 5.
[[nodiscard]] inline rule psi(bool top_k) {
    rule r{direction::above, std::nullopt, bound{0.10, true}, std::nullopt};
    if (top_k) r.critical = bound{0.25, true};
    return r;
}
/// Number of features by importance whose PSI can be critical (docs/policy.md, Data drift: top 5).
inline constexpr std::size_t psi_top_k = 5;

/// KS test p-value (docs/policy.md, Data drift): warning at p < 0.05, critical at p < 0.01.
[[nodiscard]] inline rule ks_pvalue() {
    return {direction::below, std::nullopt, bound{0.05, false}, bound{0.01, false}};
}
/// CSI on the score (docs/policy.md, Data drift): warning at CSI >= 0.10, critical at
/// CSI >= 0.25.
[[nodiscard]] inline rule csi() { return {direction::above, std::nullopt, bound{0.10, true}, bound{0.25, true}}; }
/// ROC-AUC (docs/policy.md, Performance): target >= 0.78; warning below 0.78, critical below
/// 0.75.
[[nodiscard]] inline rule auc() {
    return {direction::below, std::nullopt, bound{0.78, false}, bound{0.75, false}};
}
/// Recall at the decision threshold (docs/policy.md, Performance): target >= 0.87 (info below),
/// warning below 0.80.
[[nodiscard]] inline rule recall() {
    return {direction::below, bound{0.87, false}, bound{0.80, false}, std::nullopt};
}
/// Precision at the decision threshold (docs/policy.md, Performance): target >= 0.31 (info below),
/// warning below 0.25.
[[nodiscard]] inline rule precision() {
    return {direction::below, bound{0.31, false}, bound{0.25, false}, std::nullopt};
}
/// Classifier KS statistic (docs/policy.md, Performance): target >= 0.42 (info below), critical
/// below 0.35.
[[nodiscard]] inline rule ks_statistic() {
    return {direction::below, bound{0.42, false}, std::nullopt, bound{0.35, false}};
}
/// Brier score (docs/policy.md, Performance): target <= 0.14 (info above), warning above 0.18.
[[nodiscard]] inline rule brier() {
    return {direction::above, bound{0.14, false}, bound{0.18, false}, std::nullopt};
}
/// High-risk share, share of PD > 0.50 (docs/policy.md, Proxies): band [0.15, 0.30], critical
/// outside.
[[nodiscard]] inline band_rule high_risk_share() { return {0.15, 0.30, severity::critical, severity::info}; }
/// Mean PD (docs/policy.md, Proxies): band [0.15, 0.35], critical outside.
[[nodiscard]] inline band_rule mean_score() { return {0.15, 0.35, severity::critical, severity::info}; }
/// Approval rate, share of PD < 0.20 (docs/policy.md, Proxies): band [0.25, 0.55], warning outside.
[[nodiscard]] inline band_rule approval_rate() { return {0.25, 0.55, severity::warning, severity::info}; }
/// Latency P50 in ms (docs/policy.md, Service health): target < 100 (info at or above), warning
/// above 150.
[[nodiscard]] inline rule latency_p50() {
    return {direction::above, bound{100, true}, bound{150, false}, std::nullopt};
}
/// Latency P95 in ms (docs/policy.md, Service health): warning above 200, critical above 300.
[[nodiscard]] inline rule latency_p95() {
    return {direction::above, std::nullopt, bound{200, false}, bound{300, false}};
}
/// Latency P99 in ms (docs/policy.md, Service health): target < 500 (info at or above), warning
/// above 1000.
[[nodiscard]] inline rule latency_p99() {
    return {direction::above, bound{500, true}, bound{1000, false}, std::nullopt};
}
/// 4xx error rate (docs/policy.md, Service health): target < 1% (info at or above), critical
/// above 5% ("error rate > 5%: critical").
[[nodiscard]] inline rule error_rate_4xx() {
    return {direction::above, bound{0.01, true}, std::nullopt, bound{0.05, false}};
}
/// 5xx error rate (docs/policy.md, Service health): target < 0.1% (info at or above), warning
/// above 1%, critical above 5%.
[[nodiscard]] inline rule error_rate_5xx() {
    return {direction::above, bound{0.001, true}, bound{0.01, false}, bound{0.05, false}};
}
/// Requests per second (docs/policy.md, Service health): target > 10 (info at or below), warning
/// below 5.
[[nodiscard]] inline rule requests_per_second() {
    return {direction::below, bound{10, true}, bound{5, false}, std::nullopt};
}

} // namespace spec
} // namespace v0
} // namespace driftgate
