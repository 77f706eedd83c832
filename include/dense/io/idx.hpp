#pragma once
// Reading IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed.
//
// Layout (all integers big-endian): two zero bytes, an element-type byte, a dimension-count
// byte, one 32-bit size per dimension, then the elements in row-major order. Element types:
// 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64.
// MNIST images are 0x00000803 (uint8 [n, rows, cols]) and labels 0x00000801 (uint8 [n]).
// The reader checks the magic and that the data size matches the declared dimensions before
// it allocates anything for the elements.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "dense/matrix.hpp"

namespace dense::io {

enum class IdxType : std::uint8_t { uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E };

// The contents of an IDX file: element type, dimensions, and the elements converted to host
// byte order and stored as raw bytes (element_size(type) bytes each).
struct IdxArray {
    IdxType type = IdxType::uint8;
    std::vector<std::size_t> shape;
    std::vector<std::byte> data;

    std::size_t size() const noexcept;
    // Element i (row-major) as a double; exact for every IDX element type.
    double value(std::size_t i) const noexcept;
};

std::size_t element_size(IdxType type) noexcept;

// Reads an IDX file, gunzipping it first when it starts with the gzip magic bytes.
IdxArray read_idx(const std::filesystem::path& path);
// Parses IDX bytes (plain or gzip) already in memory; `source` names them in messages.
IdxArray parse_idx(std::span<const std::byte> bytes, const std::string& source);

// MNIST-style images (uint8, [n, d1, d2, ...]) as an n × (d1·d2·…) matrix scaled to [0, 1].
Matrix<float> idx_images(const IdxArray& images, const std::string& source);
Matrix<float> load_idx_images(const std::filesystem::path& path);
// Class labels (an integer type, [n], every value ≥ 0) as an n × 1 column of class indices.
Matrix<float> idx_labels(const IdxArray& labels, const std::string& source);
Matrix<float> load_idx_labels(const std::filesystem::path& path);

}  // namespace dense::io
