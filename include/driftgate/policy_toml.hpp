// driftgate — reading a policy from TOML (optional: needs toml++, Debian's libtomlplusplus-dev).
//
// Every key is read through the table of policy_keys.hpp: its type and range are checked, and a
// key the table does not have is an error naming its path and the keys that exist there. Before
// the text reaches the TOML parser its size, nesting and key paths are bounded (a document nested
// tens of thousands of levels deep, by brackets or by a dotted key or table header of tens of
// thousands of parts, would otherwise exhaust the parser's stack). Errors throw
// driftgate::error(errc::invalid_parameter) whose message starts with the place:
// "FILE:LINE:COL: key 'drift.bins': 0 is outside [1, 10000]".
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "driftgate/policy.hpp"
#include "driftgate/policy_keys.hpp"

namespace driftgate {
inline namespace v0 {

/// Largest configuration text read (a policy is a few KB; thousands of features fit easily).
inline constexpr std::size_t policy_toml_max_bytes = std::size_t{16} << 20;
/// Deepest nesting of arrays and inline tables accepted ([[a]] [b.c] headers are not nesting).
inline constexpr std::size_t policy_toml_max_depth = 64;
/// Most parts of one key path (`a.b.c = 1`: 3) or table header (`[features.PAY_0]`: 2) accepted;
/// a real configuration uses at most 3 or 4.
inline constexpr std::size_t policy_toml_max_key_parts = 128;
/// Most levels of tables and arrays a value may sit under: the parts of its table header, of each
/// key leading to it and one per enclosing array or inline table.
inline constexpr std::size_t policy_toml_max_levels = 256;

namespace detail {

[[noreturn]] inline void policy_fail(const std::string& where, const std::string& what) {
    throw error(errc::invalid_parameter, "policy", where + ": " + what);
}

/// Throws when `text` is larger than policy_toml_max_bytes, nests arrays / inline tables more than
/// policy_toml_max_depth levels deep, has a key path or table header of more than
/// policy_toml_max_key_parts parts, or puts a value under more than policy_toml_max_levels levels
/// (counted outside strings and comments). O(size).
///
/// Key parts are counted as the dots met outside strings since the last `=`, `,`, bracket, brace or
/// line end: in a key path or header these separate its parts; in a value only a number or a time
/// has one (`1.5`), and it is followed by one of those characters before the next key.
inline void check_toml_bounds(std::string_view text, const std::string& name) {
    if (text.size() > policy_toml_max_bytes)
        policy_fail(name, "larger than " + std::to_string(policy_toml_max_bytes >> 20) + " MiB: not a configuration file");
    std::size_t depth = 0, line = 1, col = 0;
    std::size_t dots = 0;          // dots since the last separator: the parts of a key are dots + 1
    std::size_t key_parts = 0;     // the parts of the key of the last `=` on this level (0 after a value)
    std::size_t header_parts = 0;  // the parts of the current table header
    std::size_t levels = 0;        // sum of opened[0..depth)
    std::size_t opened[policy_toml_max_depth + 1] = {};  // levels added by each open bracket / brace
    bool line_start = true, in_header = false;
    auto where = [&] { return name + ":" + std::to_string(line) + ":" + std::to_string(col); };
    auto fail_levels = [&] {
        policy_fail(where(), "nested too deep (more than " + std::to_string(policy_toml_max_levels) +
                                 " levels of tables, dotted keys and arrays)");
    };
    enum { code, basic, literal, ml_basic, ml_literal, comment } state = code;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        ++col;
        if (c == '\n') {
            ++line;
            col = 0;
            if (state == comment) state = code;
            if (state == code) dots = 0, key_parts = 0, line_start = true, in_header = false;
            continue;
        }
        switch (state) {
        case comment: break;
        case basic:
            if (c == '\\') ++i, ++col;
            else if (c == '"') state = code;
            break;
        case literal:
            if (c == '\'') state = code;
            break;
        case ml_basic:
            if (c == '\\') ++i, ++col;
            else if (text.substr(i, 3) == "\"\"\"") state = code, i += 2, col += 2;
            break;
        case ml_literal:
            if (text.substr(i, 3) == "\'\'\'") state = code, i += 2, col += 2;
            break;
        case code: {
            const bool at_line_start = line_start;
            if (c != ' ' && c != '\t' && c != '\r') line_start = false;
            if (c == '#') state = comment;
            else if (text.substr(i, 3) == "\"\"\"") state = ml_basic, i += 2, col += 2;
            else if (text.substr(i, 3) == "\'\'\'") state = ml_literal, i += 2, col += 2;
            else if (c == '"') state = basic;
            else if (c == '\'') state = literal;
            else if (c == '.') {
                if (++dots >= policy_toml_max_key_parts)
                    policy_fail(where(), "key path too long (more than " + std::to_string(policy_toml_max_key_parts) +
                                             " dotted parts): nested too deep");
            } else if (c == '=') {
                key_parts = dots + 1;
                dots = 0;
                if (header_parts + levels + key_parts > policy_toml_max_levels) fail_levels();
            } else if (c == '[' && depth == 0 && at_line_start) {
                // A table header: [a.b] or [[a.b]]; its parts are counted up to its first ']'.
                in_header = true;
                dots = 0;
                if (i + 1 < text.size() && text[i + 1] == '[') ++i, ++col;
            } else if (c == '[' || c == '{') {
                if (++depth > policy_toml_max_depth)
                    policy_fail(where(), "nested too deep (more than " + std::to_string(policy_toml_max_depth) +
                                             " levels of arrays and tables)");
                opened[depth - 1] = 1 + key_parts;
                levels += opened[depth - 1];
                if (header_parts + levels > policy_toml_max_levels) fail_levels();
                dots = 0, key_parts = 0;
            } else if (c == ']' && in_header) {
                header_parts = dots + 1;
                in_header = false;
                dots = 0, key_parts = 0;
            } else if (c == ']' || c == '}') {
                if (depth > 0) levels -= opened[--depth];
                dots = 0, key_parts = 0;
            } else if (c == ',') {
                dots = 0, key_parts = 0;
            }
            break;
        }
        }
    }
}

[[nodiscard]] inline std::string place(const std::string& name, const toml::node& n) {
    const auto& b = n.source().begin;
    return name + ":" + std::to_string(b.line) + ":" + std::to_string(b.column);
}

[[nodiscard]] inline const char* toml_type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
    }
}

/// toml++ reads a float too small for a double (1e-400) as 0 without a word, where 1e400 is an
/// error: a 0 whose literal has a non-zero digit before its exponent is refused at its place, as
/// --threshold 1e-400 is. The literal is found at the node's line and column (code points).
inline void refuse_underflow(const toml::node& n, std::string_view text, const std::string& name) {
    if (const auto* t = n.as_table()) {
        for (auto&& [k, v] : *t) refuse_underflow(v, text, name);
        return;
    }
    if (const auto* a = n.as_array()) {
        for (auto&& v : *a) refuse_underflow(v, text, name);
        return;
    }
    const auto* f = n.as_floating_point();
    if (f == nullptr || f->get() != 0.0) return;
    const auto& b = n.source().begin;
    std::size_t at = 0;
    for (std::size_t line = 1; line < b.line && at != std::string_view::npos; ++line) {
        at = text.find('\n', at);
        if (at != std::string_view::npos) ++at;
    }
    for (std::size_t col = 1; col < b.column && at < text.size(); ++col)
        do ++at;
        while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80);
    if (at >= text.size()) return;
    const std::size_t end = text.find_first_not_of("0123456789+-._eE", at);
    const std::string_view literal = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    const std::string_view mantissa = literal.substr(0, literal.find_first_of("eE"));
    if (mantissa.find_first_of("123456789") != std::string_view::npos)
        policy_fail(place(name, n), std::string(literal) + " is too close to 0 for a double (write 0)");
}

/// A number for a message: integral values without a decimal point ("10000", not "1e+04").
inline std::string fmt_number(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return toml_literal(setting{v});
}

/// The setting a node holds for key k, checked against its type and range.
[[nodiscard]] inline setting read_setting(const policy_key& k, const toml::node& n, const std::string& name,
                                          const std::string& path) {
    const std::string where = place(name, n) + ": key '" + path + "'";
    auto wrong = [&](const char* expected) -> void {
        policy_fail(where, std::string("expected ") + expected + ", found " + toml_type_name(n));
    };
    auto number = [&](const toml::node& x, const std::string& w) -> double {
        double v = 0;
        if (const auto* i = x.as_integer()) v = static_cast<double>(i->get());
        else if (const auto* f = x.as_floating_point()) v = f->get();
        else policy_fail(w, std::string("expected a number, found ") + toml_type_name(x));
        if (std::isnan(v)) policy_fail(w, "nan is not a number");
        if (!(v >= k.min && v <= k.max))
            policy_fail(w, fmt_number(v) + " is outside [" + fmt_number(k.min) + ", " + fmt_number(k.max) + "]");
        return v;
    };
    switch (k.type) {
    case setting_type::number: return number(n, where);
    case setting_type::integer: {
        const auto* i = n.as_integer();
        if (!i) wrong("an integer");
        const auto v = i->get();
        if (!(static_cast<double>(v) >= k.min && static_cast<double>(v) <= k.max))
            policy_fail(where, std::to_string(v) + " is outside [" + fmt_number(k.min) + ", " + fmt_number(k.max) + "]");
        return static_cast<std::int64_t>(v);
    }
    case setting_type::boolean: {
        const auto* b = n.as_boolean();
        if (!b) wrong("a boolean");
        return b->get();
    }
    case setting_type::text: {
        const auto* s = n.as_string();
        if (!s) wrong("a string");
        return s->get();
    }
    case setting_type::choice: {
        const auto* s = n.as_string();
        if (!s) wrong("a string");
        std::string names;
        for (const auto& c : k.choices) {
            if (c == s->get()) return s->get();
            names += (names.empty() ? "\"" : ", \"") + std::string(c) + "\"";
        }
        policy_fail(where, "\"" + s->get() + "\" is not one of " + names);
    }
    case setting_type::texts: {
        const auto* a = n.as_array();
        if (!a) wrong("an array of strings");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const auto* s = (*a)[i].as_string();
            if (!s)
                policy_fail(place(name, (*a)[i]) + ": key '" + path + "[" + std::to_string(i) + "]'",
                            std::string("expected a string, found ") + toml_type_name((*a)[i]));
            out.push_back(s->get());
        }
        return out;
    }
    case setting_type::numbers: {
        const auto* a = n.as_array();
        if (!a) wrong("an array of numbers");
        std::vector<double> out;
        for (std::size_t i = 0; i < a->size(); ++i)
            out.push_back(number((*a)[i], place(name, (*a)[i]) + ": key '" + path + "[" + std::to_string(i) + "]'"));
        return out;
    }
    }
    return {};
}

/// Reads the keys of TOML table `t` at `path` ("" for the document) into p.
inline void read_policy_table(policy& p, const toml::table& t, const std::string& path, const std::string& name) {
    const auto& keys = policy_keys();
    for (const auto& [key_node, node] : t) {
        const std::string key(key_node.str());
        const std::string full = path.empty() ? key : path + "." + key;
        const std::string where = name + ":" + std::to_string(key_node.source().begin.line) + ":" +
                                  std::to_string(key_node.source().begin.column) + ": key '" + full + "'";
        // A table per name: [features.NAME] (every key of [features] is one), [segments.NAME]
        // (a table under [segments] that is none of its own settings).
        const std::string per_name_table = path.empty() ? std::string() : path + ".*";
        bool per_name = false, own_key = false;
        for (const auto& k : keys) {
            per_name |= k.table == per_name_table;
            own_key |= k.table == path && k.name == key;
        }
        if (per_name && !own_key && (path == "features" || node.is_table())) {
            const auto* ft = node.as_table();
            if (!ft)
                policy_fail(where, "expected a table of settings for " + std::string(path == "features" ? "feature" : "column") + " \"" +
                                       key + "\", found " + toml_type_name(node));
            if (path == "features") p.features[key];  // an empty [features.NAME] still names a feature (checked against the files)
            for (const auto& [fk, fv] : *ft) {
                const std::string fname(fk.str());
                const policy_key* spec = nullptr;
                std::string known;
                for (const auto& k : keys)
                    if (k.table == per_name_table) {
                        if (k.name == fname) spec = &k;
                        known += (known.empty() ? "" : ", ") + std::string(k.name);
                    }
                const std::string fpath = full + "." + fname;
                if (!spec)
                    policy_fail(name + ":" + std::to_string(fk.source().begin.line) + ":" + std::to_string(fk.source().begin.column) +
                                    ": key '" + fpath + "'",
                                "unknown key (known here: " + known + ")");
                spec->set(p, key, read_setting(*spec, fv, name, fpath));
            }
            continue;
        }
        if (path == "importance") {
            const policy_key* spec = nullptr;
            for (const auto& k : keys)
                if (k.table == "importance") spec = &k;
            spec->set(p, key, read_setting(*spec, node, name, full));
            continue;
        }
        const policy_key* spec = nullptr;
        bool is_table = false;
        for (const auto& k : keys) {
            if (k.table == path && k.name == key) spec = &k;
            const std::string_view kt = k.table;
            if (kt == full || (kt.size() > full.size() && kt.substr(0, full.size()) == full && kt[full.size()] == '.') ||
                (full == "features" && kt == "features.*"))
                is_table = true;
        }
        if (spec) {
            spec->set(p, {}, read_setting(*spec, node, name, full));
        } else if (is_table) {
            const auto* sub = node.as_table();
            if (!sub) policy_fail(where, std::string("expected a table, found ") + toml_type_name(node));
            read_policy_table(p, *sub, full, name);
        } else {
            std::string known;
            std::vector<std::string> seen;
            for (const auto& k : keys) {
                std::string item;
                if (k.table == path) item = std::string(k.name);
                else if (path.empty() || (k.table.size() > path.size() && k.table.substr(0, path.size()) == path && k.table[path.size()] == '.'))
                    item = "[" + std::string(k.table.substr(path.empty() ? 0 : path.size() + 1)) + "]";
                if (item.empty() || item.find('*') != std::string::npos) continue;
                const auto dot = item.find('.');
                if (item[0] == '[' && dot != std::string::npos) item = item.substr(0, dot) + "]";
                bool dup = false;
                for (const auto& s : seen) dup = dup || s == item;
                if (dup) continue;
                seen.push_back(item);
                known += (known.empty() ? "" : ", ") + item;
            }
            if (path.empty()) known += ", [features.NAME]";
            for (const auto& k : keys)
                if (!path.empty() && k.table == path + ".*") {
                    known += ", [" + path + ".NAME]";
                    break;
                }
            policy_fail(where, "unknown key (known here: " + known + ")");
        }
    }
}

} // namespace detail

namespace detail {
/// The node of a key path as validate's messages name it ("columns.features", "features.a.b" for
/// the section [features."a.b"]), or of its first part (the section) when the file does not set
/// the key itself; nullptr when the file has neither.
[[nodiscard]] inline const toml::node* key_node(const toml::table& root, std::string_view path) {
    if (const toml::node* n = root.at_path(path).node()) return n;
    const std::size_t dot = path.find('.');
    const toml::node* section = root.get(path.substr(0, dot));
    if (dot == std::string_view::npos || section == nullptr || !section->is_table()) return section;
    // A name holding dots ([features."a.b"]): the rest of the path is one key.
    if (const toml::node* n = section->as_table()->get(path.substr(dot + 1))) return n;
    return section;
}
} // namespace detail

/// Parses configuration text into a policy (defaults for every key not given) and validates it
/// (policy.hpp's validate). `name` stands for the file in messages. Throws driftgate::error.
[[nodiscard]] inline policy parse_policy_toml(std::string_view text, const std::string& name) {
    detail::check_toml_bounds(text, name);
    toml::table root;
    try {
        root = toml::parse(text, name);
    } catch (const toml::parse_error& e) {
        const auto& b = e.source().begin;
        detail::policy_fail(name + ":" + std::to_string(b.line) + ":" + std::to_string(b.column), std::string(e.description()));
    }
    // Places count from after a byte-order mark.
    detail::refuse_underflow(root, text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text, name);
    policy p;
    detail::read_policy_table(p, root, "", name);
    try {
        validate(p);
    } catch (const error& e) {
        std::string what = e.what();
        const std::string prefix = "driftgate: policy: ";
        if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
        // The place of the key the message names (key 'drift.psi': its table), when the file set
        // it; else of its section ([input] for a default input.true_values that collides with the
        // file's input.missing_values).
        std::string where = name;
        if (const auto k = what.find("key '"); k != std::string::npos)
            if (const auto end = what.find('\'', k + 5); end != std::string::npos)
                if (const toml::node* n = detail::key_node(root, std::string_view(what).substr(k + 5, end - k - 5)))
                    if (n->source().begin.line != 0) where = detail::place(name, *n);
        detail::policy_fail(where, what);
    }
    return p;
}

} // namespace v0
} // namespace driftgate
