#pragma once
// Reading pictures back for the tests: the drawable paths of a Cairo SVG (outside <defs>, where
// Cairo keeps its glyphs), the size in a PNG's IHDR chunk and the pixels of a PNG decoded by Cairo.
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dense/plot/palette.hpp"

namespace dense::plot::test {

struct Point {
    double x, y;
};

// One <path> as Cairo writes it: style="fill:...;stroke:..." d="M x y L x y C ... Z".
struct SvgPath {
    std::map<std::string, std::string> style;
    std::vector<char> commands;  // M, L, C, Z in order
    std::vector<Point> points;   // the end point of each M and L

    std::size_t count(char command) const;
    bool stroked() const;
    bool filled() const;
    bool is_circle() const;                  // Bézier arcs only (2 for a dot, 4 for a circle): cairo_arc
    bool is_segment() const;                 // exactly "M x y L x y"
    bool is_rectangle() const;               // "M L L L Z"
    bool stroke_is(Rgb colour) const;
    bool fill_is(Rgb colour) const;
    double segment_length() const;
};

std::string read_text(const std::filesystem::path& path);
std::vector<SvgPath> svg_paths(const std::string& svg);
// Width and height attributes of the <svg> element, in points.
Point svg_size(const std::string& svg);

struct PngSize {
    unsigned width = 0, height = 0;
};
// From the IHDR chunk; fails the test unless the file starts with the PNG signature.
PngSize png_size(const std::filesystem::path& path);
// Pixels in the rectangle that differ from white.
std::size_t non_white_pixels(const std::filesystem::path& png, int left, int top, int width, int height);

// A fresh folder under the system's temporary folder, removed with the object.
class TemporaryFolder {
public:
    TemporaryFolder();
    ~TemporaryFolder();
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

}  // namespace dense::plot::test
