// The network diagram draws exactly one circle per neuron shown and one line per connection
// shown, coloured by the sign of its weight; wide layers are condensed to the configured limit.
#include "dense/plot/network_diagram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dense/dense.hpp"
#include "picture_reader.hpp"

namespace dense::plot::test {
namespace {

std::size_t count_if(const std::vector<SvgPath>& paths, auto predicate) {
    return static_cast<std::size_t>(std::count_if(paths.begin(), paths.end(), predicate));
}

bool is_neuron(const SvgPath& p) { return p.is_circle() && p.filled() && p.stroke_is(palette::ink); }
bool is_connection(const SvgPath& p) {
    return p.is_segment() && !p.filled() && (p.stroke_is(palette::positive) || p.stroke_is(palette::negative));
}

// Weights i·0.1 − 0.35 for the i-th weight of each layer: both signs, all magnitudes distinct.
std::vector<Tensor<double>> graded_weights(const f64::Sequential& model) {
    std::vector<Tensor<double>> weights = model.get_weights();
    for (Tensor<double>& tensor : weights)
        for (std::size_t i = 0; i < tensor.size(); ++i) tensor.values[i] = static_cast<double>(i) * 0.1 - 0.35;
    return weights;
}

f64::Sequential course_network() {
    f64::Sequential model({f64::Dense(4, "relu", {.input_dim = 1}), f64::Dense(4, "relu"), f64::Dense(1)});
    model.build(1);
    model.set_weights(graded_weights(model));
    return model;
}

TEST(NetworkDiagram, DrawsOneCirclePerNeuronOfThe441Network) {
    TemporaryFolder folder;
    network_diagram(course_network(), folder / "net.svg");
    const auto paths = svg_paths(read_text(folder / "net.svg"));
    EXPECT_EQ(count_if(paths, is_neuron), 1u + 4 + 4 + 1);
}

TEST(NetworkDiagram, DrawsOneLinePerConnectionColouredByItsSign) {
    TemporaryFolder folder;
    const f64::Sequential model = course_network();
    network_diagram(model, folder / "net.svg");
    std::size_t positive = 0, negative = 0;
    for (const Tensor<double>& tensor : model.get_weights())
        if (tensor.shape.size() == 2)  // kernels only: biases are not connections
            for (double w : tensor.values) (w < 0 ? negative : positive) += 1;
    const auto paths = svg_paths(read_text(folder / "net.svg"));
    EXPECT_EQ(count_if(paths, is_connection), 1u * 4 + 4 * 4 + 4 * 1);
    EXPECT_EQ(count_if(paths, [](const SvgPath& p) { return is_connection(p) && p.stroke_is(palette::positive); }),
              positive);
    EXPECT_EQ(count_if(paths, [](const SvgPath& p) { return is_connection(p) && p.stroke_is(palette::negative); }),
              negative);
}

TEST(NetworkDiagram, StrongerWeightsDrawThickerLines) {
    TemporaryFolder folder;
    f64::Sequential model({f64::Dense(2, {.input_dim = 1})});
    model.build(1);
    model.set_weights({Tensor<double>({1, 2}, {0.1, -2.0}), Tensor<double>({2}, {0, 0})});
    network_diagram(model, folder / "net.svg");
    const auto paths = svg_paths(read_text(folder / "net.svg"));
    const auto weak = std::find_if(paths.begin(), paths.end(),
                                   [](const SvgPath& p) { return is_connection(p) && p.stroke_is(palette::positive); });
    const auto strong = std::find_if(paths.begin(), paths.end(),
                                     [](const SvgPath& p) { return is_connection(p) && p.stroke_is(palette::negative); });
    ASSERT_NE(weak, paths.end());
    ASSERT_NE(strong, paths.end());
    EXPECT_GT(std::stod(strong->style.at("stroke-width")), 3 * std::stod(weak->style.at("stroke-width")));
}

TEST(NetworkDiagram, StillDrawsEveryConnectionWhenAWeightIsNaN) {
    TemporaryFolder folder;
    f64::Sequential model({f64::Dense(2, {.input_dim = 2})});
    model.build(2);
    model.set_weights({Tensor<double>({2, 2}, {std::nan(""), 1, -1, INFINITY}), Tensor<double>({2}, {0, std::nan("")})});
    network_diagram(model, folder / "net.svg");
    EXPECT_EQ(count_if(svg_paths(read_text(folder / "net.svg")), is_connection), 4u);
}

TEST(NetworkDiagram, CondensesLayersWiderThanTheLimit) {
    TemporaryFolder folder;
    f64::Sequential model({f64::Dense(40, "relu", {.input_dim = 300}), f64::Dense(3, "softmax")});
    model.build(300);
    network_diagram(model, folder / "net.svg", {.max_neurons_per_layer = 16});
    const auto paths = svg_paths(read_text(folder / "net.svg"));
    EXPECT_EQ(count_if(paths, is_neuron), 16u + 16 + 3);
    EXPECT_EQ(count_if(paths, is_connection), 16u * 16 + 16 * 3);
}

TEST(NetworkDiagram, DropoutAndActivationLayersAddNoNeurons) {
    TemporaryFolder folder;
    f64::Sequential model({f64::Dense(3, "relu", {.input_dim = 2}), f64::Dropout(0.5), f64::Dense(2),
                           f64::ActivationLayer("softmax")});
    model.build(2);
    network_diagram(model, folder / "net.svg");
    const auto paths = svg_paths(read_text(folder / "net.svg"));
    EXPECT_EQ(count_if(paths, is_neuron), 2u + 3 + 2);
    EXPECT_EQ(count_if(paths, is_connection), 2u * 3 + 3 * 2);
}

TEST(NetworkDiagram, PngHasTheSvgSizeAndIsNotBlank) {
    TemporaryFolder folder;
    const f64::Sequential model = course_network();
    network_diagram(model, folder / "net.svg");
    network_diagram(model, folder / "net.png");
    const Point size = svg_size(read_text(folder / "net.svg"));
    const PngSize png = png_size(folder / "net.png");
    EXPECT_EQ(png.width, static_cast<unsigned>(std::ceil(size.x)));
    EXPECT_EQ(png.height, static_cast<unsigned>(std::ceil(size.y)));
    // Ten neurons of radius 16 alone cover thousands of pixels.
    EXPECT_GT(non_white_pixels(folder / "net.png", 0, 0, static_cast<int>(png.width), static_cast<int>(png.height)),
              2000u);
}

TEST(NetworkDiagram, WritesPdf) {
    TemporaryFolder folder;
    network_diagram(course_network(), folder / "net.pdf");
    EXPECT_EQ(read_text(folder / "net.pdf").substr(0, 5), "%PDF-");
}

TEST(NetworkDiagram, RejectsAnUnknownExtension) {
    TemporaryFolder folder;
    EXPECT_THROW(network_diagram(course_network(), folder / "net.bmp"), UsageError);
    EXPECT_FALSE(std::filesystem::exists(folder / "net.bmp"));
}

TEST(NetworkDiagram, RejectsAModelThatIsNotBuilt) {
    TemporaryFolder folder;
    const f64::Sequential model({f64::Dense(4), f64::Dense(1)});
    EXPECT_THROW(network_diagram(model, folder / "net.svg"), UsageError);
}

TEST(NetworkDiagram, DrawsFloatModelsToo) {
    TemporaryFolder folder;
    Sequential model({Dense(3, "tanh", {.input_dim = 2}), Dense(1, "sigmoid")});
    model.build(2);
    network_diagram(model, folder / "net.svg");
    EXPECT_EQ(count_if(svg_paths(read_text(folder / "net.svg")), is_neuron), 2u + 3 + 1);
}

}  // namespace
}  // namespace dense::plot::test
