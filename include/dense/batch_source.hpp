#pragma once
// BatchSource: training data handed to fit() a batch at a time, for data sets larger than memory
// (Keras' model.fit(dataset) with a tf.data.Dataset or a keras.utils.PyDataset). fit asks for one
// epoch's batches in turn, then starts the source on the next epoch. A source chooses its batch
// size, order and shuffle itself, from the epoch number, so that a run is reproducible and a run
// resumed at initial_epoch reads the batches the uninterrupted one would.
// dense::io::CsvStream (dense/io/csv_stream.hpp) streams a CSV file this way.
#include <cstddef>

#include "dense/matrix.hpp"

namespace dense {

template <class T>
class BasicBatchSource {
public:
    virtual ~BasicBatchSource() = default;
    // Starts epoch `epoch` (0-based): the batches that follow are that epoch's.
    virtual void start_epoch(int epoch) = 0;
    // The epoch's next batch: its inputs into x and its targets into y (both resized, one row per
    // sample); false when the epoch has no more.
    virtual bool next_batch(Matrix<T>& x, Matrix<T>& y) = 0;
    // The batches of an epoch, for the progress bar; 0 when unknown.
    virtual std::size_t batches_per_epoch() const { return 0; }
};

using BatchSource = BasicBatchSource<float>;

}  // namespace dense
