// driftgate Python bindings — the statistics on numpy arrays: KS, PSI/CSI, chi-square,
// Jensen–Shannon, Wasserstein, ROC AUC, DeLong, classifier KS, Brier, log loss and the proxies.
// Float64 contiguous arrays are read in place; the GIL is released while the library computes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include <driftgate/chi2.hpp>
#include <driftgate/classification.hpp>
#include <driftgate/distance.hpp>
#include <driftgate/ks.hpp>
#include <driftgate/proxy.hpp>
#include <driftgate/psi.hpp>
#include <driftgate/roc.hpp>

#include "common.hpp"

namespace driftgate::python {
namespace {

alternative parse_alternative(const std::string& s) {
    if (s == "two-sided" || s == "two_sided") return alternative::two_sided;
    if (s == "less") return alternative::less;
    if (s == "greater") return alternative::greater;
    throw driftgate::error(errc::invalid_parameter, "ks_2samp", "alternative must be 'two-sided', 'less' or 'greater', not '" + s + "'");
}

const char* alternative_name(alternative a) {
    return a == alternative::two_sided ? "two-sided" : a == alternative::less ? "less" : "greater";
}

ks_method parse_method(const std::string& s) {
    if (s == "auto") return ks_method::automatic;
    if (s == "exact") return ks_method::exact;
    if (s == "asymp" || s == "asymptotic") return ks_method::asymptotic;
    throw driftgate::error(errc::invalid_parameter, "ks_2samp", "method must be 'auto', 'exact' or 'asymp', not '" + s + "'");
}

binning_method parse_binning(const std::string& s) {
    if (s == "auto") return binning_method::automatic;
    if (s == "quantile") return binning_method::quantile;
    if (s == "uniform") return binning_method::uniform;
    if (s == "edges") return binning_method::edges;
    if (s == "distinct") return binning_method::distinct;
    throw driftgate::error(errc::invalid_parameter, "psi",
                           "binning must be 'auto', 'quantile', 'uniform', 'edges' or 'distinct', not '" + s + "'");
}

binning_options bin_options(const std::string& binning, std::size_t bins, std::size_t max_distinct,
                            const std::optional<std::vector<double>>& edges) {
    binning_options o;
    o.method = edges && binning == "auto" ? binning_method::edges : parse_binning(binning);
    o.bins = bins;
    o.max_distinct = max_distinct;
    if (edges) o.edges = *edges;
    return o;
}

py::dict bin_dict(const psi_bin& b) {
    py::dict d;
    d["lower"] = b.lower;
    d["upper"] = b.upper;
    d["missing"] = b.missing;
    d["unseen"] = b.unseen;
    d["is_value"] = b.is_value;
    d["category"] = b.category;
    d["reference_count"] = b.reference_count;
    d["current_count"] = b.current_count;
    d["reference_share"] = b.reference_share;
    d["current_share"] = b.current_share;
    d["contribution"] = b.contribution;
    return d;
}

/// Scores, labels and optional weights as spans of one length (the library checks the lengths).
struct scored {
    f64_array scores, labels;
    std::optional<f64_array> weights;
};

} // namespace

void bind_stats(py::module_& m) {
    py::class_<ks_result>(m, "KSResult", "Two-sample Kolmogorov–Smirnov test (scipy.stats.ks_2samp's fields plus log_pvalue)")
        .def_readonly("statistic", &ks_result::statistic)
        .def_readonly("pvalue", &ks_result::pvalue)
        .def_readonly("log_pvalue", &ks_result::log_pvalue)
        .def_property_readonly("statistic_location", [](const ks_result& r) { return r.location; })
        .def_property_readonly("statistic_sign", [](const ks_result& r) { return r.sign; })
        .def_property_readonly("method", [](const ks_result& r) { return r.method == ks_method::exact ? "exact" : "asymp"; })
        .def_readonly("fell_back", &ks_result::fell_back)
        .def_readonly("n1", &ks_result::n1)
        .def_readonly("n2", &ks_result::n2)
        .def_readonly("missing1", &ks_result::missing1)
        .def_readonly("missing2", &ks_result::missing2)
        .def_property_readonly("alternative", [](const ks_result& r) { return alternative_name(r.alt); })
        .def("__repr__", [](const ks_result& r) {
            return "KSResult(statistic=" + py::repr(py::float_(r.statistic)).cast<std::string>() +
                   ", pvalue=" + py::repr(py::float_(r.pvalue)).cast<std::string>() +
                   ", log_pvalue=" + py::repr(py::float_(r.log_pvalue)).cast<std::string>() + ")";
        });

    m.def(
        "ks_2samp",
        [](const f64_array& ref, const f64_array& cur, const std::string& alt, const std::string& method) {
            const auto a = view(ref, "ks_2samp"), b = view(cur, "ks_2samp");
            const ks_options o{parse_alternative(alt), parse_method(method)};
            library_call unlocked;
            return driftgate::ks_2samp(a, b, o);
        },
        py::arg("reference"), py::arg("current"), py::arg("alternative") = "two-sided", py::arg("method") = "auto");

    py::class_<psi_result>(m, "PSIResult", "Population (or characteristic) stability index with its bins")
        .def_readonly("value", &psi_result::value)
        .def_property_readonly("kind", [](const psi_result& r) { return to_string(r.kind); })
        .def_property_readonly("bins", [](const psi_result& r) {
            py::list l;
            for (const auto& b : r.bins) l.append(bin_dict(b));
            return l;
        })
        .def_readonly("smoothed", &psi_result::smoothed)
        .def_readonly("empty_reference_bins", &psi_result::empty_reference_bins)
        .def_readonly("empty_current_bins", &psi_result::empty_current_bins)
        .def_readonly("epsilon", &psi_result::epsilon)
        .def_readonly("reference_n", &psi_result::reference_n)
        .def_readonly("current_n", &psi_result::current_n)
        .def_property_readonly("binning", [](const psi_result& r) { return to_string(r.method); })
        .def("__float__", [](const psi_result& r) { return r.value; })
        .def("__repr__", [](const psi_result& r) {
            return std::string(r.kind == stability_index::psi ? "PSIResult(value=" : "PSIResult(kind='csi', value=") +
                   py::repr(py::float_(r.value)).cast<std::string>() + ", bins=" + std::to_string(r.bins.size()) + ")";
        });

    auto stability = [](stability_index kind) {
        return [kind](const f64_array& ref, const f64_array& cur, std::size_t bins, const std::string& binning,
                      std::size_t max_distinct, const std::optional<std::vector<double>>& edges, double epsilon) {
            const char* where = kind == stability_index::psi ? "psi" : "csi";
            const auto a = view(ref, where), b = view(cur, where);
            const binning_options bo = bin_options(binning, bins, max_distinct, edges);
            const psi_options po{epsilon};
            library_call unlocked;
            return kind == stability_index::psi ? driftgate::psi(a, b, bo, po) : driftgate::csi(a, b, bo, po);
        };
    };
    m.def("psi", stability(stability_index::psi), py::arg("reference"), py::arg("current"), py::arg("bins") = 10,
          py::arg("binning") = "auto", py::arg("max_distinct") = 0, py::arg("edges") = py::none(),
          py::arg("epsilon") = default_psi_epsilon);
    m.def("csi", stability(stability_index::csi), py::arg("reference"), py::arg("current"), py::arg("bins") = 10,
          py::arg("binning") = "auto", py::arg("max_distinct") = 0, py::arg("edges") = py::none(),
          py::arg("epsilon") = default_psi_epsilon);

    py::class_<chi2_result>(m, "Chi2Result", "Chi-square test of homogeneity (reference row against current row)")
        .def_readonly("statistic", &chi2_result::statistic)
        .def_readonly("statistic_uncorrected", &chi2_result::statistic_uncorrected)
        .def_readonly("pvalue", &chi2_result::pvalue)
        .def_readonly("log_pvalue", &chi2_result::log_pvalue)
        .def_readonly("dof", &chi2_result::dof)
        .def_readonly("yates", &chi2_result::yates)
        .def_readonly("cramers_v", &chi2_result::cramers_v)
        .def_readonly("categories", &chi2_result::categories)
        .def_readonly("n_reference", &chi2_result::n_reference)
        .def_readonly("n_current", &chi2_result::n_current)
        .def("__repr__", [](const chi2_result& r) {
            return "Chi2Result(statistic=" + py::repr(py::float_(r.statistic)).cast<std::string>() +
                   ", pvalue=" + py::repr(py::float_(r.pvalue)).cast<std::string>() + ", dof=" + std::to_string(r.dof) + ")";
        });
    m.def(
        "chi2_counts",
        [](const py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>& ref,
           const py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>& cur, bool yates) {
            if (ref.ndim() != 1 || cur.ndim() != 1)
                throw driftgate::error(errc::invalid_parameter, "chi2_homogeneity", "expects one-dimensional count arrays");
            const std::span<const std::uint64_t> a(ref.data(), static_cast<std::size_t>(ref.shape(0)));
            const std::span<const std::uint64_t> b(cur.data(), static_cast<std::size_t>(cur.shape(0)));
            library_call unlocked;
            return chi2_homogeneity(a, b, yates);
        },
        py::arg("reference"), py::arg("current"), py::arg("yates") = true);
    m.def(
        "chi2_samples",
        [](const f64_array& ref, const f64_array& cur, bool yates) {
            const auto a = view(ref, "chi2_homogeneity"), b = view(cur, "chi2_homogeneity");
            library_call unlocked;
            return chi2_homogeneity(sort_sample(a), sort_sample(b), yates);
        },
        py::arg("reference"), py::arg("current"), py::arg("yates") = true);

    m.def(
        "jensen_shannon",
        [](const f64_array& p, const f64_array& q, double base) {
            const auto a = view(p, "jensen_shannon_distance"), b = view(q, "jensen_shannon_distance");
            library_call unlocked;
            return jensen_shannon_distance(a, b, base);
        },
        py::arg("p"), py::arg("q"), py::arg("base") = 2.0);

    py::class_<wasserstein_result>(m, "WassersteinResult", "Wasserstein-1 distance and its normalised form")
        .def_readonly("distance", &wasserstein_result::distance)
        .def_readonly("reference_std", &wasserstein_result::reference_std)
        .def_readonly("normalized", &wasserstein_result::normalized)
        .def_readonly("n_reference", &wasserstein_result::n_reference)
        .def_readonly("n_current", &wasserstein_result::n_current)
        .def_readonly("missing_reference", &wasserstein_result::missing_reference)
        .def_readonly("missing_current", &wasserstein_result::missing_current)
        .def("__float__", [](const wasserstein_result& r) { return r.distance; });
    m.def(
        "wasserstein",
        [](const f64_array& ref, const f64_array& cur) {
            const auto a = view(ref, "wasserstein_distance"), b = view(cur, "wasserstein_distance");
            library_call unlocked;
            return wasserstein_distance(a, b);
        },
        py::arg("reference"), py::arg("current"));

    py::class_<auc_result>(m, "AUCResult", "Area under the ROC curve and the Gini coefficient")
        .def_readonly("auc", &auc_result::auc)
        .def_readonly("gini", &auc_result::gini)
        .def_readonly("n_pos", &auc_result::n_pos)
        .def_readonly("n_neg", &auc_result::n_neg)
        .def("__float__", [](const auc_result& r) { return r.auc; });
    py::class_<classifier_ks_result>(m, "ClassifierKSResult", "max(TPR - FPR) over thresholds and where it is reached")
        .def_readonly("statistic", &classifier_ks_result::statistic)
        .def_readonly("threshold", &classifier_ks_result::threshold)
        .def_readonly("tpr", &classifier_ks_result::tpr)
        .def_readonly("fpr", &classifier_ks_result::fpr);
    py::class_<delong_result>(m, "DeLongResult", "AUC with DeLong's variance and a normal confidence interval")
        .def_readonly("auc", &delong_result::auc)
        .def_readonly("variance", &delong_result::variance)
        .def_readonly("std_error", &delong_result::std_error)
        .def_readonly("ci_lower", &delong_result::ci_lower)
        .def_readonly("ci_upper", &delong_result::ci_upper)
        .def_readonly("level", &delong_result::level);
    py::class_<auc_comparison>(m, "AUCComparison", "DeLong's test of AUC1 == AUC2")
        .def_readonly("auc1", &auc_comparison::auc1)
        .def_readonly("auc2", &auc_comparison::auc2)
        .def_readonly("difference", &auc_comparison::difference)
        .def_readonly("std_error", &auc_comparison::std_error)
        .def_readonly("z", &auc_comparison::z)
        .def_readonly("pvalue", &auc_comparison::pvalue)
        .def_readonly("paired", &auc_comparison::paired);

    // Scores, labels (0/1) and optional weights: one entry point per statistic.
    m.def(
        "roc_auc",
        [](const f64_array& s, const f64_array& y, const std::optional<f64_array>& w) {
            const auto a = view(s, "roc_auc"), b = view(y, "roc_auc");
            if (w) {
                const auto c = view(*w, "roc_auc");
                library_call unlocked;
                return roc_auc(a, b, c);
            }
            library_call unlocked;
            return roc_auc(a, b);
        },
        py::arg("scores"), py::arg("labels"), py::arg("weights") = py::none());
    m.def(
        "classifier_ks",
        [](const f64_array& s, const f64_array& y, const std::optional<f64_array>& w) {
            const auto a = view(s, "classifier_ks"), b = view(y, "classifier_ks");
            if (w) {
                const auto c = view(*w, "classifier_ks");
                library_call unlocked;
                return classifier_ks(a, b, c);
            }
            library_call unlocked;
            return classifier_ks(a, b);
        },
        py::arg("scores"), py::arg("labels"), py::arg("weights") = py::none());
    m.def(
        "delong",
        [](const f64_array& s, const f64_array& y, double level) {
            const auto a = view(s, "delong"), b = view(y, "delong");
            library_call unlocked;
            return driftgate::delong(a, b, level);
        },
        py::arg("scores"), py::arg("labels"), py::arg("level") = 0.95);
    m.def(
        "compare_auc_paired",
        [](const f64_array& s1, const f64_array& s2, const f64_array& y) {
            const auto a = view(s1, "compare_auc_paired"), b = view(s2, "compare_auc_paired"), c = view(y, "compare_auc_paired");
            library_call unlocked;
            return compare_auc_paired(a, b, c);
        },
        py::arg("scores1"), py::arg("scores2"), py::arg("labels"));
    m.def(
        "compare_auc_unpaired",
        [](const f64_array& s1, const f64_array& y1, const f64_array& s2, const f64_array& y2) {
            const auto a = view(s1, "compare_auc_unpaired"), b = view(y1, "compare_auc_unpaired");
            const auto c = view(s2, "compare_auc_unpaired"), d = view(y2, "compare_auc_unpaired");
            library_call unlocked;
            return compare_auc_unpaired(a, b, c, d);
        },
        py::arg("scores1"), py::arg("labels1"), py::arg("scores2"), py::arg("labels2"));
    m.def(
        "brier_score",
        [](const f64_array& p, const f64_array& y, const std::optional<f64_array>& w) {
            const auto a = view(p, "brier_score"), b = view(y, "brier_score");
            if (w) {
                const auto c = view(*w, "brier_score");
                library_call unlocked;
                return driftgate::brier_score(a, b, c);
            }
            library_call unlocked;
            return driftgate::brier_score(a, b);
        },
        py::arg("probabilities"), py::arg("labels"), py::arg("weights") = py::none());
    m.def(
        "log_loss",
        [](const f64_array& p, const f64_array& y, const std::optional<f64_array>& w) {
            const auto a = view(p, "log_loss"), b = view(y, "log_loss");
            if (w) {
                const auto c = view(*w, "log_loss");
                library_call unlocked;
                return driftgate::log_loss(a, b, c);
            }
            library_call unlocked;
            return driftgate::log_loss(a, b);
        },
        py::arg("probabilities"), py::arg("labels"), py::arg("weights") = py::none());

    // Proxies (label-free monitoring of the score).
    py::class_<share_result>(m, "ShareResult", "A share of values with its Wilson interval")
        .def_readonly("share", &share_result::share)
        .def_readonly("count", &share_result::count)
        .def_readonly("n", &share_result::n)
        .def_readonly("missing", &share_result::missing)
        .def_readonly("ci_lower", &share_result::ci_lower)
        .def_readonly("ci_upper", &share_result::ci_upper)
        .def_readonly("level", &share_result::level);
    py::class_<mean_result>(m, "MeanResult", "A mean with its Student-t interval")
        .def_readonly("mean", &mean_result::mean)
        .def_readonly("std_dev", &mean_result::std_dev)
        .def_readonly("n", &mean_result::n)
        .def_readonly("missing", &mean_result::missing)
        .def_readonly("ci_lower", &mean_result::ci_lower)
        .def_readonly("ci_upper", &mean_result::ci_upper)
        .def_readonly("level", &mean_result::level);
    m.def(
        "share_above",
        [](const f64_array& x, double threshold, double level) {
            const auto a = view(x, "share_above");
            library_call unlocked;
            return driftgate::share_above(a, threshold, level);
        },
        py::arg("values"), py::arg("threshold"), py::arg("level") = 0.95);
    m.def(
        "share_below",
        [](const f64_array& x, double threshold, double level) {
            const auto a = view(x, "share_below");
            library_call unlocked;
            return driftgate::share_below(a, threshold, level);
        },
        py::arg("values"), py::arg("threshold"), py::arg("level") = 0.95);
    m.def(
        "event_rate",
        [](const f64_array& x, double level) {
            const auto a = view(x, "event_rate");
            library_call unlocked;
            return driftgate::event_rate(a, level);
        },
        py::arg("flags"), py::arg("level") = 0.95);
    m.def(
        "mean_score",
        [](const f64_array& x, double level) {
            const auto a = view(x, "mean_score");
            library_call unlocked;
            return driftgate::mean_score(a, level);
        },
        py::arg("scores"), py::arg("level") = 0.95);
}

} // namespace driftgate::python
