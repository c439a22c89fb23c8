// Tests of include/driftgate/roc.hpp against scikit-learn 1.2.1 and a direct O(n m) DeLong
// (tests/golden/roc/gen_roc.py), hand calculations and edge-case tables.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "driftgate/roc.hpp"
#include "test_support.hpp"
#include "golden/roc/roc_golden.hpp"

namespace dg = driftgate;
using namespace test_support;

// ---- hand calculations ------------------------------------------------------------------------

TEST_CASE("roc: sklearn documentation example by hand", "[roc]") {
    // sklearn's roc_curve docstring: y = [1, 1, 2, 2] (here 0/1), scores [0.1, 0.4, 0.35, 0.8].
    // Positive-negative pairs: 0.35 beats 0.1 only, 0.8 beats both: AUC = 3/4.
    const std::vector<double> s{0.1, 0.4, 0.35, 0.8};
    const std::vector<int> y{0, 0, 1, 1};
    const auto c = dg::roc_curve(s, y);
    REQUIRE(c.fpr == std::vector<double>{0.0, 0.0, 0.5, 0.5, 1.0});
    REQUIRE(c.tpr == std::vector<double>{0.0, 0.5, 0.5, 1.0, 1.0});
    REQUIRE(c.thresholds == std::vector<double>{1.8, 0.8, 0.4, 0.35, 0.1});
    const auto a = dg::roc_auc(s, y);
    REQUIRE(a.auc == 0.75);
    REQUIRE(a.gini == 0.5);
    REQUIRE(a.n_pos == 2.0);
    REQUIRE(a.n_neg == 2.0);
    // TPR - FPR along the curve: 0.5 (t = 0.8), 0 (0.4), 0.5 (0.35), 0: the first maximum is at 0.8.
    const auto k = dg::classifier_ks(s, y);
    REQUIRE(k.statistic == 0.5);
    REQUIRE(k.threshold == 0.8);
    REQUIRE(k.tpr == 0.5);
    REQUIRE(k.fpr == 0.0);
    // DeLong by hand: V10 = (1/2, 1) for positives 0.35, 0.8; V01 = (1, 1/2) for negatives 0.1,
    // 0.4; S10 = S01 = ((1/4)^2 + (1/4)^2) / 1 = 1/8; var = S10/2 + S01/2 = 1/8.
    // Too few rows for DeLong (needs 2 + 2): exactly 2 + 2 here, so it is allowed.
    const auto d = dg::delong(s, y, 0.95);
    REQUIRE(d.auc == 0.75);
    REQUIRE(d.variance == Approx(0.125).epsilon(1e-15));
    REQUIRE(d.std_error == Approx(std::sqrt(0.125)).epsilon(1e-15));
    // 0.75 -/+ 1.959963984540054 * 0.3535533905932738 -> [0.0570, 1.4430], clipped at 1.
    REQUIRE(d.ci_lower == Approx(0.75 - 1.959963984540054 * std::sqrt(0.125)).epsilon(1e-14));
    REQUIRE(d.ci_upper == 1.0);
}

TEST_CASE("roc: ties count one half", "[roc]") {
    // One positive and one negative with the same score, plus a clear pair: pairs are
    // (p=0.5 vs n=0.5): 1/2, (p=0.5 vs n=0.1): 1, (p=0.9 vs 0.5): 1, (p=0.9 vs 0.1): 1 -> 3.5 / 4.
    const std::vector<double> s{0.5, 0.5, 0.1, 0.9};
    const std::vector<int> y{1, 0, 0, 1};
    REQUIRE(dg::roc_auc(s, y).auc == 0.875);
    const auto c = dg::roc_curve(s, y);
    REQUIRE(c.thresholds == std::vector<double>{1.9, 0.9, 0.5, 0.1});
    REQUIRE(c.tpr == std::vector<double>{0.0, 0.5, 1.0, 1.0});
    REQUIRE(c.fpr == std::vector<double>{0.0, 0.0, 0.5, 1.0});
}

// ---- golden values: small stored data sets ---------------------------------------------------

namespace {

struct small_case {
    const char* name;
    const std::vector<double>* s;
    const std::vector<int>* y;
    const std::vector<double>* fpr;
    const std::vector<double>* tpr;
    const std::vector<double>* thr;
    double auc, ks, ks_thr, ks_tpr, ks_fpr, delong_auc, delong_var;
};

} // namespace

TEST_CASE("roc: curve, AUC, KS and DeLong match sklearn 1.2.1 / direct DeLong on stored data", "[roc][golden]") {
    using namespace golden_roc;
    const std::vector<small_case> cases{
        {"continuous60", &continuous60_s, &continuous60_y, &continuous60_fpr, &continuous60_tpr, &continuous60_thr,
         continuous60_auc, continuous60_ks, continuous60_ks_thr, continuous60_ks_tpr, continuous60_ks_fpr,
         continuous60_delong_auc, continuous60_delong_var},
        {"ties120", &ties120_s, &ties120_y, &ties120_fpr, &ties120_tpr, &ties120_thr, ties120_auc, ties120_ks,
         ties120_ks_thr, ties120_ks_tpr, ties120_ks_fpr, ties120_delong_auc, ties120_delong_var},
        {"weighted80", &weighted80_s, &weighted80_y, &weighted80_fpr, &weighted80_tpr, &weighted80_thr,
         weighted80_auc, weighted80_ks, weighted80_ks_thr, weighted80_ks_tpr, weighted80_ks_fpr,
         weighted80_delong_auc, weighted80_delong_var},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const auto curve = dg::roc_curve(*c.s, *c.y);
        // Unweighted: integer counts divided once, as sklearn does: bit for bit.
        REQUIRE(curve.fpr == *c.fpr);
        REQUIRE(curve.tpr == *c.tpr);
        REQUIRE(curve.thresholds == *c.thr);
        const auto a = dg::roc_auc(*c.s, *c.y);
        REQUIRE(std::fabs(a.auc - c.auc) <= 1e-15);
        REQUIRE(a.gini == 2.0 * a.auc - 1.0);
        const auto k = dg::classifier_ks(*c.s, *c.y);
        REQUIRE(std::fabs(k.statistic - c.ks) <= 1e-15);
        REQUIRE(k.threshold == c.ks_thr);
        REQUIRE(k.tpr == c.ks_tpr);
        REQUIRE(k.fpr == c.ks_fpr);
        const auto d = dg::delong(*c.s, *c.y);
        REQUIRE(std::fabs(d.auc - c.delong_auc) <= 1e-15);
        REQUIRE(close_rel(d.variance, c.delong_var, 1e-13));
    }
}

TEST_CASE("roc: weighted curve, AUC and KS match sklearn 1.2.1", "[roc][golden][weights]") {
    using namespace golden_roc;
    struct wcase {
        const char* name;
        const std::vector<double>*s, *w;
        const std::vector<int>* y;
        const std::vector<double>*fpr, *tpr, *thr;
        double auc, ks, ks_thr;
    };
    const std::vector<wcase> cases{
        {"ties120", &ties120_s, &ties120_w, &ties120_y, &ties120_wfpr, &ties120_wtpr, &ties120_wthr, ties120_wauc,
         ties120_wks, ties120_wks_thr},
        {"weighted80", &weighted80_s, &weighted80_w, &weighted80_y, &weighted80_wfpr, &weighted80_wtpr,
         &weighted80_wthr, weighted80_wauc, weighted80_wks, weighted80_wks_thr},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const auto curve = dg::roc_curve(*c.s, *c.y, *c.w);
        // Zero-weight rows are dropped, as sklearn does: same number of thresholds.
        REQUIRE(curve.thresholds == *c.thr);
        REQUIRE(curve.fpr.size() == c.fpr->size());
        for (std::size_t i = 0; i < curve.fpr.size(); ++i) {
            REQUIRE(std::fabs(curve.fpr[i] - (*c.fpr)[i]) <= 1e-15);
            REQUIRE(std::fabs(curve.tpr[i] - (*c.tpr)[i]) <= 1e-15);
        }
        const auto a = dg::roc_auc(*c.s, *c.y, *c.w);
        REQUIRE(std::fabs(a.auc - c.auc) <= 1e-15);
        const auto k = dg::classifier_ks(*c.s, *c.y, *c.w);
        REQUIRE(std::fabs(k.statistic - c.ks) <= 1e-15);
        REQUIRE(k.threshold == c.ks_thr);
    }
}

TEST_CASE("roc: AUC at n = 1e3 .. 1e6 matches sklearn 1.2.1 within 1e-15", "[roc][golden][large]") {
    for (const auto& c : golden_roc::synth_cases) {
        INFO("n = " << c.n << ", seed = " << c.seed << ", modulus = " << c.modulus);
        const auto d = golden_roc::synth(c.n, c.seed, c.modulus);
        const auto t = dg::make_roc_table(d.s, d.y);
        const auto a = dg::roc_auc(t);
        REQUIRE(std::fabs(a.auc - c.auc) <= 1e-15);
        const auto wa = dg::roc_auc(d.s, d.y, d.w);
        REQUIRE(std::fabs(wa.auc - c.wauc) <= 1e-15);
        const auto k = dg::classifier_ks(t);
        REQUIRE(std::fabs(k.statistic - c.ks) <= 1e-15);
        REQUIRE(k.threshold == c.ks_thr);
        const auto wk = dg::classifier_ks(d.s, d.y, d.w);
        REQUIRE(std::fabs(wk.statistic - c.wks) <= 1e-14);
    }
}

TEST_CASE("roc: DeLong variance and interval match a direct O(n m) computation", "[roc][golden][delong]") {
    for (const auto& c : golden_roc::delong_cases) {
        INFO("n = " << c.n << ", seed = " << c.seed << ", level = " << c.level);
        const auto d = golden_roc::synth(c.n, c.seed, c.modulus);
        const auto r = dg::delong(d.s, d.y, c.level);
        REQUIRE(std::fabs(r.auc - c.auc) <= 1e-15);
        REQUIRE(close_rel(r.variance, c.var, 1e-12));
        REQUIRE(r.std_error == std::sqrt(r.variance));
        REQUIRE(std::fabs(r.ci_lower - c.lo) <= 1e-14);
        REQUIRE(std::fabs(r.ci_upper - c.hi) <= 1e-14);
        REQUIRE(r.level == c.level);
        // The integer sums leave only the final divisions' rounding: within 2 ulps of the exact
        // rational variance (rounded once).
        REQUIRE(std::fabs(r.variance - c.var_exact) <= 2 * std::numeric_limits<double>::epsilon() * c.var_exact);
    }
}

TEST_CASE("roc: classifier KS equals the plain scan over the table's groups (first maximum of the double rates)",
          "[roc][ks]") {
    // sklearn's argmax over tpr - fpr, written out: the rates of every group in doubles, the first
    // (highest) threshold attaining the maximum. Small samples of few distinct scores and
    // balanced classes make many groups tie at the maximum exactly or to within an ulp; the table
    // path and summarize_roc's walk must both give that group.
    std::mt19937_64 rng(7);
    for (int round = 0; round < 3000; ++round) {
        const std::size_t n = 4 + rng() % 200;
        const std::uint64_t levels = 1 + rng() % 12;
        std::vector<double> s(n);
        std::vector<int> y(n);
        for (std::size_t i = 0; i < n; ++i) {
            s[i] = static_cast<double>(rng() % levels) / static_cast<double>(levels);
            y[i] = static_cast<int>(rng() % 2);
        }
        y[0] = y[2] = 0;  // two of each class: summarize_roc's DeLong needs them
        y[1] = y[3] = 1;
        const auto t = dg::make_roc_table(s, y);
        double tp = 0, fp = 0;
        dg::classifier_ks_result want;
        for (std::size_t g = 0; g < t.thresholds.size(); ++g) {
            tp += t.pos[g];
            fp += t.neg[g];
            const double tpr = tp / t.total_pos, fpr = fp / t.total_neg;
            if (g == 0 || tpr - fpr > want.statistic) want = {tpr - fpr, t.thresholds[g], tpr, fpr};
        }
        INFO("round " << round);
        for (const auto& k : {dg::classifier_ks(t), dg::summarize_roc(s, y).ks}) {
            REQUIRE(k.statistic == want.statistic);
            REQUIRE(k.threshold == want.threshold);
            REQUIRE(k.tpr == want.tpr);
            REQUIRE(k.fpr == want.fpr);
        }
    }
}

TEST_CASE("roc: summarize_roc equals delong and classifier_ks read from the table, bit for bit", "[roc][delong]") {
    auto same = [](const std::vector<double>& s, const auto& y) {
        const auto t = dg::make_roc_table(s, y);
        const auto d = dg::delong(t, 0.9);
        const auto k = dg::classifier_ks(t);
        const auto r = dg::summarize_roc(s, y, 0.9);
        REQUIRE(r.delong.auc == d.auc);
        REQUIRE(r.delong.auc == dg::roc_auc(t).auc);
        REQUIRE(r.delong.variance == d.variance);
        REQUIRE(r.delong.ci_lower == d.ci_lower);
        REQUIRE(r.delong.ci_upper == d.ci_upper);
        REQUIRE(r.delong.level == 0.9);
        REQUIRE(r.ks.statistic == k.statistic);
        REQUIRE(std::signbit(r.ks.threshold) == std::signbit(k.threshold));
        REQUIRE(r.ks.threshold == k.threshold);
        REQUIRE(r.ks.tpr == k.tpr);
        REQUIRE(r.ks.fpr == k.fpr);
        // The same in two halves: the classes split, sorted apart, then walked.
        dg::roc_classes c = dg::split_classes(s, y);
        std::size_t ones = 0;
        for (const auto v : y) ones += static_cast<double>(v) == 1.0 ? 1 : 0;
        REQUIRE(c.positives.size() == ones);
        REQUIRE(c.negatives.size() == s.size() - ones);
        const auto h = dg::summarize_roc(dg::sort_sample(std::move(c.positives)), dg::sort_sample(std::move(c.negatives)), 0.9);
        REQUIRE(h.delong.auc == d.auc);
        REQUIRE(h.delong.variance == d.variance);
        REQUIRE(h.delong.ci_lower == d.ci_lower);
        REQUIRE(h.delong.ci_upper == d.ci_upper);
        REQUIRE(h.ks.statistic == k.statistic);
        REQUIRE(std::signbit(h.ks.threshold) == std::signbit(k.threshold));
        REQUIRE(h.ks.threshold == k.threshold);
        REQUIRE(h.ks.tpr == k.tpr);
        REQUIRE(h.ks.fpr == k.fpr);
    };
    // Untied and heavily tied scores (modulus 20, 1000, 2^30), signed zeros among them.
    for (const auto& c : golden_roc::delong_cases) {
        INFO("n = " << c.n << ", seed = " << c.seed);
        const auto d = golden_roc::synth(c.n, c.seed, c.modulus);
        same(d.s, d.y);
        const auto r = dg::summarize_roc(d.s, d.y, c.level);
        REQUIRE(std::fabs(r.delong.variance - c.var_exact) <= 2 * std::numeric_limits<double>::epsilon() * c.var_exact);
    }
    same(std::vector<double>{0.0, -0.0, 0.5, -0.0, 0.5, 1.0, 0.0}, std::vector<int>{1, 0, 1, 1, 0, 0, 0});
    // Large untied classes (walked in four stretches side by side): distinct scores within each
    // class, many shared across the classes (also where the stretches are cut).
    {
        std::uint64_t state = 4242;
        auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL, state >> 33; };
        for (const std::size_t n : {std::size_t{4100}, std::size_t{30000}}) {
            std::vector<double> sc;
            std::vector<int> lab;
            std::vector<char> used(2 * 3 * n, 0);  // per class and grid point
            while (sc.size() < n) {
                const std::size_t k = next() % (3 * n);
                const int y = next() % 3 == 0 ? 1 : 0;
                if (used[2 * k + static_cast<std::size_t>(y)]) continue;
                used[2 * k + static_cast<std::size_t>(y)] = 1;
                sc.push_back(static_cast<double>(k) / static_cast<double>(3 * n));
                lab.push_back(y);
            }
            INFO("untied, n = " << n);
            same(sc, lab);
        }
        // Every score in both classes (2500 each): each group, at the cuts too, holds one of each.
        std::vector<double> both;
        std::vector<int> both_labels;
        for (int k = 0; k < 2500; ++k)
            for (const int y : {0, 1}) {
                both.push_back(static_cast<double>((k * 7919) % 2500) / 2500.0);
                both_labels.push_back(y);
            }
        same(both, both_labels);
        // Alternating classes from the top (P = N = 8192): TPR - FPR is 1/8192 after every positive,
        // so every stretch reaches the maximum; the highest threshold, the top score, is kept.
        std::vector<double> sc(16384);
        std::vector<int> lab(16384);
        for (std::size_t k = 0; k < sc.size(); ++k) {
            sc[k] = static_cast<double>(k) / 16384.0;
            lab[k] = static_cast<int>(k % 2);
        }
        same(sc, lab);
        const auto r = dg::summarize_roc(sc, lab, 0.9);
        CHECK(r.ks.statistic == 1.0 / 8192.0);
        CHECK(r.ks.threshold == 16383.0 / 16384.0);
        CHECK(r.ks.tpr == 1.0 / 8192.0);
        CHECK(r.ks.fpr == 0.0);
    }
    same(std::vector<double>{3, 3, 3, 2}, std::vector<double>{1, 0, 1, 0});
    // Errors: the same conditions as make_roc_table and delong, named after summarize_roc.
    require_error([] { (void)dg::summarize_roc(std::vector<double>{}, std::vector<int>{}); }, dg::errc::empty_sample, "no rows");
    require_error([] { (void)dg::summarize_roc(std::vector<double>{0.1, 0.2}, std::vector<int>{1}); },
                  dg::errc::length_mismatch, "labels");
    require_error([] { (void)dg::summarize_roc(std::vector<double>{0.1, 0.2}, std::vector<int>{1, 1}); },
                  dg::errc::one_class, "no negative label");
    require_error([] { (void)dg::summarize_roc(std::vector<double>{0.1, 0.2, 0.3}, std::vector<int>{1, 0, 0}); },
                  dg::errc::one_class, "at least 2 positives and 2 negatives");
    require_error([] { (void)dg::summarize_roc(std::vector<double>{0.1, NAN, 0.3}, std::vector<int>{1, 0, 3}); },
                  dg::errc::non_finite, "score at index 1");
    require_error([] { (void)dg::summarize_roc(std::vector<double>{0.1, 0.3}, std::vector<int>{1, 0}, 1.0); },
                  dg::errc::invalid_parameter, "confidence level");
    // The split checks the rows as summarize_roc does; the sorted form checks its classes.
    require_error([] { (void)dg::split_classes(std::vector<double>{0.1, 0.2}, std::vector<int>{1}); },
                  dg::errc::length_mismatch, "labels");
    require_error([] { (void)dg::split_classes(std::vector<double>{0.1, NAN, 0.3}, std::vector<int>{1, 0, 3}); },
                  dg::errc::non_finite, "score at index 1");
    const auto sorted = [](std::vector<double> v) { return dg::sort_sample(v); };
    require_error([&] { (void)dg::summarize_roc(sorted({}), sorted({})); }, dg::errc::empty_sample, "no rows");
    require_error([&] { (void)dg::summarize_roc(sorted({0.1, 0.2}), sorted({})); }, dg::errc::one_class, "no negative label");
    require_error([&] { (void)dg::summarize_roc(sorted({}), sorted({0.1, 0.2})); }, dg::errc::one_class, "no positive label");
    require_error([&] { (void)dg::summarize_roc(sorted({0.1, NAN}), sorted({0.1, 0.2})); }, dg::errc::invalid_parameter,
                  "missing scores");
    require_error([&] { (void)dg::summarize_roc(sorted({0.1, 0.2}), sorted({0.1, 0.3}), 0.0); },
                  dg::errc::invalid_parameter, "confidence level");
}

TEST_CASE("roc: paired DeLong test matches a direct O(n m) computation", "[roc][golden][delong]") {
    for (const auto& c : golden_roc::paired_cases) {
        INFO("n = " << c.n << ", seed = " << c.seed << ", spread = " << c.spread);
        const auto d = golden_roc::synth(c.n, c.seed, c.modulus, c.spread);
        const auto r = dg::compare_auc_paired(d.s, d.s2, d.y);
        REQUIRE(r.paired);
        REQUIRE(std::fabs(r.auc1 - c.auc1) <= 1e-15);
        REQUIRE(std::fabs(r.auc2 - c.auc2) <= 1e-15);
        REQUIRE(r.difference == r.auc1 - r.auc2);
        REQUIRE(close_rel(r.std_error, c.se, 1e-10));
        REQUIRE(close_rel(r.z, c.z, 1e-9));
        // p-values down to 1e-103: relative accuracy, which 1 - cdf could not give.
        REQUIRE(close_rel(r.pvalue, c.p, 1e-7));
    }
}

TEST_CASE("roc: unpaired DeLong test matches a direct O(n m) computation", "[roc][golden][delong]") {
    for (const auto& c : golden_roc::unpaired_cases) {
        INFO("seeds " << c.seed1 << ", " << c.seed2);
        const auto d1 = golden_roc::synth(c.n1, c.seed1, c.mod1);
        const auto d2 = golden_roc::synth(c.n2, c.seed2, c.mod2);
        const auto r = dg::compare_auc_unpaired(d1.s, d1.y, d2.s2, d2.y);
        REQUIRE_FALSE(r.paired);
        REQUIRE(std::fabs(r.auc1 - c.auc1) <= 1e-15);
        REQUIRE(std::fabs(r.auc2 - c.auc2) <= 1e-15);
        REQUIRE(close_rel(r.std_error, c.se, 1e-12));
        REQUIRE(close_rel(r.z, c.z, 1e-11));
        REQUIRE(close_rel(r.pvalue, c.p, 1e-11));
    }
}

// ---- properties --------------------------------------------------------------------------------

TEST_CASE("roc: the same score twice compares equal; row order does not matter", "[roc][delong]") {
    const auto d = golden_roc::synth(500, 77, 100);
    const auto same = dg::compare_auc_paired(d.s, d.s, d.y);
    REQUIRE(same.difference == 0.0);
    REQUIRE(same.std_error == 0.0);
    REQUIRE(same.z == 0.0);
    REQUIRE(same.pvalue == 1.0);

    // Reverse the rows: every result is unchanged.
    std::vector<double> s(d.s.rbegin(), d.s.rend()), s2(d.s2.rbegin(), d.s2.rend());
    std::vector<int> y(d.y.rbegin(), d.y.rend());
    REQUIRE(dg::roc_auc(s, y).auc == dg::roc_auc(d.s, d.y).auc);
    const auto a = dg::delong(s, y), b = dg::delong(d.s, d.y);
    REQUIRE(a.auc == b.auc);
    REQUIRE(close_rel(a.variance, b.variance, 1e-15));
    const auto p1 = dg::compare_auc_paired(s, s2, y), p2 = dg::compare_auc_paired(d.s, d.s2, d.y);
    REQUIRE(close_rel(p1.z, p2.z, 1e-13));
    // Swapping the two scores flips the sign of z and keeps p.
    const auto sw = dg::compare_auc_paired(d.s2, d.s, d.y);
    REQUIRE(sw.z == Approx(-p2.z).epsilon(1e-13));
    REQUIRE(sw.pvalue == Approx(p2.pvalue).epsilon(1e-13));
}

TEST_CASE("roc: unit weights equal the unweighted results; integer weights equal repeated rows", "[roc][weights]") {
    const auto d = golden_roc::synth(2000, 99, 50);
    const std::vector<double> ones(d.s.size(), 1.0);
    REQUIRE(dg::roc_auc(d.s, d.y, ones).auc == Approx(dg::roc_auc(d.s, d.y).auc).epsilon(1e-15));
    // Weight 2 on every third row == that row twice.
    std::vector<double> w(d.s.size(), 1.0), s_rep, s;
    std::vector<int> y_rep;
    for (std::size_t i = 0; i < d.s.size(); ++i) {
        const int times = i % 3 == 0 ? 2 : 1;
        w[i] = times;
        for (int t = 0; t < times; ++t) {
            s_rep.push_back(d.s[i]);
            y_rep.push_back(d.y[i]);
        }
    }
    REQUIRE(dg::roc_auc(d.s, d.y, w).auc == Approx(dg::roc_auc(s_rep, y_rep).auc).epsilon(1e-15));
    REQUIRE(dg::classifier_ks(d.s, d.y, w).statistic ==
            Approx(dg::classifier_ks(s_rep, y_rep).statistic).epsilon(1e-15));
}

TEST_CASE("roc: float scores and label types double, float, bool, unsigned", "[roc][types]") {
    const std::vector<float> sf{0.1f, 0.4f, 0.35f, 0.8f};
    const std::vector<double> yd{0.0, 0.0, 1.0, 1.0};
    const std::vector<float> yf{0.f, 0.f, 1.f, 1.f};
    const bool yb[] = {false, false, true, true};
    const std::vector<unsigned char> yu{0, 0, 1, 1};
    REQUIRE(dg::roc_auc(sf, yd).auc == 0.75);
    REQUIRE(dg::roc_auc(sf, yf).auc == 0.75);
    REQUIRE(dg::roc_auc(std::span<const float>(sf), std::span<const bool>(yb)).auc == 0.75);
    REQUIRE(dg::roc_auc(sf, yu).auc == 0.75);
    const std::vector<int> si{1, 4, 3, 8};
    REQUIRE(dg::roc_auc(si, yu).auc == 0.75);
    // A non-const span goes through the container overload without recursion.
    std::vector<double> sd{0.1, 0.4, 0.35, 0.8};
    REQUIRE(dg::roc_auc(std::span<double>(sd), yu).auc == 0.75);
}

// ---- edge cases ----------------------------------------------------------------------------

TEST_CASE("roc: edge-case table", "[roc][edge]") {
    SECTION("all scores tied: AUC 1/2, KS 0 at the only threshold") {
        const std::vector<double> s(6, 0.3);
        const std::vector<int> y{0, 1, 0, 1, 1, 0};
        REQUIRE(dg::roc_auc(s, y).auc == 0.5);
        REQUIRE(dg::roc_auc(s, y).gini == 0.0);
        const auto k = dg::classifier_ks(s, y);
        REQUIRE(k.statistic == 0.0);
        REQUIRE(k.threshold == 0.3);
        const auto c = dg::roc_curve(s, y);
        REQUIRE(c.fpr == std::vector<double>{0.0, 1.0});
        REQUIRE(c.tpr == std::vector<double>{0.0, 1.0});
        const auto d = dg::delong(s, y);
        REQUIRE(d.auc == 0.5);
        REQUIRE(d.variance == 0.0); // every placement value is 1/2
        REQUIRE(d.ci_lower == 0.5);
        REQUIRE(d.ci_upper == 0.5);
    }
    SECTION("perfect separation: AUC 1, KS 1 at the lowest positive score") {
        const std::vector<double> s{0.1, 0.2, 0.3, 0.7, 0.8};
        const std::vector<int> y{0, 0, 0, 1, 1};
        REQUIRE(dg::roc_auc(s, y).auc == 1.0);
        REQUIRE(dg::roc_auc(s, y).gini == 1.0);
        const auto k = dg::classifier_ks(s, y);
        REQUIRE(k.statistic == 1.0);
        REQUIRE(k.threshold == 0.7);
        const auto d = dg::delong(s, y);
        REQUIRE(d.variance == 0.0);
        REQUIRE(d.ci_lower == 1.0);
        REQUIRE(d.ci_upper == 1.0);
    }
    SECTION("reversed: AUC 0, Gini -1, KS 0") {
        const std::vector<double> s{0.9, 0.8, 0.1, 0.2};
        const std::vector<int> y{0, 0, 1, 1};
        REQUIRE(dg::roc_auc(s, y).auc == 0.0);
        REQUIRE(dg::roc_auc(s, y).gini == -1.0);
        REQUIRE(dg::classifier_ks(s, y).statistic == 0.0);
    }
    SECTION("one positive and one negative") {
        const std::vector<double> s{0.2, 0.6};
        const std::vector<int> y{0, 1};
        REQUIRE(dg::roc_auc(s, y).auc == 1.0);
        REQUIRE(dg::classifier_ks(s, y).statistic == 1.0);
        // DeLong needs two of each class.
        require_error([&] { (void)dg::delong(s, y); }, dg::errc::one_class, "at least 2 positives and 2 negatives");
    }
    SECTION("+inf and -inf are ordered scores") {
        const std::vector<double> s{-kInf, 0.0, kInf, 1.0};
        const std::vector<int> y{0, 1, 1, 0};
        // positives 0 and +inf; negatives -inf and 1: pairs 0 > -inf, 0 < 1, inf > -inf, inf > 1 -> 3/4.
        REQUIRE(dg::roc_auc(s, y).auc == 0.75);
        const auto c = dg::roc_curve(s, y);
        REQUIRE(c.thresholds.front() == kInf);
        REQUIRE(c.thresholds[1] == kInf);
        REQUIRE(c.thresholds.back() == -kInf);
        const auto k = dg::classifier_ks(s, y);
        REQUIRE(k.statistic == 0.5);
        REQUIRE(k.threshold == kInf);
    }
    SECTION("rows of weight 0 are dropped") {
        const std::vector<double> s{0.1, 0.4, 0.35, 0.8, 0.95};
        const std::vector<int> y{0, 0, 1, 1, 0};
        const std::vector<double> w{1, 1, 1, 1, 0};
        REQUIRE(dg::roc_auc(s, y, w).auc == 0.75);
        const auto t = dg::make_roc_table(s, y, w);
        REQUIRE(t.n == 4);
        REQUIRE(t.weighted);
        REQUIRE(dg::roc_curve(s, y, w).thresholds == std::vector<double>{1.8, 0.8, 0.4, 0.35, 0.1});
    }
}

TEST_CASE("roc: bad input throws driftgate::error with the right id and place", "[roc][edge][errors]") {
    const std::vector<double> s{0.1, 0.4, 0.35, 0.8};
    const std::vector<int> y{0, 0, 1, 1};
    const std::vector<double> empty;
    const std::vector<int> empty_y;
    require_error([&] { (void)dg::roc_auc(empty, empty_y); }, dg::errc::empty_sample, "no rows");
    require_error([&] { (void)dg::delong(empty, empty_y); }, dg::errc::empty_sample, "no rows");
    require_error([&] { (void)dg::roc_auc(s, std::vector<int>{0, 1, 1}); }, dg::errc::length_mismatch,
                  "scores have 4 elements but labels have 3");
    require_error([&] { (void)dg::roc_auc(s, y, std::vector<double>{1, 1}); }, dg::errc::length_mismatch,
                  "weights have 2");
    require_error([&] { (void)dg::compare_auc_paired(s, std::vector<double>{1, 2}, y); }, dg::errc::length_mismatch,
                  "second scores");
    require_error([&] { (void)dg::roc_auc(s, std::vector<int>{1, 1, 1, 1}); }, dg::errc::one_class,
                  "no negative label");
    require_error([&] { (void)dg::roc_curve(s, std::vector<int>{0, 0, 0, 0}); }, dg::errc::one_class,
                  "no positive label");
    require_error([&] { (void)dg::delong(s, std::vector<int>{0, 0, 0, 0}); }, dg::errc::one_class,
                  "no positive label");
    require_error([&] { (void)dg::roc_auc(s, y, std::vector<double>{1, 1, 0, 0}); }, dg::errc::one_class,
                  "no positive label (1) with positive weight");
    require_error([&] { (void)dg::roc_auc(s, std::vector<int>{0, 2, 1, 1}); }, dg::errc::bad_label,
                  "label at index 1 is 2");
    require_error([&] { (void)dg::roc_auc(s, std::vector<double>{0, 1, 0.5, 1}); }, dg::errc::bad_label,
                  "label at index 2 is 0.5");
    require_error([&] { (void)dg::roc_auc(s, std::vector<int>{0, 1, -1, 1}); }, dg::errc::bad_label,
                  "label at index 2 is -1");
    require_error([&] { (void)dg::roc_auc(s, std::vector<double>{0, 1, 1, kNaN}); }, dg::errc::bad_label,
                  "label at index 3 is NaN");
    require_error([&] { (void)dg::delong(s, std::vector<double>{kNaN, 1, 1, 0}); }, dg::errc::bad_label,
                  "label at index 0 is NaN");
    require_error([&] { (void)dg::roc_auc(std::vector<double>{0.1, kNaN, 0.3, 0.4}, y); }, dg::errc::non_finite,
                  "score at index 1 is NaN");
    require_error([&] { (void)dg::classifier_ks(std::vector<float>{0.1f, 0.2f, std::nanf(""), 0.4f}, y); },
                  dg::errc::non_finite, "score at index 2 is NaN");
    require_error([&] { (void)dg::delong(std::vector<double>{0.1, 0.2, 0.3, kNaN}, y); }, dg::errc::non_finite,
                  "score at index 3 is NaN");
    require_error([&] { (void)dg::roc_auc(s, y, std::vector<double>{1, -0.5, 1, 1}); }, dg::errc::negative_weight,
                  "weight at index 1");
    require_error([&] { (void)dg::roc_auc(s, y, std::vector<double>{1, 1, kInf, 1}); }, dg::errc::negative_weight,
                  "weight at index 2");
    require_error([&] { (void)dg::roc_auc(s, y, std::vector<double>{1, 1, 1, kNaN}); }, dg::errc::negative_weight,
                  "weight at index 3");
    require_error([&] { (void)dg::delong(s, y, 1.0); }, dg::errc::invalid_parameter, "confidence level");
    require_error([&] { (void)dg::delong(s, y, 0.0); }, dg::errc::invalid_parameter, "confidence level");
    require_error([&] { (void)dg::delong(s, y, kNaN); }, dg::errc::invalid_parameter, "confidence level");
    // The error is a std::invalid_argument whose message names the function.
    try {
        (void)dg::roc_auc(s, std::vector<int>{0, 2, 1, 1});
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        REQUIRE(std::string(e.what()).rfind("driftgate: make_roc_table: ", 0) == 0);
    }
}

TEST_CASE("roc: DeLong from a ROC table equals DeLong from the rows; a weighted table is refused", "[roc][delong]") {
    // The golden cases above check delong(scores, labels) against the direct O(n m) placements;
    // the table form must give the same numbers (it is what delong(scores, labels) computes).
    for (const auto& c : golden_roc::delong_cases) {
        const auto d = golden_roc::synth(c.n, c.seed, c.modulus);
        const auto table = dg::make_roc_table(d.s, d.y);
        const auto a = dg::delong(table, c.level), b = dg::delong(d.s, d.y, c.level);
        REQUIRE(a.auc == b.auc);
        REQUIRE(a.auc == dg::roc_auc(table).auc);
        REQUIRE(a.variance == b.variance);
        REQUIRE(a.ci_lower == b.ci_lower);
        REQUIRE(a.ci_upper == b.ci_upper);
        REQUIRE(close_rel(a.variance, c.var, 1e-12));
    }
    const std::vector<double> s{0.1, 0.4, 0.35, 0.8, 0.2, 0.7};
    const std::vector<int> y{0, 0, 1, 1, 0, 1};
    require_error([&] { (void)dg::delong(dg::make_roc_table(s, y, std::vector<double>{1, 2, 1, 1, 1, 1})); },
                  dg::errc::invalid_parameter, "sample weights");
    require_error([&] { (void)dg::delong(dg::make_roc_table(s, std::vector<int>{0, 0, 1, 0, 0, 0})); },
                  dg::errc::one_class, "at least 2 positives and 2 negatives (got 1 and 5)");
    require_error([&] { (void)dg::delong(dg::make_roc_table(s, y), 1.5); }, dg::errc::invalid_parameter,
                  "confidence level");
}

TEST_CASE("roc: DeLong interval level and clipping", "[roc][delong]") {
    const auto d = golden_roc::synth(3000, 5, 1000);
    const auto r90 = dg::delong(d.s, d.y, 0.90), r99 = dg::delong(d.s, d.y, 0.99);
    REQUIRE(r90.variance == r99.variance);
    // z(0.90) = 1.6448536269514722, z(0.99) = 2.5758293035489004 (scipy.stats.norm.isf(0.05), isf(0.005)).
    REQUIRE(r90.ci_upper - r90.auc == Approx(1.6448536269514722 * r90.std_error).epsilon(1e-13));
    REQUIRE(r99.auc - r99.ci_lower == Approx(2.5758293035489004 * r99.std_error).epsilon(1e-13));
    REQUIRE(r90.level == 0.90);
}

TEST_CASE("roc: radix-sorted paths (n >= 1024) with mixed signs, -0.0 and +0.0, ties: direct counts", "[roc][sort]") {
    // 3000 rows: every third score from a small set holding -0.0 and +0.0 (equal: one threshold),
    // the others spread over both signs and many exponents. The AUC is checked against the direct
    // pairwise count over all positive x negative pairs (ties count 1/2), computed here.
    const std::vector<double> few{-0.0, 0.0, -1.5, 2.5, 1e-300, -1e300};
    std::vector<double> s;
    std::vector<int> y;
    std::uint64_t state = 12345;
    auto next = [&] {  // splitmix64
        std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        return z ^ (z >> 31);
    };
    for (int i = 0; i < 3000; ++i) {
        const std::uint64_t r = next();
        if (i % 3 == 0) s.push_back(few[r % few.size()]);
        else s.push_back(std::ldexp(static_cast<double>(r >> 11) / 9007199254740992.0 - 0.5, static_cast<int>(r % 200) - 100));
        y.push_back(static_cast<int>((next() >> 7) & 1));
    }
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (y[i] != 1) continue;
        for (std::size_t j = 0; j < s.size(); ++j) {
            if (y[j] != 0) continue;
            pairs += 1;
            wins += s[i] > s[j] ? 1.0 : (s[i] == s[j] ? 0.5 : 0.0);
        }
    }
    const double direct = wins / pairs;
    REQUIRE(std::fabs(dg::roc_auc(s, y).auc - direct) <= 1e-15);
    REQUIRE(std::fabs(dg::delong(s, y).auc - direct) <= 1e-15);
    // Thresholds strictly decreasing, one per distinct value (-0.0 == +0.0).
    const auto t = dg::make_roc_table(s, y);
    std::vector<double> distinct(s);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    REQUIRE(t.thresholds.size() == distinct.size());
    for (std::size_t i = 0; i < t.thresholds.size(); ++i) {
        REQUIRE(t.thresholds[i] == distinct[distinct.size() - 1 - i]);
        if (i > 0) REQUIRE(t.thresholds[i] < t.thresholds[i - 1]);
    }
    // Per-threshold counts equal direct counts of the rows at that value.
    for (std::size_t i = 0; i < t.thresholds.size(); i += 97) {
        double pos = 0, neg = 0;
        for (std::size_t k = 0; k < s.size(); ++k)
            if (s[k] == t.thresholds[i]) (y[k] == 1 ? pos : neg) += 1;
        REQUIRE(t.pos[i] == pos);
        REQUIRE(t.neg[i] == neg);
    }
}

TEST_CASE("make_roc_table: the unweighted table (class-wise sorts) equals the weighted one with unit weights", "[roc]") {
    // Two code paths: unweighted scores are sorted per class and merged (without branches when
    // neither class has ties: the nearly distinct scores at n <= 5000); weighted rows are sorted
    // together. With every weight 1 the tables must be the same, zero signs included.
    std::uint64_t state = 99;
    auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL, state >> 33; };
    const double specials[] = {0.0, -0.0, std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(), 0.5, 1.0};
    for (const std::size_t n : {1u, 2u, 7u, 500u, 5000u, 60000u}) {
        for (int kind = 0; kind < 3; ++kind) {
            std::vector<double> s(n), y(n), w(n, 1.0);
            for (std::size_t i = 0; i < n; ++i) {
                const auto r = next();
                s[i] = kind == 0   ? static_cast<double>(r % 1000003) / 1000003.0       // nearly distinct
                       : kind == 1 ? static_cast<double>(r % 7) / 8.0                    // codes: long ties
                                   : specials[r % 6];                                    // signed zeros, infinities
                y[i] = static_cast<double>((r >> 20) % 2);
            }
            y[0] = 1.0;
            if (n > 1) y[1] = 0.0;
            else y[0] = 0.0;  // n == 1: one class only, both paths must refuse it
            INFO("n = " << n << ", kind " << kind);
            if (n == 1) {
                CHECK_THROWS_AS(dg::make_roc_table(s, y), dg::error);
                CHECK_THROWS_AS(dg::make_roc_table(s, y, w), dg::error);
                continue;
            }
            const auto a = dg::make_roc_table(s, y);
            const auto b = dg::make_roc_table(s, y, w);
            REQUIRE(a.thresholds.size() == b.thresholds.size());
            bool same = true;
            for (std::size_t g = 0; g < a.thresholds.size(); ++g)
                same = same && std::signbit(a.thresholds[g]) == std::signbit(b.thresholds[g]) &&
                       a.thresholds[g] == b.thresholds[g] && a.pos[g] == b.pos[g] && a.neg[g] == b.neg[g];
            CHECK(same);
            CHECK(a.total_pos == b.total_pos);
            CHECK(a.total_neg == b.total_neg);
            CHECK(a.n == b.n);
            CHECK_FALSE(a.weighted);
            // The classifier KS reads counts with plain sums, weights with compensated ones.
            const auto ka = dg::classifier_ks(a), kb = dg::classifier_ks(b);
            CHECK(ka.statistic == kb.statistic);
            CHECK(ka.threshold == kb.threshold);
            CHECK(ka.tpr == kb.tpr);
            CHECK(ka.fpr == kb.fpr);
        }
    }
}
