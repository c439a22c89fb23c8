#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "driftgate/driftgate.hpp"

using driftgate::sort_sample;

TEST_CASE("sort_sample sets missing values aside and sorts the rest", "[sample]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> x{3.0, nan, -inf, 1.0, inf, nan, 2.0};
    const auto s = sort_sample(x);
    REQUIRE(s.missing == 2);
    REQUIRE(s.size() == 5);
    REQUIRE(s.total() == 7);
    REQUIRE(s.values == std::vector<double>{-inf, 1.0, 2.0, 3.0, inf});
}

TEST_CASE("sort_sample converts integers to double and never counts them missing", "[sample]") {
    const std::vector<int> x{5, -1, 3};
    const auto s = sort_sample(x);
    REQUIRE(s.missing == 0);
    REQUIRE(s.values == std::vector<double>{-1.0, 3.0, 5.0});
}

TEST_CASE("sort_sample of an empty span is empty", "[sample]") {
    const std::vector<float> x;
    const auto s = sort_sample(x);
    REQUIRE(s.empty());
    REQUIRE(s.total() == 0);
}

TEST_CASE("Container overloads accept spans of non-const elements", "[sample]") {
    std::vector<double> v{3.0, 1.0, 2.0};
    const std::span<double> s(v);
    CHECK(sort_sample(s).values == std::vector<double>{1.0, 2.0, 3.0});
    CHECK(driftgate::quantile(s, 0.5) == 2.0);
    CHECK(driftgate::psi(s, s).value == 0.0);
    CHECK(driftgate::ks_2samp(s, s).statistic == 0.0);
    driftgate::binning b;
    CHECK(driftgate::count_bins(b, s).n == 3);
}
