/* htf_locality -- Noam Razin, Asaf Maman and Nadav Cohen, "Implicit Regularization in Hierarchical Tensor
 * Factorization and Deep Convolutional Neural Networks", ICML 2022 (PMLR 162), arXiv:2201.11729.
 *
 * THE QUESTION
 *   Convolutional networks are known to prefer local interactions between parts of their input. Is that
 *   only a matter of what the architecture can express, or does gradient descent itself push towards it?
 *   The paper studies a model where both can be separated: the hierarchical tensor factorization (HTF),
 *   which is exactly a deep convolutional arithmetic circuit (ConvAC: 1x1 linear convolutions, size-2
 *   product pooling) fed one-hot inputs.
 *
 * THE MODEL (order N = 4, mode dimension D = 8, width R; tree {1,2,3,4} -> {1,2},{3,4} -> {1},{2},{3},{4})
 *   Leaf matrices U_n (D x R), node matrices W12, W34 (R x R), an output vector w (R). For an index
 *   (d1,d2,d3,d4) the model's tensor is
 *       a = W12^T (U_1[d1,:] o U_2[d2,:]),  b = W34^T (U_3[d3,:] o U_4[d4,:]),  W_H[d] = sum_r w_r a_r b_r,
 *   with o the Hadamard (product-pooling) product. Loss on the observed entries Omega (tensor completion):
 *       L = (1/|Omega|) sum_{i in Omega} (W_H[i] - T*[i])^2          (PyTorch MSELoss: no factor 1/2)
 *   Update: the authors' GroupRMSprop, one scalar adaptive step for all parameters,
 *       s <- 0.99 s + 0.01 ||g||^2,    theta <- theta - lr g / (sqrt(s / (1 - 0.99^t)) + 1e-6),
 *   i.e. gradient descent along the gradient-flow path with a time-varying step (a time reparametrisation).
 *
 * WHAT THE THEORY PREDICTS
 *   Each node nu of the tree carries a *local* CP factorization; its component r is (column r of the two
 *   children's matrices, row r of nu's own matrix) and its norm LC_{nu,r} is the product of those three
 *   factor norms. Thm 1: under gradient flow with balanced factors,
 *       d/dt LC_{nu,r} = K LC_{nu,r}^{2 - 2/K} < -grad L(W_H), What_{nu,r} >,   K = 3 here,
 *   so small components move slowly and large ones fast: from small initialization the local components are
 *   learned one at a time (a staircase), a component at zero stays at zero, and since the rank of the
 *   matricization of W_H across a tree cut is at most the number of nonzero local components at the node
 *   above it, the learned tensor has low *hierarchical* tensor rank. For the ConvAC, that rank across a cut
 *   is the separation rank of the function: low HT rank = weak interactions between distant input parts =
 *   a bias towards locality that comes from the dynamics, not from expressiveness. An explicit regularizer
 *   (input-gradient change, IGC) that penalises |cos| between input gradients is proposed to counter it.
 *
 * WHAT THIS PROGRAM REPRODUCES (default scale: about 11 s of CPU on one core; --scale full about 50 s)
 *   E1. Figs. A (right panel) and B: HTF completion of an order-4 HT-rank-(5,5) target, 2048 of 4096
 *       entries: the top-10 local component norms at the root and at node {1,2}, and the singular values of
 *       the tree matricization mat{1,2} against the non-tree one mat{1,3}, vs iteration (htf_dyn.tsv).
 *   E2. Fig. A (left and middle): the same staircase for a depth-3 matrix factorization of a rank-5 64x64
 *       matrix (singular values) and an order-3 CP factorization of a rank-5 16^3 tensor (component norms)
 *       (mf_dyn.tsv, cp_dyn.tsv).
 *   E3. Locality (derived from C4; the paper shows it with ResNets on images, Fig. C): test error of HTF and
 *       of a CP control on T* and on its mode-swapped twin T'[d1,d2,d3,d4] = T*[d1,d3,d2,d4], which has the
 *       same CP rank but high rank across the tree cut {1,2}|{3,4} (locality.tsv).
 *   E4. Optional, exploratory, no claim: the one-hot analogue of the IGC regularizer on the HTF fitting T'
 *       and T* (igc.tsv). Outcome, reported as it is: here it does NOT counter the locality bias; it raises
 *       the test error on T' (0.43 -> 0.76 at seed 1) and on T* (see the README for the variants tried).
 *
 * DEPARTURES FROM THE PAPER
 *   (a) Scale: width R = 32 (paper 512), 10k iterations (paper up to 500k, stopping at train loss 5e-5),
 *       init N(0, 0.05^2) for HTF (paper 0.01 at R = 512): at R = 32 and std 0.01 the gradient is so small
 *       that GroupRMSprop's eps = 1e-6 dominates and nothing moves (seed 1: s_1 of mat{1,2} stays at
 *       6.8e-11 to 6.9e-11 for 40k steps). --scale full: R = 64, 50k (E1) and 20k (E3, E4) iterations.
 *   (b) D = 8 and target HT ranks (5,5) are inferred from the official code's plot configs (4096 entries,
 *       like the MF and CP targets); the appendix was not consulted.
 *   (c) The locality experiment is the tensor analogue (a mode swap across the tree cut) of the paper's
 *       Is-Same-Class / Pathfinder image tasks with ResNet18, which are far beyond laptop scale.
 *   (d) E4 replaces the IGC regularizer on images by its one-hot version: the input gradient of a ConvAC
 *       with respect to the one-hot input of mode 1 is the fibre W_H[:, d2, d3, d4]; the penalty is the mean
 *       |cos| between the fibres at (d2,d3,d4) and at (d2,d3',d4), d3' taken from the next observed entry.
 *   (e) MF and CP runs: 5k and 8k iterations (paper: until train loss < 5e-5), CP width 16, init 1e-3 (MF)
 *       and 0.05 (CP; 1e-3 freezes at width 16 for the reason given in (a)). E1 runs 20k iterations (the
 *       paper's HTF panel spans 10k-32k), the HTF fits of E3 and E4 10k.
 *   (f) E4 switches the penalty on at iteration 2000 (--igc-start; the paper trains with it from the start):
 *       the |cos| gradient scales like 1/|fibre|, and from a small init it swamps GroupRMSprop's single
 *       step size so that the fit never starts (test error 1.0 with --igc-start 0).
 *
 * CLAIMS (each a contrast that can fail; `--list-claims`, `--claim NAME [--control]`)
 *   C1 incremental      the singular values of mat{1,2} reach half their target value one at a time:
 *                       min gap t_k - t_{k-1} >= 150 iterations over the target's K* strong values
 *                       (s_k* >= 0.1 s_1*). Control: init 0.5 (large), where all t_k = 0.
 *   C2 low_ht_rank      after 10k steps, q = s_6/s_1 of mat{1,2} <= 1e-4 at init 0.05 (s_6: beyond the
 *                       target's exact rank 5), and q(init 0.5) / q(init 0.05) >= 10. Control: init 0.5 for
 *                       both runs.
 *   C3 locality         err_HTF(T') / err_HTF(T*) >= 4, while err_CP(T') / err_CP(T*) in [1/3, 3].
 *                       Control: swap modes 1,2 (inside a tree node) instead of 2,3 (across the cut).
 *   C4 zero_stays_zero  a root component set to zero (all three factors) has LC exactly 0.0 after 1000
 *                       steps while the others grow >= 10x. Control: zero only w_r (LC = 0 but unbalanced).
 *   C5 rank_bound       with only 3 live root components, rank mat{1,2} - #live root components <= 0 at
 *                       every recorded step. Control: the same count against mat{1,3}, not a tree cut.
 *   C6 gradient_check   max |analytic - central difference| / max|gradient| <= 1e-6 for HTF (with and
 *                       without the IGC term), CP and MF. Control: one gradient entry perturbed by 1e-4.
 *   C7 lc_dynamics      Thm 1's rate: from a balanced start, the measured d/dt LC_root,r per unit of flow
 *                       time matches 3 LC^{4/3} <-grad L, What_r> (median |ratio - 1| <= 0.05 over 3000
 *                       steps). Control: an unbalanced start with the same LC (norms 2, 1, 1/2 x LC^{1/3}).
 *
 * RUN
 *   htf_locality [--scale quick|default|full] [--seed N] [--out DIR]  -> DIR/{htf_dyn,htf_spectra,
 *   mf_dyn,cp_dyn,locality,igc}.tsv; figures/htf_locality.gp draws them (make -f Makefile.figures).  htf_locality
 *   --benchmark prints milliseconds per HTF iteration and writes nothing.
 *   Look for: steps in every panel of htf_locality-dynamics (one component after another); mat{1,2}'s
 *   spectrum stopping at rank 5 while mat{1,3}'s spreads; tall HTF bars on T' beside flat CP bars.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_randist.h>

#include "claim.h"
#include "linalg.h"
#include "optim.h"
#include "progress.h"
#include "rng.h"
#include "suite.h"
#include "tsv.h"
#include "vec.h"

/* ======================================================================================================
 * 0. The theory in four lines of algebra (what the claims test, derived so a reader can check them).
 *
 * Take the root's component r = (x, y, z) = (col_r W12, col_r W34, w_r). W_H depends on it only through
 * the term z (A x) (B y)^T of mat{1,2}(W_H), which is linear in each of x, y, z. Write E = dL/dW_H.
 *   (i) Conservation of balance. Under gradient flow, d/dt ||x||^2 = -2 <x, dL/dx> = -2 <E, z (A x)(B y)^T>,
 *       and the same number comes out for ||y||^2 and z^2 (each factor appears once in the term, so
 *       <factor, dL/dfactor> is the same for all three). Hence ||x||^2 - ||y||^2 and ||x||^2 - z^2 stay
 *       constant: a balanced start stays balanced. (The other uses of W12, its rows, belong to node {1,2}'s
 *       components and contribute nothing here: <col_r W12, A^T dL/da[:, r]> only involves column r.)
 *   (ii) Thm 1. LC = ||x|| ||y|| |z|, so d/dt LC = LC * sum over the three factors of (1/2) d/dt log ||f||^2
 *       = LC * sum_f LC <-E, What> / ||f||^2,  with What = the unit-normalised end tensor of the component.
 *       Balanced: ||f||^2 = LC^{2/3} for all three, so d/dt LC = 3 LC^{4/3} <-E, What>  (K = 3, 2 - 2/K = 4/3).
 *       A component of norm 1e-6 therefore moves ~1e-2 times slower, relatively, than one of norm 1: the
 *       larger components race ahead and the rest wait, one after another (claim incremental).
 *  (iii) Zero stays zero. If x = y = z = 0 then dL/dx is a multiple of z (y), dL/dy of z (x), dL/dz of x and
 *       y: all zero, so the component never leaves 0 (claim zero_stays_zero). If only z = 0, dL/dz =
 *       <E, (A x)(B y)^T> is not zero and it does leave: the theorem needs the whole component at zero.
 *   (iv) Rank bound. mat{1,2}(W_H) = sum_r w_r a_r b_r^T has at most #{r : w_r a_r b_r != 0} terms, and a
 *       component with LC = 0 has w_r = 0 or a_r = 0 or b_r = 0 (claim rank_bound). The same holds at every
 *       node: rank mat{1}(W_H) <= number of nonzero components at node {1,2}. No such bound exists for a set
 *       of modes that is not a node of the tree, such as {1,3}: mat{1,3} mixes both subtrees.
 * Together, (ii) + (iv): from small init the number of live components grows one at a time and stops when
 * the data is fitted, so the HT rank stays low (claim low_ht_rank); and for the ConvAC a low rank across a
 * tree cut is a weak interaction between the two halves of the input (claim locality).
 * ====================================================================================================== */

/* ======================================================================================================
 * Options. Defaults are those of --scale default; options the user leaves unset may change with --scale
 * (apply_scale below), and every data file records the values used.
 * ====================================================================================================== */

static long width = 32;           /* R: width of every HTF node (paper: 512; departure (a))               */
static double htf_init = 0.05;    /* std of the N(0, std^2) HTF initialization (paper: 0.01 at R = 512)   */
static long htf_iters = 20000;    /* GroupRMSprop iterations of E1 (the staircase figure)                 */
static long iters = 10000;        /* GroupRMSprop iterations of the HTF runs of E3 and E4                 */
static double lr = 0.01;          /* GroupRMSprop learning rate (paper: 0.01)                             */
static long n_observed = 2048;    /* |Omega|: observed entries out of 4096 (paper: 2048)                  */
static long record_every = 25;    /* metrics (SVDs, component norms) every this many iterations           */
static long mf_iters = 5000;      /* E2: depth-3 matrix factorization iterations                          */
static double mf_init = 1e-3;     /* E2: MF init std (paper: 1e-3)                                        */
static long cp_iters = 8000;      /* E2: order-3 CP factorization iterations                              */
static long cp_width = 16;        /* E2: CP width (the paper uses the maximal rank)                        */
static double cp_init = 0.05;     /* E2: CP init std (paper: 1e-3; departure (e))                         */
static long loc_seeds = 2;        /* E3: seeds seed, seed+1, ... averaged in the locality bars            */
static long loc_cp_iters = 5000;  /* E3: iterations of the CP control (settled by 5k)                      */
static double igc_lambda = 0.1;   /* E4: the largest IGC coefficient (runs 0, lambda/10, lambda)           */
static double igc_delta = 0;      /* E4: softening of the fibre norms in the cosine (0 = the exact |cos|) */
static long igc_start = 2000;     /* E4: iteration at which the IGC penalty is switched on                */
static int benchmark = 0;         /* --benchmark: time the HTF iteration, write nothing                   */

static const cli_option options[] = {
    {"width", OPT_INT, &width, 2, 256, NULL, "R, width of every HTF node"},
    {"init", OPT_REAL, &htf_init, 1e-4, 2, NULL, "std of the HTF initialization"},
    {"htf-iters", OPT_INT, &htf_iters, 10, 1000000, NULL, "GroupRMSprop iterations of the HTF staircase (E1)"},
    {"iters", OPT_INT, &iters, 10, 1000000, NULL, "GroupRMSprop iterations of the HTF fits of E3 and E4"},
    {"lr", OPT_REAL, &lr, 1e-5, 0.1, NULL, "GroupRMSprop learning rate"},
    {"observed", OPT_INT, &n_observed, 64, 4000, NULL, "observed entries (of 4096)"},
    {"record-every", OPT_INT, &record_every, 1, 10000, NULL, "iterations between recorded metrics"},
    {"mf-iters", OPT_INT, &mf_iters, 10, 1000000, NULL, "iterations of the matrix factorization (E2)"},
    {"mf-init", OPT_REAL, &mf_init, 1e-5, 1, NULL, "init std of the matrix factorization"},
    {"cp-iters", OPT_INT, &cp_iters, 10, 1000000, NULL, "iterations of the order-3 CP factorization (E2)"},
    {"cp-width", OPT_INT, &cp_width, 1, 256, NULL, "components of the order-3 CP factorization"},
    {"cp-init", OPT_REAL, &cp_init, 1e-5, 1, NULL, "init std of the order-3 CP factorization"},
    {"locality-seeds", OPT_INT, &loc_seeds, 1, 20, NULL, "seeds averaged in the locality experiment (E3)"},
    {"locality-cp-iters", OPT_INT, &loc_cp_iters, 10, 1000000, NULL, "iterations of the CP control in E3"},
    {"igc-lambda", OPT_REAL, &igc_lambda, 0, 100, NULL, "largest IGC coefficient of E4 (0 skips E4)"},
    {"igc-start", OPT_INT, &igc_start, 0, 1000000, NULL, "iteration at which E4 switches the IGC penalty on"},
    {"igc-delta", OPT_REAL, &igc_delta, 0, 10, NULL, "E4: cos = <phi,psi> / sqrt((|phi|^2+delta^2)(|psi|^2+delta^2))"},
    {"benchmark", OPT_FLAG, &benchmark, 0, 0, NULL, "print milliseconds per HTF iteration and stop"},
    {0},
};

/* The three scales:
 *   quick    what the contract test runs twice (under a second): short runs of every experiment, one seed;
 *   default  the figures: E1 20k iterations (three components of the staircase), E3 two seeds;
 *   full     closer to the paper: width 64, E1 50k iterations, E3 five seeds at 20k iterations.
 * Claims ignore the scale: each runs its own fixed reduced experiment (section 10). */
static void apply_scale(const suite_run *run)
{
    if (run->scale == SCALE_QUICK) {
        if (!suite_given(run, &htf_iters)) htf_iters = 1200;
        if (!suite_given(run, &iters)) iters = 600;
        if (!suite_given(run, &mf_iters)) mf_iters = 600;
        if (!suite_given(run, &cp_iters)) cp_iters = 600;
        if (!suite_given(run, &loc_seeds)) loc_seeds = 1;
        if (!suite_given(run, &loc_cp_iters)) loc_cp_iters = 600;
        if (!suite_given(run, &record_every)) record_every = 50;
    } else if (run->scale == SCALE_FULL) {
        if (!suite_given(run, &width)) width = 64;
        if (!suite_given(run, &htf_iters)) htf_iters = 50000;
        if (!suite_given(run, &iters)) iters = 20000;
        if (!suite_given(run, &mf_iters)) mf_iters = 8000;
        if (!suite_given(run, &cp_iters)) cp_iters = 15000;
        if (!suite_given(run, &loc_seeds)) loc_seeds = 5;
        if (!suite_given(run, &record_every)) record_every = 50;
    }
}

/* Random streams: each sub-experiment draws from its own (rng.h). */
enum {
    STREAM_TARGET = 1, STREAM_MASK = 2, STREAM_MF_TARGET = 3, STREAM_CP_TARGET = 4,
    STREAM_HTF_INIT = 10, STREAM_MF_INIT = 11, STREAM_CP_INIT = 12, STREAM_CP4_INIT = 13,
    STREAM_CHECK = 20
};

/* ======================================================================================================
 * 1. Completion tasks: 4096 entries, 2048 of them observed.
 *
 * Every target here has 4096 entries: the order-4 tensor (D = 8), the 64 x 64 matrix and the order-3 16^3
 * tensor, all scaled to ||T||_F = 64 (so entries are of order 1). An order-4 entry (d1,d2,d3,d4) lives at
 * the linear index ((d1 D + d2) D + d3) D + d4 = p * 64 + q with p = d1 D + d2 and q = d3 D + d4: read as a
 * row-major 64 x 64 matrix, the tensor *is* its tree matricization mat{1,2} (rows: modes 1,2; columns:
 * modes 3,4). This layout must match the tree: with p = d1 D + d3 the "local" target would silently become
 * the non-local one.
 * ====================================================================================================== */

enum { DIM = 8, D2 = DIM * DIM, N_ENTRIES = D2 * D2, TOP = 10 };

typedef struct {
    size_t n_obs;
    size_t *obs;           /* linear indices of the observed entries (the first n_obs of a permutation)  */
    unsigned char *seen;   /* seen[i] = 1 when entry i is observed                                      */
} mask;

/* The observed set Omega: the first n_obs entries of a random permutation of the 4096 positions. It depends
 * only on the seed (its own stream), so T*, T', T'' and every model of a seed see the same positions. */
static mask *mask_new(uint64_t seed, size_t n_obs)
{
    mask *m = suite_calloc(1, sizeof *m);
    size_t *perm = suite_calloc(N_ENTRIES, sizeof *perm);
    for (size_t i = 0; i < N_ENTRIES; i++) perm[i] = i;
    gsl_rng *r = rng_stream(seed, STREAM_MASK);
    gsl_ran_shuffle(r, perm, N_ENTRIES, sizeof *perm); /* sampling without replacement, as the authors do */
    gsl_rng_free(r);
    m->n_obs = n_obs;
    m->obs = perm;
    m->seen = suite_calloc(N_ENTRIES, 1);
    for (size_t i = 0; i < n_obs; i++) m->seen[perm[i]] = 1;
    return m;
}

static void mask_free(mask *m)
{
    free(m->obs);
    free(m->seen);
    free(m);
}

/* T <- T * norm / ||T||_F: every target is normalised to Frobenius norm 64, as in the authors' generators,
 * so that an average entry is 64 / sqrt(4096) = 1 and the initial loss (from a near-zero model) is about 1. */
static void scale_to_norm(double *T, size_t n, double norm)
{
    vec_scale(norm / vec_norm(T, n), T, n);
}

/* The relative error on the entries that were NOT observed: ||W - T||_{Omega^c} / ||T||_{Omega^c}. */
static double test_error(const double *W, const double *T, const mask *m)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < N_ENTRIES; i++) {
        if (m->seen[i]) continue;
        num += (W[i] - T[i]) * (W[i] - T[i]);
        den += T[i] * T[i];
    }
    return sqrt(num / den);
}

/* The mean squared error on the observed entries (the training loss without regularizer) and, when E is
 * given, its gradient with respect to the entries: E[i] = 2 (W[i] - T[i]) / |Omega| on Omega, 0 elsewhere. */
static double masked_mse(const double *W, const double *T, const mask *m, double *E)
{
    double loss = 0, scale = 2.0 / (double)m->n_obs;
    if (E) memset(E, 0, N_ENTRIES * sizeof *E);
    for (size_t k = 0; k < m->n_obs; k++) {
        size_t i = m->obs[k];
        double diff = W[i] - T[i];
        loss += diff * diff;
        if (E) E[i] = scale * diff;
    }
    return loss / (double)m->n_obs;
}

/* The mode-swapped twin of an order-4 tensor: out[d1,d2,d3,d4] = in[d_{perm}]; perm = {0,2,1,3} is the swap
 * of modes 2 and 3 across the tree cut (T'), perm = {1,0,2,3} the swap of modes 1 and 2 inside node {1,2}. */
static void swap_modes(const double *in, double *out, const int perm[4])
{
    /* out[d] = in[d permuted]: a relabelling of the modes. It changes no CP rank (a CP model simply swaps
     * two of its factor matrices), but it changes which modes a tree cut separates. */
    for (int d1 = 0; d1 < DIM; d1++)
        for (int d2 = 0; d2 < DIM; d2++)
            for (int d3 = 0; d3 < DIM; d3++)
                for (int d4 = 0; d4 < DIM; d4++) {
                    int d[4] = {d1, d2, d3, d4};
                    size_t src = (size_t)(((d[perm[0]] * DIM + d[perm[1]]) * DIM + d[perm[2]]) * DIM + d[perm[3]]);
                    out[((d1 * DIM + d2) * DIM + d3) * DIM + d4] = in[src];
                }
}

/* mat{1,3} of an order-4 tensor: rows (d1,d3), columns (d2,d4). Not a node of the tree. */
static void matricize_13(const double *W, double *out)
{
    for (int d1 = 0; d1 < DIM; d1++)
        for (int d2 = 0; d2 < DIM; d2++)
            for (int d3 = 0; d3 < DIM; d3++)
                for (int d4 = 0; d4 < DIM; d4++)
                    out[(d1 * DIM + d3) * D2 + d2 * DIM + d4] = W[((d1 * DIM + d2) * DIM + d3) * DIM + d4];
}

/* The singular values of a 64 x 64 matrix stored row-major in X (la_singular_values: GSL's SVD). */
static void singular_values_64(const double *X, double *s)
{
    /* A const view of the plain array as a 64 x 64 gsl_matrix; la_singular_values copies it before GSL's
     * Golub-Reinsch SVD overwrites its input, so the tensor itself is untouched. */
    gsl_matrix_const_view v = gsl_matrix_const_view_array(X, D2, D2);
    gsl_vector_view sv = gsl_vector_view_array(s, D2);
    la_singular_values(&v.matrix, &sv.vector);
}

/* ======================================================================================================
 * 2. The hierarchical tensor factorization: forward and backward passes on node tables.
 *
 * The one-hot structure makes the network's forward pass a pair of lookup tables. Node {1,2} sees the
 * D^2 = 64 possible pairs (d1,d2); its pooled input is the row p = d1 D + d2 of
 *     A[p,:] = U_1[d1,:] o U_2[d2,:]                        (64 x R, product pooling)
 * and its output is a = A W12 (64 x R: the 1x1 convolution). Likewise B and b = B W34 for modes 3,4, and
 *     W_H[p,q] = sum_r w_r a[p,r] b[q,r],   i.e.  mat{1,2}(W_H) = a diag(w) b^T     (64 x 64).
 * So the whole tensor costs two 64 x R x R products and one 64 x 64 x R product; computing every entry is
 * cheaper than looping over the 2048 observed ones, and it gives the test error and the SVDs for free.
 *
 * Backward, from E = dL/dW_H (64 x 64, zero off Omega):
 *     dL/d(aw) = E b,       where aw = a diag(w);  so  dL/da = (E b) diag(w),  dL/dw_r = sum_p a[p,r] (E b)[p,r]
 *     dL/db   = E^T aw
 *     dL/dW12 = A^T dL/da,  dL/dA = dL/da W12^T,
 *     dL/dU_1[d1,r] = sum_{d2} dL/dA[(d1,d2),r] U_2[d2,r],   dL/dU_2[d2,r] = sum_{d1} dL/dA[(d1,d2),r] U_1[d1,r]
 * and the same on the {3,4} side. Parameters live in one flat vector theta (for the optimizer and the
 * finite-difference check): U_1..U_4 (D x R each, row-major), W12, W34 (R x R), w (R).
 * ====================================================================================================== */

typedef struct {
    size_t R, P;                  /* width and number of parameters                                  */
    size_t off_W12, off_W34, off_w;
    const double *T;              /* target (4096 entries)                                           */
    const mask *m;
    double igc;                   /* coefficient of the one-hot IGC penalty (E4), 0 = off            */
    /* Workspace (node tables and their gradients), allocated once: */
    double *A, *B, *a, *b, *aw;   /* 64 x R each                                                     */
    double *M;                    /* W_H as mat{1,2}, 64 x 64                                        */
    double *E;                    /* dL/dW_H, 64 x 64                                                */
    double *Gaw, *Ga, *Gb, *GA, *GB; /* 64 x R each                                                  */
    double fit_loss, igc_loss;    /* the two parts of the last loss                                  */
} htf;

/* Allocates the workspace of one HTF of width R fitting T on Omega = m. The parameter count is
 * P = 4 D R + 2 R^2 + R (164 at R = 4, 3,104 at R = 32). Nothing is allocated after this. */
static htf *htf_new(size_t R, const double *T, const mask *m)
{
    htf *h = suite_calloc(1, sizeof *h);
    h->R = R;
    h->off_W12 = 4 * DIM * R;
    h->off_W34 = h->off_W12 + R * R;
    h->off_w = h->off_W34 + R * R;
    h->P = h->off_w + R;
    h->T = T;
    h->m = m;
    h->A = suite_calloc(D2 * R, sizeof(double));
    h->B = suite_calloc(D2 * R, sizeof(double));
    h->a = suite_calloc(D2 * R, sizeof(double));
    h->b = suite_calloc(D2 * R, sizeof(double));
    h->aw = suite_calloc(D2 * R, sizeof(double));
    h->Gaw = suite_calloc(D2 * R, sizeof(double));
    h->Ga = suite_calloc(D2 * R, sizeof(double));
    h->Gb = suite_calloc(D2 * R, sizeof(double));
    h->GA = suite_calloc(D2 * R, sizeof(double));
    h->GB = suite_calloc(D2 * R, sizeof(double));
    h->M = suite_calloc(N_ENTRIES, sizeof(double));
    h->E = suite_calloc(N_ENTRIES, sizeof(double));
    return h;
}

static void htf_free(htf *h)
{
    free(h->A); free(h->B); free(h->a); free(h->b); free(h->aw);
    free(h->Gaw); free(h->Ga); free(h->Gb); free(h->GA); free(h->GB);
    free(h->M); free(h->E);
    free(h);
}

/* C (m x n) = X (m x k) Y (k x n), or with X or Y transposed: la_mul on views of plain arrays.
 * The parameters and node tables are plain row-major double arrays (the optimizer and the finite-difference
 * check want one flat vector); gsl_matrix_view_array wraps them without copying, so every product still
 * runs on the BLAS the build selected (OpenBLAS here). */
static void mul_nn(double *C, const double *X, const double *Y, size_t m, size_t k, size_t n)
{
    gsl_matrix_view c = gsl_matrix_view_array(C, m, n);
    gsl_matrix_const_view x = gsl_matrix_const_view_array(X, m, k), y = gsl_matrix_const_view_array(Y, k, n);
    la_mul(&c.matrix, &x.matrix, &y.matrix);
}
static void mul_tn(double *C, const double *X, const double *Y, size_t m, size_t k, size_t n) /* X is k x m */
{
    gsl_matrix_view c = gsl_matrix_view_array(C, m, n);
    gsl_matrix_const_view x = gsl_matrix_const_view_array(X, k, m), y = gsl_matrix_const_view_array(Y, k, n);
    la_mul_tn(&c.matrix, &x.matrix, &y.matrix);
}
static void mul_nt(double *C, const double *X, const double *Y, size_t m, size_t k, size_t n) /* Y is n x k */
{
    gsl_matrix_view c = gsl_matrix_view_array(C, m, n);
    gsl_matrix_const_view x = gsl_matrix_const_view_array(X, m, k), y = gsl_matrix_const_view_array(Y, n, k);
    la_mul_nt(&c.matrix, &x.matrix, &y.matrix);
}

/* Product pooling of two leaves: P[(i,j),r] = X[i,r] Y[j,r] (the node table). */
static void pool(double *P, const double *X, const double *Y, size_t R)
{
    for (size_t i = 0; i < DIM; i++)
        for (size_t j = 0; j < DIM; j++)
            for (size_t r = 0; r < R; r++)
                P[(i * DIM + j) * R + r] = X[i * R + r] * Y[j * R + r];
}

/* The backward pass of pool: given G = dL/dP, dX[i,r] = sum_j G[(i,j),r] Y[j,r], dY[j,r] = sum_i G X[i,r]. */
static void pool_backward(const double *G, const double *X, const double *Y, double *dX, double *dY, size_t R)
{
    memset(dX, 0, DIM * R * sizeof *dX);
    memset(dY, 0, DIM * R * sizeof *dY);
    for (size_t i = 0; i < DIM; i++)
        for (size_t j = 0; j < DIM; j++)
            for (size_t r = 0; r < R; r++) {
                double g = G[(i * DIM + j) * R + r];
                dX[i * R + r] += g * Y[j * R + r];
                dY[j * R + r] += g * X[i * R + r];
            }
}

/* Forward pass: the node tables A, a, B, b and the whole tensor M = mat{1,2}(W_H) = a diag(w) b^T. */
static void htf_forward(htf *h, const double *theta)
{
    /* Shapes: U_n is D x R (row d = the 1x1-conv output of input e_d at location n), W12 and W34 are R x R,
     * w is R. Layer 1 pools locations (1,2) and (3,4); layer 2 (the root) pools the two halves. */
    size_t R = h->R;
    const double *U = theta, *W12 = theta + h->off_W12, *W34 = theta + h->off_W34, *w = theta + h->off_w;
    pool(h->A, U, U + DIM * R, R);                       /* A = U_1 o U_2 (64 x R)   */
    pool(h->B, U + 2 * DIM * R, U + 3 * DIM * R, R);     /* B = U_3 o U_4            */
    mul_nn(h->a, h->A, W12, D2, R, R);                   /* a = A W12                */
    mul_nn(h->b, h->B, W34, D2, R, R);                   /* b = B W34                */
    for (size_t p = 0; p < D2; p++)
        for (size_t r = 0; r < R; r++) h->aw[p * R + r] = h->a[p * R + r] * w[r];
    mul_nt(h->M, h->aw, h->b, D2, R, D2);                /* M = (a diag w) b^T       */
}

/* The one-hot IGC penalty (E4; departure (d)) and its gradient with respect to the tensor, added to E.
 * For the ConvAC, f(x) = <W_H, x_1 (x) x_2 (x) x_3 (x) x_4> with one-hot x_n = e_{d_n}, so the gradient with
 * respect to the input patch of mode 1 is the fibre  phi(d2,d3,d4) = W_H[:, d2, d3, d4]  (D entries).
 * Replacing patch J = mode 3 by that of the next observed sample (the batch rolled by one) gives the fibre
 * psi = W_H[:, d2, d3', d4]. The penalty is  lambda/|Omega| sum_i |cos(phi_i, psi_i)|: if modes 1 and 3 did
 * not interact (separation rank 1 across {1}|{3}) phi and psi would be parallel, |cos| = 1. Gradient:
 *     dcos/dphi = psi / (|phi||psi|) - cos phi / |phi|^2   (and symmetrically for psi).
 * The fibre of mode 1 at (d2,d3,d4) sits at linear indices ((d1 D + d2) D + d3) D + d4, d1 = 0..D-1. */
static double igc_penalty(const double *M, const mask *m, double lambda, double *E)
{
    double total = 0, scale = lambda / (double)m->n_obs;
    for (size_t k = 0; k < m->n_obs; k++) {
        size_t i = m->obs[k], j = m->obs[(k + 1) % m->n_obs];
        size_t d2 = (i / D2) % DIM, d3 = (i / DIM) % DIM, d4 = i % DIM, d3b = (j / DIM) % DIM;
        double phi[DIM], psi[DIM];
        for (size_t d1 = 0; d1 < DIM; d1++) {
            phi[d1] = M[((d1 * DIM + d2) * DIM + d3) * DIM + d4];
            psi[d1] = M[((d1 * DIM + d2) * DIM + d3b) * DIM + d4];
        }
        double np = sqrt(vec_dot(phi, phi, DIM) + igc_delta * igc_delta),
               nq = sqrt(vec_dot(psi, psi, DIM) + igc_delta * igc_delta);
        if (np < 1e-300 || nq < 1e-300) continue; /* cos undefined: no contribution */
        double c = vec_dot(phi, psi, DIM) / (np * nq), sgn = c >= 0 ? 1.0 : -1.0;
        total += fabs(c);
        if (!E) continue;
        for (size_t d1 = 0; d1 < DIM; d1++) {
            E[((d1 * DIM + d2) * DIM + d3) * DIM + d4] += scale * sgn * (psi[d1] / (np * nq) - c * phi[d1] / (np * np));
            E[((d1 * DIM + d2) * DIM + d3b) * DIM + d4] +=
                scale * sgn * (phi[d1] / (np * nq) - c * psi[d1] / (nq * nq));
        }
    }
    return scale * total;
}

/* The loss (fit + optional IGC) and, if grad != NULL, its exact gradient by the backward pass above. */
static double htf_loss_grad(void *model, const double *theta, double *grad)
{
    /* One call = one forward pass, the masked loss, and (if grad) one backward pass: about 0.8 million
     * multiply-adds at R = 32, in nine BLAS products and a few O(64 R) loops. grad == NULL skips the
     * backward pass (used by the finite-difference check and by the last iteration of train). */
    htf *h = model;
    size_t R = h->R;
    htf_forward(h, theta);
    h->fit_loss = masked_mse(h->M, h->T, h->m, grad ? h->E : NULL);
    h->igc_loss = h->igc > 0 ? igc_penalty(h->M, h->m, h->igc, grad ? h->E : NULL) : 0;
    if (!grad) return h->fit_loss + h->igc_loss;
    const double *U = theta, *W12 = theta + h->off_W12, *W34 = theta + h->off_W34, *w = theta + h->off_w;
    double *gW12 = grad + h->off_W12, *gW34 = grad + h->off_W34, *gw = grad + h->off_w;
    mul_nn(h->Gaw, h->E, h->b, D2, D2, R);               /* dL/d(aw) = E b            */
    for (size_t r = 0; r < R; r++) gw[r] = 0;
    for (size_t p = 0; p < D2; p++)
        for (size_t r = 0; r < R; r++) {
            h->Ga[p * R + r] = h->Gaw[p * R + r] * w[r];  /* dL/da = (E b) diag(w)     */
            gw[r] += h->a[p * R + r] * h->Gaw[p * R + r]; /* dL/dw_r                   */
        }
    mul_tn(h->Gb, h->E, h->aw, D2, D2, R);               /* dL/db = E^T a diag(w)     */
    mul_tn(gW12, h->A, h->Ga, R, D2, R);                 /* dL/dW12 = A^T dL/da       */
    mul_tn(gW34, h->B, h->Gb, R, D2, R);
    mul_nt(h->GA, h->Ga, W12, D2, R, R);                 /* dL/dA = dL/da W12^T       */
    mul_nt(h->GB, h->Gb, W34, D2, R, R);
    pool_backward(h->GA, U, U + DIM * R, grad, grad + DIM * R, R);
    pool_backward(h->GB, U + 2 * DIM * R, U + 3 * DIM * R, grad + 2 * DIM * R, grad + 3 * DIM * R, R);
    return h->fit_loss + h->igc_loss;
}

/* ---- Local components (the quantities of Thm 1) ------------------------------------------------------ */

/* Root node {1,2,3,4}: component r = (column r of W12, column r of W34, w_r);
 *     LC_root,r = ||col_r W12|| ||col_r W34|| |w_r|.
 * Node {1,2}: component r = (column r of U_1, column r of U_2, row r of W12);
 *     LC_12,r = ||col_r U_1|| ||col_r U_2|| ||row_r W12||.                                               */
static double col_norm(const double *X, size_t rows, size_t cols, size_t r)
{
    double s = 0;
    for (size_t i = 0; i < rows; i++) s += X[i * cols + r] * X[i * cols + r];
    return sqrt(s);
}

static void htf_local_components(const htf *h, const double *theta, double *lc_root, double *lc_12)
{
    /* Note the bookkeeping: each matrix plays two roles. Column r of W12 is a factor of root component r;
     * row r of W12 is a factor of node-{1,2} component r. A leaf U_n contributes its columns to the node
     * above it. The norms are products of factor norms, not tensor norms (the paper's definition). */
    size_t R = h->R;
    const double *W12 = theta + h->off_W12, *W34 = theta + h->off_W34, *w = theta + h->off_w;
    for (size_t r = 0; r < R; r++) {
        if (lc_root) lc_root[r] = col_norm(W12, R, R, r) * col_norm(W34, R, R, r) * fabs(w[r]);
        if (lc_12)
            lc_12[r] = col_norm(theta, DIM, R, r) * col_norm(theta + DIM * R, DIM, R, r) * vec_norm(W12 + r * R, R);
    }
}

static int by_decreasing(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a < b) - (a > b);
}

/* The HTF initialization: every parameter i.i.d. N(0, std^2), as in the official code. */
static void gaussian_fill(double *theta, size_t P, gsl_rng *r, double sd)
{
    for (size_t i = 0; i < P; i++) theta[i] = gsl_ran_gaussian(r, sd);
}

/* The order-4 target: itself an HTF of widths (5,5) with a length-5 output vector, N(0,1) parameters, scaled
 * to ||T*||_F = 64. The official code multiplies every one of the 7 parameter blocks on a path by c^{1/7};
 * since W_H is homogeneous of degree 7 in them, scaling the tensor by c is the same thing. mat{1,2}(T*) =
 * a diag(w) b^T has rank <= 5 exactly. */
static double *htf_target_new(uint64_t seed)
{
    /* The HTF code wants a mask; the target generator never evaluates a loss, so any mask will do. */
    mask *dummy = mask_new(seed, 1);
    htf *g = htf_new(5, NULL, dummy);
    double *theta = suite_calloc(g->P, sizeof *theta);
    gsl_rng *r = rng_stream(seed, STREAM_TARGET);
    gaussian_fill(theta, g->P, r, 1.0);
    gsl_rng_free(r);
    htf_forward(g, theta);
    double *T = suite_calloc(N_ENTRIES, sizeof *T);
    memcpy(T, g->M, N_ENTRIES * sizeof *T);
    scale_to_norm(T, N_ENTRIES, 64.0);
    free(theta);
    htf_free(g);
    mask_free(dummy);
    return T;
}

/* ======================================================================================================
 * 3. The two companions of Fig. A: CP factorization and depth-3 matrix factorization.
 *
 * CP (order n, dimension Dc, R components): W[d_1..d_n] = sum_r prod_k U_k[d_k, r]; component r's norm is
 * prod_k ||col_r U_k||. Its gradient at an observed entry i with residual e_i = 2 (W_i - T_i)/|Omega| is
 *     dL/dU_k[d_k, r] += e_i prod_{l != k} U_l[d_l, r],
 * computed with prefix and suffix products. The locality control of E3 is the same model at order 4 and
 * D = 8 (computed on node tables, section 8): a model with no tree, for which no mode pairing is special.
 * MF (depth 3, 64 x 64): W = W3 W2 W1; with E = dL/dW (zero off Omega),
 *     dL/dW3 = E (W2 W1)^T,  dL/dW2 = W3^T E W1^T,  dL/dW1 = (W3 W2)^T E.
 * ====================================================================================================== */

typedef struct {
    size_t order, dim, R, P;
    const double *T;
    const mask *m;
    double *W;          /* all entries (filled by cp_full)            */
} cp_model;

static void cp_index(const cp_model *c, size_t i, size_t *d)
{
    for (size_t k = c->order; k-- > 0;) {
        d[k] = i % c->dim;
        i /= c->dim;
    }
}

static double cp_entry(const cp_model *c, const double *theta, const size_t *d)
{
    double s = 0;
    for (size_t r = 0; r < c->R; r++) {
        double prod = 1;
        for (size_t k = 0; k < c->order; k++) prod *= theta[(k * c->dim + d[k]) * c->R + r];
        s += prod;
    }
    return s;
}

/* All 4096 entries of the CP tensor (for the test error): O(4096 order R), done only when recording. */
static void cp_full(cp_model *c, const double *theta)
{
    size_t d[8];
    for (size_t i = 0; i < N_ENTRIES; i++) {
        cp_index(c, i, d);
        c->W[i] = cp_entry(c, theta, d);
    }
}

static double cp_loss_grad(void *model, const double *theta, double *grad)
{
    /* Shapes: factor k is dim x R, stored one after another in theta. Per observed entry the work is
     * O(order * R): the entry itself, then for each component the products of all factors but one (prefix
     * times suffix), which is each factor's partial derivative. No division, so zeros are handled exactly. */
    cp_model *c = model;
    double loss = 0, scale = 2.0 / (double)c->m->n_obs;
    size_t d[8];
    double pre[9], suf[9];
    if (grad) memset(grad, 0, c->P * sizeof *grad);
    for (size_t n = 0; n < c->m->n_obs; n++) {
        size_t i = c->m->obs[n];
        cp_index(c, i, d);
        double diff = cp_entry(c, theta, d) - c->T[i];
        loss += diff * diff;
        if (!grad) continue;
        for (size_t r = 0; r < c->R; r++) {
            pre[0] = 1;
            for (size_t k = 0; k < c->order; k++) pre[k + 1] = pre[k] * theta[(k * c->dim + d[k]) * c->R + r];
            suf[c->order] = 1;
            for (size_t k = c->order; k-- > 0;) suf[k] = suf[k + 1] * theta[(k * c->dim + d[k]) * c->R + r];
            for (size_t k = 0; k < c->order; k++)
                grad[(k * c->dim + d[k]) * c->R + r] += scale * diff * pre[k] * suf[k + 1];
        }
    }
    return loss / (double)c->m->n_obs;
}

static void cp_component_norms(const cp_model *c, const double *theta, double *norms)
{
    for (size_t r = 0; r < c->R; r++) {
        norms[r] = 1;
        for (size_t k = 0; k < c->order; k++) norms[r] *= col_norm(theta + k * c->dim * c->R, c->dim, c->R, r);
    }
}

typedef struct {
    const double *T;
    const mask *m;
    double *W, *E, *W21, *W32, *tmp, *tmp2; /* 64 x 64 each */
} mf_model;

enum { MF_P = 3 * N_ENTRIES };

static double mf_loss_grad(void *model, const double *theta, double *grad)
{
    /* theta = (W1, W2, W3), each 64 x 64. Two 64^3 products forward and four backward: about 3 MFLOP per
     * iteration, the most expensive model here. */
    mf_model *f = model;
    const double *W1 = theta, *W2 = theta + N_ENTRIES, *W3 = theta + 2 * N_ENTRIES;
    mul_nn(f->W21, W2, W1, D2, D2, D2);
    mul_nn(f->W, W3, f->W21, D2, D2, D2);                       /* W = W3 W2 W1             */
    double loss = masked_mse(f->W, f->T, f->m, grad ? f->E : NULL);
    if (!grad) return loss;
    mul_nt(grad + 2 * N_ENTRIES, f->E, f->W21, D2, D2, D2);     /* dL/dW3 = E (W2 W1)^T     */
    mul_tn(f->tmp, W3, f->E, D2, D2, D2);                       /* W3^T E                   */
    mul_nt(grad + N_ENTRIES, f->tmp, W1, D2, D2, D2);           /* dL/dW2 = W3^T E W1^T     */
    mul_nn(f->W32, W3, W2, D2, D2, D2);
    mul_tn(grad, f->W32, f->E, D2, D2, D2);                     /* dL/dW1 = (W3 W2)^T E     */
    return loss;
}

/* ======================================================================================================
 * 4. GroupRMSprop, and the training loop.
 *
 * The authors' optimizer keeps ONE exponential average of the squared norm of the whole gradient and divides
 * every coordinate's step by the same number:
 *     s_t = alpha s_{t-1} + (1 - alpha) ||g_t||^2,     theta <- theta - lr g_t / (sqrt(s_t / (1 - alpha^t)) + eps)
 * with lr = 0.01, alpha = 0.99, eps = 1e-6. The direction is always -g: it is gradient descent whose step
 * size adapts to the gradient's scale, a reparametrisation of time along (a discretization of) gradient flow,
 * so the implicit bias of gradient flow (Thm 1) is kept. Per-parameter Adam would not keep it. The eps sets
 * a floor: when ||g|| << eps the step is lr ||g|| / eps and training freezes (departure (a)).
 * The stepper lives in common/optim.h (deep_matrix_factorization uses it too); here it drives a flat vector.
 * ====================================================================================================== */

/* Returns the scalar eta_t = lr / (sqrt(s_hat) + eps) of this step: theta moved by -eta_t g, i.e. by
 * eta_t units of gradient-flow time (claim lc_dynamics uses it to compare with Thm 1's rate). */
static double group_rmsprop_step(group_rmsprop *o, double *theta, const double *g, size_t P)
{
    double eta = group_rmsprop_rate(o, vec_dot(g, g, P));
    vec_axpy(-eta, g, theta, P);
    return eta;
}

typedef double (*loss_grad_fn)(void *model, const double *theta, double *grad);

/* Called at t = 0, every `every` iterations and at the last one, after the loss (and forward pass) at the
 * current theta has been computed; returns nonzero to stop early. */
typedef int (*record_fn)(void *ctx, long t, const double *theta, double loss);

/* Runs `steps` GroupRMSprop iterations. Returns -1, or the iteration at which the loss stopped being finite
 * or grew 1e3-fold over its initial value (divergence: the caller reports it). */
static long train(loss_grad_fn f, void *model, double *theta, size_t P, long steps, long every, record_fn rec,
                  void *ctx)
{
    /* One gradient buffer for the whole run (no allocation in the loop). The recorder sees the loss of the
     * parameters it is shown: the loss is computed before the step, and the recorder is called in between. */
    double *g = suite_calloc(P, sizeof *g);
    group_rmsprop opt = group_rmsprop_new(lr, 0.99, 1e-6);
    double loss0 = 0;
    long failed = -1;
    for (long t = 0; t <= steps; t++) {
        double loss = f(model, theta, t < steps ? g : NULL);
        if (t == 0) loss0 = loss;
        if (suite_diverged(loss, loss0 + 1e-12, 1e3)) {
            failed = t;
            break;
        }
        if (rec && (t % every == 0 || t == steps) && rec(ctx, t, theta, loss)) break;
        if (t < steps) group_rmsprop_step(&opt, theta, g, P);
    }
    free(g);
    return failed;
}

/* ======================================================================================================
 * 5. The gradient check (claim gradient_check): the analytic gradients against central differences.
 *
 * At a random point of moderate scale (so that no term is negligible), for each checked coordinate i:
 *     fd_i = (L(theta + h e_i) - L(theta - h e_i)) / (2h),   h = 1e-6,
 * whose error is O(h^2) truncation plus O(eps_mach L / h) rounding, both far below 1e-6 of the gradient's
 * scale. The statistic is max_i |g_i - fd_i| / max_j |g_j|. `perturb` adds 1e-4 max|g| to one analytic
 * entry: the control, showing that an error of that size would be caught.
 * ====================================================================================================== */

static double gradient_check(loss_grad_fn f, void *model, double *theta, size_t P, size_t n_coords, gsl_rng *r,
                             int perturb)
{
    double *g = suite_calloc(P, sizeof *g);
    f(model, theta, g);
    double gmax = 0;
    for (size_t i = 0; i < P; i++) gmax = fmax(gmax, fabs(g[i]));
    if (perturb) g[P / 2] += 1e-4 * gmax;
    double worst = 0, h = 1e-6;
    for (size_t k = 0; k < n_coords; k++) {
        size_t i = n_coords >= P ? k : (k == 0 ? P / 2 : (size_t)gsl_rng_uniform_int(r, P));
        if (i >= P) break;
        double keep = theta[i];
        theta[i] = keep + h;
        double up = f(model, theta, NULL);
        theta[i] = keep - h;
        double down = f(model, theta, NULL);
        theta[i] = keep;
        worst = fmax(worst, fabs(g[i] - (up - down) / (2 * h)));
    }
    free(g);
    return worst / gmax;
}

/* ======================================================================================================
 * 6. E1: the HTF staircase (Figs. A right and B).
 * ====================================================================================================== */

/* What one recorded HTF step measures, all from the forward pass already done at this theta. */
typedef struct {
    double lc_root[256], lc_12[256]; /* sorted decreasing                    */
    double sv12[D2], sv13[D2];       /* singular values of mat{1,2}, mat{1,3} */
} htf_metrics;

static void htf_measure(const htf *h, const double *theta, htf_metrics *x, int with_13)
{
    /* Uses h->M from the forward pass that train just did at this theta: no recomputation. The two 64 x 64
     * SVDs dominate a recorded step; recording every 25 iterations keeps them a modest part of the run. */
    htf_local_components(h, theta, x->lc_root, x->lc_12);
    qsort(x->lc_root, h->R, sizeof(double), by_decreasing);
    qsort(x->lc_12, h->R, sizeof(double), by_decreasing);
    singular_values_64(h->M, x->sv12);
    if (with_13) {
        double *M13 = suite_calloc(N_ENTRIES, sizeof *M13);
        matricize_13(h->M, M13);
        singular_values_64(M13, x->sv13);
        free(M13);
    }
}

typedef struct {
    htf *h;
    tsv *out;
    const double *T;
    htf_metrics x;
    progress *bar;
    long total;
} e1_ctx;

/* One row of htf_dyn.tsv: t, loss, test error, then the top-10 of each of the four measured spectra
 * (zero-padded when R < 10, so the columns are the same at every width). */
static int e1_record(void *ctx, long t, const double *theta, double loss)
{
    e1_ctx *c = ctx;
    htf_measure(c->h, theta, &c->x, 1);
    double row[3 + 4 * TOP];
    row[0] = (double)t;
    row[1] = loss;
    row[2] = test_error(c->h->M, c->T, c->h->m);
    for (size_t k = 0; k < TOP; k++) {
        row[3 + k] = k < c->h->R ? c->x.lc_root[k] : 0;
        row[3 + TOP + k] = k < c->h->R ? c->x.lc_12[k] : 0;
        row[3 + 2 * TOP + k] = c->x.sv12[k];
        row[3 + 3 * TOP + k] = c->x.sv13[k];
    }
    tsv_row(c->out, 3 + 4 * TOP, row);
    progress_update(c->bar, (double)t);
    return 0;
}

/* The header of a data file with numbered columns: "t  train_loss  test_err  lc_root_1 ... sv13_10". */
static char *numbered_columns(char *buf, size_t size, const char *lead, const char *const *names, int n_names)
{
    size_t used = (size_t)snprintf(buf, size, "%s", lead);
    for (int j = 0; j < n_names; j++)
        for (int k = 1; k <= TOP && used < size; k++)
            used += (size_t)snprintf(buf + used, size - used, "  %s%d", names[j], k);
    return buf;
}

/* E1: one HTF run from init N(0, 0.05^2), recorded every --record-every iterations, then the final spectra.
 * What to expect (seed 1): the first root component and the first singular value of mat{1,2} jump at about
 * iteration 200, the second at about 2500, the third only after 15000; mat{1,3} meanwhile has many singular
 * values of order 1-50, because each learned root component is full-rank across {1,3}. */
static int experiment_htf_dynamics(const suite_run *run)
{
    double *T = htf_target_new(run->seed);
    mask *m = mask_new(run->seed, (size_t)n_observed);
    htf *h = htf_new((size_t)width, T, m);
    double *theta = suite_calloc(h->P, sizeof *theta);
    gsl_rng *r = rng_stream(run->seed, STREAM_HTF_INIT);
    gaussian_fill(theta, h->P, r, htf_init);
    gsl_rng_free(r);

    char cols[2048], what[256];
    static const char *const names[] = {"lc_root_", "lc_12_", "sv12_", "sv13_"};
    snprintf(what, sizeof what,
             "E1: HTF (R=%ld, init %g, GroupRMSprop lr %g) completing an order-4 HT-rank-(5,5) target", width, htf_init,
             lr);
    const char *dyn_cols = numbered_columns(cols, sizeof cols, "t  train_loss  test_err", names, 4);
    tsv *dyn = tsv_create(run, "htf_dyn.tsv", what, dyn_cols);
    e1_ctx c = {h, dyn, T, {{0}, {0}, {0}, {0}}, NULL, htf_iters};
    progress bar;
    progress_start(&bar, "E1 HTF staircase", (double)htf_iters, run->quiet);
    c.bar = &bar;
    long failed = train(htf_loss_grad, h, theta, h->P, htf_iters, record_every, e1_record, &c);
    progress_end(&bar);
    if (failed >= 0) suite_die_diverged("E1 HTF loss", lr, failed, htf_loss_grad(h, theta, NULL));
    tsv_commit(c.out);

    /* The whole spectra at the end, against the target's: mat{1,2} (a tree cut) stops at the target's rank 5,
     * mat{1,3} (not a tree cut) does not (log scale in the figure). */
    double s12[D2], s13[D2], l12[D2], l13[D2], *X13 = suite_calloc(N_ENTRIES, sizeof *X13);
    singular_values_64(T, s12);
    matricize_13(T, X13);
    singular_values_64(X13, s13);
    htf_forward(h, theta);
    singular_values_64(h->M, l12);
    matricize_13(h->M, X13);
    singular_values_64(X13, l13);
    free(X13);
    tsv *spec =
        tsv_create(run, "htf_spectra.tsv",
                   "E1: singular values of mat{1,2} and mat{1,3}, target T* and the HTF after the last iteration",
                   "k  target_sv12  target_sv13  learned_sv12  learned_sv13");
    for (size_t k = 0; k < D2; k++) tsv_row(spec, 5, (double[]){(double)(k + 1), s12[k], s13[k], l12[k], l13[k]});
    tsv_commit(spec);
    free(theta);
    htf_free(h);
    mask_free(m);
    free(T);
    return 0;
}

/* ======================================================================================================
 * 7. E2: the companions of Fig. A, a depth-3 matrix factorization and an order-3 CP factorization.
 *
 * Targets (as the official data generators make them): a rank-5 64 x 64 matrix U V^T with N(0,1) factors,
 * and a rank-5 CP tensor of order 3 and dimension 16 with N(0,1) factors, each scaled to ||T||_F = 64.
 * The MF staircase is in the singular values of W (their dynamics: ds/dt ~ s^{2-2/3}, Arora et al. 2019),
 * the CP staircase in the component norms (d/dt ||c_r|| ~ ||c_r||^{2-2/3}, Razin et al. 2021).
 * ====================================================================================================== */

typedef struct {
    tsv *out;
    const double *T;
    const mask *m;
    void *model;
    int kind; /* 0: MF, 1: CP */
    const double *E;
} e2_ctx;

static int e2_record(void *ctx, long t, const double *theta, double loss)
{
    /* MF: the singular values of the end matrix W = W3 W2 W1 (already formed by the loss). CP: the component
     * norms prod_k ||col_r U_k||, sorted, and the whole tensor for the test error. */
    e2_ctx *c = ctx;
    double row[3 + TOP] = {(double)t, loss, 0};
    double vals[256] = {0};
    if (c->kind == 0) {
        mf_model *f = c->model;
        row[2] = test_error(f->W, c->T, c->m);
        singular_values_64(f->W, vals);
    } else {
        cp_model *cp = c->model;
        cp_full(cp, theta);
        row[2] = test_error(cp->W, c->T, c->m);
        cp_component_norms(cp, theta, vals);
        qsort(vals, cp->R, sizeof(double), by_decreasing);
    }
    for (size_t k = 0; k < TOP; k++) row[3 + k] = vals[k];
    tsv_row(c->out, 3 + TOP, row);
    return 0;
}

static int experiment_companions(const suite_run *run)
{
    /* Both companions use the same observed positions as E1 (the mask of this seed): 2048 of 4096 entries,
     * which for the 64 x 64 matrix is half of its entries, and for the 16^3 tensor half of its 4096. */
    char cols[512], what[256];
    static const char *const sv_name[] = {"sv"}, *const norm_name[] = {"norm"};
    mask *m = mask_new(run->seed, (size_t)n_observed);
    gsl_rng *r = rng_stream(run->seed, STREAM_MF_TARGET);

    /* Depth-3 matrix factorization of a rank-5 64 x 64 matrix. */
    double *T = suite_calloc(N_ENTRIES, sizeof *T), Uf[D2 * 5], Vf[D2 * 5];
    gaussian_fill(Uf, D2 * 5, r, 1.0);
    gaussian_fill(Vf, D2 * 5, r, 1.0);
    gsl_rng_free(r);
    mul_nt(T, Uf, Vf, D2, 5, D2);
    scale_to_norm(T, N_ENTRIES, 64.0);
    mf_model f = {T, m, NULL, NULL, NULL, NULL, NULL, NULL};
    f.W = suite_calloc(N_ENTRIES, sizeof(double));
    f.E = suite_calloc(N_ENTRIES, sizeof(double));
    f.W21 = suite_calloc(N_ENTRIES, sizeof(double));
    f.W32 = suite_calloc(N_ENTRIES, sizeof(double));
    f.tmp = suite_calloc(N_ENTRIES, sizeof(double));
    double *theta = suite_calloc(MF_P, sizeof *theta);
    r = rng_stream(run->seed, STREAM_MF_INIT);
    gaussian_fill(theta, MF_P, r, mf_init);
    gsl_rng_free(r);
    snprintf(what, sizeof what, "E2: depth-3 MF (64x64, init %g) completing a rank-5 matrix: top singular values of W",
             mf_init);
    const char *mf_out_cols = numbered_columns(cols, sizeof cols, "t  train_loss  test_err", sv_name, 1);
    tsv *mf_out = tsv_create(run, "mf_dyn.tsv", what, mf_out_cols);
    e2_ctx c = {mf_out, T, m, &f, 0, NULL};
    long failed = train(mf_loss_grad, &f, theta, MF_P, mf_iters, record_every, e2_record, &c);
    if (failed >= 0) suite_die_diverged("E2 MF loss", lr, failed, mf_loss_grad(&f, theta, NULL));
    tsv_commit(c.out);
    free(theta);
    free(f.W); free(f.E); free(f.W21); free(f.W32); free(f.tmp);

    /* Order-3 CP factorization of a rank-5 16^3 tensor. */
    cp_model gen = {3, 16, 5, 3 * 16 * 5, NULL, m, T};
    double *gen_theta = suite_calloc(gen.P, sizeof *gen_theta);
    r = rng_stream(run->seed, STREAM_CP_TARGET);
    gaussian_fill(gen_theta, gen.P, r, 1.0);
    gsl_rng_free(r);
    cp_full(&gen, gen_theta); /* writes the target into T */
    free(gen_theta);
    scale_to_norm(T, N_ENTRIES, 64.0);
    cp_model cp = {3, 16, (size_t)cp_width, 3 * 16 * (size_t)cp_width, T, m, NULL};
    cp.W = suite_calloc(N_ENTRIES, sizeof(double));
    theta = suite_calloc(cp.P, sizeof *theta);
    r = rng_stream(run->seed, STREAM_CP_INIT);
    gaussian_fill(theta, cp.P, r, cp_init);
    gsl_rng_free(r);
    snprintf(what, sizeof what, "E2: order-3 CP (16^3, R=%ld, init %g) completing a rank-5 tensor: top component norms",
             cp_width, cp_init);
    const char *cp_out_cols = numbered_columns(cols, sizeof cols, "t  train_loss  test_err", norm_name, 1);
    tsv *cp_out = tsv_create(run, "cp_dyn.tsv", what, cp_out_cols);
    e2_ctx c2 = {cp_out, T, m, &cp, 1, NULL};
    failed = train(cp_loss_grad, &cp, theta, cp.P, cp_iters, record_every, e2_record, &c2);
    if (failed >= 0) suite_die_diverged("E2 CP loss", lr, failed, cp_loss_grad(&cp, theta, NULL));
    tsv_commit(c2.out);
    free(theta);
    free(cp.W);
    free(T);
    mask_free(m);
    return 0;
}

/* ======================================================================================================
 * 8. E3: locality. HTF and CP on T* and on its mode-swapped twin T'.
 *
 * T'[d1,d2,d3,d4] = T*[d1,d3,d2,d4] has the same CP rank as T* (a relabelling of modes), but its tree
 * matricization mat{1,2}(T') is mat{1,3}(T*), of high rank: T' couples modes 1 with 3 and 2 with 4, across
 * the tree cut. If the HTF's implicit bias is to low HT rank, it generalizes well on T* and badly on T' from
 * the same observed positions, while the CP model, which has no tree, does equally well on both.
 * ====================================================================================================== */

typedef struct {
    double train_loss, test_err;
    long failed;
} fit_result;

/* Fits HTF (width, htf_init) to T from mask m for `steps` iterations; igc > 0 adds the E4 penalty. */
static fit_result fit_htf(const double *T, const mask *m, uint64_t seed, size_t R, double init, long steps, double igc)
{
    /* The init stream depends only on the seed, so the HTF fits of T* and T' start from the same parameters:
     * the two runs differ in the target values at the observed positions and nothing else. */
    htf *h = htf_new(R, T, m);
    h->igc = igc;
    double *theta = suite_calloc(h->P, sizeof *theta);
    gsl_rng *r = rng_stream(seed, STREAM_HTF_INIT);
    gaussian_fill(theta, h->P, r, init);
    gsl_rng_free(r);
    fit_result res = {0, 0, train(htf_loss_grad, h, theta, h->P, steps, steps, NULL, NULL)};
    htf_loss_grad(h, theta, NULL);
    res.train_loss = h->fit_loss;
    res.test_err = test_error(h->M, T, m);
    free(theta);
    htf_free(h);
    return res;
}

/* The CP control at order 4, on node tables like the HTF's: with A = U_1 o U_2 and B = U_3 o U_4 (64 x R),
 *     mat{1,2}(W_CP) = A B^T,   dL/dA = E B,   dL/dB = E^T A,
 * then pool_backward to the leaves. No tree node above: the pairing {1,2},{3,4} is only a storage layout,
 * and any other pairing gives the same model. R = 64 components, init 0.2 (it learns T* and T' in < 5k steps). */
typedef struct {
    size_t R, P;
    const double *T;
    const mask *m;
    double *A, *B, *M, *E, *GA, *GB;
} cp4_model;

static double cp4_loss_grad(void *model, const double *theta, double *grad)
{
    cp4_model *c = model;
    size_t R = c->R;
    pool(c->A, theta, theta + DIM * R, R);
    pool(c->B, theta + 2 * DIM * R, theta + 3 * DIM * R, R);
    mul_nt(c->M, c->A, c->B, D2, R, D2);
    double loss = masked_mse(c->M, c->T, c->m, grad ? c->E : NULL);
    if (!grad) return loss;
    mul_nn(c->GA, c->E, c->B, D2, D2, R);
    mul_tn(c->GB, c->E, c->A, D2, D2, R);
    pool_backward(c->GA, theta, theta + DIM * R, grad, grad + DIM * R, R);
    pool_backward(c->GB, theta + 2 * DIM * R, theta + 3 * DIM * R, grad + 2 * DIM * R, grad + 3 * DIM * R, R);
    return loss;
}

static cp4_model *cp4_new(size_t R, const double *T, const mask *m)
{
    cp4_model *c = suite_calloc(1, sizeof *c);
    c->R = R;
    c->P = 4 * DIM * R;
    c->T = T;
    c->m = m;
    c->A = suite_calloc(D2 * R, sizeof(double));
    c->B = suite_calloc(D2 * R, sizeof(double));
    c->GA = suite_calloc(D2 * R, sizeof(double));
    c->GB = suite_calloc(D2 * R, sizeof(double));
    c->M = suite_calloc(N_ENTRIES, sizeof(double));
    c->E = suite_calloc(N_ENTRIES, sizeof(double));
    return c;
}

static void cp4_free(cp4_model *c)
{
    free(c->A); free(c->B); free(c->GA); free(c->GB); free(c->M); free(c->E);
    free(c);
}

/* Why R = 64 and init 0.2 for the CP control: it must fit T* and T' equally well, and quickly; a wide CP
 * from a moderate init does (train loss ~1e-3 on both by 5k steps). Its own implicit bias is towards low
 * CP rank, which T* and T' share, so it has no reason to prefer either. */
static fit_result fit_cp4(const double *T, const mask *m, uint64_t seed, long steps)
{
    cp4_model *c = cp4_new(64, T, m);
    double *theta = suite_calloc(c->P, sizeof *theta);
    gsl_rng *r = rng_stream(seed, STREAM_CP4_INIT);
    gaussian_fill(theta, c->P, r, 0.2);
    gsl_rng_free(r);
    fit_result res = {0, 0, train(cp4_loss_grad, c, theta, c->P, steps, steps, NULL, NULL)};
    res.train_loss = cp4_loss_grad(c, theta, NULL);
    res.test_err = test_error(c->M, T, m);
    free(theta);
    cp4_free(c);
    return res;
}

static const int SWAP_ACROSS[4] = {0, 2, 1, 3}; /* T'  = T*[d1,d3,d2,d4]: modes 2,3 swapped across the cut */
static const int SWAP_INSIDE[4] = {1, 0, 2, 3}; /* T'' = T*[d2,d1,d3,d4]: modes 1,2 swapped inside node {1,2} */

/* errors[model][target]: model 0 HTF, 1 CP; target 0 T*, 1 the swapped twin. */
static int locality_errors(uint64_t seed, const int *swap, long htf_steps, long cp_steps, fit_result res[2][2])
{
    /* Four fits: {HTF, CP} x {T*, swapped}. Returns -1, or the step at which one of them diverged. */
    double *T = htf_target_new(seed), *Ts = suite_calloc(N_ENTRIES, sizeof *Ts);
    swap_modes(T, Ts, swap);
    mask *m = mask_new(seed, (size_t)n_observed); /* the same observed positions for both targets and models */
    res[0][0] = fit_htf(T, m, seed, (size_t)width, htf_init, htf_steps, 0);
    res[0][1] = fit_htf(Ts, m, seed, (size_t)width, htf_init, htf_steps, 0);
    res[1][0] = fit_cp4(T, m, seed, cp_steps);
    res[1][1] = fit_cp4(Ts, m, seed, cp_steps);
    free(T);
    free(Ts);
    mask_free(m);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (res[i][j].failed >= 0) return (int)res[i][j].failed;
    return -1;
}

static int experiment_locality(const suite_run *run)
{
    /* Seeds run, run+1, ...: each gives a new target, mask and init (the claim locality checks the ratios per
     * seed; the figure shows their geometric mean, since test errors spread over more than a decade). */
    tsv *out =
        tsv_create(run, "locality.tsv",
                   "E3: relative test error of HTF and CP on T* and on T' (modes 2,3 swapped across the tree cut)",
                   "seed  model(0=HTF,1=CP)  target(0=T*,1=T')  train_loss  test_err");
    progress bar;
    progress_start(&bar, "E3 locality", (double)loc_seeds, run->quiet);
    double sum_log[2][2] = {{0}}, lo[2][2], hi[2][2], sum_train[2][2] = {{0}};
    for (long k = 0; k < loc_seeds; k++) {
        uint64_t seed = run->seed + (uint64_t)k;
        fit_result res[2][2];
        int failed = locality_errors(seed, SWAP_ACROSS, iters, loc_cp_iters, res);
        if (failed >= 0)
            suite_die(SUITE_EXIT_NUMERIC,
                      "E3: a fit of seed %lu diverged at step %d with step size %g (loss not finite or "
                      "1000x its initial value); nothing was written",
                      (unsigned long)seed, failed, lr);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) {
                tsv_row(out, 5, (double[]){(double)seed, i, j, res[i][j].train_loss, res[i][j].test_err});
                sum_log[i][j] += log(res[i][j].test_err);
                sum_train[i][j] += res[i][j].train_loss;
                lo[i][j] = k == 0 ? res[i][j].test_err : fmin(lo[i][j], res[i][j].test_err);
                hi[i][j] = k == 0 ? res[i][j].test_err : fmax(hi[i][j], res[i][j].test_err);
            }
        progress_update(&bar, (double)(k + 1));
    }
    progress_end(&bar);
    /* Block 1: one row per (model, target): the geometric mean of the test error over the seeds, its range,
     * and the mean train loss (errors spread over decades, hence the geometric mean). */
    tsv_block(out);
    tsv_printf(out, "# summary over %ld seeds: model  target  geomean_test_err  min  max  mean_train_loss\n",
               loc_seeds);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            tsv_row(out, 6,
                    (double[]){i, j, exp(sum_log[i][j] / (double)loc_seeds), lo[i][j], hi[i][j],
                               sum_train[i][j] / (double)loc_seeds});
    tsv_commit(out);
    return 0;
}

/* ======================================================================================================
 * 9. E4 (optional, exploratory, no claim): the one-hot IGC regularizer against the locality bias.
 *
 * The HTF fits T' with lambda in {0, lambda/10, lambda}; the penalty (section 2) rewards fibres of mode 1
 * that change when mode 3 changes, i.e. interactions across the tree cut. We report the test error on T'
 * and on T* (to see what the penalty costs where locality is right), whatever it turns out to be.
 * ====================================================================================================== */

static int experiment_igc(const suite_run *run)
{
    /* Each run: igc_start plain iterations (the penalty off), then the rest with the penalty on. The second
     * train() call starts a fresh GroupRMSprop state, as a new optimizer would: its first step has length lr
     * again. Everything is recorded at the end only (no curves: the question is where the fit ends up). */
    tsv *out = tsv_create(run, "igc.tsv", "E4: HTF with the one-hot IGC penalty (modes 1 vs 3) on T* and T'",
                          "lambda  target(0=T*,1=T')  train_loss  igc_penalty_per_lambda  test_err");
    double *T = htf_target_new(run->seed), *Ts = suite_calloc(N_ENTRIES, sizeof *Ts);
    swap_modes(T, Ts, SWAP_ACROSS);
    mask *m = mask_new(run->seed, (size_t)n_observed);
    const double lambdas[3] = {0, igc_lambda / 10, igc_lambda};
    progress bar;
    progress_start(&bar, "E4 IGC", 6, run->quiet);
    for (int j = 0; j < 2; j++)
        for (int k = 0; k < 3; k++) {
            const double *target = j ? Ts : T;
            htf *h = htf_new((size_t)width, target, m);
            double *theta = suite_calloc(h->P, sizeof *theta);
            gsl_rng *r = rng_stream(run->seed, STREAM_HTF_INIT);
            gaussian_fill(theta, h->P, r, htf_init);
            gsl_rng_free(r);
            long start = igc_start < iters ? igc_start : iters;
            long failed = train(htf_loss_grad, h, theta, h->P, start, iters, NULL, NULL);
            h->igc = lambdas[k];
            if (failed < 0) failed = train(htf_loss_grad, h, theta, h->P, iters - start, iters, NULL, NULL);
            if (failed >= 0) suite_die_diverged("E4 HTF+IGC loss", lr, failed, htf_loss_grad(h, theta, NULL));
            htf_loss_grad(h, theta, NULL);
            /* The penalty at lambda = 1 is the mean |cos| itself: near 1 means the mode-1 fibres barely
             * change with mode 3 (weak interaction across the cut), lower means stronger interaction. */
            double mean_cos = igc_penalty(h->M, m, 1.0, NULL);
            tsv_row(out, 5, (double[]){lambdas[k], j, h->fit_loss, mean_cos, test_error(h->M, target, m)});
            free(theta);
            htf_free(h);
            progress_update(&bar, j * 3 + k + 1);
        }
    progress_end(&bar);
    tsv_commit(out);
    free(T);
    free(Ts);
    mask_free(m);
    return 0;
}

/* ======================================================================================================
 * 10. The claims. Each runs a reduced E1/E3 at R = 32, init 0.05, 2048 observed entries, GroupRMSprop
 *     lr 0.01 (the --scale default setting), on seed --seed's target and mask.
 * ====================================================================================================== */

enum { CLAIM_STEPS = 10000, CLAIM_EVERY = 10, MAX_RECORDS = CLAIM_STEPS / CLAIM_EVERY + 2 };

/* A recorder for the claims: sv12 (and optionally sv13, LC_root) at every recorded step. */
typedef struct {
    htf *h;
    double (*sv12)[TOP];   /* MAX_RECORDS rows, or NULL */
    long n, every;
    int with_13;
    long max_excess12, max_excess13, live_min, live_max; /* rank_bound bookkeeping */
} claim_rec;

static int claim_record(void *ctx, long t, const double *theta, double loss)
{
    /* Called every CLAIM_EVERY = 10 iterations: the times t_k of claim incremental are resolved to 10
     * iterations, far below the gaps of 1000+ iterations that the claim measures. */
    (void)loss;
    claim_rec *c = ctx;
    htf_metrics x;
    htf_measure(c->h, theta, &x, c->with_13);
    if (c->sv12 && t / c->every < MAX_RECORDS) memcpy(c->sv12[t / c->every], x.sv12, sizeof c->sv12[0]);
    c->n = t / c->every + 1;
    if (c->with_13) {
        /* C5: live root components (LC above 1e-12 of the largest) against numerical ranks (singular values
         * above 1e-10 of the largest) of the tree matricization mat{1,2} and of the non-tree mat{1,3}. */
        long live = 0, rank12 = 0, rank13 = 0;
        for (size_t r = 0; r < c->h->R; r++) live += x.lc_root[r] > 1e-12 * x.lc_root[0];
        for (size_t k = 0; k < D2; k++) {
            rank12 += x.sv12[k] > 1e-10 * x.sv12[0];
            rank13 += x.sv13[k] > 1e-10 * x.sv13[0];
        }
        if (t == 0 || rank12 - live > c->max_excess12) c->max_excess12 = rank12 - live;
        if (t == 0 || rank13 - live > c->max_excess13) c->max_excess13 = rank13 - live;
        if (t == 0 || live < c->live_min) c->live_min = live;
        if (t == 0 || live > c->live_max) c->live_max = live;
    }
    return 0;
}

/* Runs the claim HTF from init `init` on T* of `seed`; `keep` >= 0 zeroes root components keep..R-1 (all
 * three factors). Fills sv12 every CLAIM_EVERY steps when asked. Returns the divergence step or -1. */
static long claim_htf_run(uint64_t seed, double init, long steps, double (*sv12)[TOP], double *target_sv,
                          double *final_sv, fit_result *fit)
{
    /* The claims' fixed setting: R = 32, 2048 observed entries, GroupRMSprop lr 0.01, the seed's target,
     * mask and init stream. Only init and the number of steps vary between claims and controls. */
    double *T = htf_target_new(seed);
    mask *m = mask_new(seed, 2048);
    htf *h = htf_new(32, T, m);
    double *theta = suite_calloc(h->P, sizeof *theta);
    gsl_rng *r = rng_stream(seed, STREAM_HTF_INIT);
    gaussian_fill(theta, h->P, r, init);
    gsl_rng_free(r);
    if (target_sv) singular_values_64(T, target_sv);
    claim_rec rec = {h, sv12, 0, CLAIM_EVERY, 0, 0, 0, 0, 0};
    long failed =
        train(htf_loss_grad, h, theta, h->P, steps, sv12 ? CLAIM_EVERY : steps, sv12 ? claim_record : NULL, &rec);
    if (final_sv && failed < 0) {
        htf_loss_grad(h, theta, NULL);
        singular_values_64(h->M, final_sv);
        if (fit) {
            fit->train_loss = h->fit_loss;
            fit->test_err = test_error(h->M, T, m);
        }
    }
    free(theta);
    htf_free(h);
    mask_free(m);
    free(T);
    return failed;
}

/* C1 (Thm 1 -> incremental learning). t_k = the first recorded iteration at which the k-th singular value of
 * mat{1,2} reaches half the target's s_k*, for the K* target values with s_k* >= 0.1 s_1*. From small init
 * they come one at a time (gaps of hundreds to thousands of iterations); from init 0.5 the initial tensor is
 * already as large as the target and every t_k = 0. */
static void claim_incremental(claim_ctx *c)
{
    /* Why singular values and not the root LC norms themselves: the target fixes the singular values of
     * mat{1,2} (s_k*), so "half-way" has a meaning; the LC norms at the optimum depend on how the learned
     * factorization distributes the scale between levels, which no target fixes. By (iv) of section 0 the
     * k-th singular value can only become nonzero once k root components are alive, so the two staircases
     * step together (compare the two right-hand panels of htf_locality-htf.png).
     * Why half-way: a component that has been learned has s_k(t) within a few percent of s_k*, one still
     * waiting stays below a few percent of s_k*; any level in between gives nearly the same t_k, because
     * the jump itself is short compared with the wait before it (the sigmoid-like solution of Thm 1). */
    double (*sv12)[TOP] = suite_calloc(MAX_RECORDS, sizeof *sv12), target[D2];
    double init = c->control ? 0.5 : 0.05;
    long failed = claim_htf_run(c->seed, init, CLAIM_STEPS, sv12, target, NULL, NULL);
    if (failed >= 0) {
        claim_fail(c, "HTF diverged at step %ld", failed);
        free(sv12);
        return;
    }
    /* K*: the target values large enough to matter (>= 10% of the top one). Weaker ones are learned much
     * later (Thm 1: the rate scales with the component's own size), often beyond the 10k-step budget. */
    int K = 0;
    while (K < 5 && target[K] >= 0.1 * target[0]) K++;
    long t_k[5], reached = 0, min_gap = CLAIM_STEPS;
    for (int k = 0; k < K; k++) {
        t_k[k] = -1;
        for (long n = 0; n < MAX_RECORDS - 1 && t_k[k] < 0; n++)
            if (sv12[n][k] >= 0.5 * target[k]) t_k[k] = n * CLAIM_EVERY;
        reached += t_k[k] >= 0;
        if (k > 0 && t_k[k] >= 0 && t_k[k - 1] >= 0 && t_k[k] - t_k[k - 1] < min_gap) min_gap = t_k[k] - t_k[k - 1];
    }
    if (!c->quiet) {
        fprintf(stderr, "  init %g, K* = %d, t_k =", init, K);
        for (int k = 0; k < K; k++) fprintf(stderr, " %ld", t_k[k]);
        fprintf(stderr, "\n");
    }
    char stat[160];
    snprintf(stat, sizeof stat, "strong target values (s_k* >= 0.1 s_1*) reached half-way, of K* = %d", K);
    claim_check(c, stat, (double)reached, CLAIM_GE, K >= 2 ? K : 2);
    claim_check(c, "min_k (t_k - t_{k-1}) in iterations", (double)min_gap, CLAIM_GE, 150);
    free(sv12);
}

/* C2 (low HT rank). q = s_6 / s_1 of mat{1,2} after 10k steps: s_6 is beyond the target's exact rank 5
 * at this cut, so any mass there is rank the data did not ask for. Small init leaves almost none; large init
 * (0.5) fits the observed entries too, but leaves extra rank on the unobserved ones. The contrast: q at small
 * init is tiny in absolute terms (<= 1e-4) and at least 10x smaller than at large init. */
static void claim_low_ht_rank(claim_ctx *c)
{
    double small_sv[D2], large_sv[D2];
    fit_result small = {0, 0, -1}, large = {0, 0, -1};
    double init = c->control ? 0.5 : 0.05;
    long f1 = claim_htf_run(c->seed, init, CLAIM_STEPS, NULL, NULL, small_sv, &small);
    long f2 = claim_htf_run(c->seed, 0.5, CLAIM_STEPS, NULL, NULL, large_sv, &large);
    if (f1 >= 0 || f2 >= 0) {
        claim_fail(c, "HTF diverged at step %ld", f1 >= 0 ? f1 : f2);
        return;
    }
    double q_small = small_sv[5] / small_sv[0], q_large = large_sv[5] / large_sv[0];
    if (!c->quiet)
        fprintf(stderr,
                "  init %g: q = %.3g, train %.3g, test err %.3g;  init 0.5: q = %.3g, train %.3g, test err %.3g\n",
                init, q_small, small.train_loss, small.test_err, q_large, large.train_loss, large.test_err);
    claim_check(c, c->control ? "s_6/s_1 of mat{1,2}, init 0.5 (control)" : "s_6/s_1 of mat{1,2}, init 0.05", q_small,
                CLAIM_LE, 1e-4);
    claim_check(c, "s_6/s_1 at init 0.5 over s_6/s_1 at the small init", q_large / q_small, CLAIM_GE, 10);
}

/* C3 (locality). The same HTF, the same observed positions, two targets of the same CP rank: T* (local to the
 * tree) and T' (modes 2,3 swapped across the cut). The CP control, which has no tree, must find them equally
 * hard; the HTF must find T' much harder. Control: swap modes 1,2 inside node {1,2} instead, which leaves
 * every tree matricization's rank unchanged, so the HTF's ratio falls to about 1. */
static void claim_locality(claim_ctx *c)
{
    /* Budget: HTF 10k iterations on both targets (at 5k the ratio can still be below 4 in some seeds: the
     * T* fit is not finished), CP 5k (settled by then). About 4.5 s in all. */
    fit_result res[2][2];
    int failed = locality_errors(c->seed, c->control ? SWAP_INSIDE : SWAP_ACROSS, CLAIM_STEPS, 5000, res);
    if (failed >= 0) {
        claim_fail(c, "a fit diverged at step %d", failed);
        return;
    }
    if (!c->quiet)
        fprintf(stderr, "  test err HTF %.4g -> %.4g (train %.2g, %.2g), CP %.4g -> %.4g (train %.2g, %.2g)\n",
                res[0][0].test_err, res[0][1].test_err, res[0][0].train_loss, res[0][1].train_loss, res[1][0].test_err,
                res[1][1].test_err, res[1][0].train_loss, res[1][1].train_loss);
    /* Test errors are relative errors on the 2048 unobserved entries of the respective target, so the ratio
     * compares like with like: both targets have the same norm on Omega^c up to sampling noise. */
    claim_check(c,
                c->control ? "HTF err(T'' swapped inside node) / err(T*)" : "HTF err(T' swapped across cut) / err(T*)",
                res[0][1].test_err / res[0][0].test_err, CLAIM_GE, 4);
    double cp_ratio = res[1][1].test_err / res[1][0].test_err;
    claim_check(c, "CP |log3(err(swapped) / err(T*))| (ratio within [1/3, 3])", fabs(log(cp_ratio) / log(3.0)),
                CLAIM_LE, 1);
}

/* C4 (a local component at zero stays at zero). Set root component 0 to zero: w_0 = 0 and columns 0 of W12
 * and W34 = 0. Every factor's gradient then carries a product of the other two, which are zero, so the
 * component never moves: LC stays exactly 0.0 (not merely small) for 1000 steps while the others grow.
 * Control: zero only w_0. LC is 0 at the start too, but the factors are not balanced (Thm 1's condition) and
 * dL/dw_0 = <E, a_0 b_0^T> is not zero: the component leaves zero at the first step. */
static void claim_zero_stays_zero(claim_ctx *c)
{
    /* "Exactly": GroupRMSprop moves a parameter by a multiple of its own gradient entry, and those entries are
     * products with an exact 0.0 factor in IEEE arithmetic; so the check can demand 0.0, not "small". */
    double *T = htf_target_new(c->seed);
    mask *m = mask_new(c->seed, 2048);
    htf *h = htf_new(32, T, m);
    double *theta = suite_calloc(h->P, sizeof *theta);
    gsl_rng *r = rng_stream(c->seed, STREAM_HTF_INIT);
    gaussian_fill(theta, h->P, r, 0.05);
    gsl_rng_free(r);
    theta[h->off_w] = 0;
    if (!c->control)
        for (size_t j = 0; j < h->R; j++) theta[h->off_W12 + j * h->R] = theta[h->off_W34 + j * h->R] = 0;
    double before[256], after[256];
    htf_local_components(h, theta, before, NULL);
    long failed = train(htf_loss_grad, h, theta, h->P, 1000, 1000, NULL, NULL);
    htf_local_components(h, theta, after, NULL);
    if (failed >= 0) {
        claim_fail(c, "HTF diverged at step %ld", failed);
    } else {
        double grew_before = 0, grew_after = 0;
        for (size_t k = 1; k < h->R; k++) {
            grew_before = fmax(grew_before, before[k]);
            grew_after = fmax(grew_after, after[k]);
        }
        claim_check(c, "LC_root,0 after 1000 steps (exactly)", after[0], CLAIM_LE, 0.0);
        claim_check(c, "max_r>0 LC_root,r: after / before", grew_after / grew_before, CLAIM_GE, 10);
    }
    free(theta);
    htf_free(h);
    mask_free(m);
    free(T);
}

/* C5 (rank bound). mat{1,2}(W_H) = a diag(w) b^T, so its rank is at most the number of nonzero w_r a_r b_r,
 * i.e. of nonzero root local components. Keep 3 of the 32 (zero the others' three factors; by C4 they stay
 * zero), train 2000 steps and compare at every 10th step. mat{1,3} is not a tree cut: no such bound. */
static void claim_rank_bound(claim_ctx *c)
{
    /* Numerical rank: singular values above 1e-10 of the largest. The learned mat{1,2} is a product of
     * rank-3 factors computed in double precision, so its "zero" singular values are ~1e-16 relative: the
     * threshold sits six orders above the rounding floor and many orders below any learned value. */
    double *T = htf_target_new(c->seed);
    mask *m = mask_new(c->seed, 2048);
    htf *h = htf_new(32, T, m);
    double *theta = suite_calloc(h->P, sizeof *theta);
    gsl_rng *r = rng_stream(c->seed, STREAM_HTF_INIT);
    gaussian_fill(theta, h->P, r, 0.05);
    gsl_rng_free(r);
    for (size_t k = 3; k < h->R; k++) {
        theta[h->off_w + k] = 0;
        for (size_t j = 0; j < h->R; j++) theta[h->off_W12 + j * h->R + k] = theta[h->off_W34 + j * h->R + k] = 0;
    }
    claim_rec rec = {h, NULL, 0, CLAIM_EVERY, 1, 0, 0, 0, 0};
    long failed = train(htf_loss_grad, h, theta, h->P, 2000, CLAIM_EVERY, claim_record, &rec);
    if (failed >= 0) {
        claim_fail(c, "HTF diverged at step %ld", failed);
    } else {
        claim_check(c, c->control ? "max over steps of rank mat{1,3} - #live root components (control)"
                                  : "max over steps of rank mat{1,2} - #live root components",
                    (double)(c->control ? rec.max_excess13 : rec.max_excess12), CLAIM_LE, 0);
        claim_check(c, "live root components (min over steps)", (double)rec.live_min, CLAIM_GE, 3);
        claim_check(c, "max over steps of rank mat{1,3} - #live (no bound off the tree)", (double)rec.max_excess13,
                    CLAIM_GE, 1);
    }
    free(theta);
    htf_free(h);
    mask_free(m);
    free(T);
}

/* C7 (Thm 1, the rate itself). Balance the root components at the start (rescale col_r W12, col_r W34 and
 * w_r to the common norm LC_r^{1/3}, which keeps every LC_r and the tensor unchanged), train, and compare at
 * every step the measured change of LC_r per unit of flow time, (LC_r(t+1) - LC_r(t)) / eta_t, with
 *     d/dt LC_r = 3 LC_r^{4/3} <-grad L(W_H), What_r> = 3 LC_r^{1/3} (-w_r dL/dw_r)
 * (section 0 (ii); <-grad L, w_r a_r b_r^T> = -w_r dL/dw_r). The statistic is the median of |measured /
 * predicted - 1| over the steps 0..3000 and the components alive (LC_r >= 1e-3 of the largest) whose
 * predicted change is not negligible. Control: start unbalanced instead, with factor norms (2, 1, 1/2)
 * LC_r^{1/3} (the same LC_r and the same tensor): the true rate is then (1/4 + 1 + 4)/3 = 1.75 times the
 * balanced formula, which the check must reject. */
static int by_increasing(const void *x, const void *y)
{
    return -by_decreasing(x, y);
}

static void claim_lc_dynamics(claim_ctx *c)
{
    /* Why a balanced start and not the usual random one: Thm 1's formula assumes zero unbalancedness. From a
     * random start the three factor norms of a component differ, and (section 0 (i)) the differences of
     * their squares are conserved, so the formula holds only once the component has grown large enough for
     * those differences to be negligible. Balancing first makes it hold from step 0. */
    double *T = htf_target_new(c->seed);
    mask *m = mask_new(c->seed, 2048);
    htf *h = htf_new(32, T, m);
    size_t R = h->R, P = h->P;
    double *theta = suite_calloc(P, sizeof *theta), *g = suite_calloc(P, sizeof *g);
    gsl_rng *r = rng_stream(c->seed, STREAM_HTF_INIT);
    gaussian_fill(theta, P, r, 0.05);
    gsl_rng_free(r);
    /* Balance (or, under --control, unbalance) every root component without changing it. */
    double *W12 = theta + h->off_W12, *W34 = theta + h->off_W34, *w = theta + h->off_w;
    for (size_t k = 0; k < R; k++) {
        double nx = col_norm(W12, R, R, k), ny = col_norm(W34, R, R, k), nz = fabs(w[k]);
        double common = cbrt(nx * ny * nz);
        double fx = c->control ? 2.0 : 1.0, fz = c->control ? 0.5 : 1.0;
        for (size_t j = 0; j < R; j++) {
            W12[j * R + k] *= fx * common / nx;
            W34[j * R + k] *= common / ny;
        }
        w[k] *= fz * common / nz;
    }
    enum { STEPS = 3000 };
    double *dev = suite_calloc((size_t)STEPS * R, sizeof *dev);
    size_t n_dev = 0;
    double before[256], after[256];
    group_rmsprop opt = group_rmsprop_new(0.01, 0.99, 1e-6);
    for (long t = 0; t < STEPS; t++) {
        htf_loss_grad(h, theta, g);
        htf_local_components(h, theta, before, NULL);
        double top = 0, predicted[256];
        for (size_t k = 0; k < R; k++) {
            top = fmax(top, before[k]);
            predicted[k] = 3 * cbrt(before[k]) * (-w[k] * g[h->off_w + k]);
        }
        double eta = group_rmsprop_step(&opt, theta, g, P);
        htf_local_components(h, theta, after, NULL);
        for (size_t k = 0; k < R; k++) {
            /* Skip components that are dead or whose predicted change this step is below 1e-9 of LC (the
             * measured difference would be rounding noise). */
            if (before[k] < 1e-3 * top || fabs(predicted[k] * eta) < 1e-9 * before[k]) continue;
            dev[n_dev++] = fabs((after[k] - before[k]) / eta / predicted[k] - 1);
        }
    }
    if (n_dev == 0) {
        claim_fail(c, "no component had a measurable rate");
    } else {
        qsort(dev, n_dev, sizeof *dev, by_increasing);
        claim_check(c, c->control ? "median |measured/predicted rate - 1|, unbalanced start (control)"
                                  : "median |measured/predicted rate - 1| (balanced start, Thm 1 with K = 3)",
                    dev[n_dev / 2], CLAIM_LE, 0.05);
    }
    free(dev);
    free(g);
    free(theta);
    htf_free(h);
    mask_free(m);
    free(T);
}

/* C6 (exact gradients). Every model's backward pass against central differences of its own loss, at a
 * random point: HTF (R = 4, every coordinate) with and without the IGC term, the order-3 CP and the order-4
 * node-table CP (every coordinate), and the depth-3 MF (300 random coordinates of 12288). */
static void claim_gradient_check(claim_ctx *c)
{
    /* Scales: std 0.6 for the HTF and CP points (so that entries of W are O(0.1-1) and every factor matters)
     * and 0.25 for the MF (a product of three 64 x 64 matrices: entries ~ 64 * 0.25^3 = 1). The IGC penalty
     * is checked away from its kinks (cos = 0 and zero fibres), which a random point avoids. */
    gsl_rng *r = rng_stream(c->seed, STREAM_CHECK);
    double *T = htf_target_new(c->seed);
    mask *m = mask_new(c->seed, 2048);
    int perturb = c->control;

    htf *h = htf_new(4, T, m);
    double *theta = suite_calloc(h->P, sizeof *theta);
    gaussian_fill(theta, h->P, r, 0.6);
    claim_check(c, "HTF: max |grad - central diff| / max |grad|",
                gradient_check(htf_loss_grad, h, theta, h->P, h->P, r, perturb), CLAIM_LE, 1e-6);
    h->igc = 0.3;
    claim_check(c, "HTF + IGC penalty: same", gradient_check(htf_loss_grad, h, theta, h->P, h->P, r, perturb), CLAIM_LE,
                1e-6);
    free(theta);
    htf_free(h);

    cp_model cp = {3, 16, 4, 3 * 16 * 4, T, m, NULL};
    theta = suite_calloc(cp.P, sizeof *theta);
    gaussian_fill(theta, cp.P, r, 0.6);
    claim_check(c, "CP order 3: same", gradient_check(cp_loss_grad, &cp, theta, cp.P, cp.P, r, perturb), CLAIM_LE,
                1e-6);
    free(theta);

    cp4_model *c4 = cp4_new(4, T, m);
    theta = suite_calloc(c4->P, sizeof *theta);
    gaussian_fill(theta, c4->P, r, 0.6);
    claim_check(c, "CP order 4 (node tables): same", gradient_check(cp4_loss_grad, c4, theta, c4->P, c4->P, r, perturb),
                CLAIM_LE, 1e-6);
    free(theta);
    cp4_free(c4);

    mf_model f = {T, m, NULL, NULL, NULL, NULL, NULL, NULL};
    f.W = suite_calloc(N_ENTRIES, sizeof(double));
    f.E = suite_calloc(N_ENTRIES, sizeof(double));
    f.W21 = suite_calloc(N_ENTRIES, sizeof(double));
    f.W32 = suite_calloc(N_ENTRIES, sizeof(double));
    f.tmp = suite_calloc(N_ENTRIES, sizeof(double));
    theta = suite_calloc(MF_P, sizeof *theta);
    gaussian_fill(theta, MF_P, r, 0.25);
    claim_check(c, "MF depth 3: same (300 coordinates)", gradient_check(mf_loss_grad, &f, theta, MF_P, 300, r, perturb),
                CLAIM_LE, 1e-6);
    free(theta);
    free(f.W); free(f.E); free(f.W21); free(f.W32); free(f.tmp);

    mask_free(m);
    free(T);
    gsl_rng_free(r);
}

/* The claims table: NAME (what --claim takes and CTest registers as htf_locality.NAME), the one-line
 * statement --list-claims prints, the check, and what --control removes. Every claim has a control:
 *   incremental, low_ht_rank   the small init replaced by a large one (the paper's condition removed);
 *   locality                   the swap moved inside a tree node (the tree cut no longer crossed);
 *   zero_stays_zero            the component zeroed in one factor only (the theorem's premise removed);
 *   rank_bound                 a non-tree cut in place of the tree cut (the bound no longer applies);
 *   gradient_check             a wrong gradient (an error the check must catch). */
static const suite_claim claims[] = {
    {"incremental", "from small init the tree-cut singular values are learned one at a time (gaps >= 150 its)",
     claim_incremental, "init 0.5 (large) in place of 0.05"},
    {"low_ht_rank", "small init learns low HT rank: s_6/s_1 of mat{1,2} <= 1e-4 and >= 10x below that at init 0.5",
     claim_low_ht_rank, "init 0.5 for the small-init run too"},
    {"locality", "swapping modes across the tree cut hurts HTF >= 4x, CP within 3x (implicit locality)", claim_locality,
     "modes swapped inside a tree node instead of across the cut"},
    {"zero_stays_zero", "a root local component set to zero stays exactly zero while the others grow",
     claim_zero_stays_zero, "only w_r zeroed (norm 0 but unbalanced factors)"},
    {"rank_bound", "rank mat{1,2} <= number of live root local components, at every step", claim_rank_bound,
     "the same count against mat{1,3}, which is not a tree cut"},
    {"lc_dynamics",
     "Thm 1: from a balanced start, d/dt LC = 3 LC^{4/3} <-grad L, What> at the root (median error <= 5%)",
     claim_lc_dynamics, "an unbalanced start (factor norms 2, 1, 1/2 times LC^{1/3})"},
    {"gradient_check", "analytic HTF, HTF+IGC, CP and MF gradients match central differences to 1e-6",
     claim_gradient_check, "one analytic gradient entry perturbed by 1e-4 of the largest"},
    {0},
};

/* ======================================================================================================
 * 11. main: every experiment, each writing its own files.
 * ====================================================================================================== */

/* --benchmark: milliseconds per HTF iteration (forward, backward, GroupRMSprop step; no metrics) at the
 * current width, on seed --seed's task. The same loop as E1 without the SVDs. */
static int run_benchmark(const suite_run *run)
{
    /* Timed on the machine's monotonic clock and printed, never written to a data file (same seed -> same
     * bytes). Run it on a quiet machine: the number is per core. */
    double *T = htf_target_new(run->seed);
    mask *m = mask_new(run->seed, (size_t)n_observed);
    htf *h = htf_new((size_t)width, T, m);
    double *theta = suite_calloc(h->P, sizeof *theta);
    gsl_rng *r = rng_stream(run->seed, STREAM_HTF_INIT);
    gaussian_fill(theta, h->P, r, htf_init);
    gsl_rng_free(r);
    long steps = 4000;
    double t0 = suite_seconds();
    train(htf_loss_grad, h, theta, h->P, steps, steps, NULL, NULL);
    double dt = suite_seconds() - t0;
    printf("HTF order 4, D = 8, R = %ld, %ld observed: %ld GroupRMSprop iterations in %.3f s = %.4f ms/iteration "
           "(%.2f s per 1000)\n", width, n_observed, steps, dt, 1e3 * dt / (double)steps, 1e3 * dt / (double)steps);
    free(theta);
    htf_free(h);
    mask_free(m);
    free(T);
    return 0;
}

/* The experiments in the order of the paper's argument: the dynamics (E1), their matrix and CP analogues (E2),
 * the consequence for locality (E3), and the explicit regularizer meant to counter it (E4). Each draws from
 * its own streams, so running one alone or changing its size leaves the others' numbers unchanged. */
static int run_all(const suite_run *run)
{
    apply_scale(run);
    if (benchmark) return run_benchmark(run);
    int status = experiment_htf_dynamics(run);
    if (status == 0) status = experiment_companions(run);
    if (status == 0) status = experiment_locality(run);
    if (status == 0 && igc_lambda > 0) status = experiment_igc(run);
    return status;
}

static const suite_program program = {
    "htf_locality",
    "Razin, Maman & Cohen, Implicit Regularization in Hierarchical Tensor Factorization and Deep Convolutional "
    "Neural Networks, ICML 2022, arXiv:2201.11729",
    "Incremental learning of local components and low hierarchical tensor rank in HTF (Figs. A, B), MF and CP "
    "companions, and the locality test T* vs mode-swapped T' against a CP control.",
    options,
    claims,
    run_all,
};

int main(int argc, char **argv) { return suite_main(&program, argc, argv); }
