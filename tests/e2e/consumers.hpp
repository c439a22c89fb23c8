// Helpers of the end-to-end tests that hand driftgate's reports to their real consumers
// (promtool, xmllint, headless Chromium): finding a tool, skipping loudly without it, and
// checks of report text shared by the tests.
#pragma once

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "e2e/e2e_support.hpp"

namespace e2e {

inline const std::string source_dir = DRIFTGATE_SOURCE_DIR;

/// True when `tool` is on the PATH.
inline bool have(const std::string& tool) {
    return std::system(("command -v " + q(tool) + " >/dev/null 2>&1").c_str()) == 0;
}

/// Ends the test with CTest's skip code (77, SKIP_RETURN_CODE) and a message saying what is
/// missing: a test that needs an optional tool is reported as skipped, not passed. CI installs
/// every such tool (scripts/install-deps.sh), so there they run.
inline void require_tool(const std::string& tool, const std::string& package) {
    if (have(tool)) return;
    std::fprintf(stderr, "SKIPPED: %s is not installed (Debian package: %s)\n", tool.c_str(), package.c_str());
    std::fflush(stderr);
    std::_Exit(77);
}

/// Runs a bash command line; returns its exit status and its standard output and error together.
inline std::pair<int, std::string> shell(const std::string& cmd) {
    scratch s;
    const auto out = s.path / "out";
    const int status = std::system(("bash -c " + q(cmd) + " >" + q(out.string()) + " 2>&1 </dev/null").c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out)};
}

/// Cells of a Markdown table row: the text between unescaped pipes (a pipe preceded by an odd
/// number of backslashes is text), without the leading and trailing pipe.
inline std::vector<std::string> markdown_cells(const std::string& line) {
    std::vector<std::string> cells;
    std::string cur;
    int backslashes = 0;
    bool started = false;
    for (const char c : line) {
        if (c == '|' && backslashes % 2 == 0) {
            if (started) cells.push_back(cur);
            cur.clear();
            started = true;
        } else {
            cur += c;
        }
        backslashes = c == '\\' ? backslashes + 1 : 0;
    }
    return cells;
}

/// Checks every GFM table of a Markdown text: a header row, a delimiter row (---, :---, ---:)
/// with as many cells, and rows with as many cells; no raw control character anywhere. Returns
/// the number of tables.
inline int check_markdown_tables(const std::string& md) {
    for (const char c : md) {
        const auto u = static_cast<unsigned char>(c);
        INFO("control character " << int(u));
        CHECK((u >= 0x20 || c == '\n') );
        if (u < 0x20 && c != '\n') break;
    }
    std::vector<std::string> lines;
    std::string cur;
    for (const char c : md) {
        if (c == '\n') {
            lines.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    int tables = 0;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        if (lines[i].empty() || lines[i][0] != '|') continue;
        const auto head = markdown_cells(lines[i]);
        const auto delim = markdown_cells(lines[i + 1]);
        INFO("table at line " << i + 1 << ": " << lines[i]);
        REQUIRE(delim.size() == head.size());
        for (const auto& d : delim) {
            std::string t = d;
            t.erase(0, t.find_first_not_of(' '));
            t.erase(t.find_last_not_of(' ') + 1);
            CHECK((t == "---" || t == ":---" || t == "---:" || t == ":---:"));
        }
        ++tables;
        std::size_t k = i + 2;
        for (; k < lines.size() && !lines[k].empty() && lines[k][0] == '|'; ++k) {
            INFO("row at line " << k + 1 << ": " << lines[k]);
            CHECK(markdown_cells(lines[k]).size() == head.size());
            CHECK(lines[k].back() == '|');
        }
        i = k;
    }
    return tables;
}

} // namespace e2e
