#pragma once
// Leaderboard: the search's progress as it runs. On a terminal it redraws a few lines in place
// (the counts, then the best trials so far), at most 4 times a second; elsewhere it writes one
// plain line when the best trial changes and otherwise at most one every 5 seconds, so a log
// file stays readable however fast the evaluations finish.
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string_view>
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
    // A line about the search's other work (before the first trial is drawn), as it is.
    void note(std::string_view line);
    // Draws what is still pending and leaves the lines in place so what follows is printed below.
    void close();

private:
    using Clock = std::chrono::steady_clock;
    void redraw(const std::vector<Trial>& best_first, const SearchProgress& progress);
    void plain_line(const Trial& finished, const std::vector<Trial>& best_first);
    bool due(std::chrono::milliseconds interval);

    std::ostream& out_;
    bool redraw_;
    Objective objective_;
    std::size_t rows_;
    std::size_t lines_drawn_ = 0;
    Clock::time_point last_output_{};
    std::size_t best_index_ = static_cast<std::size_t>(-1);
    std::vector<Trial> pending_;  // the standings not yet drawn (redraw mode)
    SearchProgress pending_progress_;
};

}  // namespace dense::tune
