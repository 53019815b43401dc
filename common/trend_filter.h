/* trend_filter.h -- trend filtering on d-dimensional lattices, solved exactly and certified.
 *
 * THE PROBLEM (Kronecker trend filtering, KTF, of order k; Sadhanala, Wang, Hu & Tibshirani, AoS 2024;
 * for d = 1 the trend filtering of Kim, Koh, Boyd & Gorinevsky 2009 and Tibshirani 2014):
 *     theta_hat = argmin_theta  P(theta) = 1/2 ||y - theta||_2^2 + lambda ||Delta theta||_1,
 * on the lattice {1/N, ..., 1}^d with n = N^d nodes. Delta stacks one block per axis,
 *     Delta = [D (x) I (x) ... (x) I;  I (x) D (x) ... (x) I;  ...;  I (x) ... (x) D],
 * with D = D^(k+1)_N the (N-k-1) x N matrix of raw (k+1)-th differences (row taps (-1)^(k+1-j) C(k+1, j):
 * k = 0 (-1, 1), k = 1 (1, -2, 1)), no wrap-around. Delta has m = d N^(d-1) (N-k-1) rows; its null space is
 * the tensor products of polynomials of degree <= k per axis (dimension (k+1)^d).
 *
 * THE DUAL AND THE CERTIFICATE. The dual is the box-constrained QP
 *     max_{|u_i| <= lambda}  D(u) = 1/2 ||y||^2 - 1/2 ||y - Delta^T u||^2,
 * and for any feasible u, theta_u = y - Delta^T u has
 *     gap(u) = P(theta_u) - D(u) = sum_i (lambda |(Delta theta_u)_i| - u_i (Delta theta_u)_i) >= 0,
 * and, P being 1-strongly convex, 1/2 ||theta_u - theta_hat||^2 <= gap. A small gap PROVES the answer: every
 * solver here returns one (tf_info.gap), so a caller never has to trust a stopping rule.
 *
 * WHAT IS HERE
 *   tf_lattice, tf_delta, tf_delta_t   the lattice and Delta, Delta^T applied matrix-free ((k+2) m flops each).
 *   tf_certify, tf_primal, tf_dual     the duality gap of a dual point, the two objectives.
 *   tf_solve                           a primal-dual interior-point method (Mehrotra predictor-corrector):
 *                                      15-40 Newton steps to a relative gap of 1e-9..1e-12; each step solves
 *                                      (I + Delta^T W Delta) dtheta = r, banded with half-bandwidth
 *                                      (k+1) N^(d-1) (banded.h): O(n) per step for d = 1 (factored in long
 *                                      double), O(N^4) for d = 2 (blocked, BLAS-3: 256 x 256 in 3 s for k = 0,
 *                                      18 s for k = 1, one core). Warm starts along a lambda path (tf_work.warm).
 *   tf_eigen_*, tf_null_projection     the Kronecker eigenbasis of Delta^T Delta (one dense N x N
 *                                      eigenproblem; closed-form DCT for k = 0): linear smoothers, the
 *                                      null-space projection and lambda_bar, above which theta_hat = P_null y.
 *   tf_fista                           an independent check: accelerated projected gradient on the dual.
 *
 * LAYOUT AND SHAPES. Node p = sum_a i_a stride_a with stride_a = N^(d-1-a) (the last axis contiguous: a 2-D
 * image is row-major). Vectors on nodes have n entries. Vectors on rows of Delta ("d n arrays") have d n
 * entries: row (a, p), the difference along axis a starting at node p, sits at a n + p; the rows that do not
 * exist (i_a > N - k - 2) are kept at exactly 0, and valid[a n + p] says which ones exist.
 * Limits: d <= TF_MAX_D, k <= TF_MAX_K, N >= k + 2. Functions allocate only where their name says so
 * (_make, _alloc, tf_fista); none keeps global state. Unit tests: tests/test_trend_filter.c.
 */
#ifndef SUITE_TREND_FILTER_H
#define SUITE_TREND_FILTER_H

#include <stddef.h>

#include "banded.h"

enum { TF_MAX_D = 4, TF_MAX_K = 3 };

/* ---- The lattice and the operator -------------------------------------------------------------------- */

typedef struct {
    int d, k;                 /* dimension and order                                 */
    size_t N, n, m;           /* side, nodes N^d, rows of Delta that exist           */
    size_t stride[TF_MAX_D];  /* node offset of a unit step along each axis          */
    double tap[TF_MAX_K + 2]; /* c_0 .. c_{k+1} = (-1)^(k+1-j) C(k+1, j)             */
    unsigned char *valid;     /* d n flags: row (a, p) exists                        */
} tf_lattice;

/* The lattice of side N in d dimensions for order k (allocates valid; free with tf_lattice_free).
 * Example: d = 2, N = 4, k = 0: n = 16 nodes, m = 24 first differences (the 24 edges of the grid). */
tf_lattice tf_lattice_make(int d, size_t N, int k);
void tf_lattice_free(tf_lattice *L);

/* z = Delta x (x: n, z: d n; non-existing rows set to 0) and x = Delta^T u (u: d n, x: n). Matrix-free. */
void tf_delta(const tf_lattice *L, const double *x, double *z);
void tf_delta_t(const tf_lattice *L, const double *u, double *x);

/* ---- The certificate ---------------------------------------------------------------------------------- */

typedef struct {
    double gap;      /* P(theta) - D(u) >= 0 for the returned pair; INFINITY if none was certified */
    double primal;   /* P(theta)                                                                    */
    long iterations; /* Newton steps (tf_solve) or gradient steps (tf_fista)                         */
} tf_info;

/* Clips u (d n) to the box |u_i| <= lambda IN PLACE, sets theta (n) = y - Delta^T u and returns
 * gap(u) = P(theta) - D(u) >= 0; *primal (if not NULL) gets P(theta). z: d n workspace. */
double tf_certify(const tf_lattice *L, const double *y, double lambda, double *u, double *theta, double *z,
                  double *primal);

/* P(theta) = 1/2||y - theta||^2 + lambda ||Delta theta||_1  (z: d n workspace). */
double tf_primal(const tf_lattice *L, const double *y, double lambda, const double *theta, double *z);

/* D(u) = 1/2||y||^2 - 1/2||y - Delta^T u||^2 for a feasible u  (x: n workspace). */
double tf_dual(const tf_lattice *L, const double *y, const double *u, double *x);

/* ---- The exact solver: primal-dual interior point ------------------------------------------------------ */

/* Workspace of tf_solve for one lattice, reused by every solve on it (memory: n (b+1) doubles for the
 * band, b = (k+1) N^(d-1), plus ~25 vectors). Fields are internal to tf_solve. */
typedef struct {
    size_t n, mm;
    band_matrix M;      /* the Newton matrix (d >= 2)                                                  */
    band_matrix_ld X;   /* the Newton matrix in extended precision (d = 1: narrow band, cheap)          */
    double *theta, *t, *al, *be, *z, *g1, *g2, *w, *h, *c, *rth, *dth, *dt, *dal, *dbe, *dz, *u, *cert, *tmp;
    double *nt, *nal, *nbe, *nth;
    double warm;        /* 0 (tf_work_alloc's default): cold start; kappa > 0: warm start, see tf_solve */
    double lambda_last; /* lambda of the previous solve on this workspace (0: none)                    */
} tf_work;

tf_work tf_work_alloc(const tf_lattice *L);
void tf_work_free(tf_work *W);

/* Solves KTF at lambda > 0 until the relative gap gap/P <= rel_tol or max_iter Newton steps. theta (n) gets
 * the best certified primal point, u_out (d n, may be NULL) its dual point, trace (may be NULL, max_iter + 1
 * entries) the relative gap after each step. The returned gap is always a valid certificate for theta, even
 * when rel_tol was not reached (a Newton matrix that no longer factors in double precision also ends the
 * loop): check info.gap / info.primal. Deterministic; no allocation.
 * Precision: the certificate has a floor. Even a theta that is exactly piecewise polynomial is rounded to
 * double, so the l1 term of P picks up ~lambda m eps max|theta| from rows that should be exactly 0; for the
 * d = 1 benchmark (n = 1e6, lambda = 1e4) that alone is a relative gap of 8e-11, and tf_solve stops at 9e-9,
 * when W = lambda^2 / (2 mu) on the fused rows reaches 1e19 and even the long double factorization fails.
 * Warm start along a lambda path: set W->warm = 1 and each solve on W starts from the previous solve's final
 * iterate (theta, and the multipliers rescaled by lambda / lambda_prev, capped at |u| <= lambda/2, with the
 * cold start's margin on t); set W->lambda_last = 0 to force a cold start (e.g. for new data). Measured on 12-λ
 * paths (2-D N = 48, k = 0, 1; 1-D n = 1e4, k = 1): 6-15% fewer Newton steps than cold starts. Starting
 * closer to the boundary (W->warm = kappa < 1 shrinks the margin and the multipliers' distance to +-lambda)
 * is WORSE (kappa = 0.01: 30-60% more steps): the new solution's active set differs, and Mehrotra's steps are
 * cut short by the rows that must leave the boundary. */
tf_info tf_solve(const tf_lattice *L, const double *y, double lambda, double rel_tol, long max_iter,
                 double *theta, double *u_out, double *trace, tf_work *W);

/* ---- The Kronecker eigenbasis ------------------------------------------------------------------------- */

/* Delta^T Delta = sum_a I (x) .. (x) G (x) .. (x) I with G = D^T D = U diag(mu) U^T, so its eigenvectors are
 * U (x) ... (x) U with eigenvalues musum = mu_{j_1} + ... + mu_{j_d}. The first k+1 mu are exact zeros. */
typedef struct {
    const tf_lattice *L; /* borrowed: must outlive the tf_eigen                 */
    double *U;           /* N x N, row-major: U[i N + j] = eigenvector j at node i */
    double *mu;          /* N eigenvalues of G, ascending                        */
    double *musum;       /* n: eigenvalue of Delta^T Delta at each multi-index  */
    double *work;        /* n                                                    */
} tf_eigen;

/* k = 0: the closed-form DCT-II basis (no O(N^3) work); k >= 1: the dense eigensolver (N up to a few 100). */
tf_eigen tf_eigen_make(const tf_lattice *L);
void tf_eigen_free(tf_eigen *E);

/* The dense eigenbasis of G = D^T D for any k (U: N x N row-major, mu: N ascending, sign-normalized so
 * that each column's largest entry is positive: reproducible). */
void tf_dense_eigenbasis(const tf_lattice *L, double *U, double *mu);

/* out = (U^T (x) ... (x) U^T) x if forward, else (U (x) ... (x) U) x; n entries, out may equal x. Cost d n N. */
void tf_eigen_transform(const tf_eigen *E, const double *x, double *out, int forward);

/* proj (n) = P_null y, the projection onto null(Delta); ustar (d n, may be NULL) = Delta (Delta^T Delta)^+ y,
 * the minimum-norm dual point; coef: n workspace. Returns lambda_bar = ||ustar||_inf (0 if ustar is NULL).
 * For lambda >= lambda_bar, theta_hat = P_null y exactly (ustar certifies it with gap 0). For d = 1
 * lambda_bar is the exact lambda_max; for d >= 2 it is only sufficient (the rows of Delta are dependent). */
double tf_null_projection(const tf_eigen *E, const double *y, double *proj, double *ustar, double *coef);

/* ---- The independent check ---------------------------------------------------------------------------- */

/* FISTA with adaptive restart on the dual box QP, step 1/(d 4^(k+1)) (>= 1/||Delta||^2), started from u = 0.
 * Every `every` iterations (and at the last) it certifies its iterate; it stops when the relative gap is
 * <= rel_tol or after max_iter iterations. theta (n) gets theta_u; trace (may be NULL, max_iter/every + 2
 * entries) the relative gaps. Allocates its own workspace. Slow (tens of thousands of iterations for 1e-10)
 * but shares nothing with tf_solve except Delta and the certificate: agreement is evidence for both. */
tf_info tf_fista(const tf_lattice *L, const double *y, double lambda, double rel_tol, long max_iter,
                 double *theta, double *trace, long every);

#endif
