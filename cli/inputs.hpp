#pragma once
// What the commands share: reading a CSV (or stdin), loading a model file, turning a table into
// the model's inputs, and writing results to stdout or atomically to a file.
#include <string>
#include <string_view>
#include <vector>

#include "dense/io/csv.hpp"
#include "dense/io/model_file.hpp"
#include "dense/matrix.hpp"

namespace dense::cli {

// Reads a CSV file, or standard input when path is "-".
io::CsvTable read_table(const std::string& path);

// The columns the model reads, in order: its features, or x1, x2, ... for a model saved
// without preprocessing (which takes every column of the file).
std::vector<std::string> input_columns(const io::ModelFile& file);

// Reads a CSV file without a header line (or standard input for "-"): its columns get `names`,
// in order. The delimiter is the one that splits the first line into that many fields.
io::CsvTable read_headerless_table(const std::string& path, const std::vector<std::string>& names);

// Throws DataError when the first line holds data, not names: a file without a header, whose
// first row would be lost. For a model with named inputs: no name is one of them and one is a
// number; for one without, every name is a number.
void check_header_holds_names(const io::ModelFile& file, const io::CsvTable& table);

// The other way round, under --no-header: a first row that is the model's input names (in any
// order) is a header, which would be read as values.
void check_first_row_is_not_a_header(const io::ModelFile& file, const io::CsvTable& table);

// Network inputs for the rows of `table`: the model's preprocessing applied, or, for a model
// saved without one, every column read as a number in file order (missing numbers filled by
// `fill` from the column). A first line of numbers where the column names should be (a file
// without a header) is an error that says so, instead of a row silently lost.
Matrix<float> model_inputs(const io::ModelFile& file, const io::CsvTable& table, io::FillPolicy fill = io::FillPolicy::none);

// Throws DataError naming the first row whose prediction is NaN or infinite (data row
// first_row + r + 1 of `source` for row r of `outputs`): values far outside the training rows
// carry the network beyond its 32-bit floats, and a prediction of "inf" is not an answer.
void require_finite_outputs(const Matrix<float>& outputs, std::string_view source, std::size_t first_row = 0);
// The same for network outputs, taken to the targets' units first (y'·std + mean overflows too).
void require_finite_predictions(const io::ModelFile& file, Matrix<float> outputs, std::string_view source);

// What fills a missing cell, as --fill names it: for a number the mean the model standardises
// with, the median of the training numbers, or zero; for text (any policy but none) the most
// frequent training category; none: a missing cell is an error.
void set_fill(io::Preprocessing& preprocessing, std::string_view policy);
// The help of the --fill option of the commands that read a model's inputs.
inline constexpr const char* fill_option_help = "Missing cells: mean or median (of the training data) or zero for numbers, "
                                                "the most frequent training category for text; none (an error); "
                                                "default: what the model was trained with";
// The help of the --fill option of the commands that train.
inline constexpr const char* training_fill_option_help =
    "Missing cells: none (an error), or mean, median or zero for numbers, each filling text cells with the column's "
    "most frequent category (as scikit-learn's SimpleImputer \"most_frequent\"); kept in the model for predict";

// The names of the model's outputs: its targets (or y1, y2, ... without preprocessing).
std::vector<std::string> output_names(const io::ModelFile& file);

// Appends one CSV cell to `line`, quoted when it holds the delimiter, a quote or a line break
// (RFC 4180: the quotes inside doubled).
void append_csv_cell(std::string& line, std::string_view cell, char delimiter = ',');

// One CSV line, its cells as append_csv_cell writes them.
std::string csv_line(const std::vector<std::string>& cells, char delimiter = ',');

// Writes to stdout when path is empty or "-", else atomically to the file.
void write_output(const std::string& path, const std::string& text);

// A regression target is learnt standardised, (y − mean) / std: the loss and metrics of each
// epoch (progress lines, --history, --plot, the JSON history) are of those values, not in the
// target's units. "of 'price' standardised", "of the targets standardised", or "" when the
// network learns the targets as they are (classes, or a file without target scaling).
std::string standardised_targets_note(const io::Preprocessing& preprocessing);

// fit's verbose: 0 when quiet, the progress bar on a terminal, one line per epoch otherwise.
int progress_verbosity(bool quiet);

}  // namespace dense::cli
