// Helpers shared by the tests of profiles, their file format and evaluate(): bit-exact
// comparison of report fields and whole reports, and small profile builders.
#pragma once

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "driftgate/profile.hpp"
#include "driftgate/report.hpp"

namespace profile_support {

namespace dg = driftgate;

/// The same double to the last bit (NaN equal to NaN of any payload).
inline bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) || (std::isnan(a) && std::isnan(b));
}

/// "" when the two fields are identical (numbers to the last bit), else where they first differ.
inline std::string field_difference(const dg::field& a, const dg::field& b, const std::string& path = "") {
    using kind = dg::field::kind;
    if (a.type() != b.type()) return path + ": kinds differ";
    switch (a.type()) {
    case kind::null: return "";
    case kind::boolean: return a.as_bool() == b.as_bool() ? "" : path + ": booleans differ";
    case kind::integer: return a.as_int() == b.as_int() ? "" : path + ": integers differ";
    case kind::unsigned_integer: return a.as_uint() == b.as_uint() ? "" : path + ": integers differ";
    case kind::number: {
        if (same_bits(a.as_double(), b.as_double())) return "";
        std::ostringstream s;
        s.precision(17);
        s << path << ": " << a.as_double() << " != " << b.as_double();
        return s.str();
    }
    case kind::text: return a.as_text() == b.as_text() ? "" : path + ": \"" + a.as_text() + "\" != \"" + b.as_text() + "\"";
    case kind::list: {
        const auto& x = a.as_list();
        const auto& y = b.as_list();
        if (x.size() != y.size()) return path + ": list lengths differ";
        for (std::size_t i = 0; i < x.size(); ++i)
            if (auto d = field_difference(x[i], y[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
        return "";
    }
    case kind::table: {
        const auto& x = a.as_table();
        const auto& y = b.as_table();
        if (x.size() != y.size()) return path + ": tables differ in size";
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (x[i].first != y[i].first) return path + ": keys " + x[i].first + " and " + y[i].first;
            if (auto d = field_difference(x[i].second, y[i].second, path + "." + x[i].first); !d.empty()) return d;
        }
        return "";
    }
    }
    return path + ": unknown kind";
}

/// "" when two reports are identical: the same checks in the same order with the same values
/// (bits), severities, thresholds, details and notes, the same inputs and run notes.
inline std::string report_difference(const dg::report& a, const dg::report& b) {
    if (a.command != b.command) return "commands differ";
    if (a.checks.size() != b.checks.size())
        return "check counts differ: " + std::to_string(a.checks.size()) + " and " + std::to_string(b.checks.size());
    for (std::size_t i = 0; i < a.checks.size(); ++i) {
        const auto& x = a.checks[i];
        const auto& y = b.checks[i];
        const std::string where = "check " + std::to_string(i) + " (" + x.section + "/" + x.name + "/" + x.column + ")";
        if (x.section != y.section || x.name != y.name || x.column != y.column) return where + ": different checks";
        if (!same_bits(x.value, y.value)) return where + ": values differ";
        if (x.level != y.level) return where + ": severities differ";
        if (x.note != y.note) return where + ": notes differ (\"" + x.note + "\", \"" + y.note + "\")";
        if (auto d = field_difference(x.thresholds, y.thresholds, "thresholds"); !d.empty()) return where + ": " + d;
        if (auto d = field_difference(x.details, y.details, "details"); !d.empty()) return where + ": " + d;
    }
    if (auto d = field_difference(a.inputs, b.inputs, "inputs"); !d.empty()) return d;
    if (a.notes != b.notes) return "run notes differ";
    return "";
}

/// The check named `name` on `column` (nullptr when the report has none).
inline const dg::check* find_check(const dg::report& r, const std::string& name, const std::string& column = "") {
    for (const auto& c : r.checks)
        if (c.name == name && (column.empty() || c.column == column)) return &c;
    return nullptr;
}

/// How many checks named `name` on `column` the report has.
inline std::size_t count_checks(const dg::report& r, const std::string& name, const std::string& column = "") {
    std::size_t n = 0;
    for (const auto& c : r.checks) n += c.name == name && (column.empty() || c.column == column);
    return n;
}

/// A numeric raw column.
inline dg::raw_column numbers(std::string name, std::vector<double> values, dg::value_type type = dg::value_type::number) {
    dg::raw_column c;
    c.name = std::move(name);
    c.type = type;
    c.values = std::move(values);
    return c;
}

/// A text raw column from its cells in row order (nullopt = missing): one category entry per cell.
inline dg::raw_column texts(std::string name, const std::vector<std::optional<std::string>>& cells) {
    dg::raw_column c;
    c.name = std::move(name);
    c.type = dg::value_type::text;
    for (const auto& cell : cells) {
        if (!cell) {
            ++c.categories.missing;
            continue;
        }
        c.categories.names.push_back(*cell);
        c.categories.counts.push_back(1);
    }
    return c;
}

/// A profile of the given columns (header = their names, in order, plus `extra_header`).
inline dg::profile profile_of(std::vector<dg::raw_column> columns, std::uint64_t rows, const std::string& source = "test",
                              std::vector<std::string> extra_header = {}) {
    dg::profile p;
    p.meta.source = source;
    p.meta.rows = rows;
    p.meta.created = 1700000000;
    for (auto& c : columns) {
        p.header.push_back(c.name);
        p.columns.push_back(dg::profile_column(std::move(c)));
    }
    for (auto& h : extra_header) p.header.push_back(std::move(h));
    return p;
}

} // namespace profile_support
