// driftgate Python bindings — the monitoring run: the configuration (policy), snapshot profiles
// (built from columns or from a CSV by the CLI's reader, saved and loaded in the CLI's file
// format, merged exactly) and evaluate(), whose report's checks are the CLI's JSON objects.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <pybind11/stl.h>

#include <driftgate/evaluate.hpp>
#include <driftgate/profile.hpp>
#include <driftgate/profile_io.hpp>
#include <driftgate/report_json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "config.hpp"
#include "csv.hpp"
#include "output.hpp"
#include "parallel.hpp"
#include "profile_command.hpp"
#include "snapshot.hpp"

namespace driftgate::python {
namespace {

using profile_ptr = std::shared_ptr<const driftgate::profile>;

/// One column handed over from Python: its name, "number", "boolean" or "text", and its data
/// (numbers: a float64 array, NaN = missing; texts: category names, their counts, missing cells).
struct column_input {
    std::string name;
    std::string type;
    std::optional<f64_array> numbers;
    std::vector<std::string> names;
    std::vector<std::uint64_t> counts;
    std::uint64_t missing = 0;
};

/// merge_profiles of two profiles the caller names, refused as `driftgate profile merge` refuses
/// inputs whose rows would count twice (cli::merge_inputs).
driftgate::profile merge_checked(const driftgate::profile& a, const driftgate::profile& b, const char* a_name, const char* b_name) {
    cli::merge_inputs inputs;
    inputs.add(a, a_name);
    inputs.add(b, b_name);
    return merge_profiles(a, b);
}

value_type parse_type(const std::string& t) {
    if (t == "number") return value_type::number;
    if (t == "boolean") return value_type::boolean;
    if (t == "text") return value_type::text;
    throw driftgate::error(errc::invalid_parameter, "profile", "a column's type is 'number', 'boolean' or 'text', not '" + t + "'");
}

/// make_profile (profile.hpp) for columns whose texts arrive counted: the same profile as
/// make_profile of the rows (category counts are canonical: canonical_categories adds repeated
/// names), without a Python string per cell crossing into C++.
driftgate::profile profile_columns(std::vector<column_input>& cols, const std::vector<std::string>& header,
                                   const std::string& score, const std::string& label, const std::string& source,
                                   bool probability) {
    constexpr const char* where = "make_profile";
    driftgate::profile p;
    p.meta.source = source;
    p.score = score;
    std::uint64_t rows = 0;
    auto rows_of = [](const column_input& c) -> std::uint64_t {
        if (c.type == "text") {
            std::uint64_t n = c.missing;
            for (const auto k : c.counts) n += k;
            return n;
        }
        return static_cast<std::uint64_t>(c.numbers->shape(0));
    };
    const column_input* s = nullptr;
    const column_input* y = nullptr;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        const auto& c = cols[i];
        (void)parse_type(c.type);
        if (c.type != "text") (void)view(*c.numbers, where);
        const std::uint64_t n = rows_of(c);
        if (i == 0) rows = n;
        detail::require(n == rows, errc::length_mismatch, where,
                        "column \"" + c.name + "\" has " + std::to_string(n) + " rows, the first column " + std::to_string(rows));
        p.header.push_back(c.name);
        if (!score.empty() && c.name == score) s = &c;
        if (!label.empty() && c.name == label) y = &c;
    }
    p.meta.rows = rows;
    if (!header.empty()) {
        // The snapshot's whole header (columns left out of the profile included): schema checks read it.
        std::unordered_set<std::string> names(header.begin(), header.end());
        for (const auto& c : cols)
            detail::require(names.count(c.name) != 0, errc::invalid_parameter, where, "column \"" + c.name + "\" is not in the header");
        p.header = header;
    }
    if (s && y) {
        detail::require(s->type != "text" && y->type != "text", errc::invalid_parameter, where, "the score and the label must be numbers");
        const auto sv = view(*s->numbers, where);
        if (probability)
            for (std::size_t i = 0; i < sv.size(); ++i)
                detail::require(!(sv[i] < 0.0 || sv[i] > 1.0), errc::invalid_parameter, where,
                                "score \"" + score + "\" at row " + std::to_string(i) + " is " + std::to_string(sv[i]) +
                                    ", outside [0, 1] (a probability; set [performance] kind = \"score\" otherwise)");
        p.label = label;
        library_call unlocked;
        p.classes = split_scores(sv, view(*y->numbers, where));
    }
    for (auto& c : cols) {
        if (!label.empty() && c.name == label) continue;
        raw_column r;
        r.name = c.name;
        r.type = parse_type(c.type);
        if (r.type == value_type::text) {
            r.categories.names = std::move(c.names);
            r.categories.counts = std::move(c.counts);
            r.categories.missing = c.missing;
            r.categories = canonical_categories(std::move(r.categories.names), std::move(r.categories.counts), c.missing);
        } else {
            const auto v = view(*c.numbers, where);
            r.values.assign(v.begin(), v.end());
        }
        library_call unlocked;
        p.columns.push_back(profile_column(std::move(r)));
    }
    return p;
}

const char* representation(const column_profile& c) {
    if (std::holds_alternative<category_counts>(c.data)) return "categories";
    if (std::holds_alternative<counted_sample>(c.data)) return "counted";
    return "sorted";
}

py::dict column_dict(const column_profile& c) {
    py::dict d;
    d["name"] = c.name;
    d["type"] = to_string(c.type);
    d["representation"] = representation(c);
    d["count"] = c.count();
    d["missing"] = c.missing();
    d["invalid"] = c.invalid;
    if (const auto* k = std::get_if<category_counts>(&c.data)) {
        d["categories"] = k->names;
        d["category_counts"] = k->counts;
    } else if (const auto* k = std::get_if<counted_sample>(&c.data)) {
        d["values"] = k->values;
        d["counts"] = k->counts;
    }
    return d;
}

/// The library's per-feature work on the CLI's worker pool.
driftgate::executor pool(unsigned threads) {
    return [threads](std::size_t n, const std::function<void(std::size_t)>& task) { cli::run_tasks(n, threads, task); };
}

/// The current snapshot in a CSV as the CLI's `check` reads it (cli/commands.cpp): the monitored
/// columns the reference has, each read as the reference's kind; the score; the label when
/// performance is judged.
driftgate::profile current_csv_profile(const cli::config& c, const std::string& path, const driftgate::profile& ref) {
    const auto& p = c.policy;
    const bool own = p.checks.performance || p.checks.proxies;
    const auto header = cli::read_csv_header(path, c.csv());
    std::unordered_set<std::string> in_header(header.begin(), header.end());
    cli::snapshot_request req;
    for (const auto& col : ref.columns) {
        if (!in_header.count(col.name) || col.name == p.columns.label) continue;
        req.columns.push_back(col.name);
        req.kinds.push_back(col.is_text() ? cli::read_as::text : cli::read_as::number);
    }
    if (!p.columns.score.empty() && in_header.count(p.columns.score)) {
        req.score = p.columns.score;
        if (p.checks.performance && !p.columns.label.empty() && in_header.count(p.columns.label)) req.label = p.columns.label;
    }
    req.probability = own && p.performance.kind == driftgate::score_kind::probability;
    if (!own && req.label.empty()) req.score.clear();
    return cli::profile_csv(path, req, c);
}

std::optional<std::string> kind_name(const cli::config& c, const std::string& column) {
    const auto k = c.policy.feature(column).kind;
    if (!k) return std::nullopt;
    return std::string(to_string(*k));
}

/// A profile parsed from a bytes object's own buffer (no copy of it).
driftgate::profile profile_of_bytes(const py::bytes& b, const std::string& name) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(b.ptr(), &data, &size) != 0) throw py::error_already_set();
    return parse_profile(std::string_view(data, static_cast<std::size_t>(size)), name);
}

} // namespace

void bind_monitoring(py::module_& m) {
    py::class_<cli::config>(m, "Policy", "A driftgate configuration: the policy (thresholds, columns, checks) and the reader's settings")
        .def_static("from_toml", [](const std::string& text, const std::string& name) { return cli::parse_config(text, name); },
                    py::arg("text"), py::arg("name") = "(configuration text)")
        .def_static("load", [](const std::string& path) { return cli::load_config(path); }, py::arg("path"))
        .def_property_readonly("source", [](const cli::config& c) { return c.source; })
        .def_property_readonly("score", [](const cli::config& c) { return c.policy.columns.score; })
        .def_property_readonly("label", [](const cli::config& c) { return c.policy.columns.label; })
        .def_property_readonly("features", [](const cli::config& c) { return c.policy.columns.features; })
        .def_property_readonly("exclude", [](const cli::config& c) { return c.policy.columns.exclude; })
        .def_property_readonly("probability",
                               [](const cli::config& c) { return c.policy.performance.kind == driftgate::score_kind::probability; })
        .def_property_readonly("checks", [](const cli::config& c) {
            py::dict d;
            d["drift"] = c.policy.checks.drift;
            d["csi"] = c.policy.checks.csi;
            d["data_quality"] = c.policy.checks.data_quality;
            d["performance"] = c.policy.checks.performance;
            d["proxies"] = c.policy.checks.proxies;
            return d;
        })
        .def_property_readonly("reference",
                               [](const cli::config& c) { return c.policy.input.reference.empty() ? "" : c.resolve(c.policy.input.reference); })
        .def_property_readonly("current",
                               [](const cli::config& c) { return c.policy.input.current.empty() ? "" : c.resolve(c.policy.input.current); })
        .def_readwrite("threads", &cli::config::threads, "threads of a run (0: one per core)")
        .def("with_columns", [](const cli::config& c, const std::optional<std::vector<std::string>>& features,
                                const std::optional<std::string>& score, const std::optional<std::string>& label) {
            cli::config out = c;
            if (features) out.policy.columns.features = *features;
            if (score) {
                out.policy.columns.score = *score;
                out.score_named = true;
            }
            if (label) out.policy.columns.label = *label;
            driftgate::validate(out.policy);
            return out;
        }, py::arg("features") = py::none(), py::arg("score") = py::none(), py::arg("label") = py::none(),
             "a copy with [columns] features, score and label replaced (as the CLI's --columns, --score, --label)")
        .def("feature_kind", &kind_name, py::arg("column"),
             "the kind [features.<column>] kind sets: 'continuous', 'discrete', 'categorical', or None (found from the data)")
        .def("__repr__", [](const cli::config& c) { return "Policy(source=" + py::repr(py::str(c.source)).cast<std::string>() + ")"; });

    py::class_<driftgate::profile, std::shared_ptr<driftgate::profile>>(
        m, "Profile", "A snapshot's profile: sorted values or counts per column, the score by class; the CLI's profile file")
        .def_property("source", [](const driftgate::profile& p) { return p.meta.source; },
                      [](driftgate::profile& p, const std::string& s) { p.meta.source = s; })
        .def_property_readonly("rows", [](const driftgate::profile& p) { return p.meta.rows; })
        .def_property_readonly("created", [](const driftgate::profile& p) { return p.meta.created; })
        .def_property_readonly("version", [](const driftgate::profile& p) { return p.meta.version; })
        .def_property_readonly("parts", [](const driftgate::profile& p) { return p.meta.parts; },
                               "fingerprints of the profiles of one snapshot merged into this one (empty: built from one)")
        .def_readonly("header", &driftgate::profile::header)
        .def_readonly("score", &driftgate::profile::score)
        .def_readonly("label", &driftgate::profile::label)
        .def_property_readonly("columns", [](const driftgate::profile& p) {
            std::vector<std::string> names;
            for (const auto& c : p.columns) names.push_back(c.name);
            return names;
        })
        .def_property_readonly("has_classes", [](const driftgate::profile& p) { return p.classes.has_value(); })
        .def_property_readonly("nbytes", [](const driftgate::profile& p) {
            // What its values take in memory (and, within a few bytes per column, in its file).
            std::uint64_t n = 0;
            for (const auto& c : p.columns) {
                if (const auto* s = std::get_if<driftgate::sorted_sample>(&c.data)) n += 8 * s->values.size();
                else if (const auto* k = std::get_if<driftgate::counted_sample>(&c.data)) n += 16 * k->values.size();
                else if (const auto* t = std::get_if<driftgate::category_counts>(&c.data))
                    for (const auto& name : t->names) n += name.size() + 16;
            }
            if (p.classes) n += 8 * (p.classes->positives.values.size() + p.classes->negatives.values.size());
            return n;
        }, "bytes of values the profile holds (what it costs to send or keep)")
        .def("column", [](const driftgate::profile& p, const std::string& name) {
            const column_profile* c = p.find(name);
            if (!c) throw py::key_error("no profiled column \"" + name + "\"");
            return column_dict(*c);
        }, py::arg("name"))
        .def("to_bytes", [](const driftgate::profile& p) {
            std::string s;
            {
                library_call unlocked;
                s = serialize_profile(p);
            }
            return py::bytes(s);
        }, "the profile file's bytes (docs/profile-format.md)")
        .def("save", [](const driftgate::profile& p, const std::string& path) {
            library_call unlocked;
            // The CLI's writer: a temporary file in the same directory renamed over the target,
            // so a reader never sees half a profile.
            cli::write_outputs({{{path, "Profile.save"}, serialize_profile(p)}});
        }, py::arg("path"), "writes the profile file (replaced atomically), as `driftgate profile build` does")
        .def("merge", [](const driftgate::profile& a, const driftgate::profile& b) {
            library_call unlocked;
            return merge_checked(a, b, "this profile", "the other profile");
        }, py::arg("other"),
             "the profile of this profile's rows followed by other's (exact); UsageError when the two hold the same rows "
             "(a profile merged with itself or with one of its parts), which would count twice")
        .def(py::pickle([](const driftgate::profile& p) { return py::bytes(serialize_profile(p)); },
                        [](const py::bytes& b) { return profile_of_bytes(b, "(pickled profile)"); }))
        .def("__repr__", [](const driftgate::profile& p) {
            return "Profile(source=" + py::repr(py::str(p.meta.source)).cast<std::string>() + ", rows=" + std::to_string(p.meta.rows) +
                   ", columns=" + std::to_string(p.columns.size()) + ")";
        });

    py::class_<column_input>(m, "_Column")
        .def(py::init([](std::string name, std::string type, std::optional<f64_array> numbers, std::vector<std::string> names,
                         std::vector<std::uint64_t> counts, std::uint64_t missing) {
                 column_input c{std::move(name), std::move(type), std::move(numbers), std::move(names), std::move(counts), missing};
                 if (c.type != "text" && !c.numbers)
                     throw driftgate::error(errc::invalid_parameter, "profile", "column \"" + c.name + "\": numbers expected");
                 return c;
             }),
             py::arg("name"), py::arg("type"), py::arg("numbers") = py::none(), py::arg("names") = std::vector<std::string>{},
             py::arg("counts") = std::vector<std::uint64_t>{}, py::arg("missing") = 0);

    m.def("_profile_columns", [](std::vector<column_input> cols, const std::vector<std::string>& header, const std::string& score,
                                 const std::string& label, const std::string& source, bool probability) {
        return profile_columns(cols, header, score, label, source, probability);
    }, py::arg("columns"), py::arg("header") = std::vector<std::string>{}, py::arg("score") = "", py::arg("label") = "", py::arg("source") = "(in memory)", py::arg("probability") = true);

    m.def("_profile_csv", [](const cli::config& c, const std::string& path) {
        library_call unlocked;
        return cli::build_profile(c, path);
    }, py::arg("config"), py::arg("path"), "the reference profile of a CSV, as `driftgate profile build` makes it");
    m.def("_current_csv", [](const cli::config& c, const std::string& path, const driftgate::profile& ref) {
        library_call unlocked;
        return current_csv_profile(c, path, ref);
    }, py::arg("config"), py::arg("path"), py::arg("reference"));
    m.def("load_profile", [](const std::string& path) {
        library_call unlocked;
        return cli::load_profile_file(path);
    }, py::arg("path"), "reads a profile file written by Profile.save or `driftgate profile build|merge`");
    m.def("profile_from_bytes", [](const py::bytes& b, const std::string& name) { return profile_of_bytes(b, name); },
          py::arg("data"), py::arg("name") = "(bytes)");
    m.def("_merge_consuming", [](driftgate::profile& a, driftgate::profile& b) {
        library_call unlocked;
        return merge_profiles(std::move(a), std::move(b));
    }, py::arg("a"), py::arg("b"),
          "merge_profiles that releases each column of a and b once merged (they are left without data): "
          "for a caller that drops them next");
    m.def("merge_profiles", [](const driftgate::profile& a, const driftgate::profile& b) {
        library_call unlocked;
        return merge_checked(a, b, "a", "b");
    }, py::arg("a"), py::arg("b"), "Profile.merge as a function");

    py::class_<check>(m, "Check", "One judged check, as one object of the CLI's JSON report")
        .def_readonly("section", &check::section)
        .def_property_readonly("check", [](const check& c) { return c.name; })
        .def_readonly("column", &check::column)
        .def_readonly("segment", &check::segment)
        .def_readonly("window", &check::window)
        .def_property_readonly("value", [](const check& c) -> py::object {
            return std::isfinite(c.value) ? py::object(py::float_(c.value)) : py::object(py::none());
        })
        .def_property_readonly("severity", [](const check& c) { return to_string(c.level); })
        .def_readonly("note", &check::note)
        .def_property_readonly("thresholds", [](const check& c) { return to_python(c.thresholds); })
        .def_property_readonly("details", [](const check& c) { return to_python(c.details); })
        .def("to_dict", [](const check& c) { return to_python(to_field(c)); }, "the check's object in `driftgate check --format json`")
        .def("to_json", [](const check& c, int indent) { return json_text(to_field(c), indent); }, py::arg("indent") = 2)
        .def("__repr__", [](const check& c) {
            return "Check(" + c.section + "/" + c.name + (c.column.empty() ? "" : " " + c.column) + ": " + to_string(c.level) + ")";
        });

    py::class_<report>(m, "Report", "Every check of a run")
        .def_readonly("command", &report::command)
        .def_readonly("checks", &report::checks)
        .def_readonly("notes", &report::notes)
        .def_property_readonly("status", [](const report& r) {
            const severity s = r.status();
            return to_string(s == severity::info ? severity::ok : s);
        })
        .def("gate_fails", [](const report& r, const std::string& on) {
            if (on == "warning") return gate_fails(r.status(), fail_on::warning);
            if (on == "critical") return gate_fails(r.status(), fail_on::critical);
            if (on == "never") return false;
            throw driftgate::error(errc::invalid_parameter, "gate_fails", "fail_on is 'warning', 'critical' or 'never', not '" + on + "'");
        }, py::arg("fail_on") = "critical")
        .def("to_dict", [](const report& r) { return to_python(to_field(r)); })
        .def("to_json", [](const report& r, int indent) { return json_text(to_field(r), indent); }, py::arg("indent") = 2)
        .def("__len__", [](const report& r) { return r.checks.size(); });

    m.def("_evaluate", [](const driftgate::profile& ref, const driftgate::profile& cur, const cli::config& c, const std::string& command) {
        library_call unlocked;
        const std::optional<std::string> note = cli::score_column_note(c, ref.header, ref.meta.source, &ref);  // as drift and check
        report r = driftgate::evaluate(ref, cur, c.policy, pool(c.threads));
        if (note) r.notes.push_back(*note);
        r.command = command;
        return r;
    }, py::arg("reference"), py::arg("current"), py::arg("config"), py::arg("command") = "check");
    m.def("_evaluate_current", [](const driftgate::profile& cur, const cli::config& c, const std::string& command) {
        library_call unlocked;
        report r = driftgate::evaluate(cur, c.policy);
        r.command = command;
        return r;
    }, py::arg("current"), py::arg("config"), py::arg("command") = "check");
}

} // namespace driftgate::python
