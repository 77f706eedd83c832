// The workloads of docs/BENCHMARKS.md through the public dense API, one per sub-command; each
// prints one line of `key=value` pairs that bench/compare.py reads.
//   bench_workloads w1 REPEATS [sgd]                the Celsius lesson: Dense(1), Adam(0.1), 500 epochs;
//                                                   sgd: plain SGD(0.0005), genann's kind of training
//   bench_workloads w2 BATCH EPOCHS DATA_DIR [SEED] 784-256-128-10 on Fashion-MNIST
//   bench_workloads w3 DATA_DIR                     inference: batch-1 latency, batch-256 throughput,
//                                                   the user loop at batches 64, 256, 1024
//   bench_workloads w3serve DATA_DIR                the same passes one at a time, as stdin asks
//   bench_workloads w4 BLOCKS                       1024-1024-1024-10 at batch 256, GFLOP/s
// Threads follow DENSE_NUM_THREADS. Times are medians over repeats, epochs or rounds.
#include <dense/dense.hpp>
#include <dense/io/idx.hpp>

#include <cblas.h>
#include <pthread.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Processor time of the whole process (all threads): on a loaded machine, what the work cost
// rather than how long it waited for a core.
double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;  // Linux reports KiB
}

// W1: the Celsius → Fahrenheit lesson, 500 full-batch epochs, timed as a whole.
void celsius(int repeats, bool plain_sgd) {
    const auto celsius = dense::Matrix<float>::column({-40, -10, 0, 8, 15, 22, 38});
    const auto fahrenheit = dense::Matrix<float>::column({-40, 14, 32, 46, 59, 72, 100});
    constexpr int epochs = 500;
    std::vector<double> times;
    float prediction = 0;
    for (int r = 0; r < repeats; ++r) {
        dense::Sequential model({dense::Dense(1, {.input_dim = 1})});
        if (plain_sgd) model.compile(dense::SGD(0.0005), "mean_squared_error");
        else model.compile(dense::Adam(0.1), "mean_squared_error");
        const auto start = Clock::now();
        model.fit(celsius, fahrenheit, {.epochs = epochs, .batch_size = 7, .shuffle = false, .verbose = 0});
        times.push_back(seconds_since(start));
        prediction = model.predict(dense::Matrix<float>::column({100}))(0, 0);
    }
    std::printf("workload=w1 optimizer=%s seconds=%.9f us_per_epoch=%.4f prediction_100C=%.2f\n",
                plain_sgd ? "sgd" : "adam", median(times), median(times) / epochs * 1e6, prediction);
}

struct FashionMnist {
    dense::Matrix<float> x_train, y_train, x_test, y_test;
    explicit FashionMnist(const std::filesystem::path& dir)
        : x_train(dense::io::load_idx_images(dir / "train-images-idx3-ubyte.gz")),
          y_train(dense::io::load_idx_labels(dir / "train-labels-idx1-ubyte.gz")),
          x_test(dense::io::load_idx_images(dir / "t10k-images-idx3-ubyte.gz")),
          y_test(dense::io::load_idx_labels(dir / "t10k-labels-idx1-ubyte.gz")) {}
};

dense::Sequential mlp(std::size_t inputs, std::size_t hidden_1, std::size_t hidden_2, std::size_t classes,
                      std::uint64_t seed = 42) {
    dense::Sequential model({dense::Dense(hidden_1, "relu", {.input_dim = inputs}), dense::Dense(hidden_2, "relu"),
                             dense::Dense(classes, "softmax")},
                            {.seed = seed});
    model.compile(dense::Adam(0.001), "sparse_categorical_crossentropy", {"accuracy"});
    return model;
}

// W2: seconds per epoch (median), test accuracy after the last epoch, peak resident memory.
void fashion_training(std::size_t batch, int epochs, const std::filesystem::path& dir, std::uint64_t seed) {
    const FashionMnist data(dir);
    dense::Sequential model = mlp(784, 256, 128, 10, seed);
    std::vector<double> epoch_seconds, epoch_cpu_seconds;
    Clock::time_point epoch_start;
    double epoch_cpu_start = 0;
    dense::LambdaCallbackHooks<float> hooks;
    hooks.on_epoch_begin = [&](dense::Sequential&, int) {
        epoch_start = Clock::now();
        epoch_cpu_start = cpu_seconds();
    };
    hooks.on_epoch_end = [&](dense::Sequential&, int, const dense::Logs&) {
        epoch_seconds.push_back(seconds_since(epoch_start));
        epoch_cpu_seconds.push_back(cpu_seconds() - epoch_cpu_start);
    };
    auto timer = std::make_shared<dense::LambdaCallback>(hooks);
    model.fit(data.x_train, data.y_train, {.epochs = epochs, .batch_size = batch, .callbacks = {timer}, .verbose = 0});
    const dense::Logs test = model.evaluate(data.x_test, data.y_test, {.batch_size = 256});
    const double data_mib = (data.x_train.size() + data.y_train.size() + data.x_test.size() + data.y_test.size()) * 4.0 / (1 << 20);
    std::printf("workload=w2 batch=%zu threads=%zu seconds_per_epoch=%.4f cpu_seconds_per_epoch=%.4f first_epoch=%.4f "
                "test_accuracy=%.4f peak_rss_mib=%.1f data_mib=%.1f parameters=%zu\n",
                batch, dense::num_threads(), median(epoch_seconds), median(epoch_cpu_seconds), epoch_seconds.front(),
                test.at("accuracy"),
                peak_rss_mib(), data_mib, model.parameter_count());
}

// W3's passes over the test images, each timed on its own; `samples` of them a pass.
class InferencePasses {
public:
    static constexpr std::size_t single_rows = 2000;  // rows predicted one call each in a batch-1 pass

    explicit InferencePasses(const std::filesystem::path& dir) : data_(dir), model_(mlp(784, 256, 128, 10)) {
        model_.build(784);
    }
    std::size_t test_rows() const { return data_.x_test.rows(); }

    // Seconds to predict single_rows rows one call each, each row copied into the one-row input
    // first (a request served as it comes).
    double single_rows_pass() {
        dense::Matrix<float> one(1, 784);
        const auto start = Clock::now();
        for (std::size_t i = 0; i < single_rows; ++i) {
            std::copy_n(data_.x_test.row(i).data(), 784, one.data());
            model_.predict_into(one, out_, 1);
        }
        return seconds_since(start);
    }

    // Seconds to predict the test images in one call, in batches of 256.
    double one_call_pass() {
        const auto start = Clock::now();
        model_.predict_into(data_.x_test, out_, 256);
        return seconds_since(start);
    }

    // Seconds of the plain user loop: predict_into called once per batch of `batch` rows (a view
    // of the test images, as a PyTorch slice is).
    double user_loop_pass(std::size_t batch) {
        std::vector<dense::Matrix<float>> batches;
        for (std::size_t first = 0; first < test_rows(); first += batch)
            batches.push_back(dense::Matrix<float>::borrow(data_.x_test.row(first).data(),
                                                           std::min(batch, test_rows() - first), 784));
        const auto start = Clock::now();
        for (const auto& part : batches) model_.predict_into(part, out_, batch);
        return seconds_since(start);
    }

    // Seconds of evaluate (loss and accuracy) over the test images in batches of 256.
    double evaluate_pass() {
        const auto start = Clock::now();
        model_.evaluate(data_.x_test, data_.y_test, {.batch_size = 256});
        return seconds_since(start);
    }

    // One pass of `request` — batch1, batch256, evaluate256, loop64, loop256 or loop1024 — as
    // {samples, seconds}; samples 0 for any other request.
    std::pair<std::size_t, double> run(const std::string& request) {
        if (request == "batch1") return {single_rows, single_rows_pass()};
        if (request == "batch256") return {test_rows(), one_call_pass()};
        if (request == "evaluate256") return {test_rows(), evaluate_pass()};
        if (request == "loop64" || request == "loop256" || request == "loop1024")
            return {test_rows(), user_loop_pass(std::stoul(request.substr(4)))};
        return {0, 0.0};
    }

private:
    FashionMnist data_;
    dense::Sequential model_;
    dense::Matrix<float> out_;
};

const std::string w3_requests[] = {"batch1", "batch256", "evaluate256", "loop64", "loop256", "loop1024"};

// W3: one sample at a time (the latency of a call), batches of 256 in one call, evaluate at batch
// 256, and the plain user loop, one call per batch of 64, 256 and 1024 rows, on the test images;
// each pass 5 times, in turn; medians.
void fashion_inference(const std::filesystem::path& dir) {
    InferencePasses passes(dir);
    std::map<std::string, std::vector<double>> rates;
    for (int round = 0; round < 5; ++round)
        for (const auto& request : w3_requests) {
            const auto [samples, seconds] = passes.run(request);
            rates[request].push_back(samples / seconds);
        }
    std::printf("workload=w3 threads=%zu batch1_us=%.3f", dense::num_threads(), 1e6 / median(rates["batch1"]));
    for (const auto& request : w3_requests) std::printf(" %s_samples_per_s=%.0f", request.c_str(), median(rates[request]));
    std::printf("\n");
}

// The median round trip of one cache line between a thread on CPU 0 and one on CPU 1 (Linux),
// in nanoseconds: what one core's hand-off to the other costs at the moment. Some shared machines
// switch between about 0.1 and 0.4 µs from one few-second stretch to the next, which decides how
// much a second thread gains at batch 1.
double cross_core_round_trip_ns() {
    auto pin = [](int cpu) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    };
    constexpr int trips = 20000;
    alignas(64) std::atomic<int> ball{0};  // odd: CPU 1's turn to answer, even: CPU 0's
    std::thread answering([&] {
        pin(1);
        for (int served = 1; served < 2 * trips; served += 2) {
            while (ball.load(std::memory_order_acquire) != served) {}
            ball.store(served + 1, std::memory_order_release);
        }
    });
    cpu_set_t callers_cpus;
    pthread_getaffinity_np(pthread_self(), sizeof callers_cpus, &callers_cpus);
    pin(0);
    std::vector<double> times;
    for (int sent = 1; sent < 2 * trips; sent += 2) {
        const auto start = Clock::now();
        ball.store(sent, std::memory_order_release);
        while (ball.load(std::memory_order_acquire) != sent + 1) {}
        times.push_back(seconds_since(start) * 1e9);
    }
    answering.join();
    pthread_setaffinity_np(pthread_self(), sizeof callers_cpus, &callers_cpus);  // the passes run where they ran
    return median(times);
}

// W3 served one pass at a time, for bench/compare.py to interleave with PyTorch's passes so that
// both sides of a pair see the machine in the same state. Prints "ready", then answers each
// request line — batch1, batch256, evaluate256, loop64, loop256 or loop1024 — with "samples=N seconds=S",
// and "handoff" with "round_trip_ns=T" (cross_core_round_trip_ns).
void serve_inference(const std::filesystem::path& dir) {
    InferencePasses passes(dir);
    std::printf("ready\n");
    std::fflush(stdout);
    for (std::string request; std::getline(std::cin, request);) {
        if (request == "handoff") {
            std::printf("round_trip_ns=%.1f\n", cross_core_round_trip_ns());
        } else {
            const auto [samples, seconds] = passes.run(request);
            if (samples == 0)
                return void(std::fprintf(stderr, "bench_workloads w3serve: unknown request '%s'\n", request.c_str()));
            std::printf("samples=%zu seconds=%.9f\n", samples, seconds);
        }
        std::fflush(stdout);
    }
}

// The products of one W4 training step through OpenBLAS sgemm (OPENBLAS_NUM_THREADS threads):
// Z = X·W, dW = Xᵀ·dZ per layer and dX = dZ·Wᵀ for all but the first.
struct OpenBlasStep {
    static constexpr int batch = 256, widths[] = {1024, 1024, 1024, 10};
    std::vector<float> x = std::vector<float>(batch * 1024, 0.5f), z = std::vector<float>(batch * 1024),
                       w = std::vector<float>(1024 * 1024, 0.01f), dw = std::vector<float>(1024 * 1024);
    void operator()() {
        for (int l = 0; l < 3; ++l)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, widths[l + 1], widths[l], 1.0f, x.data(),
                        widths[l], w.data(), widths[l + 1], 0.0f, z.data(), widths[l + 1]);
        for (int l = 2; l >= 0; --l) {
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, widths[l], widths[l + 1], batch, 1.0f, x.data(),
                        widths[l], z.data(), widths[l + 1], 0.0f, dw.data(), widths[l + 1]);
            if (l > 0)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, widths[l], widths[l + 1], 1.0f, z.data(),
                            widths[l + 1], w.data(), widths[l + 1], 0.0f, x.data(), widths[l]);
        }
    }
};

// Seconds of each of `steps` calls of `step`.
template <class Step>
std::vector<double> step_times(int steps, Step& step) {
    std::vector<double> times;
    for (int s = 0; s < steps; ++s) {
        const auto start = Clock::now();
        step();
        times.push_back(seconds_since(start));
    }
    return times;
}

// W4: training steps of 1024-1024-1024-10 at batch 256 on random data, in blocks that alternate
// with blocks of the same products through OpenBLAS, so that a slow stretch of a shared machine
// falls on both sides. A pause follows each block: OpenBLAS's threads keep spinning for about
// 0.1 s after its last call, which would take a core from the next dense block. One step
// multiplies 2·b·Σ(in·out) for the forward pass, as much for dW, and again for dX of all but the
// first layer. Prints each side's median step as GFLOP/s and the median over blocks of the
// ratio of their median steps.
void wide_training(int blocks) {
    constexpr std::size_t batch = 256, width = 1024, classes = 10;
    constexpr int steps_per_block = 5;
    constexpr auto pause = std::chrono::milliseconds(200);
    dense::Rng rng(3);
    dense::Matrix<float> x(batch, width), y(batch, 1);
    for (auto& v : x.values()) v = static_cast<float>(rng.uniform());
    for (auto& v : y.values()) v = static_cast<float>(rng.below(classes));
    dense::Sequential model = mlp(width, width, width, classes);
    auto dense_step = [&] { model.train_on_batch(x, y); };
    OpenBlasStep openblas_step;
    dense_step();
    openblas_step();
    std::this_thread::sleep_for(pause);
    std::vector<double> dense_times, openblas_times, ratios;
    for (int b = 0; b < blocks; ++b) {
        const std::vector<double> ours = step_times(steps_per_block, dense_step);
        std::this_thread::sleep_for(pause);
        const std::vector<double> theirs = step_times(steps_per_block, openblas_step);
        std::this_thread::sleep_for(pause);
        ratios.push_back(median(theirs) / median(ours));
        dense_times.insert(dense_times.end(), ours.begin(), ours.end());
        openblas_times.insert(openblas_times.end(), theirs.begin(), theirs.end());
    }
    const double macs = double(width * width + width * width + width * classes);
    const double flops = 2.0 * batch * (3 * macs - width * width);
    std::printf("workload=w4 threads=%zu seconds_per_step=%.6f gflops=%.2f openblas_gflops=%.2f "
                "paired_ratio=%.4f\n",
                dense::num_threads(), median(dense_times), flops / median(dense_times) / 1e9,
                flops / median(openblas_times) / 1e9, median(ratios));
}

int usage() {
    std::fprintf(stderr, "usage: bench_workloads w1 REPEATS [sgd] | w2 BATCH EPOCHS DATA_DIR [SEED] | w3 DATA_DIR | w3serve DATA_DIR | w4 BLOCKS\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 2 && args[0] == "w1") celsius(std::stoi(args[1]), false);
    else if (args.size() == 3 && args[0] == "w1" && args[2] == "sgd") celsius(std::stoi(args[1]), true);
    else if ((args.size() == 4 || args.size() == 5) && args[0] == "w2")
        fashion_training(std::stoul(args[1]), std::stoi(args[2]), args[3], args.size() == 5 ? std::stoull(args[4]) : 42);
    else if (args.size() == 2 && args[0] == "w3") fashion_inference(args[1]);
    else if (args.size() == 2 && args[0] == "w3serve") serve_inference(args[1]);
    else if (args.size() == 2 && args[0] == "w4") wide_training(std::stoi(args[1]));
    else return usage();
}
