#pragma once
// Checks of option values that CLI11 does not make on its own.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace dense::cli {

// Every unsigned option of every command refuses a negative value: CLI11 would read
// `--batch-size -1` as 2^64 − 1 without a word.
void refuse_negative_counts(CLI::App& app);

// "64,32" → {64, 32}. Throws UsageError naming `option` for an empty item ("4,,4"), a sign or
// anything that is not a whole number.
std::vector<std::size_t> parse_sizes(std::string_view text, std::string_view option);

// Throws UsageError when hidden layers of these sizes cannot fit in memory even with one input
// and one output: their weights, the gradients and `optimizer_slots` values per weight.
void require_memory_for_layers(const std::vector<std::size_t>& layers, std::size_t optimizer_slots);

// Throws UsageError naming `option` and the first item given twice ("--target y,y").
void require_distinct(const std::vector<std::string>& items, std::string_view option);

}  // namespace dense::cli
