// Model files: the layout is described in include/dense/io/model_file.hpp. This file writes
// and reads it; the JSON of each part is in model_file_schema.cpp, the checks of every header
// field in model_file_validation.cpp.
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
#include <limits>
#include <map>

#include "dense/error.hpp"
#include "dense/memory.hpp"
#include "dense/printable.hpp"
#include "model_file_schema.hpp"
#include "model_file_validation.hpp"

namespace dense::io {
namespace {

using nlohmann::json;
using detail::callback_json, detail::layer_from, detail::layer_json, detail::loss_from, detail::loss_json, detail::optimizer_from,
    detail::optimizer_json, detail::progress_from, detail::progress_json;

constexpr std::array<unsigned char, 8> magic = {0x89, 'D', 'N', 'S', 0x0D, 0x0A, 0x1A, 0x0A};
constexpr std::size_t preamble_size = 8 + 4 + 8;
constexpr std::size_t checksum_size = 4;
// A version above this is a damaged field, not a file from a newer dense.
constexpr std::uint32_t max_plausible_format_version = 255;

template <class T>
using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
constexpr const char* dtype_name() {
    return sizeof(T) == 4 ? "float32" : "float64";
}

// ---- little-endian bytes -------------------------------------------------------------------

template <class U>
U get_le(std::span<const std::byte> bytes, std::size_t offset) {
    U value = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) value |= static_cast<U>(std::to_integer<U>(bytes[offset + i]) << (8 * i));
    return value;
}

template <class T>
std::vector<T> get_values(std::span<const std::byte> bytes, std::size_t offset, std::size_t count) {
    std::vector<T> values(count);
    for (std::size_t i = 0; i < count; ++i) values[i] = std::bit_cast<T>(get_le<Bits<T>>(bytes, offset + i * sizeof(T)));
    return values;
}

// ---- saving --------------------------------------------------------------------------------

// The shapes of the model's weights, in file order (one layer's weights copied at a time).
template <class T>
std::vector<std::vector<std::size_t>> weight_shapes(const BasicSequential<T>& model) {
    std::vector<std::vector<std::size_t>> shapes;
    for (std::size_t i = 0; i < model.layer_count(); ++i)
        for (const auto& w : model.layer(i).get_weights()) shapes.push_back(w.shape);
    return shapes;
}

// The optimizer keeps its slots for the weights of trainable layers: a layer frozen or unfrozen
// since the last fit leaves it with the slots of other weights, which the file could not tell apart.
template <class T>
void require_state_of_trainable_weights(const BasicSequential<T>& model) {
    const auto& slots = model.optimizer().slots();
    std::vector<std::size_t> sizes;  // of the trainable weights
    for (std::size_t i = 0; i < model.layer_count(); ++i)
        if (model.layer(i).trainable())
            for (const auto& w : model.layer(i).get_weights()) sizes.push_back(w.size());
    const std::size_t per = sizes.empty() ? 0 : slots.size() / sizes.size();
    bool fits = sizes.empty() ? slots.empty() : slots.size() == per * sizes.size();
    for (std::size_t s = 0; fits && s < slots.size(); ++s) fits = slots[s].size() == sizes[s / per];
    if (!fits)
        throw UsageError("cannot save the optimizer state of model '" + model.name() +
                         "': it belongs to the layers trainable before some layer was frozen or unfrozen; fit once "
                         "more or compile again before saving it");
}

template <class T>
json header_json(const BasicSequential<T>& model, const ModelFileExtras& extras, bool with_optimizer_state) {
    json layers = json::array();
    for (std::size_t i = 0; i < model.layer_count(); ++i) layers.push_back(layer_json(model.layer(i)));
    json header{{"format", "dense model"},
                {"dtype", dtype_name<T>()},
                {"name", model.name()},
                {"seed", model.seed()},
                {"input_dim", model.input_dim()},
                {"layers", layers},
                {"weights", weight_shapes(model)}};
    if (model.compiled())
        header["compile"] = {{"optimizer", optimizer_json(model.optimizer())},
                             {"loss", loss_json(model.loss())},
                             {"metrics", model.metrics()}};
    if (with_optimizer_state) {
        const auto& optimizer = model.optimizer();
        require_state_of_trainable_weights(model);
        json slot_sizes = json::array();
        for (const auto& slot : optimizer.slots()) slot_sizes.push_back(slot.size());
        header["optimizer_state"] = {
            {"iterations", optimizer.iterations()}, {"scalars", optimizer.scalars()}, {"slots", slot_sizes}};
    }
    if (extras.preprocessing) header["preprocessing"] = to_json(*extras.preprocessing);
    if (extras.progress) header["training"] = progress_json(*extras.progress);
    if (!extras.callbacks.empty()) {
        header["callbacks"] = json::array();
        for (const auto& state : extras.callbacks) header["callbacks"].push_back(callback_json(state));
    }
    return header;
}

// Version 2 added target_scaling and the callbacks' states, version 3 frozen layers, version 4
// learning-rate schedules; a file is written with the oldest version that holds what it uses, so
// older dense reads it.
template <class T>
std::uint32_t format_version_for(const BasicSequential<T>& model, const ModelFileExtras& extras) {
    if (model.compiled() && model.optimizer().learning_rate_schedule().kind() != LearningRate::Kind::constant) return 4;
    for (std::size_t i = 0; i < model.layer_count(); ++i)
        if (!model.layer(i).trainable()) return 3;
    const bool needs_2 = !extras.callbacks.empty() || (extras.preprocessing && !extras.preprocessing->target_scaling.empty());
    return needs_2 ? 2 : 1;
}

std::uint32_t crc32_update(std::uint32_t crc, std::span<const std::byte> bytes) noexcept {
    constexpr std::size_t chunk = 1u << 30;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const auto n = std::min(chunk, bytes.size() - at);
        crc = static_cast<std::uint32_t>(::crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n)));
    }
    return crc;
}

// Passes bytes on to a sink, little-endian where they are numbers, keeping the CRC-32 of them all.
class ChecksummedSink {
public:
    explicit ChecksummedSink(const ByteSink& sink) : sink_(sink) {}

    void bytes(std::span<const std::byte> bytes) {
        crc_ = crc32_update(crc_, bytes);
        sink_(bytes);
    }
    template <class U>
    void integer(U value) {
        std::array<std::byte, sizeof(U)> le;
        for (std::size_t i = 0; i < sizeof(U); ++i) le[i] = static_cast<std::byte>((value >> (8 * i)) & 0xFF);
        bytes(le);
    }
    // In pieces of 64 KiB, so that no copy of a whole weight is made.
    template <class T>
    void values(std::span<const T> values) {
        std::array<std::byte, 1 << 16> piece;
        std::size_t used = 0;
        for (T v : values) {
            const auto bits = std::bit_cast<Bits<T>>(v);
            for (std::size_t i = 0; i < sizeof(T); ++i) piece[used++] = static_cast<std::byte>((bits >> (8 * i)) & 0xFF);
            if (used == piece.size()) bytes(piece), used = 0;
        }
        bytes(std::span(piece).first(used));
    }
    // The checksum, which covers every byte before it.
    void finish() { integer(crc_); }

private:
    const ByteSink& sink_;
    std::uint32_t crc_ = crc32_update(0, {});
};

// The whole file, in pieces: header, weights and optimizer slots straight from the model.
template <class T>
void write_model(const BasicSequential<T>& model, const ModelFileExtras& extras, const ByteSink& sink) {
    if (!model.built()) throw UsageError("cannot save model '" + model.name() + "' before it is built; fit it or call build(input_dim)");
    const bool with_optimizer_state = extras.include_optimizer_state && model.compiled();
    const std::string header = header_json(model, extras, with_optimizer_state).dump();
    ChecksummedSink out(sink);
    out.bytes(std::as_bytes(std::span(magic)));
    out.integer(format_version_for(model, extras));
    out.integer(static_cast<std::uint64_t>(header.size()));
    out.bytes(std::as_bytes(std::span(header)));
    for (std::size_t i = 0; i < model.layer_count(); ++i)
        for (const auto& w : model.layer(i).get_weights()) out.values<T>(w.values);
    if (with_optimizer_state)
        for (const auto& slot : model.optimizer().slots()) out.values<T>(slot);
    for (const auto& callback : extras.callbacks)
        for (const auto& tensor : callback.tensors) {
            const std::vector<T> values(tensor.values.begin(), tensor.values.end());
            out.values<T>(values);
        }
    out.finish();
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

// The weights the architecture implies, with their names for messages: each Dense layer's
// kernel [inputs, units] and bias [units].
struct ImpliedWeight {
    std::vector<std::size_t> shape;
    std::string label;
    bool trainable;  // of a trainable layer: the optimizer keeps slots for it
};

std::vector<ImpliedWeight> implied_weights(const json& layers, std::size_t input_dim) {
    std::vector<ImpliedWeight> weights;
    std::size_t width = input_dim;
    for (const auto& layer : layers) {
        if (layer.at("type").get<std::string>() != "Dense") continue;
        const auto units = layer.at("units").get<std::size_t>();
        const auto name = in_quotes(layer.at("name").get<std::string>());
        const bool trainable = layer.value("trainable", true);
        weights.push_back({{width, units}, "the kernel of layer " + name, trainable});
        if (layer.at("use_bias").get<bool>()) weights.push_back({{units}, "the bias of layer " + name, trainable});
        width = units;
    }
    return weights;
}

template <class T>
std::vector<Tensor<T>> read_weights(const json& header, const std::vector<ImpliedWeight>& implied, BlockReader& reader,
                                    const LoadOptions& options) {
    const auto declared = header.at("weights").get<std::vector<std::vector<std::size_t>>>();
    if (!std::ranges::equal(declared, implied, {}, {}, &ImpliedWeight::shape))
        throw DataError("the weight shapes do not match the layers (Dense kernels must be [inputs, units], biases [units])");
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < declared.size(); ++i)
        offsets.push_back(reader.reserve(checked_count(declared[i], "weight " + std::to_string(i)),
                                         "weight " + std::to_string(i) + " " + shape_string(declared[i])));
    std::vector<Tensor<T>> weights;
    for (std::size_t i = 0; i < declared.size(); ++i) {
        weights.emplace_back(declared[i], get_values<T>(reader.bytes(), offsets[i], Tensor<T>::element_count(declared[i])));
        if (!options.allow_non_finite) detail::require_finite<T>(weights.back().values, implied[i].label);
    }
    return weights;
}

// The optimizer's slots belong to the weights of trainable layers, in order.
template <class T>
OptimizerState<T> read_optimizer_state(const json& j, BlockReader& reader, const std::vector<Tensor<T>>& all_weights,
                                       const std::vector<ImpliedWeight>& implied, const LoadOptions& options) {
    std::vector<std::size_t> weights;  // the sizes of the trainable weights
    for (std::size_t i = 0; i < implied.size(); ++i)
        if (implied[i].trainable) weights.push_back(all_weights[i].size());
    OptimizerState<T> state{j.at("iterations").get<std::int64_t>(), j.at("scalars").get<std::vector<double>>(), {}};
    const auto sizes = j.at("slots").get<std::vector<std::size_t>>();
    if (weights.empty() ? !sizes.empty() : sizes.size() % weights.size() != 0)
        throw DataError("the optimizer state has " + std::to_string(sizes.size()) + " slots for " +
                        std::to_string(weights.size()) + " weights");
    const std::size_t per_weight = weights.empty() ? 0 : sizes.size() / weights.size();
    std::vector<std::size_t> offsets;
    for (std::size_t s = 0; s < sizes.size(); ++s) {
        if (sizes[s] != weights[s / per_weight])
            throw DataError("optimizer slot " + std::to_string(s) + " does not match the size of its weight");
        offsets.push_back(reader.reserve(sizes[s], "optimizer slot " + std::to_string(s)));
    }
    for (std::size_t s = 0; s < sizes.size(); ++s) {
        state.slots.push_back(get_values<T>(reader.bytes(), offsets[s], sizes[s]));
        if (!options.allow_non_finite) detail::require_finite<T>(state.slots.back(), "optimizer slot " + std::to_string(s));
    }
    return state;
}

template <class T>
std::vector<CallbackState> read_callback_states(const json& j, BlockReader& reader, const LoadOptions& options) {
    std::vector<CallbackState> states;
    for (const auto& c : j) {
        CallbackState state{c.at("callback").get<std::string>(), c.at("values").get<std::map<std::string, double>>(), {}};
        for (const auto& shape : c.at("tensors").get<std::vector<std::vector<std::size_t>>>()) {
            const std::string what = state.callback + " tensor " + shape_string(shape);
            const std::size_t count = checked_count(shape, what);
            const auto values = get_values<T>(reader.bytes(), reader.reserve(count, what), count);
            if (!options.allow_non_finite) detail::require_finite<T>(values, what);
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
BasicModelFile<T> model_from_header(const json& header, BlockReader& reader, const LoadOptions& options) {
    if (header.at("dtype").get<std::string>() != dtype_name<T>())
        throw DataError("it holds a " + header.at("dtype").get<std::string>() + " model; load it as " +
                        header.at("dtype").get<std::string>());
    const auto implied = implied_weights(header.at("layers"), header.at("input_dim").get<std::size_t>());
    auto weights = read_weights<T>(header, implied, reader, options);
    std::optional<OptimizerState<T>> state;
    if (header.contains("optimizer_state"))
        state = read_optimizer_state(header.at("optimizer_state"), reader, weights, implied, options);
    std::vector<CallbackState> callbacks;
    if (header.contains("callbacks")) callbacks = read_callback_states<T>(header.at("callbacks"), reader, options);
    if (!reader.at_end()) throw DataError("there are bytes after the last block the header declares");

    BasicSequential<T> model(SequentialOptions{header.at("name").get<std::string>(), header.at("seed").get<std::uint64_t>()});
    for (const auto& layer : header.at("layers")) model.add(layer_from<T>(layer));
    if (!model.built()) model.build(header.at("input_dim").get<std::size_t>());  // a declared input_dim built it
    model.set_weights(weights);
    if (options.compile && header.contains("compile")) {
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

void check_signature(std::span<const std::byte> first_bytes, const std::string& source) {
    const auto compared = std::min(first_bytes.size(), magic.size());
    if (compared > 0 && std::memcmp(first_bytes.data(), magic.data(), compared) != 0)
        throw DataError(source + " is not a dense model file (its first bytes are not the model-file signature); "
                                 "pass a file written by `dense train` or dense::io::save_model");
}

void check_preamble(std::span<const std::byte> bytes, const std::string& source, const LoadOptions& options) {
    check_signature(bytes, source);
    if (bytes.size() < preamble_size + checksum_size)
        throw DataError(source + " is truncated: " + std::to_string(bytes.size()) +
                        " bytes is shorter than any model file; write it again");
    const auto version = get_le<std::uint32_t>(bytes, 8);
    if (version == 0 || version > max_plausible_format_version)
        throw DataError(source + " declares format version " + std::to_string(version) +
                        ", which no dense writes; the file is damaged, so use a good copy");
    if (version > model_format_version)
        throw DataError(source + " was made by a newer dense (format " + std::to_string(version) + "); this dense reads format " +
                        std::to_string(model_format_version) + " and older, so upgrade dense");
    const auto body = bytes.first(bytes.size() - checksum_size);
    if (options.verify_checksum && crc32(body) != get_le<std::uint32_t>(bytes, body.size()))
        throw DataError(source + " is damaged or truncated: its CRC-32 checksum does not match its contents; "
                                 "use a good copy of the file");
}

struct OpenFile {
    OpenFile(const std::filesystem::path& path, const std::string& source) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (fd < 0) throw DataError("cannot open the model file " + source + ": " + std::strerror(errno) + "; check the path");
    }
    ~OpenFile() { ::close(fd); }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    const int fd;
};

// Reads up to bytes.size() bytes; returns how many came (fewer only at the end of the file).
std::size_t read_some(int fd, std::span<std::byte> bytes, const std::string& source) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto got = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw DataError("cannot read the model file " + source + ": " + std::strerror(errno));
        if (got == 0) break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

void refuse_if_it_cannot_fit(std::uint64_t bytes, const std::string& source) {
    if (const auto shortfall = memory_shortfall(bytes))
        throw DataError(source + ": reading the model file " + *shortfall + "; free memory or use a machine with more");
}

// The file's bytes. The signature is checked on the first 8, so that a file of something else
// (even /dev/zero) is refused at once, and the size against the memory available before the
// rest is read: the whole size for a regular file, every 256 MiB for a pipe.
std::vector<std::byte> read_model_file(const std::filesystem::path& path) {
    const std::string source = printable(path.string(), 200);
    const OpenFile file(path, source);
    const int fd = file.fd;
    struct stat status {};
    if (::fstat(fd, &status) == 0 && S_ISDIR(status.st_mode))
        throw DataError(source + " is a folder, not a model file; pass the path of a .dense file");
    std::vector<std::byte> bytes(magic.size());
    bytes.resize(read_some(fd, bytes, source));
    check_signature(bytes, source);
    const bool regular = S_ISREG(status.st_mode);
    if (regular) refuse_if_it_cannot_fit(static_cast<std::uint64_t>(status.st_size), source);
    constexpr std::size_t chunk = 1 << 20, check_every = std::size_t(256) << 20;
    for (std::size_t got = chunk; got == chunk;) {
        const auto start = bytes.size();
        if (!regular && start % check_every < chunk) refuse_if_it_cannot_fit(start + check_every, source);
        bytes.resize(start + chunk);
        got = read_some(fd, std::span(bytes).subspan(start), source);
        bytes.resize(start + got);
    }
    return bytes;
}

}  // namespace

std::uint32_t crc32(std::span<const std::byte> bytes) noexcept { return crc32_update(crc32_update(0, {}), bytes); }

template <class T>
std::vector<std::byte> serialize_model(const BasicSequential<T>& model, const ModelFileExtras& extras) {
    std::vector<std::byte> out;
    write_model(model, extras, [&](std::span<const std::byte> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); });
    return out;
}

template <class T>
BasicModelFile<T> deserialize_model(std::span<const std::byte> bytes, const std::string& source, LoadOptions options) {
    check_preamble(bytes, source, options);
    const std::size_t end = bytes.size() - checksum_size;
    const auto header_size = get_le<std::uint64_t>(bytes, 12);
    if (header_size > end - preamble_size)
        throw DataError(source + " is damaged: its header length " + std::to_string(header_size) + " runs past the end of the file");
    // The values are copied once out of the bytes and once into the layers.
    if (const auto shortfall = memory_shortfall(2 * (end - preamble_size - header_size)))
        throw DataError(source + ": building its model " + *shortfall + "; free memory or use a machine with more");
    const auto* text = reinterpret_cast<const char*>(bytes.data() + preamble_size);
    try {
        const auto header = json::parse(text, text + header_size);
        detail::validate_header(header);
        BlockReader reader(bytes, preamble_size + header_size, end, sizeof(T));
        return model_from_header<T>(header, reader, options);
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
    write_file_atomically(path, [&](const ByteSink& sink) { write_model(model, extras, sink); });
}

template <class T>
BasicModelFile<T> load_model(const std::filesystem::path& path, LoadOptions options) {
    return deserialize_model<T>(read_model_file(path), printable(path.string(), 200), options);
}

template std::vector<std::byte> serialize_model<float>(const BasicSequential<float>&, const ModelFileExtras&);
template std::vector<std::byte> serialize_model<double>(const BasicSequential<double>&, const ModelFileExtras&);
template BasicModelFile<float> deserialize_model<float>(std::span<const std::byte>, const std::string&, LoadOptions);
template BasicModelFile<double> deserialize_model<double>(std::span<const std::byte>, const std::string&, LoadOptions);
template void save_model<float>(const BasicSequential<float>&, const std::filesystem::path&, const ModelFileExtras&);
template void save_model<double>(const BasicSequential<double>&, const std::filesystem::path&, const ModelFileExtras&);
template BasicModelFile<float> load_model<float>(const std::filesystem::path&, LoadOptions);
template BasicModelFile<double> load_model<double>(const std::filesystem::path&, LoadOptions);

}  // namespace dense::io
