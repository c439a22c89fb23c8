// End-to-end tests of --time-column / --window / [windows]: fixtures and golden figures from
// tests/data/e2e/gen_window_fixtures.py (pandas' isocalendar on the UTC instants, scikit-learn's
// roc_auc_score, scipy's ks_2samp), every output format (promtool and xmllint where installed,
// headless Chromium for the HTML), exit codes and refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "data/e2e/windows_golden.hpp"
#include "e2e/consumers.hpp"
#include "e2e/e2e_support.hpp"

using nlohmann::json;
using namespace e2e;
namespace gw = golden_windows;

namespace {

const std::string dir = std::string(DRIFTGATE_E2E_DIR);
const std::string cur = q(dir + "/windows.csv");
const std::string ref = q(dir + "/windows_reference.csv");

/// The check `name` (of `column` when given) in `window` ("" for the overall row, which has no
/// window field).
const json* find(const json& report, const std::string& name, const std::string& window, const std::string& column = "") {
    return find_check(report, name, "window", window, column);
}

/// The windows of a report's checks, in report order.
std::vector<std::string> windows_of(const json& report) {
    std::vector<std::string> out;
    for (const auto& c : report["checks"])
        if (c.contains("window") && (out.empty() || out.back() != c["window"])) out.push_back(c["window"]);
    return out;
}

} // namespace

TEST_CASE("perf by week: ISO weeks in time order, every check per week, equal to pandas and scikit-learn",
          "[e2e][windows]") {
    const auto r = run("perf " + cur + " --score score --label label --time-column date --window week --format json");
    INFO(r.err);
    REQUIRE(r.code <= 2);
    const json j = r.report();
    // Weeks in time order: 2026-W01 begins on Monday 2025-12-29, and rows whose offset moves them
    // to another UTC day or week are placed by their UTC instant.
    std::vector<std::string> expected;
    for (const auto& w : gw::weeks) expected.push_back(w.name);
    CHECK(windows_of(j) == expected);
    for (const auto& w : gw::weeks) {
        INFO(w.name);
        if (w.rows < 100) {  // below [windows] min_rows: its size, no metric
            const json* size = find(j, "window_size", w.name);
            REQUIRE(size);
            CHECK(size->at("value") == w.rows);
            CHECK(size->at("severity") == "info");
            CHECK(size->at("column") == "date");
            CHECK(find(j, "auc", w.name) == nullptr);
            continue;
        }
        const json* auc = find(j, "auc", w.name);
        REQUIRE(auc);
        CHECK(close(auc->at("value").get<double>(), w.auc));
        CHECK(auc->at("n") == w.rows);
        CHECK(auc->at("ci_lower").get<double>() < w.auc);
    }
    // The overall rows carry no window field and are the plain run's.
    const auto plain = run("perf " + cur + " --score score --label label --format json");
    for (const auto& c : plain.report()["checks"]) {
        const json* same = find(j, c["check"].get<std::string>(), "");
        REQUIRE(same);
        CHECK(*same == c);
    }
    CHECK(j["notes"].dump().find("6 windows of the current file (week of date: 2026-W01 to 2026-W06)") != std::string::npos);
}

TEST_CASE("drift by week: each week against the whole reference, and equal to that week's rows as a file",
          "[e2e][windows]") {
    const auto r = run("drift " + ref + " " + cur + " --score score --time-column date --window week --format json");
    INFO(r.err);
    REQUIRE(r.code == 2);  // x shifts from week 3 on
    const json j = r.report();
    for (const auto& w : gw::weeks) {
        if (w.rows < 100) continue;
        INFO(w.name);
        const json* ks = find(j, "ks", w.name, "x");
        REQUIRE(ks);
        CHECK(close(ks->at("value").get<double>(), w.ks_pvalue, 1e-9));
    }
    CHECK(find(j, "ks", "2026-W01", "x")->at("severity") == "ok");
    CHECK(find(j, "psi", "2026-W05", "x")->at("severity") == "critical");
    // The time column is not a feature (no check names it but the windows').
    for (const auto& c : j["checks"]) CHECK((c.value("column", "") != "date" || c["section"] == "windows"));
    // Schema checks are the file's: not repeated per window.
    for (const auto& c : j["checks"]) CHECK((c["section"] != "schema" || !c.contains("window")));
    // Week 4's checks equal those of a file holding only week 4's rows (written by pandas).
    const auto w4 = run("drift " + ref + " " + q(dir + "/windows_W04.csv") + " --score score --columns x,code --format json");
    REQUIRE(w4.code == 2);
    std::size_t compared = 0;
    for (const auto& c : w4.report()["checks"]) {
        if (c["section"] == "schema") continue;
        const json* same = find(j, c["check"].get<std::string>(), "2026-W04", c.value("column", ""));
        REQUIRE(same);
        json a = *same;
        a.erase("window");
        CHECK(a == c);
        ++compared;
    }
    CHECK(compared >= 10);
}

TEST_CASE("windows by month, by day and of N rows, and check with a windows configuration", "[e2e][windows]") {
    const auto month = run("proxy " + cur + " --score score --time-column date --window month --format json");
    REQUIRE(month.code <= 2);
    const json m = month.report();
    std::vector<std::string> months;
    for (const auto& x : gw::months) months.push_back(x.name);
    CHECK(windows_of(m) == months);
    for (const auto& x : gw::months) {
        INFO(x.name);
        if (x.rows < 100) CHECK(find(m, "window_size", x.name)->at("value") == x.rows);
        else CHECK(find(m, "mean_score", x.name)->at("n") == x.rows);
    }
    // Days: every day of the fixture is below 100 rows; --config lowers min_rows.
    scratch s;
    const auto cfg = s.write("c.toml", "[windows]\ntime_column = \"date\"\nwindow = \"day\"\nmin_rows = 1\n");
    const auto day = run("proxy " + cur + " --score score --config " + q(cfg) + " --format json");
    REQUIRE(day.code <= 2);
    const json d = day.report();
    std::vector<std::string> days;
    for (const auto& x : gw::days) days.push_back(x.name);
    CHECK(windows_of(d) == days);
    for (const auto& x : gw::days) CHECK(find(d, "mean_score", x.name)->at("n") == x.rows);
    // N rows: chunks in file order, no time column needed.
    const auto rows = run("proxy " + cur + " --score score --window 500 --format json");
    REQUIRE(rows.code <= 2);
    const json n = rows.report();
    for (const auto& x : gw::chunks) {
        INFO(x.name);
        const json* mean = find(n, "mean_score", x.name);
        REQUIRE(mean);
        CHECK(close(mean->at("value").get<double>(), x.mean_score));
        CHECK(mean->at("n") == x.rows);
    }
    // check: drift, proxies and performance per window from the configuration.
    const auto ccfg = s.write("check.toml", "[input]\nreference = " + json(dir + "/windows_reference.csv").dump() +
                                                "\ncurrent = " + json(dir + "/windows.csv").dump() +
                                                "\n[columns]\nscore = \"score\"\nlabel = \"label\"\n"
                                                "[windows]\ntime_column = \"date\"\nwindow = \"week\"\n");
    const auto chk = run("check --config " + q(ccfg) + " --format json");
    INFO(chk.err);
    REQUIRE(chk.code == 2);
    const json c = chk.report();
    CHECK(close(find(c, "auc", "2026-W02")->at("value").get<double>(), gw::weeks[1].auc));
    CHECK(close(find(c, "ks", "2026-W03", "x")->at("value").get<double>(), gw::weeks[2].ks_pvalue, 1e-9));
    CHECK(find(c, "mean_score", "2026-W05") != nullptr);
}

TEST_CASE("windows in every format: text, Markdown trends, HTML trend charts (Chromium), Prometheus (promtool), JUnit",
          "[e2e][windows]") {
    const std::string args = "drift " + ref + " " + cur + " --score score --time-column date --window week";
    const auto text = run(args);
    CHECK(text.out.find("x @ 2026-W05") != std::string::npos);
    const auto md = run(args + " --format markdown");
    CHECK(md.out.find("## Trends across windows") != std::string::npos);
    CHECK(md.out.find("| 2026-W06 | info | 0 | window size: fewer than 100 rows") != std::string::npos);
    CHECK(md.out.find("| PSI | x | \u2581\u2581\u2582\u2584\u2588 |") != std::string::npos);  // rising PSI
    CHECK(check_markdown_tables(md.out) > 0);
    // The drift section shows the overall rows only: the windows' are in the trends.
    const auto drift_at = md.out.find("## Data drift"), trends_at = md.out.find("## Trends across windows");
    REQUIRE(drift_at < trends_at);
    CHECK(md.out.substr(drift_at, trends_at - drift_at).find("2026-W") == std::string::npos);
    scratch s;
    const auto html = run(args + " --format html");
    CHECK(html.out.find("<svg class=\"trend\"") != std::string::npos);
    CHECK(html.out.find("<title>PSI of x per window</title>") != std::string::npos);
    if (have("chromium")) {
        const auto [rc, out] = shell("/usr/bin/python3 " + q(source_dir + "/tests/e2e/check_html.py") + " " + q(s.write("r.html", html.out)));
        INFO(out);
        CHECK(rc == 0);
    }
    const auto prom = run(args + " --format prometheus");
    CHECK(prom.out.find("driftgate_psi{feature=\"x\",window=\"2026-W05\"}") != std::string::npos);
    const auto junit = run(args + " --format junit");
    CHECK(junit.out.find("drift/psi/x@2026-W05") != std::string::npos);
    if (have("promtool")) {
        const auto [rc, out] = shell("promtool check metrics < " + q(s.write("r.prom", prom.out)));
        INFO(out);
        CHECK(rc == 0);
    }
    if (have("xmllint")) {
        const auto [rc, out] = shell("xmllint --noout --schema " + q(source_dir + "/tests/junit.xsd") + " " + q(s.write("r.xml", junit.out)));
        INFO(out);
        CHECK(rc == 0);
    }
}

TEST_CASE("windows: a row that cannot be placed, a window that cannot be judged, a bad setting", "[e2e][windows]") {
    scratch s;
    auto file = [&](const std::string& name, const std::string& third_date) {
        return s.write(name, "date,score,label\n2026-01-05,0.1,0\n2026-01-06,0.2,1\n" + third_date + ",0.3,0\n");
    };
    // A missing or unreadable date is an error naming its cell, never a dropped row.
    const auto missing = run("proxy " + q(file("m.csv", "")) + " --score score --time-column date --window day");
    CHECK(missing.code == 65);
    CHECK(missing.err.find("m.csv:4:1: column \"date\": the time is missing") != std::string::npos);
    const auto bad = run("proxy " + q(file("b.csv", "2026-02-30")) + " --score score --time-column date --window week");
    CHECK(bad.code == 65);
    CHECK(bad.err.find("b.csv:4:1: column \"date\": \"2026-02-30\": the day does not exist in that month") != std::string::npos);
    const auto words = run("proxy " + q(file("w.csv", "yesterday")) + " --score score --time-column date --window week");
    CHECK(words.code == 65);
    CHECK(words.err.find("w.csv:4:1") != std::string::npos);
    // A window whose performance cannot be computed (one class) is a warning of its own.
    std::string t = "date,score,label\n";
    for (int i = 0; i < 300; ++i)
        t += std::string(i < 150 ? "2026-01-05" : "2026-01-12") + "," + std::to_string((i % 97) / 200.0) + "," +
             (i < 150 ? std::to_string(i % 3 == 0) : std::string("0")) + "\n";
    const auto one = run("perf " + q(s.write("one.csv", t)) + " --score score --label label --time-column date --window week --format json");
    INFO(one.err);
    REQUIRE(one.code <= 2);
    const json report = one.report();
    const json* w = find(report, "window_unjudged", "2026-W03");
    REQUIRE(w);
    CHECK(w->at("severity") == "warning");
    CHECK(w->at("note").get<std::string>().find("only one class") != std::string::npos);
    // Command lines: a calendar window needs a time column, a time column a calendar window; the
    // score cannot place rows (exit 64). In a configuration the same is a bad configuration (65).
    CHECK(run("proxy " + q(file("x.csv", "2026-01-07")) + " --score score --window week").code == 64);
    CHECK(run("proxy " + q(file("y.csv", "2026-01-07")) + " --score score --time-column score --window week").code == 64);
    CHECK(run("proxy " + q(file("y.csv", "2026-01-07")) + " --score score --time-column date").code == 64);
    CHECK(run("proxy " + q(file("y.csv", "2026-01-07")) + " --score score --time-column date --window 2").code == 64);
    CHECK(run("proxy " + q(file("y.csv", "2026-01-07")) + " --score score --config " +
              q(s.write("w.toml", "[windows]\nwindow = \"week\"\n")))
              .code == 65);
    // A time column that places no rows (no day, week or month window) is a feature like any
    // other, and a note says it is not used: a drifted column is never dropped from the gate.
    std::string a = "x,score\n", b = "x,score\n";
    for (int i = 0; i < 200; ++i) {
        a += std::to_string(i % 50) + ",0.1\n";
        b += std::to_string(i % 50 + 100) + ",0.1\n";
    }
    const auto unused = run("drift " + q(s.write("a.csv", a)) + " " + q(s.write("b.csv", b)) + " --config " +
                            q(s.write("t.toml", "[windows]\ntime_column = \"x\"\nwindow = \"100\"\n")) + " --format json");
    CHECK(unused.code == 2);
    CHECK(find(unused.report(), "psi", "", "x") != nullptr);
    CHECK(unused.report()["notes"].dump().find("[windows] time_column \\\"x\\\" is not used") != std::string::npos);
    // A text that is no date at all gets the time column's wording, not a demand for an offset.
    const auto basic = run("proxy " + q(file("basic.csv", "20260105")) + " --score score --time-column date --window day");
    CHECK(basic.code == 65);
    CHECK(basic.err.find("not an ISO 8601 date (YYYY-MM-DD) or date-time") != std::string::npos);
    CHECK(run("proxy " + q(file("z.csv", "2026-01-07")) + " --score score --time-column date --window fortnight").code == 64);
    CHECK(run("proxy " + q(file("z.csv", "2026-01-07")) + " --score score --window 0").code == 64);
    // The time column must exist.
    const auto nope = run("proxy " + q(file("n.csv", "2026-01-07")) + " --score score --time-column when --window week");
    CHECK(nope.code == 65);
    CHECK(nope.err.find("no column \"when\" (the time column: --time-column, [windows] time_column); the columns are") !=
          std::string::npos);
}
