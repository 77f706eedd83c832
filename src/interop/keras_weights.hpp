#pragma once
// Where Keras keeps weights in HDF5, read into dense layers and written from them.
//   Keras 3 (.weights.h5, a .keras archive's model.weights.h5): layers/<class in snake case,
//   counted per class: dense, dense_1, ...>/vars/<0, 1, ...>, as keras/src/saving/saving_lib.py.
//   Legacy .h5: model_weights/<layer name>/<each path listed in its weight_names attribute>.
#include <string>
#include <vector>

#include "dense/sequential.hpp"
#include "interop/hdf5_file.hpp"
#include "interop/keras_config.hpp"

namespace dense::interop {

// The weights of one Keras layer, in Keras' order (Dense: kernel [inputs, units], then bias).
using LayerWeights = std::vector<Tensor<float>>;

// Keras' naming.to_snake_case: "Dense" → "dense", "LeakyReLU" → "leaky_re_lu".
std::string keras_snake_case(const std::string& class_name);
// The Keras 3 weight group of each layer: "layers/dense", "layers/dense_1", "layers/dropout"...
std::vector<std::string> keras_weight_groups(const std::vector<std::string>& layer_classes);

std::vector<LayerWeights> read_keras3_weights(const Hdf5File& file, const std::vector<std::string>& layer_classes);
std::vector<LayerWeights> read_legacy_weights(const Hdf5File& file, const std::vector<std::string>& layer_names);
void write_keras3_weights(Hdf5File& file, const KerasExport& exported, const std::string& model_name);

// Builds `model` (for input_dim features, or the first kernel's row count when 0) and gives
// its i-th layer weights[i]. A count or shape that does not fit is a DataError naming `file`.
void assign_weights(Sequential& model, std::size_t input_dim, const std::vector<LayerWeights>& weights,
                    const std::string& file);

}  // namespace dense::interop
