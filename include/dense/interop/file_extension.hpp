#pragma once
// Model files are told apart by their extension, in any case: "M.KERAS" is a Keras archive as
// "m.keras" is, and "X.ONNX" an ONNX file.
#include <filesystem>
#include <string_view>

namespace dense::interop {

// Whether the path ends with `extension` (".keras", ".weights.h5"), ASCII letters of any case.
bool has_extension(const std::filesystem::path& path, std::string_view extension);

}  // namespace dense::interop
