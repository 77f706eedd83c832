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
#include <thread>

#include "command.hpp"
#include "dense/error.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/io/write_file_atomically.hpp"
#include "inputs.hpp"

namespace dense::cli {
namespace {

struct PredictArgs {
    std::string model;
    std::string data;
    std::string out;
    std::size_t batch_size = 32;
    std::string fill;  // empty: what the model was trained with
    bool no_header = false;
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

// Where each field of the file goes when a block is plain numbers, or nothing when the file has
// a column the fast path cannot read (a category) or lacks one (model_inputs then says which).
std::optional<std::vector<io::NumericInput>> numeric_inputs(const io::ModelFile& file, const io::CsvTable& header) {
    std::vector<io::NumericInput> fields(header.columns.size());
    if (!file.extras.preprocessing) {
        if (header.columns.size() != file.model.input_dim()) return std::nullopt;
        for (std::size_t c = 0; c < fields.size(); ++c) fields[c].input = c;
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
        if (fields[c].input == io::NumericInput::unused &&
            std::find(preprocessing.targets.begin(), preprocessing.targets.end(), header.columns[c].name()) == preprocessing.targets.end())
            return std::nullopt;
    return fields;
}

// The network's inputs for a block: straight from the text when it is plain numbers, else
// through the table and the model's preprocessing (fills, categories, every error message).
Matrix<float> block_inputs(const io::ModelFile& file, const io::CsvBlock& block,
                           const std::optional<std::vector<io::NumericInput>>& fields, io::FillPolicy fill) {
    if (fields)
        if (auto x = io::plain_numbers(block, *fields, file.model.input_dim())) return std::move(*x);
    const auto table = block.table();
    if (table.rows() == 0) return {};
    return model_inputs(file, table, fill);
}

void append_number(std::string& text, float value) {
    char buffer[32];
    text.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

// Regression: the predicted values. Classification: the label, then each class' probability.
void append_rows(const io::ModelFile& file, Matrix<float>& outputs, std::string& text) {
    const auto* preprocessing = file.extras.preprocessing ? &*file.extras.preprocessing : nullptr;
    if (preprocessing && preprocessing->task == io::Task::classification) {
        for (std::size_t r = 0; r < outputs.rows(); ++r) text += csv_line(io::prediction_row(*preprocessing, std::span<const float>(outputs.row(r))));
        return;
    }
    if (preprocessing) io::to_target_units(*preprocessing, outputs);
    for (std::size_t r = 0; r < outputs.rows(); ++r) {
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

// read → blocks → predict (this thread) → outputs → format and write.
void stream_predictions(const PredictArgs& args, io::ModelFile& file, io::FillPolicy fill, const io::ByteSink& sink) {
    // A model without preprocessing fills a missing number from the column's mean or median,
    // which takes the whole file: one block then.
    const bool whole_columns = !file.extras.preprocessing && (fill == io::FillPolicy::mean || fill == io::FillPolicy::median);
    io::CsvBlockOptions options;
    if (args.no_header) options.names = input_columns(file);
    if (whole_columns) options.block_bytes = std::numeric_limits<std::size_t>::max() / 4;
    io::CsvBlockReader reader(args.data, std::move(options));
    const auto fields = numeric_inputs(file, reader.header());
    Channel<io::CsvBlock> blocks(2);
    Channel<Matrix<float>> outputs(2);
    Stages stages;
    stages.on_failure([&] { blocks.close(); });
    stages.on_failure([&] { outputs.close(); });
    stages.start([&] {
        while (auto block = reader.next())
            if (!blocks.push(std::move(*block))) return;
        blocks.close();
    });
    stages.start([&] {
        std::string text = csv_line(output_names(file));
        while (auto predicted = outputs.pop()) {
            append_rows(file, *predicted, text);
            sink(std::as_bytes(std::span(text.data(), text.size())));
            text.clear();
        }
    });
    try {
        std::size_t rows = 0;
        bool checked = false;
        while (auto block = blocks.pop()) {
            if (!checked) check_header_holds_names(file, *block->header);
            checked = true;
            const auto x = block_inputs(file, *block, fields, fill);
            rows += x.rows();
            if (x.rows() > 0 && !outputs.push(file.model.predict(x, {.batch_size = args.batch_size, .verbose = 0}))) break;
        }
        blocks.close();  // the reader may wait to hand over a block no one takes
        if (rows == 0 && checked) throw DataError(reader.header().source + ": the file has a header but no data rows; add rows");
        outputs.close();
    } catch (...) {
        stages.fail(std::current_exception());
    }
    stages.finish();
}

void run_predict(const PredictArgs& args) {
    if (args.batch_size == 0) throw UsageError("--batch-size must be at least 1");
    auto file = io::load_model(args.model);
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
    cmd->add_option("model", args->model, "Model file written by dense train")->required();
    cmd->add_option("data", args->data,
                    "CSV file with a header naming the model's feature columns, in any order ('-' reads stdin)")
        ->required();
    cmd->add_option("--out,-o", args->out, "Write the CSV to this file instead of stdout");
    cmd->add_option("--batch-size", args->batch_size, "Rows per step")->capture_default_str();
    cmd->add_option("--fill", args->fill,
                    "Missing numbers: mean or median (of the training data), zero, or none (an error); "
                    "default: what the model was trained with");
    cmd->add_flag("--no-header", args->no_header,
                  "The file has no header line: its columns are the model's inputs, in the order 'dense summary' lists");
    cmd->footer(
        "Output: one column per target (regression), or the predicted label and one p_LABEL probability\n"
        "column per class (classification). Values are written with enough digits to read back exactly.\n"
        "A first line of numbers is taken for a file without a header and refused: pass --no-header.\n"
        "The file is read, predicted and written in blocks of about 8 MB at a time, so its size is not limited\n"
        "by memory.\n"
        "Examples:\n"
        "  dense predict model.dense new.csv\n"
        "  cat new.csv | dense predict model.dense - --out predictions.csv");
    cmd->callback([args] { run_predict(*args); });
}

const CommandRegistration registration{add_predict};

}  // namespace
}  // namespace dense::cli
