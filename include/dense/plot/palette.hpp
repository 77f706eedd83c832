#pragma once
// The colours every dense picture uses, so a reader learns them once: blue for positive weights,
// red for negative ones (as matplotlib's "RdBu"), and one colour per series in training curves.
#include <cstdint>

namespace dense::plot {

struct Rgb {
    double red = 0, green = 0, blue = 0;  // each in [0, 1]
    bool operator==(const Rgb&) const = default;
};

// 0xRRGGBB → Rgb.
constexpr Rgb rgb(std::uint32_t hex) {
    return {((hex >> 16) & 0xFF) / 255.0, ((hex >> 8) & 0xFF) / 255.0, (hex & 0xFF) / 255.0};
}

namespace palette {
inline constexpr Rgb positive = rgb(0x2166AC);    // weight > 0 (and 0)
inline constexpr Rgb negative = rgb(0xB2182B);    // weight < 0
inline constexpr Rgb ink = rgb(0x000000);         // axes, ticks, neuron outlines, text
inline constexpr Rgb grid = rgb(0xE0E0E0);
inline constexpr Rgb background = rgb(0xFFFFFF);
inline constexpr Rgb training = rgb(0x1F77B4);    // the "loss" curve
inline constexpr Rgb validation = rgb(0xFF7F0E);  // the "val_loss" curve
}  // namespace palette

// The diverging scale of weight maps: t = -1 → negative, 0 → white, +1 → positive.
// t outside [-1, 1] is clamped; NaN maps to grey.
Rgb diverging(double t);

}  // namespace dense::plot
