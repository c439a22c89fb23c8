// driftgate — a report as JSON, without a JSON library: the shape of the CLI's `--format json`
// (README: "JSON output"), so that a service that embeds driftgate logs what the CLI prints.
//
//   std::puts(driftgate::json_text(driftgate::to_field(report)).c_str());
//
// Numbers are written as the shortest text that reads back as the same double (std::to_chars),
// so a JSON parser recovers every figure bit for bit; NaN and infinities are written as null
// (JSON has no spelling for them: the report's fields already spell open bin edges "inf"/"-inf").
// Texts are escaped as JSON requires; bytes that are not valid UTF-8 are replaced by U+FFFD.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "driftgate/report.hpp"
#include "driftgate/severity.hpp"

namespace driftgate {
inline namespace v0 {

namespace detail {

/// Length of the valid UTF-8 sequence at s[i] (1..4), or 0 when the bytes there are not one.
[[nodiscard]] inline std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07;
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    // Overlong forms, surrogates and code points beyond U+10FFFF are not valid UTF-8.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

inline void json_string(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) {
            const std::size_t n = utf8_sequence(s, i);
            if (n == 0) {
                out += "\xEF\xBF\xBD";  // U+FFFD
                ++i;
            } else {
                out.append(s.data() + i, n);
                i += n;
            }
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (u < 0x20) {
                static constexpr char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 15];
            } else {
                out += c;
            }
        }
        ++i;
    }
    out += '"';
}

inline void json_number(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    std::array<char, 32> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d);
    out.append(buf.data(), r.ptr);
}

inline void json_write(std::string& out, const field& f, int indent, int depth) {
    auto newline = [&](int d) {
        if (indent < 0) return;
        out += '\n';
        out.append(static_cast<std::size_t>(indent * d), ' ');
    };
    switch (f.type()) {
    case field::kind::null: out += "null"; return;
    case field::kind::boolean: out += f.as_bool() ? "true" : "false"; return;
    case field::kind::integer: out += std::to_string(f.as_int()); return;
    case field::kind::unsigned_integer: out += std::to_string(f.as_uint()); return;
    case field::kind::number: json_number(out, f.as_double()); return;
    case field::kind::text: json_string(out, f.as_text()); return;
    case field::kind::list: {
        const auto& l = f.as_list();
        if (l.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        for (std::size_t i = 0; i < l.size(); ++i) {
            if (i) out += ',';
            newline(depth + 1);
            json_write(out, l[i], indent, depth + 1);
        }
        newline(depth);
        out += ']';
        return;
    }
    case field::kind::table: {
        const auto& t = f.as_table();
        if (t.empty()) {
            out += "{}";
            return;
        }
        out += '{';
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (i) out += ',';
            newline(depth + 1);
            json_string(out, t[i].first);
            out += indent < 0 ? ":" : ": ";
            json_write(out, t[i].second, indent, depth + 1);
        }
        newline(depth);
        out += '}';
        return;
    }
    }
}

} // namespace detail

/// A field as JSON text: `indent` spaces per level (a negative indent: one line). O(size).
[[nodiscard]] inline std::string json_text(const field& f, int indent = 2) {
    std::string out;
    detail::json_write(out, f, indent, 0);
    return out;
}

/// One check as the JSON object of the CLI's report: section, check, column, segment and window
/// (each when there is one), value (null when undefined), severity, thresholds, note (when there is one), then its
/// details' fields.
[[nodiscard]] inline field to_field(const check& c) {
    field f = field::make_table({{"section", c.section}, {"check", c.name}});
    if (!c.column.empty()) f.set("column", c.column);
    if (!c.segment.empty()) f.set("segment", c.segment);
    if (!c.window.empty()) f.set("window", c.window);
    f.set("value", std::isfinite(c.value) ? field(c.value) : field());
    f.set("severity", to_string(c.level));
    f.set("thresholds", c.thresholds);
    if (!c.note.empty()) f.set("note", c.note);
    if (c.details.is_table())
        for (const auto& [k, v] : c.details.as_table()) f.set(k, v);
    return f;
}

/// A report's own part of the CLI's JSON document: command, status (info counts as ok), inputs,
/// summary (checks per severity), checks and notes.
[[nodiscard]] inline field to_field(const report& r) {
    std::size_t n[4] = {0, 0, 0, 0};
    field checks = field::make_list();
    for (const auto& c : r.checks) {
        ++n[static_cast<int>(c.level)];
        checks.push_back(to_field(c));
    }
    const severity s = r.status() == severity::info ? severity::ok : r.status();
    field notes = field::make_list();
    for (const auto& x : r.notes) notes.push_back(x);
    return field::make_table({{"command", r.command},
                              {"status", to_string(s)},
                              {"inputs", r.inputs},
                              {"summary", field::make_table({{"ok", n[0]}, {"info", n[1]}, {"warning", n[2]}, {"critical", n[3]}})},
                              {"checks", std::move(checks)},
                              {"notes", std::move(notes)}});
}

} // namespace v0
} // namespace driftgate
