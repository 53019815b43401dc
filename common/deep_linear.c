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
    net->suffix = calloc(depth, sizeof *net->suffix);
    net->tmp = calloc(depth, sizeof *net->tmp);
    if (!net->dims || !net->W || !net->grad || !net->prefix || !net->suffix || !net->tmp) {
        fprintf(stderr, "dln_alloc: out of memory\n");
        exit(2);
    }
    memcpy(net->dims, dims, (depth + 1) * sizeof *dims);
    for (size_t i = 0; i < depth; i++) {
        net->W[i] = la_alloc(dims[i + 1], dims[i]);
        net->grad[i] = la_alloc(dims[i + 1], dims[i]);
        net->prefix[i] = la_alloc(dims[i + 1], dims[0]);
        net->tmp[i] = la_alloc(dims[i + 1], dims[0]);
        if (i + 1 < depth)
            net->suffix[i] = la_alloc(dims[depth], dims[i + 1]);
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
        if (net->suffix[i] != NULL)
            gsl_matrix_free(net->suffix[i]);
    }
    free(net->dims);
    free(net->W);
    free(net->grad);
    free(net->prefix);
    free(net->suffix);
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
    /* Suffix products from the top: S_{N-1} = W_N, S_i = S_{i+1} W_{i+1} (0-based: suffix[i] = suffix[i+1] W[i+1]). */
    if (N >= 2) {
        gsl_matrix_memcpy(net->suffix[N - 2], net->W[N - 1]);
        for (size_t i = N - 2; i-- > 0;)
            la_mul(net->suffix[i], net->suffix[i + 1], net->W[i + 1]);
    }
    for (size_t i = 0; i < N; i++) {
        /* tmp = S^T G: the gradient with respect to the output of layer i+1 (d_{i+1} x d_0). */
        const gsl_matrix *left = G;
        if (i + 1 < N) {
            la_mul_tn(net->tmp[i], net->suffix[i], G);
            left = net->tmp[i];
        }
        /* grad = tmp P_{i}^T, where P below the first layer is the identity. */
        if (i == 0)
            gsl_matrix_memcpy(net->grad[0], left);
        else
            la_mul_nt(net->grad[i], left, net->prefix[i - 1]);
    }
}

void dln_gd_step(dln *net, double eta)
{
    for (size_t i = 0; i < net->depth; i++)
        la_axpy(-eta, net->grad[i], net->W[i]);
}
