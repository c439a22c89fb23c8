// driftgate CLI — the report as one self-contained HTML page: no script, no style sheet, font or
// image fetched (nothing with a src or href leaves the file), inline SVG charts each in its own
// <svg>, a colour scheme for light and dark mode (prefers-color-scheme) and for print. Every text
// from the data is escaped (escape_markup).
//
// Charts, each drawn only where the report has its figures: for each measure judged above a
// bound over several columns (PSI per feature), a ranked bar chart with its warning and critical
// lines; for a check with `bins`, the reference and current shares per bin side by side (for
// columns at warning or worse, and always for the score's CSI: the score distribution); for a
// check with `roc`, the ROC curve with its AUC and interval.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <driftgate/version.hpp>

#include "render.hpp"
#include "text.hpp"

namespace driftgate::cli {
namespace {

constexpr const char* style = R"(
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;
--ref:#4c78a8;--cur:#e45756;--ok:#1a7f37;--info:#0969da;--warning:#9a6700;--critical:#cf222e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--panel:#151b23;--ref:#79a8dc;--cur:#ff8b7e;--ok:#3fb950;--info:#4493f8;--warning:#d29922;--critical:#f85149}}
body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;
margin:0 auto;max-width:1100px;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;margin:.6rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:var(--panel)}td.num{text-align:right}
table.inputs{font-size:.85em}table.inputs td:not(.num){overflow-wrap:anywhere;max-width:28rem}
.muted{color:var(--muted)}.verdict{font-size:1.15rem}
.badge{display:inline-block;border-radius:.8em;padding:0 .55em;font-size:.8em;font-weight:600;border:1px solid currentColor}
.b-ok{color:var(--ok)}.b-info{color:var(--info)}.b-warning{color:var(--warning)}.b-critical{color:var(--critical)}
svg{display:block;max-width:100%;height:auto;margin:.5rem 0 1rem}
svg text{fill:var(--fg);font:12px system-ui,sans-serif}svg .small{font-size:10px}
.axis{stroke:var(--muted);stroke-width:1}.grid{stroke:var(--line);stroke-width:1}
.ref{fill:var(--ref)}.cur{fill:var(--cur)}.f-ok{fill:var(--ok)}.f-info{fill:var(--info)}
.f-warning{fill:var(--warning)}.f-critical{fill:var(--critical)}
.l-warning{stroke:var(--warning);stroke-width:1.5;stroke-dasharray:5 3}.l-critical{stroke:var(--critical);stroke-width:1.5;stroke-dasharray:5 3}
.curve{fill:none;stroke:var(--ref);stroke-width:2}.diag{stroke:var(--muted);stroke-dasharray:4 4}
ul.actions li{margin:.3rem 0}
.trends{display:flex;flex-wrap:wrap;gap:0 1rem}.trends svg{margin:.3rem 0}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#999;--panel:#eee}body{max-width:none;padding:0;font-size:11pt}
section,svg,table{break-inside:avoid}.badge{border-width:2px}}
)";

std::string e(std::string_view s) { return escape_markup(s); }

std::string html_badge(severity s) {
    return fmt::format(R"~(<span class="badge b-{0}">{0}</span>)~", to_string(s));
}

std::string px(double v) { return fmt::format("{:.1f}", v); }

/// A label no longer than n characters (code points), with an ellipsis when cut.
std::string shorten(const std::string& s, std::size_t n) {
    std::size_t count = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == n) return s.substr(0, i) + "\u2026";
            ++count;
        }
    }
    return s;
}

std::optional<double> num(const field* f) {
    if (f && f->is_numeric()) return f->as_double();
    return std::nullopt;
}

/// Ranked horizontal bars of one measure over columns, with its bounds as vertical lines.
std::string ranked_chart(const std::string& name, std::vector<const check*> checks) {
    std::stable_sort(checks.begin(), checks.end(), [](const check* a, const check* b) {
        const double x = std::isfinite(a->value) ? a->value : -1, y = std::isfinite(b->value) ? b->value : -1;
        return x > y;
    });
    struct line {
        double v;
        std::string level;
    };
    std::vector<line> lines;
    double top = 0.0;
    for (const check* c : checks) {
        if (std::isfinite(c->value)) top = std::max(top, c->value);
        for (const char* key : {"warning", "critical"})
            if (auto b = num(c->thresholds.find(key))) {
                if (std::none_of(lines.begin(), lines.end(), [&](const line& l) { return l.v == *b && l.level == key; }))
                    lines.push_back({*b, key});
                top = std::max(top, *b);
            }
    }
    if (!(top > 0)) top = 1.0;
    top *= 1.1;
    const double left = 160, width = 560, row_h = 20, head = 24;
    const double height = head + row_h * static_cast<double>(checks.size()) + 28;
    std::string s = fmt::format(R"~(<svg viewBox="0 0 {} {}" width="{}" role="img">)~",
                                px(left + width + 70), px(height), px(left + width + 70));
    s += fmt::format("<title>{} per column, ranked</title>", e(check_title(name)));
    const double x0 = left;
    auto xs = [&](double v) { return x0 + width * std::clamp(v / top, 0.0, 1.0); };
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const check& c = *checks[i];
        const double y = head + row_h * static_cast<double>(i);
        const double w = std::isfinite(c.value) ? xs(c.value) - x0 : 0.0;
        s += fmt::format(R"~(<g><title>{}: {} ({})</title>)~", e(c.column), e(value_text(c)), to_string(c.level));
        s += fmt::format(R"~(<text x="{}" y="{}" text-anchor="end">{}</text>)~", px(left - 6), px(y + 14),
                         e(shorten(c.column, 22)));
        s += fmt::format(R"~(<rect class="f-{}" x="{}" y="{}" width="{}" height="{}"/>)~", to_string(c.level), px(x0),
                         px(y + 3), px(std::max(w, 1.0)), px(row_h - 6));
        s += fmt::format(R"~(<text class="small" x="{}" y="{}">{}</text></g>)~", px(x0 + w + 4), px(y + 14),
                         e(human_number(c.value)));
    }
    const double y_end = head + row_h * static_cast<double>(checks.size());
    s += fmt::format(R"~(<line class="axis" x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>)~", px(x0), px(head - 4), px(y_end));
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const auto& l = lines[k];
        const double x = xs(l.v);
        s += fmt::format(R"~(<line class="l-{}" x1="{}" y1="{}" x2="{}" y2="{}"/>)~", l.level, px(x), px(head - 8), px(x),
                         px(y_end + 4));
        s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="middle">{} {}</text>)~", px(x),
                         px(k % 2 ? y_end + 24 : y_end + 14), l.level, e(human_bound(l.v)));
    }
    return s + "</svg>\n";
}

/// Reference and current shares per bin, side by side.
std::string bins_chart(const check& c, const field& bins) {
    const auto& list = bins.as_list();
    const std::size_t n = list.size();
    double top = 0.0;
    for (const auto& b : list)
        for (const char* k : {"reference_share", "current_share"})
            if (auto v = num(b.find(k))) top = std::max(top, *v);
    if (!(top > 0)) top = 1.0;
    top *= 1.1;
    const bool rotate = n > 8;
    const double left = 48, plot_w = std::max(320.0, std::min(880.0, 56.0 * static_cast<double>(n))),
                 plot_h = 180, top_pad = 26, bottom = rotate ? 90 : 36;
    const double W = left + plot_w + 16, H = top_pad + plot_h + bottom;
    std::string s = fmt::format(R"~(<svg viewBox="0 0 {} {}" width="{}" role="img">)~",
                                px(W), px(H), px(W));
    s += fmt::format("<title>{} of {}: reference and current share per bin</title>", e(check_title(c.name)),
                     e(c.column));
    s += fmt::format(R"~(<rect class="ref" x="{}" y="6" width="10" height="10"/><text x="{}" y="15">reference</text>)~",
                     px(left), px(left + 14));
    s += fmt::format(R"~(<rect class="cur" x="{}" y="6" width="10" height="10"/><text x="{}" y="15">current</text>)~",
                     px(left + 90), px(left + 104));
    auto ys = [&](double v) { return top_pad + plot_h * (1.0 - std::clamp(v / top, 0.0, 1.0)); };
    for (int t = 0; t <= 4; ++t) {
        const double v = top / 1.1 * t / 4.0;
        s += fmt::format(R"~(<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>)~", px(left), px(ys(v)), px(left + plot_w),
                         px(ys(v)));
        s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="end">{:.0f}%</text>)~", px(left - 4),
                         px(ys(v) + 3), 100.0 * v);
    }
    const double band = plot_w / static_cast<double>(std::max<std::size_t>(n, 1));
    for (std::size_t i = 0; i < n; ++i) {
        const field& b = list[i];
        const double x = left + band * static_cast<double>(i);
        const std::string label = bin_label(b);
        const double bw = band * 0.38;
        const auto rs = num(b.find("reference_share")), cs = num(b.find("current_share"));
        s += fmt::format("<g><title>{}: reference {}, current {}</title>", e(label),
                         rs ? fmt::format("{:.2f}%", 100 * *rs) : "n/a", cs ? fmt::format("{:.2f}%", 100 * *cs) : "n/a");
        if (rs)
            s += fmt::format(R"~(<rect class="ref" x="{}" y="{}" width="{}" height="{}"/>)~", px(x + band * 0.1), px(ys(*rs)),
                             px(bw), px(top_pad + plot_h - ys(*rs)));
        if (cs)
            s += fmt::format(R"~(<rect class="cur" x="{}" y="{}" width="{}" height="{}"/>)~", px(x + band * 0.1 + bw),
                             px(ys(*cs)), px(bw), px(top_pad + plot_h - ys(*cs)));
        const double lx = x + band / 2, ly = top_pad + plot_h + 14;
        if (rotate)
            s += fmt::format(R"~(<text class="small" x="{0}" y="{1}" text-anchor="end" transform="rotate(-40 {0} {1})">{2}</text>)~",
                             px(lx), px(ly), e(shorten(label, 18)));
        else
            s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="middle">{}</text>)~", px(lx), px(ly),
                             e(shorten(label, 14)));
        s += "</g>";
    }
    s += fmt::format(R"~(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)~", px(left), px(top_pad + plot_h),
                     px(left + plot_w));
    return s + "</svg>\n";
}

/// The ROC curve from a `roc` detail ({"fpr": [...], "tpr": [...]}), with the AUC and its interval.
std::string roc_chart(const check& c, const field& roc) {
    const field* fpr = roc.find("fpr");
    const field* tpr = roc.find("tpr");
    if (!fpr || !tpr || !fpr->is_list() || !tpr->is_list()) return "";
    const auto& xs = fpr->as_list();
    const auto& ys = tpr->as_list();
    const double left = 48, size = 300, top = 30;
    const double W = left + size + 20, H = top + size + 44;
    std::string s = fmt::format(R"~(<svg viewBox="0 0 {} {}" width="{}" role="img">)~",
                                px(W), px(H), px(W));
    s += fmt::format("<title>ROC curve of {}</title>", e(c.column));
    std::string caption = fmt::format("{} {}", check_title(c.name), human_number(c.value));
    const auto lo = num(c.details.find("ci_lower")), hi = num(c.details.find("ci_upper"));
    if (lo && hi) {
        const auto level = num(c.details.find("level"));
        caption += fmt::format(" ({:g}% CI {} to {})", 100.0 * level.value_or(0.95), human_number(*lo), human_number(*hi));
    }
    s += fmt::format(R"~(<text x="{}" y="18">{}</text>)~", px(left), e(caption));
    auto X = [&](double v) { return left + size * std::clamp(v, 0.0, 1.0); };
    auto Y = [&](double v) { return top + size * (1.0 - std::clamp(v, 0.0, 1.0)); };
    for (int t = 0; t <= 4; ++t) {
        const double v = t / 4.0;
        s += fmt::format(R"~(<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>)~", px(X(0)), px(Y(v)), px(X(1)), px(Y(v)));
        s += fmt::format(R"~(<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>)~", px(X(v)), px(Y(0)), px(X(v)), px(Y(1)));
        s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="end">{:g}</text>)~", px(X(0) - 4), px(Y(v) + 3), v);
        s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="middle">{:g}</text>)~", px(X(v)), px(Y(0) + 14), v);
    }
    s += fmt::format(R"~(<line class="diag" x1="{}" y1="{}" x2="{}" y2="{}"/>)~", px(X(0)), px(Y(0)), px(X(1)), px(Y(1)));
    std::string points;
    for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i)
        if (xs[i].is_numeric() && ys[i].is_numeric())
            points += fmt::format("{}{},{}", points.empty() ? "" : " ", px(X(xs[i].as_double())), px(Y(ys[i].as_double())));
    s += fmt::format(R"~(<polyline class="curve" points="{}"/>)~", points);
    s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="middle">false positive rate</text>)~",
                     px(X(0.5)), px(Y(0) + 30));
    s += fmt::format(R"~(<text class="small" x="{0}" y="{1}" text-anchor="middle" transform="rotate(-90 {0} {1})">true positive rate</text>)~",
                     px(left - 30), px(Y(0.5)));
    return s + "</svg>\n";
}

std::string html_inputs_table(const report& r) {
    if (!r.inputs.is_table() || r.inputs.as_table().empty()) return "";
    std::vector<std::string> keys;
    for (const auto& [role, v] : r.inputs.as_table())
        if (v.is_table())
            for (const auto& [k, x] : v.as_table())
                if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    std::string s = "<table class=\"inputs\"><tr><th>input</th>";
    for (const auto& k : keys) s += "<th>" + e(k) + "</th>";
    s += "</tr>\n";
    for (const auto& [role, v] : r.inputs.as_table()) {
        s += "<tr><th>" + e(role) + "</th>";
        for (const auto& k : keys) {
            const field* x = v.find(k);
            const bool numeric = x && x->is_numeric();
            s += numeric ? "<td class=\"num\">" : "<td>";
            s += x ? e(field_text(*x)) : "";
            s += "</td>";
        }
        s += "</tr>\n";
    }
    return s + "</table>\n";
}

std::string pivot_html(const pivot_table& t, const std::vector<const check*>& checks) {
    std::string s = "<table><tr><th>column</th><th>severity</th>";
    for (const auto& n : t.names) s += "<th>" + e(check_title(n)) + "</th>";
    s += "</tr>\n";
    for (const auto& row : t.rows) {
        s += "<tr><td>" + e(row.column) + "</td><td>" + html_badge(row.level) + "</td>";
        for (const check* c : row.cells) {
            s += "<td class=\"num\">";
            if (c) {
                s += e(value_text(*c));
                if (c->level != severity::ok) { s += ' '; s += html_badge(c->level); }
                if (!c->note.empty()) s += "<br><span class=\"muted\">" + e(c->note) + "</span>";
            }
            s += "</td>";
        }
        s += "</tr>\n";
    }
    s += "</table>\n";
    const auto bounds = bounds_by_name(checks);
    if (!bounds.empty()) {
        s += "<p class=\"muted\">Bounds: ";
        for (std::size_t i = 0; i < bounds.size(); ++i)
            s += (i ? "; " : "") + e(check_title(bounds[i].first)) + ": " + e(bounds[i].second);
        s += "</p>\n";
    }
    return s;
}

std::string list_html(const std::vector<const check*>& checks) {
    std::string s = "<table><tr><th>check</th><th>column</th><th>value</th><th>bounds</th><th>severity</th><th>note</th></tr>\n";
    for (const check* c : checks)
        s += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         e(check_title(c->name)), e(subject(*c)), e(value_text(*c)),
                         e(bounds_text(c->thresholds)), html_badge(c->level), e(c->note));
    return s + "</table>\n";
}

/// One check across the time windows: its value per window (x: the report's windows in time
/// order, so a window without the check leaves a gap), points coloured by severity, its bounds as
/// dashed lines.
std::string trend_chart(const trend& t, const std::vector<std::string>& windows) {
    double lo = INFINITY, hi = -INFINITY;
    struct bound {
        double v;
        const char* level;
    };
    std::vector<bound> bounds;
    for (const check* c : t.points) {
        if (std::isfinite(c->value)) {
            lo = std::min(lo, c->value);
            hi = std::max(hi, c->value);
        }
        for (const char* key : {"warning", "critical"})
            if (auto b = num(c->thresholds.find(key)); b && std::isfinite(*b) &&
                                                       std::none_of(bounds.begin(), bounds.end(), [&](const bound& x) {
                                                           return x.v == *b && std::string_view(x.level) == key;
                                                       }))
                bounds.push_back({*b, key});
    }
    for (const auto& b : bounds) {
        lo = std::min(lo, b.v);
        hi = std::max(hi, b.v);
    }
    if (!std::isfinite(lo)) lo = 0.0, hi = 1.0;
    if (hi <= lo) {
        const double pad = lo == 0.0 ? 1.0 : std::fabs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    const double pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    const double left = 58, top = 10, width = 250, height = 100, w_all = left + width + 12, h_all = top + height + 34;
    const std::size_t n = windows.size();
    auto xs = [&](std::size_t i) { return left + (n > 1 ? width * static_cast<double>(i) / static_cast<double>(n - 1) : width / 2); };
    auto ys = [&](double v) { return top + height * (1.0 - (v - lo) / (hi - lo)); };
    std::string s = fmt::format(R"~(<svg class="trend" viewBox="0 0 {0} {1}" width="{0}" role="img">)~", px(w_all), px(h_all));
    s += fmt::format("<title>{} of {} per window</title>", e(check_title(t.name)), e(t.subject));
    s += fmt::format(R"~(<line class="axis" x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>)~", px(left), px(top), px(top + height));
    s += fmt::format(R"~(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)~", px(left), px(top + height), px(left + width));
    for (const double v : {lo + pad, hi - pad})
        s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="end">{}</text>)~", px(left - 4), px(ys(v) + 3),
                         e(human_number(v)));
    for (const auto& b : bounds)
        s += fmt::format(R"~(<line class="l-{0}" x1="{1}" y1="{2}" x2="{3}" y2="{2}"><title>{0} {4}</title></line>)~", b.level,
                         px(left), px(ys(b.v)), px(left + width), e(human_bound(b.v)));
    std::string path;
    std::string dots;
    for (std::size_t i = 0; i < n; ++i) {
        const auto at = std::find_if(t.points.begin(), t.points.end(), [&](const check* c) { return c->window == windows[i]; });
        if (at == t.points.end() || !std::isfinite((*at)->value)) {
            if (at != t.points.end())  // undefined: a mark on the axis, coloured by its severity
                dots += fmt::format(R"~(<rect class="f-{}" x="{}" y="{}" width="6" height="6"><title>{}: undefined</title></rect>)~",
                                    to_string((*at)->level), px(xs(i) - 3), px(top + height - 3), e(windows[i]));
            path += path.empty() || path.back() == ' ' ? "" : " ";
            if (!path.empty()) path += "M";  // a gap: the next point starts a new segment
            continue;
        }
        const check& c = **at;
        path += fmt::format("{}{},{}", path.empty() ? "M" : path.back() == 'M' ? "" : " L", px(xs(i)), px(ys(c.value)));
        dots += fmt::format(R"~(<circle class="f-{}" cx="{}" cy="{}" r="3.5"><title>{}: {} ({})</title></circle>)~",
                            to_string(c.level), px(xs(i)), px(ys(c.value)), e(windows[i]), e(value_text(c)), to_string(c.level));
    }
    while (!path.empty() && (path.back() == 'M' || path.back() == ' ')) path.pop_back();
    if (!path.empty()) s += fmt::format(R"~(<path class="curve" d="{}"/>)~", path);
    s += dots;
    s += fmt::format(R"~(<text class="small" x="{}" y="{}">{}</text>)~", px(left), px(top + height + 14), e(windows.front()));
    if (n > 1)
        s += fmt::format(R"~(<text class="small" x="{}" y="{}" text-anchor="end">{}</text>)~", px(left + width),
                         px(top + height + 14), e(windows.back()));
    s += fmt::format(R"~(<text x="{}" y="{}">{} {}</text>)~", px(left), px(top + height + 30), e(check_title(t.name)),
                     e(shorten(t.subject, 28)));
    return s + "</svg>\n";
}

/// The time windows: a row per window (worst severity, breaches, why it was not judged), then a
/// trend chart per check across the windows, worst first.
std::string trends_html(const report& r) {
    const auto windows = report_windows(r);
    if (windows.empty()) return "";
    std::string s = "<section>\n<h2>Trends across windows</h2>\n";
    s += fmt::format("<p>{} window{}, oldest first: {}{}. Each window is judged on its own rows; the sections above judge "
                     "every row.</p>\n",
                     windows.size(), windows.size() == 1 ? "" : "s", e(windows.front()),
                     windows.size() > 1 ? fmt::format(" to {}", e(windows.back())) : std::string());
    s += "<table><tr><th>window</th><th>severity</th><th>breaches</th><th>note</th></tr>\n";
    for (const auto& w : window_summaries(r))
        s += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n", e(w.window), html_badge(w.level),
                         w.breaches, e(w.note));
    s += "</table>\n<div class=\"trends\">\n";
    // A check that is ok and has one value in every window it has draws a flat line: named
    // below the charts instead.
    const auto all = trends(r);
    for (const auto& t : all)
        if (!t.flat) s += trend_chart(t, windows);
    s += "</div>\n";
    if (const std::string flat = flat_trends_text(all); !flat.empty())
        s += fmt::format("<p class=\"muted\">The same in every window, and ok: {}.</p>\n", e(flat));
    return s + "</section>\n";
}

/// The charts of one section.
std::string section_charts(const report& r, const std::string& sec, const std::vector<const check*>& checks,
                           const std::optional<pivot_table>& p) {
    std::string s;
    // Ranked bars for each drift measure judged above a bound over several columns (PSI; an effect
    // size once it has thresholds). Data-quality shares are read from the table.
    if (p && sec == "drift") {
        for (const auto& name : p->names) {
            std::vector<const check*> of;
            bool above = false;
            for (const check* c : checks)
                if (c->name == name) {
                    of.push_back(c);
                    const field* dir = c->thresholds.find("direction");
                    const bool bounded = (c->thresholds.find("warning") && !c->thresholds.find("warning")->is_null()) ||
                                         (c->thresholds.find("critical") && !c->thresholds.find("critical")->is_null());
                    above |= bounded && dir && dir->type() == field::kind::text && dir->as_text() == "above";
                }
            if (of.size() < 2 || !above) continue;
            s += fmt::format("<h3>{} per column</h3>\n", e(check_title(name)));
            s += ranked_chart(name, of);
        }
    }
    // Shares per bin: the columns at warning or worse, in the order of the table; the CSI always.
    std::vector<const check*> ordered;
    if (p) {
        for (const auto& row : p->rows)
            for (const check* c : row.cells)
                if (c) ordered.push_back(c);
    } else {
        ordered = checks;
    }
    for (const check* c : ordered) {
        const field* bins = c->details.find("bins");
        if (!bins || !bins->is_list() || bins->as_list().empty()) continue;
        severity col = severity::ok;
        for (const auto& d : r.checks)
            if (d.section == sec && d.column == c->column) col = worst(col, d.level);
        const bool score = c->name == "csi";
        if (col < severity::warning && !score) continue;
        s += fmt::format("<h3>{}{} bins of {} {}</h3>\n", score ? "Score distribution: " : "", e(check_title(c->name)),
                         e(c->column), html_badge(col));
        s += bins_chart(*c, *bins);
    }
    for (const check* c : checks)
        if (const field* roc = c->details.find("roc"); roc && roc->is_table()) {
            s += fmt::format("<h3>ROC curve of {}</h3>\n", e(c->column));
            s += roc_chart(*c, *roc);
        }
    return s;
}

} // namespace

std::string render_html(const report& r, const run_info& run) {
    const severity st = display_status(r);
    const auto counts = severity_counts(r);
    const std::string verdict = st == severity::ok ? "OK" : st == severity::warning ? "WARNING" : "CRITICAL";
    std::string s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta name=\"color-scheme\" content=\"light dark\">\n";
    s += fmt::format("<title>driftgate report: {} - {}</title>\n<style>{}</style>\n</head>\n<body>\n", e(r.command),
                     verdict, style);
    s += fmt::format("<header>\n<h1>driftgate report: {}</h1>\n<p class=\"muted\">Run {} with driftgate {}.</p>\n",
                     e(r.command), rfc3339_utc(run.started), version_string);
    s += html_inputs_table(r);
    const bool fails = gate_fails(r.status(), run.gate);
    s += fmt::format("<p class=\"verdict\"><strong>Verdict:</strong> {} &mdash; {} checks: {} critical, {} warning, {} "
                     "info, {} ok. The gate (--fail-on {}) {}: exit {}.</p>\n</header>\n",
                     html_badge(st), r.checks.size(), counts[3], counts[2], counts[1], counts[0], to_string(run.gate),
                     fails ? "fails" : "passes", run.exit_code);
    for (const auto& sec : section_order(r)) {
        const auto checks = checks_of(r, sec, false);
        if (checks.empty()) continue;  // only windows' checks: in the trends below
        const auto p = pivot(checks);
        s += fmt::format("<section>\n<h2>{}</h2>\n", e(section_title(sec)));
        s += p ? pivot_html(*p, checks) : list_html(checks);
        s += section_charts(r, sec, checks, p);
        s += "</section>\n";
    }
    s += trends_html(r);
    s += "<section>\n<h2>Actions</h2>\n";
    const auto todo = actions(r);
    if (todo.empty()) {
        s += "<p>None: every check is ok.</p>\n";
    } else {
        s += "<ul class=\"actions\">\n";
        for (const auto& a : todo) {
            std::string reasons;
            for (const auto& x : a.reasons) reasons += (reasons.empty() ? "" : "; ") + x;
            s += fmt::format("<li>{} <strong>{} {}</strong> ({}): {}.</li>\n", html_badge(a.level), e(a.verb), e(a.subject),
                             e(section_title(a.section)), e(reasons));
        }
        s += "</ul>\n<p class=\"muted\">Act now: retrain or roll back the model. Investigate: find the cause before the "
             "next run. Monitor: informative, no action needed yet.</p>\n";
    }
    s += "</section>\n";
    if (!r.notes.empty()) {
        s += "<section>\n<h2>Notes</h2>\n<ul>\n";
        for (const auto& n : r.notes) s += "<li>" + e(n) + "</li>\n";
        s += "</ul>\n</section>\n";
    }
    s += "</body>\n</html>\n";
    return s;
}

} // namespace driftgate::cli
