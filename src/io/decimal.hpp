#pragma once
// Reading a decimal number as std::from_chars does, faster for the short plain decimals of data
// files ("-0.2855", "42", "1.5"): Clinger's fast path. A decimal whose digits, read as one
// integer m, are at most 2^53, with k ≤ 22 digits after the point, is m / 10^k: both are exact
// doubles, so the one rounding of the division gives the correctly rounded value, which is what
// from_chars returns. Anything else (exponents, long digit strings, inf, nan) goes to from_chars.
#include <bit>
#include <charconv>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DENSE_SHORT_DECIMAL_SSSE3 1
#endif

namespace dense::io {

inline constexpr double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                           1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

inline std::from_chars_result read_double(const char* first, const char* last, double& value) noexcept {
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

#if defined(DENSE_SHORT_DECIMAL_SSSE3)

// Whether the CPU runs read_short_decimal (SSSE3: every x86-64 CPU since about 2008).
inline bool cpu_reads_short_decimals() noexcept { return __builtin_cpu_supports("ssse3"); }

// The decimal at `first`, read as read_double does, when it is short and plain: an optional '-',
// digits with at most one '.', at least one digit, fewer than 16 characters, not followed by an
// exponent. Returns where it ends, or nullptr for anything else (then read_double decides).
// The 16 bytes from `first` must be readable. No loop over the digits: one 16-byte load finds
// the number's end and point, a shuffle lines its digits up without the point against the right
// end, and two multiply-adds sum them, 10·d + d' per pair, 100·pp + pp' per quad, then
// 10^4·qq + qq' per eighth: m = 10^8·high + low, exactly below 10^15 < 2^53, and the value
// m / 10^k with k the digits after the point, as read_double computes it.
__attribute__((target("ssse3"))) inline const char* read_short_decimal(const char* first, double& value) noexcept {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(first));
    const __m128i digits = _mm_sub_epi8(bytes, _mm_set1_epi8('0'));
    const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(digits, _mm_set1_epi8(9)), digits);  // unsigned d ≤ 9
    const auto digit_bits = static_cast<unsigned>(_mm_movemask_epi8(is_digit));
    const auto point_bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('.'))));
    const int start = *first == '-' ? 1 : 0;
    const int end = std::countr_zero(~(digit_bits | point_bits | static_cast<unsigned>(start)) | 0x10000u);
    const unsigned inside = (1u << end) - 1;
    const unsigned point = point_bits & inside;
    if (end == 16 || (digit_bits & inside) == 0 || (point & (point - 1)) != 0 || (first[end] | 0x20) == 'e') return nullptr;
    // Lane i (0..15) takes the byte end − 16 + i, one further left from the point on, none before `start`.
    const int point_at = point != 0 ? std::countr_zero(point) : -2;
    __m128i source = _mm_add_epi8(_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                  _mm_set1_epi8(static_cast<char>(end - 16)));
    source = _mm_add_epi8(source, _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(point_at + 1)), source));  // −1 up to the point
    source = _mm_or_si128(source, _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(start)), source));  // zero before the digits
    const __m128i lined_up = _mm_shuffle_epi8(digits, source);
    const __m128i pairs = _mm_maddubs_epi16(lined_up, _mm_set1_epi16(0x010A));             // 10·d + d'
    const __m128i quads = _mm_madd_epi16(pairs, _mm_set1_epi32(0x00010064));               // 100·pp + pp'
    const __m128i eighths = _mm_madd_epi16(_mm_packs_epi32(quads, quads), _mm_set1_epi32(0x00012710));  // 10^4·qq + qq'
    const auto high = static_cast<std::uint32_t>(_mm_cvtsi128_si32(eighths));
    const auto low = static_cast<std::uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(eighths, 4)));
    const std::uint64_t m = std::uint64_t{high} * 100000000u + low;
    const int after_point = point != 0 ? end - 1 - point_at : 0;
    const double magnitude = static_cast<double>(m) / powers_of_ten[after_point];
    // The sign bit set without a branch: half the numbers of a data file are negative, at random.
    value = std::bit_cast<double>(std::bit_cast<std::uint64_t>(magnitude) | std::uint64_t(start) << 63);
    return first + end;
}

#endif

}  // namespace dense::io
