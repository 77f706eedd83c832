#pragma once
// ONNX interop: a Sequential model as an ONNX graph with a dynamic batch dimension.
//   Dense       → Gemm (kernel [inputs, units] as B, bias as C) or MatMul when it has no bias
//   activations → their ONNX operators (Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, Tanh,
//                 Softmax on the last axis, Softplus, Softsign, Exp), decomposed where the opset
//                 has none (gelu = x·½(1 + erf(x/√2)), swish = x·sigmoid(x))
//   Dropout     → nothing (inference)
//   input standardisation (SaveOptions::input_mean/input_stddev) → Sub, Div
// load() reads the same operator subset back (Gemm with any transB, MatMul + Add, Identity and
// Dropout pass through); any other operator is a DataError naming the node and the file.
#include <filesystem>
#include <string>
#include <vector>

#include "dense/sequential.hpp"

namespace dense::onnx {

struct SaveOptions {
    // ONNX opset of the default domain, 13 to 17.
    int opset = 13;
    // ONNX IR version, 7 or 8.
    int ir_version = 7;
    std::string input_name = "input";
    std::string output_name = "output";
    // Standardisation of the inputs before the first layer, x' = (x − mean) / stddev, written as
    // Sub and Div nodes so the ONNX model takes raw features. Empty: none; else one per input.
    std::vector<float> input_mean = {};
    std::vector<float> input_stddev = {};
};

// The model must be built.
void save(const Sequential& model, const std::filesystem::path& path, const SaveOptions& options = {});

Sequential load(const std::filesystem::path& path);

}  // namespace dense::onnx
