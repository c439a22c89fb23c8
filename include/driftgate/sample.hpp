// driftgate — a sample sorted once and shared by every statistic that needs order
// (two-sample KS, quantile bin edges, quantiles), the "prepare the reference once" pattern.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstddef>
#include <cmath>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/double_array.hpp"

namespace driftgate {
inline namespace v0 {

/// A sample split into its missing values (NaN, counted) and its other values (kept sorted
/// ascending; +inf and -inf are values, not missing). Cost: O(n) to build (radix sort).
struct sorted_sample {
    double_array values;     ///< non-missing values, ascending (owned, or viewed in a mapped profile)
    std::size_t missing = 0; ///< number of NaN values dropped from `values`

    /// Number of non-missing values.
    [[nodiscard]] std::size_t size() const noexcept { return values.size(); }
    /// Number of values including missing ones.
    [[nodiscard]] std::size_t total() const noexcept { return values.size() + missing; }
    [[nodiscard]] bool empty() const noexcept { return values.empty(); }
};

namespace detail {

/// Order-preserving map of a double (not NaN) to an unsigned key: key(a) < key(b) iff a < b, for
/// every pair but -0.0 and +0.0 (equal as doubles; -0.0 gets the smaller key). Positive values get
/// the sign bit set, negative ones have every bit flipped (their magnitude order is reversed).
[[nodiscard]] inline std::uint64_t radix_key(double d) noexcept {
    const auto u = std::bit_cast<std::uint64_t>(d);
    return (u >> 63) != 0 ? ~u : u | (std::uint64_t{1} << 63);
}

/// The double of a key (the inverse of radix_key).
[[nodiscard]] inline double radix_value(std::uint64_t k) noexcept {
    return std::bit_cast<double>((k >> 63) != 0 ? k & ~(std::uint64_t{1} << 63) : ~k);
}

/// The end of the run of values equal to x[i] in ascending x (i < x.size()): one comparison for a
/// run of one, else a galloping search, so that a sample of few distinct values (codes) costs
/// O(distinct values * log n) instead of O(n). (-0.0 and +0.0 are equal: one run.)
[[nodiscard]] inline std::size_t run_end(std::span<const double> x, std::size_t i) noexcept {
    const double v = x[i];
    const std::size_t n = x.size();
    if (++i == n || x[i] != v) return i;
    std::size_t step = 1;
    while (i + step < n && x[i + step] == v) step *= 2;
    // x[i + step / 2] == v (or step == 1 and x[i] == v); the run ends at or before i + step.
    const auto first = x.begin() + static_cast<std::ptrdiff_t>(i + step / 2);
    const auto last = x.begin() + static_cast<std::ptrdiff_t>(std::min(i + step, n));
    return static_cast<std::size_t>(std::upper_bound(first, last, v) - x.begin());
}

/// True when some value of ascending x equals its predecessor (ties within the sample).
[[nodiscard]] inline bool has_ties(std::span<const double> x) noexcept {
    bool tie = false;
    for (std::size_t k = 1; k < x.size(); ++k) tie |= x[k] == x[k - 1];
    return tie;
}

} // namespace detail

struct counted_sample;

/// Counts the distinct values of a sample of few of them (codes such as PAY_0, amounts in round
/// units) in one pass, for count_sample and for callers that count as they read (a CSV reader's
/// chunks, merged afterwards with add(value, count)).
///
/// Values are distinct bit patterns: -0.0 and +0.0 are counted apart (equal as doubles, they are
/// separate entries of a counted_sample). NaN is a missing value, counted apart (missing()), as
/// everywhere in the library. At most max_distinct = 256 distinct values: add() refuses the
/// 257th, so a continuous sample is found out within its first few hundred values.
///
/// Cost: add is O(1) (a 512-slot open-addressing table keyed by detail::radix_key, Fibonacci
/// hashing, linear probing, at most half full: about 8.5 KiB, in L1 cache); listing the k values
/// in order is O(k log k); no allocation.
class distinct_counter {
public:
    static constexpr std::size_t max_distinct = 256;

    /// Counts d `count` times (NaN: as missing). Returns false, counting nothing, when d would be
    /// the 257th distinct value.
    bool add(double d, std::size_t count = 1) noexcept {
        if (d != d) {
            missing_ += count;
            return true;
        }
        const std::uint64_t k = detail::radix_key(d);
        // Fibonacci hashing to 9 bits, linear probing (the table is at most half full).
        std::size_t h = static_cast<std::size_t>((k * 0x9e3779b97f4a7c15ULL) >> 55);
        while (used_[h] && key_[h] != k) h = (h + 1) & (slots - 1);
        if (!used_[h]) {
            if (distinct_ == max_distinct) return false;
            ++distinct_;
            used_[h] = true;
            key_[h] = k;
        }
        count_[h] += count;
        return true;
    }

    /// Number of distinct (non-missing) values counted.
    [[nodiscard]] std::size_t size() const noexcept { return distinct_; }
    /// Number of NaN values counted.
    [[nodiscard]] std::size_t missing() const noexcept { return missing_; }

    /// Calls f(value, count) for each distinct value in ascending detail::radix_key order (the
    /// order of the doubles, -0.0 before +0.0); missing values are not listed.
    template <class F>
    void for_each_ascending(F&& f) const {
        std::size_t order[max_distinct];
        std::size_t m = 0;
        for (std::size_t h = 0; h < slots; ++h)
            if (used_[h]) order[m++] = h;
        std::sort(order, order + m, [&](std::size_t a, std::size_t b) { return key_[a] < key_[b]; });
        for (std::size_t i = 0; i < m; ++i) f(detail::radix_value(key_[order[i]]), count_[order[i]]);
    }

    /// The counts as a counted_sample (values ascending, their counts, the missing count). O(k log k).
    [[nodiscard]] counted_sample counted() const;

private:
    static constexpr std::size_t slots = 512;
    std::uint64_t key_[slots] = {};
    std::size_t count_[slots] = {};
    bool used_[slots] = {};
    std::size_t distinct_ = 0;
    std::size_t missing_ = 0;
};

namespace detail {

/// Sorts `v` (no NaN) when it holds at most 256 distinct values (bit patterns: codes, amounts in
/// round units): counts them (distinct_counter), then writes the runs in key order. Gives up
/// (returns false, `v` untouched) at the 257th distinct value, which on continuous data happens
/// within the first few hundred values. O(n).
[[nodiscard]] inline bool sort_few_distinct(std::vector<double>& v) {
    distinct_counter c;
    for (const double d : v)
        if (!c.add(d)) return false;
    auto out = v.begin();
    c.for_each_ascending([&](double value, std::size_t count) { out = std::fill_n(out, static_cast<std::ptrdiff_t>(count), value); });
    return true;
}

/// Below this size std::sort is faster than clearing and scanning the radix histograms.
inline constexpr std::size_t radix_sort_min = 1024;

/// Sorts `rows` ascending by key(row) >> low_bit, key(row) an unsigned 64-bit key (radix_key of
/// a value, or its complement for descending order): an LSD radix sort in passes of DigitBits
/// bits from bit low_bit up (for the whole key in 11-bit digits: six passes, the last of 9 bits),
/// one pass building every histogram, passes where all keys share the digit skipped. Stable, so
/// the order within ties is the input order (std::stable_sort by key below radix_sort_min rows,
/// on the whole key). O(n) time, n extra rows of memory.
template <int DigitBits = 11, class Row, class Key>
void radix_sort_rows(std::vector<Row>& rows, Key key, int low_bit = 0) {
    const std::size_t n = rows.size();
    if (n < radix_sort_min) {
        std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
        return;
    }
    constexpr int digit_bits = DigitBits, max_passes = (64 + DigitBits - 1) / DigitBits;
    constexpr std::size_t buckets = std::size_t{1} << digit_bits;
    const int passes = (64 - low_bit + digit_bits - 1) / digit_bits;
    std::vector<std::size_t> hist(max_passes * buckets, 0);
    for (const Row& r : rows) {
        const std::uint64_t k = key(r) >> low_bit;
        for (int p = 0; p < passes; ++p) ++hist[p * buckets + ((k >> (p * digit_bits)) & (buckets - 1))];
    }
    // Scratch space, written before it is read: not value-initialised (no pass of zeros).
    const auto tmp = std::make_unique_for_overwrite<Row[]>(n);
    Row* src = rows.data();
    Row* dst = tmp.get();
    const std::uint64_t first = key(rows.front()) >> low_bit;
    for (int p = 0; p < passes; ++p) {
        std::size_t* h = hist.data() + p * buckets;
        const int shift = p * digit_bits;
        if (h[(first >> shift) & (buckets - 1)] == n) continue; // every key has this digit
        std::size_t sum = 0;
        for (std::size_t b = 0; b < buckets; ++b) { // counts -> start offsets
            const std::size_t c = h[b];
            h[b] = sum;
            sum += c;
        }
        for (std::size_t i = 0; i < n; ++i) dst[h[(key(src[i]) >> (low_bit + shift)) & (buckets - 1)]++] = src[i];
        std::swap(src, dst);
    }
    if (src != rows.data()) std::copy(src, src + n, rows.data());
}

/// Bits of radix_key below which sort_values leaves the order to a final pass (sort_values).
inline constexpr int radix_low_bits = 24;

/// Sort doubles ascending (NaN already removed): LSD radix sort of the top 40 bits of radix_key
/// (sign, exponent and 28 bits of the significand) in four passes of 10 bits (1024 buckets, whose
/// write positions stay in L1 cache: 11-bit digits were 20-40% slower over 1e6 values), one pass
/// to build their histograms, passes in which every key has the same digit skipped (values of one
/// sign and exponent range need fewer); then one pass over the result sorts each run of values
/// sharing those 40 bits (values within 2^-28 of each other, relatively: a few thousand pairs
/// among 1e6 random doubles) by the whole key with std::sort. At most 256 distinct values (codes) are
/// counted instead (sort_few_distinct). O(n) time for data without large clusters of values that
/// close (O(n log n) at worst), n extra doubles of memory.
/// The result is the ascending order std::sort gives; only the relative order of -0.0 and +0.0,
/// which std::sort leaves unspecified, is fixed (-0.0 first). Small inputs use std::sort by key.
inline void sort_values(std::vector<double>& v) {
    const std::size_t n = v.size();
    const auto by_key = [](double a, double b) { return radix_key(a) < radix_key(b); };
    if (n < radix_sort_min) {
        std::sort(v.begin(), v.end(), by_key);
        return;
    }
    if (sort_few_distinct(v)) return;
    radix_sort_rows<10>(v, [](double d) { return radix_key(d); }, radix_low_bits);
    for (std::size_t i = 0; i < n;) {
        const std::uint64_t top = radix_key(v[i]) >> radix_low_bits;
        std::size_t j = i + 1;
        while (j < n && radix_key(v[j]) >> radix_low_bits == top) ++j;
        if (j - i > 1)
            std::sort(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(j), by_key);
        i = j;
    }
}

} // namespace detail

/// Sort a sample once: missing values (NaN) are counted and set aside, the rest sorted ascending
/// (detail::sort_values: a radix sort). Integer inputs are converted to double. Cost: O(n) time
/// (O(n log n) below detail::radix_sort_min values), 2n doubles of memory while sorting.
template <arithmetic T>
[[nodiscard]] sorted_sample sort_sample(std::span<const T> x) {
    sorted_sample s;
    std::vector<double> values;
    values.reserve(x.size());
    for (const T v : x) {
        if (detail::is_missing(v))
            ++s.missing;
        else
            values.push_back(static_cast<double>(v));
    }
    detail::sort_values(values);
    s.values = std::move(values);
    return s;
}

/// Sort a sample held in a vector the caller gives up: the same result as sort_sample of a span,
/// without a copy (the missing values are moved out and the vector's memory becomes the sorted
/// values). Cost: O(n) time, n extra doubles of scratch while sorting.
[[nodiscard]] inline sorted_sample sort_sample(std::vector<double>&& x) {
    sorted_sample s;
    std::vector<double> v = std::move(x);
    const auto kept = std::remove_if(v.begin(), v.end(), [](double d) { return detail::is_missing(d); });
    s.missing = static_cast<std::size_t>(v.end() - kept);
    v.erase(kept, v.end());
    detail::sort_values(v);
    s.values = std::move(v);
    return s;
}

/// Container overload: anything contiguous that converts to std::span<const T>.
template <class Range>
    requires requires(const Range& r) { std::span(r); }
[[nodiscard]] sorted_sample sort_sample(const Range& x) {
    return sort_sample(detail::as_const_span(x));
}

/// A sample of few distinct values (codes such as PAY_0, amounts in round units) held as those
/// values and their counts: the compact equivalent of a sorted_sample, which KS, binning and PSI
/// accept as well, with the same results. values ascend in radix_key order, bit patterns
/// distinct (-0.0 and +0.0, equal as doubles, are separate entries, -0.0 first); every count is
/// positive. Build it with count_sample.
struct counted_sample {
    std::vector<double> values;       ///< distinct non-missing values, ascending (see above)
    std::vector<std::size_t> counts;  ///< occurrences of each value (> 0)
    std::size_t n = 0;                ///< sum of counts: the number of non-missing values
    std::size_t missing = 0;          ///< number of NaN values

    [[nodiscard]] std::size_t size() const noexcept { return n; }
    [[nodiscard]] std::size_t total() const noexcept { return n + missing; }
    [[nodiscard]] bool empty() const noexcept { return n == 0; }

    /// The equivalent sorted_sample (every value repeated by its count). O(n).
    [[nodiscard]] sorted_sample expand() const {
        sorted_sample s;
        s.missing = missing;
        std::vector<double> v;
        v.reserve(n);
        for (std::size_t i = 0; i < values.size(); ++i) v.insert(v.end(), counts[i], values[i]);
        s.values = std::move(v);
        return s;
    }
};

inline counted_sample distinct_counter::counted() const {
    counted_sample s;
    for_each_ascending([&](double value, std::size_t count) {
        s.values.push_back(value);
        s.counts.push_back(count);
        s.n += count;
    });
    s.missing = missing_;
    return s;
}

namespace detail {

/// A sorted sample read run by run (the values equal to the current one at a time): over the
/// values of a sorted_sample (runs found by galloping) or the entries of a counted_sample. The
/// merges of two samples (KS, chi-square, Wasserstein) read both forms through these.
class sorted_runs {
public:
    explicit sorted_runs(const sorted_sample& s) noexcept : v_(s.values.data()), n_(s.values.size()) {}
    [[nodiscard]] bool done() const noexcept { return i_ == n_; }
    /// The current value (the first of its run: -0.0 before +0.0).
    [[nodiscard]] double value() const noexcept { return v_[i_]; }
    /// Steps over the values equal to v (the current one).
    void take() noexcept { i_ = run_end(std::span<const double>(v_, n_), i_); }
    /// Values stepped over so far.
    [[nodiscard]] std::size_t position() const noexcept { return i_; }

private:
    const double* v_;
    std::size_t n_, i_ = 0;
};

class counted_runs {
public:
    explicit counted_runs(const counted_sample& s) noexcept : s_(s) {}
    [[nodiscard]] bool done() const noexcept { return k_ == s_.values.size(); }
    [[nodiscard]] double value() const noexcept { return s_.values[k_]; }
    /// Steps over the entries equal to the current value (-0.0 and +0.0 are two entries).
    void take() noexcept {
        const double v = s_.values[k_];
        for (; k_ < s_.values.size() && s_.values[k_] == v; ++k_) pos_ += s_.counts[k_];
    }
    [[nodiscard]] std::size_t position() const noexcept { return pos_; }

private:
    const counted_sample& s_;
    std::size_t k_ = 0, pos_ = 0;
};

[[nodiscard]] inline sorted_runs runs_of(const sorted_sample& s) noexcept { return sorted_runs(s); }
[[nodiscard]] inline counted_runs runs_of(const counted_sample& s) noexcept { return counted_runs(s); }

} // namespace detail

/// Counts a sample of at most `max_distinct` (<= 256) distinct non-missing values (bit
/// patterns); NaN values are missing, counted apart. Returns nothing at the first value beyond
/// that (a continuous sample gives up within a few hundred values). Cost: O(n), one pass, no
/// allocation proportional to n.
template <arithmetic T>
[[nodiscard]] std::optional<counted_sample> count_sample(std::span<const T> x,
                                                         std::size_t max_distinct = distinct_counter::max_distinct) {
    detail::require(max_distinct <= distinct_counter::max_distinct, errc::invalid_parameter, "count_sample",
                    "max_distinct must be at most 256");
    distinct_counter c;  // NaN (a missing value) is counted apart by add
    for (const T v : x)
        if (!c.add(static_cast<double>(v))) return std::nullopt;
    counted_sample s = c.counted();
    if (s.values.size() > max_distinct) return std::nullopt;
    return s;
}

/// Container overload of count_sample.
template <class Range>
    requires requires(const Range& r) { std::span(r); }
[[nodiscard]] std::optional<counted_sample> count_sample(const Range& x,
                                                         std::size_t max_distinct = distinct_counter::max_distinct) {
    return count_sample(detail::as_const_span(x), max_distinct);
}

} // namespace v0
} // namespace driftgate
