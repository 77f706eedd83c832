// Layers, optimizers and losses from the Python package's dicts, and back (see specs.hpp).
#include "specs.hpp"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cmath>
#include <string>
#include <vector>

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

namespace dense::python {
namespace {

template <class V>
V value_or(const nb::dict& spec, const char* key, V fallback) {
    return spec.contains(key) && !spec[key].is_none() ? nb::cast<V>(spec[key]) : fallback;
}

// "relu", or "leaky_relu" with its "alpha" (the negative slope) when one is given; relu_general
// with its "max_value" (None: none) and "threshold" too.
Activation activation_from(const nb::dict& spec, const char* key) {
    const Activation named(value_or<std::string>(spec, key, "linear"));
    if (named.kind() == ActivationKind::relu_general)
        return Activation(ReluOptions{.max_value = value_or(spec, "max_value", ReluOptions{}.max_value),
                                      .negative_slope = value_or(spec, "alpha", 0.0),
                                      .threshold = value_or(spec, "threshold", 0.0)});
    return spec.contains("alpha") && !spec["alpha"].is_none() ? Activation(named.kind(), nb::cast<double>(spec["alpha"]))
                                                               : named;
}

// The activation's name and alpha, and relu_general's max_value (None: none) and threshold.
void put_activation(nb::dict& d, const Activation& activation) {
    d["activation"] = std::string(activation.name());
    d["alpha"] = activation.alpha();
    if (activation.kind() != ActivationKind::relu_general) return;
    const auto options = activation.relu_options();
    d["max_value"] = std::isinf(options.max_value) ? nb::none() : nb::cast(options.max_value);
    d["threshold"] = options.threshold;
}

// "glorot_uniform", or {"name": "random_normal", "a": mean, "b": stddev}.
Initializer initializer_from(nb::handle spec) {
    if (nb::isinstance<nb::str>(spec)) return Initializer(nb::cast<std::string>(spec));
    const nb::dict d = nb::cast<nb::dict>(spec);
    const Initializer named(nb::cast<std::string>(d["name"]));
    return Initializer(named.kind(), value_or(d, "a", named.a()), value_or(d, "b", named.b()));
}

Regularizer regularizer_from(const nb::dict& spec, const char* key) {
    if (!spec.contains(key) || spec[key].is_none()) return {};
    const nb::dict d = nb::cast<nb::dict>(spec[key]);
    return {value_or(d, "l1", 0.0), value_or(d, "l2", 0.0)};
}

nb::dict initializer_spec(const Initializer& i) {
    nb::dict d;
    d["name"] = std::string(i.name());
    d["a"] = i.a();
    d["b"] = i.b();
    return d;
}

nb::dict regularizer_spec(const Regularizer& r) {
    nb::dict d;
    d["l1"] = r.l1;
    d["l2"] = r.l2;
    return d;
}

// A number, or {"schedule": "exponential_decay" | "cosine_decay" | "piecewise_constant", ...} with
// Keras' argument names.
LearningRate learning_rate_from(nb::handle spec, double fallback) {
    if (!spec.is_valid() || spec.is_none()) return fallback;
    if (!nb::isinstance<nb::dict>(spec)) return nb::cast<double>(spec);
    const nb::dict d = nb::cast<nb::dict>(spec);
    const auto kind = nb::cast<std::string>(d["schedule"]);
    if (kind == "exponential_decay")
        return LearningRate::exponential_decay(nb::cast<double>(d["initial_learning_rate"]),
                                               nb::cast<double>(d["decay_steps"]), nb::cast<double>(d["decay_rate"]),
                                               value_or(d, "staircase", false));
    if (kind == "cosine_decay")
        return LearningRate::cosine_decay(nb::cast<double>(d["initial_learning_rate"]),
                                          nb::cast<double>(d["decay_steps"]), value_or(d, "alpha", 0.0));
    if (kind == "piecewise_constant")
        return LearningRate::piecewise_constant(nb::cast<std::vector<double>>(d["boundaries"]),
                                                nb::cast<std::vector<double>>(d["values"]));
    throw UsageError("unknown learning-rate schedule '" + kind +
                     "'; use exponential_decay, cosine_decay or piecewise_constant");
}

// The spec learning_rate_from reads, for a schedule; None for a constant rate.
nb::object learning_rate_spec(const LearningRate& lr) {
    using enum LearningRate::Kind;
    nb::dict d;
    switch (lr.kind()) {
        case constant:
            return nb::none();
        case exponential_decay:
            d["schedule"] = "exponential_decay";
            d["initial_learning_rate"] = lr.initial();
            d["decay_steps"] = lr.decay_steps();
            d["decay_rate"] = lr.decay_rate();
            d["staircase"] = lr.staircase();
            break;
        case cosine_decay:
            d["schedule"] = "cosine_decay";
            d["initial_learning_rate"] = lr.initial();
            d["decay_steps"] = lr.decay_steps();
            d["alpha"] = lr.alpha();
            break;
        case piecewise_constant:
            d["schedule"] = "piecewise_constant";
            d["boundaries"] = lr.boundaries();
            d["values"] = lr.values();
            break;
    }
    return d;
}

GradientClipping clipping_from(const nb::dict& spec) {
    return {value_or(spec, "clipnorm", 0.0), value_or(spec, "clipvalue", 0.0), value_or(spec, "global_clipnorm", 0.0)};
}

template <class T>
std::unique_ptr<Layer<T>> layer_of_type(const nb::dict& spec) {
    const auto type = nb::cast<std::string>(spec["type"]);
    const auto name = value_or<std::string>(spec, "name", "");
    if (type == "Dense") {
        const DenseOptions defaults;
        DenseOptions o{.input_dim = value_or<std::size_t>(spec, "input_dim", 0),
                       .activation = activation_from(spec, "activation"),
                       .use_bias = value_or(spec, "use_bias", true),
                       .kernel_initializer = spec.contains("kernel_initializer")
                                                 ? initializer_from(spec["kernel_initializer"])
                                                 : defaults.kernel_initializer,
                       .bias_initializer = spec.contains("bias_initializer") ? initializer_from(spec["bias_initializer"])
                                                                             : defaults.bias_initializer,
                       .kernel_regularizer = regularizer_from(spec, "kernel_regularizer"),
                       .bias_regularizer = regularizer_from(spec, "bias_regularizer"),
                       .name = name};
        return std::make_unique<BasicDense<T>>(nb::cast<std::size_t>(spec["units"]), o);
    }
    if (type == "Dropout") return std::make_unique<BasicDropout<T>>(nb::cast<double>(spec["rate"]), name);
    if (type == "Activation") return std::make_unique<BasicActivationLayer<T>>(activation_from(spec, "activation"), name);
    throw UsageError("unknown layer type '" + type + "'; dense has Dense, Dropout and Activation layers");
}

}  // namespace

template <class T>
std::unique_ptr<Layer<T>> layer_from(const nb::dict& spec) {
    auto layer = layer_of_type<T>(spec);
    layer->set_trainable(value_or(spec, "trainable", true));
    return layer;
}

template <class T>
nb::dict layer_spec(const Layer<T>& layer) {
    nb::dict d;
    d["type"] = std::string(layer.type());
    d["name"] = layer.name();
    d["trainable"] = layer.trainable();
    if (const auto* dense = dynamic_cast<const BasicDense<T>*>(&layer)) {
        const DenseOptions& o = dense->options();
        d["units"] = dense->units();
        put_activation(d, o.activation);
        d["use_bias"] = o.use_bias;
        d["input_dim"] = o.input_dim;
        d["kernel_initializer"] = initializer_spec(o.kernel_initializer);
        d["bias_initializer"] = initializer_spec(o.bias_initializer);
        d["kernel_regularizer"] = regularizer_spec(o.kernel_regularizer);
        d["bias_regularizer"] = regularizer_spec(o.bias_regularizer);
    } else if (const auto* dropout = dynamic_cast<const BasicDropout<T>*>(&layer)) {
        d["rate"] = dropout->rate();
    } else if (const auto* activation = dynamic_cast<const BasicActivationLayer<T>*>(&layer)) {
        put_activation(d, activation->activation());
    }
    return d;
}

template <class T>
std::unique_ptr<BasicOptimizer<T>> optimizer_from(const nb::dict& spec) {
    const auto name = nb::cast<std::string>(spec["name"]);
    // Keras' default learning rate of each optimizer, from get_optimizer.
    const double default_lr = get_optimizer<T>(name)->learning_rate();
    const LearningRate lr = learning_rate_from(spec.contains("learning_rate") ? spec["learning_rate"] : nb::handle(),
                                               default_lr);
    const GradientClipping clipping = clipping_from(spec);
    if (name == "adam") {
        const AdamOptions d;
        return std::make_unique<BasicAdam<T>>(
            lr, AdamOptions{value_or(spec, "beta_1", d.beta_1), value_or(spec, "beta_2", d.beta_2),
                            value_or(spec, "epsilon", d.epsilon), value_or(spec, "amsgrad", d.amsgrad), clipping});
    }
    if (name == "adamw") {
        const AdamWOptions d;
        return std::make_unique<BasicAdamW<T>>(
            lr, AdamWOptions{value_or(spec, "weight_decay", d.weight_decay), value_or(spec, "beta_1", d.beta_1),
                             value_or(spec, "beta_2", d.beta_2), value_or(spec, "epsilon", d.epsilon),
                             value_or(spec, "amsgrad", d.amsgrad), clipping});
    }
    if (name == "sgd") {
        const SGDOptions d;
        return std::make_unique<BasicSGD<T>>(
            lr, SGDOptions{value_or(spec, "momentum", d.momentum), value_or(spec, "nesterov", d.nesterov), clipping});
    }
    if (name == "rmsprop") {
        const RMSpropOptions d;
        return std::make_unique<BasicRMSprop<T>>(
            lr, RMSpropOptions{value_or(spec, "rho", d.rho), value_or(spec, "momentum", d.momentum),
                               value_or(spec, "epsilon", d.epsilon), value_or(spec, "centered", d.centered), clipping});
    }
    if (name == "adagrad") {
        const AdagradOptions d;
        return std::make_unique<BasicAdagrad<T>>(
            lr, AdagradOptions{value_or(spec, "initial_accumulator_value", d.initial_accumulator_value),
                               value_or(spec, "epsilon", d.epsilon), clipping});
    }
    const NadamOptions d;  // get_optimizer above has thrown for any other name
    return std::make_unique<BasicNadam<T>>(lr, NadamOptions{value_or(spec, "beta_1", d.beta_1), value_or(spec, "beta_2", d.beta_2),
                                                            value_or(spec, "epsilon", d.epsilon), clipping});
}

template <class T>
nb::dict optimizer_spec(const BasicOptimizer<T>& optimizer) {
    nb::dict d;
    d["name"] = std::string(optimizer.name());
    d["learning_rate"] = optimizer.learning_rate();  // of the next step
    d["learning_rate_schedule"] = learning_rate_spec(optimizer.learning_rate_schedule());
    const GradientClipping& c = optimizer.clipping();
    d["clipnorm"] = c.clipnorm;
    d["clipvalue"] = c.clipvalue;
    d["global_clipnorm"] = c.global_clipnorm;
    if (const auto* adamw = dynamic_cast<const BasicAdamW<T>*>(&optimizer)) d["weight_decay"] = adamw->weight_decay();
    if (const auto* adam = dynamic_cast<const BasicAdam<T>*>(&optimizer)) {
        const AdamOptions& o = adam->options();
        d["beta_1"] = o.beta_1;
        d["beta_2"] = o.beta_2;
        d["epsilon"] = o.epsilon;
        d["amsgrad"] = o.amsgrad;
    } else if (const auto* sgd = dynamic_cast<const BasicSGD<T>*>(&optimizer)) {
        d["momentum"] = sgd->options().momentum;
        d["nesterov"] = sgd->options().nesterov;
    } else if (const auto* rms = dynamic_cast<const BasicRMSprop<T>*>(&optimizer)) {
        d["rho"] = rms->options().rho;
        d["momentum"] = rms->options().momentum;
        d["epsilon"] = rms->options().epsilon;
        d["centered"] = rms->options().centered;
    } else if (const auto* adagrad = dynamic_cast<const BasicAdagrad<T>*>(&optimizer)) {
        d["initial_accumulator_value"] = adagrad->options().initial_accumulator_value;
        d["epsilon"] = adagrad->options().epsilon;
    } else if (const auto* nadam = dynamic_cast<const BasicNadam<T>*>(&optimizer)) {
        d["beta_1"] = nadam->options().beta_1;
        d["beta_2"] = nadam->options().beta_2;
        d["epsilon"] = nadam->options().epsilon;
    }
    return d;
}

Loss loss_from(const nb::dict& spec) {
    const Loss named(nb::cast<std::string>(spec["name"]));
    return Loss(named.kind(), value_or(spec, "from_logits", false), value_or(spec, "delta", 1.0));
}

nb::dict loss_spec(const Loss& loss) {
    nb::dict d;
    d["name"] = std::string(loss.name());
    d["from_logits"] = loss.from_logits();
    d["delta"] = loss.delta();
    return d;
}

template std::unique_ptr<Layer<float>> layer_from<float>(const nb::dict&);
template std::unique_ptr<Layer<double>> layer_from<double>(const nb::dict&);
template nb::dict layer_spec<float>(const Layer<float>&);
template nb::dict layer_spec<double>(const Layer<double>&);
template std::unique_ptr<BasicOptimizer<float>> optimizer_from<float>(const nb::dict&);
template std::unique_ptr<BasicOptimizer<double>> optimizer_from<double>(const nb::dict&);
template nb::dict optimizer_spec<float>(const BasicOptimizer<float>&);
template nb::dict optimizer_spec<double>(const BasicOptimizer<double>&);

}  // namespace dense::python
