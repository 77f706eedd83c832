// Tables of plain numbers, whose columns keep each cell's number and point into the file's text:
// every cell, line and number is the one the record reader gives for the same file, whatever is
// done to the table (read from a file or a stream, put in another order, copied, appended to).
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dense/error.hpp"
#include "dense/io/csv.hpp"
#include "dense/io/numeric_column.hpp"

namespace dense::io {
namespace {

// A file of plain numbers: a BOM, five columns so that cells are found from both ends of a
// record, "\r\n" and "\n" ends, and a last record without a line break.
const std::string plain_text = "\xEF\xBB\xBF" "a,b,c,d,e\r\n"
                               "1,-2.5,3e2,.5,7.\n"
                               "-0,10,0.125,-4,5\r\n"
                               "6,7,8,9,1e-3\n"
                               "2.25,3,-1,0,12";

// The same cells, read by the record reader: one quoted cell makes the text not plain.
std::string quoted_text() {
    std::string text = plain_text;
    text.replace(text.rfind("12"), 2, "\"12\"");
    return text;
}

// Each cell's text, line, known number (its bits, so NaN compares) and parse_cell's number.
struct Cell {
    std::string text;
    std::size_t line;
    std::uint64_t known;
    double parsed;
    bool operator==(const Cell&) const = default;
};

std::vector<std::vector<Cell>> cells_of(const CsvTable& table, bool with_known) {
    std::vector<std::vector<Cell>> columns;
    for (const auto& column : table.columns) {
        columns.emplace_back();
        for (std::size_t r = 0; r < column.size(); ++r) {
            const double known = with_known ? column.known_number(r) : std::nan("");
            columns.back().push_back({std::string(column.cell(r)), column.line(r), std::bit_cast<std::uint64_t>(known),
                                      parse_cell(column.cell(r)).value});
        }
    }
    return columns;
}

// Every cell of a plain table has its number known, and it is parse_cell's, bit for bit.
void expect_numbers_known(const CsvTable& table) {
    for (const auto& column : table.columns)
        for (std::size_t r = 0; r < column.size(); ++r)
            EXPECT_EQ(std::bit_cast<std::uint64_t>(column.known_number(r)),
                      std::bit_cast<std::uint64_t>(parse_cell(column.cell(r)).value))
                << column.name() << " row " << r;
}

TEST(CsvPlainRows, FileStreamAndTextGiveTheRecordReadersCellsAndLines) {
    const CsvTable reference = parse_csv(quoted_text(), "data.csv");
    const auto path = std::filesystem::path(testing::TempDir()) / "dense_csv_plain_rows_test.csv";
    std::ofstream(path, std::ios::binary) << plain_text;
    std::istringstream stream(plain_text);
    for (const CsvTable& table : {parse_csv(plain_text, "data.csv"), read_csv(path), read_csv(stream, "<stdin>")}) {
        ASSERT_EQ(table.rows(), 4u);
        EXPECT_EQ(cells_of(table, false), cells_of(reference, false));
        expect_numbers_known(table);
        EXPECT_EQ(table.column("c").cell(0), "3e2");
        EXPECT_EQ(table.column("e").cell(3), "12");
        EXPECT_EQ(table.column("a").line(3), 5u);
    }
    std::filesystem::remove(path);
}

TEST(CsvPlainRows, OneColumnAndOneRow) {
    const CsvTable table = parse_csv("x\n-1.5\n", "data.csv");
    EXPECT_EQ(table.columns[0].cell(0), "-1.5");
    EXPECT_EQ(table.columns[0].known_number(0), -1.5);
    EXPECT_EQ(table.columns[0].line(0), 2u);
}

TEST(CsvPlainRows, RowsInOrderGiveTheSameCellsForPlainAndTextTables) {
    const std::vector<std::size_t> order = {3, 0, 0, 2};  // a row repeated, one left out
    const CsvTable plain = rows_in_order(parse_csv(plain_text, "data.csv"), order);
    const CsvTable text = rows_in_order(parse_csv(quoted_text(), "data.csv"), order);
    ASSERT_EQ(plain.rows(), 4u);
    EXPECT_EQ(cells_of(plain, false), cells_of(text, false));
    expect_numbers_known(plain);
    EXPECT_EQ(plain.column("b").cell(0), "3");
    EXPECT_EQ(plain.column("b").line(0), 5u);
    // Again: the order of an order.
    const CsvTable again = rows_in_order(plain, std::vector<std::size_t>{3, 1});
    EXPECT_EQ(again.column("d").cell(0), "9");
    EXPECT_EQ(again.column("d").cell(1), ".5");
    EXPECT_EQ(again.column("d").line(0), 4u);
    for (const auto& column : plain.columns)
        EXPECT_EQ(numeric_column(plain, column.name()), numeric_column(text, column.name()));
}

TEST(CsvPlainRows, RowsAppendedOneByOneKeepTheirCellsLinesAndNumbers) {
    const CsvTable plain = parse_csv(plain_text, "data.csv");
    const CsvTable other = parse_csv("a\n99\n", "other.csv");
    CsvColumn column("a", 1);
    for (std::size_t r : {2, 1}) column.append_row(plain.column("e"), r);
    EXPECT_EQ(column.cell(0), "1e-3");
    EXPECT_EQ(column.line(1), 3u);
    column.append_row(other.columns[0], 0);  // another file's records: the column becomes text cells
    column.append("NA", 7);
    ASSERT_EQ(column.size(), 4u);
    EXPECT_EQ((std::vector<std::string_view>{column.cell(0), column.cell(1), column.cell(2), column.cell(3)}),
              (std::vector<std::string_view>{"1e-3", "5", "99", "NA"}));
    EXPECT_EQ(column.line(0), 4u);
    EXPECT_EQ(column.line(2), 2u);
    EXPECT_EQ(column.line(3), 7u);
    EXPECT_EQ(column.known_number(0), 1e-3);
    EXPECT_EQ(column.known_number(2), 99.0);
    EXPECT_TRUE(std::isnan(column.known_number(3)));
}

TEST(CsvPlainRows, ACopyAppendedToLeavesTheTableAsItWas) {
    const CsvTable plain = parse_csv(plain_text, "data.csv");
    CsvColumn copy = plain.column("b");
    copy.append("", 9);
    EXPECT_EQ(copy.size(), 5u);
    EXPECT_EQ(copy.cell(0), "-2.5");
    EXPECT_EQ(copy.line(4), 9u);
    EXPECT_EQ(plain.column("b").size(), 4u);
    EXPECT_EQ(plain.column("b").cell(3), "3");
    EXPECT_EQ(plain.column("b").known_number(3), 3.0);
}

TEST(CsvPlainRows, CellsOfAnotherColumnOrOfTextAppendedKeepTheirOwnText) {
    const CsvTable plain = parse_csv(plain_text, "data.csv");
    const CsvTable text = parse_csv("a\nx\n\"7\"\n", "text.csv");
    CsvColumn column = plain.column("a");
    column.append_rows(text.columns[0], 10);
    column.append_row(plain.column("c"), 0);
    ASSERT_EQ(column.size(), 7u);
    EXPECT_EQ((std::vector<std::string_view>{column.cell(0), column.cell(3), column.cell(4), column.cell(5), column.cell(6)}),
              (std::vector<std::string_view>{"1", "2.25", "x", "7", "3e2"}));
    EXPECT_EQ(column.line(4), 12u);
    EXPECT_EQ(column.line(6), 2u);
    EXPECT_EQ(column.known_number(3), 2.25);
    EXPECT_TRUE(std::isnan(column.known_number(4)));
    EXPECT_TRUE(std::isnan(column.known_number(5)));
    EXPECT_EQ(column.known_number(6), 300.0);
    CsvColumn same = plain.column("a");
    same.append_row(plain.column("e"), 1);  // the same records, another field
    EXPECT_EQ(same.cell(4), "5");
    EXPECT_EQ(same.cell(0), "1");
}

TEST(CsvPlainRows, WithOwnTextKeepsEveryCellLineAndNumber) {
    const CsvTable plain = rows_in_order(parse_csv(plain_text, "data.csv"), std::vector<std::size_t>{2, 0});
    const CsvTable own = with_own_text(plain);
    EXPECT_EQ(cells_of(own, true), cells_of(plain, true));
    expect_numbers_known(own);
}

// filled_numbers is numeric_column of the first rows and one more, missing cell: the fill
// value the training rows give, in the last cell.
TEST(CsvPlainRows, FilledNumbersAreNumericColumnOfTheRowsAndAMissingCell) {
    const CsvTable text = parse_csv("x,y\n1,0\nNA,0\n4,0\n\"10\",0\n", "data.csv");
    const CsvTable plain = parse_csv("x,y\n1,0\n3,0\n4,0\n10,0\n", "data.csv");
    for (const CsvTable* table : {&text, &plain})
        for (FillPolicy fill : {FillPolicy::mean, FillPolicy::median, FillPolicy::zero}) {
            const auto& column = table->column("x");
            CsvColumn probe(column.name(), column.number());
            for (std::size_t r = 0; r < 3; ++r) probe.append_row(column, r);
            probe.append("", 1);
            const CsvTable rows{.source = table->source, .delimiter = ',', .columns = {probe}};
            auto expected = numeric_column(rows, "x", fill);
            const auto [values, filler] = filled_numbers(*table, column, 3, fill);
            EXPECT_EQ(filler, expected.back());
            expected.pop_back();
            EXPECT_EQ(values, expected);
        }
    EXPECT_EQ(filled_numbers(text, text.column("x"), 3, FillPolicy::mean).fill, 2.5);  // (1 + 4) / 2
    EXPECT_EQ(filled_numbers(plain, plain.column("x"), 3, FillPolicy::median).fill, 3.0);
    EXPECT_THROW(filled_numbers(text, text.column("x"), 3, FillPolicy::none), DataError);
}

TEST(CsvPlainRows, MissingCellsAreToldWithoutText) {
    const CsvTable text = parse_csv("x\n1\n \nnull\n", "data.csv");
    EXPECT_EQ((std::vector<bool>{is_missing_cell(text.columns[0], 0), is_missing_cell(text.columns[0], 1),
                                 is_missing_cell(text.columns[0], 2)}),
              (std::vector<bool>{false, true, true}));
    const CsvTable plain = parse_csv("x\n1\n2\n", "data.csv");
    EXPECT_FALSE(is_missing_cell(plain.columns[0], 1));
}

}  // namespace
}  // namespace dense::io
