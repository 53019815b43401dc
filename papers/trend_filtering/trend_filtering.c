/* trend_filtering -- Veeranjaneyulu Sadhanala, Yu-Xiang Wang, Addison J. Hu and Ryan J. Tibshirani,
 * "Multivariate trend filtering for lattice data", Annals of Statistics 52(5), 2024, arXiv:2112.14758
 * (it unifies the NeurIPS 2016 paper arXiv:1605.08400 and the NeurIPS 2017 paper on higher-order TV).
 *
 * THE QUESTION
 *   Denoise y_i = theta0_i + eps_i, eps_i ~ N(0, sigma^2), observed on the d-dimensional tf_lattice
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
 * WHAT THIS PROGRAM REPRODUCES (default scale: about 8 s on one core; --scale full about 70 s)
 *   F1 phase.tsv        MSE vs n for the spike family, panels (k,d) = (0,1),(0,2),(0,3),(1,2),(1,3),(1,4):
 *                       the exact linear-smoother lower bound LB, the exact oracle risk of Kronecker Laplacian
 *                       smoothing, and oracle-tuned KTF (Monte Carlo over random interior spike positions).
 *   F2 rates.tsv        heterogeneous smoothness in d = 2: MSE vs n for KTF (k = 0, 1), Laplacian smoothing
 *                       and Laplacian eigenmaps, every method oracle-tuned on the same noise draws.
 *   F3 image.tsv        a 2-D example: truth, noisy data, KTF k = 0, KTF k = 1, Laplacian smoothing.
 *   F4 gap.tsv          the solver's duality gap against iteration (interior point vs the dual FISTA check).
 *   --benchmark         the d = 1 solver for n = 1e3 ... 1e6 and a 2-D image solve (timings: stdout only).
 *
 * THE SOLVER (common/trend_filter.h, with the banded Cholesky of common/banded.h)
 *   A primal-dual interior-point method on (KTF) written with t >= |Delta theta|. Every Newton step solves
 *   (I + Delta^T W Delta) dtheta = r with W >= 0 diagonal; in the natural lattice order that matrix is banded
 *   with half-bandwidth (k+1) N^(d-1), so a banded Cholesky solves it in O(n (k+1)^2 N^(2d-2)): O(n) for d = 1
 *   (the specialized fast path, factored in long double), O(N^4) for d = 2 (a blocked BLAS-3 factorization).
 *   12-32 Newton steps reach a relative gap of 1e-9 to 1e-12 (n = 1e6 in d = 1: 9e-9, near the floor that
 *   double precision puts on the certificate there; see the README's benchmark). Oracle searches warm start.
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
#include "trend_filter.h"
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
 * 1-6. The solver lives in common/trend_filter.h (read it next to this file).
 *
 * What this paper needs from it, in the order the math comes:
 *   tf_lattice / tf_delta / tf_delta_t   Delta = [D (x) I ...; ...; I ... (x) D], applied matrix-free;
 *   tf_certify                           u feasible -> theta_u = y - Delta^T u and gap = P(theta_u) - D(u),
 *                                        with 1/2 ||theta_u - theta_hat||^2 <= gap (P is 1-strongly convex);
 *   tf_solve                             the primal-dual interior point (Mehrotra), one banded Cholesky of
 *                                        I + Delta^T W Delta per Newton step (common/banded.h);
 *   tf_eigen_* / tf_null_projection      the Kronecker eigenbasis of Delta^T Delta, in which the linear
 *                                        smoothers are diagonal and lambda_bar = ||Delta (Delta^T Delta)^+ y||_inf;
 *   tf_fista                             the independent first-order check on the dual box QP.
 * tests/test_trend_filter.c checks them on their own (adjoint identity, banded Cholesky against GSL, gap and
 * KKT in 1-D and 2-D, the null-space projection, agreement with FISTA); claim exact_solver checks them again
 * at this paper's sizes. The paper-specific part starts here.
 * ====================================================================================================== */

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
static void oracle_linear(const tf_eigen *E, const double *yc, const double *tc, oracle *ls, oracle *le,
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
        tf_eigen_transform(E, fit, fit, 0);
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
    const tf_lattice *L;
    const double *y, *truth;
    double *fit, *scratch;
    tf_work *W;
    double worst_gap; /* the largest relative gap of any solve: reported next to every MSE */
    long solves;
    const tf_eigen *E; /* if not NULL: the limit lambda -> infinity (the null-space projection) competes */
} ktf_search;

/* One certified KTF solve at lambda = 10^log_lambda and its true MSE (the oracle knows theta0). */
static double ktf_mse_at(ktf_search *S, double log_lambda)
{
    tf_info info = tf_solve(S->L, S->y, pow(10, log_lambda), 1e-9, 80, S->scratch, NULL, NULL, S->W);
    S->worst_gap = fmax(S->worst_gap, info.gap / fmax(info.primal, 1e-300));
    S->solves++;
    double d = vec_dist(S->scratch, S->truth, S->L->n);
    return d * d / (double)S->L->n;
}

/* Golden-section search keeps a bracket [lo, hi] with two interior points at the golden ratio; each step
 * drops the side of the worse point and reuses the other point, one solve per step, shrinking the bracket
 * by 0.618. It assumes MSE(log lambda) is unimodal in the bracket, which the coarse pass makes likely. */
/* Warm starts: every solve after the first of a search starts from the previous solve's final iterate
 * (tf_work.warm = 1: theta and the rescaled multipliers, with a cold-sized margin). This saves 8-15% of the
 * Newton steps; restarting closer to the boundary (a smaller barrier parameter) costs more steps than it
 * saves, as is usual for interior-point methods (README, "Warm starts"). A new data set starts cold. */
static oracle oracle_ktf(ktf_search *S, double center, double radius, int coarse, int golden)
{
    S->W->warm = 1;
    S->W->lambda_last = 0; /* new data: the first solve starts cold */
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
    /* The limit lambda >= lambda_bar, where KTF is the null-space projection (tf_null_projection): below the phase
     * transition a small spike is best ignored, and the oracle sits there, beyond any finite search range. */
    if (S->E) {
        double *coef = vec_new(S->L->n), *ustar = vec_new((size_t)S->L->d * S->L->n);
        double lambda_bar = tf_null_projection(S->E, S->y, S->scratch, ustar, coef);
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
    tf_lattice L = tf_lattice_make(d, N, k);
    tf_eigen E = tf_eigen_make(&L);
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
    tf_eigen_free(&E);
    tf_lattice_free(&L);
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
    tf_lattice L = tf_lattice_make(d, N, k);
    tf_work W = tf_work_alloc(&L);
    double *y = vec_new(L.n), *truth = vec_new(L.n), *fit = vec_new(L.n), *scratch = vec_new(L.n);
    double h = spike_height(k, d, (double)L.n), sum = 0, sum2 = 0, loglam = 0;
    gsl_rng *r = rng_stream(seed, STREAM_SPIKE + 1000000u * (uint64_t)k + 100000u * (uint64_t)d + N);
    tf_eigen E = tf_eigen_make(&L);
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
    tf_eigen_free(&E);
    if (count > 1)
        res.se = sqrt(fmax(sum2 / (double)count - res.mse * res.mse, 0) / (double)(count - 1));
    gsl_rng_free(r);
    free(y);
    free(truth);
    free(fit);
    free(scratch);
    tf_work_free(&W);
    tf_lattice_free(&L);
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
    tf_lattice L = tf_lattice_make(2, N, k);
    tf_eigen E = tf_eigen_make(&L);
    tf_work W = tf_work_alloc(&L);
    size_t n = L.n;
    double *truth = vec_new(n), *y = vec_new(n), *fit = vec_new(n), *scratch = vec_new(n);
    double *yc = vec_new(n), *tc = vec_new(n);
    make_signal(which, N, truth);
    tf_eigen_transform(&E, truth, tc, 1);
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
        tf_eigen_transform(&E, y, yc, 1);
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
    tf_work_free(&W);
    tf_eigen_free(&E);
    tf_lattice_free(&L);
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
        tf_lattice L = tf_lattice_make(2, N, k);
        tf_work W = tf_work_alloc(&L);
        ktf_search S = {&L, y, truth, k == 0 ? fit0 : fit1, scratch, &W, 0, 0, NULL};
        oracle o = oracle_ktf(&S, log10(sigma_het) - 0.5, 1.2, 3, 4);
        mse[k] = o.mse;
        lam[k] = o.param;
        if (k == 0) { /* Laplacian smoothing (first order, the usual graph Laplacian of the grid) */
            tf_eigen E = tf_eigen_make(&L);
            oracle ol, oe;
            tf_eigen_transform(&E, y, yc, 1);
            tf_eigen_transform(&E, truth, tc, 1);
            oracle_linear(&E, yc, tc, &ol, &oe, ls);
            mse[2] = ol.mse;
            lam[2] = ol.param;
            tf_eigen_free(&E);
        }
        tf_work_free(&W);
        tf_lattice_free(&L);
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
    tf_lattice L = tf_lattice_make(2, N, 1);
    tf_work W = tf_work_alloc(&L);
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
    tf_info a = tf_solve(&L, y, lambda, 1e-13, 100, theta, NULL, tr, &W);
    tf_info b = tf_fista(&L, y, lambda, 1e-13, GAP_FISTA_ITERS, theta2, tf, GAP_FISTA_EVERY);
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
    tf_work_free(&W);
    tf_lattice_free(&L);
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
 * solve's Newton step is O(N^4) (banded Cholesky of bandwidth (k+1) N, blocked so that the BLAS does the
 * work): 256 x 256 takes seconds for k = 0 and ~20 s for k = 1; nested dissection (O(N^3)) would be next. */
static void benchmark_run(uint64_t seed)
{
    printf("# d = 1, k = 1, tent + N(0, 0.1^2), lambda = 0.01 n, target relative gap 1e-10\n");
    printf("%10s %6s %12s %10s\n", "n", "iters", "rel_gap", "seconds");
    /* n = 1e3, 1e4, ... up to --bench-max; each solve starts from scratch (no warm start, no lambda path). */
    for (size_t n = 1000; n <= (size_t)bench_max; n *= 10) {
        tf_lattice L = tf_lattice_make(1, n, 1);
        tf_work W = tf_work_alloc(&L);
        double *y = vec_new(n), *theta = vec_new(n);
        gsl_rng *r = rng_stream(seed, STREAM_BENCH);
        for (size_t i = 0; i < n; i++) {
            double x = (double)i / (double)n;
            y[i] = (x < 0.5 ? x : 1 - x) + 0.1 * gsl_ran_gaussian_ziggurat(r, 1);
        }
        gsl_rng_free(r);
        double t0 = suite_seconds();
        tf_info info = tf_solve(&L, y, 0.01 * (double)n, 1e-10, 100, theta, NULL, NULL, &W);
        printf("%10zu %6ld %12.3g %10.3f\n", n, info.iterations, info.gap / info.primal, suite_seconds() - t0);
        fflush(stdout);
        free(y);
        free(theta);
        tf_work_free(&W);
        tf_lattice_free(&L);
    }
    printf("# d = 2, signal A + N(0, 0.5^2), lambda = 0.3 (k = 0) and 1 (k = 1), target relative gap 1e-8\n");
    printf("%6s %3s %6s %12s %10s\n", "N", "k", "iters", "rel_gap", "seconds");
    for (size_t N = 64; N <= 256; N *= 2)
        for (int k = 0; k <= 1; k++) {
            tf_lattice L = tf_lattice_make(2, N, k);
            tf_work W = tf_work_alloc(&L);
            double *y = vec_new(L.n), *theta = vec_new(L.n);
            make_signal(SIGNAL_A, N, y);
            gsl_rng *r = rng_stream(seed, STREAM_BENCH_2D);
            for (size_t i = 0; i < L.n; i++)
                y[i] += 0.5 * gsl_ran_gaussian_ziggurat(r, 1);
            gsl_rng_free(r);
            double t0 = suite_seconds();
            tf_info info = tf_solve(&L, y, k == 0 ? 0.3 : 1, 1e-8, 100, theta, NULL, NULL, &W);
            printf("%6zu %3d %6ld %12.3g %10.3f\n", N, k, info.iterations, info.gap / info.primal, suite_seconds() - t0);
            fflush(stdout);
            free(y);
            free(theta);
            tf_work_free(&W);
            tf_lattice_free(&L);
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
        tf_lattice L = tf_lattice_make(2, N, k);
        tf_eigen E = tf_eigen_make(&L);
        tf_work W = tf_work_alloc(&L);
        size_t n = L.n, mm = 2 * n;
        double *y = vec_new(n), *th = vec_new(n), *thf = vec_new(n), *u = vec_new(mm), *z = vec_new(mm);
        double *proj = vec_new(n), *coef = vec_new(n);
        gsl_rng *r = rng_stream(c->seed, STREAM_CHECK + (uint64_t)k);
        for (size_t i = 0; i < n; i++)
            y[i] = gsl_ran_gaussian_ziggurat(r, 1);
        gsl_rng_free(r);
        double lambda_bar = tf_null_projection(&E, y, proj, z, coef);
        double lams[] = {0.1, 1, 10, 2 * lambda_bar};
        for (int li = 0; li < 4; li++) {
            if (k == 2 && li == 2)
                continue; /* (k = 2, lambda = 10): no first-order method certifies it in reasonable time */
            double lam = lams[li];
            tf_info a = tf_solve(&L, y, lam, 1e-14, max_iter, th, u, NULL, &W);
            worst_gap = fmax(worst_gap, a.gap / a.primal);
            /* KKT: on rows with (Delta theta_hat)_i != 0, u_i = lambda sign((Delta theta_hat)_i). We know theta
             * only to ||theta - theta_hat|| <= sqrt(2 gap), hence Delta theta to ||Delta|| sqrt(2 gap) per row:
             * rows with |z_i| above ten times that are certainly active (and of known sign); the others are
             * undecided at this accuracy and left out (as are rows at round-off level, 1e-8, when gap ~ 0). */
            tf_delta(&L, th, z);
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
                tf_info f = tf_fista(&L, y, lam, 1e-13, 200000, thf, NULL, 50);
                double dist = vec_dist(th, thf, n);
                worst_rms = fmax(worst_rms, dist / sqrt((double)n));
                worst_ratio = fmax(worst_ratio, dist / (sqrt(2 * a.gap) + sqrt(2 * f.gap) + 1e-300));
            }
        }
        double *all[] = {y, th, thf, u, z, proj, coef};
        for (size_t i = 0; i < 7; i++)
            free(all[i]);
        tf_work_free(&W);
        tf_eigen_free(&E);
        tf_lattice_free(&L);
    }
    /* The closed-form k = 0 eigenbasis (DCT-II) against the dense eigensolver: same eigenvalues. */
    tf_lattice L0 = tf_lattice_make(1, N, 0);
    tf_eigen E0 = tf_eigen_make(&L0);
    double *U = vec_new(N * N), *mu = vec_new(N), worst_mu = 0;
    tf_dense_eigenbasis(&L0, U, mu);
    for (size_t j = 0; j < N; j++)
        worst_mu = fmax(worst_mu, fabs(mu[j] - E0.mu[j]));
    free(U);
    free(mu);
    tf_eigen_free(&E0);
    tf_lattice_free(&L0);
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
    tf_lattice L = tf_lattice_make(2, N, k);
    tf_work W = tf_work_alloc(&L);
    double *y = vec_new(L.n), *th = vec_new(L.n), err[2];
    for (int which = 0; which < 2; which++) {
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++) {
                double x1 = (double)(i + 1) / (double)N, x2 = (double)(j + 1) / (double)N;
                y[i * N + j] = which == 0 ? 1 + 2 * x1 - x2 + 3 * x1 * x2 : x1 * x1;
            }
        tf_solve(&L, y, 10, 1e-12, 100, th, NULL, NULL, &W);
        err[which] = 0;
        for (size_t i = 0; i < L.n; i++)
            err[which] = fmax(err[which], fabs(th[i] - y[i]));
    }
    claim_check(c, "bilinear surface: max |theta_hat - theta0|", err[0], CLAIM_LE, 1e-8);
    claim_check(c, "x1^2: max |theta_hat - theta0|", err[1], CLAIM_GE, 1e-3);
    free(y);
    free(th);
    tf_work_free(&W);
    tf_lattice_free(&L);
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
