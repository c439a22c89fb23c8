// Tests of include/driftgate/timestamp.hpp: RFC 3339 texts against Python's
// datetime.fromisoformat (tests/golden/service/gen_service.py: leap years, offsets, fractions,
// leap seconds, and texts that must be refused), formatting, and the civil calendar.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "driftgate/timestamp.hpp"
#include "golden/service/service_golden.hpp"

namespace dg = driftgate;
namespace gs = golden_service;

TEST_CASE("parse_timestamp: the edge-case table", "[timestamp][golden]") {
    for (const auto& c : gs::timestamp_cases) {
        INFO("\"" << c.text << "\"");
        const auto r = dg::parse_timestamp(c.text);
        if (c.ok) {
            INFO((r.problem ? r.problem : ""));
            REQUIRE(r.ok());
            REQUIRE(r.micros == c.micros);
        } else {
            REQUIRE_FALSE(r.ok());
            REQUIRE(std::string(r.problem).size() > 10);
        }
    }
}

TEST_CASE("parse_timestamp: the reasons name what is wrong", "[timestamp]") {
    auto why = [](const char* s) { return std::string(dg::parse_timestamp(s).problem); };
    CHECK(why("2025-02-29T00:00:00Z") == "February 29 in a year that is not a leap year");
    CHECK(why("2025-04-31T00:00:00Z") == "the day does not exist in that month");
    CHECK(why("2025-13-01T00:00:00Z") == "the month is not 01 to 12");
    CHECK(why("2025-12-26T24:00:00Z") == "the hour is not 00 to 23");
    CHECK(why("2025-12-26T10:60:00Z") == "the minute is not 00 to 59");
    CHECK(why("2025-12-26T10:15:60Z").find("leap second") != std::string::npos);
    CHECK(why("2025-12-26T10:15:30").find("no UTC offset") != std::string::npos);
    CHECK(why("2025-12-26T10:15:30+25:00").find("out of range") != std::string::npos);
    CHECK(why("2025-12-26T10:15:30.Z").find("decimal point") != std::string::npos);
    CHECK(why("2025-12-26T10:15:30Zjunk").find("unexpected characters") != std::string::npos);
    CHECK(why("yesterday").find("not an RFC 3339 date-time") != std::string::npos);
}

TEST_CASE("parse_timestamp: February 29 across the leap-year rules, and a long fraction", "[timestamp]") {
    for (const int y : {1600, 2000, 2004, 2024, 2400})
        CHECK(dg::parse_timestamp(std::to_string(y) + "-02-29T00:00:00Z").ok());
    for (const int y : {1700, 1800, 1900, 2023, 2100})
        CHECK_FALSE(dg::parse_timestamp(std::to_string(y) + "-02-29T00:00:00Z").ok());
    // Digits past the microsecond are truncated: the instant stays in its second.
    const std::string many = "2025-12-26T23:59:59." + std::string(200, '9') + "Z";
    CHECK(dg::parse_timestamp(many).micros == dg::parse_timestamp("2025-12-26T23:59:59.999999Z").micros);
    static_assert(dg::parse_timestamp("1970-01-02T00:00:00Z").micros == dg::micros_per_day);
}

TEST_CASE("format_timestamp and format_date", "[timestamp]") {
    CHECK(dg::format_timestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(dg::format_timestamp(-1) == "1969-12-31T23:59:59.999999Z");
    CHECK(dg::format_timestamp(1766744130123000) == "2025-12-26T10:15:30.123Z");
    CHECK(dg::format_timestamp(1766744130000001) == "2025-12-26T10:15:30.000001Z");
    CHECK(dg::format_date(-719528) == "0000-01-01");
    CHECK(dg::format_date(2932896) == "9999-12-31");
    CHECK(dg::format_date(2932897) == "10000-01-01");
    // Every instant of the table that parses formats to a text that parses back to it.
    for (const auto& c : gs::timestamp_cases) {
        if (!c.ok) continue;
        INFO(c.text);
        CHECK(dg::parse_timestamp(dg::format_timestamp(c.micros)).micros == c.micros);
    }
}

TEST_CASE("days_from_civil and civil_from_days are inverse over 0000-9999", "[timestamp]") {
    std::int64_t expected = dg::days_from_civil(0, 1, 1);
    CHECK(expected == -719528);
    for (std::int64_t y = 0; y <= 9999; ++y) {
        for (unsigned m = 1; m <= 12; ++m) {
            const unsigned dim = m == 2 ? (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) ? 29 : 28)
                                        : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
            for (unsigned d = 1; d <= dim; ++d) {
                const std::int64_t z = dg::days_from_civil(y, m, d);
                if (z != expected) FAIL("days_from_civil(" << y << ", " << m << ", " << d << ") = " << z);
                const auto c = dg::civil_from_days(z);
                if (c.year != y || c.month != m || c.day != d) FAIL("civil_from_days(" << z << ")");
                ++expected;
            }
        }
    }
    CHECK(expected == 2932897);
}
