// The IDX reader on files built byte by byte here, their gzip forms, broken files, and the real
// Fashion-MNIST test set when Debian's dataset-fashion-mnist is installed.
#include "dense/io/idx.hpp"

#include <array>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <zlib.h>

#include "dense/error.hpp"

namespace dense::io {
namespace {

using Bytes = std::vector<std::byte>;

Bytes bytes(std::initializer_list<int> values) {
    Bytes out;
    for (int v : values) out.push_back(static_cast<std::byte>(v));
    return out;
}

Bytes concat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The IDX header: 00 00 TYPE NDIMS, then each size as a big-endian 32-bit integer.
Bytes idx_header(int type, std::initializer_list<std::uint32_t> dims) {
    Bytes out = bytes({0, 0, type, static_cast<int>(dims.size())});
    for (std::uint32_t d : dims)
        for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<std::byte>((d >> shift) & 0xFF));
    return out;
}

// gzip made by zlib's deflate (windowBits 31 = gzip wrapper), independent of the reader.
Bytes gzip(const Bytes& plain) {
    z_stream stream{};
    EXPECT_EQ(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    Bytes out(deflateBound(&stream, static_cast<uLong>(plain.size())) + 32);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(plain.data()));
    stream.avail_in = static_cast<uInt>(plain.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

IdxArray parse(const Bytes& data) { return parse_idx(data, "data.idx"); }

void expect_error(const Bytes& data, const std::vector<std::string>& fragments) {
    try {
        parse(data);
        FAIL() << "no error";
    } catch (const DataError& error) {
        for (const auto& fragment : fragments)
            EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << "'" << fragment << "' missing from: " << error.what();
    }
}

const Bytes two_images = concat(idx_header(0x08, {2, 2, 3}), bytes({0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1}));

TEST(IdxReader, ReadsUint8ImagesShapeAndValues) {
    const IdxArray array = parse(two_images);
    EXPECT_EQ(array.type, IdxType::uint8);
    EXPECT_EQ(array.shape, (std::vector<std::size_t>{2, 2, 3}));
    EXPECT_EQ(array.size(), 12u);
    EXPECT_EQ(array.value(4), 204.0);
}

TEST(IdxReader, ImagesBecomeRowsScaledToUnitInterval) {
    const Matrix<float> pixels = idx_images(parse(two_images), "data.idx");
    ASSERT_EQ(pixels.rows(), 2u);
    ASSERT_EQ(pixels.cols(), 6u);
    EXPECT_FLOAT_EQ(pixels(0, 1), 0.2f);  // 51 / 255
    EXPECT_FLOAT_EQ(pixels(0, 5), 1.0f);
    EXPECT_FLOAT_EQ(pixels(1, 5), 1.0f / 255.0f);
}

TEST(IdxReader, NoImagesKeepTheirPixelCount) {
    const Matrix<float> pixels = idx_images(parse(idx_header(0x08, {0, 28, 28})), "data.idx");
    EXPECT_EQ(pixels.rows(), 0u);
    EXPECT_EQ(pixels.cols(), 784u);
}

TEST(IdxReader, LabelsBecomeAColumnOfClassIndices) {
    const Matrix<float> labels = idx_labels(parse(concat(idx_header(0x08, {3}), bytes({9, 0, 4}))), "labels.idx");
    EXPECT_EQ(labels, Matrix<float>::column({9, 0, 4}));
}

// Big-endian element encodings written out by hand.
TEST(IdxReader, DecodesEveryElementTypeFromBigEndian) {
    EXPECT_EQ(parse(concat(idx_header(0x09, {1}), bytes({0xFE}))).value(0), -2.0);
    EXPECT_EQ(parse(concat(idx_header(0x0B, {1}), bytes({0xFF, 0xFE}))).value(0), -2.0);
    EXPECT_EQ(parse(concat(idx_header(0x0C, {1}), bytes({0x01, 0x02, 0x03, 0x04}))).value(0), 16909060.0);
    EXPECT_EQ(parse(concat(idx_header(0x0D, {1}), bytes({0x3F, 0xC0, 0, 0}))).value(0), 1.5);
    EXPECT_EQ(parse(concat(idx_header(0x0E, {1}), bytes({0xBF, 0xD0, 0, 0, 0, 0, 0, 0}))).value(0), -0.25);
}

TEST(IdxReader, GzipFileReadsLikeThePlainOne) {
    const IdxArray plain = parse(two_images);
    const IdxArray unzipped = parse(gzip(two_images));
    EXPECT_EQ(unzipped.shape, plain.shape);
    EXPECT_EQ(unzipped.data, plain.data);
}

TEST(IdxReader, ConcatenatedGzipMembersAreOneStream) {
    const Bytes header = idx_header(0x08, {2, 2, 3});
    const Bytes pixels(two_images.begin() + static_cast<std::ptrdiff_t>(header.size()), two_images.end());
    EXPECT_EQ(parse(concat(gzip(header), gzip(pixels))).data, parse(two_images).data);
}

TEST(IdxReader, ReadsFromFile) {
    const auto path = std::filesystem::path(testing::TempDir()) / "dense_idx_reader_test.idx.gz";
    const Bytes zipped = gzip(two_images);
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(zipped.data()), static_cast<std::streamsize>(zipped.size()));
    EXPECT_EQ(load_idx_images(path).rows(), 2u);
    std::filesystem::remove(path);
}

TEST(IdxReader, MissingFileOrFolderIsADataError) {
    EXPECT_THROW(read_idx("/nonexistent/dir/train-images-idx3-ubyte"), DataError);
    EXPECT_THROW(read_idx(testing::TempDir()), DataError);
}

TEST(IdxReader, RejectsWrongMagic) {
    expect_error(bytes({0x50, 0x4B, 3, 4, 0, 0, 0, 0}), {"data.idx: not an IDX file", "first two bytes"});
    expect_error(concat(idx_header(0x07, {1}), bytes({1})), {"unknown element type 7"});
    expect_error(bytes({0, 0, 8, 0}), {"0 dimensions"});
    expect_error(bytes({0, 0}), {"fewer than 4 bytes"});
}

TEST(IdxReader, RejectsTruncatedHeader) {
    expect_error(bytes({0, 0, 8, 3, 0, 0, 0, 2}), {"3 dimensions", "truncated"});
}

TEST(IdxReader, RejectsDataShorterOrLongerThanDeclared) {
    const Bytes short_file(two_images.begin(), two_images.end() - 1);
    expect_error(short_file, {"data.idx: the header declares uint8 [2, 2, 3] (12 bytes) but 11 bytes follow the header; the file is truncated"});
    expect_error(concat(two_images, bytes({7})), {"(12 bytes) but 13 bytes follow the header"});
}

TEST(IdxReader, RejectsGzipDataShorterOrLongerThanDeclared) {
    const Bytes short_file(two_images.begin(), two_images.end() - 1);
    expect_error(gzip(short_file), {"decompressed data ends after 11"});
    expect_error(gzip(concat(two_images, bytes({7}))), {"decompressed data is longer"});
}

TEST(IdxReader, RejectsAbsurdSizesBeforeAllocating) {
    // 10^6 × 10^6 bytes = 10^12: must be refused from the header alone.
    expect_error(concat(idx_header(0x08, {1000000, 1000000}), bytes({1, 2, 3})), {"uint8 [1000000, 1000000] (1000000000000 bytes) but 3 bytes follow"});
    expect_error(gzip(concat(idx_header(0x08, {1000000, 1000000}), bytes({1, 2, 3}))), {"bytes of gzip data can decompress to"});
    // Sizes whose product overflows 64 bits.
    expect_error(idx_header(0x0E, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}), {"float64 [4294967295, 4294967295, 4294967295], more bytes than memory can address"});
}

TEST(IdxReader, RejectsBrokenGzip) {
    Bytes zipped = gzip(two_images);
    expect_error(Bytes(zipped.begin(), zipped.begin() + 12), {"data.idx:", "gzip"});
    zipped[zipped.size() / 2] ^= std::byte{0xFF};
    zipped[zipped.size() / 2 + 1] ^= std::byte{0xFF};
    expect_error(zipped, {"data.idx:"});
}

TEST(IdxReader, ImagesAndLabelsRefuseEachOthersFiles) {
    const IdxArray labels = parse(concat(idx_header(0x08, {3}), bytes({1, 2, 3})));
    EXPECT_THROW(idx_images(labels, "labels.idx"), DataError);
    EXPECT_THROW(idx_labels(parse(two_images), "images.idx"), DataError);
    EXPECT_THROW(idx_labels(parse(concat(idx_header(0x09, {2}), bytes({1, 0xFF}))), "labels.idx"), DataError);
}

const std::filesystem::path fashion_mnist = "/usr/share/datasets/fashion-mnist";

// Fashion-MNIST's test set: 10000 images of 28 × 28 pixels, 1000 of each of its 10 classes.
TEST(IdxReader, ReadsDebianFashionMnistTestSet) {
    const auto images_path = fashion_mnist / "t10k-images-idx3-ubyte.gz";
    const auto labels_path = fashion_mnist / "t10k-labels-idx1-ubyte.gz";
    for (const auto& path : {images_path, labels_path})
        if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is missing (Debian package dataset-fashion-mnist)";
    const Matrix<float> images = load_idx_images(images_path);
    EXPECT_EQ(images.rows(), 10000u);
    EXPECT_EQ(images.cols(), 784u);
    for (float v : images.values()) ASSERT_TRUE(v >= 0.0f && v <= 1.0f);
    const Matrix<float> labels = load_idx_labels(labels_path);
    ASSERT_EQ(labels.rows(), 10000u);
    std::array<int, 10> per_class{};
    for (float label : labels.values()) {
        ASSERT_LT(label, 10.0f);
        ++per_class[static_cast<std::size_t>(label)];
    }
    for (int count : per_class) EXPECT_EQ(count, 1000);
}

}  // namespace
}  // namespace dense::io
