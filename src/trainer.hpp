#pragma once
// BasicSequential<T>::Trainer: what fit() keeps between steps (see trainer.cpp).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "dense/error.hpp"

#include "dense/layers/dense.hpp"
#include "dense/sequential.hpp"
#include "metric.hpp"

namespace dense {
namespace detail {

// A callback that compiles, rebuilds or fits the model again leaves the fit that called it on
// buffers that are gone or hold another fit's rows: that fit stops with this error.
template <class Trainer>
void require_same_fit(const std::unique_ptr<Trainer>& trainer, std::uint64_t fit) {
    if (!trainer || trainer->fit != fit)
        throw UsageError("fit: a callback compiled, rebuilt or fitted the model while fit was running; do that after "
                         "fit returns (set model.stop_training to end it early)");
}

// Per-epoch random stream: the same (seed, epoch) always shuffles and drops out the same way,
// which is what makes a resumed run identical to an uninterrupted one.
inline Rng epoch_rng(std::uint64_t seed, int epoch) { return Rng(seed ^ (0x9e3779b97f4a7c15ULL * std::uint64_t(epoch + 1))); }

}  // namespace detail

// The buffers and caches of training, kept between steps so a step does not allocate.
template <class T>
struct BasicSequential<T>::Trainer {
    std::vector<Parameter<T>> parameters;  // of the trainable layers
    std::vector<bool> trainable;           // per layer, when the trainer was made
    std::size_t lowest_trainable = 0;      // the backward pass stops there (the layer count: none)
    std::vector<detail::Metric> metrics;
    std::vector<std::size_t> base_order;  // the training rows, in data order
    std::vector<std::size_t> order;       // the same, shuffled for the current epoch
    Logs logs;                            // reused each epoch: updating known keys does not allocate
    std::uint64_t fit = 0;                // the id of the fit() running on it (from fits_started)
    double* loss_log = nullptr;           // logs["loss"], found once a fit (map entries stay put)
    std::vector<double*> metric_logs;     // logs[name] of each metric, the same way
    Matrix<T> batch_x, batch_y, loss_gradient;
    Matrix<T> probabilities;              // the output of a fused softmax/sigmoid
    Matrix<T> validation_x, validation_y;
    bool has_validation = false;          // some process has validation rows
    std::vector<BasicDense<T>*> dense;    // per layer: the layer, if it is a Dense, else null
    std::vector<std::size_t> regularized; // the parameters with an L1 or L2 penalty
    bool only_dense = true;               // no layer draws random numbers (Dense layers never do)
    Rng epoch_rng;                        // the epoch's random stream, seeded only when drawn from
    bool fused_output = false;            // softmax/sigmoid + cross-entropy computed from logits
    Loss fused_loss;
    // Data-parallel training (FitOptions::data_parallel): base_order and order then hold global
    // row numbers, of which this process has [first_row, first_row + x.rows()).
    DataParallel* parallel = nullptr;
    std::size_t first_row = 0;
    std::vector<std::size_t> local_batch;  // this process's rows of the current global batch
    std::vector<T> gradient_sums;          // every gradient, then the batch's loss sum: one message
};

}  // namespace dense
