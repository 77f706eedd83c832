// read_double against std::from_chars, the correctly rounded reading it must equal bit for bit.
#include "io/decimal.hpp"

#include <algorithm>
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

#if defined(DENSE_SHORT_DECIMAL_SSSE3)
// read_short_decimal on `text` followed by `after` (its 16 bytes readable): either nothing (left
// to read_double) or where from_chars ends and its value, bit for bit. Returns whether it read.
bool short_as_from_chars(const std::string& text, const std::string& after = ",7\n") {
    if (!cpu_reads_short_decimals()) return false;
    std::string line = text + after;
    line.resize(std::max<std::size_t>(line.size(), 32), '9');
    double fast = -1, reference = -2;
    const char* fast_end = read_short_decimal(line.data(), fast);
    if (fast_end == nullptr) return false;
    const auto [end, error] = std::from_chars(line.data(), line.data() + text.size(), reference);
    EXPECT_EQ(error, std::errc{}) << text;
    EXPECT_EQ(fast_end, end) << text;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(fast), std::bit_cast<std::uint64_t>(reference)) << text;
    return true;
}

TEST(ReadShortDecimal, ReadsShortPlainDecimalsAsFromChars) {
    if (!cpu_reads_short_decimals()) GTEST_SKIP() << "no SSSE3";
    for (const char* text : {"0", "-0", "-0.0000", "7", "007", "7.", ".25", "-.25", "0.1", "-0.2855", "123456789012345",
                             "-12345678901234", "1234567.8901234", ".00000000000001", "0.3000000000004"})
        EXPECT_TRUE(short_as_from_chars(text)) << text;
    for (const char* after : {",", "\n", "\r\n", ";", "\t", "x"}) EXPECT_TRUE(short_as_from_chars("-1.5", after)) << after;
}

TEST(ReadShortDecimal, LeavesEverythingElseToReadDouble) {
    if (!cpu_reads_short_decimals()) GTEST_SKIP() << "no SSSE3";
    for (const char* text : {"", "-", ".", "-.", "+1", "1.2.3", "1e5", "1E-5", "2.5e+3", "nan", "inf", "-Infinity", "x",
                             "1234567890123456", "-123456789012345", "0.000000000000001", "--1"})
        EXPECT_FALSE(short_as_from_chars(text, ",1")) << text;
}

#endif

TEST(ReadDouble, EqualsFromCharsOnRandomShortDecimals) {
    std::mt19937_64 random(7);
    std::uniform_int_distribution<int> digit(0, 9), length(1, 20), point(0, 21);
    [[maybe_unused]] int short_reads = 0;
    for (int i = 0; i < 200000; ++i) {
        std::string text = random() % 2 ? "-" : "";
        const int digits = length(random), dot = point(random);
        for (int d = 0; d < digits; ++d) {
            if (d == dot) text += '.';
            text += static_cast<char>('0' + digit(random));
        }
        expect_as_from_chars(text);
#if defined(DENSE_SHORT_DECIMAL_SSSE3)
        short_reads += short_as_from_chars(text) ? 1 : 0;
#endif
    }
#if defined(DENSE_SHORT_DECIMAL_SSSE3)
    if (cpu_reads_short_decimals()) {
        EXPECT_GT(short_reads, 50000);  // those of fewer than 16 characters
    }
#endif
}

}  // namespace
}  // namespace dense::io
