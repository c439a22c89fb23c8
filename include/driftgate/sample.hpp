// driftgate — a sample sorted once and shared by every statistic that needs order
// (two-sample KS, quantile bin edges, quantiles), the "prepare the reference once" pattern.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "driftgate/core.hpp"

namespace driftgate {
inline namespace v0 {

/// A sample split into its missing values (NaN, counted) and its other values (kept sorted
/// ascending; +inf and -inf are values, not missing). Cost: O(n log n) to build.
struct sorted_sample {
    std::vector<double> values; ///< non-missing values, ascending
    std::size_t missing = 0;    ///< number of NaN values dropped from `values`

    /// Number of non-missing values.
    [[nodiscard]] std::size_t size() const noexcept { return values.size(); }
    /// Number of values including missing ones.
    [[nodiscard]] std::size_t total() const noexcept { return values.size() + missing; }
    [[nodiscard]] bool empty() const noexcept { return values.empty(); }
};

namespace detail {
/// Sort doubles ascending (NaN already removed).
inline void sort_values(std::vector<double>& v) { std::sort(v.begin(), v.end()); }
} // namespace detail

/// Sort a sample once: missing values (NaN) are counted and set aside, the rest sorted ascending.
/// Integer inputs are converted to double. Cost: O(n log n).
template <arithmetic T>
[[nodiscard]] sorted_sample sort_sample(std::span<const T> x) {
    sorted_sample s;
    s.values.reserve(x.size());
    for (const T v : x) {
        if (detail::is_missing(v))
            ++s.missing;
        else
            s.values.push_back(static_cast<double>(v));
    }
    detail::sort_values(s.values);
    return s;
}

/// Container overload: anything contiguous that converts to std::span<const T>.
template <class Range>
    requires requires(const Range& r) { std::span(r); }
[[nodiscard]] sorted_sample sort_sample(const Range& x) {
    return sort_sample(std::span(x));
}

} // namespace v0
} // namespace driftgate
