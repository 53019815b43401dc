/* nn.h -- small fully connected networks over a flat parameter vector, with their exact gradient.
 *
 * A network of L layers maps an input x in R^{d_0} to an output in R^{d_L}:
 *
 *     a_0 = x,    z_l = W_l a_{l-1} + b_l,    a_l = phi(z_l)  (l < L),    output = z_L,
 *
 * with W_l of shape d_l x d_{l-1}, an optional bias b_l, and one activation phi for every hidden layer:
 * linear (phi(z) = z: a deep linear network), ReLU (phi(z) = max(z, 0), with phi'(0) = 0) or tanh. The last
 * layer is always linear. All parameters live in one flat vector theta, layer by layer (W_1 row-major, b_1,
 * W_2, b_2, ...), which is what optimizers, distances between runs and Hessians want.
 *
 * A batch is a matrix X with one example per row (m x d_0), so every layer is one matrix product:
 * Z_l = A_{l-1} W_l^T + 1 b_l^T (m x d_l). Two losses, both averaged over the m examples:
 *     squared:              L = 1/(2m) sum_i ||z_L(x_i) - y_i||^2
 *     softmax cross-entropy: L = 1/m sum_i [ log sum_c exp(z_L(x_i)_c) - z_L(x_i)_{y_i} ]
 * The backward pass is the chain rule written out (dL/dZ_L is (Z_L - Y)/m or (softmax(Z_L) - onehot(y))/m):
 *     dL/dW_l = Delta_l^T A_{l-1},  dL/db_l = Delta_l^T 1,  Delta_{l-1} = (Delta_l W_l) .* phi'(Z_{l-1}),
 * and it is checked against central finite differences in tests/test_nn.c for every activation and loss.
 */
#ifndef SUITE_NN_H
#define SUITE_NN_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>

typedef enum { NN_LINEAR, NN_RELU, NN_TANH } nn_activation;
typedef enum { NN_SQUARED, NN_SOFTMAX_XENT } nn_loss_kind;

typedef struct {
    nn_loss_kind kind;
    const gsl_matrix *Y;  /* NN_SQUARED: m x d_L targets                    */
    const size_t *labels; /* NN_SOFTMAX_XENT: m class indices in [0, d_L)   */
} nn_targets;

typedef struct {
    size_t depth;             /* L, the number of weight matrices                 */
    size_t *dims;             /* d_0 ... d_L                                      */
    nn_activation activation; /* of the hidden layers                             */
    int bias;                 /* 1: every layer has a bias                        */
    size_t n_params;          /* length of theta                                  */
    size_t *w_offset;         /* theta + w_offset[l] is W_{l+1}, row-major         */
    size_t *b_offset;         /* theta + b_offset[l] is b_{l+1} (if bias)          */
    size_t batch;             /* m: the number of rows of every X given to the net */
    gsl_matrix **Z;           /* Z[l] = pre-activations of layer l+1, m x d_{l+1}  */
    gsl_matrix **A;           /* A[l] = phi(Z[l]) for hidden layers               */
    gsl_matrix **Delta;       /* Delta[l] = dL/dZ[l]                               */
} nn_net;

/* A network with layer widths dims[0..depth] for batches of exactly `batch` rows. */
nn_net *nn_new(size_t depth, const size_t *dims, nn_activation activation, int bias, size_t batch);
void nn_free(nn_net *net);

/* Xavier/Glorot uniform weights, U(-a, a) with a = sqrt(6 / (d_in + d_out)), and zero biases. */
void nn_init_xavier_uniform(const nn_net *net, double *theta, gsl_rng *r);

/* Gaussian weights N(0, sd^2), zero biases. */
void nn_init_gaussian(const nn_net *net, double *theta, gsl_rng *r, double sd);

/* W_l (1-based l, as in the math) as a matrix view onto theta. */
gsl_matrix_view nn_weights(const nn_net *net, double *theta, size_t l);

/* The outputs Z_L (m x d_L) for the batch X (owned by net, valid until the next call). */
const gsl_matrix *nn_forward(nn_net *net, const double *theta, const gsl_matrix *X);

/* The loss, and its gradient into grad (n_params entries) unless grad is NULL. */
double nn_loss_grad(nn_net *net, const double *theta, const gsl_matrix *X, const nn_targets *targets,
                    double *grad);

/* The fraction of rows whose largest output is not the label (classification error). */
double nn_error_rate(nn_net *net, const double *theta, const gsl_matrix *X, const size_t *labels);

#endif
