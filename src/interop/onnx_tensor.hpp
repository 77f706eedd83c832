#pragma once
// ONNX TensorProto ↔ dense::Tensor<float>, and the one header through which dense reaches the
// classes protoc generates from onnx.proto (namespace ::onnx).
#include <string>

#include "dense/tensor.hpp"
#include "onnx/onnx.pb.h"

namespace dense::interop {

::onnx::TensorProto onnx_tensor(const std::string& name, const Tensor<float>& tensor);

// float32 or float64 data, stored as raw_data or in the typed fields. `where` names the tensor
// in error messages.
Tensor<float> tensor_from_onnx(const ::onnx::TensorProto& proto, const std::string& where);

}  // namespace dense::interop
