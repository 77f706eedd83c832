#include "dense/callbacks/early_stopping.hpp"

#include <cmath>

#include "callbacks/monitor.hpp"
#include "dense/sequential.hpp"

namespace dense {

template <class T>
BasicEarlyStopping<T>::BasicEarlyStopping(EarlyStoppingOptions options) : options_(std::move(options)) {
    maximize_ = callbacks::maximizes(options_.monitor, options_.mode);
    options_.min_delta = std::abs(options_.min_delta);
}

template <class T>
void BasicEarlyStopping<T>::on_train_begin(BasicSequential<T>&) {
    wait_ = 0;
    stopped_epoch_ = best_epoch_ = -1;
    best_.reset();
    best_weights_.clear();
}

template <class T>
void BasicEarlyStopping<T>::on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) {
    if (epoch < options_.start_from_epoch) return;
    const double current = callbacks::monitored_value(logs, options_.monitor, "EarlyStopping");
    if (options_.restore_best_weights && best_weights_.empty()) best_weights_ = model.get_weights();
    ++wait_;
    if (!best_ || callbacks::improves(current, *best_, options_.min_delta, maximize_)) {
        best_ = current;
        best_epoch_ = epoch;
        if (options_.restore_best_weights) best_weights_ = model.get_weights();
        wait_ = 0;
        return;
    }
    if (wait_ >= options_.patience && epoch > 0) {
        stopped_epoch_ = epoch;
        model.stop_training = true;
    }
}

template <class T>
void BasicEarlyStopping<T>::on_train_end(BasicSequential<T>& model) {
    if (options_.restore_best_weights && !best_weights_.empty()) model.set_weights(best_weights_);  // as Keras 3
}

template class BasicEarlyStopping<float>;
template class BasicEarlyStopping<double>;

}  // namespace dense
