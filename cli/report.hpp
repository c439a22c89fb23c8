// driftgate CLI — the text and JSON renderings of a report (include/driftgate/report.hpp), and
// the repair of a report's texts before any rendering. The other formats are in render_*.cpp;
// render.hpp has the table of all of them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <driftgate/report.hpp>

#include "render.hpp"

namespace driftgate::cli {

/// A report field as JSON (NaN and ±inf as null; tables keep their order).
[[nodiscard]] nlohmann::ordered_json to_json(const field& f);

/// The report as one JSON object (README: "JSON output"), with the run's metadata.
[[nodiscard]] nlohmann::ordered_json to_json(const report& r, const run_info& run);

/// Makes every text of the report (sections, names, columns, notes, inputs, details) well-formed
/// UTF-8: a byte that is not part of a valid sequence becomes the text \xNN, and a note says so.
/// Column names come from CSV headers, which may hold any bytes; every format needs UTF-8.
/// Returns true when something was repaired.
bool repair_texts(report& r);

} // namespace driftgate::cli
