// driftgate — distances between the reference and the current distribution of a column:
//   * Jensen–Shannon distance between two distributions over the same categories or bins (given
//     as counts or weights, normalised inside);
//   * the 1-D Wasserstein distance (earth mover's, p = 1) between two numeric samples, with the
//     reference's standard deviation and the distance in units of it.
//
// Both are symmetric and 0 for equal distributions; neither has a p-value (they are effect sizes,
// judged against thresholds).
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

namespace detail {

/// f(t) = (1 + t) ln(1 + t) + (1 - t) ln(1 - t) for |t| <= 1: f(t) = sum_{k>=1} t^(2k) / (k (2k - 1))
/// (the integral of f'(t) = 2 artanh t), summed for |t| < 1/2 where the direct form cancels
/// (f ~ t^2); direct otherwise, f(+-1) = 2 ln 2.
[[nodiscard]] inline wide_float js_f(wide_float t) noexcept {
    using W = wide_float;
    const W a = std::fabs(t);
    if (a >= W(0.5)) {
        if (a >= W(1)) return W(2) * std::log(W(2));
        return (W(1) + a) * std::log1p(a) + (W(1) - a) * std::log1p(-a);
    }
    const W t2 = t * t;
    W power = t2, sum = 0;
    for (int k = 1; k < 200; ++k) {
        const W term = power / (static_cast<W>(k) * static_cast<W>(2 * k - 1));
        sum += term;
        if (term <= sum * static_cast<W>(1e-21L)) break;
        power *= t2;
    }
    return sum;
}

/// Checks a vector of counts or weights (finite, >= 0) and returns its sum (compensated, wide_float).
template <arithmetic T>
[[nodiscard]] wide_float checked_total(std::span<const T> w, const char* where, const char* which) {
    compensated_sum s;
    for (std::size_t i = 0; i < w.size(); ++i) {
        const auto v = static_cast<wide_float>(w[i]);
        require(std::isfinite(v), errc::non_finite, where,
                std::string(which) + " count " + std::to_string(i) + " is not finite");
        require(v >= 0, errc::negative_weight, where, std::string(which) + " count " + std::to_string(i) + " is negative");
        s.add(v);
    }
    return s.value();
}

/// The exact sum of non-negative integer counts (checked_total has checked them).
template <std::integral T>
[[nodiscard]] uint128 integer_total(std::span<const T> w) noexcept {
    uint128 s = 0;
    for (const T v : w) s += static_cast<std::uint64_t>(v);
    return s;
}

} // namespace detail

/// Jensen–Shannon distance between the distributions p / sum(p) and q / sum(q) over the same
/// categories or bins (counts or weights, any arithmetic type):
///   JS(p, q) = sqrt( (KL(p || m) + KL(q || m)) / 2 / ln(base) ),  m = (p + q) / 2,
/// in [0, 1] for base 2 (the default: 1 for disjoint supports), [0, sqrt(ln 2 / ln base)] in
/// general; 0 when the shares are equal. A bin empty in both contributes 0. Each bin contributes
/// m f(t) with t = (p - q) / (p + q) and f(t) = (1 + t) ln(1 + t) + (1 - t) ln(1 - t) (detail::js_f,
/// a series near t = 0), in wide_float (long double where it is wide, else double:
/// detail/wide_float.hpp), t from exact 128-bit integers for integer counts (sums below 2^63): no
/// cancellation where p ~ q, so nearly equal distributions keep their digits (counts of 1e12
/// differing by 1: JS = 4.2466e-13 to 1e-16 relative; scipy's rel_entr sums give it to 2e-5, and
/// are good to ~1e-8 absolute in general). Float weights: t from the shares in wide_float, ~1e-19
/// absolute in long double, ~1e-16 in double. Matches scipy.spatial.distance.jensenshannon(p, q,
/// base) (1.10).
/// Throws errc::length_mismatch for vectors of different lengths, errc::non_finite for a NaN or
/// infinite count, errc::negative_weight for a negative one, errc::empty_sample when either sums
/// to 0, errc::invalid_parameter unless base > 1 and finite. Cost: O(k).
template <arithmetic T>
[[nodiscard]] double jensen_shannon_distance(std::span<const T> p, std::span<const T> q, double base = 2.0) {
    constexpr const char* where = "jensen_shannon_distance";
    detail::require(p.size() == q.size(), errc::length_mismatch, where,
                    "the two distributions have different numbers of categories (" + std::to_string(p.size()) + " and " +
                        std::to_string(q.size()) + ")");
    detail::require(base > 1.0 && std::isfinite(base), errc::invalid_parameter, where,
                    "the base of the logarithm must be finite and > 1");
    using W = detail::wide_float;
    using detail::uint128;
    const W sp = detail::checked_total(p, where, "reference"), sq = detail::checked_total(q, where, "current");
    detail::require(sp > 0, errc::empty_sample, where, "the reference counts sum to 0");
    detail::require(sq > 0, errc::empty_sample, where, "the current counts sum to 0");
    // Integer counts summing below 2^63: t = (p_i B - q_i A) / (p_i B + q_i A) from exact 128-bit
    // integers (A, B the sums), so shares that differ in the 13th digit still give t to ~1e-19
    // relative; otherwise t from the shares in wide_float. The sums are exact integers in 128 bits
    // (sp and sq are their roundings).
    bool exact = false;
    uint128 ia = 0, ib = 0;
    if constexpr (std::is_integral_v<T>) {
        ia = detail::integer_total(p);
        ib = detail::integer_total(q);
        exact = ia < (uint128{1} << 63) && ib < (uint128{1} << 63);
    }
    detail::compensated_sum s; // sum of m f(t) = KL(p || m) + KL(q || m)
    for (std::size_t i = 0; i < p.size(); ++i) {
        const W a = static_cast<W>(p[i]) / sp, b = static_cast<W>(q[i]) / sq;
        if (a == 0 && b == 0) continue;
        W t = (a - b) / (a + b);
        if constexpr (std::is_integral_v<T>) {
            if (exact) {
                const uint128 x = static_cast<uint128>(p[i]) * ib, y = static_cast<uint128>(q[i]) * ia;
                const auto diff = static_cast<W>(x > y ? x - y : y - x);
                t = (x > y ? diff : -diff) / static_cast<W>(x + y);
            }
        }
        s.add(W(0.5) * (a + b) * detail::js_f(t));
    }
    const W ln2 = std::log(W(2));
    const W divergence = std::min(W(0.5) * s.value(), ln2); // nats, at most ln 2
    return static_cast<double>(std::sqrt(divergence / std::log(static_cast<W>(base))));
}

/// Container overload of jensen_shannon_distance (std::vector, std::array, ...).
template <class R1, class R2>
    requires requires(const R1& a, const R2& b) {
        std::span(a);
        std::span(b);
    }
[[nodiscard]] double jensen_shannon_distance(const R1& p, const R2& q, double base = 2.0) {
    return jensen_shannon_distance(detail::as_const_span(p), detail::as_const_span(q), base);
}

/// Result of the Wasserstein distance between the reference and the current sample.
struct [[nodiscard]] wasserstein_result {
    double distance = 0.0;      ///< W1 = integral of |F_ref(x) - F_cur(x)| dx, >= 0 (+inf: see wasserstein_distance)
    double reference_std = 0.0; ///< population standard deviation of the reference (ddof = 0); +inf if it holds +-inf
    /// distance / reference_std (0/0 = 0, d/0 = +inf, inf/inf = +inf; d/inf = NaN: a reference
    /// holding +-inf has no scale to measure a finite distance by, so the effect is undefined and a
    /// check judges it as a breach, where 0 passed any shift)
    double normalized = 0.0;
    std::size_t n_reference = 0, n_current = 0;             ///< non-missing sizes
    std::size_t missing_reference = 0, missing_current = 0; ///< missing (NaN) values left out
};

namespace detail {

/// The sum of W1's terms |i n2 - j n1| (v_(k+1) - v_k) and W1 from it, as the merges below add
/// them (see wasserstein_merge_as): in compensated long double where long double is wide, else
/// in detail::scaled_sum; a gap of infinite length makes the distance +inf.
class wasserstein_area {
public:
    /// The stretch (prev, v) over which |i n2 - j n1| = diff (> 0).
    template <class Count>
    void add(Count diff, double v, double prev) noexcept {
        if constexpr (long_double_is_wide) {
            const wide_float gap = static_cast<wide_float>(v) - static_cast<wide_float>(prev);
            if (std::isinf(gap)) [[unlikely]]
                infinite_ = true;
            else
                sum_.add(static_cast<wide_float>(diff) * gap);
        } else if (std::isinf(v) || std::isinf(prev)) {
            infinite_ = true;
        } else {
            const double gap = v - prev;
            if (std::isinf(gap)) // finite ends more than DBL_MAX apart: twice the half gap
                scaled_.add_product(static_cast<double>(diff), v * 0.5 - prev * 0.5, 1);
            else
                scaled_.add_product(static_cast<double>(diff), gap);
        }
    }
    /// W1 = the sum / (n1 n2); +inf beyond DBL_MAX or after an infinite gap.
    template <class Count>
    [[nodiscard]] double distance(Count n1, Count n2) const noexcept {
        if (infinite_) return INFINITY;
        if constexpr (long_double_is_wide) {
            const wide_float w = sum_.value() / (static_cast<wide_float>(n1) * static_cast<wide_float>(n2));
            return w > static_cast<wide_float>(DBL_MAX) ? INFINITY : static_cast<double>(w);
        } else {
            return scaled_.divided_by(static_cast<double>(n1) * static_cast<double>(n2));
        }
    }

private:
    compensated_sum sum_;  // where long double is wide
    scaled_sum scaled_;    // elsewhere
    bool infinite_ = false;
};

/// W1 by one merge of the runs of both samples: between consecutive distinct pooled values
/// v_k < v_(k+1), |F1 - F2| is constant, |i n2 - j n1| / (n1 n2) with i, j the values of each
/// sample <= v_k (an exact integer in 128 bits), so W1 = sum |i n2 - j n1| (v_(k+1) - v_k) / (n1 n2):
/// the gaps in long double (exact for most pairs, never overflowing), the products summed with
/// Neumaier's compensation in long double, one division at the end. A gap of infinite length
/// (next to -inf or +inf) contributes 0 where the ECDFs agree on it (|F1 - F2| = 0 exactly, the
/// product is skipped) and +inf where they differ. O(runs of both samples).
/// Where long double is not wide (detail/wide_float.hpp) the gaps are doubles (a gap beyond
/// DBL_MAX as twice its half) and the products are summed in detail::scaled_sum, which has an
/// exponent of its own: the same figures to ~1e-16 relative, not bit for bit.
template <class Count, class A, class B>
[[nodiscard]] double wasserstein_merge_as(const A& ref, const B& cur) {
    auto a = runs_of(ref);
    auto b = runs_of(cur);
    const Count n1 = ref.size(), n2 = cur.size();
    wasserstein_area area;
    Count diff = 0; // |i n2 - j n1| after the previous value
    double prev = 0.0;
    bool first = true;
    while (!a.done() || !b.done()) {
        const double v = (b.done() || (!a.done() && a.value() <= b.value())) ? a.value() : b.value();
        if (!first && diff != 0) area.add(diff, v, prev);
        if (!a.done() && a.value() == v) a.take();
        if (!b.done() && b.value() == v) b.take();
        const Count p = static_cast<Count>(a.position()) * n2, q = static_cast<Count>(b.position()) * n1;
        diff = p > q ? p - q : q - p;
        prev = v;
        first = false;
    }
    return area.distance(n1, n2);
}

/// wasserstein_merge_as<std::uint64_t> of two sorted samples where long double is wide, the same
/// terms summed in the same order (the same result, bit for bit), by a merge whose step picks the
/// smaller value without a branch: on samples that interleave, the merge of wasserstein_merge_as
/// mispredicts about every second step, which cost a third of its time (16 ms -> 10.5 ms on two
/// samples of 1e6 normal values). The loops over the rest of a run of ties cost nothing measurable
/// on samples without ties.
[[nodiscard]] inline double wasserstein_sorted(std::span<const double> a, std::span<const double> b) noexcept {
    const std::uint64_t n1 = a.size(), n2 = b.size();
    const double* const pa = a.data();
    const double* const pb = b.data();
    wasserstein_area area;
    std::uint64_t diff = 0; // |i n2 - j n1| after the previous value
    double prev = 0.0;
    bool first = true;
    std::size_t i = 0, j = 0;
    // The value v closes the stretch since prev; after stepping past it, the stretch from v.
    auto close = [&](double v) {
        if (!first && diff != 0) area.add(diff, v, prev);
    };
    auto moved = [&](double v) {
        const std::uint64_t p = static_cast<std::uint64_t>(i) * n2, q = static_cast<std::uint64_t>(j) * n1;
        diff = p > q ? p - q : q - p;
        prev = v;
        first = false;
    };
    while (i < n1 && j < n2) {
        const double va = pa[i], vb = pb[j];
        const double v = vb < va ? vb : va;
        close(v);
        i += va == v ? 1 : 0;
        j += vb == v ? 1 : 0;
        while (i < n1 && pa[i] == v) ++i;
        while (j < n2 && pb[j] == v) ++j;
        moved(v);
    }
    while (i < n1) {
        const double v = pa[i];
        close(v);
        for (++i; i < n1 && pa[i] == v;) ++i;
        moved(v);
    }
    while (j < n2) {
        const double v = pb[j];
        close(v);
        for (++j; j < n2 && pb[j] == v;) ++j;
        moved(v);
    }
    return area.distance(n1, n2);
}

/// The merge in 64-bit counts when n1 n2 fits (every sample up to 4e9 values against one of the
/// same size: the products i n2 and j n1 are at most n1 n2), else in 128 bits (a 128-bit product
/// converted to long double takes a library call per step: 11-16 % of a drift run's CPU). Two
/// sorted samples where long double is wide: wasserstein_sorted, the same sums by a faster merge.
template <class A, class B>
[[nodiscard]] double wasserstein_merge(const A& ref, const B& cur) {
    const std::uint64_t n1 = ref.size(), n2 = cur.size();
    if (n2 == 0 || n1 <= ~std::uint64_t{0} / n2) {
        if constexpr (long_double_is_wide && std::same_as<A, sorted_sample> && std::same_as<B, sorted_sample>)
            return wasserstein_sorted(ref.values, cur.values);
        return wasserstein_merge_as<std::uint64_t>(ref, cur);
    }
    return wasserstein_merge_as<uint128>(ref, cur);
}

/// Population standard deviation (ddof = 0) of a sample read by runs: two passes in long double,
/// each a compensated sum, the values shifted by the first one (so a constant sample gives exactly
/// 0 and no difference overflows): mean = v0 + sum c (v - v0) / n, var = sum c (v - mean)^2 / n.
/// +inf when the sample holds +-inf. O(runs).
/// Where long double is not wide the passes are in double over the values scaled by 2^-k
/// (detail::range_scale: k = 0 but for values beyond ~2^460 or below ~2^-450, whose squares
/// would overflow or underflow), and the result scaled back: ~1e-16 relative, not bit for bit.
template <class S>
[[nodiscard]] double population_std(const S& s) {
    using W = wide_float;
    auto r = runs_of(s);
    const double v0 = r.value();
    int k = 0; // values are scaled by 2^-k
    if constexpr (!long_double_is_wide) {
        const double lo = v0, hi = s.values.back(); // the ends: values ascend
        k = range_scale(std::max(std::fabs(lo), std::fabs(hi)), s.size());
    }
    auto scaled = [k](double v) { return static_cast<W>(k == 0 ? v : std::ldexp(v, -k)); };
    compensated_sum shifted;
    bool infinite = false;
    while (!r.done()) {
        const double v = r.value();
        const std::size_t before = r.position();
        r.take();
        if (std::isinf(v)) infinite = true;
        shifted.add(static_cast<W>(r.position() - before) * (scaled(v) - scaled(v0)));
    }
    if (infinite) return INFINITY;
    const auto n = static_cast<W>(s.size());
    const W mean = scaled(v0) + shifted.value() / n;
    compensated_sum squares;
    for (auto q = runs_of(s); !q.done();) {
        const W d = scaled(q.value()) - mean;
        const std::size_t before = q.position();
        q.take();
        squares.add(static_cast<W>(q.position() - before) * d * d);
    }
    const W sd = std::sqrt(squares.value() / n);
    if constexpr (long_double_is_wide)
        return sd > static_cast<W>(DBL_MAX) ? INFINITY : static_cast<double>(sd);
    else
        return std::ldexp(sd, k); // +inf beyond DBL_MAX
}

/// The result of wasserstein_distance from its two costly parts, wasserstein_merge(reference,
/// current) and population_std(reference), computed by the caller (at once, on threads of its own:
/// evaluate does). O(1).
template <class A, class B>
[[nodiscard]] wasserstein_result wasserstein_of(const A& reference, const B& current, double distance, double reference_std) {
    wasserstein_result r;
    r.n_reference = reference.size();
    r.n_current = current.size();
    r.missing_reference = reference.missing;
    r.missing_current = current.missing;
    r.distance = distance;
    r.reference_std = reference_std;
    if (r.distance == 0.0)
        r.normalized = 0.0;
    else if (r.reference_std == 0.0 || std::isinf(r.distance))
        r.normalized = INFINITY;
    else if (!std::isfinite(r.reference_std))
        r.normalized = NAN;  // a finite distance over an infinite deviation: undefined, not 0
    else
        r.normalized = r.distance / r.reference_std;
    return r;
}

} // namespace detail

/// The 1-D Wasserstein distance (p = 1) between the reference and the current sample, each sorted
/// (sorted_sample) or counted (counted_sample), in any combination; missing values (NaN) are left
/// out and counted. W1 = integral |F_ref - F_cur| dx over the pooled values (the area between the
/// ECDFs), by one merge (detail::wasserstein_merge: exact integer ECDF differences, gaps and sum in
/// compensated long double, or in doubles with an exponent of their own where long double is not
/// wide). Matches scipy.stats.wasserstein_distance(u, v) (1.10) on finite
/// values; the sorted and the counted form of a sample give the same result bit for bit.
/// Also the reference's population standard deviation (ddof = 0, numpy's np.std; two compensated
/// passes in wide_float) and normalized = distance / reference_std.
/// Edge cases: +-inf values are ordinary values; a gap of infinite length contributes 0 where the
/// ECDFs agree on it and +inf where they differ, so distance = +inf exactly when the samples hold
/// different shares of -inf or of +inf (scipy: NaN or inf); a finite distance beyond DBL_MAX is
/// +inf. reference_std is +inf when the reference holds +-inf. normalized: 0 when distance = 0;
/// +inf when reference_std = 0 < distance; NaN (undefined: no scale) when reference_std = +inf and
/// distance is finite and > 0, +inf when both are infinite. distance is never NaN. Throws errc::empty_sample when either sample has no
/// non-missing value. Cost: O(n1 + n2) for sorted samples (O(distinct values) steps, runs found by
/// galloping), O(distinct values) for counted ones.
template <class A, class B>
[[nodiscard]] wasserstein_result wasserstein_distance(const A& reference, const B& current)
    requires((std::same_as<A, sorted_sample> || std::same_as<A, counted_sample>) &&
             (std::same_as<B, sorted_sample> || std::same_as<B, counted_sample>))
{
    constexpr const char* where = "wasserstein_distance";
    detail::require(!reference.empty(), errc::empty_sample, where, "the reference sample has no non-missing value");
    detail::require(!current.empty(), errc::empty_sample, where, "the current sample has no non-missing value");
    return detail::wasserstein_of(reference, current, detail::wasserstein_merge(reference, current),
                                  detail::population_std(reference));
}

/// wasserstein_distance of raw samples (NaN = missing, left out and counted; +-inf are values):
/// sorts both (sort_sample), O((n1 + n2) log(n1 + n2)) at worst, then as above.
template <arithmetic T, arithmetic U>
[[nodiscard]] wasserstein_result wasserstein_distance(std::span<const T> reference, std::span<const U> current) {
    return wasserstein_distance(sort_sample(reference), sort_sample(current));
}

/// Container overload: anything contiguous that converts to std::span.
template <class R1, class R2>
    requires requires(const R1& a, const R2& b) {
        std::span(a);
        std::span(b);
    }
[[nodiscard]] wasserstein_result wasserstein_distance(const R1& reference, const R2& current) {
    return wasserstein_distance(detail::as_const_span(reference), detail::as_const_span(current));
}

} // namespace v0
} // namespace driftgate
