// driftgate — multiple-testing corrections: a drift report tests every column, and with many
// columns some p-values are small by chance. Adjusted p-values can be judged against the same
// thresholds as single ones:
//   * bonferroni: m p, capped at 1 (family-wise error rate, any dependence);
//   * holm: Holm's (1979) step-down, p_(i) (m - i + 1) for the i-th smallest, made non-decreasing
//     in rank, capped at 1 (family-wise error rate, uniformly more powerful than Bonferroni);
//   * bh: Benjamini & Hochberg's (1995) step-up, p_(i) m / i, made non-decreasing from the
//     largest down, capped at 1 (false discovery rate, independent or positively dependent tests);
//   * none: the p-values as they are.
// As statsmodels.stats.multitest.multipletests(p, method='bonferroni' | 'holm' | 'fdr_bh') (0.13),
// with the same order of operations, so the results agree to the last bit.
// The ln p variant adjusts logarithms (KS and chi-square give ln p far below the smallest double,
// where p itself is 0 and every test would tie): adjusted ln p = min(0, ln p + ln factor).
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "driftgate/core.hpp"

namespace driftgate {
inline namespace v0 {

/// Multiple-testing correction of a family of p-values.
enum class correction { none, bonferroni, holm, bh };

[[nodiscard]] constexpr const char* to_string(correction c) noexcept {
    switch (c) {
    case correction::none: return "none";
    case correction::bonferroni: return "bonferroni";
    case correction::holm: return "holm";
    case correction::bh: return "bh";
    }
    return "unknown";
}

/// Parses "none" | "bonferroni" | "holm" | "bh"; std::nullopt otherwise.
[[nodiscard]] inline std::optional<correction> correction_from_string(std::string_view s) noexcept {
    if (s == "none") return correction::none;
    if (s == "bonferroni") return correction::bonferroni;
    if (s == "holm") return correction::holm;
    if (s == "bh") return correction::bh;
    return std::nullopt;
}

namespace detail {

/// Indices of v in ascending order of value, ties in input order (stable). O(m log m).
[[nodiscard]] inline std::vector<std::size_t> ascending_order(std::span<const double> v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    return order;
}

/// The adjustment in one arithmetic: `scale(x, factor_rank)` applies rank i's factor (i from 0,
/// ascending) and `cap` the upper bound (1 for p, 0 for ln p). Holm: running maximum over ranks
/// ascending; BH: running minimum over ranks descending; each as statsmodels orders it.
template <class Bonferroni, class Holm, class Bh>
[[nodiscard]] std::vector<double> adjust(std::span<const double> x, correction method, double cap, Bonferroni bonf,
                                         Holm holm, Bh bh) {
    const std::size_t m = x.size();
    std::vector<double> out(x.begin(), x.end());
    if (method == correction::none || m == 0) return out;
    if (method == correction::bonferroni) {
        for (auto& v : out) v = std::min(bonf(v), cap);
        return out;
    }
    const auto order = ascending_order(x);
    if (method == correction::holm) {
        double run = -INFINITY;
        for (std::size_t i = 0; i < m; ++i) {
            run = std::max(run, holm(x[order[i]], i)); // np.maximum.accumulate
            out[order[i]] = std::min(run, cap);
        }
        return out;
    }
    double run = INFINITY;
    for (std::size_t i = m; i-- > 0;) {
        run = std::min(run, bh(x[order[i]], i)); // np.minimum.accumulate of the reversed array
        out[order[i]] = std::min(run, cap);
    }
    return out;
}

} // namespace detail

/// Adjusted p-values in the input order (see the header comment): bonferroni min(1, m p); holm
/// the running maximum of p_(i) (m - i) over ranks i = 0.. ascending; bh the running minimum, from
/// the largest rank down, of p_(i) / ((i + 1) / m); each capped at 1. Matches
/// statsmodels.stats.multitest.multipletests(p, method='bonferroni' | 'holm' | 'fdr_bh')[1]
/// (0.13) bit for bit (the same operations in the same order; ties ranked in input order, which
/// cannot change the result). An empty span gives an empty vector.
/// Throws errc::non_finite for a NaN p, errc::invalid_parameter for p outside [0, 1].
/// Cost: O(m log m) (a sort), O(m) for none and bonferroni.
[[nodiscard]] inline std::vector<double> adjust_pvalues(std::span<const double> p, correction method) {
    constexpr const char* where = "adjust_pvalues";
    for (std::size_t i = 0; i < p.size(); ++i) {
        detail::require(!std::isnan(p[i]), errc::non_finite, where, "p-value " + std::to_string(i) + " is NaN");
        detail::require(p[i] >= 0.0 && p[i] <= 1.0, errc::invalid_parameter, where,
                        "p-value " + std::to_string(i) + " lies outside [0, 1]");
    }
    const auto m = static_cast<double>(p.size());
    return detail::adjust(
        p, method, 1.0, [&](double v) { return v * m; },
        [&](double v, std::size_t i) { return v * (m - static_cast<double>(i)); },
        [&](double v, std::size_t i) { return v / (static_cast<double>(i + 1) / m); });
}

/// Container overload of adjust_pvalues.
template <class R>
    requires requires(const R& r) {
        { detail::as_const_span(r) } -> std::same_as<std::span<const double>>;
    }
[[nodiscard]] std::vector<double> adjust_pvalues(const R& p, correction method) {
    return adjust_pvalues(detail::as_const_span(p), method);
}

/// Adjusted ln p from ln p, in the input order: the adjustments of adjust_pvalues in logarithms,
/// so that p-values that underflow a double (ln p of -800, -1e5: KS, chi-square) still rank and
/// adjust: bonferroni min(0, ln p + ln m); holm the running maximum of ln p_(i) + ln(m - i); bh the
/// running minimum from the largest rank down of ln p_(i) + ln(m / (i + 1)); each capped at 0.
/// exp of the result equals adjust_pvalues of exp(ln p) to rounding (~1e-16 relative per unit of
/// |ln p|) wherever exp(ln p) is a normal double. -inf (p = 0) is allowed.
/// Throws errc::non_finite for a NaN, errc::invalid_parameter for ln p > 0.
/// Cost: O(m log m), O(m) for none and bonferroni.
[[nodiscard]] inline std::vector<double> adjust_log_pvalues(std::span<const double> log_p, correction method) {
    constexpr const char* where = "adjust_log_pvalues";
    for (std::size_t i = 0; i < log_p.size(); ++i) {
        detail::require(!std::isnan(log_p[i]), errc::non_finite, where, "ln p " + std::to_string(i) + " is NaN");
        detail::require(log_p[i] <= 0.0, errc::invalid_parameter, where, "ln p " + std::to_string(i) + " is above 0");
    }
    const auto m = static_cast<double>(log_p.size());
    const double log_m = std::log(m);
    return detail::adjust(
        log_p, method, 0.0, [&](double v) { return v + log_m; },
        [&](double v, std::size_t i) { return v + std::log(m - static_cast<double>(i)); },
        [&](double v, std::size_t i) { return v + std::log(m / static_cast<double>(i + 1)); });
}

/// Container overload of adjust_log_pvalues.
template <class R>
    requires requires(const R& r) {
        { detail::as_const_span(r) } -> std::same_as<std::span<const double>>;
    }
[[nodiscard]] std::vector<double> adjust_log_pvalues(const R& log_p, correction method) {
    return adjust_log_pvalues(detail::as_const_span(log_p), method);
}

} // namespace v0
} // namespace driftgate
