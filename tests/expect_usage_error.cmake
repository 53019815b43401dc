# suite_expect_usage_error(<label> <regex> <out-dir> <program> <args>...): runs the program with the given
# arguments plus `--out <out-dir>` and requires what the suite promises for bad input: exit status 2, exactly
# one line on stderr (matching <regex>, "" for any), and nothing written, not even the output folder.
# include()d by the cmake -P scripts that test bad input (tests/paper_contract.cmake, papers/*/...).
function(suite_expect_usage_error label pattern out)
  execute_process(COMMAND ${ARGN} --out "${out}" RESULT_VARIABLE status OUTPUT_VARIABLE stdout
                  ERROR_VARIABLE stderr)
  string(STRIP "${stderr}" stderr)
  if(NOT status STREQUAL "2")
    message(FATAL_ERROR "${label}: exit status ${status}, want 2 (stderr: ${stderr})")
  endif()
  if(stderr STREQUAL "" OR stderr MATCHES "\n" OR NOT stderr MATCHES "${pattern}")
    message(FATAL_ERROR "${label}: want exactly one line on stderr matching '${pattern}', got:\n${stderr}")
  endif()
  if(EXISTS "${out}")
    message(FATAL_ERROR "${label}: wrote ${out} although the input was bad")
  endif()
  message("ok: ${label} -> exit 2: ${stderr}")
endfunction()
