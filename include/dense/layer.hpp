#pragma once
// Layer<T>: one step of a Sequential model. A layer owns its weights, their gradients and the
// buffers of its forward pass, so a training step reuses memory instead of allocating.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dense/matrix.hpp"
#include "dense/random.hpp"
#include "dense/regularizer.hpp"
#include "dense/tensor.hpp"

namespace dense {

// One trainable block of numbers (a kernel or a bias) with its gradient, as optimizers see it.
template <class T>
struct Parameter {
    std::string name;             // "dense_1/kernel"
    std::span<T> value;
    std::span<T> gradient;
    Regularizer regularizer;
};

template <class T>
class Layer {
public:
    virtual ~Layer() = default;
    virtual std::unique_ptr<Layer> clone() const = 0;
    // Keras' class name: "Dense", "Dropout", "Activation".
    virtual std::string_view type() const noexcept = 0;

    const std::string& name() const noexcept { return name_; }
    void set_name(std::string name) { name_ = std::move(name); }

    // Keras' trainable: fit updates the weights of trainable layers only. A frozen layer's weights
    // stay bit-identical (no optimizer state is kept for them, and their regularization penalty
    // leaves the loss, as in Keras), while gradients still flow through it to the layers before.
    bool trainable() const noexcept { return trainable_; }
    void set_trainable(bool trainable) noexcept { trainable_ = trainable; }

    // The input width this layer was declared with (Dense's input_dim), or 0 when it takes
    // whatever the previous layer gives.
    virtual std::size_t declared_input_dim() const noexcept { return 0; }
    // Creates the weights for inputs of width input_dim, drawing initial values from rng.
    virtual void build(std::size_t input_dim, Rng& rng) = 0;
    bool built() const noexcept { return input_dim_ != 0; }
    std::size_t input_dim() const noexcept { return input_dim_; }
    virtual std::size_t output_dim() const noexcept = 0;

    // y = f(x). The result lives in the layer until its next forward. `rng` drives Dropout.
    virtual const Matrix<T>& forward(const Matrix<T>& x, bool training, Rng& rng) = 0;
    // Inference on parts of one batch side by side: predict splits a batch's rows over the
    // threads, each running every layer on its own rows with no wait between layers.
    // rows_apart(): the fewest rows a part may have for forward_rows to give the bits forward
    // gives on the whole batch (0, the default: this layer takes whole batches only, and predict
    // runs forward layer by layer). begin_rows(x), on one thread, readies the output for input x
    // and returns it; forward_rows(x, first, count) then makes rows [first, first + count) of it
    // from the same rows of x, on any thread, other parts of the batch at the same time.
    virtual std::size_t rows_apart() const noexcept { return 0; }
    virtual const Matrix<T>& begin_rows(const Matrix<T>& x);
    virtual void forward_rows(const Matrix<T>& x, std::size_t first, std::size_t count);
    // Given dL/dy for the last forward, stores dL/dparams (a frozen layer may leave them as they
    // were) and returns dL/dx (left empty when need_input_gradient is false, as for the first layer).
    virtual const Matrix<T>& backward(const Matrix<T>& dy, bool need_input_gradient) = 0;

    // The weights and their gradients, writable. Writing into `value` after a later forward pass
    // (through spans kept from an earlier call) must be followed by weights_changed().
    virtual std::vector<Parameter<T>> parameters() { return {}; }
    std::size_t parameter_count() const;
    // Keras' order and shapes; none before the layer is built (Keras' [] for an unbuilt layer).
    virtual std::vector<Tensor<T>> get_weights() const { return {}; }
    // Keras' order and shapes; a mismatch throws DataError naming the layer and both shapes.
    virtual void set_weights(const std::vector<Tensor<T>>& weights);

    // Names the weights' current values: a number no other values of any layer's weights had,
    // renewed by build, set_weights, parameters() and weights_changed(), and kept by a copy of
    // the layer. Inference keeps a layer's weights packed for its products while it stays.
    std::uint64_t weights_version() const noexcept { return weights_version_; }
    // Says that the weights were written through spans kept from an earlier parameters() call
    // (fit's optimizer says so after each step).
    void weights_changed() noexcept;

protected:
    Layer() = default;
    Layer(const Layer&) = default;
    Layer& operator=(const Layer&) = default;
    std::size_t input_dim_ = 0;

private:
    std::string name_;
    bool trainable_ = true;
    std::uint64_t weights_version_ = 0;
};

}  // namespace dense
