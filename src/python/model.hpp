#pragma once
// Model<T>: the Sequential model behind dense.Sequential, bound as _core.Model32 / Model64.
// Every call into it releases the GIL, so Python threads run while dense trains or predicts,
// and takes the model's lock, so two threads using one model take turns instead of racing on
// its buffers (the lock is recursive: a callback may predict with the model fit is training).
#include <nanobind/nanobind.h>

#include <mutex>
#include <string>
#include <utility>

#include "dense/sequential.hpp"

namespace dense::python {

namespace nb = nanobind;

template <class T>
struct Model {
    explicit Model(BasicSequential<T> model) : net(std::move(model)) {}
    BasicSequential<T> net;
    std::recursive_mutex busy;
};

// f(model.net) with the GIL released and the model's lock held.
template <class T, class F>
decltype(auto) run_released(Model<T>& model, F&& f) {
    nb::gil_scoped_release released;
    std::lock_guard lock(model.busy);
    return f(model.net);
}

// Binds Model<T> as _core.Model<suffix> ("32", "64").
template <class T>
void bind_model(nb::module_& m, const std::string& suffix);

}  // namespace dense::python
