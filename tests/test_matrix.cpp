// Matrix: owning and borrowed storage. A borrowed matrix (a numpy array's buffer, from Python)
// reads and writes the caller's memory in place; copies always own their values.
#include <numeric>

#include "test_support.hpp"

namespace dense {
namespace {

std::vector<float> counting(std::size_t n) {
    std::vector<float> values(n);
    std::iota(values.begin(), values.end(), 1.0f);
    return values;
}

// A shape whose rows × cols wraps around std::size_t (-1 × -1 is 1) or exceeds what a vector can
// hold is refused, not given a buffer that later reads and writes run past.
TEST(MatrixOwned, AShapeTooLargeToAddressIsAUsageError) {
    constexpr std::size_t all_ones = static_cast<std::size_t>(-1);
    EXPECT_THROW(Matrix<float>(all_ones, all_ones), UsageError);
    EXPECT_THROW(Matrix<float>(all_ones, 2), UsageError);
    EXPECT_THROW(Matrix<double>(std::size_t{1} << 32, std::size_t{1} << 32), UsageError);
    Matrix<float> m(2, 3);
    EXPECT_THROW(m.resize(all_ones, all_ones), UsageError);
    EXPECT_EQ(m.rows(), 2u);  // a refused resize leaves the shape as it was
    EXPECT_EQ(m.cols(), 3u);
    float value = 0;
    EXPECT_THROW(Matrix<float>::borrow(&value, all_ones, all_ones), UsageError);
    EXPECT_NO_THROW(Matrix<float>(0, all_ones));  // no values: nothing to address
}

// An allocation no machine can give (a petabyte: a shape that addresses, 2^24 × 2^24 floats) is a
// dense::Error saying how much and what to do; it used to be a bare std::bad_alloc. AddressSanitizer
// aborts on such a request instead of failing it, so the check runs without it.
TEST(MatrixOwned, MemoryTheMachineCannotGiveIsADenseError) {
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "AddressSanitizer aborts on a petabyte allocation instead of failing it";
#else
    try {
        Matrix<float> m(std::size_t{1} << 24, std::size_t{1} << 24);
        FAIL() << "allocated a petabyte";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("out of memory: 1.1 PB could not be allocated"), std::string::npos) << e.what();
    }
    Matrix<float> m(2, 3);
    EXPECT_THROW(m.resize(std::size_t{1} << 24, std::size_t{1} << 24), Error);
    EXPECT_EQ(m.rows(), 2u);  // a failed resize leaves the shape as it was
    EXPECT_EQ(m.cols(), 3u);
#endif
}

TEST(MatrixBorrow, ReadsAndWritesTheCallersMemory) {
    std::vector<float> memory = counting(6);
    Matrix<float> m = Matrix<float>::borrow(memory.data(), 2, 3);
    EXPECT_TRUE(m.borrowed());
    EXPECT_EQ(m.data(), memory.data());
    EXPECT_EQ(m(1, 2), 6.0f);
    m(0, 1) = -2.0f;
    EXPECT_EQ(memory[1], -2.0f);
}

TEST(MatrixBorrow, CopyOwnsItsValuesAndLeavesTheOriginalAlone) {
    std::vector<float> memory = counting(4);
    const Matrix<float> borrowed = Matrix<float>::borrow(memory.data(), 2, 2);
    Matrix<float> copy = borrowed;
    EXPECT_FALSE(copy.borrowed());
    EXPECT_NE(copy.data(), memory.data());
    EXPECT_EQ(copy, borrowed);
    copy(0, 0) = 100.0f;
    EXPECT_EQ(memory[0], 1.0f);

    Matrix<float> assigned(5, 5);
    assigned = borrowed;
    EXPECT_FALSE(assigned.borrowed());
    EXPECT_EQ(assigned, borrowed);
}

TEST(MatrixBorrow, MoveKeepsBorrowingAndEmptiesTheSource) {
    std::vector<float> memory = counting(4);
    Matrix<float> source = Matrix<float>::borrow(memory.data(), 4, 1);
    Matrix<float> moved = std::move(source);
    EXPECT_EQ(moved.data(), memory.data());
    EXPECT_TRUE(moved.borrowed());
    EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): a moved-from matrix is empty
    Matrix<float> target(3, 3);
    target = std::move(moved);
    EXPECT_EQ(target.data(), memory.data());
    EXPECT_EQ(target.rows(), 4u);
}

TEST(MatrixBorrow, ResizeWithinTheBorrowedMemoryStaysThereBeyondItAllocates) {
    std::vector<float> memory = counting(6);
    Matrix<float> m = Matrix<float>::borrow(memory.data(), 2, 3);
    m.resize(3, 2);
    EXPECT_EQ(m.data(), memory.data());
    m.resize(4, 2);
    EXPECT_FALSE(m.borrowed());
    EXPECT_NE(m.data(), memory.data());
    m.fill(0.0f);
    EXPECT_EQ(memory, counting(6));
}

TEST(MatrixOwned, ResizeKeepsDataPointingAtTheValues) {
    Matrix<float> m(1, 1, 7.0f);
    m.resize(100, 100);
    m(99, 99) = 3.0f;
    EXPECT_EQ(m.values()[m.size() - 1], 3.0f);
    EXPECT_EQ(m.row(99).data(), m.data() + 99 * 100);
}

// The point of borrowing: training on, and predicting into, memory the caller owns — at an
// address that is not 64-byte aligned, as a numpy array's may be — gives exactly what owned,
// aligned matrices give.
TEST(MatrixBorrow, TrainingAndPredictingOnUnalignedBorrowedMemoryMatchOwnedMatrices) {
    const Matrix<float> x = testing::uniform_matrix<float>(50, 3, -1.0, 1.0, 11);
    Matrix<float> y(50, 1);
    for (std::size_t r = 0; r < 50; ++r) y(r, 0) = x(r, 0) - 2 * x(r, 1) + x(r, 2) * x(r, 2);
    auto trained = [](const Matrix<float>& features, const Matrix<float>& targets) {
        Sequential model({Dense(8, "relu", {.input_dim = 3}), Dense(1)});
        model.compile(Adam(0.01), "mse");
        model.fit(features, targets, {.epochs = 3, .batch_size = 50, .verbose = 0});
        return model;
    };
    std::vector<float> x_memory(x.size() + 1), y_memory(y.size() + 1), out_memory(y.size() + 1);
    std::copy_n(x.data(), x.size(), x_memory.data() + 1);  // 4 bytes past an allocation's alignment
    std::copy_n(y.data(), y.size(), y_memory.data() + 1);
    const Matrix<float> x_view = Matrix<float>::borrow(x_memory.data() + 1, 50, 3);
    const Matrix<float> y_view = Matrix<float>::borrow(y_memory.data() + 1, 50, 1);

    Sequential owned = trained(x, y), borrowed = trained(x_view, y_view);
    EXPECT_EQ(owned.get_weights(), borrowed.get_weights());
    Matrix<float> out = Matrix<float>::borrow(out_memory.data() + 1, 50, 1);
    borrowed.predict_into(x_view, out);
    EXPECT_EQ(out.data(), out_memory.data() + 1);
    EXPECT_EQ(out, owned.predict(x));
}

}  // namespace
}  // namespace dense
