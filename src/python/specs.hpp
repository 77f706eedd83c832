#pragma once
// Layers, optimizers and losses from the plain dicts the Python package describes them with, and
// back: {"type": "Dense", "units": 64, "activation": "relu", ...}, {"name": "adam",
// "learning_rate": 0.001, "beta_1": 0.9, ...}, {"name": "huber", "delta": 1.0}. Keys left out
// take Keras' defaults, as the C++ API does.
#include <nanobind/nanobind.h>

#include <memory>

#include "dense/layer.hpp"
#include "dense/loss.hpp"
#include "dense/optimizers/optimizer.hpp"

namespace dense::python {

namespace nb = nanobind;

template <class T>
std::unique_ptr<Layer<T>> layer_from(const nb::dict& spec);
template <class T>
nb::dict layer_spec(const Layer<T>& layer);

template <class T>
std::unique_ptr<BasicOptimizer<T>> optimizer_from(const nb::dict& spec);
template <class T>
nb::dict optimizer_spec(const BasicOptimizer<T>& optimizer);

Loss loss_from(const nb::dict& spec);
nb::dict loss_spec(const Loss& loss);

}  // namespace dense::python
