// A fuzz target as a plain program (DRIFTGATE_BUILD_FUZZ_REPLAY, any compiler, no libFuzzer):
//
//   fuzz_csv_replay FILE_OR_DIRECTORY...
//
// gives every file named, and every regular file of every directory named (in name order), to
// the target's LLVMFuzzerTestOneInput once, as `fuzzer -runs=0 CORPUS` does. A crash, a sanitizer
// report or a broken invariant (the targets abort) ends the run with a non-zero status; so does an
// unreadable file or no input at all, so that an empty or misnamed corpus cannot pass. CI replays
// the committed corpora this way in its AddressSanitizer + UBSan build.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
        return 64;
    }
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg = argv[i];
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<fs::path> in_dir;
            for (const auto& e : fs::directory_iterator(arg, ec))
                if (e.is_regular_file()) in_dir.push_back(e.path());
            if (ec) {
                std::fprintf(stderr, "%s: %s\n", argv[i], ec.message().c_str());
                return 66;
            }
            std::sort(in_dir.begin(), in_dir.end());
            files.insert(files.end(), in_dir.begin(), in_dir.end());
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "%s: no input files\n", argv[0]);
        return 66;
    }
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "%s: cannot read\n", f.c_str());
            return 66;
        }
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        // A buffer of exactly the input's size (an empty input too): a read one byte past its end
        // is a sanitizer report, as under libFuzzer.
        const std::size_t n = bytes.size();
        auto data = std::make_unique<std::uint8_t[]>(n);
        if (n > 0) std::memcpy(data.get(), bytes.data(), n);
        LLVMFuzzerTestOneInput(data.get(), n);
    }
    std::printf("%s: %zu inputs, no finding\n", argv[0], files.size());
    return 0;
}
