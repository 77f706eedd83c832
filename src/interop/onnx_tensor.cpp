#include "interop/onnx_tensor.hpp"

#include <bit>
#include <cstring>

#include "dense/error.hpp"
#include "interop/checked_shape.hpp"

namespace dense::interop {

static_assert(std::endian::native == std::endian::little, "ONNX raw_data is little-endian; dense assumes a little-endian host");

::onnx::TensorProto onnx_tensor(const std::string& name, const Tensor<float>& tensor) {
    ::onnx::TensorProto proto;
    proto.set_name(name);
    proto.set_data_type(::onnx::TensorProto::FLOAT);
    for (auto d : tensor.shape) proto.add_dims(static_cast<std::int64_t>(d));
    proto.set_raw_data(std::string(reinterpret_cast<const char*>(tensor.values.data()), tensor.values.size() * sizeof(float)));
    return proto;
}

namespace {

// The shape is checked against the numbers present before the values are allocated.
template <class Stored, class Typed>
Tensor<float> values_of(const ::onnx::TensorProto& proto, const Typed& typed, std::vector<std::size_t> shape,
                        const std::string& where) {
    const std::size_t present =
        proto.has_raw_data() ? proto.raw_data().size() / sizeof(Stored) : static_cast<std::size_t>(typed.size());
    const std::size_t count = checked_element_count(shape, present, where);
    std::vector<float> values(count);
    if (proto.has_raw_data()) {
        if (proto.raw_data().size() != count * sizeof(Stored))
            throw DataError(where + ": raw_data holds " + std::to_string(proto.raw_data().size()) + " bytes, the shape needs " +
                            std::to_string(count * sizeof(Stored)));
        for (std::size_t i = 0; i < count; ++i) {
            Stored v;
            std::memcpy(&v, proto.raw_data().data() + i * sizeof(Stored), sizeof(Stored));
            values[i] = static_cast<float>(v);
        }
        return {std::move(shape), std::move(values)};
    }
    if (static_cast<std::size_t>(typed.size()) != count)
        throw DataError(where + ": holds " + std::to_string(typed.size()) + " values, the shape needs " + std::to_string(count));
    for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<float>(typed[static_cast<int>(i)]);
    return {std::move(shape), std::move(values)};
}

}  // namespace

Tensor<float> tensor_from_onnx(const ::onnx::TensorProto& proto, const std::string& where) {
    if (proto.data_location() == ::onnx::TensorProto::EXTERNAL)
        throw DataError(where + ": weights stored in an external file are not supported; save the ONNX model with its "
                                "weights inside");
    std::vector<std::size_t> shape;
    for (auto d : proto.dims()) {
        if (d < 0) throw DataError(where + ": negative dimension " + std::to_string(d));
        shape.push_back(static_cast<std::size_t>(d));
    }
    switch (proto.data_type()) {
        case ::onnx::TensorProto::FLOAT: return values_of<float>(proto, proto.float_data(), std::move(shape), where);
        case ::onnx::TensorProto::DOUBLE: return values_of<double>(proto, proto.double_data(), std::move(shape), where);
        default:
            throw DataError(where + ": element type " + std::to_string(proto.data_type()) +
                            " is not supported; dense reads float32 and float64 tensors");
    }
}

}  // namespace dense::interop
