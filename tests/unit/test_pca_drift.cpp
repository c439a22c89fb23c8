// Tests of include/driftgate/pca_drift.hpp against scikit-learn 1.2.1's StandardScaler and PCA
// (tests/golden/pca/gen_pca.py) and edge cases.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "driftgate/pca_drift.hpp"
#include "test_support.hpp"
#include "golden/pca/pca_golden.hpp"

namespace dg = driftgate;
using namespace test_support;
namespace gp = golden_pca;

namespace {

std::vector<std::span<const double>> cols(std::initializer_list<const std::vector<double>*> v) {
    std::vector<std::span<const double>> out;
    for (const auto* c : v) out.emplace_back(*c);
    return out;
}

void require_golden(const std::vector<std::span<const double>>& ref, const std::vector<std::span<const double>>& cur,
                    const gp::pca_expected& e) {
    dg::pca_options o;
    o.explained_variance = e.explained_variance;
    const auto r = dg::pca_drift(ref, cur, o);
    REQUIRE(static_cast<std::size_t>(r.model.components.cols()) == e.components);
    REQUIRE(r.model.explained_ratio.size() == e.explained_ratio.size());
    for (std::size_t k = 0; k < e.explained_ratio.size(); ++k) {
        if (e.explained_ratio[k] < 1e-12) CHECK(r.model.explained_ratio[k] < 1e-12);
        else CHECK(close_rel(r.model.explained_ratio[k], e.explained_ratio[k], 1e-10));
    }
    // scikit-learn takes an SVD of the data, driftgate the eigenvectors of its covariance: the two
    // agree to ~1e-12 relative on these well-separated spectra.
    CHECK(close_rel(r.reference.value, e.reference_error, 1e-10));
    CHECK(close_rel(r.current.value, e.current_error, 1e-10));
    CHECK(close_rel(r.chunk_mean, e.chunk_mean, 1e-10));
    CHECK(close_rel(r.chunk_sd, e.chunk_sd, 1e-9));
    CHECK(close_rel(r.lower, e.lower, 1e-9));
    CHECK(close_rel(r.upper, e.upper, 1e-9));
    REQUIRE(r.chunk_errors.size() == e.chunk_errors.size());
    for (std::size_t k = 0; k < e.chunk_errors.size(); ++k) CHECK(close_rel(r.chunk_errors[k], e.chunk_errors[k], 1e-10));
    CHECK(r.reference.rows == e.reference_rows);
    CHECK(r.reference.excluded == e.reference_excluded);
    CHECK(r.model.excluded == e.reference_excluded);
    CHECK(r.current.rows == e.current_rows);
    CHECK(r.current.excluded == e.current_excluded);
}

/// Independent x and y in the reference (6 rows each way of a 6 x 6 grid), and current rows with
/// y = -x: a changed correlation that neither marginal shows.
std::array<std::vector<double>, 4> grid() {
    std::array<std::vector<double>, 4> g;
    for (int i = 0; i < 36; ++i) {
        g[0].push_back(i / 6), g[1].push_back(i % 6);
        g[2].push_back(i % 6), g[3].push_back(-(i % 6));
    }
    return g;
}

} // namespace

TEST_CASE("pca_drift: reconstruction errors and thresholds match scikit-learn", "[pca][golden]") {
    SECTION("a correlation broken, every marginal kept (0.65 of the variance: 2 components)") {
        require_golden(cols({&gp::corr_ref0, &gp::corr_ref1, &gp::corr_ref2, &gp::corr_ref3}),
                       cols({&gp::corr_cur0, &gp::corr_cur1, &gp::corr_cur2, &gp::corr_cur3}), gp::corr);
        // The changed correlation is outside the reference's band.
        const auto r = dg::pca_drift(cols({&gp::corr_ref0, &gp::corr_ref1, &gp::corr_ref2, &gp::corr_ref3}),
                                     cols({&gp::corr_cur0, &gp::corr_cur1, &gp::corr_cur2, &gp::corr_cur3}));
        CHECK(r.outside());
        CHECK(r.current.value > r.upper);
    }
    SECTION("0.9 of the variance: 3 components") {
        require_golden(cols({&gp::corr_ref0, &gp::corr_ref1, &gp::corr_ref2, &gp::corr_ref3}),
                       cols({&gp::corr_cur0, &gp::corr_cur1, &gp::corr_cur2, &gp::corr_cur3}), gp::corr90);
    }
    SECTION("a constant feature (scale 1), the same population: inside the band") {
        require_golden(cols({&gp::constant_ref0, &gp::constant_ref1, &gp::constant_ref2}),
                       cols({&gp::constant_cur0, &gp::constant_cur1, &gp::constant_cur2}), gp::constant);
        const auto r = dg::pca_drift(cols({&gp::constant_ref0, &gp::constant_ref1, &gp::constant_ref2}),
                                     cols({&gp::constant_cur0, &gp::constant_cur1, &gp::constant_cur2}));
        CHECK_FALSE(r.outside());
    }
}

TEST_CASE("pca_drift: the reference against itself, a hand case, and errors", "[pca]") {
    // Two features on a line (y = 2x): one component explains everything; every error is 0.
    const std::vector<double> x{1, 2, 3, 4, 5, 6}, y{2, 4, 6, 8, 10, 12};
    dg::pca_options o;
    o.chunks = 3;
    const auto r = dg::pca_drift(cols({&x, &y}), cols({&x, &y}), o);
    CHECK(r.model.components.cols() == 1);
    CHECK(r.reference.value == Approx(0.0).margin(1e-14));
    CHECK(r.current.value == Approx(0.0).margin(1e-14));
    // A point off the line, (3.5, 0): standardised by mean 3.5 / 7 and sd sqrt(35/12) / 2 sqrt(35/12),
    // it is (0, -7 / (2 sqrt(35/12))); the component is (1, 1) / sqrt 2, so the residual's norm is
    // |z| / sqrt 2 = 7 / (2 sqrt(35/12) sqrt 2).
    const std::vector<double> px{3.5}, py{0.0};
    const auto e = dg::reconstruction_error(r.model, cols({&px, &py}));
    CHECK(e.value == Approx(7.0 / (2.0 * std::sqrt(35.0 / 12.0) * std::sqrt(2.0))).epsilon(1e-12));
    // Missing values: rows left out and counted; no complete current row: NaN.
    const std::vector<double> mx{kNaN, 1.0}, my{1.0, kNaN};
    const auto m = dg::reconstruction_error(r.model, cols({&mx, &my}));
    CHECK(std::isnan(m.value));
    CHECK(m.excluded == 2);
    CHECK(m.rows == 0);
    const auto chk = dg::pca_drift_check(dg::pca_drift(cols({&x, &y}), cols({&mx, &my}), o), {"x", "y"}, dg::severity::warning, o);
    CHECK(chk.level == dg::severity::warning);
    CHECK(chk.name == "pca_reconstruction_error");
    require_error([&] { (void)dg::fit_pca({}); }, dg::errc::invalid_parameter, "no feature");
    const std::vector<double> short_col{1.0};
    require_error([&] { (void)dg::fit_pca(cols({&x, &short_col})); }, dg::errc::length_mismatch, "feature 1 has 1 rows");
    require_error([&] { (void)dg::fit_pca(cols({&x, &y}), 0.0); }, dg::errc::invalid_parameter, "explained_variance");
    require_error([&] { (void)dg::fit_pca(cols({&mx, &my})); }, dg::errc::empty_sample, "fewer than 2 reference rows");
    const std::vector<double> inf_col{1, 2, 3, 4, 5, kInf};
    require_error([&] { (void)dg::fit_pca(cols({&x, &inf_col})); }, dg::errc::non_finite, "row 5");
    o.chunks = 7;
    require_error([&] { (void)dg::pca_drift(cols({&x, &y}), cols({&x, &y}), o); }, dg::errc::invalid_parameter, "cannot make 7 chunks");
    o.chunks = 1;
    require_error([&] { (void)dg::pca_drift(cols({&x, &y}), cols({&x, &y}), o); }, dg::errc::invalid_parameter, "at least 2");
    require_error([&] { (void)dg::reconstruction_error(r.model, cols({&x})); }, dg::errc::invalid_parameter, "1 features, the model has 2");
}

TEST_CASE("pca_drift: a model keeping every component measures nothing: a breach, not a pass", "[pca]") {
    // Independent x and y in the reference (6 rows each way of a 6 x 6 grid), y = -x in the
    // current rows: a changed correlation. At explained_variance 0.65 one component of two cannot
    // reach it (each explains 1/2), so both are kept, the residual is 0 up to rounding, and the
    // band of the chunks' errors is rounding noise: the check was judged ok.
    const auto [x, y, cx, cy] = grid();
    dg::pca_options o;
    o.chunks = 6;
    const auto r = dg::pca_drift(cols({&x, &y}), cols({&cx, &cy}), o);
    REQUIRE(r.model.components.cols() == 2);
    CHECK(r.current.value == Approx(0.0).margin(1e-12));
    const auto c = dg::pca_drift_check(r, {"x", "y"}, dg::severity::warning, o);
    CHECK(c.level == dg::severity::warning);
    CHECK(c.note.find("every component kept") != std::string::npos);
    CHECK(c.note.find("judged as a breach") != std::string::npos);
    // With one component (explained_variance 0.5) the error measures something: judged by its band.
    o.explained_variance = 0.5;
    const auto one = dg::pca_drift(cols({&x, &y}), cols({&cx, &cy}), o);
    REQUIRE(one.model.components.cols() == 1);
    CHECK(one.current.value > 0.1);
    const auto judged = dg::pca_drift_check(one, {"x", "y"}, dg::severity::warning, o);
    CHECK(judged.note.empty());
    CHECK(judged.level == (one.current.value >= one.lower && one.current.value <= one.upper ? dg::severity::ok : dg::severity::warning));
}

TEST_CASE("pca_drift: components that hold all of the reference's variance measure nothing either: a breach", "[pca]") {
    // The grid above with a constant feature (0, and 0.1, whose mean is not exactly 0.1 in binary)
    // and a changed correlation in the current rows. Two components of three hold all of the
    // variance (1/2 each; the constant features' share is 0): the error is rounding noise, and was
    // judged ok with exit 0.
    const auto [x, y, cx, cy] = grid();
    dg::pca_options o;
    o.chunks = 6;
    for (const double flag_value : {0.0, 0.1}) {
        INFO(flag_value);
        const std::vector<double> flag(36, flag_value);
        const auto r = dg::pca_drift(cols({&x, &y, &flag}), cols({&cx, &cy, &flag}), o);
        REQUIRE(r.model.components.cols() == 2);
        CHECK(dg::detail::pca_left_out_share(r.model) == Approx(0.0).margin(1e-15));
        CHECK(r.current.value == Approx(0.0).margin(1e-12));
        const auto c = dg::pca_drift_check(r, {"x", "y", "flag"}, dg::severity::warning, o);
        CHECK(c.level == dg::severity::warning);
        CHECK(c.note.find("hold all of the reference's variance") != std::string::npos);
        // The flag set in the current rows moves the error off its band of noise all the same.
        const std::vector<double> set(36, flag_value + 1.0);
        CHECK(dg::pca_drift(cols({&x, &y, &flag}), cols({&cx, &cy, &set}), o).current.value > 0.5);
    }
    // An exactly collinear feature (w = 2x): standardised, x and w are one, so the spectrum is
    // 2/3, 1/3, 0. One component (explained_variance 0.65) leaves 1/3 out and is judged by its
    // band; two hold everything: a breach.
    std::vector<double> w;
    for (const double v : x) w.push_back(2.0 * v);
    std::vector<double> cw;
    for (const double v : cx) cw.push_back(2.0 * v);
    const auto one = dg::pca_drift(cols({&x, &y, &w}), cols({&cx, &cy, &cw}), o);
    REQUIRE(one.model.components.cols() == 1);
    CHECK(one.model.explained_ratio[0] == Approx(2.0 / 3.0).epsilon(1e-12));
    CHECK(dg::detail::pca_left_out_share(one.model) == Approx(1.0 / 3.0).epsilon(1e-12));
    CHECK(dg::pca_drift_check(one, {"x", "y", "w"}, dg::severity::warning, o).note.empty());
    o.explained_variance = 0.9;
    const auto two = dg::pca_drift(cols({&x, &y, &w}), cols({&cx, &cy, &cw}), o);
    REQUIRE(two.model.components.cols() == 2);
    const auto c = dg::pca_drift_check(two, {"x", "y", "w"}, dg::severity::critical, o);
    CHECK(c.level == dg::severity::critical);
    CHECK(c.note.find("hold all of the reference's variance") != std::string::npos);
}

TEST_CASE("pca_drift: a feature's units change nothing, at 1e160 and 1e-170 too", "[pca]") {
    // Standardisation makes the model blind to each feature's scale: multiplying a feature by any
    // positive constant gives the same components, errors and band (up to rounding). At 1e160 the
    // sum of squares overflowed (the deviation was inf, the feature zeroed out of the model), at
    // 1e-170 it underflowed; both hid a changed correlation (exit 0).
    std::vector<double> a, b, c, ca, cb, cc;
    std::uint64_t state = 12345;
    const auto next = [&] {  // a 64-bit LCG (Knuth's MMIX constants), uniform in [0, 1)
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    };
    for (int i = 0; i < 400; ++i) {
        const double u = next(), v = next(), t = next();
        a.push_back(u), b.push_back(v), c.push_back(t);
        ca.push_back(u), cb.push_back(0.9 * u + 0.1 * v), cc.push_back(t);  // b now follows a
    }
    dg::pca_options o;
    o.explained_variance = 0.5;
    const auto base = dg::pca_drift(cols({&a, &b, &c}), cols({&ca, &cb, &cc}), o);
    REQUIRE(base.model.components.cols() < 3);
    for (const double k : {1e160, 1e-170, 3.0}) {
        INFO(k);
        std::vector<double> sb, scb;
        for (const double v : b) sb.push_back(v * k);
        for (const double v : cb) scb.push_back(v * k);
        const auto r = dg::pca_drift(cols({&a, &sb, &c}), cols({&ca, &scb, &cc}), o);
        REQUIRE(r.model.components.cols() == base.model.components.cols());
        for (std::size_t i = 0; i < base.model.explained_ratio.size(); ++i)
            CHECK(r.model.explained_ratio[i] == Approx(base.model.explained_ratio[i]).epsilon(1e-12));
        CHECK(close_rel(r.model.scale(1), base.model.scale(1) * k, 1e-12));
        CHECK(close_rel(r.reference.value, base.reference.value, 1e-12));
        CHECK(close_rel(r.current.value, base.current.value, 1e-12));
        CHECK(close_rel(r.upper, base.upper, 1e-9));
        CHECK(r.outside() == base.outside());
    }
    CHECK(base.outside());
}
