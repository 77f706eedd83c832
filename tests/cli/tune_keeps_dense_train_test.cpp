// When `dense tune`'s final check keeps dense train's model, tune saves the very file
// `dense train --seed S` writes (S: tune's seed): the same validation rows, the same preprocessing
// (learnt from dense train's training rows alone, not from every row), the same weights, byte
// for byte, with --no-refit, --task, --fill and stdin as with the defaults.
#include <cmath>

#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "dense/dense.hpp"

namespace {

using namespace dense::cli_test;

// y = 3·a − 0.7·b + 0.5·c + 20 + noise: a line is the right model. b is skewed (an exponential),
// so that the mean and spread of a fifth of its rows differ from those of all of them.
std::string line_csv(int rows) {
    std::string text = "a,b,c,y\n";
    dense::Rng rng(3);
    for (int i = 0; i < rows; ++i) {
        const double a = rng.uniform(-2, 2), b = -3.0 * std::log(rng.uniform(0.01, 1.0)), c = 5 + 2 * rng.normal();
        text += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) + "," +
                std::to_string(3 * a - 0.7 * b + 0.5 * c + 20 + 0.3 * rng.normal()) + "\n";
    }
    return text;
}

// Two classes split by a line through (u, v) (15 % of the labels flipped, so that early stopping
// ends training), a text feature that shifts the line, and missing u cells.
std::string classes_csv(int rows) {
    std::string text = "u,v,color,kind\n";
    dense::Rng rng(5);
    const char* colors[] = {"red", "green", "blue"};
    for (int i = 0; i < rows; ++i) {
        const double u = rng.uniform(-1, 1), v = rng.uniform(-1, 1);
        const int color = i % 3;
        const bool yes = (u + 0.5 * v + (color == 0 ? 0.3 : 0.0) > 0) != (rng.uniform() < 0.15);  // 15 % flipped
        text += (i % 17 == 3 ? std::string() : std::to_string(u)) + "," + std::to_string(v) + "," + colors[color] + "," +
                (yes ? "yes" : "no") + "\n";
    }
    return text;
}

// Trials of 2 epochs at most cannot beat dense train on fresh folds: the check keeps its model.
const std::string weak_search = " --trials 4 --max-epochs 2";

class TuneKeepsDenseTrain : public Cli {
protected:
    // Runs `dense train DATA FLAGS` and `dense tune DATA FLAGS TUNE_FLAGS`; expects the check to
    // keep dense train's model and both files to hold the same bytes.
    void expect_same_file(const std::string& data, const std::string& flags, const std::string& tune_flags = "",
                          const std::string& tune_data = "", const std::string& input = "") {
        const auto train = cli("train " + data + flags + " --out train.dense --quiet");
        ASSERT_EQ(train.status, 0) << train.err;
        const auto tune = cli("tune " + (tune_data.empty() ? data : tune_data) + flags + weak_search + tune_flags +
                                  " --out tune.dense",
                              input);
        ASSERT_EQ(tune.status, 0) << tune.err;
        ASSERT_NE(tune.out.find("Picked what dense train gives"), std::string::npos) << tune.out;
        const auto train_bytes = slurp(dir_ / "train.dense"), tune_bytes = slurp(dir_ / "tune.dense");
        ASSERT_FALSE(train_bytes.empty());
        EXPECT_TRUE(train_bytes == tune_bytes) << "tune's file differs from dense train's\n" << tune.out;
        last_tune_out_ = tune.out;
    }
    std::string last_tune_out_;
};

TEST_F(TuneKeepsDenseTrain, SavesDenseTrainsFileByteForByte) {
    write(dir_ / "line.csv", line_csv(90));
    expect_same_file("line.csv", " --target y --seed 5");
    EXPECT_NE(last_tune_out_.find("as `dense train --seed 5` saves it: retrained on all 90 rows"), std::string::npos)
        << last_tune_out_;

    // The same predictions, and a preprocessing learnt from dense train's 72 training rows: the
    // mean of b it stores is not the mean of all 90 rows.
    const auto train = cli("predict train.dense line.csv"), tune = cli("predict tune.dense line.csv");
    ASSERT_EQ(tune.status, 0) << tune.err;
    EXPECT_EQ(train.out, tune.out);
    const auto file = dense::io::load_model(dir_ / "tune.dense");
    ASSERT_TRUE(file.extras.preprocessing && file.extras.progress);
    double sum = 0.0;
    const auto rows = csv_rows(line_csv(90));
    for (std::size_t r = 1; r < rows.size(); ++r) sum += std::stod(rows[r][1]);
    const auto& b = file.extras.preprocessing->features.at(1);
    ASSERT_EQ(b.name, "b");
    EXPECT_GT(std::abs(b.mean - sum / 90.0), 1e-3) << "b's mean learnt from every row, not dense train's training rows";
    EXPECT_EQ(file.extras.progress->training_rows, 90u) << "refit on every row";
}

TEST_F(TuneKeepsDenseTrain, WithNoRefitSavesTheValidatedModelOfTheTrainingRows) {
    write(dir_ / "line.csv", line_csv(90));
    expect_same_file("line.csv", " --target y --seed 9 --no-refit");
    EXPECT_NE(last_tune_out_.find("its weights and preprocessing learnt from its 72 training rows"), std::string::npos)
        << last_tune_out_;
    EXPECT_NE(cli("summary tune.dense").out.find("the saved weights were trained on 72 rows"), std::string::npos);
}

TEST_F(TuneKeepsDenseTrain, ForAClassifierWithFilledCellsReadFromStdinOnOneThread) {
    write(dir_ / "classes.csv", classes_csv(90));
    expect_same_file("classes.csv", " --target kind --task classification --fill mean --seed 7", " --threads 1", "-",
                     slurp(dir_ / "classes.csv"));
}

// A space without room for dense train's 64 units: the check's reference is its linear model
// alone, which is not dense train's procedure, so tune saves that model with its own preprocessing.
TEST_F(TuneKeepsDenseTrain, ASpaceWithoutDenseTrainsNetworkKeepsTunesOwnFile) {
    write(dir_ / "line.csv", line_csv(90));
    write(dir_ / "narrow.json", R"({"units": [1, 16]})");
    const auto tune = cli("tune line.csv --target y --space narrow.json --out tune.dense" + weak_search);
    ASSERT_EQ(tune.status, 0) << tune.err;
    ASSERT_NE(tune.out.find("Picked what dense train gives: linear model"), std::string::npos) << tune.out;
    EXPECT_NE(tune.out.find("saved to tune.dense with its preprocessing"), std::string::npos) << tune.out;
    const auto file = dense::io::load_model(dir_ / "tune.dense");
    EXPECT_TRUE(file.extras.preprocessing);
    EXPECT_FALSE(file.extras.progress) << "not dense train's file";
    EXPECT_EQ(cli("predict tune.dense line.csv").status, 0);
}

}  // namespace
