#include "dense/interop/keras.hpp"

#include <ctime>

#include "dense/error.hpp"
#include "dense/io/model_file.hpp"
#include "interop/hdf5_file.hpp"
#include "interop/image_loaders.hpp"
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

bool ends_with(const std::filesystem::path& path, std::string_view suffix) { return path.string().ends_with(suffix); }

json parse_json(const std::string& text, const std::string& where) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& error) {
        throw DataError(where + ": not valid JSON (" + error.what() + ")");
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

Sequential load_keras_entries(const std::map<std::string, std::string>& entries, const std::string& file) {
    const json config = parse_json(entry(entries, kConfigEntry, file), file + "!" + kConfigEntry);
    const auto metadata = entries.find(kMetadataEntry);
    const int keras_major = metadata == entries.end()
                                ? 3
                                : major_version(parse_json(metadata->second, file + "!" + kMetadataEntry)
                                                    .value("keras_version", std::string("3")));
    const auto architecture = parse_keras_architecture(config, file);
    Sequential model = build_keras_model(architecture, file, keras_major);
    const auto weights_file = Hdf5File::open_image(entry(entries, kWeightsEntry, file), file + "!" + kWeightsEntry);
    assign_weights(model, architecture.input_dim, read_keras3_weights(weights_file, layer_classes(architecture)),
                   weights_file.description());
    return model;
}

Sequential load_legacy_h5(const Hdf5File& file) {
    const std::string& path = file.description();
    if (!file.has_attribute("", "model_config"))
        throw DataError(path + ": no model_config attribute, so no architecture: this is not a whole-model "
                                        "Keras .h5 (for a .weights.h5 use load_weights with the model, or dense convert "
                                        "--architecture)");
    const json config = parse_json(file.read_string("", "model_config"), path + "@model_config");
    const int keras_major =
        major_version(file.has_attribute("", "keras_version") ? file.read_string("", "keras_version") : std::string());
    const auto architecture = parse_keras_architecture(config, path);
    Sequential model = build_keras_model(architecture, path, keras_major);
    assign_weights(model, architecture.input_dim, read_legacy_weights(file, layer_names(architecture)), path);
    return model;
}

// Keras' layers for `model`'s weights, each Keras layer's weights handed to the dense layer it came from.
void load_keras3_weights(Sequential& model, const Hdf5File& file) {
    const auto exported = keras_config_of(model);
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

std::string metadata_json() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d@%H:%M:%S", &utc);
    // Keras reads only the version; this is the format dense writes, that of Keras 3.
    return json{{"keras_version", "3.0.0"}, {"date_saved", date}, {"producer", "dense"}}.dump();
}

}  // namespace

Sequential load_model(const std::filesystem::path& path) {
    if (ends_with(path, ".keras")) return load_keras_entries(read_zip(path), path.string());
    if (ends_with(path, ".weights.h5"))
        throw UsageError(path.string() + " holds weights only: load it with dense::keras::load_weights into a model "
                                         "of its architecture (CLI: dense convert --architecture MODEL)");
    if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) return load_legacy_h5(Hdf5File::open(path));
    throw UsageError(path.string() + ": not a Keras model file; expected .keras or .h5");
}

void load_weights(Sequential& model, const std::filesystem::path& path) {
    if (!model.built()) {
        const auto declared = model.layer_count() ? model.layer(0).declared_input_dim() : 0;
        if (declared == 0)
            throw UsageError("model '" + model.name() + "' is not built: build it (model.build(inputs)) before loading " +
                             path.string() + " into it");
        model.build(declared);
    }
    if (ends_with(path, ".keras")) {
        const auto entries = read_zip(path);
        return load_keras3_weights(model, Hdf5File::open_image(entry(entries, kWeightsEntry, path.string()),
                                                               path.string() + "!" + kWeightsEntry));
    }
    load_keras3_weights(model, Hdf5File::open(path));
}

void save_model(const Sequential& model, const std::filesystem::path& path) {
    const auto exported = keras_config_of(model);
    const std::string weights = weights_image(exported, model.name(), path.string() + "!" + kWeightsEntry);
    write_bytes(path, make_zip({{kMetadataEntry, metadata_json()},
                                          {kConfigEntry, exported.config.dump()},
                                          {kWeightsEntry, weights}}));
}

void save_weights(const Sequential& model, const std::filesystem::path& path) {
    write_bytes(path, weights_image(keras_config_of(model), model.name(), path.string()));
}

Sequential load_archive_image(std::string_view bytes, const std::string& description) {
    return load_keras_entries(read_zip_image(bytes, description), description);
}

Sequential load_legacy_h5_image(std::string_view bytes, const std::string& description) {
    return load_legacy_h5(Hdf5File::open_image(bytes, description));
}

}  // namespace dense::keras
