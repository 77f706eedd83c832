# Components: optional libraries under src/<name>/ that an installed dense offers as dense::<name>
# (find_package(dense COMPONENTS <name>)). A fragment cmake/<name>.cmake declares one with
#
#   dense_component(<name> [REQUIRES <component>...] [PACKAGES "<find_package arguments>"...]
#                   [PKG_CONFIG "<PREFIX> <module>"...] [PC_MODULES <pkg-config module>...])
#
# before it defines its targets, and ends with
#
#   dense_install_component(<name> <library> [<helper library>...])
#
# dense_component finds every dependency now (REQUIRED): PACKAGES through find_package,
# PKG_CONFIG as the imported target PkgConfig::<PREFIX>. It also writes the component's part of
# the installed package, dense-<name>.cmake, which repeats those look-ups for a consumer
# (find_dependency), loads the REQUIRES components first and then the exported targets: a static
# library's private dependencies must resolve in the consumer's project too. PC_MODULES name
# the pkg-config modules of the PACKAGES, for dense.pc.
#
# dense_install_component installs the libraries and exports them: the first as dense::<name>,
# the others (a generated helper library, say) as dense::<target without "dense_">.

set(dense_components "")               # the components this build has, in dependency order
set(dense_pc_libs "-ldense")           # dense.pc's Libs, most dependent library first
set(dense_pc_private_libs "")          # helper libraries, after every dense library
set(dense_pc_requires "")              # pkg-config modules the libraries need

# A macro, so that what find_package defines (variables such as PKG_CONFIG_EXECUTABLE, imported
# targets) is seen by the fragment and the folders below, as if it had called find_package itself.
macro(dense_component name)
  cmake_parse_arguments(_dense "" "" "REQUIRES;PACKAGES;PKG_CONFIG;PC_MODULES" ${ARGN})
  set(_dense_lines "# dense::${name}, as cmake/${name}.cmake declares it (written by cmake/component.cmake).\n")
  foreach(_dense_required IN LISTS _dense_REQUIRES)
    if(NOT _dense_required IN_LIST dense_components)
      message(FATAL_ERROR "dense::${name} requires dense::${_dense_required}, which is not declared before it")
    endif()
    string(APPEND _dense_lines "dense_require_component(${_dense_required})\n")
  endforeach()
  foreach(_dense_package IN LISTS _dense_PACKAGES)
    separate_arguments(_dense_package_arguments UNIX_COMMAND "${_dense_package}")
    find_package(${_dense_package_arguments} REQUIRED)
    string(APPEND _dense_lines "dense_dependency(${_dense_package})\n")
  endforeach()
  if(_dense_PKG_CONFIG)
    find_package(PkgConfig REQUIRED)
  endif()
  foreach(_dense_entry IN LISTS _dense_PKG_CONFIG)
    separate_arguments(_dense_prefix_and_module UNIX_COMMAND "${_dense_entry}")
    list(GET _dense_prefix_and_module 0 _dense_prefix)
    list(GET _dense_prefix_and_module 1 _dense_module)
    pkg_check_modules(${_dense_prefix} REQUIRED IMPORTED_TARGET ${_dense_module})
    string(APPEND _dense_lines "dense_pkg_config_dependency(${_dense_prefix} ${_dense_module})\n")
    list(APPEND _dense_PC_MODULES ${_dense_module})
  endforeach()
  string(APPEND _dense_lines "include(\"\${CMAKE_CURRENT_LIST_DIR}/dense-${name}-targets.cmake\")\n")
  file(WRITE ${PROJECT_BINARY_DIR}/dense-${name}.cmake "${_dense_lines}")
  list(APPEND dense_pc_requires ${_dense_PC_MODULES})
  list(REMOVE_DUPLICATES dense_pc_requires)
  list(APPEND dense_components ${name})
endmacro()

function(dense_install_component name library)
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${name})
  dense_set_library_version(${library})
  set(pc_private_libs ${dense_pc_private_libs})
  foreach(helper IN LISTS ARGN)
    string(REGEX REPLACE "^dense_" "" helper_name ${helper})
    set_target_properties(${helper} PROPERTIES EXPORT_NAME ${helper_name})
    get_target_property(type ${helper} TYPE)
    if(type STREQUAL "STATIC_LIBRARY" AND NOT BUILD_SHARED_LIBS)
      list(APPEND pc_private_libs -l${helper})
    endif()
  endforeach()
  install(TARGETS ${library} ${ARGN} EXPORT dense-${name}-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(EXPORT dense-${name}-targets NAMESPACE dense:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dense)
  install(FILES ${PROJECT_BINARY_DIR}/dense-${name}.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dense)
  set(dense_pc_libs -l${library} ${dense_pc_libs} PARENT_SCOPE)
  set(dense_pc_private_libs ${pc_private_libs} PARENT_SCOPE)
endfunction()

# A shared library's file name carries the version and its SONAME the ABI it keeps: the major
# version, or major.minor while the major version is 0 (every 0.x release may break it). It
# exports only what is in namespace dense (cmake/dense.map).
function(dense_set_library_version library)
  if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(abi ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
  else()
    set(abi ${PROJECT_VERSION_MAJOR})
  endif()
  set_target_properties(${library} PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${abi})
  get_target_property(type ${library} TYPE)
  if(type STREQUAL "SHARED_LIBRARY")
    set(map ${PROJECT_SOURCE_DIR}/cmake/dense.map)
    target_link_options(${library} PRIVATE -Wl,--version-script=${map})
    set_property(TARGET ${library} APPEND PROPERTY LINK_DEPENDS ${map})
  endif()
endfunction()
