// Two-sample KS kernels: the statistic (merge of pre-sorted samples, and from raw samples
// including the sort) and the p-value (exact for n <= 1e4, asymptotic beyond), n = 1e3 .. 1e7.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "driftgate/ks.hpp"

namespace {

// Deterministic low-discrepancy samples (no RNG state): frac(i * mult) + shift.
std::vector<double> make(std::int64_t n, double mult, double shift) {
    std::vector<double> v(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i + 1) * mult;
        v[static_cast<std::size_t>(i)] = t - std::floor(t) + shift;
    }
    return v;
}

void BM_ks_statistic_sorted(benchmark::State& st) {
    const auto n = st.range(0);
    const auto a = driftgate::sort_sample(make(n, 0.6180339887498949, 0.0));
    const auto b = driftgate::sort_sample(make(n + 7, 0.4142135623730951, 0.01));
    for (auto _ : st) {
        auto r = driftgate::detail::ks_statistic(a, b, driftgate::alternative::two_sided);
        benchmark::DoNotOptimize(r);
    }
    st.SetItemsProcessed(st.iterations() * (2 * n + 7));
}

void BM_ks_statistic_raw(benchmark::State& st) {
    const auto n = st.range(0);
    const auto a = make(n, 0.6180339887498949, 0.0);
    const auto b = make(n + 7, 0.4142135623730951, 0.01);
    for (auto _ : st) {
        const auto sa = driftgate::sort_sample(a);
        const auto sb = driftgate::sort_sample(b);
        auto r = driftgate::detail::ks_statistic(sa, sb, driftgate::alternative::two_sided);
        benchmark::DoNotOptimize(r);
    }
    st.SetItemsProcessed(st.iterations() * (2 * n + 7));
}

// Full test on pre-sorted samples (statistic + p-value, method automatic: exact for n <= 1e4).
// range(1) = 0: equal sizes (closed series); 1: n and n - 7 (lattice recursion when exact).
void BM_ks_2samp_sorted(benchmark::State& st) {
    const auto n = st.range(0);
    const auto a = driftgate::sort_sample(make(n, 0.6180339887498949, 0.0));
    const auto b = driftgate::sort_sample(make(n - 7 * st.range(1), 0.4142135623730951, 0.01));
    for (auto _ : st) {
        auto r = driftgate::ks_2samp(a, b);
        benchmark::DoNotOptimize(r);
    }
}

} // namespace

BENCHMARK(BM_ks_statistic_sorted)->RangeMultiplier(10)->Range(1000, 1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ks_statistic_sorted)->Arg(10000000)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ks_statistic_raw)->RangeMultiplier(10)->Range(1000, 1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ks_statistic_raw)->Arg(10000000)->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ks_2samp_sorted)
    ->ArgsProduct({{1000, 10000, 100000, 1000000}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ks_2samp_sorted)->Args({10000000, 0})->Args({10000000, 1})->Iterations(2)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
