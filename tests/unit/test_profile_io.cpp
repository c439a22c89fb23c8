// Tests of the profile file format (profile_io.hpp, docs/profile-format.md): the writer's bytes
// equal those of an encoder written here from the format document alone (layout, padding,
// checksum); profiles round-trip exactly; every single-byte change, every truncation and any
// appended bytes are refused as errc::bad_format; a future version is refused with a message
// saying so; and contents with a valid checksum that break the documented invariants (crafted
// here with the document's encoder) are refused as corrupt, never crash.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <driftgate/profile.hpp>
#include <driftgate/profile_io.hpp>

#include "profile_support.hpp"
#include "test_support.hpp"

namespace dg = driftgate;
using namespace profile_support;
using test_support::kInf;
using test_support::kNaN;

namespace {

// ---- the format as docs/profile-format.md describes it ------------------------------------------

constexpr std::uint64_t K1 = 0x9E3779B185EBCA87ULL, K2 = 0xC2B2AE3D27D4EB4FULL;

std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/// The checksum as the document states it: 64-bit little-endian words, the last zero-padded,
/// word i into lane i mod 4 (lane = rotl(lane ^ (w * K2), 31) * K1, lanes from K1, K2, ~K1, ~K2);
/// h = S * K1; per lane h = rotl(h ^ (lane * K2), 27) * K1 + 0x52DCE729; then the finish.
std::uint64_t doc_checksum(const std::string& contents) {
    std::uint64_t lane[4] = {K1, K2, ~K1, ~K2};
    for (std::size_t i = 0, word = 0; i < contents.size(); i += 8, ++word) {
        std::uint64_t w = 0;
        for (std::size_t b = 0; b < 8 && i + b < contents.size(); ++b)
            w |= std::uint64_t{static_cast<unsigned char>(contents[i + b])} << (8 * b);
        lane[word % 4] = rotl(lane[word % 4] ^ (w * K2), 31) * K1;
    }
    std::uint64_t h = static_cast<std::uint64_t>(contents.size()) * K1;
    for (const std::uint64_t x : lane) h = rotl(h ^ (x * K2), 27) * K1 + 0x52DCE729;
    h ^= h >> 33;
    h *= K2;
    h ^= h >> 29;
    return h;
}

/// Little-endian writer of the document's fields.
struct enc {
    std::string b;
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
    void u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
    void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
    void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
    /// u64 length, the bytes, zero bytes up to the next multiple of 8 (`pad` for crafted files).
    void text(const std::string& s, char pad = '\0') {
        u64(s.size());
        b += s;
        while (b.size() % 8) b.push_back(pad);
    }
};

/// The whole file around `contents`: magic, version, flags, size, contents, checksum (version 1:
/// of the contents; from version 2: of the version, flags, size and contents).
std::string frame(const std::string& contents, std::uint32_t version = 1, std::uint32_t flags = 0,
                  std::optional<std::uint64_t> sum = std::nullopt) {
    enc e;
    e.b = std::string("\x89" "DGP\r\n\x1a\n", 8);
    e.u32(version);
    e.u32(flags);
    e.u64(contents.size());
    e.b += contents;
    e.u64(sum ? *sum : version >= 2 ? doc_checksum(e.b.substr(8)) : doc_checksum(contents));
    return e.b;
}

/// Runs of equal bit patterns of ascending values.
std::vector<std::pair<double, std::uint64_t>> runs_of(std::span<const double> v) {
    std::vector<std::pair<double, std::uint64_t>> r;
    for (const double x : v) {
        if (!r.empty() && std::bit_cast<std::uint64_t>(r.back().first) == std::bit_cast<std::uint64_t>(x)) ++r.back().second;
        else r.push_back({x, 1});
    }
    return r;
}

/// A sorted sample: "written as runs when that halves it or better".
void doc_sorted(enc& e, const dg::sorted_sample& s) {
    e.u64(s.missing);
    const auto runs = runs_of(s.values);
    if (runs.size() * 2 <= s.values.size()) {
        e.u64(1);
        e.u64(runs.size());
        for (const auto& r : runs) e.f64(r.first);
        for (const auto& r : runs) e.u64(r.second);
    } else {
        e.u64(0);
        e.u64(s.values.size());
        for (const double v : s.values) e.f64(v);
    }
}

/// A counted or text column's representation and data, as the contents and the fingerprint both
/// list them: 2 counted (missing, k, values, counts), 3 categories (missing, k, names, counts).
void doc_counts(enc& e, const dg::column_profile& c) {
    if (const auto* k = std::get_if<dg::counted_sample>(&c.data)) {
        e.u64(2);
        e.u64(k->missing);
        e.u64(k->values.size());
        for (const double v : k->values) e.f64(v);
        for (const auto n : k->counts) e.u64(n);
    } else {
        const auto& g = std::get<dg::category_counts>(c.data);
        e.u64(3);
        e.u64(g.missing);
        e.u64(g.names.size());
        for (const auto& n : g.names) e.text(n);
        for (const auto n : g.counts) e.u64(n);
    }
}

/// The file of a profile, field by field as the document lists them, in format `version`: from 2,
/// each sorted column's values are followed by their population standard deviation (NaN for
/// none), the figure population_std gives (tested against numpy and exact arithmetic in
/// test_distance.cpp; here only its place in the file); from 3, the parts follow the classes.
std::string doc_file(const dg::profile& p, std::uint32_t version = 3) {
    enc e;
    e.text(p.meta.source);
    e.u64(p.meta.rows);
    e.i64(p.meta.created);
    e.text(p.meta.version);
    e.text(p.score);
    e.text(p.label);
    e.u64(p.header.size());
    for (const auto& h : p.header) e.text(h);
    e.u64(p.columns.size());
    for (const auto& c : p.columns) {
        e.text(c.name);
        e.u64(c.type == dg::value_type::number ? 0 : c.type == dg::value_type::boolean ? 1 : 2);
        e.u64(c.invalid);
        e.text(c.first_invalid);
        if (const auto* s = std::get_if<dg::sorted_sample>(&c.data)) {
            e.u64(0);
            doc_sorted(e, *s);
            if (version >= 2) e.f64(s->empty() ? std::nan("") : dg::detail::population_std(*s));
        } else {
            doc_counts(e, c);
        }
    }
    e.u64(p.classes ? 1 : 0);
    if (p.classes) {
        doc_sorted(e, p.classes->positives);
        doc_sorted(e, p.classes->negatives);
    }
    if (version >= 3) {
        e.u64(p.meta.parts.size());
        for (const auto part : p.meta.parts) e.u64(part);
    }
    return frame(e.b, version);
}

// ---- fixtures -------------------------------------------------------------------------------------

/// A small profile with every representation: counted (signed zeros, infinity), categories (an
/// empty name), a counted score, classes plain (positives) and run-coded (negatives).
dg::profile small_profile() {
    std::vector<dg::raw_column> cols;
    cols.push_back(numbers("x", {1.0, -0.0, 0.0, kInf, kNaN, 1.0}));
    cols.push_back(texts("grade", {"A", "", "B", std::nullopt, "A", "A"}));
    cols.push_back(numbers("flag", {1, 0, 1, 1, kNaN, 0}, dg::value_type::boolean));
    cols.push_back(numbers("score", {0.5, 0.1, 0.1, 0.9, 0.1, 0.5}));
    cols[0].invalid = 1;
    cols[0].first_invalid = "ref.csv:6:2: \"?\"";
    dg::profile p = profile_of(std::move(cols), 6, "ref.csv", {"default"});
    p.score = "score";
    p.label = "default";
    p.classes = dg::split_scores(std::vector<double>{0.5, 0.1, 0.1, 0.9, 0.1, 0.5}, std::vector<double>{1, 0, 0, 1, 0, 0});
    return p;
}

/// A larger profile: sorted columns plain and run-coded, all-missing and empty columns, texts
/// of every padding length, classes with ties.
dg::profile large_profile(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1e6, 1e6);
    const std::size_t n = 3000;
    std::vector<double> cont(n), ties(n), missing(n, kNaN), score(n), label(n);
    std::vector<std::optional<std::string>> names(n);
    for (std::size_t i = 0; i < n; ++i) {
        cont[i] = i % 97 == 0 ? kNaN : i % 101 == 0 ? -0.0 : i % 103 == 0 ? 0.0 : u(rng);
        ties[i] = static_cast<double>(rng() % 400) * 0.25;  // > 256 distinct, heavy ties: run-coded
        names[i] = i % 11 == 0 ? std::nullopt : std::optional<std::string>(std::string(rng() % 10, static_cast<char>('a' + rng() % 3)));
        score[i] = static_cast<double>(rng() % 1000) / 999.0;
        label[i] = static_cast<double>(rng() % 2);
    }
    std::vector<dg::raw_column> cols;
    cols.push_back(numbers("continuous", cont));
    cols.push_back(numbers("ties", ties));
    cols.push_back(numbers("all missing", missing));
    cols.push_back(texts("names \xC3\xA4", names));
    cols.push_back(numbers("score", score));
    dg::profile p = profile_of(std::move(cols), n, std::string(13, 's'), {"", "default", "unprofiled"});
    p.meta.created = -5;  // i64: before 1970
    p.meta.version = "9.9.9-test";
    p.score = "score";
    p.label = "default";
    p.classes = dg::split_scores(score, label);
    return p;
}

/// The variant alternative and every value of two distributions, bit for bit.
bool same_profile(const dg::profile& a, const dg::profile& b) {
    if (a.meta.source != b.meta.source || a.meta.rows != b.meta.rows || a.meta.created != b.meta.created ||
        a.meta.version != b.meta.version || a.meta.parts != b.meta.parts || a.header != b.header || a.score != b.score || a.label != b.label ||
        a.columns.size() != b.columns.size() || a.classes.has_value() != b.classes.has_value())
        return false;
    auto same_values = [](std::span<const double> x, std::span<const double> y) {
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (std::bit_cast<std::uint64_t>(x[i]) != std::bit_cast<std::uint64_t>(y[i])) return false;
        return true;
    };
    auto same_sorted = [&](const dg::sorted_sample& x, const dg::sorted_sample& y) {
        return x.missing == y.missing && same_values(x.values, y.values);
    };
    for (std::size_t i = 0; i < a.columns.size(); ++i) {
        const auto& x = a.columns[i];
        const auto& y = b.columns[i];
        if (x.name != y.name || x.type != y.type || x.invalid != y.invalid || x.first_invalid != y.first_invalid ||
            x.data.index() != y.data.index())
            return false;
        if (const auto* s = std::get_if<dg::sorted_sample>(&x.data)) {
            if (!same_sorted(*s, std::get<dg::sorted_sample>(y.data))) return false;
        } else if (const auto* k = std::get_if<dg::counted_sample>(&x.data)) {
            const auto& l = std::get<dg::counted_sample>(y.data);
            if (!same_values(k->values, l.values) || k->counts != l.counts || k->n != l.n || k->missing != l.missing) return false;
        } else {
            const auto& g = std::get<dg::category_counts>(x.data);
            const auto& h = std::get<dg::category_counts>(y.data);
            if (g.names != h.names || g.counts != h.counts || g.n != h.n || g.missing != h.missing) return false;
        }
    }
    if (a.classes && (!same_sorted(a.classes->positives, b.classes->positives) ||
                      !same_sorted(a.classes->negatives, b.classes->negatives)))
        return false;
    return true;
}

/// The message of the bad_format error parsing `bytes` throws ("" when it parses; FAIL for any
/// other exception).
std::string bad_format_of(const std::string& bytes, const std::string& name = "p.dgp") {
    try {
        (void)dg::parse_profile(bytes, name);
    } catch (const dg::error& e) {
        if (e.id() != dg::errc::bad_format) FAIL("errc " << dg::to_string(e.id()) << ": " << e.what());
        return e.what();
    } catch (const std::exception& e) {
        FAIL("not a driftgate::error: " << e.what());
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

// ---- the writer against the document ---------------------------------------------------------------

TEST_CASE("profile file: the writer's bytes are the document's layout and checksum", "[profile_io]") {
    for (const dg::profile& p : {small_profile(), large_profile(1), large_profile(2)}) {
        const std::string bytes = dg::serialize_profile(p);
        CHECK(bytes == doc_file(p));
        CHECK(bytes.size() % 8 == 0);  // every field 8-byte aligned, the header 24 bytes, the checksum 8
        CHECK(dg::looks_like_profile(bytes));
    }
    // The small profile by hand: the magic, version 3, flags 0, the size of the contents.
    const std::string b = dg::serialize_profile(small_profile());
    CHECK(b.substr(0, 8) == std::string("\x89\x44\x47\x50\x0D\x0A\x1A\x0A", 8));
    CHECK(b.substr(8, 8) == std::string("\x03\0\0\0\0\0\0\0", 8));
    std::uint64_t size = 0;
    std::memcpy(&size, b.data() + 16, 8);
    CHECK(size == b.size() - 32);
    // The checksum of nothing (S = 0) and of one zero word differ: the length is folded in.
    CHECK(doc_checksum("") != doc_checksum(std::string(8, '\0')));
    CHECK(dg::detail::profile_checksum("", 0) == doc_checksum(""));
    const std::string odd = "seven b";  // a tail shorter than a word, zero-padded
    CHECK(dg::detail::profile_checksum(odd.data(), odd.size()) == doc_checksum(odd));
}

namespace {

/// Profiles of every shape the format has: small and large ones, no columns, no rows, texts of
/// every padding.
std::vector<dg::profile> varied_profiles() {
    std::vector<dg::profile> profiles{small_profile(), large_profile(3)};
    // No columns, no header, no classes.
    dg::profile empty;
    empty.meta.source = "";
    profiles.push_back(empty);
    // A profile of no rows: a column with nothing in it.
    profiles.push_back(profile_of({numbers("e", {})}, 0, "no rows"));
    // Texts of length 0 to 17 (every padding).
    std::vector<dg::raw_column> cols;
    std::vector<std::optional<std::string>> cells;
    for (int len = 0; len <= 17; ++len) cells.push_back(std::string(static_cast<std::size_t>(len), 'z'));
    cols.push_back(texts("t", cells));
    profiles.push_back(profile_of(std::move(cols), 18, "pads"));
    // Merged: two parts, and the same part twice (a frame holding the same rows twice).
    profiles.push_back(dg::merge_profiles(large_profile(4), large_profile(6)));
    profiles.push_back(dg::merge_profiles(small_profile(), small_profile()));
    return profiles;
}

/// The fingerprint as docs/profile-format.md ("Parts") lists its words, hashed by the document's
/// checksum: texts as in the file, sorted samples always plain, no metadata, no first_invalid,
/// no deviation.
std::uint64_t doc_fingerprint(const dg::profile& p) {
    enc e;
    auto sorted = [&e](const dg::sorted_sample& s) {
        e.u64(s.missing);
        e.u64(s.values.size());
        for (const double v : s.values) e.f64(v);
    };
    e.u64(p.meta.rows);
    e.u64(p.header.size());
    for (const auto& h : p.header) e.text(h);
    e.text(p.score);
    e.text(p.label);
    e.u64(p.columns.size());
    for (const auto& c : p.columns) {
        e.text(c.name);
        e.u64(c.type == dg::value_type::number ? 0 : c.type == dg::value_type::boolean ? 1 : 2);
        e.u64(c.invalid);
        if (const auto* s = std::get_if<dg::sorted_sample>(&c.data)) {
            e.u64(0);
            sorted(*s);
        } else {
            doc_counts(e, c);
        }
    }
    e.u64(p.classes ? 1 : 0);
    if (p.classes) {
        sorted(p.classes->positives);
        sorted(p.classes->negatives);
    }
    return doc_checksum(e.b);
}

} // namespace

TEST_CASE("profile file: round trip, bytes exact", "[profile_io]") {
    for (const auto& p : varied_profiles()) {
        const std::string bytes = dg::serialize_profile(p);
        const dg::profile q = dg::parse_profile(bytes, "p.dgp");
        CHECK(same_profile(p, q));
        CHECK(dg::serialize_profile(q) == bytes);
    }
}

TEST_CASE("profile fingerprint: the document's words and checksum; the rows only, not where or when they were profiled", "[profile_io]") {
    for (const auto& p : varied_profiles()) {
        INFO(p.meta.source);
        CHECK(dg::profile_fingerprint(p) == doc_fingerprint(p));
        // The same after a round trip through the file (runs expanded, deviations set).
        CHECK(dg::profile_fingerprint(dg::parse_profile(dg::serialize_profile(p), "p.dgp")) == dg::profile_fingerprint(p));
    }
    const dg::profile p = large_profile(5);
    const std::uint64_t f = dg::profile_fingerprint(p);
    // Where and when: the same fingerprint.
    dg::profile q = p;
    q.meta.source = "./elsewhere.csv";
    q.meta.created = 1;
    q.meta.version = "0.0.1";
    q.meta.parts = {1, 2};
    for (auto& c : q.columns) c.first_invalid = "elsewhere.csv:2:3 (\"x\")";
    CHECK(dg::profile_fingerprint(q) == f);
    // The rows: one bit of one value, a count, a name, the rows, the classes: another fingerprint.
    auto changed = [&](auto&& edit) {
        dg::profile r = p;
        edit(r);
        return dg::profile_fingerprint(r) != f;
    };
    CHECK(changed([](dg::profile& r) {
        auto& s = std::get<dg::sorted_sample>(r.columns[0].data);
        std::vector<double> v(s.values.begin(), s.values.end());
        v.back() = std::nextafter(v.back(), 1e300);
        s.values = std::move(v);
    }));
    CHECK(changed([](dg::profile& r) { r.meta.rows += 1; }));
    CHECK(changed([](dg::profile& r) { r.header.back() += " "; }));
    CHECK(changed([](dg::profile& r) { r.columns[0].invalid += 1; }));
    CHECK(changed([](dg::profile& r) { r.columns[0].type = dg::value_type::boolean; }));
    CHECK(changed([](dg::profile& r) { std::swap(r.classes->positives, r.classes->negatives); }));
    CHECK(changed([](dg::profile& r) { r.score = ""; }));
}

TEST_CASE("profile file: a merged profile's parts are written after the classes and read back; versions 1 and 2 read with none", "[profile_io]") {
    const dg::profile a = large_profile(4), b = large_profile(6);
    const dg::profile m = dg::merge_profiles(a, b);
    std::vector<std::uint64_t> leaves{dg::profile_fingerprint(a), dg::profile_fingerprint(b)};
    std::sort(leaves.begin(), leaves.end());
    CHECK(m.meta.parts == leaves);
    const std::string bytes = dg::serialize_profile(m);
    CHECK(bytes == doc_file(m));
    // The last 8 x (1 + 2) bytes before the checksum: the count and the two parts.
    std::uint64_t tail[3];
    std::memcpy(tail, bytes.data() + bytes.size() - 8 - 24, 24);
    CHECK(tail[0] == 2);
    CHECK(tail[1] == leaves[0]);
    CHECK(tail[2] == leaves[1]);
    CHECK(dg::parse_profile(bytes, "m.dgp").meta.parts == leaves);
    // A merged profile written by version 2 (no parts) reads as the profile of one snapshot.
    for (const std::uint32_t version : {1u, 2u}) {
        const dg::profile old = dg::parse_profile(doc_file(m, version), "old.dgp");
        CHECK(old.meta.parts.empty());
        CHECK(dg::profile_parts(old) == std::vector<std::uint64_t>{dg::profile_fingerprint(m)});
    }
}

TEST_CASE("profile file: parts a merge cannot give are refused, reading and writing", "[profile_io]") {
    const dg::profile m = dg::merge_profiles(large_profile(4), large_profile(6));
    REQUIRE(m.meta.parts.size() == 2);
    auto refused = [](const dg::profile& p, const std::string& why) {
        INFO(why);
        CHECK_THROWS_AS(dg::serialize_profile(p), dg::error);
        // The file as the document would write it: refused by the reader.
        CHECK(contains(bad_format_of(doc_file(p), "parts.dgp"), why));
    };
    dg::profile one = m;
    one.meta.parts.pop_back();
    refused(one, "one part listed");
    dg::profile descending = m;
    std::swap(descending.meta.parts[0], descending.meta.parts[1]);
    if (descending.meta.parts[0] != descending.meta.parts[1]) refused(descending, "not in ascending order");
    // A count of parts beyond the end of the file.
    std::string cut = doc_file(m);
    cut = frame(cut.substr(24, cut.size() - 32 - 16), 3);
    CHECK(!bad_format_of(cut).empty());
}

TEST_CASE("profile file: with an owner, plain sorted values are viewed in the bytes, and the profile is the same", "[profile_io]") {
    std::size_t all_views = 0;
    for (const auto& p : varied_profiles()) {
        const std::string bytes = dg::serialize_profile(p);
        auto held = std::make_shared<const std::string>(bytes);
        const char* const first = held->data();
        const char* const last = held->data() + held->size();
        std::weak_ptr<const std::string> watch = held;
        dg::profile q = dg::parse_profile(*held, "p.dgp", dg::default_profile_max_values, held);
        held.reset();
        CHECK(same_profile(p, q));
        CHECK(dg::serialize_profile(q) == bytes);
        // Which values are viewed: a sorted sample stored plain (runs are expanded into memory of
        // its own), pointing into the bytes.
        std::size_t views = 0;
        auto check_sorted = [&](const dg::sorted_sample& s) {
            const bool inside = s.values.data() >= reinterpret_cast<const double*>(first) &&
                                s.values.data() + s.values.size() <= reinterpret_cast<const double*>(last);
            if (s.values.is_view()) {
                ++views;
                CHECK(inside);
            } else if (!s.values.empty()) {
                CHECK(!inside);
            }
        };
        for (const auto& c : q.columns)
            if (const auto* s = std::get_if<dg::sorted_sample>(&c.data)) check_sorted(*s);
        if (q.classes) {
            check_sorted(q.classes->positives);
            check_sorted(q.classes->negatives);
        }
        all_views += views;
        CHECK((views > 0) == !watch.expired());  // the bytes live while a view does, and only then
        // A copy of the profile shares the views; once every one is gone, so are the bytes.
        dg::profile copy = q;
        q = dg::profile();
        CHECK(same_profile(p, copy));
        copy = dg::profile();
        CHECK(watch.expired());
    }
    CHECK(all_views > 0);
}

TEST_CASE("profile file: without an owner every value is the profile's own", "[profile_io]") {
    for (const auto& p : varied_profiles()) {
        const dg::profile q = dg::parse_profile(dg::serialize_profile(p), "p.dgp");
        for (const auto& c : q.columns)
            if (const auto* s = std::get_if<dg::sorted_sample>(&c.data)) CHECK(!s->values.is_view());
    }
}

TEST_CASE("profile file: looks_like_profile reads the magic only", "[profile_io]") {
    const std::string magic("\x89" "DGP\r\n\x1a\n", 8);
    CHECK(dg::looks_like_profile(magic));
    CHECK(dg::looks_like_profile(magic + "anything"));
    CHECK_FALSE(dg::looks_like_profile(magic.substr(0, 7)));
    CHECK_FALSE(dg::looks_like_profile(""));
    CHECK_FALSE(dg::looks_like_profile("x,score,default\n1,0.2,0\n"));
    // A text-mode transfer that turned CR LF into LF damages it.
    CHECK_FALSE(dg::looks_like_profile(std::string("\x89" "DGP\n\x1a\n", 7) + "x"));
}

TEST_CASE("profile file: announced_profile_bytes is the file's length its first 24 bytes give", "[profile_io]") {
    const std::string b = dg::serialize_profile(small_profile());
    REQUIRE(dg::announced_profile_bytes(b) == b.size());
    CHECK(dg::announced_profile_bytes(b.substr(0, 24)) == b.size());  // the size field is bytes 16..23
    CHECK_FALSE(dg::announced_profile_bytes(b.substr(0, 23)));
    CHECK_FALSE(dg::announced_profile_bytes("x,score,default\n1,0.2,0\n"));
    // A size near 2^64 saturates instead of wrapping round to a small length.
    std::string huge = b.substr(0, 24);
    for (int k = 16; k < 24; ++k) huge[static_cast<std::size_t>(k)] = '\xFF';
    CHECK(dg::announced_profile_bytes(huge) == std::numeric_limits<std::uint64_t>::max());
}

// ---- damaged files -----------------------------------------------------------------------------------

TEST_CASE("profile file: every single-byte change is refused as bad_format", "[profile_io]") {
    // Which changes could still give a valid file? The magic, version, size and checksum are read
    // as they are: any change to them is refused. The flags must be 0. A change inside the
    // contents changes exactly one 64-bit word, and the checksum cannot miss it: every step of it
    // is a bijection of the changed word's lane (multiplication by an odd constant, xor with a
    // value independent of the word, rotation), the lanes are folded into h by bijections of each
    // lane given the others, and the finish is a bijection of h. So the stored checksum no longer
    // matches, and no single-byte change can yield a valid file.
    const std::string good = dg::serialize_profile(small_profile());
    REQUIRE(bad_format_of(good).empty());
    std::size_t refused = 0;
    for (std::size_t i = 0; i < good.size(); ++i)
        for (int x = 1; x < 256; ++x) {
            std::string bad = good;
            bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ x);
            const std::string what = bad_format_of(bad);
            INFO("byte " << i << " xor " << x);
            CHECK(!what.empty());
            refused += !what.empty();
        }
    CHECK(refused == good.size() * 255);
}

TEST_CASE("profile file: the flags field must be 0", "[profile_io]") {
    const std::string contents = dg::serialize_profile(small_profile()).substr(24);
    const std::string body = contents.substr(0, contents.size() - 8);
    CHECK(bad_format_of(frame(body, 3)).empty());
    for (const std::uint32_t flags : {1u, 0x100u, 0x80000000u}) {
        INFO("flags " << flags);
        CHECK(contains(bad_format_of(frame(body, 3, flags)), "flags"));
    }
}

TEST_CASE("profile file: every truncation and any appended bytes are refused, naming the file", "[profile_io]") {
    const std::string good = dg::serialize_profile(small_profile());
    for (std::size_t n = 0; n < good.size(); ++n) {
        INFO("first " << n << " bytes");
        const std::string what = bad_format_of(good.substr(0, n), "cut.dgp");
        CHECK(contains(what, "cut.dgp"));
    }
    for (const std::string& tail : {std::string(1, '\0'), std::string(8, '\0'), std::string("\n"), good}) {
        INFO("appended " << tail.size() << " bytes");
        const std::string what = bad_format_of(good + tail, "long.dgp");
        CHECK(contains(what, "long.dgp"));
        CHECK(contains(what, "truncated or extended"));
    }
    CHECK(contains(bad_format_of("x,y\n1,2\n", "ref.csv"), "not a driftgate profile"));
    CHECK(contains(bad_format_of("", "empty.dgp"), "empty.dgp"));
    CHECK(contains(bad_format_of(good.substr(0, 20), "short.dgp"), "truncated"));
}

TEST_CASE("profile file: a newer format version is refused with a message naming both versions", "[profile_io]") {
    const std::string contents = dg::serialize_profile(small_profile()).substr(24);
    const std::string body = contents.substr(0, contents.size() - 8);
    for (const std::uint32_t v : {4u, 7u, 0xFFFFFFFFu}) {
        const std::string what = bad_format_of(frame(body, v), "future.dgp");
        INFO(what);
        CHECK(contains(what, "future.dgp"));
        CHECK(contains(what, "newer"));
        CHECK(contains(what, "version " + std::to_string(v)));
        CHECK(contains(what, "(3)"));
    }
    // Version 0 never existed: refused, and not called newer.
    const std::string zero = bad_format_of(frame(body, 0), "zero.dgp");
    CHECK(contains(zero, "zero.dgp"));
    CHECK(contains(zero, "version 0"));
    CHECK_FALSE(contains(zero, "newer"));
}

// ---- crafted contents: a valid checksum, broken invariants -------------------------------------------

namespace {

/// The contents of a profile with header `header` and `ncols` columns written by `columns`, then
/// `tail` (default: no classes).
std::string contents(std::uint64_t rows, const std::vector<std::string>& header, std::uint64_t ncols,
                     const std::function<void(enc&)>& columns, const std::function<void(enc&)>& tail = [](enc& e) { e.u64(0); },
                     const std::string& score = "", const std::string& label = "") {
    enc e;
    e.text("crafted");
    e.u64(rows);
    e.i64(0);
    e.text("0.2.0");
    e.text(score);
    e.text(label);
    e.u64(header.size());
    for (const auto& h : header) e.text(h);
    e.u64(ncols);
    columns(e);
    tail(e);
    return e.b;
}

/// A column's head: name, type, invalid, first_invalid, representation.
void column_head(enc& e, const std::string& name, std::uint64_t type, std::uint64_t rep) {
    e.text(name);
    e.u64(type);
    e.u64(0);
    e.text("");
    e.u64(rep);
}

void plain(enc& e, const std::vector<double>& v, std::uint64_t missing = 0) {
    e.u64(missing);
    e.u64(0);
    e.u64(v.size());
    for (double x : v) e.f64(x);
}

void runs(enc& e, const std::vector<double>& v, const std::vector<std::uint64_t>& c, std::uint64_t missing = 0) {
    e.u64(missing);
    e.u64(1);
    e.u64(v.size());
    for (double x : v) e.f64(x);
    for (auto k : c) e.u64(k);
}

void counted_column(enc& e, const std::string& name, const std::vector<double>& v, const std::vector<std::uint64_t>& c,
                    std::uint64_t type = 0, std::uint64_t missing = 0) {
    column_head(e, name, type, 2);
    e.u64(missing);
    e.u64(v.size());
    for (double x : v) e.f64(x);
    for (auto k : c) e.u64(k);
}

void categories_column(enc& e, const std::string& name, const std::vector<std::string>& names, const std::vector<std::uint64_t>& c,
                       std::uint64_t type = 2, std::uint64_t missing = 0) {
    column_head(e, name, type, 3);
    e.u64(missing);
    e.u64(names.size());
    for (const auto& n : names) e.text(n);
    for (auto k : c) e.u64(k);
}

/// 300 distinct values: a sorted column (more than 256), written plain.
std::vector<double> distinct300() {
    std::vector<double> v;
    for (int i = 0; i < 300; ++i) v.push_back(i * 0.5);
    return v;
}

struct crafted {
    const char* name;
    std::string file;
    const char* expect;  ///< a fragment of the message
};

} // namespace

TEST_CASE("profile file: the crafting encoder's well-formed files parse", "[profile_io]") {
    // Guards the crafted cases below: each differs from one of these in the broken field only.
    const auto d = distinct300();
    const std::string sorted = frame(contents(300, {"x"}, 1, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, d); }));
    CHECK(bad_format_of(sorted).empty());
    const std::string counted = frame(contents(4, {"x"}, 1, [](enc& e) { counted_column(e, "x", {-0.0, 0.0, 2.0}, {1, 2, 1}); }));
    CHECK(bad_format_of(counted).empty());
    const std::string cats = frame(contents(5, {"g"}, 1, [](enc& e) { categories_column(e, "g", {"", "a", "b"}, {1, 1, 2}, 2, 1); }));
    CHECK(bad_format_of(cats).empty());
    const std::string classes = frame(contents(
        7, {"s", "y"}, 0, [](enc&) {},
        [](enc& e) {
            e.u64(1);
            plain(e, {0.2, 0.5, 0.9});
            runs(e, {0.1, 0.3}, {2, 2});
        },
        "s", "y"));
    CHECK(bad_format_of(classes).empty());
}

TEST_CASE("profile file: a profile whose runs expand beyond the reader's budget is refused before allocating", "[profile_io]") {
    // 2^40 rows of one value take 40 bytes of runs: refused by the default bound (2^34 values) and
    // by a caller's tighter one, as bad_format, before the values are expanded.
    const std::uint64_t huge = std::uint64_t{1} << 40;
    const std::string file = frame(contents(huge, {"x"}, 1, [&](enc& e) { column_head(e, "x", 0, 0), runs(e, {1.0}, {huge}); }));
    CHECK(bad_format_of(file).find("values once expanded") != std::string::npos);
    // 300 distinct values twice each (600 values, the canonical runs of a sorted column): parses at
    // a bound of 600, not at 599.
    const auto d = distinct300();
    const std::vector<std::uint64_t> twice(d.size(), 2);
    auto column = [&](enc& e, const char* name) { column_head(e, name, 0, 0), runs(e, d, twice); };
    const std::string small = frame(contents(600, {"x"}, 1, [&](enc& e) { column(e, "x"); }));
    CHECK(bad_format_of(small).empty());
    CHECK_THROWS_WITH(dg::parse_profile(small, "small.dgp", 599), Catch::Contains("small.dgp") && Catch::Contains("more than 599 values"));
    CHECK(dg::parse_profile(small, "small.dgp", 600).meta.rows == 600);
    // The budget spans the columns: two such columns need 1200.
    const std::string two = frame(contents(600, {"x", "z"}, 2, [&](enc& e) { column(e, "x"), column(e, "z"); }));
    CHECK_THROWS_AS(dg::parse_profile(two, "two.dgp", 1199), dg::error);
    CHECK(dg::parse_profile(two, "two.dgp", 1200).columns.size() == 2);
}

TEST_CASE("profile file: format 1 still reads (no deviation stored), and writes back as format 3", "[profile_io]") {
    for (dg::profile p : varied_profiles()) {
        p.meta.parts.clear();  // format 1 has none
        const std::string v1 = doc_file(p, 1);
        const dg::profile q = dg::parse_profile(v1, "v1.dgp");
        CHECK(same_profile(p, q));
        for (const auto& c : q.columns) CHECK(!c.deviation);
        CHECK(dg::serialize_profile(q) == doc_file(p, 3));
    }
}

TEST_CASE("profile file: format 2 stores each sorted column's deviation, which parse_profile sets", "[profile_io]") {
    std::size_t seen = 0;
    for (const auto& p : varied_profiles()) {
        const dg::profile q = dg::parse_profile(dg::serialize_profile(p), "v2.dgp");
        for (const auto& c : q.columns) {
            const auto* s = std::get_if<dg::sorted_sample>(&c.data);
            INFO(c.name);
            CHECK(c.deviation.has_value() == (s != nullptr && !s->empty()));
            if (c.deviation) {
                CHECK(same_bits(*c.deviation, dg::detail::population_std(*s)));
                ++seen;
            }
        }
    }
    CHECK(seen > 0);
}

TEST_CASE("profile file: a deviation its values cannot have is refused as corrupt", "[profile_io]") {
    // One sorted column of the 300 values 0, 0.5, ..., 149.5 (deviation 43.30...), then one whose
    // last value is +inf: format 2 wants a deviation after each. (A sorted column always has
    // values: one of at most 256 distinct values, none included, is stored counted.)
    const auto d = distinct300();
    std::vector<double> with_inf = d;
    with_inf.back() = kInf;
    auto columns = [&](double dev, double inf_dev) {
        return contents(300, {"x", "i"}, 2, [&](enc& e) {
            column_head(e, "x", 0, 0), plain(e, d), e.f64(dev);
            column_head(e, "i", 0, 0), plain(e, with_inf), e.f64(inf_dev);
        });
    };
    auto file = [&](double dev, double inf_dev) { return frame(columns(dev, inf_dev), 2); };
    const double right = dg::detail::population_std(dg::sort_sample(d));
    REQUIRE(bad_format_of(file(right, kInf)).empty());
    const dg::profile ok = dg::parse_profile(file(right, kInf), "ok.dgp");
    CHECK(ok.columns[0].deviation == right);
    CHECK(ok.columns[1].deviation == kInf);
    // Within what the values allow, a deviation is taken as stored (the checksum guards it as it
    // guards the values): 0 and the range pass.
    CHECK(bad_format_of(file(0.0, kInf)).empty());
    CHECK(bad_format_of(file(149.5, kInf)).empty());
    const std::vector<std::pair<const char*, std::string>> bad{
        {"NaN", file(kNaN, kInf)},
        {"negative", file(-1.0, kInf)},
        {"beyond the range", file(149.5000001, kInf)},
        {"infinite for finite values", file(kInf, kInf)},
        {"finite for values holding +inf", file(right, 1.0)},
    };
    for (const auto& [name, bytes] : bad) {
        INFO(name);
        const std::string what = bad_format_of(bytes, "crafted.dgp");
        CHECK(contains(what, "crafted.dgp"));
        CHECK(contains(what, "a deviation"));
    }
    // Format 1 has no deviation: the same contents are a file with 8 bytes too many in a column.
    CHECK(!bad_format_of(frame(columns(right, kInf), 1)).empty());
}

TEST_CASE("profile file: contents with a valid checksum that break an invariant are refused as corrupt", "[profile_io]") {
    const auto d = distinct300();
    auto one_column = [](std::uint64_t rows, const std::function<void(enc&)>& col) {
        return frame(contents(rows, {"x"}, 1, col));
    };
    auto with_classes = [](const std::function<void(enc&)>& cls) {
        return frame(contents(6, {"s", "y"}, 0, [](enc&) {}, cls, "s", "y"));
    };
    std::vector<double> unsorted = d;
    std::swap(unsorted[10], unsorted[11]);
    std::vector<double> with_nan = d;
    with_nan[5] = kNaN;
    std::vector<double> zeros_swapped = d;  // +0.0 before -0.0 (the order is -0.0 first)
    zeros_swapped[0] = 0.0;
    zeros_swapped.insert(zeros_swapped.begin() + 1, -0.0);
    const std::uint64_t huge = std::uint64_t{1} << 63;
    const std::vector<crafted> cases{
        {"sorted values out of order", one_column(300, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, unsorted); }), "out of order"},
        {"a NaN among sorted values", one_column(300, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, with_nan); }), "NaN"},
        {"+0.0 before -0.0", one_column(301, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, zeros_swapped); }), "out of order"},
        {"runs descending", with_classes([](enc& e) { e.u64(1), runs(e, {0.3, 0.1}, {2, 2}), plain(e, {0.1, 0.2}); }), "out of order"},
        {"a run of count 0", with_classes([](enc& e) { e.u64(1), runs(e, {0.1, 0.3}, {4, 0}), plain(e, {0.1, 0.2}); }), "bad count"},
        {"counted values repeated", one_column(2, [](enc& e) { counted_column(e, "x", {1.0, 1.0}, {1, 1}); }), "counted values"},
        {"counted values descending", one_column(2, [](enc& e) { counted_column(e, "x", {2.0, 1.0}, {1, 1}); }), "counted values"},
        {"counted +0.0 before -0.0", one_column(2, [](enc& e) { counted_column(e, "x", {0.0, -0.0}, {1, 1}); }), "counted values"},
        {"a counted NaN", one_column(2, [](enc& e) { counted_column(e, "x", {1.0, kNaN}, {1, 1}); }), "NaN"},
        {"a counted value of count 0", one_column(1, [](enc& e) { counted_column(e, "x", {1.0, 2.0}, {1, 0}); }), "bad count"},
        {"categories out of order", one_column(2, [](enc& e) { categories_column(e, "x", {"b", "a"}, {1, 1}); }), "categories out of order"},
        {"a category twice", one_column(2, [](enc& e) { categories_column(e, "x", {"a", "a"}, {1, 1}); }), "categories out of order"},
        {"a category of count 0", one_column(1, [](enc& e) { categories_column(e, "x", {"a", "b"}, {1, 0}); }), "bad count"},
        {"a text column holding numbers", one_column(2, [](enc& e) { counted_column(e, "x", {1.0}, {2}, 2); }), "does not match"},
        {"a numeric column holding categories", one_column(2, [](enc& e) { categories_column(e, "x", {"a"}, {2}, 0); }), "does not match"},
        {"a boolean column holding categories", one_column(2, [](enc& e) { categories_column(e, "x", {"a"}, {2}, 1); }), "does not match"},
        {"column type 3", one_column(2, [](enc& e) { counted_column(e, "x", {1.0}, {2}, 3); }), "unknown column type"},
        {"representation 1 outside a sorted sample", one_column(2, [](enc& e) { column_head(e, "x", 0, 1), e.u64(0); }), "representation"},
        {"representation 4", one_column(2, [](enc& e) { column_head(e, "x", 0, 4), e.u64(0); }), "representation"},
        {"sorted form 2", one_column(1, [](enc& e) { column_head(e, "x", 0, 0), e.u64(0), e.u64(2), e.u64(1), e.f64(1.0); }), "representation"},
        {"has_classes = 2", frame(contents(1, {"x"}, 0, [](enc&) {}, [](enc& e) { e.u64(2); })), "bad flag"},
        {"a missing score in a class", with_classes([](enc& e) { e.u64(1), plain(e, {0.2, 0.9}, 1), plain(e, {0.1, 0.3, 0.5}); }), "missing scores"},
        {"2^63 header names", frame(contents(1, {}, 0, [](enc&) {}).replace(64, 8, std::string("\0\0\0\0\0\0\0\x80", 8))), "beyond the end"},
        {"a text of 2^64 - 1 bytes", [] {
             enc e;
             e.u64(~std::uint64_t{0});
             return frame(e.b);
         }(), "beyond the end"},
        {"2^63 columns", frame(contents(1, {"x"}, huge, [](enc&) {})), "beyond the end"},
        {"2^63 counted values", one_column(1, [&](enc& e) { column_head(e, "x", 0, 2), e.u64(0), e.u64(huge); }), "beyond the end"},
        {"2^63 categories", one_column(1, [&](enc& e) { column_head(e, "x", 2, 3), e.u64(0), e.u64(huge); }), "beyond the end"},
        {"2^63 sorted values", one_column(1, [&](enc& e) { column_head(e, "x", 0, 0), e.u64(0), e.u64(0), e.u64(huge); }), "beyond the end"},
        {"2^63 runs", one_column(1, [&](enc& e) { column_head(e, "x", 0, 0), e.u64(0), e.u64(1), e.u64(huge); }), "beyond the end"},
        {"a run of 2^40 + 1 values", with_classes([](enc& e) {
             e.u64(1), runs(e, {0.1, 0.3}, {(std::uint64_t{1} << 40) + 1, 1}), plain(e, {0.1, 0.2});
         }), "bad count"},
        {"runs adding up past 2^40", frame(contents((std::uint64_t{1} << 41) + 2, {"s", "y"}, 0, [](enc&) {}, [](enc& e) {
             e.u64(1), runs(e, {0.1, 0.3}, {std::uint64_t{1} << 40, std::uint64_t{1} << 40}), plain(e, {0.1, 0.2});
         }, "s", "y")), "2^40"},
        {"a counted value of count 2^40 + 1", one_column(1, [](enc& e) { counted_column(e, "x", {1.0}, {(std::uint64_t{1} << 40) + 1}); }), "bad count"},
        {"a category of count 2^40 + 1", one_column(1, [](enc& e) { categories_column(e, "x", {"a"}, {(std::uint64_t{1} << 40) + 1}); }), "bad count"},
        {"bytes after the last field", frame(contents(1, {"x"}, 0, [](enc&) {}, [](enc& e) { e.u64(0), e.u64(0); })), "after the end"},
        {"contents ending inside a column", frame(contents(1, {"x"}, 1, [](enc& e) { column_head(e, "x", 0, 2), e.u64(0); }, [](enc&) {})), "truncated"},
        {"contents ending before the classes flag", frame(contents(1, {"x"}, 0, [](enc&) {}, [](enc&) {})), "truncated"},
        {"a checksum that does not match", frame(contents(1, {"x"}, 0, [](enc&) {}), 1, 0, 12345), "checksum"},
    };
    for (const auto& c : cases) {
        INFO("case: " << c.name);
        const std::string what = bad_format_of(c.file, "crafted.dgp");
        INFO("message: " << what);
        CHECK(contains(what, "crafted.dgp"));
        CHECK(contains(what, c.expect));
    }
}

TEST_CASE("profile file: padding bytes must be zero", "[profile_io]") {
    // "Texts are u64 byte length, the bytes ..., then zero bytes up to the next multiple of 8."
    auto file = [](char pad) {
        return frame(contents(1, {"x"}, 0, [](enc&) {}, [](enc& e) { e.u64(0); }).replace(0, 16, [&] {
            enc e;
            e.text("crafte", pad);  // 6 bytes and 2 of padding in place of "crafted" and 1
            return e.b;
        }()));
    };
    CHECK(bad_format_of(file('\0')).empty());
    CHECK(contains(bad_format_of(file('\x01')), "padding"));
}

// ---- canonical forms, names and totals -------------------------------------------------------------

TEST_CASE("profile file: only the canonical form of a distribution is read", "[profile_io]") {
    // "A numeric column is stored counted exactly when it holds at most 256 distinct values (bit
    // patterns) ... A sorted sample is written as runs when that halves it or better": any other
    // encoding of the same values is not what a writer gives, and would not serialize back to the
    // bytes it was read from.
    std::vector<double> v257;
    std::vector<std::uint64_t> ones257;
    for (int i = 0; i < 257; ++i) v257.push_back(i), ones257.push_back(1);
    std::vector<double> v256(v257.begin(), v257.end() - 1);
    std::vector<double> zeros255;  // 255 values and both zeros: 257 bit patterns, 256 as doubles
    zeros255.push_back(-0.0);
    zeros255.push_back(0.0);
    for (int i = 1; i <= 255; ++i) zeros255.push_back(i);
    const auto d = distinct300();
    std::vector<double> ties;  // 600 values in 300 runs of 2: runs*2 <= n, so written as runs
    std::vector<double> tie_values;
    std::vector<std::uint64_t> twos;
    for (int i = 0; i < 600; ++i) ties.push_back(static_cast<double>(i / 2));
    for (int i = 0; i < 300; ++i) tie_values.push_back(i), twos.push_back(2);

    auto one_column = [](std::uint64_t rows, const std::function<void(enc&)>& col) { return frame(contents(rows, {"x"}, 1, col)); };
    // Well-formed counterparts first.
    CHECK(bad_format_of(one_column(256, [&](enc& e) { counted_column(e, "x", v256, std::vector<std::uint64_t>(256, 1)); })).empty());
    CHECK(bad_format_of(one_column(257, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, zeros255); })).empty());
    CHECK(bad_format_of(one_column(600, [&](enc& e) { column_head(e, "x", 0, 0), runs(e, tie_values, twos); })).empty());
    // 300 values, 299 runs as doubles (-0.0 and +0.0 one run): plain, though 300 bit patterns.
    std::vector<double> zeros300 = d;
    zeros300[0] = -0.0;
    zeros300.insert(zeros300.begin() + 1, 0.0);
    zeros300.pop_back();
    CHECK(bad_format_of(one_column(300, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, zeros300); })).empty());

    const std::vector<crafted> cases{
        {"257 values counted", one_column(257, [&](enc& e) { counted_column(e, "x", v257, ones257); }), "counted"},
        {"256 values sorted", one_column(256, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, v256); }), "at most 256"},
        {"a sorted column of three values", one_column(3, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, {1.0, 2.0, 3.0}); }), "at most 256"},
        {"plain where runs halve it", one_column(600, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, ties); }), "runs"},
        {"runs where plain is shorter", one_column(300, [&](enc& e) {
             column_head(e, "x", 0, 0), runs(e, d, std::vector<std::uint64_t>(300, 1));
         }), "runs"},
        {"a run split in two", one_column(600, [&](enc& e) {
             std::vector<double> v = tie_values;
             std::vector<std::uint64_t> c = twos;
             v.insert(v.begin() + 1, 1.0);  // 0 x2, 1 x1, 1 x1, 2 x2, ...
             c[1] = 1;
             c.insert(c.begin() + 1, 1);
             column_head(e, "x", 0, 0), runs(e, v, c);
         }), "out of order"},
        {"classes plain where runs halve it", frame(contents(
             4, {"s", "y"}, 0, [](enc&) {}, [](enc& e) { e.u64(1), plain(e, {0.5, 0.5}), plain(e, {0.1, 0.2}); }, "s", "y")), "runs"},
    };
    for (const auto& c : cases) {
        INFO("case: " << c.name);
        const std::string what = bad_format_of(c.file, "crafted.dgp");
        INFO("message: " << what);
        CHECK(contains(what, "crafted.dgp"));
        CHECK(contains(what, c.expect));
    }
}

TEST_CASE("profile file: header names distinct, profiled columns named in the header and in its order", "[profile_io]") {
    auto file = [](const std::vector<std::string>& header, const std::vector<std::string>& cols) {
        return frame(contents(1, header, cols.size(), [&](enc& e) {
            for (const auto& c : cols) counted_column(e, c, {1.0}, {1});
        }));
    };
    CHECK(bad_format_of(file({"a", "b", "c"}, {"a", "c"})).empty());
    CHECK(bad_format_of(file({"a", "b", "c"}, {})).empty());
    CHECK(contains(bad_format_of(file({"a", "b", "a"}, {"b"})), "header"));
    CHECK(contains(bad_format_of(file({"a", "b"}, {"a", "a"})), "\"a\""));
    CHECK(contains(bad_format_of(file({"a", "b"}, {"b", "a"})), "\"a\""));
    CHECK(contains(bad_format_of(file({"a", "b"}, {"z"})), "\"z\""));
}

TEST_CASE("profile file: every column's cells, and the classes, add up to the rows", "[profile_io]") {
    auto file = [](std::uint64_t rows, std::uint64_t missing, std::uint64_t count) {
        return frame(contents(rows, {"x"}, 1, [&](enc& e) { counted_column(e, "x", {1.0}, {count}, 0, missing); }));
    };
    CHECK(bad_format_of(file(5, 2, 3)).empty());
    CHECK(contains(bad_format_of(file(5, 2, 2)), "rows"));
    CHECK(contains(bad_format_of(file(5, 3, 3)), "rows"));
    CHECK(contains(bad_format_of(file(0, 0, 1)), "rows"));
    // Texts and sorted samples too.
    CHECK(contains(bad_format_of(frame(contents(9, {"g"}, 1, [](enc& e) { categories_column(e, "g", {"a"}, {2}, 2, 1); }))), "rows"));
    const auto d = distinct300();
    CHECK(contains(bad_format_of(frame(contents(299, {"x"}, 1, [&](enc& e) { column_head(e, "x", 0, 0), plain(e, d); }))), "rows"));
    // A run-coded sample claiming more values than the profile has rows is refused before it is
    // expanded (no allocation of its size).
    CHECK(contains(bad_format_of(frame(contents(300, {"x"}, 1, [&](enc& e) {
              column_head(e, "x", 0, 0), runs(e, {1.0, 2.0}, {std::uint64_t{1} << 39, std::uint64_t{1} << 39});
          }))),
          "rows"));
    // The classes: one score per row.
    auto classes = [](std::uint64_t rows) {
        return frame(contents(rows, {"s", "y"}, 0, [](enc&) {}, [](enc& e) { e.u64(1), plain(e, {0.2, 0.5, 0.9}), runs(e, {0.1, 0.3}, {2, 2}); },
                              "s", "y"));
    };
    CHECK(bad_format_of(classes(7)).empty());
    CHECK(contains(bad_format_of(classes(8)), "rows"));
    CHECK(contains(bad_format_of(classes(6)), "rows"));
}

TEST_CASE("serialize_profile refuses a numeric column that is not in its canonical form", "[profile_io]") {
    // What the reader refuses, the writer does not write: a sorted sample of at most 256 distinct
    // values, or a counted sample of more, is not what profile_column and merge_profiles give.
    dg::profile p = profile_of({numbers("x", {1.0, 2.0, 2.0})}, 3);
    p.columns[0].data = dg::sort_sample(std::vector<double>{1.0, 2.0, 2.0});
    test_support::require_error([&] { (void)dg::serialize_profile(p); }, dg::errc::invalid_parameter, "column \"x\"");
    std::vector<double> v;
    for (int i = 0; i < 300; ++i) v.push_back(i);
    dg::counted_sample k;
    for (int i = 0; i < 300; ++i) k.values.push_back(i), k.counts.push_back(1);
    k.n = 300;
    dg::profile q = profile_of({numbers("y", v)}, 300);
    q.columns[0].data = k;
    test_support::require_error([&] { (void)dg::serialize_profile(q); }, dg::errc::invalid_parameter, "column \"y\"");
}

TEST_CASE("peek_profile: the outline of a profile, and never a read past the end of a damaged one", "[profile_io]") {
    for (const auto& p : varied_profiles()) {
        const std::string bytes = dg::serialize_profile(p);
        const dg::profile o = dg::peek_profile(bytes, "p.dgp");
        CHECK(o.header == p.header);
        CHECK(o.meta.rows == p.meta.rows);
        CHECK(o.score == p.score);
        REQUIRE(o.columns.size() == p.columns.size());
        for (std::size_t i = 0; i < o.columns.size(); ++i) {
            CHECK(o.columns[i].name == p.columns[i].name);
            CHECK(o.columns[i].type == p.columns[i].type);
            CHECK(o.columns[i].is_text() == p.columns[i].is_text());
        }
        // Every truncation is refused or outlined within the bytes (the checks are
        // parse_profile's); every single-byte change likewise: no crash, no read past the end
        // (the sanitizer build runs this).
        for (std::size_t n = 0; n < bytes.size(); n += 3) {
            try {
                (void)dg::peek_profile(std::string_view(bytes).substr(0, n), "cut.dgp");
            } catch (const dg::error& e) {
                CHECK(e.id() == dg::errc::bad_format);
            }
        }
        for (std::size_t i = 24; i < bytes.size() - 8; i += 5) {
            std::string bad = bytes;
            bad[i] = static_cast<char>(bad[i] ^ 0x5A);
            try {
                (void)dg::peek_profile(bad, "bad.dgp");
            } catch (const dg::error& e) {
                CHECK(e.id() == dg::errc::bad_format);
            }
        }
    }
}
