# dense::python — the extension module dense._core of the `dense` Python package (python/dense/),
# bound with nanobind. Built only when asked (-DDENSE_BUILD_PYTHON=ON) or when scikit-build-core
# drives the build (`pip install .`, which sets SKBUILD and builds this target alone). The core
# never depends on it.
option(DENSE_BUILD_PYTHON "Build the Python extension module (needs Python's headers and nanobind)" OFF)
if(NOT (DENSE_BUILD_PYTHON OR SKBUILD))
  return()
endif()

find_package(Python 3.9 REQUIRED COMPONENTS Interpreter Development.Module)
# nanobind comes from PyPI (scikit-build-core installs it into the build environment); its CMake
# files are found through the module itself.
execute_process(COMMAND "${Python_EXECUTABLE}" -m nanobind --cmake_dir
  OUTPUT_VARIABLE nanobind_cmake_dir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE nanobind_missing)
if(nanobind_missing)
  message(FATAL_ERROR "The Python module needs nanobind: ${Python_EXECUTABLE} -m pip install nanobind")
endif()
# Forced: each isolated `pip install` has nanobind somewhere else, and a build folder is reused.
set(nanobind_DIR "${nanobind_cmake_dir}" CACHE PATH "nanobind's CMake files" FORCE)
find_package(nanobind CONFIG REQUIRED)

dense_sources(python_sources python)
nanobind_add_module(dense_python NB_STATIC NB_SUPPRESS_WARNINGS ${python_sources})
set_target_properties(dense_python PROPERTIES OUTPUT_NAME _core)
target_include_directories(dense_python PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(dense_python PRIVATE dense::dense dense::io dense::interop)
# Into the wheel's dense/ folder, beside the package's Python files (python/dense/). A plain
# CMake build leaves the module in its build folder: the package is installed by pip.
if(SKBUILD)
  install(TARGETS dense_python LIBRARY DESTINATION dense COMPONENT python)
endif()
