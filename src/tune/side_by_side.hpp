#pragma once
// Trainings side by side on threads of their own, each on one kernel thread: dense's kernels give
// the same bits on any thread count, so which thread trains what changes no weight.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

#include "dense/threads.hpp"

namespace dense::tune {

// Sets dense's kernel thread count for a scope and restores the previous one after.
class KernelThreads {
public:
    explicit KernelThreads(std::size_t count) : previous_(num_threads()) { set_num_threads(count); }
    ~KernelThreads() { set_num_threads(previous_); }
    KernelThreads(const KernelThreads&) = delete;
    KernelThreads& operator=(const KernelThreads&) = delete;

private:
    std::size_t previous_;
};

// Runs body(t) for t = 0 … count − 1, each on a thread of its own (t = 0 on the caller's), and
// rethrows the first failure once all have ended.
template <class Body>
void on_threads(std::size_t count, const Body& body) {
    std::vector<std::exception_ptr> failures(count);
    const auto run = [&](std::size_t t) {
        try {
            body(t);
        } catch (...) {
            failures[t] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 1; t < count; ++t) threads.emplace_back(run, t);
        run(0);
    }
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
}

// Runs job(j) for j = 0 … jobs − 1 on up to `threads` threads (0: num_threads()), job j on thread
// j mod threads, each on one kernel thread when there are several.
template <class Job>
void side_by_side(std::size_t jobs, std::size_t threads, const Job& job) {
    const std::size_t count = std::min(jobs, threads == 0 ? num_threads() : threads);
    if (count <= 1) {
        for (std::size_t j = 0; j < jobs; ++j) job(j);
        return;
    }
    KernelThreads one_each(1);
    on_threads(count, [&](std::size_t t) {
        for (std::size_t j = t; j < jobs; j += count) job(j);
    });
}

}  // namespace dense::tune
