// Reproducibility: the same seed and thread count give bit-identical weights after training,
// with everything random switched on (initial weights, shuffling, dropout, validation split).
#include "test_support.hpp"

namespace dense {
namespace {

struct Data {
    Matrix<float> x, y;
};

Data classification_data() {
    Data d{testing::uniform_matrix<float>(120, 5, -1.0, 1.0, 3), Matrix<float>(120, 1)};
    for (std::size_t r = 0; r < 120; ++r) d.y(r, 0) = float(r % 3);
    return d;
}

std::vector<Tensor<float>> train(std::uint64_t model_seed, std::optional<std::uint64_t> fit_seed = std::nullopt,
                                 double validation_split = 0.2) {
    const Data d = classification_data();
    Sequential model({Dense(16, "relu", {.input_dim = 5}), Dropout(0.3), Dense(8, "tanh"), Dropout(0.2),
                      Dense(3, "softmax")},
                     {.seed = model_seed});
    model.compile(Adam(0.01), "sparse_categorical_crossentropy", {"accuracy"});
    model.fit(d.x, d.y,
              {.epochs = 5, .batch_size = 16, .validation_split = validation_split, .verbose = 0, .seed = fit_seed});
    return model.get_weights();
}

class ThreadCount : public ::testing::TestWithParam<std::size_t> {
protected:
    void SetUp() override { set_num_threads(GetParam()); }
    void TearDown() override { set_num_threads(0); }
};

TEST_P(ThreadCount, SameSeedGivesBitIdenticalWeightsAfterTraining) {
    const auto first = train(42);
    const auto second = train(42);
    ASSERT_EQ(first.size(), second.size());
    for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i], second[i]) << "weight array " << i;
}

INSTANTIATE_TEST_SUITE_P(Determinism, ThreadCount, ::testing::Values(std::size_t{1}, std::size_t{2}, std::size_t{4}));

TEST(Determinism, DifferentModelSeedsGiveDifferentWeights) { EXPECT_NE(train(42), train(43)); }

// fit's own seed drives shuffling and dropout while the initial weights stay those of the model seed.
TEST(Determinism, FitSeedChangesTrainingButIsItselfReproducible) {
    EXPECT_EQ(train(42, 7), train(42, 7));
    EXPECT_NE(train(42, 7), train(42, 8));
}

// Each epoch's shuffling and dropout depend only on (seed, epoch): stopping after two epochs and
// resuming with initial_epoch = 2 ends with the same weights as four epochs in one go.
TEST(Determinism, ResumingWithInitialEpochMatchesAnUninterruptedRun) {
    const Data d = classification_data();
    auto model = [] {
        Sequential m({Dense(16, "relu", {.input_dim = 5}), Dropout(0.3), Dense(3, "softmax")});
        m.compile(Adam(0.01), "sparse_categorical_crossentropy");
        return m;
    };
    Sequential whole = model();
    whole.fit(d.x, d.y, {.epochs = 4, .batch_size = 16, .verbose = 0});
    Sequential resumed = model();
    resumed.fit(d.x, d.y, {.epochs = 2, .batch_size = 16, .verbose = 0});
    resumed.fit(d.x, d.y, {.epochs = 4, .batch_size = 16, .initial_epoch = 2, .verbose = 0});
    EXPECT_EQ(resumed.get_weights(), whole.get_weights());
}

TEST(Determinism, ShuffledValidationSplitIsReproducible) {
    auto run = [](std::uint64_t seed) {
        const Data d = classification_data();
        Sequential model({Dense(4, "relu", {.input_dim = 5}), Dense(3, "softmax")});
        model.compile(SGD(0.0), "sparse_categorical_crossentropy");
        // SGD(0) keeps the weights, so val_loss tells which rows were held out.
        return model
            .fit(d.x, d.y, {.epochs = 1, .validation_split = 0.25, .verbose = 0, .seed = seed,
                            .shuffle_validation_split = true})["val_loss"][0];
    };
    EXPECT_EQ(run(5), run(5));
    EXPECT_NE(run(5), run(6));
}

}  // namespace
}  // namespace dense
