#include "commands.hpp"
#include "log_snapshot.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <memory>
#include <optional>
#include <thread>
#include <filesystem>

#include <fmt/format.h>

#include <driftgate/classification.hpp>
#include <driftgate/ks.hpp>
#include <driftgate/proxy.hpp>
#include <driftgate/psi.hpp>
#include <driftgate/roc.hpp>

namespace driftgate::cli {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

/// Runs a library call; its error (bad labels, one class, ...) becomes a data error naming the
/// file and column.
template <class F>
auto guarded(const std::string& file, const std::string& column, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const driftgate::error& e) {
        std::string_view what = e.what();
        if (what.rfind("driftgate: ", 0) == 0) what.remove_prefix(11);
        throw cli_error(exit_code::data,
                        fmt::format("{}: column \"{}\": {} ({})", file, column, what, driftgate::to_string(e.id())));
    }
}

std::string require_column(const std::optional<std::string>& name, const char* what, const char* flag) {
    if (!name || name->empty())
        throw cli_error(exit_code::usage, fmt::format("no {} column: give {} or set it in the configuration", what, flag));
    return *name;
}

field input_json(const csv_table& t) { return field::make_table({{"path", t.path}, {"rows", t.rows}}); }

/// Reads `wanted` columns: the `required` ones must be numeric (else exit 65 naming the place);
/// the others are dropped with a note when they hold non-numeric values. The `unordered` ones are
/// needed only as samples (sorted or counted): columns of codes come back counted.
csv_table load(const config& c, const std::string& path, const std::vector<std::string>& wanted,
               const std::vector<std::string>& required, report& report,
               const std::vector<std::string>& unordered = {}) {
    csv_table t = read_snapshot(c, path, wanted, column_policy::skip_non_numeric, unordered, report);
    for (const auto& d : t.dropped) {
        if (contains(required, d.name)) throw cli_error(exit_code::data, d.reason);
        report.notes.push_back(fmt::format("{}: column \"{}\" skipped: not numeric ({})", path, d.name, d.reason));
    }
    return t;
}

check judged(std::string section, std::string name, std::string column, double value, const rule& r) {
    check row;
    row.section = std::move(section);
    row.name = std::move(name);
    row.column = std::move(column);
    row.value = value;
    row.thresholds = to_field(r);
    if (std::isnan(value)) {
        // Undefined metric: the gate fails closed at the rule's highest severity.
        row.level = r.critical ? severity::critical : r.warning ? severity::warning : severity::info;
        row.note = "undefined; judged as a breach";
    } else {
        row.level = judge(r, value).level;
    }
    return row;
}

field psi_details(const psi_result& p, bool top_k) {
    field bins = field::make_list();
    for (const auto& b : p.bins) {
        field jb;
        if (b.missing) {
            jb.set("missing", true);
        } else {
            jb.set("lower", edge_field(b.lower));
            jb.set("upper", edge_field(b.upper));
        }
        jb.set("reference_count", b.reference_count);
        jb.set("current_count", b.current_count);
        jb.set("reference_share", b.reference_share);
        jb.set("current_share", b.current_share);
        jb.set("contribution", b.contribution);
        bins.push_back(std::move(jb));
    }
    field d = field::make_table({{"binning", to_string(p.method)},
                     {"smoothed", p.smoothed},
                     {"epsilon", p.epsilon},
                     {"empty_reference_bins", p.empty_reference_bins},
                     {"empty_current_bins", p.empty_current_bins},
                     {"n_reference", p.reference_n},
                     {"n_current", p.current_n},
                     {"bins", std::move(bins)}});
    if (p.kind == stability_index::psi) d.set("top_k", top_k);
    return d;
}

const char* alt_name(alternative a) {
    return a == alternative::two_sided ? "two-sided" : a == alternative::less ? "less" : "greater";
}

/// Runs task(0..n-1) on up to `threads` threads (0: one per core), started in the order given
/// by `first` (task numbers, the expensive ones first so that no long task starts last; the
/// tasks not listed follow in numeric order); every task runs, and the exception of the
/// lowest-numbered failing task is rethrown, so that errors are the ones a sequential loop would
/// report first, whatever the thread count and order. deps[i] (optional) lists the tasks that
/// must have finished (or failed) before task i starts; each must come before i in the start
/// order.
template <class F>
void run_tasks(std::size_t n, unsigned threads, F&& task, const std::vector<std::size_t>& first = {},
               const std::vector<std::vector<std::size_t>>& deps = {}) {
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::size_t> order = first;
    std::vector<char> listed(n, 0);
    for (const std::size_t i : first) listed[i] = 1;
    for (std::size_t i = 0; i < n; ++i)
        if (!listed[i]) order.push_back(i);
    const auto done = std::make_unique<std::atomic<bool>[]>(n);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t k; (k = next.fetch_add(1)) < n;) {
            const std::size_t i = order[k];
            if (i < deps.size())
                for (const std::size_t d : deps[i]) done[d].wait(false);
            try {
                task(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
            done[i].store(true);
            done[i].notify_all();
        }
    };
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const auto k = static_cast<unsigned>(std::min<std::size_t>(n, threads == 0 ? hw : threads));
    parallel_run(k, [&](unsigned) { worker(); });
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

/// The statistics of one drift column, computed from one sort of each sample.
struct column_stats {
    psi_result psi;
    ks_result ks;
};

/// A sample of one column, prepared once for PSI and KS: counted when it has at most 256
/// distinct values (codes such as PAY_0: a few KiB instead of the column), else sorted.
struct prepared_column {
    sorted_sample sorted;                   ///< every value, sorted (when not counted)
    std::optional<counted_sample> counted;  ///< the column counted (few distinct values)

    /// Calls f with the counted or the sorted sample.
    template <class F>
    decltype(auto) visit(F&& f) const {
        return counted ? f(*counted) : f(sorted);
    }
};

/// Column `name` of `t` prepared: as the reader counted it, counted here, or sorted (in place
/// with `take`, the column then moved out of `t`; else a sorted copy).
prepared_column prepare_column(csv_table& t, const std::string& name, bool take) {
    prepared_column r;
    if (const counted_sample* cc = t.counts(name)) {
        r.counted = *cc;
        return r;
    }
    if ((r.counted = count_sample(t.column(name)))) return r;
    r.sorted = take ? sort_sample(t.take(name)) : sort_sample(t.column(name));
    return r;
}

/// True when the column was loaded as values that do not look like codes (looks_like_codes): it
/// is likely continuous, so preparing it is a radix sort (tens of times the cost of counting).
bool looks_continuous(const csv_table& t, const std::string& name) {
    return t.counts(name) == nullptr && !looks_like_codes(t.column(name));
}

/// The reference's columns prepared while its table is still in memory, so that the table is
/// released before the current file is read (the sorts' scratch memory is then reused by the
/// current table instead of fresh pages, and the peak memory is one table, not two).
struct reference_samples {
    std::string path;
    std::vector<std::string> names;
    std::vector<prepared_column> columns;

    const prepared_column& column(const std::string& name) const {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == name) return columns[i];
        throw cli_error(exit_code::usage, fmt::format("{}: column \"{}\" was not loaded", path, name));
    }
};

/// Prepares every column of the reference table (taking them), the continuous ones started first.
reference_samples prepare_reference(csv_table&& t, unsigned threads) {
    reference_samples r;
    r.path = t.path;
    r.names = t.names;
    r.columns.resize(t.names.size());
    std::vector<std::size_t> first;
    for (std::size_t i = 0; i < t.names.size(); ++i)
        if (looks_continuous(t, t.names[i])) first.push_back(i);
    run_tasks(t.names.size(), threads, [&](std::size_t i) { r.columns[i] = prepare_column(t, t.names[i], true); }, first);
    return r;
}

void require_values(const std::string& path, const std::string& column, bool any_value) {
    if (!any_value)
        throw cli_error(exit_code::data, fmt::format("{}: column \"{}\" has no non-missing value", path, column));
}

/// PSI or CSI of one column: bins learned from the reference (sorted or counted), the current
/// sample (sorted, counted, or raw: counting needs no order) counted in them.
template <class Reference, class Current>
psi_result stability(const config& c, const std::string& ref_path, const std::string& cur_path,
                     const std::string& column, const Reference& rs, const Current& current, stability_index kind) {
    const psi_reference pref = guarded(ref_path, column, [&] { return prepare_psi_reference(rs, c.binning_for(column)); });
    return guarded(cur_path, column, [&] {
        return psi_from_counts(pref.bins, pref.counts, count_bins(pref.bins, current), psi_options{c.epsilon}, kind);
    });
}

/// PSI and KS of feature f from its prepared reference and current samples.
column_stats feature_stats(const config& c, const std::string& ref_path, const std::string& cur_path,
                           const std::string& f, const prepared_column& ref, const prepared_column& cur) {
    return ref.visit([&](const auto& rs) {
        return cur.visit([&](const auto& cs) {
            require_values(ref_path, f, !rs.empty());
            require_values(cur_path, f, !cs.empty());
            column_stats out;
            out.psi = stability(c, ref_path, cur_path, f, rs, cs, stability_index::psi);
            out.ks = guarded(cur_path, f, [&] { return ks_2samp(rs, cs, c.ks); });
            return out;
        });
    });
}

/// The score's CSI: only the reference is sorted or counted (for its edges); the current scores
/// are counted into the bins as they are.
psi_result score_csi(const config& c, const std::string& ref_path, const prepared_column& ref, const csv_table& cur,
                     const std::string& s) {
    const std::span<const double> current = cur.column(s);
    return ref.visit([&](const auto& rs) {
        require_values(ref_path, s, !rs.empty());
        require_values(cur.path, s, std::any_of(current.begin(), current.end(), [](double v) { return !std::isnan(v); }));
        return stability(c, ref_path, cur.path, s, rs, current, stability_index::csi);
    });
}

/// The report row of a PSI or CSI result.
check stability_row(const std::string& column, const psi_result& p, const rule& r, bool top_k) {
    check row = judged("drift", to_string(p.kind), column, p.value, r);
    row.details = psi_details(p, top_k);
    if (p.smoothed) row.note = fmt::format("{} empty bin(s) smoothed", p.empty_reference_bins + p.empty_current_bins);
    return row;
}

/// The drift rows. Each current feature is prepared once (counted or sorted, in place when it is
/// in `unordered`, the columns read as samples only: not the score, read by the CSI meanwhile,
/// nor one the caller reads afterwards), then its PSI
/// and KS computed against the prepared reference, and the score's CSI: one set of tasks in
/// which a feature's statistics start as soon as its current sample is ready, so that the sorts
/// and the statistics share the threads without a barrier between them.
void drift_rows(const config& c, const reference_samples& ref, csv_table& cur, const std::vector<std::string>& features,
                const std::optional<std::string>& score, const std::vector<std::string>& unordered,
                report& report) {
    const bool with_csi = score && c.check_csi;
    std::vector<std::string> cur_names;  // each once
    for (const auto& f : features)
        if (!contains(cur_names, f)) cur_names.push_back(f);
    // Tasks: [0, nc) current features, then one per feature's statistics, then the CSI. Numbers
    // give the order errors are reported in.
    const std::size_t nc = cur_names.size(), nf = features.size(), csi_task = nc + nf;
    std::vector<prepared_column> cur_cols(nc);
    std::vector<column_stats> stats(nf);
    psi_result score_psi;
    std::vector<std::vector<std::size_t>> deps(csi_task + (with_csi ? 1 : 0));
    for (std::size_t i = 0; i < nf; ++i)
        deps[nc + i] = {static_cast<std::size_t>(std::find(cur_names.begin(), cur_names.end(), features[i]) - cur_names.begin())};
    // Start order: the sorts, the statistics of the sorted features (each after its sort), then
    // the counted columns, their statistics and the CSI.
    std::vector<char> heavy(nc);
    for (std::size_t k = 0; k < nc; ++k) heavy[k] = looks_continuous(cur, cur_names[k]) || !ref.column(cur_names[k]).counted;
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < nc; ++k)
        if (heavy[k]) order.push_back(k);
    for (std::size_t i = 0; i < nf; ++i)
        if (heavy[deps[nc + i][0]]) order.push_back(nc + i);
    for (std::size_t t = 0; t < deps.size(); ++t)
        if (std::find(order.begin(), order.end(), t) == order.end()) order.push_back(t);
    run_tasks(
        deps.size(), c.csv.threads,
        [&](std::size_t t) {
            if (t < nc) {
                const std::string& g = cur_names[t];
                cur_cols[t] = prepare_column(cur, g, contains(unordered, g));
            } else if (t < csi_task) {
                const std::size_t i = t - nc;
                stats[i] = feature_stats(c, ref.path, cur.path, features[i], ref.column(features[i]), cur_cols[deps[t][0]]);
            } else {
                score_psi = score_csi(c, ref.path, ref.column(*score), cur, *score);
            }
        },
        order, deps);
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto& f = features[i];
        report.checks.push_back(stability_row(f, stats[i].psi, c.psi_rule_for(f), in_top_k(c.importances, f, c.top_k)));

        const ks_result& k = stats[i].ks;
        const rule kr = c.ks_rule_for(f);
        check krow = judged("drift", "ks", f, k.pvalue, kr);
        // p may underflow to 0; the rule still judges it (0 < any bound).
        if (c.ks_statistic) {
            const auto jd = judge(*c.ks_statistic, k.statistic);
            krow.level = worst(krow.level, jd.level);
            krow.thresholds.set("statistic", to_field(*c.ks_statistic));
        }
        krow.details = field::make_table({{"statistic", k.statistic},
                        {"pvalue", k.pvalue},
                        {"log_pvalue", finite_or_null(k.log_pvalue)},
                        {"method", k.method == ks_method::exact ? "exact" : "asymp"},
                        {"fell_back", k.fell_back},
                        {"alternative", alt_name(k.alt)},
                        {"location", finite_or_null(k.location)},
                        {"sign", k.sign},
                        {"n_reference", k.n1},
                        {"n_current", k.n2},
                        {"missing_reference", k.missing1},
                        {"missing_current", k.missing2}});
        if (k.pvalue == 0.0) krow.note = fmt::format("p underflows; ln p = {:.6g}", k.log_pvalue);
        report.checks.push_back(std::move(krow));
    }
    if (with_csi) report.checks.push_back(stability_row(*score, score_psi, c.csi, true));
}

/// Feature columns: those configured, or every column in both headers other than the score,
/// the label and the excluded ones.
std::vector<std::string> choose_features(const config& c, const std::vector<std::string>& ref_header,
                                         const std::vector<std::string>& cur_header, bool& defaulted) {
    defaulted = c.features.empty();
    if (!defaulted) return c.features;
    std::vector<std::string> out;
    for (const auto& h : ref_header) {
        if (!contains(cur_header, h)) continue;
        if ((c.score && h == *c.score) || (c.label && h == *c.label) || contains(c.exclude, h)) continue;
        out.push_back(h);
    }
    return out;
}

void perf_rows(const config& c, const csv_table& t, const std::string& score, const std::string& label,
               report& report) {
    const auto s = t.column(score);
    const auto y = t.column(label);
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (std::isnan(s[i]))
            throw cli_error(exit_code::data,
                            fmt::format("{}: column \"{}\": data row {} has no score (performance needs every score)",
                                        t.path, score, i + 1));
        if (std::isnan(y[i]))
            throw cli_error(exit_code::data,
                            fmt::format("{}: column \"{}\": data row {} has no label (labels must be 0 or 1)", t.path,
                                        label, i + 1));
    }
    const auto where = fmt::format("{}\" and \"{}", score, label);
    // One sort of each class's scores gives DeLong's AUC and variance and the classifier KS: the
    // rows are split by class (checked there) while the confusion matrix and the Brier score are
    // computed, the two classes then sorted apart, and walked once. Errors are reported in this
    // order (split, sorts, confusion and Brier) whatever the thread count.
    roc_classes classes;
    sorted_sample positives, negatives;
    confusion_matrix cm;
    double brier = 0.0;
    run_tasks(
        4, c.csv.threads,
        [&](std::size_t i) {
            if (i == 0) {
                classes = guarded(t.path, where, [&] { return split_classes(s, y); });
            } else if (i == 1) {
                negatives = sort_sample(std::move(classes.negatives));
            } else if (i == 2) {
                positives = sort_sample(std::move(classes.positives));
            } else {
                cm = guarded(t.path, where, [&] { return confusion_at(s, y, c.threshold, c.confidence); });
                brier = guarded(t.path, where, [&] { return brier_score(s, y); });
            }
        },
        {0, 3, 1, 2}, {{}, {0}, {0}, {}});
    const roc_summary r = guarded(t.path, where, [&] { return summarize_roc(positives, negatives, c.confidence); });
    const delong_result& d = r.delong;
    const classifier_ks_result& k = r.ks;

    check auc = judged("performance", "auc", score, d.auc, c.auc);
    auc.details = field::make_table({{"ci_lower", d.ci_lower}, {"ci_upper", d.ci_upper}, {"std_error", d.std_error},
                   {"level", d.level}, {"gini", 2 * d.auc - 1}, {"n", s.size()}});
    report.checks.push_back(std::move(auc));

    check ks = judged("performance", "ks_statistic", score, k.statistic, c.ks_classifier);
    ks.details = field::make_table({{"threshold", k.threshold}, {"tpr", k.tpr}, {"fpr", k.fpr}});
    report.checks.push_back(std::move(ks));

    const field confusion = field::make_table({{"tp", cm.tp}, {"fp", cm.fp}, {"tn", cm.tn}, {"fn", cm.fn}, {"threshold", cm.threshold}});
    auto proportion_row = [&](const char* name, const proportion_estimate& p, const rule& r) {
        check row = judged("performance", name, score, p.defined ? p.value : NAN, r);
        row.details = field::make_table({{"ci_lower", p.ci_lower}, {"ci_upper", p.ci_upper}, {"level", p.level},
                       {"successes", p.successes}, {"trials", p.trials}, {"decision_threshold", c.threshold},
                       {"confusion", confusion}});
        if (!p.defined)
            row.note = fmt::format("undefined: no {} at PD >= {}", name == std::string("recall") ? "defaults" : "predicted defaults",
                                   c.threshold);
        report.checks.push_back(std::move(row));
    };
    proportion_row("recall", cm.recall, c.recall);
    proportion_row("precision", cm.precision, c.precision);

    check b = judged("performance", "brier", score, brier, c.brier);
    b.details = field::make_table({{"n", s.size()}});
    report.checks.push_back(std::move(b));
}

void proxy_rows(const config& c, const csv_table& t, const std::string& score, report& report) {
    const auto s = t.column(score);
    const share_result hi = guarded(t.path, score, [&] { return share_above(s, c.high_risk_above, c.confidence); });
    const mean_result m = guarded(t.path, score, [&] { return mean_score(s, c.confidence); });
    const share_result ap = guarded(t.path, score, [&] { return share_below(s, c.approval_below, c.confidence); });
    auto band_row = [&](const char* name, double value, double lo, double hi_, const band_rule& r, field extra) {
        check row;
        row.section = "proxy";
        row.name = name;
        row.column = score;
        row.value = value;
        row.level = judge(r, value, std::pair{lo, hi_}).level;
        row.thresholds = to_field(r);
        row.details = std::move(extra);
        row.details.set("ci_lower", lo);
        row.details.set("ci_upper", hi_);
        if (row.level == r.near_edge && row.level != severity::ok) row.note = "inside the band, interval crosses its edge";
        report.checks.push_back(std::move(row));
    };
    band_row("high_risk_share", hi.share, hi.ci_lower, hi.ci_upper, c.high_risk_share,
             field::make_table({{"above", c.high_risk_above}, {"count", hi.count}, {"n", hi.n}, {"missing", hi.missing}, {"level", hi.level}}));
    band_row("mean_score", m.mean, m.ci_lower, m.ci_upper, c.mean_score,
             field::make_table({{"std_dev", m.std_dev}, {"n", m.n}, {"missing", m.missing}, {"level", m.level}}));
    band_row("approval_rate", ap.share, ap.ci_lower, ap.ci_upper, c.approval_rate,
             field::make_table({{"below", c.approval_below}, {"count", ap.count}, {"n", ap.n}, {"missing", ap.missing}, {"level", ap.level}}));
}

/// Reads both snapshots and adds the drift rows; returns the current table when `also` names
/// columns (score, label) the other checks need from it.
void drift_into(const config& c, const std::string& reference, const std::string& current, report& report,
                const std::vector<std::string>& current_extra, csv_table* current_out) {
    // Drift reads each file twice (header, then the chosen columns): a pipe cannot be re-read.
    for (const auto* path : {&reference, &current}) {
        std::error_code ec;
        const auto st = std::filesystem::status(*path, ec);
        if (!ec && (std::filesystem::is_fifo(st) || std::filesystem::is_character_file(st) ||
                    std::filesystem::is_socket(st)))
            throw cli_error(exit_code::no_input,
                            fmt::format("{}: not a regular file; drift and check read snapshots from files "
                                        "(write the stream to a file first)",
                                        *path));
    }
    const auto ref_header = read_snapshot_header(c, reference);
    const auto cur_header = read_snapshot_header(c, current);
    bool defaulted = false;
    const auto features = choose_features(c, ref_header, cur_header, defaulted);
    std::optional<std::string> score;
    if (c.score && contains(ref_header, *c.score) && contains(cur_header, *c.score)) score = c.score;
    if (!defaulted) {
        for (const auto& f : features) {
            for (const auto* h : {&ref_header, &cur_header}) {
                if (!contains(*h, f)) {
                    std::string have;
                    for (const auto& x : *h) have += (have.empty() ? "" : ", ") + x;
                    throw cli_error(exit_code::data, fmt::format("{}: no column \"{}\" (columns: {})",
                                                                 h == &ref_header ? reference : current, f, have));
                }
            }
        }
    }
    std::vector<std::string> required = defaulted ? std::vector<std::string>{} : features;
    std::vector<std::string> wanted = features;
    if (score && c.check_csi) {
        wanted.push_back(*score);
        required.push_back(*score);
    }
    field ref_input;
    reference_samples ref;
    {
        // Every reference column is needed only as a sample (sorted or counted).
        csv_table ref_table = load(c, reference, wanted, required, report, wanted);
        ref_input = input_json(ref_table);
        ref = prepare_reference(std::move(ref_table), c.csv.threads);
    } // the reference table is released here, before the current file is read
    std::vector<std::string> cur_wanted = wanted, cur_required = required;
    for (const auto& x : current_extra)
        if (!contains(cur_wanted, x)) {
            cur_wanted.push_back(x);
            cur_required.push_back(x);
        }
    // The current features are samples too, except the score (its CSI counts it as it is) and the
    // columns the caller reads afterwards in row order (current_extra).
    std::vector<std::string> cur_unordered;
    for (const auto& f : features)
        if (!(score && f == *score) && !contains(current_extra, f)) cur_unordered.push_back(f);
    csv_table cur = load(c, current, cur_wanted, cur_required, report, cur_unordered);
    // A default feature dropped from either file is dropped from both.
    std::vector<std::string> used;
    for (const auto& f : features)
        if (contains(ref.names, f) && contains(cur.names, f)) used.push_back(f);
    if (used.empty() && c.check_drift)
        report.notes.push_back("no numeric feature column present in both files: no PSI/KS checks");
    report.inputs.set("reference", std::move(ref_input));
    report.inputs.set("current", input_json(cur));
    // The unordered columns may be sorted in place; the score and the columns the caller reads
    // afterwards (current_extra) stay intact.
    if (c.check_drift) drift_rows(c, ref, cur, used, score, cur_unordered, report);
    else if (score && c.check_csi) drift_rows(c, ref, cur, {}, score, cur_unordered, report);
    if (current_out) *current_out = std::move(cur);
}

} // namespace

void apply(config& c, const overrides& o) {
    // Paths given on the command line are relative to the working directory, not to the
    // configuration file.
    auto from_cwd = [](const std::string& p) { return std::filesystem::absolute(p).lexically_normal().string(); };
    if (o.reference) c.reference = from_cwd(*o.reference);
    if (o.current) c.current = from_cwd(*o.current);
    if (!o.columns.empty()) c.features = o.columns;
    if (o.score) c.score = o.score->empty() ? std::nullopt : o.score;
    if (o.label) c.label = o.label->empty() ? std::nullopt : o.label;
    if (o.threshold) c.threshold = *o.threshold;
    if (o.delimiter) c.csv.delimiter = *o.delimiter;
    if (o.threads) c.csv.threads = *o.threads;
}

report run_drift_command(const config& c, const std::string& reference, const std::string& current) {
    report r;
    r.command = "drift";
    config cc = c;
    cc.check_drift = true;
    drift_into(cc, reference, current, r, {}, nullptr);
    return r;
}

report run_perf_command(const config& c, const std::string& data) {
    report r;
    r.command = "perf";
    const auto score = require_column(c.score, "score", "--score");
    const auto label = require_column(c.label, "label", "--label");
    const csv_table t = load(c, data, {score, label}, {score, label}, r);
    r.inputs.set("data", input_json(t));
    perf_rows(c, t, score, label, r);
    return r;
}

report run_proxy_command(const config& c, const std::string& data) {
    report r;
    r.command = "proxy";
    const auto score = require_column(c.score, "score", "--score");
    const csv_table t = load(c, data, {score}, {score}, r);
    r.inputs.set("data", input_json(t));
    proxy_rows(c, t, score, r);
    return r;
}

report run_check_command(const config& c) {
    report r;
    r.command = "check";
    if (!c.reference || !c.current)
        throw cli_error(exit_code::usage,
                        "check needs a reference and a current file: set [input] reference and current in the "
                        "configuration, or give --reference and --current");
    const std::string reference = c.resolve(*c.reference), current = c.resolve(*c.current);
    std::vector<std::string> extra;
    const bool want_score = c.check_performance || c.check_proxies;
    if (want_score) extra.push_back(require_column(c.score, "score", "--score or [columns] score"));
    if (c.check_performance) extra.push_back(require_column(c.label, "label", "--label or [columns] label"));
    csv_table cur;
    if (c.check_drift || c.check_csi) {
        drift_into(c, reference, current, r, extra, &cur);
    } else {
        cur = load(c, current, extra, extra, r);
        r.inputs.set("current", input_json(cur));
    }
    if (c.check_performance) perf_rows(c, cur, *c.score, *c.label, r);
    if (c.check_proxies) proxy_rows(c, cur, *c.score, r);
    return r;
}

} // namespace driftgate::cli
