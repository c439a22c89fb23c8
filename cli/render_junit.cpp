// driftgate CLI — the report as JUnit XML, the format CI systems (Jenkins, GitLab, GitHub
// actions that publish test reports) read: <testsuites>, one <testsuite> per section, one
// <testcase> per check named section/check/column. A check that breaches the --fail-on level
// has a <failure> whose message gives the value, the bounds and the severity; a breach below that
// level (a warning under --fail-on critical, an info) is reported in the test case's <system-out>
// and does not fail it. tests/junit.xsd is the schema the tests validate this against.
#include <fmt/format.h>

#include <driftgate/version.hpp>

#include "render.hpp"
#include "text.hpp"

namespace driftgate::cli {
namespace {

std::string x(std::string_view s) { return escape_markup(s); }
/// Element content: line feeds kept.
std::string content(std::string_view s) { return escape_markup(s, true); }

/// The figures of a check, one "key: value" per line (details flattened one level).
std::string figures(const check& c) {
    std::string out = fmt::format("value: {}\nseverity: {}\n", exact_number(c.value), to_string(c.level));
    const std::string b = bounds_text(c.thresholds);
    if (!b.empty()) out += "bounds: " + b + "\n";
    if (!c.note.empty()) out += "note: " + c.note + "\n";
    if (c.details.is_table())
        for (const auto& [k, v] : c.details.as_table())
            if (!v.is_list() && !v.is_table()) out += k + ": " + field_text(v) + "\n";
    return out;
}

} // namespace

std::string render_junit(const report& r, const run_info& run) {
    const std::string stamp = rfc3339_utc(run.started);
    std::size_t failures = 0;
    for (const auto& c : r.checks) failures += gate_fails(c.level, run.gate) ? 1 : 0;
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"driftgate {}\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", x(r.command),
                       r.checks.size(), failures);
    bool first = true;
    for (const auto& sec : section_order(r)) {
        const auto checks = checks_of(r, sec);
        std::size_t f = 0;
        for (const check* c : checks) f += gate_fails(c->level, run.gate) ? 1 : 0;
        out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
                           "timestamp=\"{}\">\n",
                           x(sec), checks.size(), f, stamp);
        if (first) {
            out += "    <properties>\n";
            auto prop = [&](const std::string& k, const std::string& v) {
                out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", x(k), x(v));
            };
            prop("driftgate.version", version_string);
            prop("driftgate.command", r.command);
            prop("driftgate.fail_on", to_string(run.gate));
            prop("driftgate.exit_code", std::to_string(run.exit_code));
            prop("driftgate.status", to_string(display_status(r)));
            if (r.inputs.is_table())
                for (const auto& [role, v] : r.inputs.as_table())
                    if (v.is_table())
                        for (const auto& [k, fv] : v.as_table())
                            if (!fv.is_list() && !fv.is_table()) prop("input." + role + "." + k, field_text(fv));
            out += "    </properties>\n";
        }
        for (const check* c : checks) {
            const std::string name = sec + "/" + c->name + "/" + c->column + (c->segment.empty() ? "" : "[" + c->segment + "]") +
                                     (c->window.empty() ? "" : "@" + c->window);
            out += fmt::format("    <testcase name=\"{}\" classname=\"driftgate.{}\">\n", x(name), x(sec));
            const std::string reason = breach_reason(*c);
            if (gate_fails(c->level, run.gate)) {
                out += fmt::format("      <failure type=\"{}\" message=\"{} (severity {}; bounds: {})\">{}</failure>\n",
                                   to_string(c->level), x(reason), to_string(c->level), x(bounds_text(c->thresholds)),
                                   content(figures(*c)));
            } else if (c->level != severity::ok) {
                out += fmt::format("      <system-out>{}: {} (below the --fail-on {} level)\n{}</system-out>\n",
                                   to_string(c->level), x(reason), to_string(run.gate), content(figures(*c)));
            }
            out += "    </testcase>\n";
        }
        if (first && !r.notes.empty()) {
            std::string notes;
            for (const auto& n : r.notes) notes += "note: " + n + "\n";
            out += "    <system-out>" + content(notes) + "</system-out>\n";
        }
        first = false;
        out += "  </testsuite>\n";
    }
    out += "</testsuites>\n";
    return out;
}

} // namespace driftgate::cli
