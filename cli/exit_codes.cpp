#include "exit_codes.hpp"

namespace driftgate::cli {

std::string exit_code_table(bool judges) {
    std::string t = "Exit codes:\n";
    // profile and config judge nothing: they never exit 1 or 2.
    t += judges ? "   0  no breach at the --fail-on level\n"
                  "   1  warning breach (with --fail-on warning)\n"
                  "   2  critical breach\n"
                : "   0  done\n";
    t += "  64  usage error (bad command line; an output that names an input file)\n"
         "  65  bad input data: malformed CSV, non-numeric value in a used column, bad\n";
    t += judges ? "      configuration, one class only, labels not 0/1\n" : "      configuration, a damaged profile\n";
    t += "  66  input file missing or unreadable (also a directory or a device)\n"
         "  71  the system failed the run (out of memory, a stream too large to hold)\n"
         "  74  output cannot be written (also a closed standard output), or an input changed\n"
         "      while it was read\n";
    if (judges) t += "A run that could not judge never exits 0.\n";
    return t;
}

} // namespace driftgate::cli
