// Fuzzes the model-file loader behind its checksum (so mutations reach the header parser and
// the size checks) and runs a prediction with whatever loads: any input must either load or
// throw dense::Error; a crash, a leak, a sanitizer report or a huge allocation is a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include <dense/error.hpp>
#include <dense/io/model_file.hpp>

namespace {

template <class T>
void load_and_predict(std::span<const std::byte> bytes) {
    try {
        auto file = dense::io::deserialize_model<T>(bytes, "fuzz.dense", {.verify_checksum = false});
        file.model.predict(dense::Matrix<T>(2, file.model.input_dim(), T(0.5)));
    } catch (const dense::Error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    load_and_predict<float>(bytes);
    load_and_predict<double>(bytes);
    return 0;
}
