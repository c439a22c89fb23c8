// driftgate CLI — the JSON-lines reader: the scoring API's prediction log (one JSON object per
// line), plain or compressed (gzip, zstd), as the columns the service checks need (instants, latencies,
// statuses, model versions) or as a snapshot table of features and scores.
//
// Format:
//   * One JSON object per line (RFC 8259), lines ending in LF or CRLF; the last line may lack its
//     line end. Lines holding only spaces are skipped (and counted). A UTF-8 byte-order mark at
//     the very start of a file is skipped. Every line is parsed and validated whole (simdjson's
//     DOM parser), not only the fields used: a malformed line is a bad line wherever the damage is.
//   * Fields are named by dotted paths ("prediction.probability" = the key "probability" of the
//     object under "prediction"); a key holding a dot cannot be reached.
//   * Timestamps: RFC 3339 text (driftgate/timestamp.hpp: an offset is required, microseconds
//     kept) or a number of seconds (or milliseconds, service_policy::numeric_timestamp_unit) since
//     the epoch, within the years 0000–9999. Latencies: a finite number >= 0 (ms). Statuses: an
//     integer 100–599. Model versions: a string.
//   * Compression: a file starting with the gzip or zstd magic bytes is decompressed as it is read
//     (decompress.hpp, on a thread of its own), whatever its name; several gzip members or zstd
//     frames one after the other (`cat a.gz b.gz`) are one stream. A file that ends inside a
//     member or frame, corrupt data or a checksum mismatch is an error naming the file and the
//     last good line (exit 65), in both bad-line modes: what follows is unknown.
//
// Bad lines (not JSON, not an object, a missing field, a field of the wrong type, a bad timestamp,
// latency or status): with bad_line_policy::error, the first one in file order stops the read
// with exit 65 and `FILE:LINE:COLUMN: <what is wrong>`; with bad_line_policy::skip, they are counted by
// reason (a few examples kept with their places) for a data-quality check. A place is
// FILE:LINE:COLUMN, COLUMN the 1-based byte of the line where the JSON stops being valid, or
// where the field in question (or the object lacking it) starts.
//
// Memory: each file is streamed through one buffer of 4 MiB (grown only for a longer line, to
// the longest line) and, when compressed, a 256 KiB input buffer and up to 8 MiB of inflated
// blocks (inflated on a thread of its own, side by side with the parsing); what grows with the
// log is only what is kept: 18 bytes per request (instant, latency, status), 22 with versions.
// Errors: a missing or unreadable path is exit 66 (no_input); content is exit 65 (data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <driftgate/service.hpp>

#include "csv.hpp"
#include "input_path.hpp"
#include "exit_codes.hpp"

namespace driftgate::cli {

/// The LOG arguments of a command, expanded: an argument holding *, ? or [ that is not itself
/// an existing path is a shell-style pattern (glob(3), tilde expansion, matches in byte order);
/// a pattern matching nothing is exit 66. "-" is standard input. The same file named twice
/// (also through two patterns) is a usage error (exit 64): its requests would count twice.
[[nodiscard]] std::vector<std::string> expand_log_arguments(std::span<const std::string> args);

/// True when `path` names a JSON-lines log rather than a CSV file: by its name (.jsonl, .ndjson,
/// with or without .gz or .zst) or, for a regular file, by its content: a first non-space byte
/// '{' after an optional byte-order mark, in the file or, for a gzip or zstd file, in the start
/// of its decompressed text; a name ending in .csv, .tsv (or either with .gz, .zst) is never a
/// log. Standard input ("-") is read whole and kept (csv_impl::held_standard_input: its errors are
/// thrown) and judged by the start of its text, decompressed; line_source("-") then reads the kept
/// text. Other pipes and missing files give false (the CSV reader then reports them).
[[nodiscard]] bool is_json_lines(const std::string& path);

/// Longest line of a log (256 MiB, as the CSV reader's longest header): a line without a line feed
/// in that many bytes is an error (exit 65, FILE:LINE:1), not a buffer that grows until memory runs
/// out.
inline constexpr std::size_t max_line_bytes = std::size_t{256} << 20;

/// Reads the lines of one file, plain, gzip or zstd (by its first bytes: decompress.hpp), through
/// a bounded buffer. Directories, terminals and devices are refused (exit 66) before a byte is read.
/// Each line is handed out without its line end and with at least 64 readable bytes after it
/// (the padding simdjson reads past a document).
class line_source {
public:
    /// Opens `path` ("-" = standard input). A compressed stream is decompressed on a thread of its own,
    /// a few MiB ahead of the caller, unless `background` is false. Throws
    /// cli_error(exit_code::no_input) when the file cannot be opened.
    explicit line_source(const std::string& path, bool background = true);
    ~line_source();
    line_source(const line_source&) = delete;
    line_source& operator=(const line_source&) = delete;

    /// The next line, or false at the end of the file. Throws cli_error(exit_code::data) for
    /// corrupt or truncated compressed data, exit_code::no_input for a read error.
    bool next(std::string_view& line);
    /// 1-based number of the line last returned.
    [[nodiscard]] std::uint64_t line_number() const noexcept;
    [[nodiscard]] bool compressed() const noexcept;
    /// Bytes of the file consumed so far, and its size (0 when unknown: a pipe).
    [[nodiscard]] std::uint64_t bytes_read() const noexcept;
    [[nodiscard]] std::uint64_t file_size() const noexcept;
    /// Bytes of lines handed out (after decompression).
    [[nodiscard]] std::uint64_t text_bytes() const noexcept;
    [[nodiscard]] const std::string& path() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

/// One file of a request log as it was read.
struct log_file_info {
    std::string path;
    bool compressed = false;
    std::uint64_t lines = 0;        ///< physical lines
    std::uint64_t blank_lines = 0;  ///< lines of spaces only, skipped
    std::uint64_t requests = 0;     ///< lines kept
    std::uint64_t bad_lines = 0;    ///< lines skipped as bad (skip mode)
    std::uint64_t bytes = 0;        ///< JSON text read (after decompression)
};

/// Bad lines met in skip mode.
struct bad_line_summary {
    std::uint64_t lines = 0;  ///< lines read (bad or not)
    std::uint64_t count = 0;  ///< bad lines
    std::map<std::string, std::uint64_t> by_reason;  ///< a short reason -> lines
    std::vector<std::string> examples;               ///< "FILE:LINE:COLUMN: what", the first max_examples
    static constexpr std::size_t max_examples = 10;
};

/// The columns of a request log that the service checks use (service_data's spans).
struct request_log {
    std::vector<std::int64_t> timestamps;   ///< microseconds since the epoch, UTC
    std::vector<double> latency_ms;
    std::vector<std::uint16_t> status;
    std::vector<std::uint32_t> model_version;   ///< per request (when read), an index into model_versions
    std::vector<std::string> model_versions;    ///< in order of first appearance
    std::vector<log_file_info> files;
    bad_line_summary bad;

    /// The spans of this log for the library.
    [[nodiscard]] service_data data() const;
};

/// Reads the request log in `paths` (in order) with the fields and the bad-line policy of `p`;
/// model versions only when `with_versions`. `progress`: report progress on standard error
/// (the caller decides: only on a terminal). `background`: decompress gzip and zstd files on a second
/// thread. Throws cli_error as described at the top.
[[nodiscard]] request_log read_request_log(std::span<const std::string> paths, const service_policy& p,
                                           bool with_versions, bool progress = false, bool background = true);

/// How a log is read as a snapshot table (features and scores), see read_log_table.
struct log_table_spec {
    std::string input_field = "input";      ///< object whose numeric members are the features
    std::string status_field = "status";    ///< only requests answered 2xx are rows
    /// Table columns read from other fields: column name -> field path (the score column ->
    /// "prediction.probability", the label column -> the label field).
    std::vector<std::pair<std::string, std::string>> mapped;
    bad_line_policy on_bad_line = bad_line_policy::error;
    /// A compressed log decompressed on a thread of its own (line_source); false with `--threads 1`.
    bool background = true;
};

/// The snapshot spec of a configuration: features under p.input_field, the score column
/// `score_column` read from p.score_field and the label column from p.label_field (when both are
/// set).
[[nodiscard]] log_table_spec snapshot_spec(const service_policy& p, const std::optional<std::string>& score_column,
                                           const std::optional<std::string>& label_column);

/// The column names of a log read as a snapshot: the members of the input object of its first
/// request answered 2xx, in order, then each mapped column whose field that request has.
/// Throws cli_error(exit_code::data) when the log has no such request.
[[nodiscard]] std::vector<std::string> read_log_header(const std::string& path, const log_table_spec& spec);

/// Reads a log as a snapshot table, the same type the CSV reader returns: one row per request
/// answered 2xx (other requests carry no prediction: they are counted in *other_status),
/// `columns` as doubles. A feature column N is the member N of the input object; a mapped
/// column its field path. JSON null, or a member absent from a line, is a missing value (NaN);
/// true/false are 1/0; a string, object or array is not a number: under
/// column_policy::require_numeric an error `FILE:LINE:COLUMN: field "input.N" is a string ("abc"), not
/// a number`, under skip_non_numeric the column is dropped with that reason (csv_table::dropped),
/// as the CSV reader does. A requested column no line has is an error listing the columns of
/// read_log_header. Bad lines as in read_request_log (the status field is required); in skip
/// mode they are counted in *bad. `row_lines`, when given, receives the line of each row.
/// The columns named in `text_columns` are read as categories instead (csv_table::text_of: the
/// distinct texts and their counts, no codes): a string is its text, a number or boolean its JSON
/// text (`3`, `2.5`, `true`: what a CSV cell would hold), null or an absent member a missing
/// value, an object or array an error naming its place.
[[nodiscard]] csv_table read_log_table(const std::string& path, std::span<const std::string> columns,
                                       const log_table_spec& spec,
                                       column_policy policy = column_policy::require_numeric,
                                       std::uint64_t* other_status = nullptr, bad_line_summary* bad = nullptr,
                                       std::vector<std::uint64_t>* row_lines = nullptr,
                                       std::span<const std::string> text_columns = {});

/// The 1-based byte column of `field` (a dotted path) on line `line_number` of a log, or of the
/// object lacking it (1 when the line is not there). Reads the file again up to that line: for
/// messages about a value found after the read (a score out of range, a label that is not 0/1).
[[nodiscard]] std::size_t log_field_column(const std::string& path, std::uint64_t line_number, const std::string& field);

} // namespace driftgate::cli
