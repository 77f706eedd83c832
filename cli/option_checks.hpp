#pragma once
// Checks of option values that CLI11 does not make on its own.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace dense::cli {

// Every unsigned option of every command refuses a negative value and one too large to hold:
// CLI11 would read `--batch-size -1` as 2^64 − 1, and `--seed 99999999999999999999999` as
// 2^64 − 1, without a word.
void refuse_negative_counts(CLI::App& app);

// A check for a whole-number option: from `least` to `most`, written without a sign, e.g.
// "--batch-size: must be a whole number from 1 to 2147483648, got 0". Goes before
// refuse_negative_counts, whose general message it makes precise.
CLI::Validator whole_number(std::uint64_t least, std::uint64_t most = std::numeric_limits<std::uint64_t>::max());

// "64,32" → {64, 32}. Throws UsageError naming `option` for an empty item ("4,,4"), a sign or
// anything that is not a whole number.
std::vector<std::size_t> parse_sizes(std::string_view text, std::string_view option);

// Throws UsageError when hidden layers of these sizes cannot fit in memory even with one input
// and one output: their weights, the gradients and `optimizer_slots` values per weight.
void require_memory_for_layers(const std::vector<std::size_t>& layers, std::size_t optimizer_slots);

// A file a command reads or writes, named by its option ("--out") or its role ("the data").
struct NamedFile {
    std::string_view name;
    std::string path;  // empty or "-" (standard input or output): not a file to compare
    bool written;      // false: only read
};

// Throws UsageError when a file written is also another of `files` (the same path, or two names
// of one file): `dense train in.csv --out in.csv` would replace its data with a model.
void require_different_files(const std::vector<NamedFile>& files);

// Throws UsageError naming `option` and the first item given twice ("--target y,y").
void require_distinct(const std::vector<std::string>& items, std::string_view option);

}  // namespace dense::cli
