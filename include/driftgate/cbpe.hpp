// driftgate — performance before the labels arrive: confidence-based performance estimation
// (CBPE) for calibrated probabilities of default, and the calibration check it rests on.
//
// If the scores p_i are calibrated PDs, each row's label is a Bernoulli(p_i) draw, and the
// confusion matrix at a decision threshold t (score >= t predicts default) has the expectation
//   E[TP] = sum_{s >= t} p,   E[FP] = sum_{s >= t} (1 - p),
//   E[FN] = sum_{s <  t} p,   E[TN] = sum_{s <  t} (1 - p).
// cbpe() reads from it
//   estimated recall    = E[TP] / (E[TP] + E[FN]),
//   estimated precision = E[TP] / (E[TP] + E[FP]),
//   estimated AUC       = the area (trapezoids) under the expected ROC curve, whose points are
//                         (E[FP] / E[N], E[TP] / E[P]) after each distinct score, from the highest
//                         down, starting at (0, 0);
// NannyML's estimation, with every sum (the cumulative ones included) taken exactly in long
// double with compensation instead of being rounded.
//
// Intervals (normal approximations under the same Bernoulli model; no simulation):
//   recall     the delta method on TP / (TP + FN) with TP and FN independent Poisson-binomial
//              counts: Var = (E[FN]^2 Var[TP] + E[TP]^2 Var[FN]) / (E[TP] + E[FN])^4, where
//              Var[TP] = sum_{s >= t} p (1 - p) and Var[FN] = sum_{s < t} p (1 - p);
//   precision  the number predicted default k is fixed by the scores: Var = Var[TP] / k^2 (exact);
//   AUC        Hanley & McNeil (1982) with the expected class sizes n1 = E[P], n0 = E[N]:
//              Var = (A (1 - A) + (n1 - 1)(Q1 - A^2) + (n0 - 1)(Q2 - A^2)) / (n1 n0),
//              Q1 = A / (2 - A), Q2 = 2 A^2 / (1 + A) (negative variance clipped to 0).
// Each interval is estimate +- z * standard error, clipped to [0, 1]: where the realised metric
// should fall once the labels arrive, if the scores are calibrated.
//
// hosmer_lemeshow(): expected against observed defaults per score band (bands of about n / g rows
// by rank, rows of one score kept in one band) and the Hosmer–Lemeshow statistic
//   H = sum_bands (O - E)^2 / (E (1 - E / n_band)),   p = chi2_sf(H, bands - 2).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "driftgate/chi2.hpp"
#include "driftgate/core.hpp"
#include "driftgate/roc.hpp"
#include "driftgate/sample.hpp"

namespace driftgate {
inline namespace v0 {

/// The expected confusion matrix at a threshold, with the variances of the expected counts.
struct expected_confusion {
    double tp = 0.0, fp = 0.0, fn = 0.0, tn = 0.0;
    double var_tp = 0.0;  ///< sum over score >= t of p (1 - p)
    double var_fn = 0.0;  ///< sum over score < t of p (1 - p)
    std::size_t predicted = 0;  ///< rows with score >= t
    std::size_t n = 0;          ///< rows (non-missing scores)
    double threshold = 0.0;
};

/// An estimated metric with its normal interval.
struct estimated_metric {
    bool defined = false;    ///< false when its denominator is 0 (then value is NaN)
    double value = std::numeric_limits<double>::quiet_NaN();
    double std_error = std::numeric_limits<double>::quiet_NaN();
    double ci_lower = 0.0, ci_upper = 1.0;
    double level = 0.95;
};

/// What cbpe() estimates.
struct cbpe_result {
    expected_confusion confusion;
    estimated_metric recall, precision, auc;
    double expected_positives = 0.0;  ///< E[P] = sum p
    double expected_negatives = 0.0;  ///< E[N] = sum (1 - p)
    std::size_t missing = 0;          ///< scores missing (excluded)
    std::size_t distinct_scores = 0;  ///< points of the expected ROC curve, (0, 0) aside
};

namespace detail {

inline void require_pds(const sorted_sample& pd, const char* where) {
    require(!pd.empty(), errc::empty_sample, where, "no score (every score is missing or the sample is empty)");
    require(pd.values.front() >= 0.0 && pd.values.back() <= 1.0, errc::invalid_parameter, where,
            "scores must be probabilities in [0, 1], found " +
                std::to_string(pd.values.front() < 0.0 ? pd.values.front() : pd.values.back()));
}

[[nodiscard]] inline estimated_metric normal_estimate(double value, double variance, double z, double level) {
    estimated_metric m;
    m.defined = true;
    m.level = level;
    m.value = value;
    m.std_error = std::sqrt(std::max(0.0, variance));
    m.ci_lower = std::clamp(value - z * m.std_error, 0.0, 1.0);
    m.ci_upper = std::clamp(value + z * m.std_error, 0.0, 1.0);
    return m;
}

} // namespace detail

/// The expected confusion matrix of calibrated PDs `pd` (ascending, as sort_sample gives them) at
/// threshold t: score >= t predicts default. Throws errc::empty_sample with no score and
/// errc::invalid_parameter for a score outside [0, 1] or a NaN threshold. Cost: O(n).
[[nodiscard]] inline expected_confusion expected_confusion_at(const sorted_sample& pd, double t) {
    detail::require_pds(pd, "expected_confusion_at");
    detail::require(!std::isnan(t), errc::invalid_parameter, "expected_confusion_at", "the threshold is NaN");
    const auto& v = pd.values;
    const std::size_t first = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), t) - v.begin());
    detail::compensated_sum tp, fp, fn, tn, vtp, vfn;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const long double p = v[i], q = 1.0L - p;
        if (i >= first) {
            tp.add(p);
            fp.add(q);
            vtp.add(p * q);
        } else {
            fn.add(p);
            tn.add(q);
            vfn.add(p * q);
        }
    }
    expected_confusion c;
    c.tp = static_cast<double>(tp.value());
    c.fp = static_cast<double>(fp.value());
    c.fn = static_cast<double>(fn.value());
    c.tn = static_cast<double>(tn.value());
    c.var_tp = static_cast<double>(vtp.value());
    c.var_fn = static_cast<double>(vfn.value());
    c.predicted = v.size() - first;
    c.n = v.size();
    c.threshold = t;
    return c;
}

/// The area under the expected ROC curve of calibrated PDs (ascending): trapezoids between the
/// points (E[FP] / E[N], E[TP] / E[P]) after each distinct score from the highest down, from
/// (0, 0) to (1, 1); the cumulative sums are compensated long double sums, never rounded. NaN when
/// E[P] or E[N] is 0 (every score 0, or every score 1). Throws as expected_confusion_at. Cost: O(n).
[[nodiscard]] inline double expected_auc(const sorted_sample& pd, std::size_t* points = nullptr) {
    detail::require_pds(pd, "expected_auc");
    const auto& v = pd.values;
    detail::compensated_sum tp, fp, area;
    long double tp_prev = 0.0L, fp_prev = 0.0L;
    std::size_t k = 0;
    for (std::size_t i = v.size(); i > 0;) {
        const double s = v[i - 1];
        while (i > 0 && v[i - 1] == s) {
            const long double p = v[i - 1];
            tp.add(p);
            fp.add(1.0L - p);
            --i;
        }
        const long double tp_now = tp.value(), fp_now = fp.value();
        area.add((fp_now - fp_prev) * (tp_now + tp_prev) / 2.0L);
        tp_prev = tp_now;
        fp_prev = fp_now;
        ++k;
    }
    if (points) *points = k;
    if (!(tp_prev > 0.0L) || !(fp_prev > 0.0L)) return std::numeric_limits<double>::quiet_NaN();
    return static_cast<double>(area.value() / (tp_prev * fp_prev));
}

/// Confidence-based performance estimation of calibrated PDs at threshold t (see the file
/// comment for the estimates and their intervals, at `level`). A metric whose denominator is 0 is
/// undefined (recall and AUC when every score is 0, AUC also when every one is 1, precision when
/// no score reaches t). Missing scores (NaN) are excluded and counted. Throws errc::empty_sample
/// with no score, errc::invalid_parameter for a score outside [0, 1], a NaN threshold or a level
/// outside (0, 1). Cost: O(n).
[[nodiscard]] inline cbpe_result cbpe(const sorted_sample& pd, double t, double level = 0.95) {
    detail::check_level(level, "cbpe");
    cbpe_result r;
    r.confusion = expected_confusion_at(pd, t);
    r.missing = pd.missing;
    const expected_confusion& c = r.confusion;
    r.expected_positives = c.tp + c.fn;
    r.expected_negatives = c.fp + c.tn;
    const double z = detail::two_sided_z(level);
    r.recall.level = r.precision.level = r.auc.level = level;
    if (const double a = c.tp, b = c.fn; a + b > 0.0) {
        const double s = a + b;
        r.recall = detail::normal_estimate(a / s, (b * b * c.var_tp + a * a * c.var_fn) / (s * s * s * s), z, level);
    }
    if (c.predicted > 0) {
        const double k = static_cast<double>(c.predicted);
        r.precision = detail::normal_estimate(c.tp / k, c.var_tp / (k * k), z, level);
    }
    const double auc = expected_auc(pd, &r.distinct_scores);
    if (!std::isnan(auc)) {
        const double n1 = r.expected_positives, n0 = r.expected_negatives;
        const double q1 = auc / (2.0 - auc), q2 = 2.0 * auc * auc / (1.0 + auc);
        const double var = (auc * (1.0 - auc) + (n1 - 1.0) * (q1 - auc * auc) + (n0 - 1.0) * (q2 - auc * auc)) / (n1 * n0);
        r.auc = detail::normal_estimate(auc, var, z, level);
    }
    return r;
}

/// cbpe() of PDs in any order (NaN = missing).
[[nodiscard]] inline cbpe_result cbpe(std::span<const double> pd, double t, double level = 0.95) {
    return cbpe(sort_sample(pd), t, level);
}

/// One score band of the calibration check.
struct calibration_band {
    double score_low = 0.0, score_high = 0.0;  ///< lowest and highest score in the band
    std::uint64_t n = 0;                       ///< rows
    std::uint64_t observed = 0;                ///< defaults (label 1)
    double expected = 0.0;                     ///< sum of the band's PDs
    double contribution = 0.0;                 ///< (O - E)^2 / (E (1 - E / n))
};

/// The Hosmer–Lemeshow calibration check.
struct calibration_result {
    std::vector<calibration_band> bands;  ///< non-empty bands, lowest scores first
    double statistic = std::numeric_limits<double>::quiet_NaN();
    double dof = std::numeric_limits<double>::quiet_NaN();  ///< bands - 2
    double pvalue = std::numeric_limits<double>::quiet_NaN(); ///< chi2_sf(statistic, dof); NaN with fewer than 3 bands
    std::uint64_t n = 0, observed = 0;
    double expected = 0.0;
};

/// Hosmer–Lemeshow with `groups` bands of calibrated PDs split by class (each ascending, as a
/// profile's score by class): the rows, in score order, go to band floor(groups * r / n), r the
/// rank of the first row of their score (so rows of one score share a band; heavy ties leave
/// some bands empty, and empty bands are dropped). A band whose PDs are all 0 (or all 1) and whose
/// defaults differ from that make the statistic infinite (p = 0); where they agree its
/// contribution is 0. Fewer than 3 non-empty bands: p is NaN (no degree of freedom). Throws
/// errc::empty_sample with no row, errc::invalid_parameter for a PD outside [0, 1] or groups < 3.
/// Cost: O(n).
[[nodiscard]] inline calibration_result hosmer_lemeshow(const sorted_sample& positives, const sorted_sample& negatives,
                                                        std::size_t groups = 10) {
    detail::require(groups >= 3 && groups <= 1000000, errc::invalid_parameter, "hosmer_lemeshow",
                    "need 3 to 1000000 groups, got " + std::to_string(groups));
    const std::size_t n = positives.size() + negatives.size();
    detail::require(n > 0, errc::empty_sample, "hosmer_lemeshow", "no row");
    for (const sorted_sample* s : {&positives, &negatives})
        if (!s->empty())
            detail::require(s->values.front() >= 0.0 && s->values.back() <= 1.0, errc::invalid_parameter, "hosmer_lemeshow",
                            "scores must be probabilities in [0, 1]");
    calibration_result r;
    r.n = n;
    r.observed = positives.size();
    const auto& pv = positives.values;
    const auto& nv = negatives.values;
    std::size_t i = 0, j = 0, rank = 0;
    std::size_t band = groups;  // none yet
    detail::compensated_sum expected, total;
    auto close = [&]() {
        if (band == groups) return;
        r.bands.back().expected = static_cast<double>(expected.value());
        expected = {};
    };
    while (i < pv.size() || j < nv.size()) {
        const double s = std::min(i < pv.size() ? pv[i] : INFINITY, j < nv.size() ? nv[j] : INFINITY);
        const std::size_t b = std::min(groups - 1, static_cast<std::size_t>((static_cast<std::uint64_t>(groups) * rank) / n));
        if (b != band) {
            close();
            band = b;
            calibration_band cb;
            cb.score_low = s;
            r.bands.push_back(cb);
        }
        calibration_band& cur = r.bands.back();
        std::uint64_t pos = 0, cnt = 0;
        while (i < pv.size() && pv[i] == s) ++i, ++pos;
        while (j < nv.size() && nv[j] == s) ++j, ++cnt;
        cnt += pos;
        cur.score_high = s;
        cur.n += cnt;
        cur.observed += pos;
        for (std::uint64_t k = 0; k < cnt; ++k) {
            expected.add(static_cast<long double>(s));
            total.add(static_cast<long double>(s));
        }
        rank += cnt;
    }
    close();
    r.expected = static_cast<double>(total.value());
    detail::compensated_sum h;
    bool infinite = false;
    for (auto& b : r.bands) {
        const long double o = static_cast<long double>(b.observed), e = b.expected, m = static_cast<long double>(b.n);
        const long double denom = e * (1.0L - e / m);
        if (denom > 0.0L) {
            b.contribution = static_cast<double>((o - e) * (o - e) / denom);
        } else {
            b.contribution = o == e ? 0.0 : std::numeric_limits<double>::infinity();
            infinite = infinite || o != e;
        }
        if (std::isfinite(b.contribution)) h.add(b.contribution);
    }
    r.statistic = infinite ? std::numeric_limits<double>::infinity() : static_cast<double>(h.value());
    if (r.bands.size() >= 3) {
        r.dof = static_cast<double>(r.bands.size() - 2);
        r.pvalue = infinite ? 0.0 : chi2_sf(r.statistic, r.dof);
    }
    return r;
}

/// hosmer_lemeshow() of PDs and 0/1 labels in row order. Throws errc::length_mismatch,
/// errc::bad_label for a label other than 0 or 1, errc::non_finite for a NaN score, and as above.
[[nodiscard]] inline calibration_result hosmer_lemeshow(std::span<const double> pd, std::span<const double> labels,
                                                        std::size_t groups = 10) {
    detail::require(pd.size() == labels.size(), errc::length_mismatch, "hosmer_lemeshow",
                    std::to_string(pd.size()) + " scores, " + std::to_string(labels.size()) + " labels");
    std::vector<double> pos, neg;
    for (std::size_t k = 0; k < pd.size(); ++k) {
        detail::require(!std::isnan(pd[k]), errc::non_finite, "hosmer_lemeshow", "score " + std::to_string(k) + " is NaN");
        detail::require(labels[k] == 0.0 || labels[k] == 1.0, errc::bad_label, "hosmer_lemeshow",
                        "label " + std::to_string(k) + " is not 0 or 1");
        (labels[k] == 1.0 ? pos : neg).push_back(pd[k]);
    }
    return hosmer_lemeshow(sort_sample(pos), sort_sample(neg), groups);
}

} // namespace v0
} // namespace driftgate
