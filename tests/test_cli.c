/* Unit test of the command line (common/suite.c): good input is parsed, and every kind of bad input is
 * rejected with exit status 2 and exactly one line on stderr that names the option. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "claim.h"
#include "suite.h"

static long width = 32;
static double rate = 0.5;
static const char *init = "gauss";
static const char *data_file = NULL;
static int verbose = 0;

static const cli_option options[] = {
    {"width", OPT_INT, &width, 1, 100, NULL, "hidden width"},
    {"rate", OPT_REAL, &rate, 0, 1, NULL, "step size"},
    {"init", OPT_CHOICE, &init, 0, 0, "gauss|orth", "initialization"},
    {"data", OPT_TEXT, &data_file, 0, 0, "FILE", "a data file"},
    {"verbose", OPT_FLAG, &verbose, 0, 0, NULL, "say more"},
    {0},
};

static void never(claim_ctx *c) { (void)c; }
static const suite_claim claims[] = {{"some_claim", "a statement", never, "a control"},
                                     {"other", "another", never, NULL},
                                     {0}};
static int run_nothing(const suite_run *run) { (void)run; return 0; }
static const suite_program program = {"test_cli", "nobody, no paper", "a test", options, claims, run_nothing};

static char last_error[4096];

static int reject_everything(const suite_run *run)
{
    (void)run;
    fprintf(stderr, "test_cli: --data: no such file\n");
    return 2;
}

/* Parses argv (NULL-terminated), capturing stderr into last_error. */
static int parse(suite_run *run, const char **args)
{
    /* suite_parse takes main()'s char **argv: copy the words into writable storage. */
    static char words[32][64];
    char *argv[32];
    int argc = 0;
    snprintf(words[0], sizeof words[0], "test_cli");
    argv[argc++] = words[0];
    for (; *args != NULL; args++, argc++) {
        snprintf(words[argc], sizeof words[argc], "%s", *args);
        argv[argc] = words[argc];
    }
    argv[argc] = NULL;

    char path[] = "/tmp/test_cli_XXXXXX";
    int fd = mkstemp(path);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    int status = suite_parse(&program, argc, argv, run);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    FILE *f = fopen(path, "r");
    size_t n = fread(last_error, 1, sizeof last_error - 1, f);
    last_error[n] = '\0';
    fclose(f);
    close(fd);
    unlink(path);
    return status;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void expect_rejected(const char **args, const char *mention)
{
    suite_run run;
    int status = parse(&run, args);
    CHECK(status == 2, "'%s ...' should exit 2, got %d", args[0], status);
    CHECK(count_lines(last_error) == 1, "'%s ...' should print one line, got: %s", args[0], last_error);
    CHECK(strstr(last_error, mention) != NULL, "'%s ...' message should mention '%s': %s", args[0], mention,
          last_error);
}

int main(void)
{
    suite_run run;

    /* Defaults. */
    CHECK(parse(&run, (const char *[]){NULL}) == -1, "no arguments should go on to run");
    CHECK(run.seed == 1 && run.scale == SCALE_DEFAULT && strcmp(run.out_dir, "data/test_cli") == 0,
          "shared defaults");
    CHECK(!suite_given(&run, &width), "width not given");

    /* Good input in both forms. */
    const char *good[] = {"--seed", "42", "--width=7", "--rate", "0.25", "--init", "orth", "--verbose",
                          "--scale", "quick", "--out", "/tmp/x", "--data", "f.csv", NULL};
    CHECK(parse(&run, good) == -1, "good input should parse: %s", last_error);
    CHECK(run.seed == 42, "seed 42");
    CHECK(width == 7 && rate == 0.25 && strcmp(init, "orth") == 0 && verbose == 1, "program options set");
    CHECK(strcmp(data_file, "f.csv") == 0, "text option");
    CHECK(run.scale == SCALE_QUICK && strcmp(run.out_dir, "/tmp/x") == 0, "shared options set");
    CHECK(suite_given(&run, &width) && suite_given(&run, &verbose) && suite_given(&run, &data_file),
          "given options are known");

    CHECK(parse(&run, (const char *[]){"--claim", "some_claim", "--control", NULL}) == -1, "claim + control");
    CHECK(run.claim != NULL && strcmp(run.claim, "some_claim") == 0 && run.control == 1, "claim parsed");
    CHECK(parse(&run, (const char *[]){"--help", NULL}) == 0, "--help exits 0");
    CHECK(parse(&run, (const char *[]){"--list-claims", NULL}) == 0, "--list-claims exits 0");

    /* Bad input: one line, exit 2, naming the option. */
    expect_rejected((const char *[]){"--no-such-flag", NULL}, "--no-such-flag");
    expect_rejected((const char *[]){"--seed", "abc", NULL}, "--seed");
    expect_rejected((const char *[]){"--seed", "-3", NULL}, "--seed");
    expect_rejected((const char *[]){"--seed", "1e3", NULL}, "--seed");
    expect_rejected((const char *[]){"--seed", "99999999999", NULL}, "--seed");
    expect_rejected((const char *[]){"--seed", NULL}, "--seed");
    expect_rejected((const char *[]){"--width", "0", NULL}, "--width");
    expect_rejected((const char *[]){"--width", "101", NULL}, "--width");
    expect_rejected((const char *[]){"--width", "3.5", NULL}, "--width");
    expect_rejected((const char *[]){"--width=", NULL}, "--width");
    expect_rejected((const char *[]){"--rate", "nan", NULL}, "--rate");
    expect_rejected((const char *[]){"--rate", "inf", NULL}, "--rate");
    expect_rejected((const char *[]){"--rate", "2", NULL}, "--rate");
    expect_rejected((const char *[]){"--rate", "0.1x", NULL}, "--rate");
    expect_rejected((const char *[]){"--init", "uniform", NULL}, "gauss|orth");
    expect_rejected((const char *[]){"--data", "", NULL}, "--data");
    expect_rejected((const char *[]){"--verbose=yes", NULL}, "--verbose");
    expect_rejected((const char *[]){"--scale", "huge", NULL}, "--scale");
    expect_rejected((const char *[]){"--claim", "nope", NULL}, "nope");
    expect_rejected((const char *[]){"--control", NULL}, "--control");
    expect_rejected((const char *[]){"positional", NULL}, "positional");
    expect_rejected((const char *[]){"-s", NULL}, "-s");

    /* A validator that rejects the input: exit 2 before the output folder exists. */
    {
        static char a0[] = "test_cli", a1[] = "--out", a2[] = "/tmp/test_cli_validated_out/sub";
        char *argv[] = {a0, a1, a2, NULL};
        FILE *quiet = freopen("/dev/null", "w", stderr);
        (void)quiet;
        CHECK(suite_main_validated(&program, reject_everything, 3, argv) == 2, "validator's 2 is returned");
        CHECK(access("/tmp/test_cli_validated_out", F_OK) != 0, "nothing written when the validator rejects");
    }

    /* A claim without a control refuses --control (at run time, with exit 2). */
    CHECK(parse(&run, (const char *[]){"--claim", "other", "--control", NULL}) == -1, "parses");
    CHECK(claim_run(claims, &run, "other") == 2, "--control on a claim without one exits 2");
    return check_summary();
}
