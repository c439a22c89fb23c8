// Tests of the Jensen–Shannon and Wasserstein distances (distance.hpp). References: scipy 1.10.1
// (spatial.distance.jensenshannon, stats.wasserstein_distance), numpy (np.std), exact rational
// sums and mpmath (tests/golden/distance/gen_distance.py), and hand calculations written out below.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <span>
#include <type_traits>
#include <vector>

#include <driftgate/distance.hpp>

#include "golden/distance/distance_golden.hpp"
#include "test_support.hpp"

namespace dg = driftgate;
using namespace test_support;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/// |a - b| <= rel * |b| + abs_tol.
bool near(double a, double b, double rel, double abs_tol = 0.0) { return std::fabs(a - b) <= rel * std::fabs(b) + abs_tol; }

void require_same(const dg::wasserstein_result& a, const dg::wasserstein_result& b) {
    REQUIRE(same_bits(a.distance, b.distance));
    REQUIRE(same_bits(a.reference_std, b.reference_std));
    REQUIRE(same_bits(a.normalized, b.normalized));
    REQUIRE(a.n_reference == b.n_reference);
    REQUIRE(a.n_current == b.n_current);
    REQUIRE(a.missing_reference == b.missing_reference);
    REQUIRE(a.missing_current == b.missing_current);
}

// Same formula as gen_distance.py.
std::vector<double> formula_sample(std::uint64_t n, double mult, double scale, double shift, double grid) {
    std::vector<double> out;
    out.reserve(n);
    for (std::uint64_t i = 1; i <= n; ++i) {
        double v = static_cast<double>(i) * mult;
        v = (v - std::floor(v)) * scale;
        if (grid > 0) v = std::floor(v * grid) / grid;
        out.push_back(v + shift);
    }
    return out;
}

} // namespace

// ---- Jensen–Shannon ---------------------------------------------------------------------------

TEST_CASE("jensen_shannon_distance matches exact shares with mpmath logs and scipy", "[distance][js][golden]") {
    for (const auto& c : distance_golden::js_cases) {
        INFO(c.name);
        // Counts are passed as integers (their exact path), weights as doubles.
        auto js = [&](const std::vector<double>& a, const std::vector<double>& b) {
            if (!c.integer) return dg::jensen_shannon_distance(a, b, c.base);
            const std::vector<std::uint64_t> ia(a.begin(), a.end()), ib(b.begin(), b.end());
            return dg::jensen_shannon_distance(ia, ib, c.base);
        };
        const double d = js(c.p, c.q);
        INFO("JS = " << d << " exact " << c.exact << " scipy " << c.scipy);
        CHECK(near(d, c.exact, 4.5e-16));
        // scipy sums rel_entr terms that cancel where p ~ q: 2.4e-5 relative (1e-17 absolute) on
        // counts of 1e12 differing by 1, 1.1e-12 on shares 1% apart.
        CHECK(near(d, c.scipy, 1e-11, 1e-16));
        CHECK(d == js(c.q, c.p));
    }
}

TEST_CASE("jensen_shannon_distance edge cases", "[distance][js][edge]") {
    using VD = std::vector<double>;
    SECTION("by hand: p = (1, 0), q = (1/2, 1/2)") {
        // m = (3/4, 1/4); KL(p||m) = ln(4/3); KL(q||m) = 1/2 ln(2/3) + 1/2 ln 2 = 1/2 ln(4/3):
        // JS^2 = (3/2 ln(4/3)) / 2 / ln 2.
        const double want = std::sqrt(0.75 * std::log(4.0 / 3.0) / std::numbers::ln2);
        CHECK(near(dg::jensen_shannon_distance(std::vector<int>{1, 0}, std::vector<int>{1, 1}), want, 4.5e-16));
        CHECK(near(dg::jensen_shannon_distance(std::vector<int>{1, 0}, std::vector<int>{1, 1}, std::numbers::e),
                   std::sqrt(0.75 * std::log(4.0 / 3.0)), 4.5e-16));
    }
    SECTION("equal, proportional, one category: exactly 0; disjoint supports: exactly 1 (base 2)") {
        CHECK(dg::jensen_shannon_distance(VD{1, 2, 3}, VD{1, 2, 3}) == 0.0);
        CHECK(dg::jensen_shannon_distance(std::vector<std::uint64_t>{1, 2, 3}, std::vector<std::uint64_t>{3, 6, 9}) == 0.0);
        CHECK(dg::jensen_shannon_distance(VD{4}, VD{9}) == 0.0);
        CHECK(dg::jensen_shannon_distance(VD{0, 4, 0}, VD{0, 9, 0}) == 0.0);
        CHECK(dg::jensen_shannon_distance(VD{3, 0, 5, 0}, VD{0, 2, 0, 9}) == 1.0);
        // base 10: the maximum is sqrt(ln 2 / ln 10)
        CHECK(near(dg::jensen_shannon_distance(VD{1, 0}, VD{0, 1}, 10.0), std::sqrt(std::numbers::ln2 / std::numbers::ln10),
                   4.5e-16));
    }
    SECTION("zero counts, huge counts, float weights, integer types") {
        // A bin empty in both contributes nothing.
        CHECK(dg::jensen_shannon_distance(VD{0, 1, 0, 3}, VD{0, 3, 0, 1}) == dg::jensen_shannon_distance(VD{1, 3}, VD{3, 1}));
        // Counts of 1e12 differing by 1: t = +-1 / (2e12 + 1) in each bin, JS^2 ~ t^2 / (2 ln 2).
        const std::vector<std::uint64_t> a{1000000000000ULL, 1000000000001ULL}, b{1000000000001ULL, 1000000000000ULL};
        const double t = 1.0 / 2000000000001.0;
        CHECK(near(dg::jensen_shannon_distance(a, b), t / std::sqrt(2 * std::numbers::ln2), 1e-11));
        CHECK(dg::jensen_shannon_distance(std::vector<float>{0.5f, 0.5f}, std::vector<float>{1.0f, 1.0f}) == 0.0);
        CHECK(dg::jensen_shannon_distance(std::vector<int>{1, 0}, std::vector<int>{0, 1}) == 1.0);
    }
    SECTION("errors") {
        require_error([] { (void)dg::jensen_shannon_distance(VD{1, 2}, VD{1}); }, dg::errc::length_mismatch, "2 and 1");
        require_error([] { (void)dg::jensen_shannon_distance(VD{}, VD{}); }, dg::errc::empty_sample, "sum to 0");
        require_error([] { (void)dg::jensen_shannon_distance(VD{0, 0}, VD{1, 1}); }, dg::errc::empty_sample, "reference");
        require_error([] { (void)dg::jensen_shannon_distance(VD{1, 1}, VD{0, 0}); }, dg::errc::empty_sample, "current");
        require_error([] { (void)dg::jensen_shannon_distance(VD{1, -1}, VD{1, 1}); }, dg::errc::negative_weight, "count 1");
        require_error([] { (void)dg::jensen_shannon_distance(VD{1, 1}, VD{kNaN, 1}); }, dg::errc::non_finite, "count 0");
        require_error([] { (void)dg::jensen_shannon_distance(VD{1, kInf}, VD{1, 1}); }, dg::errc::non_finite, "count 1");
        for (const double base : {1.0, 0.5, 0.0, -2.0, kInf, kNaN})
            require_error([&] { (void)dg::jensen_shannon_distance(VD{1, 2}, VD{2, 1}, base); }, dg::errc::invalid_parameter,
                          "base");
    }
}

TEMPLATE_TEST_CASE("jensen_shannon_distance of counts of every arithmetic type", "[distance][js][edge]", int, long,
                   std::uint64_t, std::uint8_t, float, double) {
    // p = (1, 0), q = (1, 1) by hand (see above): JS^2 = 3/4 ln(4/3) / ln 2. A count of -0.0 is a 0.
    const std::vector<TestType> p{1, 0}, q{1, 1};
    const double want = std::sqrt(0.75 * std::log(4.0 / 3.0) / std::numbers::ln2);
    CHECK(near(dg::jensen_shannon_distance(p, q), want, 4.5e-16));
    CHECK(near(dg::jensen_shannon_distance(std::span<const TestType>(q), std::span<const TestType>(p)), want, 4.5e-16));
    if constexpr (std::is_floating_point_v<TestType>)
        CHECK(dg::jensen_shannon_distance(std::vector<TestType>{1, -0.0}, q) == dg::jensen_shannon_distance(p, q));
    if constexpr (std::is_signed_v<TestType>)
        require_error([] { (void)dg::jensen_shannon_distance(std::vector<TestType>{1, -1}, std::vector<TestType>{1, 1}); },
                      dg::errc::negative_weight, "negative");
}

TEST_CASE("jensen_shannon_distance properties: symmetric, in [0, 1], 0 for equal shares, a metric (seeded)",
          "[distance][js][invariants]") {
    std::mt19937_64 rng(7031);
    auto draw = [&](std::size_t k) {
        std::vector<std::uint64_t> v(k);
        for (auto& x : v) x = rng() % 3 == 0 ? 0 : rng() % 1000;
        v[rng() % k] += 1;
        return v;
    };
    for (int round = 0; round < 3000; ++round) {
        const std::size_t k = 1 + rng() % 40;
        const auto p = draw(k), q = draw(k), r = draw(k);
        INFO("round " << round << ", k = " << k);
        const double pq = dg::jensen_shannon_distance(p, q), qr = dg::jensen_shannon_distance(q, r),
                     pr = dg::jensen_shannon_distance(p, r);
        REQUIRE(pq >= 0.0);
        REQUIRE(pq <= 1.0);
        REQUIRE(same_bits(pq, dg::jensen_shannon_distance(q, p)));
        REQUIRE(dg::jensen_shannon_distance(p, p) == 0.0);
        // Scaling the counts keeps the shares: the same distance, bit for bit.
        auto scaled = p;
        for (auto& x : scaled) x *= 7;
        REQUIRE(same_bits(dg::jensen_shannon_distance(scaled, q), pq));
        // The Jensen–Shannon distance is a metric (Endres & Schindelin 2003): the triangle inequality.
        REQUIRE(pr <= pq + qr + 1e-15);
        // Base e: JS_e = JS_2 sqrt(ln 2).
        REQUIRE(near(dg::jensen_shannon_distance(p, q, std::numbers::e), pq * std::sqrt(std::numbers::ln2), 1e-15, 1e-300));
    }
}

// ---- Wasserstein ------------------------------------------------------------------------------

TEST_CASE("wasserstein_distance matches the exact rational W1, scipy, and numpy's std", "[distance][wasserstein][golden]") {
    for (const auto& c : distance_golden::ws_cases) {
        INFO(c.name);
        const auto u = formula_sample(c.n1, c.mult1, c.scale1, c.shift1, c.grid);
        const auto v = formula_sample(c.n2, c.mult2, c.scale2, c.shift2, c.grid);
        const auto su = dg::sort_sample(u), sv = dg::sort_sample(v);
        const auto r = dg::wasserstein_distance(su, sv);
        INFO("W1 = " << r.distance << " exact " << c.exact << " scipy " << c.scipy << "; std " << r.reference_std
                     << " exact " << c.exact_std << " numpy " << c.numpy_std);
        CHECK(near(r.distance, c.exact, 4.5e-16));
        // scipy: ECDF differences i/n1 - j/n2 in double and a float64 sum (9.5e-15 relative on codes).
        CHECK(near(r.distance, c.scipy, 1e-13));
        CHECK(near(r.reference_std, c.exact_std, 4.5e-16));
        // numpy squares in double: inf at scale 1e300, 0 at scale 1e-300 (compared where it is finite and > 0).
        if (std::isfinite(c.numpy_std) && c.numpy_std > 0.0) CHECK(near(r.reference_std, c.numpy_std, 1e-14));
        if (c.exact_std > 0.0)
            CHECK(r.normalized == r.distance / r.reference_std);
        else
            CHECK(r.normalized == (r.distance == 0.0 ? 0.0 : kInf));
        CHECK(r.n_reference == c.n1);
        CHECK(r.n_current == c.n2);
        require_same(r, dg::wasserstein_distance(u, v));
        const auto s = dg::wasserstein_distance(sv, su);
        CHECK(same_bits(s.distance, r.distance));
        // Counted forms (samples of at most 256 distinct values): the same result, bit for bit.
        const auto cu = dg::count_sample(u), cv = dg::count_sample(v);
        if (cu) require_same(r, dg::wasserstein_distance(*cu, sv));
        if (cv) require_same(r, dg::wasserstein_distance(su, *cv));
        if (cu && cv) require_same(r, dg::wasserstein_distance(*cu, *cv));
    }
}

TEST_CASE("wasserstein_distance edge cases", "[distance][wasserstein][edge]") {
    using VD = std::vector<double>;
    auto w = [](const VD& x, const VD& y) { return dg::wasserstein_distance(x, y); };
    SECTION("by hand: x = {0, 1}, y = {0, 0, 3}") {
        // Pooled 0, 1, 3: on [0, 1) F1 = 1/2, F2 = 2/3: 1/6; on [1, 3) F1 = 1, F2 = 2/3: 2 * 1/3 = 2/3.
        // W1 = 5/6; std of x = 1/2.
        const auto r = w({0, 1}, {0, 0, 3});
        CHECK(near(r.distance, 5.0 / 6.0, 2.3e-16));
        CHECK(r.reference_std == 0.5);
        CHECK(r.normalized == r.distance / 0.5);
    }
    SECTION("translation by c: W1 = |c|; the same sample: 0") {
        const VD x{0, 1, 2, 3, 3, 7};
        VD y = x;
        for (auto& v : y) v += 0.5;
        CHECK(w(x, y).distance == 0.5);
        CHECK(w(y, x).distance == 0.5);
        const auto same = w(x, x);
        CHECK(same.distance == 0.0);
        CHECK(same.normalized == 0.0);
    }
    SECTION("one value, constant reference: std 0, normalized 0 when equal and +inf otherwise") {
        const auto eq = w({2.0}, {2.0});
        CHECK(eq.distance == 0.0);
        CHECK(eq.reference_std == 0.0);
        CHECK(eq.normalized == 0.0);
        const auto ne = w({2.0, 2.0, 2.0}, {3.0}); // W1 = 1 (all the mass moves by 1)
        CHECK(ne.distance == 1.0);
        CHECK(ne.reference_std == 0.0);
        CHECK(ne.normalized == kInf);
    }
    SECTION("-0.0 and +0.0 are one value") {
        const auto r = w({-0.0, -0.0}, {0.0});
        CHECK(r.distance == 0.0);
        CHECK(r.reference_std == 0.0);
        const auto cx = dg::count_sample(VD{-0.0, 0.0, 1.0}), cy = dg::count_sample(VD{0.0, 0.0, 1.0});
        CHECK(cx->values.size() == 3); // two entries for the zeros
        CHECK(dg::wasserstein_distance(*cx, *cy).distance == 0.0);
        require_same(dg::wasserstein_distance(*cx, *cy), w({-0.0, 0.0, 1.0}, {0.0, 0.0, 1.0}));
    }
    SECTION("+-inf: an infinite gap counts 0 where the ECDFs agree and +inf where they differ; never NaN") {
        // Equal shares of -inf (1/2 each), then on [0, 1) F1 = 1, F2 = 1/2: W1 = 1/2 (scipy: NaN).
        const auto a = w({-kInf, 0.0}, {-kInf, 1.0});
        CHECK(a.distance == 0.5);
        CHECK(a.reference_std == kInf);
        CHECK(std::isnan(a.normalized));  // a finite distance over an infinite deviation: undefined
        // Equal shares of +inf: on [0, 1) F1 = 1/2, F2 = 0: W1 = 1/2.
        CHECK(w({0.0, kInf}, {1.0, kInf}).distance == 0.5);
        // Different shares of +inf: F1 = 2/3, F2 = 1 on [2, inf): +inf.
        const auto b = w({0.0, 1.0, kInf}, {0.0, 1.0, 2.0});
        CHECK(b.distance == kInf);
        CHECK(b.normalized == kInf); // inf / inf := inf
        const auto c = w({0.0, 1.0, 2.0}, {0.0, 1.0, kInf});
        CHECK(c.distance == kInf);
        CHECK(c.reference_std == std::sqrt(2.0 / 3.0));
        CHECK(c.normalized == kInf);
        CHECK(w({kInf}, {kInf}).distance == 0.0);
        CHECK(w({kInf}, {kInf}).normalized == 0.0);
        CHECK(w({-kInf}, {kInf}).distance == kInf);
        CHECK(w({-kInf, kInf}, {-kInf, kInf}).distance == 0.0);
    }
    SECTION("gaps beyond DBL_MAX: exact in long double; a distance beyond DBL_MAX is +inf") {
        // F1 = 1, F2 = 1/2 on [-1.5e308, 1.5e308): 3e308 / 2 = 1.5e308 (scipy: inf, its gap overflows).
        const auto r = w({-1.5e308, -1.5e308}, {-1.5e308, 1.5e308});
        CHECK(r.distance == 1.5e308);
        CHECK(r.normalized == kInf);
        CHECK(w({-1.7e308}, {1.7e308}).distance == kInf);
        // std of {-1e308, 1e308} is 1e308 (its square, 1e616, is fine in long double).
        CHECK(near(w({-1e308, 1e308}, {0.0}).reference_std, 1e308, 2.3e-16));
    }
    SECTION("counts of 1e12: W1 = 1 / (2e12), std = 1/2") {
        dg::counted_sample a, b;
        a.values = b.values = {0.0, 1.0};
        a.counts = {1000000000000ULL, 1000000000000ULL};
        b.counts = {1000000000001ULL, 999999999999ULL};
        a.n = b.n = 2000000000000ULL;
        // |F1 - F2| = |1/2 - (1e12 + 1) / 2e12| = 1 / 2e12 on [0, 1).
        const auto r = dg::wasserstein_distance(a, b);
        CHECK(near(r.distance, 1.0 / 2e12, 2.3e-16));
        CHECK(r.reference_std == 0.5);
        CHECK(near(r.normalized, 1.0 / 1e12, 2.3e-16));
    }
    SECTION("missing values are left out and counted; empty samples are errors") {
        const auto r = w({1.0, kNaN, 2.0}, {kNaN, 3.0, kNaN});
        CHECK(r.missing_reference == 1);
        CHECK(r.missing_current == 2);
        CHECK(r.n_reference == 2);
        CHECK(r.n_current == 1);
        CHECK(r.distance == 1.5); // |1 - 3| / 2 + |2 - 3| / 2
        require_error([&] { (void)w({kNaN}, {1.0}); }, dg::errc::empty_sample, "reference sample");
        require_error([&] { (void)w({1.0}, {}); }, dg::errc::empty_sample, "current sample");
    }
}

TEMPLATE_TEST_CASE("wasserstein_distance of raw samples of every arithmetic type", "[distance][wasserstein][edge]", int,
                   long, std::uint64_t, std::int8_t, float, double) {
    // x = {0, 1}, y = {0, 0, 3}: W1 = 5/6 (by hand above), std of x = 1/2; integers are values, never missing.
    const std::vector<TestType> x{1, 0}, y{0, 3, 0};
    const auto r = dg::wasserstein_distance(x, y);
    CHECK(near(r.distance, 5.0 / 6.0, 2.3e-16));
    CHECK(r.reference_std == 0.5);
    CHECK(r.missing_reference == 0);
    require_same(r, dg::wasserstein_distance(std::span<const TestType>(x), std::span<const TestType>(y)));
    require_same(r, dg::wasserstein_distance(*dg::count_sample(x), *dg::count_sample(y)));
}

TEST_CASE("wasserstein_distance properties: symmetric, >= |mean difference|, scaling, sorted = counted (seeded)",
          "[distance][wasserstein][invariants]") {
    std::mt19937_64 rng(5150);
    const std::vector<double> specials{-0.0, 0.0, kInf, -kInf, kNaN, 1e300, -1e-300};
    for (int round = 0; round < 2000; ++round) {
        const std::size_t n1 = 1 + rng() % 200, n2 = 1 + rng() % 200, k = 1 + rng() % 40;
        const bool with_specials = round % 4 == 0;
        auto draw = [&](std::size_t n) {
            std::vector<double> v(n);
            for (auto& x : v)
                x = with_specials && rng() % 8 == 0 ? specials[rng() % specials.size()]
                                                    : static_cast<double>(static_cast<int>(rng() % k) - 7) * 0.25;
            return v;
        };
        const auto x = draw(n1), y = draw(n2);
        const auto sx = dg::sort_sample(x), sy = dg::sort_sample(y);
        if (sx.empty() || sy.empty()) continue;
        INFO("round " << round);
        const auto r = dg::wasserstein_distance(sx, sy);
        REQUIRE(!std::isnan(r.distance));
        REQUIRE(r.distance >= 0.0);
        // NaN exactly where a finite distance meets an infinite deviation (no scale), else >= 0.
        const bool undefined = std::isinf(r.reference_std) && r.distance > 0.0 && std::isfinite(r.distance);
        REQUIRE(std::isnan(r.normalized) == undefined);
        if (!undefined) REQUIRE(r.normalized >= 0.0);
        REQUIRE(same_bits(dg::wasserstein_distance(sy, sx).distance, r.distance));
        REQUIRE(dg::wasserstein_distance(sx, sx).distance == 0.0);
        require_same(r, dg::wasserstein_distance(*dg::count_sample(x), sy));
        require_same(r, dg::wasserstein_distance(sx, *dg::count_sample(y)));
        require_same(r, dg::wasserstein_distance(*dg::count_sample(x), *dg::count_sample(y)));
        if (with_specials) continue;
        // W1 >= |mean(x) - mean(y)| (|E X - E Y| = |integral (F_Y - F_X)| <= integral |F_X - F_Y|).
        double mx = 0, my = 0;
        for (const double v : sx.values) mx += v;
        for (const double v : sy.values) my += v;
        mx /= static_cast<double>(sx.size());
        my /= static_cast<double>(sy.size());
        REQUIRE(r.distance >= std::fabs(mx - my) - 1e-12);
        // Scaling by a power of two scales W1 and the std exactly; translating both changes nothing.
        auto transform = [](std::vector<double> v, double a, double b) {
            for (auto& e : v) e = a * e + b;
            return v;
        };
        const auto scaled = dg::wasserstein_distance(transform(x, 8.0, 0.0), transform(y, 8.0, 0.0));
        REQUIRE(scaled.distance == 8.0 * r.distance);
        REQUIRE(scaled.reference_std == 8.0 * r.reference_std);
        const auto moved = dg::wasserstein_distance(transform(x, 1.0, 64.0), transform(y, 1.0, 64.0));
        REQUIRE(moved.distance == r.distance);
    }
}

TEST_CASE("wasserstein: the branch-free merge of two sorted samples sums what the general merge sums, bit for bit (seeded)",
          "[distance][wasserstein][invariants]") {
    // detail::wasserstein_sorted replaces detail::wasserstein_merge_as<std::uint64_t> for two sorted
    // samples where long double is wide: the same terms in the same order. Samples with ties and
    // without, +-0, +-inf, subnormal and huge values, one side much larger, interleaved and apart.
    std::mt19937_64 rng(20261205);
    const std::vector<double> specials{-0.0, 0.0, kInf, -kInf, 1e300, -1e-300, 5e-324};
    for (int round = 0; round < 4000; ++round) {
        const std::size_t n1 = 1 + rng() % (round % 10 == 0 ? 20000 : 300), n2 = 1 + rng() % 300;
        const int k = 1 + static_cast<int>(rng() % 2000);
        const bool with_specials = round % 3 == 0, offset = round % 7 == 0;
        auto draw = [&](std::size_t n, double shift) {
            std::vector<double> v(n);
            for (auto& x : v)
                x = with_specials && rng() % 6 == 0 ? specials[rng() % specials.size()]
                                                    : static_cast<double>(static_cast<int>(rng() % static_cast<unsigned>(k)) - k / 3) * 0.37 +
                                                          std::ldexp(static_cast<double>(rng() % 1000), -40) + shift;
            return v;
        };
        const auto a = dg::sort_sample(draw(n1, 0.0)), b = dg::sort_sample(draw(n2, offset ? 1000.0 : 0.0));
        INFO("round " << round);
        const double general = dg::detail::wasserstein_merge_as<std::uint64_t>(a, b);
        if constexpr (dg::detail::long_double_is_wide) {
            REQUIRE(same_bits(dg::detail::wasserstein_sorted(a.values, b.values), general));
            REQUIRE(same_bits(dg::detail::wasserstein_sorted(b.values, a.values), dg::detail::wasserstein_merge_as<std::uint64_t>(b, a)));
        }
        REQUIRE(same_bits(dg::detail::wasserstein_merge(a, b), general));
    }
}
