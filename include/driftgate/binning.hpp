// driftgate — bin edges learned from a reference sample, and counting samples into those bins.
//
// Every binning is a list of inner edges e_1 < ... < e_{k-1} that cut the real line into k bins
//   (-inf, e_1), [e_1, e_2), ..., [e_{k-1}, +inf)
// — half-open [a, b), the outer bins open-ended so that current values outside the reference range
// are counted, and -inf / +inf fall in the outer bins — plus one bin of its own for missing values
// (NaN), always last. The edges come from the reference only (the usual hand-written PSI that bins
// each sample separately compares different intervals).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/quantile.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

/// How bin edges are learned from the reference.
enum class binning_method {
    automatic, ///< `distinct` when the reference has at most `max_distinct` distinct values, else `quantile`
    quantile,  ///< reference quantiles at 0, 1/bins, ..., 1 (numpy linear), repeated edges merged
    uniform,   ///< equal width over [min, max] of the reference's finite values
    edges,     ///< edges given by the caller
    distinct,  ///< one bin per distinct reference value (codes such as PAY_0)
};

[[nodiscard]] constexpr const char* to_string(binning_method m) noexcept {
    switch (m) {
    case binning_method::automatic: return "auto";
    case binning_method::quantile: return "quantile";
    case binning_method::uniform: return "uniform";
    case binning_method::edges: return "edges";
    case binning_method::distinct: return "distinct";
    }
    return "unknown";
}

/// Options for learning bin edges. Defaults: 10 bins (as the monitored system uses), automatic
/// method, one bin per value for features with at most `bins` distinct values.
struct binning_options {
    binning_method method = binning_method::automatic;
    std::size_t bins = 10;          ///< quantile / uniform bin count (>= 1)
    std::size_t max_distinct = 0;   ///< automatic: distinct bins up to this many values; 0 means `bins`
    std::vector<double> edges;      ///< method::edges: e_0 < e_1 < ... < e_K, finite; K bins
};

/// Learned bins: inner edges (see the header comment), how they were learned, and the bin count
/// without the missing bin (inner.size() + 1).
struct binning {
    std::vector<double> inner;
    binning_method method = binning_method::quantile; ///< the method actually used (never automatic)

    /// Number of value bins (the missing-value bin not included).
    [[nodiscard]] std::size_t value_bins() const noexcept { return inner.size() + 1; }
    /// Number of bins including the missing-value bin, which is last.
    [[nodiscard]] std::size_t total_bins() const noexcept { return inner.size() + 2; }
    /// Lower edge of value bin i (-inf for the first).
    [[nodiscard]] double lower(std::size_t i) const noexcept { return i == 0 ? -INFINITY : inner[i - 1]; }
    /// Upper edge of value bin i (+inf for the last).
    [[nodiscard]] double upper(std::size_t i) const noexcept {
        return i == inner.size() ? INFINITY : inner[i];
    }
    /// Index of the bin holding v: the value bin [lower, upper) that contains it, or the missing
    /// bin for NaN. Cost: O(log k); up to 16 edges a branch-free count of the edges <= v (the
    /// same index: binary search branches unpredictably on every value).
    [[nodiscard]] std::size_t bin_of(double v) const noexcept {
        if (v != v) return inner.size() + 1;
        if (inner.size() <= 16) {
            std::size_t k = 0;
            for (const double e : inner) k += e <= v ? 1 : 0;
            return k;
        }
        return static_cast<std::size_t>(std::upper_bound(inner.begin(), inner.end(), v) - inner.begin());
    }
};

namespace detail {

/// Inner edges from a full edge list e_0 <= ... <= e_K: repeated edges merged (numpy.unique), the
/// first and last dropped (the outer bins are open-ended), and infinite edges dropped (a bin
/// bounded by an infinity holds only that infinity and merges with its outer neighbour).
[[nodiscard]] inline std::vector<double> inner_from_full(std::vector<double> full) {
    // Quantiles of an ascending sample are ascending; keep the edges so even if an interpolation
    // rounds against the order (upper_bound needs sorted edges).
    for (std::size_t i = 1; i < full.size(); ++i) full[i] = std::max(full[i], full[i - 1]);
    full.erase(std::unique(full.begin(), full.end()), full.end());
    std::vector<double> inner;
    if (full.size() > 2) inner.assign(full.begin() + 1, full.end() - 1);
    inner.erase(std::remove_if(inner.begin(), inner.end(), [](double e) { return std::isinf(e); }),
                inner.end());
    return inner;
}

/// The finite part [first, last) of an ascending sample.
[[nodiscard]] inline std::span<const double> finite_part(std::span<const double> sorted) noexcept {
    auto first = std::find_if(sorted.begin(), sorted.end(), [](double v) { return v != -INFINITY; });
    auto last = std::find_if(first, sorted.end(), [](double v) { return v == INFINITY; });
    return {first, last};
}

/// The end of the run of values equal to x[i] in an ascending span.
[[nodiscard]] inline std::size_t next_run(std::span<const double> x, std::size_t i) noexcept { return run_end(x, i); }

/// The finite values of a counted sample seen by rank, as an ascending span would show them:
/// size(), operator[] (the entry holding a rank, by binary search over the running counts) and
/// next_run, so that the quantile and distinct-value code serves both forms.
class counted_finite_ranks {
public:
    explicit counted_finite_ranks(const counted_sample& s) : s_(s) {
        // The finite entries are contiguous: after a -inf entry (at most one), before +inf.
        first_entry_ = !s.values.empty() && s.values.front() == -INFINITY ? 1 : 0;
        std::size_t total = 0;
        for (std::size_t k = first_entry_; k < s.values.size() && s.values[k] != INFINITY; ++k)
            ends_.push_back(total += s.counts[k]);
    }
    [[nodiscard]] std::size_t size() const noexcept { return ends_.empty() ? 0 : ends_.back(); }
    [[nodiscard]] double operator[](std::size_t rank) const noexcept { return value(entry_of(rank)); }
    /// The end (rank) of the run of values equal to the value at `rank`.
    [[nodiscard]] std::size_t run_end_at(std::size_t rank) const noexcept {
        std::size_t e = entry_of(rank);
        while (e + 1 < ends_.size() && value(e + 1) == value(e)) ++e; // -0.0 then +0.0
        return ends_[e];
    }

private:
    /// The finite entry holding `rank`, numbered from the first finite entry.
    [[nodiscard]] std::size_t entry_of(std::size_t rank) const noexcept {
        return static_cast<std::size_t>(std::upper_bound(ends_.begin(), ends_.end(), rank) - ends_.begin());
    }
    [[nodiscard]] double value(std::size_t e) const noexcept { return s_.values[first_entry_ + e]; }
    const counted_sample& s_;
    std::size_t first_entry_ = 0;    // index in s_ of the first finite entry
    std::vector<std::size_t> ends_;  // running count of the finite values at the end of each finite entry
};

[[nodiscard]] inline std::size_t next_run(const counted_finite_ranks& x, std::size_t i) noexcept { return x.run_end_at(i); }

/// Distinct values of an ascending sample, counted up to limit + 1. O(distinct * log n).
template <class Sorted>
[[nodiscard]] std::size_t count_distinct_upto(const Sorted& sorted, std::size_t limit) {
    std::size_t d = 0;
    for (std::size_t i = 0; i < sorted.size() && d <= limit; i = next_run(sorted, i)) ++d;
    return d;
}

/// learn_bins on the finite values `fin` (a span, or counted_finite_ranks) of a non-empty sample.
template <class Finite>
[[nodiscard]] binning learn_bins_finite(const Finite& fin, const binning_options& opt) {
    binning b;
    binning_method m = opt.method;
    if (m == binning_method::automatic) {
        const std::size_t limit = opt.max_distinct == 0 ? opt.bins : opt.max_distinct;
        m = count_distinct_upto(fin, limit) <= limit ? binning_method::distinct : binning_method::quantile;
    }
    b.method = m;
    const std::size_t n = fin.size();
    if (n == 0) return b; // only infinities: one value bin

    switch (m) {
    case binning_method::quantile: {
        std::vector<double> full(opt.bins + 1);
        // numpy.linspace(0, 1, bins + 1): i * step with step = 1 / bins, the last level exactly 1.
        const double step = 1.0 / static_cast<double>(opt.bins);
        for (std::size_t i = 0; i <= opt.bins; ++i)
            full[i] = quantile_sorted(fin, i == opt.bins ? 1.0 : static_cast<double>(i) * step);
        b.inner = inner_from_full(std::move(full));
        break;
    }
    case binning_method::uniform: {
        const double lo = fin[0], hi = fin[n - 1];
        std::vector<double> full(opt.bins + 1);
        const double step = (hi - lo) / static_cast<double>(opt.bins);
        for (std::size_t i = 0; i <= opt.bins; ++i)
            full[i] = i == opt.bins ? hi : static_cast<double>(i) * step + lo;
        b.inner = inner_from_full(std::move(full));
        break;
    }
    case binning_method::distinct: {
        for (std::size_t i = next_run(fin, 0); i < n; i = next_run(fin, i)) b.inner.push_back(fin[i]);
        break;
    }
    default: break;
    }
    return b;
}

/// The explicit-edges binning (method::edges), checked.
[[nodiscard]] inline binning explicit_bins(const binning_options& opt, const char* where) {
    binning b;
    const auto& e = opt.edges;
    require(e.size() >= 2, errc::invalid_parameter, where, "explicit edges need at least two values");
    for (std::size_t i = 0; i < e.size(); ++i) {
        require(std::isfinite(e[i]), errc::invalid_parameter, where, "explicit edge " + std::to_string(i) + " is not finite");
        require(i == 0 || e[i] > e[i - 1], errc::invalid_parameter, where,
                "explicit edges must be strictly increasing (edge " + std::to_string(i) + ")");
    }
    b.inner.assign(e.begin() + 1, e.end() - 1);
    b.method = binning_method::edges;
    return b;
}

/// learn_bins's checks (edges, bin count, a non-empty reference), then the bins from the finite
/// values finite() gives (a span of a sorted sample, or a counted sample's ranks).
template <class Sample, class Finite>
[[nodiscard]] binning learn_bins_checked(const Sample& ref, const binning_options& opt, Finite&& finite) {
    constexpr const char* where = "learn_bins";
    if (opt.method == binning_method::edges) return explicit_bins(opt, where);
    require(opt.bins >= 1, errc::invalid_parameter, where, "the bin count must be at least 1");
    require(!ref.empty(), errc::empty_sample, where, "the reference has no non-missing value");
    return learn_bins_finite(finite(), opt);
}

} // namespace detail

/// Learns bins from a prepared reference sample.
///  * quantile: full edges = numpy.quantile(finite reference, i * (1/bins) for i < bins, and 1)
///    — the levels computed as numpy.linspace(0, 1, bins + 1) does — merged with numpy.unique;
///    inner edges = all but the first and last. Equal to the numpy recipe
///    `np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)))[1:-1]` bit for bit on finite data.
///  * uniform: inner edges min + i * ((max - min) / bins), i = 1 .. bins-1 (numpy.linspace), over
///    the finite reference values.
///  * distinct: inner edges = the distinct finite reference values but the smallest, so each
///    reference value has its own bin [v_i, v_{i+1}).
///  * edges: the caller's e_0 < ... < e_K (finite, strictly increasing, K >= 1) define K bins, the
///    first extended to -inf and the last to +inf.
///  * automatic: distinct when the reference has at most max_distinct (default: bins) distinct
///    finite values, quantile otherwise.
/// A reference whose values are all missing or infinite gets a single value bin.
/// Throws errc::invalid_parameter for bins == 0 or bad edges, errc::empty_sample when the
/// reference has no non-missing value (quantile, uniform, distinct, automatic).
/// Cost: O(bins) after sorting; distinct/automatic O(distinct values * log n).
[[nodiscard]] inline binning learn_bins(const sorted_sample& ref, const binning_options& opt = {}) {
    return detail::learn_bins_checked(ref, opt, [&] { return detail::finite_part(ref.values); });
}

/// learn_bins of a counted reference: the same bins as from its expansion. Cost: O(distinct
/// values + bins * log(distinct values)).
[[nodiscard]] inline binning learn_bins(const counted_sample& ref, const binning_options& opt = {}) {
    return detail::learn_bins_checked(ref, opt, [&] { return detail::counted_finite_ranks(ref); });
}

/// Bin counts of one sample: counts[i] for value bin i, the missing-value count last.
struct bin_counts {
    std::vector<std::size_t> counts; ///< size total_bins(): value bins, then missing
    std::size_t n = 0;               ///< sample size, missing included (sum of counts)
};

/// Counts a prepared (sorted) sample into `b`: O(k log n) for k bins.
[[nodiscard]] inline bin_counts count_bins(const binning& b, const sorted_sample& s) {
    bin_counts c;
    c.counts.assign(b.total_bins(), 0);
    const auto& v = s.values;
    std::size_t prev = 0;
    for (std::size_t i = 0; i < b.inner.size(); ++i) {
        // Value bin i holds [lower, e_i): everything strictly below e_i not yet counted.
        const auto pos = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), b.inner[i]) - v.begin());
        c.counts[i] = pos - prev;
        prev = pos;
    }
    c.counts[b.inner.size()] = v.size() - prev;
    c.counts.back() = s.missing;
    c.n = s.total();
    return c;
}

/// Counts a counted sample into `b`: each distinct value's count to its bin. O(distinct values).
[[nodiscard]] inline bin_counts count_bins(const binning& b, const counted_sample& s) {
    bin_counts c;
    c.counts.assign(b.total_bins(), 0);
    for (std::size_t i = 0; i < s.values.size(); ++i) c.counts[b.bin_of(s.values[i])] += s.counts[i];
    c.counts.back() = s.missing;
    c.n = s.total();
    return c;
}

/// Counts a raw sample into `b` without sorting it: O(n log k).
template <arithmetic T>
[[nodiscard]] bin_counts count_bins(const binning& b, std::span<const T> x) {
    bin_counts c;
    c.counts.assign(b.total_bins(), 0);
    for (const T v : x) ++c.counts[b.bin_of(static_cast<double>(v))];
    c.n = x.size();
    return c;
}

/// Container overload of count_bins(const binning&, std::span<const T>).
template <class Range>
    requires requires(const Range& r) { std::span(r); }
[[nodiscard]] bin_counts count_bins(const binning& b, const Range& x) {
    return count_bins(b, detail::as_const_span(x));
}

} // namespace v0
} // namespace driftgate
