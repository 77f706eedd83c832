#include "plot/axis.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "plot/draw.hpp"

namespace dense::plot {
namespace {

constexpr double tick_length = 5;
constexpr double label_size = 10;

// The "nice" number near x: 1, 2 or 5 × 10ⁿ, rounded to nearest or taken at or above x.
double nice_number(double x, bool round) {
    const double power = std::pow(10.0, std::floor(std::log10(x)));
    const double fraction = x / power;
    double nice;
    if (round)
        nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    else
        nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * power;
}

Ticks ticks_with_step(double low, double high, double step) {
    Ticks ticks;
    const double first = std::floor(low / step + 1e-9);
    const double last = std::ceil(high / step - 1e-9);
    for (double i = first; i <= last; ++i) {
        const double value = i * step;
        ticks.values.push_back(std::abs(value) < step * 1e-9 ? 0.0 : value);
    }
    ticks.low = ticks.values.front();
    ticks.high = ticks.values.back();
    return ticks;
}

void widen_if_empty(double& low, double& high) {
    if (high - low > 1e-12 * std::max(std::abs(low), std::abs(high))) return;
    const double half = low == 0 ? 1.0 : std::abs(low) * 0.1;
    low -= half;
    high += half;
}

}  // namespace

Ticks nice_ticks(double low, double high, int target) {
    widen_if_empty(low, high);
    const double range = nice_number(high - low, false);
    return ticks_with_step(low, high, nice_number(range / (target - 1), true));
}

Ticks integer_ticks(double low, double high, int target) {
    if (high - low < 1) {
        low -= 1;
        high += 1;
    }
    const double range = nice_number(high - low, false);
    return ticks_with_step(low, high, std::max(1.0, nice_number(range / (target - 1), true)));
}

Ticks log_ticks(double low, double high) {
    const int first = static_cast<int>(std::floor(std::log10(low) + 1e-9));
    int last = static_cast<int>(std::ceil(std::log10(high) - 1e-9));
    if (last == first) ++last;
    const int stride = std::max(1, (last - first + 7) / 8);
    last = first + (last - first + stride - 1) / stride * stride;
    Ticks ticks;
    for (int e = first; e <= last; e += stride) ticks.values.push_back(std::pow(10.0, e));
    ticks.low = ticks.values.front();
    ticks.high = ticks.values.back();
    return ticks;
}

double place_on(const Axis& axis, double value, double from, double to) {
    const auto position = [&](double v) { return axis.log ? std::log10(v) : v; };
    const double low = position(axis.ticks.low);
    const double high = position(axis.ticks.high);
    return from + (position(value) - low) / (high - low) * (to - from);
}

double x_of(const Frame& frame, const Axis& x, double value) {
    return place_on(x, value, frame.left, frame.left + frame.width);
}

double y_of(const Frame& frame, const Axis& y, double value) {
    return place_on(y, value, frame.top + frame.height, frame.top);
}

void draw_axes(cairo_t* cr, const Frame& frame, const Axis& x, const Axis& y) {
    const double bottom = frame.top + frame.height;
    const double right = frame.left + frame.width;
    cairo_set_line_width(cr, 1);
    set_colour(cr, palette::grid);
    for (double v : x.ticks.values) line(cr, x_of(frame, x, v), frame.top, x_of(frame, x, v), bottom);
    for (double v : y.ticks.values) line(cr, frame.left, y_of(frame, y, v), right, y_of(frame, y, v));

    set_colour(cr, palette::ink);
    cairo_new_path(cr);
    cairo_rectangle(cr, frame.left, frame.top, frame.width, frame.height);
    cairo_stroke(cr);
    for (double v : x.ticks.values) {
        const double at = x_of(frame, x, v);
        set_colour(cr, palette::ink);
        line(cr, at, bottom, at, bottom + tick_length);
        text(cr, at, bottom + tick_length + 2, format_number(v),
             {.size = label_size, .horizontal = Align::middle, .vertical = Align::start});
    }
    for (double v : y.ticks.values) {
        const double at = y_of(frame, y, v);
        set_colour(cr, palette::ink);
        line(cr, frame.left - tick_length, at, frame.left, at);
        text(cr, frame.left - tick_length - 3, at, format_number(v), {.size = label_size, .horizontal = Align::end});
    }
    text(cr, frame.left + frame.width / 2, bottom + tick_length + 18, x.label,
         {.size = label_size + 1, .horizontal = Align::middle, .vertical = Align::start});
    cairo_save(cr);
    cairo_translate(cr, frame.left - 52, frame.top + frame.height / 2);
    cairo_rotate(cr, -std::numbers::pi / 2);
    text(cr, 0, 0, y.label, {.size = label_size + 1, .horizontal = Align::middle});
    cairo_restore(cr);
}

void draw_right_axis(cairo_t* cr, const Frame& frame, const Axis& y) {
    const double right = frame.left + frame.width;
    cairo_set_line_width(cr, 1);
    for (double v : y.ticks.values) {
        const double at = y_of(frame, y, v);
        set_colour(cr, palette::ink);
        line(cr, right, at, right + tick_length, at);
        text(cr, right + tick_length + 3, at, format_number(v), {.size = label_size});
    }
}

}  // namespace dense::plot
