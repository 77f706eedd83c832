#include "progress_bar.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

namespace dense::detail {

namespace {
constexpr std::size_t kBarWidth = 20;
constexpr double kRedrawSeconds = 0.05;
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

void ProgressBar::begin_epoch(int epoch, int epochs, std::size_t steps) {
    steps_ = steps;
    if (verbose_ == 0) return;  // silent: not even the clock is read
    start_ = last_draw_ = std::chrono::steady_clock::now();
    if (verbose_ >= 1) out_ << "Epoch " << epoch + 1 << '/' << epochs << '\n' << std::flush;
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

void ProgressBar::step(std::size_t done, const Logs& logs) {
    if (verbose_ != 1 || !interactive_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < steps_ && std::chrono::duration<double>(now - last_draw_).count() < kRedrawSeconds) return;
    last_draw_ = now;
    const double per_step = elapsed_seconds() / double(done ? done : 1);
    const double eta = per_step * double(steps_ - done);
    out_ << '\r' << done << '/' << steps_ << ' ' << bar(done) << ' ' << format_duration(eta) << ' '
         << format_duration(per_step) << "/step" << metrics_text(logs) << "\x1b[K" << std::flush;
}

void ProgressBar::end_epoch(const Logs& logs) {
    if (verbose_ == 0) return;
    const double total = elapsed_seconds();
    const std::string per_step = format_duration(total / double(steps_ ? steps_ : 1)) + "/step";
    if (verbose_ == 1) {
        if (interactive_) out_ << '\r';
        out_ << steps_ << '/' << steps_ << ' ' << bar(steps_) << ' ' << format_duration(total) << ' ' << per_step
             << metrics_text(logs) << (interactive_ ? "\x1b[K" : "") << '\n';
    } else {
        out_ << steps_ << '/' << steps_ << " - " << format_duration(total) << " - " << per_step << metrics_text(logs)
             << '\n';
    }
    out_ << std::flush;
}

}  // namespace dense::detail
