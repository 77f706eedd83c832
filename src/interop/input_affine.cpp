#include "interop/input_affine.hpp"

#include "dense/error.hpp"

namespace dense::interop {

void fold_input_affine(const InputAffine& affine, Tensor<float>& kernel, std::optional<Tensor<float>>& bias, const std::string& where) {
    const std::size_t rows = kernel.shape[0], units = kernel.shape[1];
    for (const auto* v : {&affine.a, &affine.b})
        if (v->size() != 1 && v->size() != rows)
            throw DataError(where + ": " + std::to_string(v->size()) + " numbers to standardise the inputs, but the weights have " +
                            std::to_string(rows) + " rows");
    if (!bias) bias = Tensor<float>({units}, std::vector<float>(units, 0.0f));
    std::vector<double> shifted(bias->values.begin(), bias->values.end());
    for (std::size_t i = 0; i < rows; ++i) {
        const double ai = affine.a[affine.a.size() == 1 ? 0 : i], bi = affine.b[affine.b.size() == 1 ? 0 : i];
        for (std::size_t j = 0; j < units; ++j) {
            auto& w = kernel.values[i * units + j];
            shifted[j] += bi * w;
            w = static_cast<float>(ai * w);
        }
    }
    for (std::size_t j = 0; j < units; ++j) bias->values[j] = static_cast<float>(shifted[j]);
}

}  // namespace dense::interop
