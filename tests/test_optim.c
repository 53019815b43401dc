/* Unit test of GroupRMSprop (common/optim.c) against its definition: the first step has length lr ||g|| /
 * (||g|| + eps) whatever the scale of g, and a constant gradient gives a constant rate lr / (||g|| + eps). */
#include <math.h>

#include "check.h"
#include "optim.h"

int main(void)
{
    for (double scale = 1e-3; scale <= 1e3; scale *= 10) {
        group_rmsprop o = group_rmsprop_new(0.01, 0.99, 1e-6);
        double rate = group_rmsprop_rate(&o, scale * scale);
        CHECK(fabs(rate * scale - 0.01 * scale / (scale + 1e-6)) < 1e-15, "first step length (|g| = %g)", scale);
    }
    group_rmsprop o = group_rmsprop_new(0.1, 0.9, 1e-4);
    double rate = 0;
    for (int t = 0; t < 50; t++)
        rate = group_rmsprop_rate(&o, 4.0);
    CHECK(fabs(rate - 0.1 / (2.0 + 1e-4)) < 1e-13, "constant gradient -> constant rate (%.15g)", rate);
    CHECK(o.t == 50, "steps counted");
    /* Against the recursion written out by hand for two steps, alpha = 0.5. */
    group_rmsprop h = group_rmsprop_new(1.0, 0.5, 0.0);
    group_rmsprop_rate(&h, 1.0);          /* v = 0.5,           v_hat = 0.5 / 0.5 = 1     */
    double r2 = group_rmsprop_rate(&h, 9.0); /* v = 0.25 + 4.5 = 4.75, v_hat = 4.75 / 0.75 */
    CHECK(fabs(r2 - 1.0 / sqrt(4.75 / 0.75)) < 1e-15, "two steps by hand");
    return check_summary();
}
