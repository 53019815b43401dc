/* curvature.h -- the Hessian of a loss, seen through its gradient: Hessian-vector products, the full
 * Hessian, and its extreme eigenvalues.
 *
 * Several papers measure curvature along a training trajectory: the sharpness (top Hessian eigenvalue) at the
 * edge of stability, the most negative eigenvalue that decides whether gradient descent tracks gradient flow.
 * All they need is the gradient g(theta) of their loss (an analytic backward pass, checked against finite
 * differences); from it:
 *
 *   H v  ~  (g(theta + h v) - g(theta - h v)) / (2h)            central differences of the gradient,
 *
 * accurate to O(h^2) in the third derivative plus O(eps/h) rounding (eps = 2.2e-16): h ~ 1e-5 balances the two
 * for gradients of order 1, giving about 10 correct digits. (Second differences of the *loss* would lose twice
 * as many digits, which is why we never use them.) The full n x n Hessian is n such products, one per
 * coordinate direction, symmetrized; its eigenvalues come from GSL's symmetric eigensolver. For larger n,
 * power iteration on H v finds the top eigenvalue without forming H.
 */
#ifndef SUITE_CURVATURE_H
#define SUITE_CURVATURE_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>

/* The gradient of the loss at theta (n entries) into grad; ctx carries the data and the model. */
typedef void (*curv_gradient_fn)(const double *theta, double *grad, void *ctx);

typedef struct {
    curv_gradient_fn gradient;
    void *ctx;
    size_t n;     /* number of parameters          */
    double h;     /* finite-difference step (1e-5) */
    double *work; /* 3n doubles of scratch         */
} curv_problem;

/* A problem over n parameters with step h; curv_free releases its scratch. */
curv_problem curv_new(curv_gradient_fn gradient, void *ctx, size_t n, double h);
void curv_free(curv_problem *p);

/* out = H(theta) v by central differences of the gradient along v (v need not be normalized: the step is
 * h / ||v|| along v, and the result is scaled back). */
void curv_hvp(curv_problem *p, const double *theta, const double *v, double *out);

/* H(theta), n x n, by central differences along each coordinate, then symmetrized: H <- (H + H^T)/2. */
void curv_hessian(curv_problem *p, const double *theta, gsl_matrix *H);

/* The smallest and largest eigenvalues of a symmetric matrix (H is not modified). */
void curv_extreme_eigenvalues(const gsl_matrix *H, double *lambda_min, double *lambda_max);

/* The eigenvalue of largest magnitude of H(theta) by power iteration on curv_hvp, from a random start drawn
 * from r, until the Rayleigh quotient changes by less than tol (relative) or after max_iter products.
 * Returns the Rayleigh quotient (its sign says whether the dominant eigenvalue is positive); *iterations, if
 * not NULL, receives the number of products used. */
double curv_power_iteration(curv_problem *p, const double *theta, gsl_rng *r, double tol, int max_iter,
                            int *iterations);

/* How far an analytic gradient is from central differences of its loss, at theta:
 *     max_i |g_i - (L(theta + h_i e_i) - L(theta - h_i e_i)) / (2 h_i)| / max(max_j |g_j|, 1e-8),
 * with h_i = 1e-6 max(1, |theta_i|). The error of a central difference is O(h^2) truncation plus
 * O(eps |L| / h) rounding, about 1e-10 for losses and gradients of order 1, so a correct gradient scores
 * ~1e-9 and a gradient missing a term scores orders of magnitude more. Relative to the largest entry, so
 * tiny entries do not inflate it. Costs 2n evaluations of the loss. */
double curv_gradient_error(curv_gradient_fn gradient, double (*loss)(const double *theta, void *ctx), void *ctx,
                           const double *theta, size_t n);

#endif
