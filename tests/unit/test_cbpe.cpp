// Tests of include/driftgate/cbpe.hpp against exact rational sums, scipy 1.10.1's normal and
// chi-square tails (tests/golden/cbpe/gen_cbpe.py), hand calculations and edge cases.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "driftgate/cbpe.hpp"
#include "test_support.hpp"
#include "golden/cbpe/cbpe_golden.hpp"

namespace dg = driftgate;
using namespace test_support;
namespace gc = golden_cbpe;

namespace {

void require_metric(const dg::estimated_metric& m, const gc::metric& e, double rel) {
    REQUIRE(m.defined == e.defined);
    if (!e.defined) {
        REQUIRE(std::isnan(m.value));
        return;
    }
    if (e.value == 0.0) REQUIRE(m.value == 0.0);
    else REQUIRE(close_rel(m.value, e.value, rel));
    if (e.std_error == 0.0) REQUIRE(std::fabs(m.std_error) < 1e-15);
    else REQUIRE(close_rel(m.std_error, e.std_error, 1e-10));
    REQUIRE(std::fabs(m.ci_lower - e.ci_lower) <= 1e-12);
    REQUIRE(std::fabs(m.ci_upper - e.ci_upper) <= 1e-12);
}

void require_cbpe(const std::vector<double>& pd, double t, const gc::cbpe_expected& e) {
    const dg::cbpe_result r = dg::cbpe(std::span<const double>(pd), t);
    const auto& c = r.confusion;
    // Exact rational sums rounded once: the compensated long double sums agree to a few ulps.
    REQUIRE(close_rel(c.tp, e.tp, 1e-14));
    REQUIRE(close_rel(c.fp, e.fp, 1e-14));
    REQUIRE(close_rel(c.fn, e.fn, 1e-14));
    REQUIRE(close_rel(c.tn, e.tn, 1e-14));
    REQUIRE(close_rel(c.var_tp, e.var_tp, 1e-14));
    REQUIRE(close_rel(c.var_fn, e.var_fn, 1e-14));
    REQUIRE(c.predicted == e.predicted);
    REQUIRE(r.distinct_scores == e.points);
    require_metric(r.recall, e.recall, 1e-14);
    require_metric(r.precision, e.precision, 1e-14);
    require_metric(r.auc, e.auc, 1e-14);
}

} // namespace

TEST_CASE("cbpe: expected confusion, recall, precision and AUC match exact rational sums", "[cbpe][golden]") {
    SECTION("600 continuous PDs") { require_cbpe(gc::beta600_pd, gc::beta600_threshold, gc::beta600); }
    SECTION("400 PDs with ties, some at the threshold") { require_cbpe(gc::ties400_pd, gc::ties400_threshold, gc::ties400); }
    SECTION("PDs of 0 and 1 among them") { require_cbpe(gc::extremes20_pd, gc::extremes20_threshold, gc::extremes20); }
    SECTION("nothing reaches the threshold") { require_cbpe(gc::below_pd, gc::below_threshold, gc::below); }
}

TEST_CASE("cbpe: a hand calculation", "[cbpe]") {
    // PDs 0.1, 0.4, 0.4, 0.8 at t = 0.4: E[TP] = 1.6, E[FP] = 1.4, E[FN] = 0.1, E[TN] = 0.9.
    // Expected ROC (FP, TP) from the top: (0.2, 0.8), (1.4, 1.6), (2.3, 1.7); unnormalised area
    // 0.2 * 0.8 / 2 + 1.2 * 2.4 / 2 + 0.9 * 3.3 / 2 = 3.005; AUC = 3.005 / (1.7 * 2.3).
    const std::vector<double> pd{0.4, 0.8, 0.1, 0.4};
    const auto r = dg::cbpe(std::span<const double>(pd), 0.4);
    CHECK(r.confusion.tp == Approx(1.6).epsilon(1e-15));
    CHECK(r.confusion.fp == Approx(1.4).epsilon(1e-15));
    CHECK(r.confusion.fn == Approx(0.1).epsilon(1e-15));
    CHECK(r.confusion.tn == Approx(0.9).epsilon(1e-15));
    CHECK(r.confusion.predicted == 3);
    CHECK(r.recall.value == Approx(1.6 / 1.7).epsilon(1e-15));
    CHECK(r.precision.value == Approx(1.6 / 3.0).epsilon(1e-15));
    CHECK(r.auc.value == Approx(3.005 / (1.7 * 2.3)).epsilon(1e-15));
    CHECK(r.distinct_scores == 3);
    // Precision's variance: (0.4 * 0.6 * 2 + 0.8 * 0.2) / 9 = 0.64 / 9.
    CHECK(r.precision.std_error == Approx(std::sqrt(0.64 / 9.0)).epsilon(1e-14));
}

TEST_CASE("cbpe: one score repeated is a single ROC step, AUC 1/2", "[cbpe]") {
    const std::vector<double> pd(50, 0.3);
    const auto r = dg::cbpe(std::span<const double>(pd), 0.3);
    CHECK(r.distinct_scores == 1);
    CHECK(r.auc.value == Approx(0.5).epsilon(1e-15));
    CHECK(r.recall.value == 1.0);
    CHECK(r.precision.value == Approx(0.3).epsilon(1e-15));
}

TEST_CASE("cbpe: edge cases", "[cbpe]") {
    struct row {
        const char* what;
        std::vector<double> pd;
        double t;
        bool recall, precision, auc;
    };
    const row rows[] = {
        {"every PD 0: no expected default", {0.0, 0.0, 0.0}, 0.5, false, false, false},
        {"every PD 1: no expected non-default", {1.0, 1.0}, 0.5, true, true, false},
        {"threshold above every PD", {0.1, 0.2}, 0.9, true, false, true},
        {"threshold 0: everything predicted default", {0.1, 0.2}, 0.0, true, true, true},
        {"missing scores are excluded", {0.1, kNaN, 0.7}, 0.5, true, true, true},
    };
    for (const auto& c : rows) {
        INFO(c.what);
        const auto r = dg::cbpe(std::span<const double>(c.pd), c.t);
        CHECK(r.recall.defined == c.recall);
        CHECK(r.precision.defined == c.precision);
        CHECK(r.auc.defined == c.auc);
        if (!c.auc) CHECK(std::isnan(r.auc.value));
    }
    const std::vector<double> with_nan{0.1, kNaN, 0.7};
    CHECK(dg::cbpe(std::span<const double>(with_nan), 0.5).missing == 1);
    CHECK(dg::cbpe(std::span<const double>(with_nan), 0.5).confusion.n == 2);
    require_error([] { (void)dg::cbpe(std::span<const double>(), 0.5); }, dg::errc::empty_sample, "no score");
    const std::vector<double> all_nan{kNaN, kNaN};
    require_error([&] { (void)dg::cbpe(std::span<const double>(all_nan), 0.5); }, dg::errc::empty_sample, "no score");
    const std::vector<double> pct{0.1, 12.0};
    require_error([&] { (void)dg::cbpe(std::span<const double>(pct), 0.5); }, dg::errc::invalid_parameter, "probabilities in [0, 1]");
    const std::vector<double> neg{-0.1, 0.5};
    require_error([&] { (void)dg::cbpe(std::span<const double>(neg), 0.5); }, dg::errc::invalid_parameter, "found -0.1");
    const std::vector<double> ok{0.1, 0.5};
    require_error([&] { (void)dg::cbpe(std::span<const double>(ok), kNaN); }, dg::errc::invalid_parameter, "threshold is NaN");
    require_error([&] { (void)dg::cbpe(std::span<const double>(ok), 0.5, 1.0); }, dg::errc::invalid_parameter, "confidence level");
}

TEST_CASE("cbpe: the interval covers the realised metrics of labels drawn from the PDs", "[cbpe]") {
    // Labels drawn from the golden PDs with a fixed linear congruential generator: the realised
    // recall and precision land inside the 99.9% intervals (a failure would mean a wrong variance).
    const auto& pd = gc::beta600_pd;
    std::uint64_t state = 12345;
    auto uniform = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    };
    const auto r = dg::cbpe(std::span<const double>(pd), gc::beta600_threshold, 0.999);
    double tp = 0, fn = 0, fp = 0;
    for (const double p : pd) {
        const bool y = uniform() < p;
        if (p >= gc::beta600_threshold) (y ? tp : fp) += 1;
        else if (y) fn += 1;
    }
    CHECK(tp / (tp + fn) >= r.recall.ci_lower);
    CHECK(tp / (tp + fn) <= r.recall.ci_upper);
    CHECK(tp / (tp + fp) >= r.precision.ci_lower);
    CHECK(tp / (tp + fp) <= r.precision.ci_upper);
}

TEST_CASE("hosmer_lemeshow: bands, statistic and p-value match the reference", "[cbpe][calibration][golden]") {
    struct gcase {
        const char* what;
        const std::vector<double>* pd;
        const std::vector<double>* label;
        const gc::hl_expected* e;
    };
    const gcase cases[] = {
        {"labels drawn from the PDs", &gc::hl_calibrated_pd, &gc::hl_calibrated_label, &gc::hl_calibrated},
        {"labels drawn from 1.6 x the PDs", &gc::hl_miscalibrated_pd, &gc::hl_miscalibrated_label, &gc::hl_miscalibrated},
        {"PDs on a grid of 0.05, 5 groups", &gc::hl_ties_pd, &gc::hl_ties_label, &gc::hl_ties},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto r = dg::hosmer_lemeshow(std::span<const double>(*c.pd), std::span<const double>(*c.label), c.e->groups);
        REQUIRE(r.bands.size() == c.e->bands.size());
        for (std::size_t k = 0; k < r.bands.size(); ++k) {
            INFO("band " << k);
            const auto& b = r.bands[k];
            const auto& x = c.e->bands[k];
            CHECK(b.score_low == x.lo);
            CHECK(b.score_high == x.hi);
            CHECK(b.n == x.n);
            CHECK(b.observed == x.observed);
            CHECK(close_rel(b.expected, x.expected, 1e-14));
            CHECK(close_rel(b.contribution, x.contribution, 1e-12));
        }
        CHECK(close_rel(r.statistic, c.e->statistic, 1e-13));
        CHECK(r.dof == c.e->dof);
        CHECK(close_rel(r.pvalue, c.e->pvalue, 1e-10));
    }
}

TEST_CASE("hosmer_lemeshow: edge cases", "[cbpe][calibration]") {
    // Two distinct scores: two bands, no degree of freedom: p undefined.
    const std::vector<double> two{0.1, 0.1, 0.9, 0.9}, lab2{0, 0, 1, 1};
    const auto r2 = dg::hosmer_lemeshow(std::span<const double>(two), std::span<const double>(lab2), 10);
    CHECK(r2.bands.size() == 2);
    CHECK(std::isnan(r2.pvalue));
    // A band of PDs 0 holding a default: infinite statistic, p = 0.
    const std::vector<double> z{0.0, 0.0, 0.3, 0.5, 0.7, 0.9}, labz{1, 0, 0, 1, 1, 1};
    const auto rz = dg::hosmer_lemeshow(std::span<const double>(z), std::span<const double>(labz), 3);
    CHECK(std::isinf(rz.statistic));
    CHECK(rz.pvalue == 0.0);
    // A band of PDs 0 without a default contributes 0. Bands: {0, 0}, {0.3, 0.5}, {0.7, 0.9};
    // by hand: O = 0, 1, 2; E = 0, 0.8, 1.6; (1 - 0.8)^2 / (0.8 * 0.6) + (2 - 1.6)^2 / (1.6 * 0.2).
    const std::vector<double> labz0{0, 0, 0, 1, 1, 1};
    const auto r0 = dg::hosmer_lemeshow(std::span<const double>(z), std::span<const double>(labz0), 3);
    CHECK(r0.bands[0].contribution == 0.0);
    CHECK(r0.statistic == Approx(0.04 / 0.48 + 0.16 / 0.32).epsilon(1e-14));
    CHECK(r0.dof == 1.0);
    const std::vector<double> bad{0.1, 0.2}, badlab{0, 2};
    require_error([&] { (void)dg::hosmer_lemeshow(std::span<const double>(bad), std::span<const double>(badlab)); },
                  dg::errc::bad_label, "label 1");
    require_error([&] { (void)dg::hosmer_lemeshow(std::span<const double>(bad), std::span<const double>(lab2)); },
                  dg::errc::length_mismatch, "2 scores, 4 labels");
    require_error([&] { (void)dg::hosmer_lemeshow(std::span<const double>(two), std::span<const double>(lab2), 2); },
                  dg::errc::invalid_parameter, "3 to 1000000 groups");
    const std::vector<double> nan_pd{0.1, kNaN}, lab01{0, 1};
    require_error([&] { (void)dg::hosmer_lemeshow(std::span<const double>(nan_pd), std::span<const double>(lab01)); },
                  dg::errc::non_finite, "score 1 is NaN");
}
