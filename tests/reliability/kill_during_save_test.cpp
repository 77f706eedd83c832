// kill -9 during a save: the file at the path must afterwards hold the old model or the new one,
// whole, never a torn mixture or nothing (save_model writes a temporary file, fsyncs it, renames
// it over the path). A child process saves two models in turn as fast as it can; the parent
// kills it at moments drawn from a seeded generator, then loads what is there.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "dense/dense.hpp"
#include "dense/io/model_file.hpp"

namespace {

namespace fs = std::filesystem;

// 256 × 256 weights (a 256 KB file): large enough that a kill often lands inside a write.
dense::Sequential wide_model(std::uint64_t seed) {
    dense::Sequential model({dense::Dense(256, {.input_dim = 256})}, {.seed = seed});
    model.build(256);
    return model;
}

// The child: saves `a` and `b` alternately to `path` until it is killed.
[[noreturn]] void save_forever(const dense::Sequential& a, const dense::Sequential& b, const fs::path& path) {
    for (;;) {
        dense::io::save_model(a, path);
        dense::io::save_model(b, path);
    }
}

class KillDuringSave : public ::testing::Test {
protected:
    void SetUp() override {
        folder_ = fs::temp_directory_path() / ("dense_kill_" + std::to_string(::getpid()));
        fs::create_directories(folder_);
    }
    void TearDown() override { fs::remove_all(folder_); }
    fs::path folder_;
};

TEST_F(KillDuringSave, LeavesTheOldOrTheNewModelNeverATornFile) {
    const auto a = wide_model(1);
    const auto b = wide_model(2);
    const auto path = folder_ / "m.dense";
    dense::io::save_model(a, path);
    std::mt19937 random(20);
    std::uniform_int_distribution<int> microseconds(0, 20000);
    constexpr int kills = 25;
    for (int kill = 0; kill < kills; ++kill) {
        const pid_t child = ::fork();
        ASSERT_NE(child, -1);
        if (child == 0) save_forever(a, b, path);
        std::this_thread::sleep_for(std::chrono::microseconds(microseconds(random)));
        ASSERT_EQ(::kill(child, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the saving child ended by itself";

        const auto weights = dense::io::load_model(path).model.get_weights();
        EXPECT_TRUE(weights == a.get_weights() || weights == b.get_weights()) << "after kill " << kill;
    }
}

}  // namespace
