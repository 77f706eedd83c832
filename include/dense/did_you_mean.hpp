#pragma once
// "did you mean 'train'?": the known name closest to a mistyped one, as git and cargo suggest.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dense {

// The edit distance between two words: the fewest insertions, deletions, substitutions and
// swaps of two neighbouring characters that turn one into the other ("trian" → "train": 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `typed` when it is near enough to be what was meant: one that differs
// from it only in case or surrounding spaces ("Price" → "price", "y" → " y"), else at most one edit per three characters typed, or
// the only candidate that `typed` (three characters or more) begins. Leading dashes are ignored,
// so "--taget" finds "--target".
std::optional<std::string> did_you_mean(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace dense
