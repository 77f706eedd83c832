#include "plot/network_view.hpp"

#include "dense/error.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "dense/layers/dropout.hpp"

namespace dense::plot {
namespace {

template <class T>
LayerView view_of_layer(const Layer<T>& layer) {
    LayerView view{.name = layer.name(), .type = std::string(layer.type()), .inputs = layer.input_dim(),
                   .units = layer.output_dim()};
    if (const auto* dense = dynamic_cast<const BasicDense<T>*>(&layer)) {
        view.activation = dense->activation();
        view.kernel.assign(dense->kernel().values().begin(), dense->kernel().values().end());
        if (dense->use_bias()) view.bias.assign(dense->bias().begin(), dense->bias().end());
    } else if (const auto* activation = dynamic_cast<const BasicActivationLayer<T>*>(&layer)) {
        view.activation = activation->activation();
    } else if (const auto* dropout = dynamic_cast<const BasicDropout<T>*>(&layer)) {
        view.dropout_rate = dropout->rate();
    }
    return view;
}

}  // namespace

template <class T>
NetworkView view_of(const BasicSequential<T>& model) {
    if (!model.built())
        throw UsageError("dense::plot: model '" + model.name() +
                         "' is not built, so it has no weights to draw; call model.build(input_dim) or fit it first");
    NetworkView view{.name = model.name(), .summary = model.summary(), .input_dim = model.input_dim()};
    for (std::size_t i = 0; i < model.layer_count(); ++i) view.layers.push_back(view_of_layer(model.layer(i)));
    return view;
}

template NetworkView view_of(const BasicSequential<float>&);
template NetworkView view_of(const BasicSequential<double>&);

}  // namespace dense::plot
