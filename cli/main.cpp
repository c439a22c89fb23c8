// driftgate — command-line entry point: parse the command line, run one command of the table
// below, render its report, exit with a code a CI pipeline can gate on. See `driftgate --help`
// and the README. Everything a command computes comes from the library; this file only wires
// options to commands and errors to exit codes.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <new>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <driftgate/policy_keys.hpp>
#include <driftgate/profile_io.hpp>
#include <driftgate/version.hpp>
#include <driftgate/windows.hpp>

#include "audit.hpp"
#include "commands.hpp"
#include "config.hpp"
#include "exit_codes.hpp"
#include "memory.hpp"
#include "option_checks.hpp"
#include "output.hpp"
#include "parallel.hpp"
#include "log_snapshot.hpp"
#include "profile_command.hpp"
#include "render.hpp"
#include "text.hpp"
#include "report.hpp"
#include "service_command.hpp"
#include "snapshot.hpp"

using namespace driftgate::cli;

namespace {

/// What a snapshot argument may be (recognised by its bytes: csv.hpp, jsonl.hpp).
constexpr const char* snapshot_kinds = "CSV (plain, gzip or zstd) or a JSON-lines prediction log";

/// Options every command shares.
struct common_options {
    std::string config_file;
    std::string format = "text";
    std::string fail_on = "critical";
    std::optional<std::string> output;
    std::vector<std::string> reports; ///< --report FORMAT[=PATH]
    bool quiet = false;
    bool verbose = false;
    bool audit = false;
    std::optional<std::string> delimiter;
    unsigned threads = 0;
};

/// Everything the command line gave.
struct invocation {
    common_options common;
    overrides over;
    std::string reference, current, data;
    std::optional<std::string> columns;
    std::vector<std::string> profiles;  ///< profile show / merge
    service_arguments service;
};

/// One command: its name, one line of help, the options it adds, and what it runs.
struct command_entry {
    const char* name;
    const char* summary;
    void (*setup)(CLI::App& sub, invocation& inv);
    driftgate::report (*run)(const config& c, const invocation& inv);
    /// The files it reads, by role, known before it reads any (outputs must not name one).
    std::vector<input_file> (*inputs)(const config& c, const invocation& inv);
    bool reads_csv = true;  ///< false: --delimiter and the per-bin tables of --verbose do not apply
};

/// --delimiter, for every command that reads a CSV (parse_delimiter checks it).
void add_delimiter(CLI::App& sub, std::optional<std::string>& delimiter) {
    sub.add_option("--delimiter", delimiter, "CSV field separator: ',' (default), ';', '|', 'tab' or another sign");
}

void add_common(CLI::App& sub, common_options& o, bool reads_csv) {
    sub.add_option("--config", o.config_file, "TOML configuration (thresholds, columns, binning, ...)")->check(file_name);
    std::vector<std::string> names;
    for (const auto& f : formats()) names.emplace_back(f.name);
    sub.add_option("--format", o.format, "Output format: " + format_names())
        ->check(CLI::IsMember(names))
        ->capture_default_str();
    sub.add_option("--fail-on", o.fail_on,
                   "Lowest severity that makes the exit code non-zero: warning, critical or never")
        ->check(CLI::IsMember({"warning", "critical", "never"}))
        ->capture_default_str();
    sub.add_option("--output,-o", o.output, "Write the report to FILE instead of standard output (replaced atomically; '-': standard output)")
        ->check(non_empty("an empty file name (omit --output to write to standard output)"));
    sub.add_option("--report", o.reports,
                   "Also write the report as FORMAT to PATH (FORMAT=PATH; FORMAT alone: driftgate-report.EXT); repeatable")
        ->type_name("FORMAT=PATH")
        ->check(non_empty("an empty value (give FORMAT or FORMAT=PATH)"));
    sub.add_flag("--verbose,-v", o.verbose,
                 reads_csv ? "Text: also the data-quality checks that are ok; text and Markdown: a table of bins per feature"
                           : "Text: also the data-quality checks that are ok");
    sub.add_flag("--audit", o.audit, "Record each input's SHA-256 in the report (reads every input once more)");
    sub.add_flag("--quiet,-q", o.quiet, "Print no report on standard output (errors still go to standard error)");
    if (reads_csv) add_delimiter(sub, o.delimiter);
    sub.add_option("--threads", o.threads,
                   "Parallel work: CSV chunks, decompression and statistics, on at most one thread per core (default: all "
                   "cores; 1: no other thread)")
        ->check(non_empty("an empty value (omit --threads for all cores)"));
}

/// --segment COL (repeatable).
void add_segment(CLI::App& sub, invocation& inv) {
    sub.add_option("--segment", inv.over.segments,
                   "Also every check per value of COL, and the fairness checks across its values (repeatable; "
                   "adds to [segments] columns)")
        ->type_name("COL")
        ->check(column_name)
        ->take_all()
        ->allow_extra_args(false);
}

/// --time-column COL and --window W: every check also per window of the current file.
void add_windows(CLI::App& sub, invocation& inv) {
    sub.add_option("--time-column", inv.over.time_column,
                   "Column of each row's ISO 8601 date or date-time, for --window (sets [windows] time_column)")
        ->type_name("COL")
        ->check(column_name);
    sub.add_option("--window", inv.over.window,
                   "Also every check per window of the current file: day, week (ISO, Monday to Sunday), month, or N rows "
                   "(sets [windows] window)")
        ->type_name("day|week|month|N")
        ->check(CLI::Validator(
            [](std::string& s) -> std::string {
                const auto w = driftgate::parse_window(s);
                return w && w->active() ? std::string() : "not day, week, month or a positive number of rows: " + s;
            },
            ""));  // the type name says it
}

/// --threshold: a decision threshold, a number as written in C (a leading '+' allowed); whether it
/// lies in [0, 1] depends on [performance] score_kind, which the configuration may set, so apply()
/// (commands.cpp) judges that once the configuration is read.
void add_threshold(CLI::App& sub, invocation& inv, const char* help) {
    sub.add_option("--threshold", inv.over.threshold, help)->check(CLI::Validator(
        [](std::string& s) -> std::string {
            double v = 0;
            const std::size_t at = s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+' ? 1 : 0;  // "+0.5"
            const auto [end, ec] = std::from_chars(s.data() + at, s.data() + s.size(), v);
            if (end != s.data() + s.size() || s.size() == at) return "not a number: \"" + s + "\"";
            if (ec == std::errc::result_out_of_range) {
                // from_chars leaves v as it was: strtod (the "C" locale here) says which way.
                const double way = std::strtod(s.c_str(), nullptr);
                return std::fabs(way) < 1.0 ? "too close to 0 for a double (write 0): " + s : "beyond the range of a double: " + s;
            }
            return {};
        },
        "NUMBER"));
}

const command_entry commands[] = {
    {"drift", "PSI and a distribution test (KS; chi-square for codes and categories) per feature column, CSI for the score column",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("REFERENCE", inv.reference,
                        "Reference snapshot: CSV (plain, gzip or zstd), a JSON-lines prediction log, or a saved profile "
                        "(profile build)")
             ->required()
             ->check(file_name);
         sub.add_option("CURRENT", inv.current, std::string("Current snapshot: ") + snapshot_kinds)->required()->check(file_name);
         sub.add_option("--columns", inv.columns,
                        "Feature columns, comma-separated, CSV quoting allowed (default: every named column of the reference but "
                        "score/label; one the current file lacks is a schema check)");
         sub.add_option("--score", inv.over.score, "Score (PD) column for CSI (default from the configuration: score; '' for none)");
         sub.add_flag("--multivariate", inv.over.multivariate,
                      "Also the PCA reconstruction error over the numeric features (drift no single feature shows)");
         add_segment(sub, inv);
         add_windows(sub, inv);
     },
     [](const config& c, const invocation& inv) { return run_drift_command(c, inv.reference, inv.current); },
     [](const config&, const invocation& inv) {
         return std::vector<input_file>{{"reference", inv.reference}, {"current", inv.current}};
     }},
    {"perf", "AUC with its DeLong interval, KS statistic, recall, precision, Brier",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("DATA", inv.data, std::string("Scored snapshot with labels: ") + snapshot_kinds + "; - for standard input")
             ->required()
             ->check(file_name);
         sub.add_option("--score", inv.over.score, "Score (PD) column (for a CSV: required, or [columns] score in --config)")->check(column_name);
         sub.add_option("--label", inv.over.label, "Label column, 1 = default, 0 = no default (for a CSV: required, or [columns] label in --config)")->check(column_name);
         add_threshold(sub, inv, "Decision threshold: PD >= T predicts default (default 0.12)");
         add_segment(sub, inv);
         add_windows(sub, inv);
     },
     [](const config& c, const invocation& inv) {
         require_column_for_csv(inv.data, c.score_named, "--score", "[columns] score");
         require_column_for_csv(inv.data, c.label_named, "--label", "[columns] label");
         return run_perf_command(c, inv.data);
     },
     [](const config&, const invocation& inv) { return std::vector<input_file>{{"data", inv.data}}; }},
    {"proxy", "Label-free proxies: high-risk share, mean score, approval rate",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("DATA", inv.data, std::string("Scored snapshot: ") + snapshot_kinds + "; - for standard input")
             ->required()
             ->check(file_name);
         sub.add_option("--score", inv.over.score, "Score (PD) column (for a CSV: required, or [columns] score in --config)")->check(column_name);
         add_segment(sub, inv);
         add_windows(sub, inv);
     },
     [](const config& c, const invocation& inv) {
         require_column_for_csv(inv.data, c.score_named, "--score", "[columns] score");
         return run_proxy_command(c, inv.data);
     },
     [](const config&, const invocation& inv) { return std::vector<input_file>{{"data", inv.data}}; }},
    {"estimate", "Performance estimated from calibrated PDs before the labels arrive (CBPE), and their calibration",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("CURRENT", inv.data,
                        std::string("Scored snapshot, labels not needed: ") + snapshot_kinds + "; - for standard input")
             ->required()
             ->check(file_name);
         sub.add_option("--score", inv.over.score, "Score (PD) column (for a CSV: required, or [columns] score in --config)")->check(column_name);
         add_threshold(sub, inv, "Decision threshold: PD >= T predicts default (default: [performance] threshold, 0.12)");
         sub.add_option("--reference", inv.reference, "Labelled reference snapshot (CSV): checks the calibration of the PDs (Hosmer-Lemeshow)")
             ->check(file_name);
         sub.add_option("--label", inv.over.label, "Label column of the reference (default from the configuration: default)")
             ->check(column_name);
     },
     [](const config& c, const invocation& inv) {
         require_column_for_csv(inv.data, c.score_named, "--score", "[columns] score");
         return run_estimate_command(c, inv.data, inv.reference);
     },
     [](const config&, const invocation& inv) {
         std::vector<input_file> in{{"current", inv.data}};
         if (!inv.reference.empty()) in.push_back({"reference", inv.reference});
         return in;
     }},
    {"check", "The whole monitoring run the configuration asks for (drift, CSI, performance, proxies)",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("--reference", inv.over.reference, "Reference snapshot (overrides [input] reference)")->check(file_name);
         sub.add_option("--current", inv.over.current, "Current snapshot (overrides [input] current)")->check(file_name);
         sub.add_option("--score", inv.over.score, "Score column (overrides [columns] score; '' for none)");
         sub.add_option("--label", inv.over.label, "Label column (overrides [columns] label; '' for none)");
         add_threshold(sub, inv, "Decision threshold (overrides [performance] threshold)");
         sub.add_flag("--multivariate", inv.over.multivariate, "Also the PCA reconstruction error (sets [checks] multivariate)");
         add_segment(sub, inv);
         add_windows(sub, inv);
     },
     [](const config& c, const invocation&) { return run_check_command(c); },
     [](const config& c, const invocation&) {
         std::vector<input_file> out;
         for (auto& [role, path] : check_command_inputs(c)) out.push_back({role, path});
         return out;
     }},
    {"service", "Service health from the scoring API's prediction logs: latency, error rates, throughput, sustained breaches",
     [](CLI::App& sub, invocation& inv) { add_service_options(sub, inv.service); },
     [](const config& c, const invocation& inv) {
         return run_service_command(c, inv.service, !inv.common.quiet && isatty(STDERR_FILENO) == 1);
     },
     [](const config&, const invocation& inv) {
         std::vector<input_file> out;
         for (const auto& path : expand_log_arguments(inv.service.logs)) out.push_back({"log", path});
         return out;
     },
     false},
};

/// One `profile` subcommand: it writes a profile file (build, merge) or describes one (show),
/// and prints a summary rather than a report.
struct profile_entry {
    const char* name;
    const char* summary;
    void (*setup)(CLI::App& sub, invocation& inv);
    /// The profile to write (build, merge) or describe (show).
    driftgate::profile (*run)(const config& c, const invocation& inv);
    /// The files it reads.
    std::vector<input_file> (*inputs)(const invocation& inv);
    bool writes = true;      ///< writes a profile (--output; --threads): build, merge
    bool reads_csv = false;  ///< reads a CSV (--config, --delimiter): build
};

const profile_entry profile_commands[] = {
    {"build", "Profile a reference CSV once (sorted values, category counts, the score by class) and save it",
     [](CLI::App& sub, invocation& inv) {
         sub.add_option("REFERENCE", inv.reference, "Reference snapshot: CSV (plain, gzip or zstd)")->required()->check(file_name);
         sub.add_option("--columns", inv.columns, "Columns to profile, comma-separated (default: every column but the label)");
         sub.add_option("--score", inv.over.score, "Score column (default from the configuration: score; '' for none)");
         sub.add_option("--label", inv.over.label, "Label column (default from the configuration: default; '' for none)");
     },
     [](const config& c, const invocation& inv) { return build_profile(c, inv.reference); },
     [](const invocation& inv) { return std::vector<input_file>{{"reference", inv.reference}}; }, true, true},
    {"show", "Describe what a saved profile holds",
     [](CLI::App& sub, invocation& inv) { sub.add_option("PROFILE", inv.profiles, "A profile file")->required()->expected(1)->check(file_name); },
     [](const config&, const invocation& inv) { return load_profile_file(inv.profiles[0]); },
     [](const invocation& inv) { return std::vector<input_file>{{"profile", inv.profiles[0]}}; }, false},
    {"merge", "Merge the profiles of parts of one reference (shards with the same header) into one, exactly",
     [](CLI::App& sub, invocation& inv) { sub.add_option("PROFILES", inv.profiles, "Profile files, in row order")->required()->check(file_name); },
     [](const config&, const invocation& inv) { return merge_profile_files(inv.profiles); },
     [](const invocation& inv) {
         std::vector<input_file> out;
         for (const auto& p : inv.profiles) out.push_back({"profile", p});
         return out;
     }},
};

/// Runs a `profile` subcommand: the profile written atomically (never over one of its inputs),
/// then its summary on standard output.
int run_profile_command(const profile_entry& cmd, const config& c, const invocation& inv) {
    const common_options& common = inv.common;
    std::vector<input_file> inputs = cmd.inputs(inv);
    if (!common.config_file.empty()) inputs.push_back({"config", common.config_file});
    const std::string path = cmd.writes ? *common.output : inv.profiles[0];  // not empty: the option refuses ""
    // A profile written to standard output (-o -, /dev/stdout) is binary: not onto a terminal, and
    // its description goes to standard error, not into the profile.
    const bool to_stdout = cmd.writes && named_descriptor(path) == 1;
    if (cmd.writes && names_terminal(path))
        throw cli_error(exit_code::usage, fmt::format("--output {}: a terminal, and a profile is binary: write it to a file "
                                                      "or a pipe",
                                                      path));
    if (to_stdout && !common.quiet && same_file(STDOUT_FILENO, STDERR_FILENO))
        throw cli_error(exit_code::usage, fmt::format("--output {}: standard error goes where the profile goes (2>&1): its "
                                                      "summary would corrupt the profile; redirect standard error elsewhere, or "
                                                      "give --quiet",
                                                      path));
    if (cmd.writes) check_outputs({{path, "--output"}}, inputs);
    const driftgate::profile p = cmd.run(c, inv);
    // The profile's size as written: the file's for a plain profile file, also for one read
    // compressed or from a pipe (whose file size says nothing of it). Serialized only when used.
    if (!cmd.writes && common.quiet) return 0;
    const std::string data = driftgate::serialize_profile(p);
    if (cmd.writes) write_outputs({{{path, "--output"}, data}});
    if (!common.quiet)
        write_outputs({{{to_stdout ? "/dev/stderr" : "", "the profile's description"},
                        describe_profile(p, to_stdout ? std::string("(standard output)") : path, data.size(), common.format == "json")}});
    return 0;
}

int exit_for(driftgate::severity s, driftgate::fail_on gate) {
    if (!driftgate::gate_fails(s, gate)) return 0;
    return static_cast<int>(s == driftgate::severity::critical ? exit_code::critical : exit_code::warning);
}

driftgate::fail_on parse_fail_on(const std::string& s) {
    return s == "warning" ? driftgate::fail_on::warning : s == "never" ? driftgate::fail_on::never : driftgate::fail_on::critical;
}

bool use_colour(const common_options& o) {
    if (o.output && named_descriptor(*o.output) != 1) return false;
    const char* no = std::getenv("NO_COLOR");
    if (no && *no) return false;
    return isatty(STDOUT_FILENO) == 1;
}

char parse_delimiter(const std::string& d) {
    if (d == "tab" || d == "\\t" || d == "\t") return '\t';
    if (d.size() != 1 || !driftgate::separates_fields(d[0]))
        throw cli_error(exit_code::usage, fmt::format("--delimiter: \"{}\" is not a field separator (one ASCII character such "
                                                      "as ',', ';', '|' or 'tab'; not a letter, a digit, '.', '+', '-' or a "
                                                      "quote)",
                                                      escape_control(repair_utf8(d))));
    return d[0];
}

/// Prints the error on one line: control characters and bytes that are not UTF-8 a message quotes
/// from its input (a name, a delimiter given as "\n") are shown escaped (\n, \x01, \xE9), as in
/// the reports.
int fail(exit_code code, const char* what) {
    std::fprintf(stderr, "driftgate: error: %s\n", escape_control(repair_utf8(what)).c_str());
    return static_cast<int>(code);
}

/// The long names, as `--NAME=`, of the options in `app` and its commands that take a value.
void value_option_words(const CLI::App& app, std::vector<std::string>& out) {
    for (const CLI::Option* o : app.get_options())
        if (o->get_expected_min() > 0)
            for (const auto& name : o->get_lnames()) out.push_back("--" + name + "=");
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) value_option_words(*sub, out);
}

/// The command line as CLI11 should read it: `--NAME=` with nothing after the sign gives the option
/// NAME an empty value, as getopt_long does, which the option then refuses as empty; CLI11 alone
/// would take the next word as the value (`--output= -q` wrote the report to a file named "-q" and
/// printed nothing). Words after `--` are left as they are.
std::vector<std::string> spelled_out(const CLI::App& app, int argc, char** argv) {
    std::vector<std::string> value_words;
    value_option_words(app, value_words);
    std::vector<std::string> out;
    bool options = true;
    for (int i = 0; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--") options = false;
        if (i > 0 && options && std::find(value_words.begin(), value_words.end(), word) != value_words.end()) {
            out.push_back(word.substr(0, word.size() - 1));
            out.emplace_back();
        } else {
            out.push_back(word);
        }
    }
    return out;
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
        add_common(*sub, inv.common, cmd.reads_csv);
        sub->footer(exit_code_table());
        subs.emplace_back(&cmd, sub);
    }
    auto* cfg = app.add_subcommand("config", "Print the default configuration (every key, commented)");
    bool config_markdown = false;
    cfg->add_flag("--markdown", config_markdown, "Print the configuration reference as a Markdown table (the README's)");
    cfg->footer(exit_code_table(false));
    auto* prof = app.add_subcommand("profile", "Reference profiles: build, show, merge");
    prof->require_subcommand(1);
    prof->footer(exit_code_table(false));
    std::vector<std::pair<const profile_entry*, CLI::App*>> profile_subs;
    for (const auto& cmd : profile_commands) {
        CLI::App* sub = prof->add_subcommand(cmd.name, cmd.summary);
        cmd.setup(*sub, inv);
        if (cmd.reads_csv)
            sub->add_option("--config", inv.common.config_file, "TOML configuration (columns, kinds)")->check(file_name);
        sub->add_option("--format", inv.common.format, "Summary format: text or json")->check(CLI::IsMember({"text", "json"}));
        if (cmd.writes)
            sub->add_option("--output,-o", inv.common.output,
                            "The profile file to write (replaced atomically; '-': standard output, the summary then on "
                            "standard error)")
                ->required()
                ->check(non_empty("an empty file name (give -o - for standard output)"));
        sub->add_flag("--quiet,-q", inv.common.quiet, "Print no summary");
        if (cmd.reads_csv) add_delimiter(*sub, inv.common.delimiter);
        if (cmd.writes)
            sub->add_option("--threads", inv.common.threads, "Parallel work (default: all cores)")
                ->check(non_empty("an empty value (omit --threads for all cores)"));
        sub->footer(exit_code_table(false));
        profile_subs.emplace_back(&cmd, sub);
    }

    // A first word that names no command: said so, with the commands (CLI11 would say only that a
    // subcommand is required). The same for `profile WORD`.
    // The names of `parent`'s commands, comma-separated, when none is `word`; "" when one is.
    const auto unknown = [](CLI::App& parent, const std::string& word) {
        std::string names;
        for (const CLI::App* sub : parent.get_subcommands({})) {
            if (sub->get_name() == word) return std::string();
            names += (names.empty() ? "" : ", ") + sub->get_name();
        }
        return names;
    };
    std::string what;
    if (argc >= 2 && argv[1][0] != '-') {
        if (const std::string names = unknown(app, argv[1]); !names.empty())
            what = "command '" + std::string(argv[1]) + "' (commands: " + names + ")";
        else if (std::string(argv[1]) == "profile" && argc >= 3 && argv[2][0] != '-')
            if (const std::string sub = unknown(*prof, argv[2]); !sub.empty())
                what = "profile command '" + std::string(argv[2]) + "' (profile commands: " + sub + ")";
    }
    if (!what.empty()) {
        std::fprintf(stderr, "driftgate: error: unknown %s\nRun 'driftgate --help' for the options.\n", what.c_str());
        return static_cast<int>(exit_code::usage);
    }

    // The help and the version are written as the reports are (write_outputs): a write that fails
    // (a full disk, a closed descriptor) is exit 74 with the system's reason, not 0 with nothing
    // written.
    const auto printed = [&app](const CLI::Error& e) {
        std::ostringstream text;
        const int code = app.exit(e, text, std::cerr);
        try {
            write_outputs({{{"", e.get_name() == "CallForVersion" ? "the version" : "the help"}, text.str()}});
        } catch (const cli_error& x) {
            return fail(x.code(), x.what());
        }
        return code;
    };
    std::vector<std::string> words = spelled_out(app, argc, argv);
    std::vector<char*> word_ptrs;
    for (auto& w : words) word_ptrs.push_back(w.data());
    try {
        app.parse(static_cast<int>(word_ptrs.size()), word_ptrs.data());
    } catch (const CLI::CallForHelp& e) {
        return printed(e);
    } catch (const CLI::CallForAllHelp& e) {
        return printed(e);
    } catch (const CLI::CallForVersion& e) {
        return printed(e);
    } catch (const CLI::ParseError& e) {
        // CLI11 checks required arguments before it reports words no option took, so a mistyped
        // option before a command's positionals (`drift --bogus a.csv b.csv`) read as "REFERENCE
        // is required". The words it could not place are the error then.
        std::string message = e.what();
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
            if (auto extras = app.remaining(true); !extras.empty()) message = CLI::ExtrasError(std::move(extras)).what();
        }
        std::fprintf(stderr, "driftgate: error: %s\nRun 'driftgate --help' or 'driftgate COMMAND --help' for the options.\n",
                     message.c_str());
        return static_cast<int>(exit_code::usage);
    }

    try {
        if (cfg->parsed()) {
            write_outputs({{{"", "the configuration"}, config_markdown ? driftgate::policy_keys_markdown() : default_config_toml()}});
            return 0;
        }
        const common_options& common = inv.common;
        timespec started{};
        clock_gettime(CLOCK_REALTIME, &started);
        config c = common.config_file.empty() ? config{} : load_config(common.config_file);
        if (inv.columns) inv.over.columns = parse_column_list(*inv.columns);
        if (common.delimiter) inv.over.delimiter = parse_delimiter(*common.delimiter);
        if (common.threads) inv.over.threads = common.threads;
        apply(c, inv.over);

        // The worker threads start polling for work while the files' headers are read.
        if (c.threads != 1) start_workers();
        for (const auto& [entry, sub] : profile_subs)
            if (sub->parsed()) return run_profile_command(*entry, c, inv);
        const auto outputs = plan_outputs(common.format, common.output, common.quiet, common.reports);
        const command_entry* cmd = nullptr;
        for (const auto& [entry, sub] : subs)
            if (sub->parsed()) cmd = entry;

        // Before anything is read: no output may name an input (nor the configuration file).
        std::vector<input_file> inputs = cmd->inputs(c, inv);
        if (!common.config_file.empty()) inputs.push_back({"config", common.config_file});
        std::vector<output_target> targets;
        for (const auto& o : outputs) targets.push_back(o.first);
        check_outputs(targets, inputs);
        std::vector<std::pair<std::string, driftgate::field>> records;
        for (const auto& in : inputs)
            if (in.role != "config") records.emplace_back(in.role, input_record(in.path, common.audit));
        records.emplace_back("config", config_record(common.config_file, override_lines(inv.over)));

        driftgate::report report = cmd->run(c, inv);
        add_records(report, records);
        repair_texts(report);

        run_info run;
        run.gate = parse_fail_on(common.fail_on);
        run.exit_code = exit_for(report.status(), run.gate);
        run.started = started.tv_sec;
        run.started_ns = started.tv_nsec;
        run.color = use_colour(common);
        run.verbose = common.verbose;
        run.audit = common.audit;
        // Every report is rendered before anything is written.
        std::vector<std::pair<output_target, std::string>> rendered;
        for (const auto& [target, format] : outputs) {
            run_info r = run;
            r.color = run.color && target.path.empty();
            rendered.emplace_back(target, format->render(report, r));
        }
        write_outputs(rendered);
        return run.exit_code;
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
