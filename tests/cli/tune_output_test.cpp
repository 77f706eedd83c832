// `dense tune`'s output at the size a person reads: the top 10 trials, the pick and why, the time
// used; every trial only with --all. The tuned model carries the task's metrics.
#include <algorithm>

#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "dense/dense.hpp"
#include "dense/io/model_file.hpp"

namespace {

using namespace dense::cli_test;

// Three classes by the angle of (u, v), 150 rows.
std::string classes_csv() {
    std::string text = "u,v,kind\n";
    dense::Rng rng(8);
    for (int i = 0; i < 150; ++i) {
        const double u = rng.uniform(-1, 1), v = rng.uniform(-1, 1);
        text += std::to_string(u) + "," + std::to_string(v) + "," + (u > 0 ? (v > 0 ? "a" : "b") : "c") + "\n";
    }
    return text;
}

std::size_t trial_rows(const std::string& out) {
    // Table rows start with the rank: " 3 " or "*1 ".
    std::size_t rows = 0;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
        rows += line.size() > 2 && (line[0] == ' ' || line[0] == '*') && std::isdigit(static_cast<unsigned char>(line[1]));
    return rows;
}

TEST_F(Cli, TuneShowsTheTopTenThePickAndWhyAndEveryTrialOnlyWithAll) {
    write(dir_ / "classes.csv", classes_csv());
    const auto run = cli("tune classes.csv --target kind --trials 30 --max-epochs 9 --out t.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(trial_rows(run.out), 10u) << run.out;
    EXPECT_NE(run.out.find("… 20 more trials"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Searched 30 trials"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Picked "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Why: "), std::string::npos) << run.out;
    EXPECT_LT(run.out.size(), 3000u) << run.out;
    EXPECT_LT(std::count(run.err.begin(), run.err.end(), '\n'), 30) << "progress off a terminal: " << run.err;

    const auto all = cli("tune classes.csv --target kind --trials 30 --max-epochs 9 --all --quiet --out t.dense");
    EXPECT_EQ(all.out, "");
    const auto every = cli("tune classes.csv --target kind --trials 30 --max-epochs 9 --all --out t.dense");
    EXPECT_EQ(trial_rows(every.out), 30u) << every.out;

    const auto file = dense::io::load_model(dir_ / "t.dense");
    EXPECT_EQ(file.model.metrics(), std::vector<std::string>{"accuracy"});
    EXPECT_NE(cli("evaluate t.dense classes.csv").out.find("accuracy: "), std::string::npos);
}

// An identifier column: refused as a feature, left out with --drop by the search and by the model
// it saves, which then takes the file as it is.
TEST_F(Cli, TuneLeavesOutTheColumnsDropNames) {
    std::string text = "row," + classes_csv();
    for (std::size_t at = text.find('\n') + 1, row = 1; at < text.size(); at = text.find('\n', at) + 1, ++row)
        text.insert(at, std::string("r").append(std::to_string(row)).append(","));
    write(dir_ / "with_row.csv", text);
    const auto refused = cli("tune with_row.csv --target kind --trials 2 --max-epochs 3 --quiet --out t.dense");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("leave it out with --drop row"), std::string::npos) << refused.err;
    const auto run = cli("tune with_row.csv --target kind --drop row --trials 2 --max-epochs 3 --quiet --out t.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(dense::io::load_model(dir_ / "t.dense").extras.preprocessing->dropped_columns, std::vector<std::string>{"row"});
    EXPECT_EQ(cli("evaluate t.dense with_row.csv").status, 0);
}

// Too few rows for a search is a data error (status 1) saying how many there are, how many it
// needs and what to do. Before, 2 rows exited 2, as a usage error, with "tune: 1 rows are too few
// for dense train's validation split", and --folds 5 on 4 rows did the same.
TEST_F(Cli, TuneOnTooFewRowsIsADataErrorSayingHowManyItNeeds) {
    write(dir_ / "two.csv", "x,y\n1,2\n2,4\n");
    const auto two = cli("tune two.csv --target y --trials 2 --quiet --out t.dense");
    EXPECT_EQ(two.status, 1);
    EXPECT_NE(two.err.find("the data has 2 rows, but a search needs at least 3"), std::string::npos) << two.err;
    EXPECT_NE(two.err.find("give more rows"), std::string::npos) << two.err;
    write(dir_ / "four.csv", "x,y\n1,2\n2,4\n3,5\n4,9\n");
    const auto folds = cli("tune four.csv --target y --folds 5 --trials 2 --quiet --out t.dense");
    EXPECT_EQ(folds.status, 1);
    EXPECT_NE(folds.err.find("5 folds need at least as many rows, one to validate on in each, but the data has 4; ask for "
                             "at most 4 folds (dense tune --folds)"),
              std::string::npos) << folds.err;
    write(dir_ / "three.csv", "x,y\n1,2\n2,4\n3,5\n");
    EXPECT_EQ(cli("tune three.csv --target y --trials 2 --max-epochs 3 --quiet --out t.dense").status, 0);
}

}  // namespace
