#include "callbacks/monitor.hpp"

#include <limits>
#include <vector>

#include "dense/did_you_mean.hpp"
#include "dense/error.hpp"

namespace dense::callbacks {

bool maximizes(const std::string& monitor, const std::string& mode) {
    if (mode == "min") return false;
    if (mode == "max") return true;
    if (mode != "auto") throw UsageError("mode must be 'auto', 'min' or 'max', got '" + mode + "'");
    return monitor.find("acc") != std::string::npos;
}

namespace {

// What to tell a user whose monitor is not logged: the logged name they probably meant, or that
// val_ values come only with validation data.
std::string monitor_advice(const Logs& logs, const std::string& monitor) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : logs) keys.push_back(key);
    if (const auto near = did_you_mean(monitor, keys)) return "; did you mean '" + *near + "'?";
    if (monitor.rfind("val_", 0) == 0 && !logs.contains("val_loss"))
        return " (val_ values need validation_split or validation_data)";
    return "";
}

}  // namespace

double monitored_value(const Logs& logs, const std::string& monitor, const char* callback) {
    const auto found = logs.find(monitor);
    if (found != logs.end()) return found->second;
    std::string known;
    for (const auto& [key, value] : logs) known += (known.empty() ? "" : ", ") + key;
    throw UsageError(std::string(callback) + " monitors '" + monitor + "', which is not logged; available: " + known +
                     monitor_advice(logs, monitor));
}

bool improves(double current, const std::optional<double>& best, double min_delta, bool maximize) {
    const double infinity = std::numeric_limits<double>::infinity();
    const double reference = best.value_or(maximize ? -infinity : infinity);
    return maximize ? current - min_delta > reference : current + min_delta < reference;
}

void check_state_of(const CallbackState& state, const char* callback) {
    if (state.callback != callback)
        throw UsageError(std::string(callback) + " cannot continue from the saved state of " +
                         (state.callback.empty() ? std::string("an unnamed callback") : state.callback));
}

double state_value(const CallbackState& state, const char* name) {
    const auto found = state.values.find(name);
    if (found == state.values.end())
        throw UsageError("the saved state of " + state.callback + " has no '" + name + "'; it was not saved by dense");
    return found->second;
}

}  // namespace dense::callbacks
