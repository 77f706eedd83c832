// `dense train --stream`: a file read a chunk at a time trains as well as the file read whole,
// reproducibly, resumes bit for bit, and refuses what it cannot do with a usage error.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

using namespace dense::cli_test;
using nlohmann::json;

// Two classes split by a + b + (0.3 if c is hot) > 0, with 5 % of the labels flipped.
std::string classes_csv(int rows, std::uint64_t seed) {
    std::string text = "a,b,c,y\n";
    dense::Rng rng(seed);
    for (int i = 0; i < rows; ++i) {
        const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
        const bool hot = rng.uniform() < 0.5;
        const bool yes = (a + b + (hot ? 0.3 : 0.0) > 0) != (rng.uniform() < 0.05);
        text += std::to_string(a) + "," + std::to_string(b) + "," + (hot ? "hot" : "cold") + "," + (yes ? "yes" : "no") + "\n";
    }
    return text;
}

class Stream : public Cli {
protected:
    void SetUp() override {
        Cli::SetUp();
        write(dir_ / "train.csv", classes_csv(3000, 1));
        write(dir_ / "test.csv", classes_csv(1000, 2));
    }
    double test_accuracy(const std::string& model) {
        const auto scores = cli("evaluate --json " + model + " test.csv");
        EXPECT_EQ(scores.status, 0) << scores.err;
        return json::parse(scores.out).at("accuracy").get<double>();
    }
};

const std::string run_options = " --target y --layers 16 --epochs 12 --early-stopping 0 --no-refit --threads 1 -q";

TEST_F(Stream, ReachesTheTestAccuracyOfTrainingOnTheFileReadWhole) {
    ASSERT_EQ(cli("train train.csv" + run_options + " --out whole.dense").status, 0);
    const auto streamed = cli("train train.csv" + run_options + " --stream --out streamed.dense");
    ASSERT_EQ(streamed.status, 0) << streamed.err;
    const double whole = test_accuracy("whole.dense"), stream = test_accuracy("streamed.dense");
    EXPECT_GT(whole, 0.9);  // 5 % of the labels are flipped: 0.95 is the best any model does
    EXPECT_NEAR(stream, whole, 0.02);
}

TEST_F(Stream, AFolderOfShardFilesStreamsAsOneFile) {
    fs::create_directories(dir_ / "shards");
    const std::string text = slurp(dir_ / "train.csv");
    const std::string header = text.substr(0, text.find('\n') + 1);
    const std::size_t middle = text.find('\n', text.size() / 2) + 1;
    write(dir_ / "shards" / "part-0.csv", text.substr(0, middle));
    write(dir_ / "shards" / "part-1.csv", header + text.substr(middle));
    write(dir_ / "shards" / "notes.txt", "not a shard");
    const auto shards = cli("train shards" + run_options + " --out shards.dense --json");
    ASSERT_EQ(shards.status, 0) << shards.err;
    EXPECT_EQ(json::parse(shards.out).at("rows").get<std::size_t>(), 3000u);
    ASSERT_EQ(cli("train train.csv" + run_options + " --out whole.dense").status, 0);
    EXPECT_NEAR(test_accuracy("shards.dense"), test_accuracy("whole.dense"), 0.02);
}

TEST_F(Stream, SameSeedGivesTheSameModelAndAResumedRunEqualsAnUninterruptedOne) {
    const std::string options = " --target y --layers 8 --early-stopping 0 --threads 1 -q --stream --shuffle-buffer 100";
    ASSERT_EQ(cli("train train.csv" + options + " --epochs 4 --out a.dense --checkpoint ck").status, 0);
    ASSERT_EQ(cli("train train.csv" + options + " --epochs 4 --out b.dense").status, 0);
    EXPECT_EQ(slurp(dir_ / "a.dense"), slurp(dir_ / "b.dense"));
    const auto resumed = cli("train train.csv" + options + " --epochs 4 --resume ck/epoch-2.dense --out resumed.dense");
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_EQ(slurp(dir_ / "resumed.dense"), slurp(dir_ / "a.dense"));
    ASSERT_EQ(cli("train train.csv" + options + " --epochs 4 --seed 7 --out c.dense").status, 0);
    EXPECT_NE(slurp(dir_ / "c.dense"), slurp(dir_ / "a.dense"));
}

// An identifier column left out with --drop: the streamed model predicts as the one trained on
// the file without it, and takes files that hold it.
TEST_F(Stream, ADroppedColumnIsLeftOutOfTheStreamedModel) {
    const std::string text = slurp(dir_ / "train.csv");
    std::string with_id = "id,";
    for (std::size_t start = 0, row = 0; start < text.size(); ++row) {
        const std::size_t end = text.find('\n', start) + 1;
        if (row > 0) with_id.append("r").append(std::to_string(row)).append(",");
        with_id.append(text, start, end - start);
        start = end;
    }
    write(dir_ / "with_id.csv", with_id);
    const std::string options = " --target y --layers 8 --epochs 3 --early-stopping 0 --threads 1 -q --stream";
    const auto refused = cli("train with_id.csv" + options + " --out id.dense");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("leave it out with --drop id"), std::string::npos) << refused.err;
    ASSERT_EQ(cli("train with_id.csv" + options + " --drop id --out dropped.dense").status, 0);
    ASSERT_EQ(cli("train train.csv" + options + " --out plain.dense").status, 0);
    const auto dropped = cli("predict dropped.dense with_id.csv");
    ASSERT_EQ(dropped.status, 0) << dropped.err;
    EXPECT_EQ(dropped.out, cli("predict plain.dense train.csv").out);
}

TEST_F(Stream, WhatNeedsEveryRowInMemoryIsAUsageError) {
    const auto from_stdin = cli("train - --target y --stream", classes_csv(50, 3));
    EXPECT_EQ(from_stdin.status, 2);
    EXPECT_NE(from_stdin.err.find("standard input"), std::string::npos) << from_stdin.err;
    const auto stratified = cli("train train.csv --target y --stream --split stratified");
    EXPECT_EQ(stratified.status, 2);
    EXPECT_NE(stratified.err.find("--split stratified"), std::string::npos) << stratified.err;
    ASSERT_EQ(cli("train train.csv --target y --layers 4 --epochs 2 --checkpoint ck -q").status, 0);
    const auto mixed = cli("train train.csv --stream --resume ck/epoch-1.dense --epochs 2");
    EXPECT_EQ(mixed.status, 2);
    EXPECT_NE(mixed.err.find("without --stream"), std::string::npos) << mixed.err;
}

TEST_F(Stream, ABadCellIsADataErrorAtItsFileLineAndColumn) {
    std::string text = classes_csv(200, 4);
    text += "0.5,abc,hot,yes\n";
    write(dir_ / "bad.csv", text);
    const auto bad = cli("train bad.csv --target y --stream -q");
    EXPECT_EQ(bad.status, 1);
    EXPECT_NE(bad.err.find("bad.csv:202:2"), std::string::npos) << bad.err;
}

// A file of a header alone is refused as the file read whole refuses it, whatever the split.
TEST_F(Stream, AHeaderWithoutRowsIsRefusedAsTheFileReadWholeIsAndWritesNoModel) {
    write(dir_ / "empty.csv", "a,b,c,y\n");
    const auto whole = cli("train empty.csv --target y -q");
    ASSERT_EQ(whole.status, 1) << whole.err;
    for (const char* split : {"", " --validation-split 0"}) {
        const auto streamed = cli(std::string("train empty.csv --target y --stream -q") + split);
        EXPECT_EQ(streamed.status, 1) << split;
        EXPECT_EQ(streamed.err, whole.err) << split;
    }
    EXPECT_FALSE(fs::exists(dir_ / "model.dense"));
}

// ulimit -v bounds what available_memory() reports; the sanitizers' shadow memory needs more.
#if !defined(__SANITIZE_ADDRESS__)
TEST_F(Stream, AFileOverAQuarterOfTheAvailableMemoryIsStreamedWithANote) {
    std::string text = classes_csv(1000000, 5);  // about 28 MB
    write(dir_ / "large.csv", text);
    text.clear();
    const auto run = shell("ulimit -v 130000 && " + dense() +
                           " train large.csv --target y --layers 4 --epochs 1 --early-stopping 0 --batch-size 512 --threads 1 -q");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.err.find("streaming it (--stream"), std::string::npos) << run.err;
}
#endif

TEST_F(Stream, RefitStreamsEveryRowAgain) {
    const auto refit = cli("train train.csv --target y --layers 8 --epochs 3 --early-stopping 0 --stream --refit --json");
    ASSERT_EQ(refit.status, 0) << refit.err;
    const auto report = json::parse(refit.out);
    EXPECT_TRUE(report.at("refit").get<bool>());
    EXPECT_EQ(report.at("training_rows").get<std::size_t>(), 3000u);
}

}  // namespace
