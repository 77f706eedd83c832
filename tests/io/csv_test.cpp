// The CSV reader against RFC 4180 and the error messages a user sees for malformed files.
#include "dense/io/csv.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "dense/error.hpp"

namespace dense::io {
namespace {

CsvTable parse(std::string_view text, CsvOptions options = {}) { return parse_csv(text, "data.csv", options); }

std::vector<std::string> cells(const CsvColumn& column) {
    std::vector<std::string> out;
    for (std::size_t r = 0; r < column.size(); ++r) out.emplace_back(column.cell(r));
    return out;
}

std::vector<std::string> names(const CsvTable& table) {
    std::vector<std::string> out;
    for (const auto& c : table.columns) out.push_back(c.name());
    return out;
}

using Cells = std::vector<std::string>;

TEST(CsvReader, ReadsHeaderAndColumnsInOrder) {
    const CsvTable table = parse("a,b,c\n1,2,3\n4,5,6\n");
    EXPECT_EQ(names(table), (Cells{"a", "b", "c"}));
    ASSERT_EQ(table.rows(), 2u);
    EXPECT_EQ(cells(table.column("b")), (Cells{"2", "5"}));
    EXPECT_EQ(table.column("c").number(), 3u);
}

struct QuotingCase {
    std::string name;
    std::string text;
    Cells second_column;
};

void PrintTo(const QuotingCase& c, std::ostream* os) { *os << c.name; }

class CsvQuoting : public testing::TestWithParam<QuotingCase> {};

TEST_P(CsvQuoting, UnquotesFieldsAsRfc4180Says) {
    const CsvTable table = parse(GetParam().text);
    EXPECT_EQ(cells(table.columns.at(1)), GetParam().second_column);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc4180, CsvQuoting,
    testing::Values(QuotingCase{"EmbeddedDelimiter", "id,text\n1,\"a,b\"\n", {"a,b"}},
                    QuotingCase{"DoubledQuote", "id,text\n1,\"say \"\"hi\"\"\"\n", {"say \"hi\""}},
                    QuotingCase{"EmbeddedNewline", "id,text\n1,\"two\nlines\"\n2,x\n", {"two\nlines", "x"}},
                    QuotingCase{"EmbeddedCrlfKept", "id,text\r\n1,\"two\r\nlines\"\r\n", {"two\r\nlines"}},
                    QuotingCase{"EmptyQuoted", "id,text\n1,\"\"\n", {""}},
                    QuotingCase{"OnlyAQuote", "id,text\n1,\"\"\"\"\n", {"\""}},
                    QuotingCase{"EmptyUnquotedLast", "id,text\n1,\n", {""}},
                    QuotingCase{"QuoteInsideUnquotedKept", "id,text\n1,5'11\"\n", {"5'11\""}},
                    QuotingCase{"SpacesKept", "id,text\n1, padded \n", {" padded "}},
                    QuotingCase{"NoFinalNewline", "id,text\n1,last", {"last"}},
                    QuotingCase{"QuotedAtEndOfFile", "id,text\n1,\"last\"", {"last"}}),
    [](const auto& info) { return info.param.name; });

TEST(CsvReader, AcceptsCrlfAndLoneCrLineEndings) {
    EXPECT_EQ(cells(parse("a,b\r\n1,2\r\n3,4\r\n").column("b")), (Cells{"2", "4"}));
    EXPECT_EQ(cells(parse("a,b\r1,2\r3,4\r").column("b")), (Cells{"2", "4"}));
}

TEST(CsvReader, SkipsUtf8ByteOrderMark) {
    const CsvTable table = parse("\xEF\xBB\xBF" "age,name\n3,x\n");
    EXPECT_EQ(table.columns.front().name(), "age");
}

TEST(CsvReader, SkipsBlankLinesIncludingTrailingOnes) {
    EXPECT_EQ(cells(parse("a,b\n\n1,2\n\n\n3,4\n\n").column("a")), (Cells{"1", "3"}));
}

struct DelimiterCase {
    std::string name;
    std::string text;
    char expected;
};

void PrintTo(const DelimiterCase& c, std::ostream* os) { *os << c.name; }

class CsvDelimiter : public testing::TestWithParam<DelimiterCase> {};

TEST_P(CsvDelimiter, IsDetectedFromTheHeaderOutsideQuotes) {
    const CsvTable table = parse(GetParam().text);
    EXPECT_EQ(table.delimiter, GetParam().expected);
    EXPECT_EQ(table.columns.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Detection, CsvDelimiter,
                         testing::Values(DelimiterCase{"Comma", "a,b,c\n1,2,3\n", ','},
                                         DelimiterCase{"Semicolon", "a;b;c\n1,5;2,5;3\n", ';'},
                                         DelimiterCase{"Tab", "a\tb\tc\n1\t2\t3\n", '\t'},
                                         DelimiterCase{"CommasInsideQuotesIgnored", "\"a,x,y,z\";b;c\n1;2;3\n", ';'}),
                         [](const auto& info) { return info.param.name; });

TEST(CsvReader, ForcedDelimiterOverridesDetection) {
    const CsvTable table = parse("a;b,c\n1;2,3\n", CsvOptions{','});
    EXPECT_EQ(names(table), (Cells{"a;b", "c"}));
}

TEST(CsvReader, RejectsUnsupportedForcedDelimiter) {
    EXPECT_THROW(parse("a|b\n1|2\n", CsvOptions{'|'}), UsageError);
}

TEST(CsvReader, KeepsLineOfEachCellAcrossQuotedNewlines) {
    const CsvTable table = parse("id,text\n1,\"a\nb\nc\"\n2,x\n");
    EXPECT_EQ(table.column("id").line(0), 2u);
    EXPECT_EQ(table.column("id").line(1), 5u);
    EXPECT_EQ(table.column("text").line(1), 5u);
}

TEST(CsvReader, WhereNamesSourceLineAndFieldNumber) {
    const CsvTable table = parse("id,text\n1,\"a\nb\"\n2,x\n");
    EXPECT_EQ(table.where(table.column("text"), 1), "data.csv:4:2");
}

TEST(CsvReader, ReadsFromStreamWithItsSourceName) {
    std::istringstream in("x,y\n1,2\n");
    const CsvTable table = read_csv(in, "<stdin>");
    EXPECT_EQ(table.source, "<stdin>");
    EXPECT_EQ(cells(table.column("y")), (Cells{"2"}));
}

TEST(CsvReader, ReadsFromFile) {
    const auto path = std::filesystem::path(testing::TempDir()) / "dense_csv_reader_test.csv";
    std::ofstream(path) << "x;y\n1;2\n";
    const CsvTable table = read_csv(path);
    EXPECT_EQ(table.source, path.string());
    EXPECT_EQ(cells(table.column("x")), (Cells{"1"}));
    std::filesystem::remove(path);
}

struct BadCsvCase {
    std::string name;
    std::string text;
    std::vector<std::string> message_fragments;
};

void PrintTo(const BadCsvCase& c, std::ostream* os) { *os << c.name; }

class CsvErrors : public testing::TestWithParam<BadCsvCase> {};

TEST_P(CsvErrors, ThrowDataErrorNamingWhereAndWhat) {
    try {
        parse(GetParam().text);
        FAIL() << "no error for " << GetParam().name;
    } catch (const DataError& error) {
        for (const auto& fragment : GetParam().message_fragments)
            EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
                << "'" << fragment << "' missing from: " << error.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, CsvErrors,
    testing::Values(BadCsvCase{"EmptyFile", "", {"data.csv:", "empty"}},
                    BadCsvCase{"OnlyBom", "\xEF\xBB\xBF", {"data.csv:", "empty"}},
                    BadCsvCase{"OnlyBlankLines", "\n\r\n\n", {"data.csv:", "empty"}},
                    BadCsvCase{"HeaderOnly", "a,b,c\n", {"data.csv:", "no data rows"}},
                    BadCsvCase{"TooFewFields", "a,b,c\n1,2,3\n4,5\n", {"data.csv:3:", "has 2 fields", "header has 3"}},
                    BadCsvCase{"TooManyFields", "a,b\n1,2\n3,4\n5,6,7\n", {"data.csv:4:", "has 3 fields", "header has 2"}},
                    BadCsvCase{"RaggedAfterQuotedNewline", "a,b\n\"x\ny\",1\n2\n", {"data.csv:4:", "has 1 field but"}},
                    BadCsvCase{"UnterminatedQuote", "a,b\n1,2\n3,\"open\n4,5\n", {"data.csv:3:2:", "never closed"}},
                    BadCsvCase{"TextAfterClosingQuote", "a,b\n1,\"x\"y\n", {"data.csv:2:2:", "follows the closing quote"}},
                    BadCsvCase{"EmptyHeaderName", "a,,c\n1,2,3\n", {"data.csv:1:2:", "header field 2 is empty"}},
                    BadCsvCase{"DuplicateHeaderName", "age,x,age\n1,2,3\n", {"data.csv:1:3:", "'age' twice", "fields 1 and 3"}}),
    [](const auto& info) { return info.param.name; });

TEST(CsvReader, UnknownColumnNameListsTheColumns) {
    const CsvTable table = parse("a,b\n1,2\n");
    try {
        (void)table.column("z");
        FAIL();
    } catch (const DataError& error) {
        EXPECT_STREQ(error.what(), "data.csv: no column named 'z'; the header has 'a', 'b'");
    }
}

TEST(CsvReader, MissingFileOrFolderIsADataErrorNamingThePath) {
    for (const std::string& path : {std::string("/nonexistent/dir/data.csv"), testing::TempDir()}) {
        try {
            read_csv(path);
            FAIL() << path;
        } catch (const DataError& error) {
            EXPECT_EQ(std::string(error.what()).rfind(path + ": no such file", 0), 0u) << error.what();
        }
    }
}

}  // namespace
}  // namespace dense::io
