// Importing what real Keras wrote: predictions must equal Keras' own on the stored inputs.
#include <fstream>

#include <gtest/gtest.h>

#include "dense/dense.hpp"
#include "dense/interop/keras.hpp"
#include "fixtures.hpp"

namespace dense {
namespace {

using testing::expect_predicts;
using testing::expected;
using testing::fixture;

std::string error_of(auto&& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.what();
    }
    return "no error";
}

class KerasArchive : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasArchive, PredictsAsKerasDid) {
    auto model = keras::load_model(fixture(GetParam() + ".keras"));
    expect_predicts(model, expected(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, KerasArchive,
    ::testing::Values("one_neuron", "course_4_4_1", "softmax_classifier", "activation_layers", "activation_linear",
                      "activation_relu", "activation_leaky_relu", "activation_elu", "activation_selu", "activation_gelu",
                      "activation_sigmoid", "activation_hard_sigmoid", "activation_tanh", "activation_softmax",
                      "activation_softplus", "activation_softsign", "activation_silu", "activation_exponential"));

class LegacyH5 : public ::testing::TestWithParam<std::string> {};

TEST_P(LegacyH5, PredictsAsKerasDid) {
    auto model = keras::load_model(fixture(GetParam() + ".h5"));
    expect_predicts(model, expected(GetParam()));
}

// course_keras2.h5 has tf.keras 2's layout (model_weights/dense/dense/kernel:0); the others
// are Keras 3's legacy writer's (model_weights/dense/sequential/dense/kernel).
INSTANTIATE_TEST_SUITE_P(Fixtures, LegacyH5, ::testing::Values("course_keras2", "one_neuron", "course_4_4_1", "softmax_classifier"));

TEST(KerasImport, KeepsLayerTypesNamesAndOptions) {
    const auto model = keras::load_model(fixture("softmax_classifier.keras"));
    ASSERT_EQ(model.layer_count(), 3u);
    EXPECT_EQ(model.input_dim(), 4u);
    const auto& hidden = dynamic_cast<const Dense&>(model.layer(0));
    EXPECT_EQ(hidden.name(), "dense_4");
    EXPECT_EQ(hidden.units(), 8u);
    EXPECT_EQ(hidden.activation().kind(), ActivationKind::relu);
    EXPECT_DOUBLE_EQ(dynamic_cast<const Dropout&>(model.layer(1)).rate(), 0.25);
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(2)).activation().kind(), ActivationKind::softmax);
}

TEST(KerasImport, ActivationLayersKeepTheirSlopes) {
    const auto model = keras::load_model(fixture("activation_layers.keras"));
    const auto& leaky = dynamic_cast<const ActivationLayer&>(model.layer(1)).activation();
    EXPECT_EQ(leaky.kind(), ActivationKind::leaky_relu);
    EXPECT_NEAR(leaky.alpha(), 0.1, 1e-7);
    const auto& elu = dynamic_cast<const Dense&>(model.layer(2)).activation();
    EXPECT_EQ(elu.kind(), ActivationKind::elu);
    EXPECT_NEAR(elu.alpha(), 0.5, 1e-7);
}

TEST(KerasImport, WeightsFileFillsAModelOfTheSameArchitecture) {
    Sequential model({Dense(4, "relu", {.input_dim = 1}), Dense(4, "relu"), Dense(1)});
    keras::load_weights(model, fixture("course_4_4_1.weights.h5"));
    expect_predicts(model, expected("course_4_4_1"));
}

TEST(KerasImport, WeightsFileFindsLayersByKerasClassCounters) {
    // Keras names weight groups dense, leaky_re_lu, dense_1, re_lu, dense_2, softmax: by class, counted.
    Sequential model({Dense(5, DenseOptions{.input_dim = 3}), ActivationLayer(Activation(ActivationKind::leaky_relu, 0.1)),
                      Dense(4, Activation(ActivationKind::elu, 0.5)), ActivationLayer("relu"), Dense(3),
                      ActivationLayer("softmax")});
    keras::load_weights(model, fixture("activation_layers.weights.h5"));
    expect_predicts(model, expected("activation_layers"));
}

TEST(KerasImport, WeightsOfAnotherArchitectureAreRefused) {
    Sequential model({Dense(4, "relu", {.input_dim = 1}), Dense(4, "relu"), Dense(1)});
    const auto message = error_of([&] { keras::load_weights(model, fixture("one_neuron.weights.h5")); });
    EXPECT_NE(message.find("one_neuron.weights.h5"), std::string::npos) << message;
}

TEST(KerasImport, UnsupportedLayerIsNamedWithTheFile) {
    const auto message = error_of([] { keras::load_model(fixture("unsupported_layer.keras")); });
    EXPECT_NE(message.find("LayerNormalization"), std::string::npos) << message;
    EXPECT_NE(message.find("unsupported_layer.keras"), std::string::npos) << message;
}

TEST(KerasImport, UnsupportedOptionIsNamedWithItsLayer) {
    const auto message = error_of([] { keras::load_model(fixture("unsupported_option.keras")); });
    EXPECT_NE(message.find("kernel_constraint"), std::string::npos) << message;
    EXPECT_NE(message.find("Dense"), std::string::npos) << message;
}

// A Normalization layer, given its mean and variance or adapted to data, is folded into the
// first Dense layer's weights: the model takes raw features and predicts as Keras does.
class KerasNormalizationImport : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasNormalizationImport, IsFoldedIntoTheFirstDenseAndPredictsAsKeras) {
    auto model = keras::load_model(fixture(GetParam()));
    EXPECT_TRUE(dynamic_cast<const Dense&>(model.layer(0)).use_bias());
    expect_predicts(model, expected(GetParam().substr(0, GetParam().find('.'))));
}

INSTANTIATE_TEST_SUITE_P(All, KerasNormalizationImport,
                         ::testing::Values("normalization_given.keras", "normalization_given.h5", "normalization_adapted.keras"));

// A functional model that is one chain reads as Sequential; its BatchNormalization is folded
// into the linear Dense before it (and said so), with Keras' predictions.
class KerasFunctionalChain : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasFunctionalChain, ReadsAsSequentialWithBatchNormalizationFolded) {
    auto loaded = keras::load_with_preprocessing(fixture("functional_chain_batchnorm" + GetParam()));
    ASSERT_EQ(loaded.model.layer_count(), 3u);  // hidden (with bn folded in), relu, softmax Dense
    EXPECT_EQ(loaded.model.layer(0).name(), "hidden");
    ASSERT_EQ(loaded.notes.size(), 1u);
    EXPECT_NE(loaded.notes[0].find("BatchNormalization 'bn' folded into Dense 'hidden'"), std::string::npos) << loaded.notes[0];
    expect_predicts(loaded.model, expected("functional_chain_batchnorm"));
}

INSTANTIATE_TEST_SUITE_P(All, KerasFunctionalChain, ::testing::Values(".keras", ".h5"));

// keras.Model({"features": x}, {"score": y}): one input and one output, named in dicts.
TEST_P(KerasFunctionalChain, WithItsInputAndOutputInDictsPredictsAsKeras) {
    auto model = keras::load_model(fixture("functional_dict_endpoints" + GetParam()));
    ASSERT_EQ(model.layer_count(), 2u);
    EXPECT_EQ(model.layer(1).name(), "score");
    expect_predicts(model, expected("functional_dict_endpoints"));
}

// On [batch, features] tensors axis 1 is the last axis: Normalization, BatchNormalization and
// Softmax given axis=1 compute what they do with axis=-1.
class KerasFeatureAxis : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasFeatureAxis, LayersOverAxisOneReadAsOverTheLastAxis) {
    auto loaded = keras::load_with_preprocessing(fixture("feature_axis_one" + GetParam()));
    ASSERT_EQ(loaded.model.layer_count(), 4u);  // Dense (Normalization and bn folded in), relu, Dense, Softmax
    EXPECT_EQ(loaded.notes.size(), 1u);
    expect_predicts(loaded.model, expected("feature_axis_one"));
}

INSTANTIATE_TEST_SUITE_P(All, KerasFeatureAxis, ::testing::Values(".keras", ".h5"));

// The .weights.h5 of a model whose adapted Normalization and BatchNormalization import folds away,
// read with its architecture (.keras, or the legacy .h5 Keras wrote): every layer, the folded
// ones too, takes the file's weights and the model predicts as Keras did with them.
class KerasWeightsOfFoldedLayers : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasWeightsOfFoldedLayers, ReadWithTheirArchitecturePredictAsKeras) {
    auto loaded = keras::load_with_preprocessing(fixture("folded_layers_architecture" + GetParam()), fixture("folded_layers.weights.h5"));
    EXPECT_EQ(loaded.model.layer_count(), 3u);  // Dense (Normalization and bn folded in), tanh, Dense
    expect_predicts(loaded.model, expected("folded_layers"));
}

INSTANTIATE_TEST_SUITE_P(All, KerasWeightsOfFoldedLayers, ::testing::Values(".keras", ".h5"));

// Loaded into the imported model instead, the folded layers' weights would be dropped unseen.
TEST(KerasImport, WeightsOfLayersTheModelLacksAreRefused) {
    auto model = keras::load_model(fixture("folded_layers_architecture.keras"));
    const auto message = testing::data_error_of([&] { keras::load_weights(model, fixture("folded_layers.weights.h5")); });
    EXPECT_NE(message.find("folded_layers.weights.h5: holds the weights of a layer '"), std::string::npos) << message;
    EXPECT_NE(message.find("normalization' that model"), std::string::npos) << message;
}

TEST(KerasImport, FunctionalModelThatIsNotAChainIsRefused) {
    const auto message = testing::data_error_of([] { keras::load_model(fixture("functional_branches.keras")); });
    EXPECT_NE(message.find("functional_branches.keras"), std::string::npos) << message;
    EXPECT_NE(message.find("one chain of layers"), std::string::npos) << message;
}

// relu6, mish, hard_silu and log_softmax as Keras 3 writes them (strings, and ReLU(max_value=6)).
TEST(KerasImport, NewerActivationsPredictAsKeras) {
    for (const auto* extension : {".keras", ".h5"}) {
        auto model = keras::load_model(fixture(std::string("activations_relu6_mish_hard_silu_log_softmax") + extension));
        ASSERT_EQ(model.layer_count(), 6u);
        EXPECT_EQ(dynamic_cast<const ActivationLayer&>(model.layer(3)).activation().kind(), ActivationKind::relu6);
        expect_predicts(model, expected("activations_relu6_mish_hard_silu_log_softmax"));
    }
}

// A layer Keras froze (trainable=False) predicts as Keras did and stays frozen in dense's fit,
// while the layers around it train.
class KerasFrozenLayer : public ::testing::TestWithParam<std::string> {};

TEST_P(KerasFrozenLayer, IsImportedFrozenAndFitLeavesItsWeights) {
    auto model = keras::load_model(fixture("frozen_layer" + GetParam()));
    ASSERT_EQ(model.layer_count(), 3u);
    EXPECT_TRUE(model.layer(0).trainable());
    EXPECT_FALSE(model.layer(1).trainable());
    EXPECT_EQ(model.layer(1).name(), "frozen");
    const auto& data = expected("frozen_layer");
    expect_predicts(model, data);
    const auto before = model.get_weights();
    model.compile("adam", "mse");
    model.fit(data.inputs, data.predictions, {.epochs = 3, .batch_size = 2, .verbose = 0});
    const auto after = model.get_weights();
    EXPECT_EQ(after[2], before[2]);
    EXPECT_EQ(after[3], before[3]);
    EXPECT_NE(after[0], before[0]);
    EXPECT_NE(after[4], before[4]);
}

INSTANTIATE_TEST_SUITE_P(All, KerasFrozenLayer, ::testing::Values(".keras", ".h5"));

// Keras' ReLU(max_value, negative_slope, threshold) in the combinations that are none of relu,
// leaky_relu and relu6, as a Keras-made model computes them.
TEST(KerasImport, ReluWithOptionsPredictsAsKeras) {
    for (const auto* extension : {".keras", ".h5"}) {
        auto model = keras::load_model(fixture(std::string("relu_options") + extension));
        ASSERT_EQ(model.layer_count(), 8u);
        const auto& first = dynamic_cast<const ActivationLayer&>(model.layer(1)).activation();
        EXPECT_EQ(first, Activation(ReluOptions{.max_value = 1.5, .negative_slope = 0.2, .threshold = 0.3}));
        EXPECT_EQ(dynamic_cast<const ActivationLayer&>(model.layer(3)).activation(), Activation(ReluOptions{.threshold = 0.5}));
        expect_predicts(model, expected("relu_options"));
    }
}

// Declared sizes are checked against the bytes stored before anything is allocated for them.
struct KerasRefusal {
    std::string file, says;
};
class KerasSizeRefusal : public ::testing::TestWithParam<KerasRefusal> {};

TEST_P(KerasSizeRefusal, IsADataErrorNamingTheFileAndTheObject) {
    const auto message = testing::data_error_of([] { keras::load_model(fixture(GetParam().file)); });
    EXPECT_NE(message.find(GetParam().file + GetParam().says), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    All, KerasSizeRefusal,
    ::testing::Values(KerasRefusal{"kernel_without_data.h5", ": dataset 'model_weights/dense/sequential/dense/kernel': shape [4, "
                                                             "1099511627776] declares 4398046511104 numbers, but the file "
                                                             "holds data for at most 0"},
                      KerasRefusal{"kernel_without_data.keras",
                                   "!model.weights.h5: dataset 'layers/dense/vars/0': shape [4, 1099511627776] declares"},
                      KerasRefusal{"entry_size_lies.keras",
                                   "!metadata.json: the zip entry declares 2147483648 bytes but compresses only 64"}));

// Inputs the fuzzers found (fuzz/), kept as they were found. A global heap whose free space is
// declared 0 bytes long sends the HDF5 library into an endless loop, and a local heap declaring
// 2^52 bytes into allocating them: both are refused before the library sees the file. A link
// name the library cannot read ended in std::length_error; a zip entry declaring more compressed
// bytes than the archive holds, in a 4 GB allocation; a layer name that is a number, in an
// uncaught JSON type error.
INSTANTIATE_TEST_SUITE_P(
    FuzzFindings, KerasSizeRefusal,
    ::testing::Values(KerasRefusal{"fuzz_endless_global_heap.h5",
                                   ": damaged HDF5 file: the global heap at byte 2048 holds an object of impossible size 0"},
                      KerasRefusal{"fuzz_unreadable_link_name.keras", "!model.weights.h5: cannot read the names of the links in group 'layers/dense_2/vars'"},
                      KerasRefusal{"fuzz_local_heap_too_big.keras", "!model.weights.h5: damaged HDF5 file: a local heap declares 4503599627370584 bytes, more than the whole file, at byte 15760"},
                      KerasRefusal{"fuzz_name_not_a_string.keras", ": the Keras configuration holds a value of an unexpected type ([json.exception.type_error.302] type must be string, but is number)"},
                      KerasRefusal{"fuzz_compressed_size_lies.keras", "!metadata.json: the zip entry declares 4294967232 compressed bytes but the archive holds only 27330"}));

TEST(KerasImport, WeightsOnlyFileIsNotAModel) {
    EXPECT_THROW(keras::load_model(fixture("one_neuron.weights.h5")), UsageError);
    try {
        keras::load_with_preprocessing(fixture("one_neuron.weights.h5"));
        ADD_FAILURE() << "a weights-only file was read as a model";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("holds weights only"), std::string::npos) << e.what();
    }
}

TEST(KerasImport, MissingOrForeignFilesAreDataErrors) {
    EXPECT_THROW(keras::load_model(fixture("no_such_model.keras")), DataError);
    EXPECT_THROW(keras::load_model(fixture("one_neuron.json").replace_extension(".json.keras")), DataError);
    const auto not_a_zip = std::filesystem::temp_directory_path() / "dense_interop_not_a_zip.keras";
    std::ofstream(not_a_zip) << "{\"this\": \"is not a zip\"}";
    EXPECT_THROW(keras::load_model(not_a_zip), DataError);
    std::filesystem::remove(not_a_zip);
}

}  // namespace
}  // namespace dense
