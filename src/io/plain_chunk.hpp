#pragma once
// The encoded rows of a streamed chunk straight from its text when it is plain numbers: what
// `dense train --stream` reads most chunks of a numeric file through, several times faster than
// parsing cells (csv_blocks.hpp's plain_numbers, as `dense predict` reads).
#include <cstddef>
#include <optional>
#include <vector>

#include "dense/io/csv_blocks.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/matrix.hpp"

namespace dense::io {

struct EncodedRows {
    Matrix<float> x;
    Matrix<float> y;
};

class PlainChunkEncoder {
public:
    // Reads chunks with the columns of `header`. Only regression with numeric features reads
    // plain: class labels and categories are text, matched as the table's rules match them.
    PlainChunkEncoder(const Preprocessing& preprocessing, const CsvTable& header);

    // encode_features and encode_targets of the block's records, to the bit, when every field
    // is plain (plain_numbers) and every target within float's range; otherwise nothing, and
    // the table's rules give the error or the fill.
    std::optional<EncodedRows> encode(const CsvBlock& block) const;

private:
    std::optional<std::vector<NumericInput>> fields_;
    std::size_t inputs_ = 0;
    std::size_t targets_ = 0;
};

}  // namespace dense::io
