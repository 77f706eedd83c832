#include "option_range.hpp"

#include <cmath>
#include <string>

#include "dense/error.hpp"
#include "dense/printable.hpp"

namespace dense::detail {
namespace {

bool contains(OptionRange range, double value) {
    switch (range) {
        case OptionRange::non_negative: return value >= 0;
        case OptionRange::positive: return value > 0;
        case OptionRange::unit_interval: return value >= 0 && value <= 1;
        case OptionRange::fraction: return value >= 0 && value < 1;
    }
    return false;
}

// As model file messages write the ranges.
std::string_view range_text(OptionRange range) {
    switch (range) {
        case OptionRange::non_negative: return "of at least 0";
        case OptionRange::positive: return "above 0";
        case OptionRange::unit_interval: return "in [0, 1]";
        case OptionRange::fraction: return "in [0, 1)";
    }
    return "";
}

}  // namespace

void require_in_range(std::string_view owner, std::string_view option, double value, OptionRange range) {
    if (std::isfinite(value) && contains(range, value)) return;
    throw UsageError(std::string(owner) + ": " + std::string(option) + " must be a finite number " +
                     std::string(range_text(range)) + ", got " + number_text(value));
}

void require_adam_options(std::string_view owner, double beta_1, double beta_2, double epsilon) {
    require_in_range(owner, "beta_1", beta_1, OptionRange::fraction);
    require_in_range(owner, "beta_2", beta_2, OptionRange::fraction);
    require_in_range(owner, "epsilon", epsilon, OptionRange::non_negative);
}

}  // namespace dense::detail
