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

#include <driftgate/policy_keys.hpp>


using driftgate::cli::cli_error;

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_config: invariant violated: %s\n", what.c_str());
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
    const auto& p = c.policy;
    if (p.input.delimiter.size() != 1) fail("a delimiter that is not one character");
    const char d = p.input.delimiter[0];
    if (d == '"' || d == '\n' || d == '\r') fail("a delimiter the CSV reader cannot use");
    if (!in(static_cast<double>(p.drift.bins), 1, 10000)) fail("drift.bins out of range");
    if (!in(p.drift.epsilon, 1e-12, 0.5)) fail("drift.epsilon out of range");
    if (!in(p.performance.confidence, 0.5, 0.999999) || !in(p.proxy.confidence, 0.5, 0.999999)) fail("confidence out of range");
    if (!in(p.proxy.high_risk_above, 0, 1) || !in(p.proxy.approval_below, 0, 1)) fail("proxy cut-off out of range");
    for (const auto* b : {&p.proxy.high_risk_share, &p.proxy.mean_score, &p.proxy.approval_rate}) check_band(*b);
    for (const auto& [name, w] : p.importance)
        if (!(w >= 0.0)) fail("a negative or NaN importance");
    // Every rule the policy derives is well formed, and the configuration round-trips: the text
    // driftgate config would print for it loads back to the same text.
    check_binning(p.binning_for("an unconfigured column"));
    check_rule(p.psi_rule("an unconfigured column"));
    for (const auto& [name, o] : p.features) {
        check_binning(p.binning_for(name));
        check_rule(p.psi_rule(name));
        check_rule(p.pvalue_rule(name, driftgate::drift_test::ks));
        check_rule(p.pvalue_rule(name, driftgate::drift_test::chi2));
    }
    const std::string again = driftgate::policy_toml(p);
    try {
        if (driftgate::policy_toml(driftgate::cli::parse_config(again, "round-trip").policy) != again)
            fail("the printed configuration does not load back to itself");
    } catch (const cli_error& e) {
        fail(std::string("the printed configuration does not load: ") + e.what());
    }
    return 0;
}
