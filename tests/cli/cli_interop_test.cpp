// `dense convert` on model files that must be refused: exit 1 (a fault of the file, not of the
// command line), one message naming the file, never an "unexpected failure" such as bad_alloc.
#include "cli_support.hpp"

namespace dense::cli_test {
namespace {

// tests/fixtures/keras, beside the CLI's own fixtures (tests/cli/fixtures).
std::string interop_fixture(const std::string& name) {
    return (fs::path(DENSE_CLI_FIXTURES).parent_path().parent_path() / "fixtures" / "keras" / name).string();
}

class ConvertRefusal : public Cli, public ::testing::WithParamInterface<std::string> {};

TEST_P(ConvertRefusal, ExitsOneNamingTheFile) {
    const auto outcome = cli("convert '" + interop_fixture(GetParam()) + "' out.dense");
    EXPECT_EQ(outcome.status, 1) << outcome.err;
    EXPECT_NE(outcome.err.find(GetParam()), std::string::npos) << outcome.err;
    EXPECT_EQ(outcome.err.find("unexpected"), std::string::npos) << outcome.err;
    EXPECT_FALSE(fs::exists(dir_ / "out.dense"));
}

INSTANTIATE_TEST_SUITE_P(Interop, ConvertRefusal,
                         ::testing::Values("matmul_weights_first.onnx", "gemm_trans_a.onnx", "gemm_bias_per_row.onnx",
                                           "kernel_overflowing.onnx", "kernel_without_data.onnx", "kernel_no_units.onnx",
                                           "kernel_without_data.h5", "kernel_without_data.keras",
                                           "entry_size_lies.keras"));

// A frozen layer (Keras' trainable = False) stays frozen in .dense and .keras files; an ONNX file
// cannot carry it, and convert says so in one line naming the layer.
TEST_F(Cli, ConvertKeepsFrozenLayersOrSaysWhereItCannot) {
    const auto to_dense = cli("convert '" + interop_fixture("frozen_layer.keras") + "' frozen.dense");
    ASSERT_EQ(to_dense.status, 0) << to_dense.err;
    EXPECT_EQ(to_dense.err, "");
    const auto summary = cli("summary frozen.dense");
    EXPECT_NE(summary.out.find(" Non-trainable params: 15 (60.00 B)"), std::string::npos) << summary.out;  // 4·3 + 3
    const auto to_onnx = cli("convert frozen.dense frozen.onnx");
    ASSERT_EQ(to_onnx.status, 0) << to_onnx.err;
    EXPECT_NE(to_onnx.err.find("frozen.onnx cannot carry that layer(s) 'frozen' are frozen"), std::string::npos) << to_onnx.err;
}

}  // namespace
}  // namespace dense::cli_test
