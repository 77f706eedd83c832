// `dense predict MODEL DATA.csv`: one CSV row of predictions per input row, streamed: a block of
// records is read while the one before is predicted and the one before that written, so memory
// stays bounded whatever the file's size.
#include <charconv>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "command.hpp"
#include "model_reader.hpp"
#include "dense/printable.hpp"
#include "dense/error.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/io/write_file_atomically.hpp"
#include "column_options.hpp"
#include "inputs.hpp"
#include "option_checks.hpp"

namespace dense::cli {
namespace {

struct PredictArgs {
    std::string model;
    std::string data;
    std::string out;
    std::size_t batch_size = 32;
    std::string fill;  // empty: what the model was trained with
    bool no_header = false;
    std::vector<std::string> keep;  // columns copied into the output, before the predictions
};

// A queue of at most `capacity` items between two threads of the pipeline. Closing it (the
// producer is done, or a stage failed) wakes both sides.
template <class T>
class Channel {
public:
    explicit Channel(std::size_t capacity) : capacity_(capacity) {}

    // False when the channel was closed: the consumer has given up.
    bool push(T item) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        items_.push_back(std::move(item));
        changed_.notify_all();
        return true;
    }
    // Nothing once the channel is closed and empty.
    std::optional<T> pop() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || !items_.empty(); });
        if (items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        changed_.notify_all();
        return item;
    }
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<T> items_;
    std::size_t capacity_;
    bool closed_ = false;
};

// Cells as one CSV line without its line break: "id,\"a, b\"".
std::string joined_cells(const std::vector<std::string>& cells) {
    std::string line = csv_line(cells);
    line.pop_back();
    return line;
}

// The --keep columns: where they are in the file, and which of them the network does not read.
// A model without named features reads every column in order: kept columns are among its inputs
// when the file has just as many columns, else they are the extra ones.
struct KeptColumns {
    std::vector<std::string> names;
    std::vector<std::size_t> positions;  // in the file's columns, in --keep's order
    std::set<std::string> not_inputs;
};

KeptColumns kept_columns(const io::ModelFile& file, const io::CsvTable& header, const std::vector<std::string>& keep) {
    KeptColumns kept{.names = named_columns(keep, header.names(), "--keep"), .positions = {}, .not_inputs = {}};
    require_distinct(kept.names, "--keep");
    const auto inputs = input_columns(file);
    const bool extra_when_unnamed = header.columns.size() > file.model.input_dim();
    for (const auto& name : kept.names) {
        kept.positions.push_back(header.named_column_index(name, "--keep"));
        const bool input = file.extras.preprocessing ? std::ranges::find(inputs, name) != inputs.end() : !extra_when_unnamed;
        if (!input) kept.not_inputs.insert(name);
    }
    return kept;
}

// Columns the model neither reads, predicts nor was trained to leave out (--drop), and --keep
// does not name: an error that says how to keep them (the model's own check would only say they
// are not used).
void check_unused_columns(const io::ModelFile& file, const io::CsvTable& header, const KeptColumns& kept) {
    if (!file.extras.preprocessing) return;
    const auto& preprocessing = *file.extras.preprocessing;
    const auto inputs = input_columns(file);
    std::vector<std::string> unused;
    std::size_t inputs_found = 0;
    for (const auto& column : header.columns) {
        const auto& name = column.name();
        const bool input = std::find(inputs.begin(), inputs.end(), name) != inputs.end();
        inputs_found += input ? 1 : 0;
        if (!preprocessing.knows_column(name) && !kept.not_inputs.contains(name)) unused.push_back(name);
    }
    if (unused.empty() || inputs_found != inputs.size()) return;  // a missing column: the model's message names all
    throw DataError(header.source + ": the model does not use the column(s) " + quoted_list(unused) + "; pass --keep " +
                    joined_cells(unused) + " to copy them into the output beside the predictions, or remove them from the file");
}

// Where each field of the file goes when a block is plain numbers, or nothing when the file has
// a column the fast path cannot read (a category) or lacks one (model_inputs then says which).
// Kept columns the network does not read are skipped.
std::optional<std::vector<io::NumericInput>> numeric_inputs(const io::ModelFile& file, const io::CsvTable& header,
                                                            const KeptColumns& kept) {
    std::vector<io::NumericInput> fields(header.columns.size());
    if (!file.extras.preprocessing) {
        std::size_t input = 0;
        for (std::size_t c = 0; c < fields.size(); ++c)
            if (!kept.not_inputs.contains(header.columns[c].name())) fields[c].input = input++;
        if (input != file.model.input_dim()) return std::nullopt;
        return fields;
    }
    const auto& preprocessing = *file.extras.preprocessing;
    std::size_t offset = 0, found = 0;
    for (const auto& feature : preprocessing.features) {
        if (feature.categorical()) return std::nullopt;
        for (std::size_t c = 0; c < header.columns.size(); ++c)
            if (header.columns[c].name() == feature.name) {
                fields[c] = {.input = offset, .mean = feature.mean, .stddev = feature.stddev};
                ++found;
            }
        offset += feature.width();
    }
    if (found != preprocessing.features.size()) return std::nullopt;
    for (std::size_t c = 0; c < fields.size(); ++c)
        if (fields[c].input == io::NumericInput::unused && !kept.not_inputs.contains(header.columns[c].name()) &&
            !preprocessing.knows_column(header.columns[c].name()))
            return std::nullopt;
    return fields;
}

// The kept cells of a block's rows, each row's as the start of its output line ("id,date,"),
// quoted where the output's commas need it (append_csv_cell), all in one text.
class KeptCells {
public:
    void append_cell(std::string_view cell) {
        append_csv_cell(text_, cell);
        text_ += ',';
    }
    void end_row() { ends_.push_back(text_.size()); }
    // Row r's cells; empty when no column is kept.
    std::string_view row(std::size_t r) const {
        if (ends_.empty()) return {};
        const std::size_t begin = r == 0 ? 0 : ends_[r - 1];
        return std::string_view(text_).substr(begin, ends_[r] - begin);
    }

private:
    std::string text_;
    std::vector<std::size_t> ends_;
};

// Where the line that starts at `start` ends: its \n, or a \r before it (\r\n or a lone \r).
// Two searches for one character each, which the library makes fast.
std::size_t record_end(std::string_view text, std::size_t start) {
    const std::size_t newline = std::min(text.size(), text.find('\n', start));
    return std::min(newline, text.substr(0, newline).find('\r', start));
}

// The kept cells of a block without quotes whose records are one line each (as plain_numbers
// reads it): fields split at the delimiter, records at \n, \r\n or \r; each record scanned only
// as far as its last kept field.
KeptCells kept_cells_of_plain_block(std::string_view text, char delimiter, const KeptColumns& kept) {
    const std::size_t last = *std::ranges::max_element(kept.positions);
    std::vector<std::string_view> fields(last + 1);
    KeptCells cells;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = record_end(text, start);
        for (std::size_t field = 0, at = start; field <= last; ++field) {
            const std::size_t next = std::min(end, text.find(delimiter, at));
            fields[field] = text.substr(at, next - at);
            at = next + 1;
        }
        for (const std::size_t position : kept.positions) cells.append_cell(fields[position]);
        cells.end_row();
        start = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
    }
    return cells;
}

KeptCells kept_cells_of_table(const io::CsvTable& table, const KeptColumns& kept) {
    KeptCells cells;
    for (std::size_t r = 0; r < table.rows(); ++r) {
        for (const std::size_t position : kept.positions) cells.append_cell(table.columns[position].cell(r));
        cells.end_row();
    }
    return cells;
}

// A block's rows: the network's inputs, and the kept cells of each.
struct BlockRows {
    Matrix<float> x;
    KeptCells kept;
};

// The network's inputs for a block: straight from the text when it is plain numbers, else
// through the table and the model's preprocessing (fills, categories, every error message).
BlockRows block_rows(const io::ModelFile& file, const io::CsvBlock& block,
                     const std::optional<std::vector<io::NumericInput>>& fields, io::FillPolicy fill, const KeptColumns& kept) {
    if (fields)
        if (auto x = io::plain_numbers(block, *fields, file.model.input_dim()))
            return {std::move(*x), kept.names.empty() ? KeptCells{}
                                                      : kept_cells_of_plain_block(block.text, block.header->delimiter, kept)};
    auto table = block.table();
    if (table.rows() == 0) return {};
    BlockRows rows{.x = {}, .kept = kept.names.empty() ? KeptCells{} : kept_cells_of_table(table, kept)};
    std::erase_if(table.columns, [&](const io::CsvColumn& column) { return kept.not_inputs.contains(column.name()); });
    rows.x = model_inputs(file, table, fill);
    return rows;
}

void append_number(std::string& text, float value) {
    char buffer[32];
    text.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

// A block's predictions, and the kept cells that start each row's line.
struct Predicted {
    Matrix<float> outputs;
    KeptCells kept;
    std::size_t first_row = 0;  // of the file's data rows
};

// Regression: the predicted values. Classification: the label, then each class' probability.
// Each after the row's kept cells.
void append_rows(const io::ModelFile& file, Predicted& predicted, std::string& text, std::string_view source) {
    const auto* preprocessing = file.extras.preprocessing ? &*file.extras.preprocessing : nullptr;
    Matrix<float>& outputs = predicted.outputs;
    if (preprocessing) io::to_target_units(*preprocessing, outputs);  // nothing for classification
    require_finite_outputs(outputs, source, predicted.first_row);
    if (preprocessing && preprocessing->task == io::Task::classification) {
        for (std::size_t r = 0; r < outputs.rows(); ++r)
            text.append(predicted.kept.row(r)) += csv_line(io::prediction_row(*preprocessing, std::span<const float>(outputs.row(r))));
        return;
    }
    for (std::size_t r = 0; r < outputs.rows(); ++r) {
        text.append(predicted.kept.row(r));
        for (std::size_t c = 0; c < outputs.cols(); ++c) {
            if (c > 0) text += ',';
            append_number(text, outputs(r, c));
        }
        text += '\n';
    }
}

// Runs `stage` on its own thread; its first error closes both channels and is kept.
class Stages {
public:
    template <class F>
    void start(F stage) {
        threads_.emplace_back([this, stage] {
            try {
                stage();
            } catch (...) {
                fail(std::current_exception());
            }
        });
    }
    void fail(std::exception_ptr error) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = error;
        for (const auto& close : closers_) close();
    }
    void on_failure(std::function<void()> close) { closers_.push_back(std::move(close)); }
    // Waits for every stage and rethrows the first error.
    void finish() {
        for (auto& thread : threads_) thread.join();
        if (error_) std::rethrow_exception(error_);
    }

private:
    std::vector<std::thread> threads_;
    std::vector<std::function<void()>> closers_;
    std::mutex mutex_;
    std::exception_ptr error_;
};

// The output's header: the kept columns, then the predictions' columns, those named as a kept
// one (a kept target beside its prediction) "predicted_" and the name without the spaces around
// it (the header "x, y" gives " y,predicted_y").
std::vector<std::string> header_names(const io::ModelFile& file, const KeptColumns& kept) {
    auto names = kept.names;
    for (const auto& name : output_names(file)) {
        const bool kept_beside = std::ranges::find(kept.names, name) != kept.names.end();
        names.push_back(kept_beside ? "predicted_" + std::string(io::trim_spaces(name)) : name);
    }
    return names;
}

// read → blocks → predict (this thread) → outputs → format and write.
void stream_predictions(const PredictArgs& args, io::ModelFile& file, io::FillPolicy fill, const io::ByteSink& sink) {
    // A model without preprocessing fills a missing number from the column's mean or median,
    // which takes the whole file: one block then.
    const bool whole_columns = !file.extras.preprocessing && (fill == io::FillPolicy::mean || fill == io::FillPolicy::median);
    io::CsvBlockOptions options;
    if (args.no_header) options.names = input_columns(file);
    if (whole_columns) options.block_bytes = std::numeric_limits<std::size_t>::max() / 4;
    io::CsvBlockReader reader(args.data, std::move(options));
    const auto kept = kept_columns(file, reader.header(), args.keep);
    check_unused_columns(file, reader.header(), kept);
    const auto fields = numeric_inputs(file, reader.header(), kept);
    Channel<io::CsvBlock> blocks(2);
    Channel<Predicted> outputs(2);
    Stages stages;
    stages.on_failure([&] { blocks.close(); });
    stages.on_failure([&] { outputs.close(); });
    stages.start([&] {
        while (auto block = reader.next())
            if (!blocks.push(std::move(*block))) return;
        blocks.close();
    });
    stages.start([&] {
        std::string text = csv_line(header_names(file, kept));
        while (auto predicted = outputs.pop()) {
            append_rows(file, *predicted, text, reader.header().source);
            sink(std::as_bytes(std::span(text.data(), text.size())));
            text.clear();
        }
    });
    try {
        std::size_t rows = 0;
        bool checked = false;
        while (auto block = blocks.pop()) {
            if (!checked) check_header_holds_names(file, *block->header);
            if (!checked && args.no_header) check_first_row_is_not_a_header(file, block->table());
            checked = true;
            auto block_x = block_rows(file, *block, fields, fill, kept);
            const std::size_t first_row = rows;
            rows += block_x.x.rows();
            if (block_x.x.rows() == 0) continue;
            if (!outputs.push({file.model.predict(block_x.x, {.batch_size = args.batch_size, .verbose = 0}),
                               std::move(block_x.kept), first_row}))
                break;
        }
        blocks.close();  // the reader may wait to hand over a block no one takes
        if (rows == 0) throw DataError(reader.header().source + ": the file has a header but no data rows; add rows");
        outputs.close();
    } catch (...) {
        stages.fail(std::current_exception());
    }
    stages.finish();
}

void run_predict(const PredictArgs& args) {
    require_different_files({{"the model", args.model, false}, {"the data", args.data, false}, {"--out", args.out, true}});
    auto file = read_model(args.model, "predict");
    if (!args.fill.empty() && file.extras.preprocessing) set_fill(*file.extras.preprocessing, args.fill);
    const auto fill = args.fill.empty() ? io::FillPolicy::none : io::fill_policy_from_name(args.fill);
    if (args.out.empty() || args.out == "-") {
        stream_predictions(args, file, fill, [](std::span<const std::byte> bytes) {
            std::cout.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        });
        std::cout.flush();
        return;
    }
    io::write_file_atomically(args.out, [&](const io::ByteSink& sink) { stream_predictions(args, file, fill, sink); });
}

void add_predict(CLI::App& app) {
    auto args = std::make_shared<PredictArgs>();
    auto* cmd = app.add_subcommand("predict", "Predictions of a model for every row of a CSV file, as CSV");
    cmd->add_option("model", args->model, "Model file written by dense train, or a Keras (.keras, .h5) or ONNX (.onnx) model")->required();
    cmd->add_option("data", args->data,
                    "CSV file with a header naming the model's feature columns, in any order ('-' reads stdin)")
        ->required();
    cmd->add_option("--out,-o", args->out, "Write the CSV to this file instead of stdout");
    cmd->add_option("--batch-size", args->batch_size, "Rows per step")->capture_default_str()->check(whole_number(1));
    cmd->add_option("--fill", args->fill, fill_option_help);
    cmd->add_flag("--no-header", args->no_header,
                  "The file has no header line: its columns are the model's inputs, in the order 'dense summary' lists");
    cmd->add_option("--keep", args->keep,
                    "Columns to copy into the output before the predictions (an id, say), comma-separated or the "
                    "option repeated; those the model does not read are left out of its inputs");
    cmd->footer(
        "Output: one column per target (regression), or the predicted label and one p_LABEL probability\n"
        "column per class (classification). Values are written with enough digits to read back exactly.\n"
        "A first line of numbers is taken for a file without a header and refused: pass --no-header.\n"
        "The file is read, predicted and written in blocks of about 8 MB at a time, so its size is not limited\n"
        "by memory.\n"
        "Examples:\n"
        "  dense predict model.dense new.csv\n"
        "  dense predict model.dense new.csv --keep id --out predictions.csv   (id,y on each line)\n"
        "  cat new.csv | dense predict model.dense - --out predictions.csv");
    cmd->callback([args] { run_predict(*args); });
}

const CommandRegistration registration{add_predict};

}  // namespace
}  // namespace dense::cli
