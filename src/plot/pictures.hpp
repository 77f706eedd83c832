#pragma once
// The pictures of dense::plot as values, before they are encoded: the public functions save one
// to a file, html_report inlines several.
#include "dense/history.hpp"
#include "dense/plot/network_diagram.hpp"
#include "dense/plot/training_curves.hpp"
#include "dense/plot/weight_maps.hpp"
#include "plot/network_view.hpp"
#include "plot/picture.hpp"

namespace dense::plot {

Picture network_picture(const NetworkView& network, const DiagramOptions& options);
Picture curves_picture(const History& history, const CurvesOptions& options);
Picture weights_picture(const NetworkView& network, const WeightMapOptions& options);

}  // namespace dense::plot
