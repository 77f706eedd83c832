// Fuzzes the ONNX reader: the protobuf, initializers' declared shapes against their data, and
// the walk along the graph's chain of nodes.
#include "interop_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return load_and_predict(dense::onnx::load_image, data, size, "fuzz.onnx");
}
