// End-to-end tests of `driftgate service`: logs written by gen_logs (benchmarks/gen_logs.cpp; the
// bytes checked against the hash gen_service.py saw), every check against the figures pandas /
// numpy / statsmodels computed from the same bytes (tests/golden/service/gen_service.py), the
// sustained rules on planted 5- and 4-minute spikes, gzip, several files and patterns,
// out-of-order lines, bad lines in both modes, empty logs, truncated gzip, and exit codes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/e2e_support.hpp"
#include "golden/service/service_golden.hpp"

using nlohmann::json;
using namespace e2e;
namespace gs = golden_service;

namespace {

const std::string gen_logs = DRIFTGATE_GEN_LOGS;

std::uint64_t fnv1a(const std::string& bytes) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// Writes the log of `args` to `path` with gen_logs.
void generate(const std::string& args, const std::string& path) {
    const std::string cmd = q(gen_logs) + " " + args + " --out " + q(path);
    REQUIRE(std::system(cmd.c_str()) == 0);
}

/// Writes the log of a scenario and checks that its bytes are the ones the golden figures came from.
std::string scenario_log(const scratch& s, const gs::scenario& sc, const std::string& name) {
    const std::string path = s.file(name);
    generate(sc.gen_args, path);
    const std::string bytes = slurp(path);
    REQUIRE(bytes.size() == sc.bytes);
    REQUIRE(fnv1a(bytes) == sc.fnv1a);
    return path;
}

const gs::scenario& scenario(const std::string& name) {
    for (const auto& s : gs::scenarios)
        if (s.name == name) return s;
    FAIL("no scenario " << name);
    return gs::scenarios.front();
}

const json& find_check(const json& report, const std::string& name, const std::string& version = "") {
    for (const auto& c : report["checks"]) {
        if (c["check"] != name) continue;
        const bool has = c.contains("model_version");
        if (version.empty() ? !has : (has && c["model_version"] == version)) return c;
    }
    FAIL("no check " << name << " " << version);
    static json none;
    return none;
}

void require_close(const json& v, double expected, double rel) {
    REQUIRE(v.is_number());
    const double x = v.get<double>();
    REQUIRE(std::fabs(x - expected) <= rel * std::max(std::fabs(x), std::fabs(expected)));
}

void require_run(const json& c, const gs::run& r) {
    REQUIRE(c["value"].get<double>() == static_cast<double>(r.longest));
    if (r.longest > 0) {
        REQUIRE(c["run_start"] == r.start);
        REQUIRE(c["run_end"] == r.end);
    } else {
        REQUIRE(c["run_start"].is_null());
    }
    REQUIRE(c["windows_evaluated"] == r.evaluated);
    REQUIRE(c["windows_above"] == r.above);
    REQUIRE(c["windows_without_requests"] == r.empty);
    // The 5-window rule: critical from 5, info from 1.
    REQUIRE(c["severity"] == (r.longest >= 5 ? "critical" : r.longest >= 1 ? "info" : "ok"));
}

/// Every check of one segment against pandas' figures.
void require_segment(const json& j, const gs::segment& e) {
    const std::string v = e.version;
    INFO("segment '" << v << "'");
    REQUIRE(find_check(j, "latency_p50", v)["value"].get<double>() == e.p50);
    REQUIRE(find_check(j, "latency_p95", v)["value"].get<double>() == e.p95);
    REQUIRE(find_check(j, "latency_p99", v)["value"].get<double>() == e.p99);
    REQUIRE(find_check(j, "latency_p95", v)["n"] == e.latency_n);
    const auto& e4 = find_check(j, "error_rate_4xx", v);
    REQUIRE(e4["value"].get<double>() == e.r4);
    REQUIRE(e4["count"] == e.c4);
    require_close(e4["ci_lower"], e.r4_lo, 1e-12);
    require_close(e4["ci_upper"], e.r4_hi, 1e-12);
    const auto& e5 = find_check(j, "error_rate_5xx", v);
    REQUIRE(e5["value"].get<double>() == e.r5);
    REQUIRE(e5["count"] == e.c5);
    if (e.c5 > 0) require_close(e5["ci_lower"], e.r5_lo, 1e-12);
    require_close(e5["ci_upper"], e.r5_hi, 1e-12);
    const auto& rps = find_check(j, "requests_per_second", v);
    require_close(rps["value"], e.rps, 1e-14);
    REQUIRE(rps["requests"] == e.requests);
    REQUIRE(rps["first"] == e.first);
    REQUIRE(rps["last"] == e.last);
    require_close(rps["span_seconds"], e.span_seconds, 1e-15);
    const auto& ppd = find_check(j, "predictions_per_day", v);
    REQUIRE(ppd["value"].get<double>() == static_cast<double>(e.lowest_day_predictions));
    REQUIRE(ppd["predictions"] == e.predictions);
    REQUIRE(ppd["days"] == e.days);
    REQUIRE(ppd["lowest_day"] == e.lowest_date);
    require_run(find_check(j, "latency_p95_sustained", v), e.lat_run);
    require_run(find_check(j, "error_rate_sustained", v), e.err_run);
    // docs/policy.md Service health severities.
    REQUIRE(find_check(j, "latency_p95", v)["severity"] == (e.p95 > 300 ? "critical" : e.p95 > 200 ? "warning" : "ok"));
    REQUIRE(find_check(j, "error_rate_5xx", v)["severity"] ==
            (e.r5 > 0.05 ? "critical" : e.r5 > 0.01 ? "warning" : e.r5 >= 0.001 ? "info" : "ok"));
    REQUIRE(rps["severity"] == (e.rps < 5 ? "warning" : e.rps <= 10 ? "info" : "ok"));
    REQUIRE(ppd["severity"] ==
            (e.lowest_day_predictions < 500 ? "warning" : e.lowest_day_predictions <= 1000 ? "info" : "ok"));
}

std::string service_args(const scratch& s, const gs::scenario& sc, const std::string& logs) {
    std::string args = "service " + logs + " --format json --fail-on never";
    if (sc.by_version) args += " --by model_version";
    if (*sc.config) args += " --config " + q(s.write("service.toml", sc.config));
    return args;
}

/// The checks of a report, without the parts that name the files.
json checks_of(const json& j) { return j["checks"]; }

} // namespace

TEST_CASE("service: every check of every scenario matches pandas / numpy / statsmodels", "[e2e][service]") {
    for (const auto& sc : gs::scenarios) {
        INFO("scenario " << sc.name << ": gen_logs " << sc.gen_args);
        scratch s;
        const auto log = scenario_log(s, sc, std::string(sc.name) + ".jsonl");
        const auto r = run(service_args(s, sc, q(log)));
        REQUIRE(r.code == 0);
        REQUIRE(r.err.empty());  // no progress output: standard error is not a terminal
        const json j = r.report();
        REQUIRE(j["command"] == "service");
        REQUIRE(j["inputs"]["requests"] == sc.expect[0].requests);
        for (const auto& c : j["checks"]) REQUIRE(c["section"] == "service");
        REQUIRE(j["checks"].size() == 9 * sc.expect.size());
        for (const auto& e : sc.expect) require_segment(j, e);
        if (sc.by_version) {
            REQUIRE(find_check(j, "latency_p50", "1.1.0")["column"] == "model_version=1.1.0");
            REQUIRE_FALSE(find_check(j, "latency_p50").contains("column"));
        }
    }
}

TEST_CASE("service: the 5-minute rule fires on a 5-minute spike, not on a 4-minute one", "[e2e][service][sustained]") {
    scratch s;
    {
        const auto& sc = scenario("spikes");  // a 5-minute and a 4-minute latency spike, a 4-minute error burst
        const auto r = run(service_args(s, sc, q(scenario_log(s, sc, "spikes.jsonl"))));
        const json j = r.report();
        const auto& lat = find_check(j, "latency_p95_sustained");
        REQUIRE(lat["value"] == 5);
        REQUIRE(lat["severity"] == "critical");
        REQUIRE(lat["run_start"] == "2025-12-26T00:10:00Z");
        REQUIRE(lat["run_end"] == "2025-12-26T00:15:00Z");
        const auto& err = find_check(j, "error_rate_sustained");
        REQUIRE(err["value"] == 4);
        REQUIRE(err["severity"] == "info");
        REQUIRE(run("service " + q(s.file("spikes.jsonl"))).code == 2);  // --fail-on critical, the default
    }
    {
        const auto& sc = scenario("four");  // only a 4-minute latency spike and a 4-minute error burst
        const json j = run(service_args(s, sc, q(scenario_log(s, sc, "four.jsonl")))).report();
        REQUIRE(find_check(j, "latency_p95_sustained")["value"] == 4);
        REQUIRE(find_check(j, "latency_p95_sustained")["severity"] == "info");
        REQUIRE(find_check(j, "error_rate_sustained")["value"] == 4);
        REQUIRE(find_check(j, "error_rate_sustained")["severity"] == "info");
    }
    {
        const auto& sc = scenario("bursts");  // 3 + 3 spiking minutes around a minute without requests
        const json j = run(service_args(s, sc, q(scenario_log(s, sc, "bursts.jsonl")))).report();
        REQUIRE(find_check(j, "latency_p95_sustained")["value"] == 3);
        REQUIRE(find_check(j, "latency_p95_sustained")["windows_without_requests"] == 1);
        REQUIRE(find_check(j, "error_rate_sustained")["value"] == 5);
        REQUIRE(find_check(j, "error_rate_sustained")["severity"] == "critical");
    }
}

TEST_CASE("service: gzip, several files, patterns and out-of-order lines give the same checks", "[e2e][service][files]") {
    scratch s;
    const auto& sc = scenario("spikes");
    const auto plain = scenario_log(s, sc, "whole.jsonl");
    const json expected = checks_of(run(service_args(s, sc, q(plain))).report());

    SECTION("gzip") {
        const std::string gz = s.file("whole.jsonl.gz");
        generate(std::string(sc.gen_args) + " --level 1", gz);
        const auto r = run(service_args(s, sc, q(gz)));
        REQUIRE(r.code == 0);
        REQUIRE(checks_of(r.report()) == expected);
        REQUIRE(r.report()["inputs"]["logs"][0]["compressed"] == true);
    }
    SECTION("three files, given one by one or by a pattern, in any order") {
        const std::string text = slurp(plain);
        std::vector<std::string> lines;
        for (std::size_t p = 0; p < text.size();) {
            const auto nl = text.find('\n', p);
            lines.push_back(text.substr(p, nl - p + 1));
            p = nl + 1;
        }
        std::string parts[3];
        for (std::size_t i = 0; i < lines.size(); ++i) parts[i * 3 / lines.size()] += lines[i];
        s.write("part-1.jsonl", parts[0]);
        s.write("part-2.jsonl", parts[1]);
        s.write("part-3.jsonl", parts[2]);
        const auto by_pattern = run(service_args(s, sc, q(s.file("part-*.jsonl"))));
        REQUIRE(by_pattern.code == 0);
        REQUIRE(checks_of(by_pattern.report()) == expected);
        const json report = by_pattern.report();
        const auto& logs = report["inputs"]["logs"];
        REQUIRE(logs.size() == 3);
        REQUIRE(logs[0]["path"] == s.file("part-1.jsonl"));
        REQUIRE(logs[2]["path"] == s.file("part-3.jsonl"));
        // Reversed: the requests are out of order across files.
        const auto reversed =
            run(service_args(s, sc, q(s.file("part-3.jsonl")) + " " + q(s.file("part-2.jsonl")) + " " + q(s.file("part-1.jsonl"))));
        REQUIRE(checks_of(reversed.report()) == expected);
        // The same file twice would count its requests twice.
        REQUIRE(run(service_args(s, sc, q(s.file("part-1.jsonl")) + " " + q(s.file("part-*.jsonl")))).code == 64);
    }
    SECTION("lines shuffled within blocks of 1000") {
        const std::string shuffled = s.file("shuffled.jsonl");
        generate(std::string(sc.gen_args) + " --shuffle 1000", shuffled);
        REQUIRE(slurp(shuffled) != slurp(plain));
        REQUIRE(checks_of(run(service_args(s, sc, q(shuffled))).report()) == expected);
    }
    SECTION("standard input") {
        // e2e::run reads standard input from /dev/null: a shell pipe instead.
        const std::string cmd = "cat " + q(plain) + " | " + q(exe) + " service - --format json --fail-on never > " +
                                q(s.file("stdin.json"));
        REQUIRE(std::system(cmd.c_str()) == 0);
        REQUIRE(checks_of(json::parse(slurp(s.file("stdin.json")))) == expected);
    }
}

TEST_CASE("service: bad lines stop with FILE:LINE:COLUMN (exit 65), or are counted in skip mode", "[e2e][service][bad]") {
    scratch s;
    std::string text;
    generate("--minutes 5 --rps 2 --seed 3 --features 2", s.file("ok.jsonl"));
    text = slurp(s.file("ok.jsonl"));
    // Break line 7: cut it in the middle.
    std::size_t p = 0;
    for (int i = 0; i < 6; ++i) p = text.find('\n', p) + 1;
    const std::size_t e7 = text.find('\n', p);
    const std::string broken = text.substr(0, p) + text.substr(p, (e7 - p) / 2) + text.substr(e7);
    const auto bad = s.write("bad.jsonl", broken);
    // The line ends inside its object: the JSON stops being valid one byte past its last byte.
    const std::string place = ":7:" + std::to_string((e7 - p) / 2 + 1) + ": ";
    auto r = run("service " + q(bad));
    REQUIRE(r.code == 65);
    REQUIRE(r.err.find(bad + place + "not valid JSON") != std::string::npos);
    REQUIRE(r.out.empty());

    // The same in a gzip file: the place is the line of the decompressed text.
    const std::string gz = s.file("bad.jsonl.gz");
    REQUIRE(std::system(("gzip -c " + q(bad) + " > " + q(gz)).c_str()) == 0);
    r = run("service " + q(gz));
    REQUIRE(r.code == 65);
    REQUIRE(r.err.find(gz + place + "not valid JSON") != std::string::npos);

    // Skip mode: a data-quality warning, the other requests judged.
    const auto cfg = s.write("skip.toml", "[service]\non_bad_line = \"skip\"\n");
    r = run("service " + q(bad) + " --config " + q(cfg) + " --format json --fail-on never");
    REQUIRE(r.code == 0);
    const json j = r.report();
    const auto& dq = j["checks"][0];
    REQUIRE(dq["section"] == "data_quality");
    REQUIRE(dq["check"] == "bad_log_lines");
    REQUIRE(dq["value"] == 1);
    REQUIRE(dq["severity"] == "warning");
    REQUIRE(dq["reasons"]["not valid JSON"] == 1);
    REQUIRE(dq["examples"][0].get<std::string>().rfind(bad + place, 0) == 0);
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    REQUIRE(j["inputs"]["requests"] == lines - 1);
    REQUIRE(find_check(j, "latency_p50")["n"] == lines - 1);
    // With no bad line the row is there, ok.
    const json clean = run("service " + q(s.file("ok.jsonl")) + " --config " + q(cfg) + " --format json").report();
    REQUIRE(clean["checks"][0]["check"] == "bad_log_lines");
    REQUIRE(clean["checks"][0]["severity"] == "ok");
    // Failing on warnings, the skipped line fails the gate even when the service is healthy.
    REQUIRE(run("service " + q(bad) + " --config " + q(cfg) + " --fail-on warning").code == 1);
}

TEST_CASE("service: what it cannot judge is an error, never OK", "[e2e][service][errors]") {
    scratch s;
    const auto empty = s.write("empty.jsonl", "");
    auto r = run("service " + q(empty));
    REQUIRE(r.code == 65);
    REQUIRE(r.err.find("no request to judge") != std::string::npos);
    REQUIRE(run("service " + q(s.write("blank.jsonl", "\n  \n\n"))).code == 65);
    // Every line bad in skip mode: nothing left to judge.
    const auto cfg = s.write("skip.toml", "[service]\non_bad_line = \"skip\"\n");
    r = run("service " + q(s.write("junk.jsonl", "a\nb\n")) + " --config " + q(cfg));
    REQUIRE(r.code == 65);
    REQUIRE(r.err.find("all 2 non-blank line(s) are bad") != std::string::npos);
    // Truncated gzip: an error, even though its first lines were fine.
    generate("--minutes 10 --rps 5 --seed 4", s.file("log.jsonl.gz"));
    const std::string gz = slurp(s.file("log.jsonl.gz"));
    const auto cut = s.write("cut.jsonl.gz", gz.substr(0, gz.size() * 2 / 3));
    r = run("service " + q(cut));
    REQUIRE(r.code == 65);
    // Placed where the inflated text ends (the exact place: tests/cli/test_jsonl.cpp).
    INFO(r.err);
    REQUIRE(std::regex_search(r.err, std::regex(":[0-9]+:[0-9]+: truncated gzip data: the file ends inside a member")));
    REQUIRE(r.err.find(cut + ":") != std::string::npos);
    REQUIRE(r.err.find("; nothing was judged") != std::string::npos);
    r = run("service " + q(cut) + " --config " + q(cfg));
    REQUIRE(r.code == 65);
    // Files that are not there.
    REQUIRE(run("service " + q(s.file("none.jsonl"))).code == 66);
    r = run("service " + q(s.file("2024-*.jsonl.gz")));
    REQUIRE(r.code == 66);
    REQUIRE(r.err.find("no file matches") != std::string::npos);
    REQUIRE(run("service " + q(s.path.string())).code == 66);
    // Usage.
    REQUIRE(run("service").code == 64);
    REQUIRE(run("service " + q(empty) + " --by region").code == 64);
}

TEST_CASE("service: endless inputs, one log twice through standard input, an output naming it", "[e2e][service][errors]") {
    scratch s;
    // A device is refused before a byte is read (it used to be read into a line that grew until
    // the kernel killed the process).
    auto r = run("service /dev/zero");
    CHECK(r.code == 66);
    CHECK(r.err.find("/dev/zero: is a character device") != std::string::npos);
    const int device = std::system((q(exe) + " service - < /dev/zero > /dev/null 2>&1").c_str());
    CHECK(WEXITSTATUS(device) == 66);
    // A pipe without a line feed stops at the longest line, with its place.
    r = run("service -", 120, false, "head -c 280000000 /dev/zero");
    INFO(r.err);
    CHECK(r.code == 65);
    CHECK(r.err.find("standard input:1:1: a line longer than 256 MiB") != std::string::npos);
    // One file named twice, once as standard input: its requests would count twice.
    generate("--minutes 5 --rps 2 --seed 9", s.file("log.jsonl"));
    const std::string log = s.file("log.jsonl");
    const std::string before = slurp(log);
    r = run("service - " + q(log), 60, false, "cat " + q(log));  // a pipe: another stream, allowed
    CHECK(r.code < 64);
    const int twice = std::system((q(exe) + " service - " + q(log) + " < " + q(log) + " >/dev/null 2>&1").c_str());
    CHECK(WEXITSTATUS(twice) == 64);
    // --output naming the file standard input holds: refused, the log intact.
    const int overwrite = std::system((q(exe) + " service - --output " + q(log) + " < " + q(log) + " >/dev/null 2>&1").c_str());
    CHECK(WEXITSTATUS(overwrite) == 64);
    CHECK(slurp(log) == before);
}

TEST_CASE("service: configuration keys change thresholds, fields and windows", "[e2e][service][config]") {
    scratch s;
    const auto& sc = scenario("spikes");
    const auto log = scenario_log(s, sc, "spikes.jsonl");
    // `driftgate config` holds the [service] defaults and loads back to the same results.
    const auto cfg = run("config");
    REQUIRE(cfg.code == 0);
    REQUIRE(cfg.out.find("[service.latency_p95_sustained]") != std::string::npos);
    const auto defaults = s.write("defaults.toml", cfg.out);
    const json base = run(service_args(s, sc, q(log))).report();
    REQUIRE(checks_of(run(service_args(s, sc, q(log)) + " --config " + q(defaults)).report()) == checks_of(base));

    const auto custom = s.write("custom.toml",
                                "[service]\nwindow_seconds = 120\nsustained_windows = 2\n"
                                "[service.latency_p95]\nwarning = 450\ncritical = 1000\n"
                                "[service.latency_p95_sustained]\nabove = 250\nseverity = \"warning\"\n"
                                "[service.requests_per_second]\ntarget = 2\nwarning = 1\n");
    const json j = run(service_args(s, sc, q(log)) + " --config " + q(custom)).report();
    REQUIRE(find_check(j, "latency_p95")["severity"] == "ok");  // 401 ms under the new bounds
    REQUIRE(find_check(j, "latency_p95")["thresholds"]["critical"] == 1000.0);
    REQUIRE(find_check(j, "requests_per_second")["severity"] == "ok");
    const auto& lat = find_check(j, "latency_p95_sustained");
    REQUIRE(lat["window_seconds"] == 120);
    REQUIRE(lat["above"] == 250.0);
    REQUIRE(lat["windows_evaluated"] == 30);
    REQUIRE(lat["severity"] == "warning");
    REQUIRE(lat["thresholds"]["warning"] == 2.0);
    REQUIRE(lat["run_start"] == "2025-12-26T00:10:00Z");
    REQUIRE(lat["run_end"] == "2025-12-26T00:16:00Z");  // minutes 10-15: 3 windows of 2 minutes

    // Field paths: a log with other names.
    const auto renamed = s.write("renamed.jsonl",
                                 "{\"meta\": {\"at\": \"2025-12-26T10:00:00Z\"}, \"ms\": 12, \"code\": 200}\n"
                                 "{\"meta\": {\"at\": \"2025-12-26T10:00:02Z\"}, \"ms\": 14, \"code\": 500}\n");
    const auto fields = s.write("fields.toml",
                                "[service]\ntimestamp_field = \"meta.at\"\nlatency_field = \"ms\"\nstatus_field = \"code\"\n");
    const json k = run("service " + q(renamed) + " --config " + q(fields) + " --format json").report();
    REQUIRE(find_check(k, "latency_p50")["value"] == 13.0);
    REQUIRE(find_check(k, "error_rate_5xx")["value"] == 0.5);
    REQUIRE(find_check(k, "requests_per_second")["value"] == 1.0);
    // Wrong keys and values are exit 65 naming the key.
    for (const char* bad : {"[service]\nwindow_seconds = 0\n", "[service]\non_bad_line = \"ignore\"\n",
                            "[service]\nlatency_field = \"a..b\"\n", "[service]\nfrobnicate = 1\n",
                            "[service.latency_p95_sustained]\nabove = -1\n", "[service.latency_p50]\nwarning = \"high\"\n"}) {
        INFO(bad);
        const auto r = run("service " + q(log) + " --config " + q(s.write("bad.toml", bad)));
        REQUIRE(r.code == 65);
        REQUIRE(r.err.find("service") != std::string::npos);
    }
}

TEST_CASE("service: the text report", "[e2e][service][text]") {
    scratch s;
    const auto& sc = scenario("bursts");
    const auto r = run("service " + q(scenario_log(s, sc, "b.jsonl")) + " --by model_version");
    REQUIRE(r.code == 2);
    REQUIRE(r.out.find("latency_p95_sustained") != std::string::npos);
    REQUIRE(r.out.find("model_version=1.1.0") != std::string::npos);
    REQUIRE(r.out.find("verdict: CRITICAL") != std::string::npos);
}

TEST_CASE("examples/service: the committed log and the cron script", "[e2e][service][example]") {
    scratch s;
    const std::string dir = std::string(DRIFTGATE_E2E_DIR) + "/../../../examples/service";
    const std::string cmd = "DAY=2025-12-26 DRIFTGATE=" + q(exe) + " " + q(dir + "/daily_service_check.sh") + " " + q(dir) +
                            " " + q(s.path.string()) + " >" + q(s.file("out")) + " 2>" + q(s.file("err"));
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 2);
    REQUIRE(slurp(s.file("err")).find("service 2025-12-26: CRITICAL") != std::string::npos);
    const json j = json::parse(slurp(s.file("service-2025-12-26.json")));
    REQUIRE(j["inputs"]["requests"] == 7816);
    const auto& lat = find_check(j, "latency_p95_sustained");
    REQUIRE(lat["value"] == 5);
    REQUIRE(lat["run_start"] == "2025-12-26T00:08:00Z");
    REQUIRE(lat["run_end"] == "2025-12-26T00:13:00Z");
    REQUIRE(find_check(j, "latency_p95_sustained", "1.1.0")["severity"] == "critical");
    REQUIRE(find_check(j, "requests_per_second", "1.1.0")["severity"] == "warning");
    REQUIRE(j["checks"][0]["check"] == "bad_log_lines");  // service.toml skips bad lines
    REQUIRE(j["checks"][0]["value"] == 0);
    // The committed log is gen_logs' output for the arguments in the README.
    REQUIRE(std::system((q(gen_logs) + " --minutes 20 --rps 6.5 --seed 2025 --features 6 --latency-spike 8,5,6 "
                         "--versions 1.0.0=9,1.1.0=1 --out " + q(s.file("again.jsonl"))).c_str()) == 0);
    REQUIRE(std::system(("gzip -dc " + q(dir + "/predictions-2025-12-26.jsonl.gz") + " | cmp -s - " + q(s.file("again.jsonl")))
                            .c_str()) == 0);
    // A day without logs cannot be judged.
    const std::string none = "DAY=2025-12-27 DRIFTGATE=" + q(exe) + " " + q(dir + "/daily_service_check.sh") + " " + q(dir) +
                             " " + q(s.path.string()) + " >/dev/null 2>&1";
    const int st2 = std::system(none.c_str());
    REQUIRE(WEXITSTATUS(st2) == 66);
}
