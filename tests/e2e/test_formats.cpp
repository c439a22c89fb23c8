// End-to-end tests of the report formats, each read by its real consumer: Prometheus' promtool
// (metrics, and the example alerting rules), xmllint against tests/junit.xsd, headless Chromium
// for the HTML (tests/e2e/check_html.py), a GFM table check for the Markdown; on the stable and
// the drifted credit snapshots, and on column names made to break renderers. A test whose tool
// is missing exits 77 and CTest reports it as skipped.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "e2e/consumers.hpp"
#include "e2e/e2e_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace e2e;

namespace {

const std::string credit = source_dir + "/examples/credit";

/// Every format of one `check` run on the credit example, written by --output and --report.
struct credit_run {
    scratch dir;
    int code = -1;
    std::string err;
    json j;
    std::string md, html_path, prom, xml_path, text;

    explicit credit_run(const std::string& current, const std::string& extra = "") {
        const auto r = run("check --config " + q(credit + "/config.toml") + " --current " + q(credit + "/" + current) +
                           " --format json --output " + q(dir.file("r.json")) + " --report markdown=" +
                           q(dir.file("r.md")) + " --report html=" + q(dir.file("r.html")) + " --report prometheus=" +
                           q(dir.file("r.prom")) + " --report junit=" + q(dir.file("r.xml")) + " --report text=" +
                           q(dir.file("r.txt")) + " " + extra);
        code = r.code;
        err = r.err;
        INFO(r.err);
        REQUIRE(r.out.empty()); // --output given: nothing on standard output
        j = json::parse(slurp(dir.file("r.json")));
        md = slurp(dir.file("r.md"));
        prom = slurp(dir.file("r.prom"));
        text = slurp(dir.file("r.txt"));
        html_path = dir.file("r.html");
        xml_path = dir.file("r.xml");
    }
};

/// The value of the sample `name{labels}` in an exposition text; NaN when absent.
double sample(const std::string& prom, const std::string& series) {
    std::istringstream in(prom);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    return NAN;
}

/// One data row of five columns; the current sample (shift 1) is moved so that every column drifts.
std::string fmt_row(int i, int shift, int columns = 5) {
    std::string r;
    for (int c = 0; c < columns; ++c) {
        if (c) r += ',';
        r += std::to_string((i * (c + 3)) % 97 + shift * 40 * (c + 1));
    }
    return r + "\n";
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("Prometheus: promtool accepts the metrics of both snapshots; the values are the JSON report's", "[consumers]") {
    require_tool("promtool", "prometheus");
    for (const auto& [current, expected] : {std::pair{"current_stable.csv", 0}, {"current_drifted.csv", 2}}) {
        INFO(current);
        const credit_run r(current);
        CHECK(r.code == expected);
        scratch s;
        const auto [rc, out] = shell("promtool check metrics < " + q(r.dir.file("r.prom")));
        INFO(out);
        CHECK(rc == 0);
        CHECK(out.empty()); // no lint remark either
        CHECK(sample(r.prom, "driftgate_run_exit_code{command=\"check\",fail_on=\"critical\"}") == expected);
        const std::map<std::string, int> sev{{"ok", 0}, {"info", 1}, {"warning", 2}, {"critical", 3}};
        int worst = 0, chi2_checks = 0;
        for (const auto& c : r.j["checks"]) {
            const std::string labels = "{section=\"" + c["section"].get<std::string>() + "\",check=\"" +
                                       c["check"].get<std::string>() + "\",column=\"" + c.value("column", "") + "\"}";
            INFO(labels);
            CHECK(sample(r.prom, "driftgate_check_severity" + labels) == sev.at(c["severity"]));
            worst = std::max(worst, sev.at(c["severity"]));
            if (c["check"] == "psi")
                CHECK(sample(r.prom, "driftgate_psi{feature=\"" + c["column"].get<std::string>() + "\"}") ==
                      c["value"].get<double>());
            if (c["check"] == "ks") {
                CHECK(sample(r.prom, "driftgate_ks_statistic{feature=\"" + c["column"].get<std::string>() + "\"}") ==
                      c["statistic"].get<double>());
                const double lp = sample(r.prom, "driftgate_ks_log_pvalue{feature=\"" + c["column"].get<std::string>() + "\"}");
                CHECK(std::isfinite(lp)); // finite where p underflows
                CHECK(lp == c["log_pvalue"].get<double>());
                CHECK(sample(r.prom, "driftgate_ks_pvalue{feature=\"" + c["column"].get<std::string>() + "\"}") ==
                      c["value"].get<double>());
            }
            if (c["check"] == "chi2") {
                ++chi2_checks;
                CHECK(sample(r.prom, "driftgate_chi2_pvalue{feature=\"" + c["column"].get<std::string>() + "\"}") ==
                      c["value"].get<double>());
                const double lp = sample(r.prom, "driftgate_chi2_log_pvalue{feature=\"" + c["column"].get<std::string>() + "\"}");
                CHECK(std::isfinite(lp)); // finite where p underflows (PAY_0 on the drifted snapshot: p = 0)
                CHECK(lp == c["log_pvalue"].get<double>());
            }
            if (c["check"] == "auc") CHECK(sample(r.prom, "driftgate_auc{column=\"score\"}") == c["value"].get<double>());
        }
        CHECK(sample(r.prom, "driftgate_run_status{command=\"check\"}") == worst);
        // The PAY_* codes are judged by the chi-square test: its named families are there.
        CHECK(chi2_checks == 6);
        CHECK(r.prom.find("# TYPE driftgate_chi2_pvalue gauge\n") != std::string::npos);
        CHECK(r.prom.find("# TYPE driftgate_chi2_log_pvalue gauge\n") != std::string::npos);
        if (expected == 2) CHECK(sample(r.prom, "driftgate_chi2_pvalue{feature=\"PAY_0\"}") == 0.0);
        const double t = sample(r.prom, "driftgate_run_timestamp_seconds{command=\"check\"}");
        const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        CHECK(t <= now);
        CHECK(t > now - 600);
        // No timestamps on samples (the textfile collector refuses them): every sample line has
        // exactly one space, between the series and its value.
        std::istringstream in(r.prom);
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && line[0] != '#') CHECK(count(line.substr(line.rfind('}') == std::string::npos ? 0 : line.rfind('}')), " ") == 1);
    }
}

TEST_CASE("Prometheus: a service run's metrics pass promtool; latencies in seconds are the report's milliseconds", "[consumers]") {
    require_tool("promtool", "prometheus");
    scratch s;
    const std::string log = source_dir + "/examples/service/predictions-2025-12-26.jsonl.gz";
    const std::string base = "service " + q(log) + " --by model_version --fail-on never --format ";
    const auto prom = run(base + "prometheus");
    REQUIRE(prom.code == 0);
    const auto path = s.write("s.prom", prom.out);
    const auto [rc, out] = shell("promtool check metrics < " + q(path));
    INFO(out);
    CHECK(rc == 0);
    CHECK(out.empty());
    const json j = run(base + "json").report();
    int latencies = 0;
    for (const auto& c : j["checks"]) {
        const std::string name = c["check"];
        if (name.rfind("latency_p", 0) != 0 || name.find("sustained") != std::string::npos) continue;
        const std::string version = c.contains("model_version") ? c["model_version"].get<std::string>() : "";
        const double ms = c["value"];
        CHECK(sample(prom.out, "driftgate_service_latency_seconds{percentile=\"" + name.substr(8) + "\",model_version=\"" +
                                   version + "\"}") == Approx(ms / 1000.0).epsilon(1e-15));
        ++latencies;
    }
    CHECK(latencies == 9);  // P50, P95, P99 over every request and for each of the two versions
}

TEST_CASE("Prometheus: the example alerting rules pass promtool check rules and their unit tests", "[consumers]") {
    require_tool("promtool", "prometheus");
    const std::string dir = source_dir + "/examples/prometheus";
    const auto [rc, out] = shell("promtool check rules " + q(dir + "/driftgate-alerts.yml"));
    INFO(out);
    CHECK(rc == 0);
    const auto [trc, tout] = shell("cd " + q(dir) + " && promtool test rules driftgate-alerts.test.yml");
    INFO(tout);
    CHECK(trc == 0);
    CHECK(tout.find("SUCCESS") != std::string::npos);
}

TEST_CASE("JUnit: valid against tests/junit.xsd; a failure per check at the --fail-on level", "[consumers]") {
    require_tool("xmllint", "libxml2-utils");
    const std::string xsd = source_dir + "/tests/junit.xsd";
    for (const char* gate : {"critical", "warning", "never"}) {
        for (const char* current : {"current_stable.csv", "current_drifted.csv"}) {
            INFO(current << " --fail-on " << gate);
            const credit_run r(current, std::string("--fail-on ") + gate);
            const auto [rc, out] = shell("xmllint --noout --schema " + q(xsd) + " " + q(r.xml_path));
            INFO(out);
            CHECK(rc == 0);
            const std::string xml = slurp(r.xml_path);
            std::size_t failing = 0, breaching = 0;
            for (const auto& c : r.j["checks"]) {
                const std::string s = c["severity"];
                const bool fails = (std::string(gate) == "critical" && s == "critical") ||
                                   (std::string(gate) == "warning" && (s == "critical" || s == "warning"));
                failing += fails;
                breaching += !fails && s != "ok";
                const std::string name = "name=\"" + c["section"].get<std::string>() + "/" + c["check"].get<std::string>() +
                                         "/" + c.value("column", "") + "\"";
                CHECK(count(xml, name) == 1);
            }
            CHECK(count(xml, "<testcase ") == r.j["checks"].size());
            CHECK(count(xml, "<failure ") == failing);
            CHECK(count(xml, "<system-out>") >= breaching);
            CHECK(xml.find("failures=\"" + std::to_string(failing) + "\"") != std::string::npos);
        }
    }
    // The schema rejects what CI systems would: a count that is not a number.
    scratch s;
    const credit_run r("current_drifted.csv");
    std::string xml = slurp(r.xml_path);
    xml.replace(xml.find("tests=\""), 7, "tests=\"x");
    const auto bad = s.write("bad.xml", xml);
    CHECK(shell("xmllint --noout --schema " + q(xsd) + " " + q(bad)).first != 0);
}

TEST_CASE("HTML: Chromium renders both snapshots' pages, not blank, and the pages request nothing", "[consumers]") {
    require_tool("python3", "python3");
    require_tool("chromium", "chromium");
    const std::string checker = source_dir + "/tests/e2e/check_html.py";
    {
        // The checker itself must catch a page that fetches things, and a blank page.
        scratch s;
        const auto [rc, out] = shell("python3 " + q(checker) + " --selftest " + q(s.path.string()));
        INFO(out);
        if (rc == 77) std::_Exit(77);
        REQUIRE(rc == 0);
    }
    for (const auto& [current, roc] : {std::pair{"current_stable.csv", true}, {"current_drifted.csv", true}}) {
        INFO(current);
        const credit_run r(current);
        const std::string html = slurp(r.html_path);
        // Charts: PSI ranked bars, the score distribution (CSI bins), the ROC curve, and one bin
        // chart per feature at warning or worse.
        std::size_t flagged = 0;
        std::set<std::string> columns;
        for (const auto& c : r.j["checks"])
            if (c["section"] == "drift" && (c["severity"] == "warning" || c["severity"] == "critical") && c["check"] != "csi")
                columns.insert(c["column"].get<std::string>());
        for (const auto& c : r.j["checks"])
            if (c["check"] == "psi" && columns.count(c["column"].get<std::string>())) ++flagged;
        CHECK(count(html, "<svg ") == 3 + flagged);
        CHECK(count(html, "Score distribution") == 1);
        CHECK(html.find("ROC curve of score") != std::string::npos);
        CHECK(html.size() < 200000);
        const auto [rc, out] = shell("python3 " + q(checker) + " " + q(r.html_path) + " --expect-roc --expect-charts " +
                                     std::to_string(3 + flagged));
        INFO(out);
        CHECK(rc == 0);
    }
}

TEST_CASE("Markdown: the weekly report's tables are valid GFM; sections in the design's order; actions from severities", "[consumers]") {
    const credit_run drifted("current_drifted.csv");
    const std::string& md = drifted.md;
    CHECK(check_markdown_tables(md) >= 4); // inputs, drift, proxies, performance
    const auto drift = md.find("## Data drift"), proxy = md.find("## Proxy metrics"),
               perf = md.find("## Model performance"), actions = md.find("## Actions");
    REQUIRE(drift != std::string::npos);
    CHECK(drift < proxy);
    CHECK(proxy < perf);
    CHECK(perf < actions);
    CHECK(md.find("**Verdict: CRITICAL**") != std::string::npos);
    CHECK(md.find("reference.csv") != std::string::npos);
    CHECK(md.find("| 24000 |") != std::string::npos);
    CHECK(md.find("driftgate 0.") != std::string::npos);
    // Drift rows worst first, then by PSI: PAY_0 (critical, PSI 0.47) before utilization_1
    // (critical, 0.36), which is before PAY_2 (PSI warning, KS critical: 0.22).
    CHECK(md.find("| PAY_0 |") < md.find("| utilization_1 |"));
    CHECK(md.find("| utilization_1 |") < md.find("| PAY_2 |"));
    CHECK(md.find("| PAY_2 |") < md.find("| AGE |"));
    // An action per breaching column, with the bound that was crossed.
    CHECK(md.find("**Act now on** PAY\\_0") == std::string::npos); // intra-word _ is not escaped
    CHECK(md.find("**Act now on** PAY_0 (Data drift): PSI 0.4732, above the 0.25 critical") != std::string::npos);
    CHECK(md.find("**Act now on** score (Model performance): AUC 0.6533") != std::string::npos);
    CHECK(md.find("PSI 0.2199, above the 0.10 warning") != std::string::npos);
    // The stable snapshot: no breach, nothing to do.
    const credit_run stable("current_stable.csv");
    CHECK(check_markdown_tables(stable.md) >= 4);
    CHECK(stable.md.find("**Verdict: OK**") != std::string::npos);
    for (const auto& c : stable.j["checks"]) CHECK(c["severity"] == "ok");
    CHECK(stable.md.find("None: every check is ok.") != std::string::npos);
}

TEST_CASE("Names with pipes, markup, control characters and invalid UTF-8 render safely in every format", "[consumers]") {
    scratch s;
    // Columns: a|b, <script>, one with a tab, one with a line feed, caf\xE9 (Latin-1, not UTF-8),
    // one with U+FFFE and U+FFFF (well-formed UTF-8, no XML character).
    const std::string header =
        "\"a|b\",<script>alert(1)</script>,\"tab\there\",\"line\nbreak\",caf\xE9,non\xEF\xBF\xBE" "char\xEF\xBF\xBF\n";
    std::string ref = header, cur = header;
    for (int i = 0; i < 400; ++i) {
        ref += fmt_row(i, 0, 6);
        cur += fmt_row(i, 1, 6);
    }
    const auto rp = s.write("ref.csv", ref), cp = s.write("cur.csv", cur);
    const auto r = run("drift " + q(rp) + " " + q(cp) + " --format json --output " + q(s.file("r.json")) +
                       " --report markdown=" + q(s.file("r.md")) + " --report html=" + q(s.file("r.html")) +
                       " --report prometheus=" + q(s.file("r.prom")) + " --report junit=" + q(s.file("r.xml")) +
                       " --report text=" + q(s.file("r.txt")) + " --verbose");
    INFO(r.err);
    REQUIRE(r.code == 2);
    const json j = json::parse(slurp(s.file("r.json"))); // strict UTF-8: throws on an invalid byte
    std::set<std::string> cols;
    for (const auto& c : j["checks"]) cols.insert(c["column"].get<std::string>());
    CHECK(cols.count("caf\\xE9") == 1);
    CHECK(cols.count("a|b") == 1);
    CHECK(cols.count("line\nbreak") == 1); // JSON keeps the name (escaped by JSON itself)
    bool noted = false;
    for (const auto& n : j["notes"]) noted |= n.get<std::string>().find("not valid UTF-8") != std::string::npos;
    CHECK(noted);
    const std::string md = slurp(s.file("r.md"));
    CHECK(check_markdown_tables(md) >= 2);
    CHECK(md.find("a\\|b") != std::string::npos);
    CHECK(md.find("\\<script>") != std::string::npos);
    CHECK(md.find("line\\\\nbreak") != std::string::npos); // \n shown as text, its backslash escaped
    const std::string html = slurp(s.file("r.html"));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    const std::string text = slurp(s.file("r.txt"));
    CHECK(text.find("tab\\there") != std::string::npos);
    CHECK(text.find("line\\nbreak") != std::string::npos);
    CHECK(text.find('\t') == std::string::npos);
    CHECK(text.find("bins of psi") != std::string::npos);
    if (have("promtool")) {
        const auto [rc, out] = shell("promtool check metrics < " + q(s.file("r.prom")));
        INFO(out);
        CHECK(rc == 0);
        CHECK(slurp(s.file("r.prom")).find("driftgate_psi{feature=\"line\\nbreak\"}") != std::string::npos);
    } else {
        WARN("promtool not installed: the exposition of these names was not checked by promtool");
    }
    CHECK(slurp(s.file("r.xml")).find("non\\uFFFEchar\\uFFFF") != std::string::npos);
    if (have("xmllint")) {
        const auto [rc, out] = shell("xmllint --noout --schema " + q(source_dir + "/tests/junit.xsd") + " " + q(s.file("r.xml")));
        INFO(out);
        CHECK(rc == 0);
    } else {
        WARN("xmllint not installed: the JUnit report of these names was not validated");
    }
}

TEST_CASE("Prometheus: two names that read alike once escaped are refused, not one series dropped", "[consumers]") {
    scratch s;
    // A column named c<U+0001>d and one named with the text of its escape, c\x01d: both are the
    // label value "c\\x01d". Only the second drifts; keeping the first series would hide it.
    const std::string header = "\"c\x01" "d\",c\\x01d\n";
    std::string ref = header, cur = header;
    for (int i = 0; i < 400; ++i) {
        ref += fmt_row(i, 0, 2);
        cur += std::to_string((i * 3) % 97) + "," + std::to_string((i * 4) % 97 + 80) + "\n";
    }
    const auto rp = s.write("ref.csv", ref), cp = s.write("cur.csv", cur);
    const auto r = run("drift " + q(rp) + " " + q(cp) + " --score '' --report json=" + q(s.file("r.json")) +
                       " --report prometheus=" + q(s.file("r.prom")));
    CHECK(r.code == 65);
    CHECK(r.err.find("the Prometheus report would hold the series driftgate_check_severity{") != std::string::npos);
    CHECK(r.err.find(",column=\"c\\\\x01d\"} twice: two names read the same once escaped") != std::string::npos);
    CHECK_FALSE(fs::exists(s.file("r.prom")));
    CHECK_FALSE(fs::exists(s.file("r.json")));  // every report is rendered before any is written
    // Either name alone is exported.
    const auto one = run("drift " + q(rp) + " " + q(cp) + " --score '' --columns 'c\\x01d' --format prometheus");
    CHECK(one.code == 2);
    CHECK(one.out.find("driftgate_check_severity{section=\"drift\",check=\"psi\",column=\"c\\\\x01d\"} 3") != std::string::npos);
}

TEST_CASE("Text: checks worst first within each section, D beside the p-value, --verbose bin tables", "[consumers]") {
    const auto r = run("check --config " + q(credit + "/config.toml") + " --current " + q(credit + "/current_drifted.csv") +
                       " --verbose");
    CHECK(r.code == 2);
    std::istringstream in(r.out);
    int last = 4;
    const std::map<std::string, int> sev{{"OK", 0}, {"INFO", 1}, {"WARNING", 2}, {"CRITICAL", 3}};
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] != ' ' || line.rfind("  check", 0) == 0) {
            last = 4; // a section title or header restarts the order
            continue;
        }
        if (line.rfind("    ", 0) == 0) continue; // bin tables
        int level = -1;
        for (const auto& [word, v] : sev)
            if (line.find("  " + word) != std::string::npos) level = std::max(level, v);
        INFO(line);
        REQUIRE(level >= 0);
        CHECK(level <= last);
        last = level;
    }
    CHECK(r.out.find("0 (X2 2584, ln p -1266)") != std::string::npos);  // PAY_0 (discrete, chi-square): p underflows
    CHECK(r.out.find("(D 0.2575)") != std::string::npos);               // utilization_1 (continuous, KS)
    CHECK(r.out.find("bins of psi PAY_0:") != std::string::npos);
    CHECK(r.out.find("bins of psi utilization_1:") != std::string::npos);
    CHECK(r.out.find("[0.1295, 0.3103)") != std::string::npos);          // a quantile bin of utilization_1
    CHECK(r.out.find("      unseen ") != std::string::npos);            // PAY_0's unseen-value bin
}

TEST_CASE("JSON: run and input metadata; --audit adds each input's SHA-256 (checked with sha256sum and date)", "[consumers]") {
    require_tool("sha256sum", "coreutils");
    const auto before = std::chrono::system_clock::now();
    const std::string current = credit + "/current_drifted.csv";
    const auto r = run("check --config " + q(credit + "/config.toml") + " --current " + q(current) + " --format json --audit");
    const auto after = std::chrono::system_clock::now();
    const json j = r.report();
    const std::string ts = j["run"]["timestamp"];
    CHECK(std::regex_match(ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    const auto [drc, dout] = shell("date -u -d " + q(ts) + " +%s");
    REQUIRE(drc == 0);
    const long t = std::stol(dout);
    CHECK(t >= std::chrono::duration_cast<std::chrono::seconds>(before.time_since_epoch()).count() - 1);
    CHECK(t <= std::chrono::duration_cast<std::chrono::seconds>(after.time_since_epoch()).count());
    CHECK(j["run"]["version"] == j["version"]);
    CHECK(j["run"]["audit"] == true);
    for (const auto& [role, path] : {std::pair{"reference", credit + "/reference.csv"}, {"current", current}}) {
        INFO(role);
        const auto& in = j["inputs"][role];
        CHECK(in["size_bytes"].get<std::uintmax_t>() == fs::file_size(path));
        const auto [src, sout] = shell("sha256sum " + q(path));
        CHECK(in["sha256"] == sout.substr(0, 64));
        const auto [mrc, mout] = shell("date -u -r " + q(path) + " +%Y-%m-%dT%H:%M:%S.%N");
        std::string expect = mout.substr(0, mout.find('\n'));
        while (expect.back() == '0') expect.pop_back();
        if (expect.back() == '.') expect.pop_back();
        CHECK(in["modified"] == expect + "Z");
    }
    // The configuration: path and the digest of its bytes and the command-line overrides.
    scratch s;
    const std::string resolved = slurp(credit + "/config.toml") + "\n# command-line overrides\ncurrent = " + current + "\n";
    const auto [hrc, hout] = shell("sha256sum " + q(s.write("resolved", resolved)));
    CHECK(j["inputs"]["config"]["resolved_sha256"] == hout.substr(0, 64));
    CHECK(j["inputs"]["config"]["path"] == credit + "/config.toml");
    // Without --audit, no input is hashed.
    const json plain = run("check --config " + q(credit + "/config.toml") + " --format json").report();
    CHECK_FALSE(plain["inputs"]["reference"].contains("sha256"));
    CHECK(plain["run"]["audit"] == false);
}

TEST_CASE("ROC points: at most 200, each a point of the full ROC curve computed here from the data", "[consumers]") {
    const std::string data = credit + "/current_drifted.csv";
    const json j = run("perf " + q(data) + " --score score --label default --format json").report();
    const json* auc = nullptr;
    for (const auto& c : j["checks"])
        if (c["check"] == "auc") auc = &c;
    REQUIRE(auc);
    const auto fpr = (*auc)["roc"]["fpr"].get<std::vector<double>>();
    const auto tpr = (*auc)["roc"]["tpr"].get<std::vector<double>>();
    REQUIRE(fpr.size() == tpr.size());
    CHECK(fpr.size() <= 200);
    CHECK(fpr.size() >= 50);
    CHECK(fpr.front() == 0.0);
    CHECK(tpr.front() == 0.0);
    CHECK(fpr.back() == 1.0);
    CHECK(tpr.back() == 1.0);
    // The full curve: for each distinct score t, (negatives >= t) / N and (positives >= t) / P.
    std::istringstream in(slurp(data));
    std::string line;
    std::getline(in, line);
    std::vector<std::pair<double, int>> rows;
    while (std::getline(in, line)) {
        const auto a = line.rfind(','), b = line.rfind(',', a - 1);
        rows.emplace_back(std::stod(line.substr(b + 1, a - b - 1)), std::stoi(line.substr(a + 1)));
    }
    std::sort(rows.begin(), rows.end(), [](auto& x, auto& y) { return x.first > y.first; });
    double P = 0, N = 0;
    for (const auto& [sc, y] : rows) (y ? P : N) += 1;
    std::set<std::pair<double, double>> full{{0.0, 0.0}};
    double tp = 0, fp = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        (rows[i].second ? tp : fp) += 1;
        if (i + 1 == rows.size() || rows[i + 1].first != rows[i].first) full.insert({fp / N, tp / P});
    }
    for (std::size_t k = 0; k < fpr.size(); ++k) {
        INFO("point " << k << ": " << fpr[k] << ", " << tpr[k]);
        CHECK(full.count({fpr[k], tpr[k]}) == 1);
        if (k > 0) {
            CHECK(fpr[k] >= fpr[k - 1]);
            CHECK(tpr[k] >= tpr[k - 1]);
        }
    }
}

TEST_CASE("Prometheus: each series once (the textfile collector refuses duplicates)", "[consumers]") {
    scratch s;
    const std::string e2e = DRIFTGATE_E2E_DIR;
    const auto cfg = s.write("dup.toml", "[input]\nreference = \"" + e2e + "/reference.csv\"\ncurrent = \"" + e2e +
                                             "/severe.csv\"\n[columns]\nfeatures = [\"income\", \"util\"]\n");
    const auto r = run("check --config " + q(cfg) + " --format prometheus");
    INFO(r.err);
    CHECK(r.code == 2);
    std::istringstream in(r.out);
    std::set<std::string> series;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const std::string key = line.substr(0, line.rfind(' '));
        INFO(line);
        CHECK(series.insert(key).second);
    }
    CHECK(series.count("driftgate_psi{feature=\"income\"}") == 1);
}
