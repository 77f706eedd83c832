// Fashion-MNIST training curves: a small MLP (784 → 128 relu → 10 softmax) trained for a few
// epochs with a CSVLogger, then the logged history drawn with dense::plot, with its weight maps.
// Needs the Debian package dataset-fashion-mnist (or the four IDX files in the folder given).
// Build: ninja -C build example_plot_fashion_curves
// Run:   build/examples/plot_fashion_curves [epochs] [data folder] [output folder]
#include <dense/dense.hpp>
#include <dense/io/idx.hpp>
#include <dense/plot/plot.hpp>

#include <filesystem>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::stoi(argv[1]) : 5;
    const std::filesystem::path data = argc > 2 ? argv[2] : "/usr/share/datasets/fashion-mnist";
    const std::filesystem::path out = argc > 3 ? argv[3] : "docs/images";
    std::filesystem::create_directories(out);

    const auto x_train = dense::io::load_idx_images(data / "train-images-idx3-ubyte.gz");
    const auto y_train = dense::io::load_idx_labels(data / "train-labels-idx1-ubyte.gz");
    const auto x_test = dense::io::load_idx_images(data / "t10k-images-idx3-ubyte.gz");
    const auto y_test = dense::io::load_idx_labels(data / "t10k-labels-idx1-ubyte.gz");

    dense::Sequential model({dense::Dense(128, "relu", {.input_dim = 784}), dense::Dense(10, "softmax")});
    model.compile(dense::Adam(0.001), "sparse_categorical_crossentropy", {"accuracy"});
    const std::filesystem::path history_csv = out / "fashion_mnist_history.csv";
    model.fit(x_train, y_train,
              {.epochs = epochs,
               .batch_size = 64,
               .validation_data = std::pair{x_test, y_test},
               .callbacks = {std::make_shared<dense::CSVLogger>(history_csv.string())},
               .verbose = 2});

    dense::plot::training_curves(history_csv, out / "fashion_mnist_curves.png");
    dense::plot::training_curves(history_csv, out / "fashion_mnist_curves.svg");
    dense::plot::weight_maps(model, out / "fashion_mnist_weights.png");
    std::cout << "wrote " << (out / "fashion_mnist_curves.png") << ", .svg and " << (out / "fashion_mnist_weights.png")
              << "\n";
}
