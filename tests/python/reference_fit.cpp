// The C++ half of the Python package's bit-for-bit test (test_same_as_cpp.py): trains a model
// written here with the C++ API on data the test hands over, and writes the trained weights and
// the predictions on that data, so the test can compare them with what Python trained.
//   dense_reference_fit SCENARIO ROWS X_COLS Y_COLS X.bin Y.bin OUT.bin
// X.bin and Y.bin hold rows × cols values row-major, as the scenario's dtype; OUT.bin gets every
// weight array (Keras order) and then the predictions, as that dtype.
#include <dense/dense.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

namespace {

template <class T>
dense::Matrix<T> read_matrix(const std::string& path, std::size_t rows, std::size_t cols) {
    dense::Matrix<T> m(rows, cols);
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(m.data()), std::streamsize(m.size() * sizeof(T)));
    if (!in) throw dense::DataError(path + ": fewer than " + std::to_string(m.size()) + " values");
    return m;
}

template <class T>
void write_result(dense::BasicSequential<T>& model, const dense::Matrix<T>& x, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    for (const auto& tensor : model.get_weights())
        out.write(reinterpret_cast<const char*>(tensor.values.data()), std::streamsize(tensor.size() * sizeof(T)));
    const dense::Matrix<T> predictions = model.predict(x);
    out.write(reinterpret_cast<const char*>(predictions.data()), std::streamsize(predictions.size() * sizeof(T)));
}

// Each scenario is mirrored line for line by the test in Python.
void regression(const dense::Matrix<float>& x, const dense::Matrix<float>& y, const std::string& out) {
    dense::Sequential model({dense::Dense(16, "relu", {.input_dim = x.cols()}), dense::Dense(8, "tanh"),
                             dense::Dense(y.cols())},
                            {.seed = 7});
    model.compile(dense::Adam(0.01), "mse", {"mae"});
    model.fit(x, y, {.epochs = 5, .batch_size = 16, .validation_split = 0.2, .verbose = 0});
    write_result(model, x, out);
}

void classification(const dense::Matrix<float>& x, const dense::Matrix<float>& y, const std::string& out) {
    dense::Sequential model({dense::Dense(12, "elu", {.input_dim = x.cols()}), dense::Dropout(0.25),
                             dense::Dense(3, "softmax")},
                            {.seed = 3});
    model.compile(dense::RMSprop(0.005), "sparse_categorical_crossentropy", {"accuracy"});
    model.fit(x, y, {.epochs = 4, .batch_size = 10, .verbose = 0, .seed = 11});
    write_result(model, x, out);
}

void float64(const dense::f64::Matrix& x, const dense::f64::Matrix& y, const std::string& out) {
    dense::f64::Sequential model({dense::f64::Dense(6, "sigmoid",
                                                    {.input_dim = x.cols(),
                                                     .kernel_initializer = "he_normal",
                                                     .kernel_regularizer = dense::regularizers::l2(0.01)}),
                                  dense::f64::Dense(y.cols())},
                                 {.seed = 5});
    model.compile(dense::f64::SGD(0.05, {.momentum = 0.9, .nesterov = true}), "huber");
    model.fit(x, y, {.epochs = 3, .batch_size = 8, .verbose = 0});
    write_result(model, x, out);
}

// `dense demo`'s Celsius lesson: Dense(1), Adam(0.1), mean squared error, 500 epochs.
void celsius(const dense::Matrix<float>& x, const dense::Matrix<float>& y, const std::string& out) {
    dense::Sequential model({dense::Dense(1, {.input_dim = 1})});
    model.compile(dense::Adam(0.1), "mean_squared_error");
    model.fit(x, y, {.epochs = 500, .verbose = 0});
    write_result(model, x, out);
}

template <class T>
void run(void (*scenario)(const dense::Matrix<T>&, const dense::Matrix<T>&, const std::string&), char** argv) {
    const std::size_t rows = std::stoul(argv[2]), x_cols = std::stoul(argv[3]), y_cols = std::stoul(argv[4]);
    scenario(read_matrix<T>(argv[5], rows, x_cols), read_matrix<T>(argv[6], rows, y_cols), argv[7]);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 8) {
        std::cerr << "usage: dense_reference_fit regression|classification|float64|celsius ROWS X_COLS Y_COLS "
                     "X.bin Y.bin OUT.bin\n";
        return 2;
    }
    const std::string scenario = argv[1];
    try {
        if (scenario == "regression") run<float>(regression, argv);
        else if (scenario == "classification") run<float>(classification, argv);
        else if (scenario == "float64") run<double>(float64, argv);
        else if (scenario == "celsius") run<float>(celsius, argv);
        else throw dense::UsageError("unknown scenario '" + scenario + "'");
    } catch (const dense::Error& e) {
        std::cerr << "dense_reference_fit: " << e.what() << "\n";
        return 1;
    }
}
