// Helpers shared by the end-to-end tests: run the built driftgate binary (DRIFTGATE_EXE) in a
// shell with its output captured, in scratch directories that clean up after themselves.
#pragma once

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;  // the environment the spawned binary inherits (run_acting_when_mapped)

namespace e2e {

namespace fs = std::filesystem;

/// The binary under test: $DRIFTGATE_E2E_EXE when set (CI runs these tests once more against the
/// binary of the AddressSanitizer build), else the one this build made.
inline const std::string exe = [] {
    const char* e = std::getenv("DRIFTGATE_E2E_EXE");
    return e != nullptr && *e != '\0' ? std::string(e) : std::string(DRIFTGATE_EXE);
}();

/// Whether the binary under test runs under AddressSanitizer, whose shadow memory and freed-block
/// quarantine come on top of what the program holds: memory bounds are checked only without it.
/// Set by $DRIFTGATE_E2E_SANITIZED=1 (with $DRIFTGATE_E2E_EXE), or this test built sanitized as
/// its own build's binary is.
inline const bool sanitized_binary = [] {
    const char* e = std::getenv("DRIFTGATE_E2E_SANITIZED");
    if (e != nullptr && std::string(e) == "1") return true;
#if defined(__SANITIZE_ADDRESS__)
    return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return true;
#else
    return false;
#endif
#else
    return false;
#endif
}();

/// Single-quotes a string for the shell.
inline std::string q(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A scratch directory for one test, removed with everything in it at the end of its scope.
struct scratch {
    fs::path path;
    scratch() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("driftgate-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(path);
    }
    ~scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    scratch(const scratch&) = delete;
    scratch& operator=(const scratch&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(path / name, std::ios::binary) << content;
        return file(name);
    }
    /// A copy of the file `from`, named copy-of-<its name> here: the same rows in another file, for
    /// a current snapshot equal to the reference (one file named twice is refused, exit 64).
    std::string copy(const std::string& from) const {
        const fs::path to = path / ("copy-of-" + fs::path(from).filename().string());
        fs::copy_file(from, to, fs::copy_options::overwrite_existing);
        return to.string();
    }
};

/// What a run of the binary produced.
struct result {
    int code = -1;
    std::string out, err;
    long peak_kb = -1; ///< peak RSS in KiB when measured
    /// The JSON report on standard output, parsed once and kept: a reference to it stays valid as
    /// long as the result does (`for (auto& c : r.report()["checks"])` is safe).
    [[nodiscard]] const nlohmann::json& report() const {
        if (!parsed) parsed = nlohmann::json::parse(out);
        return *parsed;
    }
    mutable std::optional<nlohmann::json> parsed;  ///< report()'s cache (last: aggregate initialisation unchanged)
};

/// The check `name` of a JSON report whose `key` ("segment", "window") is `value`, or, for an
/// empty value, the one without that key (the overall row); of `column` when one is given.
inline const nlohmann::json* find_check(const nlohmann::json& report, const std::string& name, const char* key,
                                        const std::string& value, const std::string& column = "") {
    for (const auto& c : report["checks"]) {
        if (c["check"] != name) continue;
        if (value.empty() ? c.contains(key) : (!c.contains(key) || c[key] != value)) continue;
        if (!column.empty() && c.value("column", "") != column) continue;
        return &c;
    }
    return nullptr;
}

/// a and b equal to `rel` relative.
inline bool close(double a, double b, double rel = 1e-12) { return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b)); }

/// A report without what describes its input files rather than their contents (paths, sizes, times,
/// digests and kinds differ between a file, its compressed copy, its profile or standard input), without
/// the configuration's record (which names the files) and without the run's own time (seconds: two
/// runs may straddle a second's boundary).
inline nlohmann::json report_content(nlohmann::json j) {
    if (j.contains("inputs")) {
        for (const char* side : {"reference", "current", "data"})
            if (j["inputs"].contains(side))
                for (const char* k : {"path", "size_bytes", "modified", "sha256", "type"}) j["inputs"][side].erase(k);
        j["inputs"].erase("config");
    }
    j.erase("run");
    return j;
}

/// Runs the binary with `args` under `timeout` (a hang is a failure, not a stuck test) and, when
/// asked, under /usr/bin/time -v for its peak RSS. Standard input is /dev/null, or the output of
/// the shell command `feed` through a pipe. Requires a normal exit: a signal (crash) fails the
/// test.
inline result run(const std::string& args, int seconds = 120, bool measure = false, const std::string& feed = "") {
    scratch s;
    const auto out = s.path / "stdout", err = s.path / "stderr", tm = s.path / "time";
    std::string prefix = "timeout -s KILL " + std::to_string(seconds) + " ";
    if (measure) prefix = "/usr/bin/time -v -o " + q(tm.string()) + " " + prefix;
    const std::string cmd = (feed.empty() ? "" : "(" + feed + ") | ") + prefix + q(exe) + " " + args + " >" + q(out.string()) +
                            " 2>" + q(err.string()) + (feed.empty() ? " </dev/null" : "");
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    result r{WEXITSTATUS(status), slurp(out), slurp(err), -1, {}};
    INFO("command: " << args << "\nstderr: " << r.err.substr(0, 2000));
    REQUIRE(r.code != 137); // killed by timeout: a hang
    REQUIRE(r.code < 128);  // 128 + signal: a crash
    if (measure) {
        const std::string t = slurp(tm);
        const auto pos = t.find("Maximum resident set size (kbytes): ");
        if (pos != std::string::npos) r.peak_kb = std::stol(t.substr(pos + 36));
    }
    return r;
}

/// Changes a file under a reader: cuts it to `cut_to` bytes, or (cut_to = npos) writes the byte
/// `byte` at `at` in place.
inline void change_file(const std::string& path, std::size_t cut_to, std::size_t at = 0, char byte = '7') {
    if (cut_to != std::string::npos) {
        REQUIRE(::truncate(path.c_str(), static_cast<off_t>(cut_to)) == 0);
        return;
    }
    const int fd = ::open(path.c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    REQUIRE(::pwrite(fd, &byte, 1, static_cast<off_t>(at)) == 1);
    ::close(fd);
}

/// Starts the binary with `args`, its standard output and error written to the files `out` and
/// `err`; returns its pid (for waitpid).
inline pid_t spawn(std::vector<std::string> args, const std::string& out, const std::string& err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    args.insert(args.begin(), exe);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

/// Starts the binary with `args` (standard output and error to the files `out` and `err`), calls
/// `act` once /proc/PID/maps has shown every file of `mapped` mapped into the process at once, and
/// `after` more has passed (not at all when the process ends first), and returns how the process
/// ended (waitpid's status) and whether `act` ran. For tests that change a file under a running
/// process.
struct acted_run {
    int status = 0;
    bool acted = false;
};
inline acted_run run_acting_when_mapped(std::vector<std::string> args, const std::string& out, const std::string& err,
                                        const std::vector<std::string>& mapped, const std::function<void()>& act,
                                        std::chrono::milliseconds after = std::chrono::milliseconds(0)) {
    const pid_t pid = spawn(std::move(args), out, err);
    const std::string maps = "/proc/" + std::to_string(pid) + "/maps";
    acted_run r;
    bool seen = false;
    for (int i = 0; i < 400000 && !seen; ++i) {
        std::ifstream m(maps);
        std::vector<bool> found(mapped.size(), false);
        for (std::string line; std::getline(m, line);)
            for (std::size_t k = 0; k < mapped.size(); ++k)
                found[k] = found[k] || (line.size() >= mapped[k].size() &&
                                        line.compare(line.size() - mapped[k].size(), mapped[k].size(), mapped[k]) == 0);
        seen = std::all_of(found.begin(), found.end(), [](bool f) { return f; });
        if (!m.is_open() && i > 1000) break;  // the process is gone
        if (!seen) std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    if (seen) {
        std::this_thread::sleep_for(after);
        act();
        r.acted = true;
    }
    REQUIRE(::waitpid(pid, &r.status, 0) == pid);
    return r;
}

/// The most threads the binary showed in /proc/PID/status, polled every 100 microseconds while it
/// ran with `args` (its output discarded); requires exit code 0.
inline int most_threads(std::vector<std::string> args) {
    const pid_t pid = spawn(std::move(args), "/dev/null", "/dev/null");
    const std::string status = "/proc/" + std::to_string(pid) + "/status";
    int most = 0, wait_status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &wait_status, WNOHANG);
        REQUIRE(done >= 0);
        if (done == pid) break;
        std::ifstream in(status);
        for (std::string line; std::getline(in, line);)
            if (line.rfind("Threads:", 0) == 0) most = std::max(most, std::stoi(line.substr(8)));
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    REQUIRE(WIFEXITED(wait_status));
    REQUIRE(WEXITSTATUS(wait_status) == 0);
    return most;
}

/// `args` run with --threads 2 shows two threads or more (the probe sees them), and with
/// --threads 1 one only (not checked under a sanitizer, whose own threads would be counted).
inline void check_one_thread_with_threads_1(const std::vector<std::string>& args) {
    std::vector<std::string> one = args, two = args;
    one.insert(one.end(), {"--threads", "1"});
    two.insert(two.end(), {"--threads", "2"});
    CHECK(most_threads(two) >= 2);
    if (!sanitized_binary) CHECK(most_threads(one) == 1);
}

} // namespace e2e
