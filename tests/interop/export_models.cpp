// dense_interop_export DIR: builds the round trip's models with dense, saves each as .keras,
// .weights.h5 and .onnx (opset 13 / IR 7 and opset 17 / IR 8) in DIR, and writes
// DIR/manifest.json with the inputs and dense's predictions, for round_trip.py to compare with
// what Keras and onnxruntime predict from those files.
#include <fstream>
#include <iostream>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "dense/dense.hpp"
#include "dense/interop/keras.hpp"
#include "dense/interop/onnx.hpp"
#include "dense/interop/output_scaling.hpp"

namespace {

using namespace dense;
using nlohmann::json;

struct Case {
    std::string name;
    Sequential model;
    onnx::SaveOptions onnx_options = {};
    // A model of standardised targets: exported with the scale folded in (interop::with_output_scaling).
    std::vector<double> output_mean = {}, output_stddev = {};
    std::vector<std::size_t> frozen_layers = {};  // set_trainable(false): the .keras must say trainable false
    // Compiled with Adam following this schedule: Keras must load the same schedule.
    std::optional<LearningRate> schedule = std::nullopt;
};

Matrix<float> random_inputs(std::size_t rows, std::size_t cols, Rng& rng) {
    Matrix<float> x(rows, cols);
    for (auto& v : x.values()) v = static_cast<float>(1.5 * rng.normal());
    return x;
}

// Biases start at zero; random ones make the comparison see them.
void randomise_biases(Sequential& model, Rng& rng) {
    for (std::size_t i = 0; i < model.layer_count(); ++i) {
        auto weights = model.layer(i).get_weights();
        if (weights.size() != 2) continue;
        for (auto& b : weights[1].values) b = static_cast<float>(rng.uniform(-0.5, 0.5));
        model.layer(i).set_weights(weights);
    }
}

json rows(const Matrix<float>& m) {
    json out = json::array();
    for (std::size_t r = 0; r < m.rows(); ++r) out.push_back(std::vector<float>(m.row(r).begin(), m.row(r).end()));
    return out;
}

// What the ONNX model should compute: the standardisation, then the model.
Matrix<float> standardised(Matrix<float> x, const onnx::SaveOptions& options) {
    if (options.input_mean.empty()) return x;
    for (std::size_t r = 0; r < x.rows(); ++r)
        for (std::size_t c = 0; c < x.cols(); ++c) x(r, c) = (x(r, c) - options.input_mean[c]) / options.input_stddev[c];
    return x;
}

std::vector<Case> cases() {
    std::vector<Case> all;
    all.push_back({"one_neuron", Sequential({Dense(1, DenseOptions{.input_dim = 1})})});
    all.push_back({"course_4_4_1", Sequential({Dense(4, "relu", {.input_dim = 1}), Dense(4, "relu"), Dense(1)})});
    all.push_back({"softmax_classifier", Sequential({Dense(8, "relu", {.input_dim = 4}), Dropout(0.25), Dense(3, "softmax")})});
    for (const auto* name : {"linear", "relu", "leaky_relu", "elu", "selu", "gelu", "sigmoid", "hard_sigmoid", "tanh", "softmax",
                             "softplus", "softsign", "swish", "exponential", "relu6", "mish", "hard_silu", "log_softmax"})
        all.push_back({std::string("activation_") + name,
                       Sequential({Dense(4, name, {.input_dim = 3}), Dense(2, DenseOptions{.use_bias = false}),
                                   ActivationLayer(name)})});
    all.push_back({"custom_alphas", Sequential({Dense(4, Activation(ActivationKind::leaky_relu, 0.1), {.input_dim = 3}),
                                                ActivationLayer(Activation(ActivationKind::elu, 0.5)),
                                                Dense(2, Activation(ActivationKind::elu, 0.3))})});
    all.push_back({"standardised", Sequential({Dense(3, "tanh", {.input_dim = 3}), Dense(1)}),
                   {.input_mean = {10.0f, -2.0f, 0.5f}, .input_stddev = {4.0f, 0.5f, 2.0f}}});
    all.push_back({"target_scaled", Sequential({Dense(5, "relu", {.input_dim = 3}), Dense(2)}), {}, {150.0, -2.0}, {78.0, 0.25}});
    all.push_back({"relu_options", Sequential({Dense(4, Activation(ReluOptions{.max_value = 1.0, .negative_slope = 0.2, .threshold = 0.3}),
                                                      {.input_dim = 3}),
                                                Dense(3), ActivationLayer(Activation(ReluOptions{.negative_slope = 0.1, .threshold = 0.2}))})});
    // Names Keras refuses or that clash with the names export gives its own layers: a '/' (Keras'
    // scope separator), the InputLayer's "input_layer", a Dense's "<name>_activation" layer.
    all.push_back({"names_keras_refuses",
                   Sequential({Dense(4, "relu", {.input_dim = 3, .name = "block/one"}), Dense(3, "tanh", {.name = "input_layer"}),
                               Dense(3, Activation(ActivationKind::leaky_relu, 0.2), {.name = "head"}),
                               ActivationLayer(activations::sigmoid, "head_activation"), Dense(2, {.name = "out/put"})},
                              {.name = "scoped/model"})});
    all.push_back({"frozen_middle", Sequential({Dense(4, "relu", {.input_dim = 3}), Dense(3, "tanh"), Dense(2)}), {}, {}, {}, {1}});
    for (const auto& [name, schedule] : {std::pair{"exponential_decay", LearningRate::exponential_decay(0.1, 3, 0.5, true)},
                                         std::pair{"cosine_decay", LearningRate::cosine_decay(0.05, 5, 0.1)},
                                         std::pair{"piecewise_constant", LearningRate::piecewise_constant({1, 2}, {0.1, 0.05, 0.01})}})
        all.push_back({std::string("schedule_") + name, Sequential({Dense(2, "relu", {.input_dim = 3}), Dense(1)}), {}, {}, {}, {},
                       schedule});
    return all;
}

// What the exported model should predict: dense's outputs, times stddev plus mean when scaled.
Matrix<float> in_target_units(Matrix<float> y, const Case& c) {
    for (std::size_t r = 0; r < y.rows() && !c.output_mean.empty(); ++r)
        for (std::size_t j = 0; j < y.cols(); ++j) y(r, j) = float(double(y(r, j)) * c.output_stddev[j] + c.output_mean[j]);
    return y;
}

json export_case(Case& c, const std::filesystem::path& dir, Rng& rng) {
    c.model.build(c.model.layer(0).declared_input_dim());
    json learning_rates = nullptr;
    if (c.schedule) {
        c.model.compile(Adam(*c.schedule), "mse");
        learning_rates = json::array();
        for (std::int64_t step = 0; step < 8; ++step) learning_rates.push_back(c.schedule->at(step));
    }
    json frozen = json::array();
    for (const std::size_t i : c.frozen_layers) {
        c.model.layer(i).set_trainable(false);
        frozen.push_back(c.model.layer(i).name());
    }
    randomise_biases(c.model, rng);
    const Matrix<float> x = random_inputs(6, c.model.input_dim(), rng);
    const Matrix<float> want = in_target_units(c.model.predict(standardised(x, c.onnx_options)), c);
    if (!c.output_mean.empty()) c.model = interop::with_output_scaling(c.model, c.output_mean, c.output_stddev);
    const auto base = (dir / c.name).string();
    json files = json::object();
    if (c.onnx_options.input_mean.empty()) {
        keras::save_model(c.model, base + ".keras");
        keras::save_weights(c.model, base + ".weights.h5");
        files["keras"] = base + ".keras";
        files["weights"] = base + ".weights.h5";
    }
    onnx::save(c.model, base + ".onnx", c.onnx_options);
    auto opset17 = c.onnx_options;
    opset17.opset = 17;
    opset17.ir_version = 8;
    onnx::save(c.model, base + ".opset17.onnx", opset17);
    files["onnx"] = json::array({base + ".onnx", base + ".opset17.onnx"});
    return {{"name", c.name}, {"files", files},     {"inputs", rows(x)}, {"predictions", rows(want)},
            {"frozen", frozen}, {"learning_rates", learning_rates}};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: dense_interop_export DIR\n";
        return 2;
    }
    try {
        const std::filesystem::path dir = argv[1];
        std::filesystem::create_directories(dir);
        Rng rng(2024);
        json manifest = json::array();
        for (auto& c : cases()) manifest.push_back(export_case(c, dir, rng));
        std::ofstream(dir / "manifest.json") << manifest.dump(1) << "\n";
        std::cout << "exported " << manifest.size() << " models to " << dir.string() << "\n";
    } catch (const dense::Error& error) {
        std::cerr << "dense_interop_export: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
