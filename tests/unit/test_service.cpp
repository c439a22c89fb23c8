// Tests of include/driftgate/service.hpp: a request log built and summarised by pandas / numpy /
// statsmodels (tests/golden/service/gen_service.py), hand-made logs for the window rules, and an
// edge-case table (empty, one request, one instant, no latency, bad statuses and latencies,
// extreme instants).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "driftgate/service.hpp"
#include "golden/service/service_golden.hpp"
#include "test_support.hpp"

namespace dg = driftgate;
namespace gs = golden_service;
using namespace test_support;

namespace {

/// A log held in vectors, viewed as service_data.
struct log_data {
    std::vector<std::int64_t> t;
    std::vector<double> lat;
    std::vector<std::uint16_t> st;
    std::vector<std::uint32_t> ver;
    std::vector<std::string> names;
    dg::time_unit unit = dg::time_unit::milliseconds;
    [[nodiscard]] dg::service_data data() const {
        dg::service_data d;
        d.timestamps = t;
        d.unit = unit;
        d.latency_ms = lat;
        d.status = st;
        d.model_version = ver;
        d.model_versions = names;
        return d;
    }
    void add(std::int64_t time, double latency, std::uint16_t status, std::uint32_t version = 0) {
        t.push_back(time);
        lat.push_back(latency);
        st.push_back(status);
        if (!names.empty()) ver.push_back(version);
    }
};

log_data golden_log() {
    log_data d;
    d.t = gs::unit_ms;
    d.lat = gs::unit_latency;
    d.st = gs::unit_status;
    d.ver = gs::unit_version;
    d.names = gs::unit_version_names;
    return d;
}

void require_run(const dg::window_run& r, const gs::run& e, std::int64_t ticks_per_micro_inv) {
    REQUIRE(r.longest == e.longest);
    if (e.longest > 0) {
        REQUIRE(r.start * ticks_per_micro_inv == e.start_us);
        REQUIRE(r.end * ticks_per_micro_inv == e.end_us);
    }
    REQUIRE(r.windows_evaluated == e.evaluated);
    REQUIRE(r.windows_above == e.above);
    REQUIRE(r.windows_empty == e.empty);
}

void require_summary(const dg::service_summary& s, const gs::segment& e) {
    INFO("segment '" << e.version << "'");
    REQUIRE(s.requests == e.requests);
    REQUIRE(s.predictions == e.predictions);
    REQUIRE(s.latency);
    REQUIRE(s.latency->n == e.latency_n);
    REQUIRE(s.latency_missing == e.latency_missing);
    // numpy's linear quantile, bit for bit.
    REQUIRE(s.latency->p50 == e.p50);
    REQUIRE(s.latency->p95 == e.p95);
    REQUIRE(s.latency->p99 == e.p99);
    REQUIRE(s.errors_4xx.count == e.c4);
    REQUIRE(s.errors_5xx.count == e.c5);
    REQUIRE(s.errors_4xx.share == e.r4);
    REQUIRE(s.errors_5xx.share == e.r5);
    REQUIRE(close_rel(s.errors_4xx.ci_lower, e.r4_lo, 1e-12));
    REQUIRE(close_rel(s.errors_4xx.ci_upper, e.r4_hi, 1e-12));
    REQUIRE(close_rel(s.errors_5xx.ci_lower, e.r5_lo, 1e-12));
    REQUIRE(close_rel(s.errors_5xx.ci_upper, e.r5_hi, 1e-12));
    REQUIRE(s.first * 1000 == e.first_us);
    REQUIRE(s.last * 1000 == e.last_us);
    REQUIRE(close_rel(s.span_seconds, e.span_seconds, 1e-15));
    REQUIRE(close_rel(s.requests_per_second, e.rps, 1e-14));
    REQUIRE(s.days == e.days);
    REQUIRE(s.lowest_day_predictions == e.lowest_day_predictions);
    REQUIRE(s.lowest_day == e.lowest_day);
    require_run(s.latency_p95_run, e.lat_run, 1000);
    require_run(s.error_rate_run, e.err_run, 1000);
}

const dg::check& row(const std::vector<dg::check>& rows, const std::string& name, const std::string& version = "") {
    for (const auto& r : rows) {
        const auto* v = r.details.find("model_version");
        if (r.name == name && (version.empty() ? v == nullptr : (v && v->as_text() == version))) return r;
    }
    FAIL("no row " << name << " " << version);
    return rows.front();
}

/// Every field of two summaries.
void require_same(const dg::service_summary& a, const dg::service_summary& b) {
    REQUIRE(a.requests == b.requests);
    REQUIRE(a.predictions == b.predictions);
    REQUIRE(a.latency->p50 == b.latency->p50);
    REQUIRE(a.latency->p95 == b.latency->p95);
    REQUIRE(a.latency->p99 == b.latency->p99);
    REQUIRE(a.errors_4xx.count == b.errors_4xx.count);
    REQUIRE(a.errors_5xx.count == b.errors_5xx.count);
    REQUIRE(a.first == b.first);
    REQUIRE(a.last == b.last);
    REQUIRE(a.days == b.days);
    REQUIRE(a.lowest_day == b.lowest_day);
    REQUIRE(a.lowest_day_predictions == b.lowest_day_predictions);
    for (const auto* r : {&a.latency_p95_run, &a.error_rate_run}) {
        const auto& o = r == &a.latency_p95_run ? b.latency_p95_run : b.error_rate_run;
        REQUIRE(r->longest == o.longest);
        REQUIRE(r->start == o.start);
        REQUIRE(r->end == o.end);
        REQUIRE(r->windows_evaluated == o.windows_evaluated);
        REQUIRE(r->windows_above == o.windows_above);
        REQUIRE(r->windows_empty == o.windows_empty);
    }
}

/// A log of `minutes` minutes from `start` (ms), `per_minute` requests a minute (evenly spread),
/// latency `fast` except in the minutes `slow` flags (latency 1000), status 200 except in the
/// minutes `failing` flags (every request 500).
log_data minutes_log(std::int64_t start, int minutes, int per_minute, const std::vector<int>& slow,
                     const std::vector<int>& failing = {}, const std::vector<int>& empty = {}) {
    log_data d;
    for (int m = 0; m < minutes; ++m) {
        if (std::find(empty.begin(), empty.end(), m) != empty.end()) continue;
        const bool s = std::find(slow.begin(), slow.end(), m) != slow.end();
        const bool f = std::find(failing.begin(), failing.end(), m) != failing.end();
        for (int k = 0; k < per_minute; ++k)
            d.add(start + m * 60000LL + k * (60000LL / per_minute), s ? 1000.0 : 50.0, f ? 500 : 200);
    }
    return d;
}

constexpr std::int64_t day0_ms = 1766707200000LL;  // 2025-12-26T00:00:00Z

} // namespace

TEST_CASE("summarize_service: every figure of an out-of-order log matches pandas / numpy / statsmodels",
          "[service][golden]") {
    const log_data d = golden_log();
    const auto s = dg::summarize_service(d.data());
    require_summary(s, gs::unit_expect[0]);
    // The planted 5-minute spike and 5-minute burst are found where they were planted.
    REQUIRE(s.latency_p95_run.longest == 5);
    REQUIRE(s.error_rate_run.longest == 5);
    REQUIRE(s.days == 2);  // the log crosses a midnight (and a new year)
}

TEST_CASE("summarize_service: each model version's requests match pandas", "[service][golden]") {
    const log_data d = golden_log();
    for (std::uint32_t v = 0; v < d.names.size(); ++v) {
        log_data part;
        for (std::size_t i = 0; i < d.t.size(); ++i)
            if (d.ver[i] == v) part.add(d.t[i], d.lat[i], d.st[i]);
        const auto& e = *std::find_if(gs::unit_expect.begin(), gs::unit_expect.end(),
                                      [&](const gs::segment& g) { return g.version == d.names[v]; });
        require_summary(dg::summarize_service(part.data()), e);
    }
}

TEST_CASE("evaluate_service: rows, order, values, severities and per-version rows", "[service][golden]") {
    const log_data d = golden_log();
    const auto rows = dg::evaluate_service(d.data());
    const char* names[] = {"latency_p50", "latency_p95", "latency_p99", "error_rate_4xx", "error_rate_5xx",
                           "requests_per_second", "predictions_per_day", "latency_p95_sustained", "error_rate_sustained"};
    REQUIRE(rows.size() == 27);  // overall, 1.0.0, 1.1.0
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO(i);
        REQUIRE(rows[i].section == "service");
        REQUIRE(rows[i].name == names[i % 9]);
        const auto* v = rows[i].details.find("model_version");
        if (i < 9) {
            REQUIRE(v == nullptr);
            REQUIRE(rows[i].column.empty());
        } else {
            const std::string name = i < 18 ? "1.0.0" : "1.1.0";
            REQUIRE(v != nullptr);
            REQUIRE(v->as_text() == name);
            REQUIRE(rows[i].column == "model_version=" + name);
        }
    }
    for (const auto& e : gs::unit_expect) {
        const std::string ver = e.version;
        INFO("segment '" << ver << "'");
        REQUIRE(row(rows, "latency_p50", ver).value == e.p50);
        REQUIRE(row(rows, "latency_p95", ver).value == e.p95);
        REQUIRE(row(rows, "latency_p99", ver).value == e.p99);
        REQUIRE(row(rows, "error_rate_4xx", ver).value == e.r4);
        REQUIRE(row(rows, "error_rate_5xx", ver).value == e.r5);
        REQUIRE(close_rel(row(rows, "requests_per_second", ver).value, e.rps, 1e-14));
        REQUIRE(row(rows, "predictions_per_day", ver).value == static_cast<double>(e.lowest_day_predictions));
        REQUIRE(row(rows, "latency_p95_sustained", ver).value == static_cast<double>(e.lat_run.longest));
        REQUIRE(row(rows, "error_rate_sustained", ver).value == static_cast<double>(e.err_run.longest));
        // Judged by docs/policy.md, Service health.
        const auto& p95 = row(rows, "latency_p95", ver);
        REQUIRE(p95.level == (e.p95 > 300 ? dg::severity::critical : e.p95 > 200 ? dg::severity::warning : dg::severity::ok));
        const auto& e5 = row(rows, "error_rate_5xx", ver);
        REQUIRE(e5.level == (e.r5 > 0.05 ? dg::severity::critical : e.r5 > 0.01 ? dg::severity::warning
                             : e.r5 >= 0.001 ? dg::severity::info : dg::severity::ok));
        const auto& rps = row(rows, "requests_per_second", ver);
        REQUIRE(rps.level == (e.rps < 5 ? dg::severity::warning : e.rps <= 10 ? dg::severity::info : dg::severity::ok));
        REQUIRE(row(rows, "latency_p95_sustained", ver).level == dg::severity::critical);
        const auto& sus = row(rows, "latency_p95_sustained", ver).details;
        REQUIRE(sus.find("run_start")->as_text() == e.lat_run.start);
        REQUIRE(sus.find("run_end")->as_text() == e.lat_run.end);
        REQUIRE(sus.find("windows_evaluated")->as_uint() == e.lat_run.evaluated);
        REQUIRE(sus.find("windows_without_requests")->as_uint() == e.lat_run.empty);
        REQUIRE(sus.find("above")->as_double() == 300.0);
        REQUIRE(sus.find("window_seconds")->as_int() == 60);
        const auto& ppd = row(rows, "predictions_per_day", ver).details;
        REQUIRE(ppd.find("lowest_day")->as_text() == e.lowest_date);
        REQUIRE(ppd.find("days")->as_uint() == e.days);
        REQUIRE(ppd.find("per_day")->as_list().size() == e.days);
        const auto& rd = row(rows, "requests_per_second", ver).details;
        REQUIRE(rd.find("first")->as_text() == e.first);
        REQUIRE(rd.find("last")->as_text() == e.last);
    }
}

TEST_CASE("summarize_service: request order does not matter (ordered walk, counting sort, pair sort)",
          "[service][order]") {
    log_data shuffled = golden_log();
    shuffled.names.clear();
    shuffled.ver.clear();
    // Sorted by instant: the ordered walk.
    std::vector<std::size_t> idx(shuffled.t.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return shuffled.t[a] < shuffled.t[b]; });
    log_data sorted;
    for (const std::size_t i : idx) sorted.add(shuffled.t[i], shuffled.lat[i], shuffled.st[i]);
    REQUIRE_FALSE(std::is_sorted(shuffled.t.begin(), shuffled.t.end()));
    require_same(dg::summarize_service(sorted.data()), dg::summarize_service(shuffled.data()));

    // One request 300 years later: the windows span far more than 4 n + 1024, the pair sort groups
    // them; the same request appended to the ordered log keeps it ordered.
    const std::int64_t far = day0_ms + 300LL * 365 * 86400000LL;
    sorted.add(far, 75.5, 200);
    shuffled.add(far, 75.5, 200);
    std::swap(shuffled.t.front(), shuffled.t.back());
    std::swap(shuffled.lat.front(), shuffled.lat.back());
    std::swap(shuffled.st.front(), shuffled.st.back());
    const auto a = dg::summarize_service(sorted.data());
    const auto b = dg::summarize_service(shuffled.data());
    require_same(a, b);
    REQUIRE(a.latency_p95_run.longest == 5);
    REQUIRE(a.latency_p95_run.windows_evaluated == gs::unit_expect[0].lat_run.evaluated + 1);
    // More days than requests: the lowest day has no prediction, and it is the day after the
    // first ones.
    REQUIRE(a.days > a.requests);
    REQUIRE(a.lowest_day_predictions == 0);
    REQUIRE(a.lowest_day == gs::unit_expect[0].lowest_day + 2);
    REQUIRE(a.per_day.empty());
}

TEST_CASE("Sustained rules: 5 consecutive windows are critical, 4 are info, an empty window breaks a run",
          "[service][sustained]") {
    SECTION("a 5-minute spike") {
        const auto d = minutes_log(day0_ms, 20, 30, {3, 4, 5, 6, 7});
        const auto rows = dg::evaluate_service(d.data());
        const auto& r = row(rows, "latency_p95_sustained");
        REQUIRE(r.value == 5);
        REQUIRE(r.level == dg::severity::critical);
        REQUIRE(r.details.find("run_start")->as_text() == "2025-12-26T00:03:00Z");
        REQUIRE(r.details.find("run_end")->as_text() == "2025-12-26T00:08:00Z");
        REQUIRE(r.details.find("windows_evaluated")->as_uint() == 20);
        REQUIRE(r.details.find("windows_above")->as_uint() == 5);
        REQUIRE(row(rows, "error_rate_sustained").level == dg::severity::ok);
        REQUIRE(row(rows, "error_rate_sustained").details.find("run_start")->is_null());
    }
    SECTION("a 4-minute spike and a 4-minute burst") {
        const auto d = minutes_log(day0_ms, 20, 30, {3, 4, 5, 6}, {10, 11, 12, 13});
        const auto rows = dg::evaluate_service(d.data());
        REQUIRE(row(rows, "latency_p95_sustained").value == 4);
        REQUIRE(row(rows, "latency_p95_sustained").level == dg::severity::info);
        REQUIRE(row(rows, "error_rate_sustained").value == 4);
        REQUIRE(row(rows, "error_rate_sustained").level == dg::severity::info);
    }
    SECTION("6 minutes above with an empty minute among them: runs of 3 and 2, not 6") {
        const auto d = minutes_log(day0_ms, 20, 30, {3, 4, 5, 6, 7, 8}, {}, {6});
        const auto s = dg::summarize_service(d.data());
        REQUIRE(s.latency_p95_run.longest == 3);
        REQUIRE(s.latency_p95_run.start == day0_ms + 3 * 60000);  // the earliest of the equal runs
        REQUIRE(s.latency_p95_run.windows_empty == 1);
        REQUIRE(s.latency_p95_run.windows_evaluated == 19);
    }
    SECTION("the earliest of two longest runs, and a later longer one wins") {
        const auto d = minutes_log(day0_ms, 30, 10, {1, 2, 10, 11, 20, 21, 22});
        const auto s = dg::summarize_service(d.data());
        REQUIRE(s.latency_p95_run.longest == 3);
        REQUIRE(s.latency_p95_run.start == day0_ms + 20 * 60000);
        REQUIRE(s.latency_p95_run.windows_above == 7);
    }
    SECTION("bounds are strict: a window P95 of exactly 300 ms and an error rate of exactly 5% are not above") {
        log_data d;
        for (int m = 0; m < 6; ++m)
            for (int k = 0; k < 20; ++k) d.add(day0_ms + m * 60000 + k * 1000, 300.0, k == 0 ? 503 : 200);
        const auto s = dg::summarize_service(d.data());
        REQUIRE(s.latency_p95_run.windows_above == 0);
        REQUIRE(s.error_rate_run.windows_above == 0);
        dg::service_policy p;
        p.latency_p95_sustained.above = 299.99;
        p.error_rate_sustained.above = 0.0499;
        const auto t = dg::summarize_service(d.data(), p);
        REQUIRE(t.latency_p95_run.longest == 6);
        REQUIRE(t.error_rate_run.longest == 6);
    }
    SECTION("the policy sets the window, the run length and the severity") {
        const auto d = minutes_log(day0_ms, 20, 30, {3, 4, 5});
        dg::service_policy p;
        p.sustained_windows = 3;
        p.latency_p95_sustained.level = dg::severity::warning;
        auto r = row(dg::evaluate_service(d.data(), p), "latency_p95_sustained");
        REQUIRE(r.level == dg::severity::warning);
        REQUIRE(r.thresholds.find("warning")->as_double() == 3);
        p.window_seconds = 180;  // windows 0-2, 3-5, ...: minutes 3-5 are one window
        r = row(dg::evaluate_service(d.data(), p), "latency_p95_sustained");
        REQUIRE(r.value == 1);
        REQUIRE(r.details.find("windows_evaluated")->as_uint() == 7);
        REQUIRE(r.details.find("run_start")->as_text() == "2025-12-26T00:03:00Z");
        REQUIRE(r.details.find("run_end")->as_text() == "2025-12-26T00:06:00Z");
    }
}

TEST_CASE("Windows are aligned to the UTC minute; instants in seconds, ms and microseconds agree",
          "[service][units]") {
    // Requests at 00:00:59.999 and 00:01:00.000 fall in different windows.
    log_data ms;
    ms.add(day0_ms + 59999, 1000, 200);
    ms.add(day0_ms + 60000, 1000, 200);
    REQUIRE(dg::summarize_service(ms.data()).latency_p95_run.windows_evaluated == 2);
    REQUIRE(dg::summarize_service(ms.data()).latency_p95_run.longest == 2);
    // Before the epoch too (floor, not truncation).
    log_data neg;
    neg.add(-1, 1000, 200);
    neg.add(0, 1000, 200);
    const auto sn = dg::summarize_service(neg.data());
    REQUIRE(sn.latency_p95_run.windows_evaluated == 2);
    REQUIRE(sn.days == 2);
    REQUIRE(sn.latency_p95_run.start == -60000);
    // The same log in three units.
    const auto base = minutes_log(day0_ms, 15, 12, {2, 3, 4, 5, 6}, {9});
    log_data s = base, us = base;
    s.unit = dg::time_unit::seconds;
    us.unit = dg::time_unit::microseconds;
    for (auto& t : s.t) t /= 1000;  // whole seconds (the log spreads requests 5 s apart)
    for (auto& t : us.t) t *= 1000;
    const auto rs = dg::evaluate_service(s.data()), rms = dg::evaluate_service(base.data()), rus = dg::evaluate_service(us.data());
    for (std::size_t i = 0; i < rs.size(); ++i) {
        INFO(rs[i].name);
        REQUIRE(rs[i].value == rms[i].value);
        REQUIRE(rus[i].value == rms[i].value);
        REQUIRE(rs[i].level == rms[i].level);
    }
    REQUIRE(row(rs, "latency_p95_sustained").details.find("run_start")->as_text() == "2025-12-26T00:02:00Z");
    REQUIRE(row(rus, "latency_p95_sustained").details.find("run_start")->as_text() == "2025-12-26T00:02:00Z");
}

TEST_CASE("Requests per second and predictions per day: definitions and the undefined cases", "[service][rate]") {
    SECTION("n / (last - first)") {
        log_data d;
        d.add(day0_ms, 10, 200);
        d.add(day0_ms + 500, 10, 200);
        d.add(day0_ms + 2000, 10, 404);
        const auto s = dg::summarize_service(d.data());
        REQUIRE(s.span_seconds == 2.0);
        REQUIRE(s.requests_per_second == 1.5);
        REQUIRE(s.predictions == 2);
    }
    SECTION("one request: undefined, judged as a breach with a note") {
        log_data d;
        d.add(day0_ms, 10, 200);
        const auto rows = dg::evaluate_service(d.data());
        const auto& r = row(rows, "requests_per_second");
        REQUIRE(std::isnan(r.value));
        REQUIRE(r.level == dg::severity::warning);
        REQUIRE(r.note.find("one request") != std::string::npos);
        REQUIRE(row(rows, "latency_p95_sustained").value == 0);
    }
    SECTION("several requests at one instant: undefined") {
        log_data d;
        for (int i = 0; i < 5; ++i) d.add(day0_ms, 10, 200);
        const auto rows = dg::evaluate_service(d.data());
        const auto& r = row(rows, "requests_per_second");
        REQUIRE(std::isnan(r.value));
        REQUIRE(r.level == dg::severity::warning);
        REQUIRE(r.note.find("same instant") != std::string::npos);
    }
    SECTION("a day without predictions between two days with some is the lowest day") {
        log_data d;
        for (int i = 0; i < 2000; ++i) d.add(day0_ms + i * 10, 10, 200);                    // Dec 26
        d.add(day0_ms + 86400000LL + 5, 10, 503);                                          // Dec 27: an error only
        for (int i = 0; i < 1500; ++i) d.add(day0_ms + 2 * 86400000LL + i * 10, 10, 201);  // Dec 28
        const auto rows = dg::evaluate_service(d.data());
        const auto& r = row(rows, "predictions_per_day");
        REQUIRE(r.value == 0);
        REQUIRE(r.level == dg::severity::warning);
        REQUIRE(r.details.find("lowest_day")->as_text() == "2025-12-27");
        REQUIRE(r.details.find("days")->as_uint() == 3);
        const auto& per = r.details.find("per_day")->as_list();
        REQUIRE(per.size() == 3);
        REQUIRE(per[0].find("predictions")->as_uint() == 2000);
        REQUIRE(per[1].find("predictions")->as_uint() == 0);
        REQUIRE(per[2].find("date")->as_text() == "2025-12-28");
        REQUIRE(per[2].find("predictions")->as_uint() == 1500);
    }
    SECTION("thresholds: below 500 a warning, at or below 1000 info") {
        for (const auto& [n, level] : {std::pair{499, dg::severity::warning}, {500, dg::severity::info},
                                       {1000, dg::severity::info}, {1001, dg::severity::ok}}) {
            log_data d;
            for (int i = 0; i < n; ++i) d.add(day0_ms + i * 50, 10, 200);
            REQUIRE(row(dg::evaluate_service(d.data()), "predictions_per_day").level == level);
        }
    }
}

TEST_CASE("Latencies that were not recorded (NaN) are excluded and counted; none at all is a breach",
          "[service][missing]") {
    log_data d;
    d.add(day0_ms, kNaN, 200);
    d.add(day0_ms + 1000, 40, 200);
    d.add(day0_ms + 2000, 60, 200);
    auto s = dg::summarize_service(d.data());
    REQUIRE(s.latency_missing == 1);
    REQUIRE(s.latency->n == 2);
    REQUIRE(s.latency->p50 == 50);

    log_data none;
    none.add(day0_ms, kNaN, 200);
    none.add(day0_ms + 1000, kNaN, 500);
    const auto rows = dg::evaluate_service(none.data());
    for (const char* name : {"latency_p50", "latency_p95", "latency_p99"}) {
        const auto& r = row(rows, name);
        REQUIRE(std::isnan(r.value));
        REQUIRE(r.level >= dg::severity::warning);
        REQUIRE(r.note.find("no request has a latency") != std::string::npos);
    }
    REQUIRE(row(rows, "latency_p95").level == dg::severity::critical);
    // No window has a latency: nothing evaluated, no run.
    REQUIRE(row(rows, "latency_p95_sustained").details.find("windows_evaluated")->as_uint() == 0);
    REQUIRE(row(rows, "error_rate_sustained").value == 1);
}

TEST_CASE("Bad input: errors with what and where", "[service][errors]") {
    const log_data ok = minutes_log(day0_ms, 2, 3, {});
    SECTION("no request") {
        log_data d;
        require_error([&] { (void)dg::summarize_service(d.data()); }, dg::errc::empty_sample, "no request");
        require_error([&] { (void)dg::evaluate_service(d.data()); }, dg::errc::empty_sample, "no request");
    }
    SECTION("lengths") {
        log_data d = ok;
        d.lat.pop_back();
        require_error([&] { (void)dg::summarize_service(d.data()); }, dg::errc::length_mismatch, "latencies");
        d = ok;
        d.st.push_back(200);
        require_error([&] { (void)dg::summarize_service(d.data()); }, dg::errc::length_mismatch, "statuses");
        d = ok;
        d.names = {"a"};
        d.ver = {0};
        require_error([&] { (void)dg::summarize_service(d.data()); }, dg::errc::length_mismatch, "model_version");
    }
    SECTION("statuses, latencies, versions") {
        for (const std::uint16_t bad : {std::uint16_t{0}, std::uint16_t{99}, std::uint16_t{600}, std::uint16_t{65535}}) {
            log_data d = ok;
            d.st[3] = bad;
            require_error([&] { (void)dg::summarize_service(d.data()); }, dg::errc::invalid_parameter, "status at index 3");
        }
        for (const double bad : {-1.0, -kInf, kInf}) {
            log_data d = ok;
            d.lat[2] = bad;
            require_error([&] { (void)dg::summarize_service(d.data()); }, dg::errc::invalid_parameter, "latency at index 2");
        }
        log_data d = ok;
        d.names = {"1.0.0"};
        d.ver.assign(d.t.size(), 0);
        d.ver[4] = 1;
        require_error([&] { (void)dg::evaluate_service(d.data()); }, dg::errc::invalid_parameter, "model_version at index 4");
    }
    SECTION("policy") {
        dg::service_policy p;
        p.window_seconds = 0;
        require_error([&] { (void)dg::summarize_service(ok.data(), p); }, dg::errc::invalid_parameter, "window_seconds");
        p = {};
        p.sustained_windows = 0;
        require_error([&] { (void)dg::summarize_service(ok.data(), p); }, dg::errc::invalid_parameter, "sustained_windows");
        p = {};
        p.confidence = 1.0;
        require_error([&] { (void)dg::summarize_service(ok.data(), p); }, dg::errc::invalid_parameter, "level");
        p = {};
        p.error_rate_sustained.above = kNaN;
        require_error([&] { (void)dg::summarize_service(ok.data(), p); }, dg::errc::invalid_parameter, "NaN");
    }
}

TEST_CASE("Extreme instants: no overflow, numbers instead of dates outside the years 0000-9999", "[service][edge]") {
    log_data d;
    d.unit = dg::time_unit::seconds;
    d.add(std::numeric_limits<std::int64_t>::min(), 10, 200);
    d.add(std::numeric_limits<std::int64_t>::max(), 20, 500);
    d.add(0, 30, 200);
    const auto s = dg::summarize_service(d.data());
    REQUIRE(s.requests == 3);
    REQUIRE(s.span_seconds == 18446744073709551615.0);
    REQUIRE(s.latency_p95_run.windows_evaluated == 3);
    REQUIRE(s.error_rate_run.longest == 1);
    REQUIRE(s.error_rate_run.end == std::numeric_limits<std::int64_t>::max());
    REQUIRE(s.lowest_day_predictions == 0);
    const auto rows = dg::evaluate_service(d.data());
    const auto& r = row(rows, "requests_per_second");
    REQUIRE(r.details.find("first")->as_int() == std::numeric_limits<std::int64_t>::min());
    REQUIRE(r.details.find("last")->as_int() == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("evaluate_service: versions without requests get no rows; the column prefix is the caller's",
          "[service][versions]") {
    log_data d = minutes_log(day0_ms, 3, 4, {});
    d.names = {"a", "b", "c"};
    d.ver.assign(d.t.size(), 2);
    d.ver[0] = 0;
    const auto rows = dg::evaluate_service(d.data(), {}, "meta.version");
    REQUIRE(rows.size() == 27);
    REQUIRE(rows[9].column == "meta.version=a");
    REQUIRE(rows[18].column == "meta.version=c");
    REQUIRE(row(rows, "requests_per_second", "a").note.find("one request") != std::string::npos);
}

TEST_CASE("A window's P95 by selection equals numpy's linear quantile of the sorted window, bit for bit",
          "[service][quantile]") {
    // quantile_sorted is numpy.quantile bit for bit (test_quantile.cpp); the selection must pick the
    // same order statistics and interpolate them the same way.
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1000.0);
    for (std::size_t n = 1; n <= 300; ++n) {
        for (int rep = 0; rep < 3; ++rep) {
            std::vector<double> v(n);
            for (auto& x : v) x = rep == 2 ? std::round(u(rng) / 50.0) * 50.0 : u(rng);  // rep 2: heavy ties
            std::vector<double> sorted = v;
            std::sort(sorted.begin(), sorted.end());
            for (const double q : {0.0, 0.5, 0.95, 0.99, 1.0}) {
                std::vector<double> w = v;
                const double a = dg::detail::quantile_select(w, q);
                const double b = dg::detail::quantile_sorted(std::span<const double>(sorted), q);
                if (a != b) FAIL("n = " << n << ", q = " << q << ": " << a << " != " << b);
            }
        }
    }
}

TEST_CASE("service_rule: a target is met strictly, alerts are strict (the monitoring design's wording)", "[service][rules]") {
    // Latency P50: target < 100 ms (info at 100 and above), alert > 150 ms.
    const dg::rule up = dg::service_rule(dg::target_thresholds{100.0, 150.0, std::nullopt}, dg::direction::above);
    // Requests per second: target > 10 (info at 10 and below), alert < 5.
    const dg::rule down = dg::service_rule(dg::target_thresholds{10.0, 5.0, std::nullopt}, dg::direction::below);
    struct edge {
        const dg::rule* r;
        double value;
        dg::severity expected;
    };
    const edge table[] = {
        {&up, 99.999, dg::severity::ok},      {&up, 100.0, dg::severity::info},     {&up, 150.0, dg::severity::info},
        {&up, 150.001, dg::severity::warning}, {&down, 10.001, dg::severity::ok},    {&down, 10.0, dg::severity::info},
        {&down, 5.0, dg::severity::info},      {&down, 4.999, dg::severity::warning},
    };
    for (const auto& e : table) {
        INFO(e.value);
        CHECK(dg::judge(*e.r, e.value).level == e.expected);
    }
}
