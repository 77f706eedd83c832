# dense::distributed: data-parallel training over MPI (dense/distributed/communicator.hpp). Built
# only when MPI is found (Debian: libopenmpi-dev); -DDENSE_WITH_MPI=OFF leaves it out. The core
# and the other components never need it. Every .cpp in src/distributed/ belongs to it.
# MPI's CXX component, as the code is C++: a project that finds dense::distributed then needs no C
# compiler (FindMPI's C component refuses a project of LANGUAGES CXX). MPI_CXX_SKIP_MPICXX keeps to
# the C API: mpi.h in C++ would otherwise pull in the long-deprecated C++ bindings.
option(DENSE_WITH_MPI "Build dense::distributed when MPI is found" ON)
set(MPI_CXX_SKIP_MPICXX TRUE)
if(DENSE_WITH_MPI)
  find_package(MPI QUIET COMPONENTS CXX)
endif()
if(NOT MPI_CXX_FOUND)
  message(STATUS "dense::distributed not built: no MPI found (install libopenmpi-dev)")
  return()
endif()
dense_component(distributed PACKAGES "MPI COMPONENTS CXX" PC_MODULES ompi-c)
dense_sources(distributed_sources distributed)
add_library(dense_distributed ${distributed_sources})
add_library(dense::distributed ALIAS dense_distributed)
target_link_libraries(dense_distributed PUBLIC dense::dense PRIVATE MPI::MPI_CXX)
dense_install_component(distributed dense_distributed)
