// Escaping and clipping text for messages (see dense/printable.hpp).
#include "dense/printable.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace dense {
namespace {

bool is_control(unsigned char c) noexcept { return c < 0x20 || c == 0x7F; }

void append_escaped(std::string& out, unsigned char c) {
    switch (c) {
        case '\0': out += "\\0"; return;
        case '\t': out += "\\t"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case 0x1B: out += "\\e"; return;
        default: {
            constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                  '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
}

// The longest prefix of at most `limit` bytes that does not end inside a UTF-8 sequence.
std::size_t clip_point(std::string_view text, std::size_t limit) noexcept {
    std::size_t end = limit;
    const auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
    while (end > 0 && continuation(end)) --end;
    return end;
}

}  // namespace

std::size_t display_width(std::string_view text) noexcept {
    return static_cast<std::size_t>(
        std::ranges::count_if(text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string printable(std::string_view text, std::size_t limit) {
    const bool clipped = text.size() > limit;
    const std::string_view kept = clipped ? text.substr(0, clip_point(text, limit)) : text;
    std::string out;
    out.reserve(kept.size() + 24);
    for (char c : kept) {
        const auto byte = static_cast<unsigned char>(c);
        if (is_control(byte))
            append_escaped(out, byte);
        else
            out += c;
    }
    if (clipped) out += "… (" + std::to_string(text.size()) + " bytes)";
    return out;
}

std::string in_quotes(std::string_view text, std::size_t limit) {
    std::string out(1, '\'');
    out += printable(text, limit);
    out += '\'';
    return out;
}

std::string quoted_list(const std::vector<std::string>& names, std::size_t limit) {
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0 && list.size() >= limit) return list + " and " + std::to_string(names.size() - i) + " more";
        if (i > 0) list += ", ";
        list += in_quotes(names[i]);
    }
    return list;
}

std::string number_text(double value) {
    char text[32];
    return {text, std::to_chars(text, text + sizeof text, value).ptr};
}

}  // namespace dense
