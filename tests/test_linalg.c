/* Unit test of the linear-algebra helpers (common/linalg.c) against answers known in closed form, and of
 * the deep linear network's gradient (common/deep_linear.c) against central finite differences. */
#include <math.h>

#include <gsl/gsl_blas.h>

#include "check.h"
#include "deep_linear.h"
#include "linalg.h"
#include "rng.h"

/* max |A - B| */
static double max_diff(const gsl_matrix *A, const gsl_matrix *B)
{
    double m = 0;
    for (size_t i = 0; i < A->size1; i++)
        for (size_t j = 0; j < A->size2; j++)
            m = fmax(m, fabs(gsl_matrix_get(A, i, j) - gsl_matrix_get(B, i, j)));
    return m;
}

/* max |Q^T Q - I| (columns orthonormal) */
static double orthonormality_error(const gsl_matrix *Q)
{
    gsl_matrix *G = la_alloc(Q->size2, Q->size2);
    la_mul_tn(G, Q, Q);
    double m = 0;
    for (size_t i = 0; i < G->size1; i++)
        for (size_t j = 0; j < G->size2; j++)
            m = fmax(m, fabs(gsl_matrix_get(G, i, j) - (i == j ? 1.0 : 0.0)));
    gsl_matrix_free(G);
    return m;
}

/* SVD of a random m x n matrix: orthonormal factors, decreasing values, exact reconstruction. */
static void check_svd(gsl_rng *r, size_t m, size_t n)
{
    size_t k = m < n ? m : n;
    gsl_matrix *A = la_alloc(m, n), *U = la_alloc(m, k), *V = la_alloc(n, k), *US = la_alloc(m, k),
               *B = la_alloc(m, n);
    gsl_vector *s = gsl_vector_alloc(k), *s2 = gsl_vector_alloc(k);
    la_gaussian(A, r, 1.0);
    la_svd(A, U, s, V);
    gsl_matrix_memcpy(US, U);
    for (size_t j = 0; j < k; j++) {
        gsl_vector_view col = gsl_matrix_column(US, j);
        gsl_vector_scale(&col.vector, gsl_vector_get(s, j));
    }
    la_mul_nt(B, US, V);
    CHECK(max_diff(A, B) < 1e-12, "%zux%zu: U S V^T reconstructs A (error %g)", m, n, max_diff(A, B));
    CHECK(orthonormality_error(U) < 1e-12 && orthonormality_error(V) < 1e-12, "%zux%zu: U, V orthonormal", m, n);
    int decreasing = 1;
    for (size_t j = 1; j < k; j++)
        decreasing &= gsl_vector_get(s, j) <= gsl_vector_get(s, j - 1);
    CHECK(decreasing, "%zux%zu: singular values decrease", m, n);
    la_singular_values(A, s2);
    CHECK(fabs(gsl_vector_get(s2, 0) - gsl_vector_get(s, 0)) < 1e-12, "values-only SVD agrees");
    CHECK(fabs(la_spectral_norm(A) - gsl_vector_get(s, 0)) < 1e-12, "spectral norm = top singular value");
    double fro = 0;
    for (size_t j = 0; j < k; j++)
        fro += gsl_vector_get(s, j) * gsl_vector_get(s, j);
    CHECK(fabs(la_frobenius(A) - sqrt(fro)) < 1e-10, "||A||_F^2 = sum of s^2");
    gsl_matrix_free(A); gsl_matrix_free(U); gsl_matrix_free(V); gsl_matrix_free(US); gsl_matrix_free(B);
    gsl_vector_free(s); gsl_vector_free(s2);
}

/* L(P) = 1/2 ||P - T||_F^2 over a deep linear net; compares dln_backward with central differences. */
static double loss(dln *net, const gsl_matrix *T)
{
    const gsl_matrix *P = dln_forward(net);
    double d = la_frobenius_dist(P, T);
    return 0.5 * d * d;
}

static void check_gradient(gsl_rng *r, size_t depth, const size_t *dims)
{
    dln *net = dln_alloc(depth, dims);
    for (size_t i = 0; i < depth; i++)
        la_gaussian(net->W[i], r, 0.7);
    gsl_matrix *T = la_alloc(dims[depth], dims[0]), *G = la_alloc(dims[depth], dims[0]);
    la_gaussian(T, r, 1.0);
    const gsl_matrix *P = dln_forward(net);
    gsl_matrix_memcpy(G, P);
    gsl_matrix_sub(G, T); /* dL/dP = P - T */
    dln_backward(net, G);
    double worst = 0, h = 1e-6;
    for (size_t l = 0; l < depth; l++)
        for (size_t i = 0; i < net->W[l]->size1; i++)
            for (size_t j = 0; j < net->W[l]->size2; j++) {
                double w = gsl_matrix_get(net->W[l], i, j);
                gsl_matrix_set(net->W[l], i, j, w + h);
                double up = loss(net, T);
                gsl_matrix_set(net->W[l], i, j, w - h);
                double down = loss(net, T);
                gsl_matrix_set(net->W[l], i, j, w);
                double numeric = (up - down) / (2 * h), exact = gsl_matrix_get(net->grad[l], i, j);
                worst = fmax(worst, fabs(numeric - exact) / fmax(1.0, fabs(exact)));
            }
    CHECK(worst < 1e-7, "depth %zu: gradient matches finite differences (relative error %g)", depth, worst);
    dln_free(net);
    gsl_matrix_free(T);
    gsl_matrix_free(G);
}

int main(void)
{
    gsl_rng *r = rng_stream(1, 0);

    /* A known SVD: diag(3, -2) has singular values 3, 2. */
    gsl_matrix *D = la_alloc(2, 2);
    gsl_matrix_set(D, 0, 0, 3);
    gsl_matrix_set(D, 1, 1, -2);
    gsl_vector *s = gsl_vector_alloc(2);
    la_singular_values(D, s);
    CHECK(fabs(gsl_vector_get(s, 0) - 3) < 1e-14 && fabs(gsl_vector_get(s, 1) - 2) < 1e-14, "svd of diag(3,-2)");
    CHECK(fabs(la_frobenius(D) - sqrt(13.0)) < 1e-14, "frobenius of diag(3,-2)");

    /* A known product: [[1,2],[3,4]] [[0,1],[1,0]] = [[2,1],[4,3]]. */
    gsl_matrix *A = la_alloc(2, 2), *B = la_alloc(2, 2), *C = la_alloc(2, 2);
    gsl_matrix_set(A, 0, 0, 1); gsl_matrix_set(A, 0, 1, 2); gsl_matrix_set(A, 1, 0, 3); gsl_matrix_set(A, 1, 1, 4);
    gsl_matrix_set(B, 0, 1, 1); gsl_matrix_set(B, 1, 0, 1);
    la_mul(C, A, B);
    CHECK(gsl_matrix_get(C, 0, 0) == 2 && gsl_matrix_get(C, 0, 1) == 1 && gsl_matrix_get(C, 1, 0) == 4 &&
              gsl_matrix_get(C, 1, 1) == 3, "2x2 product");
    la_mul_tn(C, A, A); /* A^T A = [[10,14],[14,20]] */
    CHECK(gsl_matrix_get(C, 0, 0) == 10 && gsl_matrix_get(C, 0, 1) == 14 && gsl_matrix_get(C, 1, 1) == 20, "A^T A");
    la_mul_nt(C, A, A); /* A A^T = [[5,11],[11,25]] */
    CHECK(gsl_matrix_get(C, 0, 0) == 5 && gsl_matrix_get(C, 0, 1) == 11 && gsl_matrix_get(C, 1, 1) == 25, "A A^T");
    la_axpy(-1.0, A, A); /* aliasing X = Y is allowed: A - A = 0 */
    CHECK(la_frobenius(A) == 0, "axpy");

    check_svd(r, 7, 4);
    check_svd(r, 4, 7);
    check_svd(r, 16, 16);

    /* Haar-orthogonal matrices: square, tall and wide. */
    gsl_matrix *Q = la_alloc(12, 12), *Qt = la_alloc(9, 4), *Qw = la_alloc(4, 9), *QwT = la_alloc(9, 4);
    la_orthogonal(Q, r);
    la_orthogonal(Qt, r);
    la_orthogonal(Qw, r);
    gsl_matrix_transpose_memcpy(QwT, Qw);
    CHECK(orthonormality_error(Q) < 1e-13, "square orthogonal");
    CHECK(orthonormality_error(Qt) < 1e-13, "tall: orthonormal columns");
    CHECK(orthonormality_error(QwT) < 1e-13, "wide: orthonormal rows");
    CHECK(fabs(la_spectral_norm(Q) - 1) < 1e-12, "orthogonal matrix has spectral norm 1");

    /* Deep linear network gradients, square and rectangular, depths 1 to 4. */
    check_gradient(r, 1, (size_t[]){3, 5});
    check_gradient(r, 2, (size_t[]){4, 6, 3});
    check_gradient(r, 3, (size_t[]){5, 2, 7, 4});
    check_gradient(r, 4, (size_t[]){3, 3, 3, 3, 3});

    gsl_matrix_free(D); gsl_matrix_free(A); gsl_matrix_free(B); gsl_matrix_free(C);
    gsl_matrix_free(Q); gsl_matrix_free(Qt); gsl_matrix_free(Qw); gsl_matrix_free(QwT);
    gsl_vector_free(s);
    gsl_rng_free(r);
    return check_summary();
}
