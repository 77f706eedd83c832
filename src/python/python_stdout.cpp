// std::cout → sys.stdout while dense trains with verbose output (see python_stdout.hpp).
#include "python_stdout.hpp"

#include <nanobind/nanobind.h>

#include <iostream>
#include <mutex>
#include <streambuf>
#include <string>

namespace dense::python {
namespace {

namespace nb = nanobind;

// Collects what dense writes (from any thread, GIL held or not) and hands it to sys.stdout.write
// at each newline and flush. A failing sys.stdout loses the text, never the training.
class PythonStdoutBuffer final : public std::streambuf {
protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        xsputn(&ch, 1);
        return c;
    }
    std::streamsize xsputn(const char* text, std::streamsize count) override {
        bool line_ended = false;
        {
            const std::lock_guard lock(mutex_);
            pending_.append(text, std::size_t(count));
            line_ended = pending_.find('\n') != std::string::npos;
        }
        if (line_ended) sync();
        return count;
    }
    int sync() override {
        std::string text;
        {
            const std::lock_guard lock(mutex_);
            text.swap(pending_);
        }
        if (text.empty()) return 0;
        nb::gil_scoped_acquire gil;
        PyObject* out = PySys_GetObject("stdout");  // borrowed
        PyObject* str = out ? PyUnicode_DecodeUTF8(text.data(), Py_ssize_t(text.size()), "replace") : nullptr;
        PyObject* written = str ? PyObject_CallMethod(out, "write", "O", str) : nullptr;
        PyObject* flushed = written ? PyObject_CallMethod(out, "flush", nullptr) : nullptr;
        Py_XDECREF(flushed);
        Py_XDECREF(written);
        Py_XDECREF(str);
        if (PyErr_Occurred()) PyErr_Clear();
        return 0;
    }

private:
    std::mutex mutex_;
    std::string pending_;
};

// One redirection for all calls that want it, nested or on several threads at once: the first
// installs it, the last removes it.
struct Redirection {
    std::mutex mutex;
    int users = 0;
    std::streambuf* original = nullptr;
    PythonStdoutBuffer buffer;
};

Redirection& redirection() {
    static Redirection* shared = new Redirection();  // never destroyed: std::cout may outlive statics
    return *shared;
}

}  // namespace

StdoutToPython::StdoutToPython(bool active) : active_(active) {
    if (!active_) return;
    Redirection& r = redirection();
    const std::lock_guard lock(r.mutex);
    if (r.users++ == 0) r.original = std::cout.rdbuf(&r.buffer);
}

StdoutToPython::~StdoutToPython() {
    if (!active_) return;
    Redirection& r = redirection();
    std::cout.flush();
    const std::lock_guard lock(r.mutex);
    if (--r.users == 0) std::cout.rdbuf(r.original);
}

}  // namespace dense::python
