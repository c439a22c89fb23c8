// driftgate CLI — the threads that parse chunks of a file and run independent statistics side by
// side: one pool for the whole process instead of threads started for every parallel step.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

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

/// Lets the workers sleep at once until the next parallel_run instead of polling for it: for a
/// caller about to wait for another thread (the decompressor of a file parsed in pieces), whose
/// core the polling would otherwise take. Starts no workers when none run yet. O(1).
void workers_rest();

/// Runs task(0..n-1) on up to `threads` threads (0: one per core), started in the order given
/// by `first` (task numbers, the expensive ones first so that no long task starts last; the
/// tasks not listed follow in numeric order), and rethrows the exception of the lowest-numbered
/// failing task, so that errors are the ones a sequential loop would report first, whatever the
/// thread count and order. deps[i] (optional) lists the tasks that must have finished (or failed)
/// before task i starts; each must come before i in the start order and have a lower number.
///
/// After a failure, a task numbered above the lowest failure so far is not started (its result
/// would be thrown away; the tasks with lower numbers still run, and may fail first). Only that
/// lowest failure is kept: one exception_ptr in all, not one per task, for when thousands of tasks
/// fail with bad_alloc at once, every exception kept alive would come out of the small emergency
/// pool the runtime throws from when memory is exhausted, and the process would abort. Which task
/// fails first does not depend on timing: every task numbered below the reported one ran (its
/// dependencies, numbered lower still, too) and succeeded.
template <class F>
void run_tasks(std::size_t n, unsigned threads, F&& task, const std::vector<std::size_t>& first = {},
               const std::vector<std::vector<std::size_t>>& deps = {}) {
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::atomic<std::size_t> failed{none};  // the lowest number of a task that failed
    std::exception_ptr error;               // its exception (written under error_lock)
    std::mutex error_lock;
    std::vector<std::size_t> order = first;
    std::vector<char> listed(n, 0);
    for (const std::size_t i : first) listed[i] = 1;
    for (std::size_t i = 0; i < n; ++i)
        if (!listed[i]) order.push_back(i);
    const auto done = std::make_unique<std::atomic<bool>[]>(n);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t k; (k = next.fetch_add(1)) < n;) {
            const std::size_t i = order[k];
            if (i < deps.size())
                for (const std::size_t d : deps[i]) done[d].wait(false);
            if (i < failed.load()) {
                try {
                    task(i);
                } catch (...) {
                    // current_exception() shares the exception in flight: it allocates nothing.
                    const std::lock_guard<std::mutex> hold(error_lock);
                    if (i < failed.load()) {
                        error = std::current_exception();
                        failed.store(i);
                    }
                }
            }
            done[i].store(true);
            done[i].notify_all();
        }
    };
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const auto k = static_cast<unsigned>(std::min<std::size_t>(n, threads == 0 ? hw : threads));
    parallel_run(k, [&](unsigned) { worker(); });
    if (error) std::rethrow_exception(error);
}

} // namespace driftgate::cli
