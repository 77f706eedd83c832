// `dense explain MODEL [--input v1,v2,...]`: what a network computes, at a size one can read.
// A small network (under 50 neurons, or any with --all) is shown as every neuron's equation with
// its numbers, layer by layer as the articles write them (a1_1 = 0.53·x1 − 1.2·x2 + 0.1); a larger
// one as a summary: how much each input moves the prediction (mean |∂y/∂x|) and the largest
// weights. --input traces one row through the network: each weighted sum, activation and value
// (of a larger network, each layer's units of largest value and each sum's largest terms).
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>
#include <numeric>
#include <sstream>

#include "command.hpp"
#include "model_reader.hpp"
#include "dense/dense.hpp"
#include "dense/printable.hpp"
#include "dense/error.hpp"
#include "dense/io/numeric_column.hpp"
#include "inputs.hpp"

namespace dense::cli {
namespace {

struct ExplainArgs {
    std::string model;
    std::vector<std::string> input;
    std::string data;  // rows to measure the influence of the inputs on; empty: random rows
    bool all = false;
    std::string fill;  // empty: what the model was trained with
};

// Networks with fewer neurons are shown equation by equation without --all.
constexpr std::size_t equations_below_neurons = 50;
constexpr std::size_t influence_rows = 256;
constexpr std::size_t top_rows = 15;
// A larger network's trace shows of each layer the units of largest |a|, of each weighted sum
// the terms of largest |w·a| (the others added up), and of the inputs the first ones.
constexpr std::size_t traced_units = 10, traced_terms = 8, traced_inputs = 12;

constexpr const char* minus = "\u2212";
constexpr const char* times = "\u00b7";

// "x3", or "a2_1" for neuron 1 of layer 2.
std::string input_name(std::size_t i) { return "x" + std::to_string(i + 1); }
std::string neuron_name(const char* letter, std::size_t layer, std::size_t unit) {
    return letter + std::to_string(layer + 1) + "_" + std::to_string(unit + 1);
}

// A number as the equations write it, with the minus sign "−" (U+2212) that "a − b" uses, so
// "relu(−0.7)" and "z1_3: −1.58" read as the equations do.
std::string number(float value) {
    const std::string text = io::format_number(value);
    return text.starts_with('-') ? minus + text.substr(1) : text;
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
                      << ") / " << number(float(f.stddev)) << '\n';
            continue;
        }
        for (const auto& category : f.categories)
            std::cout << "  " << input_name(i++) << " = 1 if " << f.name << " is '" << category << "', else 0\n";
    }
}

// The --input values as a one-row table with the model's column names, so the model's own
// preprocessing (and its error messages) apply.
// --input's values: each word split at its commas, an empty field kept ("1,,red": 3 values, the
// second missing).
std::vector<std::string> input_values(const std::vector<std::string>& words) {
    std::vector<std::string> values;
    for (const auto& word : words)
        for (std::size_t start = 0;;) {
            const auto comma = std::min(word.find(',', start), word.size());
            values.push_back(word.substr(start, comma - start));
            if (comma == word.size()) break;
            start = comma + 1;
        }
    return values;
}

// Why an --input value of `kind` (not a number, not missing) cannot be taken, and what to give.
std::string why_not_a_number(io::CellKind kind) {
    switch (kind) {
        case io::CellKind::out_of_range:
            return ", beyond the range of a double (about ±1.8e308); give a number within it";
        case io::CellKind::not_finite: return ", not a finite number; give a finite number";
        default: return ", not a number; give a number";
    }
}

// What else fills a missing category: --fill, from the model's most frequent category, which a
// model saved before dense filled text cells does not hold.
std::string missing_category_advice(const io::FeatureColumn& feature) {
    if (feature.most_frequent) return ", or a fill policy (--fill mean|median|zero) for the most frequent";
    return " (--fill cannot: the model, saved before dense filled text cells, holds no most frequent category)";
}

// Throws UsageError for an --input value that the model's preprocessing cannot take: text where
// a number is expected, a category it never saw, or a missing number without a fill. Its own
// message would name a file's cell, with a file's remedies ("drop the column") and status 1.
void check_input_values(const io::ModelFile& file, const std::vector<std::string>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        const io::FeatureColumn* feature = file.extras.preprocessing ? &file.extras.preprocessing->features[i] : nullptr;
        const std::string value(io::trim_spaces(values[i]));
        const std::string which = "--input value " + std::to_string(i + 1) + " (" +
                                  (feature ? in_quotes(feature->name) : input_name(i)) + ") is ";
        const std::string given = value.empty() ? "missing" : in_quotes(value);
        if (feature && feature->categorical()) {
            const bool missing = io::is_missing(value);
            if (missing && feature->fill_category) continue;
            if (std::ranges::find(feature->categories, value) == feature->categories.end())
                throw UsageError(which + given + ", not a category the model was trained on; give one of " +
                                 quoted_list(feature->categories) + (missing ? missing_category_advice(*feature) : ""));
            continue;
        }
        const auto kind = io::parse_cell(value).kind;
        if (kind == io::CellKind::missing && feature && feature->fill) continue;
        if (kind == io::CellKind::missing)
            throw UsageError(which + "missing; give a number" + (feature ? ", or a fill policy (--fill mean|median|zero)" : ""));
        if (kind != io::CellKind::number) throw UsageError(which + given + why_not_a_number(kind));
    }
}

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
    check_input_values(file, values);
    io::CsvTable table{.source = "--input", .delimiter = ',', .columns = {}};
    for (std::size_t c = 0; c < names.size(); ++c) {
        table.columns.emplace_back(names[c], c + 1);
        table.columns.back().append(values[c], 1);
    }
    return table;
}

// The indices of the `count` largest of `values` by magnitude, largest first (all of them, in
// order, when there are no more than `count`).
std::vector<std::size_t> largest_by_magnitude(const std::vector<double>& values, std::size_t count) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (values.size() <= count) return order;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return std::abs(values[x]) > std::abs(values[y]); });
    order.resize(count);
    return order;
}

// A wide neuron's Σ w·a + b with the numbers put in: its terms of largest |w·a|, the others as
// one number. "0.35·(0.77) − 0.12·(0.57) + … + (312 more terms: −0.031) + 0.0316"
std::string largest_terms(const Dense& dense, std::size_t unit, const std::vector<float>& a) {
    std::vector<double> terms(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) terms[i] = double(dense.kernel()(i, unit)) * double(a[i]);
    const auto shown = largest_by_magnitude(terms, traced_terms);
    std::string text;
    double others = std::accumulate(terms.begin(), terms.end(), 0.0);
    for (const std::size_t i : shown) {
        text += signed_term(dense.kernel()(i, unit), std::string(times) + "(" + number(a[i]) + ")", text.empty());
        others -= terms[i];
    }
    if (shown.size() < terms.size())
        text += " + (" + std::to_string(terms.size() - shown.size()) + " more terms: " +
                number(static_cast<float>(others)) + ")";
    if (dense.use_bias()) text += signed_term(dense.bias()[unit], "", false);
    return text;
}

// z = Σ w·a + b of a Dense layer, in double; a's own values for any other layer.
Matrix<float> layer_sums(const Dense* dense, std::size_t units, const std::vector<float>& a) {
    Matrix<float> z(1, units);
    for (std::size_t u = 0; u < units; ++u) {
        double sum = dense ? (dense->use_bias() ? dense->bias()[u] : 0.0) : a[u];
        if (dense)
            for (std::size_t i = 0; i < a.size(); ++i) sum += double(dense->kernel()(i, u)) * double(a[i]);
        z(0, u) = static_cast<float>(sum);
    }
    return z;
}

// "… 310 more units (176 of the 320 at 0); --all shows every one", after the units shown.
void print_units_left(const std::vector<double>& outputs, std::size_t shown) {
    if (shown == outputs.size()) return;
    std::cout << "  … " << outputs.size() - shown << " more units";
    if (const auto zeros = std::ranges::count(outputs, 0.0); zeros > 0)
        std::cout << " (" << zeros << " of the " << outputs.size() << " at 0)";
    std::cout << "; --all shows every one\n";
}

// Applies one layer to `a`, printing each neuron's sum with the numbers put in: every neuron and
// every term with `every_neuron`, else the units of largest |a| and the largest terms.
std::vector<float> trace_layer(const Layer<float>& layer, std::size_t index, const std::vector<float>& a,
                               bool every_neuron) {
    const auto* dense = dynamic_cast<const Dense*>(&layer);
    const auto* activation_layer = dynamic_cast<const ActivationLayer*>(&layer);
    const Matrix<float> z = layer_sums(dense, layer.output_dim(), a);
    const Activation activation = dense ? dense->activation() : activation_layer ? activation_layer->activation() : Activation();
    Matrix<float> out(1, z.cols());
    activation.apply(z, out);
    const std::vector<double> outputs(out.values().begin(), out.values().end());
    const auto shown = largest_by_magnitude(outputs, every_neuron ? outputs.size() : traced_units);
    for (const std::size_t u : dense ? shown : std::vector<std::size_t>{}) {
        const auto numbers = every_neuron ? weighted_sum(*dense, u, [&](std::size_t i) { return "(" + number(a[i]) + ")"; })
                                          : largest_terms(*dense, u, a);
        std::cout << "  " << neuron_name("z", index, u) << " = " << numbers << " = " << number(z(0, u)) << '\n';
    }
    std::vector<std::string> z_names;
    for (std::size_t u = 0; u < z.cols(); ++u) z_names.push_back(number(z(0, u)));
    for (const std::size_t u : shown)
        std::cout << "  " << neuron_name("a", index, u) << " = " << activation_text(activation, z_names, u) << " = "
                  << number(out(0, u)) << '\n';
    print_units_left(outputs, shown.size());
    return {out.values().begin(), out.values().end()};
}

// The last step when the network learnt standardised targets: y = a·std + mean.
void print_target_scaling(const io::ModelFile& file, const std::string& output) {
    if (!file.extras.preprocessing) return;
    const auto& p = *file.extras.preprocessing;
    for (std::size_t t = 0; t < p.target_scaling.size(); ++t)
        std::cout << "  " << printable(p.targets[t]) << " = " << (p.target_scaling.size() == 1 ? output : output + "[" + std::to_string(t + 1) + "]")
                  << times << number(float(p.target_scaling[t].stddev))
                  << signed_term(float(p.target_scaling[t].mean), "", false)
                  << "   (the network learnt the target standardised)\n";
}

// The --input line as given, or its first traced_inputs values and how many there are.
std::string traced_values(const std::vector<std::string>& values, bool every_value) {
    if (every_value || values.size() <= traced_inputs) return csv_line(values);
    std::string first = csv_line({values.begin(), values.begin() + traced_inputs});
    first.pop_back();  // its newline
    return first + ", … (" + std::to_string(values.size()) + " values)\n";
}

void print_trace(io::ModelFile& file, const io::CsvTable& table, const std::vector<std::string>& values, bool every_neuron) {
    const auto x = model_inputs(file, table);
    std::cout << "\nTracing the input " << traced_values(values, every_neuron) << "After preprocessing:";
    const std::size_t inputs_shown = every_neuron ? x.cols() : std::min(x.cols(), traced_inputs);
    for (std::size_t i = 0; i < inputs_shown; ++i) std::cout << "  " << input_name(i) << " = " << number(x(0, i));
    if (inputs_shown < x.cols()) std::cout << "  … " << x.cols() - inputs_shown << " more inputs";
    std::cout << '\n';
    std::vector<float> a(x.values().begin(), x.values().end());
    for (std::size_t l = 0; l < file.model.layer_count(); ++l) {
        std::cout << describe_layer(file.model.layer(l), l);
        a = trace_layer(file.model.layer(l), l, a, every_neuron);
    }
    print_target_scaling(file, neuron_name("a", file.model.layer_count() - 1, 0));
    const auto prediction = file.model.predict(x);
    const auto names = output_names(file);
    const auto row = file.extras.preprocessing ? io::prediction_row(*file.extras.preprocessing, prediction.row(0))
                                               : std::vector<std::string>{};
    std::cout << "Prediction (model.predict, which sums in float in its own order):";
    if (row.empty())
        for (std::size_t i = 0; i < prediction.cols(); ++i) std::cout << ' ' << names[i] << " = " << number(prediction(0, i));
    else
        for (std::size_t i = 0; i < row.size(); ++i) std::cout << ' ' << names[i] << " = " << row[i];
    std::cout << '\n';
}

std::size_t neuron_count(const Sequential& model) {
    std::size_t neurons = 0;
    for (std::size_t l = 0; l < model.layer_count(); ++l)
        if (dynamic_cast<const Dense*>(&model.layer(l))) neurons += model.layer(l).output_dim();
    return neurons;
}

// What each network input stands for: "x3 ('age')", "x7 ('colour' is 'red')".
std::vector<std::string> input_labels(const io::ModelFile& file) {
    std::vector<std::string> labels;
    if (!file.extras.preprocessing) {
        for (std::size_t i = 0; i < file.model.input_dim(); ++i) labels.push_back(input_name(i));
        return labels;
    }
    for (const auto& f : file.extras.preprocessing->features) {
        if (!f.categorical()) labels.push_back(input_name(labels.size()) + " ('" + f.name + "')");
        for (const auto& category : f.categories)
            labels.push_back(input_name(labels.size()) + " ('" + f.name + "' is '" + category + "')");
    }
    return labels;
}

// Rows the influence is measured on: the --data rows, or random ones as preprocessing makes
// them (standardised numbers drawn from N(0, 1), one category of each text column).
Matrix<float> influence_inputs(io::ModelFile& file, const std::string& data) {
    if (!data.empty()) {
        const auto table = read_table(data);
        auto x = model_inputs(file, table);
        require_finite_predictions(file, file.model.predict(x, {.batch_size = 1024}), table.source);
        return x;
    }
    Matrix<float> x(influence_rows, file.model.input_dim());
    Rng rng(42);
    for (std::size_t r = 0; r < x.rows(); ++r) {
        if (!file.extras.preprocessing) {
            for (auto& v : x.row(r)) v = static_cast<float>(rng.normal());
            continue;
        }
        std::size_t offset = 0;
        for (const auto& f : file.extras.preprocessing->features) {
            if (f.categorical())
                x(r, offset + rng.below(f.width())) = 1.0f;
            else
                x(r, offset) = static_cast<float>(rng.normal());
            offset += f.width();
        }
    }
    return x;
}

// mean over rows and outputs of |∂y/∂x_i| by central differences, (y(x + h·e_i) − y(x − h·e_i)) / 2h,
// with y in the targets' units.
std::vector<double> input_influence(io::ModelFile& file, const Matrix<float>& x) {
    constexpr float h = 0.01f;
    std::vector<double> influence(x.cols());
    for (std::size_t i = 0; i < x.cols(); ++i) {
        Matrix<float> up = x, down = x;
        for (std::size_t r = 0; r < x.rows(); ++r) {
            up(r, i) += h;
            down(r, i) -= h;
        }
        auto y_up = file.model.predict(up, {.batch_size = 1024}), y_down = file.model.predict(down, {.batch_size = 1024});
        if (file.extras.preprocessing) {
            io::to_target_units(*file.extras.preprocessing, y_up);
            io::to_target_units(*file.extras.preprocessing, y_down);
        }
        double sum = 0.0;
        for (std::size_t k = 0; k < y_up.size(); ++k) sum += std::abs(double(y_up.values()[k]) - double(y_down.values()[k]));
        influence[i] = sum / (2.0 * double(h) * double(y_up.size()));
    }
    return influence;
}

// `x`: influence_inputs of `data`.
void print_influence(io::ModelFile& file, const Matrix<float>& x, const std::string& data) {
    const auto influence = input_influence(file, x);
    const auto labels = input_labels(file);
    std::vector<std::size_t> order(influence.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return influence[a] > influence[b]; });
    const bool classifier = file.extras.preprocessing && file.extras.preprocessing->task == io::Task::classification;
    std::cout << "\nInfluence of each input: mean |" << "\u2202" << (classifier ? "p" : "y") << "/" << "\u2202" << "x| over "
              << x.rows() << (data.empty() ? " random rows" : " rows of " + data) << ", "
              << (classifier ? "in probability" : "in the target's units") << " per unit of input "
              << "(a standardised number's unit is one standard deviation)\n";
    for (std::size_t k = 0; k < order.size() && k < top_rows; ++k)
        std::cout << "  " << std::setw(3) << k + 1 << ". " << std::left << std::setw(30) << labels[order[k]] << std::right
                  << ' ' << std::setprecision(4) << influence[order[k]] << '\n';
    if (order.size() > top_rows) std::cout << "  … " << order.size() - top_rows << " more inputs\n";
}

struct WeightPlace {
    float value;
    std::size_t layer, from, to;
};

void print_largest_weights(const Sequential& model) {
    std::vector<WeightPlace> weights;
    for (std::size_t l = 0; l < model.layer_count(); ++l)
        if (const auto* dense = dynamic_cast<const Dense*>(&model.layer(l)))
            for (std::size_t i = 0; i < dense->kernel().rows(); ++i)
                for (std::size_t u = 0; u < dense->kernel().cols(); ++u) weights.push_back({dense->kernel()(i, u), l, i, u});
    const std::size_t shown = std::min(top_rows, weights.size());
    std::partial_sort(weights.begin(), weights.begin() + static_cast<std::ptrdiff_t>(shown), weights.end(),
                      [](const WeightPlace& a, const WeightPlace& b) { return std::abs(a.value) > std::abs(b.value); });
    std::cout << "\nLargest weights (input → neuron of the layer: weight):\n";
    for (std::size_t k = 0; k < shown; ++k) {
        const auto& w = weights[k];
        const auto from = w.layer == 0 ? input_name(w.from) : neuron_name("a", w.layer - 1, w.from);
        std::cout << "  layer " << w.layer + 1 << ": " << from << " → " << neuron_name("z", w.layer, w.to) << ": "
                  << number(w.value) << '\n';
    }
}

// `x`: influence_inputs of `data`.
void print_overview(io::ModelFile& file, const Matrix<float>& x, const std::string& data) {
    const auto& model = file.model;
    std::cout << "The network: " << model.input_dim() << " inputs";
    for (std::size_t l = 0; l < model.layer_count(); ++l) {
        const auto& layer = model.layer(l);
        std::cout << " → " << layer.output_dim() << ' ' << layer.type();
        if (const auto* dense = dynamic_cast<const Dense*>(&layer)) std::cout << ' ' << dense->activation().name();
    }
    std::cout << " (" << neuron_count(model) << " neurons, " << model.parameter_count()
              << " parameters). Every neuron's equation: --all\n";
    print_influence(file, x, data);
    print_largest_weights(model);
    if (file.extras.preprocessing && !file.extras.preprocessing->target_scaling.empty()) {
        std::cout << "\nOutput:\n";
        print_target_scaling(file, neuron_name("a", model.layer_count() - 1, 0));
    }
}

void run_explain(const ExplainArgs& args) {
    auto file = read_model(args.model, "explain");
    if (!args.fill.empty() && file.extras.preprocessing) set_fill(*file.extras.preprocessing, args.fill);
    std::optional<io::CsvTable> traced;
    if (!args.input.empty()) {  // a wrong --input fails before anything is printed
        traced = input_table(file, input_values(args.input));
        require_finite_predictions(file, file.model.predict(model_inputs(file, *traced)), "--input");
    }
    const bool every_neuron = args.all || neuron_count(file.model) < equations_below_neurons;
    if (every_neuron && !args.data.empty())
        std::cerr << "dense explain: note: --data is not read: its rows measure each input's influence for the summary "
                     "of a network of "
                  << equations_below_neurons << " neurons or more, and " << args.model << " is printed equation by equation"
                  << (args.all ? " (--all)" : "") << '\n';
    const auto influence_rows = every_neuron ? Matrix<float>() : influence_inputs(file, args.data);  // so are --data's rows
    std::cout << "Each neuron computes a = f(z) with z = w" << times << "x + b: the weighted sum of its inputs plus a bias,\n"
              << "then its activation f. These are the numbers " << args.model << " holds.\n\n";
    if (every_neuron) {
        print_inputs(file);
        print_equations(file.model);
        print_target_scaling(file, neuron_name("a", file.model.layer_count() - 1, 0));
    } else {
        print_overview(file, influence_rows, args.data);
    }
    if (traced) print_trace(file, *traced, input_values(args.input), every_neuron);
}

void add_explain(CLI::App& app) {
    auto args = std::make_shared<ExplainArgs>();
    auto* cmd = app.add_subcommand("explain", "What a network computes: its equations or a summary, and an input traced through it");
    cmd->add_option("model", args->model, "Model file written by dense train, or a Keras (.keras, .h5) or ONNX (.onnx) model")->required();
    cmd->add_option("--input,-i", args->input, "One row of feature values, comma-separated, in the training column order");
    cmd->add_flag("--all", args->all, "Print every neuron's equation, however large the network");
    cmd->add_option("--fill", args->fill, fill_option_help);
    cmd->add_option("--data", args->data,
                    "CSV rows to measure each input's influence on (default: random rows)");
    cmd->footer(
        "Networks of fewer than 50 neurons are printed equation by equation; larger ones as a summary:\n"
        "each input's influence on the prediction (mean |dy/dx|) and the largest weights (--all prints all).\n"
        "--input traces a row the same way: every neuron of a small network; of a larger one each layer's\n"
        "10 units of largest value, each sum's 8 largest terms and the rest added up (--all: every one).\n"
        "Examples:\n"
        "  dense explain model.dense\n"
        "  dense explain model.dense --all\n"
        "  dense explain model.dense --input 120,3,red");
    cmd->callback([args] { run_explain(*args); });
}

const CommandRegistration registration{add_explain};

}  // namespace
}  // namespace dense::cli
