// driftgate CLI — text helpers shared by the renderers: UTF-8 validity, escaping for each output
// language (terminal text, Markdown, HTML/XML, Prometheus label values) and the spelling of
// numbers and times. Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace driftgate::cli {

/// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
[[nodiscard]] bool valid_utf8(std::string_view s) noexcept;

/// `s` with every byte that is not part of a well-formed UTF-8 sequence written as the four
/// characters \xNN (upper-case hexadecimal); `s` itself when it is valid.
[[nodiscard]] std::string repair_utf8(std::string_view s);

/// `s` with control characters (U+0000–U+001F, U+007F) written visibly: \n, \r, \t, else \xNN.
/// For names shown in text, tables and markup, where a raw control character would break the
/// layout or be invisible.
[[nodiscard]] std::string escape_control(std::string_view s);

/// Text for a Markdown (CommonMark / GitHub Flavored Markdown) table cell or paragraph: control
/// characters escaped, then every character that could start markup preceded by a backslash:
/// \ ` * [ ] | ~ #, < before a letter, / ! or ? (HTML), & before a letter or # (an entity), _
/// where it could open or close emphasis. A table cell stays one cell; > is markup only at the
/// start of a line, where escaped text never is.
[[nodiscard]] std::string escape_markdown(std::string_view s);

/// Text for HTML or XML content and attribute values (& < > " ' as entities), with control
/// characters escaped first (XML 1.0 allows none but tab, line feed and carriage return, which
/// are escaped too so that a name stays on one line, unless `keep_line_feeds`: element content
/// of several lines), and the noncharacters U+FFFE and U+FFFF, which XML 1.0 excludes, written
/// "\uFFFE" and "\uFFFF".
[[nodiscard]] std::string escape_markup(std::string_view s, bool keep_line_feeds = false);

/// A Prometheus label value in the text exposition format: \ " and line feed escaped as the
/// format requires, other control characters written as \xNN text (the backslash escaped).
[[nodiscard]] std::string escape_label_value(std::string_view s);

/// A number for people: 4 significant digits, scientific notation outside [1e-4, 1e7), "n/a" for
/// NaN, "inf"/"-inf".
[[nodiscard]] std::string human_number(double v);

/// A bound for people: 0.1 as "0.10", otherwise as human_number.
[[nodiscard]] std::string human_bound(double v);

/// A number with every bit (shortest round-trip form), as JSON and Prometheus samples need:
/// "NaN", "+Inf", "-Inf" for the special values (Prometheus spelling).
[[nodiscard]] std::string exact_number(double v);

/// Seconds since the Unix epoch as RFC 3339 UTC, e.g. 2025-03-01T06:00:00Z (nanoseconds, when
/// nonzero, as a fraction of up to 9 digits).
[[nodiscard]] std::string rfc3339_utc(std::int64_t seconds, long nanoseconds = 0);

} // namespace driftgate::cli
