// Preprocessing: statistics, one-hot codes and task inference checked against hand computation.
#include <cmath>

#include <gtest/gtest.h>

#include "dense/error.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/loss.hpp"

namespace {

using dense::io::Task;

dense::io::CsvTable table(const std::string& text) { return dense::io::parse_csv(text, "t.csv"); }

dense::io::Preprocessing fit(const std::string& text, std::vector<std::string> targets, std::size_t training_rows = 0,
                             dense::io::FillPolicy fill = dense::io::FillPolicy::none) {
    dense::io::PreprocessingOptions options;
    options.targets = std::move(targets);
    options.training_rows = training_rows;
    options.fill = fill;
    return dense::io::fit_preprocessing(table(text), options);
}

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const dense::Error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Preprocessing, StandardisesWithMeanAndPopulationDeviationOfTheTrainingRows) {
    // training rows 1, 2, 3, 4: mean 2.5, std √((2.25 + 0.25 + 0.25 + 2.25) / 4) = √1.25
    const auto p = fit("x,y\n1,0.5\n2,1.5\n3,2.5\n4,3.5\n100,9.5\n", {"y"}, 4);
    ASSERT_EQ(p.features.size(), 1u);
    EXPECT_DOUBLE_EQ(p.features[0].mean, 2.5);
    EXPECT_DOUBLE_EQ(p.features[0].stddev, std::sqrt(1.25));
    const auto x = dense::io::encode_features<double>(p, table("x\n5\n"));
    EXPECT_DOUBLE_EQ(x(0, 0), (5 - 2.5) / std::sqrt(1.25));
}

TEST(Preprocessing, HugeValuesStandardiseWithoutOverflow) {
    // x = k·10^200 for k = 1, 2, 3, 4: mean 2.5·10^200, std √1.25·10^200. The squares of the
    // deviations (10^400) are beyond a double: a plain Σ(x − mean)² is infinite. Values as
    // large as a double can be (±1.79·10^308) give a finite std too.
    const auto p = fit("x,y\n1e200,0.5\n2e200,1.5\n3e200,2.5\n4e200,3.5\n", {"y"});
    EXPECT_NEAR(p.features[0].mean / 2.5e200, 1.0, 1e-15);
    EXPECT_NEAR(p.features[0].stddev / (std::sqrt(1.25) * 1e200), 1.0, 1e-15);
    const auto extreme = fit("x,y\n1.79e308,0.5\n-1.79e308,1.5\n", {"y"});
    EXPECT_EQ(extreme.features[0].mean, 0.0);
    EXPECT_DOUBLE_EQ(extreme.features[0].stddev, 1.79e308);
}

TEST(Preprocessing, HugeTargetsStandardiseWithoutOverflowAndFloatModelsRefuseThem) {
    // y = k·10^300 for k = 1, 2, 3, 4: mean 2.5·10^300, std √1.25·10^300, while Σ(y − mean)²
    // taken plainly is infinite. A float64 model learns y' = (y − mean) / std; a float32 model
    // could not give 10^300 back in y's units, so it refuses the cell.
    const std::string text = "x,y\n1,1e300\n2,2e300\n3,3e300\n4,4e300\n";
    const auto p = fit(text, {"y"});
    ASSERT_EQ(p.target_scaling.size(), 1u);
    EXPECT_NEAR(p.target_scaling[0].mean / 2.5e300, 1.0, 1e-15);
    EXPECT_NEAR(p.target_scaling[0].stddev / (std::sqrt(1.25) * 1e300), 1.0, 1e-15);
    const auto mse = dense::losses::mean_squared_error();
    const auto y = dense::io::encode_targets<double>(p, table(text), mse);
    EXPECT_NEAR(y(0, 0), -1.5 / std::sqrt(1.25), 1e-12);
    const auto error = error_of([&] { dense::io::encode_targets<float>(p, table(text), mse); });
    EXPECT_NE(error.find("t.csv:2:2: target 'y' holds 1e+300, beyond the float32 range"), std::string::npos) << error;
}

TEST(Preprocessing, KeepsTheMedianOfTheTrainingNumbersForPredictFill) {
    // training rows 1, 5, 2, 100, NA (zero fill): median of 1, 2, 5, 100 is (2 + 5) / 2; the last row is validation
    const auto p = fit("x,y\n1,0.5\n5,1.5\n2,2.5\n100,3.5\nNA,4.5\n-7,5.5\n", {"y"}, 5, dense::io::FillPolicy::zero);
    ASSERT_TRUE(p.features[0].median.has_value());
    EXPECT_DOUBLE_EQ(*p.features[0].median, 3.5);
}

TEST(Preprocessing, OneHotEncodesTextColumnsInSortedCategoryOrder) {
    const auto p = fit("color,y\nred,1.5\nblue,2.5\ngreen,3.5\nred,4.5\n", {"y"});
    EXPECT_EQ(p.features[0].categories, (std::vector<std::string>{"blue", "green", "red"}));
    const auto x = dense::io::encode_features<float>(p, table("color\ngreen\nred\n"));
    EXPECT_EQ(x, (dense::Matrix<float>{{0, 1, 0}, {0, 0, 1}}));
}

TEST(Preprocessing, UnseenCategoryIsAnErrorNamingTheCellAndTheKnownCategories) {
    const auto p = fit("color,y\nred,1.5\nblue,2.5\nred,4.5\n", {"y"});
    const auto message = error_of([&] { dense::io::encode_features<float>(p, table("color\nred\npurple\n")); });
    EXPECT_NE(message.find("t.csv:3:1"), std::string::npos) << message;
    EXPECT_NE(message.find("'purple'"), std::string::npos) << message;
    EXPECT_NE(message.find("'blue', 'red'"), std::string::npos) << message;
}

TEST(Preprocessing, InfersClassificationFromTextOrFewIntegerLabels) {
    EXPECT_EQ(fit("x,y\n1,cat\n2,dog\n3,cat\n", {"y"}).task, Task::classification);
    EXPECT_EQ(fit("x,y\n1,0\n2,1\n3,0\n4,1\n5,1\n", {"y"}).task, Task::classification);
    EXPECT_EQ(fit("x,y\n1,0.5\n2,1.5\n3,0.25\n4,1\n", {"y"}).task, Task::regression);
    // four distinct integers in four rows: more than half the rows are distinct, so regression
    EXPECT_EQ(fit("x,y\n1,5\n2,7\n3,9\n4,11\n", {"y"}).task, Task::regression);
}

TEST(Preprocessing, ClassLabelsAreSortedNumericallyWhenTheyAreNumbers) {
    const auto p = fit("x,y\n1,10\n2,2\n3,10\n4,2\n5,10\n", {"y"});
    EXPECT_EQ(p.classes, (std::vector<std::string>{"2", "10"}));
    const auto y = dense::io::encode_targets<float>(p, table("x,y\n1,10\n2,2\n"), dense::Loss("sparse_categorical_crossentropy"));
    EXPECT_EQ(y, (dense::Matrix<float>{{1}, {0}}));
}

// When every class is a number, a label finds its class by value: '2', '2.0' and '2e0' are one
// class, which keeps the spelling of the training file.
TEST(Preprocessing, NumericLabelsFindTheirClassByValueWhateverTheSpelling) {
    const dense::Loss sparse("sparse_categorical_crossentropy");
    const auto decimals = fit("x,y\n1,0.0\n2,1.0\n3,2.0\n4,0.0\n5,1.0\n6,2.0\n", {"y"});
    ASSERT_EQ(decimals.task, Task::classification);
    EXPECT_EQ(decimals.classes, (std::vector<std::string>{"0.0", "1.0", "2.0"}));
    EXPECT_EQ(dense::io::encode_targets<float>(decimals, table("x,y\n1,2\n2,0\n3,1e0\n4, 0 \n"), sparse),
              (dense::Matrix<float>{{2}, {0}, {1}, {0}}));
    const auto integers = fit("x,y\n1,0\n2,1\n3,2\n4,0\n5,1\n6,2\n", {"y"});
    EXPECT_EQ(integers.classes, (std::vector<std::string>{"0", "1", "2"}));
    EXPECT_EQ(dense::io::encode_targets<float>(integers, table("x,y\n1,2.0\n2,0e0\n3,1.00\n4,-0\n"), sparse),
              (dense::Matrix<float>{{2}, {0}, {1}, {0}}));
    const auto unknown = error_of([&] { dense::io::encode_targets<float>(integers, table("x,y\n1,1.5\n"), sparse); });
    EXPECT_NE(unknown.find("t.csv:2:2: the label '1.5' is not one of the classes the model knows ('0', '1', '2')"),
              std::string::npos) << unknown;
}

TEST(Preprocessing, ATrainingFileSpellingAValueTwoWaysMakesOneClass) {
    const auto p = fit("x,y\n1,1\n2,1.0\n3,0\n4,0\n5,1\n6,0.0\n", {"y"});
    EXPECT_EQ(p.classes, (std::vector<std::string>{"0", "1"}));
    EXPECT_NE(error_of([] { fit("x,y\n1,3\n2,3.0\n3,3e0\n", {"y"}); }).find("constant"), std::string::npos);
}

// Text classes, even of digits, match only as written: '01' is not class '1'.
TEST(Preprocessing, TextLabelsFindTheirClassByTheirExactText) {
    const dense::Loss sparse("sparse_categorical_crossentropy");
    const auto p = fit("x,y\n1,1\n2,01\n3,cat\n4,dog\n5,cat\n", {"y"});
    EXPECT_EQ(p.classes, (std::vector<std::string>{"01", "1", "cat", "dog"}));
    EXPECT_EQ(dense::io::encode_targets<float>(p, table("x,y\n1,01\n2,1\n3,cat\n"), sparse),
              (dense::Matrix<float>{{0}, {1}, {2}}));
    const auto message = error_of([&] { dense::io::encode_targets<float>(p, table("x,y\n1,1.0\n"), sparse); });
    EXPECT_NE(message.find("the label '1.0' is not one of the classes"), std::string::npos) << message;
}

TEST(Preprocessing, TaskOptionOverridesInference) {
    dense::io::PreprocessingOptions options;
    options.targets = {"y"};
    options.task = Task::regression;
    EXPECT_EQ(dense::io::fit_preprocessing(table("x,y\n1,0\n2,1\n3,0\n4,1\n"), options).task, Task::regression);
}

TEST(Preprocessing, ConstantTargetIsAnError) {
    EXPECT_NE(error_of([] { fit("x,y\n1,3\n2,3\n", {"y"}); }).find("constant"), std::string::npos);
}

TEST(Preprocessing, FillValueComesFromTheTrainingRowsAndIsStored) {
    // training rows 1, NA, 3 → mean fill 2; the fourth row (100) is validation
    const auto p = fit("x,y\n1,1.5\nNA,2.5\n3,3.5\n100,4.5\n", {"y"}, 3, dense::io::FillPolicy::mean);
    ASSERT_TRUE(p.features[0].fill.has_value());
    EXPECT_DOUBLE_EQ(*p.features[0].fill, 2.0);
    const auto x = dense::io::encode_features<double>(p, table("x\nNA\n"));
    EXPECT_DOUBLE_EQ(x(0, 0), (2.0 - p.features[0].mean) / p.features[0].stddev);
}

// As scikit-learn's SimpleImputer(strategy="most_frequent"): the commonest category of the
// training rows, the first in text order on a tie, fills a missing text cell under any fill
// policy. Before, --fill left text columns alone and training stopped at the first empty cell.
TEST(Preprocessing, AFillPolicyFillsAMissingTextCellWithTheMostFrequentTrainingCategory) {
    // training rows: blue, red, NA, red, blue, green → blue and red twice each: blue (first in text order);
    // the validation rows' three greens do not count
    const std::string text = "c,y\nblue,1\nred,2\nNA,3\nred,4\nblue,5\ngreen,6\ngreen,7\ngreen,8\ngreen,9\n";
    for (const auto fill : {dense::io::FillPolicy::mean, dense::io::FillPolicy::median, dense::io::FillPolicy::zero}) {
        const auto p = fit(text, {"y"}, 6, fill);
        EXPECT_EQ(p.features[0].fill_category, "blue");
        const auto x = dense::io::encode_features<double>(p, table("c\nNA\n"));
        EXPECT_EQ((std::vector<double>(x.values().begin(), x.values().end())), (std::vector<double>{1, 0, 0}));  // blue, green, red
    }
    const auto unfilled = fit("c,y\nblue,1\nred,2\nred,4\n", {"y"});
    EXPECT_EQ(unfilled.features[0].fill_category, std::nullopt);
    EXPECT_EQ(unfilled.features[0].most_frequent, "red");  // kept for predict --fill
    const std::string refused = error_of([&] { fit(text, {"y"}); });
    EXPECT_NE(refused.find("t.csv:4:1: text column 'c' has a missing value; fill the cell, or pass --fill mean, median or zero"),
              std::string::npos) << refused;
    const std::string at_predict = error_of([&] { dense::io::encode_features<double>(unfilled, table("c\nNA\n")); });
    EXPECT_NE(at_predict.find("t.csv:2:1: text column 'c' has a missing value"), std::string::npos) << at_predict;
}

TEST(Preprocessing, NumbersWithATypoOrANanAreErrorsNotCategories) {
    EXPECT_NE(error_of([] { fit("x,y\n1,1.5\n2,2.5\nabc,3.5\n4,4.5\n", {"y"}); }).find("t.csv:4:1"), std::string::npos);
    EXPECT_NE(error_of([] { fit("x,y\n1,1.5\nnan,2.5\n", {"y"}); }).find("not a finite number"), std::string::npos);
}

// UCI's data sets write '?' for a missing number. pandas' default na_values leave it out (they
// hold "", "NA", "N/A", "null", "NaN", ...), and so does dense: a column of numbers and '?' is an
// error that says how to mark those cells missing. Before, the message said only "text '?'", or,
// with '?' in most cells, the column was one-hot encoded without a word.
TEST(Preprocessing, AQuestionMarkAmongNumbersIsNamedAsAMissingValuesMarker) {
    const std::string hint = "has '?' where a number is expected; if '?' marks a missing value";
    const auto feature = error_of([] { fit("x,y\n1,1.5\n?,2.5\n3,3.5\n4,4.5\n", {"y"}); });
    EXPECT_NE(feature.find("t.csv:3:1: column 'x' " + hint), std::string::npos) << feature;
    EXPECT_NE(feature.find("write those cells empty or as NA"), std::string::npos) << feature;
    EXPECT_NE(feature.find("--fill mean|median|zero"), std::string::npos) << feature;
    const auto mostly = error_of([] { fit("x,y\n?,1.5\n?,2.5\n?,3.5\n4,4.5\n", {"y"}); });
    EXPECT_NE(mostly.find("t.csv:2:1: column 'x' " + hint), std::string::npos) << mostly;
    const auto target = error_of([] { fit("x,y\n1,1.5\n2,?\n3,3.5\n4,4.5\n", {"y"}); });
    EXPECT_NE(target.find("t.csv:3:2: column 'y' " + hint), std::string::npos) << target;
    EXPECT_NE(target.find("a target's never (drop those rows)"), std::string::npos) << target;  // --fill is for features
    // Among words, '?' is one more category, as pandas keeps it.
    EXPECT_EQ(fit("x,y\n?,1.5\n?,2.5\n?,3.5\nred,4.5\n", {"y"}).features[0].categories, (std::vector<std::string>{"?", "red"}));
    // Written empty, as the message says, the cell is filled: the mean of 1, 3 and 4.
    const auto filled = fit("x,y\n1,1.5\n,2.5\n3,3.5\n4,4.5\n", {"y"}, 0, dense::io::FillPolicy::mean);
    EXPECT_DOUBLE_EQ(*filled.features[0].fill, 8.0 / 3.0);
}

// A column of empty and NA cells only (an unused column of a spreadsheet): before, "text column
// 'b' has a missing value; --fill only fills numeric columns, so fill the cell", every cell of it.
TEST(Preprocessing, AColumnWithoutAnyValueIsToBeDropped) {
    for (const auto fill : {dense::io::FillPolicy::none, dense::io::FillPolicy::mean}) {
        const auto message = error_of([&] { fit("x,b,y\n1,,2\n2,NA,3\n3,,4\n", {"y"}, 0, fill); });
        EXPECT_EQ(message, "t.csv: column 'b' has no value in any row (every cell is empty or NA); leave it out with --drop b");
    }
}

TEST(Preprocessing, NumbersWithADecimalCommaAreErrorsNotCategoriesOrClasses) {
    // A ';'-separated European file: without the check 'x' was one-hot encoded and 'y' made classes.
    const auto feature = error_of([] { fit("x;y\n-1,5;0.5\n2,25;1.5\n3;2.5\n4,5;3.5\n", {"y"}); });
    EXPECT_NE(feature.find("t.csv:2:1: column 'x' has '-1,5', a number written with a decimal comma"), std::string::npos)
        << feature;
    const auto target = error_of([] { fit("x;y\n1;0,5\n2;1,5\n3;2\n4;3,5\n", {"y"}); });
    EXPECT_NE(target.find("t.csv:2:2: column 'y' has '0,5'"), std::string::npos) << target;
    EXPECT_NE(error_of([] { fit("x,y\n\"1,234\",1\n\"2,345\",2\n\"3,456\",3\n", {"y"}); }).find("t.csv:2:1"),
              std::string::npos);
    EXPECT_EQ(error_of([] { fit("x;y\n1,2,3;1\na,b;2\nc;3\n", {"y"}); }), "(no error)");
}

TEST(Preprocessing, ExtraAndMissingColumnsAtPredictTimeAreErrors) {
    const auto p = fit("a,b,y\n1,2,1.5\n2,3,2.5\n", {"y"});
    EXPECT_NE(error_of([&] { dense::io::encode_features<float>(p, table("a,b,c\n1,2,3\n")); }).find("'c'"), std::string::npos);
    EXPECT_NE(error_of([&] { dense::io::encode_features<float>(p, table("a\n1\n")); }).find("'b'"), std::string::npos);
}

dense::io::Preprocessing fit_dropping(const std::string& text, std::vector<std::string> dropped) {
    dense::io::PreprocessingOptions options;
    options.targets = {"y"};
    options.dropped_columns = std::move(dropped);
    return dense::io::fit_preprocessing(table(text), options);
}

TEST(Preprocessing, DroppedColumnsAreNotFeaturesAndLaterFilesMayHoldThem) {
    // 'id' would be a feature and 'day' (one value per row) an error without --drop.
    std::string text = "id,day,x,y\n";
    for (int r = 1; r <= 12; ++r)
        text += std::to_string(r) + ",d" + std::to_string(r) + "," + std::to_string(2 * (r % 3 + 1)) + "," + std::to_string(r) + "\n";
    EXPECT_NE(error_of([&] { fit(text, {"y"}); }).find("leave it out with --drop day"), std::string::npos);
    const auto p = fit_dropping(text, {"day", "id"});
    ASSERT_EQ(p.features.size(), 1u);
    EXPECT_EQ(p.features[0].name, "x");
    EXPECT_EQ(p.dropped_columns, (std::vector<std::string>{"day", "id"}));
    const auto x = dense::io::encode_features<double>(p, table("day,x,id\nfri,6,9\n"));
    ASSERT_EQ(x.cols(), 1u);
    EXPECT_DOUBLE_EQ(x(0, 0), (6 - 4) / std::sqrt(8.0 / 3.0));  // x = 4, 6, 2, …: mean 4, std √((0 + 4 + 4) / 3)
    EXPECT_DOUBLE_EQ(dense::io::encode_features<double>(p, table("x\n4\n"))(0, 0), 0.0);  // they need not be there
    EXPECT_NE(error_of([&] { dense::io::encode_features<double>(p, table("x,note\n4,a\n")); }).find("not used by the model: 'note'"),
              std::string::npos);
}

TEST(Preprocessing, DroppingAMissingColumnOrTheTargetOrEveryFeatureIsRefused) {
    const std::string text = "id,x,y\n1,2,1.5\n2,4,2.5\n";
    EXPECT_NE(error_of([&] { fit_dropping(text, {"idd"}); }).find("--drop names the column 'idd', which t.csv lacks (did you mean 'id'?)"),
              std::string::npos);
    EXPECT_THROW(fit_dropping(text, {"y"}), dense::UsageError);
    EXPECT_NE(error_of([&] { fit_dropping(text, {"id", "x"}); }).find("every column is a target or dropped"), std::string::npos);
}

TEST(Preprocessing, JsonRoundTripKeepsEverything) {
    const auto p = fit("color,x,y\nred,1,a\nblue,NA,b\nred,3,a\n", {"y"}, 0, dense::io::FillPolicy::median);
    EXPECT_EQ(dense::io::preprocessing_from_json(dense::io::to_json(p)), p);
    const auto dropping = fit_dropping("id,x,y\n1,2,1.5\n2,4,2.5\n", {"id"});
    EXPECT_EQ(dense::io::preprocessing_from_json(dense::io::to_json(dropping)), dropping);
    EXPECT_FALSE(dense::io::to_json(p).contains("dropped_columns"));  // files without --drop are as before
    EXPECT_EQ(dense::io::to_json(p)["features"][0]["fill"], "red");
}

TEST(Preprocessing, InvalidJsonIsADataError) {
    auto json = dense::io::to_json(fit("x,y\n1,1.5\n2,2.5\n", {"y"}));
    json["features"][0]["stddev"] = -1.0;
    EXPECT_THROW(dense::io::preprocessing_from_json(json), dense::DataError);
    EXPECT_THROW(dense::io::preprocessing_from_json(nlohmann::json::array()), dense::DataError);
    auto dropping_a_feature = dense::io::to_json(fit("x,y\n1,1.5\n2,2.5\n", {"y"}));
    dropping_a_feature["dropped_columns"] = {"x"};
    EXPECT_THROW(dense::io::preprocessing_from_json(dropping_a_feature), dense::DataError);
    auto filling_an_unknown_category = dense::io::to_json(fit("c,y\nred,1.5\nblue,2.5\n", {"y"}));
    filling_an_unknown_category["features"][0]["fill"] = "green";
    EXPECT_THROW(dense::io::preprocessing_from_json(filling_an_unknown_category), dense::DataError);
}

TEST(Preprocessing, CategoryOrLabelThatIsNotUtf8IsAnErrorAtItsCell) {
    EXPECT_NE(error_of([] { fit("c,y\nred,1\nbl\xFFue,2\nred,3\n", {"y"}); })
                  .find("t.csv:3:1: the category in column 'c' is not valid UTF-8"),
              std::string::npos);
    EXPECT_NE(error_of([] { fit("x,y\n1,cat\n2,d\xC3g\n3,cat\n", {"y"}); })
                  .find("t.csv:3:2: the label in the target column 'y' is not valid UTF-8"),
              std::string::npos);
    EXPECT_NE(error_of([] { fit(std::string("x,y\n1,cat\n2,\0\n3,cat\n", 20), {"y"}); })
                  .find("t.csv:3:2: the label in the target column 'y' holds a NUL byte"),
              std::string::npos);
}

}  // namespace
