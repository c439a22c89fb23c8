// driftgate CLI — the report in Prometheus' text exposition format (version 0.0.4), for
// node_exporter's textfile collector: every family with HELP and TYPE lines, its samples
// together, no timestamps (the collector refuses them), names and labels by Prometheus'
// conventions, base units (seconds, bytes), label values escaped.
//
// Generic families cover every check (driftgate_check_value, driftgate_check_severity,
// driftgate_check_threshold, labelled section/check/column), so that a new check is exported
// without a change here; named families give the common ones their usual names
// (driftgate_psi{feature=...}, driftgate_ks_statistic, driftgate_ks_log_pvalue,
// driftgate_chi2_log_pvalue, driftgate_auc).
#include <cmath>
#include <ctime>
#include <map>
#include <unordered_set>

#include <fmt/format.h>

#include <driftgate/version.hpp>

#include "exit_codes.hpp"
#include "render.hpp"
#include "text.hpp"

namespace driftgate::cli {
namespace {

using labels = std::vector<std::pair<std::string, std::string>>;

class exposition {
public:
    /// Declares a family (once; later declarations of the same name are ignored).
    void family(const std::string& name, const std::string& help) {
        if (index_.count(name)) return;
        index_[name] = families_.size();
        families_.push_back({name, help, {}, {}});
    }
    /// Adds a sample to a declared family. Labels that repeat a series already given (two names
    /// that are one text once escaped: a control character and the text of its escape, "\\x01")
    /// are refused, exit 65: the textfile collector rejects a file with duplicate series, and
    /// dropping one would hide its check.
    void sample(const std::string& name, const labels& ls, double v) {
        auto& f = families_.at(index_.at(name));
        std::string key;
        for (const auto& [k, x] : ls) {
            if (!key.empty()) key += ",";
            key += k + "=\"" + escape_label_value(x) + "\"";
        }
        std::string line = name + (key.empty() ? "" : "{" + key + "}");
        if (!f.keys.insert(key).second)
            throw cli_error(exit_code::data,
                            fmt::format("the Prometheus report would hold the series {} twice: two names read the same once "
                                        "escaped (a control character or a byte that is not UTF-8, and the text of its "
                                        "escape); rename one of them",
                                        line));
        f.lines.push_back(std::move(line) + " " + exact_number(v));
    }
    [[nodiscard]] std::string str() const {
        std::string out;
        for (const auto& f : families_) {
            if (f.lines.empty()) continue;
            out += "# HELP " + f.name + " " + f.help + "\n# TYPE " + f.name + " gauge\n";
            for (const auto& l : f.lines) out += l + "\n";
        }
        return out;
    }

private:
    struct fam {
        std::string name, help;
        std::unordered_set<std::string> keys;
        std::vector<std::string> lines;
    };
    std::vector<fam> families_;
    std::map<std::string, std::size_t> index_;
};

/// A name part made of [a-z0-9_] (other characters become _), for metric names from keys.
std::string name_part(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        out += ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) ? l : '_';
    }
    return out;
}

/// Seconds since the epoch of an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SS[.fff]Z"; NaN otherwise.
double parse_rfc3339(const std::string& s) {
    std::tm tm{};
    int frac_start = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &frac_start) != 6)
        return NAN;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    double frac = 0.0;
    std::size_t i = static_cast<std::size_t>(frac_start);
    if (i < s.size() && s[i] == '.') {
        double scale = 0.1;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10) frac += (s[i] - '0') * scale;
    }
    if (i + 1 != s.size() || s[i] != 'Z') return NAN;
    return static_cast<double>(timegm(&tm)) + frac;
}

struct named {
    std::string_view check, metric, help;
};
/// The named families of common checks: the judged value under its usual name.
constexpr named named_values[] = {
    {"psi", "driftgate_psi", "Population stability index of a feature (reference bins)."},
    {"csi", "driftgate_csi", "Characteristic stability index of the model score."},
    {"ks", "driftgate_ks_pvalue", "Two-sample Kolmogorov-Smirnov p-value of a feature (0 where it underflows)."},
    {"chi2", "driftgate_chi2_pvalue", "Chi-square test p-value of a feature's categories or codes (0 where it underflows)."},
    {"auc", "driftgate_auc", "ROC AUC of the model score."},
};
/// Named families of details: check, detail key, metric.
struct named_detail {
    std::string_view check, key, metric, help;
};
constexpr named_detail named_details[] = {
    {"ks", "statistic", "driftgate_ks_statistic", "Two-sample Kolmogorov-Smirnov statistic D of a feature."},
    {"ks", "log_pvalue", "driftgate_ks_log_pvalue",
     "Natural log of the Kolmogorov-Smirnov p-value, finite where the p-value underflows."},
    {"chi2", "log_pvalue", "driftgate_chi2_log_pvalue", "Natural log of the chi-square test p-value, finite where the p-value underflows."},
    {"auc", "ci_lower", "driftgate_auc_ci_lower", "Lower end of the DeLong confidence interval of the AUC."},
    {"auc", "ci_upper", "driftgate_auc_ci_upper", "Upper end of the DeLong confidence interval of the AUC."},
};

/// The service checks under named families in base units: latencies in seconds (the log and the
/// report keep milliseconds), labelled by model version ("" for every request).
void service_sample(exposition& x, const check& c) {
    const field* v = c.details.find("model_version");
    const std::string version = v && v->type() == field::kind::text ? v->as_text() : std::string();
    if (c.name == "latency_p50" || c.name == "latency_p95" || c.name == "latency_p99") {
        x.family("driftgate_service_latency_seconds",
                 "Latency quantile of the scoring API's requests in seconds (numpy linear method).");
        // "percentile", not "quantile": Prometheus reserves that label for summaries.
        x.sample("driftgate_service_latency_seconds", {{"percentile", c.name.substr(8)}, {"model_version", version}},
                 c.value / 1000.0);
    } else if (c.name == "error_rate_4xx" || c.name == "error_rate_5xx") {
        x.family("driftgate_service_error_ratio", "Share of the scoring API's requests answered with a 4xx or 5xx status.");
        x.sample("driftgate_service_error_ratio", {{"class", c.name.substr(11)}, {"model_version", version}}, c.value);
    } else if (c.name == "requests_per_second") {
        x.family("driftgate_service_requests_per_second", "Requests per second over the log's time span.");
        x.sample("driftgate_service_requests_per_second", {{"model_version", version}}, c.value);
    } else if (c.name == "predictions_per_day") {
        x.family("driftgate_service_lowest_day_predictions", "Predictions (2xx answers) on the log's lowest UTC day.");
        x.sample("driftgate_service_lowest_day_predictions", {{"model_version", version}}, c.value);
    } else if (c.name == "latency_p95_sustained" || c.name == "error_rate_sustained") {
        x.family("driftgate_service_sustained_windows",
                 "Longest run of consecutive windows above a sustained rule's bound.");
        x.sample("driftgate_service_sustained_windows", {{"rule", c.name}, {"model_version", version}}, c.value);
    }
}

} // namespace

std::string render_prometheus(const report& r, const run_info& run) {
    exposition x;
    const labels run_labels{{"command", r.command}};
    x.family("driftgate_run_timestamp_seconds", "Unix time at which the driftgate run started.");
    x.sample("driftgate_run_timestamp_seconds", run_labels,
             static_cast<double>(run.started) + static_cast<double>(run.started_ns) * 1e-9);
    x.family("driftgate_run_status", "Worst severity of the run's checks: 0 ok, 1 info, 2 warning, 3 critical.");
    x.sample("driftgate_run_status", run_labels, static_cast<double>(static_cast<int>(r.status())));
    x.family("driftgate_run_exit_code", "Exit code of the driftgate run (0 pass, 1 warning, 2 critical breach at the fail-on level).");
    x.sample("driftgate_run_exit_code", {{"command", r.command}, {"fail_on", to_string(run.gate)}},
             static_cast<double>(run.exit_code));
    x.family("driftgate_build_info", "driftgate version that wrote these metrics (always 1).");
    x.sample("driftgate_build_info", {{"version", version_string}}, 1.0);
    x.family("driftgate_checks", "Number of checks of the run at each severity.");
    const auto counts = severity_counts(r);
    for (const severity s : {severity::ok, severity::info, severity::warning, severity::critical})
        x.sample("driftgate_checks", {{"severity", to_string(s)}}, static_cast<double>(counts[static_cast<int>(s)]));

    // Inputs: every numeric figure (rows, size_bytes, ...) and the modification time.
    if (r.inputs.is_table()) {
        for (const auto& [role, v] : r.inputs.as_table()) {
            if (!v.is_table()) continue;
            for (const auto& [k, f] : v.as_table()) {
                if (k == "modified" && f.type() == field::kind::text) {
                    const double t = parse_rfc3339(f.as_text());
                    if (std::isnan(t)) continue;
                    x.family("driftgate_input_modified_timestamp_seconds", "Modification time of an input file (Unix time).");
                    x.sample("driftgate_input_modified_timestamp_seconds", {{"input", role}}, t);
                } else if (f.is_numeric()) {
                    const std::string name = "driftgate_input_" + name_part(k);
                    x.family(name, k == "rows"         ? std::string("Data rows read from an input file.")
                                   : k == "size_bytes" ? std::string("Size of an input file in bytes.")
                                                       : "Figure '" + name_part(k) + "' of an input file.");
                    x.sample(name, {{"input", role}}, f.as_double());
                }
            }
        }
    }

    x.family("driftgate_check_severity", "Severity of a check: 0 ok, 1 info, 2 warning, 3 critical.");
    x.family("driftgate_check_value", "Judged value of a check (NaN when undefined; then judged as a breach).");
    x.family("driftgate_check_threshold", "Bound a check is judged against, by level (target, warning, critical, low, high).");
    for (const auto& n : named_values) x.family(std::string(n.metric), std::string(n.help));
    for (const auto& n : named_details) x.family(std::string(n.metric), std::string(n.help));
    for (const auto& c : r.checks) {
        labels ls{{"section", c.section}, {"check", c.name}, {"column", c.column}};
        if (!c.segment.empty()) ls.emplace_back("segment", c.segment);
        if (!c.window.empty()) ls.emplace_back("window", c.window);
        x.sample("driftgate_check_severity", ls, static_cast<double>(static_cast<int>(c.level)));
        x.sample("driftgate_check_value", ls, c.value);
        if (c.thresholds.is_table())
            for (const char* level : {"target", "warning", "critical", "low", "high"})
                if (const field* b = c.thresholds.find(level); b && b->is_numeric()) {
                    labels tl = ls;
                    tl.emplace_back("level", level);
                    x.sample("driftgate_check_threshold", tl, b->as_double());
                }
        if (c.section == "service") service_sample(x, c);
        const std::string label_name = c.section == "drift" && c.name != "csi" ? "feature" : "column";
        labels short_ls{{label_name, c.column}};
        if (!c.segment.empty()) short_ls.emplace_back("segment", c.segment);
        if (!c.window.empty()) short_ls.emplace_back("window", c.window);
        for (const auto& n : named_values)
            if (n.check == c.name) x.sample(std::string(n.metric), short_ls, c.value);
        for (const auto& n : named_details) {
            if (n.check != c.name) continue;
            const field* d = c.details.find(n.key);
            if (d && d->is_numeric())
                x.sample(std::string(n.metric), short_ls, d->as_double());
            else if (d && d->is_null() && n.key == "log_pvalue")
                x.sample(std::string(n.metric), short_ls, -INFINITY); // ln 0
        }
    }
    return x.str();
}

} // namespace driftgate::cli
