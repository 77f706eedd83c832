#pragma once
// Reading a decimal number as std::from_chars does, faster for the short plain decimals of data
// files ("-0.2855", "42", "1.5"): Clinger's fast path. A decimal whose digits, read as one
// integer m, are at most 2^53, with k ≤ 22 digits after the point, is m / 10^k: both are exact
// doubles, so the one rounding of the division gives the correctly rounded value, which is what
// from_chars returns. Anything else (exponents, long digit strings, inf, nan) goes to from_chars.
#include <charconv>
#include <cstdint>

namespace dense::io {

inline std::from_chars_result read_double(const char* first, const char* last, double& value) noexcept {
    static constexpr double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const auto is_digit = [](char c) { return static_cast<unsigned>(c - '0') < 10; };
    const char* p = first;
    const bool negative = p != last && *p == '-';
    p += negative ? 1 : 0;
    std::uint64_t digits = 0;
    int count = 0, after_point = 0;
    for (; p != last && is_digit(*p) && count < 19; ++p, ++count) digits = digits * 10 + static_cast<unsigned>(*p - '0');
    if (p != last && *p == '.') {
        const char* fraction = ++p;
        for (; p != last && is_digit(*p) && count < 19; ++p, ++count) digits = digits * 10 + static_cast<unsigned>(*p - '0');
        after_point = static_cast<int>(p - fraction);
    }
    const bool plain = count > 0 && (p == last || (!is_digit(*p) && *p != 'e' && *p != 'E' && *p != '.'));
    if (!plain || digits > (std::uint64_t{1} << 53) || after_point > 22) return std::from_chars(first, last, value);
    const double magnitude = static_cast<double>(digits) / powers_of_ten[after_point];
    value = negative ? -magnitude : magnitude;
    return {p, std::errc{}};
}

}  // namespace dense::io
