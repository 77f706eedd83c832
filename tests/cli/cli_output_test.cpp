// Every write is checked: a full disk, a file-size limit or a target that is not a regular file
// ends the run with exit 1 and the reason, never exit 0 with a missing or empty file; saves leave
// no temporary files behind, even after a save was killed.
#include <unistd.h>

#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace {

using namespace dense::cli_test;

class CliOutput : public Cli {
protected:
    void SetUp() override {
        Cli::SetUp();
        ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    }
};

TEST_F(CliOutput, AFullDiskIsAnErrorForEveryOutput) {
    for (const char* args : {"train reg.csv --target y --epochs 1 --quiet --out /dev/full",
                             "train reg.csv --target y --epochs 1 --quiet --out m2.dense --history /dev/full",
                             "predict m.dense reg.csv --out /dev/full"}) {
        const auto run = cli(args);
        EXPECT_EQ(run.status, 1) << args;
        EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << args << ": " << run.err;
    }
    const auto to_stdout = shell(dense() + " predict m.dense reg.csv > /dev/full");
    EXPECT_EQ(to_stdout.status, 1);
    EXPECT_NE(to_stdout.err.find("cannot write the output"), std::string::npos) << to_stdout.err;
}

TEST_F(CliOutput, AFileSizeLimitIsReportedNotAKillBySignal) {
    // ulimit -f counts 512-byte blocks: 2 blocks take the history of one epoch but not the model.
    const auto run = shell("ulimit -f 2; " + dense() + " train reg.csv --target y --epochs 1 --quiet --out big.dense");
    EXPECT_EQ(run.status, 1) << run.err;
    EXPECT_NE(run.err.find("File too large"), std::string::npos) << run.err;
    EXPECT_FALSE(fs::exists(dir_ / "big.dense"));
}

TEST_F(CliOutput, AFifoIsWrittenThroughAndNotReplaced) {
    const auto expected = cli("predict m.dense reg.csv").out;
    const auto run = shell("mkfifo pipe && { cat pipe > got.csv & } && " + dense() +
                           " predict m.dense reg.csv --out pipe && wait");
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(fs::is_fifo(dir_ / "pipe"));
    EXPECT_EQ(slurp(dir_ / "got.csv"), expected);
}

TEST_F(CliOutput, AFolderIsNotAnOutputFile) {
    fs::create_directory(dir_ / "folder");
    const auto run = cli("predict m.dense reg.csv --out folder");
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("'folder' is a folder"), std::string::npos) << run.err;
}

// A PID that no process has: that of a shell that has already exited.
std::string dead_pid() {
    FILE* shell = ::popen("sh -c 'echo $$'", "r");
    char text[32] = {};
    std::fgets(text, sizeof text, shell);
    ::pclose(shell);
    return std::string(text, std::strcspn(text, "\n"));
}

std::string host_in_temporaries() {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    std::string host(name);
    for (char& c : host)
        if (c == '/' || c == '-') c = '_';
    return host.substr(0, 64);
}

TEST_F(CliOutput, TemporariesOfKilledSavesAreRemovedByTheNextSave) {
    const std::string prefix = ".m.dense.tmp-" + host_in_temporaries() + "-";
    const auto stale = prefix + dead_pid() + "-Ab12Cd";
    const auto live = prefix + std::to_string(::getpid()) + "-Ab12Cd";  // this test's process saves nothing, but lives
    const auto other_file = ".n.dense.tmp-" + host_in_temporaries() + "-" + dead_pid() + "-Ab12Cd";
    for (const auto& name : {stale, live, other_file}) write(dir_ / name, "partial model");
    ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    EXPECT_FALSE(fs::exists(dir_ / stale));
    EXPECT_TRUE(fs::exists(dir_ / live));
    EXPECT_TRUE(fs::exists(dir_ / other_file));  // another file's: its own next save removes it
    EXPECT_NO_THROW(dense::io::load_model(dir_ / "m.dense"));
}

TEST_F(CliOutput, ANonModelFileIsRefusedOnItsFirstBytes) {
    // /dev/zero never ends: only a check of the first bytes finishes.
    const auto run = shell("timeout 20 " + dense() + " summary /dev/zero");
    EXPECT_EQ(run.status, 1) << run.err;
    EXPECT_NE(run.err.find("/dev/zero is not a dense model file"), std::string::npos) << run.err;
}

}  // namespace
