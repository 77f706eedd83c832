// Checks of option values (see option_checks.hpp).
#include "option_checks.hpp"

#include <charconv>
#include <filesystem>
#include <optional>
#include <set>

#include "dense/error.hpp"
#include "dense/memory.hpp"
#include "dense/printable.hpp"

namespace dense::cli {

namespace {

// The value of `text` when it is a whole number without a sign that std::uint64_t holds.
std::optional<std::uint64_t> unsigned_value(std::string_view text) {
    std::uint64_t value = 0;
    const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || stop != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

CLI::Validator whole_number(std::uint64_t least, std::uint64_t most) {
    const auto range = most == std::numeric_limits<std::uint64_t>::max()
                           ? "of " + std::to_string(least) + " or more"
                           : "from " + std::to_string(least) + " to " + std::to_string(most);
    return CLI::Validator(
        [least, most, range](const std::string& text) -> std::string {
            const auto value = unsigned_value(text);
            if (value && *value >= least && *value <= most) return {};
            const bool digits_only = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            if (!value && digits_only)
                return "must be a whole number of at most " + std::to_string(most) + ", got " + printable(text);
            return "must be a whole number " + range + ", got " + printable(text);
        },
        "");
}

void refuse_negative_counts(CLI::App& app) {
    for (auto* command : app.get_subcommands({})) {
        for (auto* option : command->get_options())
            if (option->get_type_name() == "UINT") option->check(whole_number(0));
        refuse_negative_counts(*command);
    }
}

std::vector<std::size_t> parse_sizes(std::string_view text, std::string_view option) {
    std::vector<std::size_t> sizes;
    std::size_t start = 0;
    for (;;) {
        const auto end = std::min(text.find(',', start), text.size());
        const auto item = text.substr(start, end - start);
        const auto size = unsigned_value(item);
        if (!size)
            throw UsageError(std::string(option) + " takes whole numbers separated by commas, like 64,32, but " +
                             dense::in_quotes(text) + (item.empty()       ? " has an empty item"
                                                       : item == text ? " is not"
                                                                      : " has " + dense::in_quotes(item)));
        sizes.push_back(static_cast<std::size_t>(*size));
        if (end == text.size()) return sizes;
        start = end + 1;
    }
}

void require_memory_for_layers(const std::vector<std::size_t>& layers, std::size_t optimizer_slots) {
    // kernel [in, out] and bias [out] of each Dense layer, from 1 input through the layers to 1 output
    double parameters = 0, inputs = 1;
    for (const double units : layers) {
        if (units == 0) continue;
        parameters += inputs * units + units;
        inputs = units;
    }
    parameters += inputs + 1;
    const double bytes = parameters * double(2 + optimizer_slots) * sizeof(float);
    if (const auto shortfall = memory_shortfall(bytes >= 1.8e19 ? std::uint64_t(-1) : static_cast<std::uint64_t>(bytes)))
        throw UsageError("--layers: holding the weights, their gradients and the optimizer's state alone " + *shortfall +
                         "; use fewer units");
}

namespace {

// The path with ".", ".." and symbolic links resolved as far as it exists, for comparison.
std::filesystem::path resolved(const std::string& path) {
    std::error_code error;
    auto full = std::filesystem::weakly_canonical(path, error);
    return error ? std::filesystem::path(path).lexically_normal() : full;
}

}  // namespace

void require_different_files(const std::vector<NamedFile>& files) {
    for (std::size_t i = 0; i < files.size(); ++i)
        for (std::size_t j = i + 1; j < files.size(); ++j) {
            const auto &a = files[i], &b = files[j];
            if (a.path.empty() || a.path == "-" || b.path.empty() || b.path == "-" || !(a.written || b.written)) continue;
            if (resolved(a.path) == resolved(b.path))
                throw UsageError(std::string(b.name) + " names " + dense::in_quotes(b.path) + ", the same file as " +
                                 std::string(a.name) + "; writing it would destroy " +
                                 (a.written ? "what " + std::string(a.name) + " writes" : std::string(a.name)) +
                                 ": give another path");
        }
}

void require_distinct(const std::vector<std::string>& items, std::string_view option) {
    std::set<std::string_view> seen;
    for (const auto& item : items)
        if (!seen.insert(item).second)
            throw UsageError(std::string(option) + " names " + dense::in_quotes(item) + " twice; name each column once");
}

}  // namespace dense::cli
