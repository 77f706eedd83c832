#pragma once
// The fixtures real Keras and onnxruntime made (tests/fixtures/make_keras_fixtures.py): model
// files and, beside each, the inputs and the predictions of the tool that made it.
#include <filesystem>
#include <functional>
#include <string>

#include "dense/matrix.hpp"
#include "dense/sequential.hpp"

namespace dense::testing {

std::filesystem::path fixture(const std::string& file_name);

struct Expected {
    Matrix<float> inputs;
    Matrix<float> predictions;
};
// From <name>.json.
Expected expected(const std::string& name);

// Every prediction within 1e-5 relative (1e-6 absolute near zero) of the tool's own.
void expect_predicts(Sequential& model, const Expected& expected);

// The message of the DataError `action` throws; "no error" or "not a DataError: …" otherwise,
// so a test that expects a file's fault to be named fails on anything else.
std::string data_error_of(const std::function<void()>& action);

}  // namespace dense::testing
