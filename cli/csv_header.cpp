// driftgate CLI — the CSV reader's header record: see csv_header.hpp; and read_csv_header.
#include "csv.hpp"
#include "csv_header.hpp"
#include "csv_text.hpp"
#include "file_bytes.hpp"

#include <cstring>
#include <unordered_map>

namespace driftgate::cli {
namespace csv_impl {

header_record parse_header_record(std::string_view text, const std::string& name, char delim) {
    check_delimiter(delim);
    const char* const base = text.data();
    const char* const fin = base + text.size();
    const char* p = base + bom_size(text);
    if (rest_blank(p, fin)) data_error(name + ": the file is empty (no header row)");
    if (is_line_end(p, fin)) data_error(name + ":1: the first line is blank; the header row must come first");
    auto at = [&](const char* q) { return where(name, text, static_cast<std::size_t>(q - base)); };
    header_record h;
    for (;;) {
        const std::string field_no = std::to_string(h.names.size() + 1);
        if (p < fin && *p == '"') {
            const char* q = p + 1;
            bool doubled = false;
            for (;;) {
                q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(fin - q)));
                if (q == nullptr)
                    data_error(at(p) + "header field " + field_no +
                               ": unterminated quoted field (the quote opened here is never closed)");
                if (q + 1 < fin && q[1] == '"') {
                    q += 2;
                    doubled = true;
                    continue;
                }
                break;
            }
            const std::string_view content(p + 1, static_cast<std::size_t>(q - p - 1));
            h.names.push_back(doubled ? unescape_quotes(content) : std::string(content));
            p = q + 1;
            if (p < fin && *p != delim && !is_line_end(p, fin))
                data_error(at(p) + "header field " + field_no + ": unexpected " + show(std::string_view(p, 1)) +
                           " after a closing quote (expected the delimiter or the end of the line)");
        } else {
            const char* q = p;
            while (q < fin && *q != delim && *q != '\n' && *q != '"') ++q;
            if (q < fin && *q == '"')
                data_error(at(q) + "header field " + field_no +
                           ": a quote inside an unquoted field (quote the whole field and double the quote)");
            std::string_view content(p, static_cast<std::size_t>(q - p));
            if (q < fin && *q == '\n' && !content.empty() && content.back() == '\r') content.remove_suffix(1);
            h.names.emplace_back(content);
            p = q;
        }
        if (p < fin && *p == delim) {
            ++p;
            continue;
        }
        if (p < fin) p += (*p == '\r') ? 2 : 1;
        break;
    }
    h.data_begin = static_cast<std::size_t>(p - base);
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t j = 0; j < h.names.size(); ++j) {
        const auto [it, fresh] = seen.emplace(h.names[j], j);
        if (!fresh)
            data_error(name + ":1: duplicate column name " + show(h.names[j], 60) + " (columns " +
                       std::to_string(it->second + 1) + " and " + std::to_string(j + 1) + ")");
    }
    return h;
}

} // namespace csv_impl

std::vector<std::string> parse_csv_header(std::string_view text, const std::string& name, const csv_options& options) {
    return csv_impl::parse_header_record(text, name, options.delimiter).names;
}

std::vector<std::string> read_csv_header(const std::string& path, const csv_options& options) {
    csv_impl::check_delimiter(options.delimiter);
    csv_impl::file_bytes file(path, /*whole=*/false);
    // Read blocks until the header record is complete (an LF outside quotes) or the file ends.
    bool inside = false;
    std::size_t scanned = 0;
    for (;;) {
        const bool more = file.read_more(path, std::size_t{64} << 10);
        const std::string_view t = file.text();
        bool complete = false;
        for (; scanned < t.size(); ++scanned) {
            if (t[scanned] == '"') inside = !inside;
            else if (t[scanned] == '\n' && !inside) {
                complete = true;
                break;
            }
        }
        if (complete || !more) return parse_csv_header(t, path, options);
    }
}

} // namespace driftgate::cli
