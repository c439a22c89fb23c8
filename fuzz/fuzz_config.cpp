// Fuzz target: the configuration loader (cli/config.cpp, parse_config on arbitrary text).
//
// cli_error is the documented outcome for bad text; any other exception, a crash, a sanitizer
// report or a broken invariant (abort) is a finding. A configuration that loads must hold values
// inside the documented ranges, and its binning options must be usable by the library as they
// are: learn_bins on a small sample never throws for a loaded configuration.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <driftgate/binning.hpp>
#include <driftgate/sample.hpp>

#include "config.hpp"

using driftgate::cli::cli_error;

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_config: invariant violated: %s\n", what);
    std::abort();
}

void check_bound(const std::optional<driftgate::bound>& b) {
    if (b && std::isnan(b->value)) fail("a NaN threshold");
}
void check_rule(const driftgate::rule& r) {
    check_bound(r.info);
    check_bound(r.warning);
    check_bound(r.critical);
}
void check_band(const driftgate::band_rule& b) {
    if (std::isnan(b.low) || std::isnan(b.high) || b.low > b.high) fail("a band with NaN or low > high");
}
bool in(double v, double lo, double hi) { return v >= lo && v <= hi; }

void check_binning(const driftgate::binning_options& o) {
    static const std::vector<double> values{-3.0, 0.0, 0.0, 1.5, 2.0, 7.0, NAN, INFINITY};
    const auto s = driftgate::sort_sample(values);
    try {
        const auto b = driftgate::learn_bins(s, o);
        for (std::size_t i = 0; i < b.inner.size(); ++i)
            if (!std::isfinite(b.inner[i]) || (i > 0 && !(b.inner[i] > b.inner[i - 1])))
                fail("learned edges not finite and strictly increasing");
    } catch (const driftgate::error&) {
        fail("a loaded configuration whose binning the library rejects");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    driftgate::cli::config c;
    try {
        c = driftgate::cli::parse_config(text, "fuzz/config.toml");
    } catch (const cli_error& e) {
        if (std::string_view(e.what()).empty()) fail("cli_error without a message");
        if (e.code() != driftgate::cli::exit_code::data) fail("parse_config error with an exit code other than 65");
        return 0;
    }
    const char d = c.csv.delimiter;
    if (d == '"' || d == '\n' || d == '\r') fail("a delimiter the CSV reader cannot use");
    if (!in(static_cast<double>(c.binning.bins), 1, 10000)) fail("drift.bins out of range");
    if (!in(c.epsilon, 1e-12, 0.5)) fail("drift.epsilon out of range");
    if (!in(c.threshold, 0, 1)) fail("performance.threshold out of range");
    if (!in(c.confidence, 0.5, 0.999999)) fail("confidence out of range");
    if (!in(c.high_risk_above, 0, 1) || !in(c.approval_below, 0, 1)) fail("proxy cut-off out of range");
    for (const auto* r : {&c.psi_top, &c.psi_other, &c.ks_pvalue, &c.csi, &c.auc, &c.recall, &c.precision,
                          &c.ks_classifier, &c.brier})
        check_rule(*r);
    if (c.ks_statistic) check_rule(*c.ks_statistic);
    for (const auto* b : {&c.high_risk_share, &c.mean_score, &c.approval_rate}) check_band(*b);
    for (const auto& [name, w] : c.importances)
        if (!(w >= 0.0)) fail("a negative or NaN importance");

    check_binning(c.binning_for("an unconfigured column"));
    (void)c.psi_rule_for("an unconfigured column");
    (void)c.ks_rule_for("an unconfigured column");
    for (const auto& [name, o] : c.overrides) {
        check_binning(c.binning_for(name));
        check_rule(c.psi_rule_for(name));
        check_rule(c.ks_rule_for(name));
    }
    return 0;
}
