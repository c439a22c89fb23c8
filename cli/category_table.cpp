// driftgate CLI — the distinct texts of a text column: see category_table.hpp.
#include "category_table.hpp"

#include "exit_codes.hpp"

#include <functional>

namespace driftgate::cli::csv_impl {

std::uint32_t category_table::add(std::string_view s, std::size_t count) {
    if (2 * (names_.size() + 1) > slots_.size()) grow();
    const std::uint64_t h = std::hash<std::string_view>{}(s);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
        const std::uint32_t k = slots_[i];
        if (k == 0) {
            if (names_.size() >= max_size)
                throw cli_error(exit_code::data, "more than " + std::to_string(max_size) + " distinct values in a text column");
            const auto index = static_cast<std::uint32_t>(names_.size());
            names_.emplace_back(s);
            counts_.push_back(count);
            hashes_.push_back(h);
            slots_[i] = index + 1;
            return index;
        }
        if (hashes_[k - 1] == h && names_[k - 1] == s) {
            counts_[k - 1] += count;
            return k - 1;
        }
    }
}

void category_table::grow() {
    const std::size_t size = slots_.empty() ? 16 : 2 * slots_.size();
    slots_.assign(size, 0);
    const std::size_t mask = size - 1;
    for (std::size_t k = 0; k < names_.size(); ++k) {
        std::size_t i = static_cast<std::size_t>(hashes_[k]) & mask;
        while (slots_[i] != 0) i = (i + 1) & mask;
        slots_[i] = static_cast<std::uint32_t>(k + 1);
    }
}

void category_table::release(std::vector<std::string>& names, std::vector<std::size_t>& counts) {
    names = std::move(names_);
    counts = std::move(counts_);
    names_.clear();
    counts_.clear();
    hashes_.clear();
    slots_.clear();
}

} // namespace driftgate::cli::csv_impl
