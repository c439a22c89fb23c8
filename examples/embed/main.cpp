// Embedding driftgate in a C++ service: the whole monitoring run of `driftgate check` in four
// library calls — a policy from the same TOML file the CLI reads, a profile of each snapshot,
// evaluate(), and the report as the CLI's JSON — on data the service already holds in memory.
//
//   embed_example CONFIG.toml REFERENCE.csv CURRENT.csv
//
// prints the same checks, figure for figure, as
//   driftgate check --config CONFIG.toml --reference REFERENCE.csv --current CURRENT.csv --format json
// (.ci/run compares the two). The service's own data source stands in for the small CSV loader
// below (plain CSV, no quoted fields); driftgate itself reads no files.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <driftgate/driftgate.hpp>
#include <driftgate/policy_toml.hpp>

namespace {

std::string slurp(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(std::string(path) + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out(1);
    for (const char c : line) {
        if (c == ',') out.emplace_back();
        else if (c != '\r') out.back() += c;
    }
    return out;
}

/// A plain CSV as columns in row order: numbers where every cell is one (empty = missing), texts otherwise.
std::vector<driftgate::column_values> load(const char* path) {
    std::istringstream in(slurp(path));
    std::string line;
    std::getline(in, line);
    const auto header = split(line);
    std::vector<std::vector<std::string>> cells(header.size());
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto f = split(line);
        for (std::size_t j = 0; j < header.size(); ++j) cells[j].push_back(j < f.size() ? f[j] : "");
    }
    std::vector<driftgate::column_values> columns;
    for (std::size_t j = 0; j < header.size(); ++j) {
        driftgate::column_values c;
        c.name = header[j];
        bool numbers = true;
        for (const auto& s : cells[j]) {
            double v = NAN;
            if (!s.empty() && std::from_chars(s.data(), s.data() + s.size(), v).ptr != s.data() + s.size()) numbers = false;
            c.numbers.push_back(v);
        }
        if (!numbers) {
            c.type = driftgate::value_type::text;
            c.numbers.clear();
            for (auto& s : cells[j]) c.texts.push_back(s.empty() ? std::nullopt : std::optional<std::string>(s));
        }
        columns.push_back(std::move(c));
    }
    return columns;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s CONFIG.toml REFERENCE.csv CURRENT.csv\n", argv[0]);
        return 64;
    }
    try {
        // 1. The policy: thresholds, kinds, importances... from the CLI's configuration file.
        const driftgate::policy policy = driftgate::parse_policy_toml(slurp(argv[1]), argv[1]);
        const auto& cols = policy.columns;
        // 2. Profiles of the two snapshots (the reference's could be saved once and reused: profile_io.hpp).
        const driftgate::profile reference = driftgate::make_profile(load(argv[2]), cols.score, cols.label, argv[2]);
        const driftgate::profile current = driftgate::make_profile(load(argv[3]), cols.score, cols.label, argv[3]);
        // 3. Every check, threshold and severity of `driftgate check`.
        const driftgate::report report = driftgate::evaluate(reference, current, policy);
        // 4. The report as the CLI's JSON, and the gate's decision.
        std::puts(driftgate::json_text(driftgate::to_field(report)).c_str());
        std::fprintf(stderr, "driftgate %s: %s (%zu checks)\n", driftgate::version_string,
                     driftgate::to_string(report.status()), report.checks.size());
        return driftgate::gate_fails(report.status(), driftgate::fail_on::critical) ? 2 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "embed_example: %s\n", e.what());
        return 65;
    }
}
