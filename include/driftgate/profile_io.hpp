// driftgate — profiles as bytes: a documented, versioned, checksummed binary format
// (docs/profile-format.md), so that a reference is profiled once and reused by every run.
//
// The library does no I/O: serialize_profile() gives the bytes to write and parse_profile() reads
// bytes already in memory; the CLI and the Python package read and write the files. Parsing never
// trusts its input: a wrong magic, a truncated or corrupt file (checksum), a future format
// version, or contents that break the profile's invariants (unsorted values, counts that do not
// add up) throw driftgate::error(errc::bad_format) with a plain message. Cost: O(size) both ways;
// sorted values are copied as blocks, so a profile loads at memory speed.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <variant>
#include <vector>

#include "driftgate/core.hpp"
#include "driftgate/detail/word_hash.hpp"
#include "driftgate/distance.hpp"
#include "driftgate/profile.hpp"

namespace driftgate {
inline namespace v0 {

/// The first bytes of every profile file: "\x89DGP\r\n\x1a\n" (a non-ASCII first byte and a
/// CR LF / Ctrl-Z / LF tail that text-mode transfers damage, as PNG's signature does).
inline constexpr std::string_view profile_magic{"\x89" "DGP\r\n\x1a\n", 8};
/// The format version this library writes and the newest it reads (it reads every older one).
/// 2: each sorted column's population standard deviation follows its values.
/// 3: a merged profile lists its parts' fingerprints after the classes (profile_metadata::parts).
inline constexpr std::uint32_t profile_format_version = 3;

/// Whether `bytes` starts like a profile file (the magic). O(1).
[[nodiscard]] inline bool looks_like_profile(std::string_view bytes) noexcept {
    return bytes.substr(0, profile_magic.size()) == profile_magic;
}

/// The whole length of the profile file whose first 24 bytes are `head` (the contents' size the
/// header holds plus the 32 bytes of magic, version, flags, size and checksum), for bounding a
/// stream before it is read; nullopt when `head` is shorter or does not start like a profile. A
/// promise only: parse_profile checks it. O(1).
[[nodiscard]] inline std::optional<std::uint64_t> announced_profile_bytes(std::string_view head) noexcept {
    if (head.size() < 24 || !looks_like_profile(head)) return std::nullopt;
    std::uint64_t size = 0;
    std::memcpy(&size, head.data() + 16, 8);
    return size > std::numeric_limits<std::uint64_t>::max() - 32 ? std::numeric_limits<std::uint64_t>::max() : size + 32;
}

namespace detail {

static_assert(std::endian::native == std::endian::little, "the profile format is little-endian; add byte swaps here");

/// The format's checksum (detail/word_hash.hpp): 64-bit words (the tail zero-padded) mixed into
/// four lanes by multiply-rotate steps, then folded with the length. Not cryptographic: it detects
/// truncation and corruption, at several GB/s.
[[nodiscard]] inline std::uint64_t profile_checksum(const char* p, std::size_t n) noexcept {
    word_hash_lanes h;
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32)
        for (int l = 0; l < 4; ++l) {
            std::uint64_t w;
            std::memcpy(&w, p + i + 8 * l, 8);
            h.lane[l] = word_hash_step(h.lane[l], w);
        }
    for (int l = 0; i < n; i += 8, l = (l + 1) & 3) {
        std::uint64_t w = 0;
        std::memcpy(&w, p + i, n - i < 8 ? n - i : 8);
        h.lane[l] = word_hash_step(h.lane[l], w);
    }
    return h.finish(n);
}

class profile_writer {
public:
    void u64(std::uint64_t v) { raw(&v, 8); }
    void i64(std::int64_t v) { raw(&v, 8); }
    void f64(double v) { raw(&v, 8); }
    void str(std::string_view s) {
        u64(s.size());
        out_.append(s.data(), s.size());
        pad();
    }
    void doubles(std::span<const double> v) {
        u64(v.size());
        raw(v.data(), v.size() * 8);
    }
    void counts(const std::vector<std::uint64_t>& v) { raw(v.data(), v.size() * 8); }
    void sizes(const std::vector<std::size_t>& v) {
        for (const std::size_t x : v) u64(x);
    }
    [[nodiscard]] std::string& bytes() { return out_; }
    void reserve(std::size_t n) { out_.reserve(n); }

private:
    void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
    void pad() { out_.append((8 - out_.size() % 8) % 8, '\0'); }
    std::string out_;
};

class profile_reader {
public:
    profile_reader(const char* p, std::size_t n, std::uint64_t max_values = ~std::uint64_t{0})
        : p_(p), n_(n), max_values_(max_values), values_left_(max_values) {}
    /// Counts `n` values the profile will hold once expanded against the reader's budget (run-coded
    /// samples take a few bytes in the file for any number of values).
    void spend_values(std::uint64_t n) {
        if (n > values_left_)
            fail("more than " + std::to_string(max_values_) +
                 " values once expanded, the limit for this reader (a damaged file may claim rows it does not hold)");
        values_left_ -= n;
    }
    [[nodiscard]] std::uint64_t u64() {
        std::uint64_t v;
        take(&v, 8);
        return v;
    }
    [[nodiscard]] std::int64_t i64() {
        std::int64_t v;
        take(&v, 8);
        return v;
    }
    [[nodiscard]] double f64() {
        double v;
        take(&v, 8);
        return v;
    }
    /// A count of items of `item_bytes` each that must fit in what is left.
    [[nodiscard]] std::uint64_t count(std::size_t item_bytes, const char* what) {
        const std::uint64_t c = u64();
        if (c > (n_ - i_) / item_bytes) fail(std::string("a count of ") + what + " beyond the end of the file");
        return c;
    }
    [[nodiscard]] std::string str() {
        const std::uint64_t len = count(1, "text bytes");
        std::string s(p_ + i_, len);
        i_ += len;
        const std::size_t pad = (8 - i_ % 8) % 8;
        if (pad > n_ - i_) fail("text padding beyond the end of the file");
        for (std::size_t k = 0; k < pad; ++k)
            if (p_[i_ + k] != '\0') fail("text padding that is not zero bytes");
        i_ += pad;
        return s;
    }
    [[nodiscard]] std::vector<double> doubles(std::uint64_t n) { return words<double>(n); }
    /// n doubles where they lie in the bytes read, when they are aligned (always, in a file mapped
    /// or read into an allocated buffer: the format keeps every field on an 8-byte boundary);
    /// nothing, and nothing read, when they are not.
    [[nodiscard]] std::optional<std::span<const double>> doubles_in_place(std::uint64_t n) {
        if (n > (n_ - i_) / 8) fail("truncated contents");
        const char* from = p_ + i_;
        if (reinterpret_cast<std::uintptr_t>(from) % alignof(double) != 0) return std::nullopt;
        const auto count = static_cast<std::size_t>(n);
        i_ += count * 8;
        return std::span<const double>(reinterpret_cast<const double*>(from), count);
    }
    [[nodiscard]] std::vector<std::uint64_t> counts(std::uint64_t n) { return words<std::uint64_t>(n); }
    [[nodiscard]] bool done() const noexcept { return i_ == n_; }
    /// Skips `n` items of `item_bytes` each (a count read before), refusing to pass the end.
    void skip(std::uint64_t n, std::size_t item_bytes) {
        if (n > (n_ - i_) / item_bytes) fail("truncated contents");
        i_ += static_cast<std::size_t>(n * item_bytes);
    }
    [[noreturn]] static void fail(const std::string& what) { throw error(errc::bad_format, "profile", "corrupt profile: " + what); }

private:
    /// n 8-byte words copied into a new vector. Where they are aligned (always, in a file mapped
    /// or read into an allocated buffer: the format keeps every field on an 8-byte boundary) the
    /// vector is built from the range, one memmove into fresh memory; otherwise it is zeroed
    /// first and filled by one memcpy (an element-wise copy through an iterator ran at about
    /// 1.6 GB/s). The zeroing pass was a third of a 1e6-row profile's load.
    template <class T>
    [[nodiscard]] std::vector<T> words(std::uint64_t n) {
        static_assert(sizeof(T) == 8 && std::is_trivially_copyable_v<T>);
        if (n > (n_ - i_) / 8) fail("truncated contents");
        const char* from = p_ + i_;
        const auto count = static_cast<std::size_t>(n);
        i_ += count * 8;
        if (reinterpret_cast<std::uintptr_t>(from) % alignof(T) == 0) {
            const T* first = reinterpret_cast<const T*>(from);
            return std::vector<T>(first, first + count);
        }
        std::vector<T> v(count);
        if (count != 0) std::memcpy(v.data(), from, count * 8);
        return v;
    }
    void take(void* out, std::size_t n) {
        if (n > n_ - i_) fail("truncated contents");
        if (n == 0) return;  // `out` may be the null data() of an empty vector: no memcpy
        std::memcpy(out, p_ + i_, n);
        i_ += n;
    }
    const char* p_;
    std::size_t n_, i_ = 0;
    std::uint64_t max_values_, values_left_;
};

// Column representations in the file.
enum : std::uint64_t { rep_sorted = 0, rep_sorted_runs = 1, rep_counted = 2, rep_categories = 3 };

inline void write_sorted(profile_writer& w, const sorted_sample& s) {
    const auto& v = s.values;
    std::size_t runs = 0;
    for (std::size_t i = 0; i < v.size(); i = run_end(v, i)) ++runs;
    w.u64(s.missing);
    if (runs * 2 <= v.size()) {  // run-length coded: values and counts
        w.u64(rep_sorted_runs);
        std::vector<double> values;
        std::vector<std::uint64_t> counts;
        values.reserve(runs);
        counts.reserve(runs);
        for (std::size_t i = 0; i < v.size();) {
            // Runs of equal bit patterns (run_end treats -0.0 and +0.0 as one value; split them).
            std::size_t j = i + 1;
            while (j < v.size() && std::bit_cast<std::uint64_t>(v[j]) == std::bit_cast<std::uint64_t>(v[i])) ++j;
            values.push_back(v[i]);
            counts.push_back(j - i);
            i = j;
        }
        w.doubles(values);
        w.counts(counts);
    } else {
        w.u64(rep_sorted);
        w.doubles(v);
    }
}

/// Reads a sorted sample of at most `rows` values and missing values (the profile's rows: a
/// sample claiming more is refused before it is expanded), in its canonical form: values not
/// NaN and ascending; written as runs exactly when that halves it or better (runs of equal values
/// counted as write_sorted counts them), the runs' values strictly ascending (bit patterns).
/// With an `owner`, plain values (not run-coded) are viewed where they lie in the reader's bytes,
/// which `owner` keeps alive (double_array::view), instead of copied.
[[nodiscard]] inline sorted_sample read_sorted(profile_reader& r, std::uint64_t rows, const std::shared_ptr<const void>& owner = {}) {
    sorted_sample s;
    s.missing = r.u64();
    if (s.missing > rows) profile_reader::fail("more missing values than the profile has rows");
    const std::uint64_t room = rows - s.missing;
    const std::uint64_t rep = r.u64();
    std::size_t runs = 0;  // runs of equal values (as doubles: -0.0 and +0.0 are one)
    if (rep == rep_sorted) {
        const std::uint64_t n = r.count(8, "values");
        std::optional<std::span<const double>> in_place;
        if (owner) in_place = r.doubles_in_place(n);
        if (in_place) s.values = double_array::view(*in_place, owner);
        else s.values = r.doubles(n);
        r.spend_values(s.values.size());
        const std::span<const double> v = s.values;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (v[i] != v[i] || (i > 0 && radix_key(v[i]) < radix_key(v[i - 1])))
                profile_reader::fail("values out of order or NaN");
            if (i == 0 || v[i] != v[i - 1]) ++runs;
        }
        if (v.size() > room) profile_reader::fail("more values than the profile has rows");
        if (runs * 2 <= v.size()) profile_reader::fail("plain values that runs would halve (not the canonical form)");
    } else if (rep == rep_sorted_runs) {
        const std::uint64_t m = r.count(16, "runs");
        const std::vector<double> values = r.doubles(m);
        const std::vector<std::uint64_t> counts = r.counts(m);
        std::uint64_t n = 0;
        for (std::size_t i = 0; i < m; ++i) {
            if (values[i] != values[i] || (i > 0 && radix_key(values[i]) <= radix_key(values[i - 1])))
                profile_reader::fail("runs out of order, repeated or NaN");
            if (counts[i] == 0 || counts[i] > (std::uint64_t{1} << 40)) profile_reader::fail("a run of values with a bad count");
            if (counts[i] > room - n) profile_reader::fail("more values than the profile has rows");
            n += counts[i];
            if (n > (std::uint64_t{1} << 40)) profile_reader::fail("more than 2^40 values");
            if (i == 0 || values[i] != values[i - 1]) ++runs;
        }
        if (runs * 2 > n) profile_reader::fail("runs where plain values are shorter (not the canonical form)");
        r.spend_values(n);
        std::vector<double> expanded;
        expanded.reserve(n);
        for (std::size_t i = 0; i < m; ++i) expanded.insert(expanded.end(), counts[i], values[i]);
        s.values = std::move(expanded);
    } else {
        profile_reader::fail("an unknown representation of sorted values");
    }
    return s;
}

/// Distinct bit patterns of ascending values (-0.0 and +0.0 apart), counted up to limit + 1.
/// O(limit * log n).
[[nodiscard]] inline std::size_t distinct_patterns_upto(std::span<const double> v, std::size_t limit) {
    std::size_t d = 0;
    for (std::size_t i = 0; i < v.size() && d <= limit;) {
        const std::size_t j = run_end(v, i);
        d += v[i] == 0.0 && std::signbit(v[i]) && !std::signbit(v[j - 1]) ? 2 : 1;
        i = j;
    }
    return d;
}

/// What a profile must be to be written and read (docs/profile-format.md): header names distinct;
/// the profiled columns named in the header, in its order; a text column holding categories and
/// only a text column; numbers counted exactly when they hold at most 256 distinct bit patterns;
/// every column's values and missing values adding up to the rows; the classes without missing
/// scores, one score per row. "" when it is, else what is wrong. O(header + columns).
[[nodiscard]] inline std::string profile_shape_error(const profile& p) {
    std::unordered_map<std::string_view, std::size_t> position;
    for (std::size_t i = 0; i < p.header.size(); ++i)
        if (!position.emplace(p.header[i], i).second) return "the header names \"" + p.header[i] + "\" twice";
    std::size_t next = 0;
    for (const column_profile& c : p.columns) {
        const auto it = position.find(c.name);
        if (it == position.end() || it->second < next)
            return "column \"" + c.name + "\" is not in the header, or not in its order, or profiled twice";
        next = it->second + 1;
        if (c.is_text() != std::holds_alternative<category_counts>(c.data))
            return "column \"" + c.name + "\": its type does not match its data";
        if (const auto* k = std::get_if<counted_sample>(&c.data); k && k->values.size() > distinct_counter::max_distinct)
            return "column \"" + c.name + "\": counted values beyond 256 (not the canonical form: sorted)";
        if (const auto* s = std::get_if<sorted_sample>(&c.data);
            s && distinct_patterns_upto(s->values, distinct_counter::max_distinct) <= distinct_counter::max_distinct)
            return "column \"" + c.name + "\": sorted values of at most 256 distinct values (not the canonical form: counted)";
        if (c.total() != p.meta.rows)
            return "column \"" + c.name + "\": " + std::to_string(c.count()) + " values and " + std::to_string(c.missing()) +
                   " missing do not add up to the profile's " + std::to_string(p.meta.rows) + " rows";
    }
    if (p.classes) {
        if (p.classes->positives.missing != 0 || p.classes->negatives.missing != 0) return "missing scores in a class";
        if (p.classes->positives.size() + p.classes->negatives.size() != p.meta.rows)
            return "the classes hold " + std::to_string(p.classes->positives.size() + p.classes->negatives.size()) +
                   " scores, not one per row (" + std::to_string(p.meta.rows) + " rows)";
    }
    if (p.meta.parts.size() == 1) return "one part listed (the profile of one snapshot lists none)";
    if (!std::is_sorted(p.meta.parts.begin(), p.meta.parts.end())) return "the parts are not in ascending order";
    return "";
}

} // namespace detail

/// The bytes of a profile file (format version profile_format_version; docs/profile-format.md).
/// Cost: O(size).
[[nodiscard]] inline std::string serialize_profile(const profile& p) {
    if (const std::string e = detail::profile_shape_error(p); !e.empty())
        throw error(errc::invalid_parameter, "serialize_profile", e + " (profile_column and merge_profiles give profiles that can be written)");
    // One string, sized for the file up front, the frame's head first and its size patched in
    // at the end: no regrowth and no copy of the contents (a 1e6-row profile is 40 MB).
    std::size_t hint = 128 + p.meta.source.size() + p.meta.version.size() + p.score.size() + p.label.size();
    for (const auto& h : p.header) hint += 16 + h.size();
    for (const auto& c : p.columns) {
        hint += 96 + c.name.size() + c.first_invalid.size();
        if (const auto* s = std::get_if<sorted_sample>(&c.data)) hint += 8 * s->values.size();
        else if (const auto* k = std::get_if<counted_sample>(&c.data)) hint += 16 * k->values.size();
        else
            for (const auto& n : std::get<category_counts>(c.data).names) hint += 24 + n.size();
    }
    if (p.classes) hint += 8 * (p.classes->positives.values.size() + p.classes->negatives.values.size()) + 64;
    hint += 8 * p.meta.parts.size();
    detail::profile_writer w;
    w.reserve(hint);
    const std::uint32_t version = profile_format_version, flags = 0;
    std::string& out = w.bytes();
    out.append(profile_magic);
    out.append(reinterpret_cast<const char*>(&version), 4);
    out.append(reinterpret_cast<const char*>(&flags), 4);
    out.append(8, '\0');  // the size of the contents, below
    w.str(p.meta.source);
    w.u64(p.meta.rows);
    w.i64(p.meta.created);
    w.str(p.meta.version);
    w.str(p.score);
    w.str(p.label);
    w.u64(p.header.size());
    for (const auto& h : p.header) w.str(h);
    w.u64(p.columns.size());
    for (const auto& c : p.columns) {
        w.str(c.name);
        w.u64(static_cast<std::uint64_t>(c.type));
        w.u64(c.invalid);
        w.str(c.first_invalid);
        if (const auto* s = std::get_if<sorted_sample>(&c.data)) {
            w.u64(detail::rep_sorted);
            detail::write_sorted(w, *s);
            // Computed here, whatever c.deviation says: the file's is always its values'.
            w.f64(s->empty() ? NAN : detail::population_std(*s));
        } else if (const auto* k = std::get_if<counted_sample>(&c.data)) {
            w.u64(detail::rep_counted);
            w.u64(k->missing);
            w.doubles(k->values);
            w.sizes(k->counts);
        } else {
            const auto& g = std::get<category_counts>(c.data);
            w.u64(detail::rep_categories);
            w.u64(g.missing);
            w.u64(g.names.size());
            for (const auto& n : g.names) w.str(n);
            w.counts(g.counts);
        }
    }
    w.u64(p.classes ? 1 : 0);
    if (p.classes) {
        detail::write_sorted(w, p.classes->positives);
        detail::write_sorted(w, p.classes->negatives);
    }
    w.u64(p.meta.parts.size());
    for (const std::uint64_t part : p.meta.parts) w.u64(part);
    const std::uint64_t size = out.size() - 24;
    std::memcpy(out.data() + 16, &size, 8);
    const std::uint64_t sum = detail::profile_checksum(out.data() + 8, out.size() - 8);  // version, flags, size, contents
    out.append(reinterpret_cast<const char*>(&sum), 8);
    return std::move(out);
}

/// The default bound on the values a parsed profile may hold (sorted samples expanded from their
/// runs, over all columns and both classes): 2^34 values, 128 GiB. A file of a few hundred bytes
/// can claim 2^40 rows of one value; a caller that knows its memory passes a tighter bound.
inline constexpr std::uint64_t default_profile_max_values = std::uint64_t{1} << 34;

namespace detail {

/// Reads the contents' head into p (source, rows, created, version, score, label, header) and
/// returns the count of columns that follows (checked against what is left). Shared by
/// parse_profile and peek_profile.
inline std::uint64_t read_head(profile_reader& r, profile& p) {
    p.meta.source = r.str();
    p.meta.rows = r.u64();
    p.meta.created = r.i64();
    p.meta.version = r.str();
    p.score = r.str();
    p.label = r.str();
    const std::uint64_t nh = r.count(8, "header names");
    p.header.reserve(nh);
    for (std::uint64_t i = 0; i < nh; ++i) p.header.push_back(r.str());
    return r.count(32, "columns");
}

/// Reads a column's head into c (name, type, invalid cells, the first one's place) and returns
/// its representation, whose data follows.
inline std::uint64_t read_column_head(profile_reader& r, column_profile& c) {
    c.name = r.str();
    const std::uint64_t type = r.u64();
    if (type > 2) profile_reader::fail("an unknown column type");
    c.type = static_cast<value_type>(type);
    c.invalid = r.u64();
    c.first_invalid = r.str();
    return r.u64();
}

/// A sorted column's deviation (format 2), set aside for the column when it has values: NaN
/// exactly when the sample is empty, +inf exactly when it holds -inf or +inf, else finite, at
/// least 0 and at most the range of the values (a population standard deviation is at most half
/// of it). Not computed again from the values, which would cost what storing it saves: the
/// checksum guards it as it guards them.
[[nodiscard]] inline std::optional<double> read_deviation(profile_reader& r, const sorted_sample& s) {
    const double d = r.f64();
    if (s.empty()) {
        if (d == d) profile_reader::fail("a deviation for a column without values");
        return std::nullopt;
    }
    const double lo = s.values.front(), hi = s.values.back();
    if (std::isinf(lo) || std::isinf(hi) ? d != INFINITY : !(d >= 0.0 && d <= hi - lo))
        profile_reader::fail("a deviation its values cannot have");
    return d;
}

} // namespace detail

/// Reads a profile from the bytes of a profile file. Throws errc::bad_format, naming `name`, for
/// anything but a well-formed profile of a format version this library reads, and for a profile
/// that would hold more than `max_values` values once expanded (checked before allocating).
/// With an `owner` that keeps `bytes` alive and unchanged (a mapped file, say), the sorted values
/// stored plain are viewed in `bytes` rather than copied (double_array::view): the profile then
/// needs `bytes` for as long as it, or a copy of its samples, lives; without one it owns all its
/// values. The result is the same either way.
/// Cost: O(size + values): one pass over the bytes for the checksum, one over each column's
/// values to check their order, and with an owner no copy of the plain ones.
[[nodiscard]] inline profile parse_profile(std::string_view bytes, const std::string& name,
                                           std::uint64_t max_values = default_profile_max_values,
                                           const std::shared_ptr<const void>& owner = {}) {
    auto fail = [&](const std::string& what) -> void { throw error(errc::bad_format, "profile", name + ": " + what); };
    if (!looks_like_profile(bytes)) fail("not a driftgate profile (wrong magic bytes)");
    if (bytes.size() < 32) fail("truncated profile (" + std::to_string(bytes.size()) + " bytes)");
    std::uint32_t version = 0, flags = 0;
    std::memcpy(&version, bytes.data() + 8, 4);
    std::memcpy(&flags, bytes.data() + 12, 4);
    if (version == 0) fail("corrupt profile (format version 0 does not exist)");
    if (version > profile_format_version)
        fail("profile format version " + std::to_string(version) + " is newer than this driftgate reads (" +
             std::to_string(profile_format_version) + "); use the driftgate that wrote it, or rebuild the profile");
    if (flags != 0) fail("corrupt profile (flags " + std::to_string(flags) + "; no format version has any)");
    std::uint64_t size = 0, sum = 0;
    std::memcpy(&size, bytes.data() + 16, 8);
    if (size != bytes.size() - 32) fail("truncated or extended profile (contents of " + std::to_string(bytes.size() - 32) +
                                        " bytes, the header says " + std::to_string(size) + ")");
    std::memcpy(&sum, bytes.data() + 24 + size, 8);
    const char* payload = bytes.data() + 24;
    // Version 1 sums the contents; from version 2 the version, flags and size before them too (a
    // changed version could otherwise read a file in the other version's layout).
    const std::uint64_t expected =
        version >= 2 ? detail::profile_checksum(bytes.data() + 8, 16 + size) : detail::profile_checksum(payload, size);
    if (expected != sum) fail("corrupt profile (checksum mismatch)");
    try {
        detail::profile_reader r(payload, size, max_values);
        profile p;
        const std::uint64_t nc = detail::read_head(r, p);
        p.columns.reserve(nc);
        for (std::uint64_t i = 0; i < nc; ++i) {
            column_profile c;
            const std::uint64_t rep = detail::read_column_head(r, c);
            if (rep == detail::rep_sorted) {
                c.data = detail::read_sorted(r, p.meta.rows, owner);
                if (version >= 2) c.deviation = detail::read_deviation(r, std::get<sorted_sample>(c.data));
            } else if (rep == detail::rep_counted) {
                counted_sample k;
                k.missing = r.u64();
                const std::uint64_t nk = r.count(16, "counted values");
                if (nk > distinct_counter::max_distinct)
                    detail::profile_reader::fail("counted values beyond 256 (not the canonical form: sorted)");
                k.values = r.doubles(nk);
                const auto counts = r.counts(k.values.size());
                for (std::size_t j = 0; j < counts.size(); ++j) {
                    if (counts[j] == 0 || counts[j] > (std::uint64_t{1} << 40) ||
                        k.values[j] != k.values[j] || (j > 0 && detail::radix_key(k.values[j]) <= detail::radix_key(k.values[j - 1])))
                        detail::profile_reader::fail("counted values out of order, NaN or with a bad count");
                    k.counts.push_back(counts[j]);
                    k.n += counts[j];
                }
                c.data = std::move(k);
            } else if (rep == detail::rep_categories) {
                category_counts g;
                g.missing = r.u64();
                const std::uint64_t k = r.count(16, "categories");
                for (std::uint64_t j = 0; j < k; ++j) {
                    g.names.push_back(r.str());
                    if (j > 0 && !(g.names[j - 1] < g.names[j])) detail::profile_reader::fail("categories out of order");
                }
                g.counts = r.counts(k);
                for (const auto x : g.counts) {
                    if (x == 0 || x > (std::uint64_t{1} << 40)) detail::profile_reader::fail("a category with a bad count");
                    if (g.missing > p.meta.rows || x > p.meta.rows - g.missing - g.n)
                        detail::profile_reader::fail("column \"" + c.name + "\": more cells than the profile has rows");
                    g.n += x;
                }
                c.data = std::move(g);
            } else {
                detail::profile_reader::fail("an unknown column representation");
            }
            if ((c.type == value_type::text) != std::holds_alternative<category_counts>(c.data))
                detail::profile_reader::fail("a column's type does not match its data");
            p.columns.push_back(std::move(c));
        }
        const std::uint64_t has_classes = r.u64();
        if (has_classes > 1) detail::profile_reader::fail("a bad flag");
        if (has_classes) {
            labelled_scores s;
            s.positives = detail::read_sorted(r, p.meta.rows, owner);
            s.negatives = detail::read_sorted(r, p.meta.rows, owner);
            if (s.positives.missing != 0 || s.negatives.missing != 0) detail::profile_reader::fail("missing scores in a class");
            p.classes = std::move(s);
        }
        if (version >= 3) {
            const std::uint64_t parts = r.count(8, "parts");
            p.meta.parts.reserve(parts);
            for (std::uint64_t i = 0; i < parts; ++i) p.meta.parts.push_back(r.u64());
        }
        if (!r.done()) detail::profile_reader::fail("bytes after the end of the contents");
        if (const std::string e = detail::profile_shape_error(p); !e.empty()) detail::profile_reader::fail(e);
        return p;
    } catch (const error& e) {
        std::string what = e.what();
        const std::string prefix = "driftgate: profile: ";
        if (what.rfind(prefix, 0) == 0) what = what.substr(prefix.size());
        fail(what);
    }
    return {};
}

/// What a profile holds, without its data: the metadata (but its parts), the header, and each
/// profiled column's name and type (their data left empty: a text column holds empty categories,
/// any other an empty sorted sample; `classes` is never set). Reads only those fields, skipping every
/// column's values by their sizes, and checks neither the checksum nor the invariants: for
/// planning work while parse_profile() reads and checks the whole file (a caller must not
/// trust an outline that parse_profile() then refuses). Throws errc::bad_format when the fields
/// run past the end. Cost: O(header + columns), not O(size).
[[nodiscard]] inline profile peek_profile(std::string_view bytes, const std::string& name) {
    if (!looks_like_profile(bytes) || bytes.size() < 32)
        throw error(errc::bad_format, "profile", name + ": not a complete driftgate profile");
    std::uint64_t size = 0;
    std::memcpy(&size, bytes.data() + 16, 8);
    if (size != bytes.size() - 32) throw error(errc::bad_format, "profile", name + ": truncated or extended profile");
    std::uint32_t version = 0;
    std::memcpy(&version, bytes.data() + 8, 4);
    detail::profile_reader r(bytes.data() + 24, size);
    profile p;
    const std::uint64_t nc = detail::read_head(r, p);
    auto skip_sorted = [&] {
        (void)r.u64();  // missing
        const std::uint64_t form = r.u64();
        if (form == detail::rep_sorted) r.skip(r.count(8, "values"), 8);
        else if (form == detail::rep_sorted_runs) r.skip(r.count(16, "runs"), 16);
        else detail::profile_reader::fail("an unknown sample form");
    };
    for (std::uint64_t i = 0; i < nc; ++i) {
        column_profile c;
        const std::uint64_t rep = detail::read_column_head(r, c);
        if (rep == detail::rep_sorted) {
            skip_sorted();
            if (version >= 2) r.skip(1, 8);  // the deviation
        } else if (rep == detail::rep_counted) {
            (void)r.u64();
            r.skip(r.count(16, "counted values"), 16);
        } else if (rep == detail::rep_categories) {
            (void)r.u64();
            const std::uint64_t k = r.count(16, "categories");
            for (std::uint64_t j = 0; j < k; ++j) (void)r.str();
            r.skip(k, 8);
        } else {
            detail::profile_reader::fail("an unknown column representation");
        }
        if (c.type == value_type::text) c.data = category_counts{};
        p.columns.push_back(std::move(c));
    }
    return p;
}

} // namespace v0
} // namespace driftgate
