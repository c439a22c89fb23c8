#include "commands.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <future>
#include <tuple>
#include <unordered_set>

#include <fmt/format.h>

#include <driftgate/checks_estimate.hpp>
#include <driftgate/evaluate.hpp>
#include <driftgate/fairness.hpp>
#include <driftgate/pca_drift.hpp>

#include "csv.hpp"
#include "file_bytes.hpp"
#include "groups.hpp"
#include "input_path.hpp"
#include "jsonl.hpp"
#include "log_snapshot.hpp"
#include "parallel.hpp"
#include "snapshot.hpp"

namespace driftgate::cli {
namespace {

/// The library's per-feature work on the process's worker pool.
driftgate::executor on_workers(unsigned threads) {
    return [threads](std::size_t n, const std::function<void(std::size_t)>& task) { run_tasks(n, threads, task); };
}

/// Runs a library call; its error becomes a data error (exit 65) without the library's prefix.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const driftgate::error& e) {
        std::string_view what = e.what();
        if (what.rfind("driftgate: ", 0) == 0) what.remove_prefix(11);
        // "evaluate: ", "policy: ", ... name library functions, not places: drop them.
        if (const auto colon = what.find(": "); colon != std::string_view::npos && what.substr(0, colon).find(' ') == std::string_view::npos &&
                                                 what.substr(0, colon).find('/') == std::string_view::npos &&
                                                 what.substr(0, colon).find('.') == std::string_view::npos)
            what.remove_prefix(colon + 2);
        throw cli_error(exit_code::data, std::string(what));
    }
}

/// evaluate() of two profiles; when nothing could be judged and a file's header looks separated by
/// another delimiter, the message says which.
report judge_pair(const driftgate::profile& ref, const driftgate::profile& cur, const config& c) {
    try {
        return guarded([&] { return driftgate::evaluate(ref, cur, c.policy, on_workers(c.threads)); });
    } catch (const cli_error& e) {
        const char delim = c.csv().delimiter;
        std::string hint = delimiter_hint(cur.header, delim);
        if (hint.empty()) hint = delimiter_hint(ref.header, delim);
        if (hint.empty() || std::string_view(e.what()).find("nothing could be judged") == std::string_view::npos)
            throw cli_error(e.code(), c.placed(e.what()));  // a [features.NAME] for no column: at its key
        throw cli_error(e.code(), std::string(e.what()) + hint);
    }
}

/// Standard input ("-") can be one of two inputs at most.
void require_one_standard_input(const std::string& reference, const std::string& current) {
    if (reference == "-" && current == "-")
        throw cli_error(exit_code::usage, "standard input (-) given as both the reference and the current snapshot; "
                                          "at most one of them can be read from it");
}

/// One file cannot be both snapshots: the run would compare it with itself and pass. A file is
/// known by its device and inode, whatever path, link or redirection names it (`drift a.csv
/// ./a.csv`, a symbolic link `latest.csv` to the reference, `drift a.csv - < a.csv`), standard input
/// by what descriptor 0 holds; a path that cannot be examined is left to the reader's error.
void require_two_inputs(const std::string& reference, const std::string& current) {
    require_one_standard_input(reference, current);
    const auto ref = identity(reference);
    if (ref && ref == identity(current))
        throw cli_error(exit_code::usage,
                        fmt::format("the reference {} and the current snapshot {} are the same file: the run would "
                                    "compare it with itself and pass (is the current snapshot's path right?)",
                                    shown_path(reference), shown_path(current)));
}

/// Segments and windows read a snapshot once more, in row order: a pipe or a device given by
/// its path cannot be read twice (standard input, "-", is kept in memory and can).
void require_rereadable(const std::string& path, const char* option) {
    if (const char* kind = stream_kind(path))
        throw cli_error(exit_code::no_input, fmt::format("{}: {}, not a regular file; {} reads the snapshot once more (write "
                                                         "it to a file first, or give it as standard input, -)",
                                                         path, kind, option));
}

/// The column names of a snapshot: a prediction log's, or a CSV file's header.
std::vector<std::string> header_of(const config& c, const std::string& path) {
    if (is_json_lines(path)) return log_header(path, c);
    auto header = read_csv_header(path, c.csv());
    require_separated(header, shown_path(path), c.csv().delimiter);
    return header;
}

/// Profiles a snapshot: a prediction log (what its reading adds to the report goes to `found`)
/// or a CSV file.
driftgate::profile profile_snapshot(const std::string& path, const snapshot_request& req, const config& c, log_findings& found) {
    return is_json_lines(path) ? profile_log(path, req, c, found) : profile_csv(path, req, c);
}

/// The reference as a profile: a saved profile as it is, or the CSV's candidate columns (every
/// column but the label and the excluded ones, or [columns] features, and the score) profiled.
driftgate::profile reference_profile(const config& c, const std::string& path, log_findings& found) {
    require_regular(path);
    if (is_profile_file(path)) return load_profile_file(path);
    const auto& p = c.policy;
    const auto header = header_of(c, path);
    std::unordered_set<std::string> in_header(header.begin(), header.end());
    snapshot_request req;
    auto add = [&](const std::string& name, read_as kind) {
        req.columns.push_back(name);
        req.kinds.push_back(kind);
    };
    if (!p.columns.features.empty()) {
        for (const auto& f : p.columns.features)
            if (in_header.count(f)) add(f, read_kind(p, f));
    } else {
        for (const auto& h : header)
            if (driftgate::is_automatic_feature(h, p)) add(h, read_kind(p, h));
    }
    if (!p.columns.score.empty() && in_header.count(p.columns.score)) add(p.columns.score, read_as::number);
    return profile_snapshot(path, req, c, found);
}

/// What to read of the current snapshot: the monitored columns the reference has data for and
/// the current header has, each read as the reference's kind; the score; the label when
/// performance is judged.
snapshot_request current_request(const config& c, const std::string& path, const driftgate::profile& ref, bool with_label,
                                 bool check_score) {
    require_regular(path);
    require_csv_snapshot(path);
    const auto& p = c.policy;
    const auto header = header_of(c, path);
    std::unordered_set<std::string> in_header(header.begin(), header.end());
    snapshot_request req;
    for (const auto& col : ref.columns) {
        if (!in_header.count(col.name) || col.name == p.columns.label || (p.windows.by_time() && col.name == p.windows.time_column))
            continue;
        req.columns.push_back(col.name);
        req.kinds.push_back(col.is_text() ? read_as::text : read_as::number);
    }
    if (!p.columns.score.empty() && in_header.count(p.columns.score)) {
        req.score = p.columns.score;
        if (with_label && !p.columns.label.empty() && in_header.count(p.columns.label)) req.label = p.columns.label;
    }
    req.probability = check_score && p.performance.kind == driftgate::score_kind::probability;
    if (!check_score && req.label.empty()) req.score.clear();  // the score is then a column like the others
    return req;
}

/// score_column_note's note, if any, among the findings.
void require_named_score(const config& c, const driftgate::profile& ref, const std::string& reference, log_findings& found) {
    if (auto note = score_column_note(c, ref.header, reference, &ref)) found.notes.push_back(std::move(*note));
}

/// The current snapshot as a profile (current_request says what is read).
driftgate::profile current_profile(const config& c, const std::string& path, const snapshot_request& req, log_findings& found) {
    return profile_snapshot(path, req, c, found);
}

/// The reference and the current snapshot as profiles, and what was read of the current one. A
/// saved profile loads on a thread of its own while the current file is read: what to read needs
/// only the profile's outline (peek_profile_file). The reference's error, if any, is the one
/// reported, as when the two are read one after the other.
struct profiled_pair {
    driftgate::profile ref, cur;
    snapshot_request req;
    /// A saved profile's file, whose sorted values ref views (load_profile_file): call
    /// done_with_reference after the last use of ref.
    std::shared_ptr<const csv_impl::file_bytes> lent;
};

/// After the last use of a pair's reference: exit 74 when the saved profile whose values it
/// viewed changed meanwhile (load_profile_file), so that nothing judged on changed values is
/// reported.
void done_with_reference(const profiled_pair& pair) {
    if (pair.lent) pair.lent->check_unchanged();
}
profiled_pair profile_pair(const config& c, const std::string& reference, const std::string& current, bool with_label,
                           bool check_score, log_findings& found) {
    require_two_inputs(reference, current);
    require_regular(reference);
    if (is_profile_file(reference))
        if (const std::optional<driftgate::profile> outline = peek_profile_file(reference)) {
            std::shared_ptr<const csv_impl::file_bytes> lent;
            auto loading = std::async(std::launch::async, [&] { return load_profile_file(reference, &lent); });
            profiled_pair out;
            std::exception_ptr failed;
            try {
                out.req = current_request(c, current, *outline, with_label, check_score);
                out.cur = current_profile(c, current, out.req, found);
            } catch (...) {
                failed = std::current_exception();
            }
            out.ref = loading.get();
            out.lent = std::move(lent);
            if (failed) std::rethrow_exception(failed);
            require_named_score(c, out.ref, reference, found);
            // The checked profile has the outline's columns (else it was not whole, and failed).
            bool same = out.ref.columns.size() == outline->columns.size();
            for (std::size_t i = 0; same && i < out.ref.columns.size(); ++i)
                same = out.ref.columns[i].name == outline->columns[i].name && out.ref.columns[i].is_text() == outline->columns[i].is_text();
            if (same && out.ref.header == outline->header) return out;
            found = {};
            require_named_score(c, out.ref, reference, found);
            out.req = current_request(c, current, out.ref, with_label, check_score);
            out.cur = current_profile(c, current, out.req, found);
            return out;
        }
    // Two CSV files: a compressed current file is decompressed while the reference is read
    // (csv.hpp, prefetch_csv); with one thread asked for, one after the other.
    if (c.threads != 1 && !is_json_lines(current)) prefetch_csv(current);
    profiled_pair out;
    out.ref = reference_profile(c, reference, found);
    require_named_score(c, out.ref, reference, found);
    out.req = current_request(c, current, out.ref, with_label, check_score);
    out.cur = current_profile(c, current, out.req, found);
    return out;
}

void label_inputs(report& r, const std::string& reference, const std::string& current) {
    if (const field* f = r.inputs.find("reference")) {
        field ref = *f;
        ref.set("path", reference);
        r.inputs.set("reference", ref);
    }
    if (const field* f = r.inputs.find("current")) {
        field cur = *f;
        cur.set("path", current);
        r.inputs.set("current", cur);
    }
}

/// [checks] multivariate: the PCA reconstruction error of the current rows over the monitored
/// numeric features (whatever their kind), read once more, row by row, from both CSV files.
void add_multivariate(report& r, const config& c, const driftgate::profile& ref, const driftgate::profile& cur,
                      const std::string& reference, const std::string& current) {
    const auto& p = c.policy;
    if (is_profile_file(reference))
        throw cli_error(exit_code::usage, fmt::format("{}: a saved profile holds no rows; the multivariate check (--multivariate, "
                                                      "[checks] multivariate) needs the reference CSV",
                                                      reference));
    const driftgate::monitored_columns m = guarded([&] { return driftgate::choose_columns(ref, cur, p); });
    std::vector<std::string> names;
    for (const auto& f : m.features) {
        const auto* a = ref.find(f);
        const auto* b = cur.find(f);
        if (a && b && !a->is_text() && !b->is_text()) names.push_back(f);
    }
    if (names.size() < 2)
        throw cli_error(exit_code::data,
                        fmt::format("the multivariate check needs at least two numeric features in both files, found {}{}", names.size(),
                                    names.empty() ? std::string() : " (" + names[0] + ")"));
    std::vector<column_request> req;
    for (const auto& f : names) req.push_back({f, cell_kind::number, false, p.input.on_bad_value == driftgate::bad_value_policy::missing});
    const csv_table rt = read_csv(reference, req, c.csv());
    const csv_table ct = read_csv(current, req, c.csv());
    // An infinite value has no place in a standardisation: refused at its place (the library's
    // message names a row only). The per-feature checks judge such values; this one cannot.
    for (const csv_table* t : {&rt, &ct})
        for (const auto& f : names) {
            const std::span<const double> v = t->column(f);
            const auto bad = std::find_if(v.begin(), v.end(), [](double x) { return std::isinf(x); });
            if (bad == v.end()) continue;
            const auto field = std::find(t->header.begin(), t->header.end(), f) - t->header.begin() + 1;
            throw cli_error(exit_code::data,
                            fmt::format("{}:{}:{}: {} in column \"{}\": the multivariate check standardises each feature, and an "
                                        "infinite value has none (leave the column out of [columns] features, or drop "
                                        "--multivariate)",
                                        t == &rt ? reference : current, t->line_of_record(static_cast<std::size_t>(bad - v.begin())),
                                        field, *bad > 0 ? "inf" : "-inf", f));
        }
    std::vector<std::span<const double>> rc, cc;
    for (const auto& f : names) {
        rc.push_back(rt.column(f));
        cc.push_back(ct.column(f));
    }
    driftgate::pca_options o;
    o.explained_variance = p.multivariate.explained_variance;
    o.chunks = p.multivariate.chunks;
    o.sigmas = p.multivariate.sigmas;
    const driftgate::pca_drift_result res = guarded([&] { return driftgate::pca_drift(rc, cc, o); });
    r.checks.push_back(driftgate::pca_drift_check(res, names, p.multivariate.level, o));
    if (res.current.excluded + res.reference.excluded > 0)
        r.notes.push_back(fmt::format("multivariate check: rows with a missing value left out: {} of the reference, {} of the current file",
                                      res.reference.excluded, res.current.excluded));
}

/// A row of section `section` ("segments", "windows") about one group of a file's rows: the
/// group's name goes to the check's `member` (segment or window), its rows to the details.
driftgate::check& group_event(report& r, const char* section, const char* name, const std::string& column,
                              std::string driftgate::check::*member, const std::string& group, driftgate::severity level,
                              std::string note, std::size_t rows) {
    driftgate::check& s = r.checks.emplace_back();
    s.section = section;
    s.name = name;
    s.column = column;
    s.*member = group;
    s.level = level;
    s.note = std::move(note);
    s.details = field::make_table({{"rows", rows}});
    return s;
}

/// The checks of one group of rows (a segment, a window) against `ref`, or alone without one,
/// added to `r` with the group's name in `member`; not the schema checks (the file's) nor those of
/// `skip_column` (when given). What would stop a whole file (one class only, every score
/// missing) is, in one group, a breach of that group: the warning `unjudged`, never a pass.
void add_group_checks(report& r, const config& c, const driftgate::profile& part, const driftgate::profile* ref,
                      const char* section, const char* unjudged, const std::string& column,
                      std::string driftgate::check::*member, const std::string& group, const std::string& skip_column = {}) {
    const auto& p = c.policy;
    report one;
    try {
        one = guarded([&] { return ref ? driftgate::evaluate(*ref, part, p, on_workers(c.threads)) : driftgate::evaluate(part, p); });
    } catch (const cli_error& e) {
        if (e.code() != exit_code::data) throw;
        group_event(r, section, unjudged, column, member, group, driftgate::severity::warning, e.what(), part.meta.rows);
        return;
    }
    for (auto& x : one.checks) {
        if (x.section == "schema" || (!skip_column.empty() && x.column == skip_column)) continue;
        x.*member = group;
        r.checks.push_back(std::move(x));
    }
}

/// [segments] columns (--segment): the run's checks once more per segment of each column, with
/// their `segment` (against the same segment of the reference when `ref` is given: its rows are
/// read from the reference CSV at `reference`); a segment below [segments] min_rows (on either
/// side) is reported (segment_size, info), not judged; one whose checks cannot be computed (a
/// single class) or that the reference lacks is a warning (segment_unjudged); then the fairness
/// checks across each column's segments of the current file (probabilities only: approval is a
/// PD below [proxy] approval_below). Schema checks are the files' and are not repeated, nor are
/// the checks of the segment column itself (one value per segment).
void add_segments(report& r, const config& c, const std::string& data, const snapshot_request& req,
                  const driftgate::profile* ref = nullptr, const std::string& reference = {}) {
    const auto& p = c.policy;
    for (const auto& [name, e] : p.segments.edges)
        if (std::find(p.segments.columns.begin(), p.segments.columns.end(), name) == p.segments.columns.end())
            r.notes.push_back(fmt::format("[segments.{}] edges: \"{}\" is not a segment column ([segments] columns, --segment): "
                                          "its bands are not used",
                                          name, name));
    if (p.segments.columns.empty()) return;
    require_rereadable(data, "--segment");
    if (ref) require_rereadable(reference, "--segment");
    if (p.checks.multivariate) r.notes.push_back("segments: the multivariate check is judged over all rows, not per segment");
    for (const std::string* path : {&data, &reference})
        if (!path->empty() && is_json_lines(*path))
            throw cli_error(exit_code::usage, fmt::format("{}: --segment and [segments] read CSV snapshots, not prediction logs", shown_path(*path)));
    if (ref && is_profile_file(reference))
        throw cli_error(exit_code::usage, fmt::format("{}: a saved profile holds no rows to segment; drift per segment (--segment, "
                                                      "[segments] columns) needs the reference CSV",
                                                      reference));
    for (const auto& col : p.segments.columns)
        if (col == req.score || col == req.label || col == p.columns.score || col == p.columns.label)
            throw cli_error(exit_code::usage, fmt::format("a segment column (--segment, [segments] columns), \"{}\", is the {} "
                                                          "column: it cannot segment the rows",
                                                          col, col == req.score || col == p.columns.score ? "score" : "label"));
    const std::vector<cell_kind> kinds(p.segments.columns.size(), cell_kind::automatic);
    const char* const segment_setting = "a segment column: --segment, [segments] columns";
    const csv_table t = read_for_groups(data, req, p.segments.columns, kinds, segment_setting, c);
    // The reference, read as its profile says each column is (the kinds it resolved).
    csv_table rt;
    snapshot_request rq;
    if (ref) {
        for (const auto& col : ref->columns) {
            rq.columns.push_back(col.name);
            rq.kinds.push_back(col.is_text() ? read_as::text : read_as::number);
        }
        rt = read_for_groups(reference, rq, p.segments.columns, kinds, segment_setting, c);
    }
    const bool fairness = !req.score.empty() && p.performance.kind == driftgate::score_kind::probability &&
                          p.performance.higher_is_riskier;
    const bool with_classes = !req.score.empty() && !req.label.empty();
    std::unordered_map<std::string, std::string> named;  // segment name -> its column
    for (const std::string& column : p.segments.columns) {
        const auto band = p.segments.edges.find(column);
        const std::vector<double>* edges = band == p.segments.edges.end() ? nullptr : &band->second;
        const row_groups g = value_groups(t, column, p.segments.max_values, edges);
        // Names are unique within a column; across columns "A=B=1" may name a value of A and of A=B.
        for (const auto& name : g.names)
            if (const auto [at, fresh] = named.emplace(name, column); !fresh)
                throw cli_error(exit_code::data, fmt::format("{}: the segment name \"{}\" stands for a segment of column \"{}\" and "
                                                             "of column \"{}\": segment by one of them at a time",
                                                             data, name, at->second, column));
        const std::vector<driftgate::profile> parts = profile_groups(t, g, req, c);
        std::unordered_map<std::string, std::size_t> ref_index;
        std::vector<driftgate::profile> ref_parts;
        row_groups rg;
        if (ref) {
            rg = value_groups(rt, column, p.segments.max_values, edges);
            ref_parts = profile_groups(rt, rg, rq, c);
            for (std::size_t k = 0; k < rg.names.size(); ++k) ref_index.emplace(rg.names[k], k);
        }
        // Approvals per segment, from the current file's scores (and labels) in row order.
        std::vector<driftgate::segment_outcomes> outcomes(g.names.size());
        if (fairness) {
            const auto score = t.column(req.score);
            const std::span<const double> label = with_classes ? t.column(req.label) : std::span<const double>();
            for (std::size_t i = 0; i < t.rows; ++i) {
                if (std::isnan(score[i])) continue;
                auto& o = outcomes[g.of[i]];
                const bool approved = score[i] < p.proxy.approval_below;
                ++o.rows;
                o.approved += approved;
                if (with_classes && label[i] == 0.0) {
                    ++o.favourable;
                    o.favourable_approved += approved;
                }
            }
        }
        auto segment_event = [&](const std::string& seg, const char* name, driftgate::severity level, std::string note,
                                 std::size_t rows) -> driftgate::check& {
            return group_event(r, "segments", name, column, &driftgate::check::segment, seg, level, std::move(note), rows);
        };
        for (std::size_t k = 0; k < g.names.size(); ++k) {
            const std::string& seg = g.names[k];
            outcomes[k].name = seg;
            const driftgate::profile& part = parts[k];
            if (part.meta.rows < p.segments.min_rows) {
                segment_event(seg, "segment_size", driftgate::severity::info,
                              fmt::format("fewer than {} rows ([segments] min_rows): reported, not judged", p.segments.min_rows),
                              part.meta.rows)
                    .value = static_cast<double>(part.meta.rows);
                continue;
            }
            const driftgate::profile* ref_part = nullptr;
            if (ref) {
                const auto at = ref_index.find(seg);
                if (at == ref_index.end()) {
                    segment_event(seg, "segment_unjudged", driftgate::severity::warning,
                                  "a value the reference does not have: no reference rows to compare with", part.meta.rows);
                    continue;
                }
                ref_part = &ref_parts[at->second];
                if (ref_part->meta.rows < p.segments.min_rows) {
                    segment_event(seg, "segment_size", driftgate::severity::info,
                                  fmt::format("the reference has {} rows of this segment, fewer than {} ([segments] min_rows): "
                                              "reported, not judged",
                                              ref_part->meta.rows, p.segments.min_rows),
                                  part.meta.rows)
                        .value = static_cast<double>(ref_part->meta.rows);
                    continue;
                }
            }
            // The segment column is constant within a segment: its checks are not repeated.
            add_group_checks(r, c, part, ref_part, "segments", "segment_unjudged", column, &driftgate::check::segment, seg, column);
        }
        if (ref)
            for (std::size_t k = 0; k < rg.names.size(); ++k)
                if (std::find(g.names.begin(), g.names.end(), rg.names[k]) == g.names.end())
                    segment_event(rg.names[k], "segment_size", driftgate::severity::info,
                                  "in the reference only: no current rows", 0)
                        .value = 0.0;
        if (req.score.empty()) continue;
        if (!fairness) {
            r.notes.push_back(fmt::format("fairness across {}: not judged, approval is defined for probabilities of default "
                                          "([performance] score_kind = \"probability\", higher_is_riskier = true)",
                                          column));
            continue;
        }
        r.checks.push_back(driftgate::disparate_impact_check(column, outcomes, p));
        if (with_classes) r.checks.push_back(driftgate::equal_opportunity_check(column, outcomes, p));
    }
}

/// [windows] window (--window): the run's checks once more per window of the current file (in
/// time order, each with its `window`), against the reference when there is one: a window below
/// [windows] min_rows is reported (window_size, info), not judged; one whose checks cannot be
/// computed (a single class) is a warning (window_unjudged). Schema checks are the file's and
/// are not repeated per window.
void add_windows(report& r, const config& c, const std::string& data, const snapshot_request& req, const driftgate::profile* ref) {
    const auto& p = c.policy;
    const driftgate::window_spec w = *driftgate::parse_window(p.windows.window);
    if (!p.windows.time_column.empty() && !p.windows.by_time())
        r.notes.push_back(fmt::format("[windows] time_column \"{}\" is not used: no day, week or month window ([windows] "
                                      "window); it is judged as a feature like any other column",
                                      p.windows.time_column));
    if (!w.active()) return;
    if (is_json_lines(data))
        throw cli_error(exit_code::usage, fmt::format("{}: --window and [windows] read CSV snapshots, not prediction logs", shown_path(data)));
    require_rereadable(data, "--window");
    if (p.checks.multivariate)
        r.notes.push_back("windows: the multivariate check is judged over all rows, not per window");
    const bool by_time = w.by != driftgate::window_spec::unit::rows;
    std::vector<std::string> extra;
    std::vector<cell_kind> kinds;
    if (by_time) {
        extra.push_back(p.windows.time_column);
        kinds.push_back(cell_kind::text);
    }
    const csv_table t = read_for_groups(data, req, extra, kinds, "the time column: --time-column, [windows] time_column", c);
    const row_groups g = window_groups(t, w, p.windows.time_column);
    std::vector<driftgate::profile> parts = profile_groups(t, g, req, c);
    for (std::size_t k = 0; k < parts.size(); ++k) {
        const driftgate::profile& part = parts[k];
        if (part.meta.rows < p.windows.min_rows) {
            group_event(r, "windows", "window_size", g.column, &driftgate::check::window, g.names[k], driftgate::severity::info,
                        fmt::format("fewer than {} rows ([windows] min_rows): reported, not judged", p.windows.min_rows),
                        part.meta.rows)
                .value = static_cast<double>(part.meta.rows);
            continue;
        }
        add_group_checks(r, c, part, ref, "windows", "window_unjudged", g.column, &driftgate::check::window, g.names[k]);
    }
    r.notes.push_back(fmt::format("windows: {} window{} of the current file ({}{}{}), each judged on its own rows{}", g.names.size(),
                                  g.names.size() == 1 ? "" : "s",
                                  by_time ? p.windows.window + " of " + p.windows.time_column : p.windows.window + " rows each",
                                  g.names.empty() ? "" : ": " + g.names.front(),
                                  g.names.size() > 1 ? " to " + g.names.back() : "",
                                  ref ? " against the whole reference" : ""));
}

std::string require_column(const std::string& name, const char* what, const char* flag) {
    if (name.empty()) throw cli_error(exit_code::usage, fmt::format("no {} column: give {} or set it in the configuration", what, flag));
    return name;
}

} // namespace

std::optional<std::string> score_column_note(const config& c, const std::vector<std::string>& header,
                                             const std::string& reference, const driftgate::profile* stored) {
    const std::string& score = c.policy.columns.score;
    if (score.empty()) {
        // No score (--score ''): a column of the default name is then a feature like any other.
        const std::string usual = driftgate::policy{}.columns.score;
        if (c.policy.columns.features.empty() && std::find(header.begin(), header.end(), usual) != header.end() &&
            driftgate::is_automatic_feature(usual, c.policy))
            return fmt::format("no score column (--score '', [columns] score = \"\"): the column \"{}\" is judged as a "
                               "feature; [columns] exclude or --columns leaves it out",
                               usual);
        return std::nullopt;
    }
    if (std::find(header.begin(), header.end(), score) != header.end()) {
        if (stored == nullptr || stored->find(score) != nullptr) return std::nullopt;
        // A saved profile built without the score (profile build --score '', or a --columns
        // selection) names the column in its header but holds none of its values.
        if (c.score_named)
            throw cli_error(exit_code::data,
                            fmt::format("the reference profile {} holds no data for the score column \"{}\" (--score, "
                                        "[columns] score): profile build --score {} profiles it; --score '' monitors no score",
                                        shown_path(reference), score, score));
        return fmt::format("the reference profile holds no data for column \"{}\": the score's drift (CSI) is not judged; "
                           "profile build --score {} profiles it, or give --score '' for none",
                           score, score);
    }
    if (c.score_named)
        throw cli_error(exit_code::data, fmt::format("no score column \"{}\" (--score, [columns] score) in the reference {} "
                                                     "(columns: {}); --score '' monitors no score",
                                                     score, shown_path(reference), driftgate::detail::join_names(header)));
    return fmt::format("no column \"{}\" in the reference: the score's drift (CSI) is not judged; name the score column "
                       "with --score or [columns] score, or give --score '' for none",
                       score);
}

void apply(config& c, const overrides& o) {
    // Paths given on the command line are relative to the working directory, not to the
    // configuration file.
    auto from_cwd = [](const std::string& path) {
        return path == "-" ? path : std::filesystem::absolute(path).lexically_normal().string();
    };
    auto& p = c.policy;
    if (o.reference) p.input.reference = from_cwd(*o.reference);
    if (o.current) p.input.current = from_cwd(*o.current);
    if (!o.columns.empty()) p.columns.features = o.columns;
    if (o.score) {
        p.columns.score = *o.score;
        c.score_named = true;
    }
    if (o.label) {
        p.columns.label = *o.label;
        c.label_named = true;
    }
    if (o.threshold) p.performance.threshold = o.threshold;
    if (o.delimiter) p.input.delimiter = std::string(1, *o.delimiter);
    if (o.threads) c.threads = *o.threads;
    if (o.multivariate) p.checks.multivariate = true;
    if (o.time_column) p.windows.time_column = *o.time_column;
    if (o.window) p.windows.window = *o.window;
    for (const auto& s : o.segments)
        if (std::find(p.segments.columns.begin(), p.segments.columns.end(), s) == p.segments.columns.end()) p.segments.columns.push_back(s);
    if (o.time_column || o.window) {
        const auto w = driftgate::parse_window(p.windows.window);
        const bool calendar = w && w->active() && w->by != driftgate::window_spec::unit::rows;
        if (o.time_column && !calendar)
            throw cli_error(exit_code::usage, fmt::format("--time-column {} places rows in day, week or month windows: give --window "
                                                          "day|week|month as well",
                                                          *o.time_column));
        if (calendar && p.windows.time_column.empty())
            throw cli_error(exit_code::usage, fmt::format("--window {}: give the column of each row's date with --time-column COL",
                                                          p.windows.window));
        for (const auto& [what, name] : {std::pair{"score", &p.columns.score}, std::pair{"label", &p.columns.label}})
            if (calendar && *name == p.windows.time_column)
                throw cli_error(exit_code::usage, fmt::format("--time-column {}: the {} column cannot place rows in windows",
                                                              p.windows.time_column, what));
    }
    if (o.threshold) {
        // Probabilities are cut in [0, 1]; scorecard points anywhere finite.
        const double t = *o.threshold;
        if (p.performance.kind == driftgate::score_kind::probability && !(t >= 0.0 && t <= 1.0))
            throw cli_error(exit_code::usage, fmt::format("--threshold: must lie in [0, 1]: {} (scores are probabilities; [performance] "
                                                          "score_kind = \"points\" takes any finite threshold)",
                                                          driftgate::detail::shortest(t)));
        if (!std::isfinite(t))
            throw cli_error(exit_code::usage, fmt::format("--threshold: must be a finite number: {}", driftgate::detail::shortest(t)));
    }
    if (o.score && o.label && !o.score->empty() && *o.score == *o.label)
        throw cli_error(exit_code::usage,
                        fmt::format("--score and --label name the same column \"{}\": the score is the model's output, "
                                    "the label the observed outcome",
                                    *o.score));
    try {
        guarded([&] {
            driftgate::validate(p);
            return 0;
        });
    } catch (const cli_error& e) {
        // The configuration was valid when it was loaded (parse_policy_toml validates it): what
        // fails now comes from the options, a usage error that names them instead of the key
        // (--columns for columns.features when given, else every option given that names columns:
        // `--score default` against a file whose label is "default").
        const std::string what = e.what();
        const auto k = what.find("key '");
        const auto end = k == std::string::npos ? k : what.find("': ", k);
        if (end == std::string::npos) throw;
        const std::string key = what.substr(k + 5, end - k - 5);
        const auto value = [](const std::optional<std::string>& v) { return fmt::format("\"{}\"", *v); };
        const std::tuple<const char*, bool, std::string> options[] = {
            {"columns.features", !o.columns.empty(), "--columns"},
            {"segments.columns", !o.segments.empty(), "--segment"},
            {"columns.score", o.score.has_value(), o.score ? "--score " + value(o.score) : ""},
            {"columns.label", o.label.has_value(), o.label ? "--label " + value(o.label) : ""},
            {"windows.time_column", o.time_column.has_value(), o.time_column ? "--time-column " + value(o.time_column) : ""},
            {"windows.window", o.window.has_value(), o.window ? "--window " + value(o.window) : ""},
            {"input.delimiter", o.delimiter.has_value(), "--delimiter"}};
        std::string named;
        for (const auto& [k2, given, option] : options)
            if (given && key == k2) named = option;
        if (named.empty())
            for (const auto& [k2, given, option] : options)
                if (given) named += (named.empty() ? "" : ", ") + option;
        if (named.empty()) throw;
        throw cli_error(exit_code::usage, what.substr(0, k) + named + ": " + what.substr(end + 3));
    }
}

report run_drift_command(const config& c, const std::string& reference, const std::string& current) {
    config cc = c;
    auto& p = cc.policy;
    p.checks.drift = true;
    p.checks.performance = p.checks.proxies = false;
    log_findings found;
    const profiled_pair pair = profile_pair(cc, reference, current, false, false, found);
    const auto& [ref, cur, req, lent] = pair;
    report r = judge_pair(ref, cur, cc);
    if (p.checks.multivariate) add_multivariate(r, cc, ref, cur, reference, current);
    add_windows(r, cc, current, req, &ref);
    add_segments(r, cc, current, req, &ref, reference);
    done_with_reference(pair);
    add_findings(r, found);
    r.command = "drift";
    label_inputs(r, reference, current);
    return r;
}

namespace {

/// Points have no default decision threshold (the SPEC's 0.12 is a probability, which every
/// scorecard score exceeds): a run that judges performance is refused before any file is read,
/// with the library's reason (performance_settings::decision_threshold) at the place of
/// score_kind, instead of showing recall 1 at 0.12 as OK. `check` may also turn performance off.
void require_decision_threshold(const config& c, bool check) {
    if (!c.policy.checks.performance) return;
    try {
        (void)c.policy.performance.decision_threshold();
    } catch (const driftgate::error& e) {
        std::string what = e.what();
        if (const auto key = what.find("key '"); key != std::string::npos) what = what.substr(key);
        throw cli_error(exit_code::data, fmt::format("{}: {}{}", c.score_kind_place.empty() ? c.source : c.score_kind_place, what,
                                                     check ? " (or set [checks] performance = false)" : ""));
    }
}

} // namespace

report run_perf_command(const config& c, const std::string& data) {
    config cc = c;
    auto& p = cc.policy;
    p.checks.performance = true;
    p.checks.proxies = false;
    require_decision_threshold(cc, false);
    snapshot_request req;
    req.score = require_column(p.columns.score, "score", "--score");
    req.label = require_column(p.columns.label, "label", "--label");
    req.probability = p.performance.kind == driftgate::score_kind::probability;
    log_findings found;
    const driftgate::profile cur = profile_snapshot(data, req, cc, found);
    report r = guarded([&] { return driftgate::evaluate(cur, p); });
    add_segments(r, cc, data, req);
    add_windows(r, cc, data, req, nullptr);
    add_findings(r, found);
    r.command = "perf";
    r.inputs = field::make_table({{"data", field::make_table({{"path", data}, {"rows", cur.meta.rows}})}});
    return r;
}

report run_proxy_command(const config& c, const std::string& data) {
    config cc = c;
    auto& p = cc.policy;
    p.checks.performance = false;
    p.checks.proxies = true;
    if (const char* why = driftgate::why_no_proxies(p))
        throw cli_error(exit_code::usage, fmt::format("proxy: [performance] {}: nothing to judge (perf computes the rank "
                                                      "metrics of such scores, drift their drift)",
                                                      why));
    snapshot_request req;
    req.score = require_column(p.columns.score, "score", "--score");
    req.columns = {req.score};
    req.kinds = {read_as::number};
    req.probability = p.performance.kind == driftgate::score_kind::probability;
    log_findings found;
    const driftgate::profile cur = profile_snapshot(data, req, cc, found);
    report r = guarded([&] { return driftgate::evaluate(cur, p); });
    add_segments(r, cc, data, req);
    add_windows(r, cc, data, req, nullptr);
    add_findings(r, found);
    r.command = "proxy";
    r.inputs = field::make_table({{"data", field::make_table({{"path", data}, {"rows", cur.meta.rows}})}});
    return r;
}

report run_estimate_command(const config& c, const std::string& data, const std::string& reference) {
    // The reference only checks the calibration of the PDs: a file as its own reference is the
    // calibration of that file (examples/credit/validate_estimate.py), not a comparison that passes.
    require_one_standard_input(reference, data);
    const auto& p = c.policy;
    snapshot_request req;
    req.score = require_column(p.columns.score, "score", "--score");
    req.columns = {req.score};
    req.kinds = {read_as::number};
    req.probability = true;
    req.probability_hint = "estimate reads calibrated probabilities of default; scorecard points or a PD in percent "
                           "give no estimate";
    log_findings found;
    const driftgate::profile cur = profile_snapshot(data, req, c, found);
    const driftgate::column_profile* col = cur.find(req.score);
    if (!col || col->is_text())
        throw cli_error(exit_code::data, fmt::format("{}: column \"{}\" holds no numeric score", data, req.score));
    if (driftgate::detail::as_sorted(col->data).empty())
        throw cli_error(exit_code::data, fmt::format("{}: column \"{}\": every score is missing: nothing to estimate", data, req.score));
    report r;
    add_findings(r, found);
    r.command = "estimate";
    try {
        r.checks = guarded([&] { return driftgate::estimate_checks(driftgate::detail::as_sorted(col->data), req.score, p); });
    } catch (const cli_error& e) {
        // Name the file and the column: the library knows only the scores.
        throw cli_error(e.code(), fmt::format("{}: column \"{}\": {}", data, req.score, e.what()));
    }
    r.inputs = field::make_table({{"current", field::make_table({{"path", data}, {"rows", cur.meta.rows}})}});
    if (const auto missing = driftgate::detail::as_sorted(col->data).missing; missing > 0)
        r.notes.push_back(fmt::format("{} rows without a score were left out of the estimates", missing));
    if (p.checks.data_quality) r.checks.insert(r.checks.begin(), driftgate::score_missing_check(*col, p));
    // The configuration's segments and windows, which the other commands follow: said, not silently
    // passed over (the command line's --segment and --window are not options of estimate).
    if (!p.segments.columns.empty())
        r.notes.push_back("[segments] columns: estimate judges every row together, not per segment");
    if (const auto w = driftgate::parse_window(p.windows.window); w && w->active())
        r.notes.push_back("[windows] window: estimate judges every row together, not per window");
    if (!reference.empty()) {
        require_regular(reference);
        if (is_profile_file(reference))
            throw cli_error(exit_code::usage, fmt::format("--reference {}: a saved profile; the calibration check reads the labelled "
                                                          "reference CSV",
                                                          reference));
        if (is_json_lines(reference))
            throw cli_error(exit_code::usage, fmt::format("--reference {}: a JSON-lines prediction log; the calibration check "
                                                          "reads the labelled reference CSV",
                                                          reference));
        snapshot_request rq;
        rq.score = req.score;
        rq.label = require_column(p.columns.label, "label", "--label");
        rq.probability = true;
        const driftgate::profile ref = profile_csv(reference, rq, c);
        r.checks.push_back(guarded([&] { return driftgate::calibration_check(ref, p); }));
        r.inputs.set("reference", field::make_table({{"path", reference}, {"rows", ref.meta.rows}}));
    } else {
        r.notes.push_back("no --reference with labels: the calibration of the PDs, on which the estimates rest, was not checked");
    }
    return r;
}

std::vector<std::pair<std::string, std::string>> check_command_inputs(const config& c) {
    const auto& p = c.policy;
    if (p.input.reference.empty() || p.input.current.empty())
        throw cli_error(exit_code::usage,
                        "check needs a reference and a current file: set [input] reference and current in the "
                        "configuration, or give --reference and --current");
    return {{"reference", c.resolve(p.input.reference)}, {"current", c.resolve(p.input.current)}};
}

report run_check_command(const config& c) {
    const auto& p = c.policy;
    const auto files = check_command_inputs(c);
    const std::string reference = files[0].second, current = files[1].second;
    require_decision_threshold(c, true);
    const bool own = p.checks.performance || p.checks.proxies;
    const bool proxies_only = p.checks.proxies && !p.checks.performance && !p.checks.drift && !p.checks.csi &&
                              !p.checks.data_quality && !p.checks.multivariate;
    if (const char* why = proxies_only ? driftgate::why_no_proxies(p) : nullptr)
        throw cli_error(exit_code::usage,
                        fmt::format("check: [checks] asks for the proxies only, and [performance] {}: nothing to judge", why));
    report r;
    log_findings found;
    if (p.checks.drift || p.checks.csi || p.checks.data_quality || p.checks.multivariate) {
        const profiled_pair pair = profile_pair(c, reference, current, p.checks.performance, own, found);
        const auto& [ref, cur, req, lent] = pair;
        r = judge_pair(ref, cur, c);
        if (p.checks.multivariate) add_multivariate(r, c, ref, cur, reference, current);
        add_windows(r, c, current, req, &ref);
        // Segments: drift per segment needs the reference's rows; a saved profile has none, and
        // then only the performance and proxy checks are segmented (a note says so).
        const bool profile_reference = is_profile_file(reference);
        if (!p.segments.columns.empty() && profile_reference)
            r.notes.push_back(fmt::format("[segments] columns: {} is a saved profile, which holds no rows to segment: drift and data "
                                          "quality are judged over all rows{}",
                                          reference, own ? ", the performance and proxy checks per segment" : " (nothing is segmented)"));
        if (!profile_reference || own) add_segments(r, c, current, req, profile_reference ? nullptr : &ref, reference);
        done_with_reference(pair);
    } else {
        snapshot_request req;
        req.score = p.columns.score;
        if (p.checks.performance) req.label = p.columns.label;
        if (!req.score.empty()) {
            req.columns = {req.score};
            req.kinds = {read_as::number};
        }
        req.probability = p.performance.kind == driftgate::score_kind::probability;
        const driftgate::profile cur = profile_snapshot(current, req, c, found);
        r = guarded([&] { return driftgate::evaluate(cur, p); });
        add_windows(r, c, current, req, nullptr);
        add_segments(r, c, current, req);
    }
    add_findings(r, found);
    r.command = "check";
    label_inputs(r, reference, current);
    return r;
}

} // namespace driftgate::cli
