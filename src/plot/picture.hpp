#pragma once
// Picture: a drawing of known size, as a function that paints it on a Cairo context. It is encoded
// as SVG, PNG or PDF — chosen from a file's extension — into bytes, then written atomically.
#include <cairo.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace dense::plot {

enum class ImageFormat { svg, png, pdf };

struct Picture {
    double width = 0;
    double height = 0;
    std::function<void(cairo_t*)> paint;
};

// .svg, .png or .pdf (any case); UsageError naming the path otherwise.
ImageFormat image_format_of(const std::filesystem::path& path);
// The encoded file contents; Error if Cairo fails.
std::string encode(const Picture& picture, ImageFormat format);
// Encodes by the extension of `path` and writes the file atomically.
void save(const Picture& picture, const std::filesystem::path& path);
// Writes `bytes` atomically with dense::io's writer (temporary file, fsync, rename).
void save_bytes(const std::filesystem::path& path, std::string_view bytes);

}  // namespace dense::plot
