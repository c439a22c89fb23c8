// driftgate CLI — the CSV reader's shared text helpers: see csv_text.hpp.
#include "csv_text.hpp"

#include <algorithm>

namespace driftgate::cli::csv_impl {
namespace {

/// Length of the valid UTF-8 sequence starting at s[i] (1..4), or 0 if the bytes there are not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3;
    else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4;
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogates
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // beyond U+10FFFF
    return n;
}

} // namespace

std::string show(std::string_view s, std::size_t max_bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    std::size_t i = 0;
    for (; i < s.size() && i < max_bytes;) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8_length(s, i); n != 0) {
                out.append(s.substr(i, n));
                i += n;
                continue;
            }
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c >= 0x7F) {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
    if (i < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
    return out;
}

std::string column_label(const std::vector<std::string>& header, std::size_t j) {
    return "column " + show(header[j], 60);
}

void data_error(const std::string& message) { throw cli_error(exit_code::data, message); }

std::size_t line_of(std::string_view text, std::size_t pos) {
    pos = std::min(pos, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

std::string where(const std::string& name, std::string_view text, std::size_t pos, std::size_t col) {
    return name + ":" + std::to_string(line_of(text, pos)) + ":" + std::to_string(col) + ": ";
}

std::string unescape_quotes(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        out += s[i];
        if (s[i] == '"') ++i;  // the second of a doubled quote
    }
    return out;
}

void check_delimiter(char d) {
    if (d == '"' || d == '\n' || d == '\r')
        throw cli_error(exit_code::usage, "CSV delimiter " + show(std::string_view(&d, 1)) + " is not allowed");
}

} // namespace driftgate::cli::csv_impl
