// read_double against std::from_chars, the correctly rounded reading it must equal bit for bit.
#include "io/decimal.hpp"

#include <bit>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace dense::io {
namespace {

void expect_as_from_chars(const std::string& text) {
    double fast = -1, reference = -2;
    const auto [fast_end, fast_error] = read_double(text.data(), text.data() + text.size(), fast);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), reference);
    EXPECT_EQ(fast_error, error) << text;
    EXPECT_EQ(fast_end, end) << text;
    if (error == std::errc{}) {
        EXPECT_EQ(std::bit_cast<std::uint64_t>(fast), std::bit_cast<std::uint64_t>(reference)) << text;
    }
}

TEST(ReadDouble, EqualsFromCharsOnEveryForm) {
    for (const char* text : {"0", "-0", "-0.0000", "7", "007", "7.", ".25", "-.25", "1.5,2", "3\n", "9007199254740992",
                             "9007199254740993", "0.1", "0.30000000000000004", "1234567890123456789", "12345678901234567890",
                             "1e5", "1E-5", "1.5e+3", "0.0000000000000000000001", "0.00000000000000000000001", "1.2.3",
                             "", "-", ".", "-.", "nan", "inf", "-Infinity", "x", "1e999999", "4.9406564584124654e-324"})
        expect_as_from_chars(text);
}

TEST(ReadDouble, EqualsFromCharsOnRandomShortDecimals) {
    std::mt19937_64 random(7);
    std::uniform_int_distribution<int> digit(0, 9), length(1, 20), point(0, 21);
    for (int i = 0; i < 200000; ++i) {
        std::string text = random() % 2 ? "-" : "";
        const int digits = length(random), dot = point(random);
        for (int d = 0; d < digits; ++d) {
            if (d == dot) text += '.';
            text += static_cast<char>('0' + digit(random));
        }
        expect_as_from_chars(text);
    }
}

}  // namespace
}  // namespace dense::io
