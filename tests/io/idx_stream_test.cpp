// IdxStream: an IDX image file and its labels streamed in chunks give, every epoch, the rows that
// load_idx_images and load_idx_labels read whole (each once, on its side of the split); a gzip or
// truncated file and a label file of another length are refused.
#include "dense/io/idx_stream.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "dense/error.hpp"

namespace dense::io {
namespace {

std::string write_bytes(const std::string& name, const std::vector<unsigned char>& bytes) {
    const auto path = std::filesystem::path(testing::TempDir()) / name;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    return path.string();
}

// The IDX header of uint8 elements of `shape` (sizes big-endian), then `elements`.
std::vector<unsigned char> idx_file(const std::vector<std::uint32_t>& shape, const std::vector<unsigned char>& elements) {
    std::vector<unsigned char> bytes{0, 0, 0x08, static_cast<unsigned char>(shape.size())};
    for (std::uint32_t size : shape)
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<unsigned char>(size >> shift));
    bytes.insert(bytes.end(), elements.begin(), elements.end());
    return bytes;
}

struct Files {
    std::string images, labels;
};

// 50 images of 2×2 pixels (pixel values from the image's number) and their labels 0–2.
Files mnist_like() {
    std::vector<unsigned char> pixels, labels;
    for (unsigned char i = 0; i < 50; ++i) {
        for (unsigned char p = 0; p < 4; ++p) pixels.push_back(static_cast<unsigned char>(i * 5 + p));
        labels.push_back(i % 3);
    }
    return {write_bytes("dense_idx_stream_images", idx_file({50, 2, 2}, pixels)),
            write_bytes("dense_idx_stream_labels", idx_file({50}, labels))};
}

std::vector<std::string> rows_as_text(const Matrix<float>& x, const Matrix<float>& y, std::size_t from = 0, std::size_t to = 0) {
    std::vector<std::string> rows;
    for (std::size_t r = from; r < (to ? to : x.rows()); ++r) {
        std::string row;
        for (float v : x.row(r)) row += std::to_string(v) + " ";
        rows.push_back(row + std::to_string(y(r, 0)));
    }
    return rows;
}

TEST(IdxStream, EachEpochGivesTheRowsOfTheFilesReadWholeOnItsSideOfTheSplit) {
    const Files files = mnist_like();
    const auto x = load_idx_images(files.images), y = load_idx_labels(files.labels);
    const RowSplit split{0.2, 4};
    std::vector<std::string> training, validation;
    const auto all = rows_as_text(x, y);
    for (std::size_t r = 0; r < all.size(); ++r) (split.validates(r) ? validation : training).push_back(all[r]);
    StreamOptions options{.batch_size = 8, .split = split, .validation = false, .shuffle = true, .shuffle_buffer = 10, .seed = 1};
    IdxStream stream(files.images, files.labels, options, 7);
    EXPECT_EQ(stream.rows(), training.size());
    std::vector<std::string> first_epoch;
    for (int epoch : {0, 1}) {
        stream.start_epoch(epoch);
        std::vector<std::string> seen;
        Matrix<float> bx, by;
        while (stream.next_batch(bx, by)) {
            const auto rows = rows_as_text(bx, by);
            seen.insert(seen.end(), rows.begin(), rows.end());
        }
        if (epoch == 0) first_epoch = seen;
        else EXPECT_NE(seen, first_epoch);  // another order
        std::sort(seen.begin(), seen.end());
        std::vector<std::string> expected = training;
        std::sort(expected.begin(), expected.end());
        EXPECT_EQ(seen, expected);
    }
    options.validation = true;
    IdxStream held_out(files.images, files.labels, options, 7);
    held_out.start_epoch(0);
    std::vector<std::string> seen;
    Matrix<float> bx, by;
    while (held_out.next_batch(bx, by)) {
        const auto rows = rows_as_text(bx, by);
        seen.insert(seen.end(), rows.begin(), rows.end());
    }
    EXPECT_EQ(seen, validation);  // in file order
    std::filesystem::remove(files.images);
    std::filesystem::remove(files.labels);
}

TEST(IdxStream, RefusesGzipTruncatedFilesAndLabelsOfAnotherLength) {
    const Files files = mnist_like();
    const auto gzip = write_bytes("dense_idx_stream_gz", {0x1F, 0x8B, 8, 0, 0, 0, 0, 0});
    EXPECT_THROW(IdxStream(gzip, files.labels, {}), DataError);
    const auto truncated = write_bytes("dense_idx_stream_short", idx_file({50, 2, 2}, std::vector<unsigned char>(199, 1)));
    EXPECT_THROW(IdxStream(truncated, files.labels, {}), DataError);
    const auto fewer = write_bytes("dense_idx_stream_fewer", idx_file({49}, std::vector<unsigned char>(49, 1)));
    EXPECT_THROW(IdxStream(files.images, fewer, {}), DataError);
    for (const auto& path : {gzip, truncated, fewer, files.images, files.labels}) std::filesystem::remove(path);
}

}  // namespace
}  // namespace dense::io
