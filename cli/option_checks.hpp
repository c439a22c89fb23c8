// driftgate CLI — checks on the values of options that several commands declare (CLI11
// validators, attached where each option is declared).
#pragma once

#include <string>
#include <utility>

#include <CLI/CLI.hpp>

namespace driftgate::cli {

/// Refuses an empty value with `why` (exit 64, "NAME: why"). An empty word is what a shell variable
/// that expands to nothing gives (`--config "$CFG"`, `--label "$LABEL"`): read as the option left
/// out, the run went on with the defaults and could pass the gate.
inline CLI::Validator non_empty(std::string why) {
    return CLI::Validator([why = std::move(why)](std::string& s) { return s.empty() ? why : std::string(); }, "");
}

/// A file name (an input file, or the configuration).
inline const CLI::Validator file_name = non_empty("an empty file name");

/// A column name.
inline const CLI::Validator column_name = non_empty("a column name is needed (it is empty)");

} // namespace driftgate::cli
