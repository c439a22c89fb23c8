// End-to-end tests of a prediction log as the current snapshot of drift, proxy, perf and check:
// the same figures as the same rows written as CSV, the proxy figures and the AUC against numpy /
// scikit-learn (tests/golden/service/gen_service.py), gzip and recognition by content, string
// values, and the options a log does not need.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <sstream>
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
const std::string reference = std::string(DRIFTGATE_E2E_DIR) + "/../../../examples/credit/reference.csv";

std::uint64_t fnv1a(const std::string& bytes) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// The golden snapshot log, checked against the bytes gen_service.py saw.
std::string snapshot_log(const scratch& s, const std::string& name = "current.jsonl") {
    const std::string path = s.file(name);
    REQUIRE(std::system((q(gen_logs) + " " + gs::snapshot.gen_args + " --out " + q(path)).c_str()) == 0);
    if (name.size() < 3 || name.substr(name.size() - 3) != ".gz") REQUIRE(fnv1a(slurp(path)) == gs::snapshot.fnv1a);
    return path;
}

/// The 2xx requests of a log as CSV: the input members, score (prediction.probability) and
/// default (the field `outcome`); null as an empty field; numbers as nlohmann writes them (the
/// shortest text that reads back as the same double).
std::string as_csv(const std::string& log) {
    std::istringstream in(slurp(log));
    std::string line, out;
    std::vector<std::string> cols;
    while (std::getline(in, line)) {
        // Members in the log's order (the log's header order; a report lists new columns in it).
        const nlohmann::ordered_json j = nlohmann::ordered_json::parse(line);
        const int status = j["status"].get<int>();
        if (status < 200 || status > 299) continue;
        if (cols.empty()) {
            for (const auto& [k, v] : j["input"].items()) cols.push_back(k);
            for (const auto& k : cols) out += k + ",";
            out += "score,default\n";
        }
        for (const auto& k : cols) {
            const auto& v = j["input"][k];
            out += (v.is_null() ? "" : v.dump()) + ",";
        }
        out += j["prediction"]["probability"].dump() + "," + j["outcome"].dump() + "\n";
    }
    return out;
}

json checks(const result& r) {
    INFO(r.err);
    REQUIRE(r.code < 64);
    return r.report()["checks"];
}

const json& find_check(const json& cs, const std::string& name, const std::string& column = "") {
    for (const auto& c : cs)
        if (c["check"] == name && (column.empty() || c.value("column", "") == column)) return c;
    FAIL("no check " << name);
    static json none;
    return none;
}

} // namespace

TEST_CASE("A log as the current snapshot: proxy gives the figures of the same rows as CSV, and numpy's",
          "[e2e][snapshot]") {
    scratch s;
    const auto log = snapshot_log(s);
    const auto csv = s.write("current.csv", as_csv(log));
    const auto from_log = run("proxy " + q(log) + " --format json --fail-on never");
    const auto from_csv = run("proxy " + q(csv) + " --score score --format json --fail-on never");
    REQUIRE(checks(from_log) == checks(from_csv));
    const json j = from_log.report();
    REQUIRE(j["inputs"]["data"]["rows"] == gs::snapshot.rows);
    REQUIRE(j["notes"][0].get<std::string>().find(std::to_string(gs::snapshot.others) + " request(s) answered") !=
            std::string::npos);
    const auto& cs = j["checks"];
    REQUIRE(find_check(cs, "high_risk_share")["value"].get<double>() == gs::snapshot.high_risk_share);
    REQUIRE(find_check(cs, "approval_rate")["value"].get<double>() == gs::snapshot.approval_rate);
    REQUIRE(find_check(cs, "mean_score")["value"].get<double>() == Approx(gs::snapshot.mean_score).epsilon(1e-14));
    REQUIRE(find_check(cs, "mean_score")["n"] == gs::snapshot.rows);
    // gzip, and a name that says nothing: recognised by the bytes.
    REQUIRE(std::system(("gzip -c " + q(log) + " > " + q(s.file("snap.bin"))).c_str()) == 0);
    REQUIRE(checks(run("proxy " + q(s.file("snap.bin")) + " --format json --fail-on never")) == checks(from_csv));
    REQUIRE(std::system(("cp " + q(log) + " " + q(s.file("current.txt"))).c_str()) == 0);
    REQUIRE(checks(run("proxy " + q(s.file("current.txt")) + " --format json --fail-on never")) == checks(from_csv));
    // A CSV still needs --score.
    REQUIRE(run("proxy " + q(csv)).code == 64);
    // estimate reads a log as proxy does: the CSV of the same rows' checks.
    const auto est_log = run("estimate " + q(log) + " --format json --fail-on never");
    const auto est_csv = run("estimate " + q(csv) + " --score score --format json --fail-on never");
    REQUIRE(checks(est_log) == checks(est_csv));
    REQUIRE(est_log.report()["inputs"]["current"]["rows"] == gs::snapshot.rows);
    REQUIRE(run("estimate " + q(csv)).code == 64);
    // The calibration check's labelled reference is a CSV: a log there is named as one (exit 64).
    const auto est_ref = run("estimate " + q(csv) + " --score score --reference " + q(log));
    REQUIRE(est_ref.code == 64);
    REQUIRE(est_ref.err.find("--reference " + log + ": a JSON-lines prediction log") != std::string::npos);
}

TEST_CASE("A log as the current snapshot: drift against a CSV reference equals drift on the CSV rows",
          "[e2e][snapshot]") {
    scratch s;
    const auto log = snapshot_log(s);
    const auto csv = s.write("current.csv", as_csv(log));
    const auto from_log = run("drift " + q(reference) + " " + q(log) + " --format json --fail-on never");
    const auto from_csv = run("drift " + q(reference) + " " + q(csv) + " --format json --fail-on never");
    const json a = checks(from_log), b = checks(from_csv);
    REQUIRE(a == b);
    // The features both files share (LIMIT_BAL with missing values), and the CSI of the score.
    REQUIRE(find_check(a, "psi", "LIMIT_BAL")["bins"].back()["current_count"] == gs::snapshot.limit_bal_missing);
    REQUIRE(find_check(a, "csi", "score")["n_current"] == gs::snapshot.rows);
    int psi = 0;
    for (const auto& c : a) psi += c["check"] == "psi";
    REQUIRE(psi == 11);  // PAY_0, PAY_2..6, LIMIT_BAL, utilization_1, payment_ratio_1, BILL_AMT1, AGE
    // --columns, and a string where a number belongs.
    std::string text = slurp(log);
    const auto at = text.find("\"LIMIT_BAL\": ", text.find('\n', text.find('\n') + 1));  // on line 3
    text.replace(at, text.find(',', at) - at, "\"LIMIT_BAL\": \"n/a\"");
    const auto bad = s.write("bad.jsonl", text);
    auto r = run("drift " + q(reference) + " " + q(bad) + " --columns LIMIT_BAL,PAY_0");
    REQUIRE(r.code == 65);
    // The place: line 3, the 1-based byte where the string value starts.
    const auto line3 = text.find('\n', text.find('\n') + 1) + 1;
    const auto column = text.find("\"n/a\"", line3) - line3 + 1;
    REQUIRE(r.err.find(bad + ":3:" + std::to_string(column) + ": field \"input.LIMIT_BAL\" is a string (\"n/a\"), not a number") !=
            std::string::npos);
    // Chosen by default, the column is read as the reference holds it (numbers): the same error, as
    // for a CSV cell that does not fit its column.
    r = run("drift " + q(reference) + " " + q(bad) + " --format json --fail-on never");
    REQUIRE(r.code == 65);
    REQUIRE(r.err.find(bad + ":3:" + std::to_string(column) + ": field \"input.LIMIT_BAL\"") != std::string::npos);
}

TEST_CASE("A log as the current snapshot: perf with a label field, and check", "[e2e][snapshot]") {
    scratch s;
    const auto log = snapshot_log(s);
    const auto csv = s.write("current.csv", as_csv(log));
    const auto cfg = s.write("label.toml", "[service]\nlabel_field = \"outcome\"\n");
    const auto from_log = run("perf " + q(log) + " --config " + q(cfg) + " --format json --fail-on never");
    const auto from_csv = run("perf " + q(csv) + " --score score --label default --format json --fail-on never");
    REQUIRE(checks(from_log) == checks(from_csv));
    REQUIRE(find_check(checks(from_log), "auc")["value"].get<double>() == Approx(gs::snapshot.auc).epsilon(1e-13));
    // Without a label field a log has no label: a usage error, not a guess.
    auto r = run("perf " + q(log));
    REQUIRE(r.code == 64);
    REQUIRE(r.err.find("label_field") != std::string::npos);
    // A CSV still needs --score and --label.
    REQUIRE(run("perf " + q(csv) + " --score score").code == 64);
    // check: the whole run on a log as current equals the run on the CSV rows.
    const auto check_cfg = s.write("check.toml", "[input]\nreference = \"" + reference + "\"\n"
                                                 "[columns]\nscore = \"score\"\nlabel = \"default\"\n"
                                                 "[service]\nlabel_field = \"outcome\"\n");
    const auto a = run("check --config " + q(check_cfg) + " --current " + q(log) + " --format json --fail-on never");
    const auto b = run("check --config " + q(check_cfg) + " --current " + q(csv) + " --format json --fail-on never");
    REQUIRE(checks(a) == checks(b));
    // Bad lines follow [service] on_bad_line: skipped ones make a data-quality check.
    const auto broken = s.write("broken.jsonl", slurp(log) + "{\"status\": 200, \"input\": \n");
    r = run("proxy " + q(broken));
    REQUIRE(r.code == 65);
    REQUIRE(r.err.find("broken.jsonl:") != std::string::npos);
    const auto skip = s.write("skip.toml", "[service]\non_bad_line = \"skip\"\n");
    r = run("proxy " + q(broken) + " --config " + q(skip) + " --format json --fail-on never");
    REQUIRE(r.code == 0);
    const json report = r.report();
    const auto& dq = report["checks"][0];
    REQUIRE(dq["check"] == "bad_log_lines");
    REQUIRE(dq["value"] == 1);
    REQUIRE(dq["severity"] == "warning");
}

TEST_CASE("A log piped to standard input is read as a log: the reports of the file", "[e2e][snapshot][stdin]") {
    scratch s;
    const auto log = snapshot_log(s);
    const auto cfg = s.write("label.toml", "[service]\nlabel_field = \"outcome\"\n");
    REQUIRE(std::system(("gzip -c " + q(log) + " > " + q(s.file("current.jsonl.gz"))).c_str()) == 0);
    const std::string gz = s.file("current.jsonl.gz");
    const std::string tail = " --config " + q(cfg) + " --format json --fail-on never";
    for (const std::string& feed : {"cat " + q(log), "cat " + q(gz)}) {
        INFO(feed);
        for (const char* command : {"proxy", "estimate", "perf"}) {
            INFO(command);
            const auto file = run(std::string(command) + " " + q(log) + tail);
            const auto piped = run(std::string(command) + " -" + tail, 120, false, feed);
            REQUIRE(checks(piped) == checks(file));
        }
        // drift reads the current snapshot twice (its header, then its columns): from the held text.
        for (const char* threads : {"", " --threads 1"}) {
            const auto file = run("drift " + q(reference) + " " + q(log) + tail + threads);
            REQUIRE(checks(run("drift " + q(reference) + " -" + tail + threads, 120, false, feed)) == checks(file));
        }
    }
    // A CSV on standard input is still a CSV (its first byte is not '{').
    const auto csv = s.write("current.csv", as_csv(log));
    REQUIRE(checks(run("proxy - --score score --format json --fail-on never", 120, false, "cat " + q(csv))) ==
            checks(run("proxy " + q(csv) + " --score score --format json --fail-on never")));
    // A log that breaks off in a line is placed at that line, as the file is.
    const std::string text = slurp(log);
    const std::string cut_text = text.substr(0, text.find('\n', text.size() / 2) + 20);
    const auto cut = s.write("cut.jsonl", cut_text);
    const auto last_line = std::count(cut_text.begin(), cut_text.end(), '\n') + 1;
    const auto broken = run("proxy -" + tail, 120, false, "cat " + q(cut));
    INFO(broken.err);
    REQUIRE(broken.code == 65);
    REQUIRE(broken.err.find("standard input:" + std::to_string(last_line) + ":") != std::string::npos);
    REQUIRE(broken.err.find("not valid JSON") != std::string::npos);
    // Compressed data cut short: the reading's error at once (not "--score is required for a CSV").
    const std::string packed = slurp(gz);
    const auto cut_gz = s.write("cut.jsonl.gz", packed.substr(0, packed.size() / 2));
    const auto damaged = run("proxy -", 120, false, "cat " + q(cut_gz));
    INFO(damaged.err);
    REQUIRE(damaged.code == 65);
    REQUIRE(damaged.err.find("standard input:") != std::string::npos);
    REQUIRE(damaged.err.find("truncated gzip data") != std::string::npos);
}

TEST_CASE("A log as the current snapshot: a column the reference holds as texts is read as categories",
          "[e2e][snapshot]") {
    scratch s;
    // The reference holds texts in `purpose` (and `3` as a text among them), numbers in `amount`.
    std::string ref = "purpose,amount,score\n";
    for (int i = 0; i < 40; ++i)
        ref += std::string(i % 3 == 0 ? "car" : i % 3 == 1 ? "tv" : "3") + "," + std::to_string(100 + 7 * i) + ",0." +
               std::to_string(10 + i) + "\n";
    const auto reference_csv = s.write("ref.csv", ref);
    // The log: strings, a number (its JSON text "3" is the reference's category "3"), null, an
    // absent member (both missing), a category the reference lacks.
    const char* values[] = {"\"car\"", "\"tv\"", "3", "null", nullptr, "\"boat\"", "\"car\"", "\"tv\""};
    std::string log, csv = "purpose,amount,score\n";
    for (int i = 0; i < 8; ++i) {
        const std::string amount = std::to_string(150 + 11 * i), score = "0." + std::to_string(20 + i);
        log += "{\"timestamp\": \"2025-12-26T10:15:3" + std::to_string(i) + "Z\", \"status\": 200, \"latency_ms\": 5, \"input\": {";
        if (values[i]) log += std::string("\"purpose\": ") + values[i] + ", ";
        log += "\"amount\": " + amount + "}, \"prediction\": {\"probability\": " + score + "}}\n";
        std::string cell = values[i] && std::string(values[i]) != "null" ? values[i] : "";
        if (!cell.empty() && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
        csv += cell + "," + amount + "," + score + "\n";
    }
    const auto log_path = s.write("current.jsonl", log);
    const auto csv_path = s.write("current.csv", csv);
    const auto from_log = run("drift " + q(reference_csv) + " " + q(log_path) + " --score score --format json --fail-on never");
    const auto from_csv = run("drift " + q(reference_csv) + " " + q(csv_path) + " --score score --format json --fail-on never");
    const json a = checks(from_log);
    REQUIRE(a == checks(from_csv));
    // By hand: 6 values present (car, tv, 3, boat, car, tv), one the reference lacks (boat): 1/6;
    // 2 missing of 8 rows.
    CHECK(find_check(a, "unseen_values", "purpose")["value"].get<double>() == Approx(1.0 / 6.0).epsilon(1e-15));
    CHECK(find_check(a, "missing_share", "purpose")["value"].get<double>() == Approx(2.0 / 8.0).epsilon(1e-15));
    CHECK(find_check(a, "chi2", "purpose").is_object());
    // An object where a category belongs: exit 65 naming its place.
    std::string bad = log;
    const auto at = bad.find("\"purpose\": \"tv\"");
    bad.replace(at, std::string("\"purpose\": \"tv\"").size(), "\"purpose\": {\"a\": 1}");
    const auto bad_path = s.write("bad.jsonl", bad);
    const auto r = run("drift " + q(reference_csv) + " " + q(bad_path) + " --score score");
    CHECK(r.code == 65);
    const auto line2 = bad.find('\n') + 1;
    const auto column = bad.find("{\"a\"", line2) - line2 + 1;
    CHECK(r.err.find(bad_path + ":2:" + std::to_string(column) + ": field \"input.purpose\" is an object, not a category") !=
          std::string::npos);
}

TEST_CASE("A compressed log as the current snapshot: --threads 1 runs on one thread", "[e2e][snapshot]") {
    // About 70,000 requests, gzip: decompressed on a thread of its own beside the parse, but by the
    // reading thread itself with --threads 1.
    scratch s;
    const std::string log = s.file("big.jsonl");
    REQUIRE(std::system((q(gen_logs) + " --minutes 120 --rps 10 --seed 5 --label outcome --out " + q(log)).c_str()) == 0);
    REQUIRE(std::system(("gzip -1 " + q(log)).c_str()) == 0);
    check_one_thread_with_threads_1({"drift", reference, log + ".gz", "--fail-on", "never", "--quiet"});
}
