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
    {"tune reg.csv --target y,y", "--target names 'y' twice"},  // before, a search for a model of two outputs, both y
    {"train reg.csv --target y --batch-size -1", "--batch-size: must be a whole number from 1 to 2147483648, got -1"},
    {"train reg.csv --target y --batch-size 0", "--batch-size: must be a whole number from 1 to 2147483648, got 0"},
    {"train reg.csv --target y --batch-size 3000000000",  // a model file could not record it
     "--batch-size: must be a whole number from 1 to 2147483648, got 3000000000"},
    {"train reg.csv --target y --seed -1", "--seed: must be a whole number of 0 or more, got -1"},
    {"train reg.csv --target y --seed 99999999999999999999999",
     "--seed: must be a whole number of at most 18446744073709551615, got 99999999999999999999999"},
    {"train reg.csv --target y --threads -4", "--threads: must be a whole number of 0 or more, got -4"},
    {"train reg.csv --target y --ensemble 0", "--ensemble: must be a whole number of 1 or more, got 0"},
    {"predict m.dense reg.csv --batch-size -1", "--batch-size: must be a whole number of 1 or more, got -1"},
    {"evaluate m.dense reg.csv --batch-size 0", "--batch-size: must be a whole number of 1 or more, got 0"},
    {"tune reg.csv --target y --trials 0", "--trials: must be a whole number of 1 or more, got 0"},
    {"tune reg.csv --target y --max-epochs 0", "--max-epochs: must be a whole number from 1 to 2147483647, got 0"},
    {"tune reg.csv --target y --max-epochs -5", "--max-epochs: must be a whole number from 1 to 2147483647, got -5"},
    {"tune reg.csv --target y --folds 0", "--folds: must be a whole number of 1 or more, got 0"},
    // Before, CLI11's "Could not convert: --epochs = 2.5", which does not say what is expected.
    {"train reg.csv --target y --epochs 2.5", "--epochs: must be a whole number from 1 to 2147483647, got 2.5;"},
    // Before, "from -2147483648 to 2147483647", a range of counts that start at 1 (0 for a patience).
    {"train reg.csv --target y --epochs 99999999999", "--epochs: must be a whole number from 1 to 2147483647, got 99999999999"},
    {"train reg.csv --target y --early-stopping -2", "--early-stopping: must be a whole number from 0 to 2147483647, got -2"},
    {"train reg.csv --target y --lr fast", "--lr: must be a number, got fast;"},
    {"convert m.dense m.onnx --opset x", "--opset: must be a whole number, got x;"},
    {"train reg.csv --target y --refit --no-refit", "--refit and --no-refit ask for opposite things"},
    {"train reg.csv --target y --epochs 2 --epochs 3", "--epochs is given more than once; give it once"},
    {"train reg.csv --target y --out -", "--out - would write a file named '-'"},
    {"train reg.csv --target y --layers -3", "like 64,32, but '-3' is not"},
    {"train reg.csv --target y --ensemble 3 --layers 3", "with --layers it trains the one network you name"},
    // Before, the copies were silently not made: only the network chosen on validation rows has them.
    {"train reg.csv --target y --ensemble 3 --validation-split 0", "--validation-split 0 trains one network"},
    {"train reg.csv --target y --ensemble 3 --early-stopping 0", "--early-stopping 0 trains one network"},
    {"tune reg.csv --target y --time-budget 0s", "--time-budget '0s' gives the search no time"},
    {"tune reg.csv --target y --validation-split 0", "validation_split must be in (0, 1), not 0;"},
};

TEST_F(Cli, OptionValuesThatWouldBeMisreadAreRefused) {
    for (const auto& refused : refused_options) {
        const auto run = cli(refused.args);
        EXPECT_EQ(run.status, 2) << refused.args << ": " << run.err;
        EXPECT_NE(run.err.find(refused.message), std::string::npos) << refused.args << ": " << run.err;
    }
}

// '-' is standard input for predict's and evaluate's data, never for a model: every command that
// reads one says so as a usage error (before, "cannot open the model file -", status 1).
TEST_F(Cli, ADashForTheModelSaysTheModelIsReadFromAFile) {
    for (const char* args : {"summary -", "predict - reg.csv", "evaluate - reg.csv", "explain - --input 1,2,x",
                             "plot - --out net.svg", "plot-weights - --out w.svg", "report - --out r.html"}) {
        const auto run = cli(args);
        EXPECT_EQ(run.status, 2) << args << ": " << run.err;
        EXPECT_NE(run.err.find("the model is read from a file, not from standard input ('-')"), std::string::npos)
            << args << ": " << run.err;
    }
}

TEST_F(Cli, LayerSizesAreReadInOrder) {
    ASSERT_EQ(cli("train reg.csv --target y --layers 5,3 --epochs 1 --quiet --out m.dense").status, 0);
    const auto file = dense::io::load_model(dir_ / "m.dense");
    ASSERT_EQ(file.model.layer_count(), 3u);
    // a, b and the two one-hot columns of c: 4 inputs → 5 → 3 → 1
    EXPECT_EQ(file.model.parameter_count(), (4 * 5 + 5) + (5 * 3 + 3) + (3 * 1 + 1));
}

// explain's --input keeps an empty field as a missing value (CLI11's delimiter dropped it, and the
// row came out one value short), and evaluate and explain take --fill as predict does.
TEST_F(Cli, AMissingValueIsFilledWhereverTheMessageOffersFill) {
    ASSERT_EQ(cli("train reg.csv --target y --layers 3 --epochs 2 --quiet --out m.dense").status, 0);
    const auto missing = cli("explain m.dense --input 1,,hot");
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("--input value 2 ('b') is missing; give a number, or a fill policy"), std::string::npos)
        << missing.err;
    EXPECT_NE(missing.err.find("--fill mean|median|zero"), std::string::npos) << missing.err;
    const auto filled = cli("explain m.dense --input 1,,hot --fill zero");
    EXPECT_EQ(filled.status, 0) << filled.err;
    const auto spelled = cli("explain m.dense --input 1,0,hot");  // zero is b's fill: the same prediction
    const auto prediction = [](const std::string& out) { return out.substr(out.rfind("Prediction")); };
    EXPECT_EQ(prediction(filled.out), prediction(spelled.out));

    write(dir_ / "gap.csv", "a,b,c,y\n1,,hot,2\n0.5,0.25,cold,1.75\n");
    EXPECT_EQ(cli("evaluate m.dense gap.csv").status, 1);
    write(dir_ / "zero.csv", "a,b,c,y\n1,0,hot,2\n0.5,0.25,cold,1.75\n");
    const auto gap = cli("evaluate m.dense gap.csv --fill zero --json"), zero = cli("evaluate m.dense zero.csv --json");
    EXPECT_EQ(gap.status, 0) << gap.err;
    EXPECT_EQ(gap.out, zero.out);
}

}  // namespace
