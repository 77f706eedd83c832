#pragma once
// ONNX interop: a Sequential model as an ONNX graph with a dynamic batch dimension.
//   Dense       → Gemm (kernel [inputs, units] as B, bias as C) or MatMul when it has no bias
//   activations → their ONNX operators (Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, Tanh,
//                 Softmax on the last axis, Softplus, Softsign, Exp), decomposed where the opset
//                 has none (gelu = x·½(1 + erf(x/√2)), swish = x·sigmoid(x))
//   Dropout     → nothing (inference)
//   input standardisation (SaveOptions::input_mean/input_stddev) → Sub, Div
//   a CSV model's preprocessing (SaveOptions::preprocessing) → one graph input per CSV column
//                 (numbers float [batch, 1], text string [batch, 1] one-hot encoded by
//                 ai.onnx.ml OneHotEncoder), Concat, Sub, Div; the whole preprocessing (class
//                 labels included) as JSON in metadata_props "dense.preprocessing", the labels
//                 alone in "class_labels"
// load() reads the same operator subset back (Gemm with any alpha, beta and transB, MatMul + Add,
// Identity and Dropout pass through; Sub and Div by constants before a Dense are folded into its
// weights); any other operator is a DataError naming the node and the file.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dense/interop/loaded_model.hpp"
#include "dense/io/preprocessing.hpp"
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
    // A CSV model's preprocessing (instead of input_mean/input_stddev): the ONNX model then takes
    // the raw columns, one input each, named after them. Its outputs are the network's (a
    // regression model's target scale must already be folded in, interop::with_output_scaling).
    std::optional<io::Preprocessing> preprocessing = {};
};

// The model must be built.
void save(const Sequential& model, const std::filesystem::path& path, const SaveOptions& options = {});

Sequential load(const std::filesystem::path& path);

// The model and, when dense wrote the file with SaveOptions::preprocessing, that preprocessing.
interop::LoadedModel load_with_preprocessing(const std::filesystem::path& path);

}  // namespace dense::onnx
