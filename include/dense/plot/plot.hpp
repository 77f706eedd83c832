#pragma once
// Pictures of a network and its training (link dense::plot): #include <dense/plot/plot.hpp>.
#include "dense/plot/history_csv.hpp"
#include "dense/plot/html_report.hpp"
#include "dense/plot/image_file.hpp"
#include "dense/plot/network_diagram.hpp"
#include "dense/plot/palette.hpp"
#include "dense/plot/training_curves.hpp"
#include "dense/plot/weight_maps.hpp"
