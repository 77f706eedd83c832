#pragma once
// Matrix<T>: a row-major batch × features block of numbers, the one data type that flows
// between layers. Storage is 64-byte aligned and keeps its capacity when resized smaller, so a
// training loop that reuses its matrices does not allocate. A matrix may also borrow memory that
// someone else owns (Matrix::borrow, for a numpy array), so data passes in and out uncopied.
#include <cstddef>
#include <initializer_list>
#include <new>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "dense/error.hpp"
#include "dense/memory.hpp"

namespace dense {

template <class T>
struct AlignedAllocator {
    using value_type = T;
    static constexpr std::align_val_t alignment{64};
    AlignedAllocator() = default;
    template <class U>
    AlignedAllocator(const AlignedAllocator<U>&) noexcept {}
    // A failed allocation is a dense::Error with the size, not a std::bad_alloc.
    T* allocate(std::size_t n) {
        try {
            return static_cast<T*>(::operator new(n * sizeof(T), alignment));
        } catch (const std::bad_alloc&) {
            detail::throw_out_of_memory(n * sizeof(T));
        }
    }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, alignment); }
    template <class U>
    bool operator==(const AlignedAllocator<U>&) const noexcept { return true; }
};

template <class T>
class Matrix {
public:
    Matrix() = default;
    Matrix(std::size_t rows, std::size_t cols, T fill = T(0))
        : rows_(rows), cols_(cols), values_(checked_size(rows, cols), fill), data_(values_.data()) {}
    // Matrix<float>{{1, 2}, {3, 4}}: one braced list per row; rows must have equal length.
    Matrix(std::initializer_list<std::initializer_list<T>> rows);
    // A single column from a list of values: Matrix<float>::column({1, 2, 3}) is 3 × 1.
    static Matrix column(std::initializer_list<T> values);
    static Matrix column(std::span<const T> values);
    // The rows × cols values at `values`, row-major, used where they are: nothing is copied and
    // writes go there. The memory must outlive the matrix. Resizing beyond rows × cols gives the
    // matrix storage of its own (unaligned memory is fine: kernels align what they pack).
    static Matrix borrow(T* values, std::size_t rows, std::size_t cols);
    bool borrowed() const noexcept { return borrowed_ != 0; }

    // A copy owns its values, whether or not the original borrowed them.
    Matrix(const Matrix& other);
    Matrix& operator=(const Matrix& other);
    Matrix(Matrix&& other) noexcept;
    Matrix& operator=(Matrix&& other) noexcept;
    ~Matrix() = default;

    std::size_t rows() const noexcept { return rows_; }
    std::size_t cols() const noexcept { return cols_; }
    std::size_t size() const noexcept { return rows_ * cols_; }
    bool empty() const noexcept { return size() == 0; }

    T* data() noexcept { return data_; }
    const T* data() const noexcept { return data_; }
    std::span<T> values() noexcept { return {data_, size()}; }
    std::span<const T> values() const noexcept { return {data_, size()}; }
    std::span<T> row(std::size_t r) noexcept { return {data_ + r * cols_, cols_}; }
    std::span<const T> row(std::size_t r) const noexcept { return {data_ + r * cols_, cols_}; }

    T& operator()(std::size_t r, std::size_t c) noexcept { return data_[r * cols_ + c]; }
    const T& operator()(std::size_t r, std::size_t c) const noexcept { return data_[r * cols_ + c]; }

    // Changes the shape; contents are unspecified afterwards. Never shrinks capacity (a borrowed
    // matrix's capacity is the memory it borrows).
    void resize(std::size_t rows, std::size_t cols) {
        const std::size_t size = checked_size(rows, cols);
        if (size > borrowed_ && values_.size() < size) values_.resize(size);  // may throw: shape unchanged
        rows_ = rows;
        cols_ = cols;
        if (size <= borrowed_) return;
        borrowed_ = 0;
        data_ = values_.data();
    }
    void fill(T value) noexcept {
        for (auto& v : values()) v = value;
    }

    bool operator==(const Matrix& other) const noexcept;

private:
    // rows × cols, refused with a UsageError when the product wraps around std::size_t or holds
    // more values than a vector can (Matrix(-1, -1) would otherwise get one value and be written
    // past it).
    static std::size_t checked_size(std::size_t rows, std::size_t cols) {
        std::size_t size = 0;  // one multiplication and a flag: resize runs on every layer's every batch
        if (__builtin_mul_overflow(rows, cols, &size) || size > std::vector<T, AlignedAllocator<T>>().max_size())
            throw UsageError("Matrix of " + std::to_string(rows) + " × " + std::to_string(cols) +
                             " values: more than memory can address; check the shape (a negative number read as "
                             "unsigned?)");
        return size;
    }

    std::size_t rows_ = 0;
    std::size_t cols_ = 0;
    std::vector<T, AlignedAllocator<T>> values_;
    T* data_ = nullptr;         // values_.data(), or the borrowed memory
    std::size_t borrowed_ = 0;  // how many values the borrowed memory holds; 0 when values_ is used
};

template <class T>
Matrix<T> Matrix<T>::borrow(T* values, std::size_t rows, std::size_t cols) {
    Matrix m;
    m.rows_ = rows;
    m.cols_ = cols;
    m.data_ = values;
    m.borrowed_ = checked_size(rows, cols);
    return m;
}

template <class T>
Matrix<T>::Matrix(const Matrix& other)
    : rows_(other.rows_), cols_(other.cols_), values_(other.data_, other.data_ + other.size()), data_(values_.data()) {}

template <class T>
Matrix<T>& Matrix<T>::operator=(const Matrix& other) {
    if (this == &other) return *this;
    values_.assign(other.data_, other.data_ + other.size());
    rows_ = other.rows_;
    cols_ = other.cols_;
    data_ = values_.data();
    borrowed_ = 0;
    return *this;
}

template <class T>
Matrix<T>::Matrix(Matrix&& other) noexcept
    : rows_(std::exchange(other.rows_, 0)),
      cols_(std::exchange(other.cols_, 0)),
      values_(std::move(other.values_)),
      data_(std::exchange(other.data_, nullptr)),
      borrowed_(std::exchange(other.borrowed_, 0)) {}

template <class T>
Matrix<T>& Matrix<T>::operator=(Matrix&& other) noexcept {
    if (this == &other) return *this;
    values_ = std::move(other.values_);
    rows_ = std::exchange(other.rows_, 0);
    cols_ = std::exchange(other.cols_, 0);
    data_ = std::exchange(other.data_, nullptr);
    borrowed_ = std::exchange(other.borrowed_, 0);
    return *this;
}

template <class T>
Matrix<T>::Matrix(std::initializer_list<std::initializer_list<T>> rows)
    : rows_(rows.size()), cols_(rows.size() ? rows.begin()->size() : 0) {
    values_.reserve(rows_ * cols_);
    for (const auto& r : rows) {
        if (r.size() != cols_) throw UsageError("Matrix: every row of a braced matrix must have the same length");
        values_.insert(values_.end(), r.begin(), r.end());
    }
    data_ = values_.data();
}

template <class T>
Matrix<T> Matrix<T>::column(std::initializer_list<T> values) {
    return column(std::span<const T>(values.begin(), values.size()));
}

template <class T>
Matrix<T> Matrix<T>::column(std::span<const T> values) {
    Matrix m(values.size(), 1);
    for (std::size_t i = 0; i < values.size(); ++i) m(i, 0) = values[i];
    return m;
}

template <class T>
bool Matrix<T>::operator==(const Matrix& other) const noexcept {
    if (rows_ != other.rows_ || cols_ != other.cols_) return false;
    for (std::size_t i = 0; i < size(); ++i)
        if (data_[i] != other.data_[i]) return false;
    return true;
}

}  // namespace dense
