// Folding a target scale into the last Dense layer (see output_scaling.hpp).
#include "dense/interop/output_scaling.hpp"

#include <string>

#include "dense/error.hpp"
#include "dense/layers/dense.hpp"

namespace dense::interop {

Sequential with_output_scaling(const Sequential& model, std::span<const double> mean, std::span<const double> stddev) {
    const auto* last = model.layer_count() ? dynamic_cast<const Dense*>(&model.layer(model.layer_count() - 1)) : nullptr;
    if (!last || last->activation().kind() != ActivationKind::linear || !last->use_bias())
        throw UsageError("the model predicts standardised targets, and only a last Dense layer with a linear activation "
                         "and a bias can take their scale; this model's last layer cannot, so it cannot be exported");
    if (mean.size() != last->output_dim() || stddev.size() != last->output_dim())
        throw UsageError("the target scale has " + std::to_string(mean.size()) + " values for " +
                         std::to_string(last->output_dim()) + " outputs");
    Sequential scaled = model;
    Layer<float>& layer = scaled.layer(scaled.layer_count() - 1);
    auto weights = layer.get_weights();  // kernel [inputs, units], bias [units]
    const std::size_t units = last->output_dim();
    for (std::size_t i = 0; i < weights[0].values.size(); ++i)
        weights[0].values[i] = static_cast<float>(double(weights[0].values[i]) * stddev[i % units]);  // W' = W·s
    for (std::size_t u = 0; u < units; ++u)
        weights[1].values[u] = static_cast<float>(double(weights[1].values[u]) * stddev[u] + mean[u]);  // b' = b·s + m
    layer.set_weights(weights);
    return scaled;
}

namespace {

// The (mean, stddev) of y = y'·stddev + mean for each target, or of its inverse.
Sequential rescaled(const Sequential& model, const io::Preprocessing& preprocessing, bool inverse) {
    if (preprocessing.target_scaling.empty()) return model;
    std::vector<double> mean, stddev;
    for (const auto& scale : preprocessing.target_scaling) {
        mean.push_back(inverse ? -scale.mean / scale.stddev : scale.mean);
        stddev.push_back(inverse ? 1.0 / scale.stddev : scale.stddev);
    }
    return with_output_scaling(model, mean, stddev);
}

}  // namespace

Sequential in_target_units(const Sequential& model, const io::Preprocessing& preprocessing) {
    return rescaled(model, preprocessing, false);
}

Sequential in_standardised_targets(const Sequential& model, const io::Preprocessing& preprocessing) {
    return rescaled(model, preprocessing, true);
}

}  // namespace dense::interop
