#include "dense/history.hpp"

#include "dense/error.hpp"

namespace dense {

void History::record(int epoch_index, const Logs& logs) {
    epoch.push_back(epoch_index);
    for (const auto& [key, value] : logs) history[key].push_back(value);
}

const std::vector<double>& History::operator[](const std::string& key) const {
    const auto found = history.find(key);
    if (found != history.end()) return found->second;
    std::string known;
    for (const auto& entry : history) known += (known.empty() ? "" : ", ") + entry.first;
    throw UsageError("History has no '" + key + "'; it recorded: " + (known.empty() ? "nothing" : known));
}

}  // namespace dense
