/* linalg.h -- thin helpers over gsl_matrix that more than one paper needs.
 *
 * Conventions: matrices are gsl_matrix (row-major, double). "A (m x n)" means m rows, n columns. Products
 * go through gsl_blas_dgemm, i.e. through the CBLAS the build selected (blas.h). No function here allocates
 * unless its name says so (la_alloc, la_svd's workspace), so they are safe in inner loops.
 */
#ifndef SUITE_LINALG_H
#define SUITE_LINALG_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

/* A zeroed m x n matrix; exits 2 when memory runs out. */
gsl_matrix *la_alloc(size_t rows, size_t cols);

/* C = A B,  C = A^T B,  C = A B^T  (C must not alias A or B). */
void la_mul(gsl_matrix *C, const gsl_matrix *A, const gsl_matrix *B);
void la_mul_tn(gsl_matrix *C, const gsl_matrix *A, const gsl_matrix *B);
void la_mul_nt(gsl_matrix *C, const gsl_matrix *A, const gsl_matrix *B);

/* Y <- Y + alpha X (same shapes). */
void la_axpy(double alpha, const gsl_matrix *X, gsl_matrix *Y);

/* Entries i.i.d. N(0, sd^2). */
void la_gaussian(gsl_matrix *A, gsl_rng *r, double sd);

/* A random matrix with orthonormal columns (m >= n) or orthonormal rows (m < n), distributed uniformly
 * (Haar): the Q factor of the QR decomposition of a Gaussian matrix, with the signs of R's diagonal moved into
 * Q. Without that sign fix Q is orthogonal but not uniformly distributed (Mezzadri 2007). */
void la_orthogonal(gsl_matrix *Q, gsl_rng *r);

/* Thin SVD A = U diag(s) V^T of an m x n matrix, k = min(m, n): U is m x k, s has k entries in decreasing
 * order, V is n x k. Works for m < n too (GSL's routine needs m >= n; we decompose A^T). Signs are fixed so
 * that the largest-magnitude entry of each column of U is positive, which makes the result reproducible. */
void la_svd(const gsl_matrix *A, gsl_matrix *U, gsl_vector *s, gsl_matrix *V);

/* The singular values alone, in decreasing order (s has min(m, n) entries). */
void la_singular_values(const gsl_matrix *A, gsl_vector *s);

/* ||A||_F, ||A - B||_F, and the largest singular value ||A||_2. */
double la_frobenius(const gsl_matrix *A);
double la_frobenius_dist(const gsl_matrix *A, const gsl_matrix *B);
double la_spectral_norm(const gsl_matrix *A);

#endif
