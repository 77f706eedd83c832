// Sizes that cannot fit are refused before anything of that size is allocated, with the bytes
// needed and the memory available; thread counts are capped at what the machine can run;
// values at the edge of a double still make a model file that loads.
#include <thread>

#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace {

using namespace dense::cli_test;

TEST_F(Cli, LayersTooLargeForMemoryAreRefusedBeforeAllocating) {
    // 10^10 units: kernel and bias from one input, kernel and bias to one output: 3·10^10 + 1
    // weights; with their gradients and Adam's two slots, 4 float32 values each: 480 GB.
    const auto run = cli("train reg.csv --target y --epochs 1 --layers 10000000000");
    EXPECT_EQ(run.status, 2) << run.err;
    EXPECT_NE(run.err.find("--layers: holding the weights"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("is available"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("needs 480 GB of memory"), std::string::npos) << run.err;
}

TEST_F(Cli, ABatchWhoseActivationsCannotFitIsRefusedBeforeTraining) {
    std::string rows = "a,y\n";
    for (int i = 0; i < 5000; ++i) rows += std::to_string(i % 17) + "," + std::to_string(i % 5) + ".5\n";
    write(dir_ / "many.csv", rows);
    // A batch of 5000 rows through 4·10^6 units: 5000 · 4·10^6 · 3 values ≈ 240 GB.
    const auto run = cli("train many.csv --target y --epochs 1 --layers 4000000 --batch-size 5000");
    EXPECT_EQ(run.status, 2) << run.err;
    EXPECT_NE(run.err.find("training needs"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("a batch of 5000 rows"), std::string::npos) << run.err;
}

TEST_F(Cli, ThreadsBeyondFourPerCoreAreCappedWithANote) {
    const auto cap = 4 * std::max(1u, std::thread::hardware_concurrency());
    const auto run = cli("train reg.csv --target y --epochs 1 --quiet --out m.dense --threads 100000");
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.err.find("--threads 100000 is more than " + std::to_string(cap)), std::string::npos) << run.err;
}

TEST_F(Cli, TuneThreadsBeyondFourPerCoreAreCappedWithANote) {
    const auto cap = 4 * std::max(1u, std::thread::hardware_concurrency());
    const auto run = cli("tune reg.csv --target y --trials 2 --max-epochs 2 --out m.dense --threads 100000");
    EXPECT_EQ(run.status, 0) << run.err;  // 100000 threads asked of the system would fail to start
    EXPECT_NE(run.err.find("--threads 100000 is more than " + std::to_string(cap)), std::string::npos) << run.err;
}

TEST_F(Cli, AFeatureOfHugeValuesGivesAModelThatLoads) {
    std::string text = "big,y\n";
    for (int i = 0; i < 20; ++i) text += std::to_string(i % 7) + "e200," + std::to_string(i % 4) + ".5\n";
    write(dir_ / "huge.csv", text);
    const auto train = cli("train huge.csv --target y --epochs 1 --quiet --out m.dense");
    ASSERT_EQ(train.status, 0) << train.err;
    const auto file = dense::io::load_model(dir_ / "m.dense");
    EXPECT_GT(file.extras.preprocessing->features[0].stddev, 1e200);
    EXPECT_EQ(cli("predict m.dense huge.csv").status, 0);
}

TEST_F(Cli, ATargetBeyondFloatRangeIsRefusedAtItsCellNotACrash) {
    write(dir_ / "huge_y.csv", "a,y\n1,1e300\n2,2e300\n3,3e300\n4,4e300\n");
    const auto run = cli("train huge_y.csv --target y --epochs 1 --quiet --out m.dense");
    EXPECT_EQ(run.status, 1) << run.err;
    // The first row of the shuffled split is refused at its own cell: line L holds (L − 1)e300.
    const std::string file = "huge_y.csv:";
    const auto at = run.err.find(file);
    ASSERT_NE(at, std::string::npos) << run.err;
    const int line = run.err[at + file.size()] - '0';
    const std::string rest = ":2: target 'y' holds " + std::to_string(line - 1) + "e+300, beyond the float32";
    EXPECT_EQ(run.err.compare(at + file.size() + 1, rest.size(), rest), 0) << run.err;
    EXPECT_FALSE(fs::exists(dir_ / "m.dense"));
}

}  // namespace
