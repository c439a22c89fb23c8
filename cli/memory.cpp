// driftgate CLI — the executable's allocator: large blocks offered to transparent huge pages and
// kept for reuse, and glibc's malloc told to keep freed memory. Linked into the `driftgate`
// executable and the Python module (CMake option DRIFTGATE_LARGE_BLOCK_ALLOCATOR); the library,
// the tests and programs that embed driftgate keep their own allocator. The Python module takes
// the blocks and the cache, not tune_allocator() (glibc's settings are the whole process's), and
// empties the cache after each call (release_kept_memory).
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>

#include <malloc.h>
#include <sys/mman.h>

#include "memory.hpp"

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
#define DRIFTGATE_HUGE_PAGE_NEW 1  // CMake sets it to 0 when DRIFTGATE_LARGE_BLOCK_ALLOCATOR is OFF
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
    /// Blocks kept: 4 MiB and more in the executable; the Python module, whose process keeps
    /// glibc's defaults (blocks from 128 KiB up are mappings of their own, unmapped when freed),
    /// keeps blocks from 256 KiB up for the duration of a call (DRIFTGATE_BLOCK_CACHE_MIN).
#ifdef DRIFTGATE_BLOCK_CACHE_MIN
    static constexpr std::size_t min_size = DRIFTGATE_BLOCK_CACHE_MIN;
#else
    static constexpr std::size_t min_size = 2 * huge_page;
#endif

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
    /// Frees every kept block.
    void clear() noexcept {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < count_; ++i) std::free(block_[i]);
        count_ = 0;
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
            if (n >= 2 * huge_page) offer_huge_pages(p, n);
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

namespace driftgate::cli {

void tune_allocator() noexcept {
#if DRIFTGATE_HUGE_PAGE_NEW && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    // glibc: blocks up to 32 MiB (its largest setting; a 1e6-row column is 8 MB) come from the
    // heap rather than from mappings of their own, and the heap keeps freed memory (no trimming
    // below 1 GiB), so that the many smaller blocks a run frees and asks for again (the reader's
    // per-chunk buffers, the statistics' scratch) reuse pages already touched. With the block
    // cache above: drift on the 1e6-row pair 232 -> 223 ms.
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

void release_kept_memory() noexcept {
#if DRIFTGATE_HUGE_PAGE_NEW
    large_blocks().clear();
#endif
}

} // namespace driftgate::cli
