// CSV reading speed for a generated numeric file held in memory (no disk in the figure), in MB/s:
//   parse    parse_csv into a table of text cells (what `dense train` reads);
//   numbers  the same, then every column turned into numbers;
//   plain    a block of plain numbers straight into floats (what `dense predict` streams).
// On 1 thread the figures are per second of CPU time (the machine is shared: CPU time is what
// other processes disturb least); on N threads, per second of wall time.
//   bench_csv [MEGABYTES=200] [COLUMNS=50] [THREADS=2] [REPEATS=5]
// Prints one `workload=csv ...` line with the median of the repeats.
#include <algorithm>
#include <chrono>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dense/io/csv.hpp"
#include "dense/io/csv_blocks.hpp"
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

double seconds_now(bool cpu) {
    if (cpu) return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class F>
double median_seconds(int repeats, bool cpu, F run) {
    std::vector<double> seconds;
    for (int i = 0; i < repeats; ++i) {
        const double start = seconds_now(cpu);
        run();
        seconds.push_back(seconds_now(cpu) - start);
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
    const auto header = std::make_shared<dense::io::CsvTable>(dense::io::CsvTable{.source = "bench.csv", .delimiter = ',', .columns = {}});
    const std::size_t body = text.find('\n') + 1;
    const dense::io::CsvBlock block{.text = text.substr(body), .first_line = 2, .header = header};
    std::vector<dense::io::NumericInput> fields(columns);
    for (std::size_t c = 0; c < columns; ++c) fields[c].input = c;
    const auto plain = [&] { checksum += (*dense::io::plain_numbers(block, fields, columns))(0, 0); };
    std::printf("workload=csv mb=%.0f columns=%zu", mb, columns);
    for (std::size_t t : {std::size_t{1}, threads}) {
        dense::set_num_threads(t);
        const bool cpu = t == 1;
        std::printf(" parse_mbs_%zut=%.0f numbers_mbs_%zut=%.0f plain_mbs_%zut=%.0f", t, mb / median_seconds(repeats, cpu, parse),
                    t, mb / median_seconds(repeats, cpu, parse_numbers), t, mb / median_seconds(repeats, cpu, plain));
    }
    std::printf(" checksum=%g\n", checksum);
}
