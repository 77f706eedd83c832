#include "interop/checked_shape.hpp"

#include <limits>

#include "dense/error.hpp"
#include "dense/tensor.hpp"

namespace dense::interop {

std::size_t checked_element_count(const std::vector<std::size_t>& shape, std::size_t available, const std::string& where) {
    std::size_t count = 1;
    for (const auto d : shape) {
        if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d)
            throw DataError(where + ": shape " + shape_string(shape) + " declares more numbers than a computer can address");
        count *= d;
    }
    if (count > available)
        throw DataError(where + ": shape " + shape_string(shape) + " declares " + std::to_string(count) +
                        " numbers, but the file holds data for at most " + std::to_string(available));
    return count;
}

}  // namespace dense::interop
