// ModelCheckpoint: model files written during training.
#include "dense/io/model_checkpoint.hpp"

#include <cstdio>
#include <limits>
#include <string_view>

#include "dense/error.hpp"
#include "dense/printable.hpp"

namespace dense::io {
namespace {

constexpr auto npos = std::string_view::npos;

// The printf conversion of a Python format spec as file names use them: flags, width, precision
// and a type among d, f, e, g ("02d" → "%02d", ".4f" → "%.4f"); a type left out is d for the
// epoch and g for a logged value, as Python formats an int and a float.
std::string printf_conversion(std::string_view spec, bool whole, std::string_view field) {
    const std::size_t type_at = spec.find_first_not_of("+- #0123456789.");
    const std::string_view type = type_at == npos ? "" : spec.substr(type_at);
    const bool known_type = type.empty() || (type.size() == 1 && std::string_view("dfeEgG").find(type) != npos);
    if (!known_type || spec.find('.') != spec.rfind('.') || (type == "d" && !whole))
        throw UsageError("ModelCheckpoint: cannot format {" + std::string(field) +
                         "} in filepath; use a spec of flags, width, precision and type d (the epoch), f, e or g, "
                         "such as {epoch:02d} or {val_loss:.4f}");
    std::string conversion = "%";
    conversion.append(spec.substr(0, type_at));
    conversion += type.empty() ? (whole ? 'd' : 'g') : type.front();
    return conversion;
}

// "{name}" or "{name:spec}" of the filepath: the epoch (1-based) or the logged value `name`.
std::string field_text(std::string_view field, int epoch, const Logs& logs) {
    const std::size_t colon = field.find(':');
    const std::string name(field.substr(0, colon));
    const bool whole = name == "epoch";
    const auto logged = logs.find(name);
    if (!whole && logged == logs.end()) {
        std::string known = "epoch";
        for (const auto& [key, value] : logs) known += ", " + key;
        throw UsageError("ModelCheckpoint: filepath names {" + std::string(field) + "}, but '" + name +
                         "' is not logged; available: " + known);
    }
    const double value = whole ? double(epoch + 1) : logged->second;
    if (colon == npos) return whole ? std::to_string(epoch + 1) : number_text(value);
    const std::string conversion = printf_conversion(field.substr(colon + 1), whole, field);
    char text[128];
    if (conversion.back() == 'd') std::snprintf(text, sizeof text, conversion.c_str(), epoch + 1);
    else std::snprintf(text, sizeof text, conversion.c_str(), value);
    return text;
}

// The filepath with each of its {fields} formatted, as Keras' filepath.format(epoch=epoch + 1, **logs).
std::filesystem::path checkpoint_path(std::string_view filepath, int epoch, const Logs& logs) {
    std::string path;
    for (std::size_t at = 0;;) {
        const std::size_t open = filepath.find('{', at);
        path += filepath.substr(at, open == npos ? npos : open - at);
        if (open == npos) return path;
        const std::size_t close = filepath.find('}', open);
        if (close == npos)
            throw UsageError("ModelCheckpoint: filepath '" + std::string(filepath) + "' opens a '{' that no '}' closes");
        path += field_text(filepath.substr(open + 1, close - open - 1), epoch, logs);
        at = close + 1;
    }
}

}  // namespace

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

// Against Keras' starting best of +∞ (−∞ when maximising): NaN never improves.
template <class T>
bool BasicModelCheckpoint<T>::improved(double value) const noexcept {
    const double infinity = std::numeric_limits<double>::infinity();
    const double best = best_.value_or(maximize_ ? -infinity : infinity);
    return maximize_ ? value > best : value < best;
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
    last_saved_ = checkpoint_path(options_.filepath, epoch, logs);
    save_model(model, *last_saved_, extras);
}

template class BasicModelCheckpoint<float>;
template class BasicModelCheckpoint<double>;

}  // namespace dense::io
