// `dense train DATA.csv --target COL`: learn the preprocessing, build a Sequential model, fit it
// until the validation loss stops improving, keep its best epoch's weights and save everything in
// one model file. --resume continues from a checkpoint bit for bit.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "dense_train.hpp"
#include "epoch_list.hpp"
#include "dense/dense.hpp"
#include "dense/printable.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/io/csv_stream.hpp"
#include "dense/io/model_checkpoint.hpp"
#include "dense/io/model_file.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/io/stream_preprocessing.hpp"
#include "dense/memory.hpp"
#include "dense/io/write_file_atomically.hpp"
#include "dense/plot/image_file.hpp"
#include "dense/plot/training_curves.hpp"
#include "dense/tune/hyperparameters.hpp"
#include "dense/tune/default_training.hpp"
#include "column_options.hpp"
#include "inputs.hpp"
#include "model_reader.hpp"
#include "option_checks.hpp"
#include "parallel.hpp"
#include "scores.hpp"

namespace dense::cli {
namespace {

struct TrainArgs {
    std::string data;
    std::vector<std::string> targets;
    std::vector<std::string> dropped;  // --drop: columns left out of the model
    std::vector<std::size_t> layers = tune::default_network().hidden_units;
    bool layers_given = false;  // false: choose between a linear model and `layers` by validation loss
    std::string activation = tune::default_network().activation;
    std::string loss;  // empty: chosen from the task
    std::string optimizer = tune::default_network().optimizer;
    double learning_rate = tune::default_network().learning_rate;
    int epochs = tune::default_max_epochs;  // a cap: early stopping ends most runs well before it
    bool epochs_given = false;  // false: tune::default_epoch_cap of the training rows
    std::size_t batch_size = tune::default_network().batch_size;
    double validation_split = 0.2;
    std::string split = "auto";  // stratified for classification, shuffled for regression
    int early_stopping = 50;
    int reduce_lr = 0;  // halve the learning rate after this many epochs without improvement; 0: off
    std::size_t ensemble = 0;  // copies of each candidate averaged into one; 0: tune::default_ensemble_for(rows)
    bool refit = false;     // --refit: asked for explicitly
    bool no_refit = false;  // --no-refit
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
    bool stream = false;  // read the data in chunks, never whole (docs/STREAMING.md)
    bool alone = false;   // on this process only, under mpirun too (dense tune's final model)
    std::size_t shuffle_buffer = 10000;  // rows, with --stream
    std::set<std::string> given;  // the options on the command line, checked against a --resume file
};

// The largest batch a model file records (as it records a layer's width).
constexpr std::uint64_t max_batch_size = std::uint64_t{1} << 31;
// The largest value of an int option (--epochs, the patiences): its range as a count.
constexpr std::uint64_t most_int = std::numeric_limits<int>::max();

// How a streamed run draws its validation rows (io::RowSplit), as the model file records it.
constexpr const char* hashed_split = "hashed_rows";

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

// The option that makes dense train keep one network from start to end instead of choosing the
// default one on validation rows (then --ensemble has no copies to make), if any; --layers aside.
std::optional<std::string> option_that_keeps_one_network(const TrainArgs& args) {
    if (args.validation_split == 0.0) return "--validation-split 0";
    if (args.early_stopping == 0) return "--early-stopping 0";
    if (args.stream) return "--stream";
    if (!args.resume.empty()) return "--resume";
    if (!args.checkpoint.empty()) return "--checkpoint";
    return std::nullopt;
}

void check_args(const TrainArgs& args) {
    if (args.resume.empty() && args.targets.empty())
        throw UsageError("--target is required: name the column(s) to predict, e.g. --target price");
    if (!args.resume.empty() && !args.dropped.empty())
        throw UsageError("--resume keeps the columns of the run it continues; leave out --drop");
    if (!(args.validation_split >= 0.0 && args.validation_split < 1.0))
        throw UsageError("--validation-split must be at least 0 and below 1, got " + io::format_number(args.validation_split));
    if (!(args.learning_rate > 0.0 && std::isfinite(args.learning_rate)))
        throw UsageError("--lr must be a positive number, got " + io::format_number(args.learning_rate));
    require_memory_for_layers(args.layers, get_optimizer<float>(args.optimizer, args.learning_rate)->slots_per_parameter());
    if (args.split != "auto") validation_split_from_name(args.split);
    if (args.threads > max_num_threads())
        std::cerr << "dense train: note: --threads " << args.threads << " is more than " << max_num_threads()
                  << " (4 per core); using " << max_num_threads() << '\n';
    if (args.stream && args.data == "-")
        throw UsageError("--stream reads the data more than once, which standard input cannot give; save it to a file");
    if (args.stream && args.split != "auto" && args.split != "shuffled")
        throw UsageError("--split " + args.split + " needs every row in memory; --stream draws the validation rows at "
                         "random by row number (as --split shuffled does)");
    if (args.shuffle_buffer < 1) throw UsageError("--shuffle-buffer must be at least 1 row");
    if (args.refit && args.no_refit) throw UsageError("--refit and --no-refit ask for opposite things; give one of them");
    if (args.ensemble > 0 && args.layers_given)
        throw UsageError("--ensemble averages copies of the model dense train chooses without --layers; with --layers " +
                         std::string("it trains the one network you name: leave out one of the two"));
    if (args.ensemble > 1)
        if (const auto one_network = option_that_keeps_one_network(args))
            throw UsageError("--ensemble averages copies of the network dense train chooses with early stopping on "
                             "validation rows; " + *one_network + " trains one network from start to end: leave out "
                             "one of the two");
    const bool no_hidden = args.layers.size() == 1 && args.layers.front() == 0;
    for (auto units : args.layers)
        if (units == 0 && !no_hidden)
            throw UsageError("--layers needs a positive number of units per layer (or 0 alone for no hidden layer)");
}

// The rows fit trains on when it holds out the last validation_split of them, as fit does.
std::size_t training_rows(std::size_t rows, double validation_split) {
    return static_cast<std::size_t>(std::floor(double(rows) * (1.0 - validation_split)));
}

Sequential build_model(const TrainArgs& args, const std::vector<std::size_t>& layers, std::size_t inputs,
                       const OutputHead& head) {
    Sequential model(SequentialOptions{"sequential", args.seed});
    const Activation hidden(args.activation);
    std::size_t width = inputs;
    for (auto units : layers) {
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

// The network of `layers` for the task of `p`, compiled with the run's optimizer and loss.
Sequential compiled_model(const TrainArgs& args, const std::vector<std::size_t>& layers, const io::Preprocessing& p) {
    const auto head = choose_head(p, args.loss);
    Sequential model = build_model(args, layers, p.input_width(), head);
    model.compile(*get_optimizer<float>(args.optimizer, args.learning_rate), head.loss, head.metrics);
    return model;
}

// The class of every row for a stratified split: the index of its label among the labels in
// the order they first appear.
std::vector<std::size_t> label_strata(const io::CsvTable& table, const std::string& target) {
    const auto& column = table.column(target);
    std::map<std::string, std::size_t, std::less<>> ids;
    std::vector<std::size_t> strata;
    for (std::size_t r = 0; r < column.size(); ++r)
        strata.push_back(ids.emplace(std::string(io::trim_spaces(column.cell(r))), ids.size()).first->second);
    return strata;
}

// --split auto: stratified for classification, shuffled for regression.
ValidationSplit resolve_split(const std::string& name, io::Task task) {
    if (name == "auto") return task == io::Task::classification ? ValidationSplit::stratified : ValidationSplit::shuffled;
    const auto split = validation_split_from_name(name);
    if (split == ValidationSplit::stratified && task != io::Task::classification)
        throw UsageError("--split stratified draws the same share of every class, but the task is regression; "
                         "use --split shuffled or last-rows");
    return split;
}

// The table with the training rows first, then the validation rows, each in data order: fit's
// last-rows split then validates on exactly the drawn rows, and the preprocessing learns its
// statistics from the training rows alone.
io::CsvTable in_split_order(io::CsvTable table, const SplitRows& split) {
    std::vector<std::size_t> rows(split.training.begin(), split.training.end());
    rows.insert(rows.end(), split.validation.begin(), split.validation.end());
    return io::rows_in_order(std::move(table), rows);
}

// A split that leaves one side with a single class cannot tell a classifier from a constant. A
// stratified split does that only when the rows are too few for every class on both sides.
std::vector<std::string> one_class_warnings(const io::CsvTable& table, const std::string& target, const SplitRows& split,
                                            ValidationSplit kind) {
    const std::string advice = kind == ValidationSplit::stratified
                                   ? "too few rows of each class for both sides; give more rows or a larger --validation-split"
                                   : "use --split stratified";
    const auto& column = table.column(target);
    std::vector<std::string> warnings;
    for (const auto* side : {&split.training, &split.validation}) {
        std::set<std::string_view> labels;
        for (auto r : *side) labels.insert(io::trim_spaces(column.cell(r)));
        if (labels.size() == 1)
            warnings.push_back("the " + std::string(side == &split.training ? "training" : "validation") +
                               " rows hold only the class '" + std::string(*labels.begin()) +
                               "'; the split cannot judge the model (" + advice + ")");
    }
    return warnings;
}

// A run to fit: the model, its data in split order (training rows first) and where training starts.
struct TrainingRun {
    io::ModelFile file;
    io::CsvTable table;
    Matrix<float> x, y;
    std::size_t training_rows = 0;  // the first rows of x, y and table; the rest validate
    // --stream: the file's chunks, read a batch at a time; table, x and y stay empty.
    std::optional<io::CsvIndex> streamed;
    std::vector<std::string> warnings;  // about the data, said before training starts
};

// The table's target columns alone, with their own text: what the scores read once x and y are
// encoded, without the rest of the file.
io::CsvTable target_columns(io::CsvTable table, const std::vector<std::string>& targets) {
    std::erase_if(table.columns, [&](const io::CsvColumn& column) {
        return std::find(targets.begin(), targets.end(), column.name()) == targets.end();
    });
    return io::with_own_text(std::move(table));
}

// Splits the table as `progress` says and puts it in split order; adds to `warnings` a side of
// one class.
io::CsvTable split_table(io::CsvTable table, const io::TrainingProgress& progress, const std::vector<std::string>& targets,
                         io::Task task, std::vector<std::string>& warnings) {
    if (progress.validation_split <= 0.0) return table;
    const auto kind = validation_split_from_name(progress.validation);
    const auto split = split_rows(table.rows(), progress.validation_split, kind, progress.seed,
                                  kind == ValidationSplit::stratified ? label_strata(table, targets.front())
                                                                      : std::vector<std::size_t>{});
    if (task == io::Task::classification) warnings = one_class_warnings(table, targets.front(), split, kind);
    return in_split_order(std::move(table), split);
}

std::size_t training_rows_of(std::size_t rows, const io::TrainingProgress& progress) {
    return progress.validation_split > 0.0 ? training_rows(rows, progress.validation_split) : rows;
}

// The rows the hashed split of a streamed run trains on.
std::size_t training_row_count(const io::CsvIndex& index, const io::RowSplit& split) {
    std::size_t rows = 0;
    for (std::size_t r = 0; r < index.rows; ++r) rows += split.validates(r) ? 0 : 1;
    return rows;
}

// The files --stream reads: the data file, or the .csv files of a folder of shards, by name.
std::vector<std::string> stream_paths(const std::string& data) {
    std::error_code error;
    if (!std::filesystem::is_directory(data, error)) return {data};
    std::vector<std::string> paths;
    for (const auto& entry : std::filesystem::directory_iterator(data))
        if (entry.is_regular_file() && entry.path().extension() == ".csv") paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    if (paths.empty()) throw DataError(data + ": the folder holds no .csv file; give a CSV file or a folder of CSV shards");
    return paths;
}

// The processes of this run: mpirun's N, or 1.
std::size_t process_count() {
    const auto world = parallel_world();
    return world ? world->size() : 1;
}

// A streamed run's global batches hold up to N × --batch-size rows, N its processes, so resuming
// with another N continues another run than the checkpoint's: say so, and carry on with this N.
void warn_if_other_processes(const std::string& checkpoint, io::TrainingProgress& progress) {
    const std::size_t now = process_count();
    if (progress.processes == now) return;
    if (is_main_process())
        std::cerr << "dense train: warning: " << checkpoint << " was trained streamed by " << progress.processes
                  << " process" << (progress.processes == 1 ? "" : "es") << " and resumes on " << now
                  << ": a step takes up to (processes × --batch-size) rows, so the model will differ from an "
                     "uninterrupted run on either; resume with mpirun -np "
                  << progress.processes << " to continue that run bit for bit\n";
    progress.processes = now;
}

// The preprocessing the flags ask for: the targets, the task (empty: inferred), the fill policy and
// the columns to leave out, --target and --drop read as the columns of `header` they name.
io::PreprocessingOptions preprocessing_options(const TrainArgs& args, const std::vector<std::string>& header) {
    io::PreprocessingOptions options;
    options.targets = named_columns(args.targets, header, "--target");
    require_distinct(options.targets, "--target");
    if (!args.task.empty()) options.task = io::task_from_name(args.task);
    options.fill = io::fill_policy_from_name(args.fill);
    options.dropped_columns = named_columns(args.dropped, header, "--drop");
    require_distinct(options.dropped_columns, "--drop");
    return options;
}

// --stream: the preprocessing learnt in passes over the file, which is never read whole.
TrainingRun fresh_streamed_run(const TrainArgs& args) {
    const io::RowSplit split{args.validation_split, args.seed};
    const auto paths = stream_paths(args.data);
    const auto options = preprocessing_options(args, io::CsvBlockReader(paths.front()).header().names());
    auto [index, preprocessing] = io::fit_streamed_preprocessing(paths, options, split);
    const std::size_t training = training_row_count(index, split);
    io::TrainingProgress progress{0,        args.seed, args.batch_size, args.validation_split, hashed_split,
                                  args.early_stopping, args.reduce_lr, training};
    progress.processes = process_count();
    auto model = compiled_model(args, args.layers, preprocessing);
    TrainingRun run{{std::move(model), {}}, {}, {}, {}, training, std::move(index), {}};
    run.file.extras.preprocessing = std::move(preprocessing);
    run.file.extras.progress = progress;
    return run;
}

// A fresh in-memory run of `table`: its rows split, the preprocessing learnt from its training rows.
TrainingRun fresh_run_of(const TrainArgs& args, io::CsvTable table) {
    auto options = preprocessing_options(args, table.names());
    const auto task = io::infer_task(table, options);
    const io::TrainingProgress progress{0,
                                        args.seed,
                                        args.batch_size,
                                        args.validation_split,
                                        std::string(validation_split_name(resolve_split(args.split, task))),
                                        args.early_stopping,
                                        args.reduce_lr,
                                        0};
    std::vector<std::string> warnings;
    table = split_table(std::move(table), progress, options.targets, task, warnings);
    const std::size_t training = training_rows_of(table.rows(), progress);
    options.training_rows = training;
    auto preprocessing = io::fit_preprocessing(table, options);
    // Every part that can throw is made before the braced aggregate: GCC 12 destroyed members not
    // yet constructed when an initializer of one threw (a crash on a refused target).
    auto model = compiled_model(args, args.layers, preprocessing);
    auto x = io::encode_features<float>(preprocessing, table);
    auto y = io::encode_targets<float>(preprocessing, table, model.loss());
    TrainingRun run{{std::move(model), {}}, {}, std::move(x), std::move(y), training, std::nullopt, std::move(warnings)};
    run.table = target_columns(std::move(table), preprocessing.targets);
    run.file.extras.preprocessing = std::move(preprocessing);
    run.file.extras.progress = progress;
    run.file.extras.progress->training_rows = training;
    return run;
}

TrainingRun fresh_run(const TrainArgs& args) {
    if (args.stream) return fresh_streamed_run(args);
    return fresh_run_of(args, read_table(args.data));
}

// `args` with the defaults that depend on the data settled: the epoch cap (--epochs, or
// tune::default_epoch_cap: more than 1000 epochs on data small enough to take few steps an epoch;
// a streamed run's rows are not counted up front: 1000) and the copies of each candidate
// (--ensemble, or tune::default_ensemble_for the rows).
TrainArgs settled_for(TrainArgs args, const TrainingRun& run) {
    if (!args.epochs_given && !run.streamed)
        args.epochs = tune::default_epoch_cap(run.training_rows, run.file.extras.progress->batch_size);
    if (args.ensemble == 0) args.ensemble = tune::default_ensemble_for(run.x.rows());
    return args;
}

// --task classification on a column of measured values, or a text target that is an identifier
// or a date, makes a class of nearly every row: say so, and what to do for each.
std::optional<std::string> classes_are_values_warning(const TrainingRun& run) {
    const auto& p = *run.file.extras.preprocessing;
    if (p.task != io::Task::classification) return std::nullopt;
    if (p.classes.size() < 20 || p.classes.size() * 2 <= run.training_rows) return std::nullopt;
    const bool numbers = std::ranges::all_of(p.classes, [](const std::string& label) { return io::is_number(label); });
    return in_quotes(p.targets.front()) + " has " + std::to_string(p.classes.size()) + " classes in " +
           std::to_string(run.training_rows) + " training rows, most seen once or twice, which a classifier " +
           (numbers ? "cannot learn; if it is a number to predict, leave out --task classification"
                    : "cannot learn; if it is an identifier or a date, pick another target");
}

// The warnings about the data, printed before training starts (which may take long).
std::vector<std::string> data_warnings(const TrainingRun& run) {
    auto warnings = run.warnings;
    if (const auto values = classes_are_values_warning(run)) warnings.push_back(*values);
    if (is_main_process())
        for (const auto& warning : warnings) std::cerr << "dense train: warning: " << warning << '\n';
    return warnings;
}

// A resumed run must have epochs left below its cap.
void check_epochs_left(const TrainArgs& args, const TrainingRun& run) {
    const int done = run.file.extras.progress->epochs_done;
    if (!args.resume.empty() && done >= args.epochs)
        throw UsageError(args.resume + " already holds " + std::to_string(done) + " epochs of a cap of " +
                         std::to_string(args.epochs) + "; pass --epochs with the total number of epochs to reach, more than that");
}

// The hidden layers' widths of `model` (all but the output layer); {0} for none.
std::vector<std::size_t> hidden_units(const Sequential& model) {
    std::vector<std::size_t> units;
    for (std::size_t l = 0; l + 1 < model.layer_count(); ++l) units.push_back(model.layer(l).output_dim());
    return units.empty() ? std::vector<std::size_t>{0} : units;
}

bool hidden_activations_are(const Sequential& model, const std::string& activation) {
    for (std::size_t l = 0; l + 1 < model.layer_count(); ++l)
        if (const auto* dense = dynamic_cast<const Dense*>(&model.layer(l)); dense && dense->activation().name() != activation)
            return false;
    return true;
}

// --resume continues a run as it was: an option given beside it must say what the file holds.
void check_resumed_options(const TrainArgs& args, const io::ModelFile& file) {
    const auto& progress = *file.extras.progress;
    const auto& p = *file.extras.preprocessing;
    std::vector<std::string> differ;
    const auto check = [&](const char* option, bool same) {
        if (args.given.contains(option) && !same) differ.push_back(option);
    };
    check("--target", named_columns(args.targets, p.targets, "--target") == p.targets);
    check("--layers", args.layers == hidden_units(file.model));
    check("--optimizer", args.optimizer == file.model.optimizer().name());
    check("--loss", args.loss.empty() || Loss(args.loss).name() == file.model.loss().name());
    check("--batch-size", args.batch_size == progress.batch_size);
    check("--seed", args.seed == progress.seed);
    check("--validation-split", args.validation_split == progress.validation_split);
    check("--early-stopping", args.early_stopping == progress.early_stopping);
    check("--reduce-lr", args.reduce_lr == progress.reduce_lr);
    check("--task", args.task.empty() || io::task_from_name(args.task) == p.task);
    check("--activation", hidden_activations_are(file.model, args.activation));
    check("--lr", progress.reduce_lr > 0 ||  // halvings have moved the rate since the start
                      args.learning_rate == file.model.optimizer().learning_rate_schedule().initial());
    check("--split", progress.validation == hashed_split
                         ? args.split == "auto" || args.split == "shuffled"
                         : validation_split_name(resolve_split(args.split, p.task)) == progress.validation);
    check("--fill", (io::fill_policy_from_name(args.fill) == io::FillPolicy::none) ==
                        std::ranges::none_of(p.features, [](const auto& f) { return f.fill || f.fill_category; }));
    if (!differ.empty())
        throw UsageError(args.resume + " continues its run with the target, network, optimizer, preprocessing, seed, "
                         "batch size and split it was started with; " + quoted_list(differ) +
                         (differ.size() == 1 ? " differs" : " differ") + " from what it holds: leave " +
                         (differ.size() == 1 ? "it" : "them") + " out, or start a fresh run without --resume");
}

TrainingRun resumed_run(const TrainArgs& args) {
    if (args.refit && !args.no_refit)
        throw UsageError("--refit retrains the architecture of a run from its start; pass it to the run without --resume");
    auto file = io::load_model(args.resume);
    if (!file.extras.preprocessing || !file.extras.progress || !file.model.compiled())
        throw DataError(args.resume + " is a model file without training progress, so training cannot resume from it; "
                                      "pass a file written by --checkpoint or dense train");
    check_resumed_options(args, file);
    const auto& p = *file.extras.preprocessing;
    if ((file.extras.progress->validation == hashed_split) != args.stream)
        throw UsageError(args.resume + " was trained " + (args.stream ? "without" : "with") + " --stream; resume it the "
                         "same way, so that it validates on the same rows");
    if (args.stream) {
        warn_if_other_processes(args.resume, *file.extras.progress);
        auto index = io::index_csv(stream_paths(args.data));
        const std::size_t training = file.extras.progress->training_rows;
        return {std::move(file), {}, {}, {}, training, std::move(index), {}};
    }
    std::vector<std::string> warnings;
    auto table = split_table(read_table(args.data), *file.extras.progress, p.targets, p.task, warnings);
    auto x = io::encode_features<float>(p, table);
    auto y = io::encode_targets<float>(p, table, file.model.loss());
    const std::size_t training = training_rows_of(table.rows(), *file.extras.progress);
    auto targets = target_columns(std::move(table), p.targets);
    return {std::move(file), std::move(targets), std::move(x), std::move(y), training, std::nullopt, std::move(warnings)};
}

// The user's callbacks of a run that is not one candidate of a model choice: --history and
// --checkpoint, which saves the state of the `stateful` stopping callbacks with every epoch.
std::vector<std::shared_ptr<Callback>> user_callbacks(const TrainArgs& args, const io::ModelFileExtras& extras,
                                                      const std::vector<std::shared_ptr<const Callback>>& stateful) {
    std::vector<std::shared_ptr<Callback>> list;
    if (!is_main_process()) return list;  // process 0 alone writes files
    if (!args.history.empty()) list.push_back(std::make_shared<CSVLogger>(args.history, ',', !args.resume.empty()));
    if (!args.checkpoint.empty()) {
        io::ModelCheckpointOptions options;
        options.filepath = (std::filesystem::path(args.checkpoint) / "epoch-{epoch}.dense").string();
        options.extras = extras;
        options.extras.callbacks.clear();
        list.push_back(std::make_shared<io::ModelCheckpoint>(options, stateful));
    }
    return list;
}

Matrix<float> row_range(const Matrix<float>& m, std::size_t begin, std::size_t end) {
    Matrix<float> out(end - begin, m.cols());
    std::copy(m.values().begin() + static_cast<std::ptrdiff_t>(begin * m.cols()),
              m.values().begin() + static_cast<std::ptrdiff_t>(end * m.cols()), out.values().begin());
    return out;
}

// Rows begin..end of x and y.
struct RowsOf {
    const Matrix<float>& x;
    const Matrix<float>& y;
    std::size_t begin, end;
};

// This process's shard of `rows` under mpirun.
std::pair<Matrix<float>, Matrix<float>> shard_of_rows(RowsOf rows, const DataParallel& processes) {
    const auto [first, end] = shard_of(rows.end - rows.begin, processes.rank(), processes.size());
    return {row_range(rows.x, rows.begin + first, rows.begin + end), row_range(rows.y, rows.begin + first, rows.begin + end)};
}

// fit under mpirun: each process trains on its shard of `training` and validates on its shard of
// `validation`, the gradients and logs summed over the processes (dense/data_parallel.hpp): the
// result is that of one process.
History fit_shards(Sequential& model, RowsOf training, std::optional<RowsOf> validation,
                   const std::shared_ptr<DataParallel>& processes, FitOptions<float> fit) {
    if (validation) {
        fit.validation_data = shard_of_rows(*validation, *processes);
        fit.validation_split = 0.0;
    }
    fit.data_parallel = processes;
    const auto [x, y] = shard_of_rows(training, *processes);
    return model.fit(x, y, fit);
}

// fit on every row of x, y but the last validation_split of them, which validate (the last-rows
// split); under mpirun on each process's shards (fit_shards).
History fit_rows(Sequential& model, const Matrix<float>& x, const Matrix<float>& y,
                 const std::shared_ptr<DataParallel>& processes, FitOptions<float> fit) {
    if (!processes) return model.fit(x, y, fit);
    const std::size_t training = fit.validation_split > 0.0 ? training_rows(x.rows(), fit.validation_split) : x.rows();
    std::optional<RowsOf> validation;
    if (training < x.rows()) validation.emplace(RowsOf{x, y, training, x.rows()});
    return fit_shards(model, {x, y, 0, training}, validation, processes, std::move(fit));
}

// fit on x_train, y_train, validated on x_val, y_val (a copy of an ensemble on its fold); under
// mpirun on each process's shards (fit_shards).
History fit_apart(Sequential& model, const Matrix<float>& x_train, const Matrix<float>& y_train, const Matrix<float>& x_val,
                  const Matrix<float>& y_val, const std::shared_ptr<DataParallel>& processes, FitOptions<float> fit) {
    fit.validation_split = 0.0;
    if (!processes) {
        fit.validation_data = {x_val, y_val};
        return model.fit(x_train, y_train, fit);
    }
    return fit_shards(model, {x_train, y_train, 0, x_train.rows()}, RowsOf{x_val, y_val, 0, x_val.rows()}, processes, std::move(fit));
}

// --stream: fit on the file's chunks a batch at a time, validated on the rows the hashed split
// draws when fit.validation_split is set. Under mpirun each process streams its share of the
// chunks and the gradients are summed (dense/data_parallel.hpp).
History fit_streamed(Sequential& model, const TrainingRun& run, std::size_t shuffle_buffer, FitOptions<float> fit) {
    const auto processes = parallel_world();
    const std::uint64_t seed = fit.seed.value_or(model.seed());
    io::StreamOptions options{.batch_size = fit.batch_size,
                                 .split = {fit.validation_split, seed},
                                 .validation = false,
                                 .shuffle = true,
                                 .shuffle_buffer = shuffle_buffer,
                                 .seed = seed,
                                 .shard = processes ? processes->rank() : 0,
                                 .shards = processes ? processes->size() : 1};
    const auto& preprocessing = *run.file.extras.preprocessing;
    io::CsvStream training(*run.streamed, preprocessing, model.loss(), options);
    std::optional<io::CsvStream> validation;
    if (fit.validation_split > 0.0) {
        options.validation = true;
        validation.emplace(*run.streamed, preprocessing, model.loss(), options);
    }
    fit.validation_split = 0.0;
    fit.data_parallel = processes;
    return model.fit(training, fit, validation ? &*validation : nullptr);
}

History fit_data(Sequential& model, const TrainingRun& run, const TrainArgs& args, FitOptions<float> fit) {
    if (run.streamed) return fit_streamed(model, run, args.shuffle_buffer, std::move(fit));
    return fit_rows(model, run.x, run.y, args.alone ? nullptr : parallel_world(), std::move(fit));
}

std::size_t all_rows(const TrainingRun& run) { return run.streamed ? run.streamed->rows : run.x.rows(); }

// How the run ended: the epochs it reached, where early stopping stopped and whose weights it kept.
struct Outcome {
    int first_epoch = 0;
    int epochs_done = 0;
    int stopped_epoch = -1;  // 0-based; -1: ran to --epochs
    int kept_epoch = -1;     // 0-based; -1: the last epoch's weights
    bool refit = false;
    std::string model_choice;  // why this network, when one was chosen among candidates
    std::vector<int> member_epochs;  // with --ensemble K > 1: the epochs each copy kept (its refit's)
    std::size_t folds = 1;           // the folds the copies validated on (validation scored out of fold)
    std::vector<double> learning_rates;  // of every epoch trained
    std::vector<std::string> warnings;
    std::optional<ModelScores> training, validation;

    // The epochs up to the kept weights: what a refit trains.
    int kept_epochs() const { return kept_epoch >= 0 ? kept_epoch + 1 : epochs_done; }
};

// scikit-learn's ConvergenceWarning: the cap ended training while the monitored loss still fell,
// its best epoch among the last tenth of the epochs (at least the last one).
std::optional<std::string> convergence_warning(const TrainArgs& args, const Outcome& outcome, const History& history,
                                               const io::TrainingProgress& progress) {
    if (outcome.epochs_done < args.epochs || outcome.stopped_epoch >= 0) return std::nullopt;
    const std::string monitor = progress.validation_split > 0.0 ? "val_loss" : "loss";
    int best = outcome.kept_epoch;
    if (best < 0) {
        if (!history.history.contains(monitor) || history.epoch.empty()) return std::nullopt;
        const auto& values = history.history.at(monitor);
        best = history.epoch[static_cast<std::size_t>(std::min_element(values.begin(), values.end()) - values.begin())];
    }
    const int window = std::max(1, args.epochs / 10);
    if (best < args.epochs - window) return std::nullopt;
    return "training reached the epoch cap (--epochs " + std::to_string(args.epochs) + ") while the " +
           (monitor == "val_loss" ? "validation" : "training") + " loss was still improving (best at epoch " +
           std::to_string(best + 1) + "); raise --epochs to let it converge";
}

// The training settings of a run as dense::tune::DefaultTraining takes them.
tune::DefaultTraining training_of(const TrainArgs& args, const io::TrainingProgress& progress, bool candidate) {
    return {.max_epochs = args.epochs,
            .patience = progress.early_stopping,
            .reduce_lr = progress.reduce_lr,
            .batch_size = progress.batch_size,
            .seed = progress.seed,
            .verbose = args.json || candidate ? 0 : progress_verbosity(args.quiet),
            .ensemble = args.ensemble,
            .threads = parallel_world() ? std::size_t{1} : std::size_t{0}};
}

// fit on the run's data, validated on its validation rows when validation_split is set.
tune::Fitter fitter(const TrainArgs& args, const TrainingRun& run, double validation_split) {
    return [&args, &run, validation_split](Sequential& model, FitOptions<float> fit) {
        fit.validation_split = validation_split;
        return fit_data(model, run, args, std::move(fit));
    };
}

// --refit: the same architecture and seed trained again on every row for the kept number of epochs.
// Each epoch at the learning rate the validated run used for it (its schedule replayed).
Sequential refit_model(const TrainArgs& args, TrainingRun& run, const std::vector<std::size_t>& layers, int epochs,
                       const std::vector<double>& learning_rates) {
    Sequential model = compiled_model(args, layers, *run.file.extras.preprocessing);
    tune::replay_epochs(model, fitter(args, run, 0.0), epochs, learning_rates, training_of(args, *run.file.extras.progress, false));
    return model;
}

ModelScores scores_of_rows(TrainingRun& run, std::size_t begin, std::size_t end) {
    const auto x = row_range(run.x, begin, end);
    const auto targets = labelled_targets(*run.file.extras.preprocessing, run.table);
    return score_model(run.file, run.file.model.predict(x, {.batch_size = 1024}), row_range(targets, begin, end));
}

// The validated model's scores on its training and validation rows (unless the copies of an
// ensemble were already scored out of fold).
void score_kept_model(TrainingRun& run, Outcome& outcome) {
    if (run.streamed) return;  // scores need every row in memory; the epoch logs tell instead
    const std::size_t rows = run.x.rows();
    outcome.training = scores_of_rows(run, 0, run.training_rows);
    if (run.training_rows < rows && !outcome.validation) outcome.validation = scores_of_rows(run, run.training_rows, rows);
}

std::string epoch_story(const Outcome& o, const io::TrainingProgress& progress) {
    const bool validated = progress.validation_split > 0.0;
    const std::string monitor = validated ? "validation" : "training";
    if (o.stopped_epoch >= 0)
        return "Stopped at epoch " + std::to_string(o.stopped_epoch + 1) + ", kept epoch " + std::to_string(o.kept_epoch + 1) +
               "'s weights (the " + monitor + " loss did not improve" +
               (validated ? "" : " by more than " + io::format_number(tune::training_loss_tolerance)) + " for " +
               std::to_string(progress.early_stopping) + " epochs)";
    if (o.kept_epoch >= 0)
        return "Ran to the cap of " + std::to_string(o.epochs_done) + " epochs, kept epoch " +
               std::to_string(o.kept_epoch + 1) + "'s weights (the lowest " + monitor + " loss)";
    return "Trained " + std::to_string(o.epochs_done - o.first_epoch) + " epoch(s)";
}

// --json's summary; its warnings are those about the data, then the outcome's.
nlohmann::json json_report(const TrainArgs& args, const TrainingRun& run, const History& history, const Outcome& o,
                           std::vector<std::string> warnings) {
    warnings.insert(warnings.end(), o.warnings.begin(), o.warnings.end());
    const auto& p = *run.file.extras.preprocessing;
    nlohmann::json last;
    for (const auto& [key, values] : history.history)
        if (!values.empty()) last[key] = values.back();
    nlohmann::json report{{"model", args.out},
                          {"task", io::task_name(p.task)},
                          {"targets", p.targets},
                          {"classes", p.classes},
                          {"inputs", p.input_width()},
                          {"rows", all_rows(run)},
                          {"training_rows", run.file.extras.progress->training_rows},
                          {"epochs_run", history.epoch.size()},
                          {"first_epoch", o.first_epoch + 1},
                          {"epochs_done", run.file.extras.progress->epochs_done},
                          {"stopped_epoch", o.stopped_epoch >= 0 ? nlohmann::json(o.stopped_epoch + 1) : nlohmann::json()},
                          {"kept_epoch", o.kept_epoch >= 0 ? nlohmann::json(o.kept_epoch + 1) : nlohmann::json()},
                          {"refit", o.refit},
                          {"model_choice", o.model_choice},
                          {"ensemble", std::max<std::size_t>(o.member_epochs.size(), 1)},
                          {"validation_folds", o.folds},
                          {"member_kept_epochs", o.member_epochs},
                          {"warnings", warnings},
                          {"last_epoch", last},
                          {"history", history.history}};
    if (!standardised_targets_note(p).empty()) {  // the history's numbers are of (y − mean) / stddev
        report["history_target_scaling"] = nlohmann::json::array();
        for (std::size_t i = 0; i < p.target_scaling.size(); ++i)
            report["history_target_scaling"].push_back(
                {{"target", p.targets[i]}, {"mean", p.target_scaling[i].mean}, {"stddev", p.target_scaling[i].stddev}});
    }
    if (o.training) report["kept"]["training"] = scores_json(*o.training, p);
    if (o.validation) report["kept"]["validation"] = scores_json(*o.validation, p);
    return report;
}

// A streamed run's kept epoch, from its logs ("loss 0.1234, val_loss 0.1301"): scores over every
// row would need them in memory.
std::string kept_epoch_logs(const History& history, const Outcome& o) {
    const auto kept = std::find(history.epoch.begin(), history.epoch.end(), o.kept_epoch);
    const std::size_t at = kept != history.epoch.end() ? std::size_t(kept - history.epoch.begin()) : history.epoch.size() - 1;
    std::string text;
    for (const auto& [key, values] : history.history)
        if (at < values.size()) {
            std::ostringstream value;
            value << std::fixed << std::setprecision(4) << values[at];
            text += (text.empty() ? "" : ", ") + key + " " + value.str();
        }
    return "epoch " + std::to_string(history.epoch[at] + 1) + "'s logs: " + text;
}

// `validated`: the progress of the run early stopping watched (a refit's has no validation).
// Whole numbers with few distinct values are taken for classes (the task inferred, as the help
// says) though they may be values to predict, a rating or a count: say how to predict them so.
std::string inferred_classes_note(const TrainArgs& args, const io::Preprocessing& p) {
    const bool numbers = std::ranges::all_of(p.classes, [](const std::string& label) { return io::is_number(label); });
    if (!args.task.empty() || !numbers) return "";
    return " (whole numbers with few distinct values, taken for classes; --task regression predicts them as numbers)";
}

void print_report(const TrainArgs& args, const TrainingRun& run, const Outcome& o, const io::TrainingProgress& validated,
                  const History& history) {
    const auto& p = *run.file.extras.preprocessing;
    const auto& progress = *run.file.extras.progress;
    if (!o.model_choice.empty()) std::cout << "Chose the " << o.model_choice << '\n';
    if (o.member_epochs.size() > 1) {
        std::cout << "Trained " << o.member_epochs.size() << " copies from different seeds with early stopping";
        if (o.folds > 1 && o.validation)
            std::cout << ", each on validation rows of its own (" << o.folds << " folds, " << o.validation->rows
                      << " rows in all)";
        std::cout << "; they kept epochs " << epoch_list(o.member_epochs) << '\n';
        if (o.refit)
            std::cout << "Refit each on all " << all_rows(run) << " rows for its kept epochs (its validated run's learning "
                      << "rates), then averaged them into one network\n";
    } else {
        std::cout << epoch_story(o, validated) << '\n';
        if (o.refit)
            std::cout << "Refit on all " << all_rows(run) << " rows for " << progress.epochs_done
                      << " epochs (the validated run's learning rates)\n";
    }
    std::cout << "Saved " << args.out << ": " << io::task_name(p.task) << " of ";
    for (std::size_t i = 0; i < p.targets.size(); ++i) std::cout << (i ? ", '" : "'") << printable(p.targets[i]) << "'";
    if (p.task == io::Task::classification) std::cout << " into " << p.classes.size() << " classes" << inferred_classes_note(args, p);
    std::cout << " from " << p.features.size() << " column(s) (" << p.input_width() << " inputs), trained on "
              << progress.training_rows << " rows" << (run.streamed ? " (streamed)" : "") << '\n';
    if (!o.training) {
        if (!history.epoch.empty()) {
            const auto note = standardised_targets_note(p);
            std::cout << "Kept model: " << kept_epoch_logs(history, o) << (note.empty() ? "" : " (" + note + ")") << '\n';
        }
        return;
    }
    std::cout << (o.refit ? "Refit model: " : "Kept model: ") << "training " << brief_scores(*o.training) << " ("
              << o.training->rows << " rows)";
    if (o.validation)
        std::cout << "; validation " << brief_scores(*o.validation) << " (" << o.validation->rows << " rows"
                  << (o.folds > 1 ? " out of fold" : "") << (o.refit ? ", before the refit)" : ")");
    std::cout << '\n';
}

// A run after fit: its history, how it ended, the hidden layers it trained, and when it chose
// among candidates the chosen one's copies (one, or --ensemble's), averaged into run's model.
struct Fitted {
    TrainingRun run;
    History history;
    Outcome outcome;
    std::vector<std::size_t> layers;
    std::vector<tune::Member> members;
};

// How fit_until_stopped ended `run`, with the convergence warning when it ran to the cap.
Outcome outcome_of(const TrainArgs& args, const tune::StoppedRun& stopped, const io::TrainingProgress& progress) {
    Outcome outcome;
    outcome.first_epoch = stopped.first_epoch;
    outcome.epochs_done = stopped.epochs_done;
    outcome.stopped_epoch = stopped.stopped_epoch;
    outcome.kept_epoch = stopped.kept_epoch;
    outcome.learning_rates = stopped.learning_rates;
    if (const auto warning = convergence_warning(args, outcome, stopped.history, progress)) outcome.warnings.push_back(*warning);
    return outcome;
}

// Where a run of `run` starts and what it watches; a candidate of a model choice trains quietly,
// without the user's --history and --checkpoint.
tune::StoppingSetup stopping_setup(const TrainArgs& args, const TrainingRun& run, bool candidate) {
    const auto& extras = run.file.extras;
    tune::StoppingSetup setup{.initial_epoch = extras.progress->epochs_done,
                              .validated = extras.progress->validation_split > 0.0,
                              .saved_states = extras.callbacks};
    if (!candidate)
        setup.more_callbacks = [&args, &extras](const std::vector<std::shared_ptr<const Callback>>& stateful) {
            return user_callbacks(args, extras, stateful);
        };
    return setup;
}

// Trains `run` with early stopping and the learning-rate schedule (tune::fit_until_stopped),
// recording the rate of every epoch so that a refit can replay it.
Fitted fit_run(const TrainArgs& args, TrainingRun run, const std::vector<std::size_t>& layers, bool candidate) {
    auto& progress = *run.file.extras.progress;
    auto stopped = tune::fit_until_stopped(run.file.model, fitter(args, run, progress.validation_split),
                                           training_of(args, progress, candidate), stopping_setup(args, run, candidate));
    run.file.extras.callbacks.clear();  // the saved model starts afresh when resumed; checkpoints carry the state
    progress.epochs_done = stopped.epochs_done;
    Outcome outcome = outcome_of(args, stopped, progress);
    return {std::move(run), std::move(stopped.history), std::move(outcome), layers, {}};
}

// The default network is chosen, not assumed, for a fresh run with early stopping on validation
// rows and no --layers: --checkpoint and --resume keep one network from start to end.
bool choosing_model(const TrainArgs& args) { return !args.layers_given && !option_that_keeps_one_network(args); }

bool is_linear(const std::vector<std::size_t>& layers) { return layers.size() == 1 && layers.front() == 0; }

// "linear" / "logistic" for no hidden layer, else "64 relu", "32 relu → 16 relu".
std::string network_name(const std::vector<std::size_t>& layers, const TrainArgs& args, io::Task task) {
    if (is_linear(layers)) return task == io::Task::regression ? "linear model" : "logistic model";
    std::string name;
    for (auto units : layers) name += (name.empty() ? "" : " → ") + std::to_string(units) + " " + args.activation;
    return name;
}

// The rows each copy of --ensemble validates on (tune::ensemble_folds): for classification copy 0
// on the validation rows, the others on folds of the training rows, by class for a stratified
// split (tune::DefaultTraining::folds says why not for regression). A last-rows split keeps every
// copy on the last rows: earlier rows must not validate a copy trained on later ones.
std::vector<std::vector<std::size_t>> copy_folds(const TrainArgs& args, const TrainingRun& run) {
    const auto& progress = *run.file.extras.progress;
    const auto kind = validation_split_from_name(progress.validation);
    const bool apart = kind != ValidationSplit::last_rows && run.file.extras.preprocessing->task == io::Task::classification;
    const std::size_t copies = apart ? args.ensemble : 1;
    const auto classes = kind == ValidationSplit::stratified ? row_classes(row_range(run.y, 0, run.training_rows))
                                                             : std::vector<std::size_t>{};
    return tune::ensemble_folds(run.training_rows, run.x.rows() - run.training_rows, copies, progress.seed, classes);
}

// Where the copies train: fold 0 as fit validates on the validation rows, the other folds apart.
tune::FoldedRows copy_rows(const TrainArgs& args, const TrainingRun& run, const std::vector<std::vector<std::size_t>>& folds) {
    const auto processes = args.alone ? nullptr : parallel_world();
    auto rows = tune::folded_rows(run.x, run.y, folds,
                                  [processes](Sequential& model, FitOptions<float> fit, const Matrix<float>& x_train,
                                              const Matrix<float>& y_train, const Matrix<float>& x_val, const Matrix<float>& y_val) {
                                      return fit_apart(model, x_train, y_train, x_val, y_val, processes, std::move(fit));
                                  });
    rows.fit.front() = fitter(args, run, run.file.extras.progress->validation_split);
    return rows;
}

// The chosen candidate's validation scores: each fold's rows as the copies that validated on
// them predict them (out of fold), every row once when the copies have folds of their own.
ModelScores out_of_fold_scores(const TrainingRun& run, const std::vector<std::vector<std::size_t>>& folds,
                               const std::vector<Matrix<float>>& predictions) {
    const auto targets = labelled_targets(*run.file.extras.preprocessing, run.table);
    std::size_t rows = 0;
    for (const auto& fold : folds) rows += fold.size();
    Matrix<float> outputs(rows, predictions.front().cols()), wanted(rows, targets.cols());
    std::size_t at = 0;
    for (std::size_t f = 0; f < folds.size(); ++f)
        for (std::size_t i = 0; i < folds[f].size(); ++i, ++at) {
            std::ranges::copy(predictions[f].row(i), outputs.row(at).begin());
            std::ranges::copy(targets.row(folds[f][i]), wanted.row(at).begin());
        }
    return score_model(run.file, outputs, wanted);
}

// Trains a linear (logistic) model and the default network, each stopped early (--ensemble K
// copies of each from different seeds, for classification each validated on a fold of its own,
// averaged into one network), and keeps the simpler unless the other's (out-of-fold) validation
// loss is lower by more than one standard error of the per-row differences (tune::fit_and_choose).
Fitted fit_chosen_model(const TrainArgs& args, TrainingRun run) {
    const auto& preprocessing = *run.file.extras.preprocessing;
    auto& progress = *run.file.extras.progress;
    const std::vector<std::vector<std::size_t>> networks{{0}, args.layers};
    std::vector<tune::Candidate> candidates;
    candidates.push_back({network_name(networks[0], args, preprocessing.task), compiled_model(args, networks[0], preprocessing)});
    candidates.push_back({network_name(networks[1], args, preprocessing.task), std::move(run.file.model)});
    const auto folds = copy_folds(args, run);
    auto choice = tune::fit_and_choose(std::move(candidates), copy_rows(args, run, folds), training_of(args, progress, true),
                                       stopping_setup(args, run, true));
    run.file.model = std::move(choice.model);
    progress.epochs_done = choice.run.epochs_done;
    Outcome outcome = outcome_of(args, choice.run, progress);
    outcome.model_choice = choice.reason;
    outcome.folds = folds.size();
    if (folds.size() > 1) outcome.validation = out_of_fold_scores(run, folds, choice.fold_predictions);
    if (choice.members.size() > 1)
        for (const auto& member : choice.members) outcome.member_epochs.push_back(member.run.refit_epochs());
    return {std::move(run), std::move(choice.run.history), std::move(outcome), networks[choice.chosen],
            std::move(choice.members)};
}

// --history for a chosen model: its epochs, written as CSVLogger writes them during training.
void write_history(const std::string& path, Sequential& model, const History& history) {
    CSVLogger logger(path);
    logger.on_train_begin(model);
    for (std::size_t i = 0; i < history.epoch.size(); ++i) {
        Logs logs;
        for (const auto& [key, values] : history.history) logs[key] = values[i];
        logger.on_epoch_end(model, history.epoch[i], logs);
    }
    logger.on_train_end(model);
}

// Refit is the default for a fresh run that held rows out; --checkpoint and --resume keep the
// validated run, so that a resumed run ends with the same bytes as an uninterrupted one.
bool refitting(const TrainArgs& args, const io::TrainingProgress& progress) {
    if (args.no_refit) return false;
    return args.refit || (!args.stream && args.resume.empty() && args.checkpoint.empty() && progress.validation_split > 0.0);
}

// A file over a quarter of the available memory cannot be read whole (its cells take several
// times its size): it is streamed, when nothing asked of the run needs every row in memory.
bool too_large_to_read_whole(const TrainArgs& args) {
    std::error_code error;
    const auto bytes = std::filesystem::file_size(args.data, error);
    if (args.stream || error || args.data == "-" || !args.resume.empty()) return false;
    if (args.split != "auto" && args.split != "shuffled") return false;
    bool large = bytes > available_memory() / 4;
    if (const auto processes = parallel_world()) {  // every process streams if one would: they must agree
        std::vector<double> votes{large ? 1.0 : 0.0};
        processes->sum(votes);
        large = votes.front() > 0.0;
    }
    if (!large) return false;
    if (is_main_process())
        std::cerr << "dense train: note: " << args.data << " (" << format_bytes(bytes) << ") is over a quarter of the "
                  << format_bytes(available_memory()) << " of memory available; streaming it (--stream, docs/STREAMING.md)\n";
    return true;
}

// A regression model that predicts its own training rows worse than their mean does has not
// learnt them: its steps overshot (finite, but far from the data), or it stopped too soon.
std::optional<std::string> worse_than_the_mean(const TrainArgs& args, const Outcome& outcome) {
    if (!outcome.training || !outcome.training->regression) return std::nullopt;
    const auto& scores = *outcome.training->regression;
    if (!(scores.rmse > scores.baseline_rmse)) return std::nullopt;
    std::ostringstream text;
    text << std::setprecision(4) << "the model predicts its training rows worse than their mean does (RMSE " << scores.rmse
         << " against " << scores.baseline_rmse << "): lower --lr (it was " << io::format_number(args.learning_rate)
         << ") if the loss grew during training, or raise --epochs if it was still falling";
    return text.str();
}

// Four significant digits, as a line for the eye shows a scale: 7.805, 23.45, 1.2e+05.
std::string approximately(double value) {
    std::ostringstream text;
    text << std::setprecision(4) << value;
    return text.str();
}

// What the numbers of every epoch are when the network learns standardised targets: said once,
// before the first progress line, so that "loss: 0.0782" is not read in the target's units.
void say_what_epoch_logs_are(const TrainArgs& args, const io::Preprocessing& p) {
    const auto note = standardised_targets_note(p);
    if (note.empty() || args.json || progress_verbosity(args.quiet) == 0 || !is_main_process()) return;
    std::cout << "The loss and metrics of each epoch are " << note;
    if (p.target_scaling.size() == 1) {
        const double deviation = p.target_scaling.front().stddev;
        // mae and rmse scale with the target, mse with its square
        std::cout << ", (y − " << approximately(p.target_scaling.front().mean) << ") / " << approximately(deviation)
                  << ", as the network learns it: × " << approximately(deviation) << " gives mae and rmse in its units, × "
                  << approximately(deviation * deviation) << " mse; the scores at the end are in its units\n";
    } else {
        std::cout << ", each (y − mean) / std as dense summary lists them; the scores at the end are in their units\n";
    }
}

// Trains `start` as `args` say: fit (the network chosen when asked), the kept model scored, then
// refit on every row when asked. Returns the run as it is saved, and the progress of the run
// early stopping watched (a refit's has no validation).
std::pair<Fitted, io::TrainingProgress> train(const TrainArgs& args, TrainingRun start) {
    if (!choosing_model(args)) say_what_epoch_logs_are(args, *start.file.extras.preprocessing);
    Fitted fitted =
        choosing_model(args) ? fit_chosen_model(args, std::move(start)) : fit_run(args, std::move(start), args.layers, false);
    auto& [run, history, outcome, layers, members] = fitted;
    if (!args.history.empty() && !outcome.model_choice.empty() && is_main_process()) write_history(args.history, run.file.model, history);
    auto& progress = *run.file.extras.progress;
    const io::TrainingProgress validated = progress;
    score_kept_model(run, outcome);
    if (refitting(args, progress)) {
        const int epochs = outcome.kept_epochs();
        if (choosing_model(args) && members.size() <= 1) say_what_epoch_logs_are(args, *run.file.extras.preprocessing);
        run.file.model = members.empty() ? refit_model(args, run, layers, epochs, outcome.learning_rates)
                                         : tune::refit_members(members, fitter(args, run, 0.0),
                                                               training_of(args, progress, members.size() > 1));
        outcome.refit = true;
        progress = {epochs, progress.seed, progress.batch_size, 0.0, "last_rows", 0, 0, all_rows(run)};
        if (!run.streamed) outcome.training = scores_of_rows(run, 0, run.x.rows());
    }
    progress.member_epochs = outcome.member_epochs;
    if (const auto warning = worse_than_the_mean(args, outcome)) outcome.warnings.push_back(*warning);
    return {std::move(fitted), validated};
}

// --checkpoint's folder, made now if need be, where dense train saves a model every epoch: a
// file of its name, or a folder it cannot write, is refused before the run starts.
void prepare_checkpoint_folder(const std::string& folder) {
    std::error_code error;
    if (std::filesystem::exists(folder, error) && !std::filesystem::is_directory(folder, error))
        throw UsageError("--checkpoint " + folder + " is a file, but --checkpoint names a folder, in which dense train saves "
                         "epoch-N.dense after every epoch; name a folder (made if need be), e.g. --checkpoint " + folder +
                         "-checkpoints, or --out " + folder + " to save the trained model there");
    std::filesystem::create_directories(folder, error);
    if (error)
        throw DataError("--checkpoint " + folder + ": cannot create the folder (" + error.message() +
                        "); name a folder in a place you can write to");
    io::check_writable(std::filesystem::path(folder) / "epoch-1.dense");
}

// The files a run writes, checked before it reads and trains: none of them the data or another
// output, each in a writable folder, --plot named as a picture.
void check_outputs(const TrainArgs& args) {
    if (args.out == "-")  // predict's '-' is standard output; a model is a binary file
        throw UsageError("--out - would write a file named '-': a model is a binary file, not text for standard output; "
                         "name a file, e.g. --out model.dense");
    require_dense_model_name(args.out, "train");
    require_different_files({{"the data", args.data, false},
                             {"--out", args.out, true},
                             {"--history", args.history, true},
                             {"--plot", args.plot, true}});
    if (!is_main_process()) return;
    io::check_writable(args.out);
    if (!args.history.empty()) io::check_writable(args.history);
    if (!args.checkpoint.empty()) prepare_checkpoint_folder(args.checkpoint);
    if (args.plot.empty()) return;
    plot::check_image_path(args.plot);
    io::check_writable(args.plot);
}

// The first epoch whose training loss was NaN or infinite, counted from 1; 0 if none was.
std::size_t first_diverged_epoch(const History& history) {
    const auto loss = history.history.find("loss");
    if (loss == history.history.end()) return 0;
    const auto bad = std::ranges::find_if(loss->second, [](double v) { return !std::isfinite(v); });
    return bad == loss->second.end() ? 0 : history.epoch[std::size_t(bad - loss->second.begin())] + 1;
}

// A model whose weights hold NaN or an infinity predicts nothing but NaN: refused before it
// replaces anything, as Keras' TerminateOnNaN would have stopped the run.
void require_finite_weights(const TrainArgs& args, const Sequential& model, const History& history) {
    for (const auto& weights : model.get_weights())
        if (!std::ranges::all_of(weights.values, [](float v) { return std::isfinite(v); })) {
            const auto epoch = first_diverged_epoch(history);
            throw DataError("training diverged: " +
                            (epoch > 0 ? "the loss became NaN or infinite at epoch " + std::to_string(epoch) + " and " : "") +
                            "the weights hold NaN or infinite values, so the model would predict only NaN; " +
                            args.out + " was not written. Train again with a lower --lr (it was " +
                            io::format_number(args.learning_rate) + ")" +
                            (args.optimizer == "adam" ? "" : " or with --optimizer adam"));
        }
}

void run_train(const TrainArgs& given) {
    TrainArgs args = given;
    std::error_code error;
    args.stream = args.stream || std::filesystem::is_directory(args.data, error) || too_large_to_read_whole(args);
    check_args(args);
    check_outputs(args);
    if (args.threads > 0) set_num_threads(args.threads);
    auto start = args.resume.empty() ? fresh_run(args) : resumed_run(args);
    require_the_same_data_everywhere(args.data, std::to_string(all_rows(start)) + io::to_json(*start.file.extras.preprocessing).dump());
    args = settled_for(std::move(args), start);
    check_epochs_left(args, start);
    const auto warnings = data_warnings(start);
    auto [fitted, validated] = train(args, std::move(start));
    const auto& [run, history, outcome, layers, members] = fitted;
    require_finite_weights(args, run.file.model, history);
    if (!is_main_process()) return;  // process 0 alone writes and reports
    if (!args.plot.empty())  // first: a failure leaves --out as it was
        plot::training_curves(history, args.plot, {.values_note = standardised_targets_note(*run.file.extras.preprocessing)});
    io::save_model(run.file.model, args.out, run.file.extras);
    for (const auto& warning : outcome.warnings) std::cerr << "dense train: warning: " << warning << '\n';
    if (args.json)
        std::cout << json_report(args, run, history, outcome, warnings).dump(2) << '\n';
    else if (!args.quiet)
        print_report(args, run, outcome, validated, history);
}

void add_train(CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    auto* cmd = app.add_subcommand("train", "Train a model on a CSV file and save it (preprocessing included)");
    cmd->add_option("data", args->data, "CSV file with a header row ('-' reads stdin), or a folder of CSV shards (streamed)")
        ->required();
    cmd->add_option("--target,-t", args->targets, "Column(s) to predict, comma-separated or the option repeated");
    cmd->add_option("--task", args->task, "regression or classification (default: inferred from the target)");
    cmd->add_option("--drop", args->dropped,
                    "Column(s) to leave out of the model, comma-separated or the option repeated (an identifier, a "
                    "date); files given to the model later may still hold them");
    cmd->add_option_function<std::string>(
           "--layers",
           [args](const std::string& text) {
               args->layers = parse_sizes(text, "--layers");
               args->layers_given = true;
           },
           "Hidden layer sizes, comma-separated; 0 for none (default: 64 or a linear model, whichever the "
           "validation rows favour)")
        ->type_name("SIZES");
    cmd->add_option("--activation", args->activation, "Activation of the hidden layers")->capture_default_str();
    cmd->add_option("--loss", args->loss, "Loss (default: mse, binary_crossentropy or sparse_categorical_crossentropy)");
    cmd->add_option("--optimizer", args->optimizer, "adam, adamw, sgd, rmsprop, adagrad or nadam")->capture_default_str();
    cmd->add_option("--lr", args->learning_rate, "Learning rate")->capture_default_str();
    cmd->add_option_function<int>(
        "--epochs",
        [args](int epochs) {
            args->epochs = epochs;
            args->epochs_given = true;
        },
        "The most epochs to train (the total when resuming); default " + std::to_string(tune::default_max_epochs) +
            ", or on small data as many as " + std::to_string(tune::default_min_steps) + " training steps take")
        ->check(whole_number(1, most_int));
    cmd->add_option("--batch-size", args->batch_size, "Rows per training step")
        ->capture_default_str()
        ->check(whole_number(1, max_batch_size));
    cmd->add_option("--validation-split", args->validation_split, "Fraction of the rows held out for validation")
        ->capture_default_str();
    cmd->add_option("--split", args->split,
                    "How the validation rows are drawn: shuffled, stratified (the same share of every class) or "
                    "last-rows (Keras' validation_split); auto: stratified for classification, else shuffled")
        ->capture_default_str();
    cmd->add_option("--early-stopping", args->early_stopping,
                    "Stop after this many epochs without a better validation loss (training loss with "
                    "--validation-split 0) and keep the best epoch's weights (0: off, train every epoch)")
        ->capture_default_str()
        ->check(whole_number(0, most_int));
    cmd->add_option("--reduce-lr", args->reduce_lr,
                    "Halve the learning rate after this many epochs without a better validation loss (0: off)")
        ->capture_default_str()
        ->check(whole_number(0, most_int));
    cmd->add_flag("--refit", args->refit,
                  "After early stopping, train the same network again on every row (validation rows included) for "
                  "the number of epochs it kept (the default, except with --checkpoint or --resume)");
    cmd->add_flag("--no-refit", args->no_refit, "Save the validated model itself, trained on the training rows only");
    cmd->add_option("--ensemble", args->ensemble,
                    "Without --layers, with validation rows: train this many copies of each candidate from different "
                    "seeds, each stopped early (for classification each on validation rows of its own: folds), and "
                    "average them into one network (their hidden units side by side; for classes the logits are "
                    "averaged) (default: " +
                        std::to_string(tune::default_ensemble) + " up to " + std::to_string(tune::ensemble_rows_limit) +
                        " rows, 1 above)")
        ->check(whole_number(1));
    cmd->add_option("--seed", args->seed, "Seed of the initial weights and the shuffling")->capture_default_str();
    cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)");
    cmd->add_option("--fill", args->fill, training_fill_option_help)->capture_default_str();
    cmd->add_option("--out,-o", args->out, "Model file to write")->capture_default_str();
    cmd->add_option("--history", args->history,
                    "Write the loss and metrics of every epoch to this CSV file (a regression target's as the network "
                    "learns it, standardised)");
    cmd->add_option("--plot", args->plot, "Draw the loss and metrics per epoch to this .svg, .png or .pdf");
    cmd->add_option("--checkpoint", args->checkpoint, "Save DIR/epoch-N.dense after every epoch");
    cmd->add_option("--resume", args->resume,
                    "Continue from a checkpoint or model file, with its architecture, preprocessing, seed, batch size "
                    "and validation split, on the same data; --epochs is the total to reach");
    cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
    cmd->add_flag("--json", args->json, "Print a machine-readable summary on stdout instead of progress");
    cmd->add_flag("--stream", args->stream,
                  "Read the data a chunk at a time, never whole, for files larger than memory (on by itself for a file "
                  "over a quarter of the available memory): validation rows drawn at random by row number, no model "
                  "choice (--layers or 64 units), no refit unless --refit (docs/STREAMING.md)");
    cmd->add_option("--shuffle-buffer", args->shuffle_buffer,
                    "With --stream: rows drawn at random from a buffer of this many (and the chunk order shuffled)")
        ->capture_default_str();
    cmd->footer(
        "The task is classification when the target holds text, or at most 10 distinct integers that are no\n"
        "more than half the rows; otherwise regression (--task overrides). Text feature columns are one-hot\n"
        "encoded and numbers standardised on the training rows; so are regression targets, and predict,\n"
        "evaluate and explain give results in the target's own units. The model file keeps all of it.\n"
        "Training stops when the validation loss has not improved for --early-stopping epochs and keeps the\n"
        "best epoch's weights; it warns when --epochs ends it while the loss still improves. Without --layers,\n"
        "a linear (logistic) model and 64 relu units are both trained, each 5 times from different seeds\n"
        "(--ensemble) and averaged into one network, and the linear one is kept unless the network's\n"
        "validation loss is lower by more than one standard error. For classification each copy stops early\n"
        "on validation rows of its own (5 folds: every row validates one copy; scores out of fold). Each\n"
        "copy of the kept network is then trained again on every row for its kept epochs (--no-refit keeps\n"
        "the validated model).\n"
        "With --validation-split 0 one network is trained (64 relu units, or --layers; no choice, no copies)\n"
        "and early stopping watches the training loss, which counts as better only when it falls by more\n"
        "than 1e-4 (scikit-learn's tol).\n"
        "Examples:\n"
        "  dense train houses.csv --target price\n"
        "  dense train iris.csv --target species --layers 16,16 --early-stopping 50 --refit\n"
        "  dense train sales.csv --target amount --drop id,date\n"
        "  dense train data.csv --target y --checkpoint ckpt --epochs 50\n"
        "  dense train data.csv --resume ckpt/epoch-20.dense --epochs 50   (same result as one 50-epoch run)\n"
        "  dense train big.csv --target y --stream --epochs 3   (larger than memory: docs/STREAMING.md)\n"
        "  mpirun -np 4 dense train data.csv --target y    (data-parallel: docs/DISTRIBUTED.md)");
    cmd->callback([args, cmd] {
        for (const auto* option : cmd->get_options())
            if (option->count() > 0) args->given.insert(option->get_name());
        run_train(*args);
    });
}

const CommandRegistration registration{add_train};

}  // namespace

DenseTrainModel dense_train(io::CsvTable table, const DenseTrainFlags& flags) {
    TrainArgs args;
    args.targets = flags.targets;
    args.dropped = flags.dropped;
    args.task = flags.task;
    args.fill = flags.fill;
    args.seed = flags.seed;
    args.no_refit = !flags.refit;
    args.quiet = true;
    args.alone = true;
    auto start = fresh_run_of(args, std::move(table));
    args = settled_for(std::move(args), start);
    auto [fitted, validated] = train(args, std::move(start));
    return {std::move(fitted.run.file), fitted.layers, fitted.outcome.kept_epochs(), fitted.outcome.model_choice};
}
}  // namespace dense::cli
