# The installed package, as another project sees it: `cmake --install` into a scratch prefix,
# then
# - examples/consumer, a CMake project using find_package(dense COMPONENTS io interop plot tune),
#   is built and run: it reads a CSV, trains, saves, loads and predicts, exports to Keras, draws
#   and tunes;
# - the same program is built with nothing but `pkg-config --static --cflags --libs dense`;
# - find_package with an unknown component fails, naming the components there are, and
#   OPTIONAL_COMPONENTS leaves dense found with dense_<component>_FOUND saying which were;
# - when the installation has dense::distributed, a project of LANGUAGES CXX alone finds it and
#   builds a program with it (FindMPI's C component would refuse such a project).
# usage: cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DCXX=... -P install_and_consume.cmake
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

# "trained 23.0001 reloaded 23.0001 keras 23.0001 tuner_trials 2": the model must have learned
# y = 2x + 3 (x = 10 gives 23), and the saved and exported copies must predict exactly as it does.
function(check_consumer_output how output)
  string(STRIP "${output}" output)
  string(REPLACE " " ";" fields "${output}")
  list(LENGTH fields count)
  if(NOT count EQUAL 8)
    message(FATAL_ERROR "${how}: unexpected output '${output}'")
  endif()
  list(GET fields 1 trained)
  list(GET fields 3 reloaded)
  list(GET fields 5 keras)
  list(GET fields 7 trials)
  if(NOT (trained GREATER 22.99 AND trained LESS 23.01))
    message(FATAL_ERROR "${how}: predicted ${trained} for x = 10, expected 23 ± 0.01 (${output})")
  endif()
  if(NOT reloaded STREQUAL trained OR NOT keras STREQUAL trained)
    message(FATAL_ERROR "${how}: the saved model predicts ${reloaded} and the Keras export ${keras}, "
                        "the trained model ${trained}: they must be equal")
  endif()
  if(NOT trials EQUAL 2)
    message(FATAL_ERROR "${how}: the tuner ran ${trials} trials, expected 2")
  endif()
  message(STATUS "${how}: ${output}")
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/consumer -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer ${WORK_DIR}/run-cmake)
check_consumer_output("find_package(dense COMPONENTS io interop plot tune)" "${output}")

file(GLOB pc_files ${prefix}/*/pkgconfig/dense.pc ${prefix}/lib/*/pkgconfig/dense.pc)
if(NOT pc_files)
  message(FATAL_ERROR "no dense.pc under ${prefix}")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
run(pkg-config --static --cflags --libs dense)
string(STRIP "${output}" pc_flags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
run(${CXX} -std=c++20 -O1 ${SOURCE_DIR}/examples/consumer/main.cpp ${pc_flags} -o ${WORK_DIR}/consumer-pkg-config)
set(ENV{LD_LIBRARY_PATH} ${pc_dir}/..)  # a shared build's libraries; pkg-config sets no rpath
run(${WORK_DIR}/consumer-pkg-config ${WORK_DIR}/run-pkg-config)
check_consumer_output("pkg-config --static --cflags --libs dense" "${output}")

# find_package's answers for unknown and optional components, from a project of its own.
file(WRITE ${WORK_DIR}/components/CMakeLists.txt [[
cmake_minimum_required(VERSION 3.25)
project(components LANGUAGES CXX)
find_package(dense QUIET COMPONENTS nope)
if(dense_FOUND)
  message(FATAL_ERROR "find_package(dense COMPONENTS nope) set dense_FOUND")
endif()
find_package(dense REQUIRED COMPONENTS tune OPTIONAL_COMPONENTS nope)
if(NOT dense_FOUND OR NOT dense_tune_FOUND OR dense_nope_FOUND OR NOT TARGET dense::io)
  message(FATAL_ERROR "OPTIONAL_COMPONENTS nope: dense_FOUND=${dense_FOUND} dense_tune_FOUND=${dense_tune_FOUND} "
                      "dense_nope_FOUND=${dense_nope_FOUND}")
endif()
find_package(dense REQUIRED COMPONENTS io nope)
]])
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/components -B ${WORK_DIR}/components/build
                        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX REPLACE "[ \n]+" " " err "${err}")  # CMake wraps its messages
if(status EQUAL 0 OR NOT err MATCHES "dense has no component nope; the components of this installation are: io, interop, plot, tune")
  message(FATAL_ERROR "find_package(dense REQUIRED COMPONENTS io nope) should fail naming the components:\n${out}\n${err}")
endif()
message(STATUS "an unknown component is refused: ${CMAKE_MATCH_0}")

file(GLOB_RECURSE distributed_config ${prefix}/dense-distributed.cmake)
if(distributed_config)
  file(WRITE ${WORK_DIR}/distributed/CMakeLists.txt [[
cmake_minimum_required(VERSION 3.25)
project(distributed LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(dense REQUIRED COMPONENTS distributed)
add_executable(shards main.cpp)
target_link_libraries(shards PRIVATE dense::distributed)
]])
  file(WRITE ${WORK_DIR}/distributed/main.cpp [[
#include <dense/dense.hpp>
#include <dense/distributed/communicator.hpp>
#include <iostream>
int main() {
    dense::distributed::Communicator world;
    const auto [first, end] = dense::shard_of(10, world.rank(), world.size());
    std::cout << first << " " << end << "\n";
}
]])
  run(${CMAKE_COMMAND} -S ${WORK_DIR}/distributed -B ${WORK_DIR}/distributed/build -DCMAKE_PREFIX_PATH=${prefix}
      -DCMAKE_CXX_COMPILER=${CXX})
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/distributed/build)
  message(STATUS "find_package(dense COMPONENTS distributed) from a project of LANGUAGES CXX: built")
endif()
