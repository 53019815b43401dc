/* vec.h -- small dense vectors as plain double arrays, and allocation that never returns NULL.
 *
 * Many papers' hot loops work on a handful of short vectors (a weight vector of a few hundred entries, a
 * row of a data matrix). A gsl_vector per such vector costs indirection for nothing, so the papers use plain
 * `double *` and these helpers. Everything here is a loop in index order, so results are reproducible to
 * the bit for the same binary. No function allocates except suite_calloc and vec_new.
 */
#ifndef SUITE_VEC_H
#define SUITE_VEC_H

#include <stddef.h>

/* calloc that never returns NULL: running out of memory prints one line and exits 2. count may be 0. */
void *suite_calloc(size_t count, size_t size);

/* A zeroed vector of n doubles (free with free()). */
double *vec_new(size_t n);

/* a . b */
double vec_dot(const double *a, const double *b, size_t n);

/* ||a||_2 */
double vec_norm(const double *a, size_t n);

/* ||a - b||_2 */
double vec_dist(const double *a, const double *b, size_t n);

/* y <- y + alpha x */
void vec_axpy(double alpha, const double *x, double *y, size_t n);

/* x <- alpha x */
void vec_scale(double alpha, double *x, size_t n);

/* The angle between a and b in radians, accurate down to tiny angles (acos of the cosine loses half its
 * digits near 0): with unit vectors ua, ub, angle = 2 atan2(||ua - ub||, ||ua + ub||). 0 if either is 0. */
double vec_angle(const double *a, const double *b, size_t n);

#endif
