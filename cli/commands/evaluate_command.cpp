// `dense evaluate MODEL DATA.csv`: how good a saved model is on labelled data, in the targets'
// own units — regression: loss, MAE, RMSE, R² and the RMSE of predicting the training mean;
// classification: loss, accuracy, scikit-learn's classification_report and the confusion matrix.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "model_reader.hpp"
#include "dense/error.hpp"
#include "inputs.hpp"
#include "option_checks.hpp"
#include "scores.hpp"

namespace dense::cli {
namespace {

struct EvaluateArgs {
    std::string model;
    std::string data;
    std::size_t batch_size = 32;
    std::string fill;  // empty: what the model was trained with
    bool json = false;
    bool no_header = false;
};

// A headerless file's columns: the model's inputs, then its targets, in order.
std::vector<std::string> headerless_columns(const io::ModelFile& file) {
    auto names = input_columns(file);
    const auto& targets = file.extras.preprocessing->targets;
    names.insert(names.end(), targets.begin(), targets.end());
    return names;
}

// A model imported from Keras or ONNX carries no loss: it is scored with the one `dense train`
// compiles for its task (mean squared error for regression, binary cross-entropy for a sigmoid
// output of two classes, sparse categorical cross-entropy for more), and a note says so.
void compile_with_default_loss(io::ModelFile& file, const std::string& path) {
    const bool regression = file.extras.preprocessing->task == io::Task::regression;
    const char* loss = regression ? "mean_squared_error"
                       : file.model.output_dim() == 1 ? "binary_crossentropy"
                                                      : "sparse_categorical_crossentropy";
    file.model.compile("adam", loss);  // evaluate takes no step: the optimizer is never used
    std::cerr << "dense evaluate: note: " << path << " carries no loss; scored with " << loss << ", the one dense train uses for "
              << (regression ? "regression" : "classification") << '\n';
}

void run_evaluate(const EvaluateArgs& args) {
    auto file = read_model(args.model, "evaluate");
    if (!file.extras.preprocessing)
        throw DataError(args.model + " was saved without preprocessing, so it does not know its target columns; "
                                     "train it with `dense train` or save it with a Preprocessing");
    if (!args.fill.empty()) set_fill(*file.extras.preprocessing, args.fill);
    if (!file.model.compiled() && imported_format(args.model)) compile_with_default_loss(file, args.model);
    if (!file.model.compiled())
        throw DataError(args.model + " was saved without a loss (before compile), so it cannot be evaluated; "
                                     "save it after compile()");
    const auto table = args.no_header ? read_headerless_table(args.data, headerless_columns(file)) : read_table(args.data);
    const auto outputs = file.model.predict(model_inputs(file, table), {.batch_size = args.batch_size, .verbose = 0});
    require_finite_predictions(file, outputs, table.source);
    const auto scores = score_model(file, outputs, labelled_targets(*file.extras.preprocessing, table));
    if (args.json)
        std::cout << scores_json(scores, *file.extras.preprocessing).dump(2) << '\n';
    else
        std::cout << format_scores(scores, *file.extras.preprocessing);
}

void add_evaluate(CLI::App& app) {
    auto args = std::make_shared<EvaluateArgs>();
    auto* cmd = app.add_subcommand("evaluate", "How good a model is on a CSV file that has the target column(s)");
    cmd->add_option("model", args->model, "Model file written by dense train, or a Keras (.keras, .h5) or ONNX (.onnx) model")->required();
    cmd->add_option("data", args->data, "CSV file with the feature and target columns ('-' reads stdin)")->required();
    cmd->add_option("--batch-size", args->batch_size, "Rows per step")->capture_default_str()->check(whole_number(1));
    cmd->add_option("--fill", args->fill, fill_option_help);
    cmd->add_flag("--json", args->json, "Print the numbers as JSON");
    cmd->add_flag("--no-header", args->no_header,
                  "The file has no header line: its columns are the model's inputs, in the order 'dense summary' "
                  "lists, then its target(s)");
    cmd->footer(
        "Regression: the loss, MAE, RMSE and R² in the target's units, beside the RMSE of always predicting\n"
        "the training mean (a model worse than that has learnt nothing). Classification: the loss, accuracy,\n"
        "precision, recall, F1 and support per class with their macro and weighted averages, and the\n"
        "confusion matrix (rows: true class; columns: predicted). A first line of numbers is taken for a file\n"
        "without a header and refused: pass --no-header.\n"
        "Example:\n  dense evaluate model.dense test.csv");
    cmd->callback([args] { run_evaluate(*args); });
}

const CommandRegistration registration{add_evaluate};

}  // namespace
}  // namespace dense::cli
