#include "picture_reader.hpp"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>

namespace dense::plot::test {
namespace {

std::map<std::string, std::string> parse_style(const std::string& style) {
    std::map<std::string, std::string> properties;
    std::stringstream in(style);
    for (std::string item; std::getline(in, item, ';');) {
        const auto colon = item.find(':');
        if (colon == std::string::npos) continue;
        const auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(' '));
            s.erase(s.find_last_not_of(' ') + 1);
            return s;
        };
        properties[trim(item.substr(0, colon))] = trim(item.substr(colon + 1));
    }
    return properties;
}

void parse_d(const std::string& d, SvgPath& path) {
    std::stringstream in(d);
    for (std::string token; in >> token;) {
        const char command = token[0];
        path.commands.push_back(command);
        const int numbers = command == 'C' ? 6 : command == 'Z' ? 0 : 2;
        std::vector<double> values(numbers);
        for (double& v : values) in >> v;
        if (command == 'M' || command == 'L') path.points.push_back({values[0], values[1]});
    }
}

// "rgb(12.9%,40%,67.4%)" as Cairo writes colours.
bool colour_matches(const std::string& text, Rgb colour) {
    double r, g, b;
    if (std::sscanf(text.c_str(), "rgb(%lf%%,%lf%%,%lf%%)", &r, &g, &b) != 3) return false;
    const double tolerance = 0.6;  // percent: Cairo rounds to the byte
    return std::abs(r - colour.red * 100) < tolerance && std::abs(g - colour.green * 100) < tolerance &&
           std::abs(b - colour.blue * 100) < tolerance;
}

std::string style_of(const SvgPath& path, const std::string& key) {
    const auto found = path.style.find(key);
    return found == path.style.end() ? "" : found->second;
}

}  // namespace

std::size_t SvgPath::count(char command) const { return std::count(commands.begin(), commands.end(), command); }
bool SvgPath::stroked() const { return style.contains("stroke") && style.at("stroke") != "none"; }
bool SvgPath::filled() const { return style.contains("fill") && style.at("fill") != "none"; }
bool SvgPath::is_circle() const { return count('C') >= 2 && count('L') == 0; }
bool SvgPath::is_segment() const { return commands == std::vector<char>{'M', 'L'}; }
bool SvgPath::is_rectangle() const {
    return commands.size() >= 5 && std::vector<char>(commands.begin(), commands.begin() + 5) ==
                                       std::vector<char>{'M', 'L', 'L', 'L', 'Z'};
}
bool SvgPath::stroke_is(Rgb colour) const { return stroked() && colour_matches(style_of(*this, "stroke"), colour); }
bool SvgPath::fill_is(Rgb colour) const { return filled() && colour_matches(style_of(*this, "fill"), colour); }
double SvgPath::segment_length() const {
    return std::hypot(points.at(1).x - points.at(0).x, points.at(1).y - points.at(0).y);
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<SvgPath> svg_paths(const std::string& svg) {
    const auto body_start = svg.find("</defs>");
    const std::string body = svg.substr(body_start == std::string::npos ? 0 : body_start);
    const std::string style_start = "<path style=\"", d_start = "\" d=\"";
    std::vector<SvgPath> paths;
    for (auto at = body.find(style_start); at != std::string::npos; at = body.find(style_start, at + 1)) {
        const auto style = at + style_start.size();
        const auto d = body.find(d_start, style) + d_start.size();
        SvgPath path{.style = parse_style(body.substr(style, d - d_start.size() - style)), .commands = {}, .points = {}};
        parse_d(body.substr(d, body.find('"', d) - d), path);
        paths.push_back(std::move(path));
    }
    return paths;
}

// The value of ` name="NUMBERpt"` in `tag`, or nothing.
std::optional<double> points_attribute(const std::string& tag, const std::string& name) {
    const std::string start = " " + name + "=\"";
    const auto at = tag.find(start);
    if (at == std::string::npos) return std::nullopt;
    const auto value = at + start.size(), end = tag.find("pt\"", value);
    if (end == std::string::npos || end == value || tag.find_first_not_of("0123456789.", value) != end) return std::nullopt;
    return std::stod(tag.substr(value, end - value));
}

Point svg_size(const std::string& svg) {
    const auto start = svg.find("<svg");
    const std::string tag = start == std::string::npos ? "" : svg.substr(start, svg.find('>', start) - start);
    const auto width = points_attribute(tag, "width"), height = points_attribute(tag, "height");
    if (!width || !height) {
        ADD_FAILURE() << "no width and height in points on the <svg> element";
        return {0, 0};
    }
    return {*width, *height};
}

PngSize png_size(const std::filesystem::path& path) {
    const std::string bytes = read_text(path);
    const std::string signature = "\x89PNG\r\n\x1a\n";
    if (bytes.size() < 24 || bytes.compare(0, 8, signature) != 0 || bytes.compare(12, 4, "IHDR") != 0) {
        ADD_FAILURE() << path << " is not a PNG file";
        return {};
    }
    const auto big_endian = [&](std::size_t at) {
        unsigned value = 0;
        for (std::size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
        return value;
    };
    return {big_endian(16), big_endian(20)};
}

std::size_t non_white_pixels(const std::filesystem::path& png, int left, int top, int width, int height) {
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> image(
        cairo_image_surface_create_from_png(png.c_str()), cairo_surface_destroy);
    EXPECT_EQ(cairo_surface_status(image.get()), CAIRO_STATUS_SUCCESS) << png;
    cairo_surface_flush(image.get());
    const unsigned char* data = cairo_image_surface_get_data(image.get());
    const int stride = cairo_image_surface_get_stride(image.get());
    EXPECT_LE(left + width, cairo_image_surface_get_width(image.get()));
    EXPECT_LE(top + height, cairo_image_surface_get_height(image.get()));
    std::size_t count = 0;
    for (int y = top; y < top + height; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        for (int x = left; x < left + width; ++x) count += (row[x] & 0xFFFFFF) != 0xFFFFFF;
    }
    return count;
}

TemporaryFolder::TemporaryFolder()
    : path_(std::filesystem::temp_directory_path() / ("dense_plot_test_" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(path_);
}

TemporaryFolder::~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace dense::plot::test

namespace {

// Cairo and fontconfig cache fonts for the life of the process; freeing the caches at the end
// lets LeakSanitizer tell a real leak from them.
class ReleaseFontCaches : public ::testing::Environment {
public:
    void TearDown() override {
        cairo_debug_reset_static_data();
        FcFini();
    }
};

[[maybe_unused]] const auto* const release_font_caches = ::testing::AddGlobalTestEnvironment(new ReleaseFontCaches);

}  // namespace
