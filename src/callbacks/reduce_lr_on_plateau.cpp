#include "dense/callbacks/reduce_lr_on_plateau.hpp"

#include <algorithm>

#include "callbacks/monitor.hpp"
#include "dense/error.hpp"
#include "dense/sequential.hpp"

namespace dense {

template <class T>
BasicReduceLROnPlateau<T>::BasicReduceLROnPlateau(ReduceLROnPlateauOptions options) : options_(std::move(options)) {
    if (!(options_.factor > 0.0 && options_.factor < 1.0))
        throw UsageError("ReduceLROnPlateau: factor must be in (0, 1), got " + std::to_string(options_.factor));
    maximize_ = callbacks::maximizes(options_.monitor, options_.mode);
}

// A schedule sets the rate of every step itself: a reduction would replace it with a constant, so
// the schedule is refused before training starts, as Keras refuses to set such a rate.
template <class T>
void BasicReduceLROnPlateau<T>::on_train_begin(BasicSequential<T>& model) {
    if (model.optimizer().learning_rate_schedule().kind() != LearningRate::Kind::constant)
        throw UsageError("ReduceLROnPlateau cannot change the learning rate of optimizer '" +
                         std::string(model.optimizer().name()) +
                         "', which follows a learning-rate schedule; use the schedule or ReduceLROnPlateau, not both");
    if (resuming_) {
        resuming_ = false;
        return;
    }
    best_.reset();
    wait_ = cooldown_counter_ = 0;
}

// After `patience` epochs without improvement: lr ← max(lr · factor, min_lr), then cool down.
template <class T>
void BasicReduceLROnPlateau<T>::on_epoch_end(BasicSequential<T>& model, int, const Logs& logs) {
    const double current = callbacks::monitored_value(logs, options_.monitor, "ReduceLROnPlateau");
    if (cooldown_counter_ > 0) {
        --cooldown_counter_;
        wait_ = 0;
    }
    if (callbacks::improves(current, best_, options_.min_delta, maximize_)) {
        best_ = current;
        wait_ = 0;
        return;
    }
    if (cooldown_counter_ > 0 || ++wait_ < options_.patience) return;
    const double lr = model.optimizer().learning_rate();
    if (lr > options_.min_lr) {
        model.optimizer().set_learning_rate(std::max(lr * options_.factor, options_.min_lr));
        cooldown_counter_ = options_.cooldown;
        wait_ = 0;
    }
}

template <class T>
std::optional<CallbackState> BasicReduceLROnPlateau<T>::state() const {
    CallbackState state{"ReduceLROnPlateau", {{"wait", wait_}, {"cooldown_counter", cooldown_counter_}}, {}};
    if (best_) state.values["best"] = *best_;
    return state;
}

template <class T>
void BasicReduceLROnPlateau<T>::restore_state(const CallbackState& state) {
    callbacks::check_state_of(state, "ReduceLROnPlateau");
    wait_ = static_cast<int>(callbacks::state_value(state, "wait"));
    cooldown_counter_ = static_cast<int>(callbacks::state_value(state, "cooldown_counter"));
    best_.reset();
    if (state.values.contains("best")) best_ = state.values.at("best");
    resuming_ = true;
}

template class BasicReduceLROnPlateau<float>;
template class BasicReduceLROnPlateau<double>;

}  // namespace dense
