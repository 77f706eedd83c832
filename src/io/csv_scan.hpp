#pragma once
// Finding the characters that end a CSV field, 16 bytes at a time where SSE2 is there (every
// x86-64), a byte at a time elsewhere and for the last few bytes.
#include <bit>
#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dense::io {

// The first delimiter, quote, '\n' or '\r' in [p, end), or end when there is none.
inline const char* find_field_end(const char* p, const char* end, char delimiter) noexcept {
#if defined(__SSE2__)
    const __m128i delimiters = _mm_set1_epi8(delimiter), quotes = _mm_set1_epi8('"');
    const __m128i newlines = _mm_set1_epi8('\n'), returns = _mm_set1_epi8('\r');
    for (; end - p >= 16; p += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, quotes)),
                                          _mm_or_si128(_mm_cmpeq_epi8(bytes, newlines), _mm_cmpeq_epi8(bytes, returns)));
        if (const int mask = _mm_movemask_epi8(hits); mask != 0) return p + std::countr_zero(static_cast<unsigned>(mask));
    }
#endif
    while (p < end && *p != delimiter && *p != '"' && *p != '\n' && *p != '\r') ++p;
    return p;
}

// How many times `c` occurs in `text`: std::count, 16 bytes a step where SSE2 is there. Each
// step subtracts the lanes' compare masks (−1 per hit) from byte counters, which add up in
// 64-bit sums (psadbw) before they can overflow, every 255 steps.
inline std::size_t count_char(std::string_view text, char c) noexcept {
    const char* p = text.data();
    const char* const end = p + text.size();
    std::size_t count = 0;
#if defined(__SSE2__)
    const __m128i wanted = _mm_set1_epi8(c);
    while (end - p >= 16) {
        __m128i hits = _mm_setzero_si128();
        for (int step = 0; step < 255 && end - p >= 16; ++step, p += 16)
            hits = _mm_sub_epi8(hits, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), wanted));
        const __m128i sums = _mm_sad_epu8(hits, _mm_setzero_si128());
        count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) + static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    }
#endif
    for (; p != end; ++p) count += *p == c ? 1 : 0;
    return count;
}

}  // namespace dense::io
