#pragma once
// Validation of a model file's header, field by field, as the command line validates its
// options: a file whose checksum matches may still have been written by another program, or
// edited, so nothing in it is trusted before it is checked here.
#include <span>
#include <string>

#include <nlohmann/json.hpp>

namespace dense::io::detail {

// Throws DataError naming the first field that is missing, of the wrong type or out of range,
// e.g. "layers[1].units must be a whole number from 1 to 2147483648, got 4.5". Afterwards
// model_file.cpp may read every field as valid.
void validate_header(const nlohmann::json& header);

// Throws DataError naming `what` and the position of the first NaN or infinite value.
template <class T>
void require_finite(std::span<const T> values, const std::string& what);

}  // namespace dense::io::detail
