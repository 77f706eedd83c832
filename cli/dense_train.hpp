#pragma once
// `dense train`'s own procedure at its defaults, for `dense tune` to save the very file
// `dense train DATA --target Y --seed S` writes when its final check keeps dense train's model:
// the rows split with the seed (stratified for classification), the preprocessing learnt from the
// training rows alone, a linear model and 64 relu units trained with early stopping, one chosen,
// then refit on every row.
#include <cstdint>
#include <string>
#include <vector>

#include "dense/io/csv.hpp"
#include "dense/io/model_file.hpp"

namespace dense::cli {

// The flags of `dense train` that `dense tune` passes on; every other one at its default.
struct DenseTrainFlags {
    std::vector<std::string> targets;
    std::vector<std::string> dropped;  // --drop
    std::string task;  // empty: inferred
    std::string fill = "none";
    std::uint64_t seed = 42;
    bool refit = true;  // false: --no-refit
};

struct DenseTrainModel {
    io::ModelFile file;                // as `dense train` saves it, preprocessing and progress included
    std::vector<std::size_t> layers;   // the hidden layers of the network it chose; {0}: none
    int epochs = 0;                    // the epochs up to its kept weights (what a refit trains)
    std::string choice;                // why that network (ModelChoice::reason)
};

// `dense train` on `table` with `flags`, on this process alone (under mpirun too), printing nothing.
DenseTrainModel dense_train(io::CsvTable table, const DenseTrainFlags& flags);

}  // namespace dense::cli
