#include "dense/tune/model_choice.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <numeric>

#include "dense/error.hpp"
#include "dense/tune/format.hpp"
#include "dense/tune/objective.hpp"

namespace dense::tune {

namespace {

double mean(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// d_i = a_i − b_i for every row.
std::vector<double> differences(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
    return d;
}

void check_candidates(const std::vector<ScoredModel>& candidates) {
    if (candidates.empty()) throw UsageError("choose_model: no candidate models to choose from");
    for (const auto& c : candidates)
        if (c.row_losses.empty() || c.row_losses.size() != candidates.front().row_losses.size())
            throw UsageError("choose_model: every candidate needs a loss for the same, non-empty set of rows; '" +
                             c.name + "' has " + std::to_string(c.row_losses.size()) + " and '" +
                             candidates.front().name + "' " + std::to_string(candidates.front().row_losses.size()));
}

// The candidate with the lowest mean loss but `best`.
std::size_t runner_up(const std::vector<ScoredModel>& candidates, std::size_t best) {
    std::size_t second = best == 0 ? 1 : 0;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (i != best && mean(candidates[i].row_losses) < mean(candidates[second].row_losses)) second = i;
    return second;
}

}  // namespace

ModelChoice choose_model(const std::vector<ScoredModel>& candidates) {
    check_candidates(candidates);
    ModelChoice choice;
    for (std::size_t i = 1; i < candidates.size(); ++i)
        if (mean(candidates[i].row_losses) < mean(candidates[choice.best].row_losses)) choice.best = i;
    choice.chosen = choice.compared = choice.best;
    const auto& best = candidates[choice.best].row_losses;
    const double rows = static_cast<double>(best.size());
    auto margin_to_best = [&](std::size_t i) {  // d̄ and SE(d̄) = s_d / √n
        const auto d = differences(candidates[i].row_losses, best);
        return std::pair(mean(d), sample_deviation(d) / std::sqrt(rows));
    };
    std::size_t simplest = choice.best;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto [difference, se] = margin_to_best(i);
        if (candidates[i].complexity < candidates[simplest].complexity) {
            simplest = i;
            if (choice.chosen == choice.best) choice = {choice.best, choice.best, i, difference, se};
        }
        if (difference <= se && candidates[i].complexity < candidates[choice.chosen].complexity)
            choice = {i, choice.best, i, difference, se};
    }
    if (simplest == choice.best && candidates.size() > 1) {
        choice.compared = runner_up(candidates, choice.best);
        std::tie(choice.difference, choice.standard_error) = margin_to_best(choice.compared);
    }
    return choice;
}

std::string ModelChoice::reason(const std::vector<ScoredModel>& candidates) const {
    const auto& pick = candidates.at(chosen);
    const std::string margin = format_significant(difference) + " ± " + format_significant(standard_error) + " per row";
    if (chosen != best)
        return pick.name + ": validation loss within one standard error of " + candidates.at(best).name + ": +" + margin;
    if (compared == best) return pick.name + ": the only candidate";
    if (candidates.at(compared).complexity >= pick.complexity)
        return pick.name + ": the lowest validation loss, " + margin + " below " + candidates.at(compared).name;
    return pick.name + ": validation loss lower than that of " + candidates.at(compared).name +
           " by more than one standard error: " + margin;
}

std::vector<double> row_losses(const Loss& loss, const Matrix<float>& y_true, const Matrix<float>& y_pred) {
    if (y_true.rows() != y_pred.rows())
        throw UsageError("row_losses: " + std::to_string(y_true.rows()) + " target rows but " +
                         std::to_string(y_pred.rows()) + " predicted rows");
    std::vector<double> losses;
    Matrix<float> truth(1, y_true.cols()), predicted(1, y_pred.cols());
    for (std::size_t r = 0; r < y_true.rows(); ++r) {
        std::ranges::copy(y_true.row(r), truth.row(0).begin());
        std::ranges::copy(y_pred.row(r), predicted.row(0).begin());
        losses.push_back(loss.value(truth, predicted));
    }
    return losses;
}

}  // namespace dense::tune
