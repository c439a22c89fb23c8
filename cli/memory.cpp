// driftgate CLI — the executable's allocator: large blocks mapped on their own, offered to
// transparent huge pages and kept for reuse, and glibc's malloc told to keep freed memory. Linked
// into the `driftgate` executable and the Python module (CMake option
// DRIFTGATE_LARGE_BLOCK_ALLOCATOR); the library, the tests (but test_memory) and programs that
// embed driftgate keep their own allocator. The Python module takes
// the blocks and the cache, not tune_allocator() (glibc's settings are the whole process's), and
// empties the cache after each call (release_kept_memory).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <new>

#include <malloc.h>
#include <sys/mman.h>

#include "memory.hpp"

// The columns and sort buffers of a large snapshot are fresh memory, and the kernel maps fresh
// memory as it is first touched, one fault (a trap, on a virtual machine a costly one) per page.
// Blocks of 4 MiB and more are therefore mappings of their own (mmap), starting on a 2 MiB
// boundary and rounded up to whole 2 MiB pages, all offered to transparent huge pages (madvise):
// on kernels whose THP mode is "madvise" or "always" they fault 2 MiB at a time. (Blocks from
// malloc, offered only their aligned inside, still faulted their two ends 4 KiB at a time: drift
// on the 1e6-row pair took 8,800 faults, 450 this way, in 0.86x the wall time (perf 0.77x), for a
// peak RSS of 105 MB instead of 88, the columns' last huge pages.) Freed blocks of that size are
// kept for reuse (block_cache below). Smaller blocks come from malloc.

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

/// Requests of this size and more get a mapping of their own (map_block).
constexpr std::size_t mapped_min = driftgate::cli::large_block_bytes;
static_assert(mapped_min % huge_page == 0 && mapped_min >= huge_page);

/// Blocks and their sizes in a fixed table under a mutex (the allocator's bookkeeping cannot
/// allocate). Cost: O(Capacity) per call at most; the tables below hold a few dozen blocks in a run.
template <std::size_t Capacity>
class block_table {
public:
    /// Lists p; false when the table is full.
    bool add(void* p, std::size_t size) noexcept {
        std::lock_guard lock(mutex_);
        if (count_ == Capacity) return false;
        block_[count_] = p;
        size_[count_] = size;
        ++count_;
        return true;
    }
    /// The size listed for p, or 0 when p is not listed.
    std::size_t size_of(const void* p) noexcept {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < count_; ++i)
            if (block_[i] == p) return size_[i];
        return 0;
    }
    /// Unlists p and returns its size, or 0 when p is not listed.
    std::size_t remove(const void* p) noexcept {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < count_; ++i)
            if (block_[i] == p) return unlist(i);
        return 0;
    }
    /// Unlists and returns the smallest block of at least n bytes, or nullptr when none is.
    void* take(std::size_t n) noexcept {
        std::lock_guard lock(mutex_);
        std::size_t best = count_;
        for (std::size_t i = 0; i < count_; ++i)
            if (size_[i] >= n && (best == count_ || size_[i] < size_[best])) best = i;
        if (best == count_) return nullptr;
        void* const p = block_[best];
        unlist(best);
        return p;
    }
    /// Unlists every block and calls f(block) for each, outside the lock.
    template <class F>
    void drain(F f) noexcept {
        void* taken[Capacity];
        std::size_t n = 0;
        {
            std::lock_guard lock(mutex_);
            n = count_;
            std::copy(block_, block_ + n, taken);
            count_ = 0;
        }
        for (std::size_t i = 0; i < n; ++i) f(taken[i]);
    }

private:
    std::size_t unlist(std::size_t i) noexcept {
        const std::size_t size = size_[i];
        --count_;
        block_[i] = block_[count_];
        size_[i] = size_[count_];
        return size;
    }
    std::mutex mutex_;
    void* block_[Capacity] = {};
    std::size_t size_[Capacity] = {};
    std::size_t count_ = 0;
};

/// A table never destroyed (operator delete may run after static destructors).
template <class T>
T& forever() {
    static T* t = new (std::malloc(sizeof(T))) T;
    return *t;
}

/// The blocks mapped for operator new (map_block): each one mapping, 2 MiB-aligned, its length a
/// multiple of 2 MiB, offered to huge pages. They are listed, so that operator delete tells them
/// from malloc's blocks: only a pointer on a 2 MiB boundary is looked up (a block from malloc
/// rarely starts there, and is then simply not found).
using mapped_table = block_table<4096>;

bool on_huge_page_boundary(const void* p) { return (reinterpret_cast<std::uintptr_t>(p) & (huge_page - 1)) == 0; }

/// A new mapping for n >= mapped_min bytes, or nullptr (mmap failed, or the table is full: the
/// caller then asks malloc).
void* map_block(std::size_t n) noexcept {
    if (n > std::numeric_limits<std::size_t>::max() - 2 * huge_page) return nullptr;
    const std::size_t length = (n + huge_page - 1) & ~(huge_page - 1);
    // Map a huge page more than needed and cut the mapping to the 2 MiB boundary inside it.
    void* const m = ::mmap(nullptr, length + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return nullptr;
    const auto b = reinterpret_cast<std::uintptr_t>(m);
    const std::uintptr_t a = (b + huge_page - 1) & ~(huge_page - 1);
    if (a > b) ::munmap(m, a - b);
    if (b + huge_page > a) ::munmap(reinterpret_cast<void*>(a + length), b + huge_page - a);
    void* const p = reinterpret_cast<void*>(a);
#if defined(MADV_HUGEPAGE)
    (void)::madvise(p, length, MADV_HUGEPAGE);  // advice only
#endif
    if (!forever<mapped_table>().add(p, length)) {
        ::munmap(p, length);
        return nullptr;
    }
    return p;
}

/// The length of p's mapping when map_block made it, else 0.
std::size_t mapped_length(const void* p) noexcept {
    return on_huge_page_boundary(p) ? forever<mapped_table>().size_of(p) : 0;
}

/// Gives a block back: unmapped when map_block made it, else to free.
void dispose(void* p) noexcept {
    const std::size_t length = on_huge_page_boundary(p) ? forever<mapped_table>().remove(p) : 0;
    if (length != 0) ::munmap(p, length);
    else std::free(p);
}

// Freed blocks of 4 MiB and more are kept for the next large request they can hold: a drift run
// frees the reference's columns and sort buffers shortly before it asks for blocks of the same
// sizes for the current file, and memory the process has already touched costs no page faults.
// A request no kept block can hold first releases every kept block, so the peak memory of a run
// is never above what it would be without the cache. At most 64 are kept; more are given back.
using block_cache = block_table<64>;

/// Blocks kept: 4 MiB and more in the executable; the Python module, whose process keeps glibc's
/// defaults (blocks from 128 KiB up are mappings of their own, unmapped when freed), keeps blocks
/// from 256 KiB up for the duration of a call (DRIFTGATE_BLOCK_CACHE_MIN).
#ifdef DRIFTGATE_BLOCK_CACHE_MIN
constexpr std::size_t cache_min = DRIFTGATE_BLOCK_CACHE_MIN;
#else
constexpr std::size_t cache_min = mapped_min;
#endif

/// A kept block of at least n bytes, or nullptr after giving every kept block back.
void* take_kept(std::size_t n) noexcept {
    if (void* p = forever<block_cache>().take(n)) return p;
    forever<block_cache>().drain(dispose);
    return nullptr;
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    std::size_t size = mapped_length(p);
    if (size == 0) {
        size = ::malloc_usable_size(p);
        if (size < cache_min) {
            std::free(p);
            return;
        }
    }
    if (!forever<block_cache>().add(p, size)) dispose(p);
}
} // namespace

void* operator new(std::size_t n) {
    if (n >= cache_min)
        if (void* p = take_kept(n)) return p;
    for (;;) {
        if (n >= mapped_min)
            if (void* p = map_block(n)) return p;
        if (void* p = std::malloc(n != 0 ? n : 1)) return p;
        const std::new_handler h = std::get_new_handler();
        if (h == nullptr) throw std::bad_alloc();
        h();
    }
}
// The pair above and below is malloc/free (or the mappings) on both sides; GCC cannot see that
// operator new is this one.
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
    // glibc: blocks up to 32 MiB (its largest setting) come from the heap rather than from
    // mappings of their own, and the heap keeps freed memory (no trimming below 1 GiB), so that
    // the many smaller blocks a run frees and asks for again (the reader's per-chunk buffers, the
    // statistics' scratch, the decompressors' windows) reuse pages already touched; operator
    // new's blocks of 4 MiB and more are mapped above. With the block cache above: drift on the
    // 1e6-row pair 232 -> 223 ms.
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

void release_kept_memory() noexcept {
#if DRIFTGATE_HUGE_PAGE_NEW
    forever<block_cache>().drain(dispose);
#endif
}

bool large_block_allocator() noexcept { return DRIFTGATE_HUGE_PAGE_NEW != 0; }

} // namespace driftgate::cli
