// The command line is kind to mistakes: --version, "did you mean" for a mistyped command or
// option, and option values that CLI11 would take silently (an empty layer size, a repeated
// target, a negative count read as 2^64 − 1) refused with exit 2 and a message naming them.
#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace {

using namespace dense::cli_test;

TEST_F(Cli, VersionPrintsTheProjectVersion) {
    const auto run = cli("--version");
    EXPECT_EQ(run.status, 0);
    EXPECT_EQ(run.out, "dense " DENSE_PROJECT_VERSION "\n");
}

TEST_F(Cli, MistypedCommandGetsTheNearestCommand) {
    const auto run = cli("trian reg.csv --target y");
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("unknown command 'trian'; did you mean 'train'?"), std::string::npos) << run.err;
}

TEST_F(Cli, MistypedOptionGetsTheNearestOptionOfItsCommand) {
    const auto run = cli("train reg.csv --taget y");
    EXPECT_EQ(run.status, 2);
    EXPECT_NE(run.err.find("unknown option '--taget'; did you mean '--target'?"), std::string::npos) << run.err;
    const auto predict = cli("predict m.dense reg.csv --batchsize 8");
    EXPECT_NE(predict.err.find("unknown option '--batchsize'; did you mean '--batch-size'?"), std::string::npos)
        << predict.err;
}

TEST_F(Cli, UnknownWordsFarFromAnyNameGetNoGuess) {
    const auto command = cli("frobnicate");
    EXPECT_EQ(command.status, 2);
    EXPECT_NE(command.err.find("unknown command 'frobnicate'; run 'dense --help'"), std::string::npos) << command.err;
    const auto option = cli("train reg.csv --target y --colour red");
    EXPECT_EQ(option.status, 2);
    EXPECT_NE(option.err.find("unknown option '--colour'; run 'dense train --help'"), std::string::npos) << option.err;
}

struct RefusedOption {
    const char* args;
    const char* message;
};

const RefusedOption refused_options[] = {
    {"train reg.csv --target y --layers 4,,4", "'4,,4' has an empty item"},
    {"train reg.csv --target y --layers 4,-4", "'4,-4' has '-4'"},
    {"train reg.csv --target y --layers 4,x", "'4,x' has 'x'"},
    {"train reg.csv --target y,y", "--target names 'y' twice"},
    {"train reg.csv --target y --target y", "--target names 'y' twice"},
    {"train reg.csv --target y --batch-size -1", "--batch-size: must be a whole number of 0 or more, got -1"},
    {"train reg.csv --target y --seed -1", "--seed: must be a whole number of 0 or more, got -1"},
    {"train reg.csv --target y --threads -4", "--threads: must be a whole number of 0 or more, got -4"},
    {"predict m.dense reg.csv --batch-size -1", "--batch-size: must be a whole number of 0 or more, got -1"},
    {"evaluate m.dense reg.csv --batch-size -1", "--batch-size: must be a whole number of 0 or more, got -1"},
};

TEST_F(Cli, OptionValuesThatWouldBeMisreadAreRefused) {
    for (const auto& refused : refused_options) {
        const auto run = cli(refused.args);
        EXPECT_EQ(run.status, 2) << refused.args << ": " << run.err;
        EXPECT_NE(run.err.find(refused.message), std::string::npos) << refused.args << ": " << run.err;
    }
}

TEST_F(Cli, LayerSizesAreReadInOrder) {
    ASSERT_EQ(cli("train reg.csv --target y --layers 5,3 --epochs 1 --quiet --out m.dense").status, 0);
    const auto file = dense::io::load_model(dir_ / "m.dense");
    ASSERT_EQ(file.model.layer_count(), 3u);
    // a, b and the two one-hot columns of c: 4 inputs → 5 → 3 → 1
    EXPECT_EQ(file.model.parameter_count(), (4 * 5 + 5) + (5 * 3 + 3) + (3 * 1 + 1));
}

}  // namespace
