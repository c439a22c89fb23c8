// driftgate CLI — SHA-256 (FIPS 180-4), for the audit record of a run: the digest of each input
// file (--audit) and of the resolved configuration. Incremental: feed bytes with update(), read
// the digest once with hex().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace driftgate::cli {

class sha256 {
public:
    sha256() noexcept;
    /// Adds bytes to the message.
    void update(const void* data, std::size_t size) noexcept;
    void update(std::string_view s) noexcept { update(s.data(), s.size()); }
    /// Pads the message and returns the 32-byte digest. The object cannot be fed afterwards.
    [[nodiscard]] std::array<std::uint8_t, 32> digest() noexcept;
    /// The digest as 64 lower-case hexadecimal digits.
    [[nodiscard]] std::string hex();

private:
    void block(const std::uint8_t* p) noexcept;
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t used_ = 0;     ///< bytes in buf_
    std::uint64_t length_ = 0; ///< message length in bytes
};

/// The SHA-256 of a string, as hexadecimal digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// The SHA-256 of a file's content, as hexadecimal digits, read in blocks of 1 MiB. Throws
/// cli_error (exit_code::no_input) naming the file and the system's reason when it cannot be read.
[[nodiscard]] std::string sha256_file(const std::string& path);

} // namespace driftgate::cli
