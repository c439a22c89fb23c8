#include "commands.hpp"

#include <filesystem>
#include <unordered_set>

#include <fmt/format.h>

#include <driftgate/evaluate.hpp>

#include "csv.hpp"
#include "parallel.hpp"
#include "snapshot.hpp"

namespace driftgate::cli {
namespace {

/// The library's per-feature work on the process's worker pool.
driftgate::executor pool(unsigned threads) {
    return [threads](std::size_t n, const std::function<void(std::size_t)>& task) { run_tasks(n, threads, task); };
}

/// Runs a library call; its error becomes a data error (exit 65) without the library's prefix.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const driftgate::error& e) {
        std::string_view what = e.what();
        if (what.rfind("driftgate: ", 0) == 0) what.remove_prefix(11);
        // "evaluate: ", "policy: ", ... name library functions, not places: drop them.
        if (const auto colon = what.find(": "); colon != std::string_view::npos && what.substr(0, colon).find(' ') == std::string_view::npos &&
                                                 what.substr(0, colon).find('/') == std::string_view::npos &&
                                                 what.substr(0, colon).find('.') == std::string_view::npos)
            what.remove_prefix(colon + 2);
        throw cli_error(exit_code::data, std::string(what));
    }
}

/// Drift and check read each snapshot twice (header, then columns): a pipe cannot be re-read.
void require_regular(const std::string& path) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (!ec && (std::filesystem::is_fifo(st) || std::filesystem::is_character_file(st) || std::filesystem::is_socket(st)))
        throw cli_error(exit_code::no_input, fmt::format("{}: not a regular file; drift and check read snapshots from files "
                                                         "(write the stream to a file first)",
                                                         path));
}

/// How a reference column is read: as its configured kind says (texts for categorical, numbers
/// for continuous and discrete), else numbers when every cell is one, texts otherwise.
read_as read_kind(const driftgate::policy& p, const std::string& name) {
    const auto k = p.feature(name).kind;
    if (!k) return read_as::automatic;
    return *k == driftgate::column_kind::categorical ? read_as::text : read_as::number;
}

/// The reference as a profile: a saved profile as it is, or the CSV's candidate columns (every
/// column but the label and the excluded ones, or [columns] features, and the score) profiled.
driftgate::profile reference_profile(const config& c, const std::string& path) {
    require_regular(path);
    if (is_profile_file(path)) return load_profile_file(path);
    const auto& p = c.policy;
    const auto header = read_csv_header(path, c.csv());
    std::unordered_set<std::string> in_header(header.begin(), header.end()), excluded(p.columns.exclude.begin(), p.columns.exclude.end());
    snapshot_request req;
    auto add = [&](const std::string& name, read_as kind) {
        req.columns.push_back(name);
        req.kinds.push_back(kind);
    };
    auto kind_for = [&](const std::string& name) { return read_kind(p, name); };
    if (!p.columns.features.empty()) {
        for (const auto& f : p.columns.features)
            if (in_header.count(f)) add(f, kind_for(f));
    } else {
        for (const auto& h : header)
            if (h != p.columns.label && h != p.columns.score && !excluded.count(h)) add(h, kind_for(h));
    }
    if (!p.columns.score.empty() && in_header.count(p.columns.score)) add(p.columns.score, read_as::number);
    return profile_csv(path, req, c);
}

/// The current snapshot as a profile: the monitored columns the reference has data for and the
/// current header has, each read as the reference's kind; the score; the label when performance
/// is judged.
driftgate::profile current_profile(const config& c, const std::string& path, const driftgate::profile& ref,
                                   bool with_label, bool check_score) {
    require_regular(path);
    require_csv_snapshot(path);
    const auto& p = c.policy;
    const auto header = read_csv_header(path, c.csv());
    std::unordered_set<std::string> in_header(header.begin(), header.end());
    snapshot_request req;
    for (const auto& col : ref.columns) {
        if (!in_header.count(col.name) || col.name == p.columns.label) continue;
        req.columns.push_back(col.name);
        req.kinds.push_back(col.is_text() ? read_as::text : read_as::number);
    }
    if (!p.columns.score.empty() && in_header.count(p.columns.score)) {
        req.score = p.columns.score;
        if (with_label && !p.columns.label.empty() && in_header.count(p.columns.label)) req.label = p.columns.label;
    }
    req.probability = check_score && p.performance.kind == driftgate::score_kind::probability;
    if (!check_score && req.label.empty()) req.score.clear();  // the score is then a column like the others
    return profile_csv(path, req, c);
}

void label_inputs(report& r, const std::string& reference, const std::string& current) {
    if (const field* f = r.inputs.find("reference")) {
        field ref = *f;
        ref.set("path", reference);
        r.inputs.set("reference", ref);
    }
    if (const field* f = r.inputs.find("current")) {
        field cur = *f;
        cur.set("path", current);
        r.inputs.set("current", cur);
    }
}

std::string require_column(const std::string& name, const char* what, const char* flag) {
    if (name.empty()) throw cli_error(exit_code::usage, fmt::format("no {} column: give {} or set it in the configuration", what, flag));
    return name;
}

} // namespace

void apply(config& c, const overrides& o) {
    // Paths given on the command line are relative to the working directory, not to the
    // configuration file.
    auto from_cwd = [](const std::string& path) {
        return path == "-" ? path : std::filesystem::absolute(path).lexically_normal().string();
    };
    auto& p = c.policy;
    if (o.reference) p.input.reference = from_cwd(*o.reference);
    if (o.current) p.input.current = from_cwd(*o.current);
    if (!o.columns.empty()) p.columns.features = o.columns;
    if (o.score) p.columns.score = *o.score;
    if (o.label) p.columns.label = *o.label;
    if (o.threshold) p.performance.threshold = *o.threshold;
    if (o.delimiter) p.input.delimiter = std::string(1, *o.delimiter);
    if (o.threads) c.threads = *o.threads;
    if (o.score && o.label && !o.score->empty() && *o.score == *o.label)
        throw cli_error(exit_code::usage,
                        fmt::format("--score and --label name the same column \"{}\": the score is the model's output, "
                                    "the label the observed outcome",
                                    *o.score));
    guarded([&] {
        driftgate::validate(p);
        return 0;
    });
}

report run_drift_command(const config& c, const std::string& reference, const std::string& current) {
    config cc = c;
    auto& p = cc.policy;
    p.checks.drift = true;
    p.checks.performance = p.checks.proxies = false;
    const driftgate::profile ref = reference_profile(cc, reference);
    const driftgate::profile cur = current_profile(cc, current, ref, false, false);
    report r = guarded([&] { return driftgate::evaluate(ref, cur, p, pool(cc.threads)); });
    r.command = "drift";
    label_inputs(r, reference, current);
    return r;
}

report run_perf_command(const config& c, const std::string& data) {
    config cc = c;
    auto& p = cc.policy;
    p.checks.performance = true;
    p.checks.proxies = false;
    snapshot_request req;
    req.score = require_column(p.columns.score, "score", "--score");
    req.label = require_column(p.columns.label, "label", "--label");
    req.probability = p.performance.kind == driftgate::score_kind::probability;
    const driftgate::profile cur = profile_csv(data, req, cc);
    report r = guarded([&] { return driftgate::evaluate(cur, p); });
    r.command = "perf";
    r.inputs = field::make_table({{"data", field::make_table({{"path", data}, {"rows", cur.meta.rows}})}});
    return r;
}

report run_proxy_command(const config& c, const std::string& data) {
    config cc = c;
    auto& p = cc.policy;
    p.checks.performance = false;
    p.checks.proxies = true;
    snapshot_request req;
    req.score = require_column(p.columns.score, "score", "--score");
    req.columns = {req.score};
    req.kinds = {read_as::number};
    req.probability = p.performance.kind == driftgate::score_kind::probability;
    const driftgate::profile cur = profile_csv(data, req, cc);
    report r = guarded([&] { return driftgate::evaluate(cur, p); });
    r.command = "proxy";
    r.inputs = field::make_table({{"data", field::make_table({{"path", data}, {"rows", cur.meta.rows}})}});
    return r;
}

std::vector<std::pair<std::string, std::string>> check_command_inputs(const config& c) {
    const auto& p = c.policy;
    if (p.input.reference.empty() || p.input.current.empty())
        throw cli_error(exit_code::usage,
                        "check needs a reference and a current file: set [input] reference and current in the "
                        "configuration, or give --reference and --current");
    return {{"reference", c.resolve(p.input.reference)}, {"current", c.resolve(p.input.current)}};
}

report run_check_command(const config& c) {
    const auto& p = c.policy;
    const auto files = check_command_inputs(c);
    const std::string reference = files[0].second, current = files[1].second;
    const bool own = p.checks.performance || p.checks.proxies;
    report r;
    if (p.checks.drift || p.checks.csi || p.checks.data_quality) {
        const driftgate::profile ref = reference_profile(c, reference);
        const driftgate::profile cur = current_profile(c, current, ref, p.checks.performance, own);
        r = guarded([&] { return driftgate::evaluate(ref, cur, p, pool(c.threads)); });
    } else {
        snapshot_request req;
        req.score = p.columns.score;
        if (p.checks.performance) req.label = p.columns.label;
        if (!req.score.empty()) {
            req.columns = {req.score};
            req.kinds = {read_as::number};
        }
        req.probability = p.performance.kind == driftgate::score_kind::probability;
        const driftgate::profile cur = profile_csv(current, req, c);
        r = guarded([&] { return driftgate::evaluate(cur, p); });
    }
    r.command = "check";
    label_inputs(r, reference, current);
    return r;
}

} // namespace driftgate::cli
