// SHA-256 against digests computed by Python's hashlib (tests/cli/gen_sha256_golden.py): every
// length from 0 to 200 bytes (each padding case: 55, 56, 63, 64, 119, 120 bytes), FIPS 180-4's
// examples, one million 'a', a file of more than one read block, and the same messages fed in
// pieces of every size.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "cli/sha256_golden.hpp"
#include "exit_codes.hpp"
#include "sha256.hpp"

using driftgate::cli::sha256;
using driftgate::cli::sha256_file;
using driftgate::cli::sha256_hex;

namespace {
std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) % 256);
    return s;
}
} // namespace

TEST_CASE("SHA-256 of every length from 0 to 200 bytes equals hashlib's", "[sha256]") {
    for (std::size_t n = 0; n <= 200; ++n) {
        INFO("length " << n);
        CHECK(sha256_hex(pattern(n)) == golden::sha256::pattern_digests[n]);
    }
}

TEST_CASE("SHA-256 fed in pieces equals the one-shot digest", "[sha256]") {
    const std::string m = pattern(200);
    for (std::size_t piece = 1; piece <= 130; ++piece) {
        sha256 h;
        for (std::size_t i = 0; i < m.size(); i += piece) h.update(std::string_view(m).substr(i, piece));
        INFO("piece " << piece);
        CHECK(h.hex() == golden::sha256::pattern_digests[200]);
    }
}

TEST_CASE("SHA-256: FIPS 180-4 examples and one million 'a'", "[sha256]") {
    CHECK(sha256_hex("abc") == golden::sha256::abc);
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == golden::sha256::fips_448);
    CHECK(sha256_hex(std::string(1000000, 'a')) == golden::sha256::million_a);
    // The published values themselves (FIPS 180-4 / NIST examples), independent of the generator.
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256_file reads a file in blocks; a missing file is exit 66 naming it", "[sha256]") {
    const auto path = std::filesystem::temp_directory_path() / ("driftgate-sha-" + std::to_string(::getpid()));
    std::ofstream(path, std::ios::binary) << pattern(golden::sha256::file_size);
    CHECK(sha256_file(path.string()) == golden::sha256::file_digest);
    std::filesystem::remove(path);
    try {
        (void)sha256_file(path.string());
        FAIL("no error");
    } catch (const driftgate::cli::cli_error& e) {
        CHECK(e.code() == driftgate::cli::exit_code::no_input);
        CHECK(std::string(e.what()).find(path.string()) != std::string::npos);
        CHECK(std::string(e.what()).find("No such file") != std::string::npos);
    }
}
