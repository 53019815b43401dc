/* Unit test of common/curvature.c on functions whose Hessian is known in closed form:
 *   a quadratic f = 1/2 theta^T A theta (H = A everywhere), and
 *   the saddle toy f(x, y) = x^2/2 - y^2/2 + y^4/4 (H = diag(1, 3y^2 - 1)). */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_matrix.h>

#include "check.h"
#include "curvature.h"
#include "linalg.h"
#include "rng.h"

enum { N = 6 };
static double A[N][N];

static void quadratic_gradient(const double *theta, double *grad, void *ctx)
{
    (void)ctx;
    for (int i = 0; i < N; i++) {
        grad[i] = 0;
        for (int j = 0; j < N; j++)
            grad[i] += A[i][j] * theta[j];
    }
}

static double quadratic_loss(const double *theta, void *ctx)
{
    (void)ctx;
    double sum = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            sum += 0.5 * theta[i] * A[i][j] * theta[j];
    return sum;
}

/* The quadratic's gradient with the factor 1/2 forgotten: what a gradient check must catch. */
static void wrong_gradient(const double *theta, double *grad, void *ctx)
{
    quadratic_gradient(theta, grad, ctx);
    for (int i = 0; i < N; i++)
        grad[i] *= 0.5;
}

static void saddle_gradient(const double *theta, double *grad, void *ctx)
{
    (void)ctx;
    grad[0] = theta[0];
    grad[1] = -theta[1] + theta[1] * theta[1] * theta[1];
}

int main(void)
{
    /* A = Q diag(-2, -0.5, 0.1, 1, 3, 7) Q^T with Q random orthogonal: known extreme eigenvalues. */
    gsl_rng *r = rng_stream(3, 0);
    gsl_matrix *Q = la_alloc(N, N);
    la_orthogonal(Q, r);
    const double eig[N] = {-2, -0.5, 0.1, 1, 3, 7};
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = 0;
            for (int k = 0; k < N; k++)
                A[i][j] += gsl_matrix_get(Q, i, (size_t)k) * eig[k] * gsl_matrix_get(Q, j, (size_t)k);
        }
    double theta[N] = {0.3, -1, 2, 0.5, 0, 1};
    curv_problem p = curv_new(quadratic_gradient, NULL, N, 1e-5);

    double v[N] = {1, 2, 3, 4, 5, 6}, Hv[N];
    curv_hvp(&p, theta, v, Hv);
    double worst = 0;
    for (int i = 0; i < N; i++) {
        double exact = 0;
        for (int j = 0; j < N; j++)
            exact += A[i][j] * v[j];
        worst = fmax(worst, fabs(Hv[i] - exact));
    }
    CHECK(worst < 1e-8, "H v of a quadratic (error %g)", worst);

    gsl_matrix *H = la_alloc(N, N);
    curv_hessian(&p, theta, H);
    double lo, hi;
    curv_extreme_eigenvalues(H, &lo, &hi);
    CHECK(fabs(lo + 2) < 1e-8 && fabs(hi - 7) < 1e-8, "extreme eigenvalues -2, 7 (got %g, %g)", lo, hi);
    CHECK(gsl_matrix_get(H, 1, 4) == gsl_matrix_get(H, 4, 1), "symmetrized");

    int iters = 0;
    double top = curv_power_iteration(&p, theta, r, 1e-12, 500, &iters);
    CHECK(fabs(top - 7) < 1e-6, "power iteration finds 7 (got %.10g in %d products)", top, iters);
    curv_free(&p);

    double good = curv_gradient_error(quadratic_gradient, quadratic_loss, NULL, theta, N);
    double bad = curv_gradient_error(wrong_gradient, quadratic_loss, NULL, theta, N);
    CHECK(good < 1e-8, "a correct gradient passes the check (%g)", good);
    CHECK(bad > 0.1, "a wrong gradient fails it (%g)", bad);

    /* The saddle toy at (1, 0.2): H = diag(1, 3*0.04 - 1 = -0.88). */
    curv_problem toy = curv_new(saddle_gradient, NULL, 2, 1e-5);
    double point[2] = {1, 0.2};
    gsl_matrix *H2 = la_alloc(2, 2);
    curv_hessian(&toy, point, H2);
    curv_extreme_eigenvalues(H2, &lo, &hi);
    CHECK(fabs(lo + 0.88) < 1e-8 && fabs(hi - 1) < 1e-8, "saddle toy: eigenvalues -0.88, 1 (got %g, %g)", lo, hi);
    curv_free(&toy);

    gsl_matrix_free(Q);
    gsl_matrix_free(H);
    gsl_matrix_free(H2);
    gsl_rng_free(r);
    return check_summary();
}
