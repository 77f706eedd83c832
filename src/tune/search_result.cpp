#include "dense/tune/search_result.hpp"

#include "dense/tune/format.hpp"

namespace dense::tune {

std::string SearchResult::table(std::size_t max_rows) const {
    std::vector<std::vector<std::string>> rows{trial_header(objective)};
    const std::size_t shown = max_rows == 0 ? ranking.size() : std::min(max_rows, ranking.size());
    for (std::size_t rank = 0; rank < shown; ++rank) {
        const std::size_t position = ranking[rank];
        rows.push_back(trial_row(objective, rank + 1, trials[position], position == recommended && !default_training));
    }
    std::string text = format_table(rows);
    if (shown < ranking.size()) text += "… " + std::to_string(ranking.size() - shown) + " more trials\n";
    return text;
}

}  // namespace dense::tune
