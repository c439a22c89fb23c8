// driftgate CLI — chunk planning for the CSV reader (internal): how many chunks, where they
// start, and how many records each can hold, so that each chunk's values go straight to their
// rows of the final columns. Line feeds are counted with SSE2 compares.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "parallel.hpp"

namespace driftgate::cli::csv_impl {

/// Chunks for `bytes` of data: `requested` (at most 256) when not 0, else one per core but at
/// most one per 4 MiB.
unsigned choose_chunks(unsigned requested, std::size_t bytes);

/// Runs f(0..n-1) on the process's worker threads and the calling one (parallel_run); rethrows
/// the exception of the lowest-numbered call that threw.
template <class F>
void run_parallel(unsigned n, F&& f) {
    parallel_run(n, std::function<void(unsigned)>(std::ref(f)));
}

/// Number of line feeds in [p, p + n); with `release`, the pages of a mapped file are released
/// behind the count, release_step bytes at a time (drop_pages). O(n), SSE2.
std::size_t count_line_feeds(const char* p, std::size_t n, bool release);

/// Records a chunk [p, p + n) of a file with `ncols` columns can hold, guessed from the line
/// feeds in its first 256 KiB (all of it when shorter), scaled to the chunk and padded by a
/// sixteenth and 16 records, and at most n / ncols + 1 (a record takes at least ncols bytes: its
/// delimiters and line feed). Cheaper than counting every line feed (a pass over the chunk before
/// it is parsed). A chunk whose records turn out shorter than the sample's fills up before its
/// end (chunk_result::full) and the file is parsed again with counted capacities; one whose
/// records turn out longer only leaves room unused.
std::size_t estimated_records(const char* p, std::size_t n, std::size_t ncols);

/// Offsets where n chunks start in [begin, text.size()] (n + 1 entries, the last the end),
/// guessed without a pass over the data: the byte after the first LF at or after each nominal
/// offset, as if no quoted field held a line feed. The caller checks that each chunk ends where
/// the next begins, which holds exactly when the guess was right, and falls back to chunk_starts
/// otherwise.
std::vector<std::size_t> guessed_chunk_starts(std::string_view text, std::size_t begin, unsigned n);

/// Offsets where n chunks start in [begin, text.size()]: record boundaries found from quote
/// parity (a parallel pass counts the quotes of each nominal chunk). In well-formed CSV every
/// quote toggles the "inside quotes" state (a doubled quote toggles it twice), so the parity of
/// the quotes before a byte tells whether it is inside a quoted field. If the file is malformed
/// before a boundary, an earlier chunk reports that error first.
std::vector<std::size_t> chunk_starts(std::string_view text, std::size_t begin, unsigned n);

} // namespace driftgate::cli::csv_impl
