// Names from data and model files cannot take over the terminal or the message: control
// characters are escaped, text after a NUL byte is kept, a huge name is clipped; model files
// whose fields are out of range or whose weights are NaN are refused naming the file.
#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace {

using namespace dense::cli_test;

const std::string esc_name = "y\x1b[31mred";  // would turn a terminal red

class CliNames : public Cli {
protected:
    void SetUp() override {
        Cli::SetUp();
        write(dir_ / "esc.csv", "a,b,c," + esc_name + "\n1,2,hot,3\n2,3,cold,5\n3,1,hot,4\n4,4,cold,9\n");
        const auto train = cli("train esc.csv --target \"$(printf 'y\\033[31mred')\" --epochs 1 --quiet --out e.dense");
        ASSERT_EQ(train.status, 0) << train.err;
        write(dir_ / "abc.csv", "a,b,c\n1,2,hot\n");
    }
};

TEST_F(CliNames, ControlCharactersAreEscapedOnATerminalAndKeptInAFile) {
    const auto to_file = cli("predict e.dense abc.csv");
    ASSERT_EQ(to_file.status, 0) << to_file.err;
    EXPECT_EQ(to_file.out.rfind(esc_name + "\n", 0), 0u) << to_file.out;  // CSV data stays as it was
    // `script` runs the command on a pseudo-terminal, as a user at a terminal would.
    const auto on_terminal = shell("script -qc \"" + dense() + " predict e.dense abc.csv\" /dev/null");
    ASSERT_EQ(on_terminal.status, 0) << on_terminal.err;
    EXPECT_EQ(on_terminal.out.find('\x1b'), std::string::npos) << on_terminal.out;
    EXPECT_NE(on_terminal.out.find("y\\e[31mred"), std::string::npos) << on_terminal.out;
}

// On a terminal (and under mpirun, which gives its processes one) the progress bar is redrawn in
// place with a carriage return and spaces, as Keras does: no escape sequence, which the filter
// above would print as text ("\\e[K" after every bar).
TEST_F(CliNames, TheProgressBarRedrawsOnATerminalWithoutEscapeSequences) {
    const auto on_terminal =
        shell("script -qc \"" + dense() + " train reg.csv --target y --layers 4 --epochs 2 --batch-size 8 --out bar.dense\" /dev/null");
    ASSERT_EQ(on_terminal.status, 0) << on_terminal.err;
    EXPECT_NE(on_terminal.out.find("\r4/4 \u2501"), std::string::npos) << on_terminal.out;  // the bar, drawn in place
    EXPECT_EQ(on_terminal.out.find('\x1b'), std::string::npos) << on_terminal.out;
    EXPECT_EQ(on_terminal.out.find("\\e"), std::string::npos) << on_terminal.out;
}

TEST_F(CliNames, SummaryPrintsNamesEscapedWherever) {
    const auto run = cli("summary e.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("'y\\e[31mred'"), std::string::npos) << run.out;
}

TEST_F(Cli, ErrorMessagesKeepTextAfterANulAndEscapeIt) {
    write(dir_ / "nul.csv", std::string("x\0tail,y\n1,2\n3,4\n", 17));
    const auto run = cli("train nul.csv --target y");
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("nul.csv:1:1: the name of column 1 holds a NUL byte (byte 2 of 'x\\0tail')"), std::string::npos)
        << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

TEST_F(Cli, AHugeNameIsClippedInMessages) {
    write(dir_ / "long.csv", std::string(4'000'000, 'n') + ",y\n1,2\n3,4\n");
    const auto run = cli("train long.csv --target zz");
    EXPECT_EQ(run.status, 1);
    EXPECT_LT(run.err.size(), 5000u);
    EXPECT_NE(run.err.find("bytes)"), std::string::npos) << run.err.substr(0, 300);
}

TEST_F(Cli, AModelFileWithAFieldOutOfRangeIsRefusedNamingTheFile) {
    ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    auto file = dense::io::load_model(dir_ / "m.dense");
    file.extras.progress->batch_size = 0;
    dense::io::save_model(file.model, dir_ / "zero_batch.dense", file.extras);
    const auto run = cli("train reg.csv --epochs 3 --resume zero_batch.dense");
    EXPECT_EQ(run.status, 1) << run.err;
    EXPECT_NE(run.err.find("zero_batch.dense"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("training.batch_size must be a whole number from 1"), std::string::npos) << run.err;
}

TEST_F(Cli, AModelWithNanWeightsIsRefusedInsteadOfPredictingNan) {
    ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    auto file = dense::io::load_model(dir_ / "m.dense");
    auto weights = file.model.get_weights();
    weights[0].values[3] = std::numeric_limits<float>::quiet_NaN();
    file.model.set_weights(weights);
    dense::io::save_model(file.model, dir_ / "nan.dense", file.extras);
    const auto run = cli("predict nan.dense reg.csv");
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("nan.dense"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("holds NaN at position 3"), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
}

}  // namespace
