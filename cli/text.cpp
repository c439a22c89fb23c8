#include "text.hpp"

#include <cctype>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace driftgate::cli {
namespace {

/// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when the byte there does not
/// start one (Unicode 15, table 3-7).
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i + k < s.size() && b(i + k) >= lo && b(i + k) <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

bool is_control(unsigned char c) noexcept { return c < 0x20 || c == 0x7F; }

void append_control(std::string& out, unsigned char c) {
    switch (c) {
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default: out += fmt::format("\\x{:02X}", c);
    }
}

bool ascii_alnum(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

} // namespace

bool valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string repair_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(s[i]));
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string escape_control(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_control(c))
            append_control(out, c);
        else
            out += ch;
    }
    return out;
}

std::string escape_markdown(std::string_view s) {
    const std::string t = escape_control(s);
    std::string out;
    out.reserve(t.size() + 8);
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        bool esc = false;
        switch (c) {
        case '\\': case '`': case '*': case '[': case ']': case '|': case '~': case '#':
            esc = true;
            break;
        case '<': // raw HTML or an autolink starts with < and a letter, /, ! or ?
            esc = i + 1 < t.size() && (std::isalpha(static_cast<unsigned char>(t[i + 1])) || t[i + 1] == '/' ||
                                       t[i + 1] == '!' || t[i + 1] == '?');
            break;
        case '&': // an entity or a numeric character reference
            esc = i + 1 < t.size() && (std::isalpha(static_cast<unsigned char>(t[i + 1])) || t[i + 1] == '#');
            break;
        case '_':
            // Between two letters or digits an underscore can neither open nor close emphasis.
            esc = !(i > 0 && i + 1 < t.size() && ascii_alnum(t[i - 1]) && ascii_alnum(t[i + 1]));
            break;
        default: break;
        }
        if (esc) out += '\\';
        out += c;
    }
    return out;
}

std::string escape_markup(std::string_view s, bool keep_line_feeds) {
    std::string out;
    out.reserve(s.size() + 8);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        const auto c = static_cast<unsigned char>(ch);
        // U+FFFE and U+FFFF (EF BF BE, EF BF BF): well-formed UTF-8, but no XML 1.0 character.
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE) {
            out += static_cast<unsigned char>(s[i + 2]) == 0xBE ? "\\uFFFE" : "\\uFFFF";
            i += 2;
            continue;
        }
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            if (ch == '\n' && keep_line_feeds)
                out += ch;
            else if (is_control(c))
                append_control(out, c);
            else
                out += ch;
        }
    }
    return out;
}

std::string escape_label_value(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 4);
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == '\\')
            out += "\\\\";
        else if (ch == '"')
            out += "\\\"";
        else if (ch == '\n')
            out += "\\n";
        else if (is_control(c))
            out += fmt::format("\\\\x{:02X}", c);
        else
            out += ch;
    }
    return out;
}

std::string human_number(double v) {
    if (std::isnan(v)) return "n/a";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    if (v == 0.0) return "0";
    const double a = std::fabs(v);
    if (a >= 1e-4 && a < 1e7) return fmt::format("{:.4g}", v);
    return fmt::format("{:.3e}", v);
}

std::string human_bound(double v) {
    if (std::isfinite(v) && std::fabs(v) < 1e6) {
        const double cents = v * 100.0;
        if (cents == std::round(cents) && std::fabs(v) < 1.0 && v != 0.0) return fmt::format("{:.2f}", v);
    }
    return human_number(v);
}

std::string exact_number(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v < 0 ? "-Inf" : "+Inf";
    return fmt::format("{}", v);
}

std::string rfc3339_utc(std::int64_t seconds, long nanoseconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (nanoseconds > 0) {
        std::string frac = fmt::format("{:09}", nanoseconds);
        while (!frac.empty() && frac.back() == '0') frac.pop_back();
        out += "." + frac;
    }
    return out + "Z";
}

} // namespace driftgate::cli
