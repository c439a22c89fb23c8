#include "groups.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "csv_text.hpp"
#include "parallel.hpp"

namespace driftgate::cli {

csv_table read_for_groups(const std::string& path, const snapshot_request& req, const std::vector<std::string>& extra,
                          const std::vector<cell_kind>& extra_kinds, const char* extra_setting, const config& c) {
    require_csv_snapshot(path);
    const bool bad_as_missing = c.policy.input.on_bad_value == driftgate::bad_value_policy::missing;
    const bool with_classes = !req.score.empty() && !req.label.empty();
    std::vector<column_request> wanted;
    std::unordered_set<std::string> seen;
    auto want = [&](const std::string& name, cell_kind kind, bool bad_missing, const char* asked_by = "") {
        if (!name.empty() && seen.insert(name).second) wanted.push_back({name, kind, false, bad_missing, asked_by});
    };
    for (const std::string* name : {&req.score, &req.label})
        if (!name->empty() && (name == &req.score || with_classes)) want(*name, cell_kind::number, false);
    for (std::size_t i = 0; i < req.columns.size(); ++i)
        want(req.columns[i],
             req.kinds[i] == read_as::text ? cell_kind::text : req.kinds[i] == read_as::number ? cell_kind::number : cell_kind::automatic,
             bad_as_missing);
    for (std::size_t i = 0; i < extra.size(); ++i) want(extra[i], extra_kinds[i], false, extra_setting);
    csv_table t = read_csv(path, wanted, c.csv());
    if (!req.score.empty() && (with_classes || req.probability))
        check_rows(t, t.column(req.score), with_classes ? t.column(req.label) : std::span<const double>(), req);
    return t;
}

row_groups window_groups(const csv_table& t, const driftgate::window_spec& w, const std::string& time_column) {
    row_groups g;
    g.of.resize(t.rows);
    if (w.by == driftgate::window_spec::unit::rows) {
        const std::uint64_t windows = t.rows == 0 ? 0 : (t.rows - 1) / w.rows + 1;
        for (std::uint64_t k = 0; k < windows; ++k) g.names.push_back(driftgate::row_window_name(k, w.rows, t.rows));
        for (std::size_t i = 0; i < t.rows; ++i) g.of[i] = static_cast<std::uint32_t>(i / w.rows);
        return g;
    }
    g.column = time_column;
    const text_column* tc = t.text_of(time_column);
    if (!tc) throw cli_error(exit_code::usage, fmt::format("time column \"{}\" was not read as text", time_column));
    auto place = [&](std::size_t row) {
        return fmt::format("{}:{}:{}: column \"{}\"", t.path, t.line_of_record(row), t.info_of(time_column).index, time_column);
    };
    // Each distinct text is parsed once, at its first row (the place an error names).
    constexpr std::int64_t unknown = INT64_MIN;
    std::vector<std::int64_t> key_of(tc->categories.size(), unknown);
    std::map<std::int64_t, std::string> names;  // window key -> name, in time order
    std::vector<std::int64_t> row_key(t.rows);
    for (std::size_t i = 0; i < t.rows; ++i) {
        const std::uint32_t code = tc->codes[i];
        if (code == text_column::missing_code)
            throw cli_error(exit_code::data, fmt::format("{}: the time is missing: every row needs its date to be placed in a "
                                                         "window ([windows] time_column)",
                                                         place(i)));
        if (key_of[code] == unknown) {
            const std::string& text = tc->categories[code];
            const driftgate::window_time wt = driftgate::parse_window_time(text);
            if (!wt.ok())
                throw cli_error(exit_code::data, fmt::format("{}: {}: {}", place(i), csv_impl::show(text), wt.problem));
            driftgate::window_id id = driftgate::calendar_window(wt.day, w.by);
            key_of[code] = id.key;
            names.emplace(id.key, std::move(id.name));
        }
        row_key[i] = key_of[code];
    }
    std::unordered_map<std::int64_t, std::uint32_t> index;
    for (auto& [key, name] : names) {
        index.emplace(key, static_cast<std::uint32_t>(g.names.size()));
        g.names.push_back(std::move(name));
    }
    for (std::size_t i = 0; i < t.rows; ++i) g.of[i] = index.at(row_key[i]);
    return g;
}

row_groups value_groups(const csv_table& t, const std::string& column, std::size_t max_values, const std::vector<double>* edges) {
    row_groups g;
    g.column = column;
    g.of.resize(t.rows);
    if (edges) {
        if (t.text_of(column))
            throw cli_error(exit_code::data, fmt::format("{}: segment column \"{}\" holds texts; [segments.{}] edges cut numbers into "
                                                         "bands",
                                                         t.path, column, column));
        // Band k (0..K) of a value: (-inf, e0), [e0, e1), ..., [e(K-1), inf); band K + 1: missing.
        const std::vector<double>& e = *edges;
        const std::size_t bands = e.size() + 2;
        auto text = [](double v) { return fmt::format("{}", v); };
        std::vector<std::size_t> count(bands, 0);
        std::vector<std::uint32_t> band(t.rows);
        const auto v = t.column(column);
        for (std::size_t i = 0; i < t.rows; ++i) {
            const std::size_t b =
                std::isnan(v[i]) ? bands - 1 : static_cast<std::size_t>(std::upper_bound(e.begin(), e.end(), v[i]) - e.begin());
            band[i] = static_cast<std::uint32_t>(b);
            ++count[b];
        }
        // Bands with rows, in ascending order; the missing cells last.
        std::vector<std::uint32_t> slot(bands, UINT32_MAX);
        for (std::size_t b = 0; b < bands; ++b) {
            if (count[b] == 0) continue;
            slot[b] = static_cast<std::uint32_t>(g.names.size());
            if (b == bands - 1) g.names.push_back(column + " (missing)");
            else if (b == 0) g.names.push_back(fmt::format("{}=(-inf, {})", column, text(e[0])));
            else if (b == e.size()) g.names.push_back(fmt::format("{}=[{}, inf)", column, text(e.back())));
            else g.names.push_back(fmt::format("{}=[{}, {})", column, text(e[b - 1]), text(e[b])));
        }
        for (std::size_t i = 0; i < t.rows; ++i) g.of[i] = slot[band[i]];
        return g;
    }
    auto too_many = [&] {
        throw cli_error(exit_code::data, fmt::format("{}: segment column \"{}\" has more than {} distinct values ([segments] "
                                                     "max_values): segment by a column of categories or codes",
                                                     t.path, column, max_values));
    };
    // Values name their segments "COL=VALUE"; the missing cells "COL (missing)", which no value's
    // name can equal (it differs right after the column's name). The missing cells do not count
    // towards max_values.
    std::size_t values = 0;
    if (const text_column* tc = t.text_of(column)) {
        std::vector<std::uint32_t> slot(tc->categories.size() + 1, UINT32_MAX);
        for (std::size_t i = 0; i < t.rows; ++i) {
            const std::uint32_t code = tc->codes[i];
            const bool missing = code == text_column::missing_code;
            const std::size_t k = missing ? tc->categories.size() : code;
            if (slot[k] == UINT32_MAX) {
                slot[k] = static_cast<std::uint32_t>(g.names.size());
                g.names.push_back(missing ? column + " (missing)" : column + "=" + tc->categories[k]);
                if (!missing && ++values > max_values) too_many();
            }
            g.of[i] = slot[k];
        }
        return g;
    }
    const auto v = t.column(column);
    std::unordered_map<double, std::uint32_t> slot;
    std::uint32_t missing = UINT32_MAX;
    for (std::size_t i = 0; i < t.rows; ++i) {
        std::uint32_t* s = nullptr;
        if (std::isnan(v[i])) s = &missing;
        else s = &slot.try_emplace(v[i] == 0.0 ? 0.0 : v[i], UINT32_MAX).first->second;  // -0 and 0 alike
        if (*s == UINT32_MAX) {
            *s = static_cast<std::uint32_t>(g.names.size());
            if (std::isnan(v[i])) {
                g.names.push_back(column + " (missing)");
            } else {
                g.names.push_back(fmt::format("{}={}", column, v[i] == 0.0 ? 0.0 : v[i]));
                if (++values > max_values) too_many();
            }
        }
        g.of[i] = *s;
    }
    return g;
}

std::vector<driftgate::profile> profile_groups(const csv_table& t, const row_groups& g, const snapshot_request& req, const config& c) {
    const std::size_t n = g.names.size();
    const bool with_classes = !req.score.empty() && !req.label.empty();
    // The rows of each group, in file order: a counting sort of the group indices.
    std::vector<std::size_t> start(n + 1, 0);
    for (const std::uint32_t k : g.of) ++start[k + 1];
    for (std::size_t k = 0; k < n; ++k) start[k + 1] += start[k];
    std::vector<std::uint32_t> rows(t.rows);
    {
        std::vector<std::size_t> at(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < t.rows; ++i) rows[at[g.of[i]]++] = static_cast<std::uint32_t>(i);
    }
    auto rows_of = [&](std::size_t k) { return std::span<const std::uint32_t>(rows.data() + start[k], start[k + 1] - start[k]); };
    auto gather = [&](std::span<const double> col, std::span<const std::uint32_t> idx) {
        std::vector<double> out(idx.size());
        for (std::size_t j = 0; j < idx.size(); ++j) out[j] = col[idx[j]];
        return out;
    };

    // The profiled columns, in header order (as profile_csv orders them).
    std::unordered_set<std::string> requested(req.columns.begin(), req.columns.end());
    std::vector<std::string> names;
    for (const auto& h : t.header)
        if (requested.count(h)) names.push_back(h);

    std::vector<driftgate::profile> out(n);
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    for (std::size_t k = 0; k < n; ++k) {
        driftgate::profile& p = out[k];
        p.meta.source = t.path;
        p.meta.rows = start[k + 1] - start[k];
        p.meta.created = now;
        p.header = t.header;
        p.score = req.score;
        p.label = with_classes ? req.label : std::string();
        p.columns.resize(names.size());
        if (with_classes) p.classes.emplace();
    }
    // One task per (group, column), and per group one for the score's classes.
    const std::size_t per = names.size() + (with_classes ? 1 : 0);
    run_tasks(n * per, c.threads, [&](std::size_t task) {
        const std::size_t k = task / per, j = task % per;
        const auto idx = rows_of(k);
        driftgate::profile& p = out[k];
        if (j == names.size()) {
            auto classes = driftgate::split_classes(gather(t.column(req.score), idx), gather(t.column(req.label), idx));
            p.classes->positives = driftgate::sort_sample(std::move(classes.positives));
            p.classes->negatives = driftgate::sort_sample(std::move(classes.negatives));
            return;
        }
        driftgate::raw_column r;
        r.name = names[j];
        if (const text_column* tc = t.text_of(names[j])) {
            r.type = driftgate::value_type::text;
            r.categories.names = tc->categories;
            r.categories.counts.assign(tc->categories.size(), 0);
            for (const std::uint32_t i : idx) {
                const std::uint32_t code = tc->codes[i];
                if (code == text_column::missing_code) ++r.categories.missing;
                else ++r.categories.counts[code];
            }
        } else {
            r.type = t.info_of(names[j]).boolean ? driftgate::value_type::boolean : driftgate::value_type::number;
            r.values = gather(t.column(names[j]), idx);
        }
        p.columns[j] = driftgate::profile_column(std::move(r));
    });
    return out;
}

} // namespace driftgate::cli
