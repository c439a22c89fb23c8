// driftgate — threshold metrics of a binary classifier: the confusion matrix at a decision
// threshold with recall, precision, specificity, accuracy (Wilson score intervals) and F1; the
// Brier score, log loss and Murphy's decomposition of the Brier score.
//
// Conventions: labels are 0/1 (1 = default = positive) of any arithmetic type, checked as in
// detail/checks.hpp (errc::bad_label with the first bad index); score >= threshold predicts positive
// (default); scores must not be NaN (errc::non_finite); weights must be finite and >= 0
// (errc::negative_weight); lengths must agree (errc::length_mismatch).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/detail/checks.hpp"
#include "driftgate/roc.hpp" // not needed here; kept for code that reads the ROC metrics through this header

namespace driftgate {
inline namespace v0 {

/// A proportion successes / trials with its Wilson score interval. When trials == 0 the
/// proportion is undefined: `defined` is false, `value` is 0 and the interval is the whole [0, 1]
/// (never a NaN).
struct proportion_estimate {
    bool defined = false;   ///< false when trials == 0 (e.g. precision with no predicted positive)
    double value = 0.0;     ///< successes / trials (0 when undefined)
    double ci_lower = 0.0;  ///< Wilson lower bound
    double ci_upper = 1.0;  ///< Wilson upper bound
    double successes = 0.0; ///< numerator (weight sum when weighted)
    double trials = 0.0;    ///< denominator (weight sum when weighted)
    double level = 0.95;    ///< confidence level
};

/// Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3):
///   centre = (p + z^2 / (2n)) / (1 + z^2 / n),
///   half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / (4 n^2)),
/// z = z_{1-(1-level)/2} from the normal quantile (complement form). The bounds always lie in
/// [0, 1]; at p = 0 the lower bound is exactly 0 and at p = 1 the upper bound exactly 1.
/// Checked against Newcombe's (1998) worked examples. Non-integer counts (weight sums)
/// are taken as counts, which suits frequency weights. trials == 0 gives defined = false.
/// Throws errc::invalid_parameter unless 0 <= successes <= trials (finite) and 0 < level < 1.
/// Cost: O(1).
[[nodiscard]] inline proportion_estimate wilson_interval(double successes, double trials, double level = 0.95) {
    detail::check_level(level, "wilson_interval");
    detail::require(std::isfinite(successes) && std::isfinite(trials) && successes >= 0.0 && successes <= trials,
                    errc::invalid_parameter, "wilson_interval",
                    "need 0 <= successes <= trials (finite), got " + std::to_string(successes) + " of " +
                        std::to_string(trials));
    proportion_estimate r;
    r.successes = successes;
    r.trials = trials;
    r.level = level;
    if (trials == 0.0) return r;
    r.defined = true;
    const double n = trials;
    const double p = successes / n;
    const double z = detail::two_sided_z(level);
    const double z2n = z * z / n;
    const double centre = (p + z2n / 2.0) / (1.0 + z2n);
    const double half = z / (1.0 + z2n) * std::sqrt(p * (1.0 - p) / n + z2n / (4.0 * n));
    r.value = p;
    // At p = 0 (p = 1) centre and half agree mathematically: pin the bound to 0 (1) exactly.
    r.ci_lower = successes == 0.0 ? 0.0 : std::max(0.0, centre - half);
    r.ci_upper = successes == trials ? 1.0 : std::min(1.0, centre + half);
    return r;
}

/// The confusion matrix at one decision threshold (score >= threshold predicts positive =
/// default) and the metrics read from it. Counts are weight sums when weighted.
struct confusion_matrix {
    double tp = 0.0, fp = 0.0, tn = 0.0, fn = 0.0;
    double threshold = 0.0;
    proportion_estimate recall;      ///< tp / (tp + fn) (sensitivity, TPR); undefined without positives
    proportion_estimate precision;   ///< tp / (tp + fp); undefined without predicted positives
    proportion_estimate specificity; ///< tn / (tn + fp); undefined without negatives
    proportion_estimate accuracy;    ///< (tp + tn) / total
    std::optional<double> f1;        ///< 2 tp / (2 tp + fp + fn); empty when tp = fp = fn = 0
    double level = 0.95;             ///< level of the Wilson intervals
};

namespace detail {

template <arithmetic S, label_value L, class WeightOf>
[[nodiscard]] confusion_matrix confusion_impl(std::span<const S> scores, std::span<const L> labels,
                                              WeightOf weight_of, double threshold, double level) {
    const char* where = "confusion_at";
    check_level(level, where);
    require(!std::isnan(threshold), errc::invalid_parameter, where, "threshold is NaN");
    check_lengths(scores.size(), labels.size(), "labels", where);
    require(!scores.empty(), errc::empty_sample, where, "no rows");
    confusion_matrix c;
    if constexpr (std::is_same_v<WeightOf, unit_weight>) {
        // Counts: integers, one pass without a branch per row (the checked loop runs only to
        // name a bad row).
        std::size_t positives = 0, tp = 0, fp = 0;
        if (!rows_valid(scores, labels, positives)) check_rows(scores, labels, where);
        for (std::size_t i = 0; i < scores.size(); ++i) {
            const bool predicted = static_cast<double>(scores[i]) >= threshold;
            const bool positive = labels[i] == L(1);
            tp += static_cast<std::size_t>(predicted) & static_cast<std::size_t>(positive);
            fp += static_cast<std::size_t>(predicted) & static_cast<std::size_t>(!positive);
        }
        c.tp = static_cast<double>(tp);
        c.fp = static_cast<double>(fp);
        c.fn = static_cast<double>(positives - tp);
        c.tn = static_cast<double>(scores.size() - positives - fp);
    } else {
        compensated_sum tp, fp, tn, fn;
        for (std::size_t i = 0; i < scores.size(); ++i) {
            check_score(scores[i], i, where);
            const bool positive = label_is_positive(labels[i], i, where);
            const double w = weight_of(i);
            const bool predicted = static_cast<double>(scores[i]) >= threshold;
            (positive ? (predicted ? tp : fn) : (predicted ? fp : tn)).add(w);
        }
        c.tp = static_cast<double>(tp.value());
        c.fp = static_cast<double>(fp.value());
        c.tn = static_cast<double>(tn.value());
        c.fn = static_cast<double>(fn.value());
    }
    c.threshold = threshold;
    c.level = level;
    require(c.tp + c.fp + c.tn + c.fn > 0.0, errc::empty_sample, where, "all weights are 0");
    c.recall = wilson_interval(c.tp, c.tp + c.fn, level);
    c.precision = wilson_interval(c.tp, c.tp + c.fp, level);
    c.specificity = wilson_interval(c.tn, c.tn + c.fp, level);
    c.accuracy = wilson_interval(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn, level);
    const double f1_den = 2.0 * c.tp + c.fp + c.fn;
    if (f1_den > 0.0) c.f1 = 2.0 * c.tp / f1_den;
    return c;
}

} // namespace detail

/// Confusion matrix at `threshold` (score >= threshold predicts positive = default) with recall,
/// precision, specificity and accuracy, each with its Wilson interval at `level`, and F1.
/// Matches sklearn.metrics.confusion_matrix / recall_score / precision_score / f1_score 1.2 on
/// (score >= threshold); where sklearn returns 0 with a warning for an undefined ratio, this
/// reports defined = false (F1: an empty optional). Throws errc::empty_sample for no rows.
/// Cost: O(n).
template <arithmetic S, label_value L>
[[nodiscard]] confusion_matrix confusion_at(std::span<const S> scores, std::span<const L> labels,
                                            double threshold, double level = 0.95) {
    return detail::confusion_impl(scores, labels, detail::unit_weight{}, threshold, level);
}

/// Weighted confusion matrix (each row counts with its weight; see the unweighted overload).
/// Throws errc::empty_sample when all weights are 0. Cost: O(n).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] confusion_matrix confusion_at(std::span<const S> scores, std::span<const L> labels,
                                            std::span<const W> weights, double threshold, double level = 0.95) {
    detail::check_lengths(scores.size(), weights.size(), "weights", "confusion_at");
    return detail::confusion_impl(
        scores, labels, [&](std::size_t i) { return detail::check_weight(weights[i], i, "confusion_at"); },
        threshold, level);
}

/// Container overload of confusion_at(scores, labels, threshold, level).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] confusion_matrix confusion_at(const RS& scores, const RL& labels, double threshold,
                                            double level = 0.95) {
    return confusion_at(detail::as_const_span(scores), detail::as_const_span(labels), threshold, level);
}

/// Container overload of confusion_at(scores, labels, weights, threshold, level).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] confusion_matrix confusion_at(const RS& scores, const RL& labels, const RW& weights,
                                            double threshold, double level = 0.95) {
    return confusion_at(detail::as_const_span(scores), detail::as_const_span(labels),
                        detail::as_const_span(weights), threshold, level);
}

// ---- probability scores: Brier, log loss, Murphy decomposition -------------------------------

namespace detail {

/// The total weight of the rows for_each_forecast visited and the largest weight among them.
struct forecast_weights {
    wide_float total = 0;
    double max_weight = 0.0;
};

/// Validate probabilities, labels and weights; call f(p, y, w 2^-weight_exp) for each row of
/// positive weight. Returns the total of the weights passed to f (> 0, else errc::empty_sample)
/// and the largest weight (unscaled).
template <arithmetic S, label_value L, class WeightOf, class F>
forecast_weights for_each_forecast(std::span<const S> probs, std::span<const L> labels, WeightOf weight_of,
                                   const char* where, F&& f, int weight_exp = 0) {
    check_lengths(probs.size(), labels.size(), "labels", where);
    compensated_sum total;
    double max_weight = 0.0;
    for (std::size_t i = 0; i < probs.size(); ++i) {
        const double p = check_probability(probs[i], i, where);
        const bool y = label_is_positive(labels[i], i, where);
        const double w = weight_of(i);
        if (w == 0.0) continue;
        max_weight = std::max(max_weight, w);
        const double ws = weight_exp == 0 ? w : std::ldexp(w, -weight_exp);
        total.add(ws);
        f(p, y, ws);
    }
    // (a positive weight was seen: the total is > 0, or beyond a double's range on a first pass)
    require(max_weight > 0.0, errc::empty_sample, where, probs.empty() ? "no rows" : "all weights are 0");
    return {total.value(), max_weight};
}

/// Runs pass(weight_exp), which clears its sums and calls for_each_forecast with that exponent:
/// once with 0 and, where long double is not wide (detail/wide_float.hpp) and the largest weight
/// lies outside [2^-400, 2^400], once more with the weights scaled by 2^-ilogb(largest weight). In
/// double their sums could overflow (weights near DBL_MAX) or their products with small squares
/// underflow (weights near 2^-1000) where long double's range holds them; scaled by a power of two
/// they give the same ratios (Brier, log loss, Murphy's terms) to rounding. Returns the last
/// pass's weights and exponent (to scale back the figures that are weight sums).
template <class Pass>
[[nodiscard]] std::pair<forecast_weights, int> forecast_passes(Pass pass) {
    const forecast_weights t = pass(0);
    if constexpr (!long_double_is_wide) {
        if (t.max_weight > 0x1p400 || t.max_weight < 0x1p-400) {
            const int k = std::ilogb(t.max_weight);
            return {pass(k), k};
        }
    }
    return {t, 0};
}

/// Unweighted Brier score. Each term (y - p)^2 >= 0 is formed in double (relative error <= 3u,
/// u = 2^-53; no cancellation between terms, so the mean inherits that bound) and summed in
/// double-double (Knuth's TwoSum: the sum's own rounding errors are carried exactly), so the
/// result is within a few units in the last place, without the wide_float arithmetic of the
/// weighted path. Invalid rows are reported by the checked loop of for_each_forecast.
template <arithmetic S, label_value L>
[[nodiscard]] double brier_counts(std::span<const S> probs, std::span<const L> labels) {
    check_lengths(probs.size(), labels.size(), "labels", "brier_score");
    unsigned bad = probs.empty() ? 1 : 0;
    double hi = 0.0, lo = 0.0;
    for (std::size_t i = 0; i < probs.size(); ++i) {
        const double p = static_cast<double>(probs[i]);
        const bool one = labels[i] == L(1), zero = labels[i] == L(0);
        bad |= static_cast<unsigned>(one == zero) | static_cast<unsigned>(!(p >= 0.0)) | static_cast<unsigned>(!(p <= 1.0));
        const double d = (one ? 1.0 : 0.0) - p;
        const double x = d * d;
        const double s = hi + x;  // TwoSum(hi, x): s + e == hi + x exactly
        const double b = s - hi;
        lo += (hi - (s - b)) + (x - b);
        hi = s;
    }
    if (bad != 0) (void)for_each_forecast(probs, labels, unit_weight{}, "brier_score", [](double, bool, double) {});
    return (hi + lo) / static_cast<double>(probs.size());
}

template <arithmetic S, label_value L, class WeightOf>
[[nodiscard]] double brier_impl(std::span<const S> probs, std::span<const L> labels, WeightOf weight_of) {
    compensated_sum sum;
    const wide_float total = forecast_passes([&](int weight_exp) {
                                 sum = {};
                                 return for_each_forecast(
                                     probs, labels, weight_of, "brier_score",
                                     [&](double p, bool y, double w) {
                                         const wide_float d = wide_float(y ? 1 : 0) - p;
                                         sum.add(w * d * d);
                                     },
                                     weight_exp);
                             }).first.total;
    return static_cast<double>(sum.value() / total);
}

/// float64 machine epsilon: sklearn 1.2's log_loss default eps="auto" for float64 input.
inline constexpr double log_loss_eps = 2.220446049250313080847e-16;

template <arithmetic S, label_value L, class WeightOf>
[[nodiscard]] double log_loss_impl(std::span<const S> probs, std::span<const L> labels, WeightOf weight_of) {
    compensated_sum sum;
    const wide_float total = forecast_passes([&](int weight_exp) {
                                 sum = {};
                                 return for_each_forecast(
                                     probs, labels, weight_of, "log_loss",
                                     [&](double p, bool y, double w) {
                                         // sklearn 1.2: clip to [eps, 1 - eps], form the pair (1 - p, p),
                                         // renormalise it by its sum (which may differ from 1 by an ulp),
                                         // take -log of the true class's entry.
                                         const double c = std::clamp(p, log_loss_eps, 1.0 - log_loss_eps);
                                         const double q = 1.0 - c;
                                         const double s = q + c;
                                         sum.add(static_cast<wide_float>(w) * -std::log(y ? c / s : q / s));
                                     },
                                     weight_exp);
                             }).first.total;
    return static_cast<double>(sum.value() / total);
}

} // namespace detail

/// Brier score: sum w (y - p)^2 / sum w (Brier 1950). Matches sklearn.metrics.brier_score_loss
/// 1.2 (pos_label = 1), weighted or not. Probabilities must lie in [0, 1] (errc::invalid_parameter;
/// NaN: errc::non_finite); one class only is allowed. Rows of weight 0 are skipped; no row of
/// positive weight: errc::empty_sample. Unweighted: terms in double summed in double-double
/// (detail::brier_counts), within a few ulps; weighted: compensated wide_float sum (long double
/// where it is wide, detail/wide_float.hpp). Cost: O(n).
template <arithmetic S, label_value L>
[[nodiscard]] double brier_score(std::span<const S> probs, std::span<const L> labels) {
    return detail::brier_counts(probs, labels);
}

/// Weighted Brier score (see brier_score(probs, labels)). Cost: O(n).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] double brier_score(std::span<const S> probs, std::span<const L> labels, std::span<const W> weights) {
    detail::check_lengths(probs.size(), weights.size(), "weights", "brier_score");
    return detail::brier_impl(probs, labels,
                              [&](std::size_t i) { return detail::check_weight(weights[i], i, "brier_score"); });
}

/// Container overload of brier_score(probs, labels).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] double brier_score(const RS& probs, const RL& labels) {
    return brier_score(detail::as_const_span(probs), detail::as_const_span(labels));
}

/// Container overload of brier_score(probs, labels, weights).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] double brier_score(const RS& probs, const RL& labels, const RW& weights) {
    return brier_score(detail::as_const_span(probs), detail::as_const_span(labels), detail::as_const_span(weights));
}

/// Log loss (cross-entropy): -sum w [y log p + (1 - y) log(1 - p)] / sum w, natural log.
/// Follows sklearn.metrics.log_loss 1.2 with its default eps="auto": each p is clipped to
/// [eps, 1 - eps] with eps = 2^-52 (float64 machine epsilon), so p = 0 or 1 on the wrong class
/// costs -log(eps) = 36.04 instead of infinity; the pair (1 - p, p) is renormalised by its sum as
/// sklearn does. Unlike sklearn, one class only is allowed (the loss is well defined).
/// Probabilities must lie in [0, 1] (errc::invalid_parameter; NaN: errc::non_finite).
/// Matches sklearn to ~1e-15 relative. Cost: O(n).
template <arithmetic S, label_value L>
[[nodiscard]] double log_loss(std::span<const S> probs, std::span<const L> labels) {
    return detail::log_loss_impl(probs, labels, [](std::size_t) { return 1.0; });
}

/// Weighted log loss (sklearn.metrics.log_loss with sample_weight). Cost: O(n).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] double log_loss(std::span<const S> probs, std::span<const L> labels, std::span<const W> weights) {
    detail::check_lengths(probs.size(), weights.size(), "weights", "log_loss");
    return detail::log_loss_impl(probs, labels,
                                 [&](std::size_t i) { return detail::check_weight(weights[i], i, "log_loss"); });
}

/// Container overload of log_loss(probs, labels).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] double log_loss(const RS& probs, const RL& labels) {
    return log_loss(detail::as_const_span(probs), detail::as_const_span(labels));
}

/// Container overload of log_loss(probs, labels, weights).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] double log_loss(const RS& probs, const RL& labels, const RW& weights) {
    return log_loss(detail::as_const_span(probs), detail::as_const_span(labels), detail::as_const_span(weights));
}

/// Murphy's (1973) decomposition of the Brier score over equal-width forecast bins.
struct brier_decomposition {
    double brier = 0.0;       ///< the Brier score itself
    double reliability = 0.0; ///< REL = sum_k W_k (pbar_k - obar_k)^2 / W  (lower is better)
    double resolution = 0.0;  ///< RES = sum_k W_k (obar_k - obar)^2 / W    (higher is better)
    double uncertainty = 0.0; ///< UNC = obar (1 - obar)
    double within_bin = 0.0;  ///< brier - (REL - RES + UNC): 0 up to rounding when forecasts are constant within bins
    std::size_t bins = 10;    ///< number of bins
    std::vector<double> bin_weight;   ///< W_k: rows (weight sum) per bin
    std::vector<double> bin_forecast; ///< pbar_k: mean forecast per bin (0 for an empty bin)
    std::vector<double> bin_observed; ///< obar_k: observed positive share per bin (0 for an empty bin)
};

namespace detail {

template <arithmetic S, label_value L, class WeightOf>
[[nodiscard]] brier_decomposition murphy_impl(std::span<const S> probs, std::span<const L> labels,
                                              WeightOf weight_of, std::size_t bins) {
    require(bins >= 1, errc::invalid_parameter, "murphy_decomposition", "bins must be >= 1");
    std::vector<compensated_sum> w(bins), wp(bins), wy(bins);
    compensated_sum sq, wy_total;
    const auto kb = static_cast<double>(bins);
    using W = wide_float;
    const auto [weights, weight_exp] = forecast_passes([&](int scale_exp) {
        std::fill(w.begin(), w.end(), compensated_sum{});
        std::fill(wp.begin(), wp.end(), compensated_sum{});
        std::fill(wy.begin(), wy.end(), compensated_sum{});
        sq = {};
        wy_total = {};
        return for_each_forecast(
            probs, labels, weight_of, "murphy_decomposition",
            [&](double p, bool y, double wt) {
                // Bin k covers [k/K, (k+1)/K); p = 1 joins the last bin: k = min(floor(p K), K - 1).
                const auto k = std::min(static_cast<std::size_t>(std::floor(p * kb)), bins - 1);
                const W d = W(y ? 1 : 0) - p;
                w[k].add(wt);
                wp[k].add(static_cast<W>(wt) * p);
                if (y) {
                    wy[k].add(wt);
                    wy_total.add(wt);
                }
                sq.add(wt * d * d);
            },
            scale_exp);
    });
    const W total = weights.total;
    brier_decomposition r;
    r.bins = bins;
    const W obar = wy_total.value() / total;
    W rel = 0, res = 0;
    for (std::size_t k = 0; k < bins; ++k) {
        const W wk = w[k].value();
        W pk = 0, ok = 0;
        if (wk > 0) {
            pk = wp[k].value() / wk;
            ok = wy[k].value() / wk;
            rel += wk * (pk - ok) * (pk - ok);
            res += wk * (ok - obar) * (ok - obar);
        }
        // a weight sum: scaled back (weight_exp = 0 but where forecast_passes scaled the weights)
        r.bin_weight.push_back(weight_exp == 0 ? static_cast<double>(wk) : std::ldexp(static_cast<double>(wk), weight_exp));
        r.bin_forecast.push_back(static_cast<double>(pk));
        r.bin_observed.push_back(static_cast<double>(ok));
    }
    const W brier = sq.value() / total;
    r.brier = static_cast<double>(brier);
    r.reliability = static_cast<double>(rel / total);
    r.resolution = static_cast<double>(res / total);
    r.uncertainty = static_cast<double>(obar * (W(1) - obar));
    r.within_bin = static_cast<double>(brier - (rel / total - res / total + obar * (W(1) - obar)));
    return r;
}

} // namespace detail

/// Murphy's decomposition of the Brier score, Brier = REL - RES + UNC (Murphy 1973), over `bins`
/// equal-width bins of [0, 1] (bin k = min(floor(p K), K - 1)). The identity holds exactly only
/// when the forecasts are constant within each bin; otherwise `within_bin` reports the remainder
/// (Stephenson, Coelho & Jolliffe 2008: within-bin variance and covariance terms). Weighted or
/// not; same input rules as brier_score; bins >= 1 (errc::invalid_parameter). Compensated wide_float
/// sums (long double where it is wide).
/// Cost: O(n + bins).
template <arithmetic S, label_value L>
[[nodiscard]] brier_decomposition murphy_decomposition(std::span<const S> probs, std::span<const L> labels,
                                                       std::size_t bins = 10) {
    return detail::murphy_impl(probs, labels, [](std::size_t) { return 1.0; }, bins);
}

/// Weighted Murphy decomposition (bin weights are weight sums). Cost: O(n + bins).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] brier_decomposition murphy_decomposition(std::span<const S> probs, std::span<const L> labels,
                                                       std::span<const W> weights, std::size_t bins = 10) {
    detail::check_lengths(probs.size(), weights.size(), "weights", "murphy_decomposition");
    return detail::murphy_impl(
        probs, labels, [&](std::size_t i) { return detail::check_weight(weights[i], i, "murphy_decomposition"); },
        bins);
}

/// Container overload of murphy_decomposition(probs, labels, bins).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] brier_decomposition murphy_decomposition(const RS& probs, const RL& labels, std::size_t bins = 10) {
    return murphy_decomposition(detail::as_const_span(probs), detail::as_const_span(labels), bins);
}

/// Container overload of murphy_decomposition(probs, labels, weights, bins).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] brier_decomposition murphy_decomposition(const RS& probs, const RL& labels, const RW& weights,
                                                       std::size_t bins = 10) {
    return murphy_decomposition(detail::as_const_span(probs), detail::as_const_span(labels),
                                detail::as_const_span(weights), bins);
}

} // namespace v0
} // namespace driftgate
