#include <catch2/catch.hpp>

#include <cmath>
#include <algorithm>
#include <cstdint>
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
        for (int kind = 0; kind < 7; ++kind) {
            std::vector<double> x(n);
            std::normal_distribution<double> nd(0.0, 1e3);
            for (auto& v : x) {
                switch (kind) {
                case 0: v = nd(gen); break;                                           // continuous
                case 1: v = static_cast<double>(static_cast<int>(gen() % 11) - 2); break; // PAY-like codes
                case 2: v = specials[gen() % 9]; break;                               // specials and ties
                case 3: v = 10000.0 * static_cast<double>(gen() % 256); break;        // 256 values: counted
                case 4: v = 10000.0 * static_cast<double>(gen() % 257) - 1e6; break;  // 257: radix sorted
                case 5: // three clusters of values within 1e5 or 2^27 ulps: many equal in the radix-sorted
                        // top 40 bits, left to the final pass
                    v = std::ldexp(1.0 + std::ldexp(static_cast<double>(gen() % (gen() % 2 ? 100000 : 1 << 27)), -52),
                                   static_cast<int>(gen() % 3) - 1);
                    if (gen() % 2) v = -v;
                    break;
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

TEST_CASE("sort_sample of a vector given up equals sort_sample of its span", "[sample]") {
    // Radix path (n >= 1024) with NaN, -0.0/+0.0 and infinities; and a small std::sort path.
    for (const std::size_t n : {std::size_t{7}, std::size_t{5000}}) {
        std::vector<double> x(n);
        std::uint64_t state = 99;
        for (std::size_t i = 0; i < n; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            const double u = static_cast<double>(state >> 11) * 0x1.0p-53;
            x[i] = i % 11 == 0 ? std::numeric_limits<double>::quiet_NaN()
                 : i % 13 == 0 ? (i % 2 ? -0.0 : 0.0)
                 : i % 97 == 0 ? -std::numeric_limits<double>::infinity()
                               : (u - 0.5) * 1e6;
        }
        const auto from_span = sort_sample(std::span<const double>(x));
        std::vector<double> copy = x;
        const auto from_vector = sort_sample(std::move(copy));
        REQUIRE(from_vector.missing == from_span.missing);
        REQUIRE(from_vector.values.size() == from_span.values.size());
        for (std::size_t i = 0; i < from_span.values.size(); ++i) {
            REQUIRE(from_vector.values[i] == from_span.values[i]);
            REQUIRE(std::signbit(from_vector.values[i]) == std::signbit(from_span.values[i]));
        }
        REQUIRE(from_span.missing == (n + 10) / 11);
    }
}
