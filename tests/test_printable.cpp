// Data shown in messages: control characters escaped, long text clipped, nothing after a NUL lost.
#include <string>

#include <gtest/gtest.h>

#include "dense/error.hpp"
#include "dense/printable.hpp"

namespace dense {
namespace {

using namespace std::string_literals;

TEST(Printable, EscapesControlCharactersSoTheyCannotDriveTheTerminal) {
    EXPECT_EQ(printable("a\x1b[31mred"), "a\\e[31mred");
    EXPECT_EQ(printable("tab\there\nnext\r"), "tab\\there\\nnext\\r");
    EXPECT_EQ(printable("bell\x07 del\x7f"), "bell\\x07 del\\x7f");
    EXPECT_EQ(printable("für Ω"), "für Ω");  // UTF-8 letters are not control characters
}

TEST(Printable, KeepsTheTextAfterANulByte) {
    EXPECT_EQ(printable("before\0after"s), "before\\0after");
}

TEST(Printable, ClipsLongTextToItsStartAndSaysHowLongItWas) {
    const std::string name(1'000'000, 'n');
    EXPECT_EQ(printable(name, 10), "nnnnnnnnnn… (1000000 bytes)");
    EXPECT_EQ(in_quotes("abc"), "'abc'");
}

TEST(Printable, NeverCutsAUtf8CharacterInTwo) {
    // "ééé" is six bytes; a limit of 3 falls inside the second é, so only one is kept.
    EXPECT_EQ(printable("ééé", 3), "é… (6 bytes)");
}

TEST(Printable, ListsStopAfterTheirLimitAndSayHowManyMore) {
    EXPECT_EQ(quoted_list({"a", "b\x1b"}), "'a', 'b\\e'");
    const std::vector<std::string> names(1000, "column");
    // each name is 8 bytes quoted, 10 with the comma: the list stops once past 25 bytes
    EXPECT_EQ(quoted_list(names, 25), "'column', 'column', 'column' and 997 more");
}

TEST(ErrorMessages, AreOnePrintableLineWithEverythingAfterANul) {
    const DataError error("column 'a\0b\nc' is bad"s);
    EXPECT_STREQ(error.what(), "column 'a\\0b\\nc' is bad");
}

TEST(ErrorMessages, AHugeMessageKeepsItsStartAndItsAdvice) {
    const std::string message = "no column named '" + std::string(1 << 20, 'x') + "'; rename the column";
    const UsageError error(message);
    const std::string what = error.what();
    EXPECT_LT(what.size(), 4200u);
    EXPECT_EQ(what.rfind("no column named 'xxx", 0), 0u);
    EXPECT_NE(what.find(std::to_string(message.size()) + " bytes)"), std::string::npos) << what.substr(3000, 100);
    EXPECT_TRUE(what.ends_with("'; rename the column"));
}

}  // namespace
}  // namespace dense
