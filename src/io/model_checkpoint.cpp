// ModelCheckpoint: model files written during training.
#include "dense/io/model_checkpoint.hpp"

#include "dense/error.hpp"

namespace dense::io {

template <class T>
BasicModelCheckpoint<T>::BasicModelCheckpoint(ModelCheckpointOptions options,
                                              std::vector<std::shared_ptr<const BasicCallback<T>>> stateful)
    : options_(std::move(options)), stateful_(std::move(stateful)) {
    if (options_.filepath.empty()) throw UsageError("ModelCheckpoint: filepath must name the file to write");
    if (options_.every_epochs < 1)
        throw UsageError("ModelCheckpoint: every_epochs must be at least 1, got " + std::to_string(options_.every_epochs));
    if (options_.mode != "auto" && options_.mode != "min" && options_.mode != "max")
        throw UsageError("ModelCheckpoint: mode must be auto, min or max, got '" + options_.mode + "'");
    maximize_ = options_.mode == "max" || (options_.mode == "auto" && options_.monitor.find("acc") != std::string::npos);
}

template <class T>
bool BasicModelCheckpoint<T>::improved(double value) const noexcept {
    if (!best_) return true;
    return maximize_ ? value > *best_ : value < *best_;
}

template <class T>
std::filesystem::path BasicModelCheckpoint<T>::path_for(int epoch) const {
    std::string path = options_.filepath;
    const std::string placeholder = "{epoch}";
    for (auto at = path.find(placeholder); at != std::string::npos; at = path.find(placeholder, at))
        path.replace(at, placeholder.size(), std::to_string(epoch + 1));
    return path;
}

template <class T>
void BasicModelCheckpoint<T>::on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) {
    if ((epoch + 1) % options_.every_epochs != 0) return;
    if (options_.save_best_only) {
        const auto found = logs.find(options_.monitor);
        if (found == logs.end())
            throw UsageError("ModelCheckpoint: the logs have no '" + options_.monitor +
                             "' to monitor; use validation data for val_* or monitor 'loss'");
        if (!improved(found->second)) return;
        best_ = found->second;
    }
    ModelFileExtras extras = options_.extras;
    TrainingProgress progress = extras.progress.value_or(TrainingProgress{});
    progress.epochs_done = epoch + 1;
    extras.progress = progress;
    for (const auto& callback : stateful_)
        if (auto state = callback->state()) extras.callbacks.push_back(std::move(*state));
    last_saved_ = path_for(epoch);
    save_model(model, *last_saved_, extras);
}

template class BasicModelCheckpoint<float>;
template class BasicModelCheckpoint<double>;

}  // namespace dense::io
