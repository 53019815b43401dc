# suite_paper(): builds one paper program and registers its tests.
#
#   suite_paper(deep_linear_dynamics
#     CLAIMS   exact_solution depth_law ...     every claim the program lists (checked: see below)
#     CONTROLS depth_law ...                    claims whose --control run must FAIL
#     [SEEDS 1 2 3]                             seeds the claims run at (default: SUITE_SEEDS, 1-5)
#     [TIMEOUT 60]                              per test, in seconds (default 60)
#     [SOURCES extra.c ...])                    a second source file, when one truly helps
#
# Tests it registers (labels in brackets; `ctest -L <label>` selects them):
#   <paper>.<claim>             the claim at the first seed                    [claim <paper> quick]
#   <paper>.<claim>.seed<N>     the same claim at each further seed            [claim <paper>]
#   <paper>.<claim>.control     the claim with its effect removed: must exit 1 with a FAIL line
#                                                                              [control <paper>]
#   <paper>.contract            bad input -> exit 2 and nothing written; the claims listed by the program
#                               are exactly CLAIMS; same seed -> same bytes at --scale quick   [unit <paper>]
function(suite_paper name)
  cmake_parse_arguments(P "" "TIMEOUT" "CLAIMS;CONTROLS;SEEDS;SOURCES" ${ARGN})
  if(NOT P_SEEDS)
    set(P_SEEDS ${SUITE_SEEDS})
  endif()
  if(NOT P_TIMEOUT)
    set(P_TIMEOUT 60)
  endif()
  if(SUITE_SANITIZE)
    math(EXPR P_TIMEOUT "${P_TIMEOUT} * 10") # ASan + UBSan at -O1 run several times slower
  endif()

  add_executable(${name} ${name}.c ${P_SOURCES})
  target_link_libraries(${name} PRIVATE suite_common)
  set(program $<TARGET_FILE:${name}>)
  # Programs pin OpenBLAS to one thread themselves; the variable also covers OpenBLAS's start-up.
  set(env "OPENBLAS_NUM_THREADS=1")

  list(GET P_SEEDS 0 first_seed)
  foreach(claim IN LISTS P_CLAIMS)
    foreach(seed IN LISTS P_SEEDS)
      if(seed STREQUAL first_seed)
        set(test ${name}.${claim})
        set(labels "claim;${name};quick")
      else()
        set(test ${name}.${claim}.seed${seed})
        set(labels "claim;${name}")
      endif()
      add_test(NAME ${test} COMMAND ${program} --claim ${claim} --seed ${seed} --quiet)
      set_tests_properties(${test} PROPERTIES LABELS "${labels}" TIMEOUT ${P_TIMEOUT} ENVIRONMENT "${env}"
                                              FAIL_REGULAR_EXPRESSION "FAIL")
    endforeach()
  endforeach()

  foreach(claim IN LISTS P_CONTROLS)
    if(NOT claim IN_LIST P_CLAIMS)
      message(FATAL_ERROR "${name}: control '${claim}' is not among its CLAIMS")
    endif()
    set(test ${name}.${claim}.control)
    add_test(NAME ${test}
             COMMAND ${CMAKE_COMMAND} -DPROGRAM=${program} -DCLAIM=${claim} -DSEED=${first_seed}
                     -P ${PROJECT_SOURCE_DIR}/tests/expect_control_fails.cmake)
    set_tests_properties(${test} PROPERTIES LABELS "control;${name}" TIMEOUT ${P_TIMEOUT} ENVIRONMENT "${env}")
  endforeach()

  add_test(NAME ${name}.contract
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=${program} "-DCLAIMS=${P_CLAIMS}"
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/contract -P ${PROJECT_SOURCE_DIR}/tests/paper_contract.cmake)
  set_tests_properties(${name}.contract PROPERTIES LABELS "unit;${name}" TIMEOUT ${P_TIMEOUT} ENVIRONMENT "${env}")
endfunction()
