// End-to-end: the gate fails closed on the incidents production really has — a dropped column,
// the wrong file, a cell that does not fit, a new code, a column that went constant or empty, a
// score that is not a probability — each a check with a severity in the report, or an error
// naming its place, never "ok" and exit 0. Expected figures are hand calculations written here.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "e2e/e2e_support.hpp"

using nlohmann::json;
using namespace e2e;

namespace {

/// The first check named `name` on `column` (null when there is none).
json find(const json& report, const std::string& name, const std::string& column) {
    for (const auto& c : report["checks"])
        if (c["check"] == name && c.value("column", "") == column) return c;
    return nullptr;
}

/// A CSV of n rows from a row function.
template <class F>
std::string rows(const std::string& header, int n, F&& row) {
    std::string t = header + "\n";
    for (int i = 0; i < n; ++i) t += row(i) + "\n";
    return t;
}

std::string num(int i) { return std::to_string(i); }

} // namespace

TEST_CASE("fail closed: a monitored column absent from the current file is a schema check", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,b,score", 200, [](int i) { return num(i % 7) + "," + num(i % 5) + ",0.3"; }));
    const auto cur = s.write("cur.csv", rows("a,score", 200, [](int i) { return num(i % 7) + ",0.3"; }));
    // No importances: every feature counts as top-k, so the missing one is critical.
    auto r = run("drift " + q(ref) + " " + q(cur) + " --format json");
    CHECK(r.code == 2);
    auto c = find(r.report(), "missing_column", "b");
    REQUIRE(c.is_object());
    CHECK(c["section"] == "schema");
    CHECK(c["severity"] == "critical");
    // With importances that leave b out of the top 1: a warning (exit 0 at --fail-on critical, 1 at warning).
    const auto cfg = s.write("imp.toml", "[drift]\ntop_k = 1\n[importance]\na = 0.9\nb = 0.1\n");
    r = run("drift " + q(ref) + " " + q(cur) + " --format json --config " + q(cfg));
    CHECK(r.code == 0);
    CHECK(find(r.report(), "missing_column", "b")["severity"] == "warning");
    CHECK(run("drift " + q(ref) + " " + q(cur) + " --fail-on warning --config " + q(cfg)).code == 1);
    // Named in --columns: a configured feature, critical whatever its importance.
    r = run("drift " + q(ref) + " " + q(cur) + " --columns a,b --format json --config " + q(cfg));
    CHECK(r.code == 2);
    CHECK(find(r.report(), "missing_column", "b")["severity"] == "critical");
    // The score dropped from the current file: critical.
    const auto noscore = s.write("noscore.csv", rows("a,b", 200, [](int i) { return num(i % 7) + "," + num(i % 5); }));
    r = run("drift " + q(ref) + " " + q(noscore) + " --format json");
    CHECK(r.code == 2);
    CHECK(find(r.report(), "missing_column", "score")["severity"] == "critical");
    // Text output names it too.
    const auto t = run("drift " + q(ref) + " " + q(cur));
    CHECK(t.out.find("missing_column") != std::string::npos);
}

TEST_CASE("fail closed: a score column the reference lacks is an error when named, a note when the default", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,pd", 200, [](int i) { return num(i % 7) + ",0." + num(i % 9 + 1); }));
    const auto cur = s.write("cur.csv", rows("a,pd", 200, [](int i) { return num(i % 7) + ",0.9"; }));  // the score drifted
    // Named right: CSI judges the drifted score, exit 2.
    auto r = run("drift " + q(ref) + " " + q(cur) + " --score pd --format json");
    CHECK(r.code == 2);
    CHECK(find(r.report(), "csi", "pd")["severity"] == "critical");
    // Misspelt on the command line or in the configuration: exit 65 before anything is judged (CSI
    // was dropped without a word and the run passed with exit 0).
    const auto cfg = s.write("pd.toml", "[columns]\nscore = \"PD\"\n");
    for (const std::string& args : {std::string("--score PD"), "--config " + q(cfg)}) {
        INFO(args);
        r = run("drift " + q(ref) + " " + q(cur) + " " + args);
        CHECK(r.code == 65);
        CHECK(r.out.empty());
        CHECK(r.err.find("no score column \"PD\" (--score, [columns] score) in the reference " + ref + " (columns: a, pd)") !=
              std::string::npos);
        CHECK(run("check --reference " + q(ref) + " --current " + q(cur) + " " + args).code == 65);
        r = run("profile build " + q(ref) + " -o " + q(s.file("p.dgp")) + " " + args);
        CHECK(r.code == 65);
        CHECK(r.err.find("no score column \"PD\"") != std::string::npos);
        CHECK_FALSE(fs::exists(s.file("p.dgp")));
    }
    // Against a saved profile of the reference: the same error.
    REQUIRE(run("profile build " + q(ref) + " -o " + q(s.file("ref.dgp")) + " --score pd -q").code == 0);
    r = run("drift " + q(s.file("ref.dgp")) + " " + q(cur) + " --score PD");
    CHECK(r.code == 65);
    CHECK(r.err.find("no score column \"PD\"") != std::string::npos);
    // The default name "score", in neither file: a note says CSI is not judged; --score '' says
    // there is no score, and no note.
    r = run("drift " + q(ref) + " " + q(cur) + " --columns a --format json");
    CHECK(r.code == 0);
    REQUIRE(r.report()["notes"].size() == 1);
    CHECK(r.report()["notes"][0].get<std::string>().find("no column \"score\" in the reference: the score's drift (CSI) is not "
                                                         "judged") != std::string::npos);
    r = run("drift " + q(ref) + " " + q(cur) + " --columns a --score '' --format json");
    CHECK(r.code == 0);
    CHECK(r.report()["notes"].empty());
    // --score '' with a column of the default name: it is judged as a feature, and a note says so.
    const auto sref = s.write("sref.csv", rows("a,score", 60, [](int i) { return num(i % 7) + ",0." + num(i % 9 + 1); }));
    r = run("drift " + q(sref) + " " + q(s.copy(sref)) + " --score '' --format json");
    CHECK(r.code == 0);
    CHECK(find(r.report(), "psi", "score").is_object());
    REQUIRE(r.report()["notes"].size() == 1);
    CHECK(r.report()["notes"][0] == "no score column (--score '', [columns] score = \"\"): the column \"score\" is judged as a "
                                    "feature; [columns] exclude or --columns leaves it out");
}

TEST_CASE("fail closed: a reference holding +-inf gives no scale to the Wasserstein effect: undefined, a breach", "[e2e][fail-closed]") {
    // 10% of x is inf in both files, the rest (101 values: continuous) shifted by 500. The distance is
    // finite (the shares of inf agree), the reference's deviation infinite: distance / inf was 0,
    // an effect of nothing, and with effect_gate = "both" it silenced a KS p-value of 1e-185.
    scratch s;
    const auto ref = s.write("ref.csv", rows("x", 500, [](int i) { return i % 10 == 0 ? std::string("inf") : num(i * 37 % 101); }));
    const auto cur = s.write("cur.csv", rows("x", 400, [](int i) { return i % 10 == 0 ? std::string("inf") : num(i * 37 % 101 + 500); }));
    const auto gate = s.write("gate.toml", "[drift]\neffect_gate = \"both\"\n[drift.wasserstein]\nwarning = 0.1\ncritical = 0.2\n");
    auto r = run("drift " + q(ref) + " " + q(cur) + " --score '' --format json --config " + q(gate));
    CHECK(r.code == 2);
    CHECK(find(r.report(), "ks", "x")["severity"] == "critical");
    const json w = find(r.report(), "wasserstein", "x");
    REQUIRE(w.is_object());
    CHECK(w["value"].is_null());
    CHECK(w["reference_std"].is_null());  // +inf, written as null
    CHECK(w["distance"].get<double>() > 0.0);
    CHECK(w["note"].get<std::string>().find("undefined: the reference holds +-inf") != std::string::npos);
    // The effect rule on its own ("either"): the Wasserstein check is the breach.
    const auto either = s.write("either.toml", "[drift.wasserstein]\nwarning = 0.1\ncritical = 0.2\n");
    r = run("drift " + q(ref) + " " + q(cur) + " --score '' --format json --config " + q(either));
    CHECK(r.code == 2);
    CHECK(find(r.report(), "wasserstein", "x")["severity"] == "critical");
    // -inf in the current file only: an infinite distance (null in JSON), said in a note.
    const auto ref2 = s.write("ref2.csv", rows("x", 500, [](int i) { return num(i * 37 % 101); }));
    const auto cur2 = s.write("cur2.csv", rows("x", 400, [](int i) { return i == 7 ? std::string("-inf") : num(i * 37 % 101); }));
    r = run("drift " + q(ref2) + " " + q(cur2) + " --score '' --format json --config " + q(either));
    CHECK(r.code == 2);
    const json inf = find(r.report(), "wasserstein", "x");
    CHECK(inf["severity"] == "critical");
    CHECK(inf["value"].is_null());
    CHECK(inf["note"] == "infinite: the current sample holds +-inf, which the reference does not");
}

TEST_CASE("fail closed: profile merge refuses one file named twice, or one profile in two files (its rows would count twice)", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,score", 50, [](int i) { return num(i % 7) + ",0." + num(i % 9 + 1); }));
    const auto p = s.file("a.dgp");
    REQUIRE(run("profile build " + q(ref) + " -o " + q(p) + " -q").code == 0);
    const std::string link = s.file("link.dgp");
    REQUIRE(::symlink(p.c_str(), link.c_str()) == 0);
    for (const auto& [args, message] :
         {std::pair{q(p) + " " + q(p), p + ": given twice (its rows would count twice)"},
          {q(p) + " " + q(link), p + " and " + link + " are the same file (its rows would count twice)"}}) {
        const auto r = run("profile merge " + args + " -o " + q(s.file("m.dgp")));
        INFO(r.err);
        CHECK(r.code == 64);
        CHECK(r.err.find(message) != std::string::npos);
        CHECK_FALSE(fs::exists(s.file("m.dgp")));
    }
    // A copy is another file holding the same profile: its rows would count twice as well.
    const auto r = run("profile merge " + q(p) + " " + q(s.copy(p)) + " -o " + q(s.file("m.dgp")) + " -q");
    CHECK(r.code == 64);
    CHECK(r.err.find(s.copy(p) + " holds the same rows as " + p + " (the same values in every column)") != std::string::npos);
    CHECK_FALSE(fs::exists(s.file("m.dgp")));
    // The same CSV profiled again a second later: another file, another creation time, the same
    // rows (merged before: twice the rows).
    const std::time_t built = std::time(nullptr);
    while (std::time(nullptr) == built) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string again = s.file("again.dgp");
    REQUIRE(run("profile build " + q(ref) + " -o " + q(again) + " -q").code == 0);
    const auto later = run("profile merge " + q(p) + " " + q(again) + " -o " + q(s.file("m.dgp")) + " -q");
    CHECK(later.code == 64);
    CHECK(later.err.find(again + " holds the same rows as " + p) != std::string::npos);
    CHECK_FALSE(fs::exists(s.file("m.dgp")));
    // ... and under another spelling of its path (the source differs, the rows do not).
    const std::string other = s.file("other.dgp");
    REQUIRE(run("profile build " + q(s.file("./ref.csv")) + " -o " + q(other) + " -q").code == 0);
    const auto spelled = run("profile merge " + q(p) + " " + q(other) + " -o " + q(s.file("m.dgp")) + " -q");
    CHECK(spelled.code == 64);
    CHECK(spelled.err.find(other + " holds the same rows as " + p) != std::string::npos);
    CHECK_FALSE(fs::exists(s.file("m.dgp")));
    // A file of the same name with other rows (rotated, or in another directory) is a shard.
    const auto rotated = s.write("ref2.csv", rows("a,score", 50, [](int i) { return num(i % 5) + ",0." + num(i % 9 + 1); }));
    REQUIRE(run("profile build " + q(rotated) + " -o " + q(s.file("b.dgp")) + " -q").code == 0);
    CHECK(run("profile merge " + q(p) + " " + q(s.file("b.dgp")) + " -o " + q(s.file("m.dgp")) + " -q").code == 0);
}

TEST_CASE("fail closed: the wrong file (no monitored column in both) is exit 65", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,b", 20, [](int i) { return num(i) + "," + num(i); }));
    const auto other = s.write("other.csv", rows("x,y", 20, [](int i) { return num(i) + "," + num(i); }));
    const auto r = run("drift " + q(ref) + " " + q(other) + " --format json");
    CHECK(r.code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.find("nothing could be judged") != std::string::npos);
    CHECK(r.err.find("a, b") != std::string::npos);
    CHECK(r.err.find("x, y") != std::string::npos);
    // The right file with another delimiter: the same refusal, and a hint.
    const auto semi = s.write("semi.csv", rows("a;b", 20, [](int i) { return num(i) + ";" + num(i); }));
    const auto d = run("drift " + q(ref) + " " + q(semi));
    CHECK(d.code == 65);
    CHECK(d.err.find("did you mean --delimiter ';'?") != std::string::npos);
    // Both files separated by ';': read with ',', each header is one column of texts, which drift
    // judged (exit 2 on its texts) and profile build profiled. Refused, with the hint.
    const auto semi2 = s.write("semi2.csv", rows("a;b", 20, [](int i) { return num(i + 1) + ";" + num(i); }));
    for (const std::string& args : {"drift " + q(semi) + " " + q(semi2), "drift " + q(semi) + " " + q(semi2) + " --columns a",
                                    "check --reference " + q(semi) + " --current " + q(semi2),
                                    "profile build " + q(semi) + " -o " + q(s.file("semi.dgp"))}) {
        INFO(args);
        const auto r = run(args);
        CHECK(r.code == 65);
        CHECK(r.err.find(semi + ": the header is one column, \"a;b\", which another delimiter would split; did you mean "
                               "--delimiter ';'? (or [input] delimiter)") != std::string::npos);
    }
    CHECK_FALSE(fs::exists(s.file("semi.dgp")));
    CHECK(run("drift " + q(semi) + " " + q(semi2) + " --delimiter ';' --score ''").code != 65);
}

TEST_CASE("fail closed: a profile where a CSV snapshot is needed, and too few defaults, name the file", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,b", 40, [](int i) { return num(i) + "," + num(i % 7); }));
    const auto dgp = s.file("ref.dgp");
    REQUIRE(run("profile build " + q(ref) + " -o " + q(dgp) + " -q").code == 0);
    // A profile stands for the reference only: as the current file it is refused, not parsed as CSV.
    for (const std::string& args : {"drift " + q(ref) + " " + q(dgp), "check --reference " + q(ref) + " --current " + q(dgp),
                                    "proxy " + q(dgp) + " --score a"}) {
        INFO(args);
        const auto r = run(args);
        CHECK(r.code == 64);
        CHECK(r.err.find(dgp + ": a driftgate profile, where a CSV snapshot is needed") != std::string::npos);
    }
    // One default among four rows: no DeLong interval; the error names the file and the label.
    const auto one = s.write("one.csv", "s,y\n0.1,0\n0.2,0\n0.9,1\n0.3,0\n");
    const auto r = run("perf " + q(one) + " --score s --label y");
    CHECK(r.code == 65);
    CHECK(r.err.find(one + ": column \"y\": 1 defaults and 3 non-defaults") != std::string::npos);
}

TEST_CASE("fail closed: cells that do not fit the reference's kind", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("x,score", 100, [](int i) { return num(i) + ",0.2"; }));
    const auto cur = s.write("cur.csv", rows("x,score", 100, [](int i) { return (i == 41 ? std::string("N/A") : num(i)) + ",0.2"; }));
    // By default an error at its place (data row 42 is line 43).
    auto r = run("drift " + q(ref) + " " + q(cur) + " --format json");
    CHECK(r.code == 65);
    CHECK(r.err.find("cur.csv:43:1: column \"x\"") != std::string::npos);
    CHECK(r.err.find("\"x\"") != std::string::npos);
    CHECK(r.err.find("N/A") != std::string::npos);
    // With on_bad_value = "missing": counted as missing, a data-quality check (warning), reported.
    const auto cfg = s.write("c.toml", "[input]\non_bad_value = \"missing\"\n");
    r = run("drift " + q(ref) + " " + q(cur) + " --format json --config " + q(cfg));
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = r.report();
    const auto bad = find(j, "bad_values", "x");
    REQUIRE(bad.is_object());
    CHECK(bad["section"] == "data_quality");
    CHECK(bad["severity"] == "warning");
    CHECK(bad["count"] == 1);
    CHECK(bad["first"].get<std::string>().find("cur.csv:43:1") != std::string::npos);
    CHECK(j["status"] == "warning");
    // The missing share went from 0 to 1/100.
    CHECK(find(j, "missing_share", "x")["current_share"].get<double>() == 0.01);
}

TEST_CASE("fail closed: new, constant, empty and out-of-range columns are reported", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("x,k,e", 1000, [](int i) { return num(i % 100) + "," + num(i % 3) + "," + num(i % 10); }));
    // k constant, e all missing, x: 10% of the values at 500 (outside [0, 99]), a new column n.
    const auto cur = s.write("cur.csv", rows("x,k,e,n", 1000, [](int i) {
        return (i % 10 == 0 ? std::string("500") : num(i % 100)) + ",1,," + num(i);
    }));
    const auto r = run("drift " + q(ref) + " " + q(cur) + " --format json --score ''");
    INFO(r.err);
    CHECK(r.code == 2);  // a report, not exit 65: the empty column is a critical breach
    const auto j = r.report();
    CHECK(find(j, "new_column", "n")["severity"] == "info");
    CHECK(find(j, "constant", "k")["severity"] == "warning");
    CHECK(find(j, "all_missing", "e")["severity"] == "critical");
    const auto psi_e = find(j, "psi", "e");
    REQUIRE(psi_e.is_object());
    CHECK(psi_e["value"].is_null());  // undefined: judged as a breach
    CHECK(psi_e["severity"] == "critical");
    const auto oor = find(j, "out_of_range", "x");
    CHECK(oor["value"].get<double>() == 0.1);  // 100 of 1000 values are 500
    CHECK(oor["severity"] == "critical");       // >= 0.05
    // 99.95% missing is a report too: the missing share rose by 0.9995, critical.
    const auto almost = s.write("almost.csv", rows("x,k,e", 2000, [](int i) {
        return (i == 0 ? std::string("5") : std::string("")) + ",1," + num(i % 10);
    }));
    const auto a = run("drift " + q(ref) + " " + q(almost) + " --format json --score ''");
    CHECK(a.code == 2);
    const auto ms = find(a.report(), "missing_share", "x");
    CHECK(ms["value"].get<double>() == Approx(0.9995).epsilon(1e-12));
    CHECK(ms["severity"] == "critical");
}

TEST_CASE("unnamed columns: pandas' index and a delimiter ending every line are noted, not monitored", "[e2e][fail-closed]") {
    scratch s;
    // pandas.DataFrame.to_csv writes its index first, under no name: 0..999 and 0..499 here, which
    // PSI and KS would call drift (the row counts differ), under a name no report can show.
    auto x = [](int i) { return num(i % 7); };
    const auto ref = s.write("ref.csv", rows(",x", 1000, [&](int i) { return num(i) + "," + x(i); }));
    const auto cur = s.write("cur.csv", rows(",x", 500, [&](int i) { return num(i) + "," + x(i); }));
    auto r = run("drift " + q(ref) + " " + q(cur) + " --format json --score ''");
    INFO(r.err);
    CHECK(r.code == 0);
    auto j = r.report();
    for (const auto& c : j["checks"]) CHECK(c.value("column", "?") != "");
    REQUIRE(j["notes"].size() == 1);
    CHECK(j["notes"][0].get<std::string>().find("column 1 of the reference (" + ref + ") has no name: not monitored") == 0);
    // The same with a delimiter at the end of every line: an unnamed last column of empty values,
    // which was judged all_missing (critical) under the name "-".
    const auto tref = s.write("tref.csv", rows("x,", 1000, [&](int i) { return x(i) + ","; }));
    const auto tcur = s.write("tcur.csv", rows("x,", 500, [&](int i) { return x(i) + ","; }));
    r = run("drift " + q(tref) + " " + q(tcur) + " --format json --score ''");
    INFO(r.err);
    CHECK(r.code == 0);
    j = r.report();
    REQUIRE(j["notes"].size() == 1);
    CHECK(j["notes"][0].get<std::string>().find("column 2 of the reference") == 0);
    // The drift in x is still found; and a saved profile leaves the unnamed column out as well.
    const auto drifted = s.write("drifted.csv", rows("x,", 500, [](int i) { return num(i % 2) + ","; }));
    CHECK(run("drift " + q(tref) + " " + q(drifted) + " --score ''").code == 2);
    const auto dgp = s.file("ref.dgp");
    REQUIRE(run("profile build " + q(ref) + " -o " + q(dgp) + " --score ''").code == 0);
    r = run("drift " + q(dgp) + " " + q(cur) + " --format json --score ''");
    CHECK(r.code == 0);
    CHECK(r.report()["notes"][0].get<std::string>().find("column 1 of the reference") == 0);
    // Nothing monitored but the unnamed column: nothing to judge, exit 65.
    const auto cfg = s.write("exclude.toml", "[columns]\nexclude = [\"x\"]\n");
    r = run("drift " + q(ref) + " " + q(cur) + " --score '' --config " + q(cfg));
    CHECK(r.code == 65);
    CHECK(r.err.find("nothing could be judged") != std::string::npos);
}

TEST_CASE("fail closed: a value the reference never had is not hidden in an outer bin", "[e2e][fail-closed]") {
    scratch s;
    // A flag always 0 in the reference, 1 in half of the current rows.
    const auto ref = s.write("ref.csv", rows("flag,code", 100, [](int i) { return "0," + num(i % 3); }));
    const auto cur = s.write("cur.csv", rows("flag,code", 100, [](int i) { return num(i % 2) + "," + (i % 3 == 2 ? "9" : num(i % 3)); }));
    const auto r = run("drift " + q(ref) + " " + q(cur) + " --format json --score ''");
    INFO(r.err);
    const auto j = r.report();
    // PSI over the value bin 0 (shares 1 -> 0.5) and the unseen bin (0, smoothed to 1e-4, -> 0.5).
    const double eps = 1e-4;
    const double flag_psi = (0.5 - 1.0) * std::log(0.5 / 1.0) + (0.5 - eps) * std::log(0.5 / eps);
    const auto flag = find(j, "psi", "flag");
    CHECK(flag["value"].get<double>() == Approx(flag_psi).epsilon(1e-12));
    CHECK(flag["kind"] == "discrete");
    CHECK(find(j, "unseen_values", "flag")["value"].get<double>() == 0.5);
    // Codes {0, 1, 2} -> {0, 1, 9}: the 2s (34 of 100 in the reference at i % 3 == 2) became 9s.
    const double r2 = 33.0 / 100.0, code_psi = (eps - r2) * std::log(eps / r2) + (r2 - eps) * std::log(r2 / eps);
    CHECK(find(j, "psi", "code")["value"].get<double>() == Approx(code_psi).epsilon(1e-12));
    CHECK(find(j, "unseen_values", "code")["value"].get<double>() == 0.33);
    CHECK(r.code == 2);
}

TEST_CASE("kinds: booleans and texts are monitored", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("young,status", 1000, [](int i) {
        return std::string(i % 4 == 0 ? "True" : "False") + "," + (i % 2 ? "A11" : "A12");
    }));
    const auto cur = s.write("cur.csv", rows("young,status", 1000, [](int i) {
        return std::string(i % 2 == 0 ? "True" : "False") + "," + (i % 2 ? "A11" : "A12");
    }));
    const auto r = run("drift " + q(ref) + " " + q(cur) + " --format json --score ''");
    INFO(r.err);
    const auto j = r.report();
    // young: 25% -> 50% True; chi-square on [[250, 750], [500, 500]] with Yates' correction:
    // E = [[375, 625], [375, 625]], |O - E| = 125 -> 124.5, X2 = 124.5^2 (2/375 + 2/625) = 132.2688.
    const auto chi2 = find(j, "chi2", "young");
    REQUIRE(chi2.is_object());
    CHECK(chi2["kind"] == "discrete");
    CHECK(chi2["statistic"].get<double>() == Approx(124.5 * 124.5 * (2.0 / 375 + 2.0 / 625)).epsilon(1e-12));
    CHECK(chi2["severity"] == "critical");
    const auto status = find(j, "chi2", "status");
    CHECK(status["kind"] == "categorical");
    CHECK(status["statistic"].get<double>() == 0.0);  // same shares, Yates' correction: |O - E| = 0
    CHECK(find(j, "psi", "status")["value"].get<double>() == 0.0);
    // A column of booleans in the reference and numbers in the current file changed kind.
    const auto nums = s.write("nums.csv", rows("young,status", 1000, [](int i) {
        return std::string(i % 4 == 0 ? "1" : "0") + "," + (i % 2 ? "A11" : "A12");
    }));
    const auto k = run("drift " + q(ref) + " " + q(nums) + " --format json --score ''");
    CHECK(find(k.report(), "kind_changed", "young")["severity"] == "critical");
}

TEST_CASE("scores: probabilities, points, direction; labels optional", "[e2e][fail-closed]") {
    scratch s;
    // Points: 300..849, lower is riskier; defaults at the low end.
    const auto pts = s.write("pts.csv", rows("points,default", 100, [](int i) {
        return num(300 + 5 * i) + "," + (i < 30 ? "1" : "0");
    }));
    auto r = run("perf " + q(pts) + " --score points --label default");
    CHECK(r.code == 65);
    CHECK(r.err.find("probabilities must lie in [0, 1]") != std::string::npos);
    const auto pts2 = s.copy(pts);  // the current snapshot: another file, the same rows
    const auto cfg = s.write("pts.toml", "[performance]\nscore_kind = \"points\"\nhigher_is_riskier = false\nthreshold = 450\n");
    r = run("perf " + q(pts) + " --score points --label default --format json --config " + q(cfg));
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = r.report();
    CHECK(find(j, "auc", "points")["value"].get<double>() == 1.0);  // every default scores below every other row
    // score <= 450 predicts default: rows 0..30 (300..450), of which 30 defaults: recall 1, precision 30/31.
    CHECK(find(j, "recall", "points")["value"].get<double>() == 1.0);
    CHECK(find(j, "precision", "points")["value"].get<double>() == Approx(30.0 / 31.0).epsilon(1e-15));
    CHECK(find(j, "brier", "points").is_null());  // needs probabilities
    // --threshold on the command line takes points as the configuration does: score <= 400 predicts
    // default, rows 0..20 (300..400), all of them defaults: recall 21/30, precision 1.
    r = run("perf " + q(pts) + " --score points --label default --format json --threshold 400 --config " + q(cfg));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(find(r.report(), "recall", "points")["value"].get<double>() == Approx(21.0 / 30.0).epsilon(1e-15));
    CHECK(find(r.report(), "precision", "points")["value"].get<double>() == 1.0);
    r = run("perf " + q(pts) + " --score points --label default --threshold inf --config " + q(cfg));
    CHECK(r.code == 64);
    CHECK(r.err.rfind("driftgate: error: --threshold: must be a finite number: inf", 0) == 0);
    // check without labels in the current file: performance skipped with a note; required: a breach.
    const auto ref = s.write("ref.csv", rows("x,score,default", 100, [](int i) { return num(i % 10) + ",0.2," + num(i % 2); }));
    const auto cur = s.write("cur.csv", rows("x,score", 100, [](int i) { return num(i % 10) + ",0.2"; }));
    r = run("check --reference " + q(ref) + " --current " + q(cur) + " --format json");
    INFO(r.err);
    CHECK(find(r.report(), "auc", "score").is_null());
    CHECK(r.report()["notes"].dump().find("performance checks skipped") != std::string::npos);
    const auto req = s.write("req.toml", "[performance]\nrequired = true\n");
    r = run("check --reference " + q(ref) + " --current " + q(cur) + " --format json --config " + q(req));
    CHECK(find(r.report(), "missing_label", "default")["severity"] == "critical");
    CHECK(r.code == 2);
    // [columns] label = "" means no performance section.
    const auto nolabel = s.write("nolabel.toml", "[columns]\nlabel = \"\"\n");
    r = run("check --reference " + q(ref) + " --current " + q(s.copy(ref)) + " --format json --config " + q(nolabel));
    INFO(r.err);
    REQUIRE(r.code != 65);
    for (const auto& c : r.report()["checks"]) CHECK(c["section"] != "performance");
    CHECK(r.report()["notes"].dump().find("[columns] label is empty: performance checks skipped") != std::string::npos);
    // --label '' and --score '' say the same on the command line: notes of what is skipped.
    r = run("check --reference " + q(ref) + " --current " + q(s.copy(ref)) + " --format json --label '' --score ''");
    INFO(r.err);
    REQUIRE(r.code <= 2);
    CHECK(find(r.report(), "csi", "score").is_null());
    CHECK(r.report()["notes"].dump().find("[columns] label is empty: performance checks skipped") != std::string::npos);
    CHECK(r.report()["notes"].dump().find("[columns] score is empty: the proxies are not computed") != std::string::npos);
    // ... but with [performance] required = true it is a breach: the run passed (exit 0) without
    // judging performance. The same with no score named.
    for (const auto& [text, name] : {std::pair{"[columns]\nlabel = \"\"\n[performance]\nrequired = true\n", "missing_label"},
                                     std::pair{"[columns]\nscore = \"\"\n[performance]\nrequired = true\n", "missing_score"}}) {
        INFO(text);
        r = run("check --reference " + q(ref) + " --current " + q(s.copy(ref)) + " --format json --config " +
                q(s.write("required.toml", text)));
        CHECK(r.code == 2);
        CHECK(find(r.report(), name, "")["severity"] == "critical");
        CHECK(find(r.report(), "auc", "score").is_null());
    }
}

TEST_CASE("fail closed: a configuration nested too deep by its key paths is exit 65 at its place", "[e2e][fail-closed]") {
    // A dotted key or a table header of 40,000 parts nests that many tables: the TOML parser
    // crashed on them (signal 11). Refused before parsing, with the place.
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,b", 40, [](int i) { return num(i) + "," + num(i % 7); }));
    std::string path = "x";
    for (int i = 1; i < 40000; ++i) path += ".x";
    struct bad {
        std::string name, text, place;
    };
    for (const bad& b : {bad{"key.toml", path + " = 1\n", "key.toml:1:256: "},
                         bad{"header.toml", "[" + path + "]\n", "header.toml:1:257: "},
                         bad{"tables.toml", "[[" + path + "]]\n", "tables.toml:1:258: "},
                         bad{"quoted.toml", "[drift]\n\"x\"." + path + " = 1\n", "quoted.toml:2:"}}) {
        INFO(b.name);
        const auto cfg = s.write(b.name, b.text);
        for (const std::string& cmd : {"drift " + q(ref) + " " + q(s.copy(ref)), "check --reference " + q(ref) + " --current " + q(s.copy(ref))}) {
            const auto r = run(cmd + " --config " + q(cfg));
            CHECK(r.code == 65);
            CHECK(r.out.empty());
            CHECK(r.err.find(b.place) != std::string::npos);
            CHECK(r.err.find("key path too long") != std::string::npos);
            CHECK(r.err.find("nested too deep") != std::string::npos);
        }
    }
}

TEST_CASE("fail closed: out of memory is exit 71 with a message, never an abort", "[e2e][fail-closed]") {
    // 100,000 columns of 50 rows need about 1.2 GiB of address space (a statistics task per
    // column). Under smaller limits thousands of tasks fail with bad_alloc at once: keeping an
    // exception per failed task exhausted the runtime's emergency pool and the process aborted
    // ("terminate called without an active exception", signal 6).
    if (sanitized_binary) {
        WARN("skipped: AddressSanitizer reserves terabytes of address space, so ulimit -v cannot apply");
        return;
    }
    scratch s;
    constexpr int columns = 100000, n = 50;
    std::string text;
    text.reserve(std::size_t{columns} * (n + 1) * 2 + std::size_t{columns} * 8);
    for (int j = 0; j < columns; ++j) text += (j ? ",c" : "c") + num(j);
    text += '\n';
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < columns; ++j) {
            if (j) text += ',';
            text += static_cast<char>('0' + (i * 7 + j * 13 + i * j) % 10);
        }
        text += '\n';
    }
    const auto wide = s.write("wide.csv", text);
    const auto wide_copy = s.copy(wide);
    text = {};
    const auto out = s.file("stdout"), err = s.file("stderr");
    for (const int limit_kb : {400000, 600000, 800000}) {
        for (const int threads : {1, 2}) {
            if (threads == 1 && limit_kb != 600000) continue;
            const std::string cmd = "timeout -s KILL 300 sh -c " +
                                    q("ulimit -v " + std::to_string(limit_kb) + " && exec \"$0\" \"$@\"") + " " + q(exe) +
                                    " drift " + q(wide) + " " + q(wide_copy) + " --score '' --threads " + std::to_string(threads) +
                                    " >" + q(out) + " 2>" + q(err) + " </dev/null";
            const int status = std::system(cmd.c_str());
            REQUIRE(WIFEXITED(status));
            const int code = WEXITSTATUS(status);
            const std::string e = slurp(err);
            INFO("ulimit -v " << limit_kb << ", --threads " << threads << ": exit " << code << "\n" << e.substr(0, 2000));
            CHECK(code != 134);  // abort
            CHECK(code != 139);  // segmentation fault
            CHECK(code == 71);
            CHECK(e.find("driftgate: error: out of memory") != std::string::npos);
            CHECK(slurp(out).empty());
        }
    }
}

TEST_CASE("fail closed: a file that can neither be mapped nor held says so (address space), exit 71", "[e2e][fail-closed]") {
    // Under `ulimit -v`, mapping a file larger than what is left of the address space fails and the
    // file is read as a stream, which runs out of memory too: the message names both, not the
    // advice for a pipe ("write it to a file first"). A sparse file of 300 MiB: a header, one
    // record, zeros.
    if (sanitized_binary) {
        WARN("skipped: AddressSanitizer reserves terabytes of address space, so ulimit -v cannot apply");
        return;
    }
    scratch s;
    const auto big = s.write("big.csv", "a,b\n1,2\n");
    fs::resize_file(big, std::uintmax_t{300} << 20);
    const auto out = s.file("stdout"), err = s.file("stderr");
    for (const std::string& input : {q(big), "- <" + q(big)}) {
        const std::string cmd = "timeout -s KILL 120 sh -c " + q("ulimit -v 150000 && exec \"$0\" \"$@\"") + " " + q(exe) +
                                " perf " + input + " --score a --label b >" + q(out) + " 2>" + q(err);
        const int status = std::system(cmd.c_str());
        REQUIRE(WIFEXITED(status));
        const std::string e = slurp(err);
        INFO(input << ": exit " << WEXITSTATUS(status) << "\n" << e);
        CHECK(WEXITSTATUS(status) == 71);
        CHECK(slurp(out).empty());
        if (input == q(big)) {
            CHECK(e.find(big + ": not enough memory to hold the file (") != std::string::npos);
            CHECK(e.find("it could not be mapped either (mmap: ") != std::string::npos);
            CHECK(e.find("ulimit -v") != std::string::npos);
        } else {
            CHECK(e.find("standard input: not enough memory to hold the stream (") != std::string::npos);
            CHECK(e.find("write it to a file first") != std::string::npos);
        }
    }
}

TEST_CASE("fail closed: points without a decision threshold: perf and check refuse, at score_kind's place", "[e2e][fail-closed]") {
    scratch s;
    // Points 300..795, lower is riskier, the 30 lowest are defaults (as above).
    const auto pts = s.write("pts.csv", rows("points,default", 100, [](int i) { return num(300 + 5 * i) + "," + (i < 30 ? "1" : "0"); }));
    const auto pts2 = s.copy(pts);
    // Line 3, column 14: score_kind's value. Judged at the default 0.12 before, every score was
    // "predicted default" (<= 0.12 with higher_is_riskier = false: none; >= with true: all), and
    // recall and precision were shown as numbers the model never made.
    const auto cfg = s.write("pts.toml", "[performance]\nhigher_is_riskier = false\nscore_kind = \"points\"\n");
    const std::string why = "pts.toml:3:14: key 'performance.score_kind': \"points\" needs a decision threshold in the score's own units";
    auto r = run("perf " + q(pts) + " --score points --label default --config " + q(cfg));
    CHECK(r.code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.find(why) != std::string::npos);
    r = run("check --reference " + q(pts) + " --current " + q(pts2) + " --score points --label default --config " + q(cfg));
    CHECK(r.code == 65);
    CHECK(r.err.find(why) != std::string::npos);
    CHECK(r.err.find("(or set [checks] performance = false)") != std::string::npos);
    // --threshold gives it: score <= 400 predicts default, rows 0..20, all defaults: recall 21/30.
    r = run("perf " + q(pts) + " --score points --label default --format json --threshold 400 --config " + q(cfg));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(find(r.report(), "recall", "points")["value"].get<double>() == Approx(21.0 / 30.0).epsilon(1e-15));
    // drift judges no recall: no threshold needed; neither does check with performance off.
    r = run("drift " + q(pts) + " " + q(pts2) + " --score points --config " + q(cfg));
    CHECK(r.code == 0);
    const auto off = s.write("off.toml", "[checks]\nperformance = false\n[performance]\nscore_kind = \"points\"\n");
    r = run("check --reference " + q(pts) + " --current " + q(pts2) + " --score points --label default --config " + q(off));
    INFO(r.err);
    CHECK(r.code == 0);
}

TEST_CASE("fail closed: a scorer that stopped scoring: proxy and estimate judge the score's missing share", "[e2e][fail-closed]") {
    scratch s;
    // 6000 rows, the first 10 scored (PDs 0.05 .. 0.50), the others empty: 5990 / 6000 missing.
    const auto sparse = s.write("sparse.csv", rows("id,score", 6000, [](int i) {
        return num(i) + "," + (i < 10 ? "0." + std::string(i == 9 ? "5" : "0" + num(i + 1)) : std::string());
    }));
    for (const std::string cmd : {"proxy", "estimate"}) {
        INFO(cmd);
        // exit 0 before: the proxies and estimates of the 10 scored rows, "OK".
        const auto r = run(cmd + " " + q(sparse) + " --score score --format json");
        INFO(r.err);
        CHECK(r.code == 2);
        const auto m = find(r.report(), "missing_share", "score");
        CHECK(m["severity"] == "critical");
        CHECK(m["value"].get<double>() == 5990.0 / 6000.0);
    }
    // None scored: nothing to judge, exit 65 naming the file first.
    const auto none = s.write("none.csv", rows("id,score", 100, [](int i) { return num(i) + ","; }));
    for (const std::string cmd : {"proxy", "estimate"}) {
        const auto r = run(cmd + " " + q(none) + " --score score");
        CHECK(r.code == 65);
        CHECK(r.err.rfind("driftgate: error: " + none + ": column \"score\": every score is missing", 0) == 0);
    }
}

TEST_CASE("fail closed: proxies of a score where lower is riskier judge nothing: proxy refuses, check notes", "[e2e][fail-closed]") {
    // Probabilities with higher_is_riskier = false: "PD above 0.5" counted the safest rows as the
    // high-risk share, and proxy passed with exit 0, the figures those of the default.
    scratch s;
    const auto pd = s.write("pd.csv", rows("x,score,default", 200, [](int i) {
        return num(i % 9) + ",0." + num(10 + i % 80) + "," + num(i % 3 == 0 ? 1 : 0);
    }));
    const auto cfg = s.write("lower.toml", "[performance]\nhigher_is_riskier = false\n");
    const std::string why = "higher_is_riskier = false: the proxies (high-risk share, mean score, approval rate) are defined for "
                            "probabilities of default, where a higher score is riskier";
    auto r = run("proxy " + q(pd) + " --score score --config " + q(cfg));
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.find(why) != std::string::npos);
    // check: the proxies skipped with a note, the rest judged.
    r = run("check --reference " + q(pd) + " --current " + q(s.copy(pd)) + " --format json --config " + q(cfg));
    INFO(r.err);
    REQUIRE(r.code <= 2);  // judged (the AUC of these scores is critical)
    CHECK(find(r.report(), "high_risk_share", "score").is_null());
    CHECK(find(r.report(), "auc", "score").is_object());
    CHECK(r.report()["notes"].dump().find("higher_is_riskier = false: the proxies (PD bands) are not computed") != std::string::npos);
}

TEST_CASE("fail closed: proxies of points judge nothing: proxy and a proxies-only check are usage errors", "[e2e][fail-closed]") {
    scratch s;
    const auto pts = s.write("pts.csv", rows("points,default", 100, [](int i) { return num(300 + 5 * i) + "," + (i < 30 ? "1" : "0"); }));
    const auto pts2 = s.copy(pts);  // the current snapshot: another file, the same rows
    const auto cfg = s.write("pts.toml", "[performance]\nscore_kind = \"points\"\nhigher_is_riskier = false\nthreshold = 450\n");
    const std::string why =
        "score_kind = \"points\": the proxies (high-risk share, mean score, approval rate) are defined for probabilities of "
        "default, and points give none";
    // proxy: "0 checks" and exit 0 before; now a usage error, whatever the format.
    for (const char* format : {"text", "json"}) {
        const auto r = run("proxy " + q(pts) + " --score points --format " + std::string(format) + " --config " + q(cfg));
        CHECK(r.code == 64);
        CHECK(r.out.empty());
        CHECK(r.err.find(why) != std::string::npos);
    }
    // check with the proxies as its only checks: the same.
    const auto only = s.write("only.toml", "[checks]\ndrift = false\ncsi = false\ndata_quality = false\nperformance = false\n"
                                           "[performance]\nscore_kind = \"points\"\n");
    auto r = run("check --reference " + q(pts) + " --current " + q(pts2) + " --score points --config " + q(only));
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.find(why) != std::string::npos);
    // No check asked at all: nothing judged, exit 65 (an empty report passed before).
    const auto none = s.write("none.toml", "[checks]\ndrift = false\ncsi = false\ndata_quality = false\nperformance = false\n"
                                           "proxies = false\n[performance]\nscore_kind = \"points\"\n");
    r = run("check --reference " + q(pts) + " --current " + q(pts2) + " --score points --label default --config " + q(none));
    CHECK(r.code == 65);
    CHECK(r.err.find("nothing could be judged") != std::string::npos);
    // With points, check judges what applies: drift, and performance where there are labels; the
    // proxies are a note.
    r = run("check --reference " + q(pts) + " --current " + q(pts2) + " --score points --label default --format json --config " + q(cfg));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(find(r.report(), "auc", "points").is_object());
    CHECK(find(r.report(), "csi", "points").is_object());
    CHECK(find(r.report(), "mean_score", "points").is_null());
    CHECK(r.report()["notes"].dump().find("proxies") != std::string::npos);
    // perf with points works as before.
    CHECK(run("perf " + q(pts) + " --score points --label default --config " + q(cfg)).code == 0);
}

TEST_CASE("fail closed: empty and NaN options, a feature section naming no column, thresholds out of order", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,b,score,default", 60, [](int i) {
        return num(i % 7) + "," + num(i % 5) + ",0." + num(i % 9 + 1) + "," + num(i % 2);
    }));
    const auto cur = s.copy(ref);  // the current snapshot: another file, the same rows
    struct bad {
        std::string args, message;
    };
    for (const bad& b : {bad{"drift " + q(ref) + " " + q(cur) + " --delimiter ''", "--delimiter: \"\" is not a field separator"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --delimiter x", "--delimiter: \"x\" is not a field separator"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --delimiter -", "--delimiter: \"-\" is not a field separator"},
                         // A byte of a UTF-8 character (the second of "\xC2\xA7"): it would cut "§" in two.
                         bad{"drift " + q(ref) + " " + q(cur) + " --delimiter " + q("\xA7"),
                             "--delimiter: \"\\xA7\" is not a field separator (one ASCII character"},
                         // A control character is shown escaped in the message, which stays on one line.
                         bad{"drift " + q(ref) + " " + q(cur) + " --delimiter " + q("\n"), "--delimiter: \"\\n\" is not a field separator"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --output ''", "--output: an empty file name"},
                         // `--NAME=` is an empty value, as getopt_long reads it: the next word is
                         // not taken as the value (a report was written to a file named "-q").
                         bad{"drift " + q(ref) + " " + q(cur) + " --output= -q", "--output: an empty file name"},
                         bad{"drift " + q(ref) + " " + q(cur) + " -q --output=", "--output: an empty file name"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --delimiter= -q", "--delimiter: \"\" is not a field separator"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --columns= -q", "column list \"\": no column named"},
                         // An empty value (a shell variable that expanded to nothing) is not the
                         // option left out: the run would go on with the defaults.
                         bad{"drift " + q(ref) + " " + q(cur) + " --config ''", "--config: an empty file name"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --config=", "--config: an empty file name"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --threads ''", "--threads: an empty value"},
                         bad{"drift " + q(ref) + " " + q(cur) + " --report= -q", "--report: an empty value (give FORMAT or FORMAT=PATH)"},
                         bad{"proxy " + q(ref) + " --score ''", "--score: a column name is needed (it is empty)"},
                         bad{"perf " + q(ref) + " --score score --label ''", "--label: a column name is needed (it is empty)"},
                         bad{"check --reference '' --current " + q(cur), "--reference: an empty file name"},
                         bad{"check --reference " + q(ref) + " --current ''", "--current: an empty file name"},
                         bad{"drift '' " + q(cur), "REFERENCE: an empty file name"},
                         bad{"perf '' --score score --label default", "DATA: an empty file name"},
                         bad{"service ''", "LOG: an empty file name"},
                         bad{"profile show ''", "PROFILE: an empty file name"},
                         bad{"perf " + q(ref) + " --score score --label default --threshold nan", "--threshold: must lie in [0, 1]: nan"},
                         bad{"perf " + q(ref) + " --score score --label default --threshold -nan", "--threshold: must lie in [0, 1]"},
                         // Beyond a double's range: which way it went, not "not a number".
                         bad{"perf " + q(ref) + " --score score --label default --threshold 1e-400",
                             "--threshold: too close to 0 for a double (write 0): 1e-400"},
                         bad{"perf " + q(ref) + " --score score --label default --threshold 1e400", "--threshold: beyond the range of a double: 1e400"},
                         bad{"perf " + q(ref) + " --score score --label default --threshold 0.5x", "--threshold: not a number: \"0.5x\""},
                         bad{"perf " + q(ref) + " --score score --label default --threshold ' 0.5'", "--threshold: not a number: \" 0.5\""},
                         // Probabilities are cut in [0, 1] (scorecard points below take any finite threshold).
                         bad{"perf " + q(ref) + " --score score --label default --threshold 30",
                             "--threshold: must lie in [0, 1]: 30 (scores are probabilities; [performance] score_kind = \"points\""}}) {
        INFO(b.args);
        const auto r = run(b.args);
        CHECK(r.code == 64);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("driftgate: error: " + b.message, 0) == 0);
    }
    // After `--` every word is a file: `--output=` names one (missing here), no option.
    {
        const auto r = run("drift -- " + q(ref) + " --output=");
        CHECK(r.code == 66);
        CHECK(r.err.find("--output=") != std::string::npos);
        CHECK(r.err.find("an empty file name") == std::string::npos);
    }
    // [features.TYPO]: a column in neither file; the message lists the columns there are.
    const auto typo = s.write("typo.toml", "[features.TYPO]\nkind = \"continuous\"\n");
    auto r = run("drift " + q(ref) + " " + q(cur) + " --config " + q(typo));
    CHECK(r.code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.find("typo.toml:1:11: [features.\"TYPO\"] names a column in neither file") != std::string::npos);
    CHECK(r.err.find("a, b, score, default") != std::string::npos);
    // [importance] TYPO: it took b's top-1 place, and b's critical PSI was capped at a warning.
    const auto imp = s.write("imp.toml", "[drift]\ntop_k = 1\n[importance]\nA = 0.9\nb = 0.1\n");
    r = run("drift " + q(ref) + " " + q(cur) + " --config " + q(imp));
    CHECK(r.code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.find("imp.toml:4:1: [importance] \"A\" names a column in neither file (reference columns: a, b, score, default)") !=
          std::string::npos);
    // [columns] exclude TYPO: the column it meant (an ID) would be monitored.
    const auto ex = s.write("ex.toml", "[columns]\nexclude = [\"b\", \"ID\"]\n");
    r = run("drift " + q(ref) + " " + q(cur) + " --config " + q(ex));
    CHECK(r.code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.find("ex.toml:2:17: [columns] exclude \"ID\" names a column in neither file (reference columns: a, b, score, "
                     "default)") != std::string::npos);
    r = run("profile build " + q(ref) + " -o " + q(s.file("ex.dgp")) + " --config " + q(ex));
    CHECK(r.code == 65);
    CHECK(r.err.find("ex.toml:2:17: [columns] exclude \"ID\" names no column of " + ref) != std::string::npos);
    CHECK_FALSE(fs::exists(s.file("ex.dgp")));
    // A name that looks like a real one (a trailing space) is shown quoted, at its key.
    const auto spaced = s.write("spaced.toml", "[drift]\nbins = 5\n\n[features.\"b \"]\nkind = \"continuous\"\n");
    r = run("drift " + q(ref) + " " + q(cur) + " --config " + q(spaced));
    CHECK(r.code == 65);
    CHECK(r.err.find("spaced.toml:4:11: [features.\"b \"] names a column in neither file") != std::string::npos);
    // Warning and critical bounds in the wrong order: the key is named.
    for (const auto& [text, key] : {std::pair{"[drift.psi]\nwarning = 0.3\ncritical = 0.2\n", "key 'drift.psi'"},
                                    {"[drift.ks_pvalue]\nwarning = 0.001\ncritical = 0.01\n", "key 'drift.ks_pvalue'"},
                                    {"[performance.auc]\nwarning = 0.7\ncritical = 0.75\n", "key 'performance.auc'"}}) {
        INFO(text);
        const auto cfg = s.write("order.toml", text);
        r = run("check --reference " + q(ref) + " --current " + q(s.copy(ref)) + " --config " + q(cfg));
        CHECK(r.code == 65);
        CHECK(r.out.empty());
        CHECK(r.err.find("order.toml:1:1: ") != std::string::npos);  // the table's place
        CHECK(r.err.find(key) != std::string::npos);
        CHECK(r.err.find("in the wrong order") != std::string::npos);
    }
}

TEST_CASE("fail closed: CR-only line ends and UTF-16 are named; a quoted --columns selection is read", "[e2e][fail-closed]") {
    scratch s;
    std::vector<std::string> lines{"a,b,score"};
    for (int i = 0; i < 60; ++i) lines.push_back(num(i % 7) + "," + num(i % 5) + ",0." + num(i % 9 + 1));
    std::string lf, cr, crlf;
    for (const auto& l : lines) lf += l + "\n", cr += l + "\r", crlf += l + "\r\n";
    const auto ok = s.write("ok.csv", lf), mac = s.write("mac.csv", cr);
    // UTF-16 with a byte-order mark, little- and big-endian (Excel's "Unicode text").
    std::string le = "\xFF\xFE", be = "\xFE\xFF";
    for (const char c : crlf) le += std::string{c, '\0'}, be += std::string{'\0', c};
    const auto u16le = s.write("u16le.csv", le), u16be = s.write("u16be.csv", be);
    struct bad {
        std::string path, message;
    };
    for (const bad& b : {bad{mac, "mac.csv:1:"}, bad{u16le, "u16le.csv: UTF-16 text"}, bad{u16be, "u16be.csv: UTF-16 text"}}) {
        for (const std::string& args : {"drift " + q(ok) + " " + q(b.path), "drift " + q(b.path) + " " + q(ok),
                                        "proxy " + q(b.path) + " --score score"}) {
            INFO(args);
            const auto r = run(args);
            CHECK(r.code == 65);
            CHECK(r.out.empty());
            CHECK(r.err.find(b.message) != std::string::npos);
        }
    }
    CHECK(run("drift " + q(ok) + " " + q(mac)).err.find("carriage return alone") != std::string::npos);
    CHECK(run("drift " + q(ok) + " " + q(u16le)).err.find("iconv -f UTF-16 -t UTF-8") != std::string::npos);
    // A header name holding the delimiter, selected with CSV quoting in --columns.
    const auto quoted = s.write("quoted.csv", rows("\"a,b\",score,c", 60, [](int i) {
        return num(i % 7) + ",0." + num(i % 9 + 1) + "," + num(i % 3);
    }));
    const auto r = run("drift " + q(quoted) + " " + q(s.copy(quoted)) + " --columns '\"a,b\",c' --score score --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(find(r.report(), "psi", "a,b")["value"].get<double>() == 0.0);
    CHECK(find(r.report(), "psi", "c").is_object());
    CHECK(find(r.report(), "csi", "score").is_object());
    CHECK(find(r.report(), "psi", "a").is_null());
    // Unquoted, a,b are two columns, and the file has no column "a".
    const auto u = run("drift " + q(quoted) + " " + q(s.copy(quoted)) + " --columns 'a,b,c' --score score");
    CHECK(u.code == 65);
    CHECK(u.err.find("no column \"a\"") != std::string::npos);
}

TEST_CASE("fail closed: the label or the score in --columns is a usage error naming --columns", "[e2e][fail-closed]") {
    scratch s;
    const auto ref = s.write("ref.csv", rows("a,b,score,default", 60, [](int i) {
        return num(i % 7) + "," + num(i % 5) + ",0." + num(i % 9 + 1) + "," + num(i % 2);
    }));
    for (const auto& [columns, message] :
         {std::pair{"a,default", "--columns: the label column \"default\" is listed as a feature"},
          {"score,b", "--columns: the score column \"score\" is listed as a feature"}}) {
        INFO(columns);
        const auto r = run("drift " + q(ref) + " " + q(s.copy(ref)) + " --columns " + columns + " --score score");
        CHECK(r.code == 64);
        CHECK(r.out.empty());
        CHECK(r.err.find(message) != std::string::npos);
        CHECK(r.err.find("columns.features") == std::string::npos);
    }
    // From the configuration, the message names its key.
    const auto cfg = s.write("f.toml", "[columns]\nfeatures = [\"a\", \"default\"]\n");
    const auto r = run("drift " + q(ref) + " " + q(s.copy(ref)) + " --config " + q(cfg));
    CHECK(r.code == 65);
    CHECK(r.err.find(":2:12: key 'columns.features': the label column \"default\" is listed as a feature") != std::string::npos);
    // A valid configuration made invalid by an option: a usage error naming the option.
    const auto lab = s.write("lab.toml", "[columns]\nlabel = \"b\"\n");
    const auto mixed = run("drift " + q(ref) + " " + q(s.copy(ref)) + " --config " + q(lab) + " --score b");
    CHECK(mixed.code == 64);
    CHECK(mixed.err.find("error: --score \"b\": the score and the label are the same column \"b\"") != std::string::npos);
}

TEST_CASE("kinds: a column of texts in the reference and of numbers or booleans in the current file changed kind", "[e2e][fail-closed]") {
    scratch s;
    const char* grades[] = {"A", "B", "C", "D"};
    const auto ref = s.write("ref.csv", rows("grade,x", 400, [&](int i) { return std::string(grades[i % 4]) + "," + num(i % 10); }));
    const auto nums = s.write("nums.csv", rows("grade,x", 400, [](int i) { return num(i % 4 + 1) + "," + num(i % 10); }));
    const auto bools = s.write("bools.csv", rows("grade,x", 400, [](int i) { return std::string(i % 3 ? "True" : "False") + "," + num(i % 10); }));
    const auto same = s.write("same.csv", rows("grade,x", 400, [&](int i) { return std::string(grades[(i + 1) % 4]) + "," + num(i % 10); }));
    const auto dgp = s.file("ref.dgp");
    REQUIRE(run("profile build " + q(ref) + " -o " + q(dgp) + " -q").code == 0);
    for (const std::string& reference : {ref, dgp}) {
        INFO(reference);
        auto r = run("drift " + q(reference) + " " + q(nums) + " --format json --score ''");
        INFO(r.err);
        CHECK(r.code == 2);
        auto k = find(r.report(), "kind_changed", "grade");
        REQUIRE(k.is_object());
        CHECK(k["severity"] == "critical");
        CHECK(k["note"].get<std::string>().find("text in the reference, number in the current file") != std::string::npos);
        r = run("drift " + q(reference) + " " + q(bools) + " --format json --score ''");
        CHECK(r.code == 2);
        k = find(r.report(), "kind_changed", "grade");
        REQUIRE(k.is_object());
        CHECK(k["note"].get<std::string>().find("text in the reference, boolean in the current file") != std::string::npos);
        // The same kind: no kind_changed.
        r = run("drift " + q(reference) + " " + q(same) + " --format json --score ''");
        CHECK(r.code == 0);
        CHECK(find(r.report(), "kind_changed", "grade").is_null());
    }
    // [schema] kind_changed sets its severity.
    const auto cfg = s.write("k.toml", "[schema]\nkind_changed = \"warning\"\n");
    const auto r = run("drift " + q(ref) + " " + q(nums) + " --format json --score '' --config " + q(cfg));
    CHECK(find(r.report(), "kind_changed", "grade")["severity"] == "warning");
}
