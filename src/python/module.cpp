// dense._core: the compiled half of the `dense` Python package (python/dense/). Models of both
// dtypes (Model32, Model64), their callbacks, model files, exceptions and the thread count.
#include <nanobind/nanobind.h>
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/string.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "arrays.hpp"
#include "callbacks.hpp"
#include "dense/error.hpp"
#include "dense/interop/keras.hpp"
#include "dense/interop/onnx.hpp"
#include "dense/io/model_file.hpp"
#include "dense/threads.hpp"
#include "errors.hpp"
#include "model.hpp"
#include "specs.hpp"

namespace dense::python {
namespace {

using namespace nb::literals;

template <class T>
nb::object wrap(BasicSequential<T>&& model) {
    return nb::cast(new Model<T>(std::move(model)), nb::rv_policy::take_ownership);
}

// A .dense file or its bytes hold a float32 or a float64 model: float32 is tried first, as the
// command line does; when neither reads, the float32 attempt's message says why.
template <class Load>
nb::object load_either_dtype(Load&& load) {
    std::optional<BasicSequential<float>> as_float;
    std::optional<BasicSequential<double>> as_double;
    {
        nb::gil_scoped_release released;
        try {
            as_float.emplace(load.template operator()<float>());
        } catch (const DataError& float_error) {
            try {
                as_double.emplace(load.template operator()<double>());
            } catch (const DataError&) {
                throw float_error;
            }
        }
    }
    return as_float ? wrap(std::move(*as_float)) : wrap(std::move(*as_double));
}

nb::object load_dense(const std::filesystem::path& path, bool compile) {
    return load_either_dtype([&]<class T>() { return io::load_model<T>(path, {.compile = compile}).model; });
}

nb::object from_bytes(const nb::bytes& bytes, const std::string& source) {
    const std::span<const std::byte> view(static_cast<const std::byte*>(bytes.data()), bytes.size());
    return load_either_dtype([&]<class T>() { return io::deserialize_model<T>(view, source).model; });
}

template <class Load>
nb::object load_float32(Load&& load) {
    std::optional<Sequential> model;
    {
        nb::gil_scoped_release released;
        model.emplace(load());
    }
    return wrap(std::move(*model));
}

}  // namespace

}  // namespace dense::python

NB_MODULE(_core, m) {
    using namespace dense::python;
    using namespace nb::literals;
    m.doc() = "dense's C++ core; use the `dense` package, which wraps it";
    bind_errors(m);
    bind_callbacks<float>(m, "32");
    bind_callbacks<double>(m, "64");
    bind_model<float>(m, "32");
    bind_model<double>(m, "64");
    m.def("load_dense", &load_dense, "path"_a, "compile"_a);
    m.def("from_bytes", &from_bytes, "data"_a, "source"_a);
    // A layer's spec checked by building the layer: unknown names are errors where the layer is made.
    m.def("check_layer", [](const nb::dict& spec) { layer_from<float>(spec); }, "spec"_a);
    m.def("load_keras", [](const std::filesystem::path& path) { return load_float32([&] { return dense::keras::load_model(path); }); });
    m.def("load_onnx", [](const std::filesystem::path& path) { return load_float32([&] { return dense::onnx::load(path); }); });
    // For the tests: where the memory dense reads for x is (x's own when nothing is copied).
    m.def("input_address", [](const InputArray<float>& x) { return std::uintptr_t(borrow(x).data()); }, "x"_a.noconvert());
    m.def("input_address", [](const InputArray<double>& x) { return std::uintptr_t(borrow(x).data()); }, "x"_a.noconvert());
    m.def("num_threads", [] { return dense::num_threads(); });
    m.def("set_num_threads", [](std::size_t count) { dense::set_num_threads(count); }, "count"_a);
}
