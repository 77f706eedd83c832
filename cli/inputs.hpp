#pragma once
// What the commands share: reading a CSV (or stdin), loading a model file, turning a table into
// the model's inputs, and writing results to stdout or atomically to a file.
#include <string>
#include <vector>

#include "dense/io/csv.hpp"
#include "dense/io/model_file.hpp"
#include "dense/matrix.hpp"

namespace dense::cli {

// Reads a CSV file, or standard input when path is "-".
io::CsvTable read_table(const std::string& path);

// Network inputs for the rows of `table`: the model's preprocessing applied, or, for a model
// saved without one, every column read as a number in file order.
Matrix<float> model_inputs(const io::ModelFile& file, const io::CsvTable& table);

// The names of the model's outputs: its targets (or y1, y2, ... without preprocessing).
std::vector<std::string> output_names(const io::ModelFile& file);

// One CSV line, quoting cells that hold a comma, a quote or a line break (RFC 4180).
std::string csv_line(const std::vector<std::string>& cells);

// Writes to stdout when path is empty or "-", else atomically to the file.
void write_output(const std::string& path, const std::string& text);

// fit's verbose: 0 when quiet, the progress bar on a terminal, one line per epoch otherwise.
int progress_verbosity(bool quiet);

}  // namespace dense::cli
