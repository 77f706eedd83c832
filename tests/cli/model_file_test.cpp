// Model files: round trips, and every kind of damage rejected with a DataError before any
// allocation the file does not pay for.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "dense/dense.hpp"
#include "dense/io/model_checkpoint.hpp"
#include "dense/io/model_file.hpp"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::byte>;

Bytes bytes_of(std::string_view text) {
    Bytes out;
    for (char c : text) out.push_back(static_cast<std::byte>(c));
    return out;
}

// A small compiled model with every layer type, trained two steps so the optimizer has state.
dense::Sequential small_model() {
    dense::Sequential model({dense::Dense(3, "relu", {.input_dim = 2}), dense::Dropout(0.25), dense::Dense(2, "tanh"),
                             dense::ActivationLayer(dense::activations::softmax)},
                            {.name = "small", .seed = 7});
    model.compile(dense::Adam(0.01, {.beta_1 = 0.8, .amsgrad = true}), "sparse_categorical_crossentropy", {"accuracy"});
    const dense::Matrix<float> x{{0, 1}, {1, 0}, {1, 1}, {0, 0}};
    const dense::Matrix<float> y{{1}, {1}, {0}, {0}};
    model.train_on_batch(x, y);
    model.train_on_batch(x, y);
    return model;
}

dense::io::Preprocessing two_class_preprocessing() {
    dense::io::Preprocessing p;
    p.features = {{.name = "a", .mean = 0.5, .stddev = 2.0, .categories = {}, .fill = 1.0, .median = 1.5,
                   .fill_category = std::nullopt, .most_frequent = std::nullopt},
                  {.name = "b", .mean = -1.0, .stddev = 1.0, .categories = {}, .fill = std::nullopt,
                   .median = std::nullopt, .fill_category = std::nullopt, .most_frequent = std::nullopt}};
    p.targets = {"label"};
    p.task = dense::io::Task::classification;
    p.classes = {"no", "yes"};
    return p;
}

Bytes small_file() {
    dense::io::ModelFileExtras extras;
    extras.preprocessing = two_class_preprocessing();
    extras.progress = dense::io::TrainingProgress{3, 99, 16, 0.25};
    return dense::io::serialize_model(small_model(), extras);
}

std::string load_error(const Bytes& bytes, dense::io::LoadOptions options = {}) {
    try {
        dense::io::deserialize_model<float>(bytes, "m.dense", options);
    } catch (const dense::DataError& e) {
        return e.what();
    }
    return "(loaded)";
}

// A file of this JSON header and these value bytes, with a correct checksum: how a file that
// another program wrote, or a hand edited, gets past the integrity check.
Bytes assembled_file(const std::string& header, const Bytes& values, std::uint32_t version = 1) {
    Bytes out = {std::byte{0x89}, std::byte{'D'}, std::byte{'N'}, std::byte{'S'},
                 std::byte{0x0D}, std::byte{0x0A}, std::byte{0x1A}, std::byte{0x0A}};
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(version >> (8 * i)));
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::byte>(std::uint64_t(header.size()) >> (8 * i)));
    const auto text = bytes_of(header);
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), values.begin(), values.end());
    const auto crc = dense::io::crc32(out);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(crc >> (8 * i)));
    return out;
}

Bytes forged_file(const std::string& header, std::size_t value_count, std::uint32_t version = 1) {
    return assembled_file(header, Bytes(value_count * sizeof(float), std::byte{0}), version);
}

// `file` with its header changed by `edit` and its values as they were.
Bytes edited_file(const Bytes& file, const std::function<void(nlohmann::json&)>& edit) {
    std::uint64_t header_size = 0;
    for (int i = 0; i < 8; ++i) header_size |= std::uint64_t(std::to_integer<unsigned char>(file[12 + i])) << (8 * i);
    const auto* text = reinterpret_cast<const char*>(file.data() + 20);
    auto header = nlohmann::json::parse(text, text + header_size);
    edit(header);
    const auto values_begin = file.begin() + 20 + static_cast<std::ptrdiff_t>(header_size);
    return assembled_file(header.dump(), Bytes(values_begin, file.end() - 4));
}

std::string one_dense_header(const std::string& units, const std::string& shape) {
    return R"({"format":"dense model","dtype":"float32","name":"m","seed":1,"input_dim":1,"weights":[)" + shape +
           R"(],"layers":[{"type":"Dense","name":"d","units":)" + units +
           R"(,"input_dim":1,"use_bias":false,"activation":{"name":"linear","alpha":0},)"
           R"("kernel_initializer":{"name":"zeros","a":0,"b":0},"bias_initializer":{"name":"zeros","a":0,"b":0},)"
           R"("kernel_regularizer":{"l1":0,"l2":0},"bias_regularizer":{"l1":0,"l2":0}}]})";
}

TEST(ModelFile, Crc32MatchesThePublishedCheckValue) {
    EXPECT_EQ(dense::io::crc32(bytes_of("123456789")), 0xCBF43926u);
}

TEST(ModelFile, RoundTripKeepsArchitectureWeightsOptimizerStateAndExtras) {
    auto original = small_model();
    dense::io::ModelFileExtras extras;
    extras.preprocessing = two_class_preprocessing();
    extras.progress = dense::io::TrainingProgress{3, 99, 16, 0.25};
    extras.progress->member_epochs = {3, 7, 5};
    extras.progress->processes = 4;
    auto loaded = dense::io::deserialize_model<float>(dense::io::serialize_model(original, extras), "m.dense");
    auto& model = loaded.model;
    ASSERT_EQ(model.layer_count(), 4u);
    EXPECT_EQ(model.layer(1).type(), "Dropout");
    EXPECT_EQ(dynamic_cast<const dense::Dropout&>(model.layer(1)).rate(), 0.25);
    EXPECT_EQ(dynamic_cast<const dense::Dense&>(model.layer(2)).activation(), dense::activations::tanh);
    EXPECT_EQ(model.layer(0).name(), original.layer(0).name());
    EXPECT_EQ(model.get_weights(), original.get_weights());
    EXPECT_EQ(model.loss(), original.loss());
    EXPECT_EQ(model.metrics(), original.metrics());
    EXPECT_EQ(model.optimizer().name(), "adam");
    EXPECT_EQ(dynamic_cast<const dense::Adam&>(model.optimizer()).options().beta_1, 0.8);
    EXPECT_EQ(model.optimizer().state().iterations, 2);
    EXPECT_EQ(model.optimizer().state().slots, original.optimizer().state().slots);
    EXPECT_EQ(loaded.extras.preprocessing, extras.preprocessing);
    EXPECT_EQ(loaded.extras.progress, extras.progress);
    const dense::Matrix<float> x{{0.3f, -2}, {5, 1}};
    EXPECT_EQ(model.predict(x), original.predict(x));
}

// A frozen layer stays frozen through a checkpoint, and the optimizer state (kept for the trainable
// weights only) resumes exactly: two steps, save, load, two more equal four steps.
TEST(ModelFile, FrozenLayerRoundTripsAndResumesAsAnUninterruptedRun) {
    const auto trained = [](dense::Sequential& model, int steps) {
        const dense::Matrix<float> x{{0, 1}, {1, 0}, {1, 1}, {0, 0}};
        const dense::Matrix<float> y{{1}, {1}, {0}, {0}};
        for (int i = 0; i < steps; ++i) model.train_on_batch(x, y);
    };
    auto frozen = [] {
        dense::Sequential model({dense::Dense(3, "relu", {.input_dim = 2}), dense::Dense(3, "tanh"), dense::Dense(2, "softmax")},
                                {.name = "frozen", .seed = 5});
        model.layer(1).set_trainable(false);
        model.compile(dense::Adam(0.01), "sparse_categorical_crossentropy");
        return model;
    };
    auto uninterrupted = frozen();
    trained(uninterrupted, 4);
    auto first_half = frozen();
    trained(first_half, 2);
    const auto bytes = dense::io::serialize_model(first_half, {});
    EXPECT_EQ(bytes[8], std::byte{3});  // format 3: the first to hold "trainable"
    auto resumed = dense::io::deserialize_model<float>(bytes, "m.dense").model;
    EXPECT_TRUE(resumed.layer(0).trainable());
    EXPECT_FALSE(resumed.layer(1).trainable());
    EXPECT_TRUE(resumed.layer(2).trainable());
    trained(resumed, 2);
    EXPECT_EQ(resumed.get_weights(), uninterrupted.get_weights());
    EXPECT_EQ(resumed.optimizer().state().slots, uninterrupted.optimizer().state().slots);
    EXPECT_EQ(resumed.get_weights()[2], frozen().get_weights()[2]);  // the same seed draws the same frozen kernel
}

// Each of Keras' schedules saves with the optimizer (format 4) and continues where it stopped: two
// steps, save, load, two more equal four steps. Saving a schedule used to throw UsageError, so a
// ModelCheckpoint of a model compiled with one ended fit after its first epoch.
TEST(ModelFile, LearningRateSchedulesRoundTripAndResumeAsAnUninterruptedRun) {
    const dense::Matrix<float> x{{0, 1}, {1, 0}, {1, 1}, {0, 0}};
    const dense::Matrix<float> y{{1}, {0.5f}, {0}, {2}};
    const auto trained = [&](dense::Sequential& model, int steps) {
        for (int i = 0; i < steps; ++i) model.train_on_batch(x, y);
    };
    const dense::LearningRate schedules[] = {dense::LearningRate::exponential_decay(0.1, 3, 0.5, true),
                                             dense::LearningRate::cosine_decay(0.05, 5, 0.1),
                                             dense::LearningRate::piecewise_constant({1, 2}, {0.1, 0.05, 0.01})};
    for (const auto& schedule : schedules) {
        const auto fresh = [&] {
            dense::Sequential model({dense::Dense(3, "tanh", {.input_dim = 2}), dense::Dense(1)}, {.seed = 3});
            model.compile(dense::Adam(schedule), "mse");
            return model;
        };
        auto uninterrupted = fresh();
        trained(uninterrupted, 4);
        auto first_half = fresh();
        trained(first_half, 2);
        const auto bytes = dense::io::serialize_model(first_half, {});
        EXPECT_EQ(bytes[8], std::byte{4});  // format 4: the first to hold a schedule
        auto resumed = dense::io::deserialize_model<float>(bytes, "m.dense").model;
        const auto& loaded = resumed.optimizer().learning_rate_schedule();
        EXPECT_EQ(loaded.kind(), schedule.kind());
        for (std::int64_t step = 0; step < 8; ++step) EXPECT_EQ(loaded.at(step), schedule.at(step)) << "step " << step;
        EXPECT_EQ(resumed.optimizer().learning_rate(), schedule.at(2));
        trained(resumed, 2);
        EXPECT_EQ(resumed.get_weights(), uninterrupted.get_weights());
    }
}

// A schedule in a file is held to the ranges its constructor checks, and an unknown one is named.
TEST(ModelFile, ALearningRateScheduleOutsideItsRangesIsRefusedNamingTheField) {
    dense::Sequential model({dense::Dense(1, {.input_dim = 2})});
    model.compile(dense::SGD(dense::LearningRate::cosine_decay(0.1, 10)), "mse");
    const auto file = dense::io::serialize_model(model, {});
    const auto error_with = [&](const char* pointer, const nlohmann::json& value) {
        return load_error(edited_file(file, [&](nlohmann::json& h) {
            h[nlohmann::json::json_pointer(std::string("/compile/optimizer/learning_rate") + pointer)] = value;
        }));
    };
    EXPECT_EQ(error_with("/config/alpha", 0.5), "(loaded)");
    EXPECT_NE(error_with("/config/alpha", 2).find("compile.optimizer.learning_rate.config.alpha must be a finite number in [0, 1]"),
              std::string::npos);
    EXPECT_NE(error_with("/config/decay_steps", 0).find("learning_rate.config.decay_steps must be a finite number above 0"),
              std::string::npos);
    EXPECT_NE(error_with("/class_name", "InverseTimeDecay").find("learning_rate.class_name must be ExponentialDecay, CosineDecay or PiecewiseConstantDecay"),
              std::string::npos);
    const auto piecewise = load_error(edited_file(file, [](nlohmann::json& h) {
        h["compile"]["optimizer"]["learning_rate"] = {{"class_name", "PiecewiseConstantDecay"},
                                                      {"config", {{"boundaries", {10}}, {"values", {0.1}}}}};
    }));
    EXPECT_NE(piecewise.find("needs one more value than boundaries"), std::string::npos) << piecewise;
}

// Files without frozen layers carry no "trainable" field and keep their older format number,
// so older dense reads them; a file without the field loads every layer trainable.
TEST(ModelFile, FilesWithoutFrozenLayersKeepTheOlderFormat) {
    const auto bytes = small_file();
    EXPECT_EQ(bytes[8], std::byte{1});
    const auto model = dense::io::deserialize_model<float>(bytes, "m.dense").model;
    for (std::size_t i = 0; i < model.layer_count(); ++i) EXPECT_TRUE(model.layer(i).trainable());
}

// The optimizer state belongs to the weights trainable when it was made: after freezing a layer,
// saving it would pair slots with the wrong weights, so it is refused until the next fit.
TEST(ModelFile, OptimizerStateOfOtherTrainableLayersIsNotSaved) {
    auto model = small_model();
    model.layer(0).set_trainable(false);
    EXPECT_THROW(dense::io::serialize_model(model, {}), dense::UsageError);
    dense::io::ModelFileExtras without_state;
    without_state.include_optimizer_state = false;
    EXPECT_NO_THROW(dense::io::serialize_model(model, without_state));
}

// Keras' ReLU options (relu_general) keep their max_value (none: null), slope and threshold.
TEST(ModelFile, ReluOptionsRoundTripAndAreValidated) {
    const dense::Activation capped(dense::ReluOptions{.max_value = 1.5, .negative_slope = 0.2, .threshold = 0.3});
    const dense::Activation open(dense::ReluOptions{.negative_slope = 0.1, .threshold = 0.5});
    dense::Sequential model({dense::Dense(3, capped, {.input_dim = 2}), dense::ActivationLayer(open)});
    model.build(2);
    const auto bytes = dense::io::serialize_model(model, {});
    auto loaded = dense::io::deserialize_model<float>(bytes, "m.dense").model;
    EXPECT_EQ(dynamic_cast<const dense::Dense&>(loaded.layer(0)).activation(), capped);
    EXPECT_EQ(dynamic_cast<const dense::ActivationLayer&>(loaded.layer(1)).activation(), open);
    const dense::Matrix<float> x{{0.3f, -2}, {5, 1}};
    EXPECT_EQ(loaded.predict(x), model.predict(x));
    const auto message = load_error(edited_file(bytes, [](nlohmann::json& h) { h["layers"][1]["activation"]["threshold"] = -1; }));
    EXPECT_NE(message.find("layers[1].activation.threshold must be a finite number of at least 0"), std::string::npos) << message;
}

TEST(ModelFile, Float64ModelsRoundTripAndRefuseToLoadAsFloat32) {
    dense::f64::Sequential model({dense::f64::Dense(2, {.input_dim = 3})});
    model.build(3);
    const auto bytes = dense::io::serialize_model(model);
    EXPECT_EQ(dense::io::deserialize_model<double>(bytes, "m").model.get_weights(), model.get_weights());
    EXPECT_NE(load_error(bytes).find("float64"), std::string::npos);
}

TEST(ModelFile, EveryTruncationIsRejected) {
    const auto bytes = small_file();
    for (std::size_t size = 0; size < bytes.size(); ++size) {
        const Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
        const auto message = load_error(cut);
        EXPECT_NE(message, "(loaded)") << "truncated at " << size;
        EXPECT_NE(message.find("m.dense"), std::string::npos) << message;
    }
}

TEST(ModelFile, EveryFlippedBitIsCaughtByTheChecksum) {
    const auto bytes = small_file();
    for (std::size_t at = 0; at < bytes.size(); ++at) {
        auto damaged = bytes;
        damaged[at] ^= std::byte{0x10};
        EXPECT_NE(load_error(damaged), "(loaded)") << "flipped byte " << at;
    }
}

TEST(ModelFile, DamageBehindAnUncheckedChecksumStillNeverCrashes) {
    const auto bytes = small_file();
    for (std::size_t at = 0; at < bytes.size(); ++at) {
        auto damaged = bytes;
        damaged[at] = std::byte{0xFF};
        load_error(damaged, {.verify_checksum = false});  // loads or throws DataError; anything else fails
    }
}

TEST(ModelFile, FutureVersionAsksForAnUpgrade) {
    auto bytes = small_file();
    bytes[8] = std::byte{dense::io::model_format_version + 1};
    const auto newer = "made by a newer dense (format " + std::to_string(dense::io::model_format_version + 1) + ")";
    EXPECT_NE(load_error(bytes).find(newer), std::string::npos);
    EXPECT_NE(load_error(bytes).find("upgrade dense"), std::string::npos);
}

TEST(ModelFile, ImplausibleVersionIsDamageNotANewerFile) {
    auto bytes = small_file();
    const std::uint32_t version = 5570561;  // 0x00550001: two bytes of the version overwritten
    for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<std::byte>(version >> (8 * i));
    const auto message = load_error(bytes);
    EXPECT_NE(message.find("format version 5570561, which no dense writes; the file is damaged"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("newer"), std::string::npos) << message;
}

struct FieldEdit {
    const char* pointer;  // JSON pointer into the header
    nlohmann::json value;
    const char* message;  // the field and the rule it breaks
};

const FieldEdit out_of_range_fields[] = {
    {"/training/epochs_done", 4294967299u, "training.epochs_done must be a whole number from 0 to 2147483647"},
    {"/optimizer_state/iterations", std::numeric_limits<std::int64_t>::max(),
     "optimizer_state.iterations must be a whole number from 0 to 9007199254740992"},
    {"/compile/optimizer/learning_rate", -1.0, "compile.optimizer.learning_rate must be a finite number of at least 0"},
    {"/compile/optimizer/learning_rate", nullptr, "compile.optimizer.learning_rate must be a finite number of at least 0"},
    {"/compile/optimizer/beta_1", 1.0, "compile.optimizer.beta_1 must be a finite number in [0, 1)"},
    {"/compile/optimizer/clipping", {{"clipnorm", 1.0}, {"clipvalue", 0.5}},
     "compile.optimizer.clipping must be at most one of clipnorm, clipvalue and global_clipnorm above 0"},
    {"/training/batch_size", 0, "training.batch_size must be a whole number from 1 to 2147483648"},
    {"/training/member_epochs", {4, -1}, "training.member_epochs[1] must be a whole number from 0 to 2147483647"},
    {"/training/member_epochs", 4, "training.member_epochs must be a list"},
    {"/training/validation_split", 1.0, "training.validation_split must be a finite number in [0, 1)"},
    {"/layers/0/units", 4.5, "layers[0].units must be a whole number from 1 to 2147483648, got 4.5"},
    {"/layers/0/units", -3, "layers[0].units must be a whole number from 1 to 2147483648, got -3"},
    {"/layers/1/rate", 1.5, "layers[1].rate must be a finite number in [0, 1)"},
    {"/layers/2/use_bias", "yes", "layers[2].use_bias must be true or false"},
    {"/layers/2/trainable", "no", "layers[2].trainable must be true or false"},
    {"/layers/3/type", "Conv2D", "layers[3].type must be Dense, Dropout or Activation"},
    {"/seed", -1, "seed must be a whole number"},
    {"/training/processes", 0, "training.processes must be a whole number from 1 to"},
    {"/format", "other", "format must be \"dense model\""},
    {"/preprocessing/features/0/stddev", -2.0, "preprocessing.features[0].stddev must be a finite number above 0"},
    {"/preprocessing/features/1/mean", nullptr, "preprocessing.features[1].mean must be a finite number"},
    {"/preprocessing/features/1/name", "a", "preprocessing.features[1].name must be a name no other feature has"},
    {"/preprocessing/targets", {"label", "label"}, "preprocessing.targets[1] must be different from the other names"},
};

TEST(ModelFile, EveryFieldOutsideItsRangeIsRefusedNamingTheFileAndTheField) {
    const auto file = small_file();
    ASSERT_EQ(load_error(edited_file(file, [](nlohmann::json&) {})), "(loaded)");
    for (const auto& edit : out_of_range_fields) {
        const auto message = load_error(
            edited_file(file, [&](nlohmann::json& header) { header[nlohmann::json::json_pointer(edit.pointer)] = edit.value; }));
        EXPECT_NE(message.find("m.dense"), std::string::npos) << edit.pointer << ": " << message;
        EXPECT_NE(message.find(edit.message), std::string::npos) << edit.pointer << ": " << message;
    }
}

// Keras' ranges at their edges (a learning rate of 0, momentum and rho of 1, ε of 0, no weight
// decay, no regularization): a model the library compiles with them saves to a file that loads with
// the same options, where the file reader used to refuse them ("compile.optimizer.momentum must be
// a finite number in [0, 1), got 1.0") and the checkpoint was lost.
TEST(ModelFile, AModelCompiledWithOptionsAtTheEdgesOfTheirRangesLoadsBack) {
    const dense::Regularizer none = dense::regularizers::l1_l2(0.0, 0.0);
    auto saved_and_loaded = [&](const dense::BasicOptimizer<float>& optimizer, dense::Loss loss) {
        dense::Sequential model({dense::Dense(2, {.input_dim = 2, .kernel_regularizer = none, .bias_regularizer = none})});
        model.compile(optimizer, loss);
        return dense::io::deserialize_model<float>(dense::io::serialize_model(model), "m.dense").model;
    };
    const auto sgd = saved_and_loaded(dense::SGD(0.0, {.momentum = 1.0, .nesterov = true}), dense::losses::huber(1e-9));
    EXPECT_EQ(sgd.optimizer().learning_rate(), 0.0);
    EXPECT_EQ(dynamic_cast<const dense::SGD&>(sgd.optimizer()).options().momentum, 1.0);
    EXPECT_EQ(sgd.loss().delta(), 1e-9);
    const auto rmsprop = saved_and_loaded(dense::RMSprop(0.01, {.rho = 1.0, .momentum = 1.0, .epsilon = 0.0}), "mse");
    const auto& rms = dynamic_cast<const dense::RMSprop&>(rmsprop.optimizer()).options();
    EXPECT_EQ(rms.rho, 1.0);
    EXPECT_EQ(rms.momentum, 1.0);
    EXPECT_EQ(rms.epsilon, 0.0);
    const auto adamw = saved_and_loaded(dense::AdamW(0.01, {.weight_decay = 0.0, .beta_1 = 0.0, .beta_2 = 0.0, .epsilon = 0.0}), "mse");
    EXPECT_EQ(dynamic_cast<const dense::AdamW&>(adamw.optimizer()).weight_decay(), 0.0);
    EXPECT_EQ(dynamic_cast<const dense::AdamW&>(adamw.optimizer()).options().epsilon, 0.0);
    const auto adagrad = saved_and_loaded(dense::Adagrad(0.01, {.initial_accumulator_value = 0.0, .epsilon = 0.0}), "mse");
    EXPECT_EQ(dynamic_cast<const dense::Adagrad&>(adagrad.optimizer()).options().initial_accumulator_value, 0.0);
}

TEST(ModelFile, MissingFieldsAreNamed) {
    const auto message = load_error(edited_file(small_file(), [](nlohmann::json& h) { h["training"].erase("seed"); }));
    EXPECT_NE(message.find("training.seed is missing"), std::string::npos) << message;
}

// The file with its first weight value (the kernel of the first layer, at [0, 0]) replaced.
Bytes with_first_weight(float value) {
    auto file = small_file();
    std::uint64_t header_size = 0;
    for (int i = 0; i < 8; ++i) header_size |= std::uint64_t(std::to_integer<unsigned char>(file[12 + i])) << (8 * i);
    std::memcpy(file.data() + 20 + header_size, &value, sizeof value);  // little-endian, as the format is
    return edited_file(file, [](nlohmann::json&) {});
}

TEST(ModelFile, NanOrInfiniteWeightsAreRefusedUnlessAsked) {
    const auto nan = load_error(with_first_weight(std::numeric_limits<float>::quiet_NaN()));
    EXPECT_NE(nan.find("the kernel of layer 'dense' holds NaN at position 0"), std::string::npos) << nan;
    const auto inf = load_error(with_first_weight(-std::numeric_limits<float>::infinity()));
    EXPECT_NE(inf.find("holds an infinite value at position 0"), std::string::npos) << inf;
    const auto loaded = dense::io::deserialize_model<float>(with_first_weight(std::numeric_limits<float>::quiet_NaN()),
                                                            "m.dense", {.allow_non_finite = true});
    EXPECT_TRUE(std::isnan(loaded.model.get_weights()[0].values[0]));
}

TEST(ModelFile, OtherFilesAreNotModelFiles) {
    EXPECT_NE(load_error(bytes_of("a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n")).find("not a dense model file"), std::string::npos);
}

TEST(ModelFile, AbsurdDeclaredSizesAreRejectedWithoutAllocating) {
    // 2^31 units would be 8 GB; under AddressSanitizer an attempt to allocate it aborts the test.
    const auto huge = load_error(forged_file(one_dense_header("2147483648", "[1,2147483648]"), 1));
    EXPECT_NE(huge.find("declares 2147483648 values but only 1 remain"), std::string::npos) << huge;
    const auto wider = load_error(forged_file(one_dense_header("1000000000000", "[1,1000000000000]"), 1));
    EXPECT_NE(wider.find("layers[0].units must be a whole number from 1 to 2147483648"), std::string::npos) << wider;
    const auto overflow = load_error(forged_file(one_dense_header("4294967296", "[4294967296,4294967296]"), 0));
    EXPECT_NE(overflow, "(loaded)");
    const auto mismatch = load_error(forged_file(one_dense_header("2", "[1,3]"), 3));
    EXPECT_NE(mismatch.find("do not match the layers"), std::string::npos) << mismatch;
    auto long_header = forged_file(one_dense_header("1", "[1,1]"), 1);
    long_header[19] = std::byte{0x7F};  // header length ≈ 2^63
    EXPECT_NE(load_error(long_header, {.verify_checksum = false}).find("runs past the end"), std::string::npos);
}

class ModelFileOnDisk : public ::testing::Test {
protected:
    void SetUp() override {
        folder_ = fs::temp_directory_path() / ("dense_model_file_test_" + std::to_string(::getpid()));
        fs::create_directories(folder_);
    }
    void TearDown() override { fs::remove_all(folder_); }
    fs::path folder_;
};

Bytes read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return bytes_of(text);
}

TEST_F(ModelFileOnDisk, SaveThenLoadGivesTheSameModel) {
    auto model = small_model();
    dense::io::save_model(model, folder_ / "m.dense");
    auto loaded = dense::io::load_model(folder_ / "m.dense");
    EXPECT_EQ(loaded.model.get_weights(), model.get_weights());
}

TEST_F(ModelFileOnDisk, FailedSaveLeavesTheOldFileAndNoTemporaryFile) {
    const auto path = folder_ / "m.dense";
    dense::io::save_model(small_model(), path);
    const auto before = read_file(path);
    dense::Sequential big({dense::Dense(512, {.input_dim = 512})});
    big.build(512);
    const pid_t child = ::fork();
    if (child == 0) {
        // The child may write 64 KB per file: the 1 MB save fails with EFBIG.
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{1 << 16, 1 << 16};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        try {
            dense::io::save_model(big, path);
        } catch (const dense::DataError&) {
            ::_exit(0);
        }
        ::_exit(1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "the save under a 64 KB file size limit did not throw DataError";
    EXPECT_EQ(read_file(path), before);
    EXPECT_EQ(std::distance(fs::directory_iterator(folder_), fs::directory_iterator()), 1);
}

TEST_F(ModelFileOnDisk, SavingIntoAMissingFolderNamesIt) {
    try {
        dense::io::save_model(small_model(), folder_ / "no" / "m.dense");
        FAIL() << "saved into a missing folder";
    } catch (const dense::DataError& e) {
        EXPECT_NE(std::string(e.what()).find("/no"), std::string::npos) << e.what();
    }
}

TEST_F(ModelFileOnDisk, CheckpointEveryNEpochsAndOnlyWhenBestImproves) {
    auto model = small_model();
    dense::io::ModelCheckpoint every_two({.filepath = (folder_ / "e{epoch}.dense").string(), .every_epochs = 2});
    dense::io::ModelCheckpoint best({.filepath = (folder_ / "b{epoch}.dense").string(), .save_best_only = true});
    const double val_losses[] = {1.0, 0.5, 0.7, 0.4};
    for (int epoch = 0; epoch < 4; ++epoch) {
        every_two.on_epoch_end(model, epoch, {{"val_loss", val_losses[epoch]}});
        best.on_epoch_end(model, epoch, {{"val_loss", val_losses[epoch]}});
    }
    for (const char* name : {"e2.dense", "e4.dense", "b1.dense", "b2.dense", "b4.dense"})
        EXPECT_TRUE(fs::exists(folder_ / name)) << name;
    for (const char* name : {"e1.dense", "e3.dense", "b3.dense"}) EXPECT_FALSE(fs::exists(folder_ / name)) << name;
    EXPECT_EQ(dense::io::load_model(folder_ / "e4.dense").extras.progress->epochs_done, 4);
}

// A checkpoint every epoch of a model whose optimizer follows a schedule: fit runs every epoch and
// the last file resumes at the schedule's step.
TEST_F(ModelFileOnDisk, CheckpointOfAModelWithALearningRateScheduleSavesEveryEpoch) {
    dense::Sequential model({dense::Dense(4, "relu", {.input_dim = 2}), dense::Dense(1)}, {.seed = 2});
    model.compile(dense::Adam(dense::LearningRate::cosine_decay(0.01, 20)), "mse");
    const dense::Matrix<float> x{{0, 1}, {1, 0}, {1, 1}, {0, 0}, {2, 1}, {1, 2}};
    const dense::Matrix<float> y{{1}, {0}, {1}, {0}, {3}, {2}};
    auto checkpoint = std::make_shared<dense::io::ModelCheckpoint>(
        dense::io::ModelCheckpointOptions{.filepath = (folder_ / "e{epoch}.dense").string(), .monitor = "loss"});
    const auto history = model.fit(x, y, {.epochs = 3, .batch_size = 2, .callbacks = {checkpoint}});
    EXPECT_EQ(history["loss"].size(), 3u);
    for (const char* name : {"e1.dense", "e2.dense", "e3.dense"}) EXPECT_TRUE(fs::exists(folder_ / name)) << name;
    const auto last = dense::io::load_model(folder_ / "e3.dense").model;
    EXPECT_EQ(last.optimizer().iterations(), 9);
    EXPECT_EQ(last.optimizer().learning_rate(), model.optimizer().learning_rate());
}

// save_best_only compares with Keras' starting best of +∞: a NaN at the first epoch is not saved
// (NaN < ∞ is false) and the finite value after it is. The NaN used to be saved as the best and
// no later epoch, however good, was saved again.
TEST_F(ModelFileOnDisk, CheckpointSaveBestOnlySkipsAFirstNaNAndSavesTheNextValue) {
    auto model = small_model();
    dense::io::ModelCheckpoint best({.filepath = (folder_ / "b{epoch}.dense").string(), .save_best_only = true});
    const double val_losses[] = {std::numeric_limits<double>::quiet_NaN(), 1.0, 0.5};
    for (int epoch = 0; epoch < 3; ++epoch) best.on_epoch_end(model, epoch, {{"val_loss", val_losses[epoch]}});
    EXPECT_FALSE(fs::exists(folder_ / "b1.dense"));
    EXPECT_TRUE(fs::exists(folder_ / "b2.dense"));
    EXPECT_TRUE(fs::exists(folder_ / "b3.dense"));
}

// Keras formats the path as filepath.format(epoch=epoch + 1, **logs); the names below are what
// Python's str.format makes of them ("{:02d}".format(4) == "04", "{:.2f}".format(0.4567) == "0.46",
// "{:.3}".format(0.4567) == "0.457", str(0.25) == "0.25"). They used to stay in the name as
// written, every epoch overwriting one file called "w.{epoch:02d}-{val_loss:.2f}.dense".
TEST_F(ModelFileOnDisk, CheckpointPathsFormatTheEpochAndLoggedValuesAsKerasDoes) {
    auto model = small_model();
    const dense::Logs logs{{"loss", 0.25}, {"val_loss", 0.4567}};
    auto saved_as = [&](const std::string& filepath) {
        dense::io::ModelCheckpoint checkpoint({.filepath = (folder_ / filepath).string()});
        checkpoint.on_epoch_end(model, 3, logs);
        return checkpoint.last_saved()->filename().string();
    };
    EXPECT_EQ(saved_as("w.{epoch:02d}-{val_loss:.2f}.dense"), "w.04-0.46.dense");
    EXPECT_EQ(saved_as("{epoch}-{loss}.dense"), "4-0.25.dense");
    EXPECT_EQ(saved_as("{epoch:03}-{val_loss:.3}.dense"), "004-0.457.dense");
    EXPECT_TRUE(fs::exists(folder_ / "w.04-0.46.dense"));
    auto error_of = [&](const std::string& filepath) {
        try {
            saved_as(filepath);
        } catch (const dense::UsageError& e) {
            return std::string(e.what());
        }
        return std::string("(saved)");
    };
    EXPECT_NE(error_of("{val_acc:.2f}.dense").find("'val_acc' is not logged; available: epoch, loss, val_loss"),
              std::string::npos);
    EXPECT_NE(error_of("{loss:d}.dense").find("cannot format {loss:d}"), std::string::npos);
    EXPECT_NE(error_of("{epoch.dense").find("no '}' closes"), std::string::npos);
}

}  // namespace
