// Bad input gets a dense::Error whose message says what was wrong and what to do.
#include <cmath>
#include <initializer_list>
#include <limits>
#include <string>

#include "test_support.hpp"

namespace dense {
namespace {

// Runs f, expects an exception of type E, and checks the message holds every fragment.
template <class E = Error, class F>
void expect_error(F&& f, std::initializer_list<const char*> fragments) {
    try {
        f();
    } catch (const E& e) {
        const std::string message = e.what();
        for (const char* fragment : fragments)
            EXPECT_NE(message.find(fragment), std::string::npos) << "message: " << message << "\nmissing: " << fragment;
        return;
    } catch (const std::exception& e) {
        FAIL() << "threw the wrong type: " << e.what();
    }
    FAIL() << "expected an error mentioning " << *fragments.begin();
}

Sequential compiled_model(Loss loss = "mse") {
    Sequential model({Dense(4, "relu", {.input_dim = 3}), Dense(2)});
    model.compile(Adam(), loss);
    return model;
}

const Matrix<float> kX = testing::uniform_matrix<float>(5, 3, -1.0, 1.0, 1);
const Matrix<float> kY = testing::uniform_matrix<float>(5, 2, -1.0, 1.0, 2);

TEST(Errors, RowCountMismatchBetweenXAndYNamesBothCounts) {
    Sequential model = compiled_model();
    const Matrix<float> y = testing::uniform_matrix<float>(4, 2, -1.0, 1.0, 2);
    expect_error<DataError>([&] { model.fit(kX, y, {.verbose = 0}); }, {"fit", "x has 5 rows but y has 4"});
    expect_error<DataError>([&] { model.evaluate(kX, y); }, {"evaluate", "5 rows", "4"});
    expect_error<DataError>([&] { model.train_on_batch(kX, y); }, {"train_on_batch", "5 rows"});
}

TEST(Errors, WrongFeatureCountNamesExpectedAndGivenShapes) {
    Sequential model = compiled_model();
    const Matrix<float> x = testing::uniform_matrix<float>(5, 2, -1.0, 1.0, 1);
    expect_error<DataError>([&] { model.fit(x, kY, {.verbose = 0}); }, {"expects 3 features", "[5, 2]"});
    expect_error<DataError>([&] { model.predict(x); },
                            {"predict", "expects 3 features", "[5, 2]", "give 3 feature columns, those the model"});
    // Declared, not compiled: built by the declaration, so checked the same way.
    Sequential declared({Dense(1, {.input_dim = 3})});
    expect_error<DataError>([&] { declared.predict(x); }, {"predict", "expects 3 features", "[5, 2]"});
}

TEST(Errors, WrongTargetWidthNamesTheShapeAndTheOutputs) {
    Sequential model = compiled_model();
    const Matrix<float> y = testing::uniform_matrix<float>(5, 3, -1.0, 1.0, 2);
    expect_error<DataError>([&] { model.fit(kX, y, {.verbose = 0}); },
                            {"targets of shape [5, 3]", "2 outputs; give 2 target columns",
                             "or make the last Dense layer 3 units wide"});
    Sequential categorical = compiled_model("categorical_crossentropy");
    expect_error<DataError>([&] { categorical.fit(kX, Matrix<float>::column({0, 1, 0, 1, 1}), {.verbose = 0}); },
                            {"targets of shape [5, 1]", "2 outputs; for class indices 0..1 use the loss "
                                                        "sparse_categorical_crossentropy, or one-hot encode y"});
    Sequential sparse = compiled_model("sparse_categorical_crossentropy");
    expect_error<DataError>([&] { sparse.fit(kX, kY, {.verbose = 0}); },
                            {"one column of class indices; for one-hot targets use the loss categorical_crossentropy"});
    Sequential one_output({Dense(1, {.input_dim = 3})});
    one_output.compile(Adam(), "mse");
    expect_error<DataError>([&] { one_output.fit(kX, kY, {.verbose = 0}); },
                            {"the model's 1 output; give 1 target column, or make the last Dense layer 2 units wide"});
}

TEST(Errors, SparseLabelOutsideTheClassesIsRejected) {
    Sequential model = compiled_model("sparse_categorical_crossentropy");
    const auto labels = Matrix<float>::column({0, 1, 2, 1, 0});
    expect_error<DataError>([&] { model.fit(kX, labels, {.verbose = 0}); }, {"label 2", "row 2", "[0, 2)"});
}

TEST(Errors, EmptyDataIsRejected) {
    Sequential model = compiled_model();
    const Matrix<float> none(0, 3), no_targets(0, 2);
    expect_error<DataError>([&] { model.fit(none, no_targets, {.verbose = 0}); }, {"fit", "no rows"});
    expect_error<DataError>([&] { model.predict(none); }, {"predict", "no rows"});
    expect_error<DataError>([&] { model.evaluate(none, no_targets); }, {"evaluate", "no rows"});
    Sequential no_layers;
    expect_error<UsageError>([&] { no_layers.build(3); }, {"no layers"});
    Sequential undeclared({Dense(2)});
    expect_error<DataError>([&] { undeclared.predict(Matrix<float>(4, 0)); }, {"0 features"});
}

TEST(Errors, UnknownNamesListTheKnownOnes) {
    expect_error<UsageError>([] { Activation("relux"); }, {"unknown activation 'relux'", "relu", "softmax"});
    expect_error<UsageError>([] { Dense(3, "sigmod"); }, {"unknown activation 'sigmod'"});
    expect_error<UsageError>([] { Loss("mean_square_error"); }, {"unknown loss 'mean_square_error'", "mean_squared_error"});
    expect_error<UsageError>([] { compiled_model("crossentropy"); }, {"unknown loss 'crossentropy'"});
    expect_error<UsageError>([] { Initializer("xavier"); }, {"unknown initializer 'xavier'", "glorot_uniform"});
    Sequential model({Dense(1, {.input_dim = 1})});
    expect_error<UsageError>([&] { model.compile(Adam(), "mse", {"precision"}); }, {"unknown metric 'precision'", "accuracy"});
    expect_error<UsageError>([&] { model.compile("adamax", "mse"); }, {"unknown optimizer 'adamax'", "adam", "rmsprop"});
}

// Before, the list ended with "relu_general", a model file's name for Keras' ReLU with options,
// which typed alone is plain relu; the model file still reads it.
TEST(Errors, UnknownActivationListsOnlyTheNamesAUserTypes) {
    try {
        Activation("relux");
        FAIL() << "Activation(\"relux\") was accepted";
    } catch (const UsageError& e) {
        EXPECT_EQ(std::string(e.what()).find("relu_general"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("log_softmax"), std::string::npos) << e.what();
    }
    EXPECT_EQ(Activation("relu_general").kind(), ActivationKind::relu_general);
}

TEST(Optimizers, ByNameTakeKerasDefaultLearningRates) {
    EXPECT_DOUBLE_EQ(get_optimizer<float>("sgd")->learning_rate(), 0.01);
    for (const char* name : {"adam", "adamw", "rmsprop", "adagrad", "nadam"}) {
        const auto optimizer = get_optimizer<float>(name);
        EXPECT_EQ(optimizer->name(), name);
        EXPECT_DOUBLE_EQ(optimizer->learning_rate(), 0.001) << name;
    }
    EXPECT_DOUBLE_EQ(get_optimizer<double>("adam", 0.1)->learning_rate(), 0.1);
}

TEST(Errors, NanOrInfinityInInputsOrTargetsNamesRowAndColumn) {
    Sequential model = compiled_model();
    Matrix<float> x = kX;
    x(3, 1) = std::numeric_limits<float>::quiet_NaN();
    expect_error<DataError>([&] { model.fit(x, kY, {.verbose = 0}); }, {"input row 3, column 1 is NaN"});
    // predict is not training: the advice names the values, not a step they are for.
    expect_error<DataError>([&] { model.predict(x); }, {"row 3, column 1 is NaN", "remove or fill the values that are not finite first"});
    // predict checks batch by batch; the row is still counted from the start of x.
    expect_error<DataError>([&] { model.predict(x, {.batch_size = 2}); }, {"predict: input row 3, column 1 is NaN"});
    Matrix<float> last = kX;
    last(4, 2) = std::numeric_limits<float>::infinity();
    expect_error<DataError>([&] { model.predict(last, {.batch_size = 2}); }, {"input row 4, column 2 is infinite"});
    Matrix<float> y = kY;
    y(4, 0) = -std::numeric_limits<float>::infinity();
    expect_error<DataError>([&] { model.fit(kX, y, {.verbose = 0}); }, {"target row 4, column 0 is infinite"});
    Matrix<float> validation = kX;
    validation(0, 0) = std::numeric_limits<float>::infinity();
    expect_error<DataError>([&] { model.fit(kX, kY, {.validation_data = std::pair{validation, kY}, .verbose = 0}); },
                            {"validation_data", "infinite"});
}

TEST(Errors, ExtremeButFiniteValuesPassTheCheck) {
    Sequential model = compiled_model();
    Matrix<float> x = kX;
    x(0, 0) = std::numeric_limits<float>::max();
    x(1, 1) = std::numeric_limits<float>::lowest();
    x(2, 2) = std::numeric_limits<float>::denorm_min();
    x(3, 0) = -0.0f;
    EXPECT_NO_THROW(model.predict(x, {.batch_size = 2}));
    EXPECT_NO_THROW(model.evaluate(x, kY));
}

TEST(Errors, SetWeightsWithWrongShapesNamesTheLayerAndBothShapes) {
    Sequential model = compiled_model();
    auto weights = model.get_weights();
    weights[0] = Tensor<float>({4, 3});  // the kernel transposed
    expect_error<DataError>([&] { model.set_weights(weights); }, {"'dense'", "[3, 4]", "[4, 3]"});
    weights = model.get_weights();
    weights[3] = Tensor<float>({3});
    expect_error<DataError>([&] { model.set_weights(weights); }, {"'dense_1'", "[2]", "[3]"});
    weights.pop_back();
    expect_error<DataError>([&] { model.set_weights(weights); }, {"4 weight arrays", "got 3"});
    Dense layer(2, {.name = "head"});
    expect_error<DataError>([&] { layer.set_weights({Tensor<float>({3, 2})}); }, {"'head'", "[3, 2]", "[2]"});
}

// Before a model is built, set_weights checks kernels against the declared input_dim and
// against the units of the layer before, instead of accepting any width.
TEST(Errors, SetWeightsOnAnUnbuiltModelChecksInputWidths) {
    Sequential declared({Dense(4, {.input_dim = 3}), Dense(2)});
    expect_error<DataError>(
        [&] { declared.set_weights({Tensor<float>({2, 4}), Tensor<float>({4}), Tensor<float>({4, 2}), Tensor<float>({2})}); },
        {"'dense'", "[3, 4]", "[2, 4]"});
    Sequential chained({Dense(4, {.input_dim = 3}), Dropout(0.1), Dense(2)});
    expect_error<DataError>(
        [&] { chained.set_weights({Tensor<float>({3, 4}), Tensor<float>({4}), Tensor<float>({5, 2}), Tensor<float>({2})}); },
        {"'dense_1'", "[4, 2]", "[5, 2]"});
    // The right shapes are taken, and the model predicts with them.
    Sequential fresh({Dense(2, {.input_dim = 3}), Dropout(0.1), Dense(1)});
    fresh.set_weights({Tensor<float>({3, 2}, {1, 0, 0, 1, 1, 1}), Tensor<float>({2}, {0, 0.5f}), Tensor<float>({2, 1}, {2, 3}),
                       Tensor<float>({1}, {-1})});
    EXPECT_EQ(fresh.predict(Matrix<float>{{1, 2, 3}})(0, 0), 2.0f * 4 + 3.0f * 5.5f - 1);
}

// Tensor({2, 1}, {1, 2, 3}) has the right shape but not the values to fill it: the message says so,
// instead of "expects {[2, 1], [1]}, got {[2, 1], [1]}".
TEST(Errors, SetWeightsWithValuesThatDoNotFillTheirShapeSaysHowManyThereAre) {
    Sequential model({Dense(1, {.input_dim = 2})});
    expect_error<DataError>([&] { model.set_weights({Tensor<float>({2, 1}, {1, 2, 3}), Tensor<float>({1}, {0})}); },
                            {"'dense'", "got {[2, 1] holding 3 values, [1]}"});
}

TEST(Errors, SetWeightsWithAShapelessTensorIsADataError) {
    Dense layer(2, {.name = "head"});
    expect_error<DataError>([&] { layer.set_weights({Tensor<float>(), Tensor<float>({2})}); }, {"'head'", "got {[]"});
}

// Outside Keras' ranges an option fails where it is given, naming itself, instead of training to
// NaN (Adam with β₁ = 1 divides by 1 − β₁ᵗ = 0) or being saved into a model file that cannot be
// loaded. The ranges: learning rates, ε, weight decay, regularization factors and clipping
// thresholds ≥ 0; momentum and ρ in [0, 1]; β₁, β₂ in [0, 1); Huber's δ > 0; all finite.
TEST(Errors, OptionsOutsideTheirRangesAreRefusedWhereTheyAreGiven) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    expect_error<UsageError>([] { SGD(-0.01); }, {"learning rate", "at least 0", "-0.01"});
    expect_error<UsageError>([&] { Adam{nan}; }, {"learning rate", "got nan"});
    expect_error<UsageError>([] { LearningRate::exponential_decay(-1, 10, 0.5); }, {"learning rate", "-1"});
    expect_error<UsageError>([] { LearningRate::piecewise_constant({10}, {0.1, -0.1}); }, {"piecewise_constant", "-0.1"});
    expect_error<UsageError>([] { SGD(0.01, {.momentum = 1.5}); }, {"SGD", "momentum", "[0, 1]", "1.5"});
    expect_error<UsageError>([] { SGD(0.01, {.momentum = -0.9}); }, {"SGD", "momentum", "-0.9"});
    expect_error<UsageError>([] { Adam(0.01, {.beta_1 = 1.0}); }, {"Adam", "beta_1", "[0, 1)"});
    expect_error<UsageError>([] { Adam(0.01, {.beta_2 = -0.1}); }, {"Adam", "beta_2"});
    expect_error<UsageError>([] { Adam(0.01, {.epsilon = -1e-7}); }, {"Adam", "epsilon"});
    expect_error<UsageError>([] { AdamW(0.01, {.weight_decay = -0.004}); }, {"AdamW", "weight_decay"});
    expect_error<UsageError>([] { Nadam(0.01, {.beta_1 = 1.0}); }, {"Nadam", "beta_1"});
    expect_error<UsageError>([] { RMSprop(0.01, {.rho = 1.1}); }, {"RMSprop", "rho"});
    expect_error<UsageError>([] { RMSprop(0.01, {.momentum = 2.0}); }, {"RMSprop", "momentum"});
    expect_error<UsageError>([] { Adagrad(0.01, {.initial_accumulator_value = -0.1}); }, {"Adagrad", "initial_accumulator_value"});
    expect_error<UsageError>([] { SGD(0.01, {.clipping = {.clipnorm = -1.0}}); }, {"clipnorm", "at least 0"});
    expect_error<UsageError>([&] { SGD(0.01, {.clipping = {.clipvalue = nan}}); }, {"clipvalue"});
    expect_error<UsageError>([] { SGD(0.01, {.clipping = {.clipnorm = 1.0, .clipvalue = 1.0}}); }, {"only one"});
    expect_error<UsageError>([] { losses::huber(0.0); }, {"delta", "above 0"});
    expect_error<UsageError>([] { losses::huber(-1.0); }, {"delta", "-1"});
    expect_error<UsageError>([] { Dense(2, {.kernel_regularizer = regularizers::l2(-0.01)}); }, {"kernel_regularizer.l2"});
    expect_error<UsageError>([] { Dense(2, {.bias_regularizer = regularizers::l1(-0.01)}); }, {"bias_regularizer.l1"});
}

TEST(Errors, InvalidFitOptionsAreUsageErrors) {
    Sequential model = compiled_model();
    expect_error<UsageError>([&] { model.fit(kX, kY, {.epochs = -1, .verbose = 0}); }, {"epochs must be >= 0"});
    expect_error<UsageError>([&] { model.fit(kX, kY, {.batch_size = 0, .verbose = 0}); }, {"batch_size"});
    expect_error<UsageError>([&] { model.fit(kX, kY, {.validation_split = 1.0, .verbose = 0}); },
                             {"validation_split must be in [0, 1)"});
    expect_error<UsageError>([&] { model.fit(kX, kY, {.validation_split = -0.1, .verbose = 0}); }, {"validation_split"});
    expect_error<UsageError>([&] { model.fit(kX, kY, {.initial_epoch = -2, .verbose = 0}); }, {"initial_epoch"});
    expect_error<DataError>([&] { model.fit(kX, kY, {.validation_split = 0.9, .verbose = 0}); },
                            {"validation_split", "no training rows"});
    expect_error<UsageError>([&] { model.predict(kX, {.batch_size = 0}); }, {"batch_size"});
    expect_error<UsageError>([&] { model.evaluate(kX, kY, {.batch_size = 0}); }, {"batch_size"});
}

TEST(Errors, ANullCallbackIsAUsageErrorNamingItsPlace) {
    Sequential model = compiled_model();
    const std::shared_ptr<Callback> none;
    expect_error<UsageError>([&] { model.fit(kX, kY, {.callbacks = {std::make_shared<TerminateOnNaN>(), none}, .verbose = 0}); },
                             {"callbacks[1]", "null pointer", "std::make_shared"});
}

TEST(Errors, TrainingAnUncompiledModelSaysToCompile) {
    Sequential model({Dense(2, {.input_dim = 3})});
    expect_error<UsageError>([&] { model.fit(kX, kY, {.verbose = 0}); }, {"fit", "compile"});
    expect_error<UsageError>([&] { model.evaluate(kX, kY); }, {"evaluate", "compile"});
}

TEST(Errors, InvalidLayerAndCallbackArgumentsAreRejected) {
    expect_error<UsageError>([] { Dense(0); }, {"units must be at least 1"});
    expect_error<UsageError>([] { Dropout(1.0); }, {"rate must be in [0, 1)"});
    expect_error<UsageError>([] { Dense(2, "relu", {.activation = "tanh"}); }, {"two activations", "'relu'", "'tanh'"});
    EXPECT_EQ(Dense(2, "relu", {.activation = "relu"}).activation(), activations::relu);
    expect_error<UsageError>([] { ReduceLROnPlateau({.factor = 1.5}); }, {"factor"});
    expect_error<UsageError>([] { EarlyStopping({.mode = "lowest"}); }, {"mode must be"});
    Sequential model({Dense(2, {.input_dim = 3}), Dense(2)});
    model.add(Dense(1, {.name = "out"}));
    expect_error<UsageError>([&] { model.add(Dense(1, {.name = "out"})); }, {"already has a layer named 'out'"});
}

TEST(Errors, MonitoringAnUnloggedQuantitySaysWhatIsLogged) {
    Sequential model = compiled_model();
    auto early = std::make_shared<EarlyStopping>();  // monitors val_loss, but there is no validation data
    expect_error<UsageError>([&] { model.fit(kX, kY, {.callbacks = {early}, .verbose = 0}); },
                             {"'val_loss'", "available: loss", "validation_split or validation_data"});
    auto misspelt = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.monitor = "val_los"});
    expect_error<UsageError>([&] { model.fit(kX, kY, {.validation_split = 0.4, .callbacks = {misspelt}, .verbose = 0}); },
                             {"'val_los'", "available: loss, val_loss; did you mean 'val_loss'?"});
    const History history = model.fit(kX, kY, {.verbose = 0});
    expect_error<UsageError>([&] { history["val_loss"]; }, {"no 'val_loss'", "loss"});
}

}  // namespace
}  // namespace dense
