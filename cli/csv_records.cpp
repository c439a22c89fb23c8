// driftgate CLI — the CSV reader's record parser: see csv_records.hpp.
#include "csv_records.hpp"
#include "file_bytes.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace driftgate::cli::csv_impl {
namespace {

class chunk_parser {
public:
    /// `out[s]` is where this chunk's values of slot s go: room for `capacity` records (ignored
    /// for counted slots: codes read on the fast path are counted at once, other values queued
    /// and counted queue_size at a time).
    chunk_parser(const context& c, chunk_result& r, std::vector<slot_out> out, std::size_t capacity)
        : c_(c), r_(r), slot_(c.slot), run_(c.ncols, 0), out_(c.slots.size()), bool_mode_(c.slots.size(), 0),
          capacity_(capacity) {
        queues_.assign(c.ncounters * queue_size, 0.0);
        for (std::size_t s = 0; s < c.slots.size(); ++s) {
            const std::ptrdiff_t k = c.slots[s].counter;
            out_[s].base = k < 0 ? out[s].values : queues_.data() + static_cast<std::size_t>(k) * queue_size;
            out_[s].codes = out[s].codes;
            if (k >= 0) counted_.push_back(s);
        }
        // run_[j]: the number of unrequested columns from j on when a requested one follows them
        // in the record (0 otherwise, and for requested columns).
        for (std::size_t j = c.ncols, r = 0; j-- > 0;) {
            r = slot_[j] < 0 ? r + 1 : 0;
            if (slot_[j] < 0 && j + r < c.ncols) run_[j] = r;
        }
        // Text slots are read by text_cell, not by number: their dispatch mark is `special`.
        for (std::size_t s = 0; s < c.slots.size(); ++s)
            if (c.slots[s].text) slot_[c.slots[s].column] = special;
    }

    /// Parses the records starting in [begin, end), writing each record's values at its row of
    /// out. A chunk with more records than its capacity stops before the first one that does not
    /// fit (r_.full), leaving r_.stop short of `end` (the caller then re-parses with counted
    /// capacities or other boundaries).
    void run(std::size_t begin, std::size_t end) {
        r_.slots.assign(c_.slots.size(), {});
        r_.texts.assign(c_.slots.size(), {});
        r_.counters.assign(c_.ncounters, {});
        for (const std::size_t s : counted_) {
            out_[s].counter = &r_.counters[static_cast<std::size_t>(c_.slots[s].counter)];
            out_[s].small = out_[s].counter->small.data() + 128;
            out_[s].queued = 0;
        }
        const char* p = c_.base + begin;
        const char* const e = c_.base + end;
        const char* const fin = c_.fin;
        const char delim = c_.delim;
        const std::size_t ncols = c_.ncols;
        const char* released = p;  // start of the part of this chunk not yet released (context::release)
        // End of the part of this chunk mapped at once (map_ahead), a stretch ahead of p.
        const char* mapped = c_.release ? map_ahead(p, std::min(e, p + map_step)) : e;
        rows_ = 0;
        while (p < e) {
            if (rows_ == capacity_) {  // more records than estimated, or than line feeds (a wrong boundary)
                r_.full = true;
                break;
            }
            const char* const row = p;
            if (is_line_end(p, fin)) {
                if (rest_blank(p, fin)) {
                    r_.trailing = true;
                    p = fin;
                    break;
                }
                r_.rows = rows_;
                fail(p, 1, false,
                     "blank line between records (every record needs " + std::to_string(ncols) +
                         " fields; a one-column file writes an empty value as \"\")");
                return;
            }
            for (std::size_t j = 0;; ++j) {
                if (slot_[j] >= 0) {
                    p = number(p, j);
                } else if (slot_[j] == special) {
                    p = c_.slots[static_cast<std::size_t>(c_.slot[j])].text ? text_cell(p, j) : number_slow(p, j);
                } else if (const char* d = run_[j] >= 2 ? delimiter_ahead(p, run_[j]) : nullptr; d != nullptr) {
                    p = d;  // the delimiter ending the last of run_[j] unrequested fields
                    j += run_[j] - 1;
                } else {
                    p = skip(p, j);
                }
                if (p == nullptr) {
                    r_.rows = rows_;
                    return;
                }
                if (p < fin && *p == delim) {
                    if (j + 1 == ncols) {
                        r_.rows = rows_;
                        too_many(row, p);
                        return;
                    }
                    ++p;
                    continue;
                }
                if (j + 1 < ncols) {
                    r_.rows = rows_;
                    fail(row, j + 2, true,
                         "missing: the record has " + std::to_string(j + 1) + (j == 0 ? " field" : " fields") +
                             ", the header " + std::to_string(ncols));
                    return;
                }
                if (p < fin) p += (*p == '\r') ? 2 : 1;  // LF, or CR LF after a closing quote
                break;
            }
            if (quoted_lines_ != 0) {
                r_.breaks.emplace_back(rows_, quoted_lines_);
                quoted_lines_ = 0;
            }
            ++rows_;
            // A mapped file (mapped < e only then) is stepped through at one point: the next
            // stretch mapped at once, and the pages behind released every release_step bytes.
            if (p >= mapped && p < e) {
                mapped = map_ahead(mapped, static_cast<std::uintptr_t>(e - mapped) > map_step ? mapped + map_step : e);
                if (static_cast<std::uintptr_t>(p - released) >= release_step) released = drop_pages(released, p);
            }
        }
        for (const std::size_t s : counted_) count_queue(out_[s]);
        r_.rows = rows_;
        r_.stop = static_cast<std::size_t>(p - c_.base);
    }

private:
    /// Values a counted slot queues before counting them.
    static constexpr std::size_t queue_size = 256;
    /// slot_[j] of a column whose cells are read one by one (a text column, or a number column
    /// that has met a boolean); -1 is an unrequested column or one no longer converted.
    static constexpr std::ptrdiff_t special = -2;

    /// Where a slot's values go: its column (base[row]), or, for a counted slot, its counter:
    /// one-character codes straight to the counter's table, other values through a queue.
    struct sink {
        double* base = nullptr;          // the column from this chunk's first row, or the queue
        std::uint32_t* codes = nullptr;   // text slots with codes: from this chunk's first row
        code_counter* counter = nullptr;  // counted slots only
        std::size_t* small = nullptr;     // counter->small (way 0), offset so that small[i] counts i
        std::size_t queued = 0;           // values in the queue
    };

    /// Stores v, a value of the current record.
    void put(sink& o, double v) {
        if (o.counter == nullptr) {
            o.base[rows_] = v;
            return;
        }
        o.base[o.queued] = v;
        if (++o.queued == queue_size) count_queue(o);
    }

    /// Stores the code d (0..9), negated when `minus`, of the current record: counted directly in
    /// a counted slot; -0 is -0.0, a value of its own, counted through the queue.
    void put_code(sink& o, unsigned d, bool minus) {
        if (minus && d == 0) return put(o, -0.0);
        const int v = minus ? -static_cast<int>(d) : static_cast<int>(d);
        if (o.counter == nullptr) o.base[rows_] = v;
        else ++o.small[v];
    }

    /// The closing quote of the quoted field at p when it is the first special byte after the
    /// opening quote (no delimiter, line feed or doubled quote inside: found in the scan window,
    /// as an unquoted field's end is), or nullptr (the caller then goes the slow way).
    const char* simple_closing_quote(const char* p) {
        const char* const q = find_special(p + 1);
        return q < c_.fin && *q == '"' && (q + 1 == c_.fin || q[1] != '"') ? q : nullptr;
    }

    /// Counts a counted slot's queued values.
    void count_queue(sink& o) {
        for (std::size_t i = 0; i < o.queued; ++i) o.counter->add(o.base[i], i & 3);
        o.queued = 0;
    }

    std::size_t off(const char* p) const { return static_cast<std::size_t>(p - c_.base); }

    /// The first delimiter, LF or quote in [p, fin), or fin. The special bytes of a 64-byte window
    /// are found at once (SSE2, on every x86-64) and kept as a bit mask, so that consecutive
    /// fields are delimited by shifts and bit scans, without a branch per byte or per field.
    const char* find_special(const char* p) {
        const char* const fin = c_.fin;
        for (;;) {
            if (in_window(p)) {
                const std::uint64_t m = bits_ >> (p - win_);
                if (m != 0) return p + std::countr_zero(m);
                p = win_ + win_size_;
            }
            if (fin - p < 64) break;
            load_window(p);
        }
        while (p < fin && !c_.special[static_cast<unsigned char>(*p)]) ++p;
        return p;
    }

    /// The r-th delimiter (r >= 1) from p when the r fields it ends are plain (no quote) and in
    /// this record (no line feed before it): the fields are stepped over by counting delimiter
    /// bits, 64 bytes at a time, instead of one at a time. nullptr when a quote or a line feed
    /// comes first or the end of the text is within 64 bytes: the caller then goes field by field
    /// (and reports any error there).
    const char* delimiter_ahead(const char* p, std::size_t r) {
        for (;;) {
            if (!in_window(p)) {
                if (c_.fin - p < 64) return nullptr;
                load_window(p);
            }
            const auto off = static_cast<unsigned>(p - win_);
            std::uint64_t m = bits_ >> off;
            const std::uint64_t other = others_ >> off;  // line feeds and quotes
            for (; r > 1 && m != 0; --r) m &= m - 1;  // drop special bytes before the r-th
            if (m != 0) {
                const int at = std::countr_zero(m);
                const std::uint64_t through = at == 63 ? ~std::uint64_t{0} : (std::uint64_t{2} << at) - 1;
                return (other & through) == 0 ? p + at : nullptr;
            }
            if (other != 0) return nullptr;  // the window's special bytes were not all delimiters
            p = win_ + win_size_;
        }
    }

    /// Whether p lies in the scan window.
    bool in_window(const char* p) const { return p >= win_ && p - win_ < win_size_; }

    /// Sets the window to the 64 bytes at p (which must be readable).
    void load_window(const char* p) {
        win_ = p;
        win_size_ = 64;
#if defined(__SSE2__)
        const __m128i d = _mm_set1_epi8(c_.delim), lf = _mm_set1_epi8('\n'), qu = _mm_set1_epi8('"');
        std::uint64_t bits = 0, others = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
            const __m128i other = _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, qu));
            const __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, d), other);
            bits |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hit))) << (16 * k);
            others |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(other))) << (16 * k);
        }
        bits_ = bits;
        others_ = others;
#else
        std::uint64_t bits = 0, others = 0;
        for (int i = 0; i < 64; ++i) {
            bits |= static_cast<std::uint64_t>(c_.special[static_cast<unsigned char>(p[i])]) << i;
            others |= static_cast<std::uint64_t>(p[i] == '\n' || p[i] == '"') << i;
        }
        bits_ = bits;
        others_ = others;
#endif
    }

    /// Records the chunk's error: at `at`, in the 1-based field `field`, naming its column or
    /// not (a field past the header's).
    void fail(const char* at, std::size_t field, bool named, std::string message) {
        r_.err_pos = off(at);
        r_.err_field = field;
        r_.err_named = named;
        r_.err_msg = std::move(message);
        r_.stop = off(at);
    }

    /// Records an error in the field of header column j (0-based).
    void fail(const char* at, std::size_t j, std::string message) { fail(at, j + 1, true, std::move(message)); }

    /// A record with more fields than the header: counts them for the message (a quoting error
    /// further on the same record only makes the count a lower bound).
    void too_many(const char* row, const char* p) {
        std::size_t fields = c_.ncols;
        while (p != nullptr && p < c_.fin && *p == c_.delim) {
            ++fields;
            p = skip(p + 1, c_.ncols - 1);
        }
        fail(row, c_.ncols + 1, false,
             "the record has " + std::string(p == nullptr ? "at least " : "") + std::to_string(fields) +
                 " fields, the header " + std::to_string(c_.ncols));
    }

    /// For a quoted field at p: the closing quote, or nullptr (error recorded) when there is none.
    const char* closing_quote(const char* p, std::size_t j, bool& doubled) {
        const char* q = p + 1;
        const char* const fin = c_.fin;
        for (;;) {
            q = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(fin - q)));
            if (q == nullptr) {
                fail(p, j, "unterminated quote (the quote opened here is never closed)");
                return nullptr;
            }
            if (q + 1 < fin && q[1] == '"') {
                q += 2;
                doubled = true;
                continue;
            }
            // Line feeds inside the field: its record spans more lines (csv_table::line_of_record).
            for (const char* lf = p + 1;; ++lf) {
                lf = static_cast<const char*>(std::memchr(lf, '\n', static_cast<std::size_t>(q - lf)));
                if (lf == nullptr) break;
                ++quoted_lines_;
            }
            return q;
        }
    }

    /// After a closing quote: the delimiter, LF, CR LF or the end of the file must follow.
    const char* after_quote(const char* p, std::size_t j) {
        if (p < c_.fin && *p != c_.delim && !is_line_end(p, c_.fin)) {
            fail(p, j,
                 "unexpected " + show(std::string_view(p, 1)) +
                     " after a closing quote (expected the delimiter or the end of the line)");
            return nullptr;
        }
        return p;
    }

    /// End of the unquoted field starting at p (delimiter, LF or end of file), or nullptr when a
    /// quote is found inside it.
    const char* unquoted_end(const char* p, std::size_t j) {
        const char* const fin = c_.fin;
        p = find_special(p);
        if (p < fin && *p == '"') {
            fail(p, j, "a quote inside an unquoted field (quote the whole field and double the quote)");
            return nullptr;
        }
        return p;
    }

    /// A field that is not converted: only delimited and checked.
    const char* skip(const char* p, std::size_t j) {
        if (p < c_.fin && *p == '"') {
            if (const char* q = simple_closing_quote(p)) return after_quote(q + 1, j);
            bool doubled = false;
            const char* const q = closing_quote(p, j, doubled);
            return q == nullptr ? nullptr : after_quote(q + 1, j);
        }
        return unquoted_end(p, j);
    }

    /// A field of a requested column: converted to double and appended to its slot.
    const char* number(const char* p, std::size_t j) {
        const char* const fin = c_.fin;
        const token_matcher& missing = c_.tokens->missing;
        sink& o = out_[static_cast<std::size_t>(slot_[j])];
        // Codes (d or -d followed by the delimiter, as in PAY_0, or d ending the line, as a label)
        // are read from the bytes at p, without finding the field's end in the scan window first.
        if (!missing.decimal && fin - p >= 3) {
            const auto d0 = static_cast<unsigned>(p[0] - '0'), d1 = static_cast<unsigned>(p[1] - '0');
            if (d0 < 10 && (p[1] == c_.delim || p[1] == '\n')) {
                put_code(o, d0, false);
                return p + 1;
            }
            if (p[0] == '-' && d1 < 10 && p[2] == c_.delim) {
                put_code(o, d1, true);
                return p + 2;
            }
            // The same codes spelled as floats (`2.0`, `-1.0`, `-0.0`, `3.000`: what pandas
            // writes for a float64 column), followed by the delimiter or a line feed: the same
            // values, read the same way.
            const bool minus = p[0] == '-';
            const char* const q = p + (minus ? 1 : 0);
            if (fin - q >= 4 && static_cast<unsigned>(q[0] - '0') < 10 && q[1] == '.' && q[2] == '0') {
                const char* r = q + 3;
                while (r < fin && *r == '0') ++r;
                if (r < fin && (*r == c_.delim || *r == '\n')) {
                    put_code(o, static_cast<unsigned>(q[0] - '0'), minus);
                    return r;
                }
            }
        }
        // A quoted number ("1.5", what spreadsheet exports write): the text between the quotes
        // read as a plain field is, when its closing quote is simple (simple_closing_quote) and
        // ends the field (the delimiter, a line feed, CR LF or the end); anything else (spaces to
        // trim, a boolean, doubled quotes, a delimiter inside) takes the slow path, which reads
        // it the same way.
        if (p < fin && *p == '"') {
            const char* const q = simple_closing_quote(p);
            if (q != nullptr &&
                (q + 1 == fin || q[1] == c_.delim || q[1] == '\n' || (q[1] == '\r' && q + 2 < fin && q[2] == '\n')) &&
                plain(o, p + 1, q))
                return q + 1;
            return number_slow(p, j);
        }
        // Fast path: a plain number, or an empty field, ending at a delimiter or a line end. The
        // field's end comes from the scan window; a CR before an LF is not part of the field.
        const char* const end = find_special(p);
        if (end < fin && *end == '"') return number_slow(p, j);
        const char* const stop = (end < fin && end > p && end[-1] == '\r' && *end == '\n') ? end - 1 : end;
        return plain(o, p, stop) ? stop : number_slow(p, j);
    }

    /// Reads [p, stop) as a plain number or an empty field (a missing-value token or not) into
    /// o; false when it is neither (the slow path then reads the field).
    bool plain(sink& o, const char* p, const char* const stop) {
        const char* const fin = c_.fin;
        const token_matcher& missing = c_.tokens->missing;
        const auto len = stop - p;
        if (len == 0) {
            if (!missing.has_empty) return false;
            put(o, missing_value);
            return true;
        }
        double v;
        const char* q = stop;
        const auto d0 = static_cast<unsigned>(p[0] - '0');
        const auto d1 = len >= 2 ? static_cast<unsigned>(p[1] - '0') : 0u;
        bool check = missing.decimal;  // could this text be a missing-value token?
        if (len <= 2 && !check && (len == 1 ? d0 < 10 : p[0] == '-' && d1 < 10)) {
            // A code (d or -d) that number()'s fast path did not take (quoted, or before a CR):
            // stored the same way.
            put_code(o, len == 1 ? d0 : d1, len == 2);
            return true;
        }
        if (len == 1 && d0 < 10) {  // one digit (codes): no conversion needed
            v = d0;
        } else if (len == 2 && d1 < 10 && (d0 < 10 || p[0] == '-')) {  // two digits, or minus and one
            v = p[0] == '-' ? -static_cast<double>(d1) : static_cast<double>(10 * d0 + d1);
#if defined(__SSE2__)
        } else if (len <= 16 && fin - p >= 48 && short_decimal(p, static_cast<std::size_t>(len), v)) {
#endif
        } else {
            q = fast_decimal(p, stop, v);
            if (q != stop) {
                const auto [r, ec] = std::from_chars(p, stop, v);
                q = ec == std::errc() ? r : p;
                check = missing.numeric;
            }
        }
        if (q != stop) return false;
        if (check && missing.match(std::string_view(p, static_cast<std::size_t>(len)))) v = missing_value;
        put(o, v);
        return true;
    }

    /// The content of the field at p (unquoted, doubled quotes made one, a CR before the LF
    /// dropped; `unescaped` holds it when it had to be rewritten) and the end of the field, or
    /// nullptr (error recorded) for bad quoting.
    const char* field(const char* p, std::size_t j, std::string_view& content, std::string& unescaped) {
        const char* const fin = c_.fin;
        if (p < fin && *p == '"') {
            bool doubled = false;
            const char* q = closing_quote(p, j, doubled);
            if (q == nullptr) return nullptr;
            const char* const after = after_quote(q + 1, j);
            if (after == nullptr) return nullptr;
            content = std::string_view(p + 1, static_cast<std::size_t>(q - p - 1));
            if (doubled) {
                unescaped = unescape_quotes(content);
                content = unescaped;
            }
            return after;
        }
        const char* const after = unquoted_end(p, j);
        if (after == nullptr) return nullptr;
        content = std::string_view(p, static_cast<std::size_t>(after - p));
        if (after < fin && *after == '\n' && !content.empty() && content.back() == '\r') content.remove_suffix(1);
        return after;
    }

    /// A number slot's cell that the fast paths did not take (quotes, surrounding spaces, '+',
    /// missing and boolean tokens, errors), and every cell of a slot that has met a boolean.
    const char* number_slow(const char* p, std::size_t j) {
        const char* const start = p;
        std::string_view content;
        std::string unescaped;
        const char* const after = field(p, j, content, unescaped);
        if (after == nullptr) return nullptr;
        const auto s = static_cast<std::size_t>(c_.slot[j]);
        slot_outcome& o = r_.slots[s];
        double v = missing_value;
        switch (classify(trim(content), *c_.tokens, v)) {
        case cell_class::missing: break;
        case cell_class::number:
            if (bool_mode_[s] && o.mixed == npos) {
                o.mixed = off(start);
                if (c_.slots[s].bad == slot_plan::on_bad::stop) return stop_converting(j, after);
            }
            break;
        case cell_class::boolean:
            if (!bool_mode_[s]) {  // the chunk's first boolean in this column
                o.first_bool = off(start);
                o.number_before = has_value(s);
                bool_mode_[s] = 1;
                if (o.number_before && c_.slots[s].bad == slot_plan::on_bad::stop) return stop_converting(j, after);
                slot_[j] = special;
            }
            break;
        case cell_class::other:
            switch (c_.slots[s].bad) {
            case slot_plan::on_bad::fail:
                fail(start, j, "cannot parse " + show(content) + " as a number");
                return nullptr;
            case slot_plan::on_bad::missing:
                if (o.bad_count++ == 0) o.bad_pos = off(start);
                break;
            case slot_plan::on_bad::stop:
                o.bad_pos = off(start);
                return stop_converting(j, after);
            }
            break;
        }
        put(out_[s], v);
        return after;
    }

    /// A column found not to be one of numbers (on_bad::stop): its later cells are skipped.
    const char* stop_converting(std::size_t j, const char* after) {
        slot_[j] = -1;
        return after;
    }

    /// True when slot s has a number (a value not NaN) among this chunk's records so far.
    bool has_value(std::size_t s) const {
        const sink& o = out_[s];
        if (o.counter == nullptr) {
            for (std::size_t i = 0; i < rows_; ++i)
                if (!std::isnan(o.base[i])) return true;
            return false;
        }
        for (std::size_t i = 0; i < o.queued; ++i)
            if (!std::isnan(o.base[i])) return true;
        const code_counter& cc = *o.counter;
        return cc.other.size() != 0 || !cc.spill.empty() ||
               std::any_of(cc.small.begin(), cc.small.end(), [](std::size_t n) { return n != 0; });
    }

    /// A cell of a text column: its trimmed text is a category, or missing.
    const char* text_cell(const char* p, std::size_t j) {
        std::string_view content;
        std::string unescaped;
        const char* const after = field(p, j, content, unescaped);
        if (after == nullptr) return nullptr;
        const auto s = static_cast<std::size_t>(c_.slot[j]);
        text_outcome& t = r_.texts[s];
        const std::string_view v = trim(content);
        std::uint32_t code = 0xFFFFFFFFu;  // text_column::missing_code
        if (c_.tokens->missing.match(v)) ++t.missing;
        else code = t.table.add(v);
        if (out_[s].codes != nullptr) out_[s].codes[rows_] = code;
        return after;
    }

    const context& c_;
    chunk_result& r_;
    std::vector<std::ptrdiff_t> slot_;
    std::vector<std::size_t> run_;  // see the constructor
    std::vector<sink> out_;
    std::vector<char> bool_mode_;  // per slot: a boolean cell has been met in this chunk
    std::vector<double> queues_;        // queue_size values per counted slot
    std::vector<std::size_t> counted_;  // the counted slots
    std::size_t capacity_;
    std::size_t quoted_lines_ = 0;  // line feeds inside quoted fields of the current record
    std::size_t rows_ = 0;  // records parsed (a member, not in r_: r_ sits next to other threads' results)
    // find_special's window: win_size_ (64, or 0 before the first) bytes from win_, and their
    // special bytes (bit i: win_[i]).
    const char* win_ = c_.base;
    std::ptrdiff_t win_size_ = 0;
    std::uint64_t bits_ = 0;
    std::uint64_t others_ = 0;  // the window's line feeds and quotes (a subset of bits_)
};

} // namespace

void parse_chunk(const context& c, chunk_result& r, std::vector<slot_out> out, std::size_t capacity,
                 std::size_t begin, std::size_t end) {
    chunk_parser(c, r, std::move(out), capacity).run(begin, end);
}

} // namespace driftgate::cli::csv_impl
