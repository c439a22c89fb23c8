// Throughput of the CLI's CSV reader on a numeric file shaped like a credit-scoring snapshot:
// 12 columns, 1e6 rows, about 94 MB, written to a temporary directory when the benchmark starts.
// Reported as MB/s of file bytes (state.SetBytesProcessed, wall clock) and as MB_per_cpu_second
// (file bytes over the CPU time of all threads): the per-core throughput.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "csv.hpp"

namespace {

namespace fs = std::filesystem;

/// The generated file, created once and removed at exit.
struct numeric_csv {
    fs::path dir;
    std::string path;
    std::string text;  // the same bytes, for the in-memory benchmark
    std::vector<std::string> names;

    numeric_csv() {
        dir = fs::temp_directory_path() / ("driftgate_bench_csv_" + std::to_string(::getpid()));
        fs::create_directories(dir);
        path = (dir / "snapshot.csv").string();
        const char* header[] = {"LIMIT_BAL", "AGE",       "PAY_0",     "BILL_AMT1", "BILL_AMT2", "BILL_AMT3",
                                "PAY_AMT1",  "PAY_AMT2",  "PAY_AMT3",  "UTIL",      "SCORE",     "PD"};
        for (const char* h : header) {
            if (!text.empty()) text += ',';
            text += h;
            names.emplace_back(h);
        }
        text += '\n';
        std::mt19937_64 rng(42);
        std::uniform_int_distribution<int> amount(0, 999999), age(21, 79), pay(-2, 8), pct(0, 9999);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        char buf[64];
        text.reserve(96'000'000);
        for (int i = 0; i < 1'000'000; ++i) {
            int n = std::snprintf(buf, sizeof buf, "%d,%d,%d,", amount(rng) / 10 * 10, age(rng), pay(rng));
            text.append(buf, static_cast<std::size_t>(n));
            for (int k = 0; k < 6; ++k) {  // amounts with cents, some negative (refunds)
                const int a = amount(rng) - 100000;
                n = std::snprintf(buf, sizeof buf, "%s%d.%02d,", a < 0 ? "-" : "", (a < 0 ? -a : a), pct(rng) % 100);
                text.append(buf, static_cast<std::size_t>(n));
            }
            n = std::snprintf(buf, sizeof buf, "%d.%02d,%.6f,%.5f\n", pct(rng) / 100, pct(rng) % 100, unit(rng),
                              unit(rng) * 0.2);
            text.append(buf, static_cast<std::size_t>(n));
        }
        std::ofstream(path, std::ios::binary) << text;
    }
    ~numeric_csv() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

const numeric_csv& data() {
    static const numeric_csv d;
    return d;
}

/// CPU seconds of the whole process (every thread), for the per-core rate.
double process_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// Sets bytes_per_second (wall clock) and MB_per_cpu_second: file MB over the CPU seconds of all
/// threads, the per-core throughput, meaningful even when other processes share the cores.
void report(benchmark::State& state, double cpu_seconds) {
    const auto bytes = static_cast<double>(state.iterations()) * static_cast<double>(data().text.size());
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.counters["MB_per_cpu_second"] = bytes / 1e6 / cpu_seconds;
}

std::vector<std::string> first(std::size_t n) {
    const auto& all = data().names;
    return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n)};
}

/// read_csv from the file (mmap, line-feed count, parse); range(0) threads, range(1) columns used.
void BM_read_csv(benchmark::State& state) {
    driftgate::cli::csv_options o;
    o.threads = static_cast<unsigned>(state.range(0));
    const auto columns = first(static_cast<std::size_t>(state.range(1)));
    const double cpu0 = process_cpu_seconds();
    for (auto _ : state) {
        auto t = driftgate::cli::read_csv(data().path, columns, o);
        benchmark::DoNotOptimize(t.columns.data());
    }
    report(state, process_cpu_seconds() - cpu0);
}
BENCHMARK(BM_read_csv)
    ->ArgNames({"threads", "columns"})
    ->Args({1, 12})
    ->Args({2, 12})
    ->Args({1, 3})
    ->Args({2, 3})
    ->Args({1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// parse_csv on text already in memory: the parser alone.
void BM_parse_csv_memory(benchmark::State& state) {
    driftgate::cli::csv_options o;
    o.threads = static_cast<unsigned>(state.range(0));
    const auto columns = first(12);
    const double cpu0 = process_cpu_seconds();
    for (auto _ : state) {
        auto t = driftgate::cli::parse_csv(data().text, "snapshot.csv", columns, o);
        benchmark::DoNotOptimize(t.columns.data());
    }
    report(state, process_cpu_seconds() - cpu0);
}
BENCHMARK(BM_parse_csv_memory)->ArgNames({"threads"})->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
