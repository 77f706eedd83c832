#include "dense/interop/keras.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <utility>

#include "dense/error.hpp"
#include "dense/interop/file_extension.hpp"
#include "dense/io/model_file.hpp"
#include "interop/carried_preprocessing.hpp"
#include "interop/hdf5_file.hpp"
#include "interop/image_loaders.hpp"
#include "interop/input_affine.hpp"
#include "interop/keras_config.hpp"
#include "interop/keras_weights.hpp"
#include "interop/zip_archive.hpp"

namespace dense::keras {

namespace {

using nlohmann::json;
using namespace dense::interop;

constexpr const char* kConfigEntry = "config.json";
constexpr const char* kMetadataEntry = "metadata.json";
constexpr const char* kWeightsEntry = "model.weights.h5";
constexpr const char* kPreprocessingKey = "dense_preprocessing";

json parse_json(const std::string& text, const std::string& where) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& error) {
        throw DataError(where + ": not valid JSON (" + error.what() + ")");
    }
}

// Runs `read`, a reading of Keras' JSON, with nlohmann's type errors (a name that is a number, a
// list where an object belongs) turned into a DataError naming the file.
template <class Read>
auto with_json_errors(const std::string& file, Read read) {
    try {
        return read();
    } catch (const json::exception& error) {
        throw DataError(file + ": the Keras configuration holds a value of an unexpected type (" + error.what() +
                        "); save the model again from Keras");
    }
}

// "3.15.1" → 3; a file that does not say is taken as Keras 2's.
int major_version(const std::string& version) { return version.empty() || version[0] < '3' ? 2 : 3; }

std::vector<std::string> layer_classes(const KerasArchitecture& architecture) {
    std::vector<std::string> classes;
    for (const auto& layer : architecture.layers) classes.push_back(layer.value("class_name", std::string()));
    return classes;
}

std::vector<std::string> layer_names(const KerasArchitecture& architecture) {
    std::vector<std::string> names;
    for (const auto& layer : architecture.layers)
        names.push_back(layer.value("config", json::object()).value("name", std::string()));
    return names;
}

const std::string& entry(const std::map<std::string, std::string>& entries, const char* name, const std::string& file) {
    const auto it = entries.find(name);
    if (it == entries.end())
        throw DataError(file + ": the archive has no " + name + "; a .keras file from Keras 3 holds config.json, "
                                                                "metadata.json and model.weights.h5");
    return it->second;
}

// Keras' Normalization: x' = (x − mean) / max(√variance, ε), with Keras' backend ε = 1e-7.
InputAffine affine_of(const KerasNormalization& normalization) {
    constexpr double kKerasEpsilon = 1e-7;
    InputAffine affine{{}, {}};
    for (std::size_t i = 0; i < normalization.mean.size(); ++i) {
        const double v = normalization.variance[normalization.variance.size() == 1 ? 0 : i];
        const double scale = std::max(std::sqrt(v), kKerasEpsilon);
        affine.a.push_back(1.0 / scale);
        affine.b.push_back(-normalization.mean[i] / scale);
    }
    return affine;
}

// A leading Normalization taken into the first Dense layer's weights (which gains a bias).
void fold_normalization(KerasArchitecture& architecture, std::vector<LayerWeights>& weights, const std::string& file) {
    if (!architecture.normalization) return;
    json& first = architecture.layers.front();
    if (first.value("class_name", std::string()) != "Dense" || weights.empty() || weights.front().empty())
        throw DataError(file + ": the Normalization layer must be followed by a Dense layer, into whose weights dense folds it");
    auto& dense = weights.front();
    std::optional<Tensor<float>> bias;
    if (dense.size() > 1) bias = dense[1];
    if (dense[0].shape.size() != 2) throw DataError(file + ": the first Dense layer's kernel is not 2-D");
    fold_input_affine(affine_of(*architecture.normalization), dense[0], bias, file + ": Normalization");
    dense = {dense[0], *bias};
    first["config"]["use_bias"] = true;
    architecture.normalization.reset();
}

const json& config_of(const json& layer) {
    static const json empty = json::object();
    const auto it = layer.find("config");
    return it != layer.end() && it->is_object() ? *it : empty;
}

// BatchNormalization in inference after a linear Dense, folded into it:
//   γ·(x·W + b − μ)/√(σ² + ε) + β = x·W' + b'  with  s = γ/√(σ² + ε),  W'[:, j] = W[:, j]·s[j],
//   b'[j] = (b[j] − μ[j])·s[j] + β[j].
// Keras keeps γ (when scale), β (when center), then the moving mean μ and variance σ².
void fold_batch_normalization(const json& layer, const LayerWeights& state, json& dense, LayerWeights& weights,
                              const std::string& where) {
    const json& config = config_of(layer);
    if (!is_feature_axis(config.value("axis", json(-1))) || config.value("renorm", false))
        throw DataError(where + ": dense folds a BatchNormalization over the features' axis (-1, or 1) without renorm only");
    const bool scale = config.value("scale", true), center = config.value("center", true);
    const std::size_t expected = 2 + (scale ? 1 : 0) + (center ? 1 : 0);
    if (weights.empty() || weights[0].shape.size() != 2) throw DataError(where + ": the Dense layer before it has no 2-D kernel");
    const std::size_t units = weights[0].shape[1];
    if (state.size() != expected) throw DataError(where + ": expected " + std::to_string(expected) + " weights");
    for (const auto& tensor : state)
        if (tensor.size() != units) throw DataError(where + ": its weights do not have one number per unit of the Dense before it");
    const double epsilon = config.value("epsilon", 1e-3);
    const auto& mean = state[expected - 2].values;
    const auto& variance = state[expected - 1].values;
    if (weights.size() < 2) weights.push_back(Tensor<float>({units}, std::vector<float>(units, 0.0f)));
    auto& kernel = weights[0].values;
    auto& bias = weights[1].values;
    for (std::size_t j = 0; j < units; ++j) {
        const double gamma = scale ? state[0].values[j] : 1.0, beta = center ? state[scale ? 1 : 0].values[j] : 0.0;
        const double s = gamma / std::sqrt(static_cast<double>(variance[j]) + epsilon);
        for (std::size_t i = j; i < kernel.size(); i += units) kernel[i] = static_cast<float>(kernel[i] * s);
        bias[j] = static_cast<float>((bias[j] - mean[j]) * s + beta);
    }
    dense["config"]["use_bias"] = true;
}

// Every BatchNormalization folded into the linear Dense layer before it; one note each.
void fold_batch_normalizations(KerasArchitecture& architecture, std::vector<LayerWeights>& weights, const std::string& file,
                               std::vector<std::string>& notes) {
    for (std::size_t k = 0; k < architecture.layers.size(); ++k) {
        const json& layer = architecture.layers[k];
        if (layer.value("class_name", std::string()) != "BatchNormalization") continue;
        const std::string name = config_of(layer).value("name", std::string("?"));
        const std::string where = file + ": BatchNormalization '" + name + "'";
        json* dense = k > 0 ? &architecture.layers[k - 1] : nullptr;
        if (!dense || dense->value("class_name", std::string()) != "Dense" || config_of(*dense).value("activation", json("linear")) != "linear")
            throw DataError(where + ": dense folds a BatchNormalization only into a Dense layer right before it with a linear "
                                    "activation (put the activation after the BatchNormalization)");
        fold_batch_normalization(layer, weights[k], *dense, weights[k - 1], where);
        notes.push_back("BatchNormalization '" + name + "' folded into Dense '" + config_of(*dense).value("name", std::string("?")) +
                        "' (its inference form; dense does not train it)");
        architecture.layers.erase(architecture.layers.begin() + static_cast<std::ptrdiff_t>(k));
        weights.erase(weights.begin() + static_cast<std::ptrdiff_t>(k));
        --k;
    }
}

// An adapted Normalization keeps its mean and variance as weights (vars 0 and 1, then count).
std::vector<LayerWeights> read_archive_weights(const Hdf5File& file, KerasArchitecture& architecture) {
    auto classes = layer_classes(architecture);
    const bool adapted = architecture.normalization && architecture.normalization->mean.empty();
    if (adapted) classes.insert(classes.begin(), "Normalization");
    auto weights = read_keras3_weights(file, classes);
    if (!adapted) return weights;
    const auto& state = weights.front();
    if (state.size() < 2 || state[0].size() != state[1].size())
        throw DataError(file.description() + ": the Normalization layer has no mean and variance of one size");
    architecture.normalization = KerasNormalization{{state[0].values.begin(), state[0].values.end()},
                                                    {state[1].values.begin(), state[1].values.end()}};
    weights.erase(weights.begin());
    return weights;
}

// The model of a Keras 3 architecture whose weights are in `weights_file` (the archive's own, or a
// .weights.h5 saved from it), the layers dense folds on import taking their values from it.
LoadedModel read_keras3_model(KerasArchitecture architecture, const json& metadata, int keras_major,
                              const Hdf5File& weights_file, const std::string& file) {
    auto weights = read_archive_weights(weights_file, architecture);
    std::vector<std::string> notes;
    fold_batch_normalizations(architecture, weights, file, notes);
    std::optional<io::Preprocessing> preprocessing;
    if (metadata.is_object() && metadata.contains(kPreprocessingKey))
        preprocessing = carried_preprocessing(metadata[kPreprocessingKey], file + "!" + kMetadataEntry + " '" + kPreprocessingKey + "'");
    if (preprocessing && !architecture.normalization)
        throw DataError(file + ": metadata.json carries a preprocessing but the model has no Normalization layer for it");
    // dense's own Normalization is the preprocessing's standardisation; any other is folded.
    if (preprocessing)
        architecture.normalization.reset();
    else
        fold_normalization(architecture, weights, file);
    Sequential model = build_keras_model(architecture, file, keras_major);
    assign_weights(model, architecture.input_dim, weights, weights_file.description());
    return {std::move(model), std::move(preprocessing), std::move(notes)};
}

// config.json and metadata.json of a .keras archive, and the Keras version that wrote them.
struct ArchiveConfig {
    json config, metadata;
    int keras_major;
};

ArchiveConfig archive_config(const std::map<std::string, std::string>& entries, const std::string& file) {
    json config = parse_json(entry(entries, kConfigEntry, file), file + "!" + kConfigEntry);
    const auto metadata_entry = entries.find(kMetadataEntry);
    json metadata = metadata_entry == entries.end() ? json::object()
                                                    : parse_json(metadata_entry->second, file + "!" + kMetadataEntry);
    const int keras_major = major_version(metadata.is_object() ? metadata.value("keras_version", std::string("3")) : "3");
    return {std::move(config), std::move(metadata), keras_major};
}

// `weights`: a .weights.h5 file saved from the archive's model, read instead of the archive's own.
LoadedModel read_keras_entries(const std::map<std::string, std::string>& entries, const std::string& file,
                               const Hdf5File* weights) {
    const auto archive = archive_config(entries, file);
    auto architecture = parse_keras_architecture(archive.config, file);
    if (weights) return read_keras3_model(std::move(architecture), archive.metadata, archive.keras_major, *weights, file);
    const auto own = Hdf5File::open_image(entry(entries, kWeightsEntry, file), file + "!" + kWeightsEntry);
    return read_keras3_model(std::move(architecture), archive.metadata, archive.keras_major, own, file);
}

LoadedModel load_keras_entries(const std::map<std::string, std::string>& entries, const std::string& file,
                               const Hdf5File* weights = nullptr) {
    return with_json_errors(file, [&] { return read_keras_entries(entries, file, weights); });
}

// A legacy .h5 file's architecture (its model_config attribute) and the Keras version that wrote it.
std::pair<KerasArchitecture, int> legacy_architecture(const Hdf5File& file) {
    const std::string& path = file.description();
    if (!file.has_attribute("", "model_config"))
        throw DataError(path + ": no model_config attribute, so no architecture: this is not a whole-model "
                                        "Keras .h5 (for a .weights.h5 use load_weights with the model, or dense convert "
                                        "--architecture)");
    const json config = parse_json(file.read_string("", "model_config"), path + "@model_config");
    const int keras_major =
        major_version(file.has_attribute("", "keras_version") ? file.read_string("", "keras_version") : std::string());
    return {parse_keras_architecture(config, path), keras_major};
}

LoadedModel read_legacy_h5(const Hdf5File& file) {
    const std::string& path = file.description();
    auto [architecture, keras_major] = legacy_architecture(file);
    if (architecture.normalization && architecture.normalization->mean.empty())
        throw DataError(path + ": an adapted Normalization layer in a legacy .h5 is not supported; save the model as .keras");
    auto weights = read_legacy_weights(file, layer_names(architecture));
    std::vector<std::string> notes;
    fold_batch_normalizations(architecture, weights, path, notes);
    fold_normalization(architecture, weights, path);
    Sequential model = build_keras_model(architecture, path, keras_major);
    assign_weights(model, architecture.input_dim, weights, path);
    return {std::move(model), std::nullopt, std::move(notes)};
}

LoadedModel load_legacy_h5(const Hdf5File& file) {
    return with_json_errors(file.description(), [&] { return read_legacy_h5(file); });
}

// Weights of a layer `model` has no counterpart for (a Keras model's Normalization or
// BatchNormalization, which import folds into a Dense layer) would be dropped without a word.
void require_every_layer_read(const Hdf5File& file, const std::vector<std::string>& read, const Sequential& model) {
    if (!file.has("layers")) return;
    for (const auto& child : file.children("layers")) {
        const std::string group = "layers/" + child;
        if (std::ranges::find(read, group) != read.end() || !file.has(group + "/vars") || file.children(group + "/vars").empty())
            continue;
        throw DataError(file.description() + ": holds the weights of a layer '" + child + "' that model '" + model.name() +
                        "' has no layer for, so it was saved from another architecture; for a Keras model that "
                        "has a Normalization or BatchNormalization, load the weights with its .keras or .h5 file "
                        "(keras::load_with_preprocessing(architecture, weights); CLI: dense convert WEIGHTS OUT "
                        "--architecture MODEL.keras)");
    }
}

// Keras' layers for `model`'s weights, each Keras layer's weights handed to the dense layer it came from.
void load_keras3_weights(Sequential& model, const Hdf5File& file) {
    const auto exported = keras_config_of(model);
    require_every_layer_read(file, keras_weight_groups(exported.layer_classes), model);
    const auto read = read_keras3_weights(file, exported.layer_classes);
    std::vector<LayerWeights> weights(model.layer_count());
    for (std::size_t k = 0; k < read.size(); ++k)
        for (const auto& tensor : read[k]) weights[exported.layer_sources[k]].push_back(tensor);
    assign_weights(model, model.input_dim(), weights, file.description());
}

std::string weights_image(const KerasExport& exported, const std::string& model_name, const std::string& description) {
    auto file = Hdf5File::create_in_memory(description);
    write_keras3_weights(file, exported, model_name);
    return file.image();
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    io::write_file_atomically(path, std::as_bytes(std::span(bytes)));
}

std::string metadata_json(const std::optional<io::Preprocessing>& preprocessing) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d@%H:%M:%S", &utc);
    // Keras reads only the version; this is the format dense writes, that of Keras 3.
    json metadata{{"keras_version", "3.0.0"}, {"date_saved", date}, {"producer", "dense"}};
    if (preprocessing) {
        if (!preprocessing->classes.empty()) metadata["class_labels"] = preprocessing->classes;
        metadata[kPreprocessingKey] = io::to_json(*preprocessing);
    }
    return metadata.dump();
}

// The preprocessing's standardisation per network input; one-hot inputs pass (mean 0, variance 1).
KerasNormalization normalization_of(const io::Preprocessing& preprocessing) {
    KerasNormalization normalization;
    for (const auto& feature : preprocessing.features) {
        const bool numeric = !feature.categorical();
        normalization.mean.insert(normalization.mean.end(), feature.width(), numeric ? feature.mean : 0.0);
        normalization.variance.insert(normalization.variance.end(), feature.width(), numeric ? feature.stddev * feature.stddev : 1.0);
    }
    return normalization;
}

}  // namespace

LoadedModel load_with_preprocessing(const std::filesystem::path& path) {
    if (has_extension(path, ".weights.h5")) return {load_model(path), std::nullopt};  // refused, with advice
    if (has_extension(path, ".h5") || has_extension(path, ".hdf5")) return load_legacy_h5(Hdf5File::open(path));
    if (!has_extension(path, ".keras")) return {load_model(path), std::nullopt};
    return as_dense_model(load_keras_entries(read_zip(path), path.string()), path.string());
}

LoadedModel load_with_preprocessing(const std::filesystem::path& architecture, const std::filesystem::path& weights) {
    const std::string file = architecture.string();
    if (has_extension(architecture, ".weights.h5") ||
        !(has_extension(architecture, ".keras") || has_extension(architecture, ".h5") || has_extension(architecture, ".hdf5")))
        throw UsageError(file + ": not a Keras model file; the architecture of " + weights.string() + " is a .keras or .h5 file");
    const auto weights_file = Hdf5File::open(weights);
    if (has_extension(architecture, ".keras"))
        return as_dense_model(load_keras_entries(read_zip(architecture), file, &weights_file), file);
    const auto legacy = Hdf5File::open(architecture);
    return with_json_errors(file, [&] {
        auto [parsed, keras_major] = legacy_architecture(legacy);
        return read_keras3_model(std::move(parsed), json::object(), keras_major, weights_file, file);
    });
}

Sequential load_model(const std::filesystem::path& path) {
    if (has_extension(path, ".keras")) return load_keras_entries(read_zip(path), path.string()).model;
    if (has_extension(path, ".weights.h5"))
        throw UsageError(path.string() + " holds weights only: load it with dense::keras::load_weights into a model "
                                         "of its architecture (CLI: dense convert --architecture MODEL)");
    if (has_extension(path, ".h5") || has_extension(path, ".hdf5")) return load_legacy_h5(Hdf5File::open(path)).model;
    throw UsageError(path.string() + ": not a Keras model file; expected .keras or .h5");
}

void load_weights(Sequential& model, const std::filesystem::path& path) {
    if (!model.built())  // a first layer declaring input_dim builds the model as it is added
        throw UsageError("model '" + model.name() + "' is not built: build it (model.build(inputs)) before loading " +
                         path.string() + " into it");
    if (has_extension(path, ".keras")) {
        const auto entries = read_zip(path);
        return load_keras3_weights(model, Hdf5File::open_image(entry(entries, kWeightsEntry, path.string()),
                                                               path.string() + "!" + kWeightsEntry));
    }
    load_keras3_weights(model, Hdf5File::open(path));
}

void save_model(const Sequential& model, const std::filesystem::path& path, const SaveOptions& options) {
    if (options.preprocessing && options.preprocessing->input_width() != model.input_dim())
        throw UsageError("Keras export: the preprocessing makes " + std::to_string(options.preprocessing->input_width()) +
                         " inputs, the model takes " + std::to_string(model.input_dim()));
    const auto exported = keras_config_of(
        model, options.preprocessing ? std::optional(normalization_of(*options.preprocessing)) : std::nullopt);
    const std::string weights = weights_image(exported, model.name(), path.string() + "!" + kWeightsEntry);
    write_bytes(path, make_zip({{kMetadataEntry, metadata_json(options.preprocessing)},
                                          {kConfigEntry, exported.config.dump()},
                                          {kWeightsEntry, weights}}));
}

void save_weights(const Sequential& model, const std::filesystem::path& path) {
    write_bytes(path, weights_image(keras_config_of(model), model.name(), path.string()));
}

Sequential load_archive_image(std::string_view bytes, const std::string& description) {
    return load_keras_entries(read_zip_image(bytes, description), description).model;
}

Sequential load_legacy_h5_image(std::string_view bytes, const std::string& description) {
    return load_legacy_h5(Hdf5File::open_image(bytes, description)).model;
}

}  // namespace dense::keras
