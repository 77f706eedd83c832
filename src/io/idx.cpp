// The IDX reader: header first, sizes checked, then the elements.
#include "dense/io/idx.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>

#include "dense/error.hpp"
#include "dense/tensor.hpp"

#include "entire_file.hpp"
#include "gzip_stream.hpp"

namespace dense::io {
namespace {

bool is_known_type(std::uint8_t code) noexcept {
    for (IdxType t : {IdxType::uint8, IdxType::int8, IdxType::int16, IdxType::int32, IdxType::float32, IdxType::float64})
        if (static_cast<std::uint8_t>(t) == code) return true;
    return false;
}

std::string type_name(IdxType type) {
    switch (type) {
        case IdxType::uint8: return "uint8";
        case IdxType::int8: return "int8";
        case IdxType::int16: return "int16";
        case IdxType::int32: return "int32";
        case IdxType::float32: return "float32";
        case IdxType::float64: return "float64";
    }
    return "unknown";
}

std::uint32_t big_endian_u32(const std::byte* p) noexcept {
    return (std::to_integer<std::uint32_t>(p[0]) << 24) | (std::to_integer<std::uint32_t>(p[1]) << 16) |
           (std::to_integer<std::uint32_t>(p[2]) << 8) | std::to_integer<std::uint32_t>(p[3]);
}

// Where the bytes of an IDX file come from: memory as it is, or a gzip stream.
class ByteSource {
public:
    ByteSource(std::span<const std::byte> bytes, const std::string& source) : bytes_(bytes) {
        if (is_gzip(bytes)) gzip_.emplace(bytes, source);
    }
    bool compressed() const noexcept { return gzip_.has_value(); }
    // The most bytes the source can still yield: exact for plain bytes, a bound for gzip.
    std::size_t capacity() const noexcept {
        if (!compressed()) return bytes_.size();
        return bytes_.size() > SIZE_MAX / GzipStream::max_expansion ? SIZE_MAX : bytes_.size() * GzipStream::max_expansion;
    }
    std::size_t read(std::vector<std::byte>& out, std::size_t count) {
        if (compressed()) return gzip_->read(out, count);
        const std::size_t n = std::min(count, bytes_.size());
        out.insert(out.end(), bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(n));
        bytes_ = bytes_.subspan(n);
        return n;
    }

private:
    std::span<const std::byte> bytes_;  // plain: what is left to read; gzip: the compressed data
    std::optional<GzipStream> gzip_;
};

[[noreturn]] void throw_not_idx(const std::string& source, const std::string& why) {
    throw DataError(source + ": not an IDX file (" + why +
                    "); IDX files start with 00 00, an element type (08 uint8, 09 int8, 0B int16, 0C int32, "
                    "0D float32, 0E float64) and a dimension count");
}

// Reads and checks the 4-byte magic and the dimension sizes.
void read_header(ByteSource& in, IdxArray& array, const std::string& source) {
    std::vector<std::byte> header;
    if (in.read(header, 4) < 4) throw_not_idx(source, "it has fewer than 4 bytes");
    if (header[0] != std::byte{0} || header[1] != std::byte{0}) throw_not_idx(source, "the first two bytes are not zero");
    const auto type_code = std::to_integer<std::uint8_t>(header[2]);
    if (!is_known_type(type_code)) throw_not_idx(source, "unknown element type " + std::to_string(type_code));
    array.type = static_cast<IdxType>(type_code);
    const auto dimensions = std::to_integer<std::size_t>(header[3]);
    if (dimensions == 0) throw_not_idx(source, "it declares 0 dimensions");
    header.clear();
    if (in.read(header, 4 * dimensions) < 4 * dimensions)
        throw DataError(source + ": the IDX header declares " + std::to_string(dimensions) +
                        " dimensions but the file ends before their sizes; the file is truncated");
    array.shape.resize(dimensions);
    for (std::size_t d = 0; d < dimensions; ++d) array.shape[d] = big_endian_u32(header.data() + 4 * d);
}

// Bytes needed for the elements of `shape`, or nothing when that overflows a size_t.
std::optional<std::size_t> payload_bytes(const std::vector<std::size_t>& shape, IdxType type) noexcept {
    std::size_t bytes = element_size(type);
    for (std::size_t d : shape)
        if (__builtin_mul_overflow(bytes, d, &bytes)) return std::nullopt;
    return bytes;
}

// IDX stores elements big-endian; turn each into host order in place.
void to_host_order(std::vector<std::byte>& data, std::size_t width) noexcept {
    if constexpr (std::endian::native == std::endian::little) {
        if (width == 1) return;
        for (std::size_t i = 0; i + width <= data.size(); i += width) std::reverse(data.begin() + i, data.begin() + i + width);
    }
}

template <class T>
T element_at(const std::vector<std::byte>& data, std::size_t i) noexcept {
    T value;
    std::memcpy(&value, data.data() + i * sizeof(T), sizeof(T));
    return value;
}

}  // namespace

std::size_t element_size(IdxType type) noexcept {
    switch (type) {
        case IdxType::uint8:
        case IdxType::int8: return 1;
        case IdxType::int16: return 2;
        case IdxType::int32:
        case IdxType::float32: return 4;
        case IdxType::float64: return 8;
    }
    return 1;
}

std::size_t IdxArray::size() const noexcept { return data.size() / element_size(type); }

double IdxArray::value(std::size_t i) const noexcept {
    switch (type) {
        case IdxType::uint8: return element_at<std::uint8_t>(data, i);
        case IdxType::int8: return element_at<std::int8_t>(data, i);
        case IdxType::int16: return element_at<std::int16_t>(data, i);
        case IdxType::int32: return element_at<std::int32_t>(data, i);
        case IdxType::float32: return element_at<float>(data, i);
        case IdxType::float64: return element_at<double>(data, i);
    }
    return 0;
}

IdxArray parse_idx(std::span<const std::byte> bytes, const std::string& source) {
    ByteSource in(bytes, source);
    IdxArray array;
    read_header(in, array, source);
    const std::string declared = source + ": the header declares " + type_name(array.type) + " " + shape_string(array.shape);
    const auto needed = payload_bytes(array.shape, array.type);
    if (!needed) throw DataError(declared + ", more bytes than memory can address; the file is corrupted");
    const std::string needed_bytes = " (" + std::to_string(*needed) + " bytes)";
    const std::size_t available = in.capacity();
    if (in.compressed() && *needed > available)
        throw DataError(declared + needed_bytes + ", more than " + std::to_string(bytes.size()) +
                        " bytes of gzip data can decompress to; the file is corrupted");
    if (!in.compressed() && *needed != available)
        throw DataError(declared + needed_bytes + " but " + std::to_string(available) + " bytes follow the header; the file is " +
                        (*needed > available ? "truncated" : "corrupted or not an IDX file"));
    // One byte more than needed tells decompressed data that is too long from data that fits.
    const std::size_t got = in.read(array.data, *needed + 1);
    if (got != *needed)
        throw DataError(declared + needed_bytes + " but the decompressed data " +
                        (got < *needed ? "ends after " + std::to_string(got) + " bytes; the file is truncated"
                                       : "is longer; the file is corrupted"));
    to_host_order(array.data, element_size(array.type));
    return array;
}

IdxArray read_idx(const std::filesystem::path& path) {
    const std::string bytes = read_entire_file(path);
    return parse_idx(std::as_bytes(std::span(bytes)), path.string());
}

Matrix<float> idx_images(const IdxArray& images, const std::string& source) {
    if (images.type != IdxType::uint8 || images.shape.size() < 2)
        throw DataError(source + ": expected uint8 images [n, rows, cols] but the file holds " + type_name(images.type) + " " +
                        shape_string(images.shape) + "; check that this is an image file, not a label file");
    std::size_t pixels_per_image = 1;
    for (std::size_t d = 1; d < images.shape.size(); ++d) pixels_per_image *= images.shape[d];  // cannot overflow: parse_idx checked
    Matrix<float> pixels(images.shape.front(), pixels_per_image);
    // x = byte / 255, so pixels lie in [0, 1].
    for (std::size_t i = 0; i < images.data.size(); ++i) pixels.data()[i] = std::to_integer<std::uint8_t>(images.data[i]) / 255.0f;
    return pixels;
}

Matrix<float> idx_labels(const IdxArray& labels, const std::string& source) {
    const bool integer = labels.type != IdxType::float32 && labels.type != IdxType::float64;
    if (!integer || labels.shape.size() != 1)
        throw DataError(source + ": expected integer labels [n] but the file holds " + type_name(labels.type) + " " +
                        shape_string(labels.shape) + "; check that this is a label file, not an image file");
    Matrix<float> classes(labels.size(), 1);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const double label = labels.value(i);
        if (label < 0)
            throw DataError(source + ": label " + std::to_string(i) + " is " + std::to_string(static_cast<long long>(label)) +
                            "; class indices must be 0 or more");
        classes(i, 0) = static_cast<float>(label);
    }
    return classes;
}

Matrix<float> load_idx_images(const std::filesystem::path& path) { return idx_images(read_idx(path), path.string()); }

Matrix<float> load_idx_labels(const std::filesystem::path& path) { return idx_labels(read_idx(path), path.string()); }

}  // namespace dense::io
