#include "interop/onnx_tensor.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>

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

// Bytes per number of the element types dense reads; 0 for any other.
std::size_t element_size(const ::onnx::TensorProto& proto) {
    switch (proto.data_type()) {
        case ::onnx::TensorProto::FLOAT: return sizeof(float);
        case ::onnx::TensorProto::DOUBLE: return sizeof(double);
        default: return 0;
    }
}

// "FLOAT16 (10)": the name onnx.proto gives an element type, and its number.
std::string type_name(std::int32_t type) {
    const std::string name =
        ::onnx::TensorProto::DataType_IsValid(type) ? ::onnx::TensorProto::DataType_Name(static_cast<::onnx::TensorProto::DataType>(type)) : "";
    return (name.empty() ? std::string("unknown") : name) + " (" + std::to_string(type) + ")";
}

std::uint64_t external_number(const std::string& text, const std::string& key, const std::string& where) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw DataError(where + ": external_data '" + key + "' is '" + text + "', not a number of bytes");
    return value;
}

// The tensor `proto` stores in an external file, as onnx.save(..., save_as_external_data=True)
// writes it: external_data's location (a file beside the model), offset and length in bytes. The
// bytes are read into raw_data, checked as raw_data is.
::onnx::TensorProto with_external_data_inside(const ::onnx::TensorProto& proto, const std::vector<std::size_t>& shape,
                                              std::size_t number_bytes, const std::filesystem::path& directory,
                                              const std::string& where) {
    std::string location;
    std::uint64_t offset = 0;
    std::optional<std::uint64_t> length;
    for (const auto& entry : proto.external_data()) {
        if (entry.key() == "location") location = entry.value();
        if (entry.key() == "offset") offset = external_number(entry.value(), "offset", where);
        if (entry.key() == "length") length = external_number(entry.value(), "length", where);
    }
    if (location.empty()) throw DataError(where + ": stored in an external file, but external_data names no location");
    const std::filesystem::path relative(location);
    const bool leaves = relative.is_absolute() || std::ranges::any_of(relative, [](const auto& part) { return part == ".."; });
    const auto path = directory / relative;
    if (leaves || std::filesystem::is_symlink(path))
        throw DataError(where + ": external data '" + location + "' is not a file in the model's folder; ONNX keeps it beside "
                                "the model, which is where dense reads it");
    if (!std::filesystem::is_regular_file(path))
        throw DataError(where + ": its external data " + path.string() + " is no file; keep it beside the model, as saved");
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error || offset > size)
        throw DataError(where + ": external data " + path.string() + " holds " + std::to_string(error ? 0 : size) +
                        " bytes, fewer than its offset " + std::to_string(offset));
    const std::size_t bytes = number_bytes * checked_element_count(shape, (size - offset) / number_bytes, where);
    if (length && *length != bytes)
        throw DataError(where + ": external_data length is " + std::to_string(*length) + " bytes, the shape needs " + std::to_string(bytes));
    std::string data(bytes, '\0');
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(data.data(), static_cast<std::streamsize>(bytes)))
        throw DataError(where + ": cannot read " + std::to_string(bytes) + " bytes of external data from " + path.string());
    ::onnx::TensorProto inside = proto;
    inside.clear_external_data();
    inside.set_data_location(::onnx::TensorProto::DEFAULT);
    inside.set_raw_data(std::move(data));
    return inside;
}

}  // namespace

Tensor<float> tensor_from_onnx(const ::onnx::TensorProto& proto, const std::string& where, const std::filesystem::path* directory) {
    std::vector<std::size_t> shape;
    for (auto d : proto.dims()) {
        if (d < 0) throw DataError(where + ": negative dimension " + std::to_string(d));
        shape.push_back(static_cast<std::size_t>(d));
    }
    const std::size_t size = element_size(proto);
    if (size == 0)
        throw DataError(where + ": element type " + type_name(proto.data_type()) +
                        " is not supported; dense reads float32 and float64 tensors: convert the model to float32");
    if (proto.data_location() == ::onnx::TensorProto::EXTERNAL) {
        if (!directory)
            throw DataError(where + ": weights stored in an external file cannot be read from a model in memory; read the "
                                    "model from its file, beside its external data");
        return tensor_from_onnx(with_external_data_inside(proto, shape, size, *directory, where), where);
    }
    if (size == sizeof(float)) return values_of<float>(proto, proto.float_data(), std::move(shape), where);
    return values_of<double>(proto, proto.double_data(), std::move(shape), where);
}

}  // namespace dense::interop
