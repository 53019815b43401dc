/* banded.h -- Cholesky factorization of a symmetric positive definite BANDED matrix.
 *
 * A symmetric n x n matrix A has half-bandwidth b when A_ij = 0 for |i - j| > b. Its Cholesky factor
 * A = L L^T is lower triangular with the SAME bandwidth (no fill-in outside the band), so
 *     factorization: n b^2 / 2 multiply-adds,   one solve L L^T x = r: 2 n b multiply-adds,   memory n (b+1).
 * For b = O(1) everything is O(n): a tridiagonal or pentadiagonal system with a million unknowns factors in
 * milliseconds. First user: the Newton steps of trend filtering (trend_filter.h), whose matrix
 * I + Delta^T W Delta has b = (k+1) N^(d-1) on a d-dimensional lattice of side N.
 *
 * Storage: row i keeps its entries j = i-b .. i (the lower triangle) contiguously, at a[i (b+1) + (j - i + b)];
 * band_row(M, i)[j] addresses A_ij for i-b <= j <= i. Entries of the first b rows that would lie left of
 * column 0 are unused padding. Both factors of every inner product in the factorization are contiguous, so
 * the compiler vectorizes them.
 *
 * Contract: band_cholesky overwrites A (lower triangle) by L. It returns -1, leaving M partly overwritten, if
 * a pivot is not > 0 (A not numerically positive definite); then band_solve must not be used.
 */
#ifndef SUITE_BANDED_H
#define SUITE_BANDED_H

#include <stddef.h>

typedef struct {
    size_t n, b; /* order and half-bandwidth (b < n)            */
    double *a;   /* n (b+1) doubles, row i at a + i (b+1)        */
} band_matrix;

/* A zeroed n x n band matrix of half-bandwidth b (b is capped at n - 1); exits 2 when memory runs out. */
band_matrix band_alloc(size_t n, size_t b);
void band_free(band_matrix *M);

/* Pointer p with p[j] = A_ij for i - b <= j <= i (so the diagonal is p[i]): row i, indexed by column. */
double *band_row(const band_matrix *M, size_t i);

/* In place: A -> its Cholesky factor L (A = L L^T). Returns 0, or -1 if a pivot is not positive. */
int band_cholesky(band_matrix *M);

/* Solves L L^T x = r in place (x enters as r, length n), with M factored by band_cholesky. */
void band_solve(const band_matrix *M, double *x);

/* ---- The same in extended precision (long double: 64-bit mantissa on x86-64, unit round-off 5e-20) -------
 * For narrow bands whose matrix is a sum of terms of wildly different sizes, e.g. I + D^T W D with W up to
 * 1e17 at the end of an interior-point run: in double, the rounding of the large terms (~1e-16 W) swamps the
 * identity and the factorization fails; in long double it survives 2000 times longer. Costs ~2x the double
 * version for b <= 4 (x87 arithmetic, no vectorization), so it is meant for narrow bands only. Same layout. */
typedef struct {
    size_t n, b;
    long double *a; /* n (b+1) */
} band_matrix_ld;

band_matrix_ld band_ld_alloc(size_t n, size_t b);
void band_ld_free(band_matrix_ld *M);
long double *band_ld_row(const band_matrix_ld *M, size_t i);
int band_ld_cholesky(band_matrix_ld *M);
/* Solves L L^T x = r in place for a double vector, accumulating in long double. */
void band_ld_solve(const band_matrix_ld *M, double *x);

#endif
