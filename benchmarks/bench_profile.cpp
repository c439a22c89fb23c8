// Kernels of reference profiles (profile_io.hpp): parsing a profile file's bytes, into values of
// its own (what `profile show` and `profile merge` do) and viewing them in the bytes (what `drift
// ref.dgp ...` does before judging: parse_profile with an owner), serializing it, and reading
// the file into memory, on the
// profile that benchmarks/profile_bench.py writes (DRIFTGATE_BENCH_PROFILE, default
// /tmp/driftgate-bench/ref_1000000.dgp; the benchmarks are skipped when it does not exist).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <driftgate/profile_io.hpp>

namespace {

std::string profile_path() {
    const char* p = std::getenv("DRIFTGATE_BENCH_PROFILE");
    return p ? p : "/tmp/driftgate-bench/ref_1000000.dgp";
}

/// The file's bytes, read as the CLI reads a profile (cli/snapshot.cpp: size, one read).
std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    in.seekg(0, std::ios::beg);
    std::string b(static_cast<std::size_t>(size), '\0');
    in.read(b.data(), size);
    return b;
}

const std::string& bytes() {
    static const std::string b = read_file(profile_path());
    return b;
}

void BM_read_file(benchmark::State& state) {
    if (bytes().empty()) return state.SkipWithError(("no profile at " + profile_path()).c_str());
    for (auto _ : state) {
        std::string b = read_file(profile_path());
        benchmark::DoNotOptimize(b.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes().size()));
}

void BM_parse_profile(benchmark::State& state) {
    if (bytes().empty()) return state.SkipWithError(("no profile at " + profile_path()).c_str());
    for (auto _ : state) {
        driftgate::profile p = driftgate::parse_profile(bytes(), "bench");
        benchmark::DoNotOptimize(p.columns.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes().size()));
}

void BM_parse_profile_viewed(benchmark::State& state) {
    if (bytes().empty()) return state.SkipWithError(("no profile at " + profile_path()).c_str());
    const std::shared_ptr<const void> owner(&bytes(), [](const void*) {});  // the static bytes outlive the loop
    for (auto _ : state) {
        driftgate::profile p = driftgate::parse_profile(bytes(), "bench", driftgate::default_profile_max_values, owner);
        benchmark::DoNotOptimize(p.columns.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes().size()));
}

void BM_serialize_profile(benchmark::State& state) {
    if (bytes().empty()) return state.SkipWithError(("no profile at " + profile_path()).c_str());
    const driftgate::profile p = driftgate::parse_profile(bytes(), "bench");
    for (auto _ : state) {
        std::string b = driftgate::serialize_profile(p);
        benchmark::DoNotOptimize(b.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes().size()));
}

BENCHMARK(BM_read_file)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_parse_profile)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_parse_profile_viewed)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_serialize_profile)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
