// driftgate CLI — parse_column_list (see csv.hpp): a --columns list read as one CSV record.
#include "csv.hpp"
#include "csv_text.hpp"

#include <unordered_map>

namespace driftgate::cli {

std::vector<std::string> parse_column_list(std::string_view list) {
    const std::string shown = csv_impl::show(list, 80);
    auto fail = [&](const std::string& why) { throw cli_error(exit_code::usage, "column list " + shown + ": " + why); };
    if (list.empty()) fail("no column named");
    std::vector<std::string> names;
    std::size_t i = 0;
    for (;;) {
        const std::size_t item = names.size() + 1;
        std::string name;
        if (i < list.size() && list[i] == '"') {
            std::size_t q = i + 1;
            for (;; ++q) {
                if (q >= list.size()) fail("the quote opened before name " + std::to_string(item) + " is never closed");
                if (list[q] != '"') {
                    name += list[q];
                    continue;
                }
                if (q + 1 < list.size() && list[q + 1] == '"') {
                    name += '"';
                    ++q;
                    continue;
                }
                break;
            }
            i = q + 1;
            if (i < list.size() && list[i] != ',')
                fail("unexpected " + csv_impl::show(list.substr(i, 1)) + " after the closing quote of name " +
                     std::to_string(item) + " (expected a comma)");
        } else {
            const std::size_t end = std::min(list.find(',', i), list.size());
            name.assign(list.substr(i, end - i));
            if (name.find('"') != std::string::npos)
                fail("a quote inside name " + std::to_string(item) + " (quote the whole name and double the quote)");
            i = end;
        }
        if (name.empty()) fail("name " + std::to_string(item) + " is empty");
        names.push_back(std::move(name));
        if (i >= list.size()) break;
        ++i;  // the comma
        if (i == list.size()) fail("name " + std::to_string(item + 1) + " is empty");
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t k = 0; k < names.size(); ++k) {
        const auto [it, fresh] = seen.emplace(names[k], k);
        if (!fresh)
            fail(csv_impl::show(names[k], 60) + " is named twice (names " + std::to_string(it->second + 1) + " and " +
                 std::to_string(k + 1) + ")");
    }
    return names;
}

} // namespace driftgate::cli
