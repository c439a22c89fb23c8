// driftgate — the checks of a current profile on its own: model performance from the score by
// class (AUC with its DeLong interval, the classifier KS, recall and precision at the decision
// threshold, Brier) and the label-free proxies on the score (high-risk share, mean score,
// approval rate). docs/policy.md describes each check, its threshold and severity.
//
// Scores are probabilities of default unless the policy says points: probabilities must lie in
// [0, 1] (a PD in percent or scorecard points would otherwise be judged as PDs); with points only
// the rank metrics are computed, at the threshold in the score's own units, and the probability
// metrics (Brier, the proxies' PD bands) are skipped with a note. With higher_is_riskier = false
// a lower score means riskier: the ranks are taken on the negated score (and score <= threshold
// predicts default).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "driftgate/checks_drift.hpp"
#include "driftgate/classification.hpp"
#include "driftgate/policy.hpp"
#include "driftgate/profile.hpp"
#include "driftgate/proxy.hpp"
#include "driftgate/report.hpp"
#include "driftgate/roc.hpp"

namespace driftgate {
inline namespace v0 {

namespace detail {

/// The scores negated and re-sorted (ascending): ranks for "a lower score is riskier".
[[nodiscard]] inline sorted_sample negated(const sorted_sample& s) {
    sorted_sample out;
    out.missing = s.missing;
    std::vector<double> v(s.values.size());
    std::transform(s.values.begin(), s.values.end(), v.rbegin(), [](double x) { return -x; });
    out.values = std::move(v);
    return out;
}

/// Count of values >= t in ascending v.
[[nodiscard]] inline std::uint64_t count_at_least(std::span<const double> v, double t) {
    return static_cast<std::uint64_t>(v.end() - std::lower_bound(v.begin(), v.end(), t));
}

/// Throws errc::invalid_parameter when a probability lies outside [0, 1].
inline void require_probabilities(const sorted_sample& s, const std::string& column) {
    if (s.values.empty()) return;
    const double lo = s.values.front(), hi = s.values.back();
    require(lo >= 0.0 && hi <= 1.0, errc::invalid_parameter, "performance",
            "column \"" + column + "\": probabilities must lie in [0, 1], found " + std::to_string(lo < 0.0 ? lo : hi) +
                " (a score in points or a PD in percent: set [performance] score_kind = \"points\")");
}

/// At most about `max_points` points of the ROC curve (FPR, TPR after each distinct score from
/// the highest down), the ends always kept and the others spaced evenly in rank (a point whenever
/// another n / (max_points - 1) rows have been passed): what a chart needs, in one pass without a
/// copy of the curve. O(n) steps over runs of equal scores.
[[nodiscard]] inline field roc_points(const sorted_sample& pos, const sorted_sample& neg, std::size_t max_points = 200) {
    field f = field::make_list(), t = field::make_list();
    f.push_back(0.0);
    t.push_back(0.0);
    const double np = static_cast<double>(pos.size()), nn = static_cast<double>(neg.size());
    const std::size_t n = pos.size() + neg.size();
    const double spacing = static_cast<double>(n) / static_cast<double>(max_points > 2 ? max_points - 1 : 1);
    double next_mark = spacing;
    std::size_t i = pos.size(), j = neg.size();  // scores >= the current threshold: [i, end) and [j, end)
    while (i > 0 || j > 0) {
        const double s = std::max(i > 0 ? pos.values[i - 1] : -INFINITY, j > 0 ? neg.values[j - 1] : -INFINITY);
        while (i > 0 && pos.values[i - 1] == s) --i;
        while (j > 0 && neg.values[j - 1] == s) --j;
        const std::size_t passed = n - i - j;
        if (static_cast<double>(passed) >= next_mark || passed == n) {
            t.push_back(static_cast<double>(pos.size() - i) / np);
            f.push_back(static_cast<double>(neg.size() - j) / nn);
            while (next_mark <= static_cast<double>(passed)) next_mark += spacing;
        }
    }
    return field::make_table({{"fpr", std::move(f)}, {"tpr", std::move(t)}});
}

} // namespace detail

/// Performance checks from the current profile's score by class: `auc` (DeLong interval, Gini,
/// and the ROC curve's points for charts), `ks_statistic` (max TPR - FPR), `recall` and
/// `precision` at the decision threshold (Wilson intervals; undefined when nothing is predicted
/// default: judged as a breach), and `brier` (probabilities only). Throws errc::invalid_parameter
/// when the profile has no score by class, errc::one_class with fewer than 2 rows of a class.
/// Cost: O(n) (the classes are sorted already).
[[nodiscard]] inline std::vector<check> performance_checks(const profile& cur, const policy& p, std::vector<std::string>* notes = nullptr) {
    detail::require(cur.classes.has_value(), errc::invalid_parameter, "performance",
                    "the current snapshot has no score by class (no score or label column)");
    const auto& perf = p.performance;
    const std::string& score = cur.score;
    const bool probability = perf.kind == score_kind::probability;
    if (probability) {
        detail::require_probabilities(cur.classes->positives, score);
        detail::require_probabilities(cur.classes->negatives, score);
    }
    // Ranks and the threshold in "higher is riskier" terms.
    const sorted_sample pos = perf.higher_is_riskier ? cur.classes->positives : detail::negated(cur.classes->positives);
    const sorted_sample neg = perf.higher_is_riskier ? cur.classes->negatives : detail::negated(cur.classes->negatives);
    const double threshold = perf.decision_threshold();  // throws for points without one
    const double t = perf.higher_is_riskier ? threshold : -threshold;
    detail::require(!pos.empty() && !neg.empty(), errc::one_class, "performance",
                    cur.meta.source + ": column \"" + cur.label + "\": only one class (" + std::to_string(pos.size()) + " defaults, " +
                        std::to_string(neg.size()) + " non-defaults): AUC and recall need both");
    detail::require(pos.size() >= 2 && neg.size() >= 2, errc::one_class, "performance",
                    cur.meta.source + ": column \"" + cur.label + "\": " + std::to_string(pos.size()) + " defaults and " +
                        std::to_string(neg.size()) + " non-defaults: the AUC's DeLong interval needs at least 2 of each");
    const roc_summary r = summarize_roc(pos, neg, perf.confidence);
    const std::uint64_t n = pos.size() + neg.size();
    std::vector<check> out;

    check auc = detail::judged("performance", "auc", score, r.delong.auc, policy::target_rule(perf.auc, direction::below));
    auc.details = field::make_table({{"ci_lower", r.delong.ci_lower}, {"ci_upper", r.delong.ci_upper},
                                     {"std_error", r.delong.std_error}, {"level", r.delong.level},
                                     {"gini", 2 * r.delong.auc - 1}, {"n", n}, {"positives", pos.size()},
                                     {"negatives", neg.size()}, {"roc", detail::roc_points(pos, neg)}});
    out.push_back(std::move(auc));

    check ks = detail::judged("performance", "ks_statistic", score, r.ks.statistic,
                              policy::target_rule(perf.ks_statistic, direction::below));
    ks.details = field::make_table({{"threshold", perf.higher_is_riskier ? r.ks.threshold : -r.ks.threshold},
                                    {"tpr", r.ks.tpr}, {"fpr", r.ks.fpr}});
    out.push_back(std::move(ks));

    const std::uint64_t tp = detail::count_at_least(pos.values, t), fp = detail::count_at_least(neg.values, t);
    const std::uint64_t fn = pos.size() - tp, tn = neg.size() - fp;
    const field confusion = field::make_table({{"tp", tp}, {"fp", fp}, {"tn", tn}, {"fn", fn}, {"threshold", threshold}});
    const char* predicts = perf.higher_is_riskier ? ">=" : "<=";
    auto proportion = [&](const char* name, std::uint64_t successes, std::uint64_t trials, const target_thresholds& th) {
        const proportion_estimate e = wilson_interval(static_cast<double>(successes), static_cast<double>(trials), perf.confidence);
        check c = detail::judged("performance", name, score, e.defined ? e.value : NAN, policy::target_rule(th, direction::below));
        c.details = field::make_table({{"ci_lower", e.ci_lower}, {"ci_upper", e.ci_upper}, {"level", e.level},
                                       {"successes", successes}, {"trials", trials},
                                       {"decision_threshold", threshold}, {"confusion", confusion}});
        if (!e.defined)
            c.note = std::string("undefined: no ") + (std::string(name) == "recall" ? "defaults" : "predicted defaults") +
                     " at score " + predicts + " " + std::to_string(threshold);
        out.push_back(std::move(c));
    };
    proportion("recall", tp, tp + fn, perf.recall);
    proportion("precision", tp, tp + fp, perf.precision);

    if (probability) {
        // Brier = (sum over defaults of (1 - p)^2 + sum over the others of p^2) / n, summed in
        // wide_float (long double where it is wide, detail/wide_float.hpp) with compensation.
        using W = detail::wide_float;
        detail::compensated_sum sum;
        for (const double v : cur.classes->positives.values) sum.add(static_cast<W>((1.0 - v) * (1.0 - v)));
        for (const double v : cur.classes->negatives.values) sum.add(static_cast<W>(v * v));
        const double brier = static_cast<double>(sum.value() / static_cast<W>(n));
        check b = detail::judged("performance", "brier", score, brier, policy::target_rule(perf.brier, direction::above));
        b.details = field::make_table({{"n", n}});
        out.push_back(std::move(b));
    } else if (notes) {
        notes->push_back("score_kind = \"points\": the Brier score is not computed (it needs probabilities)");
    }
    return out;
}

/// Why the proxies judge nothing with points: their bands are shares and means of probabilities
/// of default.
inline constexpr const char* points_give_no_proxies =
    "score_kind = \"points\": the proxies (high-risk share, mean score, approval rate) are defined for probabilities of "
    "default, and points give none";

/// Why they judge nothing when a lower score is riskier: "PD above 0.5" and "PD below 0.2" would
/// count the safest and the riskiest rows the wrong way round.
inline constexpr const char* lower_riskier_gives_no_proxies =
    "higher_is_riskier = false: the proxies (high-risk share, mean score, approval rate) are defined for probabilities of "
    "default, where a higher score is riskier";

/// Why the proxies judge nothing under `p` (points_give_no_proxies, lower_riskier_gives_no_proxies),
/// or nullptr when they apply.
[[nodiscard]] inline const char* why_no_proxies(const policy& p) noexcept {
    if (p.performance.kind == score_kind::points) return points_give_no_proxies;
    if (!p.performance.higher_is_riskier) return lower_riskier_gives_no_proxies;
    return nullptr;
}

/// The label-free proxies from the current profile's score column: `high_risk_share` (share of
/// PD > [proxy] high_risk_above), `mean_score`, `approval_rate` (share of PD < approval_below),
/// each against its band with its interval. Probabilities of default only, higher riskier (with
/// points, or higher_is_riskier = false: no check, a note).
/// Throws errc::empty_sample when the score has no value, errc::invalid_parameter for a
/// probability outside [0, 1]. Cost: O(log n) for the shares, O(n) for the mean.
[[nodiscard]] inline std::vector<check> proxy_checks(const profile& cur, const policy& p, std::vector<std::string>* notes = nullptr) {
    std::vector<check> out;
    const std::string& score = p.columns.score;
    if (p.performance.kind == score_kind::points) {
        if (notes) notes->push_back("score_kind = \"points\": the proxies (PD bands) are not computed");
        return out;
    }
    if (!p.performance.higher_is_riskier) {
        if (notes) notes->push_back("higher_is_riskier = false: the proxies (PD bands) are not computed");
        return out;
    }
    const column_profile* col = cur.find(score);
    detail::require(col != nullptr && !col->is_text(), errc::invalid_parameter, "proxy",
                    "no numeric score column \"" + score + "\" in " + cur.meta.source);
    const sorted_sample s = detail::as_sorted(col->data);
    detail::require(!s.empty(), errc::empty_sample, "proxy",
                    cur.meta.source + ": column \"" + score + "\": every score is missing");
    detail::require_probabilities(s, score);
    const auto& px = p.proxy;
    const std::size_t n = s.size();
    const std::size_t above = static_cast<std::size_t>(s.values.end() - std::upper_bound(s.values.begin(), s.values.end(), px.high_risk_above));
    const std::size_t below = static_cast<std::size_t>(std::lower_bound(s.values.begin(), s.values.end(), px.approval_below) - s.values.begin());
    const share_result hi = detail::make_share(above, n, s.missing, px.confidence, "high_risk_share");
    const share_result ap = detail::make_share(below, n, s.missing, px.confidence, "approval_rate");
    const mean_result m = mean_score(std::span<const double>(s.values), px.confidence);
    auto band = [&](const char* name, double value, double lo, double hi_, const band_rule& r, field extra) {
        check c;
        c.section = "proxy";
        c.name = name;
        c.column = score;
        c.value = value;
        c.level = judge(r, value, std::pair{lo, hi_}).level;
        c.thresholds = to_field(r);
        c.details = std::move(extra);
        c.details.set("ci_lower", lo);
        c.details.set("ci_upper", hi_);
        if (c.level == r.near_edge && c.level != severity::ok) c.note = "inside the band, interval crosses its edge";
        out.push_back(std::move(c));
    };
    band("high_risk_share", hi.share, hi.ci_lower, hi.ci_upper, px.high_risk_share,
         field::make_table({{"above", px.high_risk_above}, {"count", hi.count}, {"n", hi.n}, {"missing", s.missing}, {"level", hi.level}}));
    band("mean_score", m.mean, m.ci_lower, m.ci_upper, px.mean_score,
         field::make_table({{"std_dev", m.std_dev}, {"n", m.n}, {"missing", s.missing}, {"level", m.level}}));
    band("approval_rate", ap.share, ap.ci_lower, ap.ci_upper, px.approval_rate,
         field::make_table({{"below", px.approval_below}, {"count", ap.count}, {"n", ap.n}, {"missing", s.missing}, {"level", ap.level}}));
    return out;
}

} // namespace v0
} // namespace driftgate
