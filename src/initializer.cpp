#include "dense/initializer.hpp"

#include <array>
#include <cmath>
#include <string>

#include "dense/error.hpp"

namespace dense {

namespace {

struct NamedInitializer {
    std::string_view name;
    InitializerKind kind;
    double a, b;  // the defaults Keras gives the parameters
};

constexpr std::array kInitializerNames{
    NamedInitializer{"glorot_uniform", InitializerKind::glorot_uniform, 0, 0},
    NamedInitializer{"glorot_normal", InitializerKind::glorot_normal, 0, 0},
    NamedInitializer{"he_uniform", InitializerKind::he_uniform, 0, 0},
    NamedInitializer{"he_normal", InitializerKind::he_normal, 0, 0},
    NamedInitializer{"lecun_uniform", InitializerKind::lecun_uniform, 0, 0},
    NamedInitializer{"lecun_normal", InitializerKind::lecun_normal, 0, 0},
    NamedInitializer{"zeros", InitializerKind::zeros, 0, 0},
    NamedInitializer{"ones", InitializerKind::ones, 0, 0},
    NamedInitializer{"constant", InitializerKind::constant, 0, 0},
    NamedInitializer{"random_uniform", InitializerKind::random_uniform, -0.05, 0.05},
    NamedInitializer{"random_normal", InitializerKind::random_normal, 0.0, 0.05},
    NamedInitializer{"truncated_normal", InitializerKind::truncated_normal, 0.0, 0.05},
};

// A truncated normal draw: redrawn until within two standard deviations of the mean.
double truncated_normal(Rng& rng) {
    for (;;) {
        const double z = rng.normal();
        if (std::abs(z) <= 2.0) return z;
    }
}

// Keras' VarianceScaling with a truncated normal divides the deviation by the standard
// deviation of a unit normal truncated to [−2, 2], so the drawn values keep the wanted variance.
constexpr double kTruncatedStddev = 0.87962566103423978;

struct Scaling {
    double scale;
    bool fan_average;  // fan = (fan_in + fan_out) / 2, else fan_in
    bool uniform;
};

Scaling variance_scaling(InitializerKind kind) {
    switch (kind) {
        case InitializerKind::glorot_uniform: return {1.0, true, true};
        case InitializerKind::glorot_normal: return {1.0, true, false};
        case InitializerKind::he_uniform: return {2.0, false, true};
        case InitializerKind::he_normal: return {2.0, false, false};
        case InitializerKind::lecun_uniform: return {1.0, false, true};
        default: return {1.0, false, false};  // lecun_normal
    }
}

}  // namespace

Initializer::Initializer(InitializerKind kind, std::optional<double> a, std::optional<double> b) : kind_(kind) {
    for (const auto& entry : kInitializerNames)
        if (entry.kind == kind) a_ = a.value_or(entry.a), b_ = b.value_or(entry.b);
}

Initializer::Initializer(std::string_view name) {
    for (const auto& entry : kInitializerNames) {
        if (entry.name == name) {
            kind_ = entry.kind;
            a_ = entry.a;
            b_ = entry.b;
            return;
        }
    }
    throw UsageError("unknown initializer '" + std::string(name) + "'; use one of: " + std::string(known_names()));
}

std::string_view Initializer::name() const noexcept {
    for (const auto& entry : kInitializerNames)
        if (entry.kind == kind_) return entry.name;
    return "glorot_uniform";
}

std::string_view Initializer::known_names() noexcept {
    return "glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, zeros, ones, "
           "constant, random_uniform, random_normal, truncated_normal";
}

template <class T>
void Initializer::fill(std::span<T> values, std::size_t fan_in, std::size_t fan_out, Rng& rng) const {
    switch (kind_) {
        case InitializerKind::zeros:
            for (auto& v : values) v = T(0);
            return;
        case InitializerKind::ones:
            for (auto& v : values) v = T(1);
            return;
        case InitializerKind::constant:
            for (auto& v : values) v = T(a_);
            return;
        case InitializerKind::random_uniform:  // U(low, high)
            for (auto& v : values) v = T(rng.uniform(a_, b_));
            return;
        case InitializerKind::random_normal:  // N(mean, stddev)
            for (auto& v : values) v = T(a_ + b_ * rng.normal());
            return;
        case InitializerKind::truncated_normal:  // N(mean, stddev) redrawn beyond 2·stddev
            for (auto& v : values) v = T(a_ + b_ * truncated_normal(rng));
            return;
        default: break;
    }
    const Scaling s = variance_scaling(kind_);
    const double fan = std::max(1.0, s.fan_average ? (double(fan_in) + double(fan_out)) / 2.0 : double(fan_in));
    if (s.uniform) {  // U(−limit, limit), limit = √(3·scale / fan)
        const double limit = std::sqrt(3.0 * s.scale / fan);
        for (auto& v : values) v = T(rng.uniform(-limit, limit));
    } else {  // truncated N(0, σ), σ = √(scale / fan) / 0.8796…
        const double stddev = std::sqrt(s.scale / fan) / kTruncatedStddev;
        for (auto& v : values) v = T(stddev * truncated_normal(rng));
    }
}

template void Initializer::fill<float>(std::span<float>, std::size_t, std::size_t, Rng&) const;
template void Initializer::fill<double>(std::span<double>, std::size_t, std::size_t, Rng&) const;

}  // namespace dense
