// End-to-end tests of what the binary does with inputs that are not plain CSV files: standard
// input, endless streams, devices, a file cut short while it is read (a signal unless handled),
// a header name of 200 MB (memory), and the exit codes and messages of each.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/e2e_support.hpp"

using namespace e2e;

namespace {

/// Runs a shell command line in which {exe} stands for the binary (under a timeout) and returns
/// the binary's exit code (the pipeline's last command), its stdout and stderr. A signal or the
/// timeout fails the test.
result shell(std::string line, int seconds = 120) {
    scratch s;
    const std::string exe_call = "timeout -s KILL " + std::to_string(seconds) + " " + q(exe);
    for (auto at = line.find("{exe}"); at != std::string::npos; at = line.find("{exe}", at + exe_call.size()))
        line.replace(at, 5, exe_call);
    const std::string cmd = "(" + line + ") >" + q(s.file("out")) + " 2>" + q(s.file("err"));
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    result r{WEXITSTATUS(status), slurp(s.file("out")), slurp(s.file("err")), -1, {}};
    INFO("command: " << line << "\nstderr: " << r.err.substr(0, 2000));
    REQUIRE(r.code != 137);  // killed by the timeout: a hang
    REQUIRE(r.code < 128);   // 128 + signal: a crash
    return r;
}

/// A scored snapshot: score s, label y, `rows` rows.
std::string snapshot(std::size_t rows) {
    std::string t = "s,y\n";
    for (std::size_t i = 0; i < rows; ++i) {
        const int y = static_cast<int>((i * 7919) % 10 < 3);
        t += std::to_string(static_cast<double>((i * 104729) % 1000) / 1000.0 * 0.5 + 0.4 * y) + "," + std::to_string(y) + "\n";
    }
    return t;
}

} // namespace

TEST_CASE("Standard input: '-' is read once and kept, and is one snapshot at most", "[e2e]") {
    scratch s;
    const std::string file = s.write("snap.csv", snapshot(5000));
    const auto from_file = shell("{exe} perf " + q(file) + " --score s --label y --format json");
    REQUIRE(from_file.code <= 2);
    const auto piped = shell("cat " + q(file) + " | {exe} perf - --score s --label y --format json");
    CHECK(piped.code == from_file.code);
    CHECK(report_content(from_file.report()) == report_content(piped.report()));
    CHECK(piped.report()["inputs"]["data"]["path"] == "-");
    // Its audit record says what it was (never hashed, even with --audit): a pipe, or a redirected
    // file with the file's size.
    CHECK(piped.report()["inputs"]["data"]["type"] == "fifo");
    const auto redirected = shell("{exe} perf - --score s --label y --format json --audit < " + q(file));
    const auto record = redirected.report()["inputs"]["data"];
    CHECK(record["type"] == "file");
    CHECK(record["size_bytes"] == fs::file_size(file));
    CHECK_FALSE(record.contains("sha256"));
    // drift reads a header, then the columns: standard input is read once and kept.
    const std::string copy = s.copy(file);
    const auto drift = shell("{exe} drift " + q(file) + " - --columns s --format json < " + q(copy));
    REQUIRE(drift.code == 0);
    const auto report = drift.report();
    for (const auto& c : report["checks"])
        if (c["check"] == "psi") CHECK(c["value"].get<double>() == 0.0);
    // An output naming the file standard input is redirected from would destroy the input: 64,
    // as when the file is named; the file intact. A pipe is no file to overwrite.
    {
        const std::string before = slurp(file);
        const auto over = shell("{exe} perf - --score s --label y --output " + q(file) + " < " + q(file));
        CHECK(over.code == 64);
        CHECK(over.err.find("names the data file (standard input) (the same file): refusing to overwrite an input") !=
              std::string::npos);
        CHECK(shell("{exe} drift " + q(file) + " - --columns s --report json=" + q(file) + " < " + q(file)).code == 64);
        CHECK(slurp(file) == before);
        CHECK(shell("cat " + q(file) + " | {exe} perf - --score s --label y --output " + q(s.file("out.txt"))).code < 64);
    }
    // Standard input as both snapshots would compare one stream with itself and pass: exit 64.
    for (const std::string args : {"drift - - --columns s", "estimate - --score s --reference - --label y",
                                   "check --reference - --current -"}) {
        const auto both = shell("{exe} " + args + " < " + q(file));
        INFO(args << "\n" << both.err);
        CHECK(both.code == 64);
        CHECK(both.err.find("standard input (-) given as both the reference and the current snapshot") != std::string::npos);
    }
    // So would one file named twice, by any path, link or redirection: 64 before anything is read.
    const std::string link = s.file("latest.csv");
    REQUIRE(::symlink(file.c_str(), link.c_str()) == 0);
    const std::string hard = s.file("hard.csv");
    REQUIRE(::link(file.c_str(), hard.c_str()) == 0);
    for (const std::string& args :
         {"drift " + q(file) + " " + q(file) + " --columns s", "drift " + q(file) + " " + q(link) + " --columns s",
          "drift " + q(hard) + " - --columns s < " + q(file), "drift - /dev/stdin --columns s < " + q(file),
          "check --reference " + q(file) + " --current " + q(hard)}) {
        const auto same = shell("{exe} " + args);
        INFO(args << "\n" << same.err);
        CHECK(same.code == 64);
        CHECK(same.err.find("are the same file: the run would compare it with itself and pass") != std::string::npos);
    }
    CHECK(shell("{exe} drift " + q(file) + " " + q(copy) + " --columns s").code == 0);  // a copy is another file
    // estimate's reference only calibrates the PDs: a file as its own reference is read as such.
    const auto own = shell("{exe} estimate " + q(file) + " --score s --reference " + q(link) + " --label y");
    INFO(own.err);
    CHECK(own.err.find("are the same file") == std::string::npos);
    CHECK(own.code != 64);
    // A terminal-less empty stream is an empty file.
    const auto empty = shell("printf '' | {exe} perf - --score s --label y");
    CHECK(empty.code == 65);
    CHECK(empty.err.find("standard input: the file is empty") != std::string::npos);
}

TEST_CASE("Endless inputs and devices: a clear message and exit code, no hang", "[e2e]") {
    const auto zeros = shell("cat /dev/zero | {exe} perf - --score s --label y", 60);
    CHECK(zeros.code == 65);
    CHECK(zeros.err.find("standard input:1:1: header line longer than 256 MiB") != std::string::npos);
    const auto device = shell("{exe} perf /dev/zero --score s --label y");
    CHECK(device.code == 66);
    CHECK(device.err.find("/dev/zero: is a character device") != std::string::npos);
    const auto urandom = shell("{exe} proxy /dev/urandom --score s");
    CHECK(urandom.code == 66);
    const auto stdin_device = shell("{exe} perf - --score s --label y < /dev/zero");
    CHECK(stdin_device.code == 66);
    CHECK(stdin_device.err.find("standard input: is a character device") != std::string::npos);
    scratch s;
    const auto dir = shell("{exe} perf " + q(s.path.string()) + " --score s --label y");
    CHECK(dir.code == 66);
    CHECK(dir.err.find("is a directory") != std::string::npos);
    const std::string loop = s.file("loop.csv");
    REQUIRE(::symlink(loop.c_str(), loop.c_str()) == 0);
    const auto looped = shell("{exe} perf " + q(loop) + " --score s --label y");
    CHECK(looped.code == 66);
    CHECK(looped.err.find("Too many levels of symbolic links") != std::string::npos);
    // A gzip file is decompressed as it is read (test_compressed.cpp): eight bytes of a gzip
    // header and nothing more are a truncated one.
    const std::string gz = s.write("snap.csv.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8));
    const auto gzip = shell("{exe} perf " + q(gz) + " --score s --label y");
    CHECK(gzip.code == 65);
    CHECK(gzip.err.find(gz + ":1:1: truncated gzip data: the file ends inside a member") != std::string::npos);
}

TEST_CASE("A file cut short or rewritten while it is read: exit 74 or the right report, never a signal", "[e2e]") {
    // The binary runs on a 150 MB snapshot; as soon as /proc/PID/maps shows the file mapped, this
    // test cuts it to a third (or rewrites a byte far in). Without the reader's SIGBUS handling
    // the process would die by SIGBUS; the check_unchanged test catches the rewrite.
    scratch s;
    const std::string text = snapshot(9'000'000);
    const std::string pristine = s.write("pristine.csv", text);
    const auto expected = shell("{exe} perf " + q(pristine) + " --score s --label y --format json --threads 1", 300);
    REQUIRE(expected.code <= 2);
    const std::string path = s.file("snap.csv");
    std::size_t changed = 0;
    for (int attempt = 0; attempt < 4; ++attempt) {
        const bool truncate = attempt % 2 == 0;
        INFO((truncate ? "truncated" : "rewritten") << ", attempt " << attempt);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
        const std::string out = s.file("out"), err = s.file("err");
        const acted_run ended = run_acting_when_mapped(
            {"perf", path, "--score", "s", "--label", "y", "--format", "json", "--threads", attempt < 2 ? "1" : "2"}, out, err, {path},
            [&] { change_file(path, truncate ? text.size() / 3 : std::string::npos, text.size() - 50, '7'); });
        const int status = ended.status;
        INFO("stderr: " << slurp(err));
        REQUIRE(!WIFSIGNALED(status));
        REQUIRE(WIFEXITED(status));
        const int code = WEXITSTATUS(status);
        if (code == 74) {
            CHECK(slurp(err) == "driftgate: error: " + path + " changed while it was read\n");
            ++changed;
        } else {
            CHECK(code == expected.code);
            CHECK(report_content(nlohmann::json::parse(slurp(out))) == report_content(expected.report()));
        }
    }
    CHECK(changed >= 1);
}

TEST_CASE("A header name of 200 MB: read with bounded memory, messages truncated", "[e2e]") {
    scratch s;
    std::string text(200u << 20, 'h');
    text += ",s,y\n";
    const std::string body = snapshot(2000).substr(4);
    for (std::size_t p = 0; p < body.size();) {  // "x," before each row
        const std::size_t e = body.find('\n', p);
        text += "x," + body.substr(p, e + 1 - p);
        p = e + 1;
    }
    const std::string file = s.write("long_name.csv", text);
    text = std::string();
    const auto r = run("perf " + q(file) + " --score s --label y --format json", 300, true);
    CHECK(r.code <= 2);
    REQUIRE(r.peak_kb > 0);
    CHECK(r.peak_kb < 1536L * 1024);  // under 1.5 GB
    // The name in an error message is cut short.
    const auto e = run("perf " + q(file) + " --score nope --label y", 300);
    CHECK(e.code == 65);
    CHECK(e.err.size() < 20000);
}
