/* vec.c -- see vec.h. */
#include "vec.h"

#include <math.h>
#include <stdlib.h>

#include "suite.h"

void *suite_calloc(size_t count, size_t size)
{
    void *p = calloc(count > 0 ? count : 1, size > 0 ? size : 1);
    if (p == NULL)
        suite_die(SUITE_EXIT_USAGE, "out of memory (%zu x %zu bytes)", count, size);
    return p;
}

double *vec_new(size_t n) { return suite_calloc(n, sizeof(double)); }

double vec_dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

double vec_norm(const double *a, size_t n) { return sqrt(vec_dot(a, a, n)); }

double vec_dist(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = a[i] - b[i];
        s += d * d;
    }
    return sqrt(s);
}

void vec_axpy(double alpha, const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += alpha * x[i];
}

void vec_scale(double alpha, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] *= alpha;
}

double vec_angle(const double *a, const double *b, size_t n)
{
    double na = vec_norm(a, n), nb = vec_norm(b, n);
    if (na == 0 || nb == 0)
        return 0;
    double diff = 0, sum = 0;
    for (size_t i = 0; i < n; i++) {
        double ua = a[i] / na, ub = b[i] / nb;
        diff += (ua - ub) * (ua - ub);
        sum += (ua + ub) * (ua + ub);
    }
    return 2.0 * atan2(sqrt(diff), sqrt(sum));
}
