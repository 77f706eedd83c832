#pragma once
// average_networks: K networks of Dense layers averaged into one network, exactly. For inputs x,
//   merged(x) = (1/K) Σₖ networkₖ(x)                       (before the last layer's activation)
// made by putting the K networks' hidden layers side by side:
//   first layer   W = [W₁ | W₂ | … | W_K]       (the inputs feed every member's units), b = [b₁ … b_K]
//   middle layers W = diag(W₁, …, W_K)          (block-diagonal: each member's units see only its own)
//   last layer    W = [W₁; W₂; …; W_K] / K      (the members' outputs summed and divided by K),
//                 b = (1/K) Σₖ bₖ
// With no hidden layer the average of linear models is one linear model: W = (1/K) Σₖ Wₖ.
// The last layer's activation is applied after the average: a classifier's softmax (or sigmoid)
// then acts on the mean of the members' logits, i.e. the pre-softmax outputs are averaged, not the
// probabilities. The hidden activations must act element by element (not softmax).
//
//   Sequential one = dense::tune::average_networks({a, b, c});   // one Dense network, 3× as wide
#include <cstddef>
#include <string>
#include <vector>

#include "dense/sequential.hpp"

namespace dense::tune {

// The members must be built networks of Dense layers with the same number of layers, inputs,
// outputs and activations; the result is compiled as the first member is (a fresh optimizer) and
// named "average_of_K_networks"; one network is returned as it is. Throws UsageError otherwise.
Sequential average_networks(const std::vector<Sequential>& members);

// "5 × 64 relu averaged into one network of 320 units", or for no hidden layer "linear model
// averaged over 5 seeds"; `name` alone for one member. `merged` is the averaged network.
std::string averaged_name(const std::string& name, std::size_t members, const Sequential& merged);

}  // namespace dense::tune
