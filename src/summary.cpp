// BasicSequential<T>::summary: Keras 3's model summary table.
#include <cstdio>
#include <string>

#include "dense/optimizers/optimizer.hpp"
#include "dense/printable.hpp"
#include "dense/sequential.hpp"

namespace dense {
namespace {

// Keras' readable_memory_size: "8.00 B", "1.17 KB", "3.02 MB".
std::string readable_size(double bytes) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1024.0 && unit < 4) bytes /= 1024.0, ++unit;
    char text[32];
    std::snprintf(text, sizeof text, "%.2f %s", bytes, units[unit]);
    return text;
}

// The first `count` code points of text (never half of one), display_width(...) == count.
std::string first_columns(const std::string& text, std::size_t count) {
    std::size_t end = 0;
    for (std::size_t seen = 0; end < text.size(); ++end)
        if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && seen++ == count) break;
    return text.substr(0, end);
}

std::string with_thousands(std::size_t n) {
    std::string digits = std::to_string(n), text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

}  // namespace

template <class T>
std::string BasicSequential<T>::summary() const {
    // Keras 3's table: ┏━┳━┓ heading, ┡━╇━┩ under it, │ rows separated by ├─┼─┤, └─┴─┘ at the end.
    constexpr std::size_t widths[] = {33, 24, 15};
    auto rule = [&](const char* left, const char* fill, const char* join, const char* right) {
        std::string line = left;
        for (std::size_t c = 0; c < 3; ++c) {
            for (std::size_t i = 0; i < widths[c]; ++i) line += fill;
            line += c < 2 ? join : right;
        }
        return line + "\n";
    };
    auto cell = [](std::string text, std::size_t width, bool right_align) {
        if (display_width(text) > width - 2) text = first_columns(text, width - 3) + "…";
        const std::string pad(width - 2 - display_width(text), ' ');
        std::string padded = " ";
        padded += right_align ? pad + text : text + pad;
        return padded += " ";
    };
    auto row = [&](const char* bar, const std::string& a, const std::string& b, const std::string& c) {
        return bar + cell(a, widths[0], false) + bar + cell(b, widths[1], false) + bar + cell(c, widths[2], true) + bar +
               "\n";
    };
    std::string text = "Model: \"" + printable(name()) + "\"\n";
    text += rule("┏", "━", "┳", "┓");
    text += row("┃", "Layer (type)", "Output Shape", "Param #");
    text += rule("┡", "━", "╇", "┩");
    std::size_t trainable = 0, frozen = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const auto& layer = *layers_[i];
        const std::size_t width = layer.built() ? layer.output_dim() : 0;
        const std::size_t params = layer.built() ? layer.parameter_count() : 0;
        (layer.trainable() ? trainable : frozen) += params;
        if (i) text += rule("├", "─", "┼", "┤");
        text += row("│", printable(layer.name()) + " (" + std::string(layer.type()) + ")",
                    width ? "(None, " + std::to_string(width) + ")" : "?", layer.built() ? with_thousands(params) : "0 (unbuilt)");
    }
    text += rule("└", "─", "┴", "┘");
    const double bytes = double(sizeof(T));
    auto count = [&](const char* what, std::size_t n) {
        return std::string(" ") + what + " params: " + with_thousands(n) + " (" + readable_size(double(n) * bytes) + ")\n";
    };
    text += count("Total", trainable + frozen) + count("Trainable", trainable) + count("Non-trainable", frozen);
    if (optimizer_) {
        std::size_t slots = 0;
        for (const auto& s : optimizer_->state().slots) slots += s.size();
        if (slots) text += count("Optimizer", slots);
    }
    return text;
}

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace dense
