#pragma once
// EarlyStopping (Keras): stop when `monitor` has not improved by more than min_delta for
// `patience` epochs; optionally restore the weights of the best epoch. mode "auto" minimises
// unless the name contains "acc".
#include <optional>
#include <string>
#include <vector>

#include "dense/callback.hpp"
#include "dense/tensor.hpp"

namespace dense {

struct EarlyStoppingOptions {
    std::string monitor = "val_loss";
    double min_delta = 0.0;
    int patience = 0;
    std::string mode = "auto";
    // Keras 3's baseline: an improvement restarts the patience count only when it also beats this.
    std::optional<double> baseline = std::nullopt;
    bool restore_best_weights = false;
    int start_from_epoch = 0;
};

template <class T>
class BasicEarlyStopping final : public BasicCallback<T> {
public:
    explicit BasicEarlyStopping(EarlyStoppingOptions options = {});
    void on_train_begin(BasicSequential<T>& model) override;
    void on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) override;
    void on_train_end(BasicSequential<T>& model) override;
    // The 0-based epoch training stopped at, or -1 when it ran to the end.
    int stopped_epoch() const noexcept { return stopped_epoch_; }
    // The 0-based epoch of the best monitored value, or -1 before the first.
    int best_epoch() const noexcept { return best_epoch_; }
    // Whether on_train_end put the best epoch's weights back.
    bool restored_best_weights() const noexcept { return restored_; }
    // wait, best, best_epoch, stopped_epoch and the best weights. A fit resumed from a state that
    // had stopped trains no further epoch (and restores the best weights when asked).
    std::optional<CallbackState> state() const override;
    void restore_state(const CallbackState& state) override;

private:
    bool improved(double current) const;
    EarlyStoppingOptions options_;
    bool maximize_ = false;
    int wait_ = 0, stopped_epoch_ = -1, best_epoch_ = -1;
    bool resuming_ = false, restored_ = false;
    std::optional<double> best_;
    std::vector<Tensor<T>> best_weights_;
};

using EarlyStopping = BasicEarlyStopping<float>;

}  // namespace dense
