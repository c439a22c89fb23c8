// driftgate CLI — the output formats: a table of renderers (text, JSON, Markdown, HTML,
// Prometheus, JUnit), what every renderer gets besides the report, and the reading of a report
// they share (section order, titles, a check's value and bounds in words, the actions its
// severities call for).
//
// Renderers are generic over checks: they are driven by a check's section, name, column, value,
// severity, thresholds and details, with a specific visual only where a detail exists (`bins`: a
// chart of reference and current shares; `roc`: the ROC curve). A check added to the report is
// rendered by every format without a change here. Renderers compute no statistic and decide no
// severity; they return the whole text, written only once complete (output.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <driftgate/report.hpp>

#include "output.hpp"

namespace driftgate::cli {

/// What a rendering shows besides the report: the gate, the exit code, when the run started.
struct run_info {
    fail_on gate = fail_on::critical;
    int exit_code = 0;
    std::int64_t started = 0;    ///< Unix time of the run's start (seconds)
    long started_ns = 0;         ///< its nanoseconds
    bool color = false;          ///< text: ANSI colours
    bool verbose = false;        ///< text, Markdown: per-bin tables
    bool audit = false;          ///< inputs were hashed (--audit)
};

using renderer = std::string (*)(const report& r, const run_info& run);

/// One output format: its name (--format, --report NAME=PATH), renderer, default file extension.
struct format_entry {
    std::string_view name;
    renderer render;
    std::string_view extension;
    std::string_view summary;
};

/// Every format, text first.
[[nodiscard]] std::span<const format_entry> formats();
/// The format called `name`, or nullptr.
[[nodiscard]] const format_entry* find_format(std::string_view name);
/// The names of the formats, separated by `sep`.
[[nodiscard]] std::string format_names(std::string_view sep = ", ");

/// The outputs of a run: the main `format` to `output`, or to standard output unless `quiet`,
/// then each --report FORMAT[=PATH] (FORMAT alone: driftgate-report.EXT). `output` is never ""
/// (the option refuses it: "" is standard output in output_target). Throws cli_error
/// (exit_code::usage) for an unknown format or a report's empty file name.
[[nodiscard]] std::vector<std::pair<output_target, const format_entry*>> plan_outputs(
    const std::string& format, const std::optional<std::string>& output, bool quiet,
    const std::vector<std::string>& reports);

// Renderers (render_*.cpp, report.cpp).
[[nodiscard]] std::string render_text(const report& r, const run_info& run);
[[nodiscard]] std::string render_json(const report& r, const run_info& run);
[[nodiscard]] std::string render_markdown(const report& r, const run_info& run);
[[nodiscard]] std::string render_html(const report& r, const run_info& run);
[[nodiscard]] std::string render_prometheus(const report& r, const run_info& run);
[[nodiscard]] std::string render_junit(const report& r, const run_info& run);

// ---- the reading of a report shared by the renderers ----------------------------------------

/// The run's status as reports state it: the worst severity, info counting as ok.
[[nodiscard]] severity display_status(const report& r) noexcept;

/// Number of checks at each severity (index = severity as int).
[[nodiscard]] std::array<std::size_t, 4> severity_counts(const report& r) noexcept;

/// Sections present, in the monitoring design's order: service health, schema, data quality,
/// drift, proxies, performance, then any other in the order of first appearance.
[[nodiscard]] std::vector<std::string> section_order(const report& r);

/// "Data drift", "Model performance", ...; an unknown section's own name.
[[nodiscard]] std::string section_title(std::string_view section);

/// "PSI", "KS test", "AUC", ...; an unknown check's name with spaces for underscores.
[[nodiscard]] std::string check_title(std::string_view name);

/// The checks of one section, worst severity first, in report order within a severity; without
/// the checks of time windows when `windows` is false (the reports show those as trends).
[[nodiscard]] std::vector<const check*> checks_of(const report& r, std::string_view section, bool windows = true);

/// One check across the time windows: the checks of one section, name, column and segment that
/// carry a window, in window order (the order the run added them: time order).
struct trend {
    std::string section, name;
    std::string subject;              ///< subject() without the window
    std::vector<const check*> points; ///< one per window that has the check
    severity level = severity::ok;    ///< the worst of the points
    bool flat = false;                ///< ok, and one value in every window it has (named in a line, not drawn)
};
/// The trends of a report: sections in section_order, worst first within a section, then in
/// report order; the section "windows" (window_size, window_unjudged) aside, which
/// window_summaries() reports. Empty when no check carries a window.
[[nodiscard]] std::vector<trend> trends(const report& r);

/// "missing share of x (0); out of range of x (0)": the flat trends, unescaped ("" when none).
[[nodiscard]] std::string flat_trends_text(const std::vector<trend>& trends);

/// The windows of a report's checks, in order of first appearance.
[[nodiscard]] std::vector<std::string> report_windows(const report& r);

/// One window of a report: the worst severity of its checks, how many are at warning or worse,
/// and why it was not judged ("window size: fewer than 100 rows ..."; "" when it was).
struct window_summary {
    std::string window;
    severity level = severity::ok;
    std::size_t breaches = 0;
    std::string note;
};
/// The report's windows (report_windows' order), summarised. O(checks + windows).
[[nodiscard]] std::vector<window_summary> window_summaries(const report& r);

/// The values of a trend as a line of eight-level block characters (U+2581..U+2588) scaled from
/// their minimum to their maximum; an undefined value is a space, equal values the lowest block.
[[nodiscard]] std::string sparkline(const std::vector<const check*>& points);

/// The judged value and the figures read beside it: an interval ([lo, hi]) when the details
/// have ci_lower/ci_upper, the statistic (D for KS) when the value is a p-value, ln p when p
/// underflows to 0. E.g. "1.225e-132 (D 0.1234)", "0.6533 [0.6384, 0.6682]".
[[nodiscard]] std::string value_text(const check& c);

/// The bounds of a thresholds table in words: "warn >= 0.10, crit >= 0.25", "outside [0.15, 0.30]:
/// critical"; "" when there are none.
[[nodiscard]] std::string bounds_text(const field& thresholds);

/// Why a check has its severity: "PSI 0.4732, above the 0.25 critical"; for a band "outside
/// [0.15, 0.30]"; for an undefined value "undefined, judged as a breach".
[[nodiscard]] std::string breach_reason(const check& c);

/// One thing to do, derived from severities: critical → act now, warning → investigate,
/// info → monitor. One action per section and column (or check, when it has no column), with
/// the reasons of its checks that are not ok, worst first.
struct action {
    severity level = severity::info;
    std::string verb;     ///< "Act now on", "Investigate", "Monitor"
    std::string subject;  ///< column (or check) name, unescaped
    std::string section;  ///< section name
    std::vector<std::string> reasons;
};
[[nodiscard]] std::vector<action> actions(const report& r);

/// A section shown as one row per column and one cell per check name: when its checks repeat
/// names over several columns (drift: PSI and KS per feature). Rows worst first, then by PSI (or
/// CSI) descending, then in report order.
struct pivot_row {
    std::string column;
    severity level = severity::ok;       ///< the worst of the row's checks
    std::vector<const check*> cells;     ///< one per name (nullptr when the column has none)
};
struct pivot_table {
    std::vector<std::string> names;      ///< check names, in order of first appearance
    std::vector<pivot_row> rows;
};
/// The pivot of a section's checks, or nullopt when they do not repeat names over columns.
[[nodiscard]] std::optional<pivot_table> pivot(const std::vector<const check*>& checks);

/// The bounds of each check name of a section in words, distinct texts joined with " or ".
[[nodiscard]] std::vector<std::pair<std::string, std::string>> bounds_by_name(const std::vector<const check*>& checks);

/// A numeric detail of a check (nullptr when absent or not a number).
[[nodiscard]] const field* numeric_detail(const check& c, std::string_view key) noexcept;

/// A field as short text for a table cell: numbers as human_number, texts as they are, lists
/// and tables as "[n items]"; nulls as "".
[[nodiscard]] std::string field_text(const field& f);

/// The label of one bin of a `bins` detail: "[a, b)" from lower/upper, "missing", or a
/// category/label/value text.
[[nodiscard]] std::string bin_label(const field& bin);

} // namespace driftgate::cli
