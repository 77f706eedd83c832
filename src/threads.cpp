// The persistent worker pool behind dense/threads.hpp and kernels/parallel.hpp.
// Workers spin briefly after each task (training steps follow each other within microseconds),
// then sleep on an atomic wait. The caller takes part 0 itself and waits for every worker to
// acknowledge the task, so a task's description is never overwritten while a worker reads it.
#include "dense/threads.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kernels/parallel.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace dense {

namespace {

void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

// DENSE_NUM_THREADS when it holds a positive integer, else the number of cores.
std::size_t default_thread_count() {
    if (const char* text = std::getenv("DENSE_NUM_THREADS")) {
        char* end = nullptr;
        const long count = std::strtol(text, &end, 10);
        if (end != text && *end == '\0' && count > 0) return static_cast<std::size_t>(count);
    }
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : cores;
}

thread_local bool running_a_part = false;

class Pool {
public:
    ~Pool() { stop_workers(); }

    static Pool& instance() {
        static Pool pool;
        return pool;
    }

    std::size_t size() const noexcept { return size_.load(std::memory_order_relaxed); }

    void resize(std::size_t count) {
        std::lock_guard lock(busy_);
        stop_workers();
        size_.store(count == 0 ? default_thread_count() : count, std::memory_order_relaxed);
    }

    void run(std::size_t parts, void (*part)(const void*, std::size_t), const void* context) {
        std::unique_lock lock(busy_, std::try_to_lock);
        if (parts <= 1 || size() <= 1 || running_a_part || !lock.owns_lock()) {
            run_in_order(parts, part, context);
            return;
        }
        if (workers_.empty()) start_workers();
        task_ = {part, context, parts, workers_.size() + 1};
        unacknowledged_.store(workers_.size(), std::memory_order_relaxed);
        publish();
        run_share(0, task_);
        while (unacknowledged_.load(std::memory_order_acquire) != 0) cpu_relax();
    }

private:
    struct Task {
        void (*part)(const void*, std::size_t) = nullptr;
        const void* context = nullptr;
        std::size_t parts = 0;
        std::size_t threads = 1;
    };

    static void run_in_order(std::size_t parts, void (*part)(const void*, std::size_t), const void* context) {
        for (std::size_t i = 0; i < parts; ++i) part(context, i);
    }

    // Thread `index` of the pool runs parts index, index + threads, index + 2·threads, …
    static void run_share(std::size_t index, const Task& task) {
        running_a_part = true;
        for (std::size_t i = index; i < task.parts; i += task.threads) task.part(task.context, i);
        running_a_part = false;
    }

    void publish() {
        generation_.fetch_add(1, std::memory_order_seq_cst);
        if (sleepers_.load(std::memory_order_seq_cst) != 0) generation_.notify_all();
    }

    void start_workers() {
        for (std::size_t index = 1; index < size(); ++index) workers_.emplace_back([this, index] { work(index); });
    }

    void stop_workers() {
        if (workers_.empty()) return;
        stopping_.store(true, std::memory_order_relaxed);
        publish();
        for (auto& worker : workers_) worker.join();
        workers_.clear();
        stopping_.store(false, std::memory_order_relaxed);
    }

    std::uint64_t wait_for_next(std::uint64_t seen) {
        constexpr int spins_before_sleep = 1 << 15;
        for (int spin = 0; spin < spins_before_sleep; ++spin) {
            const std::uint64_t now = generation_.load(std::memory_order_acquire);
            if (now != seen) return now;
            cpu_relax();
        }
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        generation_.wait(seen, std::memory_order_seq_cst);
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
        return generation_.load(std::memory_order_acquire);
    }

    void work(std::size_t index) {
        std::uint64_t seen = generation_.load(std::memory_order_acquire);
        for (;;) {
            seen = wait_for_next(seen);
            if (stopping_.load(std::memory_order_relaxed)) return;
            run_share(index, task_);
            unacknowledged_.fetch_sub(1, std::memory_order_release);
        }
    }

    std::mutex busy_;  // held by the thread whose task the pool runs, and by resize
    std::atomic<std::size_t> size_{default_thread_count()};
    std::vector<std::thread> workers_;
    Task task_;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<std::size_t> unacknowledged_{0};
    std::atomic<int> sleepers_{0};
    std::atomic<bool> stopping_{false};
};

}  // namespace

std::size_t num_threads() noexcept { return Pool::instance().size(); }

void set_num_threads(std::size_t count) { Pool::instance().resize(count); }

namespace kernels {

void run_parts(std::size_t parts, void (*part)(const void*, std::size_t), const void* context) {
    Pool::instance().run(parts, part, context);
}

}  // namespace kernels

}  // namespace dense
