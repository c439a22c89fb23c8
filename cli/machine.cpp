#include "machine.hpp"

#include <unistd.h>

namespace driftgate::cli {

unsigned long long physical_memory_bytes() noexcept {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    const long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0) return static_cast<unsigned long long>(pages) * static_cast<unsigned long long>(size);
#endif
    return 0;
}

} // namespace driftgate::cli
