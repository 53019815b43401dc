# GSL, and the CBLAS behind it.
#
# GSL calls the BLAS through the CBLAS interface (cblas_dgemm, ...). Debian's libgsl.so itself depends on
# GSL's reference implementation, libgslcblas, so that library is always loaded; which cblas_dgemm libgsl's
# calls reach is decided by the order of the dynamic symbol lookup. If the program links libopenblas *after*
# libgsl, OpenBLAS comes first in that order and wins. Two traps:
#   - linking -lopenblas *before* -lgsl with --as-needed (Debian's default) drops OpenBLAS silently, because
#     nothing before it needs it, and everything still runs, on gslcblas, 7-14x slower;
#   - OpenBLAS may start a thread pool; our programs are single-threaded by design (common/blas.c pins it).
# So we build the link line ourselves (libgsl, then the chosen CBLAS) and then *verify* the binding by
# compiling and running a probe with the same link line. Every data file's header repeats the answer.
find_package(GSL 2.5 REQUIRED)

set(suite_cblas_library "")
if(SUITE_BLAS STREQUAL "AUTO" OR SUITE_BLAS STREQUAL "OPENBLAS")
  find_library(OPENBLAS_LIBRARY NAMES openblas)
  if(OPENBLAS_LIBRARY)
    set(suite_cblas_library "${OPENBLAS_LIBRARY}")
    set(suite_cblas_expect "openblas")
  elseif(SUITE_BLAS STREQUAL "OPENBLAS")
    message(FATAL_ERROR "SUITE_BLAS=OPENBLAS but no libopenblas was found "
                        "(apt-get install libopenblas-dev, or configure with -DSUITE_BLAS=AUTO)")
  endif()
elseif(NOT SUITE_BLAS STREQUAL "GSL")
  message(FATAL_ERROR "SUITE_BLAS must be AUTO, OPENBLAS or GSL (got '${SUITE_BLAS}')")
endif()
if(NOT suite_cblas_library)
  set(suite_cblas_library "${GSL_CBLAS_LIBRARY}")
  set(suite_cblas_expect "gslcblas")
endif()

# suite::gsl: what every program links. The order matters (see above): libgsl first, the CBLAS second.
add_library(suite_gsl INTERFACE)
target_include_directories(suite_gsl INTERFACE ${GSL_INCLUDE_DIRS})
target_link_libraries(suite_gsl INTERFACE "${GSL_LIBRARY}" "${suite_cblas_library}" m ${CMAKE_DL_LIBS})
add_library(suite::gsl ALIAS suite_gsl)

# The probe: common/blas.c (which the programs use to report the BLAS at run time) plus a main().
try_run(blas_probe_run blas_probe_compiled
        "${CMAKE_BINARY_DIR}/blas_probe"
        SOURCES "${CMAKE_SOURCE_DIR}/cmake/blas_probe.c" "${CMAKE_SOURCE_DIR}/common/blas.c"
        CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${GSL_INCLUDE_DIRS};${CMAKE_SOURCE_DIR}/common"
        C_STANDARD 11 C_EXTENSIONS OFF
        LINK_LIBRARIES "${GSL_LIBRARY}" "${suite_cblas_library}" m ${CMAKE_DL_LIBS}
        COMPILE_OUTPUT_VARIABLE blas_probe_compile_log
        RUN_OUTPUT_VARIABLE blas_probe_output)
if(NOT blas_probe_compiled OR NOT blas_probe_run EQUAL 0)
  message(FATAL_ERROR "Could not build and run the CBLAS probe against GSL:\n${blas_probe_compile_log}\n${blas_probe_output}")
endif()
string(STRIP "${blas_probe_output}" SUITE_BLAS_BOUND)
if(NOT SUITE_BLAS_BOUND MATCHES "^${suite_cblas_expect}")
  message(FATAL_ERROR "GSL's cblas_dgemm binds to '${SUITE_BLAS_BOUND}', expected ${suite_cblas_expect}: "
                      "the link order is wrong (see cmake/SuiteBlas.cmake)")
endif()
message(STATUS "GSL ${GSL_VERSION}; its CBLAS calls bind to: ${SUITE_BLAS_BOUND}")
set(SUITE_BLAS_EXPECT "${suite_cblas_expect}" CACHE INTERNAL "")
