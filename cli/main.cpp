// `dense`: the command line. Every subcommand comes from a file in cli/commands/; this file only
// parses and turns failures into one line on stderr and the exit status:
// 0 success, 1 bad data or model file (dense::Error), 2 bad usage (dense::UsageError, CLI11).
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "command.hpp"
#include "dense/error.hpp"

namespace {

constexpr int exit_data_error = 1;
constexpr int exit_usage_error = 2;

// "dense train" when a subcommand was chosen, else "dense".
std::string command_name(const CLI::App& app) {
    const auto chosen = app.get_subcommands();
    return chosen.empty() ? "dense" : "dense " + chosen.front()->get_name();
}

int report(const std::string& command, const std::string& message, int status) {
    std::cerr << command << ": error: " << message << '\n';
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"dense: train, evaluate, predict with and explain neural networks of Dense layers from CSV files.",
                 "dense"};
    app.require_subcommand(1);
    app.footer(
        "Examples:\n"
        "  dense demo                                  the articles' worked example\n"
        "  dense train houses.csv --target price       train and save model.dense\n"
        "  dense predict model.dense new_houses.csv    predictions as CSV on stdout\n"
        "  dense explain model.dense --input 120,3     every neuron's equation and a traced input\n"
        "Run 'dense COMMAND --help' for a command's options. Exit status: 0 ok, 1 data or model error, 2 usage error.");
    for (const auto& add : dense::cli::command_adders()) add(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help
        const auto command = command_name(app);
        return report(command, std::string(e.what()) + "; run '" + command + " --help' for the options", exit_usage_error);
    } catch (const dense::UsageError& e) {
        return report(command_name(app), e.what(), exit_usage_error);
    } catch (const dense::Error& e) {
        return report(command_name(app), e.what(), exit_data_error);
    } catch (const std::exception& e) {
        return report(command_name(app), std::string("unexpected failure: ") + e.what(), exit_data_error);
    }
    return 0;
}
