// Kernel benchmarks of include/driftgate/roc.hpp: ROC-AUC (sort + Mann-Whitney over tie groups),
// AUC from a prepared roc_table, the classifier KS statistic, DeLong's variance, both of these in
// one pass (summarize_roc, what `driftgate perf` calls) and the paired DeLong test, at
// n = 1e3 .. 1e7.
//
//   bench_roc --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "driftgate/roc.hpp"

namespace {

struct data {
    std::vector<double> s, s2;
    std::vector<int> y;
    std::vector<double> w;
};

std::uint64_t splitmix64(std::uint64_t& state) {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// Scores uniform on [0, 1) with 2^40 levels (few ties); P(y = 1 | s) = 0.125 + 0.75 s (AUC ~ 0.75).
data make_data(std::size_t n) {
    data d;
    std::uint64_t st = 12345;
    const double u = 1.0 / 1099511627776.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double s = static_cast<double>(splitmix64(st) >> 24) * u;
        const double v = static_cast<double>(splitmix64(st) >> 11) * 0x1.0p-53;
        d.s.push_back(s);
        d.s2.push_back(s + static_cast<double>(splitmix64(st) >> 11) * 0x1.0p-55);
        d.y.push_back(v < 0.125 + 0.75 * s ? 1 : 0);
        d.w.push_back(1.0 + static_cast<double>(splitmix64(st) % 8) / 4.0);
    }
    return d;
}

void BM_roc_auc(benchmark::State& state) {
    const auto d = make_data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(driftgate::roc_auc(d.s, d.y).auc);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_roc_auc_weighted(benchmark::State& state) {
    const auto d = make_data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(driftgate::roc_auc(d.s, d.y, d.w).auc);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_roc_auc_prepared(benchmark::State& state) {
    const auto d = make_data(static_cast<std::size_t>(state.range(0)));
    const auto t = driftgate::make_roc_table(d.s, d.y);
    for (auto _ : state) benchmark::DoNotOptimize(driftgate::roc_auc(t).auc);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_classifier_ks(benchmark::State& state) {
    const auto d = make_data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(driftgate::classifier_ks(d.s, d.y).statistic);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_delong(benchmark::State& state) {
    const auto d = make_data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(driftgate::delong(d.s, d.y).variance);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_summarize_roc(benchmark::State& state) {
    const auto d = make_data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(driftgate::summarize_roc(d.s, d.y).delong.variance);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_compare_auc_paired(benchmark::State& state) {
    const auto d = make_data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(driftgate::compare_auc_paired(d.s, d.s2, d.y).pvalue);
    state.SetItemsProcessed(state.iterations() * state.range(0));
}

} // namespace

BENCHMARK(BM_roc_auc)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_roc_auc_weighted)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_roc_auc_prepared)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_classifier_ks)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_delong)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_summarize_roc)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_compare_auc_paired)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
