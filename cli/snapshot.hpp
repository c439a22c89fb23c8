// driftgate CLI — snapshots into profiles: reads the columns a run needs from a CSV file (or a
// saved profile) and profiles them (include/driftgate/profile.hpp), checking on the way what only
// the file knows the place of: a label that is not 0 or 1, a missing score, a probability outside
// [0, 1] — each an error naming FILE:LINE:COL.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <driftgate/profile.hpp>

#include "config.hpp"
#include "csv.hpp"

namespace driftgate::cli::csv_impl {
class file_bytes;
}

namespace driftgate::cli {

/// How one column is read.
enum class read_as {
    number,     ///< numbers (booleans as 1/0): anything else is an error or, with [input]
                ///< on_bad_value = "missing", a missing value counted as invalid
    text,       ///< categories
    automatic,  ///< numbers when every cell is a number (or every one a boolean), else text
};

/// How a reference column is read: as its configured kind says ([features.NAME] kind: texts for
/// categorical, numbers for continuous and discrete), else automatically.
[[nodiscard]] inline read_as read_kind(const driftgate::policy& p, const std::string& name) {
    const auto k = p.feature(name).kind;
    if (!k) return read_as::automatic;
    return *k == driftgate::column_kind::categorical ? read_as::text : read_as::number;
}

/// What to read of a snapshot.
struct snapshot_request {
    std::vector<std::string> columns;  ///< columns to profile (the header's others are only named)
    std::vector<read_as> kinds;        ///< how each is read (same length)
    std::string score, label;          ///< "" none; with both, the score is split by class
    bool probability = true;           ///< the score must lie in [0, 1] (when it is split by class)
    /// What a score outside [0, 1] is told to do; empty: set [performance] score_kind = "points"
    /// (estimate, which reads probabilities only, says so instead).
    std::string probability_hint;
};

/// The advice of a score outside [0, 1]: the request's own, else score_kind = "points".
[[nodiscard]] std::string probability_advice(const snapshot_request& req);

/// Checks the label and score columns of a table row by row: labels 0 or 1, every score present
/// where the label is (`label` empty: no label), probabilities in [0, 1] when req.probability.
/// Throws cli_error(exit_code::data) naming FILE:LINE:COL of the first offending cell.
void check_rows(const csv_table& t, std::span<const double> score, std::span<const double> label, const snapshot_request& req);

/// The first bytes of a file, to tell a profile from a CSV (empty for a pipe or a missing file).
[[nodiscard]] bool is_profile_file(const std::string& path);

/// Reads a saved profile. Throws cli_error (66 unreadable, 65 not a valid profile).
/// With `lent`, the sorted values the file stores plain are not copied: the profile views them in
/// the mapped file (driftgate::parse_profile with an owner), which *lent keeps mapped for as long
/// as it, or the profile, lives. The caller calls (*lent)->check_unchanged() after its last use of
/// the values: a file rewritten in place or cut short meanwhile (whose pages then read as zeros)
/// is exit 74 there, as a CSV changed while it was read is, and nothing judged on it is reported.
[[nodiscard]] driftgate::profile load_profile_file(const std::string& path,
                                                   std::shared_ptr<const csv_impl::file_bytes>* lent = nullptr);

/// What a saved profile holds without its data (driftgate::peek_profile): its header and its
/// columns' names and types, read without checking the file; nullopt when even that fails. For
/// planning the reading of the current file while load_profile_file reads and checks the whole.
[[nodiscard]] std::optional<driftgate::profile> peek_profile_file(const std::string& path);

/// Refuses a profile file where a CSV snapshot is read (exit 64, saying where profiles go).
void require_csv_snapshot(const std::string& path);

/// The header of a snapshot: a CSV's first record, or a profile's header.
[[nodiscard]] std::vector<std::string> snapshot_header(const std::string& path, const config& c);

/// Makes `r` a text column holding the categories of `tc` (their names, counts and missing
/// cells), as profile_column takes them: for a CSV's text column and a log's alike.
void set_categories(driftgate::raw_column& r, const text_column& tc);

/// Reads the requested columns of the CSV at `path` and profiles them (on the worker pool).
/// Errors are cli_errors naming FILE:LINE:COL.
[[nodiscard]] driftgate::profile profile_csv(const std::string& path, const snapshot_request& req, const config& c);

} // namespace driftgate::cli
