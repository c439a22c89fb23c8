// driftgate CLI — the CSV reader: loads the columns of a reference or current snapshot as
// numbers (continuous or discrete; booleans as 1/0) or as categories (text).
//
// Format (RFC 4180, with the choices below written down once):
//   * The first record is the header and is required. Names are taken verbatim (no trimming);
//     duplicate names are an error; an empty name is allowed once.
//   * Fields may be quoted with '"'; inside quotes a doubled quote stands for one quote, and the
//     delimiter, CR and LF are ordinary characters. Quoting is strict: a quote inside an unquoted
//     field, or anything but a delimiter or a line end after a closing quote, is an error.
//   * Records end with LF or CRLF; the last record may lack a line end. A UTF-8 byte-order mark
//     at the very start is skipped. A CR that ends no line in the header is taken for lines that
//     end with CR alone (classic Mac OS, old Excel exports): an error saying so, with a command
//     that converts them; in a data field a lone CR is an ordinary character.
//   * Files, pipes and standard input compressed with gzip or zstd are decompressed as they are
//     read (see Inputs below). Other text that is not CSV is recognised by its first bytes and
//     named in the error (exit 65) with the command that makes it CSV: xz, bzip2, lz4 and ZIP
//     (an Excel workbook) files, gzip and zstd data given to parse_csv (text in memory), UTF-16
//     (Excel's "Unicode text") and UTF-32 with a byte-order mark, and UTF-16 without one when
//     every other byte of the start is zero. They are not decoded: a message that says what the
//     file is and how to convert it, rather than a second reader.
//   * The header record must end within 256 MiB (csv_impl::max_header_bytes): an input without
//     line feeds, such as /dev/zero through a pipe, stops there (exit 65).
//   * Every record must have as many fields as the header. A blank line (no character before its
//     line end) between records is an error; blank lines at the end of the file are ignored.
//     (A one-column file writes an empty value as "", as Python's csv module does.)
//   * The delimiter is configurable: ',' (default), ';', '\t' or any other byte except '"', CR, LF.
//
// Column kinds (column_request::kind; only the requested columns are read, the others are only
// delimited):
//   * number: every cell is a number, a boolean token or a missing-value token. A column whose
//     non-missing cells are all boolean tokens is a boolean column (1 for true, 0 for false;
//     column_info::boolean); a column mixing numbers and boolean tokens is an error naming its
//     first cell whose kind differs from the column's first non-missing cell, in file order:
//     `cur.csv:17:4: column "flag": "True" is a boolean value in a column of numbers (first
//     number at line 2)` (also with bad_as_missing). Any other text is an error naming its cell,
//     or, with column_request::bad_as_missing, a missing value, counted, the first one's place and
//     text kept (column_info::bad_cells, first_bad, first_bad_text).
//   * text: every cell is a category: its text trimmed of spaces and tabs, unquoted (doubled
//     quotes made one), compared byte for byte; a missing-value token is a missing value. The
//     table gives the distinct categories in order of first appearance with their counts, and
//     (unless unordered) one code per record: the index of its category, or
//     text_column::missing_code. The categories are collected per chunk in a hash table and
//     merged in file order, so their order and codes do not depend on the thread count; cost
//     O(cell bytes) expected, whatever the number of categories.
//   * automatic: a number column when every non-missing cell is a number, or every one is a
//     boolean token; otherwise a text column. The column is read as numbers first; one found to
//     be text is read again as text afterwards (a second pass over the file, for those columns
//     only, whose cost is that of reading the file once more: such columns are rare in
//     snapshots).
//
// Values of number columns:
//   * A value is parsed with std::from_chars (locale-independent, correctly rounded: the same
//     double as strtod in the "C" locale), after trimming spaces and tabs around it. Quoted values
//     ("1.5") are accepted. A single leading '+' is accepted ("+1.5"), as strtod and pandas do.
//     Decimal and exponent forms are accepted; hexadecimal is not.
//   * "inf", "infinity" (any case, optionally signed) give ±infinity, as strtod and pandas do;
//     "nan" in any case gives NaN, which the library treats as a missing value.
//   * Missing-value tokens (default: empty, NA, NaN, null) are compared with the trimmed text,
//     ASCII case-insensitively unless csv_options::case_sensitive_missing is set; a match gives
//     NaN. A token may look like a number ("-999"): it is then matched textually before parsing.
//   * Boolean tokens (default: true, yes / false, no; pandas writes True and False) are compared
//     the same way (csv_options::case_sensitive_booleans) and give 1 and 0. Missing tokens are
//     matched first, then numbers, then boolean tokens: a boolean token that reads as a number
//     is a number.
//   * Anything else is an error: `ref.csv:17:3: column "LIMIT_BAL": cannot parse "abc" as a
//     number`.
//
// Errors are thrown as cli_error, each naming its place in one form:
//   * in a record: `FILE:LINE:COL: column "NAME": what`, LINE the 1-based physical line (counting
//     the line feeds inside quoted fields), COL the 1-based column number; about a record as a
//     whole (a blank line, too many fields) `FILE:LINE:COL: what` without a column name;
//   * in the header: `FILE:LINE:COL: what` (LINE is 1 unless a quoted name holds a line feed);
//   * about the file: `FILE: what` (missing, empty, compressed, no such column, ...).
// Names and cell texts in messages are quoted, truncated and escaped (control characters,
// invalid UTF-8). Exit codes: exit_code::no_input (66) for a path that cannot be opened (missing,
// a symlink loop, no permission: the system's words), a directory (`is a directory`), a device
// (`/dev/zero`: `is a character device`), a FIFO nobody opens for writing within 10 seconds, a
// terminal as standard input; exit_code::data (65) for everything about the content (also a
// requested column the header lacks: the message names the setting that asked for it when told
// (column_request::asked_by), lists the columns there are and, when the
// header looks separated by ';' or tabs, ends with `did you mean --delimiter ';'?`);
// exit_code::io (74) for a file changed while it was read (`FILE changed while it was read`:
// truncated under the parse, which would otherwise end the process by SIGBUS, or rewritten);
// exit_code::os_error (71) for a stream too long to hold in memory; exit_code::usage (64) for a
// delimiter that cannot be one ('"', CR, LF). When several errors exist, the first one in file
// order is reported, whatever the thread count.
//
// Inputs (file_bytes.hpp): a regular file is memory-mapped; "-" is standard input, read once
// and kept, so that the header and the columns can both be read from it; a pipe or FIFO is read
// whole into memory (at most half the memory); a file whose size the kernel reports as 0 (/proc)
// is read like a pipe. A gzip or zstd file, pipe or standard input (told by its magic bytes, not
// its name) is decompressed as it is read (decompress.hpp) and parsed as the text it holds:
// LINE:COLUMN in messages are those of the decompressed text; truncated or corrupt compressed
// data is exit_code::data (65), and the decompressed text is bounded as a stream's is. A
// compressed regular file is parsed as it is decompressed, 16 MiB of text at a time, without
// holding its text (csv_pass.hpp, run_pieces); an automatic column found to hold text is read
// again as text from the file decompressed again, in pieces; an error (whose message walks the
// text) makes it be read again whole, so that every message is the same as for the plain file.
//
// Speed: the file is memory-mapped (read into memory when it cannot be mapped, e.g. a pipe); the
// data after the header is cut into one chunk per thread, each starting after the first line
// feed past its nominal offset; each chunk is parsed in place with std::string_view and no
// allocation per field. Each chunk's records are bounded by a guess from the line feeds of its
// first 256 KiB (scaled to the chunk, plus a sixteenth), so every chunk writes its values
// straight to their rows of the final columns; the gaps left by chunks with fewer records are
// closed afterwards. A chunk with more records than its guess stops, and the file is parsed
// again with each chunk's line feeds counted (SSE2), a bound that always holds. Each chunk must
// end where the next begins: when a quoted field holding a line feed spans a boundary it does
// not, and the file is parsed again from boundaries found by quote parity (a parallel pass
// counts quotes). The chunks run on the process's worker pool (parallel.hpp).
// Plain decimals of up to 16 characters are read 16 bytes at a time (SSE2 compares find the
// digits and the dot); longer ones digit by digit, eight at a time where they run on (SWAR),
// then Clinger's fast path or Eisel–Lemire, from_chars when those cannot decide.
// Field ends are found 64 bytes at a time: one SSE2 comparison per 16 bytes marks delimiters,
// line feeds and quotes in a bit mask, and consecutive fields are cut with bit scans.
// The pages of a mapped file are mapped as the passes reach them and dropped (MADV_DONTNEED)
// behind them every 8 MiB, so that the file is never resident whole next to its columns.
// An unordered column of codes has no column: each chunk counts its values as it reads them,
// one-character codes (d, -d) straight into a table of small integers, other values through a
// queue of 256 (in L1 cache) into that table or a 512-slot hash table; the chunks' counts are
// merged at the end. Whether a column is counted is decided from its first 256 records (parsed
// once more beforehand); a chunk that finds more than 256 distinct values keeps the rest of its
// values as they are.
// Results are identical for every thread count. Offsets are 64-bit: files over 4 GiB and lines
// of many MB are fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <driftgate/sample.hpp>

#include "exit_codes.hpp"

namespace driftgate::cli {

namespace csv_impl {
struct table_access;
}

/// How to read a CSV file.
struct csv_options {
    char delimiter = ',';  ///< field separator: ',', ';', '\t', ...
    /// Texts that mean "missing value" (NaN), compared with the field trimmed of spaces and tabs.
    std::vector<std::string> missing_tokens = {"", "NA", "NaN", "null"};
    bool case_sensitive_missing = false;  ///< false: "na", "NULL", "nan" match too (ASCII)
    /// Texts that mean true (1) and false (0) in a number column, compared as missing tokens are.
    std::vector<std::string> true_tokens = {"true", "yes"};
    std::vector<std::string> false_tokens = {"false", "no"};
    bool case_sensitive_booleans = false;  ///< false: "True", "FALSE", "Yes" match too (ASCII)
    /// Threads for parsing. 0 = hardware concurrency, but one thread per 4 MiB of data at most;
    /// any other value is used as given (also on small inputs, which the tests rely on).
    unsigned threads = 0;
};

/// How the cells of a requested column are read (see the file comment).
enum class cell_kind {
    number,     ///< numbers, true/false tokens (as 1/0) and missing tokens; anything else is an
                ///< error naming its cell, or (bad_as_missing) counted as missing
    text,       ///< every non-missing cell is a category: its text trimmed of spaces/tabs, unquoted
    automatic,  ///< number when every non-missing cell is a number, or every one a boolean token; else text
};

/// A column to read.
struct column_request {
    std::string name;                   ///< header name, exactly
    cell_kind kind = cell_kind::number;
    bool unordered = false;       ///< only the multiset of values is needed: a number column of
                                  ///< codes may come back counted, a text column without codes
    bool bad_as_missing = false;  ///< number: a cell that is not a number, boolean or missing token
                                  ///< counts as missing instead of being an error
    std::string asked_by{};       ///< the setting that names the column ("--segment, [segments] columns"):
                                  ///< said, in brackets, in the error for a header without it
};

/// What a loaded column turned out to be.
struct column_info {
    std::string name;                     ///< header name
    std::size_t index = 0;                ///< 1-based position in the header
    cell_kind kind = cell_kind::number;   ///< number or text (an automatic request resolved)
    bool boolean = false;                 ///< number: every non-missing cell a boolean token (1/0)
    std::size_t bad_cells = 0;            ///< number, bad_as_missing: cells read as missing
    std::string first_bad;                ///< the first of those: "FILE:LINE:COL" ("" when none)
    std::string first_bad_text;           ///< its text, quoted and escaped for a message
};

/// A text column: its categories and, unless requested unordered, a code per record.
struct text_column {
    /// codes[i] of a record whose cell is missing.
    static constexpr std::uint32_t missing_code = 0xFFFFFFFFu;
    std::vector<std::string> categories;  ///< distinct non-missing texts, in order of first appearance
    std::vector<std::size_t> counts;      ///< counts[k]: records whose text is categories[k]
    std::size_t missing = 0;              ///< records whose cell is missing
    std::vector<std::uint32_t> codes;     ///< per record: index into categories, or missing_code
                                          ///< (empty when requested unordered)
};

/// What to do with a requested column holding a value that is neither a number nor missing
/// (the interface of the first read_csv overload, kept for its callers).
enum class column_policy {
    require_numeric,   ///< throw cli_error(exit_code::data) naming file, line, column and text
    skip_non_numeric,  ///< drop the column from the result and report it in csv_table::dropped
};

/// A requested column that was dropped under column_policy::skip_non_numeric.
struct csv_dropped_column {
    std::string name;      ///< header name
    std::size_t index;     ///< 1-based position in the header
    std::string reason;    ///< the error that require_numeric would have thrown for it
};

/// The loaded columns of a CSV file. The vectors names, columns, counted, info and text are
/// parallel: entry i describes the loaded column names[i].
struct csv_table {
    std::string path;                          ///< the file as named by the caller
    std::vector<std::string> header;           ///< every column name, in file order
    std::vector<std::string> names;            ///< the loaded columns, in the order requested
    std::vector<std::vector<double>> columns;  ///< number columns: values in row order; NaN = missing
    /// counted[i] holds names[i] counted (its distinct values and their counts, NaN as missing;
    /// columns[i] is then empty): only for a number column requested unordered that holds at
    /// most 256 distinct values (its first records decide whether it is tried: looks_like_codes).
    std::vector<std::optional<counted_sample>> counted;
    std::vector<column_info> info;                 ///< what each loaded column turned out to be
    std::vector<std::optional<text_column>> text;  ///< text columns (columns[i] is then empty)
    std::size_t rows = 0;                      ///< data records (each column has this many values)
    std::vector<csv_dropped_column> dropped;   ///< columns dropped by skip_non_numeric, request order

    /// The values of the number column with this name (loaded in order, not counted), or throws
    /// cli_error(exit_code::usage).
    [[nodiscard]] std::span<const double> column(std::string_view name) const;
    /// The counted form of the column with this name, or nullptr when it was loaded as values or
    /// as text. Throws as column() does for a column not loaded.
    [[nodiscard]] const counted_sample* counts(std::string_view name) const;
    /// The column with this name moved out of the table (left empty), or throws as column() does.
    [[nodiscard]] std::vector<double> take(std::string_view name);
    /// What the loaded column with this name turned out to be; throws as column() does.
    [[nodiscard]] const column_info& info_of(std::string_view name) const;
    /// The text column with this name, or nullptr when it is a number column; throws as column()
    /// does for a column not loaded.
    [[nodiscard]] const text_column* text_of(std::string_view name) const;
    /// The 1-based physical line on which data record i (0-based, the index into the columns)
    /// starts: the header's lines, one per record, and the line feeds inside quoted fields of the
    /// records before it (the reader notes the records holding some). O(log of the number of
    /// such records). For a table not made by the reader: i + 2 (a one-line header).
    [[nodiscard]] std::size_t line_of_record(std::size_t i) const;

private:
    friend struct csv_impl::table_access;
    struct name_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    /// The position in names of each name, built when the table is read (O(1) lookups for files
    /// of many columns); checked against names, which the caller may change, before it is used.
    std::unordered_map<std::string, std::size_t, name_hash, std::equal_to<>> by_name_;
    std::size_t first_line_ = 2;  ///< the line of the first data record
    /// The records holding line feeds in quoted fields, ascending: (record, line feeds inside
    /// quotes in it and in every record before it).
    std::vector<std::pair<std::size_t, std::size_t>> line_breaks_;

    [[nodiscard]] std::size_t index(std::string_view name) const;
    /// index(name) of a column loaded as values; throws cli_error(exit_code::usage) for a counted
    /// or text one.
    [[nodiscard]] std::size_t values_index(std::string_view name) const;
};

/// Starts decompressing the file at `path` on a thread of its own when it is a compressed regular
/// file (gzip, zstd: a plain file is mapped, with nothing to gain), at most 256 MiB of text
/// ahead, for a read_csv of the same path later in the run, which then parses the text
/// decompressed meanwhile: the errors are the same, met when read_csv is called. For a command
/// that reads another file first. O(1) here.
void prefetch_csv(const std::string& path);

/// The header row of the file at `path`: every column name, in order. Reads only as far as the
/// end of the header. Throws as read_csv does for a missing file, an empty file, a malformed or
/// duplicated header. (On a pipe this consumes the stream.)
[[nodiscard]] std::vector<std::string> read_csv_header(const std::string& path, const csv_options& options = {});

/// Reads the file at `path` and the requested columns as column_request says. Every record is
/// checked for structure (field count, quoting), but only requested fields are converted.
/// Requesting a column that does not exist is an error whose message lists the columns that do;
/// a column requested twice is loaded once, at its first place (the requests must agree on kind
/// and bad_as_missing, else cli_error(exit_code::usage); it is unordered only when every request
/// says so). An empty request checks the file and counts its rows. Cost: O(file size), parallel
/// over options.threads, plus one more pass for automatic columns that turn out to be text.
[[nodiscard]] csv_table read_csv(const std::string& path, std::span<const column_request> columns,
                                 const csv_options& options = {});

/// Same as read_csv, on text already in memory; `name` stands for the file in messages.
[[nodiscard]] csv_table parse_csv(std::string_view text, const std::string& name,
                                  std::span<const column_request> columns, const csv_options& options = {});

/// The first interface: number columns. `policy` require_numeric reads each as cell_kind::number;
/// skip_non_numeric reads each as cell_kind::automatic but drops one that is not a number column
/// (csv_table::dropped, with the error require_numeric would have thrown) instead of reading it
/// as text. `unordered` names the requested columns requested unordered.
[[nodiscard]] csv_table read_csv(const std::string& path, std::span<const std::string> columns,
                                 const csv_options& options = {},
                                 column_policy policy = column_policy::require_numeric,
                                 std::span<const std::string> unordered = {});

/// Same as the read_csv above, on text already in memory; `name` stands for the file in messages.
[[nodiscard]] csv_table parse_csv(std::string_view text, const std::string& name, std::span<const std::string> columns,
                                  const csv_options& options = {},
                                  column_policy policy = column_policy::require_numeric,
                                  std::span<const std::string> unordered = {});

/// The column names of a --columns list: comma-separated, each taken verbatim or quoted as a
/// CSV field (`"a,b",score` gives `a,b` and `score`; inside quotes a doubled quote is one quote).
/// Throws cli_error(exit_code::usage) with a plain message for an empty list or name, an
/// unterminated quote, text after a closing quote, and a name given twice. O(length).
[[nodiscard]] std::vector<std::string> parse_column_list(std::string_view list);

/// True when the first 256 values of x (fewer if x is shorter) hold at most 64 distinct ones
/// (bit patterns, NaN aside): a column of codes, likely to have at most 256 distinct values, so
/// counting it beats sorting it. read_csv decides from it which unordered columns to count.
[[nodiscard]] bool looks_like_codes(std::span<const double> x);

/// Same as read_csv_header, on text already in memory.
[[nodiscard]] std::vector<std::string> parse_csv_header(std::string_view text, const std::string& name,
                                                        const csv_options& options = {});

/// "; did you mean --delimiter X?" when the header, split by another common delimiter (';', tab,
/// '|', ','), would have more columns than it has (a semicolon- or tab-separated file read with
/// the default comma), else "".
[[nodiscard]] std::string delimiter_hint(const std::vector<std::string>& header, char delim);

/// Throws cli_error (exit_code::data) when the header of `name` is one column that another
/// common delimiter would split (delimiter_hint): a file separated by ';', tabs or '|' read with ','
/// would otherwise be judged as one column of texts, or profiled as one.
void require_separated(const std::vector<std::string>& header, const std::string& name, char delim);

} // namespace driftgate::cli
