#pragma once
// What EarlyStopping and ReduceLROnPlateau share: reading the monitored value and deciding
// whether it improved.
#include <string>

#include "dense/history.hpp"

namespace dense::callbacks {

// Keras' mode "auto": maximise accuracy-like quantities, minimise everything else.
bool maximizes(const std::string& monitor, const std::string& mode);
// The monitored value of an epoch; throws UsageError listing the logged keys when absent.
double monitored_value(const Logs& logs, const std::string& monitor, const char* callback);
// current beats best by more than min_delta in the wanted direction.
bool improves(double current, double best, double min_delta, bool maximize);

}  // namespace dense::callbacks
