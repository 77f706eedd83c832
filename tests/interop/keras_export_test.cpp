// Exporting for Keras: the files dense writes have the layout real Keras writes; whether Keras
// loads them and predicts the same is checked by round_trip.py with Keras itself.
#include <algorithm>
#include <functional>

#include <gtest/gtest.h>

#include "dense/dense.hpp"
#include "dense/interop/keras.hpp"
#include "fixtures.hpp"
#include "interop/hdf5_file.hpp"

namespace dense {
namespace {

using testing::fixture;

// Every group and dataset path in an HDF5 file, sorted.
std::vector<std::string> hdf5_paths(const interop::Hdf5File& file, const std::string& group = "") {
    std::vector<std::string> paths;
    for (const auto& child : file.children(group)) {
        const std::string path = group.empty() ? child : group + "/" + child;
        paths.push_back(path);
        if (path.find("vars/") == std::string::npos) {
            auto below = hdf5_paths(file, path);
            paths.insert(paths.end(), below.begin(), below.end());
        }
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

TEST(KerasExport, WeightsFileHasTheLayoutKerasWrites) {
    auto model = keras::load_model(fixture("softmax_classifier.keras"));
    const auto path = std::filesystem::temp_directory_path() / "dense_interop_layout.weights.h5";
    keras::save_weights(model, path);
    const auto written = interop::Hdf5File::open(path);
    const auto by_keras = interop::Hdf5File::open(fixture("softmax_classifier.weights.h5"));
    EXPECT_EQ(hdf5_paths(written), hdf5_paths(by_keras));
    EXPECT_EQ(written.read_string("layers/dense_1/vars", "name"), "dense_5");
    EXPECT_EQ(written.read_dataset("layers/dense_1/vars/0"), by_keras.read_dataset("layers/dense_1/vars/0"));
    std::filesystem::remove(path);
}

// The config says trainable false for a frozen layer, so Keras (round_trip.py) and dense read it frozen.
TEST(KerasExport, FrozenLayerStaysFrozenThroughTheArchive) {
    auto model = keras::load_model(fixture("frozen_layer.keras"));
    model.layer(2).set_trainable(false);
    const auto path = std::filesystem::temp_directory_path() / "dense_interop_frozen.keras";
    keras::save_model(model, path);
    const auto reloaded = keras::load_model(path);
    EXPECT_TRUE(reloaded.layer(0).trainable());
    EXPECT_FALSE(reloaded.layer(1).trainable());
    EXPECT_FALSE(reloaded.layer(2).trainable());
    std::filesystem::remove(path);
}

TEST(KerasExport, UnbuiltModelIsRefused) {
    Sequential model({Dense(1)});
    EXPECT_THROW(keras::save_model(model, std::filesystem::temp_directory_path() / "dense_interop_unbuilt.keras"), UsageError);
}

}  // namespace
}  // namespace dense
