#include "dense/history.hpp"

#include "dense/error.hpp"

namespace dense {

void History::record(int epoch_index, const Logs& logs) {
    epoch.push_back(epoch_index);
    // Both maps are sorted by key, and every epoch logs the same keys: walking them side by side
    // finds each key's column at the next place without a search.
    auto column = history.begin();
    for (const auto& [key, value] : logs) {
        if (column == history.end() || column->first != key) column = history.try_emplace(key).first;
        column->second.push_back(value);
        ++column;
    }
}

const std::vector<double>& History::operator[](const std::string& key) const {
    const auto found = history.find(key);
    if (found != history.end()) return found->second;
    std::string known;
    for (const auto& entry : history) known += (known.empty() ? "" : ", ") + entry.first;
    throw UsageError("History has no '" + key + "'; it recorded: " + (known.empty() ? "nothing" : known));
}

}  // namespace dense
