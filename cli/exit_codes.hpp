// driftgate CLI — exit codes (sysexits where they fit) and the error type that carries one.
#pragma once

#include <stdexcept>
#include <string>

namespace driftgate::cli {

/// The CLI's exit codes: a contract with the scripts and CI jobs that call it.
enum class exit_code : int {
    ok = 0,               ///< no breach at the --fail-on level
    warning = 1,          ///< a warning breach, with --fail-on warning
    critical = 2,         ///< a critical breach
    usage = 64,           ///< EX_USAGE: bad command line
    data = 65,            ///< EX_DATAERR: malformed CSV, bad value, bad configuration, bad labels
    no_input = 66,        ///< EX_NOINPUT: an input file is missing or unreadable
    os_error = 71,        ///< EX_OSERR: the system failed the run (out of memory, a stream too large to hold)
    io = 74,              ///< EX_IOERR: the output cannot be written, or an input changed while it was read
};

/// The table printed by --help and the README; `judges` false: the commands that judge nothing
/// (profile, config), which never exit 1 or 2.
[[nodiscard]] std::string exit_code_table(bool judges = true);

/// An error that ends the run with a given exit code; what() is the message for stderr.
class cli_error : public std::runtime_error {
public:
    cli_error(exit_code code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] exit_code code() const noexcept { return code_; }

private:
    exit_code code_;
};

} // namespace driftgate::cli
