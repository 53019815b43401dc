# A control run: the claim's check with the paper's effect removed. It passes when the program runs to the
# end and its check FAILS: exit status 1 and a `claim NAME: ... FAIL` line.
#
# Why not plain WILL_FAIL on the program? WILL_FAIL accepts any non-zero exit, so a control that died of
# bad usage (2), a divergence (3) or a sanitizer report would count as "the check can fail" while proving
# nothing. Here only a check that ran and failed counts.
#   cmake -DPROGRAM=path -DCLAIM=name -DSEED=n -P expect_control_fails.cmake
execute_process(COMMAND "${PROGRAM}" --claim "${CLAIM}" --control --seed "${SEED}" --quiet
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status STREQUAL "1")
  message(FATAL_ERROR "control of '${CLAIM}' exited with '${status}'; it must run to the end and fail its "
                      "check (exit 1)")
endif()
if(NOT out MATCHES "claim ${CLAIM}: [^\n]*FAIL")
  message(FATAL_ERROR "control of '${CLAIM}' printed no FAIL line")
endif()
message("control of '${CLAIM}' failed its check, as it must: the check can fail")
