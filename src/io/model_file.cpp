// Model files: the layout is described in include/dense/io/model_file.hpp.
#include "dense/io/model_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>

#include "dense/error.hpp"
#include "dense/layers/activation_layer.hpp"
#include "dense/layers/dense.hpp"
#include "dense/layers/dropout.hpp"
#include "dense/optimizers/adagrad.hpp"
#include "dense/optimizers/adam.hpp"
#include "dense/optimizers/adamw.hpp"
#include "dense/optimizers/get_optimizer.hpp"
#include "dense/optimizers/nadam.hpp"
#include "dense/optimizers/rmsprop.hpp"
#include "dense/optimizers/sgd.hpp"

namespace dense::io {
namespace {

using nlohmann::json;

constexpr std::array<unsigned char, 8> magic = {0x89, 'D', 'N', 'S', 0x0D, 0x0A, 0x1A, 0x0A};
constexpr std::size_t preamble_size = 8 + 4 + 8;
constexpr std::size_t checksum_size = 4;

template <class T>
using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
constexpr const char* dtype_name() {
    return sizeof(T) == 4 ? "float32" : "float64";
}

// ---- little-endian bytes -------------------------------------------------------------------

template <class U>
void put_le(std::vector<std::byte>& out, U value) {
    for (std::size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xFF));
}

template <class U>
U get_le(std::span<const std::byte> bytes, std::size_t offset) {
    U value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) value |= static_cast<U>(std::to_integer<U>(bytes[offset + i]) << (8 * i));
    return value;
}

template <class T>
void put_values(std::vector<std::byte>& out, std::span<const T> values) {
    for (T v : values) put_le(out, std::bit_cast<Bits<T>>(v));
}

template <class T>
std::vector<T> get_values(std::span<const std::byte> bytes, std::size_t offset, std::size_t count) {
    std::vector<T> values(count);
    for (std::size_t i = 0; i < count; ++i) values[i] = std::bit_cast<T>(get_le<Bits<T>>(bytes, offset + i * sizeof(T)));
    return values;
}

// ---- JSON of the parts of a model ----------------------------------------------------------

json activation_json(const Activation& a) { return {{"name", a.name()}, {"alpha", a.alpha()}}; }
Activation activation_from(const json& j) {
    return Activation(Activation(j.at("name").get<std::string>()).kind(), j.at("alpha").get<double>());
}

json initializer_json(const Initializer& i) { return {{"name", i.name()}, {"a", i.a()}, {"b", i.b()}}; }
Initializer initializer_from(const json& j) {
    return Initializer(Initializer(j.at("name").get<std::string>()).kind(), j.at("a").get<double>(), j.at("b").get<double>());
}

json regularizer_json(const Regularizer& r) { return {{"l1", r.l1}, {"l2", r.l2}}; }
Regularizer regularizer_from(const json& j) { return {j.at("l1").get<double>(), j.at("l2").get<double>()}; }

template <class T>
json layer_json(const Layer<T>& layer) {
    json j{{"type", layer.type()}, {"name", layer.name()}};
    if (const auto* dense = dynamic_cast<const BasicDense<T>*>(&layer)) {
        const auto& o = dense->options();
        j["units"] = dense->units();
        j["input_dim"] = o.input_dim;
        j["activation"] = activation_json(o.activation);
        j["use_bias"] = o.use_bias;
        j["kernel_initializer"] = initializer_json(o.kernel_initializer);
        j["bias_initializer"] = initializer_json(o.bias_initializer);
        j["kernel_regularizer"] = regularizer_json(o.kernel_regularizer);
        j["bias_regularizer"] = regularizer_json(o.bias_regularizer);
    } else if (const auto* dropout = dynamic_cast<const BasicDropout<T>*>(&layer)) {
        j["rate"] = dropout->rate();
    } else if (const auto* activation = dynamic_cast<const BasicActivationLayer<T>*>(&layer)) {
        j["activation"] = activation_json(activation->activation());
    } else {
        throw UsageError("cannot save layer '" + layer.name() + "' of type " + std::string(layer.type()) +
                         ": model files hold Dense, Dropout and Activation layers");
    }
    return j;
}

template <class T>
std::unique_ptr<Layer<T>> layer_from(const json& j) {
    const auto type = j.at("type").get<std::string>();
    const auto name = j.at("name").get<std::string>();
    if (type == "Dense") {
        DenseOptions o{.input_dim = j.at("input_dim").get<std::size_t>(),
                       .activation = activation_from(j.at("activation")),
                       .use_bias = j.at("use_bias").get<bool>(),
                       .kernel_initializer = initializer_from(j.at("kernel_initializer")),
                       .bias_initializer = initializer_from(j.at("bias_initializer")),
                       .kernel_regularizer = regularizer_from(j.at("kernel_regularizer")),
                       .bias_regularizer = regularizer_from(j.at("bias_regularizer")),
                       .name = name};
        return std::make_unique<BasicDense<T>>(j.at("units").get<std::size_t>(), o);
    }
    if (type == "Dropout") return std::make_unique<BasicDropout<T>>(j.at("rate").get<double>(), name);
    if (type == "Activation") return std::make_unique<BasicActivationLayer<T>>(activation_from(j.at("activation")), name);
    throw DataError("unknown layer type '" + type + "' (this dense knows Dense, Dropout and Activation)");
}

json clipping_json(const GradientClipping& c) {
    return {{"clipnorm", c.clipnorm}, {"clipvalue", c.clipvalue}, {"global_clipnorm", c.global_clipnorm}};
}
GradientClipping clipping_from(const json& j) {
    if (j.is_null()) return {};
    return {j.value("clipnorm", 0.0), j.value("clipvalue", 0.0), j.value("global_clipnorm", 0.0)};
}

template <class T>
json optimizer_json(const BasicOptimizer<T>& optimizer) {
    const auto& lr = optimizer.learning_rate_schedule();
    if (lr.kind() != LearningRate::Kind::constant)
        throw UsageError("cannot save an optimizer with a learning-rate schedule yet; save with a constant learning rate");
    json j{{"name", optimizer.name()}, {"learning_rate", lr.initial()}, {"clipping", clipping_json(optimizer.clipping())}};
    if (const auto* adamw = dynamic_cast<const BasicAdamW<T>*>(&optimizer)) j["weight_decay"] = adamw->weight_decay();
    if (const auto* adam = dynamic_cast<const BasicAdam<T>*>(&optimizer)) {
        const auto& o = adam->options();
        j.update({{"beta_1", o.beta_1}, {"beta_2", o.beta_2}, {"epsilon", o.epsilon}, {"amsgrad", o.amsgrad}});
    } else if (const auto* sgd = dynamic_cast<const BasicSGD<T>*>(&optimizer)) {
        j.update({{"momentum", sgd->options().momentum}, {"nesterov", sgd->options().nesterov}});
    } else if (const auto* rms = dynamic_cast<const BasicRMSprop<T>*>(&optimizer)) {
        const auto& o = rms->options();
        j.update({{"rho", o.rho}, {"momentum", o.momentum}, {"epsilon", o.epsilon}, {"centered", o.centered}});
    } else if (const auto* adagrad = dynamic_cast<const BasicAdagrad<T>*>(&optimizer)) {
        const auto& o = adagrad->options();
        j.update({{"initial_accumulator_value", o.initial_accumulator_value}, {"epsilon", o.epsilon}});
    } else if (const auto* nadam = dynamic_cast<const BasicNadam<T>*>(&optimizer)) {
        const auto& o = nadam->options();
        j.update({{"beta_1", o.beta_1}, {"beta_2", o.beta_2}, {"epsilon", o.epsilon}});
    }
    return j;
}

// Missing options take Keras' defaults, so {"name": "adam", "learning_rate": 0.01} is enough.
template <class T>
std::unique_ptr<BasicOptimizer<T>> optimizer_from(const json& j) {
    const auto name = j.at("name").get<std::string>();
    const double lr = j.at("learning_rate").get<double>();
    const auto clipping = clipping_from(j.value("clipping", json()));
    if (name == "adam") {
        const AdamOptions d;
        return std::make_unique<BasicAdam<T>>(lr, AdamOptions{j.value("beta_1", d.beta_1), j.value("beta_2", d.beta_2),
                                                              j.value("epsilon", d.epsilon), j.value("amsgrad", d.amsgrad),
                                                              clipping});
    }
    if (name == "adamw") {
        const AdamWOptions d;
        return std::make_unique<BasicAdamW<T>>(
            lr, AdamWOptions{j.value("weight_decay", d.weight_decay), j.value("beta_1", d.beta_1), j.value("beta_2", d.beta_2),
                             j.value("epsilon", d.epsilon), j.value("amsgrad", d.amsgrad), clipping});
    }
    if (name == "sgd")
        return std::make_unique<BasicSGD<T>>(lr, SGDOptions{j.value("momentum", 0.0), j.value("nesterov", false), clipping});
    if (name == "rmsprop") {
        const RMSpropOptions d;
        return std::make_unique<BasicRMSprop<T>>(lr, RMSpropOptions{j.value("rho", d.rho), j.value("momentum", d.momentum),
                                                                    j.value("epsilon", d.epsilon),
                                                                    j.value("centered", d.centered), clipping});
    }
    if (name == "adagrad") {
        const AdagradOptions d;
        return std::make_unique<BasicAdagrad<T>>(
            lr, AdagradOptions{j.value("initial_accumulator_value", d.initial_accumulator_value),
                               j.value("epsilon", d.epsilon), clipping});
    }
    if (name == "nadam") {
        const NadamOptions d;
        return std::make_unique<BasicNadam<T>>(lr, NadamOptions{j.value("beta_1", d.beta_1), j.value("beta_2", d.beta_2),
                                                                j.value("epsilon", d.epsilon), clipping});
    }
    throw UsageError("unknown optimizer '" + name + "'; use one of: " + std::string(known_optimizer_names()));
}

json loss_json(const Loss& loss) {
    return {{"name", loss.name()}, {"from_logits", loss.from_logits()}, {"delta", loss.delta()}};
}
Loss loss_from(const json& j) {
    return Loss(Loss(j.at("name").get<std::string>()).kind(), j.at("from_logits").get<bool>(), j.at("delta").get<double>());
}

json progress_json(const TrainingProgress& p) {
    return {{"epochs_done", p.epochs_done},           {"seed", p.seed},
            {"batch_size", p.batch_size},             {"validation_split", p.validation_split},
            {"validation", p.validation},             {"early_stopping", p.early_stopping},
            {"reduce_lr", p.reduce_lr},               {"training_rows", p.training_rows}};
}
// Files before version 2 lack the last four: their runs split by the last rows, without early stopping.
TrainingProgress progress_from(const json& j) {
    return {j.at("epochs_done").get<int>(),          j.at("seed").get<std::uint64_t>(),
            j.at("batch_size").get<std::size_t>(),   j.at("validation_split").get<double>(),
            j.value("validation", "last_rows"),      j.value("early_stopping", 0),
            j.value("reduce_lr", 0),                 j.value("training_rows", std::size_t{0})};
}

// A callback's numbers in the header; its tensors are blocks, declared here by their shapes.
json callback_json(const CallbackState& state) {
    json shapes = json::array();
    for (const auto& t : state.tensors) shapes.push_back(t.shape);
    return {{"callback", state.callback}, {"values", state.values}, {"tensors", shapes}};
}

bool needs_version_2(const ModelFileExtras& extras) {
    return !extras.callbacks.empty() || (extras.preprocessing && !extras.preprocessing->target_scaling.empty());
}

// ---- saving --------------------------------------------------------------------------------

template <class T>
json header_json(const BasicSequential<T>& model, const ModelFileExtras& extras, const std::vector<Tensor<T>>& weights,
                 const OptimizerState<T>* state) {
    json layers = json::array();
    for (std::size_t i = 0; i < model.layer_count(); ++i) layers.push_back(layer_json(model.layer(i)));
    json shapes = json::array();
    for (const auto& w : weights) shapes.push_back(w.shape);
    json header{{"format", "dense model"},
                {"dtype", dtype_name<T>()},
                {"name", model.name()},
                {"seed", model.seed()},
                {"input_dim", model.input_dim()},
                {"layers", layers},
                {"weights", shapes}};
    if (model.compiled())
        header["compile"] = {{"optimizer", optimizer_json(model.optimizer())},
                             {"loss", loss_json(model.loss())},
                             {"metrics", model.metrics()}};
    if (state) {
        json slot_sizes = json::array();
        for (const auto& slot : state->slots) slot_sizes.push_back(slot.size());
        header["optimizer_state"] = {{"iterations", state->iterations}, {"scalars", state->scalars}, {"slots", slot_sizes}};
    }
    if (extras.preprocessing) header["preprocessing"] = to_json(*extras.preprocessing);
    if (extras.progress) header["training"] = progress_json(*extras.progress);
    if (!extras.callbacks.empty()) {
        header["callbacks"] = json::array();
        for (const auto& state : extras.callbacks) header["callbacks"].push_back(callback_json(state));
    }
    return header;
}

std::string system_error(const std::string& what, const std::filesystem::path& path) {
    return what + " '" + path.string() + "': " + std::strerror(errno);
}

void write_all(int fd, std::span<const std::byte> bytes, const std::filesystem::path& path) {
    while (!bytes.empty()) {
        const auto written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) throw DataError(system_error("cannot write", path) + "; check the free space and file size limits");
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
}

// Makes the rename itself durable; a folder that cannot be synced is not an error.
void sync_folder(const std::filesystem::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// ---- loading -------------------------------------------------------------------------------

// Reads the sizes the header declares without trusting them: each is checked against the
// bytes that are really there before anything of that size is allocated.
class BlockReader {
public:
    BlockReader(std::span<const std::byte> bytes, std::size_t offset, std::size_t end, std::size_t element_size)
        : bytes_(bytes), offset_(offset), end_(end), element_size_(element_size) {}

    std::size_t reserve(std::size_t count, const std::string& what) {
        const std::size_t left = (end_ - offset_) / element_size_;
        if (count > left)
            throw DataError(what + " declares " + std::to_string(count) + " values but only " + std::to_string(left) +
                            " remain in the file");
        const std::size_t at = offset_;
        offset_ += count * element_size_;
        return at;
    }
    bool at_end() const noexcept { return offset_ == end_; }
    std::span<const std::byte> bytes() const noexcept { return bytes_; }

private:
    std::span<const std::byte> bytes_;
    std::size_t offset_, end_, element_size_;
};

std::size_t checked_count(const std::vector<std::size_t>& shape, const std::string& what) {
    std::size_t count = 1;
    for (auto d : shape) {
        if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d)
            throw DataError(what + " has the impossible shape " + shape_string(shape));
        count *= d;
    }
    return count;
}

// The weight shapes the architecture implies: Dense kernel [inputs, units] and bias [units].
std::vector<std::vector<std::size_t>> implied_shapes(const json& layers, std::size_t input_dim) {
    std::vector<std::vector<std::size_t>> shapes;
    std::size_t width = input_dim;
    for (const auto& layer : layers) {
        if (layer.at("type").get<std::string>() != "Dense") continue;
        const auto units = layer.at("units").get<std::size_t>();
        shapes.push_back({width, units});
        if (layer.at("use_bias").get<bool>()) shapes.push_back({units});
        width = units;
    }
    return shapes;
}

template <class T>
std::vector<Tensor<T>> read_weights(const json& header, BlockReader& reader) {
    const auto declared = header.at("weights").get<std::vector<std::vector<std::size_t>>>();
    const auto input_dim = header.at("input_dim").get<std::size_t>();
    if (input_dim == 0) throw DataError("the input width is 0");
    if (declared != implied_shapes(header.at("layers"), input_dim))
        throw DataError("the weight shapes do not match the layers (Dense kernels must be [inputs, units], biases [units])");
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < declared.size(); ++i)
        offsets.push_back(reader.reserve(checked_count(declared[i], "weight " + std::to_string(i)),
                                         "weight " + std::to_string(i) + " " + shape_string(declared[i])));
    std::vector<Tensor<T>> weights;
    for (std::size_t i = 0; i < declared.size(); ++i)
        weights.emplace_back(declared[i], get_values<T>(reader.bytes(), offsets[i], Tensor<T>::element_count(declared[i])));
    return weights;
}

template <class T>
OptimizerState<T> read_optimizer_state(const json& j, BlockReader& reader, const std::vector<Tensor<T>>& weights) {
    OptimizerState<T> state{j.at("iterations").get<std::int64_t>(), j.at("scalars").get<std::vector<double>>(), {}};
    const auto sizes = j.at("slots").get<std::vector<std::size_t>>();
    if (weights.empty() ? !sizes.empty() : sizes.size() % weights.size() != 0)
        throw DataError("the optimizer state has " + std::to_string(sizes.size()) + " slots for " +
                        std::to_string(weights.size()) + " weights");
    const std::size_t per_weight = weights.empty() ? 0 : sizes.size() / weights.size();
    std::vector<std::size_t> offsets;
    for (std::size_t s = 0; s < sizes.size(); ++s) {
        if (sizes[s] != weights[s / per_weight].size())
            throw DataError("optimizer slot " + std::to_string(s) + " does not match the size of its weight");
        offsets.push_back(reader.reserve(sizes[s], "optimizer slot " + std::to_string(s)));
    }
    for (std::size_t s = 0; s < sizes.size(); ++s) state.slots.push_back(get_values<T>(reader.bytes(), offsets[s], sizes[s]));
    return state;
}

template <class T>
std::vector<CallbackState> read_callback_states(const json& j, BlockReader& reader) {
    std::vector<CallbackState> states;
    for (const auto& c : j) {
        CallbackState state{c.at("callback").get<std::string>(), c.at("values").get<std::map<std::string, double>>(), {}};
        for (const auto& shape : c.at("tensors").get<std::vector<std::vector<std::size_t>>>()) {
            const std::string what = state.callback + " tensor " + shape_string(shape);
            const std::size_t count = checked_count(shape, what);
            const auto values = get_values<T>(reader.bytes(), reader.reserve(count, what), count);
            state.tensors.emplace_back(shape, std::vector<double>(values.begin(), values.end()));
        }
        states.push_back(std::move(state));
    }
    return states;
}

void check_preprocessing_fits(const Preprocessing& p, std::size_t input_dim, std::size_t output_dim) {
    if (p.input_width() != input_dim)
        throw DataError("the preprocessing makes " + std::to_string(p.input_width()) + " inputs but the model takes " +
                        std::to_string(input_dim));
    const bool fits = p.task == Task::regression ? output_dim == p.targets.size()
                                                 : output_dim == p.classes.size() || (output_dim == 1 && p.classes.size() == 2);
    if (!fits)
        throw DataError("the model has " + std::to_string(output_dim) + " outputs, which does not fit its " +
                        std::string(task_name(p.task)) + " targets");
}

template <class T>
BasicModelFile<T> model_from_header(const json& header, BlockReader& reader) {
    if (header.at("dtype").get<std::string>() != dtype_name<T>())
        throw DataError("it holds a " + header.at("dtype").get<std::string>() + " model; load it as " +
                        header.at("dtype").get<std::string>());
    auto weights = read_weights<T>(header, reader);
    std::optional<OptimizerState<T>> state;
    if (header.contains("optimizer_state")) state = read_optimizer_state(header.at("optimizer_state"), reader, weights);
    std::vector<CallbackState> callbacks;
    if (header.contains("callbacks")) callbacks = read_callback_states<T>(header.at("callbacks"), reader);
    if (!reader.at_end()) throw DataError("there are bytes after the last block the header declares");

    BasicSequential<T> model(SequentialOptions{header.at("name").get<std::string>(), header.at("seed").get<std::uint64_t>()});
    for (const auto& layer : header.at("layers")) model.add(layer_from<T>(layer));
    model.build(header.at("input_dim").get<std::size_t>());
    model.set_weights(weights);
    if (header.contains("compile")) {
        const auto& c = header.at("compile");
        model.compile(*optimizer_from<T>(c.at("optimizer")), loss_from(c.at("loss")),
                      c.at("metrics").get<std::vector<std::string>>());
        if (state) model.optimizer().set_state(std::move(*state));
    }
    ModelFileExtras extras;
    extras.include_optimizer_state = state.has_value();
    if (header.contains("preprocessing")) {
        extras.preprocessing = preprocessing_from_json(header.at("preprocessing"));
        check_preprocessing_fits(*extras.preprocessing, model.input_dim(), model.output_dim());
    }
    if (header.contains("training")) extras.progress = progress_from(header.at("training"));
    extras.callbacks = std::move(callbacks);
    return {std::move(model), std::move(extras)};
}

void check_preamble(std::span<const std::byte> bytes, const std::string& source, const LoadOptions& options) {
    if (!bytes.empty() && std::memcmp(bytes.data(), magic.data(), std::min(bytes.size(), magic.size())) != 0)
        throw DataError(source + " is not a dense model file (its first bytes are not the model-file signature); "
                                 "pass a file written by `dense train` or dense::io::save_model");
    if (bytes.size() < preamble_size + checksum_size)
        throw DataError(source + " is truncated: " + std::to_string(bytes.size()) +
                        " bytes is shorter than any model file; write it again");
    const auto version = get_le<std::uint32_t>(bytes, 8);
    if (version > model_format_version)
        throw DataError(source + " was made by a newer dense (format " + std::to_string(version) + "); this dense reads format " +
                        std::to_string(model_format_version) + " and older, so upgrade dense");
    if (version == 0) throw DataError(source + " declares format version 0, which does not exist; the file is damaged");
    const auto body = bytes.first(bytes.size() - checksum_size);
    if (options.verify_checksum && crc32(body) != get_le<std::uint32_t>(bytes, body.size()))
        throw DataError(source + " is damaged or truncated: its CRC-32 checksum does not match its contents; "
                                 "use a good copy of the file");
}

std::vector<std::byte> read_whole_file(const std::filesystem::path& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw DataError("'" + path.string() + "' is a folder, not a model file; pass the path of a .dense file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(system_error("cannot open the model file", path) + "; check the path");
    std::vector<std::byte> bytes;
    std::array<char, 1 << 16> buffer;
    while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
        const auto* begin = reinterpret_cast<const std::byte*>(buffer.data());
        bytes.insert(bytes.end(), begin, begin + in.gcount());
    }
    if (in.bad()) throw DataError(system_error("cannot read the model file", path));
    return bytes;
}

}  // namespace

std::uint32_t crc32(std::span<const std::byte> bytes) noexcept {
    uLong crc = ::crc32(0L, Z_NULL, 0);
    constexpr std::size_t chunk = 1u << 30;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const auto n = std::min(chunk, bytes.size() - at);
        crc = ::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n));
    }
    return static_cast<std::uint32_t>(crc);
}

template <class T>
std::vector<std::byte> serialize_model(const BasicSequential<T>& model, const ModelFileExtras& extras) {
    if (!model.built()) throw UsageError("cannot save model '" + model.name() + "' before it is built; fit it or call build(input_dim)");
    const auto weights = model.get_weights();
    std::optional<OptimizerState<T>> state;
    if (extras.include_optimizer_state && model.compiled()) state = model.optimizer().state();
    const std::string header = header_json(model, extras, weights, state ? &*state : nullptr).dump();

    std::vector<std::byte> out;
    for (auto byte : magic) out.push_back(static_cast<std::byte>(byte));
    put_le(out, needs_version_2(extras) ? model_format_version : std::uint32_t{1});
    put_le(out, static_cast<std::uint64_t>(header.size()));
    for (char c : header) out.push_back(static_cast<std::byte>(c));
    for (const auto& w : weights) put_values<T>(out, w.values);
    if (state)
        for (const auto& slot : state->slots) put_values<T>(out, slot);
    for (const auto& callback : extras.callbacks)
        for (const auto& tensor : callback.tensors) {
            const std::vector<T> values(tensor.values.begin(), tensor.values.end());
            put_values<T>(out, values);
        }
    put_le(out, crc32(out));
    return out;
}

template <class T>
BasicModelFile<T> deserialize_model(std::span<const std::byte> bytes, const std::string& source, LoadOptions options) {
    check_preamble(bytes, source, options);
    const std::size_t end = bytes.size() - checksum_size;
    const auto header_size = get_le<std::uint64_t>(bytes, 12);
    if (header_size > end - preamble_size)
        throw DataError(source + " is damaged: its header length " + std::to_string(header_size) + " runs past the end of the file");
    const auto* text = reinterpret_cast<const char*>(bytes.data() + preamble_size);
    try {
        const auto header = json::parse(text, text + header_size);
        BlockReader reader(bytes, preamble_size + header_size, end, sizeof(T));
        return model_from_header<T>(header, reader);
    } catch (const json::exception& e) {
        throw DataError(source + " has an invalid header: " + e.what() + "; the file is damaged");
    } catch (const DataError& e) {
        throw DataError(source + " is not a valid model file: " + e.what());
    } catch (const Error& e) {
        throw DataError(source + " describes a model dense cannot build: " + e.what());
    }
}

template <class T>
void save_model(const BasicSequential<T>& model, const std::filesystem::path& path, const ModelFileExtras& extras) {
    write_file_atomically(path, serialize_model(model, extras));
}

template <class T>
BasicModelFile<T> load_model(const std::filesystem::path& path) {
    return deserialize_model<T>(read_whole_file(path), path.string());
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes) {
    const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string hidden_name = ".";
    hidden_name += path.filename().string();
    hidden_name += ".tmp-XXXXXX";
    std::string temporary = (folder / hidden_name).string();
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0) throw DataError(system_error("cannot create a temporary file in", folder) + "; check that the folder exists and is writable");
    try {
        write_all(fd, bytes, path);
        if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) throw DataError(system_error("cannot flush", path));
    } catch (...) {
        ::close(fd);
        ::unlink(temporary.c_str());
        throw;
    }
    if (::close(fd) != 0) {
        const std::string message = system_error("cannot finish writing", path);
        ::unlink(temporary.c_str());
        throw DataError(message);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string message = system_error("cannot replace", path);
        ::unlink(temporary.c_str());
        throw DataError(message + "; check that the path is not a folder");
    }
    sync_folder(folder);
}

template std::vector<std::byte> serialize_model<float>(const BasicSequential<float>&, const ModelFileExtras&);
template std::vector<std::byte> serialize_model<double>(const BasicSequential<double>&, const ModelFileExtras&);
template BasicModelFile<float> deserialize_model<float>(std::span<const std::byte>, const std::string&, LoadOptions);
template BasicModelFile<double> deserialize_model<double>(std::span<const std::byte>, const std::string&, LoadOptions);
template void save_model<float>(const BasicSequential<float>&, const std::filesystem::path&, const ModelFileExtras&);
template void save_model<double>(const BasicSequential<double>&, const std::filesystem::path&, const ModelFileExtras&);
template BasicModelFile<float> load_model<float>(const std::filesystem::path&);
template BasicModelFile<double> load_model<double>(const std::filesystem::path&);

}  // namespace dense::io
