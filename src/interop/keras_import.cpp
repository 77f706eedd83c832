// Keras model configs → dense layers. Every option of a layer is either understood, or unset
// (null/false), or an error naming the option, the layer and the file.
#include <cmath>
#include <set>
#include <string_view>

#include "dense/error.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "dense/layers/dropout.hpp"
#include "interop/keras_config.hpp"

namespace dense::interop {

namespace {

using nlohmann::json;

constexpr std::string_view kSupportedLayers =
    "InputLayer, Normalization (first), Dense, Activation, Dropout, LeakyReLU, ELU, ReLU, Softmax";

class ConfigReader {
public:
    ConfigReader(json config, std::string where) : config_(std::move(config)), where_(std::move(where)) {
        if (!config_.is_object()) throw DataError(where_ + ": the layer's config is not a JSON object");
    }

    const std::string& where() const noexcept { return where_; }

    // The value of `key`, or nullptr when absent or null; the key counts as understood.
    const json* find(std::string_view key) {
        understood_.emplace(key);
        const auto it = config_.find(key);
        return it == config_.end() || it->is_null() ? nullptr : &*it;
    }

    template <class V>
    V value_or(std::string_view key, V fallback) {
        const json* value = find(key);
        if (!value) return fallback;
        try {
            return value->get<V>();
        } catch (const json::exception&) {
            fail(key, "has an unexpected value " + value->dump());
        }
    }

    // Options that do not change what the model computes (names, seeds, shapes checked elsewhere).
    void accept(std::initializer_list<std::string_view> keys) {
        for (auto key : keys) understood_.emplace(key);
    }

    [[noreturn]] void fail(std::string_view key, const std::string& problem) const {
        throw DataError(where_ + ": option '" + std::string(key) + "' " + problem);
    }

    // An option dense did not read must be unset: any other value would change the model.
    void require_all_understood() const {
        for (const auto& [key, value] : config_.items()) {
            if (understood_.contains(key) || value.is_null() || value == false) continue;
            fail(key, "= " + value.dump() + " is not supported by dense; remove it from the Keras model before saving");
        }
    }

private:
    json config_;
    std::string where_;
    std::set<std::string, std::less<>> understood_;
};

std::string class_of(const json& layer) {
    const auto it = layer.find("class_name");
    return it != layer.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string describe(const json& layer, const std::string& file) {
    const auto& config = layer.contains("config") ? layer["config"] : json::object();
    const std::string name = config.is_object() ? config.value("name", std::string("?")) : std::string("?");
    return "layer '" + name + "' (" + class_of(layer) + ") in " + file;
}

// Checks the options every layer has; returns Keras' trainable (a frozen layer stays frozen in dense).
bool check_common_options(ConfigReader& reader) {
    reader.accept({"name", "module", "registered_name"});
    const bool trainable = reader.value_or("trainable", true);
    if (const json* dtype = reader.find("dtype")) {
        const std::string name = dtype->is_string() ? dtype->get<std::string>()
                                                    : dtype->value("config", json::object()).value("name", std::string());
        if (name != "float32")
            reader.fail("dtype", "is '" + name + "': dense imports float32 models; cast the Keras model to float32 first");
    }
    return trainable;
}

// The feature count of a Keras input shape [null, features].
std::size_t input_width(const json& shape, const std::string& where) {
    if (!shape.is_array() || shape.size() != 2 || !shape[1].is_number_unsigned() || shape[1].get<std::size_t>() == 0)
        throw DataError(where + ": input shape " + shape.dump() +
                        " is not supported: dense takes rows of features, shape [null, features]");
    return shape[1].get<std::size_t>();
}

Activation activation_of(const json& value, ConfigReader& reader, std::string_view key, int keras_major);

// Keras' ReLU(max_value, negative_slope, threshold) as the simplest of dense's activations that
// computes it: relu, leaky_relu, relu6, or relu_general.
Activation relu_activation(const ReluOptions& options, const ConfigReader& reader) {
    const bool plain = options.threshold == 0.0 && std::isinf(options.max_value);
    if (plain && options.negative_slope == 0.0) return activations::relu;
    if (plain) return Activation(ActivationKind::leaky_relu, options.negative_slope);
    if (options.threshold == 0.0 && options.max_value == 6.0 && options.negative_slope == 0.0) return activations::relu6;
    try {
        return Activation(options);
    } catch (const UsageError& error) {
        throw DataError(reader.where() + ": " + error.what());
    }
}

// The activation computed by an activation layer (Activation, LeakyReLU, ELU, ReLU, Softmax).
Activation activation_of_layer(const std::string& class_name, ConfigReader& reader, int keras_major) {
    if (class_name == "Activation") {
        const json* activation = reader.find("activation");
        return activation ? activation_of(*activation, reader, "activation", keras_major) : Activation();
    }
    if (class_name == "LeakyReLU") {
        // Keras 3 calls the slope negative_slope, Keras 2 alpha; the layer's default is 0.3.
        const double slope = reader.value_or("negative_slope", reader.value_or("alpha", 0.3));
        return Activation(ActivationKind::leaky_relu, slope);
    }
    if (class_name == "ELU") return Activation(ActivationKind::elu, reader.value_or("alpha", 1.0));
    if (class_name == "Softmax") {
        const json* axis = reader.find("axis");
        if (axis && !is_feature_axis(*axis))
            reader.fail("axis", "= " + axis->dump() + ": dense applies softmax over the features' axis (-1, or 1) only");
        return activations::softmax;
    }
    if (class_name == "ReLU") {
        const json* max_value = reader.find("max_value");
        if (max_value && !max_value->is_number()) reader.fail("max_value", "has an unexpected value " + max_value->dump());
        return relu_activation({.max_value = max_value ? max_value->get<double>() : ReluOptions{}.max_value,
                                .negative_slope = reader.value_or("negative_slope", 0.0),
                                .threshold = reader.value_or("threshold", 0.0)},
                               reader);
    }
    throw DataError(reader.where() + ": not an activation layer");
}

Activation activation_of(const json& value, ConfigReader& reader, std::string_view key, int keras_major) {
    if (value.is_object()) {
        // An activation given as a layer (Dense(activation=LeakyReLU(0.1))) or, in some Keras
        // versions, a built-in function serialized as {"class_name": "function", "config": "relu"}.
        const std::string class_name = class_of(value);
        const json& config = value.contains("config") ? value["config"] : json::object();
        if (class_name == "function" && config.is_string()) return activation_of(config, reader, key, keras_major);
        ConfigReader inner(config, reader.where() + ", " + std::string(key) + " " + class_name);
        check_common_options(inner);
        const Activation activation = activation_of_layer(class_name, inner, keras_major);
        inner.require_all_understood();
        return activation;
    }
    if (!value.is_string()) reader.fail(key, "has an unexpected value " + value.dump());
    const std::string name = value.get<std::string>();
    if (keras_major < 3 && name == "hard_sigmoid")
        reader.fail(key, "is Keras 2's hard_sigmoid (0.2·x + 0.5), which differs from Keras 3's and dense's (x/6 + 0.5)");
    try {
        return Activation(name);
    } catch (const UsageError&) {
        reader.fail(key, "= '" + name + "' is not an activation dense has; it has " + std::string(Activation::known_names()));
    }
}

Initializer initializer_of(ConfigReader& reader, std::string_view key, const char* fallback) {
    const json* value = reader.find(key);
    if (!value) return Initializer(fallback);
    const std::string class_name = value->is_string() ? value->get<std::string>() : class_of(*value);
    const json config = value->is_object() ? value->value("config", json::object()) : json::object();
    struct Named {
        std::string_view keras;
        InitializerKind kind;
    };
    static constexpr Named kPlain[] = {
        {"GlorotUniform", InitializerKind::glorot_uniform}, {"GlorotNormal", InitializerKind::glorot_normal},
        {"HeUniform", InitializerKind::he_uniform},         {"HeNormal", InitializerKind::he_normal},
        {"LecunUniform", InitializerKind::lecun_uniform},   {"LecunNormal", InitializerKind::lecun_normal},
        {"Zeros", InitializerKind::zeros},                  {"Ones", InitializerKind::ones},
    };
    for (const auto& named : kPlain)
        if (named.keras == class_name) return Initializer(named.kind);
    if (class_name == "Constant") return initializers::constant(config.value("value", 0.0));
    if (class_name == "RandomUniform")
        return initializers::random_uniform(config.value("minval", -0.05), config.value("maxval", 0.05));
    if (class_name == "RandomNormal") return initializers::random_normal(config.value("mean", 0.0), config.value("stddev", 0.05));
    if (class_name == "TruncatedNormal")
        return initializers::truncated_normal(config.value("mean", 0.0), config.value("stddev", 0.05));
    try {
        return Initializer(class_name);  // a Keras 2 config may give the name: "glorot_uniform"
    } catch (const UsageError&) {
        reader.fail(key, "= " + value->dump() + " is not an initializer dense has; it has " +
                             std::string(Initializer::known_names()));
    }
}

Regularizer regularizer_of(ConfigReader& reader, std::string_view key) {
    const json* value = reader.find(key);
    if (!value) return {};
    const std::string class_name = class_of(*value);
    const json config = value->value("config", json::object());
    if (class_name == "L1L2" || class_name == "L1" || class_name == "L2")
        return {config.value("l1", 0.0), config.value("l2", 0.0)};
    reader.fail(key, "= " + value->dump() + " is not supported: dense has L1, L2 and L1L2 regularizers");
}

std::unique_ptr<Layer<float>> dense_layer(ConfigReader& reader, int keras_major) {
    const json* units = reader.find("units");
    if (!units || !units->is_number_unsigned() || units->get<std::size_t>() == 0)
        reader.fail("units", "must be a positive integer");
    DenseOptions options;
    if (const json* activation = reader.find("activation"))
        options.activation = activation_of(*activation, reader, "activation", keras_major);
    options.use_bias = reader.value_or("use_bias", true);
    options.kernel_initializer = initializer_of(reader, "kernel_initializer", "glorot_uniform");
    options.bias_initializer = initializer_of(reader, "bias_initializer", "zeros");
    options.kernel_regularizer = regularizer_of(reader, "kernel_regularizer");
    options.bias_regularizer = regularizer_of(reader, "bias_regularizer");
    options.name = reader.value_or("name", std::string());
    // Input shapes of the first layer (Keras 2) were read by parse_keras_architecture.
    reader.accept({"batch_input_shape", "batch_shape", "input_dim"});
    return std::make_unique<Dense>(units->get<std::size_t>(), options);
}

std::unique_ptr<Layer<float>> dense_layer_of(const json& layer, const std::string& file, int keras_major) {
    const std::string class_name = class_of(layer);
    ConfigReader reader(layer.contains("config") ? layer["config"] : json(), describe(layer, file));
    const bool trainable = check_common_options(reader);
    const std::string name = reader.value_or("name", std::string());
    std::unique_ptr<Layer<float>> result;
    if (class_name == "Dense") {
        result = dense_layer(reader, keras_major);
    } else if (class_name == "Dropout") {
        result = std::make_unique<Dropout>(reader.value_or("rate", 0.0), name);
        reader.accept({"seed"});
    } else if (class_name == "Activation" || class_name == "LeakyReLU" || class_name == "ELU" || class_name == "ReLU" ||
               class_name == "Softmax") {
        result = std::make_unique<ActivationLayer>(activation_of_layer(class_name, reader, keras_major), name);
    } else {
        throw DataError(reader.where() + ": layer type '" + class_name + "' is not supported; dense imports " +
                        std::string(kSupportedLayers));
    }
    reader.accept({"batch_input_shape", "batch_shape"});
    reader.require_all_understood();
    result->set_trainable(trainable);
    return result;
}

// The input width given by a Keras 2 first layer (batch_input_shape) or a build_config.
std::size_t declared_input_width(const json& model_config, const json& config, const json& first_layer, const std::string& file) {
    const json& first = first_layer.value("config", json::object());
    for (const char* key : {"batch_input_shape", "batch_shape"})
        if (first.contains(key) && !first[key].is_null()) return input_width(first[key], describe(first_layer, file));
    if (config.contains("build_input_shape") && !config["build_input_shape"].is_null())
        return input_width(config["build_input_shape"], file);
    const json build = model_config.value("build_config", json::object());
    if (build.contains("input_shape") && !build["input_shape"].is_null()) return input_width(build["input_shape"], file);
    return 0;
}

std::size_t input_layer_width(const json& layer, const std::string& file) {
    ConfigReader reader(layer.value("config", json::object()), describe(layer, file));
    check_common_options(reader);
    const json* shape = reader.find("batch_shape");
    if (!shape) shape = reader.find("batch_input_shape");
    if (!shape) throw DataError(reader.where() + ": the InputLayer has no batch_shape");
    const std::size_t width = input_width(*shape, reader.where());
    reader.require_all_understood();
    return width;
}

// A number or a list of numbers; empty when absent (an adapted layer keeps them in its weights).
std::vector<double> numbers_of(ConfigReader& reader, std::string_view key) {
    const json* value = reader.find(key);
    if (!value) return {};
    if (value->is_number()) return {value->get<double>()};
    std::vector<double> numbers;
    if (value->is_array())
        for (const auto& v : *value) {
            if (!v.is_number()) reader.fail(key, "holds " + v.dump() + ", not a number");
            numbers.push_back(v.get<double>());
        }
    if (numbers.empty()) reader.fail(key, "is " + value->dump() + ", expected a number or a list of numbers");
    return numbers;
}

// keras.layers.Normalization over the last axis, x' = (x − mean) / √variance.
KerasNormalization normalization_of(const json& layer, const std::string& file) {
    ConfigReader reader(layer.value("config", json::object()), describe(layer, file));
    check_common_options(reader);
    const json* axis = reader.find("axis");
    if (axis && !is_feature_axis(*axis))
        reader.fail("axis", "is " + axis->dump() + ": dense normalizes each feature, axis -1 (or 1)");
    if (reader.value_or("invert", false)) reader.fail("invert", "is true: dense reads a Normalization that standardises");
    KerasNormalization normalization{numbers_of(reader, "mean"), numbers_of(reader, "variance")};
    if (normalization.mean.empty() != normalization.variance.empty())
        reader.fail("mean", "and 'variance' must be given together");
    for (double v : normalization.variance)
        if (!(v >= 0.0) || !std::isfinite(v)) reader.fail("variance", "holds " + std::to_string(v) + "; variances are finite and not negative");
    for (double m : normalization.mean)
        if (!std::isfinite(m)) reader.fail("mean", "holds a number that is not finite");
    reader.accept({"batch_input_shape", "batch_shape"});
    reader.require_all_understood();
    return normalization;
}

// The one tensor a functional layer reads: the layer it comes from, or "" when the node is not
// a single plain call (several inputs, shared layers, extra arguments).
std::string single_source(const json& layer) {
    const json nodes = layer.value("inbound_nodes", json::array());
    if (!nodes.is_array() || nodes.size() != 1 || !nodes[0].is_object()) return {};
    const json args = nodes[0].value("args", json::array());
    const json kwargs = nodes[0].value("kwargs", json::object());
    for (const auto& [key, value] : kwargs.items())
        if (!value.is_null() && key != "training") return {};
    if (!args.is_array() || args.size() != 1 || !args[0].is_object() || class_of(args[0]) != "__keras_tensor__") return {};
    const json history = args[0].value("config", json::object()).value("keras_history", json());
    if (!history.is_array() || history.size() != 3 || !history[0].is_string() || history[1] != 0 || history[2] != 0) return {};
    return history[0].get<std::string>();
}

// "input_layers": ["x", 0, 0], [["x", 0, 0]] or, for a model called on a dict, {"x": ["x", 0, 0]}:
// the one layer named.
std::string single_endpoint(const json& config, const char* key) {
    json endpoint = config.value(key, json());
    if (endpoint.is_object() && endpoint.size() == 1) endpoint = endpoint.begin().value();
    if (endpoint.is_array() && endpoint.size() == 1 && endpoint[0].is_array()) endpoint = endpoint[0];
    if (!endpoint.is_array() || endpoint.size() != 3 || !endpoint[0].is_string()) return {};
    return endpoint[0].get<std::string>();
}

// A functional model dense reads as Sequential: its first layer is its one input, every other
// layer reads the one before it, and the last is its one output.
void check_straight_chain(const json& config, const std::string& file) {
    const json& layers = config["layers"];
    std::string previous;
    for (const json& layer : layers) {
        const std::string name = layer.is_object() ? layer.value("name", layer.value("config", json::object()).value("name", std::string())) : "";
        if (!previous.empty() && single_source(layer) != previous)
            throw DataError(describe(layer, file) + ": does not read the layer before it ('" + previous +
                            "') alone; dense imports functional models that are one chain of layers");
        previous = name;
    }
    if (layers.empty() || single_endpoint(config, "input_layers") != layers.front().value("name", std::string()) ||
        single_endpoint(config, "output_layers") != previous)
        throw DataError(file + ": the functional model does not run from its first layer (its one input) to its last "
                               "(its one output); dense imports functional models that are one chain of layers");
}

}  // namespace

bool is_feature_axis(const json& axis) {
    const json& one = axis.is_array() && axis.size() == 1 ? axis[0] : axis;
    return one.is_null() || one == -1 || one == 1;
}

KerasArchitecture parse_keras_architecture(const json& model_config, const std::string& file) {
    const std::string class_name = class_of(model_config);
    if (class_name != "Sequential" && class_name != "Functional" && class_name != "Model")
        throw DataError(file + ": the model is a Keras '" + class_name +
                        "'; dense imports Sequential models and functional models that are one chain of layers");
    const json& config = model_config.contains("config") ? model_config["config"] : json();
    if (!config.is_object() || !config.contains("layers") || !config["layers"].is_array())
        throw DataError(file + ": the " + class_name + " model's config has no list of layers");
    if (class_name != "Sequential") check_straight_chain(config, file);
    KerasArchitecture architecture;
    architecture.model_name = config.value("name", std::string("sequential"));
    for (const json& layer : config["layers"]) {
        if (!layer.is_object()) throw DataError(file + ": a layer of the model config is not a JSON object");
        if (class_of(layer) == "Normalization") {
            if (!architecture.layers.empty() || architecture.normalization)
                throw DataError(describe(layer, file) + ": dense reads a Normalization layer only as the model's first layer");
            architecture.normalization = normalization_of(layer, file);
        } else if (class_of(layer) != "InputLayer") {
            architecture.layers.push_back(layer);
        } else if (architecture.layers.empty() && !architecture.normalization && architecture.input_dim == 0) {
            architecture.input_dim = input_layer_width(layer, file);
        } else {
            throw DataError(describe(layer, file) + ": an InputLayer can only come first");
        }
    }
    if (architecture.layers.empty()) throw DataError(file + ": the model has no layers");
    if (architecture.input_dim == 0)
        architecture.input_dim = declared_input_width(model_config, config, architecture.layers.front(), file);
    return architecture;
}

Sequential build_keras_model(const KerasArchitecture& architecture, const std::string& file, int keras_major) {
    Sequential model(SequentialOptions{.name = architecture.model_name});
    for (const json& layer : architecture.layers) model.add(dense_layer_of(layer, file, keras_major));
    return model;
}

}  // namespace dense::interop
