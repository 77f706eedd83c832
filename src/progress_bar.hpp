#pragma once
// ProgressBar: Keras' training display. verbose=1: "Epoch 3/10" then a bar redrawn in place,
//   "12/47 ━━━━━─────────────── 0s 2ms/step - accuracy: 0.8125 - loss: 0.4012";
// verbose=2: one line per epoch, "47/47 - 0s - 2ms/step - loss: 0.4012 - val_loss: 0.4420".
#include <chrono>
#include <cstddef>
#include <iosfwd>

#include "dense/history.hpp"

namespace dense::detail {

class ProgressBar {
public:
    ProgressBar(std::ostream& out, int verbose, bool interactive);
    void begin_epoch(int epoch, int epochs, std::size_t steps);
    // Redraws the bar (verbose=1 on a terminal), at most every 50 ms.
    void step(std::size_t done, const Logs& logs);
    void end_epoch(const Logs& logs);

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

// "2s", "340ms", "85us": how Keras writes a duration.
std::string format_duration(double seconds);
// Keras' number format in logs: %.4f, or %.4e for magnitudes below 1e-3.
std::string format_log_value(double value);

}  // namespace dense::detail
