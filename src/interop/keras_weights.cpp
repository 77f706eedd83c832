#include "interop/keras_weights.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <iterator>

#include "dense/error.hpp"

namespace dense::interop {

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

}  // namespace

// Keras' to_snake_case: drop \W+; "_" before a capital that starts a lowercase run and follows a
// character ("(.)([A-Z][a-z]+)" → "\1_\2"), or that follows a lowercase letter ("([a-z])([A-Z])");
// then lowercase. The first rule's matches cannot overlap, but a capital it skips for that follows
// a lowercase letter, which the second rule catches: so one pass over each position does both.
std::string keras_snake_case(const std::string& class_name) {
    std::string word;
    std::copy_if(class_name.begin(), class_name.end(), std::back_inserter(word), is_word);
    std::string name;
    for (std::size_t i = 0; i < word.size(); ++i) {
        const bool starts_run = i > 0 && is_upper(word[i]) && i + 1 < word.size() && is_lower(word[i + 1]);
        const bool after_lower = i > 0 && is_upper(word[i]) && is_lower(word[i - 1]);
        if (starts_run || after_lower) name += '_';
        name += static_cast<char>(std::tolower(static_cast<unsigned char>(word[i])));
    }
    return name;
}

std::vector<std::string> keras_weight_groups(const std::vector<std::string>& layer_classes) {
    std::map<std::string, int> used;
    std::vector<std::string> groups;
    for (const auto& class_name : layer_classes) {
        const std::string base = keras_snake_case(class_name);
        const auto [it, first] = used.try_emplace(base, 0);
        groups.push_back("layers/" + (first ? base : base + "_" + std::to_string(++it->second)));
    }
    return groups;
}

std::vector<LayerWeights> read_keras3_weights(const Hdf5File& file, const std::vector<std::string>& layer_classes) {
    std::vector<LayerWeights> weights;
    for (const auto& group : keras_weight_groups(layer_classes)) {
        const std::string vars = group + "/vars";
        LayerWeights layer;
        // Keras leaves out the group of a layer without weights in some versions.
        const std::size_t count = file.has(vars) ? file.children(vars).size() : 0;
        for (std::size_t i = 0; i < count; ++i) layer.push_back(file.read_dataset(vars + "/" + std::to_string(i)));
        weights.push_back(std::move(layer));
    }
    return weights;
}

std::vector<LayerWeights> read_legacy_weights(const Hdf5File& file, const std::vector<std::string>& layer_names) {
    const std::string root = file.has("model_weights") ? "model_weights/" : "";
    std::vector<LayerWeights> weights;
    for (const auto& name : layer_names) {
        const std::string group = root + name;
        LayerWeights layer;
        if (file.has(group) && file.has_attribute(group, "weight_names"))
            for (const auto& weight : file.read_strings(group, "weight_names"))
                layer.push_back(file.read_dataset(group + "/" + weight));
        weights.push_back(std::move(layer));
    }
    return weights;
}

void write_keras3_weights(Hdf5File& file, const KerasExport& exported, const std::string& model_name) {
    const auto groups = keras_weight_groups(exported.layer_classes);
    for (std::size_t k = 0; k < groups.size(); ++k) {
        const std::string vars = groups[k] + "/vars";
        file.create_group(vars);
        file.write_string(vars, "name", exported.layer_names[k]);
        for (std::size_t i = 0; i < exported.layer_weights[k].size(); ++i)
            file.write_dataset(vars + "/" + std::to_string(i), exported.layer_weights[k][i]);
    }
    file.create_group("vars");
    file.write_string("vars", "name", model_name);
}

namespace {

// The row count of the first kernel, which is the model's input width.
std::size_t first_kernel_rows(const std::vector<LayerWeights>& weights) {
    for (const auto& layer : weights)
        if (!layer.empty() && layer.front().shape.size() == 2) return layer.front().shape[0];
    return 0;
}

}  // namespace

void assign_weights(Sequential& model, std::size_t input_dim, const std::vector<LayerWeights>& weights,
                    const std::string& file) {
    if (weights.size() != model.layer_count())
        throw DataError(file + ": weights for " + std::to_string(weights.size()) + " layers, but the model has " +
                        std::to_string(model.layer_count()));
    if (input_dim == 0) input_dim = first_kernel_rows(weights);
    if (input_dim == 0) throw DataError(file + ": neither an input shape nor a kernel tells the model's input width");
    if (!model.built()) model.build(input_dim);
    for (std::size_t i = 0; i < weights.size(); ++i) {
        auto& layer = model.layer(i);
        const auto expected = layer.get_weights().size();
        if (weights[i].size() != expected)
            throw DataError(file + ": layer '" + layer.name() + "' (" + std::string(layer.type()) + ") has " +
                            std::to_string(weights[i].size()) + " weight arrays in the file, dense expects " +
                            std::to_string(expected) + "; was the file saved from this architecture?");
        if (expected == 0) continue;
        try {
            layer.set_weights(weights[i]);
        } catch (const DataError& error) {
            throw DataError(file + ": " + error.what());
        }
    }
}

}  // namespace dense::interop
