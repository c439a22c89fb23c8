// The CLI's worker pool (cli/parallel.hpp): every call once, exceptions in call order, nesting,
// concurrent callers, and many steps in a row.
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "parallel.hpp"

using driftgate::cli::parallel_run;

TEST_CASE("parallel_run makes every call exactly once") {
    for (const unsigned n : {0u, 1u, 2u, 3u, 7u, 100u, 1000u}) {
        INFO("n " << n);
        std::vector<std::atomic<int>> calls(n);
        parallel_run(n, [&](unsigned i) { calls[i].fetch_add(1); });
        int wrong = 0;
        for (auto& c : calls) wrong += c.load() == 1 ? 0 : 1;
        CHECK(wrong == 0);
    }
}

TEST_CASE("parallel_run rethrows the lowest-numbered call's exception after every call has run") {
    std::atomic<int> ran{0};
    try {
        parallel_run(50, [&](unsigned i) {
            ran.fetch_add(1);
            if (i == 31 || i == 17 || i == 40) throw std::runtime_error("call " + std::to_string(i));
        });
        FAIL("no exception");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "call 17");
    }
    CHECK(ran.load() == 50);
}

TEST_CASE("parallel_run inside a call runs the inner calls on that thread") {
    std::vector<std::atomic<int>> calls(8 * 8);
    parallel_run(8, [&](unsigned i) { parallel_run(8, [&](unsigned j) { calls[8 * i + j].fetch_add(1); }); });
    int wrong = 0;
    for (auto& c : calls) wrong += c.load() == 1 ? 0 : 1;
    CHECK(wrong == 0);
}

TEST_CASE("parallel_run from several threads at once: each caller's calls all run once") {
    constexpr unsigned callers = 4, rounds = 200, n = 16;
    std::vector<std::atomic<int>> calls(callers * n);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < callers; ++t)
        threads.emplace_back([&, t] {
            for (unsigned r = 0; r < rounds; ++r) parallel_run(n, [&](unsigned i) { calls[t * n + i].fetch_add(1); });
        });
    for (auto& th : threads) th.join();
    int wrong = 0;
    for (auto& c : calls) wrong += c.load() == static_cast<int>(rounds) ? 0 : 1;
    CHECK(wrong == 0);
}

TEST_CASE("parallel_run: a call may wait for work a lower-numbered call has taken on") {
    // As run_tasks does: the calls are taken in order, so call 0 is running (or done) when call 1
    // waits for it, whatever the number of threads.
    for (int round = 0; round < 200; ++round) {
        std::atomic<bool> first_done{false};
        std::atomic<int> order_ok{0};
        parallel_run(2, [&](unsigned i) {
            if (i == 0) {
                first_done.store(true);
                first_done.notify_all();
            } else {
                first_done.wait(false);
                order_ok.fetch_add(1);
            }
        });
        REQUIRE(order_ok.load() == 1);
    }
}

TEST_CASE("thousands of short parallel steps in a row: none lost, none run twice") {
    std::atomic<long> sum{0};
    long expected = 0;
    for (unsigned step = 0; step < 5000; ++step) {
        const unsigned n = 1 + step % 5;
        parallel_run(n, [&](unsigned i) { sum.fetch_add(static_cast<long>(step * 10 + i)); });
        for (unsigned i = 0; i < n; ++i) expected += static_cast<long>(step * 10 + i);
    }
    CHECK(sum.load() == expected);
}

TEST_CASE("run_tasks: the lowest-numbered failure is rethrown; no task above a failure is started") {
    using driftgate::cli::run_tasks;
    for (const unsigned threads : {1u, 2u, 4u}) {
        INFO("threads " << threads);
        // Tasks 0..99,999 all fail, the expensive-first order starting with 70,000: the error is
        // task 0's whatever the order, and few tasks above a failure start (none on one thread).
        constexpr std::size_t n = 100000;
        std::vector<std::size_t> first{70000, 5, 3};
        std::atomic<std::size_t> ran{0};
        try {
            run_tasks(n, threads, [&](std::size_t i) {
                ran.fetch_add(1);
                throw std::runtime_error("task " + std::to_string(i));
            }, first);
            FAIL("no exception");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()) == "task 0");
        }
        // 70,000, 5, 3, then 0 (1 and 2 are above 0's failure, or 3's once it has failed).
        if (threads == 1) CHECK(ran.load() == 4);
        CHECK(ran.load() <= 4 + 2 * threads);
        // Some tasks fail: every task below the lowest failure runs, the error is the lowest.
        for (const std::size_t bad : {std::size_t{0}, std::size_t{17}, std::size_t{999}}) {
            std::vector<std::atomic<char>> done(1000);
            try {
                run_tasks(1000, threads, [&](std::size_t i) {
                    done[i].store(1);
                    if (i == bad || i == bad + 500 || i % 97 == 96) throw std::runtime_error("task " + std::to_string(i));
                }, {bad + 500 < 1000 ? bad + 500 : 999});
                FAIL("no exception");
            } catch (const std::runtime_error& e) {
                const std::size_t lowest = std::min<std::size_t>(bad, 96);
                CHECK(std::string(e.what()) == "task " + std::to_string(lowest));
                for (std::size_t i = 0; i < lowest; ++i) CHECK(done[i].load() == 1);
            }
        }
        // No failure: every task runs once.
        std::vector<std::atomic<int>> calls(5000);
        run_tasks(calls.size(), threads, [&](std::size_t i) { calls[i].fetch_add(1); });
        int wrong = 0;
        for (auto& c : calls) wrong += c.load() == 1 ? 0 : 1;
        CHECK(wrong == 0);
    }
}
