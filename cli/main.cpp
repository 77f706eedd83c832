// `dense`: the command line. Every subcommand comes from a file in cli/commands/; this file only
// parses and turns failures into one line on stderr and the exit status:
// 0 success, 1 bad data or model file (dense::Error), 2 bad usage (dense::UsageError, CLI11).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "command.hpp"
#include "option_checks.hpp"
#include "parallel.hpp"
#include "terminal_output.hpp"
#include "dense/did_you_mean.hpp"
#include "dense/error.hpp"
#include "dense/printable.hpp"

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

// "…; run 'dense train --help' for the options", a new sentence after a question.
std::string with_help_hint(const std::string& message, const std::string& command, const std::string& what) {
    const std::string hint = "un '" + command + " --help' for " + what;
    return message + (message.ends_with('?') ? " R" : "; r") + hint;
}

std::string suggestion(std::string_view typed, const std::vector<std::string>& known) {
    const auto near = dense::did_you_mean(typed, known);
    return near ? "; did you mean '" + *near + "'?" : "";
}

// `dense trian`: the first argument that is not an option must name a command.
std::optional<std::string> unknown_command(const CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') return std::nullopt;
    std::vector<std::string> commands;
    for (const auto* command : app.get_subcommands({})) commands.push_back(command->get_name());
    if (std::find(commands.begin(), commands.end(), argv[1]) != commands.end()) return std::nullopt;
    return with_help_hint("unknown command " + dense::in_quotes(argv[1]) + suggestion(argv[1], commands), "dense", "the commands");
}

// Under mpirun, `dense train` and `dense tune` share their work among the processes; any other
// command runs on process 0 alone (mpirun -np 4 dense predict prints the predictions once).
bool spreads_over_processes(int argc, char** argv) {
    return argc >= 2 && (std::string_view(argv[1]) == "train" || std::string_view(argv[1]) == "tune");
}

std::vector<std::string> option_names(const CLI::App& command) {
    std::vector<std::string> names;
    for (const auto* option : command.get_options()) {
        for (const auto& name : option->get_lnames()) names.push_back("--" + name);
        for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
    return names;
}

bool looks_like_an_option(const std::string& argument) {
    return argument.size() > 1 && argument[0] == '-' && !std::isdigit(static_cast<unsigned char>(argument[1])) &&
           argument[1] != '.';
}

// What CLI11 could not place: an unknown option (with the nearest known one) or an extra value.
std::string explain_extras(const CLI::App& app) {
    const auto chosen = app.get_subcommands();
    const CLI::App& command = chosen.empty() ? app : *chosen.front();
    const auto extras = command.remaining();
    for (const auto& argument : extras) {
        if (!looks_like_an_option(argument)) continue;
        const auto name = argument.substr(0, argument.find('='));
        return "unknown option " + dense::in_quotes(name) + suggestion(name, option_names(command));
    }
    return extras.empty() ? "unexpected argument" : "unexpected argument " + dense::in_quotes(extras.front());
}

// CLI11's "--epochs: At Most 1 required but received 2" for an option given twice.
std::optional<std::string> explain_repeated_option(const CLI::ParseError& error) {
    const std::string text = error.what();
    const auto at = text.find(": At Most 1 required but received ");
    if (!dynamic_cast<const CLI::ArgumentMismatch*>(&error) || at == std::string::npos) return std::nullopt;
    return text.substr(0, at) + " is given more than once; give it once";
}

// CLI11's "Could not convert: --epochs = 2.5" for a value that is not of the option's type.
std::optional<std::string> explain_unconverted_value(const CLI::App& app, const CLI::ParseError& error) {
    const std::string text = error.what(), prefix = "Could not convert: ";
    const auto equals = text.find(" = ");
    if (!dynamic_cast<const CLI::ConversionError*>(&error) || !text.starts_with(prefix) || equals == std::string::npos)
        return std::nullopt;
    const auto chosen = app.get_subcommands();
    const std::string name = text.substr(prefix.size(), equals - prefix.size());
    const auto* option = chosen.empty() ? nullptr : chosen.front()->get_option_no_throw(name);
    const std::string type = option ? option->get_type_name() : "", value = text.substr(equals + 3);
    // Every INT option is an int: a value of digits alone that it could not take is too large.
    const bool digits = value.find_first_not_of("-0123456789") == std::string::npos;
    const std::string expected = type == "FLOAT" ? "a number"
                                 : type != "INT" ? ""
                                 : digits        ? "a whole number from -2147483648 to 2147483647"
                                                 : "a whole number";
    if (expected.empty()) return std::nullopt;
    return name + ": must be " + expected + ", got " + dense::printable(value);
}

std::string explain_parse_error(const CLI::App& app, const CLI::ParseError& error) {
    if (dynamic_cast<const CLI::ExtrasError*>(&error)) return explain_extras(app);
    if (const auto repeated = explain_repeated_option(error)) return *repeated;
    if (const auto unconverted = explain_unconverted_value(app, error)) return *unconverted;
    return dense::printable(error.what(), 500);
}

// Output that could not be written (a full disk, a closed pipe) is a failure, not a success.
int finish_standard_output(const CLI::App& app) {
    std::cout.flush();
    if (std::cout) return 0;
    return report(command_name(app), std::string("cannot write the output: ") + std::strerror(errno), exit_data_error);
}

int run_command(int argc, char** argv) {
    // A file-size limit (ulimit -f) then fails the write with EFBIG, which is reported, instead
    // of killing the process without a word.
    std::signal(SIGXFSZ, SIG_IGN);
    dense::cli::escape_control_characters_on_terminals();
    CLI::App app{"dense: train, evaluate, predict with and explain neural networks of Dense layers from CSV files.",
                 "dense"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "dense " DENSE_VERSION);
    app.footer(
        "Examples:\n"
        "  dense demo                                  the articles' worked example\n"
        "  dense train houses.csv --target price       train and save model.dense\n"
        "  dense predict model.dense new_houses.csv    predictions as CSV on stdout\n"
        "  dense explain model.dense --input 120,3     every neuron's equation and a traced input\n"
        "Run 'dense COMMAND --help' for a command's options. Exit status: 0 ok, 1 data or model error, 2 usage error.");
    for (const auto& add : dense::cli::command_adders()) add(app);
    dense::cli::refuse_negative_counts(app);
    if (const auto unknown = unknown_command(app, argc, argv)) return report("dense", *unknown, exit_usage_error);
    if (!spreads_over_processes(argc, argv) && dense::cli::another_process_of_the_job()) return 0;
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        const auto command = command_name(app);
        return report(command, with_help_hint(explain_parse_error(app, e), command, "the options"), exit_usage_error);
    } catch (const dense::UsageError& e) {
        return report(command_name(app), e.what(), exit_usage_error);
    } catch (const dense::Error& e) {
        return report(command_name(app), e.what(), exit_data_error);
    } catch (const std::exception& e) {
        return report(command_name(app), "unexpected failure: " + dense::printable(e.what(), 500), exit_data_error);
    }
    return finish_standard_output(app);
}

}  // namespace

int main(int argc, char** argv) {
    const int status = run_command(argc, argv);
    if (status != 0) dense::cli::end_other_processes(status);  // under mpirun they would wait for this one
    return status;
}
