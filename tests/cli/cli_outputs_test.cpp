// What a command writes is checked before its work and kept safe from it: an output that is also
// an input, a folder that cannot be written and a picture's name are refused up front; a run
// that diverged, or predictions that overflowed, are errors instead of files of NaN and "inf";
// and a failed run leaves the file it would have replaced as it was.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

using namespace dense::cli_test;

// `dense ARGS` fails with `status`, its message holding `message`, and model.dense unchanged.
class CliOutputs : public Cli {
protected:
    void SetUp() override {
        Cli::SetUp();
        ASSERT_EQ(cli("train reg.csv --target y --layers 3 --epochs 3 -q -o model.dense").status, 0);
        model_bytes_ = slurp(dir_ / "model.dense");
    }
    void expect_refused(const std::string& args, int status, const std::string& message) {
        const auto run = cli(args);
        EXPECT_EQ(run.status, status) << args << '\n' << run.err;
        EXPECT_NE(run.err.find(message), std::string::npos) << args << '\n' << run.err;
        EXPECT_EQ(slurp(dir_ / "model.dense"), model_bytes_) << args << ": model.dense changed";
    }

    std::string model_bytes_;
};

TEST_F(CliOutputs, AnOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten) {
    const auto data = slurp(dir_ / "reg.csv");
    expect_refused("train reg.csv --target y -q -o reg.csv", 2, "--out names 'reg.csv', the same file as the data");
    expect_refused("train ./reg.csv --target y -q -o reg.csv", 2, "the same file as the data");
    expect_refused("train reg.csv --target y -q -o model.dense --history model.dense", 2,
                   "--history names 'model.dense', the same file as --out");
    expect_refused("predict model.dense reg.csv -o reg.csv", 2, "the same file as the data");
    expect_refused("predict model.dense reg.csv -o model.dense", 2, "the same file as the model");
    expect_refused("tune reg.csv --target y --trials 1 -q -o reg.csv", 2, "the same file as the data");
    EXPECT_EQ(slurp(dir_ / "reg.csv"), data);
    EXPECT_EQ(cli("predict model.dense model.dense -o p.csv").status, 1);  // two inputs may be one file
}

TEST_F(CliOutputs, AFolderThatCannotBeWrittenIsRefusedBeforeTraining) {
    expect_refused("train reg.csv --target y -q -o nowhere/m.dense --layers 3 --epochs 3 --json", 1,
                   "cannot create a temporary file in 'nowhere'");
    const auto run = cli("train reg.csv --target y -o nowhere/m.dense --layers 3 --epochs 3");
    EXPECT_EQ(run.out.find("Epoch"), std::string::npos) << "trained before the output was checked:\n" << run.out;
    expect_refused("tune reg.csv --target y --trials 2 -o nowhere/b.dense", 1, "cannot create a temporary file in 'nowhere'");
    EXPECT_EQ(cli("tune reg.csv --target y --trials 2 -o nowhere/b.dense").err.find("Searched"), std::string::npos);
}

// --checkpoint names a folder. Before, a file of that name stopped the run with "--checkpoint
// ckfile: cannot create the folder (Not a directory)", after the data had been read.
TEST_F(CliOutputs, ACheckpointNamingAFileIsRefusedBeforeTrainingSayingItTakesAFolder) {
    write(dir_ / "ckfile", "notes");
    expect_refused("train reg.csv --target y --layers 3 --epochs 3 -o model.dense --checkpoint ckfile", 2,
                   "--checkpoint ckfile is a file, but --checkpoint names a folder, in which dense train saves epoch-N.dense "
                   "after every epoch; name a folder (made if need be), e.g. --checkpoint ckfile-checkpoints");
    EXPECT_EQ(slurp(dir_ / "ckfile"), "notes");
    expect_refused("train reg.csv --target y --layers 3 --epochs 3 -q -o model.dense --checkpoint ckfile/sub", 1,
                   "--checkpoint ckfile/sub: cannot create the folder (");
    ASSERT_EQ(cli("train reg.csv --target y --layers 3 --epochs 2 -q -o m2.dense --checkpoint new/ck").status, 0);
    EXPECT_TRUE(fs::exists(dir_ / "new/ck/epoch-2.dense"));
}

TEST_F(CliOutputs, APlotThatCannotBeDrawnLeavesTheModelAsItWas) {
    expect_refused("train reg.csv --target y --layers 3 --epochs 3 -q -o model.dense --plot curves.jpg", 2,
                   "name the file with .svg, .png or .pdf");
    expect_refused("train reg.csv --target y --layers 3 --epochs 3 -q -o model.dense --plot nowhere/c.svg", 1,
                   "cannot create a temporary file in 'nowhere'");
}

TEST_F(CliOutputs, ATrainingThatDivergedIsAnErrorAndSavesNothing) {
    // Adam's steps are about --lr long: 1e300 takes the float weights to infinity, then NaN.
    expect_refused("train reg.csv --target y --layers 8 --lr 1e300 --epochs 5 -q -o model.dense", 1,
                   "training diverged: the loss became NaN or infinite at epoch");
    expect_refused("train reg.csv --target y --layers 8 --lr 1e300 --epochs 5 -q -o model.dense", 1,
                   "model.dense was not written. Train again with a lower --lr (it was 1e+300)");
    // Plain SGD at 1000 grows the weights of a line to about 1e17 without overflowing: a finite model
    // that is saved, with a warning that it predicts worse than the mean.
    const auto overshot =
        cli("train reg.csv --target y --layers 0 --optimizer sgd --lr 1000 --epochs 5 --early-stopping 0 -q -o far.dense");
    EXPECT_EQ(overshot.status, 0) << overshot.err;
    EXPECT_NE(overshot.err.find("warning: the model predicts its training rows worse than their mean does"),
              std::string::npos)
        << overshot.err;
    const auto learnt = cli("train reg.csv --target y --layers 0 --lr 0.05 --epochs 300 -q -o line.dense");
    EXPECT_EQ(learnt.err.find("worse than their mean"), std::string::npos) << learnt.err;
}

TEST_F(CliOutputs, PredictionsBeyondTheFloatsAreAnErrorNamingTheRow) {
    // A line learnt from a in [-1.5, 1.5]: 3e38 standardises within the floats, but y ≈ 2·a does not.
    ASSERT_EQ(cli("train reg.csv --target y --layers 0 --lr 0.05 --epochs 300 -q -o line.dense").status, 0);
    write(dir_ / "far.csv", "a,b,c,y\n1,0.5,hot,2\n3e38,0.5,hot,1\n");
    const auto predict = cli("predict line.dense far.csv");
    EXPECT_EQ(predict.status, 1);
    EXPECT_NE(predict.err.find("far.csv, data row 2: the model's output is infinite"), std::string::npos) << predict.err;
    EXPECT_EQ(predict.out.find("inf"), std::string::npos) << predict.out;
    const auto evaluate = cli("evaluate line.dense far.csv");
    EXPECT_EQ(evaluate.status, 1);
    EXPECT_NE(evaluate.err.find("far.csv, data row 2"), std::string::npos) << evaluate.err;
    const auto traced = cli("explain line.dense --input 3e38,0.5,hot");
    EXPECT_EQ(traced.status, 1);
    EXPECT_NE(traced.err.find("--input, data row 1: the model's output is"), std::string::npos) << traced.err;
    EXPECT_EQ(traced.out, "") << "printed before the check";
    EXPECT_EQ(cli("predict line.dense reg.csv -o p.csv").status, 0);
}

TEST_F(CliOutputs, ResumingRefusesOptionsThatDifferFromTheCheckpoint) {
    ASSERT_EQ(cli("train reg.csv --target y --layers 4 --lr 0.01 --epochs 2 --checkpoint ck -q").status, 0);
    const auto same = cli("train reg.csv --target y --layers 4 --lr 0.01 --epochs 3 --resume ck/epoch-1.dense -q -o r.dense");
    EXPECT_EQ(same.status, 0) << "the command that started the run, with --resume:\n" << same.err;
    const auto other =
        cli("train reg.csv --resume ck/epoch-1.dense --target a --layers 16 --optimizer sgd --epochs 3 -q -o r.dense");
    EXPECT_EQ(other.status, 2);
    EXPECT_NE(other.err.find("'--target', '--layers', '--optimizer' differ from what it holds"), std::string::npos)
        << other.err;
    const auto rate = cli("train reg.csv --resume ck/epoch-1.dense --lr 0.1 --epochs 3 -q -o r.dense");
    EXPECT_EQ(rate.status, 2);
    EXPECT_NE(rate.err.find("'--lr' differs"), std::string::npos) << rate.err;
}

TEST_F(CliOutputs, NoConvergenceWarningWhenTheBestEpochIsNotAmongTheLast) {
    // Five rows, a rising validation loss: the cap did not cut short an improving run.
    write(dir_ / "five.csv", "a,b,y\n1,2,3\n2,3,5\n3,1,4\n4,4,8\n5,2,7\n");
    const auto run = cli("train five.csv --target y --layers 2 --epochs 3 --json -o five.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto report = nlohmann::json::parse(run.out);
    const auto losses = report["history"]["val_loss"].get<std::vector<double>>();
    ASSERT_EQ(losses.size(), 3u);
    const bool last_is_best = losses[2] <= losses[0] && losses[2] <= losses[1];
    const bool warned = run.out.find("reached the epoch cap") != std::string::npos;
    EXPECT_EQ(warned, last_is_best) << run.out;
}

// Messages that said the wrong thing, or nothing, about what a user asked.
TEST_F(CliOutputs, WhatTheTaskCannotBeIsSaidInItsTerms) {
    const auto text = cli("train reg.csv --target c --task regression -q -o t.dense");
    EXPECT_EQ(text.status, 1);
    EXPECT_NE(text.err.find("the target column 'c' holds text ('cold'), which regression cannot predict; pass --task "
                            "classification"),
              std::string::npos)
        << text.err;
    const auto values = cli("train reg.csv --target y --task classification --epochs 2 -q -o v.dense");
    EXPECT_EQ(values.status, 0) << values.err;
    EXPECT_NE(values.err.find("warning: 'y' has"), std::string::npos) << values.err;
    EXPECT_NE(values.err.find("leave out --task classification"), std::string::npos) << values.err;
    EXPECT_EQ(cli("train reg.csv --target c --epochs 2 -q -o c.dense").err.find("classes in"), std::string::npos);
    std::string ids = "a,id\n";
    for (int i = 0; i < 30; ++i) ids += std::to_string(i % 7) + ",row" + std::to_string(i) + "\n";
    write(dir_ / "ids.csv", ids);
    const auto id = cli("train ids.csv --target id --epochs 2 -q -o i.dense");
    EXPECT_NE(id.err.find("'id' has 30 classes in 24 training rows"), std::string::npos) << id.err;
    EXPECT_NE(id.err.find("if it is an identifier or a date, pick another target"), std::string::npos) << id.err;
    EXPECT_EQ(id.err.find("--task classification"), std::string::npos) << "no --task was given: " << id.err;
    // Before, --json listed "warnings": [] while stderr warned.
    const auto id_json = cli("train ids.csv --target id --epochs 2 --json -o i.dense");
    ASSERT_EQ(id_json.status, 0) << id_json.err;
    const auto warnings = nlohmann::json::parse(id_json.out).at("warnings");
    ASSERT_EQ(warnings.size(), 1u) << warnings;
    EXPECT_EQ("dense train: warning: " + warnings[0].get<std::string>() + "\n", id_json.err);
    const auto split = cli("train reg.csv --target y --validation-split 0.9999999 -q -o s.dense");
    EXPECT_EQ(split.status, 1);
    EXPECT_NE(split.err.find("validation_split 0.9999999 of 40 rows"), std::string::npos) << split.err;
    const auto plot = cli("plot nowhere.dense --out n.svg");
    EXPECT_EQ(plot.status, 1) << "a missing model file is a data error, as in predict: " << plot.err;
}

// train and tune write dense's own model file: before, --out m.onnx wrote one under that name,
// which then no command could read ("not an ONNX model").
TEST_F(CliOutputs, AModelNamedAsAnotherFormatIsRefusedWithTheConversion) {
    expect_refused("train reg.csv --target y -q -o m.onnx", 2,
                   "--out m.onnx: dense train writes a .dense model file (with its preprocessing), which no Keras or "
                   "ONNX reader would take under that name; write m.dense, then: dense convert m.dense m.onnx");
    expect_refused("tune reg.csv --target y --trials 1 -q -o best.keras", 2, "then: dense convert best.dense best.keras");
    expect_refused("train reg.csv --target y -q -o m.h5", 2, "then: dense convert m.dense m.keras");  // .h5: read only
    EXPECT_FALSE(fs::exists(dir_ / "m.onnx"));
    EXPECT_FALSE(fs::exists(dir_ / "best.keras"));
}

// dense report writes an HTML page: before, --out report.svg held HTML under a picture's name.
TEST_F(CliOutputs, AReportIsAnHtmlFile) {
    expect_refused("report model.dense --out report.svg", 2,
                   "--out report.svg: dense report writes an HTML page; name the file with .html");
    EXPECT_FALSE(fs::exists(dir_ / "report.svg"));
    EXPECT_EQ(cli("report model.dense --out report.HTML").status, 0);
    EXPECT_TRUE(slurp(dir_ / "report.HTML").starts_with("<!DOCTYPE html>"));
}

// A file without the target column cannot be scored: before, "no column named 'y'", or, with
// columns the model does not read, a message about those alone.
TEST_F(CliOutputs, EvaluateWithoutTheTargetColumnPointsToPredict) {
    write(dir_ / "unlabelled.csv", "a,b,c\n1,2,hot\n");
    expect_refused("evaluate model.dense unlabelled.csv", 1,
                   "unlabelled.csv lacks the target column(s) 'y' that model.dense predicts, which evaluate scores its "
                   "predictions against; add them, or get the predictions alone with dense predict model.dense unlabelled.csv");
    write(dir_ / "other.csv", "a,b,c,note\n1,2,hot,x\n");
    expect_refused("evaluate model.dense other.csv", 1, "other.csv lacks the target column(s) 'y'");
}

TEST_F(CliOutputs, TheHistoryWritesNaNAsKerasDoes) {
    ASSERT_EQ(cli("train reg.csv --target y --layers 8 --lr 1e300 --epochs 3 -q -o nan.dense --history h.csv").status, 1);
    const auto rows = csv_rows(slurp(dir_ / "h.csv"));
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows.back().at(1), "nan");
}

// bash's <(...) names a pipe: evaluate reads it as predict does (it said "no such file").
TEST_F(CliOutputs, APipeIsReadAsAFile) {
    const auto piped = shell("mkfifo rows.csv && (cat reg.csv > rows.csv &) && " + dense() + " evaluate model.dense rows.csv --json");
    ASSERT_EQ(piped.status, 0) << piped.err;
    EXPECT_EQ(piped.out, cli("evaluate model.dense reg.csv --json").out);
    const auto folder = cli("evaluate model.dense .");
    EXPECT_EQ(folder.status, 1);
    EXPECT_NE(folder.err.find(".: is a folder; give the path of a file in it"), std::string::npos) << folder.err;
}

// R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² has no value when every y is the same: scikit-learn's r2_score
// returns NaN for one row ("not well-defined with less than two samples"). Before, evaluate
// printed R² 0 for one row, a number that reads as a score.
TEST_F(CliOutputs, RSquaredOfTargetsWithoutVarianceIsNotANumber) {
    const auto rows = csv_rows(regression_csv());
    write(dir_ / "one.csv", "a,b,c,y\n" + rows[1][0] + "," + rows[1][1] + "," + rows[1][2] + "," + rows[1][3] + "\n");
    write(dir_ / "same.csv", "a,b,c,y\n1,0,hot,5\n2,1,cold,5\n");
    for (const char* file : {"one.csv", "same.csv"}) {
        const auto text = cli(std::string("evaluate model.dense ") + file);
        ASSERT_EQ(text.status, 0) << text.err;
        EXPECT_NE(text.out.find("R²: n/a (undefined: a target has one value in every row"), std::string::npos) << text.out;
        const auto json = cli(std::string("evaluate model.dense ") + file + " --json");
        ASSERT_EQ(json.status, 0) << json.err;
        EXPECT_TRUE(nlohmann::json::parse(json.out).at("r2").is_null()) << json.out;
    }
    EXPECT_TRUE(nlohmann::json::parse(cli("evaluate model.dense reg.csv --json").out).at("r2").is_number());
}

}  // namespace
