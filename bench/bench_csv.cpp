// CSV reading speed: MB/s of parse_csv alone and with every column turned into numbers, for a
// generated numeric file held in memory (no disk in the figure), on 1 thread and on N.
//   bench_csv [MEGABYTES=200] [COLUMNS=50] [THREADS=2] [REPEATS=5]
// Prints one `workload=csv ...` line with the median of the repeats.
#include <algorithm>
#include <chrono>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "dense/io/csv.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/threads.hpp"

namespace {

// Rows of COLUMNS numbers like a standardised feature file: "-0.8312,1.204,...", seeded.
std::string numeric_csv(std::size_t bytes, std::size_t columns) {
    std::string text;
    for (std::size_t c = 0; c < columns; ++c) text += (c ? ",x" : "x") + std::to_string(c);
    text += '\n';
    std::mt19937_64 random(42);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    char buffer[32];
    while (text.size() < bytes) {
        for (std::size_t c = 0; c < columns; ++c) {
            const auto end = std::to_chars(buffer, buffer + sizeof buffer, normal(random), std::chars_format::fixed, 4).ptr;
            text.append(buffer, end);
            text += c + 1 < columns ? ',' : '\n';
        }
    }
    return text;
}

template <class F>
double median_seconds(int repeats, F run) {
    std::vector<double> seconds;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        run();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::nth_element(seconds.begin(), seconds.begin() + repeats / 2, seconds.end());
    return seconds[static_cast<std::size_t>(repeats / 2)];
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t megabytes = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200;
    const std::size_t columns = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 50;
    const std::size_t threads = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 2;
    const int repeats = argc > 4 ? std::atoi(argv[4]) : 5;
    const std::string text = numeric_csv(megabytes << 20, columns);
    const double mb = static_cast<double>(text.size()) / 1e6;
    double checksum = 0;
    const auto parse = [&] { checksum += static_cast<double>(dense::io::parse_csv(text, "bench.csv").rows()); };
    const auto parse_numbers = [&] {
        const auto table = dense::io::parse_csv(text, "bench.csv");
        for (const auto& column : table.columns) checksum += dense::io::numeric_column(table, column.name()).back();
    };
    std::printf("workload=csv mb=%.0f columns=%zu", mb, columns);
    for (std::size_t t : {std::size_t{1}, threads}) {
        dense::set_num_threads(t);
        std::printf(" parse_mbs_%zut=%.0f numbers_mbs_%zut=%.0f", t, mb / median_seconds(repeats, parse), t,
                    mb / median_seconds(repeats, parse_numbers));
    }
    std::printf(" checksum=%g\n", checksum);
}
