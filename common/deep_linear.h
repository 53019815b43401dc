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
 * S_j = W_N ... W_{j+1} the *suffix* product above it (the identity for j = N). The forward pass keeps every
 * prefix (N - 1 products). The backward pass never forms a suffix: it carries B_j = S_j^T G down the chain,
 * one product per layer, B_{j-1} = W_j^T B_j (this is backpropagation: B_j is dL/d(output of layer j) for the
 * "inputs" given by the identity), and each gradient is one more product, dL/dW_j = B_j P_{j-1}^T. A full
 * gradient therefore costs 3(N - 1) matrix products, against N^2 for forming every chain separately (and
 * 4N - 5 for forming the suffixes explicitly).
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
    gsl_matrix **tmp;    /* tmp[i] = B_{i+1} = S_{i+1}^T G (d_{i+1} x d_0), backward scratch */
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
