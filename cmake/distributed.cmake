# dense::distributed: data-parallel training over MPI (dense/distributed/communicator.hpp). Built
# only when MPI is found (Debian: libopenmpi-dev); -DDENSE_WITH_MPI=OFF leaves it out. The core
# and the other components never need it. Every .cpp in src/distributed/ belongs to it.
option(DENSE_WITH_MPI "Build dense::distributed when MPI is found" ON)
if(DENSE_WITH_MPI)
  find_package(MPI QUIET COMPONENTS C)
endif()
if(NOT MPI_C_FOUND)
  message(STATUS "dense::distributed not built: no MPI found (install libopenmpi-dev)")
  return()
endif()
dense_component(distributed PACKAGES "MPI COMPONENTS C" PC_MODULES ompi-c)
dense_sources(distributed_sources distributed)
add_library(dense_distributed ${distributed_sources})
add_library(dense::distributed ALIAS dense_distributed)
target_link_libraries(dense_distributed PUBLIC dense::dense PRIVATE MPI::MPI_C)
# The C API only: mpi.h in C++ would otherwise pull in the long-deprecated C++ bindings.
target_compile_definitions(dense_distributed PRIVATE OMPI_SKIP_MPICXX=1 MPICH_SKIP_MPICXX=1)
dense_install_component(distributed dense_distributed)
