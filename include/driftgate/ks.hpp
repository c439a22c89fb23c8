// driftgate — the two-sample Kolmogorov–Smirnov test (reference vs current sample).
//
// Statistic: the largest distance between the two empirical CDFs, both evaluated at every
// pooled value (so ties are handled), found by one linear merge of the sorted samples.
// p-value: scipy.stats.ks_2samp (1.10) semantics — method "auto" is exact when
// max(n1, n2) <= 10000, asymptotic otherwise; an exact computation that cannot be done falls
// back to the asymptotic one and says so in the result. Unlike scipy, the result also carries
// ln p, accurate where p itself underflows a double (strong drift on large samples).
//
// Exact distributions (Hodges 1958, "The significance probability of the Smirnov two-sample
// test", Ark. Mat. 3; in detail/ks_exact.hpp): lattice paths from (0,0) to (n1,n2) leaving the
// band |x/n1 - y/n2| < d.
//   * n1 == n2: the closed alternating series (Gnedenko–Korolyuk), two-sided and one-sided.
//   * n1 != n2, two-sided: the fraction of paths leaving the band by the recursion of Viehmann
//     (2021, arXiv:2102.08037), which works with that fraction directly (a convex combination
//     of neighbours, no cancellation), as scipy does.
//   * n1 != n2, one-sided: the same kind of recursion with one boundary (scipy instead counts
//     paths with an alternating sum; the values agree, ours without cancellation).
// Asymptotic: two-sided = kolmogorov_sf(round(n1 n2/(n1+n2)), d) (scipy's kstwo.sf); one-sided =
// Hodges' (1958) eq. 5.3, exp(-2z^2 - 2z(m+2n)/(3 sqrt(mn(m+n)))) with z = d sqrt(mn/(m+n)), m >= n.
//
// D = 1 (the samples do not overlap) is answered exactly for every method: p = 2 / C(n1+n2, n1)
// two-sided (at most 1), 1 / C(n1+n2, n1) one-sided, ln p finite for every n1, n2, and the result
// says method exact. There the asymptotic formulas are far off: kstwo.sf(1) = 0, so scipy's
// asymptotic two-sided p is 0 and its ln -inf (0..19999 against 1e6 + 0..19999: ln p = -27,719.67;
// 1 value against 20,000: p = 1.0e-4), and Hodges' one-sided formula gives 1.4e-44 for
// n1 = n2 = 100 where the exact p is 1.1e-59 (scipy uses it under 'asymp', and under 'exact'
// when C(n1+n2, n1) overflows). Elsewhere the exact value is scipy's to rounding.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>

#include "driftgate/core.hpp"
#include "driftgate/detail/ks_exact.hpp"
#include "driftgate/kolmogorov.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

/// Alternative hypothesis, with scipy's conventions for the CDFs F (reference, first sample) and
/// G (current, second sample): two_sided F != G; less: F < G somewhere (statistic
/// max(G_n - F_n)); greater: F > G somewhere (statistic max(F_n - G_n)).
enum class alternative { two_sided, less, greater };

/// How the p-value is computed: automatic (exact when max(n1, n2) <= 10000), exact, asymptotic.
enum class ks_method { automatic, exact, asymptotic };

struct ks_options {
    alternative alt = alternative::two_sided;
    ks_method method = ks_method::automatic;
};

/// Result of the two-sample KS test.
struct ks_result {
    double statistic = 0.0;  ///< D (for the exact method: h/lcm(n1, n2), as scipy reports it)
    double pvalue = 1.0;     ///< p-value in [0, 1] (may underflow to 0; see log_pvalue)
    double log_pvalue = 0.0; ///< ln p, finite whenever p > 0 mathematically
    ks_method method = ks_method::exact; ///< the method that produced pvalue (exact or asymptotic; exact at D = 1)
    bool fell_back = false;  ///< exact was requested/selected but not possible: asymptotic used
    double location = 0.0;   ///< pooled value where the statistic is reached (scipy's statistic_location)
    int sign = 1;            ///< +1 if the reference ECDF exceeds the current one there, else -1
    std::size_t n1 = 0, n2 = 0;             ///< non-missing sizes of reference and current
    std::size_t missing1 = 0, missing2 = 0; ///< missing (NaN) values excluded from each sample
    alternative alt = alternative::two_sided;
};

namespace detail {

struct ks_statistic_parts {
    double d;
    double location;
    int sign;
};

/// The extremes of F1 - F2 over the pooled values seen so far, and where they are first reached
/// in scipy's order (sample 1 before sample 2, ascending): loc1/loc2 are the first values of
/// sample 1/2 reaching the extreme (in1/in2: one exists).
struct ks_extremes {
    double best_max = -INFINITY, best_min = INFINITY;
    double max_loc1 = 0, max_loc2 = 0, min_loc1 = 0, min_loc2 = 0;
    bool max_in1 = false, max_in2 = false, min_in1 = false, min_in2 = false;

    /// Folds in the extremes of a later stretch of the merge: the result is that of recording the
    /// later stretch's groups after the ones already recorded (a strictly larger extreme replaces;
    /// at an equal one the first group of each sample is kept).
    void fold(const ks_extremes& later) noexcept {
        using E = ks_extremes;
        // One extreme (the maximum or the minimum) and where each sample first reaches it.
        auto one = [&](double E::*best, bool E::*in1, bool E::*in2, double E::*loc1, double E::*loc2, bool replaces) {
            if (replaces) {
                this->*best = later.*best;
                this->*in1 = later.*in1;
                this->*in2 = later.*in2;
                this->*loc1 = later.*loc1;
                this->*loc2 = later.*loc2;
            } else if (later.*best == this->*best) {
                if (later.*in1 && !(this->*in1)) { this->*in1 = true; this->*loc1 = later.*loc1; }
                if (later.*in2 && !(this->*in2)) { this->*in2 = true; this->*loc2 = later.*loc2; }
            }
        };
        one(&E::best_max, &E::max_in1, &E::max_in2, &E::max_loc1, &E::max_loc2, later.best_max > best_max);
        one(&E::best_min, &E::min_in1, &E::min_in2, &E::min_loc1, &E::min_loc2, later.best_min < best_min);
    }

    /// The distance diff at pooled value v, which closes a group of equal values (in1/in2: v is
    /// in sample 1/2): the fold of that one group.
    void record(double diff, double v, bool in1, bool in2) noexcept {
        fold({diff, diff, v, v, v, v, in1, in2, in1, in2});
    }
};


/// The merge of two sorted samples, a group of equal pooled values at a time: the next value's
/// sample is chosen without a branch (the rest of a group tied within a sample is stepped over
/// after it, a loop that does not run on untied data), and a group is recorded only when the
/// exact distance (i n2 - j n1) / (n1 n2), an integer numerator, comes within `margin` of an
/// extreme found so far. The double distance i/n1 - j/n2 is within 3 roundings (3 * 2^-53) of the
/// exact one, so a group further inside can neither reach nor tie an extreme in doubles: the
/// result is the general merge's (ks_extremes_merge), bit for bit, with two divisions and the
/// extremes' bookkeeping skipped at almost every value. Needs n1, n2 <= 2^31.
/// Each step of a merge waits for the previous one (which sample advanced), so the pooled values
/// are cut into four stretches at values of `a` (at the first of their equal values in both
/// samples, found by binary search, so that no group is cut) whose merges advance side by side,
/// each with its own extremes and bounds; the stretches' extremes are folded in order
/// (ks_extremes::fold). Tied = false: neither sample has ties within itself (the loops over the rest
/// of a group are left out: on 1e6 values they cost more than a third of the merge).
template <bool Tied>
[[nodiscard]] ks_extremes ks_extremes_sorted(std::span<const double> a, std::span<const double> b) noexcept {
    const std::size_t n1 = a.size(), n2 = b.size();
    const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2), nn = dn1 * dn2;
    const auto n1i = static_cast<std::int64_t>(n1), n2i = static_cast<std::int64_t>(n2);
    constexpr double margin = 32.0 * DBL_EPSILON / 2.0;
    const double* const pa = a.data();
    const double* const pb = b.data();
    auto to_bound = [](double t, bool up) {
        if (!(t > -9.0e18)) return std::numeric_limits<std::int64_t>::min();
        if (!(t < 9.0e18)) return std::numeric_limits<std::int64_t>::max();
        return static_cast<std::int64_t>(up ? std::ceil(t) : std::floor(t));
    };
    struct stretch {
        std::size_t i, i_end, j, j_end;  // the pooled values a[i..i_end) and b[j..j_end)
        ks_extremes x;
        // Numerators strictly between these cannot matter (first bounds: none can be skipped).
        std::int64_t skip_below = std::numeric_limits<std::int64_t>::min();
        std::int64_t skip_above = std::numeric_limits<std::int64_t>::max();
    };
    // The group of v just closed at (s.i, s.j): recorded when its exact numerator is not strictly
    // inside the skip bounds.
    auto consider = [&](stretch& s, double v, bool in1, bool in2) {
        const std::int64_t e = static_cast<std::int64_t>(s.i) * n2i - static_cast<std::int64_t>(s.j) * n1i;
        if (e >= s.skip_below || e <= s.skip_above) [[unlikely]] {
            s.x.record(static_cast<double>(s.i) / dn1 - static_cast<double>(s.j) / dn2, v, in1, in2);
            s.skip_below = to_bound((s.x.best_max - margin) * nn, false);
            s.skip_above = to_bound((s.x.best_min + margin) * nn, true);
        }
    };
    // One merge step of s (both of its parts non-empty): the group of the next value.
    auto step = [&](stretch& s) {
        const double va = pa[s.i], vb = pb[s.j];
        const double v = vb < va ? vb : va;
        const bool in1 = va == v, in2 = vb == v;
        s.i += in1 ? 1 : 0;
        s.j += in2 ? 1 : 0;
        if constexpr (Tied) {
            while (s.i < s.i_end && pa[s.i] == v) ++s.i;
            while (s.j < s.j_end && pb[s.j] == v) ++s.j;
        }
        consider(s, v, in1, in2);
    };
    auto open = [](const stretch& s) { return s.i < s.i_end && s.j < s.j_end; };

    constexpr std::size_t ways = 4, min_split = 4096;
    const std::size_t k = n1 >= ways && n1 + n2 >= min_split ? ways : 1;
    stretch st[ways];
    for (std::size_t w = 0; w < k; ++w) {
        const double cut = pa[n1 * w / k];
        st[w].i = w == 0 ? 0 : static_cast<std::size_t>(std::lower_bound(pa, pa + n1, cut) - pa);
        st[w].j = w == 0 ? 0 : static_cast<std::size_t>(std::lower_bound(pb, pb + n2, cut) - pb);
    }
    for (std::size_t w = 0; w < k; ++w) {
        st[w].i_end = w + 1 < k ? st[w + 1].i : n1;
        st[w].j_end = w + 1 < k ? st[w + 1].j : n2;
    }
    if (k == ways)
        while (open(st[0]) && open(st[1]) && open(st[2]) && open(st[3])) {
            step(st[0]);
            step(st[1]);
            step(st[2]);
            step(st[3]);
        }
    ks_extremes x;
    for (std::size_t w = 0; w < k; ++w) {
        stretch& s = st[w];
        while (open(s)) step(s);
        // The rest of one part lies below the next stretch's values (no value of the other part
        // equals it): its groups hold values of that part only.
        while (s.i < s.i_end) {
            const double v = pa[s.i];
            while (s.i < s.i_end && pa[s.i] == v) ++s.i;
            consider(s, v, true, false);
        }
        while (s.j < s.j_end) {
            const double v = pb[s.j];
            while (s.j < s.j_end && pb[s.j] == v) ++s.j;
            consider(s, v, false, true);
        }
        x.fold(s.x);
    }
    return x;
}

/// The extremes by the general merge: at every distinct pooled value v, F1(v) = #{a <= v}/n1 and
/// F2(v) = #{b <= v}/n2 (as numpy's searchsorted(side='right')). O(runs of a + runs of b) steps.
template <class A, class B>
[[nodiscard]] ks_extremes ks_extremes_merge(A a, B b, std::size_t n1, std::size_t n2) noexcept {
    const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
    ks_extremes x;
    while (!a.done() || !b.done()) {
        const double v = (b.done() || (!a.done() && a.value() <= b.value())) ? a.value() : b.value();
        const bool in1 = !a.done() && a.value() == v, in2 = !b.done() && b.value() == v;
        if (in1) a.take();
        if (in2) b.take();
        x.record(static_cast<double>(a.position()) / dn1 - static_cast<double>(b.position()) / dn2, v, in1, in2);
    }
    return x;
}

/// D, where it is reached and its sign from the extremes: the location reported is the first
/// pooled value reaching the extreme in scipy's order (sample 1 before sample 2, ascending),
/// matching statistic_location.
[[nodiscard]] inline ks_statistic_parts ks_parts(const ks_extremes& x, alternative alt) noexcept {
    const double loc_max = x.max_in1 ? x.max_loc1 : x.max_loc2;
    const double loc_min = x.min_in1 ? x.min_loc1 : x.min_loc2;
    const double min_s = std::clamp(-x.best_min, 0.0, 1.0) + 0.0; // + 0.0: no -0
    const double max_s = x.best_max;
    if (alt == alternative::less || (alt == alternative::two_sided && min_s > max_s))
        return {min_s, loc_min, -1};
    return {max_s, loc_max, 1};
}

/// D and where it is reached, by one merge of the sorted samples: O(n1 + n2) (ks_extremes_sorted
/// up to 2^31 values a sample, its tie loops only when a sample has ties).
[[nodiscard]] inline ks_statistic_parts ks_statistic(const sorted_sample& a, const sorted_sample& b, alternative alt) {
    constexpr std::size_t sorted_max = std::size_t{1} << 31;
    const std::size_t n1 = a.size(), n2 = b.size();
    if (n1 <= sorted_max && n2 <= sorted_max)
        return ks_parts(has_ties(a.values) || has_ties(b.values) ? ks_extremes_sorted<true>(a.values, b.values)
                                                                 : ks_extremes_sorted<false>(a.values, b.values),
                        alt);
    return ks_parts(ks_extremes_merge(sorted_runs(a), sorted_runs(b), n1, n2), alt);
}

/// D and where it is reached when either sample is counted: O(distinct values) merge steps.
template <class A, class B>
[[nodiscard]] ks_statistic_parts ks_statistic(const A& a, const B& b, alternative alt) {
    return ks_parts(ks_extremes_merge(runs_of(a), runs_of(b), a.size(), b.size()), alt);
}

/// Asymptotic p-value as scipy's ks_2samp method='asymp'.
[[nodiscard]] inline ks_prob ks_asymptotic(double n1, double n2, double d, alternative alt) {
    const double m = std::max(n1, n2), n = std::min(n1, n2);
    const double en = m * n / (m + n);
    if (alt == alternative::two_sided) {
        // scipy evaluates kstwo at round(en) (half to even); n1 = n2 = 1 gives 0, where scipy
        // returns NaN: we use the smallest sample size, 1.
        const double enr = std::max(1.0, std::nearbyint(en));
        const auto parts = kolmogorov_eval(static_cast<std::uint64_t>(enr), d, "ks_2samp");
        return {true, parts.sf, parts.logsf};
    }
    const double z = std::sqrt(en) * d;
    const double expt = -2.0 * z * z - 2.0 * z * (m + 2.0 * n) / std::sqrt(m * n * (m + n)) / 3.0;
    return {true, std::exp(expt), expt};
}

} // namespace detail

/// Two-sample Kolmogorov–Smirnov test of the reference sample against the current one, each
/// already sorted (sorted_sample) or counted (counted_sample, same results as its expansion),
/// missing values set aside (their counts are reported). Statistic by a linear merge, O(n1 + n2)
/// (O(distinct values) for a counted sample against a counted one). p-value, by method:
///   * exact: n1 == n2 closed series O(n); n1 != n2 two-sided Hodges/Viehmann lattice recursion
///     O(n1 n2 d) (at most ~1e8 steps under "automatic"); one-sided O(n1 n2) — one-sided with
///     n1 != n2 is possible only while C(n1+n2, n1) is finite in double (scipy's limit), and any
///     exact request with lcm(n1, n2) too large for scipy (n1/g >= (2^31-1)/(n2/g)) falls back.
///   * asymptotic: O(1) except the Smirnov tail sum, O(n1 n2/(n1+n2)) at worst, O(1) past 2e6.
/// ln p is always given; when p is below 1e-280 the exact recursions are re-run in long double
/// and, if needed, in logs (up to ~10x the double cost).
/// At D = 1 (no overlap) p and ln p are the exact 2 / C(n1+n2, n1) (one-sided 1 / C) for every
/// method, in O(1), and method says exact (see the header comment).
/// Matches scipy.stats.ks_2samp 1.10 (statistic, pvalue, statistic_location, statistic_sign;
/// pvalue but at D = 1 under the asymptotic method or scipy's fallback).
/// Throws driftgate::error(errc::empty_sample) if either sample has no non-missing value.
template <class A, class B>
[[nodiscard]] ks_result ks_2samp(const A& ref, const B& cur, ks_options opt = {})
    requires((std::same_as<A, sorted_sample> || std::same_as<A, counted_sample>) &&
             (std::same_as<B, sorted_sample> || std::same_as<B, counted_sample>))
{
    detail::require(!ref.empty(), errc::empty_sample, "ks_2samp", "the reference sample has no non-missing value");
    detail::require(!cur.empty(), errc::empty_sample, "ks_2samp", "the current sample has no non-missing value");
    ks_result r;
    r.n1 = ref.size();
    r.n2 = cur.size();
    r.missing1 = ref.missing;
    r.missing2 = cur.missing;
    r.alt = opt.alt;
    const auto st = detail::ks_statistic(ref, cur, opt.alt);
    double d = st.d;
    r.location = st.location;
    r.sign = st.sign;

    if (d == 1.0) {
        // The samples do not overlap (D = i/n1 - j/n2 rounds to 1 only at i = n1, j = 0 and the
        // mirror case: 1 - j/n2 >= 1 - 2^-53 for every n2 < 2^53). The exact p-value is closed
        // (detail::ks_separated), whatever the method asked for.
        const auto pr = detail::ks_separated(r.n1, r.n2, opt.alt == alternative::two_sided);
        r.statistic = 1.0;
        r.method = ks_method::exact;
        r.pvalue = std::clamp(pr.p, 0.0, 1.0);
        r.log_pvalue = std::min(pr.logp, 0.0);
        return r;
    }
    const auto n1 = static_cast<std::int64_t>(r.n1), n2 = static_cast<std::int64_t>(r.n2);
    const std::int64_t g = std::gcd(n1, n2);
    ks_method mode = opt.method;
    if (mode == ks_method::automatic) {
        mode = std::max(r.n1, r.n2) <= 10000 ? ks_method::exact : ks_method::asymptotic;
    } else if (mode == ks_method::exact) {
        const double n1g = static_cast<double>(n1 / g), n2g = static_cast<double>(n2 / g);
        if (n1g >= 2147483647.0 / n2g) {
            mode = ks_method::asymptotic;
            r.fell_back = true;
        }
    }
    detail::ks_prob pr;
    if (mode == ks_method::exact) {
        pr = detail::ks_exact(n1, n2, g, d, opt.alt == alternative::two_sided);
        if (!pr.ok || !(pr.p >= 0.0 && pr.p <= 1.0)) {
            mode = ks_method::asymptotic;
            r.fell_back = true;
        }
    }
    if (mode == ks_method::asymptotic)
        pr = detail::ks_asymptotic(static_cast<double>(n1), static_cast<double>(n2), d, opt.alt);
    r.statistic = d;
    r.method = mode;
    r.pvalue = std::clamp(pr.p, 0.0, 1.0);
    r.log_pvalue = std::min(pr.logp, 0.0);
    return r;
}

/// Two-sample KS test on raw samples (NaN = missing, excluded and counted; ±inf are values).
/// Sorts both, O((n1 + n2) log(n1 + n2)), then as the sorted_sample overload.
template <arithmetic T, arithmetic U>
[[nodiscard]] ks_result ks_2samp(std::span<const T> ref, std::span<const U> cur, ks_options opt = {}) {
    return ks_2samp(sort_sample(ref), sort_sample(cur), opt);
}

/// Container overload: anything contiguous that converts to std::span.
template <class R1, class R2>
    requires requires(const R1& a, const R2& b) {
        std::span(a);
        std::span(b);
    }
[[nodiscard]] ks_result ks_2samp(const R1& ref, const R2& cur, ks_options opt = {}) {
    return ks_2samp(detail::as_const_span(ref), detail::as_const_span(cur), opt);
}

} // namespace v0
} // namespace driftgate
