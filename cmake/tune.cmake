# dense::tune: automatic search for the best network (random search, Hyperband, k-fold
# cross-validation, resumable JSON-lines logs). Every .cpp in src/tune/ belongs to it.
dense_component(tune REQUIRES io PACKAGES "nlohmann_json 3" PC_MODULES nlohmann_json)
dense_sources(tune_sources tune)
add_library(dense_tune ${tune_sources})
add_library(dense::tune ALIAS dense_tune)
target_include_directories(dense_tune PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(dense_tune PUBLIC dense::dense dense::io PRIVATE nlohmann_json::nlohmann_json)
dense_install_component(tune dense_tune)
