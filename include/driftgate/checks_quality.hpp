// driftgate — the data-quality checks of a feature (or the score) against the reference: the
// missing share (a one-sided two-proportion test before its increase is judged), a column with
// no value or one value, values outside the reference's range or never seen in it, and cells read
// as missing because they were not numbers. A column with no value is a breach.
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
#include <tuple>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "driftgate/checks_base.hpp"
#include "driftgate/checks_schema.hpp"

namespace driftgate {
inline namespace v0 {

namespace detail {

/// The one-sided two-proportion z test of "the current missing share is larger": p-value from
/// the pooled standard error (1 when there is nothing to test).
[[nodiscard]] inline double missing_increase_pvalue(std::uint64_t m1, std::uint64_t n1, std::uint64_t m2, std::uint64_t n2) {
    if (n1 == 0 || n2 == 0) return 1.0;
    const double p1 = static_cast<double>(m1) / static_cast<double>(n1), p2 = static_cast<double>(m2) / static_cast<double>(n2);
    const double pooled = static_cast<double>(m1 + m2) / static_cast<double>(n1 + n2);
    const double se = std::sqrt(pooled * (1.0 - pooled) * (1.0 / static_cast<double>(n1) + 1.0 / static_cast<double>(n2)));
    if (!(se > 0.0)) return 1.0;
    return boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), (p2 - p1) / se));
}

/// Share of the current values never seen in the reference (numbers compared as doubles,
/// categories by text). O(distinct values of both).
[[nodiscard]] inline std::pair<std::uint64_t, std::uint64_t> unseen_count(const column_profile& ref, const column_profile& cur) {
    std::uint64_t unseen = 0;
    if (ref.is_text() && cur.is_text()) {
        const auto& r = std::get<category_counts>(ref.data);
        const auto& c = std::get<category_counts>(cur.data);
        for (std::size_t i = 0; i < c.names.size(); ++i)
            if (r.count_of(c.names[i]) == 0) unseen += c.counts[i];
        return {unseen, c.n};
    }
    std::vector<double> seen;
    for_each_value(ref, [&](double v, std::uint64_t) { seen.push_back(v); });
    std::uint64_t n = 0;
    for_each_value(cur, [&](double v, std::uint64_t k) {
        n += k;
        if (!std::binary_search(seen.begin(), seen.end(), v, [](double a, double b) { return a < b; })) unseen += k;
    });
    return {unseen, n};
}

} // namespace detail

/// The score's missing share in a current snapshot judged alone (proxy, perf, estimate: no
/// reference to compare with): `missing_share` is the share itself, judged by [data_quality]
/// missing_share as an increase over none (a scorer leaves no row unscored). Without it a scorer
/// that stopped scoring passed, its proxies and estimates taken from the few rows it scored.
/// Cost: O(1).
[[nodiscard]] inline check score_missing_check(const column_profile& score, const policy& p) {
    const std::uint64_t n = score.total(), m = score.missing();
    const double share = n == 0 ? NAN : static_cast<double>(m) / static_cast<double>(n);
    check c = detail::judged("data_quality", "missing_share", score.name, share, policy::above_rule(p.data_quality.missing_share));
    c.note = "the current file alone: the share of rows without a score";
    c.details = field::make_table({{"current_share", share}, {"missing_current", m}, {"n_current", n}});
    return c;
}

/// Data-quality checks of one feature (or the score): the missing share against the reference
/// (`missing_share`: its absolute increase, judged only when the one-sided two-proportion test
/// finds it significant), `all_missing`, `constant`, `out_of_range` (numbers: the share outside
/// the reference's [min, max]), `unseen_values` (discrete and categorical: the share of values
/// the reference never had) and `bad_values` (cells read as missing because they were not
/// numbers). Cost: O(distinct values), O(log n) per range end.
[[nodiscard]] inline std::vector<check> data_quality_checks(const column_profile& ref, const column_profile& cur,
                                                            column_kind kind, const policy& p,
                                                            detail::threshold_cache* cache = nullptr) {
    std::vector<check> out;
    out.reserve(6);
    const auto& dq = p.data_quality;
    const std::string& name = ref.name;
    const std::uint64_t n1 = ref.total(), n2 = cur.total(), m1 = ref.missing(), m2 = cur.missing();
    // Cells read as missing because they were not numbers, in each file (the current file first).
    for (const auto& [col, file, cells] : {std::tuple{&cur, "current", " cell(s)"}, std::tuple{&ref, "reference", " reference cell(s)"}}) {
        if (col->invalid == 0) continue;
        check c = detail::event("data_quality", "bad_values", name, dq.bad_values,
                                std::to_string(col->invalid) + cells + " were not numbers and were read as missing; first: " +
                                    col->first_invalid);
        c.value = static_cast<double>(col->invalid);
        c.details = field::make_table({{"file", file}, {"count", col->invalid}, {"first", col->first_invalid}});
        out.push_back(std::move(c));
    }
    if (n2 > 0 && n1 > 0) {
        const double s1 = static_cast<double>(m1) / static_cast<double>(n1), s2 = static_cast<double>(m2) / static_cast<double>(n2);
        const double pv = detail::missing_increase_pvalue(m1, n1, m2, n2);
        const double increase = s2 - s1;
        check c = detail::judged("data_quality", "missing_share", name, increase, policy::above_rule(dq.missing_share), cache);
        if (!(pv < dq.missing_pvalue) && c.level != severity::ok) {
            c.level = severity::ok;
            c.note = "increase not significant (p = " + std::to_string(pv) + ")";
        }
        c.thresholds.as_table().reserve(6);
        c.thresholds.set("pvalue_below", dq.missing_pvalue);
        c.details = field::make_table({{"reference_share", s1}, {"current_share", s2}, {"pvalue", pv},
                                       {"missing_reference", m1}, {"missing_current", m2},
                                       {"n_reference", n1}, {"n_current", n2}});
        out.push_back(std::move(c));
    }
    if (cur.count() == 0) {
        out.push_back(detail::event("data_quality", "all_missing", name, dq.all_missing,
                                    n2 == 0 ? "the current file has no rows" : "every value is missing in the current file"));
        return out;
    }
    if (ref.count() == 0) return out;
    if (distinct_values_upto(cur, 1) == 1 && distinct_values_upto(ref, 1) > 1)
        out.push_back(detail::event("data_quality", "constant", name, dq.constant,
                                    "one value left in the current file (more in the reference)"));
    if (!ref.is_text() && !cur.is_text() && ref.type != value_type::boolean) {
        const double lo = detail::min_value(ref), hi = detail::max_value(ref);
        std::uint64_t outside = 0;
        detail::visit_numbers(cur, [&](const auto& s) {
            if constexpr (std::is_same_v<std::decay_t<decltype(s)>, counted_sample>) {
                for (std::size_t i = 0; i < s.values.size(); ++i)
                    if (s.values[i] < lo || s.values[i] > hi) outside += s.counts[i];
            } else {
                const auto& v = s.values;
                outside += static_cast<std::uint64_t>(std::lower_bound(v.begin(), v.end(), lo) - v.begin());
                outside += static_cast<std::uint64_t>(v.end() - std::upper_bound(v.begin(), v.end(), hi));
            }
        });
        const double share = static_cast<double>(outside) / static_cast<double>(cur.count());
        check c = detail::judged("data_quality", "out_of_range", name, share, policy::above_rule(dq.out_of_range), cache);
        c.details = field::make_table({{"count", outside}, {"n", cur.count()}, {"reference_min", edge_field(lo)},
                                       {"reference_max", edge_field(hi)}});
        out.push_back(std::move(c));
    }
    if (kind != column_kind::continuous && ref.is_text() == cur.is_text()) {
        const auto [unseen, n] = detail::unseen_count(ref, cur);
        const double share = n ? static_cast<double>(unseen) / static_cast<double>(n) : 0.0;
        check c = detail::judged("data_quality", "unseen_values", name, share, policy::above_rule(dq.unseen), cache);
        c.details = field::make_table({{"count", unseen}, {"n", n}});
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace v0
} // namespace driftgate
