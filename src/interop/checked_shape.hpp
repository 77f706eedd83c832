#pragma once
// Shapes read from a file are checked before anything is allocated for them: a product of
// dimensions that overflows, or that declares more numbers than the file's bytes can hold,
// is a DataError naming the tensor, never a wrapped-around count or a std::bad_alloc.
#include <cstddef>
#include <string>
#include <vector>

namespace dense::interop {

// Π shape, refused when it overflows std::size_t or exceeds `available` (the most elements the
// stored data can hold). `where` names the file and the tensor.
std::size_t checked_element_count(const std::vector<std::size_t>& shape, std::size_t available, const std::string& where);

}  // namespace dense::interop
