#pragma once
// TrialLog: the JSON-lines file that makes a search resumable. The first line identifies the
// search (a fingerprint of its data, space and options); every other line is one finished Trial.
// Rerunning a search with the same log reads its trials back instead of training them again.
//   {"dense_tune_log":1,"fingerprint":"…","seed":42}
//   {"trial":0,"epoch_budget":9,"seed":…,"hyperparameters":{…},"epochs":9,"best_epochs":8,
//    "metric":0.91,"parameters":7850,"seconds":1.2}
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "dense/tune/trial.hpp"

namespace dense::tune {

// One trial as one line of the log (JSON, without the newline), and back: also what the
// processes of a distributed search send process 0. DataError for a line that is not a trial.
std::string trial_line(const Trial& trial);
Trial trial_from_line(const std::string& line);

class TrialLog {
public:
    // Opens the log at `path`, creating it when absent. A last line cut short by an interruption
    // is dropped; any other malformed line throws DataError naming path:line. A log written for
    // a different fingerprint throws UsageError.
    TrialLog(std::filesystem::path path, const std::string& fingerprint, std::uint64_t seed);

    const std::filesystem::path& path() const noexcept { return path_; }
    std::size_t size() const noexcept { return trials_.size(); }
    // The logged evaluation of trial `index` with this epoch budget, if any.
    std::optional<Trial> find(std::size_t index, int epoch_budget) const;
    // Appends one line and syncs it to disk before returning.
    void append(const Trial& trial);

private:
    void read_existing(const std::string& fingerprint);
    void write_line(const std::string& line);

    std::filesystem::path path_;
    std::map<std::pair<std::size_t, int>, Trial> trials_;
};

}  // namespace dense::tune
