// keras_snake_case against Keras' naming.to_snake_case (keras/src/utils/naming.py), whose three
// regular expressions produced the expected names below; the Keras 3 weight groups are named so.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "interop/keras_weights.hpp"

namespace {

TEST(KerasSnakeCase, NamesAsKerasToSnakeCase) {
    const std::vector<std::pair<std::string, std::string>> keras = {
        {"Dense", "dense"}, {"Dropout", "dropout"}, {"BatchNormalization", "batch_normalization"},
        {"Conv2DTranspose", "conv2d_transpose"}, {"LSTM", "lstm"}, {"GRUCell", "gru_cell"}, {"ReLU", "re_lu"},
        {"PReLU", "p_re_lu"}, {"LeakyReLU", "leaky_re_lu"}, {"ABCDef", "abc_def"}, {"AbCdEf", "ab_cd_ef"},
        {"aBcDe", "a_bc_de"}, {"HTTPServer2Go", "http_server2_go"}, {"My-Layer.v2", "my_layerv2"},
        {"InputLayer", "input_layer"}, {"ELU", "elu"}, {"Layer_Norm", "layer__norm"}, {"XYZ", "xyz"}, {"x", "x"},
        {"Ab", "ab"}, {"aB", "a_b"}, {"A_Bc", "a__bc"}, {"fooBAR", "foo_bar"}, {"aBCdE", "a_b_cd_e"},
        {"Dense 2!", "dense2"}};
    for (const auto& [class_name, snake] : keras) EXPECT_EQ(dense::interop::keras_snake_case(class_name), snake) << class_name;
}

TEST(KerasSnakeCase, WeightGroupsCountEachClass) {
    EXPECT_EQ(dense::interop::keras_weight_groups({"Dense", "Dropout", "Dense", "LeakyReLU", "Dense"}),
              (std::vector<std::string>{"layers/dense", "layers/dropout", "layers/dense_1", "layers/leaky_re_lu",
                                        "layers/dense_2"}));
}

}  // namespace
