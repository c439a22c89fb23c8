// driftgate — command-line entry point: parse the command line, run one command of the table
// below, render its report, exit with a code a CI pipeline can gate on. See `driftgate --help`
// and the README. Everything a command computes comes from the library; this file only wires
// options to commands and errors to exit codes.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <driftgate/version.hpp>

#include "commands.hpp"
#include "config.hpp"
#include "exit_codes.hpp"
#include "memory.hpp"
#include "parallel.hpp"
#include "log_snapshot.hpp"
#include "report.hpp"
#include "service_command.hpp"

using namespace driftgate::cli;

namespace {

/// Options every command shares.
struct common_options {
    std::string config_file;
    std::string format = "text";
    std::string fail_on = "critical";
    std::optional<std::string> output;
    bool quiet = false;
    std::optional<std::string> delimiter;
    unsigned threads = 0;
};

/// Everything the command line gave.
struct invocation {
    common_options common;
    overrides over;
    std::string reference, current, data;
    std::optional<std::string> columns;
    service_arguments service;
};

/// One command: its name, one line of help, the options it adds, and what it runs.
struct command_entry {
    const char* name;
    const char* summary;
    void (*setup)(CLI::App& sub, invocation& inv);
    driftgate::report (*run)(const config& c, const invocation& inv);
    bool needs_config_file = false;
};

void add_common(CLI::App& sub, common_options& o, bool config_required = false) {
    auto* c = sub.add_option("--config", o.config_file, "TOML configuration (thresholds, columns, binning, ...)");
    if (config_required) c->required();
    sub.add_option("--format", o.format, "Output format: text (for people) or json (for scripts)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    sub.add_option("--fail-on", o.fail_on,
                   "Lowest severity that makes the exit code non-zero: warning, critical or never")
        ->check(CLI::IsMember({"warning", "critical", "never"}))
        ->capture_default_str();
    sub.add_option("--output,-o", o.output, "Write the report to FILE instead of standard output");
    sub.add_flag("--quiet,-q", o.quiet, "Print no report on standard output (errors still go to standard error)");
    sub.add_option("--delimiter", o.delimiter, "CSV field separator: ',' (default), ';' or 'tab'");
    sub.add_option("--threads", o.threads,
                   "Parallel work: CSV chunks and statistics, run on at most one thread per core (default: all cores)");
}

/// --threshold: a decision threshold in [0, 1] (NaN is refused: CLI::Range lets it through).
void add_threshold(CLI::App& sub, invocation& inv, const char* help) {
    sub.add_option("--threshold", inv.over.threshold, help)->check(CLI::Validator(
        [](std::string& s) -> std::string {
            double v = 0;
            try {
                std::size_t used = 0;
                v = std::stod(s, &used);
                if (used != s.size()) return "not a number: " + s;
            } catch (const std::exception&) {
                return "not a number: " + s;
            }
            if (!(v >= 0.0 && v <= 1.0)) return "must lie in [0, 1]: " + s;
            return {};
        },
        "in [0, 1]"));
}

const command_entry commands[] = {
    {"drift", "PSI and KS for each feature column, CSI for the score column",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("REFERENCE", inv.reference, "Reference snapshot (CSV, or a JSON-lines prediction log)")->required();
         sub.add_option("CURRENT", inv.current, "Current snapshot (CSV, or a JSON-lines prediction log)")->required();
         sub.add_option("--columns", inv.columns,
                        "Feature columns, comma-separated, CSV quoting allowed (default: every column in both files but score/label)");
         sub.add_option("--score", inv.over.score, "Score (PD) column for CSI (default from the configuration: score)");
     },
     [](const config& c, const invocation& inv) { return run_drift_command(c, inv.reference, inv.current); }},
    {"perf", "AUC with its DeLong interval, KS statistic, recall, precision, Brier",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("DATA", inv.data, "Scored snapshot with labels (CSV, or a JSON-lines prediction log)")->required();
         sub.add_option("--score", inv.over.score, "Score (PD) column (required for a CSV)");
         sub.add_option("--label", inv.over.label, "Label column, 1 = default, 0 = no default (required for a CSV)");
         add_threshold(sub, inv, "Decision threshold: PD >= T predicts default (default 0.12)");
     },
     [](const config& c, const invocation& inv) {
         require_option_for_csv(inv.data, inv.over.score, "--score");
         require_option_for_csv(inv.data, inv.over.label, "--label");
         return run_perf_command(c, inv.data);
     }},
    {"proxy", "Label-free proxies: high-risk share, mean score, approval rate",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("DATA", inv.data, "Scored snapshot (CSV, or a JSON-lines prediction log)")->required();
         sub.add_option("--score", inv.over.score, "Score (PD) column (required for a CSV)");
     },
     [](const config& c, const invocation& inv) {
         require_option_for_csv(inv.data, inv.over.score, "--score");
         return run_proxy_command(c, inv.data);
     }},
    {"check", "The whole monitoring run the configuration asks for (drift, CSI, performance, proxies)",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("--reference", inv.over.reference, "Reference snapshot (overrides [input] reference)");
         sub.add_option("--current", inv.over.current, "Current snapshot (overrides [input] current)");
         sub.add_option("--score", inv.over.score, "Score column (overrides [columns] score)");
         sub.add_option("--label", inv.over.label, "Label column (overrides [columns] label)");
         add_threshold(sub, inv, "Decision threshold (overrides [performance] threshold)");
     },
     [](const config& c, const invocation&) { return run_check_command(c); }, true},
    {"service", "Service health from the scoring API's prediction logs: latency, error rates, throughput, sustained breaches",
     [](CLI::App& sub, invocation& inv) { add_service_options(sub, inv.service); },
     [](const config& c, const invocation& inv) {
         return run_service_command(c, inv.service, !inv.common.quiet && isatty(STDERR_FILENO) == 1);
     }},
};

int exit_for(driftgate::severity s, driftgate::fail_on gate) {
    if (!driftgate::gate_fails(s, gate)) return 0;
    return static_cast<int>(s == driftgate::severity::critical ? exit_code::critical : exit_code::warning);
}

driftgate::fail_on parse_fail_on(const std::string& s) {
    return s == "warning" ? driftgate::fail_on::warning : s == "never" ? driftgate::fail_on::never : driftgate::fail_on::critical;
}

bool use_colour(const common_options& o) {
    if (o.output) return false;
    const char* no = std::getenv("NO_COLOR");
    if (no && *no) return false;
    return isatty(STDOUT_FILENO) == 1;
}

char parse_delimiter(const std::string& d) {
    if (d == "tab" || d == "\\t" || d == "\t") return '\t';
    if (d.size() != 1 || d == "\"" || d == "\n" || d == "\r")
        throw cli_error(exit_code::usage,
                        fmt::format("--delimiter: \"{}\" is not a field separator (use ',', ';' or 'tab')", d));
    return d[0];
}

/// Splits --columns (comma-separated; a name holding a comma is written in double quotes, a
/// quote inside quotes doubled). An empty name, an unterminated quote or a name given twice is a
/// usage error.
std::vector<std::string> parse_columns(const std::string& list) {
    std::vector<std::string> out;
    std::string item;
    bool quoted = false, was_quoted = false;
    for (std::size_t i = 0; i <= list.size(); ++i) {
        const char ch = i < list.size() ? list[i] : ',';
        if (quoted && i == list.size())
            throw cli_error(exit_code::usage, fmt::format("--columns: unterminated quote in \"{}\"", list));
        if (quoted) {
            if (ch == '"' && i + 1 < list.size() && list[i + 1] == '"') {
                item += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                item += ch;
            }
        } else if (ch == '"' && item.empty() && !was_quoted) {
            quoted = was_quoted = true;
        } else if (ch == ',') {
            if (item.empty() && !was_quoted) throw cli_error(exit_code::usage, fmt::format("--columns: an empty column name in \"{}\"", list));
            for (const auto& x : out)
                if (x == item) throw cli_error(exit_code::usage, fmt::format("--columns: column \"{}\" is named twice", item));
            out.push_back(item);
            item.clear();
            was_quoted = false;
        } else {
            if (was_quoted) throw cli_error(exit_code::usage, fmt::format("--columns: text after a closing quote in \"{}\"", list));
            item += ch;
        }
    }
    return out;
}

/// Writes the rendered report where it goes. Throws cli_error(exit_code::io) when it cannot.
void emit(const common_options& o, const std::string& text) {
    if (o.output) {
        std::ofstream out(*o.output, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) throw cli_error(exit_code::io, fmt::format("{}: cannot write the report", *o.output));
    } else if (!o.quiet) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        if (std::fflush(stdout) != 0) throw cli_error(exit_code::io, "cannot write the report to standard output");
    }
}

int fail(exit_code code, const char* what) {
    std::fprintf(stderr, "driftgate: error: %s\n", what);
    return static_cast<int>(code);
}

} // namespace

int main(int argc, char** argv) {
    tune_allocator();
    CLI::App app{"driftgate " DRIFTGATE_VERSION_STRING
                 " - drift and model-performance monitoring for credit-risk scoring.\n"
                 "Compares a reference and a current CSV snapshot against configured thresholds and exits\n"
                 "with a code a CI pipeline can gate on."};
    app.footer(exit_code_table());
    app.set_version_flag("--version", "driftgate " DRIFTGATE_VERSION_STRING);
    app.require_subcommand(1);

    invocation inv;
    std::vector<std::pair<const command_entry*, CLI::App*>> subs;
    for (const auto& cmd : commands) {
        CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
        cmd.setup(*sub, inv);
        add_common(*sub, inv.common, cmd.needs_config_file);
        sub->footer(exit_code_table());
        subs.emplace_back(&cmd, sub);
    }
    auto* cfg = app.add_subcommand("config", "Print the default configuration (the SPEC.md thresholds, commented)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "driftgate: error: %s\nRun 'driftgate --help' or 'driftgate COMMAND --help' for the options.\n",
                     e.what());
        return static_cast<int>(exit_code::usage);
    }

    try {
        if (cfg->parsed()) {
            std::fputs(default_config_toml(), stdout);
            return std::fflush(stdout) == 0 ? 0 : static_cast<int>(exit_code::io);
        }
        const common_options& common = inv.common;
        if (common.output && common.output->empty())
            throw cli_error(exit_code::usage, "--output: an empty file name (omit --output to write to standard output)");
        config c = common.config_file.empty() ? config{} : load_config(common.config_file);
        if (inv.columns) inv.over.columns = parse_columns(*inv.columns);
        if (common.delimiter) inv.over.delimiter = parse_delimiter(*common.delimiter);
        if (common.threads) inv.over.threads = common.threads;
        apply(c, inv.over);

        // The worker threads start polling for work while the files' headers are read.
        if (c.csv.threads != 1) start_workers();
        const command_entry* cmd = nullptr;
        for (const auto& [entry, sub] : subs)
            if (sub->parsed()) cmd = entry;
        const driftgate::report report = cmd->run(c, inv);

        const driftgate::fail_on gate = parse_fail_on(common.fail_on);
        const int rc = exit_for(report.status(), gate);
        emit(common, common.format == "json" ? to_json(report, gate, rc).dump(2) + "\n"
                                             : to_text(report, use_colour(common), gate, rc));
        return rc;
    } catch (const cli_error& e) {
        return fail(e.code(), e.what());
    } catch (const std::bad_alloc&) {
        return fail(exit_code::os_error, "out of memory");
    } catch (const driftgate::error& e) {
        return fail(exit_code::data, e.what());
    } catch (const std::exception& e) {
        return fail(exit_code::data, e.what());
    }
}
