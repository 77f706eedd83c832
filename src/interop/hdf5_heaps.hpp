#pragma once
// Checks of an HDF5 file's heaps made before the HDF5 library reads it. The library (1.10, as
// Debian 12 ships it) believes the sizes a heap declares: it allocates a local heap's or a global
// heap collection's declared size whole, and walks a collection by its objects' sizes, looping
// forever on a free space of 0 bytes. dense refuses such a file first.
#include <string>
#include <string_view>

namespace dense::interop {

// Throws DataError naming `description` and the byte where a heap declares what the file cannot hold.
void refuse_damaged_heaps(std::string_view image, const std::string& description);

}  // namespace dense::interop
