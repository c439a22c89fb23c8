// driftgate — evaluate(): a whole monitoring run from two profiles and a policy, as one report.
//
//   const driftgate::profile ref = /* profile of the reference (or load_profile("ref.dgp")) */;
//   const driftgate::profile cur = /* profile of the current snapshot */;
//   const driftgate::report r = driftgate::evaluate(ref, cur, driftgate::policy{});
//   if (driftgate::gate_fails(r.status(), driftgate::fail_on::critical)) { /* act */ }
//
// The report holds every check `driftgate check --format json` shows, in this order: schema,
// then per feature its data-quality and drift checks, the score's CSI, performance, proxies.
// What runs follows the policy's [checks]; performance needs the current profile's score by
// class, and a label column named by the policy but absent from the current file is a note (or a
// critical `missing_label` check with [performance] required = true); so is a policy that names no
// label or no score column (`missing_label` / `missing_score`, column "").
//
// Multiple testing: with [drift] correction set, the p-values of the run's distribution tests (KS
// and chi-square, one per feature) are adjusted together; each test's value is then its adjusted
// p-value (the raw one stays in its details as `pvalue`), and its severity is judged on it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "driftgate/checks_drift.hpp"
#include "driftgate/checks_quality.hpp"
#include "driftgate/checks_schema.hpp"
#include "driftgate/checks_performance.hpp"
#include "driftgate/multiple_testing.hpp"
#include "driftgate/policy.hpp"
#include "driftgate/profile.hpp"
#include "driftgate/report.hpp"

namespace driftgate {
inline namespace v0 {

/// Runs task(0), ..., task(n - 1), each once, in any order or at once, and returns when all
/// have; when tasks throw, rethrows the exception of the lowest-numbered one. The library has no
/// threads of its own: a caller with a thread pool passes one (the CLI does); the default runs the
/// tasks one after another.
using executor = std::function<void(std::size_t n, const std::function<void(std::size_t)>& task)>;

namespace detail {

inline void run_all(const executor& run, std::size_t n, const std::function<void(std::size_t)>& task) {
    if (run) {
        run(n, task);
        return;
    }
    for (std::size_t i = 0; i < n; ++i) task(i);
}

[[nodiscard]] inline field input_field(const profile& p) {
    return field::make_table({{"path", p.meta.source}, {"rows", p.meta.rows}});
}

/// Applies the policy's multiple-testing correction to the pending tests and judges them.
inline void finish_tests(std::vector<feature_drift>& drifts, const policy& p) {
    std::vector<double> pvalues;
    for (const auto& d : drifts)
        if (d.test) pvalues.push_back(d.test->pvalue);
    const std::vector<double> adjusted = adjust_pvalues(std::span<const double>(pvalues), p.drift.pvalue_correction);
    std::size_t k = 0;
    for (auto& d : drifts) {
        if (!d.test) continue;
        const pending_test& t = *d.test;
        check& c = d.checks[t.check_index];
        const double adj = adjusted[k++];
        c.details.set("pvalue_adjusted", adj);
        c.details.set("correction", to_string(p.drift.pvalue_correction));
        if (p.drift.pvalue_correction == correction::none) continue;
        c.value = adj;
        c.level = combine(judge(t.pvalue_rule, adj).level, t.pvalue_rule.critical.has_value(), t.effect, t.effect_critical,
                          p.drift.gate);
    }
}

} // namespace detail

namespace detail {

/// Why a report holds no check: the message of errc::nothing_to_judge.
[[nodiscard]] inline std::string nothing_judged(const report& r, const policy& p, const std::string& source, bool pair) {
    const auto& k = p.checks;
    const char* const no_proxies = k.proxies && !p.columns.score.empty() ? why_no_proxies(p) : nullptr;
    std::string why;
    if (no_proxies != nullptr) why = no_proxies;
    else if (!k.proxies && !k.performance && (!pair || (!k.drift && !k.csi && !k.data_quality)))
        why = "the policy asks for no check ([checks])";
    for (const auto& n : r.notes)
        if (n.find("performance checks skipped") != std::string::npos) why += (why.empty() ? "" : "; ") + n;
    if (why.empty()) why = "no check applies to " + source;
    return "nothing could be judged: " + why;
}

/// evaluate(current, policy) without its refusal of an empty report (a run over two profiles
/// adds these checks to its own).
[[nodiscard]] inline report current_checks(const profile& current, const policy& p) {
    report r;
    r.inputs.set("current", detail::input_field(current));
    if (p.checks.performance) {
        if (current.classes) {
            auto c = performance_checks(current, p, &r.notes);
            r.checks.insert(r.checks.end(), c.begin(), c.end());
        } else if (!p.columns.label.empty() && !current.has_column(p.columns.label)) {
            if (p.performance.required)
                r.checks.push_back(detail::event("performance", "missing_label", p.columns.label, severity::critical,
                                                 "the current file has no label column, and [performance] required = true"));
            else
                r.notes.push_back("no label column \"" + p.columns.label + "\" in " + current.meta.source +
                                  ": performance checks skipped (labels arrive later)");
        } else if (p.columns.label.empty() || p.columns.score.empty()) {
            // Performance asked for, with no label or no score named: it cannot be judged, which
            // was silent (and with required = true the run passed without it).
            const std::string what = p.columns.label.empty() ? "label" : "score";
            if (p.performance.required)
                r.checks.push_back(detail::event("performance", "missing_" + what, "", severity::critical,
                                                 "[columns] " + what + " is empty, and [performance] required = true: "
                                                 "performance cannot be judged"));
            else
                r.notes.push_back("[columns] " + what + " is empty: performance checks skipped (name the " + what +
                                  " column, or set [checks] performance = false)");
        }
    }
    if (p.checks.proxies && !p.columns.score.empty()) {
        auto c = proxy_checks(current, p, &r.notes);
        r.checks.insert(r.checks.end(), c.begin(), c.end());
    } else if (p.checks.proxies) {
        r.notes.push_back("[columns] score is empty: the proxies are not computed");
    }
    return r;
}

} // namespace detail

/// The checks of the current profile alone: performance (when it has the score by class) and
/// proxies, as the policy's [checks] ask, with the score's missing share (score_missing_check)
/// when they judged anything and [checks] data_quality is on. Throws as performance_checks and
/// proxy_checks, and errc::nothing_to_judge when no check results (a gate must not pass a run
/// that judged nothing): proxies asked for points only, performance skipped for want of labels,
/// or neither asked.
[[nodiscard]] inline report evaluate(const profile& current, const policy& p) {
    validate(p);
    report r = detail::current_checks(current, p);
    if (r.checks.empty()) throw error(errc::nothing_to_judge, "evaluate", detail::nothing_judged(r, p, current.meta.source, false));
    // The rows the checks above could not use: the score's missing share, judged alone.
    if (const column_profile* s = p.columns.score.empty() ? nullptr : current.find(p.columns.score); s && p.checks.data_quality)
        r.checks.insert(r.checks.begin(), score_missing_check(*s, p));
    return r;
}

/// A whole run: schema, data quality and drift of the reference against the current profile
/// (and the score's CSI), then what evaluate(current, policy) adds, as the policy's [checks]
/// ask. `run` may spread the features over threads (results do not depend on it). Throws
/// errc::nothing_to_judge when no monitored column is in both profiles (the wrong file) or no check
/// results (every [checks] switch off), and
/// driftgate::error for a policy that does not fit the data (see choose_columns).
/// Cost: O(n) per feature for sorted samples, O(distinct values) for counted ones.
[[nodiscard]] inline report evaluate(const profile& reference, const profile& current, const policy& p,
                                     const executor& run = {}) {
    validate(p);
    report r;
    (void)reference.find(""), (void)reference.has_column(""), (void)current.find(""), (void)current.has_column("");  // build the indexes before threads read them
    const monitored_columns m = choose_columns(reference, current, p);
    for (const std::size_t j : m.unnamed) r.notes.push_back(detail::unnamed_column_note(j, reference.meta.source));
    if (!m.unprofiled.empty()) r.notes.push_back(detail::unprofiled_note(m.unprofiled));
    r.inputs.set("reference", detail::input_field(reference));
    r.inputs.set("current", detail::input_field(current));
    auto schema = schema_checks(reference, current, p, m);
    r.checks.insert(r.checks.end(), schema.begin(), schema.end());

    // Two rounds of tasks. First the costly statistics (drift_statistics: each a merge of two
    // sorted samples or a pass over one), one task per statistic and feature so that 2 cores share
    // 5 continuous features evenly; then per feature the data quality and drift checks, and the
    // score's, which use them. Each round starts its costliest tasks first (a merge of sorted
    // values costs in their number; counts and categories little), so that no long task starts
    // last while the other threads idle. The order of the report is the features' order whatever
    // ran when, and the checks are those computed in one task (the same functions).
    const std::size_t nf = m.features.size();
    std::vector<std::vector<check>> quality(nf);
    std::vector<feature_drift> drifts(nf);
    std::vector<drift_statistics> stats(nf);
    std::vector<check> score_checks;
    detail::threshold_cache cache;
    const auto sorted_values = [](const column_profile* c) -> std::uint64_t {
        return c != nullptr && std::holds_alternative<sorted_sample>(c->data) ? c->count() : 0;
    };
    struct part_task {
        std::size_t feature;
        detail::drift_part part;
        std::uint64_t cost;
    };
    std::vector<part_task> parts;
    std::vector<column_kind> kinds(nf, column_kind::continuous);
    std::vector<char> comparable(nf, 0);
    for (std::size_t i = 0; i < nf; ++i) {
        const column_profile* ref = reference.find(m.features[i]);
        const column_profile* cur = current.find(m.features[i]);
        detail::require(cur != nullptr, errc::invalid_parameter, "evaluate",
                        "the current profile holds no data for column \"" + m.features[i] + "\"");
        kinds[i] = judged_kind(*ref, p);
        comparable[i] = ref->is_text() == cur->is_text();
        if (!p.checks.drift || !comparable[i]) continue;
        // Relative costs per value, measured: the Wasserstein merge about twice KS's, the
        // deviation's two passes over the reference about as much as KS's merge of both.
        const std::uint64_t both = sorted_values(ref) + sorted_values(cur), one = sorted_values(ref);
        for (const auto part : detail::drift_parts(*ref, *cur, kinds[i], p))
            parts.push_back({i, part, part == detail::drift_part::ks ? 2 * both : part == detail::drift_part::wasserstein ? 4 * both : 3 * one});
    }
    std::stable_sort(parts.begin(), parts.end(), [](const part_task& a, const part_task& b) { return a.cost > b.cost; });
    // Each task writes a member of its own of stats[feature]: the three parts of a feature are
    // distinct objects (std::optional members), so no two tasks write the same memory.
    detail::run_all(run, parts.size(), [&](std::size_t k) {
        const part_task& t = parts[k];
        detail::compute_drift_part(*reference.find(m.features[t.feature]), *current.find(m.features[t.feature]), p, t.part,
                                   stats[t.feature]);
    });

    std::vector<std::size_t> order(nf + (m.score ? 1 : 0));
    std::vector<std::uint64_t> cost(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
        const std::string& name = i < nf ? m.features[i] : p.columns.score;
        cost[i] = sorted_values(reference.find(name)) + sorted_values(current.find(name));
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
    detail::run_all(run, order.size(), [&](std::size_t k) {
        const std::size_t i = order[k];
        if (i == nf) {  // the score
            const column_profile* ref = reference.find(p.columns.score);
            const column_profile* cur = current.find(p.columns.score);
            if (p.checks.data_quality) score_checks = data_quality_checks(*ref, *cur, column_kind::continuous, p, &cache);
            if (p.checks.csi) score_checks.push_back(csi_check(*ref, *cur, p, &cache));
            return;
        }
        const column_profile* ref = reference.find(m.features[i]);
        const column_profile* cur = current.find(m.features[i]);
        if (!comparable[i]) {
            // kind_changed (a schema check) reports it; the drift of incomparable data is undefined.
            drifts[i] = feature_drift_checks(*ref, *cur, kinds[i], p, &cache);
            return;
        }
        if (p.checks.data_quality) quality[i] = data_quality_checks(*ref, *cur, kinds[i], p, &cache);
        if (p.checks.drift) drifts[i] = feature_drift_checks(*ref, *cur, kinds[i], p, &cache, &stats[i]);
    });
    detail::finish_tests(drifts, p);
    std::size_t total = r.checks.size() + 8;
    for (std::size_t i = 0; i < nf; ++i) total += quality[i].size() + drifts[i].checks.size();
    r.checks.reserve(total);
    for (std::size_t i = 0; i < nf; ++i) {
        r.checks.insert(r.checks.end(), std::make_move_iterator(quality[i].begin()), std::make_move_iterator(quality[i].end()));
        r.checks.insert(r.checks.end(), std::make_move_iterator(drifts[i].checks.begin()),
                        std::make_move_iterator(drifts[i].checks.end()));
        quality[i] = {};
        drifts[i] = {};
    }
    r.checks.insert(r.checks.end(), std::make_move_iterator(score_checks.begin()), std::make_move_iterator(score_checks.end()));
    if (p.checks.drift && nf == 0) r.notes.push_back("no feature column is in both files: only the score's CSI was judged");
    report own = detail::current_checks(current, p);
    r.checks.insert(r.checks.end(), std::make_move_iterator(own.checks.begin()), std::make_move_iterator(own.checks.end()));
    r.notes.insert(r.notes.end(), own.notes.begin(), own.notes.end());
    if (r.checks.empty()) throw error(errc::nothing_to_judge, "evaluate", detail::nothing_judged(r, p, current.meta.source, true));
    return r;
}

} // namespace v0
} // namespace driftgate
