// `dense demo`: the articles' worked examples, computed live — one neuron learning y = 2x + 3,
// the course's Celsius → Fahrenheit lesson, and the same lesson with three layers, each neuron's
// equation printed with its numbers.
#include "demo.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <dense/dense.hpp>

namespace dense::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string fixed(double value, int decimals = 7) {
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string signed_term(double value, int decimals = 4) {
    return (value < 0 ? " − " : " + ") + fixed(std::abs(value), decimals);
}

double milliseconds_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Matrix<float> column(std::initializer_list<float> values) { return Matrix<float>::column(values); }

struct Line {
    double w, b;
};

Line learned_line(const Sequential& model) {
    const auto weights = model.get_weights();
    return {weights[0].values[0], weights[1].values[0]};
}

// The least-squares line through the points: w = cov(x, y) / var(x), b = ȳ − w·x̄.
Line least_squares(const Matrix<float>& x, const Matrix<float>& y) {
    const double n = double(x.rows());
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < x.rows(); ++i) mx += x(i, 0) / n, my += y(i, 0) / n;
    double cov = 0, var = 0;
    for (std::size_t i = 0; i < x.rows(); ++i) {
        cov += (x(i, 0) - mx) * (y(i, 0) - my);
        var += (x(i, 0) - mx) * (x(i, 0) - mx);
    }
    return {cov / var, my - cov / var * mx};
}

// Keeps training with the learning rate halved whenever the loss stops falling, the way to
// settle Adam(0.1)'s last oscillations.
void train_on(Sequential& model, const Matrix<float>& x, const Matrix<float>& y, int from_epoch, int to_epoch) {
    auto plateau = std::make_shared<ReduceLROnPlateau>(
        ReduceLROnPlateauOptions{.monitor = "loss", .factor = 0.5, .patience = 20, .min_delta = 0, .min_lr = 1e-7});
    model.fit(x, y, {.epochs = to_epoch, .initial_epoch = from_epoch, .callbacks = {plateau}, .verbose = 0});
}

bool one_neuron_lesson(std::ostream& out) {
    out << "1. One neuron learns y = 2x + 3\n";
    const auto x = column({-1, 0, 1, 2, 3, 4});
    const auto y = column({1, 3, 5, 7, 9, 11});
    const auto start = Clock::now();
    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(Adam(0.1), "mean_squared_error");
    model.fit(x, y, {.epochs = 500, .verbose = 0});
    const double ms = milliseconds_since(start);
    const Line line = learned_line(model);
    const Line article{2.0123928, 1.3683615};
    out << "   Dense(1), Adam(0.1), mean squared error, x = -1..4, 500 epochs: " << fixed(ms, 1) << " ms\n"
        << "   get_weights(): kernel [[" << fixed(line.w) << "]], bias [" << fixed(line.b) << "]\n"
        << "   |w − 2| = " << fixed(std::abs(line.w - 2), 7) << ", |b − 3| = " << fixed(std::abs(line.b - 3), 7)
        << "; the article's network stopped at w = 2.0123928, b = 1.3683615\n\n";
    const std::string dense_header = "dense: " + fixed(line.w) + "x + " + fixed(line.b);
    out << "   Input | y = 2x + 3 | " << dense_header << " | article: 2.0123928x + 1.3683615\n";
    const Matrix<float> predicted = model.predict(column({1, 2, 3, 4}));
    for (int input = 1; input <= 4; ++input) {
        char row[160];
        std::snprintf(row, sizeof row, "   %-5d | %-10d | %-*s | %s\n", input, 2 * input + 3, int(dense_header.size()),
                      fixed(predicted(std::size_t(input - 1), 0)).c_str(), fixed(article.w * input + article.b).c_str());
        out << row;
    }
    const bool converged = std::abs(line.w - 2) < 1e-3 && std::abs(line.b - 3) < 1e-3;
    out << "   " << (converged ? "Converged: both within 1e-3 of the true 2 and 3." : "NOT converged within 1e-3.")
        << "\n\n";
    return converged;
}

bool celsius_lesson(std::ostream& out) {
    out << "2. Celsius → Fahrenheit (the course's lesson)\n";
    const auto celsius = column({-40, -10, 0, 8, 15, 22, 38});
    const auto fahrenheit = column({-40, 14, 32, 46, 59, 72, 100});
    const auto start = Clock::now();
    Sequential model({Dense(1, {.input_dim = 1})});
    model.compile(Adam(0.1), "mean_squared_error");
    model.fit(celsius, fahrenheit, {.epochs = 500, .verbose = 0});
    const double ms = milliseconds_since(start);
    Line line = learned_line(model);
    const float at_100 = model.predict(column({100}))(0, 0);
    out << "   Dense(1), Adam(0.1), mean squared error, 500 epochs, as the course: " << fixed(ms, 1) << " ms\n"
        << "   dense:   f = " << fixed(line.w) << "·c + " << fixed(line.b) << ";  f(100) = " << fixed(at_100, 2)
        << "\n   Keras (published run): f = 1.8235865·c + 28.9570050;  PyTorch here: ≈ 1.823, 28.97, f(100) ≈ 211.3\n"
        << "   After 500 epochs Adam has not converged: where it stands depends on the random first weight.\n"
        << "   The same recipe from five seeds:";
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        Sequential run({Dense(1, {.input_dim = 1})}, {.seed = seed});
        run.compile(Adam(0.1), "mean_squared_error");
        run.fit(celsius, fahrenheit, {.epochs = 500, .verbose = 0});
        const Line l = learned_line(run);
        out << (seed > 1 ? "," : "") << " (" << fixed(l.w, 4) << ", " << fixed(l.b, 3) << ")";
    }
    out << "\n";

    train_on(model, celsius, fahrenheit, 500, 3000);
    line = learned_line(model);
    const Line best = least_squares(celsius, fahrenheit);
    out << "   Training on (epochs 500–3000, learning rate halved on plateaus): f = " << fixed(line.w) << "·c + "
        << fixed(line.b) << "\n"
        << "   That is the least-squares line of these points, f = " << fixed(best.w) << "·c + " << fixed(best.b)
        << ", not 1.8·c + 32:\n"
        << "   the course rounds 46.4, 71.6 and 100.4 °F to 46, 72 and 100. With exact Fahrenheit values:\n";
    const bool matches_best = std::abs(line.w - best.w) < 1e-3 && std::abs(line.b - best.b) < 1e-3;

    const auto exact = column({-40, 14, 32, 46.4f, 59, 71.6f, 100.4f});
    Sequential exact_model({Dense(1, {.input_dim = 1})});
    exact_model.compile(Adam(0.1), "mean_squared_error");
    exact_model.fit(celsius, exact, {.epochs = 500, .verbose = 0});
    train_on(exact_model, celsius, exact, 500, 3000);
    const Line learned = learned_line(exact_model);
    const float exact_100 = exact_model.predict(column({100}))(0, 0);
    const bool reaches_formula = std::abs(learned.w - 1.8) < 1e-3 && std::abs(learned.b - 32) < 1e-3;
    out << "   f = " << fixed(learned.w) << "·c + " << fixed(learned.b) << ";  f(100) = " << fixed(exact_100, 3)
        << (reaches_formula ? "  — 1.8·c + 32 within 1e-3, and 212." : "  — NOT within 1e-3 of 1.8·c + 32.") << "\n\n";
    return matches_best && reaches_formula;
}

void print_layer_equations(std::ostream& out, const Sequential& model) {
    const char* letters = "abcdefgh";
    for (std::size_t l = 0; l < model.layer_count(); ++l) {
        const auto& dense = dynamic_cast<const Dense&>(model.layer(l));
        const bool last = l + 1 == model.layer_count();
        out << "   layer " << dense.name() << " (" << dense.units() << (dense.units() > 1 ? " neurons" : " neuron")
            << ", " << dense.activation().name() << "):\n";
        for (std::size_t j = 0; j < dense.units(); ++j) {
            out << "     " << (last ? std::string("f") : letters[l] + std::to_string(j + 1)) << " =";
            for (std::size_t i = 0; i < dense.input_dim(); ++i) {
                const double w = dense.kernel()(i, j);
                const std::string input = l == 0 ? "c" : letters[l - 1] + std::to_string(i + 1);
                out << (i == 0 ? (w < 0 ? " −" : " ") : (w < 0 ? " − " : " + ")) << fixed(std::abs(w), 4) << "·"
                    << input;
            }
            out << signed_term(dense.bias()[j]) << "\n";
        }
    }
}

bool three_layer_lesson(std::ostream& out) {
    out << "3. The same lesson with three layers: Dense(4) → Dense(4) → Dense(1)\n";
    const auto celsius = column({-40, -10, 0, 8, 15, 22, 38});
    const auto fahrenheit = column({-40, 14, 32, 46, 59, 72, 100});
    Sequential model({Dense(4, {.input_dim = 1}), Dense(4), Dense(1)});
    model.compile(Adam(0.1), "mean_squared_error");
    model.fit(celsius, fahrenheit, {.epochs = 500, .verbose = 0});
    train_on(model, celsius, fahrenheit, 500, 3000);
    print_layer_equations(out, model);
    const Matrix<float> f = model.predict(column({0, 1, 100}));
    const double slope = double(f(1, 0)) - f(0, 0);
    bool has_1_8 = false;
    for (const auto& tensor : model.get_weights())
        for (float w : tensor.values) has_1_8 = has_1_8 || std::abs(w - 1.8f) < 0.05f;
    out << "   f(100) = " << fixed(f(2, 0), 3) << ". No single weight is 1.8" << (has_1_8 ? " (one is close, by chance)" : "")
        << ": the layers together make f = " << fixed(slope, 4) << "·c + " << fixed(f(0, 0), 4) << ",\n"
        << "   the same line the single neuron found — three linear layers are still one line.\n";
    return std::abs(f(2, 0) - 211.75) < 0.5;
}

}  // namespace

int run_demo(std::ostream& out) {
    const auto start = Clock::now();
    out << "dense demo — the articles' worked examples, trained live (each neuron computes y = Σ w·x + b)\n\n";
    const bool one = one_neuron_lesson(out);
    const bool celsius = celsius_lesson(out);
    const bool deep = three_layer_lesson(out);
    out << "\nAll three lessons in " << fixed(milliseconds_since(start), 1) << " ms"
        << (one && celsius && deep ? "." : "; SOME CHECKS FAILED (see above).") << "\n";
    return one && celsius && deep ? 0 : 1;
}

}  // namespace dense::cli
