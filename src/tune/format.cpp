#include "dense/tune/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dense/printable.hpp"

namespace dense::tune {

std::string format_significant(double value, int digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    return text;
}

std::string format_duration(double seconds) {
    char text[32];
    if (seconds < 0.1) {
        std::snprintf(text, sizeof text, "%.0fms", seconds * 1000.0);
    } else if (seconds < 10.0) {
        std::snprintf(text, sizeof text, "%.1fs", seconds);
    } else if (seconds < 60.0) {
        std::snprintf(text, sizeof text, "%.0fs", seconds);
    } else if (seconds < 3600.0) {
        const long whole = std::lround(seconds);
        std::snprintf(text, sizeof text, "%ldm%02lds", whole / 60, whole % 60);
    } else {
        const long minutes = std::lround(seconds / 60.0);
        std::snprintf(text, sizeof text, "%ldh%02ldm", minutes / 60, minutes % 60);
    }
    return text;
}

std::string format_metric(const Objective& objective, double metric) {
    if (!std::isfinite(metric)) return "diverged";
    if (objective.task == io::Task::classification) {
        char text[32];
        std::snprintf(text, sizeof text, "%.2f%%", 100.0 * metric);
        return text;
    }
    return format_significant(std::sqrt(metric) * objective.display_scale, 4);  // RMSE = √MSE in y's units
}

std::string format_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
    }
    std::string text;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += row[c];
            if (c + 1 < row.size()) line += std::string(widths[c] - display_width(row[c]) + 2, ' ');
        }
        text += line + '\n';
    }
    return text;
}

std::vector<std::string> trial_header(const Objective& objective) {
    return {"rank", "trial", "architecture", "training", "params", std::string(objective.display_name()), "epochs",
            "time"};
}

std::vector<std::string> trial_row(const Objective& objective, std::size_t rank, const Trial& trial, bool marked) {
    std::string rank_text(1, marked ? '*' : ' ');
    rank_text += std::to_string(rank);
    return {rank_text,
            std::to_string(trial.index),
            describe_architecture(trial.hyperparameters),
            describe_training(trial.hyperparameters),
            std::to_string(trial.parameters),
            format_metric(objective, trial.metric),
            std::to_string(trial.best_epochs) + "/" + std::to_string(trial.epoch_budget),
            format_duration(trial.seconds)};
}

}  // namespace dense::tune
