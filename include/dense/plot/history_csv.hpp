#pragma once
// read_history_csv: the file CSVLogger writes — a header "epoch,<key>,<key>..." and one row of
// numbers per epoch — back into a History. "nan", "inf" and empty cells are read as NaN / ±inf.
#include <filesystem>

#include "dense/history.hpp"

namespace dense::plot {

// DataError naming file, line and column for a missing epoch column, a row of the wrong width or
// a cell that is not a number.
History read_history_csv(const std::filesystem::path& path);

}  // namespace dense::plot
