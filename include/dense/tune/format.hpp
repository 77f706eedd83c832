#pragma once
// Text of dense::tune: the tables, the leaderboard and `dense tune`'s summary.
#include <string>
#include <vector>

#include "dense/tune/objective.hpp"
#include "dense/tune/trial.hpp"

namespace dense::tune {

// value with `digits` significant digits, as printf's %g: 0.0032, 1e-05, 0.912.
std::string format_significant(double value, int digits = 2);
// "45ms", "0.4s", "12s", "3m05s", "1h02m".
std::string format_duration(double seconds);
// The metric as shown in tables: accuracy in percent, RMSE in y's units with 4 significant digits, "diverged".
std::string format_metric(const Objective& objective, double metric);

// Columns of a table, laid out so every column is as wide as its widest cell.
std::string format_table(const std::vector<std::vector<std::string>>& rows);
// One row of the results table for a trial ranked `rank` (1-based).
std::vector<std::string> trial_row(const Objective& objective, std::size_t rank, const Trial& trial, bool marked);
std::vector<std::string> trial_header(const Objective& objective);

}  // namespace dense::tune
