#pragma once
// The one exception family of dense: every failure the library reports is a dense::Error
// whose message says what was wrong, where, and what to do about it.
//
// A message is always one printable line: control characters that came in with data (ESC,
// NUL, line breaks) are escaped as dense/printable.hpp does, so printing what() shows all of
// it, and a message over 4 KiB keeps its first 3 KiB, its length and its last 1 KiB (the advice).
#include <stdexcept>
#include <string>

namespace dense {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message);
    explicit Error(const char* message) : Error(std::string(message)) {}
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
