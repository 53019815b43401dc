/* banded.c -- banded Cholesky factorization and solve (see banded.h). */
#include "banded.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_matrix.h>

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

/* The recurrence, row by row: for j < i, L_ij = (A_ij - sum_{l<j} L_il L_jl) / L_jj, and
 * L_ii = sqrt(A_ii - sum_{l<i} L_il^2). Only l >= i - b can be non-zero, so each inner product has at most
 * b terms. Cost: n b^2 / 2 multiply-adds; memory: n (b+1) doubles (N = 128, k = 1, d = 2: 34 MB).
 * Used for narrow bands (b < BAND_BLOCK_MIN), where a matrix product has nothing to gain. */
static int cholesky_rows(band_matrix *M)
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

/* Wide bands (b >= BAND_BLOCK_MIN): the same factorization, reorganized as LAPACK's dpbtrf is, so that
 * almost all the work is one matrix product per block that the BLAS runs at full speed. Columns go in blocks
 * of w = BAND_BLOCK columns, c .. c+w-1 (right-looking: when a block is reached, every earlier block's update
 * has already been subtracted from it):
 *     D = A[c:c+w, c:c+w]        -> L_D = chol(D)                  (w^3/6, the scalar recurrence above)
 *     P = A[c+w : c+w+r, c:c+w]  -> P L_D^{-T}  (r = min(b, rows left); dtrsm, r w^2 / 2)
 *     A[c+w : c+w+r, c+w : c+w+r] -= P P^T                           (dsyrk, lower triangle, r^2 w / 2)
 * The rows of P beyond the band start with structural zeros, which the triangular solve keeps at zero.
 * The multiply-add count is still ~n b^2 / 2 (the dsyrk), but at BLAS-3 speed: on this machine's OpenBLAS,
 * one core, about 6x the row recurrence at b = 256 (the 2-D Newton matrix of a 256 x 256 image, k = 0).
 * Storage trick: entry (i, j) of the band lives at a[b + i b + j], so any square block on or below the diagonal
 * that stays inside the band is a row-major matrix with leading dimension b (gsl_matrix_view_array_with_tda);
 * D and P may leave the band, so they are copied to a scratch buffer and back. */
enum { BAND_BLOCK = 64, BAND_BLOCK_MIN = 64 };

static int cholesky_blocked(band_matrix *M)
{
    size_t n = M->n, b = M->b;
    double *D = suite_calloc((size_t)BAND_BLOCK * BAND_BLOCK + b * BAND_BLOCK, sizeof(double));
    double *P = D + (size_t)BAND_BLOCK * BAND_BLOCK;
    int status = 0;
    for (size_t c = 0; c < n && status == 0; c += BAND_BLOCK) {
        size_t w = n - c < BAND_BLOCK ? n - c : BAND_BLOCK, r = n - c - w < b ? n - c - w : b;
        /* The diagonal block, factored densely in the scratch copy (lower triangle). */
        for (size_t i = 0; i < w; i++)
            for (size_t j = 0; j <= i; j++)
                D[i * w + j] = band_row(M, c + i)[c + j];
        for (size_t i = 0; i < w && status == 0; i++)
            for (size_t j = 0; j <= i; j++) {
                double s = D[i * w + j];
                for (size_t l = 0; l < j; l++)
                    s -= D[i * w + l] * D[j * w + l];
                if (j < i) {
                    D[i * w + j] = s / D[j * w + j];
                } else if (!(s > 0)) {
                    status = -1;
                } else {
                    D[i * w + i] = sqrt(s);
                }
            }
        if (status != 0)
            break;
        for (size_t i = 0; i < w; i++)
            for (size_t j = 0; j <= i; j++)
                band_row(M, c + i)[c + j] = D[i * w + j];
        if (r == 0)
            continue;
        /* The panel below it (zeros where row c+w+q is out of the band of column c+s: w + q - s > b). */
        for (size_t q = 0; q < r; q++)
            for (size_t s = 0; s < w; s++)
                P[q * w + s] = w + q - s <= b ? band_row(M, c + w + q)[c + s] : 0;
        gsl_matrix_view Dv = gsl_matrix_view_array(D, w, w), Pv = gsl_matrix_view_array(P, r, w);
        gsl_blas_dtrsm(CblasRight, CblasLower, CblasTrans, CblasNonUnit, 1.0, &Dv.matrix, &Pv.matrix);
        for (size_t q = 0; q < r; q++)
            for (size_t s = 0; s < w; s++)
                if (w + q - s <= b)
                    band_row(M, c + w + q)[c + s] = P[q * w + s];
        /* The trailing r x r block lies inside the band: update its lower triangle in place. */
        gsl_matrix_view T = gsl_matrix_view_array_with_tda(band_row(M, c + w) + c + w, r, r, b);
        gsl_blas_dsyrk(CblasLower, CblasNoTrans, -1.0, &Pv.matrix, 1.0, &T.matrix);
    }
    free(D);
    return status;
}

/* In place: A -> its Cholesky factor L. Returns 0, or -1 if A is not (numerically) positive definite. */
int band_cholesky(band_matrix *M)
{
    return M->b >= BAND_BLOCK_MIN ? cholesky_blocked(M) : cholesky_rows(M);
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
/* ---- Extended precision: the row recurrence and the two sweeps of above, in long double. ---------------- */

band_matrix_ld band_ld_alloc(size_t n, size_t b)
{
    band_matrix_ld M = {n, b < n ? b : (n > 0 ? n - 1 : 0), NULL};
    M.a = suite_calloc(n * (M.b + 1), sizeof(long double));
    return M;
}

void band_ld_free(band_matrix_ld *M)
{
    free(M->a);
    M->a = NULL;
}

long double *band_ld_row(const band_matrix_ld *M, size_t i) { return M->a + i * (M->b + 1) + M->b - i; }

int band_ld_cholesky(band_matrix_ld *M)
{
    for (size_t i = 0; i < M->n; i++) {
        size_t j0 = i > M->b ? i - M->b : 0;
        long double *Li = band_ld_row(M, i);
        for (size_t j = j0; j <= i; j++) {
            const long double *Lj = band_ld_row(M, j);
            long double s = Li[j];
            for (size_t l = j0; l < j; l++)
                s -= Li[l] * Lj[l];
            if (j < i) {
                Li[j] = s / Lj[j];
            } else {
                if (!(s > 0))
                    return -1;
                Li[i] = sqrtl(s);
            }
        }
    }
    return 0;
}

void band_ld_solve(const band_matrix_ld *M, double *x)
{
    long double *v = suite_calloc(M->n, sizeof(long double));
    for (size_t i = 0; i < M->n; i++) {
        size_t j0 = i > M->b ? i - M->b : 0;
        const long double *Li = band_ld_row(M, i);
        long double s = x[i];
        for (size_t l = j0; l < i; l++)
            s -= Li[l] * v[l];
        v[i] = s / Li[i];
    }
    for (size_t i = M->n; i-- > 0;) {
        size_t j0 = i > M->b ? i - M->b : 0;
        const long double *Li = band_ld_row(M, i);
        v[i] /= Li[i];
        for (size_t l = j0; l < i; l++)
            v[l] -= Li[l] * v[i];
    }
    for (size_t i = 0; i < M->n; i++)
        x[i] = (double)v[i];
    free(v);
}
