#pragma once
// How the `dense` command line is put together: each file in cli/commands/ adds one or more
// subcommands to the CLI11 app through a static CommandRegistration, so a new command is a new
// file and nothing else changes. A command reports failure by throwing: dense::DataError (or
// any other dense::Error) exits 1, dense::UsageError and CLI11 parse errors exit 2.
#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

namespace dense::cli {

using CommandAdder = std::function<void(CLI::App& app)>;

// Every registered adder, in registration order.
std::vector<CommandAdder>& command_adders();

struct CommandRegistration {
    explicit CommandRegistration(CommandAdder add) { command_adders().push_back(std::move(add)); }
};

}  // namespace dense::cli
