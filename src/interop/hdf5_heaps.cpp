#include "interop/hdf5_heaps.hpp"

#include <cstdint>

#include "dense/error.hpp"

namespace dense::interop {

namespace {

std::uint64_t little_endian(std::string_view bytes, std::size_t at, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = width; i-- > 0;) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

[[noreturn]] void refuse(const std::string& description, const std::string& what, std::size_t at) {
    throw DataError(description + ": damaged HDF5 file: " + what + " at byte " + std::to_string(at) +
                    "; save the model again from Keras");
}

// The superblock's size of lengths (bytes of each declared size), or 0 when there is no
// superblock at byte 0 (the signature, then the version; versions 0 and 1 give the size at byte
// 14, versions 2 and 3 at byte 10).
std::size_t size_of_lengths(std::string_view image) {
    constexpr std::string_view kSignature{"\x89HDF\r\n\x1a\n", 8};
    if (image.size() < 16 || image.substr(0, 8) != kSignature) return 0;
    const auto version = static_cast<unsigned char>(image[8]);
    return static_cast<unsigned char>(image[version <= 1 ? 14 : 10]);
}

// Global heap collection: "GCOL", version 1, 3 reserved bytes, its size; then objects, each a
// 16-byte header (2-byte index, 2-byte reference count, 4 reserved, 8-byte size) and its data
// padded to 8. Walked as the library walks it: an object moves on by header + padded size, the
// free space (index 0) by its own size.
void check_global_heap(std::string_view image, std::size_t at, const std::string& description) {
    constexpr std::size_t kHeader = 16, kObjectHeader = 16;
    const std::uint64_t size = little_endian(image, at + 8, 8);
    if (size > image.size() - at)
        refuse(description, "a global heap declares " + std::to_string(size) + " bytes, past the end of the file,", at);
    const std::size_t end = at + size;
    for (std::size_t object = at + kHeader; object + kObjectHeader <= end;) {
        const auto index = little_endian(image, object, 2);
        const auto object_size = little_endian(image, object + 8, 8);
        const std::uint64_t need = index > 0 ? kObjectHeader + ((object_size + 7) & ~std::uint64_t{7}) : object_size;
        if (need == 0 || object_size > end - object)
            refuse(description, "the global heap at byte " + std::to_string(at) + " holds an object of impossible size " +
                                    std::to_string(object_size),
                   object);
        object += need;
    }
}

// Local heap: "HEAP", version 0, 3 reserved bytes, then its data segment's size.
void check_local_heap(std::string_view image, std::size_t at, const std::string& description) {
    const std::uint64_t size = little_endian(image, at + 8, 8);
    if (size > image.size())
        refuse(description, "a local heap declares " + std::to_string(size) + " bytes, more than the whole file,", at);
}

template <class Check>
void check_each(std::string_view image, std::string_view signature, Check check) {
    constexpr std::size_t kHeader = 16;
    for (auto at = image.find(signature); at != std::string_view::npos && at + kHeader <= image.size();
         at = image.find(signature, at + 1))
        check(at);
}

}  // namespace

void refuse_damaged_heaps(std::string_view image, const std::string& description) {
    // Sizes are read as 8 bytes, h5py's and the library's default; other files are left to the library.
    if (size_of_lengths(image) != 8) return;
    check_each(image, {"GCOL\x01\0\0\0", 8}, [&](std::size_t at) { check_global_heap(image, at, description); });
    check_each(image, {"HEAP\0\0\0\0", 8}, [&](std::size_t at) { check_local_heap(image, at, description); });
}

}  // namespace dense::interop
