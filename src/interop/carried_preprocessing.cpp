#include "interop/carried_preprocessing.hpp"

#include "dense/error.hpp"
#include "dense/interop/output_scaling.hpp"

namespace dense::interop {

io::Preprocessing carried_preprocessing(const nlohmann::json& json, const std::string& where) {
    try {
        return io::preprocessing_from_json(json);
    } catch (const nlohmann::json::exception& error) {
        throw DataError(where + ": the preprocessing is not valid: " + error.what());
    } catch (const DataError& error) {
        throw DataError(where + ": " + error.what());
    }
}

LoadedModel as_dense_model(LoadedModel loaded, const std::string& file) {
    if (!loaded.preprocessing) return loaded;
    try {
        return {in_standardised_targets(loaded.model, *loaded.preprocessing), std::move(loaded.preprocessing)};
    } catch (const UsageError& error) {
        throw DataError(file + ": " + error.what());
    }
}

}  // namespace dense::interop
