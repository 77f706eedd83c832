// Numbers from CSV columns: what counts as a number, as missing, and how missing values are filled.
#include "dense/io/numeric_column.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "dense/error.hpp"

namespace dense::io {
namespace {

CsvTable parse(std::string_view text) { return parse_csv(text, "data.csv"); }

TEST(NumericColumn, ParsesDecimalAndScientificNumbers) {
    const CsvTable table = parse("x\n1\n-2.5\n+3\n 4e2 \n.5\n");
    EXPECT_EQ(numeric_column(table, "x"), (std::vector<double>{1, -2.5, 3, 400, 0.5}));
}

TEST(NumericColumn, TextInNumericColumnNamesFileLineColumnAndName) {
    const CsvTable table = parse("id,age\n1,30\n2,abc\n");
    try {
        numeric_column(table, "age");
        FAIL();
    } catch (const DataError& error) {
        EXPECT_STREQ(error.what(),
                     "data.csv:3:2: column 'age' has text 'abc' where a number is expected; fix the cell or drop the column");
    }
}

struct RejectedCell {
    std::string name;
    std::string cell;
    std::string fragment;
};

void PrintTo(const RejectedCell& c, std::ostream* os) { *os << c.name; }

class NumericColumnRejects : public testing::TestWithParam<RejectedCell> {};

TEST_P(NumericColumnRejects, CellWithClearMessage) {
    const CsvTable table = parse("x\n1\n" + GetParam().cell + "\n");
    try {
        numeric_column(table, "x");
        FAIL() << "accepted '" << GetParam().cell << "'";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("data.csv:3:1: column 'x'"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find(GetParam().fragment), std::string::npos) << error.what();
    }
    EXPECT_FALSE(is_numeric(table.columns.front()));
}

INSTANTIATE_TEST_SUITE_P(NonNumbers, NumericColumnRejects,
                         testing::Values(RejectedCell{"NaN", "NaN", "not a finite number"},
                                         RejectedCell{"LowerNan", "nan", "not a finite number"},
                                         RejectedCell{"Inf", "inf", "not a finite number"},
                                         RejectedCell{"NegativeInfinity", "-Infinity", "not a finite number"},
                                         RejectedCell{"TrailingText", "12kg", "text '12kg'"},
                                         RejectedCell{"Hex", "0x10", "text '0x10'"},
                                         RejectedCell{"TwoSigns", "+-1", "text '+-1'"},
                                         RejectedCell{"CommaDecimal", "\"1,5\"", "text '1,5'"}),
                         [](const auto& info) { return info.param.name; });

TEST(NumericColumn, MissingValueWithoutFillIsAnError) {
    const CsvTable table = parse("a,b\n1,2\n3,\n");
    try {
        numeric_column(table, "b");
        FAIL();
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("data.csv:3:2: column 'b' has a missing value"), std::string::npos);
        EXPECT_NE(std::string(error.what()).find("--fill mean|median|zero"), std::string::npos);
    }
}

TEST(NumericColumn, RecognisesMissingValueSpellings) {
    for (const char* cell : {"", "  ", "NA", "na", "N/A", "null", "NULL"}) EXPECT_TRUE(is_missing(cell)) << cell;
    for (const char* cell : {"0", "NaN", "none", "-", "N"}) EXPECT_FALSE(is_missing(cell)) << cell;
}

// Column 1, NA, 2, 10, NA: the present numbers are {1, 2, 10}, mean 13/3, median 2.
TEST(NumericColumn, FillsMissingWithMeanMedianOrZero) {
    const CsvTable five = parse("x,y\n1,a\nNA,b\n2,c\n10,d\n,e\n");
    const std::vector<double> mean_filled = numeric_column(five, "x", FillPolicy::mean);
    ASSERT_EQ(mean_filled.size(), 5u);
    EXPECT_EQ(mean_filled[0], 1.0);
    EXPECT_DOUBLE_EQ(mean_filled[1], 13.0 / 3.0);
    EXPECT_DOUBLE_EQ(mean_filled[4], 13.0 / 3.0);
    EXPECT_EQ(numeric_column(five, "x", FillPolicy::median), (std::vector<double>{1, 2, 2, 10, 2}));
    EXPECT_EQ(numeric_column(five, "x", FillPolicy::zero), (std::vector<double>{1, 0, 2, 10, 0}));
}

TEST(NumericColumn, MeanOfHugeValuesDoesNotOverflow) {
    const CsvTable table = parse("x\n1e308\n1e308\nNA\n");
    EXPECT_EQ(numeric_column(table, "x", FillPolicy::mean)[2], 1e308);
}

TEST(NumericColumn, MedianOfEvenCountIsMeanOfTheMiddleTwo) {
    const CsvTable table = parse("x\n4\nNA\n1\n3\n2\n");
    EXPECT_EQ(numeric_column(table, "x", FillPolicy::median), (std::vector<double>{4, 2.5, 1, 3, 2}));
}

TEST(NumericColumn, FillDoesNotHideText) {
    const CsvTable table = parse("x\n1\nNA\nabc\n");
    EXPECT_THROW(numeric_column(table, "x", FillPolicy::mean), DataError);
}

TEST(NumericColumn, AllMissingCannotBeFilledWithMean) {
    const CsvTable table = parse("x,y\nNA,1\n,2\n");
    EXPECT_THROW(numeric_column(table, "x", FillPolicy::mean), DataError);
    EXPECT_EQ(numeric_column(table, "x", FillPolicy::zero), (std::vector<double>{0, 0}));
}

TEST(NumericColumn, IsNumberAcceptsOnlyFiniteNumbers) {
    for (const char* cell : {"0", " -1.5 ", "+2", "3e-4"}) EXPECT_TRUE(is_number(cell)) << cell;
    for (const char* cell : {"", "NA", "nan", "inf", "1e999", "1 2", "x"}) EXPECT_FALSE(is_number(cell)) << cell;
}

TEST(NumericColumn, IsNumericNeedsAtLeastOneNumber) {
    const CsvTable table = parse("a,b,c\n1,NA,x\n,NA,2\n");
    EXPECT_TRUE(is_numeric(table.column("a")));
    EXPECT_FALSE(is_numeric(table.column("b")));
    EXPECT_FALSE(is_numeric(table.column("c")));
}

// Every decimal form std::from_chars reads (chars_format::general), with the value a person
// writes for it; hex floats are not part of that format and stay text.
TEST(NumericColumn, ReadsEveryDecimalFormFromCharsAccepts) {
    const CsvTable table = parse(
        "x\n7\n007\n-7\n+7\n7.\n.25\n-.25\n7.25\n7e2\n7E2\n7e+2\n7e-2\n7.5E-1\n"
        "4.9406564584124654e-324\n2.2250738585072014e-308\n1.7976931348623157e308\n0.1000000000000000055511151231257827\n");
    const std::vector<double> expected{7, 7, -7, 7, 7, 0.25, -0.25, 7.25, 700, 700, 700, 0.07, 0.75,
                                       4.9406564584124654e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1};
    EXPECT_EQ(numeric_column(table, "x"), expected);
    for (const char* text : {"0x1p3", "1e", "e5", "1.2.3", "--1", "1,5"}) EXPECT_FALSE(is_number(text)) << text;
}

TEST(NumericColumn, NumberBeyondDoubleKeepsTheColumnNumericAndIsAnErrorAtItsCell) {
    const CsvTable table = parse("id,x\n1,2\n2,1e999999\n");
    EXPECT_TRUE(is_numeric(table.column("x")));
    try {
        numeric_column(table, "x");
        FAIL();
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("data.csv:3:2: column 'x' has '1e999999', which is beyond the range"),
                  std::string::npos)
            << error.what();
    }
}

// Before, "'1e-400', which is beyond the range of a double; rescale the column".
TEST(NumericColumn, NumberTooSmallForADoubleIsZeroAsPythonReadsIt) {
    const CsvTable table = parse("x\n1e-400\n-1e-400\n0.5e-323\n");
    const auto values = numeric_column(table, "x");
    EXPECT_EQ(values, (std::vector<double>{0.0, -0.0, 4.9406564584124654e-324}));  // float('0.5e-323') in Python
    EXPECT_TRUE(std::signbit(values[1]));
    EXPECT_EQ(parse_cell("-1e999").kind, CellKind::out_of_range);
}

TEST(NumericColumn, FillPolicyNames) {
    EXPECT_EQ(fill_policy_from_name("mean"), FillPolicy::mean);
    EXPECT_EQ(fill_policy_from_name("median"), FillPolicy::median);
    EXPECT_EQ(fill_policy_from_name("zero"), FillPolicy::zero);
    EXPECT_EQ(fill_policy_from_name("none"), FillPolicy::none);
    EXPECT_THROW(fill_policy_from_name("average"), UsageError);
}

}  // namespace
}  // namespace dense::io
