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
    if (!t.is_object()) return "";
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

nlohmann::ordered_json to_json(const report& r, fail_on gate, int exit_code) {
    nlohmann::ordered_json j;
    j["tool"] = "driftgate";
    j["version"] = version_string;
    j["command"] = r.command;
    j["status"] = to_string(r.status() == severity::info ? severity::ok : r.status());
    j["fail_on"] = to_string(gate);
    j["exit_code"] = exit_code;
    j["inputs"] = to_json(r.inputs);
    std::map<std::string, int> counts{{"ok", 0}, {"info", 0}, {"warning", 0}, {"critical", 0}};
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const auto& row : r.checks) {
        ++counts[to_string(row.level)];
        nlohmann::ordered_json c;
        c["section"] = row.section;
        c["check"] = row.name;
        if (!row.column.empty()) c["column"] = row.column;
        c["value"] = std::isfinite(row.value) ? nlohmann::ordered_json(row.value) : nlohmann::ordered_json();
        c["severity"] = to_string(row.level);
        c["thresholds"] = to_json(row.thresholds);
        if (!row.note.empty()) c["note"] = row.note;
        if (row.details.is_table())
            for (const auto& [k, v] : row.details.as_table()) c[k] = to_json(v);
        checks.push_back(std::move(c));
    }
    j["summary"] = counts;
    j["checks"] = std::move(checks);
    j["notes"] = r.notes;
    return j;
}

std::string to_text(const report& r, bool color, fail_on gate, int exit_code) {
    std::string out;
    const char* reset = color ? "\033[0m" : "";
    const char* bold = color ? "\033[1m" : "";
    std::vector<std::string> sections;
    for (const auto& row : r.checks)
        if (std::find(sections.begin(), sections.end(), row.section) == sections.end()) sections.push_back(row.section);
    for (const auto& sec : sections) {
        std::vector<std::array<std::string, 5>> cells{{"check", "column", "value", "thresholds", "severity"}};
        std::vector<severity> levels{severity::ok};
        std::vector<std::string> notes{""};
        for (const auto& row : r.checks) {
            if (row.section != sec) continue;
            cells.push_back({row.name, row.column.empty() ? "-" : row.column, num(row.value),
                             bound_text(to_json(row.thresholds)), upper(to_string(row.level))});
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
    for (const auto& row : r.checks) ++counts[row.level];
    const severity st = r.status();
    const std::string verdict = st >= severity::warning ? upper(to_string(st)) : "OK";
    out += fmt::format("{}verdict: {}{}{} - {} checks: {} critical, {} warning, {} info, {} ok (fail-on {}, exit {}){}\n",
                       bold, color ? colour_of(st == severity::info ? severity::ok : st) : "", verdict, color ? reset : "",
                       r.checks.size(), counts[severity::critical], counts[severity::warning], counts[severity::info],
                       counts[severity::ok], to_string(gate), exit_code, reset);
    return out;
}

} // namespace driftgate::cli
