// The JSON of the parts of a model (see model_file_schema.hpp).
#include "model_file_schema.hpp"

#include <cmath>

#include "dense/error.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "dense/layers/dropout.hpp"
#include "dense/optimizers/adagrad.hpp"
#include "dense/optimizers/adam.hpp"
#include "dense/optimizers/adamw.hpp"
#include "dense/optimizers/get_optimizer.hpp"
#include "dense/optimizers/nadam.hpp"
#include "dense/optimizers/rmsprop.hpp"
#include "dense/optimizers/sgd.hpp"

namespace dense::io::detail {
namespace {

using nlohmann::json;

// {"name", "alpha"}, and relu_general's max_value (null: none) and threshold.
json activation_json(const Activation& a) {
    json j{{"name", a.name()}, {"alpha", a.alpha()}};
    if (a.kind() != ActivationKind::relu_general) return j;
    const auto options = a.relu_options();
    j["max_value"] = std::isinf(options.max_value) ? json() : json(options.max_value);
    j["threshold"] = options.threshold;
    return j;
}
Activation activation_from(const json& j) {
    const Activation named(j.at("name").get<std::string>());
    if (named.kind() != ActivationKind::relu_general) return Activation(named.kind(), j.at("alpha").get<double>());
    const json max_value = j.value("max_value", json());
    return Activation(ReluOptions{.max_value = max_value.is_null() ? ReluOptions{}.max_value : max_value.get<double>(),
                                  .negative_slope = j.at("alpha").get<double>(),
                                  .threshold = j.at("threshold").get<double>()});
}

json initializer_json(const Initializer& i) { return {{"name", i.name()}, {"a", i.a()}, {"b", i.b()}}; }
Initializer initializer_from(const json& j) {
    return Initializer(Initializer(j.at("name").get<std::string>()).kind(), j.at("a").get<double>(), j.at("b").get<double>());
}

json regularizer_json(const Regularizer& r) { return {{"l1", r.l1}, {"l2", r.l2}}; }
Regularizer regularizer_from(const json& j) { return {j.at("l1").get<double>(), j.at("l2").get<double>()}; }

json clipping_json(const GradientClipping& c) {
    return {{"clipnorm", c.clipnorm}, {"clipvalue", c.clipvalue}, {"global_clipnorm", c.global_clipnorm}};
}
GradientClipping clipping_from(const json& j) {
    if (j.is_null()) return {};
    return {j.value("clipnorm", 0.0), j.value("clipvalue", 0.0), j.value("global_clipnorm", 0.0)};
}

}  // namespace

template <class T>
json layer_json(const Layer<T>& layer) {
    json j{{"type", layer.type()}, {"name", layer.name()}};
    if (const auto* dense = dynamic_cast<const BasicDense<T>*>(&layer)) {
        const auto& o = dense->options();
        j["units"] = dense->units();
        j["input_dim"] = o.input_dim;
        j["activation"] = activation_json(o.activation);
        j["use_bias"] = o.use_bias;
        j["kernel_initializer"] = initializer_json(o.kernel_initializer);
        j["bias_initializer"] = initializer_json(o.bias_initializer);
        j["kernel_regularizer"] = regularizer_json(o.kernel_regularizer);
        j["bias_regularizer"] = regularizer_json(o.bias_regularizer);
    } else if (const auto* dropout = dynamic_cast<const BasicDropout<T>*>(&layer)) {
        j["rate"] = dropout->rate();
    } else if (const auto* activation = dynamic_cast<const BasicActivationLayer<T>*>(&layer)) {
        j["activation"] = activation_json(activation->activation());
    } else {
        throw UsageError("cannot save layer '" + layer.name() + "' of type " + std::string(layer.type()) +
                         ": model files hold Dense, Dropout and Activation layers");
    }
    if (!layer.trainable()) j["trainable"] = false;  // absent: trainable (format 3; older files never freeze)
    return j;
}

namespace {

template <class T>
std::unique_ptr<Layer<T>> layer_of_type(const json& j) {
    const auto type = j.at("type").get<std::string>();
    const auto name = j.at("name").get<std::string>();
    if (type == "Dense") {
        DenseOptions o{.input_dim = j.at("input_dim").get<std::size_t>(),
                       .activation = activation_from(j.at("activation")),
                       .use_bias = j.at("use_bias").get<bool>(),
                       .kernel_initializer = initializer_from(j.at("kernel_initializer")),
                       .bias_initializer = initializer_from(j.at("bias_initializer")),
                       .kernel_regularizer = regularizer_from(j.at("kernel_regularizer")),
                       .bias_regularizer = regularizer_from(j.at("bias_regularizer")),
                       .name = name};
        return std::make_unique<BasicDense<T>>(j.at("units").get<std::size_t>(), o);
    }
    if (type == "Dropout") return std::make_unique<BasicDropout<T>>(j.at("rate").get<double>(), name);
    if (type == "Activation") return std::make_unique<BasicActivationLayer<T>>(activation_from(j.at("activation")), name);
    throw DataError("unknown layer type '" + type + "' (this dense knows Dense, Dropout and Activation)");
}

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> layer_from(const json& j) {
    auto layer = layer_of_type<T>(j);
    layer->set_trainable(j.value("trainable", true));
    return layer;
}

json learning_rate_json(const LearningRate& lr) {
    using enum LearningRate::Kind;
    switch (lr.kind()) {
        case constant:
            return lr.initial();
        case exponential_decay:
            return {{"class_name", "ExponentialDecay"},
                    {"config", {{"initial_learning_rate", lr.initial()}, {"decay_steps", lr.decay_steps()},
                                {"decay_rate", lr.decay_rate()}, {"staircase", lr.staircase()}}}};
        case cosine_decay:
            return {{"class_name", "CosineDecay"},
                    {"config", {{"initial_learning_rate", lr.initial()}, {"decay_steps", lr.decay_steps()},
                                {"alpha", lr.alpha()}}}};
        case piecewise_constant:
            return {{"class_name", "PiecewiseConstantDecay"},
                    {"config", {{"boundaries", lr.boundaries()}, {"values", lr.values()}}}};
    }
    return lr.initial();
}

namespace {

// What learning_rate_json wrote (model_file_validation.cpp has checked its fields).
LearningRate learning_rate_from(const json& j) {
    if (j.is_number()) return LearningRate(j.get<double>());
    const auto name = j.at("class_name").get<std::string>();
    const auto& c = j.at("config");
    if (name == "ExponentialDecay")
        return LearningRate::exponential_decay(c.at("initial_learning_rate").get<double>(), c.at("decay_steps").get<double>(),
                                               c.at("decay_rate").get<double>(), c.at("staircase").get<bool>());
    if (name == "CosineDecay")
        return LearningRate::cosine_decay(c.at("initial_learning_rate").get<double>(), c.at("decay_steps").get<double>(),
                                          c.at("alpha").get<double>());
    if (name == "PiecewiseConstantDecay")
        return LearningRate::piecewise_constant(c.at("boundaries").get<std::vector<double>>(),
                                                c.at("values").get<std::vector<double>>());
    throw DataError("unknown learning-rate schedule '" + name +
                    "' (this dense knows ExponentialDecay, CosineDecay and PiecewiseConstantDecay)");
}

}  // namespace

template <class T>
json optimizer_json(const BasicOptimizer<T>& optimizer) {
    json j{{"name", optimizer.name()},
           {"learning_rate", learning_rate_json(optimizer.learning_rate_schedule())},
           {"clipping", clipping_json(optimizer.clipping())}};
    if (const auto* adamw = dynamic_cast<const BasicAdamW<T>*>(&optimizer)) j["weight_decay"] = adamw->weight_decay();
    if (const auto* adam = dynamic_cast<const BasicAdam<T>*>(&optimizer)) {
        const auto& o = adam->options();
        j.update({{"beta_1", o.beta_1}, {"beta_2", o.beta_2}, {"epsilon", o.epsilon}, {"amsgrad", o.amsgrad}});
    } else if (const auto* sgd = dynamic_cast<const BasicSGD<T>*>(&optimizer)) {
        j.update({{"momentum", sgd->options().momentum}, {"nesterov", sgd->options().nesterov}});
    } else if (const auto* rms = dynamic_cast<const BasicRMSprop<T>*>(&optimizer)) {
        const auto& o = rms->options();
        j.update({{"rho", o.rho}, {"momentum", o.momentum}, {"epsilon", o.epsilon}, {"centered", o.centered}});
    } else if (const auto* adagrad = dynamic_cast<const BasicAdagrad<T>*>(&optimizer)) {
        const auto& o = adagrad->options();
        j.update({{"initial_accumulator_value", o.initial_accumulator_value}, {"epsilon", o.epsilon}});
    } else if (const auto* nadam = dynamic_cast<const BasicNadam<T>*>(&optimizer)) {
        const auto& o = nadam->options();
        j.update({{"beta_1", o.beta_1}, {"beta_2", o.beta_2}, {"epsilon", o.epsilon}});
    }
    return j;
}

namespace {

// The optimizer `j` names, with its options and the learning rate `lr` (a rate or a schedule).
template <class T>
std::unique_ptr<BasicOptimizer<T>> optimizer_of_name(const json& j, const LearningRate& lr) {
    const auto name = j.at("name").get<std::string>();
    const auto clipping = clipping_from(j.value("clipping", json()));
    if (name == "adam") {
        const AdamOptions d;
        return std::make_unique<BasicAdam<T>>(lr, AdamOptions{j.value("beta_1", d.beta_1), j.value("beta_2", d.beta_2),
                                                              j.value("epsilon", d.epsilon), j.value("amsgrad", d.amsgrad),
                                                              clipping});
    }
    if (name == "adamw") {
        const AdamWOptions d;
        return std::make_unique<BasicAdamW<T>>(
            lr, AdamWOptions{j.value("weight_decay", d.weight_decay), j.value("beta_1", d.beta_1), j.value("beta_2", d.beta_2),
                             j.value("epsilon", d.epsilon), j.value("amsgrad", d.amsgrad), clipping});
    }
    if (name == "sgd")
        return std::make_unique<BasicSGD<T>>(lr, SGDOptions{j.value("momentum", 0.0), j.value("nesterov", false), clipping});
    if (name == "rmsprop") {
        const RMSpropOptions d;
        return std::make_unique<BasicRMSprop<T>>(lr, RMSpropOptions{j.value("rho", d.rho), j.value("momentum", d.momentum),
                                                                    j.value("epsilon", d.epsilon),
                                                                    j.value("centered", d.centered), clipping});
    }
    if (name == "adagrad") {
        const AdagradOptions d;
        return std::make_unique<BasicAdagrad<T>>(
            lr, AdagradOptions{j.value("initial_accumulator_value", d.initial_accumulator_value),
                               j.value("epsilon", d.epsilon), clipping});
    }
    if (name == "nadam") {
        const NadamOptions d;
        return std::make_unique<BasicNadam<T>>(lr, NadamOptions{j.value("beta_1", d.beta_1), j.value("beta_2", d.beta_2),
                                                                j.value("epsilon", d.epsilon), clipping});
    }
    throw UsageError("unknown optimizer '" + name + "'; use one of: " + std::string(known_optimizer_names()));
}

}  // namespace

template <class T>
std::unique_ptr<BasicOptimizer<T>> optimizer_from(const json& j) {
    return optimizer_of_name<T>(j, learning_rate_from(j.at("learning_rate")));
}

json loss_json(const Loss& loss) {
    return {{"name", loss.name()}, {"from_logits", loss.from_logits()}, {"delta", loss.delta()}};
}
Loss loss_from(const json& j) {
    return Loss(Loss(j.at("name").get<std::string>()).kind(), j.at("from_logits").get<bool>(), j.at("delta").get<double>());
}

json progress_json(const TrainingProgress& p) {
    json j = {{"epochs_done", p.epochs_done},           {"seed", p.seed},
              {"batch_size", p.batch_size},             {"validation_split", p.validation_split},
              {"validation", p.validation},             {"early_stopping", p.early_stopping},
              {"reduce_lr", p.reduce_lr},               {"training_rows", p.training_rows}};
    if (!p.member_epochs.empty()) j["member_epochs"] = p.member_epochs;  // one network: the file as before
    if (p.processes != 1) j["processes"] = p.processes;                 // one process: the file as before
    return j;
}
// Files before version 2 lack the last four: their runs split by the last rows, without early stopping.
TrainingProgress progress_from(const json& j) {
    return {j.at("epochs_done").get<int>(),          j.at("seed").get<std::uint64_t>(),
            j.at("batch_size").get<std::size_t>(),   j.at("validation_split").get<double>(),
            j.value("validation", "last_rows"),      j.value("early_stopping", 0),
            j.value("reduce_lr", 0),                 j.value("training_rows", std::size_t{0}),
            j.value("member_epochs", std::vector<int>{}),  j.value("processes", std::size_t{1})};
}

// A callback's numbers in the header; its tensors are blocks, declared here by their shapes.
json callback_json(const CallbackState& state) {
    json shapes = json::array();
    for (const auto& t : state.tensors) shapes.push_back(t.shape);
    return {{"callback", state.callback}, {"values", state.values}, {"tensors", shapes}};
}

template json layer_json<float>(const Layer<float>&);
template json layer_json<double>(const Layer<double>&);
template std::unique_ptr<Layer<float>> layer_from<float>(const json&);
template std::unique_ptr<Layer<double>> layer_from<double>(const json&);
template json optimizer_json<float>(const BasicOptimizer<float>&);
template json optimizer_json<double>(const BasicOptimizer<double>&);
template std::unique_ptr<BasicOptimizer<float>> optimizer_from<float>(const json&);
template std::unique_ptr<BasicOptimizer<double>> optimizer_from<double>(const json&);

}  // namespace dense::io::detail
