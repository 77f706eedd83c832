// Suggestions for mistyped names (see dense/did_you_mean.hpp).
#include "dense/did_you_mean.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace dense {
namespace {

std::string_view without_dashes(std::string_view name) {
    return name.substr(std::min(name.find_first_not_of('-'), name.size()));
}

std::string_view without_surrounding_spaces(std::string_view name) {
    const auto first = name.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return name.substr(first, name.find_last_not_of(' ') - first + 1);
}

// "Price" and "price", or " y" (a header written "a, y") and "y".
bool equal_but_for_case_or_spaces(std::string_view a, std::string_view b) {
    const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    return a != b && std::ranges::equal(without_surrounding_spaces(a), without_surrounding_spaces(b), {}, lower, lower);
}

}  // namespace

// Optimal string alignment: d[i][j] = min(d[i−1][j] + 1, d[i][j−1] + 1, d[i−1][j−1] + (a_i ≠ b_j),
// d[i−2][j−2] + 1 when a_i a_(i−1) = b_(j−1) b_j), over three rolling rows.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::optional<std::string> did_you_mean(std::string_view typed, const std::vector<std::string>& candidates) {
    const auto word = without_dashes(typed);
    const std::string* nearest = nullptr;
    std::size_t best = std::numeric_limits<std::size_t>::max();
    const std::string* only_extension = nullptr;
    std::size_t extensions = 0;
    for (const auto& candidate : candidates)
        if (equal_but_for_case_or_spaces(word, without_dashes(candidate))) return candidate;
    for (const auto& candidate : candidates) {
        const auto other = without_dashes(candidate);
        if (other.starts_with(word)) ++extensions, only_extension = &candidate;
        const std::size_t length_gap = std::max(word.size(), other.size()) - std::min(word.size(), other.size());
        if (length_gap * 3 > word.size()) continue;  // too far apart, whatever the letters
        const std::size_t distance = edit_distance(word, other);
        if (distance < best) best = distance, nearest = &candidate;
    }
    if (nearest && best > 0 && best * 3 <= word.size()) return *nearest;
    if (extensions == 1 && word.size() >= 3) return *only_extension;
    return std::nullopt;
}

}  // namespace dense
