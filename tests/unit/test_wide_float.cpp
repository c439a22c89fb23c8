// The portable stand-ins for a wide long double (detail/wide_float.hpp, detail/ks_exact.hpp):
// the scale that keeps squares of huge values finite, the sum with an exponent of its own, the
// scaled-double arithmetic of the exact KS recursions and the double-double product of the KS
// p-value at D = 1. They are exercised here directly, so they are tested in every build; the
// build with DRIFTGATE_PORTABLE_PATHS=ON also runs the whole suite through them.
#include <catch2/catch.hpp>

#include <cfloat>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <type_traits>
#include <vector>

#include "driftgate/classification.hpp"
#include "driftgate/detail/ks_exact.hpp"
#include "driftgate/detail/wide_float.hpp"
#include "driftgate/distance.hpp"
#include "driftgate/proxy.hpp"

namespace dd = driftgate::detail;

TEST_CASE("wide_float is long double only where that is wide and not switched off", "[wide_float]") {
#if defined(DRIFTGATE_LONG_DOUBLE_IS_DOUBLE)
    CHECK_FALSE(dd::long_double_is_wide);
#else
    CHECK(dd::long_double_is_wide == (std::numeric_limits<long double>::digits >= 64 &&
                                      std::numeric_limits<long double>::max_exponent >= 16384));
#endif
    CHECK(std::is_same_v<dd::wide_float, std::conditional_t<dd::long_double_is_wide, long double, double>>);
}

TEST_CASE("range_scale: no scaling for ordinary data, enough for values near DBL_MAX", "[wide_float]") {
    CHECK(dd::range_scale(0.0, 10) == 0);
    CHECK(dd::range_scale(1.0, 10) == 0);
    CHECK(dd::range_scale(1e100, std::uint64_t{1} << 40) == 0);
    CHECK(dd::range_scale(0x1p450, 1000) == 0);
    for (const double v : {1e150, 1e200, 1e300, DBL_MAX})
        for (const std::uint64_t n : {std::uint64_t{1}, std::uint64_t{1000}, ~std::uint64_t{0}}) {
            const int k = dd::range_scale(v, n);
            INFO("v = " << v << ", n = " << n << ", k = " << k);
            const double d = 2.0 * std::ldexp(v, -k); // the largest difference of two scaled values
            CHECK(std::log2(d) * 2.0 + std::log2(static_cast<double>(n)) < 1000.0);
            CHECK(k < 600); // values above 2^-420 keep every bit
        }
}

TEST_CASE("scaled_sum: products beyond DBL_MAX neither overflow nor lose digits", "[wide_float]") {
    SECTION("ordinary terms: the compensated double sum, step for step") {
        dd::scaled_sum s;
        double plain = 0.0, comp = 0.0;
        for (int i = 1; i <= 1000; ++i) {
            const double a = 1.0 / i, b = 3.0 * i + 0.1;
            s.add_product(a, b);
            const double x = a * b, t = plain + x;
            comp += std::fabs(plain) >= std::fabs(x) ? (plain - t) + x : (x - t) + plain;
            plain = t;
        }
        CHECK(s.scale == 0);
        CHECK(s.divided_by(7.0) == (plain + comp) / 7.0);
    }
    SECTION("terms near DBL_MAX times 2^100, divided back") {
        dd::scaled_sum s;
        s.add_product(DBL_MAX, 0x1p100);
        s.add_product(DBL_MAX, 0x1p100);
        CHECK(s.divided_by(0x1p101) == DBL_MAX);
        s.add_product(DBL_MAX, 0x1p100);
        CHECK(s.divided_by(0x1p101) == INFINITY); // 1.5 DBL_MAX
        CHECK(s.divided_by(3.0 * 0x1p100) == DBL_MAX);
    }
    SECTION("a term given as its half: 2 (DBL_MAX / 2 + DBL_MAX / 2) / 4 = DBL_MAX / 2") {
        dd::scaled_sum s;
        s.add_product(2.0, DBL_MAX, 1); // 2 DBL_MAX 2^1
        CHECK(s.divided_by(8.0) == DBL_MAX / 2.0);
    }
    if constexpr (std::numeric_limits<long double>::max_exponent >= 16384) {
        SECTION("random huge and tiny products against long double") {
            std::mt19937_64 gen(7);
            std::uniform_real_distribution<double> u(0.0, 1.0);
            dd::scaled_sum s;
            long double want = 0.0L;
            for (int i = 0; i < 2000; ++i) {
                const double a = std::ldexp(u(gen), static_cast<int>(gen() % 100)); // a 128-bit-count-like factor
                const double b = std::ldexp(u(gen), static_cast<int>(gen() % 2090) - 1070); // finite
                s.add_product(a, b);
                want += static_cast<long double>(a) * static_cast<long double>(b);
            }
            const double n = 0x1p90;
            const long double w = want / n;
            const double got = s.divided_by(n);
            if (w > static_cast<long double>(DBL_MAX))
                CHECK(got == INFINITY);
            else
                CHECK(std::fabs(static_cast<long double>(got) - w) <= 1e-15L * w);
        }
    }
}

namespace {

/// ln p of the exact two-sided KS recursion (m > n) at h, in the given arithmetic.
template <class Arith>
double band_log(std::int64_t m, std::int64_t n, std::int64_t h) {
    const std::int64_t g = std::gcd(m, n);
    std::vector<double> lg(static_cast<std::size_t>(m + n + 1));
    lg[0] = -INFINITY;
    for (std::size_t k = 1; k < lg.size(); ++k) lg[k] = std::log(static_cast<double>(k));
    return Arith::log_of(dd::ks_band_recursion<Arith>(m, n, g, h, lg));
}
template <class Arith>
double halfplane_log(std::int64_t m, std::int64_t n, std::int64_t h) {
    const std::int64_t g = std::gcd(m, n);
    std::vector<double> lg(static_cast<std::size_t>(m + n + 1));
    lg[0] = -INFINITY;
    for (std::size_t k = 1; k < lg.size(); ++k) lg[k] = std::log(static_cast<double>(k));
    return Arith::log_of(dd::ks_halfplane_recursion<Arith>(m, n, g, h, lg));
}

} // namespace

TEST_CASE("scaled_arith: the KS path recursions below a double's range agree with logs (and long double)",
          "[wide_float][ks]") {
    // (m, n, fraction of lcm): p from 1e-30 down to far below 1e-308.
    const struct {
        std::int64_t m, n;
        double d;
    } cases[] = {{300, 200, 0.5}, {300, 200, 0.9}, {1000, 999, 0.6}, {2500, 1200, 0.7}, {400, 7, 0.99}, {5000, 3000, 0.35}};
    for (const auto& c : cases) {
        const std::int64_t g = std::gcd(c.m, c.n), lcm = (c.m / g) * c.n;
        const auto h = static_cast<std::int64_t>(std::nearbyint(c.d * static_cast<double>(lcm)));
        INFO("m = " << c.m << ", n = " << c.n << ", h = " << h << " of " << lcm);
        const double two_logs = band_log<dd::log_arith>(c.m, c.n, h);
        const double two_scaled = band_log<dd::scaled_arith>(c.m, c.n, h);
        INFO("two-sided ln p: logs " << two_logs << ", scaled " << two_scaled);
        CHECK(std::fabs(two_scaled - two_logs) <= 1e-12 * std::fabs(two_logs));
        const double one_logs = halfplane_log<dd::log_arith>(c.m, c.n, h);
        const double one_scaled = halfplane_log<dd::scaled_arith>(c.m, c.n, h);
        INFO("one-sided ln p: logs " << one_logs << ", scaled " << one_scaled);
        CHECK(std::fabs(one_scaled - one_logs) <= 1e-12 * std::fabs(one_logs));
        if constexpr (std::numeric_limits<long double>::max_exponent >= 16384) {
            const double two_wide = band_log<dd::linear_arith<long double>>(c.m, c.n, h);
            CHECK(std::fabs(two_scaled - two_wide) <= 1e-12 * std::fabs(two_wide));
        }
        // Where p is a normal double, the double recursion agrees (its intermediate values may
        // have been subnormal: the scaled ones keep their digits there).
        const double two_double = band_log<dd::linear_arith<double>>(c.m, c.n, h);
        if (two_double > std::log(1e-300)) CHECK(std::fabs(two_scaled - two_double) <= 1e-13 * std::fabs(two_double));
    }
}

TEST_CASE("double_double: the operations behind the KS p-value at D = 1", "[wide_float][ks]") {
    // 1 / 3 to ~2^-104: 3 (1/3) - 1 is below 2^-100.
    const dd::double_double third = dd::dd_div({1.0, 0.0}, {3.0, 0.0});
    const dd::double_double one = dd::dd_mul(third, 3.0);
    CHECK(one.hi == 1.0);
    CHECK(std::fabs(one.lo) <= 0x1p-100);
    // integers up to 2^64 - 1 exactly (checked in long double where it holds 64 bits)
    if constexpr (std::numeric_limits<long double>::digits >= 64) {
        for (const std::uint64_t v : {std::uint64_t{0}, std::uint64_t{2047}, std::uint64_t{1} << 53,
                                      (std::uint64_t{1} << 53) + 1, ~std::uint64_t{0}, std::uint64_t{0x123456789abcdef1u}}) {
            const dd::double_double x = dd::dd_from(v);
            CHECK(static_cast<long double>(x.hi) + static_cast<long double>(x.lo) == static_cast<long double>(v));
            CHECK(std::fabs(x.lo) <= std::fabs(x.hi) * 0x1p-53);
        }
    }
    // 1 / C(40, 20) = 1 / 137846528820, 2^512 / C(1000, 500) against lgamma in long double
    const dd::double_double r = dd::scaled_reciprocal_binomial(20, 20);
    CHECK(std::ldexp(r.hi + r.lo, -512) == 1.0 / 137846528820.0);
    const dd::double_double r2 = dd::scaled_reciprocal_binomial(500, 500);
    const long double want = -(std::lgamma(1001.0L) - 2 * std::lgamma(501.0L));
    CHECK(std::fabs((std::log(r2.hi) - 512 * std::log(2.0)) - static_cast<double>(want)) <= 1e-12);
}

TEST_CASE("the figures that relied on long double's range survive values and weights near its ends",
          "[wide_float]") {
    // Each figure is computed on data scaled by a power of two far beyond a double's comfortable
    // range and compared with the same figure on unscaled data: equal to rounding in every build
    // (long double's range, or the portable paths' scaling).
    const std::vector<double> x{0.13, 0.52, 0.27, 0.91, 0.05, 0.66, 0.38, 0.74, 0.19, 0.83};
    const std::vector<double> y{0.31, 0.08, 0.95, 0.44, 0.61, 0.27, 0.72};
    const std::vector<int> label{0, 1, 0, 1, 0, 1, 0, 1, 1, 1};
    const std::vector<double> unit(x.size(), 1.0);
    auto rel = [](double a, double b) { return std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b)); };
    for (const int e : {1000, 600, -600, -1000}) { // the scaled data stay normal doubles
        INFO("scale 2^" << e);
        auto scaled = [e](const std::vector<double>& v) {
            std::vector<double> out(v);
            for (auto& a : out) a = std::ldexp(a, e);
            return out;
        };
        const auto xs = scaled(x), ys = scaled(y);
        // mean and sample standard deviation (their squares leave a double's range)
        const auto m = driftgate::mean_score(x), ms = driftgate::mean_score(xs);
        CHECK(rel(std::ldexp(ms.mean, -e), m.mean) <= 4e-16);
        CHECK(rel(std::ldexp(ms.std_dev, -e), m.std_dev) <= 4e-15);
        // Wasserstein: the reference's population std; the distance (sums of gaps times counts)
        const auto w = driftgate::wasserstein_distance(x, y), ws = driftgate::wasserstein_distance(xs, ys);
        CHECK(rel(std::ldexp(ws.reference_std, -e), w.reference_std) <= 4e-15);
        CHECK(rel(std::ldexp(ws.distance, -e), w.distance) <= 4e-15);
        CHECK(rel(ws.normalized, w.normalized) <= 8e-15);
        // weighted Brier, log loss and Murphy with every weight 2^e (their sums leave a double's range)
        const auto we = scaled(unit);
        CHECK(rel(driftgate::brier_score(x, label, we), driftgate::brier_score(x, label, unit)) <= 4e-15);
        CHECK(rel(driftgate::log_loss(x, label, we), driftgate::log_loss(x, label, unit)) <= 4e-15);
        const auto mu = driftgate::murphy_decomposition(x, label, unit, 4), mw = driftgate::murphy_decomposition(x, label, we, 4);
        CHECK(rel(mw.brier, mu.brier) <= 4e-15);
        CHECK(rel(mw.reliability, mu.reliability) <= 4e-14);
        CHECK(rel(mw.resolution, mu.resolution) <= 4e-14);
        for (std::size_t k = 0; k < mu.bin_weight.size(); ++k)
            CHECK(rel(std::ldexp(mw.bin_weight[k], -e), mu.bin_weight[k]) <= 4e-15);
    }
    // Weights near DBL_MAX: their sum exceeds DBL_MAX, the Brier score does not.
    const std::vector<double> huge(x.size(), DBL_MAX / 2);
    CHECK(rel(driftgate::brier_score(x, label, huge), driftgate::brier_score(x, label, unit)) <= 4e-15);
    // Values near +-DBL_MAX: differences beyond DBL_MAX, a finite distance and std.
    const std::vector<double> far_a{-DBL_MAX, -DBL_MAX / 2, 0.0, DBL_MAX}, far_b{-DBL_MAX, DBL_MAX / 2, DBL_MAX};
    const auto far = driftgate::wasserstein_distance(far_a, far_b);
    CHECK(std::isfinite(far.distance));
    CHECK(std::isfinite(far.reference_std));
    CHECK(std::isfinite(driftgate::mean_score(far_a).std_dev));
}
