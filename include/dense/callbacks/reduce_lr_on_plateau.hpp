#pragma once
// ReduceLROnPlateau (Keras): multiply the learning rate by `factor` when `monitor` has not
// improved by min_delta for `patience` epochs, then wait `cooldown` epochs; never below min_lr.
#include <optional>
#include <string>

#include "dense/callback.hpp"

namespace dense {

struct ReduceLROnPlateauOptions {
    std::string monitor = "val_loss";
    double factor = 0.1;
    int patience = 10;
    std::string mode = "auto";
    double min_delta = 1e-4;
    int cooldown = 0;
    double min_lr = 0.0;
};

template <class T>
class BasicReduceLROnPlateau final : public BasicCallback<T> {
public:
    explicit BasicReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
    void on_train_begin(BasicSequential<T>& model) override;
    void on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) override;
    // best, wait and the cooldown counter (the learning rate itself is the optimizer's).
    std::optional<CallbackState> state() const override;
    void restore_state(const CallbackState& state) override;

private:
    ReduceLROnPlateauOptions options_;
    bool maximize_ = false;
    std::optional<double> best_;
    int wait_ = 0, cooldown_counter_ = 0;
    bool resuming_ = false;
};

using ReduceLROnPlateau = BasicReduceLROnPlateau<float>;

}  // namespace dense
