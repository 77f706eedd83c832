// Model scores in the targets' units (see scores.hpp).
#include "scores.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "dense/io/preprocessing.hpp"
#include "dense/printable.hpp"

namespace dense::cli {
namespace {

double ratio(double numerator, double denominator) { return denominator > 0.0 ? numerator / denominator : 0.0; }

// precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2·P·R / (P + R); 0 where undefined.
ClassScores class_scores(const std::vector<std::vector<std::size_t>>& confusion, std::size_t c) {
    std::size_t predicted = 0, actual = 0;
    for (std::size_t k = 0; k < confusion.size(); ++k) {
        predicted += confusion[k][c];
        actual += confusion[c][k];
    }
    const double tp = double(confusion[c][c]);
    ClassScores s;
    s.precision = ratio(tp, double(predicted));
    s.recall = ratio(tp, double(actual));
    s.f1 = ratio(2.0 * s.precision * s.recall, s.precision + s.recall);
    s.support = actual;
    s.present = actual > 0 || predicted > 0;
    return s;
}

std::string fixed(double value, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

std::string significant(double value, int digits = 6) {
    std::ostringstream out;
    out << std::setprecision(digits) << value;
    return out.str();
}

std::string padded(const std::string& text, std::size_t width, bool left = false) {
    // Widths count characters, not bytes, so "R²" lines up.
    const auto length = display_width(text);
    const std::string fill(width > length ? width - length : 0, ' ');
    return left ? text + fill : fill + text;
}

std::string class_table(const ClassificationScores& s, const std::vector<std::string>& names) {
    std::size_t width = std::string("weighted avg").size();
    for (const auto& name : names) width = std::max(width, name.size());
    std::ostringstream out;
    auto row = [&](const std::string& name, const ClassScores& c) {
        out << padded(name, width) << padded(fixed(c.precision, 2), 11) << padded(fixed(c.recall, 2), 10)
            << padded(fixed(c.f1, 2), 10) << padded(std::to_string(c.support), 10) << '\n';
    };
    out << padded("", width) << "  precision    recall  f1-score   support\n\n";
    for (std::size_t c = 0; c < names.size(); ++c)
        if (s.classes[c].present) row(names[c], s.classes[c]);
    out << '\n'
        << padded("accuracy", width) << padded("", 21) << padded(fixed(s.accuracy, 2), 10)
        << padded(std::to_string(s.rows), 10) << '\n';
    row("macro avg", s.macro);
    row("weighted avg", s.weighted);
    return out.str();
}

std::string confusion_table(const ClassificationScores& s, const std::vector<std::string>& names) {
    std::size_t width = std::string("true \\ predicted").size();
    std::size_t cell = 6;
    for (const auto& name : names) cell = std::max(cell, name.size() + 2);
    for (const auto& name : names) width = std::max(width, name.size());
    std::ostringstream out;
    out << padded("true \\ predicted", width, true);
    for (const auto& name : names) out << padded(name, cell);
    out << '\n';
    for (std::size_t t = 0; t < names.size(); ++t) {
        out << padded(names[t], width, true);
        for (std::size_t p = 0; p < names.size(); ++p) out << padded(std::to_string(s.confusion[t][p]), cell);
        out << '\n';
    }
    return out.str();
}

nlohmann::json class_json(const ClassScores& c) {
    return {{"precision", c.precision}, {"recall", c.recall}, {"f1", c.f1}, {"support", c.support}};
}

}  // namespace

RegressionScores regression_scores(const Matrix<double>& y, const Matrix<double>& prediction,
                                   const std::vector<double>& training_mean) {
    RegressionScores s;
    s.rows = y.rows();
    double absolute = 0.0, squares = 0.0, baseline = 0.0, r2_sum = 0.0;
    bool r2_defined = true;
    for (std::size_t t = 0; t < y.cols(); ++t) {
        double mean = 0.0;
        for (std::size_t r = 0; r < y.rows(); ++r) mean += y(r, t);
        mean /= double(y.rows());
        double residual = 0.0, total = 0.0;
        for (std::size_t r = 0; r < y.rows(); ++r) {
            const double error = y(r, t) - prediction(r, t);
            absolute += std::abs(error);
            residual += error * error;
            total += (y(r, t) - mean) * (y(r, t) - mean);
            baseline += (y(r, t) - training_mean[t]) * (y(r, t) - training_mean[t]);
        }
        squares += residual;
        if (total > 0.0)
            r2_sum += 1.0 - residual / total;
        else
            r2_defined = false;
    }
    const double values = double(y.rows() * y.cols());
    s.mae = absolute / values;
    s.rmse = std::sqrt(squares / values);
    s.baseline_rmse = std::sqrt(baseline / values);
    if (r2_defined) s.r2 = r2_sum / double(y.cols());
    return s;
}

ClassificationScores classification_scores(const std::vector<std::size_t>& truth, const std::vector<std::size_t>& predicted,
                                           std::size_t classes) {
    ClassificationScores s;
    s.rows = truth.size();
    s.confusion.assign(classes, std::vector<std::size_t>(classes, 0));
    std::size_t correct = 0;
    for (std::size_t r = 0; r < truth.size(); ++r) {
        ++s.confusion[truth[r]][predicted[r]];
        correct += truth[r] == predicted[r] ? 1 : 0;
    }
    s.accuracy = ratio(double(correct), double(s.rows));
    for (std::size_t c = 0; c < classes; ++c) s.classes.push_back(class_scores(s.confusion, c));
    // scikit-learn's classification_report averages over the labels of the truth and the predictions.
    const auto present = static_cast<double>(std::ranges::count_if(s.classes, &ClassScores::present));
    for (const auto& scores : s.classes) {
        if (!scores.present) continue;
        const double weight = ratio(double(scores.support), double(s.rows));
        s.macro.precision += scores.precision / present;
        s.macro.recall += scores.recall / present;
        s.macro.f1 += scores.f1 / present;
        s.weighted.precision += scores.precision * weight;
        s.weighted.recall += scores.recall * weight;
        s.weighted.f1 += scores.f1 * weight;
    }
    s.macro.support = s.weighted.support = s.rows;
    return s;
}

std::size_t predicted_class(std::span<const float> outputs) {
    if (outputs.size() == 1) return outputs[0] >= 0.5f ? 1 : 0;
    return static_cast<std::size_t>(std::max_element(outputs.begin(), outputs.end()) - outputs.begin());
}

Matrix<float> labelled_targets(const io::Preprocessing& preprocessing, const io::CsvTable& table) {
    if (preprocessing.task == io::Task::regression) return io::target_values<float>(preprocessing, table);
    return io::encode_targets<float>(preprocessing, table, losses::sparse_categorical_crossentropy());
}

ModelScores score_model(const io::ModelFile& file, const Matrix<float>& outputs, const Matrix<float>& raw_targets) {
    const auto& p = *file.extras.preprocessing;
    ModelScores scores;
    scores.rows = outputs.rows();
    scores.loss_name = std::string(file.model.loss().name());
    if (p.task == io::Task::classification) {
        std::vector<std::size_t> truth, predicted;
        for (std::size_t r = 0; r < outputs.rows(); ++r) {
            truth.push_back(static_cast<std::size_t>(raw_targets(r, 0)));
            predicted.push_back(predicted_class(outputs.row(r)));
        }
        scores.classification = classification_scores(truth, predicted, p.classes.size());
        Matrix<float> encoded = raw_targets;
        if (file.model.loss().kind() == LossKind::categorical_crossentropy) {
            encoded = Matrix<float>(raw_targets.rows(), p.classes.size());
            for (std::size_t r = 0; r < truth.size(); ++r) encoded(r, truth[r]) = 1.0f;
        }
        scores.loss = file.model.loss().value(encoded, outputs);
        return scores;
    }
    Matrix<float> prediction = outputs;
    io::to_target_units(p, prediction);
    scores.loss = file.model.loss().value(raw_targets, prediction);
    Matrix<double> y(raw_targets.rows(), raw_targets.cols()), y_hat(raw_targets.rows(), raw_targets.cols());
    std::copy(raw_targets.values().begin(), raw_targets.values().end(), y.values().begin());
    std::copy(prediction.values().begin(), prediction.values().end(), y_hat.values().begin());
    std::vector<double> training_mean;
    for (std::size_t t = 0; t < y.cols(); ++t) {
        if (t < p.target_scaling.size()) {
            training_mean.push_back(p.target_scaling[t].mean);
            continue;
        }
        double mean = 0.0;  // a file from before target scaling: the mean of these rows
        for (std::size_t r = 0; r < y.rows(); ++r) mean += y(r, t);
        training_mean.push_back(mean / double(y.rows()));
    }
    scores.regression = regression_scores(y, y_hat, training_mean);
    return scores;
}

// The report's R² when Σ(y − ȳ)² = 0 (RegressionScores::r2).
constexpr const char* undefined_r2 =
    "n/a (undefined: a target has one value in every row, as in a file of one row, so there is no variance to explain)";

std::string format_scores(const ModelScores& s, const io::Preprocessing& p) {
    std::ostringstream out;
    out << "rows: " << s.rows << '\n' << "loss (" << s.loss_name << "): " << significant(s.loss) << '\n';
    if (s.regression) {
        const auto& r = *s.regression;
        out << "MAE: " << significant(r.mae) << "\nRMSE: " << significant(r.rmse) << "\nR²: "
            << (r.r2 ? significant(*r.r2) : undefined_r2)
            << "\nRMSE of predicting the " << (p.target_scaling.empty() ? "mean of these rows" : "training mean") << ": "
            << significant(r.baseline_rmse) << '\n';
        return out.str();
    }
    const auto& c = *s.classification;
    out << "accuracy: " << significant(c.accuracy) << "\n\n"
        << class_table(c, p.classes) << "\nConfusion matrix (rows: true class, columns: predicted class):\n"
        << confusion_table(c, p.classes);
    return out.str();
}

nlohmann::json scores_json(const ModelScores& s, const io::Preprocessing& p) {
    nlohmann::json json{{"rows", s.rows}, {"loss", {{"name", s.loss_name}, {"value", s.loss}}}};
    if (s.regression) {
        const auto& r = *s.regression;
        json["mae"] = r.mae;
        json["rmse"] = r.rmse;
        json["r2"] = r.r2 ? nlohmann::json(*r.r2) : nlohmann::json(nullptr);
        json["baseline_rmse"] = r.baseline_rmse;
        return json;
    }
    const auto& c = *s.classification;
    json["accuracy"] = c.accuracy;
    for (std::size_t k = 0; k < p.classes.size(); ++k)
        if (c.classes[k].present) json["classes"][p.classes[k]] = class_json(c.classes[k]);
    json["macro_avg"] = class_json(c.macro);
    json["weighted_avg"] = class_json(c.weighted);
    json["confusion_matrix"] = {{"labels", p.classes}, {"matrix", c.confusion}};
    return json;
}

std::string brief_scores(const ModelScores& s) {
    if (s.regression)
        return "RMSE " + significant(s.regression->rmse, 4) + ", MAE " + significant(s.regression->mae, 4) + ", R² " +
               (s.regression->r2 ? significant(*s.regression->r2, 3) : "n/a");
    return "accuracy " + significant(100.0 * s.classification->accuracy, 4) + " %, loss (" + s.loss_name + ") " +
           significant(s.loss, 4);
}

}  // namespace dense::cli
