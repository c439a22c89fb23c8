// driftgate CLI — an input named on the command line: "-" is standard input.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit_codes.hpp"

namespace driftgate::cli {

/// How long a FIFO is waited for when no process has its other end open: a writer for an input
/// (file_bytes.cpp), a reader for an output (output.cpp).
inline constexpr int fifo_wait_ms = 10000;

/// Calls `ready` every 20 ms until it returns true, for at most fifo_wait_ms: whether it did.
/// The wait for a FIFO's other end (`ready` tries the open or the first read, and throws on an
/// error that waiting cannot mend).
template <class Ready>
[[nodiscard]] bool wait_for_fifo_peer(Ready ready) {
    for (int waited = 0;; waited += 20) {
        if (ready()) return true;
        if (waited >= fifo_wait_ms) return false;
        ::poll(nullptr, 0, 20);
    }
}

/// How messages name an input: "standard input" for "-", else the path.
[[nodiscard]] inline std::string shown_path(const std::string& path) {
    return path == "-" ? std::string("standard input") : path;
}

/// Exit 66 for an input that cannot be read: "PATH: why", PATH as shown_path shows it.
[[noreturn]] inline void no_input(const std::string& path, const std::string& why) {
    throw cli_error(exit_code::no_input, shown_path(path) + ": " + why);
}

/// stat(2) of an input: for "-", of what descriptor 0 holds (the file it is redirected from, a
/// pipe, a terminal). False when it fails.
[[nodiscard]] inline bool stat_input(const std::string& path, struct stat& st) {
    return path == "-" ? ::fstat(STDIN_FILENO, &st) == 0 : ::stat(path.c_str(), &st) == 0;
}

/// A file's identity: its device and inode, whatever path, link or redirection names it.
struct file_id {
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const file_id&) const = default;
};

/// The identity of an input (stat_input), or nothing when it cannot be examined (the reader then
/// reports why).
[[nodiscard]] inline std::optional<file_id> identity(const std::string& path) {
    struct stat st {};
    if (!stat_input(path, st)) return std::nullopt;
    return file_id{st.st_dev, st.st_ino};
}

/// What a path names when it is a stream rather than a file ("a pipe (FIFO)", "a character
/// device", "a socket"), or nullptr for anything else (a regular file, a missing path: the reader
/// reports those).
[[nodiscard]] inline const char* stream_kind(const std::string& path) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (ec) return nullptr;
    if (std::filesystem::is_fifo(st)) return "a pipe (FIFO)";
    if (std::filesystem::is_character_file(st)) return "a character device";
    if (std::filesystem::is_socket(st)) return "a socket";
    return nullptr;
}

/// Exit 66 for a snapshot read twice (its header, then its columns: drift, check, profile build;
/// estimate's calibration reference) that its path gives as a stream, which cannot be re-read:
/// the second read would start where the first stopped (standard input, "-", is kept in memory
/// and can).
inline void require_regular(const std::string& path) {
    if (const char* kind = stream_kind(path))
        throw cli_error(exit_code::no_input, fmt::format("{}: {}, not a regular file; this snapshot is read twice, which a "
                                                         "stream cannot be (write it to a file first, or give it as "
                                                         "standard input, -)",
                                                         path, kind));
}

/// Exit 64 when two of `paths` name one file (identity(), so also through a link or standard
/// input redirected from it; a path that cannot be examined, by its name): "`counted` would count
/// twice". O(paths^2).
inline void require_distinct_files(std::span<const std::string> paths, const char* counted) {
    std::vector<std::pair<std::optional<file_id>, std::string>> seen;  // identity, name
    for (const auto& p : paths) {
        const std::optional<file_id> id = identity(p);
        for (const auto& [sid, name] : seen)
            if (id ? sid == id : !sid && name == p)
                throw cli_error(exit_code::usage,
                                name == p ? fmt::format("{}: given twice ({} would count twice)", shown_path(p), counted)
                                          : fmt::format("{} and {} are the same file ({} would count twice)", shown_path(name),
                                                        shown_path(p), counted));
        seen.emplace_back(id, p);
    }
}

} // namespace driftgate::cli
