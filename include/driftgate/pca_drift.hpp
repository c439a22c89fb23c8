// driftgate — multivariate drift: the PCA reconstruction error of the current rows under the
// principal components of the reference (NannyML's data reconstruction drift, reimplemented).
// Needs Eigen 3 (libeigen3-dev); not included by driftgate.hpp.
//
//   1. Standardise each selected feature with the reference's mean and population standard
//      deviation (a constant feature is divided by 1, as scikit-learn's StandardScaler does),
//      computed on the feature brought to [-1, 1) by a power of two (no overflow, no underflow).
//   2. Principal components of the standardised reference (eigenvectors of its covariance,
//      largest variance first): keep the fewest whose cumulative explained variance ratio reaches
//      `explained_variance` (0.65).
//   3. A row's reconstruction error is the Euclidean norm of (standardised row - its projection
//      onto those components); pca_reconstruction_error is its mean over the current rows.
//   4. Thresholds: the error of each of `chunks` consecutive reference chunks; mean +- sigmas x
//      their standard deviation (ddof = 1).
// A row with a missing value (NaN) in any selected feature is left out and counted. A changed
// correlation that no single feature shows (each marginal unchanged) moves this error.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "driftgate/core.hpp"
#include "driftgate/report.hpp"
#include "driftgate/severity.hpp"

namespace driftgate {
inline namespace v0 {

/// Settings of the PCA reconstruction error.
struct pca_options {
    double explained_variance = 0.65;  ///< in (0, 1]
    std::size_t chunks = 10;           ///< reference chunks for the thresholds (>= 2)
    double sigmas = 3.0;               ///< >= 0
};

/// The reference's standardisation and principal components.
struct pca_model {
    Eigen::VectorXd mean, scale;   ///< per feature: reference mean and population sd (1 when 0)
    Eigen::VectorXd centre;        ///< mean of the standardised reference (0 up to rounding)
    Eigen::MatrixXd components;    ///< features x kept components, orthonormal columns
    std::vector<double> explained_ratio;  ///< of every component, largest first
    std::size_t rows = 0, excluded = 0;   ///< reference rows used / left out (missing values)
};

/// Mean reconstruction error over a set of rows.
struct pca_error {
    double value = std::numeric_limits<double>::quiet_NaN();  ///< NaN without a complete row
    std::size_t rows = 0, excluded = 0;
};

/// The whole comparison.
struct pca_drift_result {
    pca_model model;
    pca_error reference, current;
    std::vector<double> chunk_errors;
    double chunk_mean = 0.0, chunk_sd = 0.0, lower = 0.0, upper = 0.0;
    [[nodiscard]] bool outside() const { return !(current.value >= lower && current.value <= upper); }
};

namespace detail {

/// The complete rows (no NaN in any column) of column-major data as a rows x features matrix.
[[nodiscard]] inline Eigen::MatrixXd complete_rows(const std::vector<std::span<const double>>& cols, std::size_t& excluded,
                                                   const char* where) {
    require(!cols.empty(), errc::invalid_parameter, where, "no feature");
    const std::size_t n = cols[0].size();
    for (std::size_t j = 1; j < cols.size(); ++j)
        require(cols[j].size() == n, errc::length_mismatch, where,
                "feature " + std::to_string(j) + " has " + std::to_string(cols[j].size()) + " rows, feature 0 has " + std::to_string(n));
    std::vector<std::size_t> keep;
    keep.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        bool ok = true;
        for (const auto& c : cols) ok = ok && !std::isnan(c[i]);
        if (ok) keep.push_back(i);
        for (const auto& c : cols)
            if (std::isinf(c[i])) throw error(errc::non_finite, where, "row " + std::to_string(i) + " holds an infinite value");
    }
    excluded = n - keep.size();
    Eigen::MatrixXd x(static_cast<Eigen::Index>(keep.size()), static_cast<Eigen::Index>(cols.size()));
    for (std::size_t r = 0; r < keep.size(); ++r)
        for (std::size_t j = 0; j < cols.size(); ++j) x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = cols[j][keep[r]];
    return x;
}

/// A share of the reference's variance this small is none: the eigenvalues of constant or exactly
/// collinear features come out about 1e-16 of the total.
inline constexpr double pca_no_variance = 1e-12;

/// The share of the reference's variance in the components a model leaves out.
[[nodiscard]] inline double pca_left_out_share(const pca_model& m) {
    double left = 0.0;
    for (std::size_t k = static_cast<std::size_t>(m.components.cols()); k < m.explained_ratio.size(); ++k) left += m.explained_ratio[k];
    return left;
}

[[nodiscard]] inline double mean_error(const pca_model& m, const Eigen::MatrixXd& x, Eigen::Index first, Eigen::Index count) {
    if (count == 0) return std::numeric_limits<double>::quiet_NaN();
    compensated_sum sum;
    Eigen::VectorXd z(x.cols()), resid(x.cols()), proj(m.components.cols());
    for (Eigen::Index i = first; i < first + count; ++i) {
        z = ((x.row(i).transpose() - m.mean).array() / m.scale.array()).matrix() - m.centre;
        proj.noalias() = m.components.transpose() * z;
        resid = z;
        resid.noalias() -= m.components * proj;
        sum.add(resid.norm());
    }
    return static_cast<double>(sum.value() / static_cast<long double>(count));
}

} // namespace detail

/// Fits the standardisation and principal components to the reference's complete rows (features
/// as columns, NaN = missing). Throws errc::invalid_parameter for no feature or explained_variance
/// outside (0, 1], errc::length_mismatch for columns of unequal length, errc::non_finite for an
/// infinite value, errc::empty_sample with fewer than 2 complete rows. Cost: O(n d^2 + d^3).
[[nodiscard]] inline pca_model fit_pca(const std::vector<std::span<const double>>& reference, double explained_variance = 0.65) {
    detail::require(explained_variance > 0.0 && explained_variance <= 1.0, errc::invalid_parameter, "fit_pca",
                    "explained_variance must lie in (0, 1], got " + std::to_string(explained_variance));
    pca_model m;
    const Eigen::MatrixXd x = detail::complete_rows(reference, m.excluded, "fit_pca");
    m.rows = static_cast<std::size_t>(x.rows());
    detail::require(m.rows >= 2, errc::empty_sample, "fit_pca",
                    "fewer than 2 reference rows without a missing value (" + std::to_string(m.excluded) + " left out)");
    const double n = static_cast<double>(x.rows());
    // Each feature is first brought to [-1, 1) by a power of two (exact): its standardised values
    // are the same, and its sum of squares neither overflows (features of 1e160: the deviation
    // was inf, the column zeroed, and the check blind to it) nor underflows (1e-170). Its mean and
    // deviation are then taken back to the feature's units, exactly.
    std::vector<int> exponent(static_cast<std::size_t>(x.cols()), 0);
    Eigen::MatrixXd u(x.rows(), x.cols());
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        int& e = exponent[static_cast<std::size_t>(j)];
        (void)std::frexp(x.col(j).cwiseAbs().maxCoeff(), &e);
        u.col(j) = x.col(j).unaryExpr([e](double v) { return std::ldexp(v, -e); });
    }
    const Eigen::VectorXd mean = u.colwise().mean().transpose();
    const Eigen::MatrixXd c = u.rowwise() - mean.transpose();
    Eigen::VectorXd scale = (c.colwise().squaredNorm().transpose() / n).cwiseSqrt();
    m.mean.resize(x.cols());
    m.scale.resize(x.cols());
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const int e = exponent[static_cast<std::size_t>(j)];
        m.mean(j) = std::ldexp(mean(j), e);
        if (scale(j) == 0.0) {  // a constant feature (c is 0) is divided by 1, in its own units too
            scale(j) = 1.0;
            m.scale(j) = 1.0;
        } else {
            m.scale(j) = std::ldexp(scale(j), e);
        }
    }
    const Eigen::MatrixXd z = c.array().rowwise() / scale.transpose().array();
    m.centre = z.colwise().mean().transpose();
    const Eigen::MatrixXd zc = z.rowwise() - m.centre.transpose();
    const Eigen::MatrixXd cov = (zc.transpose() * zc) / (n - 1.0);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    detail::require(eig.info() == Eigen::Success, errc::invalid_parameter, "fit_pca", "the eigen decomposition did not converge");
    const Eigen::Index d = cov.rows();
    // Eigenvalues ascending: the largest variance last.
    double total = 0.0;
    for (Eigen::Index k = 0; k < d; ++k) total += std::max(0.0, eig.eigenvalues()(k));
    for (Eigen::Index k = d - 1; k >= 0; --k)
        m.explained_ratio.push_back(total > 0.0 ? std::max(0.0, eig.eigenvalues()(k)) / total : 0.0);
    double cumulative = 0.0;
    Eigen::Index keep = 0;
    while (keep < d && cumulative < explained_variance) cumulative += m.explained_ratio[static_cast<std::size_t>(keep++)];
    if (keep == 0) keep = 1;
    m.components.resize(d, keep);
    for (Eigen::Index k = 0; k < keep; ++k) m.components.col(k) = eig.eigenvectors().col(d - 1 - k);
    return m;
}

/// The mean reconstruction error of the complete rows of `data` (features as fit_pca's) under
/// `m`; NaN when no row is complete. Throws as fit_pca for malformed columns or a feature count
/// other than the model's. Cost: O(n d k).
[[nodiscard]] inline pca_error reconstruction_error(const pca_model& m, const std::vector<std::span<const double>>& data) {
    detail::require(static_cast<Eigen::Index>(data.size()) == m.mean.size(), errc::invalid_parameter, "reconstruction_error",
                    std::to_string(data.size()) + " features, the model has " + std::to_string(m.mean.size()));
    pca_error e;
    const Eigen::MatrixXd x = detail::complete_rows(data, e.excluded, "reconstruction_error");
    e.rows = static_cast<std::size_t>(x.rows());
    e.value = detail::mean_error(m, x, 0, x.rows());
    return e;
}

/// The comparison of a current sample with the reference: the model, both errors and the
/// thresholds from `o.chunks` consecutive reference chunks (chunk k: complete rows
/// [floor(k n / chunks), floor((k + 1) n / chunks))). Throws as fit_pca, and
/// errc::invalid_parameter for chunks < 2, sigmas < 0 or a reference with fewer complete rows
/// than chunks. Cost: O((n + m) d k + d^3).
[[nodiscard]] inline pca_drift_result pca_drift(const std::vector<std::span<const double>>& reference,
                                                const std::vector<std::span<const double>>& current, const pca_options& o = {}) {
    detail::require(o.chunks >= 2, errc::invalid_parameter, "pca_drift", "need at least 2 reference chunks");
    detail::require(o.sigmas >= 0.0 && std::isfinite(o.sigmas), errc::invalid_parameter, "pca_drift", "sigmas must be finite and >= 0");
    pca_drift_result r;
    r.model = fit_pca(reference, o.explained_variance);
    std::size_t excluded = 0;
    const Eigen::MatrixXd x = detail::complete_rows(reference, excluded, "pca_drift");
    const std::size_t n = static_cast<std::size_t>(x.rows());
    detail::require(n >= o.chunks, errc::invalid_parameter, "pca_drift",
                    std::to_string(n) + " complete reference rows cannot make " + std::to_string(o.chunks) + " chunks");
    r.reference.rows = n;
    r.reference.excluded = excluded;
    r.reference.value = detail::mean_error(r.model, x, 0, x.rows());
    detail::compensated_sum s;
    for (std::size_t k = 0; k < o.chunks; ++k) {
        const std::size_t a = k * n / o.chunks, b = (k + 1) * n / o.chunks;
        r.chunk_errors.push_back(detail::mean_error(r.model, x, static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b - a)));
        s.add(r.chunk_errors.back());
    }
    const double c = static_cast<double>(o.chunks);
    r.chunk_mean = static_cast<double>(s.value() / static_cast<long double>(c));
    detail::compensated_sum ss;
    for (const double e : r.chunk_errors) ss.add((e - r.chunk_mean) * (e - r.chunk_mean));
    r.chunk_sd = std::sqrt(static_cast<double>(ss.value()) / (c - 1.0));
    r.lower = r.chunk_mean - o.sigmas * r.chunk_sd;
    r.upper = r.chunk_mean + o.sigmas * r.chunk_sd;
    r.current = reconstruction_error(r.model, current);
    return r;
}

/// The check of a comparison: `pca_reconstruction_error` (section drift, no column), its value the
/// current rows' mean error, `level` when it lies outside [lower, upper] (a current sample without
/// a complete row is undefined, and a model keeping every component, or every one that holds any
/// of the reference's variance (pca_left_out_share at most pca_no_variance), measures nothing: `level`
/// too), with the reference's own error, the thresholds, the
/// components kept, the rows used and left out, and the features in its details.
[[nodiscard]] inline check pca_drift_check(const pca_drift_result& r, const std::vector<std::string>& features, severity level,
                                           const pca_options& o) {
    check c;
    c.section = "drift";
    c.name = "pca_reconstruction_error";
    c.value = r.current.value;
    const band_rule b{r.lower, r.upper, level, severity::ok};
    c.thresholds = to_field(b);
    if (std::isnan(c.value)) {
        c.level = level;
        c.note = "no current row without a missing value: undefined, judged as a breach";
    } else {
        c.level = judge(b, c.value).level;
    }
    // Every component kept, or every one that holds any of the reference's variance (the others
    // belong to constant or exactly collinear features): nothing the reference varies in is left
    // out of the projection, so the error is rounding noise that no changed correlation moves, and
    // its band is that noise: what cannot be judged is a breach.
    if (c.note.empty() && detail::pca_left_out_share(r.model) <= detail::pca_no_variance) {
        c.level = level;
        c.note = r.model.components.cols() == r.model.mean.size()
                     ? "every component kept: the reconstruction error is 0 up to rounding and shows no drift; judged as a "
                       "breach (lower [multivariate] explained_variance, or monitor more features)"
                     : "the components kept hold all of the reference's variance (the others belong to constant or exactly "
                       "collinear features): the reconstruction error is 0 up to rounding and shows no changed correlation; "
                       "judged as a breach (lower [multivariate] explained_variance, or monitor other features)";
    }
    field names = field::make_list(), chunks = field::make_list(), ratios = field::make_list();
    for (const auto& f : features) names.push_back(f);
    for (const double e : r.chunk_errors) chunks.push_back(e);
    for (const double e : r.model.explained_ratio) ratios.push_back(e);
    double kept = 0.0;
    for (Eigen::Index k = 0; k < r.model.components.cols(); ++k) kept += r.model.explained_ratio[static_cast<std::size_t>(k)];
    c.details = field::make_table({{"reference_value", r.reference.value}, {"lower", r.lower}, {"upper", r.upper},
                                   {"chunk_mean", r.chunk_mean}, {"chunk_sd", r.chunk_sd}, {"sigmas", o.sigmas},
                                   {"chunks", o.chunks}, {"components", static_cast<std::uint64_t>(r.model.components.cols())},
                                   {"explained_variance", kept}, {"explained_variance_target", o.explained_variance},
                                   {"rows", r.current.rows}, {"rows_excluded", r.current.excluded},
                                   {"reference_rows", r.reference.rows}, {"reference_rows_excluded", r.reference.excluded},
                                   {"features", std::move(names)}, {"chunk_errors", std::move(chunks)},
                                   {"explained_variance_ratio", std::move(ratios)}});
    return c;
}

} // namespace v0
} // namespace driftgate
