// `dense explain MODEL [--input v1,v2,...]`: every neuron's equation with its numbers, layer by
// layer as the articles write them (a1_1 = 0.53·x1 − 1.2·x2 + 0.1), and for one input the
// computation traced through the network: each weighted sum, the activation and its value.
#include <iostream>
#include <memory>
#include <sstream>

#include "command.hpp"
#include "dense/dense.hpp"
#include "dense/error.hpp"
#include "inputs.hpp"

namespace dense::cli {
namespace {

struct ExplainArgs {
    std::string model;
    std::vector<std::string> input;
};

constexpr const char* minus = "\u2212";
constexpr const char* times = "\u00b7";

// "x3", or "a2_1" for neuron 1 of layer 2.
std::string input_name(std::size_t i) { return "x" + std::to_string(i + 1); }
std::string neuron_name(const char* letter, std::size_t layer, std::size_t unit) {
    return letter + std::to_string(layer + 1) + "_" + std::to_string(unit + 1);
}

// " + 0.5·x1", " − 0.5·x1"; the first term keeps its sign in front: "−0.5·x1".
std::string signed_term(float value, const std::string& factor, bool first) {
    const std::string magnitude = io::format_number(value < 0 ? -value : value) + factor;
    if (first) return (value < 0 ? std::string(minus) : std::string()) + magnitude;
    return (value < 0 ? std::string(" ") + minus + " " : std::string(" + ")) + magnitude;
}

// Σ w·x + b written out: "0.53·x1 − 1.2·x2 + 0.1". `operand(i)` is what input i shows as.
template <class Operand>
std::string weighted_sum(const Dense& dense, std::size_t unit, Operand operand) {
    std::string text;
    for (std::size_t i = 0; i < dense.kernel().rows(); ++i)
        text += signed_term(dense.kernel()(i, unit), std::string(times) + operand(i), i == 0);
    if (dense.use_bias()) text += signed_term(dense.bias()[unit], "", false);
    return text;
}

std::vector<std::string> layer_inputs(std::size_t layer, std::size_t width) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < width; ++i) names.push_back(layer == 0 ? input_name(i) : neuron_name("a", layer - 1, i));
    return names;
}

std::string describe_layer(const Layer<float>& layer, std::size_t index) {
    std::ostringstream out;
    out << "Layer " << index + 1 << ": " << layer.name() << " (" << layer.type() << ", " << layer.output_dim() << " unit"
        << (layer.output_dim() == 1 ? "" : "s");
    if (const auto* dense = dynamic_cast<const Dense*>(&layer)) out << ", " << dense->activation().name();
    if (const auto* activation = dynamic_cast<const ActivationLayer*>(&layer)) out << ", " << activation->activation().name();
    if (const auto* dropout = dynamic_cast<const Dropout*>(&layer)) out << ", rate " << dropout->rate() << ", off when predicting";
    out << ")\n";
    return out.str();
}

// The activation applied to a whole layer: "relu(z1_1)", or "softmax(z2_1, z2_2)[1]".
std::string activation_text(const Activation& activation, const std::vector<std::string>& z, std::size_t unit) {
    if (activation.kind() != ActivationKind::softmax) return std::string(activation.name()) + "(" + z[unit] + ")";
    std::string all;
    for (const auto& name : z) all += (all.empty() ? "" : ", ") + name;
    return "softmax(" + all + ")[" + std::to_string(unit + 1) + "]";
}

void print_equations(const Sequential& model) {
    for (std::size_t l = 0; l < model.layer_count(); ++l) {
        const auto& layer = model.layer(l);
        std::cout << '\n' << describe_layer(layer, l);
        const auto inputs = layer_inputs(l, layer.input_dim());
        std::vector<std::string> z;
        for (std::size_t u = 0; u < layer.output_dim(); ++u) z.push_back(neuron_name("z", l, u));
        for (std::size_t u = 0; u < layer.output_dim(); ++u) {
            const auto a = neuron_name("a", l, u);
            const auto* dense = dynamic_cast<const Dense*>(&layer);
            const auto* activation_layer = dynamic_cast<const ActivationLayer*>(&layer);
            if (!dense) {
                const auto rule = activation_layer ? activation_text(activation_layer->activation(), inputs, u) : inputs[u];
                std::cout << "  " << a << " = " << rule << '\n';
                continue;
            }
            const auto sum = weighted_sum(*dense, u, [&](std::size_t i) { return inputs[i]; });
            if (dense->activation().kind() == ActivationKind::linear)
                std::cout << "  " << a << " = " << sum << '\n';
            else
                std::cout << "  " << z[u] << " = " << sum << "\n  " << a << " = " << activation_text(dense->activation(), z, u)
                          << '\n';
        }
    }
}

void print_inputs(const io::ModelFile& file) {
    std::cout << "Inputs:\n";
    if (!file.extras.preprocessing) {
        std::cout << "  x1 ... x" << file.model.input_dim() << ": the columns of the CSV, in order\n";
        return;
    }
    std::size_t i = 0;
    for (const auto& f : file.extras.preprocessing->features) {
        if (!f.categorical()) {
            std::cout << "  " << input_name(i++) << " = ('" << f.name << "'" << signed_term(float(-f.mean), "", false)
                      << ") / " << io::format_number(float(f.stddev)) << '\n';
            continue;
        }
        for (const auto& category : f.categories)
            std::cout << "  " << input_name(i++) << " = 1 if " << f.name << " is '" << category << "', else 0\n";
    }
}

// The --input values as a one-row table with the model's column names, so the model's own
// preprocessing (and its error messages) apply.
io::CsvTable input_table(const io::ModelFile& file, const std::vector<std::string>& values) {
    std::vector<std::string> names;
    if (file.extras.preprocessing)
        for (const auto& f : file.extras.preprocessing->features) names.push_back(f.name);
    else
        for (std::size_t i = 0; i < file.model.input_dim(); ++i) names.push_back(input_name(i));
    if (values.size() != names.size()) {
        std::string list;
        for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
        throw UsageError("--input has " + std::to_string(values.size()) + " values but the model takes " +
                         std::to_string(names.size()) + " (" + list + "), in that order");
    }
    io::CsvTable table{.source = "--input", .delimiter = ',', .columns = {}};
    for (std::size_t c = 0; c < names.size(); ++c) {
        table.columns.emplace_back(names[c], c + 1);
        table.columns.back().append(values[c], 1);
    }
    return table;
}

// Applies one layer to `a`, printing each neuron's sum with the numbers put in.
std::vector<float> trace_layer(const Layer<float>& layer, std::size_t index, const std::vector<float>& a) {
    const auto* dense = dynamic_cast<const Dense*>(&layer);
    const auto* activation_layer = dynamic_cast<const ActivationLayer*>(&layer);
    Matrix<float> z(1, layer.output_dim());
    for (std::size_t u = 0; u < z.cols(); ++u) {
        if (!dense) {
            z(0, u) = a[u];
            continue;
        }
        double sum = dense->use_bias() ? dense->bias()[u] : 0.0;  // z = Σ w·x + b
        for (std::size_t i = 0; i < a.size(); ++i) sum += double(dense->kernel()(i, u)) * double(a[i]);
        z(0, u) = static_cast<float>(sum);
        const auto numbers = weighted_sum(*dense, u, [&](std::size_t i) { return "(" + io::format_number(a[i]) + ")"; });
        std::cout << "  " << neuron_name("z", index, u) << " = " << numbers << " = " << io::format_number(z(0, u)) << '\n';
    }
    const Activation activation = dense ? dense->activation() : activation_layer ? activation_layer->activation() : Activation();
    Matrix<float> out(1, z.cols());
    activation.apply(z, out);
    std::vector<std::string> z_names;
    for (std::size_t u = 0; u < z.cols(); ++u) z_names.push_back(io::format_number(z(0, u)));
    for (std::size_t u = 0; u < z.cols(); ++u)
        std::cout << "  " << neuron_name("a", index, u) << " = " << activation_text(activation, z_names, u) << " = "
                  << io::format_number(out(0, u)) << '\n';
    return {out.values().begin(), out.values().end()};
}

void print_trace(io::ModelFile& file, const std::vector<std::string>& values) {
    const auto table = input_table(file, values);
    const auto x = model_inputs(file, table);
    std::cout << "\nTracing the input " << csv_line(values) << "After preprocessing:";
    for (std::size_t i = 0; i < x.cols(); ++i) std::cout << "  " << input_name(i) << " = " << io::format_number(x(0, i));
    std::cout << '\n';
    std::vector<float> a(x.values().begin(), x.values().end());
    for (std::size_t l = 0; l < file.model.layer_count(); ++l) {
        std::cout << describe_layer(file.model.layer(l), l);
        a = trace_layer(file.model.layer(l), l, a);
    }
    const auto prediction = file.model.predict(x);
    const auto names = output_names(file);
    const auto row = file.extras.preprocessing ? io::prediction_row(*file.extras.preprocessing, prediction.row(0))
                                               : std::vector<std::string>{};
    std::cout << "Prediction (model.predict, which sums in float in its own order):";
    if (row.empty())
        for (std::size_t i = 0; i < prediction.cols(); ++i) std::cout << ' ' << names[i] << " = " << io::format_number(prediction(0, i));
    else
        for (std::size_t i = 0; i < row.size(); ++i) std::cout << ' ' << names[i] << " = " << row[i];
    std::cout << '\n';
}

void run_explain(const ExplainArgs& args) {
    auto file = io::load_model(args.model);
    std::cout << "Each neuron computes a = f(z) with z = w" << times << "x + b: the weighted sum of its inputs plus a bias,\n"
              << "then its activation f. These are the numbers " << args.model << " holds.\n\n";
    print_inputs(file);
    print_equations(file.model);
    if (!args.input.empty()) print_trace(file, args.input);
}

void add_explain(CLI::App& app) {
    auto args = std::make_shared<ExplainArgs>();
    auto* cmd = app.add_subcommand("explain", "Every neuron's equation with its weights, and an input traced through the network");
    cmd->add_option("model", args->model, "Model file written by dense train")->required();
    cmd->add_option("--input,-i", args->input, "One row of feature values, comma-separated, in the training column order")
        ->delimiter(',');
    cmd->footer(
        "Examples:\n"
        "  dense explain model.dense\n"
        "  dense explain model.dense --input 120,3,red");
    cmd->callback([args] { run_explain(*args); });
}

const CommandRegistration registration{add_explain};

}  // namespace
}  // namespace dense::cli
