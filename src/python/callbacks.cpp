// PythonCallback, SignalCheck, and dense's own callbacks bound for Python (_core.EarlyStopping32,
// ...), which run without the GIL.
#include "callbacks.hpp"

#include <nanobind/stl/map.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>

#include <optional>
#include <string>
#include <utility>

#include "dense/callbacks/csv_logger.hpp"
#include "dense/callbacks/early_stopping.hpp"
#include "dense/callbacks/reduce_lr_on_plateau.hpp"
#include "dense/callbacks/terminate_on_nan.hpp"
#include "dense/error.hpp"

namespace dense::python {

using namespace nb::literals;

template <class T>
PythonCallback<T>::PythonCallback(nb::object on_train_begin, nb::object on_epoch_begin,
                                  nb::object on_train_batch_begin, nb::object on_train_batch_end,
                                  nb::object on_epoch_end, nb::object on_train_end)
    : train_begin_(std::move(on_train_begin)),
      epoch_begin_(std::move(on_epoch_begin)),
      batch_begin_(std::move(on_train_batch_begin)),
      batch_end_(std::move(on_train_batch_end)),
      epoch_end_(std::move(on_epoch_end)),
      train_end_(std::move(on_train_end)) {}

// The last reference may go on a thread without the GIL (the end of fit).
template <class T>
PythonCallback<T>::~PythonCallback() {
    nb::gil_scoped_acquire gil;
    train_begin_.reset();
    epoch_begin_.reset();
    batch_begin_.reset();
    batch_end_.reset();
    epoch_end_.reset();
    train_end_.reset();
}

template <class T>
void PythonCallback<T>::on_train_begin(BasicSequential<T>&) {
    if (train_begin_.is_none()) return;
    nb::gil_scoped_acquire gil;
    train_begin_();
}

template <class T>
void PythonCallback<T>::on_epoch_begin(BasicSequential<T>&, int epoch) {
    if (epoch_begin_.is_none()) return;
    nb::gil_scoped_acquire gil;
    epoch_begin_(epoch);
}

template <class T>
void PythonCallback<T>::on_train_batch_begin(BasicSequential<T>&, std::size_t batch) {
    if (batch_begin_.is_none()) return;
    nb::gil_scoped_acquire gil;
    batch_begin_(batch);
}

// A batch's logs, as Keras gives them: fit's log map keeps the last epoch's val_ values, which
// are not the batch's.
template <class T>
void PythonCallback<T>::on_train_batch_end(BasicSequential<T>&, std::size_t batch, const Logs& logs) {
    if (batch_end_.is_none()) return;
    nb::gil_scoped_acquire gil;
    nb::dict batch_logs;
    for (const auto& [key, value] : logs)
        if (!key.starts_with("val_")) batch_logs[key.c_str()] = value;
    batch_end_(batch, batch_logs);
}

template <class T>
void PythonCallback<T>::on_epoch_end(BasicSequential<T>&, int epoch, const Logs& logs) {
    if (epoch_end_.is_none()) return;
    nb::gil_scoped_acquire gil;
    epoch_end_(epoch, logs);
}

template <class T>
void PythonCallback<T>::on_train_end(BasicSequential<T>&) {
    if (train_end_.is_none()) return;
    nb::gil_scoped_acquire gil;
    train_end_();
}

namespace {

void raise_pending_signal() {
    nb::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) throw nb::python_error();
}

}  // namespace

template <class T>
void SignalCheck<T>::on_train_batch_end(BasicSequential<T>&, std::size_t, const Logs&) {
    raise_pending_signal();
}

template <class T>
void SignalCheck<T>::on_epoch_end(BasicSequential<T>&, int, const Logs&) {
    raise_pending_signal();
}

bool on_main_thread() {
    const nb::module_ threading = nb::module_::import_("threading");
    return threading.attr("current_thread")().is(threading.attr("main_thread")());
}

template <class T>
void bind_callbacks(nb::module_& m, const std::string& suffix) {
    const auto name = [&](const char* base) { return std::string(base) + suffix; };
    nb::class_<BasicCallback<T>>(m, name("Callback").c_str());
    nb::class_<PythonCallback<T>, BasicCallback<T>>(m, name("PythonCallback").c_str())
        .def(nb::init<nb::object, nb::object, nb::object, nb::object, nb::object, nb::object>(),
             "on_train_begin"_a.none(), "on_epoch_begin"_a.none(), "on_train_batch_begin"_a.none(),
             "on_train_batch_end"_a.none(), "on_epoch_end"_a.none(), "on_train_end"_a.none());
    nb::class_<BasicEarlyStopping<T>, BasicCallback<T>>(m, name("EarlyStopping").c_str())
        .def(
            "__init__",
            [](BasicEarlyStopping<T>* self, std::string monitor, double min_delta, int patience, std::string mode,
               std::optional<double> baseline, bool restore_best_weights, int start_from_epoch) {
                new (self) BasicEarlyStopping<T>({std::move(monitor), min_delta, patience, std::move(mode), baseline,
                                                  restore_best_weights, start_from_epoch});
            },
            "monitor"_a, "min_delta"_a, "patience"_a, "mode"_a, "baseline"_a.none(), "restore_best_weights"_a,
            "start_from_epoch"_a)
        .def_prop_ro("stopped_epoch", &BasicEarlyStopping<T>::stopped_epoch)
        .def_prop_ro("best_epoch", &BasicEarlyStopping<T>::best_epoch);
    nb::class_<BasicReduceLROnPlateau<T>, BasicCallback<T>>(m, name("ReduceLROnPlateau").c_str())
        .def(
            "__init__",
            [](BasicReduceLROnPlateau<T>* self, std::string monitor, double factor, int patience, std::string mode,
               double min_delta, int cooldown, double min_lr) {
                new (self) BasicReduceLROnPlateau<T>(
                    {std::move(monitor), factor, patience, std::move(mode), min_delta, cooldown, min_lr});
            },
            "monitor"_a, "factor"_a, "patience"_a, "mode"_a, "min_delta"_a, "cooldown"_a, "min_lr"_a);
    nb::class_<BasicTerminateOnNaN<T>, BasicCallback<T>>(m, name("TerminateOnNaN").c_str()).def(nb::init<>());
    nb::class_<BasicCSVLogger<T>, BasicCallback<T>>(m, name("CSVLogger").c_str())
        .def(
            "__init__",
            [](BasicCSVLogger<T>* self, std::string filename, std::string separator, bool append) {
                if (separator.size() != 1) throw UsageError("CSVLogger: separator must be one character");
                new (self) BasicCSVLogger<T>(std::move(filename), separator[0], append);
            },
            "filename"_a, "separator"_a, "append"_a);
}

template class PythonCallback<float>;
template class PythonCallback<double>;
template class SignalCheck<float>;
template class SignalCheck<double>;
template void bind_callbacks<float>(nb::module_&, const std::string&);
template void bind_callbacks<double>(nb::module_&, const std::string&);

}  // namespace dense::python
