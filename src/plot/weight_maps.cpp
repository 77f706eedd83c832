#include "dense/plot/weight_maps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>

#include "dense/error.hpp"
#include "plot/axis.hpp"
#include "plot/draw.hpp"
#include "plot/pictures.hpp"

namespace dense::plot {
namespace {

constexpr double left_margin = 80;
constexpr double cell_size = 40;         // largest drawn size of one weight
constexpr double map_width = 320, map_height = 260;
constexpr double bar_width = 14;
constexpr std::size_t max_vector_cells = 64 * 64;
constexpr double histogram_width = 300, histogram_height = 200;
constexpr double title_height = 56, row_gap = 70;
constexpr double picture_width = left_margin + map_width + 30 + bar_width + 60 + 80 + histogram_width + 30;

struct KernelStats {
    double min = 0, max = 0, mean = 0, std = 0, largest_magnitude = 1;
    std::size_t non_finite = 0;
};

KernelStats stats_of(const std::vector<double>& kernel) {
    KernelStats stats{.min = std::numeric_limits<double>::infinity(), .max = -std::numeric_limits<double>::infinity()};
    double sum = 0, sum_squares = 0;
    std::size_t finite = 0;
    for (double w : kernel) {
        if (!std::isfinite(w)) {
            ++stats.non_finite;
            continue;
        }
        ++finite;
        sum += w;
        sum_squares += w * w;
        stats.min = std::min(stats.min, w);
        stats.max = std::max(stats.max, w);
    }
    if (finite == 0) return {.non_finite = stats.non_finite};
    stats.mean = sum / static_cast<double>(finite);
    stats.std = std::sqrt(std::max(0.0, sum_squares / static_cast<double>(finite) - stats.mean * stats.mean));
    stats.largest_magnitude = std::max({std::abs(stats.min), std::abs(stats.max), 1e-12});
    return stats;
}

struct MapSize {
    double width, height;
};

MapSize map_size(const LayerView& layer) {
    return {std::min(map_width, static_cast<double>(layer.units) * cell_size),
            std::min(map_height, static_cast<double>(layer.inputs) * cell_size)};
}

double row_height(const LayerView& layer) {
    return title_height + std::max({map_size(layer).height, histogram_height, 120.0}) + row_gap;
}

// The kernel as an image, one pixel per weight: x = unit, y = input.
std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> kernel_image(const LayerView& layer,
                                                                                double largest) {
    const int width = static_cast<int>(layer.units), height = static_cast<int>(layer.inputs);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> image(
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), cairo_surface_destroy);
    cairo_surface_flush(image.get());
    unsigned char* data = cairo_image_surface_get_data(image.get());
    const int stride = cairo_image_surface_get_stride(image.get());
    const auto channel = [](double c) { return static_cast<std::uint32_t>(std::lround(c * 255)); };
    for (int input = 0; input < height; ++input) {
        auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(input) * stride);
        for (int unit = 0; unit < width; ++unit) {
            const Rgb c = diverging(layer.weight(static_cast<std::size_t>(input), static_cast<std::size_t>(unit)) / largest);
            row[unit] = channel(c.red) << 16 | channel(c.green) << 8 | channel(c.blue);
        }
    }
    cairo_surface_mark_dirty(image.get());
    return image;
}

// Small kernels as one rectangle per weight (crisp in SVG at any zoom), large ones as an image.
void draw_cells(cairo_t* cr, const LayerView& layer, const Frame& frame, double largest) {
    const double width = frame.width / static_cast<double>(layer.units);
    const double height = frame.height / static_cast<double>(layer.inputs);
    for (std::size_t input = 0; input < layer.inputs; ++input)
        for (std::size_t unit = 0; unit < layer.units; ++unit) {
            set_colour(cr, diverging(layer.weight(input, unit) / largest));
            cairo_new_path(cr);
            cairo_rectangle(cr, frame.left + width * static_cast<double>(unit),
                            frame.top + height * static_cast<double>(input), width, height);
            cairo_fill(cr);
        }
}

void draw_image(cairo_t* cr, const LayerView& layer, const Frame& frame, double largest) {
    auto image = kernel_image(layer, largest);
    cairo_save(cr);
    cairo_translate(cr, frame.left, frame.top);
    cairo_scale(cr, frame.width / static_cast<double>(layer.units), frame.height / static_cast<double>(layer.inputs));
    cairo_set_source_surface(cr, image.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_new_path(cr);
    cairo_rectangle(cr, 0, 0, static_cast<double>(layer.units), static_cast<double>(layer.inputs));
    cairo_fill(cr);
    cairo_restore(cr);
}

// "input 1" or "inputs 1–784".
std::string numbered(const std::string& noun, std::size_t count) {
    return count == 1 ? noun + " 1" : noun + "s 1\u2013" + std::to_string(count);
}

void draw_heat_map(cairo_t* cr, const LayerView& layer, const Frame& frame, double largest) {
    if (layer.kernel.size() <= max_vector_cells)
        draw_cells(cr, layer, frame, largest);
    else
        draw_image(cr, layer, frame, largest);
    set_colour(cr, palette::ink);
    cairo_set_line_width(cr, 1);
    cairo_new_path(cr);
    cairo_rectangle(cr, frame.left, frame.top, frame.width, frame.height);
    cairo_stroke(cr);
    text(cr, frame.left + frame.width / 2, frame.top + frame.height + 6, numbered("unit", layer.units) + " \u2192",
         {.size = 10, .horizontal = Align::middle, .vertical = Align::start});
    cairo_save(cr);
    cairo_translate(cr, frame.left - 10, frame.top + frame.height / 2);
    cairo_rotate(cr, -std::numbers::pi / 2);
    text(cr, 0, 0, "\u2190 " + numbered("input", layer.inputs), {.size = 10, .horizontal = Align::middle});
    cairo_restore(cr);
}

// The bar spans exactly [-largest, largest], the range the cells are coloured over.
void draw_colour_bar(cairo_t* cr, const Frame& frame, double largest) {
    Axis axis{.ticks = {.low = -largest, .high = largest}};
    for (double v : nice_ticks(-largest, largest).values)
        if (std::abs(v) <= largest * (1 + 1e-9)) axis.ticks.values.push_back(v);
    cairo_pattern_t* gradient = cairo_pattern_create_linear(0, y_of(frame, axis, -largest), 0, y_of(frame, axis, largest));
    for (double t : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
        const Rgb c = diverging(t);
        cairo_pattern_add_color_stop_rgb(gradient, (t + 1) / 2, c.red, c.green, c.blue);
    }
    cairo_pattern_set_extend(gradient, CAIRO_EXTEND_PAD);
    cairo_set_source(cr, gradient);
    cairo_new_path(cr);
    cairo_rectangle(cr, frame.left, frame.top, frame.width, frame.height);
    cairo_fill_preserve(cr);
    cairo_pattern_destroy(gradient);
    set_colour(cr, palette::ink);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    draw_right_axis(cr, frame, axis);
}

void draw_histogram(cairo_t* cr, const LayerView& layer, const KernelStats& stats, const Frame& frame,
                    std::size_t bin_count) {
    const Axis x{.ticks = nice_ticks(stats.min, stats.max), .label = "weight"};
    const double low = x.ticks.low, width = (x.ticks.high - x.ticks.low) / static_cast<double>(bin_count);
    std::vector<std::size_t> bins(bin_count, 0);
    for (double w : layer.kernel)
        if (std::isfinite(w))
            ++bins[std::min(bin_count - 1, static_cast<std::size_t>(std::max(0.0, (w - low) / width)))];
    const Axis y{.ticks = integer_ticks(0, static_cast<double>(*std::max_element(bins.begin(), bins.end()))),
                 .label = "count"};
    draw_axes(cr, frame, x, y);
    for (std::size_t b = 0; b < bin_count; ++b) {
        if (bins[b] == 0) continue;
        const double from = low + width * static_cast<double>(b);
        set_colour(cr, diverging((from + width / 2) / stats.largest_magnitude));
        const double x0 = x_of(frame, x, from), x1 = x_of(frame, x, from + width);
        const double top = y_of(frame, y, static_cast<double>(bins[b])), bottom = y_of(frame, y, 0);
        cairo_new_path(cr);
        cairo_rectangle(cr, x0, top, x1 - x0, bottom - top);
        cairo_fill_preserve(cr);
        set_colour(cr, rgb(0x606060));
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
    }
}

void draw_layer_row(cairo_t* cr, const LayerView& layer, double top, const WeightMapOptions& options) {
    const KernelStats stats = stats_of(layer.kernel);
    std::string title = layer.name + " \u00B7 kernel [" + std::to_string(layer.inputs) + ", " +
                        std::to_string(layer.units) + "]";
    text(cr, left_margin - 50, top + 16, title, {.size = 12, .bold = true});
    text(cr, left_margin - 50, top + 34,
         "min " + format_number(stats.min) + "   max " + format_number(stats.max) + "   mean " +
             format_number(stats.mean) + "   std " + format_number(stats.std) +
             (stats.non_finite ? "   non-finite " + std::to_string(stats.non_finite) : ""),
         {.size = 10});
    const MapSize size = map_size(layer);
    const Frame map{left_margin, top + title_height, size.width, size.height};
    draw_heat_map(cr, layer, map, stats.largest_magnitude);
    const Frame bar{map.left + size.width + 30, map.top, bar_width, std::max(size.height, 120.0)};
    draw_colour_bar(cr, bar, stats.largest_magnitude);
    // Histograms line up in one column whatever the width of the heat maps.
    const Frame histogram{left_margin + map_width + 30 + bar_width + 60 + 80, map.top, histogram_width, histogram_height};
    draw_histogram(cr, layer, stats, histogram, options.histogram_bins);
}

}  // namespace

Picture weights_picture(const NetworkView& network, const WeightMapOptions& options) {
    if (options.histogram_bins == 0)
        throw UsageError("dense::plot: WeightMapOptions::histogram_bins is 0; use at least 1");
    auto dense_layers = std::make_shared<std::vector<LayerView>>();
    for (const LayerView& layer : network.layers)
        if (layer.is_dense()) dense_layers->push_back(layer);
    if (dense_layers->empty())
        throw UsageError("dense::plot: model '" + network.name + "' has no Dense layer, so it has no kernel to map");
    double height = 0;
    for (const LayerView& layer : *dense_layers) height += row_height(layer);
    return {picture_width, height, [dense_layers, options](cairo_t* cr) {
                fill_background(cr);
                double top = 0;
                for (const LayerView& layer : *dense_layers) {
                    draw_layer_row(cr, layer, top, options);
                    top += row_height(layer);
                }
            }};
}

template <class T>
void weight_maps(const BasicSequential<T>& model, const std::filesystem::path& path, const WeightMapOptions& options) {
    save(weights_picture(view_of(model), options), path);
}

template void weight_maps(const BasicSequential<float>&, const std::filesystem::path&, const WeightMapOptions&);
template void weight_maps(const BasicSequential<double>&, const std::filesystem::path&, const WeightMapOptions&);

}  // namespace dense::plot
