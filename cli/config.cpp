#include "config.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace driftgate::cli {
namespace {

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& what) {
    throw cli_error(exit_code::data, fmt::format("{}: key '{}': {}", file, key, what));
}

const char* type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
    }
}

/// Reads the keys of one table, checking types, and rejects the keys nobody asked for.
class table_reader {
public:
    table_reader(const toml::table& t, std::string file, std::string path)
        : t_(t), file_(std::move(file)), path_(std::move(path)) {}

    [[nodiscard]] std::string key_path(std::string_view key) const {
        return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    }
    [[nodiscard]] const toml::node* node(std::string_view key) {
        seen_.insert(std::string(key));
        return t_.get(key);
    }
    [[noreturn]] void wrong(std::string_view key, const char* expected, const toml::node& n) const {
        bad(file_, key_path(key), fmt::format("expected {}, found {}", expected, type_name(n)));
    }

    void number(std::string_view key, double& out, double lo = -INFINITY, double hi = INFINITY) {
        if (const auto* n = node(key)) out = as_number(key, *n, lo, hi);
    }
    [[nodiscard]] double as_number(std::string_view key, const toml::node& n, double lo, double hi) const {
        double v;
        if (const auto* i = n.as_integer())
            v = static_cast<double>(i->get());
        else if (const auto* f = n.as_floating_point())
            v = f->get();
        else
            wrong(key, "a number", n);
        if (!(v >= lo && v <= hi))
            bad(file_, key_path(key), fmt::format("{} is outside [{}, {}]", v, lo, hi));
        return v;
    }
    void count(std::string_view key, std::size_t& out, std::size_t lo, std::size_t hi) {
        if (const auto* n = node(key)) {
            const auto* i = n->as_integer();
            if (!i) wrong(key, "an integer", *n);
            const auto v = i->get();
            if (v < static_cast<std::int64_t>(lo) || v > static_cast<std::int64_t>(hi))
                bad(file_, key_path(key), fmt::format("{} is outside [{}, {}]", v, lo, hi));
            out = static_cast<std::size_t>(v);
        }
    }
    void boolean(std::string_view key, bool& out) {
        if (const auto* n = node(key)) {
            const auto* b = n->as_boolean();
            if (!b) wrong(key, "a boolean", *n);
            out = b->get();
        }
    }
    [[nodiscard]] std::optional<std::string> string(std::string_view key) {
        if (const auto* n = node(key)) {
            const auto* s = n->as_string();
            if (!s) wrong(key, "a string", *n);
            return s->get();
        }
        return std::nullopt;
    }
    [[nodiscard]] std::optional<std::vector<std::string>> strings(std::string_view key) {
        const auto* n = node(key);
        if (!n) return std::nullopt;
        const auto* a = n->as_array();
        if (!a) wrong(key, "an array of strings", *n);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const auto* s = (*a)[i].as_string();
            if (!s) bad(file_, fmt::format("{}[{}]", key_path(key), i), fmt::format("expected a string, found {}", type_name((*a)[i])));
            out.push_back(s->get());
        }
        return out;
    }
    [[nodiscard]] std::optional<std::vector<double>> numbers(std::string_view key) {
        const auto* n = node(key);
        if (!n) return std::nullopt;
        const auto* a = n->as_array();
        if (!a) wrong(key, "an array of numbers", *n);
        std::vector<double> out;
        for (std::size_t i = 0; i < a->size(); ++i)
            out.push_back(as_number(fmt::format("{}[{}]", key, i), (*a)[i], -INFINITY, INFINITY));
        return out;
    }
    /// A sub-table, or nullptr when absent.
    [[nodiscard]] const toml::table* table(std::string_view key) {
        const auto* n = node(key);
        if (!n) return nullptr;
        const auto* t = n->as_table();
        if (!t) wrong(key, "a table", *n);
        return t;
    }
    template <class Enum>
    void choice(std::string_view key, Enum& out, std::initializer_list<std::pair<const char*, Enum>> options) {
        const auto s = string(key);
        if (!s) return;
        std::string names;
        for (const auto& [name, value] : options) {
            if (*s == name) {
                out = value;
                return;
            }
            names += names.empty() ? "" : ", ";
            names += fmt::format("\"{}\"", name);
        }
        bad(file_, key_path(key), fmt::format("\"{}\" is not one of {}", *s, names));
    }
    /// Rejects every key that was not read.
    void finish() const {
        for (const auto& [k, v] : t_) {
            if (!seen_.count(std::string(k.str()))) {
                std::string known;
                for (const auto& s : seen_) known += (known.empty() ? "" : ", ") + s;
                bad(file_, key_path(k.str()), fmt::format("unknown key (known here: {})", known));
            }
        }
    }
    [[nodiscard]] const std::string& file() const { return file_; }

private:
    const toml::table& t_;
    std::string file_;
    std::string path_;
    std::set<std::string> seen_;
};

const std::initializer_list<std::pair<const char*, binning_method>> binning_names{
    {"auto", binning_method::automatic}, {"quantile", binning_method::quantile},
    {"uniform", binning_method::uniform}, {"distinct", binning_method::distinct}};

/// Reads the bounds of a rule table: target (info), warning, critical.
void read_rule(table_reader& parent, std::string_view key, rule& r, std::optional<bool> inclusive_new = std::nullopt) {
    const auto* t = parent.table(key);
    if (!t) return;
    table_reader tr(*t, parent.file(), parent.key_path(key));
    auto set = [&](const char* name, std::optional<bound>& b, bool inclusive) {
        double v = b ? b->value : NAN;
        if (tr.node(name)) {
            tr.number(name, v);
            b = bound{v, b ? b->inclusive : inclusive};
        }
    };
    // A bound newly added to a rule that had none keeps the rule's own convention.
    const bool inclusive = inclusive_new ? *inclusive_new
                                         : (r.warning && r.warning->inclusive) || (r.critical && r.critical->inclusive);
    set("target", r.info, inclusive);
    set("warning", r.warning, inclusive);
    set("critical", r.critical, inclusive);
    tr.finish();
}

void read_band(table_reader& parent, std::string_view key, band_rule& b) {
    const auto* t = parent.table(key);
    if (!t) return;
    table_reader tr(*t, parent.file(), parent.key_path(key));
    tr.number("low", b.low);
    tr.number("high", b.high);
    tr.choice("severity", b.breach, {{"info", severity::info}, {"warning", severity::warning}, {"critical", severity::critical}});
    tr.finish();
    if (b.low > b.high) bad(tr.file(), parent.key_path(key), "low is greater than high");
}

// ---- [service]: the scoring API's request log (jsonl.cpp, service_command.cpp) ----------------

void read_field_path(table_reader& r, const char* key, std::string& out, bool may_be_empty) {
    const auto v = r.string(key);
    if (!v) return;
    if (v->empty() && !may_be_empty) bad(r.file(), r.key_path(key), "a field path cannot be empty");
    if (!v->empty() && (v->front() == '.' || v->back() == '.' || v->find("..") != std::string::npos))
        bad(r.file(), r.key_path(key), fmt::format("\"{}\" is not a dotted field path such as \"prediction.probability\"", *v));
    out = *v;
}

void read_sustained(table_reader& parent, std::string_view key, sustained_rule& s) {
    const auto* t = parent.table(key);
    if (!t) return;
    table_reader tr(*t, parent.file(), parent.key_path(key));
    tr.number("above", s.above, 0, INFINITY);
    tr.choice("severity", s.level, {{"info", severity::info}, {"warning", severity::warning}, {"critical", severity::critical}});
    tr.finish();
}

void read_service(table_reader& top, service_policy& s) {
    const auto* t = top.table("service");
    if (!t) return;
    table_reader r(*t, top.file(), "service");
    read_field_path(r, "timestamp_field", s.timestamp_field, false);
    r.choice("timestamp_unit", s.numeric_timestamp_unit, {{"s", time_unit::seconds}, {"ms", time_unit::milliseconds}});
    read_field_path(r, "latency_field", s.latency_field, false);
    read_field_path(r, "status_field", s.status_field, false);
    read_field_path(r, "model_version_field", s.model_version_field, false);
    read_field_path(r, "input_field", s.input_field, false);
    read_field_path(r, "score_field", s.score_field, true);
    read_field_path(r, "label_field", s.label_field, true);
    r.choice("on_bad_line", s.on_bad_line, {{"error", bad_line_policy::error}, {"skip", bad_line_policy::skip}});
    auto window = static_cast<std::size_t>(s.window_seconds);
    r.count("window_seconds", window, 1, 86400);
    s.window_seconds = static_cast<std::int64_t>(window);
    r.count("sustained_windows", s.sustained_windows, 1, 1000000);
    r.number("confidence", s.level, 0.5, 0.999999);
    read_rule(r, "latency_p50", s.latency_p50);
    read_rule(r, "latency_p95", s.latency_p95);
    read_rule(r, "latency_p99", s.latency_p99);
    read_rule(r, "error_rate_4xx", s.error_rate_4xx);
    read_rule(r, "error_rate_5xx", s.error_rate_5xx);
    read_rule(r, "requests_per_second", s.requests_per_second);
    read_rule(r, "predictions_per_day", s.predictions_per_day);
    read_sustained(r, "latency_p95_sustained", s.latency_p95_sustained);
    read_sustained(r, "error_rate_sustained", s.error_rate_sustained);
    r.finish();
}

} // namespace

binning_options config::binning_for(const std::string& feature) const {
    binning_options b = binning;
    if (const auto it = overrides.find(feature); it != overrides.end()) {
        const auto& o = it->second;
        if (o.method) b.method = *o.method;
        if (o.bins) b.bins = *o.bins;
        if (o.max_distinct) b.max_distinct = *o.max_distinct;
        if (o.edges) {
            b.method = binning_method::edges;
            b.edges = *o.edges;
        }
    }
    return b;
}

rule config::psi_rule_for(const std::string& feature) const {
    rule r = in_top_k(importances, feature, top_k) ? psi_top : psi_other;
    if (const auto it = overrides.find(feature); it != overrides.end()) {
        if (it->second.psi_warning) r.warning = bound{*it->second.psi_warning, true};
        if (it->second.psi_critical) r.critical = bound{*it->second.psi_critical, true};
    }
    return r;
}

rule config::ks_rule_for(const std::string& feature) const {
    rule r = ks_pvalue;
    if (const auto it = overrides.find(feature); it != overrides.end()) {
        if (it->second.ks_pvalue_warning) r.warning = bound{*it->second.ks_pvalue_warning, false};
        if (it->second.ks_pvalue_critical) r.critical = bound{*it->second.ks_pvalue_critical, false};
    }
    return r;
}

std::string config::resolve(const std::string& path) const {
    const std::filesystem::path p(path);
    if (p.is_absolute() || base_dir.empty()) return path;
    return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

config parse_config(std::string_view text, const std::string& name) {
    toml::table root;
    try {
        root = toml::parse(text, name);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        throw cli_error(exit_code::data,
                        fmt::format("{}:{}:{}: {}", name, b.line, b.column, e.description()));
    }
    config c;
    c.source = name;
    c.base_dir = std::filesystem::path(name).parent_path().string();
    table_reader top(root, name, "");

    if (const auto* t = top.table("input")) {
        table_reader r(*t, name, "input");
        c.reference = r.string("reference");
        c.current = r.string("current");
        if (const auto d = r.string("delimiter")) {
            if (d->size() != 1 || *d == "\"" || *d == "\n" || *d == "\r")
                bad(name, "input.delimiter", "must be one character other than a quote or a line end, e.g. \",\", \";\" or \"\\t\"");
            c.csv.delimiter = (*d)[0];
        }
        if (auto m = r.strings("missing_values")) c.csv.missing_tokens = std::move(*m);
        r.finish();
    }
    if (const auto* t = top.table("columns")) {
        table_reader r(*t, name, "columns");
        if (auto f = r.strings("features")) c.features = std::move(*f);
        if (auto f = r.strings("exclude")) c.exclude = std::move(*f);
        if (auto s = r.string("score")) c.score = s->empty() ? std::nullopt : std::optional(*s);
        if (auto s = r.string("label")) c.label = s->empty() ? std::nullopt : std::optional(*s);
        r.finish();
    }
    if (const auto* t = top.table("checks")) {
        table_reader r(*t, name, "checks");
        r.boolean("drift", c.check_drift);
        r.boolean("csi", c.check_csi);
        r.boolean("performance", c.check_performance);
        r.boolean("proxies", c.check_proxies);
        r.finish();
    }
    if (const auto* t = top.table("drift")) {
        table_reader r(*t, name, "drift");
        r.choice("binning", c.binning.method, binning_names);
        r.count("bins", c.binning.bins, 1, 10000);
        r.count("max_distinct", c.binning.max_distinct, 0, 100000);
        r.number("epsilon", c.epsilon, 1e-12, 0.5);
        r.count("top_k", c.top_k, 0, 1000000);
        r.choice("ks_method", c.ks.method,
                 {{"auto", ks_method::automatic}, {"exact", ks_method::exact}, {"asymp", ks_method::asymptotic}});
        r.choice("ks_alternative", c.ks.alt,
                 {{"two-sided", alternative::two_sided}, {"less", alternative::less}, {"greater", alternative::greater}});
        // [drift.psi]: `critical` applies to the top-k features, `warning` to all.
        if (const auto* p = r.table("psi")) {
            table_reader pr(*p, name, "drift.psi");
            double w = c.psi_top.warning->value, cr = c.psi_top.critical->value;
            pr.number("warning", w, 0, INFINITY);
            pr.number("critical", cr, 0, INFINITY);
            pr.finish();
            c.psi_top.warning = c.psi_other.warning = bound{w, true};
            c.psi_top.critical = bound{cr, true};
        }
        read_rule(r, "ks_pvalue", c.ks_pvalue);
        if (r.node("ks_statistic")) {
            // Thresholds on D: reaching the bound is a breach (D >= bound).
            rule d{direction::above, std::nullopt, std::nullopt, std::nullopt};
            read_rule(r, "ks_statistic", d, true);
            c.ks_statistic = d;
        }
        read_rule(r, "csi", c.csi);
        r.finish();
    }
    if (const auto* t = top.table("performance")) {
        table_reader r(*t, name, "performance");
        r.number("threshold", c.threshold, 0, 1);
        r.number("confidence", c.confidence, 0.5, 0.999999);
        read_rule(r, "auc", c.auc);
        read_rule(r, "recall", c.recall);
        read_rule(r, "precision", c.precision);
        read_rule(r, "ks_statistic", c.ks_classifier);
        read_rule(r, "brier", c.brier);
        r.finish();
    }
    if (const auto* t = top.table("proxy")) {
        table_reader r(*t, name, "proxy");
        r.number("confidence", c.confidence, 0.5, 0.999999);
        r.number("high_risk_above", c.high_risk_above, 0, 1);
        r.number("approval_below", c.approval_below, 0, 1);
        read_band(r, "high_risk_share", c.high_risk_share);
        read_band(r, "mean_score", c.mean_score);
        read_band(r, "approval_rate", c.approval_rate);
        r.finish();
    }
    if (const auto* t = top.table("importance")) {
        table_reader r(*t, name, "importance");
        for (const auto& [k, v] : *t) {
            double x = 0;
            r.number(k.str(), x, 0, INFINITY);
            c.importances.emplace_back(std::string(k.str()), x);
        }
        r.finish();
    }
    if (const auto* t = top.table("features")) {
        table_reader r(*t, name, "features");
        for (const auto& [k, v] : *t) {
            const auto* ft = r.table(k.str());
            table_reader fr(*ft, name, "features." + std::string(k.str()));
            feature_override o;
            binning_method m{};
            if (fr.node("binning")) {
                fr.choice("binning", m, binning_names);
                o.method = m;
            }
            std::size_t n = 0;
            if (fr.node("bins")) {
                fr.count("bins", n, 1, 10000);
                o.bins = n;
            }
            if (fr.node("max_distinct")) {
                fr.count("max_distinct", n, 0, 100000);
                o.max_distinct = n;
            }
            o.edges = fr.numbers("edges");
            if (o.edges) {
                const auto& e = *o.edges;
                bool ok = e.size() >= 2;
                for (std::size_t i = 0; ok && i < e.size(); ++i) ok = std::isfinite(e[i]) && (i == 0 || e[i] > e[i - 1]);
                if (!ok) bad(name, fr.key_path("edges"), "edges must be at least two finite, strictly increasing numbers");
            }
            auto opt_number = [&](const char* key, std::optional<double>& out, double lo, double hi) {
                if (fr.node(key)) {
                    double x = 0;
                    fr.number(key, x, lo, hi);
                    out = x;
                }
            };
            opt_number("psi_warning", o.psi_warning, 0, INFINITY);
            opt_number("psi_critical", o.psi_critical, 0, INFINITY);
            opt_number("ks_pvalue_warning", o.ks_pvalue_warning, 0, 1);
            opt_number("ks_pvalue_critical", o.ks_pvalue_critical, 0, 1);
            fr.finish();
            c.overrides.emplace(std::string(k.str()), std::move(o));
        }
        r.finish();
    }
    read_service(top, c.service);
    top.finish();
    return c;
}

config load_config(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw cli_error(exit_code::no_input, fmt::format("{}: configuration file not found or not a regular file", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw cli_error(exit_code::no_input, fmt::format("{}: cannot open the configuration file", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_config(ss.str(), path);
}

const char* default_config_toml() {
    return R"(# driftgate configuration. Every value below is the default (the thresholds of SPEC.md);
# delete what you do not change. Unknown keys and wrong types are errors.

[input]
# Snapshots for `driftgate check` (relative paths are relative to this file).
# reference = "reference.csv"
# current = "current.csv"
delimiter = ","                               # "," ";" or "\t"
missing_values = ["", "NA", "NaN", "null"]    # compared case-insensitively, after trimming spaces

[columns]
features = []          # [] = every numeric column present in both files, except score, label, exclude
exclude = []           # columns never treated as features (IDs, dates, ...)
score = "score"        # the model's PD column ("" = none)
label = "default"      # 0/1 outcome column for performance checks ("" = none)

[checks]
drift = true           # PSI and KS per feature
csi = true             # CSI on the score column
performance = true     # AUC, KS statistic, recall, precision, Brier (needs labels in the current file)
proxies = true         # high-risk share, mean score, approval rate on the current file

[drift]
binning = "auto"       # auto | quantile | uniform | distinct
bins = 10              # quantile / uniform bin count
max_distinct = 0       # auto: one bin per value up to this many distinct values (0 = bins)
epsilon = 0.0001       # PSI smoothing: share used for a bin empty in one sample
top_k = 5              # PSI is critical only for the top-k features by [importance]
ks_method = "auto"     # auto (exact when max(n1, n2) <= 10000) | exact | asymp
ks_alternative = "two-sided"   # two-sided | less | greater

[drift.psi]
warning = 0.10         # PSI >= warning: warning
critical = 0.25        # PSI >= critical: critical for a top-k feature, warning otherwise

[drift.ks_pvalue]
warning = 0.05         # p < warning: warning
critical = 0.01        # p < critical: critical

# [drift.ks_statistic]  # optional thresholds on the KS statistic D (D >= bound), off by default
# warning = 0.1
# critical = 0.2

[drift.csi]
warning = 0.10         # CSI >= warning: warning
critical = 0.25        # CSI >= critical: critical

[performance]
threshold = 0.12       # PD >= threshold predicts default
confidence = 0.95      # level of the DeLong and Wilson intervals

[performance.auc]
warning = 0.78         # AUC < warning: warning
critical = 0.75        # AUC < critical: critical

[performance.recall]
target = 0.87          # below target: info
warning = 0.80         # below: warning

[performance.precision]
target = 0.31
warning = 0.25

[performance.ks_statistic]
target = 0.42
critical = 0.35        # max(TPR - FPR) < critical: critical

[performance.brier]
target = 0.14          # above target: info
warning = 0.18         # above: warning

[proxy]
high_risk_above = 0.50 # high-risk share = share of PD > this
approval_below = 0.20  # approval rate = share of PD < this

[proxy.high_risk_share]
low = 0.15
high = 0.30
severity = "critical"  # outside [low, high]; inside but the interval crosses an edge: info

[proxy.mean_score]
low = 0.15
high = 0.35
severity = "critical"

[proxy.approval_rate]
low = 0.25
high = 0.55
severity = "warning"

[importance]
# Feature importances for the PSI top-k rule. Without any, every feature counts as top-k.
# PAY_0 = 0.198

# [features.PAY_0]     # per-feature overrides
# binning = "distinct"
# bins = 10
# max_distinct = 12
# edges = [-2, 0, 1, 2, 9]
# psi_warning = 0.10
# psi_critical = 0.25
# ks_pvalue_warning = 0.05
# ks_pvalue_critical = 0.01

[service]
# The scoring API's prediction log: `driftgate service LOG...`, and a log as the current snapshot
# of drift, proxy, perf and check. Fields are dotted paths into each JSON line.
timestamp_field = "timestamp"           # RFC 3339 text with Z or an offset, or a number (timestamp_unit)
timestamp_unit = "s"                    # unit of numeric timestamps: "s" or "ms" since the epoch
latency_field = "latency_ms"            # milliseconds
status_field = "status"                 # HTTP status code
model_version_field = "model_version"   # rows per model version with --by model_version
input_field = "input"                   # the object of the features (a log as a snapshot)
score_field = "prediction.probability"  # the PD (a log as a snapshot)
label_field = ""                        # a 0/1 outcome field for perf ("" = none)
on_bad_line = "error"                   # error: stop at the first bad line (exit 65); skip: count them
window_seconds = 60                     # windows of the sustained rules, aligned to the UTC minute
sustained_windows = 5                   # consecutive windows above a bound that make a breach
confidence = 0.95                       # level of the error rates' Wilson intervals

[service.latency_p50]                   # milliseconds, over every request
target = 100.0                          # at or above: info
warning = 150.0                         # above: warning

[service.latency_p95]
warning = 200.0
critical = 300.0                        # above: critical

[service.latency_p99]
target = 500.0
warning = 1000.0

[service.error_rate_4xx]                # share of requests answered 400-499
target = 0.01                           # at or above: info
critical = 0.05                         # above: critical

[service.error_rate_5xx]                # share of requests answered 500-599
target = 0.001
warning = 0.01
critical = 0.05

[service.requests_per_second]           # requests / (last - first timestamp)
target = 10.0                           # at or below: info
warning = 5.0                           # below: warning

[service.predictions_per_day]           # 2xx answers on the lowest UTC day of the log
target = 1000.0                         # at or below: info
warning = 500.0                         # below: warning

[service.latency_p95_sustained]         # a window's P95 above `above` ms in sustained_windows consecutive windows
above = 300.0
severity = "critical"                   # info from one window above

[service.error_rate_sustained]          # a window's error rate (4xx + 5xx) above `above`
above = 0.05
severity = "critical"
)";
}

} // namespace driftgate::cli
