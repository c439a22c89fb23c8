// driftgate CLI — chunk planning for the CSV reader: see csv_chunks.hpp.
#include "csv_chunks.hpp"
#include "file_bytes.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace driftgate::cli::csv_impl {
namespace {

__extension__ using wide = unsigned __int128;

/// Number of line feeds in [p, p + n): SSE2 compares, summed per byte lane (at most 255 blocks
/// between two horizontal sums, so that no lane overflows).
std::size_t count_line_feeds_in(const char* p, std::size_t n) {
    std::size_t count = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    while (n >= 16) {
        const std::size_t blocks = std::min<std::size_t>(n / 16, 255);
        __m128i acc = _mm_setzero_si128();
        for (std::size_t b = 0; b < blocks; ++b, p += 16)  // a match is -1: subtracting adds 1
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), lf));
        const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
        count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
                 static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums)));
        n -= 16 * blocks;
    }
#endif
    return count + static_cast<std::size_t>(std::count(p, p + n, '\n'));
}

/// The k-th of n nominal chunk offsets splitting [begin, begin + span) evenly.
std::size_t nominal_offset(std::size_t begin, std::size_t span, unsigned n, unsigned k) {
    return begin + span / n * k + span % n * k / n;
}

} // namespace

unsigned choose_chunks(unsigned requested, std::size_t bytes) {
    if (requested != 0) return std::min(requested, 256u);
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t by_size = bytes / (std::size_t{4} << 20) + 1;
    return static_cast<unsigned>(std::min<std::size_t>(hw, by_size));
}

std::size_t count_line_feeds(const char* p, std::size_t n, bool release) {
    if (!release) return count_line_feeds_in(p, n);
    std::size_t count = 0;
    const char* released = p;
    while (n > 0) {
        const std::size_t step = std::min<std::size_t>(n, release_step);
        count += count_line_feeds_in(p, step);
        p += step;
        n -= step;
        released = drop_pages(released, p);
    }
    return count;
}

std::size_t estimated_records(const char* p, std::size_t n, std::size_t ncols) {
    constexpr std::size_t sample_bytes = std::size_t{256} << 10;
    const std::size_t s = std::min(n, sample_bytes);
    const std::size_t lf = count_line_feeds_in(p, s);
    const std::size_t scaled = s == n ? lf : static_cast<std::size_t>((static_cast<wide>(n) * lf + s - 1) / s);
    return std::min(scaled + scaled / 16 + 16, n / std::max<std::size_t>(ncols, 1) + 1);
}

std::vector<std::size_t> guessed_chunk_starts(std::string_view text, std::size_t begin, unsigned n) {
    const std::size_t end = text.size();
    const std::size_t span = end - begin;
    std::vector<std::size_t> starts(n + 1);
    starts[0] = begin;
    starts[n] = end;
    for (unsigned k = 1; k < n; ++k) {
        std::size_t p = std::max(nominal_offset(begin, span, n, k), starts[k - 1]);
        if (p > begin && text[p - 1] == '\n') {
            starts[k] = p;
            continue;
        }
        const void* lf = std::memchr(text.data() + p, '\n', end - p);
        starts[k] = lf == nullptr ? end : static_cast<std::size_t>(static_cast<const char*>(lf) - text.data()) + 1;
    }
    return starts;
}

std::vector<std::size_t> chunk_starts(std::string_view text, std::size_t begin, unsigned n) {
    const std::size_t end = text.size();
    const std::size_t span = end - begin;
    std::vector<std::size_t> nominal(n + 1);
    for (unsigned k = 0; k <= n; ++k) nominal[k] = nominal_offset(begin, span, n, k);
    std::vector<std::size_t> quotes(n);
    run_parallel(n, [&](unsigned k) {
        quotes[k] = static_cast<std::size_t>(
            std::count(text.begin() + static_cast<std::ptrdiff_t>(nominal[k]),
                       text.begin() + static_cast<std::ptrdiff_t>(nominal[k + 1]), '"'));
    });
    std::vector<std::size_t> starts(n + 1);
    starts[0] = begin;
    starts[n] = end;
    std::size_t parity = 0;
    for (unsigned k = 1; k < n; ++k) {
        parity += quotes[k - 1];
        bool inside = (parity & 1) != 0;
        std::size_t p = nominal[k];
        if (starts[k - 1] >= p) {  // the previous chunk starts past this one's nominal start
            starts[k] = starts[k - 1];
            continue;
        }
        // a boundary lies after an LF outside quotes; at nominal[k] the previous byte decides
        if (p > begin && !inside && text[p - 1] == '\n') {
            starts[k] = p;
            continue;
        }
        while (p < end) {
            const char ch = text[p++];
            if (ch == '"') inside = !inside;
            else if (ch == '\n' && !inside) break;
        }
        starts[k] = p;
    }
    for (unsigned k = 1; k <= n; ++k) starts[k] = std::max(starts[k], starts[k - 1]);
    return starts;
}

} // namespace driftgate::cli::csv_impl
