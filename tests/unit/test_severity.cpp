// Judging: every row of docs/policy.md's threshold tables (the rules of severity.hpp's spec::),
// checked at, just below and just above each bound (the expected severities are read off
// docs/policy.md by hand and written out here).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "driftgate/severity.hpp"

using namespace driftgate;

namespace {
struct bound_row {
    const char* what;  // docs/policy.md row and bound
    rule r;
    double at;
    severity below, on, above;
};

double down(double x) { return std::nextafter(x, -INFINITY); }
double up(double x) { return std::nextafter(x, INFINITY); }

constexpr auto ok = severity::ok;
constexpr auto info = severity::info;
constexpr auto warning = severity::warning;
constexpr auto critical = severity::critical;
} // namespace

TEST_CASE("Every threshold row of docs/policy.md, at and around each bound", "[severity][spec]") {
    const std::vector<bound_row> rows{
        // Data drift
        {"PSI top-5 feature, warning PSI >= 0.10", spec::psi(true), 0.10, ok, warning, warning},
        {"PSI top-5 feature, critical PSI >= 0.25", spec::psi(true), 0.25, warning, critical, critical},
        {"PSI outside top 5, warning PSI >= 0.10", spec::psi(false), 0.10, ok, warning, warning},
        {"PSI outside top 5, >= 0.25 stays warning", spec::psi(false), 0.25, warning, warning, warning},
        {"KS p-value, warning p < 0.05", spec::ks_pvalue(), 0.05, warning, ok, ok},
        {"KS p-value, critical p < 0.01", spec::ks_pvalue(), 0.01, critical, warning, warning},
        {"CSI, warning CSI >= 0.10", spec::csi(), 0.10, ok, warning, warning},
        {"CSI, critical CSI >= 0.25", spec::csi(), 0.25, warning, critical, critical},
        // Performance
        {"AUC, warning below 0.78", spec::auc(), 0.78, warning, ok, ok},
        {"AUC, critical below 0.75", spec::auc(), 0.75, critical, warning, warning},
        {"recall, target 0.87 missed -> info", spec::recall(), 0.87, info, ok, ok},
        {"recall, warning below 0.80", spec::recall(), 0.80, warning, info, info},
        {"precision, target 0.31 missed -> info", spec::precision(), 0.31, info, ok, ok},
        {"precision, warning below 0.25", spec::precision(), 0.25, warning, info, info},
        {"KS statistic, target 0.42 missed -> info", spec::ks_statistic(), 0.42, info, ok, ok},
        {"KS statistic, critical below 0.35", spec::ks_statistic(), 0.35, critical, info, info},
        {"Brier, target 0.14 missed -> info", spec::brier(), 0.14, ok, ok, info},
        {"Brier, warning above 0.18", spec::brier(), 0.18, info, info, warning},
        // Service health
        {"latency P50, target < 100 ms", spec::latency_p50(), 100, ok, info, info},
        {"latency P50, alert > 150 ms", spec::latency_p50(), 150, info, info, warning},
        {"latency P95, warning > 200 ms", spec::latency_p95(), 200, ok, ok, warning},
        {"latency P95, critical > 300 ms", spec::latency_p95(), 300, warning, warning, critical},
        {"latency P99, target < 500 ms", spec::latency_p99(), 500, ok, info, info},
        {"latency P99, alert > 1000 ms", spec::latency_p99(), 1000, info, info, warning},
        {"4xx rate, target < 1%", spec::error_rate_4xx(), 0.01, ok, info, info},
        {"4xx rate, critical > 5%", spec::error_rate_4xx(), 0.05, info, info, critical},
        {"5xx rate, target < 0.1%", spec::error_rate_5xx(), 0.001, ok, info, info},
        {"5xx rate, alert > 1%", spec::error_rate_5xx(), 0.01, info, info, warning},
        {"5xx rate, error rate > 5% critical", spec::error_rate_5xx(), 0.05, warning, warning, critical},
        {"requests per second, target > 10", spec::requests_per_second(), 10, info, info, ok},
        {"requests per second, alert < 5", spec::requests_per_second(), 5, warning, info, info},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        CHECK(judge(row.r, down(row.at)).level == row.below);
        CHECK(judge(row.r, row.at).level == row.on);
        CHECK(judge(row.r, up(row.at)).level == row.above);
    }
}

TEST_CASE("Every proxy band of docs/policy.md, at and around each edge", "[severity][spec]") {
    struct band_row {
        const char* what;
        band_rule r;
        double low, high;
        severity outside;
    };
    const std::vector<band_row> rows{
        {"high-risk share (PD > 0.50) in [15%, 30%]", spec::high_risk_share(), 0.15, 0.30, critical},
        {"mean score in [0.15, 0.35]", spec::mean_score(), 0.15, 0.35, critical},
        {"approval rate (PD < 0.20) in [25%, 55%], warning", spec::approval_rate(), 0.25, 0.55, warning},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        CHECK(judge(row.r, down(row.low)).level == row.outside);
        CHECK(judge(row.r, row.low).level == ok);
        CHECK(judge(row.r, up(row.low)).level == ok);
        CHECK(judge(row.r, down(row.high)).level == ok);
        CHECK(judge(row.r, row.high).level == ok);
        CHECK(judge(row.r, up(row.high)).level == row.outside);
        // Inside the band, but the confidence interval crosses an edge: info.
        const double mid = (row.low + row.high) / 2;
        CHECK(judge(row.r, up(row.low), std::pair{row.low - 0.01, mid}).level == info);
        CHECK(judge(row.r, down(row.high), std::pair{mid, row.high + 0.01}).level == info);
        CHECK(judge(row.r, mid, std::pair{row.low, row.high}).level == ok);
        // Outside stays outside whatever the interval.
        CHECK(judge(row.r, up(row.high), std::pair{mid, row.high + 1}).level == row.outside);
    }
}

TEST_CASE("The judgement names the bound it crossed", "[severity]") {
    const auto j = judge(spec::psi(true), 0.3);
    CHECK(j.level == critical);
    REQUIRE(j.crossed);
    CHECK(*j.crossed == 0.25);
    CHECK_FALSE(judge(spec::psi(true), 0.01).crossed);
    CHECK(*judge(spec::mean_score(), 0.5).crossed == 0.35);
}

TEST_CASE("Judging fails closed on NaN and handles infinities", "[severity][edge]") {
    const double nan_v = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(judge(spec::auc(), nan_v), driftgate::error);
    CHECK_THROWS_AS(judge(spec::mean_score(), nan_v), driftgate::error);
    CHECK(judge(spec::psi(true), INFINITY).level == critical);
    CHECK(judge(spec::ks_pvalue(), 0.0).level == critical); // an underflowed p-value still breaches
    CHECK(judge(spec::auc(), -INFINITY).level == critical);
    CHECK_THROWS_AS(judge(band_rule{0.5, 0.4}, 0.45), driftgate::error);
}

TEST_CASE("Severities aggregate to the worst", "[severity]") {
    const std::vector<severity> none;
    CHECK(worst(none) == ok);
    const std::vector<severity> some{ok, info, warning, ok};
    CHECK(worst(some) == warning);
    CHECK(worst(warning, critical) == critical);
    CHECK(ok < info);
    CHECK(info < warning);
    CHECK(warning < critical);
    for (auto s : {ok, info, warning, critical}) CHECK(severity_from_string(to_string(s)) == s);
    CHECK_FALSE(severity_from_string("fatal"));
}

TEST_CASE("Top-k by importance for the PSI rule, failing closed", "[severity]") {
    // The monitored model's importances (examples/credit/config.toml, [importance]).
    const std::vector<std::pair<std::string, double>> imp{
        {"PAY_0", 0.198},         {"PAY_2", 0.142}, {"PAY_3", 0.118},           {"PAY_4", 0.095},
        {"utilization_1", 0.087}, {"LIMIT_BAL", 0.076}, {"payment_ratio_1", 0.064}, {"PAY_5", 0.052},
        {"BILL_AMT1", 0.041},     {"PAY_6", 0.038}};
    CHECK(in_top_k(imp, "PAY_0", spec::psi_top_k));
    CHECK(in_top_k(imp, "utilization_1", spec::psi_top_k));
    CHECK_FALSE(in_top_k(imp, "LIMIT_BAL", spec::psi_top_k));
    CHECK_FALSE(in_top_k(imp, "PAY_6", spec::psi_top_k));
    CHECK(in_top_k(imp, "AGE", spec::psi_top_k));   // not listed: fail closed
    const std::vector<std::pair<std::string, double>> none;
    CHECK(in_top_k(none, "LIMIT_BAL", 5)); // no importances: every feature is top-k
    // Ties at the k-th place are all in.
    const std::vector<std::pair<std::string, double>> tied{{"a", 3}, {"b", 2}, {"c", 2}, {"d", 1}};
    CHECK(in_top_k(tied, "b", 2));
    CHECK(in_top_k(tied, "c", 2));
    CHECK_FALSE(in_top_k(tied, "d", 2));
}
