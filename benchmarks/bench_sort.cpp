// Sorting and ranking: sort_sample (NaN set aside, radix sort of the rest) against std::sort of
// the same values, at growing n, on three shapes of credit data: continuous values (utilization,
// scores: every bit varies), integer codes (PAY_0: 11 distinct values) and amounts with two
// decimals. Items/s is values sorted per second; the time per value should stay flat in n for
// sort_sample (O(n)) and grow like log n for std::sort.
// Before timing, each shape's result is checked against std::sort (the program aborts on a
// difference). BM_count_sample: the codes counted instead (count_sample), what `driftgate drift`
// does with a column of few distinct values.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <driftgate/sample.hpp>

namespace {

enum shape : int { continuous = 0, codes = 1, amounts = 2 };

std::vector<double> make(std::size_t n, int kind) {
    std::mt19937_64 rng(12345 + n);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double> x(n);
    for (auto& v : x) {
        switch (kind) {
        case continuous: v = unit(rng); break;
        case codes: v = static_cast<double>(static_cast<int>(rng() % 11) - 2); break;
        default: v = std::round(unit(rng) * 5e7) / 100.0 - 1e5; break;
        }
        if (rng() % 100 == 0) v = NAN; // 1% missing
    }
    return x;
}

void check_same(const std::vector<double>& x) {
    const auto s = driftgate::sort_sample(x);
    std::vector<double> ref;
    for (double v : x)
        if (!std::isnan(v)) ref.push_back(v);
    std::sort(ref.begin(), ref.end());
    if (ref.size() != s.values.size() || std::memcmp(ref.data(), s.values.data(), ref.size() * sizeof(double)) != 0) {
        std::fprintf(stderr, "bench_sort: sort_sample differs from std::sort at n = %zu\n", x.size());
        std::abort();
    }
}

void BM_sort_sample(benchmark::State& state) {
    const auto x = make(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
    check_same(x);
    for (auto _ : state) {
        auto s = driftgate::sort_sample(x);
        benchmark::DoNotOptimize(s.values.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_std_sort(benchmark::State& state) {
    const auto x = make(static_cast<std::size_t>(state.range(0)), static_cast<int>(state.range(1)));
    for (auto _ : state) {
        std::vector<double> v;
        v.reserve(x.size());
        for (double d : x)
            if (!std::isnan(d)) v.push_back(d);
        std::sort(v.begin(), v.end());
        benchmark::DoNotOptimize(v.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

/// count_sample: the counted form of a sample of codes (one pass, no sort, nothing of size n).
void BM_count_sample(benchmark::State& state) {
    const auto x = make(static_cast<std::size_t>(state.range(0)), codes);
    for (auto _ : state) {
        auto c = driftgate::count_sample(x);
        benchmark::DoNotOptimize(c);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void sizes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"n", "shape"});
    for (int kind : {continuous, codes, amounts})
        for (std::int64_t n : {1'000, 10'000, 100'000, 1'000'000, 10'000'000}) b->Args({n, kind});
    b->Unit(benchmark::kMillisecond);
}

} // namespace

BENCHMARK(BM_sort_sample)->Apply(sizes);
BENCHMARK(BM_std_sort)->Apply(sizes);
BENCHMARK(BM_count_sample)->RangeMultiplier(10)->Range(1000, 10'000'000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
