// driftgate — what every check of a profile pair is built with: a judged check (an undefined
// value fails closed at the rule's highest severity), an event check, the thresholds fields shared
// by the checks of one rule, and the numeric distribution of a column. checks_schema.hpp,
// checks_quality.hpp, checks_drift.hpp and checks_performance.hpp build on it.
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

#include "driftgate/policy.hpp"
#include "driftgate/profile.hpp"
#include "driftgate/report.hpp"

namespace driftgate {
inline namespace v0 {

namespace detail {

[[nodiscard]] inline std::string join_names(const std::vector<std::string>& names, std::size_t max = 20) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < max; ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > max) out += ", ... (" + std::to_string(names.size()) + " in all)";
    return out;
}

/// The thresholds fields of the rules one evaluation uses, made once and shared by every check
/// judged by the same rule (fields share their tables until changed): a run over 100,000
/// features judges 600,000 checks by about ten rules. Safe to use from several threads.
class threshold_cache {
public:
    [[nodiscard]] field get(const rule& r) {
        std::lock_guard lock(mutex_);
        for (const auto& [k, f] : items_)
            if (same(k, r)) return f;
        field f = to_field(r);
        if (items_.size() < 64) items_.emplace_back(r, f);
        return f;
    }

private:
    static bool same(const std::optional<bound>& a, const std::optional<bound>& b) {
        return a.has_value() == b.has_value() && (!a || (a->value == b->value && a->inclusive == b->inclusive));
    }
    static bool same(const rule& a, const rule& b) {
        return a.dir == b.dir && same(a.info, b.info) && same(a.warning, b.warning) && same(a.critical, b.critical);
    }
    std::mutex mutex_;
    std::vector<std::pair<rule, field>> items_;
};

/// A judged check; an undefined value (NaN) fails closed at the rule's highest severity.
[[nodiscard]] inline check judged(std::string section, std::string name, std::string column, double value, const rule& r,
                                  threshold_cache* cache = nullptr) {
    check c;
    c.section = std::move(section);
    c.name = std::move(name);
    c.column = std::move(column);
    c.value = value;
    c.thresholds = cache ? cache->get(r) : to_field(r);
    judge_value(c, r);
    return c;
}

/// An event check (schema and data-quality events): `level` when it happened.
[[nodiscard]] inline check event(std::string section, std::string name, std::string column, severity level, std::string note) {
    check c;
    c.section = std::move(section);
    c.name = std::move(name);
    c.column = std::move(column);
    c.value = 1.0;
    c.level = level;
    c.thresholds = field::make_table({{"severity", to_string(level)}});
    c.note = std::move(note);
    return c;
}

/// Calls f with the numeric distribution of a column (sorted_sample or counted_sample).
template <class F>
decltype(auto) visit_numbers(const column_profile& c, F&& f) {
    if (const auto* k = std::get_if<counted_sample>(&c.data)) return f(*k);
    return f(std::get<sorted_sample>(c.data));
}

[[nodiscard]] inline double min_value(const column_profile& c) {
    return visit_numbers(c, [](const auto& s) { return s.values.front(); });
}
[[nodiscard]] inline double max_value(const column_profile& c) {
    return visit_numbers(c, [](const auto& s) { return s.values.back(); });
}

} // namespace detail

} // namespace v0
} // namespace driftgate
