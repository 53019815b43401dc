/* suite.h -- what every paper program shares: its description, its command line, and main().
 *
 * A paper program declares itself in one table and hands main() to the suite:
 *
 *     static long width = 32;                         // defaults live in the variables themselves
 *     static const cli_option options[] = {
 *         {"width", OPT_INT, &width, 1, 4096, NULL, "hidden units N2"},
 *         {0}
 *     };
 *     static const suite_claim claims[] = { {"exact_solution", "simulation matches eq. (12)", ...}, {0} };
 *     static int run_experiments(const suite_run *run) { ...; return 0; }
 *     static const suite_program program = {"deep_linear_dynamics", "Saxe et al., ICLR 2014, arXiv:1312.6120",
 *                                           "one-line summary", options, claims, run_experiments};
 *     int main(int argc, char **argv) { return suite_main(&program, argc, argv); }
 *
 * The shared options, the same in every program:
 *     --seed N                  every random draw follows from N (rng.h); default 1
 *     --out DIR                 where data files go; default data/<program>
 *     --scale quick|default|full  the size of the experiment (quick is what the claims use)
 *     --list-claims             one claim per line: NAME, whitespace, its one-line statement
 *     --claim NAME [--control]  run one claim check (and with --control, the same check with the effect
 *                               removed, which must fail); prints `claim NAME: ... PASS|FAIL`
 *     --quiet                   no progress line
 *     --help, --version
 *
 * Exit status (the same in every program):
 *     0  success (or a claim that passed)       2  bad input: unknown flag, bad value, unwritable --out
 *     1  a claim that failed                    3  a numerical failure: divergence, NaN, a solver that failed
 * Bad input is reported in one line on stderr that names the option and the allowed values, and nothing
 * is written: options are all checked before the output folder is created. A run that ends without writing
 * a file (a --benchmark, say) removes the folders it created, so it leaves nothing behind either.
 */
#ifndef SUITE_SUITE_H
#define SUITE_SUITE_H

#include <stddef.h>
#include <stdint.h>

enum { SUITE_EXIT_OK = 0, SUITE_EXIT_CLAIM_FAILED = 1, SUITE_EXIT_USAGE = 2, SUITE_EXIT_NUMERIC = 3 };

/* ---- Per-paper options ------------------------------------------------------------------------------ */

typedef enum {
    OPT_INT,    /* value is long*;        accepted: a whole number in [min, max]            */
    OPT_REAL,   /* value is double*;      accepted: a finite number in [min, max]           */
    OPT_TEXT,   /* value is const char**; accepted: any non-empty text (a path, say)        */
    OPT_CHOICE, /* value is const char**; accepted: one of the words in `choices`, "a|b|c"  */
    OPT_FLAG    /* value is int*;         takes no argument, sets the int to 1              */
} cli_type;

typedef struct {
    const char *name;    /* written on the command line as --name VALUE or --name=VALUE            */
    cli_type type;
    void *value;         /* holds the default before parsing and the chosen value after            */
    double min, max;     /* inclusive range for OPT_INT and OPT_REAL                                */
    const char *choices; /* OPT_CHOICE: the allowed words; OPT_TEXT: a metavariable for --help      */
    const char *help;    /* one line for --help                                                     */
} cli_option;          /* a table of these ends with an all-zero entry {0}                         */

/* ---- The program and one run of it ------------------------------------------------------------------- */

typedef enum { SCALE_QUICK, SCALE_DEFAULT, SCALE_FULL } suite_scale;

typedef struct suite_run suite_run;
typedef struct suite_claim suite_claim; /* claim.h */

typedef struct {
    const char *name;     /* the paper's slug: papers/<name>/<name>.c, data/<name>/          */
    const char *citation; /* "Authors, title, venue year, arXiv:id"                         */
    const char *summary;  /* one line for --help: what the program reproduces               */
    const cli_option *options;
    const suite_claim *claims;
    int (*run)(const suite_run *run); /* the experiments at run->scale; returns an exit status */
} suite_program;

struct suite_run {
    const suite_program *program;
    uint64_t seed;
    const char *out_dir;
    suite_scale scale;
    int quiet;
    const char *claim; /* --claim NAME, or NULL */
    int control;       /* --control                                                    */
    unsigned char given[64]; /* given[i] != 0: program option i was on the command line */
};

/* Parses the command line, then: --help/--version/--list-claims print and return 0; --claim runs that claim
 * and returns 0 or 1; otherwise creates the output folder and returns program->run(run). Bad input: one
 * line on stderr and 2. */
int suite_main(const suite_program *program, int argc, char **argv);

/* The same, for a program whose input needs checks beyond the option table (a --data file that must exist
 * and parse, say): `validate` runs after parsing and before anything is written, even the output folder;
 * it returns 0, or prints its one line on stderr and returns 2. */
int suite_main_validated(const suite_program *program, int (*validate)(const suite_run *run), int argc,
                         char **argv);

/* The parsing step alone (used by suite_main and by the unit tests). Returns -1 to go on and run, or an exit
 * status to return now (0 after --help and friends, 2 after bad input, with its message on stderr). */
int suite_parse(const suite_program *program, int argc, char **argv, suite_run *run);

/* True when the option whose value lives at `value` was given on the command line. Programs use it to apply
 * scale-dependent defaults only to options the user did not set:  if (!suite_given(run, &F)) F = 1000; */
int suite_given(const suite_run *run, const void *value);

/* "quick", "default" or "full". */
const char *suite_scale_name(suite_scale scale);

/* Formats option `opt`'s current value into buf (as it would be written on the command line). */
void suite_format_option(const cli_option *opt, char *buf, size_t size);

/* ---- Numerical failure --------------------------------------------------------------------------------- */

/* True when x is NaN or infinite. */
int suite_not_finite(double x);

/* True when a loss has diverged: it is not finite, or it exceeds `blowup` times a reference (say the
 * initial loss). Sweeps over step sizes use this to mark a step size as too large. */
int suite_diverged(double loss, double reference, double blowup);

/* For a run that must not diverge: one line on stderr naming what diverged, the step size and the step,
 * then exit status 3. Temporary data files are removed on the way out (tsv.h), so no NaN is ever written. */
void suite_die_diverged(const char *what, double step_size, long step, double value);

/* One line on stderr ("<program>: <message>") and exit status 2 (IO errors) or 3 (numerical). */
void suite_die(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3), noreturn))
#endif
    ;

/* Makes GSL errors exit with status 3 and a one-line message instead of aborting (suite_main does this for
 * every program; call it again to restore it after a stretch with gsl_set_error_handler_off()). */
void suite_install_gsl_handler(void);

/* The program name suite_die and the data headers use ("suite" until suite_main has run). */
const char *suite_program_name(void);

#endif
