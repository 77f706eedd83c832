// IdxStream: ChunkedRows over the records of an IDX image file and its labels, each chunk parsed
// by parse_idx as an IDX file of its own.
#include "dense/io/idx_stream.hpp"

#include <algorithm>

#include "dense/error.hpp"
#include "dense/printable.hpp"

namespace dense::io {
namespace {

constexpr std::size_t magic_bytes = 4;

void write_big_endian_u32(std::byte* p, std::uint32_t value) noexcept {
    for (int i = 3; i >= 0; --i, value >>= 8) p[i] = std::byte(value & 0xFF);
}

std::uint32_t big_endian_u32(const std::byte* p) noexcept {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | std::to_integer<std::uint32_t>(p[i]);
    return value;
}

}  // namespace

IdxRecordFile::IdxRecordFile(const std::filesystem::path& path) : source_(path.string()), file_(path, std::ios::binary) {
    if (!file_) throw DataError(printable(source_) + ": cannot open the file; check the path");
    header_.resize(magic_bytes);
    file_.read(reinterpret_cast<char*>(header_.data()), magic_bytes);
    if (header_[0] == std::byte{0x1F} && header_[1] == std::byte{0x8B})
        throw DataError(source_ + ": a gzip-compressed IDX file cannot be read at offsets, which streaming needs; "
                                  "gunzip it first (or read it whole with read_idx)");
    const std::size_t dimensions = file_.gcount() == magic_bytes ? std::to_integer<std::size_t>(header_[3]) : 0;
    header_.resize(magic_bytes + 4 * dimensions);
    file_.read(reinterpret_cast<char*>(header_.data() + magic_bytes), static_cast<std::streamsize>(4 * dimensions));
    records_ = dimensions > 0 ? big_endian_u32(header_.data() + magic_bytes) : 0;
    const IdxArray empty = read(0, 0);  // the header checked by parse_idx's rules, with no records
    record_bytes_ = element_size(empty.type);
    for (std::size_t d = 1; d < empty.shape.size(); ++d) record_bytes_ *= empty.shape[d];
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error || size != header_.size() + records_ * record_bytes_)
        throw DataError(source_ + ": the header declares " + std::to_string(records_) + " records of " +
                        std::to_string(record_bytes_) + " bytes, " + std::to_string(header_.size() + records_ * record_bytes_) +
                        " bytes with the header, but the file has " + std::to_string(size) + "; the file is truncated or corrupted");
}

IdxArray IdxRecordFile::read(std::size_t first, std::size_t count) {
    bytes_.assign(header_.begin(), header_.end());
    if (header_.size() > magic_bytes) write_big_endian_u32(bytes_.data() + magic_bytes, static_cast<std::uint32_t>(count));
    bytes_.resize(header_.size() + count * record_bytes_);
    file_.clear();
    file_.seekg(static_cast<std::streamoff>(header_.size() + first * record_bytes_));
    file_.read(reinterpret_cast<char*>(bytes_.data() + header_.size()), static_cast<std::streamsize>(count * record_bytes_));
    if (static_cast<std::size_t>(file_.gcount()) != count * record_bytes_)
        throw DataError(source_ + ": the file ends before record " + std::to_string(first + count) + "; was it changed?");
    return parse_idx(bytes_, source_);
}

IdxStream::IdxStream(const std::filesystem::path& images, const std::filesystem::path& labels, StreamOptions options,
                     std::size_t chunk_rows)
    : images_(images), labels_(labels), options_(options), chunk_rows_(chunk_rows), rows_(chunked_rows()) {}

ChunkedRows IdxStream::chunked_rows() {
    if (images_.records() != labels_.records())
        throw DataError(images_.source() + " holds " + std::to_string(images_.records()) + " images but " + labels_.source() +
                        " " + std::to_string(labels_.records()) + " labels; give the label file of these images");
    if (chunk_rows_ == 0) throw UsageError("IdxStream: chunk_rows must be at least 1");
    const std::size_t records = images_.records();
    const auto first_row = [this, records](std::size_t k) { return std::min(records, k * chunk_rows_); };
    return ChunkedRows::shard(options_, (records + chunk_rows_ - 1) / chunk_rows_, first_row,
                              [this, first_row](std::size_t chunk, Matrix<float>& x, Matrix<float>& y, std::vector<std::size_t>& rows) {
                                  const std::size_t first = first_row(chunk), count = first_row(chunk + 1) - first;
                                  x = idx_images(images_.read(first, count), images_.source());
                                  y = idx_labels(labels_.read(first, count), labels_.source());
                                  ChunkedRows::rows_to_give(options_, first, count, rows);
                              });
}

}  // namespace dense::io
