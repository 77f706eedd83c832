#pragma once
// How much memory this process may still take, so that a size that cannot fit (a layer of 10^8
// units, a huge model file) is refused with the numbers before anything is allocated, instead
// of allocating until the system kills the process.
#include <cstdint>
#include <optional>
#include <string>

namespace dense {

// The least of: the memory the system has available (MemAvailable in /proc/meminfo), what
// the memory limit of the process's cgroup leaves, and what `ulimit -v` leaves.
std::uint64_t available_memory() noexcept;

// "1.5 GB", "20 MB", "512 bytes" (decimal units, as disk and memory sizes are sold).
std::string format_bytes(std::uint64_t bytes);

// Nothing when `bytes` fits in available_memory(); otherwise the sentence that says so:
// "needs 52.3 GB of memory, but 20.1 GB is available".
std::optional<std::string> memory_shortfall(std::uint64_t bytes);

namespace detail {
// What a failed allocation of `bytes` throws in place of std::bad_alloc: a dense::Error that
// gives the size, what is available and what to do.
[[noreturn]] void throw_out_of_memory(std::uint64_t bytes);
}  // namespace detail

}  // namespace dense
