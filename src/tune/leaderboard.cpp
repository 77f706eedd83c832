#include "dense/tune/leaderboard.hpp"

#include <algorithm>
#include <ostream>

#include "dense/tune/format.hpp"

namespace dense::tune {

Leaderboard::Leaderboard(std::ostream& out, bool redraw, Objective objective, std::size_t rows)
    : out_(out), redraw_(redraw), objective_(objective), rows_(rows) {}

namespace {
constexpr std::chrono::milliseconds redraw_interval{250}, plain_interval{5000};
}  // namespace

bool Leaderboard::due(std::chrono::milliseconds interval) {
    const auto now = Clock::now();
    if (last_output_ != Clock::time_point{} && now - last_output_ < interval) return false;
    last_output_ = now;
    return true;
}

void Leaderboard::update(const Trial& finished, const std::vector<Trial>& best_first, const SearchProgress& progress) {
    if (redraw_) {
        pending_ = best_first;
        pending_progress_ = progress;
        if (due(redraw_interval)) redraw(best_first, progress);
        return;
    }
    const bool new_best = best_first.front().index != best_index_;
    best_index_ = best_first.front().index;
    if (new_best || due(plain_interval)) plain_line(finished, best_first);
}

void Leaderboard::plain_line(const Trial& finished, const std::vector<Trial>& best_first) {
    last_output_ = Clock::now();
    out_ << "trial " << finished.index << " (" << finished.epochs << "/" << finished.epoch_budget << " epochs, "
         << format_duration(finished.seconds) << "): " << describe_architecture(finished.hyperparameters) << "; "
         << describe_training(finished.hyperparameters) << " → " << objective_.display_name() << " "
         << format_metric(objective_, finished.metric) << " | best "
         << format_metric(objective_, best_first.front().metric) << " (trial " << best_first.front().index << ")\n";
    out_.flush();
}

void Leaderboard::redraw(const std::vector<Trial>& best_first, const SearchProgress& progress) {
    std::vector<std::vector<std::string>> rows{trial_header(objective_)};
    for (std::size_t i = 0; i < best_first.size() && i < rows_; ++i)
        rows.push_back(trial_row(objective_, i + 1, best_first[i], false));
    const std::string text = "search: " + std::to_string(best_first.size()) + " trials, " +
                             std::to_string(progress.evaluations) + " evaluations, " +
                             std::to_string(progress.total_epochs) + " epochs, " +
                             format_duration(progress.seconds) + "\n" + format_table(rows);
    // ESC[nF moves to the start of the line n lines up, ESC[J clears from there to the end.
    if (lines_drawn_ > 0) out_ << "\x1b[" << lines_drawn_ << "F\x1b[J";
    out_ << text;
    out_.flush();
    lines_drawn_ = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    pending_.clear();
}

void Leaderboard::note(std::string_view line) {
    out_ << line << '\n';
    out_.flush();
}

void Leaderboard::close() {
    if (redraw_ && !pending_.empty()) redraw(pending_, pending_progress_);
    lines_drawn_ = 0;
    if (redraw_) out_ << '\n';
}

}  // namespace dense::tune
