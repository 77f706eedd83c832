// The HTML report is one self-contained page: summary, diagram, curves and weight maps, every
// image inlined as a data: URI, nothing fetched from the network.
#include "dense/plot/html_report.hpp"

#include <gtest/gtest.h>


#include "dense/dense.hpp"
#include "picture_reader.hpp"

namespace dense::plot::test {
namespace {

// RFC 4648 base64, written here independently of the library's encoder.
std::string decode_base64(const std::string& text) {
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        buffer = buffer << 6 | static_cast<unsigned>(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(buffer >> bits & 0xFF);
        }
    }
    return out;
}

// The decoded images of every src="data:image/svg+xml;base64,...".
std::vector<std::string> inline_svgs(const std::string& html) {
    const std::string marker = "src=\"data:image/svg+xml;base64,";
    std::vector<std::string> svgs;
    for (auto at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1)) {
        const auto start = at + marker.size();
        svgs.push_back(decode_base64(html.substr(start, html.find('"', start) - start)));
    }
    return svgs;
}

f64::Sequential small_model() {
    f64::Sequential model({f64::Dense(4, "relu", {.input_dim = 1}), f64::Dense(1)});
    model.build(1);
    return model;
}

TEST(HtmlReport, InlinesDiagramCurvesAndWeightMapsAsSvg) {
    TemporaryFolder folder;
    History history{.epoch = {0, 1, 2}, .history = {{"loss", {3.0, 2.0, 1.5}}}};
    html_report(small_model(), folder / "report.html", {.history = history});
    const std::string html = read_text(folder / "report.html");
    const auto svgs = inline_svgs(html);
    ASSERT_EQ(svgs.size(), 3u);
    for (const std::string& svg : svgs) EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("<pre>"), std::string::npos);
    EXPECT_NE(html.find(small_model().layer(0).name()), std::string::npos);
}

TEST(HtmlReport, LeavesOutCurvesWithoutHistory) {
    TemporaryFolder folder;
    html_report(small_model(), folder / "report.html");
    EXPECT_EQ(inline_svgs(read_text(folder / "report.html")).size(), 2u);
}

TEST(HtmlReport, NeedsNoNetwork) {
    TemporaryFolder folder;
    html_report(small_model(), folder / "report.html");
    const std::string html = read_text(folder / "report.html");
    for (const char* remote : {"http:", "https:", "<script", "<link", "@import"})
        EXPECT_EQ(html.find(remote), std::string::npos) << remote;
}

}  // namespace
}  // namespace dense::plot::test
