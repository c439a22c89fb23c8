// Tests of include/driftgate/quantile.hpp: numpy.quantile 1.24 (method "linear") bit for bit
// (tests/golden/quantile/gen_quantile.py), hand calculations and edge cases.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "driftgate/quantile.hpp"
#include "test_support.hpp"
#include "golden/quantile/quantile_golden.hpp"

namespace dg = driftgate;
using namespace test_support;
namespace gq = golden_quantile;

TEST_CASE("quantile: equals numpy.quantile bit for bit", "[quantile][golden]") {
    for (const auto& c : gq::cases) {
        INFO(c.name);
        const auto s = dg::sort_sample(c.x);
        const auto qs = dg::quantiles(s, gq::levels);
        REQUIRE(qs.size() == c.q.size());
        for (std::size_t i = 0; i < c.q.size(); ++i) {
            INFO("q = " << gq::levels[i]);
            // Exact equality: bin edges built from quantiles must be numpy's to the last bit.
            REQUIRE(qs[i] == c.q[i]);
            REQUIRE(dg::quantile(s, gq::levels[i]) == c.q[i]);
            REQUIRE(dg::quantile(c.x, gq::levels[i]) == c.q[i]);
        }
    }
}

TEST_CASE("quantile: integer and float inputs are computed in double as numpy does", "[quantile][golden]") {
    const auto si = dg::sort_sample(gq::int_x);
    const auto sf = dg::sort_sample(gq::float_x);
    for (std::size_t i = 0; i < gq::levels.size(); ++i) {
        INFO("q = " << gq::levels[i]);
        REQUIRE(dg::quantile(si, gq::levels[i]) == gq::int_q[i]);
        REQUIRE(dg::quantile(sf, gq::levels[i]) == gq::float_q[i]);
    }
}

TEST_CASE("quantile: missing values are excluded (numpy.quantile of x[~isnan(x)])", "[quantile][golden]") {
    std::vector<double> x = gq::nan_x;
    for (const std::size_t i : gq::nan_positions) x[i] = kNaN;
    const auto s = dg::sort_sample(x);
    REQUIRE(s.missing == gq::nan_positions.size());
    for (std::size_t i = 0; i < gq::levels.size(); ++i) REQUIRE(dg::quantile(s, gq::levels[i]) == gq::nan_q[i]);
}

TEST_CASE("quantile: hand calculations", "[quantile]") {
    // x = 1 2 3 4: h = 3 q. q = 0.5 -> h = 1.5 -> 2 + 0.5 (3 - 2) = 2.5; q = 0.1 -> h = 0.3 ->
    // 1 + 0.3 = 1.3 (0.3 < 0.5: evaluated from the lower end); q = 0.9 -> h = 2.7 -> 4 - 0.3 = 3.7.
    const std::vector<double> x{4.0, 1.0, 3.0, 2.0};
    REQUIRE(dg::quantile(x, 0.5) == 2.5);
    REQUIRE(dg::quantile(x, 0.1) == Approx(1.3).epsilon(1e-15));
    REQUIRE(dg::quantile(x, 0.9) == Approx(3.7).epsilon(1e-15));
    REQUIRE(dg::quantile(x, 0.0) == 1.0);
    REQUIRE(dg::quantile(x, 1.0) == 4.0);
}

TEST_CASE("quantile: edge-case table", "[quantile][edge]") {
    SECTION("one element: every level gives it") {
        const std::vector<double> x{7.5};
        for (const double q : {0.0, 0.3, 0.5, 1.0}) REQUIRE(dg::quantile(x, q) == 7.5);
    }
    SECTION("all tied") {
        const std::vector<double> x(9, -2.0);
        for (const double q : {0.0, 0.01, 0.5, 0.99, 1.0}) REQUIRE(dg::quantile(x, q) == -2.0);
    }
    SECTION("infinite values: never NaN") {
        const std::vector<double> x{-kInf, 1.0, 2.0, kInf};
        REQUIRE(dg::quantile(x, 0.0) == -kInf);
        REQUIRE(dg::quantile(x, 1.0) == kInf);
        REQUIRE(dg::quantile(x, 0.5) == 1.5);
        REQUIRE(dg::quantile(x, 0.2) == -kInf); // between -inf and 1
        REQUIRE(dg::quantile(x, 0.9) == kInf);  // between 2 and +inf
        const std::vector<double> both{kInf, kInf};
        REQUIRE(dg::quantile(both, 0.5) == kInf);
    }
    SECTION("errors") {
        const std::vector<double> x{1.0, 2.0};
        require_error([&] { (void)dg::quantile(std::vector<double>{}, 0.5); }, dg::errc::empty_sample,
                      "no non-missing value");
        require_error([&] { (void)dg::quantile(std::vector<double>{kNaN, kNaN}, 0.5); }, dg::errc::empty_sample,
                      "no non-missing value");
        require_error([&] { (void)dg::quantile(x, -0.01); }, dg::errc::invalid_parameter, "[0, 1]");
        require_error([&] { (void)dg::quantile(x, 1.01); }, dg::errc::invalid_parameter, "[0, 1]");
        require_error([&] { (void)dg::quantile(x, kNaN); }, dg::errc::invalid_parameter, "[0, 1]");
        const std::vector<double> bad{0.5, 2.0};
        require_error([&] { (void)dg::quantiles(dg::sort_sample(x), bad); }, dg::errc::invalid_parameter, "[0, 1]");
        require_error([&] { (void)dg::quantiles(dg::sort_sample(std::vector<double>{}), bad); },
                      dg::errc::empty_sample, "no non-missing value");
    }
}

TEST_CASE("quantile: ends whose difference overflows stay ordered and finite (fuzz finding)", "[quantile][edge]") {
    // fuzz_stats found quantiles out of order on {-DBL_MAX, DBL_MAX}: b - a overflowed to +inf and
    // the interpolation from the upper end gave -inf at t >= 0.5.
    const double big = std::numeric_limits<double>::max();
    const std::vector<double> x{-big, big};
    const auto s = dg::sort_sample(x);
    double previous = -kInf;
    for (int i = 0; i <= 100; ++i) {
        const double v = dg::quantile(s, i / 100.0);
        INFO("q = " << i / 100.0 << ": " << v);
        CHECK(std::isfinite(v));
        CHECK(v >= previous);
        previous = v;
    }
    CHECK(dg::quantile(s, 0.0) == -big);
    CHECK(dg::quantile(s, 0.5) == 0.0); // -big * 0.5 + big * 0.5
    CHECK(dg::quantile(s, 1.0) == big);
}
