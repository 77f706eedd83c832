// dense's exceptions as Python exceptions that carry the C++ message. Both are ValueErrors, so
// code that catches ValueError for bad input catches them too:
//   dense.Error(ValueError) ← dense.DataError (bad data, shapes, files), dense.UsageError (unknown
//   names, options out of range).
#include "errors.hpp"

#include "dense/error.hpp"

namespace dense::python {

void bind_errors(nb::module_& m) {
    // Registered base first: nanobind tries the most recently registered translator first. The
    // module holds the types; the translators refer to them.
    nb::exception<Error> error(m, "Error", PyExc_ValueError);
    nb::exception<DataError> data_error(m, "DataError", error);
    nb::exception<UsageError> usage_error(m, "UsageError", error);
    for (nb::handle type : {nb::handle(error), nb::handle(data_error), nb::handle(usage_error)})
        type.attr("__module__") = "dense";
}

}  // namespace dense::python
