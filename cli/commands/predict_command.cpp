// `dense predict MODEL DATA.csv`: one CSV row of predictions per input row.
#include <memory>

#include "command.hpp"
#include "dense/error.hpp"
#include "dense/io/preprocessing.hpp"
#include "inputs.hpp"

namespace dense::cli {
namespace {

struct PredictArgs {
    std::string model;
    std::string data;
    std::string out;
    std::size_t batch_size = 32;
    std::string fill;  // empty: what the model was trained with
    bool no_header = false;
};

// Regression: the predicted values. Classification: the label, then each class' probability.
std::vector<std::string> output_row(const io::ModelFile& file, std::span<const float> outputs) {
    if (file.extras.preprocessing) return io::prediction_row(*file.extras.preprocessing, outputs);
    std::vector<std::string> row;
    for (float value : outputs) row.push_back(io::format_number(value));
    return row;
}

void run_predict(const PredictArgs& args) {
    if (args.batch_size == 0) throw UsageError("--batch-size must be at least 1");
    auto file = io::load_model(args.model);
    if (!args.fill.empty() && file.extras.preprocessing) set_fill(*file.extras.preprocessing, args.fill);
    const auto fill = args.fill.empty() ? io::FillPolicy::none : io::fill_policy_from_name(args.fill);
    const auto table = args.no_header ? read_headerless_table(args.data, input_columns(file)) : read_table(args.data);
    const auto predictions =
        file.model.predict(model_inputs(file, table, fill), {.batch_size = args.batch_size, .verbose = 0});
    std::string text = csv_line(output_names(file));
    for (std::size_t r = 0; r < predictions.rows(); ++r) text += csv_line(output_row(file, predictions.row(r)));
    write_output(args.out, text);
}

void add_predict(CLI::App& app) {
    auto args = std::make_shared<PredictArgs>();
    auto* cmd = app.add_subcommand("predict", "Predictions of a model for every row of a CSV file, as CSV");
    cmd->add_option("model", args->model, "Model file written by dense train")->required();
    cmd->add_option("data", args->data,
                    "CSV file with a header naming the model's feature columns, in any order ('-' reads stdin)")
        ->required();
    cmd->add_option("--out,-o", args->out, "Write the CSV to this file instead of stdout");
    cmd->add_option("--batch-size", args->batch_size, "Rows per step")->capture_default_str();
    cmd->add_option("--fill", args->fill,
                    "Missing numbers: mean or median (of the training data), zero, or none (an error); "
                    "default: what the model was trained with");
    cmd->add_flag("--no-header", args->no_header,
                  "The file has no header line: its columns are the model's inputs, in the order 'dense summary' lists");
    cmd->footer(
        "Output: one column per target (regression), or the predicted label and one p_LABEL probability\n"
        "column per class (classification). Values are written with enough digits to read back exactly.\n"
        "A first line of numbers is taken for a file without a header and refused: pass --no-header.\n"
        "Examples:\n"
        "  dense predict model.dense new.csv\n"
        "  cat new.csv | dense predict model.dense - --out predictions.csv");
    cmd->callback([args] { run_predict(*args); });
}

const CommandRegistration registration{add_predict};

}  // namespace
}  // namespace dense::cli
