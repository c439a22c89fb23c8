// Tests of the multiple-testing corrections (multiple_testing.hpp). References: statsmodels 0.13.5
// multipletests (bit for bit), the definitions in mpmath for ln p far below a double
// (tests/golden/multiple_testing/gen_multiple_testing.py), and a hand calculation written out below.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include <driftgate/multiple_testing.hpp>

#include "golden/multiple_testing/multiple_testing_golden.hpp"
#include "test_support.hpp"

namespace dg = driftgate;
using dg::correction;
using namespace test_support;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool near(double a, double b, double rel, double abs_tol = 0.0) {
    if (a == b) return true; // -inf == -inf
    return std::fabs(a - b) <= rel * std::fabs(b) + abs_tol;
}

constexpr correction adjusting[] = {correction::bonferroni, correction::holm, correction::bh};

} // namespace

TEST_CASE("adjust_pvalues equals statsmodels multipletests bit for bit", "[multiple_testing][golden]") {
    for (const auto& c : multiple_testing_golden::p_cases) {
        INFO(c.name);
        const std::vector<double>* want[] = {&c.bonferroni, &c.holm, &c.bh};
        for (std::size_t k = 0; k < 3; ++k) {
            INFO(dg::to_string(adjusting[k]));
            const auto got = dg::adjust_pvalues(c.p, adjusting[k]);
            REQUIRE(got.size() == want[k]->size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                INFO("i = " << i << ": " << got[i] << " statsmodels " << (*want[k])[i]);
                CHECK(same_bits(got[i], (*want[k])[i]));
            }
        }
        CHECK(dg::adjust_pvalues(c.p, correction::none) == c.p);
    }
}

TEST_CASE("adjust_log_pvalues matches the definitions in mpmath far below a double", "[multiple_testing][golden]") {
    for (const auto& c : multiple_testing_golden::log_cases) {
        INFO(c.name);
        const std::vector<double>* want[] = {&c.bonferroni, &c.holm, &c.bh};
        for (std::size_t k = 0; k < 3; ++k) {
            INFO(dg::to_string(adjusting[k]));
            const auto got = dg::adjust_log_pvalues(c.log_p, adjusting[k]);
            REQUIRE(got.size() == want[k]->size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                INFO("i = " << i << ": " << got[i] << " mpmath " << (*want[k])[i]);
                CHECK(near(got[i], (*want[k])[i], 1e-15, 1e-16));
            }
        }
    }
}

TEST_CASE("adjust_log_pvalues agrees with adjust_pvalues where p is a normal double", "[multiple_testing]") {
    for (const auto& c : multiple_testing_golden::p_cases) {
        INFO(c.name);
        std::vector<double> lp;
        for (const double p : c.p) lp.push_back(std::log(p));
        for (const auto m : adjusting) {
            INFO(dg::to_string(m));
            const auto a = dg::adjust_pvalues(c.p, m);
            const auto l = dg::adjust_log_pvalues(lp, m);
            for (std::size_t i = 0; i < a.size(); ++i)
                if (a[i] >= 1e-300) CHECK(near(std::exp(l[i]), a[i], 1e-13));
                else CHECK(l[i] < std::log(1e-300));
        }
    }
}

TEST_CASE("adjust_pvalues by hand and edge cases", "[multiple_testing][edge]") {
    SECTION("m = 4 by hand") {
        // p = {0.01, 0.04, 0.03, 0.005}; ranks ascending 0.005, 0.01, 0.03, 0.04.
        // Bonferroni 4p: {0.04, 0.16, 0.12, 0.02}.
        // Holm: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04; running max 0.02, 0.03,
        // 0.06, 0.06 -> input order {0.03, 0.06, 0.06, 0.02}.
        // BH: 0.005*4/1 = 0.02, 0.01*4/2 = 0.02, 0.03*4/3 = 0.04, 0.04*4/4 = 0.04; running min from
        // the top 0.04, 0.04, 0.02, 0.02 -> input order {0.02, 0.04, 0.04, 0.02}.
        const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
        const std::vector<std::vector<double>> want{{0.04, 0.16, 0.12, 0.02}, {0.03, 0.06, 0.06, 0.02}, {0.02, 0.04, 0.04, 0.02}};
        for (std::size_t k = 0; k < 3; ++k) {
            const auto got = dg::adjust_pvalues(p, adjusting[k]);
            for (std::size_t i = 0; i < 4; ++i) CHECK(near(got[i], want[k][i], 4.5e-16));
        }
    }
    SECTION("empty, one test, 0 and 1") {
        for (const auto m : {correction::none, correction::bonferroni, correction::holm, correction::bh}) {
            CHECK(dg::adjust_pvalues(std::vector<double>{}, m).empty());
            CHECK(dg::adjust_log_pvalues(std::vector<double>{}, m).empty());
            CHECK(dg::adjust_pvalues(std::vector<double>{0.3}, m) == std::vector<double>{0.3});
            CHECK(dg::adjust_pvalues(std::vector<double>{0.0, 1.0}, m) == std::vector<double>{0.0, 1.0});
            CHECK(dg::adjust_log_pvalues(std::vector<double>{-kInf, 0.0}, m) == std::vector<double>{-kInf, 0.0});
        }
        // -0.0 is a p-value of 0.
        CHECK(dg::adjust_pvalues(std::vector<double>{-0.0, 0.5}, correction::bh)[0] == 0.0);
        // ln p: Bonferroni of {-1000, -1000, -0.1}: -1000 + ln 3 each; 0 is the cap.
        const auto b = dg::adjust_log_pvalues(std::vector<double>{-1000.0, -1000.0, -0.1}, correction::bonferroni);
        CHECK(b[0] == -1000.0 + std::log(3.0));
        CHECK(b[2] == 0.0);
    }
    SECTION("errors") {
        require_error([] { (void)dg::adjust_pvalues(std::vector<double>{0.1, kNaN}, correction::bh); },
                      dg::errc::non_finite, "p-value 1 is NaN");
        for (const double bad : {-0.1, 1.5, kInf, -kInf})
            require_error([&] { (void)dg::adjust_pvalues(std::vector<double>{bad}, correction::holm); },
                          dg::errc::invalid_parameter, "outside [0, 1]");
        require_error([] { (void)dg::adjust_pvalues(std::vector<double>{kNaN}, correction::none); }, dg::errc::non_finite,
                      "NaN");
        require_error([] { (void)dg::adjust_log_pvalues(std::vector<double>{-1.0, kNaN}, correction::bh); },
                      dg::errc::non_finite, "ln p 1 is NaN");
        require_error([] { (void)dg::adjust_log_pvalues(std::vector<double>{0.5}, correction::holm); },
                      dg::errc::invalid_parameter, "above 0");
        require_error([] { (void)dg::adjust_log_pvalues(std::vector<double>{kInf}, correction::none); },
                      dg::errc::invalid_parameter, "above 0");
    }
    SECTION("names") {
        for (const auto m : {correction::none, correction::bonferroni, correction::holm, correction::bh})
            CHECK(dg::correction_from_string(dg::to_string(m)) == m);
        CHECK(std::string(dg::to_string(correction::bh)) == "bh");
        CHECK(!dg::correction_from_string("fdr_bh").has_value());
        CHECK(!dg::correction_from_string("Holm").has_value());
        CHECK(!dg::correction_from_string("").has_value());
    }
}

TEST_CASE("adjusted p-values: >= raw, <= 1, monotone in raw p, BH <= Holm <= Bonferroni, equivariant (seeded)",
          "[multiple_testing][invariants]") {
    std::mt19937_64 rng(1729);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int round = 0; round < 1000; ++round) {
        const std::size_t m = 1 + rng() % 60;
        std::vector<double> p(m);
        for (auto& v : p) {
            const auto kind = rng() % 5;
            v = kind == 0 ? std::pow(u(rng), 8.0) : kind == 1 ? std::floor(u(rng) * 10) / 10 : u(rng);
        }
        std::vector<double> lp(m);
        for (std::size_t i = 0; i < m; ++i) lp[i] = std::log(p[i]) * (rng() % 4 == 0 ? 1000.0 : 1.0);
        INFO("round " << round << ", m = " << m);
        std::vector<std::vector<double>> adj;
        for (const auto method : adjusting) {
            const auto a = dg::adjust_pvalues(p, method);
            const auto l = dg::adjust_log_pvalues(lp, method);
            for (std::size_t i = 0; i < m; ++i) {
                REQUIRE(a[i] >= p[i]);
                REQUIRE(a[i] <= 1.0);
                REQUIRE(l[i] >= lp[i]);
                REQUIRE(l[i] <= 0.0);
                for (std::size_t j = 0; j < m; ++j) {
                    if (p[i] <= p[j]) REQUIRE(a[i] <= a[j]);
                    if (lp[i] <= lp[j]) REQUIRE(l[i] <= l[j]);
                }
            }
            // Permuting the input permutes the output, bit for bit.
            std::vector<std::size_t> perm(m);
            std::iota(perm.begin(), perm.end(), std::size_t{0});
            std::shuffle(perm.begin(), perm.end(), rng);
            std::vector<double> pp(m);
            for (std::size_t i = 0; i < m; ++i) pp[i] = p[perm[i]];
            const auto ap = dg::adjust_pvalues(pp, method);
            for (std::size_t i = 0; i < m; ++i) REQUIRE(same_bits(ap[i], a[perm[i]]));
            adj.push_back(a);
        }
        for (std::size_t i = 0; i < m; ++i) {
            REQUIRE(adj[1][i] <= adj[0][i]);                 // Holm <= Bonferroni
            REQUIRE(adj[2][i] <= adj[1][i] * (1 + 4e-16));    // BH <= Holm (p / (1/m) vs p m: an ulp apart)
        }
    }
}
