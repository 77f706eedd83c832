// W1 with FANN (libfann-dev), the fastest C anchor on the Celsius lesson: one linear neuron,
// 500 epochs over the 7 samples with FANN's default training (iRPROP−, full batch).
//   bench_fann REPEATS
#include <floatfann.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 21;
    constexpr int epochs = 500;
    float celsius[] = {-40, -10, 0, 8, 15, 22, 38};
    float fahrenheit[] = {-40, 14, 32, 46, 59, 72, 100};
    fann_train_data* data = fann_create_train(7, 1, 1);
    for (unsigned i = 0; i < 7; ++i) {
        data->input[i][0] = celsius[i];
        data->output[i][0] = fahrenheit[i];
    }
    std::vector<double> times;
    float prediction = 0;
    for (int r = 0; r < repeats; ++r) {
        fann* net = fann_create_standard(2, 1, 1);
        fann_set_activation_function_output(net, FANN_LINEAR);
        const auto start = std::chrono::steady_clock::now();
        for (int e = 0; e < epochs; ++e) fann_train_epoch(net, data);
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        float hundred = 100;
        prediction = fann_run(net, &hundred)[0];
        fann_destroy(net);
    }
    fann_destroy_train(data);
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    std::printf("workload=w1_fann seconds=%.9f us_per_epoch=%.4f prediction_100C=%.2f\n", median, median / epochs * 1e6,
                prediction);
}
