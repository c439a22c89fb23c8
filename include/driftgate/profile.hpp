// driftgate — snapshot profiles: everything a check needs from a snapshot, computed once.
//
// A profile holds the snapshot's whole header and, per profiled column, what its cells are
// (numbers, booleans read as 1/0, or texts) and its distribution: the non-missing values sorted
// (a sorted_sample), or as distinct values and counts when there are at most 256 of them (a
// counted_sample: codes, flags), or a text column's category counts; the missing count; and the
// cells read as missing because they were not numbers. With a score and a label it also holds the
// score split by class, each sorted (performance). Bin edges and kinds are not stored: they follow
// from the distribution and the policy when a check is evaluated.
//
// Exactness: a profile's distributions are canonical — the same multiset of values gives the same
// profile whatever the order of the rows or how they were split — so that
//   * every check computed from a profile equals, bit for bit, the check computed from the rows;
//   * merge_profiles(profile(A), profile(B)) equals profile(A ++ B) (metadata aside), which lets a
//     reference be profiled in shards, in parallel or on a cluster.
// The reference is profiled once per model release and reused against every current snapshot;
// profile_io.hpp persists profiles.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/detail/word_hash.hpp"
#include "driftgate/roc.hpp"
#include "driftgate/sample.hpp"
#include "driftgate/version.hpp"

namespace driftgate {
inline namespace v0 {

/// What a column's cells are, as read: numbers, booleans (read as 1 and 0) or texts.
enum class value_type { number, boolean, text };

[[nodiscard]] constexpr const char* to_string(value_type t) noexcept {
    switch (t) {
    case value_type::number: return "number";
    case value_type::boolean: return "boolean";
    case value_type::text: return "text";
    }
    return "unknown";
}

/// The categories of a text column and their counts: names distinct and ascending (byte order),
/// every count positive.
struct category_counts {
    std::vector<std::string> names;
    std::vector<std::uint64_t> counts;
    std::uint64_t n = 0;        ///< sum of counts: non-missing cells
    std::uint64_t missing = 0;  ///< missing cells

    [[nodiscard]] bool empty() const noexcept { return n == 0; }
    /// The count of `name` (0 when absent). O(log k).
    [[nodiscard]] std::uint64_t count_of(std::string_view name) const {
        const auto it = std::lower_bound(names.begin(), names.end(), name);
        return it != names.end() && *it == name ? counts[static_cast<std::size_t>(it - names.begin())] : 0;
    }
};

/// Sorts the categories of `c` by name and adds the counts of repeated names, computing n.
/// O(k log k).
[[nodiscard]] inline category_counts canonical_categories(std::vector<std::string> names, std::vector<std::uint64_t> counts,
                                                          std::uint64_t missing) {
    detail::require(names.size() == counts.size(), errc::length_mismatch, "canonical_categories",
                    "names and counts differ in length");
    std::vector<std::size_t> order(names.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    category_counts c;
    c.missing = missing;
    for (const std::size_t i : order) {
        if (counts[i] == 0) continue;
        if (!c.names.empty() && c.names.back() == names[i]) {
            c.counts.back() += counts[i];
        } else {
            c.names.push_back(std::move(names[i]));
            c.counts.push_back(counts[i]);
        }
        c.n += counts[i];
    }
    return c;
}

/// One profiled column.
struct column_profile {
    std::string name;
    value_type type = value_type::number;
    /// numbers and booleans: sorted_sample, or counted_sample at most 256 distinct values
    /// (canonical: counted exactly when count_sample succeeds); texts: category_counts.
    std::variant<sorted_sample, counted_sample, category_counts> data;
    std::uint64_t invalid = 0;   ///< cells read as missing because they were not numbers
    std::string first_invalid;   ///< where the first of them was, for a note ("FILE:LINE:COL: ...")
    /// A sorted sample's population standard deviation (detail::population_std of `data`), when
    /// known: a profile file of format 2 stores it (serialize_profile computes it), so that drift
    /// against a saved profile does not pay for the reference again; evaluate computes it where
    /// it is not set. parse_profile sets it; nothing else does (a profile's data changed, by a
    /// merge say, comes in new columns without it).
    std::optional<double> deviation;

    [[nodiscard]] bool is_text() const noexcept { return type == value_type::text; }
    /// Non-missing cells.
    [[nodiscard]] std::uint64_t count() const noexcept {
        return std::visit([](const auto& d) -> std::uint64_t {
            if constexpr (std::is_same_v<std::decay_t<decltype(d)>, category_counts>) return d.n;
            else return d.size();
        }, data);
    }
    /// Missing cells (invalid ones included).
    [[nodiscard]] std::uint64_t missing() const noexcept {
        return std::visit([](const auto& d) -> std::uint64_t { return d.missing; }, data);
    }
    [[nodiscard]] std::uint64_t total() const noexcept { return count() + missing(); }
};

/// The score split by class, each class's scores sorted: what AUC, DeLong, the classifier KS,
/// recall, precision and Brier need.
struct labelled_scores {
    sorted_sample positives;  ///< scores of the rows labelled 1
    sorted_sample negatives;  ///< scores of the rows labelled 0
};

/// Where a profile came from.
struct profile_metadata {
    std::string source;           ///< the file (or a description of the data) it was built from
    std::uint64_t rows = 0;       ///< data rows
    std::int64_t created = 0;     ///< creation time, seconds since 1970-01-01 UTC (0: unknown)
    std::string version = version_string; ///< driftgate version that built it
    /// The fingerprints (profile_fingerprint) of the profiles of one snapshot merged into this one,
    /// ascending, one per profile (a merge of merged profiles lists all of theirs); empty for the
    /// profile of one snapshot. merge_profiles sets it; `profile merge` refuses inputs that share
    /// one (their rows would count twice).
    std::vector<std::uint64_t> parts;
};

/// A snapshot's profile.
struct profile {
    profile_metadata meta;
    std::vector<std::string> header;       ///< every column of the snapshot, in file order
    std::vector<column_profile> columns;   ///< the profiled columns, in header order
    std::string score, label;              ///< the score and label columns named when it was built ("" none)
    std::optional<labelled_scores> classes; ///< the score by class, when both were present

    /// The profiled column named `name`, or nullptr. O(1) after the first call (an index is built).
    /// (A name profiled twice finds the first; the index is rebuilt when the number of columns
    /// changes, never by a lookup once built, so that threads may look up at once.)
    [[nodiscard]] const column_profile* find(std::string_view name) const {
        if (indexed_columns_ != columns.size()) {
            index_.clear();
            for (std::size_t i = 0; i < columns.size(); ++i) index_.emplace(columns[i].name, i);
            indexed_columns_ = columns.size();
        }
        const auto it = index_.find(std::string(name));
        return it == index_.end() ? nullptr : &columns[it->second];
    }
    /// Whether the snapshot's header has `name`. O(1) after the first call.
    [[nodiscard]] bool has_column(std::string_view name) const {
        if (indexed_header_ != header.size()) {
            header_index_.clear();
            for (std::size_t i = 0; i < header.size(); ++i) header_index_.emplace(header[i], i);
            indexed_header_ = header.size();
        }
        return header_index_.count(std::string(name)) != 0;
    }

private:
    mutable std::unordered_map<std::string, std::size_t> index_, header_index_;
    mutable std::size_t indexed_columns_ = 0, indexed_header_ = 0;  ///< sizes the indexes were built for
};

/// The fingerprint of the rows a profile holds: a 64-bit hash (detail/word_hash.hpp) of its row
/// count, header, score and label names, and each column's name, type, invalid count and
/// distribution (values by their bits, counts, category names), and of the classes; not of its
/// metadata (source, time, version, parts) nor of the place of its first invalid cell, so that the
/// same rows profiled again, at another time, under another path or by another version, give the
/// same fingerprint. The words hashed are listed in docs/profile-format.md ("Parts"). Not
/// cryptographic. Cost: O(size), several GB/s.
[[nodiscard]] inline std::uint64_t profile_fingerprint(const profile& p) noexcept {
    detail::word_hash h;
    auto sorted = [&h](const sorted_sample& s) {
        h.word(s.missing);
        h.word(s.values.size());
        h.doubles(s.values);
    };
    h.word(p.meta.rows);
    h.word(p.header.size());
    for (const auto& name : p.header) h.text(name);
    h.text(p.score);
    h.text(p.label);
    h.word(p.columns.size());
    for (const column_profile& c : p.columns) {
        h.text(c.name);
        h.word(static_cast<std::uint64_t>(c.type));
        h.word(c.invalid);
        if (const auto* s = std::get_if<sorted_sample>(&c.data)) {  // the file's representation numbers
            h.word(0);
            sorted(*s);
        } else if (const auto* k = std::get_if<counted_sample>(&c.data)) {
            h.word(2);
            h.word(k->missing);
            h.word(k->values.size());
            h.doubles(k->values);
            for (const std::size_t n : k->counts) h.word(n);
        } else {
            const auto& g = std::get<category_counts>(c.data);
            h.word(3);
            h.word(g.missing);
            h.word(g.names.size());
            for (const auto& name : g.names) h.text(name);
            for (const std::uint64_t n : g.counts) h.word(n);
        }
    }
    h.word(p.classes ? 1 : 0);
    if (p.classes) {
        sorted(p.classes->positives);
        sorted(p.classes->negatives);
    }
    return h.value();
}

/// The fingerprints of the snapshots whose rows `p` holds: its parts when it was merged, else its
/// own fingerprint. O(parts), or O(size) for the profile of one snapshot.
[[nodiscard]] inline std::vector<std::uint64_t> profile_parts(const profile& p) {
    if (!p.meta.parts.empty()) return p.meta.parts;
    return {profile_fingerprint(p)};
}

// ---- building ---------------------------------------------------------------------------------

/// One column as a reader delivers it, before profiling.
struct raw_column {
    std::string name;
    value_type type = value_type::number;
    std::vector<double> values;             ///< numbers / booleans in any order, NaN = missing
    std::optional<counted_sample> counted;  ///< or: already counted (then `values` is ignored)
    category_counts categories;             ///< texts (any order; made canonical)
    std::uint64_t invalid = 0;
    std::string first_invalid;
};

/// Profiles one column, taking its values: counted when it holds at most 256 distinct values,
/// else sorted (radix sort). Cost: O(n) time, n doubles of scratch.
[[nodiscard]] inline column_profile profile_column(raw_column&& c) {
    column_profile p;
    p.name = std::move(c.name);
    p.type = c.type;
    p.invalid = c.invalid;
    p.first_invalid = std::move(c.first_invalid);
    if (c.type == value_type::text) {
        p.data = canonical_categories(std::move(c.categories.names), std::move(c.categories.counts), c.categories.missing);
    } else if (c.counted) {
        p.data = std::move(*c.counted);
    } else if (auto counted = count_sample(c.values)) {
        p.data = std::move(*counted);
    } else {
        p.data = sort_sample(std::move(c.values));
    }
    return p;
}

/// The score split by class and sorted, from row-ordered scores and 0/1 labels (booleans and
/// numbers 0.0 / 1.0). Errors carry the first bad row's index (errc::bad_label for a label that
/// is not 0 or 1 or is missing, errc::non_finite for a missing score). Cost: O(n).
[[nodiscard]] inline labelled_scores split_scores(std::span<const double> scores, std::span<const double> labels) {
    roc_classes c = split_classes(scores, labels);
    labelled_scores out;
    out.positives = sort_sample(std::move(c.positives));
    out.negatives = sort_sample(std::move(c.negatives));
    return out;
}

/// One column of a snapshot in row order, as a service (or a data frame) holds it.
struct column_values {
    std::string name;
    value_type type = value_type::number;           ///< number, boolean: `numbers`; text: `texts`
    std::vector<double> numbers;                    ///< NaN = missing (booleans as 1 and 0)
    std::vector<std::optional<std::string>> texts;  ///< nullopt = missing
};

/// The profile of a snapshot held in memory: every column profiled (the label only when it is a
/// feature too: it is not by default), the header in the order given, and with a `score` and a
/// `label` column among them the score split by class (labels 0 or 1, every labelled row scored:
/// errc::bad_label / errc::non_finite naming the row index). Columns of different lengths:
/// errc::length_mismatch. Cost: O(n) per column (radix sorts), as the CLI profiles a CSV.
[[nodiscard]] inline profile make_profile(std::vector<column_values> columns, const std::string& score = {},
                                          const std::string& label = {}, std::string source = "(in memory)") {
    constexpr const char* where = "make_profile";
    profile p;
    p.meta.source = std::move(source);
    p.score = score;
    std::size_t rows = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto& c = columns[i];
        const std::size_t n = c.type == value_type::text ? c.texts.size() : c.numbers.size();
        if (i == 0) rows = n;
        detail::require(n == rows, errc::length_mismatch, where,
                        "column \"" + c.name + "\" has " + std::to_string(n) + " rows, the first column " + std::to_string(rows));
        p.header.push_back(c.name);
    }
    p.meta.rows = rows;
    const column_values* s = nullptr;
    const column_values* y = nullptr;
    for (const auto& c : columns) {
        if (!score.empty() && c.name == score) s = &c;
        if (!label.empty() && c.name == label) y = &c;
    }
    if (s && y) {
        detail::require(s->type != value_type::text && y->type != value_type::text, errc::invalid_parameter, where,
                        "the score and the label must be numbers");
        p.label = label;
        p.classes = split_scores(s->numbers, y->numbers);
    }
    for (auto& c : columns) {
        if (!label.empty() && c.name == label) continue;
        raw_column r;
        r.name = std::move(c.name);
        r.type = c.type;
        if (c.type == value_type::text) {
            std::vector<std::string> names;
            std::vector<std::uint64_t> counts;
            std::uint64_t missing = 0;
            for (auto& t : c.texts) {
                if (!t) {
                    ++missing;
                    continue;
                }
                names.push_back(std::move(*t));
                counts.push_back(1);
            }
            r.categories = canonical_categories(std::move(names), std::move(counts), missing);
        } else {
            r.values = std::move(c.numbers);
        }
        p.columns.push_back(profile_column(std::move(r)));
    }
    return p;
}

// ---- merging ----------------------------------------------------------------------------------

namespace detail {

/// The sorted union of two sorted samples (missing counts added). O(n1 + n2).
[[nodiscard]] inline sorted_sample merge_sorted(const sorted_sample& a, const sorted_sample& b) {
    sorted_sample out;
    out.missing = a.missing + b.missing;
    std::vector<double> v(a.values.size() + b.values.size());
    // Ascending radix_key order, as sort_values gives (-0.0 before +0.0).
    std::merge(a.values.begin(), a.values.end(), b.values.begin(), b.values.end(), v.begin(),
               [](double x, double y) { return radix_key(x) < radix_key(y); });
    out.values = std::move(v);
    return out;
}

/// A numeric column's distribution, canonical: counted when at most 256 distinct values.
[[nodiscard]] inline std::variant<sorted_sample, counted_sample, category_counts> canonical_numbers(sorted_sample s) {
    if (auto c = count_sample(s.values)) {
        c->missing = s.missing;
        return std::move(*c);
    }
    return s;
}

[[nodiscard]] inline sorted_sample as_sorted(const std::variant<sorted_sample, counted_sample, category_counts>& d) {
    if (const auto* s = std::get_if<sorted_sample>(&d)) return *s;
    return std::get<counted_sample>(d).expand();
}

/// Two counted samples merged by radix_key: counted while at most 256 distinct values.
[[nodiscard]] inline std::variant<sorted_sample, counted_sample, category_counts> merge_numbers(
    const std::variant<sorted_sample, counted_sample, category_counts>& a,
    const std::variant<sorted_sample, counted_sample, category_counts>& b) {
    const auto* ca = std::get_if<counted_sample>(&a);
    const auto* cb = std::get_if<counted_sample>(&b);
    if (ca && cb) {
        counted_sample m;
        m.missing = ca->missing + cb->missing;
        std::size_t i = 0, j = 0;
        while (i < ca->values.size() || j < cb->values.size()) {
            const bool take_a = j == cb->values.size() ||
                                (i < ca->values.size() && radix_key(ca->values[i]) <= radix_key(cb->values[j]));
            const bool take_b = i == ca->values.size() ||
                                (j < cb->values.size() && radix_key(cb->values[j]) <= radix_key(ca->values[i]));
            const double v = take_a ? ca->values[i] : cb->values[j];
            std::size_t n = 0;
            if (take_a) n += ca->counts[i++];
            if (take_b) n += cb->counts[j++];
            m.values.push_back(v);
            m.counts.push_back(n);
            m.n += n;
        }
        if (m.values.size() <= distinct_counter::max_distinct) return m;
        return m.expand();
    }
    return canonical_numbers(merge_sorted(as_sorted(a), as_sorted(b)));
}

/// Whether a part's column holds no cell at all but empty ones (no value, no invalid cell): its
/// kind is then the reader's default, not what its cells were.
[[nodiscard]] inline bool holds_no_cells(const column_profile& c) noexcept { return c.count() == 0 && c.invalid == 0; }

/// The data of a column of `missing` empty cells, read as `type`.
[[nodiscard]] inline std::variant<sorted_sample, counted_sample, category_counts> no_cells_as(value_type type,
                                                                                              std::uint64_t missing) {
    if (type == value_type::text) {
        category_counts g;
        g.missing = missing;
        return g;
    }
    sorted_sample s;
    s.missing = static_cast<std::size_t>(missing);
    return s;
}

[[nodiscard]] inline category_counts merge_categories(const category_counts& a, const category_counts& b) {
    category_counts m;
    m.missing = a.missing + b.missing;
    m.n = a.n + b.n;
    std::size_t i = 0, j = 0;
    while (i < a.names.size() || j < b.names.size()) {
        if (j == b.names.size() || (i < a.names.size() && a.names[i] < b.names[j])) {
            m.names.push_back(a.names[i]);
            m.counts.push_back(a.counts[i++]);
        } else if (i == a.names.size() || b.names[j] < a.names[i]) {
            m.names.push_back(b.names[j]);
            m.counts.push_back(b.counts[j++]);
        } else {
            m.names.push_back(a.names[i]);
            m.counts.push_back(a.counts[i++] + b.counts[j++]);
        }
    }
    return m;
}

} // namespace detail

namespace detail {

/// merge_profiles of two profiles, const (copied from) or not (each column's data released from
/// both as soon as its merge is done: the whole merge then holds the two profiles plus one
/// column, not plus the result).
template <class P>
[[nodiscard]] profile merge_profiles_impl(P& a, P& b) {
    constexpr const char* where = "merge_profiles";
    constexpr bool consume = !std::is_const_v<P>;
    detail::require(a.header == b.header, errc::invalid_parameter, where,
                    "the profiles' headers differ (" + a.meta.source + ", " + b.meta.source + ")");
    detail::require(a.columns.size() == b.columns.size(), errc::invalid_parameter, where,
                    "the profiles hold different columns");
    detail::require(a.score == b.score && a.label == b.label, errc::invalid_parameter, where,
                    "the profiles name different score or label columns");
    detail::require(a.classes.has_value() == b.classes.has_value(), errc::invalid_parameter, where,
                    "one profile has the score by class and the other has not");
    for (std::size_t i = 0; i < a.columns.size(); ++i) {  // every check before anything is released
        const column_profile& x = a.columns[i];
        const column_profile& y = b.columns[i];
        detail::require(x.name == y.name, errc::invalid_parameter, where,
                        "the profiles hold different columns (\"" + x.name + "\" and \"" + y.name + "\")");
        // A part whose cells were all empty tells nothing of the column's kind: it takes the
        // other's, as its empty cells would have in the whole file. Numbers, booleans and texts
        // otherwise do not merge: the whole file, spelling them in one column, reads texts.
        const auto plural = [](value_type t) {
            return t == value_type::number ? "numbers" : t == value_type::boolean ? "booleans" : "texts";
        };
        detail::require(x.type == y.type || detail::holds_no_cells(x) || detail::holds_no_cells(y), errc::invalid_parameter,
                        where,
                        "column \"" + x.name + "\" holds " + plural(x.type) + " in one profile and " + plural(y.type) +
                            " in the other (set its kind in the configuration so that every part reads it alike)");
    }
    profile m;
    m.meta.parts = profile_parts(a);  // before anything is released
    const std::vector<std::uint64_t> more = profile_parts(b);
    m.meta.parts.insert(m.meta.parts.end(), more.begin(), more.end());
    std::sort(m.meta.parts.begin(), m.meta.parts.end());
    m.meta.source = a.meta.source + " + " + b.meta.source;
    m.meta.rows = a.meta.rows + b.meta.rows;
    m.meta.created = std::max(a.meta.created, b.meta.created);
    m.header = a.header;
    m.score = a.score;
    m.label = a.label;
    m.columns.reserve(a.columns.size());
    for (std::size_t i = 0; i < a.columns.size(); ++i) {
        auto& x = a.columns[i];
        auto& y = b.columns[i];
        column_profile c;
        c.name = x.name;
        c.type = detail::holds_no_cells(x) ? y.type : x.type;
        c.invalid = x.invalid + y.invalid;
        c.first_invalid = !x.first_invalid.empty() ? x.first_invalid : y.first_invalid;
        // A part without cells read as the other's kind (holds_no_cells).
        using data = decltype(c.data);
        const data x_as = x.type != c.type ? detail::no_cells_as(c.type, x.missing()) : data{};
        const data y_as = y.type != c.type ? detail::no_cells_as(c.type, y.missing()) : data{};
        const data& xd = x.type != c.type ? x_as : x.data;
        const data& yd = y.type != c.type ? y_as : y.data;
        if (c.is_text())
            c.data = detail::merge_categories(std::get<category_counts>(xd), std::get<category_counts>(yd));
        else
            c.data = detail::merge_numbers(xd, yd);
        if constexpr (consume) {
            x.data = sorted_sample{};
            y.data = sorted_sample{};
        }
        m.columns.push_back(std::move(c));
    }
    if (a.classes) {
        m.classes.emplace();
        m.classes->positives = detail::merge_sorted(a.classes->positives, b.classes->positives);
        if constexpr (consume) a.classes->positives = b.classes->positives = sorted_sample{};
        m.classes->negatives = detail::merge_sorted(a.classes->negatives, b.classes->negatives);
        if constexpr (consume) a.classes->negatives = b.classes->negatives = sorted_sample{};
    }
    return m;
}

} // namespace detail

/// The profile of the rows of `a` followed by the rows of `b`: the same header, columns, score
/// and label are required (errc::invalid_parameter naming the difference); distributions are
/// merged exactly (sorted merge, counts added), so that the result equals the profile of the
/// concatenated rows in everything but its metadata (source "a + b", rows added, created = the
/// later of the two, parts: the profile_parts of both, ascending). A column whose cells in one
/// part were all empty takes the other's kind (number, boolean or text), as those cells would in
/// the whole file; otherwise numbers, booleans and texts do not merge (the whole file, spelling
/// them in one column, would read texts: give the column's kind in the configuration so that
/// every shard reads it alike). The first invalid cell kept is a's. A part in both is kept
/// twice: merging is not what refuses rows counted twice (a frame may hold them on purpose);
/// `profile merge` refuses files that share a part or hold the same rows.
/// Cost: O(size of both).
[[nodiscard]] inline profile merge_profiles(const profile& a, const profile& b) { return detail::merge_profiles_impl(a, b); }

/// The same merge, taking the two profiles: each column's values are released from both as soon
/// as that column is merged, so that merging two large profiles needs one column's worth of
/// memory beyond them rather than the whole result's. On an error nothing is released. After a
/// merge, a and b hold their metadata and header only (their columns' data empty).
[[nodiscard]] inline profile merge_profiles(profile&& a, profile&& b) { return detail::merge_profiles_impl(a, b); }

// ---- reading a distribution --------------------------------------------------------------------

/// Distinct non-missing values of a numeric distribution (as doubles: -0.0 and +0.0 are one),
/// counted up to `limit` (returns limit + 1 when there are more). O(distinct values) for counted,
/// O(distinct values * log n) for sorted samples.
[[nodiscard]] inline std::size_t distinct_values_upto(const column_profile& c, std::size_t limit) {
    if (const auto* k = std::get_if<category_counts>(&c.data)) return std::min(k->names.size(), limit + 1);
    if (const auto* k = std::get_if<counted_sample>(&c.data)) {
        std::size_t d = 0;
        for (std::size_t i = 0; i < k->values.size() && d <= limit; ++i)
            if (i == 0 || k->values[i] != k->values[i - 1]) ++d;
        return d;
    }
    const auto& v = std::get<sorted_sample>(c.data).values;
    std::size_t d = 0;
    for (std::size_t i = 0; i < v.size() && d <= limit; i = detail::run_end(v, i)) ++d;
    return d;
}

/// Calls f(value, count) for each distinct non-missing value of a numeric distribution in
/// ascending order (-0.0 and +0.0 as one value, reported as the first of them). O(distinct)
/// for counted, O(distinct * log n) for sorted samples.
template <class F>
void for_each_value(const column_profile& c, F&& f) {
    if (const auto* k = std::get_if<counted_sample>(&c.data)) {
        for (std::size_t i = 0; i < k->values.size();) {
            const double v = k->values[i];
            std::uint64_t n = 0;
            while (i < k->values.size() && k->values[i] == v) n += k->counts[i++];
            f(v, n);
        }
        return;
    }
    if (const auto* s = std::get_if<sorted_sample>(&c.data)) {
        const auto& v = s->values;
        for (std::size_t i = 0; i < v.size();) {
            const std::size_t j = detail::run_end(v, i);
            f(v[i], static_cast<std::uint64_t>(j - i));
            i = j;
        }
    }
}

} // namespace v0
} // namespace driftgate
