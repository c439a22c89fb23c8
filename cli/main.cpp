// driftgate — command-line entry point: parse arguments, run a command, render, exit with a
// code a CI pipeline can gate on. See `driftgate --help` and the README.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <mutex>
#include <new>

#include <malloc.h>

#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <driftgate/version.hpp>

#include "commands.hpp"
#include "config.hpp"
#include "exit_codes.hpp"
#include "parallel.hpp"
#include "report.hpp"

using namespace driftgate::cli;

// ---- memory -----------------------------------------------------------------------------------
// The columns and sort buffers of a large snapshot are fresh memory, and touching it a 4 KiB page
// at a time costs the kernel one fault per page (about a fifth of a drift run's CPU time on 1e6
// rows). Blocks of 4 MiB and more are therefore offered to transparent huge pages (madvise, as
// glibc's malloc does with the glibc.malloc.hugetlb=1 tunable): on kernels whose THP mode is
// "madvise" or "always", their aligned 2 MiB stretches fault in one go. The memory still comes
// from malloc and goes back with free, except that freed blocks of that size are kept for reuse
// (block_cache below). (This tool's executable only; the library and programs that embed it keep
// their own allocator.)

// Under AddressSanitizer the sanitizer's own operator new and delete stay in place (they check
// every pairing); the replacement below would mix them.
#if defined(__SANITIZE_ADDRESS__)
#define DRIFTGATE_HUGE_PAGE_NEW 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DRIFTGATE_HUGE_PAGE_NEW 0
#endif
#endif
#ifndef DRIFTGATE_HUGE_PAGE_NEW
#define DRIFTGATE_HUGE_PAGE_NEW 1
#endif

#if DRIFTGATE_HUGE_PAGE_NEW
namespace {
constexpr std::size_t huge_page = std::size_t{2} << 20;

void offer_huge_pages([[maybe_unused]] void* p, [[maybe_unused]] std::size_t n) {
#if defined(MADV_HUGEPAGE)
    const auto b = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t lo = (b + huge_page - 1) & ~(huge_page - 1), hi = (b + n) & ~(huge_page - 1);
    if (hi > lo) (void)::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);  // advice only
#endif
}

// Freed blocks of 4 MiB and more are kept for the next large request they can hold: a drift run
// frees the reference's columns and sort buffers shortly before it asks for blocks of the same
// sizes for the current file, and memory the process has already touched costs no page faults.
// A request no kept block can hold first releases every kept block, so the peak memory of a run
// is never above what it would be without the cache.
class block_cache {
public:
    static constexpr std::size_t min_size = 2 * huge_page;

    void* take(std::size_t n) noexcept {
        std::lock_guard lock(mutex_);
        std::size_t best = count_;
        for (std::size_t i = 0; i < count_; ++i)
            if (size_[i] >= n && (best == count_ || size_[i] < size_[best])) best = i;
        if (best == count_) {
            for (std::size_t i = 0; i < count_; ++i) std::free(block_[i]);
            count_ = 0;
            return nullptr;
        }
        void* p = block_[best];
        --count_;
        block_[best] = block_[count_];
        size_[best] = size_[count_];
        return p;
    }
    /// Keeps p (a block of malloc_usable_size >= min_size) or frees it when the cache is full.
    void give(void* p, std::size_t size) noexcept {
        std::lock_guard lock(mutex_);
        if (count_ == capacity) {
            std::free(p);
            return;
        }
        block_[count_] = p;
        size_[count_] = size;
        ++count_;
    }

private:
    static constexpr std::size_t capacity = 64;
    std::mutex mutex_;
    void* block_[capacity] = {};
    std::size_t size_[capacity] = {};
    std::size_t count_ = 0;
};

block_cache& large_blocks() {
    static block_cache* c = new (std::malloc(sizeof(block_cache))) block_cache;  // never destroyed
    return *c;
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    const std::size_t size = ::malloc_usable_size(p);
    if (size >= block_cache::min_size) large_blocks().give(p, size);
    else std::free(p);
}
} // namespace

void* operator new(std::size_t n) {
    if (n >= block_cache::min_size)
        if (void* p = large_blocks().take(n)) return p;
    for (;;) {
        if (void* p = std::malloc(n != 0 ? n : 1)) {
            if (n >= block_cache::min_size) offer_huge_pages(p, n);
            return p;
        }
        const std::new_handler h = std::get_new_handler();
        if (h == nullptr) throw std::bad_alloc();
        h();
    }
}
// The pair above and below is malloc/free on both sides; GCC cannot see that operator new is
// this one.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif // DRIFTGATE_HUGE_PAGE_NEW

namespace {

struct common_options {
    std::string config_file;
    std::string format = "text";
    std::string fail_on = "critical";
    std::string output;
    bool quiet = false;
    std::string delimiter;
    unsigned threads = 0;
};

void add_common(CLI::App* sub, common_options& o, bool config_required = false) {
    auto* c = sub->add_option("--config", o.config_file, "TOML configuration (thresholds, columns, binning, ...)");
    if (config_required) c->required();
    sub->add_option("--format", o.format, "Output format: text (for people) or json (for scripts)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    sub->add_option("--fail-on", o.fail_on,
                    "Lowest severity that makes the exit code non-zero: warning, critical or never")
        ->check(CLI::IsMember({"warning", "critical", "never"}))
        ->capture_default_str();
    sub->add_option("--output,-o", o.output, "Write the report to FILE instead of standard output");
    sub->add_flag("--quiet,-q", o.quiet, "Print no report on standard output (errors still go to standard error)");
    sub->add_option("--delimiter", o.delimiter, "CSV field separator: ',' (default), ';' or 'tab'");
    sub->add_option("--threads", o.threads,
                    "Parallel work: CSV chunks and statistics, run on at most one thread per core (default: all cores)");
}

int exit_for(driftgate::severity s, driftgate::fail_on gate) {
    if (!driftgate::gate_fails(s, gate)) return 0;
    return static_cast<int>(s == driftgate::severity::critical ? exit_code::critical : exit_code::warning);
}

driftgate::fail_on parse_fail_on(const std::string& s) {
    return s == "warning" ? driftgate::fail_on::warning : s == "never" ? driftgate::fail_on::never : driftgate::fail_on::critical;
}

bool use_colour(const common_options& o) {
    if (!o.output.empty()) return false;
    const char* no = std::getenv("NO_COLOR");
    if (no && *no) return false;
    return isatty(STDOUT_FILENO) == 1;
}

std::optional<char> parse_delimiter(const std::string& d) {
    if (d.empty()) return std::nullopt;
    if (d == "tab" || d == "\\t" || d == "\t") return '\t';
    if (d.size() != 1 || d == "\"")
        throw cli_error(exit_code::usage, fmt::format("--delimiter: \"{}\" is not one character (use ',', ';' or 'tab')", d));
    return d[0];
}

} // namespace

int main(int argc, char** argv) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    // glibc: blocks up to 32 MiB (its largest setting; a 1e6-row column is 8 MB) come from the
    // heap rather than from mappings of their own, and the heap keeps freed memory (no trimming
    // below 1 GiB), so that the many smaller blocks a run frees and asks for again (the reader's
    // per-chunk buffers, the statistics' scratch) reuse pages already touched. With the block
    // cache above: drift on the 1e6-row pair 232 -> 223 ms.
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
    CLI::App app{"driftgate " DRIFTGATE_VERSION_STRING
                 " - drift and model-performance monitoring for credit-risk scoring.\n"
                 "Compares a reference and a current CSV snapshot against configured thresholds and exits\n"
                 "with a code a CI pipeline can gate on."};
    app.footer(exit_code_table());
    app.set_version_flag("--version", "driftgate " DRIFTGATE_VERSION_STRING);
    app.require_subcommand(1);

    common_options common;
    overrides over;
    std::string reference, current, data;
    std::string columns_csv;

    auto* drift = app.add_subcommand("drift", "PSI and KS for each feature column, CSI for the score column");
    drift->add_option("REFERENCE", reference, "Reference snapshot (CSV)")->required();
    drift->add_option("CURRENT", current, "Current snapshot (CSV)")->required();
    drift->add_option("--columns", columns_csv,
                      "Feature columns, comma-separated (default: every numeric column in both files but score/label)");
    drift->add_option("--score", over.score, "Score (PD) column for CSI (default from the configuration: score)");
    add_common(drift, common);
    drift->footer(exit_code_table());

    auto* perf = app.add_subcommand("perf", "AUC with its DeLong interval, KS statistic, recall, precision, Brier");
    perf->add_option("DATA", data, "Scored snapshot with labels (CSV)")->required();
    perf->add_option("--score", over.score, "Score (PD) column")->required();
    perf->add_option("--label", over.label, "Label column (1 = default, 0 = no default)")->required();
    perf->add_option("--threshold", over.threshold, "Decision threshold: PD >= T predicts default (default 0.12)")
        ->check(CLI::Range(0.0, 1.0));
    add_common(perf, common);
    perf->footer(exit_code_table());

    auto* proxy = app.add_subcommand("proxy", "Label-free proxies: high-risk share, mean score, approval rate");
    proxy->add_option("DATA", data, "Scored snapshot (CSV)")->required();
    proxy->add_option("--score", over.score, "Score (PD) column")->required();
    add_common(proxy, common);
    proxy->footer(exit_code_table());

    auto* check = app.add_subcommand("check", "The whole monitoring run the configuration asks for (drift, CSI, "
                                              "performance, proxies)");
    check->add_option("--reference", over.reference, "Reference snapshot (overrides [input] reference)");
    check->add_option("--current", over.current, "Current snapshot (overrides [input] current)");
    check->add_option("--score", over.score, "Score column (overrides [columns] score)");
    check->add_option("--label", over.label, "Label column (overrides [columns] label)");
    check->add_option("--threshold", over.threshold, "Decision threshold (overrides [performance] threshold)")
        ->check(CLI::Range(0.0, 1.0));
    add_common(check, common, true);
    check->footer(exit_code_table());

    auto* cfg = app.add_subcommand("config", "Print the default configuration (the SPEC.md thresholds, commented)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : static_cast<int>(exit_code::usage);
    }

    try {
        if (cfg->parsed()) {
            std::fputs(default_config_toml(), stdout);
            return std::fflush(stdout) == 0 ? 0 : static_cast<int>(exit_code::io);
        }
        config c = common.config_file.empty() ? config{} : load_config(common.config_file);
        if (!columns_csv.empty()) {
            std::string item;
            for (char ch : columns_csv + ",") {
                if (ch == ',') {
                    if (!item.empty()) over.columns.push_back(item);
                    item.clear();
                } else {
                    item += ch;
                }
            }
        }
        over.delimiter = parse_delimiter(common.delimiter);
        if (common.threads) over.threads = common.threads;
        apply(c, over);

        // The worker threads start polling for work while the files' headers are read.
        if (c.csv.threads != 1) start_workers();
        driftgate::report report;
        if (drift->parsed())
            report = run_drift_command(c, reference, current);
        else if (perf->parsed())
            report = run_perf_command(c, data);
        else if (proxy->parsed())
            report = run_proxy_command(c, data);
        else
            report = run_check_command(c);

        const driftgate::fail_on gate = parse_fail_on(common.fail_on);
        const int rc = exit_for(report.status(), gate);
        std::string text = common.format == "json" ? to_json(report, gate, rc).dump(2) + "\n"
                                                   : to_text(report, use_colour(common), gate, rc);
        if (!common.output.empty()) {
            std::ofstream out(common.output, std::ios::binary | std::ios::trunc);
            out << text;
            out.close();
            if (!out)
                throw cli_error(exit_code::io, fmt::format("{}: cannot write the report", common.output));
        } else if (!common.quiet) {
            std::fwrite(text.data(), 1, text.size(), stdout);
            if (std::fflush(stdout) != 0) throw cli_error(exit_code::io, "cannot write the report to standard output");
        }
        return rc;
    } catch (const cli_error& e) {
        std::fprintf(stderr, "driftgate: error: %s\n", e.what());
        return static_cast<int>(e.code());
    } catch (const driftgate::error& e) {
        std::fprintf(stderr, "driftgate: error: %s\n", e.what());
        return static_cast<int>(exit_code::data);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "driftgate: error: %s\n", e.what());
        return static_cast<int>(exit_code::data);
    }
}
