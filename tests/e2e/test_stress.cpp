// Robustness of the driftgate binary: results that do not depend on the CSV parsing thread count
// or on the order of the rows, and edge-sized inputs (one row, identical values, extreme
// magnitudes, 10,000 columns, a 1 MB line) that either work or stop with a clear error and its
// exit code — never a crash, a hang or a silent truncation.
//
// The heavy cases (1e7-row samples, a CSV larger than 4 GiB) are hidden behind the [.stress] tag
// and run on demand:  e2e_test_stress "[.stress]"  (the 4 GiB file goes to $TMPDIR or /tmp and is
// deleted afterwards; peak memory is reported when /usr/bin/time is available).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/e2e_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using namespace e2e;

/// Exit 0/1/2 with a JSON report, or a documented error code with a message on stderr.
json report_or_error(const result& r, std::initializer_list<int> allowed_errors = {65}) {
    INFO("exit " << r.code << "\nstderr: " << r.err.substr(0, 2000));
    if (r.code <= 2) return json::parse(r.out);
    CHECK(std::find(allowed_errors.begin(), allowed_errors.end(), r.code) != allowed_errors.end());
    CHECK_FALSE(r.err.empty());
    CHECK(r.out.empty());
    return json();
}

/// A random snapshot: features with continuous values, heavy ties, missing tokens and
/// infinities, quoted fields (some holding the delimiter or a line break) and a score column.
std::string random_csv(std::mt19937_64& rng, std::size_t rows, double shift, bool crlf) {
    std::normal_distribution<double> normal(shift, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_int_distribution<int> code(-2, 8);
    const char* eol = crlf ? "\r\n" : "\n";
    std::string s = std::string("id,income,code,util,note,score") + eol;
    char buf[64];
    for (std::size_t i = 0; i < rows; ++i) {
        s += std::to_string(i) + ",";
        const double r = u(rng);
        if (r < 0.05)
            s += "NA";
        else if (r < 0.07)
            s += "\"\"";
        else if (r < 0.08)
            s += r < 0.075 ? "inf" : "-inf";
        else {
            std::snprintf(buf, sizeof buf, "%.17g", std::exp(normal(rng)) * 1000.0);
            if (r < 0.2) {
                s += '"';
                s += buf;
                s += '"';
            } else {
                s += buf;
            }
        }
        s += ',';
        s += std::to_string(code(rng) + (u(rng) < shift * 0.3 ? 1 : 0));
        s += ',';
        std::snprintf(buf, sizeof buf, "%.6f", u(rng) + shift * 0.1);
        s += buf;
        const double t = u(rng);
        s += t < 0.1 ? ",\"a, b\"" : t < 0.15 ? ",\"line\nbreak\"" : t < 0.2 ? ",\"say \"\"hi\"\"\"" : ",x";
        std::snprintf(buf, sizeof buf, ",%.6f", 1.0 / (1.0 + std::exp(-normal(rng))));
        s += buf;
        s += eol;
    }
    return s;
}

/// The data records of a CSV written by random_csv, shuffled (records may span lines: split on
/// the record ends written by random_csv, which are the line ends outside quotes).
std::string shuffled_records(const std::string& csv, std::mt19937_64& rng) {
    std::vector<std::string> records;
    std::string cur;
    bool quoted = false;
    for (char c : csv) {
        cur += c;
        if (c == '"') quoted = !quoted;
        if (c == '\n' && !quoted) {
            records.push_back(cur);
            cur.clear();
        }
    }
    REQUIRE(cur.empty());
    std::shuffle(records.begin() + 1, records.end(), rng);
    std::string out;
    for (const auto& r : records) out += r;
    return out;
}

} // namespace

TEST_CASE("The drift report does not depend on the parsing thread count", "[e2e][stress]") {
    std::mt19937_64 rng(5150);
    for (int f = 0; f < 8; ++f) {
        scratch s;
        const std::size_t rows = 50 + static_cast<std::size_t>(f) * 300;
        const auto ref = s.write("ref.csv", random_csv(rng, rows, 0.0, f % 2 == 1));
        const auto cur = s.write("cur.csv", random_csv(rng, rows + 17, 0.3 * f / 8.0, f % 3 == 0));
        json first;
        for (int threads = 1; threads <= 4; ++threads) {
            INFO("file set " << f << ", threads " << threads);
            const auto r = run("drift " + q(ref) + " " + q(cur) + " --format json --fail-on never --threads " +
                               std::to_string(threads));
            REQUIRE(r.code == 0);
            const auto j = json::parse(r.out);
            CHECK(j["inputs"]["reference"]["rows"] == rows);
            if (threads == 1) {
                first = j;
                CHECK(j["checks"].size() >= 7); // psi and ks for income, code, util; csi on score
            } else {
                CHECK(j["checks"] == first["checks"]);
                CHECK(j["status"] == first["status"]);
            }
        }
    }
}

TEST_CASE("The drift report does not depend on the order of the rows", "[e2e][stress]") {
    std::mt19937_64 rng(8086);
    for (int f = 0; f < 6; ++f) {
        scratch s;
        const std::string ref_text = random_csv(rng, 400 + static_cast<std::size_t>(f) * 250, 0.0, f % 2 == 0);
        const std::string cur_text = random_csv(rng, 300 + static_cast<std::size_t>(f) * 200, 0.1 * f, false);
        const auto ref = s.write("ref.csv", ref_text), cur = s.write("cur.csv", cur_text);
        const auto ref2 = s.write("ref-shuffled.csv", shuffled_records(ref_text, rng));
        const auto cur2 = s.write("cur-shuffled.csv", shuffled_records(cur_text, rng));
        const auto a = run("drift " + q(ref) + " " + q(cur) + " --format json --fail-on never");
        const auto b = run("drift " + q(ref2) + " " + q(cur2) + " --format json --fail-on never --threads 3");
        INFO("file set " << f << "\n" << a.err << b.err);
        REQUIRE(a.code == 0);
        REQUIRE(b.code == 0);
        CHECK(json::parse(a.out)["checks"] == json::parse(b.out)["checks"]);
    }
}

TEST_CASE("Edge-sized inputs work or stop with a clear error", "[e2e][stress]") {
    scratch s;
    SECTION("one-row snapshots") {
        const auto one = s.write("one.csv", "x,score,default\n0.5,0.3,1\n");
        const auto other = s.write("other.csv", "x,score,default\n0.7,0.9,0\n");
        const auto d = report_or_error(run("drift " + q(one) + " " + q(other) + " --format json"));
        REQUIRE(d.is_object());
        CHECK(d["inputs"]["reference"]["rows"] == 1);
        for (const auto& c : d["checks"])
            if (c["check"] == "ks") CHECK(c["statistic"].get<double>() == 1.0);
        // perf on one row has one class: exit 65 naming the column.
        const auto p = run("perf " + q(one) + " --score score --label default --format json");
        CHECK(p.code == 65);
        CHECK(p.err.find("only one class") != std::string::npos);
        const auto x = report_or_error(run("proxy " + q(one) + " --score score --format json"));
        REQUIRE(x.is_object());
    }
    SECTION("all values identical") {
        std::string t = "x,score,default\n";
        for (int i = 0; i < 5000; ++i) t += i % 2 ? "7,0.25,1\n" : "7,0.25,0\n";
        const auto f = s.write("same.csv", t);
        const auto d = report_or_error(run("drift " + q(f) + " " + q(s.copy(f)) + " --format json"));
        REQUIRE(d.is_object());
        CHECK(d["status"] == "ok");
        for (const auto& c : d["checks"]) {
            if (c["check"] == "psi" || c["check"] == "csi") CHECK(c["value"].get<double>() == 0.0);
            if (c["check"] == "ks") CHECK(c["pvalue"].get<double>() == 1.0);
        }
        const auto p = report_or_error(run("perf " + q(f) + " --score score --label default --format json"));
        REQUIRE(p.is_object());
        for (const auto& c : p["checks"])
            if (c["check"] == "auc") CHECK(c["value"].get<double>() == 0.5);
    }
    SECTION("values spanning 1e-300 ... 1e300") {
        std::mt19937_64 rng(1);
        std::uniform_int_distribution<int> e(-300, 300);
        std::string a = "x\n", b = "x\n";
        for (int i = 0; i < 3000; ++i) {
            a += i % 2 ? "-1e" : "1e";
            a += std::to_string(e(rng));
            a += '\n';
            b += i % 3 ? "1e" : "-1e";
            b += std::to_string(e(rng));
            b += '\n';
        }
        a += "4.9e-324\n-1.7976931348623157e308\n";
        b += "2.2250738585072014e-308\n1.7976931348623157e308\n";
        const auto fa = s.write("a.csv", a), fb = s.write("b.csv", b);
        for (const char* method : {"quantile", "uniform", "auto"}) {
            const auto cfg = s.write("c.toml", std::string("[drift]\nbinning = \"") + method + "\"\n");
            const auto d = report_or_error(run("drift " + q(fa) + " " + q(fb) + " --format json --config " + q(cfg)));
            REQUIRE(d.is_object());
            INFO("binning " << method);
            for (const auto& c : d["checks"]) {
                if (c["check"] == "psi") {
                    CHECK(c["value"].is_number());
                    CHECK(c["value"].get<double>() >= 0.0);
                }
                if (c["check"] == "ks") CHECK(c["pvalue"].get<double>() <= 1.0);
            }
        }
    }
    SECTION("10,000 columns") {
        std::string t;
        for (int c = 0; c < 10000; ++c) {
            t += c ? ",c" : "c";
            t += std::to_string(c);
        }
        t += "\n";
        for (int r = 0; r < 30; ++r) {
            for (int c = 0; c < 10000; ++c) {
                if (c) t += ',';
                t += std::to_string((r * 7 + c) % 13);
            }
            t += "\n";
        }
        const auto f = s.write("wide.csv", t);
        const auto d = report_or_error(run("drift " + q(f) + " " + q(s.copy(f)) + " --format json", 300));
        REQUIRE(d.is_object());
        std::size_t psi = 0;
        for (const auto& c : d["checks"]) psi += c["check"] == "psi";
        CHECK(psi == 10000);
        CHECK(d["status"] == "ok");
    }
    SECTION("a 1 MB line") {
        std::string big(1 << 20, 'z');
        std::string t = "x,blob\n1,\"" + big + "\"\n2," + big + "\n3,\"" + big.substr(0, 1000) + "\n" + big + "\"\n";
        const auto f = s.write("long.csv", t);
        const auto d = report_or_error(run("drift " + q(f) + " " + q(s.copy(f)) + " --columns x --format json"));
        REQUIRE(d.is_object());
        CHECK(d["inputs"]["reference"]["rows"] == 3);
        // A long text is a category like any other.
        const auto b = report_or_error(run("drift " + q(f) + " " + q(s.copy(f)) + " --columns blob --format json"));
        REQUIRE(b.is_object());
        // The same long value in a column declared continuous: a data error whose message is truncated.
        const auto cfg = s.write("blob.toml", "[features.blob]\nkind = \"continuous\"\n");
        const auto e = run("drift " + q(f) + " " + q(s.copy(f)) + " --columns blob --format json --config " + q(cfg));
        CHECK(e.code == 65);
        CHECK(e.err.size() < 4096);
        CHECK(e.err.find("long.csv:2") != std::string::npos);
    }
}

TEST_CASE("1e7-row samples", "[.stress]") {
    scratch s;
    const std::size_t rows = 10'000'000;
    for (const char* name : {"ref.csv", "cur.csv"}) {
        std::mt19937_64 rng(name[0]);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::ofstream out(s.path / name, std::ios::binary);
        out << "x,score\n";
        char buf[64];
        for (std::size_t i = 0; i < rows; ++i) {
            const int n = std::snprintf(buf, sizeof buf, "%.6f,%.5f\n", u(rng) + (name[0] == 'c' ? 0.01 : 0.0), u(rng));
            out.write(buf, n);
        }
    }
    const auto r = run("drift " + q(s.file("ref.csv")) + " " + q(s.file("cur.csv")) + " --format json --fail-on never",
                       1200, true);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["inputs"]["reference"]["rows"] == rows);
    CHECK(j["inputs"]["current"]["rows"] == rows);
    for (const auto& c : j["checks"])
        if (c["check"] == "ks") {
            CHECK(c["pvalue"].get<double>() < 1e-100); // a 0.01 shift on 1e7 rows
            CHECK(c["log_pvalue"].is_number());
        }
    WARN("1e7 rows x 2 files: peak RSS " << r.peak_kb / 1024 << " MiB");
}

TEST_CASE("A CSV larger than 4 GiB: 64-bit offsets, no truncation", "[.stress]") {
    // Rows of ~220 bytes: a requested numeric column and an unrequested wide text column, so the
    // file passes 4 GiB with ~20 million rows. The last rows carry values that shift the mean
    // score, so a reader that stopped at 4 GiB would report a different row count and mean.
    const std::uintmax_t target = (std::uintmax_t{4} << 30) + (std::uintmax_t{64} << 20);
    const fs::path dir = fs::temp_directory_path();
    const auto space = fs::space(dir);
    if (space.available < target + (std::uintmax_t{2} << 30)) {
        WARN("skipped: " << dir << " has " << (space.available >> 20) << " MiB free");
        return;
    }
    scratch s;
    const std::string path = s.file("big.csv");
    std::size_t rows = 0;
    {
        std::ofstream out(path, std::ios::binary);
        out << "score,pad\n";
        const std::string pad(200, 'p');
        char buf[320];
        std::uintmax_t bytes = 10;
        while (bytes < target) {
            const int n = std::snprintf(buf, sizeof buf, "%.4f,%s\n", (rows % 1000) / 1000.0, pad.c_str());
            out.write(buf, n);
            bytes += static_cast<std::uintmax_t>(n);
            ++rows;
        }
        for (int i = 0; i < 1000; ++i) out << "0.9999," << pad << "\n";
        rows += 1000;
    }
    REQUIRE(fs::file_size(path) > (std::uintmax_t{4} << 30));
    const auto r = run("proxy " + q(path) + " --score score --format json --fail-on never", 1800, true);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["inputs"]["data"]["rows"] == rows);
    double mean = 0.0;
    for (const auto& c : j["checks"])
        if (c["check"] == "mean_score") mean = c["value"].get<double>();
    const std::size_t bulk = rows - 1000;
    // Expected mean: bulk rows cycle 0.000 .. 0.999 (all complete cycles but the last), plus 1000 x 0.9999.
    double sum = 0.0;
    for (std::size_t i = 0; i < bulk; ++i) sum += static_cast<double>(i % 1000) / 1000.0;
    sum += 1000 * 0.9999;
    CHECK(mean == Approx(sum / static_cast<double>(rows)).epsilon(1e-9));
    WARN("CSV of " << (fs::file_size(path) >> 20) << " MiB, " << rows << " rows: peak RSS " << r.peak_kb / 1024
                   << " MiB");
}
