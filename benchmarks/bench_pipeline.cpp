// The drift and performance pipeline at growing n.
//  * BM_drift_column: what `driftgate drift` does per feature, from raw columns: sort both
//    samples once, learn the reference bins, PSI, two-sample KS (asymptotic p beyond 1e4 values,
//    which scipy's 'auto' also uses). Continuous values and 11-value codes.
//  * BM_drift_command / BM_perf_command: the CLI's commands end to end (CSV reading included) on
//    a generated 12-column snapshot pair (written to a temporary directory once), with
//    range(1) threads (0: every core). Bytes/s is the input size per second.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include <driftgate/ks.hpp>
#include <driftgate/psi.hpp>

#include "commands.hpp"

#include "bench_data.hpp"

namespace {

namespace fs = std::filesystem;

using bench::make_feature;

void BM_drift_column(benchmark::State& state) {
    const bool codes = state.range(1) != 0;
    const auto ref = make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.0, 1);
    const auto cur = make_feature(static_cast<std::size_t>(state.range(0)), codes, 0.05, 2);
    for (auto _ : state) {
        const auto rs = driftgate::sort_sample(ref);
        const auto cs = driftgate::sort_sample(cur);
        const auto p = driftgate::psi(driftgate::prepare_psi_reference(rs), cs);
        const auto k = driftgate::ks_2samp(rs, cs);
        benchmark::DoNotOptimize(p.value);
        benchmark::DoNotOptimize(k.pvalue);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 2 * state.range(0));
}
BENCHMARK(BM_drift_column)
    ->ArgNames({"n", "codes"})
    ->ArgsProduct({{1'000, 10'000, 100'000, 1'000'000, 10'000'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

const std::vector<std::string> features = {"PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6",
                                           "LIMIT_BAL", "utilization_1", "payment_ratio_1", "BILL_AMT1"};

/// A snapshot pair per size, written once into a temporary directory removed at exit.
struct snapshots {
    fs::path dir = fs::temp_directory_path() / ("driftgate_bench_pipeline_" + std::to_string(::getpid()));
    std::map<std::int64_t, std::pair<std::string, std::string>> files;
    std::map<std::int64_t, std::uintmax_t> bytes;

    snapshots() { fs::create_directories(dir); }
    ~snapshots() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    static void write(const std::string& path, std::int64_t n, double shift, std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        std::normal_distribution<double> normal(0.0, 1.0);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        std::string text = "PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6,LIMIT_BAL,utilization_1,payment_ratio_1,BILL_AMT1,score,label\n";
        char buf[64];
        auto num = [&](double v) {
            text.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
        };
        for (std::int64_t i = 0; i < n; ++i) {
            const double risk = normal(rng) + shift;
            for (int k = 0; k < 6; ++k) {
                num(std::clamp(std::floor(0.9 * risk + 0.6 * normal(rng)), -2.0, 8.0));
                text += ',';
            }
            num(10000.0 * std::clamp(std::floor(15.0 * std::exp(0.7 * normal(rng) - 0.35 * risk)), 1.0, 100.0));
            text += ',';
            num(1.05 / (1.0 + std::exp(-(0.8 * risk + 0.9 * normal(rng) - 0.5))));
            text += ',';
            num(0.08 * std::exp(-0.6 * risk + 0.8 * normal(rng)));
            text += ',';
            num(std::round(100.0 * (60000.0 + 50000.0 * risk + 2000.0 * normal(rng))) / 100.0);
            text += ',';
            const double pd = 1.0 / (1.0 + std::exp(1.7 - 0.85 * risk - 0.35 * normal(rng)));
            num(pd);
            text += unit(rng) < pd ? ",1\n" : ",0\n";
        }
        std::ofstream(path, std::ios::binary) << text;
    }
    const std::pair<std::string, std::string>& get(std::int64_t n) {
        auto it = files.find(n);
        if (it != files.end()) return it->second;
        const std::string ref = (dir / ("ref_" + std::to_string(n) + ".csv")).string();
        const std::string cur = (dir / ("cur_" + std::to_string(n) + ".csv")).string();
        write(ref, n, 0.0, 1);
        write(cur, n, 0.1, 2);
        bytes[n] = fs::file_size(ref) + fs::file_size(cur);
        return files[n] = {ref, cur};
    }
};

snapshots& data() {
    static snapshots s;
    return s;
}

driftgate::cli::config make_config(unsigned threads) {
    driftgate::cli::config c;
    c.policy.columns.features = features;
    c.policy.columns.score = "score";
    c.policy.columns.label = "label";
    c.threads = threads;
    return c;
}

void BM_drift_command(benchmark::State& state) {
    const auto& [ref, cur] = data().get(state.range(0));
    const auto c = make_config(static_cast<unsigned>(state.range(1)));
    for (auto _ : state) {
        auto r = driftgate::cli::run_drift_command(c, ref, cur);
        benchmark::DoNotOptimize(r.checks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data().bytes[state.range(0)]));
}

void BM_perf_command(benchmark::State& state) {
    const auto& files = data().get(state.range(0));
    const auto c = make_config(static_cast<unsigned>(state.range(1)));
    for (auto _ : state) {
        auto r = driftgate::cli::run_perf_command(c, files.second);
        benchmark::DoNotOptimize(r.checks.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * fs::file_size(files.second)));
}

BENCHMARK(BM_drift_command)
    ->ArgNames({"rows", "threads"})
    ->ArgsProduct({{100'000, 1'000'000}, {1, 0}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_perf_command)
    ->ArgNames({"rows", "threads"})
    ->ArgsProduct({{100'000, 1'000'000}, {1, 0}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace

BENCHMARK_MAIN();
