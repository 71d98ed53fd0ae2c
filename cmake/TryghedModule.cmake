# tryghed_add_module(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
#
# Declares one engine module as a static library `tryghed_<NAME>` with the
# alias `tryghed::<NAME>`. Sources are listed explicitly (no globbing).
# Headers are included as "<module>/<file>.h" from the engine/ folder.
function(tryghed_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(tryghed_${name} STATIC ${ARG_SOURCES})
  add_library(tryghed::${name} ALIAS tryghed_${name})
  target_include_directories(tryghed_${name} PUBLIC ${PROJECT_SOURCE_DIR}/engine)
  target_compile_features(tryghed_${name} PUBLIC cxx_std_20)
  target_link_libraries(tryghed_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  tryghed_set_warnings(tryghed_${name})
endfunction()

# Warnings for project code only (never for third-party headers).
function(tryghed_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference
    -Wimplicit-fallthrough)
  if(TRYGHED_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
