// Tests of evaluate() (evaluate.hpp, checks_schema/quality/drift.hpp, checks_performance.hpp) against
// docs/policy.md: column kinds and their overrides; PSI over value bins with the unseen-value bin
// and over quantile bins; chi-square, KS, Jensen-Shannon and Wasserstein against scipy; schema
// checks and their severities; nothing to judge; data quality (all missing, the missing share's
// two-proportion test against statsmodels, out of range, unseen values); multiple-testing
// corrections against statsmodels; effect gates; performance with probabilities and with points
// against scikit-learn; proxies against statsmodels and scipy; and the executor.
// Golden figures: tests/golden/evaluate/gen_evaluate.py (its sources are listed there); hand
// formulas are written out below where a figure is simple enough.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <driftgate/evaluate.hpp>
#include <driftgate/profile_io.hpp>

#include "golden/evaluate/evaluate_golden.hpp"
#include "profile_support.hpp"
#include "test_support.hpp"

namespace dg = driftgate;
namespace g = evaluate_golden;
using namespace profile_support;
using test_support::close_rel;
using test_support::kNaN;
using test_support::require_error;

namespace {

/// gen_evaluate.py's formula: x_i = frac(i * mult) * scale + shift, i = 1..n, floored to a grid
/// of 1/grid first when grid > 0, NaN when nan_every > 0 and i % nan_every == 0.
std::vector<double> sample(std::size_t n, double mult, double scale = 1.0, double shift = 0.0, double grid = 0.0,
                           std::size_t nan_every = 0) {
    std::vector<double> out;
    out.reserve(n);
    for (std::size_t i = 1; i <= n; ++i) {
        if (nan_every > 0 && i % nan_every == 0) {
            out.push_back(kNaN);
            continue;
        }
        double v = static_cast<double>(i) * mult;
        v = (v - std::floor(v)) * scale;
        if (grid > 0) v = std::floor(v * grid) / grid;
        out.push_back(v + shift);
    }
    return out;
}

/// `k` copies of each value.
std::vector<double> repeat(std::initializer_list<std::pair<double, std::size_t>> runs) {
    std::vector<double> v;
    for (const auto& [x, k] : runs) v.insert(v.end(), k, x);
    return v;
}

/// A text column from category counts.
dg::raw_column categories(std::string name, std::vector<std::string> names, std::vector<std::uint64_t> counts,
                          std::uint64_t missing) {
    dg::raw_column c;
    c.name = std::move(name);
    c.type = dg::value_type::text;
    c.categories.names = std::move(names);
    c.categories.counts = std::move(counts);
    c.categories.missing = missing;
    return c;
}

std::uint64_t rows_of(const dg::raw_column& c) {
    if (c.type == dg::value_type::text) {
        std::uint64_t n = c.categories.missing;
        for (auto k : c.categories.counts) n += k;
        return n;
    }
    return c.values.size();
}

/// A snapshot's profile from its columns (the header: their names, then `extra`).
dg::profile snapshot(std::vector<dg::raw_column> cols, std::vector<std::string> extra = {}, const std::string& source = "snapshot.csv") {
    const std::uint64_t rows = cols.empty() ? 0 : rows_of(cols.front());
    return profile_of(std::move(cols), rows, source, std::move(extra));
}

/// A policy without a score or label column (drift only).
dg::policy drift_policy() {
    dg::policy p;
    p.columns.score = "";
    p.columns.label = "";
    return p;
}

const dg::check& get(const dg::report& r, const std::string& name, const std::string& column) {
    const dg::check* c = find_check(r, name, column);
    INFO("check " << name << " on " << column);
    REQUIRE(c != nullptr);
    return *c;
}

double detail(const dg::check& c, const char* key) {
    const dg::field* f = c.details.find(key);
    INFO("detail " << key << " of " << c.name << "/" << c.column);
    REQUIRE(f != nullptr);
    return f->as_double();
}

std::string text_detail(const dg::check& c, const char* key) {
    const dg::field* f = c.details.find(key);
    INFO("detail " << key << " of " << c.name << "/" << c.column);
    REQUIRE(f != nullptr);
    return f->as_text();
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// prefix followed by i ("f0", "f1", ...).
std::string indexed(const char* prefix, int i) {
    std::string s(prefix);
    s += std::to_string(i);
    return s;
}

constexpr double eps = 1e-4;

/// One PSI term with epsilon smoothing, by hand.
double term(double r, double c) {
    if (r == 0 && c == 0) return 0;
    r = r == 0 ? eps : r;
    c = c == 0 ? eps : c;
    return (c - r) * std::log(c / r);
}

} // namespace

// ---- column kinds -----------------------------------------------------------------------------------

TEST_CASE("evaluate: column kinds from the reference, and their overrides", "[evaluate]") {
    const std::size_t n = 420;
    std::vector<double> flag, d20, c21;
    std::vector<std::optional<std::string>> txt;
    for (std::size_t i = 0; i < n; ++i) {
        flag.push_back(static_cast<double>(i % 2));
        d20.push_back(static_cast<double>(i % 20));
        c21.push_back(static_cast<double>(i % 21));
        txt.push_back(std::string(1, static_cast<char>('a' + i % 3)));
    }
    auto make = [&] {
        std::vector<dg::raw_column> cols;
        cols.push_back(numbers("flag", flag, dg::value_type::boolean));
        cols.push_back(numbers("d20", d20));
        cols.push_back(numbers("c21", c21));
        cols.push_back(texts("txt", txt));
        return snapshot(std::move(cols));
    };
    const dg::profile ref = make(), cur = make();
    auto test_of = [&](const dg::report& r, const std::string& col) -> std::string {
        for (const char* t : {"ks", "chi2"})
            if (find_check(r, t, col)) return t;
        return "none";
    };
    auto kind_of = [&](const dg::report& r, const std::string& col) { return text_detail(get(r, "psi", col), "kind"); };

    dg::policy p = drift_policy();
    const dg::report r = dg::evaluate(ref, cur, p);
    CHECK(kind_of(r, "flag") == "discrete");  // booleans
    CHECK(kind_of(r, "d20") == "discrete");   // 20 distinct values: at most max_distinct
    CHECK(kind_of(r, "c21") == "continuous"); // 21
    CHECK(kind_of(r, "txt") == "categorical");
    CHECK(test_of(r, "flag") == "chi2");
    CHECK(test_of(r, "d20") == "chi2");
    CHECK(test_of(r, "c21") == "ks");
    CHECK(test_of(r, "txt") == "chi2");
    CHECK(find_check(r, "wasserstein", "c21") != nullptr);  // continuous only
    CHECK(find_check(r, "wasserstein", "d20") == nullptr);
    CHECK(text_detail(get(r, "psi", "d20"), "binning") == "values");
    CHECK(text_detail(get(r, "psi", "txt"), "binning") == "categories");
    CHECK(text_detail(get(r, "psi", "c21"), "binning") == "quantile");

    // max_distinct, globally and per feature.
    p.drift.max_distinct = 21;
    CHECK(kind_of(dg::evaluate(ref, cur, p), "c21") == "discrete");
    p.drift.max_distinct = 20;
    p.features["c21"].max_distinct = 21;
    CHECK(kind_of(dg::evaluate(ref, cur, p), "c21") == "discrete");
    p.features.clear();
    p.drift.max_distinct = 19;
    CHECK(kind_of(dg::evaluate(ref, cur, p), "d20") == "continuous");
    CHECK(kind_of(dg::evaluate(ref, cur, p), "flag") == "discrete");  // booleans whatever the limit

    // Kinds set per feature.
    dg::policy q = drift_policy();
    q.features["d20"].kind = dg::column_kind::continuous;
    q.features["c21"].kind = dg::column_kind::discrete;
    q.features["flag"].kind = dg::column_kind::continuous;
    const dg::report o = dg::evaluate(ref, cur, q);
    CHECK(kind_of(o, "d20") == "continuous");
    CHECK(test_of(o, "d20") == "ks");
    CHECK(kind_of(o, "c21") == "discrete");
    CHECK(test_of(o, "c21") == "chi2");
    CHECK(kind_of(o, "flag") == "continuous");
    q.features["txt"].kind = dg::column_kind::continuous;
    require_error([&] { (void)dg::evaluate(ref, cur, q); }, dg::errc::invalid_parameter, "column \"txt\" holds texts: it can only be categorical");

    // Tests set globally and per feature: KS on a discrete column, chi-square over a continuous
    // column's PSI bins (10 quantile bins: dof 9).
    dg::policy t = drift_policy();
    t.drift.test = dg::drift_test::ks;
    t.features["txt"].test = dg::drift_test::chi2;  // texts take chi2 only
    const dg::report k = dg::evaluate(ref, cur, t);
    CHECK(test_of(k, "d20") == "ks");
    CHECK(test_of(k, "txt") == "chi2");
    t.features["txt"].test.reset();
    require_error([&] { (void)dg::evaluate(ref, cur, t); }, dg::errc::invalid_parameter, "KS needs ordered values");
    dg::policy u = drift_policy();
    u.features["c21"].test = dg::drift_test::chi2;
    const dg::check x = get(dg::evaluate(ref, cur, u), "chi2", "c21");
    CHECK(detail(x, "dof") == 9);
    CHECK(text_detail(x, "kind") == "continuous");
}

// ---- PSI over value bins, chi-square, Jensen-Shannon ------------------------------------------------

TEST_CASE("evaluate: a flag always 0 in the reference and 1 in half the current rows", "[evaluate]") {
    const dg::profile ref = snapshot({numbers("flag", std::vector<double>(1000, 0.0))});
    const dg::profile cur = snapshot({numbers("flag", repeat({{0.0, 500}, {1.0, 500}}))});
    const dg::report r = dg::evaluate(ref, cur, drift_policy());
    const dg::check& psi = get(r, "psi", "flag");
    // Bins: value 0 (r = 1, c = 0.5), unseen (r = 0 -> eps, c = 0.5), missing (empty in both).
    const double hand = (0.5 - 1.0) * std::log(0.5 / 1.0) + (0.5 - eps) * std::log(0.5 / eps);
    CHECK(psi.value == Approx(hand).epsilon(1e-15));
    CHECK(psi.value == Approx(g::flag_psi).epsilon(1e-15));
    CHECK(psi.value > 4.6);
    CHECK(psi.level == dg::severity::critical);
    CHECK(contains(psi.note, "values the reference never had"));
    const auto& bins = psi.details.find("bins")->as_list();
    REQUIRE(bins.size() == 3);
    CHECK(bins[0].find("value")->as_double() == 0.0);
    CHECK(bins[1].find("unseen")->as_bool());
    CHECK(bins[1].find("current_count")->as_uint() == 500);
    CHECK(bins[2].find("missing")->as_bool());

    const dg::check& unseen = get(r, "unseen_values", "flag");
    CHECK(unseen.value == 0.5);
    CHECK(unseen.level == dg::severity::critical);
    const dg::check& range = get(r, "out_of_range", "flag");  // numbers: outside [0, 0]
    CHECK(range.value == 0.5);
    CHECK(range.level == dg::severity::critical);

    const dg::check& chi2 = get(r, "chi2", "flag");
    CHECK(chi2.value == Approx(g::flag_chi2_pvalue).epsilon(1e-11));
    CHECK(detail(chi2, "statistic") == Approx(g::flag_chi2_statistic).epsilon(1e-14));
    CHECK(detail(chi2, "dof") == g::flag_chi2_dof);
    CHECK(chi2.details.find("yates")->as_bool());
    CHECK(detail(chi2, "cramers_v") == Approx(g::flag_cramers_v).epsilon(1e-14));
    CHECK(chi2.level == dg::severity::critical);
    CHECK(get(r, "jensen_shannon", "flag").value == Approx(g::flag_js).epsilon(1e-14));
    CHECK(get(r, "jensen_shannon", "flag").level == dg::severity::ok);  // off by default

    // The same cells read as booleans: discrete too, and no out_of_range check (not for booleans).
    const dg::profile bref = snapshot({numbers("flag", std::vector<double>(1000, 0.0), dg::value_type::boolean)});
    const dg::profile bcur = snapshot({numbers("flag", repeat({{0.0, 500}, {1.0, 500}}), dg::value_type::boolean)});
    const dg::report b = dg::evaluate(bref, bcur, drift_policy());
    CHECK(get(b, "psi", "flag").value == psi.value);
    CHECK(count_checks(b, "out_of_range", "flag") == 0);
    CHECK(get(b, "unseen_values", "flag").value == 0.5);
}

TEST_CASE("evaluate: codes {0, 1, 2} become {0, 1, 9}", "[evaluate]") {
    const dg::profile ref = snapshot({numbers("code", repeat({{0, 500}, {1, 300}, {2, 200}}))});
    const dg::profile cur = snapshot({numbers("code", repeat({{0, 500}, {1, 300}, {9, 200}}))});
    const dg::report r = dg::evaluate(ref, cur, drift_policy());
    // Bin 2: r = 0.2, c = 0 -> eps; unseen: r = 0 -> eps, c = 0.2; 0 and 1 unchanged.
    const double hand = 2 * (0.2 - eps) * std::log(0.2 / eps);
    const dg::check& psi = get(r, "psi", "code");
    CHECK(psi.value == Approx(hand).epsilon(1e-15));
    CHECK(psi.value == Approx(g::codes_psi).epsilon(1e-15));
    CHECK(detail(psi, "empty_reference_bins") == 1);
    CHECK(detail(psi, "empty_current_bins") == 1);
    CHECK(psi.details.find("smoothed")->as_bool());
    const dg::check& chi2 = get(r, "chi2", "code");
    CHECK(chi2.value == Approx(g::codes_chi2_pvalue).epsilon(1e-11));
    CHECK(detail(chi2, "statistic") == Approx(g::codes_chi2_statistic).epsilon(1e-14));
    CHECK(detail(chi2, "dof") == g::codes_chi2_dof);
    CHECK_FALSE(chi2.details.find("yates")->as_bool());
    CHECK(detail(chi2, "cramers_v") == Approx(g::codes_cramers_v).epsilon(1e-14));
    CHECK(get(r, "jensen_shannon", "code").value == Approx(g::codes_js).epsilon(1e-14));
    CHECK(get(r, "unseen_values", "code").value == 0.2);
    CHECK(get(r, "out_of_range", "code").value == 0.2);
    CHECK(get(r, "out_of_range", "code").level == dg::severity::critical);
}

TEST_CASE("evaluate: 200 new codes or categories once each: chi2 pools them in one unseen-value column", "[evaluate]") {
    // Reference 500 x 1, 500 x 2; current 400 x 1, 400 x 2 and 200 values the reference never had.
    // The table is [[500, 500, 0], [400, 400, 200]] (gen_evaluate.py): p 5.6e-49, critical. One
    // column per new value would give p 0.145 and pass the shift.
    std::vector<double> ref_codes = repeat({{1, 500}, {2, 500}}), cur_codes = repeat({{1, 400}, {2, 400}});
    std::vector<std::optional<std::string>> ref_cats, cur_cats;
    for (const double v : ref_codes) ref_cats.push_back(v == 1 ? "A" : "B");
    for (const double v : cur_codes) cur_cats.push_back(v == 1 ? "A" : "B");
    for (int k = 0; k < 200; ++k) {
        cur_codes.push_back(100.0 + k);
        cur_cats.push_back("n" + std::to_string(1000 + k));
    }
    const dg::profile ref = snapshot({numbers("code", ref_codes), texts("cat", ref_cats)});
    const dg::profile cur = snapshot({numbers("code", cur_codes), texts("cat", cur_cats)});
    const dg::report r = dg::evaluate(ref, cur, drift_policy());
    for (const char* column : {"code", "cat"}) {
        INFO(column);
        const dg::check& chi2 = get(r, "chi2", column);
        CHECK(chi2.value == Approx(g::new_codes_chi2_pvalue).epsilon(1e-11));
        CHECK(detail(chi2, "statistic") == Approx(g::new_codes_chi2_statistic).epsilon(1e-14));
        CHECK(detail(chi2, "dof") == g::new_codes_chi2_dof);
        CHECK(detail(chi2, "cramers_v") == Approx(g::new_codes_cramers_v).epsilon(1e-14));
        CHECK(chi2.level == dg::severity::critical);
    }
    // The library's test of two samples keeps a column per distinct value, as chi2_contingency of
    // their crosstab does.
    const dg::chi2_result per_value = dg::chi2_homogeneity(dg::sort_sample(ref_codes), dg::sort_sample(cur_codes));
    CHECK(per_value.pvalue == Approx(g::new_codes_chi2_pvalue_per_value).epsilon(1e-11));
    CHECK(per_value.dof == 201);
}

TEST_CASE("evaluate: a binary column 40 % -> 60 % has PSI > 0, as values and under quantile binning", "[evaluate]") {
    const dg::profile ref = snapshot({numbers("b", repeat({{0, 600}, {1, 400}}))});
    const dg::profile cur = snapshot({numbers("b", repeat({{0, 400}, {1, 600}}))});
    const double hand = (0.4 - 0.6) * std::log(0.4 / 0.6) + (0.6 - 0.4) * std::log(0.6 / 0.4);  // = 0.4 ln 1.5
    dg::policy p = drift_policy();
    p.drift.binning = dg::binning_method::quantile;  // continuous columns only: b stays discrete
    const dg::report r = dg::evaluate(ref, cur, p);
    CHECK(get(r, "psi", "b").value == Approx(hand).epsilon(1e-15));
    CHECK(get(r, "psi", "b").value == Approx(g::binary_psi_values).epsilon(1e-15));
    CHECK(get(r, "psi", "b").level == dg::severity::warning);
    CHECK(get(r, "chi2", "b").value == Approx(g::binary_chi2_pvalue).epsilon(1e-11));
    CHECK(detail(get(r, "chi2", "b"), "statistic") == Approx(g::binary_chi2_statistic).epsilon(1e-14));

    // Judged as continuous with quantile bins: the deciles 0, ..., 0, 0.4, 1, ... give the edge 0.4
    // (numpy's interpolation) and two bins, (-inf, 0.4) and [0.4, inf): the same shares.
    p.features["b"].kind = dg::column_kind::continuous;
    const dg::report c = dg::evaluate(ref, cur, p);
    const dg::check& psi = get(c, "psi", "b");
    CHECK(psi.value == Approx(g::binary_psi_quantile).epsilon(1e-15));
    CHECK(psi.value == Approx(hand).epsilon(1e-15));
    const auto& bins = psi.details.find("bins")->as_list();
    REQUIRE(bins.size() == 3);
    CHECK(bins[0].find("upper")->as_double() == g::binary_quantile_edge);
    CHECK(get(c, "ks", "b").value == Approx(g::binary_ks_pvalue).epsilon(1e-10));
    CHECK(detail(get(c, "ks", "b"), "statistic") == Approx(g::binary_ks_statistic).epsilon(1e-15));

    // 11 rows, 6 zeros and 5 ones: every decile is 0 or 1, the edges collapse into one bin, and
    // one bin per value is used instead, with a note.
    const dg::profile sref = snapshot({numbers("b", repeat({{0, 6}, {1, 5}}))});
    const dg::profile scur = snapshot({numbers("b", repeat({{0, 4}, {1, 7}}))});
    const dg::check s = get(dg::evaluate(sref, scur, p), "psi", "b");
    const double small = term(6.0 / 11, 4.0 / 11) + term(5.0 / 11, 7.0 / 11);
    CHECK(s.value == Approx(small).epsilon(1e-15));
    CHECK(s.value == Approx(g::binary_small_psi).epsilon(1e-15));
    CHECK(s.value > 0.0);
    CHECK(contains(s.note, "collapsed"));

    // A constant reference: its deciles make one bin, (-inf, inf), that held every current value:
    // PSI 0, and chi-square over it 0 degrees of freedom, p = 1, whatever the current values. Its
    // one value gets a bin instead, beside the unseen-value bin that the current 2s fall in.
    const dg::profile kref = snapshot({numbers("b", repeat({{1, 1000}}))});
    const dg::profile kcur = snapshot({numbers("b", repeat({{1, 500}, {2, 500}}))});
    p.features["b"].test = dg::drift_test::chi2;
    const dg::report k = dg::evaluate(kref, kcur, p);
    CHECK(contains(get(k, "psi", "b").note, "collapsed"));
    CHECK(get(k, "psi", "b").level == dg::severity::critical);
    CHECK(detail(get(k, "chi2", "b"), "dof") == 1.0);  // 2 bins: the value 1, the unseen values
    CHECK(get(k, "chi2", "b").level == dg::severity::critical);
    // Against itself: no drift, as before.
    const dg::report same = dg::evaluate(kref, kref, p);
    CHECK(get(same, "psi", "b").value == 0.0);
    CHECK(get(same, "chi2", "b").value == 1.0);
}

TEST_CASE("evaluate: a zero-inflated amount (most rows one value, >256 distinct) gets a bin for that value", "[evaluate]") {
    // Reference: 3000 zeros and the 300 amounts 1..300 (301 distinct values, so quantile bins).
    // Every decile but the last is 0 (numpy: np.quantile(ref, 0.9) = ref[2969.1] = 0), so the
    // quantile edges alone give one bin and a PSI of 0 whatever the current file holds. Zero holds
    // 10/11 >= 1/10 of the reference and shares its bin: it gets [0, next double), the rest
    // [next double, inf). Current: half zeros. By hand: PSI = term(10/11, 1/2) + term(1/11, 1/2).
    std::vector<double> r(3000, 0.0), c(1650, 0.0);
    for (int k = 0; k < 300; ++k) r.push_back(k + 1.0);
    for (int k = 0; k < 1650; ++k) c.push_back(k % 300 + 1.0);
    const dg::profile ref = snapshot({numbers("amount", r)});
    const dg::profile cur = snapshot({numbers("amount", c)});
    const dg::report rep = dg::evaluate(ref, cur, drift_policy());
    const dg::check& psi = get(rep, "psi", "amount");
    const double hand = term(10.0 / 11, 0.5) + term(1.0 / 11, 0.5);
    CHECK(psi.value == Approx(hand).epsilon(1e-14));
    CHECK(psi.level == dg::severity::critical);
    CHECK(contains(psi.note, "bins of their own"));
    const auto& bins = psi.details.find("bins")->as_list();
    REQUIRE(bins.size() == 3);  // (-inf, 0+), [0+, inf), missing
    CHECK(bins[0].find("upper")->as_double() == std::nextafter(0.0, 1.0));
    CHECK(bins[0].find("reference_count")->as_uint() == 3000);
    CHECK(bins[1].find("current_count")->as_uint() == 1650);
    // Unchanged where the heavy values already have bins to themselves (a binary column judged as
    // continuous, above) and where no value is heavy (the continuous case below).
}

TEST_CASE("evaluate: a categorical column against scipy's chi2_contingency and jensenshannon", "[evaluate]") {
    const dg::profile ref = snapshot({categories("grade", {"A", "B", "C", ""}, {300, 200, 100, 50}, 20)});
    const dg::profile cur = snapshot({categories("grade", {"A", "B", "C", "D"}, {250, 260, 80, 10}, 40)});
    const dg::report r = dg::evaluate(ref, cur, drift_policy());
    const dg::check& psi = get(r, "psi", "grade");
    CHECK(psi.value == Approx(g::cat_psi).epsilon(1e-14));
    CHECK(text_detail(psi, "kind") == "categorical");
    const auto& bins = psi.details.find("bins")->as_list();
    REQUIRE(bins.size() == 6);  // "", A, B, C (byte order), unseen, missing
    CHECK(bins[0].find("category")->as_text() == "");
    CHECK(bins[1].find("category")->as_text() == "A");
    CHECK(bins[4].find("unseen")->as_bool());
    CHECK(bins[4].find("current_count")->as_uint() == 10);
    CHECK(bins[5].find("reference_count")->as_uint() == 20);
    CHECK(bins[5].find("current_count")->as_uint() == 40);
    const dg::check& chi2 = get(r, "chi2", "grade");
    CHECK(chi2.value == Approx(g::cat_chi2_pvalue).epsilon(1e-11));
    CHECK(detail(chi2, "statistic") == Approx(g::cat_chi2_statistic).epsilon(1e-14));
    CHECK(detail(chi2, "dof") == g::cat_chi2_dof);
    CHECK(detail(chi2, "cramers_v") == Approx(g::cat_cramers_v).epsilon(1e-14));
    CHECK(get(r, "jensen_shannon", "grade").value == Approx(g::cat_js).epsilon(1e-14));
    const dg::check& unseen = get(r, "unseen_values", "grade");
    CHECK(unseen.value == Approx(g::cat_unseen_share).epsilon(1e-15));
    CHECK(unseen.value == 10.0 / 600.0);
    CHECK(unseen.level == dg::severity::critical);  // >= 0.01
    CHECK(count_checks(r, "out_of_range", "grade") == 0);
    CHECK(count_checks(r, "wasserstein", "grade") == 0);
}

// ---- continuous columns -----------------------------------------------------------------------------

TEST_CASE("evaluate: a continuous column: quantile PSI, KS, Wasserstein, Jensen-Shannon, range, missing", "[evaluate]") {
    const dg::profile ref = snapshot({numbers("x", sample(2000, g::phi, 10.0, 0.0, 0, 50))});
    const dg::profile cur = snapshot({numbers("x", sample(1500, g::sq2, 10.0, 0.8, 0, 30))});
    const dg::report r = dg::evaluate(ref, cur, drift_policy());
    const dg::check& psi = get(r, "psi", "x");
    CHECK(psi.value == Approx(g::cont_psi).epsilon(1e-13));
    CHECK(psi.details.find("bins")->as_list().size() == static_cast<std::size_t>(g::cont_bins) + 1);
    CHECK(psi.level == dg::severity::warning);  // 0.175
    const dg::check& ks = get(r, "ks", "x");
    CHECK(detail(ks, "statistic") == Approx(g::cont_ks_statistic).epsilon(1e-15));
    CHECK(ks.value == Approx(g::cont_ks_pvalue).epsilon(1e-11));
    CHECK(text_detail(ks, "method") == "exact");
    CHECK(detail(ks, "missing_reference") == 40);
    CHECK(detail(ks, "missing_current") == 50);
    CHECK(ks.level == dg::severity::critical);
    CHECK(get(r, "wasserstein", "x").value == Approx(g::cont_wasserstein).epsilon(1e-12));
    CHECK(get(r, "jensen_shannon", "x").value == Approx(g::cont_js).epsilon(1e-13));
    const dg::check& range = get(r, "out_of_range", "x");
    CHECK(range.value == Approx(g::cont_out_of_range).epsilon(1e-15));
    CHECK(range.level == dg::severity::critical);
    const dg::check& missing = get(r, "missing_share", "x");
    CHECK(missing.value == Approx(g::cont_missing_increase).epsilon(1e-15));
    CHECK(missing.level == dg::severity::ok);
    CHECK(count_checks(r, "unseen_values", "x") == 0);  // continuous: not judged

    // Past 10000 values the automatic method is the asymptotic one.
    const dg::profile big_ref = snapshot({numbers("x", sample(12000, g::phi))});
    const dg::profile big_cur = snapshot({numbers("x", sample(11000, g::sq3, 1.0, 0.01))});
    const dg::check a = get(dg::evaluate(big_ref, big_cur, drift_policy()), "ks", "x");
    CHECK(text_detail(a, "method") == "asymp");
    CHECK(detail(a, "statistic") == Approx(g::asymp_ks_statistic).epsilon(1e-14));
    CHECK(a.value == Approx(g::asymp_ks_pvalue).epsilon(1e-10));
    CHECK(a.level == dg::severity::ok);
}

TEST_CASE("evaluate: the score's CSI over the reference scores' quantile bins", "[evaluate]") {
    dg::policy p;
    p.columns.label = "";
    p.checks.proxies = false;
    const dg::profile ref = snapshot({numbers("score", sample(2000, g::phi))});
    const dg::profile cur = snapshot({numbers("score", sample(1000, g::sq3, 0.9, 0.1))});
    const dg::report r = dg::evaluate(ref, cur, p);
    const dg::check& csi = get(r, "csi", "score");
    CHECK(csi.section == "drift");
    CHECK(csi.value == Approx(g::csi).epsilon(1e-13));
    CHECK(csi.level == dg::severity::critical);  // >= 0.25
    CHECK(count_checks(r, "psi") == 0);          // the score is not a feature
    CHECK(contains(r.notes.at(0), "only the score's CSI"));
}

// ---- schema -------------------------------------------------------------------------------------------

TEST_CASE("evaluate: a missing column's note names a current column that differs only in case, white space or a BOM", "[evaluate]") {
    // "x" and "x " look alike in a report (missing_column x, new_column x): the note tells them apart.
    auto col = [](const std::string& name) { return numbers(name.c_str(), repeat({{0, 5}, {1, 5}})); };
    const dg::profile ref = snapshot({col("x"), col("y"), col("z"), col("w")});
    const dg::profile cur = snapshot({col("x "), col("Y"), col("\xEF\xBB\xBFz"), col("v"), col("w")});
    dg::policy p;
    p.columns.score = "";
    p.checks.performance = p.checks.proxies = false;
    p.columns.features = {"x", "y", "z", "w"};
    const dg::report r = dg::evaluate(ref, cur, p);
    CHECK(contains(get(r, "missing_column", "x").note, "; the current file has \"x \", which differs only in case, white space"));
    CHECK(contains(get(r, "missing_column", "y").note, "; the current file has \"Y\""));
    CHECK(contains(get(r, "missing_column", "z").note, "; the current file has \"\\uFEFFz\""));
    CHECK(dg::detail::name_folded(" \tX\xEF\xBB\xBF ") == "x");
}

TEST_CASE("evaluate: a column with no name is noted, not monitored; alone it leaves nothing to judge", "[evaluate]") {
    // pandas' to_csv writes its index as a column with no name: 0..n-1 in each file, a false alarm
    // when the row counts differ (PSI and KS of 0..9 against 0..4), and a name no report can show.
    auto index = [](int n) {
        std::vector<double> v;
        for (int i = 0; i < n; ++i) v.push_back(i);
        return numbers("", v);
    };
    auto col = [] { return numbers("x", repeat({{0, 5}, {1, 5}})); };
    dg::policy p;
    p.columns.score = "";
    p.checks.performance = p.checks.proxies = false;
    const dg::report r = dg::evaluate(snapshot({index(10), col()}, {}, "ref.csv"), snapshot({index(5), col()}), p);
    for (const auto& c : r.checks) CHECK(c.column != "");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] ==
          "column 1 of the reference (ref.csv) has no name: not monitored (pandas' to_csv writes its index so unless "
          "index=False; a delimiter at the end of every line makes one too)");
    CHECK(r.status() == dg::severity::ok);
    // Listed by name it cannot be; left alone, nothing is judged.
    require_error([&] { (void)dg::evaluate(snapshot({index(10)}), snapshot({index(5)}), p); }, dg::errc::nothing_to_judge,
                  "nothing could be judged");
    CHECK(!dg::is_automatic_feature("", p));
    CHECK(dg::is_automatic_feature("x", p));
}

TEST_CASE("evaluate: schema checks and their severities", "[evaluate]") {
    auto col = [](const char* name, dg::value_type t = dg::value_type::number) {
        return numbers(name, repeat({{0, 5}, {1, 5}}), t);
    };
    auto ref = [&] { return snapshot({col("a"), col("b"), col("c"), col("score")}, {"default"}); };
    const dg::profile cur = snapshot({col("a"), col("c"), col("score"), col("new")}, {"default"});
    dg::policy p;
    p.checks.performance = p.checks.proxies = false;

    // Without importances every feature counts as top-k: a missing one is critical.
    const dg::report r = dg::evaluate(ref(), cur, p);
    const dg::check& miss = get(r, "missing_column", "b");
    CHECK(miss.section == "schema");
    CHECK(miss.level == dg::severity::critical);
    CHECK(contains(miss.note, "top-k"));
    const dg::check& added = get(r, "new_column", "new");
    CHECK(added.level == dg::severity::info);
    CHECK(count_checks(r, "missing_column") == 1);
    CHECK(count_checks(r, "psi", "b") == 0);
    CHECK(count_checks(r, "psi", "new") == 0);

    // Outside the top k: a warning.
    p.importance = {{"a", 0.5}, {"c", 0.4}, {"b", 0.1}};
    p.drift.top_k = 2;
    CHECK(get(dg::evaluate(ref(), cur, p), "missing_column", "b").level == dg::severity::warning);
    // Named in [columns] features: critical whatever its importance.
    p.columns.features = {"a", "b"};
    const dg::check configured = get(dg::evaluate(ref(), cur, p), "missing_column", "b");
    CHECK(configured.level == dg::severity::critical);
    CHECK(contains(configured.note, "configured"));
    p.columns.features.clear();
    // The severities are the policy's.
    p.schema.missing_feature = dg::severity::info;
    p.schema.new_column = dg::severity::warning;
    const dg::report s = dg::evaluate(ref(), cur, p);
    CHECK(get(s, "missing_column", "b").level == dg::severity::info);
    CHECK(get(s, "new_column", "new").level == dg::severity::warning);

    // The score absent from the current file: critical.
    const dg::profile no_score = snapshot({col("a"), col("b"), col("c")}, {"default"});
    const dg::check score = get(dg::evaluate(ref(), no_score, p), "missing_column", "score");
    CHECK(score.level == dg::severity::critical);

    // Kinds changed: numbers to booleans, numbers to texts (whose drift is then undefined).
    std::vector<dg::raw_column> changed;
    changed.push_back(texts("a", {"x", "y", "x", "y", "x", "y", "x", "y", "x", "y"}));
    changed.push_back(col("b"));
    changed.push_back(col("c", dg::value_type::boolean));
    changed.push_back(col("score"));
    const dg::report k = dg::evaluate(ref(), snapshot(std::move(changed), {"default"}), dg::policy{});
    CHECK(get(k, "kind_changed", "c").level == dg::severity::critical);
    CHECK(contains(get(k, "kind_changed", "c").note, "number in the reference, boolean in the current file"));
    CHECK(get(k, "kind_changed", "a").level == dg::severity::critical);
    const dg::check& undefined = get(k, "psi", "a");
    CHECK(std::isnan(undefined.value));
    CHECK(undefined.level == dg::severity::critical);
    CHECK(contains(undefined.note, "not comparable"));
    CHECK(count_checks(k, "kind_changed", "b") == 0);
    // Numbers and booleans (read as 1/0) are compared as numbers: the same cells, no drift.
    const dg::check& same = get(k, "psi", "c");
    CHECK(same.value == 0.0);
    CHECK(same.level == dg::severity::ok);
    CHECK(get(k, "chi2", "c").value == 1.0);
}

TEST_CASE("evaluate: texts in the reference, numbers or booleans in the current file, changed kind", "[evaluate]") {
    // A column of texts in the reference is read as texts in the current file too: numbers and
    // booleans arrive as categories, and their values tell the change.
    using cells = std::vector<std::optional<std::string>>;
    const cells grades{"A", "B", "C", "A", std::nullopt, "B"};
    auto judge = [&](const cells& ref_cells, const cells& cur_cells, const dg::policy& p = dg::policy{}) {
        const dg::profile ref = snapshot({texts("g", ref_cells), numbers("x", {1, 2, 3, 4, 5, 6})});
        const dg::profile cur = snapshot({texts("g", cur_cells), numbers("x", {1, 2, 3, 4, 5, 6})});
        dg::policy q = p;
        q.columns.score = "";
        q.columns.label = "";
        return dg::evaluate(ref, cur, q);
    };
    // Every current value a number (signs, decimals, exponents, spaces, inf; missing cells aside).
    auto r = judge(grades, {"1", "+2.5", " -3e2 ", std::nullopt, "inf", "700"});
    const dg::check& k = get(r, "kind_changed", "g");
    CHECK(k.level == dg::severity::critical);
    CHECK(contains(k.note, "text in the reference, number in the current file"));
    CHECK(get(r, "psi", "g").level == dg::severity::critical);  // every current category unseen
    // Every current value a boolean token (any case; the policy's tokens).
    r = judge(grades, {"True", "false", "yes", "NO", "true", "false"});
    CHECK(contains(get(r, "kind_changed", "g").note, "text in the reference, boolean in the current file"));
    dg::policy oui;
    oui.input.true_values = {"oui"};
    oui.input.false_values = {"non"};
    CHECK(count_checks(judge(grades, {"oui", "non", "oui", "oui", "non", "oui"}, oui), "kind_changed", "g") == 1);
    CHECK(count_checks(judge(grades, {"true", "false", "true", "true", "false", "true"}, oui), "kind_changed", "g") == 0);
    // The severity is the policy's.
    dg::policy info;
    info.schema.kind_changed = dg::severity::info;
    CHECK(get(judge(grades, {"1", "2", "3", "1", "2", "3"}, info), "kind_changed", "g").level == dg::severity::info);
    // Not a change of kind: texts still among the current values; a reference that already mixed
    // numbers (or booleans) with texts; a current column with no value; the same texts.
    CHECK(count_checks(judge(grades, {"1", "2", "A", "3", "1", "2"}), "kind_changed") == 0);
    CHECK(count_checks(judge({"A", "7", "B", "C", "A", "B"}, {"1", "2", "3", "1", "2", "3"}), "kind_changed") == 0);
    CHECK(count_checks(judge({"A", "yes", "B", "C", "A", "B"}, {"no", "yes", "no", "no", "yes", "no"}), "kind_changed") == 0);
    CHECK(count_checks(judge(grades, {std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}),
                       "kind_changed") == 0);
    CHECK(count_checks(judge(grades, grades), "kind_changed") == 0);
    // Texts that only look numeric in part ("1a", "0x10", "+-1", "1,5") are texts.
    CHECK(count_checks(judge(grades, {"1a", "2", "3", "1", "2", "3"}), "kind_changed") == 0);
    CHECK(count_checks(judge(grades, {"0x10", "2", "3", "1", "2", "3"}), "kind_changed") == 0);
    CHECK(count_checks(judge(grades, {"+-1", "2", "3", "1", "2", "3"}), "kind_changed") == 0);
    CHECK(count_checks(judge(grades, {"1,5", "2", "3", "1", "2", "3"}), "kind_changed") == 0);
}

TEST_CASE("evaluate: no monitored column in both files is an error, not a report", "[evaluate]") {
    const dg::profile ref = snapshot({numbers("a", {1, 2}), numbers("b", {1, 2})});
    const dg::profile cur = snapshot({numbers("x", {1, 2}), numbers("y", {1, 2})}, {}, "current.csv");
    require_error([&] { (void)dg::evaluate(ref, cur, dg::policy{}); }, dg::errc::nothing_to_judge, "is it the right file?");
    require_error([&] { (void)dg::evaluate(ref, cur, dg::policy{}); }, dg::errc::nothing_to_judge, "current.csv: x, y");
    // The excluded columns do not count.
    dg::policy p;
    p.columns.exclude = {"a", "b"};
    require_error([&] { (void)dg::evaluate(ref, ref, p); }, dg::errc::nothing_to_judge, "nothing could be judged");
    // A configured feature the reference lacks, a [features] section for a column in neither file.
    dg::policy f;
    f.columns.features = {"zzz"};
    require_error([&] { (void)dg::evaluate(ref, ref, f); }, dg::errc::invalid_parameter, "no column \"zzz\"");
    dg::policy s;
    s.features["typo"].bins = 5;
    require_error([&] { (void)dg::evaluate(ref, ref, s); }, dg::errc::invalid_parameter, "[features.\"typo\"] names a column in neither file");
}

// ---- data quality -------------------------------------------------------------------------------------

TEST_CASE("evaluate: a current column with no value: all_missing, and its drift undefined, judged a breach", "[evaluate]") {
    const dg::profile ref = snapshot({numbers("x", sample(200, g::phi)), numbers("y", sample(200, g::sq2))});
    const dg::profile cur = snapshot({numbers("x", std::vector<double>(100, kNaN)), numbers("y", sample(100, g::sq3))});
    dg::policy p = drift_policy();
    const dg::report r = dg::evaluate(ref, cur, p);
    const dg::check& all = get(r, "all_missing", "x");
    CHECK(all.section == "data_quality");
    CHECK(all.level == dg::severity::critical);
    const dg::check& psi = get(r, "psi", "x");
    CHECK(std::isnan(psi.value));
    CHECK(psi.level == dg::severity::critical);
    CHECK(contains(psi.note, "the current file has no value; judged as a breach"));
    CHECK(count_checks(r, "ks", "x") == 0);
    const dg::check& missing = get(r, "missing_share", "x");
    CHECK(missing.value == 1.0);
    CHECK(missing.level == dg::severity::critical);
    // Outside the top k the undefined PSI is a warning (the rule's highest severity there).
    p.importance = {{"y", 1.0}, {"x", 0.5}};
    p.drift.top_k = 1;
    CHECK(get(dg::evaluate(ref, cur, p), "psi", "x").level == dg::severity::warning);
    // A reference column with no value: undefined too.
    const dg::check ref_empty = get(dg::evaluate(cur, ref, drift_policy()), "psi", "x");
    CHECK(std::isnan(ref_empty.value));
    CHECK(ref_empty.level == dg::severity::critical);
    CHECK(contains(ref_empty.note, "the reference has no value"));
    // The severity of all_missing is the policy's.
    dg::policy w = drift_policy();
    w.data_quality.all_missing = dg::severity::warning;
    CHECK(get(dg::evaluate(ref, cur, w), "all_missing", "x").level == dg::severity::warning);
}

TEST_CASE("evaluate: missing_share is judged only when the one-sided two-proportion z test is significant", "[evaluate]") {
    auto column = [](std::size_t n, std::size_t missing) {
        std::vector<double> v;
        for (std::size_t i = 0; i < n; ++i) v.push_back(i < missing ? kNaN : static_cast<double>(i % 5));
        return v;
    };
    // 20 of 1000 missing, then 60 of 500: +0.10, z = (0.12 - 0.02) / sqrt(pq (1/1000 + 1/500)) with
    // the pooled share 80/1500; p = P(Z > z).
    const dg::report r = dg::evaluate(snapshot({numbers("x", column(1000, 20))}), snapshot({numbers("x", column(500, 60))}),
                                      drift_policy());
    const dg::check& m = get(r, "missing_share", "x");
    CHECK(m.value == g::missing_big_increase);
    const double pooled = 80.0 / 1500.0;
    const double z = (60.0 / 500 - 20.0 / 1000) / std::sqrt(pooled * (1 - pooled) * (1.0 / 1000 + 1.0 / 500));
    CHECK(detail(m, "pvalue") == Approx(0.5 * std::erfc(z / std::sqrt(2.0))).epsilon(1e-12));
    CHECK(detail(m, "pvalue") == Approx(g::missing_big_pvalue).epsilon(1e-12));
    CHECK(m.level == dg::severity::warning);
    CHECK(m.thresholds.find("pvalue_below")->as_double() == 0.01);
    // 0 of 10, then 2 of 5: +0.40 is past the critical bound, but p = 0.016 is not below 0.01.
    const dg::report s = dg::evaluate(snapshot({numbers("x", column(10, 0))}), snapshot({numbers("x", column(5, 2))}),
                                      drift_policy());
    const dg::check& small = get(s, "missing_share", "x");
    CHECK(small.value == g::missing_small_increase);
    CHECK(detail(small, "pvalue") == Approx(g::missing_small_pvalue).epsilon(1e-12));
    CHECK(small.level == dg::severity::ok);
    CHECK(contains(small.note, "not significant"));
    // With the test's bound raised to 0.05 it is judged: critical.
    dg::policy p = drift_policy();
    p.data_quality.missing_pvalue = 0.05;
    CHECK(get(dg::evaluate(snapshot({numbers("x", column(10, 0))}), snapshot({numbers("x", column(5, 2))}), p),
              "missing_share", "x")
              .level == dg::severity::critical);
}

TEST_CASE("evaluate: out_of_range is the share of current values outside the reference's [min, max]", "[evaluate]") {
    std::vector<double> ref;
    for (int k = 0; k < 10; ++k)
        for (int i = 0; i < 100; ++i) ref.push_back(i);  // 0..99: continuous (100 values)
    std::vector<double> cur(970, 50.0);
    cur.insert(cur.end(), 20, 150.0);
    cur.insert(cur.end(), 10, -1.0);
    const dg::check w = get(dg::evaluate(snapshot({numbers("x", ref)}), snapshot({numbers("x", cur)}), drift_policy()),
                             "out_of_range", "x");
    CHECK(w.value == 30.0 / 1000.0);
    CHECK(w.level == dg::severity::warning);
    CHECK(detail(w, "reference_min") == 0.0);
    CHECK(detail(w, "reference_max") == 99.0);
    cur.assign(940, 99.0);  // the ends are inside
    cur.insert(cur.end(), 60, 99.5);
    const dg::check c = get(dg::evaluate(snapshot({numbers("x", ref)}), snapshot({numbers("x", cur)}), drift_policy()),
                             "out_of_range", "x");
    CHECK(c.value == 60.0 / 1000.0);
    CHECK(c.level == dg::severity::critical);
    // One value left where the reference had many: constant.
    CHECK(get(dg::evaluate(snapshot({numbers("x", ref)}), snapshot({numbers("x", std::vector<double>(50, 7.0))}), drift_policy()),
              "constant", "x")
              .level == dg::severity::warning);
}

TEST_CASE("evaluate: bad_values counts the cells read as missing, in either file", "[evaluate]") {
    dg::raw_column c = numbers("x", {1, 2, kNaN, 3});
    c.invalid = 1;
    c.first_invalid = "cur.csv:4:1: \"abc\"";
    const dg::report r = dg::evaluate(snapshot({numbers("x", {1, 2, 3, 4})}), snapshot({c}), drift_policy());
    const dg::check& b = get(r, "bad_values", "x");
    CHECK(b.value == 1.0);
    CHECK(b.level == dg::severity::warning);
    CHECK(contains(b.note, "cur.csv:4:1"));
    CHECK(text_detail(b, "file") == "current");
}

// ---- multiple testing ---------------------------------------------------------------------------------

TEST_CASE("evaluate: corrections adjust the run's p-values together as statsmodels' multipletests", "[evaluate]") {
    const double shifts[] = {g::mt_shift_0, g::mt_shift_1, g::mt_shift_2, g::mt_shift_3};
    const double raw[] = {g::mt_pvalue_0, g::mt_pvalue_1, g::mt_pvalue_2, g::mt_pvalue_3};
    std::vector<dg::raw_column> rc, cc;
    for (int i = 0; i < 4; ++i) {
        rc.push_back(numbers(indexed("f", i), sample(400, g::phi)));
        cc.push_back(numbers(indexed("f", i), sample(300, g::sq3, 1.0, shifts[i])));
    }
    const dg::profile ref = snapshot(rc), cur = snapshot(cc);
    struct method {
        dg::correction c;
        double adjusted[4];
        long long level[4];
    };
    const method methods[] = {
        {dg::correction::none, {raw[0], raw[1], raw[2], raw[3]},
         {g::mt_none_level_0, g::mt_none_level_1, g::mt_none_level_2, g::mt_none_level_3}},
        {dg::correction::bonferroni, {g::mt_bonferroni_0, g::mt_bonferroni_1, g::mt_bonferroni_2, g::mt_bonferroni_3},
         {g::mt_bonferroni_level_0, g::mt_bonferroni_level_1, g::mt_bonferroni_level_2, g::mt_bonferroni_level_3}},
        {dg::correction::holm, {g::mt_holm_0, g::mt_holm_1, g::mt_holm_2, g::mt_holm_3},
         {g::mt_holm_level_0, g::mt_holm_level_1, g::mt_holm_level_2, g::mt_holm_level_3}},
        {dg::correction::bh, {g::mt_bh_0, g::mt_bh_1, g::mt_bh_2, g::mt_bh_3},
         {g::mt_bh_level_0, g::mt_bh_level_1, g::mt_bh_level_2, g::mt_bh_level_3}},
    };
    for (const auto& m : methods) {
        INFO("correction " << dg::to_string(m.c));
        dg::policy p = drift_policy();
        p.drift.pvalue_correction = m.c;
        const dg::report r = dg::evaluate(ref, cur, p);
        for (int i = 0; i < 4; ++i) {
            INFO("feature f" << i);
            const dg::check& ks = get(r, "ks", indexed("f", i));
            CHECK(detail(ks, "pvalue") == Approx(raw[i]).epsilon(1e-11));       // the raw p stays in the details
            CHECK(ks.value == Approx(m.adjusted[i]).epsilon(1e-11));            // the judged value is the adjusted one
            CHECK(detail(ks, "pvalue_adjusted") == Approx(m.adjusted[i]).epsilon(1e-11));
            CHECK(text_detail(ks, "correction") == dg::to_string(m.c));
            CHECK(static_cast<long long>(ks.level) == m.level[i]);
        }
    }
}

// ---- effect gates -------------------------------------------------------------------------------------

TEST_CASE("evaluate: effect_gate both silences a significant but tiny shift; either adds an alarm", "[evaluate]") {
    // 100,000 values each, shifted by 0.01: D = 0.010, p = 8e-5 (critical by p).
    const dg::profile ref = snapshot({numbers("x", sample(100000, g::phi))});
    const dg::profile cur = snapshot({numbers("x", sample(100000, g::sq2, 1.0, 0.01))});
    dg::policy p = drift_policy();
    const dg::check plain = get(dg::evaluate(ref, cur, p), "ks", "x");
    CHECK(detail(plain, "statistic") == Approx(g::effect_large_ks_statistic).epsilon(1e-13));
    CHECK(plain.value == Approx(g::effect_large_ks_pvalue).epsilon(1e-9));
    CHECK(plain.level == dg::severity::critical);
    p.drift.ks_statistic = {0.05, 0.1};
    p.drift.gate = dg::effect_gate::either;
    CHECK(get(dg::evaluate(ref, cur, p), "ks", "x").level == dg::severity::critical);
    p.drift.gate = dg::effect_gate::both;
    const dg::check gated = get(dg::evaluate(ref, cur, p), "ks", "x");
    CHECK(gated.level == dg::severity::ok);
    CHECK(text_detail(gated, "effect_gate") == "both");
    CHECK(gated.thresholds.find("statistic") != nullptr);
    // The normalised Wasserstein distance gates the KS test the same way (its own check then ok).
    dg::policy w = drift_policy();
    w.drift.wasserstein = {0.5, 1.0};
    w.drift.gate = dg::effect_gate::both;
    const dg::report wr = dg::evaluate(ref, cur, w);
    CHECK(get(wr, "ks", "x").level == dg::severity::ok);
    CHECK(get(wr, "wasserstein", "x").level == dg::severity::ok);
    CHECK(contains(get(wr, "wasserstein", "x").note, "gates the KS test"));

    // 30 values each, D = 0.267, p = 0.24: nothing by p; D >= 0.25 is a warning under either,
    // and still nothing under both.
    const dg::profile sref = snapshot({numbers("x", sample(30, g::phi))});
    const dg::profile scur = snapshot({numbers("x", sample(30, g::sq2, 1.0, g::effect_small_shift))});
    dg::policy s = drift_policy();
    const dg::check sp = get(dg::evaluate(sref, scur, s), "ks", "x");
    CHECK(detail(sp, "statistic") == Approx(g::effect_small_ks_statistic).epsilon(1e-14));
    CHECK(sp.value == Approx(g::effect_small_ks_pvalue).epsilon(1e-11));
    CHECK(sp.level == dg::severity::ok);
    s.drift.ks_statistic = {0.25, 0.5};
    s.drift.gate = dg::effect_gate::either;
    CHECK(get(dg::evaluate(sref, scur, s), "ks", "x").level == dg::severity::warning);
    s.drift.gate = dg::effect_gate::both;
    CHECK(get(dg::evaluate(sref, scur, s), "ks", "x").level == dg::severity::ok);

    // Cramér's V on a discrete column: the codes case has V = 0.447, p = 2e-86.
    const dg::profile cref = snapshot({numbers("code", repeat({{0, 500}, {1, 300}, {2, 200}}))});
    const dg::profile ccur = snapshot({numbers("code", repeat({{0, 500}, {1, 300}, {9, 200}}))});
    dg::policy v = drift_policy();
    v.drift.cramers_v = {0.5, 0.8};
    v.drift.gate = dg::effect_gate::both;
    CHECK(get(dg::evaluate(cref, ccur, v), "chi2", "code").level == dg::severity::ok);
    v.drift.cramers_v = {0.3, 0.4};
    CHECK(get(dg::evaluate(cref, ccur, v), "chi2", "code").level == dg::severity::critical);
}

// ---- performance and proxies ---------------------------------------------------------------------------

namespace {

/// gen_evaluate.py's scored snapshot: PD_i = frac(i phi), label 1 when frac(i sqrt 2) < 0.1 + 0.5 PD_i.
struct scored {
    std::vector<double> pd, label;
};
scored scored_rows() {
    scored s;
    s.pd = sample(static_cast<std::size_t>(g::perf_n), g::phi);
    const auto u = sample(static_cast<std::size_t>(g::perf_n), g::sq2);
    for (std::size_t i = 0; i < s.pd.size(); ++i) s.label.push_back(u[i] < 0.1 + 0.5 * s.pd[i] ? 1.0 : 0.0);
    return s;
}

dg::profile scored_profile(const std::vector<double>& score, const std::vector<double>& label) {
    dg::profile p = snapshot({numbers("score", score)}, {"default"});
    p.score = "score";
    p.label = "default";
    p.classes = dg::split_scores(score, label);
    return p;
}

} // namespace

TEST_CASE("evaluate: performance with probabilities against scikit-learn", "[evaluate]") {
    const scored s = scored_rows();
    const dg::profile cur = scored_profile(s.pd, s.label);
    dg::policy p;
    p.checks.proxies = false;
    const dg::report r = dg::evaluate(cur, p);
    const dg::check& auc = get(r, "auc", "score");
    CHECK(auc.value == Approx(g::perf_auc).epsilon(1e-14));
    CHECK(detail(auc, "positives") == g::perf_positives);
    CHECK(auc.level == dg::severity::critical);  // < 0.75
    const dg::check& ks = get(r, "ks_statistic", "score");
    CHECK(ks.value == Approx(g::perf_ks).epsilon(1e-14));
    CHECK(ks.level == dg::severity::critical);  // < 0.35
    CHECK(get(r, "recall", "score").value == Approx(g::perf_recall).epsilon(1e-15));
    CHECK(get(r, "recall", "score").level == dg::severity::ok);
    CHECK(get(r, "precision", "score").value == Approx(g::perf_precision).epsilon(1e-15));
    CHECK(get(r, "precision", "score").level == dg::severity::ok);
    const dg::check& brier = get(r, "brier", "score");
    CHECK(brier.value == Approx(g::perf_brier).epsilon(1e-14));
    CHECK(brier.level == dg::severity::warning);  // > 0.18
}

TEST_CASE("evaluate: precision with no predicted default is undefined, judged at its rule's highest severity", "[evaluate]") {
    // Every PD below the 0.12 threshold: nothing predicted default, TP + FP = 0.
    const std::vector<double> pd{0.01, 0.02, 0.05, 0.11, 0.03, 0.07};
    const std::vector<double> y{1, 0, 1, 0, 1, 0};
    dg::policy p;
    p.checks.proxies = false;
    const dg::report r = dg::evaluate(scored_profile(pd, y), p);
    const dg::check& precision = get(r, "precision", "score");
    CHECK(std::isnan(precision.value));
    CHECK(precision.level == dg::severity::warning);  // target 0.31 (info), warning 0.25, no critical
    CHECK(contains(precision.note, "undefined: no predicted defaults at score >= 0.12"));
    const dg::check& recall = get(r, "recall", "score");
    CHECK(recall.value == 0.0);
    CHECK(recall.level == dg::severity::warning);
    CHECK(detail(recall, "trials") == 3);
    // AUC by hand: positives 0.01, 0.05, 0.03 against negatives 0.02, 0.11, 0.07: of the nine
    // pairs the positive is higher in 0.05 > 0.02, 0.03 > 0.02: AUC = 2/9.
    CHECK(get(r, "auc", "score").value == Approx(2.0 / 9.0).epsilon(1e-15));
}

TEST_CASE("evaluate: performance with scorecard points, a lower score riskier", "[evaluate]") {
    const scored s = scored_rows();
    std::vector<double> points;
    for (const double v : s.pd) points.push_back(850.0 - std::floor(500.0 * v));
    const dg::profile cur = scored_profile(points, s.label);
    dg::policy p;
    p.performance.kind = dg::score_kind::points;
    p.performance.higher_is_riskier = false;
    p.performance.threshold = 700;  // score <= 700 predicts default
    const dg::report r = dg::evaluate(cur, p);
    // AUC and the classifier KS of the negated score (scikit-learn's roc_auc_score(y, -points)).
    CHECK(get(r, "auc", "score").value == Approx(g::points_auc).epsilon(1e-14));
    CHECK(get(r, "ks_statistic", "score").value == Approx(g::points_ks).epsilon(1e-14));
    const dg::check& recall = get(r, "recall", "score");
    CHECK(recall.value == Approx(g::points_recall).epsilon(1e-15));
    const dg::field& confusion = *recall.details.find("confusion");
    CHECK(confusion.find("tp")->as_uint() == static_cast<std::uint64_t>(g::points_tp));
    CHECK(confusion.find("fp")->as_uint() == static_cast<std::uint64_t>(g::points_fp));
    CHECK(confusion.find("threshold")->as_double() == 700.0);
    CHECK(get(r, "precision", "score").value == Approx(g::points_precision).epsilon(1e-15));
    // No Brier score and no proxies for points: notes instead.
    CHECK(count_checks(r, "brier") == 0);
    CHECK(count_checks(r, "mean_score") == 0);
    CHECK(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) { return contains(n, "Brier score is not computed"); }));
    CHECK(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) { return contains(n, "proxies"); }));
    // Higher is riskier: the AUC of the points as they are.
    p.performance.higher_is_riskier = true;
    CHECK(get(dg::evaluate(cur, p), "auc", "score").value == Approx(g::points_auc_higher_riskier).epsilon(1e-14));
    // A threshold of 700 for probabilities is refused.
    p.performance.kind = dg::score_kind::probability;
    require_error([&] { (void)dg::evaluate(cur, p); }, dg::errc::invalid_parameter, "performance.threshold");
    // Points without a threshold are refused: the default 0.12 is a probability, which every
    // score here (350 .. 850) exceeds, so recall would be 1 whatever the model did.
    p.performance.kind = dg::score_kind::points;
    p.performance.threshold.reset();
    require_error([&] { (void)dg::evaluate(cur, p); }, dg::errc::invalid_parameter,
                  "\"points\" needs a decision threshold in the score's own units");
    require_error([&] { (void)p.performance.decision_threshold(); }, dg::errc::invalid_parameter, "performance.score_kind");
}

TEST_CASE("evaluate(current): a run that judges nothing throws nothing_to_judge, never an empty report", "[evaluate]") {
    const scored s = scored_rows();
    std::vector<double> points;
    for (const double v : s.pd) points.push_back(850.0 - std::floor(500.0 * v));
    dg::policy p;
    p.performance.kind = dg::score_kind::points;
    p.performance.higher_is_riskier = false;
    p.performance.threshold = 700;
    // Proxies only, on points: the proxies are defined for probabilities of default.
    p.checks.performance = false;
    require_error([&] { (void)dg::evaluate(scored_profile(points, s.label), p); }, dg::errc::nothing_to_judge,
                  "the proxies (high-risk share, mean score, approval rate) are defined for probabilities of default, and "
                  "points give none");
    // Performance asked too, but the current profile has no labels (not required): still nothing.
    p.checks.performance = true;
    const dg::profile unlabelled = snapshot({numbers("score", points)});
    require_error([&] { (void)dg::evaluate(unlabelled, p); }, dg::errc::nothing_to_judge, "performance checks skipped");
    // With labels, performance is judged and the proxies are a note.
    CHECK(dg::evaluate(scored_profile(points, s.label), p).checks.size() >= 4);
    // Nothing asked at all.
    p.checks.performance = false;
    p.checks.proxies = false;
    require_error([&] { (void)dg::evaluate(scored_profile(points, s.label), p); }, dg::errc::nothing_to_judge, "no check ([checks])");
    // Probabilities: the proxies are judged, without labels too.
    dg::policy q;
    q.checks.performance = false;
    CHECK(dg::evaluate(snapshot({numbers("score", s.pd)}), q).checks.size() == 4);  // and the score's missing share
}

TEST_CASE("evaluate(current): the score's missing share is judged alone: a scorer that stopped scoring fails", "[evaluate]") {
    dg::policy q;
    q.checks.performance = false;
    // 1000 rows, `scored` of them with a PD (0.10, 0.11, ...), the others missing: the share is
    // (1000 - scored) / 1000 (a hand count), against [data_quality] missing_share 0.05 / 0.20.
    auto share_of = [&](int scored) {
        std::vector<double> pd(1000, NAN);
        for (int i = 0; i < scored; ++i) pd[static_cast<std::size_t>(i)] = 0.1 + 0.01 * (i % 30);
        return get(dg::evaluate(snapshot({numbers("score", pd)}), q), "missing_share", "score");
    };
    const dg::check few = share_of(30);  // the proxies alone were judged on 30 rows before, and passed
    CHECK(few.section == "data_quality");
    CHECK(few.value == 970.0 / 1000.0);
    CHECK(few.level == dg::severity::critical);
    CHECK(few.details.find("missing_current")->as_uint() == 970);
    CHECK(share_of(800).level == dg::severity::critical);  // 0.20: at the critical bound
    CHECK(share_of(801).level == dg::severity::warning);   // 0.199
    CHECK(share_of(950).level == dg::severity::warning);   // 0.05: at the warning bound
    CHECK(share_of(951).level == dg::severity::ok);        // 0.049
    CHECK(share_of(1000).value == 0.0);
    // [checks] data_quality = false: not judged.
    q.checks.data_quality = false;
    std::vector<double> pd(1000, NAN);
    pd[0] = 0.3;
    pd[1] = 0.2;
    CHECK(find_check(dg::evaluate(snapshot({numbers("score", pd)}), q), "missing_share", "score") == nullptr);
}

TEST_CASE("evaluate: probabilities outside [0, 1] are refused, naming the column and score_kind", "[evaluate]") {
    const scored s = scored_rows();
    std::vector<double> pd = s.pd;
    pd[17] = 87.5;  // a PD in percent
    require_error([&] { (void)dg::evaluate(scored_profile(pd, s.label), dg::policy{}); }, dg::errc::invalid_parameter,
                  "column \"score\": probabilities must lie in [0, 1], found 87.5");
    pd[17] = -0.1;
    require_error([&] { (void)dg::evaluate(scored_profile(pd, s.label), dg::policy{}); }, dg::errc::invalid_parameter,
                  "score_kind = \"points\"");
    // The proxies alone (no labels) refuse them too.
    dg::policy p;
    p.columns.label = "";
    require_error([&] { (void)dg::evaluate(snapshot({numbers("score", pd)}), p); }, dg::errc::invalid_parameter,
                  "probabilities must lie in [0, 1]");
    // As points they are ordinary scores (judged at a threshold in their own units).
    p.performance.kind = dg::score_kind::points;
    p.performance.threshold = 0.5;
    p.columns.label = "default";
    CHECK_NOTHROW(dg::evaluate(scored_profile(pd, s.label), p));
}

TEST_CASE("evaluate: proxies against statsmodels' Wilson interval and scipy's t interval", "[evaluate]") {
    dg::policy p;
    p.columns.label = "";
    const dg::report r = dg::evaluate(snapshot({numbers("score", scored_rows().pd)}), p);
    const dg::check& high = get(r, "high_risk_share", "score");
    CHECK(high.section == "proxy");
    CHECK(high.value == g::proxy_high_risk_share);
    CHECK(detail(high, "ci_lower") == Approx(g::proxy_high_risk_lower).epsilon(1e-13));
    CHECK(detail(high, "ci_upper") == Approx(g::proxy_high_risk_upper).epsilon(1e-13));
    CHECK(static_cast<long long>(high.level) == g::proxy_high_risk_level);
    const dg::check& mean = get(r, "mean_score", "score");
    CHECK(mean.value == Approx(g::proxy_mean).epsilon(1e-14));
    CHECK(detail(mean, "ci_lower") == Approx(g::proxy_mean_lower).epsilon(1e-13));
    CHECK(detail(mean, "ci_upper") == Approx(g::proxy_mean_upper).epsilon(1e-13));
    CHECK(static_cast<long long>(mean.level) == g::proxy_mean_level);
    const dg::check& approval = get(r, "approval_rate", "score");
    CHECK(approval.value == g::proxy_approval);
    CHECK(detail(approval, "ci_lower") == Approx(g::proxy_approval_lower).epsilon(1e-13));
    CHECK(detail(approval, "ci_upper") == Approx(g::proxy_approval_upper).epsilon(1e-13));
    CHECK(static_cast<long long>(approval.level) == g::proxy_approval_level);

    // PD = 0.08 + 0.5 frac(i phi): inside the mean band, the high-risk share inside its band with
    // an interval crossing its lower edge (info), approval below its band (warning).
    std::vector<double> pd2;
    for (const double v : sample(static_cast<std::size_t>(g::perf_n), g::phi)) pd2.push_back(0.08 + 0.5 * v);
    const dg::report s = dg::evaluate(snapshot({numbers("score", pd2)}), p);
    CHECK(get(s, "high_risk_share", "score").value == g::proxy2_high_risk_share);
    CHECK(static_cast<long long>(get(s, "high_risk_share", "score").level) == g::proxy2_high_risk_level);
    CHECK(contains(get(s, "high_risk_share", "score").note, "crosses its edge"));
    CHECK(get(s, "mean_score", "score").value == Approx(g::proxy2_mean).epsilon(1e-14));
    CHECK(static_cast<long long>(get(s, "mean_score", "score").level) == g::proxy2_mean_level);
    CHECK(get(s, "approval_rate", "score").value == g::proxy2_approval);
    CHECK(static_cast<long long>(get(s, "approval_rate", "score").level) == g::proxy2_approval_level);
}

TEST_CASE("evaluate: a label column absent from the current file is a note, or a critical check when required", "[evaluate]") {
    const dg::profile cur = snapshot({numbers("score", sample(100, g::phi))});
    dg::policy p;
    p.checks.proxies = false;
    // Beside the drift checks, a note; alone, nothing was judged: an error, never an empty report.
    const dg::report r = dg::evaluate(cur, cur, p);
    CHECK(count_checks(r, "csi", "score") == 1);
    CHECK(count_checks(r, "missing_label") == 0);
    CHECK(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) { return contains(n, "no label column \"default\""); }));
    require_error([&] { (void)dg::evaluate(cur, p); }, dg::errc::nothing_to_judge, "no label column \"default\"");
    p.performance.required = true;
    const dg::report q = dg::evaluate(cur, p);
    CHECK(get(q, "missing_label", "default").level == dg::severity::critical);
    CHECK(q.status() == dg::severity::critical);
    // No label named at all: a note, or with required = true a critical check (it was silent, and
    // a required performance passed unjudged). (No score named: e2e, test_fail_closed.cpp.)
    dg::policy e;
    e.checks.proxies = false;
    e.columns.label = "";
    const dg::report n = dg::evaluate(cur, cur, e);
    CHECK(count_checks(n, "missing_label") == 0);
    CHECK(std::any_of(n.notes.begin(), n.notes.end(),
                      [](const std::string& x) { return contains(x, "[columns] label is empty: performance checks skipped"); }));
    e.performance.required = true;
    const dg::report m = dg::evaluate(cur, cur, e);
    CHECK(get(m, "missing_label", "").level == dg::severity::critical);
    CHECK(get(m, "missing_label", "").column.empty());
    CHECK(m.status() == dg::severity::critical);
}

// ---- the executor -------------------------------------------------------------------------------------

TEST_CASE("evaluate: the same report, bit for bit, with a parallel executor and the default", "[evaluate]") {
    std::vector<dg::raw_column> rc, cc;
    for (int i = 0; i < 6; ++i) {
        rc.push_back(numbers(indexed("c", i), sample(3000, g::phi, 1.0 + i, 0.0, 0, 40 + i)));
        cc.push_back(numbers(indexed("c", i), sample(2000, g::sq2, 1.0 + i, 0.01 * i, 0, 30 + i)));
        rc.push_back(numbers(indexed("d", i), sample(3000, g::sq3, 6.0 + i, 0.0, 1.0)));
        cc.push_back(numbers(indexed("d", i), sample(2000, g::phi, 6.0 + i, 0.0, 1.0)));
    }
    rc.push_back(categories("t", {"a", "b", "c"}, {1000, 1500, 500}, 0));
    cc.push_back(categories("t", {"a", "b", "d"}, {800, 1000, 200}, 0));
    rc.push_back(numbers("score", sample(3000, g::phi)));
    cc.push_back(numbers("score", sample(2000, g::sq3)));
    const dg::profile ref = snapshot(rc, {"default"});
    dg::profile cur = snapshot(cc, {"default"});
    cur.score = "score";
    cur.label = "default";
    std::vector<double> label;
    for (std::size_t i = 0; i < 2000; ++i) label.push_back(static_cast<double>(i % 3 == 0));
    cur.classes = dg::split_scores(sample(2000, g::sq3), label);

    const dg::executor threads = [](std::size_t n, const std::function<void(std::size_t)>& task) {
        std::vector<std::thread> t;
        for (std::size_t i = 0; i < n; ++i) t.emplace_back([&task, i] { task(i); });
        for (auto& x : t) x.join();
    };
    const dg::executor backwards = [](std::size_t n, const std::function<void(std::size_t)>& task) {
        for (std::size_t i = n; i-- > 0;) task(i);
    };
    for (const dg::correction c : {dg::correction::none, dg::correction::holm}) {
        dg::policy p;
        p.drift.pvalue_correction = c;
        const dg::report serial = dg::evaluate(ref, cur, p);
        CHECK(find_check(serial, "auc") != nullptr);
        CHECK(serial.checks.size() > 50);
        CHECK(report_difference(serial, dg::evaluate(ref, cur, p, threads)) == "");
        CHECK(report_difference(serial, dg::evaluate(ref, cur, p, backwards)) == "");
        // evaluate computes KS, the Wasserstein distance and the reference's deviation as tasks of
        // their own (drift_statistics): its drift checks are those of one feature_drift_checks
        // call that computes them itself (without a correction, which adjusts the KS checks
        // afterwards).
        for (int i = 0; i < 6 && c == dg::correction::none; ++i) {
            const std::string col = indexed("c", i);
            const dg::feature_drift whole = dg::feature_drift_checks(*ref.find(col), *cur.find(col), dg::column_kind::continuous, p);
            REQUIRE(whole.checks.size() == 4);
            for (const dg::check& c : whole.checks) {
                INFO(col << " " << c.name);
                const dg::check* e = find_check(serial, c.name, col);
                REQUIRE(e != nullptr);
                CHECK(same_bits(c.value, e->value));
                CHECK(field_difference(c.details, e->details, "details") == "");
                CHECK(c.level == e->level);
            }
        }
    }
}

TEST_CASE("evaluate: a reference read from a profile file uses its stored deviation, and reports what the profile in memory does", "[evaluate]") {
    std::vector<dg::raw_column> rc, cc;
    for (int i = 0; i < 3; ++i) {
        rc.push_back(numbers(indexed("c", i), sample(3000, g::phi, 1.0 + i, 0.0, 0, 40 + i)));
        cc.push_back(numbers(indexed("c", i), sample(2000, g::sq2, 1.0 + i, 0.01 * i, 0, 30 + i)));
    }
    const dg::profile ref = snapshot(rc, {});
    const dg::profile cur = snapshot(cc, {});
    dg::profile read = dg::parse_profile(dg::serialize_profile(ref), "ref.dgp");
    read.meta.source = ref.meta.source;
    for (const auto& c : read.columns) REQUIRE(c.deviation.has_value());
    const dg::policy p = drift_policy();
    CHECK(report_difference(dg::evaluate(ref, cur, p), dg::evaluate(read, cur, p)) == "");
    // The stored figure is the one used (here one set by hand: a file holds its values' own).
    const double sd = *read.columns[1].deviation;
    read.columns[1].deviation = 2.0 * sd;
    const dg::report r = dg::evaluate(read, cur, p);
    const dg::check* w = find_check(r, "wasserstein", "c1");
    REQUIRE(w != nullptr);
    CHECK(w->details.find("reference_std")->as_double() == 2.0 * sd);
    CHECK(find_check(r, "wasserstein", "c0")->details.find("reference_std")->as_double() == *read.columns[0].deviation);
}
