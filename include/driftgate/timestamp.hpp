// driftgate — instants on the UTC timeline: RFC 3339 / ISO 8601 date-times parsed to microseconds
// since the Unix epoch, and formatted back; civil dates of days since the epoch.
//
// Accepted text (RFC 3339 section 5.6, with the usual ISO 8601 liberties):
//   YYYY-MM-DD ( T | t | space ) hh:mm:ss [ (. | ,) fraction ] ( Z | z | +hh:mm | -hh:mm | +hhmm | +hh | … )
//   * a four-digit year 0000–9999 (proleptic Gregorian calendar), month 01–12, a day that exists
//     in that month (February 29 only in leap years: divisible by 4, not by 100 unless by 400);
//   * hours 00–23, minutes 00–59, seconds 00–59; 60 (a leap second) only in minute 59, placed at
//     hh:59:59.999999 — the Unix timeline has no leap seconds, and this keeps the instant in its
//     minute and its day;
//   * a fraction of any length: microseconds are kept, further digits are truncated (an instant
//     never moves into the next second);
//   * an offset is required: Z (UTC), or ±hh:mm, ±hhmm, ±hh with hours 00–23 and minutes 00–59
//     ("-00:00", RFC 3339's "offset unknown", is UTC). A date-time without an offset is refused:
//     local time is ambiguous, and a gate does not guess.
// Nothing may follow the offset (surrounding spaces included). No I/O, no locale, no time zone
// database: the result depends only on the text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace driftgate {
inline namespace v0 {

/// Microseconds in a second, a minute, a day.
inline constexpr std::int64_t micros_per_second = 1'000'000;
inline constexpr std::int64_t micros_per_day = 86'400 * micros_per_second;

/// The result of parse_timestamp: the instant, or why the text is not one.
struct timestamp_result {
    std::int64_t micros = 0;   ///< microseconds since 1970-01-01T00:00:00Z (valid when ok())
    const char* problem = nullptr; ///< a short reason in plain words when the text was refused
    [[nodiscard]] bool ok() const noexcept { return problem == nullptr; }
};

namespace detail {

[[nodiscard]] constexpr bool is_leap_year(std::int64_t y) noexcept {
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

[[nodiscard]] constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
    constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

/// floor(a / b) for b > 0.
[[nodiscard]] constexpr std::int64_t div_floor(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

[[nodiscard]] constexpr bool digits(std::string_view s, std::size_t at, std::size_t count, unsigned& out) noexcept {
    if (at + count > s.size()) return false;
    unsigned v = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    out = v;
    return true;
}

} // namespace detail

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1–12, day 1–31; not checked).
/// H. Hinnant's days_from_civil. Cost: O(1).
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// A civil date.
struct civil_date {
    std::int64_t year = 1970;
    unsigned month = 1, day = 1;
};

/// The proleptic Gregorian date of day `z` since 1970-01-01 (H. Hinnant's civil_from_days).
/// Cost: O(1).
[[nodiscard]] constexpr civil_date civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    civil_date r;
    r.day = doy - (153 * mp + 2) / 5 + 1;
    r.month = mp < 10 ? mp + 3 : mp - 9;
    r.year = static_cast<std::int64_t>(yoe) + era * 400 + (r.month <= 2);
    return r;
}

/// Parses an RFC 3339 date-time (see the header comment for what is accepted) to microseconds
/// since the Unix epoch, UTC. Never throws; a refused text gives a reason in `problem`.
/// Cost: O(length).
[[nodiscard]] constexpr timestamp_result parse_timestamp(std::string_view s) noexcept {
    timestamp_result r;
    constexpr const char* syntax = "not an RFC 3339 date-time (YYYY-MM-DDThh:mm:ss[.fraction] with Z or an offset such as +01:00)";
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!detail::digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !detail::digits(s, 5, 2, month) ||
        s[7] != '-' || !detail::digits(s, 8, 2, day) || !(s[10] == 'T' || s[10] == 't' || s[10] == ' ') ||
        !detail::digits(s, 11, 2, hour) || s[13] != ':' || !detail::digits(s, 14, 2, minute) || s[16] != ':' ||
        !detail::digits(s, 17, 2, second)) {
        r.problem = syntax;
        return r;
    }
    if (month < 1 || month > 12) {
        r.problem = "the month is not 01 to 12";
        return r;
    }
    if (day < 1 || day > detail::days_in_month(year, month)) {
        r.problem = month == 2 && day == 29 ? "February 29 in a year that is not a leap year"
                                            : "the day does not exist in that month";
        return r;
    }
    if (hour > 23) {
        r.problem = "the hour is not 00 to 23";
        return r;
    }
    if (minute > 59) {
        r.problem = "the minute is not 00 to 59";
        return r;
    }
    if (second > 60 || (second == 60 && minute != 59)) {
        r.problem = "the second is not 00 to 59 (60, a leap second, only in minute 59)";
        return r;
    }
    std::size_t i = 19;
    std::int64_t micros = 0;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        const std::size_t first = i;
        std::int64_t scale = 100000;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            micros += scale * (s[i] - '0');
            scale /= 10;
            ++i;
        }
        if (i == first) {
            r.problem = "a decimal point without digits after the seconds";
            return r;
        }
    }
    if (second == 60) {
        second = 59;
        micros = micros_per_second - 1;
    }
    std::int64_t offset_minutes = 0;
    if (i == s.size()) {
        r.problem = "no UTC offset (Z, or one such as +01:00): local time is ambiguous";
        return r;
    }
    if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
    } else if (s[i] == '+' || s[i] == '-') {
        const bool negative = s[i] == '-';
        unsigned oh = 0, om = 0;
        if (!detail::digits(s, i + 1, 2, oh)) {
            r.problem = "a malformed UTC offset (use Z, +hh:mm or -hh:mm)";
            return r;
        }
        i += 3;
        if (i < s.size() && s[i] == ':') {
            if (!detail::digits(s, i + 1, 2, om)) {
                r.problem = "a malformed UTC offset (use Z, +hh:mm or -hh:mm)";
                return r;
            }
            i += 3;
        } else if (i < s.size() && detail::digits(s, i, 2, om)) {
            i += 2;
        }
        if (oh > 23 || om > 59) {
            r.problem = "the UTC offset is out of range (hours 00 to 23, minutes 00 to 59)";
            return r;
        }
        offset_minutes = (negative ? -1 : 1) * static_cast<std::int64_t>(oh * 60 + om);
    } else {
        r.problem = syntax;
        return r;
    }
    if (i != s.size()) {
        r.problem = "unexpected characters after the date-time";
        return r;
    }
    const std::int64_t days = days_from_civil(year, month, day);
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    r.micros = seconds * micros_per_second + micros;
    return r;
}

/// "YYYY-MM-DD" of day `days` since the epoch (years outside 0000–9999 are written as numbers).
[[nodiscard]] inline std::string format_date(std::int64_t days) {
    const civil_date c = civil_from_days(days);
    std::string out;
    auto two = [&](unsigned v) {
        out += static_cast<char>('0' + v / 10);
        out += static_cast<char>('0' + v % 10);
    };
    if (c.year >= 0 && c.year <= 9999) {
        two(static_cast<unsigned>(c.year / 100));
        two(static_cast<unsigned>(c.year % 100));
    } else {
        out += std::to_string(c.year);
    }
    out += '-';
    two(c.month);
    out += '-';
    two(c.day);
    return out;
}

/// The instant `micros` (since the epoch) as RFC 3339 in UTC: "2025-12-26T10:15:30Z", with
/// ".mmm" or ".uuuuuu" when the instant is not a whole second.
[[nodiscard]] inline std::string format_timestamp(std::int64_t micros) {
    const std::int64_t days = detail::div_floor(micros, micros_per_day);
    const std::int64_t in_day = micros - days * micros_per_day;
    const auto sec = static_cast<unsigned>(in_day / micros_per_second);
    const auto frac = static_cast<unsigned>(in_day % micros_per_second);
    std::string out = format_date(days);
    auto two = [&](unsigned v) {
        out += static_cast<char>('0' + v / 10);
        out += static_cast<char>('0' + v % 10);
    };
    out += 'T';
    two(sec / 3600);
    out += ':';
    two(sec / 60 % 60);
    out += ':';
    two(sec % 60);
    if (frac != 0) {
        const bool millis = frac % 1000 == 0;
        unsigned v = millis ? frac / 1000 : frac;
        char digits[6];
        const int n = millis ? 3 : 6;
        for (int k = n - 1; k >= 0; --k) {
            digits[k] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        out += '.';
        out.append(digits, static_cast<std::size_t>(n));
    }
    out += 'Z';
    return out;
}

} // namespace v0
} // namespace driftgate
