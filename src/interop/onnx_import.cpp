// An ONNX graph → a Sequential model. The graph must be a chain from its one input to its one
// output through the operators dense writes: Gemm or MatMul (+ Add) for Dense, one operator
// per activation (swish and gelu as the small patterns save() writes), Identity and Dropout.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <utility>

#include "dense/error.hpp"
#include "dense/interop/onnx.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "interop/carried_preprocessing.hpp"
#include "interop/image_loaders.hpp"
#include "interop/input_affine.hpp"
#include "interop/onnx_tensor.hpp"
#include "io/entire_file.hpp"

namespace dense::onnx {

namespace {

constexpr std::string_view kSupportedOperators =
    "Gemm (x, W, b; any alpha, beta and transB), MatMul (x, W), Add (bias), Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, Tanh, Softmax, Softplus, Softsign, Exp, "
    "LogSoftmax, HardSwish, Mish, Gelu (approximate 'none'), Clip (0, 6), Identity, Dropout, Sub and Div by constants before a Dense, and the swish, mish, hard_silu, "
    "gelu and ReLU-with-options patterns dense writes";

bool close_to(double value, double expected) { return std::abs(value - expected) <= 1e-6 * std::max(1.0, std::abs(expected)); }

const ::onnx::AttributeProto* find_attribute(const ::onnx::NodeProto& node, std::string_view name) {
    for (const auto& attribute : node.attribute())
        if (attribute.name() == name) return &attribute;
    return nullptr;
}
double float_attribute(const ::onnx::NodeProto& node, std::string_view name, double fallback) {
    const auto* attribute = find_attribute(node, name);
    return attribute ? attribute->f() : fallback;
}
std::int64_t int_attribute(const ::onnx::NodeProto& node, std::string_view name, std::int64_t fallback) {
    const auto* attribute = find_attribute(node, name);
    return attribute ? attribute->i() : fallback;
}

// "dense_1/Gemm_3" → "dense_1": the layer a node came from, when its name tells.
std::string layer_name_of(const ::onnx::NodeProto& node) {
    const auto slash = node.name().find('/');
    return slash == std::string::npos ? std::string() : node.name().substr(0, slash);
}

Tensor<float> transposed(const Tensor<float>& matrix) {
    const std::size_t rows = matrix.shape[0], cols = matrix.shape[1];
    Tensor<float> result({cols, rows});
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) result.values[c * rows + r] = matrix.values[r * cols + c];
    return result;
}

class GraphReader {
public:
    // `directory`: where the model file is, and so its weights stored as external data (none for a
    // model read from memory).
    GraphReader(const ::onnx::ModelProto& model, std::string file, std::optional<std::filesystem::path> directory)
        : graph_(model.graph()), file_(std::move(file)), directory_(std::move(directory)) {}

    // The graph from its one input; or, for a file whose preprocessing dense wrote, from the
    // tensor `network_input` after the preprocessing nodes.
    Sequential read(const std::string& network_input = {}, const io::Preprocessing* preprocessing = nullptr) {
        collect_constants_and_nodes();
        if (preprocessing)
            skip_preprocessing(network_input, *preprocessing);
        else
            current_ = graph_input();
        while (next_ < nodes_.size()) read_layer();
        if (pending_)
            throw DataError(file_ + ": the graph ends in Sub or Div nodes; dense folds those only into a following Dense layer");
        if (graph_.output_size() != 1 || graph_.output(0).name() != current_)
            throw DataError(file_ + ": the graph's output is not the end of its chain of nodes; dense reads single-input, "
                                    "single-output chains");
        if (layers_.empty()) throw DataError(file_ + ": the graph has no Dense (Gemm or MatMul) or activation layer");
        return assemble();
    }

private:
    struct Step {
        std::optional<Tensor<float>> kernel;  // set for a Dense
        std::optional<Tensor<float>> bias;
        Activation activation;
        std::string name;
    };

    [[noreturn]] void fail(const ::onnx::NodeProto& node, const std::string& problem) const {
        throw DataError(file_ + ": node '" + node.name() + "' (" + node.op_type() + "): " + problem);
    }

    void collect_constants_and_nodes() {
        for (const auto& initializer : graph_.initializer())
            constants_[initializer.name()] =
                interop::tensor_from_onnx(initializer, file_ + ": initializer '" + initializer.name() + "'", directory());
        for (const auto& node : graph_.node()) {
            if (node.output_size() == 0 || node.output(0).empty()) fail(node, "has no output");
            // Identity(constant) is that constant under another name, as some exporters pass weights.
            if (node.op_type() == "Identity" && node.input_size() == 1 && constants_.contains(node.input(0))) {
                constants_[node.output(0)] = constants_.at(node.input(0));
                continue;
            }
            if (node.op_type() != "Constant") {
                nodes_.push_back(&node);
                continue;
            }
            const auto* value = find_attribute(node, "value");
            if (!value || !value->has_t()) fail(node, "only Constant nodes with a tensor 'value' are supported");
            constants_[node.output(0)] = interop::tensor_from_onnx(value->t(), file_ + ": constant '" + node.output(0) + "'", directory());
        }
    }

    // The nodes dense writes for a CSV model's preprocessing (one-hot encoding, concatenation,
    // standardisation), up to the one making `network_input`, each checked against the
    // preprocessing the file's metadata holds: the graph must compute what dense will.
    void skip_preprocessing(const std::string& network_input, const io::Preprocessing& preprocessing) {
        check_column_inputs(preprocessing);
        std::vector<float> mean, stddev;
        for (const auto& feature : preprocessing.features) {
            mean.insert(mean.end(), feature.width(), feature.categorical() ? 0.0f : static_cast<float>(feature.mean));
            stddev.insert(stddev.end(), feature.width(), feature.categorical() ? 1.0f : static_cast<float>(feature.stddev));
        }
        std::set<std::string> standardised;
        while (next_ < nodes_.size() && current_ != network_input) {
            const auto& node = *nodes_[next_];
            const auto& op = node.op_type();
            if (op == "Sub" || op == "Div") {
                if (node.input_size() != 2 || constant(node, node.input(1)).values != (op == "Sub" ? mean : stddev))
                    fail(node, "does not standardise as the metadata 'dense.preprocessing' says");
                standardised.insert(op);
            } else if (op == "OneHotEncoder") {
                check_one_hot(node, preprocessing);
            } else if (op != "Flatten" && op != "Concat") {
                fail(node, "is not one of the preprocessing operators dense writes before '" + network_input + "'");
            }
            advance(1);
        }
        if (current_ != network_input)
            throw DataError(file_ + ": metadata 'dense.network_input' names '" + network_input + "', which no node makes");
        if (standardised.size() != 2) throw DataError(file_ + ": the preprocessing nodes do not standardise the inputs (Sub, Div)");
        input_dim_ = preprocessing.input_width();
    }

    void check_column_inputs(const io::Preprocessing& preprocessing) const {
        std::vector<std::string> inputs, columns;
        for (const auto& value : graph_.input())
            if (!constants_.contains(value.name())) inputs.push_back(value.name());
        for (const auto& feature : preprocessing.features) columns.push_back(feature.name);
        if (inputs != columns)
            throw DataError(file_ + ": the graph's inputs are not the CSV columns the metadata 'dense.preprocessing' names");
    }

    void check_one_hot(const ::onnx::NodeProto& node, const io::Preprocessing& preprocessing) const {
        const auto* categories = find_attribute(node, "cats_strings");
        for (const auto& feature : preprocessing.features)
            if (node.input_size() == 1 && node.input(0) == feature.name && categories &&
                std::vector<std::string>(categories->strings().begin(), categories->strings().end()) == feature.categories)
                return;
        fail(node, "does not one-hot encode a text column as the metadata 'dense.preprocessing' says");
    }

    std::string graph_input() {
        std::optional<std::string> input;
        for (const auto& value : graph_.input()) {
            if (constants_.contains(value.name())) continue;
            if (input) throw DataError(file_ + ": the graph has more than one input; dense models take one");
            input = value.name();
            const auto& shape = value.type().tensor_type().shape();
            if (shape.dim_size() != 2)
                throw DataError(file_ + ": input '" + value.name() + "' has rank " + std::to_string(shape.dim_size()) +
                                "; dense takes rows of features, shape [batch, features]");
            if (shape.dim(1).has_dim_value()) input_dim_ = static_cast<std::size_t>(shape.dim(1).dim_value());
        }
        if (!input) throw DataError(file_ + ": the graph has no input");
        return *input;
    }

    const Tensor<float>& constant(const ::onnx::NodeProto& node, const std::string& name) const {
        const auto it = constants_.find(name);
        if (it == constants_.end()) fail(node, "input '" + name + "' must be a constant (an initializer)");
        return it->second;
    }
    double scalar(const ::onnx::NodeProto& node, const std::string& name) const {
        const auto& tensor = constant(node, name);
        if (tensor.size() != 1) fail(node, "input '" + name + "' must be a single number");
        return tensor.values[0];
    }

    const ::onnx::NodeProto* peek(std::size_t ahead, std::string_view op) const {
        const auto index = next_ + ahead;
        return index < nodes_.size() && nodes_[index]->op_type() == op ? nodes_[index] : nullptr;
    }

    void read_layer() {
        const auto& node = *nodes_[next_];
        const auto& op = node.op_type();
        if (!node.domain().empty() && node.domain() != "ai.onnx") fail(node, "operators of domain '" + node.domain() + "' are not supported");
        if (op == "MatMul") return read_matmul(node);
        if (op == "Sub" && node.input_size() == 2 && node.input(1) == current_ && node.input(0) != current_ &&
            constants_.contains(node.input(0)))
            return read_affine(node);  // c − x
        if (node.input_size() == 0 || node.input(0) != current_)
            fail(node, "does not read '" + current_ + "' first: dense reads graphs that are one chain of nodes");
        if (op == "Gemm") return read_gemm(node);
        if (op == "Identity" || op == "Dropout") return advance(1);
        if (op == "Sigmoid" && is_gated(1)) return add_activation(activations::swish, 2, node);
        if (op == "HardSigmoid" && is_gated(1)) {
            single_activation(node);  // checks HardSigmoid's constants
            return add_activation(activations::hard_silu, 2, node);
        }
        if (op == "Softplus" && peek(1, "Tanh") && peek(1, "Tanh")->input(0) == node.output(0) && is_gated(2))
            return add_activation(activations::mish, 3, node);
        if (op == "Clip") return add_activation(clip_activation(node), 1, node);
        if (op == "Greater")
            if (std::size_t count = 0; const auto relu = relu_with_options(count)) return add_activation(*relu, count, node);
        if (op == "Div" && is_gelu()) return add_activation(activations::gelu, 5, node);
        if ((op == "Sub" || op == "Div") && node.input_size() == 2 && node.input(0) == current_ && constants_.contains(node.input(1)))
            return read_affine(node);
        add_activation(single_activation(node), 1, node);
    }

    // Moves past `count` nodes; the last one's output carries the chain on.
    void advance(std::size_t count) {
        next_ += count;
        current_ = nodes_[next_ - 1]->output(0);
    }

    // x − c, c − x or x / c by a constant c ([inputs], [1, inputs] or one number), kept as
    // x' = a⊙x + b until the next Dense layer takes it into its weights.
    void read_affine(const ::onnx::NodeProto& node) {
        const bool constant_first = node.input(1) == current_;  // c − x
        const auto& c = constant(node, node.input(constant_first ? 0 : 1));
        const bool one_row = c.shape.size() <= 1 || (c.shape.size() == 2 && c.shape[0] == 1);
        if (!one_row || c.size() == 0) fail(node, "the constant has shape " + shape_string(c.shape) + ", expected one number per input");
        if (!pending_) pending_ = interop::InputAffine{};
        auto& [a, b] = *pending_;
        const std::size_t n = std::max({a.size(), b.size(), c.size()});
        if ((a.size() != 1 && a.size() != n) || (c.size() != 1 && c.size() != n))
            fail(node, "the constant has " + std::to_string(c.size()) + " numbers, the rows " + std::to_string(n));
        a.resize(n, a[0]);
        b.resize(n, b[0]);
        for (std::size_t i = 0; i < n; ++i) {
            const double ci = c.values[c.size() == 1 ? 0 : i];
            if (node.op_type() == "Sub" && constant_first) {
                a[i] = -a[i];  // c − (a⊙x + b) = (−a)⊙x + (c − b)
                b[i] = ci - b[i];
                continue;
            }
            if (node.op_type() == "Sub") {
                b[i] -= ci;  // a⊙x + b − c
                continue;
            }
            if (ci == 0.0) fail(node, "divides by zero");
            a[i] /= ci;  // (a⊙x + b) / c
            b[i] /= ci;
        }
        advance(1);
    }

    void fold_pending(const ::onnx::NodeProto& node, Tensor<float>& kernel, std::optional<Tensor<float>>& bias) {
        if (!pending_) return;
        interop::fold_input_affine(*std::exchange(pending_, std::nullopt), kernel, bias,
                          file_ + ": node '" + node.name() + "' (" + node.op_type() + ")");
    }

    void add_activation(const Activation& activation, std::size_t count, const ::onnx::NodeProto& node) {
        if (pending_) fail(node, "follows Sub or Div nodes; dense folds those only into a following Dense layer");
        // An activation right after a linear Dense is that Dense's activation.
        if (!layers_.empty() && layers_.back().kernel && layers_.back().activation == Activation())
            layers_.back().activation = activation;
        else
            layers_.push_back({std::nullopt, std::nullopt, activation, layer_name_of(node)});
        advance(count);
    }

    // Gemm(A, B, C) = alpha·op(A)·op(B) + beta·C. With A the chain's rows (transA = 0) it is a
    // Dense layer whose kernel is alpha·op(B) and whose bias is beta·C.
    void read_gemm(const ::onnx::NodeProto& node) {
        if (node.input_size() < 2 || node.input_size() > 3) fail(node, "needs two or three inputs (A, B and optionally C)");
        if (int_attribute(node, "transA", 0) != 0)
            fail(node, "transA = 1 transposes the batch of rows, which is not a Dense layer; dense reads Gemm(x, W, b) with transA = 0");
        Tensor<float> kernel = checked_kernel(node, constant(node, node.input(1)));
        if (int_attribute(node, "transB", 0) != 0) kernel = transposed(kernel);
        scale(kernel, float_attribute(node, "alpha", 1.0));
        std::optional<Tensor<float>> bias;
        if (node.input_size() > 2 && !node.input(2).empty()) {
            bias = checked_bias(node, constant(node, node.input(2)), kernel);
            scale(*bias, float_attribute(node, "beta", 1.0));
        }
        fold_pending(node, kernel, bias);
        layers_.push_back({std::move(kernel), std::move(bias), Activation(), layer_name_of(node)});
        advance(1);
    }

    static void scale(Tensor<float>& tensor, double factor) {
        for (auto& v : tensor.values) v = static_cast<float>(v * factor);
    }

    // MatMul(x, W) (+ Add(·, b)) is a Dense layer; MatMul(W, x) is W·x, which mixes the batch's
    // rows, and is refused rather than read as x·W.
    void read_matmul(const ::onnx::NodeProto& node) {
        if (node.input_size() != 2) fail(node, "expected two inputs");
        if (node.input(1) == current_ && node.input(0) != current_)
            fail(node, "computes W·x with the weights '" + node.input(0) + "' first; a Dense layer is x·W: dense reads MatMul('" +
                           current_ + "', weights)");
        if (node.input(0) != current_) fail(node, "does not read '" + current_ + "': dense reads graphs that are one chain of nodes");
        Tensor<float> kernel = checked_kernel(node, constant(node, node.input(1)));
        std::optional<Tensor<float>> bias;
        const auto* add = peek(1, "Add");
        if (add && add->input_size() == 2 && (add->input(0) == node.output(0) || add->input(1) == node.output(0))) {
            const auto& bias_name = add->input(0) == node.output(0) ? add->input(1) : add->input(0);
            bias = checked_bias(*add, constant(*add, bias_name), kernel);
        }
        const std::size_t count = bias ? 2 : 1;
        fold_pending(node, kernel, bias);
        layers_.push_back({std::move(kernel), std::move(bias), Activation(), layer_name_of(node)});
        advance(count);
    }

    Tensor<float> checked_kernel(const ::onnx::NodeProto& node, const Tensor<float>& kernel) const {
        if (kernel.shape.size() != 2) fail(node, "the weight matrix has shape " + shape_string(kernel.shape) + ", expected 2-D");
        if (kernel.shape[0] == 0 || kernel.shape[1] == 0)
            fail(node, "the weight matrix has shape " + shape_string(kernel.shape) + "; a Dense layer needs at least one input and one unit");
        return kernel;
    }

    // A bias is added to every row: shape [units] or [1, units], or one number ([], [1], [1, 1])
    // broadcast to every unit. A bias with a row per batch row is not a Dense layer's.
    Tensor<float> checked_bias(const ::onnx::NodeProto& node, const Tensor<float>& bias, const Tensor<float>& kernel) const {
        const std::size_t units = kernel.shape[1];
        const bool one_row = bias.shape.size() <= 1 || (bias.shape.size() == 2 && bias.shape[0] == 1);
        if (one_row && bias.size() == 1) return Tensor<float>({units}, std::vector<float>(units, bias.values[0]));
        if (!one_row || bias.size() != units)
            fail(node, "the bias has shape " + shape_string(bias.shape) + ", expected [" + std::to_string(units) + "], [1, " +
                           std::to_string(units) + "] or one number");
        return Tensor<float>({units}, bias.values);
    }

    // The node `ahead` − 1 after this one is followed by Mul(x, its output): x·g(x), as swish
    // (g = Sigmoid), hard_silu (HardSigmoid) and mish (Softplus → Tanh).
    bool is_gated(std::size_t ahead) const {
        const auto* mul = peek(ahead, "Mul");
        const auto& gate = nodes_[next_ + ahead - 1]->output(0);
        return mul && mul->input_size() == 2 &&
               ((mul->input(0) == current_ && mul->input(1) == gate) || (mul->input(1) == current_ && mul->input(0) == gate));
    }

    // Clip(x, 0, 6) is relu6; Clip(x, 0) (no upper bound) relu.
    Activation clip_activation(const ::onnx::NodeProto& node) const {
        const bool has_min = node.input_size() > 1 && !node.input(1).empty();
        const bool has_max = node.input_size() > 2 && !node.input(2).empty();
        if (has_min && scalar(node, node.input(1)) == 0.0) {
            if (!has_max) return activations::relu;
            if (scalar(node, node.input(2)) == 6.0) return activations::relu6;
        }
        fail(node, "dense reads Clip(x, 0, 6) as relu6 and Clip(x, 0) as relu only");
    }

    // Greater(x, t) → [Min(x, m)] → Sub(x, t) → Mul(·, s) → Where(greater, min or x, mul): Keras' ReLU
    // with options as save() writes it, each operand where save() puts it. Sets `count` to its nodes.
    std::optional<Activation> relu_with_options(std::size_t& count) const {
        const auto& greater = *nodes_[next_];
        const auto* min = peek(1, "Min");
        const std::size_t after_min = min ? 2 : 1;
        const auto *sub = peek(after_min, "Sub"), *mul = peek(after_min + 1, "Mul"), *where = peek(after_min + 2, "Where");
        if (!sub || !mul || !where || greater.input_size() != 2 || sub->input_size() != 2 || mul->input_size() != 2 ||
            where->input_size() != 3 || (min && (min->input_size() != 2 || min->input(0) != current_)))
            return std::nullopt;
        const std::string& threshold = greater.input(1);
        const std::string& capped = min ? min->output(0) : current_;
        if (sub->input(0) != current_ || sub->input(1) != threshold || mul->input(0) != sub->output(0) ||
            where->input(0) != greater.output(0) || where->input(1) != capped || where->input(2) != mul->output(0))
            return std::nullopt;
        count = after_min + 3;
        return Activation(ReluOptions{.max_value = min ? scalar(*min, min->input(1)) : ReluOptions{}.max_value,
                                      .negative_slope = scalar(*mul, mul->input(1)),
                                      .threshold = scalar(greater, threshold)});
    }

    // Div(x, √2) → Erf → Add(·, 1) → Mul(x, ·) → Mul(·, ½): gelu as save() writes it.
    bool is_gelu() const {
        const auto* div = nodes_[next_];
        const auto *erf = peek(1, "Erf"), *add = peek(2, "Add"), *mul = peek(3, "Mul"), *half = peek(4, "Mul");
        if (!erf || !add || !mul || !half || div->input_size() != 2 || add->input_size() != 2 || mul->input_size() != 2 ||
            half->input_size() != 2)
            return false;
        auto constant_near = [&](const std::string& name, double expected) {
            const auto it = constants_.find(name);
            return it != constants_.end() && it->second.size() == 1 && close_to(it->second.values[0], expected);
        };
        auto other = [](const ::onnx::NodeProto& n, const std::string& known) { return n.input(0) == known ? n.input(1) : n.input(0); };
        return constant_near(div->input(1), std::numbers::sqrt2) && erf->input(0) == div->output(0) &&
               constant_near(other(*add, erf->output(0)), 1.0) && other(*mul, add->output(0)) == current_ &&
               constant_near(other(*half, mul->output(0)), 0.5);
    }

    Activation single_activation(const ::onnx::NodeProto& node) const {
        const auto& op = node.op_type();
        if (op == "Relu") return activations::relu;
        if (op == "Sigmoid") return activations::sigmoid;
        if (op == "Tanh") return activations::tanh;
        if (op == "Softplus") return activations::softplus;
        if (op == "Softsign") return activations::softsign;
        if (op == "Exp") return activations::exponential;
        // The single operators newer opsets have for activations older ones spell out as patterns.
        if (op == "HardSwish") return activations::hard_silu;  // x·max(0, min(1, x/6 + 1/2)), opset 14
        if (op == "Mish") return activations::mish;            // x·tanh(softplus(x)), opset 18
        if (op == "Gelu") {                                     // opset 20
            const auto* approximate = find_attribute(node, "approximate");
            if (approximate && approximate->s() != "none")
                fail(node, "approximate = '" + approximate->s() + "': dense's gelu is the exact x·Φ(x) (approximate 'none')");
            return activations::gelu;
        }
        if (op == "LeakyRelu") return Activation(ActivationKind::leaky_relu, float_attribute(node, "alpha", 0.01));
        if (op == "Elu") return Activation(ActivationKind::elu, float_attribute(node, "alpha", 1.0));
        if (op == "Selu") {
            if (!close_to(float_attribute(node, "alpha", 1.67326319217681884765625), 1.6732632423543772) ||
                !close_to(float_attribute(node, "gamma", 1.05070102214813232421875), 1.0507009873554805))
                fail(node, "only SELU's standard alpha and gamma are supported");
            return activations::selu;
        }
        if (op == "HardSigmoid") {
            if (!close_to(float_attribute(node, "alpha", 0.2), 1.0 / 6.0) || !close_to(float_attribute(node, "beta", 0.5), 0.5))
                fail(node, "dense's hard_sigmoid is x/6 + 1/2 (alpha = 1/6, beta = 0.5), as Keras 3's");
            return activations::hard_sigmoid;
        }
        if (op == "LogSoftmax") {
            const auto axis = int_attribute(node, "axis", -1);
            if (axis != -1 && axis != 1) fail(node, "dense applies log_softmax over the last axis only");
            return activations::log_softmax;
        }
        if (op == "Softmax") {
            const auto axis = int_attribute(node, "axis", -1);
            if (axis != -1 && axis != 1) fail(node, "dense applies softmax over the last axis only");
            return activations::softmax;
        }
        fail(node, "operator not supported; dense reads " + std::string(kSupportedOperators));
    }

    Sequential assemble() const {
        Sequential model(SequentialOptions{.name = graph_.name().empty() ? std::string("sequential") : graph_.name()});
        std::vector<std::vector<Tensor<float>>> weights;
        std::set<std::string> names;
        for (const auto& step : layers_) {
            // Node names that do not tell distinct layers apart leave the naming to Sequential.
            const std::string name = names.insert(step.name).second ? step.name : std::string();
            if (step.kernel) {
                DenseOptions options{.activation = step.activation, .use_bias = step.bias.has_value(), .name = name};
                model.add(Dense(step.kernel->shape[1], options));
                weights.push_back(step.bias ? std::vector{*step.kernel, *step.bias} : std::vector{*step.kernel});
            } else {
                model.add(ActivationLayer(step.activation, name));
                weights.emplace_back();
            }
        }
        std::size_t input_dim = input_dim_;
        for (const auto& step : layers_)
            if (input_dim == 0 && step.kernel) input_dim = step.kernel->shape[0];
        model.build(input_dim);
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (weights[i].empty()) continue;
            try {
                model.layer(i).set_weights(weights[i]);
            } catch (const DataError& error) {
                throw DataError(file_ + ": " + error.what());
            }
        }
        return model;
    }

    const std::filesystem::path* directory() const { return directory_ ? &*directory_ : nullptr; }

    const ::onnx::GraphProto& graph_;
    std::string file_;
    std::optional<std::filesystem::path> directory_;
    std::map<std::string, Tensor<float>> constants_;
    std::vector<const ::onnx::NodeProto*> nodes_;
    std::size_t next_ = 0;
    std::string current_;
    std::size_t input_dim_ = 0;
    std::vector<Step> layers_;
    std::optional<interop::InputAffine> pending_;  // Sub/Div nodes read and not yet folded into a Dense
};

}  // namespace

namespace {

std::optional<std::string> metadata(const ::onnx::ModelProto& model, std::string_view key) {
    for (const auto& entry : model.metadata_props())
        if (entry.key() == key) return entry.value();
    return std::nullopt;
}

// The preprocessing dense wrote into metadata_props, checked as a model file's is.
std::optional<io::Preprocessing> preprocessing_of(const ::onnx::ModelProto& model, const std::string& file) {
    const auto text = metadata(model, "dense.preprocessing");
    if (!text) return std::nullopt;
    const std::string where = file + ": metadata 'dense.preprocessing'";
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded()) throw DataError(where + " is not JSON");
    return interop::carried_preprocessing(json, where);
}

// `directory`: the model file's folder, where its external data is; none for a model in memory.
interop::LoadedModel load_parsed(const ::onnx::ModelProto& model, const std::string& file,
                                 const std::optional<std::filesystem::path>& directory) {
    if (!model.has_graph()) throw DataError(file + ": the ONNX model has no graph");
    try {
        auto preprocessing = preprocessing_of(model, file);
        if (!preprocessing) return {GraphReader(model, file, directory).read(), std::nullopt};
        const auto network_input = metadata(model, "dense.network_input");
        if (!network_input) throw DataError(file + ": metadata 'dense.preprocessing' comes without 'dense.network_input'");
        return {GraphReader(model, file, directory).read(*network_input, &*preprocessing), std::move(preprocessing)};
    } catch (const UsageError& error) {
        // What the library refuses as an argument is, coming from a file, a fault of the file.
        throw DataError(file + ": " + error.what());
    }
}

std::filesystem::path folder_of(const std::filesystem::path& path) {
    return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}

::onnx::ModelProto parsed(const std::filesystem::path& path) {
    io::require_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path.string() + ": cannot open the file");
    ::onnx::ModelProto model;
    if (!model.ParseFromIstream(&in)) throw DataError(path.string() + ": not an ONNX model (the protobuf does not parse)");
    return model;
}

}  // namespace

Sequential load(const std::filesystem::path& path) { return load_parsed(parsed(path), path.string(), folder_of(path)).model; }

interop::LoadedModel load_with_preprocessing(const std::filesystem::path& path) {
    return interop::as_dense_model(load_parsed(parsed(path), path.string(), folder_of(path)), path.string());
}

Sequential load_image(std::string_view bytes, const std::string& description) {
    ::onnx::ModelProto model;
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        throw DataError(description + ": not an ONNX model (the protobuf does not parse)");
    return load_parsed(model, description, std::nullopt).model;
}

}  // namespace dense::onnx
