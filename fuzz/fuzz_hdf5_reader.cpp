// Fuzzes the HDF5 reader through a legacy whole-model .h5: datasets' and attributes' declared
// sizes against what they store, and the model_config attribute.
#include "interop_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return load_and_predict(dense::keras::load_legacy_h5_image, data, size, "fuzz.h5");
}
