// dense layers → the Keras 3 config that keras.saving.load_model deserializes.
#include <algorithm>
#include <cmath>
#include <set>

#include "dense/error.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "dense/layers/dropout.hpp"
#include "interop/keras_config.hpp"
#include "io/model_file_schema.hpp"

namespace dense::interop {

namespace {

using nlohmann::json;

json shape_of_rows(std::size_t width) { return json::array({nullptr, width}); }

json keras_object(std::string_view module, std::string_view class_name, json config) {
    return {{"module", module}, {"class_name", class_name}, {"config", std::move(config)}, {"registered_name", nullptr}};
}

json initializer_config(const Initializer& initializer) {
    switch (initializer.kind()) {
        case InitializerKind::glorot_uniform: return keras_object("keras.initializers", "GlorotUniform", {{"seed", nullptr}});
        case InitializerKind::glorot_normal: return keras_object("keras.initializers", "GlorotNormal", {{"seed", nullptr}});
        case InitializerKind::he_uniform: return keras_object("keras.initializers", "HeUniform", {{"seed", nullptr}});
        case InitializerKind::he_normal: return keras_object("keras.initializers", "HeNormal", {{"seed", nullptr}});
        case InitializerKind::lecun_uniform: return keras_object("keras.initializers", "LecunUniform", {{"seed", nullptr}});
        case InitializerKind::lecun_normal: return keras_object("keras.initializers", "LecunNormal", {{"seed", nullptr}});
        case InitializerKind::zeros: return keras_object("keras.initializers", "Zeros", json::object());
        case InitializerKind::ones: return keras_object("keras.initializers", "Ones", json::object());
        case InitializerKind::constant: return keras_object("keras.initializers", "Constant", {{"value", initializer.a()}});
        case InitializerKind::random_uniform:
            return keras_object("keras.initializers", "RandomUniform",
                                {{"minval", initializer.a()}, {"maxval", initializer.b()}, {"seed", nullptr}});
        case InitializerKind::random_normal:
            return keras_object("keras.initializers", "RandomNormal",
                                {{"mean", initializer.a()}, {"stddev", initializer.b()}, {"seed", nullptr}});
        case InitializerKind::truncated_normal:
            return keras_object("keras.initializers", "TruncatedNormal",
                                {{"mean", initializer.a()}, {"stddev", initializer.b()}, {"seed", nullptr}});
    }
    return nullptr;
}

json regularizer_config(const Regularizer& regularizer) {
    if (!regularizer.active()) return nullptr;
    return keras_object("keras.regularizers", "L1L2", {{"l1", regularizer.l1}, {"l2", regularizer.l2}});
}

// Keras' string for an activation, or "" when only a layer can carry its options.
std::string keras_activation_name(const Activation& activation) {
    const auto kind = activation.kind();
    if ((kind == ActivationKind::leaky_relu || kind == ActivationKind::elu) &&
        activation.alpha() != Activation::default_alpha(kind))
        return {};
    if (kind == ActivationKind::relu_general) return {};
    if (kind == ActivationKind::swish) return "silu";
    return std::string(activation.name());
}

// Keras' class for each of dense's optimizers (the same equations and defaults).
std::string keras_optimizer_class(std::string_view name) {
    if (name == "sgd") return "SGD";
    if (name == "adam") return "Adam";
    if (name == "adamw") return "AdamW";
    if (name == "nadam") return "Nadam";
    if (name == "rmsprop") return "RMSprop";
    return "Adagrad";
}

// A constant learning rate as a number, a schedule as Keras serialises its own.
json keras_learning_rate(const LearningRate& lr) {
    const json j = io::detail::learning_rate_json(lr);
    if (!j.is_object()) return j;
    return keras_object("keras.optimizers.schedules", j.at("class_name").get<std::string>(), j.at("config"));
}

// What model.compile() was given, as Keras' compile_from_config reads it: the loss, the metrics
// and the optimizer with its learning rate or schedule (a .keras file holds no optimizer step, so
// Keras starts a schedule from its beginning). Null for a model never compiled.
json compile_config(const Sequential& model) {
    if (!model.compiled()) return nullptr;
    const auto& optimizer = model.optimizer();
    const json optimizer_config = {{"name", optimizer.name()},
                                   {"learning_rate", keras_learning_rate(optimizer.learning_rate_schedule())}};
    return {{"optimizer", keras_object("keras.optimizers", keras_optimizer_class(optimizer.name()), optimizer_config)},
            {"loss", model.loss().name()},
            {"loss_weights", nullptr},
            {"metrics", model.metrics()},
            {"weighted_metrics", nullptr},
            {"run_eagerly", false},
            {"steps_per_execution", 1},
            {"jit_compile", false}};
}

std::string without_slashes(std::string name) {
    std::ranges::replace(name, '/', '_');
    return name;
}

class KerasWriter {
public:
    KerasWriter(const Sequential& model, const std::optional<KerasNormalization>& normalization)
        : model_(model), normalization_(normalization) {}

    KerasExport write() {
        if (!model_.built())
            throw UsageError("model '" + model_.name() + "' is not built: build it (model.build(inputs)) or fit it "
                             "before saving it for Keras");
        json input_config = {{"batch_shape", shape_of_rows(model_.input_dim())},
                             {"dtype", "float32"},
                             {"sparse", false},
                             {"name", keras_name("input_layer")}};
        layers_.push_back(keras_object("keras.layers", "InputLayer", std::move(input_config)));
        width_ = model_.input_dim();
        if (normalization_) add_normalization(*normalization_);
        for (source_ = 0; source_ < model_.layer_count(); ++source_) add(model_.layer(source_));
        json config = {{"name", without_slashes(model_.name())},
                       {"trainable", true},
                       {"dtype", "float32"},
                       {"layers", std::move(layers_)},
                       {"build_input_shape", shape_of_rows(model_.input_dim())}};
        out_.config = keras_object("keras", "Sequential", std::move(config));
        out_.config["build_config"] = {{"input_shape", shape_of_rows(model_.input_dim())}};
        out_.config["compile_config"] = compile_config(model_);
        return std::move(out_);
    }

private:
    void add(const Layer<float>& layer) {
        if (const auto* dense = dynamic_cast<const Dense*>(&layer)) return add_dense(*dense);
        if (const auto* activation = dynamic_cast<const ActivationLayer*>(&layer))
            return add_activation(activation->activation(), layer.name());
        if (const auto* dropout = dynamic_cast<const Dropout*>(&layer))
            return add_layer("Dropout", layer.name(), {{"rate", dropout->rate()}, {"seed", nullptr}, {"noise_shape", nullptr}}, {});
        throw UsageError("layer '" + layer.name() + "' (" + std::string(layer.type()) +
                         ") has no Keras equivalent that dense can write; Keras export supports Dense, Activation and Dropout");
    }

    // Its mean and variance live in its config, so it has no weights in model.weights.h5.
    void add_normalization(const KerasNormalization& normalization) {
        json config = {{"name", keras_name("standardisation")}, {"trainable", true}, {"dtype", "float32"},
                       {"axis", json::array({-1})}, {"invert", false},           {"mean", normalization.mean},
                       {"variance", normalization.variance}};
        json layer = keras_object("keras.layers", "Normalization", std::move(config));
        layer["build_config"] = {{"input_shape", shape_of_rows(width_)}};
        layers_.push_back(std::move(layer));
    }

    void add_dense(const Dense& dense) {
        const std::string activation = keras_activation_name(dense.activation());
        const auto& options = dense.options();
        json config = {{"units", dense.units()},
                       {"activation", activation.empty() ? "linear" : activation},
                       {"use_bias", dense.use_bias()},
                       {"kernel_initializer", initializer_config(options.kernel_initializer)},
                       {"bias_initializer", initializer_config(options.bias_initializer)},
                       {"kernel_regularizer", regularizer_config(options.kernel_regularizer)},
                       {"bias_regularizer", regularizer_config(options.bias_regularizer)},
                       {"activity_regularizer", nullptr},
                       {"kernel_constraint", nullptr},
                       {"bias_constraint", nullptr}};
        add_layer("Dense", dense.name(), std::move(config), dense.get_weights());
        width_ = dense.units();
        if (activation.empty()) add_activation(dense.activation(), dense.name() + "_activation");
    }

    void add_activation(const Activation& activation, const std::string& name) {
        const std::string keras_name = keras_activation_name(activation);
        if (!keras_name.empty()) return add_layer("Activation", name, {{"activation", keras_name}}, {});
        if (activation.kind() == ActivationKind::leaky_relu)
            return add_layer("LeakyReLU", name, {{"negative_slope", activation.alpha()}}, {});
        if (activation.kind() == ActivationKind::relu_general) {
            const auto options = activation.relu_options();
            const json max_value = std::isinf(options.max_value) ? json() : json(options.max_value);
            return add_layer("ReLU", name,
                             {{"max_value", max_value}, {"negative_slope", options.negative_slope}, {"threshold", options.threshold}}, {});
        }
        add_layer("ELU", name, {{"alpha", activation.alpha()}}, {});
    }

    // `name` as Keras takes it: without '/' (its scope separator, which it refuses in a name), and
    // unique among the model's layers (export adds an InputLayer, a Normalization and activation
    // layers of its own, whose names may be taken): "a/b" is "a_b", a second "x" is "x_1".
    std::string keras_name(const std::string& name) {
        const std::string base = without_slashes(name);
        std::string unique = base;
        for (int n = 1; !used_names_.insert(unique).second; ++n) unique = base + "_" + std::to_string(n);
        return unique;
    }

    void add_layer(const std::string& class_name, const std::string& dense_name, json config, std::vector<Tensor<float>> weights) {
        const std::string name = keras_name(dense_name);
        config["name"] = name;
        config["trainable"] = model_.layer(source_).trainable();
        config["dtype"] = "float32";
        json layer = keras_object("keras.layers", class_name, std::move(config));
        layer["build_config"] = {{"input_shape", shape_of_rows(width_)}};
        layers_.push_back(std::move(layer));
        out_.layer_classes.push_back(class_name);
        out_.layer_names.push_back(name);
        out_.layer_weights.push_back(std::move(weights));
        out_.layer_sources.push_back(source_);
    }

    const Sequential& model_;
    const std::optional<KerasNormalization>& normalization_;
    json layers_ = json::array();
    std::set<std::string> used_names_;
    std::size_t width_ = 0;
    std::size_t source_ = 0;
    KerasExport out_;
};

}  // namespace

KerasExport keras_config_of(const Sequential& model, const std::optional<KerasNormalization>& normalization) {
    return KerasWriter(model, normalization).write();
}

}  // namespace dense::interop
