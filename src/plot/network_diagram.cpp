#include "dense/plot/network_diagram.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include "dense/error.hpp"
#include "plot/draw.hpp"
#include "plot/pictures.hpp"

namespace dense::plot {
namespace {

constexpr double radius = 16;
constexpr double slot_height = 46;     // vertical distance between neurons
constexpr double column_spacing = 220;
constexpr double margin = 70;
constexpr double header_height = 72;
constexpr double footer_height = 44;
constexpr double band_width = 18;      // a Dropout / Activation layer between columns

// One column of neurons: the inputs, or the units of a Dense layer.
struct Column {
    const LayerView* layer = nullptr;  // nullptr for the inputs
    std::size_t size = 0;
    std::vector<std::size_t> shown = {};  // neuron indices drawn, in order
    std::vector<double> y = {};        // their centres
    double ellipsis_y = 0;             // where "⋮ N more" goes when condensed
    double x = 0;
    std::vector<const LayerView*> passes = {};  // Dropout / Activation layers after this column

    bool condensed() const { return shown.size() < size; }
};

struct Layout {
    std::vector<Column> columns;
    double width = 0, height = 0;
    double top = 0, bottom = 0;  // of the neuron area
};

std::vector<std::size_t> shown_neurons(std::size_t size, std::size_t limit) {
    std::vector<std::size_t> shown;
    const std::size_t head = size <= limit ? size : limit / 2;
    for (std::size_t i = 0; i < head; ++i) shown.push_back(i);
    if (size > limit)
        for (std::size_t i = size - (limit - head); i < size; ++i) shown.push_back(i);
    return shown;
}

std::vector<Column> columns_of(const NetworkView& network, std::size_t limit) {
    std::vector<Column> columns{Column{.size = network.input_dim, .shown = shown_neurons(network.input_dim, limit)}};
    for (const LayerView& layer : network.layers) {
        if (layer.is_dense())
            columns.push_back({.layer = &layer, .size = layer.units, .shown = shown_neurons(layer.units, limit)});
        else
            columns.back().passes.push_back(&layer);
    }
    return columns;
}

// Slots are neurons plus one for the ellipsis of a condensed column; columns are centred.
void place_neurons(Column& column, double top, std::size_t tallest) {
    const std::size_t slots = column.shown.size() + (column.condensed() ? 1 : 0);
    double y = top + (static_cast<double>(tallest - slots) + 1) * slot_height / 2;
    for (std::size_t k = 0; k < column.shown.size(); ++k) {
        if (column.condensed() && k == column.shown.size() / 2) {
            column.ellipsis_y = y;
            y += slot_height;
        }
        column.y.push_back(y);
        y += slot_height;
    }
}

Layout layout_of(const NetworkView& network, const DiagramOptions& options) {
    Layout layout{.columns = columns_of(network, options.max_neurons_per_layer)};
    std::size_t tallest = 1;
    for (const Column& column : layout.columns)
        tallest = std::max(tallest, column.shown.size() + (column.condensed() ? 1 : 0));
    layout.top = header_height;
    layout.bottom = layout.top + static_cast<double>(tallest) * slot_height;
    for (std::size_t c = 0; c < layout.columns.size(); ++c) {
        layout.columns[c].x = margin + static_cast<double>(c) * column_spacing;
        place_neurons(layout.columns[c], layout.top, tallest);
    }
    const double trailing = layout.columns.back().passes.empty() ? 0 : column_spacing / 2;
    layout.width = layout.columns.back().x + margin + 40 + trailing;
    layout.height = layout.bottom + footer_height;
    return layout;
}

void draw_connections(cairo_t* cr, const Column& from, const Column& to) {
    const LayerView& layer = *to.layer;
    double largest = 0;
    for (double w : layer.kernel) largest = std::max(largest, std::abs(w));
    if (largest == 0 || !std::isfinite(largest)) largest = 1;

    struct Connection {
        double weight, y0, y1;
    };
    std::vector<Connection> connections;
    for (std::size_t i = 0; i < from.shown.size(); ++i)
        for (std::size_t j = 0; j < to.shown.size(); ++j)
            connections.push_back({layer.weight(from.shown[i], to.shown[j]), from.y[i], to.y[j]});
    // Strong connections last, so they are drawn on top of weak ones.
    std::stable_sort(connections.begin(), connections.end(),
                     [](const Connection& a, const Connection& b) { return std::abs(a.weight) < std::abs(b.weight); });
    for (const Connection& c : connections) {
        const double strength = std::isfinite(c.weight) ? std::min(1.0, std::abs(c.weight) / largest) : 1.0;
        set_colour(cr, c.weight < 0 ? palette::negative : palette::positive, 0.3 + 0.65 * strength);
        cairo_set_line_width(cr, 0.4 + 3.6 * strength);
        line(cr, from.x + radius, c.y0, to.x - radius, c.y1);
    }
}

// A sketch of f(z) for z in [-3, 3] inside the neuron.
void draw_activation_icon(cairo_t* cr, const Activation& activation, double x, double y) {
    constexpr std::size_t samples = 25;
    Matrix<double> z(samples, 1), a(samples, 1);
    for (std::size_t i = 0; i < samples; ++i) z(i, 0) = -3.0 + 6.0 * static_cast<double>(i) / (samples - 1);
    // Softmax of one neuron against the others is a sigmoid of its own logit.
    const Activation shape = activation.kind() == ActivationKind::softmax ? activations::sigmoid : activation;
    shape.apply(z, a);
    const auto [low, high] = std::minmax_element(a.values().begin(), a.values().end());
    const double span = *high - *low > 1e-12 ? *high - *low : 1.0;
    const double half = radius * 0.6;
    cairo_new_path(cr);
    for (std::size_t i = 0; i < samples; ++i) {
        const double px = x - half + 2 * half * static_cast<double>(i) / (samples - 1);
        const double py = *high - *low > 1e-12 ? y + half - 2 * half * (a(i, 0) - *low) / span : y;
        cairo_line_to(cr, px, py);
    }
    set_colour(cr, rgb(0x404040));
    cairo_set_line_width(cr, 1.3);
    cairo_stroke(cr);
}

void draw_neuron(cairo_t* cr, double x, double y, Rgb fill) {
    cairo_new_path(cr);
    circle_path(cr, x, y, radius);
    set_colour(cr, fill);
    cairo_fill_preserve(cr);
    set_colour(cr, palette::ink);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
}

void draw_column_neurons(cairo_t* cr, const Column& column, const DiagramOptions& options) {
    const bool is_input = column.layer == nullptr;
    for (std::size_t k = 0; k < column.shown.size(); ++k) {
        const double y = column.y[k];
        draw_neuron(cr, column.x, y, is_input ? rgb(0xEEEEEE) : rgb(0xFFF7E0));
        if (is_input) {
            std::string label = "x";
            label += std::to_string(column.shown[k] + 1);
            text(cr, column.x, y, label, {.size = 9, .horizontal = Align::middle});
            continue;
        }
        draw_activation_icon(cr, column.layer->activation, column.x, y);
        if (options.show_biases && !column.layer->bias.empty())
            text_with_halo(cr, column.x + radius + 2, y + radius - 1,
                           "b " + format_signed(column.layer->bias[column.shown[k]]), {.size = 8.5});
    }
    if (column.condensed())
        text(cr, column.x, column.ellipsis_y, "\u22EE " + std::to_string(column.size - column.shown.size()) + " more",
             {.size = 10, .horizontal = Align::middle});
}

void draw_column_header(cairo_t* cr, const Column& column) {
    const bool is_input = column.layer == nullptr;
    const std::string title = is_input ? "input" : column.layer->name;
    const std::string count = std::to_string(column.size) + (is_input ? " input" : " unit") + (column.size == 1 ? "" : "s");
    const std::string kind = is_input ? count : "Dense \u00B7 " + count;
    text(cr, column.x, 14, title, {.size = 11, .bold = true, .horizontal = Align::middle});
    text(cr, column.x, 30, kind, {.size = 10, .horizontal = Align::middle});
    if (!is_input)
        text(cr, column.x, 45, std::string(column.layer->activation.name()), {.size = 10, .horizontal = Align::middle});
}

std::string pass_label(const LayerView& layer) {
    if (layer.type == "Dropout") return layer.name + " \u00B7 Dropout " + format_number(layer.dropout_rate);
    if (layer.type == "Activation") return layer.name + " \u00B7 " + std::string(layer.activation.name());
    return layer.name + " \u00B7 " + layer.type;
}

// Layers without neurons of their own, as labelled bands across the gap after `column`.
void draw_passes(cairo_t* cr, const Column& column, const Layout& layout) {
    const double gap_start = column.x + radius + 30;
    const double gap = column_spacing - 2 * radius - 60;
    const double count = static_cast<double>(column.passes.size());
    for (std::size_t p = 0; p < column.passes.size(); ++p) {
        const double x = gap_start + gap * (static_cast<double>(p) + 1) / (count + 1);
        set_colour(cr, rgb(0xD9D9D9), 0.75);
        cairo_new_path(cr);
        cairo_rectangle(cr, x - band_width / 2, layout.top, band_width, layout.bottom - layout.top);
        cairo_fill(cr);
        cairo_save(cr);
        cairo_translate(cr, x, (layout.top + layout.bottom) / 2);
        cairo_rotate(cr, -std::numbers::pi / 2);
        text(cr, 0, 0, pass_label(*column.passes[p]), {.size = 9.5, .horizontal = Align::middle});
        cairo_restore(cr);
    }
}

void draw_legend(cairo_t* cr, const Layout& layout) {
    const double y = layout.bottom + footer_height / 2;
    double x = margin - radius;
    for (const auto& [colour, label] : {std::pair{palette::positive, "positive weight"},
                                        std::pair{palette::negative, "negative weight"}}) {
        set_colour(cr, colour);
        cairo_new_path(cr);
        cairo_rectangle(cr, x, y - 5, 10, 10);
        cairo_fill(cr);
        x += 14 + text(cr, x + 14, y, label, {.size = 9.5}) + 16;
    }
    text(cr, x, y, "line width \u221D |weight| \u00B7 b = bias \u00B7 curve in a neuron = its activation f(z)",
         {.size = 9.5});
}

void draw_network(cairo_t* cr, const Layout& layout, const DiagramOptions& options) {
    fill_background(cr);
    const auto& columns = layout.columns;
    for (std::size_t c = 1; c < columns.size(); ++c) draw_connections(cr, columns[c - 1], columns[c]);
    for (const Column& column : columns) draw_passes(cr, column, layout);
    for (const Column& column : columns) {
        draw_column_neurons(cr, column, options);
        draw_column_header(cr, column);
    }
    draw_legend(cr, layout);
}

}  // namespace

Picture network_picture(const NetworkView& network, const DiagramOptions& options) {
    if (options.max_neurons_per_layer < 2)
        throw UsageError("dense::plot: DiagramOptions::max_neurons_per_layer is " +
                         std::to_string(options.max_neurons_per_layer) + "; it must be at least 2");
    // The layout points into the network's layers, so the picture keeps its own copy of both.
    auto kept = std::make_shared<const NetworkView>(network);
    auto layout = std::make_shared<const Layout>(layout_of(*kept, options));
    return {layout->width, layout->height,
            [kept, layout, options](cairo_t* cr) { draw_network(cr, *layout, options); }};
}

template <class T>
void network_diagram(const BasicSequential<T>& model, const std::filesystem::path& path, const DiagramOptions& options) {
    save(network_picture(view_of(model), options), path);
}

template void network_diagram(const BasicSequential<float>&, const std::filesystem::path&, const DiagramOptions&);
template void network_diagram(const BasicSequential<double>&, const std::filesystem::path&, const DiagramOptions&);

}  // namespace dense::plot
