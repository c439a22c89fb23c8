// driftgate CLI — reading a compressed CSV file ahead (internal): prefetch_csv (csv.hpp) starts
// it, read_csv takes what it read.
#pragma once

#include <memory>
#include <string>

#include "file_bytes.hpp"

namespace driftgate::cli::csv_impl {

/// The file `path` read ahead by prefetch_csv, whole, or nullptr when none was started for it or
/// it gave up (then the caller reads the file itself). Waits for a read ahead still running;
/// rethrows its error (the one the caller's own read would have met). A read ahead is taken once.
[[nodiscard]] std::unique_ptr<file_bytes> take_read_ahead(const std::string& path);

} // namespace driftgate::cli::csv_impl
