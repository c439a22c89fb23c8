// driftgate — ranking metrics of a binary classifier: ROC curve, ROC-AUC and Gini, the
// classifier KS statistic (max TPR - FPR); DeLong's variance and interval for the AUC and DeLong's
// test comparing two AUCs are in delong.hpp, which this header includes.
//
// Conventions (every function in this header and in delong.hpp):
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

#include "driftgate/core.hpp"
#include "driftgate/detail/checks.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

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

/// The scores of each class apart, in row order (split_classes).
struct roc_classes {
    std::vector<double> positives;  ///< scores of the rows labelled 1
    std::vector<double> negatives;  ///< scores of the rows labelled 0
};

namespace detail {

template <arithmetic S, label_value L>
[[nodiscard]] roc_classes split_classes_impl(std::span<const S> scores, std::span<const L> labels, const char* where) {
    check_lengths(scores.size(), labels.size(), "labels", where);
    std::size_t positives = 0;
    if (!rows_valid(scores, labels, positives)) check_rows(scores, labels, where);
    // Each score to its class, without a branch on the label (labels are checked above).
    roc_classes c{std::vector<double>(positives), std::vector<double>(scores.size() - positives)};
    double* out[2] = {c.negatives.data(), c.positives.data()};
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const std::size_t k = static_cast<double>(labels[i]) == 1.0 ? 1 : 0;
        *out[k]++ = static_cast<double>(scores[i]);
    }
    return c;
}

/// The scores of each class, each sorted ascending (sort_values: 8-byte values, so a radix pass
/// moves half the memory of (score, class) rows; -0.0 before +0.0). Rows are checked first (the
/// first NaN score or label other than 0/1 throws).
template <arithmetic S, label_value L>
[[nodiscard]] roc_classes sort_classes(std::span<const S> scores, std::span<const L> labels, const char* where) {
    roc_classes c = split_classes_impl(scores, labels, where);
    sort_values(c.positives);
    sort_values(c.negatives);
    return c;
}

/// Calls f(score, positives, negatives) for each tie group of the classes' ascending scores, from
/// the highest score down (-0.0 joins +0.0); counts are exact doubles. O(n): when neither class
/// has ties, each group holds at most one score of each class and the next one is chosen without
/// a branch.
template <class F>
void for_each_count_group(std::span<const double> pos, std::span<const double> neg, F&& f) {
    std::size_t i = pos.size(), j = neg.size();
    if (!has_ties(pos) && !has_ties(neg)) {
        while (i > 0 && j > 0) {
            const double a = pos[i - 1], b = neg[j - 1];
            const double s = radix_key(a) >= radix_key(b) ? a : b;
            const bool in_pos = a == s, in_neg = b == s;
            i -= in_pos ? 1 : 0;
            j -= in_neg ? 1 : 0;
            f(s, in_pos ? 1.0 : 0.0, in_neg ? 1.0 : 0.0);
        }
    }
    while (i > 0 || j > 0) {
        // The largest key left opens a group of the values equal to it (-0.0 joins +0.0).
        const double s = (j == 0 || (i > 0 && radix_key(pos[i - 1]) >= radix_key(neg[j - 1]))) ? pos[i - 1] : neg[j - 1];
        double gp = 0.0, gn = 0.0;
        for (; i > 0 && pos[i - 1] == s; --i) gp += 1.0;
        for (; j > 0 && neg[j - 1] == s; --j) gn += 1.0;
        f(s, gp, gn);
    }
}

/// The unweighted table: the classes sorted apart, then merged from the top into tie groups.
/// Counts are plain double sums of 1s, exact below 2^53.
template <arithmetic S, label_value L>
[[nodiscard]] roc_table build_roc_table_counts(std::span<const S> scores, std::span<const L> labels,
                                               const char* where) {
    const roc_classes c = sort_classes(scores, labels, where);
    roc_table t;
    t.n = scores.size();
    t.weighted = false;
    t.thresholds.reserve(t.n); // at most one group per row; pages are touched only as filled
    t.pos.reserve(t.n);
    t.neg.reserve(t.n);
    double tp = 0.0, tn = 0.0;
    for_each_count_group(c.positives, c.negatives, [&](double s, double gp, double gn) {
        t.thresholds.push_back(s);
        t.pos.push_back(gp);
        t.neg.push_back(gn);
        tp += gp;
        tn += gn;
    });
    t.total_pos = tp;
    t.total_neg = tn;
    return t;
}

/// The classifier KS statistic of unweighted counts, accumulated tie group by tie group from the
/// highest score down: exact integer running counts of true and false positives, each rate one
/// correctly rounded division (as sklearn's tps / tps[-1]); the first (highest) threshold
/// attaining the maximum is kept. DeLong's sums ride on it (detail::count_roc_accumulator).
class count_ks_accumulator {
public:
    count_ks_accumulator(double positives, double negatives)
        : p_(static_cast<std::uint64_t>(positives)), n_(static_cast<std::uint64_t>(negatives)) {}

    /// The accumulator fed with every group of an unweighted table.
    [[nodiscard]] static count_ks_accumulator of(const roc_table& t) {
        count_ks_accumulator acc(t.total_pos, t.total_neg);
        for (std::size_t g = 0; g < t.thresholds.size(); ++g) acc.add(t.thresholds[g], t.pos[g], t.neg[g]);
        return acc;
    }

    void add(double score, double positives, double negatives) noexcept {
        tp_ += static_cast<std::uint64_t>(positives);
        fp_ += static_cast<std::uint64_t>(negatives);
        const double tpr = static_cast<double>(tp_) / static_cast<double>(p_);
        const double fpr = static_cast<double>(fp_) / static_cast<double>(n_);
        const double d = tpr - fpr;
        if (first_ || d > ks_.statistic) {
            ks_ = {d, score, tpr, fpr};
            first_ = false;
        }
    }

    [[nodiscard]] const classifier_ks_result& ks() const noexcept { return ks_; }
    [[nodiscard]] std::uint64_t positives() const noexcept { return p_; }
    [[nodiscard]] std::uint64_t negatives() const noexcept { return n_; }
    /// Positives and negatives in the groups added so far (scores >= the last group's).
    [[nodiscard]] std::uint64_t positives_above() const noexcept { return tp_; }
    [[nodiscard]] std::uint64_t negatives_above() const noexcept { return fp_; }

private:
    std::uint64_t p_, n_, tp_ = 0, fp_ = 0;
    classifier_ks_result ks_;
    bool first_ = true;
};

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
/// Cumulative counts are summed in compensated wide_float (long double where it is wide: see
/// detail/wide_float.hpp; sklearn: float64 cumsum), so weighted
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
/// rounded (for P N < 2^52). Weighted: compensated wide_float sums. Cost: O(distinct scores).
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
        using W = detail::wide_float;
        detail::compensated_sum u, neg_below;
        for (std::size_t g = k; g-- > 0;) {
            u.add(static_cast<W>(t.pos[g]) * (neg_below.value() + W(0.5) * static_cast<W>(t.neg[g])));
            neg_below.add(t.neg[g]);
        }
        r.auc = static_cast<double>(u.value() / (static_cast<W>(t.total_pos) * static_cast<W>(t.total_neg)));
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
        // Counts: exact integer running sums, each rate one correctly rounded division.
        return detail::count_ks_accumulator::of(t).ks();
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

} // namespace v0
} // namespace driftgate

// DeLong's variance, summarize_roc and the AUC comparisons (they read the table above).
#include "driftgate/delong.hpp"
