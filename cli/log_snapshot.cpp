#include "log_snapshot.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "jsonl.hpp"
#include "service_command.hpp"

namespace driftgate::cli {

std::vector<std::string> read_snapshot_header(const config& c, const std::string& path) {
    if (!is_json_lines(path)) return read_csv_header(path, c.csv);
    return read_log_header(path, snapshot_spec(c.service, c.score, c.label));
}

csv_table read_snapshot(const config& c, const std::string& path, std::span<const std::string> columns,
                        column_policy policy, std::span<const std::string> unordered, report& r) {
    if (!is_json_lines(path)) return read_csv(path, columns, c.csv, policy, unordered);
    if (c.label && std::find(columns.begin(), columns.end(), *c.label) != columns.end() && c.service.label_field.empty())
        throw cli_error(exit_code::usage,
                        fmt::format("{} is a prediction log: its label column \"{}\" is read from the field set by "
                                    "[service] label_field, which is not set",
                                    path, *c.label));
    const log_table_spec spec = snapshot_spec(c.service, c.score, c.label);
    std::uint64_t others = 0;
    bad_line_summary bad;
    csv_table t = read_log_table(path, columns, spec, policy, &others, &bad);
    if (others > 0)
        r.notes.push_back(fmt::format("{}: {} request(s) answered with a status other than 2xx carry no prediction: "
                                      "not used as rows",
                                      path, others));
    if (c.service.on_bad_line == bad_line_policy::skip) r.checks.push_back(bad_lines_check(bad, path));
    return t;
}

void require_option_for_csv(const std::string& path, const std::optional<std::string>& value, const char* option) {
    if (!value && !is_json_lines(path))
        throw cli_error(exit_code::usage,
                        fmt::format("{} is required for a CSV snapshot (a prediction log has defaults: [service] "
                                    "score_field, label_field)",
                                    option));
}

} // namespace driftgate::cli
