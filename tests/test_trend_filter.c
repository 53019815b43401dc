/* Unit tests of common/banded.c and common/trend_filter.c:
 *   1. Delta's adjoint identity <Delta x, u> = <x, Delta^T u> (a wrong transpose or stride fails it), the row
 *      count m = d N^(d-1) (N-k-1), and Delta annihilating the tensor polynomials of degree <= k per axis;
 *   2. the banded Cholesky (row-wise, blocked BLAS-3 and long double) against GSL's dense Cholesky on random
 *      banded SPD matrices (factor and solve);
 *   3. tf_solve on a small 1-D and 2-D problem: certified relative gap, |u| <= lambda, theta = y - Delta^T u,
 *      u_i = lambda sign((Delta theta)_i) on clearly active rows;
 *   4. lambda = 2 lambda_bar: the solution is the null-space projection;
 *   5. tf_solve agrees with the independent dual FISTA within the two certified radii sqrt(2 gap);
 *   6. warm starts along a lambda path reach the same certified solutions as cold starts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>

#include "banded.h"
#include "check.h"
#include "rng.h"
#include "trend_filter.h"
#include "vec.h"

static double dot(const double *a, const double *b, size_t n) { return vec_dot(a, b, n); }

static void test_operator(gsl_rng *r)
{
    const int dims[][3] = {{1, 20, 0}, {1, 20, 2}, {2, 7, 0}, {2, 7, 1}, {3, 5, 1}, {4, 4, 0}};
    for (size_t c = 0; c < sizeof dims / sizeof *dims; c++) {
        tf_lattice L = tf_lattice_make(dims[c][0], (size_t)dims[c][1], dims[c][2]);
        size_t n = L.n, mm = (size_t)L.d * L.n;
        double *x = vec_new(n), *u = vec_new(mm), *dx = vec_new(mm), *dtu = vec_new(n);
        for (size_t i = 0; i < n; i++)
            x[i] = gsl_ran_gaussian(r, 1);
        for (size_t i = 0; i < mm; i++)
            u[i] = L.valid[i] ? gsl_ran_gaussian(r, 1) : 0;
        tf_delta(&L, x, dx);
        tf_delta_t(&L, u, dtu);
        double lhs = dot(dx, u, mm), rhs = dot(x, dtu, n);
        CHECK(fabs(lhs - rhs) <= 1e-12 * (fabs(lhs) + 1), "adjoint d=%d N=%d k=%d: %.17g vs %.17g", L.d, dims[c][1],
              L.k, lhs, rhs);
        size_t expect_m = (size_t)L.d * (n / L.N) * (L.N - (size_t)L.k - 1);
        CHECK(L.m == expect_m, "row count d=%d k=%d: %zu vs %zu", L.d, L.k, L.m, expect_m);
        /* A tensor polynomial of degree k in every coordinate (coefficient 1 + axis) lies in null(Delta). */
        for (size_t p = 0; p < n; p++) {
            x[p] = 1;
            for (int a = 0; a < L.d; a++)
                x[p] *= 1 + (a + 1.0) * pow((double)((p / L.stride[a]) % L.N) / (double)L.N, L.k);
        }
        tf_delta(&L, x, dx);
        double worst = 0;
        for (size_t i = 0; i < mm; i++)
            worst = fmax(worst, fabs(dx[i]));
        CHECK(worst < 1e-10, "Delta annihilates degree-k tensor polynomials (d=%d k=%d): %g", L.d, L.k, worst);
        free(x);
        free(u);
        free(dx);
        free(dtu);
        tf_lattice_free(&L);
    }
}

/* n x n SPD with half-bandwidth 2 half <= b. b >= 64 exercises the blocked (BLAS-3) path, b < 64 the rows. */
static void test_banded(gsl_rng *r, size_t n, size_t b, size_t half)
{
    band_matrix M = band_alloc(n, b);
    gsl_matrix *A = gsl_matrix_calloc(n, n);
    /* A = B B^T + I with B lower-banded of bandwidth `half` gives half-bandwidth 2 half <= b: SPD, banded. */
    gsl_matrix *B = gsl_matrix_calloc(n, n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i >= half ? i - half : 0; j <= i; j++)
            gsl_matrix_set(B, i, j, gsl_ran_gaussian(r, 1));
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, B, B, 0.0, A);
    for (size_t i = 0; i < n; i++)
        *gsl_matrix_ptr(A, i, i) += 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i >= b ? i - b : 0; j <= i; j++)
            band_row(&M, i)[j] = gsl_matrix_get(A, i, j);
    double *x = vec_new(n), *rhs = vec_new(n);
    for (size_t i = 0; i < n; i++)
        rhs[i] = x[i] = gsl_ran_gaussian(r, 1);
    /* The extended-precision copy of the same matrix (narrow bands only in practice; any b works). */
    band_matrix_ld X = band_ld_alloc(n, b);
    double *xl = vec_new(n);
    for (size_t i = 0; i < n; i++) {
        xl[i] = rhs[i];
        for (size_t j = i >= b ? i - b : 0; j <= i; j++)
            band_ld_row(&X, i)[j] = band_row(&M, i)[j];
    }
    CHECK(band_ld_cholesky(&X) == 0, "extended-precision banded Cholesky succeeds");
    band_ld_solve(&X, xl);
    CHECK(band_cholesky(&M) == 0, "banded Cholesky of an SPD matrix succeeds");
    band_solve(&M, x);
    gsl_linalg_cholesky_decomp1(A); /* lower triangle of A now holds L */
    double worst_l = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i >= b ? i - b : 0; j <= i; j++)
            worst_l = fmax(worst_l, fabs(band_row(&M, i)[j] - gsl_matrix_get(A, i, j)));
    CHECK(worst_l < 1e-10, "banded factor = GSL dense Cholesky factor (n=%zu b=%zu): %g", n, b, worst_l);
    gsl_vector_view rv = gsl_vector_view_array(rhs, n);
    gsl_linalg_cholesky_svx(A, &rv.vector);
    double worst_x = 0;
    for (size_t i = 0; i < n; i++)
        worst_x = fmax(worst_x, fabs(x[i] - rhs[i]));
    CHECK(worst_x < 1e-8 * (1 + vec_norm(rhs, n)), "banded solve = GSL dense solve (n=%zu b=%zu): %g", n, b, worst_x);
    double worst_xl = 0;
    for (size_t i = 0; i < n; i++)
        worst_xl = fmax(worst_xl, fabs(xl[i] - rhs[i]));
    CHECK(worst_xl < 1e-8 * (1 + vec_norm(rhs, n)), "long double banded solve = GSL dense solve: %g", worst_xl);
    band_ld_free(&X);
    free(xl);
    /* A matrix that is not positive definite is reported, not factored. */
    band_matrix S = band_alloc(3, 1);
    band_row(&S, 0)[0] = 1;
    band_row(&S, 1)[0] = 2;
    band_row(&S, 1)[1] = 1;
    band_row(&S, 2)[2] = 1;
    CHECK(band_cholesky(&S) == -1, "indefinite matrix -> -1");
    band_free(&S);
    /* The same through the blocked path (b >= 64): the identity with one negative diagonal entry. */
    band_matrix Z = band_alloc(200, 70);
    for (size_t i = 0; i < 200; i++)
        band_row(&Z, i)[i] = i == 150 ? -1 : 1;
    CHECK(band_cholesky(&Z) == -1, "indefinite wide-band matrix -> -1");
    band_free(&Z);
    band_free(&M);
    gsl_matrix_free(A);
    gsl_matrix_free(B);
    free(x);
    free(rhs);
}

/* Solves one problem and checks certificate, KKT, the null-space case and FISTA agreement. */
static void test_solver(gsl_rng *r, int d, size_t N, int k, double lambda, int fista)
{
    tf_lattice L = tf_lattice_make(d, N, k);
    size_t n = L.n, mm = (size_t)d * n;
    tf_work W = tf_work_alloc(&L);
    double *y = vec_new(n), *th = vec_new(n), *u = vec_new(mm), *z = vec_new(mm), *x = vec_new(n);
    for (size_t i = 0; i < n; i++)
        y[i] = gsl_ran_gaussian(r, 1);
    tf_info info = tf_solve(&L, y, lambda, 1e-11, 100, th, u, NULL, &W);
    double rel = info.gap / info.primal;
    CHECK(rel <= 1e-10, "d=%d N=%zu k=%d lambda=%g: relative gap %g (%ld steps)", d, N, k, lambda, rel,
          info.iterations);
    /* The returned pair certifies itself: recompute the gap from scratch. */
    double *uc = vec_new(mm), *tu = vec_new(n);
    memcpy(uc, u, mm * sizeof *u);
    double primal_u, gap_u = tf_certify(&L, y, lambda, uc, tu, z, &primal_u);
    double p_theta = tf_primal(&L, y, lambda, th, z), dual = tf_dual(&L, y, u, x);
    CHECK(p_theta - dual <= 1.01 * info.gap + 1e-12 * p_theta && gap_u >= 0, "P(theta) - D(u) = %g vs %g",
          p_theta - dual, info.gap);
    /* KKT: |u| <= lambda; u_i = lambda sign(z_i) on rows clearly away from 0 (|z_i| > 10 ||Delta|| r, with
     * r = sqrt(2 gap) bounding ||theta - theta_hat||). */
    double radius = sqrt(2 * info.gap), norm = sqrt(d * pow(4, k + 1)), worst_box = 0, worst_kkt = 0;
    tf_delta(&L, th, z);
    for (size_t i = 0; i < mm; i++) {
        worst_box = fmax(worst_box, fabs(u[i]) / lambda - 1);
        if (L.valid[i] && fabs(z[i]) > 10 * norm * radius + 1e-9)
            worst_kkt = fmax(worst_kkt, fabs(u[i] - lambda * (z[i] > 0 ? 1 : -1)) / lambda);
    }
    CHECK(worst_box <= 1e-12, "dual feasible: %g", worst_box);
    CHECK(worst_kkt <= 1e-5, "KKT on active rows: %g", worst_kkt);
    if (fista) {
        double *tf = vec_new(n);
        tf_info f = tf_fista(&L, y, lambda, 1e-12, 200000, tf, NULL, 100);
        double dist = vec_dist(th, tf, n), bound = sqrt(2 * info.gap) + sqrt(2 * f.gap);
        CHECK(dist <= bound * 1.0001 + 1e-12, "FISTA agrees within the certified radii: %g <= %g", dist, bound);
        CHECK(dist / sqrt((double)n) <= 1e-5, "FISTA RMS distance %g (FISTA rel gap %g)", dist / sqrt((double)n),
              f.gap / f.primal);
        free(tf);
    }
    /* lambda = 2 lambda_bar: theta_hat is the null-space projection. */
    tf_eigen E = tf_eigen_make(&L);
    double *proj = vec_new(n), *ustar = vec_new(mm), *coef = vec_new(n);
    double lambda_bar = tf_null_projection(&E, y, proj, ustar, coef);
    tf_solve(&L, y, 2 * lambda_bar, 1e-12, 100, th, NULL, NULL, &W);
    double worst_p = 0;
    for (size_t i = 0; i < n; i++)
        worst_p = fmax(worst_p, fabs(th[i] - proj[i]));
    CHECK(worst_p <= 1e-8, "lambda = 2 lambda_bar gives P_null y (d=%d k=%d): %g", d, k, worst_p);
    /* ustar certifies P_null y with gap 0 at lambda_bar, up to round-off: (Delta^T Delta)^+ divides by
     * eigenvalues down to ~(pi/N)^(2k+2) (6e-8 for N = 200, k = 1), which amplifies the eigensolver's
     * round-off in Delta^T ustar to ~1e-8, and the gap sums lambda_bar |Delta theta_u| over all rows. */
    double gap0 = tf_certify(&L, y, lambda_bar, ustar, tu, z, NULL);
    CHECK(gap0 <= 1e-5 * vec_dot(y, y, n) && vec_dist(tu, proj, n) < 1e-6, "u* certifies P_null y (d=%d k=%d): gap %g dist %g", d, k, gap0, vec_dist(tu, proj, n));
    tf_eigen_free(&E);
    free(proj);
    free(ustar);
    free(coef);
    free(uc);
    free(tu);
    free(y);
    free(th);
    free(u);
    free(z);
    free(x);
    tf_work_free(&W);
    tf_lattice_free(&L);
}

/* Warm starts along a decreasing lambda path reach the same certified solutions as cold starts. */
static void test_warm(gsl_rng *r)
{
    tf_lattice L = tf_lattice_make(2, 16, 1);
    tf_work cold = tf_work_alloc(&L), warm = tf_work_alloc(&L);
    warm.warm = 1;
    double *y = vec_new(L.n), *a = vec_new(L.n), *b = vec_new(L.n);
    for (size_t i = 0; i < L.n; i++)
        y[i] = sin(0.3 * (double)i) + gsl_ran_gaussian(r, 0.3);
    long steps_cold = 0, steps_warm = 0;
    for (double lambda = 5; lambda > 0.05; lambda /= 2) {
        tf_info c = tf_solve(&L, y, lambda, 1e-11, 100, a, NULL, NULL, &cold);
        tf_info w = tf_solve(&L, y, lambda, 1e-11, 100, b, NULL, NULL, &warm);
        CHECK(w.gap / w.primal <= 1e-11, "warm start certified at lambda = %g: %g", lambda, w.gap / w.primal);
        CHECK(vec_dist(a, b, L.n) <= sqrt(2 * c.gap) + sqrt(2 * w.gap) + 1e-12, "warm = cold within the radii");
        steps_cold += c.iterations;
        steps_warm += w.iterations;
    }
    printf("warm start: %ld Newton steps against %ld cold\n", steps_warm, steps_cold);
    free(y);
    free(a);
    free(b);
    tf_work_free(&cold);
    tf_work_free(&warm);
    tf_lattice_free(&L);
}

/* The k = 0 eigenbasis in closed form (DCT-II) against the dense eigensolver. */
static void test_eigen(void)
{
    tf_lattice L = tf_lattice_make(1, 30, 0);
    tf_eigen E = tf_eigen_make(&L);
    double *U = vec_new(900), *mu = vec_new(30), worst = 0;
    tf_dense_eigenbasis(&L, U, mu);
    for (size_t j = 0; j < 30; j++)
        worst = fmax(worst, fabs(mu[j] - E.mu[j]));
    CHECK(worst < 1e-12, "DCT eigenvalues = dense ones: %g", worst);
    free(U);
    free(mu);
    tf_eigen_free(&E);
    tf_lattice_free(&L);
}

int main(void)
{
    gsl_rng *r = rng_stream(1, 1);
    test_operator(r);
    test_banded(r, 40, 5, 2);
    test_banded(r, 300, 100, 50);
    test_banded(r, 333, 64, 32);
    test_eigen();
    test_warm(r);
    test_solver(r, 1, 200, 1, 2.0, 1);
    test_solver(r, 1, 300, 0, 1.0, 1);
    test_solver(r, 2, 12, 0, 0.5, 1);
    test_solver(r, 2, 12, 1, 1.0, 1);
    test_solver(r, 2, 10, 2, 0.3, 0);
    gsl_rng_free(r);
    return check_summary();
}
