#include "profile_command.hpp"

#include <algorithm>
#include <ctime>
#include <functional>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <driftgate/checks_schema.hpp>
#include <driftgate/profile_io.hpp>

#include "commands.hpp"
#include "csv.hpp"
#include "input_path.hpp"
#include "jsonl.hpp"
#include "snapshot.hpp"
#include "text.hpp"

namespace driftgate::cli {

driftgate::profile build_profile(const config& c, const std::string& csv) {
    require_regular(csv);  // its header, then its columns: a pipe would lose what the first read took
    if (is_profile_file(csv))
        throw cli_error(exit_code::usage, fmt::format("{}: already a profile (profile build reads a CSV snapshot)", csv));
    if (is_json_lines(csv))
        throw cli_error(exit_code::usage,
                        fmt::format("{}: a JSON-lines prediction log (profile build reads a CSV snapshot; drift and check "
                                    "read a log as the reference directly)",
                                    csv));
    const auto& p = c.policy;
    const auto header = read_csv_header(csv, c.csv());
    require_separated(header, shown_path(csv), c.csv().delimiter);
    std::unordered_set<std::string> in_header(header.begin(), header.end());
    // A misspelt exclusion would profile the column it meant (an ID), as drift refuses it later.
    for (const auto& name : p.columns.exclude)
        if (!in_header.count(name))
            throw cli_error(exit_code::data, c.placed(fmt::format("[columns] exclude \"{}\" names no column of {} (columns: {})", name,
                                                                  shown_path(csv), driftgate::detail::join_names(header))));
    snapshot_request req;
    auto add = [&](const std::string& name) {
        req.columns.push_back(name);
        req.kinds.push_back(read_kind(p, name));
    };
    if (!p.columns.features.empty()) {
        for (const auto& f : p.columns.features) {
            if (!in_header.count(f))
                throw cli_error(exit_code::data, fmt::format("{}: no column \"{}\" (columns: {})", csv, f,
                                                             driftgate::detail::join_names(header)));
            add(f);
        }
    } else {
        for (const auto& h : header)
            if (driftgate::is_automatic_feature(h, p)) add(h);
    }
    (void)score_column_note(c, header, csv);  // a named score the file lacks: exit 65 (the default's note is for reports)
    if (!p.columns.score.empty() && in_header.count(p.columns.score)) {
        req.columns.push_back(p.columns.score);
        req.kinds.push_back(read_as::number);
        req.score = p.columns.score;
        if (!p.columns.label.empty() && in_header.count(p.columns.label)) req.label = p.columns.label;
        req.probability = p.performance.kind == driftgate::score_kind::probability;
    }
    return profile_csv(csv, req, c);
}

void merge_inputs::add(const driftgate::profile& p, const std::string& name) {
    const std::uint64_t fingerprint = driftgate::profile_fingerprint(p);
    known next{fingerprint, p.meta.parts.empty() ? std::vector<std::uint64_t>{fingerprint} : p.meta.parts, name};
    for (const known& was : seen_) {
        const std::string& a = was.name;
        const std::string& b = next.name;
        std::string what;
        if (was.fingerprint == next.fingerprint) {
            what = fmt::format("{} holds the same rows as {} (the same values in every column)", b, a);
        } else {
            std::vector<std::uint64_t> common;
            std::set_intersection(next.parts.begin(), next.parts.end(), was.parts.begin(), was.parts.end(),
                                  std::back_inserter(common));
            if (common.empty()) continue;
            if (!next.merged())
                what = fmt::format("{} already holds the rows of {} (a profile of the same rows was merged into it)", a, b);
            else if (!was.merged())
                what = fmt::format("{} already holds the rows of {} (a profile of the same rows was merged into it)", b, a);
            else
                what = fmt::format("{} and {} both hold the rows of {} (merged into each)", a, b,
                                   common.size() == 1 ? "one profile" : fmt::format("{} profiles", common.size()));
        }
        throw cli_error(exit_code::usage,
                        fmt::format("{}: they would count twice ({})", what,
                                    was.merged() || next.merged()
                                        ? "merge each part once"
                                        : "shards that really hold the same rows: profile their concatenation"));
    }
    seen_.push_back(std::move(next));
}

driftgate::profile merge_profile_files(const std::vector<std::string>& paths) {
    require_distinct_files(paths, "its rows");  // one file named twice would count its rows twice
    merge_inputs inputs;
    driftgate::profile m = load_profile_file(paths.at(0));
    inputs.add(m, shown_path(paths[0]));
    for (std::size_t i = 1; i < paths.size(); ++i) {
        driftgate::profile next = load_profile_file(paths[i]);
        inputs.add(next, shown_path(paths[i]));
        try {
            m = driftgate::merge_profiles(std::move(m), std::move(next));  // each column released once merged
        } catch (const driftgate::error& e) {
            std::string what = e.what();
            const std::string prefix = "driftgate: merge_profiles: ";
            if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
            throw cli_error(exit_code::data, fmt::format("{}: cannot merge with {}: {}", paths[i], paths[0], what));
        }
    }
    m.meta.created = static_cast<std::int64_t>(std::time(nullptr));
    return m;
}

namespace {

std::string utc(std::int64_t t) {
    if (t <= 0) return "unknown";
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    if (gmtime_r(&tt, &tm) == nullptr || tm.tm_year > 9999 - 1900) return "out of range (" + std::to_string(t) + " s)";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

const char* representation(const driftgate::column_profile& c) {
    if (std::holds_alternative<driftgate::category_counts>(c.data)) return "categories";
    if (std::holds_alternative<driftgate::counted_sample>(c.data)) return "counted";
    return "sorted";
}

} // namespace

std::string describe_profile(const driftgate::profile& p, const std::string& path, std::size_t bytes, bool json) {
    // The texts a profile holds come from a CSV header or a hand-edited file: invalid UTF-8 is
    // written \xNN (JSON text must be UTF-8), and control characters in text output too (a line
    // feed in a source name could forge a line of the description).
    const auto shown = [json](const std::string& s) { return json ? repair_utf8(s) : escape_control(repair_utf8(s)); };
    nlohmann::ordered_json j;
    j["path"] = shown(path);
    j["bytes"] = bytes;
    j["source"] = shown(p.meta.source);
    j["rows"] = p.meta.rows;
    j["created"] = utc(p.meta.created);
    j["driftgate_version"] = shown(p.meta.version);
    j["parts"] = p.meta.parts.size();  // profiles of one snapshot merged into it; 0: built from one
    j["score"] = shown(p.score);
    j["label"] = shown(p.label);
    nlohmann::ordered_json header = nlohmann::ordered_json::array();
    for (const auto& h : p.header) header.push_back(shown(h));
    j["header"] = std::move(header);
    nlohmann::ordered_json cols = nlohmann::ordered_json::array();
    for (const auto& c : p.columns) {
        nlohmann::ordered_json x;
        x["name"] = shown(c.name);
        x["type"] = driftgate::to_string(c.type);
        x["representation"] = representation(c);
        x["values"] = c.count();
        x["missing"] = c.missing();
        x["invalid"] = c.invalid;
        x["distinct"] = driftgate::distinct_values_upto(c, 1000000);
        if (!c.is_text() && c.count() > 0) {
            x["min"] = driftgate::detail::min_value(c);
            x["max"] = driftgate::detail::max_value(c);
        }
        cols.push_back(std::move(x));
    }
    j["columns"] = std::move(cols);
    if (p.classes)
        j["classes"] = {{"positives", p.classes->positives.size()}, {"negatives", p.classes->negatives.size()}};
    if (json) return j.dump(2) + "\n";
    std::string out = fmt::format("{}: driftgate profile, {} bytes\n  source   {}\n  rows     {}\n  created  {} (driftgate {})\n",
                                  shown(path), bytes, shown(p.meta.source), p.meta.rows, utc(p.meta.created), shown(p.meta.version));
    if (!p.meta.parts.empty()) out += fmt::format("  merged   from {} profiles\n", p.meta.parts.size());
    out += fmt::format("  header   {} columns; {} profiled\n", p.header.size(), p.columns.size());
    if (!p.score.empty()) out += fmt::format("  score    {}\n", shown(p.score));
    if (p.classes)
        out += fmt::format("  label    {}: {} defaults, {} non-defaults\n", shown(p.label), p.classes->positives.size(),
                           p.classes->negatives.size());
    std::size_t w = 6;
    for (const auto& c : j["columns"]) w = std::max(w, c["name"].get<std::string>().size());
    out += fmt::format("\n  {:<{}}  {:<8}  {:<10}  {:>10}  {:>8}  {:>9}\n", "column", w, "type", "stored", "values", "missing",
                       "distinct");
    for (const auto& c : j["columns"])
        out += fmt::format("  {:<{}}  {:<8}  {:<10}  {:>10}  {:>8}  {:>9}\n", c["name"].get<std::string>(), w,
                           c["type"].get<std::string>(), c["representation"].get<std::string>(), c["values"].get<std::uint64_t>(),
                           c["missing"].get<std::uint64_t>(), c["distinct"].get<std::uint64_t>());
    return out;
}

} // namespace driftgate::cli
