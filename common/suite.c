/* suite.c -- the command line and main() shared by every program; see suite.h. */
#define _POSIX_C_SOURCE 200809L
#include "suite.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>

#include "blas.h"
#include "claim.h"

#ifndef SUITE_VERSION
#define SUITE_VERSION "unknown"
#endif

static const char *program_name = "suite";

const char *suite_program_name(void) { return program_name; }

const char *suite_scale_name(suite_scale scale)
{
    return scale == SCALE_QUICK ? "quick" : scale == SCALE_FULL ? "full" : "default";
}

/* ---- Errors ---------------------------------------------------------------------------------------------- */

void suite_die(int status, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", program_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status); /* tsv.c's exit handler removes unfinished data files */
}

int suite_not_finite(double x) { return !isfinite(x); }

int suite_diverged(double loss, double reference, double blowup)
{
    return !isfinite(loss) || loss > blowup * reference;
}

void suite_die_diverged(const char *what, double step_size, long step, double value)
{
    suite_die(SUITE_EXIT_NUMERIC, "%s diverged at step %ld with step size %g (value %g); nothing was written "
              "for it: try a smaller step size", what, step, step_size, value);
}

/* ---- Parsing one value ------------------------------------------------------------------------------------ */

/* Each parser returns 0 and stores the value, or returns -1. Whole strings only: "12abc" is not a number. */
static int parse_long(const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static int parse_real(const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_seed(const char *text, uint64_t *out)
{
    char *end;
    if (text[0] < '0' || text[0] > '9') /* strtoull would accept "-1" and " 1" */
        return -1;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > 4294967295ull)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* Is `word` one of the '|'-separated words in `choices`? */
static int is_choice(const char *choices, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = choices; *p != '\0';) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return 1;
        p += len + (bar ? 1 : 0);
    }
    return 0;
}

void suite_format_option(const cli_option *opt, char *buf, size_t size)
{
    switch (opt->type) {
    case OPT_INT: snprintf(buf, size, "%ld", *(const long *)opt->value); break;
    case OPT_REAL: snprintf(buf, size, "%.10g", *(const double *)opt->value); break;
    case OPT_TEXT:
    case OPT_CHOICE: {
        const char *s = *(const char *const *)opt->value;
        snprintf(buf, size, "%s", s ? s : "(none)");
        break;
    }
    case OPT_FLAG: snprintf(buf, size, "%s", *(const int *)opt->value ? "on" : "off"); break;
    }
}

/* Checks and stores the value of a program option; on bad input prints the one-line message. */
static int set_option(const cli_option *opt, const char *text)
{
    switch (opt->type) {
    case OPT_INT: {
        long v;
        if (parse_long(text, &v) != 0 || (double)v < opt->min || (double)v > opt->max) {
            fprintf(stderr, "%s: --%s: '%s' is not a whole number from %.0f to %.0f\n", program_name,
                    opt->name, text, opt->min, opt->max);
            return -1;
        }
        *(long *)opt->value = v;
        return 0;
    }
    case OPT_REAL: {
        double v;
        if (parse_real(text, &v) != 0 || v < opt->min || v > opt->max) {
            fprintf(stderr, "%s: --%s: '%s' is not a number from %g to %g\n", program_name, opt->name, text,
                    opt->min, opt->max);
            return -1;
        }
        *(double *)opt->value = v;
        return 0;
    }
    case OPT_TEXT:
        if (text[0] == '\0') {
            fprintf(stderr, "%s: --%s: needs a non-empty %s\n", program_name, opt->name,
                    opt->choices ? opt->choices : "value");
            return -1;
        }
        *(const char **)opt->value = text;
        return 0;
    case OPT_CHOICE:
        if (!is_choice(opt->choices, text)) {
            fprintf(stderr, "%s: --%s: '%s' is not one of %s\n", program_name, opt->name, text, opt->choices);
            return -1;
        }
        *(const char **)opt->value = text;
        return 0;
    case OPT_FLAG:
        break;
    }
    return -1;
}

/* ---- --help --------------------------------------------------------------------------------------------- */

static void print_help(const suite_program *p)
{
    printf("%s -- %s\n", p->name, p->citation);
    printf("%s\n\n", p->summary);
    printf("usage: %s [options]                       run the experiments, write data/%s/*.tsv\n", p->name,
           p->name);
    printf("       %s --claim NAME [--control] [--seed N]   run one claim check\n\n", p->name);
    printf("options shared by every program:\n"
           "  --seed N                   random seed, 0 to 4294967295 (default 1)\n"
           "  --out DIR                  output folder (default data/%s)\n"
           "  --scale quick|default|full size of the experiment (default: default)\n"
           "  --list-claims              list the claims this program checks\n"
           "  --claim NAME               run one claim check; exit 0 if it holds, 1 if not\n"
           "  --control                  with --claim: remove the effect (the check must then fail)\n"
           "  --quiet                    no progress line on stderr\n"
           "  --help, --version\n",
           p->name);
    if (p->options != NULL && p->options[0].name != NULL) {
        printf("\noptions of this program (defaults are those of --scale default; options left unset\n"
               "may take other values at --scale quick or full, and every data file records them):\n");
        for (const cli_option *o = p->options; o->name != NULL; o++) {
            char def[64], spec[96];
            suite_format_option(o, def, sizeof def);
            switch (o->type) {
            case OPT_INT: snprintf(spec, sizeof spec, "--%s N", o->name); break;
            case OPT_REAL: snprintf(spec, sizeof spec, "--%s X", o->name); break;
            case OPT_TEXT: snprintf(spec, sizeof spec, "--%s %s", o->name, o->choices ? o->choices : "TEXT"); break;
            case OPT_CHOICE: snprintf(spec, sizeof spec, "--%s %s", o->name, o->choices); break;
            case OPT_FLAG: snprintf(spec, sizeof spec, "--%s", o->name); break;
            }
            printf("  %-26s %s", spec, o->help);
            if (o->type == OPT_INT)
                printf(" (%.0f to %.0f; default %s)\n", o->min, o->max, def);
            else if (o->type == OPT_REAL)
                printf(" (%g to %g; default %s)\n", o->min, o->max, def);
            else if (o->type == OPT_FLAG)
                printf("\n");
            else
                printf(" (default %s)\n", def);
        }
    }
    printf("\nexit status: 0 ok, 1 a claim failed, 2 bad input, 3 numerical failure (divergence)\n");
}

/* ---- The command line ----------------------------------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int bad(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", program_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see --help)\n");
    return SUITE_EXIT_USAGE;
}

int suite_parse(const suite_program *p, int argc, char **argv, suite_run *run)
{
    static char default_out[256];
    program_name = p->name;
    snprintf(default_out, sizeof default_out, "data/%s", p->name);
    memset(run, 0, sizeof *run);
    run->program = p;
    run->seed = 1;
    run->out_dir = default_out;
    run->scale = SCALE_DEFAULT;

    int help = 0, version = 0, list = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0)
            return bad("unexpected argument '%s': options start with --", arg);
        /* --name=value or --name value */
        char name[64];
        const char *eq = strchr(arg + 2, '=');
        size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        if (len == 0 || len >= sizeof name)
            return bad("unknown option '%s'", arg);
        memcpy(name, arg + 2, len);
        name[len] = '\0';
        const char *inline_value = eq ? eq + 1 : NULL;

        /* Options without a value. */
        int *flag = strcmp(name, "help") == 0 ? &help
                  : strcmp(name, "version") == 0 ? &version
                  : strcmp(name, "list-claims") == 0 ? &list
                  : strcmp(name, "quiet") == 0 ? &run->quiet
                  : strcmp(name, "control") == 0 ? &run->control : NULL;
        const cli_option *opt = NULL;
        size_t index = 0;
        if (flag == NULL && p->options != NULL)
            for (const cli_option *o = p->options; o->name != NULL; o++, index++)
                if (strcmp(o->name, name) == 0) {
                    opt = o;
                    break;
                }
        if (opt != NULL && opt->type == OPT_FLAG)
            flag = (int *)opt->value;
        if (flag != NULL) {
            if (inline_value != NULL)
                return bad("--%s takes no value (got '%s')", name, inline_value);
            *flag = 1;
            if (opt != NULL && index < sizeof run->given)
                run->given[index] = 1;
            continue;
        }

        int shared = strcmp(name, "seed") == 0 || strcmp(name, "out") == 0 || strcmp(name, "scale") == 0 ||
                     strcmp(name, "claim") == 0;
        if (!shared && opt == NULL)
            return bad("unknown option '--%s'", name);
        const char *value = inline_value;
        if (value == NULL) {
            if (i + 1 >= argc)
                return bad("--%s needs a value", name);
            value = argv[++i];
        }

        if (strcmp(name, "seed") == 0) {
            if (parse_seed(value, &run->seed) != 0)
                return bad("--seed: '%s' is not a whole number from 0 to 4294967295", value);
        } else if (strcmp(name, "out") == 0) {
            if (value[0] == '\0')
                return bad("--out: needs a folder name");
            run->out_dir = value;
        } else if (strcmp(name, "scale") == 0) {
            if (strcmp(value, "quick") == 0)
                run->scale = SCALE_QUICK;
            else if (strcmp(value, "default") == 0)
                run->scale = SCALE_DEFAULT;
            else if (strcmp(value, "full") == 0)
                run->scale = SCALE_FULL;
            else
                return bad("--scale: '%s' is not one of quick|default|full", value);
        } else if (strcmp(name, "claim") == 0) {
            run->claim = value;
        } else {
            if (set_option(opt, value) != 0)
                return SUITE_EXIT_USAGE;
            if (index < sizeof run->given)
                run->given[index] = 1;
        }
    }

    if (run->control && run->claim == NULL)
        return bad("--control goes with --claim NAME");
    if (run->claim != NULL) {
        int known = 0;
        for (const suite_claim *k = p->claims; k != NULL && k->name != NULL; k++)
            known |= strcmp(k->name, run->claim) == 0;
        if (!known)
            return bad("--claim: no claim named '%s'; --list-claims lists them", run->claim);
    }
    if (help) {
        print_help(p);
        return SUITE_EXIT_OK;
    }
    if (version) {
        printf("%s %s (GSL %s, BLAS: %s)\n", p->name, SUITE_VERSION, GSL_VERSION, suite_blas_name());
        return SUITE_EXIT_OK;
    }
    if (list) {
        claim_list(p->claims);
        return SUITE_EXIT_OK;
    }
    return -1;
}

int suite_given(const suite_run *run, const void *value)
{
    size_t index = 0;
    for (const cli_option *o = run->program->options; o != NULL && o->name != NULL; o++, index++)
        if (o->value == value)
            return index < sizeof run->given && run->given[index];
    return 0;
}

/* ---- The output folder ----------------------------------------------------------------------------------- */

/* The folders this run created, so that a run which ends without writing anything (a benchmark, input found
 * bad late, a divergence before the first file) leaves nothing behind: at exit each is removed again if it
 * is still empty (rmdir refuses a folder with anything in it), deepest first. */
enum { MAX_CREATED = 16 };
static char created[MAX_CREATED][4096];
static int n_created;

static void remove_empty_created(void)
{
    while (n_created > 0)
        rmdir(created[--n_created]);
}

/* mkdir -p: creates every missing folder on the path. Returns 0, or -1 with errno set. */
static int make_folders(const char *path)
{
    char buf[4096];
    if (strlen(path) >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(buf, path);
    size_t len = strlen(buf);
    for (char *p = buf + 1; p <= buf + len; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char keep = *p;
        *p = '\0';
        if (mkdir(buf, 0777) == 0) {
            if (n_created == 0)
                atexit(remove_empty_created);
            if (n_created < MAX_CREATED)
                strcpy(created[n_created++], buf);
        } else if (errno != EEXIST) {
            return -1;
        }
        *p = keep;
    }
    struct stat st;
    if (stat(buf, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return access(buf, W_OK | X_OK);
}

/* GSL reports an error (a matrix that is not positive definite, a singular system, ...) by calling its error
 * handler, whose default aborts with a core dump. Ours says what failed in one line and exits with status 3,
 * a numerical failure, through exit() so that unfinished data files are removed. A program that expects a
 * failure and handles it (falling back to a regularized solve, say) switches the handler off around that
 * call with gsl_set_error_handler_off() and checks the returned status, then restores this one. */
static void gsl_error_exit(const char *reason, const char *file, int line, int gsl_errno)
{
    suite_die(SUITE_EXIT_NUMERIC, "GSL error %d (%s) at %s:%d: %s", gsl_errno, gsl_strerror(gsl_errno), file, line,
              reason);
}

void suite_install_gsl_handler(void) { gsl_set_error_handler(gsl_error_exit); }

int suite_main(const suite_program *p, int argc, char **argv) { return suite_main_validated(p, NULL, argc, argv); }

int suite_main_validated(const suite_program *p, int (*validate)(const suite_run *run), int argc, char **argv)
{
    suite_run run;
    int status = suite_parse(p, argc, argv, &run);
    if (status >= 0)
        return status;

    suite_blas_single_thread();
    suite_install_gsl_handler();
    if (validate != NULL && (status = validate(&run)) != 0)
        return status;
    if (run.claim != NULL)
        return claim_run(p->claims, &run, run.claim);

    if (make_folders(run.out_dir) != 0)
        suite_die(SUITE_EXIT_USAGE, "--out: cannot write to folder '%s': %s", run.out_dir, strerror(errno));
    return p->run(&run);
}
