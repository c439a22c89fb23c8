// driftgate — Kolmogorov–Smirnov distributions (Boost 1.74 has none):
//   * the one-sided Smirnov distribution of D+_n        (smirnov_sf / _cdf / _logsf)
//   * the one-sample two-sided distribution of D_n      (kolmogorov_sf / _cdf / _logsf)
//   * Kolmogorov's limiting distribution of sqrt(n) D_n (kolmogorov_limit_sf / _cdf / _logsf)
//
// Survival functions are computed directly from series of positive terms wherever they are
// small; the logarithmic forms stay finite far below the smallest double (the sums are
// accumulated in logs), which is what the KS test needs to report ln p for strong drift.
//
// Sources: Smirnov (1944), Birnbaum & Tingey (1951) for D+_n; Durbin (1968) and Marsaglia,
// Tsang & Wang (2003) (matrix algorithm), Pomeranz (1974) (recursion), Pelz & Good (1976)
// (asymptotic series), organised by region as in Simard & L'Ecuyer (2011), "Computing the
// two-sided Kolmogorov-Smirnov distribution", J. Stat. Software 39(11) — the same regions as
// scipy.stats._ksstats (scipy 1.10), whose values these functions match.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include "driftgate/core.hpp"

namespace driftgate {
inline namespace v0 {
namespace detail {

inline constexpr double ln2 = std::numbers::ln2;

inline void require_probability_argument(double x, const char* where) {
    require(!std::isnan(x), errc::invalid_parameter, where, "the statistic x is NaN");
}

/// log(exp(a) - exp(b)) for a >= b.
[[nodiscard]] inline double log_sub_exp(double a, double b) noexcept {
    if (b == -INFINITY) return a;
    return a + std::log1p(-std::exp(b - a));
}

/// Running log-sum-exp: adds terms given by their logarithms without overflow or underflow.
struct log_sum {
    double max = -INFINITY;
    double scaled = 0.0; // sum of exp(term - max)
    void add(double t) noexcept {
        if (t == -INFINITY) return;
        if (t <= max) {
            scaled += std::exp(t - max);
        } else {
            scaled = scaled * std::exp(max - t) + 1.0;
            max = t;
        }
    }
    [[nodiscard]] double value() const noexcept {
        return max == -INFINITY ? -INFINITY : max + std::log(scaled);
    }
};

/// log of the binomial probability C(n, k) p^k q^(n-k), with np = n p and nq = n q passed
/// separately so that q = 1 - p is never formed by subtraction (Loader's saddle-point form).
[[nodiscard]] inline double log_binom_pmf(double n, double k, double np, double nq) noexcept {
    if (k == 0.0) return n * std::log(nq / n);
    if (k == n) return n * std::log(np / n);
    const double lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, np) - bd0(n - k, nq);
    return lc + 0.5 * std::log(n / (2.0 * std::numbers::pi * k * (n - k)));
}

// ---- one-sided Smirnov distribution -----------------------------------------------------

/// Above this n, scipy.special.smirnov (1.10) switches to the approximation
/// Pr(D+_n >= x) ~ exp(-(6 n x + 1)^2 / (18 n)); we do the same so p-values agree.
inline constexpr std::uint64_t smirnov_max_exact_n = 1000000;

/// Above this many significant terms the Smirnov sum is taken as an integral (smirnov_log_sum).
inline constexpr double smirnov_dense_terms = 4096;
/// Trapezoidal steps for that integral.
inline constexpr int smirnov_nodes = 256;

/// ln Pr(D+_n >= x) for 0 < x < 1, n >= 2, n <= smirnov_max_exact_n: the Smirnov /
/// Birnbaum–Tingey sum  x * sum_{j=0}^{floor(n(1-x))} C(n,j) (x + j/n)^(j-1) (1 - x - j/n)^(n-j),
/// whose terms are positive: term j = x / p_j * Binomial(j; n, p_j) with p_j = x + j/n.
/// The terms are unimodal in j (a first-passage distribution), so the sum stops once they fall
/// below 1e-18 of the total on the way down, and starts where they first come within e^-60 of
/// the largest term, found by a ternary search for the mode and a binary search below it (the
/// terms before it change the sum by less than 1e-24 relative, far below a double's resolution:
/// the running sum reaches the same double).
/// When more than smirnov_dense_terms terms lie within e^-60 of the largest, and the terms at
/// both ends of [0, jmax] are below that, the sum over the integers equals the integral of the
/// term as a smooth function of j (its analytic continuation through the Gamma function) up to
/// the truncation, e^-60 relative: by Poisson's summation formula the difference is the term's
/// Fourier transform at the nonzero integers: for a bump of standard deviation s that is about
/// e^{-2 pi^2 s^2}, and here s >= smirnov_dense_terms / 22 (a Gaussian spans 22 s between its
/// e^-60 points). The integral is then taken by the trapezoidal rule on smirnov_nodes + 1 points,
/// whose error for such a bump is about e^{-2 pi^2 (s / step)^2} with s / step >= 11, e^-2000.
/// Cost O(log n) + min(terms within e^-60 of the mode, smirnov_nodes).
[[nodiscard]] inline double smirnov_log_sum(double n, double x) {
    const double nx = n * x;
    // Last term with (1 - x - j/n)^(n-j) > 0: j < n - nx; the factor is 0 beyond.
    double jmax = std::floor(n - nx);
    if (!((n - jmax) - nx > 0.0)) jmax -= 1.0;
    const double lx = std::log(x);
    auto term = [&](double j) {
        const double np = nx + j;
        const double nq = (n - j) - nx;
        return lx - std::log(np / n) + log_binom_pmf(n, j, np, nq);
    };
    // The mode: ternary search over the integers of [0, jmax] on the unimodal terms.
    double lo = 0.0, hi = jmax;
    while (hi - lo > 2.0) {
        const double m1 = lo + std::floor((hi - lo) / 3.0), m2 = hi - std::floor((hi - lo) / 3.0);
        if (term(m1) < term(m2)) lo = m1 + 1.0;
        else hi = m2 - 1.0;
    }
    double top = term(lo);
    for (double j = lo + 1.0; j <= hi; j += 1.0) top = std::max(top, term(j));
    // First j whose term is within e^-60 of the mode's: the terms rise up to the mode.
    double start = 0.0;
    if (term(0.0) < top - 60.0) {
        double a = 0.0, b = lo; // term(a) < top - 60 <= term(b)
        while (b - a > 1.0) {
            const double m = a + std::floor((b - a) / 2.0);
            if (term(m) < top - 60.0) a = m;
            else b = m;
        }
        start = a;
    }
    // Last j whose term is within e^-60 of the mode's, if the terms fall that far before jmax.
    if (start > 0.0 && term(jmax) < top - 60.0) {
        double a = hi, b = jmax; // term(a) >= top - 60 > term(b)
        while (b - a > 1.0) {
            const double m = a + std::floor((b - a) / 2.0);
            if (term(m) < top - 60.0) b = m;
            else a = m;
        }
        // The term's continuation is singular at j = -1 (Gamma(j + 1)) and at j = n - nx (q = 0);
        // the trapezoidal rule converges like e^{-2 pi d / step} for a distance d to them, so the
        // step is also kept below 1/8 of that distance.
        const double width = b - start;
        const double d = std::min(start + 1.0, (n - nx) - b);
        const double nodes = std::ceil(std::max(static_cast<double>(smirnov_nodes), 8.0 * width / d));
        if (width > smirnov_dense_terms && nodes <= width / 8.0) {
            const double h = width / nodes;
            log_sum acc;
            for (double k = 0.0; k <= nodes; k += 1.0) acc.add(term(start + h * k));
            return acc.value() + std::log(h);
        }
    }
    log_sum acc;
    double prev = -INFINITY;
    for (double j = start; j <= jmax; j += 1.0) {
        const double np = nx + j;
        const double nq = (n - j) - nx;
        if (!(nq > 0.0)) break; // (1 - x - j/n)^(n-j) = 0
        const double t = lx - std::log(np / n) + log_binom_pmf(n, j, np, nq);
        acc.add(t);
        if (t < prev && t < acc.value() - 41.5) break; // exp(-41.5) < 1e-18, decreasing
        prev = t;
    }
    return acc.value();
}

struct smirnov_parts {
    double sf, cdf, logsf;
};

[[nodiscard]] inline smirnov_parts smirnov_eval(std::uint64_t n_, double x, const char* where) {
    require(n_ >= 1, errc::invalid_parameter, where, "n must be at least 1");
    require_probability_argument(x, where);
    const double n = static_cast<double>(n_);
    if (x <= 0.0) return {1.0, 0.0, 0.0};
    if (x >= 1.0) return {0.0, 1.0, -INFINITY};
    if (n_ == 1) return {1.0 - x, x, std::log1p(-x)};
    if (n_ > smirnov_max_exact_n) {
        const double a = 6.0 * n * x + 1.0;
        const double lp = -a * a / 18.0 / n;
        if (lp < -ln2) {
            const double sf = std::exp(lp);
            return {sf, 1.0 - sf, lp};
        }
        const double cdf = -std::expm1(lp);
        return {1.0 - cdf, cdf, lp};
    }
    if (n * x >= n - 1.0) {
        // Only the j = 0 term: (1 - x)^n.
        const double lp = n * std::log1p(-x);
        const double sf = std::exp(lp);
        return {sf, 1.0 - sf, lp};
    }
    const double lp = smirnov_log_sum(n, x);
    const double sf = std::min(1.0, std::exp(lp));
    return {sf, 1.0 - sf, std::min(0.0, lp)};
}

// ---- Kolmogorov's limiting distribution ---------------------------------------------------

struct kolmogorov_limit_parts {
    double sf, cdf, logsf;
};

/// K(x) = Pr(sqrt(n) D_n <= x) as n -> oo. Two theta-function series (Kolmogorov 1933):
///   sf  = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2)                  (fast for x >= 1)
///   cdf = sqrt(2 pi)/x sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 x^2))     (fast for x < 1)
/// Each side is computed from its own series where it is the small one.
[[nodiscard]] inline kolmogorov_limit_parts kolmogorov_limit_eval(double x, const char* where) {
    require_probability_argument(x, where);
    if (x <= 0.0) return {1.0, 0.0, 0.0};
    if (x == INFINITY) return {0.0, 1.0, -INFINITY};
    if (x >= 1.0) {
        // sf = 2 e^{-2x^2} (1 - e^{-6x^2} + e^{-16x^2} - ...): keep the bracket as log1p.
        const double a = -2.0 * x * x;
        double bracket = 0.0, sign = -1.0;
        for (double k = 2.0; k < 100.0; k += 1.0) {
            const double t = std::exp(a * (k * k - 1.0));
            bracket += sign * t;
            if (t <= 1e-17 * 1.0) break;
            sign = -sign;
        }
        const double logsf = ln2 + a + std::log1p(bracket);
        const double sf = std::exp(logsf);
        return {sf, 1.0 - sf, logsf};
    }
    const double a = -std::numbers::pi * std::numbers::pi / (8.0 * x * x);
    double s = 0.0;
    for (double r = 1.0; r < 1000.0; r += 2.0) {
        const double t = std::exp(a * r * r);
        s += t;
        if (t == 0.0 || t < 1e-17 * s) break;
    }
    const double cdf = s * std::sqrt(2.0 * std::numbers::pi) / x;
    return {1.0 - cdf, cdf, std::log1p(-cdf)};
}

// ---- one-sample two-sided Kolmogorov distribution (scipy's kstwo) ---------------------------

inline constexpr double two_pow_128 = 3.402823669209384634633746e38;  // 2^128
inline constexpr double two_pow_m128 = 2.938735877055718769921841e-39; // 2^-128

/// Pr(D_n <= d) by the Durbin matrix, as organised by Marsaglia, Tsang & Wang (2003):
/// with k = ceil(n d), h = k - n d and m = 2k - 1, Pr = n!/n^n (H^n)_{k,k} where H is the
/// m x m lower-Hessenberg matrix of 1/j! with a corrected first column and last row. H^n is
/// formed by repeated squaring, with a power-of-two exponent kept aside against overflow.
/// Cost O(m^3 log n) = O((n d)^3 log n).
[[nodiscard]] inline double kolmogorov_cdf_durbin(std::uint64_t n, double d) {
    if (d >= 1.0) return 1.0;
    const double nd = static_cast<double>(n) * d;
    if (nd <= 0.5) return 0.0;
    const auto k = static_cast<std::size_t>(std::ceil(nd));
    const double h = static_cast<double>(k) - nd;
    const std::size_t m = 2 * k - 1;
    std::vector<double> inv_fact(m + 1); // inv_fact[j] = 1/j!
    inv_fact[0] = 1.0;
    for (std::size_t j = 1; j <= m; ++j) inv_fact[j] = inv_fact[j - 1] / static_cast<double>(j);
    std::vector<double> v(m);
    for (std::size_t j = 1; j <= m; ++j)
        v[j - 1] = (1.0 - std::pow(h, static_cast<double>(j))) * inv_fact[j];
    const double md = static_cast<double>(m);
    v[m - 1] = (1.0 + std::pow(std::max(2.0 * h - 1.0, 0.0), md) - 2.0 * std::pow(h, md)) * inv_fact[m];

    using matrix = std::vector<double>; // row-major m x m
    matrix H(m * m, 0.0);
    for (std::size_t r = 0; r < m; ++r)
        for (std::size_t c = 1; c < m; ++c)
            if (r + 1 >= c) H[r * m + c] = inv_fact[r + 1 - c];
    for (std::size_t r = 0; r < m; ++r) H[r * m] = v[r];
    for (std::size_t c = 0; c < m; ++c) H[(m - 1) * m + c] = v[m - 1 - c];

    auto multiply = [m](const matrix& a, const matrix& b) {
        matrix out(m * m, 0.0);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t l = 0; l < m; ++l) {
                const double ail = a[i * m + l];
                if (ail == 0.0) continue;
                for (std::size_t j = 0; j < m; ++j) out[i * m + j] += ail * b[l * m + j];
            }
        return out;
    };
    matrix P(m * m, 0.0);
    for (std::size_t i = 0; i < m; ++i) P[i * m + i] = 1.0;
    int expnt = 0, h_expnt = 0;
    for (std::uint64_t nn = n; nn > 0; nn /= 2) {
        if (nn % 2) {
            P = multiply(P, H);
            expnt += h_expnt;
        }
        H = multiply(H, H);
        h_expnt *= 2;
        if (std::fabs(H[(k - 1) * m + (k - 1)]) > two_pow_128) {
            for (double& e : H) e /= two_pow_128;
            h_expnt += 128;
        }
    }
    double p = P[(k - 1) * m + (k - 1)];
    const double nd_n = static_cast<double>(n);
    for (std::uint64_t i = 1; i <= n; ++i) { // times n!/n^n, rescaling on the way
        p = static_cast<double>(i) * p / nd_n;
        if (std::fabs(p) < two_pow_m128) {
            p *= two_pow_128;
            expnt -= 128;
        }
    }
    return std::ldexp(p, expnt);
}

/// Pr(D_n <= d) by Pomeranz's (1974) recursion in the form of Simard & L'Ecuyer (2011, sec. 2.1):
/// 2n + 1 rows, each a convolution of the previous row with powers (g/n)^j/j!, (2g/n)^j/j! or
/// ((1-2g)/n)^j/j!, where t = n d = l + f and g = min(f, 1 - f). Cost O(n (n d)^2).
[[nodiscard]] inline double kolmogorov_cdf_pomeranz(std::uint64_t n_, double d) {
    const auto n = static_cast<std::int64_t>(n_);
    const double t = static_cast<double>(n) * d;
    const auto ll = static_cast<std::int64_t>(std::floor(t));
    const double f = t - static_cast<double>(ll);
    const double g = std::min(f, 1.0 - f);
    const std::int64_t ceilf = f > 0 ? 1 : 0;
    const std::int64_t roundf = f > 0.5 ? 1 : 0;
    const std::size_t npw = static_cast<std::size_t>(2 * (ll + 1));
    std::vector<double> pw_g(npw), pw_2g(npw), pw_1m2g(npw);
    pw_g[0] = pw_2g[0] = pw_1m2g[0] = 1.0;
    const double nd = static_cast<double>(n);
    for (std::size_t j = 1; j < npw; ++j) {
        const double jd = static_cast<double>(j);
        pw_g[j] = pw_g[j - 1] * (g / nd) / jd;
        pw_2g[j] = pw_2g[j - 1] * (2 * g / nd) / jd;
        pw_1m2g[j] = pw_1m2g[j - 1] * ((1 - 2 * g) / nd) / jd;
    }
    // Column range [j1, j2] of row i (0-based, inclusive), Simard & L'Ecuyer's bounds.
    auto bounds = [&](std::int64_t i, std::int64_t& j1, std::int64_t& j2) {
        if (i == 0) {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        } else {
            const std::int64_t half = (i + 1) / 2;
            if ((i + 1) % 2 == 0) { // i odd
                if (half == n + 1) {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                } else {
                    j1 = half - 1 - ll - roundf - 1;
                    j2 = half + ll - 1 + ceilf - 1;
                }
            } else {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundf - 1;
            }
        }
        j1 = std::max<std::int64_t>(j1 + 2, 0);
        j2 = std::min<std::int64_t>(j2, n);
    };
    // Rows are stored from their first column; padding keeps every read in range (zeros).
    const std::size_t width = npw + static_cast<std::size_t>(n) + 2;
    std::vector<double> prev(width, 0.0), cur(width, 0.0);
    cur[0] = 1.0;
    std::int64_t cur_start = 0, j1 = 0, j2 = 0;
    bounds(0, j1, j2);
    int expnt = 0;
    for (std::int64_t i = 1; i <= 2 * n + 1; ++i) {
        const std::int64_t k1 = j1;
        std::swap(prev, cur);
        const std::int64_t prev_start = cur_start;
        std::fill(cur.begin(), cur.end(), 0.0);
        bounds(i, j1, j2);
        const std::vector<double>& pw = (i == 1 || i == 2 * n + 1) ? pw_g : (i % 2 ? pw_2g : pw_1m2g);
        const std::int64_t len = j2 - k1 + 1;
        if (len > 0) {
            // cur[c] = sum_s prev[k1 - prev_start + s] * pw[(j1 - k1 + c) - s], for the
            // columns c = 0 .. j2 - j1 of the new row (a slice of the full convolution).
            const std::int64_t off = k1 - prev_start;
            const std::int64_t cstart = j1 - k1;
            const std::int64_t clen = j2 - j1 + 1;
            double row_max = 0.0;
            for (std::int64_t c = 0; c < clen; ++c) {
                const std::int64_t idx = cstart + c;
                double s = 0.0;
                const std::int64_t lo = std::max<std::int64_t>(0, idx - (len - 1));
                const std::int64_t hi = std::min<std::int64_t>(idx, len - 1);
                for (std::int64_t q = lo; q <= hi; ++q)
                    s += prev[static_cast<std::size_t>(off + q)] * pw[static_cast<std::size_t>(idx - q)];
                cur[static_cast<std::size_t>(c)] = s;
                row_max = std::max(row_max, s);
            }
            if (row_max > 0.0 && row_max < two_pow_m128) {
                for (double& e : cur) e *= two_pow_128;
                expnt -= 128;
            }
            cur_start = prev_start + j1 - k1;
        }
    }
    double ans = cur[static_cast<std::size_t>(n - cur_start)];
    for (std::int64_t m = 1; m <= n; ++m) { // times n!
        if (std::fabs(ans) > two_pow_128) {
            ans *= two_pow_m128;
            expnt += 128;
        }
        ans *= static_cast<double>(m);
    }
    return std::ldexp(ans, expnt);
}

/// Pr(D_n <= x) by the Pelz & Good (1976) asymptotic series: Li-Chien/Korolyuk's expansion
/// K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5 at z = x sqrt(n), each K_i written with Jacobi
/// theta-function series that converge fast for moderate z. Cost O(z).
[[nodiscard]] inline double kolmogorov_cdf_pelz_good(std::uint64_t n_, double x) {
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    constexpr double pi = std::numbers::pi;
    constexpr double pi2 = pi * pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
    const double sqrt2pi = std::sqrt(2.0 * pi);
    const double n = static_cast<double>(n_);
    const double z = std::sqrt(n) * x;
    const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
    const double qlog = -pi2 / 8.0 / z2;
    if (qlog < -708.0) return 0.0;
    double q = std::exp(qlog);
    const double k1a = -z2, k1b = pi2 / 4;
    const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
    const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
    const double k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * z6 * z2;
    double K[4] = {0, 0, 0, 0};
    const auto maxk = static_cast<int>(std::ceil(16 * z / pi));
    for (int k = maxk; k >= 1; --k) { // Horner in q^(8k): sum_k q^((2k-1)^2) c_k
        const double m = 2.0 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
        const double qp = std::pow(q, 8.0 * k);
        const double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                             k3a + k3b * m2 + k3c * m4 + k3d * m6};
        for (int i = 0; i < 4; ++i) K[i] = K[i] * qp + c[i];
    }
    const double den[4] = {z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4};
    for (int i = 0; i < 4; ++i) K[i] = K[i] * q * sqrt2pi / den[i];
    q = std::exp(-pi2 / 2 / z2);
    const double sqrt3z = std::sqrt(3.0) * z;
    double e2 = 0.0, e3 = 0.0;
    for (int k = maxk; k >= 1; --k) {
        const double kd = k, k2 = kd * kd, qk = std::pow(q, k2), kpi = pi * kd;
        e2 += k2 * qk;
        e3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
    }
    K[2] += e2 * pi2 * sqrt2pi / (-36 * z3);
    K[3] += e3 * pi2 * sqrt2pi / (216 * z6);
    return K[0] + K[1] / std::sqrt(n) + K[2] / n + K[3] / (n * std::sqrt(n));
}

/// log(n!/n^n) = log(n)/2 - n + log(2 pi)/2 + stirlerr(n), without lgamma's cancellation.
[[nodiscard]] inline double log_nfact_over_npow(double n) noexcept {
    return 0.5 * std::log(n) - n + ln_sqrt_2pi + stirlerr(n);
}

struct kolmogorov_parts {
    double sf, cdf, logsf;
};

/// Region selection of Simard & L'Ecuyer (2011), as in scipy.stats._ksstats._kolmogn.
[[nodiscard]] inline kolmogorov_parts kolmogorov_eval(std::uint64_t n_, double x, const char* where,
                                                      bool want_sf = true) {
    require(n_ >= 1, errc::invalid_parameter, where, "n must be at least 1");
    require_probability_argument(x, where);
    if (x >= 1.0) return {0.0, 1.0, -INFINITY};
    if (x <= 0.0) return {1.0, 0.0, 0.0};
    const double n = static_cast<double>(n_);
    const double t = n * x;
    auto from_cdf = [](double cdf) {
        cdf = std::clamp(cdf, 0.0, 1.0);
        // Only used where the cdf-based algorithms apply and sf is not small (sf >~ 1e-3,
        // see the regions below), so 1 - cdf loses at most a few digits of 1e-16.
        return kolmogorov_parts{1.0 - cdf, cdf, std::log1p(-cdf)};
    };
    auto from_twice_smirnov = [&](double xx) {
        const auto s = smirnov_eval(n_, xx, where);
        const double sf = std::min(1.0, 2.0 * s.sf);
        return kolmogorov_parts{sf, 1.0 - sf, std::min(0.0, ln2 + s.logsf)};
    };
    if (t <= 1.0) { // Ruben & Gambino (1982): 1/(2n) <= x <= 1/n
        if (t <= 0.5) return {1.0, 0.0, 0.0};
        double cdf;
        if (n_ <= 140) {
            cdf = 1.0;
            for (std::uint64_t i = 1; i <= n_; ++i) cdf *= static_cast<double>(i) * (1.0 / n) * (2 * t - 1);
        } else {
            cdf = std::exp(log_nfact_over_npow(n) + n * std::log(2 * t - 1));
        }
        return from_cdf(cdf);
    }
    if (t >= n - 1.0) { // Ruben & Gambino: sf = 2 (1 - x)^n
        const double lp = ln2 + n * std::log1p(-x);
        const double sf = std::exp(lp);
        return {sf, 1.0 - sf, lp};
    }
    if (x >= 0.5) return from_twice_smirnov(x); // exact: the two one-sided events are disjoint
    const double nx2 = t * x;
    if (n_ <= 140) {
        if (nx2 <= 0.754693) return from_cdf(kolmogorov_cdf_durbin(n_, x));
        if (nx2 <= 4.0) return from_cdf(kolmogorov_cdf_pomeranz(n_, x));
        return from_twice_smirnov(x); // sf <~ 7e-4: 2 sf(D+) minus a term of relative order e^{-4n x^2}
    }
    if (want_sf && nx2 >= 2.2) return from_twice_smirnov(x);
    // The cdf keeps to the body algorithms up to n x^2 < 18 (as scipy's kstwo.cdf does): there
    // Pelz–Good is closer in absolute terms than 1 - 2 sf(D+), which omits the double-crossing
    // term of relative order e^{-6 n x^2}. So in this band cdf + sf = 1 only to ~1e-6.
    if (nx2 >= 18.0) return {0.0, 1.0, -INFINITY}; // cdf == 1 in double; callers use .cdf only
    if (n_ <= 100000 && n * std::pow(x, 1.5) <= 1.4) return from_cdf(kolmogorov_cdf_durbin(n_, x));
    return from_cdf(kolmogorov_cdf_pelz_good(n_, x));
}

} // namespace detail

/// Pr(D+_n >= x): survival function of the one-sided one-sample Smirnov statistic
/// D+_n = sup (F_n - F). Smirnov (1944) / Birnbaum–Tingey (1951) sum of positive terms, each a
/// binomial probability evaluated in Loader's saddle-point form; for n > 10^6 the approximation
/// exp(-(6nx+1)^2/(18n)) of scipy.special.smirnov. Matches scipy.special.smirnov (1.10).
/// Cost O(log n) plus the significant terms, or a few hundred points of the terms' integral where
/// those are many (see detail::smirnov_log_sum); O(n) at worst (x ~ 1/sqrt(n) or below, where the
/// terms reach j = 0 and are summed one by one), O(1) for n > 10^6. Throws on n = 0 or NaN x.
[[nodiscard]] inline double smirnov_sf(std::uint64_t n, double x) {
    return detail::smirnov_eval(n, x, "smirnov_sf").sf;
}
/// ln Pr(D+_n >= x), finite far below the smallest double (the sum is accumulated in logs).
/// Cost as smirnov_sf.
[[nodiscard]] inline double smirnov_logsf(std::uint64_t n, double x) {
    return detail::smirnov_eval(n, x, "smirnov_logsf").logsf;
}
/// Pr(D+_n < x) = 1 - smirnov_sf (absolute accuracy ~1e-16). Cost as smirnov_sf.
[[nodiscard]] inline double smirnov_cdf(std::uint64_t n, double x) {
    return detail::smirnov_eval(n, x, "smirnov_cdf").cdf;
}

/// Pr(D_n > x): survival function of the two-sided one-sample Kolmogorov statistic
/// D_n = sup |F_n - F| for a sample of size n; scipy.stats.kstwo(n).sf. Regions as in Simard &
/// L'Ecuyer (2011): Ruben–Gambino closed forms near x = 1/n and x = 1, Durbin/Marsaglia–Tsang–Wang
/// matrix and Pomeranz recursion for the body when n <= 140, Pelz–Good or Durbin for larger n, and
/// 2 * smirnov_sf in the upper tail (n x^2 >= 2.2, or >= 4 for n <= 140, or x >= 1/2), where the
/// survival function is computed directly. Matches scipy.stats.kstwo.sf (1.10); beyond
/// n x^2 >= 370 scipy returns 0 where this returns the (subnormal) value of 2 * smirnov_sf.
/// Cost: O(1) to O(n) in the tail; O((nx)^3 log n) for the matrix; O(n (nx)^2) for Pomeranz.
[[nodiscard]] inline double kolmogorov_sf(std::uint64_t n, double x) {
    return detail::kolmogorov_eval(n, x, "kolmogorov_sf").sf;
}
/// ln Pr(D_n > x), finite far below the smallest double. Cost as kolmogorov_sf.
[[nodiscard]] inline double kolmogorov_logsf(std::uint64_t n, double x) {
    return detail::kolmogorov_eval(n, x, "kolmogorov_logsf").logsf;
}
/// Pr(D_n <= x); scipy.stats.kstwo(n).cdf, with its regions: for n > 140 and 2.2 <= n x^2 < 18
/// the cdf comes from Pelz–Good / Durbin while kolmogorov_sf uses 2 * smirnov_sf, so there the
/// two add up to 1 only within ~1e-6 (as in scipy). Cost as kolmogorov_sf.
[[nodiscard]] inline double kolmogorov_cdf(std::uint64_t n, double x) {
    return detail::kolmogorov_eval(n, x, "kolmogorov_cdf", false).cdf;
}

/// Kolmogorov's limiting distribution: Pr(sqrt(n) D_n > x) as n -> oo, by the alternating
/// theta series 2 sum (-1)^(k-1) exp(-2k^2x^2) for x >= 1 (computed directly, as a log) and the
/// complement of the Jacobi form for x < 1. Matches scipy.stats.kstwobign.sf /
/// scipy.special.kolmogorov (1.10). Cost O(1).
[[nodiscard]] inline double kolmogorov_limit_sf(double x) {
    return detail::kolmogorov_limit_eval(x, "kolmogorov_limit_sf").sf;
}
/// ln Pr(sqrt(n) D_n > x) as n -> oo; finite for every finite x. Cost O(1).
[[nodiscard]] inline double kolmogorov_limit_logsf(double x) {
    return detail::kolmogorov_limit_eval(x, "kolmogorov_limit_logsf").logsf;
}
/// Pr(sqrt(n) D_n <= x) as n -> oo (scipy.stats.kstwobign.cdf). Cost O(1).
[[nodiscard]] inline double kolmogorov_limit_cdf(double x) {
    return detail::kolmogorov_limit_eval(x, "kolmogorov_limit_cdf").cdf;
}

} // namespace v0
} // namespace driftgate
