// `dense predict MODEL DATA.csv`: one CSV row of predictions per input row.
#include <memory>

#include "command.hpp"
#include "dense/io/preprocessing.hpp"
#include "inputs.hpp"

namespace dense::cli {
namespace {

struct PredictArgs {
    std::string model;
    std::string data;
    std::string out;
    std::size_t batch_size = 32;
};

// Regression: the predicted values. Classification: the label, then each class' probability.
std::vector<std::string> output_row(const io::ModelFile& file, std::span<const float> outputs) {
    if (file.extras.preprocessing) return io::prediction_row(*file.extras.preprocessing, outputs);
    std::vector<std::string> row;
    for (float value : outputs) row.push_back(io::format_number(value));
    return row;
}

void run_predict(const PredictArgs& args) {
    auto file = io::load_model(args.model);
    const auto table = read_table(args.data);
    const auto predictions = file.model.predict(model_inputs(file, table), {.batch_size = args.batch_size, .verbose = 0});
    std::string text = csv_line(output_names(file));
    for (std::size_t r = 0; r < predictions.rows(); ++r) text += csv_line(output_row(file, predictions.row(r)));
    write_output(args.out, text);
}

void add_predict(CLI::App& app) {
    auto args = std::make_shared<PredictArgs>();
    auto* cmd = app.add_subcommand("predict", "Predictions of a model for every row of a CSV file, as CSV");
    cmd->add_option("model", args->model, "Model file written by dense train")->required();
    cmd->add_option("data", args->data, "CSV file with the model's feature columns ('-' reads stdin)")->required();
    cmd->add_option("--out,-o", args->out, "Write the CSV to this file instead of stdout");
    cmd->add_option("--batch-size", args->batch_size, "Rows per step")->capture_default_str();
    cmd->footer(
        "Output: one column per target (regression), or the predicted label and one p_LABEL probability\n"
        "column per class (classification). Values are written with enough digits to read back exactly.\n"
        "Examples:\n"
        "  dense predict model.dense new.csv\n"
        "  cat new.csv | dense predict model.dense - --out predictions.csv");
    cmd->callback([args] { run_predict(*args); });
}

const CommandRegistration registration{add_predict};

}  // namespace
}  // namespace dense::cli
