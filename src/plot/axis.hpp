#pragma once
// Axes of the charts: tick values at "nice" numbers (1, 2 or 5 × 10ⁿ, Heckbert's rule) or at
// powers of ten, the mapping from data to page coordinates, and the drawing of a framed plot
// area with its grid, ticks, tick labels and axis labels.
#include <cairo.h>

#include <string>
#include <vector>

namespace dense::plot {

// Tick values and the axis range they span (the data range widened to the outer ticks).
struct Ticks {
    double low = 0, high = 1;
    std::vector<double> values = {};
};

// About `target` ticks at 1, 2 or 5 × 10ⁿ covering [low, high]; an empty range is widened.
Ticks nice_ticks(double low, double high, int target = 5);
// The same with a step of at least 1, for epochs and counts.
Ticks integer_ticks(double low, double high, int target = 6);
// Powers of ten covering [low, high]; both must be > 0.
Ticks log_ticks(double low, double high);

struct Axis {
    Ticks ticks;
    bool log = false;
    std::string label = {};
};

// Where the plot area is on the page.
struct Frame {
    double left = 0, top = 0, width = 0, height = 0;
};

// Page coordinate of a data value along an axis spanning [from, to] on the page.
double place_on(const Axis& axis, double value, double from, double to);
double x_of(const Frame& frame, const Axis& x, double value);
double y_of(const Frame& frame, const Axis& y, double value);

// Grid lines, the frame, one tick mark per tick value (5 px, outside), tick labels, axis labels.
void draw_axes(cairo_t* cr, const Frame& frame, const Axis& x, const Axis& y);
// A vertical axis only (a colour bar's): ticks and labels on the right of `frame`.
void draw_right_axis(cairo_t* cr, const Frame& frame, const Axis& y);

}  // namespace dense::plot
