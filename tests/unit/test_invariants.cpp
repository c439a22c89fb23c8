// Property tests: invariants that hold for every input, checked on thousands of seeded random
// cases each (mixtures of continuous values, heavy ties, missing values and infinities; tiny and
// unbalanced sizes). The figures asserted here come from the definitions, not from a reference
// implementation:
//   * KS: 0 <= D <= 1, 0 <= p <= 1, ln p <= 0; two-sided D and p unchanged when the samples are
//     swapped; "less" on (x, y) equals "greater" on (y, x) (scipy's convention, see ks.hpp);
//   * KS, AUC and the classifier KS depend on the values only through their order: unchanged
//     under strictly increasing transforms (applied where they create no new ties);
//   * AUC(-s) = 1 - AUC(s); all scores tied gives AUC 1/2;
//   * PSI >= 0, PSI(x, x) = 0, unchanged by permuting either sample; bin counts sum to n, missing
//     values included;
//   * exact and asymptotic KS p-values agree within a stated tolerance in the large-sample regime
//     (measured: see the test).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include <driftgate/evaluate.hpp>
#include <driftgate/ks.hpp>
#include <driftgate/psi.hpp>
#include <driftgate/roc.hpp>

#include "profile_support.hpp"

namespace dg = driftgate;

namespace {

using rng_t = std::mt19937_64;

std::size_t uniform_size(rng_t& rng, std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
}

/// A random sample of one of several kinds: continuous, small integers (heavy ties), a mixture with
/// missing values and infinities, or a single repeated value.
std::vector<double> random_sample(rng_t& rng, std::size_t n, int kind, double shift = 0.0) {
    std::normal_distribution<double> normal(shift, 1.0);
    std::uniform_int_distribution<int> small(-3, 3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> x(n);
    for (auto& v : x) {
        switch (kind) {
        case 0: v = normal(rng); break;
        case 1: v = small(rng) + (shift > 0 && u(rng) < 0.3 ? 1 : 0); break;
        case 2: {
            const double r = u(rng);
            v = r < 0.1 ? NAN : r < 0.15 ? INFINITY : r < 0.2 ? -INFINITY : normal(rng);
            break;
        }
        default: v = 2.5; break;
        }
    }
    return x;
}

/// Values on a grid k / 8 with k in [-40, 40]: transforms below keep distinct values distinct.
std::vector<double> grid_sample(rng_t& rng, std::size_t n, int offset) {
    std::uniform_int_distribution<int> k(-40 + offset, 40);
    std::vector<double> x(n);
    for (auto& v : x) v = k(rng) / 8.0;
    return x;
}

std::vector<double> mapped(const std::vector<double>& x, const std::function<double(double)>& f) {
    std::vector<double> y(x.size());
    std::transform(x.begin(), x.end(), y.begin(), f);
    return y;
}

/// Strictly increasing maps, each injective on the grid k / 8, |k| <= 40.
const std::vector<std::pair<const char*, std::function<double(double)>>> increasing{
    {"exp", [](double v) { return std::exp(v); }},
    {"cube", [](double v) { return v * v * v; }},
    {"affine", [](double v) { return 3.0 * v - 7.0; }},
    {"atan", [](double v) { return std::atan(v); }},
    {"logistic", [](double v) { return 1.0 / (1.0 + std::exp(-v)); }},
};

constexpr dg::alternative alternatives[] = {dg::alternative::two_sided, dg::alternative::less,
                                            dg::alternative::greater};
constexpr dg::ks_method methods[] = {dg::ks_method::automatic, dg::ks_method::exact, dg::ks_method::asymptotic};

dg::alternative mirrored(dg::alternative a) {
    return a == dg::alternative::less ? dg::alternative::greater
           : a == dg::alternative::greater ? dg::alternative::less
                                           : a;
}

} // namespace

TEST_CASE("KS: D, p and ln p in range; swapping the samples mirrors the alternative", "[invariants][ks]") {
    rng_t rng(20240601);
    int checked = 0;
    for (int c = 0; c < 2000; ++c) {
        const std::size_t n1 = uniform_size(rng, 1, c % 10 == 0 ? 400 : 40);
        const std::size_t n2 = c % 7 == 0 ? n1 : uniform_size(rng, 1, c % 10 == 0 ? 300 : 40);
        const int kind = c % 4;
        const auto x = random_sample(rng, n1, kind);
        const auto y = random_sample(rng, n2, kind == 3 ? 1 : kind, c % 3 == 0 ? 0.5 : 0.0);
        const auto sx = dg::sort_sample(x), sy = dg::sort_sample(y);
        if (sx.empty() || sy.empty()) continue;
        for (const auto alt : alternatives) {
            for (const auto m : methods) {
                INFO("case " << c << " n1 " << n1 << " n2 " << n2 << " alt " << int(alt) << " method " << int(m));
                const auto r = dg::ks_2samp(sx, sy, {alt, m});
                REQUIRE(r.statistic >= 0.0);
                REQUIRE(r.statistic <= 1.0);
                REQUIRE(r.pvalue >= 0.0);
                REQUIRE(r.pvalue <= 1.0);
                REQUIRE(r.log_pvalue <= 0.0);
                REQUIRE_FALSE(std::isnan(r.log_pvalue));
                if (r.pvalue > 1e-280) REQUIRE(r.log_pvalue == Approx(std::log(r.pvalue)).epsilon(1e-9).margin(1e-12));
                const auto s = dg::ks_2samp(sy, sx, {mirrored(alt), m});
                REQUIRE(s.statistic == r.statistic);
                REQUIRE(s.pvalue == Approx(r.pvalue).epsilon(1e-12).margin(1e-300));
                REQUIRE(s.method == r.method);
                ++checked;
            }
        }
    }
    CHECK(checked > 10000);
}

TEST_CASE("KS, AUC and classifier KS are unchanged by strictly increasing transforms", "[invariants][ks][roc]") {
    rng_t rng(7331);
    for (int c = 0; c < 1500; ++c) {
        const std::size_t n1 = uniform_size(rng, 1, 60), n2 = uniform_size(rng, 1, 60);
        const auto x = grid_sample(rng, n1, 0);
        const auto y = grid_sample(rng, n2, c % 3 == 0 ? 10 : 0);
        std::vector<double> labels(n1 + n2);
        std::fill(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(n1), 0.0);
        std::fill(labels.begin() + static_cast<std::ptrdiff_t>(n1), labels.end(), 1.0);
        std::vector<double> scores(x);
        scores.insert(scores.end(), y.begin(), y.end());
        const auto alt = alternatives[c % 3];
        const auto meth = methods[(c / 3) % 3];
        const auto base = dg::ks_2samp(x, y, {alt, meth});
        const auto auc = dg::roc_auc(scores, labels);
        const auto cks = dg::classifier_ks(scores, labels);
        for (const auto& [name, f] : increasing) {
            INFO("case " << c << " transform " << name);
            const auto t = dg::ks_2samp(mapped(x, f), mapped(y, f), {alt, meth});
            REQUIRE(t.statistic == base.statistic);
            REQUIRE(t.pvalue == base.pvalue);
            REQUIRE(t.log_pvalue == base.log_pvalue);
            const auto ts = mapped(scores, f);
            REQUIRE(dg::roc_auc(ts, labels).auc == auc.auc);
            const auto tk = dg::classifier_ks(ts, labels);
            REQUIRE(tk.statistic == cks.statistic);
            REQUIRE(tk.threshold == f(cks.threshold)); // the same cut, moved by the map
        }
    }
}

TEST_CASE("AUC(-s) = 1 - AUC(s); all scores tied give AUC 1/2; AUC and classifier KS in [0, 1]",
          "[invariants][roc]") {
    rng_t rng(99);
    std::bernoulli_distribution coin(0.3);
    int checked = 0;
    for (int c = 0; c < 3000; ++c) {
        const std::size_t n = uniform_size(rng, 2, c % 20 == 0 ? 2000 : 80);
        auto s = random_sample(rng, n, c % 2); // continuous or heavily tied
        if (c % 5 == 0) s[0] = INFINITY;
        if (c % 5 == 1) s[n - 1] = -INFINITY;
        std::vector<double> y(n);
        for (auto& v : y) v = coin(rng) ? 1.0 : 0.0;
        y[0] = 1.0;
        y[1] = 0.0;
        INFO("case " << c << " n " << n);
        const auto a = dg::roc_auc(s, y);
        REQUIRE(a.auc >= 0.0);
        REQUIRE(a.auc <= 1.0);
        const auto neg = mapped(s, [](double v) { return -v; });
        REQUIRE(dg::roc_auc(neg, y).auc == Approx(1.0 - a.auc).margin(1e-15));
        const std::vector<double> tied(n, s[0]);
        REQUIRE(dg::roc_auc(tied, y).auc == 0.5);
        REQUIRE(dg::classifier_ks(tied, y).statistic == 0.0);
        const auto k = dg::classifier_ks(s, y);
        REQUIRE(k.statistic >= 0.0);
        REQUIRE(k.statistic <= 1.0);
        REQUIRE(k.statistic == Approx(k.tpr - k.fpr).margin(1e-15));
        // Permuting the rows changes nothing.
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<double> ps(n), py(n);
        for (std::size_t i = 0; i < n; ++i) ps[i] = s[order[i]], py[i] = y[order[i]];
        REQUIRE(dg::roc_auc(ps, py).auc == a.auc);
        REQUIRE(dg::classifier_ks(ps, py).statistic == k.statistic);
        ++checked;
    }
    CHECK(checked == 3000);
}

TEST_CASE("PSI >= 0, PSI(x, x) = 0, permutation invariance, counts sum to n", "[invariants][psi]") {
    rng_t rng(4242);
    const dg::binning_method kinds[] = {dg::binning_method::automatic, dg::binning_method::quantile,
                                        dg::binning_method::uniform, dg::binning_method::distinct};
    int checked = 0;
    for (int c = 0; c < 2500; ++c) {
        const std::size_t n1 = uniform_size(rng, 1, c % 10 == 0 ? 2000 : 100);
        const std::size_t n2 = uniform_size(rng, 1, c % 10 == 0 ? 2000 : 100);
        const int kind = c % 4;
        auto x = random_sample(rng, n1, kind);
        auto y = random_sample(rng, n2, kind == 3 ? c % 3 : kind, c % 2 ? 0.7 : 0.0);
        if (dg::sort_sample(x).empty()) x.push_back(0.0);
        dg::binning_options o;
        o.method = kinds[c % 4];
        o.bins = uniform_size(rng, 1, 20);
        INFO("case " << c << " n1 " << x.size() << " n2 " << y.size() << " method " << dg::to_string(o.method));
        const auto r = dg::psi(x, y, o);
        REQUIRE(std::isfinite(r.value));
        REQUIRE(r.value >= 0.0);
        std::size_t sr = 0, sc = 0;
        for (const auto& b : r.bins) sr += b.reference_count, sc += b.current_count;
        REQUIRE(sr == x.size());
        REQUIRE(sc == y.size());
        REQUIRE(r.bins.back().reference_count ==
                static_cast<std::size_t>(std::count_if(x.begin(), x.end(), [](double v) { return std::isnan(v); })));
        REQUIRE(dg::psi(x, x, o).value == 0.0);
        std::shuffle(x.begin(), x.end(), rng);
        std::shuffle(y.begin(), y.end(), rng);
        REQUIRE(dg::psi(x, y, o).value == r.value);
        ++checked;
    }
    CHECK(checked == 2500);
}

TEST_CASE("PSI >= 0 and finite with unseen-value bins: value counts, discrete and categorical columns", "[invariants][psi]") {
    rng_t rng(5151);
    // psi_from_value_counts on random counts: value bins (some empty in one sample), the unseen
    // bin (empty in the reference by definition; often not in the current sample), the missing
    // bin; counts from 0 to 10^6 and epsilon from 1e-12 to 0.5.
    const double epsilons[] = {dg::default_psi_epsilon, 1e-12, 0.5, 0.01};
    int unseen_cases = 0;
    for (int c = 0; c < 3000; ++c) {
        const std::size_t k = uniform_size(rng, 1, c % 10 == 0 ? 300 : 30);
        const std::size_t big = c % 11 == 0 ? 1000000 : 60;
        std::vector<dg::psi_bin> bins(k + 2);
        std::size_t nr = 0, nc = 0;
        for (std::size_t i = 0; i < k; ++i) {
            bins[i].is_value = true;
            bins[i].lower = bins[i].upper = static_cast<double>(i);
            bins[i].reference_count = uniform_size(rng, c % 4 == 0 ? 0 : 1, big);
            bins[i].current_count = uniform_size(rng, 0, c % 3 == 0 ? 2 : big);
        }
        dg::psi_bin& unseen = bins[k];
        unseen.unseen = true;
        unseen.lower = unseen.upper = NAN;
        unseen.current_count = c % 5 == 0 ? 0 : uniform_size(rng, 0, c % 2 ? 3 : 10 * big);
        dg::psi_bin& missing = bins[k + 1];
        missing.missing = true;
        missing.lower = missing.upper = NAN;
        missing.reference_count = c % 6 == 0 ? uniform_size(rng, 0, big) : 0;
        missing.current_count = c % 7 == 0 ? uniform_size(rng, 0, big) : 0;
        for (const auto& b : bins) nr += b.reference_count, nc += b.current_count;
        if (nr == 0) bins[0].reference_count = 1, nr = 1;
        if (nc == 0) unseen.current_count = 1, nc = 1;
        const double eps = epsilons[c % 4];
        const bool has_unseen = bins[k].current_count > 0;
        INFO("case " << c << " k " << k << " nr " << nr << " nc " << nc << " eps " << eps);
        const auto r = dg::psi_from_value_counts(bins, nr, nc, dg::psi_options{eps});
        REQUIRE(std::isfinite(r.value));
        REQUIRE(r.value >= 0.0);
        double sum = 0.0;
        for (const auto& b : r.bins) {
            REQUIRE(std::isfinite(b.contribution));
            REQUIRE(b.contribution >= 0.0);  // (c - r) and ln(c / r) have one sign
            sum += b.contribution;
        }
        REQUIRE(r.value == Approx(sum).epsilon(1e-12).margin(1e-300));
        if (has_unseen) {
            ++unseen_cases;
            REQUIRE(r.value > 0.0);
            REQUIRE(r.empty_reference_bins >= 1);
        }
    }
    CHECK(unseen_cases > 1500);

    // Through evaluate: a discrete column of codes and a categorical column of texts, the current
    // file holding codes and categories the reference never had, and missing values.
    dg::policy p;
    p.columns.score = "";
    p.columns.label = "";
    p.features["d"].kind = dg::column_kind::discrete;
    p.features["t"].kind = dg::column_kind::categorical;
    int judged = 0;
    for (int c = 0; c < 400; ++c) {
        const std::size_t n1 = uniform_size(rng, 1, c % 10 == 0 ? 3000 : 200);
        const std::size_t n2 = uniform_size(rng, 1, c % 10 == 0 ? 3000 : 200);
        const int ref_codes = static_cast<int>(uniform_size(rng, 1, 12));
        const int cur_codes = ref_codes + static_cast<int>(uniform_size(rng, 0, 6));  // codes above ref_codes are unseen
        const double missing = c % 3 == 0 ? 0.2 : 0.0;
        std::uniform_real_distribution<double> u(0.0, 1.0);
        auto codes = [&](std::size_t n, int m) {
            std::vector<double> v(n);
            for (auto& x : v) x = u(rng) < missing ? NAN : static_cast<double>(uniform_size(rng, 0, static_cast<std::size_t>(m - 1))) - 2.0;
            return v;
        };
        auto cats = [&](std::size_t n, int m) {
            std::vector<std::optional<std::string>> v(n);
            for (auto& x : v)
                if (!(u(rng) < missing)) x = "cat" + std::to_string(uniform_size(rng, 0, static_cast<std::size_t>(m - 1)));
            return v;
        };
        auto xd = codes(n1, ref_codes), yd = codes(n2, cur_codes);
        auto xt = cats(n1, ref_codes), yt = cats(n2, cur_codes);
        // The reference needs a value in each column.
        xd[0] = 0.0;
        xt[0] = "cat0";
        const dg::profile ref = profile_support::profile_of({profile_support::numbers("d", xd), profile_support::texts("t", xt)}, n1);
        const dg::profile cur = profile_support::profile_of({profile_support::numbers("d", yd), profile_support::texts("t", yt)}, n2);
        INFO("case " << c << " n1 " << n1 << " n2 " << n2 << " codes " << ref_codes << " -> " << cur_codes);
        const dg::report r = dg::evaluate(ref, cur, p);
        for (const char* col : {"d", "t"}) {
            const dg::check* psi = profile_support::find_check(r, "psi", col);
            REQUIRE(psi != nullptr);
            REQUIRE(std::isfinite(psi->value));
            REQUIRE(psi->value >= 0.0);
            ++judged;
        }
        const dg::report same = dg::evaluate(ref, ref, p);
        REQUIRE(profile_support::find_check(same, "psi", "d")->value == 0.0);
        REQUIRE(profile_support::find_check(same, "psi", "t")->value == 0.0);
    }
    CHECK(judged == 800);
}

// Exact vs asymptotic KS p-values in the large-sample regime. Measured on 300 pairs of normal
// samples (sizes 1000..3000, mean shift 0..0.2, p_exact > 1e-6): the largest relative difference
// |p_asymp - p_exact| / p_exact was 0.018 for two-sided tests with n1 != n2 and 0.085 with
// n1 == n2 (the exact distribution of D is a lattice of step 1/n there), 0.085 one-sided (n1 == n2;
// one-sided exact with n1 != n2 this large falls back to the asymptotic formula, as scipy's does).
// The bounds below leave a margin of about 2.
TEST_CASE("KS: exact and asymptotic p-values agree for n1, n2 >= 1000 and p > 1e-6", "[invariants][ks]") {
    rng_t rng(1234567);
    std::uniform_real_distribution<double> shift(0.0, 0.2);
    double worst_unequal = 0.0, worst_equal = 0.0;
    int compared = 0;
    for (int c = 0; c < 40; ++c) {
        const std::size_t n1 = uniform_size(rng, 1000, 3000);
        const std::size_t n2 = c % 2 ? n1 : uniform_size(rng, 1000, 3000);
        const auto x = random_sample(rng, n1, 0);
        const auto y = random_sample(rng, n2, 0, shift(rng));
        for (const auto alt : alternatives) {
            if (alt != dg::alternative::two_sided && n1 != n2) continue;
            const auto e = dg::ks_2samp(x, y, {alt, dg::ks_method::exact});
            const auto a = dg::ks_2samp(x, y, {alt, dg::ks_method::asymptotic});
            REQUIRE_FALSE(e.fell_back);
            REQUIRE(e.method == dg::ks_method::exact);
            if (e.pvalue <= 1e-6) continue;
            const double rel = std::fabs(a.pvalue - e.pvalue) / e.pvalue;
            (n1 == n2 ? worst_equal : worst_unequal) = std::max(n1 == n2 ? worst_equal : worst_unequal, rel);
            ++compared;
        }
    }
    INFO("worst relative difference: n1 != n2 " << worst_unequal << ", n1 == n2 " << worst_equal);
    CHECK(compared >= 60);
    CHECK(worst_unequal < 0.04);
    CHECK(worst_equal < 0.17);
}
