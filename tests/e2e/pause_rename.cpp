// A library for LD_PRELOAD in the end-to-end tests (tests/e2e/test_output.cpp): rename() as the C
// library's, then a pause of $DRIFTGATE_TEST_RENAME_PAUSE_MS milliseconds, so that a test can send
// a signal between two of the renames that put a run's reports into place.
#include <dlfcn.h>
#include <time.h>

#include <cerrno>
#include <cstdlib>

extern "C" int rename(const char* from, const char* to) {
    using rename_fn = int (*)(const char*, const char*);
    static const rename_fn real = reinterpret_cast<rename_fn>(dlsym(RTLD_NEXT, "rename"));
    const int r = real(from, to);
    const int saved = errno;
    if (const char* ms = std::getenv("DRIFTGATE_TEST_RENAME_PAUSE_MS")) {
        const long n = std::strtol(ms, nullptr, 10);
        timespec pause{n / 1000, (n % 1000) * 1000000L};
        while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
        }
    }
    errno = saved;
    return r;
}
