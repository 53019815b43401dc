/* trend_filter.c -- Kronecker trend filtering on lattices: the operator, the certificate, an exact
 * interior-point solver, the Kronecker eigenbasis and an independent dual check (see trend_filter.h).
 * The sections follow the math in order; each opens with the equations it implements. */
#include "trend_filter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

#include "vec.h"

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

static const double PI = 3.14159265358979323846;


/* Builds the lattice of side N in d dimensions for order k. Shapes: n = N^d nodes; Delta is stored as d
 * blocks of n rows (a n + p), of which m = d N^(d-1) (N-k-1) exist. Example: d = 2, N = 4, k = 0 gives
 * n = 16 nodes and m = 2 * 4 * 3 = 24 first differences (12 vertical, 12 horizontal edges of the grid). */
tf_lattice tf_lattice_make(int d, size_t N, int k)
{
    tf_lattice L = {0};
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

void tf_lattice_free(tf_lattice *L) { free(L->valid); }

/* Both operators below cost (k+2) m multiply-adds and never form a matrix: Delta is applied "matrix-free",
 * axis by axis, as a (k+1)-th difference along the lines of that axis (stride_a apart in memory). */
/* z = Delta x  (x: n, z: d n). */
void tf_delta(const tf_lattice *L, const double *x, double *z)
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
void tf_delta_t(const tf_lattice *L, const double *u, double *x)
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


/* Why the bandwidth is (k+1) stride_0: entry (q, q') of Delta^T W Delta is non-zero only if some row of
 * Delta touches both nodes, i.e. q' - q = j stride_a with |j| <= k+1 for one axis a; the largest such
 * offset is (k+1) stride_0 = (k+1) N^(d-1). For d = 1 the matrix is (2k+3)-diagonal, and the whole Newton
 * step is O(n): this is the "specialized fast path" for 1-D trend filtering, obtained for free. */
/* M = I + Delta^T diag(w) Delta, assembled row by row of Delta: row (a, p) adds w c_i c_j at the node pair
 * (p + i s_a, p + j s_a). Half-bandwidth (k+1) stride_0 = (k+1) N^(d-1). */
static void newton_matrix(const tf_lattice *L, const double *w, band_matrix *M)
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

/* The same in long double (d = 1). The weights W stay doubles (a relative error in a weight only perturbs
 * the weight), but the SUMS W_r c_i c_j + W_r' c_i' c_j' + 1 are formed in extended precision, so that the
 * identity survives next to weights of 1e17 and D^T W D keeps its exact null space (the polynomials of
 * degree <= k) to 5e-20 instead of 1e-16 relative. Without it, n = 1e6 stalls at a relative gap of 1e-7. */
static void newton_matrix_ld(const tf_lattice *L, const double *w, band_matrix_ld *M)
{
    memset(M->a, 0, M->n * (M->b + 1) * sizeof *M->a);
    for (size_t i = 0; i < M->n; i++)
        band_ld_row(M, i)[i] = 1;
    for (size_t p = 0; p < L->n; p++) {
        if (!L->valid[p] || w[p] == 0)
            continue;
        for (int i = 0; i <= L->k + 1; i++) {
            long double *row = band_ld_row(M, p + (size_t)i);
            for (int j = 0; j <= i; j++)
                row[p + (size_t)j] += (long double)w[p] * L->tap[i] * L->tap[j];
        }
    }
}

/* ======================================================================================================
 * 2. The certificate: a dual point, the primal point it certifies, and the duality gap.
 *
 * Dual of (KTF):  max_{|u_i| <= lambda} D(u) = 1/2||y||^2 - 1/2||y - Delta^T u||^2. For a feasible u put
 * theta_u = y - Delta^T u and z = Delta theta_u; then P(theta_u) - D(u) = lambda ||z||_1 - u^T z
 * = sum_i (lambda |z_i| - u_i z_i): a sum of non-negative terms, so it is computed without cancellation.
 * P is 1-strongly convex, hence 1/2 ||theta_u - theta_hat||^2 <= gap: a small gap *proves* theta_u accurate.
 * The KKT conditions behind it: theta = y - Delta^T u, |u_i| <= lambda, u_i = lambda sign(z_i) where z_i != 0.
 * ====================================================================================================== */


/* u is clipped to the box in place; theta gets theta_u; z (d n) is workspace. Returns the gap; *primal gets P. */
/* Why clip: the interior-point multipliers satisfy |alpha - beta| <= lambda only in the limit; projecting
 * onto the box makes u exactly feasible, so the gap below is a valid bound whatever the iterate. */
double tf_certify(const tf_lattice *L, const double *y, double lambda, double *u, double *theta, double *z,
                      double *primal)
{
    size_t mm = (size_t)L->d * L->n;
    for (size_t r = 0; r < mm; r++)
        u[r] = L->valid[r] ? fmax(-lambda, fmin(lambda, u[r])) : 0;
    tf_delta_t(L, u, theta);
    double fit = 0, l1 = 0, gap = 0;
    for (size_t i = 0; i < L->n; i++) {
        fit += theta[i] * theta[i]; /* ||Delta^T u||^2 = ||y - theta_u||^2 */
        theta[i] = y[i] - theta[i];
    }
    tf_delta(L, theta, z);
    for (size_t r = 0; r < mm; r++) {
        l1 += fabs(z[r]);
        gap += lambda * fabs(z[r]) - u[r] * z[r];
    }
    if (primal)
        *primal = 0.5 * fit + lambda * l1;
    return gap;
}

/* P(theta) = 1/2||y - theta||^2 + lambda ||Delta theta||_1  (z: d n workspace). */
double tf_primal(const tf_lattice *L, const double *y, double lambda, const double *theta, double *z)
{
    size_t mm = (size_t)L->d * L->n;
    tf_delta(L, theta, z);
    double l1 = 0;
    for (size_t r = 0; r < mm; r++)
        l1 += fabs(z[r]);
    double d2 = vec_dist(y, theta, L->n);
    return 0.5 * d2 * d2 + lambda * l1;
}

/* D(u) = 1/2||y||^2 - 1/2||y - Delta^T u||^2 = (Delta^T u)^T (y - Delta^T u / 2)  (x: n workspace). */
double tf_dual(const tf_lattice *L, const double *y, const double *u, double *x)
{
    tf_delta_t(L, u, x);
    double s = 0;
    for (size_t i = 0; i < L->n; i++)
        s += x[i] * (y[i] - 0.5 * x[i]);
    return s;
}

/* ======================================================================================================
 * 3. The exact solver: a primal-dual interior-point method (Boyd & Vandenberghe 2004, sec. 11.7; the d = 1
 *    case is Kim, Koh, Boyd & Gorinevsky's l1 trend filtering, SIAM Review 2009).
 *
 * Write (KTF) as  min 1/2||y - theta||^2 + lambda 1^T t  subject to  -t <= Delta theta <= t,  with
 * multipliers alpha, beta >= 0 for the two sides. The KKT conditions, perturbed by 1/tau, read
 *     theta - y + Delta^T (alpha - beta) = 0,   lambda - alpha - beta = 0,
 *     alpha (t - z) = 1/tau,   beta (t + z) = 1/tau,        z = Delta theta,
 * so u = alpha - beta is the dual variable of section 2. Newton's method on them, after eliminating
 * dt, dalpha and dbeta row by row (g1 = t - z, g2 = t + z, a = alpha/g1, b = beta/g2), leaves one system
 *     (I + Delta^T W Delta) dtheta = -r_theta - Delta^T h,   W = 4ab/(a+b),
 *     c = -r_t - r_alpha/g1 - r_beta/g2,  h = -r_alpha/g1 + r_beta/g2 - (a-b) c/(a+b),
 * and then dt = (c + (a-b) dz)/(a+b), dalpha = (-r_alpha - alpha (dt - dz))/g1, dbeta = (-r_beta - beta
 * (dt + dz))/g2. W is large on rows where Delta theta = 0 (both constraints tight) and small where a knot
 * sits: the matrix is the banded one of banded.h. The target 1/tau is set by Mehrotra's predictor-corrector
 * rule (below), and a fraction-to-the-boundary step keeps the iterates strictly feasible.
 * Every iteration also certifies u = clip(alpha - beta) (section 2); the loop stops on that gap.
 * ====================================================================================================== */

/* Workspace of the interior-point method, allocated once per lattice and reused by every solve (an oracle
 * search makes a dozen solves on the same lattice): n-vectors for theta and its step, d n-vectors for the
 * slack t, the multipliers alpha, beta, the Newton weights and their steps, and the band matrix. */

/* The band is capped at n - 1 (tiny lattices); every array is zeroed, so rows that do not exist stay 0. */
tf_work tf_work_alloc(const tf_lattice *L)
{
    tf_work W = {0};
    W.n = L->n;
    W.mm = (size_t)L->d * L->n;
    /* d = 1: the band is (k+1) wide, and the extended-precision factorization costs nothing noticeable. */
    if (L->d == 1)
        W.X = band_ld_alloc(L->n, (size_t)(L->k + 1));
    else
        W.M = band_alloc(L->n, (size_t)(L->k + 1) * L->stride[0]);
    double **nvec[] = {&W.theta, &W.rth, &W.dth, &W.cert, &W.nth};
    for (size_t i = 0; i < sizeof nvec / sizeof *nvec; i++)
        *nvec[i] = suite_calloc(W.n, sizeof(double));
    double **mvec[] = {&W.t, &W.al, &W.be, &W.z, &W.g1, &W.g2, &W.w, &W.h, &W.c, &W.dt, &W.dal, &W.dbe, &W.dz,
                       &W.u, &W.nt, &W.nal, &W.nbe, &W.tmp};
    for (size_t i = 0; i < sizeof mvec / sizeof *mvec; i++)
        *mvec[i] = suite_calloc(W.mm, sizeof(double));
    return W;
}

void tf_work_free(tf_work *W)
{
    band_ld_free(&W->X);
    double *all[] = {W->M.a, W->theta, W->rth, W->dth, W->cert, W->tmp, W->nth, W->t, W->al, W->be, W->z,
                     W->g1, W->g2, W->w, W->h, W->c, W->dt, W->dal, W->dbe, W->dz, W->u, W->nt, W->nal, W->nbe};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

/* One Newton direction with the current factorization, for complementarity residuals ra = alpha g1 - target,
 * rb = beta g2 - target (section 3's elimination). Fills dth, dz, dt, dal, dbe; returns the largest step in
 * (0, 1] that keeps alpha, beta, g1 = t - z, g2 = t + z non-negative. */
/* The elimination, row by row (each row r of Delta has its own t_r, alpha_r, beta_r, so everything but
 * dtheta is a 2 x 2 or 3 x 3 local solve): from the linearized complementarity,
 *     dalpha = (-r_alpha - alpha (dt - dz)) / g1,   dbeta = (-r_beta - beta (dt + dz)) / g2,
 * and from dalpha + dbeta = r_t follows dt as a function of dz = Delta dtheta. Substituting into the
 * stationarity row dtheta + Delta^T (dalpha - dbeta) = -r_theta leaves the n x n system for dtheta alone. */
static double newton_direction(const tf_lattice *L, const double *rt, const double *ra, const double *rb, tf_work *W)
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
    tf_delta_t(L, W->h, W->dth);
    for (size_t i = 0; i < W->n; i++)
        W->dth[i] = -W->rth[i] - W->dth[i];
    if (W->X.a)
        band_ld_solve(&W->X, W->dth);
    else
        band_solve(&W->M, W->dth);
    tf_delta(L, W->dth, W->dz);
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
tf_info tf_solve(const tf_lattice *L, const double *y, double lambda, double rel_tol, long max_iter,
                         double *theta, double *u_out, double *trace, tf_work *W)
{
    size_t n = L->n, mm = W->mm;
    double two_m = 2.0 * (double)L->m;
    /* info.gap stays infinite until the first certificate; every later one is compared with the best. */
    tf_info info = {INFINITY, 0, 0};
    double *rt = W->nt, *ra = W->nal, *rb = W->nbe; /* residual storage (the n* arrays are free here) */
    /* Interior-point methods need a strictly feasible start (g1, g2, alpha, beta > 0), not a good one.
     * Cold start: theta = y, t = |Delta y| plus a margin, alpha = beta = lambda/2 (lambda - alpha - beta = 0).
     * Warm start (W->warm = kappa > 0 and a previous solve on W): theta = the previous final iterate, u = its
     * multiplier alpha - beta rescaled by lambda / lambda_prev and pulled into |u| <= (1 - kappa/2) lambda,
     * alpha = (lambda + u)/2, beta = (lambda - u)/2, and the margin of t shrunk by kappa: a point near the
     * new central path with a smaller barrier parameter (kappa = 1 is as far from the boundary as cold). */
    int warm = W->warm > 0 && W->lambda_last > 0;
    if (!warm)
        memcpy(W->theta, y, n * sizeof *y);
    tf_delta(L, W->theta, W->z);
    double zmax = 0;
    for (size_t r = 0; r < mm; r++)
        zmax = fmax(zmax, fabs(W->z[r]));
    double margin = fmax(zmax, 1e-3 * lambda) * 0.1 * (warm ? W->warm : 1);
    double ucap = (1 - 0.5 * fmin(W->warm, 1)) * lambda, scale = warm ? lambda / W->lambda_last : 0;
    for (size_t r = 0; r < mm; r++) {
        double u = warm ? fmax(-ucap, fmin(ucap, (W->al[r] - W->be[r]) * scale)) : 0;
        W->t[r] = L->valid[r] ? 1.1 * fabs(W->z[r]) + margin : 0;
        W->al[r] = L->valid[r] ? (lambda + u) / 2 : 0;
        W->be[r] = L->valid[r] ? (lambda - u) / 2 : 0;
    }
    W->lambda_last = lambda;
    double best_rel = INFINITY;
    for (long it = 0;; it++) {
        /* The certificate of the current dual iterate (section 2); keep the best one seen. */
        for (size_t r = 0; r < mm; r++)
            W->u[r] = W->al[r] - W->be[r];
        double primal, gap = tf_certify(L, y, lambda, W->u, W->cert, W->tmp, &primal);
        /* The primal iterate itself is often the better primal point (theta_u = y - Delta^T u amplifies the
         * error of u by Delta^T): gap = P(theta) - D(u), exact arithmetic aside, is a certificate too. */
        double p_iter = tf_primal(L, y, lambda, W->theta, W->tmp);
        double dual = tf_dual(L, y, W->u, W->rth);
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
        tf_delta(L, W->theta, W->z);
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
        tf_delta_t(L, W->u, W->rth);
        for (size_t i = 0; i < n; i++)
            W->rth[i] += W->theta[i] - y[i];
        /* The only O(n b^2) work of the iteration: assemble I + Delta^T W Delta and factor it once. Late in
         * the run W spans 1e-12 .. 1e12 (knots vs fused rows); when round-off finally makes the factor fail,
         * we stop with the best certificate found, which the caller sees in info.gap. */
        int failed;
        if (W->X.a) {
            newton_matrix_ld(L, W->w, &W->X);
            failed = band_ld_cholesky(&W->X) != 0;
        } else {
            newton_matrix(L, W->w, &W->M);
            failed = band_cholesky(&W->M) != 0;
        }
        if (failed)
            break; /* numerically singular: the best certificate so far stands */
        /* Predictor, then the complementarity it would reach, then sigma. */
        double s_aff = newton_direction(L, rt, ra, rb, W), mu_aff = 0;
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
        double step = fmin(1, 0.99 * newton_direction(L, rt, ra, rb, W));
        vec_axpy(step, W->dth, W->theta, n);
        vec_axpy(step, W->dt, W->t, mm);
        vec_axpy(step, W->dal, W->al, mm);
        vec_axpy(step, W->dbe, W->be, mm);
    }
    return info;
}

/* ======================================================================================================
 * 4. The Kronecker eigenbasis: linear smoothers, the null space and lambda_bar in closed form.
 *
 * Delta^T Delta = sum_a I (x) .. (x) G (x) .. (x) I with G = D^T D (N x N). If G = U diag(mu) U^T, then
 * Delta^T Delta has eigenvectors U (x) ... (x) U and eigenvalues mu_{j_1} + ... + mu_{j_d}: one dense N x N
 * eigenproblem (gsl_eigen_symmv) diagonalizes the whole n x n operator. Applying U^T along every axis costs
 * d n N (one dgemm per slab). G has exactly k+1 zero eigenvalues (polynomials of degree <= k); we set them
 * to exact zeros, so the null space of Delta is {j : all j_a <= k}, of dimension (k+1)^d.
 * ====================================================================================================== */


tf_eigen tf_eigen_make(const tf_lattice *L)
{
    size_t N = L->N;
    tf_eigen E = {L, suite_calloc(N * N, sizeof(double)), suite_calloc(N, sizeof(double)),
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
        tf_dense_eigenbasis(L, E.U, E.mu);
    for (size_t p = 0; p < L->n; p++)
        for (int a = 0; a < L->d; a++)
            E.musum[p] += E.mu[(p / L->stride[a]) % N];
    return E;
}

/* The eigenbasis of G = D^T D by the dense symmetric eigensolver (any k): U N x N row-major, mu ascending. */
void tf_dense_eigenbasis(const tf_lattice *L, double *U, double *mu)
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

void tf_eigen_free(tf_eigen *E)
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
void tf_eigen_transform(const tf_eigen *E, const double *x, double *out, int forward)
{
    const tf_lattice *L = E->L;
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
double tf_null_projection(const tf_eigen *E, const double *y, double *proj, double *ustar, double *coef)
{
    const tf_lattice *L = E->L;
    tf_eigen_transform(E, y, coef, 1);
    for (size_t j = 0; j < L->n; j++)
        proj[j] = E->musum[j] == 0 ? coef[j] : 0;
    double lambda_bar = 0;
    if (ustar) {
        for (size_t j = 0; j < L->n; j++)
            coef[j] = E->musum[j] == 0 ? 0 : coef[j] / E->musum[j];
        tf_eigen_transform(E, coef, coef, 0);
        tf_delta(L, coef, ustar);
        for (size_t r = 0; r < (size_t)L->d * L->n; r++)
            lambda_bar = fmax(lambda_bar, fabs(ustar[r]));
    }
    tf_eigen_transform(E, proj, proj, 0);
    return lambda_bar;
}

/* ======================================================================================================
 * 5. The independent check: accelerated projected gradient (FISTA) on the dual box QP.
 *
 * min_{|u| <= lambda} f(u) = 1/2||y - Delta^T u||^2 has gradient -Delta (y - Delta^T u) with Lipschitz
 * constant ||Delta||^2 <= d 4^(k+1) (each axis block's D has ||D||^2 <= (sum_j |c_j|)^2 = 4^(k+1)).
 * Nothing is shared with the interior-point method except tf_delta and the certificate: agreement of
 * the two is evidence that both solve (KTF). We restart the momentum when it points uphill
 * (O'Donoghue & Candes 2015). trace (may be NULL) gets the relative gap every `every` iterations.
 * ====================================================================================================== */

/* Shapes: y, theta n; u, v, un, g d n. Cost per iteration: one Delta and one Delta^T (2 (k+2) m flops).
 * The step 1/lip is the classical safe step of projected gradient; FISTA's momentum (t_k sequence)
 * improves the rate from O(1/k) to O(1/k^2) in the objective, which for this ill-conditioned box QP
 * still means tens of thousands of iterations for 1e-10 (see F4). */
tf_info tf_fista(const tf_lattice *L, const double *y, double lambda, double rel_tol, long max_iter,
                          double *theta, double *trace, long every)
{
    size_t n = L->n, mm = (size_t)L->d * L->n;
    double *u = vec_new(mm), *v = vec_new(mm), *un = vec_new(mm), *g = vec_new(mm), *x = vec_new(n);
    double *cu = vec_new(mm);
    /* u: the iterate; v: the extrapolated point where the gradient is taken; un: the next iterate; cu: a
     * copy that tf_certify may clip (u itself is always feasible, so the clip is a no-op on it). */
    double lip = L->d * pow(4, L->k + 1), tk = 1;
    tf_info info = {INFINITY, 0, 0};
    for (long it = 0; it <= max_iter; it++) {
        if (it % every == 0 || it == max_iter) {
            memcpy(cu, u, mm * sizeof *u);
            double primal, gap = tf_certify(L, y, lambda, cu, x, g, &primal);
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
        tf_delta_t(L, v, x);
        for (size_t i = 0; i < n; i++)
            x[i] = y[i] - x[i];
        tf_delta(L, x, g);
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
