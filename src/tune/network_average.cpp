#include "dense/tune/network_average.hpp"

#include "dense/error.hpp"
#include "dense/layers/dense.hpp"

namespace dense::tune {

namespace {

const Dense& dense_layer(const Sequential& model, std::size_t index) {
    const auto* layer = dynamic_cast<const Dense*>(&model.layer(index));
    if (!layer)
        throw UsageError("average_networks: layer " + std::to_string(index) + " of '" + model.name() + "' is a " +
                         std::string(model.layer(index).type()) + "; only networks of Dense layers can be averaged");
    return *layer;
}

void check_members(const std::vector<Sequential>& members) {
    if (members.empty()) throw UsageError("average_networks: give at least one network");
    const Sequential& first = members.front();
    for (const auto& member : members) {
        if (!member.built() || member.layer_count() != first.layer_count() || member.input_dim() != first.input_dim() ||
            member.output_dim() != first.output_dim())
            throw UsageError("average_networks: the networks must be built, with the same layer count, inputs and "
                             "outputs; '" + member.name() + "' differs from '" + first.name() + "'");
        for (std::size_t i = 0; i < first.layer_count(); ++i) {
            const auto& a = dense_layer(first, i);
            const auto& b = dense_layer(member, i);
            if (a.activation().kind() != b.activation().kind() || a.use_bias() != b.use_bias())
                throw UsageError("average_networks: layer " + std::to_string(i) + " differs in activation or bias");
            const auto kind = a.activation().kind();
            if (i + 1 < first.layer_count() && (kind == ActivationKind::softmax || kind == ActivationKind::log_softmax))
                throw UsageError("average_networks: hidden layer " + std::to_string(i) +
                                 " has a softmax, which mixes units; side by side it would mix the members'");
        }
    }
}

// Where member m's units of layer `index` start among the merged layer's: offsets[m], with the
// total at offsets[K].
std::vector<std::size_t> unit_offsets(const std::vector<Sequential>& members, std::size_t index) {
    std::vector<std::size_t> offsets{0};
    for (const auto& member : members) offsets.push_back(offsets.back() + dense_layer(member, index).units());
    return offsets;
}

// The merged kernel and bias of layer `index`: see the header for the formulas.
std::vector<Tensor<float>> merged_weights(const std::vector<Sequential>& members, std::size_t index) {
    const std::size_t layers = members.front().layer_count(), count = members.size();
    const bool first = index == 0, last = index + 1 == layers;
    const float share = 1.0f / static_cast<float>(count);
    const auto out_offsets = last ? std::vector<std::size_t>(count + 1, 0) : unit_offsets(members, index);
    const auto in_offsets = first ? std::vector<std::size_t>(count + 1, 0) : unit_offsets(members, index - 1);
    const std::size_t inputs = first ? members.front().input_dim() : in_offsets.back();
    const std::size_t units = last ? members.front().output_dim() : out_offsets.back();
    const bool bias = dense_layer(members.front(), index).use_bias();
    std::vector<Tensor<float>> weights{Tensor<float>({inputs, units})};
    if (bias) weights.emplace_back(std::vector<std::size_t>{units});
    for (std::size_t m = 0; m < count; ++m) {
        const auto& layer = dense_layer(members[m], index);
        const Matrix<float>& kernel = layer.kernel();
        const float scale = last ? share : 1.0f;  // the last layer averages; the others place side by side
        for (std::size_t r = 0; r < kernel.rows(); ++r)
            for (std::size_t c = 0; c < kernel.cols(); ++c)
                weights[0].values[(in_offsets[m] + r) * units + out_offsets[m] + c] += scale * kernel(r, c);
        if (bias)
            for (std::size_t c = 0; c < layer.units(); ++c) weights[1].values[out_offsets[m] + c] += scale * layer.bias()[c];
    }
    return weights;
}

}  // namespace

Sequential average_networks(const std::vector<Sequential>& members) {
    check_members(members);
    const Sequential& first = members.front();
    if (members.size() == 1) return first;  // itself, its optimizer's state included
    const std::string name = "average_of_" + std::to_string(members.size()) + "_networks";
    Sequential merged(SequentialOptions{name, first.seed()});
    std::vector<std::vector<Tensor<float>>> weights;
    for (std::size_t i = 0; i < first.layer_count(); ++i) {
        weights.push_back(merged_weights(members, i));
        DenseOptions options = dense_layer(first, i).options();
        options.input_dim = i == 0 ? first.input_dim() : 0;
        merged.add(Dense(weights.back()[0].shape[1], options));
    }
    for (std::size_t i = 0; i < weights.size(); ++i) merged.layer(i).set_weights(weights[i]);
    if (first.compiled()) {
        auto optimizer = first.optimizer().clone();
        optimizer->reset();  // the members' slots belong to their own weights
        merged.compile(*optimizer, first.loss(), first.metrics());
    }
    return merged;
}

std::string averaged_name(const std::string& name, std::size_t members, const Sequential& merged) {
    if (members <= 1) return name;
    if (merged.layer_count() == 1) return name + " averaged over " + std::to_string(members) + " seeds";
    std::string widths;
    for (std::size_t i = 0; i + 1 < merged.layer_count(); ++i)
        widths += (widths.empty() ? "" : " → ") + std::to_string(merged.layer(i).output_dim());
    return std::to_string(members) + " × " + name + " averaged into one network of " + widths + " units";
}

}  // namespace dense::tune
