#include "dense/plot/training_curves.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "dense/error.hpp"
#include "dense/plot/history_csv.hpp"
#include "plot/axis.hpp"
#include "plot/draw.hpp"
#include "plot/pictures.hpp"

namespace dense::plot {
namespace {

constexpr std::size_t panels_per_row = 3;
constexpr double dot_radius = 3;

struct Series {
    std::string name;
    const std::vector<double>* values;
    Rgb colour;
    bool dashed;
};

// One quantity ("loss", "accuracy"...) with its training and validation series.
struct Panel {
    std::string title;
    std::vector<Series> series = {};
};

bool is_validation(const std::string& key) { return key.starts_with("val_"); }

std::vector<Panel> panels_of(const History& history) {
    std::vector<Panel> panels;
    for (const auto& [key, values] : history.history) {
        const bool validation = is_validation(key);
        if (validation && history.history.contains(key.substr(4))) continue;  // drawn with its training series
        Panel panel{.title = validation ? key.substr(4) : key};
        panel.series.push_back({key, &values, validation ? palette::validation : palette::training, validation});
        if (const auto found = history.history.find("val_" + key); !validation && found != history.history.end())
            panel.series.push_back({found->first, &found->second, palette::validation, true});
        panels.push_back(std::move(panel));
    }
    std::stable_partition(panels.begin(), panels.end(), [](const Panel& p) { return p.title == "loss"; });
    return panels;
}

// The epoch number shown for the i-th value: 1-based, as the progress bar counts.
double epoch_at(const History& history, std::size_t i) {
    return i < history.epoch.size() ? history.epoch[i] + 1.0 : static_cast<double>(i) + 1.0;
}

bool drawable(double value, bool log_scale) { return std::isfinite(value) && (!log_scale || value > 0); }

Axis value_axis(const Panel& panel, bool log_scale) {
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const Series& s : panel.series)
        for (double v : *s.values)
            if (drawable(v, log_scale)) {
                low = std::min(low, v);
                high = std::max(high, v);
            }
    if (low > high) {
        low = log_scale ? 0.1 : 0.0;
        high = 1.0;
    }
    return {.ticks = log_scale ? log_ticks(low, high) : nice_ticks(low, high), .log = log_scale, .label = panel.title};
}

Axis epoch_axis(const History& history, const Panel& panel) {
    std::size_t longest = 1;
    for (const Series& s : panel.series) longest = std::max(longest, s.values->size());
    return {.ticks = integer_ticks(epoch_at(history, 0), epoch_at(history, longest - 1)), .label = "epoch"};
}

// Runs of drawable values become polylines; a run of one value becomes a dot.
void draw_series(cairo_t* cr, const History& history, const Series& series, const Frame& frame, const Axis& x,
                 const Axis& y, bool log_scale) {
    const auto& values = *series.values;
    cairo_new_path(cr);
    std::vector<std::pair<double, double>> dots;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!drawable(values[i], log_scale)) continue;
        const double px = x_of(frame, x, epoch_at(history, i)), py = y_of(frame, y, values[i]);
        const bool starts_run = i == 0 || !drawable(values[i - 1], log_scale);
        const bool ends_run = i + 1 == values.size() || !drawable(values[i + 1], log_scale);
        if (starts_run && ends_run)
            dots.emplace_back(px, py);
        else if (starts_run)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    set_colour(cr, series.colour);
    cairo_set_line_width(cr, 2);
    const double dash[] = {6, 3};
    cairo_set_dash(cr, dash, series.dashed ? 2 : 0, 0);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    for (const auto& [px, py] : dots) {
        cairo_new_path(cr);
        circle_path(cr, px, py, dot_radius);
        cairo_fill(cr);
    }
}

// One row of entries above the plot area, centred, so it never hides a curve.
void draw_legend(cairo_t* cr, const Panel& panel, const Frame& frame) {
    constexpr double swatch = 10, gap = 6, spacing = 18;
    double width = 0;
    for (const Series& s : panel.series) width += swatch + gap + text_width(cr, s.name, 10) + spacing;
    double x = frame.left + (frame.width - width + spacing) / 2;
    const double y = frame.top - 14;
    for (const Series& s : panel.series) {
        set_colour(cr, s.colour);
        cairo_new_path(cr);
        cairo_rectangle(cr, x, y - swatch / 2, swatch, swatch);
        cairo_fill(cr);
        x += swatch + gap + text(cr, x + swatch + gap, y, s.name, {.size = 10}) + spacing;
    }
}

// "loss", "loss (log scale)", "loss (of 'y' standardised; log scale)".
std::string panel_title(const Panel& panel, const CurvesOptions& options) {
    std::string qualifiers = options.values_note;
    if (options.log_scale) qualifiers += (qualifiers.empty() ? "" : "; ") + std::string("log scale");
    return qualifiers.empty() ? panel.title : panel.title + " (" + qualifiers + ")";
}

void draw_panel(cairo_t* cr, const History& history, const Panel& panel, double left, double top,
                const CurvesOptions& options) {
    const Frame frame{left + 72, top + 52, options.panel_width - 72 - 20, options.panel_height - 52 - 52};
    const Axis x = epoch_axis(history, panel);
    const Axis y = value_axis(panel, options.log_scale);
    text(cr, frame.left + frame.width / 2, top + 16, panel_title(panel, options),
         {.size = 12, .bold = true, .horizontal = Align::middle});
    draw_axes(cr, frame, x, y);
    cairo_save(cr);
    cairo_rectangle(cr, frame.left, frame.top, frame.width, frame.height);
    cairo_clip(cr);
    for (const Series& s : panel.series) draw_series(cr, history, s, frame, x, y, options.log_scale);
    cairo_restore(cr);
    draw_legend(cr, panel, frame);
}

}  // namespace

Picture curves_picture(const History& history, const CurvesOptions& options) {
    if (history.history.empty())
        throw UsageError("dense::plot: the history has no values to plot; pass the History that fit() returned");
    if (!(options.panel_width >= 200 && options.panel_height >= 150))
        throw UsageError("dense::plot: CurvesOptions panel size " + format_number(options.panel_width) + " x " +
                         format_number(options.panel_height) + " is too small; use at least 200 x 150");
    auto kept = std::make_shared<const History>(history);
    const std::size_t count = panels_of(*kept).size();
    const std::size_t columns = std::min(count, panels_per_row);
    const std::size_t rows = (count + panels_per_row - 1) / panels_per_row;
    return {static_cast<double>(columns) * options.panel_width, static_cast<double>(rows) * options.panel_height,
            [kept, options](cairo_t* cr) {
                fill_background(cr);
                const std::vector<Panel> panels = panels_of(*kept);
                for (std::size_t p = 0; p < panels.size(); ++p)
                    draw_panel(cr, *kept, panels[p], static_cast<double>(p % panels_per_row) * options.panel_width,
                               static_cast<double>(p / panels_per_row) * options.panel_height, options);
            }};
}

void training_curves(const History& history, const std::filesystem::path& path, const CurvesOptions& options) {
    save(curves_picture(history, options), path);
}

void training_curves(const std::filesystem::path& history_csv, const std::filesystem::path& path,
                     const CurvesOptions& options) {
    training_curves(read_history_csv(history_csv), path, options);
}

}  // namespace dense::plot
