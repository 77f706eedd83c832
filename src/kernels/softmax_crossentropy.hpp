#pragma once
// Softmax and cross-entropy of a batch of logits in one pass per row: the probabilities, the
// loss and its gradient with respect to the logits, as training a softmax output needs them.
#include <cstddef>

namespace dense::kernels {

// For each row r of the rows × cols logits z, with targets y (one-hot or probability rows, or,
// when sparse, one class index per row, already checked to be in [0, cols)):
//   p = softmax(z) = e^(z − max z) / Σ e^(z − max z)
//   loss_r = Σ_c y_c · (lse − z_c),  lse = max z + log Σ e^(z − max z)
//   g = (p · Σ_c y_c − y) · scale      (∂ loss_r / ∂z, times the batch reduction `scale`)
// and returns Σ_r loss_r. Exponents below −87 (double: −708) are raised to it, where e^x is the
// smallest normal number, so that no value takes the slow path of denormals.
template <class T>
double softmax_crossentropy(std::size_t rows, std::size_t cols, const T* z, const T* y, bool sparse, T scale, T* p,
                            T* g);

}  // namespace dense::kernels
