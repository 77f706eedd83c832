// Fuzzes the .keras reader: the zip and its entries' declared sizes, config.json, and the
// weights in model.weights.h5 with their declared shapes.
#include "interop_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return load_and_predict(dense::keras::load_archive_image, data, size, "fuzz.keras");
}
