// `dense demo`: the articles' worked examples (cli/demo.cpp).
#include <iostream>

#include "command.hpp"
#include "demo.hpp"
#include "dense/error.hpp"

namespace dense::cli {
namespace {

void add_demo(CLI::App& app) {
    auto* command = app.add_subcommand("demo", "Reproduce the articles: one neuron learns y = 2x + 3, then Celsius to Fahrenheit");
    command->footer("Example:\n  dense demo");
    command->callback([] {
        if (run_demo(std::cout) != 0) throw Error("the demo did not reach the articles' results; see the lines above");
    });
}

const CommandRegistration registration{add_demo};

}  // namespace
}  // namespace dense::cli
