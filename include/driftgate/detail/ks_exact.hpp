// driftgate — internal: the exact null distribution of the two-sample Kolmogorov–Smirnov statistic
// (ks.hpp's exact method) and the closed form at D = 1.
//
// Lattice paths from (0,0) to (n1,n2) leaving the band |x/n1 - y/n2| < d (Hodges 1958, "The
// significance probability of the Smirnov two-sample test", Ark. Mat. 3):
//   * n1 == n2: the closed alternating series (Gnedenko–Korolyuk), two-sided and one-sided;
//   * n1 != n2, two-sided: the fraction of paths leaving the band by the recursion of Viehmann
//     (2021, arXiv:2102.08037), a convex combination of neighbours (no cancellation), as scipy;
//   * n1 != n2, one-sided: the same kind of recursion with one boundary;
//   * D = 1: 2 / C(n1 + n2, n1) two-sided, 1 / C(n1 + n2, n1) one-sided.
// Each gives p as scipy computes it and ln p, accurate where p underflows a double.
#pragma once

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/kolmogorov.hpp"

namespace driftgate {
inline namespace v0 {
namespace detail {

/// Below this a double result is recomputed with a wider exponent range for its logarithm.
inline constexpr double ks_log_recompute_below = 1e-280;

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
/// The same recursion in doubles with an exponent of their own, value = m 2^(512 e): the
/// portable path's stand-in for long double where p is below a double's range. Non-zero values
/// keep |m| in [2^-400, 2^112] (a value below is scaled by 2^512; a value never grows, the
/// recursion's are convex combinations of values <= 1), so aligned operands stay normal and every
/// step rounds as the double recursion does, with a double's 53-bit significand; an aligned
/// operand below 2^-1022 (2^-600 of the other or less) loses digits or underflows, a change far
/// below the last bit.
struct scaled_arith {
    struct value {
        double m;
        std::int64_t e;
    };
    static value zero() { return {0.0, 0}; }
    static value one() { return {1.0, 0}; }
    static value mix(value a, value b, std::int64_t i, std::int64_t j, const std::vector<double>&) {
        // Both in units of the larger operand's (a larger e is a larger value); an operand of
        // weight 0 (j = 0) or value 0 takes no part, so a lone operand keeps its own exponent.
        double x = a.m, y = j == 0 ? 0.0 : b.m;
        std::int64_t e = a.e;
        if (x == 0.0) {
            e = b.e;
        } else if (y != 0.0 && b.e != a.e) {
            if (b.e > a.e) {
                x = align(x, b.e - a.e);
                e = b.e;
            } else {
                y = align(y, a.e - b.e);
            }
        }
        double r = (x * static_cast<double>(i) + y * static_cast<double>(j)) / static_cast<double>(i + j);
        if (r != 0.0 && std::fabs(r) < 0x1p-400) {
            r *= 0x1p512;
            e -= 1;
        }
        return {r, e};
    }
    static double log_of(value v) { return std::log(v.m) + static_cast<double>(v.e) * (512.0 * ln2); }

private:
    static double align(double m, std::int64_t steps) { // m 2^(-512 steps), steps >= 1
        return steps > 2 ? 0.0 : std::ldexp(m, -512 * static_cast<int>(steps));
    }
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

#if LDBL_MAX_EXP >= 16384
/// Below this the long double recursion is itself near underflow (1e-4931) and logs take over.
inline constexpr long double ks_wide_log_below = 1e-4900L;
#else
inline constexpr long double ks_wide_log_below = 0.0L; // unused: long double is not wide
#endif

/// Runs a path recursion in double (the p-value, as scipy computes it) and, when that is too
/// small for an accurate logarithm, again in long double (exponent range to 1e-4931) and, past
/// that, in logs. Where long double is not wide (detail/wide_float.hpp) the second run is in
/// scaled doubles (scaled_arith), whose range has no end: ln p then agrees with the long double
/// run to ~1e-12 relative or better (a 53-bit significand where long double has 64), not bit for
/// bit.
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
    if constexpr (!long_double_is_wide) {
        r.logp = scaled_arith::log_of(Rec<scaled_arith>::run(m, n, g, h, none));
    } else {
        const wide_float pl = Rec<linear_arith<wide_float>>::run(m, n, g, h, none);
        if (pl >= ks_wide_log_below) {
            r.logp = static_cast<double>(std::log(pl));
            return r;
        }
        std::vector<double> lg(static_cast<std::size_t>(m + n + 1));
        lg[0] = -INFINITY;
        for (std::size_t k = 1; k < lg.size(); ++k) lg[k] = std::log(static_cast<double>(k));
        r.logp = Rec<log_arith>::run(m, n, g, h, lg);
    }
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

/// ln C(n, k) in wide_float (detail/wide_float.hpp): for min(k, n - k) <= 64 the sum of
/// ln((n - k + j) / j), j = 1..k; beyond, Stirling's form with Loader's error terms
/// e(m) = ln m! - [(m + 1/2) ln m - m + ln sqrt(2 pi)] (stirlerr), whose parts are positive but for
/// the last, small ones, so nothing cancels:
///   ln C(n, k) = k ln(n/k) - (n-k) ln(1 - k/n) + 1/2 ln(n / (2 pi k (n-k))) + e(n) - e(k) - e(n-k).
/// Accurate to ~1e-18 relative in long double, ~5e-16 in double (lgamma's difference loses
/// ln(n!) * 1e-16 when k << n). O(1).
[[nodiscard]] inline wide_float log_choose(std::uint64_t n, std::uint64_t k) noexcept {
    using W = wide_float;
    k = std::min(k, n - k);
    if (k == 0) return W(0);
    const auto m = static_cast<W>(n - k);
    if (k <= 64) {
        W s = 0;
        for (std::uint64_t j = 1; j <= k; ++j) s += std::log1p(m / static_cast<W>(j));
        return s;
    }
    const auto nl = static_cast<W>(n), kl = static_cast<W>(k);
    constexpr W two_pi = static_cast<W>(6.283185307179586476925286766559005768L);
    return kl * std::log(nl / kl) - m * std::log1p(-kl / nl) + W(0.5) * std::log(nl / (two_pi * kl * m)) +
           stirlerr(static_cast<double>(n)) - stirlerr(static_cast<double>(k)) - stirlerr(static_cast<double>(n - k));
}

/// A double-double number hi + lo (|lo| <= ulp(hi) / 2) and the few operations
/// scaled_reciprocal_binomial needs (Dekker, Knuth; as in Bailey's QD library), each good to
/// ~2^-104 relative.
struct double_double {
    double hi = 0.0, lo = 0.0;
};
[[nodiscard]] inline double_double dd_quick_sum(double a, double b) noexcept { // |a| >= |b| or a = 0
    const double s = a + b;
    return {s, b - (s - a)};
}
[[nodiscard]] inline double_double dd_sum(double a, double b) noexcept {
    const double s = a + b, bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}
[[nodiscard]] inline double_double dd_add(double_double a, double_double b) noexcept {
    double_double s = dd_sum(a.hi, b.hi);
    const double_double t = dd_sum(a.lo, b.lo);
    s = dd_quick_sum(s.hi, s.lo + t.hi);
    return dd_quick_sum(s.hi, s.lo + t.lo);
}
[[nodiscard]] inline double_double dd_mul(double_double a, double b) noexcept {
    const double p = a.hi * b;
    return dd_quick_sum(p, std::fma(a.hi, b, -p) + a.lo * b);
}
/// a / b: three quotient digits, each from the remainder so far.
[[nodiscard]] inline double_double dd_div(double_double a, double_double b) noexcept {
    auto minus = [](double_double x) { return double_double{-x.hi, -x.lo}; };
    auto times = [](double_double x, double q) { // x q, x a double-double
        const double p = x.hi * q;
        return dd_add({p, std::fma(x.hi, q, -p)}, {x.lo * q, 0.0});
    };
    const double q1 = a.hi / b.hi;
    const double_double r1 = dd_add(a, minus(times(b, q1)));
    const double q2 = r1.hi / b.hi;
    const double_double r2 = dd_add(r1, minus(times(b, q2)));
    const double q3 = r2.hi / b.hi;
    return dd_add(dd_quick_sum(q1, q2), {q3, 0.0});
}
/// An unsigned 64-bit integer exactly: its bits above the lowest 11 (at most 53 of them) and
/// those 11 are each exact doubles.
[[nodiscard]] inline double_double dd_from(std::uint64_t v) noexcept {
    constexpr std::uint64_t low = 0x7ff;
    return dd_quick_sum(static_cast<double>(v & ~low), static_cast<double>(v & low));
}

/// 2^512 / C(m + k, k) = 2^512 prod_{j=1..k} j / (m + j) in double-double, for k <= m, k <= 1100:
/// every factor is at most 1/2 and the product falls monotonically, so it stays normal (and
/// exact to ~2^-100) whenever the result is at least 2^-510, i.e. 1 / C >= 2^-1022.
[[nodiscard]] inline double_double scaled_reciprocal_binomial(std::uint64_t m, std::uint64_t k) noexcept {
    double_double p{0x1p512, 0.0};
    for (std::uint64_t j = 1; j <= k; ++j) p = dd_div(dd_mul(p, static_cast<double>(j)), dd_from(m + j));
    return p;
}

/// The p-value at D = 1 (see ks_separated) from 1 / C(n1 + n2, n1) as a double-double product,
/// where that is a normal double (min(n1, n2) <= 1022 and p >= 2^-1022): p correctly rounded but
/// for ties, ln p to ~1e-16 relative. ok = false elsewhere. O(min(n1, n2)).
[[nodiscard]] inline ks_prob ks_separated_product(std::uint64_t n1, std::uint64_t n2, bool two_sided) noexcept {
    const std::uint64_t k = std::min(n1, n2), m = std::max(n1, n2);
    if (k > 1022) return {false, 0.0, 0.0};
    double_double q = scaled_reciprocal_binomial(m, k); // 2^512 / C
    if (two_sided) q = {2.0 * q.hi, 2.0 * q.lo};
    if (!(q.hi >= 0x1p-510)) return {false, 0.0, 0.0};
    if (q.hi >= 0x1p512) return {true, 1.0, 0.0}; // 2 / C(2, 1) = 1
    const double hi = std::ldexp(q.hi, -512), lo = std::ldexp(q.lo, -512);
    return {true, hi + lo, std::min(std::log(hi) + lo / hi, 0.0)};
}

/// The exact p-value at D = 1, where the samples do not overlap: of the C(n1 + n2, n1) equally
/// likely orders of the pooled sample (lattice paths), one puts every value of the first sample
/// before every value of the second and one does the opposite, so Pr(D+ >= 1) = 1 / C(n1 + n2, n1)
/// and Pr(D >= 1) = min(1, 2 / C(n1 + n2, n1)) (= 1 for n1 = n2 = 1). ln p is finite for every
/// n1, n2; p underflows to 0 past ln p ~ -745. O(1) (log_choose).
/// Where long double is not wide, p = exp(ln p) from a double ln p would be off by up to
/// |ln p| 2^-53 relative (6e-14 at p = 1e-230), so while p is a normal double it comes from
/// ks_separated_product instead (O(min(n1, n2)) <= 1022 steps); below, from log_choose as here.
[[nodiscard]] inline ks_prob ks_separated(std::uint64_t n1, std::uint64_t n2, bool two_sided) noexcept {
    if constexpr (!long_double_is_wide) {
        const ks_prob r = ks_separated_product(n1, n2, two_sided);
        if (r.ok) return r;
    }
    constexpr wide_float ln2w = static_cast<wide_float>(0.693147180559945309417232121458176568L);
    wide_float lp = -log_choose(n1 + n2, n1);
    if (two_sided) lp = std::min(lp + ln2w, wide_float(0));
    return {true, static_cast<double>(std::exp(lp)), static_cast<double>(lp)};
}

/// Exact p-value as scipy's _attempt_exact_2kssamp: h = round(d lcm), d := h/lcm.
[[nodiscard]] inline ks_prob ks_exact(std::int64_t n1, std::int64_t n2, std::int64_t g, double& d, bool two_sided) {
    const std::int64_t lcm = (n1 / g) * n2;
    const auto h = static_cast<std::int64_t>(std::nearbyint(d * static_cast<double>(lcm)));
    d = static_cast<double>(h) / static_cast<double>(lcm);
    if (h == 0) return {true, 1.0, 0.0};
    if (two_sided) {
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

} // namespace detail
} // namespace v0
} // namespace driftgate
