// driftgate CLI — an input named on the command line: "-" is standard input.
#pragma once

#include <optional>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace driftgate::cli {

/// How messages name an input: "standard input" for "-", else the path.
[[nodiscard]] inline std::string shown_path(const std::string& path) {
    return path == "-" ? std::string("standard input") : path;
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

} // namespace driftgate::cli
