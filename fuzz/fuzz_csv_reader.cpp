// Fuzzes the CSV reader and the numeric column parser: any input must either parse or throw
// dense::Error; a crash, a leak, a sanitizer report or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dense/error.hpp"
#include "dense/io/csv.hpp"
#include "dense/io/numeric_column.hpp"

namespace {

// The first byte picks the delimiter option (detect, ',', ';' or tab); the rest is the file.
dense::io::CsvOptions options_from(std::uint8_t selector) {
    constexpr char delimiters[] = {0, ',', ';', '\t'};
    return {delimiters[selector % 4]};
}

void read_every_column(const dense::io::CsvTable& table) {
    for (const auto& column : table.columns) {
        (void)dense::io::is_numeric(column);
        for (auto fill : {dense::io::FillPolicy::none, dense::io::FillPolicy::mean, dense::io::FillPolicy::median}) {
            try {
                (void)dense::io::numeric_column(table, column.name(), fill);
            } catch (const dense::Error&) {
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        read_every_column(dense::io::parse_csv(text, "fuzz.csv", options_from(data[0])));
    } catch (const dense::Error&) {
    }
    return 0;
}
