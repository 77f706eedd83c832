#include "kernels/softmax_crossentropy.hpp"

#include <algorithm>
#include <cmath>

namespace dense::kernels {

namespace {

// The exponent below which e^x would be denormal: −87 for float, −708 for double.
template <class T>
constexpr T lowest_exponent = sizeof(T) == 4 ? T(-87) : T(-708);

// p = e^(z − max z) for one row; returns (max z, Σ p) and leaves p unnormalised.
template <class T>
std::pair<T, T> shifted_exponentials(std::size_t cols, const T* z, T* p) {
    const T top = *std::max_element(z, z + cols);
    T sum = 0;
    for (std::size_t c = 0; c < cols; ++c) sum += p[c] = std::exp(std::max(z[c] - top, lowest_exponent<T>));
    return {top, sum};
}

}  // namespace

template <class T>
double softmax_crossentropy(std::size_t rows, std::size_t cols, const T* z, const T* y, bool sparse, T scale, T* p,
                            T* g) {
    double total = 0;
    for (std::size_t r = 0; r < rows; ++r, z += cols, p += cols, g += cols) {
        const auto [top, sum] = shifted_exponentials(cols, z, p);
        const double lse = double(top) + std::log(double(sum));  // log Σ e^z
        const T inverse = T(1) / sum;
        for (std::size_t c = 0; c < cols; ++c) p[c] *= inverse;
        if (sparse) {
            const auto label = static_cast<std::size_t>(y[r]);
            total += lse - double(z[label]);  // loss_r = lse − z_label
            for (std::size_t c = 0; c < cols; ++c) g[c] = p[c] * scale;
            g[label] -= scale;  // g = (p − onehot) · scale
            continue;
        }
        const T* target = y + r * cols;
        T target_sum = 0;
        for (std::size_t c = 0; c < cols; ++c) {
            target_sum += target[c];
            total += double(target[c]) * (lse - double(z[c]));
        }
        for (std::size_t c = 0; c < cols; ++c) g[c] = (p[c] * target_sum - target[c]) * scale;
    }
    return total;
}

template double softmax_crossentropy<float>(std::size_t, std::size_t, const float*, const float*, bool, float, float*,
                                            float*);
template double softmax_crossentropy<double>(std::size_t, std::size_t, const double*, const double*, bool, double,
                                             double*, double*);

}  // namespace dense::kernels
