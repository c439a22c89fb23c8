// Tests of include/driftgate/proxy.hpp against numpy 1.24 / scipy 1.10.1 and Wilson intervals in
// 50-digit mpmath (tests/golden/proxy/gen_proxy.py), hand calculations and edge cases.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "driftgate/proxy.hpp"
#include "test_support.hpp"
#include "golden/proxy/proxy_golden.hpp"

namespace dg = driftgate;
using namespace test_support;
namespace gp = golden_proxy;

namespace {

// Wilson bounds: the 50-digit reference of a zero lower bound is ~1e-54 (z enters as a double);
// the library pins it to 0 exactly.
void require_wilson(double lo, double hi, double ref_lo, double ref_hi, std::size_t count) {
    if (count == 0) {
        REQUIRE(lo == 0.0);
        REQUIRE(ref_lo < 1e-50);
    } else {
        REQUIRE(close_rel(lo, ref_lo, 1e-12));
    }
    REQUIRE(close_rel(hi, ref_hi, 1e-12));
}

} // namespace

TEST_CASE("share_above / share_below: match numpy counts and Wilson intervals", "[proxy][share][golden]") {
    for (const auto& c : gp::share_cases) {
        INFO((c.above ? "above " : "below ") << c.threshold << " at " << c.level);
        const auto r = c.above ? dg::share_above(gp::pd, c.threshold, c.level) : dg::share_below(gp::pd, c.threshold, c.level);
        REQUIRE(r.count == c.count);
        REQUIRE(r.n == c.n);
        REQUIRE(r.missing == gp::pd_missing);
        REQUIRE(r.share == c.share);
        REQUIRE(r.level == c.level);
        require_wilson(r.ci_lower, r.ci_upper, c.lo, c.hi, c.count);
    }
}

TEST_CASE("share_above / share_below: strict comparisons and the band-check reading", "[proxy][share]") {
    // docs/policy.md, Proxies: high-risk share = share of PD > 0.50; approval rate = share of
    // PD < 0.20. Values equal to the threshold count in neither.
    const std::vector<double> pd{0.5, 0.2, 0.51, 0.19, 0.9, 0.1, kNaN, 0.3};
    const auto hi = dg::share_above(pd, 0.5);
    REQUIRE(hi.count == 2);
    REQUIRE(hi.n == 7);
    REQUIRE(hi.missing == 1);
    REQUIRE(hi.share == 2.0 / 7.0);
    const auto ap = dg::share_below(pd, 0.2);
    REQUIRE(ap.count == 2);
    // A band check [0.15, 0.30]: share 2/7 = 0.286 is inside, but its interval crosses 0.30.
    REQUIRE(hi.share < 0.30);
    REQUIRE(hi.ci_upper > 0.30);
    REQUIRE(hi.ci_lower < 0.15);
    // +inf counts as above any threshold, -inf as below.
    const std::vector<double> inf_x{kInf, -kInf, 0.5};
    REQUIRE(dg::share_above(inf_x, 0.5).count == 1);
    REQUIRE(dg::share_below(inf_x, 0.5).count == 1);
    // Integer input.
    const std::vector<int> xi{1, 5, 7, 9};
    REQUIRE(dg::share_above(xi, 5).count == 2);
    REQUIRE(dg::share_below(std::span<const int>(xi), 5.5).count == 2);
}

TEST_CASE("mean_score: t interval matches a 40-digit reference and scipy.stats.t.interval", "[proxy][mean][golden]") {
    for (const auto& c : gp::mean_cases) {
        INFO("rows " << c.first << " + " << c.count << " at " << c.level);
        const std::span<const double> seg(gp::pd.data() + c.first, c.count);
        const auto r = dg::mean_score(seg, c.level);
        std::size_t missing = 0;
        for (const double v : seg) missing += std::isnan(v) ? 1 : 0;
        REQUIRE(r.missing == missing);
        REQUIRE(r.n == c.count - missing);
        REQUIRE(close_rel(r.mean, c.mean, 1e-15));
        REQUIRE(close_rel(r.std_dev, c.sd, 1e-14));
        // Bounds against the 40-digit t quantile: error relative to the scale of the terms
        // (mean - half cancels when the bound is near 0).
        const double scale = std::fabs(c.mean) + (c.hi - c.lo);
        REQUIRE(std::fabs(r.ci_lower - c.lo) <= 1e-14 * scale);
        REQUIRE(std::fabs(r.ci_upper - c.hi) <= 1e-14 * scale);
        // scipy 1.10's t.interval: its t quantile (cdflib stdtrit) is good to ~1e-10 only.
        REQUIRE(std::fabs(r.ci_lower - c.scipy_lo) <= 1e-9 * scale);
        REQUIRE(std::fabs(r.ci_upper - c.scipy_hi) <= 1e-9 * scale);
        REQUIRE(r.level == c.level);
    }
}

TEST_CASE("mean_score: hand calculation and edge cases", "[proxy][mean][edge]") {
    SECTION("two values: t_{1, 0.975} = 12.706204736174704 (40-digit mpmath)") {
        // mean 2, s = sqrt(2), half width = 12.7062047... * sqrt(2) / sqrt(2).
        const auto r = dg::mean_score(std::vector<double>{1.0, 3.0});
        REQUIRE(r.mean == 2.0);
        REQUIRE(r.std_dev == Approx(std::sqrt(2.0)).epsilon(1e-15));
        REQUIRE(r.ci_upper - r.mean == Approx(12.706204736174704).epsilon(1e-14));
    }
    SECTION("one value: interval is the whole line") {
        const auto r = dg::mean_score(std::vector<double>{kNaN, 0.25});
        REQUIRE(r.mean == 0.25);
        REQUIRE(r.n == 1);
        REQUIRE(r.missing == 1);
        REQUIRE(r.std_dev == 0.0);
        REQUIRE(r.ci_lower == -kInf);
        REQUIRE(r.ci_upper == kInf);
    }
    SECTION("all tied: zero-width interval") {
        const auto r = dg::mean_score(std::vector<double>(50, 0.2));
        REQUIRE(r.mean == 0.2);
        REQUIRE(r.std_dev == 0.0);
        REQUIRE(r.ci_lower == 0.2);
        REQUIRE(r.ci_upper == 0.2);
    }
    SECTION("large offset: no cancellation in the variance") {
        // 1e9 + {0, 1, 2, 3}: s^2 = 5/3 exactly, a one-pass sum of squares would lose it.
        const auto r = dg::mean_score(std::vector<double>{1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3});
        REQUIRE(r.mean == 1e9 + 1.5);
        REQUIRE(r.std_dev == Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-15));
    }
    SECTION("integers") {
        const auto r = dg::mean_score(std::vector<int>{1, 2, 3, 4});
        REQUIRE(r.mean == 2.5);
    }
    SECTION("errors") {
        require_error([] { (void)dg::mean_score(std::vector<double>{}); }, dg::errc::empty_sample, "no value");
        require_error([] { (void)dg::mean_score(std::vector<double>{kNaN, kNaN}); }, dg::errc::empty_sample,
                      "all 2 values are missing");
        require_error([] { (void)dg::mean_score(std::vector<double>{0.1, kInf}); }, dg::errc::non_finite,
                      "value at index 1 is infinite");
        require_error([] { (void)dg::mean_score(std::vector<double>{0.1, 0.2}, 0.0); }, dg::errc::invalid_parameter,
                      "level");
    }
}

TEST_CASE("latency_quantiles: numpy.quantile bit for bit, NaN excluded", "[proxy][latency][golden]") {
    const auto r = dg::latency_quantiles(gp::latency);
    REQUIRE(r.p50 == gp::p50);
    REQUIRE(r.p95 == gp::p95);
    REQUIRE(r.p99 == gp::p99);
    REQUIRE(r.missing == gp::latency_missing);
    REQUIRE(r.n == gp::latency.size() - gp::latency_missing);
    // The prepared-sample overload gives the same.
    const auto s = dg::sort_sample(gp::latency);
    REQUIRE(dg::latency_quantiles(s).p99 == gp::p99);
}

TEST_CASE("latency_quantiles: hand calculation and edge cases", "[proxy][latency][edge]") {
    // 1..101 ms: h = 100 q -> P50 = 51, P95 = 96, P99 = 100.
    std::vector<int> ms(101);
    for (int i = 0; i < 101; ++i) ms[static_cast<std::size_t>(i)] = i + 1;
    const auto r = dg::latency_quantiles(ms);
    REQUIRE(r.p50 == 51.0);
    REQUIRE(r.p95 == 96.0);
    REQUIRE(r.p99 == 100.0);
    const auto one = dg::latency_quantiles(std::vector<double>{12.5});
    REQUIRE(one.p50 == 12.5);
    REQUIRE(one.p99 == 12.5);
    require_error([] { (void)dg::latency_quantiles(std::vector<double>{}); }, dg::errc::empty_sample, "no value");
    require_error([] { (void)dg::latency_quantiles(std::vector<double>{kNaN}); }, dg::errc::empty_sample,
                  "all values are missing");
}

TEST_CASE("event_rate: counts and flags with Wilson intervals", "[proxy][rate][golden]") {
    for (const auto& c : gp::rate_cases) {
        INFO(c.events << " / " << c.total);
        const auto r = dg::event_rate(c.events, c.total, c.level);
        REQUIRE(r.count == c.events);
        REQUIRE(r.n == c.total);
        REQUIRE(r.missing == 0);
        REQUIRE(r.share == static_cast<double>(c.events) / static_cast<double>(c.total));
        require_wilson(r.ci_lower, r.ci_upper, c.lo, c.hi, c.events);
    }
    // From flags: 0/1, NaN missing.
    const std::vector<double> flags{0, 1, 0, kNaN, 1, 0, 0};
    const auto f = dg::event_rate(flags);
    REQUIRE(f.count == 2);
    REQUIRE(f.n == 6);
    REQUIRE(f.missing == 1);
    const auto ref = dg::event_rate(2, 6);
    REQUIRE(f.ci_lower == ref.ci_lower);
    REQUIRE(f.ci_upper == ref.ci_upper);
    const std::vector<int> iflags{1, 0, 0, 0};
    REQUIRE(dg::event_rate(iflags).share == 0.25);
}

TEST_CASE("event_rate: errors", "[proxy][rate][edge]") {
    require_error([] { (void)dg::event_rate(5, 4); }, dg::errc::invalid_parameter, "events (5) exceed total (4)");
    require_error([] { (void)dg::event_rate(0, 0); }, dg::errc::empty_sample, "no value");
    require_error([] { (void)dg::event_rate(std::vector<double>{kNaN}); }, dg::errc::empty_sample, "missing");
    require_error([] { (void)dg::event_rate(std::vector<int>{0, 1, 2}); }, dg::errc::bad_label, "label at index 2");
    require_error([] { (void)dg::event_rate(1, 10, 1.0); }, dg::errc::invalid_parameter, "level");
    require_error([] { (void)dg::share_above(std::vector<double>{0.1}, kNaN); }, dg::errc::invalid_parameter,
                  "threshold is NaN");
    require_error([] { (void)dg::share_below(std::vector<double>{}, 0.2); }, dg::errc::empty_sample, "no value");
    require_error([] { (void)dg::share_below(std::vector<double>{kNaN, kNaN}, 0.2); }, dg::errc::empty_sample,
                  "all 2 values are missing");
}
