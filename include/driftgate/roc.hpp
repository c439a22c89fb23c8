// driftgate — ranking metrics of a binary classifier: ROC curve, ROC-AUC and Gini, the
// classifier KS statistic (max TPR - FPR), DeLong's variance and confidence interval for the AUC,
// and DeLong's test comparing two AUCs.
//
// Conventions (every function in this header):
//   * labels are 0/1 of any arithmetic type (bool, int, double, ...); 1 = positive (default);
//     anything else, including a NaN label, throws errc::bad_label naming the first bad index;
//   * a higher score means "more likely positive"; score >= threshold predicts positive;
//   * scores must not be NaN (errc::non_finite, first bad index); +inf and -inf are ordinary,
//     ordered scores;
//   * weights (where accepted) must be finite and >= 0 (errc::negative_weight); rows of weight 0
//     are dropped, as sklearn 1.2 does, so they add no threshold;
//   * both classes must be present with positive weight (errc::one_class); scores, labels and
//     weights must have the same length (errc::length_mismatch); no rows: errc::empty_sample.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "driftgate/core.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

/// Element types accepted for 0/1 labels: any arithmetic type, bool included.
template <class T>
concept label_value = std::is_arithmetic_v<T>;

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
                        std::to_string(static_cast<long double>(v)) + "; labels must be 0 or 1");
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
    const boost::math::normal_distribution<double> n01;
    return boost::math::quantile(boost::math::complement(n01, (1.0 - level) / 2.0));
}

/// Two-sided normal p-value 2 * P(Z > |z|) = erfc(|z| / sqrt 2): a survival function, exact in
/// the far tail (no 1 - cdf).
[[nodiscard]] inline double two_sided_normal_pvalue(double z) noexcept {
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

/// Neumaier's compensated sum in long double: the AUC sums run over up to 1e7 terms and must be
/// good to ~1e-16 relative.
struct compensated_sum {
    long double sum = 0.0L, comp = 0.0L;
    void add(long double x) noexcept {
        const long double t = sum + x;
        if (std::fabs(sum) >= std::fabs(x))
            comp += (sum - t) + x;
        else
            comp += (x - t) + sum;
        sum = t;
    }
    [[nodiscard]] long double value() const noexcept { return sum + comp; }
};

} // namespace detail

/// Scores grouped by distinct value: the "sort once" form that the ROC curve, the AUC and the
/// classifier KS statistic all read. Groups are in descending score order; pos[g] and neg[g] are
/// the (weighted) numbers of positives and negatives whose score equals thresholds[g].
struct roc_table {
    std::vector<double> thresholds; ///< distinct scores, descending
    std::vector<double> pos;        ///< positives (weight sum) per distinct score
    std::vector<double> neg;        ///< negatives (weight sum) per distinct score
    double total_pos = 0.0;         ///< all positives (weight sum)
    double total_neg = 0.0;         ///< all negatives (weight sum)
    std::size_t n = 0;              ///< rows used (rows of weight 0 are dropped)
    bool weighted = false;          ///< built with sample weights
};

/// Points of the ROC curve, one per distinct score, as sklearn.metrics.roc_curve
/// (drop_intermediate=False) returns them: fpr and tpr increasing, thresholds decreasing, the
/// first point (0, 0) at threshold max(score) + 1 (sklearn 1.2's convention).
struct roc_curve_result {
    std::vector<double> fpr;        ///< false positive rate at each threshold
    std::vector<double> tpr;        ///< true positive rate at each threshold
    std::vector<double> thresholds; ///< score >= threshold predicts positive
};

/// Area under the ROC curve and the Gini coefficient.
struct auc_result {
    double auc = 0.0;   ///< P(score_pos > score_neg) + P(tie) / 2
    double gini = 0.0;  ///< 2 auc - 1
    double n_pos = 0.0; ///< positives (weight sum when weighted)
    double n_neg = 0.0; ///< negatives (weight sum when weighted)
};

/// The classifier KS statistic: max over thresholds of TPR - FPR and where it is reached.
struct classifier_ks_result {
    double statistic = 0.0; ///< max (TPR - FPR), in [0, 1]
    double threshold = 0.0; ///< highest score threshold attaining it (score >= threshold -> positive)
    double tpr = 0.0;       ///< TPR at that threshold
    double fpr = 0.0;       ///< FPR at that threshold
};

/// AUC with DeLong's variance and a normal confidence interval.
struct delong_result {
    double auc = 0.0;
    double variance = 0.0;  ///< DeLong variance of the AUC estimate
    double std_error = 0.0; ///< sqrt(variance)
    double ci_lower = 0.0;  ///< auc - z sqrt(variance), clipped to [0, 1]
    double ci_upper = 0.0;  ///< auc + z sqrt(variance), clipped to [0, 1]
    double level = 0.95;    ///< confidence level of the interval
};

/// DeLong's test of H0: AUC1 == AUC2 (two-sided).
struct auc_comparison {
    double auc1 = 0.0, auc2 = 0.0;
    double difference = 0.0; ///< auc1 - auc2
    double std_error = 0.0;  ///< standard error of the difference
    double z = 0.0;          ///< difference / std_error
    double pvalue = 1.0;     ///< 2 P(Z > |z|), computed as erfc(|z| / sqrt 2)
    bool paired = false;     ///< true: two scores on the same rows (DeLong covariance used)
};

namespace detail {


/// The unweighted table: the scores of each class sorted apart (sort_values: 8-byte values, so
/// a radix pass moves half the memory of (score, class) rows), then merged from the top into tie
/// groups. Counts are plain double sums of 1s, exact below 2^53.
template <arithmetic S, label_value L>
[[nodiscard]] roc_table build_roc_table_counts(std::span<const S> scores, std::span<const L> labels,
                                               const char* where) {
    std::size_t positives = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        check_score(scores[i], i, where);
        positives += label_is_positive(labels[i], i, where) ? 1 : 0;
    }
    // Each score to its class, without a branch on the label (labels are checked above).
    std::vector<double> pos(positives), neg(scores.size() - positives);
    double* out[2] = {neg.data(), pos.data()};
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const std::size_t c = static_cast<double>(labels[i]) == 1.0 ? 1 : 0;
        *out[c]++ = static_cast<double>(scores[i]);
    }
    sort_values(pos); // ascending keys: -0.0 before +0.0
    sort_values(neg);
    roc_table t;
    t.n = scores.size();
    t.weighted = false;
    t.thresholds.reserve(t.n); // at most one group per row; pages are touched only as filled
    t.pos.reserve(t.n);
    t.neg.reserve(t.n);
    double tp = 0.0, tn = 0.0;
    auto add_group = [&](double s, double gp, double gn) {
        t.thresholds.push_back(s);
        t.pos.push_back(gp);
        t.neg.push_back(gn);
        tp += gp;
        tn += gn;
    };
    std::size_t i = pos.size(), j = neg.size();
    if (!has_ties(pos) && !has_ties(neg)) {
        // No ties within a class: each group holds at most one score of each, and the class of
        // the next one is chosen without a branch.
        while (i > 0 && j > 0) {
            const double a = pos[i - 1], b = neg[j - 1];
            const double s = radix_key(a) >= radix_key(b) ? a : b;
            const bool in_pos = a == s, in_neg = b == s;
            i -= in_pos ? 1 : 0;
            j -= in_neg ? 1 : 0;
            add_group(s, in_pos ? 1.0 : 0.0, in_neg ? 1.0 : 0.0);
        }
    }
    while (i > 0 || j > 0) {
        // The largest key left opens a group of the values equal to it (-0.0 joins +0.0).
        const double s = (j == 0 || (i > 0 && radix_key(pos[i - 1]) >= radix_key(neg[j - 1]))) ? pos[i - 1] : neg[j - 1];
        double gp = 0.0, gn = 0.0;
        for (; i > 0 && pos[i - 1] == s; --i) gp += 1.0;
        for (; j > 0 && neg[j - 1] == s; --j) gn += 1.0;
        add_group(s, gp, gn);
    }
    t.total_pos = tp;
    t.total_neg = tn;
    return t;
}

template <arithmetic S, label_value L, class WeightOf>
[[nodiscard]] roc_table build_roc_table(std::span<const S> scores, std::span<const L> labels,
                                        WeightOf weight_of, bool weighted, const char* where) {
    check_lengths(scores.size(), labels.size(), "labels", where);
    require(!scores.empty(), errc::empty_sample, where, "no rows");
    roc_table t;
    if (!weighted) {
        t = build_roc_table_counts(scores, labels, where);
    } else {
        // One 16-byte row per observation: the class rides on the sign of the (nonzero) weight,
        // so the sort moves as little memory as possible.
        struct row {
            double score;
            double signed_weight; ///< +w for a positive, -w for a negative
        };
        std::vector<row> rows;
        rows.reserve(scores.size());
        for (std::size_t i = 0; i < scores.size(); ++i) {
            check_score(scores[i], i, where);
            const bool p = label_is_positive(labels[i], i, where);
            const double w = weight_of(i);
            if (w == 0.0) continue; // zero weight: no influence, no threshold (as sklearn 1.2)
            rows.push_back({static_cast<double>(scores[i]), p ? w : -w});
        }
        // Descending scores: ascending complemented keys (-0.0 and +0.0 end up adjacent, one group).
        radix_sort_rows(rows, [](const row& r) { return ~radix_key(r.score); });
        t.n = rows.size();
        t.weighted = true;
        compensated_sum tp, tn;
        for (std::size_t i = 0; i < rows.size();) {
            const double s = rows[i].score;
            compensated_sum gp, gn;
            for (; i < rows.size() && rows[i].score == s; ++i) {
                const double sw = rows[i].signed_weight;
                if (sw > 0.0)
                    gp.add(sw);
                else
                    gn.add(-sw);
            }
            t.thresholds.push_back(s);
            t.pos.push_back(static_cast<double>(gp.value()));
            t.neg.push_back(static_cast<double>(gn.value()));
            tp.add(gp.value());
            tn.add(gn.value());
        }
        t.total_pos = static_cast<double>(tp.value());
        t.total_neg = static_cast<double>(tn.value());
    }
    require(t.total_pos > 0.0, errc::one_class, where,
            weighted ? "no positive label (1) with positive weight" : "no positive label (1)");
    require(t.total_neg > 0.0, errc::one_class, where,
            weighted ? "no negative label (0) with positive weight" : "no negative label (0)");
    return t;
}

} // namespace detail

/// Group scores by distinct value (descending) with their positive and negative counts: sort
/// once, then read the ROC curve, AUC and KS statistic from it. Cost: O(n) time (a radix sort; O(n log n) below 1024 rows), O(n) memory.
template <arithmetic S, label_value L>
[[nodiscard]] roc_table make_roc_table(std::span<const S> scores, std::span<const L> labels) {
    return detail::build_roc_table(scores, labels, [](std::size_t) { return 1.0; }, false,
                                   "make_roc_table");
}

/// Weighted form of make_roc_table: each row counts with its sample weight. Cost: O(n) (a radix sort).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] roc_table make_roc_table(std::span<const S> scores, std::span<const L> labels,
                                       std::span<const W> weights) {
    detail::check_lengths(scores.size(), weights.size(), "weights", "make_roc_table");
    return detail::build_roc_table(
        scores, labels,
        [&](std::size_t i) { return detail::check_weight(weights[i], i, "make_roc_table"); }, true,
        "make_roc_table");
}

/// Container overload of make_roc_table(scores, labels).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] roc_table make_roc_table(const RS& scores, const RL& labels) {
    return make_roc_table(detail::as_const_span(scores), detail::as_const_span(labels));
}

/// Container overload of make_roc_table(scores, labels, weights).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] roc_table make_roc_table(const RS& scores, const RL& labels, const RW& weights) {
    return make_roc_table(detail::as_const_span(scores), detail::as_const_span(labels),
                          detail::as_const_span(weights));
}

/// ROC curve at every distinct score: matches sklearn.metrics.roc_curve 1.2
/// (drop_intermediate=False), including its first point (0, 0) at threshold max(score) + 1.
/// Cumulative counts are summed in compensated long double (sklearn: float64 cumsum), so weighted
/// curves agree to ~1e-15 relative rather than bit for bit. Cost: O(number of distinct scores).
[[nodiscard]] inline roc_curve_result roc_curve(const roc_table& t) {
    roc_curve_result r;
    const std::size_t k = t.thresholds.size();
    r.fpr.reserve(k + 1);
    r.tpr.reserve(k + 1);
    r.thresholds.reserve(k + 1);
    r.fpr.push_back(0.0);
    r.tpr.push_back(0.0);
    r.thresholds.push_back(t.thresholds.front() + 1.0);
    detail::compensated_sum tp, fp;
    for (std::size_t g = 0; g < k; ++g) {
        tp.add(t.pos[g]);
        fp.add(t.neg[g]);
        r.tpr.push_back(static_cast<double>(tp.value() / t.total_pos));
        r.fpr.push_back(static_cast<double>(fp.value() / t.total_neg));
        r.thresholds.push_back(t.thresholds[g]);
    }
    return r;
}

/// ROC curve of raw scores and 0/1 labels (see roc_curve(const roc_table&)). Cost: O(n) (a radix sort).
template <arithmetic S, label_value L>
[[nodiscard]] roc_curve_result roc_curve(std::span<const S> scores, std::span<const L> labels) {
    return roc_curve(make_roc_table(scores, labels));
}

/// Weighted ROC curve (sklearn.metrics.roc_curve with sample_weight). Cost: O(n) (a radix sort).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] roc_curve_result roc_curve(std::span<const S> scores, std::span<const L> labels,
                                         std::span<const W> weights) {
    return roc_curve(make_roc_table(scores, labels, weights));
}

/// Container overload of roc_curve(scores, labels).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] roc_curve_result roc_curve(const RS& scores, const RL& labels) {
    return roc_curve(make_roc_table(scores, labels));
}

/// Container overload of roc_curve(scores, labels, weights).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] roc_curve_result roc_curve(const RS& scores, const RL& labels, const RW& weights) {
    return roc_curve(make_roc_table(scores, labels, weights));
}

/// ROC-AUC as the Mann–Whitney statistic with midranks (ties count 1/2):
///   AUC = sum_g pos_g (neg_below_g + neg_g / 2) / (P N),  Gini = 2 AUC - 1,
/// over tie groups g (Hanley & McNeil 1982). Matches sklearn.metrics.roc_auc_score 1.2 (which
/// integrates the ROC curve by trapezoids: the same number) within 1e-15, weighted or not.
/// Unweighted: 2U is summed exactly in 64-bit integers and divided once, so the AUC is correctly
/// rounded (for P N < 2^52). Weighted: compensated long double sums. Cost: O(distinct scores).
[[nodiscard]] inline auc_result roc_auc(const roc_table& t) {
    auc_result r;
    r.n_pos = t.total_pos;
    r.n_neg = t.total_neg;
    const std::size_t k = t.thresholds.size();
    // Groups are descending, so walk them from the lowest score up: neg_below is the count of
    // negatives strictly below the current group.
    constexpr double exact_limit = 4503599627370496.0; // 2^52: P N below this keeps 2U and 2PN exact
    if (!t.weighted && t.total_pos * t.total_neg < exact_limit) {
        std::uint64_t twice_u = 0, neg_below = 0;
        for (std::size_t g = k; g-- > 0;) {
            const auto p = static_cast<std::uint64_t>(t.pos[g]);
            const auto q = static_cast<std::uint64_t>(t.neg[g]);
            twice_u += p * (2 * neg_below + q);
            neg_below += q;
        }
        r.auc = static_cast<double>(twice_u) / (2.0 * t.total_pos * t.total_neg);
    } else {
        detail::compensated_sum u, neg_below;
        for (std::size_t g = k; g-- > 0;) {
            u.add(static_cast<long double>(t.pos[g]) *
                  (neg_below.value() + 0.5L * static_cast<long double>(t.neg[g])));
            neg_below.add(t.neg[g]);
        }
        r.auc = static_cast<double>(u.value() / (static_cast<long double>(t.total_pos) *
                                                 static_cast<long double>(t.total_neg)));
    }
    r.gini = 2.0 * r.auc - 1.0;
    return r;
}

/// ROC-AUC of raw scores and 0/1 labels (see roc_auc(const roc_table&)). Cost: O(n) (a radix sort).
template <arithmetic S, label_value L>
[[nodiscard]] auc_result roc_auc(std::span<const S> scores, std::span<const L> labels) {
    return roc_auc(make_roc_table(scores, labels));
}

/// Weighted ROC-AUC (sklearn.metrics.roc_auc_score with sample_weight). Cost: O(n) (a radix sort).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] auc_result roc_auc(std::span<const S> scores, std::span<const L> labels,
                                 std::span<const W> weights) {
    return roc_auc(make_roc_table(scores, labels, weights));
}

/// Container overload of roc_auc(scores, labels).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] auc_result roc_auc(const RS& scores, const RL& labels) {
    return roc_auc(make_roc_table(scores, labels));
}

/// Container overload of roc_auc(scores, labels, weights).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] auc_result roc_auc(const RS& scores, const RL& labels, const RW& weights) {
    return roc_auc(make_roc_table(scores, labels, weights));
}

/// Classifier KS statistic: max over thresholds t of TPR(t) - FPR(t), where score >= t predicts
/// positive (default); t runs over the distinct scores. Equals max(tpr - fpr) over
/// sklearn.metrics.roc_curve(drop_intermediate=False); when several thresholds attain the maximum
/// the highest is reported (numpy.argmax's first index). The statistic is >= 0 (the lowest
/// threshold gives TPR = FPR = 1). Cost: O(distinct scores).
[[nodiscard]] inline classifier_ks_result classifier_ks(const roc_table& t) {
    classifier_ks_result r;
    bool first = true;
    if (!t.weighted) {
        // Counts: the running sums are exact integers below 2^53, and each rate is one correctly
        // rounded division, as sklearn's tps / tps[-1].
        double tp = 0.0, fp = 0.0;
        for (std::size_t g = 0; g < t.thresholds.size(); ++g) {
            tp += t.pos[g];
            fp += t.neg[g];
            const double tpr = tp / t.total_pos, fpr = fp / t.total_neg;
            const double d = tpr - fpr;
            if (first || d > r.statistic) {
                r = {d, t.thresholds[g], tpr, fpr};
                first = false;
            }
        }
        return r;
    }
    detail::compensated_sum tp, fp;
    for (std::size_t g = 0; g < t.thresholds.size(); ++g) {
        tp.add(t.pos[g]);
        fp.add(t.neg[g]);
        const double tpr = static_cast<double>(tp.value() / t.total_pos);
        const double fpr = static_cast<double>(fp.value() / t.total_neg);
        const double d = tpr - fpr;
        if (first || d > r.statistic) {
            r = {d, t.thresholds[g], tpr, fpr};
            first = false;
        }
    }
    return r;
}

/// Classifier KS statistic of raw scores and 0/1 labels. Cost: O(n) (a radix sort).
template <arithmetic S, label_value L>
[[nodiscard]] classifier_ks_result classifier_ks(std::span<const S> scores, std::span<const L> labels) {
    return classifier_ks(make_roc_table(scores, labels));
}

/// Weighted classifier KS statistic (weighted TPR and FPR). Cost: O(n) (a radix sort).
template <arithmetic S, label_value L, arithmetic W>
[[nodiscard]] classifier_ks_result classifier_ks(std::span<const S> scores, std::span<const L> labels,
                                                 std::span<const W> weights) {
    return classifier_ks(make_roc_table(scores, labels, weights));
}

/// Container overload of classifier_ks(scores, labels).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] classifier_ks_result classifier_ks(const RS& scores, const RL& labels) {
    return classifier_ks(make_roc_table(scores, labels));
}

/// Container overload of classifier_ks(scores, labels, weights).
template <contiguous_values RS, contiguous_values RL, contiguous_values RW>
[[nodiscard]] classifier_ks_result classifier_ks(const RS& scores, const RL& labels, const RW& weights) {
    return classifier_ks(make_roc_table(scores, labels, weights));
}

// ---- DeLong ---------------------------------------------------------------------------------

namespace detail {

/// DeLong's placement values, one per row (Sun & Xu 2014, eqs. 4-5), computed from one sort:
///   positive row i: V10_i = (#negatives with score < s_i + #negatives tied with s_i / 2) / N
///   negative row j: V01_j = (#positives with score > s_j + #positives tied with s_j / 2) / P
/// The mean of V10 over positives (and of V01 over negatives) is the AUC.
struct placements {
    std::vector<double> value;  ///< per row: V10 if positive, V01 if negative
    std::vector<bool> positive; ///< per row
    std::size_t n_pos = 0, n_neg = 0;
    double auc = 0.0;
};

template <arithmetic S, label_value L>
[[nodiscard]] placements delong_placements(std::span<const S> scores, std::span<const L> labels,
                                           const char* where) {
    check_lengths(scores.size(), labels.size(), "labels", where);
    require(!scores.empty(), errc::empty_sample, where, "no rows");
    const std::size_t n = scores.size();
    placements p;
    p.value.assign(n, 0.0);
    p.positive.assign(n, false);
    // (score, row) pairs sorted by score: contiguous, unlike an indirect sort of row indices.
    std::vector<std::pair<double, std::size_t>> order(n);
    for (std::size_t i = 0; i < n; ++i) {
        check_score(scores[i], i, where);
        p.positive[i] = label_is_positive(labels[i], i, where);
        order[i] = {static_cast<double>(scores[i]), i};
        (p.positive[i] ? p.n_pos : p.n_neg) += 1;
    }
    require(p.n_pos > 0, errc::one_class, where, "no positive label (1)");
    require(p.n_neg > 0, errc::one_class, where, "no negative label (0)");
    require(p.n_pos >= 2 && p.n_neg >= 2, errc::one_class, where,
            "DeLong's variance needs at least 2 positives and 2 negatives (got " +
                std::to_string(p.n_pos) + " and " + std::to_string(p.n_neg) + ")");

    radix_sort_rows(order, [](const std::pair<double, std::size_t>& r) { return radix_key(r.first); });

    // Ascending walk over tie groups: counts below the group are exact integers, so each placement
    // is (2 below + tied) / (2 class size), two exact integers divided once.
    const double np2 = 2.0 * static_cast<double>(p.n_pos), nn2 = 2.0 * static_cast<double>(p.n_neg);
    std::size_t neg_below = 0, pos_below = 0;
    std::uint64_t twice_u = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i, gp = 0, gn = 0;
        for (; j < n && order[j].first == order[i].first; ++j) (p.positive[order[j].second] ? gp : gn) += 1;
        const std::size_t pos_above = p.n_pos - pos_below - gp;
        const double v10 = static_cast<double>(2 * neg_below + gn) / nn2;
        const double v01 = static_cast<double>(2 * pos_above + gp) / np2;
        for (std::size_t k = i; k < j; ++k) {
            const std::size_t row = order[k].second;
            p.value[row] = p.positive[row] ? v10 : v01;
        }
        twice_u += static_cast<std::uint64_t>(gp) * (2 * neg_below + gn);
        neg_below += gn;
        pos_below += gp;
        i = j;
    }
    p.auc = static_cast<double>(twice_u) / (static_cast<double>(p.n_pos) * nn2);
    return p;
}

/// Sample covariance (divisor m - 1) of two placement sequences over the rows of one class;
/// long double, centred on the AUCs (the exact means), so no cancellation of large squares.
[[nodiscard]] inline long double placement_cov(const placements& a, const placements& b, bool positive_class) {
    long double sum = 0.0L;
    std::size_t m = 0;
    for (std::size_t i = 0; i < a.value.size(); ++i) {
        if (a.positive[i] != positive_class) continue;
        sum += (static_cast<long double>(a.value[i]) - a.auc) * (static_cast<long double>(b.value[i]) - b.auc);
        ++m;
    }
    return sum / static_cast<long double>(m - 1);
}

/// DeLong variance: S10 / P + S01 / N (Sun & Xu 2014, eq. 6); with two placement sets on the same
/// rows, the covariance of the two AUC estimates.
[[nodiscard]] inline double delong_cov(const placements& a, const placements& b) {
    const long double s10 = placement_cov(a, b, true);
    const long double s01 = placement_cov(a, b, false);
    return static_cast<double>(s10 / static_cast<long double>(a.n_pos) + s01 / static_cast<long double>(a.n_neg));
}

[[nodiscard]] inline auc_comparison finish_comparison(double auc1, double auc2, double variance, bool paired) {
    auc_comparison c;
    c.auc1 = auc1;
    c.auc2 = auc2;
    c.difference = auc1 - auc2;
    c.paired = paired;
    c.std_error = std::sqrt(std::max(variance, 0.0));
    if (c.std_error > 0.0) {
        c.z = c.difference / c.std_error;
        c.pvalue = two_sided_normal_pvalue(c.z);
    } else if (c.difference == 0.0) { // identical, deterministic estimates: no evidence of a difference
        c.z = 0.0;
        c.pvalue = 1.0;
    } else { // a nonzero difference with zero variance
        c.z = c.difference > 0.0 ? INFINITY : -INFINITY;
        c.pvalue = 0.0;
    }
    return c;
}

} // namespace detail

/// AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson 1988) read from an unweighted
/// roc_table, and the normal interval AUC -/+ z_{1-(1-level)/2} sqrt(var) clipped to [0, 1], as
/// pROC's ci.auc(method = "delong") forms it. Sun & Xu's (2014) placement values with midranks
/// for ties are the same for every row of a tie group g (descending groups, P positives, N
/// negatives):
///   a positive's V10_g = (2 neg_below_g + neg_g) / 2N,  a negative's V01_g = (2 pos_above_g + pos_g) / 2P,
/// so the variance S10 / P + S01 / N, with S10 = sum_g pos_g (V10_g - AUC)^2 / (P - 1) and
/// S01 = sum_g neg_g (V01_g - AUC)^2 / (N - 1), is a sum over groups (long double, centred on the
/// AUC, which is roc_auc(t)). Needs an unweighted table (errc::invalid_parameter otherwise: the
/// variance is defined for counts), at least 2 positives and 2 negatives (errc::one_class), level
/// in (0, 1) (errc::invalid_parameter). Cost: O(distinct scores): the table built for the AUC
/// and the classifier KS serves DeLong too.
[[nodiscard]] inline delong_result delong(const roc_table& t, double level = 0.95) {
    detail::check_level(level, "delong");
    detail::require(!t.weighted, errc::invalid_parameter, "delong",
                    "DeLong's variance is defined for counts: the table was built with sample weights");
    detail::require(t.total_pos >= 2.0 && t.total_neg >= 2.0, errc::one_class, "delong",
                    "DeLong's variance needs at least 2 positives and 2 negatives (got " +
                        std::to_string(static_cast<std::uint64_t>(t.total_pos)) + " and " +
                        std::to_string(static_cast<std::uint64_t>(t.total_neg)) + ")");
    delong_result r;
    r.auc = roc_auc(t).auc;
    r.level = level;
    const double np2 = 2.0 * t.total_pos, nn2 = 2.0 * t.total_neg;
    const long double auc = r.auc;
    long double s10 = 0.0L, s01 = 0.0L;
    double neg_below = 0.0, pos_below = 0.0; // exact integers
    for (std::size_t g = t.thresholds.size(); g-- > 0;) {
        const double gp = t.pos[g], gn = t.neg[g];
        const double pos_above = t.total_pos - pos_below - gp;
        // Each placement is two exact integers divided once, as a per-row computation gives it.
        const long double v10 = (2.0 * neg_below + gn) / nn2 - auc;
        const long double v01 = (2.0 * pos_above + gp) / np2 - auc;
        s10 += static_cast<long double>(gp) * v10 * v10;
        s01 += static_cast<long double>(gn) * v01 * v01;
        neg_below += gn;
        pos_below += gp;
    }
    const long double p = t.total_pos, n = t.total_neg;
    r.variance = static_cast<double>(s10 / (p - 1.0L) / p + s01 / (n - 1.0L) / n);
    r.std_error = std::sqrt(r.variance);
    const double z = detail::two_sided_z(level);
    r.ci_lower = std::clamp(r.auc - z * r.std_error, 0.0, 1.0);
    r.ci_upper = std::clamp(r.auc + z * r.std_error, 0.0, 1.0);
    return r;
}

/// AUC with DeLong's variance and interval of raw scores and 0/1 labels (see
/// delong(const roc_table&, double)). Unweighted only: there is no weighted overload.
/// Cost: O(n) time (a radix sort), O(n) memory.
template <arithmetic S, label_value L>
[[nodiscard]] delong_result delong(std::span<const S> scores, std::span<const L> labels, double level = 0.95) {
    detail::check_level(level, "delong");
    return delong(detail::build_roc_table(scores, labels, [](std::size_t) { return 1.0; }, false, "delong"), level);
}

/// Container overload of delong(scores, labels, level).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] delong_result delong(const RS& scores, const RL& labels, double level = 0.95) {
    return delong(detail::as_const_span(scores), detail::as_const_span(labels), level);
}

/// Paired DeLong test: two scores of the same rows (same labels), H0: AUC1 == AUC2.
/// z = (AUC1 - AUC2) / sqrt(V1 + V2 - 2 C12) with C12 the DeLong covariance (DeLong et al. 1988;
/// Sun & Xu 2014), two-sided p = erfc(|z| / sqrt 2); as pROC's roc.test(method = "delong",
/// paired = TRUE). Zero standard error: z = 0 and p = 1 when the AUCs are equal, z = +/-inf and
/// p = 0 otherwise. Cost: O(n) (a radix sort).
template <arithmetic S1, arithmetic S2, label_value L>
[[nodiscard]] auc_comparison compare_auc_paired(std::span<const S1> scores1, std::span<const S2> scores2,
                                                std::span<const L> labels) {
    detail::check_lengths(scores1.size(), scores2.size(), "second scores", "compare_auc_paired");
    const auto a = detail::delong_placements(scores1, labels, "compare_auc_paired");
    const auto b = detail::delong_placements(scores2, labels, "compare_auc_paired");
    const double var = detail::delong_cov(a, a) + detail::delong_cov(b, b) - 2.0 * detail::delong_cov(a, b);
    return detail::finish_comparison(a.auc, b.auc, var, true);
}

/// Container overload of compare_auc_paired.
template <contiguous_values R1, contiguous_values R2, contiguous_values RL>
[[nodiscard]] auc_comparison compare_auc_paired(const R1& scores1, const R2& scores2, const RL& labels) {
    return compare_auc_paired(detail::as_const_span(scores1), detail::as_const_span(scores2),
                              detail::as_const_span(labels));
}

/// Unpaired DeLong test: two independent samples, H0: AUC1 == AUC2,
/// z = (AUC1 - AUC2) / sqrt(V1 + V2), two-sided p = erfc(|z| / sqrt 2); as pROC's
/// roc.test(method = "delong", paired = FALSE). Cost: O(n1 + n2) (radix sorts).
template <arithmetic S1, label_value L1, arithmetic S2, label_value L2>
[[nodiscard]] auc_comparison compare_auc_unpaired(std::span<const S1> scores1, std::span<const L1> labels1,
                                                  std::span<const S2> scores2, std::span<const L2> labels2) {
    const auto a = detail::delong_placements(scores1, labels1, "compare_auc_unpaired");
    const auto b = detail::delong_placements(scores2, labels2, "compare_auc_unpaired");
    return detail::finish_comparison(a.auc, b.auc, detail::delong_cov(a, a) + detail::delong_cov(b, b), false);
}

/// Container overload of compare_auc_unpaired.
template <contiguous_values R1, contiguous_values RL1, contiguous_values R2, contiguous_values RL2>
[[nodiscard]] auc_comparison compare_auc_unpaired(const R1& scores1, const RL1& labels1, const R2& scores2,
                                                  const RL2& labels2) {
    return compare_auc_unpaired(detail::as_const_span(scores1), detail::as_const_span(labels1),
                                detail::as_const_span(scores2), detail::as_const_span(labels2));
}

} // namespace v0
} // namespace driftgate
