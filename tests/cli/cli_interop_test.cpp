// `dense convert` on model files that must be refused: exit 1 (a fault of the file, not of the
// command line), one message naming the file, never an "unexpected failure" such as bad_alloc.
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace dense::cli_test {
namespace {

// tests/fixtures/keras, beside the CLI's own fixtures (tests/cli/fixtures).
std::string interop_fixture(const std::string& name) {
    return (fs::path(DENSE_CLI_FIXTURES).parent_path().parent_path() / "fixtures" / "keras" / name).string();
}

// The fixture's path in single quotes, for a command line.
std::string quoted_fixture(const std::string& name) { return std::string("'") + interop_fixture(name) + "'"; }

class ConvertRefusal : public Cli, public ::testing::WithParamInterface<std::string> {};

TEST_P(ConvertRefusal, ExitsOneNamingTheFile) {
    const auto outcome = cli("convert '" + interop_fixture(GetParam()) + "' out.dense");
    EXPECT_EQ(outcome.status, 1) << outcome.err;
    EXPECT_NE(outcome.err.find(GetParam()), std::string::npos) << outcome.err;
    EXPECT_EQ(outcome.err.find("unexpected"), std::string::npos) << outcome.err;
    EXPECT_FALSE(fs::exists(dir_ / "out.dense"));
}

INSTANTIATE_TEST_SUITE_P(Interop, ConvertRefusal,
                         ::testing::Values("matmul_weights_first.onnx", "gemm_trans_a.onnx", "gemm_bias_per_row.onnx",
                                           "kernel_overflowing.onnx", "kernel_without_data.onnx", "kernel_no_units.onnx",
                                           "kernel_without_data.h5", "kernel_without_data.keras",
                                           "entry_size_lies.keras"));

// A CSV of a fixture's inputs (columns named in0, in1, ...) followed by `targets`, one row each.
std::string fixture_csv(const nlohmann::json& inputs, const std::vector<std::vector<std::string>>& targets,
                        const std::vector<std::string>& target_names) {
    std::string text;
    for (std::size_t c = 0; c < inputs[0].size(); ++c) text += "in" + std::to_string(c) + ",";
    for (std::size_t t = 0; t < target_names.size(); ++t) text += target_names[t] + (t + 1 < target_names.size() ? "," : "\n");
    for (std::size_t r = 0; r < inputs.size(); ++r) {
        for (const auto& value : inputs[r]) text += nlohmann::json(value.get<double>()).dump() + ",";
        for (std::size_t t = 0; t < targets[r].size(); ++t) text += targets[r][t] + (t + 1 < targets[r].size() ? "," : "\n");
    }
    return text;
}

// A model made by Keras or for onnxruntime carries none of dense's preprocessing: evaluate takes
// its target column(s) from --target, the other columns as its inputs. Scored against what real
// Keras and onnxruntime predicted for the same inputs: the classes Keras ranks first are all
// right, and onnxruntime's own outputs as targets leave an RMSE of float rounding.
TEST_F(Cli, EvaluateTakesTheTargetsOfAModelMadeElsewhere) {
    const auto keras = nlohmann::json::parse(slurp(interop_fixture("softmax_classifier.json")));
    std::vector<std::vector<std::string>> labels;
    for (const auto& p : keras["predictions"]) {
        const auto row = p.get<std::vector<double>>();
        labels.push_back({std::to_string(std::max_element(row.begin(), row.end()) - row.begin())});
    }
    labels.back() = {labels.back()[0] == "0" ? "1" : "0"};  // one row of 5 labelled otherwise than Keras ranks it
    write(dir_ / "classes.csv", fixture_csv(keras["inputs"], labels, {"label"}));
    const auto refused = cli("evaluate " + quoted_fixture("softmax_classifier.keras") + " classes.csv");
    EXPECT_EQ(refused.status, 2) << refused.err;
    EXPECT_NE(refused.err.find("name them with --target"), std::string::npos) << refused.err;
    const auto classes = cli("evaluate " + quoted_fixture("softmax_classifier.keras") + " classes.csv --target label --json");
    ASSERT_EQ(classes.status, 0) << classes.err;
    EXPECT_DOUBLE_EQ(nlohmann::json::parse(classes.out).at("accuracy").get<double>(), 4.0 / 5.0);

    const auto onnx = nlohmann::json::parse(slurp(interop_fixture("identity_of_weights.json")));
    std::vector<std::vector<std::string>> outputs;
    for (const auto& p : onnx["predictions"])
        outputs.push_back({nlohmann::json(p[0].get<double>()).dump(), nlohmann::json(p[1].get<double>()).dump()});
    write(dir_ / "values.csv", fixture_csv(onnx["inputs"], outputs, {"u", "v"}));
    const auto values = cli("evaluate " + quoted_fixture("identity_of_weights.onnx") + " values.csv -t u,v --json");
    ASSERT_EQ(values.status, 0) << values.err;
    const auto scores = nlohmann::json::parse(values.out);
    EXPECT_LT(scores.at("rmse").get<double>(), 1e-5);
    EXPECT_GT(scores.at("r2").get<double>(), 0.999999);
    const auto one_target = cli("evaluate " + quoted_fixture("identity_of_weights.onnx") + " values.csv -t u");
    EXPECT_EQ(one_target.status, 1) << one_target.err;  // v is then an input: 4 columns for 3 inputs
    EXPECT_NE(one_target.err.find("4 columns besides the target(s)"), std::string::npos) << one_target.err;
    // u named twice: before, "4 columns besides the target(s)" with status 1, which hid the mistake
    const auto twice = cli("evaluate " + quoted_fixture("identity_of_weights.onnx") + " values.csv -t u,u");
    EXPECT_EQ(twice.status, 2) << twice.err;
    EXPECT_NE(twice.err.find("--target names 'u' twice"), std::string::npos) << twice.err;
}

// A frozen layer (Keras' trainable = False) stays frozen in .dense and .keras files; an ONNX file
// cannot carry it, and convert says so in one line naming the layer.
TEST_F(Cli, ConvertKeepsFrozenLayersOrSaysWhereItCannot) {
    const auto to_dense = cli("convert '" + interop_fixture("frozen_layer.keras") + "' frozen.dense");
    ASSERT_EQ(to_dense.status, 0) << to_dense.err;
    EXPECT_EQ(to_dense.err, "");
    const auto summary = cli("summary frozen.dense");
    EXPECT_NE(summary.out.find(" Non-trainable params: 15 (60.00 B)"), std::string::npos) << summary.out;  // 4·3 + 3
    const auto to_onnx = cli("convert frozen.dense frozen.onnx");
    ASSERT_EQ(to_onnx.status, 0) << to_onnx.err;
    EXPECT_NE(to_onnx.err.find("frozen.onnx cannot carry that layer(s) 'frozen' are frozen"), std::string::npos) << to_onnx.err;
}

// predict, evaluate, summary, explain and plot read a Keras or ONNX file as convert does: the
// ONNX file of a CSV model predicts and scores as the .dense file (to the float's rounding: the
// targets' scale is folded into its last layer), and evaluate, which finds no loss in it, says
// which it scores with.
TEST_F(Cli, TheCommandsReadKerasAndOnnxModelsAsConvertDoes) {
    ASSERT_EQ(cli("train reg.csv --target y --layers 8 --epochs 20 --quiet --out m.dense").status, 0);
    ASSERT_EQ(cli("convert m.dense m.onnx").status, 0);
    ASSERT_EQ(cli("convert m.dense m.keras").status, 0);
    const auto from_onnx = csv_rows(cli("predict m.onnx reg.csv").out), from_dense = csv_rows(cli("predict m.dense reg.csv").out);
    ASSERT_EQ(from_onnx.size(), 41u);
    ASSERT_EQ(from_dense.size(), 41u);
    for (std::size_t r = 1; r < from_dense.size(); ++r)
        EXPECT_NEAR(parse_float(from_onnx[r][0]), parse_float(from_dense[r][0]), 1e-5 * (1 + std::abs(parse_float(from_dense[r][0]))));
    const auto scored = cli("evaluate m.onnx reg.csv --json");
    ASSERT_EQ(scored.status, 0) << scored.err;
    EXPECT_NE(scored.err.find("m.onnx carries no loss; scored with mean_squared_error"), std::string::npos) << scored.err;
    const auto rmse = nlohmann::json::parse(scored.out).at("rmse").get<double>();
    EXPECT_NEAR(rmse, nlohmann::json::parse(cli("evaluate m.dense reg.csv --json").out).at("rmse").get<double>(), 1e-4 * rmse);
    EXPECT_NE(cli("summary m.keras").out.find("Total params: "), std::string::npos);
    EXPECT_EQ(cli("explain m.onnx --input 1,0.5,hot").status, 0);
    EXPECT_EQ(cli("plot m.keras --out m.svg").status, 0);
    EXPECT_TRUE(fs::exists(dir_ / "m.svg"));
    ASSERT_EQ(cli("convert m.dense m.weights.h5").status, 0);
    const auto weights = cli("predict m.weights.h5 reg.csv");
    EXPECT_EQ(weights.status, 2);
    EXPECT_NE(weights.err.find("holds weights only"), std::string::npos) << weights.err;
    // Before, the pictures called it "not a dense model file" (status 1), without the pairing advice.
    for (const std::string command : {"report m.weights.h5 --out r.html", "plot m.weights.h5 --out w.svg",
                                      "plot-weights m.weights.h5 --out w.svg"}) {
        const auto drawn = cli(command);
        EXPECT_EQ(drawn.status, 2) << command;
        EXPECT_NE(drawn.err.find("holds weights only; make a model file of them and the network they belong to first"),
                  std::string::npos)
            << drawn.err;
    }
}

// A .weights.h5 file of a regression model holds it predicting in the targets' units (the scale
// folded into its last layer); read back into an architecture of any kind, whose preprocessing
// standardises the targets, it predicts as the .dense model it came from (to the float's rounding).
TEST_F(Cli, WeightsOfAScaledRegressionModelReadBackIntoAnyArchitecturePredictAsTheOriginal) {
    ASSERT_EQ(cli("train reg.csv --target y --layers 3 --epochs 20 --quiet --out m.dense").status, 0);
    ASSERT_FALSE(dense::io::load_model(dir_ / "m.dense").extras.preprocessing->target_scaling.empty());
    ASSERT_EQ(cli("convert m.dense m.weights.h5").status, 0);
    ASSERT_EQ(cli("convert m.dense m.keras").status, 0);
    ASSERT_EQ(cli("convert m.dense m.onnx").status, 0);
    const auto original = csv_rows(cli("predict m.dense reg.csv").out);
    ASSERT_EQ(original.size(), 41u);
    for (const std::string architecture : {"m.dense", "m.keras", "m.onnx"}) {
        const auto back = cli("convert m.weights.h5 back.dense --architecture " + architecture);
        ASSERT_EQ(back.status, 0) << architecture << ": " << back.err;
        const auto predicted = csv_rows(cli("predict back.dense reg.csv").out);
        ASSERT_EQ(predicted.size(), original.size()) << architecture;
        for (std::size_t r = 1; r < original.size(); ++r) {
            const float want = parse_float(original[r][0]);
            EXPECT_NEAR(parse_float(predicted[r][0]), want, 1e-5 * (1 + std::abs(want))) << architecture << ", row " << r;
        }
    }
}

// Keras' one-neuron model (one Dense layer, y = w·x + b) read from the rows of one_neuron.json
// predicts what Keras predicted.
void expect_predicts_as_keras(const fs::path& model_file) {
    const auto keras = nlohmann::json::parse(slurp(interop_fixture("one_neuron.json")));
    auto model = dense::io::load_model(model_file).model;
    const auto& inputs = keras.at("inputs");
    Matrix<float> x(inputs.size(), 1);
    for (std::size_t r = 0; r < inputs.size(); ++r) x(r, 0) = inputs[r][0].get<float>();
    const auto y = model.predict(x);
    for (std::size_t r = 0; r < inputs.size(); ++r)
        EXPECT_NEAR(y(r, 0), keras.at("predictions")[r][0].get<float>(), 1e-5) << model_file << ", row " << r;
}

// The .weights.h5 of a Keras model with a Normalization and a BatchNormalization (which import
// folds into the first Dense) converts with its .keras architecture into a model that predicts as
// Keras did; paired with an architecture that lacks those layers (the model already imported), it
// is refused rather than read without them.
TEST_F(Cli, WeightsOfAKerasModelWithFoldedLayersConvertWithItsArchitecture) {
    const std::string weights = quoted_fixture("folded_layers.weights.h5");
    const auto convert = cli("convert " + weights + " new.dense --architecture " + quoted_fixture("folded_layers_architecture.keras"));
    ASSERT_EQ(convert.status, 0) << convert.err;
    const auto keras = nlohmann::json::parse(slurp(interop_fixture("folded_layers.json")));
    auto model = dense::io::load_model(dir_ / "new.dense").model;
    const auto& inputs = keras.at("inputs");
    Matrix<float> x(inputs.size(), inputs[0].size());
    for (std::size_t r = 0; r < x.rows(); ++r)
        for (std::size_t c = 0; c < x.cols(); ++c) x(r, c) = inputs[r][c].get<float>();
    const auto y = model.predict(x);
    for (std::size_t r = 0; r < y.rows(); ++r)
        for (std::size_t c = 0; c < y.cols(); ++c) {
            const float want = keras.at("predictions")[r][c].get<float>();
            EXPECT_NEAR(y(r, c), want, 1e-5 * std::max(1.0f, std::abs(want))) << "row " << r << ", column " << c;
        }

    ASSERT_EQ(cli("convert " + quoted_fixture("folded_layers_architecture.keras") + " imported.dense").status, 0);
    const auto refused = cli("convert " + weights + " other.dense --architecture imported.dense");
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("normalization' that model"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(dir_ / "other.dense"));
}

// An extension is read in any case: M.KERAS, W.H5 and W.WEIGHTS.H5 as Keras files, X.ONNX written
// and read back as ONNX; each model predicts as Keras did.
TEST_F(Cli, ConvertTakesExtensionsInUpperCase) {
    fs::copy_file(interop_fixture("one_neuron.keras"), dir_ / "M.KERAS");
    fs::copy_file(interop_fixture("one_neuron.h5"), dir_ / "W.H5");
    fs::copy_file(interop_fixture("one_neuron.weights.h5"), dir_ / "W.WEIGHTS.H5");
    for (const std::string args : {"M.KERAS keras.dense", "W.H5 h5.dense", "W.WEIGHTS.H5 weights.dense --architecture M.KERAS",
                                   "keras.dense X.ONNX", "X.ONNX onnx.dense"}) {
        const auto run = cli("convert " + args);
        ASSERT_EQ(run.status, 0) << args << ": " << run.err;
    }
    for (const std::string model : {"keras.dense", "h5.dense", "weights.dense", "onnx.dense"}) expect_predicts_as_keras(dir_ / model);
}

TEST_F(Cli, ConvertCountsOneLayerAndManyParametersInTheirNumber) {
    const auto run = cli("convert " + quoted_fixture("one_neuron.keras") + " one.dense");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.out.find("one_neuron.keras (1 layer, 2 parameters) to one.dense\n"), std::string::npos) << run.out;
}

// A missing input, architecture or weights file is named with the reason, whatever its format.
TEST_F(Cli, ConvertOfAMissingFileSaysThereIsNoSuchFile) {
    ASSERT_EQ(cli("convert " + quoted_fixture("one_neuron.keras") + " one.keras").status, 0);
    const std::string weights = quoted_fixture("one_neuron.weights.h5");
    for (const std::string& args : {std::string("missing.keras out.dense"), std::string("missing.onnx out.dense"),
                                    std::string("missing.h5 out.dense"),
                                    std::string("missing.weights.h5 out.dense --architecture one.keras"),
                                    weights + " out.dense --architecture missing.onnx"}) {
        const auto run = cli("convert " + args);
        EXPECT_EQ(run.status, 1) << args;
        EXPECT_NE(run.err.find("missing."), std::string::npos) << args << ": " << run.err;
        EXPECT_NE(run.err.find(": no such file; check the path"), std::string::npos) << args << ": " << run.err;
        EXPECT_FALSE(fs::exists(dir_ / "out.dense")) << args;
    }
}

// --architecture pairs a .weights.h5 input with its network, --opset and --ir-version version an
// ONNX output: given for other files they are usage errors, not silently ignored.
TEST_F(Cli, ConvertRefusesOptionsThatDoNotApplyToItsFiles) {
    const std::string keras = quoted_fixture("one_neuron.keras");
    const struct {
        std::string args, message;
    } refused[] = {
        {keras + " out.dense --architecture " + keras, "--architecture does not apply to " + interop_fixture("one_neuron.keras")},
        {keras + " out.keras --opset 15", "--opset does not apply to out.keras"},
        {keras + " out.dense --ir-version 8", "--ir-version does not apply to out.dense"},
    };
    for (const auto& [args, message] : refused) {
        const auto run = cli("convert " + args);
        EXPECT_EQ(run.status, 2) << args;
        EXPECT_NE(run.err.find(message), std::string::npos) << args << ": " << run.err;
        EXPECT_FALSE(fs::exists(dir_ / "out.dense") || fs::exists(dir_ / "out.keras")) << args;
    }
    const auto onnx = cli("convert " + keras + " out.onnx --opset 15 --ir-version 8");
    EXPECT_EQ(onnx.status, 0) << onnx.err;
}

}  // namespace
}  // namespace dense::cli_test
