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
void BasicEarlyStopping<T>::on_train_begin(BasicSequential<T>& model) {
    restored_ = false;
    if (resuming_) {
        resuming_ = false;
        if (stopped_epoch_ >= 0) model.stop_training = true;
        return;
    }
    wait_ = 0;
    stopped_epoch_ = best_epoch_ = -1;
    best_.reset();
    best_weights_.clear();
}

template <class T>
void BasicEarlyStopping<T>::on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) {
    if (epoch < options_.start_from_epoch) return;
    const double current = callbacks::monitored_value(logs, options_.monitor, "EarlyStopping");
    if (options_.restore_best_weights && best_weights_.empty()) {  // as Keras: the first epoch's until one improves
        best_weights_ = model.get_weights();
        best_epoch_ = epoch;
    }
    ++wait_;
    if (callbacks::improves(current, best_, options_.min_delta, maximize_)) {
        best_ = current;
        best_epoch_ = epoch;
        if (options_.restore_best_weights) best_weights_ = model.get_weights();
        if (!options_.baseline || callbacks::improves(current, options_.baseline, options_.min_delta, maximize_))
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
    if (!options_.restore_best_weights || best_weights_.empty()) return;
    model.set_weights(best_weights_);  // as Keras 3
    restored_ = true;
}

template <class T>
std::optional<CallbackState> BasicEarlyStopping<T>::state() const {
    CallbackState state{"EarlyStopping",
                        {{"wait", wait_}, {"best_epoch", best_epoch_}, {"stopped_epoch", stopped_epoch_}},
                        callbacks::to_state_tensors(best_weights_)};
    if (best_) state.values["best"] = *best_;
    return state;
}

template <class T>
void BasicEarlyStopping<T>::restore_state(const CallbackState& state) {
    callbacks::check_state_of(state, "EarlyStopping");
    wait_ = static_cast<int>(callbacks::state_value(state, "wait"));
    best_epoch_ = static_cast<int>(callbacks::state_value(state, "best_epoch"));
    stopped_epoch_ = static_cast<int>(callbacks::state_value(state, "stopped_epoch"));
    best_.reset();
    if (state.values.contains("best")) best_ = state.values.at("best");
    best_weights_ = callbacks::from_state_tensors<T>(state.tensors);
    resuming_ = true;
}

template class BasicEarlyStopping<float>;
template class BasicEarlyStopping<double>;

}  // namespace dense
