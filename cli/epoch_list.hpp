#pragma once
// "45, 40, 296": the epochs of the copies of an averaged model, as dense train, summary and tune
// name them.
#include <string>
#include <vector>

namespace dense::cli {

inline std::string epoch_list(const std::vector<int>& epochs) {
    std::string text;
    for (int epoch : epochs) text += (text.empty() ? "" : ", ") + std::to_string(epoch);
    return text;
}

}  // namespace dense::cli
