#pragma once
// A CSV model's preprocessing as Keras and ONNX files carry it (metadata dense writes), read back.
#include <string>

#include <nlohmann/json.hpp>

#include "dense/interop/loaded_model.hpp"

namespace dense::interop {

// The preprocessing stored as JSON in a file's metadata, checked as a model file's is; a
// DataError naming `where` otherwise.
io::Preprocessing carried_preprocessing(const nlohmann::json& json, const std::string& where);

// A model read with its preprocessing, made to predict as its .dense file did: the target scale
// folded in for export taken out again. `file` names the source in error messages.
LoadedModel as_dense_model(LoadedModel loaded, const std::string& file);

}  // namespace dense::interop
