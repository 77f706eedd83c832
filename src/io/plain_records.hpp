#pragma once
// Records of plain numbers read field by field, short decimals by read_short_decimal where the
// CPU runs it: what plain CSV blocks (csv_blocks.cpp) and plain tables (csv_plain_table.cpp) share.
#include <algorithm>
#include <cstddef>
#include <string_view>
#include <system_error>
#include <vector>

#include "../kernels/parallel.hpp"
#include "csv_scan.hpp"
#include "decimal.hpp"

namespace dense::io {

// The number at `at` as read_double reads it (so as std::from_chars does): where it ends, or
// nullptr when from_chars reads no number there.
template <bool short_decimals>
[[gnu::always_inline]] inline const char* read_number(const char* at, const char* end, double& value) noexcept {
#if defined(DENSE_SHORT_DECIMAL_SSSE3)
    if constexpr (short_decimals)
        if (end - at >= 16)
            if (const char* stop = read_short_decimal(at, value)) return stop;
#endif
    const auto [stop, error] = read_double(at, end, value);
    return error == std::errc{} ? stop : nullptr;
}

// Reads `rows` records of `fields` fields from [at, end): field f of record r by
// `reader.template read_field<short_decimals>(r, f, at)`, which returns where the field ends, or
// nullptr when it is not plain. True when every field ends at the delimiter, the last of a
// record at "\n", "\r\n" or the text's end, and the records fill the text.
template <bool short_decimals, class Reader>
[[gnu::always_inline]] inline bool read_records(const Reader& reader, const char* at, const char* end, char delimiter,
                                                std::size_t rows, std::size_t fields) {
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t f = 0; f < fields; ++f) {
            const char* field_end = reader.template read_field<short_decimals>(r, f, at);
            if (field_end == nullptr) return false;
            if (f + 1 < fields) {
                if (field_end == end || *field_end != delimiter) return false;
            } else {
                if (field_end != end && *field_end == '\r' && field_end + 1 != end && field_end[1] == '\n') ++field_end;
                if (field_end != end && *field_end != '\n') return false;
            }
            at = field_end == end ? end : field_end + 1;
        }
    return at == end;
}

#if defined(DENSE_SHORT_DECIMAL_SSSE3)
template <class Reader>
__attribute__((target("ssse3"))) bool read_records_with_short_decimals(const Reader& reader, const char* at, const char* end,
                                                                      char delimiter, std::size_t rows, std::size_t fields) {
    return read_records<true>(reader, at, end, delimiter, rows, fields);
}
#endif

// read_records, with read_short_decimal on CPUs that run it.
template <class Reader>
bool read_plain_records(const Reader& reader, const char* at, const char* end, char delimiter, std::size_t rows,
                        std::size_t fields) {
#if defined(DENSE_SHORT_DECIMAL_SSSE3)
    if (cpu_reads_short_decimals()) return read_records_with_short_decimals(reader, at, end, delimiter, rows, fields);
#endif
    return read_records<false>(reader, at, end, delimiter, rows, fields);
}

// A text without quotes (where every '\n' ends a record) cut after a '\n' near even offsets
// into `parts` runs of whole records: run k is text[cuts[k], cuts[k + 1]) and holds the records
// first_row[k] to first_row[k + 1] − 1 (a last record without '\n' counts).
struct RecordParts {
    std::vector<std::size_t> cuts, first_row;

    RecordParts(std::string_view text, std::size_t parts) : cuts(parts + 1, text.size()), first_row(parts + 1, 0) {
        cuts[0] = 0;
        for (std::size_t k = 1; k < parts; ++k) {
            const std::size_t newline = text.find('\n', std::max(cuts[k - 1], kernels::split_evenly(text.size(), parts, k).begin));
            cuts[k] = newline == std::string_view::npos ? text.size() : newline + 1;
        }
        for (std::size_t k = 0; k < parts; ++k) {
            const auto part = text.substr(cuts[k], cuts[k + 1] - cuts[k]);
            first_row[k + 1] = first_row[k] + count_char(part, '\n') + (!part.empty() && part.back() != '\n' ? 1 : 0);
        }
    }
    std::size_t count() const noexcept { return cuts.size() - 1; }
    std::size_t rows(std::size_t k) const noexcept { return first_row[k + 1] - first_row[k]; }
};

}  // namespace dense::io
