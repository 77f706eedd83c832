// The memory fit() is about to allocate (see training_memory.hpp).
#include "training_memory.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "dense/error.hpp"
#include "dense/memory.hpp"

namespace dense {
namespace {

std::uint64_t bytes_of(double values, std::size_t value_size) {
    const double bytes = values * double(value_size);
    return bytes >= 1.8e19 ? std::uint64_t(-1) : static_cast<std::uint64_t>(bytes);
}

}  // namespace

template <class T>
void require_memory_for_fit(const BasicSequential<T>& model, std::size_t rows, std::size_t target_width,
                            const FitOptions<T>& options) {
    const double batch = double(std::min(options.batch_size, rows));
    double values = 0;
    if (model.optimizer().iterations() == 0)
        values += double(model.parameter_count()) * double(model.optimizer().slots_per_parameter());
    // per layer: its output and the gradient there, and the gradient at its input
    for (std::size_t l = 0; l < model.layer_count(); ++l)
        values += batch * (2.0 * double(model.layer(l).output_dim()) + double(model.layer(l).input_dim()));
    values += std::floor(double(rows) * options.validation_split) * double(model.input_dim() + target_width);
    if (const auto shortfall = memory_shortfall(bytes_of(values, sizeof(T))))
        throw UsageError("fit: training " + *shortfall + " (the optimizer's state, and the outputs and gradients of " +
                         "every layer for a batch of " + std::to_string(std::size_t(batch)) +
                         " rows); use a smaller batch_size or fewer units");
}

template void require_memory_for_fit<float>(const BasicSequential<float>&, std::size_t, std::size_t,
                                            const FitOptions<float>&);
template void require_memory_for_fit<double>(const BasicSequential<double>&, std::size_t, std::size_t,
                                             const FitOptions<double>&);

}  // namespace dense
