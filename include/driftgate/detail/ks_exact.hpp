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
[[nodiscard]] inline ks_prob ks_separated(std::uint64_t n1, std::uint64_t n2, bool two_sided) noexcept {
    constexpr long double ln2l = 0.693147180559945309417232121458176568L;
    long double lp = -log_choose(n1 + n2, n1);
    if (two_sided) lp = std::min(lp + ln2l, 0.0L);
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
