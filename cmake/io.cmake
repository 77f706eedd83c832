# dense::io: reading data (CSV, IDX) and model files. Every .cpp in src/io/ belongs to it.
find_package(nlohmann_json REQUIRED)
find_package(ZLIB REQUIRED)
dense_sources(io_sources io)
add_library(dense_io ${io_sources})
add_library(dense::io ALIAS dense_io)
target_link_libraries(dense_io PUBLIC dense::dense nlohmann_json::nlohmann_json PRIVATE ZLIB::ZLIB)
