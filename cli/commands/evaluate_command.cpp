// `dense evaluate MODEL DATA.csv`: the loss and metrics of a saved model on labelled data.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dense/error.hpp"
#include "inputs.hpp"

namespace dense::cli {
namespace {

struct EvaluateArgs {
    std::string model;
    std::string data;
    std::size_t batch_size = 32;
    bool json = false;
};

void run_evaluate(const EvaluateArgs& args) {
    auto file = io::load_model(args.model);
    if (!file.model.compiled())
        throw DataError(args.model + " was saved without a loss (before compile), so it cannot be evaluated; "
                                     "save it after compile()");
    if (!file.extras.preprocessing)
        throw DataError(args.model + " was saved without preprocessing, so it does not know its target columns; "
                                     "train it with `dense train` or save it with a Preprocessing");
    const auto table = read_table(args.data);
    const auto x = model_inputs(file, table);
    const auto y = io::encode_targets<float>(*file.extras.preprocessing, table, file.model.loss());
    const Logs logs = file.model.evaluate(x, y, {.batch_size = args.batch_size, .verbose = 0});
    if (args.json) {
        std::cout << nlohmann::json(logs).dump(2) << '\n';
        return;
    }
    for (const auto& [key, value] : logs) std::cout << key << ": " << io::format_number(value) << '\n';
}

void add_evaluate(CLI::App& app) {
    auto args = std::make_shared<EvaluateArgs>();
    auto* cmd = app.add_subcommand("evaluate", "Loss and metrics of a model on a CSV file that has the target column(s)");
    cmd->add_option("model", args->model, "Model file written by dense train")->required();
    cmd->add_option("data", args->data, "CSV file with the feature and target columns ('-' reads stdin)")->required();
    cmd->add_option("--batch-size", args->batch_size, "Rows per step")->capture_default_str();
    cmd->add_flag("--json", args->json, "Print the numbers as JSON");
    cmd->footer("Example:\n  dense evaluate model.dense test.csv");
    cmd->callback([args] { run_evaluate(*args); });
}

const CommandRegistration registration{add_evaluate};

}  // namespace
}  // namespace dense::cli
