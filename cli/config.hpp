// driftgate CLI — the configuration: the library's policy (include/driftgate/policy.hpp) read
// from TOML through the table of keys (policy_keys.hpp, policy_toml.hpp), plus where it came from
// (relative paths in it are relative to the file) and the reader's settings.
//
// Unknown keys, values of the wrong type and values out of range are errors naming the key's path
// and place (exit code 65), never ignored. `driftgate config` prints default_config_toml(), which
// loads to exactly the built-in defaults.
#pragma once

#include <string>
#include <string_view>

#include <driftgate/policy.hpp>

#include "csv.hpp"

namespace driftgate::cli {

/// The configuration of one run.
struct config {
    driftgate::policy policy;
    std::string source = "(built-in defaults)"; ///< the file it came from
    std::string base_dir;                       ///< the file's directory, for relative input paths
    unsigned threads = 0;                       ///< --threads (0: one per core)
    /// The score column was named (--score, or [columns] score in the file), not left to the
    /// default "score": drift and check then require it in the reference (require_named_score).
    bool score_named = false;
    /// The label column was named (--label, or [columns] label in the file): perf reads a CSV's
    /// label by that name without --label.
    bool label_named = false;
    /// FILE:LINE:COL of [performance] score_kind in the file ("": not set there), for the error of
    /// points without a decision threshold (require_decision_threshold).
    std::string score_kind_place;
    /// How the library's errors begin for a [features.NAME] section, an [importance] entry or a
    /// [columns] exclude name ("[features.\"NAME\"]", "[importance] \"NAME\"", "[columns] exclude
    /// \"NAME\""), and the FILE:LINE:COL of that key or value.
    std::vector<std::pair<std::string, std::string>> name_places;

    /// `what` with the place of the configuration key it begins by naming (name_places) in front;
    /// unchanged when it names none.
    [[nodiscard]] std::string placed(const std::string& what) const;

    /// The CSV reader's options from [input] and --threads.
    [[nodiscard]] csv_options csv() const;
    /// A path from the configuration, resolved against its directory when relative.
    [[nodiscard]] std::string resolve(const std::string& path) const;
};

/// Loads a configuration file. Throws cli_error: exit_code::no_input when it cannot be read,
/// exit_code::data for a syntax error (with line and column), an unknown key, a wrong type or an
/// out-of-range value (with the key's path).
[[nodiscard]] config load_config(const std::string& path);

/// Parses configuration text; `name` stands for the file in messages.
[[nodiscard]] config parse_config(std::string_view text, const std::string& name);

/// The default configuration as commented TOML (what `driftgate config` prints).
[[nodiscard]] std::string default_config_toml();

} // namespace driftgate::cli
