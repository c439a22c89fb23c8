// The renderers on a report made here, with sections and checks the CLI does not produce yet
// (schema, data quality, chi-square with category bins, Jensen-Shannon, service latency): every
// format shows them without a change, in the monitoring design's order; and the text helpers
// (UTF-8 repair, escaping for each language) on the inputs that break them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "render.hpp"
#include "report.hpp"
#include "text.hpp"

using namespace driftgate;
using namespace driftgate::cli;

namespace {

check make(std::string section, std::string name, std::string column, double value, severity level, field thresholds,
           field details = field()) {
    check c;
    c.section = std::move(section);
    c.name = std::move(name);
    c.column = std::move(column);
    c.value = value;
    c.level = level;
    c.thresholds = std::move(thresholds);
    c.details = std::move(details);
    return c;
}

field above(double w, double c) { return to_field(rule{direction::above, std::nullopt, bound{w, true}, bound{c, true}}); }

report future_report() {
    report r;
    r.command = "check";
    r.inputs.set("current", field::make_table({{"path", "cur.csv"}, {"rows", 100}}));
    r.checks.push_back(make("drift", "psi", "EDUCATION", 0.05, severity::ok, above(0.1, 0.25)));
    r.checks.push_back(make("drift", "psi", "SEX", 0.3, severity::critical, above(0.1, 0.25)));
    field bins = field::make_list();
    bins.push_back(field::make_table({{"category", "graduate"}, {"reference_share", 0.4}, {"current_share", 0.2}}));
    bins.push_back(field::make_table({{"category", "university"}, {"reference_share", 0.6}, {"current_share", 0.8}}));
    r.checks.push_back(make("drift", "chi2", "EDUCATION", 1e-9, severity::warning,
                            to_field(rule{direction::below, std::nullopt, bound{0.05, false}, std::nullopt}),
                            field::make_table({{"statistic", 37.5}, {"pvalue", 1e-9}, {"bins", bins}})));
    r.checks.push_back(make("drift", "jensen_shannon", "SEX", 0.2, severity::warning, above(0.1, 0.3)));
    r.checks.push_back(make("schema", "missing_column", "PAY_0", 1.0, severity::critical, field()));
    r.checks.push_back(make("data_quality", "missing_share", "AGE", 0.07, severity::warning, above(0.05, 0.2)));
    r.checks.push_back(make("data_quality", "missing_share", "LIMIT_BAL", 0.0, severity::ok, above(0.05, 0.2)));
    r.checks.push_back(make("service", "latency_p95", "", 0.25, severity::warning, above(0.2, 0.3),
                            field::make_table({{"unit", "seconds"}})));
    return r;
}

} // namespace

TEST_CASE("Sections in the monitoring design order, new sections and checks in every format", "[render]") {
    const report r = future_report();
    const auto order = section_order(r);
    CHECK(order == std::vector<std::string>{"service", "schema", "data_quality", "drift"});
    run_info run;
    run.gate = fail_on::critical;
    run.exit_code = 2;
    for (const auto& f : formats()) {
        INFO(f.name);
        const std::string out = f.render(r, run);
        CHECK(!out.empty());
        for (const char* name : {"latency", "missing", "EDUCATION", "SEX", "PAY_0", "AGE"}) CHECK(out.find(name) != std::string::npos);
    }
    const std::string md = render_markdown(r, run);
    CHECK(md.find("## Service health") < md.find("## Schema"));
    CHECK(md.find("## Schema") < md.find("## Data quality"));
    CHECK(md.find("## Data quality") < md.find("## Data drift"));
    CHECK(md.find("| chi-square p-value |") != std::string::npos); // a pivot column per check name
    CHECK(md.find("1.000e-09 (X2 37.5) **WARNING**") != std::string::npos);
    CHECK(md.find("**Act now on** PAY_0 (Schema)") != std::string::npos);
    CHECK(md.find("**Investigate** latency_p95 (Service health): latency p95 0.25, above the 0.20 warning") != std::string::npos);
    const std::string html = render_html(r, run);
    // The chi-square's category bins drawn for EDUCATION (a warning), ranked bars of PSI and of
    // the Jensen-Shannon distance (both judged above a bound over two columns).
    CHECK(html.find("<title>chi-square p-value of EDUCATION: reference and current share per bin</title>") != std::string::npos);
    CHECK(html.find("<title>PSI per column, ranked</title>") != std::string::npos);
    CHECK(html.find("graduate") != std::string::npos);
    const std::string prom = render_prometheus(r, run);
    CHECK(prom.find("driftgate_check_value{section=\"service\",check=\"latency_p95\",column=\"\"} 0.25") != std::string::npos);
    CHECK(prom.find("driftgate_check_severity{section=\"schema\",check=\"missing_column\",column=\"PAY_0\"} 3") != std::string::npos);
    CHECK(prom.find("driftgate_check_threshold{section=\"data_quality\",check=\"missing_share\",column=\"AGE\",level=\"warning\"} 0.05") !=
          std::string::npos);
    const std::string xml = render_junit(r, run);
    CHECK(std::count(xml.begin(), xml.end(), '\n') > 10);
    std::size_t failures = 0;
    for (auto p = xml.find("<failure "); p != std::string::npos; p = xml.find("<failure ", p + 1)) ++failures;
    CHECK(failures == 2); // the two critical checks under --fail-on critical
}

TEST_CASE("A rule on another figure of a check explains its severity (KS thresholds on D)", "[render]") {
    field t = to_field(rule{direction::below, std::nullopt, bound{0.05, false}, bound{0.01, false}});
    t.set("statistic", to_field(rule{direction::above, std::nullopt, std::nullopt, bound{0.2, true}}));
    const check c = make("drift", "ks", "x", 0.3, severity::critical, t,
                         field::make_table({{"statistic", 0.25}, {"pvalue", 0.3}}));
    CHECK(breach_reason(c) == "KS p-value D 0.25, above the 0.20 critical");
    CHECK(bounds_text(t) == "warn < 0.05, crit < 0.01; statistic: crit >= 0.20");
    const check u = make("performance", "precision", "score", NAN, severity::warning,
                         to_field(rule{direction::below, bound{0.31, false}, bound{0.25, false}, std::nullopt}));
    CHECK(breach_reason(u) == "precision undefined, judged as a breach");
}

TEST_CASE("A target reached is info while an alert needs its bound passed: each bound shown with its own operator",
          "[render]") {
    // docs/policy.md, Service health: P50 at or above 100 ms is info, above 150 a warning.
    const field t = to_field(spec::latency_p50());
    CHECK(t.find("inclusive")->as_bool() == false);
    REQUIRE(t.find("target_inclusive") != nullptr);
    CHECK(t.find("target_inclusive")->as_bool() == true);
    CHECK(bounds_text(t) == "info >= 100, warn > 150");
    const check at = make("service", "latency_p50", "", 100.0, judge(spec::latency_p50(), 100.0).level, t);
    CHECK(at.level == severity::info);
    CHECK(breach_reason(at) == "latency p50 100, at the 100 target");
    // Requests per second: at or below 10 is info, below 5 a warning.
    CHECK(bounds_text(to_field(spec::requests_per_second())) == "info <= 10, warn < 5");
    // A rule whose bounds agree carries no target_inclusive.
    const field recall = to_field(rule{direction::below, bound{0.87, false}, bound{0.80, false}, std::nullopt});
    CHECK(recall.find("target_inclusive") == nullptr);
    CHECK(bounds_text(recall) == "info < 0.87, warn < 0.80");
}

TEST_CASE("UTF-8 validity and repair follow Unicode's well-formed sequences", "[render]") {
    CHECK(valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
    for (const char* bad : {"\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\x80"}) {
        INFO(bad);
        CHECK_FALSE(valid_utf8(bad));
    }
    CHECK(repair_utf8("caf\xE9") == "caf\\xE9");
    CHECK(repair_utf8("\xED\xA0\x80x") == "\\xED\\xA0\\x80x"); // a surrogate: each byte
    CHECK(repair_utf8("ok \xC3\xA9") == "ok \xC3\xA9");
    report r;
    r.checks.push_back(make("drift", "psi", "caf\xE9", 0.1, severity::ok, field()));
    CHECK(repair_texts(r));
    CHECK(r.checks[0].column == "caf\\xE9");
    CHECK(r.notes.size() == 1);
    CHECK_FALSE(repair_texts(r)); // nothing left to repair
}

TEST_CASE("Escaping for terminal text, Markdown, markup and Prometheus label values", "[render]") {
    CHECK(escape_control("a\tb\nc\x01") == "a\\tb\\nc\\x01");
    CHECK(escape_markdown("a|b") == "a\\|b");
    CHECK(escape_markdown("PAY_0") == "PAY_0");
    CHECK(escape_markdown("_x_") == "\\_x\\_");
    CHECK(escape_markdown("<b>x</b> < 3 & y &amp;") == "\\<b>x\\</b> < 3 & y \\&amp;");
    CHECK(escape_markdown("*[x](y)*") == "\\*\\[x\\](y)\\*");
    CHECK(escape_markdown("a\nb") == "a\\\\nb");
    CHECK(escape_markup("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(escape_markup("a\nb") == "a\\nb");
    CHECK(escape_markup("a\nb", true) == "a\nb");
    CHECK(escape_label_value("a\"b\\c\nd\x01") == "a\\\"b\\\\c\\nd\\\\x01");
    CHECK(human_bound(0.1) == "0.10");
    CHECK(human_bound(0.25) == "0.25");
    CHECK(human_bound(0.125) == "0.125");
    CHECK(exact_number(0.1) == "0.1");
    CHECK(exact_number(-INFINITY) == "-Inf");
    CHECK(rfc3339_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(rfc3339_utc(1700000000, 120000000) == "2023-11-14T22:13:20.12Z");
}
