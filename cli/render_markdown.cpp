// driftgate CLI — the weekly report as Markdown (GitHub Flavored Markdown, CommonMark): a header
// saying what was compared, the verdict, a section per monitoring area in the design's order, and
// the actions the severities call for. Only headings, paragraphs, lists and GFM tables: it reads
// the same on GitHub, GitLab and in a mail client's Markdown view. Every name from the data is
// escaped (escape_markdown), so a table row always has its header's number of cells.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <driftgate/version.hpp>

#include "render.hpp"
#include "text.hpp"

namespace driftgate::cli {
namespace {

using row = std::vector<std::string>;

/// A GFM table: a header row, the delimiter row, the rows (each cell already escaped).
std::string table(const row& head, const std::vector<row>& rows, const std::vector<bool>& numeric = {}) {
    auto line = [](const row& cells) {
        std::string s = "|";
        for (const auto& c : cells) s += " " + (c.empty() ? std::string(" ") : c) + " |";
        return s + "\n";
    };
    std::string out = line(head) + "|";
    for (std::size_t i = 0; i < head.size(); ++i) out += (i < numeric.size() && numeric[i]) ? " ---: |" : " --- |";
    out += "\n";
    for (const auto& r : rows) {
        row cells = r;
        cells.resize(head.size());
        out += line(cells);
    }
    return out;
}

std::string markdown_badge(severity s) {
    switch (s) {
    case severity::critical: return "**CRITICAL**";
    case severity::warning: return "**WARNING**";
    case severity::info: return "info";
    case severity::ok: return "ok";
    }
    return "";
}

/// The inputs table: one row per input (reference, current, data, config, ...), a column per
/// key found in any of them.
std::string markdown_inputs_table(const report& r) {
    if (!r.inputs.is_table() || r.inputs.as_table().empty()) return "";
    std::vector<std::string> keys;
    for (const auto& [role, v] : r.inputs.as_table())
        if (v.is_table())
            for (const auto& [k, x] : v.as_table())
                if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    row head{"input"};
    std::vector<bool> numeric{false};
    for (const auto& k : keys) {
        head.push_back(escape_markdown(k));
        numeric.push_back(k == "rows" || k == "size_bytes");
    }
    std::vector<row> rows;
    for (const auto& [role, v] : r.inputs.as_table()) {
        row cells{escape_markdown(role)};
        for (const auto& k : keys) {
            const field* x = v.find(k);
            cells.push_back(x ? escape_markdown(field_text(*x)) : "");
        }
        rows.push_back(std::move(cells));
    }
    return table(head, rows, numeric);
}

std::string cell(const check& c) {
    std::string s = escape_markdown(value_text(c));
    if (c.level != severity::ok) {
        s += ' ';
        s += markdown_badge(c.level);
    }
    return s;
}

std::string pivot_section(const pivot_table& t, const std::vector<const check*>& checks) {
    row head{"column", "severity"};
    std::vector<bool> numeric{false, false};
    for (const auto& n : t.names) {
        head.push_back(escape_markdown(check_title(n)));
        numeric.push_back(true);
    }
    std::vector<row> rows;
    for (const auto& e : t.rows) {
        row cells{escape_markdown(e.column), markdown_badge(e.level)};
        for (const check* c : e.cells) cells.push_back(c ? cell(*c) : "");
        rows.push_back(std::move(cells));
    }
    std::string out = table(head, rows, numeric);
    std::string bounds;
    for (const auto& [name, b] : bounds_by_name(checks))
        bounds += fmt::format("- {}: {}\n", escape_markdown(check_title(name)), escape_markdown(b));
    if (!bounds.empty()) out += "\nBounds:\n\n" + bounds;
    return out;
}

std::string list_section(const std::vector<const check*>& checks) {
    row head{"check", "column", "value", "bounds", "severity", "note"};
    std::vector<row> rows;
    for (const check* c : checks)
        rows.push_back({escape_markdown(check_title(c->name)), escape_markdown(subject(*c)),
                        escape_markdown(value_text(*c)), escape_markdown(bounds_text(c->thresholds)), markdown_badge(c->level),
                        escape_markdown(c->note)});
    return table(head, rows, {false, false, true, false, false, false});
}

/// Per-bin shares of the checks with a `bins` detail on columns at warning or worse (--verbose).
std::string bin_tables(const report& r, const std::vector<const check*>& checks) {
    std::string out;
    for (const check* c : checks) {
        const field* bins = c->details.find("bins");
        if (!bins || !bins->is_list()) continue;
        severity col_level = severity::ok;
        for (const auto& d : r.checks)
            if (d.column == c->column && d.section == c->section) col_level = worst(col_level, d.level);
        if (col_level < severity::warning && c->name != "csi") continue;
        std::vector<row> rows;
        for (const auto& b : bins->as_list()) {
            auto share = [&](const char* k) {
                const field* f = b.find(k);
                return f && f->is_numeric() ? fmt::format("{:.2f}%", 100.0 * f->as_double()) : std::string();
            };
            const field* contrib = b.find("contribution");
            rows.push_back({escape_markdown(bin_label(b)), share("reference_share"), share("current_share"),
                            contrib && contrib->is_numeric() ? human_number(contrib->as_double()) : ""});
        }
        out += fmt::format("\n{} bins of {}:\n\n", escape_markdown(check_title(c->name)), escape_markdown(c->column));
        out += table({"bin", "reference", "current", "contribution"}, rows, {false, true, true, true});
    }
    return out;
}

/// The checks of the time windows: a row per window (its worst severity, its breaches, why it was
/// not judged), then a row per check across the windows with its sparkline and, for at most
/// eight windows, each window's value (else the first, last, lowest and highest).
std::string trends_section(const report& r) {
    const auto windows = report_windows(r);
    if (windows.empty()) return "";
    std::string out = "\n## Trends across windows\n\n";
    out += fmt::format("{} window{}, oldest first: {}{}. Each window is judged on its own rows; the sections above judge "
                       "every row.\n\n",
                       windows.size(), windows.size() == 1 ? "" : "s", escape_markdown(windows.front()),
                       windows.size() > 1 ? fmt::format(" to {}", escape_markdown(windows.back())) : std::string());
    std::vector<row> rows;
    for (const auto& w : window_summaries(r))
        rows.push_back({escape_markdown(w.window), markdown_badge(w.level), std::to_string(w.breaches), escape_markdown(w.note)});
    out += table({"window", "severity", "breaches", "note"}, rows, {false, false, true, false});
    const bool wide = windows.size() <= 8;
    row head{"check", "column", "trend"};
    if (wide) {
        for (const auto& w : windows) head.push_back(escape_markdown(w));
    } else {
        head.insert(head.end(), {"first", "last", "lowest", "highest"});
    }
    std::vector<bool> numeric(head.size(), true);
    numeric[0] = numeric[1] = numeric[2] = false;
    rows.clear();
    const auto all = trends(r);
    for (const auto& t : all) {
        if (t.flat) continue;  // ok and the same in every window: named in one line below
        row cells{escape_markdown(check_title(t.name)), escape_markdown(t.subject), sparkline(t.points)};
        if (wide) {
            for (const auto& w : windows) {
                const auto at = std::find_if(t.points.begin(), t.points.end(), [&](const check* c) { return c->window == w; });
                cells.push_back(at == t.points.end() ? "" : cell(**at));
            }
        } else {
            const check* lo = nullptr;
            const check* hi = nullptr;
            for (const check* c : t.points)
                if (std::isfinite(c->value)) {
                    if (!lo || c->value < lo->value) lo = c;
                    if (!hi || c->value > hi->value) hi = c;
                }
            auto at = [&](const check* c) { return c ? fmt::format("{} ({})", cell(*c), escape_markdown(c->window)) : std::string(); };
            cells.push_back(at(t.points.front()));
            cells.push_back(at(t.points.back()));
            cells.push_back(at(lo));
            cells.push_back(at(hi));
        }
        rows.push_back(std::move(cells));
    }
    if (!rows.empty()) {
        out += '\n';
        out += table(head, rows, numeric);
    }
    if (const std::string flat = flat_trends_text(all); !flat.empty()) {
        out += "\nThe same in every window, and ok: ";
        out += escape_markdown(flat);
        out += ".\n";
    }
    return out;
}

} // namespace

std::string render_markdown(const report& r, const run_info& run) {
    const severity st = display_status(r);
    const auto counts = severity_counts(r);
    std::string out = fmt::format("# driftgate report: {} — {}\n\n", escape_markdown(r.command),
                                  st == severity::ok ? "OK" : st == severity::warning ? "WARNING" : "CRITICAL");
    out += fmt::format("Run {} with driftgate {}.\n\n", rfc3339_utc(run.started), version_string);
    out += markdown_inputs_table(r);
    const bool fails = gate_fails(r.status(), run.gate);
    out += fmt::format("\n**Verdict: {}** — {} checks: {} critical, {} warning, {} info, {} ok. The gate "
                       "(`--fail-on {}`) {}: exit {}.\n",
                       st == severity::ok ? "OK" : st == severity::warning ? "WARNING" : "CRITICAL", r.checks.size(),
                       counts[3], counts[2], counts[1], counts[0], to_string(run.gate), fails ? "fails" : "passes",
                       run.exit_code);
    for (const auto& sec : section_order(r)) {
        const auto checks = checks_of(r, sec, false);
        if (checks.empty()) continue;  // only windows' checks: in the trends below
        out += fmt::format("\n## {}\n\n", escape_markdown(section_title(sec)));
        const auto p = pivot(checks);
        out += p ? pivot_section(*p, checks) : list_section(checks);
        if (run.verbose) out += bin_tables(r, checks);
    }
    out += trends_section(r);
    out += "\n## Actions\n\n";
    const auto todo = actions(r);
    if (todo.empty()) {
        out += "None: every check is ok.\n";
    } else {
        for (const auto& a : todo) {
            std::string reasons;
            for (const auto& x : a.reasons) reasons += (reasons.empty() ? "" : "; ") + x;
            out += fmt::format("- **{}** {} ({}): {}.\n", a.verb, escape_markdown(a.subject),
                               escape_markdown(section_title(a.section)), escape_markdown(reasons));
        }
        out += "\nAct now: retrain or roll back the model. Investigate: find the cause before the next run. "
               "Monitor: informative, no action needed yet.\n";
    }
    if (!r.notes.empty()) {
        out += "\n## Notes\n\n";
        for (const auto& n : r.notes) out += "- " + escape_markdown(n) + "\n";
    }
    return out;
}

} // namespace driftgate::cli
