#include "interop/hdf5_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "dense/error.hpp"
#include "interop/checked_shape.hpp"
#include "interop/hdf5_heaps.hpp"
#include "io/entire_file.hpp"

namespace dense::interop {

namespace {

// HDF5 prints its own error stack to stderr unless told not to; dense reports errors itself.
void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Hdf5Handle property_list(hid_t kind) { return {H5Pcreate(kind), H5Pclose}; }

// File access for reading: closing the file closes every object of it too, so an identifier the
// library keeps open on an error path of a damaged file cannot keep the file (and its caches) alive.
Hdf5Handle reading_access() {
    auto access = property_list(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG);
    return access;
}

std::string joined(std::string_view a, std::string_view b) {
    return a.empty() ? std::string(b) : std::string(a) + "/" + std::string(b);
}

// "layers/dense@weight_names": an attribute as error messages name it.
std::string attribute_path(std::string_view object_path, std::string_view name) {
    std::string path(object_path);
    path.append("@").append(name);
    return path;
}

// The most elements a dataset's stored bytes can hold: its bytes over its element size, times
// deflate's largest compression ratio (1032:1) when a filter compresses it.
std::size_t elements_stored(const Hdf5Handle& dataset) {
    constexpr std::size_t kLargestCompressionRatio = 1032;
    Hdf5Handle type(H5Dget_type(dataset.get()), H5Tclose);
    Hdf5Handle creation(H5Dget_create_plist(dataset.get()), H5Pclose);
    const std::size_t element_bytes = std::max<std::size_t>(H5Tget_size(type.get()), 1);
    const std::size_t elements = static_cast<std::size_t>(H5Dget_storage_size(dataset.get())) / element_bytes;
    return H5Pget_nfilters(creation.get()) > 0 ? elements * kLargestCompressionRatio : elements;
}

std::string file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in && !in.eof()) throw DataError(path.string() + ": cannot read the file");
    return std::move(bytes).str();
}

}  // namespace

Hdf5Handle::Hdf5Handle(Hdf5Handle&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}

Hdf5Handle& Hdf5Handle::operator=(Hdf5Handle&& other) noexcept {
    std::swap(id_, other.id_);
    std::swap(closer_, other.closer_);
    return *this;
}

Hdf5Handle::~Hdf5Handle() {
    if (id_ >= 0 && closer_) closer_(id_);
}

Hdf5File Hdf5File::open(const std::filesystem::path& path) {
    silence_hdf5_errors();
    io::require_file(path);
    refuse_damaged_heaps(file_bytes(path), path.string());
    Hdf5Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, reading_access().get()), H5Fclose);
    if (file.get() < 0) throw DataError(path.string() + ": not an HDF5 file (or unreadable); Keras writes .h5 files in HDF5");
    return Hdf5File(std::move(file), path.string());
}

Hdf5File Hdf5File::open_image(std::string_view bytes, std::string description) {
    silence_hdf5_errors();
    refuse_damaged_heaps(bytes, description);
    auto access = reading_access();
    H5Pset_fapl_core(access.get(), 1 << 16, 0);
    // H5Pset_file_image copies the buffer, so `bytes` need not outlive the file.
    H5Pset_file_image(access.get(), const_cast<char*>(bytes.data()), bytes.size());
    Hdf5Handle file(H5Fopen(description.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose);
    if (file.get() < 0) throw DataError(description + ": not an HDF5 file");
    return Hdf5File(std::move(file), std::move(description));
}

Hdf5File Hdf5File::create_in_memory(std::string description) {
    silence_hdf5_errors();
    auto access = property_list(H5P_FILE_ACCESS);
    H5Pset_fapl_core(access.get(), 1 << 16, 0);
    Hdf5Handle file(H5Fcreate(description.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose);
    if (file.get() < 0) throw Error(description + ": could not create an HDF5 file in memory");
    return Hdf5File(std::move(file), std::move(description));
}

void Hdf5File::fail(std::string_view what, std::string_view path) const {
    throw DataError(description_ + ": " + std::string(what) + " '" + std::string(path) + "'");
}

bool Hdf5File::has(std::string_view path) const {
    // H5Lexists needs every parent to exist, so walk down one name at a time.
    std::string prefix;
    for (std::size_t start = 0; start <= path.size();) {
        const auto end = std::min(path.find('/', start), path.size());
        prefix = joined(prefix, path.substr(start, end - start));
        if (H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        start = end + 1;
    }
    return true;
}

Hdf5Handle Hdf5File::open_object(std::string_view path) const {
    const std::string name = path.empty() ? "/" : std::string(path);
    if (!path.empty() && !has(path)) fail("missing HDF5 object", path);
    Hdf5Handle object(H5Oopen(file_.get(), name.c_str(), H5P_DEFAULT), H5Oclose);
    if (object.get() < 0) fail("cannot open HDF5 object", path);
    return object;
}

std::vector<std::string> Hdf5File::children(std::string_view group_path) const {
    const auto group = open_object(group_path);
    H5G_info_t info;
    if (H5Gget_info(group.get(), &info) < 0) fail("not an HDF5 group", group_path);
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const auto size = H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (size < 0) fail("cannot read the names of the links in group", group_path);
        std::string name(static_cast<std::size_t>(size), '\0');
        if (H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT) < 0)
            fail("cannot read the names of the links in group", group_path);
        names.push_back(std::move(name));
    }
    return names;
}

Tensor<float> Hdf5File::read_dataset(std::string_view path) const {
    const auto object = open_object(path);
    Hdf5Handle space(H5Dget_space(object.get()), H5Sclose);
    if (space.get() < 0) fail("expected a dataset (numbers) at", path);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::vector<std::size_t> shape(dims.begin(), dims.end());
    const std::size_t count = checked_element_count(shape, elements_stored(object), description_ + ": dataset '" + std::string(path) + "'");
    Tensor<float> tensor(std::move(shape), std::vector<float>(count));
    // HDF5 converts float64, float16 or integer data to float32 as it reads.
    if (H5Dread(object.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, tensor.values.data()) < 0)
        fail("cannot read numbers from dataset", path);
    return tensor;
}

bool Hdf5File::has_attribute(std::string_view object_path, std::string_view name) const {
    const auto object = open_object(object_path);
    return H5Aexists(object.get(), std::string(name).c_str()) > 0;
}

std::vector<std::string> Hdf5File::read_strings(std::string_view object_path, std::string_view name) const {
    const std::string where = attribute_path(object_path, name);
    if (!has_attribute(object_path, name)) fail("missing HDF5 attribute", where);
    const auto object = open_object(object_path);
    Hdf5Handle attribute(H5Aopen(object.get(), std::string(name).c_str(), H5P_DEFAULT), H5Aclose);
    Hdf5Handle type(H5Aget_type(attribute.get()), H5Tclose);
    Hdf5Handle space(H5Aget_space(attribute.get()), H5Sclose);
    // Every element takes at least one stored byte.
    const auto count = static_cast<std::size_t>(std::max<hssize_t>(H5Sget_simple_extent_npoints(space.get()), 0));
    if (count > H5Aget_storage_size(attribute.get()))
        fail("declares more strings than it stores in attribute", where);
    // h5py writes an empty list of names as an empty float64 array.
    if (count == 0) return {};
    if (H5Tget_class(type.get()) != H5T_STRING) fail("expected a string attribute", where);
    std::vector<std::string> strings;
    if (H5Tis_variable_str(type.get()) > 0) {
        Hdf5Handle memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memory_type.get(), H5T_VARIABLE);
        H5Tset_cset(memory_type.get(), H5Tget_cset(type.get()));
        std::vector<char*> pointers(count, nullptr);
        if (H5Aread(attribute.get(), memory_type.get(), pointers.data()) < 0) fail("cannot read attribute", where);
        for (char* p : pointers) strings.emplace_back(p ? p : "");
        H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, pointers.data());
    } else {
        const std::size_t width = H5Tget_size(type.get());
        std::string buffer(width * count, '\0');
        if (H5Aread(attribute.get(), type.get(), buffer.data()) < 0) fail("cannot read attribute", where);
        for (std::size_t i = 0; i < count; ++i) {
            std::string s = buffer.substr(i * width, width);
            s.erase(s.find_last_not_of('\0') + 1);
            strings.push_back(std::move(s));
        }
    }
    return strings;
}

std::string Hdf5File::read_string(std::string_view object_path, std::string_view name) const {
    auto strings = read_strings(object_path, name);
    if (strings.size() != 1) fail("expected a single string in attribute", attribute_path(object_path, name));
    return strings.front();
}

void Hdf5File::create_group(std::string_view path) {
    if (has(path)) return;
    auto links = property_list(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(links.get(), 1);
    Hdf5Handle group(H5Gcreate2(file_.get(), std::string(path).c_str(), links.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
    if (group.get() < 0) fail("cannot create group", path);
}

void Hdf5File::write_dataset(std::string_view path, const Tensor<float>& tensor) {
    const std::vector<hsize_t> dims(tensor.shape.begin(), tensor.shape.end());
    Hdf5Handle space(dims.empty() ? H5Screate(H5S_SCALAR) : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     H5Sclose);
    auto links = property_list(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(links.get(), 1);
    Hdf5Handle dataset(H5Dcreate2(file_.get(), std::string(path).c_str(), H5T_IEEE_F32LE, space.get(), links.get(),
                                  H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
    if (dataset.get() < 0 ||
        H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, tensor.values.data()) < 0)
        fail("cannot write dataset", path);
}

void Hdf5File::write_string(std::string_view object_path, std::string_view name, std::string_view value) {
    const auto object = open_object(object_path);
    Hdf5Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    Hdf5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Hdf5Handle attribute(H5Acreate2(object.get(), std::string(name).c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose);
    const std::string text(value);
    const char* pointer = text.c_str();
    if (attribute.get() < 0 || H5Awrite(attribute.get(), type.get(), &pointer) < 0)
        fail("cannot write attribute", attribute_path(object_path, name));
}

std::string Hdf5File::image() {
    H5Fflush(file_.get(), H5F_SCOPE_GLOBAL);
    const auto size = H5Fget_file_image(file_.get(), nullptr, 0);
    if (size < 0) throw Error(description_ + ": cannot take the HDF5 file's image");
    std::string bytes(static_cast<std::size_t>(size), '\0');
    H5Fget_file_image(file_.get(), bytes.data(), bytes.size());
    return bytes;
}

}  // namespace dense::interop
