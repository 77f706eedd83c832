#include "dense/layer.hpp"

#include <atomic>
#include <stdexcept>

#include "dense/error.hpp"

namespace dense {

namespace {

// The last weights version handed out, shared by every layer of every model and thread.
std::atomic<std::uint64_t> last_weights_version{0};

}  // namespace

template <class T>
void Layer<T>::weights_changed() noexcept {
    weights_version_ = last_weights_version.fetch_add(1, std::memory_order_relaxed) + 1;
}

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

template <class T>
const Matrix<T>& Layer<T>::begin_rows(const Matrix<T>&) {
    throw std::logic_error("layer '" + name() + "' (" + std::string(type()) + ") runs whole batches only");
}

template <class T>
void Layer<T>::forward_rows(const Matrix<T>&, std::size_t, std::size_t) {
    throw std::logic_error("layer '" + name() + "' (" + std::string(type()) + ") runs whole batches only");
}

template class Layer<float>;
template class Layer<double>;

}  // namespace dense
