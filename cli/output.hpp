// driftgate CLI — writing reports safely. A gate fails closed: it never destroys an input, never
// leaves a half-written report, and says why a write failed.
//
//  - An output that names an input file — the same file through any path, a symbolic link or a
//    hard link (same st_dev and st_ino) — is refused before anything is read (exit 64), and so
//    are two outputs naming the same file.
//  - An output that is a regular file or does not exist yet is written to a temporary file in
//    the same directory, flushed to disk, then renamed over the target: a reader, or a second run
//    writing the same path at the same time, sees the old file or the new one, never a mix; a
//    failed run leaves the old file as it was and no temporary file behind (also when the run is
//    interrupted by SIGINT, SIGTERM or SIGHUP while writing). A new file gets the permissions any
//    new file gets (0666 less the umask); a replaced file keeps its permission bits. A symbolic
//    link is followed: the file it points to is replaced, the link stays.
//  - Standard output ("-" names it too), /dev/stdout, /dev/stderr, /dev/fd/N (the descriptor
//    itself), devices (/dev/full, /dev/null, a terminal) and FIFOs are written in place, never
//    replaced. Two outputs on one descriptor, or on one open file or pipe (standard output redirected
//    to the file a --report names, 2>&1), are refused (exit 64): their texts would run together
//    or replace each other.
//  - Every output is written only when every report is rendered; the files are staged first, the
//    streams written next, the files renamed into place last, so that a failure before the
//    renames (a full disk, /dev/full, a closed pipe) changes no file.
//  - A failed write is exit 74 with the path and the system's reason (errno text); EPIPE on
//    standard output (SIGPIPE ignored) too.
#pragma once

#include <string>
#include <vector>

namespace driftgate::cli {

/// Where one rendered report goes.
struct output_target {
    std::string path; ///< "" = standard output
    std::string what; ///< how the command line named it, for messages: "--output", "--report html"
};

/// An input file of the run and its role ("reference", "current", "data", "config").
struct input_file {
    std::string role;
    std::string path;
};

/// The descriptor an output path names directly: 1 for standard output ("", "-", /dev/stdout),
/// 2 for /dev/stderr, N for /dev/fd/N and /proc/self/fd/N; -1 for any other path.
[[nodiscard]] int named_descriptor(const std::string& path);

/// Whether descriptors a and b write to one open file or pipe (the same device and inode; not a
/// terminal or another character device, which takes both).
[[nodiscard]] bool same_file(int a, int b);

/// Whether `path` (a file, or a descriptor it names) is a terminal.
[[nodiscard]] bool names_terminal(const std::string& path);

/// Refuses outputs that name an input or each other (cli_error, exit_code::usage, naming both),
/// and outputs that cannot be written at all: a directory, a missing directory (exit_code::io).
/// Call before reading any input.
void check_outputs(const std::vector<output_target>& outputs, const std::vector<input_file>& inputs);

/// Writes each text to its target (see the top of this file). Throws cli_error(exit_code::io).
void write_outputs(const std::vector<std::pair<output_target, std::string>>& items);

} // namespace driftgate::cli
