#pragma once
// A model read from a Keras or ONNX file and, when dense wrote that file from a CSV model, the
// preprocessing it carries (standardisation, one-hot categories, class labels, target scale).
#include <optional>
#include <string>
#include <vector>

#include "dense/io/preprocessing.hpp"
#include "dense/sequential.hpp"

namespace dense::interop {

// With a preprocessing, the model takes standardised inputs and, for regression, predicts
// standardised targets, exactly as the .dense file it came from.
struct LoadedModel {
    Sequential model;
    std::optional<io::Preprocessing> preprocessing;
    // What the import changed in form, not in predictions, that the user should be told
    // ("BatchNormalization 'bn' folded into Dense 'dense'").
    std::vector<std::string> notes = {};
};

}  // namespace dense::interop
