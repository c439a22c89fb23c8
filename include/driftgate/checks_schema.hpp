// driftgate — the columns a run monitors and the schema checks: which reference columns are
// judged (configured features, or every column but the score, the label and the excluded ones),
// the kind each is judged as, and a column dropped, added or changed in kind in the current file.
//
// A gate fails closed: a feature monitored in the reference and absent from the current file is a
// schema check with a severity, a configured name in neither file is an error, and a run in which
// no monitored column is in both files throws (errc::nothing_to_judge) instead of reporting "ok".
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "driftgate/checks_base.hpp"

namespace driftgate {
inline namespace v0 {

/// The columns a drift evaluation monitors, decided from both snapshots' headers and the policy.
struct monitored_columns {
    std::vector<std::string> features;  ///< in both files, to be judged
    std::vector<std::string> missing;   ///< monitored in the reference, absent from the current file
    bool score = false;                 ///< the score column is in both (CSI)
    bool score_missing = false;         ///< the score is in the reference and absent from the current file
    /// Reference columns with no name (1-based positions), left out of the automatic selection.
    std::vector<std::size_t> unnamed;
    /// Columns the automatic selection would monitor that the reference names but holds no data
    /// for (a saved profile built for some columns only): not monitored, noted.
    std::vector<std::string> unprofiled;
};

/// Whether the automatic selection (no [columns] features) monitors the column `name`: every
/// column but the score, the label, [columns] exclude, the time column of day, week or month
/// windows, and a column with no name (is_unnamed). An unnamed column can be neither configured
/// nor reported by name; pandas' `to_csv` writes its index as one (unless `index=False`), and a
/// delimiter ending every line makes one of empty values, so it is noted (choose_columns), not
/// judged.
[[nodiscard]] inline bool is_automatic_feature(const std::string& name, const policy& p) {
    const auto& cols = p.columns;
    return !is_unnamed(name) && name != cols.score && name != cols.label &&
           std::find(cols.exclude.begin(), cols.exclude.end(), name) == cols.exclude.end() &&
           !(p.windows.by_time() && name == p.windows.time_column);
}

/// The kind a column is judged as: the policy's [features.NAME] kind, else texts are
/// categorical, and numbers (booleans included) with at most max_distinct distinct reference
/// values discrete, else continuous. Throws errc::invalid_parameter for a text column configured
/// as continuous or discrete. Cost: O(max_distinct) at most.
[[nodiscard]] inline column_kind judged_kind(const column_profile& ref, const policy& p) {
    if (const auto k = p.feature(ref.name).kind) {
        detail::require(!(ref.is_text() && *k != column_kind::categorical), errc::invalid_parameter, "policy",
                        "column \"" + ref.name + "\" holds texts: it can only be categorical (features." + ref.name + ".kind)");
        return *k;
    }
    if (ref.is_text()) return column_kind::categorical;
    if (ref.type == value_type::boolean) return column_kind::discrete;
    const std::size_t limit = p.max_distinct_for(ref.name);
    return distinct_values_upto(ref, limit) <= limit ? column_kind::discrete : column_kind::continuous;
}

/// The features to judge: [columns] features when given (each must be in the reference, else
/// errc::invalid_parameter naming the columns that exist), else the reference columns
/// is_automatic_feature selects (the unnamed ones are listed apart). Those absent from the
/// current file are listed apart.
/// A [features.NAME] section, an [importance] entry or a [columns] exclude name for a column in
/// neither file is refused (a typo). Throws
/// errc::nothing_to_judge when no monitored column (features or score) is in both files.
[[nodiscard]] inline monitored_columns choose_columns(const profile& ref, const profile& cur, const policy& p) {
    monitored_columns m;
    const auto& cols = p.columns;
    for (const auto& [name, f] : p.features) {
        (void)f;
        detail::require(ref.has_column(name) || cur.has_column(name), errc::invalid_parameter, "policy",
                        "[features.\"" + name + "\"] names a column in neither file (reference columns: " +
                            detail::join_names(ref.header) + ")");
    }
    // An importance for a column in neither file takes a top-k place from a real feature, whose
    // critical PSI is then capped at a warning: a typo is refused too.
    for (const auto& [name, weight] : p.importance) {
        (void)weight;
        detail::require(ref.has_column(name) || cur.has_column(name), errc::invalid_parameter, "policy",
                        "[importance] \"" + name + "\" names a column in neither file (reference columns: " +
                            detail::join_names(ref.header) + ")");
    }
    // An excluded name in neither file leaves the column it meant (an ID, a date) monitored.
    for (const auto& name : cols.exclude)
        detail::require(ref.has_column(name) || cur.has_column(name), errc::invalid_parameter, "policy",
                        "[columns] exclude \"" + name + "\" names a column in neither file (reference columns: " +
                            detail::join_names(ref.header) + ")");
    std::vector<std::string> candidates;
    if (!cols.features.empty()) {
        for (const auto& f : cols.features) {
            detail::require(ref.has_column(f), errc::invalid_parameter, "columns",
                            "no column \"" + f + "\" in the reference " + ref.meta.source + " (columns: " +
                                detail::join_names(ref.header) + ")");
            candidates.push_back(f);
        }
    } else {
        for (std::size_t j = 0; j < ref.header.size(); ++j) {
            const std::string& h = ref.header[j];
            if (is_unnamed(h)) m.unnamed.push_back(j + 1);
            else if (is_automatic_feature(h, p)) (ref.find(h) ? candidates : m.unprofiled).push_back(h);
        }
    }
    for (auto& f : candidates) {
        detail::require(ref.find(f) != nullptr, errc::invalid_parameter, "profile",
                        "the reference profile holds no data for column \"" + f + "\" (profile it with that column)");
        (cur.has_column(f) ? m.features : m.missing).push_back(std::move(f));
    }
    if (!cols.score.empty() && ref.find(cols.score)) {
        m.score = cur.has_column(cols.score) && cur.find(cols.score);
        m.score_missing = !cur.has_column(cols.score);
    }
    if (m.features.empty() && !m.score)
        throw error(errc::nothing_to_judge, "evaluate",
                    "nothing could be judged: no monitored column is in both files (reference " + ref.meta.source + ": " +
                        detail::join_names(ref.header) + "; current " + cur.meta.source + ": " +
                        detail::join_names(cur.header) + ") - is it the right file?");
    return m;
}

namespace detail {

/// The note for a reference column with no name (choose_columns' monitored_columns::unnamed;
/// `position` 1-based): not monitored, and where such columns come from.
[[nodiscard]] inline std::string unnamed_column_note(std::size_t position, const std::string& source) {
    return "column " + std::to_string(position) + " of the reference" + (source.empty() ? std::string() : " (" + source + ")") +
           " has no name: not monitored (pandas' to_csv writes its index so unless index=False; a delimiter at the end of "
           "every line makes one too)";
}

/// The note for monitored_columns::unprofiled (not empty).
[[nodiscard]] inline std::string unprofiled_note(const std::vector<std::string>& names) {
    return "the reference profile holds no data for " + std::to_string(names.size()) + (names.size() == 1 ? " column" : " columns") +
           " of its header, not monitored: " + join_names(names) +
           " (a profile built for some columns; profile build without --columns profiles every one)";
}

/// Whether a cell's text reads as a number by the CSV reader's rules: after trimming spaces and
/// tabs, a decimal or exponent form (std::from_chars, one leading '+' allowed), or "inf" /
/// "infinity" / "nan" in any case, optionally signed.
[[nodiscard]] inline bool reads_as_number(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // "+1.5", not "+-1.5"
    else if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    if (s.empty() || s.front() == '+' || s.front() == '-') return false;
    std::string lower(s.substr(0, 9));
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "inf" || lower == "infinity" || lower == "nan") return true;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return end == s.data() + s.size() && (ec == std::errc() || ec == std::errc::result_out_of_range);
}

/// Whether a cell's text is one of the policy's boolean tokens (trimmed, ASCII case-insensitive).
[[nodiscard]] inline bool reads_as_boolean(std::string_view s, const policy& p) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    auto same = [&](const std::string& token) {
        if (token.size() != s.size()) return false;
        for (std::size_t i = 0; i < s.size(); ++i) {
            auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
            if (low(token[i]) != low(s[i])) return false;
        }
        return true;
    };
    return std::any_of(p.input.true_values.begin(), p.input.true_values.end(), same) ||
           std::any_of(p.input.false_values.begin(), p.input.false_values.end(), same);
}

/// The kind a text column of the current file has by its values, when the reference's text
/// column has none of them: a column of texts in the reference is read as texts in the current
/// file too (the reference's kind says how), so numbers or booleans there arrive as categories.
/// value_type::number when every current category reads as a number, value_type::boolean when
/// every one is a boolean token, while no category of the reference reads as either (a
/// reference mixing texts and numbers is not a kind that numbers alone change); nullopt
/// otherwise, also when the current column has no value. O(categories of both).
[[nodiscard]] inline std::optional<value_type> text_now_reads_as(const column_profile& ref, const column_profile& cur, const policy& p) {
    if (!ref.is_text() || !cur.is_text()) return std::nullopt;
    const auto& r = std::get<category_counts>(ref.data);
    const auto& c = std::get<category_counts>(cur.data);
    if (c.names.empty()) return std::nullopt;
    for (const auto& name : r.names)
        if (reads_as_number(name) || reads_as_boolean(name, p)) return std::nullopt;
    if (std::all_of(c.names.begin(), c.names.end(), [](const std::string& x) { return reads_as_number(x); })) return value_type::number;
    if (std::all_of(c.names.begin(), c.names.end(), [&](const std::string& x) { return reads_as_boolean(x, p); })) return value_type::boolean;
    return std::nullopt;
}

/// For a column missing from the current file: "; the current file has "NAME", which differs
/// only in case, white space or a byte-order mark" when it has such a column (a name that looks
/// the same in a report is then told apart), else "".
[[nodiscard]] inline std::string near_name_note(const std::string& missing, const profile& cur) {
    const std::string want = name_folded(missing);
    for (const auto& h : cur.header) {
        if (h == missing || name_folded(h) != want) continue;
        std::string shown;  // a byte-order mark written \uFEFF: it is invisible
        for (std::size_t i = 0; i < h.size(); ++i) {
            if (h.compare(i, 3, "\xEF\xBB\xBF") == 0) {
                shown += "\\uFEFF";
                i += 2;
            } else {
                shown += h[i];
            }
        }
        return "; the current file has \"" + shown + "\", which differs only in case, white space or a byte-order mark";
    }
    return "";
}

} // namespace detail

/// Schema checks: a monitored column absent from the current file (`missing_column`: the
/// important severity for a top-k feature, a feature named in [columns] features and the score),
/// a column only the current file has (`new_column`), a column whose cells changed from numbers
/// to booleans or texts or back (`kind_changed`): by the columns' types, and for a column of
/// texts in the reference (which the current file is read as) by the current values: every one a
/// number, or every one a boolean token, where the reference has neither
/// (detail::text_now_reads_as). Cost: O(columns), and O(categories) for columns of texts.
[[nodiscard]] inline std::vector<check> schema_checks(const profile& ref, const profile& cur, const policy& p,
                                                      const monitored_columns& m) {
    std::vector<check> out;
    const bool configured = !p.columns.features.empty();
    for (const auto& f : m.missing) {
        const bool important = configured || p.top_k(f);
        out.push_back(detail::event("schema", "missing_column", f,
                                    important ? p.schema.missing_important : p.schema.missing_feature,
                                    std::string("monitored in the reference, absent from the current file") +
                                        (important ? (configured ? " (a configured feature)" : " (a top-k feature)") : "") +
                                        detail::near_name_note(f, cur)));
    }
    if (m.score_missing)
        out.push_back(detail::event("schema", "missing_column", p.columns.score, p.schema.missing_important,
                                    "the score column is absent from the current file" +
                                        detail::near_name_note(p.columns.score, cur)));
    for (const auto& h : cur.header)
        if (!ref.has_column(h))
            out.push_back(detail::event("schema", "new_column", h, p.schema.new_column, "only the current file has it"));
    for (const auto& f : m.features) {
        const column_profile* r = ref.find(f);
        const column_profile* c = cur.find(f);
        if (r && c && r->type != c->type)
            out.push_back(detail::event("schema", "kind_changed", f, p.schema.kind_changed,
                                        std::string(to_string(r->type)) + " in the reference, " + to_string(c->type) +
                                            " in the current file"));
        else if (const auto now = r && c ? detail::text_now_reads_as(*r, *c, p) : std::nullopt)
            out.push_back(detail::event("schema", "kind_changed", f, p.schema.kind_changed,
                                        std::string("text in the reference, ") + to_string(*now) +
                                            " in the current file (every current value reads as a " + to_string(*now) +
                                            "; none of the reference's does)"));
    }
    return out;
}

} // namespace v0
} // namespace driftgate
