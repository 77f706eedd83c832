// A user's program on an installed dense: reads a CSV file of y = 2x + 3, trains on it, saves the
// model with its preprocessing, loads it back and predicts x = 10; exports it to Keras and
// reads that back, draws it, and runs a small tuner search. Prints what it learned.
// usage: consumer WORK_DIR (created if missing; receives data.csv, model.dense, ...)
#include <dense/dense.hpp>
#include <dense/interop/keras.hpp>
#include <dense/io/csv.hpp>
#include <dense/io/model_file.hpp>
#include <dense/io/preprocessing.hpp>
#include <dense/plot/network_diagram.hpp>
#include <dense/tune/tuner.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

namespace fs = std::filesystem;

static void write_line_data(const fs::path& path) {
    std::ofstream out(path);
    out << "x,y\n";
    for (int x = -5; x <= 5; ++x) out << x << ',' << 2 * x + 3 << '\n';
}

static float predict_one(dense::Sequential& model, const dense::io::Preprocessing& preprocessing,
                         const char* csv_row) {
    const auto table = dense::io::parse_csv(std::string("x\n") + csv_row + "\n", "<row>");
    auto outputs = model.predict(dense::io::encode_features<float>(preprocessing, table));
    dense::io::to_target_units(preprocessing, outputs);  // the network learns standardised y
    return outputs(0, 0);
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: consumer WORK_DIR\n";
        return 2;
    }
    const fs::path work = argv[1];
    fs::create_directories(work);
    write_line_data(work / "data.csv");

    const auto table = dense::io::read_csv(work / "data.csv");
    const auto preprocessing = dense::io::fit_preprocessing(table, {.targets = {"y"}});
    const auto x = dense::io::encode_features<float>(preprocessing, table);
    dense::Sequential model({dense::Dense(1, {.input_dim = x.cols()})});
    model.compile(dense::Adam(0.1), "mean_squared_error");
    const auto y = dense::io::encode_targets<float>(preprocessing, table, model.loss());
    model.fit(x, y, {.epochs = 500, .verbose = 0, .seed = 1});

    dense::io::save_model(model, work / "model.dense", {.preprocessing = preprocessing});
    auto loaded = dense::io::load_model(work / "model.dense");
    const float trained = predict_one(model, preprocessing, "10");
    const float reloaded = predict_one(loaded.model, *loaded.extras.preprocessing, "10");

    dense::keras::save_model(model, work / "model.keras");
    auto from_keras = dense::keras::load_model(work / "model.keras");
    const float keras = predict_one(from_keras, preprocessing, "10");

    dense::plot::network_diagram(model, work / "model.svg");
    dense::tune::Tuner tuner({.strategy = dense::tune::Strategy::random, .max_trials = 2, .seed = 1, .threads = 1});
    const auto search = tuner.search(x, y);

    std::cout << std::setprecision(9) << "trained " << trained << " reloaded " << reloaded << " keras " << keras << " tuner_trials "
              << search.trials.size() << "\n";
}
