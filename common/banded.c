/* banded.c -- banded Cholesky factorization and solve (see banded.h). */
#include "banded.h"

#include <math.h>
#include <stdlib.h>

#include "vec.h"

/* ======================================================================================================
 * Banded Cholesky: the linear algebra of every Newton step of trend_filter.c.
 *
 * A symmetric positive definite n x n matrix with half-bandwidth b (A_ij = 0 for |i - j| > b) factors as
 * L L^T with L lower triangular of the same bandwidth, in n b^2 / 2 multiply-adds (no fill outside the
 * band). We store row i's entries j = i-b .. i contiguously, at a[i (b+1) + (j - i + b)], so both factors of
 * every inner product below are contiguous in memory (the compiler vectorizes them).
 * ====================================================================================================== */

band_matrix band_alloc(size_t n, size_t b)
{
    band_matrix M = {n, b < n ? b : (n > 0 ? n - 1 : 0), NULL};
    M.a = suite_calloc(n * (M.b + 1), sizeof(double));
    return M;
}

void band_free(band_matrix *M)
{
    free(M->a);
    M->a = NULL;
}


double *band_row(const band_matrix *M, size_t i) { return M->a + i * (M->b + 1) + M->b - i; }

/* In place: A -> its Cholesky factor L. Returns 0, or -1 if A is not (numerically) positive definite. */
/* The recurrence, row by row: for j < i, L_ij = (A_ij - sum_{l<j} L_il L_jl) / L_jj, and
 * L_ii = sqrt(A_ii - sum_{l<i} L_il^2). Only l >= i - b can be non-zero, so each inner product has at most
 * b terms. Cost: n b^2 / 2 multiply-adds; memory: n (b+1) doubles (N = 128, k = 1, d = 2: 34 MB). */
int band_cholesky(band_matrix *M)
{
    for (size_t i = 0; i < M->n; i++) {
        size_t j0 = i > M->b ? i - M->b : 0;
        double *Li = band_row(M, i);
        for (size_t j = j0; j <= i; j++) {
            const double *Lj = band_row(M, j);
            double s = Li[j];
            for (size_t l = j0; l < j; l++) /* L_ij = (A_ij - sum_l L_il L_jl) / L_jj */
                s -= Li[l] * Lj[l];
            if (j < i) {
                Li[j] = s / Lj[j];
            } else {
                if (!(s > 0))
                    return -1;
                Li[i] = sqrt(s);
            }
        }
    }
    return 0;
}

/* Solves L L^T x = r in place (x enters as r). */
/* Two triangular sweeps of n b multiply-adds each: cheap next to the factorization, which is why Mehrotra's
 * method below can afford two solves (predictor and corrector) per factorization. */
void band_solve(const band_matrix *M, double *x)
{
    for (size_t i = 0; i < M->n; i++) { /* forward: L z = r */
        size_t j0 = i > M->b ? i - M->b : 0;
        const double *Li = band_row(M, i);
        double s = x[i];
        for (size_t l = j0; l < i; l++)
            s -= Li[l] * x[l];
        x[i] = s / Li[i];
    }
    for (size_t i = M->n; i-- > 0;) { /* backward, column by column: L^T x = z */
        size_t j0 = i > M->b ? i - M->b : 0;
        const double *Li = band_row(M, i);
        x[i] /= Li[i];
        for (size_t l = j0; l < i; l++)
            x[l] -= Li[l] * x[i];
    }
}