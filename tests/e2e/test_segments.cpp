// End-to-end tests of --segment / [segments] on perf and proxy and of the fairness checks:
// fixture and golden figures from tests/data/e2e/gen_fairness_fixtures.py (pandas groupby,
// scikit-learn's roc_auc_score), every output format (promtool and xmllint where installed),
// exit codes and refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/e2e/segments_golden.hpp"
#include "data/e2e/windows_golden.hpp"
#include "e2e/consumers.hpp"
#include "e2e/e2e_support.hpp"

using nlohmann::json;
using namespace e2e;
namespace gs = golden_segments;

namespace {

const std::string data = q(std::string(DRIFTGATE_E2E_DIR) + "/segments.csv");

/// The check `name` of `segment` ("" for the overall row, which has no segment field), or of
/// `column` for the fairness checks.
const json* find(const json& report, const std::string& name, const std::string& segment, const std::string& column = "") {
    return find_check(report, name, "segment", segment, column);
}

} // namespace

TEST_CASE("perf --segment: every check per segment, the fairness checks, small segments reported", "[e2e][segments]") {
    const auto r = run("perf " + data + " --score score --label label --segment SEX --segment REGION --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);  // warnings only (fail-on critical)
    const json j = r.report();
    // Per-segment AUC equals scikit-learn's on the segment's rows.
    const std::pair<const char*, double> aucs[] = {{"SEX=1", gs::SEX_1_auc}, {"SEX=2", gs::SEX_2_auc},
                                                   {"REGION=north", gs::REGION_north_auc}, {"REGION=south", gs::REGION_south_auc}};
    for (const auto& [seg, auc] : aucs) {
        INFO(seg);
        const json* c = find(j, "auc", seg);
        REQUIRE(c);
        CHECK(close((*c)["value"].get<double>(), auc));
        CHECK((*c)["ci_lower"].get<double>() < auc);  // the DeLong interval around it
        CHECK((*c)["ci_upper"].get<double>() > auc);
    }
    CHECK((*find(j, "auc", "SEX=1"))["n"] == gs::SEX_1_rows);
    // The overall rows carry no segment field and are the plain run's.
    const auto plain = run("perf " + data + " --score score --label label --format json");
    for (const auto& c : plain.report()["checks"]) {
        const json* same = find(j, c["check"].get<std::string>(), "");
        REQUIRE(same);
        CHECK(*same == c);
    }
    // Fairness, against pandas.
    const json* di = find(j, "disparate_impact", "", "SEX");
    REQUIRE(di);
    CHECK((*di)["section"] == "fairness");
    CHECK(close((*di)["value"].get<double>(), gs::SEX_disparate_impact));
    CHECK((*di)["severity"] == "warning");  // 0.55 < 0.8
    CHECK((*di)["segments"]["SEX=2"]["rows"] == gs::SEX_2_rows);
    CHECK(close((*di)["segments"]["SEX=2"]["rate"].get<double>(), gs::SEX_2_approval));
    const json* eo = find(j, "equal_opportunity_difference", "", "SEX");
    REQUIRE(eo);
    CHECK(close((*eo)["value"].get<double>(), gs::SEX_equal_opportunity));
    CHECK((*eo)["severity"] == "warning");
    const json* di_region = find(j, "disparate_impact", "", "REGION");
    REQUIRE(di_region);
    CHECK(close((*di_region)["value"].get<double>(), gs::REGION_disparate_impact));  // east (72 rows) left out
    CHECK((*di_region)["severity"] == "ok");
    CHECK((*di_region)["segments"]["REGION=east"]["judged"] == false);
    CHECK(close(find(j, "equal_opportunity_difference", "", "REGION")->at("value").get<double>(), gs::REGION_equal_opportunity));
    // REGION=east is below min_rows: its size is reported, no metric.
    const json* east = find(j, "segment_size", "REGION=east");
    REQUIRE(east);
    CHECK(east->at("value") == gs::REGION_east_rows);
    CHECK(east->at("severity") == "info");
    CHECK(find(j, "auc", "REGION=east") == nullptr);
    // [fairness] thresholds are configuration keys: a critical bound turns SEX's ratio critical.
    scratch s;
    const auto cfg = s.write("c.toml", "[segments]\ncolumns = [\"SEX\"]\nmin_rows = 50\n[fairness.disparate_impact]\ncritical = 0.6\n");
    const auto crit = run("perf " + data + " --score score --label label --config " + q(cfg) + " --format json");
    CHECK(crit.code == 2);
    CHECK(find(crit.report(), "disparate_impact", "", "SEX")->at("severity") == "critical");
    CHECK(find(crit.report(), "auc", "SEX=2") != nullptr);
}

TEST_CASE("proxy --segment: proxies per segment and disparate impact without labels", "[e2e][segments]") {
    const auto r = run("proxy " + data + " --score score --segment SEX --format json");
    REQUIRE(r.code <= 2);
    const json j = r.report();
    const json* approval = find(j, "approval_rate", "SEX=2");
    REQUIRE(approval);
    CHECK(close((*approval)["value"].get<double>(), gs::SEX_2_approval));
    CHECK(find(j, "disparate_impact", "", "SEX") != nullptr);
    CHECK(find(j, "equal_opportunity_difference", "", "SEX") == nullptr);  // no labels
}

TEST_CASE("check applies [segments] to every check: drift against the reference's segment, performance, proxies",
          "[e2e][segments]") {
    scratch s;
    const std::string file = std::string(DRIFTGATE_E2E_DIR) + "/segments.csv";
    const auto cfg = s.write("c.toml", "[input]\nreference = \"" + file + "\"\ncurrent = \"" + s.copy(file) +
                                           "\"\n[columns]\nscore = \"score\"\nlabel = \"label\"\nfeatures = [\"REGION\"]\n"
                                           "[segments]\ncolumns = [\"SEX\"]\n");
    const auto r = run("check --config " + q(cfg) + " --format json");
    INFO(r.err);
    REQUIRE(r.code <= 2);
    const json& j = r.report();
    const json* auc = find(j, "auc", "SEX=2");
    REQUIRE(auc);
    CHECK(close((*auc)["value"].get<double>(), gs::SEX_2_auc));
    CHECK(find(j, "approval_rate", "SEX=2") != nullptr);
    CHECK(close(find(j, "disparate_impact", "", "SEX")->at("value").get<double>(), gs::SEX_disparate_impact));
    // The file against itself: every segment's drift is nil.
    const json* psi = find(j, "psi", "SEX=2", "REGION");
    REQUIRE(psi);
    CHECK(psi->at("value") == 0.0);
    CHECK(find(j, "csi", "SEX=1", "score") != nullptr);
    // A saved profile has no rows to segment: check segments its own checks and says so; drift refuses.
    const auto dgp = s.file("ref.dgp");
    REQUIRE(run("profile build " + q(file) + " -o " + q(dgp) + " --config " + q(cfg)).code == 0);
    const auto pr = run("check --config " + q(cfg) + " --reference " + q(dgp) + " --format json");
    INFO(pr.err);
    REQUIRE(pr.code <= 2);
    CHECK(find(pr.report(), "auc", "SEX=2") != nullptr);
    CHECK(find(pr.report(), "psi", "SEX=2", "REGION") == nullptr);
    CHECK(pr.report()["notes"].dump().find("holds no rows to segment") != std::string::npos);
    const auto d = run("drift " + q(dgp) + " " + q(file) + " --columns REGION --segment SEX");
    CHECK(d.code == 64);
    CHECK(d.err.find("a saved profile holds no rows to segment") != std::string::npos);
}

TEST_CASE("drift --segment: each segment of the current file against the same segment of the reference", "[e2e][segments]") {
    namespace gw = golden_windows;
    const std::string dir = std::string(DRIFTGATE_E2E_DIR);
    const std::string ref = q(dir + "/windows_reference.csv"), cur = q(dir + "/windows.csv");
    const auto r = run("drift " + ref + " " + cur + " --score score --columns x,code --segment code --format json");
    INFO(r.err);
    REQUIRE(r.code == 2);
    const json& j = r.report();
    for (const auto& g : gw::code_segments) {
        INFO(g.name);
        const json* ks = find(j, "ks", g.name, "x");
        REQUIRE(ks);
        CHECK(close(ks->at("value").get<double>(), g.ks_pvalue, 1e-9));
        CHECK(ks->at("n_reference") == g.reference_rows);
        CHECK(ks->at("n_current") == g.rows);
    }
    // The segment column is constant within a segment: none of its checks is repeated per segment.
    for (const auto& c : j["checks"]) CHECK((c.value("column", "") != "code" || !c.contains("segment")));
    // The overall rows are the plain run's.
    const auto plain = run("drift " + ref + " " + cur + " --score score --columns x,code --format json");
    for (const auto& c : plain.report()["checks"]) {
        const json* same = find(j, c["check"].get<std::string>(), "", c.value("column", ""));
        REQUIRE(same);
        CHECK(*same == c);
    }
    // A value only the current file has cannot be compared: a warning, never a pass. One only
    // the reference has, and one with too few reference rows, are reported.
    scratch s;
    std::string a = "x,g\n", b = "x,g\n";
    for (int i = 0; i < 300; ++i) a += std::to_string(i % 17) + "." + std::to_string(i % 7) + "," + (i < 150 ? "p" : i < 280 ? "q" : "t") + "\n";
    for (int i = 0; i < 300; ++i) b += std::to_string(i % 13) + "." + std::to_string(i % 5) + "," + (i < 100 ? "p" : i < 200 ? "new" : "t") + "\n";
    const auto seg = run("drift " + q(s.write("a.csv", a)) + " " + q(s.write("b.csv", b)) + " --columns x --segment g --format json");
    INFO(seg.err);
    REQUIRE(seg.code <= 2);
    const json& k = seg.report();
    const json* fresh = find(k, "segment_unjudged", "g=new");
    REQUIRE(fresh);
    CHECK(fresh->at("severity") == "warning");
    CHECK(fresh->at("note").get<std::string>().find("the reference does not have") != std::string::npos);
    const json* gone = find(k, "segment_size", "g=q");
    REQUIRE(gone);
    CHECK(gone->at("value") == 0);
    const json* few = find(k, "segment_size", "g=t");
    REQUIRE(few);
    CHECK(few->at("note").get<std::string>().find("the reference has 20 rows of this segment") != std::string::npos);
    CHECK(find(k, "psi", "g=p", "x") != nullptr);
}

TEST_CASE("[segments.AGE] edges: a numeric segment column in bands, as pandas.cut(right=False) makes them", "[e2e][segments]") {
    scratch s;
    const auto cfg = s.write("bands.toml", "[segments]\ncolumns = [\"AGE\"]\n[segments.AGE]\nedges = [25, 35, 45, 60]\n");
    const auto r = run("perf " + data + " --score score --label label --config " + q(cfg) + " --format json");
    INFO(r.err);
    REQUIRE(r.code <= 2);
    const json& j = r.report();
    const std::tuple<const char*, int, double> bands[] = {{gs::AGE_band_0, gs::AGE_band_0_rows, gs::AGE_band_0_auc},
                                                          {gs::AGE_band_1, gs::AGE_band_1_rows, gs::AGE_band_1_auc},
                                                          {gs::AGE_band_2, gs::AGE_band_2_rows, gs::AGE_band_2_auc},
                                                          {gs::AGE_band_3, gs::AGE_band_3_rows, gs::AGE_band_3_auc},
                                                          {gs::AGE_band_4, gs::AGE_band_4_rows, gs::AGE_band_4_auc}};
    std::vector<std::string> order;
    for (const auto& c : j["checks"])
        if (c["check"] == "auc" && c.contains("segment")) order.push_back(c["segment"]);
    std::vector<std::string> expected;
    for (const auto& [name, rows, auc] : bands) {
        INFO(name);
        expected.push_back(name);
        const json* a = find(j, "auc", name);
        REQUIRE(a);
        CHECK(close(a->at("value").get<double>(), auc));
        CHECK(a->at("n") == rows);
    }
    CHECK(order == expected);  // bands in ascending order
    const json* missing = find(j, "segment_size", "AGE (missing)");
    REQUIRE(missing);
    CHECK(missing->at("value") == gs::AGE_missing_rows);
    CHECK(close(find(j, "disparate_impact", "", "AGE")->at("value").get<double>(), gs::AGE_disparate_impact));
    // Bands of a text column are refused; edges must increase; edges of a column that is not a
    // segment column are named in a note.
    CHECK(run("perf " + data + " --score score --label label --segment REGION --config " +
              q(s.write("t.toml", "[segments.REGION]\nedges = [1]\n")))
              .code == 65);
    CHECK(run("perf " + data + " --score score --label label --config " +
              q(s.write("o.toml", "[segments]\ncolumns = [\"AGE\"]\n[segments.AGE]\nedges = [30, 30]\n")))
              .code == 65);
    const auto unused = run("perf " + data + " --score score --label label --segment SEX --config " +
                            q(s.write("u.toml", "[segments.AGE]\nedges = [30]\n")) + " --format json");
    REQUIRE(unused.code <= 2);
    CHECK(unused.report()["notes"].dump().find("[segments.AGE] edges: \\\"AGE\\\" is not a segment column") != std::string::npos);
}

TEST_CASE("segments in every format: text, Markdown, HTML, Prometheus (promtool), JUnit", "[e2e][segments]") {
    const std::string args = "perf " + data + " --score score --label label --segment SEX --segment REGION";
    const auto text = run(args);
    CHECK(text.out.find("score [SEX=2]") != std::string::npos);
    CHECK(text.out.find("disparate_impact") != std::string::npos);
    const auto md = run(args + " --format markdown");
    CHECK(md.out.find("score \\[SEX=2\\]") != std::string::npos);  // brackets escaped for GFM
    CHECK(check_markdown_tables(md.out) > 0);
    const auto html = run(args + " --format html");
    CHECK(html.out.find("score [SEX=2]") != std::string::npos);
    const auto prom = run(args + " --format prometheus");
    CHECK(prom.out.find("segment=\"SEX=2\"") != std::string::npos);
    // Each series once: the segment label tells the overall AUC from each segment's.
    std::set<std::string> series;
    std::size_t start = 0;
    while (start < prom.out.size()) {
        const auto end = prom.out.find('\n', start);
        const std::string line = prom.out.substr(start, end - start);
        start = end == std::string::npos ? prom.out.size() : end + 1;
        if (line.empty() || line[0] == '#') continue;
        CHECK(series.insert(line.substr(0, line.rfind(' '))).second);
    }
    const auto junit = run(args + " --format junit");
    CHECK(junit.out.find("performance/auc/score[SEX=2]") != std::string::npos);
    if (have("promtool")) {
        scratch s;
        const auto [rc, out] = shell("promtool check metrics < " + q(s.write("r.prom", prom.out)));
        INFO(out);
        CHECK(rc == 0);
    }
    if (have("xmllint")) {
        scratch s;
        const auto [rc, out] = shell("xmllint --noout --schema " + q(source_dir + "/tests/junit.xsd") + " " + q(s.write("r.xml", junit.out)));
        INFO(out);
        CHECK(rc == 0);
    }
}

TEST_CASE("segments: what cannot be judged is reported or refused, never passed", "[e2e][segments]") {
    scratch s;
    // Segment b has no default: its performance cannot be computed, a warning of its own.
    std::string t = "score,label,G\n";
    for (int i = 0; i < 400; ++i)
        t += std::to_string((i % 97) / 200.0) + "," + (i < 200 ? std::to_string(i % 3 == 0) : std::string("0")) + "," +
             (i < 200 ? "a" : "b") + "\n";
    const auto one = s.write("one.csv", t);
    const auto r = run("perf " + q(one) + " --score score --label label --segment G --format json");
    REQUIRE(r.code <= 2);
    const json report = r.report();
    const json* b = find(report, "segment_unjudged", "G=b");
    REQUIRE(b);
    CHECK(b->at("severity") == "warning");
    CHECK(b->at("note").get<std::string>().find("only one class") != std::string::npos);
    // A column the file lacks: exit 65 naming it; the score or label as the segment: exit 64.
    const auto missing = run("perf " + q(one) + " --score score --label label --segment nope");
    CHECK(missing.code == 65);
    CHECK(missing.err.find("no column \"nope\" (a segment column: --segment, [segments] columns); the columns are") !=
          std::string::npos);
    CHECK(run("perf " + q(one) + " --score score --label label --segment label").code == 64);
    CHECK(run("proxy " + q(one) + " --score score --segment score").code == 64);
    // A column of many values (the score-like one here) is refused: segment by categories or codes.
    const auto many = run("proxy " + data + " --score score --segment label --segment score");
    CHECK(many.code == 64);
    std::string u = "score,x\n";
    for (int i = 0; i < 300; ++i) u += "0.1," + std::to_string(i) + "\n";
    const auto wide = run("proxy " + q(s.write("wide.csv", u)) + " --score score --segment x");
    CHECK(wide.code == 65);
    CHECK(wide.err.find("more than 50 distinct values") != std::string::npos);
    // A prediction log is not segmented: a usage error, not a run without the segments.
    const auto log = s.write("l.jsonl", "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"latency_ms\":10,\"status\":200,\"input\":{\"SEX\":1},"
                                        "\"prediction\":{\"probability\":0.1}}\n");
    const auto logged = run("proxy " + q(log) + " --segment SEX");
    CHECK(logged.code == 64);
    CHECK(logged.err.find("--segment and [segments] read CSV snapshots") != std::string::npos);
    // Missing cells form a segment of their own.
    const auto gaps = run("proxy " + q(s.write("gaps.csv", "score,G\n0.1,a\n0.2,\n0.3,a\n")) + " --score score --segment G --format json");
    REQUIRE(gaps.code <= 2);
    CHECK(find(gaps.report(), "segment_size", "G (missing)") != nullptr);
    // A literal "(missing)" is a value like any other: its own segment, apart from the empty cells.
    const auto literal = run("proxy " + q(s.write("lit.csv", "score,G\n0.1,(missing)\n0.2,\n0.3,a\n")) +
                             " --score score --segment G --format json");
    REQUIRE(literal.code <= 2);
    CHECK(find(literal.report(), "segment_size", "G=(missing)") != nullptr);
    CHECK(find(literal.report(), "segment_size", "G (missing)") != nullptr);
    // Names that two segment columns share are refused: "A=B=1" is a value of A and of A=B.
    const auto clash = run("proxy " + q(s.write("clash.csv", "score,A,A=B\n0.1,B=1,1\n0.2,B=1,1\n")) +
                           " --score score --segment A --segment A=B");
    CHECK(clash.code == 65);
    CHECK(clash.err.find("the segment name \"A=B=1\" stands for a segment of column \"A\" and of column \"A=B\"") != std::string::npos);
    // The missing cells do not count towards max_values: 50 values and empty cells are fine.
    std::string fifty = "score,G\n,\n";
    for (int i = 0; i < 50; ++i) fifty += "0.1,v" + std::to_string(i) + "\n";
    CHECK(run("proxy " + q(s.write("fifty.csv", fifty)) + " --score score --segment G").code <= 2);
    // A pipe given by its path cannot be read twice: refused with a plain message.
    const auto [piped_rc, piped] = shell(q(exe) + " proxy <(cat " + data + ") --score score --segment SEX");
    CHECK(piped_rc == 66);
    CHECK(piped.find("a pipe (FIFO), not a regular file; --segment reads the snapshot once more") != std::string::npos);
    CHECK(run("proxy " + data + " --score score --segment ''").code == 64);
}
