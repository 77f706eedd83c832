#pragma once
// Rng: the one source of randomness in dense (xoshiro256** seeded through splitmix64).
// Every random choice takes one, so a seed fixes initial weights, shuffling and dropout, and the
// sequence is the same on every platform and compiler (no std:: distributions are used).
#include <cstdint>

namespace dense {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0) noexcept;
    std::uint64_t next_u64() noexcept;
    // Uniform in [0, 1) with 53 random bits.
    double uniform() noexcept;
    double uniform(double low, double high) noexcept { return low + (high - low) * uniform(); }
    // Standard normal through Box–Muller: z = sqrt(-2 ln u1) · cos(2π u2).
    double normal() noexcept;
    // Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n) noexcept;
    // An independent generator for a sub-task (a layer, an epoch): same seed → same stream.
    Rng split() noexcept { return Rng(next_u64()); }

private:
    std::uint64_t state_[4];
};

}  // namespace dense
