// driftgate — proxy metrics (no labels yet) and service metrics: shares of scores above or below
// a threshold, the mean score, each with a confidence interval; event rates; latency quantiles.
//
// The intervals let a band check tell "outside the band" from "inside, but the interval crosses
// the edge". Missing values (NaN) are excluded from every estimate and counted in the result.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>

#include <boost/math/distributions/students_t.hpp>

#include "driftgate/classification.hpp"
#include "driftgate/core.hpp"
#include "driftgate/detail/checks.hpp"
#include "driftgate/quantile.hpp"
#include "driftgate/roc.hpp" // not needed here; kept for code that reads the ROC metrics through this header
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

/// A share (count / n) with its Wilson score interval.
struct share_result {
    double share = 0.0;      ///< count / n
    std::size_t count = 0;   ///< values meeting the condition (events)
    std::size_t n = 0;       ///< non-missing values (trials)
    std::size_t missing = 0; ///< NaN values excluded
    double ci_lower = 0.0;   ///< Wilson lower bound
    double ci_upper = 0.0;   ///< Wilson upper bound
    double level = 0.95;     ///< confidence level
};

/// A mean with its Student t interval.
struct mean_result {
    double mean = 0.0;
    double std_dev = 0.0;    ///< sample standard deviation (divisor n - 1); 0 when n == 1
    std::size_t n = 0;       ///< non-missing values
    std::size_t missing = 0; ///< NaN values excluded
    double ci_lower = 0.0;   ///< mean - t s / sqrt(n); -inf when n == 1
    double ci_upper = 0.0;   ///< mean + t s / sqrt(n); +inf when n == 1
    double level = 0.95;     ///< confidence level
};

/// Latency quantiles P50 / P95 / P99 (numpy linear method).
struct latency_quantiles_result {
    double p50 = 0.0, p95 = 0.0, p99 = 0.0;
    std::size_t n = 0;       ///< non-missing values
    std::size_t missing = 0; ///< NaN values excluded
};

namespace detail {

[[nodiscard]] inline share_result make_share(std::size_t count, std::size_t n, std::size_t missing, double level,
                                             const char* where) {
    check_level(level, where);
    require(n > 0, errc::empty_sample, where,
            missing > 0 ? "all " + std::to_string(missing) + " values are missing (NaN)" : std::string("no value"));
    const auto w = wilson_interval(static_cast<double>(count), static_cast<double>(n), level);
    share_result r;
    r.share = w.value;
    r.count = count;
    r.n = n;
    r.missing = missing;
    r.ci_lower = w.ci_lower;
    r.ci_upper = w.ci_upper;
    r.level = level;
    return r;
}

template <arithmetic T, class Pred>
[[nodiscard]] share_result share_if(std::span<const T> x, Pred pred, double level, const char* where) {
    std::size_t count = 0, n = 0, missing = 0;
    for (const T v : x) {
        if (is_missing(v)) {
            ++missing;
            continue;
        }
        ++n;
        if (pred(static_cast<double>(v))) ++count;
    }
    return make_share(count, n, missing, level, where);
}

} // namespace detail

/// Share of values strictly above `threshold` (docs/policy.md, Proxies: high-risk share = share of
/// PD > 0.50) with its Wilson interval (see wilson_interval). NaN values are excluded and counted
/// in `missing`; +inf counts as above, -inf as not. Throws errc::empty_sample when no value is left,
/// errc::invalid_parameter for a NaN threshold or level outside (0, 1). Cost: O(n).
template <arithmetic T>
[[nodiscard]] share_result share_above(std::span<const T> x, double threshold, double level = 0.95) {
    detail::require(!std::isnan(threshold), errc::invalid_parameter, "share_above", "threshold is NaN");
    return detail::share_if(x, [threshold](double v) { return v > threshold; }, level, "share_above");
}

/// Container overload of share_above.
template <contiguous_values R>
[[nodiscard]] share_result share_above(const R& x, double threshold, double level = 0.95) {
    return share_above(detail::as_const_span(x), threshold, level);
}

/// Share of values strictly below `threshold` (docs/policy.md, Proxies: approval rate = share of
/// PD < 0.20) with its Wilson interval. Missing values as in share_above. Cost: O(n).
template <arithmetic T>
[[nodiscard]] share_result share_below(std::span<const T> x, double threshold, double level = 0.95) {
    detail::require(!std::isnan(threshold), errc::invalid_parameter, "share_below", "threshold is NaN");
    return detail::share_if(x, [threshold](double v) { return v < threshold; }, level, "share_below");
}

/// Container overload of share_below.
template <contiguous_values R>
[[nodiscard]] share_result share_below(const R& x, double threshold, double level = 0.95) {
    return share_below(detail::as_const_span(x), threshold, level);
}

/// Rate of events: `events` out of `total` (e.g. 5xx responses over all requests in a window)
/// with its Wilson interval. Throws errc::empty_sample for total == 0, errc::invalid_parameter
/// for events > total. Cost: O(1).
[[nodiscard]] inline share_result event_rate(std::size_t events, std::size_t total, double level = 0.95) {
    detail::require(events <= total, errc::invalid_parameter, "event_rate",
                    "events (" + std::to_string(events) + ") exceed total (" + std::to_string(total) + ")");
    return detail::make_share(events, total, 0, level, "event_rate");
}

/// Rate of flagged rows: flags are 0/1 (any arithmetic type; 1 = event), NaN flags are missing
/// (excluded, counted); any other value throws errc::bad_label with its index. Wilson interval.
/// Cost: O(n).
template <label_value T>
[[nodiscard]] share_result event_rate(std::span<const T> flags, double level = 0.95) {
    std::size_t count = 0, n = 0, missing = 0;
    for (std::size_t i = 0; i < flags.size(); ++i) {
        if (detail::is_missing(flags[i])) {
            ++missing;
            continue;
        }
        ++n;
        if (detail::label_is_positive(flags[i], i, "event_rate")) ++count;
    }
    return detail::make_share(count, n, missing, level, "event_rate");
}

/// Container overload of event_rate(flags, level).
template <contiguous_values R>
[[nodiscard]] share_result event_rate(const R& flags, double level = 0.95) {
    return event_rate(detail::as_const_span(flags), level);
}

/// Mean of the non-missing values with the Student t interval mean -/+ t_{n-1, 1-(1-level)/2}
/// s / sqrt(n) (t quantile from Boost.Math, complement form), as
/// scipy.stats.t.interval(level, n - 1, loc=mean, scale=sem) forms it. Agrees with a 40-digit
/// reference to ~1e-15; with scipy 1.10 to ~1e-10 only, the accuracy of scipy's t quantile
/// (cdflib stdtrit) at small n. NaN values are excluded and
/// counted; +/-inf throws errc::non_finite (index given); no value left: errc::empty_sample.
/// n == 1: std_dev = 0 and the interval is (-inf, +inf) (one value says nothing about spread).
/// Two passes in long double (mean, then squared deviations) where long double is wide
/// (detail/wide_float.hpp); elsewhere compensated sums in double over the values scaled by 2^-k
/// (detail::range_scale: k = 0 but for values beyond ~2^460 or below ~2^-450, whose sum or
/// squares would overflow or underflow), the mean and the deviation scaled back: the same figures
/// to ~1e-16 relative, not bit for bit. Cost: O(n).
template <arithmetic T>
[[nodiscard]] mean_result mean_score(std::span<const T> x, double level = 0.95) {
    const char* where = "mean_score";
    detail::check_level(level, where);
    mean_result r;
    r.level = level;
    using W = detail::wide_float;
    constexpr bool wide = detail::long_double_is_wide;
    W sum = 0;
    double max_abs = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (detail::is_missing(x[i])) {
            ++r.missing;
            continue;
        }
        const double v = static_cast<double>(x[i]);
        if (!std::isfinite(v))
            throw error(errc::non_finite, where, "value at index " + std::to_string(i) + " is infinite");
        if constexpr (wide)
            sum += v;
        else
            max_abs = std::max(max_abs, std::fabs(v));
        ++r.n;
    }
    detail::require(r.n > 0, errc::empty_sample, where,
                    r.missing > 0 ? "all " + std::to_string(r.missing) + " values are missing (NaN)"
                                  : std::string("no value"));
    const int k = wide ? 0 : detail::range_scale(max_abs, r.n); // values scaled by 2^-k
    auto scaled = [=](T v) -> W {
        if constexpr (wide)
            return static_cast<W>(v);
        else
            return k == 0 ? static_cast<double>(v) : std::ldexp(static_cast<double>(v), -k);
    };
    if constexpr (!wide) {
        detail::compensated_sum s;
        for (const T v : x)
            if (!detail::is_missing(v)) s.add(scaled(v));
        sum = s.value();
    }
    const W mean = sum / static_cast<W>(r.n);
    r.mean = wide ? static_cast<double>(mean) : std::ldexp(static_cast<double>(mean), k);
    if (r.n == 1) {
        r.ci_lower = -INFINITY;
        r.ci_upper = INFINITY;
        return r;
    }
    W ss = 0;
    detail::compensated_sum squares;
    for (const T v : x) {
        if (detail::is_missing(v)) continue;
        const W d = scaled(v) - mean;
        if constexpr (wide)
            ss += d * d;
        else
            squares.add(d * d);
    }
    if constexpr (!wide) ss = squares.value();
    const W sd = std::sqrt(ss / static_cast<W>(r.n - 1));
    r.std_dev = wide ? static_cast<double>(sd) : std::ldexp(static_cast<double>(sd), k);
    const auto nd = static_cast<double>(r.n);
    const boost::math::students_t_distribution<double, detail::math_policy> t(nd - 1.0);
    const double q = boost::math::quantile(boost::math::complement(t, (1.0 - level) / 2.0));
    const double half = q * r.std_dev / std::sqrt(nd);
    r.ci_lower = r.mean - half;
    r.ci_upper = r.mean + half;
    return r;
}

/// Container overload of mean_score.
template <contiguous_values R>
[[nodiscard]] mean_result mean_score(const R& x, double level = 0.95) {
    return mean_score(detail::as_const_span(x), level);
}

/// Latency P50, P95 and P99 of a prepared sample by numpy's linear method (see quantile()):
/// numpy.quantile(x[~isnan(x)], [0.5, 0.95, 0.99]) bit for bit. Throws errc::empty_sample when no
/// value is left. Cost: O(1).
[[nodiscard]] inline latency_quantiles_result latency_quantiles(const sorted_sample& s) {
    detail::require(!s.empty(), errc::empty_sample, "latency_quantiles",
                    s.missing > 0 ? "all values are missing (NaN)" : "no value");
    latency_quantiles_result r;
    r.p50 = quantile(s, 0.5);
    r.p95 = quantile(s, 0.95);
    r.p99 = quantile(s, 0.99);
    r.n = s.size();
    r.missing = s.missing;
    return r;
}

/// Latency P50, P95 and P99 of raw values (sorts a copy; NaN excluded and counted). Cost: O(n log n).
template <arithmetic T>
[[nodiscard]] latency_quantiles_result latency_quantiles(std::span<const T> x) {
    return latency_quantiles(sort_sample(x));
}

/// Container overload of latency_quantiles.
template <contiguous_values R>
[[nodiscard]] latency_quantiles_result latency_quantiles(const R& x) {
    return latency_quantiles(detail::as_const_span(x));
}

} // namespace v0
} // namespace driftgate
