#pragma once
// ONNX TensorProto ↔ dense::Tensor<float>, and the one header through which dense reaches the
// classes protoc generates from onnx.proto (namespace ::onnx).
#include <filesystem>
#include <string>

#include "dense/tensor.hpp"
#include "onnx/onnx.pb.h"

namespace dense::interop {

::onnx::TensorProto onnx_tensor(const std::string& name, const Tensor<float>& tensor);

// float32 or float64 data, stored as raw_data or in the typed fields, or outside the model
// (onnx.save(..., save_as_external_data=True)) in a file of `directory`, the model file's folder,
// which it may not leave; with no directory (a model read from memory) that is refused. `where`
// names the tensor in error messages.
Tensor<float> tensor_from_onnx(const ::onnx::TensorProto& proto, const std::string& where,
                               const std::filesystem::path* directory = nullptr);

}  // namespace dense::interop
