// `dense summary MODEL`: the layer table of a model file, its preprocessing and its training.
// Names from the file are printed escaped and clipped (dense/printable.hpp).
#include <iostream>
#include <memory>

#include "command.hpp"
#include "model_reader.hpp"
#include "dense/dense.hpp"
#include "dense/printable.hpp"
#include "dense/tune/format.hpp"
#include "epoch_list.hpp"
#include "inputs.hpp"

namespace dense::cli {
namespace {

// A statistic of the preprocessing as a reader takes it in: 7 significant digits (the file holds
// every digit; `predict` uses them all), "1001.946", not "1001.9464499999996".
std::string shown(double value) { return tune::format_significant(value, 7); }

void print_preprocessing(const io::Preprocessing& p) {
    std::cout << "Task: " << io::task_name(p.task) << " of";
    for (const auto& target : p.targets) std::cout << ' ' << in_quotes(target);
    if (p.task == io::Task::classification) {
        std::cout << " into " << p.classes.size() << " classes:";
        for (const auto& label : p.classes) std::cout << ' ' << in_quotes(label);
    }
    std::cout << "\nInput columns (" << p.features.size() << ", giving " << p.input_width() << " inputs):\n";
    for (const auto& f : p.features) {
        std::cout << "  " << printable(f.name) << ": ";
        if (f.categorical()) {
            std::cout << "text, one-hot over " << f.categories.size() << " categories";
            if (f.fill_category) std::cout << "; missing values become " << in_quotes(*f.fill_category);
            std::cout << '\n';
            continue;
        }
        std::cout << "number, standardised with mean " << shown(f.mean) << " and std "
                  << shown(f.stddev);
        if (f.fill) std::cout << "; missing values become " << shown(*f.fill);
        if (f.median) std::cout << "; training median " << shown(*f.median);
        std::cout << '\n';
    }
    if (!p.dropped_columns.empty()) {
        std::cout << "Left out (--drop):";
        for (const auto& name : p.dropped_columns) std::cout << ' ' << in_quotes(name);
        std::cout << '\n';
    }
    for (std::size_t t = 0; t < p.target_scaling.size() && t < p.targets.size(); ++t)
        std::cout << "Target '" << printable(p.targets[t]) << "': learnt standardised with mean "
                  << shown(p.target_scaling[t].mean) << " and std " << shown(p.target_scaling[t].stddev)
                  << "; predict, evaluate and explain answer in its own units\n";
}

void print_progress(const io::TrainingProgress& progress) {
    if (progress.member_epochs.empty()) {
        std::cout << "Trained " << progress.epochs_done << " epochs";
    } else {
        std::cout << "Trained " << progress.member_epochs.size() << " copies from different seeds for "
                  << epoch_list(progress.member_epochs) << " epochs, averaged into one network";
    }
    if (progress.training_rows > 0) std::cout << "; the saved weights were trained on " << progress.training_rows << " rows";
    std::cout << " (seed " << progress.seed << ", batch size " << progress.batch_size;
    if (progress.validation_split > 0.0)
        std::cout << ", validation split " << io::format_number(progress.validation_split) << " drawn "
                  << (progress.validation == "last_rows" ? "from the last rows" : progress.validation);
    if (progress.early_stopping > 0) std::cout << ", early stopping after " << progress.early_stopping << " epochs";
    std::cout << ")\n";
}

void run_summary(const std::string& path) {
    const auto file = read_model(path, "summary");
    std::cout << file.model.summary() << '\n';
    if (file.model.compiled()) {
        const auto& optimizer = file.model.optimizer();
        std::cout << "Compiled with loss " << file.model.loss().name() << ", optimizer " << optimizer.name()
                  << " (learning rate " << io::format_number(optimizer.learning_rate()) << ", " << optimizer.iterations()
                  << " steps taken)";
        for (const auto& metric : file.model.metrics()) std::cout << ", metric " << metric;
        std::cout << '\n';
    }
    if (file.extras.progress) print_progress(*file.extras.progress);
    if (file.extras.preprocessing) print_preprocessing(*file.extras.preprocessing);
}

void add_summary(CLI::App& app) {
    auto path = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("summary", "Layers, parameters, preprocessing and training settings of a model file");
    cmd->add_option("model", *path, "Model file written by dense train, or a Keras (.keras, .h5) or ONNX (.onnx) model")->required();
    cmd->footer("Example:\n  dense summary model.dense");
    cmd->callback([path] { run_summary(*path); });
}

const CommandRegistration registration{add_summary};

}  // namespace
}  // namespace dense::cli
