#include "fixtures.hpp"

#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "dense/error.hpp"

namespace dense::testing {

namespace {

Matrix<float> matrix_of(const nlohmann::json& rows) {
    Matrix<float> matrix(rows.size(), rows.at(0).size());
    for (std::size_t r = 0; r < matrix.rows(); ++r)
        for (std::size_t c = 0; c < matrix.cols(); ++c) matrix(r, c) = rows[r][c].get<float>();
    return matrix;
}

}  // namespace

std::filesystem::path fixture(const std::string& file_name) { return std::filesystem::path(DENSE_FIXTURES_DIR) / file_name; }

Expected expected(const std::string& name) {
    std::ifstream in(fixture(name + ".json"));
    const auto record = nlohmann::json::parse(in);
    return {matrix_of(record.at("inputs")), matrix_of(record.at("predictions"))};
}

void expect_predicts(Sequential& model, const Expected& expected) {
    const auto predictions = model.predict(expected.inputs);
    ASSERT_EQ(predictions.rows(), expected.predictions.rows());
    ASSERT_EQ(predictions.cols(), expected.predictions.cols());
    for (std::size_t r = 0; r < predictions.rows(); ++r)
        for (std::size_t c = 0; c < predictions.cols(); ++c) {
            const float want = expected.predictions(r, c);
            EXPECT_NEAR(predictions(r, c), want, 1e-5f * std::abs(want) + 1e-6f) << "row " << r << ", column " << c;
        }
}

std::string data_error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const DataError& error) {
        return error.what();
    } catch (const std::exception& error) {
        return std::string("not a DataError: ") + error.what();
    }
    return "no error";
}

}  // namespace dense::testing
