#pragma once
// What the tests of the `dense` binary share: a temporary folder with reg.csv, running the binary
// in it (DENSE_CLI_PATH) and reading CSV text back.
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dense_cli_test {

namespace fs = std::filesystem;

struct Outcome {
    int status;
    std::string out, err;
};

inline std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A regression table: y = 2·a − b + 1 + (0.5 if c is "hot"), 40 rows.
inline std::string regression_csv() {
    std::string text = "a,b,c,y\n";
    for (int i = 0; i < 40; ++i) {
        const double a = (i % 7) * 0.5 - 1.5, b = (i % 5) * 0.25;
        const bool hot = i % 3 == 0;
        text += std::to_string(a) + "," + std::to_string(b) + "," + (hot ? "hot" : "cold") + "," +
                std::to_string(2 * a - b + 1 + (hot ? 0.5 : 0.0)) + "\n";
    }
    return text;
}

class Cli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("dense_cli_test_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        write(dir_ / "reg.csv", regression_csv());
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Runs `dense ARGS` in the test folder, stdin from `input` when given.
    Outcome cli(const std::string& args, const std::string& input = "") {
        const auto out = dir_ / "stdout.txt", err = dir_ / "stderr.txt", in = dir_ / "stdin.txt";
        write(in, input);
        const std::string command = "cd '" + dir_.string() + "' && '" DENSE_CLI_PATH "' " + args + " < '" + in.string() +
                                    "' > '" + out.string() + "' 2> '" + err.string() + "'";
        const int raw = std::system(command.c_str());
        return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
    }
    fs::path dir_;
};

inline std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream fields(line);
        for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

inline float parse_float(const std::string& text) {
    float value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    EXPECT_TRUE(error == std::errc{} && end == text.data() + text.size()) << "not a number: " << text;
    return value;
}

}  // namespace dense_cli_test
