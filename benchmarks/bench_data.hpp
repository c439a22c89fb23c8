// Synthetic feature samples shared by the kernel benchmarks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace bench {

/// n values: standard normal shifted by `shift`, or PAY-like integer codes in [-2, 8] derived from
/// it; about 1% missing (NaN). Deterministic for a given (n, codes, shift, seed).
inline std::vector<double> make_feature(std::size_t n, bool codes, double shift, std::uint64_t seed) {
    std::mt19937_64 rng(seed + n);
    std::normal_distribution<double> normal(shift, 1.0);
    std::vector<double> x(n);
    for (auto& v : x) {
        const double z = normal(rng);
        v = codes ? std::clamp(std::floor(z * 1.5), -2.0, 8.0) : z;
        if (rng() % 100 == 0) v = NAN;
    }
    return x;
}

} // namespace bench
