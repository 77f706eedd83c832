// A Sequential model → an ONNX ModelProto: a chain of nodes from "input" [batch, inputs] to
// "output" [batch, units], with the weights as initializers.
#include <cmath>
#include <numbers>

#include "dense/error.hpp"
#include "dense/io/model_file.hpp"
#include "dense/interop/onnx.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "dense/layers/dropout.hpp"
#include "interop/onnx_tensor.hpp"

namespace dense::onnx {

namespace {

// SELU's constants as Keras and dense use them (Klambauer et al. 2017).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

class GraphWriter {
public:
    explicit GraphWriter(::onnx::GraphProto& graph) : graph_(graph) {}

    // Appends `op` reading `inputs`; returns the name of its one output.
    ::onnx::NodeProto& node(const std::string& op, std::vector<std::string> inputs, const std::string& prefix) {
        auto& node = *graph_.add_node();
        node.set_op_type(op);
        node.set_name(prefix + "/" + op + "_" + std::to_string(graph_.node_size()));
        for (auto& input : inputs) node.add_input(std::move(input));
        node.add_output(node.name() + ":0");
        return node;
    }
    std::string apply(const std::string& op, std::vector<std::string> inputs, const std::string& prefix) {
        return node(op, std::move(inputs), prefix).output(0);
    }

    std::string initializer(const std::string& name, const Tensor<float>& tensor) {
        *graph_.add_initializer() = interop::onnx_tensor(name, tensor);
        return name;
    }
    std::string scalar(const std::string& name, double value) {
        return initializer(name, Tensor<float>({}, {static_cast<float>(value)}));
    }

    // Renames the last node's output (or adds an Identity when there is none) so the graph ends in `name`.
    void finish(const std::string& current, const std::string& name) {
        if (graph_.node_size() == 0 || graph_.node(graph_.node_size() - 1).output(0) != current) {
            apply("Identity", {current}, "output");
        }
        graph_.mutable_node(graph_.node_size() - 1)->set_output(0, name);
    }

private:
    ::onnx::GraphProto& graph_;
};

void set_attribute(::onnx::NodeProto& node, const std::string& name, double value) {
    auto& attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(::onnx::AttributeProto::FLOAT);
    attribute.set_f(static_cast<float>(value));
}

void set_attribute(::onnx::NodeProto& node, const std::string& name, std::int64_t value) {
    auto& attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(::onnx::AttributeProto::INT);
    attribute.set_i(value);
}

// The nodes of f(x); returns the tensor holding f(x).
std::string write_activation(GraphWriter& graph, const Activation& activation, const std::string& x, const std::string& prefix) {
    auto unary = [&](const char* op) { return graph.apply(op, {x}, prefix); };
    switch (activation.kind()) {
        case ActivationKind::linear: return x;
        case ActivationKind::relu: return unary("Relu");
        case ActivationKind::sigmoid: return unary("Sigmoid");
        case ActivationKind::tanh: return unary("Tanh");
        case ActivationKind::softplus: return unary("Softplus");
        case ActivationKind::softsign: return unary("Softsign");
        case ActivationKind::exponential: return unary("Exp");
        case ActivationKind::leaky_relu: {
            auto& node = graph.node("LeakyRelu", {x}, prefix);
            set_attribute(node, "alpha", activation.alpha());
            return node.output(0);
        }
        case ActivationKind::elu: {
            auto& node = graph.node("Elu", {x}, prefix);
            set_attribute(node, "alpha", activation.alpha());
            return node.output(0);
        }
        case ActivationKind::selu: {
            auto& node = graph.node("Selu", {x}, prefix);
            set_attribute(node, "alpha", kSeluAlpha);
            set_attribute(node, "gamma", kSeluScale);
            return node.output(0);
        }
        // hard_sigmoid = clip(x/6 + ½, 0, 1)
        case ActivationKind::hard_sigmoid: {
            auto& node = graph.node("HardSigmoid", {x}, prefix);
            set_attribute(node, "alpha", 1.0 / 6.0);
            set_attribute(node, "beta", 0.5);
            return node.output(0);
        }
        case ActivationKind::softmax: {
            auto& node = graph.node("Softmax", {x}, prefix);
            set_attribute(node, "axis", std::int64_t{-1});
            return node.output(0);
        }
        // swish = x · sigmoid(x)
        case ActivationKind::swish: return graph.apply("Mul", {x, unary("Sigmoid")}, prefix);
        // relu6 = clip(x, 0, 6)
        case ActivationKind::relu6:
            return graph.apply("Clip", {x, graph.scalar(prefix + "/zero", 0.0), graph.scalar(prefix + "/six", 6.0)}, prefix);
        // mish = x · tanh(softplus(x))
        case ActivationKind::mish: return graph.apply("Mul", {x, graph.apply("Tanh", {unary("Softplus")}, prefix)}, prefix);
        // hard_silu = x · hard_sigmoid(x)
        case ActivationKind::hard_silu:
            return graph.apply("Mul", {x, write_activation(graph, activations::hard_sigmoid, x, prefix)}, prefix);
        case ActivationKind::log_softmax: {
            auto& node = graph.node("LogSoftmax", {x}, prefix);
            set_attribute(node, "axis", std::int64_t{-1});
            return node.output(0);
        }
        // relu_general = Where(x > threshold, Min(x, max_value), negative_slope·(x − threshold))
        case ActivationKind::relu_general: {
            const auto options = activation.relu_options();
            const auto threshold = graph.scalar(prefix + "/threshold", options.threshold);
            const auto above = graph.apply("Greater", {x, threshold}, prefix);
            const auto capped = std::isinf(options.max_value)
                                    ? x
                                    : graph.apply("Min", {x, graph.scalar(prefix + "/max_value", options.max_value)}, prefix);
            const auto shifted = graph.apply("Sub", {x, threshold}, prefix);
            const auto below = graph.apply("Mul", {shifted, graph.scalar(prefix + "/negative_slope", options.negative_slope)}, prefix);
            return graph.apply("Where", {above, capped, below}, prefix);
        }
        // gelu = x · ½(1 + erf(x / √2)); ONNX has no Gelu before opset 20.
        case ActivationKind::gelu: {
            const auto scaled = graph.apply("Div", {x, graph.scalar(prefix + "/sqrt2", std::numbers::sqrt2)}, prefix);
            const auto shifted = graph.apply("Add", {graph.apply("Erf", {scaled}, prefix), graph.scalar(prefix + "/one", 1.0)}, prefix);
            return graph.apply("Mul", {graph.apply("Mul", {x, shifted}, prefix), graph.scalar(prefix + "/half", 0.5)}, prefix);
        }
    }
    return x;
}

// Y = X·W + b, then the activation.
std::string write_dense(GraphWriter& graph, const Dense& dense, const std::string& x) {
    const auto weights = dense.get_weights();
    const std::string& name = dense.name();
    const auto kernel = graph.initializer(name + "/kernel", weights[0]);
    const auto z = dense.use_bias() ? graph.apply("Gemm", {x, kernel, graph.initializer(name + "/bias", weights[1])}, name)
                                    : graph.apply("MatMul", {x, kernel}, name);
    return write_activation(graph, dense.activation(), z, name);
}

std::string write_layer(GraphWriter& graph, const Layer<float>& layer, const std::string& x) {
    if (const auto* dense = dynamic_cast<const Dense*>(&layer)) return write_dense(graph, *dense, x);
    if (const auto* activation = dynamic_cast<const ActivationLayer*>(&layer))
        return write_activation(graph, activation->activation(), x, layer.name());
    if (dynamic_cast<const Dropout*>(&layer)) return x;  // the identity at inference
    throw UsageError("layer '" + layer.name() + "' (" + std::string(layer.type()) +
                     ") has no ONNX form in dense; ONNX export supports Dense, Activation and Dropout");
}

void set_rows_type(::onnx::ValueInfoProto& value, const std::string& name, std::size_t width) {
    value.set_name(name);
    auto& tensor = *value.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(::onnx::TensorProto::FLOAT);
    tensor.mutable_shape()->add_dim()->set_dim_param("batch");
    tensor.mutable_shape()->add_dim()->set_dim_value(static_cast<std::int64_t>(width));
}

// x' = (x − mean) / stddev, one mean and deviation per input column.
std::string write_standardisation(GraphWriter& graph, const SaveOptions& options, const std::string& x) {
    if (options.input_mean.empty() && options.input_stddev.empty()) return x;
    const std::size_t width = options.input_mean.size();
    const auto centred = graph.apply("Sub", {x, graph.initializer("standardisation/mean", Tensor<float>({width}, options.input_mean))},
                                     "standardisation");
    return graph.apply("Div", {centred, graph.initializer("standardisation/stddev", Tensor<float>({width}, options.input_stddev))},
                       "standardisation");
}

// The model's standardisation as x' = (x − mean) / stddev per network input; one-hot inputs of
// text columns pass through (mean 0, stddev 1).
void standardisation_of(const io::Preprocessing& preprocessing, SaveOptions& options) {
    for (const auto& feature : preprocessing.features) {
        const bool numeric = !feature.categorical();
        options.input_mean.insert(options.input_mean.end(), feature.width(), numeric ? static_cast<float>(feature.mean) : 0.0f);
        options.input_stddev.insert(options.input_stddev.end(), feature.width(), numeric ? static_cast<float>(feature.stddev) : 1.0f);
    }
}

void add_column_input(::onnx::GraphProto& graph, const std::string& name, ::onnx::TensorProto::DataType type) {
    auto& tensor = *graph.add_input()->mutable_type()->mutable_tensor_type();
    graph.mutable_input(graph.input_size() - 1)->set_name(name);
    tensor.set_elem_type(type);
    tensor.mutable_shape()->add_dim()->set_dim_param("batch");
    tensor.mutable_shape()->add_dim()->set_dim_value(1);
}

// One graph input per CSV column, named after it: numbers float [batch, 1]; text string
// [batch, 1], one-hot encoded by ai.onnx.ml's OneHotEncoder over the column's categories (a
// category not seen in training encodes as all zeros) and flattened to [batch, categories].
// Concatenated in column order they are the network's inputs before standardisation.
std::string write_columns(GraphWriter& writer, ::onnx::GraphProto& graph, const io::Preprocessing& preprocessing) {
    std::vector<std::string> parts;
    for (const auto& feature : preprocessing.features) {
        if (!feature.categorical()) {
            add_column_input(graph, feature.name, ::onnx::TensorProto::FLOAT);
            parts.push_back(feature.name);
            continue;
        }
        add_column_input(graph, feature.name, ::onnx::TensorProto::STRING);
        auto& encoder = writer.node("OneHotEncoder", {feature.name}, "one_hot");
        encoder.set_domain("ai.onnx.ml");
        auto& categories = *encoder.add_attribute();
        categories.set_name("cats_strings");
        categories.set_type(::onnx::AttributeProto::STRINGS);
        for (const auto& category : feature.categories) categories.add_strings(category);
        set_attribute(encoder, "zeros", std::int64_t{1});
        auto& flatten = writer.node("Flatten", {encoder.output(0)}, "one_hot");
        set_attribute(flatten, "axis", std::int64_t{1});
        parts.push_back(flatten.output(0));
    }
    auto& concat = writer.node("Concat", std::move(parts), "columns");
    set_attribute(concat, "axis", std::int64_t{1});
    return concat.output(0);
}

void add_metadata(::onnx::ModelProto& proto, const std::string& key, const std::string& value) {
    auto& entry = *proto.add_metadata_props();
    entry.set_key(key);
    entry.set_value(value);
}

void check_preprocessing(const SaveOptions& options, const Sequential& model) {
    if (!options.preprocessing) return;
    if (!options.input_mean.empty() || !options.input_stddev.empty())
        throw UsageError("ONNX export: give either preprocessing or input_mean/input_stddev, not both");
    if (options.preprocessing->input_width() != model.input_dim())
        throw UsageError("ONNX export: the preprocessing makes " + std::to_string(options.preprocessing->input_width()) +
                         " inputs, the model takes " + std::to_string(model.input_dim()));
    for (const auto& feature : options.preprocessing->features)
        if (feature.name == options.output_name)
            throw UsageError("ONNX export: column '" + feature.name + "' has the output's name; choose another output_name");
}

void check_standardisation(const SaveOptions& options, std::size_t inputs) {
    if (options.input_mean.empty() && options.input_stddev.empty()) return;
    if (options.input_mean.size() != inputs || options.input_stddev.size() != inputs)
        throw UsageError("ONNX export: input standardisation has " + std::to_string(options.input_mean.size()) + " means and " +
                         std::to_string(options.input_stddev.size()) + " deviations, the model has " + std::to_string(inputs) +
                         " inputs");
    for (float stddev : options.input_stddev)
        if (!(stddev > 0.0f)) throw UsageError("ONNX export: every input standard deviation must be positive");
}

void check_options(const SaveOptions& options) {
    if (options.opset < 13 || options.opset > 17)
        throw UsageError("ONNX opset " + std::to_string(options.opset) + " is not supported: use 13 to 17");
    if (options.ir_version < 7 || options.ir_version > 8)
        throw UsageError("ONNX IR version " + std::to_string(options.ir_version) + " is not supported: use 7 or 8");
    if (options.input_name.empty() || options.output_name.empty() || options.input_name == options.output_name)
        throw UsageError("ONNX input and output names must be non-empty and different");
}

}  // namespace

void save(const Sequential& model, const std::filesystem::path& path, const SaveOptions& given) {
    check_options(given);
    if (!model.built())
        throw UsageError("model '" + model.name() + "' is not built: build it (model.build(inputs)) or fit it before "
                         "saving it as ONNX");
    check_preprocessing(given, model);
    SaveOptions options = given;
    if (options.preprocessing) standardisation_of(*options.preprocessing, options);
    check_standardisation(options, model.input_dim());
    ::onnx::ModelProto proto;
    proto.set_ir_version(options.ir_version);
    proto.set_producer_name("dense");
    proto.set_producer_version("0.1.0");
    auto& opset = *proto.add_opset_import();
    opset.set_domain("");
    opset.set_version(options.opset);
    auto& graph = *proto.mutable_graph();
    graph.set_name(model.name());
    GraphWriter writer(graph);
    std::string current = options.input_name;
    if (options.preprocessing) {
        auto& ml = *proto.add_opset_import();
        ml.set_domain("ai.onnx.ml");
        ml.set_version(1);
        current = write_columns(writer, graph, *options.preprocessing);
    } else {
        set_rows_type(*graph.add_input(), options.input_name, model.input_dim());
    }
    set_rows_type(*graph.add_output(), options.output_name, model.output_dim());

    current = write_standardisation(writer, options, current);
    if (options.preprocessing) {
        add_metadata(proto, "dense.preprocessing", io::to_json(*options.preprocessing).dump());
        add_metadata(proto, "dense.network_input", current);
        if (!options.preprocessing->classes.empty())
            add_metadata(proto, "class_labels", nlohmann::json(options.preprocessing->classes).dump());
    }
    for (std::size_t i = 0; i < model.layer_count(); ++i) current = write_layer(writer, model.layer(i), current);
    writer.finish(current, options.output_name);

    std::string bytes;
    if (!proto.SerializeToString(&bytes)) throw Error(path.string() + ": could not serialize the ONNX model");
    io::write_file_atomically(path, std::as_bytes(std::span(bytes)));
}

}  // namespace dense::onnx
