// driftgate CLI — the CSV reader. See csv.hpp for the format and the choices made.
#include "csv.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <locale.h>
#include <stdlib.h>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace driftgate::cli {
namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);
constexpr double missing_value = std::numeric_limits<double>::quiet_NaN();

// ---- messages -------------------------------------------------------------------------------

/// Length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 if the bytes there are not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3;
    else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4;
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogates
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // beyond U+10FFFF
    return n;
}

/// The text in double quotes, safe to print: at most `max_bytes` of it, control characters,
/// quotes, backslashes and invalid UTF-8 escaped, "..." and the full length when truncated.
std::string show(std::string_view s, std::size_t max_bytes = 40) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    std::size_t i = 0;
    for (; i < s.size() && i < max_bytes;) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8_length(s, i); n != 0) {
                out.append(s.substr(i, n));
                i += n;
                continue;
            }
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c >= 0x7F) {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
    if (i < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
    return out;
}

std::string column_label(const std::vector<std::string>& header, std::size_t j) {
    return "column " + show(header[j], 60) + " (" + std::to_string(j + 1) + ")";
}

[[noreturn]] void data_error(const std::string& message) { throw cli_error(exit_code::data, message); }

/// 1-based physical line of byte offset `pos`: one plus the line feeds before it.
std::size_t line_of(std::string_view text, std::size_t pos) {
    pos = std::min(pos, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

std::string where(const std::string& name, std::string_view text, std::size_t pos) {
    return name + ":" + std::to_string(line_of(text, pos)) + ": ";
}

// ---- values -----------------------------------------------------------------------------------

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// strtod in the "C" locale, for the rare numbers out of double's range (from_chars reports them
/// as an error, strtod gives ±HUGE_VAL or a correctly rounded ±0, as pandas does).
double strtod_c(std::string_view t) {
    static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    const std::string copy(t);
    return c_locale != static_cast<locale_t>(nullptr) ? strtod_l(copy.c_str(), nullptr, c_locale)
                                                      : std::strtod(copy.c_str(), nullptr);
}

/// Converts a whole trimmed field to double: from_chars, plus one optional leading '+'.
bool to_double(std::string_view t, double& v) {
    if (t.size() > 1 && t[0] == '+' && t[1] != '+' && t[1] != '-') t.remove_prefix(1);
    if (t.empty()) return false;
    const char* const last = t.data() + t.size();
    const auto [q, ec] = std::from_chars(t.data(), last, v);
    if (q != last) return false;
    if (ec == std::errc()) return true;
    if (ec == std::errc::result_out_of_range) {
        v = strtod_c(t);
        return true;
    }
    return false;
}

/// Powers of ten 10^q for q in [-64, 64] as 128-bit significands of 5^q (the power of two is
/// computed separately), normalized so that the top bit is set: exact for 0 <= q <= 55, truncated
/// above; for q < 0, floor(2^b / 5^-q) + 1 (rounded up) when 5^-q < 2^64, else that value for a
/// larger b truncated to 128 bits. This is the table of D. Lemire, "Number parsing at a gigabyte
/// per second", Software: Practice and Experience 51(8), 2021, restricted to the exponents a
/// plain decimal of up to 19 digits meets in practice. Generated by this Python:
///   for q in range(-64, 65):
///       if q >= 0:
///           c = 5 ** q
///           while c < (1 << 127): c <<= 1
///           while c >= (1 << 128): c >>= 1
///       else:
///           p = 5 ** -q; z = p.bit_length()
///           if q >= -27: c = (1 << (z + 127)) // p + 1
///           else:
///               c = (1 << (2 * z + 128)) // p + 1
///               while c >= (1 << 128): c >>= 1
///       print("{0x%016xu, 0x%016xu}, // %d" % (c >> 64, c & ((1 << 64) - 1), q))
struct pow5_128 {
    std::uint64_t hi, lo;
};
constexpr int pow5_min = -64;
constexpr int pow5_max = 64;
constexpr pow5_128 pow5_table[pow5_max - pow5_min + 1] = {
    {0xa87fea27a539e9a5u, 0x3f2398d747b36224u}, // -64
    {0xd29fe4b18e88640eu, 0x8eec7f0d19a03aadu}, // -63
    {0x83a3eeeef9153e89u, 0x1953cf68300424acu}, // -62
    {0xa48ceaaab75a8e2bu, 0x5fa8c3423c052dd7u}, // -61
    {0xcdb02555653131b6u, 0x3792f412cb06794du}, // -60
    {0x808e17555f3ebf11u, 0xe2bbd88bbee40bd0u}, // -59
    {0xa0b19d2ab70e6ed6u, 0x5b6aceaeae9d0ec4u}, // -58
    {0xc8de047564d20a8bu, 0xf245825a5a445275u}, // -57
    {0xfb158592be068d2eu, 0xeed6e2f0f0d56712u}, // -56
    {0x9ced737bb6c4183du, 0x55464dd69685606bu}, // -55
    {0xc428d05aa4751e4cu, 0xaa97e14c3c26b886u}, // -54
    {0xf53304714d9265dfu, 0xd53dd99f4b3066a8u}, // -53
    {0x993fe2c6d07b7fabu, 0xe546a8038efe4029u}, // -52
    {0xbf8fdb78849a5f96u, 0xde98520472bdd033u}, // -51
    {0xef73d256a5c0f77cu, 0x963e66858f6d4440u}, // -50
    {0x95a8637627989aadu, 0xdde7001379a44aa8u}, // -49
    {0xbb127c53b17ec159u, 0x5560c018580d5d52u}, // -48
    {0xe9d71b689dde71afu, 0xaab8f01e6e10b4a6u}, // -47
    {0x9226712162ab070du, 0xcab3961304ca70e8u}, // -46
    {0xb6b00d69bb55c8d1u, 0x3d607b97c5fd0d22u}, // -45
    {0xe45c10c42a2b3b05u, 0x8cb89a7db77c506au}, // -44
    {0x8eb98a7a9a5b04e3u, 0x77f3608e92adb242u}, // -43
    {0xb267ed1940f1c61cu, 0x55f038b237591ed3u}, // -42
    {0xdf01e85f912e37a3u, 0x6b6c46dec52f6688u}, // -41
    {0x8b61313bbabce2c6u, 0x2323ac4b3b3da015u}, // -40
    {0xae397d8aa96c1b77u, 0xabec975e0a0d081au}, // -39
    {0xd9c7dced53c72255u, 0x96e7bd358c904a21u}, // -38
    {0x881cea14545c7575u, 0x7e50d64177da2e54u}, // -37
    {0xaa242499697392d2u, 0xdde50bd1d5d0b9e9u}, // -36
    {0xd4ad2dbfc3d07787u, 0x955e4ec64b44e864u}, // -35
    {0x84ec3c97da624ab4u, 0xbd5af13bef0b113eu}, // -34
    {0xa6274bbdd0fadd61u, 0xecb1ad8aeacdd58eu}, // -33
    {0xcfb11ead453994bau, 0x67de18eda5814af2u}, // -32
    {0x81ceb32c4b43fcf4u, 0x80eacf948770ced7u}, // -31
    {0xa2425ff75e14fc31u, 0xa1258379a94d028du}, // -30
    {0xcad2f7f5359a3b3eu, 0x096ee45813a04330u}, // -29
    {0xfd87b5f28300ca0du, 0x8bca9d6e188853fcu}, // -28
    {0x9e74d1b791e07e48u, 0x775ea264cf55347eu}, // -27
    {0xc612062576589ddau, 0x95364afe032a819eu}, // -26
    {0xf79687aed3eec551u, 0x3a83ddbd83f52205u}, // -25
    {0x9abe14cd44753b52u, 0xc4926a9672793543u}, // -24
    {0xc16d9a0095928a27u, 0x75b7053c0f178294u}, // -23
    {0xf1c90080baf72cb1u, 0x5324c68b12dd6339u}, // -22
    {0x971da05074da7beeu, 0xd3f6fc16ebca5e04u}, // -21
    {0xbce5086492111aeau, 0x88f4bb1ca6bcf585u}, // -20
    {0xec1e4a7db69561a5u, 0x2b31e9e3d06c32e6u}, // -19
    {0x9392ee8e921d5d07u, 0x3aff322e62439fd0u}, // -18
    {0xb877aa3236a4b449u, 0x09befeb9fad487c3u}, // -17
    {0xe69594bec44de15bu, 0x4c2ebe687989a9b4u}, // -16
    {0x901d7cf73ab0acd9u, 0x0f9d37014bf60a11u}, // -15
    {0xb424dc35095cd80fu, 0x538484c19ef38c95u}, // -14
    {0xe12e13424bb40e13u, 0x2865a5f206b06fbau}, // -13
    {0x8cbccc096f5088cbu, 0xf93f87b7442e45d4u}, // -12
    {0xafebff0bcb24aafeu, 0xf78f69a51539d749u}, // -11
    {0xdbe6fecebdedd5beu, 0xb573440e5a884d1cu}, // -10
    {0x89705f4136b4a597u, 0x31680a88f8953031u}, // -9
    {0xabcc77118461cefcu, 0xfdc20d2b36ba7c3eu}, // -8
    {0xd6bf94d5e57a42bcu, 0x3d32907604691b4du}, // -7
    {0x8637bd05af6c69b5u, 0xa63f9a49c2c1b110u}, // -6
    {0xa7c5ac471b478423u, 0x0fcf80dc33721d54u}, // -5
    {0xd1b71758e219652bu, 0xd3c36113404ea4a9u}, // -4
    {0x83126e978d4fdf3bu, 0x645a1cac083126eau}, // -3
    {0xa3d70a3d70a3d70au, 0x3d70a3d70a3d70a4u}, // -2
    {0xccccccccccccccccu, 0xcccccccccccccccdu}, // -1
    {0x8000000000000000u, 0x0000000000000000u}, // 0
    {0xa000000000000000u, 0x0000000000000000u}, // 1
    {0xc800000000000000u, 0x0000000000000000u}, // 2
    {0xfa00000000000000u, 0x0000000000000000u}, // 3
    {0x9c40000000000000u, 0x0000000000000000u}, // 4
    {0xc350000000000000u, 0x0000000000000000u}, // 5
    {0xf424000000000000u, 0x0000000000000000u}, // 6
    {0x9896800000000000u, 0x0000000000000000u}, // 7
    {0xbebc200000000000u, 0x0000000000000000u}, // 8
    {0xee6b280000000000u, 0x0000000000000000u}, // 9
    {0x9502f90000000000u, 0x0000000000000000u}, // 10
    {0xba43b74000000000u, 0x0000000000000000u}, // 11
    {0xe8d4a51000000000u, 0x0000000000000000u}, // 12
    {0x9184e72a00000000u, 0x0000000000000000u}, // 13
    {0xb5e620f480000000u, 0x0000000000000000u}, // 14
    {0xe35fa931a0000000u, 0x0000000000000000u}, // 15
    {0x8e1bc9bf04000000u, 0x0000000000000000u}, // 16
    {0xb1a2bc2ec5000000u, 0x0000000000000000u}, // 17
    {0xde0b6b3a76400000u, 0x0000000000000000u}, // 18
    {0x8ac7230489e80000u, 0x0000000000000000u}, // 19
    {0xad78ebc5ac620000u, 0x0000000000000000u}, // 20
    {0xd8d726b7177a8000u, 0x0000000000000000u}, // 21
    {0x878678326eac9000u, 0x0000000000000000u}, // 22
    {0xa968163f0a57b400u, 0x0000000000000000u}, // 23
    {0xd3c21bcecceda100u, 0x0000000000000000u}, // 24
    {0x84595161401484a0u, 0x0000000000000000u}, // 25
    {0xa56fa5b99019a5c8u, 0x0000000000000000u}, // 26
    {0xcecb8f27f4200f3au, 0x0000000000000000u}, // 27
    {0x813f3978f8940984u, 0x4000000000000000u}, // 28
    {0xa18f07d736b90be5u, 0x5000000000000000u}, // 29
    {0xc9f2c9cd04674edeu, 0xa400000000000000u}, // 30
    {0xfc6f7c4045812296u, 0x4d00000000000000u}, // 31
    {0x9dc5ada82b70b59du, 0xf020000000000000u}, // 32
    {0xc5371912364ce305u, 0x6c28000000000000u}, // 33
    {0xf684df56c3e01bc6u, 0xc732000000000000u}, // 34
    {0x9a130b963a6c115cu, 0x3c7f400000000000u}, // 35
    {0xc097ce7bc90715b3u, 0x4b9f100000000000u}, // 36
    {0xf0bdc21abb48db20u, 0x1e86d40000000000u}, // 37
    {0x96769950b50d88f4u, 0x1314448000000000u}, // 38
    {0xbc143fa4e250eb31u, 0x17d955a000000000u}, // 39
    {0xeb194f8e1ae525fdu, 0x5dcfab0800000000u}, // 40
    {0x92efd1b8d0cf37beu, 0x5aa1cae500000000u}, // 41
    {0xb7abc627050305adu, 0xf14a3d9e40000000u}, // 42
    {0xe596b7b0c643c719u, 0x6d9ccd05d0000000u}, // 43
    {0x8f7e32ce7bea5c6fu, 0xe4820023a2000000u}, // 44
    {0xb35dbf821ae4f38bu, 0xdda2802c8a800000u}, // 45
    {0xe0352f62a19e306eu, 0xd50b2037ad200000u}, // 46
    {0x8c213d9da502de45u, 0x4526f422cc340000u}, // 47
    {0xaf298d050e4395d6u, 0x9670b12b7f410000u}, // 48
    {0xdaf3f04651d47b4cu, 0x3c0cdd765f114000u}, // 49
    {0x88d8762bf324cd0fu, 0xa5880a69fb6ac800u}, // 50
    {0xab0e93b6efee0053u, 0x8eea0d047a457a00u}, // 51
    {0xd5d238a4abe98068u, 0x72a4904598d6d880u}, // 52
    {0x85a36366eb71f041u, 0x47a6da2b7f864750u}, // 53
    {0xa70c3c40a64e6c51u, 0x999090b65f67d924u}, // 54
    {0xd0cf4b50cfe20765u, 0xfff4b4e3f741cf6du}, // 55
    {0x82818f1281ed449fu, 0xbff8f10e7a8921a4u}, // 56
    {0xa321f2d7226895c7u, 0xaff72d52192b6a0du}, // 57
    {0xcbea6f8ceb02bb39u, 0x9bf4f8a69f764490u}, // 58
    {0xfee50b7025c36a08u, 0x02f236d04753d5b4u}, // 59
    {0x9f4f2726179a2245u, 0x01d762422c946590u}, // 60
    {0xc722f0ef9d80aad6u, 0x424d3ad2b7b97ef5u}, // 61
    {0xf8ebad2b84e0d58bu, 0xd2e0898765a7deb2u}, // 62
    {0x9b934c3b330c8577u, 0x63cc55f49f88eb2fu}, // 63
    {0xc2781f49ffcfa6d5u, 0x3cbf6b71c76b25fbu}, // 64
};

__extension__ using uint128 = unsigned __int128;

/// Eisel–Lemire (Lemire 2021, above): the double nearest to w * 10^q for a nonzero exact decimal
/// significand w < 2^64. The top 128 bits of w * 5^q (w normalized, one or two 64x64->128
/// products) are within 2 units of their last place of the exact product's, which fixes the 53-bit
/// significand and its rounding unless the bits below the rounding bit are all zeros or all ones
/// up to that error: then, and for subnormal or overflowing results, it returns false and the
/// caller uses from_chars (correctly rounded, slower). Otherwise the result is the correctly
/// rounded double, the same as strtod's.
inline bool eisel_lemire(std::uint64_t w, int q, double& out) {
    if (q < pow5_min || q > pow5_max) return false;
    const int lz = std::countl_zero(w);
    w <<= lz;
    const pow5_128& t = pow5_table[q - pow5_min];
    const uint128 first = static_cast<uint128>(w) * t.hi;
    auto hi = static_cast<std::uint64_t>(first >> 64);
    auto lo = static_cast<std::uint64_t>(first);
    if ((hi & 0x1FF) == 0x1FF) {  // the low word could carry into the rounding bit: refine it
        const auto s = static_cast<std::uint64_t>((static_cast<uint128>(w) * t.lo) >> 64);
        lo += s;
        if (lo < s) ++hi;
    }
    const auto upper = static_cast<int>(hi >> 63);
    const int shift = upper + 9;  // keeps 54 bits: the significand and the rounding bit
    const std::uint64_t below = hi & ((std::uint64_t{1} << shift) - 1);
    const std::uint64_t below_max = (std::uint64_t{1} << shift) - 1;
    // Undecided: at (or within the error of) a halfway point or an exact value.
    if ((below == 0 && lo <= 2) || (below == below_max && lo >= ~std::uint64_t{0} - 2)) return false;
    std::uint64_t mantissa = hi >> shift;
    // floor(q * log2(10)) + 63 as in the paper (exact for |q| <= 1500); the exponent's bias is 1023.
    int power2 = (((152170 + 65536) * q) >> 16) + 63 + upper - lz + 1023;
    if (power2 <= 0) return false;  // subnormal
    mantissa += mantissa & 1;       // round half up: not a halfway case here
    mantissa >>= 1;
    if (mantissa >= (std::uint64_t{2} << 52)) {
        mantissa = std::uint64_t{1} << 52;
        ++power2;
    }
    if (power2 >= 0x7FF) return false;  // overflow
    const std::uint64_t bits = (mantissa & ~(std::uint64_t{1} << 52)) | (static_cast<std::uint64_t>(power2) << 52);
    out = std::bit_cast<double>(bits);
    return true;
}

/// True when the 8 bytes of w (little-endian) are all ASCII digits.
inline bool eight_digits(std::uint64_t w) {
    return ((w & 0xF0F0F0F0F0F0F0F0u) | (((w + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u) >> 4)) ==
           0x3333333333333333u;
}

/// The value of 8 digits d_0..d_7 (0..9), one per byte of w little-endian (d_0, the first, in
/// the low byte), by three multiply-and-combine steps on digit pairs, quads and the two halves
/// (SWAR).
inline std::uint32_t digit_bytes_value(std::uint64_t w) {
    w = (w * 10) + (w >> 8);  // each even byte: 10 d_i + d_{i+1}
    w = (((w & 0x000000FF000000FFu) * (100 + (std::uint64_t{1000000} << 32))) +
         (((w >> 16) & 0x000000FF000000FFu) * (1 + (std::uint64_t{10000} << 32)))) >>
        32;
    return static_cast<std::uint32_t>(w);
}

/// The value of 8 ASCII digits loaded little-endian (the first digit in the low byte).
inline std::uint32_t eight_digits_value(std::uint64_t w) { return digit_bytes_value(w - 0x3030303030303030u); }

/// The value of the first k (0..8) bytes of w (little-endian), ASCII digits: they are moved to the
/// top of the word, below which zeros stand for leading zero digits. (The bytes after them may be
/// anything: their borrows from subtracting '0' only reach later bytes, which are shifted out.)
inline std::uint32_t leading_digits_value(std::uint64_t w, unsigned k) {
    const std::uint64_t d = w - 0x3030303030303030u;
    return digit_bytes_value(k == 0 ? 0 : d << (64 - 8 * k));
}

/// A plain decimal [-]digits[.digits][(e|E)[+|-]digits] with at most 19 significant digits,
/// converted to the correctly rounded double (the same as strtod and from_chars). The significand
/// m (exact in 64 bits) and the decimal exponent q give the value m * 10^q:
///  * Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately", PLDI
///    1990): when m <= 2^53 and |q| <= 22, m and 10^|q| are exact doubles, so m * 10^q or
///    m / 10^-q is one correctly rounded IEEE operation;
///  * otherwise Eisel–Lemire (above).
/// Returns the end of the number, or nullptr when the text is not of that form (more digits, no
/// digit, inf, nan, ...) or the conversion is undecided: from_chars then.
inline const char* fast_decimal(const char* p, const char* fin, double& out) {
    static constexpr double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const bool negative = p < fin && *p == '-';
    p += negative ? 1 : 0;
    std::uint64_t m = 0;
    int significant = 0;  // digits from the first nonzero one: at most 19 keep m exact (< 10^19)
    auto digit = [&](const char* s) { return s < fin && static_cast<unsigned char>(*s - '0') < 10; };
    auto take = [&](const char* s) {
        m = m * 10 + static_cast<unsigned>(*s - '0');
        significant += (m != 0) ? 1 : 0;
    };
    const char* const int_begin = p;
    while (digit(p)) take(p++);
    bool any = p != int_begin;
    int q = 0;
    if (p < fin && *p == '.') {
        const char* const frac_begin = ++p;
        if (m == 0)
            while (p < fin && *p == '0') ++p;  // leading zeros: not significant, only in q
        // Eight digits at a time (SWAR) while they last: the first one is significant here.
        if constexpr (std::endian::native == std::endian::little) {
            while (fin - p >= 8) {
                std::uint64_t w;
                std::memcpy(&w, p, 8);
                if (!eight_digits(w)) break;
                m = m * 100000000u + eight_digits_value(w);
                significant += 8;
                p += 8;
            }
        }
        while (digit(p)) take(p++);
        any = any || p != frac_begin;
        q = -static_cast<int>(p - frac_begin);
    }
    if (!any || significant > 19) return nullptr;
    if (p < fin && (*p == 'e' || *p == 'E')) {
        const char* e = p + 1;
        const bool eneg = e < fin && *e == '-';
        e += (e < fin && (*e == '-' || *e == '+')) ? 1 : 0;
        const char* const exp_begin = e;
        int x = 0;
        while (digit(e) && e - exp_begin < 6) x = x * 10 + (*e++ - '0');
        if (e == exp_begin || digit(e)) return nullptr;  // no digits (the caller rejects it), or huge
        q += eneg ? -x : x;
        p = e;
    }
    double v = 0.0;
    if (m == 0) {
        v = 0.0;
    } else if (m <= (std::uint64_t{1} << 53) && q >= -22 && q <= 22) {
        v = q >= 0 ? static_cast<double>(m) * pow10[q] : static_cast<double>(m) / pow10[-q];
    } else if (!eisel_lemire(m, q, v)) {
        return nullptr;
    }
    out = negative ? -v : v;
    return p;
}

#if defined(__SSE2__)
/// A short plain decimal: the field [p, p + len), 1 <= len <= 16, of the form [-]digits,
/// [-]digits.[digits] or [-].digits; 48 bytes from p must be readable. Its value is m / 10^f
/// with f fraction digits: an integer (f = 0, m < 10^16) converts to the nearest double in one
/// correctly rounded step, and with a dot m < 10^15 < 2^53 and f <= 15, so m / 10^f is one
/// correctly rounded division of exact doubles (Clinger's fast path, as in fast_decimal). Its
/// digits are therefore read without a loop: the
/// field's digit and dot bytes found by SSE2 compares of 16 bytes at once, the integer and the
/// fraction digits (at most 8 + 8 each) by leading_digits_value. Amounts, limits and rates written
/// with few digits (whole currency units, cents) take this path without the digit-by-digit loop's
/// unpredictable exits. Returns false, with `out` untouched, for every other text (fast_decimal
/// then decides).
inline bool short_decimal(const char* p, std::size_t len, double& out) {
    static constexpr double pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    static constexpr std::uint64_t pow10u[16] = {1u,           10u,           100u,           1000u,
                                                 10000u,       100000u,       1000000u,       10000000u,
                                                 100000000u,   1000000000u,   10000000000u,   100000000000u,
                                                 1000000000000u, 10000000000000u, 100000000000000u, 1000000000000000u};
    const unsigned minus = p[0] == '-' ? 1u : 0u;
    const char* const b = p + minus;
    const auto n = static_cast<unsigned>(len) - minus;  // digits and dot: 0..16
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    // A byte is a digit when (byte - '0') is below 10 unsigned: signed after flipping the top bit.
    const __m128i flipped = _mm_xor_si128(_mm_sub_epi8(x, _mm_set1_epi8('0')), _mm_set1_epi8(static_cast<char>(0x80)));
    const auto digits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(flipped, _mm_set1_epi8(static_cast<char>(10 - 128)))));
    const auto dots = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('.'))));
    const unsigned field = (1u << n) - 1;
    const unsigned dg = digits & field, dt = dots & field;
    // Only digits and at most one dot, and some digit.
    if ((dg | dt) != field || (dt & (dt - 1)) != 0 || dg == 0) return false;
    const unsigned k = dt != 0 ? static_cast<unsigned>(std::countr_zero(dt)) : n;  // integer digits
    const unsigned f = dt != 0 ? n - k - 1 : 0;                                     // fraction digits
    const unsigned k2 = k > 8 ? k - 8 : 0, f2 = f > 8 ? f - 8 : 0;
    std::uint64_t w0, w1, w2, w3;
    std::memcpy(&w0, b, 8);
    std::memcpy(&w1, b + 8, 8);
    std::memcpy(&w2, b + k + 1, 8);
    std::memcpy(&w3, b + k + 9, 8);
    const std::uint64_t whole = leading_digits_value(w0, k - k2) * pow10u[k2] + leading_digits_value(w1, k2);
    const std::uint64_t fraction = leading_digits_value(w2, f - f2) * pow10u[f2] + leading_digits_value(w3, f2);
    const double v = static_cast<double>(whole * pow10u[f] + fraction) / pow10[f];
    out = minus != 0 ? -v : v;
    return true;
}
#endif

/// The missing-value tokens, matched against trimmed field text.
struct token_matcher {
    std::vector<std::string> tokens;  // lower-cased when matching is case-insensitive
    bool insensitive = true;
    bool has_empty = false;
    bool numeric = false;  // some token reads as a number: must be checked before parsing
    // Some token is made only of the characters of a plain decimal (digits . - + e E): only then
    // can a field that fast_decimal converted whole match a token ("nan" cannot, "-999" can).
    bool decimal = false;

    token_matcher(const std::vector<std::string>& list, bool case_sensitive) : insensitive(!case_sensitive) {
        for (const std::string& raw : list) {
            std::string t(trim(raw));
            if (insensitive) std::transform(t.begin(), t.end(), t.begin(), ascii_lower);
            has_empty = has_empty || t.empty();
            double v = 0;
            numeric = numeric || to_double(t, v);
            decimal = decimal || (!t.empty() && t.find_first_not_of("0123456789.-+eE") == std::string::npos);
            tokens.push_back(std::move(t));
        }
    }

    [[nodiscard]] bool match(std::string_view s) const {
        for (const std::string& t : tokens) {
            if (t.size() != s.size()) continue;
            bool same = true;
            for (std::size_t i = 0; i < s.size() && same; ++i)
                same = (insensitive ? ascii_lower(s[i]) : s[i]) == t[i];
            if (same) return true;
        }
        return false;
    }
};

std::string unescape_quotes(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        out += s[i];
        if (s[i] == '"') ++i;  // the second of a doubled quote
    }
    return out;
}

// ---- file access ------------------------------------------------------------------------------

[[noreturn]] void no_input(const std::string& path, const std::string& why) {
    throw cli_error(exit_code::no_input, path + ": " + why);
}

/// The bytes of a file: memory-mapped when it is a regular file, read otherwise (pipes).
class file_bytes {
public:
    explicit file_bytes(const std::string& path, bool whole) {
        fd_.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_.fd < 0) no_input(path, std::string("cannot open: ") + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd_.fd, &st) != 0) fail(path, errno);
        if (S_ISDIR(st.st_mode)) no_input(path, "is a directory, not a CSV file");
        if (S_ISREG(st.st_mode) && whole) {
            size_ = static_cast<std::size_t>(st.st_size);
            if (size_ == 0) return;
            // Not MAP_POPULATE: the pages are mapped as the passes over them reach them (the kernel
            // maps a cached file's neighbouring pages in the same fault) and released behind them
            // (context::release), so that the whole file is never resident at once.
            void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_.fd, 0);
            if (m != MAP_FAILED) {
                map_ = static_cast<const char*>(m);
                return;
            }
            size_ = 0;
        }
        streaming_ = true;
    }
    file_bytes(const file_bytes&) = delete;
    file_bytes& operator=(const file_bytes&) = delete;
    ~file_bytes() {
        if (map_ != nullptr) ::munmap(const_cast<char*>(map_), size_);
    }

    /// True when the bytes must be read with read_more (not mapped).
    [[nodiscard]] bool streaming() const { return streaming_; }

    /// Appends up to `block` more bytes to buf_; false at end of file.
    bool read_more(const std::string& path, std::size_t block = std::size_t{1} << 20) {
        const std::size_t old = buf_.size();
        buf_.resize(old + block);
        for (;;) {
            const ssize_t got = ::read(fd_.fd, buf_.data() + old, block);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) {
                buf_.resize(old);
                fail(path, errno);
            }
            buf_.resize(old + static_cast<std::size_t>(got));
            return got > 0;
        }
    }

    [[nodiscard]] std::string_view text() const {
        return map_ != nullptr ? std::string_view(map_, size_) : std::string_view(buf_);
    }

private:
    [[noreturn]] static void fail(const std::string& path, int err) {
        if (err == EISDIR) no_input(path, "is a directory, not a CSV file");
        no_input(path, std::string("cannot read: ") + std::strerror(err));
    }

    struct fd_guard {  // a member, so that the descriptor is closed when the constructor throws
        int fd = -1;
        fd_guard() = default;
        fd_guard(const fd_guard&) = delete;
        fd_guard& operator=(const fd_guard&) = delete;
        ~fd_guard() {
            if (fd >= 0) ::close(fd);
        }
    };
    fd_guard fd_;
    const char* map_ = nullptr;
    std::size_t size_ = 0;
    std::string buf_;
    bool streaming_ = false;
};

// ---- the header -----------------------------------------------------------------------------

bool is_line_end(const char* p, const char* fin) {
    return p < fin && (*p == '\n' || (*p == '\r' && p + 1 < fin && p[1] == '\n'));
}

/// True when [p, fin) holds only line ends: trailing blank lines.
bool rest_blank(const char* p, const char* fin) {
    while (p < fin) {
        if (*p == '\n') ++p;
        else if (*p == '\r' && p + 1 < fin && p[1] == '\n') p += 2;
        else return false;
    }
    return true;
}

void check_delimiter(char d) {
    if (d == '"' || d == '\n' || d == '\r')
        throw cli_error(exit_code::usage, "CSV delimiter " + show(std::string_view(&d, 1)) + " is not allowed");
}

std::size_t bom_size(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

struct header_record {
    std::vector<std::string> names;
    std::size_t data_begin = 0;  // offset of the first data record
};

/// Parses the header record; throws for an empty file, a blank first line, bad quoting and
/// duplicate names.
header_record parse_header_record(std::string_view text, const std::string& name, char delim) {
    check_delimiter(delim);
    const char* const base = text.data();
    const char* const fin = base + text.size();
    const char* p = base + bom_size(text);
    if (rest_blank(p, fin)) data_error(name + ": the file is empty (no header row)");
    if (is_line_end(p, fin)) data_error(name + ":1: the first line is blank; the header row must come first");
    auto at = [&](const char* q) { return where(name, text, static_cast<std::size_t>(q - base)); };
    header_record h;
    for (;;) {
        const std::string field_no = std::to_string(h.names.size() + 1);
        if (p < fin && *p == '"') {
            const char* q = p + 1;
            bool doubled = false;
            for (;;) {
                q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(fin - q)));
                if (q == nullptr)
                    data_error(at(p) + "header field " + field_no +
                               ": unterminated quoted field (the quote opened here is never closed)");
                if (q + 1 < fin && q[1] == '"') {
                    q += 2;
                    doubled = true;
                    continue;
                }
                break;
            }
            const std::string_view content(p + 1, static_cast<std::size_t>(q - p - 1));
            h.names.push_back(doubled ? unescape_quotes(content) : std::string(content));
            p = q + 1;
            if (p < fin && *p != delim && !is_line_end(p, fin))
                data_error(at(p) + "header field " + field_no + ": unexpected " + show(std::string_view(p, 1)) +
                           " after a closing quote (expected the delimiter or the end of the line)");
        } else {
            const char* q = p;
            while (q < fin && *q != delim && *q != '\n' && *q != '"') ++q;
            if (q < fin && *q == '"')
                data_error(at(q) + "header field " + field_no +
                           ": a quote inside an unquoted field (quote the whole field and double the quote)");
            std::string_view content(p, static_cast<std::size_t>(q - p));
            if (q < fin && *q == '\n' && !content.empty() && content.back() == '\r') content.remove_suffix(1);
            h.names.emplace_back(content);
            p = q;
        }
        if (p < fin && *p == delim) {
            ++p;
            continue;
        }
        if (p < fin) p += (*p == '\r') ? 2 : 1;
        break;
    }
    h.data_begin = static_cast<std::size_t>(p - base);
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t j = 0; j < h.names.size(); ++j) {
        const auto [it, fresh] = seen.emplace(h.names[j], j);
        if (!fresh)
            data_error(name + ":1: duplicate column name " + show(h.names[j], 60) + " (columns " +
                       std::to_string(it->second + 1) + " and " + std::to_string(j + 1) + ")");
    }
    return h;
}

// ---- the data records -----------------------------------------------------------------------

/// Everything a chunk parser needs, shared read-only by the threads.
struct context {
    std::string_view text;
    const char* base = nullptr;
    const char* fin = nullptr;
    const std::string* name = nullptr;
    const std::vector<std::string>* header = nullptr;
    char delim = ',';
    std::size_t ncols = 0;
    std::vector<std::ptrdiff_t> slot;  // per header column: output slot, or -1 when not requested
    std::size_t nslots = 0;
    const token_matcher* missing = nullptr;
    bool skip_bad = false;
    // Per slot: the index of its code_counter in chunk_result::counters when the slot is counted
    // as it is read (an unordered column of codes), or -1 (values written to the column).
    std::vector<std::ptrdiff_t> counter;
    std::size_t ncounters = 0;
    // The text is a private read-only map of a file: pages already parsed may be dropped
    // (MADV_DONTNEED re-reads them from the file if they are touched again, e.g. for an error
    // message's line number), so that the file does not stay resident next to its columns.
    bool release = false;
    std::array<bool, 256> special{};  // bytes that stop an unquoted field: delimiter, LF, quote
};

/// One chunk's count of a counted slot: small integers (codes) in a direct table, other values
/// in a distinct_counter, NaN apart. Past 256 other distinct values the rest of the chunk's
/// values are kept as they are (`spill`): the column then comes back as values.
struct code_counter {
    // small[256 * w + i]: occurrences of the integer i - 128 (not -0.0) among the values added
    // with way w: four tables, so that a run of equal codes is counted without each increment
    // waiting for the previous one.
    std::array<std::size_t, 4 * 256> small{};
    driftgate::distinct_counter other;
    std::size_t missing = 0;
    std::vector<double> spill;
    bool spilled = false;

    /// Counts v, with way w (0..3; any, but consecutive values best on different ways).
    void add(double v, std::size_t w) {
        if (v >= -128.0 && v < 128.0) {
            const int i = static_cast<int>(v);
            if (std::bit_cast<std::uint64_t>(static_cast<double>(i)) == std::bit_cast<std::uint64_t>(v)) {
                ++small[256 * w + static_cast<std::size_t>(i + 128)];
                return;
            }
        }
        if (std::isnan(v)) ++missing;
        else if (spilled || !other.add(v)) {
            spilled = true;
            spill.push_back(v);
        }
    }

    /// Calls f(value, count) for each counted value (not the spill nor the missing values).
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < 256; ++i)
            if (const std::size_t n = small[i] + small[256 + i] + small[512 + i] + small[768 + i]; n != 0)
                f(static_cast<double>(static_cast<int>(i) - 128), n);
        other.for_each_ascending(f);
    }
};

struct alignas(64) chunk_result {
    std::size_t rows = 0;
    std::size_t stop = 0;       // offset where parsing stopped
    bool trailing = false;      // stopped on trailing blank lines (the rest of the file)
    bool full = false;          // stopped before a record beyond the chunk's capacity
    std::size_t err_pos = npos;  // first error: where, and the message after "file:line: "
    std::string err_msg;
    std::vector<std::size_t> bad_pos;  // skip_non_numeric: first non-numeric value per slot
    std::vector<std::string> bad_msg;
    std::vector<code_counter> counters;  // counted slots (context::counter)
    std::exception_ptr exception;
};

/// Bytes parsed between two releases of a mapped file's pages (context::release).
constexpr std::uintptr_t release_step = std::uintptr_t{8} << 20;

/// Drops the whole pages of [from, to) of a mapped file (MADV_DONTNEED: they are read from the
/// file again if touched) and returns the start of the page holding `to`, where the next stretch
/// starts (the pages holding `from` and `to` are only partly done and are kept).
const char* drop_pages(const char* from, const char* to) {
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const std::uintptr_t lo = (reinterpret_cast<std::uintptr_t>(from) + page - 1) / page * page;
    const std::uintptr_t hi = reinterpret_cast<std::uintptr_t>(to) / page * page;
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
    return std::max(from, to - (reinterpret_cast<std::uintptr_t>(to) - hi));
}

class chunk_parser {
public:
    /// `out[s]` is where this chunk's values of slot s go: room for `capacity` records (ignored
    /// for counted slots: codes read on the fast path are counted at once, other values queued
    /// and counted queue_size at a time).
    chunk_parser(const context& c, chunk_result& r, std::vector<double*> out, std::size_t capacity)
        : c_(c), r_(r), slot_(c.slot), run_(c.ncols, 0), out_(c.nslots), capacity_(capacity) {
        queues_.assign(c.ncounters * queue_size, 0.0);
        for (std::size_t s = 0; s < c.nslots; ++s) {
            const std::ptrdiff_t k = s < c.counter.size() ? c.counter[s] : -1;
            out_[s].base = k < 0 ? out[s] : queues_.data() + static_cast<std::size_t>(k) * queue_size;
            if (k >= 0) counted_.push_back(s);
        }
        // run_[j]: the number of unrequested columns from j on when a requested one follows them
        // in the record (0 otherwise, and for requested columns).
        for (std::size_t j = c.ncols, r = 0; j-- > 0;) {
            r = slot_[j] < 0 ? r + 1 : 0;
            if (slot_[j] < 0 && j + r < c.ncols) run_[j] = r;
        }
    }

    /// Parses the records starting in [begin, end), writing each record's values at its row of
    /// out. A chunk with more records than its capacity stops before the first one that does not
    /// fit (r_.full), leaving r_.stop short of `end` (the caller then re-parses with counted
    /// capacities or other boundaries).
    void run(std::size_t begin, std::size_t end) {
        r_.bad_pos.assign(c_.nslots, npos);
        r_.bad_msg.assign(c_.nslots, {});
        r_.counters.assign(c_.ncounters, {});
        for (const std::size_t s : counted_) {
            out_[s].counter = &r_.counters[static_cast<std::size_t>(c_.counter[s])];
            out_[s].small = out_[s].counter->small.data() + 128;
            out_[s].queued = 0;
        }
        const char* p = c_.base + begin;
        const char* const e = c_.base + end;
        const char* const fin = c_.fin;
        const char delim = c_.delim;
        const std::size_t ncols = c_.ncols;
        const char* released = p;  // start of the part of this chunk not yet released (context::release)
        rows_ = 0;
        while (p < e) {
            if (rows_ == capacity_) {  // more records than estimated, or than line feeds (a wrong boundary)
                r_.full = true;
                break;
            }
            const char* const row = p;
            if (is_line_end(p, fin)) {
                if (rest_blank(p, fin)) {
                    r_.trailing = true;
                    p = fin;
                    break;
                }
                r_.rows = rows_;
                fail(p, "blank line between records (every record needs " + std::to_string(ncols) +
                            " fields; a one-column file writes an empty value as \"\")");
                return;
            }
            for (std::size_t j = 0;; ++j) {
                if (slot_[j] >= 0) {
                    p = number(p, j);
                } else if (const char* d = run_[j] >= 2 ? delimiter_ahead(p, run_[j]) : nullptr; d != nullptr) {
                    p = d;  // the delimiter ending the last of run_[j] unrequested fields
                    j += run_[j] - 1;
                } else {
                    p = skip(p, j);
                }
                if (p == nullptr) {
                    r_.rows = rows_;
                    return;
                }
                if (p < fin && *p == delim) {
                    if (j + 1 == ncols) {
                        r_.rows = rows_;
                        too_many(row, p);
                        return;
                    }
                    ++p;
                    continue;
                }
                if (j + 1 < ncols) {
                    r_.rows = rows_;
                    fail(row, "record has " + std::to_string(j + 1) + (j == 0 ? " field" : " fields") +
                                  "; the header has " + std::to_string(ncols) + " (first missing: " +
                                  column_label(*c_.header, j + 1) + ")");
                    return;
                }
                if (p < fin) p += (*p == '\r') ? 2 : 1;  // LF, or CR LF after a closing quote
                break;
            }
            ++rows_;
            if (c_.release && static_cast<std::uintptr_t>(p - released) >= release_step) released = drop_pages(released, p);
        }
        for (const std::size_t s : counted_) count_queue(out_[s]);
        r_.rows = rows_;
        r_.stop = static_cast<std::size_t>(p - c_.base);
    }

private:
    /// Values a counted slot queues before counting them.
    static constexpr std::size_t queue_size = 256;

    /// Where a slot's values go: its column (base[row]), or, for a counted slot, its counter:
    /// one-character codes straight to the counter's table, other values through a queue.
    struct sink {
        double* base = nullptr;          // the column from this chunk's first row, or the queue
        code_counter* counter = nullptr;  // counted slots only
        std::size_t* small = nullptr;     // counter->small (way 0), offset so that small[i] counts i
        std::size_t queued = 0;           // values in the queue
    };

    /// Stores v, a value of the current record.
    void put(sink& o, double v) {
        if (o.counter == nullptr) {
            o.base[rows_] = v;
            return;
        }
        o.base[o.queued] = v;
        if (++o.queued == queue_size) count_queue(o);
    }

    /// Stores the code d (-9..9) of the current record.
    void put_code(sink& o, int d) {
        if (o.counter == nullptr) o.base[rows_] = d;
        else ++o.small[d];
    }

    /// Counts a counted slot's queued values.
    void count_queue(sink& o) {
        for (std::size_t i = 0; i < o.queued; ++i) o.counter->add(o.base[i], i & 3);
        o.queued = 0;
    }

    std::size_t off(const char* p) const { return static_cast<std::size_t>(p - c_.base); }

    /// The first delimiter, LF or quote in [p, fin), or fin. The special bytes of a 64-byte window
    /// are found at once (SSE2, on every x86-64) and kept as a bit mask, so that consecutive
    /// fields are delimited by shifts and bit scans, without a branch per byte or per field.
    const char* find_special(const char* p) {
        const char* const fin = c_.fin;
        for (;;) {
            if (in_window(p)) {
                const std::uint64_t m = bits_ >> (p - win_);
                if (m != 0) return p + std::countr_zero(m);
                p = win_ + win_size_;
            }
            if (fin - p < 64) break;
            load_window(p);
        }
        while (p < fin && !c_.special[static_cast<unsigned char>(*p)]) ++p;
        return p;
    }

    /// The r-th delimiter (r >= 1) from p when the r fields it ends are plain (no quote) and in
    /// this record (no line feed before it): the fields are stepped over by counting delimiter
    /// bits, 64 bytes at a time, instead of one at a time. nullptr when a quote or a line feed
    /// comes first or the end of the text is within 64 bytes: the caller then goes field by field
    /// (and reports any error there).
    const char* delimiter_ahead(const char* p, std::size_t r) {
        for (;;) {
            if (!in_window(p)) {
                if (c_.fin - p < 64) return nullptr;
                load_window(p);
            }
            const auto off = static_cast<unsigned>(p - win_);
            std::uint64_t m = bits_ >> off;
            const std::uint64_t other = others_ >> off;  // line feeds and quotes
            for (; r > 1 && m != 0; --r) m &= m - 1;  // drop special bytes before the r-th
            if (m != 0) {
                const int at = std::countr_zero(m);
                const std::uint64_t through = at == 63 ? ~std::uint64_t{0} : (std::uint64_t{2} << at) - 1;
                return (other & through) == 0 ? p + at : nullptr;
            }
            if (other != 0) return nullptr;  // the window's special bytes were not all delimiters
            p = win_ + win_size_;
        }
    }

    /// Whether p lies in the scan window.
    bool in_window(const char* p) const { return p >= win_ && p - win_ < win_size_; }

    /// Sets the window to the 64 bytes at p (which must be readable).
    void load_window(const char* p) {
        win_ = p;
        win_size_ = 64;
#if defined(__SSE2__)
        const __m128i d = _mm_set1_epi8(c_.delim), lf = _mm_set1_epi8('\n'), qu = _mm_set1_epi8('"');
        std::uint64_t bits = 0, others = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
            const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, qu));
            const __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, d), other);
            bits |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hit))) << (16 * k);
            others |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(other))) << (16 * k);
        }
        bits_ = bits;
        others_ = others;
#else
        std::uint64_t bits = 0, others = 0;
        for (int i = 0; i < 64; ++i) {
            bits |= static_cast<std::uint64_t>(c_.special[static_cast<unsigned char>(p[i])]) << i;
            others |= static_cast<std::uint64_t>(p[i] == '\n' || p[i] == '"') << i;
        }
        bits_ = bits;
        others_ = others;
#endif
    }

    void fail(const char* at, std::string message) {
        r_.err_pos = off(at);
        r_.err_msg = std::move(message);
        r_.stop = off(at);
    }

    /// A record with more fields than the header: counts them for the message (a quoting error
    /// further on the same record only makes the count a lower bound).
    void too_many(const char* row, const char* p) {
        std::size_t fields = c_.ncols;
        while (p != nullptr && p < c_.fin && *p == c_.delim) {
            ++fields;
            p = skip(p + 1, c_.ncols - 1);
        }
        fail(row, "record has " + std::string(p == nullptr ? "at least " : "") + std::to_string(fields) +
                      " fields; the header has " + std::to_string(c_.ncols));
    }

    /// For a quoted field at p: the closing quote, or nullptr (error recorded) when there is none.
    const char* closing_quote(const char* p, std::size_t j, bool& doubled) {
        const char* q = p + 1;
        const char* const fin = c_.fin;
        for (;;) {
            q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(fin - q)));
            if (q == nullptr) {
                fail(p, column_label(*c_.header, j) +
                            ": unterminated quoted field (the quote opened here is never closed)");
                return nullptr;
            }
            if (q + 1 < fin && q[1] == '"') {
                q += 2;
                doubled = true;
                continue;
            }
            return q;
        }
    }

    /// After a closing quote: the delimiter, LF, CR LF or the end of the file must follow.
    const char* after_quote(const char* p, std::size_t j) {
        if (p < c_.fin && *p != c_.delim && !is_line_end(p, c_.fin)) {
            fail(p, column_label(*c_.header, j) + ": unexpected " + show(std::string_view(p, 1)) +
                        " after a closing quote (expected the delimiter or the end of the line)");
            return nullptr;
        }
        return p;
    }

    /// End of the unquoted field starting at p (delimiter, LF or end of file), or nullptr when a
    /// quote is found inside it.
    const char* unquoted_end(const char* p, std::size_t j) {
        const char* const fin = c_.fin;
        p = find_special(p);
        if (p < fin && *p == '"') {
            fail(p, column_label(*c_.header, j) +
                        ": a quote inside an unquoted field (quote the whole field and double the quote)");
            return nullptr;
        }
        return p;
    }

    /// A field that is not converted: only delimited and checked.
    const char* skip(const char* p, std::size_t j) {
        if (p < c_.fin && *p == '"') {
            bool doubled = false;
            const char* q = closing_quote(p, j, doubled);
            return q == nullptr ? nullptr : after_quote(q + 1, j);
        }
        return unquoted_end(p, j);
    }

    /// A field of a requested column: converted to double and appended to its slot.
    const char* number(const char* p, std::size_t j) {
        const char* const fin = c_.fin;
        const token_matcher& missing = *c_.missing;
        sink& o = out_[static_cast<std::size_t>(slot_[j])];
        // Codes (d or -d followed by the delimiter, as in PAY_0, or d ending the line, as a label)
        // are read from the bytes at p, without finding the field's end in the scan window first.
        if (!missing.decimal && fin - p >= 3) {
            const auto d0 = static_cast<unsigned>(p[0] - '0'), d1 = static_cast<unsigned>(p[1] - '0');
            if (d0 < 10 && (p[1] == c_.delim || p[1] == '\n')) {
                put_code(o, static_cast<int>(d0));
                return p + 1;
            }
            if (p[0] == '-' && d1 < 10 && p[2] == c_.delim) {
                // -0 is -0.0, a value of its own: counted through the queue
                if (d1 == 0) put(o, -0.0);
                else put_code(o, -static_cast<int>(d1));
                return p + 2;
            }
        }
        // Fast path: a plain number, or an empty field, ending at a delimiter or a line end. The
        // field's end comes from the scan window; a CR before an LF is not part of the field.
        const char* const end = find_special(p);
        if (end < fin && *end == '"') return number_slow(p, j);
        const char* const stop = (end < fin && end > p && end[-1] == '\r' && *end == '\n') ? end - 1 : end;
        const auto len = stop - p;
        if (len == 0) {
            if (missing.has_empty) {
                put(o, missing_value);
                return stop;
            }
            return number_slow(p, j);
        }
        double v;
        const char* q = stop;
        const auto d0 = static_cast<unsigned>(p[0] - '0');
        const auto d1 = len >= 2 ? static_cast<unsigned>(p[1] - '0') : 0u;
        bool check = missing.decimal;  // could this text be a missing-value token?
        if (len == 1 && d0 < 10) {  // one digit (codes): no conversion needed
            v = d0;
        } else if (len == 2 && d1 < 10 && (d0 < 10 || p[0] == '-')) {  // two digits, or minus and one
            v = p[0] == '-' ? -static_cast<double>(d1) : static_cast<double>(10 * d0 + d1);
#if defined(__SSE2__)
        } else if (len <= 16 && fin - p >= 48 && short_decimal(p, static_cast<std::size_t>(len), v)) {
#endif
        } else {
            q = fast_decimal(p, stop, v);
            if (q != stop) {
                const auto [r, ec] = std::from_chars(p, stop, v);
                q = ec == std::errc() ? r : p;
                check = missing.numeric;
            }
        }
        if (q != stop) return number_slow(p, j);
        if (check && missing.match(std::string_view(p, static_cast<std::size_t>(len)))) v = missing_value;
        put(o, v);
        return stop;
    }

    /// Everything else: quotes, surrounding spaces, '+', missing tokens, errors.
    const char* number_slow(const char* p, std::size_t j) {
        const char* const fin = c_.fin;
        const char* const start = p;
        std::string_view content;
        std::string unescaped;
        const char* after = nullptr;
        if (p < fin && *p == '"') {
            bool doubled = false;
            const char* q = closing_quote(p, j, doubled);
            if (q == nullptr) return nullptr;
            after = after_quote(q + 1, j);
            if (after == nullptr) return nullptr;
            content = std::string_view(p + 1, static_cast<std::size_t>(q - p - 1));
            if (doubled) {
                unescaped = unescape_quotes(content);
                content = unescaped;
            }
        } else {
            after = unquoted_end(p, j);
            if (after == nullptr) return nullptr;
            content = std::string_view(p, static_cast<std::size_t>(after - p));
            if (after < fin && *after == '\n' && !content.empty() && content.back() == '\r') content.remove_suffix(1);
        }
        const std::string_view t = trim(content);
        double v = missing_value;
        if (!c_.missing->match(t) && !to_double(t, v)) {
            std::string message = column_label(*c_.header, j) + ": cannot parse " + show(content) + " as a number";
            if (!c_.skip_bad) {
                fail(start, std::move(message));
                return nullptr;
            }
            // skip_non_numeric: remember the first offence and stop converting this column.
            const auto s = static_cast<std::size_t>(slot_[j]);
            r_.bad_pos[s] = off(start);
            r_.bad_msg[s] = std::move(message);
            slot_[j] = -1;
            return after;
        }
        put(out_[static_cast<std::size_t>(slot_[j])], v);
        return after;
    }

    const context& c_;
    chunk_result& r_;
    std::vector<std::ptrdiff_t> slot_;
    std::vector<std::size_t> run_;  // see the constructor
    std::vector<sink> out_;
    std::vector<double> queues_;        // queue_size values per counted slot
    std::vector<std::size_t> counted_;  // the counted slots
    std::size_t capacity_;
    std::size_t rows_ = 0;  // records parsed (a member, not in r_: r_ sits next to other threads' results)
    // find_special's window: win_size_ (64, or 0 before the first) bytes from win_, and their
    // special bytes (bit i: win_[i]).
    const char* win_ = c_.base;
    std::ptrdiff_t win_size_ = 0;
    std::uint64_t bits_ = 0;
    std::uint64_t others_ = 0;  // the window's line feeds and quotes (a subset of bits_)
};

unsigned choose_chunks(unsigned requested, std::size_t bytes) {
    if (requested != 0) return std::min(requested, 256u);
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t by_size = bytes / (std::size_t{4} << 20) + 1;
    return static_cast<unsigned>(std::min<std::size_t>(hw, by_size));
}

/// Runs f(0..n-1) on the process's worker threads and the calling one (parallel_run); rethrows
/// the exception of the lowest-numbered call that threw.
template <class F>
void run_parallel(unsigned n, F&& f) {
    parallel_run(n, std::function<void(unsigned)>(std::ref(f)));
}

/// Number of line feeds in [p, p + n): SSE2 compares, summed per byte lane (at most 255 blocks
/// between two horizontal sums, so that no lane overflows).
std::size_t count_line_feeds_in(const char* p, std::size_t n) {
    std::size_t count = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    while (n >= 16) {
        const std::size_t blocks = std::min<std::size_t>(n / 16, 255);
        __m128i acc = _mm_setzero_si128();
        for (std::size_t b = 0; b < blocks; ++b, p += 16)  // a match is -1: subtracting adds 1
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), lf));
        const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
        count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
                 static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
        n -= 16 * blocks;
    }
#endif
    return count + static_cast<std::size_t>(std::count(p, p + n, '\n'));
}

/// Number of line feeds in [p, p + n); with `release`, the pages of a mapped file are released
/// behind the count, release_step bytes at a time (see context::release).
std::size_t count_line_feeds(const char* p, std::size_t n, bool release) {
    if (!release) return count_line_feeds_in(p, n);
    std::size_t count = 0;
    const char* released = p;
    while (n > 0) {
        const std::size_t step = std::min<std::size_t>(n, release_step);
        count += count_line_feeds_in(p, step);
        p += step;
        n -= step;
        released = drop_pages(released, p);
    }
    return count;
}

/// Records a chunk [p, p + n) of a file with `ncols` columns can hold, guessed from the line
/// feeds in its first 256 KiB (all of it when shorter), scaled to the chunk and padded by a
/// sixteenth and 16 records, and at most n / ncols + 1 (a record takes at least ncols bytes: its
/// delimiters and line feed). Cheaper than counting every line feed (a pass over the chunk before
/// it is parsed). A chunk whose records turn out shorter than the sample's fills up before its
/// end (chunk_result::full) and parse_impl parses again with counted capacities; one whose
/// records turn out longer only leaves room unused.
std::size_t estimated_records(const char* p, std::size_t n, std::size_t ncols) {
    constexpr std::size_t sample_bytes = std::size_t{256} << 10;
    const std::size_t s = std::min(n, sample_bytes);
    const std::size_t lf = count_line_feeds_in(p, s);
    const std::size_t scaled = s == n ? lf : static_cast<std::size_t>((static_cast<uint128>(n) * lf + s - 1) / s);
    return std::min(scaled + scaled / 16 + 16, n / std::max<std::size_t>(ncols, 1) + 1);
}

/// The k-th of n nominal chunk offsets splitting [begin, begin + span) evenly.
std::size_t nominal_offset(std::size_t begin, std::size_t span, unsigned n, unsigned k) {
    return begin + span / n * k + span % n * k / n;
}

/// Offsets where chunks start, in [begin, end], guessed without a pass over the data: the byte
/// after the first LF at or after each nominal offset, as if no quoted field held a line feed.
/// parse_impl checks that each chunk ends where the next begins, which holds exactly when the
/// guess was right, and falls back to chunk_starts below otherwise.
std::vector<std::size_t> guessed_chunk_starts(std::string_view text, std::size_t begin, unsigned n) {
    const std::size_t end = text.size();
    const std::size_t span = end - begin;
    std::vector<std::size_t> starts(n + 1);
    starts[0] = begin;
    starts[n] = end;
    for (unsigned k = 1; k < n; ++k) {
        std::size_t p = std::max(nominal_offset(begin, span, n, k), starts[k - 1]);
        if (p > begin && text[p - 1] == '\n') {
            starts[k] = p;
            continue;
        }
        const void* lf = std::memchr(text.data() + p, '\n', end - p);
        starts[k] = lf == nullptr ? end : static_cast<std::size_t>(static_cast<const char*>(lf) - text.data()) + 1;
    }
    return starts;
}

/// Offsets where chunks start, in [begin, end]: record boundaries found from quote parity.
/// In well-formed CSV every quote toggles the "inside quotes" state (a doubled quote toggles it
/// twice), so the parity of the quotes before a byte tells whether it is inside a quoted field.
/// If the file is malformed before a boundary, an earlier chunk reports that error first.
std::vector<std::size_t> chunk_starts(std::string_view text, std::size_t begin, unsigned n) {
    const std::size_t end = text.size();
    const std::size_t span = end - begin;
    std::vector<std::size_t> nominal(n + 1);
    for (unsigned k = 0; k <= n; ++k) nominal[k] = nominal_offset(begin, span, n, k);
    std::vector<std::size_t> quotes(n);
    run_parallel(n, [&](unsigned k) {
        quotes[k] = static_cast<std::size_t>(
            std::count(text.begin() + static_cast<std::ptrdiff_t>(nominal[k]),
                       text.begin() + static_cast<std::ptrdiff_t>(nominal[k + 1]), '"'));
    });
    std::vector<std::size_t> starts(n + 1);
    starts[0] = begin;
    starts[n] = end;
    std::size_t parity = 0;
    for (unsigned k = 1; k < n; ++k) {
        parity += quotes[k - 1];
        bool inside = (parity & 1) != 0;
        std::size_t p = nominal[k];
        if (starts[k - 1] >= p) {  // the previous chunk starts past this one's nominal start
            starts[k] = starts[k - 1];
            continue;
        }
        // a boundary lies after an LF outside quotes; at nominal[k] the previous byte decides
        if (p > begin && !inside && text[p - 1] == '\n') {
            starts[k] = p;
            continue;
        }
        while (p < end) {
            const char ch = text[p++];
            if (ch == '"') inside = !inside;
            else if (ch == '\n' && !inside) break;
        }
        starts[k] = p;
    }
    for (unsigned k = 1; k <= n; ++k) starts[k] = std::max(starts[k], starts[k - 1]);
    return starts;
}

/// The slots of `unordered` columns to count as they are read: those whose first head_rows
/// records (parsed here, errors left to the full parse) look like codes (looks_like_codes).
/// Returns context::counter (-1: values) and sets c.ncounters.
std::vector<std::ptrdiff_t> choose_counted(context& c, const std::vector<char>& unordered, std::size_t begin) {
    constexpr std::size_t head_rows = 256;
    std::vector<std::ptrdiff_t> counter(c.nslots, -1);
    c.ncounters = 0;
    if (std::find(unordered.begin(), unordered.end(), 1) == unordered.end()) return counter;
    std::vector<double> head(c.nslots * head_rows);
    std::vector<double*> out(c.nslots);
    for (std::size_t s = 0; s < c.nslots; ++s) out[s] = head.data() + s * head_rows;
    chunk_result r;
    const bool release = std::exchange(c.release, false);
    chunk_parser(c, r, out, head_rows).run(begin, c.text.size());
    c.release = release;
    for (std::size_t s = 0; s < c.nslots; ++s) {
        if (!unordered[s] || r.rows == 0 || r.bad_pos[s] != npos) continue;
        if (looks_like_codes(std::span<const double>(out[s], r.rows)))
            counter[s] = static_cast<std::ptrdiff_t>(c.ncounters++);
    }
    return counter;
}

/// A counted slot's result from its chunks' counts: counted when no chunk spilled and the
/// merged count holds at most 256 distinct values (`counted` set), else the values (`values`:
/// counted values repeated, spills, NaN for the missing ones; not in file order).
void gather_counts(const std::vector<chunk_result>& results, std::size_t k, std::size_t rows,
                   std::optional<counted_sample>& counted, std::vector<double>& values) {
    driftgate::distinct_counter all;
    bool fits = true;
    std::size_t missing = 0;
    for (const chunk_result& r : results) {
        const code_counter& cc = r.counters[k];
        missing += cc.missing;
        fits = fits && !cc.spilled;
        if (fits) cc.for_each([&](double v, std::size_t n) { fits = fits && all.add(v, n); });
    }
    if (fits) {
        counted = all.counted();
        counted->missing = missing;
        return;
    }
    values.reserve(rows);
    for (const chunk_result& r : results) {
        const code_counter& cc = r.counters[k];
        cc.for_each([&](double v, std::size_t n) { values.insert(values.end(), n, v); });
        values.insert(values.end(), cc.spill.begin(), cc.spill.end());
        values.insert(values.end(), cc.missing, missing_value);
    }
}

csv_table parse_impl(std::string_view text, const std::string& name, std::span<const std::string> columns,
                     const csv_options& options, column_policy policy, std::span<const std::string> unordered,
                     bool mapped = false) {
    header_record h = parse_header_record(text, name, options.delimiter);
    csv_table table;
    table.path = name;
    table.header = std::move(h.names);

    context c;
    c.text = text;
    c.base = text.data();
    c.fin = text.data() + text.size();
    c.name = &name;
    c.header = &table.header;
    c.delim = options.delimiter;
    c.ncols = table.header.size();
    c.slot.assign(c.ncols, -1);
    c.skip_bad = policy == column_policy::skip_non_numeric;
    c.release = mapped;
    c.special[static_cast<unsigned char>(c.delim)] = true;
    c.special[static_cast<unsigned char>('\n')] = true;
    c.special[static_cast<unsigned char>('"')] = true;

    std::vector<std::size_t> requested;  // header index per slot
    for (const std::string& col : columns) {
        const auto it = std::find(table.header.begin(), table.header.end(), col);
        if (it == table.header.end()) {
            std::string list;
            const std::size_t shown = std::min<std::size_t>(table.header.size(), 50);
            for (std::size_t j = 0; j < shown; ++j) list += (j ? ", " : "") + show(table.header[j], 60);
            if (shown < table.header.size()) list += ", ... (" + std::to_string(table.header.size()) + " columns)";
            data_error(name + ": no column " + show(col, 60) + "; the columns are: " + list);
        }
        const auto j = static_cast<std::size_t>(it - table.header.begin());
        if (c.slot[j] >= 0) continue;  // requested again: loaded once, at its first place
        c.slot[j] = static_cast<std::ptrdiff_t>(requested.size());
        requested.push_back(j);
    }
    c.nslots = requested.size();
    const token_matcher missing(options.missing_tokens, options.case_sensitive_missing);
    c.missing = &missing;

    const std::size_t begin = h.data_begin;
    {
        std::vector<char> unordered_slot(c.nslots, 0);
        for (const std::string& col : unordered)
            for (std::size_t s = 0; s < c.nslots; ++s)
                if (table.header[requested[s]] == col) unordered_slot[s] = 1;
        c.counter = choose_counted(c, unordered_slot, begin);
    }
    unsigned n = choose_chunks(options.threads, text.size() - begin);
    std::vector<chunk_result> results;
    // The values go straight to their place in the columns: chunk k's records are at most its
    // line feeds (one more when it ends at the end of the file, whose last line may have none), so
    // chunk k writes from row at[k] = the bounds of the chunks before it, and the gaps left by
    // chunks with fewer records (blank lines, quoted line feeds) are closed afterwards.
    std::vector<std::vector<double>> cols(c.nslots);
    std::size_t sized = 0;  // rows the value columns have room for
    std::vector<std::size_t> at;
    enum class outcome { done, full, misaligned };
    auto parse_all = [&](unsigned chunks, bool guess, bool estimate) {
        const std::vector<std::size_t> starts = chunks == 1 ? std::vector<std::size_t>{begin, text.size()}
                                                : guess     ? guessed_chunk_starts(text, begin, chunks)
                                                            : chunk_starts(text, begin, chunks);
        std::vector<std::size_t> capacity(chunks);
        run_parallel(chunks, [&](unsigned k) {
            const char* const from = text.data() + starts[k];
            const std::size_t bytes = starts[k + 1] - starts[k];
            capacity[k] = (estimate ? estimated_records(from, bytes, c.ncols) : count_line_feeds(from, bytes, c.release)) +
                          (starts[k + 1] == text.size() ? 1 : 0);
        });
        at.assign(chunks + 1, 0);
        for (unsigned k = 0; k < chunks; ++k) at[k + 1] = at[k] + capacity[k];
        if (sized < at[chunks]) {
            std::vector<std::size_t> valued;  // slots written to columns (not counted)
            for (std::size_t s = 0; s < c.nslots; ++s)
                if (c.counter[s] < 0) valued.push_back(s);
            const auto workers = static_cast<unsigned>(std::min<std::size_t>(chunks, valued.size()));
            if (workers > 0)
                run_parallel(workers, [&](unsigned w) {
                    for (std::size_t i = w; i < valued.size(); i += workers) cols[valued[i]].resize(at[chunks]);
                });
            sized = at[chunks];
        }
        results.assign(chunks, chunk_result{});
        run_parallel(chunks, [&](unsigned k) {
            std::vector<double*> out(c.nslots, nullptr);
            for (std::size_t s = 0; s < c.nslots; ++s)
                if (c.counter[s] < 0) out[s] = cols[s].data() + at[k];
            chunk_parser(c, results[k], std::move(out), capacity[k]).run(starts[k], starts[k + 1]);
        });
        // Consistency: each chunk must end where the next begins (or on trailing blank lines).
        for (unsigned k = 0; k < chunks; ++k) {
            const chunk_result& r = results[k];
            if (r.err_pos != npos) return outcome::done;
            if (r.trailing) return outcome::done;
            if (r.stop != starts[k + 1]) return r.full ? outcome::full : outcome::misaligned;
        }
        return outcome::done;
    };
    // First with guessed boundaries and capacities (no pass over the file before parsing it); a
    // chunk that fills up is parsed again with its line feeds counted. Guessed boundaries are
    // right unless a quoted field holding a line feed spans one; then the boundaries are found
    // from quote parity, and the file is parsed again. (The last fallback, one chunk, cannot be
    // needed on consistent input; it is kept as a safety net.)
    outcome o = parse_all(n, true, true);
    if (o == outcome::full) o = parse_all(n, true, false);
    if (o != outcome::done) o = parse_all(n, false, false);
    if (o != outcome::done) parse_all(1, false, false);

    for (const chunk_result& r : results)
        if (r.err_pos != npos) data_error(where(name, text, r.err_pos) + r.err_msg);

    std::size_t rows = 0;
    for (const chunk_result& r : results) rows += r.rows;
    if (rows == 0) data_error(name + ": the file has a header but no data rows");
    table.rows = rows;

    std::vector<std::size_t> kept;  // slots of the columns returned
    for (std::size_t s = 0; s < c.nslots; ++s) {
        const std::size_t j = requested[s];
        bool bad = false;
        for (const chunk_result& r : results) {
            if (r.bad_pos[s] != npos) {
                table.dropped.push_back({table.header[j], j + 1, where(name, text, r.bad_pos[s]) + r.bad_msg[s]});
                bad = true;
                break;
            }
        }
        if (bad) continue;
        table.names.push_back(table.header[j]);
        kept.push_back(s);
    }
    // Close the gaps between the chunks' records (none when every chunk held as many records as
    // line feeds); the columns are independent, so the threads share them out.
    table.columns.resize(kept.size());
    table.counted.resize(kept.size());
    const auto workers = static_cast<unsigned>(std::min<std::size_t>(results.size(), kept.size()));
    if (workers > 0)
        run_parallel(workers, [&](unsigned w) {
            for (std::size_t i = w; i < kept.size(); i += workers) {
                if (const std::ptrdiff_t k = c.counter[kept[i]]; k >= 0) {
                    gather_counts(results, static_cast<std::size_t>(k), rows, table.counted[i], table.columns[i]);
                    continue;
                }
                std::vector<double>& col = cols[kept[i]];
                std::size_t to = 0;
                for (std::size_t k = 0; k < results.size(); ++k) {
                    if (to != at[k]) std::memmove(col.data() + to, col.data() + at[k], results[k].rows * sizeof(double));
                    to += results[k].rows;
                }
                col.resize(rows);
                table.columns[i] = std::move(col);
            }
        });
    return table;
}

} // namespace

bool looks_like_codes(std::span<const double> x) {
    std::vector<std::uint64_t> bits;
    for (std::size_t i = 0; i < std::min<std::size_t>(x.size(), 256); ++i)
        if (!std::isnan(x[i])) bits.push_back(std::bit_cast<std::uint64_t>(x[i]));
    std::sort(bits.begin(), bits.end());
    return std::unique(bits.begin(), bits.end()) - bits.begin() <= 64;
}

std::size_t csv_table::index(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " was not loaded");
}

std::size_t csv_table::values_index(std::string_view name) const {
    const std::size_t i = index(name);
    if (counted[i]) throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " was counted, not loaded as values");
    return i;
}

std::span<const double> csv_table::column(std::string_view name) const { return columns[values_index(name)]; }

const counted_sample* csv_table::counts(std::string_view name) const {
    const std::size_t i = index(name);
    return counted[i] ? &*counted[i] : nullptr;
}

std::vector<double> csv_table::take(std::string_view name) { return std::move(columns[values_index(name)]); }

std::vector<std::string> parse_csv_header(std::string_view text, const std::string& name, const csv_options& options) {
    return parse_header_record(text, name, options.delimiter).names;
}

csv_table parse_csv(std::string_view text, const std::string& name, std::span<const std::string> columns,
                    const csv_options& options, column_policy policy, std::span<const std::string> unordered) {
    return parse_impl(text, name, columns, options, policy, unordered);
}

std::vector<std::string> read_csv_header(const std::string& path, const csv_options& options) {
    check_delimiter(options.delimiter);
    file_bytes file(path, /*whole=*/false);
    // Read blocks until the header record is complete (an LF outside quotes) or the file ends.
    bool inside = false;
    std::size_t scanned = 0;
    for (;;) {
        const bool more = file.read_more(path, std::size_t{64} << 10);
        const std::string_view t = file.text();
        bool complete = false;
        for (; scanned < t.size(); ++scanned) {
            if (t[scanned] == '"') inside = !inside;
            else if (t[scanned] == '\n' && !inside) {
                complete = true;
                break;
            }
        }
        if (complete || !more) return parse_csv_header(t, path, options);
    }
}

csv_table read_csv(const std::string& path, std::span<const std::string> columns, const csv_options& options,
                   column_policy policy, std::span<const std::string> unordered) {
    check_delimiter(options.delimiter);
    file_bytes file(path, /*whole=*/true);
    if (file.streaming())
        while (file.read_more(path)) {
        }
    return parse_impl(file.text(), path, columns, options, policy, unordered, /*mapped=*/!file.streaming());
}

} // namespace driftgate::cli
