#pragma once
// network_diagram: the picture of the articles — neurons as circles in columns (inputs, then one
// column per Dense layer), every connection a line coloured by the sign of its weight and as thick
// as its magnitude, each neuron's bias written beside it and its activation drawn inside it.
// Dropout and Activation layers appear as labelled bands between the columns they sit between.
//
//   dense::plot::network_diagram(model, "net.svg");   // .svg, .png or .pdf, by extension
#include <cstddef>
#include <filesystem>

#include "dense/sequential.hpp"

namespace dense::plot {

struct DiagramOptions {
    // Layers wider than this show their first and last neurons around a "⋮ N more" marker.
    std::size_t max_neurons_per_layer = 16;
    bool show_biases = true;
};

// Draws a built model (UsageError if it is not built yet) into `path`, written atomically.
template <class T>
void network_diagram(const BasicSequential<T>& model, const std::filesystem::path& path,
                     const DiagramOptions& options = {});

}  // namespace dense::plot
