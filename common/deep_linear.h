/* deep_linear.h -- a deep linear network W_N ... W_2 W_1 and its gradient in O(N) matrix products.
 *
 * Layer j maps R^{d_{j-1}} to R^{d_j}: W_j is d_j x d_{j-1}, and the end-to-end matrix is
 *
 *     P = W_N W_{N-1} ... W_1                                   (d_N x d_0).
 *
 * For any loss L(P) with gradient G = dL/dP (d_N x d_0), the chain rule gives, for every layer,
 *
 *     dL/dW_j = (W_N ... W_{j+1})^T  G  (W_{j-1} ... W_1)^T  =  S_j^T G P_{j-1}^T,
 *
 * where P_{j-1} = W_{j-1} ... W_1 is the *prefix* product below layer j (the identity for j = 1) and
 * S_j = W_N ... W_{j+1} the *suffix* product above it (the identity for j = N). Computing every prefix once
 * on the way up and every suffix once on the way down costs N-1 + N-2 products, and each gradient two more,
 * so a full gradient costs about 4N products instead of the N^2 of forming each chain separately.
 *
 * Indexing in C is from 0: W[i] holds W_{i+1}, dims[i] holds d_i (dims has depth+1 entries).
 */
#ifndef SUITE_DEEP_LINEAR_H
#define SUITE_DEEP_LINEAR_H

#include <gsl/gsl_matrix.h>

typedef struct {
    size_t depth;        /* N, the number of weight matrices                                */
    size_t *dims;        /* d_0 ... d_N                                                     */
    gsl_matrix **W;      /* W[i] = W_{i+1}, d_{i+1} x d_i                                  */
    gsl_matrix **grad;   /* grad[i] = dL/dW_{i+1}, filled by dln_backward                  */
    gsl_matrix **prefix; /* prefix[i] = W_{i+1} ... W_1 (d_{i+1} x d_0); prefix[N-1] = P    */
    gsl_matrix **suffix; /* suffix[i] = W_N ... W_{i+2} (d_N x d_{i+1}); suffix[N-1] unused */
    gsl_matrix **tmp;    /* tmp[i] = S^T G (d_{i+1} x d_0), scratch for the backward pass   */
} dln;

/* A network of `depth` layers with widths dims[0..depth], all weights zero. */
dln *dln_alloc(size_t depth, const size_t *dims);
void dln_free(dln *net);

/* Computes every prefix product and returns the end-to-end matrix P (owned by net; valid until the next
 * change of a weight). */
const gsl_matrix *dln_forward(dln *net);

/* Given G = dL/dP at the current weights (dln_forward must have run since the last change), fills net->grad.
 */
void dln_backward(dln *net, const gsl_matrix *G);

/* W_j <- W_j - eta * grad_j for every layer: one step of gradient descent. */
void dln_gd_step(dln *net, double eta);

#endif
