// Tests of include/driftgate/windows.hpp: ISO weeks and months of days against Python's
// date.isocalendar() (tests/golden/windows/gen_windows.py: every year boundary 1899-2101 and a
// sample of days between), time-column texts against datetime.fromisoformat, window names, and
// the edge-case table of what is refused.
#include <catch2/catch.hpp>

#include <string>

#include "driftgate/windows.hpp"
#include "golden/windows/windows_golden.hpp"

namespace dg = driftgate;
namespace gw = golden_windows_lib;

TEST_CASE("iso_week_of and calendar_window: Python's isocalendar at every year boundary", "[windows][golden]") {
    for (const auto& c : gw::days) {
        INFO("day " << c.day);
        const dg::iso_week w = dg::iso_week_of(c.day);
        REQUIRE(w.year == c.iso_year);
        REQUIRE(w.week == c.iso_week);
        REQUIRE(w.monday == c.monday);
        REQUIRE(dg::calendar_window(c.day, dg::window_spec::unit::week).key == c.monday);
        REQUIRE(dg::calendar_window(c.day, dg::window_spec::unit::month).key == c.month_key);
        REQUIRE(dg::calendar_window(c.day, dg::window_spec::unit::day).key == c.day);
    }
}

TEST_CASE("window names", "[windows]") {
    const std::int64_t d = dg::days_from_civil(2026, 1, 29);
    CHECK(dg::calendar_window(d, dg::window_spec::unit::day).name == "2026-01-29");
    CHECK(dg::calendar_window(d, dg::window_spec::unit::week).name == "2026-W05");
    CHECK(dg::calendar_window(d, dg::window_spec::unit::month).name == "2026-01");
    // 2025-12-29 (a Monday) opens 2026-W01; 2021-01-03 (a Sunday) closes 2020-W53.
    CHECK(dg::calendar_window(dg::days_from_civil(2025, 12, 29), dg::window_spec::unit::week).name == "2026-W01");
    CHECK(dg::calendar_window(dg::days_from_civil(2021, 1, 3), dg::window_spec::unit::week).name == "2020-W53");
    CHECK(dg::calendar_window(dg::days_from_civil(5, 3, 1), dg::window_spec::unit::month).name == "0005-03");
    // Offsets reach the years around 0000-9999: the day, week and month name them alike.
    CHECK(dg::calendar_window(dg::days_from_civil(-1, 12, 31), dg::window_spec::unit::day).name == "-0001-12-31");
    CHECK(dg::calendar_window(dg::days_from_civil(-1, 12, 31), dg::window_spec::unit::month).name == "-0001-12");
    CHECK(dg::calendar_window(dg::days_from_civil(10000, 1, 1), dg::window_spec::unit::day).name == "10000-01-01");
    CHECK(dg::row_window_name(0, 1000, 2500) == "rows 1-1000");
    CHECK(dg::row_window_name(2, 1000, 2500) == "rows 2001-2500");
    CHECK(dg::row_window_name(0, 1000, 7) == "rows 1-7");
}

TEST_CASE("parse_window_time: dates and date-times as Python reads them", "[windows][golden]") {
    for (const auto& c : gw::texts) {
        INFO(c.text);
        const auto t = dg::parse_window_time(c.text);
        INFO((t.problem ? t.problem : ""));
        REQUIRE(t.ok());
        REQUIRE(t.day == c.day);
    }
}

TEST_CASE("parse_window_time and parse_window: the edge-case table of refusals", "[windows]") {
    // text                       why it is refused
    const char* refused[] = {
        "",                           // nothing
        "2026-1-29",                  // one-digit month
        "2026-13-01",                 // month 13
        "2026-02-29",                 // not a leap year
        "2026-04-31",                 // April has 30 days
        "2026/01/29",                 // not ISO 8601
        "29.01.2026",                 // a local format
        "2026-01-29T25:00:00Z",       // hour 25
        "2026-01-29T10:15",           // no seconds
        "2026-01-29T10:15:30+24:00",  // offset out of range
        "2026-01-29T10:15:30Zjunk",   // trailing text
        "2026-01-29 ",                // a trailing space (cells are trimmed before)
        "yesterday",
        "20260129",                   // basic format without separators
    };
    for (const char* s : refused) {
        INFO("\"" << s << "\"");
        const auto t = dg::parse_window_time(s);
        CHECK_FALSE(t.ok());
        if (!t.ok()) CHECK(std::string(t.problem).size() > 10);
    }
    CHECK(dg::parse_window("")->by == dg::window_spec::unit::none);
    CHECK(dg::parse_window("week")->by == dg::window_spec::unit::week);
    CHECK(dg::parse_window("1000")->rows == 1000);
    for (const char* s : {"0", "-5", "+5", "10x", "Week", "fortnight", "1e3", "99999999999999999999999"}) {
        INFO(s);
        CHECK_FALSE(dg::parse_window(s));
    }
}
