// Fuzz target: the profile reader (profile_io.hpp, docs/profile-format.md) on arbitrary bytes.
//
// Byte 0 selects how the rest is read:
//   even: the bytes of a whole file (magic, version, flags, size, contents, checksum);
//   odd:  the contents alone, which the target frames as a file with the right size and checksum,
//         of format version 1 (byte 0 & 2 clear), 2 (& 2 set, & 4 clear) or 3 (both set), so that
//         mutations reach the parser of the contents instead of stopping at the checksum (a random
//         change to the contents of a whole file is refused there).
// Checks, besides crashes and sanitizer reports:
//   * parse_profile throws nothing but driftgate::error with errc::bad_format;
//   * a profile that parses serializes to bytes that parse again and serialize to themselves, and
//     to the bytes it was read from when those are of the current version with every stored
//     deviation the one its values give (a file of version 1 has none; a crafted one may store
//     another plausible figure, which the reader takes as stored);
//   * what a parsed profile feeds does not crash either: merge_profiles(p, p) serializes and parses
//     back and lists p's parts twice (profile_parts), distinct_values_upto and for_each_value agree, and evaluate(p, p, policy) with the
//     default policy and with another one (every column judged as text or discrete where it can
//     be, a correction, effect gates) throws nothing but driftgate::error.
// Anything else aborts.
//
// Profiles are parsed with a budget of 4 * 4096 values (parse_profile's max_values): a file may
// claim up to 2^40 rows of one value in a few bytes, which the budget refuses as bad_format before
// anything is allocated. Profiles that parse but claim more than 4096 rows (counted columns are
// not expanded) are round-tripped but not evaluated, to keep each input fast.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <driftgate/evaluate.hpp>
#include <driftgate/profile.hpp>
#include <driftgate/profile_io.hpp>

namespace dg = driftgate;

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail = "") {
    std::fprintf(stderr, "fuzz_profile: invariant violated: %s %s\n", what, detail.c_str());
    std::abort();
}

constexpr std::uint64_t max_rows = 4096, max_values = 4 * max_rows;

std::string framed(std::string_view contents, std::uint32_t version) {
    std::string out(dg::profile_magic);
    const std::uint32_t flags = 0;
    const std::uint64_t size = contents.size();
    out.append(reinterpret_cast<const char*>(&version), 4);
    out.append(reinterpret_cast<const char*>(&flags), 4);
    out.append(reinterpret_cast<const char*>(&size), 8);
    out.append(contents);
    const std::uint64_t sum = version >= 2 ? dg::detail::profile_checksum(out.data() + 8, out.size() - 8)
                                           : dg::detail::profile_checksum(contents.data(), contents.size());
    out.append(reinterpret_cast<const char*>(&sum), 8);
    return out;
}

/// Whether every deviation `p` holds is the one its values give (what serialize_profile writes).
bool deviations_computed(const dg::profile& p) {
    for (const auto& c : p.columns)
        if (c.deviation) {
            const double d = dg::detail::population_std(std::get<dg::sorted_sample>(c.data));
            if (std::memcmp(&d, &*c.deviation, sizeof d) != 0) return false;
        }
    return true;
}

dg::profile parse_or_fail(const std::string& bytes, const char* what) {
    try {
        return dg::parse_profile(bytes, "fuzz.dgp", max_values);
    } catch (const dg::error& e) {
        fail(what, e.what());
    }
}

/// Runs f; a driftgate::error is a documented outcome, anything else a finding.
template <class F>
void only_driftgate_errors(F&& f, const char* what) {
    try {
        f();
    } catch (const dg::error&) {
    } catch (const std::exception& e) {
        fail(what, e.what());
    }
}

void exercise(const dg::profile& p) {
    for (const auto& c : p.columns) {
        const std::size_t d = dg::distinct_values_upto(c, 1000);
        if (!c.is_text()) {
            std::size_t seen = 0;
            std::uint64_t total = 0;
            dg::for_each_value(c, [&](double, std::uint64_t k) {
                ++seen;
                total += k;
            });
            if (seen != d && !(d == 1001 && seen > 1000)) fail("for_each_value and distinct_values_upto disagree");
            if (total != c.count()) fail("for_each_value's counts do not add up to the column's values");
        }
    }
    // The merge of a profile with itself is a profile of twice the rows, in canonical form.
    only_driftgate_errors(
        [&] {
            const dg::profile m = dg::merge_profiles(p, p);
            std::vector<std::uint64_t> twice = dg::profile_parts(p);
            twice.insert(twice.end(), twice.begin(), twice.end());
            std::sort(twice.begin(), twice.end());
            if (m.meta.parts != twice) fail("the merge does not list both profiles' parts");
            const std::string b = dg::serialize_profile(m);
            const dg::profile q = parse_or_fail(b, "the merge of a parsed profile with itself does not parse");
            if (dg::serialize_profile(q) != b) fail("the merge does not round-trip");
        },
        "merge_profiles");
    // Evaluations (small profiles only: an exact KS test of thousands of values takes long):
    // errors are documented outcomes, crashes and other exceptions are not.
    if (p.meta.rows > 512) return;
    dg::policy a;
    only_driftgate_errors([&] { (void)dg::evaluate(p, p, a); }, "evaluate (default policy)");
    dg::policy b;
    b.drift.pvalue_correction = dg::correction::holm;
    b.drift.gate = dg::effect_gate::both;
    b.drift.ks_statistic = {0.1, 0.2};
    b.drift.cramers_v = {0.1, 0.2};
    b.drift.wasserstein = {0.1, 0.2};
    b.drift.jensen_shannon = {0.1, 0.2};
    b.drift.binning = dg::binning_method::uniform;
    b.drift.bins = 3;
    b.performance.kind = dg::score_kind::points;
    b.performance.higher_is_riskier = false;
    if (!p.header.empty()) b.columns.score = p.header.back();
    b.columns.label = "";
    for (std::size_t i = 0; i < p.columns.size(); ++i) {
        const auto& c = p.columns[i];
        if (c.name == b.columns.score) continue;
        auto& f = b.features[c.name];
        if (c.is_text()) f.kind = dg::column_kind::categorical;
        else f.kind = i % 2 ? dg::column_kind::discrete : dg::column_kind::continuous;
        if (!c.is_text() && i % 3 == 0) f.test = dg::drift_test::chi2;
    }
    only_driftgate_errors([&] { (void)dg::evaluate(p, p, b); }, "evaluate (another policy)");
    only_driftgate_errors([&] { (void)dg::evaluate(p, b); }, "evaluate (current alone)");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const bool frame_it = data[0] & 1;
    const std::uint32_t framed_version = data[0] & 2 ? (data[0] & 4 ? 3 : 2) : 1;
    const std::string bytes = frame_it ? framed(rest, framed_version) : std::string(rest);
    dg::profile p;
    try {
        p = dg::parse_profile(bytes, "fuzz.dgp", max_values);
    } catch (const dg::error& e) {
        if (e.id() != dg::errc::bad_format) fail("parse_profile threw an error other than bad_format:", e.what());
        if (std::string(e.what()).find("fuzz.dgp") == std::string::npos) fail("the message does not name the file:", e.what());
        return 0;
    } catch (const std::exception& e) {
        fail("parse_profile threw something other than driftgate::error:", e.what());
    }
    const std::string again = dg::serialize_profile(p);
    std::uint32_t version = 0;
    std::memcpy(&version, bytes.data() + 8, 4);
    if (version == dg::profile_format_version && deviations_computed(p) && again != bytes)
        fail("a parsed profile serializes to other bytes");
    const dg::profile q = parse_or_fail(again, "a serialized profile does not parse");
    if (dg::serialize_profile(q) != again) fail("the second round trip changed the bytes");
    if (p.meta.rows <= max_rows) exercise(p);
    return 0;
}
