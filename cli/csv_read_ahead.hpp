// driftgate CLI — reading a compressed CSV file ahead (internal): prefetch_csv (csv.hpp) starts
// it, read_csv takes what it read.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "file_bytes.hpp"

namespace driftgate::cli::csv_impl {

/// Text a read ahead decompresses before its reader takes it (256 MiB): a 1e6-row file whole,
/// while the file before it is read.
inline constexpr std::size_t read_ahead_bytes = std::size_t{256} << 20;

/// The file `path` opened by prefetch_csv with its text started (file_bytes::start_text), or
/// nullptr when none was started for it (then the caller opens the file itself). A read ahead
/// is taken once; an error it met is met by its reader.
[[nodiscard]] std::unique_ptr<file_bytes> take_read_ahead(const std::string& path);

} // namespace driftgate::cli::csv_impl
