// Binning and PSI/CSI: golden values from numpy (tests/golden/psi/gen_psi.py), hand-computed
// cases, properties and an edge-case table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "driftgate/psi.hpp"
#include "golden/psi/psi_golden.hpp"

using namespace driftgate;

namespace {
const double nan_v = std::numeric_limits<double>::quiet_NaN();
const double inf_v = std::numeric_limits<double>::infinity();

binning_method method_of(const std::string& m) {
    if (m == "quantile") return binning_method::quantile;
    if (m == "uniform") return binning_method::uniform;
    if (m == "distinct") return binning_method::distinct;
    return binning_method::edges;
}
} // namespace

TEST_CASE("binning and PSI match numpy golden values", "[psi][golden]") {
    for (const auto& c : golden::psi::cases) {
        INFO("case " << c.name);
        binning_options opt;
        opt.method = method_of(c.method);
        opt.bins = c.bins;
        opt.edges = *c.edges;
        const auto ref = prepare_psi_reference(sort_sample(*c.ref), opt);
        // Edges equal numpy's bit for bit.
        REQUIRE(ref.bins.inner == *c.inner);
        REQUIRE(ref.counts.counts == c.ref_counts);
        const auto r = psi(ref, sort_sample(*c.cur));
        std::vector<std::size_t> cur_counts;
        for (const auto& b : r.bins) cur_counts.push_back(b.current_count);
        REQUIRE(cur_counts == c.cur_counts);
        CHECK(r.value == Approx(c.psi).epsilon(1e-13));
        CHECK(r.smoothed == c.smoothed);
        CHECK(std::isfinite(r.value));
        // The raw-span path counts the same way as the sorted path.
        const auto raw = psi(ref, std::span<const double>(*c.cur));
        CHECK(raw.value == Approx(r.value).epsilon(1e-15));
    }
}

TEST_CASE("PSI hand-computed: no empty bin gives the plain formula", "[psi]") {
    // Edges [0, 5, 10]: bins (-inf, 5) and [5, +inf).
    // ref 1..10 -> 4 | 6 -> shares 0.4 | 0.6; cur {1,2,6,7,8,9,10,11} -> 2 | 6 -> 0.25 | 0.75.
    // PSI = (0.25-0.4) ln(0.25/0.4) + (0.75-0.6) ln(0.75/0.6) = 0.15 (ln 1.25 - ln 0.625) = 0.15 ln 2.
    const std::vector<double> ref{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const std::vector<double> cur{1, 2, 6, 7, 8, 9, 10, 11};
    binning_options opt;
    opt.method = binning_method::edges;
    opt.edges = {0, 5, 10};
    const auto r = psi(ref, cur, opt);
    CHECK(r.value == Approx(0.15 * std::log(2.0)).epsilon(1e-15));
    CHECK_FALSE(r.smoothed);
    CHECK(r.empty_current_bins == 0);
    CHECK(r.empty_reference_bins == 0);
    REQUIRE(r.bins.size() == 3); // two value bins + the missing bin
    CHECK(r.bins[0].lower == -inf_v);
    CHECK(r.bins[0].upper == 5.0);
    CHECK(r.bins[1].upper == inf_v);
    CHECK(r.bins[2].missing);
    CHECK(r.bins[0].contribution == Approx(-0.15 * std::log(0.625)).epsilon(1e-15));
}

TEST_CASE("PSI hand-computed: an empty bin is smoothed by epsilon and reported", "[psi]") {
    // ref {1, 2} -> 0.5 | 0.5 over (-inf, 1.5), [1.5, inf); cur {1, 1} -> 1 | 0 -> 1 | eps.
    const std::vector<double> ref{1, 2};
    const std::vector<double> cur{1, 1};
    binning_options opt;
    opt.method = binning_method::edges;
    opt.edges = {0, 1.5, 3};
    const double eps = 1e-4;
    const double expected = (1 - 0.5) * std::log(1 / 0.5) + (eps - 0.5) * std::log(eps / 0.5);
    const auto r = psi(ref, cur, opt);
    CHECK(r.value == Approx(expected).epsilon(1e-15));
    CHECK(r.smoothed);
    CHECK(r.empty_current_bins == 1);
    CHECK(r.empty_reference_bins == 0);
    CHECK(r.epsilon == eps);
    // A different epsilon, documented as configurable.
    const auto r2 = psi(ref, cur, opt, psi_options{1e-3});
    CHECK(r2.value == Approx((1 - 0.5) * std::log(2.0) + (1e-3 - 0.5) * std::log(1e-3 / 0.5)).epsilon(1e-15));
}

TEST_CASE("Missing values have a bin of their own", "[psi][binning]") {
    // ref: 3 values + 1 NaN; cur: 2 values + 2 NaN. Single value bin (edges [0, 10]).
    // shares: value 0.75 | missing 0.25 vs 0.5 | 0.5.
    // PSI = (0.5-0.75) ln(0.5/0.75) + (0.5-0.25) ln(0.5/0.25) = 0.25 ln 1.5 + 0.25 ln 2 = 0.25 ln 3.
    const std::vector<double> ref{1, 2, 3, nan_v};
    const std::vector<double> cur{nan_v, 4, nan_v, 5};
    binning_options opt;
    opt.method = binning_method::edges;
    opt.edges = {0, 10};
    const auto r = psi(ref, cur, opt);
    CHECK(r.value == Approx(0.25 * std::log(3.0)).epsilon(1e-15));
    CHECK(r.bins.back().reference_count == 1);
    CHECK(r.bins.back().current_count == 2);
    CHECK(std::isnan(r.bins.back().lower));
}

TEST_CASE("Outer bins are open-ended and infinities fall in them", "[binning]") {
    const std::vector<double> ref{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    binning_options opt;
    opt.method = binning_method::uniform;
    opt.bins = 3; // edges 0, 3, 6, 9 -> inner 3, 6
    const auto b = learn_bins(sort_sample(ref), opt);
    REQUIRE(b.inner == std::vector<double>{3, 6});
    CHECK(b.bin_of(-inf_v) == 0);
    CHECK(b.bin_of(-100) == 0);
    CHECK(b.bin_of(2.999) == 0);
    CHECK(b.bin_of(3) == 1); // half-open [3, 6)
    CHECK(b.bin_of(6) == 2);
    CHECK(b.bin_of(1e300) == 2);
    CHECK(b.bin_of(inf_v) == 2);
    CHECK(b.bin_of(nan_v) == 3);
    const std::vector<double> cur{-inf_v, inf_v, nan_v, 3.0};
    const auto c = count_bins(b, cur);
    CHECK(c.counts == std::vector<std::size_t>{1, 1, 1, 1});
    CHECK(c.n == 4);
    const auto cs = count_bins(b, sort_sample(cur));
    CHECK(cs.counts == c.counts);
}

TEST_CASE("Automatic binning: one bin per value for few distinct values, quantiles otherwise", "[binning]") {
    std::vector<int> codes;
    for (int v = -2; v <= 8; ++v)
        for (int k = 0; k < 5; ++k) codes.push_back(v); // 11 distinct values
    const auto s = sort_sample(codes);
    binning_options opt; // bins = 10, max_distinct = bins
    CHECK(learn_bins(s, opt).method == binning_method::quantile);
    opt.max_distinct = 11;
    const auto b = learn_bins(s, opt);
    CHECK(b.method == binning_method::distinct);
    CHECK(b.value_bins() == 11);
    // A current code between reference codes falls in the bin of the code below it.
    CHECK(b.bin_of(0.5) == b.bin_of(0.0));
}

TEST_CASE("PSI properties: >= 0, PSI(x, x) = 0, permutation invariance", "[psi][property]") {
    std::mt19937_64 gen(7);
    std::normal_distribution<double> nd(0.0, 1.0);
    for (int trial = 0; trial < 200; ++trial) {
        const std::size_t n1 = 1 + gen() % 300, n2 = 1 + gen() % 300;
        std::vector<double> x(n1), y(n2);
        const double shift = (static_cast<double>(gen() % 100) - 50) / 50.0;
        for (auto& v : x) v = std::round(nd(gen) * 4) / 4; // ties
        for (auto& v : y) v = std::round((nd(gen) + shift) * 4) / 4;
        if (trial % 3 == 0) x[0] = nan_v;
        binning_options opt;
        opt.method = trial % 2 ? binning_method::quantile : binning_method::automatic;
        const auto r = psi(x, y, opt);
        CHECK(r.value >= 0.0);
        CHECK(std::isfinite(r.value));
        CHECK(psi(x, x, opt).value == 0.0);
        auto xp = x, yp = y;
        std::shuffle(xp.begin(), xp.end(), gen);
        std::shuffle(yp.begin(), yp.end(), gen);
        CHECK(psi(xp, yp, opt).value == Approx(r.value).epsilon(1e-12));
        // Bin counts sum to n, missing included.
        const auto ref = prepare_psi_reference(sort_sample(x), opt);
        CHECK(std::accumulate(ref.counts.counts.begin(), ref.counts.counts.end(), std::size_t{0}) == x.size());
    }
}

TEST_CASE("CSI is the same index under its own name", "[psi]") {
    const std::vector<double> ref{0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    const std::vector<double> cur{0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    const auto p = psi(ref, cur);
    const auto c = csi(ref, cur);
    CHECK(c.kind == stability_index::csi);
    CHECK(p.kind == stability_index::psi);
    CHECK(c.value == p.value);
    CHECK(std::string(to_string(c.kind)) == "csi");
}

TEST_CASE("Binning and PSI edge cases", "[psi][edge]") {
    SECTION("empty reference or current sample is an error") {
        const std::vector<double> empty, one{1.0};
        CHECK_THROWS_AS(psi(empty, one), driftgate::error);
        try {
            (void)psi(one, empty);
            FAIL("no exception");
        } catch (const driftgate::error& e) {
            CHECK(e.id() == errc::empty_sample);
        }
    }
    SECTION("a reference of only missing values cannot be binned") {
        const std::vector<double> ref{nan_v, nan_v}, cur{1.0};
        try {
            (void)psi(ref, cur);
            FAIL("no exception");
        } catch (const driftgate::error& e) {
            CHECK(e.id() == errc::empty_sample);
        }
    }
    SECTION("one element") {
        const std::vector<double> one{3.0};
        const auto r = psi(one, one);
        CHECK(r.value == 0.0);
        CHECK(r.bins.size() == 2); // one value bin + missing
    }
    SECTION("all tied: a single value bin; a current sample elsewhere still counts") {
        const std::vector<double> ref(50, 2.0), cur{5.0, 6.0};
        const auto r = psi(ref, cur);
        CHECK(r.value == 0.0); // every value falls in the one open bin
    }
    SECTION("a current sample of only missing values is valid and drifts") {
        const std::vector<double> ref{1, 2, 3, 4}, cur{nan_v, nan_v};
        const auto r = psi(ref, cur);
        CHECK(std::isfinite(r.value));
        CHECK(r.value > 1.0);
        CHECK(r.smoothed);
    }
    SECTION("infinities in the reference: edges come from finite values") {
        const std::vector<double> ref{-inf_v, 1, 2, 3, 4, inf_v}, cur{1, 2, 3, 4};
        binning_options opt;
        opt.method = binning_method::quantile;
        opt.bins = 2;
        const auto b = learn_bins(sort_sample(ref), opt);
        CHECK(b.inner == std::vector<double>{2.5});
        const auto r = psi(ref, cur, opt);
        CHECK(std::isfinite(r.value));
    }
    SECTION("bad options") {
        const std::vector<double> x{1, 2, 3};
        binning_options opt;
        opt.bins = 0;
        CHECK_THROWS_AS(learn_bins(sort_sample(x), opt), driftgate::error);
        opt = {};
        opt.method = binning_method::edges;
        opt.edges = {0.0, 0.0, 1.0};
        CHECK_THROWS_AS(learn_bins(sort_sample(x), opt), driftgate::error);
        opt.edges = {0.0, inf_v};
        CHECK_THROWS_AS(learn_bins(sort_sample(x), opt), driftgate::error);
        opt.edges = {1.0};
        CHECK_THROWS_AS(learn_bins(sort_sample(x), opt), driftgate::error);
        CHECK_THROWS_AS(psi(x, x, binning_options{}, psi_options{0.0}), driftgate::error);
    }
    SECTION("integer samples compute in double") {
        const std::vector<int> ref{1, 2, 3, 4}, cur{1, 1, 2, 2};
        const std::vector<double> refd{1, 2, 3, 4}, curd{1, 1, 2, 2};
        CHECK(psi(ref, cur).value == psi(refd, curd).value);
    }
}

TEST_CASE("Quantile edges stay sorted on values spanning +/-DBL_MAX (fuzz finding)", "[binning][edge]") {
    const double big = std::numeric_limits<double>::max();
    const std::vector<double> ref{-big, -big, -1.0, big, big, big};
    binning_options opt;
    opt.method = binning_method::quantile;
    const auto b = learn_bins(sort_sample(ref), opt);
    CHECK(std::is_sorted(b.inner.begin(), b.inner.end()));
    CHECK(std::adjacent_find(b.inner.begin(), b.inner.end()) == b.inner.end());
    for (double e : b.inner) CHECK(std::isfinite(e));
    const auto r = psi(ref, ref, opt);
    CHECK(r.value == 0.0);
    const auto c = count_bins(b, sort_sample(ref));
    CHECK(std::accumulate(c.counts.begin(), c.counts.end(), std::size_t{0}) == ref.size());
}
