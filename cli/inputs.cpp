// Shared input and output of the commands.
#include "inputs.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <cmath>
#include <limits>
#include <set>

#include "dense/error.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/printable.hpp"

namespace dense::cli {

io::CsvTable read_table(const std::string& path) {
    if (path == "-") return io::read_csv(std::cin, "<stdin>");
    return io::read_csv(path);
}

io::CsvTable read_headerless_table(const std::string& path, const std::vector<std::string>& names) {
    io::CsvBlockOptions options;
    options.names = names;
    options.block_bytes = std::numeric_limits<std::size_t>::max() / 4;  // the whole file in one block
    io::CsvBlockReader reader(path, std::move(options));
    const auto block = reader.next();
    if (!block) throw DataError(reader.header().source + ": the file is empty; add rows of values");
    return block->table();
}

std::vector<std::string> input_columns(const io::ModelFile& file) {
    std::vector<std::string> names;
    if (file.extras.preprocessing)
        for (const auto& feature : file.extras.preprocessing->features) names.push_back(feature.name);
    else
        for (std::size_t i = 1; i <= file.model.input_dim(); ++i) names.push_back(std::string(1, 'x').append(std::to_string(i)));
    return names;
}

void check_header_holds_names(const io::ModelFile& file, const io::CsvTable& table) {
    const auto inputs = input_columns(file);
    const std::set<std::string_view> known(inputs.begin(), inputs.end());
    std::size_t numbers = 0, known_names = 0;
    std::vector<std::string> first_line;
    for (const auto& column : table.columns) {
        numbers += io::is_number(column.name()) ? 1 : 0;
        known_names += known.contains(column.name()) ? 1 : 0;
        first_line.push_back(column.name());
    }
    const bool data = file.extras.preprocessing ? known_names == 0 && numbers > 0 : numbers == table.columns.size();
    if (!data) return;
    throw DataError(table.source + ": the first line (" + quoted_list(first_line, 100) +
                    ") holds values where the header with the column names should be, so the file seems to have "
                    "no header; pass --no-header to read its columns as the model's inputs in order (" +
                    quoted_list(inputs) + "), or add a header line");
}

void check_first_row_is_not_a_header(const io::ModelFile& file, const io::CsvTable& table) {
    const auto inputs = input_columns(file);
    if (!file.extras.preprocessing || table.rows() == 0 || table.columns.size() < inputs.size()) return;
    std::set<std::string_view> first_row;  // the names in any order
    for (std::size_t c = 0; c < inputs.size(); ++c) first_row.insert(io::trim_spaces(table.columns[c].cell(0)));
    if (first_row != std::set<std::string_view>(inputs.begin(), inputs.end())) return;
    throw DataError(table.where(table.columns.front(), 0) + ": the first line holds the model's column names (" +
                    quoted_list(inputs) + "), a header, which --no-header would read as values; leave out --no-header");
}

Matrix<float> model_inputs(const io::ModelFile& file, const io::CsvTable& table, io::FillPolicy fill) {
    check_header_holds_names(file, table);
    if (file.extras.preprocessing) return io::encode_features<float>(*file.extras.preprocessing, table);
    const std::size_t inputs = file.model.input_dim();
    if (table.columns.size() != inputs)
        throw DataError(table.source + " has " + std::to_string(table.columns.size()) + " columns but the model takes " +
                        std::to_string(inputs) +
                        " inputs (it was saved without preprocessing, so every column is an input); leave the others "
                        "out of the file, or name them with --keep (predict) or --target (evaluate)");
    if (table.rows() == 0) throw DataError(table.source + ": the file has a header but no data rows; add rows");
    Matrix<float> x(table.rows(), inputs);
    for (std::size_t c = 0; c < inputs; ++c) {
        const auto values = io::numeric_column(table, table.columns[c].name(), fill);
        for (std::size_t r = 0; r < values.size(); ++r) {
            x(r, c) = static_cast<float>(values[r]);
            if (!std::isfinite(x(r, c)))
                throw DataError(table.where(table.columns[c], r) + ": column " + in_quotes(table.columns[c].name()) + " has " +
                                in_quotes(table.columns[c].cell(r)) +
                                ", beyond the range of the 32-bit floats the model computes with; rescale the column");
        }
    }
    return x;
}

void require_finite_outputs(const Matrix<float>& outputs, std::string_view source, std::size_t first_row) {
    const auto values = outputs.values();
    const auto bad = std::ranges::find_if(values, [](float v) { return !std::isfinite(v); });
    if (bad == values.end()) return;
    const std::size_t row = first_row + std::size_t(bad - values.begin()) / outputs.cols() + 1;
    throw DataError(std::string(source) + ", data row " + std::to_string(row) + ": the model's output is " +
                    (std::isnan(*bad) ? "NaN" : "infinite") +
                    ": the row's values lie so far outside the rows the model was trained on that the network "
                    "overflows its 32-bit floats; check the row's values and their units");
}

void require_finite_predictions(const io::ModelFile& file, Matrix<float> outputs, std::string_view source) {
    if (file.extras.preprocessing) io::to_target_units(*file.extras.preprocessing, outputs);
    require_finite_outputs(outputs, source);
}

std::vector<std::string> output_names(const io::ModelFile& file) {
    if (file.extras.preprocessing) return io::prediction_header(*file.extras.preprocessing);
    std::vector<std::string> names;
    for (std::size_t i = 1; i <= file.model.output_dim(); ++i) names.push_back(std::string(1, 'y').append(std::to_string(i)));
    return names;
}

void set_fill(io::Preprocessing& preprocessing, std::string_view policy) {
    const auto fill = io::fill_policy_from_name(policy);
    for (auto& feature : preprocessing.features) {
        if (feature.categorical()) {
            feature.fill_category = fill == io::FillPolicy::none ? std::nullopt : feature.most_frequent;
            continue;
        }
        if (fill == io::FillPolicy::median && !feature.median)
            throw DataError("--fill median: the model file does not hold the training median of " + in_quotes(feature.name) +
                            " (it was written before dense kept medians); use --fill mean or zero");
        switch (fill) {
            case io::FillPolicy::none: feature.fill.reset(); break;
            case io::FillPolicy::mean: feature.fill = feature.mean; break;
            case io::FillPolicy::median: feature.fill = feature.median; break;
            case io::FillPolicy::zero: feature.fill = 0.0; break;
        }
    }
}

void append_csv_cell(std::string& line, std::string_view cell, char delimiter) {
    const char special[] = {delimiter, '"', '\r', '\n', '\0'};
    if (cell.find_first_of(special) == std::string_view::npos) {
        line.append(cell);
        return;
    }
    line += '"';
    for (const char c : cell) line.append(c == '"' ? 2 : 1, c);
    line += '"';
}

std::string csv_line(const std::vector<std::string>& cells, char delimiter) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) line += delimiter;
        append_csv_cell(line, cells[i], delimiter);
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

std::string standardised_targets_note(const io::Preprocessing& preprocessing) {
    if (preprocessing.task != io::Task::regression || preprocessing.target_scaling.empty()) return {};
    // A long name would run the plot's titles past their panels.
    constexpr std::size_t longest_name = 24;
    if (preprocessing.targets.size() == 1 && preprocessing.targets.front().size() <= longest_name)
        return "of " + in_quotes(preprocessing.targets.front()) + " standardised";
    if (preprocessing.targets.size() == 1) return "of the target standardised";
    return "of the targets standardised";
}

int progress_verbosity(bool quiet) {
    if (quiet) return 0;
    return ::isatty(::fileno(stdout)) ? 1 : 2;
}

}  // namespace dense::cli
