#pragma once
// weight_maps: for every Dense layer, a heat map of its kernel (rows = inputs, columns = units;
// diverging colours with a colour bar, blue positive, red negative) and a histogram of its values.
//
//   dense::plot::weight_maps(model, "weights.png");
#include <cstddef>
#include <filesystem>

#include "dense/sequential.hpp"

namespace dense::plot {

struct WeightMapOptions {
    std::size_t histogram_bins = 40;
};

// UsageError if the model is not built or has no Dense layer.
template <class T>
void weight_maps(const BasicSequential<T>& model, const std::filesystem::path& path,
                 const WeightMapOptions& options = {});

}  // namespace dense::plot
