// read_history_csv reads back what the core's CSVLogger writes, including NaN epochs, and names
// the file, line and column of anything it cannot read.
#include "dense/plot/history_csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "dense/dense.hpp"
#include "picture_reader.hpp"

namespace dense::plot::test {
namespace {

void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string error_of(const std::filesystem::path& path) {
    try {
        read_history_csv(path);
    } catch (const DataError& e) {
        return e.what();
    }
    return "no error";
}

TEST(HistoryCsv, ReadsWhatCsvLoggerWrote) {
    TemporaryFolder folder;
    const Matrix<double> x = Matrix<double>::column({-40, -10, 0, 8, 15, 22, 38});
    const Matrix<double> y = Matrix<double>::column({-40, 14, 32, 46, 59, 72, 100});
    f64::Sequential model({f64::Dense(1, {.input_dim = 1})});
    model.compile(f64::Adam(0.1), "mse", {"mae"});
    const auto logger = std::make_shared<f64::CSVLogger>((folder / "h.csv").string());
    const History fitted = model.fit(x, y, {.epochs = 3, .callbacks = {logger}, .verbose = 0});
    const History read = read_history_csv(folder / "h.csv");
    EXPECT_EQ(read.epoch, fitted.epoch);
    ASSERT_EQ(read.history.size(), fitted.history.size());
    for (const auto& [key, values] : fitted.history) {
        ASSERT_TRUE(read.history.contains(key)) << key;
        ASSERT_EQ(read[key].size(), values.size());
        for (std::size_t i = 0; i < values.size(); ++i) EXPECT_NEAR(read[key][i], values[i], 1e-6 * std::abs(values[i]));
    }
}

TEST(HistoryCsv, ReadsNaNInfinityAndEmptyCells) {
    TemporaryFolder folder;
    write(folder / "h.csv", "epoch,loss,val_loss\n0,nan,1.5\n1,inf,\n2,0.25,-inf\n");
    const History history = read_history_csv(folder / "h.csv");
    EXPECT_EQ(history.epoch, (std::vector<int>{0, 1, 2}));
    EXPECT_TRUE(std::isnan(history["loss"][0]));
    EXPECT_EQ(history["loss"][1], INFINITY);
    EXPECT_EQ(history["loss"][2], 0.25);
    EXPECT_TRUE(std::isnan(history["val_loss"][1]));
    EXPECT_EQ(history["val_loss"][2], -INFINITY);
}

TEST(HistoryCsv, NamesTheLineAndColumnOfTextThatIsNotANumber) {
    TemporaryFolder folder;
    write(folder / "h.csv", "epoch,loss\n0,0.5\n1,fast\n");
    EXPECT_NE(error_of(folder / "h.csv").find("h.csv:3:2"), std::string::npos) << error_of(folder / "h.csv");
}

TEST(HistoryCsv, RejectsAFileWithoutAnEpochColumn) {
    TemporaryFolder folder;
    write(folder / "h.csv", "loss,val_loss\n0.5,0.6\n");
    EXPECT_NE(error_of(folder / "h.csv").find("'epoch'"), std::string::npos) << error_of(folder / "h.csv");
}

TEST(HistoryCsv, RejectsAFileWithOnlyEpochs) {
    TemporaryFolder folder;
    write(folder / "h.csv", "epoch\n0\n1\n");
    EXPECT_NE(error_of(folder / "h.csv").find("h.csv:1"), std::string::npos) << error_of(folder / "h.csv");
}

TEST(HistoryCsv, RejectsAHeaderWithoutRows) {
    TemporaryFolder folder;
    write(folder / "h.csv", "epoch,loss\n");
    EXPECT_NE(error_of(folder / "h.csv").find("rows"), std::string::npos) << error_of(folder / "h.csv");
}

}  // namespace
}  // namespace dense::plot::test
