#pragma once
// ProgressBar: Keras' display of fit's epochs and of evaluate and predict. verbose=1: (for an
// epoch of several, "Epoch 3/10" first) a bar redrawn in place,
//   "12/47 ━━━━━─────────────── 0s 2ms/step - accuracy: 0.8125 - loss: 0.4012";
// verbose=2: one line when done, "47/47 - 0s - 2ms/step - loss: 0.4012 - val_loss: 0.4420".
#include <chrono>
#include <cstddef>
#include <iosfwd>

#include "dense/history.hpp"

namespace dense::detail {

class ProgressBar {
public:
    ProgressBar(std::ostream& out, int verbose, bool interactive);
    // Starts the clock for `steps` steps (evaluate, predict); begin_epoch also prints "Epoch 3/10"
    // when fit has more than one epoch.
    void begin(std::size_t steps);
    void begin_epoch(int epoch, int epochs, std::size_t steps);
    // Whether step redraws the bar (verbose=1 on a terminal): else its logs go unread.
    bool redraws() const noexcept { return verbose_ == 1 && interactive_; }
    // Redraws the bar (when redraws()), at most every 50 ms.
    void step(std::size_t done, const Logs& logs);
    // The line of all `steps` steps done, with the final logs.
    void end(const Logs& logs);

private:
    std::string metrics_text(const Logs& logs) const;
    std::string bar(std::size_t done) const;
    double elapsed_seconds() const;
    // '\r', then `text` over the line drawn last, padded with spaces to cover all of it.
    void redraw(const std::string& text);

    std::ostream& out_;
    int verbose_;
    bool interactive_;
    std::size_t steps_ = 0;
    std::size_t drawn_width_ = 0;  // characters of the line drawn last, to cover with the next
    std::chrono::steady_clock::time_point start_, last_draw_;
};

// On std::cout, redrawn (verbose=1) only when it is a terminal.
ProgressBar stdout_progress(int verbose);

// "2s", "340ms", "85us": how Keras writes a duration.
std::string format_duration(double seconds);
// Keras' number format in logs: %.4f, or %.4e for magnitudes below 1e-3.
std::string format_log_value(double value);

}  // namespace dense::detail
