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

/// The AUC, DeLong's variance and the classifier KS statistic of unweighted counts, accumulated
/// tie group by tie group from the highest score down, the variance in exact integers. With P
/// positives and N negatives, a group of gp positives and gn negatives has placement values
/// V10 = a / 2N for its positives, a = 2 (negatives below) + gn, and V01 = b / 2P for its
/// negatives, b = 2 (positives above) + gp (Sun & Xu 2014, midranks for ties); 2U = sum gp a.
/// Then S10 = sum gp (V10 - AUC)^2 / (P - 1) = (P sum gp a^2 - (2U)^2) / (P (P - 1) (2N)^2), and
/// S01 likewise: the numerators are sums of integers, exact in 128 bits while P N <= 2^62, so
/// the variance S10 / P + S01 / N is rounded only in its final divisions (long double), with no
/// cancellation between terms.
class count_roc_accumulator {
public:
    count_roc_accumulator(double positives, double negatives)
        : p_(static_cast<std::uint64_t>(positives)), n_(static_cast<std::uint64_t>(negatives)) {}

    /// The accumulator fed with every group of an unweighted table.
    [[nodiscard]] static count_roc_accumulator of(const roc_table& t) {
        count_roc_accumulator acc(t.total_pos, t.total_neg);
        for (std::size_t g = 0; g < t.thresholds.size(); ++g) acc.add(t.thresholds[g], t.pos[g], t.neg[g]);
        return acc;
    }

    void add(double score, double positives, double negatives) {
        const auto gp = static_cast<std::uint64_t>(positives), gn = static_cast<std::uint64_t>(negatives);
        const std::uint64_t a = 2 * (n_ - fp_ - gn) + gn;
        const std::uint64_t b = 2 * tp_ + gp;
        twice_u_ += static_cast<uint128>(gp) * a;
        twice_v_ += static_cast<uint128>(gn) * b;
        sum_a2_ += static_cast<uint128>(gp) * (static_cast<uint128>(a) * a);
        sum_b2_ += static_cast<uint128>(gn) * (static_cast<uint128>(b) * b);
        tp_ += gp;
        fp_ += gn;
        // Classifier KS: each rate one correctly rounded division of exact counts, as sklearn's
        // tps / tps[-1]; the first (highest) threshold attaining the maximum is kept.
        const double tpr = static_cast<double>(tp_) / static_cast<double>(p_);
        const double fpr = static_cast<double>(fp_) / static_cast<double>(n_);
        const double d = tpr - fpr;
        if (first_ || d > ks_.statistic) {
            ks_ = {d, score, tpr, fpr};
            first_ = false;
        }
    }

    [[nodiscard]] const classifier_ks_result& ks() const noexcept { return ks_; }

    /// DeLong's result: needs at least 2 positives and 2 negatives and P N <= 2^62.
    [[nodiscard]] delong_result delong(double level, const char* where) const {
        require(p_ >= 2 && n_ >= 2, errc::one_class, where,
                "DeLong's variance needs at least 2 positives and 2 negatives (got " + std::to_string(p_) + " and " +
                    std::to_string(n_) + ")");
        require(static_cast<uint128>(p_) * n_ <= (uint128{1} << 62), errc::invalid_parameter, where,
                "more than 2^62 positive-negative pairs: beyond the exact range of DeLong's sums");
        delong_result r;
        // The AUC as roc_auc gives it: 2U exact, divided once (correctly rounded while P N < 2^52).
        constexpr double exact_limit = 4503599627370496.0; // 2^52
        const long double p = static_cast<long double>(p_), n = static_cast<long double>(n_);
        const double pn = static_cast<double>(p_) * static_cast<double>(n_);
        r.auc = pn < exact_limit ? static_cast<double>(twice_u_) / (2.0 * pn)
                                 : static_cast<double>(static_cast<long double>(twice_u_) / (2.0L * p * n));
        r.level = level;
        const uint128 num10 = static_cast<uint128>(p_) * sum_a2_ - twice_u_ * twice_u_;
        const uint128 num01 = static_cast<uint128>(n_) * sum_b2_ - twice_v_ * twice_v_;
        r.variance = static_cast<double>(static_cast<long double>(num10) / (4.0L * p * p * (p - 1.0L) * n * n) +
                                         static_cast<long double>(num01) / (4.0L * n * n * (n - 1.0L) * p * p));
        r.std_error = std::sqrt(r.variance);
        const double z = two_sided_z(level);
        r.ci_lower = std::clamp(r.auc - z * r.std_error, 0.0, 1.0);
        r.ci_upper = std::clamp(r.auc + z * r.std_error, 0.0, 1.0);
        return r;
    }

private:
    std::uint64_t p_, n_, tp_ = 0, fp_ = 0;
    uint128 twice_u_ = 0, twice_v_ = 0, sum_a2_ = 0, sum_b2_ = 0;
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
        // Counts: exact integer running sums, each rate one correctly rounded division.
        return detail::count_roc_accumulator::of(t).ks();
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
/// S01 = sum_g neg_g (V01_g - AUC)^2 / (N - 1), is a sum over groups, here of exact integers
/// (detail::count_roc_accumulator), rounded once at the end. Needs an unweighted table
/// (errc::invalid_parameter otherwise: the variance is defined for counts), at least 2 positives
/// and 2 negatives (errc::one_class), P N <= 2^62 (errc::invalid_parameter), level in (0, 1)
/// (errc::invalid_parameter). Cost: O(distinct scores): the table built for the AUC and the
/// classifier KS serves DeLong too.
[[nodiscard]] inline delong_result delong(const roc_table& t, double level = 0.95) {
    detail::check_level(level, "delong");
    detail::require(!t.weighted, errc::invalid_parameter, "delong",
                    "DeLong's variance is defined for counts: the table was built with sample weights");
    return detail::count_roc_accumulator::of(t).delong(level, "delong");
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

/// DeLong's AUC, variance and interval and the classifier KS statistic of one unweighted sample.
struct roc_summary {
    delong_result delong;
    classifier_ks_result ks;
};

/// Each class's scores, in row order: the first half of summarize_roc(scores, labels, level),
/// the second being summarize_roc(sorted positives, sorted negatives, level). Checks as
/// summarize_roc does (lengths, NaN scores, labels other than 0/1). Cost: O(n), n doubles.
template <arithmetic S, label_value L>
[[nodiscard]] roc_classes split_classes(std::span<const S> scores, std::span<const L> labels) {
    return detail::split_classes_impl(scores, labels, "split_classes");
}

/// Container overload of split_classes(scores, labels).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] roc_classes split_classes(const RS& scores, const RL& labels) {
    return split_classes(detail::as_const_span(scores), detail::as_const_span(labels));
}

namespace detail {
[[nodiscard]] inline roc_summary summarize_sorted_classes(std::span<const double> pos, std::span<const double> neg,
                                                          double level, const char* where) {
    require(!pos.empty(), errc::one_class, where, "no positive label (1)");
    require(!neg.empty(), errc::one_class, where, "no negative label (0)");
    count_roc_accumulator acc(static_cast<double>(pos.size()), static_cast<double>(neg.size()));
    for_each_count_group(pos, neg, [&](double s, double gp, double gn) { acc.add(s, gp, gn); });
    return {acc.delong(level, where), acc.ks()};
}
} // namespace detail

/// delong(scores, labels, level) and classifier_ks(scores, labels) in one pass: the two classes'
/// scores are sorted apart and their tie groups visited from the top once, without building the
/// roc_table (three arrays of up to n values). The results equal those read from the table,
/// bit for bit. Errors as make_roc_table and delong. Cost: O(n) time (two radix sorts), n
/// doubles of memory (plus the sorts' scratch).
template <arithmetic S, label_value L>
[[nodiscard]] roc_summary summarize_roc(std::span<const S> scores, std::span<const L> labels, double level = 0.95) {
    const char* where = "summarize_roc";
    detail::check_level(level, where);
    detail::check_lengths(scores.size(), labels.size(), "labels", where);
    detail::require(!scores.empty(), errc::empty_sample, where, "no rows");
    const roc_classes c = detail::sort_classes(scores, labels, where);
    return detail::summarize_sorted_classes(c.positives, c.negatives, level, where);
}

/// The same from each class's scores sorted: sort_sample of split_classes(scores, labels)'s
/// positives and negatives, which may then be sorted on two threads (the CLI's perf command
/// does). Equal to summarize_roc(scores, labels, level), bit for bit. Throws invalid_parameter
/// when a class has missing values (NaN), which split_classes never gives. Cost: O(n).
[[nodiscard]] inline roc_summary summarize_roc(const sorted_sample& positives, const sorted_sample& negatives,
                                               double level = 0.95) {
    const char* where = "summarize_roc";
    detail::check_level(level, where);
    detail::require(positives.missing == 0 && negatives.missing == 0, errc::invalid_parameter, where,
                    "a class has missing scores (NaN)");
    detail::require(!positives.empty() || !negatives.empty(), errc::empty_sample, where, "no rows");
    return detail::summarize_sorted_classes(positives.values, negatives.values, level, where);
}

/// Container overload of summarize_roc(scores, labels, level).
template <contiguous_values RS, contiguous_values RL>
[[nodiscard]] roc_summary summarize_roc(const RS& scores, const RL& labels, double level = 0.95) {
    return summarize_roc(detail::as_const_span(scores), detail::as_const_span(labels), level);
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
