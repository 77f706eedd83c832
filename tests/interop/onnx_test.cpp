// ONNX: graphs built with the onnx package and run by onnxruntime are read back with the same
// predictions; what dense writes is the operator subset it reads.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "dense/dense.hpp"
#include "dense/interop/onnx.hpp"
#include "fixtures.hpp"

namespace dense {
namespace {

using testing::data_error_of;
using testing::expect_predicts;
using testing::expected;
using testing::fixture;

TEST(OnnxImport, GemmWithTransposedWeightsPredictsAsOnnxruntime) {
    auto model = onnx::load(fixture("gemm_transposed_relu_softmax.onnx"));
    ASSERT_EQ(model.layer_count(), 2u);
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(0)).activation().kind(), ActivationKind::relu);
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(1)).activation().kind(), ActivationKind::softmax);
    expect_predicts(model, expected("gemm_transposed_relu_softmax"));
}

TEST(OnnxImport, MatMulAddAndLeakyReluPredictAsOnnxruntime) {
    auto model = onnx::load(fixture("matmul_add_sigmoid.onnx"));
    ASSERT_EQ(model.layer_count(), 2u);
    EXPECT_FALSE(dynamic_cast<const Dense&>(model.layer(1)).use_bias());
    EXPECT_NEAR(dynamic_cast<const Dense&>(model.layer(0)).activation().alpha(), 0.1, 1e-7);
    expect_predicts(model, expected("matmul_add_sigmoid"));
}

// Graphs whose layers take no more than reading: each predicts as onnxruntime did.
struct OnnxGraph {
    const char* name;
    std::size_t layers;
};

class OnnxImportOf : public ::testing::TestWithParam<OnnxGraph> {};

TEST_P(OnnxImportOf, PredictsAsOnnxruntime) {
    auto model = onnx::load(fixture(std::string(GetParam().name) + ".onnx"));
    ASSERT_EQ(model.layer_count(), GetParam().layers);
    expect_predicts(model, expected(GetParam().name));
}

INSTANTIATE_TEST_SUITE_P(
    OnnxImport, OnnxImportOf,
    ::testing::Values(OnnxGraph{"gemm_alpha_beta_scalar_bias", 2},
                      OnnxGraph{"matmul_add_row_bias", 1},  // the bias added before the product
                      // PyTorch passes shared initializers through Identity nodes: the weights under another name.
                      OnnxGraph{"identity_of_weights", 2},
                      // Weights saved as external data (onnx.save(..., save_as_external_data=True)) are read
                      // from the file beside the model; one outside the model's folder, or missing, is refused
                      // naming it (below).
                      OnnxGraph{"external_data", 2}),
    [](const ::testing::TestParamInfo<OnnxGraph>& info) { return std::string(info.param.name); });

// Newer opsets have one operator for activations older ones spell out: HardSwish (14), Mish
// (18), Gelu (20), as exporters write them. Each is the Dense layer's activation.
TEST(OnnxImport, HardSwishMishAndGeluOperatorsPredictAsOnnxruntime) {
    auto model = onnx::load(fixture("hardswish_mish_gelu_operators.onnx"));
    ASSERT_EQ(model.layer_count(), 3u);
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(0)).activation().kind(), ActivationKind::hard_silu);
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(1)).activation().kind(), ActivationKind::mish);
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(2)).activation().kind(), ActivationKind::gelu);
    expect_predicts(model, expected("hardswish_mish_gelu_operators"));
}

TEST(OnnxImport, GeluWithTheTanhApproximationIsRefused) {
    const auto message = data_error_of([] { onnx::load(fixture("gelu_tanh_approximation.onnx")); });
    EXPECT_NE(message.find("gelu_tanh_approximation.onnx: node 'gelu_tanh' (Gelu): approximate = 'tanh'"), std::string::npos)
        << message;
}

TEST(OnnxImport, ExternalDataOutsideTheModelsFolderOrMissingIsRefused) {
    const auto outside = data_error_of([] { onnx::load(fixture("external_data_outside.onnx")); });
    EXPECT_NE(outside.find("external_data_outside.onnx: initializer 'w1': external data '../external_data.onnx.data' is not a "
                           "file in the model's folder"),
              std::string::npos)
        << outside;
    const auto missing = data_error_of([] { onnx::load(fixture("external_data_missing.onnx")); });
    EXPECT_NE(missing.find("external_data_missing.onnx: initializer 'w1': its external data "), std::string::npos) << missing;
    EXPECT_NE(missing.find("missing.onnx.data is no file"), std::string::npos) << missing;
}

// What the graph means is never guessed: each of these is refused as a fault of the file,
// naming the file and the node, and nothing is allocated for sizes the file cannot hold.
struct Refusal {
    std::string file, says;
};
class OnnxRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(OnnxRefusal, IsADataErrorNamingTheFileAndWhy) {
    const auto message = data_error_of([] { onnx::load(fixture(GetParam().file)); });
    EXPECT_NE(message.find(GetParam().file), std::string::npos) << message;
    EXPECT_NE(message.find(GetParam().says), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    All, OnnxRefusal,
    ::testing::Values(Refusal{"matmul_weights_first.onnx", "node '' (MatMul): computes W·x"},
                      Refusal{"gemm_trans_a.onnx", "transA = 1"}, Refusal{"gemm_bias_per_row.onnx", "the bias has shape [5, 2]"},
                      Refusal{"kernel_overflowing.onnx", "initializer 'w': shape [4, 4611686018427387904] declares more numbers"},
                      Refusal{"kernel_without_data.onnx", "declares 1099511627776 numbers, but the file holds data for at most 0"},
                      Refusal{"kernel_no_units.onnx", "shape [4, 0]; a Dense layer needs at least one input and one unit"},
                      Refusal{"node_without_output.onnx", "node '' (MatMul): has no output"},
                      Refusal{"float16_weights.onnx", "initializer 'w': element type FLOAT16 (10) is not supported"}));

TEST(OnnxImport, UnsupportedOperatorIsNamedWithTheFile) {
    try {
        onnx::load(fixture("unsupported_operator.onnx"));
        FAIL() << "an Abs node was accepted";
    } catch (const DataError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("Abs"), std::string::npos) << message;
        EXPECT_NE(message.find("unsupported_operator.onnx"), std::string::npos) << message;
    }
}

TEST(OnnxImport, NotAnOnnxFileIsADataError) {
    EXPECT_THROW(onnx::load(fixture("one_neuron.json")), DataError);
    EXPECT_THROW(onnx::load(fixture("no_such_model.onnx")), DataError);
}

TEST(OnnxExport, OpsetOutsideThirteenToSeventeenIsRefused) {
    Sequential model({Dense(1, DenseOptions{.input_dim = 1})});
    model.build(1);
    const auto path = std::filesystem::temp_directory_path() / "dense_interop_opset.onnx";
    EXPECT_THROW(onnx::save(model, path, {.opset = 12}), UsageError);
    EXPECT_THROW(onnx::save(model, path, {.opset = 13, .ir_version = 9}), UsageError);
    EXPECT_FALSE(std::filesystem::exists(path));
}

// A graph that standardises its input with Sub and Div nodes (dense's own export with
// input_mean/input_stddev, or another tool's) reads as a model taking the raw inputs: the
// division and the shift are folded into the first Dense layer's weights, even one without a bias.
TEST(OnnxImport, SubAndDivBeforeADenseAreFoldedIntoItsWeights) {
    Sequential model({Dense(3, activations::tanh, {.input_dim = 2, .use_bias = false}), Dense(1)});
    model.build(2);
    const auto path = std::filesystem::temp_directory_path() / "dense_interop_standardised.onnx";
    onnx::save(model, path, {.input_mean = {10.0f, -4.0f}, .input_stddev = {2.0f, 0.5f}});
    auto loaded = onnx::load(path);
    std::filesystem::remove(path);
    ASSERT_EQ(loaded.layer_count(), 2u);
    const Matrix<float> raw{{12.0f, -4.5f}, {7.0f, -3.0f}};
    const Matrix<float> standardised{{1.0f, -1.0f}, {-1.5f, 2.0f}};  // (raw − mean) / stddev by hand
    expect_predicts(loaded, {raw, model.predict(standardised)});
}

// Every activation written and read back: the import reads exactly the subset the export writes.
class OnnxActivation : public ::testing::TestWithParam<Activation> {};

TEST_P(OnnxActivation, SavedModelLoadsBackWithTheSameActivationAndPredictions) {
    Sequential model({Dense(4, GetParam(), {.input_dim = 3}), Dense(2, DenseOptions{.use_bias = false})});
    model.build(3);
    // One file per test case: two relu_general cases share the activation's name, and ctest runs them at once.
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::ranges::replace(test, '/', '_');
    const auto path = std::filesystem::temp_directory_path() / ("dense_interop_" + test + ".onnx");
    onnx::save(model, path);
    auto loaded = onnx::load(path);
    std::filesystem::remove(path);
    ASSERT_EQ(loaded.layer_count(), 2u);
    EXPECT_EQ(dynamic_cast<const Dense&>(loaded.layer(0)).activation().kind(), GetParam().kind());
    const Matrix<float> x{{-2.0f, 0.5f, 1.0f}, {0.0f, -0.25f, 3.0f}};
    expect_predicts(loaded, {x, model.predict(x)});
}

INSTANTIATE_TEST_SUITE_P(All, OnnxActivation,
                         ::testing::Values(activations::linear, activations::relu, Activation(ActivationKind::leaky_relu, 0.1),
                                           Activation(ActivationKind::elu, 0.5), activations::selu, activations::gelu,
                                           activations::sigmoid, activations::hard_sigmoid, activations::tanh,
                                           activations::softmax, activations::softplus, activations::softsign,
                                           activations::swish, activations::exponential, activations::relu6,
                                           activations::mish, activations::hard_silu, activations::log_softmax,
                                           Activation(ReluOptions{.max_value = 1.0, .negative_slope = 0.25, .threshold = 0.5}),
                                           Activation(ReluOptions{.threshold = 0.125})));

// Keras' ReLU options come back as written (float32 numbers, exact for these).
TEST(OnnxImport, ReluOptionsComeBackFromTheGraph) {
    const Activation relu(ReluOptions{.max_value = 1.5, .negative_slope = 0.25, .threshold = 0.5});
    Sequential model({Dense(2, DenseOptions{.input_dim = 2}), ActivationLayer(relu)});
    model.build(2);
    const auto path = std::filesystem::temp_directory_path() / "dense_interop_relu_options.onnx";
    onnx::save(model, path);
    auto loaded = onnx::load(path);
    std::filesystem::remove(path);
    EXPECT_EQ(dynamic_cast<const Dense&>(loaded.layer(0)).activation(), relu);
}

// Sub(c, x), the constant first, is c − x: folded into the Dense after it with the sign it has,
// as onnxruntime computes it. Div(c, x) is not an affine map and is refused.
TEST(OnnxImport, SubFromAConstantPredictsAsOnnxruntime) {
    auto model = onnx::load(fixture("sub_constant_first.onnx"));
    ASSERT_EQ(model.layer_count(), 1u);
    expect_predicts(model, expected("sub_constant_first"));
}

TEST(OnnxImport, DivisionOfAConstantByTheInputIsRefused) {
    const auto message = data_error_of([] { onnx::load(fixture("div_constant_first.onnx")); });
    EXPECT_NE(message.find("div_constant_first.onnx: node 'divide' (Div): does not read 'x' first"), std::string::npos) << message;
}

}  // namespace
}  // namespace dense
