#pragma once
// ModelChoice: which of a few models, scored on the same validation rows, to keep. The one-
// standard-error rule (Hastie et al., Elements of Statistical Learning §7.10) on paired losses:
// the simplest model whose mean loss exceeds the best one's by at most one standard error of the
// per-row difference,
//   d_i = loss_i(model) − loss_i(best),  d̄ = Σ d_i / n,  SE(d̄) = s_d / √n,  keep if d̄ ≤ SE(d̄).
// Pairing row by row removes what the rows' difficulty adds to both scores, so the test is far
// sharper than comparing two means with their own standard errors; on a tie the simpler model wins.
//
//   auto choice = dense::tune::choose_model({{"linear model", 13, linear_losses}, {"64 relu", 961, mlp_losses}});
//   std::cout << choice.reason(candidates);
#include <cstddef>
#include <string>
#include <vector>

#include "dense/loss.hpp"
#include "dense/matrix.hpp"

namespace dense::tune {

// One model's loss on every validation row, in the same row order for every candidate.
struct ScoredModel {
    std::string name;
    std::size_t complexity = 0;     // fewer is simpler: a parameter count, or any rank of preference
    std::vector<double> row_losses;
};

struct ModelChoice {
    std::size_t chosen = 0;          // index into the candidates
    std::size_t best = 0;            // the lowest mean loss
    std::size_t compared = 0;        // the candidate whose margin to the best is below
    // d̄ and SE(d̄), the compared candidate's mean loss minus the best one's: the chosen one's
    // when it is not the best; when it is, the simplest candidate's (what made it lose), or, when
    // the best is the simplest, the runner-up's (by how much it won).
    double difference = 0.0;
    double standard_error = 0.0;

    // One line: "linear model: validation loss within one standard error of 64 relu: +0.0041 ±
    // 0.0093 per row", "64 relu: validation loss lower than that of linear model by more than one
    // standard error: 0.12 ± 0.03 per row", or "linear model: the lowest validation loss, 0.05 ±
    // 0.02 per row below 64 relu".
    std::string reason(const std::vector<ScoredModel>& candidates) const;
};

// Throws UsageError when there are no candidates or their row counts differ or are zero.
ModelChoice choose_model(const std::vector<ScoredModel>& candidates);

// The loss of every row of predictions y_pred for y_true, as `loss` computes it for a batch of one.
std::vector<double> row_losses(const Loss& loss, const Matrix<float>& y_true, const Matrix<float>& y_pred);

}  // namespace dense::tune
