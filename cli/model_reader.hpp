#pragma once
// Reading the model a command works on: dense's own file, or a Keras or ONNX file imported as
// `dense convert` imports it, so that `dense predict model.onnx new.csv` needs no conversion first.
#include <string>

#include "dense/io/model_file.hpp"

namespace dense::cli {

// True for the extensions read by import, in any case: .keras, .h5, .hdf5 (Keras) and .onnx.
bool imported_format(const std::string& path);

// Throws UsageError when `path`, the --out of `command` (train, tune), ends as a Keras or ONNX
// file does: the command writes dense's own model file, which nothing would read under that name.
// The message says how to get that format (dense convert).
void require_dense_model_name(const std::string& path, const std::string& command);

// Throws UsageError when `path` is "-": a model is read from its file, never from standard input
// (which predict and evaluate read their CSV data from).
void require_model_file_name(const std::string& path);

// The model in `path`: imported for a Keras or ONNX extension, what the import changed in form
// said on stderr after "dense COMMAND: note: "; else dense's model file, whatever its extension.
// A .weights.h5 file (weights without the network), or "-", is a usage error that says what to give.
io::ModelFile read_model(const std::string& path, const std::string& command);

// The model in `architecture` (any model file) with the weights of the Keras .weights.h5 file
// `weights`, saved from it. A Keras architecture is imported with those weights, its folded
// layers (Normalization, BatchNormalization) included.
io::ModelFile read_model_with_weights(const std::string& architecture, const std::string& weights, const std::string& command);

}  // namespace dense::cli
