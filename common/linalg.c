/* linalg.c -- see linalg.h. */
#include "linalg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

gsl_matrix *la_alloc(size_t rows, size_t cols)
{
    gsl_matrix *A = gsl_matrix_calloc(rows, cols);
    if (A == NULL) {
        fprintf(stderr, "out of memory allocating a %zu x %zu matrix\n", rows, cols);
        exit(2);
    }
    return A;
}

void la_mul(gsl_matrix *C, const gsl_matrix *A, const gsl_matrix *B)
{
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, A, B, 0.0, C);
}

void la_mul_tn(gsl_matrix *C, const gsl_matrix *A, const gsl_matrix *B)
{
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, A, B, 0.0, C);
}

void la_mul_nt(gsl_matrix *C, const gsl_matrix *A, const gsl_matrix *B)
{
    gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, A, B, 0.0, C);
}

void la_axpy(double alpha, const gsl_matrix *X, gsl_matrix *Y)
{
    for (size_t i = 0; i < X->size1; i++) {
        const double *x = X->data + i * X->tda;
        double *y = Y->data + i * Y->tda;
        for (size_t j = 0; j < X->size2; j++)
            y[j] += alpha * x[j];
    }
}

void la_gaussian(gsl_matrix *A, gsl_rng *r, double sd)
{
    for (size_t i = 0; i < A->size1; i++)
        for (size_t j = 0; j < A->size2; j++)
            gsl_matrix_set(A, i, j, gsl_ran_gaussian(r, sd));
}

void la_orthogonal(gsl_matrix *Q, gsl_rng *r)
{
    int wide = Q->size1 < Q->size2;
    size_t m = wide ? Q->size2 : Q->size1; /* tall shape m x n, m >= n */
    size_t n = wide ? Q->size1 : Q->size2;
    gsl_matrix *A = la_alloc(m, n);
    gsl_vector *tau = gsl_vector_alloc(n);
    gsl_matrix *Qfull = la_alloc(m, m);
    gsl_matrix *R = la_alloc(m, n);
    la_gaussian(A, r, 1.0);
    gsl_linalg_QR_decomp(A, tau);
    gsl_linalg_QR_unpack(A, tau, Qfull, R);
    /* Q's first n columns, each multiplied by sign(R_jj). */
    for (size_t j = 0; j < n; j++) {
        double sign = gsl_matrix_get(R, j, j) < 0 ? -1.0 : 1.0;
        for (size_t i = 0; i < m; i++) {
            double q = sign * gsl_matrix_get(Qfull, i, j);
            if (wide)
                gsl_matrix_set(Q, j, i, q);
            else
                gsl_matrix_set(Q, i, j, q);
        }
    }
    gsl_matrix_free(A);
    gsl_vector_free(tau);
    gsl_matrix_free(Qfull);
    gsl_matrix_free(R);
}

/* Flip the signs of singular-vector pairs so that each column of U has its largest-magnitude entry > 0. */
static void fix_signs(gsl_matrix *U, gsl_matrix *V)
{
    for (size_t j = 0; j < U->size2; j++) {
        size_t arg = 0;
        double best = -1;
        for (size_t i = 0; i < U->size1; i++) {
            double a = fabs(gsl_matrix_get(U, i, j));
            if (a > best) {
                best = a;
                arg = i;
            }
        }
        if (gsl_matrix_get(U, arg, j) < 0) {
            gsl_vector_view u = gsl_matrix_column(U, j), v = gsl_matrix_column(V, j);
            gsl_vector_scale(&u.vector, -1.0);
            gsl_vector_scale(&v.vector, -1.0);
        }
    }
}

void la_svd(const gsl_matrix *A, gsl_matrix *U, gsl_vector *s, gsl_matrix *V)
{
    size_t m = A->size1, n = A->size2;
    size_t k = m < n ? m : n;
    gsl_vector *work = gsl_vector_alloc(k);
    if (m >= n) {
        /* GSL overwrites its input with U (m x n) and fills V (n x n). */
        gsl_matrix_memcpy(U, A);
        gsl_linalg_SV_decomp(U, V, s, work);
    } else {
        /* A^T = V S U^T: decompose the n x m transpose; its "U" is our V and its "V" is our U. */
        gsl_matrix_transpose_memcpy(V, A);
        gsl_linalg_SV_decomp(V, U, s, work);
    }
    fix_signs(U, V);
    gsl_vector_free(work);
}

void la_singular_values(const gsl_matrix *A, gsl_vector *s)
{
    size_t m = A->size1, n = A->size2;
    size_t k = m < n ? m : n;
    gsl_matrix *U = la_alloc(m >= n ? m : n, k);
    gsl_matrix *V = la_alloc(k, k);
    gsl_vector *work = gsl_vector_alloc(k);
    if (m >= n)
        gsl_matrix_memcpy(U, A);
    else
        gsl_matrix_transpose_memcpy(U, A);
    gsl_linalg_SV_decomp(U, V, s, work);
    gsl_matrix_free(U);
    gsl_matrix_free(V);
    gsl_vector_free(work);
}

double la_frobenius(const gsl_matrix *A)
{
    double sum = 0;
    for (size_t i = 0; i < A->size1; i++)
        for (size_t j = 0; j < A->size2; j++) {
            double a = gsl_matrix_get(A, i, j);
            sum += a * a;
        }
    return sqrt(sum);
}

double la_frobenius_dist(const gsl_matrix *A, const gsl_matrix *B)
{
    double sum = 0;
    for (size_t i = 0; i < A->size1; i++)
        for (size_t j = 0; j < A->size2; j++) {
            double d = gsl_matrix_get(A, i, j) - gsl_matrix_get(B, i, j);
            sum += d * d;
        }
    return sqrt(sum);
}

double la_spectral_norm(const gsl_matrix *A)
{
    size_t k = A->size1 < A->size2 ? A->size1 : A->size2;
    gsl_vector *s = gsl_vector_alloc(k);
    la_singular_values(A, s);
    double top = gsl_vector_get(s, 0);
    gsl_vector_free(s);
    return top;
}
