#pragma once
// Tensor<T>: an n-dimensional array in row-major order, used where Keras uses numpy arrays:
// get_weights()/set_weights() (a Dense kernel is [inputs, units], its bias [units]) and file I/O.
#include <cstddef>
#include <string>
#include <vector>

namespace dense {

template <class T>
struct Tensor {
    std::vector<std::size_t> shape;
    std::vector<T> values;

    Tensor() = default;
    Tensor(std::vector<std::size_t> s, std::vector<T> v) : shape(std::move(s)), values(std::move(v)) {}
    explicit Tensor(std::vector<std::size_t> s) : shape(std::move(s)), values(element_count(shape)) {}

    std::size_t size() const noexcept { return values.size(); }

    static std::size_t element_count(const std::vector<std::size_t>& s) {
        std::size_t n = 1;
        for (auto d : s) n *= d;
        return n;
    }
    bool operator==(const Tensor&) const = default;
};

// "[784, 256]": how shapes are written in error messages and summaries.
std::string shape_string(const std::vector<std::size_t>& shape);

}  // namespace dense
