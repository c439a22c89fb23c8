#include "config.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include <driftgate/policy_keys.hpp>
#include <driftgate/policy_toml.hpp>

namespace driftgate::cli {

csv_options config::csv() const {
    csv_options o;
    o.delimiter = policy.input.delimiter.size() == 1 ? policy.input.delimiter[0] : ',';
    o.missing_tokens = policy.input.missing_values;
    o.true_tokens = policy.input.true_values;
    o.false_tokens = policy.input.false_values;
    o.threads = threads;
    return o;
}

std::string config::resolve(const std::string& path) const {
    const std::filesystem::path p(path);
    if (p.is_absolute() || base_dir.empty() || path == "-") return path;
    return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

config parse_config(std::string_view text, const std::string& name) {
    config c;
    try {
        c.policy = driftgate::parse_policy_toml(text, name);
    } catch (const driftgate::error& e) {
        std::string what = e.what();
        const std::string prefix = "driftgate: policy: ";
        if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
        throw cli_error(exit_code::data, what);
    }
    c.source = name;
    try {
        const toml::table root = toml::parse(text, name);
        c.score_named = root["columns"]["score"].is_string();
        c.label_named = root["columns"]["label"].is_string();
        if (const toml::node* n = root.at_path("performance.score_kind").node()) c.score_kind_place = driftgate::detail::place(name, *n);
        for (const auto& [table, before, after] : {std::tuple{"features", "[features.\"", "\"]"}, std::tuple{"importance", "[importance] \"", "\""}})
            if (const toml::table* t = root[table].as_table())
                for (const auto& [key, value] : *t) {
                    const auto& b = key.source().begin;
                    c.name_places.emplace_back(before + std::string(key.str()) + after,
                                               b.line != 0 ? fmt::format("{}:{}:{}", name, b.line, b.column)
                                                           : driftgate::detail::place(name, value));
                }
        if (const toml::array* ex = root.at_path("columns.exclude").as_array())
            for (const toml::node& e : *ex)
                if (const auto* v = e.as_string())
                    c.name_places.emplace_back("[columns] exclude \"" + v->get() + "\"", driftgate::detail::place(name, e));
    } catch (const toml::parse_error&) {  // parse_policy_toml accepted it: not reached
        throw cli_error(exit_code::data, fmt::format("{}: cannot be read again as TOML", name));
    }
    return c;
}

std::string config::placed(const std::string& what) const {
    for (const auto& [begins, place] : name_places)
        if (what.starts_with(begins)) return place + ": " + what;
    return what;
}

config load_config(const std::string& path) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(st))
        throw cli_error(exit_code::no_input, fmt::format("{}: configuration file not found", path));
    if (!std::filesystem::is_regular_file(st))
        throw cli_error(exit_code::no_input, fmt::format("{}: not a regular file (a configuration must be a TOML file)", path));
    if (std::filesystem::file_size(path, ec) > driftgate::policy_toml_max_bytes)
        throw cli_error(exit_code::data, fmt::format("{}: larger than {} MiB: not a configuration file", path,
                                                     driftgate::policy_toml_max_bytes >> 20));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw cli_error(exit_code::no_input, fmt::format("{}: cannot open the configuration file", path));
    std::ostringstream ss;
    ss << in.rdbuf();
    config c = parse_config(ss.str(), path);
    c.base_dir = std::filesystem::absolute(path).parent_path().string();
    return c;
}

std::string default_config_toml() { return driftgate::default_policy_toml(); }

} // namespace driftgate::cli
