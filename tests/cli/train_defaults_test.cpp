// `dense train` with no flags but --target, and what judges its result: standardised targets
// answered in their own units (export included), early stopping that keeps and names the best
// epoch, a fair validation split, the convergence warning, --refit, resume with early stopping
// bit for bit, `dense evaluate` against scikit-learn, and `dense explain` at a readable size.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "dense/dense.hpp"
#include "dense/io/model_file.hpp"
#include "dense/tune/default_training.hpp"

namespace {

using namespace dense::cli_test;
using nlohmann::json;

// y = 5000 + 1200·a − 800·b·c + noise: a target far from 0 in large units, 200 rows.
std::string large_target_csv() {
    std::string text = "a,b,c,y\n";
    dense::Rng rng(17);
    for (int i = 0; i < 200; ++i) {
        const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1), c = rng.uniform(-1, 1);
        text += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) + "," +
                std::to_string(5000 + 1200 * a - 800 * b * c + 30 * rng.normal()) + "\n";
    }
    return text;
}

// Two classes by the sign of u + v, the file sorted by class: every 'neg' row first.
std::string sorted_classes_csv() {
    std::string neg, pos;
    dense::Rng rng(5);
    for (int i = 0; i < 120; ++i) {
        const double u = rng.uniform(-1, 1), v = rng.uniform(-1, 1);
        (u + v < 0 ? neg : pos) += std::to_string(u) + "," + std::to_string(v) + "," + (u + v < 0 ? "neg" : "pos") + "\n";
    }
    return "u,v,sign\n" + neg + pos;
}

std::vector<double> column(const std::string& csv, std::size_t index) {
    std::vector<double> values;
    const auto rows = csv_rows(csv);
    for (std::size_t r = 1; r < rows.size(); ++r) values.push_back(std::stod(rows[r][index]));
    return values;
}

double rmse(const std::vector<double>& a, const std::vector<double>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum / double(a.size()));
}

class TrainDefaults : public Cli {
protected:
    void SetUp() override {
        Cli::SetUp();
        write(dir_ / "large.csv", large_target_csv());
        write(dir_ / "sorted.csv", sorted_classes_csv());
    }
};

TEST_F(TrainDefaults, RegressionTargetsAreStandardisedAndAnsweredInTheirUnits) {
    const auto train = cli("train large.csv --target y --layers 16 --threads 1 --quiet --out m.dense");
    ASSERT_EQ(train.status, 0) << train.err;
    const auto file = dense::io::load_model(dir_ / "m.dense");
    const auto& p = *file.extras.preprocessing;
    ASSERT_EQ(p.target_scaling.size(), 1u);
    const auto y = column(large_target_csv(), 3);
    double mean = 0;
    for (double v : y) mean += v / double(y.size());
    EXPECT_NEAR(p.target_scaling[0].mean, mean, 0.05 * mean);  // the training rows' mean
    EXPECT_GT(p.target_scaling[0].stddev, 500.0);

    const auto predict = cli("predict m.dense large.csv");
    ASSERT_EQ(predict.status, 0) << predict.err;
    const auto predictions = column(predict.out, 0);
    EXPECT_LT(rmse(predictions, y), 0.25 * p.target_scaling[0].stddev) << "the model learnt y in its own units";

    // Exported to Keras and read back: the scale is folded into the .keras file and taken out
    // again, the standardisation travels as its Normalization layer: the same numbers in y's units.
    ASSERT_EQ(cli("convert m.dense m.keras").status, 0);
    ASSERT_EQ(cli("convert m.keras k.dense").status, 0);
    const auto keras = cli("predict k.dense large.csv");
    ASSERT_EQ(keras.status, 0) << keras.err;
    const auto exported = column(keras.out, 0);
    ASSERT_EQ(exported.size(), predictions.size());
    for (std::size_t r = 0; r < exported.size(); ++r) EXPECT_NEAR(exported[r], predictions[r], 1e-3 * std::abs(predictions[r]));
}

// Ratings 1 to 5 are taken for 5 classes (at most 10 distinct whole numbers, no more than half
// the rows: the rule of the help): the report says so and how to predict them as numbers, which
// before it left to the help; with --task given, it says nothing of it.
TEST_F(TrainDefaults, WholeNumbersTakenForClassesSayHowToPredictThemAsNumbers) {
    std::string text = "a,stars\n";
    for (int i = 0; i < 40; ++i) text += std::to_string(i % 7) + "," + std::to_string(1 + i % 5) + "\n";
    write(dir_ / "stars.csv", text);
    const std::string note = "into 5 classes (whole numbers with few distinct values, taken for classes; --task "
                             "regression predicts them as numbers)";
    const auto inferred = cli("train stars.csv --target stars --epochs 2 --ensemble 1 --out s.dense");
    ASSERT_EQ(inferred.status, 0) << inferred.err;
    EXPECT_NE(inferred.out.find(note), std::string::npos) << inferred.out;
    const auto asked = cli("train stars.csv --target stars --task classification --epochs 2 --ensemble 1 --out s.dense");
    ASSERT_EQ(asked.status, 0) << asked.err;
    EXPECT_NE(asked.out.find("into 5 classes from"), std::string::npos) << asked.out;
}

TEST_F(TrainDefaults, AFileWithoutTargetScalingLoadsAsVersionOneAndPredictsUnscaled) {
    dense::Sequential model({dense::Dense(1, dense::DenseOptions{.input_dim = 1})});
    model.build(1);
    model.set_weights({{{1, 1}, {2.0f}}, {{1}, {3.0f}}});
    dense::io::Preprocessing p;
    p.features.resize(1);
    p.features[0].name = "x";
    p.targets = {"y"};
    const auto bytes = dense::io::serialize_model(model, {.preprocessing = p, .progress = {}, .callbacks = {}});
    EXPECT_EQ(bytes[8], std::byte{1});  // an older dense reads it
    dense::io::save_model(model, dir_ / "old.dense", {.preprocessing = p, .progress = {}, .callbacks = {}});
    write(dir_ / "x.csv", "x\n2\n");
    EXPECT_EQ(cli("predict old.dense x.csv").out, "y\n7\n");
}

TEST_F(TrainDefaults, EarlyStoppingKeepsTheBestEpochAndSaysWhich) {
    const auto run = cli("train large.csv --target y --layers 16 --early-stopping 5 --no-refit --threads 1 --json --out m.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto report = json::parse(run.out);
    const int stopped = report.at("stopped_epoch"), kept = report.at("kept_epoch");
    EXPECT_EQ(stopped - kept, 5);
    const auto val_loss = report.at("history").at("val_loss").get<std::vector<double>>();
    ASSERT_EQ(val_loss.size(), std::size_t(stopped));
    const auto best = std::min_element(val_loss.begin(), val_loss.end());
    EXPECT_EQ(best - val_loss.begin() + 1, kept);
    // The saved weights are epoch `kept`'s: its validation MSE, in y's units, is the history's
    // standardised val_loss times stddev².
    const double stddev = dense::io::load_model(dir_ / "m.dense").extras.preprocessing->target_scaling[0].stddev;
    const double kept_mse = report.at("kept").at("validation").at("loss").at("value");
    EXPECT_NEAR(kept_mse, *best * stddev * stddev, 1e-3 * kept_mse);

    const auto text = cli("train large.csv --target y --layers 16 --early-stopping 5 --no-refit --threads 1 --out m.dense");
    EXPECT_NE(text.out.find("Stopped at epoch " + std::to_string(stopped) + ", kept epoch " + std::to_string(kept) +
                            "'s weights"),
              std::string::npos)
        << text.out;
    const auto last_line = text.out.substr(text.out.rfind('\n', text.out.size() - 2) + 1);
    EXPECT_EQ(last_line.rfind("Kept model: training RMSE ", 0), 0u) << last_line;
    EXPECT_NE(last_line.find("; validation RMSE "), std::string::npos) << last_line;
}

TEST_F(TrainDefaults, ValidationIsStratifiedByDefaultAndALopsidedSplitIsNamed) {
    const auto fair = cli("train sorted.csv --target sign --epochs 2 --no-refit --json --out m.dense");
    ASSERT_EQ(fair.status, 0) << fair.err;
    EXPECT_EQ(fair.err.find("hold only"), std::string::npos) << fair.err;
    const auto validation = json::parse(fair.out).at("kept").at("validation");
    EXPECT_GT(validation.at("classes").at("neg").at("support"), 0);
    EXPECT_GT(validation.at("classes").at("pos").at("support"), 0);
    EXPECT_EQ(dense::io::load_model(dir_ / "m.dense").extras.progress->validation, "stratified");

    const auto keras_like = cli("train sorted.csv --target sign --epochs 2 --split last-rows --quiet --out m.dense");
    ASSERT_EQ(keras_like.status, 0) << keras_like.err;
    EXPECT_NE(keras_like.err.find("the validation rows hold only the class 'pos'; the split cannot judge the model (use "
                                  "--split stratified)"),
              std::string::npos)
        << keras_like.err;

    // 5 rows: the stratified split's one validation row holds one class, which no split could mend.
    write(dir_ / "five.csv", "a,b,label\n1,2,x\n2,3,y\n3,1,x\n4,4,y\n5,0,x\n");
    const auto tiny = cli("train five.csv --target label --epochs 2 --quiet --out t.dense");
    ASSERT_EQ(tiny.status, 0) << tiny.err;
    EXPECT_NE(tiny.err.find("the validation rows hold only the class"), std::string::npos) << tiny.err;
    EXPECT_NE(tiny.err.find("too few rows of each class for both sides"), std::string::npos) << tiny.err;
    EXPECT_EQ(tiny.err.find("use --split stratified"), std::string::npos) << "it is stratified already: " << tiny.err;
}

TEST_F(TrainDefaults, TheEpochCapWarnsWhileTheLossStillImproves) {
    const auto capped = cli("train large.csv --target y --epochs 3 --quiet --out m.dense");
    ASSERT_EQ(capped.status, 0) << capped.err;
    EXPECT_NE(capped.err.find("warning: training reached the epoch cap (--epochs 3) while the validation loss was still "
                              "improving"),
              std::string::npos)
        << capped.err;
    EXPECT_NE(capped.err.find("raise --epochs"), std::string::npos);
    const auto converged = cli("train large.csv --target y --layers 16 --early-stopping 5 --quiet --out m.dense");
    EXPECT_EQ(converged.err.find("warning"), std::string::npos) << converged.err;
}

TEST_F(TrainDefaults, RefitTrainsEveryRowForTheKeptEpochs) {
    const auto kept =
        json::parse(cli("train large.csv --target y --layers 16 --early-stopping 5 --threads 1 --no-refit --json").out);
    const auto refit = cli("train large.csv --target y --layers 16 --early-stopping 5 --threads 1 --refit --json --out r.dense");
    ASSERT_EQ(refit.status, 0) << refit.err;
    const auto report = json::parse(refit.out);
    EXPECT_TRUE(report.at("refit").get<bool>());
    const auto progress = *dense::io::load_model(dir_ / "r.dense").extras.progress;
    EXPECT_EQ(progress.epochs_done, kept.at("kept_epoch").get<int>());
    EXPECT_EQ(progress.training_rows, 200u);
    const auto summary = cli("summary r.dense");
    EXPECT_NE(summary.out.find("the saved weights were trained on 200 rows"), std::string::npos) << summary.out;
    EXPECT_NE(cli("summary model.dense").out.find("trained on 160 rows"), std::string::npos);
}

TEST_F(TrainDefaults, RefitIsTheDefaultExceptForResumableRuns) {
    const auto plain = cli("train large.csv --target y --layers 16 --early-stopping 5 --threads 1 --quiet --out d.dense");
    ASSERT_EQ(plain.status, 0) << plain.err;
    EXPECT_EQ(dense::io::load_model(dir_ / "d.dense").extras.progress->training_rows, 200u);
    const auto checkpointed =
        cli("train large.csv --target y --layers 16 --early-stopping 5 --threads 1 --checkpoint ck --quiet --out c.dense");
    ASSERT_EQ(checkpointed.status, 0) << checkpointed.err;
    EXPECT_EQ(dense::io::load_model(dir_ / "c.dense").extras.progress->training_rows, 160u) << "resumable, not refit";
}

// y = 2 + 3a − 2b + noise: a line is the truth, and 64 relu units cannot beat it by more than
// the noise, so the linear model is kept. y = sin(3a)·cos(3b): no line comes close.
TEST_F(TrainDefaults, WithoutLayersTheValidationRowsChooseBetweenALineAndANetwork) {
    std::string linear = "a,b,y\n", curved = "a,b,y\n";
    dense::Rng rng(11);
    for (int i = 0; i < 300; ++i) {
        const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
        const std::string ab = std::to_string(a) + "," + std::to_string(b) + ",";
        linear += ab + std::to_string(2 + 3 * a - 2 * b + 0.5 * rng.normal()) + "\n";
        curved += ab + std::to_string(std::sin(3 * a) * std::cos(3 * b) + 0.05 * rng.normal()) + "\n";
    }
    write(dir_ / "linear.csv", linear);
    write(dir_ / "curved.csv", curved);
    const auto line = cli("train linear.csv --target y --threads 1 --json --out l.dense");
    ASSERT_EQ(line.status, 0) << line.err;
    EXPECT_EQ(json::parse(line.out).at("model_choice").get<std::string>().rfind("linear model averaged over 5 seeds (3 parameters)", 0),
              0u)
        << line.out;
    EXPECT_EQ(dense::io::load_model(dir_ / "l.dense").model.layer_count(), 1u);
    const auto network = cli("train curved.csv --target y --threads 1 --out c.dense");
    ASSERT_EQ(network.status, 0) << network.err;
    EXPECT_NE(network.out.find("Chose the 5 × 64 relu averaged into one network of 320 units (1281 parameters): validation "
                               "loss lower than that of linear model averaged over 5 seeds (3 parameters) by more than one standard error"),
              std::string::npos)
        << network.out;
    const auto given = cli("train curved.csv --target y --layers 8 --threads 1 --json --out g.dense");
    EXPECT_EQ(json::parse(given.out).at("model_choice"), "") << "--layers is the user's choice";
}

// y = sin(3a)·cos(3b) + noise, 300 rows: a curve no line fits.
std::string curved_csv() {
    std::string text = "a,b,y\n";
    dense::Rng rng(23);
    for (int i = 0; i < 300; ++i) {
        const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
        text += std::to_string(a) + "," + std::to_string(b) + "," +
                std::to_string(std::sin(3 * a) * std::cos(3 * b) + 0.05 * rng.normal()) + "\n";
    }
    return text;
}

// --ensemble 3: three copies of each candidate, averaged into one ordinary network of 3 × 64
// units that predicts, exports and reloads like any other; the same bytes on any thread count.
TEST_F(TrainDefaults, AnEnsembleIsOneOrdinaryNetworkThatSaysWhatItIs) {
    write(dir_ / "curved.csv", curved_csv());
    const auto text = cli("train curved.csv --target y --ensemble 3 --threads 2 --out e.dense");
    ASSERT_EQ(text.status, 0) << text.err;
    EXPECT_NE(text.out.find("Chose the 3 × 64 relu averaged into one network of 192 units (769 parameters)"),
              std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("Trained 3 copies from different seeds with early stopping; they kept epochs "), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("then averaged them into one network"), std::string::npos) << text.out;
    const auto file = dense::io::load_model(dir_ / "e.dense");
    EXPECT_EQ(file.model.name(), "average_of_3_networks");
    EXPECT_EQ(file.model.layer(0).output_dim(), 192u);
    EXPECT_NE(cli("summary e.dense").out.find("average_of_3_networks"), std::string::npos);

    ASSERT_EQ(cli("train curved.csv --target y --ensemble 3 --threads 1 --quiet --out one.dense").status, 0);
    EXPECT_EQ(slurp(dir_ / "one.dense"), slurp(dir_ / "e.dense")) << "one thread or two: the same bits";
    const auto json_report = json::parse(cli("train curved.csv --target y --ensemble 3 --json --out j.dense").out);
    EXPECT_EQ(json_report.at("ensemble"), 3);
    const auto member_epochs = json_report.at("member_kept_epochs").get<std::vector<int>>();
    ASSERT_EQ(member_epochs.size(), 3u);
    EXPECT_NE(cli("summary e.dense").out.find("Trained 3 copies from different seeds for " + std::to_string(member_epochs[0]) +
                                              ", " + std::to_string(member_epochs[1]) + ", " +
                                              std::to_string(member_epochs[2]) + " epochs, averaged into one network; the saved weights were trained on"),
              std::string::npos);
    EXPECT_EQ(dense::io::load_model(dir_ / "e.dense").extras.progress->member_epochs, member_epochs);
    EXPECT_EQ(slurp(dir_ / "j.dense"), slurp(dir_ / "e.dense")) << "the same seed: the same bits";

    const auto predictions = column(cli("predict e.dense curved.csv").out, 0);
    EXPECT_LT(rmse(predictions, column(curved_csv(), 2)), 0.2) << "y has a standard deviation of about 0.45";
    ASSERT_EQ(cli("convert e.dense e.keras").status, 0);
    ASSERT_EQ(cli("convert e.keras k.dense").status, 0);
    const auto exported = column(cli("predict k.dense curved.csv").out, 0);
    ASSERT_EQ(exported.size(), predictions.size());
    for (std::size_t r = 0; r < exported.size(); ++r) EXPECT_NEAR(exported[r], predictions[r], 1e-4 + 1e-4 * std::abs(predictions[r]));
    EXPECT_EQ(cli("convert e.dense e.onnx").status, 0);
}

// A classifier's copies each validate on a fold of their own, drawn by class: the validation
// scores are out of fold, every row once with 5 copies of a 20 % split, each class in full. A
// last-rows split, and regression, keep every copy on the validation rows.
TEST_F(TrainDefaults, AClassifiersCopiesValidateOnFoldsOfTheirOwn) {
    const auto folded = cli("train sorted.csv --target sign --out f.dense");
    ASSERT_EQ(folded.status, 0) << folded.err;
    EXPECT_NE(folded.out.find("Trained 5 copies from different seeds with early stopping, each on validation rows of its own "
                              "(5 folds, 120 rows in all); they kept epochs "),
              std::string::npos)
        << folded.out;
    EXPECT_NE(folded.out.find(" (120 rows out of fold, before the refit)"), std::string::npos) << folded.out;
    const auto report = json::parse(cli("train sorted.csv --target sign --json --out j.dense").out);
    EXPECT_EQ(report.at("validation_folds"), 5);
    const auto& validation = report.at("kept").at("validation");
    EXPECT_EQ(validation.at("rows"), 120);
    const std::string csv = sorted_classes_csv();
    const auto first_pos = csv.find(",pos\n");
    ASSERT_NE(first_pos, std::string::npos);
    const auto negatives = std::count(csv.begin(), csv.begin() + static_cast<std::ptrdiff_t>(first_pos), '\n') - 1;
    EXPECT_EQ(validation.at("classes").at("neg").at("support"), negatives) << "every 'neg' row validates one copy";
    EXPECT_EQ(slurp(dir_ / "j.dense"), slurp(dir_ / "f.dense"));

    const auto last_rows = json::parse(cli("train sorted.csv --target sign --split last-rows --json --out l.dense").out);
    EXPECT_EQ(last_rows.at("validation_folds"), 1);
    EXPECT_EQ(last_rows.at("kept").at("validation").at("rows"), 24);
    EXPECT_EQ(json::parse(cli("train large.csv --target y --json --out r.dense").out).at("validation_folds"), 1);
}

// Issue 20: with early stopping, a run resumed from any checkpoint stops at the same epoch and
// saves the same bytes as the uninterrupted run.
TEST_F(TrainDefaults, ResumeWithEarlyStoppingIsBitIdentical) {
    const std::string common = "train large.csv --target y --layers 16 --early-stopping 4 --threads 1 --seed 3 --json";
    const auto full = cli(common + " --checkpoint ck --out full.dense");
    ASSERT_EQ(full.status, 0) << full.err;
    const int stopped = json::parse(full.out).at("stopped_epoch"), kept = json::parse(full.out).at("kept_epoch");
    ASSERT_GT(stopped, 3);
    for (int epoch : {1, kept, stopped - 1, stopped}) {
        const auto resumed = cli("train large.csv --threads 1 --json --resume ck/epoch-" + std::to_string(epoch) +
                                 ".dense --out resumed.dense");
        ASSERT_EQ(resumed.status, 0) << resumed.err;
        EXPECT_EQ(json::parse(resumed.out).at("stopped_epoch"), stopped) << "resumed from epoch " << epoch;
        EXPECT_EQ(slurp(dir_ / "resumed.dense"), slurp(dir_ / "full.dense")) << "resumed from epoch " << epoch;
    }
}

// A model whose predictions are known: `dense evaluate` must report what scikit-learn reports for
// them (tests/cli/fixtures/make_evaluate_expected.py).
class EvaluateReport : public Cli {
protected:
    json expected() { return json::parse(slurp(fs::path(DENSE_CLI_FIXTURES) / "evaluate_expected.json")); }
};

TEST_F(EvaluateReport, ClassificationMatchesScikitLearnsReport) {
    // guess one-hot over a, b, c, d → softmax(10·I · x): predicts the guess.
    dense::Sequential model({dense::Dense(4, "softmax", {.input_dim = 4})});
    model.build(4);
    std::vector<float> kernel(16, 0.0f);
    for (int i = 0; i < 4; ++i) kernel[i * 4 + i] = 10.0f;
    model.set_weights({{{4, 4}, kernel}, {{4}, {0, 0, 0, 0}}});
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    dense::io::Preprocessing p;
    p.task = dense::io::Task::classification;
    p.features.resize(1);
    p.features[0].name = "guess";
    p.features[0].categories = {"a", "b", "c", "d"};
    p.targets = {"label"};
    p.classes = {"a", "b", "c", "d"};
    dense::io::save_model(model, dir_ / "c.dense", {.preprocessing = p, .progress = {}, .callbacks = {}});
    const auto run = cli("evaluate c.dense '" DENSE_CLI_FIXTURES "/evaluate_classes.csv' --json");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto got = json::parse(run.out);
    const auto want = expected().at("classification");
    EXPECT_EQ(got.at("rows"), want.at("rows"));
    EXPECT_DOUBLE_EQ(got.at("accuracy"), want.at("accuracy"));
    EXPECT_EQ(got.at("confusion_matrix").at("matrix"), want.at("confusion_matrix"));
    auto same = [](const json& g, const json& w, const std::string& what) {
        EXPECT_NEAR(g.at("precision"), w.at("precision"), 1e-12) << what;
        EXPECT_NEAR(g.at("recall"), w.at("recall"), 1e-12) << what;
        EXPECT_NEAR(g.at("f1"), w.at("f1-score"), 1e-12) << what;
        EXPECT_EQ(g.at("support").get<double>(), w.at("support").get<double>()) << what;
    };
    ASSERT_EQ(got.at("classes").size(), want.at("classes").size()) << "only the classes true or predicted in some row";
    for (const auto& [label, scores] : want.at("classes").items()) same(got.at("classes").at(label), scores, label);
    same(got.at("macro_avg"), want.at("macro_avg"), "macro avg");
    same(got.at("weighted_avg"), want.at("weighted_avg"), "weighted avg");

    const auto text = cli("evaluate c.dense '" DENSE_CLI_FIXTURES "/evaluate_classes.csv'").out;
    for (const char* part : {"loss (sparse_categorical_crossentropy): ", "accuracy: 0.75", "precision    recall  f1-score   support",
                             "macro avg", "weighted avg", "true \\ predicted", "rows: 20"})
        EXPECT_NE(text.find(part), std::string::npos) << part << " in\n" << text;
}

TEST_F(EvaluateReport, RegressionMatchesScikitLearnsMetrics) {
    // y' = 0.5·p − 5 learnt on targets standardised with mean 10 and std 2: y = y'·2 + 10 = p.
    dense::Sequential model({dense::Dense(1, dense::DenseOptions{.input_dim = 1})});
    model.build(1);
    model.set_weights({{{1, 1}, {0.5f}}, {{1}, {-5.0f}}});
    model.compile("adam", "mse");
    dense::io::Preprocessing p;
    p.features.resize(1);
    p.features[0].name = "p";
    p.targets = {"y"};
    p.target_scaling = {{10.0, 2.0}};
    dense::io::save_model(model, dir_ / "r.dense", {.preprocessing = p, .progress = {}, .callbacks = {}});
    const auto run = cli("evaluate r.dense '" DENSE_CLI_FIXTURES "/evaluate_values.csv' --json");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto got = json::parse(run.out);
    const auto want = expected().at("regression");
    EXPECT_EQ(got.at("rows"), want.at("rows"));
    EXPECT_EQ(got.at("loss").at("name"), "mean_squared_error");
    EXPECT_NEAR(got.at("loss").at("value"), want.at("mse"), 1e-5);
    for (const char* key : {"mae", "rmse", "r2", "baseline_rmse"}) EXPECT_NEAR(got.at(key), want.at(key), 1e-6) << key;
    const auto text = cli("evaluate r.dense '" DENSE_CLI_FIXTURES "/evaluate_values.csv'").out;
    for (const char* part : {"rows: 10", "loss (mean_squared_error): ", "MAE: ", "RMSE: ", "R²: ",
                             "RMSE of predicting the training mean: "})
        EXPECT_NE(text.find(part), std::string::npos) << part << " in\n" << text;
}

TEST_F(TrainDefaults, ExplainSummarisesALargeNetworkAndChecksTheInputFirst) {
    ASSERT_EQ(cli("train large.csv --target y --layers 64 --epochs 2 --quiet --out m.dense").status, 0);
    const auto summary = cli("explain m.dense");
    ASSERT_EQ(summary.status, 0) << summary.err;
    EXPECT_LT(summary.out.size(), 4000u) << summary.out;
    std::istringstream lines(summary.out);
    for (std::string line; std::getline(lines, line);) EXPECT_LT(line.size(), 200u) << line;
    EXPECT_NE(summary.out.find("Influence of each input"), std::string::npos);
    const auto weights = summary.out.substr(summary.out.find("Largest weights"));
    EXPECT_NE(weights.find(": \u2212"), std::string::npos) << "a negative weight with the equations' minus sign\n" << weights;
    EXPECT_EQ(weights.find(": -"), std::string::npos) << weights;
    EXPECT_NE(summary.out.find("y = a2_1·"), std::string::npos) << "the target's scale, the last step";
    EXPECT_NE(cli("explain m.dense --all").out.find("z1_64 = "), std::string::npos);
    const auto wrong = cli("explain m.dense --input 1,2");
    EXPECT_EQ(wrong.status, 2);
    EXPECT_EQ(wrong.out, "") << "nothing printed before the --input check";
}

// The input with the larger effect ranks first: y depends on a by 1200 and on b·c by 800.
TEST_F(TrainDefaults, ExplainRanksTheInputThatMovesThePredictionMost) {
    ASSERT_EQ(cli("train large.csv --target y --layers 64 --threads 1 --quiet --out m.dense").status, 0);
    const auto out = cli("explain m.dense --data large.csv").out;
    EXPECT_NE(out.find("1. x1 ('a')"), std::string::npos) << out;
}

// With no --ensemble, 5 copies up to ensemble_rows_limit rows and one above it (the spread between
// seeds shrinks with the rows while the copies' time grows); --ensemble 0 is a usage error.
TEST_F(TrainDefaults, TheDefaultEnsembleIsFiveCopiesUpToItsRowLimitAndOneAbove) {
    const auto linear_rows = [](std::size_t rows) {
        std::string text = "x,y\n";
        for (std::size_t r = 0; r < rows; ++r) {
            const double x = static_cast<double>(r % 1000) / 500.0 - 1.0;
            text += std::to_string(x) + "," + std::to_string(2 * x + 3) + "\n";
        }
        return text;
    };
    const auto copies_for = [&](std::size_t rows) {
        write(dir_ / "rows.csv", linear_rows(rows));
        const auto report = cli("train rows.csv --target y --epochs 1 --no-refit --json --out rows.dense");
        EXPECT_EQ(report.status, 0) << report.err;
        return json::parse(report.out).at("ensemble").get<std::size_t>();
    };
    EXPECT_EQ(copies_for(dense::tune::ensemble_rows_limit), dense::tune::default_ensemble);
    EXPECT_EQ(copies_for(dense::tune::ensemble_rows_limit + 1), 1u);
    EXPECT_EQ(cli("train rows.csv --target y --ensemble 0").status, 2);
}

// The articles' worked example, y = 2x + 3 on 7 rows: one training step an epoch, so the default
// cap counts default_min_steps steps rather than 1000 epochs (after 1000 steps of Adam at 1e-3 the
// linear model was far off, R² −1.4), and dense train learns the line itself.
TEST_F(TrainDefaults, LearnsTheArticlesLineFromSevenRowsWithNoFlags) {
    std::string text = "x,y\n";
    for (int x = 1; x <= 7; ++x) text += std::to_string(x) + "," + std::to_string(2 * x + 3) + "\n";
    write(dir_ / "line.csv", text);
    const auto report = cli("train line.csv --target y --json --out line.dense");
    ASSERT_EQ(report.status, 0) << report.err;
    EXPECT_EQ(report.err.find("epoch cap"), std::string::npos) << report.err;
    const auto predictions = column(cli("predict line.dense line.csv").out, 0);
    ASSERT_EQ(predictions.size(), 7u);
    for (int x = 1; x <= 7; ++x) EXPECT_NEAR(predictions[x - 1], 2 * x + 3, 0.05) << "x = " << x;
    EXPECT_GT(dense::tune::default_epoch_cap(5, 32), 1000) << "5 training rows: one step an epoch";
    EXPECT_EQ(dense::tune::default_epoch_cap(100'000, 32), dense::tune::default_max_epochs);
    const auto capped = cli("train line.csv --target y --layers 0 --epochs 1000 --json --out capped.dense");
    EXPECT_NE(capped.err.find("epoch cap (--epochs 1000)"), std::string::npos) << "--epochs given: its cap, and the warning";
}


// Without validation rows early stopping watches the training loss, which keeps falling by ever
// smaller steps while a network fits 20 rows ever closer (on classes it separates, for as long as
// it trains): with no tolerance it ran to the cap of default_epoch_cap(20, 32) = 10 000 epochs and
// advised raising --epochs. scikit-learn's MLP counts an epoch as better only when it lowers the
// loss by more than tol = 1e-4, and so does dense train now.
TEST_F(TrainDefaults, WithoutValidationRowsTrainingStopsWhenTheTrainingLossStopsFalling) {
    std::string text = "a,b,y\n";
    dense::Rng rng(3);
    for (int i = 0; i < 20; ++i) {
        const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
        text += std::to_string(a) + "," + std::to_string(b) + "," + (a + b > 0 ? "yes" : "no") + "\n";
    }
    write(dir_ / "separable.csv", text);
    const auto run = cli("train separable.csv --target y --validation-split 0 --threads 1 --json --out n.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto report = json::parse(run.out);
    ASSERT_TRUE(report.at("stopped_epoch").is_number()) << "ran to the cap: " << report.at("warnings");
    EXPECT_LT(report.at("stopped_epoch").get<int>(), dense::tune::default_epoch_cap(20, 32));
    EXPECT_EQ(report.at("warnings").dump().find("epoch cap"), std::string::npos) << report.at("warnings");

    const auto printed = cli("train separable.csv --target y --validation-split 0 --threads 1 --out t.dense");
    ASSERT_EQ(printed.status, 0) << printed.err;
    EXPECT_NE(printed.out.find("(the training loss did not improve by more than 1e-04 for 50 epochs)"), std::string::npos)
        << printed.out;
}

}  // namespace
