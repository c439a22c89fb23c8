// driftgate CLI — the CSV reader's shared text helpers (internal): the small predicates of the
// CSV syntax that the header and the record parsers both use, and the quoting of file text and
// places in error messages. Not part of the reader's interface (csv.hpp).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "exit_codes.hpp"

namespace driftgate::cli::csv_impl {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);
inline constexpr double missing_value = std::numeric_limits<double>::quiet_NaN();

// ---- syntax -----------------------------------------------------------------------------------

/// True when a record ends at p: LF, or CR LF.
inline bool is_line_end(const char* p, const char* fin) {
    return p < fin && (*p == '\n' || (*p == '\r' && p + 1 < fin && p[1] == '\n'));
}

/// True when [p, fin) holds only line ends: trailing blank lines.
inline bool rest_blank(const char* p, const char* fin) {
    while (p < fin) {
        if (*p == '\n') ++p;
        else if (*p == '\r' && p + 1 < fin && p[1] == '\n') p += 2;
        else return false;
    }
    return true;
}

/// Bytes of a UTF-8 byte-order mark at the start of the text (3), or 0.
inline std::size_t bom_size(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

/// The content of a quoted field that held doubled quotes, with each pair made one quote.
std::string unescape_quotes(std::string_view s);

/// Throws cli_error(exit_code::usage) for a delimiter that cannot be one ('"', CR, LF).
void check_delimiter(char d);

// ---- messages ---------------------------------------------------------------------------------

/// The text in double quotes, safe to print: at most `max_bytes` of it, control characters,
/// quotes, backslashes and invalid UTF-8 escaped, "..." and the full length when truncated.
std::string show(std::string_view s, std::size_t max_bytes = 40);

/// `column "NAME"` for the header column j (0-based).
std::string column_label(const std::vector<std::string>& header, std::size_t j);

/// Throws cli_error(exit_code::data, message).
[[noreturn]] void data_error(const std::string& message);

/// 1-based physical line of byte offset `pos`: one plus the line feeds before it. O(pos).
std::size_t line_of(std::string_view text, std::size_t pos);

/// "NAME:LINE:COL: " for byte offset `pos` of the text, in the 1-based column `col`: the place
/// every error about the content of a file starts with.
std::string where(const std::string& name, std::string_view text, std::size_t pos, std::size_t col);

} // namespace driftgate::cli::csv_impl
