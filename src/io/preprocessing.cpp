// Preprocessing: standardisation, one-hot encoding and class labels, fit on training data.
#include "dense/io/preprocessing.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "dense/did_you_mean.hpp"
#include "dense/error.hpp"
#include "dense/printable.hpp"

#include "statistics.hpp"

namespace dense::io {
namespace {

// Up to this many columns, numeric_column's own look-up of a column by name costs nothing.
constexpr std::size_t few_columns = 64;

std::string trimmed(std::string_view text) { return std::string(trim_spaces(text)); }

// numeric_column of a column already found. numeric_column finds it again by name, a pass over
// the header per call, so a wide table lends it a table of this column alone.
std::vector<double> numbers_of(const CsvTable& table, const CsvColumn& column, FillPolicy fill = FillPolicy::none) {
    if (table.columns.size() <= few_columns) return numeric_column(table, column.name(), fill);
    const CsvTable alone{.source = table.source, .delimiter = table.delimiter, .columns = {column}};
    return numeric_column(alone, column.name(), fill);
}

// The columns of a table by name, found once: looking each name up in the header would make
// a table of n columns cost n² comparisons.
class ColumnIndex {
public:
    explicit ColumnIndex(const CsvTable& table) {
        by_name_.reserve(table.columns.size());
        for (const auto& column : table.columns) by_name_.emplace(column.name(), &column);
    }
    const CsvColumn* find(std::string_view name) const {
        const auto found = by_name_.find(name);
        return found == by_name_.end() ? nullptr : found->second;
    }

private:
    std::unordered_map<std::string_view, const CsvColumn*> by_name_;
};

// A cell is a number by exactly numeric_column's rules.
bool is_number(std::string_view cell) {
    CsvColumn single("", 1);
    single.append(cell, 1);
    return is_numeric(single);
}

// A text column that is really numbers: most cells are numbers (or '?', a missing value's marker
// elsewhere), some written with a comma (then the first of those is named), or one is NaN or Inf
// (then numeric_column's message names the first cell that is not a finite number).
void reject_numbers_with_typos(const CsvTable& table, const CsvColumn& column) {
    std::size_t numbers = 0, question_marks = 0, with_a_comma = 0, first_with_a_comma = 0;
    bool not_finite = false;
    for (std::size_t r = 0; r < column.size(); ++r) {
        numbers += is_number(column.cell(r)) ? 1 : 0;
        question_marks += is_question_mark(column.cell(r)) ? 1 : 0;
        if (is_number_with_a_comma(column.cell(r)) && with_a_comma++ == 0) first_with_a_comma = r;
        not_finite = not_finite || statistics::is_not_finite_word(column.cell(r));
    }
    if (with_a_comma > 0 && (numbers + with_a_comma) * 2 > column.size())
        throw DataError(number_with_a_comma_message(table.where(column, first_with_a_comma), column.name(),
                                                    column.cell(first_with_a_comma)));
    const bool mostly_numbers = numbers > 0 && (numbers + question_marks) * 2 > column.size();
    if (not_finite || mostly_numbers) numbers_of(table, column, FillPolicy::zero);
}

// The middle value of the training numbers (the mean of the two middle ones), for --fill median.
std::optional<double> median_of(const CsvColumn& column, const std::vector<double>& values) {
    std::vector<double> present;
    for (std::size_t r = 0; r < values.size(); ++r)
        if (!is_missing_cell(column, r)) present.push_back(values[r]);
    if (present.empty()) return std::nullopt;
    return statistics::recorded_median(std::move(present));
}

FeatureColumn fit_numeric(const CsvTable& table, const CsvColumn& column, FillPolicy fill, std::size_t rows) {
    if (fill == FillPolicy::none) numbers_of(table, column);  // reports the first missing cell
    FeatureColumn feature;
    feature.name = column.name();
    auto [values, filler] = filled_numbers(table, column, rows, fill == FillPolicy::none ? FillPolicy::zero : fill);
    if (fill != FillPolicy::none) feature.fill = filler;
    feature.median = fill == FillPolicy::median ? feature.fill : median_of(column, values);
    const auto [mean, stddev] = statistics::standardisation(values);
    feature.mean = mean;
    feature.stddev = stddev;
    return feature;
}

// Whether every cell of the column is missing (empty or a missing-value marker).
bool without_any_value(const CsvColumn& column) {
    for (std::size_t r = 0; r < column.size(); ++r)
        if (!is_missing_cell(column, r)) return false;
    return true;
}

// A text column becomes one-hot categories, unless it holds no value at all, is numbers with
// typos or looks like an identifier (many distinct values), which cannot generalise. Its most
// frequent category in the first `rows` rows (the training rows) fills its missing cells when
// `fill` is not none.
FeatureColumn fit_text(const CsvTable& table, const CsvColumn& column, FillPolicy fill, std::size_t rows) {
    reject_numbers_with_typos(table, column);
    if (without_any_value(column))
        throw DataError(statistics::empty_column_message(table.source, column.name()));
    // Every category of the column, with its count in the training rows (0: validation rows alone).
    std::map<std::string, std::size_t, std::less<>> counts;
    for (std::size_t r = 0; r < column.size(); ++r) {
        if (is_missing(column.cell(r))) {
            if (fill == FillPolicy::none) throw DataError(statistics::text_missing_message(table.where(column, r), column.name()));
            continue;
        }
        check_utf8(column.cell(r), table.where(column, r) + ": the category in column " + in_quotes(column.name()));
        const std::string_view category = trim_spaces(column.cell(r));
        auto counted = counts.find(category);
        if (counted == counts.end()) counted = counts.emplace(std::string(category), 0).first;
        if (r < rows) ++counted->second;
    }
    if (statistics::too_many_categories(counts.size(), column.size())) {
        throw DataError(table.source + ": column " + in_quotes(column.name()) + " has " + std::to_string(counts.size()) +
                        " distinct values in " + std::to_string(column.size()) +
                        " rows, too many to one-hot encode (an identifier or a date?); leave it out with --drop " +
                        column.name());
    }
    FeatureColumn feature;
    feature.name = column.name();
    for (const auto& [category, count] : counts) feature.categories.push_back(category);
    feature.most_frequent = statistics::most_frequent(counts);
    if (fill != FillPolicy::none) feature.fill_category = feature.most_frequent;
    return feature;
}

struct TargetSummary {
    std::set<std::string> labels;
    bool text = false;
    bool all_integers = true;
    std::vector<std::string> classes;  // the labels as classes (statistics::class_labels)
};

TargetSummary summarize_target(const CsvTable& table, const CsvColumn& column) {
    TargetSummary summary;
    for (std::size_t r = 0; r < column.size(); ++r) {
        if (is_missing_cell(column, r))
            throw DataError(table.where(column, r) + ": the target column " + in_quotes(column.name()) +
                            " has a missing value; targets are never filled, so fill the cell or drop the row");
        check_utf8(column.cell(r), table.where(column, r) + ": the label in the target column " + in_quotes(column.name()));
        summary.labels.insert(trimmed(column.cell(r)));
    }
    summary.text = !is_numeric(column);
    if (summary.text) reject_numbers_with_typos(table, column);
    if (!summary.text)
        for (double v : numbers_of(table, column)) summary.all_integers = summary.all_integers && v == std::floor(v);
    summary.classes = statistics::class_labels(summary.labels, !summary.text);
    if (summary.classes.size() < 2)
        throw DataError(table.source + ": the target column " + in_quotes(column.name()) + " is constant (" +
                        in_quotes(*summary.labels.begin()) + " in every row), so there is nothing to learn; pick another target");
    return summary;
}

Task inferred_task(const TargetSummary& target, std::size_t rows) {
    return statistics::holds_classes(target.text, target.all_integers, target.classes.size(), rows) ? Task::classification
                                                                                                   : Task::regression;
}

// The standardisation of the first `rows` values (the training rows).
TargetScale fit_scale(std::vector<double> values, std::size_t rows) {
    values.resize(rows);
    const auto [mean, stddev] = statistics::standardisation(values);
    return {mean, stddev};
}

void fit_targets(const CsvTable& table, const PreprocessingOptions& options, std::size_t training_rows,
                 Preprocessing& result) {
    if (options.targets.empty()) throw UsageError("no target column given; name one with --target COLUMN");
    std::vector<TargetSummary> summaries;
    for (const auto& name : options.targets) summaries.push_back(summarize_target(table, table.column(name)));
    const bool single = options.targets.size() == 1;
    result.task = options.task.value_or(single ? inferred_task(summaries.front(), table.rows()) : Task::regression);
    result.targets = options.targets;
    if (result.task == Task::classification) {
        if (!single)
            throw UsageError("classification takes one target column, but --target names " +
                             std::to_string(options.targets.size()) + "; train one model per target");
        result.classes = summaries.front().classes;
        return;
    }
    for (std::size_t t = 0; t < options.targets.size(); ++t) {
        const auto& name = options.targets[t];
        if (summaries[t].text) throw DataError(statistics::text_target_message(table.source, name, summaries[t].labels, !single));
        const auto values = numeric_column(table, name);
        if (options.scale_targets) result.target_scaling.push_back(fit_scale(values, training_rows));
    }
}

bool is_target(const Preprocessing& preprocessing, const std::string& name) {
    return std::find(preprocessing.targets.begin(), preprocessing.targets.end(), name) != preprocessing.targets.end();
}

void check_rows(const CsvTable& table) {
    if (table.rows() == 0) throw DataError(table.source + ": the file has a header but no data rows; add rows");
}

// Every feature the model was trained on is a column, and every column is a feature, a target or
// a dropped column; otherwise one message names all that are missing and all that are not used.
void check_columns(const Preprocessing& preprocessing, const CsvTable& table, const ColumnIndex& index) {
    std::vector<std::string> missing, extra;
    for (const auto& feature : preprocessing.features)
        if (!index.find(feature.name)) missing.push_back(feature.name);
    for (const auto& column : table.columns)
        if (!preprocessing.knows_column(column.name())) extra.push_back(column.name());
    if (missing.empty() && extra.empty()) return;
    std::string message = table.source + ": the columns do not match the model's";
    if (!missing.empty()) {
        message += "; missing " + quoted_list(missing);
        if (const auto near = did_you_mean(missing.front(), extra))
            message += " (is " + in_quotes(*near) + " meant to be " + in_quotes(missing.front()) + "?)";
    }
    if (!extra.empty()) message += "; not used by the model: " + quoted_list(extra);
    throw DataError(message + "; the model takes " + std::to_string(preprocessing.features.size()) + " feature columns");
}

// The message for a missing cell of a text feature that has no fill. A model saved before dense
// filled text cells holds no most frequent category, so --fill cannot fill it: say what can.
std::string unfilled_text_message(const std::string& where, const FeatureColumn& feature) {
    if (feature.most_frequent) return statistics::text_missing_message(where, feature.name);
    return where + ": text column " + in_quotes(feature.name) +
           " has a missing value, which --fill cannot fill: the model holds no most frequent category of the column "
           "(a model saved before dense filled text cells has none); fill the cell, or train the model again";
}

template <class T>
void encode_categories(const FeatureColumn& feature, const CsvTable& table, const CsvColumn& column, Matrix<T>& x,
                       std::size_t offset) {
    for (std::size_t r = 0; r < column.size(); ++r) {
        const bool missing = is_missing(column.cell(r));
        if (missing && !feature.fill_category) throw DataError(unfilled_text_message(table.where(column, r), feature));
        const std::string_view text = missing ? std::string_view(*feature.fill_category) : trim_spaces(column.cell(r));
        const auto found = std::lower_bound(feature.categories.begin(), feature.categories.end(), text);
        if (found == feature.categories.end() || *found != text)
            throw DataError(table.where(column, r) + ": column " + in_quotes(feature.name) + " has the category " + in_quotes(text) +
                            ", which the model never saw in training; use one of " + quoted_list(feature.categories));
        x(r, offset + static_cast<std::size_t>(found - feature.categories.begin())) = T(1);
    }
}

template <class T>
void encode_numbers(const FeatureColumn& feature, const CsvTable& table, const CsvColumn& column, Matrix<T>& x,
                    std::size_t offset) {
    const auto values = numbers_of(table, column, feature.fill ? FillPolicy::zero : FillPolicy::none);
    for (std::size_t r = 0; r < column.size(); ++r) {
        const double value = feature.fill && is_missing_cell(column, r) ? *feature.fill : values[r];
        x(r, offset) = static_cast<T>((value - feature.mean) / feature.stddev);  // x' = (x − mean) / std
        if (!std::isfinite(x(r, offset)))
            throw DataError(table.where(column, r) + ": column " + in_quotes(feature.name) + " has " + in_quotes(column.cell(r)) +
                            ", which standardised is beyond the range of the model's floats; rescale the column");
    }
}

// A label's class: by value when every class is a number ("0", "0.0" and "0e0" are one class),
// else by its exact text.
class ClassIndex {
public:
    explicit ClassIndex(const std::vector<std::string>& classes) : classes_(classes) {
        for (const auto& label : classes) values_.push_back(parse_cell(label));
        numeric_ = std::ranges::all_of(values_, [](const ParsedCell& cell) { return cell.kind == CellKind::number; });
    }
    std::optional<std::size_t> find(std::string_view label) const {
        const ParsedCell parsed = parse_cell(label);
        const auto found = numeric_ && parsed.kind == CellKind::number
                               ? std::ranges::find(values_, parsed.value, &ParsedCell::value) - values_.begin()
                               : std::ranges::find(classes_, label) - classes_.begin();
        if (static_cast<std::size_t>(found) == classes_.size()) return std::nullopt;
        return static_cast<std::size_t>(found);
    }

private:
    const std::vector<std::string>& classes_;
    std::vector<ParsedCell> values_;
    bool numeric_ = false;
};

std::size_t class_index(const Preprocessing& preprocessing, const ClassIndex& classes, const CsvTable& table,
                        const CsvColumn& column, std::size_t row) {
    const auto label = trimmed(column.cell(row));
    const auto found = classes.find(label);
    if (!found)
        throw DataError(table.where(column, row) + ": the label " + in_quotes(label) +
                        " is not one of the classes the model knows (" + quoted_list(preprocessing.classes) + ")");
    return *found;
}

template <class T>
Matrix<T> encode_classes(const Preprocessing& preprocessing, const CsvTable& table, const Loss& loss) {
    const auto& column = table.column(preprocessing.targets.front());
    const bool one_hot = loss.kind() == LossKind::categorical_crossentropy;
    if (loss.kind() == LossKind::binary_crossentropy && preprocessing.classes.size() != 2)
        throw UsageError("binary_crossentropy needs exactly two classes, but '" + preprocessing.targets.front() + "' has " +
                         std::to_string(preprocessing.classes.size()) + "; use sparse_categorical_crossentropy");
    Matrix<T> y(column.size(), one_hot ? preprocessing.classes.size() : 1);
    const ClassIndex classes(preprocessing.classes);
    for (std::size_t r = 0; r < column.size(); ++r) {
        const auto index = class_index(preprocessing, classes, table, column, r);
        if (one_hot)
            y(r, index) = T(1);
        else
            y(r, 0) = static_cast<T>(index);
    }
    return y;
}

template <class T>
std::string shortest(T value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// A text feature's category that a JSON field names ("fill", "most_frequent"); absent in files
// before dense filled text columns.
std::optional<std::string> category_of(const nlohmann::json& json, const char* field, const FeatureColumn& feature) {
    if (!json.contains(field)) return std::nullopt;
    auto category = json.at(field).get<std::string>();
    if (!std::binary_search(feature.categories.begin(), feature.categories.end(), category))
        throw DataError(std::string(field) + " of '" + feature.name + "' must be one of its categories");
    return category;
}

// Absent in files before version 2: their networks predict the targets unscaled.
std::vector<TargetScale> target_scaling_from_json(const nlohmann::json& json, const Preprocessing& preprocessing) {
    std::vector<TargetScale> scaling;
    for (const auto& s : json) {
        scaling.push_back({s.at("mean").get<double>(), s.at("stddev").get<double>()});
        if (!std::isfinite(scaling.back().mean) || !(scaling.back().stddev > 0.0) || !std::isfinite(scaling.back().stddev))
            throw DataError("target_scaling needs a finite mean and a positive stddev per target");
    }
    if (preprocessing.task != Task::regression || scaling.size() != preprocessing.targets.size())
        throw DataError("target_scaling needs one entry per regression target (" +
                        std::to_string(preprocessing.targets.size()) + "), not " + std::to_string(scaling.size()));
    return scaling;
}

// Absent in files before --drop: none. A dropped column is neither a feature nor a target.
std::vector<std::string> dropped_columns_from_json(const nlohmann::json& json, const Preprocessing& preprocessing) {
    auto dropped = json.get<std::vector<std::string>>();
    for (const auto& name : dropped) {
        const bool feature = std::ranges::any_of(preprocessing.features, [&](const FeatureColumn& f) { return f.name == name; });
        if (feature || is_target(preprocessing, name))
            throw DataError("dropped_columns names " + in_quotes(name) + ", which is also a feature or a target");
    }
    return dropped;
}

}  // namespace

std::string_view task_name(Task task) noexcept { return task == Task::classification ? "classification" : "regression"; }

Task task_from_name(std::string_view name) {
    if (name == "regression") return Task::regression;
    if (name == "classification") return Task::classification;
    throw UsageError("unknown task '" + std::string(name) + "'; use regression or classification");
}

std::size_t Preprocessing::input_width() const noexcept {
    std::size_t width = 0;
    for (const auto& feature : features) width += feature.width();
    return width;
}

bool Preprocessing::knows_column(std::string_view name) const {
    const auto named = [&](const auto& list) { return std::ranges::find(list, name) != list.end(); };
    return named(targets) || named(dropped_columns) ||
           std::ranges::any_of(features, [&](const FeatureColumn& f) { return f.name == name; });
}

void check_dropped_columns(const CsvTable& header, const PreprocessingOptions& options) {
    for (const auto& dropped : options.dropped_columns) {
        if (std::ranges::find(options.targets, dropped) != options.targets.end())
            throw UsageError("--drop names " + in_quotes(dropped) + ", which is the target; a target cannot be left out");
        header.named_column_index(dropped, "--drop");
    }
}

Preprocessing fit_preprocessing(const CsvTable& table, const PreprocessingOptions& options) {
    check_rows(table);
    Preprocessing result;
    const std::size_t training_rows =
        options.training_rows == 0 ? table.rows() : std::clamp<std::size_t>(options.training_rows, 1, table.rows());
    check_dropped_columns(table, options);
    fit_targets(table, options, training_rows, result);
    result.dropped_columns = options.dropped_columns;
    const auto& dropped = result.dropped_columns;
    for (const auto& column : table.columns) {
        if (is_target(result, column.name()) || std::ranges::find(dropped, column.name()) != dropped.end()) continue;
        result.features.push_back(is_numeric(column) ? fit_numeric(table, column, options.fill, training_rows)
                                                     : fit_text(table, column, options.fill, training_rows));
    }
    if (result.features.empty())
        throw DataError(table.source + ": every column is a target or dropped, so there is nothing to learn from; "
                                       "keep at least one feature column");
    return result;
}

template <class T>
Matrix<T> encode_features(const Preprocessing& preprocessing, const CsvTable& table) {
    check_rows(table);
    const ColumnIndex index(table);
    check_columns(preprocessing, table, index);
    Matrix<T> x(table.rows(), preprocessing.input_width());
    std::size_t offset = 0;
    for (const auto& feature : preprocessing.features) {
        const auto& column = *index.find(feature.name);
        if (feature.categorical())
            encode_categories(feature, table, column, x, offset);
        else
            encode_numbers(feature, table, column, x, offset);
        offset += feature.width();
    }
    return x;
}

Task infer_task(const CsvTable& table, const PreprocessingOptions& options) {
    if (options.task) return *options.task;
    if (options.targets.size() != 1) return Task::regression;
    check_rows(table);
    return inferred_task(summarize_target(table, table.column(options.targets.front())), table.rows());
}

template <class T>
Matrix<T> target_values(const Preprocessing& preprocessing, const CsvTable& table) {
    check_rows(table);
    Matrix<T> y(table.rows(), preprocessing.targets.size());
    for (std::size_t t = 0; t < preprocessing.targets.size(); ++t) {
        const auto values = numeric_column(table, preprocessing.targets[t]);
        for (std::size_t r = 0; r < values.size(); ++r) y(r, t) = static_cast<T>(values[r]);
    }
    return y;
}

namespace {

// The model's outputs are T: a target beyond T's range could be learnt (standardised) but never
// predicted in its own units, so it is refused at the cell that holds it.
template <class T>
void require_in_range(const CsvTable& table, const CsvColumn& column, const std::vector<double>& values) {
    for (std::size_t r = 0; r < values.size(); ++r)
        if (std::abs(values[r]) > double(std::numeric_limits<T>::max()))
            throw DataError(table.source + ":" + std::to_string(column.line(r)) + ":" + std::to_string(column.number()) +
                            ": target '" + column.name() + "' holds " + format_number(values[r]) + ", beyond the " +
                            (sizeof(T) == 4 ? "float32" : "float64") + " range (±" + format_number(std::numeric_limits<T>::max()) +
                            ") the model computes in; give the column in larger units (divide it by a power of ten)");
}

}  // namespace

template <class T>
Matrix<T> encode_targets(const Preprocessing& preprocessing, const CsvTable& table, const Loss& loss) {
    check_rows(table);
    if (preprocessing.task == Task::classification) return encode_classes<T>(preprocessing, table, loss);
    Matrix<T> y(table.rows(), preprocessing.targets.size());
    for (std::size_t t = 0; t < preprocessing.targets.size(); ++t) {
        const auto values = numeric_column(table, preprocessing.targets[t]);
        require_in_range<T>(table, table.column(preprocessing.targets[t]), values);
        const TargetScale scale = t < preprocessing.target_scaling.size() ? preprocessing.target_scaling[t] : TargetScale{};
        for (std::size_t r = 0; r < values.size(); ++r)
            y(r, t) = static_cast<T>((values[r] - scale.mean) / scale.stddev);  // y' = (y − mean) / std
    }
    return y;
}

template <class T>
void to_target_units(const Preprocessing& preprocessing, Matrix<T>& outputs) {
    if (preprocessing.task != Task::regression || preprocessing.target_scaling.empty()) return;
    for (std::size_t r = 0; r < outputs.rows(); ++r)
        for (std::size_t t = 0; t < outputs.cols() && t < preprocessing.target_scaling.size(); ++t) {
            const auto& scale = preprocessing.target_scaling[t];
            outputs(r, t) = static_cast<T>(double(outputs(r, t)) * scale.stddev + scale.mean);  // y = y'·std + mean
        }
}

std::vector<std::string> prediction_header(const Preprocessing& preprocessing) {
    if (preprocessing.task == Task::regression) return preprocessing.targets;
    std::vector<std::string> header{preprocessing.targets.front()};
    for (const auto& label : preprocessing.classes) header.push_back("p_" + label);
    return header;
}

template <class T>
std::vector<std::string> prediction_row(const Preprocessing& preprocessing, std::span<const T> outputs) {
    std::vector<std::string> row;
    if (preprocessing.task == Task::regression) {
        Matrix<T> values(1, outputs.size());
        std::copy(outputs.begin(), outputs.end(), values.row(0).begin());
        to_target_units(preprocessing, values);
        for (T value : values.row(0)) row.push_back(format_number(value));
        return row;
    }
    // One sigmoid output is P(classes[1]); otherwise one softmax probability per class.
    std::vector<T> probabilities(outputs.begin(), outputs.end());
    if (outputs.size() == 1) probabilities = {T(1) - outputs[0], outputs[0]};
    const auto best = std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin();
    row.push_back(preprocessing.classes.at(static_cast<std::size_t>(best)));
    for (T p : probabilities) row.push_back(format_number(p));
    return row;
}

std::string format_number(double value) { return shortest(value); }
std::string format_number(float value) { return shortest(value); }

nlohmann::json to_json(const Preprocessing& preprocessing) {
    auto features = nlohmann::json::array();
    for (const auto& f : preprocessing.features) {
        nlohmann::json feature{{"name", f.name}};
        if (f.categorical()) {
            feature["categories"] = f.categories;
            if (f.fill_category) feature["fill"] = *f.fill_category;
            if (f.most_frequent) feature["most_frequent"] = *f.most_frequent;
        } else {
            feature["mean"] = f.mean;
            feature["stddev"] = f.stddev;
            if (f.fill) feature["fill"] = *f.fill;
            if (f.median) feature["median"] = *f.median;
        }
        features.push_back(std::move(feature));
    }
    nlohmann::json json{{"features", features},
                        {"targets", preprocessing.targets},
                        {"task", task_name(preprocessing.task)},
                        {"classes", preprocessing.classes}};
    for (const auto& scale : preprocessing.target_scaling)
        json["target_scaling"].push_back({{"mean", scale.mean}, {"stddev", scale.stddev}});
    if (!preprocessing.dropped_columns.empty()) json["dropped_columns"] = preprocessing.dropped_columns;
    return json;
}

Preprocessing preprocessing_from_json(const nlohmann::json& json) {
    try {
        Preprocessing result;
        result.task = task_from_name(json.at("task").get<std::string>());
        result.targets = json.at("targets").get<std::vector<std::string>>();
        result.classes = json.at("classes").get<std::vector<std::string>>();
        for (const auto& f : json.at("features")) {
            FeatureColumn feature;
            feature.name = f.at("name").get<std::string>();
            if (f.contains("categories")) {
                feature.categories = f.at("categories").get<std::vector<std::string>>();
                if (feature.categories.empty() || !std::is_sorted(feature.categories.begin(), feature.categories.end()))
                    throw DataError("the categories of '" + feature.name + "' must be a sorted, non-empty list");
                feature.fill_category = category_of(f, "fill", feature);
                feature.most_frequent = category_of(f, "most_frequent", feature);
            } else {
                feature.mean = f.at("mean").get<double>();
                feature.stddev = f.at("stddev").get<double>();
                if (f.contains("fill")) feature.fill = f.at("fill").get<double>();
                if (f.contains("median")) feature.median = f.at("median").get<double>();
                if (!(feature.stddev > 0.0) || !std::isfinite(feature.stddev) || !std::isfinite(feature.mean))
                    throw DataError("feature '" + feature.name + "' needs a finite mean and a positive stddev");
            }
            result.features.push_back(std::move(feature));
        }
        if (result.targets.empty() || result.features.empty())
            throw DataError("preprocessing needs at least one target and one feature");
        if (json.contains("target_scaling")) result.target_scaling = target_scaling_from_json(json.at("target_scaling"), result);
        if (json.contains("dropped_columns")) result.dropped_columns = dropped_columns_from_json(json.at("dropped_columns"), result);
        if (result.task == Task::classification && (result.targets.size() != 1 || result.classes.size() < 2))
            throw DataError("classification preprocessing needs one target and at least two classes");
        return result;
    } catch (const nlohmann::json::exception& e) {
        throw DataError(std::string("preprocessing: ") + e.what());
    } catch (const UsageError& e) {
        throw DataError(std::string("preprocessing: ") + e.what());
    }
}

template Matrix<float> encode_features<float>(const Preprocessing&, const CsvTable&);
template Matrix<double> encode_features<double>(const Preprocessing&, const CsvTable&);
template Matrix<float> target_values<float>(const Preprocessing&, const CsvTable&);
template Matrix<double> target_values<double>(const Preprocessing&, const CsvTable&);
template void to_target_units<float>(const Preprocessing&, Matrix<float>&);
template void to_target_units<double>(const Preprocessing&, Matrix<double>&);
template Matrix<float> encode_targets<float>(const Preprocessing&, const CsvTable&, const Loss&);
template Matrix<double> encode_targets<double>(const Preprocessing&, const CsvTable&, const Loss&);
template std::vector<std::string> prediction_row<float>(const Preprocessing&, std::span<const float>);
template std::vector<std::string> prediction_row<double>(const Preprocessing&, std::span<const double>);

}  // namespace dense::io
