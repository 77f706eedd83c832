#include "dense/layer.hpp"

#include "dense/error.hpp"

namespace dense {

template <class T>
std::size_t Layer<T>::parameter_count() const {
    std::size_t count = 0;
    for (const auto& w : get_weights()) count += w.size();
    return count;
}

template <class T>
void Layer<T>::set_weights(const std::vector<Tensor<T>>& weights) {
    if (!weights.empty())
        throw DataError("layer '" + name() + "' (" + std::string(type()) + ") has no weights, but " +
                        std::to_string(weights.size()) + " arrays were given");
}

template class Layer<float>;
template class Layer<double>;

}  // namespace dense
