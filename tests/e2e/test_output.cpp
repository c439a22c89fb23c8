// End-to-end tests of writing reports (cli/output.cpp): an output naming an input is refused
// before anything is read (path, symbolic link, hard link, the configuration), a failed run
// leaves the previous report byte for byte, a file is replaced atomically (concurrent runs never
// leave a mixed file, no temporary file is left behind), devices and pipes are written in place,
// and write errors are exit 74 with the system's reason (/dev/full, a closed pipe, | head -c 1
// with SIGPIPE ignored).
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "e2e/consumers.hpp"
#include "e2e/e2e_support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace e2e;

namespace {

const std::string dir = DRIFTGATE_E2E_DIR;
std::string fixture(const std::string& name) { return dir + "/" + name; }

/// A copy of the fixtures in a scratch directory, so that a test that fails cannot harm them.
struct inputs {
    scratch s;
    std::string ref = s.file("reference.csv"), cur = s.file("severe.csv");
    inputs() {
        fs::copy_file(fixture("reference.csv"), ref);
        fs::copy_file(fixture("severe.csv"), cur);
    }
    [[nodiscard]] std::string drift() const { return "drift " + q(ref) + " " + q(cur) + " "; }
};

std::vector<std::string> listing(const fs::path& d) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("An output naming an input is refused before anything is read: path, symlink, hard link, --report, config", "[output]") {
    inputs in;
    const std::string ref_bytes = slurp(in.ref), cur_bytes = slurp(in.cur);
    fs::create_symlink(in.ref, in.s.file("link.csv"));
    fs::create_hard_link(in.cur, in.s.file("hard.csv"));
    const auto cfg = in.s.write("c.toml", "[drift]\nbins = 10\n");
    const std::string cfg_bytes = slurp(cfg);
    struct refusal {
        std::string args, named_output, named_input;
    };
    const std::vector<refusal> cases{
        {"--output " + q(in.ref), in.ref, in.ref},
        {"--output " + q(in.s.file("link.csv")), in.s.file("link.csv"), in.ref},
        {"--output " + q(in.s.file("hard.csv")), in.s.file("hard.csv"), in.cur},
        {"--report html=" + q(in.cur), in.cur, in.cur},
        {"--report json=" + q(in.s.path.string() + "/./reference.csv"), "reference.csv", in.ref},
        {"--config " + q(cfg) + " --report markdown=" + q(cfg), cfg, cfg},
    };
    for (const auto& c : cases) {
        INFO(c.args);
        const auto r = run(in.drift() + c.args);
        CHECK(r.code == 64);
        CHECK(r.err.find(c.named_output) != std::string::npos);
        CHECK(r.err.find(c.named_input) != std::string::npos);
        CHECK(r.err.find("refusing to overwrite an input") != std::string::npos);
        CHECK(r.out.empty());
    }
    CHECK(slurp(in.ref) == ref_bytes);
    CHECK(slurp(in.cur) == cur_bytes);
    CHECK(slurp(cfg) == cfg_bytes);
    // check: its inputs come from the configuration (and --current), resolved the same way.
    const auto ccfg = in.s.write("check.toml", "[input]\nreference = \"reference.csv\"\ncurrent = \"severe.csv\"\n");
    const auto r = run("check --config " + q(ccfg) + " --report prometheus=" + q(in.cur));
    CHECK(r.code == 64);
    CHECK(r.err.find("current") != std::string::npos);
    CHECK(slurp(in.cur) == cur_bytes);
    // Two outputs naming one file.
    const auto two = run(in.drift() + "--output " + q(in.s.file("r.txt")) + " --report json=" + q(in.s.file("r.txt")));
    CHECK(two.code == 64);
    CHECK(two.err.find("name the same file") != std::string::npos);
}

TEST_CASE("A failed run leaves the previous report byte-identical and no temporary file", "[output]") {
    inputs in;
    scratch out;
    const auto report = out.file("report.json"), html = out.file("report.html");
    REQUIRE(run(in.drift() + "--format json --output " + q(report) + " --report html=" + q(html)).code == 2);
    const std::string before = slurp(report), before_html = slurp(html);
    REQUIRE(json::parse(before)["status"] == "critical");
    // Bad data: exit 65, nothing written.
    const auto bad = in.s.write("bad.csv", "income,util\n1,2\n3\n"); // a ragged row
    const auto r = run("drift " + q(bad) + " " + q(in.cur) + " --format json --output " + q(report) + " --report html=" + q(html));
    CHECK(r.code == 65);
    CHECK(slurp(report) == before);
    CHECK(slurp(html) == before_html);
    // The second output cannot be written: the first file is not replaced either (files are
    // renamed into place only when every output has been written).
    const auto w = run(in.drift() + "--format json --output " + q(report) + " --report html=/dev/full");
    CHECK(w.code == 74);
    CHECK(w.err.find("/dev/full") != std::string::npos);
    CHECK(w.err.find("No space left on device") != std::string::npos);
    CHECK(slurp(report) == before);
    CHECK(listing(out.path) == std::vector<std::string>{"report.html", "report.json"});
    // A missing directory and a directory: 74 before the run, naming the path and the reason.
    const auto m = run(in.drift() + "--report markdown=" + q(out.file("no/such/dir/r.md")));
    CHECK(m.code == 74);
    CHECK(m.err.find("no/such/dir/r.md") != std::string::npos);
    CHECK(m.err.find("No such file or directory") != std::string::npos);
    const auto d = run(in.drift() + "--output " + q(out.path.string()));
    CHECK(d.code == 74);
    CHECK(d.err.find("Is a directory") != std::string::npos);
    CHECK(listing(out.path) == std::vector<std::string>{"report.html", "report.json"});
}

TEST_CASE("/dev/full: exit 74 with the errno text, for --output and for standard output", "[output]") {
    inputs in;
    const auto r = run(in.drift() + "--output /dev/full");
    CHECK(r.code == 74);
    CHECK(r.err.find("/dev/full") != std::string::npos);
    CHECK(r.err.find("No space left on device") != std::string::npos);
    const auto [rc, out] = shell(q(exe) + " " + in.drift() + ">/dev/full");
    CHECK(rc == 74);
    CHECK(out.find("No space left on device") != std::string::npos);
    CHECK(fs::is_character_file("/dev/full")); // written in place, never replaced
    // The help, the version, the default configuration and a profile's description too (the help
    // and the version were exit 0 with nothing written).
    for (const std::string& args : {std::string("--help"), std::string("drift --help"), std::string("--version"), std::string("config")}) {
        const auto [code, text] = shell(q(exe) + " " + args + " >/dev/full");
        INFO(args << ": " << text);
        CHECK(code == 74);
        CHECK(text.find("No space left on device") != std::string::npos);
    }
}

TEST_CASE("A closed pipe on standard output with SIGPIPE ignored is exit 74, never the gate's code", "[output]") {
    inputs in;
    SECTION("| head -c 1 on a report larger than the pipe's buffer") {
        // Forty drifting columns: a JSON report of well over 64 KiB, so that head exits while
        // driftgate still has bytes to write.
        scratch s;
        std::string ref = "c0", cur = "c0";
        for (int c = 1; c < 40; ++c) {
            ref += ",c" + std::to_string(c);
            cur += ",c" + std::to_string(c);
        }
        ref += "\n";
        cur += "\n";
        for (int i = 0; i < 300; ++i) {
            for (int c = 0; c < 40; ++c) {
                if (c) {
                    ref += ',';
                    cur += ',';
                }
                ref += std::to_string((i * (c + 7)) % 101);
                cur += std::to_string((i * (c + 7)) % 101 + 30);
            }
            ref += "\n";
            cur += "\n";
        }
        const auto rp = s.write("r.csv", ref), cp = s.write("c.csv", cur);
        const std::string cmd = q(exe) + " drift " + q(rp) + " " + q(cp) + " --format json";
        REQUIRE(shell(cmd + " | wc -c").second.size() > 0);
        REQUIRE(std::stol(shell(cmd + " | wc -c").second) > 2 * 65536);
        const auto [rc, out] = shell("trap '' PIPE; " + cmd + " | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}");
        INFO(out);
        CHECK(rc == 74);
        CHECK(out.find("Broken pipe") != std::string::npos);
        CHECK(out.find("standard output") != std::string::npos);
    }
    SECTION("a pipe whose reader has already gone, whatever the report's size") {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        ::close(fds[0]);
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            std::signal(SIGPIPE, SIG_IGN);
            ::dup2(fds[1], 1);
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 2);
            ::execl(exe.c_str(), exe.c_str(), "drift", in.ref.c_str(), in.cur.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(fds[1]);
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 74);
    }
}

TEST_CASE("Concurrent runs writing one path never leave a mixed or partial file", "[output]") {
    inputs in;
    scratch out;
    const auto path = out.file("shared.json");
    // Two different reports (severe: critical; same: ok) written over and over by four runs at
    // once while the file is read: every read is one whole report.
    const auto same = in.s.file("same.csv");
    fs::copy_file(fixture("same.csv"), same);
    std::string script = "for i in 1 2 3 4 5 6; do\n";
    for (int k = 0; k < 4; ++k)
        script += "  " + q(exe) + " drift " + q(in.ref) + " " + q(k % 2 ? same : in.cur) + " --format json --output " +
                  q(path) + " & \n";
    script += "  wait\ndone\n";
    const auto sh = out.write("writers.sh", script);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::execl("/bin/sh", "sh", sh.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int reads = 0, status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (fs::exists(path)) {
            const std::string text = slurp(path);
            INFO(text.substr(0, 200));
            REQUIRE_NOTHROW(json::parse(text));
            const auto j = json::parse(text);
            CHECK((j["status"] == "critical" || j["status"] == "ok"));
            ++reads;
        }
    }
    REQUIRE(WIFEXITED(status));
    CHECK(reads > 0);
    CHECK(listing(out.path) == std::vector<std::string>{"shared.json", "writers.sh"});
}

TEST_CASE("Files replaced atomically keep their mode, new files get 0666 less the umask, links and FIFOs", "[output]") {
    inputs in;
    scratch out;
    // A new file under umask 027: 0640.
    const auto fresh = out.file("new.json");
    CHECK(shell("umask 027; " + q(exe) + " " + in.drift() + "--format json --output " + q(fresh)).first == 2);
    CHECK((fs::status(fresh).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    // An existing file of mode 0600 keeps it, and is a new inode (replaced, not rewritten).
    const auto kept = out.write("kept.json", "old\n");
    fs::permissions(kept, fs::perms::owner_read | fs::perms::owner_write);
    struct stat before{};
    REQUIRE(::stat(kept.c_str(), &before) == 0);
    CHECK(run(in.drift() + "--format json --output " + q(kept)).code == 2);
    struct stat after{};
    REQUIRE(::stat(kept.c_str(), &after) == 0);
    CHECK((after.st_mode & 07777) == 0600);
    CHECK(after.st_ino != before.st_ino);
    CHECK(json::parse(slurp(kept))["status"] == "critical");
    // A symbolic link: the file it points to is replaced, the link stays a link.
    const auto target = out.write("target.md", "old\n");
    fs::create_symlink(target, out.file("link.md"));
    CHECK(run(in.drift() + "--report markdown=" + q(out.file("link.md")) + " --quiet").code == 2);
    CHECK(fs::is_symlink(out.file("link.md")));
    CHECK(slurp(target).rfind("# driftgate report: drift", 0) == 0);
    // A FIFO is written in place: the reader gets the report, the FIFO stays a FIFO.
    const auto fifo = out.file("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto [rc, text] = shell("timeout 60 cat " + q(fifo) + " & " + q(exe) + " " + in.drift() +
                                  "--format prometheus --output " + q(fifo) + "; rc=$?; wait; exit $rc");
    CHECK(rc == 2);
    CHECK(text.find("driftgate_psi{feature=\"income\"}") != std::string::npos);
    CHECK(fs::is_fifo(fifo));
    // A FIFO nobody opens for reading: open() waited forever (the run hung); now 10 s, then exit 74
    // naming it, and no report written.
    const auto lonely = out.file("lonely");
    REQUIRE(::mkfifo(lonely.c_str(), 0600) == 0);
    const auto beside = out.file("beside.json");
    const auto r = run(in.drift() + "-q --report json=" + q(beside) + " --report prometheus=" + q(lonely), 60);
    CHECK(r.code == 74);
    CHECK(r.err.find("--report prometheus " + lonely + ": cannot write it: no process opened the FIFO for reading within 10 "
                     "seconds") != std::string::npos);
    CHECK_FALSE(fs::exists(beside));
    // A name of 240 bytes (255 is the limit): its staged name no longer runs past the limit.
    const auto long_name = out.file(std::string(235, 'r') + ".html");
    CHECK(run(in.drift() + "-q --report html=" + q(long_name)).code == 2);
    CHECK(slurp(long_name).rfind("<!DOCTYPE html>", 0) == 0);
    // A reader that comes within the wait gets the report.
    const auto got = out.file("got.txt");
    const auto [late_rc, late_text] = shell("(sleep 1; timeout 60 cat " + q(lonely) + " >" + q(got) + ") & " + q(exe) + " " + in.drift() +
                                            "--format prometheus --output " + q(lonely) + "; rc=$?; wait; exit $rc");
    INFO(late_text);
    CHECK(late_rc == 2);
    CHECK(slurp(got).find("driftgate_psi{feature=\"income\"}") != std::string::npos);
    // /dev/stdout is standard output itself (here a file opened by the shell in append mode):
    // appended to, not replaced.
    const auto appended = out.write("appended.txt", "first line\n");
    CHECK(shell(q(exe) + " " + in.drift() + "--output /dev/stdout >>" + q(appended)).first == 2);
    CHECK(slurp(appended).rfind("first line\ndata_quality\n", 0) == 0);
}

TEST_CASE("Standard output named -: --output - and --report FORMAT=-, and two outputs on one stream refused", "[output]") {
    inputs in;
    // "-" was a file name: the report went to a file called "-" in the working directory.
    REQUIRE_FALSE(fs::exists("-"));
    auto r = run(in.drift() + "--output - --format json");
    CHECK(r.code == 2);
    CHECK(json::parse(r.out)["status"] == "critical");
    CHECK_FALSE(fs::exists("-"));
    r = run(in.drift() + "--report prometheus=- --quiet");
    CHECK(r.code == 2);
    CHECK(r.out.find("driftgate_psi{feature=\"income\"}") != std::string::npos);
    CHECK_FALSE(fs::exists("-"));
    // The text report and a JSON one on standard output would be one unreadable text: refused
    // before anything is read (before, /dev/stdout twice ran them together).
    for (const char* twice : {"--output - --report json=-", "--report json=-", "--report json=/dev/stdout --report html=-"}) {
        INFO(twice);
        r = run(in.drift() + std::string(twice));
        CHECK(r.code == 64);
        CHECK(r.out.empty());
        CHECK(r.err.find("both write to one file or stream") != std::string::npos);
    }
    // The same open file or pipe under two names: standard output redirected to the file a
    // --report names (the text went to it, then the JSON replaced it), 2>&1 with /dev/stderr,
    // and two descriptors on one file (4>&3, 4>>). Each is refused before anything is read; the
    // file keeps what it held.
    const std::string drift = q(exe) + " " + in.drift();
    const auto held = in.s.write("held.out", "kept\n");
    for (const std::string& line : {drift + "--report json=" + q(held) + " >> " + q(held),
                                    drift + "--report json=/dev/stderr >> " + q(held) + " 2>&1",
                                    drift + "-q --report json=/dev/fd/3 --report html=/dev/fd/4 3>>" + q(held) + " 4>&3",
                                    drift + "-q --report json=/dev/fd/3 --report text=/dev/fd/4 3>>" + q(held) + " 4>>" + q(held),
                                    drift + "--report json=/dev/stderr 2>&1 | cat >> " + q(held) + "; exit ${PIPESTATUS[0]}"}) {
        INFO(line);
        const auto [rc, said] = shell(line);
        CHECK(rc == 64);
        const std::string text = slurp(held);  // what it held, and the message where 2>&1 sent it
        CHECK(text.rfind("kept\n", 0) == 0);
        CHECK((said + text).find("both write to one file or stream") != std::string::npos);
        CHECK(text.find("data_quality") == std::string::npos);
        CHECK(text.find("\"status\"") == std::string::npos);
        std::ofstream(held, std::ios::trunc) << "kept\n";
    }
    // Standard error is another stream: the JSON there, the text on standard output.
    r = run(in.drift() + "--report json=/dev/stderr");
    CHECK(r.code == 2);
    CHECK(r.out.rfind("data_quality\n", 0) == 0);
    CHECK(json::parse(r.err)["status"] == "critical");
}

TEST_CASE("examples/credit/weekly-report.sh: the cron job writes the HTML, metrics and JSON, passes the exit code through", "[output]") {
    scratch s;
    const std::string script = source_dir + "/examples/credit/weekly-report.sh";
    const std::string env = "DRIFTGATE=" + q(exe) + " REPORT_DIR=" + q(s.file("reports")) + " TEXTFILE_DIR=" + q(s.file("textfile")) + " ";
    fs::create_directories(s.file("textfile"));
    const std::string credit = source_dir + "/examples/credit/";
    const auto [rc0, out0] = shell(env + q(script) + " " + q(credit + "current_stable.csv"));
    INFO(out0);
    CHECK(rc0 == 0);
    const auto [wrc, week] = shell("date -u +%G-W%V");
    const std::string w = week.substr(0, week.find('\n'));
    const std::string html = s.file("reports/drift-" + w + ".html"), jpath = s.file("reports/drift-" + w + ".json"),
                      prom = s.file("textfile/driftgate.prom");
    CHECK(slurp(html).find("<!DOCTYPE html>") == 0);
    CHECK(json::parse(slurp(jpath))["exit_code"] == 0);
    CHECK(slurp(prom).find("driftgate_run_exit_code{command=\"check\",fail_on=\"critical\"} 0") != std::string::npos);
    if (have("promtool")) CHECK(shell("promtool check metrics < " + q(prom)).first == 0);
    // The drifted snapshot: exit 2 passed through, every file replaced.
    const auto [rc2, out2] = shell(env + q(script) + " " + q(credit + "current_drifted.csv"));
    INFO(out2);
    CHECK(rc2 == 2);
    CHECK(json::parse(slurp(jpath))["status"] == "critical");
    CHECK(slurp(prom).find("driftgate_run_status{command=\"check\"} 3") != std::string::npos);
    // A run that cannot judge (a missing snapshot, exit 66; the metrics directory gone, exit
    // 74): its code is passed through and last run's files stay byte for byte.
    const std::string h = slurp(html), j = slurp(jpath), p = slurp(prom);
    const auto [rc66, out66] = shell(env + q(script) + " " + q(s.file("missing.csv")));
    CHECK(rc66 == 66);
    fs::rename(s.file("textfile"), s.file("textfile.away"));
    const auto [rc74, out74] = shell(env + q(script) + " " + q(credit + "current_stable.csv"));
    CHECK(rc74 == 74);
    fs::rename(s.file("textfile.away"), s.file("textfile"));
    CHECK(slurp(html) == h);
    CHECK(slurp(jpath) == j);
    CHECK(slurp(prom) == p);
    CHECK(listing(s.file("reports")).size() == 2);
    CHECK(listing(s.file("textfile")) == std::vector<std::string>{"driftgate.prom"});
}

TEST_CASE("A signal while the reports are renamed into place: every report new, never some of each", "[output]") {
    // rename() pauses a second after each report is put into place (tests/e2e/pause_rename.cpp),
    // and SIGTERM comes after the first: the handler removed the staged files still waiting and
    // died, leaving the first report new and the others as they were. The signal now takes
    // effect after the last rename.
    if (sanitized_binary) {  // AddressSanitizer's runtime must be the first library loaded
        std::fprintf(stderr, "SKIPPED: LD_PRELOAD of a sanitized binary\n");
        std::_Exit(77);
    }
    inputs in;
    scratch out;
    const std::vector<std::string> names{"r.json", "r.md", "r.html"};
    for (const auto& n : names) out.write(n, "OLD");
    const std::string first = q(out.file("r.json"));
    const auto [rc, text] = shell("LD_PRELOAD=" + q(DRIFTGATE_PAUSE_RENAME) + " DRIFTGATE_TEST_RENAME_PAUSE_MS=1000 " + q(exe) + " " +
                                  in.drift() + "-q --report json=" + first + " --report markdown=" + q(out.file("r.md")) +
                                  " --report html=" + q(out.file("r.html")) +
                                  " & pid=$!; for i in $(seq 3000); do [ \"$(cat " + first +
                                  ")\" != OLD ] && break; sleep 0.01; done; kill -TERM $pid; wait $pid; echo \"rc=$?\"");
    INFO(text);
    CHECK(rc == 0);
    CHECK(text.find("rc=143") != std::string::npos);  // the signal still ends the run
    for (const auto& n : names) {
        INFO(n);
        CHECK(slurp(out.file(n)) != "OLD");
    }
    CHECK(json::parse(slurp(out.file("r.json")))["status"] == "critical");
    CHECK(listing(out.path) == std::vector<std::string>{"r.html", "r.json", "r.md"});  // no staged file left
}
