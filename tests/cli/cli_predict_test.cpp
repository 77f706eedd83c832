// `dense predict` on the files users really have: without a header (refused with advice, or read
// with --no-header), with missing numbers (--fill, the training fill by default), with column
// names that do not match the model's. Expected predictions come from the same rows written out
// in full, so they do not depend on what the model learned.
#include <algorithm>
#include <numeric>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace {

using namespace dense::cli_test;

// The rows of regression_csv() without the target column, with or without the header line.
std::string features_csv(bool header, char delimiter = ',') {
    const auto rows = csv_rows(regression_csv());
    std::string text;
    for (std::size_t r = header ? 0 : 1; r < rows.size(); ++r)
        text += rows[r][0] + delimiter + rows[r][1] + delimiter + rows[r][2] + "\n";
    return text;
}

class CliPredict : public Cli {
protected:
    void SetUp() override {
        Cli::SetUp();
        const auto train = cli("train reg.csv --target y --epochs 2 --validation-split 0 --quiet --out m.dense");
        ASSERT_EQ(train.status, 0) << train.err;
        write(dir_ / "with_header.csv", features_csv(true));
        with_header_ = cli("predict m.dense with_header.csv").out;
        ASSERT_EQ(csv_rows(with_header_).size(), 41u);
    }
    // The column b of the 40 training rows of regression_csv().
    static std::vector<double> training_b() {
        std::vector<double> b;
        const auto rows = csv_rows(regression_csv());
        for (std::size_t r = 1; r < rows.size(); ++r) b.push_back(std::stod(rows[r][1]));
        return b;
    }
    // The prediction for a=1, the given b and c=hot, written in full.
    std::string predicted_with_b(const std::string& b) {
        write(dir_ / "full.csv", "a,b,c\n1," + b + ",hot\n");
        return cli("predict m.dense full.csv").out;
    }
    std::string with_header_;
};

TEST_F(CliPredict, AFileWithoutAHeaderIsRefusedWithAdviceInsteadOfLosingItsFirstRow) {
    write(dir_ / "no_header.csv", features_csv(false));
    const auto run = cli("predict m.dense no_header.csv");
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("seems to have no header; pass --no-header"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("('a', 'b', 'c')"), std::string::npos) << run.err;
}

TEST_F(CliPredict, NoHeaderReadsTheColumnsInTheModelsOrder) {
    write(dir_ / "no_header.csv", features_csv(false));
    const auto run = cli("predict m.dense no_header.csv --no-header");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, with_header_);  // 40 rows in, 40 predictions out, the same ones
    const auto semicolons = cli("predict m.dense - --no-header", features_csv(false, ';'));
    ASSERT_EQ(semicolons.status, 0) << semicolons.err;
    EXPECT_EQ(semicolons.out, with_header_);
}

// Before: "column 'a' has text 'a' where a number is expected; fix the cell or drop the column".
TEST_F(CliPredict, NoHeaderOnAFileWithAHeaderSaysToLeaveItOut) {
    for (const std::string command : {"predict m.dense with_header.csv", "evaluate m.dense reg.csv"}) {
        const auto run = cli(command + " --no-header");
        EXPECT_EQ(run.status, 1) << command;
        EXPECT_NE(run.err.find(":1:1: the first line holds the model's column names ('a', 'b', 'c'), a header, which "
                               "--no-header would read as values; leave out --no-header"),
                  std::string::npos)
            << run.err;
    }
    write(dir_ / "reordered.csv", "c,b,a\nhot,1,2\n");
    EXPECT_NE(cli("predict m.dense reordered.csv --no-header").err.find("leave out --no-header"), std::string::npos);
}

TEST_F(CliPredict, NoHeaderErrorsNameTheLinesOfTheFile) {
    write(dir_ / "no_header.csv", "1,2,hot\n1,x,hot\n");
    const auto cell = cli("predict m.dense no_header.csv --no-header");
    EXPECT_EQ(cell.status, 1);
    EXPECT_NE(cell.err.find("no_header.csv:2:2"), std::string::npos) << cell.err;
    write(dir_ / "no_header.csv", "1,2\n");
    const auto fields = cli("predict m.dense no_header.csv --no-header");
    EXPECT_EQ(fields.status, 1);
    EXPECT_NE(fields.err.find("the model's 3 inputs in order ('a', 'b', 'c'), but the first line has 2"), std::string::npos)
        << fields.err;
}

TEST_F(CliPredict, EvaluateWithNoHeaderReadsTheInputsThenTheTargets) {
    const auto with_header = cli("evaluate m.dense reg.csv --json");
    ASSERT_EQ(with_header.status, 0) << with_header.err;
    const auto csv = regression_csv();
    write(dir_ / "no_header.csv", csv.substr(csv.find('\n') + 1));
    const auto refused = cli("evaluate m.dense no_header.csv");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("with --no-header"), std::string::npos) << refused.err;  // its first line repeats -1.5
    const auto run = cli("evaluate m.dense no_header.csv --no-header --json");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, with_header.out);  // the same 40 rows scored, none lost to a header
}

TEST_F(CliPredict, HeaderNamesAreCheckedAgainstTheModelsColumnsAllAtOnce) {
    write(dir_ / "renamed.csv", "alpha,bb,c,note\n1,2,hot,x\n");
    const auto run = cli("predict m.dense renamed.csv");
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("missing 'a', 'b'"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("not used by the model: 'alpha', 'bb', 'note'"), std::string::npos) << run.err;
}

// Before, a file of a header alone printed nothing and exited 0, whatever its columns.
TEST_F(CliPredict, AFileWithAHeaderAloneIsADataError) {
    for (const std::string header : {"a,b,c\n", "a,b,c", "a,b\n"}) {
        write(dir_ / "header_only.csv", header);
        const auto run = cli("predict m.dense header_only.csv");
        EXPECT_EQ(run.status, 1) << header << run.out;
        EXPECT_EQ(run.out, "") << header;
        EXPECT_NE(run.err.find("header_only.csv: the file has a header but no data rows"), std::string::npos) << run.err;
    }
    EXPECT_EQ(cli("predict m.dense -", "a,b,c\r\n").status, 1);
}

// The features with an id column first (one id holding the delimiter and a quote) and a note
// column last; --keep copies them, quoted as the output needs, before each row's prediction.
TEST_F(CliPredict, KeepCopiesColumnsBesideThePredictions) {
    const auto rows = csv_rows(features_csv(true));
    std::string text = "id," + rows[0][0] + "," + rows[0][1] + "," + rows[0][2] + ",note\n";
    std::vector<std::string> ids{"id"};
    for (std::size_t r = 1; r < rows.size(); ++r) {
        ids.push_back(r == 2 ? "\"row 2, \"\"b\"\"\"" : std::string("r").append(std::to_string(r)));
        text += ids.back() + "," + rows[r][0] + "," + rows[r][1] + "," + rows[r][2] + ",n\n";
    }
    write(dir_ / "with_id.csv", text);
    const auto refused = cli("predict m.dense with_id.csv --keep id");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("does not use the column(s) 'note'; pass --keep note to copy"), std::string::npos) << refused.err;
    const auto run = cli("predict m.dense with_id.csv --keep id,note");
    ASSERT_EQ(run.status, 0) << run.err;
    std::istringstream got(run.out), want(with_header_);
    std::string got_line, want_line;
    for (std::size_t r = 0; std::getline(want, want_line); ++r) {
        ASSERT_TRUE(std::getline(got, got_line)) << "row " << r;
        EXPECT_EQ(got_line, ids[r] + (r == 0 ? ",note," : ",n,") + want_line);
    }
    EXPECT_FALSE(std::getline(got, got_line)) << "a row more than the file's: " << got_line;
    const auto unknown = cli("predict m.dense with_id.csv --keep idd,note");
    EXPECT_EQ(unknown.status, 1);
    EXPECT_NE(unknown.err.find("--keep names the column 'idd', which with_id.csv lacks (did you mean 'id'?)"), std::string::npos)
        << unknown.err;
}

// regression_csv() with an id column first and a note column last, neither a feature.
std::string with_id_and_note() {
    const auto rows = csv_rows(regression_csv());
    std::string text;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        text += r == 0 ? std::string("id") : std::string("row").append(std::to_string(r));
        for (const auto& cell : rows[r]) text.append(",").append(cell);
        text += r == 0 ? std::string(",note") : std::string(",n").append(std::to_string(r % 3));
        text += '\n';
    }
    return text;
}

// A model trained with --drop is the model of the file without those columns, byte for byte, and
// takes files that still hold them without --keep.
TEST_F(CliPredict, DroppedColumnsAreLeftOutOfTrainingAndAcceptedLater) {
    write(dir_ / "with_id.csv", with_id_and_note());
    const auto refused = cli("train with_id.csv --target y --epochs 2 --validation-split 0 --quiet --out d.dense");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("leave it out with --drop id"), std::string::npos) << refused.err;
    const auto train = cli("train with_id.csv --target y --drop id,note --epochs 2 --validation-split 0 --quiet --out d.dense");
    ASSERT_EQ(train.status, 0) << train.err;
    const auto predicted = cli("predict d.dense with_id.csv");
    ASSERT_EQ(predicted.status, 0) << predicted.err;
    EXPECT_EQ(predicted.out, with_header_);
    EXPECT_EQ(cli("evaluate d.dense with_id.csv").out, cli("evaluate m.dense reg.csv").out);
    EXPECT_NE(cli("summary d.dense").out.find("Left out (--drop): 'id' 'note'"), std::string::npos);
    const auto kept = cli("predict d.dense with_id.csv --keep id");
    ASSERT_EQ(kept.status, 0) << kept.err;
    EXPECT_EQ(csv_rows(kept.out)[2][0], "row2");
    EXPECT_EQ(cli("train with_id.csv --resume d.dense --drop id --epochs 3 --quiet").status, 2);
}

// regression_csv() with an id column first, the id and the target named with a comma in them.
std::string with_commas_in_names() {
    const auto rows = csv_rows(regression_csv());
    std::string text = "\"id, code\",a,b,c,\"y, usd\"\n";
    for (std::size_t r = 1; r < rows.size(); ++r)
        text.append("r").append(std::to_string(r)).append(",").append(rows[r][0] + "," + rows[r][1] + "," + rows[r][2] + "," + rows[r][3] + "\n");
    return text;
}

std::string without_first_line(const std::string& text) { return text.substr(text.find('\n') + 1); }

// A value of --target, --drop or --keep that is exactly a column's name names that column, commas
// and all (before, CLI11 cut "y, usd" into 'y' and ' usd'); any other value is a comma-separated
// list, and each option may be repeated. The expectation: m.dense, trained on the same numbers
// under plain names.
TEST_F(CliPredict, ColumnNamesHoldingCommasCanBeNamedWhole) {
    write(dir_ / "commas.csv", with_commas_in_names());
    const auto train =
        cli("train commas.csv --target 'y, usd' --drop 'id, code' --epochs 2 --validation-split 0 --quiet --out c.dense");
    ASSERT_EQ(train.status, 0) << train.err;
    const auto predicted = cli("predict c.dense with_header.csv");
    ASSERT_EQ(predicted.status, 0) << predicted.err;
    EXPECT_EQ(predicted.out.substr(0, predicted.out.find('\n')), "\"y, usd\"");
    EXPECT_EQ(without_first_line(predicted.out), without_first_line(with_header_));
    const auto kept = cli("predict c.dense commas.csv --keep 'id, code' --keep a");
    ASSERT_EQ(kept.status, 0) << kept.err;
    EXPECT_TRUE(kept.out.starts_with("\"id, code\",a,\"y, usd\"\nr1,")) << kept.out;
    const auto streamed = cli("train commas.csv --target 'y, usd' --drop 'id, code' --stream --epochs 1 --quiet --out s.dense");
    EXPECT_EQ(streamed.status, 0) << streamed.err;
    const auto resumed = cli("train commas.csv --resume c.dense --target 'y, usd' --epochs 3 --quiet --out r.dense");
    EXPECT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_EQ(cli("evaluate c.dense commas.csv --target 'y, usd'").status, 0);
    const auto repeated = cli("train reg.csv --target y --drop a --drop c --epochs 1 --quiet --out ac.dense");
    ASSERT_EQ(repeated.status, 0) << repeated.err;
    EXPECT_NE(cli("summary ac.dense").out.find("Left out (--drop): 'a' 'c'"), std::string::npos);
    const auto twice = cli("predict m.dense reg.csv --keep y,a,y");  // a list, read once the header is known
    EXPECT_EQ(twice.status, 2);
    EXPECT_NE(twice.err.find("--keep names 'y' twice"), std::string::npos) << twice.err;
    const auto nothing = cli("predict m.dense reg.csv --keep ''");
    EXPECT_EQ(nothing.status, 2);
    EXPECT_NE(nothing.err.find("--keep '' names no column"), std::string::npos) << nothing.err;
}

// For the header "a, b, c, y" (a space after each comma, as people type it) the columns are
// " b", " c" and " y": --target y, --drop c and --keep b name them, when no column is called
// exactly that and no other is the same trimmed. Before, only --target ' y' found the column. The
// expectation: m.dense, trained on the same numbers under plain names.
TEST_F(CliPredict, ColumnOptionsFindANameWithSpacesAroundIt) {
    std::string spaced = regression_csv();
    spaced.replace(0, spaced.find('\n'), "a, b, c, y");
    write(dir_ / "spaced.csv", spaced);
    const auto train = cli("train spaced.csv --target y --epochs 2 --validation-split 0 --quiet --out s.dense");
    ASSERT_EQ(train.status, 0) << train.err;
    const auto predicted = cli("predict s.dense spaced.csv");
    ASSERT_EQ(predicted.status, 0) << predicted.err;
    EXPECT_EQ(without_first_line(predicted.out), without_first_line(with_header_));
    const auto kept = cli("predict s.dense spaced.csv --keep b");
    ASSERT_EQ(kept.status, 0) << kept.err;
    EXPECT_TRUE(kept.out.starts_with(" b, y\n")) << kept.out;
    EXPECT_EQ(cli("evaluate s.dense spaced.csv --target y").status, 0);
    const auto dropped = cli("train spaced.csv --target y --drop c --epochs 1 --quiet --out d.dense");
    ASSERT_EQ(dropped.status, 0) << dropped.err;
    EXPECT_NE(cli("summary d.dense").out.find("Left out (--drop): ' c'"), std::string::npos);
    // Two columns that are 'y' trimmed: --target y names neither.
    write(dir_ / "twice.csv", "a, y,y \n1,2,3\n2,3,4\n");
    const auto ambiguous = cli("train twice.csv --target y --quiet");
    EXPECT_EQ(ambiguous.status, 1);
    EXPECT_NE(ambiguous.err.find("'y'"), std::string::npos) << ambiguous.err;
}

// A kept target goes beside its prediction, which is then named predicted_y.
TEST_F(CliPredict, KeepingTheTargetNamesThePredictionApart) {
    const auto run = cli("predict m.dense reg.csv --keep y");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto rows = csv_rows(run.out), truth = csv_rows(regression_csv()), predicted = csv_rows(with_header_);
    ASSERT_EQ(rows.size(), truth.size());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"y", "predicted_y"}));
    for (std::size_t r = 1; r < rows.size(); ++r) EXPECT_EQ(rows[r], (std::vector<std::string>{truth[r][3], predicted[r][0]}));
}

// The header "a, b, c, y" names the target " y": kept, it stays " y", and its prediction is
// predicted_y, the name without its space (before, "predicted_ y").
TEST_F(CliPredict, AKeptTargetWithSpacesAroundItsNameGivesPredictedAndTheTrimmedName) {
    std::string spaced = regression_csv();
    spaced.replace(0, spaced.find('\n'), "a, b, c, y");
    write(dir_ / "spaced.csv", spaced);
    ASSERT_EQ(cli("train spaced.csv --target y --epochs 2 --validation-split 0 --quiet --out s.dense").status, 0);
    const auto run = cli("predict s.dense spaced.csv --keep y");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(run.out.starts_with(" y,predicted_y\n")) << run.out;
}

// Plain numbers take the fast path, a block of about 8 MB at a time: 14 MB of rows with an id
// column give the predictions of the same rows without it, each after its id. (To the float's
// rounding: the id's bytes move the blocks' ends, and a row's sums may take another order in a
// batch of another size.) Records may end in \r\n or a lone \r, and a kept cell holding the
// output's comma is quoted.
TEST_F(CliPredict, KeepOnPlainNumbersThroughSeveralBlocks) {
    write(dir_ / "numbers.csv", "a,b,y\n1,2,3\n2,1,4\n3,5,2\n4,4,6\n5,1,8\n6,3,7\n");
    ASSERT_EQ(cli("train numbers.csv --target y --layers 4 --epochs 2 --quiet --out n.dense").status, 0);
    std::string with_id = "id,a,b\n", without = "a,b\n";
    for (int i = 0; i < 700000; ++i) {
        const std::string row = std::to_string(i % 97) + "," + std::to_string((i * 7) % 89) + "\n";
        with_id.append("n").append(std::to_string(i)).append(",").append(row);
        without += row;
    }
    write(dir_ / "with_id.csv", with_id);
    write(dir_ / "without.csv", without);
    const auto kept = cli("predict n.dense with_id.csv --keep id"), plain = cli("predict n.dense without.csv");
    ASSERT_EQ(kept.status, 0) << kept.err;
    std::istringstream got(kept.out), want(plain.out);
    std::string got_line, want_line;
    for (std::size_t r = 0; std::getline(want, want_line); ++r) {
        ASSERT_TRUE(std::getline(got, got_line)) << "row " << r;
        const std::string id = r == 0 ? std::string("id") : std::string("n").append(std::to_string(r - 1));
        ASSERT_EQ(got_line.substr(0, id.size() + 1), id + ",") << "row " << r;
        const std::string value = got_line.substr(id.size() + 1);
        if (r == 0) ASSERT_EQ(value, want_line);
        else ASSERT_NEAR(parse_float(value), parse_float(want_line), 1e-5 * std::abs(parse_float(want_line))) << "row " << r;
    }
    EXPECT_FALSE(std::getline(got, got_line)) << "a row more than the file's: " << got_line;
    write(dir_ / "line_ends.csv", "id;a;b\r\nx,1;1;2\r\ny;3;5\rz;4;4\n");
    write(dir_ / "same_rows.csv", "a,b\n1,2\n3,5\n4,4\n");
    const auto ends = cli("predict n.dense line_ends.csv --keep id"), same = cli("predict n.dense same_rows.csv");
    ASSERT_EQ(ends.status, 0) << ends.err;
    const auto values = csv_rows(same.out);
    EXPECT_EQ(ends.out, "id,y\n\"x,1\"," + values[1][0] + "\ny," + values[2][0] + "\nz," + values[3][0] + "\n");
}

TEST_F(CliPredict, FillTakesTheTrainingStatistics) {
    write(dir_ / "missing.csv", "a,b,c\n1,,hot\n");
    const auto refused = cli("predict m.dense missing.csv");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("--fill"), std::string::npos) << refused.err;

    auto b = training_b();
    const double mean = std::accumulate(b.begin(), b.end(), 0.0) / double(b.size());
    std::sort(b.begin(), b.end());
    const double median = (b[19] + b[20]) / 2;  // 40 values: the mean of the 20th and 21st
    const auto format = [](double v) { return dense::io::format_number(v); };
    EXPECT_EQ(cli("predict m.dense missing.csv --fill zero").out, predicted_with_b("0"));
    EXPECT_EQ(cli("predict m.dense missing.csv --fill mean").out, predicted_with_b(format(mean)));
    EXPECT_EQ(cli("predict m.dense missing.csv --fill median").out, predicted_with_b(format(median)));
    const auto unknown = cli("predict m.dense missing.csv --fill average");
    EXPECT_EQ(unknown.status, 2);
    EXPECT_NE(unknown.err.find("'average'"), std::string::npos) << unknown.err;
}

TEST_F(CliPredict, TheFillOfTrainingIsTheDefaultAndNoneTurnsItOff) {
    ASSERT_EQ(cli("train reg.csv --target y --epochs 2 --validation-split 0 --fill median --quiet --out f.dense").status, 0);
    write(dir_ / "missing.csv", "a,b,c\n1,,hot\n");
    auto b = training_b();
    std::sort(b.begin(), b.end());
    write(dir_ / "full.csv", "a,b,c\n1," + dense::io::format_number((b[19] + b[20]) / 2) + ",hot\n");
    const auto filled = cli("predict f.dense missing.csv");
    ASSERT_EQ(filled.status, 0) << filled.err;
    EXPECT_EQ(filled.out, cli("predict f.dense full.csv").out);
    EXPECT_EQ(cli("predict f.dense missing.csv --fill none").status, 1);
}

// reg.csv's column c is "cold" in 26 rows and "hot" in 14: --fill fills a missing text cell with
// "cold", in training and, from the model file, in predict. Before, --fill filled numbers only and
// training stopped at the first empty text cell, saying "--fill only fills numeric columns".
TEST_F(CliPredict, FillFillsAMissingTextCellWithTheMostFrequentTrainingCategory) {
    std::string gaps = regression_csv();
    for (const auto* hot : {",hot,", ",cold,"}) gaps.replace(gaps.find(hot), std::string(hot).size(), ",,");
    write(dir_ / "gaps.csv", gaps);
    const auto unfilled = cli("train gaps.csv --target y --epochs 2 --quiet --out u.dense");
    EXPECT_EQ(unfilled.status, 1);
    EXPECT_NE(unfilled.err.find("text column 'c' has a missing value; fill the cell, or pass --fill"), std::string::npos)
        << unfilled.err;
    ASSERT_EQ(cli("train gaps.csv --target y --epochs 2 --validation-split 0 --fill mean --quiet --out g.dense").status, 0);
    EXPECT_NE(cli("summary g.dense").out.find("one-hot over 2 categories; missing values become 'cold'"), std::string::npos);
    write(dir_ / "missing_c.csv", "a,b,c\n1,0.5,\n");
    write(dir_ / "cold.csv", "a,b,c\n1,0.5,cold\n");
    const auto filled = cli("predict g.dense missing_c.csv");
    ASSERT_EQ(filled.status, 0) << filled.err;
    EXPECT_EQ(filled.out, cli("predict g.dense cold.csv").out);
    // A model trained without --fill refuses the cell unless predict is given --fill.
    const auto refused = cli("predict m.dense missing_c.csv");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("missing_c.csv:2:3: text column 'c' has a missing value"), std::string::npos) << refused.err;
    EXPECT_EQ(cli("predict m.dense missing_c.csv --fill median").out, cli("predict m.dense cold.csv").out);
    // explain --input takes the same fill.
    EXPECT_EQ(cli("explain g.dense --input 1,0.5,").status, 0);
    const auto explain_refused = cli("explain m.dense --input 1,0.5,");
    EXPECT_EQ(explain_refused.status, 2);
    EXPECT_NE(explain_refused.err.find("or a fill policy (--fill mean|median|zero) for the most frequent"), std::string::npos)
        << explain_refused.err;
    EXPECT_EQ(cli("explain m.dense --input 1,0.5, --fill zero").status, 0);
}

// A model file saved before dense filled text cells holds no most frequent category, so --fill
// cannot fill a missing text cell. Before, the message still said "or pass --fill mean, median or
// zero", which then failed the same way.
TEST_F(CliPredict, AModelThatPredatesTextFillsSaysWhatFillsAMissingTextCell) {
    auto file = dense::io::load_model(dir_ / "m.dense");
    for (auto& feature : file.extras.preprocessing->features) feature.most_frequent.reset();
    dense::io::save_model(file.model, dir_ / "old.dense", file.extras);
    write(dir_ / "missing_c.csv", "a,b,c\n1,0.5,\n");
    for (const std::string fill : {"", " --fill mean"}) {
        const auto refused = cli("predict old.dense missing_c.csv" + fill);
        EXPECT_EQ(refused.status, 1);
        EXPECT_NE(refused.err.find("missing_c.csv:2:3: text column 'c' has a missing value, which --fill cannot fill: "
                                   "the model holds no most frequent category of the column"),
                  std::string::npos)
            << refused.err;
        EXPECT_NE(refused.err.find("; fill the cell, or train the model again"), std::string::npos) << refused.err;
    }
    const auto explained = cli("explain old.dense --input 1,0.5, --fill mean");
    EXPECT_EQ(explained.status, 2);
    EXPECT_NE(explained.err.find("(--fill cannot: the model, saved before dense filled text cells, holds no most "
                                 "frequent category)"),
              std::string::npos)
        << explained.err;
}

TEST_F(CliPredict, AModelWithoutNamesRefusesAFirstLineOfNumbers) {
    // y = 2·x1 − x2 + 0.5, saved without preprocessing: it takes every column in order.
    dense::Sequential model({dense::Dense(1, {.input_dim = 2})});
    model.build(2);
    model.set_weights({{{2, 1}, {2.0f, -1.0f}}, {{1}, {0.5f}}});
    dense::io::save_model(model, dir_ / "plain.dense");
    write(dir_ / "numbers.csv", "1,2\n3,4\n");
    const auto refused = cli("predict plain.dense numbers.csv");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("pass --no-header"), std::string::npos) << refused.err;
    const auto run = cli("predict plain.dense numbers.csv --no-header");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, "y1\n0.5\n2.5\n");  // 2·1 − 2 + 0.5 and 2·3 − 4 + 0.5
    // Its inputs are the columns but the kept ones when the file has more than 2, else all.
    write(dir_ / "with_id.csv", "id,p,q\nA,1,2\nB,3,4\n");
    EXPECT_EQ(cli("predict plain.dense with_id.csv --keep id").out, "id,y1\nA,0.5\nB,2.5\n");
    write(dir_ / "named.csv", "p,q\n1,2\n3,4\n");
    EXPECT_EQ(cli("predict plain.dense named.csv --keep q").out, "q,y1\n2,0.5\n4,2.5\n");
}

}  // namespace
