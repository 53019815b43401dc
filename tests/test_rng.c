/* Unit test of the random streams (common/rng.c): a stream is a pure function of (seed, stream id), and
 * different seeds or streams give different numbers. */
#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "check.h"
#include "rng.h"

int main(void)
{
    gsl_rng *a = rng_stream(1, 0), *b = rng_stream(1, 0), *c = rng_stream(1, 1), *d = rng_stream(2, 0);
    int same_ab = 1, same_ac = 0, same_ad = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned long x = gsl_rng_get(a), y = gsl_rng_get(b), z = gsl_rng_get(c), w = gsl_rng_get(d);
        same_ab &= x == y;
        same_ac += x == z;
        same_ad += x == w;
    }
    CHECK(same_ab, "same seed and stream: same numbers");
    CHECK(same_ac == 0, "another stream: different numbers (%d equal)", same_ac);
    CHECK(same_ad == 0, "another seed: different numbers (%d equal)", same_ad);
    CHECK(rng_mix(1, 0) != rng_mix(0, 1) && rng_mix(1, 2) != rng_mix(2, 1), "mix is not symmetric");

    /* Uniform draws look uniform: the mean of 1e5 draws is 0.5 within 5 standard errors. */
    double sum = 0;
    for (int i = 0; i < 100000; i++)
        sum += gsl_rng_uniform(a);
    double mean = sum / 100000;
    CHECK(mean > 0.5 - 5 * 0.00091 && mean < 0.5 + 5 * 0.00091, "uniform mean %g", mean);

    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
    gsl_rng_free(d);
    return check_summary();
}
