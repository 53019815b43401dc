# --data FILE.csv must reject bad files with one line on stderr, exit status 2, and nothing written (not even
# the --out folder), and must accept a good file. Run by CTest as depth_preconditioner.data_errors:
#   cmake -DPROGRAM=path -DWORK=dir -P data_errors.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(WRITE "${WORK}/ragged.csv" "1,2,3\n4,5\n")
file(WRITE "${WORK}/word.csv" "1,2,3\n4,abc,6\n")
file(WRITE "${WORK}/nan.csv" "1,nan,3\n4,5,6\n")
file(WRITE "${WORK}/few.csv" "1,2,3\n4,5,6\n")
file(WRITE "${WORK}/empty.csv" "# only a comment\n")
file(WRITE "${WORK}/one_column.csv" "1\n2\n3\n")
file(WRITE "${WORK}/constant.csv" "1,2,3\n1,5,6\n1,4,2\n1,7,1\n")

include("${CMAKE_CURRENT_LIST_DIR}/../../tests/expect_usage_error.cmake")
function(expect_rejected file pattern)
  suite_expect_usage_error("${file}" "${pattern}" "${WORK}/out"
                           "${PROGRAM}" --data "${WORK}/${file}" --scale quick --quiet)
endfunction()
expect_rejected(missing.csv "cannot read")
expect_rejected(ragged.csv "ragged")
expect_rejected(word.csv "not a finite number: 'abc'")
expect_rejected(nan.csv "not a finite number: 'nan'")
expect_rejected(few.csv "at least 3")
expect_rejected(empty.csv "no data rows")
expect_rejected(one_column.csv "1 comma-separated field")
expect_rejected(constant.csv "constant")

# A good file: 40 rows, 3 features, target = x1 - 2 x2 + 0.5 x3 + a deterministic wiggle.
set(text "# x1,x2,x3,y\n")
foreach(i RANGE 1 40)
  math(EXPR a "(${i} * 37) % 11 - 5")
  math(EXPR b "(${i} * 53) % 13 - 6")
  math(EXPR c "(${i} * 29) % 7 - 3")
  math(EXPR y "${a} - 2 * ${b} + ${c} / 2 + (${i} % 3) - 1")
  string(APPEND text "${a},${b},${c},${y}\n")
endforeach()
file(WRITE "${WORK}/good.csv" "${text}")
execute_process(COMMAND "${PROGRAM}" --data "${WORK}/good.csv" --scale quick --quiet --out "${WORK}/good"
                RESULT_VARIABLE status ERROR_VARIABLE stderr)
if(NOT status STREQUAL "0" OR NOT EXISTS "${WORK}/good/acc_p4.tsv")
  message(FATAL_ERROR "good.csv: exit ${status}, want 0 and data files: ${stderr}")
endif()
message("ok: good.csv accepted")
file(REMOVE_RECURSE "${WORK}")
