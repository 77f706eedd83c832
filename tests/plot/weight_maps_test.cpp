// Weight maps: one coloured cell per weight of a small kernel, blue for positive and red for
// negative, and a histogram with one bar per occupied bin.
#include "dense/plot/weight_maps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dense/dense.hpp"
#include "picture_reader.hpp"

namespace dense::plot::test {
namespace {

// A 2 → 3 layer whose kernel is [[-1, -0.5, 0.5], [1, 1, 1]]: 2 negative and 4 positive weights.
f64::Sequential small_model() {
    f64::Sequential model({f64::Dense(3, {.input_dim = 2})});
    model.build(2);
    model.set_weights({Tensor<double>({2, 3}, {-1, -0.5, 0.5, 1, 1, 1}), Tensor<double>({3}, {0, 0, 0})});
    return model;
}

std::size_t count(const std::vector<SvgPath>& paths, auto predicate) {
    return static_cast<std::size_t>(std::count_if(paths.begin(), paths.end(), predicate));
}

TEST(WeightMaps, ColoursOneCellPerWeightBySign) {
    TemporaryFolder folder;
    weight_maps(small_model(), folder / "w.svg");
    const auto paths = svg_paths(read_text(folder / "w.svg"));
    // ±1 are the largest magnitudes, so they take the end colours of the scale exactly.
    const auto cell = [](Rgb colour) {
        return [colour](const SvgPath& p) { return p.is_rectangle() && !p.stroked() && p.fill_is(colour); };
    };
    EXPECT_EQ(count(paths, cell(palette::positive)), 3u);
    EXPECT_EQ(count(paths, cell(palette::negative)), 1u);
    EXPECT_EQ(count(paths, cell(diverging(0.5))), 1u);
    EXPECT_EQ(count(paths, cell(diverging(-0.5))), 1u);
}

TEST(WeightMaps, HistogramHasOneBarPerOccupiedBin) {
    TemporaryFolder folder;
    // Values -1, -0.5, 0.5, 1, 1, 1 over [-1, 1] in 4 bins of 0.5: counts 1, 1, 0, 4.
    weight_maps(small_model(), folder / "w.svg", {.histogram_bins = 4});
    const auto paths = svg_paths(read_text(folder / "w.svg"));
    std::vector<double> heights;
    for (const SvgPath& p : paths)
        if (p.is_rectangle() && p.filled() && p.stroked() && !p.stroke_is(palette::ink))
            heights.push_back(p.points[2].y - p.points[1].y);
    ASSERT_EQ(heights.size(), 3u);
    std::sort(heights.begin(), heights.end());
    EXPECT_NEAR(heights[0], heights[1], 1e-6);
    EXPECT_NEAR(heights[2], 4 * heights[0], 1e-6);
}

TEST(WeightMaps, DrawsLargeKernelsAsAnImage) {
    TemporaryFolder folder;
    f64::Sequential model({f64::Dense(100, "relu", {.input_dim = 300}), f64::Dense(10)});
    model.build(300);
    weight_maps(model, folder / "w.png");
    const PngSize size = png_size(folder / "w.png");
    EXPECT_GT(size.width, 600u);
    // The first heat map starts 80 px from the left, 56 px from the top.
    EXPECT_GT(non_white_pixels(folder / "w.png", 90, 66, 200, 150), 200u * 150 / 2);
}

TEST(WeightMaps, DrawsNonFiniteWeightsInGreyAndCountsThem) {
    TemporaryFolder folder;
    f64::Sequential model({f64::Dense(2, {.input_dim = 1})});
    model.build(1);
    model.set_weights({Tensor<double>({1, 2}, {std::nan(""), 0.5}), Tensor<double>({2}, {0, 0})});
    weight_maps(model, folder / "w.svg");
    const auto paths = svg_paths(read_text(folder / "w.svg"));
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return p.is_rectangle() && p.fill_is(diverging(std::nan(""))); }), 1u);
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return p.is_rectangle() && !p.stroked() && p.fill_is(palette::positive); }),
              1u);
}

TEST(WeightMaps, RejectsAModelWithoutDenseLayers) {
    TemporaryFolder folder;
    f64::Sequential model({f64::Dropout(0.5)});
    model.build(3);
    EXPECT_THROW(weight_maps(model, folder / "w.svg"), UsageError);
}

}  // namespace
}  // namespace dense::plot::test
