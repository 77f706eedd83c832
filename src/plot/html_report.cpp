#include "dense/plot/html_report.hpp"

#include <string_view>

#include "plot/pictures.hpp"

namespace dense::plot {
namespace {

std::string base64(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const auto byte = [&](std::size_t k) { return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u; };
        const unsigned group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += alphabet[group >> 18 & 63];
        out += alphabet[group >> 12 & 63];
        out += i + 1 < bytes.size() ? alphabet[group >> 6 & 63] : '=';
        out += i + 2 < bytes.size() ? alphabet[group & 63] : '=';
    }
    return out;
}

std::string escape_html(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// An <img> whose source is the SVG itself: inline, and immune to the id clashes that several
// <svg> elements of Cairo (each with its own "glyph0-1") would have in one page.
std::string inline_image(const Picture& picture, std::string_view alt) {
    return "<img alt=\"" + escape_html(alt) + "\" width=\"" + std::to_string(static_cast<int>(picture.width)) +
           "\" src=\"data:image/svg+xml;base64," + base64(encode(picture, ImageFormat::svg)) + "\">\n";
}

std::string section(std::string_view title, std::string_view body) {
    return "<h2>" + escape_html(title) + "</h2>\n" + std::string(body);
}

constexpr std::string_view style = R"(<style>
body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1400px; color: #222; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
img { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
</style>
)";

}  // namespace

template <class T>
void html_report(const BasicSequential<T>& model, const std::filesystem::path& path, const ReportOptions& options) {
    const NetworkView network = view_of(model);
    const std::string title = "dense model \u00AB" + network.name + "\u00BB";
    std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                       escape_html(title) + "</title>\n" + std::string(style) + "</head>\n<body>\n<h1>" +
                       escape_html(title) + "</h1>\n";
    page += section("Summary", "<pre>" + escape_html(network.summary) + "</pre>\n");
    page += section("Network", inline_image(network_picture(network, options.diagram), "network diagram"));
    if (options.history)
        page += section("Training", inline_image(curves_picture(*options.history, options.curves), "training curves"));
    page += section("Weights", inline_image(weights_picture(network, options.weights), "weight maps"));
    page += "</body>\n</html>\n";
    save_bytes(path, page);
}

template void html_report(const BasicSequential<float>&, const std::filesystem::path&, const ReportOptions&);
template void html_report(const BasicSequential<double>&, const std::filesystem::path&, const ReportOptions&);

}  // namespace dense::plot
