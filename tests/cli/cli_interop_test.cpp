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

}  // namespace
}  // namespace dense::cli_test
