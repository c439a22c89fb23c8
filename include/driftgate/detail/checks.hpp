// driftgate — internal: the argument checks shared by the performance metrics (roc.hpp,
// delong.hpp, classification.hpp, proxy.hpp): lengths, scores, 0/1 labels, weights, probabilities,
// confidence levels, and the normal quantile and tail those metrics' intervals and tests use.
// Each check throws driftgate::error with the errc and a message naming the first bad index.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>

#include <boost/math/distributions/normal.hpp>

#include "driftgate/core.hpp"

namespace driftgate {
inline namespace v0 {
namespace detail {

/// Check a label and return whether it is positive (1). Throws errc::bad_label otherwise.
template <label_value L>
[[nodiscard]] bool label_is_positive(L v, std::size_t i, const char* where) {
    if constexpr (std::is_same_v<L, bool>) {
        (void)i;
        (void)where;
        return v;
    } else {
        if (is_missing(v))
            throw error(errc::bad_label, where,
                        "label at index " + std::to_string(i) + " is NaN (missing); labels must be 0 or 1");
        if (v == L(1)) return true;
        if (v == L(0)) return false;
        throw error(errc::bad_label, where,
                    "label at index " + std::to_string(i) + " is " +
                        std::to_string(static_cast<wide_float>(v)) + "; labels must be 0 or 1");
    }
}

template <arithmetic S>
void check_score(S v, std::size_t i, const char* where) {
    if (is_missing(v))
        throw error(errc::non_finite, where, "score at index " + std::to_string(i) + " is NaN");
}

template <arithmetic W>
[[nodiscard]] double check_weight(W w, std::size_t i, const char* where) {
    const double d = static_cast<double>(w);
    if (!(d >= 0.0) || !std::isfinite(d))
        throw error(errc::negative_weight, where,
                    "weight at index " + std::to_string(i) + " is " + std::to_string(d) +
                        "; weights must be finite and >= 0");
    return d;
}

/// Check a forecast probability: NaN throws errc::non_finite, a value outside [0, 1]
/// errc::invalid_parameter, each naming the index. Returns it as a double.
template <arithmetic S>
[[nodiscard]] double check_probability(S v, std::size_t i, const char* where) {
    const double p = static_cast<double>(v);
    if (std::isnan(p)) throw error(errc::non_finite, where, "probability at index " + std::to_string(i) + " is NaN");
    if (!(p >= 0.0 && p <= 1.0))
        throw error(errc::invalid_parameter, where,
                    "probability at index " + std::to_string(i) + " is " + std::to_string(p) +
                        "; probabilities must lie in [0, 1]");
    return p;
}

inline void check_lengths(std::size_t a, std::size_t b, const char* what_b, const char* where) {
    require(a == b, errc::length_mismatch, where,
            std::string("scores have ") + std::to_string(a) + " elements but " + what_b + " have " +
                std::to_string(b));
}

inline void check_level(double level, const char* where) {
    require(level > 0.0 && level < 1.0, errc::invalid_parameter, where,
            "confidence level must lie in (0, 1), got " + std::to_string(level));
}

/// z_{1-alpha/2} for a two-sided interval of the given level, as the upper-tail quantile of the
/// standard normal (complement form: no 1 - p cancellation for levels near 1).
[[nodiscard]] inline double two_sided_z(double level) {
    const boost::math::normal_distribution<double, math_policy> n01;
    return boost::math::quantile(boost::math::complement(n01, (1.0 - level) / 2.0));
}

/// Two-sided normal p-value 2 * P(Z > |z|) = erfc(|z| / sqrt 2): a survival function, exact in
/// the far tail (no 1 - cdf).
[[nodiscard]] inline double two_sided_normal_pvalue(double z) noexcept {
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

/// The weight of every row of an unweighted computation (a type of its own, so that unweighted
/// code paths are chosen at compile time).
struct unit_weight {
    constexpr double operator()(std::size_t) const noexcept { return 1.0; }
};

/// True when every score is a value (not NaN) and every label is 0 or 1; counts the positives.
/// One pass without a branch per row: callers re-run their checked loop (check_score,
/// label_is_positive) only when it returns false, to report the first bad row.
template <arithmetic S, label_value L>
[[nodiscard]] bool rows_valid(std::span<const S> scores, std::span<const L> labels, std::size_t& positives) noexcept {
    unsigned bad = 0;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const bool one = labels[i] == L(1), zero = labels[i] == L(0);
        bad |= static_cast<unsigned>(one == zero) | static_cast<unsigned>(is_missing(scores[i]));  // neither 0 nor 1
        pos += one ? 1 : 0;
    }
    positives = pos;
    return bad == 0;
}

/// Throws the error of the first bad row (NaN score, then a label other than 0 or 1), in row
/// order; returns normally when there is none.
template <arithmetic S, label_value L>
void check_rows(std::span<const S> scores, std::span<const L> labels, const char* where) {
    for (std::size_t i = 0; i < scores.size(); ++i) {
        check_score(scores[i], i, where);
        (void)label_is_positive(labels[i], i, where);
    }
}

} // namespace detail
} // namespace v0
} // namespace driftgate
