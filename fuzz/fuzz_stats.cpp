// Fuzz target: the library's drift and performance statistics on samples decoded from the input.
//
// Input layout: byte 0 = bin count and threshold choice, byte 1 = where the value stream is split
// into the reference sample x and the current sample y, then records of (label byte, value):
//   value tag t:   0..63   small integer (t % 16) - 4           (heavy ties)
//                 64..127  next 2 bytes / 65536                  (probability-like, in [0, 1))
//                128..191  next 8 bytes as a raw double          (NaN payloads, subnormals, huge, inf)
//                192..255  a special value (NaN, ±inf, ±0, ±DBL_MAX, DBL_MIN, denorm_min, 1e±300, ...)
//   label byte b:  0xFF -> label 2 (bad), 0xFE -> NaN label (missing), else b & 1;
//                  weight (b >> 1) & 7 (zeros included)
// Each run calls PSI/CSI (every binning method), KS (every alternative and method), the
// chi-square test of homogeneity (from samples and from counts), the Jensen–Shannon and
// Wasserstein distances, the multiple-testing adjustments (of p and of ln p) over the run's
// p-values, AUC, the classifier KS, the ROC curve, DeLong (and summarize_roc) and the AUC
// comparisons, the confusion matrix, Brier, log loss, Murphy's decomposition, shares, means,
// quantiles and the Kolmogorov distributions, and checks invariants (ranges, symmetries, agreement
// of code paths: raw, sorted and counted samples give the same KS, PSI, chi-square and
// Wasserstein bit for bit). driftgate::error is the
// documented outcome for bad input, but only where the input is bad: each call states when it
// may throw. Anything else aborts.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include <driftgate/binning.hpp>
#include <driftgate/chi2.hpp>
#include <driftgate/classification.hpp>
#include <driftgate/distance.hpp>
#include <driftgate/kolmogorov.hpp>
#include <driftgate/ks.hpp>
#include <driftgate/multiple_testing.hpp>
#include <driftgate/proxy.hpp>
#include <driftgate/psi.hpp>
#include <driftgate/quantile.hpp>
#include <driftgate/roc.hpp>

namespace dg = driftgate;

namespace {

[[noreturn]] void fail(const char* what, double a = 0.0, double b = 0.0) {
    std::fprintf(stderr, "fuzz_stats: invariant violated: %s (%.17g, %.17g)\n", what, a, b);
    std::abort();
}
void ensure(bool ok, const char* what, double a = 0.0, double b = 0.0) {
    if (!ok) fail(what, a, b);
}
bool close(double a, double b, double rel, double abs = 0.0) {
    if (a == b) return true;
    return std::fabs(a - b) <= abs + rel * std::max(std::fabs(a), std::fabs(b));
}
bool prob(double p) { return p >= 0.0 && p <= 1.0; }
/// Same bit pattern, or both NaN.
bool same_bits(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}
bool same_doubles(std::span<const double> a, std::span<const double> b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_bits(a[i], b[i])) return false;
    return true;
}

/// ln p agrees with p: <= 0, not NaN; equal to log(p) (to 1e-9 relative) where p > 1e-300.
void check_log_p(double p, double log_p, const char* what) {
    ensure(prob(p), what, p, log_p);
    ensure(log_p <= 0.0 && !std::isnan(log_p), what, p, log_p);
    if (p > 1e-300) ensure(close(log_p, std::log(p), 1e-9, 1e-12), what, p, log_p);
}

/// Calls f; a driftgate::error is accepted only when `may_throw`. Returns whether f completed.
template <class F>
bool guarded(bool may_throw, const char* what, F&& f) {
    try {
        f();
        return true;
    } catch (const dg::error&) {
        if (!may_throw) fail(what);
        return false;
    }
}

constexpr double specials[] = {NAN,      INFINITY, -INFINITY,  0.0,     -0.0,       DBL_MAX,  -DBL_MAX,
                               DBL_MIN,  -DBL_MIN, 4.9406564584124654e-324, -4.9406564584124654e-324,
                               1e300,    -1e300,   1e-300,     0.5,     1.0,        1.0 - DBL_EPSILON / 2,
                               1.0 + DBL_EPSILON, 1e-17, 0.12,  0.2,  -1.0,       1e15,    9007199254740993.0};

struct decoded {
    std::vector<double> values, labels, weights;
};

decoded decode(const std::uint8_t* p, std::size_t n) {
    decoded d;
    std::size_t i = 0;
    while (i + 1 < n) {
        const std::uint8_t lb = p[i++];
        const std::uint8_t t = p[i++];
        double v;
        if (t < 64) {
            v = static_cast<double>(t % 16) - 4.0;
        } else if (t < 128) {
            if (i + 2 > n) break;
            v = static_cast<double>(p[i] | (p[i + 1] << 8)) / 65536.0;
            i += 2;
        } else if (t < 192) {
            if (i + 8 > n) break;
            std::memcpy(&v, p + i, 8);
            i += 8;
        } else {
            v = specials[(t - 192) % (sizeof specials / sizeof specials[0])];
        }
        d.values.push_back(v);
        d.labels.push_back(lb == 0xFF ? 2.0 : lb == 0xFE ? NAN : static_cast<double>(lb & 1));
        d.weights.push_back(static_cast<double>((lb >> 1) & 7));
    }
    return d;
}

std::size_t non_missing(std::span<const double> v) {
    return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [](double a) { return !std::isnan(a); }));
}

// ---- chi-square, distances, multiple testing ------------------------------------------------

void check_chi2(const dg::chi2_result& r, const char* what) {
    ensure(r.statistic >= 0.0 && !std::isnan(r.statistic), what, r.statistic);
    ensure(r.statistic_uncorrected >= 0.0 && !std::isnan(r.statistic_uncorrected), what, r.statistic_uncorrected);
    check_log_p(r.pvalue, r.log_pvalue, what);
    ensure(r.cramers_v >= 0.0 && r.cramers_v <= 1.0, "Cramer's V outside [0, 1]", r.cramers_v);
    ensure(r.categories >= 1 && r.dof == r.categories - 1, "chi2 dof != categories - 1", double(r.dof),
           double(r.categories));
    if (r.yates) ensure(r.dof == 1 && r.statistic <= r.statistic_uncorrected, "Yates' statistic above Pearson's",
                        r.statistic, r.statistic_uncorrected);
    else ensure(r.statistic == r.statistic_uncorrected, "chi2 statistic != uncorrected without Yates");
}

bool same_chi2(const dg::chi2_result& a, const dg::chi2_result& b) {
    return same_bits(a.statistic, b.statistic) && same_bits(a.statistic_uncorrected, b.statistic_uncorrected) &&
           same_bits(a.pvalue, b.pvalue) && same_bits(a.log_pvalue, b.log_pvalue) && same_bits(a.cramers_v, b.cramers_v) &&
           a.dof == b.dof && a.yates == b.yates && a.categories == b.categories;
}

bool same_wasserstein(const dg::wasserstein_result& a, const dg::wasserstein_result& b) {
    return same_bits(a.distance, b.distance) && same_bits(a.reference_std, b.reference_std) &&
           same_bits(a.normalized, b.normalized) && a.n_reference == b.n_reference && a.n_current == b.n_current &&
           a.missing_reference == b.missing_reference && a.missing_current == b.missing_current;
}

/// The 2 x k table of two sorted samples, built here independently of the library: one column per
/// distinct value of either sample (compared as doubles), by a plain two-pointer merge.
void table_of(const dg::sorted_sample& a, const dg::sorted_sample& b, std::vector<std::uint64_t>& ra,
              std::vector<std::uint64_t>& rb) {
    std::size_t i = 0, j = 0;
    const auto& va = a.values;
    const auto& vb = b.values;
    while (i < va.size() || j < vb.size()) {
        const double v = j == vb.size() || (i < va.size() && va[i] <= vb[j]) ? va[i] : vb[j];
        std::uint64_t ca = 0, cb = 0;
        for (; i < va.size() && va[i] == v; ++i) ++ca;
        for (; j < vb.size() && vb[j] == v; ++j) ++cb;
        ra.push_back(ca);
        rb.push_back(cb);
    }
}

/// Jensen–Shannon distance of two count vectors: range, symmetry, JS(p, p) = 0, invariance under
/// scaling the counts by 2^20, the same figure from the counts as doubles, the base.
void check_js(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    std::uint64_t sa = 0, sb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sa += a[i], sb += b[i];
    double js = 0.0;
    if (!guarded(sa == 0 || sb == 0, "jensen_shannon_distance threw on valid counts",
                 [&] { js = dg::jensen_shannon_distance(a, b); }))
        return;
    ensure(js >= 0.0 && js <= 1.0, "Jensen-Shannon distance outside [0, 1]", js);
    ensure(same_bits(dg::jensen_shannon_distance(b, a), js), "Jensen-Shannon distance not symmetric", js,
           dg::jensen_shannon_distance(b, a));
    ensure(dg::jensen_shannon_distance(a, a) == 0.0, "JS(p, p) != 0", dg::jensen_shannon_distance(a, a));
    std::vector<std::uint64_t> a20(a);
    for (auto& v : a20) v <<= 20;
    ensure(same_bits(dg::jensen_shannon_distance(a20, b), js), "JS changes when the counts are scaled by 2^20", js,
           dg::jensen_shannon_distance(a20, b));
    const std::vector<double> da(a.begin(), a.end()), db(b.begin(), b.end());
    const double jd = dg::jensen_shannon_distance(da, db);
    ensure(std::fabs(jd * jd - js * js) <= 1e-13, "JS of the counts as doubles differs", jd, js);
    const double je = dg::jensen_shannon_distance(a, b, std::exp(1.0));
    ensure(close(je, js * std::sqrt(std::log(2.0)), 1e-12, 1e-300), "JS in base e != JS in base 2 * sqrt(ln 2)", je, js);
    if (!a.empty()) {
        const std::vector<std::uint64_t> shorter(b.begin(), b.end() - 1);
        try {
            (void)dg::jensen_shannon_distance(a, shorter);
            fail("JS accepted counts of different lengths");
        } catch (const dg::error& e) {
            ensure(e.id() == dg::errc::length_mismatch, "JS: wrong error for different lengths");
        }
    }
}

/// Chi-square from samples (sorted, counted, raw table, swapped), Jensen–Shannon over the same
/// table, Wasserstein; the p-values found go to `family`.
void tests_and_distances(std::span<const double> x, std::span<const double> y, const dg::sorted_sample& sx,
                         const dg::sorted_sample& sy, const std::optional<dg::counted_sample>& cx,
                         const std::optional<dg::counted_sample>& cy, std::vector<double>& family) {
    const bool ok = !sx.empty() && !sy.empty();
    dg::chi2_result c;
    if (guarded(!ok, "chi2_homogeneity threw on non-empty samples", [&] { c = dg::chi2_homogeneity(sx, sy); })) {
        check_chi2(c, "chi2 of samples");
        family.push_back(c.pvalue);
        ensure(same_chi2(dg::chi2_homogeneity(sy, sx), c), "chi2 changes when the samples are swapped", c.statistic);
        if (cx) ensure(same_chi2(dg::chi2_homogeneity(*cx, sy), c), "chi2 counted/sorted differs");
        if (cy) ensure(same_chi2(dg::chi2_homogeneity(sx, *cy), c), "chi2 sorted/counted differs");
        if (cx && cy) ensure(same_chi2(dg::chi2_homogeneity(*cx, *cy), c), "chi2 counted/counted differs");
        std::vector<std::uint64_t> ra, rb;
        table_of(sx, sy, ra, rb);
        ensure(ra.size() == c.categories, "chi2: categories differ from the distinct values", double(ra.size()),
               double(c.categories));
        ensure(same_chi2(dg::chi2_homogeneity(ra, rb), c), "chi2 of the table differs from chi2 of the samples");
        const auto plain = dg::chi2_homogeneity(ra, rb, false);
        check_chi2(plain, "chi2 without Yates");
        // Counts times 2^30: the uncorrected statistic scales by 2^30, V does not change.
        std::vector<std::uint64_t> ra30(ra), rb30(rb);
        for (auto& v : ra30) v <<= 30;
        for (auto& v : rb30) v <<= 30;
        const auto big = dg::chi2_homogeneity(ra30, rb30, false);
        check_chi2(big, "chi2 of counts times 2^30");
        ensure(close(big.statistic, plain.statistic * 0x1p30, 1e-12, 1e-300), "chi2 does not scale with the counts",
               big.statistic, plain.statistic);
        ensure(close(big.cramers_v, plain.cramers_v, 1e-12, 1e-300), "Cramer's V changes with the scale of the counts",
               big.cramers_v, plain.cramers_v);
        check_js(ra, rb);
    }
    dg::wasserstein_result w;
    if (!guarded(!ok, "wasserstein_distance threw on non-empty samples", [&] { w = dg::wasserstein_distance(sx, sy); }))
        return;
    ensure(w.distance >= 0.0 && !std::isnan(w.distance), "Wasserstein distance < 0 or NaN", w.distance);
    ensure(w.reference_std >= 0.0 && !std::isnan(w.reference_std), "reference std < 0 or NaN", w.reference_std);
    // normalized: NaN exactly where a finite distance meets an infinite deviation (no scale), else >= 0
    const bool undefined = std::isinf(w.reference_std) && w.distance > 0.0 && std::isfinite(w.distance);
    ensure(std::isnan(w.normalized) == undefined, "normalized Wasserstein NaN where defined, or defined where not", w.normalized);
    ensure(undefined || w.normalized >= 0.0, "normalized Wasserstein < 0", w.normalized);
    ensure(w.n_reference == sx.size() && w.n_current == sy.size() && w.missing_reference == sx.missing &&
               w.missing_current == sy.missing,
           "Wasserstein sizes");
    const auto back = dg::wasserstein_distance(sy, sx);
    ensure(same_bits(back.distance, w.distance), "Wasserstein distance not symmetric", w.distance, back.distance);
    ensure(dg::wasserstein_distance(sx, sx).distance == 0.0, "W(x, x) != 0");
    ensure(same_wasserstein(dg::wasserstein_distance(x, y), w), "Wasserstein raw and sorted overloads differ");
    if (cx) ensure(same_wasserstein(dg::wasserstein_distance(*cx, sy), w), "Wasserstein counted/sorted differs");
    if (cy) ensure(same_wasserstein(dg::wasserstein_distance(sx, *cy), w), "Wasserstein sorted/counted differs");
    if (cx && cy) ensure(same_wasserstein(dg::wasserstein_distance(*cx, *cy), w), "Wasserstein counted/counted differs");
    // +inf exactly when the samples hold different shares of -inf or +inf, or the distance is beyond
    // DBL_MAX (then the finite values span more than DBL_MAX).
    auto share_differs = [&](double v) {
        const auto nx = static_cast<std::uint64_t>(std::count(sx.values.begin(), sx.values.end(), v));
        const auto ny = static_cast<std::uint64_t>(std::count(sy.values.begin(), sy.values.end(), v));
        return static_cast<dg::detail::uint128>(nx) * sy.size() != static_cast<dg::detail::uint128>(ny) * sx.size();
    };
    const bool inf_share = share_differs(-INFINITY) || share_differs(INFINITY);
    if (inf_share) ensure(w.distance == INFINITY, "Wasserstein finite although the shares of an infinity differ", w.distance);
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* s : {&sx, &sy})
        for (const double v : s->values)
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (w.distance == INFINITY && !inf_share)
        ensure(hi / 2 - lo / 2 > DBL_MAX / 4, "Wasserstein +inf over a finite range within DBL_MAX", lo, hi);
    if (std::isfinite(w.distance) && hi >= lo)
        ensure(w.distance / 2 <= (hi / 2 - lo / 2) * (1 + 1e-12), "Wasserstein distance beyond the range of the values",
               w.distance, hi - lo);
    // normalized: 0 for no distance, +inf over a zero std (NaN checked above)
    if (w.distance == 0.0) ensure(w.normalized == 0.0, "normalized != 0 at distance 0", w.normalized);
    else if (w.reference_std == 0.0) ensure(w.normalized == INFINITY, "normalized finite over a zero std", w.normalized);
}

/// Adjusted p-values (and ln p) of a family: within [0, 1] (ln p <= 0), at least the raw value,
/// in the raw values' order (ties kept equal), the ln p form agreeing with the p form.
void multiple_testing(const std::vector<double>& family) {
    const dg::correction methods[] = {dg::correction::none, dg::correction::bonferroni, dg::correction::holm,
                                      dg::correction::bh};
    std::vector<double> logs(family.size());
    double smallest = 1.0;
    for (std::size_t i = 0; i < family.size(); ++i) {
        logs[i] = std::log(family[i]); // -inf for p = 0
        smallest = std::min(smallest, family[i]);
    }
    for (const auto m : methods) {
        const auto adj = dg::adjust_pvalues(family, m);
        const auto adj_log = dg::adjust_log_pvalues(logs, m);
        ensure(adj.size() == family.size() && adj_log.size() == family.size(), "adjusted family sizes");
        for (std::size_t i = 0; i < family.size(); ++i) {
            ensure(prob(adj[i]), "adjusted p outside [0, 1]", adj[i]);
            ensure(adj[i] >= family[i], "adjusted p below the raw p", adj[i], family[i]);
            ensure(adj_log[i] <= 0.0 && !std::isnan(adj_log[i]), "adjusted ln p > 0 or NaN", adj_log[i]);
            ensure(adj_log[i] >= logs[i], "adjusted ln p below the raw ln p", adj_log[i], logs[i]);
            if (m == dg::correction::none)
                ensure(adj[i] == family[i] && same_bits(adj_log[i], logs[i]), "correction none changed a value");
            if (smallest >= 1e-300) // exp(ln p) normal throughout: the two forms agree to rounding
                ensure(close(std::exp(adj_log[i]), adj[i], 1e-12 * std::max(1.0, -std::log(smallest)), 1e-300),
                       "adjusted ln p disagrees with the adjusted p", std::exp(adj_log[i]), adj[i]);
        }
        for (std::size_t i = 0; i < family.size(); ++i)
            for (std::size_t j = 0; j < family.size(); ++j) {
                if (family[i] < family[j])
                    ensure(adj[i] <= adj[j], "adjusted p-values out of the raw order", adj[i], adj[j]);
                if (family[i] == family[j]) ensure(adj[i] == adj[j], "tied p-values adjusted apart", adj[i], adj[j]);
                if (logs[i] < logs[j])
                    ensure(adj_log[i] <= adj_log[j], "adjusted ln p out of the raw order", adj_log[i], adj_log[j]);
            }
    }
}

/// adjust_pvalues on values taken as p-values as they are: an error exactly when one is NaN or
/// outside [0, 1].
void raw_pvalues(std::span<const double> v) {
    const std::size_t k = std::min<std::size_t>(v.size(), 64);
    const std::vector<double> p(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k));
    const bool bad = std::any_of(p.begin(), p.end(), [](double q) { return !(q >= 0.0 && q <= 1.0); });
    for (const auto m : {dg::correction::bonferroni, dg::correction::holm, dg::correction::bh})
        guarded(bad, "adjust_pvalues threw on p-values in [0, 1]", [&] {
            (void)dg::adjust_pvalues(p, m);
            ensure(!bad, "adjust_pvalues accepted a NaN or a value outside [0, 1]");
        });
}

// ---- drift -----------------------------------------------------------------------------------

void check_binning(const dg::binning& b) {
    for (std::size_t i = 0; i < b.inner.size(); ++i) {
        ensure(std::isfinite(b.inner[i]), "a bin edge is not finite", b.inner[i]);
        if (i > 0) ensure(b.inner[i] > b.inner[i - 1], "bin edges not strictly increasing", b.inner[i - 1], b.inner[i]);
    }
}

void check_psi(const dg::psi_result& r, std::size_t nx, std::size_t ny) {
    ensure(std::isfinite(r.value) && r.value >= 0.0, "PSI not finite and >= 0", r.value);
    ensure(r.reference_n == nx && r.current_n == ny, "PSI sample sizes");
    std::size_t sr = 0, sc = 0;
    double total = 0.0;
    for (const auto& b : r.bins) {
        sr += b.reference_count;
        sc += b.current_count;
        ensure(b.contribution >= 0.0 && std::isfinite(b.contribution), "a PSI term < 0 or not finite", b.contribution);
        ensure(prob(b.reference_share) && prob(b.current_share), "a PSI share outside [0, 1]");
        total += b.contribution;
    }
    ensure(sr == nx && sc == ny, "bin counts do not sum to n (missing included)", double(sr), double(sc));
    ensure(close(total, r.value, 1e-12, 1e-300), "PSI != sum of its terms", total, r.value);
}

void drift(std::span<const double> x, std::span<const double> y, std::size_t bins) {
    const auto sx = dg::sort_sample(x);
    const auto sy = dg::sort_sample(y);
    const bool x_ok = !sx.empty(), y_ok = !sy.empty();
    // Counted forms (at most 256 distinct values); their expansions are the sorted samples.
    const auto cx_counted = dg::count_sample(x), cy_counted = dg::count_sample(y);
    for (const auto& [c, sorted] : {std::pair{&cx_counted, &sx}, std::pair{&cy_counted, &sy}}) {
        if (!*c) continue;
        const auto e = (*c)->expand();
        ensure(e.missing == sorted->missing && same_doubles(e.values, sorted->values),
               "count_sample: the expansion is not the sorted sample");
    }

    // PSI / CSI, every method.
    std::vector<dg::binning_options> methods;
    for (auto m : {dg::binning_method::automatic, dg::binning_method::quantile, dg::binning_method::uniform,
                   dg::binning_method::distinct}) {
        dg::binning_options o;
        o.method = m;
        o.bins = bins;
        methods.push_back(o);
    }
    {
        dg::binning_options o; // explicit edges: the distinct finite values of y
        o.method = dg::binning_method::edges;
        for (double v : sy.values)
            if (std::isfinite(v) && (o.edges.empty() || v > o.edges.back())) o.edges.push_back(v);
        const bool edges_ok = o.edges.size() >= 2;
        guarded(!edges_ok, "learn_bins rejected valid edges", [&] {
            const auto b = dg::learn_bins(sx, o);
            check_binning(b);
            ensure(b.value_bins() == o.edges.size() - 1, "edge binning: wrong bin count");
        });
    }
    for (const auto& o : methods) {
        dg::psi_reference ref;
        if (!guarded(!x_ok, "prepare_psi_reference threw on a non-empty reference",
                     [&] { ref = dg::prepare_psi_reference(sx, o); }))
            continue;
        check_binning(ref.bins);
        if (o.method == dg::binning_method::distinct) {
            std::size_t distinct = 0;
            for (std::size_t i = 0; i < sx.values.size(); ++i)
                if (std::isfinite(sx.values[i]) && (i == 0 || sx.values[i] != sx.values[i - 1])) ++distinct;
            ensure(ref.bins.value_bins() == std::max<std::size_t>(distinct, 1), "distinct binning: wrong bin count",
                   double(ref.bins.value_bins()), double(distinct));
        }
        // The sorted and the raw counting paths agree.
        const auto c1 = dg::count_bins(ref.bins, sy);
        const auto c2 = dg::count_bins(ref.bins, y);
        ensure(c1.counts == c2.counts && c1.n == c2.n, "count_bins: sorted and raw counts differ");
        const auto cx = dg::count_bins(ref.bins, x);
        ensure(cx.counts == ref.counts.counts, "count_bins: raw reference counts differ from the prepared ones");

        dg::psi_result p;
        if (guarded(y.empty(), "psi threw on valid samples", [&] { p = dg::psi(ref, sy); })) {
            check_psi(p, x.size(), y.size());
            const auto q = dg::psi(ref, y);
            ensure(q.value == p.value, "psi: sorted and raw current samples differ", p.value, q.value);
            const auto c = dg::csi(ref, sy);
            ensure(c.value == p.value && c.kind == dg::stability_index::csi, "csi != psi", c.value, p.value);
        }
        const auto self = dg::psi(ref, sx);
        check_psi(self, x.size(), x.size());
        ensure(self.value == 0.0, "PSI(x, x) != 0", self.value);
        // A counted reference gives the same bins and counts, a counted current sample the same PSI.
        if (cx_counted) {
            const auto cref = dg::prepare_psi_reference(*cx_counted, o);
            ensure(same_doubles(cref.bins.inner, ref.bins.inner) && cref.bins.method == ref.bins.method &&
                       cref.counts.counts == ref.counts.counts && cref.counts.n == ref.counts.n,
                   "counted reference: bins or counts differ from the sorted one");
        }
        if (cy_counted) {
            const auto c3 = dg::count_bins(ref.bins, *cy_counted);
            ensure(c3.counts == c1.counts && c3.n == c1.n, "count_bins: counted and sorted counts differ");
        }
    }

    // KS: every alternative and method; swaps. Their p-values join the family adjusted below.
    std::vector<double> family;
    const bool ks_ok = x_ok && y_ok;
    for (auto alt : {dg::alternative::two_sided, dg::alternative::less, dg::alternative::greater}) {
        for (auto meth : {dg::ks_method::automatic, dg::ks_method::exact, dg::ks_method::asymptotic}) {
            dg::ks_result r;
            if (!guarded(!ks_ok, "ks_2samp threw on non-empty samples",
                         [&] { r = dg::ks_2samp(sx, sy, {alt, meth}); }))
                continue;
            ensure(r.statistic >= 0.0 && r.statistic <= 1.0, "KS D outside [0, 1]", r.statistic);
            ensure(prob(r.pvalue), "KS p outside [0, 1]", r.pvalue);
            ensure(r.log_pvalue <= 0.0 && !std::isnan(r.log_pvalue), "KS ln p > 0 or NaN", r.log_pvalue);
            if (r.pvalue >= 1e-280)
                ensure(close(r.log_pvalue, std::log(r.pvalue), 1e-9, 1e-12), "KS ln p != log(p)", r.log_pvalue,
                       r.pvalue);
            else
                ensure(r.log_pvalue <= std::log(1e-280) + 1e-6, "KS ln p too large for a tiny p", r.log_pvalue,
                       r.pvalue);
            ensure(r.n1 + r.missing1 == x.size() && r.n2 + r.missing2 == y.size(), "KS sizes");
            ensure(r.method != dg::ks_method::automatic, "KS reports method automatic");
            // Swapping the samples: two-sided unchanged, less <-> greater.
            const auto swapped_alt = alt == dg::alternative::less      ? dg::alternative::greater
                                     : alt == dg::alternative::greater ? dg::alternative::less
                                                                       : alt;
            const auto s = dg::ks_2samp(sy, sx, {swapped_alt, meth});
            ensure(s.statistic == r.statistic, "KS D changes when the samples are swapped", r.statistic, s.statistic);
            ensure(close(s.pvalue, r.pvalue, 1e-9, 1e-300), "KS p changes when the samples are swapped", r.pvalue,
                   s.pvalue);
            // Raw-span overload agrees with the sorted one.
            const auto raw = dg::ks_2samp(x, y, dg::ks_options{alt, meth});
            ensure(raw.statistic == r.statistic && raw.pvalue == r.pvalue, "KS raw and sorted overloads differ");
            // Counted samples agree with the sorted ones, bit for bit.
            auto same_ks = [&](const dg::ks_result& k) {
                return same_bits(k.statistic, r.statistic) && same_bits(k.pvalue, r.pvalue) &&
                       same_bits(k.log_pvalue, r.log_pvalue) && same_bits(k.location, r.location) && k.sign == r.sign &&
                       k.method == r.method && k.n1 == r.n1 && k.n2 == r.n2;
            };
            if (cx_counted) ensure(same_ks(dg::ks_2samp(*cx_counted, sy, {alt, meth})), "KS counted/sorted differs");
            if (cy_counted) ensure(same_ks(dg::ks_2samp(sx, *cy_counted, {alt, meth})), "KS sorted/counted differs");
            if (cx_counted && cy_counted)
                ensure(same_ks(dg::ks_2samp(*cx_counted, *cy_counted, {alt, meth})), "KS counted/counted differs");
            family.push_back(r.pvalue);
        }
    }

    // Chi-square, Jensen–Shannon, Wasserstein; then the run's p-values adjusted together, and
    // the decoded values themselves as p-values (mapped into [0, 1], and as they are).
    tests_and_distances(x, y, sx, sy, cx_counted, cy_counted, family);
    for (const auto* s : {&x, &y})
        for (std::size_t i = 0; i < s->size() && i < 32; ++i) {
            const double v = std::fabs((*s)[i]);
            family.push_back(std::isnan(v) ? 0.5 : v <= 1.0 ? v : 1.0 / v);
        }
    multiple_testing(family);
    raw_pvalues(x);
}

// ---- performance -----------------------------------------------------------------------------

void performance(const decoded& d, double threshold) {
    const auto& s = d.values;
    const auto& y = d.labels;
    const auto& w = d.weights;
    const bool any_nan_score = std::any_of(s.begin(), s.end(), [](double v) { return std::isnan(v); });
    const bool bad_labels = std::any_of(y.begin(), y.end(), [](double v) { return !(v == 0.0 || v == 1.0); });
    const std::size_t npos = static_cast<std::size_t>(std::count(y.begin(), y.end(), 1.0));
    const std::size_t nneg = static_cast<std::size_t>(std::count(y.begin(), y.end(), 0.0));
    const bool valid = !s.empty() && !any_nan_score && !bad_labels;
    const bool two_classes = valid && npos > 0 && nneg > 0;

    dg::auc_result auc;
    if (guarded(!two_classes, "roc_auc threw on valid input", [&] { auc = dg::roc_auc(s, y); })) {
        ensure(prob(auc.auc), "AUC outside [0, 1]", auc.auc);
        ensure(auc.gini == 2.0 * auc.auc - 1.0, "Gini != 2 AUC - 1");
        std::vector<double> neg(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) neg[i] = -s[i];
        const auto a2 = dg::roc_auc(neg, y);
        ensure(close(a2.auc, 1.0 - auc.auc, 0.0, 1e-12), "AUC(-s) != 1 - AUC(s)", a2.auc, auc.auc);
        std::vector<double> tied(s.size(), 0.25);
        ensure(dg::roc_auc(tied, y).auc == 0.5, "all scores tied: AUC != 0.5");

        const auto ks = dg::classifier_ks(s, y);
        ensure(prob(ks.statistic) && prob(ks.tpr) && prob(ks.fpr), "classifier KS outside [0, 1]", ks.statistic);
        ensure(close(ks.statistic, ks.tpr - ks.fpr, 0.0, 1e-15), "classifier KS != TPR - FPR");

        const auto roc = dg::roc_curve(s, y);
        ensure(roc.fpr.size() == roc.tpr.size() && roc.tpr.size() == roc.thresholds.size(), "ROC sizes");
        for (std::size_t i = 1; i < roc.fpr.size(); ++i) {
            ensure(roc.fpr[i] >= roc.fpr[i - 1] && roc.tpr[i] >= roc.tpr[i - 1], "ROC curve not monotone");
            ensure(!(roc.thresholds[i] > roc.thresholds[i - 1]), "ROC thresholds not descending");
        }
        ensure(roc.fpr.back() == 1.0 && roc.tpr.back() == 1.0, "ROC curve does not end at (1, 1)");

        // Unit weights give the unweighted AUC.
        std::vector<double> ones(s.size(), 1.0);
        const auto aw = dg::roc_auc(s, y, ones);
        ensure(close(aw.auc, auc.auc, 1e-12), "AUC with unit weights differs", aw.auc, auc.auc);
    }
    // Weighted: valid when both classes keep some positive weight.
    double wpos = 0, wneg = 0;
    for (std::size_t i = 0; i < s.size(); ++i) (y[i] == 1.0 ? wpos : wneg) += y[i] == 1.0 || y[i] == 0.0 ? w[i] : 0.0;
    guarded(!(valid && wpos > 0 && wneg > 0), "weighted roc_auc threw on valid input", [&] {
        const auto a = dg::roc_auc(s, y, w);
        ensure(prob(a.auc), "weighted AUC outside [0, 1]", a.auc);
        const auto k = dg::classifier_ks(s, y, w);
        ensure(prob(k.statistic), "weighted classifier KS outside [0, 1]", k.statistic);
    });

    // DeLong (needs 2 of each class).
    const bool delong_ok = valid && npos >= 2 && nneg >= 2;
    guarded(!delong_ok, "delong threw on valid input", [&] {
        const auto r = dg::delong(s, y);
        ensure(r.auc == auc.auc, "DeLong AUC != roc_auc", r.auc, auc.auc);
        const auto sum = dg::summarize_roc(s, y);
        const auto k = dg::classifier_ks(s, y);
        ensure(sum.delong.auc == r.auc && sum.delong.variance == r.variance && sum.ks.statistic == k.statistic &&
                   same_bits(sum.ks.threshold, k.threshold) && sum.ks.tpr == k.tpr && sum.ks.fpr == k.fpr,
               "summarize_roc differs from delong / classifier_ks", sum.delong.variance, r.variance);
        dg::roc_classes split = dg::split_classes(s, y);
        const auto halves = dg::summarize_roc(dg::sort_sample(std::move(split.positives)),
                                              dg::sort_sample(std::move(split.negatives)));
        ensure(halves.delong.auc == sum.delong.auc && halves.delong.variance == sum.delong.variance &&
                   halves.ks.statistic == sum.ks.statistic && same_bits(halves.ks.threshold, sum.ks.threshold) &&
                   halves.ks.tpr == sum.ks.tpr && halves.ks.fpr == sum.ks.fpr,
               "summarize_roc of the sorted classes differs from summarize_roc of the rows", halves.delong.variance,
               sum.delong.variance);
        ensure(std::isfinite(r.variance) && r.variance >= 0.0, "DeLong variance < 0 or not finite", r.variance);
        ensure(prob(r.ci_lower) && prob(r.ci_upper) && r.ci_lower <= r.auc && r.auc <= r.ci_upper,
               "DeLong interval", r.ci_lower, r.ci_upper);
        const auto same = dg::compare_auc_paired(s, s, y);
        ensure(same.difference == 0.0 && same.pvalue == 1.0, "paired comparison of a score with itself",
               same.difference, same.pvalue);
        std::vector<double> neg(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) neg[i] = -s[i];
        const auto c = dg::compare_auc_paired(s, neg, y);
        ensure(prob(c.pvalue) && !std::isnan(c.z), "paired comparison p outside [0, 1] or z NaN", c.pvalue, c.z);
        const auto u = dg::compare_auc_unpaired(s, y, neg, y);
        ensure(prob(u.pvalue) && !std::isnan(u.z), "unpaired comparison p outside [0, 1] or z NaN", u.pvalue, u.z);
    });

    // Confusion matrix.
    guarded(!valid, "confusion_at threw on valid input", [&] {
        const auto c = dg::confusion_at(s, y, threshold);
        ensure(c.tp + c.fp + c.tn + c.fn == static_cast<double>(s.size()), "confusion counts do not sum to n");
        for (const auto* e : {&c.recall, &c.precision, &c.specificity, &c.accuracy}) {
            ensure(prob(e->ci_lower) && prob(e->ci_upper) && prob(e->value), "a proportion outside [0, 1]");
            if (e->defined)
                ensure(e->ci_lower <= e->value && e->value <= e->ci_upper, "Wilson interval misses its estimate",
                       e->ci_lower, e->ci_upper);
        }
        if (c.f1) ensure(prob(*c.f1), "F1 outside [0, 1]", *c.f1);
    });

    // Probability scores: raw values (may be outside [0, 1]) and the same values clipped.
    const bool probs_ok = std::all_of(s.begin(), s.end(), [](double v) { return v >= 0.0 && v <= 1.0; });
    guarded(!(probs_ok && valid), "brier_score threw on valid input", [&] { (void)dg::brier_score(s, y); });
    if (!s.empty() && !bad_labels) {
        std::vector<double> p(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) p[i] = std::isnan(s[i]) ? 0.5 : std::clamp(s[i], 0.0, 1.0);
        const double b = dg::brier_score(p, y);
        ensure(prob(b), "Brier outside [0, 1]", b);
        const double ll = dg::log_loss(p, y);
        ensure(std::isfinite(ll) && ll >= 0.0 && ll <= 36.05, "log loss outside [0, -log eps]", ll);
        const auto m = dg::murphy_decomposition(p, y, 1 + static_cast<std::size_t>(threshold * 20));
        ensure(close(m.brier, b, 1e-12, 1e-15), "Murphy's Brier != brier_score", m.brier, b);
        ensure(m.reliability >= 0.0 && m.resolution >= 0.0 && m.uncertainty >= 0.0 && m.uncertainty <= 0.25,
               "Murphy components out of range", m.reliability, m.resolution);
        ensure(std::isfinite(m.within_bin), "Murphy within-bin term not finite", m.within_bin);
    }

    // Proxies.
    const std::size_t nm = non_missing(s);
    guarded(nm == 0, "share_above threw with values present", [&] {
        const auto a = dg::share_above(s, threshold);
        const auto b = dg::share_below(s, threshold);
        ensure(a.n == nm && a.n + a.missing == s.size(), "share sizes");
        ensure(prob(a.share) && a.ci_lower <= a.share && a.share <= a.ci_upper && prob(a.ci_lower) &&
                   prob(a.ci_upper),
               "share interval", a.ci_lower, a.ci_upper);
        ensure(a.count + b.count <= a.n, "shares above and below overlap");
    });
    const bool any_inf = std::any_of(s.begin(), s.end(), [](double v) { return std::isinf(v); });
    guarded(nm == 0 || any_inf, "mean_score threw on finite values", [&] {
        const auto m = dg::mean_score(s);
        double lo = INFINITY, hi = -INFINITY;
        for (double v : s)
            if (!std::isnan(v)) lo = std::min(lo, v), hi = std::max(hi, v);
        ensure(m.mean >= lo && m.mean <= hi, "mean outside [min, max]", m.mean);
        ensure(!std::isnan(m.std_dev) && m.std_dev >= 0.0, "std dev NaN or < 0", m.std_dev);
        ensure(m.ci_lower <= m.mean && m.mean <= m.ci_upper, "t interval misses the mean", m.ci_lower, m.ci_upper);
    });
    guarded(nm == 0, "latency_quantiles threw with values present", [&] {
        const auto q = dg::latency_quantiles(s);
        ensure(q.p50 <= q.p95 && q.p95 <= q.p99, "quantiles not ordered", q.p50, q.p99);
    });
    guarded(nm == 0 || bad_labels, "event_rate threw on 0/1 flags", [&] {
        std::vector<double> flags(y.begin(), y.end());
        const auto e = dg::event_rate(flags);
        ensure(prob(e.share), "event rate outside [0, 1]", e.share);
    });
}

// ---- Kolmogorov distributions ----------------------------------------------------------------

void distributions(std::span<const double> v) {
    // Two (n, x) pairs per input: n in 1..200 from a finite value, or for a negative value one of
    // the large sizes (other regions of the algorithms); x as decoded (any double).
    static constexpr std::uint64_t large[] = {141, 1000, 100000, 1000001, 10000000, std::uint64_t{1} << 40};
    for (std::size_t i = 0; i + 1 < v.size() && i < 4; i += 2) {
        const double x = v[i + 1];
        const double a = std::fabs(v[i]);
        const double r = std::isfinite(a) ? std::fmod(a, 1e6) : 0.0;
        std::uint64_t n = 1 + static_cast<std::uint64_t>(std::fmod(r * 97.0, 200.0));
        if (v[i] < 0) n = large[n % 6];
        const bool nan = std::isnan(x);
        guarded(nan, "kolmogorov_sf threw", [&] {
            const double sf = dg::kolmogorov_sf(n, x), cdf = dg::kolmogorov_cdf(n, x), lsf = dg::kolmogorov_logsf(n, x);
            ensure(prob(sf) && prob(cdf), "kolmogorov sf/cdf outside [0, 1]", sf, cdf);
            ensure(lsf <= 0.0 && !std::isnan(lsf), "kolmogorov logsf > 0 or NaN", lsf);
            ensure(close(sf + cdf, 1.0, 0.0, 2e-6), "kolmogorov sf + cdf != 1", sf, cdf);
            if (sf >= 1e-280) ensure(close(lsf, std::log(sf), 1e-9, 1e-12), "kolmogorov logsf != log(sf)", lsf, sf);
        });
        guarded(nan, "smirnov_sf threw", [&] {
            const double sf = dg::smirnov_sf(n, x), cdf = dg::smirnov_cdf(n, x), lsf = dg::smirnov_logsf(n, x);
            ensure(prob(sf) && prob(cdf), "smirnov sf/cdf outside [0, 1]", sf, cdf);
            ensure(lsf <= 0.0 && !std::isnan(lsf), "smirnov logsf > 0 or NaN", lsf);
            ensure(close(sf + cdf, 1.0, 0.0, 1e-12), "smirnov sf + cdf != 1", sf, cdf);
            if (sf >= 1e-280) ensure(close(lsf, std::log(sf), 1e-9, 1e-12), "smirnov logsf != log(sf)", lsf, sf);
        });
        guarded(nan, "kolmogorov_limit_sf threw", [&] {
            const double sf = dg::kolmogorov_limit_sf(x), cdf = dg::kolmogorov_limit_cdf(x);
            const double lsf = dg::kolmogorov_limit_logsf(x);
            ensure(prob(sf) && prob(cdf), "kolmogorov_limit sf/cdf outside [0, 1]", sf, cdf);
            ensure(lsf <= 0.0 && !std::isnan(lsf), "kolmogorov_limit logsf > 0 or NaN", lsf);
            ensure(close(sf + cdf, 1.0, 0.0, 1e-12), "kolmogorov_limit sf + cdf != 1", sf, cdf);
        });
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t bins = 1 + data[0] % 16;
    const double threshold = static_cast<double>(data[0] >> 4) / 15.0;
    const decoded d = decode(data + 2, size - 2);
    const std::size_t split = d.values.size() * data[1] / 255;
    const std::span<const double> all(d.values);
    drift(all.first(split), all.subspan(split), bins);
    performance(d, threshold);
    distributions(all);
    return 0;
}
