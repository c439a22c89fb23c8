// Tests of the chi-square test of homogeneity and the chi-square survival function (chi2.hpp).
// References: scipy 1.10.1 (chi2_contingency, contingency.association, chi2.sf), exact rational
// statistics and mpmath p-values (tests/golden/chi2/gen_chi2.py), and hand calculations written
// out below.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <map>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include <driftgate/chi2.hpp>

#include "golden/chi2/chi2_golden.hpp"
#include "test_support.hpp"

namespace dg = driftgate;
using namespace test_support;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

void require_same(const dg::chi2_result& a, const dg::chi2_result& b) {
    REQUIRE(same_bits(a.statistic, b.statistic));
    REQUIRE(same_bits(a.statistic_uncorrected, b.statistic_uncorrected));
    REQUIRE(same_bits(a.pvalue, b.pvalue));
    REQUIRE(same_bits(a.log_pvalue, b.log_pvalue));
    REQUIRE(same_bits(a.cramers_v, b.cramers_v));
    REQUIRE(a.dof == b.dof);
    REQUIRE(a.yates == b.yates);
    REQUIRE(a.categories == b.categories);
    REQUIRE(a.n_reference == b.n_reference);
    REQUIRE(a.n_current == b.n_current);
}

/// |a - b| <= rel * |b| + abs_tol.
bool near(double a, double b, double rel, double abs_tol = 0.0) { return std::fabs(a - b) <= rel * std::fabs(b) + abs_tol; }

// Same formula as gen_chi2.py: floor(frac(i * mult) * scale * grid) / grid + shift, i = 1..n.
std::vector<double> formula_sample(std::uint64_t n, double mult, double scale, double shift, double grid) {
    std::vector<double> out;
    for (std::uint64_t i = 1; i <= n; ++i) {
        double v = static_cast<double>(i) * mult;
        v = (v - std::floor(v)) * scale;
        out.push_back(std::floor(v * grid) / grid + shift);
    }
    return out;
}

/// The 2 x k table of two raw samples by a std::map keyed by value (-0.0 and +0.0 are one key,
/// NaN left out): the naive construction the merge must reproduce.
std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>> naive_table(const std::vector<double>& x,
                                                                                const std::vector<double>& y) {
    std::map<double, std::pair<std::uint64_t, std::uint64_t>> m;
    for (const double v : x)
        if (!std::isnan(v)) ++m[v].first;
    for (const double v : y)
        if (!std::isnan(v)) ++m[v].second;
    std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>> t;
    for (const auto& [v, c] : m) {
        t.first.push_back(c.first);
        t.second.push_back(c.second);
    }
    return t;
}

} // namespace

TEST_CASE("chi2_homogeneity matches scipy, exact rational statistics and mpmath p-values", "[chi2][golden]") {
    for (const auto& c : chi2_golden::table_cases) {
        INFO(c.name);
        const auto r = dg::chi2_homogeneity(c.reference, c.current, c.correction);
        CHECK(r.dof == c.dof);
        CHECK(r.categories == c.categories);
        CHECK(r.yates == (c.dof == 1 && c.correction));
        CHECK(r.n_reference == std::accumulate(c.reference.begin(), c.reference.end(), std::uint64_t{0}));
        CHECK(r.n_current == std::accumulate(c.current.begin(), c.current.end(), std::uint64_t{0}));
        // The statistic is exact up to its last roundings: within 2 ulps of the exact rational.
        INFO("X2 = " << r.statistic << " exact " << c.exact_statistic << " scipy " << c.scipy_statistic);
        CHECK(near(r.statistic, c.exact_statistic, 4.5e-16));
        CHECK(near(r.statistic_uncorrected, c.exact_uncorrected, 4.5e-16));
        // scipy forms E = n_i t_j / N in double and subtracts O - E (measured: within 1.5e-16
        // relative, 3e-14 absolute, of the exact statistic on these tables).
        CHECK(near(r.statistic, c.scipy_statistic, 1e-13, 1e-13));
        // p and ln p from mpmath at the exact statistic.
        INFO("p = " << r.pvalue << " mpmath " << c.mp_pvalue << " scipy " << c.scipy_pvalue);
        // p's condition number in x is |ln p| / 2: the statistic's last rounding alone moves p by
        // up to |ln p| 1.1e-16 relative (5e-14 at p ~ 1e-300).
        if (c.mp_pvalue > 1e-300) CHECK(near(r.pvalue, c.mp_pvalue, 1e-13));
        else CHECK(r.pvalue <= 1e-300);
        INFO("ln p = " << r.log_pvalue << " mpmath " << c.mp_log_pvalue);
        CHECK(near(r.log_pvalue, c.mp_log_pvalue, 1e-14, 1e-18));
        CHECK(std::isfinite(r.log_pvalue));
        // scipy's p (cephes igamc of its own statistic).
        CHECK(near(r.pvalue, c.scipy_pvalue, 1e-11, 1e-300));
        // Cramér's V.
        CHECK(near(r.cramers_v, c.mp_cramers_v, 4.5e-16));
        if (std::isnan(c.scipy_cramers_v))
            CHECK(r.cramers_v == 0.0); // one category: scipy divides 0 by 0, driftgate defines V = 0
        else
            CHECK(near(r.cramers_v, c.scipy_cramers_v, 1e-13, 1e-16));
    }
}

TEST_CASE("chi2_homogeneity of samples: categories are the distinct values; matches scipy on np.unique's table",
          "[chi2][golden]") {
    for (const auto& c : chi2_golden::sample_cases) {
        INFO(c.name);
        const auto x = formula_sample(c.n1, c.mult1, c.scale1, c.shift1, c.grid);
        const auto y = formula_sample(c.n2, c.mult2, c.scale2, c.shift2, c.grid);
        const auto sx = dg::sort_sample(x), sy = dg::sort_sample(y);
        const auto cx = dg::count_sample(x), cy = dg::count_sample(y);
        REQUIRE((cx && cy));
        const auto r = dg::chi2_homogeneity(sx, sy);
        CHECK(r.categories == c.categories);
        CHECK(r.dof == c.dof);
        CHECK(near(r.statistic, c.scipy_statistic, 1e-13));
        CHECK(near(r.pvalue, c.scipy_pvalue, 1e-11));
        CHECK(near(r.cramers_v, c.scipy_cramers_v, 1e-13));
        require_same(r, dg::chi2_homogeneity(*cx, sy));
        require_same(r, dg::chi2_homogeneity(sx, *cy));
        require_same(r, dg::chi2_homogeneity(*cx, *cy));
        const auto [tr, tc] = naive_table(x, y);
        require_same(r, dg::chi2_homogeneity(tr, tc));
    }
}

TEST_CASE("chi2_sf matches scipy.stats.chi2.sf; chi2_log_sf matches mpmath far below a double", "[chi2][golden]") {
    for (const auto& p : chi2_golden::sf_points) {
        INFO("x = " << p.x << ", dof = " << p.dof);
        const double sf = dg::chi2_sf(p.x, p.dof), lsf = dg::chi2_log_sf(p.x, p.dof);
        INFO(std::setprecision(17) << "sf = " << sf << " scipy " << p.scipy_sf << "; ln sf = " << lsf << " mpmath "
                                    << p.mp_log_sf);
        // Boost's gamma_q: ~1e-15 relative, 1.3e-13 at dof = 1e7 (x = 1.01e7).
        if (p.mp_sf >= 1e-300) CHECK(near(sf, p.mp_sf, 2e-13));
        else CHECK(sf <= 1e-300);
        // scipy's cephes igamc is good to ~1e-12 relative here (1.1e-12 at x = 15000, dof = 1e4).
        if (p.scipy_sf >= 1e-300) CHECK(near(sf, p.scipy_sf, 2e-12));
        CHECK(near(lsf, p.mp_log_sf, 1e-14, 1e-300));
        CHECK(lsf <= 0.0);
        // Where sf is small (away from 1, where ln sf keeps digits that sf has rounded away).
        if (sf >= 1e-300 && sf < 0.5) CHECK(near(lsf, std::log(sf), 1e-13));
    }
}

TEST_CASE("chi2_homogeneity edge cases", "[chi2][edge]") {
    using V = std::vector<std::uint64_t>;
    SECTION("2 x 2 by hand: Yates' N (|ad - bc| - N/2)^2 / (n1 n2 t1 t2)") {
        // [[3, 1], [1, 3]]: ad - bc = 9 - 1 = 8, N = 8, n1 = n2 = t1 = t2 = 4:
        // corrected 8 (8 - 4)^2 / 256 = 0.5; uncorrected N (ad - bc)^2 / (n1 n2 t1 t2) = 8 * 64 / 256 = 2;
        // V = sqrt(2 / 8) = 0.5; dof 1, p = erfc(sqrt(0.5 / 2)) = erfc(0.5).
        const auto r = dg::chi2_homogeneity(V{3, 1}, V{1, 3});
        CHECK(r.yates);
        CHECK(r.statistic == 0.5);
        CHECK(r.statistic_uncorrected == 2.0);
        CHECK(r.cramers_v == 0.5);
        CHECK(r.dof == 1);
        CHECK(near(r.pvalue, std::erfc(0.5), 1e-15));
        const auto u = dg::chi2_homogeneity(V{3, 1}, V{1, 3}, false);
        CHECK(!u.yates);
        CHECK(u.statistic == 2.0);
        CHECK(near(u.pvalue, std::erfc(1.0), 1e-15)); // Pr(chi2_1 >= 2) = erfc(sqrt(2 / 2))
    }
    SECTION("|ad - bc| <= N/2: the corrected statistic is 0 and p = 1") {
        // [[10, 10], [11, 10]]: ad - bc = 100 - 110 = -10, N = 41: 10 <= 20.5.
        const auto r = dg::chi2_homogeneity(V{10, 10}, V{11, 10});
        CHECK(r.statistic == 0.0);
        CHECK(r.pvalue == 1.0);
        CHECK(r.log_pvalue == 0.0);
        CHECK(r.statistic_uncorrected > 0.0);
    }
    SECTION("one category (k = 1): statistic 0, p 1, dof 0, V 0; all in one category after dropping empties") {
        for (const auto& [a, b] : {std::pair{V{5}, V{7}}, std::pair{V{0, 50, 0}, V{0, 30, 0}}}) {
            const auto r = dg::chi2_homogeneity(a, b);
            CHECK(r.categories == 1);
            CHECK(r.dof == 0);
            CHECK(r.statistic == 0.0);
            CHECK(r.statistic_uncorrected == 0.0);
            CHECK(r.pvalue == 1.0);
            CHECK(r.log_pvalue == 0.0);
            CHECK(r.cramers_v == 0.0);
            CHECK(!r.yates);
        }
    }
    SECTION("columns empty in both rows are dropped: the same result as without them, bit for bit") {
        require_same(dg::chi2_homogeneity(V{0, 20, 0, 15, 30, 0}, V{0, 25, 0, 10, 40, 0}),
                     dg::chi2_homogeneity(V{20, 15, 30}, V{25, 10, 40}));
        require_same(dg::chi2_homogeneity(V{0, 5, 3}, V{0, 2, 9}), dg::chi2_homogeneity(V{5, 3}, V{2, 9}));
    }
    SECTION("disjoint supports: uncorrected X^2 = N and V = 1") {
        // [[10, 0, 0], [0, 4, 3]]: e_1 = 10 * 7 = 70, t_1 = 10 -> 4900 / 700 = 7; e_2 = -4 * 10,
        // t_2 = 4 -> 1600 / 280; e_3 = -30, t_3 = 3 -> 900 / 210; 7 + 40/7 + 30/7 = 17 = N.
        const auto r = dg::chi2_homogeneity(V{10, 0, 0}, V{0, 4, 3});
        CHECK(r.statistic == 17.0);
        CHECK(r.cramers_v == 1.0);
        CHECK(r.dof == 2);
        CHECK(near(r.pvalue, std::exp(-8.5), 1e-14)); // dof 2: Pr(chi2_2 >= x) = exp(-x / 2)
        CHECK(near(r.log_pvalue, -8.5, 1e-15));
    }
    SECTION("counts of 2^60: exact numerators, no overflow; totals beyond 2^63 rejected") {
        // [[2^60, 2^60], [2^60 + 2, 2^60 - 2]]: n1 = n2 = 2^61, e_1 = 2^60 2^61 - (2^60 + 2) 2^61 = -2^62,
        // t_1 = 2^61 + 2, t_2 = 2^61 - 2: X^2 = 2^124 (1/t_1 + 1/t_2) / 2^122 = 4 * 2^62 / (2^122 - 4)
        // (~3.5e-18; in doubles (O - E)^2 / E would be lost to rounding entirely). dof 1:
        // p = erfc(sqrt(X^2 / 2)), ln p = log1p(-erf(sqrt(X^2 / 2))).
        const std::uint64_t h = std::uint64_t{1} << 60;
        const auto r = dg::chi2_homogeneity(V{h, h}, V{h + 2, h - 2}, false);
        const double want = 8.0 * std::ldexp(1.0, 61) / (std::ldexp(1.0, 122) - 4.0);
        CHECK(near(r.statistic, want, 4.5e-16));
        CHECK(near(r.log_pvalue, std::log1p(-std::erf(std::sqrt(want / 2))), 1e-12));
        require_error([&] { (void)dg::chi2_homogeneity(V{std::uint64_t{1} << 62}, V{std::uint64_t{1} << 62, 0}); },
                      dg::errc::length_mismatch, "differ in length");
        require_error([&] { (void)dg::chi2_homogeneity(V{std::uint64_t{1} << 62, 1}, V{std::uint64_t{1} << 62, 0}); },
                      dg::errc::invalid_parameter, "2^63");
    }
    SECTION("empty rows and mismatched lengths are errors") {
        require_error([&] { (void)dg::chi2_homogeneity(V{}, V{}); }, dg::errc::empty_sample, "reference counts sum to 0");
        require_error([&] { (void)dg::chi2_homogeneity(V{0, 0}, V{1, 2}); }, dg::errc::empty_sample, "reference");
        require_error([&] { (void)dg::chi2_homogeneity(V{1, 2}, V{0, 0}); }, dg::errc::empty_sample, "current");
        require_error([&] { (void)dg::chi2_homogeneity(V{1, 2, 3}, V{1, 2}); }, dg::errc::length_mismatch, "3 and 2");
    }
    SECTION("samples: -0.0 and +0.0 are one category, +-inf are categories, NaN is left out") {
        // Categories -inf, 0, 1, inf: reference {-0.0, 0.0, 1, inf} -> [0, 2, 1, 1];
        // current {0.0, 0.0, -inf, 1} -> [1, 2, 1, 0].
        const std::vector<double> x{-0.0, 0.0, 1.0, kInf, kNaN}, y{0.0, 0.0, -kInf, 1.0, kNaN, kNaN};
        const auto want = dg::chi2_homogeneity(V{0, 2, 1, 1}, V{1, 2, 1, 0});
        const auto sx = dg::sort_sample(x), sy = dg::sort_sample(y);
        const auto cx = dg::count_sample(x), cy = dg::count_sample(y);
        REQUIRE(cx->values.size() == 4); // -0.0 and +0.0 are two entries of the counted sample
        require_same(dg::chi2_homogeneity(sx, sy), want);
        require_same(dg::chi2_homogeneity(*cx, *cy), want);
        require_same(dg::chi2_homogeneity(*cx, sy), want);
        require_same(dg::chi2_homogeneity(sx, *cy), want);
        CHECK(want.categories == 4);
        CHECK(want.n_reference == 4);
        CHECK(want.n_current == 4);
    }
    SECTION("samples with no non-missing value are errors") {
        const auto empty = dg::sort_sample(std::vector<double>{kNaN, kNaN});
        const auto some = dg::sort_sample(std::vector<double>{1.0});
        require_error([&] { (void)dg::chi2_homogeneity(empty, some); }, dg::errc::empty_sample, "reference sample");
        require_error([&] { (void)dg::chi2_homogeneity(some, *dg::count_sample(std::vector<double>{kNaN})); },
                      dg::errc::empty_sample, "current sample");
    }
}

TEST_CASE("chi2_sf and chi2_log_sf edge cases", "[chi2][edge]") {
    // x <= 0: Pr(X >= x) = 1; x = +inf: 0; dof 2: exp(-x/2) exactly (ln = -x/2); dof 1: erfc(sqrt(x/2)).
    for (const double dof : {0.5, 1.0, 2.0, 7.0, 1e6}) {
        CHECK(dg::chi2_sf(0.0, dof) == 1.0);
        CHECK(dg::chi2_sf(-3.0, dof) == 1.0);
        CHECK(dg::chi2_log_sf(-kInf, dof) == 0.0);
        CHECK(dg::chi2_sf(kInf, dof) == 0.0);
        CHECK(dg::chi2_log_sf(kInf, dof) == -kInf);
    }
    for (const double x : {1e-10, 0.3, 4.0, 100.0, 1400.0, 1e4, 1e6, 1e9, 1e15}) {
        CHECK(near(dg::chi2_log_sf(x, 2.0), -x / 2, 1e-15));
        CHECK(near(dg::chi2_sf(x, 2.0), std::exp(-x / 2), 1e-14));
        CHECK(near(dg::chi2_sf(x, 1.0), std::erfc(std::sqrt(x / 2)), 1e-13, 1e-300));
    }
    require_error([] { (void)dg::chi2_sf(kNaN, 1.0); }, dg::errc::invalid_parameter, "NaN");
    require_error([] { (void)dg::chi2_log_sf(1.0, 0.0); }, dg::errc::invalid_parameter, "dof");
    require_error([] { (void)dg::chi2_sf(1.0, -1.0); }, dg::errc::invalid_parameter, "dof");
    require_error([] { (void)dg::chi2_sf(1.0, kInf); }, dg::errc::invalid_parameter, "dof");
    require_error([] { (void)dg::chi2_sf(1.0, kNaN); }, dg::errc::invalid_parameter, "dof");
}

TEST_CASE("chi2_homogeneity properties: relabelling, swapping rows, ranges (seeded)", "[chi2][invariants]") {
    std::mt19937_64 rng(915);
    for (int round = 0; round < 2000; ++round) {
        const std::size_t k = 1 + rng() % 30;
        std::vector<std::uint64_t> a(k), b(k);
        const std::uint64_t scale = round % 10 == 0 ? 1000000000000ULL : 1 + rng() % 50;
        for (std::size_t j = 0; j < k; ++j) {
            a[j] = rng() % 4 == 0 ? 0 : rng() % (scale + 1);
            b[j] = rng() % 4 == 0 ? 0 : rng() % (scale + 1);
        }
        a[rng() % k] += 1;
        b[rng() % k] += 1;
        INFO("round " << round << ", k = " << k);
        const bool corr = rng() % 2 == 0;
        const auto r = dg::chi2_homogeneity(a, b, corr);
        REQUIRE(r.pvalue >= 0.0);
        REQUIRE(r.pvalue <= 1.0);
        REQUIRE(r.log_pvalue <= 0.0);
        REQUIRE(std::isfinite(r.log_pvalue));
        REQUIRE(r.cramers_v >= 0.0);
        REQUIRE(r.cramers_v <= 1.0);
        REQUIRE(r.statistic >= 0.0);
        REQUIRE(r.statistic <= r.statistic_uncorrected);
        if (r.pvalue >= 1e-280) REQUIRE(near(r.log_pvalue, std::log(r.pvalue), 1e-12, 1e-15));
        // Permuting the categories (relabelling) changes only the order of the sum.
        std::vector<std::size_t> perm(k);
        std::iota(perm.begin(), perm.end(), std::size_t{0});
        std::shuffle(perm.begin(), perm.end(), rng);
        std::vector<std::uint64_t> pa(k), pb(k);
        for (std::size_t j = 0; j < k; ++j) {
            pa[j] = a[perm[j]];
            pb[j] = b[perm[j]];
        }
        const auto p = dg::chi2_homogeneity(pa, pb, corr);
        REQUIRE(p.dof == r.dof);
        REQUIRE(p.yates == r.yates);
        REQUIRE(near(p.statistic, r.statistic, 1e-15, 1e-300));
        REQUIRE(near(p.statistic_uncorrected, r.statistic_uncorrected, 1e-15, 1e-300));
        REQUIRE(near(p.log_pvalue, r.log_pvalue, 1e-12, 1e-300));
        REQUIRE(near(p.cramers_v, r.cramers_v, 1e-15));
        // The statistic of homogeneity is symmetric in the two rows.
        const auto s = dg::chi2_homogeneity(b, a, corr);
        REQUIRE(same_bits(s.statistic, r.statistic));
        REQUIRE(same_bits(s.log_pvalue, r.log_pvalue));
        REQUIRE(s.n_reference == r.n_current);
    }
}

TEST_CASE("chi2_homogeneity of samples: relabelling values by a bijection keeps the result", "[chi2][invariants]") {
    std::mt19937_64 rng(4242);
    for (int round = 0; round < 500; ++round) {
        const std::size_t n1 = 1 + rng() % 400, n2 = 1 + rng() % 400, k = 1 + rng() % 12;
        auto draw = [&](std::size_t n) {
            std::vector<double> v(n);
            for (auto& x : v) x = rng() % 10 == 0 ? kNaN : static_cast<double>(rng() % k);
            return v;
        };
        const auto x = draw(n1), y = draw(n2);
        auto relabel = [](std::vector<double> v) { // v -> 7 - 3v: a bijection reversing the order
            for (auto& e : v) e = 7.0 - 3.0 * e;
            return v;
        };
        const auto sx = dg::sort_sample(x), sy = dg::sort_sample(y);
        if (sx.empty() || sy.empty()) continue;
        const auto r = dg::chi2_homogeneity(sx, sy);
        const auto q = dg::chi2_homogeneity(dg::sort_sample(relabel(x)), dg::sort_sample(relabel(y)));
        INFO("round " << round);
        REQUIRE(q.categories == r.categories);
        REQUIRE(near(q.statistic, r.statistic, 1e-15, 1e-300));
        REQUIRE(near(q.log_pvalue, r.log_pvalue, 1e-12, 1e-300));
        const auto [tr, tc] = naive_table(x, y);
        require_same(r, dg::chi2_homogeneity(tr, tc));
        require_same(r, dg::chi2_homogeneity(*dg::count_sample(x), *dg::count_sample(y)));
    }
}
