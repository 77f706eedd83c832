#pragma once
// BasicOptimizer<T>: what every optimizer shares — the learning rate (a constant or a schedule),
// gradient clipping, the step counter and per-parameter state ("slots": Adam's m and v).
// A subclass writes only its update equation.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "dense/layer.hpp"
#include "dense/learning_rate_schedule.hpp"

namespace dense {

// Keras' clipnorm (each gradient's L2 norm), clipvalue (each element) and global_clipnorm
// (the norm of all gradients together); 0 leaves that kind of clipping off.
struct GradientClipping {
    double clipnorm = 0.0;
    double clipvalue = 0.0;
    double global_clipnorm = 0.0;
};

// What a checkpoint needs to continue an optimizer exactly where it stopped.
template <class T>
struct OptimizerState {
    std::int64_t iterations = 0;
    std::vector<double> scalars;           // optimizer-wide values (Nadam's running μ product, Adam's β₁ᵗ and β₂ᵗ)
    std::vector<std::vector<T>> slots;     // slots_per_parameter() per parameter, in order
};

template <class T>
class BasicOptimizer {
public:
    virtual ~BasicOptimizer() = default;
    virtual std::unique_ptr<BasicOptimizer> clone() const = 0;
    // "adam", "sgd", ... as Keras' optimizer identifiers.
    virtual std::string_view name() const noexcept = 0;

    // One training step over every parameter: clip the gradients, then update the values.
    void apply(std::span<const Parameter<T>> parameters);

    double learning_rate() const { return learning_rate_.at(iterations_); }
    void set_learning_rate(LearningRate lr) { learning_rate_ = std::move(lr); }
    const LearningRate& learning_rate_schedule() const noexcept { return learning_rate_; }
    const GradientClipping& clipping() const noexcept { return clipping_; }
    std::int64_t iterations() const noexcept { return iterations_; }

    OptimizerState<T> state() const;
    // The parts of state() without copying them (what a model file writes).
    const std::vector<double>& scalars() const noexcept { return scalars_; }
    const std::vector<std::vector<T>>& slots() const noexcept { return slots_; }
    void set_state(OptimizerState<T> state);
    // Forgets slots and the step count, as a freshly constructed optimizer.
    void reset();
    // The values the optimizer keeps per parameter value (Adam: m and v; SGD without momentum: none).
    virtual std::size_t slots_per_parameter() const noexcept = 0;

protected:
    // Throws UsageError for a negative clipping threshold or more than one kind of clipping.
    BasicOptimizer(LearningRate lr, GradientClipping clipping);
    BasicOptimizer(const BasicOptimizer&) = default;

    // Initial value of every slot element (Adagrad's initial_accumulator_value; 0 otherwise).
    virtual T initial_slot_value(std::size_t /*slot*/) const noexcept { return T(0); }
    // Called once per step, with its learning rate, before the per-parameter updates (Nadam
    // advances its μ product here, Adam makes its step size).
    virtual void begin_step(std::int64_t /*step*/, double /*lr*/) {}
    // w ← update(w, g) for one parameter; `slots` holds slots_per_parameter() spans as long as w.
    // `step` is the 1-based step number t of Keras' equations.
    virtual void update(std::span<T> w, std::span<const T> g, std::span<std::span<T>> slots, double lr,
                        std::int64_t step) = 0;

    std::vector<double> scalars_;

private:
    void clip(std::span<const Parameter<T>> parameters) const;

    LearningRate learning_rate_;
    GradientClipping clipping_;
    bool clips_;  // some kind of clipping is on
    std::int64_t iterations_ = 0;
    std::vector<std::vector<T>> slots_;
};

}  // namespace dense
