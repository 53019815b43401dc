/* claim.c -- see claim.h. */
#include "claim.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *op_text(claim_op op)
{
    switch (op) {
    case CLAIM_GE: return ">=";
    case CLAIM_LE: return "<=";
    case CLAIM_GT: return ">";
    case CLAIM_LT: return "<";
    }
    return "?";
}

void claim_check(claim_ctx *c, const char *statistic, double value, claim_op op, double threshold)
{
    int ok = 0;
    if (!isnan(value)) {
        switch (op) {
        case CLAIM_GE: ok = value >= threshold; break;
        case CLAIM_LE: ok = value <= threshold; break;
        case CLAIM_GT: ok = value > threshold; break;
        case CLAIM_LT: ok = value < threshold; break;
        }
    }
    c->checks++;
    if (!ok)
        c->failures++;
    printf("claim %s: %s = %.4g (needs %s %.4g)  %s\n", c->claim->name, statistic, value, op_text(op),
           threshold, ok ? "PASS" : "FAIL");
    fflush(stdout);
}

void claim_fail(claim_ctx *c, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    c->checks++;
    c->failures++;
    printf("claim %s: %s  FAIL\n", c->claim->name, reason);
    fflush(stdout);
}

int claim_run(const suite_claim *claims, const suite_run *run, const char *name)
{
    const suite_claim *claim = NULL;
    for (const suite_claim *k = claims; k != NULL && k->name != NULL; k++)
        if (strcmp(k->name, name) == 0)
            claim = k;
    if (claim == NULL) {
        fprintf(stderr, "%s: --claim: no claim named '%s' (see --list-claims)\n", suite_program_name(), name);
        return SUITE_EXIT_USAGE;
    }
    if (run->control && claim->control == NULL) {
        fprintf(stderr, "%s: --control: claim '%s' has no control experiment\n", suite_program_name(), name);
        return SUITE_EXIT_USAGE;
    }
    claim_ctx c = {claim, run, run->seed, run->control, run->quiet, 0, 0};
    if (c.control && !c.quiet)
        printf("# control for %s: %s\n", claim->name, claim->control);
    claim->check(&c);
    if (c.checks == 0)
        claim_fail(&c, "the check measured nothing");
    return c.failures == 0 ? SUITE_EXIT_OK : SUITE_EXIT_CLAIM_FAILED;
}

void claim_list(const suite_claim *claims)
{
    for (const suite_claim *k = claims; k != NULL && k->name != NULL; k++)
        printf("%-24s %s\n", k->name, k->statement);
}
