// Reading a CSV file in blocks gives the cells and lines of reading it whole, and plain numeric
// blocks give the numbers from_chars reads.
#include "dense/io/csv_blocks.hpp"

#include <filesystem>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "dense/error.hpp"
#include "dense/threads.hpp"

namespace dense::io {
namespace {

std::filesystem::path write_file(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::path(testing::TempDir()) / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// Every cell and line of the blocks, in order: "line:cell" per column.
std::vector<std::vector<std::string>> cells_of_blocks(const std::string& path, std::size_t block_bytes) {
    CsvBlockReader reader(path, {.csv = {}, .names = {}, .block_bytes = block_bytes});
    std::vector<std::vector<std::string>> cells(reader.header().columns.size());
    while (const auto block = reader.next()) {
        const CsvTable table = block->table();
        for (std::size_t c = 0; c < table.columns.size(); ++c)
            for (std::size_t r = 0; r < table.rows(); ++r)
                cells[c].push_back(std::to_string(table.columns[c].line(r)) + ":" + std::string(table.columns[c].cell(r)));
    }
    return cells;
}

TEST(CsvBlocks, BlocksOfAnySizeGiveTheCellsAndLinesOfTheWholeFile) {
    std::string text = "\xEF\xBB\xBFid,note\r\n";
    for (int r = 0; r < 60; ++r) text += std::to_string(r) + (r % 4 == 0 ? ",\"a\r\nb,\"\"c\"\"\"\r\n" : ",plain\r\n") + (r % 7 == 0 ? "\r\n" : "");
    const auto path = write_file("dense_csv_blocks.csv", text);
    const CsvTable whole = parse_csv(text, path.string());
    std::vector<std::vector<std::string>> expected(whole.columns.size());
    for (std::size_t c = 0; c < whole.columns.size(); ++c)
        for (std::size_t r = 0; r < whole.rows(); ++r)
            expected[c].push_back(std::to_string(whole.columns[c].line(r)) + ":" + std::string(whole.columns[c].cell(r)));
    EXPECT_EQ(expected[1][0], "2:a\r\nb,\"c\"");  // the cut cases below are compared with this reading
    for (std::size_t block_bytes : {1, 2, 3, 5, 16, 100, 4096}) EXPECT_EQ(cells_of_blocks(path.string(), block_bytes), expected) << block_bytes;
    std::filesystem::remove(path);
}

TEST(CsvBlocks, HeaderlessFileTakesTheNamesAndTheDelimiterThatSplitsTheFirstLine) {
    const auto path = write_file("dense_csv_blocks_headerless.csv", "1;2\n3;4\n");
    CsvBlockReader reader(path.string(), {.csv = {}, .names = {"a", "b"}, .block_bytes = 4});
    EXPECT_EQ(reader.header().delimiter, ';');
    std::vector<std::string> b;
    while (const auto block = reader.next()) {
        const auto table = block->table();
        for (std::size_t r = 0; r < table.rows(); ++r) b.emplace_back(table.column("b").cell(r));
    }
    EXPECT_EQ(b, (std::vector<std::string>{"2", "4"}));
    std::filesystem::remove(path);
}

CsvBlock block_of(const std::string& text) {
    auto header = std::make_shared<CsvTable>();
    header->source = "data.csv";
    header->columns = {CsvColumn("x", 1), CsvColumn("skip", 2), CsvColumn("y", 3)};
    return {.text = text, .first_line = 2, .header = header};
}

TEST(CsvBlocks, PlainNumbersAreStandardisedIntoTheirInputColumns) {
    const std::vector<NumericInput> fields{{.input = 1, .mean = 1, .stddev = 2}, {}, {.input = 0, .mean = 0, .stddev = 1}};
    const auto values = plain_numbers(block_of("3,abc,-0.5\r\n1e1,,.25"), fields, 2);
    ASSERT_TRUE(values);
    // (3 − 1) / 2 = 1 and (10 − 1) / 2 = 4.5 in input 1; y as it is in input 0.
    const std::vector<float> expected{-0.5f, 1.0f, 0.25f, 4.5f};
    EXPECT_EQ(std::vector<float>(values->row(0).data(), values->row(0).data() + 4), expected);
}

TEST(CsvBlocks, AnythingButPlainNumbersIsLeftToTheTable) {
    const std::vector<NumericInput> fields{{.input = 0}, {}, {.input = 1}};
    for (const char* text : {"1,a,\n", "1,a, 2\n", "+1,a,2\n", "1,\"a\",2\n", "1,a,2\n\n3,a,4\n", "1,a\n", "1,a,2,3\n",
                             "nan,a,2\n", "1e999,a,2\n", "1e39,a,2\n", "1,a,2\r3,a,4\n"})
        EXPECT_FALSE(plain_numbers(block_of(text), fields, 2)) << text;
}

// A block of `rows` records of three random decimals (short and long, every form from_chars
// takes), "\r\n" ends on odd rows, and the values from_chars reads, standardised as `fields` say
// (`width` inputs a row).
struct RandomBlock {
    std::string text;
    std::vector<float> expected;
};

RandomBlock random_block(std::size_t rows, const std::vector<NumericInput>& fields, std::size_t width) {
    std::mt19937_64 random(11);
    const char* forms[] = {"7.", ".25", "-.5", "1e5", "-2.5E-3", "123456789012345678", "0.000000000000000123", "-0"};
    RandomBlock block;
    block.expected.resize(rows * width);
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t f = 0; f < 3; ++f) {
            std::string number = random() % 2 ? "-" : "";
            if (random() % 8 == 0) {
                number = forms[random() % 8];
            } else {
                number += std::to_string(random() % 1000) + "." + std::to_string(random() % 100000);
            }
            block.text += number + (f < 2 ? "," : r % 2 ? "\r\n" : "\n");
            double value = 0;
            std::from_chars(number.data(), number.data() + number.size(), value);
            if (fields[f].input != NumericInput::unused)
                block.expected[r * width + fields[f].input] = static_cast<float>((value - fields[f].mean) / fields[f].stddev);
        }
    }
    return block;
}

TEST(CsvBlocks, PlainNumbersOfALargeBlockAreFromCharsOnOneThreadAndOnMany) {
    const std::vector<NumericInput> fields{{.input = 1, .mean = 0.5, .stddev = 3}, {}, {.input = 0, .mean = -2, .stddev = 0.7}};
    const RandomBlock random = random_block(200000, fields, 2);  // about 4 MB: parts on several threads
    const std::size_t threads = num_threads();
    for (std::size_t t : {std::size_t{1}, std::size_t{3}}) {
        set_num_threads(t);
        const auto values = plain_numbers(block_of(random.text), fields, 2);
        ASSERT_TRUE(values) << t;
        EXPECT_TRUE(std::equal(random.expected.begin(), random.expected.end(), values->data())) << t;
    }
    set_num_threads(threads);
}

TEST(CsvBlocks, AnythingButPlainNumbersInALargeBlockIsLeftToTheTable) {
    const std::vector<NumericInput> fields{{.input = 0}, {.input = 1}, {.input = 2}};
    const std::string text = random_block(1000, fields, 3).text;
    ASSERT_TRUE(plain_numbers(block_of(text), fields, 3));
    for (const char* bad : {"+1", "1.2.3", "", " 2", "nan", "0x1", "1e999", "1,5"}) {
        const std::size_t middle = text.find(',', text.size() / 2) + 1;  // a field that read_short_decimal takes
        const std::string changed = text.substr(0, middle) + bad + text.substr(text.find(',', middle));
        EXPECT_FALSE(plain_numbers(block_of(changed), fields, 3)) << bad;
    }
}

}  // namespace
}  // namespace dense::io
