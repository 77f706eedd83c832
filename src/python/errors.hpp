#pragma once
// dense::Error and its subclasses as Python exceptions (see errors.cpp).
#include <nanobind/nanobind.h>

namespace dense::python {

namespace nb = nanobind;

void bind_errors(nb::module_& m);

}  // namespace dense::python
