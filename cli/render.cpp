#include "render.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "exit_codes.hpp"
#include "text.hpp"

namespace driftgate::cli {
namespace {

constexpr format_entry format_table[] = {
    {"text", render_text, "txt", "aligned tables and a verdict, for people at a terminal"},
    {"json", render_json, "json", "one JSON object, the contract for scripts (README: JSON output)"},
    {"markdown", render_markdown, "md", "the weekly report: verdict, sections, actions (GitHub/GitLab, mail)"},
    {"html", render_html, "html", "one self-contained page with inline SVG charts, no script, no request"},
    {"prometheus", render_prometheus, "prom", "text exposition format for node_exporter's textfile collector"},
    {"junit", render_junit, "xml", "JUnit XML: a test case per check, failures at the --fail-on level"},
};

struct known_section {
    std::string_view name, title;
};
constexpr known_section known_sections[] = {
    {"service", "Service health"},   {"schema", "Schema"},        {"data_quality", "Data quality"},
    {"drift", "Data drift"},         {"proxy", "Proxy metrics"},  {"performance", "Model performance"},
    {"fairness", "Fairness across segments"}, {"segments", "Segments"},
    {"windows", "Time windows"},
    {"estimate", "Estimated performance (before the labels)"},
};

struct known_check {
    std::string_view name, title;
};
constexpr known_check known_checks[] = {
    {"psi", "PSI"},
    {"csi", "CSI"},
    {"ks", "KS p-value"},
    {"chi2", "chi-square p-value"},
    {"jensen_shannon", "Jensen-Shannon distance"},
    {"wasserstein", "Wasserstein distance"},
    {"auc", "AUC"},
    {"disparate_impact", "disparate impact"},
    {"equal_opportunity_difference", "equal opportunity difference"},
    {"segment_size", "segment size"},
    {"segment_unjudged", "segment not judged"},
    {"window_size", "window size"},
    {"window_unjudged", "window not judged"},
    {"ks_statistic", "KS statistic"},
    {"recall", "recall"},
    {"precision", "precision"},
    {"brier", "Brier score"},
    {"high_risk_share", "high-risk share"},
    {"mean_score", "mean score"},
    {"approval_rate", "approval rate"},
    {"estimated_auc", "estimated AUC"},
    {"estimated_recall", "estimated recall"},
    {"estimated_precision", "estimated precision"},
    {"calibration", "calibration (Hosmer-Lemeshow p-value)"},
    {"pca_reconstruction_error", "PCA reconstruction error"},
};

std::optional<double> number_of(const field* f) {
    if (f && f->is_numeric()) return f->as_double();
    return std::nullopt;
}

/// Whether reaching the bound `key` ("target", "warning", "critical") of a rule's field is a breach:
/// `target_inclusive` for the target when the rule has it, else `inclusive`.
bool bound_inclusive(const field& rule, std::string_view key) {
    const field* inc = key == "target" && rule.find("target_inclusive") ? rule.find("target_inclusive") : rule.find("inclusive");
    return inc && inc->type() == field::kind::boolean && inc->as_bool();
}

/// "above"/"below" with the bound breached by v (inclusive rules say "at or above" when equal);
/// nullopt when v does not breach it.
std::optional<std::string> breach_words(double v, const field& rule, std::string_view key) {
    const auto bound = number_of(rule.find(key));
    if (!bound || std::isnan(v)) return std::nullopt;
    const field* dir = rule.find("direction");
    const bool above = !dir || dir->type() != field::kind::text || dir->as_text() == "above";
    const bool inclusive = bound_inclusive(rule, key);
    const bool breached = above ? (inclusive ? v >= *bound : v > *bound) : (inclusive ? v <= *bound : v < *bound);
    if (!breached) return std::nullopt;
    const char* rel = v == *bound ? "at" : above ? "above" : "below";
    const char* level = key == "target" ? "target" : key == "warning" ? "warning" : "critical";
    return fmt::format("{} the {} {}", rel, human_bound(*bound), level);
}

const char* level_key(severity s) {
    switch (s) {
    case severity::critical: return "critical";
    case severity::warning: return "warning";
    default: return "target";
    }
}

/// A detail's name in words: statistic of a KS test is D.
std::string detail_title(const check& c, std::string_view key) {
    if (key == "statistic") return c.name == "ks" ? "D" : c.name == "chi2" ? "X2" : "statistic";
    return std::string(key);
}

} // namespace

std::span<const format_entry> formats() { return format_table; }

const format_entry* find_format(std::string_view name) {
    for (const auto& f : format_table)
        if (f.name == name) return &f;
    return nullptr;
}

std::string format_names(std::string_view sep) {
    std::string out;
    for (const auto& f : format_table) {
        if (!out.empty()) out += sep;
        out += f.name;
    }
    return out;
}

std::vector<std::pair<output_target, const format_entry*>> plan_outputs(const std::string& format,
                                                                       const std::optional<std::string>& output,
                                                                       bool quiet, const std::vector<std::string>& reports) {
    std::vector<std::pair<output_target, const format_entry*>> out;
    const format_entry* main_format = find_format(format);
    if (!main_format) throw cli_error(exit_code::usage, fmt::format("--format {}: unknown (formats: {})", format, format_names()));
    if (output) {
        out.push_back({{*output, "--output"}, main_format});
    } else if (!quiet) {
        out.push_back({{"", "--format " + format}, main_format});
    }
    for (const auto& spec : reports) {
        const auto eq = spec.find('=');
        const std::string name = spec.substr(0, eq);
        const format_entry* f = find_format(name);
        if (!f)
            throw cli_error(exit_code::usage,
                            fmt::format("--report {}: unknown format \"{}\" (formats: {})", spec, name, format_names()));
        const std::string path =
            eq == std::string::npos ? fmt::format("driftgate-report.{}", f->extension) : spec.substr(eq + 1);
        if (path.empty()) throw cli_error(exit_code::usage, fmt::format("--report {}: an empty file name", spec));
        out.push_back({{path, "--report " + name}, f});
    }
    return out;
}

severity display_status(const report& r) noexcept {
    const severity s = r.status();
    return s == severity::info ? severity::ok : s;
}

std::array<std::size_t, 4> severity_counts(const report& r) noexcept {
    std::array<std::size_t, 4> n{};
    for (const auto& c : r.checks) ++n[static_cast<std::size_t>(c.level)];
    return n;
}

std::vector<std::string> section_order(const report& r) {
    std::vector<std::string> out;
    for (const auto& k : known_sections)
        for (const auto& c : r.checks)
            if (c.section == k.name) {
                out.emplace_back(k.name);
                break;
            }
    for (const auto& c : r.checks)
        if (std::find(out.begin(), out.end(), c.section) == out.end()) out.push_back(c.section);
    return out;
}

std::string section_title(std::string_view section) {
    for (const auto& k : known_sections)
        if (k.name == section) return std::string(k.title);
    std::string t(section);
    std::replace(t.begin(), t.end(), '_', ' ');
    return t;
}

std::string check_title(std::string_view name) {
    for (const auto& k : known_checks)
        if (k.name == name) return std::string(k.title);
    std::string t(name);
    std::replace(t.begin(), t.end(), '_', ' ');
    return t;
}

std::vector<const check*> checks_of(const report& r, std::string_view section, bool windows) {
    std::vector<const check*> out;
    for (const auto& c : r.checks)
        if (c.section == section && (windows || c.window.empty())) out.push_back(&c);
    std::stable_sort(out.begin(), out.end(), [](const check* a, const check* b) { return a->level > b->level; });
    return out;
}

std::vector<trend> trends(const report& r) {
    std::vector<trend> out;
    for (const auto& sec : section_order(r)) {
        if (sec == "windows") continue;
        const std::size_t first = out.size();
        std::unordered_map<std::string, std::size_t> index;  // name and subject -> its trend
        for (const auto& c : r.checks) {
            if (c.section != sec || c.window.empty()) continue;
            check key;  // the subject without the window
            key.column = c.column;
            key.segment = c.segment;
            std::string sub = subject(key);
            const auto [at, fresh] = index.try_emplace(c.name + '\0' + sub, out.size());
            if (fresh) out.push_back({sec, c.name, std::move(sub), {}, severity::ok});
            trend& t = out[at->second];
            t.points.push_back(&c);
            t.level = worst(t.level, c.level);
        }
        std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                         [](const trend& a, const trend& b) { return a.level > b.level; });
    }
    for (auto& t : out)
        t.flat = t.level == severity::ok && std::all_of(t.points.begin(), t.points.end(), [&](const check* c) {
                     return std::isfinite(c->value) && c->value == t.points.front()->value;
                 });
    return out;
}

std::string flat_trends_text(const std::vector<trend>& trends) {
    std::string out;
    for (const auto& t : trends)
        if (t.flat)
            out += fmt::format("{}{} of {} ({})", out.empty() ? "" : "; ", check_title(t.name), t.subject, value_text(*t.points.front()));
    return out;
}

std::vector<std::string> report_windows(const report& r) {
    std::vector<std::string> out;
    std::unordered_set<std::string_view> seen;
    for (const auto& c : r.checks)
        if (!c.window.empty() && seen.insert(c.window).second) out.push_back(c.window);
    return out;
}

std::vector<window_summary> window_summaries(const report& r) {
    std::vector<window_summary> out;
    std::unordered_map<std::string_view, std::size_t> index;  // views of the checks' windows (r outlives it)
    for (const auto& c : r.checks)
        if (!c.window.empty() && index.try_emplace(c.window, out.size()).second) out.push_back({c.window, severity::ok, 0, {}});
    for (const auto& c : r.checks) {
        if (c.window.empty()) continue;
        window_summary& s = out[index.at(c.window)];
        s.level = worst(s.level, c.level);
        s.breaches += c.level >= severity::warning;
        if (c.section == "windows") s.note = fmt::format("{}: {}", check_title(c.name), c.note);
    }
    return out;
}

std::string sparkline(const std::vector<const check*>& points) {
    static constexpr const char* blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
    double lo = INFINITY, hi = -INFINITY;
    for (const check* c : points)
        if (std::isfinite(c->value)) {
            lo = std::min(lo, c->value);
            hi = std::max(hi, c->value);
        }
    std::string out;
    for (const check* c : points) {
        if (!std::isfinite(c->value)) {
            out += ' ';
            continue;
        }
        const double f = hi > lo ? (c->value - lo) / (hi - lo) : 0.0;
        out += blocks[std::min(7, static_cast<int>(f * 8.0))];
    }
    return out;
}

const field* numeric_detail(const check& c, std::string_view key) noexcept {
    const field* f = c.details.find(key);
    return f && f->is_numeric() ? f : nullptr;
}

std::string value_text(const check& c) {
    std::string out = human_number(c.value);
    const field* lo = numeric_detail(c, "ci_lower");
    const field* hi = numeric_detail(c, "ci_upper");
    if (lo && hi) out += fmt::format(" [{}, {}]", human_number(lo->as_double()), human_number(hi->as_double()));
    std::vector<std::string> extra;
    const field* pv = numeric_detail(c, "pvalue");
    const bool value_is_p = pv && (pv->as_double() == c.value || (std::isnan(c.value) && std::isnan(pv->as_double())));
    if (const field* st = numeric_detail(c, "statistic"); st && value_is_p)
        extra.push_back(fmt::format("{} {}", detail_title(c, "statistic"), human_number(st->as_double())));
    if (const field* lp = numeric_detail(c, "log_pvalue"); lp && value_is_p && c.value == 0.0)
        extra.push_back(fmt::format("ln p {}", human_number(lp->as_double())));
    if (!extra.empty()) {
        out += " (";
        for (std::size_t i = 0; i < extra.size(); ++i) out += (i ? ", " : "") + extra[i];
        out += ")";
    }
    return out;
}

std::string bounds_text(const field& t) {
    if (!t.is_table()) return "";
    if (t.find("low") && t.find("high")) {
        const field* breach = t.find("breach");
        return fmt::format("outside [{}, {}]: {}", human_bound(number_of(t.find("low")).value_or(NAN)),
                           human_bound(number_of(t.find("high")).value_or(NAN)),
                           breach && breach->type() == field::kind::text ? breach->as_text() : "breach");
    }
    std::string out;
    if (t.find("direction")) {
        const field* dir = t.find("direction");
        const bool above = dir->type() != field::kind::text || dir->as_text() == "above";
        for (const auto& [key, label] : {std::pair{"target", "info"}, {"warning", "warn"}, {"critical", "crit"}}) {
            if (const auto b = number_of(t.find(key))) {
                const bool incl = bound_inclusive(t, key);
                const char* op = above ? (incl ? ">=" : ">") : (incl ? "<=" : "<");
                if (!out.empty()) out += ", ";
                out += fmt::format("{} {} {}", label, op, human_bound(*b));
            }
        }
    }
    // Rules on other figures of the check (e.g. KS thresholds on D): "statistic: crit >= 0.2".
    for (const auto& [key, sub] : t.as_table()) {
        if (!sub.is_table()) continue;
        const std::string inner = bounds_text(sub);
        if (inner.empty()) continue;
        if (!out.empty()) out += "; ";
        out += key + ": " + inner;
    }
    return out;
}

std::string breach_reason(const check& c) {
    const std::string what = check_title(c.name);
    if (std::isnan(c.value))
        return c.note.rfind("not judged", 0) == 0 ? fmt::format("{} {}", what, c.note)
                                                  : fmt::format("{} undefined, judged as a breach", what);
    const field& t = c.thresholds;
    if (t.is_table() && t.find("low") && t.find("high")) {
        const double lo = number_of(t.find("low")).value_or(NAN), hi = number_of(t.find("high")).value_or(NAN);
        if (c.value < lo || c.value > hi)
            return fmt::format("{} {}, outside [{}, {}]", what, value_text(c), human_bound(lo), human_bound(hi));
        return fmt::format("{} {}, inside [{}, {}] but its interval crosses an edge", what, value_text(c),
                           human_bound(lo), human_bound(hi));
    }
    if (t.is_table()) {
        if (auto w = breach_words(c.value, t, level_key(c.level)))
            return fmt::format("{} {}, {}", what, value_text(c), *w);
        // A rule on another figure of the check (thresholds.X judges details.X).
        for (const auto& [key, sub] : t.as_table()) {
            if (!sub.is_table()) continue;
            const field* d = numeric_detail(c, key);
            if (!d) continue;
            if (auto w = breach_words(d->as_double(), sub, level_key(c.level)))
                return fmt::format("{} {} {}, {}", what, detail_title(c, key), human_number(d->as_double()), *w);
        }
    }
    std::string out = fmt::format("{} {}, {}", what, value_text(c), to_string(c.level));
    if (!c.note.empty()) out += " (" + c.note + ")";
    return out;
}

std::vector<action> actions(const report& r) {
    const std::vector<std::string> order = section_order(r);
    std::vector<action> out;
    std::vector<std::size_t> section_rank;
    for (const auto& sec : order) {
        std::vector<std::string> subjects;
        for (const check* c : checks_of(r, sec)) {
            if (c->level == severity::ok) continue;
            // The column (or the check), with its segment and window: "x [SEX=2] @ 2026-W05".
            const std::string subject = c->column.empty() && c->segment.empty() && c->window.empty() ? c->name : driftgate::subject(*c);
            auto it = std::find_if(out.begin(), out.end(),
                                   [&](const action& a) { return a.section == sec && a.subject == subject; });
            if (it == out.end()) {
                out.push_back({c->level, "", subject, sec, {}});
                section_rank.push_back(static_cast<std::size_t>(&sec - order.data()));
                it = out.end() - 1;
            }
            it->level = worst(it->level, c->level);
            it->reasons.push_back(breach_reason(*c));
        }
    }
    for (auto& a : out)
        a.verb = a.level == severity::critical ? "Act now on" : a.level == severity::warning ? "Investigate" : "Monitor";
    std::vector<std::size_t> idx(out.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        if (out[a].level != out[b].level) return out[a].level > out[b].level;
        return section_rank[a] < section_rank[b];
    });
    std::vector<action> sorted;
    for (const std::size_t i : idx) sorted.push_back(std::move(out[i]));
    return sorted;
}

std::optional<pivot_table> pivot(const std::vector<const check*>& checks) {
    pivot_table t;
    // A row per column and segment (the subject: "s", "s [SEX=2]", ...), found once per check.
    std::vector<std::string> subjects;
    std::vector<std::size_t> row_of(checks.size());
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const check* c = checks[i];
        if (std::find(t.names.begin(), t.names.end(), c->name) == t.names.end()) t.names.push_back(c->name);
        std::string sub = subject(*c);
        const auto at = std::find(subjects.begin(), subjects.end(), sub);
        row_of[i] = static_cast<std::size_t>(at - subjects.begin());
        if (at == subjects.end()) subjects.push_back(std::move(sub));
    }
    bool repeated = false;  // some check appears in two rows
    for (std::size_t i = 0; i < checks.size() && !repeated; ++i)
        for (std::size_t j = 0; j < checks.size(); ++j)
            if (row_of[j] != row_of[i] && checks[j]->name == checks[i]->name) repeated = true;
    if (subjects.size() < 2 || !repeated) return std::nullopt;
    for (auto& sub : subjects)
        t.rows.push_back(pivot_row{std::move(sub), severity::ok, std::vector<const check*>(t.names.size(), nullptr)});
    std::vector<double> key(t.rows.size(), -1.0);
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const check* c = checks[i];
        pivot_row& row = t.rows[row_of[i]];
        const auto k = static_cast<std::size_t>(std::find(t.names.begin(), t.names.end(), c->name) - t.names.begin());
        if (!row.cells[k]) row.cells[k] = c;
        row.level = worst(row.level, c->level);
        if ((c->name == "psi" || c->name == "csi") && std::isfinite(c->value)) key[row_of[i]] = c->value;
    }
    std::vector<std::size_t> idx(t.rows.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        if (t.rows[a].level != t.rows[b].level) return t.rows[a].level > t.rows[b].level;
        return key[a] > key[b];
    });
    std::vector<pivot_row> rows;
    for (const std::size_t i : idx) rows.push_back(std::move(t.rows[i]));
    t.rows = std::move(rows);
    return t;
}

std::vector<std::pair<std::string, std::string>> bounds_by_name(const std::vector<const check*>& checks) {
    std::vector<std::pair<std::string, std::string>> out;
    std::vector<std::vector<std::string>> seen;
    for (const check* c : checks) {
        const std::string b = bounds_text(c->thresholds);
        if (b.empty()) continue;
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == c->name; });
        if (it == out.end()) {
            out.emplace_back(c->name, b);
            seen.push_back({b});
        } else {
            auto& s = seen[static_cast<std::size_t>(it - out.begin())];
            if (std::find(s.begin(), s.end(), b) == s.end()) {
                s.push_back(b);
                it->second += (s.size() == 2 ? "; on other columns: " : "; or: ") + b;
            }
        }
    }
    return out;
}

std::string field_text(const field& f) {
    switch (f.type()) {
    case field::kind::null: return "";
    case field::kind::boolean: return f.as_bool() ? "yes" : "no";
    case field::kind::integer: return fmt::format("{}", f.as_int());
    case field::kind::unsigned_integer: return fmt::format("{}", f.as_uint());
    case field::kind::number: return human_number(f.as_double());
    case field::kind::text: return f.as_text();
    case field::kind::list: {
        const auto& l = f.as_list();
        const bool scalars = l.size() <= 8 && std::none_of(l.begin(), l.end(), [](const field& x) {
                                 return x.is_list() || x.is_table();
                             });
        if (!scalars) return fmt::format("[{} items]", l.size());
        std::string out;
        for (const auto& x : l) out += (out.empty() ? "" : "; ") + field_text(x);
        return out;
    }
    case field::kind::table: return fmt::format("[{} fields]", f.as_table().size());
    }
    return "";
}

std::string bin_label(const field& bin) {
    if (const field* m = bin.find("missing"); m && m->type() == field::kind::boolean && m->as_bool()) return "missing";
    if (const field* u = bin.find("unseen"); u && u->type() == field::kind::boolean && u->as_bool()) return "unseen";
    for (const char* key : {"label", "category", "value"})
        if (const field* v = bin.find(key); v && !v->is_null()) return field_text(*v);
    const field* lo = bin.find("lower");
    const field* hi = bin.find("upper");
    if (lo || hi) {
        auto end = [](const field* f, const char* open) {
            if (!f || f->is_null()) return std::string(open);
            return field_text(*f);
        };
        return fmt::format("[{}, {})", end(lo, "-inf"), end(hi, "inf"));
    }
    return "";
}

} // namespace driftgate::cli
