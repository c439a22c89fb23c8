#include "service_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <driftgate/service.hpp>

#include "jsonl.hpp"
#include "option_checks.hpp"

namespace driftgate::cli {

void add_service_options(CLI::App& sub, service_arguments& args) {
    sub.add_option("LOG", args.logs,
                   "Prediction logs (JSON lines: plain, gzip or zstd, by their first bytes), read in order; shell-style patterns such as "
                   "'logs/2025-12-*.jsonl.gz' are expanded; - reads standard input")
        ->required()
        ->check(file_name);
    sub.add_option("--by", args.by, "Also judge each model version on its own requests: model_version")
        ->check(CLI::IsMember({"model_version"}));
}

check bad_lines_check(const bad_line_summary& bad, const std::string& column) {
    check c;
    c.section = "data_quality";
    c.name = "bad_log_lines";
    c.column = column;
    c.value = static_cast<double>(bad.count);
    const rule r{direction::above, std::nullopt, bound{0, false}, std::nullopt};
    c.thresholds = to_field(r);
    c.level = judge(r, c.value).level;
    field reasons = field::make_table();
    for (const auto& [reason, n] : bad.by_reason) reasons.set(reason, n);
    field examples = field::make_list();
    for (const auto& e : bad.examples) examples.push_back(e);
    c.details = field::make_table({{"lines", bad.lines},
                                   {"share", bad.lines ? static_cast<double>(bad.count) / static_cast<double>(bad.lines) : 0.0},
                                   {"reasons", std::move(reasons)},
                                   {"examples", std::move(examples)}});
    if (bad.count > 0) c.note = fmt::format("{} bad line(s) skipped, first: {}", bad.count, bad.examples.front());
    return c;
}

report run_service_command(const config& c, const service_arguments& args, bool progress) {
    report r;
    r.command = "service";
    const service_policy& p = c.policy.service;
    const auto paths = expand_log_arguments(args.logs);
    const bool by_version = args.by == "model_version";
    // --threads 1: everything on the calling thread; otherwise gzip is inflated on a second one.
    const request_log log = read_request_log(paths, p, by_version, progress, c.threads != 1);

    field files = field::make_list();
    std::uint64_t lines = 0;
    for (const auto& f : log.files) {
        lines += f.lines;
        field e = field::make_table({{"path", f.path}, {"compressed", f.compressed}, {"lines", f.lines},
                                     {"requests", f.requests}, {"bytes", f.bytes}});
        if (f.blank_lines) e.set("blank_lines", f.blank_lines);
        if (p.on_bad_line == bad_line_policy::skip) e.set("bad_lines", f.bad_lines);
        files.push_back(std::move(e));
    }
    r.inputs.set("logs", std::move(files));
    r.inputs.set("requests", log.timestamps.size());
    if (log.timestamps.empty()) {
        const std::string what = paths.size() == 1 ? shown_path(paths.front()) : fmt::format("{} logs", paths.size());
        if (log.bad.count > 0)
            throw cli_error(exit_code::data, fmt::format("{}: no request to judge: all {} non-blank line(s) are bad, first: {}",
                                                         what, log.bad.count, log.bad.examples.front()));
        throw cli_error(exit_code::data,
                        fmt::format("{}: no request to judge ({} line(s), none a request): an empty log is not a healthy service",
                                    what, lines));
    }
    if (by_version) {
        field versions = field::make_list();
        for (const auto& v : log.model_versions) versions.push_back(v);
        r.inputs.set("model_versions", std::move(versions));
    }
    if (p.on_bad_line == bad_line_policy::skip) r.checks.push_back(bad_lines_check(log.bad));
    try {
        auto rows = evaluate_service(log.data(), p, p.model_version_field);
        for (auto& row : rows) r.checks.push_back(std::move(row));
    } catch (const driftgate::error& e) {
        std::string_view what = e.what();
        if (what.rfind("driftgate: ", 0) == 0) what.remove_prefix(11);
        throw cli_error(exit_code::data, fmt::format("service: {}", what));
    }
    return r;
}

} // namespace driftgate::cli
