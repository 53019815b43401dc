/* Configure-time probe (cmake/SuiteBlas.cmake): prints which library GSL's cblas_dgemm binds to. It calls
 * gsl_blas_dgemm itself, as the programs do, so that the linker keeps the same libraries it keeps for them. */
#include <stdio.h>

#include <gsl/gsl_blas.h>

#include "blas.h"

int main(void)
{
    gsl_matrix *A = gsl_matrix_alloc(1, 1), *C = gsl_matrix_alloc(1, 1);
    gsl_matrix_set(A, 0, 0, 2.0);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, A, 0.0, C);
    int ok = gsl_matrix_get(C, 0, 0) == 4.0;
    printf("%s\n", suite_blas_name());
    gsl_matrix_free(A);
    gsl_matrix_free(C);
    return ok ? 0 : 1;
}
