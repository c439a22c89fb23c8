// driftgate CLI — the threads that parse chunks of a file and run independent statistics side by
// side: one pool for the whole process instead of threads started for every parallel step.
#pragma once

#include <functional>

namespace driftgate::cli {

/// Runs f(0), ..., f(n - 1), each exactly once, on the calling thread and on the process's pool
/// of worker threads (one per core but the caller's, started by the first call or by
/// start_workers), at most n threads at once. Returns when every call has returned, then
/// rethrows the exception of the lowest-numbered call that threw.
///
/// The calls are taken in increasing order, by whichever thread is free, so one thread may run
/// several; a call may wait for work that a lower-numbered call has already taken on (that call
/// is running), but not for anything else. From inside a call, or while another thread's
/// parallel_run is in progress, the calls simply run one after another on the calling thread.
///
/// Why a pool: a worker that has finished keeps polling for the next step for a few
/// milliseconds before it sleeps, and the parallel steps of a run (reading a file, sorting,
/// statistics) follow each other within that time. Threads started for each step, or a worker
/// that sleeps at once, wait for an idle core to wake up, which on a virtual machine takes up to
/// a few milliseconds per step.
void parallel_run(unsigned n, const std::function<void(unsigned)>& f);

/// Starts the worker threads now (parallel_run starts them otherwise), so that they are ready,
/// and their cores awake, when the first parallel step comes.
void start_workers();

} // namespace driftgate::cli
