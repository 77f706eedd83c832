#pragma once
// BasicCallback<T>: hooks fit() calls around epochs and batches, as Keras' callbacks.
// Epochs are 0-based as in Keras; a callback stops training by setting model.stop_training.
#include <cstddef>

#include "dense/history.hpp"

namespace dense {

template <class T>
class BasicSequential;

template <class T>
class BasicCallback {
public:
    virtual ~BasicCallback() = default;
    virtual void on_train_begin(BasicSequential<T>& /*model*/) {}
    virtual void on_epoch_begin(BasicSequential<T>& /*model*/, int /*epoch*/) {}
    virtual void on_train_batch_end(BasicSequential<T>& /*model*/, std::size_t /*batch*/, const Logs& /*logs*/) {}
    virtual void on_epoch_end(BasicSequential<T>& /*model*/, int /*epoch*/, const Logs& /*logs*/) {}
    virtual void on_train_end(BasicSequential<T>& /*model*/) {}
};

using Callback = BasicCallback<float>;

}  // namespace dense
