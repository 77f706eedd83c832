#pragma once
// RowSplit: which data rows validate, chosen by row number alone (so it needs no pass over the
// data and no memory): row r when u(r) < validation_split, u uniform in [0, 1) from a hash of r
// and the seed. About validation_split of the rows validate, not exactly that share.
#include <cstddef>
#include <cstdint>

namespace dense::io {

struct RowSplit {
    double validation_split = 0.0;
    std::uint64_t seed = 42;

    bool validates(std::size_t row) const noexcept;
};

}  // namespace dense::io
