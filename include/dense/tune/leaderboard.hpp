#pragma once
// Leaderboard: the search's progress as it runs. On a terminal it redraws a few lines in place
// (the counts, then the best trials so far); elsewhere it writes one plain line per finished
// evaluation, so a log file stays readable.
#include <cstddef>
#include <iosfwd>
#include <vector>

#include "dense/tune/objective.hpp"
#include "dense/tune/trial.hpp"

namespace dense::tune {

struct SearchProgress {
    std::size_t evaluations = 0;
    long long total_epochs = 0;
    double seconds = 0.0;
};

class Leaderboard {
public:
    Leaderboard(std::ostream& out, bool redraw, Objective objective, std::size_t rows = 5);
    // `finished` was just evaluated; `best_first` holds the deepest evaluation of each trial so far.
    void update(const Trial& finished, const std::vector<Trial>& best_first, const SearchProgress& progress);
    // Leaves the drawn lines in place so what follows is printed below them.
    void close();

private:
    void redraw(const std::vector<Trial>& best_first, const SearchProgress& progress);

    std::ostream& out_;
    bool redraw_;
    Objective objective_;
    std::size_t rows_;
    std::size_t lines_drawn_ = 0;
};

}  // namespace dense::tune
