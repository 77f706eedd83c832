// Every field of a model file's header checked for presence, type and range (see
// model_file_validation.hpp). The ranges are the library's (what its constructors accept) and the
// command line's: a batch size of at least 1, a validation split in [0, 1), whole numbers where
// counts go.
#include "model_file_validation.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include "dense/error.hpp"
#include "dense/printable.hpp"

namespace dense::io::detail {
namespace {

using nlohmann::json;

constexpr std::uint64_t max_width = std::uint64_t(1) << 31;         // units and inputs of a layer
constexpr std::uint64_t max_exact_count = std::uint64_t(1) << 53;   // a step count a double holds exactly
constexpr std::uint64_t max_epochs = std::numeric_limits<int>::max();
constexpr double unbounded = std::numeric_limits<double>::infinity();
constexpr double largest = std::numeric_limits<double>::max();

// One field of the header and its path for messages ("compile.optimizer.learning_rate").
class Field {
public:
    Field(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

    Field operator[](const char* key) const {
        object();
        const auto found = value_.find(key);
        if (found == value_.end()) throw DataError(child_path(key) + " is missing");
        return {*found, child_path(key)};
    }
    std::optional<Field> optional(const char* key) const {
        object();
        const auto found = value_.find(key);
        if (found == value_.end() || found->is_null()) return std::nullopt;
        return Field(*found, child_path(key));
    }
    std::vector<Field> items() const {
        if (!value_.is_array()) fail("a list");
        std::vector<Field> items;
        for (std::size_t i = 0; i < value_.size(); ++i) items.emplace_back(value_[i], path_ + "[" + std::to_string(i) + "]");
        return items;
    }

    std::uint64_t whole(std::uint64_t low, std::uint64_t high) const {
        const bool inside = value_.is_number_unsigned() && value_.get<std::uint64_t>() >= low &&
                            value_.get<std::uint64_t>() <= high;
        if (!inside) fail("a whole number from " + std::to_string(low) + " to " + std::to_string(high));
        return value_.get<std::uint64_t>();
    }
    // A finite number in [low, high], or in [low, high) when `high_open`; (low, …] when `low_open`.
    double number(double low, double high, bool low_open = false, bool high_open = false) const {
        const double x = value_.is_number() ? value_.get<double>() : std::nan("");
        const bool inside = std::isfinite(x) && (low_open ? x > low : x >= low) && (high_open ? x < high : x <= high);
        if (!inside) fail("a finite number" + interval(low, high, low_open, high_open));
        return x;
    }
    bool boolean() const {
        if (!value_.is_boolean()) fail("true or false");
        return value_.get<bool>();
    }
    const std::string& text() const {
        if (!value_.is_string()) fail("a text in quotes");
        return value_.get_ref<const std::string&>();
    }
    void text_of_list() const {
        for (const auto& item : items()) item.text();
    }
    // Names that are all different, as columns and classes must be.
    void distinct_texts() const {
        std::set<std::string> seen;
        for (const auto& item : items())
            if (!seen.insert(item.text()).second) item.fail("different from the other names in the list");
    }

    const json& raw() const noexcept { return value_; }

    [[noreturn]] void fail(const std::string& expected) const {
        throw DataError(path_ + " must be " + expected + ", got " + printable(value_.dump(), 40));
    }

private:
    void object() const {
        if (!value_.is_object()) fail("an object of named fields");
    }
    std::string child_path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
    static std::string interval(double low, double high, bool low_open, bool high_open) {
        if (low == -largest && high == largest) return "";
        if (high == unbounded) return std::string(low_open ? " above " : " of at least ") + format(low);
        return " in " + std::string(low_open ? "(" : "[") + format(low) + ", " + format(high) + (high_open ? ")" : "]");
    }
    static std::string format(double x) {
        std::string text = std::to_string(x);
        text.erase(text.find_last_not_of('0') + 1);
        if (text.ends_with('.')) text.pop_back();
        return text;
    }

    const json& value_;
    std::string path_;
};

double finite(const Field& f) { return f.number(-largest, largest); }
double non_negative(const Field& f) { return f.number(0, unbounded); }
double positive(const Field& f) { return f.number(0, unbounded, true); }
double fraction(const Field& f) { return f.number(0, 1, false, true); }  // [0, 1)
double unit_interval(const Field& f) { return f.number(0, 1); }          // [0, 1]

// relu_general's negative slope (alpha), threshold and max_value (absent or null: none) are ≥ 0.
void validate_activation(const Field& f) {
    if (f["name"].text() != "relu_general") return void(finite(f["alpha"]));
    non_negative(f["alpha"]);
    non_negative(f["threshold"]);
    if (const auto max_value = f.optional("max_value")) non_negative(*max_value);
}

void validate_initializer(const Field& f) {
    f["name"].text();
    finite(f["a"]);
    finite(f["b"]);
}

void validate_regularizer(const Field& f) {
    non_negative(f["l1"]);
    non_negative(f["l2"]);
}

void validate_layer(const Field& layer) {
    const auto& type = layer["type"].text();
    layer["name"].text();
    if (const auto trainable = layer.optional("trainable")) trainable->boolean();
    if (type == "Dense") {
        layer["units"].whole(1, max_width);
        layer["input_dim"].whole(0, max_width);
        validate_activation(layer["activation"]);
        layer["use_bias"].boolean();
        validate_initializer(layer["kernel_initializer"]);
        validate_initializer(layer["bias_initializer"]);
        validate_regularizer(layer["kernel_regularizer"]);
        validate_regularizer(layer["bias_regularizer"]);
    } else if (type == "Dropout") {
        fraction(layer["rate"]);
    } else if (type == "Activation") {
        validate_activation(layer["activation"]);
    } else {
        layer["type"].fail("Dense, Dropout or Activation (the layers this dense knows)");
    }
}

// A constant rate ≥ 0, or a schedule (format 4) with the ranges LearningRate's constructors accept.
void validate_learning_rate(const Field& lr) {
    if (!lr.raw().is_object()) return void(non_negative(lr));
    const auto& name = lr["class_name"].text();
    const auto config = lr["config"];
    if (name == "PiecewiseConstantDecay") {
        for (const auto& boundary : config["boundaries"].items()) finite(boundary);
        for (const auto& value : config["values"].items()) non_negative(value);
        return;
    }
    non_negative(config["initial_learning_rate"]);
    positive(config["decay_steps"]);
    if (name == "ExponentialDecay") {
        non_negative(config["decay_rate"]);
        config["staircase"].boolean();
    } else if (name == "CosineDecay") {
        unit_interval(config["alpha"]);
    } else {
        lr["class_name"].fail("ExponentialDecay, CosineDecay or PiecewiseConstantDecay (the schedules this dense knows)");
    }
}

// The ranges the optimizers' constructors accept (src/option_range.hpp), so what trains also loads.
void validate_optimizer(const Field& optimizer) {
    optimizer["name"].text();
    validate_learning_rate(optimizer["learning_rate"]);
    if (const auto clipping = optimizer.optional("clipping")) {
        int kinds_on = 0;  // Keras clips one way at most
        for (const char* key : {"clipnorm", "clipvalue", "global_clipnorm"})
            if (const auto threshold = clipping->optional(key)) kinds_on += non_negative(*threshold) > 0;
        if (kinds_on > 1) clipping->fail("at most one of clipnorm, clipvalue and global_clipnorm above 0");
    }
    for (const char* key : {"beta_1", "beta_2"})
        if (const auto f = optimizer.optional(key)) fraction(*f);
    for (const char* key : {"rho", "momentum"})
        if (const auto f = optimizer.optional(key)) unit_interval(*f);
    for (const char* key : {"weight_decay", "initial_accumulator_value"})
        if (const auto f = optimizer.optional(key)) non_negative(*f);
    if (const auto epsilon = optimizer.optional("epsilon")) non_negative(*epsilon);
    for (const char* key : {"amsgrad", "nesterov", "centered"})
        if (const auto f = optimizer.optional(key)) f->boolean();
}

void validate_compile(const Field& compile) {
    validate_optimizer(compile["optimizer"]);
    const auto loss = compile["loss"];
    loss["name"].text();
    loss["from_logits"].boolean();
    positive(loss["delta"]);
    compile["metrics"].text_of_list();
}

void validate_optimizer_state(const Field& state) {
    state["iterations"].whole(0, max_exact_count);
    for (const auto& scalar : state["scalars"].items())
        finite(scalar);
    for (const auto& size : state["slots"].items()) size.whole(0, std::numeric_limits<std::uint64_t>::max());
}

void validate_feature(const Field& feature) {
    feature["name"].text();
    if (const auto categories = feature.optional("categories")) {
        categories->distinct_texts();
        for (const char* key : {"fill", "most_frequent"})
            if (const auto category = feature.optional(key)) category->text();
        return;
    }
    finite(feature["mean"]);
    positive(feature["stddev"]);
    for (const char* key : {"fill", "median"})
        if (const auto value = feature.optional(key))
            finite(*value);
}

void validate_preprocessing(const Field& preprocessing) {
    preprocessing["task"].text();
    preprocessing["targets"].distinct_texts();
    preprocessing["classes"].distinct_texts();
    std::set<std::string> names;
    for (const auto& feature : preprocessing["features"].items()) {
        validate_feature(feature);
        if (!names.insert(feature["name"].text()).second) feature["name"].fail("a name no other feature has");
    }
    if (const auto scaling = preprocessing.optional("target_scaling"))
        for (const auto& scale : scaling->items()) {
            finite(scale["mean"]);
            positive(scale["stddev"]);
        }
}

void validate_training(const Field& training) {
    training["epochs_done"].whole(0, max_epochs);
    training["seed"].whole(0, std::numeric_limits<std::uint64_t>::max());
    training["batch_size"].whole(1, max_width);
    fraction(training["validation_split"]);
    if (const auto validation = training.optional("validation")) validation->text();
    for (const char* patience : {"early_stopping", "reduce_lr"})
        if (const auto value = training.optional(patience)) value->whole(0, max_epochs);
    if (const auto rows = training.optional("training_rows")) rows->whole(0, std::numeric_limits<std::uint64_t>::max());
    if (const auto members = training.optional("member_epochs"))
        for (const auto& epochs : members->items()) epochs.whole(0, max_epochs);
    if (const auto processes = training.optional("processes")) processes->whole(1, max_width);
}

void validate_callback(const Field& callback) {
    callback["callback"].text();
    const auto values = callback["values"];
    if (!values.raw().is_object()) values.fail("an object of named numbers");
    for (const auto& [key, value] : values.raw().items()) finite(values[key.c_str()]);
    for (const auto& shape : callback["tensors"].items())
        for (const auto& extent : shape.items()) extent.whole(0, max_width);
}

}  // namespace

void validate_header(const json& header) {
    const Field root(header, "");
    if (root["format"].text() != "dense model") root["format"].fail("\"dense model\"");
    root["dtype"].text();
    root["name"].text();
    root["seed"].whole(0, std::numeric_limits<std::uint64_t>::max());
    root["input_dim"].whole(1, max_width);
    const auto layers = root["layers"].items();
    for (const auto& layer : layers) validate_layer(layer);
    for (const auto& shape : root["weights"].items())
        for (const auto& extent : shape.items()) extent.whole(0, max_width);
    if (const auto compile = root.optional("compile")) validate_compile(*compile);
    if (const auto state = root.optional("optimizer_state")) validate_optimizer_state(*state);
    if (const auto preprocessing = root.optional("preprocessing")) validate_preprocessing(*preprocessing);
    if (const auto training = root.optional("training")) validate_training(*training);
    if (const auto callbacks = root.optional("callbacks"))
        for (const auto& callback : callbacks->items()) validate_callback(callback);
}

template <class T>
void require_finite(std::span<const T> values, const std::string& what) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throw DataError(what + " holds " + (std::isnan(values[i]) ? "NaN" : "an infinite value") + " at position " +
                            std::to_string(i) + ", so every prediction would be NaN; the training that wrote it diverged: "
                            "train again, with a lower learning rate");
}

template void require_finite<float>(std::span<const float>, const std::string&);
template void require_finite<double>(std::span<const double>, const std::string&);

}  // namespace dense::io::detail
