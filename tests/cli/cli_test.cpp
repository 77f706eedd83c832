// The `dense` binary end to end: train → predict equals the in-process model bit for bit,
// resume equals an uninterrupted run, explain prints the real weights and the hand-computed
// trace, and bad files and options exit with the documented status and a clear message.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <tuple>

#include <gtest/gtest.h>

#include "cli_support.hpp"
#include "dense/dense.hpp"
#include "dense/io/csv.hpp"
#include "dense/io/model_file.hpp"

namespace {

using namespace dense::cli_test;

TEST_F(Cli, TrainThenPredictEqualsTheLoadedModelBitForBit) {
    const auto train = cli("train reg.csv --target y --epochs 3 --layers 8 --quiet --out m.dense");
    ASSERT_EQ(train.status, 0) << train.err;
    const auto predict = cli("predict m.dense reg.csv");
    ASSERT_EQ(predict.status, 0) << predict.err;
    const auto rows = csv_rows(predict.out);
    ASSERT_EQ(rows.size(), 41u);
    EXPECT_EQ(rows[0], std::vector<std::string>{"y"});

    auto file = dense::io::load_model(dir_ / "m.dense");
    const auto table = dense::io::read_csv(dir_ / "reg.csv");
    auto expected = file.model.predict(dense::io::encode_features<float>(*file.extras.preprocessing, table));
    dense::io::to_target_units(*file.extras.preprocessing, expected);
    for (std::size_t r = 0; r < 40; ++r) EXPECT_EQ(parse_float(rows[r + 1][0]), expected(r, 0)) << "row " << r;
}

// The articles' example through `dense tune`: the search must settle on one linear neuron and
// that neuron must be y = 2x + 3, read back from predictions at x = 0 and x = 1.
TEST_F(Cli, TuneOnALineRecommendsOneNeuronThatIsTheLine) {
    std::string line = "x,y\n";
    for (int i = -10; i <= 40; ++i) line += std::to_string(i / 10.0) + "," + std::to_string(2 * (i / 10.0) + 3) + "\n";
    write(dir_ / "line.csv", line);
    const auto tune = cli("tune line.csv --target y --trials 8 --out best.dense --quiet");
    ASSERT_EQ(tune.status, 0) << tune.err;
    const auto file = dense::io::load_model(dir_ / "best.dense");
    EXPECT_EQ(file.model.layer_count(), 1u);
    EXPECT_EQ(file.model.parameter_count(), 2u);
    write(dir_ / "points.csv", "x\n0\n1\n");
    const auto predict = cli("predict best.dense points.csv");
    ASSERT_EQ(predict.status, 0) << predict.err;
    const auto rows = csv_rows(predict.out);
    ASSERT_EQ(rows.size(), 3u);
    const float b = parse_float(rows[1][0]), w = parse_float(rows[2][0]) - b;
    EXPECT_NEAR(w, 2.0f, 1e-3f);
    EXPECT_NEAR(b, 3.0f, 1e-3f);
}

TEST_F(Cli, PredictReadsStdinAndWritesTheOutFile) {
    ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    const auto from_file = cli("predict m.dense reg.csv");
    ASSERT_EQ(cli("predict m.dense - --out p.csv", regression_csv()).status, 0);
    EXPECT_EQ(slurp(dir_ / "p.csv"), from_file.out);
}

TEST_F(Cli, ClassificationPredictsALabelAndProbabilitiesThatSumToOne) {
    std::string text = "u,v,kind\n";
    for (int i = 0; i < 30; ++i) text += std::to_string(i % 3) + "," + std::to_string(i % 2) + "," + "abc"[i % 3] + "\n";
    write(dir_ / "cls.csv", text);
    const auto train = cli("train cls.csv --target kind --epochs 2 --quiet --out c.dense");
    ASSERT_EQ(train.status, 0) << train.err;
    const auto rows = csv_rows(cli("predict c.dense cls.csv").out);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"kind", "p_a", "p_b", "p_c"}));
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const float sum = parse_float(rows[r][1]) + parse_float(rows[r][2]) + parse_float(rows[r][3]);
        EXPECT_NEAR(sum, 1.0f, 1e-5f);
    }
}

// Classes that are numbers take a label by its value, however it is spelt: a model trained on
// '0.0'/'1.0'/'2.0' scores the same rows spelt '0'/'1'/'2' as its own file, and the other way
// round; predict names each class as the training file spelt it.
TEST_F(Cli, NumberClassesTakeLabelsByValueAndKeepTheirSpelling) {
    const auto classes_csv = [](const std::vector<std::string>& labels) {
        std::string text = "u,v,kind\n";
        for (int i = 0; i < 30; ++i) text += std::to_string(i % 3) + "," + std::to_string(i % 2) + "," + labels[i % 3] + "\n";
        return text;
    };
    const std::vector<std::string> decimals{"0.0", "1.0", "2.0"}, integers{"0", "1", "2"};
    write(dir_ / "decimals.csv", classes_csv(decimals));
    write(dir_ / "integers.csv", classes_csv(integers));
    for (const auto& [trained, other, spelling] : {std::tuple{"decimals", "integers", decimals}, {"integers", "decimals", integers}}) {
        const std::string model = std::string(trained) + ".dense";
        ASSERT_EQ(cli("train " + std::string(trained) + ".csv --target kind --epochs 5 --quiet --out " + model).status, 0);
        const auto own = cli("evaluate " + model + " " + trained + ".csv --json");
        const auto spelt_otherwise = cli("evaluate " + model + " " + other + ".csv --json");
        ASSERT_EQ(spelt_otherwise.status, 0) << spelt_otherwise.err;
        EXPECT_EQ(nlohmann::json::parse(spelt_otherwise.out), nlohmann::json::parse(own.out)) << trained;
        const auto rows = csv_rows(cli("predict " + model + " " + other + ".csv").out);
        EXPECT_EQ(rows[0], (std::vector<std::string>{"kind", "p_" + spelling[0], "p_" + spelling[1], "p_" + spelling[2]}));
        for (std::size_t r = 1; r < rows.size(); ++r)
            EXPECT_NE(std::find(spelling.begin(), spelling.end(), rows[r][0]), spelling.end()) << rows[r][0];
    }
}

TEST_F(Cli, ResumeFromACheckpointEndsIdenticalToAnUninterruptedRun) {
    const auto full = cli("train reg.csv --target y --epochs 4 --seed 5 --threads 1 --quiet --checkpoint ck --out full.dense");
    ASSERT_EQ(full.status, 0) << full.err;
    ASSERT_TRUE(fs::exists(dir_ / "ck" / "epoch-2.dense"));
    const auto resumed = cli("train reg.csv --epochs 4 --threads 1 --quiet --resume ck/epoch-2.dense --out resumed.dense");
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_EQ(dense::io::load_model(dir_ / "resumed.dense").model.get_weights(),
              dense::io::load_model(dir_ / "full.dense").model.get_weights());
    EXPECT_EQ(slurp(dir_ / "resumed.dense"), slurp(dir_ / "full.dense"));
}

TEST_F(Cli, JsonSummaryIsMachineReadable) {
    const auto run = cli("train reg.csv --target y --epochs 2 --json --out m.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto json = nlohmann::json::parse(run.out);
    EXPECT_EQ(json.at("task"), "regression");
    EXPECT_EQ(json.at("epochs_done"), 2);
    EXPECT_EQ(json.at("history").at("loss").size(), 2u);
}

// y's mean and population deviation over every row of reg.csv, as a test computes them.
std::pair<double, double> mean_and_deviation_of_y(const std::string& csv) {
    const auto rows = csv_rows(csv);
    double sum = 0, squares = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) sum += std::stod(rows[r][3]);
    const double n = static_cast<double>(rows.size() - 1), mean = sum / n;
    for (std::size_t r = 1; r < rows.size(); ++r) squares += (std::stod(rows[r][3]) - mean) * (std::stod(rows[r][3]) - mean);
    return {mean, std::sqrt(squares / n)};
}

std::string four_digits(double value) {
    std::ostringstream text;
    text << std::setprecision(4) << value;
    return text.str();
}

// The network learns a regression target standardised; the numbers of each epoch are of those
// values, and the output says so before the first of them, in --json and on --plot's titles.
TEST_F(Cli, EpochLogsOfAStandardisedTargetSaySo) {
    const auto [mean, deviation] = mean_and_deviation_of_y(slurp(dir_ / "reg.csv"));
    const auto run = cli("train reg.csv --target y --layers 3 --epochs 2 --validation-split 0 --out m.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    const std::string note = "The loss and metrics of each epoch are of 'y' standardised, (y − " + four_digits(mean) +
                             ") / " + four_digits(deviation) + ", as the network learns it: × " + four_digits(deviation) +
                             " gives mae and rmse in its units, × " + four_digits(deviation * deviation) + " mse";
    const auto said = run.out.find(note);
    ASSERT_NE(said, std::string::npos) << run.out;
    EXPECT_LT(said, run.out.find("Epoch 1/")) << run.out;

    const auto json = nlohmann::json::parse(
        cli("train reg.csv --target y --layers 3 --epochs 2 --validation-split 0 --json --out m.dense").out);
    ASSERT_EQ(json.at("history_target_scaling").size(), 1u);
    EXPECT_EQ(json["history_target_scaling"][0].at("target"), "y");
    EXPECT_NEAR(json["history_target_scaling"][0].at("mean").get<double>(), mean, 1e-12);
    EXPECT_NEAR(json["history_target_scaling"][0].at("stddev").get<double>(), deviation, 1e-12);

    std::string text = "u,v,kind\n";
    for (int i = 0; i < 30; ++i) text += std::to_string(i % 3) + "," + std::to_string(i % 2) + "," + "abc"[i % 3] + "\n";
    write(dir_ / "cls.csv", text);
    const auto classes = cli("train cls.csv --target kind --layers 3 --epochs 2 --out c.dense");
    EXPECT_EQ(classes.out.find("standardised"), std::string::npos) << classes.out;
    EXPECT_FALSE(nlohmann::json::parse(cli("train cls.csv --target kind --layers 3 --epochs 2 --json --out c.dense").out)
                     .contains("history_target_scaling"));
}

// Dense(2, relu) then Dense(1) with chosen weights and identity preprocessing, saved in-process.
void save_hand_model(const fs::path& path) {
    dense::Sequential model({dense::Dense(2, "relu", {.input_dim = 2}), dense::Dense(1)});
    model.build(2);
    model.set_weights({{{2, 2}, {0.5f, -1.0f, 2.0f, 0.25f}}, {{2}, {0.1f, -0.2f}}, {{2, 1}, {1.5f, -2.0f}}, {{1}, {0.3f}}});
    dense::io::Preprocessing p;
    p.features.resize(2);
    p.features[0].name = "p";
    p.features[1].name = "q";
    p.targets = {"r"};
    dense::io::ModelFileExtras extras;
    extras.preprocessing = p;
    dense::io::save_model(model, path, extras);
}

TEST_F(Cli, ExplainPrintsTheWeightsOfEveryNeuron) {
    save_hand_model(dir_ / "hand.dense");
    const auto run = cli("explain hand.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    // kernel [[0.5, −1], [2, 0.25]], bias [0.1, −0.2]; then kernel [[1.5], [−2]], bias [0.3]
    EXPECT_NE(run.out.find("z1_1 = 0.5·x1 + 2·x2 + 0.1\n"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("z1_2 = −1·x1 + 0.25·x2 − 0.2\n"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("a1_1 = relu(z1_1)"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("a2_1 = 1.5·a1_1 − 2·a1_2 + 0.3\n"), std::string::npos) << run.out;
}

TEST_F(Cli, ExplainTracesAnInputAsComputedByHand) {
    save_hand_model(dir_ / "hand.dense");
    const auto run = cli("explain hand.dense --input 1,2");
    ASSERT_EQ(run.status, 0) << run.err;
    // z1 = 0.5·1 + 2·2 + 0.1 = 4.6;  z2 = −1·1 + 0.25·2 − 0.2 = −0.7;  a = relu(z) = (4.6, 0)
    // y = 1.5·4.6 − 2·0 + 0.3 = 7.2
    EXPECT_NE(run.out.find("z1_1 = 0.5·(1) + 2·(2) + 0.1 = 4.6\n"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("a1_2 = relu(−0.7) = 0\n"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("z2_1 = 1.5·(4.6) − 2·(0) + 0.3 = 7.2\n"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("r = 7.2"), std::string::npos) << run.out;
}

// --data measures the inputs' influence for a large network's summary; a small network's equations
// do not read it, which is said (before, the option, even naming no file, was passed over in silence).
TEST_F(Cli, ExplainSaysWhenItDoesNotReadData) {
    save_hand_model(dir_ / "hand.dense");
    const auto run = cli("explain hand.dense --data nowhere.csv");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.err, "dense explain: note: --data is not read: its rows measure each input's influence for the summary of "
                       "a network of 50 neurons or more, and hand.dense is printed equation by equation\n");
    EXPECT_EQ(cli("explain hand.dense").err, "");
}

// Dense(60, relu) with kernel 1, 2, …, 60 and bias −30, then Dense(1) of ones: for the input 1,
// a_u = max(0, u − 30), so units 31…60 hold 1…30 and units 1…30 hold 0; y = 1 + … + 30 = 465.
void save_wide_hand_model(const fs::path& path) {
    dense::Sequential model({dense::Dense(60, "relu", {.input_dim = 1}), dense::Dense(1)});
    model.build(1);
    std::vector<float> kernel(60);
    for (std::size_t u = 0; u < 60; ++u) kernel[u] = static_cast<float>(u + 1);
    model.set_weights({{{1, 60}, kernel}, {{60}, std::vector<float>(60, -30.0f)}, {{60, 1}, std::vector<float>(60, 1.0f)},
                       {{1}, {0.0f}}});
    dense::io::Preprocessing p;
    p.features.resize(1);
    p.features[0].name = "p";
    p.targets = {"r"};
    dense::io::save_model(model, path, {.preprocessing = p, .progress = {}, .callbacks = {}});
}

// 61 neurons, over the 50 printed whole: the trace keeps each layer's 10 largest units and each
// sum's 8 largest terms, the other 52 terms added up (253 = 465 − (30 + … + 23)).
TEST_F(Cli, ExplainTracesALargeNetworkByItsLargestUnitsAndTerms) {
    save_wide_hand_model(dir_ / "wide.dense");
    const auto run = cli("explain wide.dense --input 1");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto trace = run.out.substr(run.out.find("Tracing the input"));
    EXPECT_LT(trace.size(), 2000u) << trace;
    EXPECT_NE(trace.find("  a1_60 = relu(30) = 30\n  a1_59 = relu(29) = 29\n"), std::string::npos) << trace;
    EXPECT_NE(trace.find("  a1_51 = relu(21) = 21\n"), std::string::npos) << trace;
    EXPECT_EQ(trace.find("a1_50 ="), std::string::npos) << "the eleventh largest unit is not shown";
    EXPECT_NE(trace.find("  … 50 more units (30 of the 60 at 0); --all shows every one\n"), std::string::npos) << trace;
    EXPECT_NE(trace.find("  z2_1 = 1·(30) + 1·(29) + 1·(28) + 1·(27) + 1·(26) + 1·(25) + 1·(24) + 1·(23) + (52 more terms: 253) + 0 = 465\n"),
              std::string::npos)
        << trace;
    EXPECT_NE(trace.find("r = 465"), std::string::npos) << trace;
    const auto all = cli("explain wide.dense --input 1 --all").out;
    EXPECT_NE(all.find("  a1_1 = relu(−29) = 0\n"), std::string::npos) << "--all traces every unit";
    EXPECT_EQ(all.find("more terms"), std::string::npos);
}

TEST_F(Cli, EveryCommandHasHelpWithAnExample) {
    const auto top = cli("--help");
    EXPECT_EQ(top.status, 0);
    EXPECT_NE(top.out.find("Examples:"), std::string::npos);
    for (const char* command : {"train", "evaluate", "predict", "summary", "explain", "demo"}) {
        const auto help = cli(std::string(command) + " --help");
        EXPECT_EQ(help.status, 0) << command;
        EXPECT_NE(help.out.find("dense " + std::string(command)), std::string::npos) << command << ": " << help.out;
    }
}

TEST_F(Cli, EvaluateAndSummaryDescribeTheModel) {
    ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    const auto evaluate = cli("evaluate m.dense reg.csv --json");
    ASSERT_EQ(evaluate.status, 0) << evaluate.err;
    EXPECT_TRUE(nlohmann::json::parse(evaluate.out).contains("loss"));
    const auto summary = cli("summary m.dense");
    EXPECT_EQ(summary.status, 0);
    EXPECT_NE(summary.out.find("Total params"), std::string::npos);
    EXPECT_NE(summary.out.find("c: text, one-hot over 2 categories"), std::string::npos) << summary.out;
}

struct BadInput {
    const char* name;
    const char* file_text;  // written to bad.csv when not null
    const char* args;
    int status;
    const char* message;
};

const BadInput bad_inputs[] = {
    {"ragged row", "a,b\n1,2\n3\n", "train bad.csv --target b", 1, "bad.csv:3"},
    {"text in a numeric column", "a,b\n1,2\n2,3\nx,4\n4,5\n", "train bad.csv --target b", 1, "bad.csv:4:1"},
    {"missing value", "a,b\n1,2\n,3\n", "train bad.csv --target b", 1, "--fill"},
    {"NaN", "a,b\n1,2\nnan,3\n", "train bad.csv --target b", 1, "not a finite number"},
    // before, "choose a fill policy (--fill mean|median|zero)", which never fills a target
    {"NaN target", "a,b\n1,2\n2,nan\n3,4\n", "train bad.csv --target b --fill mean", 1,
     "bad.csv:3:2: column 'b' has 'nan', which is not a finite number; if it marks a missing value, write the cell empty "
     "or as NA: a feature's are filled by a fill policy (--fill mean|median|zero), a target's never (drop those rows)"},
    // before, only "no column named 'b'; the header has 'a|b'"
    {"fields separated by '|'", "a|b\n1|2\n2|3\n", "train bad.csv --target b", 1,
     "the header has 'a|b', read as one column: dense separates fields with ',', ';' or a tab"},
    // before, only "header field 3 is empty; every column needs a name"
    {"a delimiter ending every line", "a,b,\n1,2,\n2,3,\n", "train bad.csv --target b", 1,
     "bad.csv:1:3: header field 3 is empty; every column needs a name: the header ends with a delimiter; if every line "
     "does (an empty last column, as spreadsheets write), remove it from the end of the lines, else name the column"},
    // before, "the name of column 1 holds a NUL byte", for the second byte of each UTF-16 character
    {"UTF-16 file", "\xFF\xFE" "a", "train bad.csv --target b", 1,
     "bad.csv: the file is UTF-16 text (it starts with UTF-16's byte-order mark, as a spreadsheet's \"Unicode text\" is "
     "saved); save it as UTF-8"},
    {"UTF-16 file to predict", "\xFE\xFF" "a", "predict m.dense bad.csv", 1, "bad.csv: the file is UTF-16 text"},
    {"empty file", "", "train bad.csv --target b", 1, "empty"},
    {"header only", "a,b\n", "train bad.csv --target b", 1, "no data rows"},
    {"unknown target", "a,b\n1,2\n2,3\n", "train bad.csv --target zz", 1, "'zz'"},
    {"constant target", "a,b\n1,2\n2,2\n", "train bad.csv --target b", 1, "constant"},
    {"missing file", nullptr, "train nope.csv --target b", 1, "nope.csv"},
    {"no target", nullptr, "train reg.csv", 2, "--target"},
    {"unknown option", nullptr, "train reg.csv --target y --colour red", 2, "--colour"},
    {"bad number option", nullptr, "train reg.csv --target y --epochs many", 2, "--epochs"},
    {"zero epochs", nullptr, "train reg.csv --target y --epochs 0", 2, "--epochs"},
    {"split of one", nullptr, "train reg.csv --target y --validation-split 1", 2, "--validation-split"},
    {"unknown activation", nullptr, "train reg.csv --target y --activation relux", 2, "relux"},
    {"unknown optimizer", nullptr, "train reg.csv --target y --optimizer adamm", 2, "adamm"},
    {"loss for the other task", nullptr, "train reg.csv --target y --loss binary_crossentropy", 2, "classification"},
    {"unknown task", nullptr, "train reg.csv --target y --task clustering", 2, "clustering"},
    {"no subcommand", nullptr, "", 2, "dense --help"},
    {"model file is a CSV", nullptr, "predict reg.csv reg.csv", 1, "not a dense model file"},
    // before, "the name of column 1 is not valid UTF-8 (byte 1 of '\x89DNS')"
    {"data file is a model", nullptr, "predict m.dense m.dense", 1,
     "m.dense is a dense model file, not CSV data; give the data as a CSV file (a command that takes both takes the "
     "model first: dense predict MODEL DATA.csv)"},
    {"training on a model file", nullptr, "train m.dense --target y", 1, "m.dense is a dense model file, not CSV data"},
    {"missing model file", nullptr, "summary none.dense", 1, "none.dense"},
    {"extra column at predict time", "a,b,c,y,extra\n1,2,hot,3,4\n", "predict m.dense bad.csv", 1, "'extra'"},
    {"missing column at predict time", "a,y\n1,3\n", "predict m.dense bad.csv", 1, "'b'"},
    {"unseen category", "a,b,c\n1,2,warm\n", "predict m.dense bad.csv", 1, "'warm'"},
    // before, "has the category '', which the model never saw in training"
    {"missing category", "a,b,c\n1,2,\n", "predict m.dense bad.csv", 1,
     "bad.csv:2:3: text column 'c' has a missing value; fill the cell, or pass --fill mean, median or zero"},
    {"explain input of the wrong length", nullptr, "explain m.dense --input 1,2", 2, "--input has 2 values"},
    // an option's value, not a file's cell: before, status 1 and "fix the cell or drop the column"
    {"explain input that is not a number", nullptr, "explain m.dense --input x,2,hot", 2,
     "--input value 1 ('a') is 'x', not a number; give a number"},
    // before, "is '1e400', not a number; give a number"
    {"explain input beyond a double", nullptr, "explain m.dense --input 1e400,2,hot", 2,
     "--input value 1 ('a') is '1e400', beyond the range of a double (about ±1.8e308); give a number within it"},
    {"explain input that is infinite", nullptr, "explain m.dense --input 1,-inf,hot", 2,
     "--input value 2 ('b') is '-inf', not a finite number; give a finite number"},
    {"explain input of an unseen category", nullptr, "explain m.dense --input 1,2,warm", 2,
     "--input value 3 ('c') is 'warm', not a category the model was trained on; give one of 'cold', 'hot'"},
};

TEST_F(Cli, BadInputsExitWithTheirStatusAndAClearMessage) {
    ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    for (const auto& bad : bad_inputs) {
        if (bad.file_text) write(dir_ / "bad.csv", bad.file_text);
        const auto run = cli(bad.args);
        EXPECT_EQ(run.status, bad.status) << bad.name << ": " << run.err;
        EXPECT_NE(run.err.find(bad.message), std::string::npos) << bad.name << ": " << run.err;
        EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << bad.name << ": one line expected: " << run.err;
    }
}

TEST_F(Cli, CorruptedModelFileIsReportedNotLoaded) {
    ASSERT_EQ(cli("train reg.csv --target y --epochs 1 --quiet --out m.dense").status, 0);
    auto bytes = slurp(dir_ / "m.dense");
    bytes[bytes.size() / 2] ^= 0x01;
    write(dir_ / "m.dense", bytes);
    const auto run = cli("predict m.dense reg.csv");
    EXPECT_EQ(run.status, 1);
    EXPECT_NE(run.err.find("checksum"), std::string::npos) << run.err;
}

// A ';'-separated European file, its numbers written with a decimal comma: before, 'a' was
// one-hot encoded and 'y' made 8 classes without a word.
TEST_F(Cli, NumbersWithADecimalCommaAreRefusedReadWholeOrStreamed) {
    std::string european = "a;c;y\n";
    for (int i = 0; i < 8; ++i) european += std::to_string(i) + ",5;" + (i % 2 ? "hot" : "cold") + ";" + std::to_string(i) + ",25\n";
    write(dir_ / "european.csv", european);
    for (const std::string stream : {"", " --stream"}) {
        const auto run = cli("train european.csv --target y -q" + stream);
        EXPECT_EQ(run.status, 1) << stream;
        EXPECT_NE(run.err.find("european.csv:2:3: column 'y' has '0,25', a number written with a decimal comma"),
                  std::string::npos) << stream << run.err;
    }
}

}  // namespace
