// End-to-end tests of reference profiles in the driftgate binary: `profile build`, `profile show`
// (text and JSON), `profile merge`; a profile wherever a reference CSV is accepted (drift, check,
// [input] reference) giving the same report as the CSV; shards of a reference profiled apart and
// merged giving the same report as the whole; damaged, truncated, future-version and foreign
// files refused with exit 65 and the file named. On the fixtures of tests/data/e2e and the
// example data of examples/credit.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/consumers.hpp"
#include "e2e/e2e_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace e2e;

namespace {

const std::string dir = DRIFTGATE_E2E_DIR;
const std::string credit = fs::path(DRIFTGATE_E2E_DIR).parent_path().parent_path().parent_path().string() + "/examples/credit";

std::string fixture(const std::string& name) { return q(dir + "/" + name); }

/// The lines of a text file.
std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// `profile show --format json` without what differs between equal profiles from different files.
json profile_content(json j) {
    for (const char* k : {"path", "bytes", "source", "created", "parts"}) j.erase(k);
    return j;
}

/// Writes rows [first, last) of a CSV (1-based data rows) behind its header.
std::string shard(const scratch& s, const std::string& name, const std::vector<std::string>& lines, std::size_t first,
                  std::size_t last) {
    std::string text = lines[0] + "\n";
    for (std::size_t i = first; i < last; ++i) text += lines[i] + "\n";
    return s.write(name, text);
}

json run_json(const std::string& args, int expect_code) {
    const auto r = run(args + " --format json");
    INFO("command: " << args << "\nstderr: " << r.err);
    REQUIRE(r.code == expect_code);
    return r.report();
}

/// Runs both commands: the same exit code, and the same JSON report but for the inputs' paths.
void same_report(const std::string& a, const std::string& b) {
    const auto x = run(a + " --format json");
    const auto y = run(b + " --format json");
    INFO("command: " << a << "\nstderr: " << x.err << "\nagainst: " << b << "\nstderr: " << y.err);
    REQUIRE(y.code < 64);
    CHECK(x.code == y.code);
    CHECK(report_content(x.report()) == report_content(y.report()));
}

} // namespace

TEST_CASE("profile build and show: what the file holds, against the CSV read here", "[e2e][profile]") {
    scratch s;
    const std::string ref = s.file("ref.dgp");
    const auto b = run("profile build " + fixture("reference.csv") + " -o " + q(ref));
    INFO(b.err);
    REQUIRE(b.code == 0);
    CHECK(b.out.find(ref + ": driftgate profile") != std::string::npos);
    const std::string bytes = slurp(ref);
    REQUIRE(bytes.size() > 32);
    CHECK(bytes.substr(0, 8) == std::string("\x89" "DGP\r\n\x1a\n", 8));
    CHECK(run("profile build " + fixture("reference.csv") + " -o " + q(s.file("quiet.dgp")) + " -q").out.empty());

    // The figures of the CSV, read here: per column the values, missing cells, distinct values,
    // minimum and maximum; the defaults.
    const auto lines = lines_of(dir + "/reference.csv");
    const std::vector<std::string> names{"income", "util", "code", "score"};
    std::vector<std::set<double>> distinct(4);
    std::vector<std::size_t> missing(4, 0);
    std::size_t defaults = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        std::stringstream row(lines[i]);
        std::string cell;
        for (std::size_t c = 0; c < 5 && std::getline(row, cell, ','); ++c) {
            if (c == 4) defaults += cell == "1";
            else if (cell.empty()) ++missing[c];
            else distinct[c].insert(std::strtod(cell.c_str(), nullptr));
        }
    }
    const std::size_t rows = lines.size() - 1;
    REQUIRE(rows == 1000);

    const auto show = run("profile show " + q(ref) + " --format json");
    INFO(show.err);
    REQUIRE(show.code == 0);
    const json j = json::parse(show.out);
    CHECK(j["path"] == ref);
    CHECK(j["bytes"] == bytes.size());
    CHECK(j["rows"] == rows);
    CHECK(j["score"] == "score");
    CHECK(j["label"] == "default");
    CHECK(j["header"] == json({"income", "util", "code", "score", "default"}));
    REQUIRE(j["columns"].size() == 4);  // every column but the label
    for (std::size_t c = 0; c < 4; ++c) {
        const json& col = j["columns"][c];
        INFO("column " << names[c]);
        CHECK(col["name"] == names[c]);
        CHECK(col["type"] == "number");
        CHECK(col["missing"] == missing[c]);
        CHECK(col["values"] == rows - missing[c]);
        CHECK(col["distinct"] == distinct[c].size());
        CHECK(col["min"].get<double>() == *distinct[c].begin());
        CHECK(col["max"].get<double>() == *distinct[c].rbegin());
        // Counted exactly when at most 256 distinct values.
        CHECK(col["representation"] == (distinct[c].size() <= 256 ? "counted" : "sorted"));
    }
    CHECK(j["classes"]["positives"] == defaults);
    CHECK(j["classes"]["negatives"] == rows - defaults);

    const auto text = run("profile show " + q(ref));
    REQUIRE(text.code == 0);
    for (const std::string& part : {ref + ": driftgate profile, " + std::to_string(bytes.size()) + " bytes", std::string("rows     1000"),
                                    "label    default: " + std::to_string(defaults) + " defaults", std::string("code    number    counted"),
                                    std::string("income  number    sorted")})
        CHECK(text.out.find(part) != std::string::npos);
    // build prints the same summary as show.
    CHECK(run("profile build " + fixture("reference.csv") + " -o " + q(ref) + " --format json").report()["columns"] == j["columns"]);
}

TEST_CASE("profile build and show: names that are not UTF-8 or hold control characters are written escaped", "[e2e][profile]") {
    // A header byte 0xFF ended build and show --format json with nlohmann's type_error 316 (exit
    // 65 after the profile was written); an escape sequence and a line feed in a name or the
    // source reached the terminal raw, and could forge lines of the description.
    scratch s;
    const auto csv = s.write("bad.csv", "x,code\xff,n\x1b[31mRED,score,default\n1,2,3,0.1,0\n2,3,4,0.5,1\n");
    const auto dgp = s.file("bad.dgp");
    const auto built = run("profile build " + q(csv) + " -o " + q(dgp) + " --format json");
    INFO(built.err);
    REQUIRE(built.code == 0);
    const json j = built.report();
    CHECK(j["header"] == json::array({"x", "code\\xFF", "n\x1b[31mRED", "score", "default"}));  // JSON escapes the control
    CHECK(j["columns"][1]["name"] == "code\\xFF");
    const auto shown = run("profile show " + q(dgp) + " --format json");
    REQUIRE(shown.code == 0);
    CHECK(shown.report()["header"] == j["header"]);
    const auto text = run("profile show " + q(dgp));
    REQUIRE(text.code == 0);
    CHECK(text.out.find("code\\xFF  ") != std::string::npos);
    CHECK(text.out.find("n\\x1B[31mRED") != std::string::npos);
    CHECK(text.out.find('\x1b') == std::string::npos);
    CHECK(text.out.find('\xff') == std::string::npos);
}

TEST_CASE("drift with a profile as the reference: the same report as with the CSV", "[e2e][profile]") {
    scratch s;
    const std::string ref = s.file("ref.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(ref)).code == 0);
    for (const auto& [cur, code] : {std::pair{"same.csv", 0}, {"moderate.csv", 0}, {"severe.csv", 2}}) {
        INFO("current " << cur);
        const json a = run_json("drift " + q(ref) + " " + fixture(cur), code);
        const json b = run_json("drift " + fixture("reference.csv") + " " + fixture(cur), code);
        CHECK(a["inputs"]["reference"]["path"] == ref);
        CHECK(report_content(a) == report_content(b));
        CHECK(report_content(run_json("drift " + q(ref) + " " + fixture(cur) + " --threads 1", code)) == report_content(b));
    }
    // Options apply to a profile as to the CSV: a column subset, a configuration.
    const auto cfg = s.write("c.toml", "[drift]\nbins = 4\ncorrection = \"holm\"\n[importance]\nincome = 0.1\n");
    CHECK(report_content(run_json("drift " + q(ref) + " " + fixture("moderate.csv") + " --columns util,code --config " + q(cfg), 0)) ==
          report_content(run_json("drift " + fixture("reference.csv") + " " + fixture("moderate.csv") + " --columns util,code --config " + q(cfg), 0)));
}

TEST_CASE("a profile compressed with gzip or zstd is a profile: the plain profile's report", "[e2e][profile]") {
    // It was read as a CSV and failed on its second line ("the record has at least 2 fields").
    scratch s;
    const std::string ref = s.file("ref.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(ref)).code == 0);
    REQUIRE(std::system(("gzip -c " + q(ref) + " > " + q(s.file("ref.dgp.gz"))).c_str()) == 0);
    REQUIRE(std::system(("zstd -q -c " + q(ref) + " > " + q(s.file("ref.bin"))).c_str()) == 0);  // by its bytes, not its name
    const json plain = report_content(run_json("drift " + q(ref) + " " + fixture("severe.csv"), 2));
    for (const std::string& packed : {s.file("ref.dgp.gz"), s.file("ref.bin")}) {
        INFO(packed);
        CHECK(report_content(run_json("drift " + q(packed) + " " + fixture("severe.csv"), 2)) == plain);
        CHECK(run("profile show " + q(packed)).code == 0);
        // Where a CSV snapshot is needed it is named a profile (64), as the plain one is.
        auto r = run("drift " + fixture("reference.csv") + " " + q(packed));
        CHECK(r.code == 64);
        CHECK(r.err.find("a driftgate profile, where a CSV snapshot is needed") != std::string::npos);
        r = run("profile build " + q(packed) + " -o " + q(s.file("again.dgp")));
        CHECK(r.code == 64);
        CHECK(r.err.find("already a profile") != std::string::npos);
    }
    // Its text after 300 KiB of a skippable frame (what pzstd writes first, larger): still a profile.
    {
        const std::string zst = slurp(s.file("ref.bin"));
        std::string framed = "\x50\x2A\x4D\x18";  // skippable frame magic 0x184D2A50, little-endian
        const std::uint32_t skip = 300u << 10;
        for (int k = 0; k < 4; ++k) framed += static_cast<char>((skip >> (8 * k)) & 0xFF);
        framed += std::string(skip, '\0') + zst;
        const std::string led = s.write("led.dgp.zst", framed);
        CHECK(report_content(run_json("drift " + q(led) + " " + fixture("severe.csv"), 2)) == plain);
    }
    // On standard input, plain or compressed: a profile as well; where a CSV is needed, named so.
    for (const std::string& f : {ref, s.file("ref.dgp.gz")}) {
        INFO(f);
        const auto d = run("drift - " + fixture("severe.csv") + " --format json", 120, false, "cat " + q(f));
        INFO(d.err);
        REQUIRE(d.code == 2);
        CHECK(report_content(d.report()) == plain);
        const auto r = run("perf - --score score --label default", 120, false, "cat " + q(f));
        CHECK(r.code == 64);
        CHECK(r.err.rfind("driftgate: error: standard input: a driftgate profile, where a CSV snapshot is needed", 0) == 0);
    }
    // profile show gives the profile's size, not the compressed file's or a pipe's (0).
    const std::size_t size = fs::file_size(ref);
    CHECK(run_json("profile show " + q(s.file("ref.dgp.gz")), 0)["bytes"] == size);
    const auto shown = run("profile show - --format json", 120, false, "cat " + q(s.file("ref.dgp.gz")));
    REQUIRE(shown.code == 0);
    CHECK(shown.report()["bytes"] == size);
    // A bomb that starts like a profile: stopped once its text runs past the length its header
    // announces (it was inflated whole, up to half the memory), exit 65.
    REQUIRE(std::system(("(cat " + q(ref) + "; head -c 200000000 /dev/zero) | gzip -1 > " + q(s.file("bomb.dgp.gz"))).c_str()) == 0);
    auto r = run("drift " + q(s.file("bomb.dgp.gz")) + " " + fixture("severe.csv"), 120, true);
    CHECK(r.code == 65);
    CHECK(r.err.rfind("driftgate: error: " + s.file("bomb.dgp.gz") + ": a damaged profile: its text runs past the " +
                          std::to_string(size) + " bytes its header announces",
                      0) == 0);
    if (!sanitized_binary) CHECK(r.peak_kb < 100 * 1024);  // not the 200 MB of zeros (ASan keeps freed memory)
    // A header announcing 2^64 - 1 bytes over the real text: the damage it is (65), not the
    // machine's limit (71), as for the plain file.
    {
        std::string bytes = slurp(ref);
        for (int k = 16; k < 24; ++k) bytes[static_cast<std::size_t>(k)] = '\xFF';
        const std::string plain_huge = s.write("huge.dgp", bytes);
        REQUIRE(std::system(("gzip -k " + q(plain_huge)).c_str()) == 0);
        for (const std::string& f : {plain_huge, plain_huge + ".gz"}) {
            INFO(f);
            const auto h = run("drift " + q(f) + " " + fixture("severe.csv"));
            CHECK(h.code == 65);
            CHECK(h.err.find("truncated or extended profile") != std::string::npos);
        }
    }
    // profile merge of a profile and its compressed copy: one profile, whose rows would count twice.
    r = run("profile merge " + q(ref) + " " + q(s.file("ref.dgp.gz")) + " -o " + q(s.file("m.dgp")));
    CHECK(r.code == 64);
    CHECK(r.err.find("holds the same rows as " + ref + " (the same values in every column)") != std::string::npos);
    CHECK(!fs::exists(s.file("m.dgp")));
    // Cut short: exit 65 naming the damage and the file (a profile has no lines to place it at).
    const std::string gz = s.file("ref.dgp.gz");
    fs::resize_file(gz, fs::file_size(gz) / 2);
    r = run("drift " + q(gz) + " " + fixture("severe.csv"));
    CHECK(r.code == 65);
    CHECK(r.err.rfind("driftgate: error: " + gz + ": truncated gzip data", 0) == 0);
}

TEST_CASE("a profile built for some columns: the score it lacks is an error when named, the others are noted", "[e2e][profile]") {
    // Its header names every column of the CSV; it holds data for those profiled only. A named
    // score it holds none of was skipped without a word (CSI never judged, exit 0).
    scratch s;
    const std::string part = s.file("part.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(part) + " --columns util --score ''").code == 0);
    auto r = run("drift " + q(part) + " " + fixture("severe.csv") + " --score score");
    CHECK(r.code == 65);
    CHECK(r.err.find("the reference profile " + part + " holds no data for the score column \"score\"") != std::string::npos);
    const auto cfg = s.write("c.toml", "[columns]\nscore = \"score\"\n");
    CHECK(run("drift " + q(part) + " " + fixture("severe.csv") + " --config " + q(cfg)).code == 65);
    // The default name: a note; and the columns not profiled are listed, not judged.
    r = run("drift " + q(part) + " " + fixture("severe.csv") + " --format json --fail-on never");
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json notes = r.report()["notes"];
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].get<std::string>().rfind("the reference profile holds no data for 2 columns of its header, not monitored: "
                                            "income, code (",
                                            0) == 0);
    CHECK(notes[1].get<std::string>().rfind("the reference profile holds no data for column \"score\": the score's drift (CSI) "
                                            "is not judged",
                                            0) == 0);
    for (const auto& c : r.report()["checks"]) CHECK(c["column"] == "util");
}

TEST_CASE("a reference in shards, profiled apart and merged: the same drift and check reports as the whole", "[e2e][profile]") {
    scratch s;
    const auto lines = lines_of(dir + "/reference.csv");
    REQUIRE(lines.size() == 1001);
    // Shards of 1, 499 and 500 rows, each with the header.
    const std::string a = shard(s, "a.csv", lines, 1, 2), b = shard(s, "b.csv", lines, 2, 501), c = shard(s, "c.csv", lines, 501, 1001);
    for (const auto& name : {"a", "b", "c"})
        REQUIRE(run("profile build " + q(s.file(std::string(name) + ".csv")) + " -o " + q(s.file(std::string(name) + ".dgp")) + " -q").code == 0);
    const std::string whole = s.file("whole.dgp"), merged = s.file("merged.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(whole) + " -q").code == 0);
    const auto m = run("profile merge " + q(s.file("a.dgp")) + " " + q(s.file("b.dgp")) + " " + q(s.file("c.dgp")) + " -o " + q(merged) +
                       " --format json");
    INFO(m.err);
    REQUIRE(m.code == 0);
    const json mj = m.report();
    CHECK(mj["source"] == a + " + " + b + " + " + c);
    CHECK(mj["rows"] == 1000);
    const json wj = run_json("profile show " + q(whole), 0);
    CHECK(profile_content(mj) == profile_content(wj));
    CHECK(mj["parts"] == 3);
    CHECK(wj["parts"] == 0);
    // The files differ in their metadata only: the same size but for the source's text (padded to
    // 8) and the three parts' fingerprints (8 bytes each).
    auto padded = [](const json& source) { return (source.get<std::string>().size() + 7) / 8 * 8; };
    CHECK(slurp(merged).size() - padded(mj["source"]) == slurp(whole).size() - padded(wj["source"]) + 3 * 8);
    CHECK(run("profile show " + q(merged)).out.find("  merged   from 3 profiles\n") != std::string::npos);
    CHECK(run("profile show " + q(whole)).out.find("merged") == std::string::npos);

    // Merged in another order and in two steps: the same distributions.
    const std::string other = s.file("other.dgp"), ab = s.file("ab.dgp"), nested = s.file("nested.dgp");
    REQUIRE(run("profile merge " + q(s.file("c.dgp")) + " " + q(s.file("a.dgp")) + " " + q(s.file("b.dgp")) + " -o " + q(other) + " -q").code == 0);
    REQUIRE(run("profile merge " + q(s.file("a.dgp")) + " " + q(s.file("b.dgp")) + " -o " + q(ab) + " -q").code == 0);
    REQUIRE(run("profile merge " + q(ab) + " " + q(s.file("c.dgp")) + " -o " + q(nested) + " -q").code == 0);
    for (const std::string& p : {other, nested}) {
        json x = profile_content(run_json("profile show " + q(p), 0));
        CHECK(x == profile_content(wj));
    }
    CHECK(run_json("profile show " + q(nested), 0)["parts"] == 3);  // the leaves, not the two inputs

    // A merged profile merged again with one of its parts, or two merged profiles made from a
    // common part: those rows would count twice. Refused before anything is written, whatever
    // the order, the compression or a copy under another name.
    const std::string bc = s.file("bc.dgp"), out = s.file("twice.dgp");
    REQUIRE(run("profile merge " + q(s.file("b.dgp")) + " " + q(s.file("c.dgp")) + " -o " + q(bc) + " -q").code == 0);
    fs::copy_file(s.file("a.dgp"), s.file("a-copy.dgp"));
    REQUIRE(std::system(("gzip -k " + q(s.file("c.dgp"))).c_str()) == 0);
    struct twice {
        std::vector<std::string> inputs;
        std::string message;
    };
    const std::string a_dgp = s.file("a.dgp"), c_gz = s.file("c.dgp.gz"), copy = s.file("a-copy.dgp");
    for (const auto& t : std::vector<twice>{
             {{ab, a_dgp}, ab + " already holds the rows of " + a_dgp + " (a profile of the same rows was merged into it)"},
             {{a_dgp, ab}, ab + " already holds the rows of " + a_dgp + " (a profile of the same rows was merged into it)"},
             {{nested, copy}, nested + " already holds the rows of " + copy},
             {{nested, c_gz}, nested + " already holds the rows of " + c_gz},
             {{ab, bc}, ab + " and " + bc + " both hold the rows of one profile (merged into each)"},
             {{ab, nested}, ab + " and " + nested + " both hold the rows of 2 profiles (merged into each)"},
             {{c_gz, ab, bc}, bc + " already holds the rows of " + c_gz},
             // The same rows however they were put together: the merge and the whole CSV's
             // profile, or the same shards merged otherwise.
             {{merged, whole}, whole + " holds the same rows as " + merged + " (the same values in every column)"},
             {{nested, other}, other + " holds the same rows as " + nested},
             {{merged, nested}, nested + " holds the same rows as " + merged}}) {
        std::string cmd = "profile merge";
        for (const auto& f : t.inputs) cmd += " " + q(f);
        const auto r = run(cmd + " -o " + q(out));
        INFO(cmd << "\n" << r.err);
        CHECK(r.code == 64);
        CHECK(r.err.find(t.message) != std::string::npos);
        CHECK(r.err.find("they would count twice (merge each part once)") != std::string::npos);
        CHECK(!fs::exists(out));
    }
    // A profile read from a pipe is read once: show and merge take it (a named pipe's first bytes
    // were lost to the look at them, and the rest refused as "not a profile").
    const auto [show_rc, shown] = shell(q(exe) + " profile show <(cat " + q(ab) + ")");
    CHECK(show_rc == 0);
    CHECK(shown.find("merged   from 2 profiles") != std::string::npos);
    const auto [piped_rc, piped] = shell(q(exe) + " profile merge <(cat " + q(ab) + ") " + q(c_gz) + " -o " + q(out) + " -q");
    INFO(piped);
    CHECK(piped_rc == 0);
    CHECK(profile_content(run_json("profile show " + q(out), 0)) == profile_content(wj));
    fs::remove(out);
    // Disjoint parts merge, however nested: ab + c is the whole.
    REQUIRE(run("profile merge " + q(ab) + " " + q(c_gz) + " -o " + q(out) + " -q").code == 0);
    CHECK(profile_content(run_json("profile show " + q(out), 0)) == profile_content(wj));

    for (const auto& [cur, code] : {std::pair{"moderate.csv", 0}, {"severe.csv", 2}}) {
        INFO("current " << cur);
        const json direct = report_content(run_json("drift " + fixture("reference.csv") + " " + fixture(cur), code));
        for (const std::string& p : {merged, other, nested}) CHECK(report_content(run_json("drift " + q(p) + " " + fixture(cur), code)) == direct);
        same_report("check --reference " + q(merged) + " --current " + fixture(cur),
                    "check --reference " + fixture("reference.csv") + " --current " + fixture(cur));
    }
}

TEST_CASE("profile build refuses a pipe named by its path, and an empty output name", "[e2e][profile]") {
    // build reads the header, then the columns: from a pipe the second read started where the
    // first stopped, 4 KiB in (a wrong diagnosis, or with a file shaped for it exit 0 and rows
    // lost). Refused, with the ways out; standard input is held and read twice.
    scratch s;
    const auto [rc, err] = shell(q(exe) + " profile build <(cat " + fixture("reference.csv") + ") -o " + q(s.file("p.dgp")));
    CHECK(rc == 66);
    CHECK(err.find("a pipe (FIFO), not a regular file; this snapshot is read twice") != std::string::npos);
    CHECK(!fs::exists(s.file("p.dgp")));
    const auto [stdin_rc, stdin_out] = shell("cat " + fixture("reference.csv") + " | " + q(exe) + " profile build - -o " +
                                             q(s.file("p.dgp")) + " -q");
    INFO(stdin_out);
    CHECK(stdin_rc == 0);
    CHECK(run_json("profile show " + q(s.file("p.dgp")), 0)["rows"] == 1000);
    // -o '' names no file (it wrote the profile to standard output).
    const auto e = run("profile build " + fixture("reference.csv") + " -o ''");
    CHECK(e.code == 64);
    CHECK(e.out.empty());
    CHECK(e.err.find("--output: an empty file name (give -o - for standard output)") != std::string::npos);
}

TEST_CASE("profile build and merge -o -: the profile on standard output, its summary on standard error", "[e2e][profile]") {
    scratch s;
    // Before, "-" was a file name: the profile went to a file called "-" in the working directory.
    REQUIRE_FALSE(fs::exists("-"));
    const std::string file = s.file("file.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(file) + " -q").code == 0);
    auto r = run("profile build " + fixture("reference.csv") + " -o - --format json");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK_FALSE(fs::exists("-"));
    // The summary is on standard error, for standard output; the profile is the file's profile.
    const json summary = json::parse(r.err);
    CHECK(summary["path"] == "(standard output)");
    CHECK(summary["bytes"] == r.out.size());
    const std::string piped = s.write("piped.dgp", r.out);
    CHECK(profile_content(run_json("profile show " + q(piped), 0)) == profile_content(run_json("profile show " + q(file), 0)));
    // Through a pipe into drift: the CSV reference's report.
    const auto d = run("drift - " + fixture("severe.csv") + " --format json", 120, false,
                       q(exe) + " profile build " + fixture("reference.csv") + " -o - -q");
    INFO(d.err);
    REQUIRE(d.code == 2);
    CHECK(report_content(d.report()) == report_content(run_json("drift " + fixture("reference.csv") + " " + fixture("severe.csv"), 2)));
    // merge: the same.
    const auto lines = lines_of(dir + "/reference.csv");
    const std::string a = shard(s, "a.csv", lines, 1, 500), b = shard(s, "b.csv", lines, 500, 1001);
    for (const auto& name : {"a", "b"})
        REQUIRE(run("profile build " + q(s.file(std::string(name) + ".csv")) + " -o " + q(s.file(std::string(name) + ".dgp")) + " -q").code == 0);
    r = run("profile merge " + q(s.file("a.dgp")) + " " + q(s.file("b.dgp")) + " -o - -q");
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    CHECK_FALSE(fs::exists("-"));
    CHECK(profile_content(run_json("profile show " + q(s.write("m.dgp", r.out)), 0)) ==
          profile_content(run_json("profile show " + q(file), 0)));
    // Standard error into the profile's stream (2>&1): its summary would corrupt the profile (exit 0
    // and a damaged file before); refused, the file holding the message alone.
    const std::string mixed = s.file("mixed.dgp");
    CHECK(std::system((q(exe) + " profile build " + fixture("reference.csv") + " -o - > " + q(mixed) + " 2>&1").c_str()) != 0);
    CHECK(slurp(mixed).rfind("driftgate: error: --output -: standard error goes where the profile goes (2>&1)", 0) == 0);
    // With --quiet nothing is written there on success: the profile alone.
    CHECK(std::system((q(exe) + " profile build " + fixture("reference.csv") + " -o - -q > " + q(mixed) + " 2>&1").c_str()) == 0);
    CHECK(profile_content(run_json("profile show " + q(mixed), 0)) == profile_content(run_json("profile show " + q(file), 0)));
}

TEST_CASE("check with a profile: --reference, and [input] reference relative to the configuration", "[e2e][profile]") {
    scratch s;
    const std::string ref = s.file("ref.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(ref) + " -q").code == 0);
    const json a = run_json("check --reference " + q(ref) + " --current " + fixture("severe.csv"), 2);
    const json b = run_json("check --reference " + fixture("reference.csv") + " --current " + fixture("severe.csv"), 2);
    CHECK(report_content(a) == report_content(b));
    for (const char* c : {"psi", "ks", "chi2", "csi", "auc", "brier", "high_risk_share"}) {
        bool found = false;
        for (const auto& x : a["checks"]) found |= x["check"] == c;
        CHECK(found);
    }
    const auto cfg = s.write("check.toml", "[input]\nreference = \"ref.dgp\"\ncurrent = \"" + dir + "/moderate.csv\"\n");
    same_report("check --config " + q(cfg), "check --reference " + fixture("reference.csv") + " --current " + fixture("moderate.csv"));
    CHECK(run("check --config " + q(cfg) + " --format json").report()["inputs"]["reference"]["path"] == (s.path / "ref.dgp").string());
}

TEST_CASE("the credit example: check with a profile of the reference gives the CSV's reports and exit codes", "[e2e][profile]") {
    scratch s;
    const std::string ref = s.file("credit.dgp");
    const std::string cfg = q(credit + "/config.toml");
    const auto b = run("profile build " + q(credit + "/reference.csv") + " --config " + cfg + " -o " + q(ref) + " --format json");
    INFO(b.err);
    REQUIRE(b.code == 0);
    const json p = b.report();
    CHECK(p["rows"] == 24000);
    for (const auto& col : p["columns"])
        if (col["name"].get<std::string>().rfind("PAY_", 0) == 0) CHECK(col["representation"] == "counted");
    for (const auto& [cur, code] : {std::pair{"current_stable.csv", 0}, {"current_drifted.csv", 2}}) {
        INFO("current " << cur);
        const json a = run_json("check --config " + cfg + " --reference " + q(ref) + " --current " + q(credit + "/" + cur), code);
        const json c = run_json("check --config " + cfg + " --current " + q(credit + "/" + cur), code);
        CHECK(report_content(a) == report_content(c));
    }
}

TEST_CASE("damaged, truncated, future-version and foreign files: exit 65 naming the file", "[e2e][profile]") {
    scratch s;
    const std::string good = s.file("good.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(good) + " -q").code == 0);
    const std::string bytes = slurp(good);
    std::string flipped = bytes;
    flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x01);
    std::string future = bytes;
    future[8] = static_cast<char>(bytes[8] + 1);  // the version after the one this driftgate writes
    std::string damaged_magic = bytes;  // a text-mode transfer: CR LF -> LF in the magic
    damaged_magic.erase(4, 1);
    struct bad {
        const char* name;
        std::string content;
        const char* expect;
    };
    const std::vector<bad> cases{
        {"flipped.dgp", flipped, "checksum"},
        {"truncated.dgp", bytes.substr(0, bytes.size() - 9), "truncated"},
        {"extended.dgp", bytes + std::string(8, '\0'), "extended"},
        {"header-only.dgp", bytes.substr(0, 20), "truncated"},
        {"future.dgp", future, "newer"},
    };
    for (const auto& c : cases) {
        const std::string path = s.write(c.name, c.content);
        for (const std::string& cmd : {"profile show " + q(path), "drift " + q(path) + " " + fixture("moderate.csv"),
                                       "check --reference " + q(path) + " --current " + fixture("moderate.csv"),
                                       "profile merge " + q(good) + " " + q(path) + " -o " + q(s.file("out.dgp"))}) {
            INFO("case " << c.name << ": " << cmd);
            const auto r = run(cmd);
            INFO("stderr: " << r.err);
            CHECK(r.code == 65);
            CHECK(r.out.empty());
            CHECK(r.err.find(path) != std::string::npos);
            CHECK(r.err.find(c.expect) != std::string::npos);
        }
    }
    CHECK_FALSE(fs::exists(s.file("out.dgp")));
    // Not a profile: profile show says so. As a reference a file is a profile by its first eight
    // bytes, not its name: a CSV named .dgp is read as a CSV, a profile whose magic a text-mode
    // transfer damaged is read as a CSV too, and refused as one.
    for (const auto& [name, content] : {std::pair<std::string, std::string>{"text.dgp", "income,util\n1,2\n"},
                                        {"magic-damaged.dgp", damaged_magic}}) {
        const std::string path = s.write(name, content);
        const auto r = run("profile show " + q(path));
        CHECK(r.code == 65);
        CHECK(r.err.find(path + ": not a driftgate profile") != std::string::npos);
    }
    same_report("drift " + q(s.file("text.dgp")) + " " + fixture("moderate.csv"),
                "drift " + q(s.write("text.csv", "income,util\n1,2\n")) + " " + fixture("moderate.csv"));
    const auto d = run("drift " + q(s.file("magic-damaged.dgp")) + " " + fixture("moderate.csv"));
    INFO("stderr: " << d.err);
    CHECK(d.code == 65);
    CHECK(d.err.find(s.file("magic-damaged.dgp")) != std::string::npos);
    // A profile where a CSV snapshot is expected: refused as a usage error (like profile build of
    // a profile), naming it and saying where profiles go.
    const auto cur = run("drift " + fixture("reference.csv") + " " + q(good));
    CHECK(cur.code == 64);
    CHECK(cur.err.find(good + ": a driftgate profile, where a CSV snapshot is needed") != std::string::npos);
    const auto build = run("profile build " + q(good) + " -o " + q(s.file("again.dgp")));
    CHECK(build.code == 64);
    CHECK(build.err.find("already a profile") != std::string::npos);
    // A prediction log (read as a reference by drift and check): named as one, not parsed as a CSV
    // header.
    const std::string log = s.write("requests.jsonl", "{\"status\": 200, \"input\": {\"income\": 1}}\n");
    const auto from_log = run("profile build " + q(log) + " -o " + q(s.file("log.dgp")));
    CHECK(from_log.code == 64);
    CHECK(from_log.err.find(log + ": a JSON-lines prediction log (profile build reads a CSV snapshot") != std::string::npos);
    CHECK(!fs::exists(s.file("log.dgp")));
    // Missing files: 66.
    CHECK(run("profile show " + q(s.file("none.dgp"))).code == 66);
}

TEST_CASE("a saved profile cut short or rewritten while drift uses its mapped values: exit 74, 65 or the right report", "[e2e][profile]") {
    // drift views a saved profile's sorted values where the file is mapped (no copy) until its
    // checks are done, then checks that the file is as it was. This test changes the profile a
    // little after both it and the current file (1.5e6 rows: read for a while) are mapped, when
    // the profile (3 MB) is most likely loaded and the current file not yet read: the run must end in
    // `PATH changed while it was read` (74), or, when the change came before the profile was
    // read, a damaged profile (65), or, when it came after the checks, the report of the pristine
    // profile. Never a signal, never another report.
    scratch s;
    std::string ref_text = "x,s\n", cur_text = "x,s\n";
    for (std::size_t i = 0; i < 200'000; ++i)
        ref_text += std::to_string(static_cast<double>((i * 7919) % 200'003) / 7.0) + "," + std::to_string(static_cast<double>(i % 997) / 997.0) + "\n";
    for (std::size_t i = 0; i < 1'500'000; ++i)
        cur_text += std::to_string(static_cast<double>((i * 104729) % 1'500'007) / 50.0) + "," + std::to_string(static_cast<double>(i % 991) / 991.0) + "\n";
    const std::string ref_csv = s.write("ref.csv", ref_text), cur = s.write("cur.csv", cur_text);
    const std::string pristine = s.file("pristine.dgp"), path = s.file("ref.dgp");
    REQUIRE(run("profile build " + q(ref_csv) + " --score s -q -o " + q(pristine)).code == 0);
    const std::string bytes = slurp(pristine);
    REQUIRE(bytes.size() > 1'000'000);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    const json expected = run_json("drift " + q(path) + " " + q(cur) + " --score s --fail-on never", 0);
    std::size_t changed = 0;
    for (int attempt = 0; attempt < 6; ++attempt) {
        const bool truncate = attempt % 2 == 0;
        INFO((truncate ? "truncated" : "rewritten") << ", attempt " << attempt);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        const std::string out = s.file("out"), err = s.file("err");
        const acted_run ended = run_acting_when_mapped(
            {"drift", path, cur, "--score", "s", "--format", "json", "--fail-on", "never", "--threads", attempt < 2 ? "1" : "2"}, out,
            err, {path, cur},
            [&] {  // cut, or a byte of the sorted values rewritten in place
                change_file(path, truncate ? bytes.size() / 3 : std::string::npos, bytes.size() / 2, '\x7f');
            },
            std::chrono::milliseconds(attempt < 3 ? 30 : 5));
        INFO("stderr: " << slurp(err));
        REQUIRE(!WIFSIGNALED(ended.status));
        REQUIRE(WIFEXITED(ended.status));
        const int code = WEXITSTATUS(ended.status);
        if (code == 74) {
            CHECK(slurp(err) == "driftgate: error: " + path + " changed while it was read\n");
            ++changed;
        } else if (code == 65) {
            CHECK(slurp(err).find("driftgate: error: " + path + ": ") == 0);
        } else {
            CHECK(code == 0);
            CHECK(report_content(json::parse(slurp(out))) == report_content(expected));
        }
    }
    CHECK(changed >= 1);
}

TEST_CASE("profile merge refuses shards that do not fit together; build refuses an unwritable output", "[e2e][profile]") {
    scratch s;
    const std::string ref = s.file("ref.dgp"), sub = s.file("sub.dgp"), other = s.file("other.dgp");
    REQUIRE(run("profile build " + fixture("reference.csv") + " -o " + q(ref) + " -q").code == 0);
    REQUIRE(run("profile build " + fixture("reference.csv") + " --columns income,code -o " + q(sub) + " -q").code == 0);
    const std::string renamed = s.write("renamed.csv", "earnings,util,code,score,default\n1,0.5,1,0.2,0\n2,0.6,2,0.3,1\n");
    REQUIRE(run("profile build " + q(renamed) + " -o " + q(other) + " -q").code == 0);
    const auto h = run("profile merge " + q(ref) + " " + q(other) + " -o " + q(s.file("m.dgp")));
    CHECK(h.code == 65);
    CHECK(h.err.find(other + ": cannot merge with " + ref) != std::string::npos);
    CHECK(h.err.find("headers differ") != std::string::npos);
    const auto c = run("profile merge " + q(ref) + " " + q(sub) + " -o " + q(s.file("m.dgp")));
    CHECK(c.code == 65);
    CHECK(c.err.find("different columns") != std::string::npos);
    // A profile of some columns judges only those; asking for another names it.
    const json d = run_json("drift " + q(sub) + " " + fixture("moderate.csv"), 0);
    std::set<std::string> judged;
    for (const auto& x : d["checks"])
        if (x["check"] == "psi") judged.insert(x["column"].get<std::string>());
    CHECK(judged == std::set<std::string>{"income", "code"});
    const auto u = run("drift " + q(sub) + " " + fixture("moderate.csv") + " --columns util");
    CHECK(u.code == 65);
    CHECK(u.err.find("\"util\"") != std::string::npos);
    // Output that cannot be written.
    const auto w = run("profile build " + fixture("reference.csv") + " -o /nonexistent/dir/ref.dgp");
    CHECK(w.code == 74);
    CHECK(w.err.find("/nonexistent/dir/ref.dgp") != std::string::npos);
}
