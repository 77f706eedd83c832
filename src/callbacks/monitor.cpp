#include "callbacks/monitor.hpp"

#include "dense/error.hpp"

namespace dense::callbacks {

bool maximizes(const std::string& monitor, const std::string& mode) {
    if (mode == "min") return false;
    if (mode == "max") return true;
    if (mode != "auto") throw UsageError("mode must be 'auto', 'min' or 'max', got '" + mode + "'");
    return monitor.find("acc") != std::string::npos;
}

double monitored_value(const Logs& logs, const std::string& monitor, const char* callback) {
    const auto found = logs.find(monitor);
    if (found != logs.end()) return found->second;
    std::string known;
    for (const auto& [key, value] : logs) known += (known.empty() ? "" : ", ") + key;
    throw UsageError(std::string(callback) + " monitors '" + monitor + "', which is not logged; available: " + known +
                     (monitor.rfind("val_", 0) == 0 ? " (val_ values need validation_split or validation_data)" : ""));
}

bool improves(double current, double best, double min_delta, bool maximize) {
    return maximize ? current - min_delta > best : current + min_delta < best;
}

}  // namespace dense::callbacks
