// Tests of snapshot profiles (profile.hpp): the canonical form of a profiled column (counted at
// most 256 distinct bit patterns, else sorted; texts as sorted category counts), the readers of
// a distribution (distinct_values_upto, for_each_value), split_scores, and merge_profiles: the
// merge of the profiles of two parts equals the profile of the concatenated rows (metadata
// aside), checked on the file bytes and on the reports evaluate() gives, over many seeded random
// splits; and merges of profiles that do not fit together are refused with a plain message.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <driftgate/evaluate.hpp>
#include <driftgate/profile.hpp>
#include <driftgate/profile_io.hpp>

#include "profile_support.hpp"
#include "test_support.hpp"

namespace dg = driftgate;
using namespace profile_support;
using test_support::kInf;
using test_support::kNaN;
using test_support::require_error;

namespace {

std::uint64_t bits(double d) { return std::bit_cast<std::uint64_t>(d); }

const dg::counted_sample& counted(const dg::column_profile& c) {
    REQUIRE(std::holds_alternative<dg::counted_sample>(c.data));
    return std::get<dg::counted_sample>(c.data);
}
const dg::sorted_sample& sorted(const dg::column_profile& c) {
    REQUIRE(std::holds_alternative<dg::sorted_sample>(c.data));
    return std::get<dg::sorted_sample>(c.data);
}
const dg::category_counts& categories(const dg::column_profile& c) {
    REQUIRE(std::holds_alternative<dg::category_counts>(c.data));
    return std::get<dg::category_counts>(c.data);
}

/// Strictly ascending in IEEE order with -0.0 before +0.0 (bit patterns distinct).
bool strictly_ascending_keys(const std::vector<double>& v) {
    for (std::size_t i = 1; i < v.size(); ++i)
        if (!(dg::detail::radix_key(v[i - 1]) < dg::detail::radix_key(v[i]))) return false;
    return true;
}

} // namespace

// ---- canonical forms ----------------------------------------------------------------------------

TEST_CASE("profile_column: empty and all-missing columns are counted samples with nothing in them", "[profile]") {
    const auto empty = dg::profile_column(numbers("x", {}));
    CHECK(counted(empty).values.empty());
    CHECK(counted(empty).n == 0);
    CHECK(empty.count() == 0);
    CHECK(empty.missing() == 0);
    CHECK(empty.total() == 0);

    // NaN of any sign and payload is missing.
    const double neg_nan = -std::numeric_limits<double>::quiet_NaN();
    const double payload_nan = std::bit_cast<double>(std::uint64_t{0x7FF8000000000123});
    const auto nan = dg::profile_column(numbers("x", {kNaN, neg_nan, payload_nan, kNaN, kNaN}));
    CHECK(counted(nan).values.empty());
    CHECK(nan.count() == 0);
    CHECK(nan.missing() == 5);
    CHECK(nan.total() == 5);
    CHECK(dg::distinct_values_upto(nan, 10) == 0);
}

TEST_CASE("profile_column: one value, signed zeros and infinities as counted entries", "[profile]") {
    const auto one = dg::profile_column(numbers("x", {3.5, kNaN, 3.5, 3.5, 3.5}));
    CHECK(counted(one).values == std::vector<double>{3.5});
    CHECK(counted(one).counts == std::vector<std::size_t>{4});
    CHECK(one.count() == 4);
    CHECK(one.missing() == 1);

    // -0.0 and +0.0 are two bit patterns: two entries, -0.0 first.
    const auto zeros = dg::profile_column(numbers("x", {0.0, -0.0, 0.0, 1.0, -0.0, 0.0}));
    const auto& z = counted(zeros);
    REQUIRE(z.values.size() == 3);
    CHECK(bits(z.values[0]) == bits(-0.0));
    CHECK(bits(z.values[1]) == bits(0.0));
    CHECK(z.values[2] == 1.0);
    CHECK(z.counts == std::vector<std::size_t>{2, 3, 1});
    // ... but one value as doubles.
    CHECK(dg::distinct_values_upto(zeros, 10) == 2);

    const auto inf = dg::profile_column(numbers("x", {kInf, 1.0, -kInf, kInf, kNaN}));
    CHECK(counted(inf).values == std::vector<double>{-kInf, 1.0, kInf});
    CHECK(counted(inf).counts == std::vector<std::size_t>{1, 1, 2});
    CHECK(inf.missing() == 1);
}

TEST_CASE("profile_column: 256 distinct bit patterns are counted, 257 sorted", "[profile]") {
    std::mt19937_64 rng(2024);
    // 256 distinct values, each repeated 1-3 times, shuffled, with missing values.
    std::vector<double> v;
    std::size_t n = 0;
    for (int i = 0; i < 256; ++i) {
        const std::size_t k = 1 + i % 3;
        v.insert(v.end(), k, (i - 128) * 0.75);
        n += k;
    }
    v.push_back(kNaN);
    v.push_back(kNaN);
    std::shuffle(v.begin(), v.end(), rng);
    const auto c256 = dg::profile_column(numbers("x", v));
    const auto& k = counted(c256);
    REQUIRE(k.values.size() == 256);
    CHECK(strictly_ascending_keys(k.values));
    CHECK(k.values.front() == -128 * 0.75);
    CHECK(k.values.back() == 127 * 0.75);
    for (std::size_t i = 0; i < 256; ++i) CHECK(k.counts[i] == 1 + i % 3);
    CHECK(k.n == n);
    CHECK(c256.missing() == 2);
    CHECK(dg::distinct_values_upto(c256, 300) == 256);
    CHECK(dg::distinct_values_upto(c256, 255) == 256);  // limit + 1: "more than 255"
    CHECK(dg::distinct_values_upto(c256, 20) == 21);

    // One more distinct value: sorted, every value kept.
    v.push_back(1000.0);
    std::shuffle(v.begin(), v.end(), rng);
    const auto c257 = dg::profile_column(numbers("x", v));
    const auto& s = sorted(c257);
    CHECK(s.values.size() == n + 1);
    CHECK(s.missing == 2);
    CHECK(std::is_sorted(s.values.begin(), s.values.end()));
    CHECK(s.values.back() == 1000.0);
    CHECK(dg::distinct_values_upto(c257, 300) == 257);
    CHECK(dg::distinct_values_upto(c257, 256) == 257);

    // 255 values and both zeros: 257 bit patterns (256 values as doubles) are sorted, -0.0 first.
    std::vector<double> w;
    for (int i = 1; i <= 255; ++i) w.push_back(i);
    w.push_back(0.0);
    w.push_back(-0.0);
    w.push_back(0.0);
    std::shuffle(w.begin(), w.end(), rng);
    const auto zeros = dg::profile_column(numbers("x", w));
    const auto& sz = sorted(zeros);
    REQUIRE(sz.values.size() == 258);
    CHECK(bits(sz.values[0]) == bits(-0.0));
    CHECK(bits(sz.values[1]) == bits(0.0));
    CHECK(bits(sz.values[2]) == bits(0.0));
    CHECK(dg::distinct_values_upto(zeros, 1000) == 256);
}

TEST_CASE("profile_column: sorted samples of 2000 values, radix path, with ties and specials", "[profile]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-1e6, 1e6);
    std::vector<double> v;
    for (int i = 0; i < 2000; ++i) v.push_back(u(rng));
    for (double x : {0.0, -0.0, kInf, -kInf, kNaN, 5.0, 5.0, 5.0}) v.push_back(x);
    std::shuffle(v.begin(), v.end(), rng);
    const auto c = dg::profile_column(numbers("x", v));
    const auto& s = sorted(c);
    CHECK(s.missing == 1);
    CHECK(s.values.size() == 2007);
    CHECK(s.values.front() == -kInf);
    CHECK(s.values.back() == kInf);
    for (std::size_t i = 1; i < s.values.size(); ++i) CHECK(dg::detail::radix_key(s.values[i - 1]) <= dg::detail::radix_key(s.values[i]));
    const auto zero = std::find(s.values.begin(), s.values.end(), 0.0);
    REQUIRE(zero + 1 != s.values.end());
    CHECK(bits(*zero) == bits(-0.0));
    CHECK(bits(*(zero + 1)) == bits(0.0));
}

TEST_CASE("profile_column: booleans keep their type; a given counted sample is taken as it is", "[profile]") {
    const auto b = dg::profile_column(numbers("flag", {1, 0, 1, kNaN, 1}, dg::value_type::boolean));
    CHECK(b.type == dg::value_type::boolean);
    CHECK(counted(b).values == std::vector<double>{0.0, 1.0});
    CHECK(counted(b).counts == std::vector<std::size_t>{1, 3});
    CHECK(b.missing() == 1);

    dg::raw_column r = numbers("x", {99.0, 98.0});  // ignored: `counted` is given
    r.counted = dg::count_sample(std::vector<double>{2.0, 1.0, 2.0, kNaN});
    r.invalid = 3;
    r.first_invalid = "f.csv:2:1: \"abc\"";
    const auto c = dg::profile_column(std::move(r));
    CHECK(counted(c).values == std::vector<double>{1.0, 2.0});
    CHECK(counted(c).counts == std::vector<std::size_t>{1, 2});
    CHECK(c.missing() == 1);
    CHECK(c.invalid == 3);
    CHECK(c.first_invalid == "f.csv:2:1: \"abc\"");
}

TEST_CASE("profile_column: texts become category counts sorted by bytes, duplicates added", "[profile]") {
    const auto t = dg::profile_column(
        texts("grade", {"b", "a", "", "b", std::nullopt, "a", "a", "B", "\xC3\xA4", std::nullopt, ""}));
    CHECK(t.type == dg::value_type::text);
    const auto& g = categories(t);
    // Byte order: "" < "B" (0x42) < "a" (0x61) < "b" < "\xC3\xA4" (UTF-8 a-umlaut).
    CHECK(g.names == std::vector<std::string>{"", "B", "a", "b", "\xC3\xA4"});
    CHECK(g.counts == std::vector<std::uint64_t>{2, 1, 3, 2, 1});
    CHECK(g.n == 9);
    CHECK(g.missing == 2);
    CHECK(t.count() == 9);
    CHECK(t.missing() == 2);
    CHECK(g.count_of("a") == 3);
    CHECK(g.count_of("c") == 0);
    CHECK(dg::distinct_values_upto(t, 100) == 5);
    CHECK(dg::distinct_values_upto(t, 3) == 4);

    // Names given with counts (a reader that counted already), zero counts dropped.
    dg::raw_column r;
    r.name = "g";
    r.type = dg::value_type::text;
    r.categories.names = {"z", "a", "z", "m"};
    r.categories.counts = {2, 5, 3, 0};
    r.categories.missing = 4;
    const auto c = dg::profile_column(std::move(r));
    CHECK(categories(c).names == std::vector<std::string>{"a", "z"});
    CHECK(categories(c).counts == std::vector<std::uint64_t>{5, 5});
    CHECK(categories(c).n == 10);
    CHECK(c.missing() == 4);

    require_error([] { (void)dg::canonical_categories({"a", "b"}, {1}, 0); }, dg::errc::length_mismatch, "differ in length");
}

TEST_CASE("distinct_values_upto and for_each_value: -0.0 and +0.0 are one value, reported as the first", "[profile]") {
    const std::vector<double> raw{2.0, -0.0, 0.0, 0.0, -1.0, 2.0, kNaN, kInf};
    // The same values counted (few) and sorted (forced: the sorted form of the same multiset).
    const auto c = dg::profile_column(numbers("x", raw));
    dg::column_profile s = c;
    s.data = dg::sort_sample(raw);
    for (const dg::column_profile* col : {&c, static_cast<const dg::column_profile*>(&s)}) {
        INFO((col == &c ? "counted" : "sorted"));
        CHECK(dg::distinct_values_upto(*col, 100) == 4);  // -1, 0, 2, inf
        CHECK(dg::distinct_values_upto(*col, 2) == 3);
        CHECK(dg::distinct_values_upto(*col, 0) == 1);
        std::vector<double> values;
        std::vector<std::uint64_t> counts;
        dg::for_each_value(*col, [&](double v, std::uint64_t k) {
            values.push_back(v);
            counts.push_back(k);
        });
        REQUIRE(values.size() == 4);
        CHECK(values[0] == -1.0);
        CHECK(bits(values[1]) == bits(-0.0));
        CHECK(values[2] == 2.0);
        CHECK(values[3] == kInf);
        CHECK(counts == std::vector<std::uint64_t>{1, 3, 2, 1});
    }
    // Texts have no numeric values.
    const auto t = dg::profile_column(texts("t", {"a"}));
    bool called = false;
    dg::for_each_value(t, [&](double, std::uint64_t) { called = true; });
    CHECK_FALSE(called);
}

TEST_CASE("split_scores: each class's scores sorted; bad labels and missing scores name the row", "[profile]") {
    const std::vector<double> score{0.5, 0.1, 0.0, 0.9, -0.0, 0.5, 1.0};
    const std::vector<double> label{1, 0, 0, 1, 1, 0, 0};
    const auto s = dg::split_scores(score, label);
    CHECK(s.positives.values.size() == 3);
    CHECK(s.positives.values == std::vector<double>{-0.0, 0.5, 0.9});
    CHECK(bits(s.positives.values[0]) == bits(-0.0));
    CHECK(s.negatives.values == std::vector<double>{0.0, 0.1, 0.5, 1.0});
    CHECK(s.positives.missing == 0);
    CHECK(s.negatives.missing == 0);

    require_error([] { (void)dg::split_scores(std::vector<double>{0.1, 0.2, 0.3}, std::vector<double>{0, 2, 1}); },
                  dg::errc::bad_label, "label at index 1 is 2");
    require_error([] { (void)dg::split_scores(std::vector<double>{0.1, 0.2}, std::vector<double>{0, kNaN}); },
                  dg::errc::bad_label, "label at index 1 is NaN");
    require_error([] { (void)dg::split_scores(std::vector<double>{0.1, kNaN, 0.3}, std::vector<double>{0, 1, 1}); },
                  dg::errc::non_finite, "score at index 1 is NaN");
    require_error([] { (void)dg::split_scores(std::vector<double>{0.1}, std::vector<double>{0, 1}); },
                  dg::errc::length_mismatch, "scores have 1 elements but labels have 2");
}

// ---- merge == concatenation -------------------------------------------------------------------

namespace {

/// One row of the generated snapshots.
struct row {
    double num, codes, wide, flag, score, label;
    std::optional<std::string> cat;
    bool bad;  ///< num's cell was not a number (read as missing, counted invalid)
};

/// Rows of a snapshot with ties, NaN, both zeros, infinities, booleans, texts, and scores with
/// ties (-0.0 among them) by class. `continuous` is the share of num's values drawn from a
/// continuous law: at 0 num has at most 27 distinct values, at 1 it has hundreds; in between
/// the parts of a split may be counted and their union sorted. wide takes 300 values, so that
/// parts of 150-300 rows hold at most 256 and the whole often more.
std::vector<row> make_rows(std::mt19937_64& rng, std::size_t n, double continuous) {
    std::uniform_real_distribution<double> u01(0.0, 1.0), wide_u(-1e3, 1e3);
    const std::vector<double> specials{kNaN, 0.0, -0.0, kInf, -kInf};
    const std::vector<std::string> cats{"", "A", "B", "b", "\xC3\xA4", "long category name"};
    std::vector<row> rows(n);
    for (std::size_t i = 0; i < n; ++i) {
        row& r = rows[i];
        const double x = u01(rng);
        if (x < 0.15) r.num = specials[rng() % specials.size()];
        else if (x < 0.15 + 0.85 * continuous) r.num = wide_u(rng);
        else r.num = static_cast<double>(static_cast<int>(rng() % 22) - 10) * 0.5;
        r.bad = u01(rng) < 0.03;
        if (r.bad) r.num = kNaN;
        r.codes = u01(rng) < 0.05 ? kNaN : static_cast<double>(static_cast<int>(rng() % 11) - 2);
        r.wide = u01(rng) < 0.02 ? kNaN : static_cast<double>(rng() % 300) * 0.5 - 40.0;
        r.flag = u01(rng) < 0.05 ? kNaN : static_cast<double>(rng() % 2);
        if (u01(rng) < 0.1) r.cat = std::nullopt;
        else r.cat = cats[rng() % cats.size()];
        const double s = u01(rng);
        r.score = s < 0.05 ? -0.0 : s < 0.1 ? 0.0 : s < 0.15 ? 1.0 : s < 0.5 ? std::round(s * 20) / 20 : s;
        r.label = u01(rng) < 0.3 + 0.4 * r.score ? 1.0 : 0.0;
    }
    // Two rows of each class (DeLong's variance needs them) in every snapshot of four rows or more.
    if (n >= 4) {
        rows[0].label = rows[1].label = 1.0;
        rows[2].label = rows[3].label = 0.0;
    }
    return rows;
}

const std::vector<std::string> header{"id", "num", "codes", "wide", "flag", "cat", "score", "default"};

/// The profile of rows [first, last), as a reader would build it: every column but the id and
/// the label profiled, the score by class.
dg::profile profile_rows(const std::vector<row>& rows, std::size_t first, std::size_t last, const std::string& source) {
    std::vector<double> num, codes, wide, flag, score, label;
    std::vector<std::optional<std::string>> cat;
    std::uint64_t bad = 0;
    std::string first_bad;
    for (std::size_t i = first; i < last; ++i) {
        const row& r = rows[i];
        num.push_back(r.num);
        codes.push_back(r.codes);
        wide.push_back(r.wide);
        flag.push_back(r.flag);
        cat.push_back(r.cat);
        score.push_back(r.score);
        label.push_back(r.label);
        if (r.bad && bad++ == 0) first_bad = "data.csv:" + std::to_string(i + 2) + ":2: \"n/a?\"";
    }
    dg::profile p;
    p.meta.source = source;
    p.meta.rows = last - first;
    p.meta.created = 1700000000 + static_cast<std::int64_t>(first);
    p.header = header;
    p.score = "score";
    p.label = "default";
    dg::raw_column n = numbers("num", num);
    n.invalid = bad;
    n.first_invalid = first_bad;
    p.columns.push_back(dg::profile_column(std::move(n)));
    p.columns.push_back(dg::profile_column(numbers("codes", codes)));
    p.columns.push_back(dg::profile_column(numbers("wide", wide)));
    p.columns.push_back(dg::profile_column(numbers("flag", flag, dg::value_type::boolean)));
    p.columns.push_back(dg::profile_column(texts("cat", cat)));
    p.columns.push_back(dg::profile_column(numbers("score", score)));
    p.classes = dg::split_scores(score, label);
    return p;
}

/// The serialized bytes of p with the metadata of `meta_from` (merging changes only the metadata).
std::string bytes_with_meta(dg::profile p, const dg::profile& meta_from) {
    p.meta = meta_from.meta;
    return dg::serialize_profile(p);
}

const char* form(const dg::column_profile& c) {
    return std::holds_alternative<dg::counted_sample>(c.data) ? "counted"
           : std::holds_alternative<dg::sorted_sample>(c.data) ? "sorted"
                                                                : "categories";
}

} // namespace

TEST_CASE("merge_profiles: the merge of the parts' profiles is the profile of the whole, over seeded random splits",
          "[profile][merge][property]") {
    std::mt19937_64 rng(20240611);
    const dg::policy pol;
    // Which forms the merges met: counted + counted -> counted, counted + counted -> sorted (the
    // union past 256 values), counted + sorted, sorted + sorted; each must have happened.
    std::size_t counted_to_sorted = 0, counted_to_counted = 0, mixed = 0, sorted_sorted = 0, empty_parts = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const std::size_t n = 4 + rng() % 1500;
        const double continuous = std::vector<double>{0.0, 0.02, 0.1, 0.5, 1.0}[rng() % 5];
        const auto rows = make_rows(rng, n, continuous);
        const dg::profile whole = profile_rows(rows, 0, n, "whole.csv");

        // Cut into 1-5 parts at random points (empty parts included), merge left to right.
        const std::size_t parts = 1 + rng() % 5;
        std::vector<std::size_t> cuts{0, n};
        for (std::size_t k = 1; k < parts; ++k) cuts.push_back(rng() % (n + 1));
        std::sort(cuts.begin(), cuts.end());
        std::vector<dg::profile> part;
        for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
            part.push_back(profile_rows(rows, cuts[k], cuts[k + 1], "part" + std::to_string(k) + ".csv"));
            empty_parts += cuts[k] == cuts[k + 1];
        }
        dg::profile merged = part[0];
        for (std::size_t k = 1; k < part.size(); ++k) {
            for (std::size_t c = 0; c < merged.columns.size(); ++c) {
                const auto& a = merged.columns[c].data;
                const auto& b = part[k].columns[c].data;
                const bool ca = std::holds_alternative<dg::counted_sample>(a), cb = std::holds_alternative<dg::counted_sample>(b);
                const bool sa = std::holds_alternative<dg::sorted_sample>(a), sb = std::holds_alternative<dg::sorted_sample>(b);
                if (ca && cb) {
                    const auto& x = std::get<dg::counted_sample>(a);
                    const auto& y = std::get<dg::counted_sample>(b);
                    std::vector<std::uint64_t> keys;
                    for (double v : x.values) keys.push_back(dg::detail::radix_key(v));
                    for (double v : y.values) keys.push_back(dg::detail::radix_key(v));
                    std::sort(keys.begin(), keys.end());
                    const auto distinct = std::unique(keys.begin(), keys.end()) - keys.begin();
                    (distinct > 256 ? counted_to_sorted : counted_to_counted)++;
                } else if ((ca && sb) || (sa && cb)) {
                    ++mixed;
                } else if (sa && sb) {
                    ++sorted_sorted;
                }
            }
            // The consuming merge gives the same profile and leaves its inputs without data.
            dg::profile a = merged, b = part[k];
            const dg::profile consumed = dg::merge_profiles(std::move(a), std::move(b));
            merged = dg::merge_profiles(merged, part[k]);
            CHECK(dg::serialize_profile(consumed) == dg::serialize_profile(merged));
            for (const dg::profile* q : {&a, &b}) {
                for (const auto& c : q->columns) CHECK(c.total() == 0);
                if (q->classes) CHECK(q->classes->positives.values.size() + q->classes->negatives.values.size() == 0);
            }
        }
        INFO("trial " << trial << ", " << n << " rows, " << part.size() << " parts, continuous share " << continuous);
        for (std::size_t c = 0; c < whole.columns.size(); ++c) {
            INFO("column " << whole.columns[c].name << ": whole " << form(whole.columns[c]) << ", merged "
                           << form(merged.columns[c]));
            CHECK(std::string(form(whole.columns[c])) == form(merged.columns[c]));
        }
        REQUIRE(bytes_with_meta(merged, whole) == dg::serialize_profile(whole));
        CHECK(merged.meta.rows == n);
        // Its parts: one fingerprint per part, ascending; the whole is one snapshot's (none listed).
        std::vector<std::uint64_t> leaves;
        for (const auto& q : part) leaves.push_back(dg::profile_fingerprint(q));
        std::sort(leaves.begin(), leaves.end());
        if (part.size() >= 2) CHECK(merged.meta.parts == leaves);
        CHECK(whole.meta.parts.empty());

        // Merging is associative: (p0 + p1) + p2 == p0 + (p1 + p2).
        if (part.size() >= 3) {
            const dg::profile right = dg::merge_profiles(part[0], dg::merge_profiles(part[1], part[2]));
            const dg::profile left = dg::merge_profiles(dg::merge_profiles(part[0], part[1]), part[2]);
            CHECK(bytes_with_meta(right, left) == dg::serialize_profile(left));
            CHECK(right.meta.parts == left.meta.parts);  // the leaves, however the merges nest
        }

        // The reports: merged and whole as the reference, and as the current snapshot.
        if (trial % 3 == 0) {
            dg::profile m = merged;
            m.meta = whole.meta;
            const auto other_rows = make_rows(rng, 50 + rng() % 300, continuous);
            const dg::profile other = profile_rows(other_rows, 0, other_rows.size(), "other.csv");
            const auto as_reference_whole = dg::evaluate(whole, other, pol);
            const auto as_reference_merged = dg::evaluate(m, other, pol);
            CHECK(report_difference(as_reference_whole, as_reference_merged) == "");
            const auto as_current_whole = dg::evaluate(other, whole, pol);
            const auto as_current_merged = dg::evaluate(other, m, pol);
            CHECK(report_difference(as_current_whole, as_current_merged) == "");
            CHECK(find_check(as_current_merged, "auc") != nullptr);
            CHECK(find_check(as_reference_merged, "chi2", "cat") != nullptr);
        }
    }
    CHECK(counted_to_sorted > 0);
    CHECK(counted_to_counted > 0);
    CHECK(mixed > 0);
    CHECK(sorted_sorted > 0);
    CHECK(empty_parts > 0);
}

TEST_CASE("merge_profiles: a consuming merge that fails releases nothing", "[profile][merge]") {
    std::mt19937_64 rng(7);
    const auto rows = make_rows(rng, 400, 0.5);
    dg::profile a = profile_rows(rows, 0, 200, "a.csv"), b = profile_rows(rows, 200, 400, "b.csv");
    b.columns.back().name = "renamed";  // the last column differs: found before any column is merged
    const std::string a_bytes = dg::serialize_profile(a);
    CHECK_THROWS_AS(dg::merge_profiles(std::move(a), std::move(b)), dg::error);
    CHECK(dg::serialize_profile(a) == a_bytes);
}

TEST_CASE("merge_profiles: metadata, invalid cells; numbers, booleans and texts, and a part without cells", "[profile][merge]") {
    auto part = [](std::vector<double> x, dg::value_type t, std::uint64_t invalid, std::string first, std::string source,
                   std::int64_t created) {
        const auto rows = x.size();
        dg::raw_column c = numbers("x", std::move(x), t);
        c.invalid = invalid;
        c.first_invalid = std::move(first);
        std::vector<dg::raw_column> cols;
        cols.push_back(std::move(c));
        dg::profile p = profile_of(std::move(cols), rows, source);
        p.meta.created = created;
        return p;
    };
    const auto boolean = dg::value_type::boolean, number = dg::value_type::number;
    const dg::profile a = part({1, 0, kNaN}, boolean, 0, "", "a.csv", 200);
    const dg::profile b = part({0, 1, 1}, boolean, 2, "b.csv:3:1: \"x\"", "b.csv", 100);
    const dg::profile m = dg::merge_profiles(a, b);
    CHECK(m.meta.source == "a.csv + b.csv");
    CHECK(m.meta.rows == 6);
    CHECK(m.meta.created == 200);
    REQUIRE(m.columns.size() == 1);
    CHECK(m.columns[0].type == boolean);
    CHECK(counted(m.columns[0]).values == std::vector<double>{0.0, 1.0});
    CHECK(counted(m.columns[0]).counts == std::vector<std::size_t>{2, 3});
    CHECK(m.columns[0].missing() == 1);
    CHECK(m.columns[0].invalid == 2);
    CHECK(m.columns[0].first_invalid == "b.csv:3:1: \"x\"");  // a had none
    const dg::profile c = part({1}, boolean, 1, "c.csv:2:1: \"y\"", "c.csv", 300);
    CHECK(dg::merge_profiles(c, b).columns[0].first_invalid == "c.csv:2:1: \"y\"");  // the first part's

    // Numbers and booleans do not merge: the whole file, spelling 1/0 in some rows and true/false
    // in others, reads texts.
    const dg::profile n = part({1, 0, kNaN}, number, 0, "", "n.csv", 0);
    using dg::errc;
    require_error([&] { (void)dg::merge_profiles(n, b); }, errc::invalid_parameter,
                  "column \"x\" holds numbers in one profile and booleans in the other");
    require_error([&] { (void)dg::merge_profiles(b, n); }, errc::invalid_parameter,
                  "column \"x\" holds booleans in one profile and numbers in the other");

    // A part whose cells were all empty (read as numbers, the reader's default) takes the other's
    // kind, as its cells would in the whole file: the merge is the profile of the whole.
    const dg::profile empty = part({kNaN, kNaN}, number, 0, "", "e.csv", 0);
    const dg::profile whole_b = part({0, 1, 1, kNaN, kNaN}, boolean, 2, "b.csv:3:1: \"x\"", "whole.csv", 0);
    for (const auto& [x, y] : {std::pair{&b, &empty}, {&empty, &b}}) {
        dg::profile merged = dg::merge_profiles(*x, *y);
        CHECK(merged.columns[0].type == boolean);
        merged.meta = whole_b.meta;
        CHECK(dg::serialize_profile(merged) == dg::serialize_profile(whole_b));
    }
    // Texts too.
    auto text_part = [](const std::vector<std::optional<std::string>>& cells) {
        std::vector<dg::raw_column> cols;
        cols.push_back(texts("x", cells));
        return profile_of(std::move(cols), cells.size(), "t.csv");
    };
    const dg::profile t = text_part({"a", std::nullopt, "b"});
    const dg::profile whole_t = text_part({"a", std::nullopt, "b", std::nullopt, std::nullopt});
    for (const auto& [x, y] : {std::pair{&t, &empty}, {&empty, &t}}) {
        dg::profile merged = dg::merge_profiles(*x, *y);
        CHECK(merged.columns[0].type == dg::value_type::text);
        merged.meta = whole_t.meta;
        CHECK(dg::serialize_profile(merged) == dg::serialize_profile(whole_t));
    }
    // Two parts without cells: still none. A part with invalid cells and no value is not empty:
    // its cells were read as numbers.
    CHECK(dg::merge_profiles(empty, empty).columns[0].total() == 4);
    const dg::profile invalid_only = part({kNaN, kNaN}, number, 2, "i.csv:2:1: \"?\"", "i.csv", 0);
    require_error([&] { (void)dg::merge_profiles(invalid_only, b); }, errc::invalid_parameter, "holds numbers in one profile");
    // Booleans with booleans stay booleans.
    CHECK(dg::merge_profiles(b, b).columns[0].type == boolean);
}

TEST_CASE("merge_profiles: profiles that do not fit together are refused with a plain message", "[profile][merge]") {
    auto make = [](std::vector<std::string> names, std::vector<std::string> hdr) {
        std::vector<dg::raw_column> cols;
        for (auto& n : names) cols.push_back(numbers(n, {1.0, 2.0}));
        dg::profile p = profile_of(std::move(cols), 2, "p.csv");
        p.header = std::move(hdr);
        return p;
    };
    const dg::profile xy = make({"x", "y"}, {"x", "y"});
    using dg::errc;
    require_error([&] { (void)dg::merge_profiles(xy, make({"x", "z"}, {"x", "z"})); }, errc::invalid_parameter,
                  "the profiles' headers differ");
    require_error([&] { (void)dg::merge_profiles(xy, make({"x"}, {"x", "y"})); }, errc::invalid_parameter,
                  "the profiles hold different columns");
    require_error([&] { (void)dg::merge_profiles(make({"x"}, {"x", "y"}), make({"y"}, {"x", "y"})); }, errc::invalid_parameter,
                  "different columns (\"x\" and \"y\")");

    dg::profile text = xy;
    text.columns[1] = dg::profile_column(texts("y", {"a", "b"}));
    require_error([&] { (void)dg::merge_profiles(xy, text); }, errc::invalid_parameter,
                  "column \"y\" holds numbers in one profile and texts in the other");
    require_error([&] { (void)dg::merge_profiles(text, xy); }, errc::invalid_parameter,
                  "column \"y\" holds texts in one profile and numbers in the other");

    dg::profile scored = xy;
    scored.score = "y";
    require_error([&] { (void)dg::merge_profiles(xy, scored); }, errc::invalid_parameter, "different score or label");
    dg::profile labelled = xy;
    labelled.label = "x";
    require_error([&] { (void)dg::merge_profiles(labelled, xy); }, errc::invalid_parameter, "different score or label");

    dg::profile classes = xy;
    classes.classes = dg::split_scores(std::vector<double>{0.1, 0.2}, std::vector<double>{0, 1});
    require_error([&] { (void)dg::merge_profiles(xy, classes); }, errc::invalid_parameter,
                  "one profile has the score by class and the other has not");
    require_error([&] { (void)dg::merge_profiles(classes, xy); }, errc::invalid_parameter, "score by class");
    CHECK_NOTHROW(dg::merge_profiles(classes, classes));
}

TEST_CASE("profile::find: a column profiled twice finds the first, and lookups from threads are safe", "[profile]") {
    // The index used to be rebuilt whenever its size differed from the number of columns, which
    // with a name profiled twice was at every lookup: evaluate()'s tasks, run on threads, then
    // cleared and filled one map at once (heap-use-after-free and double free under ASan).
    std::vector<dg::raw_column> cols;
    for (int k = 0; k < 2; ++k)
        for (const char* n : {"a", "b", "c", "d"}) cols.push_back(numbers(n, {1, 2, 3, static_cast<double>(4 + k)}));
    dg::profile p = profile_of(std::move(cols), 4);
    p.header = {"a", "b", "c", "d"};
    REQUIRE(p.find("a") == &p.columns[0]);
    CHECK(p.find("d") == &p.columns[3]);
    CHECK(p.find("e") == nullptr);
    dg::policy pol;
    pol.checks.performance = pol.checks.proxies = false;
    const dg::executor threads = [](std::size_t n, const std::function<void(std::size_t)>& task) {
        std::vector<std::thread> t;
        for (std::size_t i = 0; i < n; ++i) t.emplace_back([&task, i] { task(i); });
        for (auto& x : t) x.join();
    };
    const dg::report serial = dg::evaluate(p, p, pol);
    for (int i = 0; i < 300; ++i) {
        const dg::report r = dg::evaluate(p, p, pol, threads);
        REQUIRE(report_difference(serial, r) == "");
    }
    // Columns added after a lookup are found.
    p.columns.push_back(dg::profile_column(numbers("e", {1, 2, 3, 4})));
    CHECK(p.find("e") == &p.columns[8]);
}
