// driftgate — the outcome of a monitoring run: judged checks with their figures, the inputs they
// came from, and the overall status.
//
// A report is data, not text: every rendering (text, JSON, Markdown, HTML, Prometheus, JUnit) and
// the Python bindings show the same report, and none of them computes a statistic or decides a
// severity. Check-specific figures (a PSI's bins, a KS test's ln p, a confusion matrix) are held in
// a `field`: a small ordered tree of nulls, booleans, integers, numbers, texts, lists and tables —
// the shape of the JSON contract documented in the README, without a JSON dependency.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/severity.hpp"

namespace driftgate {
inline namespace v0 {

/// A value in a report's details: null, boolean, signed or unsigned integer, number (double),
/// text, list of fields or table (fields by name, in insertion order). Integers stay integers
/// (counts print without a decimal point); doubles keep every bit (NaN and ±inf included: a
/// renderer decides how to spell them).
class field {
public:
    using list = std::vector<field>;
    using entry = std::pair<std::string, field>;
    using table = std::vector<entry>;
    enum class kind { null, boolean, integer, unsigned_integer, number, text, list, table };

    field() noexcept = default;
    field(std::nullptr_t) noexcept {}
    field(bool b) noexcept : v_(b) {}
    template <std::integral I>
        requires(!std::is_same_v<I, bool> && !std::is_same_v<I, char>)
    field(I i) noexcept {
        if constexpr (std::is_signed_v<I>)
            v_ = static_cast<std::int64_t>(i);
        else
            v_ = static_cast<std::uint64_t>(i);
    }
    field(double d) noexcept : v_(d) {}
    field(float d) noexcept : v_(static_cast<double>(d)) {}
    field(const char* s) : v_(std::string(s)) {}
    field(std::string s) noexcept : v_(std::move(s)) {}
    field(std::string_view s) : v_(std::string(s)) {}
    field(list l) noexcept : v_(std::move(l)) {}
    field(table t) noexcept : v_(std::move(t)) {}

    /// A table from name/value pairs, in the order given.
    [[nodiscard]] static field make_table(std::initializer_list<entry> entries = {}) { return field(table(entries)); }
    /// A list from values, in the order given.
    [[nodiscard]] static field make_list(std::initializer_list<field> items = {}) { return field(list(items)); }

    [[nodiscard]] kind type() const noexcept { return static_cast<kind>(v_.index()); }
    [[nodiscard]] bool is_null() const noexcept { return type() == kind::null; }
    [[nodiscard]] bool is_table() const noexcept { return type() == kind::table; }
    [[nodiscard]] bool is_list() const noexcept { return type() == kind::list; }
    /// True for integers and numbers.
    [[nodiscard]] bool is_numeric() const noexcept {
        const kind k = type();
        return k == kind::integer || k == kind::unsigned_integer || k == kind::number;
    }

    [[nodiscard]] bool as_bool() const { return get<bool>("a boolean"); }
    [[nodiscard]] std::int64_t as_int() const { return get<std::int64_t>("a signed integer"); }
    [[nodiscard]] std::uint64_t as_uint() const { return get<std::uint64_t>("an unsigned integer"); }
    /// An integer or a number as a double.
    [[nodiscard]] double as_double() const {
        switch (type()) {
        case kind::integer: return static_cast<double>(std::get<std::int64_t>(v_));
        case kind::unsigned_integer: return static_cast<double>(std::get<std::uint64_t>(v_));
        case kind::number: return std::get<double>(v_);
        default: throw error(errc::invalid_parameter, "field", "not a number");
        }
    }
    [[nodiscard]] const std::string& as_text() const { return get<std::string>("a text"); }
    [[nodiscard]] const list& as_list() const { return get<list>("a list"); }
    [[nodiscard]] list& as_list() { return get<list>("a list"); }
    [[nodiscard]] const table& as_table() const { return get<table>("a table"); }
    [[nodiscard]] table& as_table() { return get<table>("a table"); }

    /// The field named `key` of a table, or nullptr (also when this is not a table). O(entries).
    [[nodiscard]] const field* find(std::string_view key) const noexcept {
        if (const auto* t = std::get_if<table>(&v_))
            for (const auto& [k, v] : *t)
                if (k == key) return &v;
        return nullptr;
    }
    /// Sets `key` of a table (a null field becomes an empty table first): replaces the value of an
    /// existing key in place, else appends. Returns the stored field.
    field& set(std::string key, field value) {
        if (is_null()) v_ = table{};
        auto& t = as_table();
        for (auto& [k, v] : t)
            if (k == key) return v = std::move(value);
        t.emplace_back(std::move(key), std::move(value));
        return t.back().second;
    }
    /// Appends to a list (a null field becomes an empty list first).
    field& push_back(field value) {
        if (is_null()) v_ = list{};
        auto& l = as_list();
        l.push_back(std::move(value));
        return l.back();
    }

    friend bool operator==(const field& a, const field& b) = default;

private:
    template <class T>
    [[nodiscard]] const T& get(const char* what) const {
        if (const T* p = std::get_if<T>(&v_)) return *p;
        throw error(errc::invalid_parameter, "field", std::string("not ") + what);
    }
    template <class T>
    [[nodiscard]] T& get(const char* what) {
        if (T* p = std::get_if<T>(&v_)) return *p;
        throw error(errc::invalid_parameter, "field", std::string("not ") + what);
    }

    // The order of the alternatives is the order of `kind`.
    std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string, list, table> v_;
};

/// A number that may be infinite, as reports spell it: the double itself when finite, else the
/// text "inf" / "-inf" (NaN: null). For bin edges, where an open end is information.
[[nodiscard]] inline field edge_field(double v) {
    if (std::isfinite(v)) return field(v);
    if (std::isnan(v)) return field();
    return field(v < 0 ? "-inf" : "inf");
}

/// A number, or null when it is not finite (ln p = -inf, an undefined ratio).
[[nodiscard]] inline field finite_or_null(double v) { return std::isfinite(v) ? field(v) : field(); }

/// The bounds of a rule as a report shows them: direction, inclusiveness, target (info), warning
/// and critical (null when the rule has none).
[[nodiscard]] inline field to_field(const rule& r) {
    const bound* any = r.critical ? &*r.critical : r.warning ? &*r.warning : r.info ? &*r.info : nullptr;
    auto value_of = [](const std::optional<bound>& b) { return b ? field(b->value) : field(); };
    return field::make_table({{"direction", r.dir == direction::above ? "above" : "below"},
                              {"inclusive", any ? any->inclusive : false},
                              {"target", value_of(r.info)},
                              {"warning", value_of(r.warning)},
                              {"critical", value_of(r.critical)}});
}

/// The bounds of a band rule: low, high, the severity of leaving the band and of an interval that
/// crosses an edge.
[[nodiscard]] inline field to_field(const band_rule& b) {
    return field::make_table({{"low", b.low}, {"high", b.high}, {"breach", to_string(b.breach)},
                              {"near_edge", to_string(b.near_edge)}});
}

/// One judged check: what was checked, on which column, the judged value, its severity, the
/// bounds it was judged against and the figures behind it.
struct check {
    std::string section;  ///< "schema", "data_quality", "drift", "performance", "proxy", "service"
    std::string name;     ///< "psi", "ks", "chi2", "auc", "missing_column", ... (the JSON `check`)
    std::string column;   ///< the column checked; empty when none applies
    double value = std::numeric_limits<double>::quiet_NaN(); ///< the judged value; NaN when undefined
    severity level = severity::ok;
    field thresholds;     ///< the bounds used (a table; null when the check has none)
    field details;        ///< check-specific figures (a table), shown next to the value
    std::string note;     ///< a short remark for people (empty when none)
};

/// Which severity makes a gate fail (the CLI's --fail-on).
enum class fail_on { warning, critical, never };

[[nodiscard]] constexpr const char* to_string(fail_on f) noexcept {
    switch (f) {
    case fail_on::warning: return "warning";
    case fail_on::critical: return "critical";
    case fail_on::never: return "never";
    }
    return "unknown";
}

/// True when a run whose worst severity is `s` fails a gate set at `f`.
[[nodiscard]] constexpr bool gate_fails(severity s, fail_on f) noexcept {
    switch (f) {
    case fail_on::warning: return s >= severity::warning;
    case fail_on::critical: return s >= severity::critical;
    case fail_on::never: return false;
    }
    return true;
}

/// Everything a run found.
struct report {
    std::string command;        ///< "drift", "perf", "proxy", "check", "service", ...
    std::vector<check> checks;  ///< in the order they were computed
    field inputs = field::make_table(); ///< what was compared (files, row counts, ...)
    std::vector<std::string> notes;     ///< run-level remarks

    /// The worst severity over all checks (ok when there is none).
    [[nodiscard]] severity status() const noexcept {
        severity s = severity::ok;
        for (const auto& c : checks) s = worst(s, c.level);
        return s;
    }
};

} // namespace v0
} // namespace driftgate
