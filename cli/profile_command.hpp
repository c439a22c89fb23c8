// driftgate CLI — `driftgate profile build | show | merge`: reference profiles saved once per
// model release and reused by every run (include/driftgate/profile.hpp, profile_io.hpp;
// docs/profile-format.md).
#pragma once

#include <string>
#include <vector>

#include <driftgate/profile.hpp>

#include "config.hpp"

namespace driftgate::cli {

/// The profile of a reference CSV: every column but the label and [columns] exclude (or
/// [columns] features), the score, and the score by class when the label is present.
[[nodiscard]] driftgate::profile build_profile(const config& c, const std::string& csv);

/// Merges profiles of parts of one reference (shards with the same header), in the order given.
[[nodiscard]] driftgate::profile merge_profile_files(const std::vector<std::string>& paths);

/// What a profile holds, for people (text) or scripts (json).
[[nodiscard]] std::string describe_profile(const driftgate::profile& p, const std::string& path, std::size_t bytes,
                                           bool json);

} // namespace driftgate::cli
