#pragma once
// Callbacks between dense's fit loop and Python: Python methods as a dense callback, and the
// Ctrl-C check that lets KeyboardInterrupt stop fit between two batches.
#include <nanobind/nanobind.h>

#include <cstddef>
#include <string>

#include "dense/callback.hpp"

namespace dense::python {

namespace nb = nanobind;

// A Python callback's hooks (bound methods, or None for those it leaves alone). Each hook that
// exists is called with the GIL held; an exception it raises ends fit and reaches the caller.
template <class T>
class PythonCallback final : public BasicCallback<T> {
public:
    PythonCallback(nb::object on_train_begin, nb::object on_epoch_begin, nb::object on_train_batch_begin,
                   nb::object on_train_batch_end, nb::object on_epoch_end, nb::object on_train_end);
    ~PythonCallback() override;
    void on_train_begin(BasicSequential<T>& model) override;
    void on_epoch_begin(BasicSequential<T>& model, int epoch) override;
    void on_train_batch_begin(BasicSequential<T>& model, std::size_t batch) override;
    void on_train_batch_end(BasicSequential<T>& model, std::size_t batch, const Logs& logs) override;
    void on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) override;
    void on_train_end(BasicSequential<T>& model) override;

private:
    nb::object train_begin_, epoch_begin_, batch_begin_, batch_end_, epoch_end_, train_end_;
};

// Python's SIGINT handler only raises a flag; this looks at it after every batch and epoch (with
// the GIL, a fraction of a microsecond) and ends fit with the KeyboardInterrupt it raises. The
// weights are then those after the last whole batch.
template <class T>
class SignalCheck final : public BasicCallback<T> {
public:
    void on_train_batch_end(BasicSequential<T>& model, std::size_t batch, const Logs& logs) override;
    void on_epoch_end(BasicSequential<T>& model, int epoch, const Logs& logs) override;
};

// Signals reach Python's handlers on the main thread only; fit elsewhere needs no SignalCheck.
bool on_main_thread();

// Binds BasicCallback<T>, PythonCallback<T> and dense's callbacks as _core.Callback<suffix>,
// _core.PythonCallback<suffix>, _core.EarlyStopping<suffix>, ... ("32", "64").
template <class T>
void bind_callbacks(nb::module_& m, const std::string& suffix);

}  // namespace dense::python
