// The persistent worker pool behind dense/threads.hpp and kernels/parallel.hpp.
// Workers spin briefly after each task (training steps follow each other within microseconds),
// then sleep on a condition variable. The calling thread takes parts too, and returns once every part
// has finished; a part's work depends only on its number, never on the thread that ran it.
#include "dense/threads.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "kernels/gemm.hpp"
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

constexpr std::size_t threads_per_core_at_most = 4;

std::size_t cores() noexcept {
    const unsigned count = std::thread::hardware_concurrency();
    return count == 0 ? 1 : count;
}

// DENSE_NUM_THREADS when it holds a positive integer, else the number of cores.
std::size_t default_thread_count() {
    if (const char* text = std::getenv("DENSE_NUM_THREADS")) {
        char* end = nullptr;
        const long count = std::strtol(text, &end, 10);
        if (end != text && *end == '\0' && count > 0) return std::min(static_cast<std::size_t>(count), max_num_threads());
    }
    return cores();
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
        size_.store(count == 0 ? default_thread_count() : std::min(count, max_num_threads()), std::memory_order_relaxed);
    }

    void run(std::size_t parts, void (*part)(const void*, std::size_t), const void* context) {
        std::unique_lock lock(busy_, std::try_to_lock);
        if (parts <= 1 || size() <= 1 || running_a_part || !lock.owns_lock() || parts > max_parts) {
            for (std::size_t i = 0; i < parts; ++i) part(context, i);
            return;
        }
        if (workers_.empty()) start_workers();
        task_ = {part, context};
        finished_.store(0, std::memory_order_relaxed);
        const std::uint32_t generation = generation_.load(std::memory_order_relaxed) + 1;
        claims_.store(Claims::pack(generation, parts, 0), std::memory_order_release);
        advance(generation);
        run_claimed_parts(generation);
        // Parts another thread claimed and is still running.
        for (int spin = 0; finished_.load(std::memory_order_acquire) != parts; ++spin)
            if (spin < 4096) cpu_relax();
            else std::this_thread::yield();
    }

private:
    struct Task {
        void (*part)(const void*, std::size_t) = nullptr;
        const void* context = nullptr;
    };

    // Which parts of which task are still to be taken, in one word so that taking one is a
    // single compare-and-swap: generation (32 bits) | parts (16 bits) | next part (16 bits).
    struct Claims {
        static std::uint64_t pack(std::uint32_t generation, std::size_t parts, std::size_t next) {
            return std::uint64_t(generation) << 32 | std::uint64_t(parts) << 16 | next;
        }
        static std::uint32_t generation(std::uint64_t c) { return std::uint32_t(c >> 32); }
        static std::size_t parts(std::uint64_t c) { return (c >> 16) & 0xFFFF; }
        static std::size_t next(std::uint64_t c) { return c & 0xFFFF; }
    };
    static constexpr std::size_t max_parts = 0xFFFF;

    // Takes parts of this generation's task until none is left. Whoever takes part i runs
    // exactly part i, so the numbers do not depend on which thread ran what; a worker that lost
    // its core to another process leaves its share to the others instead of holding them up.
    void run_claimed_parts(std::uint32_t generation) {
        std::uint64_t claims = claims_.load(std::memory_order_acquire);
        while (Claims::generation(claims) == generation && Claims::next(claims) < Claims::parts(claims)) {
            if (!claims_.compare_exchange_weak(claims, claims + 1, std::memory_order_acquire)) continue;
            running_a_part = true;
            task_.part(task_.context, Claims::next(claims));
            running_a_part = false;
            finished_.fetch_add(1, std::memory_order_release);
            claims = claims_.load(std::memory_order_acquire);
        }
    }

    void start_workers() {
        const std::uint32_t now = generation_.load(std::memory_order_relaxed);
        ready_.store(0, std::memory_order_relaxed);
        try {
            for (std::size_t index = 1; index < size(); ++index) workers_.emplace_back([this, now] { work(now); });
        } catch (const std::system_error&) {
            // The system starts no more threads (a process limit): run with those it started.
            size_.store(workers_.size() + 1, std::memory_order_relaxed);
        }
        // Until every worker holds its buffers, so that they are allocated within this call.
        while (ready_.load(std::memory_order_acquire) != workers_.size()) std::this_thread::yield();
    }

    void stop_workers() {
        if (workers_.empty()) return;
        stopping_.store(true, std::memory_order_relaxed);
        advance(generation_.load(std::memory_order_relaxed) + 1);
        for (auto& worker : workers_) worker.join();
        workers_.clear();
        stopping_.store(false, std::memory_order_relaxed);
    }

    // Publishes a new generation and wakes the workers that went to sleep. A sleeper checks the
    // generation under `sleep_`, and it is counted before it checks, so no wake-up is lost.
    void advance(std::uint32_t generation) {
        generation_.store(generation, std::memory_order_seq_cst);
        if (sleepers_.load(std::memory_order_seq_cst) == 0) return;
        { std::lock_guard lock(sleep_); }
        wake_.notify_all();
    }

    std::uint32_t wait_for_next(std::uint32_t seen) {
        constexpr int spins_before_sleep = 1 << 12;
        for (int spin = 0; spin < spins_before_sleep; ++spin) {
            const std::uint32_t now = generation_.load(std::memory_order_acquire);
            if (now != seen) return now;
            cpu_relax();
        }
        std::unique_lock lock(sleep_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_seq_cst) != seen; });
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
        return generation_.load(std::memory_order_acquire);
    }

    // `seen`: the generation when the pool started the thread, so that nothing published while
    // the thread starts up (a task, or the request to stop) goes unnoticed.
    void work(std::uint32_t seen) {
        kernels::prepare_thread();
        ready_.fetch_add(1, std::memory_order_release);
        for (;;) {
            seen = wait_for_next(seen);
            if (stopping_.load(std::memory_order_relaxed)) return;
            run_claimed_parts(seen);
        }
    }

    std::mutex busy_;  // held by the thread whose task the pool runs, and by resize
    std::atomic<std::size_t> size_{default_thread_count()};
    std::vector<std::thread> workers_;
    Task task_;
    std::atomic<std::uint64_t> claims_{0};
    std::atomic<std::uint32_t> generation_{0};
    std::atomic<std::size_t> finished_{0};
    std::atomic<std::size_t> ready_{0};  // workers started and prepared
    std::atomic<int> sleepers_{0};
    std::mutex sleep_;
    std::condition_variable wake_;
    std::atomic<bool> stopping_{false};
};

}  // namespace

std::size_t num_threads() noexcept { return Pool::instance().size(); }

std::size_t max_num_threads() noexcept { return threads_per_core_at_most * cores(); }

void set_num_threads(std::size_t count) { Pool::instance().resize(count); }

namespace kernels {

void run_parts(std::size_t parts, void (*part)(const void*, std::size_t), const void* context) {
    Pool::instance().run(parts, part, context);
}

}  // namespace kernels

}  // namespace dense
