// `dense evaluate MODEL DATA.csv`: how good a saved model is on labelled data, in the targets'
// own units — regression: loss, MAE, RMSE, R² and the RMSE of predicting the training mean;
// classification: loss, accuracy, scikit-learn's classification_report and the confusion matrix.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "model_reader.hpp"
#include "dense/dense.hpp"
#include "dense/error.hpp"
#include "dense/printable.hpp"
#include "column_options.hpp"
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
    std::vector<std::string> targets;  // for a model without preprocessing
};

// The activation the model's outputs leave through: its last layer's, a Dense or an Activation.
std::optional<ActivationKind> output_activation(const Sequential& model) {
    const auto& last = model.layer(model.layer_count() - 1);
    if (const auto* dense = dynamic_cast<const Dense*>(&last)) return dense->activation().kind();
    if (const auto* layer = dynamic_cast<const ActivationLayer*>(&last)) return layer->activation().kind();
    return std::nullopt;
}

// What a model made elsewhere (Keras, ONNX: no preprocessing of dense's) is scored as: the
// columns --target names (named_columns) are its targets, every other column one of its inputs,
// in file order, as the number it holds. A softmax output of K units predicts the classes 0 … K−1 and a sigmoid
// of one unit 0 and 1 (Keras' sparse labels), any other output the targets' values.
io::Preprocessing given_preprocessing(const Sequential& model, const io::CsvTable& table,
                                      const std::vector<std::string>& given_targets, const std::string& path) {
    io::Preprocessing p;
    p.targets = named_columns(given_targets, table.names(), "--target");
    require_distinct(p.targets, "--target");
    const auto& targets = p.targets;
    for (const auto& target : targets) table.named_column_index(target, "--target");
    for (const auto& column : table.columns)
        if (std::ranges::find(targets, column.name()) == targets.end()) {
            p.features.emplace_back();
            p.features.back().name = column.name();  // mean 0, stddev 1: the number as it is
        }
    if (p.features.size() != model.input_dim())
        throw DataError(table.source + " has " + std::to_string(p.features.size()) + " columns besides the target(s) but " +
                        path + " takes " + std::to_string(model.input_dim()) +
                        " inputs; give it a file of its inputs, in its order, and the target(s)");
    const auto activation = output_activation(model);
    const std::size_t outputs = model.output_dim();
    const bool softmax = activation == ActivationKind::softmax, sigmoid = activation == ActivationKind::sigmoid && outputs == 1;
    if (softmax || sigmoid) {
        p.task = io::Task::classification;
        for (std::size_t k = 0; k < (softmax ? outputs : 2); ++k) p.classes.push_back(std::to_string(k));
    }
    const std::size_t wanted = p.task == io::Task::classification ? 1 : outputs;
    if (targets.size() != wanted)
        throw UsageError(path + " has " + std::to_string(outputs) + " output(s)" +
                         (p.task == io::Task::classification ? " of class probabilities" : "") + ": name " +
                         std::to_string(wanted) + " target column(s) with --target, not " + std::to_string(targets.size()));
    return p;
}

// A headerless file's columns: the model's inputs, then its targets (--target's for a model
// without preprocessing), in order.
std::vector<std::string> headerless_columns(const io::ModelFile& file, const std::vector<std::string>& given_targets) {
    auto names = input_columns(file);
    // no header to match --target against: each of its values is a comma-separated list
    const auto targets = file.extras.preprocessing ? file.extras.preprocessing->targets
                                                   : named_columns(given_targets, {}, "--target");
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

// Evaluate scores predictions against the target columns: a file without them is one to predict.
void require_target_columns(const io::Preprocessing& p, const io::CsvTable& table, const std::string& model) {
    const auto columns = table.names();
    std::vector<std::string> missing;
    for (const auto& target : p.targets)
        if (std::ranges::find(columns, target) == columns.end()) missing.push_back(target);
    if (missing.empty()) return;
    throw DataError(table.source + " lacks the target column(s) " + quoted_list(missing) + " that " + model +
                    " predicts, which evaluate scores its predictions against; add them, or get the predictions alone "
                    "with dense predict " + model + " " + table.source);
}

void run_evaluate(const EvaluateArgs& args) {
    auto file = read_model(args.model, "evaluate");
    if (file.extras.preprocessing && !args.targets.empty() &&
        named_columns(args.targets, file.extras.preprocessing->targets, "--target") != file.extras.preprocessing->targets)
        throw UsageError("--target: " + args.model + " predicts its own targets, " +
                         quoted_list(file.extras.preprocessing->targets) + "; leave --target out");
    if (!file.extras.preprocessing && args.targets.empty())
        throw UsageError(args.model + " carries no preprocessing (a model made elsewhere, or saved without one), so it "
                                      "does not know which columns are its targets: name them with --target (the other "
                                      "columns are its inputs, in file order)");
    const auto table = args.no_header ? read_headerless_table(args.data, headerless_columns(file, args.targets))
                                      : read_table(args.data);
    if (args.no_header) check_first_row_is_not_a_header(file, table);
    if (!file.extras.preprocessing) file.extras.preprocessing = given_preprocessing(file.model, table, args.targets, args.model);
    require_target_columns(*file.extras.preprocessing, table, args.model);
    if (!args.fill.empty()) set_fill(*file.extras.preprocessing, args.fill);
    if (!file.model.compiled() && (imported_format(args.model) || !args.targets.empty()))
        compile_with_default_loss(file, args.model);
    if (!file.model.compiled())
        throw DataError(args.model + " was saved without a loss (before compile), so it cannot be evaluated; "
                                     "save it after compile()");
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
    cmd->add_option("--target,-t", args->targets,
                    "For a model without dense's preprocessing (made by Keras or for ONNX elsewhere): its target "
                    "column(s), comma-separated or the option repeated; every other column is an input, in file order");
    cmd->add_flag("--no-header", args->no_header,
                  "The file has no header line: its columns are the model's inputs, in the order 'dense summary' "
                  "lists, then its target(s)");
    cmd->footer(
        "Regression: the loss, MAE, RMSE and R² in the target's units, beside the RMSE of always predicting\n"
        "the training mean (a model worse than that has learnt nothing); R² is n/a (null in --json) when a\n"
        "target has one value in every row, as in a file of one row. Classification: the loss, accuracy,\n"
        "precision, recall, F1 and support per class with their macro and weighted averages, and the\n"
        "confusion matrix (rows: true class; columns: predicted). A first line of numbers is taken for a file\n"
        "without a header and refused: pass --no-header.\n"
        "A model made elsewhere takes --target: a softmax output of K units is scored against classes\n"
        "0 … K−1 and a sigmoid output against 0 and 1, any other output as regression.\n"
        "Examples:\n  dense evaluate model.dense test.csv\n  dense evaluate keras_model.keras test.csv --target label");
    cmd->callback([args] { run_evaluate(*args); });
}

const CommandRegistration registration{add_evaluate};

}  // namespace
}  // namespace dense::cli
