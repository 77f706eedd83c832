#include "dense/callbacks/terminate_on_nan.hpp"

#include <cmath>

#include "dense/sequential.hpp"

namespace dense {

template <class T>
void BasicTerminateOnNaN<T>::on_train_batch_end(BasicSequential<T>& model, std::size_t, const Logs& logs) {
    const auto loss = logs.find("loss");
    if (loss != logs.end() && !std::isfinite(loss->second)) model.stop_training = true;
}

template class BasicTerminateOnNaN<float>;
template class BasicTerminateOnNaN<double>;

}  // namespace dense
