/* Unit test of the data writer (common/tsv.c): a committed file has its header and rows; a file whose
 * writer fails, is discarded, meets a NaN or is killed by a signal never appears under its final name, and
 * an older file of that name is left untouched. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <math.h>

#include "check.h"
#include "claim.h"
#include "suite.h"
#include "tsv.h"

static long n_things = 3;
static const cli_option options[] = {{"things", OPT_INT, &n_things, 1, 9, NULL, "how many"}, {0}};
static int run_nothing(const suite_run *run) { (void)run; return 0; }
static const suite_program program = {"test_tsv", "nobody, no paper", "a test", options, NULL, run_nothing};

static char dir[] = "/tmp/test_tsv_XXXXXX";

static char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Files in dir whose name starts with '.': leftover temporaries. */
static int count_temporaries(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* Runs f in a child process and returns its wait status. */
static int in_child(void (*f)(const suite_run *), const suite_run *run)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        f(run);
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void write_nan(const suite_run *run)
{
    tsv *t = tsv_create(run, "old.tsv", "a file that meets a NaN", "x");
    double v[1] = {1.0};
    tsv_row(t, 1, v);
    v[0] = NAN;
    tsv_row(t, 1, v); /* exits 3 */
}

static void killed_by_signal(const suite_run *run)
{
    tsv *t = tsv_create(run, "old.tsv", "a file interrupted by SIGTERM", "x");
    double v[1] = {1.0};
    tsv_row(t, 1, v);
    raise(SIGTERM);
}

static void dies_midway(const suite_run *run)
{
    tsv *t = tsv_create(run, "old.tsv", "a file whose program dies", "x");
    double v[1] = {1.0};
    tsv_row(t, 1, v);
    suite_die_diverged("the test loss", 0.5, 17, 1e300);
}

int main(void)
{
    if (mkdtemp(dir) == NULL)
        return 2;
    suite_run run;
    char a0[] = "test_tsv", a1[] = "--seed", a2[] = "5", a3[] = "--things", a4[] = "4";
    char *argv[] = {a0, a1, a2, a3, a4, NULL};
    CHECK(suite_parse(&program, 5, argv, &run) == -1, "parse");
    run.out_dir = dir;

    /* A committed file: header (program, seed, BLAS, options, columns), then the rows. */
    tsv *t = tsv_create(&run, "good.tsv", "a good file", "x y");
    CHECK(slurp("good.tsv") == NULL, "the final name does not exist before commit");
    double row[2] = {1.5, -2.0};
    tsv_row(t, 2, row);
    tsv_block(t);
    tsv_printf(t, "%d %d\n", 3, 4);
    tsv_commit(t);
    char *text = slurp("good.tsv");
    CHECK(text != NULL, "committed file exists");
    if (text != NULL) {
        CHECK(strncmp(text, "# test_tsv ", 11) == 0, "header names the program: %.40s", text);
        CHECK(strstr(text, "# seed:    5") != NULL, "header records the seed");
        CHECK(strstr(text, "# blas:    ") != NULL, "header records the BLAS");
        CHECK(strstr(text, "# option:  --things 4") != NULL, "header records the options");
        CHECK(strstr(text, "# columns: x y\n1.5\t-2\n\n\n3 4\n") != NULL, "rows follow the header: %s", text);
    }
    CHECK(count_temporaries() == 0, "no temporary left after commit");

    /* An old file survives every kind of failed rewrite. */
    t = tsv_create(&run, "old.tsv", "the old file", "x");
    tsv_printf(t, "old\n");
    tsv_commit(t);
    char old[8192];
    snprintf(old, sizeof old, "%s", slurp("old.tsv"));

    t = tsv_create(&run, "old.tsv", "a discarded rewrite", "x");
    tsv_printf(t, "new\n");
    tsv_discard(t);
    CHECK(strcmp(slurp("old.tsv"), old) == 0, "discard leaves the old file");

    int status = in_child(write_nan, &run);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "a NaN row exits 3 (status %d)", status);
    CHECK(strcmp(slurp("old.tsv"), old) == 0, "a NaN leaves the old file");

    status = in_child(dies_midway, &run);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "divergence exits 3 (status %d)", status);
    CHECK(strcmp(slurp("old.tsv"), old) == 0, "divergence leaves the old file");

    status = in_child(killed_by_signal, &run);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM still kills (status %d)", status);
    CHECK(strcmp(slurp("old.tsv"), old) == 0, "a signal leaves the old file");
    CHECK(count_temporaries() == 0, "no temporary left after failures");

    /* An unwritable folder: exit 2, nothing written. */
    run.out_dir = "/proc/no-such-folder";
    status = in_child(write_nan, &run);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2, "unwritable folder exits 2 (status %d)", status);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "cleanup");
    return check_summary();
}
