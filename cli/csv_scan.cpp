// driftgate CLI — a one-thread walk over the cells of one column: see csv_scan.hpp.
#include "csv_scan.hpp"
#include "csv_text.hpp"

#include <cstring>

namespace driftgate::cli::csv_impl {
namespace {

/// The field at p: its content (in `content`, or `owned` when doubled quotes were made one) and
/// its end, or nullptr when it is malformed.
const char* read_field(const char* p, const char* fin, char delim, std::string_view& content, std::string& owned) {
    if (p < fin && *p == '"') {
        const char* q = p + 1;
        bool doubled = false;
        for (;;) {
            q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(fin - q)));
            if (q == nullptr) return nullptr;
            if (q + 1 < fin && q[1] == '"') {
                q += 2;
                doubled = true;
                continue;
            }
            break;
        }
        content = std::string_view(p + 1, static_cast<std::size_t>(q - p - 1));
        if (doubled) {
            owned = unescape_quotes(content);
            content = owned;
        }
        const char* const after = q + 1;
        if (after < fin && *after != delim && !is_line_end(after, fin)) return nullptr;
        return after;
    }
    const char* q = p;
    while (q < fin && *q != delim && *q != '\n' && *q != '"') ++q;
    if (q < fin && *q == '"') return nullptr;
    content = std::string_view(p, static_cast<std::size_t>(q - p));
    if (q < fin && *q == '\n' && !content.empty() && content.back() == '\r') content.remove_suffix(1);
    return q;
}

} // namespace

std::string field_at(std::string_view text, std::size_t pos, char delim) {
    std::string_view content;
    std::string owned;
    if (pos > text.size() || read_field(text.data() + pos, text.data() + text.size(), delim, content, owned) == nullptr)
        return {};
    return std::string(content);
}

void for_each_cell(std::string_view text, std::size_t begin, char delim, std::size_t ncols, std::size_t j,
                   const std::function<bool(std::size_t, std::string_view)>& f) {
    const char* const base = text.data();
    const char* const fin = base + text.size();
    const char* p = base + begin;
    std::string owned;
    while (p < fin && !is_line_end(p, fin)) {
        for (std::size_t i = 0;; ++i) {
            const char* const start = p;
            std::string_view content;
            p = read_field(p, fin, delim, content, owned);
            if (p == nullptr) return;
            if (i == j && !f(static_cast<std::size_t>(start - base), content)) return;
            if (p < fin && *p == delim) {
                if (i + 1 == ncols) return;
                ++p;
                continue;
            }
            if (i + 1 < ncols) return;
            if (p < fin) p += (*p == '\r') ? 2 : 1;
            break;
        }
    }
}

} // namespace driftgate::cli::csv_impl
