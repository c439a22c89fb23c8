// The executable's allocator (cli/memory.cpp, compiled into this test): blocks of 4 MiB and more
// are mappings of their own on a 2 MiB boundary, offered to huge pages whole, kept for reuse after
// delete, and unmapped when a larger request or release_kept_memory gives the kept ones back;
// smaller blocks are malloc's. Whether a page is mapped is asked of the kernel (msync fails with
// ENOMEM on an unmapped address).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "memory.hpp"

namespace {

constexpr std::size_t MiB = std::size_t{1} << 20;

bool on_2mib_boundary(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % (2 * MiB) == 0; }

/// Whether the page holding p is mapped in this process.
bool mapped(const void* p) {
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    void* const start = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(p) / page * page);
    if (::msync(start, page, MS_ASYNC) == 0) return true;
    REQUIRE(errno == ENOMEM);
    return false;
}

/// The VmFlags line of the mapping holding p (/proc/self/smaps), or "" when none is found.
std::string vm_flags(const void* p) {
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    std::ifstream in("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        std::uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(':') > line.find(' ')) {
            inside = lo <= at && at < hi;
            continue;
        }
        if (inside && line.rfind("VmFlags:", 0) == 0) return line;
    }
    return {};
}

/// Ends the test as skipped (exit code 77, CTest's SKIP_RETURN_CODE for these tests).
[[noreturn]] void skip(const char* why) {
    std::fprintf(stderr, "skipped: %s\n", why);
    std::_Exit(77);
}

/// Skips the test when memory.cpp's operator new is not this program's (AddressSanitizer builds
/// keep the sanitizer's).
void require_allocator() {
    if (!driftgate::cli::large_block_allocator()) skip("the allocator is not linked in (an AddressSanitizer build)");
}

/// A block from operator new[], every byte written (as a column is).
char* filled_block(std::size_t n) {
    auto* p = new char[n];
    std::memset(p, 0x5a, n);
    return p;
}

} // namespace

TEST_CASE("blocks of 4 MiB and more start on a 2 MiB boundary, are writable whole and reused after delete") {
    require_allocator();
    driftgate::cli::release_kept_memory();
    for (const std::size_t n : {4 * MiB, 4 * MiB + 1, 8 * MiB - 16, std::size_t{8'000'003}, 33 * MiB}) {
        INFO("bytes " << n);
        char* const a = filled_block(n);
        CHECK(on_2mib_boundary(a));
        CHECK(a[n - 1] == 0x5a);
        CHECK(mapped(a + n - 1));
        delete[] a;
        CHECK(mapped(a));  // kept
        char* const b = new char[n];
        CHECK(b == a);  // the kept block, already touched
        delete[] b;
        driftgate::cli::release_kept_memory();
        CHECK_FALSE(mapped(a));
    }
}

TEST_CASE("a block is offered to huge pages from its first byte to its last 2 MiB page") {
    require_allocator();
    std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
    if (!thp) skip("this kernel has no transparent huge pages");
    driftgate::cli::release_kept_memory();
    const std::size_t n = 6 * MiB + 100;  // rounded up to 8 MiB
    char* const a = filled_block(n);
    for (const std::size_t at : {std::size_t{0}, 2 * MiB, 6 * MiB, 8 * MiB - 1}) {
        INFO("offset " << at);
        const std::string flags = vm_flags(a + at);
        CHECK(flags.find(" hg") != std::string::npos);
    }
    delete[] a;
    driftgate::cli::release_kept_memory();
}

TEST_CASE("a request no kept block can hold gives the kept blocks back first") {
    require_allocator();
    driftgate::cli::release_kept_memory();
    char* const small = filled_block(4 * MiB);
    delete[] small;
    REQUIRE(mapped(small));
    char* const large = filled_block(16 * MiB);
    // Given back: unmapped, or inside the new block's mapping (the kernel may reuse the address).
    CHECK((!mapped(small) || (small >= large && small < large + 16 * MiB)));
    delete[] large;
    // A smaller request takes the kept larger block.
    char* const again = new char[5 * MiB];
    CHECK(again == large);
    delete[] again;
    driftgate::cli::release_kept_memory();
    CHECK_FALSE(mapped(large));
}

TEST_CASE("many large blocks at once: distinct, aligned, kept up to the cache's room, all given back") {
    require_allocator();
    driftgate::cli::release_kept_memory();
    std::vector<char*> blocks;
    for (int i = 0; i < 70; ++i) {
        blocks.push_back(new char[4 * MiB]);
        blocks.back()[0] = static_cast<char>(i);  // one page touched
        blocks.back()[4 * MiB - 1] = static_cast<char>(i);
    }
    std::vector<char*> sorted = blocks;
    std::sort(sorted.begin(), sorted.end());
    CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    for (std::size_t i = 0; i + 1 < sorted.size(); ++i) CHECK(sorted[i + 1] - sorted[i] >= static_cast<std::ptrdiff_t>(4 * MiB));
    for (int i = 0; i < 70; ++i) {
        CHECK(on_2mib_boundary(blocks[static_cast<std::size_t>(i)]));
        CHECK(blocks[static_cast<std::size_t>(i)][4 * MiB - 1] == static_cast<char>(i));
    }
    for (char* p : blocks) delete[] p;
    // The cache keeps 64; the rest are unmapped at once.
    const auto still = std::count_if(blocks.begin(), blocks.end(), [](const char* p) { return mapped(p); });
    CHECK(still == 64);
    driftgate::cli::release_kept_memory();
    for (const char* p : blocks) CHECK_FALSE(mapped(p));
}

TEST_CASE("smaller blocks and standard containers still work beside the large ones") {
    std::vector<std::unique_ptr<std::string>> strings;
    std::vector<std::vector<double>> columns;
    for (int i = 0; i < 200; ++i) {
        strings.push_back(std::make_unique<std::string>(static_cast<std::size_t>(i * 37 % 1000), 'x'));
        if (i % 20 == 0) columns.emplace_back(static_cast<std::size_t>(i + 1) * 30'000, 1.5);
    }
    std::size_t bytes = 0;
    for (const auto& s : strings) bytes += s->size();
    double sum = 0;
    for (const auto& c : columns) sum += c.back() * static_cast<double>(c.size());
    CHECK(bytes == 99'300);  // the sum of 37 i mod 1000 over i < 200
    CHECK(sum == 1.5 * 30'000 * (1 + 21 + 41 + 61 + 81 + 101 + 121 + 141 + 161 + 181));
    columns.clear();
    strings.clear();
    driftgate::cli::release_kept_memory();
}
