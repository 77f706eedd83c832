#include "dense/tune/trial_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dense/error.hpp"

namespace dense::tune {

namespace {

using Json = nlohmann::ordered_json;
constexpr int log_version = 1;

Json hyperparameters_json(const Hyperparameters& h) {
    return {{"hidden_units", h.hidden_units}, {"activation", h.activation}, {"optimizer", h.optimizer},
            {"learning_rate", h.learning_rate}, {"batch_size", h.batch_size}, {"dropout", h.dropout},
            {"l2", h.l2}};
}

Hyperparameters hyperparameters_from(const Json& j) {
    Hyperparameters h;
    h.hidden_units = j.at("hidden_units").get<std::vector<std::size_t>>();
    h.activation = j.at("activation").get<std::string>();
    h.optimizer = j.at("optimizer").get<std::string>();
    h.learning_rate = j.at("learning_rate").get<double>();
    h.batch_size = j.at("batch_size").get<std::size_t>();
    h.dropout = j.at("dropout").get<double>();
    h.l2 = j.at("l2").get<double>();
    return h;
}

Json trial_json(const Trial& t) {
    return {{"trial", t.index},
            {"epoch_budget", t.epoch_budget},
            {"seed", t.seed},
            {"hyperparameters", hyperparameters_json(t.hyperparameters)},
            {"epochs", t.epochs},
            {"best_epochs", t.best_epochs},
            {"metric", t.diverged() ? Json(nullptr) : Json(t.metric)},
            {"parameters", t.parameters},
            {"metric_se", t.metric_se},
            {"seconds", t.seconds}};
}

Trial trial_from(const Json& j) {
    Trial t;
    t.index = j.at("trial").get<std::size_t>();
    t.epoch_budget = j.at("epoch_budget").get<int>();
    t.seed = j.at("seed").get<std::uint64_t>();
    t.hyperparameters = hyperparameters_from(j.at("hyperparameters"));
    t.epochs = j.at("epochs").get<int>();
    t.best_epochs = j.at("best_epochs").get<int>();
    if (!j.at("metric").is_null()) t.metric = j.at("metric").get<double>();
    t.parameters = j.at("parameters").get<std::size_t>();
    t.seconds = j.at("seconds").get<double>();
    t.metric_se = j.value("metric_se", 0.0);  // logs before the one-standard-error rule
    return t;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("tune: cannot read the trial log '" + path.string() + "'; check its permissions");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::string trial_line(const Trial& trial) { return trial_json(trial).dump(); }

Trial trial_from_line(const std::string& line) {
    try {
        return trial_from(Json::parse(line));
    } catch (const nlohmann::json::exception& error) {
        throw DataError("tune: not a trial (" + std::string(error.what()) + "): " + line.substr(0, 200));
    }
}

TrialLog::TrialLog(std::filesystem::path path, const std::string& fingerprint, std::uint64_t seed)
    : path_(std::move(path)) {
    read_existing(fingerprint);
    if (std::filesystem::file_size(path_) == 0)
        write_line(Json{{"dense_tune_log", log_version}, {"fingerprint", fingerprint}, {"seed", seed}}.dump());
}

void TrialLog::read_existing(const std::string& fingerprint) {
    if (!std::filesystem::exists(path_)) {
        std::ofstream create(path_, std::ios::binary);
        if (!create) throw Error("tune: cannot create the trial log '" + path_.string() + "'; check the folder exists");
        return;
    }
    std::string text = read_file(path_);
    // A line without its newline was cut short while being written: drop it.
    const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (complete != text.size()) {
        text.resize(complete);
        std::filesystem::resize_file(path_, complete);
    }
    std::istringstream lines(text);
    std::string line;
    for (std::size_t number = 1; std::getline(lines, line); ++number) {
        const std::string where = path_.string() + ":" + std::to_string(number);
        try {
            const Json json = Json::parse(line);
            if (number == 1) {
                if (json.at("fingerprint").get<std::string>() != fingerprint)
                    throw UsageError(where + ": this trial log belongs to a different search (other data, search "
                                     "space, seed or options); pass another log path, or delete the file to start over");
                continue;
            }
            const Trial trial = trial_from(json);
            trials_[{trial.index, trial.epoch_budget}] = trial;
        } catch (const nlohmann::json::exception& error) {
            throw DataError(where + ": not a trial log line (" + error.what() + "); delete the file to start over");
        }
    }
}

std::optional<Trial> TrialLog::find(std::size_t index, int epoch_budget) const {
    const auto found = trials_.find({index, epoch_budget});
    if (found == trials_.end()) return std::nullopt;
    return found->second;
}

void TrialLog::append(const Trial& trial) {
    write_line(trial_line(trial));
    trials_[{trial.index, trial.epoch_budget}] = trial;
}

void TrialLog::write_line(const std::string& line) {
    const std::string text = line + '\n';
    const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error("tune: cannot open the trial log '" + path_.string() + "' for writing: " + std::strerror(errno));
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = errno;
            ::close(fd);
            throw Error("tune: cannot write the trial log '" + path_.string() + "': " + std::strerror(error));
        }
        written += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) throw Error("tune: cannot sync the trial log '" + path_.string() + "' to disk");
}

}  // namespace dense::tune
