#pragma once
// An affine map of a Dense layer's inputs, x' = a⊙x + b (ONNX Sub/Div nodes, a Keras
// Normalization layer), taken into that layer's weights:
//   (a⊙x + b)·W + c = x·W' + c'  with  W'[i][j] = a[i]·W[i][j],  c'[j] = c[j] + Σᵢ b[i]·W[i][j].
// a and b hold one number per input, or one for all.
#include <optional>
#include <string>
#include <vector>

#include "dense/tensor.hpp"

namespace dense::interop {

struct InputAffine {
    std::vector<double> a{1.0}, b{0.0};
};

// `kernel` is [inputs, units]; `bias` ([units]) is created when absent. Throws DataError
// (prefixed with `where`) when a or b has neither one number nor one per input.
void fold_input_affine(const InputAffine& affine, Tensor<float>& kernel, std::optional<Tensor<float>>& bias, const std::string& where);

}  // namespace dense::interop
