#pragma once
// History: what fit() returns — one value per epoch for every logged quantity, as Keras'
// history.history: "loss", each metric, and "val_" + each of them when there is validation data.
#include <map>
#include <string>
#include <vector>

namespace dense {

// The numbers of one epoch (or batch): {"loss": 0.12, "accuracy": 0.97, "val_loss": ...}.
using Logs = std::map<std::string, double>;

struct History {
    std::vector<int> epoch;
    std::map<std::string, std::vector<double>> history;

    void record(int epoch_index, const Logs& logs);
    // history.at("loss") with an Error naming the known keys when absent.
    const std::vector<double>& operator[](const std::string& key) const;
};

}  // namespace dense
