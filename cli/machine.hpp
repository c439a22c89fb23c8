// driftgate CLI — what the machine offers (platform queries live in machine.cpp).
#pragma once

namespace driftgate::cli {

/// The machine's physical memory in bytes (POSIX sysconf), or 0 where it cannot be known.
[[nodiscard]] unsigned long long physical_memory_bytes() noexcept;

} // namespace driftgate::cli
