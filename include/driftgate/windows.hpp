// driftgate — time windows of a snapshot: which window (a day, an ISO week, a calendar month, or
// a fixed number of rows) a row falls in, and the window's name and order.
//
//   window      name           order key                        a row's window
//   day         "2026-01-29"   days since 1970-01-01            its UTC date (years beyond 0000-9999,
//                                                               which offsets reach, as -0001, 10000)
//   week        "2026-W05"     days of the week's Monday        its ISO 8601 week (Monday to Sunday;
//                                                               week 1 holds the year's first Thursday)
//   month       "2026-01"      12 x year + month - 1            its UTC calendar month
//   N (rows)    "rows 1-1000"  the chunk's index                rows 1..N, N+1..2N, ... in file order
//
// A row's instant is read from its time column (parse_window_time): an ISO 8601 date
// ("2026-01-29"), or a date-time as RFC 3339 writes it (timestamp.hpp) with Z or an offset
// (placed by its UTC date), or without one ("2026-01-29 10:15:30", what pandas writes: taken as
// UTC, i.e. placed by the date it shows). Everything else is refused with a reason.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "driftgate/timestamp.hpp"

namespace driftgate {
inline namespace v0 {

/// How rows are cut into windows.
struct window_spec {
    enum class unit { none, day, week, month, rows };
    unit by = unit::none;
    std::uint64_t rows = 0;  ///< unit::rows: rows per window (> 0)
    [[nodiscard]] bool active() const noexcept { return by != unit::none; }
};

/// "day", "week", "month" or a positive whole number of rows ("1000"); "" is no windows.
/// Returns nullopt for anything else. Cost: O(length).
[[nodiscard]] inline std::optional<window_spec> parse_window(std::string_view s) noexcept {
    window_spec w;
    if (s.empty()) return w;
    if (s == "day") w.by = window_spec::unit::day;
    else if (s == "week") w.by = window_spec::unit::week;
    else if (s == "month") w.by = window_spec::unit::month;
    else {
        std::uint64_t n = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec != std::errc() || end != s.data() + s.size() || n == 0 || s[0] == '+') return std::nullopt;
        w.by = window_spec::unit::rows;
        w.rows = n;
    }
    return w;
}

/// The result of parse_window_time: the UTC day of the instant, or why the text is not one.
struct window_time {
    std::int64_t day = 0;           ///< days since 1970-01-01 (valid when ok())
    const char* problem = nullptr;  ///< a short reason in plain words when the text was refused
    [[nodiscard]] bool ok() const noexcept { return problem == nullptr; }
};

/// The UTC day of a time column's cell (see the header comment). Cost: O(length).
[[nodiscard]] inline window_time parse_window_time(std::string_view s) noexcept {
    window_time r;
    unsigned y = 0, m = 0, d = 0;
    if (s.size() == 10) {
        if (!detail::digits(s, 0, 4, y) || s[4] != '-' || !detail::digits(s, 5, 2, m) || s[7] != '-' ||
            !detail::digits(s, 8, 2, d)) {
            r.problem = "not an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ss[.fraction][Z or an offset])";
            return r;
        }
        if (m < 1 || m > 12) {
            r.problem = "the month is not 01 to 12";
            return r;
        }
        if (d < 1 || d > detail::days_in_month(y, m)) {
            r.problem = m == 2 && d == 29 ? "February 29 in a year that is not a leap year" : "the day does not exist in that month";
            return r;
        }
        r.day = days_from_civil(y, m, d);
        return r;
    }
    timestamp_result t = parse_timestamp(s);
    if (!t.ok() && s.size() >= 19 && s.size() < 64 && s.back() >= '0' && s.back() <= '9') {
        // No offset: taken as UTC (the date it shows), as the header comment says.
        char buf[65];
        for (std::size_t i = 0; i < s.size(); ++i) buf[i] = s[i];
        buf[s.size()] = 'Z';
        const timestamp_result z = parse_timestamp(std::string_view(buf, s.size() + 1));
        if (z.ok()) t = z;
    }
    if (!t.ok()) {
        // A text that is no date-time at all: say what a time column may hold (parse_timestamp's
        // own wording asks for an offset, which a time column does not need).
        r.problem = s.size() < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':'
                        ? "not an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm:ss[.fraction][Z or an offset])"
                        : t.problem;
        return r;
    }
    r.day = detail::div_floor(t.micros, micros_per_day);
    return r;
}

/// The ISO 8601 week of a day: its week-numbering year and week number (1..53), and the day of
/// its Monday. Cost: O(1).
struct iso_week {
    std::int64_t year = 0;
    unsigned week = 0;
    std::int64_t monday = 0;  ///< days since 1970-01-01
};

[[nodiscard]] constexpr iso_week iso_week_of(std::int64_t day) noexcept {
    // 1970-01-01 was a Thursday: Monday = 0 ... Sunday = 6.
    const std::int64_t weekday = ((day + 3) % 7 + 7) % 7;
    const std::int64_t monday = day - weekday;
    const std::int64_t thursday = monday + 3;  // the week belongs to the year of its Thursday
    const civil_date c = civil_from_days(thursday);
    const std::int64_t jan1 = days_from_civil(c.year, 1, 1);
    return {c.year, static_cast<unsigned>((thursday - jan1) / 7 + 1), monday};
}

/// A window: its order key and its name (see the header comment).
struct window_id {
    std::int64_t key = 0;
    std::string name;
};

/// The calendar window (day, week or month) of day `day`. Cost: O(1).
[[nodiscard]] inline window_id calendar_window(std::int64_t day, window_spec::unit by) {
    auto two = [](unsigned v) { return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)}; };
    auto year = [](std::int64_t y) {
        std::string s = std::to_string(y < 0 ? -y : y);
        if (s.size() < 4) s.insert(0, 4 - s.size(), '0');
        return (y < 0 ? "-" : "") + s;
    };
    switch (by) {
    case window_spec::unit::week: {
        const iso_week w = iso_week_of(day);
        return {w.monday, year(w.year) + "-W" + two(w.week)};
    }
    case window_spec::unit::month: {
        const civil_date c = civil_from_days(day);
        return {c.year * 12 + c.month - 1, year(c.year) + "-" + two(c.month)};
    }
    default: {
        const civil_date c = civil_from_days(day);
        return {day, year(c.year) + "-" + two(c.month) + "-" + two(c.day)};
    }
    }
}

/// The name of the `index`th (0-based) window of `per` rows of a snapshot of `rows` rows:
/// "rows 1-1000", ..., the last one ending at `rows`.
[[nodiscard]] inline std::string row_window_name(std::uint64_t index, std::uint64_t per, std::uint64_t rows) {
    const std::uint64_t first = index * per + 1;
    const std::uint64_t last = first - 1 + per < rows ? first - 1 + per : rows;
    return "rows " + std::to_string(first) + "-" + std::to_string(last);
}

} // namespace v0
} // namespace driftgate
