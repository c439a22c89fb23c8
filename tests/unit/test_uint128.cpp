// The portable unsigned 128-bit integer (detail::uint128_portable): every operation the library
// uses, on values written out by hand and, where the compiler has unsigned __int128, against it
// on random and boundary operands (rounding ties of the floating conversions included).
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>

#include "driftgate/detail/uint128.hpp"

using driftgate::detail::uint128_portable;

namespace {

constexpr std::uint64_t all_ones = ~std::uint64_t{0};

uint128_portable words(std::uint64_t hi, std::uint64_t lo) { return (uint128_portable{hi} << 64) + uint128_portable{lo}; }

} // namespace

TEST_CASE("uint128_portable: arithmetic and comparisons on values written out", "[uint128]") {
    // (2^64 - 1)^2 = 2^128 - 2^65 + 1
    const auto sq = uint128_portable::product(all_ones, all_ones);
    CHECK(sq.high() == all_ones - 1);
    CHECK(sq.low() == 1);
    CHECK(uint128_portable{all_ones} * all_ones == sq);
    // carries and borrows across the words
    CHECK(uint128_portable{all_ones} + 1 == words(1, 0));
    CHECK(words(1, 0) - 1 == uint128_portable{all_ones});
    CHECK(uint128_portable{0} - 1 == words(all_ones, all_ones)); // modulo 2^128
    CHECK(words(all_ones, all_ones) + 1 == uint128_portable{0});
    // products modulo 2^128: (2^64 + 3)(2^64 + 5) = 2^128 + 8 2^64 + 15
    CHECK(words(1, 3) * words(1, 5) == words(8, 15));
    // shifts
    CHECK((uint128_portable{1} << 63) == uint128_portable{std::uint64_t{1} << 63});
    CHECK((uint128_portable{1} << 64) == words(1, 0));
    CHECK((uint128_portable{1} << 127) == words(std::uint64_t{1} << 63, 0));
    CHECK((words(0x8000000000000001u, 0x10) >> 4) == words(0x0800000000000000u, 0x1000000000000001u));
    CHECK((words(5, 7) >> 64) == uint128_portable{5});
    CHECK((words(5, 7) << 0) == words(5, 7));
    // comparisons: the high word first
    CHECK(words(1, 0) > uint128_portable{all_ones});
    CHECK(words(2, 1) < words(2, 2));
    CHECK(uint128_portable{7} > 0);
    CHECK(2 * uint128_portable{21} == 42);
    CHECK(uint128_portable{-1} == words(all_ones, all_ones)); // as a conversion to unsigned __int128
    uint128_portable acc = 0;
    for (int i = 0; i < 4; ++i) acc += uint128_portable::product(all_ones, 2);
    CHECK(acc == words(7, all_ones - 7)); // 8 (2^64 - 1) = 8 2^64 - 8
    acc -= words(7, 0);
    acc *= 2;
    CHECK(acc == words(1, all_ones - 15));
    // to integers: the low bits
    CHECK(static_cast<std::uint64_t>(words(3, 9)) == 9);
    CHECK(static_cast<std::uint32_t>(words(3, 0x100000009u)) == 9);
    CHECK(static_cast<bool>(words(1, 0)));
    CHECK_FALSE(static_cast<bool>(uint128_portable{0}));
}

TEST_CASE("uint128_portable: conversions to floating types round to nearest, ties to even", "[uint128]") {
    // 2^64 + 2^11 lies halfway between the doubles 2^64 and 2^64 + 2^12: the even one, 2^64.
    CHECK(static_cast<double>(words(1, 0x800)) == 0x1p64);
    CHECK(static_cast<double>(words(1, 0x801)) == 0x1p64 + 0x1p12);
    CHECK(static_cast<double>(words(1, 0x1800)) == 0x1p64 + 0x1p13); // halfway, odd below: up
    CHECK(static_cast<double>(words(all_ones, all_ones)) == 0x1p128);
    CHECK(static_cast<double>(uint128_portable{all_ones}) == 0x1p64);
    CHECK(static_cast<double>(words(0, 12345)) == 12345.0);
    CHECK(static_cast<double>(uint128_portable{1} << 127) == 0x1p127);
    if constexpr (std::numeric_limits<long double>::digits == 64) {
        // 2^64 + 1 needs 65 bits: halfway between 2^64 and 2^64 + 2, the even one.
        CHECK(static_cast<long double>(words(1, 1)) == 0x1p64L);
        CHECK(static_cast<long double>(words(1, 3)) == 0x1p64L + 4.0L);
        CHECK(static_cast<long double>(words(1, 2)) == 0x1p64L + 2.0L);
    }
    CHECK(static_cast<float>(words(0, (std::uint64_t{1} << 24) + 1)) == 16777216.0f);
}

#if defined(__SIZEOF_INT128__)
TEST_CASE("uint128_portable agrees with unsigned __int128, bit for bit", "[uint128]") {
    __extension__ using native = unsigned __int128;
    auto to_native = [](uint128_portable v) { return (native{v.high()} << 64) | v.low(); };
    auto to_portable = [](native v) { return words(static_cast<std::uint64_t>(v >> 64), static_cast<std::uint64_t>(v)); };
    std::mt19937_64 gen(20240613);
    auto draw = [&]() -> native {
        const native full = (native{gen()} << 64) | gen();
        switch (gen() % 6) {
        case 0: return full >> (gen() % 128);
        case 1: return native{gen() >> (gen() % 64)};
        case 2: { // a tie or near-tie of the conversion to double (53 bits) or to x87 (64 bits)
            const int bits = 54 + static_cast<int>(gen() % 74);
            const int cut = bits - (gen() % 2 == 0 ? 53 : 64);
            native m = (native{1} << (bits - 1)) | (full & ((native{1} << (bits - 1)) - 1));
            if (cut <= 0) return m;
            m &= ~((native{1} << cut) - 1);
            m |= native{1} << (cut - 1);
            if (gen() % 3 == 0) m |= 1;
            return m;
        }
        case 3: return ~native{0} - gen() % 4;
        default: return full;
        }
    };
    int mismatches = 0;
    for (int it = 0; it < 200000; ++it) {
        const native a = draw(), b = draw();
        const uint128_portable pa = to_portable(a), pb = to_portable(b);
        const int s = static_cast<int>(gen() % 128);
        mismatches += to_native(pa + pb) != a + b;
        mismatches += to_native(pa - pb) != a - b;
        mismatches += to_native(pa * pb) != a * b;
        mismatches += to_native(uint128_portable::product(static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b))) !=
                      native{static_cast<std::uint64_t>(a)} * static_cast<std::uint64_t>(b);
        mismatches += to_native(pa << s) != a << s;
        mismatches += to_native(pa >> s) != a >> s;
        mismatches += (pa < pb) != (a < b) || (pa == pb) != (a == b) || (pa >= pb) != (a >= b);
        mismatches += static_cast<double>(pa) != static_cast<double>(a);
        mismatches += static_cast<long double>(pa) != static_cast<long double>(a);
        mismatches += static_cast<float>(pa) != static_cast<float>(a);
        mismatches += static_cast<std::uint64_t>(pa) != static_cast<std::uint64_t>(a);
        const auto sv = static_cast<std::int64_t>(gen());
        mismatches += to_native(uint128_portable{sv}) != static_cast<native>(sv);
    }
    CHECK(mismatches == 0);
}
#endif

TEST_CASE("detail::uint128 is the compiler's type unless DRIFTGATE_NO_INT128", "[uint128]") {
#if defined(__SIZEOF_INT128__) && !defined(DRIFTGATE_NO_INT128)
    CHECK(driftgate::detail::uint128_is_builtin);
#else
    CHECK_FALSE(driftgate::detail::uint128_is_builtin);
    CHECK(std::is_same_v<driftgate::detail::uint128, uint128_portable>);
#endif
}
