// driftgate CLI — the executable's allocator settings (memory.cpp; see there for the measurements).
#pragma once

#include <cstddef>

namespace driftgate::cli {

/// Blocks of this size and more that operator new hands out are mappings of their own, in 2 MiB
/// huge pages, kept for reuse once freed (memory.cpp): a buffer of this size that is asked for again
/// and again costs its page faults once. (Where the allocator is not linked in, they come from
/// malloc like any other block.)
inline constexpr std::size_t large_block_bytes = std::size_t{4} << 20;

/// Tells glibc's malloc to serve blocks up to 32 MiB from its heap and to keep freed memory.
/// A no-op where those settings do not exist, and when the allocator is not linked in.
void tune_allocator() noexcept;

/// Frees the large blocks kept for reuse (memory.cpp's block cache), so that a long-lived process
/// that links the allocator (the Python module, after each call into the library) keeps nothing
/// between calls. A no-op when the allocator is not linked in.
void release_kept_memory() noexcept;

/// Whether this program's operator new is memory.cpp's (false under AddressSanitizer, whose own
/// stays in place, and when DRIFTGATE_LARGE_BLOCK_ALLOCATOR is OFF).
bool large_block_allocator() noexcept;

} // namespace driftgate::cli
