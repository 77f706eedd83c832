#pragma once
// LambdaCallback (Keras): any of the hooks as a function, for one-off needs.
#include <functional>

#include "dense/callback.hpp"

namespace dense {

template <class T>
struct LambdaCallbackHooks {
    std::function<void(BasicSequential<T>&)> on_train_begin = {};
    std::function<void(BasicSequential<T>&, int)> on_epoch_begin = {};
    std::function<void(BasicSequential<T>&, std::size_t)> on_train_batch_begin = {};
    std::function<void(BasicSequential<T>&, std::size_t, const Logs&)> on_train_batch_end = {};
    std::function<void(BasicSequential<T>&, int, const Logs&)> on_epoch_end = {};
    std::function<void(BasicSequential<T>&)> on_train_end = {};
};

template <class T>
class BasicLambdaCallback final : public BasicCallback<T> {
public:
    explicit BasicLambdaCallback(LambdaCallbackHooks<T> hooks) : hooks_(std::move(hooks)) {}
    void on_train_begin(BasicSequential<T>& m) override {
        if (hooks_.on_train_begin) hooks_.on_train_begin(m);
    }
    void on_epoch_begin(BasicSequential<T>& m, int e) override {
        if (hooks_.on_epoch_begin) hooks_.on_epoch_begin(m, e);
    }
    void on_train_batch_begin(BasicSequential<T>& m, std::size_t b) override {
        if (hooks_.on_train_batch_begin) hooks_.on_train_batch_begin(m, b);
    }
    void on_train_batch_end(BasicSequential<T>& m, std::size_t b, const Logs& l) override {
        if (hooks_.on_train_batch_end) hooks_.on_train_batch_end(m, b, l);
    }
    void on_epoch_end(BasicSequential<T>& m, int e, const Logs& l) override {
        if (hooks_.on_epoch_end) hooks_.on_epoch_end(m, e, l);
    }
    void on_train_end(BasicSequential<T>& m) override {
        if (hooks_.on_train_end) hooks_.on_train_end(m);
    }

private:
    LambdaCallbackHooks<T> hooks_;
};

using LambdaCallback = BasicLambdaCallback<float>;

}  // namespace dense
