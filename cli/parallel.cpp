#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace driftgate::cli {
namespace {

/// How long a worker polls for the next step before it sleeps.
constexpr auto poll_time = std::chrono::milliseconds(3);

void cpu_relax() {
#if defined(__SSE2__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

thread_local bool in_worker = false;

/// One parallel_run: the calls to make and where their exceptions go.
struct job {
    const std::function<void(unsigned)>* f;
    unsigned n;
    std::vector<std::exception_ptr>* errors;
};

class pool {
public:
    pool() {
        const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
        for (unsigned t = 1; t < hw; ++t) {
            try {
                std::thread([this] { work(); }).detach();
            } catch (const std::system_error&) {
                break;  // no more threads to be had: work with those started (or on the caller alone)
            }
            ++workers_;
        }
    }

    /// Runs the job on the caller and the workers; false when the pool is busy with another
    /// thread's job (the caller then runs it alone).
    bool run(const job& j) {
        std::unique_lock lock(busy_, std::try_to_lock);
        if (!lock.owns_lock()) return false;
        resting_.store(false);
        next_.store(0);
        finished_.store(0);
        wanted_.store(std::min(j.n, workers_ + 1) - 1);
        current_.store(&j);
        generation_.fetch_add(1);
        generation_.notify_all();
        drain(j);
        // The others' calls: poll briefly (most end together with the caller's), then sleep.
        const auto start = std::chrono::steady_clock::now();
        for (unsigned done; (done = finished_.load()) < j.n;) {
            if (std::chrono::steady_clock::now() - start < std::chrono::microseconds(200)) cpu_relax();
            else finished_.wait(done);
        }
        // No worker may still hold the job (it lives on the caller's stack) when this returns.
        current_.store(nullptr);
        while (inside_.load() != 0) cpu_relax();
        return true;
    }

private:
    /// Takes calls of j until none is left.
    void drain(const job& j) {
        for (unsigned i; (i = next_.fetch_add(1)) < j.n;) {
            try {
                (*j.f)(i);
            } catch (...) {
                (*j.errors)[i] = std::current_exception();
            }
            if (finished_.fetch_add(1) + 1 == j.n) finished_.notify_all();
        }
    }

    [[noreturn]] void work() {
        in_worker = true;
        std::uint64_t seen = 0;
        for (;;) {
            // The next step: polled for poll_time, then slept for.
            auto start = std::chrono::steady_clock::now();
            std::uint64_t g;
            for (unsigned spins = 0; (g = generation_.load()) == seen; ++spins) {
                if (!resting_.load(std::memory_order_relaxed) &&
                    ((spins & 255) != 0 || std::chrono::steady_clock::now() - start < poll_time)) {
                    cpu_relax();
                } else {
                    generation_.wait(seen);
                    start = std::chrono::steady_clock::now();
                }
            }
            seen = g;
            // At most wanted_ workers join a job (its thread limit); the caller checks inside_
            // after clearing current_, so a job seen here is still alive.
            inside_.fetch_add(1);
            if (const job* j = current_.load(); j != nullptr) {
                for (unsigned w = wanted_.load(); w > 0;) {
                    if (wanted_.compare_exchange_weak(w, w - 1)) {
                        drain(*j);
                        break;
                    }
                }
            }
            inside_.fetch_sub(1);
        }
    }

public:
    void rest() { resting_.store(true, std::memory_order_relaxed); }

private:
    std::mutex busy_;  // one job at a time
    std::atomic<bool> resting_{false};  // workers_rest: sleep until the next job
    unsigned workers_ = 0;
    std::atomic<std::uint64_t> generation_{0};  // bumped for each job
    std::atomic<const job*> current_{nullptr};
    std::atomic<unsigned> next_{0};      // the next call to take
    std::atomic<unsigned> finished_{0};  // calls returned
    std::atomic<unsigned> wanted_{0};    // workers the current job may still take
    std::atomic<unsigned> inside_{0};    // workers looking at current_
};

std::atomic<pool*> made{nullptr};  // the pool, once the_pool() has made it

pool& the_pool() {
    static pool* p = [] {  // never destroyed: its threads run until the process exits
        auto* q = new pool;
        made.store(q, std::memory_order_release);
        return q;
    }();
    return *p;
}

} // namespace

void start_workers() { (void)the_pool(); }

void workers_rest() {
    // No pool yet (one thread asked for, or nothing run in parallel): none is started to rest.
    if (pool* p = made.load(std::memory_order_acquire)) p->rest();
}

void parallel_run(unsigned n, const std::function<void(unsigned)>& f) {
    std::vector<std::exception_ptr> errors(n);
    const job j{&f, n, &errors};
    if (n > 1 && !in_worker && the_pool().run(j)) {
        // done by the pool
    } else {
        for (unsigned i = 0; i < n; ++i) {
            try {
                f(i);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        }
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

} // namespace driftgate::cli
