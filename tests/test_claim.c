/* Unit test of the claim harness (common/claim.c): a check passes or fails by its operator, a NaN always
 * fails, a claim that measures nothing fails, and --control reaches the claim. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "claim.h"
#include "suite.h"

static int saw_control;

static void passes(claim_ctx *c) { claim_check(c, "x", 2.0, CLAIM_GE, 2.0); claim_check(c, "y", 1.0, CLAIM_LT, 1.5); }
static void fails(claim_ctx *c) { claim_check(c, "x", 2.0, CLAIM_GT, 2.0); }
static void one_of_two(claim_ctx *c) { claim_check(c, "x", 1.0, CLAIM_LE, 2.0); claim_check(c, "y", 3.0, CLAIM_LE, 2.0); }
static void nan_value(claim_ctx *c) { claim_check(c, "x", NAN, CLAIM_LE, 1.0); }
static void nothing(claim_ctx *c) { (void)c; }
static void aborted(claim_ctx *c) { claim_fail(c, "the run diverged"); }
static void controlled(claim_ctx *c) { saw_control = c->control; claim_check(c, "effect", c->control ? 0.0 : 1.0, CLAIM_GE, 0.5); }

static const suite_claim claims[] = {
    {"passes", "s", passes, NULL},       {"fails", "s", fails, NULL},   {"one_of_two", "s", one_of_two, NULL},
    {"nan_value", "s", nan_value, NULL}, {"nothing", "s", nothing, NULL}, {"aborted", "s", aborted, NULL},
    {"controlled", "s", controlled, "no effect"}, {0},
};

int main(void)
{
    suite_run run = {0};
    run.seed = 1;
    CHECK(claim_run(claims, &run, "passes") == 0, "passes");
    CHECK(claim_run(claims, &run, "fails") == 1, "strict > fails on equality");
    CHECK(claim_run(claims, &run, "one_of_two") == 1, "one failed check fails the claim");
    CHECK(claim_run(claims, &run, "nan_value") == 1, "NaN fails");
    CHECK(claim_run(claims, &run, "nothing") == 1, "a claim that measures nothing fails");
    CHECK(claim_run(claims, &run, "aborted") == 1, "claim_fail fails");
    CHECK(claim_run(claims, &run, "controlled") == 0 && saw_control == 0, "claim without --control");
    run.control = 1;
    CHECK(claim_run(claims, &run, "controlled") == 1 && saw_control == 1, "--control reaches the claim");
    return check_summary();
}
