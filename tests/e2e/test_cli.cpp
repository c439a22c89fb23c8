// End-to-end tests of the driftgate binary: fixture CSVs in tests/data/e2e (made by
// gen_fixtures.py, which also computed the golden figures with numpy/scipy/scikit-learn), the
// JSON report, every exit code, and a table of malformed inputs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/e2e/golden.hpp"
#include "e2e/e2e_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace e2e;

namespace {

const std::string dir = DRIFTGATE_E2E_DIR;

std::string fixture(const std::string& name) { return q(dir + "/" + name); }

const json& find_check(const json& report, const std::string& check, const std::string& column = "") {
    for (const auto& c : report["checks"])
        if (c["check"] == check && (column.empty() || c.value("column", "") == column)) return c;
    FAIL("no check " << check << " " << column);
    static json none;
    return none;
}

} // namespace

TEST_CASE("No drift: identical files give ok and exit 0", "[e2e]") {
    const auto r = run("drift " + fixture("reference.csv") + " " + fixture("same.csv") + " --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = r.report();
    CHECK(j["status"] == "ok");
    CHECK(j["command"] == "drift");
    CHECK(j["inputs"]["reference"]["rows"] == 1000);
    CHECK(j["inputs"]["current"]["rows"] == 1000);
    for (const auto& c : j["checks"]) {
        CHECK(c["severity"] == "ok");
        if (c["check"] == "psi" || c["check"] == "csi") CHECK(c["value"].get<double>() == 0.0);
        if (c["check"] == "ks") {
            CHECK(c["statistic"].get<double>() == 0.0);
            CHECK(c["pvalue"].get<double>() == 1.0);
        }
    }
    // Features: every numeric column in both files but score and label.
    int psi_rows = 0;
    for (const auto& c : j["checks"]) psi_rows += c["check"] == "psi";
    CHECK(psi_rows == 3);
    CHECK(find_check(j, "csi", "score")["value"].get<double>() == 0.0);
}

TEST_CASE("Moderate drift: a warning, exit 1 only when failing on warnings", "[e2e]") {
    const std::string args = "drift " + fixture("reference.csv") + " " + fixture("moderate.csv") + " --format json";
    const auto r = run(args);
    INFO(r.err);
    CHECK(r.code == 0);
    const auto j = r.report();
    CHECK(j["status"] == "warning");
    const auto& util = find_check(j, "psi", "util");
    CHECK(util["value"].get<double>() == Approx(golden::e2e::moderate_util_psi).epsilon(1e-12));
    CHECK(util["severity"] == "warning");
    CHECK(find_check(j, "psi", "income")["value"].get<double>() ==
          Approx(golden::e2e::moderate_income_psi).epsilon(1e-12));
    CHECK(find_check(j, "psi", "code")["value"].get<double>() == Approx(golden::e2e::moderate_code_psi).epsilon(1e-12));
    CHECK(find_check(j, "csi", "score")["value"].get<double>() ==
          Approx(golden::e2e::moderate_score_csi).epsilon(1e-12));
    const auto& ks = find_check(j, "ks", "util");
    CHECK(ks["statistic"].get<double>() == Approx(golden::e2e::moderate_util_ks_d).epsilon(1e-12));
    CHECK(ks["pvalue"].get<double>() == Approx(golden::e2e::moderate_util_ks_p).epsilon(1e-10));
    CHECK(ks["log_pvalue"].get<double>() <= 0.0);
    CHECK(ks["missing_current"].get<int>() > ks["missing_reference"].get<int>());
    // code takes 5 values: a discrete column, judged by the chi-square test of homogeneity.
    const auto& chi2 = find_check(j, "chi2", "code");
    CHECK(chi2["pvalue"].get<double>() == Approx(golden::e2e::moderate_code_chi2_p).epsilon(1e-12));
    CHECK(chi2["statistic"].get<double>() == Approx(golden::e2e::moderate_code_chi2_statistic).epsilon(1e-12));
    CHECK(chi2["cramers_v"].get<double>() == Approx(golden::e2e::moderate_code_cramers_v).epsilon(1e-12));
    CHECK(chi2["dof"] == 4);
    CHECK(chi2["severity"] == "warning");
    CHECK(run(args + " --fail-on warning").code == 1);
    CHECK(run(args + " --fail-on never").code == 0);
}

TEST_CASE("Severe drift: critical, exit 2", "[e2e]") {
    const std::string args = "drift " + fixture("reference.csv") + " " + fixture("severe.csv");
    const auto r = run(args + " --format json");
    INFO(r.err);
    CHECK(r.code == 2);
    const auto j = r.report();
    CHECK(j["status"] == "critical");
    CHECK(j["exit_code"] == 2);
    const auto& income = find_check(j, "psi", "income");
    CHECK(income["value"].get<double>() == Approx(golden::e2e::severe_income_psi).epsilon(1e-12));
    CHECK(income["severity"] == "critical");
    CHECK(income["top_k"] == true); // no importances configured: every feature counts as top-k
    const auto& ks = find_check(j, "ks", "income");
    CHECK(ks["pvalue"].get<double>() == Approx(golden::e2e::severe_income_ks_p).epsilon(1e-10));
    CHECK(ks["severity"] == "critical");
    CHECK(find_check(j, "csi", "score")["value"].get<double>() == Approx(golden::e2e::severe_score_csi).epsilon(1e-12));
    CHECK(run(args + " --fail-on never").code == 0);
    // Text output: a table per section and a verdict line.
    const auto t = run(args);
    CHECK(t.code == 2);
    CHECK(t.out.find("verdict: CRITICAL") != std::string::npos);
    CHECK(t.out.find("\033[") == std::string::npos); // not a terminal: no colour
}

TEST_CASE("Importances: outside the top k a large PSI is only a warning", "[e2e]") {
    scratch s;
    const auto cfg = s.write("c.toml", "[importance]\nincome = 0.1\ncode = 0.5\nutil = 0.4\n[drift]\ntop_k = 2\n");
    const auto r = run("drift " + fixture("reference.csv") + " " + fixture("severe.csv") + " --format json --config " + q(cfg));
    const auto j = r.report();
    CHECK(find_check(j, "psi", "income")["severity"] == "warning");
    CHECK(find_check(j, "psi", "income")["top_k"] == false);
    CHECK(find_check(j, "psi", "code")["severity"] == "critical");
}

TEST_CASE("perf: AUC, KS statistic, recall, precision, Brier against golden values", "[e2e]") {
    const auto r = run("perf " + fixture("reference.csv") + " --score score --label default --format json");
    INFO(r.err);
    const auto j = r.report();
    const auto& auc = find_check(j, "auc");
    CHECK(auc["value"].get<double>() == Approx(golden::e2e::reference_auc).epsilon(1e-14));
    CHECK(auc["ci_lower"].get<double>() < auc["value"].get<double>());
    CHECK(auc["ci_upper"].get<double>() > auc["value"].get<double>());
    CHECK(auc["severity"] == "warning"); // 0.75 <= AUC < 0.78
    CHECK(find_check(j, "brier")["value"].get<double>() == Approx(golden::e2e::reference_brier).epsilon(1e-13));
    CHECK(find_check(j, "brier")["severity"] == "warning"); // > 0.18
    CHECK(find_check(j, "recall")["value"].get<double>() == Approx(golden::e2e::reference_recall).epsilon(1e-14));
    CHECK(find_check(j, "precision")["value"].get<double>() ==
          Approx(golden::e2e::reference_precision).epsilon(1e-14));
    CHECK(find_check(j, "ks_statistic")["value"].get<double>() > 0.0);
    CHECK(j["status"] == "warning");
    CHECK(r.code == 0);
    CHECK(run("perf " + fixture("reference.csv") + " --score score --label default --fail-on warning").code == 1);
}

TEST_CASE("perf, proxy, estimate: the score and label columns from the configuration, or a usage error", "[e2e]") {
    scratch s;
    const auto cfg = s.write("cols.toml", "[columns]\nscore = \"score\"\nlabel = \"default\"\n");
    const auto named = run("perf " + fixture("reference.csv") + " --config " + q(cfg) + " --format json");
    INFO(named.err);
    CHECK(named.code == 0);
    CHECK(find_check(named.report(), "auc")["value"].get<double>() == Approx(golden::e2e::reference_auc).epsilon(1e-14));
    CHECK(run("proxy " + fixture("reference.csv") + " --config " + q(cfg)).code == 0);
    CHECK(run("estimate " + fixture("reference.csv") + " --config " + q(cfg)).code != 64);
    // Without them (a configuration that names neither, or none): the option or the key is asked for.
    for (const std::string& cmd : {std::string("perf"), std::string("proxy"), std::string("estimate")}) {
        const auto r = run(cmd + " " + fixture("reference.csv"));
        CHECK(r.code == 64);
        CHECK(r.err.find("--score (or [columns] score in the configuration) is required for a CSV snapshot") != std::string::npos);
    }
    const auto no_label = run("perf " + fixture("reference.csv") + " --score score");
    CHECK(no_label.code == 64);
    CHECK(no_label.err.find("--label (or [columns] label in the configuration) is required") != std::string::npos);
}

TEST_CASE("proxy: shares and mean with intervals", "[e2e]") {
    const auto r = run("proxy " + fixture("reference.csv") + " --score score --format json");
    INFO(r.err);
    const auto j = r.report();
    const auto& hr = find_check(j, "high_risk_share");
    CHECK(hr["value"].get<double>() == Approx(golden::e2e::reference_high_risk_share).epsilon(1e-14));
    CHECK(hr["ci_lower"].get<double>() < hr["value"].get<double>());
    CHECK(find_check(j, "mean_score")["value"].get<double>() == Approx(golden::e2e::reference_mean_score).epsilon(1e-12));
    CHECK(find_check(j, "approval_rate")["severity"].is_string());
}

TEST_CASE("check: the configured run, paths relative to the configuration", "[e2e]") {
    scratch s;
    const auto cfg = s.write("check.toml", "[input]\nreference = \"" + dir + "/reference.csv\"\ncurrent = \"" + dir +
                                               "/severe.csv\"\n");
    const auto r = run("check --config " + q(cfg) + " --format json");
    INFO(r.err);
    CHECK(r.code == 2);
    const auto j = r.report();
    CHECK(j["command"] == "check");
    for (const char* c : {"psi", "ks", "csi", "auc", "ks_statistic", "recall", "precision", "brier", "high_risk_share",
                          "mean_score", "approval_rate"})
        CHECK(find_check(j, c)["severity"].is_string());
    // Flags override the configuration's files.
    const auto same = run("check --config " + q(cfg) + " --current " + fixture("same.csv") + " --format json");
    CHECK(find_check(same.report(), "psi", "income")["value"].get<double>() == 0.0);
}

TEST_CASE("config prints a default configuration that loads", "[e2e]") {
    const auto r = run("config");
    REQUIRE(r.code == 0);
    CHECK(r.out.find("[drift.psi]") != std::string::npos);
    scratch s;
    const auto cfg = s.write("default.toml", r.out);
    const auto d = run("drift " + fixture("reference.csv") + " " + fixture("moderate.csv") + " --format json --config " + q(cfg));
    const auto plain = run("drift " + fixture("reference.csv") + " " + fixture("moderate.csv") + " --format json");
    INFO(d.err);
    CHECK(d.code == plain.code);
    CHECK(d.report()["checks"] == plain.report()["checks"]);
}

TEST_CASE("Version, help and usage errors: exit 0 and 64", "[e2e]") {
    const auto v = run("--version");
    CHECK(v.code == 0);
    CHECK(v.out.find("driftgate 0.") != std::string::npos);
    for (const char* sub : {"", "drift ", "perf ", "proxy ", "check ", "config "}) {
        const auto h = run(std::string(sub) + "--help");
        INFO(sub);
        CHECK(h.code == 0);
        CHECK(h.out.find("Exit codes") != std::string::npos);
    }
    CHECK(run("").code == 64);
    // A word that names no command says so, with the commands (not "a subcommand is required").
    const auto unknown = run("frobnicate");
    CHECK(unknown.code == 64);
    CHECK(unknown.err.find("unknown command 'frobnicate' (commands: drift, perf, proxy, estimate, check, service, config, "
                           "profile)") != std::string::npos);
    const auto unknown_profile = run("profile frobnicate");
    CHECK(unknown_profile.code == 64);
    CHECK(unknown_profile.err.find("unknown profile command 'frobnicate' (profile commands: build, show, merge)") !=
          std::string::npos);
    CHECK(run("drift " + fixture("reference.csv")).code == 64);
    // A mistyped option is named even when a positional is missing too (CLI11 alone reports the
    // missing positional: "CURRENT is required"); a missing positional alone is still named.
    for (const char* args : {"drift --bogus", "drift REF --bogus", "perf --bogus"}) {
        std::string line = args;
        if (const auto at = line.find("REF"); at != std::string::npos) line.replace(at, 3, fixture("reference.csv"));
        const auto bogus = run(line);
        INFO(line << ": " << bogus.err);
        CHECK(bogus.code == 64);
        CHECK(bogus.err.find("The following argument was not expected: --bogus") != std::string::npos);
    }
    CHECK(run("drift " + fixture("reference.csv")).err.find("CURRENT is required") != std::string::npos);
    // service reads logs: its help offers no CSV delimiter and no bin tables, and refuses --delimiter.
    const auto service_help = run("service --help");
    CHECK(service_help.out.find("--delimiter") == std::string::npos);
    CHECK(service_help.out.find("bins") == std::string::npos);
    CHECK(run("drift --help").out.find("--delimiter") != std::string::npos);
    CHECK(run("service --delimiter ';' log.jsonl").code == 64);
    // profile and config judge nothing: their exit codes have no 1 or 2.
    for (const char* sub : {"config --help", "profile --help", "profile build --help", "profile show --help"}) {
        const auto h = run(sub);
        INFO(sub);
        CHECK(h.code == 0);
        CHECK(h.out.find("Exit codes") != std::string::npos);
        CHECK(h.out.find("critical breach") == std::string::npos);
    }
    CHECK(run("drift --help").out.find("critical breach") != std::string::npos);
    CHECK(run("drift " + fixture("reference.csv") + " " + fixture("same.csv") + " --fail-on sometimes").code == 64);
    CHECK(run("drift " + fixture("reference.csv") + " " + fixture("same.csv") + " --format xml").code == 64);
    CHECK(run("perf " + fixture("reference.csv") + " --score score").code == 64);
    CHECK(run("drift " + fixture("reference.csv") + " " + fixture("same.csv") + " --delimiter ab").code == 64);
    CHECK(run("check").code == 64);
}

TEST_CASE("Exit 66 for missing input, 74 for an output that cannot be written", "[e2e]") {
    const auto m = run("drift /nonexistent/ref.csv " + fixture("same.csv"));
    CHECK(m.code == 66);
    CHECK(m.err.find("/nonexistent/ref.csv") != std::string::npos);
    CHECK(run("drift " + fixture("reference.csv") + " " + q(dir)).code == 66); // a directory
    CHECK(run("check --config /nonexistent/driftgate.toml").code == 66);
    const auto o = run("drift " + fixture("reference.csv") + " " + fixture("same.csv") + " --output /nonexistent/dir/r.json");
    CHECK(o.code == 74);
    CHECK(o.err.find("/nonexistent/dir/r.json") != std::string::npos);
    // A report written to a file.
    scratch s;
    const auto path = (s.path / "r.json").string();
    const auto w = run("drift " + fixture("reference.csv") + " " + fixture("severe.csv") + " --format json --output " + q(path));
    CHECK(w.code == 2);
    CHECK(w.out.empty());
    CHECK(json::parse(slurp(path))["status"] == "critical");
}

TEST_CASE("Malformed inputs: exit code and a message that names the place", "[e2e]") {
    struct bad_case {
        const char* name;
        const char* content;   // written to bad.csv (or bad.toml for configuration cases)
        const char* command;   // {bad} is replaced by the written file, {twin} by a copy of it, {ref} by the
                               // reference fixture, {same} by its copy
        int code;
        std::vector<const char*> expect; // substrings of stderr
    };
    const std::string good = "x,score,default\n1,0.2,0\n2,0.7,1\n3,0.4,0\n4,0.9,1\n";
    const std::vector<bad_case> cases{
        // y holds numbers in the reference: a text in the current file is an error at its cell.
        {"non-numeric value", "x,y\n1,2\n3,abc\n", "drift {num} {bad} --columns x,y", 65, {"bad.csv:3:2: column \"y\"", "abc"}},
        {"no monitored column in both files", "a,b\n1,2\n", "drift {num} {bad}", 65,
         {"nothing could be judged", "is it the right file?"}},
        {"ragged row, too few", "x,y\n1,2\n3\n", "drift {bad} {twin}", 65, {"bad.csv:3"}},
        {"ragged row, too many", "x,y\n1,2\n3,4,5\n", "drift {bad} {twin}", 65, {"bad.csv:3"}},
        {"duplicate header", "x,y,x\n1,2,3\n", "drift {bad} {twin}", 65, {"bad.csv", "\"x\""}},
        {"unknown column", "x,y\n1,2\n", "drift {bad} {twin} --columns z", 65, {"bad.csv", "\"z\"", "x, y"}},
        {"empty file", "", "drift {bad} {twin}", 65, {"bad.csv"}},
        {"header only", "x,y\n", "drift {bad} {twin}", 65, {"bad.csv"}},
        {"unterminated quote", "x,y\n1,\"2\n3,4\n", "drift {bad} {twin}", 65, {"bad.csv:2"}},
        {"quote inside a field", "x,y\n1,2\"3\n", "drift {bad} {twin}", 65, {"bad.csv:2"}},
        {"blank line in the middle", "x,y\n1,2\n\n3,4\n", "drift {bad} {twin}", 65, {"bad.csv:3"}},
        {"labels not 0/1", "s,y\n0.1,0\n0.2,2\n0.3,1\n", "perf {bad} --score s --label y", 65,
         {"bad.csv:3:2: column \"y\"", "labels must be 0 or 1"}},
        {"one class only", "s,y\n0.1,0\n0.2,0\n", "perf {bad} --score s --label y", 65, {"bad.csv", "only one class"}},
        {"missing label", "s,y\n0.1,0\n0.2,\n0.3,1\n", "perf {bad} --score s --label y", 65,
         {"bad.csv:3:2: column \"y\"", "the label is missing"}},
        {"missing score", "s,y\n0.1,0\n,1\n0.3,1\n", "perf {bad} --score s --label y", 65,
         {"bad.csv:3:1: column \"s\"", "the score is missing"}},
        {"score in percent", "s,y\n0.1,0\n87.5,1\n0.3,1\n", "perf {bad} --score s --label y", 65,
         {"bad.csv:3:1: column \"s\"", "probabilities must lie in [0, 1]", "score_kind = \"points\""}},
        {"score in percent, proxy", "s\n0.1\n87.5\n", "proxy {bad} --score s", 65,
         {"bad.csv:3:1: column \"s\"", "probabilities must lie in [0, 1]"}},
        {"infinite score", "s,y\n0.1,0\ninf,1\n0.3,1\n", "perf {bad} --score s --label y", 65,
         {"bad.csv:3:1", "probabilities must lie in [0, 1]"}},
        {"score and label the same column", "s,y\n0.1,0\n", "perf {bad} --score s --label s", 64, {"--score and --label name the same column"}},
        {"non-numeric score", "s,y\n0.1,0\nhigh,1\n", "proxy {bad} --score s", 65, {"bad.csv:3", "\"s\"", "high"}},
        {"config: unknown key", "[drift]\nbinz = 3\n", "drift {ref} {same} --config {bad}", 65, {"bad.toml", "drift.binz"}},
        {"config: wrong type", "[drift.psi]\nwarning = \"high\"\n", "drift {ref} {same} --config {bad}", 65,
         {"bad.toml", "drift.psi.warning", "number"}},
        {"config: syntax error", "[drift\nbins = 3\n", "drift {ref} {same} --config {bad}", 65, {"bad.toml:1:"}},
        {"config: bad choice", "[drift]\nbinning = \"magic\"\n", "drift {ref} {same} --config {bad}", 65,
         {"drift.binning", "magic"}},
        {"config: out of range", "[performance]\nthreshold = 1.5\n", "perf {ref} --score score --label default --config {bad}",
         65, {"performance.threshold"}},
        {"score column not in the file", "x,y\n1,0\n", "perf {bad} --score s --label y", 65, {"bad.csv", "\"s\""}},
    };
    for (const auto& c : cases) {
        INFO("case: " << c.name);
        scratch s;
        const bool toml = std::string(c.name).rfind("config", 0) == 0;
        const auto path = s.write(toml ? "bad.toml" : "bad.csv", c.content);
        std::string cmd = c.command;
        const auto num = s.write("num.csv", "x,y\n1,2\n3,4\n5,6\n");
        const auto twin = s.write("twin.csv", c.content); // bad.csv's content, another file
        for (auto [key, value] : {std::pair<std::string, std::string>{"{bad}", q(path)}, {"{twin}", q(twin)},
                                  {"{ref}", fixture("reference.csv")}, {"{same}", fixture("same.csv")}, {"{num}", q(num)}}) {
            for (auto pos = cmd.find(key); pos != std::string::npos; pos = cmd.find(key))
                cmd.replace(pos, key.size(), value);
        }
        (void)good;
        const auto r = run(cmd);
        INFO("stderr: " << r.err);
        CHECK(r.code == c.code);
        CHECK(r.out.empty());
        for (const char* e : c.expect) CHECK(r.err.find(e) != std::string::npos);
    }
}

TEST_CASE("check: the label or the score listed as a feature is refused", "[e2e]") {
    scratch s;
    for (const char* feature : {"default", "score"}) {
        const auto cfg = s.write("check.toml", "[input]\nreference = \"" + dir + "/reference.csv\"\ncurrent = \"" + dir +
                                                   "/reference.csv\"\n[columns]\nfeatures = [\"" + feature + "\", \"income\"]\n");
        const auto r = run("check --config " + q(cfg) + " --format json");
        INFO(r.err);
        CHECK(r.code == 65);
        CHECK(r.out.empty());
        CHECK(r.err.find(std::string("\"") + feature + "\" is listed as a feature") != std::string::npos);
    }
    // The same column twice in [columns] features is refused too.
    const auto cfg = s.write("twice.toml", "[columns]\nfeatures = [\"income\", \"income\"]\n");
    const auto r = run("drift " + fixture("reference.csv") + " " + fixture("same.csv") + " --config " + q(cfg));
    CHECK(r.code == 65);
    CHECK(r.err.find("listed twice") != std::string::npos);
}

TEST_CASE("check: performance from the current file, unchanged by the drift checks", "[e2e]") {
    scratch s;
    const auto cfg = s.write("check.toml", "[input]\nreference = \"" + dir + "/reference.csv\"\ncurrent = \"" + dir +
                                               "/same.csv\"\n");
    const auto r = run("check --config " + q(cfg) + " --format json");
    INFO(r.err);
    const auto j = r.report();
    CHECK(find_check(j, "auc")["value"].get<double>() == Approx(golden::e2e::reference_auc).epsilon(1e-14));
    CHECK(find_check(j, "brier")["value"].get<double>() == Approx(golden::e2e::reference_brier).epsilon(1e-13));
    CHECK(find_check(j, "recall")["value"].get<double>() == Approx(golden::e2e::reference_recall).epsilon(1e-14));
    CHECK(find_check(j, "psi", "income")["value"].get<double>() == 0.0);
    // Without a configuration file: every key has a default.
    const auto d = run("check --reference " + fixture("reference.csv") + " --current " + fixture("same.csv") + " --format json");
    INFO(d.err);
    CHECK(d.code == 0);
    CHECK(find_check(d.report(), "auc")["value"].get<double>() == Approx(golden::e2e::reference_auc).epsilon(1e-14));
}
