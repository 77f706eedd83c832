#pragma once
// What EarlyStopping and ReduceLROnPlateau share: reading the monitored value, deciding
// whether it improved, and their saved state.
#include <optional>
#include <string>
#include <vector>

#include "dense/callback.hpp"
#include "dense/history.hpp"

namespace dense::callbacks {

// Keras' mode "auto": maximise accuracy-like quantities, minimise everything else.
bool maximizes(const std::string& monitor, const std::string& mode);
// The monitored value of an epoch; throws UsageError listing the logged keys when absent.
double monitored_value(const Logs& logs, const std::string& monitor, const char* callback);
// current beats best by more than min_delta in the wanted direction. With no best yet, Keras'
// starting best of +∞ (−∞ when maximising): every finite value improves on it, NaN never does.
bool improves(double current, const std::optional<double>& best, double min_delta, bool maximize);

// Throws UsageError unless `state` was saved by a callback of the class `callback`.
void check_state_of(const CallbackState& state, const char* callback);
// A state value that must be present; throws UsageError naming it otherwise.
double state_value(const CallbackState& state, const char* name);

// Weights as a state holds them (float64, exact for float32) and back.
template <class T>
std::vector<Tensor<double>> to_state_tensors(const std::vector<Tensor<T>>& tensors) {
    std::vector<Tensor<double>> out;
    for (const auto& t : tensors) out.emplace_back(t.shape, std::vector<double>(t.values.begin(), t.values.end()));
    return out;
}
template <class T>
std::vector<Tensor<T>> from_state_tensors(const std::vector<Tensor<double>>& tensors) {
    std::vector<Tensor<T>> out;
    for (const auto& t : tensors) {
        std::vector<T> values(t.values.size());
        for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<T>(t.values[i]);
        out.emplace_back(t.shape, std::move(values));
    }
    return out;
}

}  // namespace dense::callbacks
