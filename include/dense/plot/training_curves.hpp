#pragma once
// training_curves: loss and every metric per epoch, one panel per quantity, training and
// validation ("val_" + key) together, with axes, nice ticks, labels and a legend. NaN and
// infinite values leave a gap; an isolated epoch is drawn as a dot.
//
//   auto history = model.fit(x, y, {.epochs = 50, .validation_split = 0.2});
//   dense::plot::training_curves(history, "curves.svg");
#include <filesystem>
#include <string>

#include "dense/history.hpp"

namespace dense::plot {

struct CurvesOptions {
    bool log_scale = false;  // log y axis; values <= 0 are then left out like NaN
    double panel_width = 460;
    double panel_height = 320;
    // What the values are of, said in brackets after every panel's title: "loss (of 'price'
    // standardised)". dense train's --plot says so when the network learnt a standardised target,
    // so that a loss of 0.08 is not read in the target's units.
    std::string values_note = {};
};

void training_curves(const History& history, const std::filesystem::path& path, const CurvesOptions& options = {});
// The same from a CSVLogger file (epoch,<keys sorted>).
void training_curves(const std::filesystem::path& history_csv, const std::filesystem::path& path,
                     const CurvesOptions& options = {});

}  // namespace dense::plot
