// `dense convert IN OUT`: a model from one format to another, each chosen by its extension (in any case):
//   .dense        dense's model file (with its preprocessing)
//   .keras        Keras 3 archive                  .h5   legacy Keras (read only)
//   .weights.h5   Keras 3 weights: reading one needs --architecture (a model file of any format)
//   .onnx         ONNX (opset 13–17); a .dense model's preprocessing becomes one input per CSV
//                 column, one-hot encoding, Sub/Div nodes and metadata (read back on import)
// A .dense model of standardised regression targets is written to Keras and ONNX with the scale
// folded into its last layer (interop::with_output_scaling), so they predict in the targets' units;
// read back (a .weights.h5 file too, with its architecture's preprocessing), the scale comes out again.
#include <iostream>
#include <memory>
#include <string>

#include "command.hpp"
#include "model_reader.hpp"
#include "dense/error.hpp"
#include "dense/interop/file_extension.hpp"
#include "dense/interop/keras.hpp"
#include "dense/interop/onnx.hpp"
#include "dense/interop/output_scaling.hpp"
#include "dense/io/model_file.hpp"

namespace dense::cli {
namespace {

struct ConvertArgs {
    std::string in;
    std::string out;
    std::string architecture;
    int opset = 13;
    int ir_version = 7;
};

enum class Format { dense, keras, weights, legacy_h5, onnx };

constexpr const char* kFormats = ".dense, .keras, .weights.h5, .h5 (read only) or .onnx";

// By the extension, in any case ("X.ONNX" as "x.onnx").
Format format_of(const std::string& path) {
    using interop::has_extension;
    if (has_extension(path, ".dense")) return Format::dense;
    if (has_extension(path, ".keras")) return Format::keras;
    if (has_extension(path, ".weights.h5")) return Format::weights;
    if (has_extension(path, ".h5") || has_extension(path, ".hdf5")) return Format::legacy_h5;
    if (has_extension(path, ".onnx")) return Format::onnx;
    throw UsageError(path + ": unknown model format; use " + kFormats);
}

// Options that only some formats take are refused for the others, not ignored.
void require_options_apply(const CLI::App& cmd, const ConvertArgs& args) {
    if (cmd.count("--architecture") && format_of(args.in) != Format::weights)
        throw UsageError("--architecture does not apply to " + args.in +
                         ": it names the network of a .weights.h5 input, and this input holds its own; leave it out");
    for (const std::string option : {"--opset", "--ir-version"})
        if (cmd.count(option) && format_of(args.out) != Format::onnx)
            throw UsageError(option + " does not apply to " + args.out + ": it sets the version of an .onnx output; leave it out");
}

io::ModelFile read_any_model(const std::string& path, const std::string& architecture) {
    if (format_of(path) != Format::weights) return read_model(path, "convert");
    if (architecture.empty())
        throw UsageError(path + " holds weights only: give the model they belong to with --architecture MODEL "
                                "(a .keras, .h5, .onnx or .dense file)");
    if (format_of(architecture) == Format::weights)  // an unknown format is a usage error too
        throw UsageError(architecture + " holds weights only too: --architecture names a model file (.keras, .h5, .onnx or .dense)");
    return read_model_with_weights(architecture, path, "convert");
}

// What a .keras file cannot carry of a CSV model: the one-hot encoding of its text columns.
void warn_one_hot_left_out(const io::Preprocessing& preprocessing, const std::string& out) {
    std::string columns;
    for (const auto& feature : preprocessing.features)
        if (feature.categorical()) columns += (columns.empty() ? "'" : ", '") + feature.name + "'";
    if (!columns.empty())
        std::cerr << "dense convert: note: " << out << " cannot carry the one-hot encoding of text column(s) " << columns
                  << ": its inputs take them one-hot encoded, in the order of `dense summary`\n";
}

// What ONNX and .weights.h5 files cannot carry: which layers are frozen (trainable = False).
void warn_frozen_left_out(const Sequential& model, const std::string& out) {
    std::string layers;
    for (std::size_t i = 0; i < model.layer_count(); ++i)
        if (!model.layer(i).trainable()) layers += (layers.empty() ? "'" : ", '") + model.layer(i).name() + "'";
    if (!layers.empty())
        std::cerr << "dense convert: note: " << out << " cannot carry that layer(s) " << layers
                  << " are frozen (trainable = False): read back, every layer trains\n";
}

// The model as other formats get it: predicting in the targets' units.
Sequential in_target_units(const io::ModelFile& file) {
    const auto& preprocessing = file.extras.preprocessing;
    return preprocessing ? interop::in_target_units(file.model, *preprocessing) : file.model;
}

void write_model(const io::ModelFile& file, const ConvertArgs& args) {
    const auto& preprocessing = file.extras.preprocessing;
    switch (format_of(args.out)) {
        case Format::dense: return io::save_model(file.model, args.out, file.extras);
        case Format::keras:
            if (preprocessing) warn_one_hot_left_out(*preprocessing, args.out);
            return keras::save_model(in_target_units(file), args.out, {.preprocessing = preprocessing});
        case Format::weights:
            warn_frozen_left_out(file.model, args.out);
            return keras::save_weights(in_target_units(file), args.out);
        case Format::onnx: {
            warn_frozen_left_out(file.model, args.out);
            onnx::SaveOptions options{.opset = args.opset, .ir_version = args.ir_version};
            options.preprocessing = preprocessing;
            return onnx::save(in_target_units(file), args.out, options);
        }
        case Format::legacy_h5:
            throw UsageError(args.out + ": dense does not write legacy .h5 files; write .keras (Keras 3) instead");
    }
}

// "1 layer", "3 layers".
std::string counted(std::size_t count, const std::string& noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

void run_convert(const CLI::App& cmd, const ConvertArgs& args) {
    format_of(args.out);  // an unknown output format fails before any work
    require_options_apply(cmd, args);
    const auto file = read_any_model(args.in, args.architecture);
    write_model(file, args);
    std::cout << "Converted " << args.in << " (" << counted(file.model.layer_count(), "layer") << ", "
              << counted(file.model.parameter_count(), "parameter") << ") to " << args.out << '\n';
}

void add_convert(CLI::App& app) {
    auto args = std::make_shared<ConvertArgs>();
    auto* cmd = app.add_subcommand("convert", "Convert a model between dense, Keras and ONNX files");
    cmd->add_option("in", args->in, std::string("Model to read: ") + kFormats)->required();
    cmd->add_option("out", args->out, "File to write, its format chosen by its extension")->required();
    cmd->add_option("--architecture", args->architecture, "Model whose architecture a .weights.h5 input fills");
    cmd->add_option("--opset", args->opset, "ONNX opset to write (13 to 17)")->capture_default_str();
    cmd->add_option("--ir-version", args->ir_version, "ONNX IR version to write (7 or 8)")->capture_default_str();
    cmd->footer(
        "Examples:\n"
        "  dense convert model.keras model.onnx\n"
        "  dense convert model.dense model.keras\n"
        "  dense convert model.weights.h5 model.dense --architecture model.keras\n"
        "  dense convert legacy.h5 model.keras");
    cmd->callback([cmd, args] { run_convert(*cmd, *args); });
}

const CommandRegistration registration{add_convert};

}  // namespace
}  // namespace dense::cli
