// driftgate — internal: the floating type of the library's long sums and final divisions, and
// the portable stand-ins for the exponent range of a wide long double.
//
// Where long double has at least a 64-bit significand and a 15-bit exponent (x86's 80-bit
// format; IEEE binary128 on aarch64 and other Linux targets), detail::wide_float is long double:
// its extra digits make compensated sums and last divisions good to the last bit of a double,
// and its range (to 1e+-4932) holds p-values, products of 128-bit counts and squares of values
// near DBL_MAX. Elsewhere (MSVC and Apple targets, whose long double is a double; IBM's
// double-double, which has only a double's range) and when DRIFTGATE_LONG_DOUBLE_IS_DOUBLE is
// defined, wide_float is double and the functions that relied on that range take the portable
// paths below and in the headers that use them (each says where it differs, in its last bits).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <boost/math/policies/policy.hpp>

namespace driftgate {
inline namespace v0 {
namespace detail {

#if defined(DRIFTGATE_LONG_DOUBLE_IS_DOUBLE)
inline constexpr bool long_double_is_wide = false;
#else
inline constexpr bool long_double_is_wide =
    std::numeric_limits<long double>::digits >= 64 && std::numeric_limits<long double>::max_exponent >= 16384;
#endif

/// long double where it is wide, else double.
using wide_float = std::conditional_t<long_double_is_wide, long double, double>;

/// The Boost.Math policy of the library's special functions: Boost's default (double arguments
/// evaluated in long double) where long double is wide; doubles evaluated in double otherwise,
/// as Boost does by itself where long double is a double.
using math_policy = std::conditional_t<long_double_is_wide, boost::math::policies::policy<>,
                                       boost::math::policies::policy<boost::math::policies::promote_double<false>>>;

/// The power-of-two scale 2^-k under which sums of n squared differences of values of magnitude
/// <= max_abs neither overflow nor underflow in double. k = 0 for ordinary data (max_abs between
/// about 2^-450 and 2^460), which is not scaled at all. Above, k > 0 with
/// (2 max_abs 2^-k)^2 n < 2^1000; scaling down is exact for values above 2^(k - 1022), and smaller
/// ones lose low bits, by at most 2^(k - 1075) each, far below the spread of any sample holding a
/// value near max_abs (a different value differs from it by at least its ulp, max_abs 2^-52).
/// Below, k = ilogb(max_abs) < 0 brings max_abs to [1, 2), exactly, so that the square of a
/// difference as small as its ulp (2^-52) stays normal.
[[nodiscard]] inline int range_scale(double max_abs, std::uint64_t n) noexcept {
    if (!(max_abs > 0.0) || !std::isfinite(max_abs)) return 0;
    const int e = std::ilogb(max_abs); // 2^e <= max_abs < 2^(e + 1)
    if (e < -450) return e;
    int bits_n = 0;
    for (std::uint64_t m = n; m != 0; m >>= 1) ++bits_n;
    const int k = e + 2 - (999 - bits_n) / 2; // then 2 (e + 2 - k) + bits_n <= 999
    return k > 0 ? k : 0;
}

/// Neumaier's compensated sum of non-negative terms a b 2^k in double, with an exponent of its
/// own: the value is (sum + comp) 2^scale, so neither a term (a product of a 128-bit count and a
/// gap up to 2 DBL_MAX) nor the total overflows, and no digit is lost to the range. The portable
/// stand-in for a compensated long double sum where terms beyond DBL_MAX occur. While the scale is
/// 0 and a term is a finite double below 2^960 (ordinary data) each step is that of
/// compensated_sum in double; past that the scale rises by 2^512 at a time and terms too small
/// to matter beside the total (2^-500 of it) may underflow.
struct scaled_sum {
    double sum = 0.0, comp = 0.0;
    int scale = 0;

    /// Adds a b 2^k, a, b finite and a b >= 0.
    void add_product(double a, double b, int k = 0) noexcept {
        constexpr double big = 0x1p960;
        if (scale == 0 && k == 0) {
            const double t = a * b;
            if (t < big && sum < big) { // finite, far from overflow: a plain step
                add_scaled(t);
                return;
            }
        }
        if (a == 0.0 || b == 0.0) return;
        int ea = 0, eb = 0;
        const double m = std::frexp(a, &ea) * std::frexp(b, &eb); // in [1/4, 1)
        const int e = ea + eb + k;                                 // the term is m 2^e
        while (e - scale > 960 || std::fabs(sum) > big) rescale();
        add_scaled(std::ldexp(m, e - scale));
    }

    /// (sum + comp) / d 2^scale as a double (+inf beyond DBL_MAX), d > 0.
    [[nodiscard]] double divided_by(double d) const noexcept { return std::ldexp((sum + comp) / d, scale); }

private:
    void add_scaled(double x) noexcept {
        const double t = sum + x;
        if (std::fabs(sum) >= std::fabs(x))
            comp += (sum - t) + x;
        else
            comp += (x - t) + sum;
        sum = t;
    }
    void rescale() noexcept {
        sum = std::ldexp(sum, -512);
        comp = std::ldexp(comp, -512);
        scale += 512;
    }
};

} // namespace detail
} // namespace v0
} // namespace driftgate
