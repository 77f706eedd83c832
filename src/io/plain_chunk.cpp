// A streamed chunk's encoded rows straight from its text when it is plain numbers.
#include "plain_chunk.hpp"

#include <algorithm>
#include <limits>

namespace dense::io {
namespace {

// Where each column goes: feature f to input f (x' = (x − mean) / std), target t to input
// inputs + t (y' = (y − mean) / std, within float's range); nothing when a column is neither.
std::optional<std::vector<NumericInput>> plain_fields(const Preprocessing& preprocessing, const CsvTable& header) {
    if (preprocessing.task != Task::regression) return std::nullopt;
    std::vector<NumericInput> fields(header.columns.size());
    const auto field_of = [&](const std::string& name) -> NumericInput* {
        const auto found = std::find_if(header.columns.begin(), header.columns.end(), [&](const CsvColumn& column) { return column.name() == name; });
        return found == header.columns.end() ? nullptr : &fields[static_cast<std::size_t>(found - header.columns.begin())];
    };
    const std::size_t inputs = preprocessing.input_width();
    for (std::size_t f = 0; f < preprocessing.features.size(); ++f) {
        const auto& feature = preprocessing.features[f];
        NumericInput* field = field_of(feature.name);
        if (feature.categorical() || field == nullptr || field->input != NumericInput::unused) return std::nullopt;
        *field = {.input = f, .mean = feature.mean, .stddev = feature.stddev};
    }
    for (std::size_t t = 0; t < preprocessing.targets.size(); ++t) {
        NumericInput* field = field_of(preprocessing.targets[t]);
        if (field == nullptr || field->input != NumericInput::unused) return std::nullopt;
        const TargetScale scale = t < preprocessing.target_scaling.size() ? preprocessing.target_scaling[t] : TargetScale{};
        *field = {.input = inputs + t, .mean = scale.mean, .stddev = scale.stddev, .largest = double(std::numeric_limits<float>::max())};
    }
    // A column neither feature, target nor dropped is one encode_features refuses.
    for (std::size_t c = 0; c < fields.size(); ++c)
        if (fields[c].input == NumericInput::unused && !preprocessing.knows_column(header.columns[c].name())) return std::nullopt;
    return fields;
}

}  // namespace

PlainChunkEncoder::PlainChunkEncoder(const Preprocessing& preprocessing, const CsvTable& header)
    : fields_(plain_fields(preprocessing, header)), inputs_(preprocessing.input_width()), targets_(preprocessing.targets.size()) {}

std::optional<EncodedRows> PlainChunkEncoder::encode(const CsvBlock& block) const {
    if (!fields_) return std::nullopt;
    const auto values = plain_numbers(block, *fields_, inputs_ + targets_);
    if (!values) return std::nullopt;
    EncodedRows rows{Matrix<float>(values->rows(), inputs_), Matrix<float>(values->rows(), targets_)};
    for (std::size_t r = 0; r < values->rows(); ++r) {
        const auto row = values->row(r);
        std::copy(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(inputs_), rows.x.row(r).begin());
        std::copy(row.begin() + static_cast<std::ptrdiff_t>(inputs_), row.end(), rows.y.row(r).begin());
    }
    return rows;
}

}  // namespace dense::io
