// driftgate CLI — the distinct texts of a text column (internal to the CSV reader): each chunk
// of the file collects its own, in order of first appearance with their counts, and the chunks'
// tables are merged in file order, so that the categories' order and codes are those of a
// single pass whatever the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace driftgate::cli::csv_impl {

/// Distinct texts in order of first appearance, with counts, found by hash: an open-addressing
/// table of indices (linear probing, at most half full, doubled when it would be fuller) next to
/// the texts. Cost: O(length of s) expected per add, whatever the number of categories; memory
/// the texts plus about 28 bytes per category.
class category_table {
public:
    /// Largest number of categories: codes are 32-bit and one value is the missing code.
    static constexpr std::size_t max_size = 0xFFFFFFFEu;

    /// The index of s, added at the end when new, its count raised by `count`. Throws
    /// cli_error(exit_code::data) past max_size categories.
    std::uint32_t add(std::string_view s, std::size_t count = 1);

    [[nodiscard]] std::size_t size() const { return names_.size(); }
    [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
    [[nodiscard]] const std::vector<std::size_t>& counts() const { return counts_; }

    /// Moves the texts and counts out (the table is left empty).
    void release(std::vector<std::string>& names, std::vector<std::size_t>& counts);

private:
    void grow();

    std::vector<std::string> names_;
    std::vector<std::size_t> counts_;
    std::vector<std::uint64_t> hashes_;  // per category: its hash
    std::vector<std::uint32_t> slots_;   // per slot: category index + 1, or 0 when free
};

} // namespace driftgate::cli::csv_impl
