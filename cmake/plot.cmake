# dense::plot — pictures of a network and its training (network diagram, training curves, weight
# maps, HTML report), drawn with Cairo as SVG, PNG or PDF.
dense_component(plot REQUIRES io PKG_CONFIG "CAIRO cairo")

dense_sources(plot_sources plot)
add_library(dense_plot ${plot_sources})
add_library(dense::plot ALIAS dense_plot)
target_include_directories(dense_plot PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
# dense::io reads the history CSV and writes files atomically.
target_link_libraries(dense_plot PUBLIC dense::dense PRIVATE dense::io PkgConfig::CAIRO)
dense_install_component(plot dense_plot)
