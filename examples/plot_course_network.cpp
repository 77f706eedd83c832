// The course's 4-4-1 network — Dense(4) → Dense(4) → Dense(1) trained on Celsius → Fahrenheit
// with Adam(0.1) and mse for 500 epochs — drawn as a diagram, with its training curve, weight
// maps and an HTML report (dense::plot). Pictures go to the folder given (default docs/images).
// Build: ninja -C build example_plot_course_network; run: build/examples/plot_course_network docs/images
#include <dense/dense.hpp>
#include <dense/plot/plot.hpp>

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
    const std::filesystem::path folder = argc > 1 ? argv[1] : "docs/images";
    std::filesystem::create_directories(folder);

    const auto celsius = dense::Matrix<float>::column({-40, -10, 0, 8, 15, 22, 38});
    const auto fahrenheit = dense::Matrix<float>::column({-40, 14, 32, 46, 59, 72, 100});
    dense::Sequential model({dense::Dense(4, {.input_dim = 1}), dense::Dense(4), dense::Dense(1)});
    model.compile(dense::Adam(0.1), "mse");
    const dense::History history = model.fit(celsius, fahrenheit, {.epochs = 500, .verbose = 0});

    dense::plot::network_diagram(model, folder / "course_441_network.svg");
    dense::plot::network_diagram(model, folder / "course_441_network.png");
    dense::plot::training_curves(history, folder / "course_441_loss.png", {.log_scale = true});
    dense::plot::weight_maps(model, folder / "course_441_weights.png");
    dense::plot::html_report(model, folder / "course_441_report.html", {.history = history});
    std::cout << "loss after 500 epochs: " << history["loss"].back() << "; 100 C is "
              << model.predict(dense::Matrix<float>::column({100}))(0, 0) << " F\n"
              << "wrote course_441_network.svg/.png, course_441_loss.png, course_441_weights.png and "
                 "course_441_report.html in "
              << folder << "\n";
}
