// driftgate — the checks of `driftgate estimate`: performance estimated from calibrated PDs before
// the labels arrive (estimated_auc, estimated_recall, estimated_precision; cbpe.hpp), judged with
// the same [performance] thresholds as the realised metrics, and the calibration check of a
// labelled reference (Hosmer–Lemeshow) that says whether the estimates can be trusted.
#pragma once

#include <string>
#include <vector>

#include "driftgate/cbpe.hpp"
#include "driftgate/checks_drift.hpp"
#include "driftgate/policy.hpp"
#include "driftgate/profile.hpp"
#include "driftgate/report.hpp"

namespace driftgate {
inline namespace v0 {

namespace detail {

inline void require_estimable(const policy& p) {
    require(p.performance.kind == score_kind::probability && p.performance.higher_is_riskier, errc::invalid_parameter, "estimate",
            "performance estimation needs calibrated probabilities of default (score_kind = \"probability\", "
            "higher_is_riskier = true)");
}

} // namespace detail

/// The estimated performance of calibrated PDs `pd` (ascending, missing counted aside) at the
/// policy's decision threshold: `estimated_auc`, `estimated_recall`, `estimated_precision`, each
/// judged as its realised counterpart ([performance] auc, recall, precision; an undefined estimate
/// is a breach), with its interval, standard error and the expected confusion matrix in its
/// details. Throws errc::invalid_parameter for scores in points or lower-is-riskier, and as cbpe().
/// Cost: O(n).
[[nodiscard]] inline std::vector<check> estimate_checks(const sorted_sample& pd, const std::string& column, const policy& p) {
    validate(p);
    detail::require_estimable(p);
    const auto& perf = p.performance;
    const double threshold = perf.decision_threshold();
    const cbpe_result r = cbpe(pd, threshold, perf.confidence);
    const auto& c = r.confusion;
    const field confusion = field::make_table({{"tp", c.tp}, {"fp", c.fp}, {"fn", c.fn}, {"tn", c.tn}, {"threshold", threshold}});
    std::vector<check> out;
    auto add = [&](const char* name, const estimated_metric& m, const target_thresholds& th, const char* method) {
        check k = detail::judged("estimate", name, column, m.defined ? m.value : NAN, policy::target_rule(th, direction::below));
        k.details = field::make_table({{"ci_lower", m.ci_lower}, {"ci_upper", m.ci_upper}, {"std_error", edge_field(m.std_error)},
                                       {"level", m.level}, {"interval", method}, {"n", c.n}, {"missing", r.missing},
                                       {"expected_defaults", r.expected_positives}, {"expected_confusion", confusion}});
        if (!m.defined)
            k.note = std::string("undefined: ") + (std::string(name) == "estimated_precision" ? "no score reaches the threshold" : "the PDs expect no default or no non-default");
        out.push_back(std::move(k));
    };
    add("estimated_auc", r.auc, perf.auc, "Hanley-McNeil, expected class sizes");
    add("estimated_recall", r.recall, perf.recall, "delta method, Poisson-binomial variances");
    add("estimated_precision", r.precision, perf.precision, "Poisson-binomial variance");
    out.front().details.set("roc_points", r.distinct_scores + 1);
    return out;
}

/// The calibration check of a labelled reference (its score by class): `calibration`, the
/// Hosmer–Lemeshow p-value over [estimate] calibration_groups score bands, judged against
/// [estimate.calibration_pvalue] (p < bound; fewer than 3 bands: undefined, a breach), with the
/// statistic and, per band, the expected and observed default rates. Throws errc::invalid_parameter
/// when the profile has no score by class, errc::one_class with one class only.
[[nodiscard]] inline check calibration_check(const profile& ref, const policy& p) {
    validate(p);
    detail::require_estimable(p);
    detail::require(ref.classes.has_value(), errc::invalid_parameter, "calibration",
                    ref.meta.source + ": no score by class (the calibration check needs the reference's labels)");
    const auto& pos = ref.classes->positives;
    const auto& neg = ref.classes->negatives;
    detail::require(!pos.empty() && !neg.empty(), errc::one_class, "calibration",
                    ref.meta.source + ": column \"" + ref.label + "\": only one class (" + std::to_string(pos.size()) + " defaults, " +
                        std::to_string(neg.size()) + " non-defaults)");
    const calibration_result h = hosmer_lemeshow(pos, neg, p.estimate.calibration_groups);
    const auto& th = p.estimate.calibration_pvalue;
    check k = detail::judged("estimate", "calibration", ref.score, h.pvalue, policy::below_rule(th.warning, th.critical, false));
    field bands = field::make_list();
    for (const auto& b : h.bands)
        bands.push_back(field::make_table({{"score_low", b.score_low}, {"score_high", b.score_high}, {"n", b.n},
                                           {"observed", b.observed}, {"expected", b.expected},
                                           {"observed_rate", static_cast<double>(b.observed) / static_cast<double>(b.n)},
                                           {"expected_rate", b.expected / static_cast<double>(b.n)},
                                           {"contribution", edge_field(b.contribution)}}));
    k.details = field::make_table({{"statistic", edge_field(h.statistic)}, {"dof", edge_field(h.dof)}, {"groups", p.estimate.calibration_groups},
                                   {"n", h.n}, {"observed", h.observed}, {"expected", h.expected},
                                   {"test", "Hosmer-Lemeshow"}, {"bands", std::move(bands)}});
    if (h.bands.size() < 3) k.note = "fewer than 3 score bands: calibration cannot be tested";
    return k;
}

} // namespace v0
} // namespace driftgate
