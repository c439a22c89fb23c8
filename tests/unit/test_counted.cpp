// Tests of counted_sample (sample.hpp) and of the KS, binning and PSI overloads that accept it.
// A counted sample is the compact form of a sorted sample of few distinct values, so the
// reference for every figure is the same computation on its expansion (sort_sample of the raw
// values), which the golden tests of test_ks / test_psi / test_binning tie to scipy and numpy:
// here every result must equal that one bit for bit, signed zeros, infinities, missing values
// and ties across and within the samples included.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include <driftgate/ks.hpp>
#include <driftgate/psi.hpp>

#include "test_support.hpp"

namespace dg = driftgate;
using namespace test_support;

namespace {

bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (std::isnan(a) && std::isnan(b));
}

/// A raw sample drawn from `pool` (with NaN for missing), n values.
std::vector<double> draw(std::mt19937_64& rng, const std::vector<double>& pool, std::size_t n) {
    std::vector<double> x(n);
    for (auto& v : x) v = pool[rng() % pool.size()];
    return x;
}

/// A pool of k distinct-ish values: codes, signed zeros, infinities, NaN, and close values.
std::vector<double> pool_of(std::mt19937_64& rng, std::size_t k) {
    const std::vector<double> specials{0.0, -0.0, kInf, -kInf, kNaN, 1.0, std::nextafter(1.0, 2.0), -2.0, 1e300};
    std::vector<double> pool;
    for (std::size_t i = 0; i < k; ++i) {
        if (rng() % 3 == 0)
            pool.push_back(specials[rng() % specials.size()]);
        else
            pool.push_back(static_cast<double>(static_cast<int>(rng() % 21) - 5) * (rng() % 2 ? 1.0 : 0.25));
    }
    return pool;
}

void require_same(const dg::ks_result& a, const dg::ks_result& b) {
    REQUIRE(same_bits(a.statistic, b.statistic));
    REQUIRE(same_bits(a.pvalue, b.pvalue));
    REQUIRE(same_bits(a.log_pvalue, b.log_pvalue));
    REQUIRE(same_bits(a.location, b.location));
    REQUIRE(a.sign == b.sign);
    REQUIRE(a.method == b.method);
    REQUIRE(a.fell_back == b.fell_back);
    REQUIRE(a.n1 == b.n1);
    REQUIRE(a.n2 == b.n2);
    REQUIRE(a.missing1 == b.missing1);
    REQUIRE(a.missing2 == b.missing2);
}

void require_same(const dg::psi_result& a, const dg::psi_result& b) {
    REQUIRE(same_bits(a.value, b.value));
    REQUIRE(a.method == b.method);
    REQUIRE(a.smoothed == b.smoothed);
    REQUIRE(a.reference_n == b.reference_n);
    REQUIRE(a.current_n == b.current_n);
    REQUIRE(a.bins.size() == b.bins.size());
    for (std::size_t i = 0; i < a.bins.size(); ++i) {
        REQUIRE(same_bits(a.bins[i].lower, b.bins[i].lower));
        REQUIRE(same_bits(a.bins[i].upper, b.bins[i].upper));
        REQUIRE(a.bins[i].reference_count == b.bins[i].reference_count);
        REQUIRE(a.bins[i].current_count == b.bins[i].current_count);
        REQUIRE(same_bits(a.bins[i].contribution, b.bins[i].contribution));
    }
}

} // namespace

TEST_CASE("count_sample: distinct values ascending with their counts; missing apart; gives up past the limit",
          "[counted]") {
    const std::vector<double> x{3, -0.0, 1, kNaN, 3, 0.0, -kInf, 3, kNaN, 0.0};
    const auto c = dg::count_sample(x);
    REQUIRE(c.has_value());
    // By hand: -inf once, -0.0 once, +0.0 twice, 1 once, 3 three times; 2 missing.
    REQUIRE(c->values.size() == 5);
    REQUIRE(c->values[0] == -kInf);
    REQUIRE(std::signbit(c->values[1]));
    REQUIRE(c->values[1] == 0.0);
    REQUIRE(!std::signbit(c->values[2]));
    REQUIRE(c->values[3] == 1);
    REQUIRE(c->values[4] == 3);
    REQUIRE(c->counts == std::vector<std::size_t>{1, 1, 2, 1, 3});
    REQUIRE(c->n == 8);
    REQUIRE(c->missing == 2);
    REQUIRE(c->total() == 10);
    // The expansion is the sorted sample.
    const auto e = c->expand();
    const auto s = dg::sort_sample(x);
    REQUIRE(e.missing == s.missing);
    REQUIRE(e.values.size() == s.values.size());
    for (std::size_t i = 0; i < s.values.size(); ++i) REQUIRE(same_bits(e.values[i], s.values[i]));

    std::vector<double> many(257);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<double>(i);
    REQUIRE(!dg::count_sample(many).has_value());
    many.pop_back();
    REQUIRE(dg::count_sample(many).has_value());
    REQUIRE(!dg::count_sample(many, 255).has_value());
    REQUIRE(dg::count_sample(std::vector<int>{2, 2, 7})->counts == std::vector<std::size_t>{2, 1});
    REQUIRE(dg::count_sample(std::vector<double>{kNaN, kNaN})->empty());
    require_error([&] { (void)dg::count_sample(many, 300); }, dg::errc::invalid_parameter, "at most 256");
}

TEST_CASE("distinct_counter: counts with multiplicities, NaN as missing, refuses the 257th value, merges in any order",
          "[counted]") {
    dg::distinct_counter c;
    REQUIRE(c.size() == 0);
    REQUIRE(c.missing() == 0);
    // By hand: 2 x 3, -0.0 and +0.0 apart, NaN missing (one NaN added with a count of 4).
    REQUIRE(c.add(2.0, 3));
    REQUIRE(c.add(-0.0));
    REQUIRE(c.add(0.0, 2));
    REQUIRE(c.add(kNaN));
    REQUIRE(c.add(kNaN, 4));
    REQUIRE(c.add(-kInf));
    REQUIRE(c.size() == 4);
    REQUIRE(c.missing() == 5);
    std::vector<double> values;
    std::vector<std::size_t> counts;
    c.for_each_ascending([&](double v, std::size_t n) {
        values.push_back(v);
        counts.push_back(n);
    });
    REQUIRE(values.size() == 4);
    REQUIRE(values[0] == -kInf);
    REQUIRE(std::signbit(values[1]));
    REQUIRE(values[1] == 0.0);
    REQUIRE(!std::signbit(values[2]));
    REQUIRE(values[3] == 2.0);
    REQUIRE(counts == std::vector<std::size_t>{1, 1, 2, 3});
    const dg::counted_sample s = c.counted();
    REQUIRE(s.counts == counts);
    REQUIRE(s.n == 7);
    REQUIRE(s.missing == 5);
    for (std::size_t i = 0; i < values.size(); ++i) REQUIRE(same_bits(s.values[i], values[i]));

    // 256 distinct values fit; the 257th is refused and nothing of it is counted; values already
    // held and NaN are still accepted.
    dg::distinct_counter full;
    for (int i = 0; i < 256; ++i) REQUIRE(full.add(i * 0.5));
    REQUIRE(full.size() == 256);
    REQUIRE(!full.add(1000.0));
    REQUIRE(full.size() == 256);
    REQUIRE(full.add(0.5, 9));
    REQUIRE(full.add(kNaN));
    const dg::counted_sample f = full.counted();
    REQUIRE(f.values.size() == 256);
    REQUIRE(f.n == 256 + 9);
    REQUIRE(f.counts[1] == 10);
    REQUIRE(f.missing == 1);

    // Counting parts of a sample apart and merging the parts' counts (add(value, count)) gives
    // count_sample of the whole, whatever the split.
    std::mt19937_64 rng(5);
    const auto x = draw(rng, pool_of(rng, 40), 5000);
    const auto whole = dg::count_sample(x);
    REQUIRE(whole);
    for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{2500}, std::size_t{4999}}) {
        dg::distinct_counter a, b, merged;
        for (std::size_t i = 0; i < x.size(); ++i) REQUIRE((i < cut ? a : b).add(x[i]));
        for (const dg::distinct_counter* part : {&b, &a}) {
            part->for_each_ascending([&](double v, std::size_t n) { REQUIRE(merged.add(v, n)); });
            merged.add(kNaN, part->missing());
        }
        const dg::counted_sample m = merged.counted();
        REQUIRE(m.counts == whole->counts);
        REQUIRE(m.n == whole->n);
        REQUIRE(m.missing == whole->missing);
        for (std::size_t i = 0; i < m.values.size(); ++i) REQUIRE(same_bits(m.values[i], whole->values[i]));
    }
}

TEST_CASE("KS, bins and PSI of counted samples equal those of their expansions, bit for bit", "[counted][ks][psi]") {
    std::mt19937_64 rng(20261124);
    const std::vector<dg::binning_options> binnings = [] {
        std::vector<dg::binning_options> b(6);
        b[1].method = dg::binning_method::quantile;
        b[1].bins = 7;
        b[2].method = dg::binning_method::uniform;
        b[2].bins = 5;
        b[3].method = dg::binning_method::distinct;
        b[4].max_distinct = 40; // automatic: distinct up to 40 values
        b[5].method = dg::binning_method::edges;
        b[5].edges = {-1.0, 0.0, 2.5};
        return b;
    }();
    for (int round = 0; round < 800; ++round) {
        const auto pool1 = pool_of(rng, 1 + rng() % 30), pool2 = rng() % 4 == 0 ? pool1 : pool_of(rng, 1 + rng() % 30);
        const auto x = draw(rng, pool1, 1 + rng() % 300);
        const auto y = draw(rng, pool2, 1 + rng() % (rng() % 5 == 0 ? 20000 : 300));
        const auto cx = dg::count_sample(x), cy = dg::count_sample(y);
        REQUIRE((cx && cy));
        const auto sx = dg::sort_sample(x), sy = dg::sort_sample(y);
        INFO("round " << round << ": n1 = " << x.size() << ", n2 = " << y.size());
        if (!sx.empty() && !sy.empty()) {
            for (const auto alt : {dg::alternative::two_sided, dg::alternative::less, dg::alternative::greater}) {
                dg::ks_options o;
                o.alt = alt;
                const auto want = dg::ks_2samp(sx, sy, o);
                require_same(dg::ks_2samp(*cx, *cy, o), want);
                require_same(dg::ks_2samp(*cx, sy, o), want);
                require_same(dg::ks_2samp(sx, *cy, o), want);
            }
        }
        if (sx.empty()) {
            require_error([&] { (void)dg::learn_bins(*cx); }, dg::errc::empty_sample, "no non-missing value");
            continue;
        }
        for (const auto& b : binnings) {
            const auto ref = dg::prepare_psi_reference(sx, b);
            const auto cref = dg::prepare_psi_reference(*cx, b);
            REQUIRE(ref.bins.method == cref.bins.method);
            REQUIRE(ref.bins.inner.size() == cref.bins.inner.size());
            for (std::size_t i = 0; i < ref.bins.inner.size(); ++i) REQUIRE(same_bits(ref.bins.inner[i], cref.bins.inner[i]));
            REQUIRE(ref.counts.counts == cref.counts.counts);
            REQUIRE(ref.counts.n == cref.counts.n);
            REQUIRE(dg::count_bins(ref.bins, *cy).counts == dg::count_bins(ref.bins, sy).counts);
            if (!sy.empty()) require_same(dg::psi(cref, *cy), dg::psi(ref, sy));
        }
    }
}

TEST_CASE("KS of counted samples: hand calculation", "[counted][ks]") {
    // x = {1, 1, 2, 3}, y = {2, 2, 2, 4}: F1 - F2 at 1: 2/4 - 0 = 0.5; at 2: 3/4 - 3/4 = 0;
    // at 3: 1 - 3/4 = 0.25; at 4: 0. D = 0.5 at 1, sign +1. Exact p (n1 = n2 = 4, D = 1/2):
    // scipy.stats.ks_2samp([1, 1, 2, 3], [2, 2, 2, 4]).pvalue = 0.7714285714285716.
    const auto x = dg::count_sample(std::vector<double>{1, 1, 2, 3});
    const auto y = dg::count_sample(std::vector<double>{2, 2, 2, 4});
    const auto r = dg::ks_2samp(*x, *y);
    REQUIRE(r.statistic == 0.5);
    REQUIRE(r.location == 1.0);
    REQUIRE(r.sign == 1);
    REQUIRE(r.pvalue == Approx(0.7714285714285716).epsilon(1e-14));
}
