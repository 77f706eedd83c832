// Suggestions for mistyped names, against edit distances counted by hand.
#include <gtest/gtest.h>

#include "dense/did_you_mean.hpp"

namespace dense {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("taget", "target"), 1u);  // insert r
    EXPECT_EQ(edit_distance("trian", "train"), 1u);   // swap i and a
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);  // k→s, e→i, insert g
    EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // optimal string alignment: a swap is not edited again
}

TEST(DidYouMean, SuggestsTheNearestKnownName) {
    const std::vector<std::string> commands{"train", "evaluate", "predict", "summary"};
    EXPECT_EQ(did_you_mean("trian", commands), "train");
    EXPECT_EQ(did_you_mean("predcit", commands), "predict");
    const std::vector<std::string> options{"--target", "--task", "--epochs", "--validation-split"};
    EXPECT_EQ(did_you_mean("--taget", options), "--target");
    EXPECT_EQ(did_you_mean("--epoch", options), "--epochs");
}

TEST(DidYouMean, SuggestsANameThatDiffersOnlyInCaseHoweverShort) {
    EXPECT_EQ(did_you_mean("Y", {"x", "y"}), "y");
    EXPECT_EQ(did_you_mean("PRICE", {"price", "prices"}), "price");
    EXPECT_EQ(did_you_mean("Y", {"x", "z"}), std::nullopt);
}

// A header written "a, b, y" names its columns ' b' and ' y'; before, '--target y' found nothing to suggest.
TEST(DidYouMean, SuggestsANameThatDiffersOnlyInSurroundingSpaces) {
    EXPECT_EQ(did_you_mean("y", {"a", " b", " y"}), " y");
    EXPECT_EQ(did_you_mean("Price ", {"price", "prices"}), "price");
    EXPECT_EQ(did_you_mean("y", {"a", " b"}), std::nullopt);
}

TEST(DidYouMean, SuggestsTheOnlyNameThatBeginsWithWhatWasTyped) {
    EXPECT_EQ(did_you_mean("--valid", {"--target", "--validation-split"}), "--validation-split");
    EXPECT_EQ(did_you_mean("--ta", {"--target", "--task"}), std::nullopt);
}

TEST(DidYouMean, SuggestsNothingForAWordFarFromEveryName) {
    EXPECT_EQ(did_you_mean("--colour", {"--target", "--layers"}), std::nullopt);
    EXPECT_EQ(did_you_mean("xyz", {"train"}), std::nullopt);
    EXPECT_EQ(did_you_mean(std::string(100000, 'a'), {"train"}), std::nullopt);
}

}  // namespace
}  // namespace dense
