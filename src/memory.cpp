// The memory a process may still take (see dense/memory.hpp).
#include "dense/memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

#include "dense/error.hpp"

namespace dense {
namespace {

constexpr std::uint64_t unknown = std::numeric_limits<std::uint64_t>::max();

// The number after `key` in a file of "key: value" lines (/proc/meminfo, /proc/self/status).
std::uint64_t field_of(const char* file, const std::string& key) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(key)) return std::strtoull(line.c_str() + key.size(), nullptr, 10);
    return unknown;
}

std::uint64_t number_in(const char* file) {
    std::ifstream in(file);
    std::string text;
    if (!(in >> text) || text == "max") return unknown;
    return std::strtoull(text.c_str(), nullptr, 10);
}

std::uint64_t system_available() {
    const auto kilobytes = field_of("/proc/meminfo", "MemAvailable:");
    if (kilobytes != unknown) return kilobytes * 1024;
    const long pages = ::sysconf(_SC_AVPHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? std::uint64_t(pages) * std::uint64_t(page) : unknown;
}

// limit − usage of the cgroup, v2 or v1.
std::uint64_t cgroup_available() {
    for (const auto& [limit_file, usage_file] :
         {std::pair{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
          std::pair{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"}}) {
        const auto limit = number_in(limit_file), usage = number_in(usage_file);
        if (limit != unknown && usage != unknown) return limit > usage ? limit - usage : 0;
    }
    return unknown;
}

// RLIMIT_AS − the address space the process already holds.
std::uint64_t address_space_available() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return unknown;
    const auto used_kilobytes = field_of("/proc/self/status", "VmSize:");
    const std::uint64_t used = used_kilobytes == unknown ? 0 : used_kilobytes * 1024;
    return limit.rlim_cur > used ? limit.rlim_cur - used : 0;
}

}  // namespace

std::uint64_t available_memory() noexcept {
    try {
        return std::min({system_available(), cgroup_available(), address_space_available()});
    } catch (...) {
        return unknown;
    }
}

std::string format_bytes(std::uint64_t bytes) {
    constexpr const char* units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    if (bytes < 1000) return std::to_string(bytes) + " bytes";
    double value = double(bytes);
    std::size_t unit = 0;
    for (value /= 1000; value >= 1000 && unit + 1 < std::size(units); value /= 1000) ++unit;
    char text[32];
    std::snprintf(text, sizeof text, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return text;
}

std::optional<std::string> memory_shortfall(std::uint64_t bytes) {
    const auto available = available_memory();
    if (bytes <= available) return std::nullopt;
    return "needs " + format_bytes(bytes) + " of memory, but " + format_bytes(available) + " is available";
}

void detail::throw_out_of_memory(std::uint64_t bytes) {
    throw Error("out of memory: " + format_bytes(bytes) + " could not be allocated (" + format_bytes(available_memory()) +
                " is available); use smaller batches, fewer rows or fewer units, or a machine with more memory");
}

}  // namespace dense
