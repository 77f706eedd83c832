#include "dense/tune/hyperparameters.hpp"

#include <string>

#include "dense/layers/dense.hpp"
#include "dense/optimizers/get_optimizer.hpp"
#include "dense/layers/dropout.hpp"
#include "dense/tune/format.hpp"

namespace dense::tune {

std::string describe_architecture(const Hyperparameters& hyperparameters) {
    if (hyperparameters.hidden_units.empty()) return "no hidden layer";
    std::string text;
    for (std::size_t units : hyperparameters.hidden_units) {
        if (!text.empty()) text += " → ";
        text += std::to_string(units) + " " + hyperparameters.activation;
    }
    return text;
}

std::string describe_training(const Hyperparameters& hyperparameters) {
    std::string text = hyperparameters.optimizer + " lr " + format_significant(hyperparameters.learning_rate) +
                       ", batch " + std::to_string(hyperparameters.batch_size);
    if (hyperparameters.dropout > 0.0 && !hyperparameters.hidden_units.empty())
        text += ", dropout " + format_significant(hyperparameters.dropout);
    if (hyperparameters.l2 > 0.0) text += ", l2 " + format_significant(hyperparameters.l2);
    return text;
}

std::size_t parameter_count(const Hyperparameters& hyperparameters, std::size_t inputs, std::size_t outputs) {
    std::size_t count = 0, width = inputs;
    for (std::size_t units : hyperparameters.hidden_units) {
        count += (width + 1) * units;  // kernel [width, units] and bias [units]
        width = units;
    }
    return count + (width + 1) * outputs;
}

Sequential make_model(const Hyperparameters& hyperparameters, std::size_t inputs, const Objective& objective,
                      std::uint64_t seed) {
    const Regularizer penalty = regularizers::l2(hyperparameters.l2);
    Sequential model({.name = "tuned", .seed = seed});
    for (std::size_t units : hyperparameters.hidden_units) {
        model.add(Dense(units, Activation(hyperparameters.activation),
                        {.input_dim = model.layer_count() == 0 ? inputs : 0, .kernel_regularizer = penalty}));
        if (hyperparameters.dropout > 0.0) model.add(Dropout(hyperparameters.dropout));
    }
    model.add(Dense(objective.output_units(), objective.output_activation(),
                    {.input_dim = model.layer_count() == 0 ? inputs : 0, .kernel_regularizer = penalty}));
    model.compile(*get_optimizer<float>(hyperparameters.optimizer, hyperparameters.learning_rate), objective.loss(),
                  {objective.task == io::Task::classification ? "accuracy" : "mae"});
    return model;
}

}  // namespace dense::tune
