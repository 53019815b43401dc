/* rng.c -- see rng.h. */
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>

/* SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a bijective 64-bit mixer with good avalanche, so nearby
 * (seed, stream) pairs map to unrelated 64-bit values. */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

uint64_t rng_mix(uint64_t seed, uint64_t stream)
{
    return splitmix64(splitmix64(seed) ^ splitmix64(stream + 0x632be59bd9b4e019u));
}

gsl_rng *rng_stream(uint64_t seed, uint64_t stream)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r == NULL) {
        fprintf(stderr, "out of memory allocating a random number generator\n");
        exit(2);
    }
    /* mt19937 takes an unsigned long seed; on LP64 that is the whole hash. GSL maps the seed 0 to its
     * default seed, which is harmless here (it is one value in 2^64). */
    gsl_rng_set(r, (unsigned long)rng_mix(seed, stream));
    return r;
}
