/* trend_filtering -- Veeranjaneyulu Sadhanala, Yu-Xiang Wang, Addison J. Hu and Ryan J. Tibshirani,
 * "Multivariate trend filtering for lattice data", Annals of Statistics 52(5), 2024, arXiv:2112.14758
 * (it unifies the NeurIPS 2016 paper arXiv:1605.08400 and the NeurIPS 2017 paper on higher-order TV).
 *
 * THE QUESTION
 *   Denoise y_i = theta0_i + eps_i, eps_i ~ N(0, sigma^2), observed on the d-dimensional lattice
 *   {1/N, ..., 1}^d (n = N^d points), when theta0 is smooth in a *heterogeneous* way: flat here, a sharp
 *   bump or a jump there. Which estimators reach the minimax rate, and can a linear smoother (Laplacian
 *   smoothing, Laplacian eigenmaps, any theta = S y) keep up?
 *
 * THE MODEL: Kronecker trend filtering (KTF) of order k
 *       theta_hat = argmin_theta  1/2 ||y - theta||_2^2 + lambda ||Delta theta||_1,                  (KTF)
 *   with Delta = [D (x) I (x) ... (x) I; I (x) D (x) ... (x) I; ...; I (x) ... (x) D], one block per axis,
 *   D = D^(k+1)_N the (N-k-1) x N matrix of raw (k+1)-th differences (row taps (-1)^(k+1-j) C(k+1, j)).
 *   Delta has m = d N^(d-1) (N-k-1) rows; its null space is spanned by the tensor products of polynomials of
 *   degree <= k in each coordinate (dimension (k+1)^d, including mixed terms such as x1 x2 for k = 1).
 *   There is no "update rule": KTF is a convex program, and this program solves it *exactly*, with a
 *   certificate: its dual is the box-constrained QP  max_{|u| <= lambda}  1/2||y||^2 - 1/2||y - Delta^T u||^2,
 *   and any feasible u gives theta_u = y - Delta^T u with the duality gap
 *       gap(u) = sum_i (lambda |(Delta theta_u)_i| - u_i (Delta theta_u)_i) >= 0,    1/2||theta_u - theta_hat||^2 <= gap.
 *
 * WHAT THE THEORY PREDICTS (write s = k + 1; MSE = ||theta_hat - theta0||^2 / n; rates up to log factors)
 *   Over the class {theta : ||Delta theta||_1 <= C_n} at its canonical scaling C_n ~ n^(1 - s/d), KTF attains
 *   the minimax rate n^(-2s/(2s+d)) (d < 2s), n^(-1/2) (d = 2s), n^(-s/d) (d > 2s); the best linear smoother
 *   only reaches n^(-(2s-d)/(2s)) for d < 2s and is *inconsistent* (risk of order 1) for d >= 2s:
 *   a phase transition at d = 2(k+1). Below it both risks fall; at and above it only KTF's does.
 *
 * WHAT THIS PROGRAM REPRODUCES (default scale: about 12 s on one core; --scale full about 75 s)
 *   F1 phase.tsv        MSE vs n for the spike family, panels (k,d) = (0,1),(0,2),(0,3),(1,2),(1,3),(1,4):
 *                       the exact linear-smoother lower bound LB, the exact oracle risk of Kronecker Laplacian
 *                       smoothing, and oracle-tuned KTF (Monte Carlo over random interior spike positions).
 *   F2 rates.tsv        heterogeneous smoothness in d = 2: MSE vs n for KTF (k = 0, 1), Laplacian smoothing
 *                       and Laplacian eigenmaps, every method oracle-tuned on the same noise draws.
 *   F3 image.tsv        a 2-D example: truth, noisy data, KTF k = 0, KTF k = 1, Laplacian smoothing.
 *   F4 gap.tsv          the solver's duality gap against iteration (interior point vs the dual FISTA check).
 *   --benchmark         the d = 1 solver for n = 1e3 ... 1e6 and a 2-D image solve (timings: stdout only).
 *
 * THE SOLVER (a candidate for common/: sections 2-4 depend on nothing paper-specific)
 *   A primal-dual interior-point method on (KTF) written with t >= |Delta theta|. Every Newton step solves
 *   (I + Delta^T W Delta) dtheta = r with W >= 0 diagonal; in the natural lattice order that matrix is banded
 *   with half-bandwidth (k+1) N^(d-1), so a banded Cholesky solves it in O(n (k+1)^2 N^(2d-2)): O(n) for d = 1
 *   (the specialized fast path), O(N^4) for d = 2. 12-30 Newton steps reach a relative gap of 1e-9 to 1e-11
 *   (n = 1e6 in d = 1 stalls at 1e-7: see the README's benchmark).
 *   Checks: the gap (every solve), the KKT conditions, an independent dual method (accelerated projected
 *   gradient on the box QP), and the closed-form null-space projection for lambda above lambda_bar.
 *
 * DEPARTURES FROM THE PAPER
 *   (a) Scale: n up to ~2^12 - 2^14 per experiment (default), N <= 64 in d = 2; the paper goes further.
 *   (b) The figure settings (signals, sizes, c0 = 4 for the spike family) are this project's own; the paper's
 *       own simulation settings were not consulted. The spike family and its exact lower bound LB were derived
 *       for this project; they reproduce the transition, not the paper's plots.
 *   (c) All tuning is by oracle (the lambda, or the number of eigenvectors, minimizing the true MSE), for
 *       KTF and for the linear smoothers alike, as in the paper's comparisons of best-case performance.
 *   (d) KTF in d = 3, 4 is run only at small N (the banded Newton solve costs O(N^(3d-2))); the linear
 *       smoothers' risks, being exact formulas, go to larger N in the same panels.
 *   (e) Laplacian smoothing and eigenmaps in F2 use the same Delta as KTF (order k+1), F3 the grid Laplacian.
 *
 * CLAIMS (each a contrast that can fail; `--list-claims`, `--claim NAME [--control]`)
 *   C1 exact_solver      24x24 lattice, y ~ N(0,1), k = 0,1,2, 11 solves: worst relative gap <= 1e-10, worst
 *                        KKT violation |u_i - lambda sign(Delta theta)_i|/lambda <= 1e-5 on certainly active rows,
 *                        RMS distance to the dual FISTA solution <= 1e-4 and within the sum of the two certified
 *                        radii sqrt(2 gap), the null-space projection reproduced
 *                        to 1e-8 at lambda = 2 lambda_bar, closed-form DCT eigenvalues = dense ones to 1e-12.
 *                        Control: the interior point stopped after 3 Newton steps (gap ~0.05).
 *   C2 polynomials       k = 1: y = 1 + 2x1 - x2 + 3x1x2 is returned unchanged (max error <= 1e-8), while x1^2
 *                        is not (error >= 1e-3). Control: k = 0, for which the bilinear surface is not in null.
 *   C3 phase_transition  spike family: for (k,d) = (0,2),(0,3) the log-log slope of the exact oracle-LS risk is
 *                        >= -0.1 and LS >= LB, while KTF's slope is <= -0.5 and KTF/LS <= 0.3 at the largest n;
 *                        for (0,1),(1,2) the LS slope is <= -0.5. Control: the flatness checks applied to the
 *                        panels below the transition, (0,1) and (1,2), where the LS risk falls like 1/n.
 *   C4 heterogeneous     d = 2, k = 0, heterogeneous signal: MSE_LS / MSE_KTF >= 1.2 at the largest N and the
 *                        KTF slope is steeper by >= 0.05. Control: a smooth (Hoelder) signal, where linear
 *                        smoothers are rate optimal and the advantage vanishes.
 *
 * RUN
 *   trend_filtering [--scale quick|default|full] [--seed N] [--out DIR]  -> DIR/{phase_ls,phase_ktf,rates,
 *   image,gap}.tsv; figures/trend_filtering.gp draws them (make -f Makefile.figures).
 *   trend_filtering --benchmark   prints solve times of the d = 1 solver (n = 1e3..1e6) and of 2-D images.
 *   Look for: flat LS curves above LB in the panels with d >= 2(k+1) while KTF falls; KTF below LS and
 *   steeper in F2; the blocky k = 0 and the piecewise-planar k = 1 fits in F3; the gap falling to 1e-12 in
 *   ~30 interior-point steps while the first-order dual method crawls.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>

#include "claim.h"
#include "progress.h"
#include "rng.h"
#include "suite.h"
#include "tsv.h"
#include "vec.h"

/* ======================================================================================================
 * Options. Defaults are those of --scale default; apply_scale changes the ones the user did not set.
 * ====================================================================================================== */

static double sigma_het = 0.5;  /* noise level of the heterogeneous-smoothness study (F2, F3)            */
static double sigma_spike = 1;  /* noise level of the spike family (F1)                                   */
static double c0 = 4;           /* spike family: ||Delta theta0||_1 = C_n = c0 n^(1-(k+1)/d)              */
static long reps = 3;           /* repetitions (noise draws) per size in F2                               */
static long spikes = 3;         /* random interior spike positions per size in F1                         */
static long max_n_rates = 64;   /* largest N of F2                                                        */
static long image_n = 64;       /* N of the image example F3                                              */
static long bench_max = 1000000; /* largest n of the d = 1 benchmark                                      */
static int benchmark = 0;       /* --benchmark: time the solver instead of running the experiments       */

/* Every option is range-checked by suite_main before anything is written (bad value: exit 2). */
static const cli_option options[] = {
    {"sigma", OPT_REAL, &sigma_het, 0.01, 10, NULL, "noise sd of the heterogeneous study (F2, F3)"},
    {"sigma-spike", OPT_REAL, &sigma_spike, 0.01, 10, NULL, "noise sd of the spike family (F1)"},
    {"c0", OPT_REAL, &c0, 0.1, 100, NULL, "spike family: C_n = c0 n^(1-(k+1)/d)"},
    {"reps", OPT_INT, &reps, 1, 100, NULL, "noise draws per size in F2"},
    {"spikes", OPT_INT, &spikes, 1, 50, NULL, "random spike positions per size in F1"},
    {"max-n", OPT_INT, &max_n_rates, 16, 256, NULL, "largest lattice side N in F2 (d = 2)"},
    {"image-n", OPT_INT, &image_n, 16, 256, NULL, "lattice side N of the image example F3"},
    {"bench-max", OPT_INT, &bench_max, 1000, 10000000, NULL, "largest n of the d = 1 benchmark"},
    {"benchmark", OPT_FLAG, &benchmark, 0, 0, NULL, "time the solver (stdout only) instead of the figures"},
    {0},
};

/* quick: what the contract test runs twice (a few seconds): one noise draw, one spike, N <= 24.
 * full:  more draws and spikes, N up to 96 in F2 (k = 1: 64), KTF in the (1,4) panel, a 96 x 96 image. */
static void apply_scale(const suite_run *run)
{
    if (run->scale == SCALE_QUICK) {
        if (!suite_given(run, &reps)) reps = 1;
        if (!suite_given(run, &spikes)) spikes = 1;
        if (!suite_given(run, &max_n_rates)) max_n_rates = 24;
        if (!suite_given(run, &image_n)) image_n = 24;
    } else if (run->scale == SCALE_FULL) {
        if (!suite_given(run, &reps)) reps = 5;
        if (!suite_given(run, &spikes)) spikes = 5;
        if (!suite_given(run, &max_n_rates)) max_n_rates = 96;
        if (!suite_given(run, &image_n)) image_n = 96;
    }
}

/* Random streams, one per sub-experiment (rng.h). */
/* Fixed streams below 100; the families get disjoint ranges: a spike panel (k, d, N) draws from
 * STREAM_SPIKE + 1e6 k + 1e5 d + N, a repetition of F2 from STREAM_RATES + 1e6 signal + 100 N + rep. So every
 * size, panel and repetition has its own stream, and changing one list of sizes leaves the others' numbers. */
enum { STREAM_IMAGE = 2, STREAM_GAP = 3, STREAM_BENCH = 4, STREAM_BENCH_2D = 5, STREAM_CHECK = 10 };
static const uint64_t STREAM_SPIKE = 1000000000u, STREAM_RATES = 2000000000u;

/* ======================================================================================================
 * 1. The lattice and the Kronecker difference operator Delta, applied matrix-free.
 *
 * A lattice has side N in each of d axes; node p = sum_a i_a stride_a with stride_a = N^(d-1-a) (the last
 * axis is contiguous). Row (a, p) of Delta is the (k+1)-th difference along axis a that starts at node p:
 *     (Delta x)_(a,p) = sum_{j=0}^{k+1} c_j x_{p + j stride_a},   c_j = (-1)^(k+1-j) C(k+1, j),
 * which exists when i_a <= N - k - 2 (no wrap-around: D has N - k - 1 rows). We store Delta x in a d n
 * array indexed a n + p and keep the rows that do not exist at exactly 0, so sums over "all rows" stay
 * right; `valid` marks the m real rows.
 * ====================================================================================================== */

enum { MAX_D = 4, MAX_K = 3 };
static const double PI = 3.14159265358979323846;

typedef struct {
    int d, k;                 /* dimension and order                                                    */
    size_t N, n, m;           /* side, nodes N^d, real rows of Delta                                    */
    size_t stride[MAX_D];     /* node offset of a unit step along each axis                             */
    double tap[MAX_K + 2];    /* c_0 .. c_{k+1}                                                         */
    unsigned char *valid;     /* d n flags: row (a, p) exists                                           */
} lattice;

/* Builds the lattice of side N in d dimensions for order k. Shapes: n = N^d nodes; Delta is stored as d
 * blocks of n rows (a n + p), of which m = d N^(d-1) (N-k-1) exist. Example: d = 2, N = 4, k = 0 gives
 * n = 16 nodes and m = 2 * 4 * 3 = 24 first differences (12 vertical, 12 horizontal edges of the grid). */
static lattice lattice_make(int d, size_t N, int k)
{
    lattice L = {0};
    L.d = d;
    L.k = k;
    L.N = N;
    L.n = 1;
    for (int a = 0; a < d; a++)
        L.n *= N;
    for (int a = d - 1; a >= 0; a--)
        L.stride[a] = a == d - 1 ? 1 : L.stride[a + 1] * N;
    /* c_j = (-1)^(k+1-j) C(k+1, j): for k = 0 (-1, 1), k = 1 (1, -2, 1), k = 2 (-1, 3, -3, 1). */
    double binom = 1;
    for (int j = 0; j <= k + 1; j++) {
        L.tap[j] = ((k + 1 - j) % 2 ? -1 : 1) * binom;
        binom = binom * (k + 1 - j) / (j + 1);
    }
    L.valid = suite_calloc((size_t)d * L.n, 1);
    for (int a = 0; a < d; a++)
        for (size_t p = 0; p < L.n; p++)
            if ((p / L.stride[a]) % N + (size_t)k + 1 < N) {
                L.valid[(size_t)a * L.n + p] = 1;
                L.m++;
            }
    return L;
}

static void lattice_free(lattice *L) { free(L->valid); }

/* Both operators below cost (k+2) m multiply-adds and never form a matrix: Delta is applied "matrix-free",
 * axis by axis, as a (k+1)-th difference along the lines of that axis (stride_a apart in memory). */
/* z = Delta x  (x: n, z: d n). */
static void apply_delta(const lattice *L, const double *x, double *z)
{
    for (int a = 0; a < L->d; a++) {
        size_t s = L->stride[a];
        for (size_t p = 0; p < L->n; p++) {
            size_t r = (size_t)a * L->n + p;
            double acc = 0;
            if (L->valid[r])
                for (int j = 0; j <= L->k + 1; j++)
                    acc += L->tap[j] * x[p + (size_t)j * s];
            z[r] = acc;
        }
    }
}

/* x = Delta^T u  (u: d n, x: n). */
static void apply_delta_t(const lattice *L, const double *u, double *x)
{
    memset(x, 0, L->n * sizeof *x);
    for (int a = 0; a < L->d; a++) {
        size_t s = L->stride[a];
        for (size_t p = 0; p < L->n; p++) {
            size_t r = (size_t)a * L->n + p;
            double v = u[r];
            if (L->valid[r])
                for (int j = 0; j <= L->k + 1; j++)
                    x[p + (size_t)j * s] += L->tap[j] * v;
        }
    }
}

/* ======================================================================================================
 * 2. Banded Cholesky: the linear algebra of every Newton step.
 *
 * A symmetric positive definite n x n matrix with half-bandwidth b (A_ij = 0 for |i - j| > b) factors as
 * L L^T with L lower triangular of the same bandwidth, in n b^2 / 2 multiply-adds (no fill outside the
 * band). We store row i's entries j = i-b .. i contiguously, at a[i (b+1) + (j - i + b)], so both factors of
 * every inner product below are contiguous in memory (the compiler vectorizes them).
 * ====================================================================================================== */

typedef struct {
    size_t n, b;
    double *a; /* n (b+1) */
} band_matrix;

static double *band_row(const band_matrix *M, size_t i) { return M->a + i * (M->b + 1) + M->b - i; }

/* In place: A -> its Cholesky factor L. Returns 0, or -1 if A is not (numerically) positive definite. */
/* The recurrence, row by row: for j < i, L_ij = (A_ij - sum_{l<j} L_il L_jl) / L_jj, and
 * L_ii = sqrt(A_ii - sum_{l<i} L_il^2). Only l >= i - b can be non-zero, so each inner product has at most
 * b terms. Cost: n b^2 / 2 multiply-adds; memory: n (b+1) doubles (N = 128, k = 1, d = 2: 34 MB). */
static int band_cholesky(band_matrix *M)
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
static void band_solve(const band_matrix *M, double *x)
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

/* Why the bandwidth is (k+1) stride_0: entry (q, q') of Delta^T W Delta is non-zero only if some row of
 * Delta touches both nodes, i.e. q' - q = j stride_a with |j| <= k+1 for one axis a; the largest such
 * offset is (k+1) stride_0 = (k+1) N^(d-1). For d = 1 the matrix is (2k+3)-diagonal, and the whole Newton
 * step is O(n): this is the "specialized fast path" for 1-D trend filtering, obtained for free. */
/* M = I + Delta^T diag(w) Delta, assembled row by row of Delta: row (a, p) adds w c_i c_j at the node pair
 * (p + i s_a, p + j s_a). Half-bandwidth (k+1) stride_0 = (k+1) N^(d-1). */
static void assemble_newton_matrix(const lattice *L, const double *w, band_matrix *M)
{
    memset(M->a, 0, M->n * (M->b + 1) * sizeof *M->a);
    for (size_t i = 0; i < M->n; i++)
        band_row(M, i)[i] = 1;
    for (int a = 0; a < L->d; a++) {
        size_t s = L->stride[a];
        for (size_t p = 0; p < L->n; p++) {
            size_t r = (size_t)a * L->n + p;
            if (!L->valid[r] || w[r] == 0)
                continue;
            for (int i = 0; i <= L->k + 1; i++) {
                double *row = band_row(M, p + (size_t)i * s);
                for (int j = 0; j <= i; j++)
                    row[p + (size_t)j * s] += w[r] * L->tap[i] * L->tap[j];
            }
        }
    }
}

/* ======================================================================================================
 * 3. The certificate: a dual point, the primal point it certifies, and the duality gap.
 *
 * Dual of (KTF):  max_{|u_i| <= lambda} D(u) = 1/2||y||^2 - 1/2||y - Delta^T u||^2. For a feasible u put
 * theta_u = y - Delta^T u and z = Delta theta_u; then P(theta_u) - D(u) = lambda ||z||_1 - u^T z
 * = sum_i (lambda |z_i| - u_i z_i): a sum of non-negative terms, so it is computed without cancellation.
 * P is 1-strongly convex, hence 1/2 ||theta_u - theta_hat||^2 <= gap: a small gap *proves* theta_u accurate.
 * The KKT conditions behind it: theta = y - Delta^T u, |u_i| <= lambda, u_i = lambda sign(z_i) where z_i != 0.
 * ====================================================================================================== */

typedef struct {
    double gap;      /* P(theta_u) - D(u) >= 0                                     */
    double primal;   /* P(theta_u)                                                 */
    long iterations; /* Newton steps (or first-order iterations)                   */
} ktf_info;

/* u is clipped to the box in place; theta gets theta_u; z (d n) is workspace. Returns the gap; *primal gets P. */
/* Why clip: the interior-point multipliers satisfy |alpha - beta| <= lambda only in the limit; projecting
 * onto the box makes u exactly feasible, so the gap below is a valid bound whatever the iterate. */
static double certify(const lattice *L, const double *y, double lambda, double *u, double *theta, double *z,
                      double *primal)
{
    size_t mm = (size_t)L->d * L->n;
    for (size_t r = 0; r < mm; r++)
        u[r] = L->valid[r] ? fmax(-lambda, fmin(lambda, u[r])) : 0;
    apply_delta_t(L, u, theta);
    double fit = 0, l1 = 0, gap = 0;
    for (size_t i = 0; i < L->n; i++) {
        fit += theta[i] * theta[i]; /* ||Delta^T u||^2 = ||y - theta_u||^2 */
        theta[i] = y[i] - theta[i];
    }
    apply_delta(L, theta, z);
    for (size_t r = 0; r < mm; r++) {
        l1 += fabs(z[r]);
        gap += lambda * fabs(z[r]) - u[r] * z[r];
    }
    if (primal)
        *primal = 0.5 * fit + lambda * l1;
    return gap;
}

/* P(theta) = 1/2||y - theta||^2 + lambda ||Delta theta||_1  (z: d n workspace). */
static double primal_objective(const lattice *L, const double *y, double lambda, const double *theta, double *z)
{
    size_t mm = (size_t)L->d * L->n;
    apply_delta(L, theta, z);
    double l1 = 0;
    for (size_t r = 0; r < mm; r++)
        l1 += fabs(z[r]);
    double d2 = vec_dist(y, theta, L->n);
    return 0.5 * d2 * d2 + lambda * l1;
}

/* D(u) = 1/2||y||^2 - 1/2||y - Delta^T u||^2 = (Delta^T u)^T (y - Delta^T u / 2)  (x: n workspace). */
static double dual_objective(const lattice *L, const double *y, const double *u, double *x)
{
    apply_delta_t(L, u, x);
    double s = 0;
    for (size_t i = 0; i < L->n; i++)
        s += x[i] * (y[i] - 0.5 * x[i]);
    return s;
}

/* ======================================================================================================
 * 4. The exact solver: a primal-dual interior-point method (Boyd & Vandenberghe 2004, sec. 11.7; the d = 1
 *    case is Kim, Koh, Boyd & Gorinevsky's l1 trend filtering, SIAM Review 2009).
 *
 * Write (KTF) as  min 1/2||y - theta||^2 + lambda 1^T t  subject to  -t <= Delta theta <= t,  with
 * multipliers alpha, beta >= 0 for the two sides. The KKT conditions, perturbed by 1/tau, read
 *     theta - y + Delta^T (alpha - beta) = 0,   lambda - alpha - beta = 0,
 *     alpha (t - z) = 1/tau,   beta (t + z) = 1/tau,        z = Delta theta,
 * so u = alpha - beta is the dual variable of section 3. Newton's method on them, after eliminating
 * dt, dalpha and dbeta row by row (g1 = t - z, g2 = t + z, a = alpha/g1, b = beta/g2), leaves one system
 *     (I + Delta^T W Delta) dtheta = -r_theta - Delta^T h,   W = 4ab/(a+b),
 *     c = -r_t - r_alpha/g1 - r_beta/g2,  h = -r_alpha/g1 + r_beta/g2 - (a-b) c/(a+b),
 * and then dt = (c + (a-b) dz)/(a+b), dalpha = (-r_alpha - alpha (dt - dz))/g1, dbeta = (-r_beta - beta
 * (dt + dz))/g2. W is large on rows where Delta theta = 0 (both constraints tight) and small where a knot
 * sits: the matrix is the banded one of section 2. tau grows as mu 2m / (surrogate gap) with mu = 10, and a
 * backtracking line search on the residual norm keeps the iterates strictly feasible (B&V 11.7.3).
 * Every iteration also certifies u = clip(alpha - beta) (section 3); the loop stops on that gap.
 * ====================================================================================================== */

/* Workspace of the interior-point method, allocated once per lattice and reused by every solve (an oracle
 * search makes a dozen solves on the same lattice): n-vectors for theta and its step, d n-vectors for the
 * slack t, the multipliers alpha, beta, the Newton weights and their steps, and the band matrix. */
typedef struct {
    size_t n, mm;
    band_matrix M;
    double *theta, *t, *al, *be, *z, *g1, *g2, *w, *h, *c, *rth, *dth, *dt, *dal, *dbe, *dz, *u, *cert, *tmp;
    double *nt, *nal, *nbe, *nth;
} pdip_work;

/* The band is capped at n - 1 (tiny lattices); every array is zeroed, so rows that do not exist stay 0. */
static pdip_work pdip_alloc(const lattice *L)
{
    pdip_work W = {0};
    W.n = L->n;
    W.mm = (size_t)L->d * L->n;
    W.M.n = L->n;
    W.M.b = (size_t)(L->k + 1) * L->stride[0];
    if (W.M.b >= L->n)
        W.M.b = L->n - 1;
    W.M.a = suite_calloc(L->n * (W.M.b + 1), sizeof(double));
    double **nvec[] = {&W.theta, &W.rth, &W.dth, &W.cert, &W.nth};
    for (size_t i = 0; i < sizeof nvec / sizeof *nvec; i++)
        *nvec[i] = suite_calloc(W.n, sizeof(double));
    double **mvec[] = {&W.t, &W.al, &W.be, &W.z, &W.g1, &W.g2, &W.w, &W.h, &W.c, &W.dt, &W.dal, &W.dbe, &W.dz,
                       &W.u, &W.nt, &W.nal, &W.nbe, &W.tmp};
    for (size_t i = 0; i < sizeof mvec / sizeof *mvec; i++)
        *mvec[i] = suite_calloc(W.mm, sizeof(double));
    return W;
}

static void pdip_free(pdip_work *W)
{
    double *all[] = {W->M.a, W->theta, W->rth, W->dth, W->cert, W->tmp, W->nth, W->t, W->al, W->be, W->z,
                     W->g1, W->g2, W->w, W->h, W->c, W->dt, W->dal, W->dbe, W->dz, W->u, W->nt, W->nal, W->nbe};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

/* One Newton direction with the current factorization, for complementarity residuals ra = alpha g1 - target,
 * rb = beta g2 - target (section 4's elimination). Fills dth, dz, dt, dal, dbe; returns the largest step in
 * (0, 1] that keeps alpha, beta, g1 = t - z, g2 = t + z non-negative. */
/* The elimination, row by row (each row r of Delta has its own t_r, alpha_r, beta_r, so everything but
 * dtheta is a 2 x 2 or 3 x 3 local solve): from the linearized complementarity,
 *     dalpha = (-r_alpha - alpha (dt - dz)) / g1,   dbeta = (-r_beta - beta (dt + dz)) / g2,
 * and from dalpha + dbeta = r_t follows dt as a function of dz = Delta dtheta. Substituting into the
 * stationarity row dtheta + Delta^T (dalpha - dbeta) = -r_theta leaves the n x n system for dtheta alone. */
static double pdip_direction(const lattice *L, const double *rt, const double *ra, const double *rb, pdip_work *W)
{
    size_t mm = W->mm;
    for (size_t r = 0; r < mm; r++) {
        if (!L->valid[r]) {
            W->h[r] = W->c[r] = 0;
            continue;
        }
        double a = W->al[r] / W->g1[r], b = W->be[r] / W->g2[r];
        W->c[r] = -rt[r] - ra[r] / W->g1[r] - rb[r] / W->g2[r];
        W->h[r] = -ra[r] / W->g1[r] + rb[r] / W->g2[r] - (a - b) * W->c[r] / (a + b);
    }
    apply_delta_t(L, W->h, W->dth);
    for (size_t i = 0; i < W->n; i++)
        W->dth[i] = -W->rth[i] - W->dth[i];
    band_solve(&W->M, W->dth);
    apply_delta(L, W->dth, W->dz);
    double smax = 1;
    for (size_t r = 0; r < mm; r++) {
        if (!L->valid[r]) {
            W->dt[r] = W->dal[r] = W->dbe[r] = 0;
            continue;
        }
        double a = W->al[r] / W->g1[r], b = W->be[r] / W->g2[r];
        W->dt[r] = (W->c[r] + (a - b) * W->dz[r]) / (a + b);
        W->dal[r] = (-ra[r] - W->al[r] * (W->dt[r] - W->dz[r])) / W->g1[r];
        W->dbe[r] = (-rb[r] - W->be[r] * (W->dt[r] + W->dz[r])) / W->g2[r];
        double dg1 = W->dt[r] - W->dz[r], dg2 = W->dt[r] + W->dz[r];
        if (W->dal[r] < 0) smax = fmin(smax, -W->al[r] / W->dal[r]);
        if (W->dbe[r] < 0) smax = fmin(smax, -W->be[r] / W->dbe[r]);
        if (dg1 < 0) smax = fmin(smax, -W->g1[r] / dg1);
        if (dg2 < 0) smax = fmin(smax, -W->g2[r] / dg2);
    }
    return smax;
}

/* Solves (KTF) to a relative gap gap/P <= rel_tol. theta gets the certified solution theta_u, u_out (d n,
 * may be NULL) the dual point. trace (may be NULL, max_iter + 1 entries) receives the relative gap of each
 * iteration.
 *
 * The centering is Mehrotra's predictor-corrector (Nocedal & Wright 2006, alg. 16.4): one factorization per
 * iteration serves two solves, an affine ("predictor") step aimed at the KKT point itself, and a corrected
 * step aimed at sigma mu with sigma = (mu_aff / mu)^3 and the second-order term dalpha_aff dg1_aff folded
 * into the complementarity residual. It needs 15-40 iterations whatever n is. */
static ktf_info ktf_pdip(const lattice *L, const double *y, double lambda, double rel_tol, long max_iter,
                         double *theta, double *u_out, double *trace, pdip_work *W)
{
    size_t n = L->n, mm = W->mm;
    double two_m = 2.0 * (double)L->m;
    /* info.gap stays infinite until the first certificate; every later one is compared with the best. */
    ktf_info info = {INFINITY, 0, 0};
    double *rt = W->nt, *ra = W->nal, *rb = W->nbe; /* residual storage (the n* arrays are free here) */
    /* Interior-point methods need a strictly feasible start (g1, g2, alpha, beta > 0), not a good one:
     * the central path pulls every start toward the solution at the same rate. We do not warm start. */
    /* Start: theta = y, t = |Delta y| plus a margin, alpha = beta = lambda/2 (so lambda - alpha - beta = 0). */
    memcpy(W->theta, y, n * sizeof *y);
    apply_delta(L, W->theta, W->z);
    double zmax = 0;
    for (size_t r = 0; r < mm; r++)
        zmax = fmax(zmax, fabs(W->z[r]));
    double margin = fmax(zmax, 1e-3 * lambda) * 0.1;
    for (size_t r = 0; r < mm; r++) {
        W->t[r] = L->valid[r] ? 1.1 * fabs(W->z[r]) + margin : 0;
        W->al[r] = W->be[r] = L->valid[r] ? lambda / 2 : 0;
    }
    double best_rel = INFINITY;
    for (long it = 0;; it++) {
        /* The certificate of the current dual iterate (section 3); keep the best one seen. */
        for (size_t r = 0; r < mm; r++)
            W->u[r] = W->al[r] - W->be[r];
        double primal, gap = certify(L, y, lambda, W->u, W->cert, W->tmp, &primal);
        /* The primal iterate itself is often the better primal point (theta_u = y - Delta^T u amplifies the
         * error of u by Delta^T): gap = P(theta) - D(u), exact arithmetic aside, is a certificate too. */
        double p_iter = primal_objective(L, y, lambda, W->theta, W->tmp);
        double dual = dual_objective(L, y, W->u, W->rth);
        int use_iterate = it > 0 && p_iter < primal;
        if (use_iterate) {
            gap = fmax(p_iter - dual, 0);
            primal = p_iter;
        }
        double rel = gap / fmax(primal, 1e-300);
        if (rel < best_rel) {
            best_rel = rel;
            info.gap = gap;
            info.primal = primal;
            memcpy(theta, use_iterate ? W->theta : W->cert, n * sizeof *theta);
            if (u_out)
                memcpy(u_out, W->u, mm * sizeof *u_out);
        }
        if (trace)
            trace[it] = rel;
        info.iterations = it;
        if (rel <= rel_tol || it == max_iter)
            break;
        /* mu = (alpha^T g1 + beta^T g2) / 2m is the average complementarity: the duality measure that the
         * method drives to 0 (at a KKT point every alpha_i g1_i = beta_i g2_i = 0). */
        /* Residuals at the current point: r_theta = theta - y + Delta^T(alpha - beta), r_t = lambda - alpha - beta. */
        apply_delta(L, W->theta, W->z);
        double mu = 0;
        for (size_t r = 0; r < mm; r++) {
            W->g1[r] = W->t[r] - W->z[r];
            W->g2[r] = W->t[r] + W->z[r];
            if (!L->valid[r]) {
                W->w[r] = rt[r] = ra[r] = rb[r] = 0;
                continue;
            }
            double a = W->al[r] / W->g1[r], b = W->be[r] / W->g2[r];
            W->w[r] = 4 * a * b / (a + b); /* the Newton matrix weight */
            rt[r] = lambda - W->al[r] - W->be[r];
            ra[r] = W->al[r] * W->g1[r]; /* predictor: aim at complementarity 0 */
            rb[r] = W->be[r] * W->g2[r];
            mu += ra[r] + rb[r];
        }
        mu /= two_m;
        for (size_t r = 0; r < mm; r++)
            W->u[r] = W->al[r] - W->be[r];
        apply_delta_t(L, W->u, W->rth);
        for (size_t i = 0; i < n; i++)
            W->rth[i] += W->theta[i] - y[i];
        /* The only O(n b^2) work of the iteration: assemble I + Delta^T W Delta and factor it once. Late in
         * the run W spans 1e-12 .. 1e12 (knots vs fused rows); when round-off finally makes the factor fail,
         * we stop with the best certificate found, which the caller sees in info.gap. */
        assemble_newton_matrix(L, W->w, &W->M);
        if (band_cholesky(&W->M) != 0)
            break; /* numerically singular: the best certificate so far stands */
        /* Predictor, then the complementarity it would reach, then sigma. */
        double s_aff = pdip_direction(L, rt, ra, rb, W), mu_aff = 0;
        for (size_t r = 0; r < mm; r++)
            if (L->valid[r]) {
                double g1 = W->g1[r] + s_aff * (W->dt[r] - W->dz[r]), g2 = W->g2[r] + s_aff * (W->dt[r] + W->dz[r]);
                mu_aff += (W->al[r] + s_aff * W->dal[r]) * g1 + (W->be[r] + s_aff * W->dbe[r]) * g2;
            }
        mu_aff /= two_m;
        double sigma = pow(mu_aff / mu, 3);
        /* Corrector: ra = alpha g1 + dalpha_aff dg1_aff - sigma mu (and the same for beta). */
        for (size_t r = 0; r < mm; r++)
            if (L->valid[r]) {
                ra[r] += W->dal[r] * (W->dt[r] - W->dz[r]) - sigma * mu;
                rb[r] += W->dbe[r] * (W->dt[r] + W->dz[r]) - sigma * mu;
            }
        /* Fraction to the boundary: go 99% of the way to the nearest constraint, never beyond a full step. */
        double step = fmin(1, 0.99 * pdip_direction(L, rt, ra, rb, W));
        vec_axpy(step, W->dth, W->theta, n);
        vec_axpy(step, W->dt, W->t, mm);
        vec_axpy(step, W->dal, W->al, mm);
        vec_axpy(step, W->dbe, W->be, mm);
    }
    return info;
}

/* ======================================================================================================
 * 5. The Kronecker eigenbasis: linear smoothers, the null space and lambda_bar in closed form.
 *
 * Delta^T Delta = sum_a I (x) .. (x) G (x) .. (x) I with G = D^T D (N x N). If G = U diag(mu) U^T, then
 * Delta^T Delta has eigenvectors U (x) ... (x) U and eigenvalues mu_{j_1} + ... + mu_{j_d}: one dense N x N
 * eigenproblem (gsl_eigen_symmv) diagonalizes the whole n x n operator. Applying U^T along every axis costs
 * d n N (one dgemm per slab). G has exactly k+1 zero eigenvalues (polynomials of degree <= k); we set them
 * to exact zeros, so the null space of Delta is {j : all j_a <= k}, of dimension (k+1)^d.
 * ====================================================================================================== */

typedef struct {
    const lattice *L;
    double *U;     /* N x N, row-major: U[i N + j] = j-th eigenvector at node i  */
    double *mu;    /* N eigenvalues of G, ascending, the first k+1 exactly 0      */
    double *musum; /* n: eigenvalue of Delta^T Delta at each multi-index          */
    double *work;  /* n                                                           */
} kron_eigen;

static void dense_eigenbasis(const lattice *L, double *U, double *mu);

static kron_eigen kron_eigen_make(const lattice *L)
{
    size_t N = L->N;
    kron_eigen E = {L, suite_calloc(N * N, sizeof(double)), suite_calloc(N, sizeof(double)),
                    suite_calloc(L->n, sizeof(double)), suite_calloc(L->n, sizeof(double))};
    if (L->k == 0) {
        /* k = 0: G is the path-graph Laplacian, diagonalized by the DCT-II basis in closed form,
         * U_ij = c_j cos(pi j (i + 1/2) / N), mu_j = 4 sin^2(pi j / (2N)); no O(N^3) eigensolve (d = 1 uses
         * N up to 4096). claim exact_solver compares it with the dense eigensolver. */
        for (size_t j = 0; j < N; j++) {
            E.mu[j] = j == 0 ? 0 : 4 * pow(sin(PI * (double)j / (2.0 * (double)N)), 2);
            for (size_t i = 0; i < N; i++)
                E.U[i * N + j] = sqrt((j == 0 ? 1.0 : 2.0) / (double)N) * cos(PI * (double)j * ((double)i + 0.5) / (double)N);
        }
    } else
        dense_eigenbasis(L, E.U, E.mu);
    for (size_t p = 0; p < L->n; p++)
        for (int a = 0; a < L->d; a++)
            E.musum[p] += E.mu[(p / L->stride[a]) % N];
    return E;
}

/* The eigenbasis of G = D^T D by the dense symmetric eigensolver (any k): U N x N row-major, mu ascending. */
static void dense_eigenbasis(const lattice *L, double *U, double *mu)
{
    size_t N = L->N;
    gsl_matrix *G = gsl_matrix_calloc(N, N), *V = gsl_matrix_alloc(N, N);
    gsl_vector *ev = gsl_vector_alloc(N);
    /* G = D^T D: row r of D has taps c_j at columns r + j. */
    for (size_t r = 0; r + (size_t)L->k + 1 < N; r++)
        for (int i = 0; i <= L->k + 1; i++)
            for (int j = 0; j <= L->k + 1; j++)
                *gsl_matrix_ptr(G, r + (size_t)i, r + (size_t)j) += L->tap[i] * L->tap[j];
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(N);
    gsl_eigen_symmv(G, ev, V, ws);
    gsl_eigen_symmv_free(ws);
    gsl_eigen_symmv_sort(ev, V, GSL_EIGEN_SORT_VAL_ASC);
    for (size_t j = 0; j < N; j++) {
        mu[j] = j <= (size_t)L->k ? 0 : fmax(gsl_vector_get(ev, j), 0);
        /* A sign convention (largest entry positive) makes the basis, hence every output, reproducible. */
        size_t imax = 0;
        for (size_t i = 1; i < N; i++)
            if (fabs(gsl_matrix_get(V, i, j)) > fabs(gsl_matrix_get(V, imax, j)) + 1e-12)
                imax = i;
        double sign = gsl_matrix_get(V, imax, j) < 0 ? -1 : 1;
        for (size_t i = 0; i < N; i++)
            U[i * N + j] = sign * gsl_matrix_get(V, i, j);
    }
    gsl_matrix_free(G);
    gsl_matrix_free(V);
    gsl_vector_free(ev);
}

static void kron_eigen_free(kron_eigen *E)
{
    free(E->U);
    free(E->mu);
    free(E->musum);
    free(E->work);
}

/* out = (U^T (x) ... (x) U^T) x  (forward) or (U (x) ... (x) U) x (back); out may equal x. Along axis a the
 * tensor is (outer) x N x (inner = stride_a); each outer slab is an N x inner matrix multiplied by U^T. */
/* Example, d = 2: x is an N x N image X; axis 0 (stride N) gives U^T X, axis 1 (stride 1) then acts on
 * each row of the result, giving U^T X U: the 2-D transform of the brief, done as N + N small products. */
static void kron_transform(const kron_eigen *E, const double *x, double *out, int forward)
{
    const lattice *L = E->L;
    size_t N = L->N;
    double *src = E->work, *dst = out;
    memcpy(src, x, L->n * sizeof *x);
    gsl_matrix_const_view U = gsl_matrix_const_view_array(E->U, N, N);
    for (int a = 0; a < L->d; a++) {
        size_t inner = L->stride[a], outer = L->n / (N * inner);
        for (size_t o = 0; o < outer; o++) {
            gsl_matrix_const_view X = gsl_matrix_const_view_array(src + o * N * inner, N, inner);
            gsl_matrix_view Y = gsl_matrix_view_array(dst + o * N * inner, N, inner);
            gsl_blas_dgemm(forward ? CblasTrans : CblasNoTrans, CblasNoTrans, 1.0, &U.matrix, &X.matrix, 0.0,
                           &Y.matrix);
        }
        double *swap = src; /* the result of this axis is the input of the next */
        src = dst;
        dst = swap;
    }
    if (src != out) /* an odd/even number of axes left the result in the work buffer */
        memcpy(out, src, L->n * sizeof *out);
}

/* The null-space projection P_null y and the minimum-norm dual point u* = Delta (Delta^T Delta)^+ y, whose
 * sup norm is lambda_bar: for lambda >= lambda_bar, (P_null y, u*) satisfies the KKT conditions, so
 * theta_hat = P_null y exactly (Delta^T u* = y - P_null y, and Delta P_null y = 0). Returns lambda_bar.
 * proj: n; ustar: d n (may be NULL); coef: n workspace. */
/* Why lambda_bar is only sufficient for d >= 2: the rows of Delta are dependent there, so Delta^T u = r has
 * many solutions u, and the minimum-norm one need not have the smallest sup norm; the exact lambda_max is
 * min ||u||_inf over them (a linear program). For d = 1 the solution is unique and lambda_bar = lambda_max. */
static double null_projection(const kron_eigen *E, const double *y, double *proj, double *ustar, double *coef)
{
    const lattice *L = E->L;
    kron_transform(E, y, coef, 1);
    for (size_t j = 0; j < L->n; j++)
        proj[j] = E->musum[j] == 0 ? coef[j] : 0;
    double lambda_bar = 0;
    if (ustar) {
        for (size_t j = 0; j < L->n; j++)
            coef[j] = E->musum[j] == 0 ? 0 : coef[j] / E->musum[j];
        kron_transform(E, coef, coef, 0);
        apply_delta(L, coef, ustar);
        for (size_t r = 0; r < (size_t)L->d * L->n; r++)
            lambda_bar = fmax(lambda_bar, fabs(ustar[r]));
    }
    kron_transform(E, proj, proj, 0);
    return lambda_bar;
}

/* ======================================================================================================
 * 6. The independent check: accelerated projected gradient (FISTA) on the dual box QP.
 *
 * min_{|u| <= lambda} f(u) = 1/2||y - Delta^T u||^2 has gradient -Delta (y - Delta^T u) with Lipschitz
 * constant ||Delta||^2 <= d 4^(k+1) (each axis block's D has ||D||^2 <= (sum_j |c_j|)^2 = 4^(k+1)).
 * Nothing is shared with the interior-point method except apply_delta and the certificate: agreement of
 * the two is evidence that both solve (KTF). We restart the momentum when it points uphill
 * (O'Donoghue & Candes 2015). trace (may be NULL) gets the relative gap every `every` iterations.
 * ====================================================================================================== */

/* Shapes: y, theta n; u, v, un, g d n. Cost per iteration: one Delta and one Delta^T (2 (k+2) m flops).
 * The step 1/lip is the classical safe step of projected gradient; FISTA's momentum (t_k sequence)
 * improves the rate from O(1/k) to O(1/k^2) in the objective, which for this ill-conditioned box QP
 * still means tens of thousands of iterations for 1e-10 (see F4). */
static ktf_info ktf_fista(const lattice *L, const double *y, double lambda, double rel_tol, long max_iter,
                          double *theta, double *trace, long every)
{
    size_t n = L->n, mm = (size_t)L->d * L->n;
    double *u = vec_new(mm), *v = vec_new(mm), *un = vec_new(mm), *g = vec_new(mm), *x = vec_new(n);
    double *cu = vec_new(mm);
    /* u: the iterate; v: the extrapolated point where the gradient is taken; un: the next iterate; cu: a
     * copy that certify may clip (u itself is always feasible, so the clip is a no-op on it). */
    double lip = L->d * pow(4, L->k + 1), tk = 1;
    ktf_info info = {INFINITY, 0, 0};
    for (long it = 0; it <= max_iter; it++) {
        if (it % every == 0 || it == max_iter) {
            memcpy(cu, u, mm * sizeof *u);
            double primal, gap = certify(L, y, lambda, cu, x, g, &primal);
            double rel = gap / fmax(primal, 1e-300);
            if (trace)
                trace[it / every] = rel;
            info.gap = gap;
            info.primal = primal;
            info.iterations = it;
            memcpy(theta, x, n * sizeof *x);
            if (rel <= rel_tol || it == max_iter)
                break;
        }
        /* g = grad f(v) = -Delta (y - Delta^T v); un = clip(v - g / lip). */
        apply_delta_t(L, v, x);
        for (size_t i = 0; i < n; i++)
            x[i] = y[i] - x[i];
        apply_delta(L, x, g);
        double uphill = 0;
        for (size_t r = 0; r < mm; r++) {
            un[r] = L->valid[r] ? fmax(-lambda, fmin(lambda, v[r] + g[r] / lip)) : 0;
            uphill += (v[r] - un[r]) * (un[r] - u[r]);
        }
        double tn = uphill > 0 ? 1 : 0.5 * (1 + sqrt(1 + 4 * tk * tk));
        double mom = uphill > 0 ? 0 : (tk - 1) / tn;
        for (size_t r = 0; r < mm; r++) {
            v[r] = un[r] + mom * (un[r] - u[r]);
            u[r] = un[r];
        }
        tk = tn;
    }
    free(u);
    free(v);
    free(un);
    free(g);
    free(x);
    free(cu);
    return info;
}

/* ======================================================================================================
 * 7. Estimators tuned by oracle: KTF over lambda, Laplacian smoothing over lambda, eigenmaps over m.
 *
 * Every method gets the tuning parameter that minimizes its true MSE on the data at hand, so that "KTF
 * wins" cannot be an artifact of tuning. The linear smoothers are exact in the eigenbasis:
 *   Laplacian smoothing  S_lambda = (I + lambda Delta^T Delta)^{-1}: coefficient j shrinks by 1/(1 + lambda mu_j);
 *   Laplacian eigenmaps  the projection onto the m eigenvectors with the smallest mu_j.
 * Both include their limits (lambda = 0: S = I; lambda = infinity: the null-space projection; m = 0, n).
 * ====================================================================================================== */

enum { N_LS_GRID = 64 };

/* The smoothing weight of coefficient j at grid point g: g = 0 is lambda = 0, g = N_LS_GRID - 1 is lambda =
 * infinity, and between them lambda runs over 10^-4 .. 10^8 geometrically. */
static double ls_lambda(int g)
{
    if (g == 0)
        return 0;
    if (g == N_LS_GRID - 1)
        return (double)INFINITY;
    return pow(10, -4 + 12.0 * (g - 1) / (N_LS_GRID - 3));
}
static double ls_weight(double lambda, double mu) { return isinf(lambda) ? (mu == 0 ? 1 : 0) : 1 / (1 + lambda * mu); }

typedef struct {
    double mse, param; /* the oracle MSE and the parameter (lambda, or m) that attains it */
} oracle;

/* Oracle Laplacian smoothing and eigenmaps on data with coefficients yc against truth coefficients tc.
 * fit (may be NULL) gets the oracle Laplacian-smoothing fit (in node space). */
/* Everything is done in coefficient space: with yc = U^T y and tc = U^T theta0 (orthogonal U), the MSE of
 * any smoother diagonal in the eigenbasis, with weights s_j, is (1/n) sum_j (s_j yc_j - tc_j)^2. One
 * transform per data set, then O(n) per candidate parameter. */
static void oracle_linear(const kron_eigen *E, const double *yc, const double *tc, oracle *ls, oracle *le,
                          double *fit)
{
    size_t n = E->L->n;
    ls->mse = INFINITY;
    for (int g = 0; g < N_LS_GRID; g++) {
        double lam = ls_lambda(g), s = 0;
        for (size_t j = 0; j < n; j++) {
            double e = ls_weight(lam, E->musum[j]) * yc[j] - tc[j];
            s += e * e;
        }
        if (s / (double)n < ls->mse) {
            ls->mse = s / (double)n;
            ls->param = lam;
        }
    }
    if (fit) {
        for (size_t j = 0; j < n; j++)
            fit[j] = ls_weight(ls->param, E->musum[j]) * yc[j];
        kron_transform(E, fit, fit, 0);
    }
    /* Eigenmaps: sort the coefficients by eigenvalue (ties by index), then scan m = 0 .. n with running sums:
     * MSE(m) = [sum_{first m} (yc - tc)^2 + sum_{rest} tc^2] / n. */
    size_t *order = suite_calloc(n, sizeof *order);
    for (size_t j = 0; j < n; j++)
        order[j] = j;
    for (size_t j = 1; j < n; j++) { /* insertion sort is enough: musum takes few distinct values per run */
        size_t v = order[j], i = j;
        while (i > 0 && (E->musum[order[i - 1]] > E->musum[v] ||
                         (E->musum[order[i - 1]] == E->musum[v] && order[i - 1] > v))) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = v;
    }
    /* head = sum over the kept coefficients of the noise (yc - tc)^2, rest = sum over the dropped ones of the
     * signal tc^2: the variance and squared bias of eigenmaps with m eigenvectors. */
    double rest = 0, head = 0;
    for (size_t j = 0; j < n; j++)
        rest += tc[j] * tc[j];
    le->mse = rest / (double)n;
    le->param = 0;
    for (size_t m = 1; m <= n; m++) {
        size_t j = order[m - 1];
        head += (yc[j] - tc[j]) * (yc[j] - tc[j]);
        rest -= tc[j] * tc[j];
        if ((head + fmax(rest, 0)) / (double)n < le->mse) {
            le->mse = (head + fmax(rest, 0)) / (double)n;
            le->param = (double)m;
        }
    }
    free(order);
}

/* KTF's oracle: golden-section search on log10 lambda for the smallest true MSE. `center` (log10 lambda)
 * and `radius` (decades) bracket the search; a first pass over `coarse` equispaced points picks the best
 * bracket, then `golden` golden-section steps refine it. Every solve is certified to a relative gap of
 * 1e-9, so its MSE is right to many more digits than the search needs. fit gets the oracle fit. */
typedef struct {
    const lattice *L;
    const double *y, *truth;
    double *fit, *scratch;
    pdip_work *W;
    double worst_gap; /* the largest relative gap of any solve: reported next to every MSE */
    long solves;
    const kron_eigen *E; /* if not NULL: the limit lambda -> infinity (the null-space projection) competes */
} ktf_search;

/* One certified KTF solve at lambda = 10^log_lambda and its true MSE (the oracle knows theta0). */
static double ktf_mse_at(ktf_search *S, double log_lambda)
{
    ktf_info info = ktf_pdip(S->L, S->y, pow(10, log_lambda), 1e-9, 80, S->scratch, NULL, NULL, S->W);
    S->worst_gap = fmax(S->worst_gap, info.gap / fmax(info.primal, 1e-300));
    S->solves++;
    double d = vec_dist(S->scratch, S->truth, S->L->n);
    return d * d / (double)S->L->n;
}

/* Golden-section search keeps a bracket [lo, hi] with two interior points at the golden ratio; each step
 * drops the side of the worse point and reuses the other point, one solve per step, shrinking the bracket
 * by 0.618. It assumes MSE(log lambda) is unimodal in the bracket, which the coarse pass makes likely. */
static oracle oracle_ktf(ktf_search *S, double center, double radius, int coarse, int golden)
{
    double lo = center - radius, hi = center + radius, best = center, best_mse = INFINITY;
    if (coarse > 1) {
        double step = (hi - lo) / (coarse - 1);
        for (int i = 0; i < coarse; i++) {
            double m = ktf_mse_at(S, lo + i * step);
            if (m < best_mse) {
                best_mse = m;
                best = lo + i * step;
            }
        }
        lo = best - step;
        hi = best + step;
    }
    const double phi = 0.6180339887498949;
    double x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo);
    double f1 = ktf_mse_at(S, x1), f2 = ktf_mse_at(S, x2);
    for (int i = 0; i < golden; i++) {
        if (f1 < f2) {
            hi = x2; x2 = x1; f2 = f1;
            x1 = hi - phi * (hi - lo);
            f1 = ktf_mse_at(S, x1);
        } else {
            lo = x1; x1 = x2; f1 = f2;
            x2 = lo + phi * (hi - lo);
            f2 = ktf_mse_at(S, x2);
        }
    }
    if (f1 < best_mse) { best_mse = f1; best = x1; }
    if (f2 < best_mse) { best_mse = f2; best = x2; }
    /* The fit at the winner (one more solve keeps the code simple). */
    oracle o = {ktf_mse_at(S, best), pow(10, best)};
    memcpy(S->fit, S->scratch, S->L->n * sizeof *S->fit);
    /* The limit lambda >= lambda_bar, where KTF is the null-space projection (section 5): below the phase
     * transition a small spike is best ignored, and the oracle sits there, beyond any finite search range. */
    if (S->E) {
        double *coef = vec_new(S->L->n), *ustar = vec_new((size_t)S->L->d * S->L->n);
        double lambda_bar = null_projection(S->E, S->y, S->scratch, ustar, coef);
        double d = vec_dist(S->scratch, S->truth, S->L->n), mse = d * d / (double)S->L->n;
        if (mse < o.mse) { /* recorded as lambda = lambda_bar, the smallest value certified to give it */
            o.mse = mse;
            o.param = lambda_bar;
            memcpy(S->fit, S->scratch, S->L->n * sizeof *S->fit);
        }
        free(coef);
        free(ustar);
    }
    return o;
}

/* ======================================================================================================
 * 8. Experiment F1: the phase transition on the spike family.
 *
 * A spike theta0 = h e_i at a node at least k+1 cells from every face has ||Delta theta0||_1 = d 2^(k+1) h
 * (every axis sees one full row of binomial taps, summing in absolute value to 2^(k+1)); at the canonical
 * radius C_n = c0 n^(1 - (k+1)/d) of the KTV class we put h = C_n / (d 2^(k+1)). For any linear S,
 *     E||S y - h e_i||^2 >= h^2 (1 - S_ii)^2 + sigma^2 sum_{j in I} S_jj^2,
 * and averaging over the n_I interior positions and minimizing over each S_jj gives the exact lower bound
 *     LB = (n_I / n) sigma^2 h^2 / (h^2 + n_I sigma^2)         on the (worst-case) risk of every linear smoother.
 * Since h^2/n ~ n^(1 - 2(k+1)/d), LB -> 0 for d < 2(k+1), to a constant at d = 2(k+1), and to sigma^2 above.
 * The Laplacian smoother's risk averaged over interior spike positions is exact in the eigenbasis:
 *     R(lambda) = (1/n) [ (h^2/n_I) sum_j (1 - s_j)^2 Q_j + sigma^2 sum_j s_j^2 ],  Q_j = prod_a q(j_a),
 * with q(j) = sum_{i interior} U_ij^2 (the sum over interior nodes factorizes over the axes).
 * ====================================================================================================== */

typedef struct {
    int k, d;
} panel;

/* The six panels of F1: two below the transition (d < 2(k+1)), two at it and two above (k = 0: d = 2
 * is the transition, d = 3 above; k = 1: d = 4 is the transition). (1,3) is below: both risks fall. */
static const panel phase_panels[] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {1, 4}};
enum { N_PANELS = 6 };

/* h = C_n / (d 2^(k+1)) with C_n = c0 n^(1-(k+1)/d): for (k,d) = (0,1) h = c0/2 = 2 (a fixed spike), for
 * (0,2) h = sqrt(n) (growing with n, the canonical KTV radius), for (1,2) h = c0/8 = 0.5. */
static double spike_height(int k, int d, double n)
{
    return c0 * pow(n, 1 - (k + 1.0) / d) / (d * pow(2, k + 1));
}

/* The exact spike-family quantities at one size: LB, and the oracle Laplacian-smoothing risk. */
/* Shapes: q has N entries (one axis), Q has n (the product over axes). The risk formula is an exact
 * expectation over the noise and an exact average over all interior spike positions: no Monte Carlo. */
static void spike_linear(int k, int d, size_t N, double sigma, double *lb, double *ls_risk, double *ls_lambda_best)
{
    lattice L = lattice_make(d, N, k);
    kron_eigen E = kron_eigen_make(&L);
    double n = (double)L.n, h = spike_height(k, d, n);
    size_t inner_side = N - 2 * (size_t)(k + 1);
    double n_int = pow((double)inner_side, d);
    *lb = (n_int / n) * sigma * sigma * h * h / (h * h + n_int * sigma * sigma);
    double *q = vec_new(N), *Q = vec_new(L.n);
    for (size_t j = 0; j < N; j++)
        for (size_t i = (size_t)k + 1; i + (size_t)k + 1 < N; i++)
            q[j] += E.U[i * N + j] * E.U[i * N + j];
    for (size_t p = 0; p < L.n; p++) {
        Q[p] = 1;
        for (int a = 0; a < d; a++)
            Q[p] *= q[(p / L.stride[a]) % N];
    }
    /* Oracle over the same lambda grid as oracle_linear (including lambda = 0 and lambda = infinity: below
     * the transition the spike is cheaper to ignore than to chase, and the oracle sits at infinity). */
    *ls_risk = INFINITY;
    *ls_lambda_best = 0;
    for (int g = 0; g < N_LS_GRID; g++) {
        double lam = ls_lambda(g), bias = 0, var = 0;
        for (size_t p = 0; p < L.n; p++) {
            double s = ls_weight(lam, E.musum[p]);
            bias += (1 - s) * (1 - s) * Q[p];
            var += s * s;
        }
        double risk = (h * h / n_int * bias + sigma * sigma * var) / n;
        if (risk < *ls_risk) {
            *ls_risk = risk;
            *ls_lambda_best = lam;
        }
    }
    free(q);
    free(Q);
    kron_eigen_free(&E);
    lattice_free(&L);
}

/* Oracle KTF on `count` random interior spikes (stream per panel and size): mean and standard error of the
 * MSE, the median oracle lambda and the worst relative gap. */
typedef struct {
    double mse, se, lambda, gap;
} spike_ktf_result;

/* Each position: y = h e_p + sigma eps, KTF oracle-tuned; the MSE is the realized ||theta_hat - theta0||^2/n.
 * Its mean over positions estimates the average risk over the spike family (the linear curves are exact). */
static spike_ktf_result spike_ktf(int k, int d, size_t N, double sigma, long count, uint64_t seed)
{
    lattice L = lattice_make(d, N, k);
    pdip_work W = pdip_alloc(&L);
    double *y = vec_new(L.n), *truth = vec_new(L.n), *fit = vec_new(L.n), *scratch = vec_new(L.n);
    double h = spike_height(k, d, (double)L.n), sum = 0, sum2 = 0, loglam = 0;
    gsl_rng *r = rng_stream(seed, STREAM_SPIKE + 1000000u * (uint64_t)k + 100000u * (uint64_t)d + N);
    kron_eigen E = kron_eigen_make(&L);
    ktf_search S = {&L, y, truth, fit, scratch, &W, 0, 0, &E};
    double center = log10(sigma);
    for (long c = 0; c < count; c++) {
        size_t p = 0;
        for (int a = 0; a < d; a++) /* a uniform interior node */
            p += ((size_t)k + 1 + gsl_rng_uniform_int(r, N - 2 * (size_t)(k + 1))) * L.stride[a];
        memset(truth, 0, L.n * sizeof *truth);
        truth[p] = h;
        for (size_t i = 0; i < L.n; i++)
            y[i] = truth[i] + sigma * gsl_ran_gaussian_ziggurat(r, 1);
        /* The first position searches 4 decades around sigma; later ones refine around its winner. */
        oracle o = c == 0 ? oracle_ktf(&S, center, 2, 5, 6) : oracle_ktf(&S, center, 0.5, 0, 5);
        center = log10(o.param);
        sum += o.mse;
        sum2 += o.mse * o.mse;
        loglam += log10(o.param);
    }
    spike_ktf_result res = {sum / (double)count, 0, pow(10, loglam / (double)count), S.worst_gap};
    kron_eigen_free(&E);
    if (count > 1)
        res.se = sqrt(fmax(sum2 / (double)count - res.mse * res.mse, 0) / (double)(count - 1));
    gsl_rng_free(r);
    free(y);
    free(truth);
    free(fit);
    free(scratch);
    pdip_free(&W);
    lattice_free(&L);
    return res;
}

/* The sizes of each panel: the linear curves (exact, cheap) go further than KTF (a Monte Carlo of solves
 * whose banded Newton step costs O(N^(3d-2))). Lists end with 0. */
/* Cost guide (one core, quiet machine): a KTF solve at d = 2, N = 48 takes ~0.03 s (k = 0) and ~0.1 s
 * (k = 1); at d = 3, N = 12 ~0.1 s (k = 0); at d = 4, N = 6 (k = 1) ~1 s, hence KTF there only at full.
 * An oracle search is ~13 solves for the first spike and ~8 for each further one. */
static const size_t *phase_sizes(int k, int d, int ktf, suite_scale scale)
{
    static const size_t ls01[] = {128, 256, 512, 1024, 2048, 4096, 0}, kt01[] = {128, 256, 512, 1024, 2048, 0};
    static const size_t ls02[] = {16, 24, 32, 48, 64, 96, 128, 0}, kt02[] = {16, 24, 32, 48, 0},
                        kt02f[] = {16, 24, 32, 48, 64, 0};
    static const size_t ls03[] = {6, 8, 10, 12, 16, 20, 24, 0}, kt03[] = {6, 8, 10, 12, 0}, kt03f[] = {6, 8, 10, 12, 14, 0};
    static const size_t ls12[] = {16, 24, 32, 48, 64, 96, 128, 0}, kt12[] = {16, 24, 32, 0}, kt12f[] = {16, 24, 32, 48, 0};
    static const size_t ls13[] = {6, 8, 10, 12, 16, 20, 24, 0}, kt13[] = {6, 8, 0}, kt13f[] = {6, 8, 10, 0};
    static const size_t ls14[] = {5, 6, 7, 8, 10, 12, 0}, kt14[] = {0}, kt14f[] = {5, 6, 0};
    static const size_t q01[] = {128, 256, 512, 0}, q02[] = {16, 24, 0}, q03[] = {6, 8, 0}, q1[] = {6, 0};
    int full = scale == SCALE_FULL, quick = scale == SCALE_QUICK;
    if (d == 1) return ktf ? (quick ? q01 : kt01) : ls01;
    if (k == 0 && d == 2) return ktf ? (quick ? q02 : full ? kt02f : kt02) : ls02;
    if (k == 0 && d == 3) return ktf ? (quick ? q03 : full ? kt03f : kt03) : ls03;
    if (k == 1 && d == 2) return ktf ? (quick ? q02 : full ? kt12f : kt12) : ls12;
    if (k == 1 && d == 3) return ktf ? (quick ? q1 : full ? kt13f : kt13) : ls13;
    return ktf ? (quick ? kt14 : full ? kt14f : kt14) : ls14;
}

/* F1 writes two files: phase_ls.tsv (exact, every size of phase_sizes(.., 0, ..)) and phase_ktf.tsv (Monte
 * Carlo, the smaller KTF sizes). Both carry k and d in their first columns; the figure filters on them. */
static int experiment_phase(const suite_run *run)
{
    tsv *tl = tsv_create(run, "phase_ls.tsv",
                         "spike family: exact linear-smoother lower bound LB and exact oracle Laplacian-smoothing risk; "
                         "one block per panel (k,d) = (0,1),(0,2),(0,3),(1,2),(1,3),(1,4)",
                         "k d N n h LB mse_ls lambda_ls(-1=infinity)");
    tsv *tk = tsv_create(run, "phase_ktf.tsv",
                         "spike family: oracle KTF MSE, mean and s.e. over random interior spike positions; one block "
                         "per panel as in phase_ls.tsv",
                         "k d N n h mse_ktf se_ktf lambda_ktf worst_rel_gap");
    tsv_printf(tl, "# sigma = %g, c0 = %g, C_n = c0 n^(1-(k+1)/d), h = C_n / (d 2^(k+1))\n", sigma_spike, c0);
    tsv_printf(tk, "# sigma = %g, c0 = %g, %ld spike positions per size\n", sigma_spike, c0, spikes);
    progress pr;
    progress_start(&pr, "F1 phase transition", N_PANELS, run->quiet);
    for (int pi = 0; pi < N_PANELS; pi++) {
        int k = phase_panels[pi].k, d = phase_panels[pi].d;
        for (const size_t *N = phase_sizes(k, d, 0, run->scale); *N; N++) {
            double lb, ls, lam = 0;
            spike_linear(k, d, *N, sigma_spike, &lb, &ls, &lam);
            double n = pow((double)*N, d);
            double row[] = {k, d, (double)*N, n, spike_height(k, d, n), lb, ls, isinf(lam) ? -1 : lam};
            tsv_row(tl, 8, row);
        }
        for (const size_t *N = phase_sizes(k, d, 1, run->scale); *N; N++) {
            spike_ktf_result res = spike_ktf(k, d, *N, sigma_spike, spikes, run->seed);
            double n = pow((double)*N, d);
            double row[] = {k, d, (double)*N, n, spike_height(k, d, n), res.mse, res.se, res.lambda, res.gap};
            tsv_row(tk, 9, row);
        }
        tsv_block(tl);
        tsv_block(tk);
        progress_update(&pr, pi + 1);
    }
    progress_end(&pr);
    tsv_commit(tl);
    tsv_commit(tk);
    return 0;
}

/* ======================================================================================================
 * 9. Experiments F2 and F3: heterogeneous smoothness in d = 2.
 *
 * On x in {1/N, ..., 1}^2 (x1 along axis 0):
 *   signal A (k = 0): a disc of height 1 (radius 0.18 at (0.3, 0.65)) + a Gaussian bump 0.8 exp(-|x - (0.7,
 *                     0.35)|^2 / (2 0.15^2)) + the ramp 0.5 x1: flat regions, a jump and a smooth hill;
 *   signal B (k = 1): the disc replaced by a pyramid 0.8 max(0, 1 - |x - (0.3, 0.65)|_inf / 0.18): kinks
 *                     instead of a jump (a jump lies outside the canonical k = 1 class);
 *   signal C:         the bump and the ramp alone, a smooth (Hoelder) signal: the control of claim C4.
 * Each method is compared with the linear smoothers of the same order (S = (I + lambda Delta^T Delta)^{-1}
 * with the same Delta as KTF, and its eigenmaps), every one oracle-tuned on the same noise draw.
 * ====================================================================================================== */

enum { SIGNAL_A = 0, SIGNAL_B = 1, SIGNAL_C = 2 };

/* Why these signals: the disc has ||Delta theta||_1 ~ its perimeter times the jump ~ N (the canonical
 * k = 0 scaling n^(1/2) in d = 2), but its jump puts it outside every Hoelder ball: linear smoothers must
 * either blur the edge or keep the noise everywhere. The bump and the ramp are smooth and easy for both. */
static void make_signal(int which, size_t N, double *f)
{
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            double x1 = (double)(i + 1) / (double)N, x2 = (double)(j + 1) / (double)N;
            double dx = x1 - 0.3, dy = x2 - 0.65, ex = x1 - 0.7, ey = x2 - 0.35;
            double v = 0.8 * exp(-(ex * ex + ey * ey) / (2 * 0.15 * 0.15)) + 0.5 * x1;
            if (which == SIGNAL_A && dx * dx + dy * dy <= 0.18 * 0.18)
                v += 1;
            if (which == SIGNAL_B)
                v += 0.8 * fmax(0, 1 - fmax(fabs(dx), fabs(dy)) / 0.18);
            f[i * N + j] = v;
        }
}

/* The result of F2 at one size: oracle MSEs averaged over the noise draws, their standard errors, and for
 * KTF the geometric mean of the oracle lambdas and the worst relative duality gap of all its solves. */
typedef struct {
    double ktf, ls, le;          /* mean oracle MSE over the repetitions         */
    double ktf_se, ls_se, le_se; /* their standard errors                        */
    double lambda, gap;          /* mean log-oracle lambda of KTF, worst rel gap */
} het_result;

/* Shapes: truth, y, fit n = N^2 in row-major order (x1 = row, x2 = column). Every repetition draws a new
 * noise vector from its own stream; KTF's search is re-centred on the previous repetition's oracle. */
static het_result het_compare(int which, int k, size_t N, long nrep, double sigma, uint64_t seed)
{
    lattice L = lattice_make(2, N, k);
    kron_eigen E = kron_eigen_make(&L);
    pdip_work W = pdip_alloc(&L);
    size_t n = L.n;
    double *truth = vec_new(n), *y = vec_new(n), *fit = vec_new(n), *scratch = vec_new(n);
    double *yc = vec_new(n), *tc = vec_new(n);
    make_signal(which, N, truth);
    kron_transform(&E, truth, tc, 1);
    ktf_search S = {&L, y, truth, fit, scratch, &W, 0, 0, &E};
    double s[3] = {0}, s2[3] = {0}, loglam = 0, center = log10(sigma) - 0.5;
    for (long rep = 0; rep < nrep; rep++) {
        gsl_rng *r = rng_stream(seed, STREAM_RATES + 1000000u * (uint64_t)which + 100u * N + (uint64_t)rep);
        for (size_t i = 0; i < n; i++)
            y[i] = truth[i] + sigma * gsl_ran_gaussian_ziggurat(r, 1);
        gsl_rng_free(r);
        /* The first repetition searches 3 decades (4 coarse points, 5 golden steps); later ones search
         * +-0.4 decades around the previous winner: the oracle lambda moves little between noise draws. */
        oracle o = rep == 0 ? oracle_ktf(&S, center, 1.5, 4, 5) : oracle_ktf(&S, center, 0.4, 0, 4);
        center = log10(o.param);
        oracle ls, le;
        kron_transform(&E, y, yc, 1);
        oracle_linear(&E, yc, tc, &ls, &le, NULL);
        double m[3] = {o.mse, ls.mse, le.mse};
        for (int i = 0; i < 3; i++) {
            s[i] += m[i];
            s2[i] += m[i] * m[i];
        }
        loglam += log10(o.param);
    }
    double se[3] = {0};
    for (int i = 0; i < 3; i++) {
        s[i] /= (double)nrep;
        if (nrep > 1)
            se[i] = sqrt(fmax(s2[i] / (double)nrep - s[i] * s[i], 0) / (double)(nrep - 1));
    }
    het_result res = {s[0], s[1], s[2], se[0], se[1], se[2], pow(10, loglam / (double)nrep), S.worst_gap};
    double *all[] = {truth, y, fit, scratch, yc, tc};
    for (size_t i = 0; i < 6; i++)
        free(all[i]);
    pdip_free(&W);
    kron_eigen_free(&E);
    lattice_free(&L);
    return res;
}

/* F2: sizes 16, 24, 32, 48, 64, 96, 128 up to --max-n; the k = 1 block stops at 48 (--scale full: 64),
 * because its banded Newton step costs 4x the k = 0 one. */
/* The figure compares slopes: for signal A the theory gives n^(-1/2) for KTF (k = 0, d = 2, up to logs)
 * against a slower rate for any linear smoother; for signal B at these sizes the advantage is small. */
static int experiment_rates(const suite_run *run)
{
    static const size_t sizes[] = {16, 24, 32, 48, 64, 96, 128, 192, 256, 0};
    tsv *t = tsv_create(run, "rates.tsv",
                        "heterogeneous smoothness, d = 2: oracle MSE (mean and s.e. over noise draws) of KTF, Laplacian "
                        "smoothing (ls) and Laplacian eigenmaps (le) of the same order; block 0: signal A, k = 0; "
                        "block 1: signal B, k = 1",
                        "N n mse_ktf se_ktf mse_ls se_ls mse_le se_le lambda_ktf worst_rel_gap");
    tsv_printf(t, "# sigma = %g, %ld noise draws per size\n", sigma_het, reps);
    progress pr;
    progress_start(&pr, "F2 heterogeneous smoothness", 2, run->quiet);
    for (int k = 0; k <= 1; k++) {
        size_t cap = (size_t)max_n_rates, k1cap = run->scale == SCALE_FULL ? 64 : 48;
        if (k == 1 && cap > k1cap)
            cap = k1cap;
        for (const size_t *N = sizes; *N && *N <= cap; N++) {
            het_result r = het_compare(k == 0 ? SIGNAL_A : SIGNAL_B, k, *N, reps, sigma_het, run->seed);
            double row[] = {(double)*N, (double)(*N * *N), r.ktf, r.ktf_se, r.ls, r.ls_se, r.le, r.le_se, r.lambda, r.gap};
            tsv_row(t, 10, row);
        }
        tsv_block(t);
        progress_update(&pr, k + 1);
    }
    progress_end(&pr);
    tsv_commit(t);
    return 0;
}

/* F3: one noisy image of signal A and four estimates, every one at its oracle parameter. */
/* Laplacian smoothing here is first order (the graph Laplacian of the grid), the standard linear
 * competitor; its oracle lambda is found on the exact eigenbasis grid, KTF's by golden-section search. */
static int experiment_image(const suite_run *run)
{
    size_t N = (size_t)image_n, n = N * N;
    double *truth = vec_new(n), *y = vec_new(n), *fit0 = vec_new(n), *fit1 = vec_new(n), *ls = vec_new(n);
    double *scratch = vec_new(n), *yc = vec_new(n), *tc = vec_new(n);
    make_signal(SIGNAL_A, N, truth);
    gsl_rng *r = rng_stream(run->seed, STREAM_IMAGE);
    for (size_t i = 0; i < n; i++)
        y[i] = truth[i] + sigma_het * gsl_ran_gaussian_ziggurat(r, 1);
    gsl_rng_free(r);
    double mse[3], lam[3];
    for (int k = 0; k <= 1; k++) {
        lattice L = lattice_make(2, N, k);
        pdip_work W = pdip_alloc(&L);
        ktf_search S = {&L, y, truth, k == 0 ? fit0 : fit1, scratch, &W, 0, 0, NULL};
        oracle o = oracle_ktf(&S, log10(sigma_het) - 0.5, 1.2, 3, 4);
        mse[k] = o.mse;
        lam[k] = o.param;
        if (k == 0) { /* Laplacian smoothing (first order, the usual graph Laplacian of the grid) */
            kron_eigen E = kron_eigen_make(&L);
            oracle ol, oe;
            kron_transform(&E, y, yc, 1);
            kron_transform(&E, truth, tc, 1);
            oracle_linear(&E, yc, tc, &ol, &oe, ls);
            mse[2] = ol.mse;
            lam[2] = ol.param;
            kron_eigen_free(&E);
        }
        pdip_free(&W);
        lattice_free(&L);
    }
    tsv *t = tsv_create(run, "image.tsv",
                        "2-D example (signal A): truth, noisy data, oracle KTF k = 0, oracle KTF k = 1, oracle Laplacian "
                        "smoothing; a blank line after each row of the image",
                        "x1 x2 truth noisy ktf0 ktf1 ls");
    tsv_printf(t, "# N = %zu, sigma = %g; MSE ktf0 %.5g (lambda %.4g), ktf1 %.5g (lambda %.4g), ls %.5g (lambda %.4g)\n",
               N, sigma_het, mse[0], lam[0], mse[1], lam[1], mse[2], lam[2]);
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) {
            size_t p = i * N + j;
            double row[] = {(double)(i + 1) / (double)N, (double)(j + 1) / (double)N, truth[p], y[p], fit0[p], fit1[p], ls[p]};
            tsv_row(t, 7, row);
        }
        tsv_printf(t, "\n");
    }
    tsv_commit(t);
    double *all[] = {truth, y, fit0, fit1, ls, scratch, yc, tc};
    for (size_t i = 0; i < 8; i++)
        free(all[i]);
    return 0;
}

/* ======================================================================================================
 * 10. Experiment F4: the certificate against iteration, interior point against the first-order check.
 * ====================================================================================================== */

enum { GAP_FISTA_ITERS = 20000, GAP_FISTA_EVERY = 20 };

/* What to look for: the interior-point gap falls superlinearly, by orders of magnitude per Newton step near
 * the end (Mehrotra's method), to ~1e-13 in about 25 steps; the dual FISTA gap falls like a power of the
 * iteration count, with restart bumps, and is still near 1e-6 after 20,000 steps. */
static int experiment_gap(const suite_run *run)
{
    size_t N = run->scale == SCALE_QUICK ? 16 : 64;
    lattice L = lattice_make(2, N, 1);
    pdip_work W = pdip_alloc(&L);
    double *truth = vec_new(L.n), *y = vec_new(L.n), *theta = vec_new(L.n), *theta2 = vec_new(L.n);
    double *tr = vec_new(101), *tf = vec_new(GAP_FISTA_ITERS / GAP_FISTA_EVERY + 1);
    make_signal(SIGNAL_B, N, truth);
    gsl_rng *r = rng_stream(run->seed, STREAM_GAP);
    for (size_t i = 0; i < L.n; i++)
        y[i] = truth[i] + sigma_het * gsl_ran_gaussian_ziggurat(r, 1);
    gsl_rng_free(r);
    /* lambda = 1 sits near the oracle for signal B at sigma = 0.5 (F2's k = 1 block finds 0.4-0.8), where
     * the solution has many knots and the problem is hardest for first-order methods. Both methods are
     * asked for 1e-13 so that each runs until it stalls. */
    const double lambda = 1;
    ktf_info a = ktf_pdip(&L, y, lambda, 1e-13, 100, theta, NULL, tr, &W);
    ktf_info b = ktf_fista(&L, y, lambda, 1e-13, GAP_FISTA_ITERS, theta2, tf, GAP_FISTA_EVERY);
    tsv *t = tsv_create(run, "gap.tsv",
                        "relative duality gap (P - D)/P against iteration for KTF k = 1, d = 2, signal B; block 0: the "
                        "interior-point solver, block 1: dual FISTA (the independent check)",
                        "iteration rel_gap");
    tsv_printf(t, "# N = %zu, lambda = %g, sigma = %g; final RMS distance between the two solutions %.3g\n", N, lambda,
               sigma_het, vec_dist(theta, theta2, L.n) / sqrt((double)L.n));
    for (long i = 0; i <= a.iterations; i++) {
        double row[] = {(double)i, fmax(tr[i], 1e-300)};
        tsv_row(t, 2, row);
    }
    tsv_block(t);
    for (long i = 0; i * GAP_FISTA_EVERY <= b.iterations; i++) {
        double row[] = {(double)(i * GAP_FISTA_EVERY), fmax(tf[i], 1e-300)};
        tsv_row(t, 2, row);
    }
    tsv_commit(t);
    double *all[] = {truth, y, theta, theta2, tr, tf};
    for (size_t i = 0; i < 6; i++)
        free(all[i]);
    pdip_free(&W);
    lattice_free(&L);
    return 0;
}

/* ======================================================================================================
 * 11. --benchmark: solve times (stdout only: times never enter a data file).
 *
 * The d = 1 problem is the one glmgen's timings refer to: k = 1, a piecewise-linear signal (a tent) with
 * noise sd 0.1, lambda = 0.01 n, here solved to a certified relative duality gap of 1e-10 (or the best the
 * interior-point method reaches before its Newton matrix becomes numerically singular).
 * ====================================================================================================== */

/* Timings are wall-clock and machine-dependent; the README records the numbers measured here. A d = 2
 * solve's Newton step is O(N^4) (banded Cholesky of bandwidth (k+1) N): fine to N = 128, slow at 256. */
static void benchmark_run(uint64_t seed)
{
    printf("# d = 1, k = 1, tent + N(0, 0.1^2), lambda = 0.01 n, target relative gap 1e-10\n");
    printf("%10s %6s %12s %10s\n", "n", "iters", "rel_gap", "seconds");
    /* n = 1e3, 1e4, ... up to --bench-max; each solve starts from scratch (no warm start, no lambda path). */
    for (size_t n = 1000; n <= (size_t)bench_max; n *= 10) {
        lattice L = lattice_make(1, n, 1);
        pdip_work W = pdip_alloc(&L);
        double *y = vec_new(n), *theta = vec_new(n);
        gsl_rng *r = rng_stream(seed, STREAM_BENCH);
        for (size_t i = 0; i < n; i++) {
            double x = (double)i / (double)n;
            y[i] = (x < 0.5 ? x : 1 - x) + 0.1 * gsl_ran_gaussian_ziggurat(r, 1);
        }
        gsl_rng_free(r);
        double t0 = suite_seconds();
        ktf_info info = ktf_pdip(&L, y, 0.01 * (double)n, 1e-10, 100, theta, NULL, NULL, &W);
        printf("%10zu %6ld %12.3g %10.3f\n", n, info.iterations, info.gap / info.primal, suite_seconds() - t0);
        fflush(stdout);
        free(y);
        free(theta);
        pdip_free(&W);
        lattice_free(&L);
    }
    printf("# d = 2, signal A + N(0, 0.5^2), lambda = 0.3 (k = 0) and 1 (k = 1), target relative gap 1e-8\n");
    printf("%6s %3s %6s %12s %10s\n", "N", "k", "iters", "rel_gap", "seconds");
    for (size_t N = 64; N <= 256; N *= 2)
        for (int k = 0; k <= 1; k++) {
            if (k == 1 && N > 128)
                continue; /* (k+1) N^4 flops per Newton step: minutes */
            lattice L = lattice_make(2, N, k);
            pdip_work W = pdip_alloc(&L);
            double *y = vec_new(L.n), *theta = vec_new(L.n);
            make_signal(SIGNAL_A, N, y);
            gsl_rng *r = rng_stream(seed, STREAM_BENCH_2D);
            for (size_t i = 0; i < L.n; i++)
                y[i] += 0.5 * gsl_ran_gaussian_ziggurat(r, 1);
            gsl_rng_free(r);
            double t0 = suite_seconds();
            ktf_info info = ktf_pdip(&L, y, k == 0 ? 0.3 : 1, 1e-8, 100, theta, NULL, NULL, &W);
            printf("%6zu %3d %6ld %12.3g %10.3f\n", N, k, info.iterations, info.gap / info.primal, suite_seconds() - t0);
            fflush(stdout);
            free(y);
            free(theta);
            pdip_free(&W);
            lattice_free(&L);
        }
}

/* ======================================================================================================
 * 12. The claims.
 * ====================================================================================================== */

/* Least-squares slope of log(v) against log(n). */
/* The claims below use reduced sizes (each a few seconds) and compare the effect against its absence. */
static double loglog_slope(const double *n, const double *v, int count)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < count; i++) {
        double x = log(n[i]), yv = log(v[i]);
        sx += x; sy += yv; sxx += x * x; sxy += x * yv;
    }
    return (count * sxy - sx * sy) / (count * sxx - sx * sx);
}

/* C1: the solver is exact. On a 24 x 24 lattice with y ~ N(0, 1): for k = 0, 1, 2 and lambda in {0.1, 1, 10}
 * (k = 2: {0.1, 1}) the interior-point solution has a relative gap <= 1e-10, satisfies the KKT sign
 * condition u_i = lambda sign((Delta theta)_i) on its active rows, and agrees with the dual FISTA solution;
 * at lambda = 2 lambda_bar it equals the closed-form null-space projection. Control: the same checks on the
 * interior-point iterate stopped after 3 Newton steps (exactness removed), which must fail the gap check. */
static void claim_exact_solver(claim_ctx *c)
{
    /* 24 x 24 keeps the first-order check affordable (FISTA needs 1e4-1e5 iterations for 1e-10 here) while
     * leaving every k enough room for interior rows in both axes (N - k - 1 >= 21 rows per line). */
    const size_t N = 24;
    double worst_gap = 0, worst_kkt = 0, worst_rms = 0, worst_ratio = 0, worst_proj = 0;
    long max_iter = c->control ? 3 : 100;
    for (int k = 0; k <= 2; k++) {
        lattice L = lattice_make(2, N, k);
        kron_eigen E = kron_eigen_make(&L);
        pdip_work W = pdip_alloc(&L);
        size_t n = L.n, mm = 2 * n;
        double *y = vec_new(n), *th = vec_new(n), *thf = vec_new(n), *u = vec_new(mm), *z = vec_new(mm);
        double *proj = vec_new(n), *coef = vec_new(n);
        gsl_rng *r = rng_stream(c->seed, STREAM_CHECK + (uint64_t)k);
        for (size_t i = 0; i < n; i++)
            y[i] = gsl_ran_gaussian_ziggurat(r, 1);
        gsl_rng_free(r);
        double lambda_bar = null_projection(&E, y, proj, z, coef);
        double lams[] = {0.1, 1, 10, 2 * lambda_bar};
        for (int li = 0; li < 4; li++) {
            if (k == 2 && li == 2)
                continue; /* (k = 2, lambda = 10): no first-order method certifies it in reasonable time */
            double lam = lams[li];
            ktf_info a = ktf_pdip(&L, y, lam, 1e-14, max_iter, th, u, NULL, &W);
            worst_gap = fmax(worst_gap, a.gap / a.primal);
            /* KKT: on rows with (Delta theta_hat)_i != 0, u_i = lambda sign((Delta theta_hat)_i). We know theta
             * only to ||theta - theta_hat|| <= sqrt(2 gap), hence Delta theta to ||Delta|| sqrt(2 gap) per row:
             * rows with |z_i| above ten times that are certainly active (and of known sign); the others are
             * undecided at this accuracy and left out (as are rows at round-off level, 1e-8, when gap ~ 0). */
            apply_delta(&L, th, z);
            double active = fmax(10 * sqrt(2.0 * pow(4, k + 1)) * sqrt(2 * a.gap), 1e-8);
            for (size_t q = 0; q < mm; q++)
                if (L.valid[q] && fabs(z[q]) > active)
                    worst_kkt = fmax(worst_kkt, fabs(u[q] - (z[q] > 0 ? lam : -lam)) / lam);
            if (li == 3) {
                worst_proj = fmax(worst_proj, vec_dist(th, proj, n) / sqrt((double)n));
                for (size_t i = 0; i < n; i++)
                    worst_proj = fmax(worst_proj, fabs(th[i] - proj[i]));
            } else {
                /* Both points carry certificates: ||theta - theta_hat|| <= sqrt(2 gap) for each, so their
                 * distance can exceed sqrt(2 gap_ip) + sqrt(2 gap_fista) only if a certificate is wrong. */
                ktf_info f = ktf_fista(&L, y, lam, 1e-13, 200000, thf, NULL, 50);
                double dist = vec_dist(th, thf, n);
                worst_rms = fmax(worst_rms, dist / sqrt((double)n));
                worst_ratio = fmax(worst_ratio, dist / (sqrt(2 * a.gap) + sqrt(2 * f.gap) + 1e-300));
            }
        }
        double *all[] = {y, th, thf, u, z, proj, coef};
        for (size_t i = 0; i < 7; i++)
            free(all[i]);
        pdip_free(&W);
        kron_eigen_free(&E);
        lattice_free(&L);
    }
    /* The closed-form k = 0 eigenbasis (DCT-II) against the dense eigensolver: same eigenvalues. */
    lattice L0 = lattice_make(1, N, 0);
    kron_eigen E0 = kron_eigen_make(&L0);
    double *U = vec_new(N * N), *mu = vec_new(N), worst_mu = 0;
    dense_eigenbasis(&L0, U, mu);
    for (size_t j = 0; j < N; j++)
        worst_mu = fmax(worst_mu, fabs(mu[j] - E0.mu[j]));
    free(U);
    free(mu);
    kron_eigen_free(&E0);
    lattice_free(&L0);
    claim_check(c, "k = 0: max |eigenvalue (DCT closed form) - eigenvalue (dense eigensolver)|", worst_mu, CLAIM_LE, 1e-12);
    claim_check(c, "worst relative duality gap (P - D)/P over 11 solves", worst_gap, CLAIM_LE, 1e-10);
    claim_check(c, "worst KKT violation |u_i - lambda sign(Delta theta)_i| / lambda on certainly active rows", worst_kkt,
                CLAIM_LE, 1e-5);
    claim_check(c, "worst RMS distance to the dual-FISTA solution", worst_rms, CLAIM_LE, 1e-4);
    claim_check(c, "worst distance to dual FISTA / (sqrt(2 gap_ip) + sqrt(2 gap_fista))", worst_ratio, CLAIM_LE, 1);
    claim_check(c, "lambda = 2 lambda_bar: max |theta - P_null y|", worst_proj, CLAIM_LE, 1e-8);
}

/* C2: the null space of Delta is the tensor polynomials of degree <= k per axis: with k = 1 the bilinear
 * surface 1 + 2 x1 - x2 + 3 x1 x2 passes through KTF unchanged at any lambda (here 10), while x1^2 (degree 2)
 * is smoothed. Control: k = 0, whose null space holds only constants. */
/* Why this is a real check: with lambda = 10 and the bilinear y, KTF returns y only if Delta y = 0 holds for
 * our operator, i.e. if the Kronecker blocks take differences along single axes; a Laplacian-power penalty
 * (graph trend filtering) or a wrong stride would penalize the x1 x2 term and move theta away from y. */
static void claim_polynomials(claim_ctx *c)
{
    const size_t N = 24;
    int k = c->control ? 0 : 1;
    lattice L = lattice_make(2, N, k);
    pdip_work W = pdip_alloc(&L);
    double *y = vec_new(L.n), *th = vec_new(L.n), err[2];
    for (int which = 0; which < 2; which++) {
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++) {
                double x1 = (double)(i + 1) / (double)N, x2 = (double)(j + 1) / (double)N;
                y[i * N + j] = which == 0 ? 1 + 2 * x1 - x2 + 3 * x1 * x2 : x1 * x1;
            }
        ktf_pdip(&L, y, 10, 1e-12, 100, th, NULL, NULL, &W);
        err[which] = 0;
        for (size_t i = 0; i < L.n; i++)
            err[which] = fmax(err[which], fabs(th[i] - y[i]));
    }
    claim_check(c, "bilinear surface: max |theta_hat - theta0|", err[0], CLAIM_LE, 1e-8);
    claim_check(c, "x1^2: max |theta_hat - theta0|", err[1], CLAIM_GE, 1e-3);
    free(y);
    free(th);
    pdip_free(&W);
    lattice_free(&L);
}

/* C3: the phase transition at d = 2(k+1) on the spike family (c0 = 4, sigma = 1). At and above it, (0,2)
 * and (0,3): the exact oracle-LS risk is flat in n (log-log slope >= -0.1) and above LB at every size, while
 * oracle KTF falls (slope <= -0.5, 2 spikes per size) and ends far below LS (ratio <= 0.3). Below it, (0,1)
 * and (1,2): the LS risk falls (slope <= -0.5). Control: the flatness checks applied to the panels below the
 * transition, (0,1) and (1,2), where linear smoothers are consistent: they must fail. */
/* Thresholds: over seeds 1-15, KTF slopes -0.63 to -1.28 (4 spikes per size); the LS slopes are exact
 * numbers (-0.013 for (0,2), +0.042 for (0,3), -1.00 below the transition), the same for every seed. */
static void claim_phase_transition(claim_ctx *c)
{
    static const size_t n02[] = {16, 32, 48}, n03[] = {6, 9, 12}, n01[] = {256, 512, 1024}, n12[] = {16, 32, 48};
    const panel above[2] = {{0, 2}, {0, 3}}, below[2] = {{0, 1}, {1, 2}};
    const size_t *sz_above[2] = {n02, n03}, *sz_below[2] = {n01, n12};
    const panel *flat = c->control ? below : above, *fall = c->control ? above : below;
    const size_t **sz_flat = c->control ? sz_below : sz_above, **sz_fall = c->control ? sz_above : sz_below;
    char label[160];
    for (int pi = 0; pi < 2; pi++) {
        int k = flat[pi].k, d = flat[pi].d;
        double n[3], ls[3], lb[3], ktf[3], lam = 0, margin = INFINITY;
        for (int i = 0; i < 3; i++) {
            n[i] = pow((double)sz_flat[pi][i], d);
            spike_linear(k, d, sz_flat[pi][i], 1, &lb[i], &ls[i], &lam);
            margin = fmin(margin, ls[i] - lb[i]);
            ktf[i] = spike_ktf(k, d, sz_flat[pi][i], 1, 4, c->seed).mse;
        }
        snprintf(label, sizeof label, "(k,d)=(%d,%d): log-log slope of the oracle-LS risk", k, d);
        claim_check(c, label, loglog_slope(n, ls, 3), CLAIM_GE, -0.1);
        snprintf(label, sizeof label, "(k,d)=(%d,%d): min over n of (LS risk - LB)", k, d);
        claim_check(c, label, margin, CLAIM_GE, 0);
        snprintf(label, sizeof label, "(k,d)=(%d,%d): log-log slope of the oracle-KTF MSE", k, d);
        claim_check(c, label, loglog_slope(n, ktf, 3), CLAIM_LE, -0.5);
        snprintf(label, sizeof label, "(k,d)=(%d,%d): MSE_KTF / MSE_LS at the largest n", k, d);
        claim_check(c, label, ktf[2] / ls[2], CLAIM_LE, 0.3);
    }
    for (int pi = 0; pi < 2; pi++) {
        int k = fall[pi].k, d = fall[pi].d;
        double n[3], ls[3], lb, lam = 0;
        for (int i = 0; i < 3; i++) {
            n[i] = pow((double)sz_fall[pi][i], d);
            spike_linear(k, d, sz_fall[pi][i], 1, &lb, &ls[i], &lam);
        }
        snprintf(label, sizeof label, "(k,d)=(%d,%d): log-log slope of the oracle-LS risk, %s", k, d,
                 c->control ? "must now be flat" : "must fall");
        claim_check(c, label, loglog_slope(n, ls, 3), c->control ? CLAIM_GE : CLAIM_LE, c->control ? -0.1 : -0.5);
    }
}

/* C4: on a heterogeneously smooth signal (A: a disc, a bump, a ramp) KTF k = 0 beats oracle Laplacian
 * smoothing, by a ratio that grows with n: MSE_LS/MSE_KTF >= 1.2 at N = 48 and a KTF log-log slope steeper
 * by >= 0.05 over N = 16..48 (3 noise draws per size). Control: the smooth signal C (no disc), where linear
 * smoothers are rate optimal too and the advantage must vanish. */
/* Thresholds: over seeds 1-15 the ratio was 1.62-1.86 and the slope difference -0.145 to -0.224; the
 * control (signal C) gave ratios 0.73-0.87 (always failing the first check) and slope differences -0.05
 * to +0.06 (so the slope check alone would not always fail: the ratio is the decisive contrast). */
static void claim_heterogeneous(claim_ctx *c)
{
    static const size_t sizes[] = {16, 24, 32, 48};
    double n[4], ktf[4], ls[4];
    for (int i = 0; i < 4; i++) {
        het_result r = het_compare(c->control ? SIGNAL_C : SIGNAL_A, 0, sizes[i], 3, 0.5, c->seed);
        n[i] = (double)(sizes[i] * sizes[i]);
        ktf[i] = r.ktf;
        ls[i] = r.ls;
    }
    claim_check(c, "MSE_LS / MSE_KTF at N = 48", ls[3] / ktf[3], CLAIM_GE, 1.2);
    claim_check(c, "slope(KTF) - slope(LS), log-log over N = 16..48", loglog_slope(n, ktf, 4) - loglog_slope(n, ls, 4),
                CLAIM_LE, -0.05);
}

static const suite_claim claims[] = {
    {"exact_solver", "the KTF solver is exact: duality gap, KKT, agreement with dual FISTA, null-space projection",
     claim_exact_solver, "the interior-point iterate stopped after 3 Newton steps"},
    {"polynomials", "KTF of order k returns tensor polynomials of degree <= k per axis unchanged, and no others",
     claim_polynomials, "order k = 0 in place of k = 1"},
    {"phase_transition", "at d >= 2(k+1) the oracle linear smoother's risk stays flat while KTF's falls; below, both fall",
     claim_phase_transition, "the flatness checks applied to the panels below the transition"},
    {"heterogeneous", "KTF beats oracle Laplacian smoothing on a heterogeneously smooth 2-D signal, increasingly with n",
     claim_heterogeneous, "a smooth signal (no jump) in place of the heterogeneous one"},
    {0},
};

/* ======================================================================================================
 * 13. main: every experiment, each writing its own file.
 * ====================================================================================================== */

/* Order: F4 (cheap), F1, F2, F3. Each experiment draws from its own random streams, so running one alone or
 * changing its size leaves the others' numbers unchanged. --benchmark prints timings and writes nothing. */
static int run_all(const suite_run *run)
{
    apply_scale(run);
    if (benchmark) {
        benchmark_run(run->seed);
        return 0;
    }
    int status = experiment_gap(run);
    if (status == 0)
        status = experiment_phase(run);
    if (status == 0)
        status = experiment_rates(run);
    if (status == 0)
        status = experiment_image(run);
    return status;
}

static const suite_program program = {
    "trend_filtering",
    "Sadhanala, Wang, Hu & Tibshirani, Multivariate trend filtering for lattice data, Annals of Statistics 2024, "
    "arXiv:2112.14758",
    "Kronecker trend filtering on lattices: the phase transition of linear smoothers at d = 2(k+1) (F1), "
    "heterogeneous smoothness in 2-D (F2, F3) and an exact, certified solver (F4, --benchmark).",
    options,
    claims,
    run_all,
};

/* suite_main parses the options (bad input: one line, exit 2, nothing written), runs a claim if --claim was
 * given, and otherwise creates the output folder and calls run_all. */
int main(int argc, char **argv) { return suite_main(&program, argc, argv); }
