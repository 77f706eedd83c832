#pragma once
// A model trained on standardised targets predicts y' = (y − mean) / stddev. Keras and ONNX files
// have no place for that scale, so export folds it into the last Dense layer, whose activation
// must be linear:  y = (x·W + b)·s + m = x·(W·s) + (b·s + m),  so  W' = W·s, b' = b·s + m
// per output unit. The exported model then predicts in the targets' own units.
#include <span>

#include "dense/io/preprocessing.hpp"
#include "dense/sequential.hpp"

namespace dense::interop {

// A copy of `model` whose outputs are y'·stddev + mean, one (mean, stddev) per output. Throws
// UsageError when the last layer is not a linear Dense layer with a bias, or the sizes differ.
Sequential with_output_scaling(const Sequential& model, std::span<const double> mean, std::span<const double> stddev);

// A CSV model as Keras and ONNX files carry it: predicting in the targets' units (the model
// itself when its preprocessing standardises no target).
Sequential in_target_units(const Sequential& model, const io::Preprocessing& preprocessing);
// Back again, as the .dense model predicts: y' = y·(1/s) − m/s.
Sequential in_standardised_targets(const Sequential& model, const io::Preprocessing& preprocessing);

}  // namespace dense::interop
