// driftgate — the 64-bit word hash behind a profile file's checksum and a profile's fingerprint
// (docs/profile-format.md): little-endian 64-bit words into four lanes by multiply-rotate steps,
// folded with the length in bytes. Not cryptographic: it tells contents apart, at several GB/s.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace driftgate {
inline namespace v0 {
namespace detail {

static_assert(std::endian::native == std::endian::little, "the word hash reads little-endian words; add byte swaps here");

inline constexpr std::uint64_t word_hash_k1 = 0x9E3779B185EBCA87ULL;
inline constexpr std::uint64_t word_hash_k2 = 0xC2B2AE3D27D4EB4FULL;

/// One word into its lane: lane = rotl(lane ^ (w * K2), 31) * K1.
[[nodiscard]] constexpr std::uint64_t word_hash_step(std::uint64_t lane, std::uint64_t w) noexcept {
    return std::rotl(lane ^ (w * word_hash_k2), 31) * word_hash_k1;
}

/// The four lanes as they start: K1, K2, ~K1, ~K2.
struct word_hash_lanes {
    std::uint64_t lane[4] = {word_hash_k1, word_hash_k2, ~word_hash_k1, ~word_hash_k2};

    /// h = bytes * K1; per lane h = rotl(h ^ (lane * K2), 27) * K1 + 0x52DCE729; then
    /// h ^= h >> 33; h *= K2; h ^= h >> 29.
    [[nodiscard]] constexpr std::uint64_t finish(std::uint64_t bytes) const noexcept {
        std::uint64_t h = bytes * word_hash_k1;
        for (const std::uint64_t x : lane) h = std::rotl(h ^ (x * word_hash_k2), 27) * word_hash_k1 + 0x52DCE729;
        h ^= h >> 33;
        h *= word_hash_k2;
        h ^= h >> 29;
        return h;
    }
};

/// The hash fed a word at a time, word i into lane i mod 4: the same value as the hash of the
/// bytes of those words (detail::profile_checksum). Texts go in as the profile format writes
/// them: their byte length, then their bytes in words, the last one zero-padded. O(words).
class word_hash {
public:
    void word(std::uint64_t w) noexcept {
        auto& l = lanes_.lane[words_ & 3];
        l = word_hash_step(l, w);
        ++words_;
    }
    void text(std::string_view s) noexcept {
        word(s.size());
        for (std::size_t i = 0; i < s.size(); i += 8) {
            std::uint64_t w = 0;
            std::memcpy(&w, s.data() + i, std::min<std::size_t>(8, s.size() - i));
            word(w);
        }
    }
    /// The values' bit patterns, one word each: four lanes at a time in registers.
    void doubles(std::span<const double> v) noexcept {
        std::size_t i = 0;
        for (; i < v.size() && (words_ & 3) != 0; ++i) word(std::bit_cast<std::uint64_t>(v[i]));
        std::uint64_t a = lanes_.lane[0], b = lanes_.lane[1], c = lanes_.lane[2], d = lanes_.lane[3];
        for (; i + 4 <= v.size(); i += 4) {
            a = word_hash_step(a, std::bit_cast<std::uint64_t>(v[i]));
            b = word_hash_step(b, std::bit_cast<std::uint64_t>(v[i + 1]));
            c = word_hash_step(c, std::bit_cast<std::uint64_t>(v[i + 2]));
            d = word_hash_step(d, std::bit_cast<std::uint64_t>(v[i + 3]));
            words_ += 4;
        }
        lanes_.lane[0] = a;
        lanes_.lane[1] = b;
        lanes_.lane[2] = c;
        lanes_.lane[3] = d;
        for (; i < v.size(); ++i) word(std::bit_cast<std::uint64_t>(v[i]));
    }
    [[nodiscard]] std::uint64_t value() const noexcept { return lanes_.finish(words_ * 8); }

private:
    word_hash_lanes lanes_;
    std::uint64_t words_ = 0;
};

} // namespace detail
} // namespace v0
} // namespace driftgate
