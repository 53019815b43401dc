/* optim.c -- see optim.h. */
#include "optim.h"

#include <math.h>

group_rmsprop group_rmsprop_new(double lr, double alpha, double eps)
{
    group_rmsprop o = {lr, alpha, eps, 0.0, 1.0, 0};
    return o;
}

double group_rmsprop_rate(group_rmsprop *o, double grad_norm_squared)
{
    o->t++;
    o->decay *= o->alpha;
    o->average = o->alpha * o->average + (1.0 - o->alpha) * grad_norm_squared;
    return o->lr / (sqrt(o->average / (1.0 - o->decay)) + o->eps);
}
