#pragma once
// The model readers from bytes already in memory, as the fuzz targets feed them; `description`
// names the bytes in error messages as a path would.
#include <string>
#include <string_view>

#include "dense/sequential.hpp"

namespace dense::onnx {
Sequential load_image(std::string_view bytes, const std::string& description);
}  // namespace dense::onnx

namespace dense::keras {
// A .keras archive (zip of config.json, metadata.json, model.weights.h5).
Sequential load_archive_image(std::string_view bytes, const std::string& description);
// A legacy whole-model .h5.
Sequential load_legacy_h5_image(std::string_view bytes, const std::string& description);
}  // namespace dense::keras
