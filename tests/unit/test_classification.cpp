// Tests of include/driftgate/classification.hpp against scikit-learn 1.2.1, mpmath-evaluated
// Wilson intervals, Newcombe (1998), a direct Murphy decomposition
// (tests/golden/classification/gen_classification.py), hand calculations and edge cases.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "driftgate/classification.hpp"
#include "test_support.hpp"
#include "golden/classification/classification_golden.hpp"

namespace dg = driftgate;
using namespace test_support;
namespace gc = golden_classification;

// ---- Wilson interval -----------------------------------------------------------------------

TEST_CASE("wilson_interval: Newcombe (1998) worked examples", "[classification][wilson]") {
    // Newcombe RG (1998), Stat Med 17:857-872, Table II, method 3 (score interval without
    // continuity correction), four decimals.
    struct row {
        double k, n, lo, hi;
    };
    for (const row r : {row{81, 263, 0.2553, 0.3662}, row{15, 148, 0.0624, 0.1605}, row{0, 20, 0.0, 0.1611},
                        row{1, 29, 0.0061, 0.1718}}) {
        const auto w = dg::wilson_interval(r.k, r.n);
        REQUIRE(w.defined);
        REQUIRE(w.ci_lower == Approx(r.lo).margin(5e-5));
        REQUIRE(w.ci_upper == Approx(r.hi).margin(5e-5));
    }
}

TEST_CASE("wilson_interval: matches the closed form in 50-digit arithmetic", "[classification][wilson][golden]") {
    for (const auto& c : gc::wilson_cases) {
        INFO(c.k << " / " << c.n << " at " << c.level);
        const auto w = dg::wilson_interval(c.k, c.n, c.level);
        REQUIRE(w.defined);
        REQUIRE(w.value == c.k / c.n);
        REQUIRE(w.level == c.level);
        REQUIRE(close_rel(w.ci_lower, c.lo, 1e-12));
        REQUIRE(close_rel(w.ci_upper, c.hi, 1e-13));
        if (c.k == 0) REQUIRE(w.ci_lower == 0.0);
        if (c.k == c.n) REQUIRE(w.ci_upper == 1.0);
    }
}

TEST_CASE("wilson_interval: edge cases", "[classification][wilson][edge]") {
    const auto u = dg::wilson_interval(0, 0);
    REQUIRE_FALSE(u.defined);
    REQUIRE(u.value == 0.0);
    REQUIRE(u.ci_lower == 0.0);
    REQUIRE(u.ci_upper == 1.0);
    require_error([] { (void)dg::wilson_interval(3, 2); }, dg::errc::invalid_parameter, "successes <= trials");
    require_error([] { (void)dg::wilson_interval(-1, 2); }, dg::errc::invalid_parameter, "0 <= successes");
    require_error([] { (void)dg::wilson_interval(kNaN, 2); }, dg::errc::invalid_parameter, "finite");
    require_error([] { (void)dg::wilson_interval(1, kInf); }, dg::errc::invalid_parameter, "finite");
    require_error([] { (void)dg::wilson_interval(1, 2, 1.0); }, dg::errc::invalid_parameter, "level");
    require_error([] { (void)dg::wilson_interval(1, 2, -0.5); }, dg::errc::invalid_parameter, "level");
}

// ---- confusion matrix ------------------------------------------------------------------------

TEST_CASE("confusion_at: hand calculation, score >= threshold predicts positive", "[classification][confusion]") {
    // scores 0.1 0.4 0.35 0.8 0.35, labels 0 0 1 1 0, threshold 0.35 (equal scores predict positive):
    // predicted positive: 0.4 (neg), 0.35 (pos), 0.8 (pos), 0.35 (neg) -> tp 2, fp 2, tn 1, fn 0.
    const std::vector<double> s{0.1, 0.4, 0.35, 0.8, 0.35};
    const std::vector<int> y{0, 0, 1, 1, 0};
    const auto c = dg::confusion_at(s, y, 0.35);
    REQUIRE(c.tp == 2);
    REQUIRE(c.fp == 2);
    REQUIRE(c.tn == 1);
    REQUIRE(c.fn == 0);
    REQUIRE(c.threshold == 0.35);
    REQUIRE(c.recall.value == 1.0);
    REQUIRE(c.precision.value == 0.5);
    REQUIRE(c.specificity.value == 1.0 / 3.0);
    REQUIRE(c.accuracy.value == 0.6);
    REQUIRE(c.f1.has_value());
    REQUIRE(*c.f1 == 4.0 / 6.0);
    // Recall 2/2: Wilson upper bound is 1, lower bound n / (n + z^2) = 2 / (2 + 3.8414588...) .
    const double z = 1.959963984540054;
    REQUIRE(c.recall.ci_upper == 1.0);
    REQUIRE(c.recall.ci_lower == Approx(2.0 / (2.0 + z * z)).epsilon(1e-14));
    // Just above 0.35 the tied rows flip to negative.
    const auto c2 = dg::confusion_at(s, y, std::nextafter(0.35, 1.0));
    REQUIRE(c2.tp == 1);
    REQUIRE(c2.fp == 1);
}

TEST_CASE("confusion_at: matches sklearn 1.2.1 and the Wilson closed form", "[classification][confusion][golden]") {
    for (const auto& c : gc::confusion_cases) {
        INFO("threshold " << c.threshold << (c.weighted ? " weighted" : ""));
        const auto r = c.weighted ? dg::confusion_at(gc::p, gc::y, gc::w, c.threshold, c.level)
                                  : dg::confusion_at(gc::p, gc::y, c.threshold, c.level);
        REQUIRE(r.tp == c.tp);
        REQUIRE(r.fp == c.fp);
        REQUIRE(r.tn == c.tn);
        REQUIRE(r.fn == c.fn);
        REQUIRE(r.level == c.level);
        REQUIRE(r.recall.defined);
        REQUIRE(r.precision.defined);
        REQUIRE(r.specificity.defined);
        REQUIRE(close_rel(r.recall.value, c.recall, 1e-15));
        REQUIRE(close_rel(r.precision.value, c.precision, 1e-15));
        REQUIRE(close_rel(r.specificity.value, c.specificity, 1e-15));
        REQUIRE(close_rel(r.accuracy.value, c.accuracy, 1e-15));
        REQUIRE(r.f1.has_value());
        REQUIRE(close_rel(*r.f1, c.f1, 1e-15));
        REQUIRE(close_rel(r.recall.ci_lower, c.recall_lo, 1e-13));
        REQUIRE(close_rel(r.recall.ci_upper, c.recall_hi, 1e-13));
        REQUIRE(close_rel(r.precision.ci_lower, c.precision_lo, 1e-13));
        REQUIRE(close_rel(r.precision.ci_upper, c.precision_hi, 1e-13));
    }
}

TEST_CASE("confusion_at: undefined ratios are flagged, never NaN", "[classification][confusion][edge]") {
    const std::vector<double> s{0.1, 0.2, 0.3};
    SECTION("no predicted positive: precision undefined") {
        const auto c = dg::confusion_at(s, std::vector<int>{0, 1, 1}, 0.9);
        REQUIRE(c.tp + c.fp == 0);
        REQUIRE_FALSE(c.precision.defined);
        REQUIRE(c.precision.value == 0.0);
        REQUIRE(c.precision.ci_lower == 0.0);
        REQUIRE(c.precision.ci_upper == 1.0);
        REQUIRE(c.recall.defined);
        REQUIRE(c.recall.value == 0.0);
        REQUIRE(c.f1.has_value());
        REQUIRE(*c.f1 == 0.0);
    }
    SECTION("no positive label: recall undefined; no prediction and no positive: F1 undefined") {
        const auto c = dg::confusion_at(s, std::vector<int>{0, 0, 0}, 0.9);
        REQUIRE_FALSE(c.recall.defined);
        REQUIRE_FALSE(c.precision.defined);
        REQUIRE_FALSE(c.f1.has_value());
        REQUIRE(c.specificity.value == 1.0);
        REQUIRE(c.accuracy.value == 1.0);
    }
    SECTION("no negative label: specificity undefined") {
        const auto c = dg::confusion_at(s, std::vector<int>{1, 1, 1}, 0.2);
        REQUIRE_FALSE(c.specificity.defined);
        REQUIRE(c.recall.value == 2.0 / 3.0);
        REQUIRE(c.precision.value == 1.0);
    }
    SECTION("one row") {
        const auto c = dg::confusion_at(std::vector<double>{0.7}, std::vector<int>{1}, 0.5);
        REQUIRE(c.tp == 1);
        REQUIRE(c.recall.value == 1.0);
        REQUIRE(c.recall.ci_upper == 1.0);
    }
    SECTION("infinite scores and thresholds") {
        const std::vector<double> si{-kInf, 0.5, kInf};
        const std::vector<int> yi{0, 1, 1};
        REQUIRE(dg::confusion_at(si, yi, kInf).tp == 1);
        REQUIRE(dg::confusion_at(si, yi, -kInf).fp == 1);
    }
    SECTION("errors") {
        const std::vector<int> y{0, 1, 1};
        require_error([&] { (void)dg::confusion_at(std::vector<double>{}, std::vector<int>{}, 0.5); },
                      dg::errc::empty_sample, "no rows");
        require_error([&] { (void)dg::confusion_at(s, std::vector<int>{0, 1}, 0.5); }, dg::errc::length_mismatch,
                      "labels have 2");
        require_error([&] { (void)dg::confusion_at(s, y, std::vector<double>{1, 1}, 0.5); },
                      dg::errc::length_mismatch, "weights have 2");
        require_error([&] { (void)dg::confusion_at(s, std::vector<int>{0, 3, 1}, 0.5); }, dg::errc::bad_label,
                      "label at index 1");
        require_error([&] { (void)dg::confusion_at(s, std::vector<double>{0, 1, kNaN}, 0.5); },
                      dg::errc::bad_label, "label at index 2 is NaN");
        require_error([&] { (void)dg::confusion_at(std::vector<double>{0.1, kNaN, 0.3}, y, 0.5); },
                      dg::errc::non_finite, "score at index 1 is NaN");
        require_error([&] { (void)dg::confusion_at(s, y, std::vector<double>{1, -1, 1}, 0.5); },
                      dg::errc::negative_weight, "weight at index 1");
        require_error([&] { (void)dg::confusion_at(s, y, std::vector<double>{0, 0, 0}, 0.5); },
                      dg::errc::empty_sample, "all weights are 0");
        require_error([&] { (void)dg::confusion_at(s, y, kNaN); }, dg::errc::invalid_parameter, "threshold is NaN");
        require_error([&] { (void)dg::confusion_at(s, y, 0.5, 1.5); }, dg::errc::invalid_parameter, "level");
    }
}

TEST_CASE("unweighted confusion_at, brier_score, make_roc_table: the first bad row is reported, in row order",
          "[classification][brier][roc][edge]") {
    // The unweighted paths check every row in one pass without branches and name a bad row by
    // re-running the row-by-row check: the error must be that of the first bad row (a row's score
    // before its label), as a loop stopping at the first failure reports it.
    const std::vector<double> s{0.1, 0.2, kNaN, 0.4, 0.5};
    const std::vector<double> late_label{0, 1, 1, 7, 1};   // NaN score at 2 comes first
    const std::vector<double> early_label{0, 2, 1, 0, 1};  // label 2 at 1 comes first
    require_error([&] { (void)dg::confusion_at(s, late_label, 0.3); }, dg::errc::non_finite, "score at index 2");
    require_error([&] { (void)dg::confusion_at(s, early_label, 0.3); }, dg::errc::bad_label, "label at index 1 is 2");
    require_error([&] { (void)dg::make_roc_table(s, late_label); }, dg::errc::non_finite, "score at index 2");
    require_error([&] { (void)dg::make_roc_table(s, early_label); }, dg::errc::bad_label, "label at index 1 is 2");
    // Brier: a probability out of [0, 1] at row 3, a NaN label at row 2, a NaN probability at row 4.
    const std::vector<double> p{0.1, 0.2, 0.3, 1.5, kNaN};
    require_error([&] { (void)dg::brier_score(p, std::vector<double>{0, 1, kNaN, 1, 0}); }, dg::errc::bad_label,
                  "label at index 2 is NaN");
    require_error([&] { (void)dg::brier_score(p, std::vector<double>{0, 1, 0, 1, 0}); }, dg::errc::invalid_parameter,
                  "probability at index 3");
    require_error([&] { (void)dg::brier_score(std::vector<double>{0.1, kNaN}, std::vector<int>{0, 1}); },
                  dg::errc::non_finite, "probability at index 1 is NaN");
    // The same rows without the bad ones give the hand-computed values: scores 0.1 0.2 0.4 0.5,
    // labels 0 1 0 1 at threshold 0.3: predicted 0 0 1 1 -> tp 1 (0.5), fp 1 (0.4), fn 1, tn 1.
    const std::vector<double> s4{0.1, 0.2, 0.4, 0.5};
    const bool y4b[] = {false, true, false, true};
    const std::vector<int> y4{0, 1, 0, 1};
    for (const auto& c : {dg::confusion_at(s4, y4, 0.3), dg::confusion_at(std::span<const double>(s4), std::span<const bool>(y4b), 0.3)}) {
        REQUIRE(c.tp == 1);
        REQUIRE(c.fp == 1);
        REQUIRE(c.fn == 1);
        REQUIRE(c.tn == 1);
    }
    // Brier of those rows: (0.01 + 0.64 + 0.16 + 0.25) / 4 = 1.06 / 4.
    REQUIRE(dg::brier_score(s4, y4) == Approx(1.06 / 4).epsilon(1e-15));
    REQUIRE(dg::brier_score(std::span<const double>(s4), std::span<const bool>(y4b)) == Approx(1.06 / 4).epsilon(1e-15));
}

// ---- Brier score and log loss ------------------------------------------------------------------

TEST_CASE("brier_score and log_loss: hand calculation", "[classification][brier]") {
    // (0 - 0.1)^2 + (0 - 0.4)^2 + (1 - 0.35)^2 + (1 - 0.8)^2 = 0.01 + 0.16 + 0.4225 + 0.04 = 0.6325.
    const std::vector<double> s{0.1, 0.4, 0.35, 0.8};
    const std::vector<int> y{0, 0, 1, 1};
    REQUIRE(dg::brier_score(s, y) == Approx(0.6325 / 4).epsilon(1e-15));
    // -(log 0.9 + log 0.6 + log 0.35 + log 0.8) / 4.
    REQUIRE(dg::log_loss(s, y) ==
            Approx(-(std::log(0.9) + std::log(0.6) + std::log(0.35) + std::log(0.8)) / 4).epsilon(1e-15));
    // Weights 1 2 3 4: (0.01 + 0.32 + 1.2675 + 0.16) / 10.
    REQUIRE(dg::brier_score(s, y, std::vector<int>{1, 2, 3, 4}) == Approx(1.7575 / 10).epsilon(1e-15));
}

TEST_CASE("brier_score and log_loss: match sklearn 1.2.1", "[classification][brier][golden]") {
    REQUIRE(close_rel(dg::brier_score(gc::p, gc::y), gc::brier, 1e-15));
    REQUIRE(close_rel(dg::brier_score(gc::p, gc::y, gc::w), gc::brier_weighted, 1e-15));
    REQUIRE(close_rel(dg::brier_score(gc::q, gc::yq), gc::brier_q, 1e-15));
    REQUIRE(close_rel(dg::log_loss(gc::p, gc::y), gc::logloss, 1e-15));
    REQUIRE(close_rel(dg::log_loss(gc::p, gc::y, gc::w), gc::logloss_weighted, 1e-15));
    REQUIRE(close_rel(dg::log_loss(gc::q, gc::yq), gc::logloss_q, 1e-15));
}

TEST_CASE("log_loss: sklearn 1.2's eps clipping at 0 and 1", "[classification][logloss][edge]") {
    for (std::size_t i = 0; i < gc::clip_probs.size(); ++i) {
        const std::vector<double> p{gc::clip_probs[i]};
        INFO("p = " << p[0]);
        REQUIRE(close_rel(dg::log_loss(p, std::vector<int>{0}), gc::clip_losses_y0[i], 1e-15));
        REQUIRE(close_rel(dg::log_loss(p, std::vector<int>{1}), gc::clip_losses_y1[i], 1e-15));
    }
    // The cap: -log(2^-52) = 52 log 2.
    REQUIRE(dg::log_loss(std::vector<double>{0.0}, std::vector<int>{1}) == Approx(52 * std::log(2.0)).epsilon(1e-15));
}

TEST_CASE("brier_score, log_loss: edge cases", "[classification][brier][edge]") {
    const std::vector<double> s{0.0, 1.0, 0.5};
    SECTION("one class is allowed") {
        REQUIRE(dg::brier_score(s, std::vector<int>{1, 1, 1}) == Approx((1.0 + 0.0 + 0.25) / 3).epsilon(1e-15));
        REQUIRE(dg::log_loss(std::vector<double>{0.5, 0.5}, std::vector<int>{0, 0}) == Approx(std::log(2.0)));
    }
    SECTION("perfect forecasts") {
        REQUIRE(dg::brier_score(std::vector<double>{0, 1}, std::vector<int>{0, 1}) == 0.0);
        // Clipped at eps: log loss is -log(1 - eps) ~ eps, not 0.
        REQUIRE(dg::log_loss(std::vector<double>{0, 1}, std::vector<int>{0, 1}) ==
                Approx(2.220446049250313e-16).epsilon(1e-6));
    }
    SECTION("zero weights skip rows") {
        REQUIRE(dg::brier_score(s, std::vector<int>{1, 1, 0}, std::vector<double>{1, 1, 0}) == 0.5);
    }
    SECTION("errors") {
        const std::vector<int> y{0, 1, 1};
        require_error([&] { (void)dg::brier_score(std::vector<double>{}, std::vector<int>{}); },
                      dg::errc::empty_sample, "no rows");
        require_error([&] { (void)dg::log_loss(std::vector<double>{}, std::vector<int>{}); },
                      dg::errc::empty_sample, "no rows");
        require_error([&] { (void)dg::brier_score(s, y, std::vector<double>{0, 0, 0}); }, dg::errc::empty_sample,
                      "all weights are 0");
        require_error([&] { (void)dg::brier_score(std::vector<double>{0.1, 1.5, 0.2}, y); },
                      dg::errc::invalid_parameter, "probability at index 1 is 1.5");
        require_error([&] { (void)dg::log_loss(std::vector<double>{0.1, 0.2, -0.1}, y); },
                      dg::errc::invalid_parameter, "probability at index 2");
        require_error([&] { (void)dg::log_loss(std::vector<double>{0.1, 0.2, kInf}, y); },
                      dg::errc::invalid_parameter, "probability at index 2");
        require_error([&] { (void)dg::brier_score(std::vector<double>{kNaN, 0.2, 0.3}, y); }, dg::errc::non_finite,
                      "probability at index 0 is NaN");
        require_error([&] { (void)dg::log_loss(s, std::vector<int>{0, 1}); }, dg::errc::length_mismatch,
                      "labels have 2");
        require_error([&] { (void)dg::log_loss(s, std::vector<double>{0, 0.5, 1}); }, dg::errc::bad_label,
                      "label at index 1");
        require_error([&] { (void)dg::brier_score(s, y, std::vector<double>{1, kNaN, 1}); },
                      dg::errc::negative_weight, "weight at index 1");
    }
}

// ---- Murphy decomposition ----------------------------------------------------------------------

TEST_CASE("murphy_decomposition: matches a direct computation", "[classification][murphy][golden]") {
    std::size_t idx = 0;
    for (const auto& c : gc::murphy_cases) {
        INFO("case " << idx++ << ", bins " << c.bins << (c.weighted ? " weighted" : ""));
        const auto r = c.weighted ? dg::murphy_decomposition(*c.p, *c.y, gc::w, c.bins)
                                  : dg::murphy_decomposition(*c.p, *c.y, c.bins);
        REQUIRE(r.bins == c.bins);
        REQUIRE(close_rel(r.brier, c.brier, 1e-14));
        REQUIRE(std::fabs(r.reliability - c.rel) <= 1e-15);
        REQUIRE(std::fabs(r.resolution - c.res) <= 1e-15);
        REQUIRE(std::fabs(r.uncertainty - c.unc) <= 1e-15);
        REQUIRE(r.within_bin == Approx(r.brier - (r.reliability - r.resolution + r.uncertainty)).margin(1e-15));
        REQUIRE(r.bin_weight.size() == c.bins);
        for (std::size_t k = 0; k < c.bins; ++k) {
            REQUIRE(r.bin_weight[k] == c.bin_weight[k]);
            REQUIRE(std::fabs(r.bin_forecast[k] - c.bin_forecast[k]) <= 1e-15);
            REQUIRE(std::fabs(r.bin_observed[k] - c.bin_observed[k]) <= 1e-15);
        }
    }
}

TEST_CASE("murphy_decomposition: Brier = REL - RES + UNC when forecasts are constant within bins",
          "[classification][murphy]") {
    const auto r = dg::murphy_decomposition(gc::grid_p, gc::grid_y, 10);
    REQUIRE(std::fabs(r.within_bin) <= 1e-15);
    REQUIRE(std::fabs(r.brier - (r.reliability - r.resolution + r.uncertainty)) <= 1e-15);
    // With forecasts spread inside bins the identity does not hold; the remainder is reported.
    const auto g = dg::murphy_decomposition(gc::q, gc::yq, 7);
    REQUIRE(std::fabs(g.within_bin) > 1e-6);
    REQUIRE(g.within_bin == Approx(g.brier - (g.reliability - g.resolution + g.uncertainty)).margin(1e-15));
}

TEST_CASE("murphy_decomposition: bin rule and edge cases", "[classification][murphy][edge]") {
    // K = 4: 0 -> bin 0, 0.25 -> bin 1, 0.5 -> bin 2, 0.75 -> bin 3, 1 -> bin 3 (last bin closed).
    const std::vector<double> p{0.0, 0.25, 0.5, 0.75, 1.0};
    const std::vector<int> y{0, 0, 1, 1, 1};
    const auto r = dg::murphy_decomposition(p, y, 4);
    REQUIRE(r.bin_weight == std::vector<double>{1, 1, 1, 2});
    REQUIRE(r.bin_forecast == std::vector<double>{0.0, 0.25, 0.5, 0.875});
    REQUIRE(r.bin_observed == std::vector<double>{0, 0, 1, 1});
    // UNC = 0.6 * 0.4; REL by hand = (0 + 0.0625 + 0.25 + 2 * 0.015625) / 5 = 0.06875.
    REQUIRE(r.uncertainty == Approx(0.24).epsilon(1e-15));
    REQUIRE(r.reliability == Approx(0.06875).epsilon(1e-15));
    // All forecasts in one bin with a single class: RES = UNC = 0.
    const auto one = dg::murphy_decomposition(std::vector<double>{0.3, 0.31}, std::vector<int>{1, 1});
    REQUIRE(one.uncertainty == 0.0);
    REQUIRE(one.resolution == 0.0);
    REQUIRE(one.bin_weight[3] == 2.0);
    require_error([&] { (void)dg::murphy_decomposition(p, y, 0); }, dg::errc::invalid_parameter, "bins");
    require_error([&] { (void)dg::murphy_decomposition(std::vector<double>{0.2, 1.2}, std::vector<int>{0, 1}); },
                  dg::errc::invalid_parameter, "probability at index 1");
}
