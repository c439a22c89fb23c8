#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "driftgate/ks.hpp"
#include "golden/ks/ks_golden.hpp"

using driftgate::alternative;
using driftgate::errc;
using driftgate::ks_2samp;
using driftgate::ks_method;
using driftgate::ks_options;
using driftgate::ks_result;

namespace {

// Same formula as gen_ks.py: x_i = frac(i * mult) * scale + shift, optionally floored to 1/grid.
std::vector<double> formula_sample(std::uint64_t n, double mult, double scale, double shift, double grid) {
    std::vector<double> out;
    out.reserve(n);
    for (std::uint64_t i = 1; i <= n; ++i) {
        double v = static_cast<double>(i) * mult;
        v = (v - std::floor(v)) * scale + shift;
        if (grid > 0) v = std::floor(v * grid) / grid;
        out.push_back(v);
    }
    return out;
}

double rel_err(double got, double want) { return std::fabs(got - want) / std::fabs(want); }

} // namespace

TEST_CASE("ks_2samp matches scipy 1.10 and high-precision ln p on the golden cases", "[ks][golden]") {
    for (const auto& c : ks_golden::ks_cases) {
        INFO(c.name);
        const auto x = formula_sample(c.n1, c.mult1, 1.0, 0.0, c.grid);
        const auto y = formula_sample(c.n2, c.mult2, c.scale2, c.shift2, c.grid);
        const ks_options opt{static_cast<alternative>(c.alt), static_cast<ks_method>(c.method)};
        const auto r = ks_2samp(x, y, opt);
        CHECK(r.n1 == c.n1);
        CHECK(r.n2 == c.n2);
        CHECK(r.missing1 == 0);
        CHECK(r.missing2 == 0);
        CHECK(r.statistic == Approx(c.statistic).epsilon(1e-15).margin(1e-300));
        CHECK(r.location == c.location);
        CHECK(r.sign == c.sign);
        CHECK(r.fell_back == c.fell_back);
        CHECK(r.method == (c.exact_used ? ks_method::exact : ks_method::asymptotic));
        const double tol = c.exact_used ? 1e-12 : 1e-10;
        if (c.pvalue > 1e-300) {
            INFO("p = " << r.pvalue << " scipy " << c.pvalue);
            CHECK(rel_err(r.pvalue, c.pvalue) <= tol);
        }
        if (c.exact_used && c.pvalue_exact > 1e-300) {
            INFO("p = " << r.pvalue << " exact path count " << c.pvalue_exact);
            CHECK(rel_err(r.pvalue, c.pvalue_exact) <= 1e-12);
        }
        INFO("ln p = " << r.log_pvalue << " reference (" << c.ref_kind << ") " << c.log_pvalue);
        CHECK(std::fabs(r.log_pvalue - c.log_pvalue) <= 1e-8 * std::fabs(c.log_pvalue) + 1e-15);
        CHECK(std::isfinite(r.log_pvalue));
    }
}

TEST_CASE("ks_2samp: the p-value of the golden underflow cases is carried by ln p alone", "[ks][golden]") {
    int underflows = 0;
    for (const auto& c : ks_golden::ks_cases)
        if (c.pvalue == 0.0) ++underflows;
    REQUIRE(underflows >= 5); // the table does exercise scipy's p == 0 region
}

TEST_CASE("ks_2samp statistic, location and sign by hand", "[ks]") {
    // x = {1, 2, 3}, y = {2, 4}; pooled values 1,2,3,4:
    // F1 = 1/3, 2/3, 1, 1;  F2 = 0, 1/2, 1/2, 1;  F1 - F2 = 1/3, 1/6, 1/2, 0.
    const std::vector<double> x{3, 1, 2}, y{4, 2};
    const auto r = ks_2samp(x, y, {alternative::two_sided, ks_method::asymptotic});
    CHECK(r.statistic == Approx(0.5).epsilon(1e-15));
    CHECK(r.location == 3.0);
    CHECK(r.sign == 1);
    const auto less = ks_2samp(x, y, {alternative::less, ks_method::asymptotic});
    CHECK(less.statistic == 0.0); // F1 - F2 never below 0
    CHECK(less.sign == -1);
    CHECK(less.pvalue == 1.0);
    CHECK(less.log_pvalue == 0.0);
}

TEST_CASE("ks_2samp statistic, location and sign equal scipy's definition on tied and untied samples", "[ks]") {
    // scipy 1.10's ks_2samp, written out: data_all = concatenate(data1, data2) (both sorted),
    // cdf_k = searchsorted(data_k, data_all, 'right') / n_k, cddiffs = cdf1 - cdf2; the extremes'
    // locations are data_all at the first argmax / argmin. Samples without ties within either
    // (ties across them allowed) take the merge's fast path, the others the general one.
    std::uint64_t state = 2718;
    auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL, state >> 33; };
    for (int trial = 0; trial < 3000; ++trial) {
        const std::size_t n1 = 1 + next() % 40, n2 = 1 + next() % 40, grid = 2 + next() % 120;
        const bool untied = trial % 2 == 0;
        auto draw = [&](std::size_t n) {
            std::vector<double> v;
            while (v.size() < n) {
                const auto k = static_cast<double>(next() % grid);
                double x = k == 0.0 && next() % 2 ? -0.0 : 0.25 * k;
                if (untied && std::find(v.begin(), v.end(), x) != v.end()) {
                    if (v.size() >= grid) break;
                    continue;
                }
                v.push_back(x);
            }
            std::sort(v.begin(), v.end());
            return v;
        };
        const std::vector<double> a = draw(n1), b = draw(n2);
        std::vector<double> all = a;
        all.insert(all.end(), b.begin(), b.end());
        double dmax = -INFINITY, dmin = INFINITY, lmax = 0.0, lmin = 0.0;
        for (const double v : all) {
            const auto c1 = static_cast<double>(std::upper_bound(a.begin(), a.end(), v) - a.begin());
            const auto c2 = static_cast<double>(std::upper_bound(b.begin(), b.end(), v) - b.begin());
            const double d = c1 / static_cast<double>(a.size()) - c2 / static_cast<double>(b.size());
            if (d > dmax) { dmax = d; lmax = v; }
            if (d < dmin) { dmin = d; lmin = v; }
        }
        const double minus = std::clamp(-dmin, 0.0, 1.0) + 0.0;
        INFO("trial " << trial);
        for (const alternative alt : {alternative::two_sided, alternative::less, alternative::greater}) {
            const bool use_min = alt == alternative::less || (alt == alternative::two_sided && minus > dmax);
            const auto r = ks_2samp(a, b, {alt, ks_method::asymptotic});
            CHECK(r.statistic == (use_min ? minus : dmax));
            CHECK(r.location == (use_min ? lmin : lmax));  // -0.0 == +0.0: numpy orders them either way
            CHECK(r.sign == (use_min ? -1 : 1));
        }
    }
}

TEST_CASE("the merge of sorted samples in four stretches equals the general merge bit for bit", "[ks]") {
    // Large samples (the merge then runs four stretches side by side, cut at values of the first
    // sample) drawn from one grid, so that many values are in both samples, also at the cuts;
    // every other pair drawn with replacement (ties within each sample, runs across the cuts);
    // -0.0 and +0.0 both appear. Every field of the extremes (values, locations, which sample
    // holds them) must equal the general merge's, which records every group in order; and the
    // statistic must equal scipy's definition written out.
    std::uint64_t state = 31337;
    auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL, state >> 33; };
    for (int trial = 0; trial < 200; ++trial) {
        const bool lopsided = trial % 5 == 4, tied = trial % 2 == 1;
        const std::size_t n1 = lopsided ? 4 + next() % 8 : 1000 + next() % 8000;
        const std::size_t n2 = 3000 + next() % 8000;
        const std::size_t grid = std::max(n1, n2) + next() % (std::max(n1, n2) / 2 + 1);
        const double shift = static_cast<double>(next() % 200) - 100.0;
        auto draw = [&](std::size_t n, double offset) {
            std::vector<char> used(grid, 0);
            std::vector<double> v;
            while (v.size() < n) {
                const std::size_t k = next() % (tied ? grid / 8 + 1 : grid);
                if (used[k] && !tied) continue;
                used[k] = 1;
                const double x = static_cast<double>(k) - static_cast<double>(grid / 2) + offset;
                v.push_back(x == 0.0 && next() % 2 ? -0.0 : x);
            }
            std::sort(v.begin(), v.end());
            return v;
        };
        const std::vector<double> a = draw(n1, 0.0), b = draw(n2, std::floor(shift * static_cast<double>(grid) / 1000.0));
        INFO("trial " << trial << " n1 " << n1 << " n2 " << n2);
        driftgate::sorted_sample sa, sb;
        sa.values = a;
        sb.values = b;
        const auto slow = driftgate::detail::ks_extremes_merge(driftgate::detail::sorted_runs(sa),
                                                               driftgate::detail::sorted_runs(sb), n1, n2);
        auto bits = [](double d) { return std::bit_cast<std::uint64_t>(d); };
        auto require_same = [&](const driftgate::detail::ks_extremes& fast) {
            REQUIRE(bits(fast.best_max) == bits(slow.best_max));
            REQUIRE(bits(fast.best_min) == bits(slow.best_min));
            REQUIRE(bits(fast.max_loc1) == bits(slow.max_loc1));
            REQUIRE(bits(fast.max_loc2) == bits(slow.max_loc2));
            REQUIRE(bits(fast.min_loc1) == bits(slow.min_loc1));
            REQUIRE(bits(fast.min_loc2) == bits(slow.min_loc2));
            REQUIRE(fast.max_in1 == slow.max_in1);
            REQUIRE(fast.max_in2 == slow.max_in2);
            REQUIRE(fast.min_in1 == slow.min_in1);
            REQUIRE(fast.min_in2 == slow.min_in2);
        };
        // The form with tie loops on every pair, the one without on the untied ones.
        require_same(driftgate::detail::ks_extremes_sorted<true>(a, b));
        if (!tied) require_same(driftgate::detail::ks_extremes_sorted<false>(a, b));
        // scipy's definition: D = max |cdf1 - cdf2| over the pooled values.
        double d = 0.0;
        for (const auto* v : {&a, &b})
            for (const double x : *v) {
                const auto c1 = static_cast<double>(std::upper_bound(a.begin(), a.end(), x) - a.begin());
                const auto c2 = static_cast<double>(std::upper_bound(b.begin(), b.end(), x) - b.begin());
                d = std::max(d, std::abs(c1 / static_cast<double>(n1) - c2 / static_cast<double>(n2)));
            }
        REQUIRE(ks_2samp(a, b, {alternative::two_sided, ks_method::asymptotic}).statistic == d);
    }
    // Interleaved samples a = 0, 2, 4, ... and b = 1, 3, 5, ... (n each): F1 - F2 is 1/n after every
    // value of a and 0 after every value of b, so the maximum is reached in every stretch; the
    // first place, a's first value, is kept: location 0, D = 1/n. The minimum 0 is first reached
    // at b's first value, 1. (n a power of two: every i/n is exact, so the distances are equal in
    // doubles too.)
    const std::size_t n = 8192;
    std::vector<double> a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) {
        a[i] = static_cast<double>(2 * i);
        b[i] = static_cast<double>(2 * i + 1);
    }
    const auto x = driftgate::detail::ks_extremes_sorted<false>(a, b);
    CHECK(x.best_max == 1.0 / static_cast<double>(n));
    CHECK(x.max_in1);
    CHECK(!x.max_in2);
    CHECK(x.max_loc1 == 0.0);
    CHECK(x.best_min == 0.0);
    CHECK(x.min_in2);
    CHECK(x.min_loc2 == 1.0);
    const auto r = ks_2samp(a, b, {alternative::two_sided, ks_method::asymptotic});
    CHECK(r.statistic == 1.0 / static_cast<double>(n));
    CHECK(r.location == 0.0);
}

TEST_CASE("ks_2samp edge cases", "[ks][edge]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();

    SECTION("n = 1 against n = 1: D = 1, exact two-sided p = 1 (both orders equally likely)") {
        const auto r = ks_2samp(std::vector<double>{0.0}, std::vector<double>{1.0});
        CHECK(r.statistic == 1.0);
        CHECK(r.method == ks_method::exact);
        CHECK(r.pvalue == Approx(1.0).epsilon(1e-15));
        CHECK(r.sign == 1);
        CHECK(r.location == 0.0);
        // one-sided 'greater': Pr(D+ >= 1) = C(2,0)/C(2,1) = 1/2
        const auto g = ks_2samp(std::vector<double>{0.0}, std::vector<double>{1.0}, {alternative::greater});
        CHECK(g.pvalue == Approx(0.5).epsilon(1e-15));
        CHECK(g.log_pvalue == Approx(std::log(0.5)).epsilon(1e-15));
    }
    SECTION("all values tied: D = 0 and p = 1 for every method and alternative") {
        const std::vector<double> x(7, 2.5), y(11, 2.5);
        for (auto alt : {alternative::two_sided, alternative::less, alternative::greater})
            for (auto m : {ks_method::automatic, ks_method::exact, ks_method::asymptotic}) {
                const auto r = ks_2samp(x, y, {alt, m});
                CHECK(r.statistic == 0.0);
                CHECK(r.pvalue == 1.0);
                CHECK(r.log_pvalue == 0.0);
                CHECK(r.location == 2.5);
            }
    }
    SECTION("one sample entirely above the other: exact p = 2 / C(n1 + n2, n1)") {
        // n1 = 5, n2 = 7: C(12, 5) = 792, so two-sided p = 2/792, one-sided p = 1/792.
        const std::vector<double> x{1, 2, 3, 4, 5}, y{6, 7, 8, 9, 10, 11, 12};
        const auto r = ks_2samp(x, y);
        CHECK(r.statistic == 1.0);
        CHECK(r.sign == 1);
        CHECK(r.location == 5.0);
        CHECK(r.pvalue == Approx(2.0 / 792.0).epsilon(1e-14));
        CHECK(r.log_pvalue == Approx(std::log(2.0 / 792.0)).epsilon(1e-14));
        const auto g = ks_2samp(x, y, {alternative::greater});
        CHECK(g.pvalue == Approx(1.0 / 792.0).epsilon(1e-14));
        const auto l = ks_2samp(y, x, {alternative::less});
        CHECK(l.statistic == 1.0);
        CHECK(l.sign == -1);
        CHECK(l.pvalue == Approx(1.0 / 792.0).epsilon(1e-14));
    }
    SECTION("separated samples of 5000 each: ln p = ln 2 - ln C(10000, 5000), far below a double") {
        std::vector<double> x(5000), y(5000);
        for (int i = 0; i < 5000; ++i) {
            x[static_cast<std::size_t>(i)] = i;
            y[static_cast<std::size_t>(i)] = 10000 + i;
        }
        const auto r = ks_2samp(x, y);
        const double want = std::log(2.0) - (std::lgamma(10001.0) - 2 * std::lgamma(5001.0));
        CHECK(r.pvalue == 0.0);
        CHECK(r.log_pvalue == Approx(want).epsilon(1e-10));
        // unequal sizes, deep underflow through the path recursion's log-space fallback
        std::vector<double> y2(y.begin(), y.begin() + 4999);
        const auto r2 = ks_2samp(x, y2);
        const double want2 = std::log(2.0) - (std::lgamma(10000.0) - std::lgamma(5001.0) - std::lgamma(5000.0));
        CHECK(r2.method == ks_method::exact);
        CHECK(r2.log_pvalue == Approx(want2).epsilon(1e-9));
    }
    SECTION("NaN values are missing: excluded and counted") {
        const std::vector<double> x{1, nan, 2, 3}, y{nan, nan, 2, 4};
        const auto r = ks_2samp(x, y);
        const auto clean = ks_2samp(std::vector<double>{1, 2, 3}, std::vector<double>{2, 4});
        CHECK(r.missing1 == 1);
        CHECK(r.missing2 == 2);
        CHECK(r.n1 == 3);
        CHECK(r.n2 == 2);
        CHECK(r.statistic == clean.statistic);
        CHECK(r.pvalue == clean.pvalue);
    }
    SECTION("an empty sample (after removing NaN) throws errc::empty_sample") {
        const std::vector<double> x{1, 2}, only_nan{nan, nan}, empty;
        for (const auto* bad : {&only_nan, &empty}) {
            try {
                (void)ks_2samp(x, *bad);
                FAIL("no exception");
            } catch (const driftgate::error& e) {
                CHECK(e.id() == errc::empty_sample);
            }
            CHECK_THROWS_AS(ks_2samp(*bad, x), std::invalid_argument);
        }
    }
    SECTION("+-inf are ordinary extreme values") {
        const std::vector<double> x{-inf, 0, 1}, y{1, 2, inf};
        // pooled -inf,0,1,2,inf: F1 = 1/3,2/3,1,1,1; F2 = 0,0,1/3,2/3,1; F1 - F2 = 1/3, 2/3, 2/3,
        // 1/3, 0. In double 1 - 1/3 rounds above 2/3, so (like scipy) the maximum is located at 1.
        // Exact p (n = 3, h = 2): 2 C(6, 1)/C(6, 3) = 12/20 = 0.6 (scipy: 0.6, location 1.0).
        const auto r = ks_2samp(x, y);
        CHECK(r.statistic == Approx(2.0 / 3.0).epsilon(1e-15));
        CHECK(r.location == 1.0);
        CHECK(r.pvalue == Approx(0.6).epsilon(1e-14));
        CHECK(r.missing1 == 0);
        CHECK(std::isfinite(r.pvalue));
    }
}

TEST_CASE("ks_2samp at D = 1: the exact p = 2 / C(n1+n2, n1) (one-sided 1 / C) for every method", "[ks][golden]") {
    // Golden: ln p from the exact binomial in mpmath (gen_ks.py, separated_cases); scipy's p shows
    // where its asymptotic path differs (two-sided: kstwo.sf(1) = 0).
    for (const auto& c : ks_golden::separated_cases) {
        INFO("n1 = " << c.n1 << ", n2 = " << c.n2);
        std::vector<double> x(c.n1), y(c.n2);
        for (std::size_t i = 0; i < c.n1; ++i) x[i] = static_cast<double>(i);
        for (std::size_t j = 0; j < c.n2; ++j) y[j] = c.offset + static_cast<double>(j);
        const auto sx = driftgate::sort_sample(x), sy = driftgate::sort_sample(y);
        for (auto m : {ks_method::automatic, ks_method::exact, ks_method::asymptotic}) {
            INFO("method " << static_cast<int>(m));
            // two-sided, both orders; greater on (x, y); less on (y, x)
            const struct {
                ks_result r;
                double p, lp;
            } runs[] = {{ks_2samp(sx, sy, {alternative::two_sided, m}), c.pvalue_two_sided, c.log_pvalue_two_sided},
                        {ks_2samp(sy, sx, {alternative::two_sided, m}), c.pvalue_two_sided, c.log_pvalue_two_sided},
                        {ks_2samp(sx, sy, {alternative::greater, m}), c.pvalue_one_sided, c.log_pvalue_one_sided},
                        {ks_2samp(sy, sx, {alternative::less, m}), c.pvalue_one_sided, c.log_pvalue_one_sided}};
            for (const auto& [r, p, lp] : runs) {
                INFO("alternative " << static_cast<int>(r.alt) << ": p = " << r.pvalue << " (" << p << "), ln p = "
                                    << r.log_pvalue << " (" << lp << ")");
                CHECK(r.statistic == 1.0);
                CHECK(r.method == ks_method::exact);
                CHECK_FALSE(r.fell_back);
                CHECK(std::isfinite(r.log_pvalue));
                CHECK(std::fabs(r.log_pvalue - lp) <= 1e-14 * std::fabs(lp));
                if (p > 1e-300)
                    CHECK(rel_err(r.pvalue, p) <= 1e-14);
                else
                    CHECK(r.pvalue <= 1e-300);
            }
        }
        // Where scipy's method 'auto' is exact (max(n1, n2) <= 10000, C(n1+n2, n1) finite for
        // one-sided), its p agrees; its asymptotic two-sided p is 0 at D = 1.
        const bool scipy_exact = std::max(c.n1, c.n2) <= 10000;
        const auto two = ks_2samp(sx, sy);
        const auto one = ks_2samp(sx, sy, {alternative::greater});
        if (scipy_exact && c.scipy_auto_two_sided > 1e-300) CHECK(rel_err(two.pvalue, c.scipy_auto_two_sided) <= 1e-12);
        if (scipy_exact && c.scipy_auto_greater > 1e-300 && c.log_pvalue_one_sided > std::log(1e-300))
            CHECK(rel_err(one.pvalue, c.scipy_auto_greater) <= 1e-12);
        if (!std::isnan(c.scipy_asymp_two_sided)) CHECK(c.scipy_asymp_two_sided == 0.0);
    }
    // The example: 0..19999 against 1e6 + 0..19999 under the asymptotic method gave ln p = -inf.
    std::vector<double> x(20000), y(20000);
    for (std::size_t i = 0; i < 20000; ++i) {
        x[i] = static_cast<double>(i);
        y[i] = 1e6 + static_cast<double>(i);
    }
    const auto r = ks_2samp(x, y, {alternative::two_sided, ks_method::asymptotic});
    CHECK(r.method == ks_method::exact);
    CHECK(r.pvalue == 0.0);
    CHECK(std::isfinite(r.log_pvalue));
    CHECK(r.log_pvalue < -27000.0);
}

TEST_CASE("log_choose: ln C(n, k) in both of its forms against products and sums written out", "[ks]") {
    // k <= 64: a sum of logs; beyond: Stirling's form with Loader's terms. Independent values:
    // C(12, 5) = 792, C(40, 20) = 137846528820, and ln C(2n, n) from lgamma in long double where
    // nothing cancels (k = n).
    using driftgate::detail::log_choose;
    CHECK(static_cast<double>(log_choose(12, 5)) == Approx(std::log(792.0)).epsilon(1e-16));
    CHECK(static_cast<double>(log_choose(12, 7)) == Approx(std::log(792.0)).epsilon(1e-16));
    CHECK(static_cast<double>(log_choose(40, 20)) == Approx(std::log(137846528820.0)).epsilon(1e-16));
    CHECK(log_choose(7, 0) == 0.0L);
    CHECK(log_choose(7, 7) == 0.0L);
    CHECK(static_cast<double>(log_choose(1000001, 1)) == Approx(std::log(1000001.0)).epsilon(1e-16));
    // log_choose computes in detail::wide_float: long double where it is wide (these bounds), else
    // double, whose 53-bit significand widens the first to 1e-15 (DRIFTGATE_PORTABLE_PATHS; measured
    // on x86-64 with g++ 12: at most 2.6e-16 here, 2.9e-16 for the step below).
    constexpr bool wide = driftgate::detail::long_double_is_wide;
    for (const std::uint64_t n : {65u, 100u, 1000u, 123457u}) {
        const long double want = std::lgamma(2.0L * n + 1) - 2 * std::lgamma(static_cast<long double>(n) + 1);
        INFO("n = " << n);
        CHECK(std::fabs(log_choose(2 * n, n) / want - 1.0L) <= (wide ? 1e-17L : 1e-15L));
    }
    // The two forms meet at k = 64 / 65: C(n, 65) = C(n, 64) (n - 64) / 65.
    for (const std::uint64_t n : {130u, 1000u, 100000u, 10000000u}) {
        const long double step = log_choose(n, 65) - log_choose(n, 64);
        INFO("n = " << n);
        CHECK(std::fabs(step - std::log(static_cast<long double>(n - 64) / 65.0L)) <= 1e-15L * log_choose(n, 65));
    }
}

TEST_CASE("ks_separated_product: p at D = 1 from 1 / C(n1 + n2, n1) in double-double, against the golden values",
          "[ks][golden]") {
    // The portable path of the p-value at D = 1 (where long double is not wide), exercised in
    // every build: where 1 / C is a normal double it gives p to rounding and ln p to 1e-15.
    using driftgate::detail::ks_separated_product;
    for (const auto& c : ks_golden::separated_cases) {
        INFO("n1 = " << c.n1 << ", n2 = " << c.n2);
        for (const bool two : {true, false}) {
            const auto r = ks_separated_product(c.n1, c.n2, two);
            const double p = two ? c.pvalue_two_sided : c.pvalue_one_sided;
            const double lp = two ? c.log_pvalue_two_sided : c.log_pvalue_one_sided;
            INFO((two ? "two-sided" : "one-sided") << ": p = " << r.p << " (" << p << "), ln p = " << r.logp << " (" << lp << ")");
            if (lp < std::log(0x1p-1022)) { // 1 / C is not a normal double: not this path's
                CHECK_FALSE(r.ok);
                continue;
            }
            REQUIRE(r.ok);
            CHECK(rel_err(r.p, p) <= 4e-16);
            CHECK(std::fabs(r.logp - lp) <= 1e-15 * std::max(1.0, std::fabs(lp)));
        }
    }
}

TEST_CASE("ks_2samp method selection and fallbacks", "[ks]") {
    SECTION("automatic is exact up to max(n1, n2) = 10000, asymptotic above") {
        const auto a = formula_sample(10000, 0.6180339887498949, 1, 0, 0);
        const auto b = formula_sample(300, 0.4142135623730951, 1, 0.01, 0);
        const auto b2 = formula_sample(10001, 0.4142135623730951, 1, 0.01, 0);
        CHECK(ks_2samp(a, b).method == ks_method::exact);
        CHECK(ks_2samp(a, b2).method == ks_method::asymptotic);
        CHECK_FALSE(ks_2samp(a, b2).fell_back);
    }
    SECTION("exact with lcm(n1, n2) beyond scipy's int32 limit falls back") {
        const auto a = formula_sample(60000, 0.6180339887498949, 1, 0, 0);
        const auto b = formula_sample(60001, 0.4142135623730951, 1, 0.003, 0);
        const auto r = ks_2samp(a, b, {alternative::two_sided, ks_method::exact});
        CHECK(r.fell_back);
        CHECK(r.method == ks_method::asymptotic);
        const auto asy = ks_2samp(a, b, {alternative::two_sided, ks_method::asymptotic});
        CHECK(r.pvalue == asy.pvalue);
    }
    SECTION("one-sided exact with n1 != n2 is possible exactly while C(n1 + n2, n1) < DBL_MAX") {
        // ln C(1029, 514) < ln DBL_MAX = 709.78 < ln C(1030, 515)  (lgamma, checked here)
        const double lmax = std::log(std::numeric_limits<double>::max());
        REQUIRE(std::lgamma(1030.0) - std::lgamma(515.0) - std::lgamma(516.0) < lmax);
        REQUIRE(std::lgamma(1031.0) - std::lgamma(516.0) - std::lgamma(516.0) > lmax);
        const auto a = formula_sample(514, 0.6180339887498949, 1, 0, 0);
        const auto b = formula_sample(515, 0.4142135623730951, 1, 0.1, 0);
        const auto b2 = formula_sample(516, 0.4142135623730951, 1, 0.1, 0);
        const auto a2 = formula_sample(515, 0.6180339887498949, 1, 0, 0);
        const auto ok = ks_2samp(a, b, {alternative::greater});
        CHECK(ok.method == ks_method::exact);
        const auto fb = ks_2samp(a2, b2, {alternative::greater});
        CHECK(fb.fell_back);
        CHECK(fb.method == ks_method::asymptotic);
    }
}

TEST_CASE("ks_2samp overloads agree: sorted_sample, span, containers, integers, float", "[ks]") {
    const std::vector<int> xi{5, 1, 4, 4, 9, 2};
    const std::vector<double> xd{5, 1, 4, 4, 9, 2};
    const std::vector<float> yf{3.0f, 7.0f, 8.0f, 4.0f};
    const auto a = ks_2samp(xi, yf);
    const auto b = ks_2samp(driftgate::sort_sample(xd), driftgate::sort_sample(yf));
    const auto c = ks_2samp(std::span<const int>(xi), std::span<const float>(yf));
    CHECK(a.statistic == b.statistic);
    CHECK(a.pvalue == b.pvalue);
    CHECK(c.pvalue == b.pvalue);
    CHECK(a.location == b.location);
}
