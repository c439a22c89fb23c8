#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "driftgate/kolmogorov.hpp"
#include "golden/ks/ks_golden.hpp"

using namespace driftgate;

namespace {
bool close(double got, double want, double rel, double abs = 0.0) {
    if (got == want) return true;
    return std::fabs(got - want) <= rel * std::fabs(want) + abs;
}
} // namespace

TEST_CASE("kolmogorov_sf/cdf/logsf (one-sample, exact n) match scipy.stats.kstwo", "[kolmogorov][golden]") {
    for (const auto& g : ks_golden::kstwo_points) {
        INFO("n = " << g.n << " x = " << g.x);
        const double sf = kolmogorov_sf(g.n, g.x);
        const double cdf = kolmogorov_cdf(g.n, g.x);
        const double lsf = kolmogorov_logsf(g.n, g.x);
        INFO("sf " << sf << " vs " << g.sf << "; cdf " << cdf << " vs " << g.cdf << "; logsf " << lsf << " vs " << g.logsf);
        CHECK(close(sf, g.sf, 1e-10, 1e-300));
        CHECK(close(cdf, g.cdf, 1e-10, 1e-15));
        CHECK(close(lsf, g.logsf, 1e-8, 1e-15));
    }
}

TEST_CASE("smirnov_sf/logsf match scipy.special.smirnov and an mpmath Smirnov sum", "[kolmogorov][golden]") {
    for (const auto& g : ks_golden::smirnov_points) {
        INFO("n = " << g.n << " x = " << g.x);
        CHECK(close(smirnov_sf(g.n, g.x), g.sf, 1e-11, 1e-300));
        CHECK(close(smirnov_logsf(g.n, g.x), g.logsf, 1e-9, 1e-15));
        CHECK(close(smirnov_cdf(g.n, g.x), 1.0 - g.sf, 1e-11, 1e-15));
    }
}

TEST_CASE("kolmogorov_limit (kstwobign) matches scipy and an mpmath theta series", "[kolmogorov][golden]") {
    for (const auto& g : ks_golden::kstwobign_points) {
        INFO("x = " << g.x);
        CHECK(close(kolmogorov_limit_sf(g.x), g.sf, 1e-12, 1e-300));
        CHECK(close(kolmogorov_limit_cdf(g.x), g.cdf, 1e-12, 1e-16));
        CHECK(close(kolmogorov_limit_logsf(g.x), g.logsf, 1e-12, 1e-16));
    }
}

TEST_CASE("Kolmogorov distributions: closed forms and edges by hand", "[kolmogorov][edge]") {
    const double inf = std::numeric_limits<double>::infinity();
    // n = 1: D_1 = max(U, 1 - U), so Pr(D_1 > x) = 2(1 - x) for 1/2 <= x <= 1, and 1 below 1/2.
    CHECK(kolmogorov_sf(1, 0.8) == Approx(0.4).epsilon(1e-14));
    CHECK(kolmogorov_sf(1, 0.3) == 1.0);
    // Ruben–Gambino upper end: Pr(D_n > x) = 2 (1 - x)^n for x >= 1 - 1/n.
    CHECK(kolmogorov_sf(4, 0.9) == Approx(2 * std::pow(0.1, 4)).epsilon(1e-13));
    CHECK(kolmogorov_logsf(100000, 0.99999) == Approx(std::log(2.0) + 100000 * std::log1p(-0.99999)).epsilon(1e-12));
    // Ruben–Gambino lower end: Pr(D_n <= x) = n!/n^n (2nx - 1)^n for 1/(2n) <= x <= 1/n; n = 3, x = 0.3
    CHECK(kolmogorov_cdf(3, 0.3) == Approx(6.0 / 27.0 * std::pow(0.8, 3)).epsilon(1e-13));
    // Smirnov n = 1: Pr(D+_1 >= x) = 1 - x; n = 2, x = 0.6 (only j = 0): (1 - x)^2
    CHECK(smirnov_sf(1, 0.25) == Approx(0.75).epsilon(1e-15));
    CHECK(smirnov_sf(2, 0.6) == Approx(0.16).epsilon(1e-14));
    // Bounds and infinities
    for (double x : {-1.0, 0.0, -inf}) {
        CHECK(kolmogorov_sf(10, x) == 1.0);
        CHECK(smirnov_sf(10, x) == 1.0);
        CHECK(kolmogorov_limit_sf(x) == 1.0);
        CHECK(kolmogorov_logsf(10, x) == 0.0);
    }
    for (double x : {1.0, 2.0, inf}) {
        CHECK(kolmogorov_sf(10, x) == 0.0);
        CHECK(kolmogorov_logsf(10, x) == -inf);
        CHECK(smirnov_sf(10, x) == 0.0);
        CHECK(kolmogorov_cdf(10, x) == 1.0);
    }
    CHECK(kolmogorov_limit_sf(inf) == 0.0);
    CHECK(kolmogorov_limit_cdf(inf) == 1.0);
    // Limit tail: ln sf = ln 2 - 2x^2 (1 + O(e^{-6x^2})), finite where sf underflows.
    CHECK(kolmogorov_limit_sf(30.0) == 0.0);
    CHECK(kolmogorov_limit_logsf(30.0) == Approx(std::log(2.0) - 1800.0).epsilon(1e-15));
    // Bad arguments
    CHECK_THROWS_AS(kolmogorov_sf(0, 0.5), driftgate::error);
    CHECK_THROWS_AS(smirnov_sf(0, 0.5), driftgate::error);
    CHECK_THROWS_AS(kolmogorov_sf(5, std::nan("")), driftgate::error);
    CHECK_THROWS_AS(kolmogorov_limit_sf(std::nan("")), driftgate::error);
}

TEST_CASE("Kolmogorov distributions: sf + cdf = 1 across regions", "[kolmogorov]") {
    for (std::uint64_t n : {2u, 7u, 60u, 140u, 141u, 3000u, 150000u})
        for (double x : {0.001, 0.01, 0.03, 0.08, 0.15, 0.3, 0.49, 0.51, 0.7}) {
            INFO("n = " << n << " x = " << x);
            // For n > 140 and 2.2 <= n x^2 < 18 sf (2 sf(D+)) and cdf (Pelz–Good) are different
            // approximations, as in scipy: there they agree to ~1e-6 only.
            const double nx2 = static_cast<double>(n) * x * x;
            const double tol = (n > 140 && nx2 >= 2.2 && nx2 < 18 && x < 0.5) ? 1e-6 : 1e-14;
            CHECK(kolmogorov_sf(n, x) + kolmogorov_cdf(n, x) == Approx(1.0).epsilon(tol));
            CHECK(kolmogorov_sf(n, x) <= 1.0);
            CHECK(kolmogorov_sf(n, x) >= 0.0);
        }
}

TEST_CASE("smirnov: wide sums at large n, taken as an integral of the terms", "[kolmogorov][golden]") {
    // More than 4096 significant terms, both ends of the sum negligible: the trapezoidal integral
    // of the continued term replaces the sum (drift of a 1e6-row pair lands here: n = 5e5).
    // logsf from the full mpmath sum (60 digits), sf from scipy.special.smirnov 1.10.1:
    //   cd tests/golden/ks && /usr/bin/python3 -c "from gen_ks import smirnov_logsf_mp
    //   from scipy import special
    //   for n, x in [(500000, 0.028), (500000, 0.0053), (500000, 0.0015), (200000, 0.01),
    //                (1000000, 0.0008), (300000, 0.05)]:
    //       print(n, x, repr(float(smirnov_logsf_mp(n, x))), repr(float(special.smirnov(n, x))))"
    struct point {
        std::uint64_t n;
        double x, logsf, sf;
    };
    for (const point& g : {point{500000, 0.028, -784.1549701619131, 0.0},
                           point{500000, 0.0053, -28.093696226700608, 6.295971486153514e-13},
                           point{500000, 0.0015, -2.2510001254668173, 0.1052938648084657},
                           point{200000, 0.01, -40.00751136825926, 4.216562849935046e-18},
                           point{1000000, 0.0008, -1.2805332309734614, 0.27788908187369565},
                           point{300000, 0.05, -1500.8666938321999, 0.0}}) {
        INFO("n = " << g.n << ", x = " << g.x);
        // Tighter than the term-by-term sum managed (its rounding reached 6e-15 and 1e-13).
        CHECK(close(smirnov_logsf(g.n, g.x), g.logsf, 3e-15));
        CHECK(close(smirnov_sf(g.n, g.x), g.sf, 1e-14));
    }
}

TEST_CASE("smirnov: deep tails at large n, where the sum starts near the mode", "[kolmogorov][golden]") {
    // The Smirnov sum skips the terms more than e^-60 below its largest one; here they are most of
    // [0, n(1 - x)]. logsf from the full mpmath sum, sf from scipy.special.smirnov 1.10.1:
    //   cd tests/golden/ks && /usr/bin/python3 -c "from gen_ks import smirnov_logsf_mp;
    //   from scipy import special
    //   for n, x in [(20000, 0.05), (50000, 0.04), (7000, 0.3)]:
    //       print(n, x, repr(float(smirnov_logsf_mp(n, x))), repr(float(special.smirnov(n, x))))"
    struct point {
        std::uint64_t n;
        double x, logsf, sf;
    };
    for (const point& g : {point{20000, 0.05, -100.08787699726092, 3.407119096486205e-44},
                           point{50000, 0.04, -160.08290608683168, 2.9983148757015315e-70},
                           point{7000, 0.3, -1286.6554297037549, 0.0}}) {
        INFO("n = " << g.n << ", x = " << g.x);
        CHECK(close(smirnov_logsf(g.n, g.x), g.logsf, 1e-12));
        CHECK(close(smirnov_sf(g.n, g.x), g.sf, 1e-11));
    }
}
