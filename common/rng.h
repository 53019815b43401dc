/* rng.h -- seeded random streams: a result depends on --seed and nothing else.
 *
 * Every random draw in the suite comes from a GSL Mersenne Twister (gsl_rng_mt19937) created here. A program
 * never shares one generator between sub-experiments: each gets its own *stream*, named by a small integer
 * the program chooses (the data set, the initialization of run 3, the label noise, ...). The stream's seed is
 * a hash of (seed, stream), so
 *   - changing the number of draws in one sub-experiment never changes another one's numbers,
 *   - runs can be split across processes (a seed sweep, a Slurm array) and still give identical results,
 *   - `--seed 1` and `--seed 2` give unrelated streams, not shifted copies of one another.
 * GSL_RNG_TYPE and GSL_RNG_SEED in the environment are deliberately ignored: the seed is always explicit.
 */
#ifndef SUITE_RNG_H
#define SUITE_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* A new generator for sub-experiment `stream` of a run with seed `seed`. Free it with gsl_rng_free. */
gsl_rng *rng_stream(uint64_t seed, uint64_t stream);

/* The 64-bit mixing function behind rng_stream (SplitMix64's finalizer applied to seed and stream); exposed
 * for programs that need a derived integer seed themselves. */
uint64_t rng_mix(uint64_t seed, uint64_t stream);

#endif
