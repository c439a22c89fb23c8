// driftgate — fairness across the segments of a column (SEX, AGE bands, ...) for credit decisions.
//
//   disparate_impact            lowest approval rate / highest approval rate over the judged
//                               segments; approval = PD below [proxy] approval_below. The
//                               four-fifths rule: a warning below 0.8.
//   equal_opportunity_difference  largest gap between segments in the approval rate of the
//                               applicants who did not default (label 0, the favourable outcome
//                               for an applicant); needs labels.
//
// Each check carries every segment's size and rate. A segment with fewer rows than
// [segments] min_rows (or, for equal opportunity, fewer label-0 rows) is listed, not judged; with
// fewer than two judged segments there is nothing to compare: the check is not judged, a warning
// (a gate does not pass what it was asked for and could not judge).
// Cost: O(segments).
//
// Reference values: tests/data/e2e/gen_fairness_fixtures.py (pandas, scikit-learn).
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "driftgate/checks_drift.hpp"
#include "driftgate/policy.hpp"
#include "driftgate/report.hpp"

namespace driftgate {
inline namespace v0 {

/// The decisions in one segment: how many rows, how many approved; with labels, how many rows
/// have label 0 and how many of those were approved.
struct segment_outcomes {
    std::string name;                    ///< "SEX=2"
    std::size_t rows = 0;                ///< rows with a score
    std::size_t approved = 0;            ///< rows whose PD is below approval_below
    std::size_t favourable = 0;          ///< rows with label 0 (0 without labels)
    std::size_t favourable_approved = 0; ///< ... of them approved
};

namespace detail {

/// The fairness check `name` over segments: `rate(s)` of each segment with at least
/// `min_rows` units (`units(s)`), combined by `combine(lowest, highest)`.
template <class Units, class Rate, class Combine>
check fairness_check(const char* name, const std::string& column, std::span<const segment_outcomes> segments,
                     std::size_t min_rows, const char* unit_name, const rule& r, Units units, Rate rate, Combine combine) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    field list = field::make_table();
    std::size_t n_judged = 0;
    for (const auto& s : segments) {
        const std::size_t n = units(s);
        const bool ok = n >= min_rows;
        const double x = n > 0 ? rate(s) : std::numeric_limits<double>::quiet_NaN();
        list.set(s.name, field::make_table({{"rows", n}, {"rate", n > 0 ? field(x) : field()}, {"judged", ok}}));
        if (!ok) continue;
        ++n_judged;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    check c;
    if (n_judged < 2) {
        c.section = "fairness";
        c.name = name;
        c.column = column;
        // Asked for and not judged: a breach (warning), never a pass.
        c.level = severity::warning;
        c.thresholds = to_field(r);
        c.note = "not judged: fewer than two segments with at least " + std::to_string(min_rows) + " " + unit_name +
                 " ([segments] min_rows)";
    } else {
        c = judged("fairness", name, column, combine(lo, hi), r);
    }
    c.details = field::make_table({{"segments", list}, {"judged_segments", n_judged}, {"min_rows", min_rows}});
    return c;
}

} // namespace detail

/// `disparate_impact` of `column`: lowest / highest approval rate over the segments with at
/// least `p.segments.min_rows` rows, judged below [fairness.disparate_impact]. Undefined (a
/// breach) when no judged segment has an approval.
[[nodiscard]] inline check disparate_impact_check(const std::string& column, std::span<const segment_outcomes> segments,
                                                  const policy& p) {
    const auto& t = p.fairness.disparate_impact;
    return detail::fairness_check(
        "disparate_impact", column, segments, p.segments.min_rows, "rows", policy::below_rule(t.warning, t.critical, false),
        [](const segment_outcomes& s) { return s.rows; },
        [](const segment_outcomes& s) { return static_cast<double>(s.approved) / static_cast<double>(s.rows); },
        [](double lo, double hi) { return hi > 0 ? lo / hi : std::numeric_limits<double>::quiet_NaN(); });
}

/// `equal_opportunity_difference` of `column`: the largest gap between segments in the approval
/// rate of label-0 rows, over the segments with at least `p.segments.min_rows` such rows, judged
/// above [fairness.equal_opportunity] (strictly).
[[nodiscard]] inline check equal_opportunity_check(const std::string& column, std::span<const segment_outcomes> segments,
                                                   const policy& p) {
    return detail::fairness_check(
        "equal_opportunity_difference", column, segments, p.segments.min_rows, "label-0 rows",
        policy::above_rule(p.fairness.equal_opportunity, false),
        [](const segment_outcomes& s) { return s.favourable; },
        [](const segment_outcomes& s) { return static_cast<double>(s.favourable_approved) / static_cast<double>(s.favourable); },
        [](double lo, double hi) { return hi - lo; });
}

} // namespace v0
} // namespace driftgate
