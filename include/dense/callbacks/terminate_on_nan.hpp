#pragma once
// TerminateOnNaN (Keras): stop training as soon as a batch loss is NaN or infinite.
#include "dense/callback.hpp"

namespace dense {

template <class T>
class BasicTerminateOnNaN final : public BasicCallback<T> {
public:
    void on_train_batch_end(BasicSequential<T>& model, std::size_t batch, const Logs& logs) override;
};

using TerminateOnNaN = BasicTerminateOnNaN<float>;

}  // namespace dense
