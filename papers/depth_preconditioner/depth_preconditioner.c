/* depth_preconditioner -- Sanjeev Arora, Nadav Cohen & Elad Hazan, "On the Optimization of Deep Networks:
 * Implicit Acceleration by Overparameterization", ICML 2018 (PMLR 80:244-253), arXiv:1802.06509.
 *
 * The question      Adding layers to a linear model adds no expressive power. Can it still change, and even
 *                   speed up, gradient descent? The paper says yes: depth acts as a preconditioner that no
 *                   regularizer can imitate, and on l_p regression with p > 2 it beats plain GD, AdaGrad and
 *                   AdaDelta, while on l_2 regression it gives nothing.
 * The model         Scalar regression, data (x_i, y_i), i = 1..m, x_i in R^d, loss (mean over examples)
 *                       L(w) = 1/(p m) sum_i (x_i^T w - y_i)^p,   p in {2, 4},
 *                   and its depth-N overparameterization w = w_1 * a_2 * ... * a_N (a first layer w_1 in R^d and
 *                   N-1 scalar layers; or, for width h, W_1 (h x d) and W_2 (1 x h)). Plain GD runs on the
 *                   layers: W_j <- W_j - eta dL/dW_j.
 * What it predicts  With a balanced start (W_{j+1}^T W_{j+1} = W_j W_j^T), gradient flow on the layers moves
 *                   the end-to-end vector by (the end-to-end update rule; Thm 1 [verify numbering])
 *                       w <- w - eta ||w||^{2-2/N} ( g + (N-1) Pr_w g ),  g = grad L(w),  Pr_w g = (w.g/|w|^2) w,
 *                   an adaptive rate ||w||^{2-2/N} plus a stretch by N along the direction already travelled.
 *                   (1) It depends on N only, not on the hidden widths. (2) It is not the gradient of any
 *                   function when N > 2 and grad L(0) != 0 (Thm 3 [verify]): its circulation around closed
 *                   loops is non-zero, so no regularizer added to L can produce it. (3) For p = 4 the
 *                   preconditioner helps GD through the flat region near the optimum; for p = 2 it does not.
 * What we reproduce Fig. F1 of the paper / its blog post (l4 regression, loss gap vs iteration for GD depth 1,
 *                   depth 2, depth 3, AdaGrad, AdaDelta and heavy-ball, each at its own best step), the same
 *                   for l2, the end-to-end rule against the real depth-2 network, iterations-to-target per
 *                   method, circulation of the end-to-end field, and width independence. Default: m = 500,
 *                   d = 16, T = 20000 iterations, about 5 s; --scale full: m = 2565, d = 128 (the size of
 *                   the paper's gas-sensor task), T = 50000, about 9 min of CPU.
 * Departures        (a) Synthetic data by default (the UCI gas-sensor data cannot be shipped): features with
 *                       scales log-spaced over one decade, then rotated, x_i = Q diag(10^{-j/(d-1)}) z_i,
 *                       z ~ N(0, I), Q a random rotation (so that no diagonal method gets the scales for free;
 *                       --axis-aligned drops Q), a planted w* ~ N(0, 9/d I), y = x^T w* + 0.1 eps.
 *                       --data FILE.csv runs a real data set instead
 *                       (columns standardized to mean 0 and variance 1, target included; the paper's
 *                       preprocessing is not known).
 *                   (b) T = 2e4 iterations instead of 1e6 and m x d = 500 x 16 instead of 2565 x 128: the effect
 *                       shows in the slow tail, which a target of 1e-6 of the initial gap reaches in 1e4 steps.
 *                   (c) Every curve is the gap L - L* to the exact optimum (Newton's method with a Cholesky
 *                       solve), not the raw loss, so the log plot shows the asymptotic rate honestly.
 *                   (d) Step sizes: each method gets its best eta from the grid 10^{k/8}, k = -24..8, scanned
 *                       downwards from the top; the scan stops three grid points below the best and is
 *                       extended upwards while the top is best, so the best is bracketed by worse values on
 *                       both sides (checked). "Best" = fewest iterations to gap <= 1e-6 (L(0) - L*).
 *                   (e) Heavy-ball momentum (beta = 0.9) is added as a baseline the paper does not show, and
 *                       AdaDelta as published (no step scale, eta = 1, untuned) beside the tuned one.
 *                   (f) AdaDelta carries a step scale eta (PyTorch's form) that is tuned like every other eta.
 * Claims            C1 accel_l4        p = 4: iters(depth 2) / iters(depth 1) <= 0.6, each at its best eta
 *                   C2 no_accel_l2     p = 2: iters(depth 2) / iters(depth 1) >= 0.85 (depth does not help)
 *                   C3 end_to_end      max_t |w_net - w_e2e| / |w_net(T)| <= 2e-2, while plain GD from the same
 *                                      start gives >= 0.2; the gap grows when eta grows 10x (ratio >= 3)
 *                   C4 nonconservative l2 loss, d = 2: max normalized circulation over 4 loops <= 1e-10 for
 *                                      N = 1, >= 1e-3 for N = 2 and N = 3
 *                   C5 linear_loss     constant gradient: N = 2 gives <= 1e-10 (a gradient field), N = 3
 *                                      gives >= 1e-3 (why the theorem needs N > 2)
 *                   C6 width           iterations from gap 1e-1 to 1e-4 (of the initial gap) for widths 8 and
 *                                      32 within 10% of width 1; depth-1 GD needs >= 2x as many
 * What we find      (default scale, seeds 1-5; numbers in README.md) Depth 2 reaches the l4 target in 0.38-0.50x
 *                   the iterations of depth 1, each at its own best step, and gives nothing on l2 (0.94-1.46x):
 *                   the paper's central contrast reproduces. The rule tracks the network to <1% of |w|, the
 *                   field's circulation is non-zero for N = 2, 3 (and zero for a linear loss at N = 2), and
 *                   width does not matter. NOT reproduced: depth 2 beating AdaDelta. With its step scale tuned
 *                   like everyone else's, AdaDelta reaches the l4 target 7-25x sooner than depth 2, and heavy-ball
 *                   momentum (not in the paper) 6-20x sooner; AdaGrad is beaten by depth 2 only on rotated
 *                   features (on axis-aligned features, --axis-aligned, AdaGrad wins: it undoes per-coordinate
 *                   scales exactly). So depth is a real but modest preconditioner here, not the best optimizer.
 * Run               build/papers/depth_preconditioner/depth_preconditioner            (all data, ~5 s)
 *                   ... --claim accel_l4 --seed 3      (one claim)       ... --data gas.csv   (real data)
 *                   figures: make -f Makefile.figures, or gnuplot figures/depth_preconditioner.gp (README.md).
 *                   Look for: in -l4 depth 2 and 3 pull away from GD and AdaGrad in the slow tail (AdaDelta
 *                   and heavy-ball are faster still); in -l2 depth gains nothing; in -e2e the network and the
 *                   rule overlap while GD does not; in -width the three widths give one curve.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>

#include "claim.h"
#include "linalg.h"
#include "progress.h"
#include "rng.h"
#include "suite.h"
#include "tsv.h"

/* ==== Options ============================================================================================ */

/* Defaults depend on --scale (set in apply_scale) unless given on the command line. Every option is recorded
 * in the header of every data file (tsv.h), so a data file always says how it was made. The claims ignore
 * them: they run their own calibrated configuration (see the Claims section). */
static long n_examples = 500;  /* m: examples of the synthetic data set                         */
static long n_features = 16;   /* d: features                                                     */
static long n_iters = 20000;   /* T: iterations per run                                           */
static const char *data_path = ""; /* --data FILE.csv: a real data set, last column the target    */
static int benchmark = 0;      /* --benchmark: print full-batch gradient steps per second and stop */
static int axis_aligned = 0;   /* --axis-aligned: the anisotropy along the coordinate axes (no rotation) */

static const cli_option options[] = {
    {"examples", OPT_INT, &n_examples, 20, 1000000, NULL, "m, synthetic examples (quick 200, default 500, full 2565)"},
    {"features", OPT_INT, &n_features, 2, 4096, NULL, "d, synthetic features (quick 8, default 16, full 128)"},
    {"iters", OPT_INT, &n_iters, 100, 100000000, NULL, "T, iterations per run (quick 4000, default 2e4, full 5e4)"},
    {"data", OPT_TEXT, &data_path, 0, 0, "FILE.csv", "real data: comma-separated numbers, last column = target"},
    {"benchmark", OPT_FLAG, &benchmark, 0, 0, NULL, "print full-batch l4 gradient steps per second and stop"},
    {"axis-aligned", OPT_FLAG, &axis_aligned, 0, 0, NULL,
     "synthetic features scaled along the axes, not rotated (favours AdaGrad/AdaDelta; see README)"},
    {0},
};

/* Constants of the experiments (section 5 of the paper brief; the claim thresholds were calibrated on them). */
#define TARGET_REL 1e-6     /* "reached" = gap L - L* <= 1e-6 (L(0) - L*): the slow tail is where depth acts  */
#define INIT_SCALE 0.05     /* near-zero init of the deep nets: first layer N(0, 0.05^2/d), scalar layers 0.05 */
#define BLOWUP 1e4          /* a loss above 1e4 L(0) (or NaN) means the step size diverged                    */
#define GRID_K_LO (-24)     /* eta grid 10^{k/8}: k = -24 .. 8 is 0.001 .. 10 (33 values)                     */
#define GRID_K_HI 8
#define GRID_K_MAX 40       /* how far the grid may be extended upwards (eta = 1e5) when the top is best      */
#define GRID_K_MIN (-56)    /* ... and downwards (eta = 1e-7) when every grid value diverges                  */
#define SCAN_PATIENCE 3     /* stop the downward scan after this many successive values worse than the best  */
#define MAX_DEPTH 8
#define ADAGRAD_EPS 1e-8
#define ADADELTA_RHO 0.95
#define ADADELTA_EPS 1e-6
#define MOMENTUM_BETA 0.9

/* Random streams (rng.h): one per sub-experiment, so changing one never changes another's numbers. */
enum {
    STREAM_DATA = 1,      /* the synthetic data set                                   */
    STREAM_INIT_DEPTH2,   /* first layer of the depth-2 net                           */
    STREAM_INIT_DEPTH3,   /* first layer of the depth-3 net                           */
    STREAM_INIT_BALANCED, /* first layer of the balanced nets (end-to-end, width 1)   */
    STREAM_INIT_WIDE,     /* the width-8 and width-32 nets (+ width)                  */
    STREAM_CIRC_DATA = 100, STREAM_CIRC_LOOPS, STREAM_CIRC_LINEAR,
    STREAM_ROTATION_OFFSET = 1000 /* data stream s draws its feature rotation from stream s + 1000 */
};

/* ==== The data set and the l_p loss ======================================================================= */

typedef struct {
    size_t m, d;
    double *X; /* m x d, row-major: row i is x_i */
    double *y; /* m                              */
} dataset;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL)
        suite_die(SUITE_EXIT_USAGE, "out of memory (%zu x %zu bytes)", n, size);
    return p;
}

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t j = 0; j < n; j++)
        s += a[j] * b[j];
    return s;
}

static double norm(const double *a, size_t n) { return sqrt(dot(a, a, n)); }

static double dist(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t j = 0; j < n; j++)
        s += (a[j] - b[j]) * (a[j] - b[j]);
    return sqrt(s);
}

static void dataset_free(dataset *D)
{
    free(D->X); free(D->y);
    D->X = D->y = NULL;
}

/* The synthetic task (departure (a)): anisotropic features x_i = Q diag(10^{-j/(d-1)}) z_i, z_i ~ N(0, I), so
 * the Hessian's eigenvalues spread over two decades; a planted w* ~ N(0, 9/d I) with |w*| ~ 3; and a little
 * label noise, so the residuals are large at w = 0 and small (but not zero) at the optimum: the regime where
 * the l4 loss is flat. Q is a uniformly random rotation (Haar, la_orthogonal), so the stretched directions are
 * not the coordinate axes, as with correlated sensors. Without Q (`rotate` = 0, --axis-aligned) every
 * coordinate has its own scale, which a diagonal method (AdaGrad, AdaDelta) undoes exactly: that data set
 * measures the diagonal rescaling, not the optimizers. GD, heavy-ball and the deep nets (isotropic init) are
 * rotation-equivariant, so Q leaves the distribution of their iteration counts unchanged. */
static dataset dataset_synthetic(uint64_t seed, uint64_t stream, size_t m, size_t d, int rotate)
{
    dataset D = {m, d, xcalloc(m * d, sizeof(double)), xcalloc(m, sizeof(double))};
    gsl_rng *r = rng_stream(seed, stream);
    double *wstar = xcalloc(d, sizeof(double)), *z = xcalloc(d, sizeof(double));
    gsl_matrix *Q = NULL;
    if (rotate) {
        gsl_rng *rq = rng_stream(seed, stream + STREAM_ROTATION_OFFSET);
        Q = la_alloc(d, d);
        la_orthogonal(Q, rq);
        gsl_rng_free(rq);
    }
    /* the planted solution w* ~ N(0, 9/d I): |w*| ~ 3, so the optimum is far from the start w = 0 */
    for (size_t j = 0; j < d; j++)
        wstar[j] = gsl_ran_gaussian(r, 3.0 / sqrt((double)d));
    for (size_t i = 0; i < m; i++) {
        double *x = D.X + i * d;
        /* feature j of z has scale 10^{-j/(d-1)}: from 1 down to 0.1, so X^T X spans two decades */
        for (size_t j = 0; j < d; j++)
            z[j] = pow(10.0, -(double)j / (double)(d - 1)) * gsl_ran_gaussian(r, 1.0);
        for (size_t j = 0; j < d; j++)
            x[j] = Q == NULL ? z[j] : dot(Q->data + j * Q->tda, z, d); /* x = Q z */
        D.y[i] = dot(x, wstar, d) + 0.1 * gsl_ran_gaussian(r, 1.0);
    }
    if (Q != NULL)
        gsl_matrix_free(Q);
    free(wstar); free(z);
    gsl_rng_free(r);
    return D;
}

/* Why l4 regression is hard for plain GD (and l2 is not).
 *
 * The Hessian of L is H(w) = (p-1)/m sum_i r_i^{p-2} x_i x_i^T. For p = 2 it is the constant X^T X / m: GD with
 * one step eta ~ 1/lambda_max converges linearly at the rate 1 - lambda_min/lambda_max, and nothing about w
 * changes that. For p = 4 the curvature is weighted by the squared residuals r_i^2:
 *   - at w = 0 the residuals are the targets (|y_i| ~ 3 here), so the curvature is large and the stable
 *     step is small (eta < 2/lambda_max(H(0)));
 *   - near the optimum the residuals are the label noise (~0.1), so the curvature is ~ 1000x smaller, and
 *     the step chosen for the start is ~ 1000x too small for the end: GD crawls through a wide flat valley.
 * A method whose effective step *grows* as it approaches the optimum wins here. The depth-N preconditioner
 * does exactly that, through its factor |w|^{2-2/N}: tiny near w = 0 (where l4 is steep) and ~|w*|^{2-2/N}
 * near the optimum (where l4 is flat). For p = 2 the same schedule buys nothing, since the curvature never
 * changes, and the direction-dependent factor only distorts the conditioning. This is the paper's section 6
 * argument ("the preconditioner copes with large plateaus") in numbers. AdaDelta (whose step grows with the
 * running size of its own past steps) and heavy-ball momentum (which improves the dependence on the condition
 * number) are the competitors that address the same difficulty by other means. */

/* L(w) = 1/(p m) sum_i r_i^p and grad L(w) = 1/m sum_i r_i^{p-1} x_i, r_i = x_i^T w - y_i, in one pass over the
 * data (the row is still in cache for the gradient). r^3 is r*r*r, never pow(): pow() per example is ~50x
 * slower. This is the only O(m d) work of an iteration; every optimizer below calls it once per step. */
static double loss_grad(const dataset *D, int p, const double *w, double *g)
{
    const size_t m = D->m, d = D->d;
    double loss = 0.0;
    if (g != NULL)
        memset(g, 0, d * sizeof(double));
    for (size_t i = 0; i < m; i++) {
        /* r_i = x_i^T w - y_i, then r_i^p / (p m) into the loss and r_i^{p-1} x_i / m into the gradient */
        const double *x = D->X + i * d;
        double r = -D->y[i];
        for (size_t j = 0; j < d; j++)
            r += x[j] * w[j];
        double r2 = r * r, coef;
        if (p == 4) {
            loss += r2 * r2;
            coef = r2 * r;
        } else {
            loss += r2;
            coef = r;
        }
        if (g != NULL)
            for (size_t j = 0; j < d; j++)
                g[j] += coef * x[j];
    }
    if (g != NULL)
        for (size_t j = 0; j < d; j++)
            g[j] /= (double)m;
    return loss / ((double)p * (double)m);
}

/* ==== The exact optimum: Newton's method with a Cholesky solve =============================================
 *
 * L is convex (p even), and strictly so when X has full column rank, so Newton's method with a backtracking
 * line search converges to the unique minimizer:
 *     H(w) = 1/m sum_i (p-1) r_i^{p-2} x_i x_i^T    (d x d, positive definite),
 *     H dw = g  by Cholesky (gsl_linalg_cholesky_decomp1 + _solve),   w <- w - t dw,
 * with t halved until L decreases by at least 1e-4 t lambda^2, lambda^2 = g^T H^{-1} g (the Newton decrement).
 * Near the optimum L - L* ~ lambda^2 / 2, so we stop once lambda^2/2 <= 1e-17 L: L* is then exact to rounding,
 * and every curve below is an honest gap L - L* down to ~1e-14 L*, where we floor it (floor = 1e-14 L* + 1e-300;
 * rounding makes smaller gaps meaningless and can even make them negative). */
typedef struct {
    const dataset *data;
    int p;
    double L0;      /* L(0)                                        */
    double Lstar;   /* min L                                        */
    double floor;   /* gaps below this are rounding noise           */
    double target;  /* TARGET_REL (L0 - L*): "reached"              */
    double gnorm;   /* |grad L(w*)| after Newton                    */
    int newton_its;
} objective;

static double gap_of(const objective *O, double loss)
{
    double gap = loss - O->Lstar;
    return gap > O->floor ? gap : O->floor;
}

static void objective_init(objective *O, const dataset *D, int p)
{
    const size_t m = D->m, d = D->d;
    O->data = D;
    O->p = p;
    gsl_matrix *H = gsl_matrix_alloc(d, d);
    gsl_vector *rhs = gsl_vector_alloc(d), *step = gsl_vector_alloc(d);
    double *w = xcalloc(d, sizeof(double)), *g = xcalloc(d, sizeof(double)), *trial = xcalloc(d, sizeof(double));
    double loss = loss_grad(D, p, w, g);
    O->L0 = loss;
    /* GSL's default handler aborts on a non-positive-definite matrix; we check the return codes instead and
     * report the failure in one line (exit 3), naming the likely cause */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int it, converged = 0;
    /* Newton from w = 0. For p = 2 the first full step lands on the least-squares solution and the second
     * confirms it (decrement ~ 0). For p = 4 the quartic is far from its quadratic model at the start, so the
     * line search halves the first steps; after ~10 damped steps the iteration turns quadratic and 2-4 more
     * steps reach rounding (optimum.tsv records the count and |grad L(w*)| ~ 1e-17). */
    for (it = 1; it <= 200 && !converged; it++) {
        /* H = 1/m sum_i (p-1) r_i^{p-2} x_i x_i^T (both triangles, although decomp1 reads the lower one) */
        gsl_matrix_set_zero(H);
        for (size_t i = 0; i < m; i++) {
            const double *x = D->X + i * d;
            double r = dot(x, w, d) - D->y[i];
            double c = (p == 4 ? 3.0 * r * r : 1.0) / (double)m;
            for (size_t j = 0; j < d; j++)
                for (size_t k = 0; k <= j; k++)
                    H->data[j * H->tda + k] += c * x[j] * x[k];
        }
        for (size_t j = 0; j < d; j++)
            for (size_t k = 0; k < j; k++)
                H->data[k * H->tda + j] = H->data[j * H->tda + k];
        for (size_t j = 0; j < d; j++)
            gsl_vector_set(rhs, j, g[j]);
        if (gsl_linalg_cholesky_decomp1(H) != GSL_SUCCESS || gsl_linalg_cholesky_solve(H, rhs, step) != GSL_SUCCESS)
            suite_die(SUITE_EXIT_NUMERIC, "Newton (p = %d): the Hessian is not positive definite at step %d "
                      "(are the features linearly dependent, or are there fewer examples than features?)", p, it);
        /* the Newton decrement lambda^2 = g^T H^{-1} g: the model's predicted decrease is lambda^2 / 2 */
        double lambda2 = 0.0;
        for (size_t j = 0; j < d; j++)
            lambda2 += g[j] * gsl_vector_get(step, j);
        if (!(lambda2 >= 0.0))
            suite_die(SUITE_EXIT_NUMERIC, "Newton (p = %d): negative decrement %g at step %d", p, lambda2, it);
        if (0.5 * lambda2 <= 1e-17 * loss)
            converged = 1; /* one more step below, taken only if it still lowers L */
        /* backtracking (Armijo): accept w - t dw once L falls strictly, by at least 1e-4 t lambda^2 */
        double t = 1.0, trial_loss;
        for (;;) {
            for (size_t j = 0; j < d; j++)
                trial[j] = w[j] - t * gsl_vector_get(step, j);
            trial_loss = loss_grad(D, p, trial, NULL);
            if (trial_loss < loss && trial_loss <= loss - 1e-4 * t * lambda2)
                break;
            t *= 0.5;
            if (t < 1e-12)
                break;
        }
        if (t >= 1e-12) {
            memcpy(w, trial, d * sizeof(double));
            loss = loss_grad(D, p, w, g);
        } else if (!converged) {
            /* No step lowers L any more. At the optimum that is rounding: the gradient cannot be computed
             * more accurately than ~1e-16 of its terms, so lambda^2 stalls at a tiny floor (1e-19 for a
             * 20 x 2 problem). Anywhere else it is a failure. */
            if (0.5 * lambda2 > 1e-10 * loss)
                suite_die(SUITE_EXIT_NUMERIC, "Newton (p = %d): line search failed at step %d", p, it);
            converged = 1;
        }
    }
    gsl_set_error_handler(old);
    if (!converged)
        suite_die(SUITE_EXIT_NUMERIC, "Newton (p = %d) did not converge in 200 steps", p);
    O->newton_its = it - 1;
    O->Lstar = loss;
    O->gnorm = norm(g, d);
    O->floor = 1e-14 * loss + 1e-300;
    O->target = TARGET_REL * (O->L0 - O->Lstar);
    free(w); free(g); free(trial);
    gsl_matrix_free(H);
    gsl_vector_free(rhs);
    gsl_vector_free(step);
}

/* ==== The end-to-end rule for scalar output, derived =======================================================
 *
 * Take depth 2 with scalar output: w = w_1 a (w_1 in R^d, a scalar). Gradient flow on the layers is
 *     d w_1/dt = -a g,      d a/dt = -w_1 . g,          g = grad L(w).
 * Balancedness: d/dt (a^2 - |w_1|^2) = -2a (w_1.g) + 2a (w_1.g) = 0, so a^2 - |w_1|^2 is conserved, and a start
 * with a = |w_1| stays balanced. Then |w| = |w_1| a = a^2 and w_1 w_1^T = w w^T / a^2. The end-to-end vector moves by
 *     dw/dt = (dw_1/dt) a + w_1 (da/dt) = -a^2 g - w_1 (w_1 . g) = -|w| g - (w w^T / |w|) g
 *           = -|w| ( g + Pr_w g ),                          Pr_w g = (w . g / |w|^2) w,
 * which is the general rule  -|w|^{2-2/N} (g + (N-1) Pr_w g)  at N = 2. For depth N (balanced: every scalar layer
 * has norm |w_1|, so |w| = |w_1|^N) the same computation gives a rate |w_1|^{2(N-1)} = |w|^{2-2/N} and N-1
 * projected terms. Seen as a preconditioner, dw/dt = -P_w g with
 *     P_w = |w|^{2-2/N} ( I + (N-1) w w^T / |w|^2 ),
 * whose eigenvalues are N |w|^{2-2/N} along w and |w|^{2-2/N} across it: an adaptive learning rate plus a
 * stretch along the direction already travelled (the blog's "momentum-like" reading). P_w depends on N only,
 * never on the hidden widths, which is claim C6. */

/* ==== The optimizers: GD on the deep chain, and the baselines ===============================================
 *
 * Depth N (scalar output): w = w_1 a_2 ... a_N, first layer w_1 in R^d, scalar layers a_k. With g = grad L(w)
 * and P = a_2 ... a_N, the chain rule gives (the paper's dL^N/dW_j = (W_N..W_{j+1})^T grad L (W_{j-1}..W_1)^T):
 *     dL/dw_1 = P g,      dL/da_k = (w_1 . g) P / a_k,
 * and GD updates all layers at once. Depth 1 is plain GD on w, from w = 0. The deeper nets cannot start at 0
 * (a stationary point), so they start near it: w_1 ~ N(0, 0.05^2/d I), a_k = 0.05.
 * Baselines, on w from 0 (g^2 and divisions are per coordinate):
 *     AdaGrad     G += g^2;                         w -= eta g / (sqrt(G) + 1e-8)
 *     AdaDelta    E_g = .95 E_g + .05 g^2;  D = -sqrt(E_D + 1e-6)/sqrt(E_g + 1e-6) g;
 *                 E_D = .95 E_D + .05 D^2;          w += eta D          (Zeiler 2012; eta as in PyTorch)
 *     heavy-ball  v = 0.9 v - eta g;                w += v */
typedef enum { M_GD, M_DEPTH2, M_DEPTH3, M_ADAGRAD, M_ADADELTA, M_MOMENTUM, M_ADADELTA1, M_COUNT } method_id;
static const char *const method_names[M_COUNT] = {"gd_depth1", "gd_depth2", "gd_depth3", "adagrad",
                                                   "adadelta",  "momentum",  "adadelta_eta1"};
/* adadelta_eta1 is Zeiler's AdaDelta as published, with no step scale (eta = 1, not tuned): the paper does not
 * say whether its AdaDelta had one [verify], and the tuned scale changes the ranking (README). */

/* The near-zero starting points of the deep nets, shared by every step size of one tuning, so that the
 * tuning compares step sizes and not starting points. They come from their own streams, so adding a method
 * or changing the data size of another experiment never changes them. */
typedef struct {
    double *first2; /* w_1 of the depth-2 net (d) */
    double *first3; /* w_1 of the depth-3 net (d) */
} starts;

static starts starts_make(uint64_t seed, size_t d)
{
    starts S = {xcalloc(d, sizeof(double)), xcalloc(d, sizeof(double))};
    gsl_rng *r2 = rng_stream(seed, STREAM_INIT_DEPTH2), *r3 = rng_stream(seed, STREAM_INIT_DEPTH3);
    for (size_t j = 0; j < d; j++) {
        S.first2[j] = gsl_ran_gaussian(r2, INIT_SCALE / sqrt((double)d));
        S.first3[j] = gsl_ran_gaussian(r3, INIT_SCALE / sqrt((double)d));
    }
    gsl_rng_free(r2);
    gsl_rng_free(r3);
    return S;
}

static void starts_free(starts *S)
{
    free(S->first2); free(S->first3);
}

typedef struct {
    long iters;       /* first t with gap(w_t) <= target, or -1 when not reached */
    long steps;       /* iterations run                                          */
    int diverged;     /* the loss became non-finite or exceeded BLOWUP L(0)      */
    double final_gap; /* gap at the last iterate evaluated                       */
} run_result;

/* Conventions of every run: t counts updates; the gap is measured at w_t before update t+1, so t = 0 is the
 * start; a run "reaches" the target at the first t with gap(w_t) <= target. Each step costs one call of loss_grad
 * (O(m d)) plus O(d) bookkeeping; nothing is allocated inside the loop. */
/* Runs one method at step size eta for at most `limit` updates. Stops at the target if stop_at_target, and as
 * soon as `limit` is passed without reaching it (the tuning uses this as a cap: a run slower than the best so
 * far cannot win). If trace != NULL, trace[t / every] = gap(w_t) for t = 0, every, 2 every, ... <= limit. */
static run_result run_method(const objective *O, const starts *S, method_id method, double eta, long limit,
                             int stop_at_target, double *trace, long every)
{
    const size_t d = O->data->d;
    double *w = xcalloc(d, sizeof(double)), *g = xcalloc(d, sizeof(double));
    double *u = xcalloc(d, sizeof(double));   /* first layer (chains); AdaGrad's G; AdaDelta's E_g; v  */
    double *aux = xcalloc(d, sizeof(double)); /* AdaDelta's E_D                                         */
    double a[MAX_DEPTH] = {0};                /* scalar layers a_2..a_N of the chain                    */
    int depth = method == M_DEPTH2 ? 2 : method == M_DEPTH3 ? 3 : 1;
    if (method == M_DEPTH2 || method == M_DEPTH3) {
        memcpy(u, method == M_DEPTH2 ? S->first2 : S->first3, d * sizeof(double));
        for (int k = 0; k < depth - 1; k++)
            a[k] = INIT_SCALE;
    }
    run_result res = {-1, 0, 0, 0.0};
    for (long t = 0;; t++) {
        /* the end-to-end vector of the chain: w = P w_1 (for the other methods w is the state itself) */
        double P = 1.0;
        if (depth > 1) {
            for (int k = 0; k < depth - 1; k++)
                P *= a[k];
            for (size_t j = 0; j < d; j++)
                w[j] = P * u[j];
        }
        double loss = loss_grad(O->data, O->p, w, g);
        if (suite_diverged(loss, O->L0, BLOWUP)) {
            res.diverged = 1;
            res.steps = t;
            break;
        }
        /* measure before updating: the gap of w_t, recorded in the trace and tested against the target */
        double gap = gap_of(O, loss);
        res.final_gap = gap;
        res.steps = t;
        if (trace != NULL && t % every == 0)
            trace[t / every] = gap;
        if (res.iters < 0 && gap <= O->target) {
            res.iters = t;
            if (stop_at_target)
                break;
        }
        if (t >= limit)
            break;
        switch (method) {
        case M_GD:
            /* plain GD on the linear model: w <- w - eta g */
            for (size_t j = 0; j < d; j++)
                w[j] -= eta * g[j];
            break;
        case M_DEPTH2:
        case M_DEPTH3: {
            /* dL/da_k = (w_1 . g) * prod_{l != k} a_l;  dL/dw_1 = P g  (all from the current layers) */
            double s = dot(u, g, d), grad_a[MAX_DEPTH];
            for (int k = 0; k < depth - 1; k++) {
                double others = 1.0;
                for (int l = 0; l < depth - 1; l++)
                    if (l != k)
                        others *= a[l];
                grad_a[k] = s * others;
            }
            for (size_t j = 0; j < d; j++)
                u[j] -= eta * P * g[j];
            for (int k = 0; k < depth - 1; k++)
                a[k] -= eta * grad_a[k];
            break;
        }
        case M_ADAGRAD:
            /* AdaGrad (Duchi, Hazan & Singer 2011), diagonal: every coordinate's step is eta over the root of
             * the sum of its squared gradients so far, so the steps only shrink */
            for (size_t j = 0; j < d; j++) {
                u[j] += g[j] * g[j];
                w[j] -= eta * g[j] / (sqrt(u[j]) + ADAGRAD_EPS);
            }
            break;
        case M_ADADELTA:
        case M_ADADELTA1:
            /* AdaDelta (Zeiler 2012): the step is RMS[past steps] / RMS[past gradients] times g, a unit-free
             * ratio whose numerator grows as the iterate moves, so the effective rate can grow over time */
            for (size_t j = 0; j < d; j++) {
                u[j] = ADADELTA_RHO * u[j] + (1.0 - ADADELTA_RHO) * g[j] * g[j];
                double delta = -sqrt(aux[j] + ADADELTA_EPS) / sqrt(u[j] + ADADELTA_EPS) * g[j];
                aux[j] = ADADELTA_RHO * aux[j] + (1.0 - ADADELTA_RHO) * delta * delta;
                w[j] += eta * delta;
            }
            break;
        case M_MOMENTUM:
            /* Polyak's heavy ball: the velocity u keeps 0.9 of itself, so a constant gradient is followed with
             * an effective step 10 eta; on a quadratic this improves the rate from 1 - 1/kappa towards
             * 1 - 1/sqrt(kappa) */
            for (size_t j = 0; j < d; j++) {
                u[j] = MOMENTUM_BETA * u[j] - eta * g[j];
                w[j] += u[j];
            }
            break;
        case M_COUNT:
            break;
        }
    }
    free(w); free(g); free(u); free(aux);
    return res;
}

/* ==== Each method at its own best step size ================================================================
 *
 * "Per-method tuning is the whole claim": comparing methods at one shared eta proves nothing. For each method
 * we scan eta = 10^{k/8} from k = 8 (eta = 10) downwards. Large values diverge within a few steps (cheap);
 * the first value that converges sets the best; every later run is capped at the best's iteration count,
 * since a slower run cannot win; after SCAN_PATIENCE successive values worse than the best, the scan stops
 * (iterations-to-target grow as eta shrinks below the best). If the top of the grid is the best, the grid is
 * extended upwards until a worse value appears; if every value diverges, downwards. The result records
 * whether the best is bracketed (a worse value was tried on each side); the claims check it. Runs that never
 * reach the target are ranked by their final gap after T iterations. */
typedef struct {
    int found;      /* some eta did not diverge              */
    int k;          /* best eta = 10^{k/8}                    */
    double eta;
    long iters;     /* iterations to target, or -1            */
    double final_gap;
    int bracketed;  /* a worse eta was tried on either side   */
    int tried;      /* runs made                              */
} tuned;

/* Why capping is exact and the patience rule is safe. A run is stopped as soon as it has used as many iterations
 * as the best run so far without reaching the target: whatever it would do later, it cannot need fewer
 * iterations, so the ranking is the same as with uncapped runs, at a fraction of the cost. The patience rule
 * (stop after three worse values in a row) assumes that iterations-to-target grow as eta shrinks below the best,
 * which holds for every method here because each one's progress per step is monotone in eta until its step
 * becomes unstable; a value 10^{3/8} ~ 2.4x below the best is already clearly slower in every run we looked at
 * (README). The grid is 33 values wide (0.001 .. 10, eight per decade) because the best eta sits just below each
 * method's divergence edge, where a factor 1.33 matters. */

/* 1 if result a is strictly better than b (fewer iterations to target; else smaller final gap). A diverged run
 * is worse than anything; a run that reached the target beats one that did not; two runs that both missed it
 * (possible for depth 3 or with --data) are ranked by how close they got after T iterations. */
static int better(run_result a, run_result b)
{
    if (a.diverged)
        return 0;
    if (b.diverged)
        return 1;
    if (a.iters >= 0 && b.iters >= 0)
        return a.iters < b.iters || (a.iters == b.iters && a.final_gap < b.final_gap);
    if (a.iters >= 0 || b.iters >= 0)
        return a.iters >= 0;
    return a.final_gap < b.final_gap;
}

/* One scan, with no eta above 10^{ceiling/8}; `ceiling_diverged`: the value just above the ceiling was seen
 * to diverge (late, in the full-length run), so it brackets the best from above. */
static tuned tune_below(const objective *O, const starts *S, method_id method, long T, int ceiling,
                        int ceiling_diverged)
{
    enum { NK = GRID_K_MAX - GRID_K_MIN + 1 };
    int tested[NK] = {0}, worse[NK] = {0};
    run_result best = {-1, 0, 1, 0.0};
    int best_k = GRID_K_HI, found = 0, tried = 0, patience = 0;
    /* downward scan: from the top of the grid, past its bottom (to 1e-7) only while the best keeps improving
     * or nothing has converged yet */
    for (int k = GRID_K_HI < ceiling ? GRID_K_HI : ceiling; k >= GRID_K_MIN; k--) {
        /* below the nominal grid, go on only while the previous value was the best so far */
        if (k < GRID_K_LO && found && best_k > k + 1)
            break;
        long cap = best.iters >= 0 ? best.iters : T; /* a slower run cannot win: stop it there */
        run_result r = run_method(O, S, method, pow(10.0, k / 8.0), cap, 1, NULL, 1);
        tested[k - GRID_K_MIN] = 1;
        tried++;
        /* a new best demotes the old one to "worse": it now brackets the new best from above */
        if (better(r, best)) {
            if (found)
                worse[best_k - GRID_K_MIN] = 1;
            best = r;
            best_k = k;
            found = 1;
            patience = 0;
        } else {
            worse[k - GRID_K_MIN] = 1;
            if (found && ++patience >= SCAN_PATIENCE)
                break;
        }
    }
    /* upward extension while the top of what was tried is the best */
    for (int k = best_k + 1; found && best_k == k - 1 && k <= ceiling && !tested[k - GRID_K_MIN]; k++) {
        long cap = best.iters >= 0 ? best.iters : T;
        run_result r = run_method(O, S, method, pow(10.0, k / 8.0), cap, 1, NULL, 1);
        tested[k - GRID_K_MIN] = 1;
        tried++;
        if (better(r, best)) {
            worse[best_k - GRID_K_MIN] = 1;
            best = r;
            best_k = k;
        } else {
            worse[k - GRID_K_MIN] = 1;
        }
    }
    /* bracketed: some worse value was tried above the best and some below it, so the best is a true interior
     * optimum of the grid and not an artefact of where the grid ends */
    tuned out = {found, best_k, pow(10.0, best_k / 8.0), best.iters, best.final_gap, 0, tried};
    if (found) {
        int above = 0, below = 0;
        for (int k = GRID_K_MIN; k <= GRID_K_MAX; k++) {
            if (tested[k - GRID_K_MIN] && worse[k - GRID_K_MIN]) {
                above |= k > best_k;
                below |= k < best_k;
            }
        }
        above |= ceiling_diverged && best_k == ceiling;
        out.bracketed = above && below;
    }
    return out;
}

/* The scan above stops each run at the target. The best eta must also stay there for the whole run: AdaDelta
 * with a step scale above 1, say, can touch the target and then drift back up or blow up (its steps do not
 * shrink). So the best is rerun for T iterations; if it diverges, or it had reached the target but ends above
 * it, the scan is repeated below it. */
static tuned tune(const objective *O, const starts *S, method_id method, long T)
{
    int ceiling = GRID_K_MAX, ceiling_diverged = 0;
    for (;;) {
        tuned t = tune_below(O, S, method, T, ceiling, ceiling_diverged);
        if (!t.found)
            return t;
        run_result r = run_method(O, S, method, t.eta, T, 0, NULL, 1);
        if (!r.diverged && (t.iters < 0 || r.final_gap <= O->target))
            return t;
        ceiling = t.k - 1;
        ceiling_diverged = 1;
    }
}

/* Iterations to target for comparisons: a run that never reaches it counts as T (brief, section 6). */
static double iters_or_T(const tuned *t, long T) { return t->found && t->iters >= 0 ? (double)t->iters : (double)T; }

/* ==== The end-to-end update rule against the real network ==================================================
 *
 * A balanced depth-N chain (a_k = |w_1| for every scalar layer, so W_{j+1}^T W_{j+1} = W_j W_j^T) is trained by
 * GD on its layers, and beside it the end-to-end rule is iterated on w alone from the same w(0):
 *     w <- w - eta |w|^{2-2/N} ( g + (N-1) (w.g / |w|^2) w ),
 * and plain GD (w <- w - eta g) from the same w(0) as the contrast. The rule is exact for gradient flow;
 * discrete GD on the layers departs from it at first order in eta, so the deviation
 *     dev = max_t |w_net(t) - w_rule(t)| / |w_net(T)|
 * should be small at small eta and grow ~10x when eta grows 10x. */
/* step = |w|^{2-2/N} (g + (N-1) Pr_w g): the direction (times 1/eta) the rule moves w in; N = 1 gives g. */
static void e2e_direction(const double *w, const double *g, size_t d, int N, double *step)
{
    double nw2 = dot(w, w, d);
    if (nw2 == 0.0) { /* Pr_w is undefined at 0, where the rule does not move (for N >= 2) */
        for (size_t j = 0; j < d; j++)
            step[j] = N == 1 ? g[j] : 0.0;
        return;
    }
    double rate = pow(nw2, 1.0 - 1.0 / N); /* |w|^{2-2/N} */
    double proj = (N - 1) * dot(w, g, d) / nw2;
    for (size_t j = 0; j < d; j++)
        step[j] = rate * (g[j] + proj * w[j]);
}

/* The deviations are divided by |w_net(T)|, the size of the solution found, so that they read as "fraction
 * of the answer" whatever the scale of the data; the maximum over t catches a transient departure (the rule
 * leaving the plateau a few steps earlier than the net, say) that the final distance would hide. */
typedef struct {
    double dev_rule, dev_gd; /* max_t deviation from the network, relative to |w_net(T)| */
    long diverged;           /* the step at which a run diverged, or -1 */
    double bad_loss;         /* the loss that showed it                */
} e2e_result;

/* rule_depth = N for the real test; 1 under --control (the rule of a depth-1 model: plain GD). If trace is
 * non-NULL it receives per logged step: gap_net, gap_rule, gap_gd, |w_net - w_rule|, |w_net - w_gd|. */
static e2e_result e2e_compare(const objective *O, const double *first, int N, int rule_depth, double eta, long T,
                              double *trace, long every)
{
    const size_t d = O->data->d;
    double *u = xcalloc(d, sizeof(double)), *wn = xcalloc(d, sizeof(double)), *wr = xcalloc(d, sizeof(double));
    double *wg = xcalloc(d, sizeof(double)), *g = xcalloc(d, sizeof(double)), *step = xcalloc(d, sizeof(double));
    memcpy(u, first, d * sizeof(double));
    double a[MAX_DEPTH];
    for (int k = 0; k < N - 1; k++)
        a[k] = norm(first, d); /* balanced: every scalar layer has the first layer's norm */
    double P = 1.0;
    for (int k = 0; k < N - 1; k++)
        P *= a[k];
    for (size_t j = 0; j < d; j++)
        wn[j] = wr[j] = wg[j] = P * u[j];
    e2e_result res = {0.0, 0.0, -1, 0.0};
    for (long t = 0; t <= T; t++) {
        P = 1.0;
        for (int k = 0; k < N - 1; k++)
            P *= a[k];
        for (size_t j = 0; j < d; j++)
            wn[j] = P * u[j];
        /* distances of the rule and of GD from the network, at the same step t (relative scale applied later) */
        double dr = dist(wn, wr, d), dg = dist(wn, wg, d);
        res.dev_rule = GSL_MAX(res.dev_rule, dr);
        res.dev_gd = GSL_MAX(res.dev_gd, dg);
        /* one GD step on the network's layers (the same chain rule as in run_method: dL/dw_1 = P g,
         * dL/da_k = (w_1 . g) prod_{l != k} a_l), from the loss at the network's current w */
        double Ln = loss_grad(O->data, O->p, wn, g);
        if (suite_diverged(Ln, O->L0, BLOWUP)) {
            res.diverged = t;
            res.bad_loss = Ln;
            break;
        }
        if (t < T) {
            double s = dot(u, g, d), grad_a[MAX_DEPTH];
            for (int k = 0; k < N - 1; k++) {
                double others = 1.0;
                for (int l = 0; l < N - 1; l++)
                    if (l != k)
                        others *= a[l];
                grad_a[k] = s * others;
            }
            for (size_t j = 0; j < d; j++)
                u[j] -= eta * P * g[j];
            for (int k = 0; k < N - 1; k++)
                a[k] -= eta * grad_a[k];
        }
        /* one step of the end-to-end rule on w alone: w <- w - eta |w|^{2-2/N} (g + (N-1) Pr_w g) at ITS w */
        double Lr = loss_grad(O->data, O->p, wr, g);
        if (t < T) {
            e2e_direction(wr, g, d, rule_depth, step);
            for (size_t j = 0; j < d; j++)
                wr[j] -= eta * step[j];
        }
        /* one step of plain GD from the same start: the contrast (the network is not just GD in disguise) */
        double Lg = loss_grad(O->data, O->p, wg, g);
        if (suite_diverged(Lr, O->L0, BLOWUP) || suite_diverged(Lg, O->L0, BLOWUP)) {
            res.diverged = t;
            res.bad_loss = suite_diverged(Lr, O->L0, BLOWUP) ? Lr : Lg;
            break;
        }
        if (t < T)
            for (size_t j = 0; j < d; j++)
                wg[j] -= eta * g[j];
        if (trace != NULL && t % every == 0) {
            double *row = trace + 5 * (t / every);
            row[0] = gap_of(O, Ln);
            row[1] = gap_of(O, Lr);
            row[2] = gap_of(O, Lg);
            row[3] = dr;
            row[4] = dg;
        }
    }
    double scale = norm(wn, d); /* |w_net(T)| */
    res.dev_rule /= scale;
    res.dev_gd /= scale;
    if (trace != NULL)
        for (long k = 0; k <= T / every; k++) {
            trace[5 * k + 3] /= scale;
            trace[5 * k + 4] /= scale;
        }
    free(u); free(wn); free(wr); free(wg); free(g); free(step);
    return res;
}

/* A balanced start's first layer: N(0, 0.05^2/d I) from its own stream. The scalar layers are then set to its
 * norm (e2e_compare, width_span), which makes W_{j+1}^T W_{j+1} = W_j W_j^T hold exactly at t = 0, the
 * hypothesis of the end-to-end theorem. |w(0)| = |w_1|^N is ~2.5e-3 for N = 2 and ~1.25e-4 for N = 3, which is
 * why the depth-3 net first sits on a plateau (figure -e2e). */
static double *balanced_first_layer(uint64_t seed, size_t d)
{
    double *first = xcalloc(d, sizeof(double));
    gsl_rng *r = rng_stream(seed, STREAM_INIT_BALANCED);
    for (size_t j = 0; j < d; j++)
        first[j] = gsl_ran_gaussian(r, INIT_SCALE / sqrt((double)d));
    gsl_rng_free(r);
    return first;
}

/* ==== Width independence ====================================================================================
 *
 * A depth-2 net of hidden width h: W_1 (h x d), W_2 = v^T (1 x h), end-to-end w = W_1^T v (d). With g = grad L(w):
 *     dL/dW_1 = v g^T (h x d),     dL/dv = W_1 g (h).
 * The end-to-end rule depends on N only, so widths 1, 8 and 32 should move w alike. Width 1 starts balanced (as
 * in the end-to-end test); widths 8 and 32 start at random near-zero layers, N(0, 0.05^2/fan-in), which are
 * only approximately balanced and leave the initial plateau at a different time. So we compare a time-shift-free
 * statistic: the iterations from gap <= 1e-1 to gap <= 1e-4 of the initial gap (brief, section 6, check 5).
 * width = 0 means plain GD on w from the width-1 net's w(0) (the contrast). */
/* Why a span and not a comparison at equal times: if two nets follow the same end-to-end dynamics but one
 * leaves the near-zero plateau a few hundred steps later (its random start has a smaller |w(0)| or a worse
 * alignment with -g), their losses at a fixed time differ by the slope times the delay, which on a steep curve
 * can be 5%, while their trajectories after the plateau are the same curve shifted in time. The number of steps
 * from gap 1e-1 to gap 1e-4 is blind to such a shift and measures the speed of the dynamics itself. */
static long width_span(const objective *O, const double *first, int width, uint64_t seed, double eta, long T,
                       double *trace, long every, long *diverged, double *bad_loss)
{
    const size_t d = O->data->d, h = width > 0 ? (size_t)width : 1;
    double *W1 = xcalloc(h * d, sizeof(double)), *v = xcalloc(h, sizeof(double));
    double *w = xcalloc(d, sizeof(double)), *g = xcalloc(d, sizeof(double)), *Wg = xcalloc(h, sizeof(double));
    if (width <= 1) {
        memcpy(W1, first, d * sizeof(double));
        v[0] = norm(first, d);
    } else {
        gsl_rng *r = rng_stream(seed, STREAM_INIT_WIDE + (uint64_t)width);
        for (size_t i = 0; i < h * d; i++)
            W1[i] = gsl_ran_gaussian(r, INIT_SCALE / sqrt((double)d));
        for (size_t k = 0; k < h; k++)
            v[k] = gsl_ran_gaussian(r, INIT_SCALE / sqrt((double)h));
        gsl_rng_free(r);
    }
    for (size_t j = 0; j < d; j++)
        w[j] = v[0] * W1[j]; /* used as the start when width == 0 (plain GD) */
    double gap0 = O->L0 - O->Lstar;
    long t_hi = -1, t_lo = -1;
    *diverged = -1;
    for (long t = 0; t <= T; t++) {
        /* the end-to-end vector w = W_1^T v = sum_k v_k (row k of W_1) */
        if (width > 0) {
            memset(w, 0, d * sizeof(double));
            for (size_t k = 0; k < h; k++)
                for (size_t j = 0; j < d; j++)
                    w[j] += v[k] * W1[k * d + j];
        }
        double loss = loss_grad(O->data, O->p, w, g);
        if (suite_diverged(loss, O->L0, BLOWUP)) {
            *diverged = t;
            *bad_loss = loss;
            break;
        }
        double gap = gap_of(O, loss);
        if (trace != NULL && t % every == 0)
            trace[t / every] = gap;
        if (t_hi < 0 && gap <= 1e-1 * gap0)
            t_hi = t;
        if (t_lo < 0 && gap <= 1e-4 * gap0) {
            t_lo = t;
            if (trace == NULL)
                break;
        }
        if (width == 0) {
            for (size_t j = 0; j < d; j++)
                w[j] -= eta * g[j];
            continue;
        }
        /* dL/dv = W_1 g must use the old W_1, so it is computed before W_1 moves */
        for (size_t k = 0; k < h; k++)
            Wg[k] = dot(W1 + k * d, g, d);
        for (size_t k = 0; k < h; k++)
            for (size_t j = 0; j < d; j++)
                W1[k * d + j] -= eta * v[k] * g[j];
        for (size_t k = 0; k < h; k++)
            v[k] -= eta * Wg[k];
    }
    free(W1); free(v); free(w); free(g); free(Wg);
    return (t_hi >= 0 && t_lo >= 0) ? t_lo - t_hi : -1;
}

/* ==== Not a gradient field: circulation =====================================================================
 *
 * If the end-to-end rule were GD on some L + R (a regularizer R), its field F(w) = |w|^{2-2/N}(g + (N-1) Pr_w g)
 * would be a gradient, and its circulation around every closed loop would vanish (Stokes). We integrate
 *     oint F . dw,   w(theta) = c + rho (cos theta e1 + sin theta e2),  theta in [0, 2 pi),
 * with the trapezoid rule on M = 4000 points (spectrally accurate for a smooth periodic integrand: a gradient
 * field gives ~1e-16), normalized by 2 pi rho max|F| on the loop. Four loops per case (one loop can happen to
 * give a small value): centres c at distance 1 from the origin in random directions, rho = 0.2, in d = 2.
 * Two losses: the l2 loss of a small synthetic data set (g = H w - b), and a linear loss (g constant), where
 * N = 2 is an exception: |w|(g + Pr_w g) = grad(|w| w.g) is a gradient. `stretch` is the factor of Pr_w g:
 * N-1 in the theory; the linear_loss control uses N instead. */
/* The calculus behind the linear-loss exception. With g constant, try a potential Phi(w) = |w|^a (w . g):
 *     grad Phi = |w|^a g + a |w|^{a-2} (w . g) w = |w|^a ( g + a Pr_w g ).
 * The end-to-end field is |w|^{2-2/N} ( g + (N-1) Pr_w g ), so we need a = 2 - 2/N (the rate) and a = N - 1 (the
 * stretch) at once: 2 - 2/N = N - 1 <=> N^2 - 3N + 2 = 0 <=> N = 1 or N = 2. So depth 2 with a linear loss is the
 * gradient of |w| (w . g) (the exception the brief found), depth 1 is the gradient of w . g, and depth 3 needs
 * a = 4/3 and a = 2: no potential of this form exists, and the non-zero circulation shows none of any form does.
 * With the l2 loss g = H w - b depends on w, and the same mismatch appears already at N = 2. By Stokes/Green,
 *     oint F . dw = iint ( dF_2/dw_1 - dF_1/dw_2 ) dA,
 * so a circulation that does not vanish means a non-zero curl somewhere inside the loop, which no gradient has.
 * The control of claim C5 replaces the stretch N-1 by N: then N = 2 needs a = 1 and a = 2, and its circulation
 * stops vanishing -- the check catches a mis-derived rule. */

#define CIRC_LOOPS 4
#define CIRC_POINTS 4000
#define CIRC_RADIUS 0.2

typedef struct {
    double centre[2];
    double value[CIRC_LOOPS];      /* raw circulation            */
    double normalized[CIRC_LOOPS]; /* / (2 pi rho max |F|)       */
} circulation;

/* loss_kind 2: the l2 loss of D (2-D); loss_kind 1: linear loss with constant gradient `gconst`. */
static double circulation_of_loop(const dataset *D, int loss_kind, const double *gconst, int N, double stretch,
                                  const double *centre, double *normalized)
{
    double sum = 0.0, fmax = 0.0, w[2], g[2], F[2];
    for (int i = 0; i < CIRC_POINTS; i++) {
        double th = 2.0 * M_PI * i / CIRC_POINTS;
        w[0] = centre[0] + CIRC_RADIUS * cos(th);
        w[1] = centre[1] + CIRC_RADIUS * sin(th);
        if (loss_kind == 2)
            loss_grad(D, 2, w, g);
        else
            g[0] = gconst[0], g[1] = gconst[1];
        /* F(w) = |w|^{2-2/N} (g + stretch (w.g/|w|^2) w); the loops stay 0.8 away from w = 0, where Pr_w
         * is undefined */
        double nw2 = w[0] * w[0] + w[1] * w[1];
        double rate = pow(nw2, 1.0 - 1.0 / N);
        double proj = stretch * (w[0] * g[0] + w[1] * g[1]) / nw2;
        F[0] = rate * (g[0] + proj * w[0]);
        F[1] = rate * (g[1] + proj * w[1]);
        /* dw/dtheta = rho (-sin, cos); the trapezoid weight of a periodic integrand is 2 pi / M */
        sum += (F[0] * -CIRC_RADIUS * sin(th) + F[1] * CIRC_RADIUS * cos(th)) * (2.0 * M_PI / CIRC_POINTS);
        fmax = GSL_MAX(fmax, sqrt(F[0] * F[0] + F[1] * F[1]));
    }
    *normalized = sum / (2.0 * M_PI * CIRC_RADIUS * fmax);
    return sum;
}

typedef struct {
    dataset data;             /* 2-D l2 task                     */
    double centres[CIRC_LOOPS][2];
    double gconst[2];         /* the linear loss's gradient      */
} circ_setup;

/* The 2-D l2 task (200 examples, rotated anisotropic features as in the main task), four loop centres on the
 * unit circle at random angles, and a random unit gradient for the linear loss, each from its own stream. */
static circ_setup circ_setup_make(uint64_t seed)
{
    circ_setup C;
    C.data = dataset_synthetic(seed, STREAM_CIRC_DATA, 200, 2, 1);
    gsl_rng *r = rng_stream(seed, STREAM_CIRC_LOOPS);
    for (int l = 0; l < CIRC_LOOPS; l++) {
        double phi = 2.0 * M_PI * gsl_rng_uniform(r);
        C.centres[l][0] = cos(phi);
        C.centres[l][1] = sin(phi);
    }
    gsl_rng_free(r);
    r = rng_stream(seed, STREAM_CIRC_LINEAR);
    double phi = 2.0 * M_PI * gsl_rng_uniform(r);
    C.gconst[0] = cos(phi);
    C.gconst[1] = sin(phi);
    gsl_rng_free(r);
    return C;
}

/* The largest |normalized circulation| over the loops, for depth N; rows go to `out` when non-NULL. */
static double max_circulation(const circ_setup *C, int loss_kind, int N, double stretch, tsv *out)
{
    double worst = 0.0;
    for (int l = 0; l < CIRC_LOOPS; l++) {
        double normalized, value = circulation_of_loop(&C->data, loss_kind, C->gconst, N, stretch, C->centres[l],
                                                       &normalized);
        worst = GSL_MAX(worst, fabs(normalized));
        if (out != NULL) {
            double row[8] = {loss_kind, N, l, C->centres[l][0], C->centres[l][1], CIRC_RADIUS, value, normalized};
            tsv_row(out, 8, row);
        }
    }
    return worst;
}

/* ==== Reading --data FILE.csv ===============================================================================
 *
 * Comma-separated numbers, one example per line, the last column the target; lines that are empty or start
 * with '#' are skipped (write a header line as a comment). Every problem is reported in one line naming the
 * file and line, and the program exits 2 before anything is written: a missing file, a ragged row, a field that
 * is not a finite number, fewer rows than features + 1 (the optimum would not be unique), a constant column.
 * Columns are then standardized to mean 0 and variance 1 (departure (a)). */
/* 1 if `text` is one finite number (blanks around it allowed), 0 otherwise. */
static int parse_number(const char *text, double *value)
{
    char *end;
    errno = 0;
    *value = strtod(text, &end);
    while (*end == ' ' || *end == '\t' || *end == '\r')
        end++;
    return end != text && *end == '\0' && errno == 0 && isfinite(*value);
}

/* The one real data set the paper used, UCI "Gas Sensor Array Drift at Different Concentrations" (Ethanol task,
 * 2565 examples x 128 features), comes as libsvm-style text files; convert it to CSV (features, then the
 * concentration) to run it here. Standardizing every column puts its scale where a diagonal method cannot profit
 * from mere units, and makes the eta grid (0.001 .. 10) bracket the best steps, as it does for the synthetic
 * data; the target is standardized too, so L(0) = 1/p mean(z^p) is of order one. The program prints a warning
 * (not an error) when a method's best eta is not bracketed by the grid. */
/* Returns 0 and fills D, or prints one line into `err` and returns -1 (nothing allocated is kept). */
static int dataset_read_csv(const char *path, dataset *D, char *err, size_t err_size)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, err_size, "--data: cannot read '%s': %s", path, strerror(errno));
        return -1;
    }
    size_t cols = 0, rows = 0, cap = 0, line_no = 0, len = 0;
    double *vals = NULL;
    char *line = NULL;
    int status = 0;
    while (status == 0 && getline(&line, &len, f) != -1) {
        line_no++;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '#' || *s == '\n' || *s == '\r' || *s == '\0')
            continue;
        s[strcspn(s, "\r\n")] = '\0';
        /* count the fields first: the first data row fixes the number of columns, every other row must match */
        size_t fields = 1;
        for (const char *q = s; *q; q++)
            fields += *q == ',';
        if (cols == 0) {
            cols = fields;
            if (cols < 2) {
                snprintf(err, err_size, "--data: %s line %zu has 1 comma-separated field; want features, then the target",
                         path, line_no);
                status = -1;
                break;
            }
        } else if (fields != cols) {
            snprintf(err, err_size, "--data: %s line %zu has %zu fields, but the first row has %zu (ragged rows)",
                     path, line_no, fields, cols);
            status = -1;
            break;
        }
        if (rows * cols + cols > cap) {
            cap = 2 * (rows * cols + cols);
            double *grown = realloc(vals, cap * sizeof(double));
            if (grown == NULL) {
                snprintf(err, err_size, "--data: %s is too large to hold in memory", path);
                status = -1;
                break;
            }
            vals = grown;
        }
        /* then parse each field; strtod must consume all of it (surrounding blanks allowed) and give a finite
         * value, so "1e3" and " 2.5 " pass while "abc", "1.2.3", "nan" and "inf" are refused */
        char *field = s;
        for (size_t c = 0; c < cols; c++) {
            char *comma = strchr(field, ',');
            if (comma != NULL)
                *comma = '\0';
            if (!parse_number(field, &vals[rows * cols + c])) {
                snprintf(err, err_size, "--data: %s line %zu field %zu is not a finite number: '%.40s'", path,
                         line_no, c + 1, field);
                status = -1;
                break;
            }
            field = comma != NULL ? comma + 1 : field + strlen(field);
        }
        rows++;
    }
    free(line);
    fclose(f);
    if (status == 0 && rows == 0) {
        snprintf(err, err_size, "--data: %s has no data rows", path);
        status = -1;
    } else if (status == 0 && rows < cols) { /* d = cols - 1 features need m >= d + 1 = cols examples */
        snprintf(err, err_size, "--data: %s has %zu data rows; %zu features need at least %zu", path, rows,
                 cols > 0 ? cols - 1 : 0, cols > 0 ? cols : 2);
        status = -1;
    }
    /* standardize each column (z-scores), refusing a constant one (it would make X^T X singular) */
    if (status == 0) {
        size_t d = cols - 1;
        D->m = rows;
        D->d = d;
        D->X = xcalloc(rows * d, sizeof(double));
        D->y = xcalloc(rows, sizeof(double));
        for (size_t c = 0; c < cols && status == 0; c++) {
            double mean = 0.0, var = 0.0;
            for (size_t i = 0; i < rows; i++)
                mean += vals[i * cols + c];
            mean /= (double)rows;
            for (size_t i = 0; i < rows; i++)
                var += (vals[i * cols + c] - mean) * (vals[i * cols + c] - mean);
            double sd = sqrt(var / (double)rows);
            if (!(sd > 1e-12 * (fabs(mean) + 1e-300))) {
                snprintf(err, err_size, "--data: %s column %zu is constant; drop it", path, c + 1);
                status = -1;
                break;
            }
            for (size_t i = 0; i < rows; i++) {
                double z = (vals[i * cols + c] - mean) / sd;
                if (c < d)
                    D->X[i * d + c] = z;
                else
                    D->y[i] = z;
            }
        }
        if (status != 0)
            dataset_free(D);
    }
    free(vals);
    return status;
}

/* ==== The experiments at --scale, writing the figures' data ================================================= */

/* The three scales. quick (contract test, ~1 s): m = 200, d = 8, T = 4000. default (~5 s): m = 500, d = 16,
 * T = 20000, the configuration the claims were calibrated on. full (minutes, see README): m = 2565, d = 128,
 * the size of the paper's Ethanol task, T = 50000 (the paper ran 1e6 iterations; at ~3000 steps/s for this size
 * a tuned sweep of seven methods at 1e6 would take hours). Options given on the command line win. */
static void apply_scale(const suite_run *run)
{
    static const long m_of[3] = {200, 500, 2565}, d_of[3] = {8, 16, 128}, T_of[3] = {4000, 20000, 50000};
    if (!suite_given(run, &n_examples))
        n_examples = m_of[run->scale];
    if (!suite_given(run, &n_features))
        n_features = d_of[run->scale];
    if (!suite_given(run, &n_iters))
        n_iters = T_of[run->scale];
}

/* --benchmark: full-batch l4 gradient steps per second at the current m, d (the O(m d) work of every method).
 * Every optimizer here spends > 95% of its time in loss_grad, so this rate times T is the cost of one run. For a
 * side-by-side with NumPy (X @ w, X.T @ r**3) see README.md; both are memory-bound matrix-vector products at
 * the full size, and the loop here touches each row of X once per step (the residual and the gradient are
 * accumulated in the same pass, while the row is in cache). Prints one line; writes no file. */
static int run_benchmark(const dataset *D)
{
    double *w = xcalloc(D->d, sizeof(double)), *g = xcalloc(D->d, sizeof(double));
    long steps = 0;
    double start = suite_seconds(), now = start, loss = 0.0;
    while (now - start < 2.0) {
        for (int k = 0; k < 100; k++, steps++) {
            loss = loss_grad(D, 4, w, g);
            for (size_t j = 0; j < D->d; j++)
                w[j] -= 1e-3 * g[j];
        }
        now = suite_seconds();
    }
    printf("benchmark: m = %zu, d = %zu: %.0f l4 gradient steps/s (%.2f GFLOP/s at 4 m d flops a step; "
           "loss after %ld steps of eta = 1e-3: %.6g)\n", D->m, D->d, (double)steps / (now - start),
           4.0 * (double)D->m * (double)D->d * (double)steps / (now - start) * 1e-9, steps, loss);
    free(w); free(g);
    return 0;
}

typedef struct {
    tuned best[M_COUNT];
} tuning_table;

/* Tunes every method on objective O, reruns each at its best eta for T iterations, writes acc_p<p>.tsv. The
 * rerun does not stop at the target, so the curves show each method's whole run, including the floor it
 * settles on (the gap floor 1e-14 L*, or for AdaDelta with a tuned scale sometimes a plateau above it). A
 * method that diverges at every eta down to 1e-7 stops the program (exit 3): no curve is better than a fake one.
 * The untuned AdaDelta (eta = 1) is run once, as published. */
static tuning_table accelerate_figure(const suite_run *run, const objective *O, const starts *S, long T,
                                      progress *bar, double *done)
{
    tuning_table tab;
    long every = T >= 1000 ? T / 1000 : 1, rows = T / every + 1;
    double *traces = xcalloc((size_t)(M_COUNT * rows), sizeof(double));
    for (int m = 0; m < M_COUNT; m++) {
        if (m == M_ADADELTA1) { /* not tuned: eta = 1 (grid index k = 0) */
            run_result r1 = run_method(O, S, M_ADADELTA1, 1.0, T, 1, NULL, 1);
            tuned fixed = {!r1.diverged, 0, 1.0, r1.iters, r1.final_gap, 0, 1};
            tab.best[m] = fixed;
        } else {
            tab.best[m] = tune(O, S, (method_id)m, T);
        }
        if (!tab.best[m].found)
            suite_die(SUITE_EXIT_NUMERIC, "%s diverged (p = %d) at every step size down to 1e-7", method_names[m],
                      O->p);
        if (!tab.best[m].bracketed && m != M_ADADELTA1 && !run->quiet)
            fprintf(stderr, "%s: warning: p = %d, %s: best eta %.3g is not bracketed by worse values\n",
                    suite_program_name(), O->p, method_names[m], tab.best[m].eta);
        run_result r = run_method(O, S, (method_id)m, tab.best[m].eta, T, 0, traces + m * rows, every);
        if (r.diverged) /* cannot happen after tune()'s own full-length rerun; kept as a guard */
            suite_die_diverged(method_names[m], tab.best[m].eta, r.steps, r.final_gap);
        *done += 1.0;
        progress_update(bar, *done);
    }
    char file[32], what[160];
    snprintf(file, sizeof file, "acc_p%d.tsv", O->p);
    snprintf(what, sizeof what, "l%d regression: gap L - L* (L* = %.10g by Newton) per method at its best eta", O->p,
             O->Lstar);
    tsv *out = tsv_create(run, file, what, "iter gap_d1 gap_d2 gap_d3 gap_adagrad gap_adadelta gap_momentum gap_adadelta_eta1");
    for (long r = 0; r < rows; r++) {
        double row[1 + M_COUNT];
        row[0] = (double)(r * every);
        for (int m = 0; m < M_COUNT; m++)
            row[1 + m] = traces[m * rows + r];
        tsv_row(out, 1 + M_COUNT, row);
    }
    tsv_commit(out);
    free(traces);
    return tab;
}

/* --data FILE: read and checked before anything is written, not even the --out folder (suite_main_validated
 * runs this right after the options are parsed). A bad file gets one line naming the file, the line and what
 * is wrong, and exit status 2. */
static dataset user_data;

static int check_data_file(const suite_run *run)
{
    (void)run;
    if (data_path[0] == '\0')
        return 0;
    char err[512];
    if (dataset_read_csv(data_path, &user_data, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", suite_program_name(), err);
        return SUITE_EXIT_USAGE;
    }
    return 0;
}

/* The whole experiment at --scale. It writes, under --out (default data/depth_preconditioner/):
 *   acc_p4.tsv       iter, then the gap L - L* of GD depth 1, depth 2, depth 3, AdaGrad, AdaDelta, heavy-ball and
 *                    untuned AdaDelta, each at its own best eta; logged every T/1000 steps   (figure -l4)
 *   acc_p2.tsv       the same for the l2 loss                                             (figures -l2, -l2_zoom)
 *   best_eta.tsv     per method: best eta, iterations to target (T if never), whether it was reached, whether
 *                    the best is bracketed, the final gap, the runs the scan needed; index 0 p = 4, 1 p = 2
 *                                                                                          (figure -iters)
 *   optimum.tsv      p, L(0), L* and |grad L| at Newton's optimum, Newton steps
 *   e2e_check.tsv    balanced depth-N net, end-to-end rule, plain GD: gaps and distances; index 0 N = 2,
 *                    index 1 N = 3                                                         (figure -e2e)
 *   width.tsv        gaps of depth-2 nets of width 1, 8, 32 and of plain GD               (figure -width)
 *   circulation.tsv  the circulation of every loop, loss and depth (claims C4, C5; no figure)
 * Order of work: tune and trace every method for p = 4 and p = 2 (most of the time), then the end-to-end and
 * width runs at fractions of the best depth-2 eta, then the circulation integrals (milliseconds). */
static int run_experiments(const suite_run *run)
{
    /* A --data file was read and checked by check_data_file before anything was written. */
    dataset D = user_data;
    int real = data_path[0] != '\0';
    apply_scale(run);
    if (!real)
        D = dataset_synthetic(run->seed, STREAM_DATA, (size_t)n_examples, (size_t)n_features, !axis_aligned);
    if (benchmark) {
        int status = run_benchmark(&D);
        dataset_free(&D);
        return status; /* no file written, so no folder left behind (suite.h) */
    }
    const long T = n_iters;
    progress bar;
    double done = 0.0;
    progress_start(&bar, "depth_preconditioner", 2.0 * M_COUNT + 3.0, run->quiet);

    /* (1) Fig. F1 and its l2 twin: every method at its best eta, p = 4 and p = 2. Both losses share the data
     * set and the deep nets' starting points, so the two figures differ in the loss alone. */
    starts S = starts_make(run->seed, D.d);
    objective O[2];
    tuning_table tab[2];
    const int ps[2] = {4, 2};
    for (int q = 0; q < 2; q++) {
        objective_init(&O[q], &D, ps[q]);
        tab[q] = accelerate_figure(run, &O[q], &S, T, &bar, &done);
    }
    tsv *out = tsv_create(run, "best_eta.tsv",
                          "each method's best eta (grid 10^{k/8}) and iterations to gap <= 1e-6 (L0 - L*); "
                          "index 0: p = 4, index 1: p = 2; iters = T when not reached",
                          "index method eta iters reached bracketed final_gap runs");
    for (int q = 0; q < 2; q++) {
        for (int m = 0; m < M_COUNT; m++) {
            const tuned *t = &tab[q].best[m];
            tsv_printf(out, "%d %s %.10g %.0f %d %d %.10g %d\n", m, method_names[m], t->eta, iters_or_T(t, T),
                       t->iters >= 0, t->bracketed, t->final_gap, t->tried);
        }
        if (q == 0)
            tsv_block(out);
    }
    tsv_commit(out);
    out = tsv_create(run, "optimum.tsv", "the exact optimum by Newton's method with a Cholesky solve",
                     "p L0 Lstar grad_norm_at_optimum newton_steps");
    for (int q = 0; q < 2; q++) {
        double row[5] = {O[q].p, O[q].L0, O[q].Lstar, O[q].gnorm, O[q].newton_its};
        tsv_row(out, 5, row);
    }
    tsv_commit(out);

    /* (2) the end-to-end rule against the real network (p = 4), N = 2 and N = 3, eta = 0.01 x best depth-2 eta.
     * The same eta for both depths, so the N = 3 panel also shows the longer plateau of the deeper net. */
    const objective *O4 = &O[0];
    double eta_e2e = 0.01 * tab[0].best[M_DEPTH2].eta;
    long every = T >= 1000 ? T / 1000 : 1, rows = T / every + 1;
    double *trace = xcalloc((size_t)(5 * rows), sizeof(double));
    double *first = balanced_first_layer(run->seed, D.d);
    char what[200];
    snprintf(what, sizeof what, "balanced depth-N net vs end-to-end rule vs plain GD from the same w(0), l4, "
             "eta = %.6g; dev = |w_net - w| / |w_net(T)|; index 0: N = 2, index 1: N = 3", eta_e2e);
    out = tsv_create(run, "e2e_check.tsv", what, "iter gap_net gap_e2e gap_gd dev_e2e dev_gd");
    for (int N = 2; N <= 3; N++) {
        e2e_result r = e2e_compare(O4, first, N, N, eta_e2e, T, trace, every);
        if (r.diverged >= 0)
            suite_die_diverged("end-to-end comparison", eta_e2e, r.diverged, r.bad_loss);
        for (long k = 0; k < rows; k++) {
            double row[6] = {(double)(k * every), trace[5 * k], trace[5 * k + 1], trace[5 * k + 2],
                             trace[5 * k + 3], trace[5 * k + 4]};
            tsv_row(out, 6, row);
        }
        if (N == 2)
            tsv_block(out);
    }
    tsv_commit(out);
    done += 1.0;
    progress_update(&bar, done);

    /* (3) width independence: depth 2 at widths 1, 8, 32 and plain GD, eta = 0.1 x best depth-2 eta; the spans
     * (iterations from gap 1e-1 to 1e-4 of the initial) go into the header of width.tsv */
    double eta_w = 0.1 * tab[0].best[M_DEPTH2].eta;
    const int widths[4] = {1, 8, 32, 0};
    long spans[4];
    for (int k = 0; k < 4; k++) {
        long diverged;
        double bad_loss = 0.0;
        spans[k] = width_span(O4, first, widths[k], run->seed, eta_w, T, trace + k * rows, every, &diverged,
                              &bad_loss);
        if (diverged >= 0)
            suite_die_diverged(widths[k] ? "width experiment (depth-2 net)" : "width experiment (plain GD)", eta_w,
                               diverged, bad_loss);
    }
    snprintf(what, sizeof what, "depth-2 nets of width 1 (balanced), 8, 32 (random) and plain GD, l4, eta = %.6g; "
             "iterations from gap 1e-1 to 1e-4 of the initial: %ld %ld %ld %ld (-1: not reached)",
             eta_w, spans[0], spans[1], spans[2], spans[3]);
    out = tsv_create(run, "width.tsv", what, "iter gap_width1 gap_width8 gap_width32 gap_gd");
    for (long k = 0; k < rows; k++) {
        double row[5] = {(double)(k * every), trace[k], trace[rows + k], trace[2 * rows + k], trace[3 * rows + k]};
        tsv_row(out, 5, row);
    }
    tsv_commit(out);
    done += 1.0;
    progress_update(&bar, done);

    /* (4) circulation of the end-to-end field, l2 loss (loss = 2) and linear loss (loss = 1), N = 1, 2, 3, four
     * loops each: 24 rows, the numbers behind claims C4 and C5 */
    circ_setup C = circ_setup_make(run->seed);
    out = tsv_create(run, "circulation.tsv",
                     "circulation of |w|^{2-2/N}(g + (N-1) Pr_w g) around circles in d = 2 (trapezoid, 4000 points); "
                     "normalized = circulation / (2 pi radius max|F|); loss 2 = l2, 1 = linear",
                     "loss N loop centre_x centre_y radius circulation normalized");
    for (int kind = 2; kind >= 1; kind--)
        for (int N = 1; N <= 3; N++)
            max_circulation(&C, kind, N, N - 1, out);
    tsv_commit(out);
    dataset_free(&C.data);
    done += 1.0;
    progress_update(&bar, done);
    progress_end(&bar);

    if (!run->quiet) {
        for (int q = 0; q < 2; q++)
            for (int m = 0; m < M_COUNT; m++)
                printf("p = %d  %-13s %s eta %-9.4g iterations to target %s%.0f\n", ps[q], method_names[m],
                       m == M_ADADELTA1 ? "fixed" : "best ", tab[q].best[m].eta, tab[q].best[m].iters >= 0 ? "" : "> ",
                       iters_or_T(&tab[q].best[m], T));
        printf("width: iterations from gap 1e-1 to 1e-4: width 1 %ld, width 8 %ld, width 32 %ld, plain GD %ld\n",
               spans[0], spans[1], spans[2], spans[3]);
    }
    free(trace); free(first);
    starts_free(&S);
    dataset_free(&D);
    return 0;
}

/* ==== Claims =================================================================================================
 *
 * Each claim is a contrast with a control that removes the effect (registered as <paper>.<claim>.control, which
 * must FAIL):
 *   accel_l4         depth 2 vs depth 1 on l4, each tuned     control: the same on l2 (no speed-up, so <= 0.6 fails)
 *   no_accel_l2      depth 2 vs depth 1 on l2                 control: the same on l4 (a speed-up, so >= 0.85 fails)
 *   end_to_end       network vs the N = 2 rule vs plain GD    control: the N = 1 rule (plain GD) in place of N = 2
 *   nonconservative  circulation for N = 1, 2, 3 (l2 loss)   control: the N = 1 field in place of N = 2 and 3
 *   linear_loss      circulation for N = 2, 3 (linear loss)  control: stretch N instead of N-1 (mis-derived rule)
 *   width            widths 1, 8, 32 and plain GD             control: plain GD in place of widths 8 and 32
 * The thresholds come from the brief's calibration on prototypes (section 6 there) and were checked here on
 * seeds 1-5 (observed ranges in README.md); none was moved to make a seed pass.
 *
 * Every claim runs the calibrated reduced configuration (m = 500, d = 16, T = 20000, synthetic data at
 * --seed), whatever --scale, --examples, --features, --iters or --data say: the thresholds belong to it. */
#define CLAIM_M 500
#define CLAIM_D 16
#define CLAIM_T 20000

typedef struct {
    dataset data;
    starts init;
    objective obj;
} claim_setup;

static void claim_setup_make(claim_setup *s, uint64_t seed, int p)
{
    s->data = dataset_synthetic(seed, STREAM_DATA, CLAIM_M, CLAIM_D, 1);
    s->init = starts_make(seed, CLAIM_D);
    objective_init(&s->obj, &s->data, p);
}

static void claim_setup_free(claim_setup *s)
{
    starts_free(&s->init);
    dataset_free(&s->data);
}

/* C1 and C2: depth-2 / depth-1 iterations to target, each tuned on its own; both bests must be bracketed.
 * A depth-1 run that never reaches the target counts as T = 20000, which can only make the l4 ratio look
 * *worse* for depth 2 if depth 2 also fails (ratio 1), so the convention cannot manufacture a speed-up.
 * The bracket checks guard against the commonest fake: a baseline whose best eta lies off the grid. */
static double depth_ratio(claim_ctx *c, int p)
{
    claim_setup s;
    claim_setup_make(&s, c->seed, p);
    tuned d1 = tune(&s.obj, &s.init, M_GD, CLAIM_T), d2 = tune(&s.obj, &s.init, M_DEPTH2, CLAIM_T);
    claim_setup_free(&s);
    char label[96];
    snprintf(label, sizeof label, "p = %d: depth-1 best eta %.3g bracketed (1 = yes)", p, d1.eta);
    claim_check(c, label, d1.bracketed, CLAIM_GE, 1);
    snprintf(label, sizeof label, "p = %d: depth-2 best eta %.3g bracketed (1 = yes)", p, d2.eta);
    claim_check(c, label, d2.bracketed, CLAIM_GE, 1);
    if (!c->quiet)
        printf("  p = %d: iterations to target: depth 1 %.0f, depth 2 %.0f (T = %d)\n", p, iters_or_T(&d1, CLAIM_T),
               iters_or_T(&d2, CLAIM_T), CLAIM_T);
    return iters_or_T(&d2, CLAIM_T) / iters_or_T(&d1, CLAIM_T);
}

static void claim_accel_l4(claim_ctx *c)
{
    int p = c->control ? 2 : 4;
    double ratio = depth_ratio(c, p);
    char label[80];
    snprintf(label, sizeof label, "p = %d: iters(depth 2) / iters(depth 1)", p);
    claim_check(c, label, ratio, CLAIM_LE, 0.6);
}

static void claim_no_accel_l2(claim_ctx *c)
{
    int p = c->control ? 4 : 2;
    double ratio = depth_ratio(c, p);
    char label[80];
    snprintf(label, sizeof label, "p = %d: iters(depth 2) / iters(depth 1)", p);
    claim_check(c, label, ratio, CLAIM_GE, 0.85);
}

/* C3: the discrete end-to-end rule tracks the balanced depth-2 network; plain GD does not. eta is 0.01 x the
 * best depth-2 eta: the rule describes gradient *flow*, and GD on the layers departs from it by O(eta) per unit
 * time, so at a small step the two must agree closely (observed 5e-3 .. 9e-3 of |w_net(T)|), while plain GD from
 * the same start, which lacks the preconditioner, ends up ~0.3 away. The third check runs 10x the step and
 * asks for a clearly larger deviation (observed ~8.5x): an error that did not grow with eta would point to a
 * bug (a wrong rule that happens to stay close), not to discretization. */
static void claim_end_to_end(claim_ctx *c)
{
    claim_setup s;
    claim_setup_make(&s, c->seed, 4);
    tuned d2 = tune(&s.obj, &s.init, M_DEPTH2, CLAIM_T);
    double *first = balanced_first_layer(c->seed, CLAIM_D);
    int rule = c->control ? 1 : 2;
    e2e_result small = e2e_compare(&s.obj, first, 2, rule, 0.01 * d2.eta, CLAIM_T, NULL, 1);
    e2e_result large = e2e_compare(&s.obj, first, 2, rule, 0.1 * d2.eta, CLAIM_T, NULL, 1);
    free(first);
    claim_setup_free(&s);
    if (small.diverged >= 0 || large.diverged >= 0) {
        claim_fail(c, "a run diverged (eta = %.3g or 10x that)", 0.01 * d2.eta);
        return;
    }
    claim_check(c, "eta = 0.01 eta*: max_t |w_net - w_rule| / |w_net(T)|", small.dev_rule, CLAIM_LE, 2e-2);
    claim_check(c, "eta = 0.01 eta*: max_t |w_net - w_gd| / |w_net(T)| (contrast)", small.dev_gd, CLAIM_GE, 0.2);
    claim_check(c, "deviation at 10x eta / deviation at eta (first order in eta)", large.dev_rule / small.dev_rule,
                CLAIM_GE, 3.0);
}

/* C4: the end-to-end field of the l2 loss is a gradient for N = 1 only. N = 1 is plain GD's field g = H w - b,
 * a gradient, so its circulation is rounding (~1e-16); N = 2 and 3 give 1e-2 .. 2e-1 of 2 pi rho max|F|. The
 * threshold 1e-10 sits seven decades above the rounding level and seven below the effect. */
static void claim_nonconservative(claim_ctx *c)
{
    circ_setup C = circ_setup_make(c->seed);
    double n1 = max_circulation(&C, 2, 1, 0.0, NULL);
    int deep2 = c->control ? 1 : 2, deep3 = c->control ? 1 : 3;
    double n2 = max_circulation(&C, 2, deep2, deep2 - 1, NULL), n3 = max_circulation(&C, 2, deep3, deep3 - 1, NULL);
    dataset_free(&C.data);
    claim_check(c, "l2 loss, N = 1: max |normalized circulation| over 4 loops", n1, CLAIM_LE, 1e-10);
    claim_check(c, "l2 loss, N = 2: max |normalized circulation| over 4 loops", n2, CLAIM_GE, 1e-3);
    claim_check(c, "l2 loss, N = 3: max |normalized circulation| over 4 loops", n3, CLAIM_GE, 1e-3);
}

/* C5: with a linear loss, depth 2 is conservative (grad of |w| w.g) and depth 3 is not. This is the
 * theorem's boundary: it is stated for N > 2, and here is why N = 2 must be excluded in general. */
static void claim_linear_loss(claim_ctx *c)
{
    circ_setup C = circ_setup_make(c->seed);
    double stretch2 = c->control ? 2.0 : 1.0; /* control: a mis-derived rule with factor N instead of N-1 */
    double n2 = max_circulation(&C, 1, 2, stretch2, NULL), n3 = max_circulation(&C, 1, 3, 2.0, NULL);
    dataset_free(&C.data);
    claim_check(c, "linear loss, N = 2: max |normalized circulation| over 4 loops", n2, CLAIM_LE, 1e-10);
    claim_check(c, "linear loss, N = 3: max |normalized circulation| over 4 loops", n3, CLAIM_GE, 1e-3);
}

/* C6: the same dynamics at hidden widths 1, 8 and 32. eta = 0.1 x the best depth-2 eta keeps all nets well
 * inside their stability region (a width-32 net at a random start is not exactly balanced). The statistic is
 * the span from gap 1e-1 to gap 1e-4 (see width_span); plain GD from the same start is the contrast that shows
 * the statistic can tell different dynamics apart (observed 2.6 .. 3.0x slower). */
static void claim_width(claim_ctx *c)
{
    claim_setup s;
    claim_setup_make(&s, c->seed, 4);
    tuned d2 = tune(&s.obj, &s.init, M_DEPTH2, CLAIM_T);
    double eta = 0.1 * d2.eta;
    double *first = balanced_first_layer(c->seed, CLAIM_D);
    /* control: plain GD (depth 1) in place of the wide depth-2 nets */
    const int widths[4] = {1, c->control ? 0 : 8, c->control ? 0 : 32, 0};
    long span[4];
    int bad = 0;
    for (int k = 0; k < 4; k++) {
        long diverged;
        double bad_loss;
        span[k] = width_span(&s.obj, first, widths[k], c->seed, eta, CLAIM_T, NULL, 1, &diverged, &bad_loss);
        bad |= diverged >= 0 || span[k] <= 0;
    }
    free(first);
    claim_setup_free(&s);
    if (bad) {
        claim_fail(c, "a run diverged or did not reach gap 1e-4 (spans %ld %ld %ld %ld)", span[0], span[1], span[2],
                   span[3]);
        return;
    }
    if (!c->quiet)
        printf("  iterations from gap 1e-1 to 1e-4: width 1 %ld, width 8 %ld, width 32 %ld, plain GD %ld\n", span[0],
               span[1], span[2], span[3]);
    double s1 = (double)span[0];
    claim_check(c, "|span(width 8) - span(width 1)| / span(width 1)", fabs((double)span[1] - s1) / s1, CLAIM_LE, 0.10);
    claim_check(c, "|span(width 32) - span(width 1)| / span(width 1)", fabs((double)span[2] - s1) / s1, CLAIM_LE,
                0.10);
    claim_check(c, "span(plain GD) / span(width 1) (contrast)", (double)span[3] / s1, CLAIM_GE, 2.0);
}

static const suite_claim claims[] = {
    {"accel_l4", "l4 regression: depth 2 needs <= 0.6x the iterations of depth 1, each at its best step",
     claim_accel_l4, "the l2 loss in place of l4"},
    {"no_accel_l2", "l2 regression: depth 2 gives no speed-up over depth 1 (ratio >= 0.85), each at its best step",
     claim_no_accel_l2, "the l4 loss in place of l2"},
    {"end_to_end", "the discrete end-to-end rule tracks the balanced depth-2 net (<= 2e-2); plain GD does not (>= 0.2)",
     claim_end_to_end, "the depth-1 rule (plain GD) in place of the depth-2 rule"},
    {"nonconservative", "the end-to-end field of the l2 loss has zero circulation for N = 1, non-zero for N = 2, 3",
     claim_nonconservative, "the depth-1 field in place of depths 2 and 3"},
    {"linear_loss", "linear loss: the N = 2 field is a gradient (circulation ~0), the N = 3 field is not",
     claim_linear_loss, "factor N instead of N-1 on Pr_w g (a mis-derived rule)"},
    {"width", "depth-2 nets of width 8 and 32 converge like width 1 (within 10%); plain GD takes >= 2x as long",
     claim_width, "plain GD in place of the wide depth-2 nets"},
    {0},
};

static const suite_program program = {
    "depth_preconditioner",
    "Arora, Cohen & Hazan, On the Optimization of Deep Networks: Implicit Acceleration by Overparameterization, "
    "ICML 2018, arXiv:1802.06509",
    "depth as a preconditioner: l4 vs l2 regression, each optimizer at its best step; end-to-end rule; circulation",
    options,
    claims,
    run_experiments,
};

int main(int argc, char **argv) { return suite_main_validated(&program, check_data_file, argc, argv); }
