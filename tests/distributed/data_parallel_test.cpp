// Data-parallel fit under mpirun: every process trains on its shard of the rows and the result
// must be single-process training with the same global batch, within float32 round-off. Each
// process also runs the single-process fit itself (the reference is plain fit(), which never
// touches MPI). With --weights-out FILE, process 0 writes the trained weights' bytes so that two
// runs can be compared bit for bit (CTest does, tests/distributed/CMakeLists.txt).
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <dense/dense.hpp>
#include <dense/distributed/communicator.hpp>

namespace {

std::shared_ptr<dense::distributed::Communicator> world;
std::string weights_out;

// 403 rows (uneven over 2 or 4 processes) of 4 features in [-1, 1); the class is the largest of
// x0 + x1, x2 − x3 and 0.3.
struct Data {
    dense::Matrix<float> x{403, 4}, y{403, 1};
    Data() {
        dense::Rng rng(11);
        for (auto& v : x.values()) v = float(rng.uniform(-1.0, 1.0));
        for (std::size_t r = 0; r < x.rows(); ++r) {
            const float scores[] = {x(r, 0) + x(r, 1), x(r, 2) - x(r, 3), 0.3f};
            y(r, 0) = float(std::max_element(scores, scores + 3) - scores);
        }
    }
};

dense::Matrix<float> rows_of(const dense::Matrix<float>& m, std::size_t first, std::size_t end) {
    dense::Matrix<float> out(end - first, m.cols());
    std::copy(m.values().begin() + long(first * m.cols()), m.values().begin() + long(end * m.cols()), out.values().begin());
    return out;
}

dense::Sequential compiled_model() {
    dense::Sequential model({dense::Dense(16, {.input_dim = 4, .activation = "relu"}), dense::Dense(3, "softmax")},
                            {.seed = 5});
    model.compile(dense::Adam(0.01), "sparse_categorical_crossentropy", {"accuracy"});
    return model;
}

dense::FitOptions<float> five_epochs() {
    return {.epochs = 5, .batch_size = 32, .validation_split = 0.2, .verbose = 0, .seed = 3,
            .shuffle_validation_split = true};
}

TEST(DataParallel, FiveEpochsEqualSingleProcessWithTheSameGlobalBatch) {
    const Data data;
    auto single = compiled_model();
    const auto single_history = single.fit(data.x, data.y, five_epochs());

    auto parallel = compiled_model();
    const auto [first, end] = dense::shard_of(data.x.rows(), world->rank(), world->size());
    auto options = five_epochs();
    options.data_parallel = world;
    const auto history = parallel.fit(rows_of(data.x, first, end), rows_of(data.y, first, end), options);

    const auto expected = single.get_weights(), got = parallel.get_weights();
    ASSERT_EQ(expected.size(), got.size());
    for (std::size_t t = 0; t < got.size(); ++t)
        for (std::size_t i = 0; i < got[t].size(); ++i)
            ASSERT_NEAR(got[t].values[i], expected[t].values[i], 1e-4) << "weights " << t << "[" << i << "]";
    for (const char* key : {"loss", "accuracy", "val_loss", "val_accuracy"})
        for (std::size_t e = 0; e < 5; ++e)
            EXPECT_NEAR(history.history.at(key)[e], single_history.history.at(key)[e], 1e-5) << key << " epoch " << e;

    if (world->rank() == 0 && !weights_out.empty()) {
        std::ofstream out(weights_out, std::ios::binary);
        for (const auto& tensor : got)
            out.write(reinterpret_cast<const char*>(tensor.values.data()), std::streamsize(tensor.size() * sizeof(float)));
    }
}

TEST(DataParallel, WeightsStayIdenticalOnEveryProcess) {
    const Data data;
    auto model = compiled_model();
    const auto [first, end] = dense::shard_of(data.x.rows(), world->rank(), world->size());
    auto options = five_epochs();
    options.epochs = 2;
    options.data_parallel = world;
    model.fit(rows_of(data.x, first, end), rows_of(data.y, first, end), options);
    std::string bytes;
    for (const auto& tensor : model.get_weights())
        bytes.append(reinterpret_cast<const char*>(tensor.values.data()), tensor.size() * sizeof(float));
    const auto all = world->gather(bytes);
    for (std::size_t r = 1; r < all.size(); ++r) EXPECT_EQ(all[r], all[0]) << "process " << r << " has other weights";
}

// Three rows over four processes: the last holds none, takes part in every step all the same, and
// the weights are those of one process on the three rows.
TEST(DataParallel, AProcessHoldingNoRowsTakesPartAndTheResultIsThatOfOneProcess) {
    const Data data;
    const auto x = rows_of(data.x, 0, 3), y = rows_of(data.y, 0, 3);
    auto options = five_epochs();
    options.batch_size = 2;
    options.validation_split = 0.0;
    auto single = compiled_model();
    single.fit(x, y, options);

    auto parallel = compiled_model();
    const auto [first, end] = dense::shard_of(x.rows(), world->rank(), world->size());
    options.data_parallel = world;
    parallel.fit(rows_of(x, first, end), rows_of(y, first, end), options);
    const auto expected = single.get_weights(), got = parallel.get_weights();
    for (std::size_t t = 0; t < got.size(); ++t)
        for (std::size_t i = 0; i < got[t].size(); ++i)
            ASSERT_NEAR(got[t].values[i], expected[t].values[i], 1e-5) << "weights " << t << "[" << i << "]";
}

TEST(DataParallel, NoRowsOnAnyProcessIsADataError) {
    auto model = compiled_model();
    auto options = five_epochs();
    options.data_parallel = world;
    EXPECT_THROW(model.fit(dense::Matrix<float>(0, 4), dense::Matrix<float>(0, 1), options), dense::DataError);
}

TEST(DataParallel, StratifiedSplitIsRefusedWithAMessage) {
    const Data data;
    auto model = compiled_model();
    auto options = five_epochs();
    options.stratify = true;
    options.data_parallel = world;
    try {
        model.fit(data.x, data.y, options);
        FAIL() << "no error";
    } catch (const dense::UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("validation_data"), std::string::npos) << e.what();
    }
}

TEST(DataParallel, ShardsCoverEveryRowOnceInRankOrder) {
    std::size_t next = 0;
    for (std::size_t rank = 0; rank < 4; ++rank) {
        const auto [first, end] = dense::shard_of(10, rank, 4);
        EXPECT_EQ(first, next);
        EXPECT_EQ(end - first, rank < 2 ? 3u : 2u);  // 10 = 3 + 3 + 2 + 2
        next = end;
    }
}

}  // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--weights-out") == 0) weights_out = argv[i + 1];
    world = std::make_shared<dense::distributed::Communicator>();
    const int failed = RUN_ALL_TESTS();
    std::vector<double> failures{double(failed != 0)};
    world->sum(failures);  // every process fails if one did
    world.reset();
    return failures[0] > 0 ? 1 : 0;
}
