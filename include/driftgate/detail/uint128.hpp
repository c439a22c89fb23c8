// driftgate — internal: unsigned 128-bit integers, for exact sums and products of 64-bit counts
// (DeLong's sums, the chi-square numerators, the ECDF differences of Jensen–Shannon and
// Wasserstein).
//
// detail::uint128 is the compiler's unsigned __int128 where it has one (GCC, Clang), and
// detail::uint128_portable elsewhere (MSVC, ...) or when DRIFTGATE_NO_INT128 is defined: two 64-bit
// words with the operations the library uses — construction from an integer, +, -, * (modulo
// 2^128, so a 64 x 64 -> 128-bit product is exact), shifts, comparisons, and conversions to an
// integer (the low bits, as a cast of __int128 gives) and to a floating type (rounded to nearest,
// ties to even, as the compiler's conversion rounds). The two agree bit for bit
// (tests/unit/test_uint128.cpp compares them where __int128 exists).
#pragma once

#include <bit>
#include <cmath>
#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace driftgate {
inline namespace v0 {
namespace detail {

class uint128_portable {
public:
    constexpr uint128_portable() noexcept = default;

    /// From an integer, as the conversion to unsigned __int128: a negative value wraps modulo 2^128.
    template <std::integral T>
    constexpr uint128_portable(T v) noexcept // NOLINT(google-explicit-constructor): an integer type
        : hi_(negative(v) ? ~std::uint64_t{0} : 0), lo_(static_cast<std::uint64_t>(v)) {}

    [[nodiscard]] constexpr std::uint64_t high() const noexcept { return hi_; }
    [[nodiscard]] constexpr std::uint64_t low() const noexcept { return lo_; }

    /// The full product of two 64-bit words, by 32-bit halves.
    [[nodiscard]] static constexpr uint128_portable product(std::uint64_t a, std::uint64_t b) noexcept {
        constexpr std::uint64_t m32 = 0xffffffffu;
        const std::uint64_t a0 = a & m32, a1 = a >> 32, b0 = b & m32, b1 = b >> 32;
        const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
        const std::uint64_t mid = (p00 >> 32) + (p01 & m32) + (p10 & m32); // < 3 * 2^32
        return from_words(p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32), (mid << 32) | (p00 & m32));
    }

    friend constexpr uint128_portable operator+(uint128_portable a, uint128_portable b) noexcept {
        const std::uint64_t lo = a.lo_ + b.lo_;
        return from_words(a.hi_ + b.hi_ + (lo < a.lo_ ? 1 : 0), lo);
    }
    friend constexpr uint128_portable operator-(uint128_portable a, uint128_portable b) noexcept {
        return from_words(a.hi_ - b.hi_ - (a.lo_ < b.lo_ ? 1 : 0), a.lo_ - b.lo_);
    }
    /// The product modulo 2^128.
    friend constexpr uint128_portable operator*(uint128_portable a, uint128_portable b) noexcept {
        uint128_portable r = product(a.lo_, b.lo_);
        r.hi_ += a.lo_ * b.hi_ + a.hi_ * b.lo_;
        return r;
    }
    /// Shifts by 0 to 127 bits.
    friend constexpr uint128_portable operator<<(uint128_portable a, int n) noexcept {
        if (n == 0) return a;
        if (n >= 64) return from_words(a.lo_ << (n - 64), 0);
        return from_words((a.hi_ << n) | (a.lo_ >> (64 - n)), a.lo_ << n);
    }
    friend constexpr uint128_portable operator>>(uint128_portable a, int n) noexcept {
        if (n == 0) return a;
        if (n >= 64) return from_words(0, a.hi_ >> (n - 64));
        return from_words(a.hi_ >> n, (a.lo_ >> n) | (a.hi_ << (64 - n)));
    }
    constexpr uint128_portable& operator+=(uint128_portable b) noexcept { return *this = *this + b; }
    constexpr uint128_portable& operator-=(uint128_portable b) noexcept { return *this = *this - b; }
    constexpr uint128_portable& operator*=(uint128_portable b) noexcept { return *this = *this * b; }

    // hi_ is declared first: the defaulted comparisons are lexicographic in declaration order.
    friend constexpr bool operator==(const uint128_portable&, const uint128_portable&) noexcept = default;
    friend constexpr std::strong_ordering operator<=>(const uint128_portable&, const uint128_portable&) noexcept = default;

    /// The low bits, as static_cast of an unsigned __int128 to an integer type gives.
    template <std::integral T>
    constexpr explicit operator T() const noexcept {
        if constexpr (std::same_as<T, bool>)
            return (hi_ | lo_) != 0;
        else
            return static_cast<T>(lo_);
    }

    /// Rounded to nearest, ties to even (the value is at most 2^128 - 1, within every floating
    /// type's range but float's, where it may round to infinity as the built-in conversion does).
    template <std::floating_point F>
    explicit operator F() const noexcept {
        if (hi_ == 0) return static_cast<F>(lo_); // one correctly rounded conversion
        constexpr int digits = std::numeric_limits<F>::digits;
        constexpr F two64 = static_cast<F>(18446744073709551616.0); // 2^64, exact in every floating type
        const int bits = 128 - std::countl_zero(hi_);
        // At most `digits` significant bits: hi_ 2^64 and lo_ are exact, and so is their sum.
        if (bits <= digits) return static_cast<F>(hi_) * two64 + static_cast<F>(lo_);
        const int shift = bits - digits;
        uint128_portable m = *this >> shift;
        const uint128_portable rest = *this - (m << shift);
        const uint128_portable half = uint128_portable{1} << (shift - 1);
        if (rest > half || (rest == half && (m.lo_ & 1) != 0)) m += 1;
        // m has at most digits + 1 bits (2^digits after a carry): exact, and so is the scaling.
        return std::ldexp(static_cast<F>(m.hi_) * two64 + static_cast<F>(m.lo_), shift);
    }

private:
    template <class T>
    static constexpr bool negative(T v) noexcept {
        if constexpr (std::is_signed_v<T>)
            return v < 0;
        else
            return false;
    }
    static constexpr uint128_portable from_words(std::uint64_t hi, std::uint64_t lo) noexcept {
        uint128_portable r;
        r.hi_ = hi;
        r.lo_ = lo;
        return r;
    }

    std::uint64_t hi_ = 0, lo_ = 0;
};

#if defined(__SIZEOF_INT128__) && !defined(DRIFTGATE_NO_INT128)
/// Unsigned 128-bit integers: the compiler's (a GCC/Clang extension).
__extension__ using uint128 = unsigned __int128;
inline constexpr bool uint128_is_builtin = true;
#else
/// Unsigned 128-bit integers: two 64-bit words (no unsigned __int128, or DRIFTGATE_NO_INT128).
using uint128 = uint128_portable;
inline constexpr bool uint128_is_builtin = false;
#endif

} // namespace detail
} // namespace v0
} // namespace driftgate
