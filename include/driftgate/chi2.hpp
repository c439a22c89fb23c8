// driftgate — the chi-square test of homogeneity of a categorical or discrete column: is the
// current sample spread over the categories as the reference is?
//
// The 2 x k table has the reference's counts r_j in its first row, the current sample's c_j in its
// second, one column per category seen in either sample (a column empty in both is dropped: scipy
// raises on it). With row totals n1, n2, column totals t_j = r_j + c_j and N = n1 + n2, the expected
// counts are E_ij = n_i t_j / N and, since O_0j - E_0j = e_j / N = -(O_1j - E_1j) with
// e_j = r_j n2 - c_j n1 and 1/E_0j + 1/E_1j = N^2 / (n1 n2 t_j),
//
//   X^2 = sum_ij (O_ij - E_ij)^2 / E_ij = sum_j e_j^2 / (n1 n2 t_j),      dof = k - 1.
//
// The numerators e_j are integers, exact in 128 bits, so the statistic is rounded only in its
// last divisions and a compensated wide_float sum (long double where it is wide, detail/
// wide_float.hpp; scipy forms E_ij in double and loses digits where O ~ E; its statistic agrees
// to that rounding).
// Yates' correction (dof = 1, scipy's default): each |O - E| is reduced by min(1/2, |O - E|). In a
// 2 x 2 table every cell has |O - E| = |e| / N (e = e_1 = -e_2 = ad - bc), so
//
//   X^2_Yates = N (|e| - N/2)^2 / (n1 n2 t_1 t_2)  when |e| > N/2, else 0,
//
// Yates' (1934) classic form, again exact up to the last roundings.
// p = Pr(chi2_dof >= X^2) = Q(dof/2, X^2/2), the regularised upper incomplete gamma function,
// computed directly (never 1 - cdf) and in logs below the range of a double (chi2_log_sf).
// Cramér's V = sqrt(X^2 / (N min(k - 1, 1))) from the uncorrected statistic (scipy's association).
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include "driftgate/core.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

/// Result of the chi-square test of homogeneity (reference row against current row).
struct [[nodiscard]] chi2_result {
    double statistic = 0.0;             ///< the statistic p comes from: Yates-corrected when `yates`
    double statistic_uncorrected = 0.0; ///< Pearson's X^2 without correction (equal when not `yates`)
    double pvalue = 1.0;                ///< Pr(chi2_dof >= statistic), in [0, 1] (may underflow to 0)
    double log_pvalue = 0.0;            ///< ln p, finite whenever p > 0 mathematically
    std::size_t dof = 0;                ///< categories - 1
    bool yates = false;                 ///< Yates' correction applied (dof = 1 and asked for)
    double cramers_v = 0.0;             ///< Cramér's V in [0, 1] from the uncorrected statistic; 0 for one category
    std::size_t categories = 0;         ///< k: columns with a count in either sample
    std::uint64_t n_reference = 0, n_current = 0; ///< row totals (non-missing values)
};

namespace detail {

struct chi2_tail {
    double sf, log_sf;
};

/// Below this the survival function is recomputed in logs (a double keeps full precision to
/// 2.2e-308; the margin keeps the switch away from subnormals).
inline constexpr double chi2_log_below = 1e-280;

/// ln Q(a, y) for y > a + 1 by the continued fraction of Legendre for Gamma(a, y) (modified Lentz;
/// Numerical Recipes 3rd ed. 6.2.7), its prefactor y^a e^-y / Gamma(a) taken in logs as
/// 1/2 ln a - ln sqrt(2 pi) - stirlerr(a) - bd0(a, y) (Loader's terms: no cancellation between
/// a ln y, y and ln Gamma(a), however large a). The fraction converges in a handful of terms
/// where Q is below 1e-280 (y >~ a + 36 sqrt(a)): 4 to 8 over dof in [1, 1e7] (measured).
[[nodiscard]] inline double log_gamma_q_cf(double a, double y) noexcept {
    using W = wide_float;
    using lim = std::numeric_limits<W>;
    constexpr W tiny = lim::min() / lim::epsilon(), eps = 4 * lim::epsilon();
    W b = static_cast<W>(y) + W(1) - a, c = W(1) / tiny, d = W(1) / b, h = d;
    for (int i = 1; i < 100000; ++i) {
        const W an = -static_cast<W>(i) * (static_cast<W>(i) - a);
        b += W(2);
        d = an * d + b;
        if (std::fabs(d) < tiny) d = tiny;
        c = b + an / c;
        if (std::fabs(c) < tiny) c = tiny;
        d = W(1) / d;
        const W del = d * c;
        h *= del;
        if (std::fabs(del - W(1)) < eps) break;
    }
    const double log_prefix = 0.5 * std::log(a) - ln_sqrt_2pi - stirlerr(a) - bd0(a, y);
    return log_prefix + static_cast<double>(std::log(h));
}

/// Pr(chi2_dof >= x) and its logarithm: Q(dof/2, x/2) by Boost.Math gamma_q (Temme, Didonato &
/// Morris; evaluated in long double where it is wide: detail::math_policy); ln of it as
/// log1p(-P) while Q > 1/2 (P = gamma_p, small), log(Q) down to chi2_log_below, and
/// log_gamma_q_cf below. x <= 0 gives 1, x = +inf gives 0.
[[nodiscard]] inline chi2_tail chi2_tail_eval(double x, double dof, const char* where) {
    require(!std::isnan(x), errc::invalid_parameter, where, "the statistic x is NaN");
    require(dof > 0.0 && std::isfinite(dof), errc::invalid_parameter, where, "dof must be positive and finite");
    if (x <= 0.0) return {1.0, 0.0};
    if (x == INFINITY) return {0.0, -INFINITY};
    const double a = 0.5 * dof, y = 0.5 * x;
    const double q = boost::math::gamma_q(a, y, math_policy());
    if (q > 0.5) return {q, std::log1p(-boost::math::gamma_p(a, y, math_policy()))};
    if (q >= chi2_log_below || y <= a + 1.0) return {q, std::log(q)};
    return {q, std::min(0.0, log_gamma_q_cf(a, y))};
}

/// The table's columns: counts of a category in the reference and in the current sample.
struct chi2_columns {
    std::vector<std::uint64_t> reference, current;
};

/// The 2 x k table of two samples: one column per distinct value (compared as doubles, so -0.0
/// and +0.0 are one category, and +-inf are categories) by one merge of their runs.
/// O(n1 + n2) for sorted samples (O(distinct values) steps, each run found by galloping),
/// O(distinct values) for counted ones.
template <class A, class B>
[[nodiscard]] chi2_columns chi2_table(const A& ref, const B& cur) {
    chi2_columns t;
    auto a = runs_of(ref);
    auto b = runs_of(cur);
    while (!a.done() || !b.done()) {
        const double v = (b.done() || (!a.done() && a.value() <= b.value())) ? a.value() : b.value();
        const std::size_t pa = a.position(), pb = b.position();
        if (!a.done() && a.value() == v) a.take();
        if (!b.done() && b.value() == v) b.take();
        t.reference.push_back(a.position() - pa);
        t.current.push_back(b.position() - pb);
    }
    return t;
}

/// The table with every column the reference lacks (a count of 0 there: values or categories
/// only the current sample holds) merged into one last column, as a PSI's unseen-value bin: the
/// other columns keep their order. O(k).
inline void pool_unseen(chi2_columns& t) {
    std::uint64_t unseen = 0;
    std::size_t kept = 0;
    for (std::size_t j = 0; j < t.reference.size(); ++j) {
        if (t.reference[j] == 0) {
            unseen += t.current[j];
            continue;
        }
        t.reference[kept] = t.reference[j];
        t.current[kept] = t.current[j];
        ++kept;
    }
    t.reference.resize(kept);
    t.current.resize(kept);
    if (unseen != 0) {
        t.reference.push_back(0);
        t.current.push_back(unseen);
    }
}

} // namespace detail

/// Pr(X >= x) for X ~ chi-square with `dof` degrees of freedom (real, > 0): the regularised upper
/// incomplete gamma function Q(dof/2, x/2), computed directly (Boost.Math gamma_q), never as
/// 1 - cdf; 1 for x <= 0, 0 for x = +inf. Matches scipy.stats.chi2.sf (1.10) within scipy's own
/// accuracy (cephes igamc, ~1e-12 relative; this is within 2e-13 of mpmath up to dof = 1e7).
/// Throws errc::invalid_parameter for a NaN x or dof <= 0. Cost: O(1) (O(sqrt(dof)) at worst).
[[nodiscard]] inline double chi2_sf(double x, double dof) { return detail::chi2_tail_eval(x, dof, "chi2_sf").sf; }

/// ln Pr(X >= x), X ~ chi-square(dof): finite for every finite x, far below the smallest double
/// (ln p of -1e5, -1e7, ...): log1p(-cdf) while p > 1/2, log(chi2_sf) down to 1e-280, and below
/// that Legendre's continued fraction for Gamma(dof/2, x/2) with its prefactor in logs (see
/// detail::log_gamma_q_cf). Within 1e-14 relative of mpmath's gammainc over dof 1 to 1e7 and ln p
/// down to -5e6 (tests). Cost as chi2_sf.
[[nodiscard]] inline double chi2_log_sf(double x, double dof) {
    return detail::chi2_tail_eval(x, dof, "chi2_log_sf").log_sf;
}

/// Chi-square test of homogeneity of two rows of counts over the same categories (reference[j] and
/// current[j] count category j; a category empty in both is dropped). Statistic and dof as
/// scipy.stats.chi2_contingency (1.10) with its defaults (Yates' correction when dof = 1, unless
/// yates_correction is false), p-value and ln p from the reported statistic (chi2_sf,
/// chi2_log_sf), Cramér's V as scipy.stats.contingency.association(method="cramer") (uncorrected
/// statistic). One category (k = 1): statistic 0, p 1, dof 0, as scipy; V = 0 (scipy: NaN, 0/0).
/// See the header comment for the formulas; the statistic is exact up to its last roundings.
/// Throws errc::length_mismatch for rows of different lengths, errc::empty_sample when a row sums
/// to 0, errc::invalid_parameter when the counts sum beyond 2^63. Cost: O(k).
[[nodiscard]] inline chi2_result chi2_homogeneity(std::span<const std::uint64_t> reference,
                                                  std::span<const std::uint64_t> current, bool yates_correction = true) {
    constexpr const char* where = "chi2_homogeneity";
    detail::require(reference.size() == current.size(), errc::length_mismatch, where,
                    "reference and current counts differ in length (" + std::to_string(reference.size()) + " and " +
                        std::to_string(current.size()) + " categories)");
    using detail::uint128;
    uint128 s1 = 0, s2 = 0;
    for (std::size_t j = 0; j < reference.size(); ++j) {
        s1 += reference[j];
        s2 += current[j];
    }
    detail::require(s1 > 0, errc::empty_sample, where, "the reference counts sum to 0");
    detail::require(s2 > 0, errc::empty_sample, where, "the current counts sum to 0");
    detail::require(s1 + s2 <= (uint128{1} << 63), errc::invalid_parameter, where, "the counts sum beyond 2^63");
    const auto n1 = static_cast<std::uint64_t>(s1), n2 = static_cast<std::uint64_t>(s2);
    using W = detail::wide_float;
    const W m1 = static_cast<W>(n1), m2 = static_cast<W>(n2);
    const W nl = m1 + m2; // exact in long double (n1 + n2 <= 2^63); rounded once in double

    chi2_result r;
    r.n_reference = n1;
    r.n_current = n2;
    detail::compensated_sum x2;
    uint128 e_first = 0;  // |e| of the first column (all columns of a 2 x 2 table share it)
    W t_product = 1; // t_1 t_2 for a 2 x 2 table
    for (std::size_t j = 0; j < reference.size(); ++j) {
        const std::uint64_t rj = reference[j], cj = current[j];
        if (rj == 0 && cj == 0) continue;
        const uint128 p = static_cast<uint128>(rj) * n2, q = static_cast<uint128>(cj) * n1;
        const uint128 e = p > q ? p - q : q - p;
        const auto el = static_cast<W>(e);
        const W t = static_cast<W>(rj) + static_cast<W>(cj);
        x2.add(el * el / (m1 * m2 * t));
        if (r.categories == 0) e_first = e;
        if (r.categories < 2) t_product *= t;
        ++r.categories;
    }
    const W uncorrected = x2.value();
    r.statistic_uncorrected = static_cast<double>(uncorrected);
    if (r.categories == 1) { // dof 0: scipy's statistic 0, p 1
        r.statistic_uncorrected = 0.0;
        return r;
    }
    r.dof = r.categories - 1;
    r.statistic = r.statistic_uncorrected;
    if (r.dof == 1 && yates_correction) {
        r.yates = true;
        // |O - E| = |e| / N in every cell, reduced by min(1/2, |e| / N): N (|e| - N/2)^2 / (n1 n2 t1 t2),
        // with 2|e| - N an exact integer.
        const uint128 twice_e = 2 * e_first, n = static_cast<uint128>(n1) + n2;
        const W excess = twice_e > n ? static_cast<W>(twice_e - n) : W(0); // 2 (|e| - N/2)
        r.statistic = static_cast<double>(nl * excess * excess / (W(4) * m1 * m2 * t_product));
    }
    const auto tail = detail::chi2_tail_eval(r.statistic, static_cast<double>(r.dof), where);
    r.pvalue = std::clamp(tail.sf, 0.0, 1.0);
    r.log_pvalue = std::min(tail.log_sf, 0.0);
    // V^2 = X^2 / (N min(k - 1, rows - 1)) with two rows: X^2 / N, at most 1 (rounding clamped).
    r.cramers_v = std::min(1.0, static_cast<double>(std::sqrt(uncorrected / nl)));
    return r;
}

/// Container overload of chi2_homogeneity on counts (std::vector<std::uint64_t>, std::array, ...).
template <class R1, class R2>
    requires requires(const R1& a, const R2& b) {
        { detail::as_const_span(a) } -> std::same_as<std::span<const std::uint64_t>>;
        { detail::as_const_span(b) } -> std::same_as<std::span<const std::uint64_t>>;
    }
[[nodiscard]] chi2_result chi2_homogeneity(const R1& reference, const R2& current, bool yates_correction = true) {
    return chi2_homogeneity(detail::as_const_span(reference), detail::as_const_span(current), yates_correction);
}

/// Chi-square test of homogeneity of two samples of a discrete column (codes, grades, amounts in
/// round units), each sorted (sorted_sample) or counted (counted_sample), in any combination: the
/// categories are the distinct values seen in either sample, compared as doubles (-0.0 and +0.0
/// are one category, +-inf are categories); missing values (NaN) are left out (the data-quality
/// checks count them). Then as the counts overload. Throws errc::empty_sample when a sample has no
/// non-missing value. Cost: one merge, O(n1 + n2) for sorted samples, O(distinct values) for
/// counted ones, plus O(k).
template <class A, class B>
[[nodiscard]] chi2_result chi2_homogeneity(const A& reference, const B& current, bool yates_correction = true)
    requires((std::same_as<A, sorted_sample> || std::same_as<A, counted_sample>) &&
             (std::same_as<B, sorted_sample> || std::same_as<B, counted_sample>))
{
    constexpr const char* where = "chi2_homogeneity";
    detail::require(!reference.empty(), errc::empty_sample, where, "the reference sample has no non-missing value");
    detail::require(!current.empty(), errc::empty_sample, where, "the current sample has no non-missing value");
    const auto t = detail::chi2_table(reference, current);
    return chi2_homogeneity(std::span<const std::uint64_t>(t.reference), std::span<const std::uint64_t>(t.current),
                            yates_correction);
}

} // namespace v0
} // namespace driftgate
