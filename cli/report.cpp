#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include <driftgate/version.hpp>

namespace driftgate::cli {
namespace {

std::string num(double v) {
    if (std::isnan(v)) return "n/a";
    if (v == 0.0) return "0";
    const double a = std::fabs(v);
    if (a >= 1e-4 && a < 1e7) return fmt::format("{:.4g}", v);
    return fmt::format("{:.3e}", v);
}

std::string bound_text(const nlohmann::ordered_json& t) {
    if (t.contains("low")) {
        return fmt::format("outside [{}, {}]: {}", num(t["low"].get<double>()), num(t["high"].get<double>()),
                           t["breach"].get<std::string>());
    }
    const bool above = t.value("direction", "above") == "above";
    const bool incl = t.value("inclusive", false);
    const char* op = above ? (incl ? ">=" : ">") : (incl ? "<=" : "<");
    std::string out;
    for (const auto& [key, label] : {std::pair{"target", "info"}, {"warning", "warn"}, {"critical", "crit"}}) {
        if (t.contains(key) && !t[key].is_null()) {
            if (!out.empty()) out += ", ";
            out += fmt::format("{} {} {}", label, op, num(t[key].get<double>()));
        }
    }
    return out;
}

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

} // namespace

severity run_report::status() const {
    severity s = severity::ok;
    for (const auto& r : rows) s = worst(s, r.level);
    return s;
}

nlohmann::ordered_json thresholds_json(const rule& r) {
    nlohmann::ordered_json j;
    j["direction"] = r.dir == direction::above ? "above" : "below";
    const bound* any = r.critical ? &*r.critical : r.warning ? &*r.warning : r.info ? &*r.info : nullptr;
    j["inclusive"] = any ? any->inclusive : false;
    j["target"] = r.info ? nlohmann::ordered_json(r.info->value) : nlohmann::ordered_json();
    j["warning"] = r.warning ? nlohmann::ordered_json(r.warning->value) : nlohmann::ordered_json();
    j["critical"] = r.critical ? nlohmann::ordered_json(r.critical->value) : nlohmann::ordered_json();
    return j;
}

nlohmann::ordered_json thresholds_json(const band_rule& b) {
    return {{"low", b.low}, {"high", b.high}, {"breach", to_string(b.breach)}, {"near_edge", to_string(b.near_edge)}};
}

nlohmann::ordered_json to_json(const run_report& r, const std::string& fail_on, int exit_code) {
    nlohmann::ordered_json j;
    j["tool"] = "driftgate";
    j["version"] = version_string;
    j["command"] = r.command;
    j["status"] = to_string(r.status() == severity::info ? severity::ok : r.status());
    j["fail_on"] = fail_on;
    j["exit_code"] = exit_code;
    j["inputs"] = r.inputs;
    std::map<std::string, int> counts{{"ok", 0}, {"info", 0}, {"warning", 0}, {"critical", 0}};
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const auto& row : r.rows) {
        ++counts[to_string(row.level)];
        nlohmann::ordered_json c;
        c["section"] = row.section;
        c["check"] = row.check;
        if (!row.column.empty()) c["column"] = row.column;
        c["value"] = std::isfinite(row.value) ? nlohmann::ordered_json(row.value) : nlohmann::ordered_json();
        c["severity"] = to_string(row.level);
        c["thresholds"] = row.thresholds;
        if (!row.note.empty()) c["note"] = row.note;
        for (const auto& [k, v] : row.details.items()) c[k] = v;
        checks.push_back(std::move(c));
    }
    j["summary"] = counts;
    j["checks"] = std::move(checks);
    j["notes"] = r.notes;
    return j;
}

std::string to_text(const run_report& r, bool color, const std::string& fail_on, int exit_code) {
    std::string out;
    const char* reset = color ? "\033[0m" : "";
    const char* bold = color ? "\033[1m" : "";
    std::vector<std::string> sections;
    for (const auto& row : r.rows)
        if (std::find(sections.begin(), sections.end(), row.section) == sections.end()) sections.push_back(row.section);
    for (const auto& sec : sections) {
        std::vector<std::array<std::string, 5>> cells{{"check", "column", "value", "thresholds", "severity"}};
        std::vector<severity> levels{severity::ok};
        std::vector<std::string> notes{""};
        for (const auto& row : r.rows) {
            if (row.section != sec) continue;
            cells.push_back({row.check, row.column.empty() ? "-" : row.column, num(row.value),
                             bound_text(row.thresholds), upper(to_string(row.level))});
            levels.push_back(row.level);
            notes.push_back(row.note);
        }
        std::array<std::size_t, 5> w{};
        for (const auto& c : cells)
            for (std::size_t i = 0; i < 5; ++i) w[i] = std::max(w[i], c[i].size());
        out += fmt::format("{}{}{}\n", bold, sec, reset);
        for (std::size_t k = 0; k < cells.size(); ++k) {
            const auto& c = cells[k];
            std::string sev = c[4];
            if (color && k > 0) sev = std::string(colour_of(levels[k])) + sev + reset;
            out += fmt::format("  {:<{}}  {:<{}}  {:>{}}  {:<{}}  {}", c[0], w[0], c[1], w[1], c[2], w[2], c[3], w[3], sev);
            if (!notes[k].empty()) out += "  (" + notes[k] + ")";
            out += "\n";
        }
        out += "\n";
    }
    for (const auto& n : r.notes) out += "note: " + n + "\n";
    std::map<severity, int> counts;
    for (const auto& row : r.rows) ++counts[row.level];
    const severity st = r.status();
    const std::string verdict = st >= severity::warning ? upper(to_string(st)) : "OK";
    out += fmt::format("{}verdict: {}{}{} - {} checks: {} critical, {} warning, {} info, {} ok (fail-on {}, exit {}){}\n",
                       bold, color ? colour_of(st == severity::info ? severity::ok : st) : "", verdict, color ? reset : "",
                       r.rows.size(), counts[severity::critical], counts[severity::warning], counts[severity::info],
                       counts[severity::ok], fail_on, exit_code, reset);
    return out;
}

} // namespace driftgate::cli
