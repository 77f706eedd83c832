// Training curves: ticks at nice numbers, one legend entry per series, gaps at NaN, a dot for a
// lone epoch, and a PNG whose plot area is not blank.
#include "dense/plot/training_curves.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "dense/error.hpp"
#include "picture_reader.hpp"

namespace dense::plot::test {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

History history_of(std::map<std::string, std::vector<double>> values) {
    History history{.epoch = {}, .history = std::move(values)};
    for (std::size_t e = 0; e < history.history.begin()->second.size(); ++e) history.epoch.push_back(static_cast<int>(e));
    return history;
}

std::vector<SvgPath> curves_svg(const History& history, const CurvesOptions& options = {}) {
    TemporaryFolder folder;
    training_curves(history, folder / "curves.svg", options);
    return svg_paths(read_text(folder / "curves.svg"));
}

bool is_tick(const SvgPath& p) { return p.is_segment() && p.stroke_is(palette::ink) && p.segment_length() < 8; }
bool is_x_tick(const SvgPath& p) { return is_tick(p) && p.points[0].x == p.points[1].x; }
bool is_y_tick(const SvgPath& p) { return is_tick(p) && p.points[0].y == p.points[1].y; }
bool is_legend_swatch(const SvgPath& p, Rgb colour) { return p.is_rectangle() && !p.stroked() && p.fill_is(colour); }
bool is_curve(const SvgPath& p, Rgb colour) { return !p.filled() && p.stroke_is(colour) && p.count('L') > 0; }
bool is_dot(const SvgPath& p, Rgb colour) { return p.is_circle() && p.fill_is(colour); }

std::size_t count(const std::vector<SvgPath>& paths, auto predicate) {
    return static_cast<std::size_t>(std::count_if(paths.begin(), paths.end(), predicate));
}

TEST(TrainingCurves, PutsTicksAtNiceNumbers) {
    // loss from 0.2 to 1.0: ticks 0.2, 0.4, 0.6, 0.8, 1.0; epochs 1 to 4: ticks 1, 2, 3, 4.
    const auto paths = curves_svg(history_of({{"loss", {1.0, 0.5, 0.25, 0.2}}}));
    EXPECT_EQ(count(paths, is_y_tick), 5u);
    EXPECT_EQ(count(paths, is_x_tick), 4u);
}

TEST(TrainingCurves, PutsLogTicksAtPowersOfTen) {
    // 0.1 to 100 on a log axis: 0.1, 1, 10, 100.
    const auto paths = curves_svg(history_of({{"loss", {100, 10, 1, 0.1}}}), {.log_scale = true});
    EXPECT_EQ(count(paths, is_y_tick), 4u);
}

TEST(TrainingCurves, DrawsOnePanelPerQuantityWithALegendEntryPerSeries) {
    const auto paths = curves_svg(history_of({{"loss", {0.9, 0.5, 0.4}},
                                              {"val_loss", {1.0, 0.7, 0.6}},
                                              {"accuracy", {0.5, 0.7, 0.8}},
                                              {"val_accuracy", {0.4, 0.6, 0.7}}}));
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return is_legend_swatch(p, palette::training); }), 2u);
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return is_legend_swatch(p, palette::validation); }), 2u);
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return is_curve(p, palette::training); }), 2u);
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return is_curve(p, palette::validation); }), 2u);
}

TEST(TrainingCurves, LeavesAGapAtNaNAndInfinity) {
    const auto paths = curves_svg(history_of({{"loss", {1.0, 0.8, nan, 0.5, 0.4, INFINITY, 0.3, 0.2}}}));
    const auto curve = std::find_if(paths.begin(), paths.end(), [](const SvgPath& p) { return is_curve(p, palette::training); });
    ASSERT_NE(curve, paths.end());
    EXPECT_EQ(curve->count('M'), 3u);  // three runs of finite values
    EXPECT_EQ(curve->count('L'), 3u);  // each run of two values is one segment
}

TEST(TrainingCurves, DrawsALoneEpochAsADot) {
    const auto paths = curves_svg(history_of({{"loss", {0.7}}}));
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return is_dot(p, palette::training); }), 1u);
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return is_curve(p, palette::training); }), 0u);
    EXPECT_EQ(count(paths, is_x_tick), 3u);  // the single epoch 1 is centred on ticks 0, 1, 2
}

TEST(TrainingCurves, DrawsAxesWhenEveryValueIsNaN) {
    const auto paths = curves_svg(history_of({{"loss", {nan, nan}}}));
    EXPECT_GT(count(paths, is_y_tick), 0u);
    EXPECT_EQ(count(paths, [](const SvgPath& p) { return is_curve(p, palette::training); }), 0u);
}

TEST(TrainingCurves, PngPlotAreaIsNotBlank) {
    TemporaryFolder folder;
    const CurvesOptions options{.panel_width = 400, .panel_height = 300};
    training_curves(history_of({{"loss", {1.0, 0.6, 0.4, 0.3, 0.25}}, {"val_loss", {1.1, 0.8, 0.6, 0.6, 0.65}}}),
                    folder / "curves.png", options);
    const PngSize size = png_size(folder / "curves.png");
    EXPECT_EQ(size.width, 400u);
    EXPECT_EQ(size.height, 300u);
    // Inside the frame (72 px left margin, 52 top, 20 right, 52 bottom), away from its border.
    EXPECT_GT(non_white_pixels(folder / "curves.png", 80, 58, 400 - 72 - 20 - 16, 300 - 52 - 52 - 12), 300u);
}

// Cairo writes each character of a text, a space too, as one <use> of its glyph.
std::size_t glyphs_in_svg(const History& history, const CurvesOptions& options) {
    TemporaryFolder folder;
    training_curves(history, folder / "curves.svg", options);
    const std::string svg = read_text(folder / "curves.svg");
    std::size_t glyphs = 0;
    for (auto at = svg.find("<use"); at != std::string::npos; at = svg.find("<use", at + 1)) ++glyphs;
    return glyphs;
}

TEST(TrainingCurves, SaysWhatTheValuesAreOfAfterEveryPanelTitle) {
    const auto history = history_of({{"loss", {0.9, 0.5}}, {"val_loss", {1.0, 0.7}}, {"mae", {0.8, 0.6}}});
    const std::string note = "of 'y' standardised";
    const std::size_t plain = glyphs_in_svg(history, {});
    // Two panels (loss, mae), each titled "loss (of 'y' standardised)": the note and its brackets.
    EXPECT_EQ(glyphs_in_svg(history, {.values_note = note}) - plain, 2 * (" (" + note + ")").size());
    // With the log scale: "loss (of 'y' standardised; log scale)" where it was "loss (log scale)".
    const std::size_t log_only = glyphs_in_svg(history, {.log_scale = true});
    EXPECT_EQ(glyphs_in_svg(history, {.log_scale = true, .values_note = note}) - log_only,
              2 * (note + "; ").size());
}

TEST(TrainingCurves, RejectsAnEmptyHistory) {
    TemporaryFolder folder;
    EXPECT_THROW(training_curves(History{}, folder / "curves.svg"), UsageError);
}

}  // namespace
}  // namespace dense::plot::test
