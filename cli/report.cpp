#include "report.hpp"

#include <driftgate/report_json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include <driftgate/version.hpp>

#include "text.hpp"

namespace driftgate::cli {
namespace {

const char* colour_of(severity s) {
    switch (s) {
    case severity::ok: return "\033[32m";
    case severity::info: return "\033[36m";
    case severity::warning: return "\033[33m";
    case severity::critical: return "\033[1;31m";
    }
    return "";
}

std::string upper(const char* s) {
    std::string u(s);
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return u;
}

/// Display width of UTF-8 text: one column per code point (names are mostly ASCII; wide East
/// Asian characters are not measured).
std::size_t width(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

std::string pad(const std::string& s, std::size_t w, bool right = false) {
    const std::size_t n = width(s);
    if (n >= w) return s;
    return right ? std::string(w - n, ' ') + s : s + std::string(w - n, ' ');
}

bool repair_field(field& f) {
    bool changed = false;
    switch (f.type()) {
    case field::kind::text:
        if (!valid_utf8(f.as_text())) {
            f = field(repair_utf8(f.as_text()));
            changed = true;
        }
        break;
    case field::kind::list:
        for (auto& x : f.as_list()) changed |= repair_field(x);
        break;
    case field::kind::table:
        for (auto& [k, v] : f.as_table()) {
            if (!valid_utf8(k)) {
                k = repair_utf8(k);
                changed = true;
            }
            changed |= repair_field(v);
        }
        break;
    default: break;
    }
    return changed;
}

bool repair_string(std::string& s) {
    if (valid_utf8(s)) return false;
    s = repair_utf8(s);
    return true;
}

/// The per-bin table of a check with a `bins` detail (text --verbose).
std::string bin_table(const check& c) {
    const field* bins = c.details.find("bins");
    if (!bins || !bins->is_list() || bins->as_list().empty()) return "";
    std::vector<std::string> keys;
    for (const auto& b : bins->as_list())
        if (b.is_table())
            for (const auto& [k, v] : b.as_table())
                if (v.is_numeric() && k != "lower" && k != "upper" && k != "value" && std::find(keys.begin(), keys.end(), k) == keys.end())
                    keys.push_back(k);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head{"bin"};
    for (const auto& k : keys) {
        std::string h = k;
        for (const auto& [from, to] : {std::pair{"reference_", "ref "}, {"current_", "cur "}})
            if (h.rfind(from, 0) == 0) h = to + h.substr(std::string(from).size());
        head.push_back(h);
    }
    rows.push_back(head);
    for (const auto& b : bins->as_list()) {
        std::vector<std::string> row{escape_control(bin_label(b))};
        for (const auto& k : keys) {
            const field* v = b.find(k);
            row.push_back(v ? field_text(*v) : "");
        }
        rows.push_back(std::move(row));
    }
    std::vector<std::size_t> w(head.size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], width(row[i]));
    std::string out = fmt::format("    bins of {} {}:\n", c.name, escape_control(c.column));
    for (const auto& row : rows) {
        out += "      ";
        for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "  " : "") + pad(row[i], w[i], i > 0);
        out += "\n";
    }
    return out;
}

} // namespace

nlohmann::ordered_json to_json(const field& f) {
    switch (f.type()) {
    case field::kind::null: return nullptr;
    case field::kind::boolean: return f.as_bool();
    case field::kind::integer: return f.as_int();
    case field::kind::unsigned_integer: return f.as_uint();
    case field::kind::number: {
        const double d = f.as_double();
        return std::isfinite(d) ? nlohmann::ordered_json(d) : nlohmann::ordered_json();
    }
    case field::kind::text: return f.as_text();
    case field::kind::list: {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const auto& x : f.as_list()) a.push_back(to_json(x));
        return a;
    }
    case field::kind::table: {
        nlohmann::ordered_json o = nlohmann::ordered_json::object();
        for (const auto& [k, v] : f.as_table()) o[k] = to_json(v);
        return o;
    }
    }
    return nullptr;
}

nlohmann::ordered_json to_json(const report& r, const run_info& run) {
    nlohmann::ordered_json j;
    j["tool"] = "driftgate";
    j["version"] = version_string;
    j["command"] = r.command;
    j["status"] = to_string(display_status(r));
    j["fail_on"] = to_string(run.gate);
    j["exit_code"] = run.exit_code;
    j["run"] = {{"timestamp", rfc3339_utc(run.started)}, {"version", version_string}, {"audit", run.audit}};
    j["inputs"] = to_json(r.inputs);
    std::map<std::string, int> counts{{"ok", 0}, {"info", 0}, {"warning", 0}, {"critical", 0}};
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const auto& row : r.checks) {
        ++counts[to_string(row.level)];
        checks.push_back(to_json(driftgate::to_field(row)));  // the library's shape of a check
    }
    j["summary"] = counts;
    j["checks"] = std::move(checks);
    j["notes"] = r.notes;
    return j;
}

std::string render_json(const report& r, const run_info& run) {
    // repair_texts() leaves no invalid UTF-8; should a caller skip it, invalid bytes are
    // replaced (U+FFFD) rather than ending the run with an exception.
    constexpr auto replace = nlohmann::ordered_json::error_handler_t::replace;
    // The document without its checks, then the checks one at a time into its "checks" array:
    // the text of to_json(r, run).dump(2), without the whole document as a JSON tree next to the
    // report (800,000 checks of a 100,000-column file took gigabytes that way).
    report head;  // r without its checks (not a copy of them)
    head.command = r.command;
    head.inputs = r.inputs;
    head.notes = r.notes;
    nlohmann::ordered_json j = to_json(head, run);
    j["status"] = to_string(display_status(r));
    std::map<std::string, int> counts{{"ok", 0}, {"info", 0}, {"warning", 0}, {"critical", 0}};
    for (const auto& row : r.checks) ++counts[to_string(row.level)];
    j["summary"] = counts;
    std::string text = j.dump(2, ' ', false, replace);
    const std::string empty = "\n  \"checks\": [],\n";
    const auto at = text.find(empty);
    if (at == std::string::npos || r.checks.empty()) return text + "\n";
    std::string out = text.substr(0, at);
    out += "\n  \"checks\": [\n";
    for (std::size_t i = 0; i < r.checks.size(); ++i) {
        const std::string one = to_json(driftgate::to_field(r.checks[i])).dump(2, ' ', false, replace);
        out += "    ";
        for (const char ch : one) {
            out += ch;
            if (ch == '\n') out += "    ";
        }
        out += i + 1 < r.checks.size() ? ",\n" : "\n";
    }
    out += "  ],\n";
    out.append(text, at + empty.size(), std::string::npos);
    out += '\n';
    return out;
}

bool repair_texts(report& r) {
    bool changed = false;
    for (auto& c : r.checks) {
        changed |= repair_string(c.section);
        changed |= repair_string(c.name);
        changed |= repair_string(c.column);
        changed |= repair_string(c.segment);
        changed |= repair_string(c.window);
        changed |= repair_string(c.note);
        changed |= repair_field(c.thresholds);
        changed |= repair_field(c.details);
    }
    changed |= repair_field(r.inputs);
    changed |= repair_string(r.command);
    for (auto& n : r.notes) changed |= repair_string(n);
    if (changed)
        r.notes.push_back("some names are not valid UTF-8 (e.g. a CSV header in another encoding): each invalid byte "
                          "is shown as \\xNN");
    return changed;
}

std::string render_text(const report& r, const run_info& run) {
    std::string out;
    const bool color = run.color;
    const char* reset = color ? "\033[0m" : "";
    const char* bold = color ? "\033[1m" : "";
    for (const auto& sec : section_order(r)) {
        auto rows = checks_of(r, sec);
        // Data quality is a handful of checks per column: without --verbose only those not ok are
        // listed, and how many more are.
        std::size_t hidden = 0;
        if (sec == "data_quality" && !run.verbose) {
            const auto ok = std::stable_partition(rows.begin(), rows.end(), [](const check* c) { return c->level != severity::ok; });
            hidden = static_cast<std::size_t>(rows.end() - ok);
            rows.erase(ok, rows.end());
        }
        if (rows.empty() && hidden > 0) {
            out += fmt::format("{}{}{}\n  {} checks, all ok (--verbose lists them)\n\n", bold, escape_control(sec), reset, hidden);
            continue;
        }
        // Two passes over the rows (widths, then lines) rather than a table of cells: a report of
        // 100,000 features would hold hundreds of thousands of small strings at once.
        const std::array<std::string, 5> head{"check", "column", "value", "thresholds", "severity"};
        auto cells_of = [](const check& c) -> std::array<std::string, 5> {
            return {escape_control(c.name), escape_control(subject(c)), value_text(c),
                    bounds_text(c.thresholds), upper(to_string(c.level))};
        };
        std::array<std::size_t, 5> w{};
        auto widen = [&w](const std::array<std::string, 5>& c) {
            for (std::size_t i = 0; i < 5; ++i) w[i] = std::max(w[i], width(c[i]));
        };
        widen(head);
        for (const check* row : rows) widen(cells_of(*row));
        out += fmt::format("{}{}{}\n", bold, escape_control(sec), reset);
        auto line = [&](const std::array<std::string, 5>& c, const check* row) {
            std::string sev = c[4];
            if (color && row) sev = std::string(colour_of(row->level)) + sev + reset;
            out += "  " + pad(c[0], w[0]) + "  " + pad(c[1], w[1]) + "  " + pad(c[2], w[2], true) + "  " + pad(c[3], w[3]) +
                   "  " + sev;
            if (row && !row->note.empty()) out += "  (" + escape_control(row->note) + ")";
            out += "\n";
        };
        line(head, nullptr);
        for (const check* row : rows) line(cells_of(*row), row);
        if (hidden > 0) out += fmt::format("  ... and {} more checks, all ok (--verbose lists them)\n", hidden);
        if (run.verbose)
            for (const check* row : rows) out += bin_table(*row);
        out += "\n";
    }
    for (const auto& n : r.notes) out += "note: " + escape_control(n) + "\n";
    const auto counts = severity_counts(r);
    const severity st = display_status(r);
    const std::string verdict = st >= severity::warning ? upper(to_string(st)) : "OK";
    out += fmt::format("{}verdict: {}{}{} - {} checks: {} critical, {} warning, {} info, {} ok (fail-on {}, exit {}){}\n",
                       bold, color ? colour_of(st) : "", verdict, color ? reset : "", r.checks.size(),
                       counts[3], counts[2], counts[1], counts[0], to_string(run.gate), run.exit_code, reset);
    return out;
}

} // namespace driftgate::cli
