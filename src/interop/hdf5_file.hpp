#pragma once
// Hdf5File: the few HDF5 operations Keras' files need, over the HDF5 C library, with every
// failure turned into a dense::DataError naming the file and the object. Files are read from
// disk or from memory (the weights inside a .keras archive) and always written in memory, so the
// caller can store the bytes atomically.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <hdf5.h>

#include "dense/tensor.hpp"

namespace dense::interop {

// An HDF5 identifier closed by the matching H5?close when it goes out of scope.
class Hdf5Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Hdf5Handle() = default;
    Hdf5Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    Hdf5Handle(Hdf5Handle&& other) noexcept;
    Hdf5Handle& operator=(Hdf5Handle&& other) noexcept;
    Hdf5Handle(const Hdf5Handle&) = delete;
    Hdf5Handle& operator=(const Hdf5Handle&) = delete;
    ~Hdf5Handle();
    hid_t get() const noexcept { return id_; }

private:
    hid_t id_ = H5I_INVALID_HID;
    Closer closer_ = nullptr;
};

class Hdf5File {
public:
    static Hdf5File open(const std::filesystem::path& path);
    // `description` names the bytes in error messages ("model.keras!model.weights.h5").
    static Hdf5File open_image(std::string_view bytes, std::string description);
    static Hdf5File create_in_memory(std::string description);

    const std::string& description() const noexcept { return description_; }

    // Object paths are relative to the root: "layers/dense/vars/0".
    bool has(std::string_view path) const;
    std::vector<std::string> children(std::string_view group_path) const;
    Tensor<float> read_dataset(std::string_view path) const;
    bool has_attribute(std::string_view object_path, std::string_view name) const;
    // A string attribute, or the elements of a string-array attribute (fixed or variable length).
    std::vector<std::string> read_strings(std::string_view object_path, std::string_view name) const;
    std::string read_string(std::string_view object_path, std::string_view name) const;

    // Creates the groups on the way as needed.
    void create_group(std::string_view path);
    void write_dataset(std::string_view path, const Tensor<float>& tensor);
    // A variable-length UTF-8 string, as h5py writes a Python str.
    void write_string(std::string_view object_path, std::string_view name, std::string_view value);
    // The whole file as bytes (in-memory files only).
    std::string image();

private:
    Hdf5File(Hdf5Handle file, std::string description) : file_(std::move(file)), description_(std::move(description)) {}
    Hdf5Handle open_object(std::string_view path) const;
    [[noreturn]] void fail(std::string_view what, std::string_view path) const;

    Hdf5Handle file_;
    std::string description_;
};

}  // namespace dense::interop
