#pragma once
// Options that name columns: --target (train, tune, evaluate), --drop (train, tune) and --keep
// (predict). Each may be repeated (-t a -t b) and each value may list names with commas
// (-t a,b); a column whose own name holds a comma is named by a value that is exactly its name.
#include <string>
#include <string_view>
#include <vector>

namespace dense::cli {

// The column names that the values of such an option stand for, in order: a value that is
// exactly one of `columns` (the file's header, or the names a model knows) names that column,
// commas and all; any other value is a comma-separated list of names, empty items skipped
// ("a,,b" is a and b, as it was before values were matched against the header), each name
// matched to the column called exactly that, else to the only one called that once the spaces
// around both are trimmed (for the header "x, y", y names " y"). Throws
// UsageError naming `option` for a value that names no column ("" or ",").
std::vector<std::string> named_columns(const std::vector<std::string>& values, const std::vector<std::string>& columns,
                                       std::string_view option);

}  // namespace dense::cli
