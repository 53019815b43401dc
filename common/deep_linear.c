/* deep_linear.c -- see deep_linear.h. */
#include "deep_linear.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

dln *dln_alloc(size_t depth, const size_t *dims)
{
    dln *net = calloc(1, sizeof *net);
    if (net == NULL || depth == 0) {
        fprintf(stderr, "dln_alloc: out of memory or depth 0\n");
        exit(2);
    }
    net->depth = depth;
    net->dims = malloc((depth + 1) * sizeof *net->dims);
    net->W = calloc(depth, sizeof *net->W);
    net->grad = calloc(depth, sizeof *net->grad);
    net->prefix = calloc(depth, sizeof *net->prefix);
    net->tmp = calloc(depth, sizeof *net->tmp);
    if (!net->dims || !net->W || !net->grad || !net->prefix || !net->tmp) {
        fprintf(stderr, "dln_alloc: out of memory\n");
        exit(2);
    }
    memcpy(net->dims, dims, (depth + 1) * sizeof *dims);
    for (size_t i = 0; i < depth; i++) {
        net->W[i] = la_alloc(dims[i + 1], dims[i]);
        net->grad[i] = la_alloc(dims[i + 1], dims[i]);
        net->prefix[i] = la_alloc(dims[i + 1], dims[0]);
        net->tmp[i] = la_alloc(dims[i + 1], dims[0]);
    }
    return net;
}

void dln_free(dln *net)
{
    if (net == NULL)
        return;
    for (size_t i = 0; i < net->depth; i++) {
        gsl_matrix_free(net->W[i]);
        gsl_matrix_free(net->grad[i]);
        gsl_matrix_free(net->prefix[i]);
        gsl_matrix_free(net->tmp[i]);
    }
    free(net->dims);
    free(net->W);
    free(net->grad);
    free(net->prefix);
    free(net->tmp);
    free(net);
}

const gsl_matrix *dln_forward(dln *net)
{
    /* prefix_1 = W_1;  prefix_{i+1} = W_{i+1} prefix_i. */
    gsl_matrix_memcpy(net->prefix[0], net->W[0]);
    for (size_t i = 1; i < net->depth; i++)
        la_mul(net->prefix[i], net->W[i], net->prefix[i - 1]);
    return net->prefix[net->depth - 1];
}

void dln_backward(dln *net, const gsl_matrix *G)
{
    size_t N = net->depth;
    /* From the top: B_N = G; for each layer j (0-based i = j - 1), dL/dW_j = B_j P_{j-1}^T, then
     * B_{j-1} = W_j^T B_j. B_j for j < N lives in tmp[j - 1] (d_j x d_0). */
    for (size_t i = N; i-- > 0;) {
        const gsl_matrix *B = i + 1 == N ? G : net->tmp[i];
        if (i == 0)
            gsl_matrix_memcpy(net->grad[0], B); /* P_0 = I */
        else
            la_mul_nt(net->grad[i], B, net->prefix[i - 1]);
        if (i > 0)
            la_mul_tn(net->tmp[i - 1], net->W[i], B);
    }
}

void dln_gd_step(dln *net, double eta)
{
    for (size_t i = 0; i < net->depth; i++)
        la_axpy(-eta, net->grad[i], net->W[i]);
}
