#pragma once
// html_report: one self-contained HTML page about a model — its summary table, the network
// diagram, the training curves (when a history is given) and the weight maps. Every image is
// inlined as a data: URI, so the page opens anywhere without network access.
//
//   dense::plot::html_report(model, "report.html", {.history = history});
#include <filesystem>
#include <optional>

#include "dense/history.hpp"
#include "dense/plot/network_diagram.hpp"
#include "dense/plot/training_curves.hpp"
#include "dense/plot/weight_maps.hpp"
#include "dense/sequential.hpp"

namespace dense::plot {

struct ReportOptions {
    std::optional<History> history = std::nullopt;
    DiagramOptions diagram = {};
    CurvesOptions curves = {};
    WeightMapOptions weights = {};
};

template <class T>
void html_report(const BasicSequential<T>& model, const std::filesystem::path& path, const ReportOptions& options = {});

}  // namespace dense::plot
