// driftgate CLI — the CSV reader's header record: see csv_header.hpp; and read_csv_header.
#include "csv.hpp"
#include "csv_header.hpp"
#include "csv_text.hpp"
#include "decompress.hpp"
#include "file_bytes.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <unordered_map>
#include <utility>

namespace driftgate::cli {
namespace csv_impl {

namespace {

/// A kind of file that is not CSV text, recognised by its first bytes.
struct not_csv {
    std::string_view magic;
    const char* what;  // the message after "FILE: ", with FILE standing for the path
};

/// Longer signatures first (UTF-32 LE begins as UTF-16 LE does).
constexpr not_csv signatures[] = {
    {std::string_view("\xFF\xFE\x00\x00", 4),
     "UTF-32 text; convert it to UTF-8 first, e.g. iconv -f UTF-32 -t UTF-8 FILE > FILE.csv"},
    {std::string_view("\x00\x00\xFE\xFF", 4),
     "UTF-32 text; convert it to UTF-8 first, e.g. iconv -f UTF-32 -t UTF-8 FILE > FILE.csv"},
    {std::string_view("\xFF\xFE", 2),
     "UTF-16 text (Excel's \"Unicode text\"); convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.csv"},
    {std::string_view("\xFE\xFF", 2),
     "UTF-16 text (Excel's \"Unicode text\"); convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.csv"},
    {std::string_view("\xFD\x37\x7A\x58\x5A\x00", 6), "xz-compressed (decompress it first, e.g. xzcat FILE > FILE.csv)"},
    {std::string_view("\x04\x22\x4D\x18", 4), "lz4-compressed (decompress it first, e.g. lz4cat FILE > FILE.csv)"},
    {std::string_view("PK\x03\x04", 4), "a ZIP archive (an Excel workbook?), not CSV text; export the sheet as CSV"},
    {std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
     "an OLE2 compound file (an Excel 97-2003 workbook?), not CSV text; export the sheet as CSV"},
    {std::string_view("SQLite format 3\0", 16), "an SQLite database, not CSV text; export the table as CSV"},
    {std::string_view("\x7F" "ELF", 4), "an executable (ELF) file, not CSV text (the wrong file?)"},
    {std::string_view("ARROW1\0\0", 8),
     "an Arrow IPC (Feather) file, not CSV text; write it as CSV, e.g. pandas.read_feather('FILE').to_csv('FILE.csv', "
     "index=False)"},
};

/// When the file `name` is itself gzip or zstd data (its first bytes on disk), so that the text
/// checked was decompressed from it: the tool that undoes that layer ("zcat", "zstdcat") and the
/// compression's name. {nullptr, nullptr} for a plain file, standard input or an unreadable path.
std::pair<const char*, const char*> outer_compression(const std::string& name) {
    if (name == "-") return {nullptr, nullptr};
    std::ifstream in(name, std::ios::binary);
    char first[magic_bytes] = {};
    in.read(first, sizeof first);
    switch (detect_compression(std::string_view(first, static_cast<std::size_t>(in.gcount())))) {
    case compression::gzip: return {"zcat", "gzip"};
    case compression::zstd: return {"zstdcat", "zstd"};
    default: return {nullptr, nullptr};
    }
}

/// Throws for text that is not CSV: compressed, an archive, UTF-16 or UTF-32 (with a byte-order
/// mark, or ASCII text with every other byte zero). Text decompressed from the file that is
/// compressed again (a .csv.gz.zst) is told so, with both tools in the example.
void check_not_binary(std::string_view text, const std::string& name) {
    auto fail = [&](std::string what) {
        if (const auto [tool, outer] = outer_compression(name); tool != nullptr) {
            // "KIND (... e.g. TOOL FILE > FILE.csv)" -> "KIND inside OUTER (... e.g. OUTERTOOL FILE | TOOL > FILE.csv)"
            const std::size_t kind_end = std::min({what.find(" ("), what.find(';'), what.find(','), what.size()});
            what.insert(kind_end, std::string(" inside ") + outer + " compression");
            const std::size_t eg = what.find("e.g. "), file = what.find(" FILE > FILE.csv");
            if (eg != std::string::npos && file != std::string::npos && file > eg)
                what = what.substr(0, eg + 5) + tool + " FILE | " + what.substr(eg + 5, file - eg - 5) + " > FILE.csv" +
                       what.substr(file + 16);
        }
        for (std::size_t at = what.find("FILE"); at != std::string::npos; at = what.find("FILE", at + name.size()))
            what.replace(at, 4, name);
        data_error(name + ": " + what);
    };
    // gzip and zstd as the file reader recognises them (decompress.hpp; a zstd stream may start
    // with a skippable frame): text in memory is not decompressed.
    const compression packed = detect_compression(text.substr(0, magic_bytes));
    if (packed == compression::gzip) fail("gzip-compressed (decompress it first, e.g. zcat FILE > FILE.csv)");
    if (packed == compression::zstd) fail("zstd-compressed (decompress it first, e.g. zstdcat FILE > FILE.csv)");
    for (const not_csv& s : signatures)
        if (text.substr(0, s.magic.size()) == s.magic) fail(s.what);
    // bzip2: "BZh", the block size 1-9, then the block signature (the digits of pi).
    if (text.size() >= 10 && text.substr(0, 3) == "BZh" && text[3] >= '1' && text[3] <= '9' &&
        text.substr(4, 6) == std::string_view("\x31\x41\x59\x26\x53\x59", 6))
        fail("bzip2-compressed (decompress it first, e.g. bzcat FILE > FILE.csv)");
    // ASCII as UTF-16 without a byte-order mark: the zero byte second (little-endian) or first
    // (big-endian) in each pair.
    const bool little = text.size() >= 4 && text[0] != 0 && text[1] == 0 && text[2] != 0 && text[3] == 0;
    const bool big = text.size() >= 4 && text[0] == 0 && text[1] != 0 && text[2] == 0 && text[3] != 0;
    if (little || big)
        fail(std::string("UTF-16 text without a byte-order mark, it seems (every other byte is zero); convert it to UTF-8 "
                         "first, e.g. iconv -f ") + (little ? "UTF-16LE" : "UTF-16BE") + " -t UTF-8 FILE > FILE.csv");
    // Parquet: "PAR1", then a page header's binary bytes (a header named PAR1 is followed by a
    // delimiter, a quote or a line end, all printable or white space).
    if (text.size() >= 5 && text.substr(0, 4) == "PAR1" && static_cast<unsigned char>(text[4]) < 0x20 &&
        text[4] != '\t' && text[4] != '\r' && text[4] != '\n')
        fail("a Parquet file, not CSV text; write it as CSV, e.g. pandas.read_parquet('FILE').to_csv('FILE.csv', "
             "index=False)");
}

} // namespace

header_record parse_header_record(std::string_view text, const std::string& name, char delim) {
    check_delimiter(delim);
    check_not_binary(text, name);
    if (header_record_end(text.substr(0, max_header_bytes + 1)) == std::string::npos && text.size() > max_header_bytes)
        header_too_long(name);
    const char* const base = text.data();
    const char* const fin = base + text.size();
    const char* p = base + bom_size(text);
    if (rest_blank(p, fin)) data_error(name + ": the file is empty (no header row)");
    if (is_line_end(p, fin)) data_error(name + ":1:1: the first line is blank; the header row must come first");
    header_record h;
    std::vector<std::size_t> starts;  // where each name starts, for the duplicate's place
    auto at = [&](const char* q) {
        return where(name, text, static_cast<std::size_t>(q - base), h.names.size() + 1);
    };
    for (;;) {
        starts.push_back(static_cast<std::size_t>(p - base));
        if (p < fin && *p == '"') {
            const char* q = p + 1;
            bool doubled = false;
            for (;;) {
                q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(fin - q)));
                if (q == nullptr) data_error(at(p) + "unterminated quote in the header (the quote opened here is never closed)");
                if (q + 1 < fin && q[1] == '"') {
                    q += 2;
                    doubled = true;
                    continue;
                }
                break;
            }
            const std::string_view content(p + 1, static_cast<std::size_t>(q - p - 1));
            if (q + 1 < fin && q[1] != delim && !is_line_end(q + 1, fin))
                data_error(at(q + 1) + "unexpected " + show(std::string_view(q + 1, 1)) +
                           " after a closing quote in the header (expected the delimiter or the end of the line)");
            h.names.push_back(doubled ? unescape_quotes(content) : std::string(content));
            p = q + 1;
        } else {
            const char* q = p;
            while (q < fin && *q != delim && *q != '\n' && *q != '"') ++q;
            if (q < fin && *q == '"')
                data_error(at(q) + "a quote inside an unquoted header name (quote the whole name and double the quote)");
            std::string_view content(p, static_cast<std::size_t>(q - p));
            if (q < fin && *q == '\n' && !content.empty() && content.back() == '\r') content.remove_suffix(1);
            // A carriage return that ends no line: lines that end with CR alone (classic Mac OS,
            // old Excel exports), so that the whole file reads as one line.
            if (const std::size_t cr = content.find('\r'); cr != std::string_view::npos)
                data_error(at(p + cr) + "the lines end with a carriage return alone (classic Mac OS, old Excel); "
                                        "convert the line ends first, e.g. tr '\\r' '\\n' < " + name + " > " + name + ".csv");
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
    seen.reserve(h.names.size());
    for (std::size_t j = 0; j < h.names.size(); ++j) {
        // A NUL byte in a name: binary data read as text (no configuration could name the column).
        if (h.names[j].find('\0') != std::string::npos)
            data_error(where(name, text, starts[j], j + 1) + "a NUL byte in the header: binary data, not CSV text (the wrong file?)");
        const auto [it, fresh] = seen.emplace(h.names[j], j);
        if (!fresh)
            data_error(where(name, text, starts[j], j + 1) + "duplicate column name " + show(h.names[j], 60) +
                       " (also column " + std::to_string(it->second + 1) + ")");
    }
    return h;
}

} // namespace csv_impl

std::vector<std::string> parse_csv_header(std::string_view text, const std::string& name, const csv_options& options) {
    return csv_impl::parse_header_record(text, name, options.delimiter).names;
}

std::vector<std::string> read_csv_header(const std::string& path, const csv_options& options) {
    csv_impl::check_delimiter(options.delimiter);
    csv_impl::file_bytes file(path, /*map=*/false);
    file.read_header();  // until the header record is complete (an LF outside quotes) or the file ends
    return parse_csv_header(file.text(), path, options);
}

} // namespace driftgate::cli
