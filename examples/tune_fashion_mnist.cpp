// The Fashion-MNIST run of docs/TUNING.md: dense::tune searches for a network for 60 000
// 28×28 clothing images (10 classes) within a time budget, then the recommended model is scored
// on the 10 000 test images the search never saw.
//
//   tune_fashion_mnist [BUDGET_MINUTES=10] [THREADS=2] [LOG=fashion_trials.jsonl] [DATA_DIR]
//
// DATA_DIR defaults to where Debian's dataset-fashion-mnist puts the IDX files. Rerunning with
// the same log resumes the search.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <dense/dense.hpp>
#include <dense/io/idx.hpp>
#include <dense/tune/tuner.hpp>

namespace {

const char* const debian_fashion_mnist = "/usr/share/datasets/fashion-mnist";

std::string argument(int argc, char** argv, int index, const char* fallback) {
    return index < argc ? argv[index] : fallback;
}

// The search space for 784 pixel inputs: the defaults for 60 000 rows, narrowed to what image
// classification with Dense layers needs within minutes on 2 cores — one or two hidden layers,
// Adam-like optimizers with their usual learning rates, batches large enough for fast epochs,
// and 18 epochs at most (Hyperband's rungs then train 2, 6 and 18 epochs).
dense::tune::SearchSpace image_space() {
    return dense::tune::SearchSpace::for_data(60000).with_json(R"({
        "hidden_layers": [1, 2], "units": [128, 1024], "activations": ["relu", "elu"],
        "optimizers": ["adam", "nadam"], "learning_rate": [3e-4, 3e-3], "batch_sizes": [64, 128, 256],
        "dropout": [0.0, 0.1, 0.2, 0.3], "l2": [0.0, 1e-6], "max_epochs": 18})",
                                                                       "image_space");
}

double accuracy(const dense::Matrix<float>& probabilities, const dense::Matrix<float>& labels) {
    const dense::tune::Objective ten_classes{dense::io::Task::classification, 10};
    return ten_classes.score(labels, probabilities);
}

}  // namespace

int main(int argc, char** argv) try {
    const double minutes = std::stod(argument(argc, argv, 1, "10"));
    const auto threads = static_cast<std::size_t>(std::stoul(argument(argc, argv, 2, "2")));
    const std::string log = argument(argc, argv, 3, "fashion_trials.jsonl");
    const std::filesystem::path dir = argument(argc, argv, 4, debian_fashion_mnist);

    const auto x_train = dense::io::load_idx_images(dir / "train-images-idx3-ubyte.gz");
    const auto y_train = dense::io::load_idx_labels(dir / "train-labels-idx1-ubyte.gz");
    const auto x_test = dense::io::load_idx_images(dir / "t10k-images-idx3-ubyte.gz");
    const auto y_test = dense::io::load_idx_labels(dir / "t10k-labels-idx1-ubyte.gz");

    dense::tune::TunerOptions options;
    options.max_trials = 0;  // as many as the budget allows
    options.time_budget = std::chrono::duration<double>(60.0 * minutes);
    options.threads = threads;
    options.log_path = log;
    options.space = image_space();
    options.progress = &std::cout;
    auto result = dense::tune::Tuner(options).search(x_train, y_train);

    std::cout << '\n' << result.table(15) << '\n';
    const auto& chosen = result.recommended_trial();
    std::cout << result.trials.size() << " trials, " << result.evaluations << " evaluations, " << result.total_epochs
              << " epochs in " << result.seconds << " s\n"
              << "recommended: trial " << chosen.index << ", " << dense::tune::describe_architecture(chosen.hyperparameters)
              << ", " << dense::tune::describe_training(chosen.hyperparameters) << ", " << chosen.parameters
              << " parameters, validation accuracy " << 100.0 * chosen.metric << " %\n";
    dense::set_num_threads(threads);
    const double test = accuracy(result.model.predict(x_test, {.batch_size = 1024}), y_test);
    std::cout << "test accuracy of the recommended model on the 10000 test images: " << 100.0 * test << " %\n";
    return 0;
} catch (const dense::Error& error) {
    std::cerr << "tune_fashion_mnist: " << error.what() << '\n';
    return 1;
}
