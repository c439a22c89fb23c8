// driftgate CLI — `driftgate profile build | show | merge`: reference profiles saved once per
// model release and reused by every run (include/driftgate/profile.hpp, profile_io.hpp;
// docs/profile-format.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <driftgate/profile.hpp>

#include "config.hpp"

namespace driftgate::cli {

/// The profile of a reference CSV: every column but the label and [columns] exclude (or
/// [columns] features), the score, and the score by class when the label is present.
[[nodiscard]] driftgate::profile build_profile(const config& c, const std::string& csv);

/// The profiles about to be merged, each known by its fingerprint (the rows it holds) and its
/// parts (the fingerprints of the snapshots merged into it; its own for the profile of one
/// snapshot). add() refuses a profile whose rows one added before already holds, which the merge
/// would count twice: the same fingerprint (one profile in two files, a copy, one snapshot profiled
/// twice, a merged profile and the profile of the concatenated shards), or a common part (a merged
/// profile merged again with one of its parts, two merged from a common one). Real shards differ in
/// their rows; two that hold exactly the same rows are refused as well, with the way out (profile
/// their concatenation). Cost: one fingerprint per profile, O(parts) per pair.
class merge_inputs {
public:
    /// Throws cli_error (exit_code::usage) naming `name` and the profile it overlaps.
    void add(const driftgate::profile& p, const std::string& name);

private:
    struct known {
        std::uint64_t fingerprint;
        std::vector<std::uint64_t> parts;  // ascending
        std::string name;
        [[nodiscard]] bool merged() const { return parts.size() > 1; }  // a merge lists two or more
    };
    std::vector<known> seen_;
};

/// Merges profiles of parts of one reference (shards with the same header), in the order given;
/// refuses inputs whose rows would count twice (merge_inputs).
[[nodiscard]] driftgate::profile merge_profile_files(const std::vector<std::string>& paths);

/// What a profile holds, for people (text) or scripts (json).
[[nodiscard]] std::string describe_profile(const driftgate::profile& p, const std::string& path, std::size_t bytes,
                                           bool json);

} // namespace driftgate::cli
