// driftgate — DeLong's variance and confidence interval for the ROC-AUC (DeLong, DeLong &
// Clarke-Pearson 1988; Sun & Xu 2014 placement values with midranks), DeLong's AUC and the
// classifier KS in one pass (summarize_roc), and DeLong's tests comparing two AUCs, paired and
// unpaired. Conventions as in roc.hpp (labels, scores, errors), which includes this header.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/detail/checks.hpp"
#include "driftgate/roc.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

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

/// The AUC, DeLong's variance and the classifier KS statistic of unweighted counts, accumulated
/// tie group by tie group from the highest score down, the variance in exact integers. With P
/// positives and N negatives, a group of gp positives and gn negatives has placement values
/// V10 = a / 2N for its positives, a = 2 (negatives below) + gn, and V01 = b / 2P for its
/// negatives, b = 2 (positives above) + gp (Sun & Xu 2014, midranks for ties); 2U = sum gp a.
/// Then S10 = sum gp (V10 - AUC)^2 / (P - 1) = (P sum gp a^2 - (2U)^2) / (P (P - 1) (2N)^2), and
/// S01 likewise: the numerators are sums of integers, exact in 128 bits while P N <= 2^62, so
/// the variance S10 / P + S01 / N is rounded only in its final divisions (wide_float), with no
/// cancellation between terms.
class count_roc_accumulator {
public:
    count_roc_accumulator(double positives, double negatives) : ks_acc_(positives, negatives) {}

    /// The accumulator fed with every group of an unweighted table.
    [[nodiscard]] static count_roc_accumulator of(const roc_table& t) {
        count_roc_accumulator acc(t.total_pos, t.total_neg);
        for (std::size_t g = 0; g < t.thresholds.size(); ++g) acc.add(t.thresholds[g], t.pos[g], t.neg[g]);
        return acc;
    }

    void add(double score, double positives, double negatives) {
        const auto gp = static_cast<std::uint64_t>(positives), gn = static_cast<std::uint64_t>(negatives);
        const std::uint64_t a = 2 * (ks_acc_.negatives() - ks_acc_.negatives_above() - gn) + gn;
        const std::uint64_t b = 2 * ks_acc_.positives_above() + gp;
        twice_u_ += static_cast<uint128>(gp) * a;
        twice_v_ += static_cast<uint128>(gn) * b;
        sum_a2_ += static_cast<uint128>(gp) * (static_cast<uint128>(a) * a);
        sum_b2_ += static_cast<uint128>(gn) * (static_cast<uint128>(b) * b);
        ks_acc_.add(score, positives, negatives);
    }

    [[nodiscard]] const classifier_ks_result& ks() const noexcept { return ks_acc_.ks(); }

    /// DeLong's result: needs at least 2 positives and 2 negatives and P N <= 2^62.
    [[nodiscard]] delong_result delong(double level, const char* where) const {
        const std::uint64_t pos = ks_acc_.positives(), neg = ks_acc_.negatives();
        require(pos >= 2 && neg >= 2, errc::one_class, where,
                "DeLong's variance needs at least 2 positives and 2 negatives (got " + std::to_string(pos) + " and " +
                    std::to_string(neg) + ")");
        require(static_cast<uint128>(pos) * neg <= (uint128{1} << 62), errc::invalid_parameter, where,
                "more than 2^62 positive-negative pairs: beyond the exact range of DeLong's sums");
        delong_result r;
        // The AUC as roc_auc gives it: 2U exact, divided once (correctly rounded while P N < 2^52).
        constexpr double exact_limit = 4503599627370496.0; // 2^52
        using W = wide_float;
        const W p = static_cast<W>(pos), n = static_cast<W>(neg);
        const double pn = static_cast<double>(pos) * static_cast<double>(neg);
        r.auc = pn < exact_limit ? static_cast<double>(twice_u_) / (2.0 * pn)
                                 : static_cast<double>(static_cast<W>(twice_u_) / (W(2) * p * n));
        r.level = level;
        const uint128 num10 = static_cast<uint128>(pos) * sum_a2_ - twice_u_ * twice_u_;
        const uint128 num01 = static_cast<uint128>(neg) * sum_b2_ - twice_v_ * twice_v_;
        r.variance = static_cast<double>(static_cast<W>(num10) / (W(4) * p * p * (p - W(1)) * n * n) +
                                         static_cast<W>(num01) / (W(4) * n * n * (n - W(1)) * p * p));
        r.std_error = std::sqrt(r.variance);
        const double z = two_sided_z(level);
        r.ci_lower = std::clamp(r.auc - z * r.std_error, 0.0, 1.0);
        r.ci_upper = std::clamp(r.auc + z * r.std_error, 0.0, 1.0);
        return r;
    }

private:
    count_ks_accumulator ks_acc_;
    uint128 twice_u_ = 0, twice_v_ = 0, sum_a2_ = 0, sum_b2_ = 0;
};

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
/// wide_float, centred on the AUCs (the exact means), so no cancellation of large squares.
[[nodiscard]] inline wide_float placement_cov(const placements& a, const placements& b, bool positive_class) {
    wide_float sum = 0;
    std::size_t m = 0;
    for (std::size_t i = 0; i < a.value.size(); ++i) {
        if (a.positive[i] != positive_class) continue;
        sum += (static_cast<wide_float>(a.value[i]) - a.auc) * (static_cast<wide_float>(b.value[i]) - b.auc);
        ++m;
    }
    return sum / static_cast<wide_float>(m - 1);
}

/// DeLong variance: S10 / P + S01 / N (Sun & Xu 2014, eq. 6); with two placement sets on the same
/// rows, the covariance of the two AUC estimates.
[[nodiscard]] inline double delong_cov(const placements& a, const placements& b) {
    const wide_float s10 = placement_cov(a, b, true);
    const wide_float s01 = placement_cov(a, b, false);
    return static_cast<double>(s10 / static_cast<wide_float>(a.n_pos) + s01 / static_cast<wide_float>(a.n_neg));
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
