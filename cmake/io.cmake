# dense::io: reading data (CSV, IDX) and model files. Every .cpp in src/io/ belongs to it.
dense_component(io PACKAGES nlohmann_json ZLIB PC_MODULES nlohmann_json zlib)
dense_sources(io_sources io)
add_library(dense_io ${io_sources})
add_library(dense::io ALIAS dense_io)
target_link_libraries(dense_io PUBLIC dense::dense nlohmann_json::nlohmann_json PRIVATE ZLIB::ZLIB)
dense_install_component(io dense_io)
