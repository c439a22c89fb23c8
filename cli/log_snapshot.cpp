#include "log_snapshot.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <unordered_map>

#include <fmt/format.h>

#include "jsonl.hpp"
#include "parallel.hpp"
#include "service_command.hpp"

namespace driftgate::cli {
namespace {

/// The snapshot spec of configuration `c` with these score and label columns; a compressed log is
/// decompressed on a thread of its own unless one thread is asked for.
log_table_spec spec_of(const config& c, const std::string& score, const std::string& label) {
    log_table_spec spec = snapshot_spec(c.policy.service, score, label);
    spec.background = c.threads != 1;
    return spec;
}

log_table_spec spec_of(const config& c) { return spec_of(c, c.policy.columns.score, c.policy.columns.label); }

} // namespace

std::vector<std::string> log_header(const std::string& path, const config& c) { return read_log_header(path, spec_of(c)); }

driftgate::profile profile_log(const std::string& path, const snapshot_request& req, const config& c, log_findings& found) {
    const auto& sp = c.policy.service;
    const bool with_classes = !req.score.empty() && !req.label.empty();
    if (with_classes && sp.label_field.empty())
        throw cli_error(exit_code::usage,
                        fmt::format("{} is a prediction log: its label column \"{}\" is read from the field set by "
                                    "[service] label_field, which is not set",
                                    shown_path(path), req.label));
    log_table_spec spec = spec_of(c, req.score.empty() ? c.policy.columns.score : req.score,
                                  req.label.empty() ? c.policy.columns.label : req.label);
    // Columns to read: the profiled ones, the score and the label; each once.
    std::vector<std::string> names;
    std::unordered_map<std::string, read_as> kind_of;
    for (std::size_t i = 0; i < req.columns.size(); ++i)
        if (kind_of.emplace(req.columns[i], req.kinds[i]).second) names.push_back(req.columns[i]);
    for (const std::string* name : {&req.score, &req.label})
        if (!name->empty() && (name == &req.score || with_classes) && !kind_of.count(*name)) names.push_back(*name);

    std::uint64_t others = 0;
    bad_line_summary bad;
    std::vector<std::uint64_t> lines;
    // Columns the reference holds as texts (or configured categorical) are read as texts; the
    // others as numbers, and one holding a text is left out when its kind is not known.
    std::vector<std::string> texts;
    for (const auto& [name, kind] : kind_of)
        if (kind == read_as::text && name != req.score && name != req.label) texts.push_back(name);
    csv_table t = read_log_table(path, names, spec, column_policy::skip_non_numeric, &others, &bad, &lines, texts);
    for (const auto& d : t.dropped) {
        const auto k = kind_of.find(d.name);
        if (k == kind_of.end() || k->second == read_as::number) throw cli_error(exit_code::data, d.reason);
        found.notes.push_back(fmt::format("{}: column \"{}\" left out: it holds a text, and a log's columns are read as "
                                          "numbers unless the reference holds texts there or [features.{}] kind = "
                                          "\"categorical\" says so ({})",
                                          shown_path(path), d.name, d.name, d.reason));
    }
    if (others > 0)
        found.notes.push_back(fmt::format("{}: {} request(s) answered with a status other than 2xx carry no prediction: "
                                          "not used as rows",
                                          shown_path(path), others));
    if (sp.on_bad_line == bad_line_policy::skip) found.bad_lines = bad_lines_check(bad, path);

    // The field a column comes from, for messages.
    auto field_of = [&](const std::string& column) {
        for (const auto& [name, field] : spec.mapped)
            if (name == column) return field;
        return sp.input_field + "." + column;
    };
    auto place = [&](std::size_t row, const std::string& column) {
        const std::string field = field_of(column);
        return fmt::format("{}:{}:{}: field \"{}\" (column \"{}\")", shown_path(path), lines[row], log_field_column(path, lines[row], field),
                           field, column);
    };
    auto values_of = [&](const std::string& name) {
        const auto col = t.column(name);
        return std::vector<double>(col.begin(), col.end());
    };
    std::vector<double> score, label;
    if (!req.score.empty()) score = values_of(req.score);
    if (with_classes) label = values_of(req.label);
    for (std::size_t i = 0; i < label.size(); ++i) {
        const double y = label[i];
        if (std::isnan(y))
            throw cli_error(exit_code::data, fmt::format("{}: the label is missing (labels must be 0 or 1 in every row)", place(i, req.label)));
        if (y != 0.0 && y != 1.0)
            throw cli_error(exit_code::data, fmt::format("{}: the label is {}; labels must be 0 or 1", place(i, req.label), y));
    }
    if (with_classes || req.probability)
        for (std::size_t i = 0; i < score.size(); ++i) {
            const double s = score[i];
            if (std::isnan(s)) {
                if (with_classes)
                    throw cli_error(exit_code::data,
                                    fmt::format("{}: the score is missing (performance needs every score)", place(i, req.score)));
                continue;
            }
            if (req.probability && !(s >= 0.0 && s <= 1.0))
                throw cli_error(exit_code::data,
                                fmt::format("{}: the score is {}: probabilities must lie in [0, 1] ({})", place(i, req.score),
                                            s, probability_advice(req)));
        }

    driftgate::profile p;
    p.meta.source = path;
    p.meta.rows = t.rows;
    p.meta.created = static_cast<std::int64_t>(std::time(nullptr));
    p.header = t.header;
    p.score = req.score;
    p.label = with_classes ? req.label : std::string();
    std::vector<std::string> profiled;
    for (const auto& h : t.header)
        if (kind_of.count(h) && std::find(t.names.begin(), t.names.end(), h) != t.names.end()) profiled.push_back(h);
    std::vector<driftgate::raw_column> raw(profiled.size());
    for (std::size_t i = 0; i < profiled.size(); ++i) {
        raw[i].name = profiled[i];
        if (const text_column* tc = t.text_of(profiled[i])) {
            set_categories(raw[i], *tc);
            continue;
        }
        raw[i].type = driftgate::value_type::number;
        raw[i].values = profiled[i] == req.score || profiled[i] == req.label ? values_of(profiled[i]) : t.take(profiled[i]);
    }
    driftgate::roc_classes classes;
    if (with_classes) {
        classes = driftgate::split_classes(score, label);
        p.classes.emplace();
    }
    score = {};
    label = {};
    p.columns.resize(profiled.size());
    run_tasks(profiled.size() + (with_classes ? 2 : 0), c.threads, [&](std::size_t i) {
        if (i < profiled.size()) p.columns[i] = driftgate::profile_column(std::move(raw[i]));
        else if (i == profiled.size()) p.classes->positives = driftgate::sort_sample(std::move(classes.positives));
        else p.classes->negatives = driftgate::sort_sample(std::move(classes.negatives));
    });
    return p;
}

void add_findings(driftgate::report& r, const log_findings& found) {
    for (const auto& n : found.notes) r.notes.push_back(n);
    if (found.bad_lines) r.checks.insert(r.checks.begin(), *found.bad_lines);
}

void require_column_for_csv(const std::string& path, bool named, const char* option, const char* key) {
    if (!named && !is_json_lines(path))
        throw cli_error(exit_code::usage,
                        fmt::format("{} (or {} in the configuration) is required for a CSV snapshot (a prediction log has "
                                    "defaults: [service] score_field, label_field)",
                                    option, key));
}

} // namespace driftgate::cli
