// `dense train DATA.csv --target COL`: learn the preprocessing, build a Sequential model, fit it
// and save everything in one model file. --resume continues from a checkpoint bit for bit.
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dense/dense.hpp"
#include "dense/io/model_checkpoint.hpp"
#include "dense/io/model_file.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/plot/training_curves.hpp"
#include "inputs.hpp"
#include "option_checks.hpp"

namespace dense::cli {
namespace {

struct TrainArgs {
    std::string data;
    std::vector<std::string> targets;
    std::vector<std::size_t> layers{64};
    std::string activation = "relu";
    std::string loss;  // empty: chosen from the task
    std::string optimizer = "adam";
    double learning_rate = 1e-3;
    int epochs = 100;
    std::size_t batch_size = 32;
    double validation_split = 0.2;
    int early_stopping = 0;
    std::uint64_t seed = 42;
    std::size_t threads = 0;
    std::string out = "model.dense";
    std::string history;
    std::string plot;  // training curves picture, .svg/.png/.pdf
    std::string checkpoint;
    std::string resume;
    std::string task;  // empty: inferred
    std::string fill = "none";
    bool quiet = false;
    bool json = false;
};

// The last layer and the loss that fit the task: linear + mse for regression; sigmoid + binary
// crossentropy for two classes; softmax + sparse categorical crossentropy for more.
struct OutputHead {
    std::size_t units;
    Activation activation;
    Loss loss;
    std::vector<std::string> metrics;
};

OutputHead choose_head(const io::Preprocessing& p, const std::string& loss_name) {
    if (p.task == io::Task::regression) {
        const Loss loss = loss_name.empty() ? Loss("mean_squared_error") : Loss(loss_name);
        if (loss.is_crossentropy())
            throw UsageError("--loss " + loss_name + " is for classification, but the task is regression; "
                             "use mse, mae or huber, or pass --task classification");
        return {p.targets.size(), activations::linear, loss, {"mae"}};
    }
    const bool two_classes = p.classes.size() == 2;
    const Loss loss = !loss_name.empty() ? Loss(loss_name)
                      : two_classes      ? Loss("binary_crossentropy")
                                         : Loss("sparse_categorical_crossentropy");
    if (!loss.is_crossentropy())
        throw UsageError("--loss " + loss_name + " is for regression, but the task is classification; use "
                         "binary_crossentropy, sparse_categorical_crossentropy or categorical_crossentropy");
    if (loss.kind() == LossKind::binary_crossentropy) {
        if (!two_classes)
            throw UsageError("--loss binary_crossentropy needs two classes, but '" + p.targets.front() + "' has " +
                             std::to_string(p.classes.size()) + "; use sparse_categorical_crossentropy");
        return {1, activations::sigmoid, loss, {"accuracy"}};
    }
    return {p.classes.size(), activations::softmax, loss, {"accuracy"}};
}

void check_args(const TrainArgs& args) {
    if (args.resume.empty() && args.targets.empty())
        throw UsageError("--target is required: name the column(s) to predict, e.g. --target price");
    require_distinct(args.targets, "--target");
    if (args.epochs < 1) throw UsageError("--epochs must be at least 1, got " + std::to_string(args.epochs));
    if (args.batch_size < 1) throw UsageError("--batch-size must be at least 1");
    if (!(args.validation_split >= 0.0 && args.validation_split < 1.0))
        throw UsageError("--validation-split must be at least 0 and below 1, got " + io::format_number(args.validation_split));
    if (!(args.learning_rate > 0.0 && std::isfinite(args.learning_rate)))
        throw UsageError("--lr must be a positive number, got " + io::format_number(args.learning_rate));
    require_memory_for_layers(args.layers, get_optimizer<float>(args.optimizer, args.learning_rate)->slots_per_parameter());
    if (args.early_stopping < 0) throw UsageError("--early-stopping takes a patience of 0 (off) or more epochs");
    if (args.threads > max_num_threads())
        std::cerr << "dense train: note: --threads " << args.threads << " is more than " << max_num_threads()
                  << " (4 per core); using " << max_num_threads() << '\n';
    const bool no_hidden = args.layers.size() == 1 && args.layers.front() == 0;
    for (auto units : args.layers)
        if (units == 0 && !no_hidden)
            throw UsageError("--layers needs a positive number of units per layer (or 0 alone for no hidden layer)");
}

// The rows fit trains on when it holds out the last validation_split of them, as fit does.
std::size_t training_rows(std::size_t rows, double validation_split) {
    return static_cast<std::size_t>(std::floor(double(rows) * (1.0 - validation_split)));
}

Sequential build_model(const TrainArgs& args, std::size_t inputs, const OutputHead& head) {
    Sequential model(SequentialOptions{"sequential", args.seed});
    const Activation hidden(args.activation);
    std::size_t width = inputs;
    for (auto units : args.layers) {
        if (units == 0) continue;
        DenseOptions options;
        options.input_dim = width == inputs ? inputs : 0;
        options.activation = hidden;
        model.add(Dense(units, options));
        width = units;
    }
    DenseOptions options;
    options.input_dim = width == inputs ? inputs : 0;
    options.activation = head.activation;
    model.add(Dense(head.units, options));
    return model;
}

// A run to fit: the model, its data and where training starts.
struct TrainingRun {
    io::ModelFile file;
    Matrix<float> x, y;
    std::size_t rows = 0;
};

TrainingRun fresh_run(const TrainArgs& args) {
    auto table = read_table(args.data);
    io::PreprocessingOptions options;
    options.targets = args.targets;
    if (!args.task.empty()) options.task = io::task_from_name(args.task);
    options.fill = io::fill_policy_from_name(args.fill);
    options.training_rows = args.validation_split > 0.0 ? training_rows(table.rows(), args.validation_split) : 0;
    auto preprocessing = io::fit_preprocessing(table, options);
    const auto head = choose_head(preprocessing, args.loss);
    TrainingRun run{{build_model(args, preprocessing.input_width(), head), {}},
                    io::encode_features<float>(preprocessing, table),
                    io::encode_targets<float>(preprocessing, table, head.loss),
                    table.rows()};
    run.file.model.compile(*get_optimizer<float>(args.optimizer, args.learning_rate), head.loss, head.metrics);
    run.file.extras.preprocessing = std::move(preprocessing);
    run.file.extras.progress = io::TrainingProgress{0, args.seed, args.batch_size, args.validation_split};
    return run;
}

TrainingRun resumed_run(const TrainArgs& args) {
    auto file = io::load_model(args.resume);
    if (!file.extras.preprocessing || !file.extras.progress || !file.model.compiled())
        throw DataError(args.resume + " is a model file without training progress, so training cannot resume from it; "
                                      "pass a file written by --checkpoint or dense train");
    if (file.extras.progress->epochs_done >= args.epochs)
        throw UsageError(args.resume + " already holds " + std::to_string(file.extras.progress->epochs_done) +
                         " epochs; pass --epochs with the total number of epochs to reach, more than that");
    auto table = read_table(args.data);
    auto x = io::encode_features<float>(*file.extras.preprocessing, table);
    auto y = io::encode_targets<float>(*file.extras.preprocessing, table, file.model.loss());
    return {std::move(file), std::move(x), std::move(y), table.rows()};
}

std::vector<std::shared_ptr<Callback>> callbacks(const TrainArgs& args, const io::ModelFileExtras& extras) {
    std::vector<std::shared_ptr<Callback>> list;
    const bool validating = extras.progress->validation_split > 0.0;
    if (args.early_stopping > 0) {
        EarlyStoppingOptions options;
        options.monitor = validating ? "val_loss" : "loss";
        options.patience = args.early_stopping;
        options.restore_best_weights = true;
        list.push_back(std::make_shared<EarlyStopping>(options));
    }
    if (!args.history.empty()) list.push_back(std::make_shared<CSVLogger>(args.history, ',', !args.resume.empty()));
    if (!args.checkpoint.empty()) {
        std::error_code error;
        std::filesystem::create_directories(args.checkpoint, error);
        if (error)
            throw DataError("--checkpoint " + args.checkpoint + ": cannot create the folder (" + error.message() + ")");
        io::ModelCheckpointOptions options;
        options.filepath = (std::filesystem::path(args.checkpoint) / "epoch-{epoch}.dense").string();
        options.extras = extras;
        list.push_back(std::make_shared<io::ModelCheckpoint>(options));
    }
    return list;
}

nlohmann::json json_report(const TrainArgs& args, const TrainingRun& run, const History& history, int first_epoch) {
    const auto& p = *run.file.extras.preprocessing;
    nlohmann::json last;
    for (const auto& [key, values] : history.history) last[key] = values.back();
    return {{"model", args.out},
            {"task", io::task_name(p.task)},
            {"targets", p.targets},
            {"classes", p.classes},
            {"inputs", p.input_width()},
            {"rows", run.rows},
            {"epochs_run", history.epoch.size()},
            {"first_epoch", first_epoch + 1},
            {"epochs_done", run.file.extras.progress->epochs_done},
            {"final", last},
            {"history", history.history}};
}

void print_report(const TrainArgs& args, const TrainingRun& run, const History& history) {
    const auto& p = *run.file.extras.preprocessing;
    std::cout << "Trained " << history.epoch.size() << " epoch(s) on " << run.rows << " rows";
    for (const auto& [key, values] : history.history) std::cout << "  " << key << ": " << std::setprecision(5) << values.back();
    std::cout << "\nSaved " << args.out << ": " << io::task_name(p.task) << " of ";
    for (std::size_t i = 0; i < p.targets.size(); ++i) std::cout << (i ? ", '" : "'") << p.targets[i] << "'";
    if (p.task == io::Task::classification) std::cout << " into " << p.classes.size() << " classes";
    std::cout << " from " << p.features.size() << " column(s) (" << p.input_width() << " inputs)\n";
}

void run_train(const TrainArgs& args) {
    check_args(args);
    if (args.threads > 0) set_num_threads(args.threads);
    auto run = args.resume.empty() ? fresh_run(args) : resumed_run(args);
    auto& progress = *run.file.extras.progress;
    FitOptions<float> fit;
    fit.epochs = args.epochs;
    fit.batch_size = progress.batch_size;
    fit.validation_split = progress.validation_split;
    fit.initial_epoch = progress.epochs_done;
    fit.seed = progress.seed;
    fit.verbose = args.json ? 0 : progress_verbosity(args.quiet);
    fit.callbacks = callbacks(args, run.file.extras);
    const int first_epoch = progress.epochs_done;
    const History history = run.file.model.fit(run.x, run.y, fit);
    progress.epochs_done = first_epoch + static_cast<int>(history.epoch.size());
    io::save_model(run.file.model, args.out, run.file.extras);
    if (!args.plot.empty()) plot::training_curves(history, args.plot);
    if (args.json)
        std::cout << json_report(args, run, history, first_epoch).dump(2) << '\n';
    else if (!args.quiet)
        print_report(args, run, history);
}

void add_train(CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    auto* cmd = app.add_subcommand("train", "Train a model on a CSV file and save it (preprocessing included)");
    cmd->add_option("data", args->data, "CSV file with a header row ('-' reads stdin)")->required();
    cmd->add_option("--target,-t", args->targets, "Column(s) to predict, comma-separated")->delimiter(',');
    cmd->add_option("--task", args->task, "regression or classification (default: inferred from the target)");
    cmd->add_option_function<std::string>(
           "--layers", [args](const std::string& text) { args->layers = parse_sizes(text, "--layers"); },
           "Hidden layer sizes, comma-separated; 0 for none")
        ->type_name("SIZES")
        ->default_str("64");
    cmd->add_option("--activation", args->activation, "Activation of the hidden layers")->capture_default_str();
    cmd->add_option("--loss", args->loss, "Loss (default: mse, binary_crossentropy or sparse_categorical_crossentropy)");
    cmd->add_option("--optimizer", args->optimizer, "adam, adamw, sgd, rmsprop, adagrad or nadam")->capture_default_str();
    cmd->add_option("--lr", args->learning_rate, "Learning rate")->capture_default_str();
    cmd->add_option("--epochs", args->epochs, "Epochs to train (the total when resuming)")->capture_default_str();
    cmd->add_option("--batch-size", args->batch_size, "Rows per training step")->capture_default_str();
    cmd->add_option("--validation-split", args->validation_split, "Fraction of the last rows held out for validation")
        ->capture_default_str();
    cmd->add_option("--early-stopping", args->early_stopping, "Stop after this many epochs without improvement (0: off)")
        ->capture_default_str();
    cmd->add_option("--seed", args->seed, "Seed of the initial weights and the shuffling")->capture_default_str();
    cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)");
    cmd->add_option("--fill", args->fill, "Missing numbers: none (an error), mean, median or zero")->capture_default_str();
    cmd->add_option("--out,-o", args->out, "Model file to write")->capture_default_str();
    cmd->add_option("--history", args->history, "Write the loss and metrics of every epoch to this CSV file");
    cmd->add_option("--plot", args->plot, "Draw the loss and metrics per epoch to this .svg, .png or .pdf");
    cmd->add_option("--checkpoint", args->checkpoint, "Save DIR/epoch-N.dense after every epoch");
    cmd->add_option("--resume", args->resume,
                    "Continue from a checkpoint or model file, with its architecture, preprocessing, seed, batch size "
                    "and validation split, on the same data; --epochs is the total to reach");
    cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
    cmd->add_flag("--json", args->json, "Print a machine-readable summary on stdout instead of progress");
    cmd->footer(
        "The task is classification when the target holds text, or at most 10 distinct integers that are no\n"
        "more than half the rows; otherwise regression (--task overrides). Text feature columns are one-hot\n"
        "encoded and numbers standardised on the training rows; the model file keeps both.\n"
        "Examples:\n"
        "  dense train houses.csv --target price\n"
        "  dense train iris.csv --target species --layers 16,16 --epochs 200 --early-stopping 20\n"
        "  dense train data.csv --target y --checkpoint ckpt --epochs 50\n"
        "  dense train data.csv --resume ckpt/epoch-20.dense --epochs 50   (same result as one 50-epoch run)");
    cmd->callback([args] { run_train(*args); });
}

const CommandRegistration registration{add_train};

}  // namespace
}  // namespace dense::cli
