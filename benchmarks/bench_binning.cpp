// Binning and PSI at growing n: learning the edges from a sorted reference (quantile: O(bins);
// automatic on codes: one O(n) distinct-value scan), counting a sorted sample into the bins
// (O(bins log n)) against counting a raw one (O(n log bins)), and the whole PSI of two raw
// samples (two sorts dominate). Continuous values (10 quantile bins) and 11-value codes
// (distinct-value bins), 1% missing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <driftgate/binning.hpp>
#include <driftgate/psi.hpp>

#include "bench_data.hpp"

namespace {

using bench::make_feature;

void BM_learn_bins(benchmark::State& state) {
    const auto ref = driftgate::sort_sample(make_feature(static_cast<std::size_t>(state.range(0)), state.range(1) != 0, 0.0, 1));
    for (auto _ : state) {
        auto b = driftgate::learn_bins(ref);
        benchmark::DoNotOptimize(b.inner.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_count_bins_sorted(benchmark::State& state) {
    const bool codes = state.range(1) != 0;
    const auto ref = driftgate::sort_sample(make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.0, 1));
    const auto cur = driftgate::sort_sample(make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.1, 2));
    const auto b = driftgate::learn_bins(ref);
    for (auto _ : state) {
        auto c = driftgate::count_bins(b, cur);
        benchmark::DoNotOptimize(c.counts.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_count_bins_raw(benchmark::State& state) {
    const bool codes = state.range(1) != 0;
    const auto ref = driftgate::sort_sample(make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.0, 1));
    const auto cur = make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.1, 2);
    const auto b = driftgate::learn_bins(ref);
    for (auto _ : state) {
        auto c = driftgate::count_bins(b, cur);
        benchmark::DoNotOptimize(c.counts.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

/// PSI of two raw samples: sort both, learn edges, count, sum.
void BM_psi_raw(benchmark::State& state) {
    const bool codes = state.range(1) != 0;
    const auto ref = make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.0, 1);
    const auto cur = make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.1, 2);
    for (auto _ : state) {
        auto p = driftgate::psi(driftgate::prepare_psi_reference(driftgate::sort_sample(ref)), driftgate::sort_sample(cur));
        benchmark::DoNotOptimize(p.value);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 2 * state.range(0));
}

void sizes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"n", "codes"});
    for (int codes : {0, 1})
        for (std::int64_t n : {1'000, 10'000, 100'000, 1'000'000, 10'000'000}) b->Args({n, codes});
}

} // namespace

BENCHMARK(BM_learn_bins)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_count_bins_sorted)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_count_bins_raw)->Apply(sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_psi_raw)->Apply(sizes)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
