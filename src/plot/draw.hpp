#pragma once
// Small drawing words on top of Cairo shared by every picture: colours, lines, circles,
// anchored text and number formatting.
#include <cairo.h>

#include <string>
#include <string_view>

#include "dense/plot/palette.hpp"

namespace dense::plot {

enum class Align { start, middle, end };

struct TextStyle {
    double size = 11;
    bool bold = false;
    Align horizontal = Align::start;
    Align vertical = Align::middle;  // start = top, end = baseline-bottom
    Rgb colour = palette::ink;
};

void set_colour(cairo_t* cr, Rgb colour, double alpha = 1.0);
void fill_background(cairo_t* cr);
// A straight stroked segment as one path of its own.
void line(cairo_t* cr, double x0, double y0, double x1, double y1);
// Adds a closed circle as a new sub-path (no line from the current point).
void circle_path(cairo_t* cr, double x, double y, double radius);
// Writes `text` anchored at (x, y); returns its width.
double text(cairo_t* cr, double x, double y, std::string_view text, const TextStyle& style = {});
double text_width(cairo_t* cr, std::string_view text, double size, bool bold = false);
// Text on a white, slightly transparent box so it stays readable over lines.
void text_with_halo(cairo_t* cr, double x, double y, std::string_view text, const TextStyle& style);
// Compact: whole numbers in full ("30000"), others to 3 significant digits ("0.25", "1.2e-5").
std::string format_number(double value);
// Signed, for weights and biases: "+0.53", "−0.10".
std::string format_signed(double value);

}  // namespace dense::plot
