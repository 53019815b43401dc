/* Unit test of common/nn.c: the gradient of every activation x loss x bias combination against central
 * finite differences of the loss, and answers known in closed form (a linear net computes the product of
 * its weight matrices; an all-zero net has cross-entropy log(classes)). */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>

#include "check.h"
#include "deep_linear.h"
#include "linalg.h"
#include "nn.h"
#include "rng.h"
#include "vec.h"

static void gradient_check(gsl_rng *r, nn_activation act, nn_loss_kind kind, int bias)
{
    const size_t dims[4] = {5, 7, 6, 3}, m = 9;
    nn_net *net = nn_new(3, dims, act, bias, m);
    double *theta = vec_new(net->n_params), *grad = vec_new(net->n_params);
    nn_init_gaussian(net, theta, r, 0.6);
    for (size_t i = 0; i < net->n_params; i++)
        theta[i] += 0.1 * gsl_rng_uniform(r); /* biases too, and no exact zeros for ReLU's kink */
    gsl_matrix *X = la_alloc(m, dims[0]), *Y = la_alloc(m, dims[3]);
    la_gaussian(X, r, 1.0);
    la_gaussian(Y, r, 1.0);
    size_t labels[9];
    for (size_t i = 0; i < m; i++)
        labels[i] = i % dims[3];
    nn_targets t = {kind, Y, labels};
    nn_loss_grad(net, theta, X, &t, grad);
    double worst = 0, h = 1e-6;
    for (size_t i = 0; i < net->n_params; i++) {
        double keep = theta[i];
        theta[i] = keep + h;
        double up = nn_loss_grad(net, theta, X, &t, NULL);
        theta[i] = keep - h;
        double down = nn_loss_grad(net, theta, X, &t, NULL);
        theta[i] = keep;
        worst = fmax(worst, fabs((up - down) / (2 * h) - grad[i]) / fmax(1.0, fabs(grad[i])));
    }
    CHECK(worst < 1e-7, "gradient (activation %d, loss %d, bias %d) matches finite differences: %g", (int)act,
          (int)kind, bias, worst);
    nn_free(net);
    free(theta);
    free(grad);
    gsl_matrix_free(X);
    gsl_matrix_free(Y);
}

int main(void)
{
    gsl_rng *r = rng_stream(11, 0);
    for (int act = NN_LINEAR; act <= NN_TANH; act++)
        for (int kind = NN_SQUARED; kind <= NN_SOFTMAX_XENT; kind++)
            for (int bias = 0; bias <= 1; bias++)
                gradient_check(r, (nn_activation)act, (nn_loss_kind)kind, bias);

    /* A linear net without bias: outputs = X (W_3 W_2 W_1)^T, the deep linear product of deep_linear.h. */
    const size_t dims[4] = {4, 6, 5, 2}, m = 3;
    nn_net *net = nn_new(3, dims, NN_LINEAR, 0, m);
    double *theta = vec_new(net->n_params);
    nn_init_xavier_uniform(net, theta, r);
    dln *chain = dln_alloc(3, dims);
    for (size_t l = 1; l <= 3; l++) {
        gsl_matrix_view W = nn_weights(net, theta, l);
        gsl_matrix_memcpy(chain->W[l - 1], &W.matrix);
    }
    const gsl_matrix *P = dln_forward(chain);
    gsl_matrix *X = la_alloc(m, dims[0]), *expected = la_alloc(m, dims[3]);
    la_gaussian(X, r, 1.0);
    la_mul_nt(expected, X, P);
    const gsl_matrix *out = nn_forward(net, theta, X);
    CHECK(la_frobenius_dist(out, expected) < 1e-13, "linear net = product of its matrices");

    /* Xavier bounds: every weight of layer 1 within sqrt(6/(4+6)). */
    double a = sqrt(6.0 / 10.0), biggest = 0;
    for (size_t i = 0; i < 24; i++)
        biggest = fmax(biggest, fabs(theta[i]));
    CHECK(biggest <= a && biggest > 0.5 * a, "Xavier uniform range (max %g of %g)", biggest, a);

    /* All-zero weights: every class equally likely, loss log(2); error rate with ties -> class 0. */
    for (size_t i = 0; i < net->n_params; i++)
        theta[i] = 0;
    size_t labels[3] = {0, 1, 1};
    nn_targets t = {NN_SOFTMAX_XENT, NULL, labels};
    CHECK(fabs(nn_loss_grad(net, theta, X, &t, NULL) - log(2.0)) < 1e-15, "zero net: cross-entropy log 2");
    CHECK(fabs(nn_error_rate(net, theta, X, labels) - 2.0 / 3.0) < 1e-15, "error rate");

    nn_free(net);
    dln_free(chain);
    free(theta);
    gsl_matrix_free(X);
    gsl_matrix_free(expected);
    gsl_rng_free(r);
    return check_summary();
}
