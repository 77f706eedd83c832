// `dense plot`, `dense plot-history`, `dense plot-weights` and `dense report`: pictures of a saved
// model and of its training history (dense::plot), as SVG, PNG or PDF by the --out extension.
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "inputs.hpp"
#include "model_reader.hpp"
#include "dense/error.hpp"
#include "dense/interop/file_extension.hpp"
#include "dense/io/model_file.hpp"
#include "dense/plot/plot.hpp"

namespace dense::cli {
namespace {

// Calls draw(file) with the model file read, whichever dtype it was saved with (a Keras or ONNX
// file imported as float; a .weights.h5 file refused by read_model, which says what to pair it with).
void with_model_file(const std::string& path, const auto& draw) {
    require_model_file_name(path);
    if (imported_format(path) || interop::has_extension(path, ".weights.h5")) return draw(read_model(path, "plot"));
    try {
        draw(io::load_model<float>(path));
    } catch (const DataError& as_float) {
        try {
            draw(io::load_model<double>(path));
        } catch (const DataError&) {
            throw as_float;
        }
    }
}

// Calls draw(model) with the model in the file.
void with_model(const std::string& path, const auto& draw) {
    with_model_file(path, [&](const auto& file) { draw(file.model); });
}

void report_written(const std::string& out) { std::cout << "wrote " << out << "\n"; }

// What the commands read from the command line: a model or history file, the picture to write.
struct PlotArgs {
    std::string input;
    std::string history;
    std::string out;
    plot::DiagramOptions diagram;
    plot::CurvesOptions curves;
    plot::WeightMapOptions weights;
};

void add_plot(CLI::App& app) {
    auto args = std::make_shared<PlotArgs>();
    auto* command = app.add_subcommand("plot", "Draw a model as a network diagram: neurons, weights, biases, activations");
    command->add_option("model", args->input, "Model file (from dense train), or a Keras (.keras, .h5) or ONNX (.onnx) model")->required();
    command->add_option("--out,-o", args->out, "Picture to write: .svg, .png or .pdf")->required();
    command->add_option("--max-neurons", args->diagram.max_neurons_per_layer,
                        "Neurons shown per layer; wider layers are condensed around a \"N more\" marker")
        ->capture_default_str()
        ->check(CLI::Range(2, 1000));
    command->add_flag("!--no-biases", args->diagram.show_biases, "Leave out the bias next to each neuron");
    command->footer("Example:\n  dense plot model.dense --out net.svg");
    command->callback([args] {
        with_model(args->input, [&](const auto& model) { plot::network_diagram(model, args->out, args->diagram); });
        report_written(args->out);
    });
}

void add_plot_history(CLI::App& app) {
    auto* command = app.add_subcommand("plot-history", "Draw training curves (loss and metrics per epoch) from a CSVLogger file");
    auto args = std::make_shared<PlotArgs>();
    command->add_option("history", args->history, "History CSV (epoch,loss,val_loss,...)")->required();
    command->add_option("--out,-o", args->out, "Picture to write: .svg, .png or .pdf")->required();
    command->add_flag("--log", args->curves.log_scale, "Logarithmic value axis");
    command->footer("Example:\n  dense plot-history history.csv --out curves.png --log");
    command->callback([args] {
        plot::training_curves(std::filesystem::path(args->history), args->out, args->curves);
        report_written(args->out);
    });
}

void add_plot_weights(CLI::App& app) {
    auto* command = app.add_subcommand("plot-weights", "Draw each Dense kernel as a heat map with a histogram of its values");
    auto args = std::make_shared<PlotArgs>();
    command->add_option("model", args->input, "Model file (from dense train), or a Keras (.keras, .h5) or ONNX (.onnx) model")->required();
    command->add_option("--out,-o", args->out, "Picture to write: .svg, .png or .pdf")->required();
    command->add_option("--bins", args->weights.histogram_bins, "Histogram bins")->capture_default_str()->check(CLI::Range(1, 10000));
    command->footer("Example:\n  dense plot-weights model.dense --out weights.png");
    command->callback([args] {
        with_model(args->input, [&](const auto& model) { plot::weight_maps(model, args->out, args->weights); });
        report_written(args->out);
    });
}

// The report is an HTML page, which a file named as anything else (report.svg) would hold under a
// name no browser or viewer opens it by.
void check_report_path(const std::string& out) {
    if (interop::has_extension(out, ".html") || interop::has_extension(out, ".htm")) return;
    throw UsageError("--out " + out + ": dense report writes an HTML page; name the file with .html, e.g. report.html "
                     "(dense plot draws the network alone as .svg, .png or .pdf)");
}

void add_report(CLI::App& app) {
    auto* command = app.add_subcommand("report", "Write one self-contained HTML page: summary, diagram, curves, weight maps");
    auto args = std::make_shared<PlotArgs>();
    command->add_option("model", args->input, "Model file (from dense train), or a Keras (.keras, .h5) or ONNX (.onnx) model")->required();
    command->add_option("--history", args->history, "History CSV to draw the training curves from");
    command->add_option("--out,-o", args->out, "HTML file to write")->required();
    command->add_flag("--log", args->curves.log_scale, "Logarithmic value axis for the curves");
    command->footer("Example:\n  dense report model.dense --history history.csv --out report.html");
    command->callback([args] {
        check_report_path(args->out);
        plot::ReportOptions options{.diagram = args->diagram, .curves = args->curves, .weights = args->weights};
        if (!args->history.empty()) options.history = plot::read_history_csv(args->history);
        with_model_file(args->input, [&](const auto& file) {
            if (file.extras.preprocessing) options.curves.values_note = standardised_targets_note(*file.extras.preprocessing);
            plot::html_report(file.model, args->out, options);
        });
        report_written(args->out);
    });
}

const CommandRegistration plot_registration{add_plot};
const CommandRegistration plot_history_registration{add_plot_history};
const CommandRegistration plot_weights_registration{add_plot_weights};
const CommandRegistration report_registration{add_report};

}  // namespace
}  // namespace dense::cli
