// driftgate — Population Stability Index (PSI) and Characteristic Stability Index (CSI).
//
//   PSI = sum over bins i of (c_i - r_i) * ln(c_i / r_i)
//
// where r_i and c_i are the shares of the reference and the current sample in bin i, over bins
// learned from the reference (binning.hpp), the missing-value bin included. PSI >= 0, and 0 when
// the shares agree (each term is >= 0: (c - r) and ln(c / r) share their sign).
//
// Empty bins: when a bin is empty in one sample and not in the other, ln(c/r) is infinite. Such a
// share is replaced by epsilon (default 1e-4, the convention of the common PSI implementations,
// e.g. Evidently's), before the formula is applied; a bin empty in both samples contributes 0.
// When no bin is empty, the result is exactly the unsmoothed formula. The result reports whether
// smoothing was applied and how many bins were empty in each sample. For valid input the result
// is never inf or NaN.
//
// CSI is the same index computed on the model's scores; it has its own name so reports say CSI.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "driftgate/binning.hpp"
#include "driftgate/core.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

/// Which index a result is: PSI on a feature, CSI on the score. The arithmetic is the same.
enum class stability_index { psi, csi };

[[nodiscard]] constexpr const char* to_string(stability_index k) noexcept {
    return k == stability_index::psi ? "psi" : "csi";
}

/// The default smoothing epsilon for empty bins.
inline constexpr double default_psi_epsilon = 1e-4;

/// Options for PSI / CSI.
struct psi_options {
    double epsilon = default_psi_epsilon; ///< share used in place of 0 in a bin empty in one sample; in (0, 1)
};

/// One bin of a PSI result: an interval [lower, upper) (continuous columns), one reference value
/// (lower == upper == the value: discrete columns), one category (categorical columns), the
/// unseen-value bin (current values or categories the reference never had) or the missing bin.
struct psi_bin {
    double lower = 0.0, upper = 0.0; ///< [lower, upper), or the value twice; NaN for the other bins
    bool missing = false;            ///< the bin of missing values
    bool unseen = false;             ///< the bin of values the reference never had
    bool is_value = false;           ///< a bin of one reference value (lower == upper)
    std::string category;            ///< a category bin's text (categorical columns)
    std::size_t reference_count = 0, current_count = 0;
    double reference_share = 0.0, current_share = 0.0; ///< count / n, before smoothing
    double contribution = 0.0; ///< (c - r) ln(c / r) with the smoothed shares
};

/// A PSI or CSI value with its bins.
struct psi_result {
    stability_index kind = stability_index::psi;
    double value = 0.0;                 ///< the index
    std::vector<psi_bin> bins;          ///< value bins in order, then the missing-value bin
    bool smoothed = false;              ///< some share was replaced by epsilon
    std::size_t empty_reference_bins = 0; ///< bins empty in the reference but not in the current sample
    std::size_t empty_current_bins = 0;   ///< bins empty in the current sample but not in the reference
    double epsilon = default_psi_epsilon;
    std::size_t reference_n = 0, current_n = 0; ///< sample sizes, missing values included
    binning_method method = binning_method::quantile;
    bool value_bins = false;            ///< bins are values or categories plus an unseen bin (psi_from_value_counts)
};

/// A reference prepared once (edges and counts) and scored against any number of current samples.
struct psi_reference {
    binning bins;
    bin_counts counts;
};

/// Learns bins from the reference and counts it. Cost: O(n) after sorting (O(n log n) from raw).
[[nodiscard]] inline psi_reference prepare_psi_reference(const sorted_sample& ref, const binning_options& opt = {}) {
    psi_reference p;
    p.bins = learn_bins(ref, opt);
    p.counts = count_bins(p.bins, ref);
    return p;
}

/// prepare_psi_reference of a counted reference (codes): the same bins and counts as from its
/// expansion. Cost: O(distinct values + bins * log(distinct values)).
[[nodiscard]] inline psi_reference prepare_psi_reference(const counted_sample& ref, const binning_options& opt = {}) {
    psi_reference p;
    p.bins = learn_bins(ref, opt);
    p.counts = count_bins(p.bins, ref);
    return p;
}

/// Raw-sample overload of prepare_psi_reference.
template <arithmetic T>
[[nodiscard]] psi_reference prepare_psi_reference(std::span<const T> ref, const binning_options& opt = {}) {
    return prepare_psi_reference(sort_sample(ref), opt);
}

namespace detail {
/// Shares, smoothing and contributions of bins whose counts are set (see the header comment).
inline void finish_psi(psi_result& r, std::size_t nr_, std::size_t nc_, const psi_options& opt) {
    r.epsilon = opt.epsilon;
    r.reference_n = nr_;
    r.current_n = nc_;
    const double nr = static_cast<double>(nr_), nc = static_cast<double>(nc_);
    double total = 0.0;
    for (psi_bin& bin : r.bins) {
        bin.reference_share = static_cast<double>(bin.reference_count) / nr;
        bin.current_share = static_cast<double>(bin.current_count) / nc;
        double rs = bin.reference_share, cs = bin.current_share;
        if (rs == 0.0 && cs == 0.0) continue; // empty in both: contributes 0
        if (rs == 0.0) {
            rs = opt.epsilon;
            ++r.empty_reference_bins;
        }
        if (cs == 0.0) {
            cs = opt.epsilon;
            ++r.empty_current_bins;
        }
        bin.contribution = (cs - rs) * std::log(cs / rs);
        total += bin.contribution;
    }
    r.smoothed = r.empty_reference_bins + r.empty_current_bins > 0;
    r.value = total;
}
} // namespace detail

/// The index from two sets of counts over the same bins (see the header comment for the formula
/// and the smoothing). Throws errc::empty_sample when either sample is empty, errc::invalid_parameter
/// for counts of different bins or epsilon outside (0, 1). Cost: O(k).
[[nodiscard]] inline psi_result psi_from_counts(const binning& b, const bin_counts& ref, const bin_counts& cur,
                                                const psi_options& opt = {},
                                                stability_index kind = stability_index::psi) {
    constexpr const char* where = "psi";
    detail::require(ref.n > 0, errc::empty_sample, where, "the reference sample is empty");
    detail::require(cur.n > 0, errc::empty_sample, where, "the current sample is empty");
    detail::require(ref.counts.size() == b.total_bins() && cur.counts.size() == b.total_bins(),
                    errc::invalid_parameter, where, "counts do not match the bins");
    detail::require(opt.epsilon > 0.0 && opt.epsilon < 1.0, errc::invalid_parameter, where,
                    "epsilon must lie in (0, 1)");
    psi_result r;
    r.kind = kind;
    r.method = b.method;
    r.bins.resize(b.total_bins());
    for (std::size_t i = 0; i < b.total_bins(); ++i) {
        psi_bin& bin = r.bins[i];
        bin.missing = i + 1 == b.total_bins();
        bin.lower = bin.missing ? NAN : b.lower(i);
        bin.upper = bin.missing ? NAN : b.upper(i);
        bin.reference_count = ref.counts[i];
        bin.current_count = cur.counts[i];
    }
    detail::finish_psi(r, ref.n, cur.n, opt);
    return r;
}

/// The index over value bins (discrete and categorical columns): `bins` holds one bin per
/// reference value or category (is_value or category set), then the unseen-value bin, then the
/// missing bin, each with its reference and current counts; `reference_n` and `current_n` are
/// the sample sizes (missing values included). The reference has nothing in the unseen bin, so
/// current values it never had make the bin empty in the reference: smoothed, and the index
/// grows with their share (a flag always 0 in the reference and 1 in half the current rows:
/// PSI = (0.5 - 1) ln(0.5 / 1) + (0.5 - eps) ln(0.5 / eps) = 0.35 + 4.26 = 4.60 at eps = 1e-4)
/// instead of hiding in an outer interval.
/// Throws as psi_from_counts. Cost: O(k).
[[nodiscard]] inline psi_result psi_from_value_counts(std::vector<psi_bin> bins, std::size_t reference_n,
                                                      std::size_t current_n, const psi_options& opt = {},
                                                      stability_index kind = stability_index::psi) {
    constexpr const char* where = "psi";
    detail::require(reference_n > 0, errc::empty_sample, where, "the reference sample is empty");
    detail::require(current_n > 0, errc::empty_sample, where, "the current sample is empty");
    detail::require(opt.epsilon > 0.0 && opt.epsilon < 1.0, errc::invalid_parameter, where,
                    "epsilon must lie in (0, 1)");
    detail::require(bins.size() >= 2 && bins[bins.size() - 2].unseen && bins.back().missing, errc::invalid_parameter,
                    where, "value bins must end with the unseen-value bin and the missing bin");
    std::size_t sr = 0, sc = 0;
    for (const psi_bin& b : bins) {
        sr += b.reference_count;
        sc += b.current_count;
    }
    detail::require(sr == reference_n && sc == current_n, errc::invalid_parameter, where,
                    "bin counts do not add up to the sample sizes");
    psi_result r;
    r.kind = kind;
    r.method = binning_method::distinct;
    r.value_bins = true;
    r.bins = std::move(bins);
    detail::finish_psi(r, reference_n, current_n, opt);
    return r;
}

/// PSI of a current sample against a prepared reference. Cost: O(k log n) for a sorted current
/// sample.
[[nodiscard]] inline psi_result psi(const psi_reference& ref, const sorted_sample& cur, const psi_options& opt = {}) {
    return psi_from_counts(ref.bins, ref.counts, count_bins(ref.bins, cur), opt, stability_index::psi);
}

/// PSI of a counted current sample against a prepared reference. Cost: O(distinct values).
[[nodiscard]] inline psi_result psi(const psi_reference& ref, const counted_sample& cur, const psi_options& opt = {}) {
    return psi_from_counts(ref.bins, ref.counts, count_bins(ref.bins, cur), opt, stability_index::psi);
}

/// PSI of a raw current sample against a prepared reference. Cost: O(n log k).
template <arithmetic T>
[[nodiscard]] psi_result psi(const psi_reference& ref, std::span<const T> cur, const psi_options& opt = {}) {
    return psi_from_counts(ref.bins, ref.counts, count_bins(ref.bins, cur), opt, stability_index::psi);
}

/// PSI of two raw samples, bins learned from the reference. Cost: O(n log n).
template <arithmetic T, arithmetic U>
[[nodiscard]] psi_result psi(std::span<const T> ref, std::span<const U> cur, const binning_options& bins = {},
                             const psi_options& opt = {}) {
    return psi(prepare_psi_reference(ref, bins), cur, opt);
}

/// Container overload of psi(std::span<const T>, std::span<const U>, ...).
template <class R1, class R2>
    requires requires(const R1& a, const R2& b) { std::span(a); std::span(b); }
[[nodiscard]] psi_result psi(const R1& ref, const R2& cur, const binning_options& bins = {},
                             const psi_options& opt = {}) {
    return psi(detail::as_const_span(ref), detail::as_const_span(cur), bins, opt);
}

/// CSI: the stability index of the model's scores against a prepared reference of scores.
[[nodiscard]] inline psi_result csi(const psi_reference& ref, const sorted_sample& cur, const psi_options& opt = {}) {
    return psi_from_counts(ref.bins, ref.counts, count_bins(ref.bins, cur), opt, stability_index::csi);
}

/// CSI of two raw score samples, bins learned from the reference scores. Cost: O(n log n).
template <arithmetic T, arithmetic U>
[[nodiscard]] psi_result csi(std::span<const T> ref, std::span<const U> cur, const binning_options& bins = {},
                             const psi_options& opt = {}) {
    const psi_reference p = prepare_psi_reference(ref, bins);
    return psi_from_counts(p.bins, p.counts, count_bins(p.bins, cur), opt, stability_index::csi);
}

/// Container overload of csi(std::span<const T>, std::span<const U>, ...).
template <class R1, class R2>
    requires requires(const R1& a, const R2& b) { std::span(a); std::span(b); }
[[nodiscard]] psi_result csi(const R1& ref, const R2& cur, const binning_options& bins = {},
                             const psi_options& opt = {}) {
    return csi(detail::as_const_span(ref), detail::as_const_span(cur), bins, opt);
}

} // namespace v0
} // namespace driftgate
