// fit on a BatchSource: batches streamed in data order train exactly as fit on the same rows in
// memory without shuffling, and the validation source is evaluated as validation_data is.
#include "test_support.hpp"

namespace dense {
namespace {

using testing::take_rows;
using testing::uniform_matrix;

// The rows of x, y in order, `batch` at a time; counts the epochs it was started on.
class RowsSource : public BatchSource {
public:
    RowsSource(Matrix<float> x, Matrix<float> y, std::size_t batch) : x_(std::move(x)), y_(std::move(y)), batch_(batch) {}
    void start_epoch(int epoch) override {
        epochs.push_back(epoch);
        next_ = 0;
    }
    bool next_batch(Matrix<float>& x, Matrix<float>& y) override {
        if (next_ >= x_.rows()) return false;
        const std::size_t count = std::min(batch_, x_.rows() - next_);
        x = take_rows(x_, next_, count);
        y = take_rows(y_, next_, count);
        next_ += count;
        return true;
    }
    std::size_t batches_per_epoch() const override { return (x_.rows() + batch_ - 1) / batch_; }
    std::vector<int> epochs;

private:
    Matrix<float> x_, y_;
    std::size_t batch_, next_ = 0;
};

Sequential model_to_train() {
    Sequential model({Dense(5, "relu"), Dense(2, "softmax")}, {.seed = 9});
    model.compile(Adam(0.01), "sparse_categorical_crossentropy", {"accuracy"});
    return model;
}

Matrix<float> class_of_sum(const Matrix<float>& x) {
    Matrix<float> y(x.rows(), 1);
    for (std::size_t r = 0; r < x.rows(); ++r) y(r, 0) = x(r, 0) + x(r, 1) > 0 ? 1.0f : 0.0f;
    return y;
}

TEST(FitBatchSource, StreamedBatchesTrainAsFitOnTheRowsUnshuffled) {
    const auto x = uniform_matrix<float>(100, 3, -1.0, 1.0, 4);
    const auto y = class_of_sum(x);
    const auto vx = uniform_matrix<float>(30, 3, -1.0, 1.0, 5);
    const auto vy = class_of_sum(vx);
    Sequential in_memory = model_to_train(), streamed = model_to_train();
    const History expected = in_memory.fit(
        x, y, {.epochs = 4, .batch_size = 16, .shuffle = false, .validation_data = std::pair{vx, vy}, .verbose = 0});
    RowsSource data(x, y, 16), validation(vx, vy, 7);
    const History history = streamed.fit(data, {.epochs = 4, .verbose = 0}, &validation);
    EXPECT_EQ(streamed.get_weights(), in_memory.get_weights());
    EXPECT_EQ(history["loss"], expected["loss"]);
    EXPECT_EQ(history["accuracy"], expected["accuracy"]);
    for (std::size_t e = 0; e < 4; ++e) EXPECT_NEAR(history["val_loss"][e], expected["val_loss"][e], 1e-6);
    EXPECT_EQ(data.epochs.front(), 0);  // the unbuilt model read a first batch to learn the input width
    EXPECT_EQ(std::vector<int>(data.epochs.end() - 4, data.epochs.end()), (std::vector<int>{0, 1, 2, 3}));
}

TEST(FitBatchSource, ResumesAtInitialEpochAndRefusesRowOptions) {
    const auto x = uniform_matrix<float>(20, 3, -1.0, 1.0, 6);
    Sequential model = model_to_train();
    RowsSource data(x, class_of_sum(x), 8);
    model.fit(data, {.epochs = 3, .initial_epoch = 2, .verbose = 0});
    EXPECT_EQ(data.epochs.back(), 2);
    EXPECT_THROW(model.fit(data, {.epochs = 1, .validation_split = 0.2, .verbose = 0}), UsageError);
    RowsSource empty(Matrix<float>(0, 3), Matrix<float>(0, 1), 8);
    EXPECT_THROW(model.fit(empty, {.epochs = 1, .verbose = 0}), DataError);
}

}  // namespace
}  // namespace dense
