// The CSV reader against RFC 4180 and the error messages a user sees for malformed files.
#include "dense/io/csv.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "dense/error.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/threads.hpp"

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

TEST(CsvReader, UnknownColumnNameListsTheColumnsAndSuggestsOne) {
    const CsvTable table = parse("a,b\n1,2\n");
    try {
        (void)table.column("z");
        FAIL();
    } catch (const DataError& error) {
        EXPECT_STREQ(error.what(), "data.csv: no column named 'z'; the header has 'a', 'b'");
    }
    try {
        (void)table.column("B");
        FAIL() << "expected DataError";
    } catch (const DataError& error) {
        EXPECT_STREQ(error.what(), "data.csv: no column named 'B' (did you mean 'b'?); the header has 'a', 'b'");
    }
}

TEST(CsvReader, MissingFileOrFolderIsADataErrorNamingThePath) {
    const std::pair<std::string, std::string> cases[] = {{"/nonexistent/dir/data.csv", ": no such file"},
                                                         {testing::TempDir(), ": is a folder"}};
    for (const auto& [path, says] : cases) {
        try {
            read_csv(path);
            FAIL() << path;
        } catch (const DataError& error) {
            EXPECT_EQ(std::string(error.what()).rfind(path + says, 0), 0u) << error.what();
        }
    }
}

// A file whose cells and lines are known by construction: every third row has a quoted field
// holding line breaks (LF, CRLF, lone CR) and quotes, rows end in CRLF, blank lines between.
struct KnownFile {
    std::string text = "\xEF\xBB\xBFid,note,value\r\n";
    Cells ids, notes, values;
    std::vector<std::size_t> lines;
    std::size_t next_line = 2;  // the line after the last
};

KnownFile known_file(std::size_t rows) {
    KnownFile file;
    std::size_t line = 2;
    for (std::size_t r = 0; r < rows; ++r) {
        const bool quoted = r % 3 == 0;
        file.ids.push_back(std::to_string(r));
        file.notes.push_back(quoted ? "two\nlines, \"quoted\"\r\nand\rthree" : "plain" + std::to_string(r));
        file.values.push_back(std::to_string(r * 0.5));
        file.lines.push_back(line);
        const std::string note = quoted ? "\"two\nlines, \"\"quoted\"\"\r\nand\rthree\"" : file.notes.back();
        file.text += file.ids.back() + "," + note + "," + file.values.back() + "\r\n";
        line += quoted ? 4 : 1;
        if (r % 5 == 0) {
            file.text += "\r\n";
            ++line;
        }
    }
    file.next_line = line;
    return file;
}

// Restores the default thread count when a test ends, passed or not.
struct ThreadCount {
    explicit ThreadCount(std::size_t count) { set_num_threads(count); }
    ~ThreadCount() { set_num_threads(0); }
};

class CsvParts : public testing::TestWithParam<std::size_t> {};

// Part sizes from a few bytes (every cut lands inside a quoted field somewhere) to one part.
TEST_P(CsvParts, QuotedLineBreaksAcrossPartsGiveTheCellsAndLinesOfTheFile) {
    const ThreadCount threads(4);
    const KnownFile file = known_file(200);
    const CsvTable table = parse(file.text, {.part_bytes = GetParam()});
    EXPECT_EQ(cells(table.column("id")), file.ids);
    EXPECT_EQ(cells(table.column("note")), file.notes);
    EXPECT_EQ(cells(table.column("value")), file.values);
    std::vector<std::size_t> lines;
    for (std::size_t r = 0; r < table.rows(); ++r) lines.push_back(table.column("id").line(r));
    EXPECT_EQ(lines, file.lines);
}

INSTANTIATE_TEST_SUITE_P(PartBytes, CsvParts, testing::Values(1, 7, 64, 1000, std::size_t{1} << 20));

TEST(CsvReader, SameTableOnOneThreadAndOnMany) {
    const KnownFile file = known_file(500);
    const auto read_with = [&](std::size_t threads) {
        const ThreadCount count(threads);
        return parse(file.text, {.part_bytes = 100});
    };
    const CsvTable one = read_with(1), many = read_with(4);
    ASSERT_EQ(one.rows(), many.rows());
    for (std::size_t c = 0; c < one.columns.size(); ++c)
        for (std::size_t r = 0; r < one.rows(); ++r) {
            EXPECT_EQ(one.columns[c].cell(r), many.columns[c].cell(r));
            EXPECT_EQ(one.columns[c].line(r), many.columns[c].line(r));
        }
}

// A file of plain numbers: a BOM, "\r\n" and "\n" ends, every short and long form from_chars reads.
std::string plain_numbers_file(std::size_t rows) {
    std::mt19937_64 random(5);
    const char* forms[] = {"7.", ".25", "-.5", "1e5", "-2.5E-3", "123456789012345678", "0.000000000000000123", "-0", "42"};
    std::string text = "\xEF\xBB\xBF" "a,b,c\r\n";
    for (std::size_t r = 0; r < rows; ++r)
        for (int f = 0; f < 3; ++f) {
            text += random() % 4 == 0 ? std::string(forms[random() % 9])
                                      : (random() % 2 ? "-" : "") + std::to_string(random() % 100) + "." + std::to_string(random() % 10000);
            text += f < 2 ? "," : r % 3 == 0 ? "\r\n" : "\n";
        }
    return text;
}

// The plain reader's table (with each cell's number) is the record reader's, read on any threads.
TEST(CsvReader, PlainNumbersGiveTheRecordReadersTableAndTheirNumbers) {
    const std::string text = plain_numbers_file(3000);
    const std::size_t last_row = text.rfind('\n', text.size() - 2) + 1;
    const std::string quoted = text.substr(0, last_row) + "\"" + text.substr(last_row, text.find(',', last_row) - last_row) + "\"" +
                               text.substr(text.find(',', last_row));  // same cells, read by the record reader
    const CsvTable reference = parse(quoted);
    for (std::size_t threads : {1, 4}) {
        const ThreadCount count(threads);
        const CsvTable table = parse(text, {.part_bytes = 1000});
        ASSERT_EQ(names(table), names(reference));
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            EXPECT_EQ(cells(table.columns[c]), cells(reference.columns[c])) << threads;
            for (std::size_t r = 0; r < table.rows(); ++r) {
                EXPECT_EQ(table.columns[c].line(r), reference.columns[c].line(r));
                const double number = table.columns[c].known_number(r);
                EXPECT_EQ(std::bit_cast<std::uint64_t>(number), std::bit_cast<std::uint64_t>(parse_cell(table.columns[c].cell(r)).value));
                EXPECT_TRUE(std::isnan(reference.columns[c].known_number(r)));
            }
            EXPECT_EQ(numeric_column(table, table.columns[c].name()), numeric_column(reference, table.columns[c].name()));
        }
    }
}

TEST(CsvReader, NumbersThatAreNotPlainAreLeftToTheRecordReaderAndItsMessages) {
    EXPECT_THROW(
        try { parse("a,b\n1,2\n3\n4,5\n"); } catch (const DataError& e) {
            EXPECT_NE(std::string(e.what()).find("data.csv:3: this row has 1 field"), std::string::npos) << e.what();
            throw;
        },
        DataError);
    const CsvTable table = parse("a,b\n1, 2\n+3,NA\n\n4,nan\n");
    EXPECT_EQ(cells(table.column("a")), (Cells{"1", "+3", "4"}));
    EXPECT_EQ(cells(table.column("b")), (Cells{" 2", "NA", "nan"}));
    EXPECT_EQ(table.column("a").line(2), 5u);
}

TEST(CsvReader, ErrorInALaterPartNamesItsLineInTheFile) {
    const ThreadCount threads(4);
    KnownFile file = known_file(300);
    file.text += "1,2\n";
    const std::string line = std::to_string(file.next_line);
    try {
        parse(file.text, {.part_bytes = 50});
        FAIL();
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("data.csv:" + line + ": this row has 2 fields"), std::string::npos)
            << error.what();
    }
}

TEST(CsvReader, HeaderNameThatIsNotUtf8IsAnErrorAtItsField) {
    for (const char* bad : {"\xFF", "a\xC3", "\xE2\x82", "\xC3\x28"}) {
        try {
            parse(std::string("id,") + bad + "\n1,2\n");
            ADD_FAILURE() << "accepted " << bad;
        } catch (const DataError& error) {
            EXPECT_NE(std::string(error.what()).find("data.csv:1:2: the name of column 2 is not valid UTF-8"), std::string::npos)
                << error.what();
        }
    }
    EXPECT_EQ(names(parse("id,\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n1,2\n")),
              (Cells{"id", "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"}));
}

// A NUL byte is valid UTF-8 but no CSV's text: a binary or damaged file, named at its cell.
TEST(CsvReader, ANulByteInANameIsAnErrorAtItsField) {
    try {
        parse(std::string("id,a\0b\n1,2\n", 12));
        ADD_FAILURE() << "accepted a NUL byte";
    } catch (const DataError& error) {
        EXPECT_NE(std::string(error.what()).find("data.csv:1:2: the name of column 2 holds a NUL byte (byte 2 of 'a\\0b')"), std::string::npos)
            << error.what();
    }
}

}  // namespace
}  // namespace dense::io
