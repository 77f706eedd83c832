#pragma once
// Text from data and model files, made safe to show in a message: control characters (ESC,
// NUL, line breaks) become escapes such as \e, \0 and \n, so a name can neither drive the
// terminal nor cut or split the message; text longer than `limit` bytes is clipped to its
// start and its length, so a 128 MB column name costs one short line.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dense {

inline constexpr std::size_t printable_limit = 80;

// "a\x1b[1m" → "a\e[1m";  a 1000-byte name → its first 80 bytes, then "… (1000 bytes)".
std::string printable(std::string_view text, std::size_t limit = printable_limit);

// printable(text) in single quotes, as messages name a column, a layer or a class (not named
// `quoted`, which std::quoted would take over for a std::string argument).
std::string in_quotes(std::string_view text, std::size_t limit = printable_limit);

// "'a', 'b', 'c'": every name in_quotes, the list stopped after about `limit` bytes with
// "and 99 more", so a header of 100 000 columns makes one readable line.
std::string quoted_list(const std::vector<std::string>& names, std::size_t limit = 300);

// The characters `text` shows as on a terminal, for lining up columns: its UTF-8 code points (a
// byte 10xxxxxx continues one), so "R²" and "kurz_ä" count 2 and 6 (a wide character, such as an
// emoji, still counts 1).
std::size_t display_width(std::string_view text) noexcept;

// A number as a message shows it: the shortest text that reads back as `value` (0.9999999, not
// std::to_string's 1.000000; 0, not 0.000000).
std::string number_text(double value);

}  // namespace dense
