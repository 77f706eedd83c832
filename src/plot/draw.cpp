#include "plot/draw.hpp"

#include <cmath>
#include <cstdio>
#include <numbers>

namespace dense::plot {

void set_colour(cairo_t* cr, Rgb colour, double alpha) {
    cairo_set_source_rgba(cr, colour.red, colour.green, colour.blue, alpha);
}

void fill_background(cairo_t* cr) {
    set_colour(cr, palette::background);
    cairo_paint(cr);
}

void line(cairo_t* cr, double x0, double y0, double x1, double y1) {
    cairo_new_path(cr);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

void circle_path(cairo_t* cr, double x, double y, double radius) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, radius, 0, 2 * std::numbers::pi);
    cairo_close_path(cr);
}

namespace {

void select_font(cairo_t* cr, double size, bool bold) {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double offset(Align align, double extent) {
    switch (align) {
    case Align::start: return 0;
    case Align::middle: return -extent / 2;
    case Align::end: return -extent;
    }
    return 0;
}

struct Placed {
    double x, y, width, ascent, descent;
};

Placed place(cairo_t* cr, double x, double y, std::string_view text, const TextStyle& style) {
    select_font(cr, style.size, style.bold);
    const std::string owned(text);
    cairo_text_extents_t extents;
    cairo_text_extents(cr, owned.c_str(), &extents);
    cairo_font_extents_t font;
    cairo_font_extents(cr, &font);
    // Vertical anchors use the font's ascent so labels of one row line up whatever their letters.
    const double baseline = style.vertical == Align::start   ? y + font.ascent
                            : style.vertical == Align::end   ? y - font.descent
                                                             : y + (font.ascent - font.descent) / 2;
    return {x + offset(style.horizontal, extents.x_advance), baseline, extents.x_advance, font.ascent, font.descent};
}

}  // namespace

double text(cairo_t* cr, double x, double y, std::string_view text, const TextStyle& style) {
    const Placed at = place(cr, x, y, text, style);
    const std::string owned(text);
    set_colour(cr, style.colour);
    cairo_new_path(cr);
    cairo_move_to(cr, at.x, at.y);
    cairo_show_text(cr, owned.c_str());
    cairo_new_path(cr);
    return at.width;
}

double text_width(cairo_t* cr, std::string_view text, double size, bool bold) {
    return place(cr, 0, 0, text, {.size = size, .bold = bold}).width;
}

void text_with_halo(cairo_t* cr, double x, double y, std::string_view label, const TextStyle& style) {
    const Placed at = place(cr, x, y, label, style);
    const double pad = 1.5;
    set_colour(cr, palette::background, 0.85);
    cairo_new_path(cr);
    cairo_rectangle(cr, at.x - pad, at.y - at.ascent, at.width + 2 * pad, at.ascent + at.descent);
    cairo_fill(cr);
    text(cr, x, y, label, style);
}

std::string format_number(double value) {
    if (value == 0) return "0";
    char buffer[32];
    if (std::abs(value) < 1e7 && value == std::round(value)) {  // counts and epochs in full: 30000
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
        return buffer;
    }
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    std::string text = buffer;
    // "1e+04" → "1e4", "1e-05" → "1e-5".
    if (const auto e = text.find('e'); e != std::string::npos) {
        std::string exponent = text.substr(e + 1);
        const bool negative = exponent.front() == '-';
        exponent.erase(0, exponent.find_first_not_of("+-0"));
        text = text.substr(0, e + 1) + (negative ? "-" : "") + exponent;
    }
    return text;
}

std::string format_signed(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%+.2f", value);
    std::string s = buffer;
    if (s == "-0.00") s = "+0.00";
    if (s.front() == '-') s.replace(0, 1, "\u2212");
    return s;
}

}  // namespace dense::plot
