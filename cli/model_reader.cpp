#include "model_reader.hpp"

#include <iostream>

#include "dense/error.hpp"
#include "dense/interop/file_extension.hpp"
#include "dense/interop/keras.hpp"
#include "dense/interop/onnx.hpp"
#include "dense/interop/output_scaling.hpp"

namespace dense::cli {
namespace {

using interop::has_extension;

bool keras_format(const std::string& path) {
    return has_extension(path, ".keras") || (has_extension(path, ".h5") && !has_extension(path, ".weights.h5")) ||
           has_extension(path, ".hdf5");
}

io::ModelFile with_preprocessing(interop::LoadedModel loaded, const std::string& command) {
    for (const auto& note : loaded.notes) std::cerr << "dense " << command << ": note: " << note << '\n';
    io::ModelFileExtras extras;
    extras.preprocessing = std::move(loaded.preprocessing);
    return {std::move(loaded.model), std::move(extras)};
}

}  // namespace

bool imported_format(const std::string& path) { return keras_format(path) || has_extension(path, ".onnx"); }

void require_dense_model_name(const std::string& path, const std::string& command) {
    if (!imported_format(path) && !has_extension(path, ".weights.h5")) return;
    const bool weights = has_extension(path, ".weights.h5");
    const auto stem = path.substr(0, weights ? path.size() - std::string_view(".weights.h5").size() : path.rfind('.'));
    const bool read_only = !weights && (has_extension(path, ".h5") || has_extension(path, ".hdf5"));  // legacy Keras
    throw UsageError("--out " + path + ": dense " + command + " writes a .dense model file (with its preprocessing), " +
                     "which no Keras or ONNX reader would take under that name; write " + stem +
                     ".dense, then: dense convert " + stem + ".dense " + (read_only ? stem + ".keras" : path));
}

void require_model_file_name(const std::string& path) {
    if (path == "-")
        throw UsageError("the model is read from a file, not from standard input ('-'); name the model file, e.g. "
                         "model.dense");
}

io::ModelFile read_model(const std::string& path, const std::string& command) {
    require_model_file_name(path);
    if (has_extension(path, ".weights.h5"))
        throw UsageError(path + " holds weights only; make a model file of them and the network they belong to first: "
                                "dense convert " + path + " model.dense --architecture MODEL");
    if (keras_format(path)) return with_preprocessing(keras::load_with_preprocessing(path), command);
    if (has_extension(path, ".onnx")) return with_preprocessing(onnx::load_with_preprocessing(path), command);
    return io::load_model(path);
}

io::ModelFile read_model_with_weights(const std::string& architecture, const std::string& weights, const std::string& command) {
    if (keras_format(architecture)) return with_preprocessing(keras::load_with_preprocessing(architecture, weights), command);
    // A .weights.h5 file holds the network as Keras runs it, predicting in the targets' units (as
    // `dense convert` writes it, with the scale folded in); the architecture's preprocessing
    // standardises them, so the weights go back to predicting y' = (y − mean) / stddev, as the
    // .dense model does.
    auto file = read_model(architecture, command);
    keras::load_weights(file.model, weights);
    if (const auto& preprocessing = file.extras.preprocessing)
        file.model = interop::in_standardised_targets(file.model, *preprocessing);
    return file;
}

}  // namespace dense::cli
