/* The CBLAS the test binaries run on is the one configure chose (cmake/SuiteBlas.cmake): guards against a
 * link order that silently falls back to GSL's slow reference CBLAS. */
#include <string.h>

#include <gsl/gsl_blas.h>

#include "blas.h"
#include "check.h"
#include "linalg.h"

int main(int argc, char **argv)
{
    const char *expect = argc > 1 ? argv[1] : "";
    printf("bound: %s; expected: %s\n", suite_blas_name(), expect);
    CHECK(strncmp(suite_blas_name(), expect, strlen(expect)) == 0, "GSL's cblas_dgemm binds to %s", expect);
    /* ... and it computes: a 64 x 64 product of ones is 64 everywhere. */
    gsl_matrix *A = la_alloc(64, 64), *C = la_alloc(64, 64);
    gsl_matrix_set_all(A, 1.0);
    suite_blas_single_thread();
    la_mul(C, A, A);
    CHECK(gsl_matrix_get(C, 5, 7) == 64.0 && gsl_matrix_get(C, 63, 0) == 64.0, "dgemm computes");
    gsl_matrix_free(A);
    gsl_matrix_free(C);
    return check_summary();
}
