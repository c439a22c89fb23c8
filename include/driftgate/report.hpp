// driftgate — the outcome of a monitoring run: judged checks with their figures, the inputs they
// came from, and the overall status.
//
// A report is data, not text: every rendering (text, JSON, Markdown, HTML, Prometheus, JUnit) and
// the Python bindings show the same report, and none of them computes a statistic or decides a
// severity. Check-specific figures (a PSI's bins, a KS test's ln p, a confusion matrix) are held in
// a `field`: a small ordered tree of nulls, booleans, integers, numbers, texts, lists and tables —
// the shape of the JSON contract documented in the README, without a JSON dependency.
#pragma once

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
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

/// The name of a table's entry: a text of up to 15 bytes held in place, a longer one on the heap,
/// 16 bytes either way (a report of 100,000 features holds millions of them). Reads as a
/// std::string_view; compares with texts.
class field_key {
public:
    field_key() noexcept { raw_[15] = 0; }
    field_key(std::string_view s) { assign(s); }
    field_key(const char* s) { assign(std::string_view(s)); }
    field_key(const std::string& s) { assign(std::string_view(s)); }
    field_key(const field_key& o) { assign(o.view()); }
    field_key(field_key&& o) noexcept {
        std::memcpy(raw_, o.raw_, sizeof raw_);
        o.raw_[15] = 0;
    }
    field_key& operator=(const field_key& o) {
        if (this != &o) {
            field_key t(o);
            swap(t);
        }
        return *this;
    }
    field_key& operator=(field_key&& o) noexcept {
        swap(o);
        return *this;
    }
    ~field_key() { release(); }

    [[nodiscard]] std::string_view view() const noexcept {
        if (!on_heap()) return {reinterpret_cast<const char*>(raw_), raw_[15]};
        const char* p;
        std::memcpy(&p, raw_, sizeof p);
        std::uint64_t n = 0;
        for (int i = 0; i < 7; ++i) n |= std::uint64_t{raw_[8 + i]} << (8 * i);
        return {p, static_cast<std::size_t>(n)};
    }
    operator std::string_view() const noexcept { return view(); }
    operator std::string() const { return std::string(view()); }
    [[nodiscard]] std::string str() const { return std::string(view()); }
    [[nodiscard]] std::size_t size() const noexcept { return view().size(); }
    [[nodiscard]] bool empty() const noexcept { return view().empty(); }

    friend bool operator==(const field_key& a, const field_key& b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const field_key& a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const field_key& a, const char* b) noexcept { return a.view() == std::string_view(b); }
    friend bool operator==(const field_key& a, const std::string& b) noexcept { return a.view() == b; }
    friend std::string operator+(const std::string& a, const field_key& b) { return a + std::string(b.view()); }
    friend std::string operator+(const char* a, const field_key& b) { return a + std::string(b.view()); }
    friend std::string operator+(const field_key& a, const std::string& b) { return std::string(a.view()) + b; }
    friend std::string operator+(const field_key& a, const char* b) { return std::string(a.view()) + b; }

    void swap(field_key& o) noexcept {
        unsigned char t[16];
        std::memcpy(t, raw_, 16);
        std::memcpy(raw_, o.raw_, 16);
        std::memcpy(o.raw_, t, 16);
    }

private:
    static constexpr unsigned char heap_tag = 0xff;
    [[nodiscard]] bool on_heap() const noexcept { return raw_[15] == heap_tag; }
    void assign(std::string_view s) {
        if (s.size() <= 15) {
            if (!s.empty()) std::memcpy(raw_, s.data(), s.size());
            raw_[15] = static_cast<unsigned char>(s.size());
            return;
        }
        detail::require(s.size() < (std::uint64_t{1} << 56), errc::invalid_parameter, "field", "a key too long");
        char* p = new char[s.size()];
        std::memcpy(p, s.data(), s.size());
        const std::uint64_t n = s.size();
        std::memcpy(raw_, &p, sizeof p);
        raw_[15] = heap_tag;
        // The size in bytes 8..14, byte i + 8 holding bits 8i..8i+7 (any byte order).
        for (int i = 0; i < 7; ++i) raw_[8 + i] = static_cast<unsigned char>(n >> (8 * i));
    }
    void release() noexcept {
        if (!on_heap()) return;
        char* p;
        std::memcpy(&p, raw_, sizeof p);
        delete[] p;
        raw_[15] = 0;
    }
    alignas(8) unsigned char raw_[16];
};

/// A value in a report's details: null, boolean, signed or unsigned integer, number (double),
/// text, list of fields or table (fields by name, in insertion order). Integers stay integers
/// (counts print without a decimal point); doubles keep every bit (NaN and ±inf included: a
/// renderer decides how to spell them).
class field {
public:
    using list = std::vector<field>;
    using entry = std::pair<field_key, field>;
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
    field(const char* s) : v_(box<std::string>(std::string(s))) {}
    field(std::string s) : v_(box<std::string>(std::move(s))) {}
    field(std::string_view s) : v_(box<std::string>(std::string(s))) {}
    field(list l) : v_(box<list>(std::move(l))) {}
    field(table t) : v_(box<table>(std::move(t))) {}

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
        if (const auto* t = std::get_if<box<table>>(&v_))
            for (const auto& [k, v] : **t)
                if (k == key) return &v;
        return nullptr;
    }
    /// Sets `key` of a table (a null field becomes an empty table first): replaces the value of an
    /// existing key in place, else appends. Returns the stored field.
    field& set(field_key key, field value) {
        if (is_null()) v_ = box<table>(table{});
        auto& t = as_table();
        for (auto& [k, v] : t)
            if (k == key) return v = std::move(value);
        t.emplace_back(std::move(key), std::move(value));
        return t.back().second;
    }
    /// Appends to a list (a null field becomes an empty list first).
    field& push_back(field value) {
        if (is_null()) v_ = box<list>(list{});
        auto& l = as_list();
        l.push_back(std::move(value));
        return l.back();
    }

    friend bool operator==(const field& a, const field& b) = default;

private:
    /// A heap-held value shared by copies until one of them is changed (copy on write): texts,
    /// lists and tables live behind one pointer (the count of owners beside the value), so a field
    /// is 16 bytes, and a report of 100,000 features can share one table of thresholds among all
    /// checks judged by the same rule.
    template <class T>
    class box {
    public:
        explicit box(T v) : p_(new node{1, std::move(v)}) {}
        box(const box& o) noexcept : p_(o.p_) { p_->refs.fetch_add(1, std::memory_order_relaxed); }
        // A move shares too: a moved-from field keeps its value (a pointer is never null).
        box(box&& o) noexcept : box(static_cast<const box&>(o)) {}
        box& operator=(const box& o) noexcept {
            box t(o);
            std::swap(p_, t.p_);
            return *this;
        }
        box& operator=(box&& o) noexcept { return *this = static_cast<const box&>(o); }
        ~box() {
            if (p_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete p_;
        }
        [[nodiscard]] const T& operator*() const noexcept { return p_->value; }
        /// The value for changing: first copied when other fields share it.
        [[nodiscard]] T& mut() {
            if (p_->refs.load(std::memory_order_acquire) > 1) *this = box(T(p_->value));
            return p_->value;
        }
        friend bool operator==(const box& a, const box& b) { return a.p_ == b.p_ || a.p_->value == b.p_->value; }

    private:
        struct node {
            std::atomic<std::size_t> refs;
            T value;
        };
        node* p_;
    };

    template <class T>
    [[nodiscard]] const T& get(const char* what) const {
        if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, list> || std::is_same_v<T, table>) {
            if (const auto* p = std::get_if<box<T>>(&v_)) return **p;
        } else {
            if (const T* p = std::get_if<T>(&v_)) return *p;
        }
        throw error(errc::invalid_parameter, "field", std::string("not ") + what);
    }
    template <class T>
    [[nodiscard]] T& get(const char* what) {
        if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, list> || std::is_same_v<T, table>) {
            if (auto* p = std::get_if<box<T>>(&v_)) return p->mut();
        } else {
            if (T* p = std::get_if<T>(&v_)) return *p;
        }
        throw error(errc::invalid_parameter, "field", std::string("not ") + what);
    }

    // The order of the alternatives is the order of `kind`.
    std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, box<std::string>, box<list>, box<table>> v_;
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
/// and critical (null when the rule has none). `inclusive` is that of the alert bounds (of the
/// target when there is none); a target whose inclusiveness differs from theirs (the service
/// rules: info at or beyond the target, an alert only strictly beyond its bound) adds
/// `target_inclusive`.
[[nodiscard]] inline field to_field(const rule& r) {
    const bound* any = r.critical ? &*r.critical : r.warning ? &*r.warning : r.info ? &*r.info : nullptr;
    auto value_of = [](const std::optional<bound>& b) { return b ? field(b->value) : field(); };
    field t = field::make_table({{"direction", r.dir == direction::above ? "above" : "below"},
                                 {"inclusive", any ? any->inclusive : false},
                                 {"target", value_of(r.info)},
                                 {"warning", value_of(r.warning)},
                                 {"critical", value_of(r.critical)}});
    if (r.info && any != &*r.info && r.info->inclusive != any->inclusive) t.set("target_inclusive", r.info->inclusive);
    return t;
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
    std::string segment;  ///< the rows judged, "COLUMN=VALUE" (--segment); empty: every row
                          ///< (last, so that aggregate initialisation of the others is unchanged)
    std::string window;   ///< the time window judged, "2026-W05" (--window); empty: every row
};

/// What a check is about, for people: the column, then the segment in brackets when there is one
/// ("auc [SEX=2]" for a check without a column), then "@ WINDOW" when there is one; "-" when none.
[[nodiscard]] inline std::string subject(const check& c) {
    std::string s = c.column;
    if (!c.segment.empty()) s += (s.empty() ? "[" : " [") + c.segment + "]";
    if (!c.window.empty()) s += (s.empty() ? "@ " : " @ ") + c.window;
    return s.empty() ? std::string("-") : s;
}

/// Sets `c.level` from `c.value` under `r`. An undefined value (NaN) is a breach of the rule's
/// highest severity, never a pass, and the note says so.
inline void judge_value(check& c, const rule& r) {
    if (std::isnan(c.value)) {
        c.level = r.critical ? severity::critical : r.warning ? severity::warning : severity::info;
        c.note = "undefined; judged as a breach";
    } else {
        c.level = judge(r, c.value).level;
    }
}

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
