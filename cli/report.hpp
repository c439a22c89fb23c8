// driftgate CLI — renderings of a report (include/driftgate/report.hpp): aligned text tables for
// people, one JSON object for scripts (the contract documented in the README). Renderers show
// what the report holds; they compute nothing and decide no severity.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <driftgate/report.hpp>

namespace driftgate::cli {

/// A report field as JSON (NaN and ±inf as null; tables keep their order).
[[nodiscard]] nlohmann::ordered_json to_json(const field& f);

/// The report as one JSON object (README: "JSON output").
[[nodiscard]] nlohmann::ordered_json to_json(const report& r, fail_on gate, int exit_code);

/// The report as aligned text tables, one per section, and a one-line verdict.
[[nodiscard]] std::string to_text(const report& r, bool color, fail_on gate, int exit_code);

} // namespace driftgate::cli
