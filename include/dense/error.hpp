#pragma once
// The one exception family of dense: every failure the library reports is a dense::Error
// whose message says what was wrong, where, and what to do about it.
#include <stdexcept>
#include <string>

namespace dense {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bad data: a file, a CSV cell, a model file, a shape that does not fit.
class DataError : public Error {
public:
    using Error::Error;
};

// A caller asked for something that does not exist or cannot be combined
// (an unknown activation name, a negative epoch count, an option out of range).
class UsageError : public Error {
public:
    using Error::Error;
};

}  // namespace dense
