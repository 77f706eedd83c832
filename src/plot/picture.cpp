#include "plot/picture.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <span>

#include "dense/error.hpp"
#include "dense/io/model_file.hpp"

namespace dense::plot {
namespace {

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using ContextPtr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

void check(cairo_status_t status, const char* what) {
    if (status != CAIRO_STATUS_SUCCESS)
        throw Error(std::string("dense::plot: Cairo failed while ") + what + ": " + cairo_status_to_string(status));
}

SurfacePtr create_surface(const Picture& picture, ImageFormat format, std::string& bytes) {
    switch (format) {
    case ImageFormat::svg:
        return {cairo_svg_surface_create_for_stream(append_bytes, &bytes, picture.width, picture.height),
                cairo_surface_destroy};
    case ImageFormat::pdf:
        return {cairo_pdf_surface_create_for_stream(append_bytes, &bytes, picture.width, picture.height),
                cairo_surface_destroy};
    case ImageFormat::png:
        break;
    }
    const int width = static_cast<int>(std::ceil(picture.width));
    const int height = static_cast<int>(std::ceil(picture.height));
    return {cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height), cairo_surface_destroy};
}

}  // namespace

ImageFormat image_format_of(const std::filesystem::path& path) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".svg") return ImageFormat::svg;
    if (extension == ".png") return ImageFormat::png;
    if (extension == ".pdf") return ImageFormat::pdf;
    throw UsageError("dense::plot: cannot tell the image format of '" + path.string() +
                     "'; name the file with .svg, .png or .pdf");
}

std::string encode(const Picture& picture, ImageFormat format) {
    std::string bytes;
    SurfacePtr surface = create_surface(picture, format, bytes);
    check(cairo_surface_status(surface.get()), "creating the surface");
    {
        ContextPtr context(cairo_create(surface.get()), cairo_destroy);
        picture.paint(context.get());
        check(cairo_status(context.get()), "drawing");
    }
    if (format == ImageFormat::png)
        check(cairo_surface_write_to_png_stream(surface.get(), append_bytes, &bytes), "encoding PNG");
    cairo_surface_finish(surface.get());
    check(cairo_surface_status(surface.get()), "finishing the file");
    return bytes;
}

void save(const Picture& picture, const std::filesystem::path& path) {
    save_bytes(path, encode(picture, image_format_of(path)));
}

void save_bytes(const std::filesystem::path& path, std::string_view bytes) {
    io::write_file_atomically(path, std::as_bytes(std::span(bytes.data(), bytes.size())));
}

}  // namespace dense::plot
