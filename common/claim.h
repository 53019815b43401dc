/* claim.h -- the claim harness: a paper's claims as checks that can fail.
 *
 * A claim is one sentence of the paper turned into a contrast on the program's own numbers: the effect
 * against its absence (depth 3 against depth 1, label noise against none, the theory's prediction against a
 * wrong alternative). A program lists its claims in a table:
 *
 *     static void claim_depth_law(claim_ctx *c) {
 *         double ratio = ...run a reduced experiment (deep net, or the shallow net if c->control)...;
 *         claim_check(c, "t_half(mode 12) / t_half(mode 1)", ratio, CLAIM_GE, 2.0);
 *     }
 *     static const suite_claim claims[] = {
 *         {"depth_law", "depth creates the 1/s learning-time law", claim_depth_law,
 *          "a shallow net in place of the deep one"},      <- what --control removes (NULL: no control)
 *         {0}
 *     };
 *
 * `prog --claim depth_law --seed 3` runs it and prints one line per check, in the form
 *
 *     claim depth_law: t_half(mode 12) / t_half(mode 1) = 2.62 (needs >= 2)  PASS
 *
 * and exits 0 if every check passed and 1 otherwise. A claim that makes no check at all fails: a test that
 * asserts nothing is a defect. `--control` runs the same checks with the effect removed; CTest registers it
 * as <paper>.<claim>.control and requires it to FAIL, which is how a reader knows the check can fail.
 */
#ifndef SUITE_CLAIM_H
#define SUITE_CLAIM_H

#include <stdint.h>
#include "suite.h"

typedef struct claim_ctx claim_ctx;

struct suite_claim {
    const char *name;      /* the word --claim takes: lower case, digits and '_'             */
    const char *statement; /* one line: what the paper says, as this check measures it        */
    void (*check)(claim_ctx *c);
    const char *control;   /* what --control removes, one line; NULL if the claim has none     */
};

struct claim_ctx {
    const suite_claim *claim;
    const suite_run *run;
    uint64_t seed;  /* = run->seed: the claim's experiment draws its streams from it */
    int control;    /* 1 under --control: remove the effect                          */
    int quiet;
    int checks;     /* checks made so far                                            */
    int failures;   /* of which failed                                               */
};

typedef enum { CLAIM_GE, CLAIM_LE, CLAIM_GT, CLAIM_LT } claim_op;

/* Records one check `value op threshold` and prints its line. A NaN value always fails. */
void claim_check(claim_ctx *c, const char *statistic, double value, claim_op op, double threshold);

/* Records a failure that prevented the measurement (a run that diverged, a solver that did not converge),
 * printed as `claim NAME: <reason>  FAIL`. */
void claim_fail(claim_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Runs claim `name` of the table and returns the exit status (0 all passed, 1 failed, 2 unknown name or
 * --control for a claim without one). */
int claim_run(const suite_claim *claims, const suite_run *run, const char *name);

/* --list-claims: one line per claim, NAME then whitespace then the statement. */
void claim_list(const suite_claim *claims);

#endif
