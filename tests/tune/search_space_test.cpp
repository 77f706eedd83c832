// SearchSpace: defaults, JSON overrides, sampling ranges and the baseline.
#include "dense/tune/search_space.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dense/error.hpp"

namespace dense::tune {
namespace {

TEST(SearchSpace, JsonOverridesOnlyTheKeysItNames) {
    const SearchSpace defaults;
    const auto space = defaults.with_json(R"({"hidden_layers": [1, 2], "optimizers": ["sgd"], "max_epochs": 7})", "test");
    EXPECT_EQ(space.min_hidden_layers, 1u);
    EXPECT_EQ(space.max_hidden_layers, 2u);
    EXPECT_EQ(space.optimizers, std::vector<std::string>{"sgd"});
    EXPECT_EQ(space.max_epochs, 7);
    EXPECT_EQ(space.activations, defaults.activations);
    EXPECT_EQ(space.max_units, defaults.max_units);
}

TEST(SearchSpace, WritesJsonThatReadsBackAsTheSameSpace) {
    const auto space = SearchSpace::for_data(50000);
    const auto again = SearchSpace{}.with_json(space.to_json(), "round trip");
    EXPECT_EQ(again.to_json(), space.to_json());
    EXPECT_EQ(again.batch_sizes, space.batch_sizes);
    EXPECT_EQ(again.min_units, space.min_units);
}

TEST(SearchSpace, RefusesUnknownKeysNamingTheKnownOnes) {
    try {
        SearchSpace{}.with_json(R"({"neurons": [1, 4]})", "space.json");
        FAIL() << "an unknown key was accepted";
    } catch (const UsageError& error) {
        EXPECT_NE(std::string(error.what()).find("space.json"), std::string::npos);
        EXPECT_NE(std::string(error.what()).find("hidden_layers"), std::string::npos);
    }
}

TEST(SearchSpace, RefusesEmptyRangesUnknownNamesAndBadJson) {
    EXPECT_THROW(SearchSpace{}.with_json(R"({"units": [64, 8]})", "t"), UsageError);
    EXPECT_THROW(SearchSpace{}.with_json(R"({"learning_rate": [0, 0.1]})", "t"), UsageError);
    EXPECT_THROW(SearchSpace{}.with_json(R"({"activations": ["wiggle"]})", "t"), UsageError);
    EXPECT_THROW(SearchSpace{}.with_json(R"({"optimizers": ["lbfgs"]})", "t"), UsageError);
    EXPECT_THROW(SearchSpace{}.with_json(R"({"dropout": [1.0]})", "t"), UsageError);
    EXPECT_THROW(SearchSpace{}.with_json(R"({"hidden_layers": [-1, 2]})", "t"), UsageError);
    EXPECT_THROW(SearchSpace{}.with_json(R"({"units": [4, 512)", "t"), UsageError);
    EXPECT_THROW(SearchSpace{}.with_json_file("/nonexistent/space.json"), UsageError);
}

TEST(SearchSpace, SmallDataGetsSmallerLayersAndMoreEpochsThanLargeData) {
    const auto small = SearchSpace::for_data(200), large = SearchSpace::for_data(60000);
    EXPECT_LT(small.max_units, large.max_units);
    EXPECT_GT(small.max_epochs, large.max_epochs);
    EXPECT_EQ(small.min_hidden_layers, 0u);
    EXPECT_EQ(large.min_hidden_layers, 0u);
}

TEST(SearchSpace, SamplesStayInsideTheSpaceAndReachZeroHiddenLayers) {
    const SearchSpace space;
    Rng rng(1);
    bool saw_no_hidden_layer = false, saw_most_layers = false;
    for (int i = 0; i < 500; ++i) {
        const auto h = space.sample(rng);
        EXPECT_LE(h.hidden_units.size(), space.max_hidden_layers);
        saw_no_hidden_layer |= h.hidden_units.empty();
        saw_most_layers |= h.hidden_units.size() == space.max_hidden_layers;
        for (auto units : h.hidden_units) {
            EXPECT_GE(units, space.min_units);
            EXPECT_LE(units, space.max_units);
        }
        EXPECT_GE(h.learning_rate, space.min_learning_rate);
        EXPECT_LE(h.learning_rate, space.max_learning_rate);
        EXPECT_TRUE(std::ranges::find(space.batch_sizes, h.batch_size) != space.batch_sizes.end());
    }
    EXPECT_TRUE(saw_no_hidden_layer);
    EXPECT_TRUE(saw_most_layers);
}

TEST(SearchSpace, LearningRatesAreLogUniform) {
    // Log-uniform on [1e-4, 1e-1]: each of the three decades holds a third of the draws.
    const SearchSpace space;
    Rng rng(2);
    int decade_counts[3] = {0, 0, 0};
    const int draws = 3000;
    for (int i = 0; i < draws; ++i) {
        const double lr = space.sample(rng).learning_rate;
        ++decade_counts[std::min(2, static_cast<int>(std::floor(std::log10(lr) + 4.0)))];
    }
    for (int count : decade_counts) EXPECT_NEAR(count, draws / 3, 120);
}

TEST(SearchSpace, TheBaselineIsTheSimplestPointOfTheSpace) {
    const auto space = SearchSpace{}.with_json(R"({"learning_rate": [1e-4, 1e-3], "l2": [1e-3, 0]})", "t");
    const auto baseline = space.baseline();
    EXPECT_TRUE(baseline.hidden_units.empty());
    EXPECT_EQ(baseline.learning_rate, 1e-3);  // 0.01 clamped into the range
    EXPECT_EQ(baseline.l2, 0.0);
    EXPECT_EQ(baseline.dropout, 0.0);
}

}  // namespace
}  // namespace dense::tune
