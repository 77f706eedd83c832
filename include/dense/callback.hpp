#pragma once
// BasicCallback<T>: hooks fit() calls around epochs and batches, as Keras' callbacks.
// Epochs are 0-based as in Keras; a callback stops training by setting model.stop_training.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dense/history.hpp"
#include "dense/tensor.hpp"

namespace dense {

template <class T>
class BasicSequential;

// What a callback carries from one epoch to the next (EarlyStopping's best value, wait count and
// best weights), so a checkpoint can save it and a resumed fit continue exactly as an
// uninterrupted one. Tensors are held as float64, which every float32 value is exactly.
struct CallbackState {
    std::string callback;                  // the class it belongs to: "EarlyStopping"
    std::map<std::string, double> values;  // its numbers, by name
    std::vector<Tensor<double>> tensors;
    bool operator==(const CallbackState&) const = default;
};

template <class T>
class BasicCallback {
public:
    virtual ~BasicCallback() = default;
    virtual void on_train_begin(BasicSequential<T>& /*model*/) {}
    virtual void on_epoch_begin(BasicSequential<T>& /*model*/, int /*epoch*/) {}
    virtual void on_train_batch_begin(BasicSequential<T>& /*model*/, std::size_t /*batch*/) {}
    virtual void on_train_batch_end(BasicSequential<T>& /*model*/, std::size_t /*batch*/, const Logs& /*logs*/) {}
    virtual void on_epoch_end(BasicSequential<T>& /*model*/, int /*epoch*/, const Logs& /*logs*/) {}
    virtual void on_train_end(BasicSequential<T>& /*model*/) {}

    // The state a checkpoint saves; nullopt for a callback with nothing to carry over.
    virtual std::optional<CallbackState> state() const { return std::nullopt; }
    // Continues from a saved state: the next on_train_begin keeps it instead of starting afresh.
    // Throws UsageError when the state belongs to another kind of callback.
    virtual void restore_state(const CallbackState& /*state*/) {}
};

using Callback = BasicCallback<float>;

}  // namespace dense
