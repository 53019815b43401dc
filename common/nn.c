/* nn.c -- see nn.h. */
#include "nn.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>

#include "linalg.h"
#include "suite.h"
#include "vec.h"

nn_net *nn_new(size_t depth, const size_t *dims, nn_activation activation, int bias, size_t batch)
{
    nn_net *net = suite_calloc(1, sizeof *net);
    net->depth = depth;
    net->activation = activation;
    net->bias = bias;
    net->batch = batch;
    net->dims = suite_calloc(depth + 1, sizeof *net->dims);
    net->w_offset = suite_calloc(depth, sizeof *net->w_offset);
    net->b_offset = suite_calloc(depth, sizeof *net->b_offset);
    net->Z = suite_calloc(depth, sizeof *net->Z);
    net->A = suite_calloc(depth, sizeof *net->A);
    net->Delta = suite_calloc(depth, sizeof *net->Delta);
    size_t offset = 0;
    for (size_t l = 0; l <= depth; l++)
        net->dims[l] = dims[l];
    for (size_t l = 0; l < depth; l++) {
        net->w_offset[l] = offset;
        offset += dims[l + 1] * dims[l];
        net->b_offset[l] = offset;
        if (bias)
            offset += dims[l + 1];
        net->Z[l] = la_alloc(batch, dims[l + 1]);
        net->A[l] = la_alloc(batch, dims[l + 1]);
        net->Delta[l] = la_alloc(batch, dims[l + 1]);
    }
    net->n_params = offset;
    return net;
}

void nn_free(nn_net *net)
{
    if (net == NULL)
        return;
    for (size_t l = 0; l < net->depth; l++) {
        gsl_matrix_free(net->Z[l]);
        gsl_matrix_free(net->A[l]);
        gsl_matrix_free(net->Delta[l]);
    }
    free(net->Z);
    free(net->A);
    free(net->Delta);
    free(net->dims);
    free(net->w_offset);
    free(net->b_offset);
    free(net);
}

void nn_init_xavier_uniform(const nn_net *net, double *theta, gsl_rng *r)
{
    for (size_t i = 0; i < net->n_params; i++)
        theta[i] = 0.0;
    for (size_t l = 0; l < net->depth; l++) {
        double a = sqrt(6.0 / (double)(net->dims[l] + net->dims[l + 1]));
        size_t count = net->dims[l] * net->dims[l + 1];
        for (size_t i = 0; i < count; i++)
            theta[net->w_offset[l] + i] = a * (2.0 * gsl_rng_uniform(r) - 1.0);
    }
}

void nn_init_gaussian(const nn_net *net, double *theta, gsl_rng *r, double sd)
{
    for (size_t i = 0; i < net->n_params; i++)
        theta[i] = 0.0;
    for (size_t l = 0; l < net->depth; l++) {
        gsl_matrix_view W = nn_weights(net, theta, l + 1);
        la_gaussian(&W.matrix, r, sd);
    }
}

gsl_matrix_view nn_weights(const nn_net *net, double *theta, size_t l)
{
    return gsl_matrix_view_array(theta + net->w_offset[l - 1], net->dims[l], net->dims[l - 1]);
}

static double phi(nn_activation act, double z)
{
    return act == NN_RELU ? (z > 0 ? z : 0.0) : act == NN_TANH ? tanh(z) : z;
}

/* phi'(z), written in terms of z and a = phi(z) (tanh' = 1 - a^2 saves a call). ReLU'(0) = 0. */
static double phi_prime(nn_activation act, double z, double a)
{
    return act == NN_RELU ? (z > 0 ? 1.0 : 0.0) : act == NN_TANH ? 1.0 - a * a : 1.0;
}

const gsl_matrix *nn_forward(nn_net *net, const double *theta, const gsl_matrix *X)
{
    if (X->size1 != net->batch || X->size2 != net->dims[0])
        suite_die(SUITE_EXIT_NUMERIC, "nn_forward: batch is %zu x %zu, the network wants %zu x %zu", X->size1,
                  X->size2, net->batch, net->dims[0]);
    const gsl_matrix *input = X;
    for (size_t l = 0; l < net->depth; l++) {
        /* Z_l = A_{l-1} W_l^T (+ 1 b_l^T) */
        gsl_matrix_const_view W =
            gsl_matrix_const_view_array(theta + net->w_offset[l], net->dims[l + 1], net->dims[l]);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, input, &W.matrix, 0.0, net->Z[l]);
        gsl_matrix *Z = net->Z[l];
        if (net->bias) {
            const double *b = theta + net->b_offset[l];
            for (size_t i = 0; i < Z->size1; i++)
                for (size_t j = 0; j < Z->size2; j++)
                    Z->data[i * Z->tda + j] += b[j];
        }
        if (l + 1 == net->depth)
            break;
        gsl_matrix *A = net->A[l];
        for (size_t i = 0; i < Z->size1; i++)
            for (size_t j = 0; j < Z->size2; j++)
                A->data[i * A->tda + j] = phi(net->activation, Z->data[i * Z->tda + j]);
        input = A;
    }
    return net->Z[net->depth - 1];
}

/* The loss of the outputs Z (m x d_L) and, into Delta, dL/dZ. */
static double output_loss(const gsl_matrix *Z, const nn_targets *t, gsl_matrix *Delta)
{
    size_t m = Z->size1, k = Z->size2;
    double total = 0;
    for (size_t i = 0; i < m; i++) {
        const double *z = Z->data + i * Z->tda;
        double *delta = Delta->data + i * Delta->tda;
        if (t->kind == NN_SQUARED) {
            const double *y = t->Y->data + i * t->Y->tda;
            for (size_t c = 0; c < k; c++) {
                double r = z[c] - y[c];
                total += 0.5 * r * r;
                delta[c] = r / (double)m;
            }
        } else {
            /* log-sum-exp with the max subtracted: exp never overflows, and the softmax never is 0/0. */
            double zmax = z[0];
            for (size_t c = 1; c < k; c++)
                zmax = fmax(zmax, z[c]);
            double sum = 0;
            for (size_t c = 0; c < k; c++)
                sum += exp(z[c] - zmax);
            size_t label = t->labels[i];
            total += zmax + log(sum) - z[label];
            for (size_t c = 0; c < k; c++)
                delta[c] = (exp(z[c] - zmax) / sum - (c == label ? 1.0 : 0.0)) / (double)m;
        }
    }
    return total / (double)m;
}

double nn_loss_grad(nn_net *net, const double *theta, const gsl_matrix *X, const nn_targets *targets,
                    double *grad)
{
    const gsl_matrix *out = nn_forward(net, theta, X);
    size_t L = net->depth;
    double loss = output_loss(out, targets, net->Delta[L - 1]);
    if (grad == NULL)
        return loss;
    for (size_t l = L; l-- > 0;) {
        gsl_matrix *Delta = net->Delta[l];
        const gsl_matrix *input = l == 0 ? X : net->A[l - 1];
        /* dL/dW_l = Delta_l^T A_{l-1}  (d_l x d_{l-1}, written straight into grad) */
        gsl_matrix_view gW = gsl_matrix_view_array(grad + net->w_offset[l], net->dims[l + 1], net->dims[l]);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, Delta, input, 0.0, &gW.matrix);
        if (net->bias) {
            double *gb = grad + net->b_offset[l];
            for (size_t j = 0; j < Delta->size2; j++)
                gb[j] = 0;
            for (size_t i = 0; i < Delta->size1; i++)
                for (size_t j = 0; j < Delta->size2; j++)
                    gb[j] += Delta->data[i * Delta->tda + j];
        }
        if (l == 0)
            break;
        /* Delta_{l-1} = (Delta_l W_l) .* phi'(Z_{l-1}) */
        gsl_matrix_const_view W =
            gsl_matrix_const_view_array(theta + net->w_offset[l], net->dims[l + 1], net->dims[l]);
        gsl_matrix *prev = net->Delta[l - 1];
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, Delta, &W.matrix, 0.0, prev);
        const gsl_matrix *Z = net->Z[l - 1], *A = net->A[l - 1];
        for (size_t i = 0; i < prev->size1; i++)
            for (size_t j = 0; j < prev->size2; j++)
                prev->data[i * prev->tda + j] *=
                    phi_prime(net->activation, Z->data[i * Z->tda + j], A->data[i * A->tda + j]);
    }
    return loss;
}

double nn_error_rate(nn_net *net, const double *theta, const gsl_matrix *X, const size_t *labels)
{
    const gsl_matrix *out = nn_forward(net, theta, X);
    size_t wrong = 0;
    for (size_t i = 0; i < out->size1; i++) {
        size_t best = 0;
        for (size_t c = 1; c < out->size2; c++)
            if (gsl_matrix_get(out, i, c) > gsl_matrix_get(out, i, best))
                best = c;
        wrong += best != labels[i];
    }
    return (double)wrong / (double)out->size1;
}
