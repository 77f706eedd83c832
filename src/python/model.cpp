// _core.Model32 / Model64: BasicSequential<T> for the Python package. The Keras-shaped API
// (argument names, defaults, pandas, dtype conversions) is python/dense/models.py; this file
// moves arrays in and out without copies and calls the C++ model with the GIL released.
#include <nanobind/nanobind.h>
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "callbacks.hpp"
#include "dense/error.hpp"
#include "dense/interop/keras.hpp"
#include "dense/interop/onnx.hpp"
#include "dense/io/model_file.hpp"
#include "model.hpp"
#include "python_stdout.hpp"
#include "specs.hpp"

namespace dense::python {
namespace {

using namespace nb::literals;

template <class T>
using Callbacks = std::vector<std::shared_ptr<BasicCallback<T>>>;
template <class T>
using ValidationArrays = std::optional<std::pair<InputArray<T>, InputArray<T>>>;

template <class T>
nb::tuple fit(Model<T>& model, const InputArray<T>& x, const InputArray<T>& y, int epochs, std::size_t batch_size,
              bool shuffle, double validation_split, const ValidationArrays<T>& validation_data, int initial_epoch,
              Callbacks<T> callbacks, int verbose, std::optional<std::uint64_t> seed, bool shuffle_validation_split) {
    if (on_main_thread()) callbacks.push_back(std::make_shared<SignalCheck<T>>());
    FitOptions<T> options{.epochs = epochs,
                          .batch_size = batch_size,
                          .shuffle = shuffle,
                          .validation_split = validation_split,
                          .initial_epoch = initial_epoch,
                          .callbacks = callbacks,
                          .verbose = verbose,
                          .seed = seed,
                          .shuffle_validation_split = shuffle_validation_split};
    if (validation_data) options.validation_data.emplace(borrow(validation_data->first), borrow(validation_data->second));
    const Matrix<T> features = borrow(x), targets = borrow(y);
    const StdoutToPython redirect(verbose != 0);
    const History history = run_released(model, [&](BasicSequential<T>& net) {
        return net.fit(features, targets, std::move(options));
    });
    return nb::make_tuple(history.epoch, history.history);
}

template <class T>
Logs evaluate(Model<T>& model, const InputArray<T>& x, const InputArray<T>& y, std::size_t batch_size, int verbose) {
    const Matrix<T> features = borrow(x), targets = borrow(y);
    const StdoutToPython redirect(verbose != 0);
    return run_released(model, [&](BasicSequential<T>& net) {
        return net.evaluate(features, targets, {.batch_size = batch_size, .verbose = verbose});
    });
}

template <class T>
NumpyArray<T> predict(Model<T>& model, const InputArray<T>& x, std::size_t batch_size, int verbose) {
    const Matrix<T> features = borrow(x);
    const StdoutToPython redirect(verbose != 0);
    Matrix<T> predictions = run_released(model, [&](BasicSequential<T>& net) {
        return net.predict(features, {.batch_size = batch_size, .verbose = verbose});
    });
    return to_numpy(std::move(predictions));
}

// Predictions written straight into the caller's array, which must have their shape.
template <class T>
void predict_into(Model<T>& model, const InputArray<T>& x, OutputArray<T>& out, std::size_t batch_size, int verbose) {
    const Matrix<T> features = borrow(x);
    Matrix<T> into = borrow(out);
    const StdoutToPython redirect(verbose != 0);
    run_released(model, [&](BasicSequential<T>& net) {
        if (out.shape(0) != x.shape(0) || out.shape(1) != net.output_dim())
            throw DataError("predict: `out` has shape (" + std::to_string(out.shape(0)) + ", " +
                            std::to_string(out.shape(1)) + ") but the predictions have shape (" +
                            std::to_string(x.shape(0)) + ", " + std::to_string(net.output_dim()) + ")");
        net.predict_into(features, into, {.batch_size = batch_size, .verbose = verbose});
    });
}

template <class T>
std::vector<Tensor<T>> to_tensors(const std::vector<WeightArray<T>>& arrays) {
    std::vector<Tensor<T>> tensors;
    tensors.reserve(arrays.size());
    for (const auto& array : arrays) tensors.push_back(to_tensor(array));
    return tensors;
}

template <class T>
nb::dict layer_info(Model<T>& model, std::size_t index) {
    const std::unique_ptr<Layer<T>> layer = run_released(model, [&](BasicSequential<T>& net) {
        return net.layer(index).clone();
    });
    nb::dict info = layer_spec(*layer);
    info["built"] = layer->built();
    info["input_dim"] = layer->built() ? layer->input_dim() : layer->declared_input_dim();
    info["output_dim"] = layer->output_dim();
    info["params"] = layer->parameter_count();
    return info;
}

template <class T>
void compile(Model<T>& model, const nb::dict& optimizer, const nb::dict& loss, std::vector<std::string> metrics) {
    const auto chosen = optimizer_from<T>(optimizer);
    const Loss chosen_loss = loss_from(loss);
    run_released(model, [&](BasicSequential<T>& net) { net.compile(*chosen, chosen_loss, std::move(metrics)); });
}

template <class T>
nb::dict optimizer_info(Model<T>& model) {
    const auto optimizer = run_released(model, [](BasicSequential<T>& net) { return net.optimizer().clone(); });
    nb::dict info = optimizer_spec(*optimizer);
    info["iterations"] = optimizer->iterations();
    return info;
}

template <class T>
nb::bytes to_bytes(Model<T>& model) {
    const std::vector<std::byte> bytes = run_released(model, [](BasicSequential<T>& net) {
        return io::serialize_model(net);
    });
    return nb::bytes(bytes.data(), bytes.size());
}

// Keras and ONNX files hold float32 models.
template <class T>
void require_float32(const char* what) {
    if constexpr (!std::is_same_v<T, float>)
        throw UsageError(std::string(what) + " holds a float32 model; this model is float64 (build it with "
                         "dtype=\"float32\" to save it this way, or save it as .dense)");
}

// format: "dense", "keras" (.keras archive), "keras_weights" (.weights.h5) or "onnx".
template <class T>
void save(Model<T>& model, const std::filesystem::path& path, const std::string& format) {
    run_released(model, [&](BasicSequential<T>& net) {
        if (format == "dense") return io::save_model(net, path);
        if constexpr (std::is_same_v<T, float>) {
            if (format == "keras") return keras::save_model(net, path);
            if (format == "keras_weights") return keras::save_weights(net, path);
            if (format == "onnx") return onnx::save(net, path);
        } else {
            require_float32<T>(format == "onnx" ? "an ONNX file" : "a Keras file");
        }
        throw UsageError("unknown model format '" + format + "'; use dense, keras, keras_weights or onnx");
    });
}

template <class T>
void load_keras_weights(Model<T>& model, const std::filesystem::path& path) {
    run_released(model, [&](BasicSequential<T>& net) {
        if constexpr (std::is_same_v<T, float>) keras::load_weights(net, path);
        else require_float32<T>("a Keras weights file");
    });
}

}  // namespace

template <class T>
void bind_model(nb::module_& m, const std::string& suffix) {
    using M = Model<T>;
    nb::class_<M>(m, ("Model" + suffix).c_str())
        .def(
            "__init__",
            [](M* self, std::string name, std::uint64_t seed) {
                new (self) M(BasicSequential<T>(SequentialOptions{std::move(name), seed}));
            },
            "name"_a, "seed"_a)
        .def("add",
             [](M& model, const nb::dict& spec) {
                 std::unique_ptr<Layer<T>> layer = layer_from<T>(spec);
                 run_released(model, [&](BasicSequential<T>& net) { net.add(std::move(layer)); });
             })
        .def("build", [](M& model, std::size_t input_dim) { run_released(model, [&](auto& net) { net.build(input_dim); }); })
        .def_prop_ro("built", [](M& model) { return run_released(model, [](auto& net) { return net.built(); }); })
        .def_prop_ro("name", [](M& model) { return run_released(model, [](auto& net) { return net.name(); }); })
        .def_prop_ro("seed", [](M& model) { return run_released(model, [](auto& net) { return net.seed(); }); })
        .def_prop_ro("layer_count", [](M& model) { return run_released(model, [](auto& net) { return net.layer_count(); }); })
        .def_prop_ro("input_dim", [](M& model) { return run_released(model, [](auto& net) { return net.input_dim(); }); })
        .def_prop_ro("output_dim", [](M& model) { return run_released(model, [](auto& net) { return net.output_dim(); }); })
        .def("count_params", [](M& model) { return run_released(model, [](auto& net) { return net.parameter_count(); }); })
        .def("layer_info", &layer_info<T>, "index"_a)
        .def("layer_weights",
             [](M& model, std::size_t index) {
                 return to_numpy(run_released(model, [&](auto& net) { return net.layer(index).get_weights(); }));
             })
        .def("set_layer_weights",
             [](M& model, std::size_t index, const std::vector<WeightArray<T>>& arrays) {
                 const auto tensors = to_tensors(arrays);
                 run_released(model, [&](auto& net) { net.layer(index).set_weights(tensors); });
             })
        .def("set_layer_trainable",
             [](M& model, std::size_t index, bool trainable) {
                 run_released(model, [&](auto& net) { net.layer(index).set_trainable(trainable); });
             })
        .def("compile", &compile<T>, "optimizer"_a, "loss"_a, "metrics"_a)
        .def_prop_ro("compiled", [](M& model) { return run_released(model, [](auto& net) { return net.compiled(); }); })
        .def("optimizer_info", &optimizer_info<T>)
        .def("set_learning_rate",
             [](M& model, double lr) { run_released(model, [&](auto& net) { net.optimizer().set_learning_rate(lr); }); })
        .def("loss_info",
             [](M& model) { return loss_spec(run_released(model, [](auto& net) { return net.loss(); })); })
        .def_prop_ro("metrics", [](M& model) { return run_released(model, [](auto& net) { return net.metrics(); }); })
        .def_prop_rw(
            "stop_training", [](M& model) { return run_released(model, [](auto& net) { return net.stop_training; }); },
            [](M& model, bool stop) { run_released(model, [&](auto& net) { net.stop_training = stop; }); })
        .def("fit", &fit<T>, "x"_a.noconvert(), "y"_a.noconvert(), "epochs"_a, "batch_size"_a, "shuffle"_a,
             "validation_split"_a, "validation_data"_a.none(), "initial_epoch"_a, "callbacks"_a, "verbose"_a,
             "seed"_a.none(), "shuffle_validation_split"_a)
        .def("evaluate", &evaluate<T>, "x"_a.noconvert(), "y"_a.noconvert(), "batch_size"_a, "verbose"_a)
        .def("predict", &predict<T>, "x"_a.noconvert(), "batch_size"_a, "verbose"_a)
        .def("predict_into", &predict_into<T>, "x"_a.noconvert(), "out"_a.noconvert(), "batch_size"_a, "verbose"_a)
        .def("train_on_batch",
             [](M& model, const InputArray<T>& x, const InputArray<T>& y) {
                 const Matrix<T> features = borrow(x), targets = borrow(y);
                 return run_released(model, [&](auto& net) { return net.train_on_batch_logs(features, targets); });
             },
             "x"_a.noconvert(), "y"_a.noconvert())
        .def("get_weights",
             [](M& model) { return to_numpy(run_released(model, [](auto& net) { return net.get_weights(); })); })
        .def("set_weights",
             [](M& model, const std::vector<WeightArray<T>>& arrays) {
                 const auto tensors = to_tensors(arrays);
                 run_released(model, [&](auto& net) { net.set_weights(tensors); });
             })
        .def("summary", [](M& model) { return run_released(model, [](auto& net) { return net.summary(); }); })
        .def("to_bytes", &to_bytes<T>)
        .def("save", &save<T>, "path"_a, "format"_a)
        .def("load_keras_weights", &load_keras_weights<T>, "path"_a);
}

template void bind_model<float>(nb::module_&, const std::string&);
template void bind_model<double>(nb::module_&, const std::string&);

}  // namespace dense::python
