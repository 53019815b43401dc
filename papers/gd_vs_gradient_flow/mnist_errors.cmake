# --mnist DIR must reject a missing or malformed MNIST file with one line on stderr, exit status 2, and nothing
# written (not even the --out folder), and must accept good IDX files. Run by CTest as
# gd_vs_gradient_flow.mnist_errors:
#   cmake -DPROGRAM=path -DFIXTURE=path -DWORK=dir -P mnist_errors.cmake
# The files come from mnist_fixture.c (one folder per case; see its header).
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
execute_process(COMMAND "${FIXTURE}" "${WORK}/cases" RESULT_VARIABLE status)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "the fixture writer failed (${status})")
endif()

include("${CMAKE_CURRENT_LIST_DIR}/../../tests/expect_usage_error.cmake")
function(expect_rejected case pattern)
  suite_expect_usage_error("${case}" "${pattern}" "${WORK}/out"
                           "${PROGRAM}" --mnist "${WORK}/cases/${case}" --mnist-count 10 --scale quick --quiet)
endfunction()
expect_rejected(no_such_folder "cannot read .*train-images-idx3-ubyte.*No such file")
expect_rejected(missing "cannot read .*train-images-idx3-ubyte")
expect_rejected(gzip "gzip-compressed; gunzip it first")
expect_rejected(magic "not an IDX image file \\(magic number 0x00000801, want 0x00000803\\)")
expect_rejected(short "too few for an IDX header")
expect_rejected(side "holds 27 x 28 images, want 28 x 28")
expect_rejected(truncated "truncated or corrupt")
expect_rejected(mismatch "holds 451 images but .* 450 labels")
expect_rejected(few "holds 100 images; the subset 0, 50, ..., 450 needs at least 451")
expect_rejected(label "item 0 has label 12, want 0..9")

# Good files: a short run on the 10-image subset writes every data file.
execute_process(COMMAND "${PROGRAM}" --mnist "${WORK}/cases/good" --mnist-count 10 --scale quick --quiet
                        --steps 20 --snapshots 4 --curv-steps 20 --curv-points 2 --out "${WORK}/good"
                RESULT_VARIABLE status ERROR_VARIABLE stderr)
if(NOT status STREQUAL "0" OR NOT EXISTS "${WORK}/good/gfgd_linear.tsv")
  message(FATAL_ERROR "good MNIST files: exit ${status}, want 0 and data files: ${stderr}")
endif()
file(READ "${WORK}/good/gfgd_linear.tsv" text)
if(NOT text MATCHES "--mnist")
  message(FATAL_ERROR "good MNIST files: the data header does not record --mnist")
endif()
message("ok: good MNIST files accepted")
file(REMOVE_RECURSE "${WORK}")
