#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <limits>
#include <random>
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

TEST_CASE("sort_sample orders large samples exactly as std::sort (radix and counting paths)", "[sample]") {
    std::mt19937_64 gen(2026);
    const double specials[] = {0.0, -0.0, 1e-310, -1e-310, 1e300, -1e300,
                               std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                               std::numeric_limits<double>::quiet_NaN()};
    for (const std::size_t n : {1023u, 1024u, 5000u, 100000u}) {
        for (int kind = 0; kind < 4; ++kind) {
            std::vector<double> x(n);
            std::normal_distribution<double> nd(0.0, 1e3);
            for (auto& v : x) {
                switch (kind) {
                case 0: v = nd(gen); break;                                           // continuous
                case 1: v = static_cast<double>(static_cast<int>(gen() % 11) - 2); break; // PAY-like codes
                case 2: v = specials[gen() % 9]; break;                               // specials and ties
                default: v = gen() % 3 == 0 ? specials[gen() % 9] : std::ldexp(nd(gen), static_cast<int>(gen() % 200) - 100);
                }
            }
            INFO("n = " << n << ", kind " << kind);
            const auto s = sort_sample(x);
            std::vector<double> expected;
            std::size_t nan_count = 0;
            for (double v : x) (v != v) ? ++nan_count : (expected.push_back(v), 0);
            std::sort(expected.begin(), expected.end());
            REQUIRE(s.missing == nan_count);
            REQUIRE(s.values.size() == expected.size());
            // Same values in the same order (-0.0 and +0.0 compare equal, as std::sort sees them).
            CHECK(std::equal(s.values.begin(), s.values.end(), expected.begin()));
            CHECK(std::is_sorted(s.values.begin(), s.values.end()));
        }
    }
}
