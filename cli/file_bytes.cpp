// driftgate CLI — the bytes of an input file: see file_bytes.hpp.
#include "file_bytes.hpp"

#include "exit_codes.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace driftgate::cli::csv_impl {
namespace {

[[noreturn]] void no_input(const std::string& path, const std::string& why) {
    throw cli_error(exit_code::no_input, path + ": " + why);
}

[[noreturn]] void fail(const std::string& path, int err) {
    if (err == EISDIR) no_input(path, "is a directory, not a CSV file");
    no_input(path, std::string("cannot read: ") + std::strerror(err));
}

} // namespace

const char* drop_pages(const char* from, const char* to) {
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const std::uintptr_t lo = (reinterpret_cast<std::uintptr_t>(from) + page - 1) / page * page;
    const std::uintptr_t hi = reinterpret_cast<std::uintptr_t>(to) / page * page;
    if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
    return std::max(from, to - (reinterpret_cast<std::uintptr_t>(to) - hi));
}

file_bytes::file_bytes(const std::string& path, bool whole) {
    fd_.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_.fd < 0) no_input(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_.fd, &st) != 0) fail(path, errno);
    if (S_ISDIR(st.st_mode)) no_input(path, "is a directory, not a CSV file");
    if (S_ISREG(st.st_mode) && whole) {
        size_ = static_cast<std::size_t>(st.st_size);
        if (size_ == 0) return;
        // Not MAP_POPULATE: the pages are mapped as the passes over them reach them (the kernel
        // maps a cached file's neighbouring pages in the same fault) and released behind them
        // (drop_pages), so that the whole file is never resident at once.
        void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_.fd, 0);
        if (m != MAP_FAILED) {
            map_ = static_cast<const char*>(m);
            return;
        }
        size_ = 0;
    }
    streaming_ = true;
}

file_bytes::~file_bytes() {
    if (map_ != nullptr) ::munmap(const_cast<char*>(map_), size_);
}

file_bytes::fd_guard::~fd_guard() {
    if (fd >= 0) ::close(fd);
}

bool file_bytes::read_more(const std::string& path, std::size_t block) {
    const std::size_t old = buf_.size();
    buf_.resize(old + block);
    for (;;) {
        const ssize_t got = ::read(fd_.fd, buf_.data() + old, block);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            buf_.resize(old);
            fail(path, errno);
        }
        buf_.resize(old + static_cast<std::size_t>(got));
        return got > 0;
    }
}

} // namespace driftgate::cli::csv_impl
