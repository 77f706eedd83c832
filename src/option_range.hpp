#pragma once
// The ranges of numeric options (an optimizer's betas, a loss's delta, a regularizer's factors),
// checked where the option is given: a value outside fails at once, naming itself, instead of
// training to NaN or being written into a model file that load_model refuses. Model files check
// the same ranges on the way in (io/model_file_validation.cpp).
#include <string_view>

namespace dense::detail {

enum class OptionRange {
    non_negative,   // [0, ∞)
    positive,       // (0, ∞)
    unit_interval,  // [0, 1]
    fraction,       // [0, 1)
};

// Throws UsageError "Adam: beta_1 must be a finite number in [0, 1), got 1" unless `value` is a
// finite number in `range`.
void require_in_range(std::string_view owner, std::string_view option, double value, OptionRange range);

// Adam's and Nadam's decay rates β₁, β₂ in [0, 1) and their ε ≥ 0.
void require_adam_options(std::string_view owner, double beta_1, double beta_2, double epsilon);

}  // namespace dense::detail
