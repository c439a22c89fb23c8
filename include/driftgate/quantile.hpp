// driftgate — sample quantiles with numpy's default method ("linear", Hyndman & Fan type 7).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

namespace detail {

/// numpy's _lerp: a + (b - a) t, evaluated from the nearer end (b - (b - a)(1 - t) when t >= 0.5)
/// so that the result is monotone in t and exact at both ends. Infinite ends are handled so that
/// the result is never NaN: equal ends give that end; t == 0 gives a. Finite ends whose difference
/// overflows a double are interpolated as a (1 - t) + b t.
[[nodiscard]] inline double lerp_numpy(double a, double b, double t) noexcept {
    if (a == b || t == 0.0) return a;
    if (std::isinf(a) || std::isinf(b)) return t >= 1.0 ? b : (std::isinf(a) ? a : b);
    const double d = b - a;
    // b - a overflows only for ends of opposite signs near +/-DBL_MAX (where numpy returns +/-inf
    // or NaN); the weighted mean cannot overflow there and stays within [a, b].
    if (std::isinf(d)) return std::clamp(a * (1.0 - t) + b * t, a, b);
    return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

/// Quantile q of ascending, non-empty `sorted` by numpy's linear method:
/// h = (n - 1) q, lo = floor(h), result = lerp(x[lo], x[lo + 1], h - lo). `sorted` is a span of
/// values or any view of them by rank (size() and operator[], e.g. a counted sample's).
template <class Sorted = std::span<const double>>
[[nodiscard]] double quantile_sorted(const Sorted& sorted, double q) noexcept {
    const std::size_t n = sorted.size();
    const double h = static_cast<double>(n - 1) * q;
    if (!(h > 0.0)) return sorted[0];
    if (h >= static_cast<double>(n - 1)) return sorted[n - 1];
    const double lo = std::floor(h);
    const auto i = static_cast<std::size_t>(lo);
    return lerp_numpy(sorted[i], sorted[i + 1], h - lo);
}

inline void check_probability(double q, const char* where) {
    require(q >= 0.0 && q <= 1.0, errc::invalid_parameter, where,
            "quantile level must lie in [0, 1]");
}

} // namespace detail

/// Quantile q in [0, 1] of a prepared sample's non-missing values, by numpy's default "linear"
/// method (Hyndman & Fan 1996, definition 7): h = (n - 1) q, x[floor h] + (h - floor h) *
/// (x[floor h + 1] - x[floor h]). Matches numpy.quantile(x[~isnan(x)], q) (numpy 1.24) bit for
/// bit on finite data. Missing values are excluded. Throws errc::empty_sample when no value is
/// left, errc::invalid_parameter for q outside [0, 1]. Cost: O(1).
[[nodiscard]] inline double quantile(const sorted_sample& s, double q) {
    detail::check_probability(q, "quantile");
    detail::require(!s.empty(), errc::empty_sample, "quantile", "no non-missing value");
    return detail::quantile_sorted(s.values, q);
}

/// Several quantiles of a prepared sample (see quantile(const sorted_sample&, double)).
/// Cost: O(number of levels).
[[nodiscard]] inline std::vector<double> quantiles(const sorted_sample& s, std::span<const double> qs) {
    detail::require(!s.empty(), errc::empty_sample, "quantiles", "no non-missing value");
    std::vector<double> out;
    out.reserve(qs.size());
    for (const double q : qs) {
        detail::check_probability(q, "quantiles");
        out.push_back(detail::quantile_sorted(s.values, q));
    }
    return out;
}

/// Quantile q of a raw sample (sorts a copy: O(n log n)); missing values (NaN) excluded.
template <arithmetic T>
[[nodiscard]] double quantile(std::span<const T> x, double q) {
    return quantile(sort_sample(x), q);
}

/// Container overload of quantile(std::span<const T>, double).
template <class Range>
    requires requires(const Range& r) { std::span(r); }
[[nodiscard]] double quantile(const Range& x, double q) {
    return quantile(detail::as_const_span(x), q);
}

} // namespace v0
} // namespace driftgate
