# dense::interop: Keras (.keras, .weights.h5, legacy .h5) and ONNX import and export.
# HDF5 through its C library, the .keras zip through libzip, configs through nlohmann-json and
# ONNX through protobuf classes generated from the onnx.proto that Debian's libonnx-dev ships.
# HDF5 comes through pkg-config: CMake's FindHDF5 needs the C language enabled, which a
# consumer's C++-only project has not.
dense_component(interop REQUIRES io
  PACKAGES "nlohmann_json 3" Protobuf PKG_CONFIG "HDF5 hdf5" "LIBZIP libzip"
  PC_MODULES nlohmann_json protobuf)
add_library(HDF5::HDF5 ALIAS PkgConfig::HDF5)
find_file(DENSE_ONNX_PROTO onnx/onnx.proto HINTS /usr/include /usr/local/include
  DOC "onnx.proto from the ONNX distribution (Debian: libonnx-dev)")
if(NOT DENSE_ONNX_PROTO)
  message(FATAL_ERROR "dense::interop needs onnx/onnx.proto: install libonnx-dev (apt-get install libonnx-dev) "
                      "or pass -DDENSE_ONNX_PROTO=/path/to/onnx/onnx.proto")
endif()

# protoc names the generated files after the .proto's path below its import root, so the copy
# in the build folder gives #include "onnx/onnx.pb.h" without reaching the system's headers.
set(interop_proto_root ${CMAKE_CURRENT_BINARY_DIR}/interop_proto)
set(interop_proto ${interop_proto_root}/onnx/onnx.proto)
configure_file(${DENSE_ONNX_PROTO} ${interop_proto} COPYONLY)
add_custom_command(
  OUTPUT ${interop_proto_root}/onnx/onnx.pb.cc ${interop_proto_root}/onnx/onnx.pb.h
  COMMAND protobuf::protoc --proto_path=${interop_proto_root} --cpp_out=${interop_proto_root} ${interop_proto}
  DEPENDS ${interop_proto} protobuf::protoc
  COMMENT "Generating C++ classes for ONNX's schema")
add_library(dense_onnx_proto STATIC ${interop_proto_root}/onnx/onnx.pb.cc)
# Generated code is not ours to make -Wpedantic clean.
target_compile_options(dense_onnx_proto PRIVATE -w)
target_include_directories(dense_onnx_proto SYSTEM PUBLIC $<BUILD_INTERFACE:${interop_proto_root}>)
target_link_libraries(dense_onnx_proto PUBLIC protobuf::libprotobuf)

dense_sources(interop_sources interop)
add_library(dense_interop ${interop_sources})
add_library(dense::interop ALIAS dense_interop)
target_include_directories(dense_interop PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
# dense::io writes files atomically for us.
target_link_libraries(dense_interop
  PUBLIC dense::dense
  PRIVATE dense::io PkgConfig::HDF5 PkgConfig::LIBZIP nlohmann_json::nlohmann_json dense_onnx_proto)
dense_install_component(interop dense_interop dense_onnx_proto)
