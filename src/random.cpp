#include "dense/random.hpp"

#include <cmath>
#include <numbers>

namespace dense {

namespace {

// splitmix64: spreads one seed over the four words of xoshiro's state.
std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) noexcept {
    for (auto& word : state_) word = splitmix64(seed);
}

// xoshiro256**: result = rotl(s₁·5, 7)·9, then the state advances.
std::uint64_t Rng::next_u64() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
}

double Rng::uniform() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::normal() noexcept {
    const double u1 = 1.0 - uniform();  // in (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// Rejection sampling: draws below 2⁶⁴ mod n are redrawn, so x mod n is exactly uniform.
std::uint64_t Rng::below(std::uint64_t n) noexcept {
    const std::uint64_t threshold = (0 - n) % n;
    std::uint64_t x = next_u64();
    while (x < threshold) x = next_u64();
    return x % n;
}

}  // namespace dense
