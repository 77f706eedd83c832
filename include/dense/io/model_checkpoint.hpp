#pragma once
// ModelCheckpoint (Keras): saves the model as a model file at the end of every `every_epochs`
// epochs, or — with save_best_only — only when `monitor` improved. The path takes Keras' format
// fields: "{epoch}" becomes the 1-based epoch number, any logged value its value, with a Python
// format spec of flags, width, precision and type d, f, e or g ("ckpt/w.{epoch:02d}-{val_loss:.2f}.dense"
// → "ckpt/w.04-0.46.dense"). Each file also
// carries the optimizer state, the training progress and the state of the callbacks given to it
// (EarlyStopping's best weights and patience count), so training can resume from it exactly.
// Those callbacks must come before the checkpoint in fit's list, so a file holds their state
// at the end of the same epoch.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dense/callback.hpp"
#include "dense/io/model_file.hpp"

namespace dense::io {

struct ModelCheckpointOptions {
    std::string filepath;                // may contain "{epoch}", "{epoch:02d}", "{val_loss:.4f}"
    std::string monitor = "val_loss";
    bool save_best_only = false;
    std::string mode = "auto";           // "min", "max", or "auto": max when the name has "acc"
    int every_epochs = 1;
    // Stored in every file: the preprocessing and the run's fit settings (epochs_done is set
    // by the callback).
    ModelFileExtras extras = {};
};

template <class T>
class BasicModelCheckpoint final : public BasicCallback<T> {
public:
    explicit BasicModelCheckpoint(ModelCheckpointOptions options,
                                  std::vector<std::shared_ptr<const BasicCallback<T>>> stateful = {});
    void on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) override;
    // The file written last, or nullopt before the first save.
    const std::optional<std::filesystem::path>& last_saved() const noexcept { return last_saved_; }

private:
    bool improved(double value) const noexcept;

    ModelCheckpointOptions options_;
    std::vector<std::shared_ptr<const BasicCallback<T>>> stateful_;
    bool maximize_ = false;
    std::optional<double> best_;
    std::optional<std::filesystem::path> last_saved_;
};

using ModelCheckpoint = BasicModelCheckpoint<float>;

}  // namespace dense::io
