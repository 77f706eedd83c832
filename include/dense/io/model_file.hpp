#pragma once
// Model files: one self-describing file holding a Sequential model, how to preprocess its
// inputs, and (for checkpoints) the optimizer's state and where training stood.
//
// Layout (integers little-endian):
//   offset 0   8 bytes   magic 89 'D' 'N' 'S' 0D 0A 1A 0A (catches text-mode transfers, as PNG's)
//          8   u32       format version (model_format_version)
//         12   u64       H, the length of the JSON header
//         20   H bytes   JSON header: dtype, architecture, compile config, preprocessing, the
//                        list of binary blocks with their shapes, training progress
//     20 + H   blocks    every block's values back to back, as float32 or float64 (the dtype):
//                        the weights, the optimizer's slots, then the callbacks' tensors
//   end − 4    u32       CRC-32 (the zlib/PNG polynomial) of every byte before it
//
// Loading checks the magic, the version, the checksum, then every declared size against the
// bytes that remain before it allocates anything, so a damaged or hostile file gets a DataError
// naming the file and what is wrong, never a crash or a huge allocation.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dense/io/preprocessing.hpp"
#include "dense/io/write_file_atomically.hpp"
#include "dense/optimizers/optimizer.hpp"
#include "dense/sequential.hpp"

namespace dense::io {

// Version 2 added the preprocessing's target_scaling and the callbacks' states, version 3 a
// layer's "trainable": false, version 4 an optimizer's learning-rate schedule ("learning_rate":
// {"class_name": "CosineDecay", "config": {…}}, Keras' names); a file is written with the oldest
// version that holds what it uses, so older dense reads it.
inline constexpr std::uint32_t model_format_version = 4;

// Where training stood when a checkpoint was written: what `dense train --resume` needs to
// continue exactly as an uninterrupted run.
struct TrainingProgress {
    int epochs_done = 0;           // the next fit's initial_epoch
    std::uint64_t seed = 0;        // the FitOptions::seed of the run
    std::size_t batch_size = 32;
    double validation_split = 0.0;
    // How `dense train` drew the validation rows (a ValidationSplit name) and the patience of its
    // early stopping (0: none), so a resumed run splits and stops the same way.
    std::string validation = "last_rows";
    int early_stopping = 0;
    int reduce_lr = 0;  // the patience of its learning-rate halving (0: none)
    // The rows the saved weights were trained on; 0: not recorded.
    std::size_t training_rows = 0;
    // A model averaged from copies (`dense train --ensemble K`): the epochs each copy's saved
    // weights were trained for; empty: one network, trained for epochs_done.
    std::vector<int> member_epochs = {};
    // The processes a streamed run's steps were shared by (mpirun -np N dense train --stream): its
    // global batches hold up to N × batch_size rows, so the model depends on N. 1 is not written.
    std::size_t processes = 1;
    bool operator==(const TrainingProgress&) const = default;
};

// What a model file carries besides the model.
struct ModelFileExtras {
    std::optional<Preprocessing> preprocessing;
    std::optional<TrainingProgress> progress;
    // The states of the run's stateful callbacks (EarlyStopping, ReduceLROnPlateau), in order.
    std::vector<CallbackState> callbacks;
    // Saves the optimizer's slots and step count (when the model is compiled), for resuming.
    bool include_optimizer_state = true;
};

template <class T>
struct BasicModelFile {
    BasicSequential<T> model;    // built; compiled (with its optimizer state) when the file was
    ModelFileExtras extras;
};
using ModelFile = BasicModelFile<float>;

// The whole file as bytes. The model must be built (fit, predict or build() once).
template <class T>
std::vector<std::byte> serialize_model(const BasicSequential<T>& model, const ModelFileExtras& extras = {});

struct LoadOptions {
    // Off only for fuzzing, so the parser behind the checksum is reached.
    bool verify_checksum = true;
    // Weights or optimizer state holding NaN or infinity (a training that diverged) are refused
    // unless this is set, e.g. to look at such a model.
    bool allow_non_finite = false;
    // Off: the model comes back not compiled (its optimizer, loss, metrics and optimizer state
    // left unread), as Keras' load_model(compile=False) gives it.
    bool compile = true;
};

// `source` names the bytes in messages (a file name). A file holding the other dtype is an error.
template <class T>
BasicModelFile<T> deserialize_model(std::span<const std::byte> bytes, const std::string& source, LoadOptions options = {});

// Writes with write_file_atomically: on any failure the old file at `path` is left as it was.
template <class T>
void save_model(const BasicSequential<T>& model, const std::filesystem::path& path, const ModelFileExtras& extras = {});
template <class T = float>
BasicModelFile<T> load_model(const std::filesystem::path& path, LoadOptions options = {});

// CRC-32 as zlib and PNG define it (reflected polynomial 0xEDB88320); crc32("123456789") = 0xCBF43926.
std::uint32_t crc32(std::span<const std::byte> bytes) noexcept;

}  // namespace dense::io
