#include "dense/plot/palette.hpp"

#include <algorithm>
#include <cmath>

namespace dense::plot {

Rgb diverging(double t) {
    if (std::isnan(t)) return rgb(0x808080);
    t = std::clamp(t, -1.0, 1.0);
    const Rgb end = t < 0 ? palette::negative : palette::positive;
    const double s = std::abs(t);
    // Linear blend from white (t = 0) to the end colour (|t| = 1).
    return {1 + (end.red - 1) * s, 1 + (end.green - 1) * s, 1 + (end.blue - 1) * s};
}

}  // namespace dense::plot
