// driftgate — the drift checks of a monitored feature (PSI over bins learned from the reference,
// its distribution test: KS or chi-square, effect sizes: Jensen-Shannon, Wasserstein, the KS
// statistic, Cramer's V, and how they gate one another) and of the score (CSI). evaluate.hpp puts
// them together with the schema (checks_schema.hpp), data-quality (checks_quality.hpp),
// performance and proxy checks into a report; docs/policy.md describes every check, its threshold
// and severity.
//
// A gate fails closed: a drift figure that cannot be computed (an empty side, a reference without
// a scale) is undefined and judged as a breach.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "driftgate/binning.hpp"
#include "driftgate/checks_base.hpp"
#include "driftgate/checks_schema.hpp"
#include "driftgate/chi2.hpp"
#include "driftgate/distance.hpp"
#include "driftgate/ks.hpp"
#include "driftgate/psi.hpp"

namespace driftgate {
inline namespace v0 {

/// A drift test's judgement before the multiple-testing correction: the raw p-value and what the
/// effect-size rules found, so that evaluate() can adjust the run's p-values and judge again.
struct pending_test {
    std::size_t check_index = 0;  ///< the test's check in its feature's list
    double pvalue = 1.0, log_pvalue = 0.0;
    rule pvalue_rule;
    std::optional<severity> effect;  ///< the worst effect-size judgement, when an effect rule is set
    bool effect_critical = false;    ///< some effect rule of the test has a critical bound
};

/// The drift checks of one feature and what its distribution test still needs.
struct feature_drift {
    std::vector<check> checks;
    std::optional<pending_test> test;
};

namespace detail {

/// PSI bins over values: one per reference value (discrete) or category, unseen, missing.
[[nodiscard]] inline psi_result value_psi(const column_profile& ref, const column_profile& cur, const policy& p,
                                          stability_index kind) {
    std::vector<psi_bin> bins;
    if (ref.is_text()) {
        const auto& r = std::get<category_counts>(ref.data);
        const auto& c = std::get<category_counts>(cur.data);
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < r.names.size(); ++i) {
            psi_bin b;
            b.lower = b.upper = NAN;
            b.category = r.names[i];
            b.reference_count = r.counts[i];
            b.current_count = c.count_of(r.names[i]);
            seen += b.current_count;
            bins.push_back(std::move(b));
        }
        psi_bin u;
        u.lower = u.upper = NAN;
        u.unseen = true;
        u.current_count = c.n - seen;
        bins.push_back(std::move(u));
    } else {
        for_each_value(ref, [&](double v, std::uint64_t k) {
            psi_bin b;
            b.lower = b.upper = v;
            b.is_value = true;
            b.reference_count = k;
            bins.push_back(std::move(b));
        });
        std::size_t i = 0;
        std::uint64_t unseen = 0;
        for_each_value(cur, [&](double v, std::uint64_t k) {
            while (i < bins.size() && bins[i].lower < v) ++i;
            if (i < bins.size() && bins[i].lower == v) bins[i].current_count += k;
            else unseen += k;
        });
        psi_bin u;
        u.lower = u.upper = NAN;
        u.unseen = true;
        u.current_count = unseen;
        bins.push_back(std::move(u));
    }
    psi_bin miss;
    miss.lower = miss.upper = NAN;
    miss.missing = true;
    miss.reference_count = ref.missing();
    miss.current_count = cur.missing();
    bins.push_back(std::move(miss));
    return psi_from_value_counts(std::move(bins), ref.total(), cur.total(), psi_options{p.drift.epsilon}, kind);
}

/// Quantile edges merge where one value holds a large share of the reference (a zero-inflated
/// amount: 95 % zeros and thousands of distinct positives gives one bin, and a PSI of 0 whatever
/// the current file holds). Each value holding at least 1/bins of the reference's finite values
/// and sharing its bin with other reference values gets a bin of its own, [v, next double above
/// v), besides the quantile edges (no edge below the smallest value nor above the largest: the
/// outer bins are open). Nothing when no value is that heavy and mixed. Cost: O(distinct values)
/// for a counted sample, O(n) for a sorted one.
[[nodiscard]] inline std::optional<binning> split_heavy_values(const column_profile& ref, const psi_reference& pr, std::size_t bins) {
    const binning& b = pr.bins;
    std::uint64_t finite = 0;
    double lo = INFINITY, hi = -INFINITY;
    for_each_value(ref, [&](double v, std::uint64_t n) {
        if (!std::isfinite(v)) return;
        finite += n;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    });
    if (finite == 0) return std::nullopt;
    std::vector<double> edges = b.inner;
    for_each_value(ref, [&](double v, std::uint64_t n) {
        if (!std::isfinite(v) || static_cast<double>(n) * static_cast<double>(bins) < static_cast<double>(finite)) return;
        if (pr.counts.counts[b.bin_of(v)] == n) return;  // alone in its bin already
        if (v > lo) edges.push_back(v);
        if (v < hi) edges.push_back(std::nextafter(v, INFINITY));
    });
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    if (edges == b.inner) return std::nullopt;
    binning out = b;
    out.inner = std::move(edges);
    return out;
}

/// PSI bins over intervals learned from the reference (continuous columns); quantile edges that
/// collapse to one bin on a reference of a few values fall back to value bins (with a note). A
/// constant reference too: its one interval, (-inf, inf), would hold every current value and
/// compare nothing (PSI 0, a chi-square of 0 degrees of freedom); its value bin and the unseen
/// bin beside it do.
[[nodiscard]] inline psi_result interval_psi(const column_profile& ref, const column_profile& cur, const policy& p,
                                             stability_index kind, std::string& note) {
    binning_options opt = p.binning_for(ref.name);
    if (opt.method == binning_method::automatic) opt.method = binning_method::quantile;
    return visit_numbers(ref, [&](const auto& rs) {
        psi_reference pr = prepare_psi_reference(rs, opt);
        if (pr.bins.value_bins() == 1 && distinct_values_upto(ref, 256) <= 256) {
            note = "quantile edges collapsed into one bin; one bin per value instead";
            return value_psi(ref, cur, p, kind);
        }
        if (opt.method == binning_method::quantile && pr.bins.value_bins() < opt.bins) {
            if (auto split = split_heavy_values(ref, pr, opt.bins)) {
                note = "values holding 1/" + std::to_string(opt.bins) + " of the reference or more have bins of their own";
                pr.bins = std::move(*split);
                pr.counts = count_bins(pr.bins, rs);
            }
        }
        return visit_numbers(cur, [&](const auto& cs) {
            return psi_from_counts(pr.bins, pr.counts, count_bins(pr.bins, cs), psi_options{p.drift.epsilon}, kind);
        });
    });
}

[[nodiscard]] inline field psi_details(const psi_result& r, column_kind kind, std::optional<bool> top_k) {
    field bins = field::make_list();
    bins.as_list().reserve(r.bins.size());
    for (const auto& b : r.bins) {
        // Built in one allocation (tables grown key by key keep up to twice their size).
        field::table t;
        t.reserve(7);
        if (b.missing) t.emplace_back("missing", true);
        else if (b.unseen) t.emplace_back("unseen", true);
        else if (!b.category.empty() || (r.value_bins && !b.is_value)) t.emplace_back("category", b.category);
        else if (b.is_value) t.emplace_back("value", edge_field(b.lower));
        else {
            t.emplace_back("lower", edge_field(b.lower));
            t.emplace_back("upper", edge_field(b.upper));
        }
        t.emplace_back("reference_count", b.reference_count);
        t.emplace_back("current_count", b.current_count);
        t.emplace_back("reference_share", b.reference_share);
        t.emplace_back("current_share", b.current_share);
        t.emplace_back("contribution", b.contribution);
        bins.push_back(field(std::move(t)));
    }
    field d = field::make_table({{"kind", to_string(kind)},
                                 {"binning", r.value_bins ? (kind == column_kind::categorical ? "categories" : "values")
                                                          : to_string(r.method)},
                                 {"smoothed", r.smoothed},
                                 {"epsilon", r.epsilon},
                                 {"empty_reference_bins", r.empty_reference_bins},
                                 {"empty_current_bins", r.empty_current_bins},
                                 {"n_reference", r.reference_n},
                                 {"n_current", r.current_n}});
    if (top_k) d.set("top_k", *top_k);
    d.set("bins", std::move(bins));
    return d;
}

[[nodiscard]] inline check stability_check(const std::string& column, const psi_result& r, column_kind kind, const rule& rl,
                                           std::optional<bool> top_k, const std::string& note,
                                           threshold_cache* cache = nullptr) {
    check c = judged("drift", to_string(r.kind), column, r.value, rl, cache);
    c.details = psi_details(r, kind, top_k);
    std::string n = note;
    if (r.smoothed)
        n += (n.empty() ? "" : "; ") + std::to_string(r.empty_reference_bins + r.empty_current_bins) + " empty bin(s) smoothed";
    const std::size_t unseen_bins = std::count_if(r.bins.begin(), r.bins.end(), [](const psi_bin& b) { return b.unseen && b.current_count > 0; });
    if (unseen_bins) n += (n.empty() ? "" : "; ") + std::string("values the reference never had");
    c.note = n;
    return c;
}

[[nodiscard]] inline const char* alternative_name(alternative a) {
    return a == alternative::two_sided ? "two-sided" : a == alternative::less ? "less" : "greater";
}

/// A p-value judgement and an effect judgement together. `either`: the worse of the two. `both`:
/// a breach at a level needs both rules to breach at it, where a rule without a bound at that
/// level agrees as soon as it breaches at all — so a warning-only effect bound gates the p-value
/// rule (no alarm without a large enough effect) without capping its critical, and the result is
/// critical only when some rule has a critical bound.
[[nodiscard]] inline severity combine(severity by_p, bool p_critical, std::optional<severity> effect, bool effect_critical,
                                      effect_gate g) {
    if (!effect) return by_p;
    if (g == effect_gate::either) return worst(by_p, *effect);
    auto agrees = [](severity s, bool has_critical, severity level) {
        return s >= level || (level == severity::critical && !has_critical && s >= severity::warning);
    };
    if ((p_critical || effect_critical) && agrees(by_p, p_critical, severity::critical) &&
        agrees(*effect, effect_critical, severity::critical))
        return severity::critical;
    if (by_p >= severity::warning && *effect >= severity::warning) return severity::warning;
    return severity::ok;
}

} // namespace detail

/// The costly statistics of a feature's drift checks (each a merge of the sorted samples, or a
/// pass over the reference's), computed apart from the checks so that a caller with threads can
/// spread them below the feature (evaluate does): feature_drift_checks takes the parts given and
/// computes the others, with the same functions, so the checks are the same bit for bit.
struct drift_statistics {
    std::optional<ks_result> ks;          ///< ks_2samp(reference, current) with the policy's options
    std::optional<double> wasserstein;    ///< detail::wasserstein_merge(reference, current)
    std::optional<double> reference_std;  ///< detail::population_std(reference), or its stored deviation
};

namespace detail {

/// The distribution test a feature's drift is judged with: the policy's, `automatic` resolved by
/// the kind (continuous: KS, else chi-square).
[[nodiscard]] inline drift_test drift_test_of(const std::string& name, column_kind kind, const policy& p) {
    const drift_test test = p.feature(name).test.value_or(p.drift.test);
    if (test != drift_test::automatic) return test;
    return kind == column_kind::continuous ? drift_test::ks : drift_test::chi2;
}

/// The parts of drift_statistics that feature_drift_checks computes for this pair: KS when the
/// test is KS, the Wasserstein distance and the reference's deviation for a continuous column
/// (unless the reference has it stored: column_profile::deviation); none when either side is
/// empty or holds texts (the checks then say why, or refuse the policy).
enum class drift_part { ks, wasserstein, reference_std };
[[nodiscard]] inline std::vector<drift_part> drift_parts(const column_profile& ref, const column_profile& cur, column_kind kind,
                                                         const policy& p) {
    std::vector<drift_part> parts;
    if (ref.count() == 0 || cur.count() == 0 || ref.is_text() || cur.is_text()) return parts;
    if (drift_test_of(ref.name, kind, p) == drift_test::ks) parts.push_back(drift_part::ks);
    if (kind == column_kind::continuous) {
        parts.push_back(drift_part::wasserstein);
        if (!ref.deviation) parts.push_back(drift_part::reference_std);
    }
    return parts;
}

[[nodiscard]] inline ks_options ks_options_of(const policy& p) {
    ks_options ko;
    ko.method = p.drift.ks;
    ko.alt = p.drift.ks_alternative;
    return ko;
}

/// Computes one part of drift_statistics into `out` (a part of drift_parts(ref, cur, ...)).
inline void compute_drift_part(const column_profile& ref, const column_profile& cur, const policy& p, drift_part part,
                               drift_statistics& out) {
    visit_numbers(ref, [&](const auto& rs) {
        if (part == drift_part::reference_std) {
            out.reference_std = ref.deviation ? *ref.deviation : population_std(rs);
            return;
        }
        visit_numbers(cur, [&](const auto& cs) {
            if (part == drift_part::ks) out.ks = ks_2samp(rs, cs, ks_options_of(p));
            else out.wasserstein = wasserstein_merge(rs, cs);
        });
    });
}

} // namespace detail

/// The drift checks of one feature present in both files: `psi` (continuous: intervals from the
/// reference; discrete and categorical: one bin per value plus an unseen-value bin), the
/// distribution test (`ks` or `chi2`, value = p-value, severity final unless a multiple-testing
/// correction is set: see pending_test; chi2 over the reference's values or categories and one
/// column of the values it never had, or over the PSI bins of a continuous column), `jensen_shannon` (over the PSI bins but the missing
/// one) and, for continuous columns, `wasserstein` (value = distance / the reference's standard
/// deviation). A column without a value in either file has its PSI judged undefined (a breach).
/// `pre`, when given, holds parts of the statistics computed before (drift_statistics); the
/// others are computed here.
/// Cost: O(n) for sorted samples, O(distinct values) for counted ones.
[[nodiscard]] inline feature_drift feature_drift_checks(const column_profile& ref, const column_profile& cur,
                                                        column_kind kind, const policy& p,
                                                        detail::threshold_cache* cache = nullptr,
                                                        const drift_statistics* pre = nullptr) {
    feature_drift out;
    const std::string& name = ref.name;
    const bool top = p.top_k(name);
    const rule psi_rule = p.psi_rule(name);
    if (ref.count() == 0 || cur.count() == 0 || ref.is_text() != cur.is_text()) {
        check c = detail::judged("drift", "psi", name, NAN, psi_rule, cache);
        c.note = ref.is_text() != cur.is_text() ? "texts in one file, numbers in the other: not comparable; judged as a breach"
                 : ref.count() == 0             ? "the reference has no value; judged as a breach"
                                                : "the current file has no value; judged as a breach";
        c.details = field::make_table({{"kind", to_string(kind)}, {"top_k", top}});
        out.checks.push_back(std::move(c));
        return out;
    }
    out.checks.reserve(4); // psi, the test, jensen_shannon, wasserstein
    drift_statistics stats = pre != nullptr ? *pre : drift_statistics{};  // the parts not given computed below
    std::string note;
    const psi_result psi = kind == column_kind::continuous ? detail::interval_psi(ref, cur, p, stability_index::psi, note)
                                                           : detail::value_psi(ref, cur, p, stability_index::psi);
    out.checks.push_back(detail::stability_check(name, psi, kind, psi_rule, top, note, cache));

    const drift_test test = detail::drift_test_of(name, kind, p);
    detail::require(!(test == drift_test::ks && ref.is_text()), errc::invalid_parameter, "policy",
                    "column \"" + name + "\" holds texts: KS needs ordered values (use test = \"chi2\")");
    pending_test pending;
    pending.pvalue_rule = p.pvalue_rule(name, test);
    auto effect_of = [&](const thresholds& t, double value) -> std::optional<severity> {
        if (!t.warning && !t.critical) return std::nullopt;
        if (std::isnan(value)) return t.critical ? severity::critical : severity::warning;  // undefined: a breach
        return judge(policy::above_rule(t), value).level;
    };
    auto merge_effect = [](std::optional<severity> a, std::optional<severity> b) -> std::optional<severity> {
        if (!a) return b;
        if (!b) return a;
        return worst(*a, *b);
    };
    check t;
    if (test == drift_test::ks) {
        if (!stats.ks) detail::compute_drift_part(ref, cur, p, detail::drift_part::ks, stats);
        const ks_result& k = *stats.ks;
        t = detail::judged("drift", "ks", name, k.pvalue, pending.pvalue_rule, cache);
        t.details = field::make_table({{"statistic", k.statistic},
                                       {"pvalue", k.pvalue},
                                       {"log_pvalue", finite_or_null(k.log_pvalue)},
                                       {"method", k.method == ks_method::exact ? "exact" : "asymp"},
                                       {"fell_back", k.fell_back},
                                       {"alternative", detail::alternative_name(k.alt)},
                                       {"location", finite_or_null(k.location)},
                                       {"sign", k.sign},
                                       {"n_reference", k.n1},
                                       {"n_current", k.n2},
                                       {"missing_reference", k.missing1},
                                       {"missing_current", k.missing2},
                                       {"kind", to_string(kind)},
                                       {"pvalue_adjusted", k.pvalue},
                                       {"correction", to_string(p.drift.pvalue_correction)}});
        if (k.pvalue == 0.0) t.note = "p underflows; ln p = " + std::to_string(k.log_pvalue);
        pending.pvalue = k.pvalue;
        pending.log_pvalue = k.log_pvalue;
        pending.effect = effect_of(p.drift.ks_statistic, k.statistic);
        pending.effect_critical = p.drift.ks_statistic.critical.has_value();
        if (p.drift.ks_statistic.warning || p.drift.ks_statistic.critical)
            t.thresholds.set("statistic", to_field(policy::above_rule(p.drift.ks_statistic)));
    } else {
        chi2_result x;
        if (ref.is_text() || kind != column_kind::continuous) {
            // One column per reference category (value) and one for every current one the
            // reference never had, as the PSI's unseen-value bin: new values seen a few times each
            // would otherwise each add a degree of freedom and hide the shift (200 new categories
            // in 20 % of the rows: p 0.145 as 202 columns, 5.6e-49 as 3).
            detail::chi2_columns table;
            if (ref.is_text()) {
                const auto& r = std::get<category_counts>(ref.data);
                const auto& c = std::get<category_counts>(cur.data);
                auto& a = table.reference;
                auto& b = table.current;
                std::size_t i = 0, j = 0;
                while (i < r.names.size() || j < c.names.size()) {
                    if (j == c.names.size() || (i < r.names.size() && r.names[i] < c.names[j])) a.push_back(r.counts[i++]), b.push_back(0);
                    else if (i == r.names.size() || c.names[j] < r.names[i]) a.push_back(0), b.push_back(c.counts[j++]);
                    else a.push_back(r.counts[i++]), b.push_back(c.counts[j++]);
                }
            } else {
                table = detail::visit_numbers(ref, [&](const auto& rs) {
                    return detail::visit_numbers(cur, [&](const auto& cs) { return detail::chi2_table(rs, cs); });
                });
            }
            detail::pool_unseen(table);
            x = chi2_homogeneity(std::span<const std::uint64_t>(table.reference), std::span<const std::uint64_t>(table.current));
        } else {
            // Over the PSI's value bins (a continuous column has too many values to be categories).
            std::vector<std::uint64_t> a, b;
            for (const auto& bin : psi.bins)
                if (!bin.missing) a.push_back(bin.reference_count), b.push_back(bin.current_count);
            x = chi2_homogeneity(std::span<const std::uint64_t>(a), std::span<const std::uint64_t>(b));
        }
        t = detail::judged("drift", "chi2", name, x.pvalue, pending.pvalue_rule, cache);
        t.details = field::make_table({{"statistic", x.statistic},
                                       {"statistic_uncorrected", x.statistic_uncorrected},
                                       {"pvalue", x.pvalue},
                                       {"log_pvalue", finite_or_null(x.log_pvalue)},
                                       {"dof", x.dof},
                                       {"yates", x.yates},
                                       {"cramers_v", x.cramers_v},
                                       {"categories", x.categories},
                                       {"n_reference", x.n_reference},
                                       {"n_current", x.n_current},
                                       {"kind", to_string(kind)},
                                       {"pvalue_adjusted", x.pvalue},
                                       {"correction", to_string(p.drift.pvalue_correction)}});
        if (x.pvalue == 0.0) t.note = "p underflows; ln p = " + std::to_string(x.log_pvalue);
        pending.pvalue = x.pvalue;
        pending.log_pvalue = x.log_pvalue;
        pending.effect = effect_of(p.drift.cramers_v, x.cramers_v);
        pending.effect_critical = p.drift.cramers_v.critical.has_value();
        if (p.drift.cramers_v.warning || p.drift.cramers_v.critical)
            t.thresholds.set("cramers_v", to_field(policy::above_rule(p.drift.cramers_v)));
    }

    // Jensen-Shannon distance over the PSI bins but the missing one (missing values are the
    // data-quality checks' business).
    {
        std::vector<std::uint64_t> a, b;
        for (const auto& bin : psi.bins)
            if (!bin.missing) a.push_back(bin.reference_count), b.push_back(bin.current_count);
        const double js = jensen_shannon_distance(std::span<const std::uint64_t>(a), std::span<const std::uint64_t>(b), 2.0);
        check j = detail::judged("drift", "jensen_shannon", name, js, policy::above_rule(p.drift.jensen_shannon), cache);
        j.details = field::make_table({{"base", 2}, {"bins", a.size()}, {"kind", to_string(kind)}});
        out.checks.push_back(std::move(j));
    }
    if (kind == column_kind::continuous && !ref.is_text()) {
        if (!stats.wasserstein) detail::compute_drift_part(ref, cur, p, detail::drift_part::wasserstein, stats);
        if (!stats.reference_std) detail::compute_drift_part(ref, cur, p, detail::drift_part::reference_std, stats);
        const wasserstein_result w = detail::visit_numbers(ref, [&](const auto& rs) {
            return detail::visit_numbers(cur, [&](const auto& cs) {
                return detail::wasserstein_of(rs, cs, *stats.wasserstein, *stats.reference_std);
            });
        });
        const rule wr = policy::above_rule(p.drift.wasserstein);
        check c = detail::judged("drift", "wasserstein", name, w.normalized, wr, cache);
        if (std::isnan(w.normalized))
            c.note = "undefined: the reference holds +-inf, so its standard deviation is infinite and no distance can be "
                     "scaled by it; judged as a breach";
        else if (std::isinf(w.normalized))
            c.note = std::isinf(w.distance) ? "infinite: the current sample holds +-inf, which the reference does not"
                                            : "infinite: the reference is constant (standard deviation 0) and the current "
                                              "sample is not the same";
        c.details = field::make_table({{"distance", finite_or_null(w.distance)},
                                       {"reference_std", finite_or_null(w.reference_std)},
                                       {"normalized", finite_or_null(w.normalized)}});
        if (test == drift_test::ks) {
            pending.effect = merge_effect(pending.effect, effect_of(p.drift.wasserstein, w.normalized));
            pending.effect_critical = pending.effect_critical || p.drift.wasserstein.critical.has_value();
            if (p.drift.wasserstein.warning || p.drift.wasserstein.critical) {
                t.thresholds.set("wasserstein", to_field(wr));
                if (p.drift.gate == effect_gate::both) {
                    c.level = severity::ok;
                    c.note = std::isnan(w.normalized) ? "undefined: the reference holds +-inf (an infinite standard deviation); "
                                                        "a breach in the KS test's gate (effect_gate = \"both\")"
                                                      : "gates the KS test (effect_gate = \"both\")";
                }
            }
        }
        out.checks.push_back(std::move(c));
    }
    t.level = detail::combine(t.level, pending.pvalue_rule.critical.has_value(), pending.effect, pending.effect_critical,
                              p.drift.gate);
    if (pending.effect) t.details.set("effect_gate", to_string(p.drift.gate));
    pending.check_index = 1;
    out.checks.insert(out.checks.begin() + 1, std::move(t));
    out.test = pending;
    return out;
}

/// The CSI of the score column: quantile bins from the reference scores (continuous), judged
/// with [drift.csi]. An empty side is judged undefined (a breach).
[[nodiscard]] inline check csi_check(const column_profile& ref, const column_profile& cur, const policy& p,
                                     detail::threshold_cache* cache = nullptr) {
    const rule r = policy::above_rule(p.drift.csi);
    if (ref.count() == 0 || cur.count() == 0 || ref.is_text() || cur.is_text()) {
        check c = detail::judged("drift", "csi", ref.name, NAN, r, cache);
        c.note = ref.is_text() || cur.is_text() ? "the score column holds texts; judged as a breach"
                 : ref.count() == 0             ? "the reference has no score; judged as a breach"
                                                : "the current file has no score; judged as a breach";
        return c;
    }
    std::string note;
    const psi_result psi = detail::interval_psi(ref, cur, p, stability_index::csi, note);
    return detail::stability_check(ref.name, psi, column_kind::continuous, r, std::nullopt, note, cache);
}

} // namespace v0
} // namespace driftgate
