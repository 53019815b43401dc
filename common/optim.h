/* optim.h -- optimizers that more than one paper uses.
 *
 * GroupRMSprop, the optimizer of the authors' code for deep matrix factorization (Arora, Cohen, Hu & Luo 2019)
 * and for hierarchical tensor factorization (Razin, Maman & Cohen 2022). It is RMSprop with ONE running
 * average for a whole group of parameters instead of one per coordinate:
 *
 *     v_t = alpha v_{t-1} + (1 - alpha) ||g_t||^2,        eta_t = lr / (sqrt(v_t / (1 - alpha^t)) + eps),
 *     theta <- theta - eta_t g_t.
 *
 * The direction is always that of gradient descent; only the step length adapts, so the trajectory is a
 * reparametrization in time of (a discretization of) gradient flow and keeps its implicit bias, which a
 * per-coordinate method like Adam would not. The bias correction 1/(1 - alpha^t) makes the first step exactly
 * lr g / (||g|| + eps): a step of length ~lr whatever the scale of the gradient, which is what lets a
 * near-zero initialization leave its saddle quickly. The eps sets a floor: when ||g|| << eps the step is
 * lr ||g|| / eps and training crawls.
 *
 * The stepper only computes eta_t; the caller applies theta <- theta - eta_t g in whatever layout its
 * parameters have (a flat vector, a list of matrices).
 */
#ifndef SUITE_OPTIM_H
#define SUITE_OPTIM_H

typedef struct {
    double lr, alpha, eps;
    double average; /* v_t, the running mean of ||g||^2 */
    double decay;   /* alpha^t, for the bias correction */
    long t;         /* steps taken                      */
} group_rmsprop;

/* A fresh state (t = 0). The authors' values: alpha = 0.99; eps = 1e-4 (matrix factorization code) or
 * 1e-6 (tensor factorization code); lr = 1e-3 or 1e-2. */
group_rmsprop group_rmsprop_new(double lr, double alpha, double eps);

/* Advances the state with this step's squared gradient norm ||g_t||^2 (over the whole group) and returns
 * eta_t, the scalar the gradient is to be multiplied by. */
double group_rmsprop_rate(group_rmsprop *o, double grad_norm_squared);

#endif
