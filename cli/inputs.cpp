// Shared input and output of the commands.
#include "inputs.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "dense/error.hpp"
#include "dense/io/numeric_column.hpp"

namespace dense::cli {

io::CsvTable read_table(const std::string& path) {
    if (path == "-") return io::read_csv(std::cin, "<stdin>");
    return io::read_csv(path);
}

Matrix<float> model_inputs(const io::ModelFile& file, const io::CsvTable& table) {
    if (file.extras.preprocessing) return io::encode_features<float>(*file.extras.preprocessing, table);
    const std::size_t inputs = file.model.input_dim();
    if (table.columns.size() != inputs)
        throw DataError(table.source + " has " + std::to_string(table.columns.size()) + " columns but the model takes " +
                        std::to_string(inputs) + " inputs (it was saved without preprocessing, so every column is an input)");
    if (table.rows() == 0) throw DataError(table.source + ": the file has a header but no data rows; add rows");
    Matrix<float> x(table.rows(), inputs);
    for (std::size_t c = 0; c < inputs; ++c) {
        const auto values = io::numeric_column(table, table.columns[c].name());
        for (std::size_t r = 0; r < values.size(); ++r) x(r, c) = static_cast<float>(values[r]);
    }
    return x;
}

std::vector<std::string> output_names(const io::ModelFile& file) {
    if (file.extras.preprocessing) return io::prediction_header(*file.extras.preprocessing);
    std::vector<std::string> names;
    for (std::size_t i = 1; i <= file.model.output_dim(); ++i) names.push_back(std::string(1, 'y').append(std::to_string(i)));
    return names;
}

std::string csv_line(const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) line += ',';
        const auto& cell = cells[i];
        if (cell.find_first_of(",\"\r\n") == std::string::npos) {
            line += cell;
            continue;
        }
        line += '"';
        for (char c : cell) line += c == '"' ? std::string("\"\"") : std::string(1, c);
        line += '"';
    }
    return line + '\n';
}

void write_output(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::cout << text << std::flush;
        return;
    }
    io::write_file_atomically(path, std::as_bytes(std::span(text.data(), text.size())));
}

int progress_verbosity(bool quiet) {
    if (quiet) return 0;
    return ::isatty(::fileno(stdout)) ? 1 : 2;
}

}  // namespace dense::cli
