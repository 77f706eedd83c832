#pragma once
// What the interop fuzz targets share: the bytes handed to one model reader, and a prediction
// run with whatever loads. Any input must either load or throw dense::Error; a crash, a leak,
// a sanitizer report or a huge allocation (a declared size believed) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <dense/error.hpp>

#include "interop/image_loaders.hpp"

template <class Load>
int load_and_predict(Load load, const std::uint8_t* data, std::size_t size, const char* description) {
    try {
        auto model = load(std::string_view(reinterpret_cast<const char*>(data), size), description);
        model.predict(dense::Matrix<float>(2, model.input_dim(), 0.5F));
    } catch (const dense::Error&) {
    }
    return 0;
}
