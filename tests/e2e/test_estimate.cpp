// End-to-end tests of `driftgate estimate` (performance from calibrated PDs before the labels
// arrive, the calibration check) and of `--multivariate` (PCA reconstruction error) on drift and
// check: fixtures and golden figures from tests/data/e2e/gen_estimate_fixtures.py (exact rational
// sums, scipy, scikit-learn), every output format, exit codes and refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "data/e2e/estimate_golden.hpp"
#include "e2e/e2e_support.hpp"

using nlohmann::json;
using namespace e2e;
namespace ge = golden_estimate;

namespace {

const std::string dir = DRIFTGATE_E2E_DIR;

std::string fixture(const std::string& name) { return q(dir + "/" + name); }

const json& find_check(const json& report, const std::string& check) {
    for (const auto& c : report["checks"])
        if (c["check"] == check) return c;
    FAIL("no check " << check);
    static json none;
    return none;
}


} // namespace

TEST_CASE("estimate: estimated AUC, recall, precision and intervals match the reference", "[e2e][estimate]") {
    struct fcase {
        const char* file;
        double auc, auc_lo, auc_hi, recall, recall_lo, recall_hi, precision, precision_lo, precision_hi, tp, fp, fn, tn;
    };
    const fcase cases[] = {
        {"reference.csv", ge::reference_auc, ge::reference_auc_lo, ge::reference_auc_hi, ge::reference_recall, ge::reference_recall_lo,
         ge::reference_recall_hi, ge::reference_precision, ge::reference_precision_lo, ge::reference_precision_hi, ge::reference_tp,
         ge::reference_fp, ge::reference_fn, ge::reference_tn},
        {"severe.csv", ge::severe_auc, ge::severe_auc_lo, ge::severe_auc_hi, ge::severe_recall, ge::severe_recall_lo, ge::severe_recall_hi,
         ge::severe_precision, ge::severe_precision_lo, ge::severe_precision_hi, ge::severe_tp, ge::severe_fp, ge::severe_fn, ge::severe_tn},
    };
    for (const auto& f : cases) {
        INFO(f.file);
        const auto r = run("estimate " + fixture(f.file) + " --score score --format json");
        INFO(r.err);
        const json j = r.report();
        CHECK(j["command"] == "estimate");
        CHECK(j["inputs"]["current"]["rows"] == 1000);
        const json& auc = find_check(j, "estimated_auc");
        CHECK(auc["section"] == "estimate");
        CHECK(auc["column"] == "score");
        CHECK(close(auc["value"].get<double>(), f.auc));
        CHECK(close(auc["ci_lower"].get<double>(), f.auc_lo, 1e-10));
        CHECK(close(auc["ci_upper"].get<double>(), f.auc_hi, 1e-10));
        const json& rec = find_check(j, "estimated_recall");
        CHECK(close(rec["value"].get<double>(), f.recall));
        CHECK(close(rec["ci_lower"].get<double>(), f.recall_lo, 1e-10));
        CHECK(close(rec["ci_upper"].get<double>(), f.recall_hi, 1e-10));
        const json& pre = find_check(j, "estimated_precision");
        CHECK(close(pre["value"].get<double>(), f.precision));
        CHECK(close(pre["ci_lower"].get<double>(), f.precision_lo, 1e-10));
        CHECK(close(pre["ci_upper"].get<double>(), f.precision_hi, 1e-10));
        const json& m = pre["expected_confusion"];
        CHECK(close(m["tp"].get<double>(), f.tp, 1e-14));
        CHECK(close(m["fp"].get<double>(), f.fp, 1e-14));
        CHECK(close(m["fn"].get<double>(), f.fn, 1e-14));
        CHECK(close(m["tn"].get<double>(), f.tn, 1e-14));
        CHECK(m["threshold"].get<double>() == 0.12);
        // Judged with the [performance] thresholds: AUC 0.739 / 0.753 is below 0.75 / 0.78.
        CHECK(auc["severity"] == (f.auc < 0.75 ? "critical" : "warning"));
        CHECK(auc["thresholds"]["critical"].get<double>() == 0.75);
        CHECK(r.code == (f.auc < 0.75 ? 2 : 0));
        // Without --reference the calibration was not checked: a note says so.
        CHECK(j["notes"].dump().find("calibration") != std::string::npos);
    }
}

TEST_CASE("estimate: --threshold and the configuration's thresholds", "[e2e][estimate]") {
    scratch s;
    const std::string cfg = s.write("c.toml", "[performance]\nthreshold = 0.5\n[performance.auc]\nwarning = 0.6\ncritical = 0.5\n");
    const auto a = run("estimate " + fixture("reference.csv") + " --score score --format json --config " + q(cfg));
    INFO(a.err);
    REQUIRE(a.code == 0);
    const json ja = a.report();
    CHECK(find_check(ja, "estimated_auc")["severity"] == "ok");
    CHECK(find_check(ja, "estimated_precision")["expected_confusion"]["threshold"].get<double>() == 0.5);
    const auto b = run("estimate " + fixture("reference.csv") + " --score score --format json --threshold 0.3 --config " + q(cfg));
    CHECK(find_check(b.report(), "estimated_precision")["expected_confusion"]["threshold"].get<double>() == 0.3);
    // Recall and precision change with the threshold, the AUC does not.
    CHECK(find_check(b.report(), "estimated_auc")["value"] == find_check(ja, "estimated_auc")["value"]);
    CHECK(find_check(b.report(), "estimated_recall")["value"] != find_check(ja, "estimated_recall")["value"]);
}

TEST_CASE("estimate: the configuration's segments and windows are said to be passed over", "[e2e][estimate]") {
    // estimate judges every row together; a configuration with [segments] or [windows] (which
    // check, perf and proxy follow) gave the same report with no word of them.
    scratch s;
    const std::string cfg = s.write("c.toml", "[segments]\ncolumns = [\"income\"]\n[windows]\nwindow = \"100\"\n");
    const auto r = run("estimate " + fixture("reference.csv") + " --score score --format json --config " + q(cfg));
    INFO(r.err);
    REQUIRE(r.code == 2);  // the fixture's estimated AUC is critical at the default thresholds
    const std::string notes = r.report()["notes"].dump();
    CHECK(notes.find("[segments] columns: estimate judges every row together, not per segment") != std::string::npos);
    CHECK(notes.find("[windows] window: estimate judges every row together, not per window") != std::string::npos);
    const auto plain = run("estimate " + fixture("reference.csv") + " --score score --format json");
    CHECK(plain.report()["notes"].dump().find("estimate judges every row together") == std::string::npos);
}

TEST_CASE("estimate --reference: the Hosmer-Lemeshow calibration check", "[e2e][estimate][calibration]") {
    const auto r = run("estimate " + fixture("severe.csv") + " --score score --format json --fail-on never --reference " +
                       fixture("reference.csv"));
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json j = r.report();
    const json& c = find_check(j, "calibration");
    CHECK(close(c["value"].get<double>(), ge::reference_hl_pvalue, 1e-10));
    CHECK(close(c["statistic"].get<double>(), ge::reference_hl_statistic, 1e-12));
    CHECK(c["dof"].get<double>() == ge::reference_hl_dof);
    CHECK(c["bands"].size() == 10);
    CHECK(c["severity"] == "ok");
    CHECK(j["inputs"]["reference"]["rows"] == 1000);
    // Halved PDs: badly calibrated, a critical breach (p < 0.01).
    const auto h = run("estimate " + fixture("severe.csv") + " --score score --format json --reference " + fixture("halved.csv"));
    REQUIRE(h.code == 2);
    const json hj = h.report();
    const json& hc = find_check(hj, "calibration");
    CHECK(close(hc["value"].get<double>(), ge::halved_hl_pvalue, 1e-9));
    CHECK(hc["severity"] == "critical");
    // One file as its own reference: the calibration of its PDs (the reference only calibrates;
    // nothing is compared that could pass). Standard input cannot be both.
    const auto self = run("estimate " + fixture("reference.csv") + " --score score --format json --fail-on never --reference " +
                          fixture("reference.csv"));
    REQUIRE(self.code == 0);
    CHECK(close(find_check(self.report(), "calibration")["value"].get<double>(), ge::reference_hl_pvalue, 1e-10));
    CHECK(run("estimate - --score score --reference -", 120, false, "cat " + fixture("reference.csv")).code == 64);
}

TEST_CASE("estimate: refusals fail closed", "[e2e][estimate]") {
    scratch s;
    struct bad {
        const char* what;
        std::string args;
        int code;
        const char* message;
    };
    const std::string pct = s.write("pct.csv", "score\n12\n40\n");
    const std::string empty = s.write("empty.csv", "score\nNA\n\n");
    const std::string points = s.write("points.toml", "[performance]\nscore_kind = \"points\"\nthreshold = 500\n");
    const std::string onelab = s.write("one.csv", "score,default\n0.1,0\n0.2,0\n");
    const bad cases[] = {
        {"a PD in percent", "estimate " + q(pct) + " --score score", 65, "pct.csv:2:1: column \"score\": the score is 12"},
        // ... told what estimate needs, not to set score_kind = "points", which estimate refuses.
        {"a PD in percent: the advice", "estimate " + q(pct) + " --score score", 65,
         "(estimate reads calibrated probabilities of default; scorecard points or a PD in percent give no estimate)"},
        {"no score at all", "estimate " + q(empty) + " --score score", 65, "every score is missing"},
        {"a missing column", "estimate " + fixture("reference.csv") + " --score nope", 65, "nope"},
        {"scores in points", "estimate " + fixture("reference.csv") + " --score score --config " + q(points), 65, "calibrated probabilities"},
        {"a threshold outside [0, 1]", "estimate " + fixture("reference.csv") + " --score score --threshold 2", 64, "[0, 1]"},
        {"a missing file", "estimate " + q(s.file("absent.csv")) + " --score score", 66, "absent.csv"},
        {"a reference with one class", "estimate " + fixture("reference.csv") + " --score score --reference " + q(onelab), 65, "one class"},
        {"no --score", "estimate " + fixture("reference.csv"), 64, "score"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto r = run(c.args + " --format json");
        CHECK(r.code == c.code);
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(r.out.empty());
    }
}

TEST_CASE("estimate: every output format shows the estimates", "[e2e][estimate]") {
    scratch s;
    const auto r = run("estimate " + fixture("severe.csv") + " --score score --reference " + fixture("reference.csv") +
                       " --format text --report json=" + q(s.file("r.json")) + " --report markdown=" + q(s.file("r.md")) +
                       " --report html=" + q(s.file("r.html")) + " --report prometheus=" + q(s.file("r.prom")) +
                       " --report junit=" + q(s.file("r.xml")));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("estimated_auc") != std::string::npos);
    CHECK(r.out.find("calibration") != std::string::npos);
    CHECK(slurp(s.file("r.md")).find("estimated AUC") != std::string::npos);
    CHECK(slurp(s.file("r.html")).find("estimated AUC") != std::string::npos);
    CHECK(slurp(s.file("r.prom")).find("estimated_recall") != std::string::npos);
    CHECK(slurp(s.file("r.xml")).find("estimated_precision") != std::string::npos);
    CHECK(json::parse(slurp(s.file("r.json")))["command"] == "estimate");
}

TEST_CASE("multivariate drift: a changed correlation that no single feature shows", "[e2e][multivariate]") {
    // mv_current.csv is mv_reference.csv with feature b shuffled: every marginal is the same.
    const auto r = run("drift " + fixture("mv_reference.csv") + " " + fixture("mv_current.csv") + " --format json --multivariate");
    INFO(r.err);
    const json j = r.report();
    for (const auto& c : j["checks"]) {
        if (c["check"] == "psi" || c["check"] == "csi") CHECK(c["value"].get<double>() == 0.0);
        if (c["check"] == "ks") CHECK(c["pvalue"].get<double>() == 1.0);
        if (c["check"] != "pca_reconstruction_error") CHECK(c["severity"] == "ok");
    }
    const json& p = find_check(j, "pca_reconstruction_error");
    CHECK(p["section"] == "drift");
    CHECK(close(p["value"].get<double>(), ge::mv_current_error, 1e-10));
    CHECK(close(p["reference_value"].get<double>(), ge::mv_reference_error, 1e-10));
    CHECK(close(p["lower"].get<double>(), ge::mv_lower, 1e-9));
    CHECK(close(p["upper"].get<double>(), ge::mv_upper, 1e-9));
    CHECK(p["components"] == ge::mv_components);
    CHECK(p["features"] == json::array({"a", "b", "c"}));
    CHECK(p["rows"] == 2000);
    CHECK(p["severity"] == "warning");
    CHECK(r.code == 0);  // a warning: the gate fails on critical by default
    const auto w = run("drift " + fixture("mv_reference.csv") + " " + fixture("mv_current.csv") + " --format json --multivariate --fail-on warning");
    CHECK(w.code == 1);
    // Without --multivariate the drift goes unseen.
    const auto plain = run("drift " + fixture("mv_reference.csv") + " " + fixture("mv_current.csv") + " --format json --fail-on warning");
    CHECK(plain.code == 0);
    // The reference against its copy: its own error, inside the band.
    scratch s;
    const auto same = run("drift " + fixture("mv_reference.csv") + " " + q(s.copy(dir + "/mv_reference.csv")) + " --format json --multivariate --fail-on warning");
    CHECK(same.code == 0);
    CHECK(close(find_check(same.report(), "pca_reconstruction_error")["value"].get<double>(), ge::mv_same_error, 1e-10));
}

TEST_CASE("multivariate drift on check: configuration keys, missing rows, refusals", "[e2e][multivariate]") {
    scratch s;
    const std::string cfg = s.write("c.toml", "[input]\nreference = " + json(dir + "/mv_reference.csv").dump() + "\ncurrent = " +
                                                  json(dir + "/mv_current.csv").dump() +
                                                  "\n[checks]\nmultivariate = true\nperformance = false\n[multivariate]\n"
                                                  "severity = \"critical\"\nexplained_variance = 0.5\nchunks = 4\n");
    const auto r = run("check --config " + q(cfg) + " --format json");
    INFO(r.err);
    CHECK(r.code == 2);
    const json j = r.report();
    const json& p = find_check(j, "pca_reconstruction_error");
    CHECK(p["severity"] == "critical");
    CHECK(p["chunks"] == 4);
    CHECK(p["components"] == 1);
    // Rows with a missing value are left out and counted.
    const std::string holes = s.write("holes.csv", "a,b,c\n50,20,3\n,21,4\n51,,5\n49,19,6\n48,22,\n52,18,2\n47,23,7\n53,17,1\n");
    const std::string two = s.write("two.toml", "[multivariate]\nchunks = 2\n");
    const auto h = run("drift " + q(holes) + " " + q(s.copy(holes)) + " --format json --multivariate --fail-on never --config " + q(two));
    INFO(h.err);
    REQUIRE(h.code == 0);
    const json hj = h.report();
    const json& hp = find_check(hj, "pca_reconstruction_error");
    CHECK(hp["rows"] == 5);
    CHECK(hp["rows_excluded"] == 3);
    CHECK(hp["reference_rows_excluded"] == 3);
    // Refusals: one numeric feature; a profile as the reference.
    const std::string one = s.write("one.csv", "a,name\n1,x\n2,y\n3,z\n");
    const auto o = run("drift " + q(one) + " " + q(s.copy(one)) + " --multivariate");
    CHECK(o.code == 65);
    CHECK(o.err.find("at least two numeric features") != std::string::npos);
    const auto b = run("profile build " + fixture("mv_reference.csv") + " --output " + q(s.file("ref.dgp")) + " --quiet");
    REQUIRE(b.code == 0);
    const auto pr = run("drift " + q(s.file("ref.dgp")) + " " + fixture("mv_current.csv") + " --multivariate");
    CHECK(pr.code == 64);
    CHECK(pr.err.find("needs the reference CSV") != std::string::npos);
    CHECK(pr.out.empty());
    // An infinite value: refused at its place, in either file (the message named a row only).
    // Line 4 of the current file (the quoted line feed on line 2 counts), field 2.
    const std::string cur_inf = s.write("cur_inf.csv", "a,b,c,note\n50,20,3,\"two\nlines\"\n51,-inf,5,x\n49,19,6,y\n48,22,4,z\n");
    const auto ci = run("drift " + q(holes) + " " + q(cur_inf) + " --multivariate --config " + q(two));
    CHECK(ci.code == 65);
    CHECK(ci.err.find(cur_inf + ":4:2: -inf in column \"b\": the multivariate check standardises each feature") !=
          std::string::npos);
}
