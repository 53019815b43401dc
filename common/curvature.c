/* curvature.c -- see curvature.h. */
#include "curvature.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>

#include "vec.h"

curv_problem curv_new(curv_gradient_fn gradient, void *ctx, size_t n, double h)
{
    curv_problem p = {gradient, ctx, n, h, vec_new(3 * n)};
    return p;
}

void curv_free(curv_problem *p)
{
    free(p->work);
    p->work = NULL;
}

void curv_hvp(curv_problem *p, const double *theta, const double *v, double *out)
{
    size_t n = p->n;
    double *shifted = p->work, *g_plus = p->work + n, *g_minus = p->work + 2 * n;
    double norm = vec_norm(v, n);
    if (norm == 0) {
        memset(out, 0, n * sizeof *out);
        return;
    }
    double step = p->h / norm; /* theta +- step v moves by exactly h */
    for (size_t i = 0; i < n; i++)
        shifted[i] = theta[i] + step * v[i];
    p->gradient(shifted, g_plus, p->ctx);
    for (size_t i = 0; i < n; i++)
        shifted[i] = theta[i] - step * v[i];
    p->gradient(shifted, g_minus, p->ctx);
    for (size_t i = 0; i < n; i++)
        out[i] = (g_plus[i] - g_minus[i]) / (2 * step);
}

void curv_hessian(curv_problem *p, const double *theta, gsl_matrix *H)
{
    size_t n = p->n;
    double *e = vec_new(n), *column = vec_new(n);
    for (size_t j = 0; j < n; j++) {
        e[j] = 1.0;
        curv_hvp(p, theta, e, column);
        e[j] = 0.0;
        for (size_t i = 0; i < n; i++)
            gsl_matrix_set(H, i, j, column[i]);
    }
    /* Symmetrize: the two halves differ only by finite-difference error. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double mean = 0.5 * (gsl_matrix_get(H, i, j) + gsl_matrix_get(H, j, i));
            gsl_matrix_set(H, i, j, mean);
            gsl_matrix_set(H, j, i, mean);
        }
    free(e);
    free(column);
}

void curv_extreme_eigenvalues(const gsl_matrix *H, double *lambda_min, double *lambda_max)
{
    size_t n = H->size1;
    gsl_matrix *A = gsl_matrix_alloc(n, n); /* gsl_eigen_symm destroys its input */
    gsl_vector *eval = gsl_vector_alloc(n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    gsl_matrix_memcpy(A, H);
    gsl_eigen_symm(A, eval, w);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        lo = fmin(lo, gsl_vector_get(eval, i));
        hi = fmax(hi, gsl_vector_get(eval, i));
    }
    *lambda_min = lo;
    *lambda_max = hi;
    gsl_eigen_symm_free(w);
    gsl_vector_free(eval);
    gsl_matrix_free(A);
}

double curv_power_iteration(curv_problem *p, const double *theta, gsl_rng *r, double tol, int max_iter,
                            int *iterations)
{
    size_t n = p->n;
    double *v = vec_new(n), *Hv = vec_new(n);
    for (size_t i = 0; i < n; i++)
        v[i] = gsl_ran_gaussian(r, 1.0);
    vec_scale(1.0 / vec_norm(v, n), v, n);
    double rayleigh = NAN;
    int it;
    for (it = 1; it <= max_iter; it++) {
        /* v <- H v / ||H v||; the Rayleigh quotient v^T H v converges to the dominant eigenvalue. */
        curv_hvp(p, theta, v, Hv);
        double next = vec_dot(v, Hv, n), norm = vec_norm(Hv, n);
        if (norm == 0) {
            rayleigh = 0;
            break;
        }
        for (size_t i = 0; i < n; i++)
            v[i] = Hv[i] / norm;
        int converged = it > 1 && fabs(next - rayleigh) <= tol * fabs(next);
        rayleigh = next;
        if (converged)
            break;
    }
    if (iterations != NULL)
        *iterations = it > max_iter ? max_iter : it;
    free(v);
    free(Hv);
    return rayleigh;
}

double curv_gradient_error(curv_gradient_fn gradient, double (*loss)(const double *theta, void *ctx), void *ctx,
                           const double *theta, size_t n)
{
    double *g = vec_new(n), *x = vec_new(n);
    gradient(theta, g, ctx);
    memcpy(x, theta, n * sizeof *x);
    double scale = 1e-8, worst = 0;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(g[i]));
    for (size_t i = 0; i < n; i++) {
        double h = 1e-6 * fmax(1.0, fabs(theta[i]));
        x[i] = theta[i] + h;
        double up = loss(x, ctx);
        x[i] = theta[i] - h;
        double down = loss(x, ctx);
        x[i] = theta[i];
        worst = fmax(worst, fabs((up - down) / (2 * h) - g[i]) / scale);
    }
    free(g);
    free(x);
    return worst;
}
