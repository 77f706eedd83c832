#pragma once
// Initializer: how a layer's weights start, with Keras' names, formulas and defaults
// (glorot_uniform for kernels, zeros for biases). fan_in/fan_out are the kernel's [inputs, units].
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dense/random.hpp"

namespace dense {

enum class InitializerKind {
    glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal,
    zeros, ones, constant, random_uniform, random_normal, truncated_normal
};

class Initializer {
public:
    Initializer() = default;
    // a, b: the value of `constant` (Keras: 0); low/high for random_uniform (Keras: -0.05, 0.05);
    // mean/stddev for random_normal and truncated_normal (Keras: 0, 0.05). One left out takes
    // Keras' default alone: (random_normal, 1.0) is N(1, 0.05), as Keras' RandomNormal(mean=1.0).
    Initializer(InitializerKind kind, std::optional<double> a = std::nullopt, std::optional<double> b = std::nullopt);
    Initializer(std::string_view name);
    Initializer(const char* name) : Initializer(std::string_view(name)) {}
    Initializer(const std::string& name) : Initializer(std::string_view(name)) {}

    InitializerKind kind() const noexcept { return kind_; }
    double a() const noexcept { return a_; }
    double b() const noexcept { return b_; }
    std::string_view name() const noexcept;
    bool operator==(const Initializer&) const = default;

    template <class T>
    void fill(std::span<T> values, std::size_t fan_in, std::size_t fan_out, Rng& rng) const;

    static std::string_view known_names() noexcept;

private:
    InitializerKind kind_ = InitializerKind::glorot_uniform;
    double a_ = 0.0;
    double b_ = 0.0;
};

namespace initializers {
inline Initializer constant(double value) { return Initializer(InitializerKind::constant, value); }
inline Initializer random_uniform(double low = -0.05, double high = 0.05) {
    return Initializer(InitializerKind::random_uniform, low, high);
}
inline Initializer random_normal(double mean = 0.0, double stddev = 0.05) {
    return Initializer(InitializerKind::random_normal, mean, stddev);
}
inline Initializer truncated_normal(double mean = 0.0, double stddev = 0.05) {
    return Initializer(InitializerKind::truncated_normal, mean, stddev);
}
}  // namespace initializers

}  // namespace dense
