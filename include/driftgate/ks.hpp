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
// test", Ark. Mat. 3): lattice paths from (0,0) to (n1,n2) leaving the band |x/n1 - y/n2| < d.
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
#include <vector>

#include "driftgate/core.hpp"
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

/// Below this a double result is recomputed with a wider exponent range for its logarithm.
inline constexpr double ks_log_recompute_below = 1e-280;

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

struct ks_prob {
    bool ok = true;
    double p = 1.0;
    double logp = 0.0;
};

[[nodiscard]] inline std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept { // b > 0
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}
[[nodiscard]] inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept { // b > 0
    return -floor_div(-a, b);
}

/// Two-sided, n1 == n2 == n, D = h/n: Pr(D >= h/n) = 2 sum_{k>=1} (-1)^(k-1) C(2n, n-kh)/C(2n, n),
/// evaluated as 2 A0 (1 - A1 (1 - A2 (...))) with A_k = C(2n, n-(k+1)h)/C(2n, n-kh) as a product
/// of h ratios (as scipy's _compute_prob_outside_square): no cancellation, no overflow.
/// Cost O(n). ln p: A0 is summed as logs when the product underflows.
[[nodiscard]] inline ks_prob ks_exact_two_sided_equal(std::int64_t n, std::int64_t h) {
    auto ratio = [&](std::int64_t k) {
        double p1 = 1.0;
        for (std::int64_t j = 0; j < h; ++j)
            p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
        return p1;
    };
    double P = 0.0;
    for (std::int64_t k = n / h; k >= 1; --k) P = ratio(k) * (1.0 - P);
    const double inner = P; // A1 (1 - A2 (...))
    const double p = 2.0 * ratio(0) * (1.0 - inner);
    ks_prob r{true, p, 0.0};
    if (p >= ks_log_recompute_below) {
        r.logp = std::log(p);
    } else {
        double l0 = 0.0; // log A0 = sum_j log((n - j)/(n + j + 1))
        for (std::int64_t j = 0; j < h; ++j)
            l0 += std::log1p(-static_cast<double>(2 * j + 1) / static_cast<double>(n + j + 1));
        r.logp = ln2 + l0 + std::log1p(-inner);
    }
    return r;
}

/// One-sided, n1 == n2 == n: Pr(D+ >= h/n) = C(2n, n-h)/C(2n, n) = prod_{j<h} (n-j)/(n+j+1).
/// Cost O(h).
[[nodiscard]] inline ks_prob ks_exact_one_sided_equal(std::int64_t n, std::int64_t h) {
    double p = 1.0, lp = 0.0;
    for (std::int64_t j = 0; j < h; ++j) {
        p *= static_cast<double>(n - j) / static_cast<double>(n + j + 1);
        lp += std::log1p(-static_cast<double>(2 * j + 1) / static_cast<double>(n + j + 1));
    }
    return {true, p, p >= ks_log_recompute_below ? std::log(p) : lp};
}

/// Arithmetic of the path recursions, in a floating type (double, long double) or in logs.
template <class T>
struct linear_arith {
    using value = T;
    static value zero() { return T(0); }
    static value one() { return T(1); }
    // (i a + j b)/(i + j), scipy's order of operations
    static value mix(value a, value b, std::int64_t i, std::int64_t j, const std::vector<double>&) {
        return (a * static_cast<T>(i) + b * static_cast<T>(j)) / static_cast<T>(i + j);
    }
    static double log_of(value v) { return static_cast<double>(std::log(v)); }
};
struct log_arith {
    using value = double;
    static value zero() { return -INFINITY; }
    static value one() { return 0.0; }
    static value mix(value a, value b, std::int64_t i, std::int64_t j, const std::vector<double>& lg) {
        const double x = lg[static_cast<std::size_t>(i)] + a;
        const double y = j == 0 ? -INFINITY : lg[static_cast<std::size_t>(j)] + b;
        return log_add_exp(x, y) - lg[static_cast<std::size_t>(i + j)];
    }
    static double log_of(value v) { return v; }
};

/// Fraction of lattice paths (0,0) -> (m,n) (m >= n) that leave the band |ng x - mg y| < h,
/// i.e. Pr(D >= h/lcm). Viehmann's recursion: A(x,y) = fraction of paths to (x,y) that have left;
/// A = 1 outside the band, and inside A(x,y) = (x A(x-1,y) + y A(x,y-1)) / (x+y). One column at a
/// time, only the band's rows. Cost O(m * band width) <= O(m n), memory O(n).
template <class Arith>
[[nodiscard]] typename Arith::value ks_band_recursion(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h,
                                                      const std::vector<double>& lg) {
    using V = typename Arith::value;
    const std::int64_t mg = m / g, ng = n / g;
    std::vector<V> A(static_cast<std::size_t>(n + 1), Arith::one());
    const std::int64_t maxj0 = std::min(ceil_div(h, mg), n + 1);
    for (std::int64_t j = 0; j < maxj0; ++j) A[static_cast<std::size_t>(j)] = Arith::zero();
    for (std::int64_t i = 1; i <= m; ++i) {
        const std::int64_t minj = std::min(std::max<std::int64_t>(floor_div(ng * i - h, mg) + 1, 0), n);
        const std::int64_t maxj = std::min(ceil_div(ng * i + h, mg), n + 1);
        if (maxj <= minj) return Arith::one();
        V val = minj == 0 ? Arith::zero() : Arith::one();
        for (std::int64_t j = minj; j < maxj; ++j) {
            val = Arith::mix(A[static_cast<std::size_t>(j)], val, i, j, lg);
            A[static_cast<std::size_t>(j)] = val;
        }
    }
    return A[static_cast<std::size_t>(n)];
}

/// Fraction of lattice paths (0,0) -> (m,n) that reach ng x - mg y >= h (one boundary),
/// i.e. Pr(D+ >= h/lcm), by the same recursion. Cost O(m n), memory O(n).
template <class Arith>
[[nodiscard]] typename Arith::value ks_halfplane_recursion(std::int64_t m, std::int64_t n, std::int64_t g,
                                                           std::int64_t h, const std::vector<double>& lg) {
    using V = typename Arith::value;
    const std::int64_t mg = m / g, ng = n / g;
    std::vector<V> A(static_cast<std::size_t>(n + 1), Arith::zero());
    for (std::int64_t i = 1; i <= m; ++i) {
        const std::int64_t minj = std::max<std::int64_t>(floor_div(ng * i - h, mg) + 1, 0);
        if (minj > n) return Arith::one();
        V val = minj == 0 ? Arith::zero() : Arith::one();
        for (std::int64_t j = minj; j <= n; ++j) {
            val = Arith::mix(A[static_cast<std::size_t>(j)], val, i, j, lg);
            A[static_cast<std::size_t>(j)] = val;
        }
    }
    return A[static_cast<std::size_t>(n)];
}

/// Runs a path recursion in double (the p-value, as scipy computes it) and, when that is too
/// small for an accurate logarithm, again in long double (exponent range to 1e-4931) and, past
/// that, in logs.
template <template <class> class Rec>
[[nodiscard]] ks_prob ks_path_prob(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h) {
    if (m < n) std::swap(m, n);
    const std::vector<double> none;
    const double p = Rec<linear_arith<double>>::run(m, n, g, h, none);
    ks_prob r{true, p, 0.0};
    if (p >= ks_log_recompute_below) {
        r.logp = std::log(p);
        return r;
    }
    const long double pl = Rec<linear_arith<long double>>::run(m, n, g, h, none);
    if (pl >= 1e-4900L) {
        r.logp = static_cast<double>(std::log(pl));
        return r;
    }
    std::vector<double> lg(static_cast<std::size_t>(m + n + 1));
    lg[0] = -INFINITY;
    for (std::size_t k = 1; k < lg.size(); ++k) lg[k] = std::log(static_cast<double>(k));
    r.logp = Rec<log_arith>::run(m, n, g, h, lg);
    return r;
}
template <class A>
struct band_rec {
    static typename A::value run(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h,
                                 const std::vector<double>& lg) {
        return ks_band_recursion<A>(m, n, g, h, lg);
    }
};
template <class A>
struct halfplane_rec {
    static typename A::value run(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h,
                                 const std::vector<double>& lg) {
        return ks_halfplane_recursion<A>(m, n, g, h, lg);
    }
};

/// ln C(n1 + n2, n1).
[[nodiscard]] inline double log_binomial(double a, double b) {
    return std::lgamma(a + b + 1.0) - std::lgamma(a + 1.0) - std::lgamma(b + 1.0);
}

/// ln C(n, k) in long double: for min(k, n - k) <= 64 the sum of ln((n - k + j) / j), j = 1..k;
/// beyond, Stirling's form with Loader's error terms e(m) = ln m! - [(m + 1/2) ln m - m + ln sqrt(2 pi)]
/// (stirlerr), whose parts are positive but for the last, small ones, so nothing cancels:
///   ln C(n, k) = k ln(n/k) - (n-k) ln(1 - k/n) + 1/2 ln(n / (2 pi k (n-k))) + e(n) - e(k) - e(n-k).
/// Accurate to ~1e-18 relative (lgamma's difference loses ln(n!) * 1e-16 when k << n). O(1).
[[nodiscard]] inline long double log_choose(std::uint64_t n, std::uint64_t k) noexcept {
    k = std::min(k, n - k);
    if (k == 0) return 0.0L;
    const auto m = static_cast<long double>(n - k);
    if (k <= 64) {
        long double s = 0.0L;
        for (std::uint64_t j = 1; j <= k; ++j) s += std::log1p(m / static_cast<long double>(j));
        return s;
    }
    const auto nl = static_cast<long double>(n), kl = static_cast<long double>(k);
    constexpr long double two_pi = 6.283185307179586476925286766559005768L;
    return kl * std::log(nl / kl) - m * std::log1p(-kl / nl) + 0.5L * std::log(nl / (two_pi * kl * m)) +
           stirlerr(static_cast<double>(n)) - stirlerr(static_cast<double>(k)) - stirlerr(static_cast<double>(n - k));
}

/// The exact p-value at D = 1, where the samples do not overlap: of the C(n1 + n2, n1) equally
/// likely orders of the pooled sample (lattice paths), one puts every value of the first sample
/// before every value of the second and one does the opposite, so Pr(D+ >= 1) = 1 / C(n1 + n2, n1)
/// and Pr(D >= 1) = min(1, 2 / C(n1 + n2, n1)) (= 1 for n1 = n2 = 1). ln p is finite for every
/// n1, n2; p underflows to 0 past ln p ~ -745. O(1) (log_choose).
[[nodiscard]] inline ks_prob ks_separated(std::uint64_t n1, std::uint64_t n2, alternative alt) noexcept {
    constexpr long double ln2l = 0.693147180559945309417232121458176568L;
    long double lp = -log_choose(n1 + n2, n1);
    if (alt == alternative::two_sided) lp = std::min(lp + ln2l, 0.0L);
    return {true, static_cast<double>(std::exp(lp)), static_cast<double>(lp)};
}

/// Exact p-value as scipy's _attempt_exact_2kssamp: h = round(d lcm), d := h/lcm.
[[nodiscard]] inline ks_prob ks_exact(std::int64_t n1, std::int64_t n2, std::int64_t g, double& d, alternative alt) {
    const std::int64_t lcm = (n1 / g) * n2;
    const auto h = static_cast<std::int64_t>(std::nearbyint(d * static_cast<double>(lcm)));
    d = static_cast<double>(h) / static_cast<double>(lcm);
    if (h == 0) return {true, 1.0, 0.0};
    if (alt == alternative::two_sided) {
        if (n1 == n2) return ks_exact_two_sided_equal(n1, h);
        return ks_path_prob<band_rec>(n1, n2, g, h);
    }
    if (n1 == n2) return ks_exact_one_sided_equal(n1, h);
    // scipy counts these paths in doubles and gives up (falls back to the asymptotic formula)
    // when C(n1 + n2, n1) overflows a double; we keep the same boundary so that the p-values agree.
    if (log_binomial(static_cast<double>(n1), static_cast<double>(n2)) >= std::log(DBL_MAX))
        return {false, 0.0, 0.0};
    return ks_path_prob<halfplane_rec>(n1, n2, g, h);
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
        const auto pr = detail::ks_separated(r.n1, r.n2, opt.alt);
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
        pr = detail::ks_exact(n1, n2, g, d, opt.alt);
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
