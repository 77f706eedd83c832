#pragma once
// NetworkView: what the pictures need to know about a model, copied out of it as doubles, so
// the drawing code is written once for float and double models.
#include <cstddef>
#include <string>
#include <vector>

#include "dense/activation.hpp"
#include "dense/sequential.hpp"

namespace dense::plot {

struct LayerView {
    std::string name = {};
    std::string type = {};          // "Dense", "Dropout", "Activation", ...
    std::size_t inputs = 0;
    std::size_t units = 0;     // the layer's output width
    Activation activation = {};  // Dense's or Activation's
    double dropout_rate = 0;
    std::vector<double> kernel = {};  // Dense only: [inputs, units], row-major
    std::vector<double> bias = {};    // Dense only: [units], empty without bias

    bool is_dense() const { return type == "Dense"; }
    double weight(std::size_t input, std::size_t unit) const { return kernel[input * units + unit]; }
};

struct NetworkView {
    std::string name = {};
    std::string summary = {};
    std::size_t input_dim = 0;
    std::vector<LayerView> layers = {};
};

// UsageError if the model is not built (it has no weights to show yet).
template <class T>
NetworkView view_of(const BasicSequential<T>& model);

}  // namespace dense::plot
