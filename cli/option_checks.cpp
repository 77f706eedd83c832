// Checks of option values (see option_checks.hpp).
#include "option_checks.hpp"

#include <charconv>
#include <set>

#include "dense/error.hpp"
#include "dense/memory.hpp"
#include "dense/printable.hpp"

namespace dense::cli {

void refuse_negative_counts(CLI::App& app) {
    for (auto* command : app.get_subcommands({})) {
        for (auto* option : command->get_options()) {
            if (option->get_type_name() != "UINT") continue;
            option->check([](const std::string& value) -> std::string {
                if (value.starts_with('-')) return "must be a whole number of 0 or more, got " + printable(value);
                return {};
            });
        }
        refuse_negative_counts(*command);
    }
}

std::vector<std::size_t> parse_sizes(std::string_view text, std::string_view option) {
    std::vector<std::size_t> sizes;
    std::size_t start = 0;
    for (;;) {
        const auto end = std::min(text.find(',', start), text.size());
        const auto item = text.substr(start, end - start);
        std::size_t size = 0;
        const auto [stop, error] = std::from_chars(item.data(), item.data() + item.size(), size);
        if (item.empty() || error != std::errc{} || stop != item.data() + item.size())
            throw UsageError(std::string(option) + " takes whole numbers separated by commas, like 64,32, but " +
                             dense::in_quotes(text) + (item.empty() ? " has an empty item" : " has " + dense::in_quotes(item)));
        sizes.push_back(size);
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

void require_distinct(const std::vector<std::string>& items, std::string_view option) {
    std::set<std::string_view> seen;
    for (const auto& item : items)
        if (!seen.insert(item).second)
            throw UsageError(std::string(option) + " names " + dense::in_quotes(item) + " twice; name each column once");
}

}  // namespace dense::cli
