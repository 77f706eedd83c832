// Learning fit_preprocessing's statistics in passes over a file's chunks: what a table read whole
// would show of each column, gathered a chunk at a time (see stream_preprocessing.hpp).
#include "dense/io/stream_preprocessing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "dense/error.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/printable.hpp"
#include "dense/random.hpp"

#include "statistics.hpp"

namespace dense::io {
namespace {

// A cell kept to name in a message: its file, the line it starts on and its text.
struct Witness {
    std::string source;
    std::size_t line = 0;
    std::string text;
};

// Where a cell is being read.
struct CellPlace {
    const std::string& source;
    std::size_t line;
};

void keep_first(std::optional<Witness>& witness, const CellPlace& place, std::string_view text) {
    if (!witness) witness = Witness{place.source, place.line, std::string(text)};
}

// The earlier of two cells (of the same column, so in the same file when on the same line).
const std::optional<Witness>& earlier(const std::optional<Witness>& a, const std::optional<Witness>& b,
                                      const CsvIndex& index) {
    if (!a) return b;
    if (!b) return a;
    const auto file_of = [&](const Witness& w) {
        std::size_t file = 0;
        while (index.files[file].header->source != w.source) ++file;
        return file;
    };
    const std::size_t file_a = file_of(*a), file_b = file_of(*b);
    return file_b < file_a || (file_b == file_a && b->line < a->line) ? b : a;
}

// The training numbers of a column, for its mean, deviation and median. The sum Σx is kept as
// the values come, in file order: Σ x·2^−e (what standardisation sums) is Σx·2^−e to the bit as
// long as no term or partial sum is subnormal in either scale, which `smallest` tells.
struct TrainingNumbers {
    std::size_t present = 0;  // numbers
    std::size_t missing = 0;
    double running_mean = 0;  // numeric_column's mean, for --fill mean
    double largest = 0;       // max |x|
    double sum = 0;
    double smallest = std::numeric_limits<double>::infinity();  // min nonzero |x| or |partial sum|
    std::vector<double> sample;  // every number, or a reservoir sample once there are more than fit
    Rng rng;

    void add(double x, std::size_t sample_limit) {
        ++present;
        statistics::add_to_running_mean(running_mean, present, x);
        largest = std::max(largest, std::abs(x));
        sum += x;
        if (x != 0.0) smallest = std::min(smallest, std::abs(x));
        if (sum != 0.0) smallest = std::min(smallest, std::abs(sum));
        if (sample.size() < sample_limit) {
            sample.push_back(x);
        } else if (const auto slot = rng.below(present); slot < sample_limit) {  // reservoir sampling
            sample[slot] = x;
        }
    }
    // True when ldexp(sum, −e) is the scaled sum: every term and partial sum a normal double in
    // both scales, |v| ≥ 2^−1021 and |v·2^−e| ≥ 2^−1021.
    bool sum_scales_exactly(int exponent) const {
        return std::isfinite(sum) && (present == 0 || smallest >= std::ldexp(1.0, std::max(exponent, 0) - 1021));
    }
};

// What the file shows of one column: every cell for the kind and the categories, the training
// rows for the numbers.
struct ColumnSummary {
    std::size_t numbers = 0;  // cells that are numbers, or numbers beyond a double's range
    std::size_t with_a_comma = 0;  // text cells that are numbers written with a comma ("-1,5")
    std::size_t question_marks = 0;  // "?" cells: missing values, in UCI's data sets
    bool text = false;        // a text or NaN/Inf cell: the column is text
    bool not_finite_word = false;
    bool all_integers = true;
    std::optional<Witness> first_missing, first_not_number, first_out_of_range, first_bad_utf8, first_with_a_comma;
    // Each distinct cell, trimmed, missing cells apart, with its count in the training rows (0:
    // validation rows alone).
    std::map<std::string, std::size_t, std::less<>> distinct;
    bool too_many_distinct = false;
    TrainingNumbers training;

    void add(std::string_view cell, const CellPlace& place, bool training_row, std::size_t sample_limit);
    void add_distinct(std::string_view cell, bool training_row);
    std::vector<std::string> distinct_labels() const;
};

void ColumnSummary::add(std::string_view cell, const CellPlace& place, bool training_row, std::size_t sample_limit) {
    const ParsedCell parsed = parse_cell(cell);
    switch (parsed.kind) {
        case CellKind::number:
            ++numbers;
            all_integers = all_integers && parsed.value == std::floor(parsed.value);
            if (training_row) training.add(parsed.value, sample_limit);
            break;
        case CellKind::missing:
            keep_first(first_missing, place, cell);
            training.missing += training_row ? 1 : 0;
            return;
        case CellKind::out_of_range:
            ++numbers;
            keep_first(first_out_of_range, place, cell);
            keep_first(first_not_number, place, cell);
            break;
        case CellKind::text:
        case CellKind::not_finite:
            text = true;
            // Every "nan", "-inf", "Infinity" parses as not finite: only those cells need the test.
            not_finite_word = not_finite_word || (parsed.kind == CellKind::not_finite && statistics::is_not_finite_word(cell));
            keep_first(first_not_number, place, cell);
            question_marks += is_question_mark(cell) ? 1 : 0;
            if (is_number_with_a_comma(cell)) {
                ++with_a_comma;
                keep_first(first_with_a_comma, place, cell);
            }
            try {
                if (!first_bad_utf8) check_utf8(cell, "");
            } catch (const DataError&) {
                keep_first(first_bad_utf8, place, cell);
            }
            break;
    }
    add_distinct(cell, training_row);
}

void ColumnSummary::add_distinct(std::string_view cell, bool training_row) {
    if (too_many_distinct) return;
    const std::string_view label = trim_spaces(cell);
    auto counted = distinct.find(label);
    if (counted == distinct.end()) {
        counted = distinct.emplace(std::string(label), 0).first;
        if (distinct.size() > max_streamed_categories()) {
            too_many_distinct = true;
            distinct.clear();
            return;
        }
    }
    if (training_row) ++counted->second;
}

std::vector<std::string> ColumnSummary::distinct_labels() const {
    std::vector<std::string> labels;
    for (const auto& [label, training_count] : distinct) labels.push_back(label);
    return labels;
}

// The whole file's summaries and what messages need of it.
struct FileSummary {
    const CsvIndex& index;
    const CsvTable& header;
    std::string name_of_data;  // the file, or the first of the shards and how many more
    std::vector<ColumnSummary> columns;
    std::size_t rows = 0, training_rows = 0;

    std::string where(std::size_t column, const Witness& cell) const {
        return cell.source + ":" + std::to_string(cell.line) + ":" + std::to_string(header.columns[column].number());
    }
    // numeric_column's error for the cell, from a table of that cell alone: the message of the
    // file read whole.
    [[noreturn]] void throw_number_error(std::size_t column, const Witness& cell, FillPolicy fill) const {
        CsvColumn only(header.columns[column].name(), header.columns[column].number());
        only.append(cell.text, cell.line);
        const CsvTable table{.source = cell.source, .delimiter = header.delimiter, .columns = {std::move(only)}};
        numeric_column(table, table.columns.front().name(), fill);
        throw DataError(where(column, cell) + ": this cell is not a number");  // numeric_column threw already
    }
    // A text column that is really numbers, some written with a comma (the first of those) or
    // with typos or '?' (the first cell that is not a number).
    void reject_numbers_with_typos(std::size_t column) const {
        const ColumnSummary& c = columns[column];
        if (c.first_with_a_comma && (c.numbers + c.with_a_comma) * 2 > rows)
            throw DataError(number_with_a_comma_message(where(column, *c.first_with_a_comma), name(column),
                                                        c.first_with_a_comma->text));
        if ((c.not_finite_word || (c.numbers > 0 && (c.numbers + c.question_marks) * 2 > rows)) && c.first_not_number)
            throw_number_error(column, *c.first_not_number, FillPolicy::zero);
    }
    const std::string& name(std::size_t column) const { return header.columns[column].name(); }
    const std::optional<Witness>& earlier(const std::optional<Witness>& a, const std::optional<Witness>& b) const {
        return io::earlier(a, b, index);
    }
};

// A target as summarize_target checks it: no missing label, valid UTF-8, not constant.
void check_target(const FileSummary& file, std::size_t column) {
    const ColumnSummary& c = file.columns[column];
    if (const auto& first = file.earlier(c.first_missing, c.first_bad_utf8)) {
        if (&first == &c.first_missing)
            throw DataError(file.where(column, *first) + ": the target column " + in_quotes(file.name(column)) +
                            " has a missing value; targets are never filled, so fill the cell or drop the row");
        check_utf8(first->text, file.where(column, *first) + ": the label in the target column " + in_quotes(file.name(column)));
    }
    if (c.text) file.reject_numbers_with_typos(column);
    if (!c.too_many_distinct && statistics::class_labels(c.distinct_labels(), !c.text).size() < 2)
        throw DataError(file.name_of_data + ": the target column " + in_quotes(file.name(column)) + " is constant (" +
                        in_quotes(c.distinct.begin()->first) + " in every row), so there is nothing to learn; pick another target");
}

// The parts of a numeric column's standardisation that the later passes fill in.
struct PendingScale {
    std::size_t column;
    std::optional<double> fill;  // for missing cells
    int exponent = 0;
    bool needs_sum = false;  // Σ x·2^−e needs a pass of its own
    double scaled_sum = 0, squares = 0;
    double count = 0;
    double* mean = nullptr;  // where the results go, in the preprocessing
    double* stddev = nullptr;
};

PendingScale pending_scale(const FileSummary& file, std::size_t column, std::optional<double> fill) {
    const TrainingNumbers& numbers = file.columns[column].training;
    PendingScale scale{.column = column, .fill = fill};
    scale.exponent = statistics::scale_exponent(std::max(numbers.largest, fill ? std::abs(*fill) : 0.0));
    scale.count = double(numbers.present + numbers.missing);
    const bool fills_change_sum = numbers.missing > 0 && fill && *fill != 0.0;
    scale.needs_sum = fills_change_sum || !numbers.sum_scales_exactly(scale.exponent);
    scale.scaled_sum = std::ldexp(numbers.sum, -scale.exponent);
    return scale;
}

// The fill value of a numeric column's missing cells, as numeric_column computes it.
std::optional<double> fill_value(const FileSummary& file, std::size_t column, FillPolicy fill) {
    const TrainingNumbers& numbers = file.columns[column].training;
    if (fill == FillPolicy::none) return std::nullopt;
    if (fill == FillPolicy::zero) return 0.0;
    if (numbers.present == 0)
        throw DataError(file.name_of_data + ": column '" + file.name(column) +
                        "' has no numbers to compute a fill value from; leave it out with --drop " + file.name(column) +
                        " or fill it with zero");
    return fill == FillPolicy::mean ? numbers.running_mean : statistics::fill_median(numbers.sample);
}

FeatureColumn fit_numeric(const FileSummary& file, std::size_t column, FillPolicy fill) {
    const ColumnSummary& c = file.columns[column];
    const auto& bad = fill == FillPolicy::none ? file.earlier(c.first_missing, c.first_out_of_range) : c.first_out_of_range;
    if (bad) file.throw_number_error(column, *bad, fill == FillPolicy::none ? FillPolicy::none : FillPolicy::zero);
    FeatureColumn feature;
    feature.name = file.name(column);
    feature.fill = fill_value(file, column, fill);
    if (fill == FillPolicy::median)
        feature.median = feature.fill;
    else if (c.training.present > 0)
        feature.median = statistics::recorded_median(c.training.sample);
    return feature;
}

FeatureColumn fit_text(const FileSummary& file, std::size_t column, FillPolicy fill) {
    const ColumnSummary& c = file.columns[column];
    file.reject_numbers_with_typos(column);
    if (c.distinct.empty() && !c.too_many_distinct)  // distinct leaves missing cells out
        throw DataError(statistics::empty_column_message(file.name_of_data, file.name(column)));
    const auto& missing = fill == FillPolicy::none ? c.first_missing : std::optional<Witness>{};
    if (const auto& first = file.earlier(missing, c.first_bad_utf8)) {
        if (&first == &missing) throw DataError(statistics::text_missing_message(file.where(column, *first), file.name(column)));
        check_utf8(first->text, file.where(column, *first) + ": the category in column " + in_quotes(file.name(column)));
    }
    if (c.too_many_distinct || statistics::too_many_categories(c.distinct.size(), file.rows))
        throw DataError(file.name_of_data + ": column " + in_quotes(file.name(column)) + " has " +
                        (c.too_many_distinct ? "more than " + std::to_string(max_streamed_categories()) : std::to_string(c.distinct.size())) +
                        " distinct values in " + std::to_string(file.rows) +
                        " rows, too many to one-hot encode (an identifier or a date?); leave it out with --drop " + file.name(column));
    FeatureColumn feature;
    feature.name = file.name(column);
    feature.categories = c.distinct_labels();
    feature.most_frequent = statistics::most_frequent(c.distinct);
    if (fill != FillPolicy::none) feature.fill_category = feature.most_frequent;
    return feature;
}

bool is_numeric(const ColumnSummary& c) { return !c.text && c.numbers > 0; }

// fit_targets on the summaries: the task, the classes or the regression targets' scales.
void fit_targets(const FileSummary& file, const PreprocessingOptions& options, const std::vector<std::size_t>& targets,
                 Preprocessing& result, std::vector<PendingScale>& scales) {
    for (std::size_t t : targets) check_target(file, t);
    const ColumnSummary& first = file.columns[targets.front()];
    const bool single = targets.size() == 1;
    auto labels = statistics::class_labels(first.distinct_labels(), !first.text);
    const bool classes = single && !first.too_many_distinct &&
                         statistics::holds_classes(first.text, first.all_integers, labels.size(), file.rows);
    result.task = options.task.value_or(classes ? Task::classification : Task::regression);
    result.targets = options.targets;
    if (result.task == Task::classification) {
        if (!single)
            throw UsageError("classification takes one target column, but --target names " + std::to_string(targets.size()) +
                             "; train one model per target");
        if (first.too_many_distinct)
            throw DataError(file.name_of_data + ": the target column " + in_quotes(options.targets.front()) + " has more than " +
                            std::to_string(max_streamed_categories()) + " distinct labels, too many classes; use --task regression");
        result.classes = std::move(labels);
        return;
    }
    for (std::size_t t : targets) {
        const ColumnSummary& c = file.columns[t];
        if (c.text && !c.too_many_distinct)  // check_target refused numbers with typos: a column of labels
            throw DataError(statistics::text_target_message(file.name_of_data, file.name(t), c.distinct_labels(), !single));
        if (const auto& bad = file.earlier(c.first_not_number, c.first_missing)) file.throw_number_error(t, *bad, FillPolicy::none);
        if (options.scale_targets) {
            result.target_scaling.push_back({});
            scales.push_back(pending_scale(file, t, std::nullopt));
        }
    }
}

// Where each pending column's numbers go when a chunk is plain numbers: column scales[k].column
// to value k, read as numeric_column reads it (mean 0, std 1); nothing when two share a column.
std::optional<std::vector<NumericInput>> plain_fields(const CsvTable& header, const std::vector<PendingScale>& scales) {
    std::vector<NumericInput> fields(header.columns.size());
    for (std::size_t k = 0; k < scales.size(); ++k) {
        if (fields[scales[k].column].input != NumericInput::unused) return std::nullopt;
        fields[scales[k].column].input = k;
    }
    return fields;
}

// One more pass over the training rows of the pending columns: `add` sees each value, x·2^−e,
// column by column, in row order. A chunk of plain numbers is read straight from its text (the
// same doubles as its cells); any other through its cells, its missing cells given the fill.
template <class Add>
void scaled_pass(CsvChunkReader& reader, const RowSplit& split, std::vector<PendingScale>& scales, Add add) {
    const auto fields = plain_fields(reader.index().header(), scales);
    for (const auto& chunk : reader.index().chunks) {
        const CsvBlock& block = reader.read_text(chunk);
        const auto numbers = fields ? plain_doubles(block, *fields, scales.size()) : std::nullopt;
        if (numbers && numbers->rows() == chunk.rows) {
            for (std::size_t k = 0; k < scales.size(); ++k)
                for (std::size_t r = 0; r < chunk.rows; ++r)
                    if (!split.validates(chunk.first_row + r)) add(scales[k], std::ldexp((*numbers)(r, k), -scales[k].exponent));
            continue;
        }
        const CsvTable records = reader.parse_text(chunk);
        for (auto& scale : scales) {
            const CsvColumn& column = records.columns[scale.column];
            for (std::size_t r = 0; r < records.rows(); ++r) {
                if (split.validates(chunk.first_row + r)) continue;
                const ParsedCell parsed = parse_cell(column.cell(r));
                add(scale, std::ldexp(parsed.kind == CellKind::number ? parsed.value : scale.fill.value_or(0.0), -scale.exponent));
            }
        }
    }
}

// The means and deviations: mean = Σx/n, std = √(Σ(x − mean)²/n), the sums over x·2^−e.
void finish_scales(CsvChunkReader& reader, const RowSplit& split, std::vector<PendingScale>& scales) {
    std::vector<PendingScale> need_sum;
    for (const auto& scale : scales)
        if (scale.needs_sum) need_sum.push_back({scale.column, scale.fill, scale.exponent});
    if (!need_sum.empty()) {
        scaled_pass(reader, split, need_sum, [](PendingScale& s, double x) { s.scaled_sum += x; });
        for (auto& scale : scales)
            for (const auto& summed : need_sum)
                if (summed.column == scale.column) scale.scaled_sum = summed.scaled_sum;
    }
    for (auto& scale : scales) scale.scaled_sum /= scale.count;  // now the scaled mean
    scaled_pass(reader, split, scales, [](PendingScale& s, double x) { s.squares += (x - s.scaled_sum) * (x - s.scaled_sum); });
    for (auto& scale : scales) {
        *scale.mean = std::ldexp(scale.scaled_sum, scale.exponent);
        *scale.stddev = statistics::stddev_of(scale.squares, scale.count, scale.exponent);
    }
}

void check_split(const FileSummary& file, const RowSplit& split) {
    if (file.rows == 0) throw DataError(file.name_of_data + ": the file has a header but no data rows; add at least one row of values");
    if (file.training_rows == 0)
        throw DataError(file.name_of_data + ": the validation split drew all " + std::to_string(file.rows) +
                        " rows, leaving none to train on; lower --validation-split");
    if (split.validation_split > 0.0 && file.training_rows == file.rows)
        throw DataError(file.name_of_data + ": the validation split drew none of the " + std::to_string(file.rows) +
                        " rows; raise --validation-split or give more rows");
}

}  // namespace

StreamedPreprocessing fit_streamed_preprocessing(const std::string& path, const PreprocessingOptions& options,
                                                 const RowSplit& split, const CsvIndexOptions& index_options) {
    return fit_streamed_preprocessing(std::vector<std::string>{path}, options, split, index_options);
}

StreamedPreprocessing fit_streamed_preprocessing(const std::vector<std::string>& paths, const PreprocessingOptions& options,
                                                 const RowSplit& split, const CsvIndexOptions& index_options) {
    if (options.targets.empty()) throw UsageError("no target column given; name one with --target COLUMN");
    std::vector<ColumnSummary> columns;
    std::size_t training_rows = 0, sample_limit = 0;
    std::vector<char> training;  // per row of the chunk
    CsvIndex index = index_csv(paths, index_options, [&](const CsvTable& records, std::size_t first_row) {
        if (columns.empty()) {
            columns.resize(records.columns.size());
            sample_limit = std::max<std::size_t>(1024, sample_values() / records.columns.size());
            for (std::size_t c = 0; c < columns.size(); ++c) columns[c].training.rng = Rng(split.seed + c);
        }
        training.resize(records.rows());
        for (std::size_t r = 0; r < records.rows(); ++r) training[r] = split.validates(first_row + r) ? 0 : 1;
        training_rows += static_cast<std::size_t>(std::count(training.begin(), training.end(), 1));
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const CsvColumn& column = records.columns[c];
            for (std::size_t r = 0; r < records.rows(); ++r)
                columns[c].add(column.cell(r), {records.source, column.line(r)}, training[r] != 0, sample_limit);
        }
    });
    const FileSummary file{index, index.header(), index.name(), std::move(columns), index.rows, training_rows};
    check_split(file, split);
    check_dropped_columns(file.header, options);
    std::vector<std::size_t> targets;
    for (const auto& name : options.targets) targets.push_back(file.header.column_index(name));
    Preprocessing result;
    std::vector<PendingScale> scales;
    fit_targets(file, options, targets, result, scales);
    result.dropped_columns = options.dropped_columns;
    const auto& dropped = result.dropped_columns;
    for (std::size_t c = 0; c < file.columns.size(); ++c) {
        if (std::ranges::find(targets, c) != targets.end() || std::ranges::find(dropped, file.name(c)) != dropped.end()) continue;
        if (!is_numeric(file.columns[c])) {
            result.features.push_back(fit_text(file, c, options.fill));
            continue;
        }
        result.features.push_back(fit_numeric(file, c, options.fill));
        scales.push_back(pending_scale(file, c, result.features.back().fill));
    }
    if (result.features.empty())
        throw DataError(file.name_of_data + ": every column is a target or dropped, so there is nothing to learn from; "
                                             "keep at least one feature column");
    // Pointers into result only now that its vectors are complete.
    std::size_t next_target = 0;
    for (auto& scale : scales) {
        const bool target = std::find(targets.begin(), targets.end(), scale.column) != targets.end();
        if (target) {
            scale.mean = &result.target_scaling[next_target].mean;
            scale.stddev = &result.target_scaling[next_target++].stddev;
            continue;
        }
        const auto feature = std::find_if(result.features.begin(), result.features.end(),
                                          [&](const FeatureColumn& f) { return f.name == file.name(scale.column); });
        scale.mean = &feature->mean;
        scale.stddev = &feature->stddev;
    }
    CsvChunkReader reader(index);
    if (!scales.empty()) finish_scales(reader, split, scales);
    return {std::move(index), std::move(result)};
}

}  // namespace dense::io
