#include "progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "dense/printable.hpp"

namespace dense::detail {

namespace {
constexpr std::size_t kBarWidth = 20;
constexpr double kRedrawSeconds = 0.05;

// The time all steps took, as Keras gives it once they are done: whole seconds, "0s" for 85 ms.
std::string whole_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0fs", seconds);
    return text;
}

// Keras' estimate of the time left while the bar is drawn: whole seconds ("0s" for 340 ms) up to a
// minute, then minutes and seconds ("1:05"), past an hour hours too ("1:02:05").
std::string time_left(double seconds) {
    const long whole = static_cast<long>(seconds);
    char text[32];
    if (seconds > 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", whole / 3600, whole % 3600 / 60, whole % 60);
    else if (seconds > 60) std::snprintf(text, sizeof text, "%ld:%02ld", whole / 60, whole % 60);
    else std::snprintf(text, sizeof text, "%lds", whole);
    return text;
}
}  // namespace

std::string format_duration(double seconds) {
    char text[32];
    if (seconds >= 1.0) std::snprintf(text, sizeof text, "%.0fs", seconds);
    else if (seconds >= 1e-3) std::snprintf(text, sizeof text, "%.0fms", seconds * 1e3);
    else std::snprintf(text, sizeof text, "%.0fus", seconds * 1e6);
    return text;
}

std::string format_log_value(double value) {
    char text[32];
    std::snprintf(text, sizeof text, std::abs(value) > 1e-3 || value == 0.0 ? "%.4f" : "%.4e", value);
    return text;
}

ProgressBar::ProgressBar(std::ostream& out, int verbose, bool interactive)
    : out_(out), verbose_(verbose), interactive_(interactive) {}

ProgressBar stdout_progress(int verbose) {
    return ProgressBar(std::cout, verbose, verbose == 1 && isatty(fileno(stdout)));
}

void ProgressBar::begin(std::size_t steps) {
    steps_ = steps;
    if (verbose_ == 0) return;  // silent: not even the clock is read
    start_ = last_draw_ = std::chrono::steady_clock::now();
}

// As Keras' ProgbarLogger, only a fit of several epochs says which one each is.
void ProgressBar::begin_epoch(int epoch, int epochs, std::size_t steps) {
    begin(steps);
    if (verbose_ >= 1 && epochs > 1) out_ << "Epoch " << epoch + 1 << '/' << epochs << '\n' << std::flush;
}

double ProgressBar::elapsed_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string ProgressBar::bar(std::size_t done) const {
    const std::size_t filled = steps_ ? done * kBarWidth / steps_ : kBarWidth;
    std::string text;
    for (std::size_t i = 0; i < kBarWidth; ++i) text += i < filled ? "━" : "─";
    return text;
}

std::string ProgressBar::metrics_text(const Logs& logs) const {
    std::string text;
    for (const auto& [key, value] : logs) text += " - " + key + ": " + format_log_value(value);
    return text;
}

// Keras' way of redrawing a line in place: a carriage return, then spaces over whatever of the
// last drawing the new one leaves, never an escape sequence (the CLI prints control characters on
// a terminal as escapes, cli/terminal_output.hpp, and a log file shows them as such).
void ProgressBar::redraw(const std::string& text) {
    // Characters, not bytes: the bar's ━ and ─ take three bytes each in UTF-8.
    const auto width = display_width(text);
    out_ << '\r' << text << std::string(drawn_width_ > width ? drawn_width_ - width : 0, ' ');
    drawn_width_ = width;
}

void ProgressBar::step(std::size_t done, const Logs& logs) {
    if (!redraws()) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < steps_ && std::chrono::duration<double>(now - last_draw_).count() < kRedrawSeconds) return;
    last_draw_ = now;
    const double per_step = elapsed_seconds() / double(done ? done : 1);
    const double eta = per_step * double(steps_ - done);
    redraw(std::to_string(done) + '/' + std::to_string(steps_) + ' ' + bar(done) + ' ' + time_left(eta) + ' ' +
           format_duration(per_step) + "/step" + metrics_text(logs));
    out_ << std::flush;
}

void ProgressBar::end(const Logs& logs) {
    if (verbose_ == 0) return;
    const double total = elapsed_seconds();
    const std::string seconds = whole_seconds(total);
    const std::string per_step = format_duration(total / double(steps_ ? steps_ : 1)) + "/step";
    if (verbose_ == 1) {
        const std::string line = std::to_string(steps_) + '/' + std::to_string(steps_) + ' ' + bar(steps_) + ' ' +
                                 seconds + ' ' + per_step + metrics_text(logs);
        if (interactive_)
            redraw(line);
        else
            out_ << line;
        out_ << '\n';
        drawn_width_ = 0;
    } else {
        out_ << steps_ << '/' << steps_ << " - " << seconds << " - " << per_step << metrics_text(logs) << '\n';
    }
    out_ << std::flush;
}

}  // namespace dense::detail
