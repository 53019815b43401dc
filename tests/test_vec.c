/* Unit test of the small-vector helpers (common/vec.c) against hand-computed answers. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "vec.h"

int main(void)
{
    double a[3] = {1, 2, 2}, b[3] = {2, 0, 0};
    CHECK(vec_dot(a, b, 3) == 2, "dot");
    CHECK(vec_norm(a, 3) == 3, "norm of (1,2,2) is 3");
    CHECK(fabs(vec_dist(a, b, 3) - 3) < 1e-15, "distance (1,2,2)-(2,0,0) is 3");
    CHECK(fabs(vec_angle(a, b, 3) - acos(1.0 / 3.0)) < 1e-15, "angle: cos = 2/(3*2)");
    double c[2] = {1, 1e-9}, e[2] = {1, 0};
    CHECK(fabs(vec_angle(c, e, 2) - 1e-9) < 1e-22, "tiny angles stay accurate (%g)", vec_angle(c, e, 2));
    vec_axpy(2, b, a, 3);
    CHECK(a[0] == 5 && a[1] == 2 && a[2] == 2, "axpy");
    vec_scale(0.5, a, 3);
    CHECK(a[0] == 2.5 && a[1] == 1, "scale");
    double *z = vec_new(4);
    CHECK(z[0] == 0 && z[3] == 0, "vec_new zeroes");
    free(z);
    return check_summary();
}
