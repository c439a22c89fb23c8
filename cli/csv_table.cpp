// driftgate CLI — csv_table's accessors (see csv.hpp).
#include "csv.hpp"
#include "csv_pass.hpp"
#include "csv_text.hpp"

#include <algorithm>
#include <iterator>

namespace driftgate::cli {

using csv_impl::show;

void csv_impl::table_access::index_names(csv_table& t) {
    t.by_name_.clear();
    t.by_name_.reserve(t.names.size());
    for (std::size_t i = 0; i < t.names.size(); ++i) t.by_name_.emplace(t.names[i], i);
}

void csv_impl::table_access::set_lines(csv_table& t, std::size_t first_line, const std::vector<chunk_result>& chunks) {
    t.first_line_ = first_line;
    t.line_breaks_.clear();
    std::size_t before = 0, lines = 0;  // records of the chunks before, quoted line feeds so far
    for (const chunk_result& r : chunks) {
        for (const auto& [record, feeds] : r.breaks) {
            lines += feeds;
            t.line_breaks_.emplace_back(before + record, lines);
        }
        before += r.rows;
    }
}

std::size_t csv_table::line_of_record(std::size_t i) const {
    // The quoted line feeds of the records before i: the entry of the last such record.
    const auto after = std::lower_bound(line_breaks_.begin(), line_breaks_.end(), i,
                                        [](const std::pair<std::size_t, std::size_t>& b, std::size_t r) { return b.first < r; });
    return first_line_ + i + (after == line_breaks_.begin() ? 0 : std::prev(after)->second);
}

std::size_t csv_table::index(std::string_view name) const {
    // The index built when the table was read, checked against names (which a caller may change).
    if (const auto it = by_name_.find(name); it != by_name_.end() && it->second < names.size() && names[it->second] == name)
        return it->second;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return i;
    throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " was not loaded");
}

std::size_t csv_table::values_index(std::string_view name) const {
    const std::size_t i = index(name);
    if (i < counted.size() && counted[i])
        throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " was counted, not loaded as values");
    if (i < text.size() && text[i])
        throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " is a text column, not numbers");
    return i;
}

std::span<const double> csv_table::column(std::string_view name) const { return columns[values_index(name)]; }

const counted_sample* csv_table::counts(std::string_view name) const {
    const std::size_t i = index(name);
    return i < counted.size() && counted[i] ? &*counted[i] : nullptr;
}

std::vector<double> csv_table::take(std::string_view name) { return std::move(columns[values_index(name)]); }

const column_info& csv_table::info_of(std::string_view name) const {
    const std::size_t i = index(name);
    if (i >= info.size()) throw cli_error(exit_code::usage, path + ": column " + show(name, 60) + " has no description");
    return info[i];
}

const text_column* csv_table::text_of(std::string_view name) const {
    const std::size_t i = index(name);
    return i < text.size() && text[i] ? &*text[i] : nullptr;
}

} // namespace driftgate::cli
